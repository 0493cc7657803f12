#!/usr/bin/python3
"""An independent LAC for tests/sim: L2TPv2 (RFC 2661) and PPP (RFC 1661,
1332, 1334, 1994) built and parsed with scapy's L2TP and PPP layers, never
with our C code. Where scapy has no class (L2TP AVPs), the bytes are laid out
here from RFC 2661 section 4.1.

It brings one session up against the LNS, pings a host through it, tears it
down with CDN and StopCCN, and writes what it saw as JSON (one key per fact,
checked by the calling shell script). On any failure it still writes the
facts gathered so far plus "error".

usage: scapy_lac.py LNS_IP PING_IP OUT.json [--auth pap|chap] [--user U]
                    [--password P] [--hold SECONDS] [--no-teardown] [--extras]
                    [--secret S [--bad-tunnel-response]]
"""
import argparse
import hashlib
import json
import os
import socket
import struct
import sys
import time

from scapy.layers.inet import ICMP, IP
from scapy.layers.l2tp import L2TP
from scapy.layers.ppp import (HDLC, PPP, PPP_CHAP_ChallengeResponse,
                              PPP_IPCP, PPP_IPCP_Option_DNS1,
                              PPP_IPCP_Option_DNS2, PPP_IPCP_Option_IPAddress,
                              PPP_LCP, PPP_LCP_Configure, PPP_LCP_Echo,
                              PPP_LCP_Magic_Number_Option, PPP_LCP_MRU_Option,
                              PPP_PAP_Request)
from scapy.packet import Raw

# RFC 2661 section 3.1 header flags as scapy names them (T, L, S)
CTRL = 'control+length+sequence'

# RFC 2661 section 4.4.1: message types
SCCRQ, SCCRP, SCCCN, STOPCCN, HELLO = 1, 2, 3, 4, 6
ICRQ, ICRP, ICCN, CDN = 10, 11, 12, 14
MSG_NAMES = {1: 'SCCRQ', 2: 'SCCRP', 3: 'SCCCN', 4: 'StopCCN', 6: 'HELLO',
             10: 'ICRQ', 11: 'ICRP', 12: 'ICCN', 14: 'CDN', 0: 'ZLB'}

# RFC 2661 section 4.4: attribute types used here
AVP_MSG_TYPE, AVP_RESULT, AVP_PROTO_VER, AVP_FRAMING_CAP = 0, 1, 2, 3
AVP_BEARER_CAP, AVP_FIRMWARE, AVP_HOSTNAME, AVP_VENDOR = 4, 6, 7, 8
AVP_TUNNEL_ID, AVP_RWS, AVP_SESSION_ID, AVP_CALL_SERIAL = 9, 10, 14, 15
AVP_CHALLENGE, AVP_CHALLENGE_RESPONSE = 11, 13
AVP_BEARER_TYPE, AVP_FRAMING_TYPE, AVP_TX_SPEED = 18, 19, 24


def avp(attr, value, mandatory=True):
    """RFC 2661 4.1: |M|H|rsvd|Length(10)|Vendor ID|Attribute Type|value.
    The length counts the 6-byte header; vendor 0 is the IETF."""
    length = 6 + len(value)
    first = (0x8000 if mandatory else 0) | length
    return struct.pack('!HHH', first, 0, attr) + value


def avp16(attr, v, mandatory=True):
    return avp(attr, struct.pack('!H', v), mandatory)


def avp32(attr, v, mandatory=True):
    return avp(attr, struct.pack('!I', v), mandatory)


def parse_avps(b):
    """Returns [(mandatory, hidden, vendor, attr, value)]; raises on a
    malformed list so a broken LNS message shows up as an error."""
    out = []
    i = 0
    while i < len(b):
        if len(b) - i < 6:
            raise ValueError('truncated AVP header at %d' % i)
        first, vendor, attr = struct.unpack('!HHH', b[i:i + 6])
        length = first & 0x3ff
        if length < 6 or i + length > len(b):
            raise ValueError('bad AVP length %d at %d' % (length, i))
        out.append((bool(first & 0x8000), bool(first & 0x4000), vendor, attr,
                    b[i + 6:i + length]))
        i += length
    return out


class Ctrl:
    def __init__(self, pkt, avps):
        self.pkt = pkt
        self.ns = pkt.ns
        self.nr = pkt.nr
        self.avps = avps
        self.type = None
        if avps:
            m, h, v, a, val = avps[0]
            if v == 0 and a == AVP_MSG_TYPE and len(val) == 2:
                self.type = struct.unpack('!H', val)[0]
        else:
            self.type = 0  # ZLB

    def get(self, attr):
        for m, h, v, a, val in self.avps:
            if v == 0 and a == attr:
                return val
        return None

    def get16(self, attr):
        v = self.get(attr)
        return struct.unpack('!H', v[:2])[0] if v is not None and len(v) >= 2 else None

    def name(self):
        return MSG_NAMES.get(self.type, str(self.type))


class Failure(Exception):
    pass


class Lac:
    def __init__(self, lns, facts, verbose=False):
        self.lns = (lns, 1701)
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(('0.0.0.0', 0))
        self.facts = facts
        self.verbose = verbose
        self.tid = 0x4000 + os.getpid() % 0x3000
        self.sid = 0x2000 + os.getpid() % 0x1000
        self.ptid = 0
        self.psid = 0
        self.ns = 0  # next Ns we send
        self.nr = 0  # next Ns we expect from the LNS
        self.ctrl_q = []
        self.ppp_q = []
        self.magic = struct.unpack('!I', os.urandom(4))[0] | 1
        self.lns_dupes = 0
        self.ctrl_log = []

    def log(self, *a):
        if self.verbose:
            print(*a, file=sys.stderr, flush=True)

    # ---- L2TP control channel (RFC 2661 section 5.8) ------------------------
    def send_ctrl(self, msgtype, avps, session=0):
        body = avp16(AVP_MSG_TYPE, msgtype) + b''.join(avps)
        p = L2TP(hdr=CTRL, tunnel_id=self.ptid, session_id=session,
                 ns=self.ns, nr=self.nr) / Raw(body)
        self.log('>', MSG_NAMES.get(msgtype), 'ns', self.ns, 'nr', self.nr)
        self.sock.sendto(bytes(p), self.lns)
        self.ns = (self.ns + 1) & 0xffff

    def send_zlb(self):
        p = L2TP(hdr=CTRL, tunnel_id=self.ptid, session_id=0, ns=self.ns, nr=self.nr)
        self.log('> ZLB ns', self.ns, 'nr', self.nr)
        self.sock.sendto(bytes(p), self.lns)

    def send_ppp(self, ppp_pkt):
        """Data message, RFC 2661 3.1: no T/L/S bits; PPP with ff 03."""
        p = L2TP(hdr=0, tunnel_id=self.ptid, session_id=self.psid) / HDLC() / ppp_pkt
        self.sock.sendto(bytes(p), self.lns)

    def recv_one(self, deadline):
        t = deadline - time.time()
        if t <= 0:
            return False
        self.sock.settimeout(t)
        try:
            data, addr = self.sock.recvfrom(65535)
        except socket.timeout:
            return False
        if addr[0] != self.lns[0]:
            return True
        pkt = L2TP(data)
        if pkt.hdr & 'control':
            if not (pkt.hdr & 'length' and pkt.hdr & 'sequence'):
                raise Failure('control message without L or S bit (RFC 2661 3.1)')
            if pkt.tunnel_id != self.tid:
                raise Failure('control message to tunnel %d, ours is %d' % (pkt.tunnel_id, self.tid))
            if pkt.len != len(data):
                raise Failure('L2TP length %d but datagram %d' % (pkt.len, len(data)))
            if pkt.hdr & 'offset':
                raise Failure('control message with the O bit (RFC 2661 3.1: MUST be 0)')
            # scapy would decode the AVPs as PPP: take them from the wire
            body = data[12:]
            c = Ctrl(pkt, parse_avps(body))
            self.ctrl_log.append([c.name(), c.ns, c.nr])
            self.log('<', c.name(), 'ns', c.ns, 'nr', c.nr)
            if c.type == 0:
                self.ctrl_q.append(c)
                return True
            if c.ns == self.nr:
                self.nr = (self.nr + 1) & 0xffff
                self.ctrl_q.append(c)
            else:
                # a retransmission we already took: acknowledge again (5.8)
                self.lns_dupes += 1
                self.send_zlb()
            if c.type == HELLO:
                self.send_zlb()
            return True
        # data message: payload is PPP, scapy decodes ff 03 as HDLC
        if pkt.tunnel_id != self.tid or pkt.session_id != self.sid:
            raise Failure('data message to %d/%d, ours is %d/%d' %
                          (pkt.tunnel_id, pkt.session_id, self.tid, self.sid))
        ppp = pkt.getlayer(PPP)
        if ppp is None:
            raise Failure('data message without PPP: %r' % bytes(pkt.payload))
        if ppp.proto == 0xc021 and ppp.haslayer(PPP_LCP_Echo) and ppp[PPP_LCP_Echo].code == 9:
            e = ppp[PPP_LCP_Echo]
            self.send_ppp(PPP(proto=0xc021) / PPP_LCP_Echo(code=10, id=e.id, magic_number=self.magic,
                                                          data=e.data))
            return True
        self.ppp_q.append(ppp)
        return True

    def expect_ctrl(self, msgtype, timeout=5.0):
        """msgtype: one type or a tuple of types (0 = ZLB)."""
        types = msgtype if isinstance(msgtype, tuple) else (msgtype,)
        deadline = time.time() + timeout
        while True:
            for i, c in enumerate(self.ctrl_q):
                if c.type in types:
                    del self.ctrl_q[i]
                    return c
            if not self.recv_one(deadline):
                raise Failure('no %s from the LNS within %.0fs (saw %s)' %
                              ('/'.join(MSG_NAMES.get(t, str(t)) for t in types), timeout, self.ctrl_log))

    def expect_ppp(self, pred, what, timeout=5.0):
        deadline = time.time() + timeout
        while True:
            for i, p in enumerate(self.ppp_q):
                if pred(p):
                    del self.ppp_q[i]
                    return p
            if not self.recv_one(deadline):
                raise Failure('no %s within %.0fs (queued: %s)' %
                              (what, timeout, [x.summary() for x in self.ppp_q]))

    # ---- the call ------------------------------------------------------------
    def tunnel_up(self, secret=None, bad_response=False):
        """With a secret, RFC 2661 4.2 / 5.1.1 tunnel authentication: our
        Challenge in SCCRQ, the LNS's answer in SCCRP checked here, the LNS's
        Challenge answered in SCCCN. The CHAP-style ID is the message type
        carrying the response (2 for SCCRP, 3 for SCCCN)."""
        f = self.facts
        extra = []
        if secret is not None:
            chal = os.urandom(16)
            extra.append(avp(AVP_CHALLENGE, chal))
        self.send_ctrl(SCCRQ, extra + [
            avp(AVP_PROTO_VER, b'\x01\x00'),
            avp(AVP_HOSTNAME, b'scapy-lac'),
            avp32(AVP_FRAMING_CAP, 3),
            avp32(AVP_BEARER_CAP, 0, False),
            avp16(AVP_FIRMWARE, 0x0100, False),
            avp(AVP_VENDOR, b'scapy test LAC', False),
            avp16(AVP_TUNNEL_ID, self.tid),
            avp16(AVP_RWS, 8, False),
        ])
        c = self.expect_ctrl(SCCRP)
        f['sccrp'] = True
        f['sccrp_ns_nr'] = [c.ns, c.nr]
        pv = c.get(AVP_PROTO_VER)
        f['sccrp_proto_ver'] = list(pv) if pv else None
        f['sccrp_hostname'] = (c.get(AVP_HOSTNAME) or b'').decode(errors='replace')
        f['sccrp_framing_cap'] = c.get(AVP_FRAMING_CAP) is not None
        self.ptid = c.get16(AVP_TUNNEL_ID) or 0
        f['lns_tid'] = self.ptid
        f['sccrp_header_tid'] = c.pkt.tunnel_id
        f['sccrp_hidden_avps'] = sum(1 for a in c.avps if a[1])
        scccn = []
        if secret is not None:
            got = c.get(AVP_CHALLENGE_RESPONSE)
            f['sccrp_chal_resp_ok'] = got == hashlib.md5(b'\x02' + secret.encode() + chal).digest()
            lns_chal = c.get(AVP_CHALLENGE)
            f['lns_challenge_len'] = len(lns_chal) if lns_chal is not None else 0
            if lns_chal is not None:
                resp = hashlib.md5(b'\x03' + secret.encode() + lns_chal).digest()
                if bad_response:
                    resp = bytes([resp[0] ^ 0x01]) + resp[1:]
                scccn.append(avp(AVP_CHALLENGE_RESPONSE, resp))
        self.send_ctrl(SCCCN, scccn)
        z = self.expect_ctrl((0, STOPCCN))
        if z.type == STOPCCN:
            rc = z.get(AVP_RESULT)
            f['stopccn_result'] = struct.unpack('!H', rc[:2])[0] if rc and len(rc) >= 2 else None
            f['stopccn_ns_nr'] = [z.ns, z.nr]
            self.send_zlb()  # RFC 2661 5.7: the StopCCN is acknowledged
            raise Failure('the LNS refused the tunnel with StopCCN result %s' % f['stopccn_result'])
        f['scccn_zlb_ns_nr'] = [z.ns, z.nr]

    def call_up(self):
        f = self.facts
        self.send_ctrl(ICRQ, [avp16(AVP_SESSION_ID, self.sid),
                              avp32(AVP_CALL_SERIAL, 1),
                              avp32(AVP_BEARER_TYPE, 0, False)], session=0)
        c = self.expect_ctrl(ICRP)
        f['icrp'] = True
        f['icrp_ns_nr'] = [c.ns, c.nr]
        f['icrp_header_sid'] = c.pkt.session_id
        self.psid = c.get16(AVP_SESSION_ID) or 0
        f['lns_sid'] = self.psid
        self.send_ctrl(ICCN, [avp32(AVP_TX_SPEED, 100000000),
                              avp32(AVP_FRAMING_TYPE, 1)], session=self.psid)
        z = self.expect_ctrl(0)
        f['iccn_zlb_ns_nr'] = [z.ns, z.nr]

    def lcp(self, mru=1400):
        """RFC 1661 4: both Configure-Requests must be acked."""
        f = self.facts
        our_id = 1
        self.send_ppp(PPP(proto=0xc021) / PPP_LCP_Configure(code=1, id=our_id, options=[
            PPP_LCP_MRU_Option(max_recv_unit=mru),
            PPP_LCP_Magic_Number_Option(magic_number=self.magic)]))
        acked = sent_ack = False
        deadline = time.time() + 8
        while not (acked and sent_ack):
            p = self.expect_ppp(lambda p: p.proto == 0xc021, 'LCP',
                                max(0.1, deadline - time.time()))
            lcp = p.payload
            code = lcp.code
            if code == 1:
                opts = lcp.options
                f['lns_lcp_options'] = [o.type for o in opts]
                auth = [o for o in opts if o.type == 3]
                if auth:
                    f['lns_auth_proto'] = auth[0].auth_protocol
                    if auth[0].auth_protocol == 0xc223:
                        f['lns_chap_alg'] = auth[0].algorithm if hasattr(auth[0], 'algorithm') else None
                magic = [o for o in opts if o.type == 5]
                if magic:
                    f['lns_magic'] = magic[0].magic_number
                # ack verbatim: options copied from the request (RFC 1661 5.2)
                ack = PPP_LCP_Configure(code=2, id=lcp.id, options=opts)
                self.send_ppp(PPP(proto=0xc021) / ack)
                sent_ack = True
            elif code == 2 and lcp.id == our_id:
                f['lcp_our_req_acked'] = True
                acked = True
            elif code in (3, 4):
                f.setdefault('lcp_nak_rej', []).append(code)
                raise Failure('LNS %s our LCP request: %s' % ('NAKed' if code == 3 else 'rejected',
                                                              bytes(lcp).hex()))
            elif code == 5:
                self.send_ppp(PPP(proto=0xc021) / PPP_LCP(code=6, id=lcp.id))
                raise Failure('LNS sent Terminate-Request during LCP')

    def pap(self, user, password):
        self.send_ppp(PPP(proto=0xc023) / PPP_PAP_Request(id=7, username=user, password=password))
        p = self.expect_ppp(lambda p: p.proto == 0xc023 and p.payload.code in (2, 3), 'PAP reply')
        self.facts['auth_ok'] = p.payload.code == 2
        self.facts['auth_reply_id'] = p.payload.id
        self.facts['auth_message'] = bytes(getattr(p.payload, 'message', b'') or b'').decode(errors='replace')
        if p.payload.code != 2:
            raise Failure('PAP Authenticate-Nak')

    def chap(self, user, password):
        p = self.expect_ppp(lambda p: p.proto == 0xc223 and p.payload.code == 1, 'CHAP Challenge')
        ch = p.payload
        value = bytes(ch.value)
        self.facts['chap_challenge_len'] = len(value)
        # RFC 1994 4.1: Response = MD5(Identifier || secret || Challenge)
        resp = hashlib.md5(bytes([ch.id]) + password.encode() + value).digest()
        self.send_ppp(PPP(proto=0xc223) / PPP_CHAP_ChallengeResponse(
            code=2, id=ch.id, value=resp, optional_name=user))
        p = self.expect_ppp(lambda p: p.proto == 0xc223 and p.payload.code in (3, 4), 'CHAP result')
        self.facts['auth_ok'] = p.payload.code == 3
        self.facts['auth_reply_id'] = p.payload.id
        self.facts['chap_challenge_id'] = ch.id
        if p.payload.code != 3:
            raise Failure('CHAP Failure')

    def ipcp(self):
        """RFC 1332 / 1877: request 0.0.0.0 (and DNS), take what is NAKed."""
        f = self.facts
        want = {3: '0.0.0.0', 129: '0.0.0.0', 131: '0.0.0.0'}
        cls = {3: PPP_IPCP_Option_IPAddress, 129: PPP_IPCP_Option_DNS1, 131: PPP_IPCP_Option_DNS2}
        req_id = 0x20
        acked = sent_ack = False
        rounds = 0

        def send_req():
            self.send_ppp(PPP(proto=0x8021) / PPP_IPCP(code=1, id=req_id, options=[
                cls[t](data=v) for t, v in sorted(want.items())]))
        send_req()
        deadline = time.time() + 8
        while not (acked and sent_ack):
            p = self.expect_ppp(lambda p: p.proto == 0x8021, 'IPCP',
                                max(0.1, deadline - time.time()))
            ip = p.payload
            if ip.code == 1:
                addr = [o for o in ip.options if o.type == 3]
                f['lns_ipcp_addr'] = addr[0].data if addr else None
                self.send_ppp(PPP(proto=0x8021) / PPP_IPCP(code=2, id=ip.id, options=ip.options))
                sent_ack = True
            elif ip.code == 2 and ip.id == req_id:
                acked = True
                f['ipcp_acked'] = {str(o.type): o.data for o in ip.options}
            elif ip.code == 3 and ip.id == req_id:
                for o in ip.options:
                    want[o.type] = o.data
                f.setdefault('ipcp_naks', []).append({str(o.type): o.data for o in ip.options})
            elif ip.code == 4 and ip.id == req_id:
                for o in ip.options:
                    want.pop(o.type, None)
                f.setdefault('ipcp_rejects', []).append([o.type for o in ip.options])
            else:
                continue
            if ip.code in (3, 4):
                rounds += 1
                if rounds > 4:
                    raise Failure('IPCP does not converge')
                req_id += 1
                send_req()
        f['ip'] = want.get(3)
        f['dns1'] = want.get(129)
        f['dns2'] = want.get(131)

    def ping(self, dst, count=3):
        """Totals accumulate over calls: the LNS counts the whole session."""
        f = self.facts
        ok = 0
        f.setdefault('ping_sent', 0)
        f.setdefault('ping_bad_csum', 0)
        f.setdefault('ping_ip_bytes', 0)  # IPv4 bytes sent: what the LNS should count
        first = f['ping_sent'] + 1
        for seq in range(first, first + count):
            payload = b'scapy-lac-%d-' % seq + os.urandom(16).hex().encode()
            req = IP(src=f['ip'], dst=dst, ttl=64, id=seq) / ICMP(type=8, id=0x5ca9, seq=seq) / Raw(payload)
            self.send_ppp(PPP(proto=0x0021) / req)
            f['ping_sent'] += 1
            f['ping_ip_bytes'] += len(bytes(req))
            try:
                p = self.expect_ppp(lambda p: p.proto == 0x0021 and p.haslayer(ICMP)
                                    and p[ICMP].type == 0 and p[ICMP].seq == seq, 'Echo-Reply', 3)
            except Failure:
                continue
            ip = p[IP]
            raw = bytes(ip)
            # recompute both checksums with scapy from the received bytes
            chk = IP(raw)
            ip_ck, icmp_ck = chk.chksum, chk[ICMP].chksum
            del chk.chksum
            del chk[ICMP].chksum
            re = IP(bytes(chk))
            good = (re.chksum == ip_ck and re[ICMP].chksum == icmp_ck)
            if not good:
                f['ping_bad_csum'] += 1
            if (good and ip.src == dst and ip.dst == f['ip'] and p[ICMP].id == 0x5ca9
                    and bytes(p[ICMP].payload) == payload):
                ok += 1
            f['ping_reply_ttl'] = ip.ttl
        f['ping_ok'] = f.get('ping_ok', 0) + ok

    def extras(self, dst):
        """Things real CPEs do once the session is up; none may end it."""
        f = self.facts
        # RFC 1661 5.8: Echo-Reply with our Identifier and data and the
        # LNS's own magic number
        data = os.urandom(12)
        self.send_ppp(PPP(proto=0xc021) / PPP_LCP_Echo(code=9, id=0x44, magic_number=self.magic,
                                                      data=data))
        p = self.expect_ppp(lambda p: p.proto == 0xc021 and p.payload.code == 10, 'LCP Echo-Reply')
        e = p[PPP_LCP_Echo]
        f['echo_reply_ok'] = (e.id == 0x44 and bytes(e.data) == data
                              and e.magic_number == f.get('lns_magic'))
        # RFC 1661 5.7: a protocol the LNS does not know (0x8031, BCP) is
        # Protocol-Rejected, carrying the protocol and the rejected packet
        bcp = bytes([1, 0x31, 0, 4])  # Configure-Request, no options
        self.send_ppp(PPP(proto=0x8031) / Raw(bcp))
        p = self.expect_ppp(lambda p: p.proto == 0xc021 and p.payload.code == 8, 'LCP Protocol-Reject')
        body = bytes(p.payload)
        f['proto_rej_ok'] = body[4:6] == b'\x80\x31' and body[6:6 + len(bcp)] == bcp
        # RFC 1661 3.7 / peer lessons: an IPV6CP Terminate-Request closes only
        # IPV6CP (or is Protocol-Rejected when IPv6 is off); the link stays
        self.send_ppp(PPP(proto=0x8057) / Raw(bytes([5, 0x66, 0, 4])))
        p = self.expect_ppp(lambda p: (p.proto == 0x8057 and bytes(p.payload)[:2] == b'\x06\x66')
                            or (p.proto == 0xc021 and p.payload.code == 8
                                and bytes(p.payload)[4:6] == b'\x80\x57'), 'IPV6CP answer')
        f['ipv6cp_term_answer'] = 'terminate-ack' if p.proto == 0x8057 else 'protocol-reject'
        self.ping(dst)
        f['lcp_terminate_seen'] = any(q.proto == 0xc021 and q.payload.code == 5 for q in self.ppp_q)

    def teardown(self):
        f = self.facts
        # RFC 2661 4.4.2: CDN Result Code 3, "disconnected for administrative reasons"
        self.send_ctrl(CDN, [avp(AVP_RESULT, struct.pack('!H', 3)),
                             avp16(AVP_SESSION_ID, self.sid)], session=self.psid)
        cdn_ns = (self.ns - 1) & 0xffff
        z = self.expect_ctrl(0)
        f['cdn_zlb_ns_nr'] = [z.ns, z.nr]
        f['cdn_acked'] = z.nr == (cdn_ns + 1) & 0xffff
        # Result Code 1: general request to clear the control connection (4.4.2)
        self.send_ctrl(STOPCCN, [avp16(AVP_TUNNEL_ID, self.tid),
                                 avp(AVP_RESULT, struct.pack('!H', 1))])
        stop_ns = (self.ns - 1) & 0xffff
        z = self.expect_ctrl(0)
        f['stopccn_zlb_ns_nr'] = [z.ns, z.nr]
        f['stopccn_acked'] = z.nr == (stop_ns + 1) & 0xffff


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('lns')
    ap.add_argument('ping')
    ap.add_argument('out')
    ap.add_argument('--auth', default='pap', choices=['pap', 'chap'])
    ap.add_argument('--user', default='alice')
    ap.add_argument('--password', default='secret')
    ap.add_argument('--hold', type=float, default=0)
    ap.add_argument('--no-teardown', action='store_true')
    ap.add_argument('--secret', help='tunnel secret: challenge the LNS and answer its challenge')
    ap.add_argument('--bad-tunnel-response', action='store_true',
                    help='answer the LNS challenge wrongly; expect StopCCN')
    ap.add_argument('--extras', action='store_true',
                    help='LCP echo, an unknown protocol, IPV6CP Terminate-Request, then ping again')
    ap.add_argument('-v', action='store_true')
    a = ap.parse_args()
    facts = {'error': None}
    lac = Lac(a.lns, facts, a.v)
    facts['our_tid'] = lac.tid
    facts['our_sid'] = lac.sid
    try:
        lac.tunnel_up(a.secret, a.bad_tunnel_response)
        lac.call_up()
        lac.lcp()
        if a.auth == 'pap':
            lac.pap(a.user, a.password)
        else:
            lac.chap(a.user, a.password)
        lac.ipcp()
        lac.ping(a.ping)
        if a.extras:
            lac.extras(a.ping)
        if a.hold:
            end = time.time() + a.hold
            while lac.recv_one(end):
                pass
        if not a.no_teardown:
            lac.teardown()
    except Exception as e:  # report every failure as a fact
        facts['error'] = '%s: %s' % (type(e).__name__, e)
    facts['ctrl_log'] = lac.ctrl_log
    facts['lns_dupes'] = lac.lns_dupes
    with open(a.out, 'w') as fh:
        json.dump(facts, fh, indent=1)
    return 0 if facts['error'] is None else 1


if __name__ == '__main__':
    sys.exit(main())
