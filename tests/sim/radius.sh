#!/usr/bin/env bash
# The RADIUS client and DAE server against a real FreeRADIUS (Debian's 3.2.1,
# installed by tools/deps.sh), issue 6. Topology: lib.sh, plus radius_lib.sh's
# servers in the host namespace:
#
#   lac (lacsim) --- lns (l2tpns 10.X.2.1, DAE :3799) --- host: rad1 10.X.2.2
#                                                               rad2 10.X.2.3
#                                                strip proxy 10.X.2.4 -> rad1
#                                                 untrusted DAE 10.X.2.5
#
# 0. The harness alone (PAP/CHAP accept and reject, reply attributes, a
#    request without Message-Authenticator silently dropped by the server,
#    accounting into the detail file, the stripping proxy) checked with
#    radclient and an independent Python client, so that a broken harness is
#    reported as such before the daemon is judged.
# 1. l2tpns with rad1 primary, rad2 secondary: Accounting-On; PAP and CHAP
#    logins accepted and rejected; what the Access-Request carries; then a
#    batch of concurrent sessions: Framed-IP-Address (reachable by ping),
#    Session-Timeout, Idle-Timeout, Acct-Interim-Interval and radius_interim,
#    Start/Interim/Stop with counters equal to lacsim's, Class echoed,
#    Acct-Session-Id, NAS-Port = the CLI's SID, Acct-Terminate-Cause per
#    reason (User-Request, Session-Timeout, Idle-Timeout, Admin-Reset for DAE
#    and CLI, Lost-Carrier); DAE Disconnect by User-Name, Acct-Session-Id,
#    Framed-IP-Address (ACK), unknown session (NAK, Error-Cause 503), from an
#    untrusted address or with a wrong secret (silence); CoA changing
#    Session-Timeout live; then the primary killed (100 logins, none fails,
#    all accounted on the secondary); both killed while sessions end, one
#    restarted: every Stop arrives; SIGQUIT: the last Stop, Accounting-Off.
# 2. Through the proxy that strips Message-Authenticator from the replies:
#    login refused when it is required, accepted when not (CHAP only), and
#    accepted under `auto` from a server that has never signed.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/radius_lib.sh"
LACSIM=$BIN/lacsim
[ -x "$LACSIM" ] || LACSIM=$ROOT/build/bin/lacsim
UDPECHO=$BIN/udpecho
[ -x "$UDPECHO" ] || UDPECHO=$ROOT/build/bin/udpecho
CLI="$ROOT/tests/sim/cli_client.py"
LOG=$SIM_DIR/l2tpns.log
T_START=$SECONDS
command -v freeradius >/dev/null && command -v radclient >/dev/null || {
	echo "  FAIL freeradius/radclient not installed (tools/deps.sh installs them)"
	exit 1
}

sim_setup
rad_setup
ip netns exec "$NS_HOST" "$UDPECHO" -b "$HOST_IP" -p 9000 >"$SIM_DIR/udpecho.log" 2>&1 &
SIM_PIDS+=("$!")

# ---- 0. the harness on its own ------------------------------------------------------
echo "  -- harness: FreeRADIUS $(freeradius -v 2>/dev/null | sed -n 's/.*Version \([0-9.]*\).*/\1/p;q')"
check "harness: rad1 starts and answers Status-Server on $RAD1_IP:1812" rad_start rad1 "$RAD1_IP"
check "harness: rad2 starts and answers Status-Server on $RAD2_IP:1812" rad_start rad2 "$RAD2_IP"
if [ -z "${RAD_PID[rad1]:-}" ] || [ -z "${RAD_PID[rad2]:-}" ]; then
	echo "  FAIL the RADIUS harness is broken (no server): the daemon cannot be judged"
	sim_done
	exit 1
fi
probe() { rad_probe "$NS_LNS" "$@" 2>/dev/null; }
check "harness: PAP papuser accepted; Response Authenticator and Message-Authenticator valid" \
	test "$(probe "$RAD1_IP" papuser pappass)" = "2 True True True"
check "harness: PAP wrong password rejected, the Reject signed too" \
	test "$(probe "$RAD1_IP" papuser nope)" = "3 True True True"
check "harness: user 'rejected' rejected with the right password" \
	test "$(probe "$RAD1_IP" rejected secret | cut -d' ' -f1)" = 3
check "harness: CHAP chapuser accepted" test "$(probe "$RAD1_IP" chapuser chappass --chap)" = "2 True True True"
check "harness: CHAP wrong password rejected" test "$(probe "$RAD1_IP" chapuser nope --chap | cut -d' ' -f1)" = 3
check "harness: an Access-Request without Message-Authenticator gets no answer" \
	test "$(probe "$RAD1_IP" papuser pappass --no-ma --timeout 1 | cut -d' ' -f1)" = None
check "harness: ... and rad1 logged it as insecure" \
	grep -q "does not contain required Message-Authenticator" "$SIM_DIR/rad-rad1/debug.log"
# radclient cross-checks the reply attributes the daemon has to apply
rc_auth() { printf 'User-Name = "%s"\nUser-Password = "%s"\nMessage-Authenticator = 0x00\n' "$1" "$2" |
	rad_client "$NS_LNS" -t 2 -r 1 "$RAD1_IP:1812" auth "$RAD_SECRET"; }
rc_auth fixedip secret >"$SIM_DIR/h_fixed" 2>&1
rc_auth shorty secret >"$SIM_DIR/h_short" 2>&1
rc_auth throttled secret >"$SIM_DIR/h_thr" 2>&1
rc_auth idler secret >"$SIM_DIR/h_idle" 2>&1
rc_auth interim secret >"$SIM_DIR/h_int" 2>&1
check "harness: radclient: fixedip gets Framed-IP-Address = $RAD_FIXED_IP" \
	grep -q "Framed-IP-Address = $RAD_FIXED_IP" "$SIM_DIR/h_fixed"
check "harness: radclient: shorty gets Session-Timeout = 3 and a Class" \
	bash -c "grep -q 'Session-Timeout = 3' '$SIM_DIR/h_short' && grep -q 'Class = $(hexof class-shorty)' '$SIM_DIR/h_short'"
check "harness: radclient: throttled gets Cisco-AVPair throttle=yes and Filter-Id web.in" \
	bash -c "grep -q 'Cisco-AVPair = \"throttle=yes\"' '$SIM_DIR/h_thr' && grep -q 'Filter-Id = \"web.in\"' '$SIM_DIR/h_thr'"
check "harness: radclient: idler gets Idle-Timeout = 2, interim Acct-Interim-Interval = 2" \
	bash -c "grep -q 'Idle-Timeout = 2' '$SIM_DIR/h_idle' && grep -q 'Acct-Interim-Interval = 2' '$SIM_DIR/h_int'"
rc_acct() { printf '%s\n' "$@" | rad_client "$NS_LNS" -t 2 -r 1 "$RAD1_IP:1813" acct "$RAD_SECRET" >>"$SIM_DIR/h_acct" 2>&1; }
rc_acct 'Acct-Status-Type = Start' 'User-Name = "harness"' 'Acct-Session-Id = "00000000000000ff"' \
	"Class = $(hexof class-harness)"
rc_acct 'Acct-Status-Type = Stop' 'User-Name = "harness"' 'Acct-Session-Id = "00000000000000ff"' \
	'Acct-Input-Octets = 1234' 'Acct-Terminate-Cause = User-Request' "Class = $(hexof class-harness)"
check "harness: accounting Start and Stop answered and parsed back from the detail file" \
	test "$(rad_detail rad1 -w Acct-Session-Id=00000000000000ff -w Acct-Status-Type=Stop \
		-w Acct-Input-Octets=1234 -w Acct-Terminate-Cause=User-Request -w "Class=$(hexof class-harness)" -c)/$(
		rad_count harness Start rad1)/$(rad_attr harness Stop Acct-Input-Octets rad1)" = 1/1/1234
check "harness: the strip proxy starts on $RADPX_IP" rad_strip_start "$RAD1_IP"
check "harness: via the proxy an Accept arrives without Message-Authenticator, Response Authenticator valid" \
	test "$(probe "$RADPX_IP" papuser pappass)" = "2 True False None"
check "harness: ... the proxy removed the Message-Authenticator rad1 had put in" \
	grep -q "removed=1" "$SIM_DIR/strip.log"
rad_strip_stop
echo "  -- harness done after $((SECONDS - T_START)) s"
if [ "$fails" -gt 0 ]; then
	echo "  FAIL the RADIUS harness is broken ($fails of its checks failed): the daemon cannot be judged"
	sim_done
	exit 1
fi

# ---- 1. the daemon: rad1 primary, rad2 secondary -----------------------------------------
lns_config "set primary_radius $RAD1_IP" "set secondary_radius $RAD2_IP" \
	'set radius_authtypes "pap,chap"' "set radius_interim 3" \
	"set radius_require_message_authenticator yes" "set echo_timeout 1" "set idle_echo_timeout 3"
rad_mark rad1
sim_start_lns || exit 1
check "Accounting-On at start" rad_wait 5 '' Accounting-On

lac pap_ok -t 1 -n 1 -u papuser -p pappass -a pap
check "PAP papuser/pappass: session up" test "$(j "$SIM_DIR/pap_ok.json" up)" = 1
lac pap_bad -t 1 -n 1 -u papuser -p wrong -a pap
# a refusal counts only when the server said so: rad1 sent the Access-Reject
rejects() { rad_packets rad1 -w _dir=Sent -w _code=Access-Reject -w "_user=$1" -c; }
check "PAP wrong password: refused, after rad1's Access-Reject" \
	test "$(j "$SIM_DIR/pap_bad.json" up)/$(j "$SIM_DIR/pap_bad.json" failed)/$(rejects papuser)" = 0/1/1
lac pap_rej -t 1 -n 1 -u rejected -p secret -a pap
check "PAP user rejected by RADIUS: refused, after rad1's Access-Reject" \
	test "$(j "$SIM_DIR/pap_rej.json" up)/$(j "$SIM_DIR/pap_rej.json" failed)/$(rejects rejected)" = 0/1/1
lac chap_ok -t 1 -n 1 -u chapuser -p chappass -a chap
check "CHAP chapuser/chappass: session up" test "$(j "$SIM_DIR/chap_ok.json" up)" = 1
lac chap_bad -t 1 -n 1 -u chapuser -p wrong -a chap
check "CHAP wrong password: refused, after rad1's Access-Reject" \
	test "$(j "$SIM_DIR/chap_bad.json" up)/$(j "$SIM_DIR/chap_bad.json" failed)/$(rejects chapuser)" = 0/1/1
# what reached the server
req() { rad_packets rad1 -w _dir=Received -w _code=Access-Request "$@"; }
check "rad1 got papuser's Access-Request with User-Password" is_ge "$(req -w User-Name=papuser -w User-Password -c)" 1
# (the challenge may travel as CHAP-Challenge or, being 16 octets, as the
# Request Authenticator: RFC 2865 section 5.3; FreeRADIUS takes either)
check "rad1 got chapuser's with CHAP-Password, no User-Password" \
	test "$(req -w User-Name=chapuser -w CHAP-Password -w '!User-Password' -c)" = 2
check "the Access-Requests carry Message-Authenticator, NAS-IP-Address, NAS-Port, NAS-Port-Type Virtual, Service-Type Framed-User, Framed-Protocol PPP, Calling/Called-Station-Id, Acct-Session-Id" \
	test "$(req -w User-Name=papuser -w Message-Authenticator -w NAS-IP-Address -w NAS-Port \
		-w NAS-Port-Type=Virtual -w Service-Type=Framed-User -w Framed-Protocol=PPP \
		-w Calling-Station-Id -w Called-Station-Id -w 'Acct-Session-Id~^[0-9a-fA-F]{16}$' -c)" = 2

# -- the concurrent batch --
echo "  -- concurrent sessions at $((SECONDS - T_START)) s"
lac_bg data -t 1 -n 1 -u 'load%d' -p secret --data-to "$HOST_IP:9000" --pps 200 --size 100 --duration 5
lac_bg interim -t 1 -n 1 -u interim -p secret --hold 7
lac_bg shorty -t 1 -n 1 -u shorty -p secret --hold 12
lac_bg idler -t 1 -n 1 -u idler -p secret --hold 12
lac_bg fixed -t 1 -n 1 -u fixedip -p secret --hold 12
lac_bg dae -t 1 -n 2 -u 'dae%d' -p secret --hold 12
lac_bg coa -t 1 -n 1 -u 'coa%d' -p secret --hold 20
lac_bg gone -t 1 -n 1 -u 'gone%d' -p secret --hold 12
# lost1's lacsim is killed with SIGKILL: started without the timeout wrapper
ip netns exec "$NS_LAC" "$LACSIM" -s "$LNS_IP" --json -t 1 -n 1 -u 'lost%d' -p secret --hold 30 \
	>"$SIM_DIR/lost.json" 2>"$SIM_DIR/lost.err" &
LACPID[lost]=$!
SIM_PIDS+=("$!")
wait_up '(load1|interim|shorty|idler|fixedip|dae1|dae2|coa1|gone1|lost1)' 10 8
T_UP=$SECONDS
check "10 sessions up at once" test "$(grep -cE 'user=(load1|interim|shorty|idler|fixedip|dae[12]|coa1|gone1|lost1) session up' "$LOG")" = 10
rad_wait 3 gone1 Start
check "Framed-IP-Address: fixedip got $RAD_FIXED_IP, not a pool address" test "$(up_ip fixedip)" = "$RAD_FIXED_IP"
check "Framed-IP-Address: $RAD_FIXED_IP answers a ping from the host" \
	eval 'timeout 5 ip netns exec "$NS_HOST" ping -c 1 -W 2 "$RAD_FIXED_IP" >/dev/null 2>&1'
# the LAC disappears without a word: LCP echoes go unanswered
kill -9 "${LACPID[lost]}" 2>/dev/null
# CLI drop (Admin-Reset) and the NAS-Port = SID check
cl "show session" >"$SIM_DIR/show1" 2>&1
GONE_SID=$(awk '$3=="gone1"{print $1}' "$SIM_DIR/show1" | head -1)
cl enable "drop session ${GONE_SID:-0}" >"$SIM_DIR/drop1" 2>&1
check "Accounting-Start of gone1: NAS-Port = its SID in show session (${GONE_SID:-none})" \
	test -n "$GONE_SID" -a "$(acct gone1 Start NAS-Port)" = "${GONE_SID:-x}"
# CoA first, while coa1 is young: a Session-Timeout of its age + 4 s ends it
# 4 s after the CoA if counted from the start of the session, age + 4 s after
# it if counted from the CoA; in both readings it is still up 1 s later.
alive() { # alive USER LACNAME: up once, its lacsim running, not closed
	grep -q "user=$1 session up" "$LOG" && kill -0 "${LACPID[$2]}" 2>/dev/null &&
		! grep -q "user=$1 closed" "$LOG" && [ "$(grep -c "user=$1 session up" "$LOG")" = 1 ]
}
ST=$((SECONDS - T_UP + 4))
rad_dae coa "User-Name = \"coa1\"
Session-Timeout = $ST" >"$SIM_DIR/coa1" 2>&1
T_COA=$SECONDS
check "CoA-Request User-Name=coa1 Session-Timeout=$ST: CoA-ACK" grep -q "Received CoA-ACK" "$SIM_DIR/coa1"
sleep 1
check "... coa1 still up 1 s after the CoA (changed live, no reconnect)" alive coa1 coa
# DAE from an untrusted address and with a wrong secret: silence, nothing done
dae_open() { ip netns exec "$NS_LNS" ss -Hlun "sport = :3799" | grep -q .; }
check "DAE: the LNS listens on UDP 3799" dae_open
rad_dae disconnect 'User-Name = "dae1"' "$RAD_ROGUE_IP" >"$SIM_DIR/dae_rogue" 2>&1
check "DAE Disconnect from $RAD_ROGUE_IP (not in radius_dae_clients): no answer" \
	eval "dae_open && grep -q 'No reply' '$SIM_DIR/dae_rogue' && ! grep -q 'Received Disconnect' '$SIM_DIR/dae_rogue'"
rad_dae disconnect 'User-Name = "dae1"' "$RAD1_IP" wrong-secret >"$SIM_DIR/dae_badsecret" 2>&1
check "DAE Disconnect with a wrong secret: no answer" \
	eval "dae_open && grep -q 'No reply' '$SIM_DIR/dae_badsecret' && ! grep -q 'Received Disconnect' '$SIM_DIR/dae_badsecret'"
check "... and dae1 is still up" alive dae1 dae
# Disconnects that must succeed
DAE2_SID=$(acct dae2 Start Acct-Session-Id)
rad_dae disconnect 'User-Name = "dae1"' >"$SIM_DIR/dae_user" 2>&1
check "Disconnect-Request by User-Name: Disconnect-ACK" grep -q "Received Disconnect-ACK" "$SIM_DIR/dae_user"
rad_dae disconnect "Acct-Session-Id = \"${DAE2_SID:-none}\"" >"$SIM_DIR/dae_sid" 2>&1
check "Disconnect-Request by Acct-Session-Id (${DAE2_SID:-none}): Disconnect-ACK" \
	grep -q "Received Disconnect-ACK" "$SIM_DIR/dae_sid"
rad_dae disconnect "Framed-IP-Address = $RAD_FIXED_IP" >"$SIM_DIR/dae_ip" 2>&1
check "Disconnect-Request by Framed-IP-Address: Disconnect-ACK" grep -q "Received Disconnect-ACK" "$SIM_DIR/dae_ip"
rad_dae disconnect 'User-Name = "nosuchuser"' >"$SIM_DIR/dae_none" 2>&1
check "Disconnect-Request for an unknown session: Disconnect-NAK, Error-Cause Session-Context-Not-Found (503)" \
	bash -c "grep -q 'Received Disconnect-NAK' '$SIM_DIR/dae_none' && grep -q 'Error-Cause = Session-Context-Not-Found' '$SIM_DIR/dae_none'"
for n in data interim shorty idler fixed dae coa gone; do lac_wait "$n"; done
wait "${LACPID[lost]}" 2>/dev/null
check "the DAE'd sessions ended: dae (2) and fixedip (1) dropped by the LNS" \
	test "$(j "$SIM_DIR/dae.json" dropped)/$(j "$SIM_DIR/fixed.json" dropped)" = 2/1
check "coa1 ended by the new Session-Timeout ($((SECONDS - T_COA)) s after the CoA)" \
	test "$(j "$SIM_DIR/coa.json" dropped)" = 1
check "shorty dropped by Session-Timeout (lacsim saw the LNS end it)" test "$(j "$SIM_DIR/shorty.json" dropped)" = 1
check "idler dropped by Idle-Timeout" test "$(j "$SIM_DIR/idler.json" dropped)" = 1
# every Stop of the batch (lost1 may take idle_echo_timeout + a few seconds)
rad_wait 10 lost1 Stop
echo "  -- batch ended at $((SECONDS - T_START)) s"
cause() { acct "$1" Stop Acct-Terminate-Cause; }
check "Stop load1 (LAC hung up): User-Request" test "$(cause load1)" = User-Request
check "Stop shorty: Session-Timeout" test "$(cause shorty)" = Session-Timeout
check "Stop shorty: Acct-Session-Time 2..5 ($(acct shorty Stop Acct-Session-Time))" \
	in_range "$(acct shorty Stop Acct-Session-Time)" 2 5
check "Stop idler: Idle-Timeout" test "$(cause idler)" = Idle-Timeout
check "Stop dae1 (Disconnect by User-Name): Admin-Reset" test "$(cause dae1)" = Admin-Reset
check "Stop dae2 (Disconnect by Acct-Session-Id): Admin-Reset" test "$(cause dae2)" = Admin-Reset
check "Stop fixedip (Disconnect by Framed-IP-Address): Admin-Reset, Framed-IP-Address $RAD_FIXED_IP" \
	test "$(cause fixedip)/$(acct fixedip Stop Framed-IP-Address)" = "Admin-Reset/$RAD_FIXED_IP"
check "Stop gone1 (CLI drop session): Admin-Reset" test "$(cause gone1)" = Admin-Reset
check "Stop coa1: Session-Timeout" test "$(cause coa1)" = Session-Timeout
check "Stop lost1 (LAC vanished, no Echo-Reply): Lost-Carrier" test "$(cause lost1)" = Lost-Carrier
# the data session: counters equal what lacsim sent and received (IP bytes)
D=$SIM_DIR/data.json
check "load1: data sent and echoed ($(j "$D" tx_pkts) pkts)" \
	bash -c "[ '$(j "$D" up)' = 1 ] && [ '$(j "$D" rx_pkts)' = '$(j "$D" tx_pkts)' ]"
check "Stop load1: Acct-Input-Octets $(acct load1 Stop Acct-Input-Octets) = lacsim tx_bytes $(j "$D" tx_bytes)" \
	test "$(acct load1 Stop Acct-Input-Octets)" = "$(j "$D" tx_bytes)"
check "Stop load1: Acct-Input-Packets = lacsim tx_pkts" test "$(acct load1 Stop Acct-Input-Packets)" = "$(j "$D" tx_pkts)"
check "Stop load1: Acct-Output-Octets $(acct load1 Stop Acct-Output-Octets) = lacsim rx_bytes $(j "$D" rx_bytes)" \
	test "$(acct load1 Stop Acct-Output-Octets)" = "$(j "$D" rx_bytes)"
check "Stop load1: Acct-Output-Packets = lacsim rx_pkts" test "$(acct load1 Stop Acct-Output-Packets)" = "$(j "$D" rx_pkts)"
check "Stop load1: Acct-Input-Gigawords and Acct-Output-Gigawords 0" \
	test "$(acct load1 Stop Acct-Input-Gigawords)/$(acct load1 Stop Acct-Output-Gigawords)" = 0/0
check "Stop load1: Acct-Session-Time 4..8 s ($(acct load1 Stop Acct-Session-Time))" in_range "$(acct load1 Stop Acct-Session-Time)" 4 8
check "Start and Stop load1: Class echoed ($(hexof class-load1))" \
	test "$(acct load1 Start Class)/$(acct load1 Stop Class)" = "$(hexof class-load1)/$(hexof class-load1)"
check "Start and Stop load1: the same Acct-Session-Id, 16 hex digits" \
	bash -c "[[ '$(acct load1 Start Acct-Session-Id)' =~ ^[0-9a-fA-F]{16}$ ]] && [ '$(acct load1 Start Acct-Session-Id)' = '$(acct load1 Stop Acct-Session-Id)' ]"
check "Interim-Update for load1 (radius_interim 3): at least 1, octets between 1 and the Stop's" \
	python3 -c "
import sys; v=[int(x) for x in sys.argv[2].split()]
sys.exit(not (v and all(0 < x <= int(sys.argv[1] or 0) for x in v)))" \
	"$(acct load1 Stop Acct-Input-Octets)" "$(rad_detail rad1 rad2 -w User-Name=load1 -w Acct-Status-Type=Interim-Update -p Acct-Input-Octets | tr '\n' ' ')"
check "Interim-Update for interim (Acct-Interim-Interval 2, 7 s): at least 2 ($(nrec interim Interim-Update))" \
	is_ge "$(nrec interim Interim-Update)" 2
sids=$(rad_detail rad1 rad2 -w Acct-Status-Type=Start -w User-Name!=harness -p Acct-Session-Id)
sids_ok() { [ -n "$sids" ] && ! grep -qvE '^[0-9a-fA-F]{16}$' <<<"$sids" && [ "$(sort <<<"$sids" | uniq -d | wc -l)" = 0 ]; }
check "every Acct-Session-Id of the $(grep -c . <<<"$sids") Starts: 16 hex digits, all distinct" sids_ok
check "every session of the batch has one Start and one Stop" python3 -c "
import json,sys
want={'load1','interim','shorty','idler','fixedip','dae1','dae2','coa1','gone1','lost1'}
got={}
for l in sys.stdin:
    s=json.loads(l); u=s.get('start',s.get('stop',{})).get('User-Name')
    if u in want: got[u]=(s['Start'],s['Stop'])
sys.exit(not (set(got)==want and all(v==(1,1) for v in got.values())))" \
	< <(rad_detail rad1 rad2 --sessions)

# -- failover: the primary dies, 100 logins, none fails --------------------------------
echo "  -- failover at $((SECONDS - T_START)) s"
rad_stop rad1
lac fo -t 4 -n 25 -u 'fo%d' -p secret -r 50 --hold 1 --timeout 20
check "primary down: 100 logins, all up (lacsim up=$(j "$SIM_DIR/fo.json" up) failed=$(j "$SIM_DIR/fo.json" failed))" \
	test "$(j "$SIM_DIR/fo.json" up)/$(j "$SIM_DIR/fo.json" failed)" = 100/0
rad_wait 8 'fo[0-9]+' Stop 100 rad2
check "... the secondary got all 100 Starts and 100 Stops ($(rad_count 'fo[0-9]+' Start rad2)/$(rad_count 'fo[0-9]+' Stop rad2))" \
	test "$(rad_count 'fo[0-9]+' Start rad2)/$(rad_count 'fo[0-9]+' Stop rad2)" = 100/100

# -- both down while sessions end, one comes back: every Stop arrives --------------------
echo "  -- both servers down at $((SECONDS - T_START)) s"
lac_bg down -t 2 -n 10 -u 'down%d' -p secret --hold 6
wait_up 'down[0-9]+' 20 8
rad_wait 5 'down[0-9]+' Start 20 rad2
check "20 sessions up, their Starts on rad2 ($(rad_count 'down[0-9]+' Start rad2))" \
	test "$(rad_count 'down[0-9]+' Start rad2)" = 20
rad_stop rad2
lac_wait down
sleep 2 # the Stops are queued now, no server answers
check "while both are down no Stop of down* is recorded (the 20 sessions have ended: $(grep -cE 'user=down[0-9]+ closed' "$LOG"))" \
	test "$(rad_count 'down[0-9]+' Stop)/$(grep -cE 'user=down[0-9]+ closed' "$LOG")" = 0/20
rad_start rad1 "$RAD1_IP"
T_BACK=$SECONDS
# retransmissions back off (radius_timeout 1 doubling): allow a few rounds
rad_wait 25 'down[0-9]+' Stop 20 rad1
nstop=$(rad_detail rad1 -w 'User-Name~^down[0-9]+$' -w Acct-Status-Type=Stop --sessions | grep -c .)
check "rad1 back: every one of the 20 Stops arrives ($nstop sessions, after $((SECONDS - T_BACK)) s)" \
	test "$nstop" = 20
check "... for the Acct-Session-Ids the Starts had" test "$nstop" = 20 -a \
	"$(rad_detail rad2 -w 'User-Name~^down[0-9]+$' -w Acct-Status-Type=Start -p Acct-Session-Id | sort | tr '\n' ' ')" = \
	"$(rad_detail rad1 -w 'User-Name~^down[0-9]+$' -w Acct-Status-Type=Stop -p Acct-Session-Id | sort -u | tr '\n' ' ')"

# -- SIGQUIT with one session up: its Stop, then Accounting-Off ---------------------------
lac_bg last -t 1 -n 1 -u 'last%d' -p secret --hold 30
wait_up last1 1 8
rad_wait 5 last1 Start 1 rad1
lns_quit
check "SIGQUIT: l2tpns exits with status 0 ($LNS_RC)" test "$LNS_RC" = 0
check "SIGQUIT: last1's Stop recorded before the exit, Admin-Reboot" test "$(cause last1)" = Admin-Reboot
check "SIGQUIT: Accounting-Off" test "$(rad_count '' Accounting-Off rad1)" = 1
lac_wait last

# ---- 2. responses stripped of Message-Authenticator ----------------------------------------
echo "  -- Message-Authenticator stripped at $((SECONDS - T_START)) s"
rad_strip_start "$RAD1_IP"
lns_config "set primary_radius $RADPX_IP" 'set radius_authtypes "pap,chap"' \
	"set radius_require_message_authenticator yes"
lns_restart || exit 1
lac strip_req -t 1 -n 1 -u papuser -p pappass -a pap --timeout 8
check "required: an Access-Accept the proxy stripped of Message-Authenticator reached the LNS, and the login failed" \
	eval 'test "$(j "$SIM_DIR/strip_req.json" up)/$(j "$SIM_DIR/strip_req.json" failed)" = 0/1 &&
		grep -q "code=2 .*to=$LNS_HOST_IP:.*removed=1" "$SIM_DIR/strip.log"'
lns_quit >/dev/null
lns_config "set primary_radius $RADPX_IP" 'set radius_authtypes "chap"' \
	"set radius_require_message_authenticator no"
lns_restart || exit 1
lac strip_ok -t 1 -n 1 -u chapuser -p chappass -a chap --timeout 8
check "not required: the same stripped Accept is accepted (CHAP login up)" \
	test "$(j "$SIM_DIR/strip_ok.json" up)" = 1
lac strip_pap -t 1 -n 1 -u papuser -p pappass -a pap --timeout 5
check "radius_authtypes chap: a PAP-only peer is refused (where the CHAP login just worked)" \
	test "$(j "$SIM_DIR/strip_ok.json" up)/$(j "$SIM_DIR/strip_pap.json" up)" = 1/0
lns_quit >/dev/null
lns_config "set primary_radius $RADPX_IP" 'set radius_authtypes "pap"' \
	"set radius_require_message_authenticator auto"
lns_restart || exit 1
lac strip_auto -t 1 -n 1 -u papuser -p pappass -a pap --timeout 8
check "auto (the default): a server that never signed is still accepted (PAP login up)" \
	test "$(j "$SIM_DIR/strip_auto.json" up)" = 1
lns_quit >/dev/null
rad_strip_stop
echo "  -- done in $((SECONDS - T_START)) s"
sim_done
