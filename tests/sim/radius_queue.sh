#!/usr/bin/env bash
# RADIUS accounting that loses nothing (issue 6), against real FreeRADIUS:
#
#   lac (lacsim) --- lns (l2tpns 10.X.2.1) --- host: rad1 10.X.2.2
#
# 0. 2,000 logins in a burst all succeed and are all accounted (the request
#    window keeps a single-threaded server from being overrun).
# 1. Framed-Route: the routes of an Access-Accept become kernel routes to the
#    tun (and `show session` lists them), removed when the session ends.
#    DAE: a stale Event-Timestamp is ignored, a retransmitted request answered
#    from the replay cache, not acted on twice.
# 2. The accounting queue at its bound (radius_accounting_queue 16): with the
#    server down and interims piling up, the oldest Interim-Updates are dropped,
#    never a Stop; when the server returns every Stop arrives.
# 3. SIGQUIT with the server down waits radius_shutdown_wait seconds for the
#    Stops, then exits and says how many were left; with the server up, the
#    Stops and Accounting-Off are acknowledged before the exit.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/radius_lib.sh"
LACSIM=$BIN/lacsim
[ -x "$LACSIM" ] || LACSIM=$ROOT/build/bin/lacsim
CLI="$ROOT/tests/sim/cli_client.py"
LOG=$SIM_DIR/l2tpns.log
command -v freeradius >/dev/null || { echo "  FAIL freeradius not installed (tools/deps.sh)"; exit 1; }

sim_setup
rad_setup
rad_start rad1 "$RAD1_IP" || exit 1
lns_config "set primary_radius $RAD1_IP"
sim_start_lns || exit 1

# -- 0. a burst of 2,000 logins: the window keeps the server from drowning ------------
lac burst -t 10 -n 200 -u 'load%d' -p secret --hold 2 --timeout 60
check "2,000 logins at once through RADIUS: all up ($(j "$SIM_DIR/burst.json" up)/2000, failed $(j "$SIM_DIR/burst.json" failed))" \
	test "$(j "$SIM_DIR/burst.json" up)/$(j "$SIM_DIR/burst.json" failed)" = 2000/0
rad_wait 20 'load[0-9]+' Stop 2000 rad1
check "... 2,000 Starts and 2,000 Stops ($(rad_count 'load[0-9]+' Start rad1)/$(rad_count 'load[0-9]+' Stop rad1))" \
	test "$(rad_count 'load[0-9]+' Start rad1)/$(rad_count 'load[0-9]+' Stop rad1)" = 2000/2000

lns_quit
lns_config "set primary_radius $RAD1_IP" "set radius_interim 1" "set radius_accounting_queue 16" \
	"set radius_retries 1" "set radius_shutdown_wait 4"
lns_restart || exit 1

# -- 1. Framed-Route ------------------------------------------------------------------
lac_bg routed -t 1 -n 1 -u routed -p secret --hold 12
wait_up routed 1 10
routes() { nlns ip -4 route show dev tun0 2>/dev/null; }
check "Framed-Route 100.$X.201.0/24 routed to the tun" bash -c "grep -q '^100.$X.201.0/24' <<<'$(routes)'"
check "Framed-Route 100.$X.202.16/28 (gateway and metric ignored) routed to the tun" \
	bash -c "grep -q '^100.$X.202.16/28' <<<'$(routes)'"
rsid=$(cl "show session" 2>/dev/null | awk '$3 == "routed" {print $1; exit}')
nroutes=$( [ -n "$rsid" ] && cl "show session $rsid" 2>/dev/null | grep -c 'Route:')
check "show session $rsid lists both routes (${nroutes:-none})" test "${nroutes:-0}" = 2
lac_wait routed
sleep 1
check "the routes are removed when the session ends" bash -c "! grep -qE '^100.$X.20[12]' <<<'$(routes)'"

# -- DAE replays (RFC 5176 §6.4) ------------------------------------------------------------
lac_bg dup -t 1 -n 1 -u 'dae7' -p secret --hold 20
wait_up dae7 1 10
dae() { nhost python3 "$ROOT/tests/sim/dae_send.py" "$LNS_HOST_IP" 3799 "$RAD_SECRET" "$@"; }
out=$(dae dae7 --timestamp-offset -3600)
check "a Disconnect-Request with an Event-Timestamp an hour old: no answer ($out)" test "$out" = none
check "... and the session is still up" bash -c "! grep -q 'user=dae7 dropping' '$LOG'"
out=$(dae dae7 --times 2 --timestamp-offset 0 | tr '\n' ' ')
check "the same Disconnect-Request twice: two ACKs (the second from the replay cache: $out)" \
	test "$out" = "41 - 41 - "
check "... the session dropped once" test "$(grep -c 'user=dae7 dropping: Disconnect-Request' "$LOG")" = 1
lac_wait dup

# -- 2. the queue at its bound ------------------------------------------------------------
lac_bg q -t 1 -n 6 -u 'down%d' -p secret --hold 6
wait_up 'down[0-9]+' 6 10
rad_wait 5 'down[0-9]+' Start 6 rad1
rad_stop rad1
lac_wait q
sleep 3	# 6 sessions x 1 interim/s against a bound of 16, Stops queued, no server
drops_i=$(grep -c 'accounting queue full (16): oldest status 3 record dropped' "$LOG")
drops_s=$(grep -c 'accounting queue full (16): oldest status 2 record dropped' "$LOG")
check "at the bound, Interim-Updates are dropped ($drops_i)" is_ge "$drops_i" 1
check "... and no Stop ($drops_s)" test "$drops_s" = 0
rad_start rad1 "$RAD1_IP" || exit 1
rad_wait 20 'down[0-9]+' Stop 6 rad1
check "server back: all 6 Stops recorded ($(rad_count 'down[0-9]+' Stop rad1))" \
	test "$(rad_count 'down[0-9]+' Stop rad1)" = 6

# -- 3. SIGQUIT waits for the Stops, bounded ------------------------------------------------
lac_bg last -t 1 -n 2 -u 'last%d' -p secret --hold 30
wait_up 'last[0-9]+' 2 10
rad_wait 5 'last[0-9]+' Start 2 rad1
rad_stop rad1
t0=$SECONDS
lns_quit
dt=$((SECONDS - t0))
check "server down: SIGQUIT exits after radius_shutdown_wait 4 s (took ${dt}s, rc=$LNS_RC)" \
	bash -c "[ '$LNS_RC' = 0 ] && [ $dt -ge 4 ] && [ $dt -le 10 ]"
check "... and says what was left unacknowledged" grep -q 'accounting records unacknowledged at exit' "$LOG"

rad_start rad1 "$RAD1_IP" || exit 1
lns_restart || exit 1
lac_bg fin -t 1 -n 2 -u 'fo%d' -p secret --hold 30
wait_up 'fo[0-9]+' 2 10
rad_wait 5 'fo[0-9]+' Start 2 rad1
lns_quit
check "server up: SIGQUIT exit 0 ($LNS_RC)" test "$LNS_RC" = 0
check "... both Stops recorded before the exit ($(rad_count 'fo[0-9]+' Stop rad1))" \
	test "$(rad_count 'fo[0-9]+' Stop rad1)" = 2
check "... Stop cause Admin-Reboot" test "$(rad_attr fo1 Stop Acct-Terminate-Cause rad1)" = Admin-Reboot
check "... then Accounting-Off" test "$(rad_count '' Accounting-Off rad1)" -ge 1
sim_done
