#!/usr/bin/env bash
# The README's first command (`make demo`): the LNS on an embedded default
# configuration (local users, no RADIUS) in a network namespace, our LAC
# simulator dialling in 10 sessions, the live session table, a ping through
# one session, and a clean stop on Ctrl-C (SIGQUIT: CDN per session, StopCCN
# per tunnel). DEMO_SECONDS=N stops by itself after N seconds (used by tests).
#
#   lac (lacsim: 2 tunnels x 5 sessions) -- lns (l2tpns, tun0) -- host (udpecho, ping)
set -u
cd "$(dirname "$0")/.."
export BUILD=${BUILD:-build}
. tests/sim/lib.sh

sim_setup
sim_config
BIN=$ROOT/$BUILD/bin

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

say "l2tpns listening on $LNS_IP:1701 (namespace $NS_LNS), pool $POOL, local users"
ip netns exec "$NS_LNS" "$BIN/l2tpns" -c "$SIM_DIR/startup-config" -S 5 &
LNS_PID=$!
SIM_PIDS+=("$LNS_PID")
for _ in $(seq 1 50); do grep -q ready "$SIM_DIR/l2tpns.log" 2>/dev/null && break; sleep 0.1; done
ip netns exec "$NS_HOST" "$BIN/udpecho" -b "$HOST_IP" -p 9000 >/dev/null 2>&1 &
SIM_PIDS+=("$!")

say "lacsim dials 10 sessions (users user1..user10, PAP) and sends 20 UDP packets/s through them"
ip netns exec "$NS_LAC" "$BIN/lacsim" -s "$LNS_IP" -t 2 -n 5 -u 'user%d' -p secret \
	--data-to "$HOST_IP:9000" --pps 20 --size 64 --duration 100000 --forever \
	>"$SIM_DIR/lacsim.out" 2>&1 &
LAC_PID=$!
SIM_PIDS+=("$LAC_PID")
for _ in $(seq 1 100); do
	[ "$(grep -c 'session up' "$SIM_DIR/l2tpns.log")" -ge 10 ] && break
	sleep 0.1
done
grep 'session up' "$SIM_DIR/l2tpns.log" | sed 's/^[^ ]* [^ ]* [0-9] /  /'

stopping=0
stop() {
	[ "$stopping" = 1 ] && return
	stopping=1
	say "stopping: SIGQUIT to l2tpns (a CDN for every session, a StopCCN for every tunnel)"
	kill -QUIT "$LNS_PID" 2>/dev/null
	for _ in $(seq 1 100); do kill -0 "$LNS_PID" 2>/dev/null || break; sleep 0.1; done
	kill -INT "$LAC_PID" 2>/dev/null
	wait "$LAC_PID" 2>/dev/null
	grep -E 'shutting down|shutdown complete' "$SIM_DIR/l2tpns.log" | sed 's/^[^ ]* [^ ]* [0-9] /  /'
	tail -4 "$SIM_DIR/lacsim.out" | sed 's/^/  lacsim: /'
	exit 0
}
trap stop INT TERM

sip=$(grep 'session up' "$SIM_DIR/l2tpns.log" | head -1 | sed 's/.*ip=\([0-9.]*\).*/\1/')
user=$(grep 'session up' "$SIM_DIR/l2tpns.log" | head -1 | sed 's/.*user=\([^ ]*\).*/\1/')
say "ping from the host behind the LNS to $user at $sip, through its L2TP session"
ip netns exec "$NS_HOST" ping -c 3 -i 0.3 "$sip" | sed 's/^/  /'

say "live sessions (every 5 s); Ctrl-C stops"
end=$(( $(date +%s) + ${DEMO_SECONDS:-1000000000} ))
while [ "$(date +%s)" -lt "$end" ]; do sleep 1; done
stop
