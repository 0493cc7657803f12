#!/usr/bin/env bash
# make bench: our l2tpns against Debian's l2tpns 2.4.1 (the reference), both
# driven by the same LAC simulator (lacsim) in the same run, on this machine.
# Prints figures and a summary table; writes them to build/bench/results.txt.
# Not a test: it fails only when it cannot measure. Needs root (namespaces);
# installs l2tpns + freeradius on demand (tools/deps.sh bench).
#
#   tools/bench/run.sh BUILD_DIR      (make bench BUILD=...)
#   env: BENCH_SECS=5 measurement window per traffic run, BENCH_BIG=100000
#        sessions of the memory run, BENCH_SKIP_REF=1 ours only,
#        BENCH_SKIP_FWD=1 skip fwd_bench, BENCH_SKIP_CLI=1 skip the CLI stall
#        bench (tools/bench/cli_stall.sh, CLI_BENCH_* there), BENCH_SIZES="64 1372" payload
#        sizes of the traffic runs, BENCH_SKIP_SETUP=1 / BENCH_SKIP_BIG=1 skip
#        the set-up rate / the BIG-session memory run, BENCH_DIRS="up down"
#        the traffic directions, BENCH_NIC=1 GRO on the LNS's LAC link,
#        BENCH_SINK=blackhole the former upstream sink, BENCH_LAC_RPS=1 the
#        LAC's receive work on CPU 1 (see below) (for repeated traffic
#        runs: BENCH_SIZES=64 BENCH_SKIP_SETUP=1 BENCH_SKIP_BIG=1).
#
# Topology (tests/sim/lib.sh): lac ns (lacsim) --veth-- lns ns (the LNS under
# test, tun0; for the reference also br0 + FreeRADIUS on 127.0.0.1)
# --veth-- host ns (udpblast). Subscriber pool 198.18.0.0/15 (RFC 2544).
#
# Method, per LNS:
#  setup      lacsim -t 10 -n 100 (PAP, unthrottled): sessions/s from the first
#             SCCRQ to the last IPCP Opened, as lacsim measures it.
#  upstream   lacsim --data-to 10.X.3.3 (routed out of a link right behind
#             tun0 in the LNS namespace, see BENCH_SINK below) at an
#             offered rate above what the LNS takes;
#             forwarded = tun0 rx_packets (packets the LNS wrote into the TUN).
#  downstream lacsim sends one short burst from every session to udpblast in
#             the host ns, which learns the session addresses, then blasts them
#             one-way as fast as it can while lacsim holds the sessions;
#             forwarded = UDP datagrams arriving in the LAC namespace
#             (InDatagrams + InErrors + NoPorts of its /proc/net/snmp: what
#             the LNS sent on, counted per datagram even when sent with GSO).
#  Offered load: both LNSs get the same generators running flat out. The
#  reference saturates (it drops at its socket or TUN queue); ours usually
#  does not upstream, where lacsim cannot offer more than ~300-500k pps
#  here, and an LNS below saturation wakes for smaller batches, so its
#  pkts per CPU-second are lower than at saturation: the comparison is at
#  the same offered rate, and errs against ours.
#  Both: a window of BENCH_SECS in steady state (after 1 s of warm-up); LNS CPU
#  = utime+stime from /proc/PID/stat over the same window (kernel work done in
#  the LNS's syscalls is in it; softirq work the kernel accounts elsewhere is
#  not). Sizes are UDP payloads: 64 and 1372 (1372 + 28 = a 1400-byte IP
#  packet, inside both LNSs' MRU and lacsim's --mru 1400).
#  The LNS is pinned to CPU 0, generators and this script to CPU 1
#  (BENCH_PIN=0: not). pps figures depend on how much of CPU 0 the LNS got:
#  each run prints "CPU 0 busy" (all tasks) and the drops at the TUN queue and
#  the LNS's UDP socket; pkts per LNS CPU-second is the figure that does not
#  depend on other load on the machine.
#  memory     ours only: a fresh daemon, VmRSS before and with BENCH_BIG sessions.
set -u
# Background processes are started with `ip netns exec` itself, never through
# a shell function, so that $! is the process and signals reach it.
BUILD=${1:-build}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT" || exit 1
export BUILD
SECS=${BENCH_SECS:-5}
SETUP_RUNS=${BENCH_SETUP_RUNS:-3}
BIG=${BENCH_BIG:-100000}
OUTDIR=$ROOT/build/bench
RESULTS=$OUTDIR/results.txt
BB=$ROOT/$BUILD/bench
mkdir -p "$OUTDIR"

if [ "$(id -u)" != 0 ]; then
	echo "bench: needs root (network namespaces)" >&2
	exit 1
fi

# ---- the reference: installed on demand, never started as a service --------
made_policy=
ref_ok=1
if [ "${BENCH_SKIP_REF:-}" != 1 ]; then
	if [ ! -e /usr/sbin/policy-rc.d ]; then
		# Debian maintainer scripts ask invoke-rc.d, which obeys this: 101 = do not start
		printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
		chmod 755 /usr/sbin/policy-rc.d
		made_policy=1
	fi
	bash tools/deps.sh bench || ref_ok=0
	[ -n "$made_policy" ] && rm -f /usr/sbin/policy-rc.d
	if [ -d /run/systemd/system ]; then
		systemctl disable --now l2tpns freeradius >/dev/null 2>&1
	else
		for s in l2tpns freeradius; do
			[ -x "/etc/init.d/$s" ] && update-rc.d "$s" disable >/dev/null 2>&1
		done
	fi
	# an instance in the host's own network namespace can only be the service
	self_ns=$(readlink /proc/self/ns/net)
	for p in $(pidof l2tpns freeradius 2>/dev/null); do
		if [ "$(readlink "/proc/$p/ns/net" 2>/dev/null)" = "$self_ns" ]; then
			echo "bench: stopping the $(cat "/proc/$p/comm") service (pid $p)"
			/etc/init.d/"$(cat "/proc/$p/comm")" stop >/dev/null 2>&1
		fi
	done
	[ -x /usr/sbin/l2tpns ] && command -v freeradius >/dev/null || ref_ok=0
	[ "$ref_ok" = 1 ] || echo "bench: reference l2tpns/freeradius unavailable: ours only"
else
	ref_ok=0
fi

. tests/sim/lib.sh
for b in "$BIN/l2tpns" "$BIN/lacsim" "$BB/udpblast"; do
	[ -x "$b" ] || { echo "bench: $b missing (make BUILD=$BUILD bench builds it)" >&2; exit 1; }
done

BLACKHOLE=10.$X.3.3
POOL_NET=198.18.0.0/15
HZ=$(getconf CLK_TCK)
# The LNS gets CPU 0 to itself, the load generators, FreeRADIUS and this
# script share CPU 1: otherwise the LNS competes with its own load and its
# figures measure the scheduler (BENCH_PIN=0 turns this off).
PIN_LNS=() PIN_GEN=()
if [ "${BENCH_PIN:-1}" = 1 ] && [ "$(nproc)" -ge 2 ] && command -v taskset >/dev/null; then
	PIN_LNS=(taskset -c 0) PIN_GEN=(taskset -c 1)
	taskset -pc 1 $$ >/dev/null
fi
LNS_PID=
REF_RAD_PID=

bench_cleanup() {
	[ -n "$LNS_PID" ] && kill "$LNS_PID" 2>/dev/null
	sim_cleanup
	rm -rf "/etc/netns/$NS_LNS"
}
sim_setup
trap bench_cleanup EXIT
# a signal (Ctrl-C, a closed pipe) exits through the EXIT trap too
trap 'exit 130' INT TERM HUP PIPE
nhost ip route add "$POOL_NET" via "$LNS_HOST_IP"
# Upstream sink (BENCH_SINK=link, default): a route out of a link whose far
# end is down, so the LNS's kernel forwards each packet over a cached route,
# resolves the (static) next hop and hands it to the link, which frees it:
# what a real LNS does towards its core network, minus the wire. A blackhole
# route (BENCH_SINK=blackhole) costs more per packet than any real route:
# the kernel builds and RCU-frees an uncached route entry for every packet.
if [ "${BENCH_SINK:-link}" = link ] &&
	nlns ip link add sink0 type veth peer name sink1 2>/dev/null; then
	nlns ip link set sink0 up
	nlns ip addr add "10.$X.5.1/30" dev sink0
	nlns ip neigh replace "10.$X.5.2" lladdr 02:00:00:00:00:01 dev sink0 nud permanent
	nlns ip route add "$BLACKHOLE/32" via "10.$X.5.2" dev sink0 onlink
	SINK="route out of link sink0 (far end down: forwarded, then freed)"
else
	nlns ip route add blackhole "$BLACKHOLE/32"
	SINK="blackhole route"
fi
# BENCH_NIC=1: the LNS's LAC-facing link as a NIC is set up, for both LNSs
# alike: GRO on (the default on a physical NIC, off on a veth), so that it
# may coalesce datagrams of one flow for a socket that asked for it
# (UDP_GRO, ours); a socket that did not (the reference's) gets them one by
# one as without GRO. Off by default: measured here, the veth merged only
# ~10% of our datagrams (a NIC under load merges far more) while its NAPI
# thread took CPU 1 from the generators, so our figures were no better and
# noisier.
TOPO="veth defaults"
if [ "${BENCH_NIC:-0}" = 1 ]; then
	# (a veth hands locally sent datagrams from a TSO-capable peer to its
	# GRO only with rx-udp-gro-forwarding on; that flag merges nothing for
	# a local socket without UDP_GRO)
	if command -v ethtool >/dev/null &&
		nlns ethtool -K eth0 gro on rx-udp-gro-forwarding on 2>/dev/null; then
		TOPO="GRO on the LNS's LAC-facing link"
		# A NIC's NAPI poll finds what arrived since the last interrupt;
		# a veth's runs right after each packet its sender queues, on the
		# sender's CPU, so it never has two to merge. Threaded NAPI (a
		# kthread per link, on the generators' CPU) gives it a NIC's
		# batches.
		napi_old=$(pgrep -d' ' '^napi/' || true)
		if nlns sh -c 'echo 1 >/sys/class/net/eth0/threaded' 2>/dev/null; then
			TOPO="$TOPO, threaded NAPI"
			sleep 0.1
			for p in $(pgrep '^napi/eth0'); do
				case " $napi_old " in *" $p "*) ;; *) [ ${#PIN_GEN[@]} -gt 0 ] && taskset -pc 1 "$p" >/dev/null ;; esac
			done
		fi
	else
		echo "bench: ethtool missing or failed: GRO stays off (tools/deps.sh bench)"
	fi
fi
# The LAC is another machine: the kernel's work to receive what the LNS
# sends it is not the LNS's, yet a veth does it at once on the sending CPU,
# inside the LNS's send call, where it is charged to the LNS (both LNSs pay
# it). BENCH_LAC_RPS=1 moves it to the generators' CPU with RPS. Off by
# default: in this VM the inter-processor interrupt RPS sends costs the
# sender more than it saves, the more so the smaller its batches (the
# reference sends one datagram per call), so it is not neutral.
if [ "${BENCH_LAC_RPS:-0}" = 1 ] && [ ${#PIN_GEN[@]} -gt 0 ] &&
	nlac sh -c 'echo 2 >/sys/class/net/eth0/queues/rx-0/rps_cpus' 2>/dev/null; then
	TOPO="$TOPO; LAC link receives on CPU 1 (RPS)"
fi

log() { echo "$*" | tee -a "$RESULTS.tmp"; }
: >"$RESULTS.tmp"
log "l2tpns benchmark, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc --all) CPUs: $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)"
log "load average at start: $(cut -d' ' -f1-3 /proc/loadavg) (other work on this machine competes with the bench)"
log "topology: $TOPO; upstream sink: $SINK"
log "kernel $(uname -r); reference: Debian l2tpns $(dpkg-query -W -f='${Version}' l2tpns 2>/dev/null || echo none) + FreeRADIUS $(dpkg-query -W -f='${Version}' freeradius 2>/dev/null || echo none)"

# ---- measurement helpers ------------------------------------------------------
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
tundev() { ip -n "$NS_LNS" -o link show type tun | awk -F': ' 'NR == 1 { sub(/@.*/, "", $2); print $2 }'; }
nsstat() { ip netns exec "$1" cat "/sys/class/net/$2/statistics/$3"; }
udp_rcvbuf_errors() {
	ip netns exec "$1" awk '/^Udp:/ { if (!h) { split($0, k); h = 1 } else {
		for (i = 2; i <= NF; i++) if (k[i] == "RcvbufErrors") print $i } }' /proc/net/snmp
}
# UDP datagrams that reached the UDP layer of a namespace (read, dropped at
# a full socket, or for a closed port). Counted here rather than as eth0
# rx_packets: a UDP GSO sender's datagrams cross the veth as one packet
# (cut only at the receiving socket), so the link counter would count
# batches, not datagrams.
udp_in() {
	ip netns exec "$1" awk '/^Udp:/ { if (!h) { split($0, k); h = 1 } else {
		for (i = 2; i <= NF; i++) if (k[i] ~ /^(InDatagrams|InErrors|NoPorts)$/) t += $i; print t } }' /proc/net/snmp
}
# sample PID TUN: "seconds cpu_ticks tun_rx tun_tx lac_udp_in lac_tx tun_tx_dropped
# lns_udp_rcvbuf_errors utime_ticks cpu0_busy_ticks"
sample() {
	echo "$(date +%s.%N) $(cpu_ticks "$1") $(nsstat "$NS_LNS" "$2" rx_packets)" \
		"$(nsstat "$NS_LNS" "$2" tx_packets) $(udp_in "$NS_LAC")" \
		"$(nsstat "$NS_LAC" eth0 tx_packets) $(nsstat "$NS_LNS" "$2" tx_dropped)" \
		"$(udp_rcvbuf_errors "$NS_LNS") $(awk '{ print $14 }' "/proc/$1/stat")" \
		"$(awk '$1 == "cpu0" { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat)"
}
# wait_moving FIELD TUN: until sample field FIELD (3 = tun rx, 5 = lac udp in) grows
wait_moving() {
	local a b i
	a=$(sample "$LNS_PID" "$2" | cut -d' ' -f"$1")
	for i in $(seq 1 600); do
		sleep 0.05
		b=$(sample "$LNS_PID" "$2" | cut -d' ' -f"$1")
		[ "$b" -gt $((a + 1000)) ] && return 0
	done
	return 1
}
jget() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(eval('d'+sys.argv[2]))" "$@" 2>/dev/null; }

declare -A R	# R[who,metric]

# run_setup WHO TUNNELS PER_TUNNEL: lacsim set-up rate, median of SETUP_RUNS
run_setup() {
	local who=$1 t=$2 n=$3 i rates=() lost=0
	for i in $(seq 1 "$SETUP_RUNS"); do
		run_setup1 "$who" "$t" "$n" "$i"
		rates+=("${R[$who,setup$((t * n))]}")
		[ "${R[$who,setup_ok$((t * n))]}" = "none lost" ] || lost=1
	done
	read -r med lo hi < <(printf '%s\n' "${rates[@]}" | sort -g | awk '{ v[NR] = $1 }
		END { printf "%s %s %s\n", v[int((NR + 1) / 2)], v[1], v[NR] }')
	R[$who,setup$((t * n))]=$med
	R[$who,setup_range$((t * n))]="$lo..$hi"
	R[$who,setup_ok$((t * n))]=$([ $lost = 0 ] && echo "none lost" || echo "SOME LOST")
	log "  $who: set-up rate, median of $SETUP_RUNS runs: $med sessions/s (range $lo..$hi)"
}
run_setup1() {
	local who=$1 t=$2 n=$3 f=$SIM_DIR/setup-$1-$2x$3-$4.json c0 c1
	c0=$(cpu_ticks "$LNS_PID")
	"${PIN_GEN[@]}" ip netns exec "$NS_LAC" "$BIN/lacsim" -s "$LNS_IP" -b "$LAC_IP" -t "$t" -n "$n" -u 'user%d' -p secret \
		--timeout 120 --json >"$f" 2>"$f.err"
	c1=$(cpu_ticks "$LNS_PID")
	local up rate rtx failed
	up=$(jget "$f" "['up']"); rate=$(jget "$f" "['setup_rate']")
	rtx=$(jget "$f" "['control']['retransmits']"); failed=$(jget "$f" "['failed']")
	R[$who,setup$((t * n))]=$rate
	R[$who,setup_ok$((t * n))]=$([ "${up:-0}" = $((t * n)) ] && echo "none lost" || echo "LOST $(( t * n - ${up:-0} ))")
	log "  $who: $((t * n)) sessions ($t tunnels, PAP): ${up:-?} up, ${failed:-?} failed, $rate sessions/s," \
		"${rtx:-?} control retransmits, LNS CPU $(awk -v a="$c0" -v b="$c1" -v h="$HZ" 'BEGIN { printf "%.2f", (b - a) / h }') s"
	sleep 1
}

# window WHO KEY TUN FIELD: sample a steady-state window, store pps and pps/CPU-s
window() {
	local who=$1 key=$2 tun=$3 field=$4 a b
	sleep 1
	a=$(sample "$LNS_PID" "$tun")
	sleep "$SECS"
	b=$(sample "$LNS_PID" "$tun")
	read -r pps cpu eff tdrop rcvbuf ucpu < <(awk -v a="$a" -v b="$b" -v f="$field" -v h="$HZ" 'BEGIN {
		split(a, x, " "); split(b, y, " "); dt = y[1] - x[1]; cpu = (y[2] - x[2]) / h
		pk = y[f] - x[f]; printf "%.0f %.2f %.0f %.0f %.0f %.2f\n", pk / dt, cpu / dt,
			(cpu > 0 ? pk / cpu : 0), (y[7] - x[7]) / dt, (y[8] - x[8]) / dt,
			(cpu > 0 ? (y[9] - x[9]) / h / cpu : 0) }')
	R[$who,$key.user]=$ucpu
	# the machine may be shared: how busy the LNS's core was, all tasks and
	# interrupts included (with pinning, the LNS should be most of it)
	R[$who,$key.core0]=$(awk -v a="$a" -v b="$b" -v h="$HZ" 'BEGIN { split(a, x, " "); split(b, y, " ")
		printf "%.2f", (y[10] - x[10]) / h / (y[1] - x[1]) }')
	R[$who,$key.drops]="drops/s: $tdrop at the TUN queue, $rcvbuf at the LNS UDP socket"
	R[$who,$key.pps]=$pps
	R[$who,$key.cpu]=$cpu
	R[$who,$key.eff]=$eff
}

# run_up WHO SIZE: one-way upstream into the blackhole
run_up() {
	local who=$1 size=$2 tun f=$SIM_DIR/up-$1-$2.json
	"${PIN_GEN[@]}" ip netns exec "$NS_LAC" "$BIN/lacsim" -s "$LNS_IP" -b "$LAC_IP" -t 10 -n 100 -u 'user%d' -p secret \
		--data-to "$BLACKHOLE:9000" --pps 5000000 --size "$size" --mru 1400 \
		--duration $((SECS + 4)) --max-loss 100 --timeout 120 --json >"$f" 2>"$f.err" &
	local lp=$!
	SIM_PIDS+=("$lp")
	tun=$(for _ in $(seq 1 100); do d=$(tundev); [ -n "$d" ] && { echo "$d"; break; }; sleep 0.1; done)
	if ! wait_moving 3 "$tun"; then
		log "  $who: upstream $size: no traffic reached the TUN"; wait "$lp"; return
	fi
	window "$who" "up$size" "$tun" 3
	wait "$lp"
	log "  $who: upstream   $size B: lacsim offered $(jget "$f" "['data']['tx_pps']") pps;" \
		"LNS wrote ${R[$who,up$size.pps]} pps into $tun using ${R[$who,up$size.cpu]} CPU (user share ${R[$who,up$size.user]})" \
		"= ${R[$who,up$size.eff]} pkts per LNS CPU-second; ${R[$who,up$size.drops]}; CPU 0 busy ${R[$who,up$size.core0]} (all tasks)"
	sleep 1
}

# run_down WHO SIZE: one-way downstream from udpblast to the session addresses
run_down() {
	local who=$1 size=$2 tun f=$SIM_DIR/down-$1-$2.json b=$SIM_DIR/blast-$1-$2.out
	"${PIN_GEN[@]}" ip netns exec "$NS_HOST" "$BB/udpblast" -b "$HOST_IP" -p 9001 --learn 60 --quiet 400 \
		--duration $((SECS + 3)) --size "$size" >"$b" 2>&1 &
	local bp=$!
	SIM_PIDS+=("$bp")
	sleep 0.2
	"${PIN_GEN[@]}" ip netns exec "$NS_LAC" "$BIN/lacsim" -s "$LNS_IP" -b "$LAC_IP" -t 10 -n 100 -u 'user%d' -p secret \
		--data-to "$HOST_IP:9001" --pps 20000 --size "$size" --mru 1400 --duration 0.5 \
		--hold $((SECS + 6)) --max-loss 100 --timeout 120 --json >"$f" 2>"$f.err" &
	local lp=$!
	SIM_PIDS+=("$lp")
	tun=$(for _ in $(seq 1 100); do d=$(tundev); [ -n "$d" ] && { echo "$d"; break; }; sleep 0.1; done)
	# the learning burst is upstream; the blast is the first big downstream flow
	if ! wait_moving 5 "$tun"; then
		log "  $who: downstream $size: no traffic reached the LAC"; wait "$bp" "$lp"; return
	fi
	window "$who" "down$size" "$tun" 5
	wait "$bp"
	wait "$lp"
	log "  $who: downstream $size B: udpblast $(cat "$b");" \
		"LNS sent ${R[$who,down$size.pps]} pps to the LAC using ${R[$who,down$size.cpu]} CPU (user share ${R[$who,down$size.user]})" \
		"= ${R[$who,down$size.eff]} pkts per LNS CPU-second; ${R[$who,down$size.drops]}; CPU 0 busy ${R[$who,down$size.core0]} (all tasks)"
	sleep 1
}

lns_udp_errors() { # "RcvbufErrors=N SndbufErrors=N" of a namespace, totals
	ip netns exec "$1" awk '/^Udp:/ { if (!h) { split($0, k); h = 1 } else {
		for (i = 2; i <= NF; i++) if (k[i] ~ /RcvbufErrors|SndbufErrors/) printf "%s=%s ", k[i], $i } }' /proc/net/snmp
}

SIZES=${BENCH_SIZES:-64 1372}
DIRS=${BENCH_DIRS:-up down}
measure_all() { # WHO
	[ "${BENCH_SKIP_SETUP:-}" = 1 ] || run_setup "$1" 10 100
	case " $DIRS " in *" up "*) for s in $SIZES; do run_up "$1" "$s"; done ;; esac
	case " $DIRS " in *" down "*) for s in $SIZES; do run_down "$1" "$s"; done ;; esac
	log "  $1: UDP counters: LNS ns $(lns_udp_errors "$NS_LNS")LAC ns $(lns_udp_errors "$NS_LAC")"
}

# ---- ours ---------------------------------------------------------------------
start_ours() {
	# readiness: the L2TP socket is bound (works at any debug level)
	"${PIN_LNS[@]}" ip netns exec "$NS_LNS" "$BIN/l2tpns" -c "$SIM_DIR/startup-config" >"$SIM_DIR/l2tpns.out" 2>&1 &
	LNS_PID=$!
	SIM_PIDS+=("$LNS_PID")
	for _ in $(seq 1 100); do
		nlns ss -lun 2>/dev/null | grep -q ':1701 ' && return 0
		kill -0 "$LNS_PID" 2>/dev/null || break
		sleep 0.1
	done
	echo "bench: our l2tpns did not start:"; tail -20 "$SIM_DIR/l2tpns.out" "$SIM_DIR/l2tpns.log"
	exit 1
}
stop_lns() {
	kill "$LNS_PID" 2>/dev/null
	for _ in $(seq 1 100); do kill -0 "$LNS_PID" 2>/dev/null || break; sleep 0.1; done
	kill -9 "$LNS_PID" 2>/dev/null
	wait "$LNS_PID" 2>/dev/null
	LNS_PID=
	sleep 0.5
}

SIM_USERS=$BIG sim_config "set max_sessions $((BIG + BIG / 5))" "set max_tunnels 2000" \
	"set bind_address $LNS_IP"
sed -i 's/^set debug 3/set debug 2/' "$SIM_DIR/startup-config"
echo "$POOL_NET" >"$SIM_DIR/ip_pool"

log ""
log "== ours ($BIN/l2tpns, local users, debug 2) =="
start_ours
measure_all ours
stop_lns

# ---- the reference ------------------------------------------------------------
if [ "$ref_ok" = 1 ]; then
	log ""
	log "== reference (/usr/sbin/l2tpns, RADIUS PAP via FreeRADIUS in the LNS namespace, debug 2) =="
	nlns ip link add br0 type bridge
	nlns ip addr add 10.$X.4.1/24 dev br0	# its cluster interface needs an address
	nlns ip link set br0 up
	# ip netns exec bind-mounts /etc/netns/NAME/* over /etc/*: the reference's
	# fixed /etc/l2tpns paths come from here, the host's files stay untouched
	mkdir -p "/etc/netns/$NS_LNS/l2tpns"
	cat >"/etc/netns/$NS_LNS/l2tpns/startup-config" <<-CFG
	set debug 2
	set log_file "$SIM_DIR/ref.log"
	set pid_file "$SIM_DIR/ref.pid"
	set primary_dns $HOST_IP
	set primary_radius 127.0.0.1
	set primary_radius_port 1812
	set radius_secret "testing123"
	set radius_authtypes "pap"
	set bind_address $LNS_IP
	set cluster_interface br0
	set cluster_hb_timeout 31
	set cli_bind_address 127.0.0.1
	CFG
	echo "198.18.0.0/20" >"/etc/netns/$NS_LNS/l2tpns/ip_pool"
	: >"/etc/netns/$NS_LNS/l2tpns/users"
	cp -a /etc/freeradius/3.0 "$SIM_DIR/raddb"
	{ echo 'DEFAULT Cleartext-Password := "secret"'; echo; } >"$SIM_DIR/raddb/mods-config/files/authorize"
	chown -R freerad:freerad "$SIM_DIR/raddb"
	chmod 755 "$SIM_DIR"
	"${PIN_GEN[@]}" ip netns exec "$NS_LNS" freeradius -f -l "$SIM_DIR/radius.log" -d "$SIM_DIR/raddb" &
	SIM_PIDS+=("$!")
	# its own session: on SIGTERM the reference signals its whole process group
	setsid "${PIN_LNS[@]}" ip netns exec "$NS_LNS" /usr/sbin/l2tpns >"$SIM_DIR/ref.out" 2>&1 &
	SIM_PIDS+=("$!")
	LNS_PID=
	for _ in $(seq 1 300); do
		[ -z "$LNS_PID" ] && [ -s "$SIM_DIR/ref.pid" ] && LNS_PID=$(cat "$SIM_DIR/ref.pid")
		# it takes tunnels only once it has declared itself cluster master
		[ -n "$LNS_PID" ] && grep -qi master "$SIM_DIR/ref.log" 2>/dev/null && break
		sleep 0.1
	done
	if [ -n "$LNS_PID" ] && grep -qi master "$SIM_DIR/ref.log"; then
		SIM_PIDS+=("$LNS_PID")
		sleep 0.5
		measure_all ref
		stop_lns
	else
		log "  reference did not become master:"; tail -5 "$SIM_DIR/ref.log" "$SIM_DIR/ref.out" | tee -a "$RESULTS.tmp"
		ref_ok=0
	fi
fi

# ---- ours: BIG concurrent sessions in one process -------------------------------
if [ "${BENCH_SKIP_BIG:-}" != 1 ]; then
log ""
log "== ours: $BIG concurrent sessions (fresh daemon) =="
start_ours
sleep 0.5
rss0=$(rss_kb "$LNS_PID")
f=$SIM_DIR/big.json
"${PIN_GEN[@]}" ip netns exec "$NS_LAC" "$BIN/lacsim" -s "$LNS_IP" -b "$LAC_IP" -t 100 -n $((BIG / 100)) -u 'user%d' -p secret \
	--hold 600 --timeout 300 --json >"$f" 2>"$f.err" &
bigp=$!
SIM_PIDS+=("$bigp")
# lacsim prints a status line a second while holding
ok=
for _ in $(seq 1 3000); do
	grep -q "sessions up $BIG/$BIG" "$f.err" 2>/dev/null && { ok=1; break; }
	kill -0 "$bigp" 2>/dev/null || break
	sleep 0.1
done
sleep 1
rss1=$(rss_kb "$LNS_PID")
kill -INT "$bigp" 2>/dev/null	# hang up: CDNs, StopCCNs, report
wait "$bigp"
R[ours,big_rate]=$(jget "$f" "['setup_rate']")
R[ours,big_up]=$(jget "$f" "['up']")
R[ours,big_bps]=$(awk -v a="$rss0" -v b="$rss1" -v n="$BIG" 'BEGIN { printf "%.0f", (b - a) * 1024 / n }')
R[ours,big_tot]=$(awk -v b="$rss1" -v n="$BIG" 'BEGIN { printf "%.0f", b * 1024 / n }')
log "  ${R[ours,big_up]:-?} of $BIG up ($([ -n "$ok" ] && echo "all held at once" || echo "NOT all up")), set up at ${R[ours,big_rate]} sessions/s (100 tunnels);" \
	"VmRSS $rss0 kB -> $rss1 kB = ${R[ours,big_bps]} bytes/session growth (${R[ours,big_tot]} B/session total)"
stop_lns
fi

# ---- summary ------------------------------------------------------------------
ratio() { awk -v a="${1:-}" -v b="${2:-}" 'BEGIN { if (a == "" || b == "" || b + 0 == 0) print "-"; else printf "%.2fx", a / b }'; }
row() { printf '%-44s %14s %14s %8s\n' "$1" "${2:--}" "${3:--}" "$4" | tee -a "$RESULTS.tmp"; }
log ""
log "== summary (sizes are UDP payload bytes; 1372 = 1400-byte IP packets) =="
row "metric" "ours" "reference" "ratio"
row "sessions/s (PAP, 1000 sess, 10 tun, median)" "${R[ours,setup1000]:-}" "${R[ref,setup1000]:-}" "$(ratio "${R[ours,setup1000]:-}" "${R[ref,setup1000]:-}")"
row "  range over $SETUP_RUNS runs" "${R[ours,setup_range1000]:-}" "${R[ref,setup_range1000]:-}" ""
row "  sessions lost" "${R[ours,setup_ok1000]:-}" "${R[ref,setup_ok1000]:-}" ""
row "sessions/s (PAP, $BIG sess, 100 tunnels)" "${R[ours,big_rate]:-}" "n/a" ""
for d in up down; do
	for s in $SIZES; do
		name=$([ $d = up ] && echo "upstream" || echo "downstream")
		row "$name $s B pps" "${R[ours,$d$s.pps]:-}" "${R[ref,$d$s.pps]:-}" "$(ratio "${R[ours,$d$s.pps]:-}" "${R[ref,$d$s.pps]:-}")"
		row "$name $s B LNS CPU (cores busy)" "${R[ours,$d$s.cpu]:-}" "${R[ref,$d$s.cpu]:-}" ""
		row "$name $s B LNS CPU user share" "${R[ours,$d$s.user]:-}" "${R[ref,$d$s.user]:-}" ""
		row "$name $s B pkts / LNS CPU-s" "${R[ours,$d$s.eff]:-}" "${R[ref,$d$s.eff]:-}" "$(ratio "${R[ours,$d$s.eff]:-}" "${R[ref,$d$s.eff]:-}")"
	done
done
row "$BIG sessions: VmRSS growth B/session" "${R[ours,big_bps]:-}" "n/a (max 60000)" ""
log ""
verdict() { # verdict "what" VALUE OP LIMIT
	awk -v v="${2:-}" -v l="$4" -v op="$3" -v w="$1" 'BEGIN {
		if (v == "" || v == "-") { printf "  %-58s not measured\n", w; exit }
		ok = op == ">=" ? v + 0 >= l + 0 : v + 0 < l + 0
		printf "  %-58s %s (%s %s %s)\n", w, ok ? "met" : "NOT met", v, op, l }' | tee -a "$RESULTS.tmp"
}
log "targets:"
verdict "ours >= 5000 sessions/s (1000 sessions, median)" "${R[ours,setup1000]:-}" ">=" 5000
verdict "ours >= 5000 sessions/s ($BIG sessions)" "${R[ours,big_rate]:-}" ">=" 5000
verdict "upstream 64 B pkts/LNS CPU-s >= 3x reference" \
	"$(ratio "${R[ours,up64.eff]:-}" "${R[ref,up64.eff]:-}" | tr -d x)" ">=" 3
verdict "downstream 64 B pkts/LNS CPU-s >= 3x reference" \
	"$(ratio "${R[ours,down64.eff]:-}" "${R[ref,down64.eff]:-}" | tr -d x)" ">=" 3
verdict "VmRSS growth < 2048 B/session at $BIG sessions" "${R[ours,big_bps]:-}" "<" 2048
mv "$RESULTS.tmp" "$RESULTS"

if [ "${BENCH_SKIP_FWD:-}" != 1 ] && [ -x "$BB/fwd_bench" ]; then
	echo ""
	echo "== fwd_bench (src/io micro-benchmark) =="
	"$BB/fwd_bench" 3 | tee -a "$RESULTS"
fi
echo ""
echo "figures written to $RESULTS"

# The CLI must not stall the data plane (issue 7): its own namespaces and
# daemon, BENCH_BIG sessions (tools/bench/cli_stall.sh).
if [ "${BENCH_SKIP_CLI:-}" != 1 ]; then
	echo ""
	trap - EXIT
	bench_cleanup
	CLI_BENCH_SESSIONS=$BIG bash tools/bench/cli_stall.sh "$BUILD"
fi
