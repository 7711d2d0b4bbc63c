# SPDX-License-Identifier: GPL-2.0
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
