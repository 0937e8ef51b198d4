#!/usr/bin/env python3
"""Python SSH clients and screen checks for tests/interop/run.sh.

    clients.py versions
        JSON object: the versions of paramiko, asyncssh, pyte, ssh-audit.
    clients.py exec --port N --fingerprint SHA256:... {paramiko,asyncssh} [-- CMD...]
        Anonymous login (auth "none"), no PTY; runs CMD (no CMD: a shell request). Writes the
        channel's stdout/stderr to ours and exits with the remote exit status.
    clients.py pty --port N --fingerprint SHA256:... {paramiko,asyncssh}
        Anonymous login with a PTY (xterm-256color, 100x30), screen kept with pyte: the name shows
        on the alternate screen, Right opens Experience ("Key Achievements"), a window-change to
        120x40 re-lays out the frame, q ends with exit status 0 and leaves the alternate screen.
    clients.py layout --cols C --rows R
        Reads `tmux capture-pane -p` from stdin; exit 0 if it is a whole first frame of that
        size (name on the top row, box top and bottom rows exactly C wide, the key bar last).
    clients.py audit FILE
        Checks ssh-audit's JSON (-j): no failure, no CVE, no critical/warning recommendation, and
        no warning but the accepted one: curve25519 key exchange (under either of its names) is
        not post-quantum. Prints every finding.

Every network step has a timeout; only 127.0.0.1 is contacted.
"""

import argparse
import asyncio
import base64
import hashlib
import json
import socket
import sys
import time

NAME = "Arunav Malhotra"
HOST = "127.0.0.1"
USER = "anyone"
TIMEOUT = 20.0


def die(msg):
    print(msg, file=sys.stderr)
    sys.exit(1)


# ---------------------------------------------------------------------------------------------
# versions


def versions():
    from importlib import metadata

    out = {}
    for dist in ("paramiko", "asyncssh", "pyte", "ssh-audit", "cryptography"):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            out[dist] = None
    print(json.dumps(out))


# ---------------------------------------------------------------------------------------------
# a screen: pyte, answering the server's status query


class Screen:
    """pyte screen fed with the raw output; keeps the raw bytes too (pyte has no alternate
    screen, so the enter/leave sequences are checked on the bytes)."""

    def __init__(self, cols, rows, reply):
        import pyte

        self.raw = bytearray()
        self.eof = False
        self.screen = pyte.Screen(cols, rows)
        # DSR (ESC [ 5 n) is answered through write_process_input: send the answer back.
        self.screen.write_process_input = lambda data: reply(data.encode())
        self.stream = pyte.ByteStream(self.screen)

    def feed(self, data):
        self.raw += data
        self.stream.feed(data)

    def text(self):
        return "\n".join(line.rstrip() for line in self.screen.display)

    def resize(self, cols, rows):
        self.screen.resize(rows, cols)

    def box_bottom_row(self):
        """Index of the row with the body box's bottom border (the whole width, or right of the
        side rail on a wide screen), or None."""
        for i, line in enumerate(self.screen.display):
            if "╰" in line and line.rstrip().endswith("╯"):
                return i
        return None


# ---------------------------------------------------------------------------------------------
# paramiko


def paramiko_connect(port, fingerprint):
    import paramiko

    sock = socket.create_connection((HOST, port), timeout=TIMEOUT)
    t = paramiko.Transport(sock)
    t.banner_timeout = TIMEOUT
    t.auth_timeout = TIMEOUT
    t.start_client(timeout=TIMEOUT)
    key = t.get_remote_server_key()
    fp = "SHA256:" + base64.b64encode(hashlib.sha256(key.asbytes()).digest()).decode().rstrip("=")
    if fp != fingerprint:
        die(f"host key {fp} is not the server's {fingerprint}")
    # auth_none raises BadAuthenticationType when "none" is refused: anonymous means no prompt.
    remaining = t.auth_none(USER)
    if not t.is_authenticated():
        die(f"auth none refused, server offers {remaining}")
    return t


def paramiko_exec(port, fingerprint, cmd):
    t = paramiko_connect(port, fingerprint)
    try:
        chan = t.open_session(timeout=TIMEOUT)
        chan.settimeout(TIMEOUT)
        if cmd:
            chan.exec_command(" ".join(cmd))
        else:
            chan.invoke_shell()
        out, err = bytearray(), bytearray()
        while True:
            data = chan.recv(65536)
            if not data:
                break
            out += data
        while chan.recv_stderr_ready():
            err += chan.recv_stderr(65536)
        status = chan.recv_exit_status()
        sys.stdout.buffer.write(bytes(out))
        sys.stderr.buffer.write(bytes(err))
        return status
    finally:
        t.close()


def paramiko_pty(port, fingerprint):
    t = paramiko_connect(port, fingerprint)
    try:
        chan = t.open_session(timeout=TIMEOUT)
        chan.get_pty(term="xterm-256color", width=100, height=30)
        chan.invoke_shell()
        chan.settimeout(0.2)
        scr = Screen(100, 30, chan.sendall)

        def pump_until(pred, what, seconds=TIMEOUT):
            deadline = time.monotonic() + seconds
            while time.monotonic() < deadline:
                if pred():
                    return
                try:
                    data = chan.recv(65536)
                except socket.timeout:
                    continue
                if not data:
                    scr.eof = True
                    if pred():
                        return
                    break
                scr.feed(data)
            die(f"paramiko: {what} did not happen; screen:\n{scr.text()}")

        return pty_scenario(
            scr,
            pump_until,
            send=chan.sendall,
            resize=lambda c, r: chan.resize_pty(width=c, height=r),
            exit_status=lambda: chan.exit_status if chan.exit_status_ready() else None,
        )
    finally:
        t.close()


# ---------------------------------------------------------------------------------------------
# asyncssh


async def asyncssh_connect(port, fingerprint):
    import asyncssh

    conn = await asyncio.wait_for(
        asyncssh.connect(
            HOST,
            port,
            username=USER,
            known_hosts=None,
            client_keys=None,
            agent_path=None,
            kbdint_auth=False,
        ),
        TIMEOUT,
    )
    fp = conn.get_server_host_key().get_fingerprint("sha256")
    if fp != fingerprint:
        conn.close()
        die(f"host key {fp} is not the server's {fingerprint}")
    return conn


async def asyncssh_exec(port, fingerprint, cmd):
    conn = await asyncssh_connect(port, fingerprint)
    async with conn:
        r = await asyncio.wait_for(
            conn.run(" ".join(cmd) if cmd else None, check=False, encoding=None, stdin=asyncssh_devnull()),
            TIMEOUT,
        )
        sys.stdout.buffer.write(r.stdout or b"")
        sys.stderr.buffer.write(r.stderr or b"")
        return r.exit_status if r.exit_status is not None else 255


def asyncssh_devnull():
    import asyncssh

    return asyncssh.DEVNULL


async def asyncssh_pty(port, fingerprint):
    conn = await asyncssh_connect(port, fingerprint)
    async with conn:
        proc = await conn.create_process(
            term_type="xterm-256color", term_size=(100, 30), request_pty="force", encoding=None
        )
        scr = Screen(100, 30, proc.stdin.write)

        async def pump_until(pred, what, seconds=TIMEOUT):
            deadline = time.monotonic() + seconds
            while time.monotonic() < deadline:
                if pred():
                    return
                try:
                    data = await asyncio.wait_for(proc.stdout.read(65536), 0.2)
                except asyncio.TimeoutError:
                    continue
                if not data:
                    if proc.stdout.at_eof():
                        scr.eof = True
                    if pred():
                        return
                    if scr.eof:
                        # Give the exit-status message a moment to arrive after EOF.
                        try:
                            await asyncio.wait_for(proc.wait_closed(), 2)
                        except asyncio.TimeoutError:
                            pass
                        if pred():
                            return
                        break
                    continue
                scr.feed(data)
            die(f"asyncssh: {what} did not happen; screen:\n{scr.text()}")

        return await pty_scenario_async(
            scr,
            pump_until,
            send=proc.stdin.write,
            resize=lambda c, r: proc.change_terminal_size(c, r),
            exit_status=lambda: proc.exit_status,
        )


# ---------------------------------------------------------------------------------------------
# the PTY scenario, once for the blocking client and once for the async one

ENTER_ALT = b"\x1b[?1049h"
LEAVE_ALT = b"\x1b[?1049l"


def steps(scr):
    """(what, predicate, action after it holds) in order."""
    return [
        ("the first frame (name, alternate screen)",
         lambda: NAME in scr.text() and ENTER_ALT in scr.raw and scr.box_bottom_row() == 28,
         ("send", b"\x1b[C")),
        ("Right -> Experience (Key Achievements)",
         lambda: "Key Achievements" in scr.text(),
         ("resize", (120, 40))),
        ("window-change 120x40 -> re-laid-out frame",
         lambda: scr.box_bottom_row() == 38 and len(scr.screen.display[38].rstrip()) == 120,
         ("send", b"q")),
    ]


def pty_scenario(scr, pump_until, send, resize, exit_status):
    for what, pred, (kind, arg) in steps(scr):
        pump_until(pred, what)
        print(f"ok: {what}")
        if kind == "send":
            send(arg)
        else:
            resize(*arg)
            scr.resize(*arg)
    # Everything up to EOF: the exit status may be read before the last data is.
    pump_until(lambda: scr.eof and exit_status() is not None, "exit status and EOF after q")
    return finish(scr, exit_status())


async def pty_scenario_async(scr, pump_until, send, resize, exit_status):
    for what, pred, (kind, arg) in steps(scr):
        await pump_until(pred, what)
        print(f"ok: {what}")
        if kind == "send":
            send(arg)
        else:
            resize(*arg)
            scr.resize(*arg)
    await pump_until(lambda: scr.eof and exit_status() is not None, "exit status and EOF after q")
    return finish(scr, exit_status())


def finish(scr, status):
    if status != 0:
        die(f"q: exit status {status}, expected 0")
    if LEAVE_ALT not in scr.raw[scr.raw.rfind(ENTER_ALT):]:
        die("q: the alternate screen was not left (no ESC [?1049l after the last ESC [?1049h)")
    print("ok: q -> exit status 0, alternate screen left")
    return 0


# ---------------------------------------------------------------------------------------------
# layout of a tmux capture


def layout(cols, rows):
    lines = sys.stdin.read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    problems = []
    if len(lines) != rows:
        problems.append(f"{len(lines)} rows captured, expected {rows}")
    lines += [""] * (rows - len(lines))
    if NAME not in lines[0]:
        problems.append(f"row 1 lacks the name: {lines[0]!r}")
    # The body's box: the whole width on a standard screen, right of the side rail on a wide one.
    tops = [i for i, l in enumerate(lines) if "╭" in l and l.rstrip().endswith("╮")]
    if not tops:
        problems.append("no box top row (╭…╮)")
    elif len(lines[tops[0]].rstrip()) != cols:
        problems.append(f"box top row is {len(lines[tops[0]].rstrip())} wide, expected {cols}")
    bottom = lines[rows - 2] if rows >= 2 else ""
    if not ("╰" in bottom and bottom.rstrip().endswith("╯") and len(bottom.rstrip()) == cols):
        problems.append(f"row {rows - 1} is not a box bottom {cols} wide: {bottom!r}")
    if "quit" not in lines[rows - 1]:
        problems.append(f"last row is not the key bar: {lines[rows - 1]!r}")
    if problems:
        print("\n".join(problems))
        return 1
    return 0


# ---------------------------------------------------------------------------------------------
# ssh-audit JSON


def is_accepted_warning(section, algorithm, note):
    return (
        section == "kex"
        and algorithm.startswith("curve25519-sha256")
        and "quantum" in note.lower()
    )


def audit(path):
    with open(path) as f:
        data = json.load(f)
    bad, accepted = [], []
    for section in ("kex", "key", "enc", "mac"):
        for entry in data.get(section, []) or []:
            alg = entry.get("algorithm", "?")
            notes = entry.get("notes", {}) or {}
            for level in ("fail", "warn"):
                for note in notes.get(level, []) or []:
                    line = f"{level} {section} {alg}: {note}"
                    if level == "warn" and is_accepted_warning(section, alg, note):
                        accepted.append(line)
                    else:
                        bad.append(line)
    for cve in data.get("cves", []) or []:
        bad.append(f"cve {cve}")
    # Recommendations repeat the findings as "remove/add/change X"; a recommendation to remove
    # an accepted curve25519 kex is that same accepted finding.
    recs = data.get("recommendations", {}) or {}
    for level, actions in recs.items():
        if not isinstance(actions, dict):
            continue
        for action, by_section in actions.items():
            if not isinstance(by_section, dict):
                continue
            for section, items in by_section.items():
                for item in items or []:
                    name = item.get("name", "?") if isinstance(item, dict) else str(item)
                    line = f"recommendation {level} {action} {section} {name}"
                    if (level == "warning" and action == "del" and section == "kex"
                            and name.startswith("curve25519-sha256")):
                        accepted.append(line)
                    elif level in ("critical", "warning"):
                        bad.append(line)
                    else:
                        accepted.append(line + " (informational)")
    pq = [a for a in accepted if a.startswith("warn ")]
    if len(pq) > 1:
        # curve25519-sha256 and curve25519-sha256@libssh.org are one algorithm under two names:
        # the same accepted finding, reported once per name.
        print(f"note: the accepted post-quantum warning is reported {len(pq)} times, once per name"
              " of curve25519 offered")
    for note in data.get("additional_notes", []) or []:
        print(f"info: {note}")
    for line in accepted:
        print(f"accepted: {line}")
    for line in bad:
        print(f"NOT ACCEPTED: {line}")
    print(f"ssh-audit: {len(bad)} finding(s) not accepted, {len(accepted)} accepted")
    return 1 if bad else 0


# ---------------------------------------------------------------------------------------------


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="what", required=True)
    sub.add_parser("versions")
    for name in ("exec", "pty"):
        s = sub.add_parser(name)
        s.add_argument("--port", type=int, required=True)
        s.add_argument("--fingerprint", required=True)
        s.add_argument("client", choices=("paramiko", "asyncssh"))
        if name == "exec":
            s.add_argument("cmd", nargs=argparse.REMAINDER)
    s = sub.add_parser("layout")
    s.add_argument("--cols", type=int, required=True)
    s.add_argument("--rows", type=int, required=True)
    s = sub.add_parser("audit")
    s.add_argument("file")
    a = p.parse_args()

    if a.what == "versions":
        versions()
        return 0
    if a.what == "layout":
        return layout(a.cols, a.rows)
    if a.what == "audit":
        return audit(a.file)
    if a.what == "exec":
        if a.cmd[:1] == ["--"]:
            a.cmd = a.cmd[1:]
        if a.client == "paramiko":
            return paramiko_exec(a.port, a.fingerprint, a.cmd)
        return asyncio.run(asyncssh_exec(a.port, a.fingerprint, a.cmd))
    if a.client == "paramiko":
        return paramiko_pty(a.port, a.fingerprint)
    return asyncio.run(asyncssh_pty(a.port, a.fingerprint))


if __name__ == "__main__":
    sys.exit(main())
