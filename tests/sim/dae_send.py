#!/usr/bin/env python3
"""Send one RFC 5176 Disconnect-Request (built here, not by radclient) N
times with the same Identifier and authenticator, print each answer's code
and Error-Cause ("none" when nothing came back).

usage: dae_send.py HOST PORT SECRET USER [--times N] [--timestamp-offset S]
"""
import argparse, hashlib, os, socket, struct, time

ap = argparse.ArgumentParser()
ap.add_argument("host"); ap.add_argument("port", type=int)
ap.add_argument("secret"); ap.add_argument("user")
ap.add_argument("--times", type=int, default=1)
ap.add_argument("--timestamp-offset", type=int, default=None)
a = ap.parse_args()

attrs = bytes([1, 2 + len(a.user)]) + a.user.encode()
if a.timestamp_offset is not None:       # Event-Timestamp (RFC 2869 §5.3)
    attrs += bytes([55, 6]) + struct.pack("!I", int(time.time()) + a.timestamp_offset)
ident = os.urandom(1)[0]
hdr = struct.pack("!BBH", 40, ident, 20 + len(attrs))
auth = hashlib.md5(hdr + b"\0" * 16 + attrs + a.secret.encode()).digest()  # §2.3
pkt = hdr + auth + attrs
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(2)
for _ in range(a.times):
    s.sendto(pkt, (a.host, a.port))
    try:
        r, _ = s.recvfrom(4096)
    except socket.timeout:
        print("none")
        continue
    cause = "-"
    i = 20
    while i + 2 <= len(r):
        t, n = r[i], r[i + 1]
        if n < 2:
            break
        if t == 101 and n == 6:
            cause = str(struct.unpack("!I", r[i + 2:i + 6])[0])
        i += n
    print(r[0], cause)
