# Shared topology for tests/sim scenarios. Source it, then call sim_setup.
#
#   +-----------+  veth 10.X.1.0/24   +--------------------+  veth 10.X.2.0/24  +-----------+
#   | lac-$$    |---------------------| lns-$$   tun0      |--------------------| host-$$   |
#   | 10.X.1.1  |        UDP 1701     | 10.X.1.2  1.1.1.1  |                    | 10.X.2.2  |
#   | lacsim,   |                     | 10.X.2.1  l2tpns   |                    | udpecho,  |
#   | scapy     |                     | pool 100.X.0.0/20  |                    | ping      |
#   +-----------+                     +--------------------+                    +-----------+
#
# X is derived from the PID so that parallel runs do not collide. Everything
# created here is removed by sim_cleanup (installed as an EXIT trap).

set -u
BUILD=${BUILD:-build}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BIN=$ROOT/$BUILD/bin
[ -x "$BIN/l2tpns" ] || BIN=$ROOT/build/bin

SIM_ID=$$
X=$((SIM_ID % 200 + 20))
NS_LAC=lac-$SIM_ID
NS_LNS=lns-$SIM_ID
NS_HOST=host-$SIM_ID
LAC_IP=10.$X.1.1
LNS_IP=10.$X.1.2
LNS_HOST_IP=10.$X.2.1
HOST_IP=10.$X.2.2
POOL=100.$X.0.0/20
SIM_DIR=$(mktemp -d /tmp/l2tpns-sim.XXXXXX)
SIM_PIDS=()
fails=0
checks=0

nlac() { ip netns exec "$NS_LAC" "$@"; }
nlns() { ip netns exec "$NS_LNS" "$@"; }
nhost() { ip netns exec "$NS_HOST" "$@"; }

# Background processes are started with `ip netns exec` directly (not through
# the n* functions) so that $! is the process itself, which signals reach.
sim_cleanup() {
	for p in "${SIM_PIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null; done
	sleep 0.2
	for n in "$NS_LAC" "$NS_LNS" "$NS_HOST"; do
		ip netns pids "$n" 2>/dev/null | xargs -r kill -9 2>/dev/null
		ip netns del "$n" 2>/dev/null
	done
	if [ "${SIM_KEEP:-}" = 1 ]; then echo "  (kept $SIM_DIR)"; else rm -rf "$SIM_DIR"; fi
}

sim_require() {
	if [ "$(id -u)" != 0 ] || ! ip netns add "probe-$SIM_ID" 2>/dev/null; then
		echo "  SKIP: needs root and network namespaces"
		exit 0
	fi
	ip netns del "probe-$SIM_ID"
}

sim_setup() {
	sim_require
	trap sim_cleanup EXIT
	ip netns add "$NS_LAC"
	ip netns add "$NS_LNS"
	ip netns add "$NS_HOST"
	ip link add "la$SIM_ID" type veth peer name "ln$SIM_ID"
	ip link set "la$SIM_ID" netns "$NS_LAC" name eth0
	ip link set "ln$SIM_ID" netns "$NS_LNS" name eth0
	ip link add "lh$SIM_ID" type veth peer name "ho$SIM_ID"
	ip link set "lh$SIM_ID" netns "$NS_LNS" name eth1
	ip link set "ho$SIM_ID" netns "$NS_HOST" name eth0
	nlac ip addr add "$LAC_IP/24" dev eth0
	nlns ip addr add "$LNS_IP/24" dev eth0
	nlns ip addr add "$LNS_HOST_IP/24" dev eth1
	nhost ip addr add "$HOST_IP/24" dev eth0
	for n in "$NS_LAC" "$NS_LNS" "$NS_HOST"; do
		ip -n "$n" link set lo up
		ip -n "$n" link set eth0 up
	done
	nlns ip link set eth1 up
	nhost ip route add 100.$X.0.0/16 via "$LNS_HOST_IP"
	nlns sysctl -qw net.ipv4.ip_forward=1
}

# sim_config [extra startup-config lines...]: a config with local users.
sim_config() {
	cat >"$SIM_DIR/startup-config" <<EOF
set debug 3
set log_file "$SIM_DIR/l2tpns.log"
set pid_file "$SIM_DIR/l2tpns.pid"
set local_users_file "$SIM_DIR/ppp-users"
set primary_dns $HOST_IP
set max_sessions 20000
set max_tunnels 2000
EOF
	for l in "$@"; do echo "$l" >>"$SIM_DIR/startup-config"; done
	echo "$POOL" >"$SIM_DIR/ip_pool"
	: >"$SIM_DIR/ppp-users"
	for i in $(seq 1 ${SIM_USERS:-2000}); do echo "user$i secret"; done >"$SIM_DIR/ppp-users"
	echo "alice secret" >>"$SIM_DIR/ppp-users"
}

sim_start_lns() {
	ip netns exec "$NS_LNS" "$BIN/l2tpns" -c "$SIM_DIR/startup-config" "$@" \
		>"$SIM_DIR/l2tpns.out" 2>&1 &
	LNS_PID=$!
	SIM_PIDS+=("$LNS_PID")
	for _ in $(seq 1 50); do
		grep -q 'ready' "$SIM_DIR/l2tpns.log" 2>/dev/null && return 0
		kill -0 "$LNS_PID" 2>/dev/null || break
		sleep 0.1
	done
	echo "  l2tpns did not start:"
	cat "$SIM_DIR/l2tpns.out" "$SIM_DIR/l2tpns.log" 2>/dev/null | tail -20
	return 1
}

sim_capture() { # sim_capture FILE: capture L2TP on the LAC side
	CAP_FILE=$1
	ip netns exec "$NS_LAC" tcpdump -U -B 32768 -i eth0 -w "$1" udp port 1701 >"$1.log" 2>&1 &
	SIM_PIDS+=("$!")
	CAP_PID=$!
	sleep 0.5
}

sim_stop_capture() {
	# tcpdump drops what is still in its ring when signalled: let it drain
	sleep 1
	kill "$CAP_PID" 2>/dev/null
	wait "$CAP_PID" 2>/dev/null
	# a capture that lost packets cannot prove what was on the wire: say so
	if grep -q '[1-9][0-9]* packets dropped by kernel' "$CAP_FILE.log" 2>/dev/null; then
		echo "  note: $(grep 'dropped by kernel' "$CAP_FILE.log")"
	fi
}

check() { # check "description" command...
	local what=$1
	shift
	checks=$((checks + 1))
	if "$@"; then
		echo "  ok   $what"
	else
		echo "  FAIL $what"
		fails=$((fails + 1))
	fi
}

sim_done() {
	echo "  $((checks - fails)) of $checks checks passed"
	[ "$fails" -eq 0 ]
}
