#!/usr/bin/env bash
# IPv6 through the LNS, end to end: with `set ipv6_prefix 2001:db8:1::` every
# session negotiates IPV6CP (RFC 5072), receives a valid Router Advertisement
# for the /64 (RFC 4861; lacsim checks hop limit, link-local source,
# checksum, Prefix Information /64 with A) and autoconfigures prefix::ifid;
# the LNS answers Router Solicitations; the host pings every session's
# global address through the LNS (downstream by destination, the reply
# upstream); UDP over IPv6 goes to udpecho and back; and the LNS forwards
# IPv6 from a session only with source prefix::<its agreed identifier>: a
# frame with another session's address or an address outside the prefix,
# injected on the tunnel's real address and port, reaches nobody, the same
# frame with the right source does. Router Solicitations are answered as
# RFC 4861 §6.1.1/§6.2.6 say. A zero Interface-Identifier is Nak'd with a
# usable one. A LAC without IPv6 Protocol-Rejects IPV6CP and still comes up.
# Topology: see lib.sh, plus IPv6 on the right:
#
#   lac (lacsim) --veth-- lns (l2tpns, tun0 fe80::1 2001:db8:1::1/64)
#                         eth1 2001:db8:2::1/64 --veth-- host eth0 2001:db8:2::2/64
#                                                        (udpecho, ping, listener)
set -u
. "$(dirname "$0")/lib.sh"

H6=2001:db8:2::2
# the system interpreter when there is one: a version manager's shim costs
# a few hundred milliseconds per call
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3
sim_setup
# nodad: the addresses are usable at once, not tentative for a second
nlns ip -6 addr add 2001:db8:2::1/64 dev eth1 nodad
nhost ip -6 addr add "$H6/64" dev eth0 nodad
nhost ip -6 route add 2001:db8:1::/64 via 2001:db8:2::1
nlns sysctl -qw net.ipv6.conf.all.forwarding=1
SIM_USERS=30 sim_config "set ipv6_prefix 2001:db8:1::"
sim_start_lns || exit 1
ip netns exec "$NS_HOST" "$BIN/udpecho" -b "$H6" -p 9000 >"$SIM_DIR/udpecho.log" 2>&1 &
SIM_PIDS+=("$!")
ip netns exec "$NS_HOST" "$PY" -c "
import socket
s=socket.socket(socket.AF_INET6,socket.SOCK_DGRAM); s.bind(('$H6',9998)); s.settimeout(60)
while True:
    d,a=s.recvfrom(2048); print(a[0], d.decode(errors='replace'), flush=True)
" >"$SIM_DIR/listener.log" 2>&1 &
SIM_PIDS+=("$!")
# jset NAME FILE: NAME_key=value for every number of lacsim's JSON report
# (nested objects as NAME_data_key), one interpreter start per report
jset() {
	eval "$("$PY" - "$1" "$2" <<'EOF'
import json, sys
def out(pre, o):
    for k, v in o.items():
        if isinstance(v, dict):
            out(pre + k + "_", v)
        elif isinstance(v, (int, float)) and not isinstance(v, bool):
            print("%s%s=%s" % (pre, k, v))
try:
    out(sys.argv[1] + "_", json.load(open(sys.argv[2])))
except (OSError, ValueError):
    pass
EOF
)"
}

# ---- 10 sessions held up, each soliciting an RA as IPV6CP opens -------------
ip netns exec "$NS_LAC" "$BIN/lacsim" -s "$LNS_IP" -t 2 -n 5 -u 'user%d' -p secret \
	--ipv6 --rs --hold 30 --timeout 15 --json -v >"$SIM_DIR/lacsim1.json" 2>"$SIM_DIR/lacsim1.err" &
LAC1=$!
SIM_PIDS+=("$LAC1")
for _ in $(seq 1 100); do
	[ "$(grep -c ' up addr=.* addr6=2001:db8:1:' "$SIM_DIR/lacsim1.err")" -ge 10 ] && break
	kill -0 "$LAC1" 2>/dev/null || break
	sleep 0.1
done
check "10 sessions up with a global address from the RA" \
	test "$(grep -c ' up addr=.* addr6=2001:db8:1:' "$SIM_DIR/lacsim1.err")" = 10
check "the LNS logged IPV6CP up for each" test "$(grep -c 'ipv6 up' "$SIM_DIR/l2tpns.log")" = 10
mapfile -t addrs < <(sed -n 's/.* addr6=\([0-9a-f:]*\)$/\1/p' "$SIM_DIR/lacsim1.err")
check "10 distinct global addresses in 2001:db8:1::/64" \
	test "$(printf '%s\n' "${addrs[@]}" | grep '^2001:db8:1:' | sort -u | wc -l)" = 10

# ping6 from the host: the Echo-Request goes down by destination prefix::ifid,
# the Reply comes up with that address as its source
pinged=0
for a in "${addrs[@]}"; do
	nhost ping -6 -c 1 -W 2 "$a" >/dev/null 2>&1 && pinged=$((pinged + 1))
done
check "the host pings every session's global address through the LNS ($pinged/10)" \
	test "$pinged" = 10
check "5 of 5 ping6 replies from one session" \
	bash -c "ip netns exec $NS_HOST ping -6 -c 5 -i 0.2 -W 2 ${addrs[0]} | grep -q ' 5 received'"
check "an address in the prefix with no session does not answer" \
	bash -c "! ip netns exec $NS_HOST ping -6 -c 1 -W 1 2001:db8:1::dead >/dev/null 2>&1"

# anti-spoofing: one live session, its tunnel's source port, and frames from it
line=$(grep -m1 ' up addr=.* addr6=' "$SIM_DIR/lacsim1.err")
tid=$(sed 's/.* ptid=\([0-9]*\).*/\1/' <<<"$line")
sid=$(sed 's/.* psid=\([0-9]*\).*/\1/' <<<"$line")
me=$(sed 's/.* addr6=\([0-9a-f:]*\)$/\1/' <<<"$line")
other=${addrs[1]}
port=$(grep "tid=$tid SCCRQ from" "$SIM_DIR/l2tpns.log" | tail -1 | sed 's/.*:\([0-9]*\) host.*/\1/')
# the LNS's own count of what it dropped as spoofed (telnet CLI, local)
spoofed() {
	ip netns exec "$NS_LNS" "$PY" "$ROOT/tests/sim/cli_client.py" 127.0.0.1 23 "show counters" |
		sed -n 's/^data_spoofed  *\([0-9]*\)$/\1/p'
}
sp0=$(spoofed)
inj() { nlac "$PY" "$(dirname "$0")/inject6.py" "$LAC_IP" "$port" "$LNS_IP" "$tid" "$sid" "$1" "$H6" 9998 "$2" >/dev/null; }
inj "$other" spoof-other-ifid
inj 2001:db8:99::1 spoof-outside-prefix
ll=$("$PY" -c "import ipaddress,sys; print(ipaddress.IPv6Address(0xfe80 << 112 | int(ipaddress.IPv6Address(sys.argv[1])) & (1 << 64) - 1))" "$me")
inj "$ll" spoof-link-local
sleep 0.5
check "IPv6 with another session's address as source is not forwarded" \
	bash -c "! grep -q spoof-other-ifid $SIM_DIR/listener.log"
check "IPv6 with a source outside the prefix is not forwarded" \
	bash -c "! grep -q spoof-outside-prefix $SIM_DIR/listener.log"
check "IPv6 with the link-local source is not forwarded" \
	bash -c "! grep -q spoof-link-local $SIM_DIR/listener.log"
sp1=$(spoofed)
check "the LNS counted the 3 frames as spoofed (data_spoofed ${sp0:-?} -> ${sp1:-?})" \
	test "${sp1:-x}" = "$((${sp0:-0} + 3))"
inj "$me" right-source
sleep 0.5
check "the same frame with the session's own address is forwarded (port $port)" \
	grep -qx "$me right-source" "$SIM_DIR/listener.log"

# Router Solicitations from the session (RFC 4861 §6.1.1, §6.2.6): one that
# crossed a router (hop limit 254) or is damaged is ignored; one from the unspecified
# address is answered, to all-nodes ff02::1 (unicast to :: is impossible)
n=$(sed 's/.* n=\([0-9]*\) .*/\1/' <<<"$line")
ras() { grep -c " n=$n RA ok" "$SIM_DIR/lacsim1.err"; }
ra0=$(ras)
nlac "$PY" "$(dirname "$0")/inject6.py" --rs 254 "$LAC_IP" "$port" "$LNS_IP" "$tid" "$sid" "$ll" >/dev/null
sleep 0.5
check "a Router Solicitation with hop limit 254 gets no RA" test "$(ras)" = "$ra0"
nlac "$PY" "$(dirname "$0")/inject6.py" --rs 255 "$LAC_IP" "$port" "$LNS_IP" "$tid" "$sid" "$ll" badsum >/dev/null
sleep 0.5
check "a Router Solicitation with a bad ICMPv6 checksum gets no RA (RFC 4861 §6.1.1)" \
	test "$(ras)" = "$ra0"
nlac "$PY" "$(dirname "$0")/inject6.py" --rs 255 "$LAC_IP" "$port" "$LNS_IP" "$tid" "$sid" :: >/dev/null
sleep 0.5
check "a Router Solicitation from :: is answered to ff02::1 (RFC 4861 §6.2.6)" \
	grep -q " n=$n RA ok dst=ff02::1 " "$SIM_DIR/lacsim1.err"
check "nothing reached the subscriber for an address it does not have" \
	bash -c "! grep -q ' n=$n IPv6 packet not for us' $SIM_DIR/lacsim1.err"

kill -INT "$LAC1"
wait "$LAC1"
check "lacsim (hold) exit status 0" test $? = 0
jset J1 "$SIM_DIR/lacsim1.json"
check "IPV6CP opened on all 10 sessions" test "${J1_ipv6_up:-}" = 10
check "all 10 accepted a Router Advertisement, none refused" \
	test "${J1_ra_ok:-},${J1_ra_bad:-}" = 10,0
check "every session's RS answered: 10 RS sent, ${J1_ra_rx:-?} valid RAs (>= 20)" \
	test "${J1_rs_tx:-}" = 10 -a "${J1_ra_rx:-0}" -ge 20
check "lacsim answered every Echo-Request (15)" test "${J1_icmp6_echoes:-}" = 15

# ---- UDP over IPv6 to udpecho and back; the unsolicited RA is enough ---------
nlac "$BIN/lacsim" -s "$LNS_IP" -t 1 -n 10 -u 'user%d' -p secret \
	--data-to6 "[$H6]:9000" --pps 1000 --size 100 --duration 2 --json \
	>"$SIM_DIR/lacsim2.json" 2>"$SIM_DIR/lacsim2.err"
check "lacsim (UDP over IPv6) exit status 0" test $? = 0
jset J2 "$SIM_DIR/lacsim2.json"
check "10 sessions up, each with an RA sent as IPV6CP opened (no RS needed)" \
	test "${J2_up:-},${J2_ra_ok:-},${J2_rs_tx:-}" = 10,10,0
check "every session verified its own UDP echoes over IPv6" \
	test "${J2_data_sessions_verified:-}" = 10
check "no IPv6 data lost (${J2_data_tx_pkts:-?} sent)" \
	test "${J2_data_rx_pkts:-x}" = "${J2_data_tx_pkts:-y}"

# ---- Interface-Identifier 0 asks the LNS for one (RFC 5072 §4.1) -----------
nlac "$BIN/lacsim" -s "$LNS_IP" -t 1 -n 2 -u 'user%d' -p secret --ipv6 --ifid0 --json -v \
	>"$SIM_DIR/lacsim4.json" 2>"$SIM_DIR/lacsim4.err"
J4=$SIM_DIR/lacsim4.json
jset J4 "$J4"
check "identifier 0 proposed: the LNS Naks one, both sessions take it and come up" \
	test "${J4_up:-},${J4_ra_ok:-}" = 2,2
check "the Nak'd identifiers are non-zero and differ" \
	"$PY" -c "import json,ipaddress; a=[int(ipaddress.IPv6Address(x)) & (1 << 64) - 1 for x in json.load(open('$J4'))['addrs6']]; assert len(a) == 2 and 0 not in a and a[0] != a[1]"

# ---- a LAC without IPv6 ------------------------------------------------------
nlac "$BIN/lacsim" -s "$LNS_IP" -t 1 -n 2 -u 'user%d' -p secret --json \
	>"$SIM_DIR/lacsim3.json" 2>"$SIM_DIR/lacsim3.err"
jset J3 "$SIM_DIR/lacsim3.json"
check "without --ipv6: IPV6CP Protocol-Rejected, sessions still up" \
	test "${J3_up:-},${J3_control_proto_rejects:-}" = 2,2
sim_done
