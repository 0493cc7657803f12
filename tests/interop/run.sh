#!/usr/bin/env bash
# Interoperability with a real LAC: xl2tpd + pppd on a real Linux kernel
# (PPPoL2TP), in a qemu guest under software emulation, dialling our l2tpns.
#
#   bash tests/interop/run.sh BUILD        (make interop)
#
# Each boot has its own namespaces:
#
#   +------------------------+          +------------------+          +-----------+
#   | itN-lac                |  veth    | itN-lns          |  veth    | itN-host  |
#   |  qemu -- tap0 -- br0 --|----------| 10.91.1.2  tun0  |----------| 10.91.2.2 |
#   |  guest eth0 10.91.1.10 | UDP 1701 | l2tpns           |          | (pinged)  |
#   |  xl2tpd + pppd         |          | pool 100.91.0.0/24          |           |
#   +------------------------+          +------------------+          +-----------+
#
# The guest (tests/interop/guest-init.sh, built by build-vm.sh) runs the
# scenarios named on its kernel command line and prints "IT RESULT" lines on
# its serial console; this script adds the LNS-side checks (its log, its CLI,
# the capture read by tshark). Boots run two at a time (one per core).
set -u
BUILD=${1:-build}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE=$ROOT/tests/interop
BIN=$ROOT/$BUILD/bin
VM=$ROOT/build/interop
CLI=$ROOT/tests/sim/cli_client.py

skip() { echo "interop: SKIP: $*"; echo "0 passed, 0 failed, 1 skipped"; exit 0; }
[ "$(id -u)" = 0 ] || skip "needs root (network namespaces, tap devices)"
for p in qemu-system-x86_64 xl2tpd pppd tshark tcpdump python3; do
	command -v "$p" >/dev/null || skip "$p is not installed (tools/deps.sh interop)"
done
[ -c /dev/net/tun ] || skip "no /dev/net/tun for the tap device"
ip netns add "itprobe$$" 2>/dev/null || skip "cannot create network namespaces"
ip netns del "itprobe$$"
[ -x "$BIN/l2tpns" ] || { echo "interop: $BIN/l2tpns not built (make programs)"; exit 1; }
bash "$HERE/build-vm.sh" "$VM" || skip "could not build the guest (see above)"

WORK=$(mktemp -d /tmp/l2tpns-interop.XXXXXX)
PIDS=()
cleanup() {
	for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null; done
	sleep 0.3
	for n in $(ip netns list 2>/dev/null | awk '{print $1}' | grep "^it$$"); do
		ip netns pids "$n" 2>/dev/null | xargs -r kill -9 2>/dev/null
		ip netns del "$n" 2>/dev/null
	done
	if [ "${INTEROP_KEEP:-}" = 1 ]; then echo "  (kept $WORK)"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

LNS_IP=10.91.1.2
GUEST_IP=10.91.1.10
LNS_HOST_IP=10.91.2.1
HOST_IP=10.91.2.2
POOL=100.91.0.0/24
SECRET=sh4red-s3cret

# boot NAME TESTS TIMEOUT [extra config line...]: one guest against one LNS.
# Writes $WORK/NAME/{console.log,l2tpns.log,run.pcap,host.results}.
boot() {
	local name=$1 tests=$2 tmo=$3
	shift 3
	# INTEROP_ONLY=name[,name]: run only those boots (debugging)
	[ -z "${INTEROP_ONLY:-}" ] || [[ ",$INTEROP_ONLY," == *",$name,"* ]] || return 0
	local D=$WORK/$name id=it$$$name
	local L=${id}-lac N=${id}-lns H=${id}-host
	mkdir -p "$D"
	: >"$D/host.results"
	hres() { echo "IT RESULT $1 $2 ${3:-}" >>"$D/host.results"; }
	ip netns add "$L" && ip netns add "$N" && ip netns add "$H" || { hres setup FAIL "netns"; return; }
	ip link add "${id}a" type veth peer name "${id}b"
	ip link set "${id}a" netns "$L" name eth0
	ip link set "${id}b" netns "$N" name eth0
	ip link add "${id}c" type veth peer name "${id}d"
	ip link set "${id}c" netns "$N" name eth1
	ip link set "${id}d" netns "$H" name eth0
	ip -n "$L" link add br0 type bridge
	ip -n "$L" tuntap add dev tap0 mode tap
	ip -n "$L" link set eth0 master br0
	ip -n "$L" link set tap0 master br0
	for i in br0 eth0 tap0 lo; do ip -n "$L" link set "$i" up; done
	ip -n "$N" addr add "$LNS_IP/24" dev eth0
	ip -n "$N" addr add "$LNS_HOST_IP/24" dev eth1
	ip -n "$H" addr add "$HOST_IP/24" dev eth0
	for i in eth0 eth1 lo; do ip -n "$N" link set "$i" up; done
	ip -n "$H" link set eth0 up
	ip -n "$H" link set lo up
	ip -n "$H" route add "$POOL" via "$LNS_HOST_IP"
	ip netns exec "$N" sysctl -qw net.ipv4.ip_forward=1

	cat >"$D/startup-config" <<EOF
set debug 3
set log_file "$D/l2tpns.log"
set pid_file "$D/l2tpns.pid"
set local_users_file "$D/ppp-users"
set primary_dns $HOST_IP
EOF
	for l in "$@"; do echo "$l" >>"$D/startup-config"; done
	echo "$POOL" >"$D/ip_pool"
	printf 'alice secret\nbob secret\n' >"$D/ppp-users"
	(cd "$D" && exec ip netns exec "$N" "$BIN/l2tpns" -c "$D/startup-config" >"$D/l2tpns.out" 2>&1) &
	local lns=$!
	PIDS+=("$lns")
	for _ in $(seq 1 50); do grep -q 'ready' "$D/l2tpns.log" 2>/dev/null && break; sleep 0.1; done
	grep -q 'ready' "$D/l2tpns.log" 2>/dev/null || { hres lns-start FAIL "$(tail -3 "$D/l2tpns.out")"; return; }
	ip netns exec "$L" tcpdump -U -i br0 -w "$D/run.pcap" udp port 1701 >/dev/null 2>&1 &
	local cap=$!
	PIDS+=("$cap")
	sleep 0.5

	local append="console=ttyS0 quiet panic=-1 itests=$tests ilns=$LNS_IP iaddr=$GUEST_IP/24"
	append+=" ihost=$HOST_IP iuser=alice ipass=secret imtu=${IMTU:-1500} iecho=${IECHO:-60} iechoint=${IECHOINT:-5}"
	append+=" isecret=$SECRET ibadsecret=not-the-$SECRET"
	ip netns exec "$L" qemu-system-x86_64 -accel tcg -m 256 -smp 1 -no-reboot \
		-display none -monitor none -serial "file:$D/console.log" \
		-kernel "$VM/vmlinuz" -initrd "$VM/initrd.gz" -append "$append" \
		-netdev tap,id=n0,ifname=tap0,script=no,downscript=no \
		-device virtio-net-pci,netdev=n0,romfile=,mac=52:54:00:91:01:10 </dev/null >"$D/qemu.out" 2>&1 &
	local vm=$!
	PIDS+=("$vm")
	local t0=$SECONDS quit_sent=0 pool_up=""
	while kill -0 "$vm" 2>/dev/null; do
		if [ $((SECONDS - t0)) -ge "$tmo" ]; then
			hres "$name-boot" FAIL "guest still running after $tmo s"
			kill "$vm"
			break
		fi
		if [ $quit_sent = 0 ] && grep -q '^IT WAIT quit' "$D/console.log" 2>/dev/null; then
			kill -QUIT "$lns"
			quit_sent=1
		fi
		if [ -z "$pool_up" ] && grep -q '^IT RESULT pap PASS' "$D/console.log" 2>/dev/null; then
			pool_up=$(ip netns exec "$N" python3 "$CLI" 127.0.0.1 23 "show pool" 2>&1)
		fi
		sleep 0.5
	done
	wait "$vm" 2>/dev/null
	echo "  [$name: guest ran $((SECONDS - t0)) s]" >>"$D/host.results"
	sleep 1

	# ---- LNS-side checks ---------------------------------------------------
	local log=$D/l2tpns.log
	case ",$tests," in
	*,cdn,*)
		local ip
		ip=$(sed -n 's/^IT HANGUP a \([0-9.]*\).*/\1/p' "$D/console.log")
		local sid
		sid=$(sed -n "s/.*sid=\([0-9]*\) user=alice session up ip=$ip\$/\1/p" "$log" | head -1)
		# the session lingers for the CDN's retransmission cycle before it is freed
		for _ in $(seq 1 120); do
			[ -n "$sid" ] && grep -q "sid=$sid user=alice closed after" "$log" && break
			sleep 0.5
		done
		local pool_down
		pool_down=$(ip netns exec "$N" python3 "$CLI" 127.0.0.1 23 "show pool" 2>&1)
		printf '%s\n' "$pool_up" >"$D/pool-up.txt"
		printf '%s\n' "$pool_down" >"$D/pool-down.txt"
		if [ -n "$sid" ] && grep -q "sid=$sid user=alice CDN from peer" "$log" &&
			grep -q "sid=$sid user=alice closed after" "$log" &&
			grep -qx 'Used: 1' <<<"$pool_up" && grep -q "^$ip .*Y .*alice" <<<"$pool_up" &&
			grep -qx 'Used: 0' <<<"$pool_down" && ! grep -q "^$ip .*Y " <<<"$pool_down"; then
			hres lns-cdn PASS "sid $sid: CDN from peer logged, session closed, $ip back in the pool (Used 1 -> 0)"
		else
			hres lns-cdn FAIL "sid=${sid:-?} ip=${ip:-?}; pool while up: $(grep Used <<<"$pool_up" | tr -d '\n'); after: $(grep Used <<<"$pool_down" | tr -d '\n'); log: $(grep -E "CDN|closed|down" "$log" | tail -3 | tr '\n' '|')"
		fi
		;;
	esac
	case ",$tests," in
	*,quit,*)
		for _ in $(seq 1 100); do kill -0 "$lns" 2>/dev/null || break; sleep 0.1; done
		if kill -0 "$lns" 2>/dev/null; then
			hres lns-quit FAIL "l2tpns still running after SIGQUIT"
		else
			wait "$lns"
			local st=$?
			[ "$st" = 0 ] && hres lns-quit PASS "l2tpns exited 0 after SIGQUIT" ||
				hres lns-quit FAIL "l2tpns exit status $st after SIGQUIT"
		fi
		;;
	esac
	kill "$cap" 2>/dev/null
	wait "$cap" 2>/dev/null
	local cap_f=$D/run.pcap
	ts() { tshark -r "$cap_f" "$@" 2>/dev/null; }
	case ",$tests," in
	*,quit,*)
		local cdn
		cdn=$(ts -Y "ip.src==$LNS_IP && l2tp.avp.message_type==14" | wc -l)
		local stop
		stop=$(ts -Y "ip.src==$LNS_IP && l2tp.avp.message_type==4" | wc -l)
		[ "$cdn" -ge 1 ] && [ "$stop" -ge 1 ] &&
			hres wire-quit PASS "$cdn CDN and $stop StopCCN from the LNS on the wire" ||
			hres wire-quit FAIL "CDN from the LNS: $cdn, StopCCN: $stop"
		;;
	esac
	case ",$tests," in
	*,cdn,*)
		local cdn
		cdn=$(ts -Y "ip.src==$GUEST_IP && l2tp.avp.message_type==14" | wc -l)
		[ "$cdn" -ge 1 ] && hres wire-cdn PASS "CDN from xl2tpd on the wire ($cdn)" ||
			hres wire-cdn FAIL "no CDN from xl2tpd in the capture"
		;;
	esac
	case ",$tests," in
	*,badsecret,*)
		local stop
		stop=$(ts -Y "ip.src==$LNS_IP && udp.dstport==1711 && l2tp.avp.message_type==4" | wc -l)
		local up
		up=$(ts -Y "udp.port==1711 && l2tp.avp.message_type==12" | wc -l)
		[ "$stop" -ge 1 ] && [ "$up" = 0 ] &&
			hres lns-badsecret PASS "StopCCN from the LNS to the wrong-secret tunnel, no ICCN on it" ||
			hres lns-badsecret FAIL "StopCCN from the LNS to port 1711: $stop, ICCN on it: $up; log: $(grep -iE 'challenge|auth|secret' "$log" | tail -2 | tr '\n' '|')"
		;;
	esac
	case ",$tests," in
	*,hidden,*)
		# xl2tpd 1.3.18 accepts "hidden bit = yes" but hides nothing it sends
		# (it only decodes hidden AVPs): then there is nothing to test here.
		local hid
		hid=$(ts -Y "udp.srcport==1713 && l2tp.avp.hidden==1" | wc -l)
		local from
		from=$(ts -Y "udp.srcport==1713 && l2tp.avp.message_type" | wc -l)
		if [ "$hid" -ge 1 ]; then
			grep -q "user=bob session up" "$log" &&
				hres hidden PASS "$hid messages from xl2tpd with hidden AVPs, session up" ||
				hres hidden FAIL "$hid messages from xl2tpd with hidden AVPs, no session"
		else
			hres hidden SKIP "xl2tpd sent $from control messages, none with a hidden AVP (hidden bit = yes is not implemented for sending in $(xl2tpd -v 2>&1 | sed -n 's/.*version: *//p' | head -1))"
		fi
		;;
	esac
	local tot
	tot=$(ts | wc -l)
	local mal
	mal=$(ts -Y '_ws.malformed' | wc -l)
	local err
	err=$(ts -Y '_ws.expert.severity == "Error"' | wc -l)
	[ "$tot" -gt 0 ] && [ "$mal" = 0 ] && [ "$err" = 0 ] &&
		hres "$name-tshark" PASS "$tot frames, zero malformed, zero expert errors" ||
		hres "$name-tshark" FAIL "$tot frames, $mal malformed, $err expert errors"
	kill "$lns" 2>/dev/null
	for n in "$L" "$N" "$H"; do
		ip netns pids "$n" 2>/dev/null | xargs -r kill -9 2>/dev/null
		ip netns del "$n" 2>/dev/null
	done
}

# expected GUEST_SCENARIOS: every one must have printed a PASS line.
t0=$SECONDS
echo "interop: xl2tpd + pppd in a qemu guest against $BIN/l2tpns"
IMTU=1400 boot pap pap,mtu,echo,cdn 300 &
b1=$!
PIDS+=("$b1")
{
	# pppd sends no LCP Echo-Request here: the LNS's own (every 5 s) must be seen
	IECHOINT=0 boot chap chap,lnsecho,quit 180 'set radius_authtypes "chap,pap"' 'set echo_timeout 5' ${INTEROP_CHAP_EXTRA:+"$INTEROP_CHAP_EXTRA"}
	boot secret badsecret,secret,hidden 240 "set l2tp_secret \"$SECRET\"" 'set radius_authtypes "chap,pap"'
} &
b2=$!
PIDS+=("$b2")
wait "$b1" "$b2"

pass=0 fail=0 skipped=0
expect() { # expect BOOT SCENARIO...
	local b=$1 s line
	shift
	[ -d "$WORK/$b" ] || return 0 # not run (INTEROP_ONLY)
	for s in "$@"; do
		line=$(grep -h "^IT RESULT $s " "$WORK/$b/console.log" "$WORK/$b/host.results" 2>/dev/null | head -1 | tr -d '\r')
		if [ -z "$line" ]; then
			echo "  FAIL $b/$s: no result"
			fail=$((fail + 1))
		elif [[ "$line" == "IT RESULT $s SKIP"* ]]; then
			echo "  skip $b/$s: ${line#IT RESULT $s SKIP }"
			skipped=$((skipped + 1))
		elif [[ "$line" == "IT RESULT $s PASS"* ]]; then
			echo "  ok   $b/$s: ${line#IT RESULT $s PASS }"
			pass=$((pass + 1))
		else
			echo "  FAIL $b/$s: ${line#IT RESULT $s FAIL }"
			fail=$((fail + 1))
		fi
	done
	# any other failure reported by the boot (setup, timeouts)
	grep -h " FAIL " "$WORK/$b/host.results" 2>/dev/null | grep -vE "RESULT ($(IFS='|'; echo "$*")) " |
		while read -r l; do echo "  FAIL $b: ${l#IT RESULT }"; done
	grep -h "guest ran" "$WORK/$b/host.results" 2>/dev/null
}
expect pap pap mtu echo cdn lns-cdn wire-cdn pap-tshark
expect chap chap lnsecho quit lns-quit wire-quit chap-tshark
expect secret badsecret lns-badsecret secret tunnel2 hidden two secret-tshark
extra=$(grep -h " FAIL " "$WORK"/*/host.results 2>/dev/null | grep -cE "RESULT (setup|lns-start|[a-z]*-boot) ")
fail=$((fail + extra))
if [ "$fail" -gt 0 ]; then
	for b in pap chap secret; do
		grep -qs "^IT RESULT [^ ]* FAIL" "$WORK/$b/console.log" "$WORK/$b/host.results" || continue
		echo "  --- $b: console (IT lines) and LNS log tail"
		grep -a '^IT ' "$WORK/$b/console.log" 2>/dev/null | grep -v RESULT | tail -30 | sed 's/^/    /'
		tail -15 "$WORK/$b/l2tpns.log" 2>/dev/null | sed 's/^/    /'
	done
fi
echo "interop: $((SECONDS - t0)) s"
echo "interop $pass $fail" >>"$ROOT/$BUILD/results"
echo "$pass passed, $fail failed, $skipped skipped"
[ "$fail" = 0 ]
