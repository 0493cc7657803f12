#!/usr/bin/env python3
"""Send one L2TP data message carrying an IPv6/UDP packet (PPP protocol
0x0057) to the LNS, from a chosen IPv4 source address and port (raw socket,
so the source port can be the one a live tunnel uses).

usage: inject6.py LAC_IP SPORT LNS_IP TID SID INNER_SRC6 INNER_DST6 DPORT [TAG]
       inject6.py --rs HOPLIMIT LAC_IP SPORT LNS_IP TID SID INNER_SRC6 [badsum]
The UDP payload is TAG (default "forged-by-inject6.py"); --rs sends a Router
Solicitation (RFC 4861 §4.1) from INNER_SRC6 to ff02::2 instead, with its
ICMPv6 checksum inverted when "badsum" is given. Prints
"sent". Used by tests/sim/ipv6.sh to prove that the LNS forwards IPv6 from a
session only when its source is prefix::<the interface identifier IPV6CP
agreed>, and how it answers solicitations.
"""
import socket
import struct
import sys


def fold(s):
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return s


def csum(b):
    """RFC 1071: one's complement of the one's complement sum."""
    if len(b) % 2:
        b += b"\0"
    return (~fold(sum(struct.unpack("!%dH" % (len(b) // 2), b)))) & 0xFFFF


def ipv6_udp(src, dst, sport, dport, payload):
    s6 = socket.inet_pton(socket.AF_INET6, src)
    d6 = socket.inet_pton(socket.AF_INET6, dst)
    ulen = 8 + len(payload)
    udp = struct.pack("!HHHH", sport, dport, ulen, 0) + payload
    # RFC 8200 §8.1: pseudo-header of addresses, 32-bit length, next header
    c = csum(s6 + d6 + struct.pack("!IxxxB", ulen, 17) + udp) or 0xFFFF
    udp = udp[:6] + struct.pack("!H", c) + udp[8:]
    return struct.pack("!IHBB", 0x60000000, ulen, 17, 64) + s6 + d6 + udp


def ipv6_rs(src, hlim, badsum=False):
    s6 = socket.inet_pton(socket.AF_INET6, src)
    d6 = socket.inet_pton(socket.AF_INET6, "ff02::2")
    msg = struct.pack("!BBHI", 133, 0, 0, 0)  # type, code, checksum, reserved
    c = csum(s6 + d6 + struct.pack("!IxxxB", len(msg), 58) + msg)
    if badsum:
        c ^= 0xFFFF
    msg = msg[:2] + struct.pack("!H", c) + msg[4:]
    return struct.pack("!IHBB", 0x60000000, len(msg), 58, hlim) + s6 + d6 + msg


def ipv4_udp(src, dst, sport, dport, payload):
    udp_len = 8 + len(payload)
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + udp_len, 0x1234, 0, 64, 17, 0,
                     socket.inet_aton(src), socket.inet_aton(dst))
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    # outer UDP checksum 0: "none", allowed over IPv4 (RFC 768)
    return ip + struct.pack("!HHHH", sport, dport, udp_len, 0) + payload


def main():
    if len(sys.argv) in (9, 10) and sys.argv[1] == "--rs":
        hlim, lac, sport, lns, tid, sid, isrc = sys.argv[2:9]
        inner = ipv6_rs(isrc, int(hlim), sys.argv[9:] == ["badsum"])
    elif len(sys.argv) in (9, 10):
        lac, sport, lns, tid, sid, isrc, idst, dport = sys.argv[1:9]
        tag = (sys.argv[9] if len(sys.argv) > 9 else "forged-by-inject6.py").encode()
        inner = ipv6_udp(isrc, idst, 5555, int(dport), tag)
    else:
        sys.exit(__doc__)
    # RFC 2661 §3.1 data message without L/S/O, then ff 03 and IPv6's protocol
    l2tp = struct.pack("!HHH", 0x0002, int(tid), int(sid)) + b"\xff\x03\x00\x57" + inner
    outer = ipv4_udp(lac, lns, int(sport), 1701, l2tp)
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    s.sendto(outer, (lns, 0))
    print("sent")


if __name__ == "__main__":
    main()
