#!/usr/bin/env python3
"""Hand-built captures for the pcapdecode paths no public capture exercises.

    synthetic.py OUTDIR     writes OUTDIR/<name>.pcap and OUTDIR/<name>.txt

Each frame below is assembled from its RFC fields and carries, next to it,
the lines pcapdecode must print for it (written by hand from the RFCs, not
produced by any decoder). "error" stands for any "error=<reason>".
tests/pcap/run.sh replays them next to the real captures.
"""
import os
import struct
import sys


def pcap(linktype, frames):
    out = struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, linktype)
    for i, f in enumerate(frames):
        out += struct.pack("<IIII", 1700000000 + i, 0, len(f), len(f)) + f
    return out


def avp(atype, value, m=True, h=False, vendor=0):
    """RFC 2661 §4.1: M, H, 4 reserved bits, 10-bit length; vendor; type."""
    flags = (0x8000 if m else 0) | (0x4000 if h else 0) | (6 + len(value))
    return struct.pack(">HHH", flags, vendor, atype) + value


def ctrl(tid, sid, ns, nr, avps, ver=2):
    """§3.1 control header: T, L, S set."""
    body = b"".join(avps)
    return struct.pack(">HHHHHH", 0xC800 | ver, 12 + len(body), tid, sid, ns, nr) + body


def data(tid, sid, ppp):
    """§3.1 data header without L, S, O."""
    return struct.pack(">HHH", 0x0002, tid, sid) + ppp


def u16(v):
    return struct.pack(">H", v)


def u32(v):
    return struct.pack(">I", v)


def msg_type(t):
    return avp(0, u16(t))


SCCRQ_AVPS = [msg_type(1), avp(2, b"\x01\x00"), avp(7, b"lac"), avp(3, u32(3)), avp(9, u16(7))]


def cp(code, ident, payload=b""):
    """RFC 1661 §5 control packet."""
    return struct.pack(">BBH", code, ident, 4 + len(payload)) + payload


def opt(t, v=b""):
    return bytes([t, 2 + len(v)]) + v


def ppp(proto, pkt, ac=True):
    return (b"\xff\x03" if ac else b"") + u16(proto) + pkt


def ipv4(proto, payload, src=(10, 0, 0, 1), dst=(10, 0, 0, 2), frag=0):
    return (struct.pack(">BBHHHBBH", 0x45, 0, 20 + len(payload), 1, frag, 64, proto, 0)
            + bytes(src) + bytes(dst) + payload)


def ipv6(nh, payload):
    return (struct.pack(">IHBB", 0x60000000, len(payload), nh, 64)
            + bytes(15) + b"\x01" + bytes(15) + b"\x02" + payload)


def udp(payload, sport=1701, dport=1701):
    return struct.pack(">HHHH", sport, dport, 8 + len(payload), 0) + payload


ETH = bytes.fromhex("020000000001020000000002")


def eth(etype, payload):
    return ETH + u16(etype) + payload


def eth_l2tp(l2tp_payload, **kw):
    return eth(0x0800, ipv4(17, udp(l2tp_payload, **kw)))


LCP, PAP, CHAP, IPCP, CCP = 0xC021, 0xC023, 0xC223, 0x8021, 0x80FD

CASES = {}

# Ethernet / IPv4 / UDP 1701: L2TP shapes (RFC 2661 §3.1, §4.1, §4.3).
CASES["l2tp-shapes"] = (1, [
    (eth_l2tp(ctrl(0, 0, 0, 0, SCCRQ_AVPS)),
     ["l2tp SCCRQ tid=0 sid=0 ns=0 nr=0"]),
    # unknown vendor AVP with M set: still a message (answered by StopCCN)
    (eth_l2tp(ctrl(0, 0, 0, 0, SCCRQ_AVPS + [avp(99, b"xx", vendor=9)])),
     ["l2tp SCCRQ tid=0 sid=0 ns=0 nr=0"]),
    # hidden Host Name and no secret to read it with
    (eth_l2tp(ctrl(0, 0, 0, 0, [msg_type(1), avp(2, b"\x01\x00"),
                                avp(7, b"0123456789abcdef", h=True), avp(3, u32(3)),
                                avp(9, u16(7))])),
     ["l2tp error"]),
    # Length 1 byte longer than the datagram
    (eth_l2tp(ctrl(1, 0, 0, 0, [msg_type(6)])[:2] + u16(21) + ctrl(1, 0, 0, 0, [msg_type(6)])[4:]),
     ["l2tp error"]),
    # first AVP is not Message Type (§4.4.1)
    (eth_l2tp(ctrl(1, 0, 0, 0, [avp(7, b"lac"), msg_type(6)])),
     ["l2tp error"]),
    # AVP length 3: shorter than its own header
    (eth_l2tp(ctrl(1, 0, 0, 0, [msg_type(6), b"\x80\x03\x00\x00\x00\x07"])),
     ["l2tp error"]),
    # version 3 header on the L2TPv2 port
    (eth_l2tp(ctrl(1, 0, 0, 0, [msg_type(6)], ver=3)),
     ["l2tp error"]),
    # ZLB acknowledgement (§5.8)
    (eth_l2tp(ctrl(5, 0, 3, 4, [])),
     ["l2tp ZLB tid=5 sid=0 ns=3 nr=4"]),
    # data: LCP Configure-Request with an unknown option 99
    (eth_l2tp(data(5, 6, ppp(LCP, cp(1, 1, opt(1, u16(1400)) + opt(5, u32(0x01020304))
                                     + opt(99, b"z"))))),
     ["l2tp DATA tid=5 sid=6",
      "ppp LCP Configure-Request id=1 opts=MRU,Magic-Number,99"]),
    # data: LCP Length 40 past the end of the frame
    (eth_l2tp(data(5, 6, ppp(LCP, b"\x01\x02\x00\x28" + opt(1, u16(1400))))),
     ["l2tp DATA tid=5 sid=6", "ppp error"]),
    # data: CHAP Challenge without ff 03 (ACFC)
    (eth_l2tp(data(5, 6, ppp(CHAP, cp(1, 7, b"\x04abcdLNS"), ac=False))),
     ["l2tp DATA tid=5 sid=6", "ppp CHAP Challenge id=7"]),
    # source port 1701 only: either direction counts (§8.1)
    (eth_l2tp(ctrl(9, 0, 1, 1, [msg_type(6)]), sport=1701, dport=40000),
     ["l2tp HELLO tid=9 sid=0 ns=1 nr=1"]),
    # another port: not L2TP
    (eth_l2tp(ctrl(9, 0, 1, 1, [msg_type(6)]), sport=1702, dport=1702), []),
    # first fragment of a datagram: not reassembled, not printed
    (eth(0x0800, ipv4(17, udp(ctrl(9, 0, 1, 1, [msg_type(6)]))[:12], frag=0x2000)), []),
    # data: IPv4 inside PPP
    (eth_l2tp(data(5, 6, ppp(0x0021, ipv4(1, b"\x08\x00\x00\x00\x00\x00\x00\x00")))),
     ["l2tp DATA tid=5 sid=6", "ppp IPV4"]),
    # data: CCP Configure-Request for Deflate (RFC 1979 §2)
    (eth_l2tp(data(5, 6, ppp(CCP, cp(1, 2, opt(26, b"\x78\x00"))))),
     ["l2tp DATA tid=5 sid=6", "ppp CCP Configure-Request id=2 opts=Deflate"]),
    # data: LCP code 42, answered with Code-Reject (RFC 1661 §5.6)
    (eth_l2tp(data(5, 6, ppp(LCP, cp(42, 3, b"??")))),
     ["l2tp DATA tid=5 sid=6", "ppp LCP 42 id=3"]),
    # data: IPCP Configure-Ack without options
    (eth_l2tp(data(5, 6, ppp(IPCP, cp(2, 4)))),
     ["l2tp DATA tid=5 sid=6", "ppp IPCP Configure-Ack id=4 opts="]),
    # data: unknown protocol 0x8281
    (eth_l2tp(data(5, 6, ppp(0x8281, b"\x01\x02"))),
     ["l2tp DATA tid=5 sid=6", "ppp 0x8281"]),
])

# Linux cooked v2 / IPv6 with a Hop-by-Hop header / UDP / L2TP StopCCN.
CASES["sll2-ipv6"] = (276, [
    (u16(0x86DD) + b"\x00\x00" + u32(2) + u16(1) + b"\x00\x06" + bytes(8)
     + ipv6(0, bytes([17, 0, 1, 4, 0, 0, 0, 0])
            + udp(ctrl(3, 0, 2, 5, [msg_type(4), avp(1, u16(1)), avp(9, u16(7))]))),
     ["l2tp StopCCN tid=3 sid=0 ns=2 nr=5"]),
])

# BSD loopback written by a big-endian host, then by a little-endian one.
CASES["null-both-orders"] = (0, [
    (u32(2) + ipv4(17, udp(ctrl(3, 0, 0, 0, [msg_type(6)]))),
     ["l2tp HELLO tid=3 sid=0 ns=0 nr=0"]),
    (struct.pack("<I", 2) + ipv4(17, udp(ctrl(4, 0, 0, 0, [msg_type(6)]))),
     ["l2tp HELLO tid=4 sid=0 ns=0 nr=0"]),
])

# QinQ / PPPoE session / PPP IPv4 / UDP / L2TP data / PPP IPCP.
_inner = ipv4(17, udp(data(7, 8, ppp(IPCP, cp(1, 9, opt(3, bytes(4)) + opt(129, bytes(4)))))))
CASES["qinq-pppoe-l2tp"] = (1, [
    (ETH + b"\x88\xa8\x00\x0a\x81\x00\x00\x14\x88\x64"
     + struct.pack(">BBHH", 0x11, 0, 0x1234, 2 + len(_inner)) + u16(0x0021) + _inner,
     ["ppp IPV4", "l2tp DATA tid=7 sid=8",
      "ppp IPCP Configure-Request id=9 opts=IP-Address,Primary-DNS"]),
    # PPPoE length past the end of the frame: nothing we can follow
    (ETH + b"\x88\x64" + struct.pack(">BBHH", 0x11, 0, 0x1234, 200) + ppp(LCP, cp(9, 1, bytes(4)), ac=False),
     []),
])

# PPTP enhanced GRE (RFC 2637 §4.1).
_pap = ppp(PAP, cp(1, 5, b"\x04user\x04pass"))
CASES["pptp-gre"] = (1, [
    (eth(0x0800, ipv4(47, struct.pack(">BBHHHI", 0x30, 0x01, 0x880B, len(_pap), 0x40, 1) + _pap)),
     ["ppp PAP Authenticate-Request id=5"]),
    # key bit clear: not a valid PPTP GRE header
    (eth(0x0800, ipv4(47, struct.pack(">BBHHHI", 0x10, 0x01, 0x880B, len(_pap), 0x40, 1) + _pap)),
     []),
])

# DLT_PPP: async-HDLC flags are reported, HDLC-like framing followed into IP.
CASES["ppp-link"] = (9, [
    (b"\x7e\xff\x7d\x23\xc0\x21\x09\x01\x00\x08\x00\x00\x00\x00\x12\x34\x7e", ["ppp error"]),
    (ppp(LCP, cp(9, 1, u32(0x11223344))), ["ppp LCP Echo-Request id=1"]),
    (ppp(0x0021, ipv4(17, udp(ctrl(2, 0, 7, 7, [])))), ["ppp IPV4", "l2tp ZLB tid=2 sid=0 ns=7 nr=7"]),
])


def main(argv):
    if len(argv) != 1:
        raise SystemExit("usage: synthetic.py OUTDIR")
    out = argv[0]
    os.makedirs(out, exist_ok=True)
    for name, (lt, frames) in CASES.items():
        with open(os.path.join(out, name + ".pcap"), "wb") as f:
            f.write(pcap(lt, [fr for fr, _ in frames]))
        with open(os.path.join(out, name + ".txt"), "w") as f:
            for i, (_fr, lines) in enumerate(frames, 1):
                for line in lines:
                    f.write("%d %s\n" % (i, line))


if __name__ == "__main__":
    main(sys.argv[1:])
