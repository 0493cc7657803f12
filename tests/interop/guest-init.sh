#!/bin/sh
# /init of the interop guest (busybox sh). A real LAC, xl2tpd + pppd on the
# kernel's PPPoL2TP, dials the LNS under test and runs the scenarios named on
# the kernel command line, printing one line per result on the console:
#   IT RESULT <scenario> PASS|FAIL <detail>
# The host (tests/interop/run.sh) reads the console. Parameters, from
# /proc/cmdline: itests=a,b,c ilns=IP iaddr=IP/LEN ihost=IP iuser= ipass=
# isecret= ibadsecret= imtu= iecho=SECONDS iechoint=SECONDS (pppd's
# lcp-echo-interval; 0: pppd sends none)
# Lines "IT WAIT <what>" ask the host to act; it answers by nothing but the
# effect (e.g. SIGQUIT to the LNS), which the guest then observes.

/bin/busybox --install -s /bin
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mount -t tmpfs tmp /tmp
mount -t tmpfs run /run
mkdir -p /run/xl2tpd /var/run/xl2tpd

say() { echo "IT $*"; }
result() { say "RESULT $1 $2 ${3:-}"; }
finish() {
	say "DONE"
	sync
	poweroff -f
	sleep 5
}

itests="" ilns="" iaddr="" ihost="" isecret="" ibadsecret="" xpid_bad=""
for w in $(cat /proc/cmdline); do
	case "$w" in
	itests=* | ilns=* | iaddr=* | ihost=* | iuser=* | iuser2=* | ipass=* | isecret=* | ibadsecret=* | imtu=* | iecho=* | iechoint=*)
		eval "${w%%=*}=\"\${w#*=}\""
		;;
	esac
done
: "${iuser:=alice}" "${iuser2:=bob}" "${ipass:=secret}" "${iecho:=60}" "${imtu:=1500}" "${iechoint:=5}"

for m in $(cat /etc/modules); do
	modprobe "$m" || say "modprobe $m failed"
done
ip link set lo up
ip link set eth0 up
ip addr add "$iaddr" dev eth0
# The LNS is on eth0's own subnet, so its address stays routed through the
# Ethernet link whatever the sessions install; were it routed into ppp0, the
# kernel would tunnel L2TP into itself ("Dead loop on ppp0").
[ -e /dev/ppp ] || mknod /dev/ppp c 108 0

# ---- helpers -----------------------------------------------------------------

# lac NAME PORT UNIT AUTH CHALLENGE HIDDEN SECRET [USER]: write the config of one
# xl2tpd instance (its own UDP port, so that each is its own tunnel) with one
# LAC section and the pppd options of its call.
lac() {
	name=$1 port=$2 unit=$3 auth=$4 chal=$5 hid=$6 sec=$7 user=${8:-$iuser}
	cat >/etc/xl2tpd/$name.conf <<EOF
[global]
port = $port
auth file = /etc/xl2tpd/$name.secrets
max retries = 3

[lac $name]
lns = $ilns
hostname = lac-$name
autodial = no
redial = no
length bit = yes
require authentication = no
challenge = $chal
hidden bit = $hid
ppp debug = yes
pppoptfile = /etc/ppp/options.$name
EOF
	# "us them secret": any name on either side
	if [ -n "$sec" ]; then echo "* * $sec" >/etc/xl2tpd/$name.secrets; else : >/etc/xl2tpd/$name.secrets; fi
	case "$auth" in
	pap) refuse="refuse-chap refuse-mschap refuse-mschap-v2 refuse-eap" ;;
	chap) refuse="refuse-pap refuse-mschap refuse-mschap-v2 refuse-eap" ;;
	esac
	cat >/etc/ppp/options.$name <<EOF
user $user
password $ipass
$refuse
noauth
noipdefault
ipcp-accept-local
ipcp-accept-remote
nodefaultroute
noccp
mtu $imtu
mru $imtu
lcp-echo-interval $iechoint
lcp-echo-failure 3
unit $unit
logfile /tmp/pppd-$name.log
debug
EOF
	: >/tmp/pppd-$name.log
	xl2tpd -D -c /etc/xl2tpd/$name.conf -s /etc/xl2tpd/$name.secrets \
		-p /run/xl2tpd/$name.pid -C /run/xl2tpd/$name.ctl >/tmp/xl2tpd-$name.log 2>&1 &
	eval "xpid_$name=$!"
	i=0
	while [ ! -p /run/xl2tpd/$name.ctl ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
}

# dial NAME UNIT SECONDS: connect the LAC and wait for ppp<UNIT> to get an
# address. Prints the address; fails on timeout.
dial() {
	echo "c $1" >/run/xl2tpd/$1.ctl
	i=0
	while [ $i -lt $(($3 * 5)) ]; do
		a=$(ip -4 addr show dev ppp$2 2>/dev/null | sed -n 's/.*inet \([0-9.]*\).*/\1/p')
		if [ -n "$a" ]; then echo "$a"; return 0; fi
		sleep 0.2
		i=$((i + 1))
	done
	return 1
}

pppd_pid() { # pppd_pid UNIT
	for p in /proc/[0-9]*; do
		if [ "$(cat $p/comm 2>/dev/null)" = pppd ] && tr '\0' ' ' <$p/cmdline | grep -q "options\.$1 "; then
			echo "${p#/proc/}"
			return 0
		fi
	done
	return 1
}

# pings COUNT SIZE DEV: all COUNT echoes of SIZE bytes to ihost through DEV answered?
pings() {
	out=$(ping -c "$1" -W 3 -s "$2" -I "$3" "$ihost" 2>&1)
	echo "$out" | grep -q "$1 packets transmitted, $1 packets received"
}

dump() { # dump FILE...: the logs of a failed scenario, prefixed
	for f in "$@"; do sed "s|^|IT LOG $(basename $f): |" "$f" 2>/dev/null | tail -40; done
}

# ---- scenarios -------------------------------------------------------------

up_a=""
sc_pap_chap() { # the tunnel and a session, authenticating with $1
	lac a 1701 0 "$1" no no ""
	if up_a=$(dial a 0 30); then
		if grep -q "$(echo "$1" | tr a-z A-Z) authentication succeeded" /tmp/pppd-a.log; then
			result "$1" PASS "ppp0 $up_a"
		else
			result "$1" FAIL "up as $up_a but no $1 success in the pppd log"
		fi
		ip route add "$ihost/32" dev ppp0
	else
		result "$1" FAIL "no address on ppp0 in 30 s"
		dump /tmp/pppd-a.log /tmp/xl2tpd-a.log
		finish
	fi
}

sc_mtu() {
	m=$(cat /sys/class/net/ppp0/mtu)
	if [ "$m" = "$imtu" ] && pings 3 56 ppp0 && pings 3 $((imtu - 28)) ppp0; then
		result mtu PASS "ppp0 mtu $m, 3 pings of 56 and 3 of $((imtu - 28)) bytes answered"
	else
		result mtu FAIL "ppp0 mtu $m; $(ping -c 2 -W 3 -s $((imtu - 28)) -I ppp0 "$ihost" 2>&1 | tail -2 | tr '\n' ' ')"
		dump /tmp/pppd-a.log
	fi
}

sc_echo() {
	sleep "$iecho"
	p=$(pppd_pid a)
	a=$(ip -4 addr show dev ppp0 2>/dev/null | sed -n 's/.*inet \([0-9.]*\).*/\1/p')
	rep=$(grep -c 'rcvd \[LCP EchoRep' /tmp/pppd-a.log)
	req=$(grep -c 'rcvd \[LCP EchoReq' /tmp/pppd-a.log)
	min=$((iecho / 5 - 2))
	if [ -n "$p" ] && [ "$a" = "$up_a" ] && [ "$rep" -ge "$min" ] && pings 1 56 ppp0; then
		result echo PASS "up after ${iecho} s: $rep LCP Echo-Replies from the LNS, $req Echo-Requests from it"
	else
		result echo FAIL "pppd=${p:-gone} addr=${a:-none} replies=$rep requests=$req"
		dump /tmp/pppd-a.log
	fi
}

sc_lnsecho() { # pppd silent: the LNS's own Echo-Requests keep the link checked
	sleep 25
	req=$(grep -c 'rcvd \[LCP EchoReq' /tmp/pppd-a.log)
	rep=$(grep -c 'sent \[LCP EchoRep' /tmp/pppd-a.log)
	if [ "$req" -ge 2 ] && [ "$rep" = "$req" ] && pppd_pid a >/dev/null && pings 1 56 ppp0; then
		result lnsecho PASS "$req LCP Echo-Requests from the LNS in 25 s, all answered, link up"
	else
		result lnsecho FAIL "Echo-Requests from the LNS in 25 s: $req, replies: $rep"
		dump /tmp/pppd-a.log
	fi
}

sc_cdn() { # the LAC hangs up: pppd ends, xl2tpd sends a CDN
	say "HANGUP a $up_a"
	p=$(pppd_pid a)
	kill "$p" 2>/dev/null
	i=0
	while [ -d /proc/$p ] && [ $i -lt 100 ]; do sleep 0.2; i=$((i + 1)); done
	sleep 2
	if [ ! -d /proc/$p ] && grep -q 'Connection terminated' /tmp/pppd-a.log; then
		result cdn PASS "pppd ended the call (LCP Terminate acknowledged: $(grep -c 'rcvd \[LCP TermAck' /tmp/pppd-a.log))"
	else
		result cdn FAIL "pppd still running or not terminated"
		dump /tmp/pppd-a.log /tmp/xl2tpd-a.log
	fi
}

sc_quit() { # the LNS drops the session: pppd must see it end
	p=$(pppd_pid a)
	say "WAIT quit"
	i=0
	while [ -d /proc/$p ] && [ $i -lt 150 ]; do sleep 0.2; i=$((i + 1)); done
	if [ ! -d /proc/$p ]; then
		how=$(grep -E 'LCP terminated by peer|Modem hangup|Connection terminated' /tmp/pppd-a.log | head -1)
		result quit PASS "pppd ended $((i / 5)) s after the request: $how"
	else
		result quit FAIL "pppd still up 30 s after the LNS was told to quit"
		dump /tmp/pppd-a.log /tmp/xl2tpd-a.log
	fi
}

sc_badsecret() { # a tunnel whose secret differs from the LNS's: refused
	lac bad 1711 2 pap no no "$ibadsecret"
	if a=$(dial bad 2 15); then
		result badsecret FAIL "a session came up ($a) with the wrong secret"
	else
		result badsecret PASS "no session with the wrong secret"
	fi
	dump /tmp/xl2tpd-bad.log | grep -i -E 'stopccn|result|auth|challenge|close' | head -5
	kill "$xpid_bad" 2>/dev/null
}

sc_secret() { # challenge both ways with the shared secret
	lac a 1701 0 chap yes no "$isecret"
	if up_a=$(dial a 0 30); then
		result secret PASS "ppp0 $up_a through a tunnel authenticated both ways"
		ip route add "$ihost/32" dev ppp0
	else
		result secret FAIL "no session with the right secret"
		dump /tmp/pppd-a.log /tmp/xl2tpd-a.log
		finish
	fi
}

# tunnel2: a second tunnel, from another xl2tpd told to hide its AVPs
# ("hidden bit = yes"), for another user, while the first is up; two: both
# sessions carry traffic at once. Whether AVPs were hidden on the wire is for
# the host to read in the capture.
sc_hidden() {
	lac b 1713 1 pap yes yes "$isecret" "$iuser2"
	if b=$(dial b 1 30); then
		result tunnel2 PASS "ppp1 $b ($iuser2) through a second tunnel, hidden bit = yes"
		ip route add "$ihost/32" dev ppp1 metric 10
		if pings 3 56 ppp0 && pings 3 56 ppp1; then
			result two PASS "ppp0 $up_a and ppp1 $b up at once, pings through both"
		else
			result two FAIL "pings through ppp0 $up_a and ppp1 $b"
		fi
	else
		result tunnel2 FAIL "second tunnel: no session"
		result two FAIL "no second session"
		dump /tmp/pppd-b.log /tmp/xl2tpd-b.log
	fi
}

say "BOOTED $(uname -r) tests=$itests"
for t in $(echo "$itests" | tr , ' '); do
	case "$t" in
	pap | chap) sc_pap_chap "$t" ;;
	mtu) sc_mtu ;;
	echo) sc_echo ;;
	lnsecho) sc_lnsecho ;;
	cdn) sc_cdn ;;
	quit) sc_quit ;;
	badsecret) sc_badsecret ;;
	secret) sc_secret ;;
	hidden) sc_hidden ;;
	*) result "$t" FAIL "unknown scenario" ;;
	esac
done
finish
