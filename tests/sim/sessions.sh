#!/usr/bin/env bash
# 1,000 sessions over 10 tunnels with local users, traffic through every
# session to a host behind the LNS and back, counters compared on both ends,
# a forged data message rejected, then SIGQUIT: a CDN per session and a
# StopCCN per tunnel on the wire; the capture of the whole run must read
# cleanly in tshark. Topology: see lib.sh.
#
#   lac (lacsim) --veth-- lns (l2tpns, tun0) --veth-- host (udpecho)
set -u
. "$(dirname "$0")/lib.sh"

sim_setup
sim_config
sim_start_lns || exit 1
ip netns exec "$NS_HOST" "$BIN/udpecho" -b "$HOST_IP" -p 9000 >"$SIM_DIR/udpecho.log" 2>&1 &
SIM_PIDS+=("$!")
for _ in $(seq 1 50); do
	ip netns exec "$NS_HOST" ss -Hlun "sport = :9000" | grep -q . && break
	sleep 0.1
done
ip netns exec "$NS_HOST" python3 -c "
import socket,sys
s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM); s.bind(('$HOST_IP',9999)); s.settimeout(60)
while True:
    d,a=s.recvfrom(2048); print(a[0], d.decode(errors='replace'), flush=True)
" >"$SIM_DIR/forged.log" 2>&1 &
SIM_PIDS+=("$!")
sim_capture "$SIM_DIR/run.pcap"

# ---- phase 1: 1000 sessions, traffic, the LAC hangs up -----------------------
nlac "$BIN/lacsim" -s "$LNS_IP" -t 10 -n 100 -u 'user%d' -p secret \
	--data-to "$HOST_IP:9000" --pps 4000 --size 100 --duration 4 --json \
	>"$SIM_DIR/lacsim1.json" 2>"$SIM_DIR/lacsim1.err"
j() { python3 -c "import json,sys; d=json.load(open('$1')); print(eval('d'+sys.argv[1]))" "$2"; }
check "1000 sessions up" test "$(j "$SIM_DIR/lacsim1.json" "['up']")" = 1000
check "every session verified its own echoes" \
	test "$(j "$SIM_DIR/lacsim1.json" "['data']['sessions_verified']")" = 1000
check "no data lost" test "$(j "$SIM_DIR/lacsim1.json" "['data']['rx_pkts']")" = \
	"$(j "$SIM_DIR/lacsim1.json" "['data']['tx_pkts']")"
sleep 1
# The LNS logs each session's counters when it ends: they must equal what
# the LAC counted (IP bytes and packets, both directions).
read -r lin lpin lout lpout < <(sed -n 's/.* in=\([0-9]*\)\/\([0-9]*\) out=\([0-9]*\)\/\([0-9]*\)$/\1 \2 \3 \4/p' \
	"$SIM_DIR/l2tpns.log" | awk '{a+=$1;b+=$2;c+=$3;d+=$4} END {print a+0,b+0,c+0,d+0}')
check "LNS upstream packets = LAC sent ($lpin)" test "$lpin" = "$(j "$SIM_DIR/lacsim1.json" "['data']['tx_pkts']")"
check "LNS upstream bytes = LAC sent ($lin)" test "$lin" = "$(j "$SIM_DIR/lacsim1.json" "['data']['tx_bytes']")"
check "LNS downstream packets = LAC received ($lpout)" test "$lpout" = "$(j "$SIM_DIR/lacsim1.json" "['data']['rx_pkts']")"
check "LNS downstream bytes = LAC received ($lout)" test "$lout" = "$(j "$SIM_DIR/lacsim1.json" "['data']['rx_bytes']")"
check "every session freed after the LAC's CDNs" \
	test "$(grep -c 'CDN from peer' "$SIM_DIR/l2tpns.log")" = 1000

# ---- phase 2: sessions held up; forged data; SIGQUIT ----------------------------
ip netns exec "$NS_LAC" "$BIN/lacsim" -s "$LNS_IP" -t 10 -n 100 -u 'user%d' -p secret \
	--hold 60 --json >"$SIM_DIR/lacsim2.json" 2>"$SIM_DIR/lacsim2.err" &
LAC2=$!
SIM_PIDS+=("$LAC2")
for _ in $(seq 1 100); do
	[ "$(grep -c 'session up' "$SIM_DIR/l2tpns.log")" -ge 2000 ] && break
	sleep 0.1
done
check "1000 sessions up again" test "$(grep -c 'session up' "$SIM_DIR/l2tpns.log")" = 2000

# a live session and the port its tunnel uses
line=$(grep 'session up' "$SIM_DIR/l2tpns.log" | tail -1)
tid=$(sed 's/.*tid=\([0-9]*\).*/\1/' <<<"$line")
sid=$(sed 's/.*sid=\([0-9]*\).*/\1/' <<<"$line")
sip=$(sed 's/.*ip=\([0-9.]*\).*/\1/' <<<"$line")
port=$(grep "tid=$tid SCCRQ from" "$SIM_DIR/l2tpns.log" | tail -1 | sed 's/.*:\([0-9]*\) host.*/\1/')
nlac python3 "$(dirname "$0")/inject.py" "$LAC_IP" 40999 "$LNS_IP" "$tid" "$sid" "$sip" "$HOST_IP" 9999 >/dev/null
sleep 0.5
check "data with a live session ID from another port is dropped" test ! -s "$SIM_DIR/forged.log"
nlac python3 "$(dirname "$0")/inject.py" "$LAC_IP" "$port" "$LNS_IP" "$tid" "$sid" "$sip" "$HOST_IP" 9999 >/dev/null
sleep 0.5
check "the same frame from the tunnel's own address and port is forwarded" \
	grep -q "^$sip forged-by-inject.py" "$SIM_DIR/forged.log"

kill -QUIT "$LNS_PID"
for _ in $(seq 1 200); do kill -0 "$LNS_PID" 2>/dev/null || break; sleep 0.1; done
check "SIGQUIT: l2tpns exited by itself" bash -c "! kill -0 $LNS_PID 2>/dev/null"
wait "$LNS_PID"
check "SIGQUIT: exit status 0" test $? = 0
wait "$LAC2" 2>/dev/null
sim_stop_capture

cap=$SIM_DIR/run.pcap
cdn=$(tshark -r "$cap" -Y "ip.src==$LNS_IP && l2tp.avp.message_type==14" 2>/dev/null | wc -l)
stop=$(tshark -r "$cap" -Y "ip.src==$LNS_IP && l2tp.avp.message_type==4" 2>/dev/null | wc -l)
check "SIGQUIT: a CDN from the LNS for each of the 1000 sessions ($cdn)" test "$cdn" = 1000
check "SIGQUIT: a StopCCN from the LNS for each of the 10 tunnels ($stop)" test "$stop" = 10
check "the LAC saw every session ended by the LNS" \
	test "$(j "$SIM_DIR/lacsim2.json" "['dropped']")" = 1000
# the test traffic inside the sessions is opaque UDP payload: decode it as data
# so tshark does not guess a protocol from the ephemeral port numbers
ts() { tshark -d udp.port==9000,data -d udp.port==9999,data -r "$cap" "$@" 2>/dev/null; }
mal=$(ts -Y '_ws.malformed' | wc -l)
err=$(ts -Y '_ws.expert.severity == "Error"' | wc -l)
tot=$(tshark -r "$cap" 2>/dev/null | wc -l)
check "tshark: $tot frames, zero malformed ($mal)" test "$mal" = 0
check "tshark: zero expert errors ($err)" test "$err" = 0
sim_done
