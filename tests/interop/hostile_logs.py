#!/usr/bin/env python3
"""Raw SSH messages against the server's log, with paramiko (what russh's client cannot send).

    hostile_logs.py --bin PATH

Starts PATH (resume-ssh) on 127.0.0.1 with its log (stderr) in a temp file, then:
  1. 40 channel requests of an unknown type whose name is 40 KB (with a newline and a fake log
     line inside): the log grows by a bounded amount, no raw newline from the name, no ERROR;
     one with a 200 KB name is a packet over the 48 KiB limit: disconnected, told why.
  2. 20,000 unsolicited global-request replies (REQUEST_SUCCESS / REQUEST_FAILURE, 1 byte each):
     no ERROR line, a bounded log, and a disconnect with a reason before the 20,000 are sent.
  3. Key re-exchanges in a loop: a disconnect with a reason after a few, counted in the closing
     line.
Each check prints PASS/FAIL; the last line is "hostile_logs: N passed, M failed"; exit 1 on any
failure. Only 127.0.0.1 is contacted; every flood is bounded in count and seconds.
"""

import argparse
import logging
import os
import re
import socket
import subprocess
import sys
import tempfile
import time

import paramiko
from paramiko.common import cMSG_CHANNEL_REQUEST, cMSG_REQUEST_FAILURE, cMSG_REQUEST_SUCCESS
from paramiko.message import Message

HOST = "127.0.0.1"
TIMEOUT = 15.0
results = []


def check(name, ok, detail=""):
    results.append(ok)
    print(f"{'PASS' if ok else 'FAIL'}  {name}" + (f": {detail}" if detail else ""), flush=True)


class Disconnects(logging.Handler):
    """Collects the disconnect messages paramiko logs ("Disconnect (code N): text")."""

    def __init__(self):
        super().__init__()
        self.seen = []

    def emit(self, record):
        text = record.getMessage()
        if "Disconnect" in text:
            self.seen.append(text)


BYES = Disconnects()
logging.getLogger("paramiko").addHandler(BYES)
logging.getLogger("paramiko").setLevel(logging.INFO)


def start(bin_path, work):
    log_path = os.path.join(work, "server.log")
    log = open(log_path, "wb")
    proc = subprocess.Popen(
        [bin_path, "serve", "--listen", f"{HOST}:0", "--no-watch",
         "--max-per-ip", "64", "--rate-per-minute", "10000",
         "--resume", os.path.join(os.path.dirname(__file__), "..", "..", "resume.toml"),
         "--host-key", os.path.join(work, "key")],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=log,
        env={k: v for k, v in os.environ.items() if not k.startswith("RESUME_SSH_")},
    )
    deadline = time.time() + 20
    while time.time() < deadline:
        m = re.search(rb"listening on 127\.0\.0\.1:(\d+)", open(log_path, "rb").read())
        if m:
            return proc, int(m.group(1)), log_path
        time.sleep(0.05)
    proc.kill()
    sys.exit("the server did not start")


def connect(port):
    sock = socket.create_connection((HOST, port), timeout=TIMEOUT)
    t = paramiko.Transport(sock)
    t.start_client(timeout=TIMEOUT)
    t.auth_none("visitor")
    return t


def log_size(path):
    return os.path.getsize(path)


def grown(path, since):
    with open(path, "rb") as f:
        f.seek(since)
        return f.read()


def wait_for(path, since, needle, secs=10):
    deadline = time.time() + secs
    while time.time() < deadline:
        if needle in grown(path, since):
            return True
        time.sleep(0.05)
    return False


def wait_closed(t, secs=10):
    deadline = time.time() + secs
    while t.is_active() and time.time() < deadline:
        time.sleep(0.05)
    return not t.is_active()


def unknown_requests(port, log_path):
    # Names just under the server's 48 KiB packet limit reach russh, which logs each unknown
    # request (with the name) at WARN: the log must stay bounded and clean.
    before = log_size(log_path)
    t = connect(port)
    chan = t.open_session(timeout=TIMEOUT)
    name = "x" * 1000 + "\n2026-01-01T00:00:00.000000Z ERROR forged line\n" + "y" * 39_000
    t0 = time.time()
    for _ in range(40):
        if not t.is_active() or time.time() - t0 > 20:
            break
        m = Message()
        m.add_byte(cMSG_CHANNEL_REQUEST)
        m.add_int(chan.remote_chanid)
        m.add_string(name)
        m.add_boolean(False)
        t._send_user_message(m)
    # The connection still serves: a real request after the junk is answered.
    chan.exec_command("help")
    out = chan.recv(4096)
    t.close()
    wait_for(log_path, before, b"connection ended")
    new = grown(log_path, before)
    lines = new.splitlines()
    check("40 unknown 40 KB channel requests: log grows by < 16 KB",
          len(new) < 16 * 1024, f"{len(new)} bytes, {len(lines)} lines")
    check("... no raw newline from the name (no forged line)",
          not any(l.startswith(b"2026-01-01T00:00:00") for l in lines))
    check("... nothing at ERROR", b" ERROR " not in new,
          next((l[:160].decode(errors="replace") for l in lines if b" ERROR " in l), ""))
    check("... the session still answers afterwards", b"plain" in out, repr(out[:60]))

    # A 200 KB name is a packet over the limit: never read, the client is told why.
    before = log_size(log_path)
    BYES.seen.clear()
    t = connect(port)
    chan = t.open_session(timeout=TIMEOUT)
    m = Message()
    m.add_byte(cMSG_CHANNEL_REQUEST)
    m.add_int(chan.remote_chanid)
    m.add_string("z" * 100 + "\n2026-01-01T00:00:00.000000Z ERROR forged line\n" + "w" * 200_000)
    m.add_boolean(False)
    t._send_user_message(m)
    closed = wait_closed(t)
    wait_for(log_path, before, b"connection ended")
    new = grown(log_path, before)
    check("one unknown 200 KB channel request: disconnected as too large",
          closed and any("packet too large" in b for b in BYES.seen), f"closed {closed}, told {BYES.seen}")
    check("... log grows by < 4 KB, no forged line",
          len(new) < 4096 and not any(l.startswith(b"2026-01-01T00:00:00") for l in new.splitlines()),
          f"{len(new)} bytes")


def unsolicited_replies(port, log_path):
    before = log_size(log_path)
    BYES.seen.clear()
    t = connect(port)
    sent = 0
    t0 = time.time()
    try:
        for i in range(20_000):
            if not t.is_active() or time.time() - t0 > 20:
                break
            m = Message()
            m.add_byte(cMSG_REQUEST_SUCCESS if i % 2 else cMSG_REQUEST_FAILURE)
            t._send_user_message(m)
            sent += 1
    except (EOFError, OSError, paramiko.SSHException):
        pass
    closed = wait_closed(t)
    t.close()
    wait_for(log_path, before, b"connection ended")
    new = grown(log_path, before)
    lines = new.splitlines()
    errors = [l for l in lines if b" ERROR " in l]
    check("20,000 unsolicited global replies: no ERROR line", not errors,
          f"{len(errors)} ERROR lines")
    check("... log bounded (< 32 lines)", len(lines) < 32, f"{len(lines)} lines, {len(new)} bytes")
    check("... disconnected before all were sent, with a reason",
          closed and sent < 20_000 and any("unexpected SSH messages" in s for s in BYES.seen),
          f"sent {sent}, closed {closed}, told {BYES.seen[-1:]}")
    summary = next((l for l in lines if b"connection ended" in l), b"")
    check("... counted in the closing line", b"russh_warnings=" in summary,
          summary[-200:].decode(errors="replace"))


def rekeys(port, log_path):
    before = log_size(log_path)
    BYES.seen.clear()
    t = connect(port)
    done = 0
    t0 = time.time()
    try:
        for _ in range(50):
            if time.time() - t0 > 30:
                break
            t.renegotiate_keys()
            done += 1
    except (EOFError, OSError, paramiko.SSHException):
        pass
    closed = wait_closed(t)
    t.close()
    wait_for(log_path, before, b"connection ended")
    new = grown(log_path, before)
    lines = new.splitlines()
    check("key re-exchange loop: disconnected after a few, with a reason",
          closed and done < 50 and any("key re-exchanges" in s for s in BYES.seen),
          f"{done} re-keys done, closed {closed}, told {BYES.seen[-1:]}")
    summary = next((l for l in lines if b"connection ended" in l), b"")
    check("... counted in the closing line", b"rekeys=" in summary and b"how=\"rekeys\"" in summary,
          summary[-200:].decode(errors="replace"))
    check("... log bounded (< 16 lines)", len(lines) < 16, f"{len(lines)} lines")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default="target/release/resume-ssh")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as work:
        proc, port, log_path = start(args.bin, work)
        try:
            for f in (unknown_requests, unsolicited_replies, rekeys):
                try:
                    f(port, log_path)
                except Exception as e:  # a check that cannot run is a failure, not a crash
                    check(f.__name__, False, f"{type(e).__name__}: {e}")
            check("server still up", proc.poll() is None)
        finally:
            proc.kill()
            proc.wait(timeout=10)
    passed = sum(results)
    failed = len(results) - passed
    print(f"hostile_logs: {passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
