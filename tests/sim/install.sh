#!/usr/bin/env bash
# `make install DESTDIR=... PREFIX=/usr` (manual, "Install": binaries in
# /usr/sbin, configuration in /etc/l2tpns, modules in /usr/lib/l2tpns):
#  - the daemon and nsctl land in DESTDIR/usr/sbin, executable and identical to
#    the build; the test-only tools (lacsim, pcapdecode) do not;
#  - every built plugin lands in DESTDIR/usr/lib/l2tpns;
#  - every etc/*.default becomes DESTDIR/etc/l2tpns/NAME, mode 600, same bytes;
#  - the plugin API header lands in DESTDIR/usr/include/l2tpns/plugin.h;
#  - nothing is written outside DESTDIR's usr/ and etc/l2tpns/;
#  - a second install keeps a file the operator changed and restores a
#    missing one;
#  - the installed l2tpns -n accepts the installed default startup-config and
#    its normalised output is a fixed point.
# No namespaces: this only needs make and a temporary directory.
set -u
BUILD=${BUILD:-build}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
fails=0
checks=0
check() {
	local what=$1
	shift
	checks=$((checks + 1))
	if "$@"; then echo "  ok   $what"; else echo "  FAIL $what"; fails=$((fails + 1)); fi
}
sim_done() {
	echo "  $((checks - fails)) of $checks checks passed"
	[ "$fails" -eq 0 ]
}
D=$(mktemp -d /tmp/l2tpns-install.XXXXXX)
trap 'rm -rf "$D"' EXIT
dest=$D/root

minst() { make -s -C "$ROOT" BUILD="$BUILD" DESTDIR="$dest" PREFIX=/usr install >"$D/make.out" 2>&1; }
minst
rc=$?
check "make install DESTDIR=... PREFIX=/usr succeeds" test $rc = 0
[ $rc = 0 ] || tail -20 "$D/make.out"

sbin=$dest/usr/sbin
for p in l2tpns nsctl; do
	check "$p installed in /usr/sbin, mode 755" test "$(stat -c %a "$sbin/$p" 2>/dev/null)" = 755
	check "$p identical to $BUILD/bin/$p" cmp -s "$sbin/$p" "$ROOT/$BUILD/bin/$p"
done
for p in lacsim pcapdecode; do
	check "test tool $p not installed" test ! -e "$sbin/$p"
done
check "plugin directory /usr/lib/l2tpns created" test -d "$dest/usr/lib/l2tpns"
nplug=0
for so in "$ROOT/$BUILD"/lib/*.so; do
	[ -e "$so" ] || continue
	nplug=$((nplug + 1))
	check "plugin $(basename "$so") installed" cmp -s "$so" "$dest/usr/lib/l2tpns/$(basename "$so")"
done
echo "  ($nplug plugin(s) built)"
check "plugin API header installed as /usr/include/l2tpns/plugin.h" \
	cmp -s "$ROOT/include/l2tpns/plugin.h" "$dest/usr/include/l2tpns/plugin.h"
check "test plugins (tests/plugins) not installed" test ! -e "$dest/usr/lib/l2tpns/tp_a.so"

ndef=0
for f in "$ROOT"/etc/*.default; do
	[ -e "$f" ] || continue
	ndef=$((ndef + 1))
	n=$(basename "$f" .default)
	t=$dest/etc/l2tpns/$n
	check "/etc/l2tpns/$n installed from etc/$n.default, mode 600" \
		bash -c "cmp -s '$f' '$t' && test \"\$(stat -c %a '$t')\" = 600"
done
for n in startup-config ip_pool users; do
	check "/etc/l2tpns/$n exists (manual: the configuration files)" test -f "$dest/etc/l2tpns/$n"
done
stray=$(cd "$dest" && find . -mindepth 1 \( -type f -o -type l \) | grep -v '^\./usr/sbin/\|^\./usr/lib/l2tpns/\|^\./usr/include/l2tpns/\|^\./etc/l2tpns/')
check "nothing installed outside usr/sbin, usr/lib/l2tpns, usr/include/l2tpns, etc/l2tpns (${stray//$'\n'/ })" test -z "$stray"

# ---- a second install over an operator's files -----------------------------------
sc=$dest/etc/l2tpns/startup-config
printf "# operator edit\nset primary_dns 192.0.2.53\n" >>"$sc"
chmod 640 "$sc"
cp -p "$sc" "$D/operator-copy"
rm -f "$dest/etc/l2tpns/ip_pool"
minst
check "second make install succeeds" test $? = 0
check "second install: the operator's startup-config is unchanged" cmp -s "$sc" "$D/operator-copy"
check "second install: its mode 640 is kept" test "$(stat -c %a "$sc")" = 640
check "second install: the deleted ip_pool is installed again" cmp -s "$ROOT/etc/ip_pool.default" "$dest/etc/l2tpns/ip_pool"

# ---- the installed daemon checks the installed default configuration ---------------
cp "$ROOT/etc/startup-config.default" "$D/default-config"
"$sbin/l2tpns" -n -c "$D/default-config" >"$D/n.out" 2>"$D/n.err"
check "installed l2tpns -n accepts the default startup-config (exit 0)" test $? = 0
check "... with nothing on stderr ($(head -c 200 "$D/n.err"))" test ! -s "$D/n.err"
check "... and prints the values it sets (set radius_authtypes \"pap,chap\")" \
	grep -qx 'set radius_authtypes "pap,chap"' "$D/n.out"
"$sbin/l2tpns" -n -c "$D/n.out" >"$D/n2.out" 2>/dev/null
check "... its normalised output is a fixed point of -n" cmp -s "$D/n.out" "$D/n2.out"
"$sbin/l2tpns" -n -c "$sc" >"$D/op.out" 2>"$D/op.err"
check "installed l2tpns -n accepts the operator-edited installed file" test $? = 0
check "... and reports the operator's value" grep -qx 'set primary_dns 192.0.2.53' "$D/op.out"
sim_done
