#!/usr/bin/python3
"""A RADIUS relay that removes Message-Authenticator from the responses.

  radius_strip_ma.py LISTEN_IP SERVER_IP SECRET [AUTH_PORT]

Listens on LISTEN_IP:AUTH_PORT and AUTH_PORT+1 (default 1812/1813), relays
every request unchanged to SERVER_IP on the same port from LISTEN_IP (one
upstream socket per client address and port, so that the server sees as
many distinct sources as the client uses), and relays the responses back
after deleting every Message-Authenticator attribute (type 80, RFC 3579
section 3.2) and recomputing the Response Authenticator (RFC 2865 section 3:
MD5(Code + Identifier + Length + Request Authenticator + Attributes + Secret))
so that the response is valid in every respect except the missing
Message-Authenticator: what an on-path BlastRADIUS attacker's forgery looks
like to a client that does not insist on it.

Prints "ready" once listening, then one line per response relayed.
"""
import hashlib
import selectors
import socket
import sys

MA = 80


def strip(resp, req_auth, secret):
    """The response without Message-Authenticator, re-signed; None if malformed."""
    if len(resp) < 20:
        return None, 0
    length = int.from_bytes(resp[2:4], 'big')
    if length < 20 or length > len(resp):
        return None, 0
    attrs, i, removed = bytearray(), 20, 0
    while i < length:
        if i + 2 > length or resp[i + 1] < 2 or i + resp[i + 1] > length:
            return None, 0
        t, n = resp[i], resp[i + 1]
        if t == MA:
            removed += 1
        else:
            attrs += resp[i:i + n]
        i += n
    if not removed:
        return resp[:length], 0
    hdr = bytes([resp[0], resp[1]]) + (20 + len(attrs)).to_bytes(2, 'big')
    auth = hashlib.md5(hdr + req_auth + bytes(attrs) + secret).digest()
    return hdr + auth + bytes(attrs), removed


def main():
    listen, server, secret = sys.argv[1], sys.argv[2], sys.argv[3].encode()
    port = int(sys.argv[4]) if len(sys.argv) > 4 else 1812
    sel = selectors.DefaultSelector()
    ups = {}      # (listen port, client addr) -> upstream socket
    pending = {}  # (upstream socket fileno, id) -> request authenticator
    for p in (port, port + 1):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind((listen, p))
        sel.register(s, selectors.EVENT_READ, ('down', s, p))
    print('ready', flush=True)
    relayed = stripped = 0
    while True:
        for key, _ in sel.select():
            kind, sock, p = key.data
            data, addr = sock.recvfrom(65535)
            if kind == 'down':
                if len(data) < 20:
                    continue
                u = ups.get((p, addr))
                if u is None:
                    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                    u.bind((listen, 0))
                    ups[(p, addr)] = u
                    sel.register(u, selectors.EVENT_READ, ('up', u, (sock, addr)))
                pending[(u.fileno(), data[1])] = data[4:20]
                u.sendto(data, (server, p))
            else:
                down, client = p
                req_auth = pending.pop((sock.fileno(), data[1] if len(data) > 1 else -1), None)
                if req_auth is None:
                    continue
                out, removed = strip(data, req_auth, secret)
                if out is None:
                    continue
                relayed += 1
                stripped += 1 if removed else 0
                down.sendto(out, client)
                print(f'code={data[0]} id={data[1]} to={client[0]}:{client[1]} '
                      f'removed={removed} relayed={relayed} stripped={stripped}', flush=True)


if __name__ == '__main__':
    main()
