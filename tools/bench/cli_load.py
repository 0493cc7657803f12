#!/usr/bin/env python3
"""CLI load for tools/bench/cli_stall.sh (and tests/sim/cli.sh).

cli_load.py HOST PORT loop SECONDS [CMD]
    Repeats CMD (default "show session") for SECONDS, reading every byte as
    fast as it can; prints one line
    "listings N lines L bytes B mean S max S" (L, B: of the last complete
    listing; S: seconds per listing). A listing still running when the time
    is up is abandoned (the connection is closed).
cli_load.py HOST PORT stall SECONDS [CMD]
    Sends CMD with a 4 KiB receive buffer and then reads nothing for
    SECONDS: the slow telnet client. Prints "stalled S".

Connects without logging in (the bench runs it on the LNS's own host).
Telnet negotiation is ignored: libcli works without answers.
"""
import socket
import sys
import time

PROMPT = b"l2tpns>"


def connect(host, port, rcvbuf=None):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if rcvbuf:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    s.settimeout(10)
    s.connect((host, port))
    return s


def wait_prompt(s, deadline):
    """Read until the buffer ends in a prompt. Returns (data, complete)."""
    chunks, tail, total = [], b"", 0
    while time.time() < deadline:
        s.settimeout(max(0.05, min(1.0, deadline - time.time())))
        try:
            d = s.recv(1 << 20)
        except socket.timeout:
            continue
        if not d:
            break
        chunks.append(d)
        total += len(d)
        tail = (tail + d)[-64:]
        if tail.rstrip().endswith(PROMPT):
            return b"".join(chunks), True
    return b"".join(chunks), False


def main():
    host, port, mode, secs = sys.argv[1], int(sys.argv[2]), sys.argv[3], float(sys.argv[4])
    cmd = (sys.argv[5] if len(sys.argv) > 5 else "show session").encode()
    end = time.time() + secs
    if mode == "stall":
        s = connect(host, port, rcvbuf=4096)
        wait_prompt(s, time.time() + 10)
        s.sendall(cmd + b"\r\n")
        time.sleep(max(0, end - time.time()))
        s.close()
        print("stalled %.1f" % secs)
        return 0
    s = connect(host, port)
    wait_prompt(s, time.time() + 10)
    n, times, lines, nbytes = 0, [], 0, 0
    while time.time() < end:
        t0 = time.time()
        s.sendall(cmd + b"\r\n")
        data, ok = wait_prompt(s, end)
        if not ok:
            break
        n += 1
        times.append(time.time() - t0)
        lines, nbytes = data.count(b"\n"), len(data)
    s.close()
    mean = sum(times) / len(times) if times else 0
    print("listings %d lines %d bytes %d mean %.3f max %.3f" %
          (n, lines, nbytes, mean, max(times) if times else 0))
    return 0


if __name__ == "__main__":
    sys.exit(main())
