#!/usr/bin/env python3
"""Expected pcapdecode output for a capture, derived from tshark.

    gen-expected.py CAPTURE            print the expectation
    gen-expected.py -o FILE CAPTURE    write it to FILE

tshark (-T pdml) dissects every frame; this script walks each frame's
protocol layers in wire order and writes the line pcapdecode must print for
each L2TP message on UDP port 1701, each PPP frame and each RADIUS packet
on the RADIUS ports, in the format of
tools/pcapdecode (see tests/pcap/README.md):

    <frame> l2tp <MSG> tid=<n> sid=<n> ns=<n> nr=<n>
    <frame> l2tp DATA tid=<n> sid=<n>
    <frame> ppp <PROTO> <CODE> id=<n>[ opts=<names>]
    <frame> ppp IPV4 | IPV6 | 0x<proto>
    <frame> radius <Code-Name> id=<n>
    <frame> l2tp error | <frame> ppp error | <frame> radius error

PDML rather than -T fields: fields flatten a frame, losing which PPP layer a
value belongs to when a frame holds several (PPPoE -> IP -> L2TP -> PPP) or
nests one (a Protocol-Reject quoting the rejected packet). The values come
from tshark's fields all the same (l2tp.*, ppp.*, lcp/ipcp/ipv6cp/ccp.opt.type,
pap.*, chap.*).

"error" is written where tshark marks the layer malformed, and where the
message breaks a rule of the RFC that tshark dissects without complaint
(each rule below cites its section): pcapdecode's decoders are stricter
than a protocol analyser, and the expectation holds them to the RFC rather
than to tshark's leniency.
"""
import subprocess
import sys
import xml.etree.ElementTree as ET

L2TP_PORT = 1701

# RFC 2661 §3.2 message types.
L2TP_MSG = {
    1: "SCCRQ", 2: "SCCRP", 3: "SCCCN", 4: "StopCCN", 6: "HELLO", 7: "OCRQ",
    8: "OCRP", 9: "OCCN", 10: "ICRQ", 11: "ICRP", 12: "ICCN", 14: "CDN",
    15: "WEN", 16: "SLI",
}

# RFC 2661 §4.4: value sizes of the fixed-size IETF AVPs (AVP length - 6).
L2TP_AVP_SIZE = {
    0: 2, 2: 2, 3: 4, 4: 4, 5: 8, 6: 2, 9: 2, 10: 2, 13: 16, 14: 2, 15: 4,
    16: 4, 17: 4, 18: 4, 19: 4, 24: 4, 25: 4, 29: 2, 32: 2, 34: 26, 35: 10,
    38: 4, 39: 0,
}
# RFC 2661 §4.4.2: Result Code is 2 octets, or 4 + an optional message;
# §4.4.2 Q.931 Cause Code is at least 3 octets.
L2TP_AVP_MIN = {1: 2, 12: 3}

# RADIUS: the ports pcapdecode's printer watches (RFC 2865 §3, RFC 2866 §3,
# RFC 5176 §3, the older 1645/1646 and Cisco's 1700), code names (RFC 2865
# §3, RFC 2866 §4, RFC 5176 §2.3).
RADIUS_PORTS = {1812, 1813, 1645, 1646, 3799, 1700}
RADIUS_CODES = {
    1: "Access-Request", 2: "Access-Accept", 3: "Access-Reject",
    4: "Accounting-Request", 5: "Accounting-Response", 11: "Access-Challenge",
    12: "Status-Server", 13: "Status-Client", 40: "Disconnect-Request",
    41: "Disconnect-ACK", 42: "Disconnect-NAK", 43: "CoA-Request",
    44: "CoA-ACK", 45: "CoA-NAK",
}

PPP_PROTO = {
    0xC021: "LCP", 0xC023: "PAP", 0xC223: "CHAP", 0x8021: "IPCP",
    0x8057: "IPV6CP", 0x80FD: "CCP", 0x0021: "IPV4", 0x0057: "IPV6",
}
CP_PROTOS = {0xC021: "lcp", 0x8021: "ipcp", 0x8057: "ipv6cp", 0x80FD: "ccp"}

# RFC 1661 §5, RFC 1570 §1, RFC 1962 §3 code names.
CP_CODES = {
    1: "Configure-Request", 2: "Configure-Ack", 3: "Configure-Nak",
    4: "Configure-Reject", 5: "Terminate-Request", 6: "Terminate-Ack",
    7: "Code-Reject", 8: "Protocol-Reject", 9: "Echo-Request",
    10: "Echo-Reply", 11: "Discard-Request", 12: "Identification",
    13: "Time-Remaining", 14: "Reset-Request", 15: "Reset-Ack",
}
CODES_OF = {
    0xC021: set(range(1, 14)),
    0x8021: set(range(1, 8)),
    0x8057: set(range(1, 8)),
    0x80FD: set(range(1, 8)) | {14, 15},
}
PAP_CODES = {1: "Authenticate-Request", 2: "Authenticate-Ack", 3: "Authenticate-Nak"}
CHAP_CODES = {1: "Challenge", 2: "Response", 3: "Success", 4: "Failure"}

# Option names (IANA PPP registries), the names pcapdecode prints.
LCP_OPTS = {
    0: "Vendor-Specific", 1: "MRU", 2: "ACCM", 3: "Auth-Protocol",
    4: "Quality-Protocol", 5: "Magic-Number", 7: "PFC", 8: "ACFC",
    9: "FCS-Alternatives", 10: "Self-Describing-Pad", 11: "Numbered-Mode",
    12: "Multi-Link-Procedure", 13: "Callback", 14: "Connect-Time",
    15: "Compound-Frames", 16: "Nominal-Data-Encapsulation", 17: "MRRU",
    18: "SSNHF", 19: "Endpoint-Discriminator", 20: "Proprietary",
    21: "DCE-Identifier", 22: "Multi-Link-Plus-Procedure",
    23: "Link-Discriminator", 24: "LCP-Authentication", 25: "COBS",
    26: "Prefix-Elision", 27: "Multilink-Header-Format",
    28: "Internationalization", 29: "SDL-on-SONET/SDH",
}
IPCP_OPTS = {
    1: "IP-Addresses", 2: "IP-Compression", 3: "IP-Address", 4: "Mobile-IPv4",
    129: "Primary-DNS", 130: "Primary-NBNS", 131: "Secondary-DNS",
    132: "Secondary-NBNS",
}
IPV6CP_OPTS = {1: "Interface-Identifier", 2: "IPv6-Compression"}
CCP_OPTS = {
    0: "OUI", 1: "Predictor-1", 2: "Predictor-2", 3: "Puddle-Jumper",
    16: "HP-PPC", 17: "Stac-LZS", 18: "MPPC", 19: "Gandalf-FZA", 20: "V.42bis",
    21: "BSD-Compress", 23: "LZS-DCP", 24: "MVRCA", 25: "DCE", 26: "Deflate",
    27: "V.44",
}
OPT_NAMES = {0xC021: LCP_OPTS, 0x8021: IPCP_OPTS, 0x8057: IPV6CP_OPTS, 0x80FD: CCP_OPTS}


def num(s):
    return int(s, 0) if s is not None else None


def fields(elem, name, stop_nested=True):
    """Values ('show') of every field `name` under elem, not descending
    into nested <proto> elements (a quoted packet is not this layer)."""
    out = []
    stack = list(elem)[::-1]
    while stack:
        e = stack.pop()
        if e.tag == "proto" and stop_nested:
            continue
        if e.tag == "field" and e.get("name") == name:
            out.append(e.get("show"))
        stack.extend(list(e)[::-1])
    return out


def field(elem, name):
    v = fields(elem, name)
    return v[0] if v else None


def has_malformed(elem):
    for e in elem.iter():
        if e.get("name") == "_ws.malformed":
            return True
    return False


def l2tp_avps(p):
    """The AVPs of an l2tp layer: (mandatory, hidden, length, vendor, type,
    message type). tshark shows no type for a hidden AVP, so vendor and type
    come from the AVP's raw bytes (its subtree's value)."""
    avps = []
    for e in p.iter("field"):
        kids = {k.get("name"): k.get("show") for k in e}
        if "l2tp.avp.length" not in kids:
            continue
        raw = e.get("value") or ""
        vendor = int(raw[4:8], 16) if len(raw) >= 8 else None
        atype = int(raw[8:12], 16) if len(raw) >= 12 else None
        avps.append((kids.get("l2tp.avp.mandatory") == "1",
                     kids.get("l2tp.avp.hidden") == "1",
                     num(kids["l2tp.avp.length"]), vendor, atype,
                     num(kids.get("l2tp.avp.message_type"))))
    return avps


def l2tp_line(p, udp_payload_len):
    """Text after '<frame> l2tp ' for one L2TP layer, or None to skip."""
    if has_malformed(p):
        return "error"
    ver = num(field(p, "l2tp.version"))
    if ver != 2:
        return "error"  # RFC 2661 §3.1: version 2 (1 is L2F, 3 is RFC 3931)
    ctrl = field(p, "l2tp.type") == "1"
    tid = num(field(p, "l2tp.tunnel"))
    sid = num(field(p, "l2tp.session"))
    if tid is None or sid is None:
        return "error"
    length = num(field(p, "l2tp.length"))
    if length is not None and (length > udp_payload_len or length < 6):
        return "error"  # §3.1: Length is the whole message
    if not ctrl:
        return "DATA tid=%d sid=%d" % (tid, sid)
    # §3.1: control messages MUST set L and S and clear O and P.
    if (field(p, "l2tp.length_bit") != "1" or field(p, "l2tp.seq_bit") != "1"
            or field(p, "l2tp.offset_bit") == "1" or field(p, "l2tp.priority") == "1"):
        return "error"
    if length != udp_payload_len:
        return "error"  # trailing bytes after the message
    ns, nr = num(field(p, "l2tp.Ns")), num(field(p, "l2tp.Nr"))
    avps = l2tp_avps(p)
    hdr = "tid=%d sid=%d ns=%d nr=%d" % (tid, sid, ns, nr)
    if not avps:
        return "ZLB " + hdr  # §5.8
    seen = set()
    for i, (_m, hidden, alen, vendor, atype, _mt) in enumerate(avps):
        if alen < 6:
            return "error"  # §4.1: the 6-octet AVP header is counted
        if i == 0 and (vendor != 0 or atype != 0 or hidden):
            return "error"  # §4.4.1: Message Type first, never hidden
        if hidden:
            return "error"  # §4.3: needs the tunnel secret, which we lack
        if vendor != 0:
            continue
        vlen = alen - 6
        # Framing/Bearer Capabilities in 2 octets (RFC 2661 §4.4.3 says 4):
        # the original's own test LAC, generateload, sends them and the
        # original LNS accepts them, so the L2TP codec does too.
        if atype in (3, 4) and vlen == 2:
            pass
        elif atype in L2TP_AVP_SIZE and vlen != L2TP_AVP_SIZE[atype]:
            return "error"
        if atype in L2TP_AVP_MIN and vlen < L2TP_AVP_MIN[atype]:
            return "error"
        if atype == 1 and vlen == 3:
            return "error"  # §4.4.2: error code is 2 octets or absent
        if atype in seen and (atype in L2TP_AVP_SIZE or atype in L2TP_AVP_MIN):
            return "error"  # one value per attribute in a message
        seen.add(atype)
    mtype = avps[0][5]
    if mtype not in L2TP_MSG:
        return "error"
    return "%s %s" % (L2TP_MSG[mtype], hdr)


def radius_line(p, udp_payload_len):
    """Text after '<frame> radius ' for one RADIUS layer."""
    if has_malformed(p):
        return "error"
    code = num(field(p, "radius.code"))
    ident = num(field(p, "radius.id"))
    length = num(field(p, "radius.length"))
    if code is None or ident is None or length is None:
        return "error"
    # RFC 2865 §3: 20 <= Length <= 4096, within the datagram; octets after
    # Length are padding.
    if length < 20 or length > 4096 or length > udp_payload_len:
        return "error"
    raw = ""
    for e in p:
        if e.tag == "field" and e.get("show") == "Attribute Value Pairs":
            raw = e.get("value") or ""
    attrs = bytes.fromhex(raw)
    if len(attrs) != length - 20:
        return "error"  # tshark stopped early: the attributes do not tile
    off = 0
    n_ma = 0
    while off < len(attrs):
        if len(attrs) - off < 2:
            return "error"  # a lone Type octet
        atype, alen = attrs[off], attrs[off + 1]
        if alen < 2 or off + alen > len(attrs):
            return "error"  # RFC 2865 §5: Length counts Type and Length
        if atype == 80:
            n_ma += 1
            if alen != 18 or n_ma > 1:
                return "error"  # RFC 3579 §3.2: one, 16 octets
        if atype == 26 and alen < 7:
            return "error"  # RFC 2865 §5.26: Vendor-Id + at least one octet
        off += alen
    if code not in RADIUS_CODES:
        return "error"  # RFC 2865 §3: unknown Codes are silently discarded
    return "%s id=%d" % (RADIUS_CODES[code], ident)


def ppp_line(p, payload):
    """Text after '<frame> ppp ' for a ppp layer and the layer after it."""
    if has_malformed(p):
        return "error"
    ctl = field(p, "ppp.control")
    if field(p, "ppp.address") is not None and num(ctl) != 0x03:
        return "error"  # RFC 1662 §3.1: UI frames only
    proto = num(field(p, "ppp.protocol"))
    if proto is None:
        return None
    if field(p, "ppp.address") is None and proto >> 8 == 0x7E:
        return "error"  # RFC 1662 §4.1 flag: async HDLC, not unescaped
    # RFC 1661 §2: low octet odd, high octet even.
    if not (proto & 1) or (proto & 0x100):
        return "error"
    label = PPP_PROTO.get(proto)
    if proto in (0x0021, 0x0057):
        return label
    if label is None:
        return "0x%04x" % proto
    if payload is None:
        return "error"  # nothing after the protocol field
    if has_malformed(payload):
        return "error"
    if proto in CP_PROTOS:
        name = CP_PROTOS[proto]
        code = num(field(payload, "ppp.code"))
        ident = num(field(payload, "ppp.identifier"))
        plen = num(field(payload, "ppp.length"))
        if code is None or ident is None or plen is None or plen < 4:
            return "error"  # RFC 1661 §5: 4-octet header, Length >= 4
        if plen > int(payload.get("size", "0")):
            return "error"  # Length past the received data
        cname = CP_CODES[code] if code in CODES_OF[proto] else str(code)
        text = "%s %s id=%d" % (label, cname, ident)
        if code in (1, 2, 3, 4):
            opts = cp_options(payload)
            if opts is None:
                return "error"
            names = OPT_NAMES[proto]
            text += " opts=" + ",".join(names.get(o, str(o)) for o in opts)
        return text
    if proto in (0xC023, 0xC223):
        pre = "pap" if proto == 0xC023 else "chap"
        codes = PAP_CODES if proto == 0xC023 else CHAP_CODES
        code = num(field(payload, pre + ".code"))
        ident = num(field(payload, pre + ".identifier"))
        plen = num(field(payload, pre + ".length"))
        if code is None or ident is None or plen is None or plen < 4:
            return "error"
        return "%s %s id=%d" % (label, codes.get(code, str(code)), ident)
    return label


def cp_options(payload):
    """Option types of a Configure-* packet in wire order, from tshark's
    Options subtree (one child per option, known or not), or None when an
    option is malformed (RFC 1661 §6: Length >= 2, within the packet)."""
    types = []
    for cont in payload:
        if cont.tag != "field" or not (cont.get("show") or "").startswith("Options:"):
            continue
        for opt in cont:
            raw = opt.get("value") or ""
            size = num(opt.get("size"))
            if len(raw) < 4:
                return None
            olen = int(raw[2:4], 16)
            if olen < 2 or olen != size:
                return None
            types.append(int(raw[0:2], 16))
    return types


def carrier_ok(p, caplen):
    """Whether a PPTP GRE (RFC 2637 §4.1) or PPPoE session (RFC 2516 §4)
    header is one whose payload can be followed at all."""
    if p.get("name") == "gre":
        if num(field(p, "gre.flags.version")) != 1:
            return True  # plain GRE: tshark's business, nothing of ours inside
        must_zero = ("gre.flags.checksum", "gre.flags.routing",
                     "gre.flags.strict_source_route", "gre.flags.recursion_control",
                     "gre.flags.reserved")
        if any(num(field(p, f)) for f in must_zero):
            return False
        if num(field(p, "gre.flags.key")) != 1 or num(field(p, "gre.proto")) != 0x880B:
            return False
        plen = num(field(p, "gre.key.payload_length")) or 0
        return plen <= caplen - num(p.get("pos")) - num(p.get("size"))
    if num(field(p, "pppoe.version")) != 1 or num(field(p, "pppoe.type")) != 1:
        return False
    if num(field(p, "pppoe.code")) != 0:
        return False
    plen = num(field(p, "pppoe.payload_length")) or 0
    return plen <= caplen - num(p.get("pos")) - 6


def length_ok(p, caplen):
    """Whether the IP datagram (RFC 791 Total Length, RFC 8200 Payload
    Length) or UDP datagram (RFC 768 Length) lies within the captured bytes."""
    avail = caplen - (num(p.get("pos")) or 0)
    name = p.get("name")
    if name == "ip":
        tot = num(field(p, "ip.len"))
        return tot is None or tot <= avail
    if name == "ipv6":
        plen = num(field(p, "ipv6.plen"))
        return plen is None or 40 + plen <= avail
    ulen = num(field(p, "udp.length"))
    return ulen is None or ulen <= avail


def is_fragment(p):
    """A fragment of an IPv4 (RFC 791) or IPv6 (RFC 8200 §4.5) datagram."""
    if p.get("name") == "ip":
        return bool(num(field(p, "ip.flags.mf")) or num(field(p, "ip.frag_offset")))
    return bool(num(field(p, "ipv6.fraghdr.more")) or num(field(p, "ipv6.fraghdr.offset")))


def packet_lines(pkt):
    protos = [e for e in pkt if e.tag == "proto"]
    frame = None
    caplen = 0
    for e in protos:
        if e.get("name") == "frame":
            frame = num(field(e, "frame.number"))
            caplen = num(field(e, "frame.cap_len")) or 0
    lines = []
    udp = None
    last_unit = None  # index in lines of the layer a malformation belongs to
    i = 0
    while i < len(protos):
        p = protos[i]
        name = p.get("name")
        if name in ("gre", "pppoes") and not carrier_ok(p, caplen):
            break  # pcapdecode cannot follow what this header would carry
        if name in ("ip", "ipv6", "udp") and not length_ok(p, caplen):
            break  # datagram cut short (snapshot length): nothing to follow
        if name in ("ip", "ipv6") and is_fragment(p):
            break  # pcapdecode does not reassemble (tshark does)
        if name == "udp":
            ports = (num(field(p, "udp.srcport")), num(field(p, "udp.dstport")))
            ulen = num(field(p, "udp.length"))
            udp = (ports, (ulen - 8) if ulen is not None else 0)
            last_unit = None
        elif name == "l2tp":
            if udp and L2TP_PORT in udp[0]:
                text = l2tp_line(p, udp[1])
                lines.append("%d l2tp %s" % (frame, text))
                last_unit = len(lines) - 1
            udp = None
        elif name == "radius":
            if udp and RADIUS_PORTS & set(udp[0]) and L2TP_PORT not in udp[0]:
                lines.append("%d radius %s" % (frame, radius_line(p, udp[1])))
                last_unit = len(lines) - 1
            udp = None
        elif name == "ppp":
            nxt = protos[i + 1] if i + 1 < len(protos) else None
            if nxt is not None and nxt.get("name") == "chdlc":
                last_unit = None  # Cisco HDLC on a PPP_SERIAL link
            else:
                proto = num(field(p, "ppp.protocol"))
                payload = None
                if nxt is not None and nxt.get("name") not in ("_ws.malformed",):
                    payload = nxt
                text = ppp_line(p, payload)
                if text is not None:
                    lines.append("%d ppp %s" % (frame, text))
                    # A protocol pcapdecode does not decode (printed as its
                    # number, or IP) owns any malformation after it.
                    ours = text == "error" or proto in PPP_PROTO and proto not in (0x0021, 0x0057)
                    last_unit = len(lines) - 1 if ours else None
                if payload is not None and proto is not None and proto not in (0x0021, 0x0057):
                    i += 1  # the control packet is part of this line
        elif name == "_ws.malformed":
            if last_unit is not None:
                word = lines[last_unit].split()[1]
                lines[last_unit] = "%d %s error" % (frame, word)
        else:
            last_unit = None
        i += 1
    return lines


def expected(path):
    cmd = ["tshark", "-n", "-r", path, "-T", "pdml"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    out = []
    for _ev, elem in ET.iterparse(proc.stdout, events=("end",)):
        if elem.tag == "packet":
            out.extend(packet_lines(elem))
            elem.clear()
    if proc.wait() != 0:
        raise SystemExit("gen-expected: tshark failed on " + path)
    return out


def main(argv):
    outfile = None
    if len(argv) >= 2 and argv[0] == "-o":
        outfile, argv = argv[1], argv[2:]
    if len(argv) != 1:
        raise SystemExit("usage: gen-expected.py [-o FILE] CAPTURE")
    text = "".join(line + "\n" for line in expected(argv[0]))
    if outfile:
        with open(outfile, "w") as f:
            f.write(text)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main(sys.argv[1:])
