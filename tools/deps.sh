#!/usr/bin/env bash
# Installs every Debian package the build and the test suites need.
# Idempotent and quiet when everything is already present: it asks dpkg first and
# only calls apt-get for what is missing.
#   tools/deps.sh            build + unit/fsm/pcap/fuzz/sim suites
#   tools/deps.sh interop    also what the qemu interop suite needs
#   tools/deps.sh bench      also Debian's l2tpns (make bench's reference, with FreeRADIUS)
set -euo pipefail

pkgs=(
  # build
  build-essential gcc clang make pkg-config
  libcli-dev libcmocka-dev libpcap-dev nettle-dev
  libclang-rt-14-dev            # ASan/UBSan/libFuzzer runtimes for clang
  # tests and tools
  tshark python3-scapy valgrind iproute2 tcpdump iputils-ping procps psmisc
  liburing-dev
  freeradius freeradius-utils   # tests/sim/radius.sh: a real server, radclient for DAE
)
case "${1:-}" in
  interop) pkgs+=(qemu-system-x86 busybox-static xl2tpd ppp cpio kmod) ;;
  # the reference LNS of make bench (tools/bench/run.sh); ethtool turns GRO
  # on for the bench's veth links, as it is on a real NIC
  bench) pkgs+=(l2tpns ethtool) ;;
esac

missing=()
for p in "${pkgs[@]}"; do
  # dpkg-query prints "install ok installed" only for fully installed packages
  st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [ "$st" = "install ok installed" ] || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" != 0 ]; then
  echo "deps.sh: missing packages: ${missing[*]} (run as root to install)" >&2
  exit 1
fi
echo "deps.sh: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# freeradius and l2tpns ship services: the tests start their own instances in
# namespaces, nothing may run on the host. Debian's maintainer scripts ask
# invoke-rc.d, which obeys policy-rc.d (exit 101: do not start).
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
  chmod 755 /usr/sbin/policy-rc.d
  trap 'rm -f /usr/sbin/policy-rc.d' EXIT
fi
# wireshark-common asks whether non-root users may capture; the default (no) is fine.
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
for s in freeradius l2tpns; do
  case " ${missing[*]} " in
  *" $s "*)
    if [ -d /run/systemd/system ]; then
      systemctl disable --now "$s" >/dev/null 2>&1 || true
    else
      update-rc.d "$s" disable >/dev/null 2>&1 || true
    fi ;;
  esac
done
