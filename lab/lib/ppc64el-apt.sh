# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034  # sourced by bash scripts that use its variables
# Debian ppc64el packages for the L1, fetched with a private apt state: what lab/vmm-qemu
# (QEMU's run-time closure) and qemu/build-vmm (the sysroot the lab's own QEMU is built
# against) share, so that both see the same signed index and the same package versions.
# Sourced after common.sh, never executed. Nothing of the host's or the chroot's apt
# configuration is touched: apt runs with APT_CONFIG pointing into the cache.
#
# The state lives in $PPC64EL_APT (default $CACHE/vmm-qemu/apt); callers hold
# $PPC64EL_APT_LOCK (flock) while they use it, as two apt runs on one state would clash.
# Failures call ppc64el_unavailable, which the caller defines (lab/vmm-qemu exits 3 with
# one "unavailable:" line, qemu/build-vmm fails).

PPC64EL_SUITE=bookworm
PPC64EL_ARCH=ppc64el
PPC64EL_TRIPLET=powerpc64le-linux-gnu
PPC64EL_APT=${PPC64EL_APT:-$CACHE/vmm-qemu/apt}
PPC64EL_APT_LOCK=$CACHE/vmm-qemu/.lock

ppc64el_apt() { APT_CONFIG=$PPC64EL_APT/apt.conf "$@"; }

# ppc64el_apt_update LOG [always]: writes the private configuration and, when it has no
# index yet or when asked, runs apt-get update (which checks the indices' signatures).
ppc64el_apt_update() {
	local log=$1 always=${2:-} uri s a=$PPC64EL_APT
	if [ -z "$always" ] && [ -f "$a/apt.conf" ] && compgen -G "$a/state/lists/*_Packages*" >/dev/null; then
		return 0
	fi
	uri=$(archive_uri)
	mkdir -p "$a/etc/apt/apt.conf.d" "$a/etc/apt/preferences.d" "$a/etc/apt/sources.list.d" \
		"$a/state/lists/partial" "$a/cache/archives/partial"
	: >"$a/state/status"
	cat >"$a/apt.conf" <<-EOF
	Dir::Etc "$a/etc/apt";
	Dir::State "$a/state";
	Dir::State::status "$a/state/status";
	Dir::Cache "$a/cache";
	APT::Architecture "$PPC64EL_ARCH";
	APT::Architectures "$PPC64EL_ARCH";
	EOF
	: >"$a/etc/apt/sources.list"
	for s in "$PPC64EL_SUITE" "$PPC64EL_SUITE-updates" "$PPC64EL_SUITE-backports"; do
		printf 'deb [arch=%s signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] %s %s main\n' \
			"$PPC64EL_ARCH" "$uri" "$s" >>"$a/etc/apt/sources.list"
	done
	msg "apt-get update ($PPC64EL_ARCH, $PPC64EL_SUITE, $PPC64EL_SUITE-updates, $PPC64EL_SUITE-backports; private state $a)"
	ppc64el_apt apt-get update -qq --error-on=any >"$log" 2>&1 ||
		ppc64el_unavailable "apt-get update of the $PPC64EL_ARCH indices failed ($(grep -m1 -E '^(E|W):' "$log" || tail -n1 "$log"))"
}

# ppc64el_resolve URIS LOG APT-GET-ARGS... PACKAGE...: the packages apt would install on an
# empty system, one "'URL' FILE SIZE MD5" line each, into URIS.
ppc64el_resolve() {
	local uris=$1 log=$2
	shift 2
	ppc64el_apt apt-get install --print-uris -qq -y --no-install-recommends "$@" >"$uris" 2>>"$log" ||
		ppc64el_unavailable "apt cannot resolve $* for $PPC64EL_ARCH ($(tail -n1 "$log"))"
	[ -s "$uris" ] || ppc64el_unavailable "apt printed no packages for $*"
}

# ppc64el_version URIS PACKAGE: the version of PACKAGE among the resolved ones ('' if absent).
ppc64el_version() {
	awk -v p="${2}_" 'index($2, p) == 1 { split($2, a, "_"); print a[2] }' "$1" | sed 's/%3a/:/'
}

# ppc64el_download URIS DEBS LOG: every resolved package into DEBS, checked against the
# SHA256 the signature-checked index gives (print-uris gives only MD5), also when reused.
# Sets PPC64EL_COUNT and PPC64EL_KIB (how many packages, how big).
ppc64el_download() {
	local uris=$1 debs=$2 log=$3 sha specs url file size name rest ver want count=0 bytes=0
	sha=$(mktemp)
	specs=$(awk '{ split($2, a, "_"); v = a[2]; gsub("%3a", ":", v); print a[1] "=" v }' "$uris")
	# shellcheck disable=SC2086  # one argument per package
	ppc64el_apt apt-cache show --no-all-versions $specs |
		awk '/^Package:/ { p = $2 } /^Version:/ { v = $2 } /^SHA256:/ { print p "_" v, $2 }' >"$sha"
	mkdir -p "$debs"
	while read -r url file size _; do
		url=${url//\'/}
		name=${file%%_*} rest=${file#*_}
		ver=${rest%_*}
		ver=${ver//%3a/:}
		want=$(awk -v k="${name}_$ver" '$1 == k { print $2; exit }' "$sha")
		[ -n "$want" ] || { rm -f "$sha"; ppc64el_unavailable "no SHA256 for $name $ver in the $PPC64EL_ARCH index"; }
		if [ ! -f "$debs/$file" ] || [ "$(sha256sum <"$debs/$file" | cut -d' ' -f1)" != "$want" ]; then
			# apt's own downloader: the host's apt proxy settings apply, and it refuses a
			# file whose SHA256 differs from the index's.
			ppc64el_apt /usr/lib/apt/apt-helper download-file "$url" "$debs/$file.part" "SHA256:$want" \
				>>"$log" 2>&1 ||
				{ rm -f "$debs/$file.part" "$sha"; ppc64el_unavailable "download of $file failed ($(grep -m1 '^E:' "$log" || echo "see $log"))"; }
			mv "$debs/$file.part" "$debs/$file"
		fi
		count=$((count + 1)) bytes=$((bytes + size))
	done <"$uris"
	rm -f "$sha"
	PPC64EL_COUNT=$count PPC64EL_KIB=$((bytes / 1024))
}

# ppc64el_unpack URIS DEBS DEST: every resolved package unpacked into DEST (dpkg-deb -x:
# no maintainer scripts run).
ppc64el_unpack() {
	local file
	while read -r _ file _; do
		dpkg-deb -x "$2/$file" "$3"
	done <"$1"
}
