#!/usr/bin/python3
"""Send one Access-Request and check the reply independently of radclient.

  radius_probe.py SERVER[:PORT] SECRET USER PASSWORD [--chap] [--no-ma] [--timeout S] [--brief]

Builds the request from the RFCs alone: User-Password hidden as RFC 2865
section 5.2, or CHAP-Password/CHAP-Challenge (RFC 2865 sections 5.3, 5.40;
response = MD5(id + password + challenge)), and a Message-Authenticator
(RFC 3579 section 3.2, HMAC-MD5 over the packet with the field zeroed)
unless --no-ma. Prints one JSON object: the reply's code, whether its
Response Authenticator is right (RFC 2865 section 3), whether it carries a
Message-Authenticator and whether that is right (computed over the reply
with the Request Authenticator in the authenticator field), and the
attributes as [type, hex]; --brief: only "CODE AUTH_OK HAS_MA MA_OK" (Python
literals, "None None None None" without a reply). Exit 0 when a reply came,
1 on timeout.
"""
import hashlib
import hmac
import json
import os
import socket
import sys

ACCESS_REQUEST, MA = 1, 80


def attr(t, v):
    return bytes([t, 2 + len(v)]) + v


def hide(pw, secret, ra):
    pw = pw + b'\0' * (-len(pw) % 16 or (16 if not pw else 0))
    out, prev = b'', ra
    for i in range(0, len(pw), 16):
        b = hashlib.md5(secret + prev).digest()
        c = bytes(x ^ y for x, y in zip(pw[i:i + 16], b))
        out, prev = out + c, c
    return out


def main():
    args = [a for a in sys.argv[1:] if not a.startswith('--')]
    opts = sys.argv[1:]
    timeout = 2.0
    if '--timeout' in opts:
        timeout = float(opts[opts.index('--timeout') + 1])
        args.remove(opts[opts.index('--timeout') + 1])
    server, secret, user, pw = args[0], args[1].encode(), args[2].encode(), args[3].encode()
    host, _, port = server.partition(':')
    port = int(port or 1812)
    ident, ra = os.urandom(1)[0], os.urandom(16)
    attrs = attr(1, user)
    if '--chap' in opts:
        chap_id, challenge = os.urandom(1)[0], os.urandom(16)
        resp = hashlib.md5(bytes([chap_id]) + pw + challenge).digest()
        attrs += attr(3, bytes([chap_id]) + resp) + attr(60, challenge)
    else:
        attrs += attr(2, hide(pw, secret, ra))
    if '--no-ma' not in opts:
        attrs += attr(MA, b'\0' * 16)
    hdr = bytes([ACCESS_REQUEST, ident]) + (20 + len(attrs)).to_bytes(2, 'big')
    pkt = hdr + ra + attrs
    if '--no-ma' not in opts:
        mac = hmac.new(secret, pkt, hashlib.md5).digest()
        pkt = pkt[:-16] + mac
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(timeout)
    s.sendto(pkt, (host, port))
    try:
        while True:
            r, _ = s.recvfrom(4096)
            if len(r) >= 20 and r[1] == ident:
                break
    except socket.timeout:
        print('None None None None' if '--brief' in opts else json.dumps({'reply': None}))
        return 1
    n = int.from_bytes(r[2:4], 'big')
    r = r[:n]
    auth_ok = hashlib.md5(r[:4] + ra + r[20:] + secret).digest() == r[4:20]
    out, i, ma_at = [], 20, None
    while i + 2 <= n and r[i + 1] >= 2:
        t, ln = r[i], r[i + 1]
        if t == MA:
            ma_at = i
        out.append([t, r[i + 2:i + ln].hex()])
        i += ln
    ma_ok = None
    if ma_at is not None:
        z = r[:4] + ra + r[20:ma_at + 2] + b'\0' * 16 + r[ma_at + 18:]
        ma_ok = hmac.new(secret, z, hashlib.md5).digest() == r[ma_at + 2:ma_at + 18]
    if '--brief' in opts:
        print(r[0], auth_ok, ma_at is not None, ma_ok)
    else:
        print(json.dumps({'reply': r[0], 'auth_ok': auth_ok, 'has_ma': ma_at is not None,
                          'ma_ok': ma_ok, 'attrs': out}))
    return 0


if __name__ == '__main__':
    sys.exit(main())
