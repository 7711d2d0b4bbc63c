# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034  # sourced by bash scripts that use its variables
# Shared by the lab's scripts: where the caches are, how to run the chroot's programs,
# how to report. Sourced, never executed.

LAB_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
CACHE=${PPCCOMPAT_CACHE:-/var/cache/ppccompat}
CHROOT=$CACHE/trixie
LAB_TOOL=${LAB_TOOL:-lab/$(basename "$0")}

msg() { printf '%s: %s\n' "$LAB_TOOL" "$*" >&2; }
die() { printf '%s: error: %s\n' "$LAB_TOOL" "$*" >&2; exit 1; }

# The Debian archive this host already uses; the repository never names it.
archive_uri() {
	local uri=
	if [ -r /etc/apt/sources.list.d/debian.sources ]; then
		uri=$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources)
	fi
	if [ -z "$uri" ] && [ -r /etc/apt/sources.list ]; then
		uri=$(awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { print $i; exit } }' \
			/etc/apt/sources.list)
	fi
	[ -n "$uri" ] || die "no Debian archive URI in /etc/apt/sources.list.d/debian.sources or /etc/apt/sources.list"
	printf '%s\n' "$uri"
}

# Runs a dynamically linked chroot program through the chroot's own loader: no chroot(2),
# no mounts, so any number of runs can go on in parallel.
chroot_exec() {
	local bin=$1
	shift
	"$CHROOT/usr/lib64/ld-linux-x86-64.so.2" \
		--library-path "$CHROOT/usr/lib/x86_64-linux-gnu:$CHROOT/lib/x86_64-linux-gnu" \
		"$CHROOT$bin" "$@"
}

# The patches a series file lists, in order, as absolute paths (quilt format: one file
# name per line relative to the series file, '#' comments, blank lines ignored).
series_patches() {
	local series=$1 dir line
	dir=$(cd "$(dirname "$series")" && pwd)
	while IFS= read -r line || [ -n "$line" ]; do
		line=${line%%#*}
		line=$(printf '%s' "$line" | awk '{ print $1 }')
		[ -n "$line" ] || continue
		[ -f "$dir/$line" ] || die "$series: lists '$line', which does not exist"
		printf '%s\n' "$dir/$line"
	done <"$series"
}
