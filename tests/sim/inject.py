#!/usr/bin/env python3
"""Send one L2TP data message carrying an IPv4/UDP packet to the LNS, from a
chosen source address and port (raw socket, so the source port can be any,
including the one a live tunnel uses), and report whether a listener on the
far side received the inner packet.

usage: inject.py LAC_IP SPORT LNS_IP TID SID INNER_SRC INNER_DST DPORT
Prints "sent". Used by tests/sim to prove that data with a guessed session ID
from another address or port is dropped, and that the same frame from the
tunnel's real address and port is forwarded.
"""
import socket
import struct
import sys


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def ipv4_udp(src, dst, sport, dport, payload):
    udp_len = 8 + len(payload)
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + udp_len, 0x1234, 0, 64, 17, 0,
                     socket.inet_aton(src), socket.inet_aton(dst))
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    udp = struct.pack("!HHHH", sport, dport, udp_len, 0) + payload
    return ip + udp


def main():
    lac, sport, lns, tid, sid, isrc, idst, dport = sys.argv[1:9]
    inner = ipv4_udp(isrc, idst, 5555, int(dport), b"forged-by-inject.py")
    l2tp = struct.pack("!HHH", 0x0002, int(tid), int(sid)) + b"\xff\x03\x00\x21" + inner
    outer = ipv4_udp(lac, lns, int(sport), 1701, l2tp)
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    s.sendto(outer, (lns, 0))
    print("sent")


if __name__ == "__main__":
    main()
