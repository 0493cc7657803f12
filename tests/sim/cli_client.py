#!/usr/bin/env python3
"""Minimal telnet client for the l2tpns CLI tests (tests/sim/cli.sh).

cli_client.py HOST PORT [-u USER -p PASS] [-e ENABLEPW] [-w SECONDS] CMD...

Logs in when asked ("Username:"), runs each CMD (a command "enable" uses
-e as its password), waits for the prompt after each, and prints the
transcript with carriage returns removed. Each command's output is framed
by lines "=== CMD" so the shell test can cut one out. Telnet option
negotiation (IAC) is answered by refusing everything, as telnetlib does.
A CMD "sleep:N" waits N seconds collecting output (for `debug`).
Exit status: 0, or 2 when the connection was closed by the server.
"""
import argparse
import re
import socket
import sys
import time

IAC, DONT, DO, WONT, WILL, SB, SE = 255, 254, 253, 252, 251, 250, 240
PROMPT = re.compile(rb"(\r?\n|^)[^\r\n]*[>#] ?$")


class Conn:
    def __init__(self, host, port, timeout):
        self.s = socket.create_connection((host, port), timeout=timeout)
        self.s.settimeout(0.2)
        self.buf = b""
        self.closed = False
        self.timeout = timeout

    def _filter(self, data):
        out = bytearray()
        i = 0
        while i < len(data):
            c = data[i]
            if c == IAC and i + 1 < len(data):
                cmd = data[i + 1]
                if cmd in (DO, DONT, WILL, WONT) and i + 2 < len(data):
                    opt = data[i + 2]
                    if cmd == DO:
                        self.s.sendall(bytes([IAC, WONT, opt]))
                    elif cmd == WILL:
                        # accept the server echoing and suppress-go-ahead
                        self.s.sendall(bytes([IAC, DO if opt in (1, 3) else DONT, opt]))
                    i += 3
                    continue
                if cmd == SB:
                    j = data.find(bytes([IAC, SE]), i)
                    i = len(data) if j < 0 else j + 2
                    continue
                if cmd == IAC:
                    out.append(IAC)
                i += 2
                continue
            out.append(c)
            i += 1
        return bytes(out)

    def read_until(self, pred, timeout):
        end = time.time() + timeout
        while time.time() < end:
            if pred(self.buf):
                return True
            try:
                d = self.s.recv(65536)
            except socket.timeout:
                continue
            if not d:
                self.closed = True
                return pred(self.buf)
            self.buf += self._filter(d)
        return pred(self.buf)

    def take(self):
        b, self.buf = self.buf, b""
        return b

    def send(self, line):
        self.s.sendall(line.encode() + b"\r\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("host")
    ap.add_argument("port", type=int)
    ap.add_argument("-u", "--user")
    ap.add_argument("-p", "--password", default="")
    ap.add_argument("-e", "--enable", default="")
    ap.add_argument("-w", "--wait", type=float, default=10)
    ap.add_argument("cmds", nargs="*")
    a = ap.parse_intermixed_args()
    out = sys.stdout
    try:
        c = Conn(a.host, a.port, a.wait)
    except OSError as e:
        print("connect failed: %s" % e)
        return 3
    login = lambda b: b.rstrip().endswith(b"Username:") or PROMPT.search(b) is not None
    c.read_until(login, a.wait)
    if c.buf.rstrip().endswith(b"Username:"):
        out.write(c.take().decode(errors="replace").replace("\r", ""))
        c.send(a.user or "")
        c.read_until(lambda b: b.rstrip().endswith(b"Password:"), a.wait)
        out.write(c.take().decode(errors="replace").replace("\r", ""))
        c.send(a.password)
        c.read_until(lambda b: PROMPT.search(b) is not None or b.rstrip().endswith(b"Username:"), a.wait)
    out.write(c.take().decode(errors="replace").replace("\r", ""))
    if c.closed:
        out.write("\n[closed by server]\n")
        return 2
    last = ""
    for cmd in a.cmds:
        if cmd.startswith("sleep:"):
            t = float(cmd[6:])
            c.read_until(lambda b: False, t)
            out.write(c.take().decode(errors="replace").replace("\r", ""))
            continue
        out.write("\n=== %s\n" % cmd)
        c.send(cmd)
        if cmd == "enable":
            c.read_until(lambda b: b.rstrip().endswith(b"Password:") or PROMPT.search(b) is not None, a.wait)
            if b"Password:" in c.buf:
                c.take()
                c.send(a.enable)
        elif cmd in ("quit", "logout") or (cmd == "exit" and "(config" not in last):
            c.read_until(lambda b: False, 0.5)
            out.write(c.take().decode(errors="replace").replace("\r", ""))
            break
        c.read_until(lambda b: PROMPT.search(b) is not None, a.wait)
        text = c.take().decode(errors="replace").replace("\r", "")
        last = text.rstrip().split("\n")[-1] if text.strip() else last
        out.write(text)
        out.flush()
        if c.closed:
            out.write("\n[closed by server]\n")
            return 2
    out.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
