# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034  # sourced; its variables are used by the scripts
# Sourced by kernel/checkout, kernel/export and kernel/check (and usable by lab/kernel): where a
# kernel base comes from and where its editing tree lives. One tarball is the base of a series;
# every script finds it here so that the series, its checks and the lab build agree on it.

PPCCOMPAT_CACHE=${PPCCOMPAT_CACHE:-/var/cache/ppccompat}
KERNEL_SCRIPTS=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# Fixed identity and dates make the base commit, and so every "From" and index line that
# git derives from it, the same on every machine that unpacks the same tarball.
KERNEL_GIT_ENV=(
	GIT_AUTHOR_NAME="ppccompat developers" GIT_AUTHOR_EMAIL=dev@ppccompat.invalid
	GIT_COMMITTER_NAME="ppccompat developers" GIT_COMMITTER_EMAIL=dev@ppccompat.invalid
)
# The same identity, as the patches carry it; kernel/export --signoff replaces it.
KERNEL_PLACEHOLDER="ppccompat developers <dev@ppccompat.invalid>"

die() {
	echo "${0##*/}: $*" >&2
	exit 1
}

kernel_check_version() { # VERSION
	[[ ${1:-} =~ ^[0-9]+\.[0-9]+$ ]] || die "kernel version must look like 6.12, got '${1:-}'"
}

# The Debian linux-source tarball of VERSION: the lab's trixie chroot first (the lab builds
# from it), then a chroot still being set up, then the host's own /usr/src.
kernel_tarball() { # VERSION
	local dir
	for dir in "$PPCCOMPAT_CACHE/trixie/usr/src" "$PPCCOMPAT_CACHE/chroot.tmp/usr/src" /usr/src; do
		if [ -f "$dir/linux-source-$1.tar.xz" ]; then
			echo "$dir/linux-source-$1.tar.xz"
			return 0
		fi
	done
	die "no linux-source-$1.tar.xz in $PPCCOMPAT_CACHE/trixie/usr/src, $PPCCOMPAT_CACHE/chroot.tmp/usr/src or /usr/src (set up the lab, or apt-get install linux-source-$1)"
}

# The Debian package version of the tarball, read from the dpkg database of the root it
# was found in.
kernel_debian_version() { # TARBALL
	local root=${1%/usr/src/*} status
	status=$root/var/lib/dpkg/status
	[ -f "$status" ] || die "no dpkg status next to $1 ($status)"
	awk -v pkg="$(basename "$1" .tar.xz)" '
		/^Package: / { cur = $2 }
		/^Version: / && cur == pkg { print $2; found = 1; exit }
		END { exit !found }' "$status" || die "$status does not list $(basename "$1" .tar.xz)"
}

kernel_series_dir() { # VERSION
	echo "$KERNEL_SCRIPTS/$1"
}

kernel_worktree() { # VERSION
	echo "$PPCCOMPAT_CACHE/src/linux-$1-git"
}

# Patch file names of a series, in order, from its quilt-style series file.
kernel_series_patches() { # VERSION
	local series
	series=$(kernel_series_dir "$1")/series
	[ -f "$series" ] || die "$series: no such file"
	sed -e 's/#.*//' -e 's/[[:space:]]*$//' -e '/^$/d' "$series"
}

# The unpacked tarball of VERSION, shared and never modified: lab/kernel hard-links its build
# trees from it, kernel/checkpatch runs checkpatch.pl in it. Unpacked once, under a lock, so
# callers in parallel wait for the first. Prints its path.
kernel_pristine() { # VERSION
	local tarball dir=$PPCCOMPAT_CACHE/src/linux-source-$1
	if [ ! -f "$dir/.unpacked" ]; then
		tarball=$(kernel_tarball "$1")
		mkdir -p "$PPCCOMPAT_CACHE/src"
		(
			flock 8
			if [ ! -f "$dir/.unpacked" ]; then
				echo "unpacking $(basename "$tarball")" >&2
				rm -rf "$dir" "$dir.partial"
				mkdir "$dir.partial"
				tar -xf "$tarball" -C "$dir.partial" --strip-components=1
				touch "$dir.partial/.unpacked"
				mv "$dir.partial" "$dir"
			fi
		) 8>"$PPCCOMPAT_CACHE/src/.lock-$1" || die "could not unpack $tarball into $dir"
	fi
	echo "$dir"
}

# Files a patch creates ("--- /dev/null" followed by "+++ b/PATH"), one per line.
kernel_patch_added_files() { # PATCH
	awk '/^--- \/dev\/null$/ { created = 1; next }
		created && /^\+\+\+ b\// { print substr($0, 7) }
		{ created = 0 }' "$1"
}

# checkpatch.pl --strict on one patch file, run in TREE, the pristine tree of the base:
# checkpatch reads MAINTAINERS, LICENSES and its own helpers there, never the patched files.
# Not a git tree on purpose: in an import without history checkpatch cannot look up the
# commits a message names and skips the check of how they are cited, which a maintainer's
# tree, where they exist, does make. Writes
# its output to LOG; prints "NE NW NC" (errors, warnings, checks) and, on a second line, what
# was decided about the patch's new files, if it adds any. Returns 1 on an error or warning.
kernel_checkpatch() { # TREE PATCH LOG
	local tree=$1 patch=$2 log=$3 added summary note=
	local ignore=(--ignore UNKNOWN_COMMIT_ID)
	# checkpatch asks "does MAINTAINERS need updating?" for every new file. Answer it:
	# the question is moot when a MAINTAINERS entry other than THE REST covers each one.
	added=$(kernel_patch_added_files "$patch")
	# get_maintainer.pl -f wants the file to exist; a patch naming it works in any tree.
	if [ -n "$added" ] && ! echo "$added" | while read -r f; do
		printf -- '--- /dev/null\n+++ b/%s\n' "$f" >"$log.new-file"
		(cd "$tree" && ./scripts/get_maintainer.pl --no-git --no-git-fallback \
			--no-rolestats --sections "$log.new-file") |
			awk 'NF && !/^[A-Z]:\t/ && $0 != "THE REST" { found = 1 } END { exit !found }' ||
			exit 1
	done; then
		note="new files outside MAINTAINERS"
	elif [ -n "$added" ]; then
		ignore+=(--ignore FILE_PATH_CHANGES)
		note="new files covered by MAINTAINERS"
	fi
	# UNKNOWN_COMMIT_ID: the trees are imports of Debian's tarball with no upstream history,
	# so checkpatch cannot look up the commit a Fixes: tag names; the tag's form is checked.
	# Debian's python3 has ply, which scripts/spdxcheck.py needs; pyenv's may not.
	(cd "$tree" && PATH=/usr/bin:$PATH ./scripts/checkpatch.pl --strict --no-color "${ignore[@]}" \
		"$patch") >"$log" 2>&1 || true
	summary=$(grep -E '^total: ' "$log" || echo "total: checkpatch did not run")
	if grep -q '^Traceback' "$log"; then
		summary="total: a checkpatch helper failed (see $log)"
	fi
	echo "$summary" | sed -E 's/^total: ([0-9]+) errors, ([0-9]+) warnings, (([0-9]+) checks, )?.*/\1E \2W \4C/'
	[ -z "$note" ] || echo "$note"
	[[ $summary =~ ^total:\ 0\ errors,\ 0\ warnings ]]
}
