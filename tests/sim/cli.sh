#!/usr/bin/env bash
# The operator interfaces against the running daemon (reference §3, §7.3):
#  - the telnet CLI on TCP 23 over real TCP: from the LNS's own loopback no
#    login is asked (as the original); from the LAC namespace a login from
#    the `users` file beside the startup-config is required (plain and
#    MD5-crypt passwords), wrong passwords are refused and three failures end
#    the connection; without any users file remote connections are refused
#    with a message and the log says only local ones are accepted;
#  - with lacsim sessions up (2 tunnels x 5): every show command's headers as
#    the reference prints them and rows matching the live tables;
#  - privileges: drop session / show running-config refused before `enable`;
#    `enable` with the users file's password; `drop session N` puts a CDN on
#    the wire (tcpdump in the LAC namespace) and the session disappears from
#    `show session`; `drop tunnel` puts a StopCCN on the wire;
#  - `debug all` streams the daemon's log lines into the CLI session;
#  - configure terminal + `set debug 4` changes show running-config;
#    `write memory` then a restart gives the same running configuration;
#  - nsctl round trips: help (exit 0), an unknown command (error, exit 1),
#    load_plugin of a plugin that is not installed refused (plugins.sh has the rest).
#
#   lac (lacsim, cli client) --veth-- lns (l2tpns, cli client on 127.0.0.1)
set -u
. "$(dirname "$0")/lib.sh"
PY=python3
CLI="$ROOT/tests/sim/cli_client.py"
LACSIM=${LACSIM:-$BIN/lacsim}
[ -x "$LACSIM" ] || LACSIM=$ROOT/build/bin/lacsim
NSCTL=$BIN/nsctl
[ -x "$NSCTL" ] || NSCTL=$ROOT/build/bin/nsctl
UDPECHO=$BIN/udpecho
[ -x "$UDPECHO" ] || UDPECHO=$ROOT/build/bin/udpecho

sim_setup
SIM_USERS=20 sim_config 'set radius_secret "r4d1u5"' 
for i in $(seq 1 3000); do echo "big$i secret"; done >>"$SIM_DIR/ppp-users"	# for 3c
cfg=$SIM_DIR/startup-config
log=$SIM_DIR/l2tpns.log
sim_start_lns || exit 1

# local: cl CMD... ; remote (from the LAC): rcl [-u U -p P -e E] CMD...
cl() { ip netns exec "$NS_LNS" "$PY" "$CLI" 127.0.0.1 23 -e enpw "$@"; }
rcl() { ip netns exec "$NS_LAC" "$PY" "$CLI" "$LNS_IP" 23 "$@"; }
# section OUT CMD: the output of one command of a transcript (no echo, no prompt)
section() { awk -v c="=== $2" '$0==c{on=1;getline;next} /^=== /{on=0} on' "$1" | grep -v '^l2tpns[^ ]*[>#] *$'; }
count() { grep -c "$1" "$log" 2>/dev/null; }

# ---- 1. no users file: local only ------------------------------------------------
check "startup log: no users file, only local connections" \
	grep -q "users is missing or defines no login: only connections from the local host" "$log"
cl "show version" >"$SIM_DIR/t0" 2>&1
check "local connection without login: show version says L2TPNS" \
	test "$(section "$SIM_DIR/t0" "show version")" = "L2TPNS 3.0.0"
rcl "show version" >"$SIM_DIR/t1" 2>&1
check "remote without users file: refused with a message" grep -q "Access denied: no CLI users" "$SIM_DIR/t1"
check "remote without users file: no command ran" bash -c "! grep -q 'L2TPNS 3' '$SIM_DIR/t1'"
check "remote without users file: the refusal is logged" grep -q "cli $LAC_IP: refused" "$log"

# ---- 2. users file: plain and MD5-crypt ------------------------------------------
MD5=$(openssl passwd -1 'md5pw')
printf 'admin:plainpw\nops:%s\nenable:enpw\n' "$MD5" >"$SIM_DIR/users"
rcl -u admin -p plainpw "show version" >"$SIM_DIR/t2" 2>&1
check "remote login, plain password: command runs" \
	test "$(section "$SIM_DIR/t2" "show version")" = "L2TPNS 3.0.0"
rcl -u ops -p md5pw "show version" >"$SIM_DIR/t3" 2>&1
check "remote login, MD5-crypt password ($MD5): command runs" \
	test "$(section "$SIM_DIR/t3" "show version")" = "L2TPNS 3.0.0"
rcl -u ops -p wrong "show version" >"$SIM_DIR/t4" 2>&1
check "wrong password: Access denied, no command" \
	bash -c "grep -q 'Access denied' '$SIM_DIR/t4' && ! grep -q 'L2TPNS 3' '$SIM_DIR/t4'"
check "wrong password: logged" grep -q "cli $LAC_IP: login as ops failed" "$log"
# three failures end the connection: feed three bad logins by hand
ip netns exec "$NS_LAC" "$PY" - "$LNS_IP" >"$SIM_DIR/t5" 2>&1 <<'PYEOF'
import socket, sys, time
s = socket.create_connection((sys.argv[1], 23), timeout=5)
buf = b""
def until(t, end):
    global buf
    while time.time() < end and t not in buf:
        d = s.recv(4096)
        if not d:
            return False
        buf += d
    return t in buf
closed = False
for i in range(3):
    if not until(b"Username:", time.time() + 5):
        break
    buf = b""
    s.sendall(b"nobody\r\n"); until(b"Password:", time.time() + 5); buf = b""
    s.sendall(b"bad\r\n")
time.sleep(0.5)
try:
    s.settimeout(2)
    while True:
        d = s.recv(4096)
        if not d:
            closed = True
            break
        buf += d
except ConnectionResetError:
    closed = True  # unread input at exit makes the kernel reset
except OSError:
    pass
print("closed" if closed else "open", buf.decode(errors="replace"))
PYEOF
check "three failed logins: the server says so and closes the connection" \
	bash -c "grep -q '^closed' '$SIM_DIR/t5' && grep -q 'too many failures' '$SIM_DIR/t5'"

# ---- 3. sessions up ---------------------------------------------------------------
sim_capture "$SIM_DIR/cli.pcap"
ip netns exec "$NS_LAC" "$LACSIM" -s "$LNS_IP" -t 2 -n 5 -u 'user%d' -p secret --hold 40 --json \
	>"$SIM_DIR/lacsim.json" 2>"$SIM_DIR/lacsim.err" &
SIM_PIDS+=("$!")
for _ in $(seq 1 80); do [ "$(count 'session up')" -ge 10 ] && break; sleep 0.1; done
check "10 lacsim sessions up" test "$(count 'session up')" = 10

cl "show session" "show tunnels" "show users" "show pool" "show counters" "uptime" "show tunnels all" \
	"show radius" "show cluster" "show plugins" "show throttle" "show bgp" "show access-list" \
	"write terminal" "show running-config" "drop session 1" >"$SIM_DIR/s1" 2>&1
H_SESS=$(printf '%5s %4s %-32s %-15s %s %s %s %s %10s %10s %10s %4s %-15s %s' SID TID Username IP I T G 6 \
	opened downloaded uploaded idle LAC CLI)
sec() { section "$SIM_DIR/s1" "$1"; }
check "show session: the reference's header line exactly" test "$(sec "show session" | head -1)" = "$H_SESS"
check "show session: 10 rows" test "$(sec "show session" | tail -n +2 | grep -c .)" = 10
check "show session: rows have user, pool address, flags N N N N and the LAC's address" \
	test "$(sec "show session" | grep -cE "^ +[0-9]+ +[0-9]+ user[0-9]+ +100\.$X\.[0-9]+\.[0-9]+ +N N N N +[0-9]+ +[0-9]+ +[0-9]+ +[0-9]+ $LAC_IP ")" = 10
check "show tunnels: the reference's header" \
	test "$(sec "show tunnels" | head -1)" = "$(printf '%4s %20s %20s %6s %s' TID Hostname IP State Sessions)"
check "show tunnels: 2 Open tunnels with 5 sessions each from $LAC_IP" \
	test "$(sec "show tunnels" | grep -cE "^ *[0-9]+ +[^ ]+ +$LAC_IP +Open +5$")" = 2
check "show users: the 10 user names" test "$(sec "show users" | grep -c '^user[0-9]*$')" = 10
check "show pool: header, 10 used rows, Used: 10" \
	bash -c "[ \"\$(printf '%s\n' \"\$1\" | head -1)\" = \"\$(printf '%-15s %4s %8s %s' 'IP Address' Used Session User)\" ] &&
		[ \$(printf '%s\n' \"\$1\" | grep -cP '^100\.$X\.\d+\.\d+ *\tY +\d+ user\d+$') = 10 ] &&
		printf '%s\n' \"\$1\" | grep -qx 'Used: 10'" _ "$(sec "show pool")"
check "show counters: Counter/Value header and session_created 10" \
	bash -c "printf '%s\n' \"\$1\" | grep -q '^Counter *Value$' && printf '%s\n' \"\$1\" | grep -qE '^session_created +10$' && printf '%s\n' \"\$1\" | grep -q '^Last counter reset '" _ "$(sec "show counters")"
check "uptime: users count and the Bandwidth line" \
	bash -c "printf '%s\n' \"\$1\" | grep -qE '^[0-9:]{8} up .*, 10 users, load average: ' && printf '%s\n' \"\$1\" | grep -qE '^Bandwidth: UDP-ETH:[0-9]+/[0-9]+  ETH-UDP:[0-9]+/[0-9]+  TOTAL:[0-9.]+   IN:[0-9]+ OUT:[0-9]+$'" _ "$(sec "uptime")"
check "show tunnels all: also lists Free slots" test "$(sec "show tunnels all" | grep -c ' Free ')" -ge 1
for c in "show radius" "show cluster" "show plugins" "show throttle" "show bgp" "show access-list"; do
	check "$c: answers (not silent)" test -n "$(sec "$c")"
done
check "show cluster/throttle: say the feature is not active yet" \
	test "$(cat <(sec "show cluster") <(sec "show throttle") | grep -c 'not active yet')" = 2
check "show radius without servers: names the local users file" \
	bash -c "printf '%s\n' \"\$1\" | grep -q '^No RADIUS server configured: PPP users are checked against '" _ "$(sec "show radius")"
check "show counters: the listings' slices and their longest time" \
	bash -c "printf '%s\n' \"\$1\" | grep -qE '^cli_slices +[1-9][0-9]*$' && printf '%s\n' \"\$1\" | grep -qE '^cli_slice_us_max +[0-9]+$'" _ "$(sec "show counters")"
check "write terminal (unprivileged): the configuration, secrets hidden" \
	bash -c "printf '%s\n' \"\$1\" | head -1 | grep -qx '# Current configuration:' && printf '%s\n' \"\$1\" | tail -1 | grep -qx '# end'" _ "$(sec "write terminal")"
check "write terminal (unprivileged): the radius_secret is not shown" bash -c "! printf '%s\n' \"\$1\" | grep -q r4d1u5" _ "$(sec "write terminal")"
check "show running-config unprivileged: refused" bash -c "! printf '%s\n' \"\$1\" | grep -q 'Current configuration'" _ "$(sec "show running-config")"
check "drop session unprivileged: refused" test -n "$(sec "drop session 1")"

# show session N detail, ipcache, histogram, tbf; snoop/throttle/filter recorded
SID1=$(sec "show session" | awk 'NR==2{print $1}')
U1=$(sec "show session" | awk 'NR==2{print $3}')
cl "show session $SID1" "show ipcache" "show histogram idle" "show histogram open" "show tbf" \
	enable "configure terminal" "ip access-list standard blockme" "deny host 10.1.2.3" "exit" "exit" \
	"throttle $U1 in 64 out 128" "throttle $U1" "snoop $U1 10.9.9.9 5000" "filter $U1 in blockme" \
	"filter $U1 in nosuchacl" "show session $SID1" "show throttle" "show tbf" \
	"no throttle $U1" "no snoop $U1" "no filter $U1" "show throttle" >"$SIM_DIR/s3" 2>&1
sec3() { section "$SIM_DIR/s3" "$1"; }
det=$(sec3 "show session $SID1" | head -40)
for f in "User:" "Calling Num:" "Called Num:" "Tunnel ID:" "PPP Phase:" "IP address:" "Unique SID:" "Opened:" \
	"Idle time:" "Bytes In/Out:" "Pkts In/Out:" "MRU:" "Rx Speed:" "Tx Speed:" "Filter in:" "Filter out:" \
	"Intercepted:" "Walled Garden:" "Throttled:"; do
	printf '%s\n' "$det" | grep -qP "^\t\Q$f\E" || { echo "  (missing detail line $f)"; miss=1; }
done
check "show session $SID1: 'Session N:' and every detail line of the reference" \
	bash -c "[ -z '${miss:-}' ] && printf '%s\n' \"\$1\" | head -1 | grep -qx 'Session $SID1:'" _ "$det"
check "show session $SID1: PPP Phase Network with IPCP state Opened, not intercepted/throttled" \
	bash -c "printf '%s\n' \"\$1\" | grep -qP '^\tPPP Phase:\tNetwork IPCP state: Opened' &&
		printf '%s\n' \"\$1\" | grep -qP '^\tIntercepted:\tno$' && printf '%s\n' \"\$1\" | grep -qP '^\tThrottled:\tno$'" _ "$det"
check "show ipcache: header, one row per session with an address, footer count" \
	bash -c "[ \"\$(printf '%s\n' \"\$1\" | head -1)\" = \"\$(printf '%7s %s' 'Sess#' 'IP Address')\" ] &&
		[ \$(printf '%s\n' \"\$1\" | grep -cE '^ +[0-9]+ 100\.$X\.') = 10 ] && printf '%s\n' \"\$1\" | grep -qx '10 entries in cache'" _ "$(sec3 "show ipcache")"
check "show histogram idle/open: totals 10 sessions" \
	bash -c "printf '%s\n' \"\$1\" | grep -qE '^total +10$' && printf '%s\n' \"\$2\" | grep -qE '^total +10$'" _ \
	"$(sec3 "show histogram idle")" "$(sec3 "show histogram open")"
check "show tbf: the reference's header and footer" \
	bash -c "printf '%s\n' \"\$1\" | head -1 | grep -qE '^  TBF#   Sid  Rate Credit Queued \| +ByteIn +PackIn ByteSent PackSent PackDrop PackDelay$' &&
		printf '%s\n' \"\$1\" | grep -qx '0 tbf entries used, 0 total'" _ "$(sec3 "show tbf")"
check "throttle USER in 64 out 128: recorded, says not active yet" \
	bash -c "printf '%s\n' \"\$1\" | grep -q 'Recorded for session' && printf '%s\n' \"\$1\" | grep -q 'not active yet'" _ "$(sec3 "throttle $U1 in 64 out 128")"
check "throttle of an already throttled user: refused" \
	bash -c "printf '%s\n' \"\$1\" | grep -q 'already throttled'" _ "$(sec3 "throttle $U1")"
check "filter with an undefined access list: refused" \
	bash -c "printf '%s\n' \"\$1\" | grep -q 'nosuchacl is not defined'" _ "$(sec3 "filter $U1 in nosuchacl")"
det2=$(section "$SIM_DIR/s3" "show session $SID1" | tail -n +1 | sed -n '/Throttled:/,$p;/Intercepted:/p;/Filter in:/p' | head -20)
check "show session after snoop/throttle/filter: the requests shown, marked not active" \
	bash -c "grep -qP '^\tIntercepted:\t10\.9\.9\.9:5000 \(requested' '$SIM_DIR/s3' && grep -qP '^\tThrottled:\trequested \(64/128 kbps' '$SIM_DIR/s3' &&
		grep -qP '^\tFilter in:\tblockme \(requested' '$SIM_DIR/s3' && grep -qP '^\tTBFI#0\t +64 ' '$SIM_DIR/s3'"
check "show throttle: the throttled session's row, then none after no throttle" \
	bash -c "grep -qE '^ +$SID1 +[0-9]+ $U1 +128 +64 +128 ' '$SIM_DIR/s3' && awk -v c='=== show throttle' '\$0==c{n++} n==2' '$SIM_DIR/s3' | grep -q '0 requested'"
check "no snoop / no throttle / no filter: cleared" \
	bash -c "for c in 'no throttle $U1' 'no snoop $U1' 'no filter $U1'; do awk -v c=\"=== \$c\" '\$0==c{on=1;next} /^=== /{on=0} on' '$SIM_DIR/s3' | grep -q 'Cleared for session' || exit 1; done"

# remote, unprivileged then enabled
SID=$(sec "show session" | awk 'NR==2{print $1}')
rcl -u admin -p plainpw -e enpw "drop session $SID" "enable" "drop session $SID" "show session" \
	>"$SIM_DIR/r1" 2>&1
check "remote: drop session before enable refused" \
	bash -c "section() { awk -v c=\"=== \$2\" '\$0==c{on=1;getline;next} /^=== /{on=0} on' \"\$1\"; }; ! section '$SIM_DIR/r1' 'drop session $SID' | head -2 | grep -q Dropping"
check "remote: enable gives the # prompt" grep -q '^l2tpns# *$' "$SIM_DIR/r1"
check "remote: drop session $SID after enable: Dropping" grep -qx "Dropping session $SID" "$SIM_DIR/r1"
check "remote: show session in the same connection after the drop: SID $SID lost its address (live data, not a login-time snapshot)" \
	bash -c "grep -q '^  SID  TID Username' '$SIM_DIR/r1' && ! grep -qE '^ +$SID +[0-9]+ user[0-9]+ +100\.' '$SIM_DIR/r1'"
# The session lingers in CLOSING (its row without an address) until the
# CDN's retransmission hold ends; the other 9 keep their addresses. Each poll
# is a new connection and the data comes from a fresh worker, not a snapshot.
gone() { ! grep -qE "^ +$SID +[0-9]+ user[0-9]+ +100\." "$SIM_DIR/s2"; }
for _ in $(seq 1 30); do
	cl "show session" >"$SIM_DIR/s2" 2>&1
	gone && break
	sleep 0.2
done
s2rows=$(section "$SIM_DIR/s2" "show session" | grep -cE " 100\.$X\.[0-9]+\.[0-9]+ ")
check "show session after the drop: 9 rows with an address ($s2rows), SID $SID has none" \
	bash -c "[ $s2rows = 9 ] && ! grep -qE '^ +$SID +[0-9]+ user[0-9]+ +100\.' '$SIM_DIR/s2'"

# debug streaming, drop tunnel
TID=$(section "$SIM_DIR/s1" "show tunnels" | awk 'NR==2{print $1}')
cl enable "debug all" "drop tunnel $TID" "sleep:2.5" "no debug" >"$SIM_DIR/d1" 2>&1
check "debug all: the daemon's log lines stream into the CLI" grep -q "info: cli 127.0.0.1: drop tunnel $TID" "$SIM_DIR/d1"
check "drop tunnel $TID: Dropping" grep -qx "Dropping tunnel $TID" "$SIM_DIR/d1"
sim_stop_capture
msgs() { tshark -r "$SIM_DIR/cli.pcap" -Y "ip.src==$LNS_IP && l2tp.avp.message_type==$1" 2>/dev/null | wc -l; }
check "capture: a CDN from the LNS for the dropped session ($(msgs 14))" test "$(msgs 14)" -ge 1
check "capture: a StopCCN from the LNS for the dropped tunnel ($(msgs 4))" test "$(msgs 4)" -ge 1
check "capture: that StopCCN carries result 1 (general request to clear)" \
	test "$(tshark -r "$SIM_DIR/cli.pcap" -Y "ip.src==$LNS_IP && l2tp.avp.message_type==4" -T fields -e l2tp.result_code 2>/dev/null | head -1 | cut -d, -f1)" = 1

cl enable "clear counters" "show counters" >"$SIM_DIR/k1" 2>&1
check "clear counters: session_created back to 0" \
	bash -c "section() { awk -v c=\"=== \$2\" '\$0==c{on=1;getline;next} /^=== /{on=0} on' \"\$1\"; }; section '$SIM_DIR/k1' 'show counters' | grep -qE '^session_created +0$'"

# ---- 3b. the data plane keeps flowing while CLI work happens -----------------------
# Two more sessions carry UDP through the LNS to an echo server while local
# clients run show commands (listings in slices) and one client asks for
# 2000 lines of `show tunnels all` and then does not read for 3 s (worker and
# child block on their sockets, never the daemon). lacsim exits 0 only if
# both sessions stay up and at most 1% of the data is lost.
ip netns exec "$NS_HOST" "$UDPECHO" -b "$HOST_IP" -p 9000 >"$SIM_DIR/udpecho.log" 2>&1 &
SIM_PIDS+=("$!")
# the echo server must listen before the first datagram (an ASan build starts slowly)
for _ in $(seq 1 50); do nhost ss -Hlun "sport = :9000" | grep -q . && break; sleep 0.1; done
ip netns exec "$NS_LAC" "$LACSIM" -s "$LNS_IP" -t 1 -n 2 -u 'user1%d' -p secret \
	--data-to "$HOST_IP:9000" --pps 500 --size 200 --duration 4 --json \
	>"$SIM_DIR/lacsim2.json" 2>"$SIM_DIR/lacsim2.err" &
DATA=$!
SIM_PIDS+=("$DATA")
[ "${CLI_SLOW:-1}" = 1 ] && ip netns exec "$NS_LNS" "$PY" - <<'PYEOF' &
import socket, time
s = socket.create_connection(("127.0.0.1", 23), timeout=5)
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
time.sleep(0.3)
s.sendall(b"show tunnels all\r\n")
time.sleep(3)
s.close()
PYEOF
SLOW=$!
for _ in $(seq 1 "${CLI_LOAD:-10}"); do cl "show session" "show tunnels" "show pool" uptime >/dev/null 2>&1; done
wait "$DATA"
check "data through the LNS during CLI work: lacsim exit 0 (sessions up, loss <= 1%)" test $? = 0
# for diagnosis when it fails
cl "show counters" >"$SIM_DIR/data-counters" 2>&1
{ nlns nstat -az; nlns ip -s link; nhost nstat -az; nhost ip -s link; } >"$SIM_DIR/data-nstat" 2>&1
wait "$SLOW"
check "the daemon is still running" kill -0 "$LNS_PID"

# ---- 3c. never stall: listings of 3000 sessions, readers that stop ----------------
# 3000 more sessions (30 tunnels x 100). One client lists them over and over
# (show session, reading as fast as it can), three send `show session` and
# never read (their listings must wait for them, the daemon must not); while
# that runs, a new tunnel with two sessions is set up (control traffic) and
# carries data through the LNS as in 3b (lacsim exit 0: loss <= 1%), and
# another client's show counters is answered within 5 s.
LOAD="$ROOT/tools/bench/cli_load.py"
ip netns exec "$NS_LAC" "$LACSIM" -s "$LNS_IP" -t 30 -n 100 -u 'big%d' -p secret --hold 120 \
	--timeout 60 >"$SIM_DIR/big.out" 2>"$SIM_DIR/big.err" &
BIG=$!
SIM_PIDS+=("$BIG")
for _ in $(seq 1 600); do
	grep -q "sessions up 3000/3000" "$SIM_DIR/big.err" 2>/dev/null && break
	kill -0 "$BIG" 2>/dev/null || break
	sleep 0.1
done
check "3c: 3000 more sessions up" grep -q "sessions up 3000/3000" "$SIM_DIR/big.err"
stalls=()
for k in 1 2 3; do
	ip netns exec "$NS_LNS" "$PY" "$LOAD" 127.0.0.1 23 stall 6 >/dev/null 2>&1 &
	stalls+=("$!")
done
ip netns exec "$NS_LNS" "$PY" "$LOAD" 127.0.0.1 23 loop 6 >"$SIM_DIR/listings" 2>&1 &
LISTER=$!
sleep 1
ip netns exec "$NS_LAC" "$LACSIM" -s "$LNS_IP" -t 1 -n 2 -u 'user1%d' -p secret \
	--data-to "$HOST_IP:9000" --pps 500 --size 200 --duration 3 --json \
	>"$SIM_DIR/lacsim3.json" 2>"$SIM_DIR/lacsim3.err" &
DATA=$!
SIM_PIDS+=("$DATA")
sleep 1
t0=$(date +%s%N)
cl "show counters" >"$SIM_DIR/k3" 2>&1
t1=$(date +%s%N)
check "3c: show counters answered within 5 s during the listings ($(( (t1 - t0) / 1000000 )) ms)" \
	bash -c "[ $(( (t1 - t0) / 1000000 )) -lt 5000 ] && grep -q '^session_created' '$SIM_DIR/k3'"
wait "$DATA"
check "3c: a new tunnel set up and data through the LNS during the listings: lacsim exit 0" test $? = 0
wait "$LISTER" "${stalls[@]}"
check "3c: complete listings of every session meanwhile ($(cat "$SIM_DIR/listings"))" \
	awk '$1 == "listings" && $2 >= 1 && $4 >= 3000 { ok = 1 } END { exit !ok }' "$SIM_DIR/listings"
kill -INT "$BIG" 2>/dev/null
wait "$BIG" 2>/dev/null
check "3c: the daemon is still running" kill -0 "$LNS_PID"

# ---- 4. configure terminal, write memory, restart ------------------------------------
cl enable "configure terminal" "set debug 4" "set no_such_var 1" "exit" "show running-config" >"$SIM_DIR/c1" 2>&1
check "configure: set debug 4 shows in show running-config" grep -qx 'set debug 4' "$SIM_DIR/c1"
check "show running-config (enabled): shows the radius_secret" grep -qx 'set radius_secret "r4d1u5"' "$SIM_DIR/c1"
check "configure: an unknown variable is refused with a message" grep -q "no_such_var" "$SIM_DIR/c1"
cl enable "show running-config" "write memory" >"$SIM_DIR/c2" 2>&1
section "$SIM_DIR/c2" "show running-config" >"$SIM_DIR/rc.before"
check "write memory: written to the startup-config" grep -qx "Configuration written to $cfg" "$SIM_DIR/c2"
check "write memory: the file has set debug 4" grep -qx 'set debug 4' "$cfg"
kill -TERM "$LNS_PID"
wait "$LNS_PID" 2>/dev/null
sim_start_lns || exit 1
cl enable "show running-config" >"$SIM_DIR/c3" 2>&1
section "$SIM_DIR/c3" "show running-config" >"$SIM_DIR/rc.after"
check "restart: show running-config is the same as before write memory" \
	bash -c "[ -s '$SIM_DIR/rc.after' ] && cmp -s '$SIM_DIR/rc.before' '$SIM_DIR/rc.after'"

# ---- 5. nsctl ---------------------------------------------------------------------------
ip netns exec "$NS_LNS" "$NSCTL" help >"$SIM_DIR/n1" 2>&1
check "nsctl help: exit 0" test $? = 0
ip netns exec "$NS_LNS" "$NSCTL" frobnicate now >"$SIM_DIR/n2.out" 2>"$SIM_DIR/n2.err"
check "nsctl unknown command: exit 1" test $? = 1
check "nsctl unknown command: 'unhandled action' on stderr (no plugin handles it)" \
	grep -q "unhandled action" "$SIM_DIR/n2.err"
ip netns exec "$NS_LNS" "$NSCTL" load_plugin no_such_plugin >/dev/null 2>"$SIM_DIR/n3.err"
check "nsctl load_plugin of a plugin that is not installed: exit 1, logged with its name" \
	bash -c "[ $? = 1 ] && grep -q 'error loading plugin' '$SIM_DIR/n3.err' && grep -q 'plugin no_such_plugin: cannot load ' '$log'"

# ---- 6. reload and shutdown ---------------------------------------------------------
r0=$(count 'configuration reloaded')
cl enable reload >"$SIM_DIR/x1" 2>&1
sleep 0.5
check "reload: the startup-config is re-read (as SIGHUP)" test "$(count 'configuration reloaded')" = $((r0 + 1))
cl enable shutdown >"$SIM_DIR/x2" 2>&1
for _ in $(seq 1 50); do kill -0 "$LNS_PID" 2>/dev/null || break; sleep 0.1; done
check "shutdown: the daemon exits (as SIGQUIT)" bash -c "! kill -0 $LNS_PID 2>/dev/null"
check "shutdown: logged as shutting down" grep -q "shutting down" "$log"

check "no sanitizer report from the daemon" bash -c "! cat '$SIM_DIR'/l2tpns*.out 2>/dev/null | grep -q 'Sanitizer\\|runtime error'"
sim_done
