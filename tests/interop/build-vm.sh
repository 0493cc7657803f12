#!/usr/bin/env bash
# Builds the interop guest: a Debian kernel and a busybox initramfs holding
# the host's xl2tpd and pppd (with pppol2tp.so), their shared libraries, and
# the kernel modules for virtio networking, PPP and L2TP.
#
#   tests/interop/build-vm.sh OUTDIR      (e.g. build/interop)
#
# Writes OUTDIR/vmlinuz and OUTDIR/initrd.gz. Everything comes from Debian
# packages: the kernel from a linux-image-*-amd64 package fetched with
# `apt-get download` and unpacked with `dpkg -x` (never installed), the rest
# from the host. The result is cached: OUTDIR/inputs records a hash of every
# input, and nothing is rebuilt while it matches.
set -euo pipefail

OUT=${1:?usage: build-vm.sh OUTDIR}
HERE=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$OUT/debs"
OUT=$(cd "$OUT" && pwd)

die() { echo "build-vm: $*" >&2; exit 1; }
# Several checkouts' test runs may share OUT: one build at a time.
exec 9>"$OUT/.lock"
flock 9

# ---- which kernel package --------------------------------------------------
# The linux-image-amd64 metapackage names the current ABI's image package. When
# the package lists are unavailable, the last downloaded image is reused.
kpkg=$(apt-cache depends linux-image-amd64 2>/dev/null |
	sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*-amd64\)$/\1/p' | head -1 || true)
if [ -n "$kpkg" ]; then
	kver=$(apt-cache policy "$kpkg" 2>/dev/null | sed -n 's/^ *Candidate: //p')
	deb=$(ls "$OUT/debs/${kpkg}_${kver//:/%3a}_"*.deb 2>/dev/null | head -1 || true)
	if [ -z "$deb" ]; then
		echo "build-vm: fetching $kpkg $kver"
		rm -f "$OUT"/debs/linux-image-*.deb
		# apt's sandbox user cannot write into a root-owned tree: download
		# into a directory it may write, then move the file.
		tmp=$(mktemp -d /tmp/interop-deb.XXXXXX)
		chmod 777 "$tmp"
		(cd "$tmp" && apt-get download -q "$kpkg=$kver" >/dev/null) ||
			{ rm -rf "$tmp"; die "apt-get download $kpkg failed"; }
		mv "$tmp"/*.deb "$OUT/debs/"
		rm -rf "$tmp"
		deb=$(ls "$OUT"/debs/"${kpkg}"_*.deb | head -1)
	fi
else
	deb=$(ls "$OUT"/debs/linux-image-*-amd64_*.deb 2>/dev/null | head -1 || true)
	[ -n "$deb" ] || die "no linux-image package known (run apt-get update)"
fi

# ---- host programs ---------------------------------------------------------
BUSYBOX=/bin/busybox
XL2TPD=/usr/sbin/xl2tpd
PPPD=/usr/sbin/pppd
PLUGIN=$(ls /usr/lib/pppd/*/pppol2tp.so 2>/dev/null | head -1 || true)
for f in "$BUSYBOX" "$XL2TPD" "$PPPD" "$PLUGIN"; do
	[ -n "$f" ] && [ -e "$f" ] || die "missing ${f:-pppol2tp.so} (tools/deps.sh interop)"
done
file "$BUSYBOX" 2>/dev/null | grep -q 'statically linked' ||
	ldd "$BUSYBOX" 2>&1 | grep -q 'not a dynamic' || die "$BUSYBOX is not static (busybox-static)"

# Shared libraries of the dynamic programs, resolved by the host's loader.
libs() { ldd "$@" 2>/dev/null | sed -n 's/.*=> \(\/[^ ]*\).*/\1/p; s/^[[:space:]]*\(\/[^ ]*\) (.*/\1/p' | sort -u; }
LIBS=$(libs "$XL2TPD" "$PPPD" "$PLUGIN")

# ---- cache key -------------------------------------------------------------
key=$( {
	sha256sum "$HERE/build-vm.sh" "$HERE/guest-init.sh"
	basename "$deb"
	sha256sum "$BUSYBOX" "$XL2TPD" "$PPPD" "$PLUGIN" $LIBS
} | sha256sum | cut -d' ' -f1)
if [ -f "$OUT/inputs" ] && [ "$(cat "$OUT/inputs")" = "$key" ] &&
	[ -s "$OUT/vmlinuz" ] && [ -s "$OUT/initrd.gz" ]; then
	exit 0
fi
echo "build-vm: building the guest from $(basename "$deb")"

# ---- kernel ----------------------------------------------------------------
rm -rf "$OUT/kpkg" "$OUT/root"
dpkg -x "$deb" "$OUT/kpkg"
KV=$(ls "$OUT/kpkg/lib/modules" | head -1)
[ -n "$KV" ] || die "no modules in $(basename "$deb")"
cp "$OUT/kpkg/boot/vmlinuz-$KV" "$OUT/vmlinuz.new"
# The package does not ship modules.dep (depmod makes it on install).
depmod -b "$OUT/kpkg" "$KV"
MODDIR=$OUT/kpkg/lib/modules/$KV

# Every module we load, with what modules.dep says each one needs.
want=(virtio_pci virtio_net ppp_generic pppox l2tp_core l2tp_netlink l2tp_ppp)
declare -A seen=()
mods=()
add_mod() { # add_mod RELPATH: the module and its dependencies
	local rel=$1 line dep
	[ -n "${seen[$rel]:-}" ] && return 0
	seen[$rel]=1
	mods+=("$rel")
	line=$(grep -E "^$rel:" "$MODDIR/modules.dep") || die "$rel not in modules.dep"
	for dep in ${line#*:}; do add_mod "$dep"; done
}
for m in "${want[@]}"; do
	rel=$(grep -oE "^[^:]*/$m\.ko(\.[a-z]+)?:" "$MODDIR/modules.dep" | tr -d :) ||
		die "module $m not in $(basename "$deb")"
	add_mod "$rel"
done

# ---- root filesystem -------------------------------------------------------
R=$OUT/root
mkdir -p "$R"/{bin,sbin,etc/ppp,etc/xl2tpd,dev,proc,sys,tmp,run,var/run,var/log,lib64}
mkdir -p "$R/lib/modules/$KV"
for rel in "${mods[@]}"; do
	mkdir -p "$R/lib/modules/$KV/$(dirname "$rel")"
	cp "$MODDIR/$rel" "$R/lib/modules/$KV/$rel"
done
cp "$MODDIR"/modules.order "$MODDIR"/modules.builtin* "$R/lib/modules/$KV/" 2>/dev/null || true
depmod -b "$R" "$KV"
printf '%s\n' "${want[@]}" >"$R/etc/modules"

cp "$BUSYBOX" "$R/bin/busybox"
ln -s busybox "$R/bin/sh"
mkdir -p "$R/usr/sbin" "$R/usr/bin"
cp "$XL2TPD" "$R$XL2TPD"
cp "$PPPD" "$R$PPPD"
mkdir -p "$R$(dirname "$PLUGIN")"
cp "$PLUGIN" "$R$PLUGIN"
for l in $LIBS; do
	mkdir -p "$R$(dirname "$l")"
	cp -L "$l" "$R$l"
done
# Debian's loader path: /lib64/ld-linux-x86-64.so.2 is a link into /lib/x86_64-linux-gnu.
[ -e "$R/lib64/ld-linux-x86-64.so.2" ] || die "the dynamic loader was not copied"
cp "$HERE/guest-init.sh" "$R/init"
chmod 755 "$R/init"
: >"$R/etc/ppp/options"
echo 'root:x:0:0:root:/:/bin/sh' >"$R/etc/passwd"
echo 'root:x:0:' >"$R/etc/group"

(cd "$R" && find . -print0 | LC_ALL=C sort -z |
	cpio --null -o -H newc --owner 0:0 --quiet) | gzip -6 >"$OUT/initrd.gz.new"
mv "$OUT/vmlinuz.new" "$OUT/vmlinuz"
mv "$OUT/initrd.gz.new" "$OUT/initrd.gz"
rm -rf "$OUT/kpkg" "$R"
echo "$key" >"$OUT/inputs"
echo "build-vm: $OUT/vmlinuz $OUT/initrd.gz ($(du -k "$OUT/initrd.gz" | cut -f1) KiB, kernel $KV, ${#mods[@]} modules)"
