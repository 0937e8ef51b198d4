#!/usr/bin/env python3
"""What one large SSH_MSG_IGNORE per connection leaves resident in the real server.

    ignore_flood.py BIN [--conns 100] [--size 250000] [--max-kib 64]

Starts BIN on 127.0.0.1:0, opens --conns authenticated connections (paramiko, auth none),
reads the server's VmRSS from /proc/PID/status, has each connection send one SSH_MSG_IGNORE
of --size bytes (paramiko's `send_ignore`, which russh's client cannot do), reads VmRSS again
once it settles, and fails if more than --max-kib per connection stayed. Then a fresh
connection must still get `plain`. Only 127.0.0.1 is contacted; every wait is bounded.
Prints one summary line and exits 0 on pass, 1 on fail, 2 on a setup error.
"""

import argparse
import logging
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time

import paramiko

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NAME = "Arunav Malhotra"


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def settled_rss(pid):
    time.sleep(0.5)
    last = rss_kib(pid)
    for _ in range(15):
        time.sleep(0.2)
        now = rss_kib(pid)
        if abs(now - last) < 64:
            return now
        last = now
    return last


def start_server(binary, workdir):
    proc = subprocess.Popen(
        [binary, "serve", "--listen", "127.0.0.1:0", "--no-watch",
         "--resume", os.path.join(ROOT, "resume.toml"),
         "--host-key", os.path.join(workdir, "key"),
         "--max-connections", "1000", "--max-per-ip", "1000",
         "--rate-per-minute", "100000", "--idle-timeout", "600"],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        env={**os.environ, "RESUME_SSH_LOG": "warn"}, text=True)
    found = {}

    def drain():
        # Reads stderr for the server's whole life, so it never blocks on a full pipe.
        for line in proc.stderr:
            m = re.search(r"listening on (\S+):(\d+)", line)
            if m and "port" not in found:
                found["port"] = int(m.group(2))

    threading.Thread(target=drain, daemon=True).start()
    deadline = time.monotonic() + 20
    while "port" not in found:
        if time.monotonic() > deadline or proc.poll() is not None:
            proc.kill()
            raise RuntimeError("the server did not say where it listens")
        time.sleep(0.05)
    return proc, found["port"]


def connect(port):
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    t = paramiko.Transport(sock)
    t.start_client(timeout=10)
    t.auth_none("visitor")
    if not t.is_authenticated():
        raise RuntimeError("anonymous auth refused")
    return t


def plain_works(port):
    t = connect(port)
    try:
        chan = t.open_session(timeout=10)
        chan.settimeout(10)
        chan.exec_command("plain")
        out = b""
        while True:
            b = chan.recv(65536)
            if not b:
                break
            out += b
        return NAME in out.decode("utf-8", "replace")
    finally:
        t.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("bin")
    ap.add_argument("--conns", type=int, default=100)
    ap.add_argument("--size", type=int, default=250_000)
    ap.add_argument("--max-kib", type=int, default=64)
    a = ap.parse_args()
    # paramiko logs the server's disconnect reason at INFO ("Disconnect (code 2): ..."): keep
    # those lines, print none of paramiko's log.
    told = []

    class Keep(logging.Handler):
        def emit(self, record):
            msg = record.getMessage()
            if msg.startswith("Disconnect (code"):
                told.append(msg)

    log = logging.getLogger("paramiko")
    log.setLevel(logging.INFO)
    log.propagate = False
    log.addHandler(Keep())
    with tempfile.TemporaryDirectory() as work:
        try:
            proc, port = start_server(a.bin, work)
        except Exception as e:  # noqa: BLE001 - report any setup failure the same way
            print(f"ignore-flood: setup error: {e}")
            return 2
        try:
            conns = [connect(port) for _ in range(a.conns)]
            before = settled_rss(proc.pid)
            for t in conns:
                t.send_ignore(a.size)
            # Each IGNORE is read and dropped (or refused) by the server; give it time.
            time.sleep(1.0)
            after = settled_rss(proc.pid)
            open_after = sum(1 for t in conns if t.is_active())
            per = max(0, after - before) / a.conns
            ok_plain = plain_works(port)
            alive = proc.poll() is None
            for t in conns:
                t.close()
        finally:
            proc.kill()
            proc.wait(timeout=10)
    closed = a.conns - open_after
    # A connection the server closed must have been told why (a disconnect message).
    reasons = sorted(set(told))
    verdict = per <= a.max_kib and ok_plain and alive and len(told) >= closed
    print(f"ignore-flood: {'PASS' if verdict else 'FAIL'}: {a.conns} connections x "
          f"{a.size}-byte SSH_MSG_IGNORE: RSS {before} KiB -> {after} KiB, "
          f"{per:.1f} KiB per connection (limit {a.max_kib}); {closed} closed by the server, "
          f"{len(told)} told {reasons}; new session served: {ok_plain}")
    return 0 if verdict else 1


if __name__ == "__main__":
    sys.exit(main())
