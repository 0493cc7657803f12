#!/usr/bin/env bash
# An independent LAC (scapy's L2TP and PPP layers, AVPs laid out from RFC 2661
# 4.1 in scapy_lac.py) against the daemon: tunnel (SCCRQ/SCCRP/SCCCN) and call
# (ICRQ/ICRP/ICCN) with their Ns/Nr and ZLB acks, LCP, PAP as alice, IPCP
# (0.0.0.0 requested, the NAKed address taken, DNS from primary_dns), pings
# to the host through the session with their checksums verified, an LCP echo,
# an unknown protocol (Protocol-Reject) and an IPV6CP Terminate-Request that
# must not end the session, more pings, then CDN and StopCCN, each acked by a
# ZLB, and the session's end in the log with the LNS's counters equal to what
# was sent. A wrong password is refused. The
# LNS is then restarted with radius_authtypes chap and the same is done with
# a CHAP response computed in python (RFC 1994 4.1). Last, with an
# l2tp_secret: mutual tunnel authentication (RFC 2661 4.2, 5.1.1) with
# responses computed in python, and StopCCN result 4 for a wrong or missing
# response.
#
#   lac (scapy_lac.py) --veth-- lns (l2tpns, tun0) --veth-- host (kernel ping)
set -u
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3 # Debian's python, which has python3-scapy
if ! "$PY" -c 'import scapy.layers.l2tp' 2>/dev/null; then
	echo "  SKIP: python3-scapy is not installed (tools/deps.sh)"
	exit 0
fi
SCAPY_LAC=$ROOT/tests/sim/scapy_lac.py

sim_setup
SIM_USERS=5 sim_config
sim_start_lns || exit 1

# tcpdump writes the pcap header once it is capturing: wait for it, so that
# the first packets of the run are not lost on a loaded machine
cap_ready() { for _ in $(seq 1 50); do [ "$(stat -c %s "$1" 2>/dev/null || echo 0)" -ge 24 ] && return 0; sleep 0.1; done; }
# jv FILE EXPR: a value from a scapy_lac.py result, as python prints it
jv() { "$PY" -c "import json,sys; d=json.load(open(sys.argv[1])); print(eval('d'+sys.argv[2]))" "$1" "$2" 2>/dev/null; }
log=$SIM_DIR/l2tpns.log
in_pool() { "$PY" -c "import ipaddress,sys; sys.exit(ipaddress.ip_address(sys.argv[1]) not in ipaddress.ip_network(sys.argv[2]))" "$1" "$POOL" 2>/dev/null; }

# one full call and its checks; $1 = pap|chap, $2 = the result file
call_checks() {
	local a=$1 r=$2 A
	A=${a^^}
	nlac "$PY" "$SCAPY_LAC" --auth "$a" --extras "$LNS_IP" "$HOST_IP" "$r" 2>"$r.err"
	local err
	err=$(jv "$r" "['error']")
	check "$a: the scapy LAC completed the call (error: $err)" test "$err" = None
	check "$a: SCCRP is the LNS's Ns=0 and acks our SCCRQ (Nr=1)" test "$(jv "$r" "['sccrp_ns_nr']")" = "[0, 1]"
	check "$a: SCCRP goes to our tunnel id and offers protocol 1.0" \
		test "$(jv "$r" "['sccrp_header_tid']==d['our_tid'] and d['sccrp_proto_ver']==[1,0] and d['lns_tid']>0")" = True
	check "$a: SCCCN acked by a ZLB (Ns=1 Nr=2)" test "$(jv "$r" "['scccn_zlb_ns_nr']")" = "[1, 2]"
	check "$a: ICRP is Ns=1 Nr=3, to our session id, with a session id of its own" \
		test "$(jv "$r" "['icrp_ns_nr']==[1,3] and d['icrp_header_sid']==d['our_sid'] and d['lns_sid']>0")" = True
	check "$a: ICCN acked by a ZLB (Ns=2 Nr=4)" test "$(jv "$r" "['iccn_zlb_ns_nr']")" = "[2, 4]"
	if [ "$a" = pap ]; then
		check "pap: the LNS's LCP Configure-Request asks for PAP (c023)" \
			test "$(jv "$r" "['lns_auth_proto']")" = $((0xc023))
	else
		check "chap: the LNS's LCP Configure-Request asks for CHAP with MD5 (c223 05)" \
			test "$(jv "$r" "['lns_auth_proto'], d['lns_chap_alg']")" = "($((0xc223)), 5)"
		check "chap: a 16-byte challenge or longer" test "$(jv "$r" "['chap_challenge_len']>=16")" = True
	fi
	check "$a: our LCP Configure-Request acked" test "$(jv "$r" "['lcp_our_req_acked']")" = True
	check "$a: authentication succeeded" test "$(jv "$r" "['auth_ok']")" = True
	local ip
	ip=$(jv "$r" "['ip']")
	check "$a: IPCP NAKed 0.0.0.0 to a pool address ($ip) and acked it" \
		test "$(jv "$r" "['ipcp_acked']['3']")" = "$ip" -a -n "$ip"
	check "$a: the address is in the pool $POOL" in_pool "$ip"
	check "$a: DNS1 from primary_dns ($HOST_IP)" test "$(jv "$r" "['dns1']")" = "$HOST_IP"
	check "$a: 6 of 6 Echo-Replies from $HOST_IP back through the tunnel" \
		test "$(jv "$r" "['ping_ok'], d['ping_sent']")" = "(6, 6)"
	check "$a: IP and ICMP checksums of every reply verify" test "$(jv "$r" "['ping_bad_csum']")" = 0
	check "$a: the reply crossed one router (TTL 63)" test "$(jv "$r" "['ping_reply_ttl']")" = 63
	check "$a: LCP Echo-Reply carries our id and data and the LNS's magic (RFC 1661 5.8)" \
		test "$(jv "$r" "['echo_reply_ok']")" = True
	check "$a: an unknown protocol (BCP) is Protocol-Rejected with the packet (RFC 1661 5.7)" \
		test "$(jv "$r" "['proto_rej_ok']")" = True
	check "$a: IPV6CP Terminate-Request answered ($(jv "$r" "['ipv6cp_term_answer']")), session kept" \
		test "$(jv "$r" "['ipv6cp_term_answer'] in ('terminate-ack','protocol-reject') and not d['lcp_terminate_seen']")" = True
	check "$a: CDN acked by a ZLB" test "$(jv "$r" "['cdn_acked']")" = True
	check "$a: StopCCN acked by a ZLB" test "$(jv "$r" "['stopccn_acked']")" = True
	check "$a: no retransmission by the LNS was needed" test "$(jv "$r" "['lns_dupes']")" = 0
	local tid sid
	tid=$(jv "$r" "['lns_tid']")
	sid=$(jv "$r" "['lns_sid']")
	sleep 0.3
	check "$a: log: session up with the address IPCP gave" \
		grep -q "tid=$tid sid=$sid user=alice session up ip=$ip\$" "$log"
	check "$a: log: $A ok for alice" grep -q "tid=$tid sid=$sid user=alice $A ok ip=$ip" "$log"
	check "$a: log: CDN from peer with our result code 3" \
		grep -q "tid=$tid sid=$sid user=alice CDN from peer result=3 error=0" "$log"
	check "$a: log: the tunnel went down on our StopCCN (result 1)" \
		grep -q "tid=$tid tunnel down .*result=1 " "$log"
	local b
	b=$(jv "$r" "['ping_ip_bytes']")
	local np
	np=$(jv "$r" "['ping_sent']")
	check "$a: log: the session's counters equal the pings, both ways (in=out=$b/$np)" \
		grep -q "tid=$tid sid=$sid user=alice closed after .* in=$b/$np out=$b/$np\$" "$log"
}

# ---- PAP ---------------------------------------------------------------------
sim_capture "$SIM_DIR/pap.pcap"
cap_ready "$SIM_DIR/pap.pcap"
call_checks pap "$SIM_DIR/pap.json"
nlac "$PY" "$SCAPY_LAC" --auth pap --password wrong "$LNS_IP" "$HOST_IP" "$SIM_DIR/pap-bad.json" 2>/dev/null
check "pap: a wrong password gets Authenticate-Nak" test "$(jv "$SIM_DIR/pap-bad.json" "['auth_ok']")" = False
sleep 0.3
check "pap: log: the wrong password is rejected" grep -q "user=alice PAP rejected" "$log"
sim_stop_capture
ts() { tshark -r "$1" "${@:2}" 2>/dev/null; }
check "pap capture: tshark finds no malformed frame" test "$(ts "$SIM_DIR/pap.pcap" -Y _ws.malformed | wc -l)" = 0
check "pap capture: tshark sees an SCCRP and an ICRP from the LNS for both calls" \
	test "$(ts "$SIM_DIR/pap.pcap" -Y "ip.src==$LNS_IP && (l2tp.avp.message_type==2 || l2tp.avp.message_type==11)" | wc -l)" -ge 4
check "pap capture: tshark sees the Echo-Replies inside L2TP" \
	test "$(ts "$SIM_DIR/pap.pcap" -Y "l2tp && icmp.type==0 && ip.src==$HOST_IP" | wc -l)" = 6

# ---- CHAP: restart with radius_authtypes chap ------------------------------------
kill -TERM "$LNS_PID"
wait "$LNS_PID" 2>/dev/null
mv "$log" "$SIM_DIR/l2tpns-pap.log"
mv "$SIM_DIR/l2tpns.out" "$SIM_DIR/l2tpns-pap.out"
SIM_USERS=5 sim_config "set radius_authtypes chap"
sim_start_lns || exit 1
call_checks chap "$SIM_DIR/chap.json"
nlac "$PY" "$SCAPY_LAC" --auth chap --password wrong "$LNS_IP" "$HOST_IP" "$SIM_DIR/chap-bad.json" 2>/dev/null
check "chap: a wrong response gets CHAP Failure" test "$(jv "$SIM_DIR/chap-bad.json" "['auth_ok']")" = False
sleep 0.3
check "chap: log: the wrong response is rejected" grep -q "user=alice CHAP rejected" "$log"

# ---- tunnel authentication: restart with an l2tp_secret ----------------------------
kill -TERM "$LNS_PID"
wait "$LNS_PID" 2>/dev/null
mv "$log" "$SIM_DIR/l2tpns-chap.log"
mv "$SIM_DIR/l2tpns.out" "$SIM_DIR/l2tpns-chap.out"
SIM_USERS=5 sim_config 'set l2tp_secret "tunnel pw"'
sim_start_lns || exit 1
r=$SIM_DIR/secret.json
nlac "$PY" "$SCAPY_LAC" --secret "tunnel pw" "$LNS_IP" "$HOST_IP" "$r" 2>/dev/null
check "secret: the call completes with mutual tunnel authentication ($(jv "$r" "['error']"))" \
	test "$(jv "$r" "['error']")" = None
check "secret: SCCRP answers our Challenge with MD5(2, secret, challenge) (RFC 2661 4.2)" \
	test "$(jv "$r" "['sccrp_chal_resp_ok']")" = True
check "secret: the LNS challenges us with 16 bytes or more" test "$(jv "$r" "['lns_challenge_len']>=16")" = True
check "secret: pings through the authenticated tunnel" test "$(jv "$r" "['ping_ok']")" = 3
r=$SIM_DIR/secret-badresp.json
nlac "$PY" "$SCAPY_LAC" --secret "tunnel pw" --bad-tunnel-response "$LNS_IP" "$HOST_IP" "$r" 2>/dev/null
check "secret: a wrong Challenge Response in SCCCN gets StopCCN result 4 (not authorized)" \
	test "$(jv "$r" "['stopccn_result']")" = 4
tid=$(jv "$r" "['lns_tid']")
sleep 0.2
check "secret: ... and that tunnel never came up (tid=$tid)" bash -c "! grep -q 'tid=$tid tunnel up' '$log'"
r=$SIM_DIR/secret-wrong.json
nlac "$PY" "$SCAPY_LAC" --secret "other pw" "$LNS_IP" "$HOST_IP" "$r" 2>/dev/null
check "secret: with a different secret the LNS's SCCRP response does not verify" \
	test "$(jv "$r" "['sccrp_chal_resp_ok']")" = False
check "secret: ... and the LNS refuses our response (StopCCN 4)" test "$(jv "$r" "['stopccn_result']")" = 4
r=$SIM_DIR/secret-none.json
nlac "$PY" "$SCAPY_LAC" "$LNS_IP" "$HOST_IP" "$r" 2>/dev/null
check "secret: a LAC that does not answer the LNS's Challenge is refused (StopCCN 4)" \
	test "$(jv "$r" "['stopccn_result']")" = 4

kill -TERM "$LNS_PID"
wait "$LNS_PID" 2>/dev/null
# under an ASan/UBSan build (BUILD=build/asan) the daemon's reports land here
check "no sanitizer report from the daemon" bash -c "! cat '$SIM_DIR'/l2tpns*.out 2>/dev/null | grep -q 'Sanitizer\\|runtime error'"
sim_done
