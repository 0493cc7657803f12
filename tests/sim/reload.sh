#!/usr/bin/env bash
# Configuration reload and signals, against the running daemon:
#  - SIGHUP (sent to the pid from pid_file) re-reads the startup-config: a new
#    primary_dns reaches the next session's IPCP, a lower `set debug` silences
#    INFO messages, and the log file is reopened (logrotate renames it first);
#  - a broken file is refused with file:line in the log; the daemon keeps the
#    values it had (DNS and debug level) and still accepts sessions;
#  - SIGTERM with sessions up exits at once, status 0, without a CDN or a
#    StopCCN on the wire (sessions are left for a cluster peer), pid file gone;
#  - `l2tpns -n -c FILE`: normalised config on stdout and exit 0 for a good
#    file (its output is a fixed point of -n), exit 1 with file:line errors on
#    stderr and nothing on stdout for a bad one.
# Two lacsim sessions pass traffic through all the reloads without loss.
# Sessions come from the scapy LAC (scapy_lac.py), which reports the DNS its
# IPCP was given, and from lacsim for the SIGTERM part.
#
#   lac (scapy_lac.py, lacsim) --veth-- lns (l2tpns) --veth-- host
set -u
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3 # Debian's python, which has python3-scapy
if ! "$PY" -c 'import scapy.layers.l2tp' 2>/dev/null; then
	echo "  SKIP: python3-scapy is not installed (tools/deps.sh)"
	exit 0
fi
SCAPY_LAC=$ROOT/tests/sim/scapy_lac.py
# tcpdump writes the pcap header once it is capturing: wait for it, so that
# the first packets of the run are not lost on a loaded machine
cap_ready() { for _ in $(seq 1 50); do [ "$(stat -c %s "$1" 2>/dev/null || echo 0)" -ge 24 ] && return 0; sleep 0.1; done; }
jv() { "$PY" -c "import json,sys; d=json.load(open(sys.argv[1])); print(eval('d'+sys.argv[2]))" "$1" "$2" 2>/dev/null; }

sim_setup
SIM_USERS=5 sim_config
cfg=$SIM_DIR/startup-config
log=$SIM_DIR/l2tpns.log
sim_start_lns || exit 1
DNS2=10.$X.2.53
DNS3=10.$X.2.99
n=0
# session: one scapy call (up, ping, down); prints the DNS1 it was given
session() {
	n=$((n + 1))
	nlac "$PY" "$SCAPY_LAC" "$LNS_IP" "$HOST_IP" "$SIM_DIR/s$n.json" 2>/dev/null
	[ "$(jv "$SIM_DIR/s$n.json" "['error']")" = None ] || echo "session $n: $(jv "$SIM_DIR/s$n.json" "['error']")" >&2
	jv "$SIM_DIR/s$n.json" "['dns1']"
}
hup() {
	local before
	before=$(cat "$log" "$log.1" 2>/dev/null | grep -c 'configuration reloaded\|reload refused')
	kill -HUP "$(cat "$SIM_DIR/l2tpns.pid")"
	# wait for the daemon to have handled it (an ERR line is logged at any level)
	for _ in $(seq 1 30); do
		[ "$(cat "$log" "$log.1" 2>/dev/null | grep -c 'configuration reloaded\|reload refused')" -gt "$before" ] && return 0
		sleep 0.1
	done
	return 0 # the checks say what went wrong
}
count() { grep -c "$1" "$log" 2>/dev/null; }

check "pid_file holds the daemon's pid" test "$(cat "$SIM_DIR/l2tpns.pid" 2>/dev/null)" = "$LNS_PID"
check "a session before any reload gets primary_dns $HOST_IP" test "$(session)" = "$HOST_IP"

# Two lacsim sessions carry traffic to the host through every reload below
# (a refused one included): none may be dropped and nothing lost.
ip netns exec "$NS_HOST" "$BIN/udpecho" -b "$HOST_IP" -p 9000 >"$SIM_DIR/udpecho.log" 2>&1 &
SIM_PIDS+=("$!")
# no loss is allowed below, so the echo must be listening before traffic starts
for _ in $(seq 1 50); do
	ip netns exec "$NS_HOST" ss -Hlun "sport = :9000" | grep -q . && break
	sleep 0.1
done
ip netns exec "$NS_LAC" "$BIN/lacsim" -s "$LNS_IP" -t 1 -n 2 -u 'user%d' -p secret \
	--data-to "$HOST_IP:9000" --pps 200 --size 200 --duration 7 --max-loss 0 --json \
	>"$SIM_DIR/live.json" 2>"$SIM_DIR/live.err" &
LIVE=$!
SIM_PIDS+=("$LIVE")
for _ in $(seq 1 50); do [ "$(count 'session up')" -ge 3 ] && break; sleep 0.1; done
check "two live lacsim sessions up before the reloads" test "$(count 'session up')" = 3
sleep 0.5

# ---- 1. SIGHUP with a new primary_dns, after a log rotation ----------------------
sed -i "s/^set primary_dns .*/set primary_dns $DNS2/" "$cfg"
mv "$log" "$log.1"
hup
check "SIGHUP: the log file was reopened (a new $log exists)" test -s "$log"
check "SIGHUP: the new log says the configuration was reloaded from the file" \
	grep -q "configuration reloaded from $cfg" "$log"
check "SIGHUP: nothing more went to the rotated file" bash -c "! grep -q 'configuration reloaded' '$log.1'"
check "after SIGHUP a new session gets the new primary_dns $DNS2" test "$(session)" = "$DNS2"
check "... and it is logged in the new file" test "$(count 'session up')" = 1

# ---- 2. SIGHUP with set debug 2: INFO (level 3) messages stop ----------------
sed -i "s/^set debug .*/set debug 2/" "$cfg"
# at debug 2 "configuration reloaded" (INFO) is not logged: give it time
kill -HUP "$LNS_PID"
sleep 0.5
up_before=$(count 'session up')
check "debug 2: sessions still come up (DNS $DNS2)" test "$(session)" = "$DNS2"
sleep 0.2
check "debug 2: the session is no longer logged (INFO is level 3)" test "$(count 'session up')" = "$up_before"

# ---- 3. a broken file: refused, old values kept ----------------------------------
cp "$cfg" "$SIM_DIR/good-config"
sed -i "s/^set primary_dns .*/set primary_dns $DNS3/; s/^set debug .*/set debug 3/" "$cfg"
echo "set no_such_variable 1" >>"$cfg"
badline=$(wc -l <"$cfg")
echo "set max_tunnels lots" >>"$cfg"
hup
check "broken file: the log names the error with file:line ($cfg:$badline)" \
	grep -q "$cfg:$badline: .*no_such_variable" "$log"
check "broken file: the second error too ($cfg:$((badline + 1)))" grep -q "$cfg:$((badline + 1)): " "$log"
check "broken file: the log says the reload was refused" grep -q "reload refused: 2 error" "$log"
check "broken file: the daemon keeps running" kill -0 "$LNS_PID"
up_before=$(count 'session up')
check "broken file: a new session still gets the old DNS $DNS2, not $DNS3" test "$(session)" = "$DNS2"
sleep 0.2
check "broken file: the old debug level 2 is kept (session not logged)" test "$(count 'session up')" = "$up_before"

# ---- 4. fixed again: debug 3 back ------------------------------------------
sed -i "s/^set debug .*/set debug 3/" "$SIM_DIR/good-config"
cp "$SIM_DIR/good-config" "$cfg"
hup
check "fixed file: reloaded" test "$(count 'configuration reloaded')" -ge 2
up_before=$(count 'session up')
check "fixed file: session with DNS $DNS2" test "$(session)" = "$DNS2"
sleep 0.2
check "fixed file: debug 3 again, the session is logged" test "$(count 'session up')" = $((up_before + 1))

wait "$LIVE"
check "live sessions: lacsim exit 0 (every session stayed up, no loss)" test $? = 0
check "live sessions: both verified their own echoes through the reloads" \
	test "$(jv "$SIM_DIR/live.json" "['data']['sessions_verified'], d['dropped']")" = "(2, 0)"
check "live sessions: traffic flowed for the whole 7 s at 200 pps ($(jv "$SIM_DIR/live.json" "['data']['rx_pkts']") echoes)" \
	test "$(jv "$SIM_DIR/live.json" "['data']['rx_pkts'] == d['data']['tx_pkts'] > 1200")" = True

# ---- 5. l2tpns -n ----------------------------------------------------------------
"$BIN/l2tpns" -n -c "$cfg" >"$SIM_DIR/n.out" 2>"$SIM_DIR/n.err"
check "-n good file: exit 0" test $? = 0
check "-n good file: normalised output has the file's values" \
	bash -c "grep -qx 'set primary_dns $DNS2' '$SIM_DIR/n.out' && grep -qx 'set debug 3' '$SIM_DIR/n.out' && grep -qx 'set max_sessions 20000' '$SIM_DIR/n.out'"
check "-n good file: nothing on stderr" test ! -s "$SIM_DIR/n.err"
"$BIN/l2tpns" -n -c "$SIM_DIR/n.out" >"$SIM_DIR/n2.out" 2>/dev/null
check "-n good file: the normalised output is itself valid and a fixed point" cmp -s "$SIM_DIR/n.out" "$SIM_DIR/n2.out"
cp "$cfg" "$SIM_DIR/bad-config"
echo "set debug many" >>"$SIM_DIR/bad-config"
bl=$(wc -l <"$SIM_DIR/bad-config")
"$BIN/l2tpns" -n -c "$SIM_DIR/bad-config" >"$SIM_DIR/nb.out" 2>"$SIM_DIR/nb.err"
check "-n bad file: exit 1" test $? = 1
check "-n bad file: the error on stderr with file:line" grep -q "$SIM_DIR/bad-config:$bl: .*debug" "$SIM_DIR/nb.err"
check "-n bad file: nothing on stdout" test ! -s "$SIM_DIR/nb.out"

# ---- 6. SIGTERM with sessions up: exit at once, nothing on the wire -------------
sim_capture "$SIM_DIR/term.pcap"
cap_ready "$SIM_DIR/term.pcap"
up0=$(count 'session up')
ip netns exec "$NS_LAC" "$BIN/lacsim" -s "$LNS_IP" -t 2 -n 2 -u 'user%d' -p secret --hold 30 --json \
	>"$SIM_DIR/lacsim.json" 2>"$SIM_DIR/lacsim.err" &
LAC=$!
SIM_PIDS+=("$LAC")
for _ in $(seq 1 50); do
	[ "$(count 'session up')" -ge $((up0 + 4)) ] && break
	sleep 0.1
done
check "SIGTERM: 4 lacsim sessions up first ($(($(count "session up") - up0)))" test "$(count 'session up')" = $((up0 + 4))
t0=$(date +%s%N)
kill -TERM "$(cat "$SIM_DIR/l2tpns.pid")"
for _ in $(seq 1 50); do kill -0 "$LNS_PID" 2>/dev/null || break; sleep 0.05; done
ms=$((($(date +%s%N) - t0) / 1000000))
check "SIGTERM: exited within 2 s (${ms} ms)" test "$ms" -lt 2000
wait "$LNS_PID"
check "SIGTERM: exit status 0" test $? = 0
check "SIGTERM: logged as leaving sessions in place" grep -q "signal 15: exiting, sessions left in place" "$log"
check "SIGTERM: pid file removed" test ! -e "$SIM_DIR/l2tpns.pid"
sleep 0.5
kill "$LAC" 2>/dev/null
sim_stop_capture
# one tshark pass: the message type of every control message from the LNS
tshark -r "$SIM_DIR/term.pcap" -Y "ip.src==$LNS_IP && l2tp.avp.message_type" \
	-T fields -e l2tp.avp.message_type >"$SIM_DIR/term.types" 2>/dev/null
msgs() { grep -c "^$1\$" "$SIM_DIR/term.types"; }
check "SIGTERM capture: the 4 ICRPs of those sessions are there ($(msgs 11))" test "$(msgs 11)" = 4
check "SIGTERM capture: no CDN from the LNS ($(msgs 14))" test "$(msgs 14)" = 0
check "SIGTERM capture: no StopCCN from the LNS ($(msgs 4))" test "$(msgs 4)" = 0
# under an ASan/UBSan build (BUILD=build/asan) the daemon's reports land here
check "no sanitizer report from the daemon" bash -c "! cat '$SIM_DIR'/l2tpns*.out 2>/dev/null | grep -q 'Sanitizer\\|runtime error'"
sim_done
