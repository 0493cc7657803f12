# Real FreeRADIUS servers for tests/sim scenarios. Source after lib.sh, call
# sim_setup, then rad_setup. Everything lives under $SIM_DIR; /etc/freeradius
# is never read for configuration (only the dictionaries of the package).
#
#   lns-$$ 10.X.2.1 --veth-- host-$$ 10.X.2.2  FreeRADIUS "rad1" (primary)
#                                    10.X.2.3  FreeRADIUS "rad2" (secondary)
#                                    10.X.2.4  radius_strip_ma.py -> rad1
#                                    10.X.2.5  an address no one trusts (DAE)
#
# Each instance has its own directory $SIM_DIR/rad-NAME with radiusd.conf,
# the users file (authorize), its log (freeradius -X output) and the
# accounting detail file acct/detail.

RAD_SECRET=${RAD_SECRET:-rad-sim-secret}
RAD1_IP=$HOST_IP
RAD2_IP=10.$X.2.3
RADPX_IP=10.$X.2.4
RAD_ROGUE_IP=10.$X.2.5
RAD_FIXED_IP=100.$X.200.7 # Framed-IP-Address of user "fixedip", outside the pool
RAD_FIXED_IP2=100.$X.200.8
declare -A RAD_PID=()
RAD_HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

rad_setup() {
	for a in "$RAD2_IP" "$RADPX_IP" "$RAD_ROGUE_IP"; do
		nhost ip addr add "$a/24" dev eth0
	done
	# the LNS reaches all of them on-link through eth1 (10.X.2.1/24); the
	# way back to its L2TP address, should it send from there
	nhost ip route add "10.$X.1.0/24" via "$LNS_HOST_IP"
}

# The authorize file: PAP and CHAP work for every user (the server keeps the
# cleartext password); the reply attributes are what the client must apply.
rad_users() {
	cat <<EOF
routed	Cleartext-Password := "secret"
	Framed-Route = "100.$X.201.0/24",
	Framed-Route = "100.$X.202.16/28 0.0.0.0 1"

papuser	Cleartext-Password := "pappass"
	Service-Type = Framed-User,
	Framed-Protocol = PPP,
	Class = "class-papuser"

chapuser	Cleartext-Password := "chappass"
	Class = "class-chapuser"

fixedip	Cleartext-Password := "secret"
	Framed-IP-Address = $RAD_FIXED_IP,
	Class = "class-fixedip"

fixedip2	Cleartext-Password := "secret"
	Framed-IP-Address = $RAD_FIXED_IP2

shorty	Cleartext-Password := "secret"
	Session-Timeout = 3,
	Class = "class-shorty"

idler	Cleartext-Password := "secret"
	Idle-Timeout = 2

interim	Cleartext-Password := "secret"
	Acct-Interim-Interval = 2,
	Class = "class-interim"

throttled	Cleartext-Password := "secret"
	Cisco-AVPair = "throttle=yes",
	Filter-Id = "web.in"

rejected	Cleartext-Password := "secret", Auth-Type := Reject
	Reply-Message = "account closed"

DEFAULT	User-Name =~ "^(load|fo|down|last|lost|dae|coa|gone)[0-9]+$", Cleartext-Password := "secret"
	Class = "class-%{User-Name}"
EOF
}

# rad_conf NAME IP: write the configuration directory of one instance.
rad_conf() {
	local name=$1 ip=$2 d=$SIM_DIR/rad-$1 ma_upd=""
	mkdir -p "$d/acct"
	# an empty detail file from the start: the queries read every instance's
	: >"$d/acct/detail"
	[ "${RAD_REPLY_MA:-yes}" = yes ] &&
		ma_upd=$'\t\tupdate reply {\n\t\t\t&Message-Authenticator := 0x00\n\t\t}'
	rad_users >"$d/users"
	cat >"$d/radiusd.conf" <<EOF
prefix = /usr
exec_prefix = /usr
sysconfdir = /etc
localstatedir = /var
sbindir = /usr/sbin
logdir = $d
raddbdir = $d
radacctdir = $d/acct
name = radiusd
confdir = $d
modconfdir = $d
run_dir = $d
db_dir = $d
libdir = /usr/lib/freeradius
pidfile = $d/radiusd.pid
max_request_time = 30
cleanup_delay = 2
max_requests = 65536
hostname_lookups = no

log {
	destination = files
	file = $d/radius.log
	auth = yes
}

security {
	allow_core_dumps = no
	max_attributes = 200
	reject_delay = 0
	status_server = yes
}

thread pool {
	start_servers = 4
	max_servers = 16
	min_spare_servers = 2
	max_spare_servers = 8
	max_requests_per_server = 0
}

# The LNS, and the stripping proxy relaying for it. Every Access-Request must
# carry a Message-Authenticator (RFC 3579 section 3.2; BlastRADIUS).
client lns {
	ipaddr = $LNS_HOST_IP
	secret = $RAD_SECRET
	require_message_authenticator = ${RAD_CLIENT_MA:-yes}
	nas_type = other
}
# (the same LNS if its RADIUS sockets are bound to its L2TP address)
client lns_l2tp {
	ipaddr = $LNS_IP
	secret = $RAD_SECRET
	require_message_authenticator = ${RAD_CLIENT_MA:-yes}
	nas_type = other
}
client stripproxy {
	ipaddr = $RADPX_IP
	secret = $RAD_SECRET
	require_message_authenticator = ${RAD_CLIENT_MA:-yes}
	nas_type = other
}

modules {
	pap {
		normalise = yes
	}
	chap {
	}
	files {
		filename = $d/users
		acctusersfile = $d/acct_users
		preproxy_usersfile = $d/preproxy_users
	}
	detail {
		filename = $d/acct/detail
		escape_filenames = no
		permissions = 0600
		header = "%t"
		locking = no
		log_packet_header = no
	}
}

server default {
	listen {
		type = auth
		ipaddr = $ip
		port = 1812
	}
	listen {
		type = acct
		ipaddr = $ip
		port = 1813
	}
	authorize {
		files
		chap
		pap
	}
	authenticate {
		Auth-Type PAP {
			pap
		}
		Auth-Type CHAP {
			chap
		}
	}
	preacct {
	}
	accounting {
		detail
	}
	# FreeRADIUS 3.2.1 signs only EAP replies with a Message-Authenticator;
	# these updates make it sign every Access-Accept and Access-Reject (the
	# encoder fills in the HMAC-MD5 of RFC 3579 section 3.2), as 3.2.5 and
	# later do by default since BlastRADIUS. RAD_REPLY_MA=no: stock 3.2.1.
	post-auth {
$ma_upd
		Post-Auth-Type REJECT {
$ma_upd
		}
	}
}
EOF
	: >"$d/acct_users"
	: >"$d/preproxy_users"
}

# rad_status IP [PORT]: 0 when a server answers Status-Server (RFC 5997) there,
# asked from the LNS namespace (the only client it knows besides the proxy).
rad_status() {
	printf 'Message-Authenticator = 0x00\n' |
		timeout 5 ip netns exec "$NS_LNS" radclient -q -t 1 -r 1 "$1:${2:-1812}" status "$RAD_SECRET" \
			>/dev/null 2>&1
}

# rad_start NAME IP: start (or restart) an instance in the host namespace and
# wait until it answers. The configuration is written on first start only, so
# that a restarted server appends to the same detail file.
rad_start() {
	local name=$1 ip=$2 d=$SIM_DIR/rad-$1
	[ -f "$d/radiusd.conf" ] || rad_conf "$name" "$ip"
	# -X: foreground, one thread, full debug to stdout (kept: it shows what
	# the LNS sent, attribute by attribute)
	ip netns exec "$NS_HOST" freeradius -X -d "$d" -n radiusd >>"$d/debug.log" 2>&1 &
	RAD_PID[$name]=$!
	SIM_PIDS+=("$!")
	for _ in $(seq 1 50); do
		rad_status "$ip" && return 0
		kill -0 "${RAD_PID[$name]}" 2>/dev/null || break
		sleep 0.1
	done
	echo "  FreeRADIUS $name did not start:"
	tail -20 "$d/debug.log"
	kill "${RAD_PID[$name]}" 2>/dev/null
	RAD_PID[$name]=
	return 1
}

# rad_stop NAME: stop an instance (SIGTERM) and wait until its port is closed.
rad_stop() {
	local p=${RAD_PID[$1]:-}
	[ -n "$p" ] || return 0
	kill "$p" 2>/dev/null
	for _ in $(seq 1 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
	kill -9 "$p" 2>/dev/null
	wait "$p" 2>/dev/null
	RAD_PID[$1]=
	return 0
}

rad_detail_file() { echo "$SIM_DIR/rad-$1/acct/detail"; }

# rad_detail ARGS...: query the detail files (see radius_detail.py); the
# arguments rad1, rad2 are replaced by those instances' detail files.
rad_detail() {
	local args=() x
	for x in "$@"; do
		case $x in
		rad[0-9]) args+=("$(rad_detail_file "$x")") ;;
		*) args+=("$x") ;;
		esac
	done
	python3 "$RAD_HERE/radius_detail.py" "${args[@]}"
}

# rad_packets NAME ARGS...: query the packets an instance received and sent
# (its -X log) since the last rad_mark NAME, e.g.
#   rad_packets rad1 -w _code=Access-Request -w User-Name=x -c
declare -A RAD_MARK=()
rad_mark() { RAD_MARK[$1]=$(stat -c %s "$SIM_DIR/rad-$1/debug.log" 2>/dev/null || echo 0); }
rad_packets() {
	local n=$1
	shift
	tail -c +$((${RAD_MARK[$n]:-0} + 1)) "$SIM_DIR/rad-$n/debug.log" |
		python3 "$RAD_HERE/radius_detail.py" --packets /dev/stdin "$@"
}

# The hot path of the checks, in awk (python's start-up is slow on a loaded
# machine): records are paragraphs, "<TAB>Attr = value" lines.
RAD_AWK='BEGIN { RS = ""; FS = "\n"; n = 0 }
{
	usr = ""; st = ""; val = ""
	for (i = 2; i <= NF; i++) {
		l = $i; sub(/^[ \t]+/, "", l); p = index(l, " = ")
		if (!p) continue
		k = substr(l, 1, p - 1); v = substr(l, p + 3); gsub(/^"|"$/, "", v)
		if (k == "User-Name") usr = v
		if (k == "Acct-Status-Type") st = v
		if (k == a) val = v
	}
	if (usr ~ ("^(" u ")$") && st == t) { n++; last = val }
}'
# rad_attr USER STATUS ATTR [NAME...]: ATTR of the last STATUS record of USER
# (default instances rad1 rad2), empty when there is none
rad_attr() {
	local u=$1 t=$2 a=$3 f=()
	shift 3
	for x in "${@:-rad1 rad2}"; do for y in $x; do f+=("$(rad_detail_file "$y")"); done; done
	awk -v u="$u" -v t="$t" -v a="$a" "$RAD_AWK"' END { print last }' "${f[@]}" 2>/dev/null
}
# rad_count USER_ERE STATUS [NAME...]: how many STATUS records of users
# matching USER_ERE (anchored)
rad_count() {
	local u=$1 t=$2 f=()
	shift 2
	for x in "${@:-rad1 rad2}"; do for y in $x; do f+=("$(rad_detail_file "$y")"); done; done
	awk -v u="$u" -v t="$t" -v a=User-Name "$RAD_AWK"' END { print n }' "${f[@]}" 2>/dev/null || echo 0
}

# rad_probe NS SERVER[:PORT] USER PASSWORD [--chap] [--no-ma]: one
# Access-Request built without FreeRADIUS's code; prints the JSON verdict.
rad_probe() {
	local ns=$1
	shift
	timeout 10 ip netns exec "$ns" python3 "$RAD_HERE/radius_probe.py" "$1" "$RAD_SECRET" "${@:2}" --brief
}

# rad_wait SECONDS USER_ERE STATUS [MIN [NAME...]]: wait until at least MIN
# (default 1) such records exist.
rad_wait() {
	local end=$((SECONDS + $1)) u=$2 t=$3 min=${4:-1}
	shift 3
	[ $# -gt 0 ] && shift
	while :; do
		[ "$(rad_count "$u" "$t" "$@")" -ge "$min" ] && return 0
		[ $SECONDS -ge $end ] && return 1
		sleep 0.2
	done
}

# rad_client NS ARGS...: radclient in a namespace, bounded in time. Prints
# radclient's -x output (the reply's code and attributes).
rad_client() {
	local ns=$1
	shift
	timeout 10 ip netns exec "$ns" radclient -x "$@" 2>&1
}

# rad_dae KIND ATTRS [FROM_IP] [SECRET]: send a Disconnect-Request (KIND
# disconnect) or CoA-Request (KIND coa) to the LNS's DAE port from the host
# namespace. ATTRS is radclient input, one attribute a line. The source
# address is chosen with a host route to the LNS (radclient cannot bind).
# A Message-Authenticator is added (RAD_DAE_MA=no: none), as FreeRADIUS's
# own coa-relay does; radclient 3.2.1 computes it over the packet with the
# Request Authenticator zeroed (RFC 5176 section 3.1), then the Request
# Authenticator as for accounting (RFC 5176 section 2.3).
rad_dae() {
	local kind=$1 attrs=$2 from=${3:-$RAD1_IP} secret=${4:-$RAD_SECRET} out
	[ "${RAD_DAE_MA:-yes}" = yes ] && attrs+=$'\nMessage-Authenticator = 0x00'
	nhost ip route replace "$LNS_HOST_IP/32" dev eth0 src "$from"
	out=$(printf '%s\n' "$attrs" | rad_client "$NS_HOST" -t 1.5 -r 1 \
		"$LNS_HOST_IP:${RAD_DAE_PORT:-3799}" "$kind" "$secret")
	nhost ip route del "$LNS_HOST_IP/32" dev eth0 2>/dev/null
	echo "$out"
}

# rad_strip_start [TARGET_IP]: the Message-Authenticator stripping relay on
# RADPX_IP:1812/1813 in the host namespace, in front of TARGET (rad1).
rad_strip_start() {
	local target=${1:-$RAD1_IP}
	ip netns exec "$NS_HOST" python3 "$RAD_HERE/radius_strip_ma.py" "$RADPX_IP" "$target" \
		"$RAD_SECRET" >"$SIM_DIR/strip.log" 2>&1 &
	RAD_STRIP_PID=$!
	SIM_PIDS+=("$!")
	for _ in $(seq 1 50); do
		grep -q '^ready' "$SIM_DIR/strip.log" 2>/dev/null && return 0
		sleep 0.1
	done
	cat "$SIM_DIR/strip.log"
	return 1
}

rad_strip_stop() {
	[ -n "${RAD_STRIP_PID:-}" ] && kill "$RAD_STRIP_PID" 2>/dev/null
	wait "${RAD_STRIP_PID:-}" 2>/dev/null
	RAD_STRIP_PID=
	return 0
}

# ---- scenario helpers shared by radius*.sh (need LACSIM, CLI, LOG set by the script) ----
# j FILE KEY: a number from lacsim's --json output ("ERR" when there is none);
# the keys used here (up failed dropped tx_pkts tx_bytes rx_pkts rx_bytes)
# occur once in it
j() { local v; v=$(sed -n "s/.*\"$2\":\([0-9]*\).*/\1/p" "$1" 2>/dev/null); echo "${v:-ERR}"; }
# lac NAME ARGS...: lacsim to $SIM_DIR/NAME.json, bounded in time
lac() {
	local n=$1
	shift
	timeout 60 ip netns exec "$NS_LAC" "$LACSIM" -s "$LNS_IP" --json --timeout 10 "$@" \
		>"$SIM_DIR/$n.json" 2>"$SIM_DIR/$n.err"
}
declare -A LACPID=()
lac_bg() {
	local n=$1
	shift
	timeout 60 ip netns exec "$NS_LAC" "$LACSIM" -s "$LNS_IP" --json --timeout 10 "$@" \
		>"$SIM_DIR/$n.json" 2>"$SIM_DIR/$n.err" &
	LACPID[$n]=$!
	SIM_PIDS+=("$!")
}
lac_wait() { wait "${LACPID[$1]}" 2>/dev/null; }
# wait_up REGEX N SECONDS: until N sessions of users matching REGEX are up
wait_up() {
	local end=$((SECONDS + $3))
	while [ "$(grep -cE "user=$1 session up" "$LOG" 2>/dev/null)" -lt "$2" ]; do
		[ $SECONDS -ge $end ] && return 1
		sleep 0.1
	done
}
up_ip() { grep "user=$1 session up" "$LOG" 2>/dev/null | tail -1 | sed 's/.* ip=\([0-9.]*\).*/\1/'; }
# acct USER STATUS ATTR: ATTR of the last STATUS record of USER in rad1+rad2
acct() { rad_attr "$1" "$2" "$3"; }
nrec() { rad_count "$1" "$2"; }
hexof() { printf '0x%s' "$(printf '%s' "$1" | od -An -tx1 | tr -d ' \n')"; }
cl() { timeout 20 ip netns exec "$NS_LNS" python3 "$CLI" 127.0.0.1 23 -e enpw "$@"; }
# the configuration of one daemon run: RADIUS only (no local users)
lns_config() {
	SIM_USERS=1 sim_config "set radius_secret \"$RAD_SECRET\"" "set radius_accounting yes" \
		"set primary_radius_port 1812" "set radius_timeout 1" "set radius_retries 2" \
		"set radius_shutdown_wait 8" "set radius_dae_port 3799" \
		"set radius_dae_clients \"$RAD1_IP,$RAD2_IP\"" "$@"
	sed -i '/local_users_file/d' "$SIM_DIR/startup-config"
	printf 'enable:enpw\n' >"$SIM_DIR/users"
}
lns_quit() { # SIGQUIT and wait (bounded) for the exit; the status in LNS_RC
	kill -QUIT "$LNS_PID" 2>/dev/null
	for _ in $(seq 1 150); do kill -0 "$LNS_PID" 2>/dev/null || break; sleep 0.1; done
	if kill -9 "$LNS_PID" 2>/dev/null; then LNS_RC=killed; wait "$LNS_PID" 2>/dev/null; return; fi
	wait "$LNS_PID" 2>/dev/null
	LNS_RC=$?
}
# lns_restart: a new daemon with the current startup-config and a fresh log
LNS_RUN=1
lns_restart() {
	mv "$LOG" "$LOG.$LNS_RUN" 2>/dev/null
	LNS_RUN=$((LNS_RUN + 1))
	sim_start_lns
}
# is_ge A B for numbers, false for anything else
is_ge() { [[ $1 =~ ^[0-9]+$ && $2 =~ ^[0-9]+$ ]] && [ "$1" -ge "$2" ]; }
in_range() { [[ $1 =~ ^[0-9]+$ ]] && [ "$1" -ge "$2" ] && [ "$1" -le "$3" ]; }

