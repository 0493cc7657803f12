#!/usr/bin/env bash
# The CLI never stalls the data plane (issue 7): forwarding rate, set-up rate
# and socket drops of our l2tpns with SESSIONS sessions up, measured in
# windows without CLI work, while clients repeat `show session` (listing
# every session) and while slow telnet clients stop reading in the middle of
# a listing. Prints per-window figures, medians, spread and the ratio; the
# target is forwarding within 10% of the rate without CLI work.
# Not a test: it fails only when it cannot measure. Needs root.
#
#   tools/bench/cli_stall.sh BUILD_DIR      (called by tools/bench/run.sh)
#   env: CLI_BENCH_SESSIONS=100000 sessions held during the measurement,
#        CLI_BENCH_SECS=3 window, CLI_BENCH_REPS=5 windows per condition,
#        CLI_BENCH_PPS=100000 offered rate of the paced run,
#        CLI_BENCH_MODES="paced max" (max: offered far above what the LNS takes),
#        BENCH_PIN=0 no CPU pinning.
#
# Topology (tests/sim/lib.sh): lac ns (lacsim: SESSIONS idle sessions over 100
# tunnels; 4 data sessions sending 64-byte UDP into a blackhole route behind
# tun0; 200 control set-ups per window) --veth-- lns ns (l2tpns, pinned to
# CPU 0; the CLI clients on 127.0.0.1, pinned with the generators to CPU 1).
# Forwarded = tun0 rx_packets (packets the LNS wrote into the TUN); offered =
# the LAC's eth0 tx_packets; drops = UdpRcvbufErrors in the LNS namespace (a
# stalled LNS lets its UDP socket overflow).
# Conditions, interleaved within each repetition so that drift in the
# machine's other load hits all of them alike:
#   base   no CLI connection doing anything
#   list   one client repeating `show session` (SESSIONS+ rows each), reading
#          as fast as it can
#   stall  three clients that send `show session` and never read
set -u
BUILD=${1:-build}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT" || exit 1
export BUILD
N=${CLI_BENCH_SESSIONS:-100000}
SECS=${CLI_BENCH_SECS:-3}
REPS=${CLI_BENCH_REPS:-5}
PPS=${CLI_BENCH_PPS:-100000}
MODES=${CLI_BENCH_MODES:-paced max}
OUTDIR=$ROOT/build/bench
RESULTS=$OUTDIR/cli_stall.txt
LOAD=$ROOT/tools/bench/cli_load.py
mkdir -p "$OUTDIR"

if [ "$(id -u)" != 0 ]; then
	echo "cli_stall: needs root (network namespaces)" >&2
	exit 1
fi
. tests/sim/lib.sh
for b in "$BIN/l2tpns" "$BIN/lacsim"; do
	[ -x "$b" ] || { echo "cli_stall: $b missing" >&2; exit 1; }
done
PIN_LNS=() PIN_GEN=()
if [ "${BENCH_PIN:-1}" = 1 ] && [ "$(nproc)" -ge 2 ] && command -v taskset >/dev/null; then
	PIN_LNS=(taskset -c 0) PIN_GEN=(taskset -c 1)
	taskset -pc 1 $$ >/dev/null
fi
BLACKHOLE=10.$X.3.3
HZ=$(getconf CLK_TCK)
LNS_PID=

sim_setup
trap 'exit 130' INT TERM HUP PIPE
nlns ip route add blackhole "$BLACKHOLE/32"

log() { echo "$*" | tee -a "$RESULTS.tmp"; }
: >"$RESULTS.tmp"

SIM_USERS=$N sim_config "set max_sessions $((N + N / 5 + 1000))" "set max_tunnels 2000" \
	"set bind_address $LNS_IP" "set cli_bind_address 127.0.0.1"
sed -i 's/^set debug 3/set debug 2/' "$SIM_DIR/startup-config"
echo 198.18.0.0/15 >"$SIM_DIR/ip_pool"
{ for i in $(seq 1 8); do echo "data$i secret"; done
  for i in $(seq 1 400); do echo "ctl$i secret"; done; } >>"$SIM_DIR/ppp-users"

"${PIN_LNS[@]}" ip netns exec "$NS_LNS" "$BIN/l2tpns" -c "$SIM_DIR/startup-config" >"$SIM_DIR/l2tpns.out" 2>&1 &
LNS_PID=$!
SIM_PIDS+=("$LNS_PID")
for _ in $(seq 1 100); do
	nlns ss -ltn 2>/dev/null | grep -q '127.0.0.1:23 ' && break
	sleep 0.1
done
nlns ss -ltn | grep -q '127.0.0.1:23 ' || { echo "cli_stall: l2tpns did not start"; tail "$SIM_DIR/l2tpns.out"; exit 1; }

log "CLI stall benchmark, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc --all) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
log "  $N sessions; windows of $SECS s; $REPS windows per condition; LNS on CPU 0, generators and CLI clients on CPU 1 (BENCH_PIN=${BENCH_PIN:-1})"

# ---- SESSIONS idle sessions --------------------------------------------------
t0=$(date +%s.%N)
"${PIN_GEN[@]}" ip netns exec "$NS_LAC" "$BIN/lacsim" -s "$LNS_IP" -b "$LAC_IP" -t 100 -n $((N / 100)) \
	-u 'user%d' -p secret --hold 3600 --timeout 600 >"$SIM_DIR/big.out" 2>"$SIM_DIR/big.err" &
BIGP=$!
SIM_PIDS+=("$BIGP")
for _ in $(seq 1 6000); do
	grep -q "sessions up $N/$N" "$SIM_DIR/big.err" 2>/dev/null && break
	kill -0 "$BIGP" 2>/dev/null || break
	sleep 0.1
done
if ! grep -q "sessions up $N/$N" "$SIM_DIR/big.err"; then
	log "cli_stall: the $N sessions did not come up:"; tail -3 "$SIM_DIR/big.err" | tee -a "$RESULTS.tmp"
	exit 1
fi
log "  $N sessions up in $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s;" \
	"LNS VmRSS $(awk '/^VmRSS/ { print $2 }' "/proc/$LNS_PID/status") kB"
# one listing, to know its size and how long it takes alone
log "  a single show session alone: $("${PIN_GEN[@]}" ip netns exec "$NS_LNS" python3 - "$LOAD" <<'PY'
import subprocess, sys, time, socket
sys.path.insert(0, sys.argv[1].rsplit("/", 1)[0])
import cli_load as c
s = c.connect("127.0.0.1", 23); c.wait_prompt(s, time.time() + 10)
t = time.time(); s.sendall(b"show session\r\n"); d, ok = c.wait_prompt(s, time.time() + 120)
print("%d lines, %d bytes in %.2f s%s" % (d.count(b"\n"), len(d), time.time() - t, "" if ok else " (INCOMPLETE)"))
PY
)"

# ---- measurement --------------------------------------------------------------
tundev() { ip -n "$NS_LNS" -o link show type tun | awk -F': ' 'NR == 1 { sub(/@.*/, "", $2); print $2 }'; }
nsstat() { ip netns exec "$1" cat "/sys/class/net/$2/statistics/$3"; }
rcvbuf_errors() {
	ip netns exec "$NS_LNS" awk '/^Udp:/ { if (!h) { split($0, k); h = 1 } else {
		for (i = 2; i <= NF; i++) if (k[i] == "RcvbufErrors") print $i } }' /proc/net/snmp
}
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
TUN=$(tundev)
sample() {
	echo "$(date +%s.%N) $(nsstat "$NS_LNS" "$TUN" rx_packets) $(nsstat "$NS_LAC" eth0 tx_packets)" \
		"$(rcvbuf_errors) $(cpu_ticks "$LNS_PID")" \
		"$(awk '$1 == "cpu0" { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat)"
}

declare -A V	# V[mode,cond] = "pps pps ..."; D = drops; C = set-up rates; O = offered
# window MODE COND: one measurement window with COND's CLI load running
window() {
	local mode=$1 cond=$2 a b pids=() ctl=$SIM_DIR/ctl-$1-$2-$RANDOM.json clo=$SIM_DIR/clo-$1-$2-$RANDOM
	case $cond in
	list) "${PIN_GEN[@]}" ip netns exec "$NS_LNS" python3 "$LOAD" 127.0.0.1 23 loop $((SECS + 1)) >"$clo" 2>&1 &
	      pids+=("$!");;
	stall) for k in 1 2 3; do
		"${PIN_GEN[@]}" ip netns exec "$NS_LNS" python3 "$LOAD" 127.0.0.1 23 stall $((SECS + 1)) >>"$clo" 2>&1 &
		pids+=("$!")
	       done;;
	esac
	sleep 0.5
	a=$(sample)
	# control traffic in the window: 200 sessions set up and torn down
	"${PIN_GEN[@]}" ip netns exec "$NS_LAC" "$BIN/lacsim" -s "$LNS_IP" -b "$LAC_IP" -t 2 -n 100 -u 'ctl%d' \
		-p secret --timeout 60 --json >"$ctl" 2>/dev/null &
	local cp=$!
	sleep "$SECS"
	b=$(sample)
	wait "$cp"
	[ ${#pids[@]} -gt 0 ] && wait "${pids[@]}" 2>/dev/null
	read -r pps off drops cpu eff core0 < <(awk -v a="$a" -v b="$b" -v h="$HZ" 'BEGIN { split(a, x, " ")
		split(b, y, " "); dt = y[1] - x[1]; c = (y[5] - x[5]) / h
		printf "%.0f %.0f %.0f %.2f %.0f %.2f\n", (y[2] - x[2]) / dt, (y[3] - x[3]) / dt,
		y[4] - x[4], c / dt, (c > 0 ? (y[2] - x[2]) / c : 0), (y[6] - x[6]) / h / dt }')
	local rate up
	rate=$(python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(d.get('setup_rate', 0))" "$ctl" 2>/dev/null)
	up=$(python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(d.get('up', 0))" "$ctl" 2>/dev/null)
	V[$mode,$cond]+="$pps "
	E[$mode,$cond]+="$eff "
	D[$mode,$cond]=$(( ${D[$mode,$cond]:-0} + drops ))
	C[$mode,$cond]+="${rate:-0} "
	log "  $mode $cond: offered $off pps, forwarded $pps pps, LNS CPU $cpu (CPU 0 busy $core0, all tasks)" \
		"= $eff pkts per LNS CPU-s, UDP socket drops $drops;" \
		"control: ${up:-0}/200 set up at ${rate:-?}/s$( [ -s "$clo" ] && printf '; clients: %s' "$(tr '\n' ' ' <"$clo")")"
}
declare -A D C E

stats() { # values... -> "median min max spread%"
	printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { m = v[int((NR + 1) / 2)]
		printf "%s %s %s %.1f\n", m, v[1], v[NR], (m > 0 ? (v[NR] - v[1]) * 100 / m : 0) }'
}

verdicts=()
for mode in $MODES; do
	rate=$([ "$mode" = max ] && echo 5000000 || echo "$PPS")
	# a window takes SECS + 4 s and more on a loaded machine: generous, the
	# generator is stopped when the windows are done
	total=$((REPS * 3 * (SECS + 10) + 60))
	"${PIN_GEN[@]}" ip netns exec "$NS_LAC" "$BIN/lacsim" -s "$LNS_IP" -b "$LAC_IP" -t 1 -n 4 -u 'data%d' -p secret \
		--data-to "$BLACKHOLE:9000" --pps "$rate" --size 64 --duration "$total" --max-loss 100 \
		--timeout 60 --json >"$SIM_DIR/data-$mode.json" 2>"$SIM_DIR/data-$mode.err" &
	DP=$!
	SIM_PIDS+=("$DP")
	a=$(nsstat "$NS_LNS" "$TUN" rx_packets)
	for _ in $(seq 1 200); do
		sleep 0.1
		[ "$(nsstat "$NS_LNS" "$TUN" rx_packets)" -gt $((a + 1000)) ] && break
	done
	log ""
	log "== $mode: 4 data sessions offering $([ "$mode" = max ] && echo "as much as lacsim can" || echo "$rate pps"), 64-byte UDP =="
	sleep 1
	for r in $(seq 1 "$REPS"); do
		for cond in base list stall; do window "$mode" "$cond"; done
	done
	kill -INT "$DP" 2>/dev/null
	wait "$DP"
	read -r bm bl bh bs < <(stats ${V[$mode,base]})
	read -r be _ < <(stats ${E[$mode,base]})
	log "  $mode summary (median, range, spread = range / median):"
	for cond in base list stall; do
		read -r m lo hi sp < <(stats ${V[$mode,$cond]})
		read -r cm clo chi csp < <(stats ${C[$mode,$cond]})
		read -r em elo ehi esp < <(stats ${E[$mode,$cond]})
		epct=$(awk -v m="$em" -v b="$be" 'BEGIN { printf "%.1f", (b > 0 ? m * 100 / b : 0) }')
		pct=$(awk -v m="$m" -v b="$bm" 'BEGIN { printf "%.1f", (b > 0 ? m * 100 / b : 0) }')
		log "$(printf '    %-6s forwarded %8s pps (%s..%s, spread %s%%) = %6s%% of base; socket drops %s; control set-up %s/s (%s..%s)' \
			"$cond" "$m" "$lo" "$hi" "$sp" "$pct" "${D[$mode,$cond]}" "$cm" "$clo" "$chi")"
		log "$(printf '    %-6s %8s pkts per LNS CPU-s (%s..%s, spread %s%%) = %6s%% of base' \
			"" "$em" "$elo" "$ehi" "$esp" "$epct")"
		[ "$cond" = base ] && continue
		ok=$(awk -v p="$pct" 'BEGIN { print (p >= 90 ? "met" : "NOT met") }')
		verdicts+=("$(printf '  %-62s %s (%s%% of %s pps)' "$mode: forwarding during $cond within 10% of base" "$ok" "$pct" "$bm")")
		ok=$(awk -v p="$epct" 'BEGIN { print (p >= 90 ? "met" : "NOT met") }')
		verdicts+=("$(printf '  %-62s %s (%s%% of %s)' "$mode: pkts per LNS CPU-s during $cond within 10% of base" "$ok" "$epct" "$be")")
	done
done
log ""
log "the daemon's share of the listings (paced slices, show counters):"
ip netns exec "$NS_LNS" python3 "$ROOT/tests/sim/cli_client.py" 127.0.0.1 23 "show counters" 2>/dev/null |
	grep -E '^cli_' | sed 's/^/  /' | tee -a "$RESULTS.tmp"
log "(the forwarding figures depend on how much CPU the machine's other work leaves the LNS;"
log " pkts per LNS CPU-s does not: a CLI that made the daemon work or wait would lower it)"
log ""
log "targets:"
for v in "${verdicts[@]}"; do log "$v"; done
kill -INT "$BIGP" 2>/dev/null
wait "$BIGP" 2>/dev/null
mv "$RESULTS.tmp" "$RESULTS"
echo "figures written to $RESULTS"
