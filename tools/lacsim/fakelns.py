#!/usr/bin/env python3
"""Self-test of lacsim without an LNS: a scripted fake LNS on loopback drives
lacsim through paths the real l2tpns never takes: an LNS Challenge, HELLO,
out-of-order and duplicate control messages, LCP options to Reject, PFC/ACFC
acceptance, IPCP Reject then Nak, IPV6CP (Protocol-Reject), LCP Echo, CDN
and LCP Terminate-Request from the LNS, StopCCN from the LNS. Every packet
lacsim sends is checked against RFC 2661/1661/1332/1334 by hand here (plain
sockets and struct, no scapy), then lacsim's JSON report is checked.

usage: tools/lacsim/fakelns.py build/bin/lacsim   (exit 0 when all checks pass)"""
import hashlib, json, socket, struct, subprocess, sys

lacsim = sys.argv[1]
secret = b'sec'
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(('127.0.0.1', 0))
port = s.getsockname()[1]
s.settimeout(15)
proc = subprocess.Popen([lacsim, '-s', '127.0.0.1:%d' % port, '-b', '127.0.0.1', '-t', '1', '-n', '2',
                         '-u', 'user%d', '-p', 'pw', '-S', secret.decode(), '--timeout', '10',
                         '--hold', '1', '--json'], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
checks = []
def check(name, ok):
    checks.append((name, bool(ok))); print(('PASS ' if ok else 'FAIL ') + name, flush=True)

def avp(t, v, m=True):
    return struct.pack('>HHH', (0x8000 if m else 0) | (6 + len(v)), 0, t) + v
def avps(b):
    r, off = {}, 0
    while off + 6 <= len(b):
        fl, ven, t = struct.unpack('>HHH', b[off:off+6]); ln = fl & 0x3ff
        r[t] = b[off+6:off+ln]; off += ln
    return r

st = dict(ns=0, nr=0, ptid=0, peer=None)
MYTID = 77
def ctrl(mt, body, sid=0, ns=None):
    p = avp(0, struct.pack('>H', mt)) + body
    n = st['ns'] if ns is None else ns
    pkt = struct.pack('>HHHHHH', 0xc802, 12 + len(p), st['ptid'], sid, n, st['nr']) + p
    if ns is None: st['ns'] += 1
    return pkt
def send(pkt): s.sendto(pkt, st['peer'])
def ppp(sess, proto, code, ident, data, acfc=True, pfc=False):
    hdr = b'\xff\x03' if acfc else b''
    hdr += bytes([proto & 0xff]) if pfc else struct.pack('>H', proto)
    send(struct.pack('>HHH', 0x0002, st['ptid'], sess['lsid']) + hdr +
         struct.pack('>BBH', code, ident, 4 + len(data)) + data)
def opt(t, v): return bytes([t, 2 + len(v)]) + v
def opts(b):
    r, off = [], 0
    while off + 2 <= len(b):
        r.append((b[off], b[off+2:off+b[off+1]])); off += b[off+1]
    return r

mychal = bytes(range(16))
sessions = {}          # our sid -> dict
acks = []              # Nr values seen in ZLBs
done = False
stop_sent = False
while not done:
    try:
        b, a = s.recvfrom(4096)
    except socket.timeout:
        print('timeout'); break
    st['peer'] = a
    flags = struct.unpack('>H', b[:2])[0]
    if flags & 0x8000:
        ln, tid, sid, ns, nr = struct.unpack('>HHHHH', b[2:12])
        body = b[12:ln]
        acks.append(nr)     # every message carries Nr, ZLB or not
        if not body:
            if stop_sent: done = True
            continue
        if ns != st['nr']:
            continue
        st['nr'] += 1
        m = avps(body); mt = struct.unpack('>H', m[0])[0]
        if mt == 1:   # SCCRQ
            check('SCCRQ has Challenge', 11 in m)
            check('SCCRQ has Host Name, Framing Cap, Protocol Version, Assigned Tunnel ID',
                  all(k in m for k in (2, 3, 7, 9)))
            st['ptid'] = struct.unpack('>H', m[9])[0]
            resp = hashlib.md5(b'\x02' + secret + m[11]).digest()
            send(ctrl(2, avp(2, b'\x01\x00') + avp(3, struct.pack('>I', 3)) + avp(7, b'fake') +
                      avp(9, struct.pack('>H', MYTID)) + avp(10, struct.pack('>H', 8)) +
                      avp(11, mychal) + avp(13, resp)))
        elif mt == 3:  # SCCCN
            check('SCCCN answers our Challenge', m.get(13) == hashlib.md5(b'\x03' + secret + mychal).digest())
            # two HELLOs, the second sent first: lacsim must drop the future one,
            # accept the first, then accept the retransmitted second
            h1 = ctrl(6, b''); h2 = ctrl(6, b'')
            send(h2); send(h1); send(h2)
            st['hello_nr'] = st['ns']
            send(h1)   # duplicate: must be re-acknowledged
        elif mt == 10:  # ICRQ
            lsid = struct.unpack('>H', m[14])[0]
            check('ICRQ has Assigned Session ID and Call Serial Number', 14 in m and 15 in m)
            me = 100 + lsid
            sessions[me] = dict(lsid=lsid, k=len(sessions), lcp_id=1, ipcp_req=0)
            send(ctrl(11, avp(14, struct.pack('>H', me)), sid=lsid))
        elif mt == 12:  # ICCN
            check('ICCN has Tx Connect Speed and Framing Type', 24 in m and 19 in m)
            sess = sessions[sid]
            send(struct.pack('>HHHHHH', 0xc802, 12, st['ptid'], 0, st['ns'], st['nr']))
            # LCP request with an option lacsim must Reject (0x42) and ones it should take
            ppp(sess, 0xc021, 1, 1, opt(1, struct.pack('>H', 1500)) + opt(3, struct.pack('>H', 0xc023)) +
                opt(5, struct.pack('>I', 0x11223344)) + opt(7, b'') + opt(8, b'') + opt(0x42, b'xy'))
        elif mt == 14:  # CDN from the LAC
            sid_lac = struct.unpack('>H', m[14])[0]
            for me, sess in sessions.items():
                if sess['lsid'] == sid_lac:
                    sess['cdn'] = struct.unpack('>H', m[1][:2])[0]
            if all('cdn' in x or x.get('cdn_sent') for x in sessions.values()) and len(sessions) == 2:
                send(ctrl(4, avp(1, struct.pack('>HH', 1, 0) + b'fake done') + avp(9, struct.pack('>H', MYTID))))
                stop_sent = True
        elif mt == 4:
            done = True
        continue
    # data
    tid, sid = struct.unpack('>HH', b[2:6])
    sess = sessions.get(sid)
    f = b[6:]
    if f[:2] == b'\xff\x03': f = f[2:]
    proto = struct.unpack('>H', f[:2])[0]; f = f[2:]
    code, ident, ln = struct.unpack('>BBH', f[:4]); data = f[4:ln]
    if proto == 0xc021:
        if code == 1:
            o = dict(opts(data))
            check('LCP CR carries MRU and Magic-Number', 1 in o and 5 in o)
            sess['magic'] = o.get(5)
            ppp(sess, 0xc021, 2, ident, data)
        elif code == 4:
            check('LCP Configure-Reject holds exactly the unknown option', data == opt(0x42, b'xy'))
            ppp(sess, 0xc021, 1, 2, opt(1, struct.pack('>H', 1500)) + opt(3, struct.pack('>H', 0xc023)) +
                opt(5, struct.pack('>I', 0x11223344)) + opt(7, b'') + opt(8, b''))
        elif code == 3:
            check('LCP Nak not expected', False)
        elif code == 2:
            sess['lcp_up'] = True
        elif code == 10:
            check('Echo-Reply carries the LAC magic', data[:4] == sess['magic'] and data[4:] == b'ping')
            if sess['k'] == 0:
                send(ctrl(14, avp(1, struct.pack('>HH', 2, 0) + b'bye') + avp(14, struct.pack('>H', sid)),
                          sid=sess['lsid']))
                sess['cdn_sent'] = True
            else:
                ppp(sess, 0xc021, 5, 9, b'')
        elif code == 6:
            check('Terminate-Ack for our Terminate-Request', ident == 9)
        elif code == 8:
            sess['protrej'] = struct.unpack('>H', data[:2])[0]
    elif proto == 0xc023:
        pid = data[1:1+data[0]]; pw = data[2+data[0]:2+data[0]+data[1+data[0]]]
        check('PAP peer-id/password', pid == b'user%d' % (sess['k'] + 1) and pw == b'pw')
        ppp(sess, 0xc023, 2, ident, b'\x00')
        # compressed framing (PFC and ACFC were acked) and an IPCP request to partly reject
        ppp(sess, 0x8021, 1, 1, opt(3, socket.inet_aton('10.0.0.254')) + opt(2, b'\x00\x2d\x0f\x01'),
            acfc=False, pfc=False)
        ppp(sess, 0x8057, 1, 1, opt(1, b'\x00' * 8), acfc=False)   # IPV6CP: expect Protocol-Reject
    elif proto == 0x8021:
        if code == 4:
            check('IPCP Reject of IP-Compression', data == opt(2, b'\x00\x2d\x0f\x01'))
            ppp(sess, 0x8021, 1, 2, opt(3, socket.inet_aton('10.0.0.254')))
        elif code == 2:
            sess['ipcp_acked'] = True
        elif code == 1:
            o = opts(data)
            sess['ipcp_req'] += 1
            if sess['ipcp_req'] == 1:
                check('IPCP CR asks 0.0.0.0 + DNS 129/131',
                      o == [(3, b'\0' * 4), (129, b'\0' * 4), (131, b'\0' * 4)])
                ppp(sess, 0x8021, 4, ident, opt(131, b'\0' * 4))
            elif sess['ipcp_req'] == 2:
                check('IPCP CR after Reject drops 131', [t for t, _ in o] == [3, 129])
                ppp(sess, 0x8021, 3, ident, opt(3, bytes([10, 0, 0, 1 + sess['k']])) +
                    opt(129, socket.inet_aton('8.8.8.8')))
            else:
                check('IPCP CR adopts the Nak values',
                      o == [(3, bytes([10, 0, 0, 1 + sess['k']])), (129, socket.inet_aton('8.8.8.8'))])
                ppp(sess, 0x8021, 2, ident, data)
                ppp(sess, 0xc021, 9, 7, struct.pack('>I', 0x11223344) + b'ping')

# Nr is cumulative: reaching past both HELLOs means the one sent early was
# dropped, the in-order one accepted, the retransmission accepted after it
check('HELLO out of order then duplicate: acks reached Nr>=%d' % st.get('hello_nr', -1),
      max(acks, default=0) >= st.get('hello_nr', 1 << 20))
check('Nr never counts a message twice (max Nr %d <= messages sent %d)' % (max(acks, default=0), st['ns']),
      max(acks, default=0) <= st['ns'])
check('IPV6CP Protocol-Rejected', all(x.get('protrej') == 0x8057 for x in sessions.values()))
check('LAC sent CDN after Terminate', any(x.get('cdn') for x in sessions.values()))
check('StopCCN acknowledged', done)
out, _ = proc.communicate(timeout=30)
try:
    rep = json.loads(out)
except ValueError:
    rep = {}
check('lacsim exit status 1 (sessions dropped)', proc.returncode == 1)
check('report: 2 up, 2 dropped, 0 failed', (rep.get('up'), rep.get('dropped'), rep.get('failed')) == (2, 2, 0))
check('report names both reasons', sorted(r['reason'] for r in rep.get('reasons', [])) ==
      ['CDN from LNS: result 2 error 0 bye', 'LCP Terminate-Request from LNS'])
check('report counts 2 IPV6CP Protocol-Rejects and 2 Echo replies',
      rep.get('control', {}).get('proto_rejects') == 2 and rep.get('control', {}).get('lcp_echo_replies') == 2)
print('fake: %d/%d checks passed' % (sum(ok for _, ok in checks), len(checks)))
sys.exit(0 if all(ok for _, ok in checks) else 1)
