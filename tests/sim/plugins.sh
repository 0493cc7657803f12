#!/usr/bin/env bash
# Plugins against the running daemon (reference §7):
#  - the startup-config's `load plugin` lines (stripdomain, sessionctl, the
#    test plugin tp_a) are loaded from plugin_dir at start; tp_a's
#    BECOME_MASTER (standalone) and TIMER hooks run (it logs through
#    pluginfuncs.log);
#  - stripdomain: lacsim logs in as "joe@isp" and the session comes up as
#    "joe", the user of the local users file;
#  - nsctl: help lists the plugins' help lines; `nsctl drop joe` (sessionctl)
#    ends the session: a CDN from the LNS with result 3 on the wire, lacsim
#    counts it as dropped; load_plugin / unload_plugin with the original's
#    texts and exit codes, a plugin whose plugin_init returns 0 refused with
#    a log line; a command no plugin handles is "unhandled action";
#  - CLI (configure terminal): `remove plugin` / `load plugin` act at once and
#    show in `show plugins` and `show running-config`; without stripdomain
#    "joe@isp" is refused;
#  - SIGHUP reconciles the loaded set with the file's `load plugin` lines.
#
#   lac (lacsim) --veth-- lns (l2tpns, nsctl, cli client on 127.0.0.1)
set -u
. "$(dirname "$0")/lib.sh"
PY=python3
CLI="$ROOT/tests/sim/cli_client.py"
LACSIM=$BIN/lacsim
NSCTL=$BIN/nsctl
TPLUG=$(dirname "$BIN")/tests/plugins
LIBDIR=$(dirname "$BIN")/lib
for f in "$LIBDIR/stripdomain.so" "$LIBDIR/sessionctl.so" "$LIBDIR/setrxspeed.so" \
	"$TPLUG/tp_a.so" "$TPLUG/tp_refuse.so"; do
	[ -e "$f" ] || { echo "  SKIP: $f not built (make all)"; exit 0; }
done

sim_setup
PD=$SIM_DIR/plugins
mkdir -p "$PD"
cp "$LIBDIR"/*.so "$TPLUG/tp_a.so" "$TPLUG/tp_refuse.so" "$PD/"
SIM_USERS=5 sim_config "set plugin_dir \"$PD\"" "load plugin stripdomain" "load plugin sessionctl" \
	"load plugin tp_a"
echo "joe secret" >>"$SIM_DIR/ppp-users"
cfg=$SIM_DIR/startup-config
log=$SIM_DIR/l2tpns.log
sim_start_lns || exit 1

cl() { ip netns exec "$NS_LNS" "$PY" "$CLI" 127.0.0.1 23 "$@"; }
section() { awk -v c="=== $2" '$0==c{on=1;getline;next} /^=== /{on=0} on' "$1" | grep -v '^l2tpns[^ ]*[>#] *$'; }
count() { grep -c -- "$1" "$log" 2>/dev/null; }
ns() { ip netns exec "$NS_LNS" "$NSCTL" "$@"; }
plugins_now() { cl "show plugins" >"$SIM_DIR/sp" 2>&1; section "$SIM_DIR/sp" "show plugins" | tr -s ' \n' ' ' | sed 's/ $//'; }

# ---- 1. loaded at start ----------------------------------------------------------------
for p in stripdomain sessionctl tp_a; do
	check "startup: plugin $p loaded from plugin_dir" grep -q "plugin $p loaded from $PD/$p.so" "$log"
done
check "startup: stripdomain's hooks are listed (pre_auth)" grep -q "plugin stripdomain loaded .* hooks: pre_auth$" "$log"
check "show plugins: the three, in load order" \
	test "$(plugins_now)" = "Plugins currently loaded: stripdomain sessionctl tp_a"
check "BECOME_MASTER at start (standalone): tp_a logged through pluginfuncs.log" \
	grep -q "plugin tp_a: a:master" "$log"
sleep 1.5
check "TIMER: tp_a's hook runs every second (>= 1 line)" test "$(count 'plugin tp_a: a:timer')" -ge 1

# ---- 2. stripdomain: joe@isp logs in as joe -----------------------------------------------
sim_capture "$SIM_DIR/plugins.pcap"
ip netns exec "$NS_LAC" "$LACSIM" -s "$LNS_IP" -t 1 -n 1 -u 'joe@isp' -p secret --hold 6 --json \
	>"$SIM_DIR/lacsim1.json" 2>"$SIM_DIR/lacsim1.err" &
LAC1=$!
SIM_PIDS+=("$LAC1")
for _ in $(seq 1 50); do [ "$(count 'session up')" -ge 1 ] && break; sleep 0.1; done
check "stripdomain: joe@isp authenticated as joe from the users file" grep -q "user=joe PAP ok" "$log"
check "stripdomain: the session is up as joe" grep -q "user=joe session up" "$log"
check "stripdomain: joe@isp appears nowhere as a user" bash -c "! grep -q 'user=joe@isp' '$log'"

# ---- 3. nsctl -----------------------------------------------------------------------------
ns help >"$SIM_DIR/n1.out" 2>&1
check "nsctl help: exit 0" test $? = 0
check "nsctl help: sessionctl's drop and kill lines" \
	bash -c "grep -q 'drop USER|SID \[REASON\]' '$SIM_DIR/n1.out' && grep -q 'kill USER|SID \[REASON\]' '$SIM_DIR/n1.out'"
check "nsctl help: tp_a's line too" grep -q 'the a command' "$SIM_DIR/n1.out"
SID=$(cl "show session" >"$SIM_DIR/s1" 2>&1; section "$SIM_DIR/s1" "show session" | awk '$3=="joe"{print $1}')
ns drop joe >"$SIM_DIR/n2.out" 2>"$SIM_DIR/n2.err"
check "nsctl drop joe: exit 0" test $? = 0
check "nsctl drop joe: 'dropped session $SID' on stdout" grep -qx "dropped session $SID" "$SIM_DIR/n2.out"
check "nsctl drop joe: logged with the plugin's name" grep -q "user=joe plugin sessionctl: shutdown" "$log"
wait "$LAC1"
sim_stop_capture
check "lacsim: its session was dropped by the LNS (dropped=1)" grep -q '"dropped":1,' "$SIM_DIR/lacsim1.json"
cdn=$(tshark -r "$SIM_DIR/plugins.pcap" -Y "ip.src==$LNS_IP && l2tp.avp.message_type==14" -T fields \
	-e l2tp.result_code 2>/dev/null | head -1 | cut -d, -f1)
check "capture: a CDN from the LNS with result 3 (administrative) ($cdn)" test "$cdn" = 3
ns drop joe >/dev/null 2>"$SIM_DIR/n3.err"
check "nsctl drop joe again: exit 1, 'no session for joe'" \
	bash -c "[ $? = 1 ] && grep -q 'no session for joe' '$SIM_DIR/n3.err'"

ns unload_plugin tp_a >/dev/null 2>&1
check "nsctl unload_plugin tp_a: exit 0" test $? = 0
check "unload: plugin_done ran (a:done) and the unload is logged" \
	bash -c "grep -q 'plugin tp_a: a:done' '$log' && grep -q 'plugin tp_a unloaded' '$log'"
ns unload_plugin tp_a >/dev/null 2>"$SIM_DIR/n4.err"
check "nsctl unload_plugin tp_a again: exit 1, 'plugin not loaded'" \
	bash -c "[ $? = 1 ] && grep -qx 'plugin not loaded' '$SIM_DIR/n4.err'"
ns unload_plugin nosuch >/dev/null 2>"$SIM_DIR/n5.err"
check "nsctl unload_plugin nosuch: exit 1, 'plugin not found'" \
	bash -c "[ $? = 1 ] && grep -qx 'plugin not found' '$SIM_DIR/n5.err'"
ns load_plugin tp_refuse >/dev/null 2>"$SIM_DIR/n6.err"
check "nsctl load_plugin tp_refuse (plugin_init returns 0): exit 1, 'error loading plugin'" \
	bash -c "[ $? = 1 ] && grep -qx 'error loading plugin' '$SIM_DIR/n6.err'"
check "tp_refuse: the refusal is logged with its name" grep -q "plugin tp_refuse: plugin_init refused to load" "$log"
ns load_plugin nosuch >/dev/null 2>"$SIM_DIR/n7.err"
check "nsctl load_plugin nosuch: exit 1, and the log names the file and dlopen's reason" \
	bash -c "[ $? = 1 ] && grep -q 'plugin nosuch: cannot load $PD/nosuch.so: No such file' '$log'"
# a plugin built for the original (Debian's l2tpns package, API version 7),
# when installed on this machine: refused before its plugin_init runs
if [ -e /usr/lib/l2tpns/garden.so ] && ! cmp -s /usr/lib/l2tpns/garden.so "$LIBDIR/garden.so" 2>/dev/null; then
	cp /usr/lib/l2tpns/garden.so "$PD/oldgarden.so"
	ns load_plugin oldgarden >/dev/null 2>"$SIM_DIR/n7b.err"
	check "the original's garden.so (API 7): exit 1, refused with a log line naming the version" \
		bash -c "[ $? = 1 ] && grep -q 'plugin oldgarden: .*plugin_api_version\\|plugin oldgarden: cannot load' '$log'"
	grep 'plugin oldgarden' "$log" | head -1 | sed 's/^/  note: /'
fi
ns load_plugin tp_a >/dev/null 2>&1
check "nsctl load_plugin tp_a: exit 0" test $? = 0
ns load_plugin tp_a >/dev/null 2>"$SIM_DIR/n8.err"
check "nsctl load_plugin tp_a again: exit 1, 'plugin already loaded'" \
	bash -c "[ $? = 1 ] && grep -qx 'plugin already loaded' '$SIM_DIR/n8.err'"
ns a >"$SIM_DIR/n9.out" 2>&1
check "nsctl a (tp_a's CONTROL hook): exit 0, 'from a'" bash -c "[ $? = 0 ] && grep -qx 'from a' '$SIM_DIR/n9.out'"
ns frobnicate now >/dev/null 2>"$SIM_DIR/n10.err"
check "nsctl frobnicate (no plugin handles it): exit 1, 'unhandled action'" \
	bash -c "[ $? = 1 ] && grep -qx 'unhandled action' '$SIM_DIR/n10.err'"

# ---- 4. CLI ---------------------------------------------------------------------------------
cl enable "configure terminal" "remove plugin stripdomain" "load plugin setrxspeed" \
	"load plugin nosuch" "remove plugin nosuch" "exit" "show plugins" "show running-config" \
	>"$SIM_DIR/c1" 2>&1
check "CLI load plugin nosuch: an error naming the plugin" \
	bash -c "section() { awk -v c=\"=== \$2\" '\$0==c{on=1;getline;next} /^=== /{on=0} on' \"\$1\"; }; section '$SIM_DIR/c1' 'load plugin nosuch' | grep -q 'Plugin nosuch: not found'"
check "CLI remove plugin nosuch: 'is not loaded'" \
	bash -c "section() { awk -v c=\"=== \$2\" '\$0==c{on=1;getline;next} /^=== /{on=0} on' \"\$1\"; }; section '$SIM_DIR/c1' 'remove plugin nosuch' | grep -q 'Plugin nosuch is not loaded'"
check "CLI: show plugins after remove/load" \
	test "$(section "$SIM_DIR/c1" "show plugins" | tr -s ' \n' ' ' | sed 's/ $//')" = \
	"Plugins currently loaded: sessionctl tp_a setrxspeed"
check "CLI: show running-config lists the loaded plugins" \
	test "$(section "$SIM_DIR/c1" "show running-config" | grep '^load plugin' | tr '\n' ' ')" = \
	'load plugin "sessionctl" load plugin "tp_a" load plugin "setrxspeed" '
check "CLI: stripdomain unloaded (logged)" grep -q "plugin stripdomain unloaded" "$log"
ip netns exec "$NS_LAC" "$LACSIM" -s "$LNS_IP" -t 1 -n 1 -u 'joe@isp' -p secret --hold 1 --timeout 4 \
	--json >"$SIM_DIR/lacsim2.json" 2>"$SIM_DIR/lacsim2.err"
check "without stripdomain: joe@isp is refused" grep -q "user=joe@isp PAP rejected" "$log"
check "without stripdomain: lacsim's session did not come up" grep -q '"up":0,' "$SIM_DIR/lacsim2.json"

# ---- 5. SIGHUP reconciles ------------------------------------------------------------------
# the file still has stripdomain, sessionctl, tp_a; make it stripdomain and setrxspeed
sed -i '/^load plugin/d' "$cfg"
printf 'load plugin stripdomain\nload plugin setrxspeed\n' >>"$cfg"
r0=$(count 'configuration reloaded')
kill -HUP "$LNS_PID"
for _ in $(seq 1 30); do [ "$(count 'configuration reloaded')" -gt "$r0" ] && break; sleep 0.1; done
check "SIGHUP: sessionctl and tp_a unloaded, stripdomain loaded, setrxspeed kept" \
	test "$(plugins_now)" = "Plugins currently loaded: setrxspeed stripdomain"
check "SIGHUP: tp_a's plugin_done ran again" test "$(count 'plugin tp_a: a:done')" = 2
ns drop joe >/dev/null 2>"$SIM_DIR/n11.err"
check "after SIGHUP: drop is nobody's command (unhandled action)" \
	bash -c "[ $? = 1 ] && grep -qx 'unhandled action' '$SIM_DIR/n11.err'"

kill -TERM "$LNS_PID"
wait "$LNS_PID" 2>/dev/null
check "exit: plugin_done of each plugin (stripdomain and setrxspeed unloaded)" \
	bash -c "grep -q 'plugin stripdomain unloaded' <(tail -5 '$log') && grep -q 'plugin setrxspeed unloaded' <(tail -5 '$log')"
check "no sanitizer report from the daemon" bash -c "! grep -q 'Sanitizer\\|runtime error' '$SIM_DIR/l2tpns.out'"
sim_done
