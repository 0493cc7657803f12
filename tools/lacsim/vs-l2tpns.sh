#!/usr/bin/env bash
# Run lacsim against Debian's original l2tpns 2.4.1 (with FreeRADIUS behind it)
# in two throw-away network namespaces, for comparison runs and for checking
# lacsim itself. Needs: apt-get install -y l2tpns freeradius (deliberately not
# in tools/deps.sh).
#
#   tools/lacsim/vs-l2tpns.sh BUILD_DIR [lacsim options but -s/-u/-p...]
#   e.g. tools/lacsim/vs-l2tpns.sh build -t 4 -n 250 --data-to 10.77.0.1:9000 --pps 20000
#
# Topology:
#   [ns lac-ID] veth 10.77.0.2/24 ---- veth 10.77.0.1/24 [ns lns-ID]
#       lacsim                          l2tpns (tun0, pool 10.78.0.0/16,
#                                       cluster_interface br0: port-less bridge)
#                                       freeradius on 127.0.0.1 (users user*/pass)
#                                       udpecho 10.77.0.1:9000
# Environment: CAPTURE=FILE.pcap records the LAC side with tcpdump;
# L2TP_SECRET=S sets l2tpns' l2tp_secret; AUTHTYPES="pap,chap" radius_authtypes;
# KEEP_LOGS=DIR copies the logs there; EXTRA_CONFIG="set ..." adds config lines;
# LACSIM_WRAP="/usr/bin/time -v" (or valgrind ...) runs lacsim under a wrapper.
set -euo pipefail
build=${1:?usage: $0 BUILD_DIR [lacsim options]}
shift
id=h8$$
lns=lns-$id
lac=lac-$id
dir=$(mktemp -d /tmp/lacsim-vs.XXXXXX)
chmod 755 "$dir"
pids=()

cleanup() {
	set +e
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	sleep 0.3
	for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null; done
	[ -n "${KEEP_LOGS:-}" ] && mkdir -p "$KEEP_LOGS" && cp "$dir"/*.log "$KEEP_LOGS"/ 2>/dev/null
	ip netns del "$lns" 2>/dev/null
	ip netns del "$lac" 2>/dev/null
	rm -rf "/etc/netns/$lns" "$dir"
}
trap cleanup EXIT

ip netns add "$lns"
ip netns add "$lac"
ip link add "v$id" type veth peer name "w$id"
ip link set "v$id" netns "$lns"
ip link set "w$id" netns "$lac"
ip -n "$lns" addr add 10.77.0.1/24 dev "v$id"
ip -n "$lac" addr add 10.77.0.2/24 dev "w$id"
for n in "$lns" "$lac"; do ip -n "$n" link set lo up; done
ip -n "$lns" link set "v$id" up
ip -n "$lac" link set "w$id" up
ip -n "$lns" link add br0 type bridge
ip -n "$lns" addr add 10.79.0.1/24 dev br0	# l2tpns wants an address on it
ip -n "$lns" link set br0 up

# ip netns exec bind-mounts /etc/netns/NAME/* over /etc/*: l2tpns reads its
# fixed /etc/l2tpns paths from here without touching the host's files.
mkdir -p "/etc/netns/$lns/l2tpns"
cat > "/etc/netns/$lns/l2tpns/startup-config" <<CFG
set debug 2
set log_file "$dir/l2tpns.log"
set pid_file "$dir/l2tpns.pid"
set l2tp_secret "${L2TP_SECRET:-}"
set primary_dns 10.77.0.53
set secondary_dns 10.77.0.54
set primary_radius 127.0.0.1
set primary_radius_port 1812
set radius_secret "testing123"
set radius_authtypes "${AUTHTYPES:-pap}"
set bind_address 10.77.0.1
set cluster_interface br0
set cluster_hb_timeout 31
set cli_bind_address 127.0.0.1
${EXTRA_CONFIG:-}
CFG
echo "10.78.0.0/16" > "/etc/netns/$lns/l2tpns/ip_pool"
: > "/etc/netns/$lns/l2tpns/users"

cp -a /etc/freeradius/3.0 "$dir/raddb"
# users is a link to mods-config/files/authorize: every user* has password "pass"
{ echo 'DEFAULT Cleartext-Password := "pass"'; echo; } > "$dir/raddb/mods-config/files/authorize"
chown -R freerad:freerad "$dir/raddb"

ip netns exec "$lns" freeradius -f -l "$dir/radius.log" -d "$dir/raddb" &
pids+=($!)
# own session: on SIGTERM l2tpns signals its whole process group
setsid ip netns exec "$lns" /usr/sbin/l2tpns > "$dir/l2tpns.out" 2>&1 &
pids+=($!)
ip netns exec "$lns" "$build/bin/udpecho" -b 10.77.0.1 -p 9000 2> "$dir/udpecho.log" &
pids+=($!)
if [ -n "${CAPTURE:-}" ]; then
	ip netns exec "$lac" tcpdump -q -i "w$id" -w "$CAPTURE" udp 2> /dev/null &
	pids+=($!)
fi
# l2tpns takes tunnels only once it has declared itself cluster master
for _ in $(seq 1 100); do
	grep -q -i "master" "$dir/l2tpns.log" 2>/dev/null && break
	kill -0 "${pids[1]}" 2>/dev/null || { echo "l2tpns died:" >&2; tail -5 "$dir/l2tpns.log" >&2; exit 2; }
	sleep 0.1
done
sleep 0.5
set +e
ip netns exec "$lac" ${LACSIM_WRAP:-} "$build/bin/lacsim" -s 10.77.0.1 -b 10.77.0.2 -u 'user%d' -p pass "$@"
rc=$?
sleep 0.3
# where datagrams were lost, if anywhere: UDP receive-buffer drops per side
for n in "$lac" "$lns"; do
	ip netns exec "$n" awk -v ns="$n" '/^Udp:/ { if (!h) { split($0, k); h = 1 } else {
		for (i = 2; i <= NF; i++) if (k[i] ~ /InErrors|RcvbufErrors|SndbufErrors/) printf "%s %s=%s ", ns, k[i], $i
		print "" } }' /proc/net/snmp >&2
done
echo "lacsim exit status $rc" >&2
exit $rc
