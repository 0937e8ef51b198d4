#!/usr/bin/env bash
# The real HAProxy in front of two resume-ssh instances, all on loopback (the deploy/haproxy.cfg
# layout, with roundrobin instead of leastconn so both instances get traffic in a fixed order).
#
#   tests/interop/haproxy.sh [--bin PATH]
#
#   clients (127.0.0.2, 127.0.0.3) --> haproxy 127.0.0.1:F --PROXY v2--> instances 127.0.0.1:P1, :P2
#
# Both instances run with --proxy-protocol --log-ip full --max-per-ip 2 and the same host key.
# Checks:
#   0. HAProxy's health checks (a PROXY v2 LOCAL header, then "expect string SSH-2.0-") pass on
#      both instances.
#   a. Four OpenSSH runs from 127.0.0.2 through HAProxy each print the resume; both instances serve
#      some; their log lines name peer=127.0.0.2:PORT (the address in the PROXY header), never
#      HAProxy's own 127.0.0.1.
#   b. The per-address limit counts the original client: four PTY sessions from 127.0.0.2 are held
#      open (roundrobin puts two on each instance: exactly the limit there); every instance logs
#      each held session with its exact client ip:port; a fifth connection from 127.0.0.2 is
#      refused with "Too many open connections", while 127.0.0.3 is served at the same time.
#      Every backend connection comes from 127.0.0.1, so a limit on the socket address would have
#      refused the third held session already. After the sessions end, 127.0.0.2 is served again.
#   c. A direct connection to an instance without a PROXY header is refused ("bad PROXY header").
#
# Prints one PASS/FAIL line per check and "haproxy: N passed, M failed"; exits 0 when nothing
# failed. Builds nothing.
#
# Environment:
#   RESUME_SSH_BIN   the server binary (default: target/release/resume-ssh)
#   INTEROP_PYTHON   a python with paramiko, for the held sessions (default: .venv/bin/python)
#
# Only 127.0.0.0/8 is contacted; every client runs under a timeout; everything started here is
# stopped on exit (by PID).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
# shellcheck source=tests/interop/lib.sh
source "$here/lib.sh"

BIN="${RESUME_SSH_BIN:-$root/target/release/resume-ssh}"
PY="${INTEROP_PYTHON:-$root/.venv/bin/python}"
while (($#)); do
    case "$1" in
    --bin)
        BIN="$2"
        shift 2
        ;;
    -h | --help)
        sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'
        exit 0
        ;;
    *)
        echo "unknown argument: $1" >&2
        exit 2
        ;;
    esac
done
[[ "$BIN" = /* ]] || BIN="$PWD/$BIN"
[[ -x "$BIN" ]] || {
    echo "error: $BIN is not an executable (cargo build --release first)" >&2
    exit 2
}
command -v haproxy >/dev/null || {
    echo "error: haproxy is not installed (apt-get install haproxy)" >&2
    exit 2
}
# Any python3 can pick a port and talk to the stats socket; the held sessions need paramiko.
PY_STD="$PY"
[[ -x "$PY_STD" ]] || PY_STD=python3

NAME="Arunav Malhotra"
MAX_PER_IP=2
export LC_ALL=C.UTF-8
export PYTHONDONTWRITEBYTECODE=1

work="$(mktemp -d "${TMPDIR:-/tmp}/resume-haproxy.XXXXXX")"
mkdir -p "$work/one" "$work/two"
PID1='' PID2='' HAPROXY_PID='' HOLD_PID=''
# stop_pid PID: SIGTERM, up to 5 s, then SIGKILL. Only PIDs started here.
stop_pid() {
    [[ -n "$1" ]] || return 0
    kill -TERM "$1" 2>/dev/null || true
    local i
    for ((i = 0; i < 50; i++)); do
        kill -0 "$1" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
}
cleanup() {
    trap '' INT TERM # a second signal must not cut the cleanup short
    stop_pid "$HOLD_PID"
    stop_pid "$HAPROXY_PID"
    SERVER_PID=$PID1 stop_server
    SERVER_PID=$PID2 stop_server
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

passed=0 failed=0
# check NAME FUNCTION ARGS...: PASS if FUNCTION returns 0; its output is shown only on failure.
check() {
    local name=$1 out rc=0
    shift
    out="$("$@" 2>&1)" || rc=$?
    if ((rc == 0)); then
        printf 'PASS  %s\n' "$name"
        passed=$((passed + 1))
    else
        printf 'FAIL  %s\n' "$name"
        [[ -z "$out" ]] || tail -n 40 <<<"$out" | sed 's/^/      | /'
        failed=$((failed + 1))
    fi
}
summary() {
    echo "haproxy: $passed passed, $failed failed"
}
# fatal WHAT: a setup step failed; nothing after it can run.
fatal() {
    printf 'FAIL  %s\n' "$1"
    failed=$((failed + 1))
    [[ ! -s "$work/haproxy.log" ]] || tail -n 20 "$work/haproxy.log" | sed 's/^/      | haproxy: /'
    summary
    exit 1
}

# ----------------------------------------------------------------------------------------------
# two instances, one host key (as deploy/haproxy.cfg asks: the key must not depend on the backend)

# start_server (lib.sh) adds --rate-per-minute 1000 and --max-per-ip $SERVER_MAX_PER_IP.
# The per-session "session started" lines are debug level: turn them on for check b.
export RESUME_SSH_LOG="info,russh=warn,resume_ssh::session=debug"
SERVE_ARGS=(--proxy-protocol --log-ip full)
export SERVER_MAX_PER_IP=$MAX_PER_IP
start_server "$BIN" "$work/one" "${SERVE_ARGS[@]}" || fatal "start instance 1"
PID1=$SERVER_PID PORT1=$SERVER_PORT LOG1=$SERVER_LOG FP=$SERVER_FP
cp "$work/one/ssh_host_ed25519_key" "$work/two/ssh_host_ed25519_key"
start_server "$BIN" "$work/two" "${SERVE_ARGS[@]}" || fatal "start instance 2"
PID2=$SERVER_PID PORT2=$SERVER_PORT LOG2=$SERVER_LOG
SERVER_PID=''
[[ "$SERVER_FP" == "$FP" ]] || fatal "both instances use one host key ($FP vs $SERVER_FP)"

# ----------------------------------------------------------------------------------------------
# haproxy: deploy/haproxy.cfg's defaults and checks, on loopback, without chroot/user/syslog

free_port() {
    "$PY_STD" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# stats CMD: one command on HAProxy's admin socket.
stats() {
    "$PY_STD" - "$work/haproxy.sock" "$1" <<'EOF'
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.settimeout(5)
s.connect(sys.argv[1])
s.sendall(sys.argv[2].encode() + b"\n")
out = b""
while True:
    d = s.recv(65536)
    if not d:
        break
    out += d
sys.stdout.write(out.decode(errors="replace"))
EOF
}

write_haproxy_cfg() {
    cat >"$work/haproxy.cfg" <<EOF
global
    log stdout format raw local0
    stats socket $work/haproxy.sock mode 600 level admin
    maxconn 200

defaults
    mode tcp
    log global
    option tcplog
    option dontlognull
    timeout connect 5s
    timeout client 60s
    timeout server 60s
    timeout tunnel 60s
    timeout client-fin 5s
    timeout server-fin 5s
    timeout check 5s
    option tcpka
    retries 2

frontend ssh_in
    bind 127.0.0.1:$FRONT
    default_backend resume_ssh

backend resume_ssh
    # roundrobin (deploy uses leastconn): successive connections alternate between the instances.
    balance roundrobin
    # HAProxy sends a PROXY v2 LOCAL header before each check (the servers use send-proxy-v2).
    option tcp-check
    tcp-check expect string SSH-2.0-
    default-server inter 1s fall 3 rise 1 maxconn 50
    server resume1 127.0.0.1:$PORT1 send-proxy-v2 check
    server resume2 127.0.0.1:$PORT2 send-proxy-v2 check
EOF
}

# The frontend port is picked by binding port 0 and releasing it; a lost race to another process
# shows as haproxy failing to bind: try again with another port.
started=0
for attempt in 1 2 3; do
    FRONT="$(free_port)"
    write_haproxy_cfg
    haproxy -c -q -f "$work/haproxy.cfg" >"$work/haproxy.log" 2>&1 || fatal "haproxy -c on the test config"
    haproxy -f "$work/haproxy.cfg" -db </dev/null >>"$work/haproxy.log" 2>&1 &
    HAPROXY_PID=$!
    deadline=$((SECONDS + 10))
    until [[ -S "$work/haproxy.sock" ]] && stats "show info" >/dev/null 2>&1; do
        kill -0 "$HAPROXY_PID" 2>/dev/null || break
        ((SECONDS < deadline)) || break
        sleep 0.1
    done
    if kill -0 "$HAPROXY_PID" 2>/dev/null && [[ -S "$work/haproxy.sock" ]]; then
        started=1
        break
    fi
    echo "haproxy did not start (attempt $attempt):" >&2
    tail -n 5 "$work/haproxy.log" >&2
    stop_pid "$HAPROXY_PID"
    HAPROXY_PID=''
    rm -f "$work/haproxy.sock"
done
((started)) || fatal "start haproxy"
echo "instances 127.0.0.1:$PORT1 and 127.0.0.1:$PORT2 behind haproxy 127.0.0.1:$FRONT ($(haproxy -v | head -n 1))"

# servers_up: both servers UP after a passing health check (L4/L7 "OK": the LOCAL header was
# accepted and the banner came back).
servers_up() {
    local csv
    csv="$(stats "show stat")" || return 1
    # Fields: 1 pxname, 2 svname, 18 status, 37 check_status.
    awk -F, '$1 == "resume_ssh" && ($2 == "resume1" || $2 == "resume2") && $18 == "UP" && $37 == "L7OK" { n++ }
        END { exit !(n == 2) }' <<<"$csv"
}
wait_up() {
    local deadline=$((SECONDS + 20))
    until servers_up; do
        if ((SECONDS >= deadline)); then
            echo "servers not UP/L7OK within 20 s:"
            stats "show stat" | cut -d, -f1,2,18,37,38 || true
            return 1
        fi
        sleep 0.2
    done
}
check "health checks: both instances UP (PROXY v2 LOCAL header, then SSH-2.0- banner)" wait_up
no_proxy_errors() {
    ! grep -h 'PROXY header' "$LOG1" "$LOG2"
}
check "health checks: no instance logged a bad PROXY header" no_proxy_errors

# ----------------------------------------------------------------------------------------------
# OpenSSH, pinned to the one host key for the frontend and both instance ports

pub="$(ssh-keygen -y -f "$work/one/ssh_host_ed25519_key" | cut -d' ' -f1,2)"
for p in "$FRONT" "$PORT1" "$PORT2"; do
    echo "[127.0.0.1]:$p $pub"
done >"$work/known_hosts"
SSH_OPTS=(-F /dev/null -o BatchMode=yes -o StrictHostKeyChecking=yes
    -o UserKnownHostsFile="$work/known_hosts" -o GlobalKnownHostsFile=/dev/null
    -o LogLevel=ERROR -o ConnectTimeout=10)
# ssh_from SRC PORT [CMD...]: `ssh -T` bound to the local address SRC.
ssh_from() {
    local src=$1 port=$2
    shift 2
    timeout 20 ssh "${SSH_OPTS[@]}" -b "$src" -T -p "$port" anyone@127.0.0.1 "$@" </dev/null
}

# ----------------------------------------------------------------------------------------------
# a. through HAProxy, both instances serve and see the client's address

run_plain() {
    local out
    out="$(ssh_from 127.0.0.2 "$FRONT" plain)" || {
        echo "ssh exited $?"
        return 1
    }
    grep -qF "$NAME" <<<"$out" || {
        echo "no \"$NAME\" in the output:"
        head -n 5 <<<"$out"
        return 1
    }
}
for i in 1 2 3 4; do
    check "a. ssh -b 127.0.0.2 via haproxy, plain ($i/4) prints the resume" run_plain
done
# The exec sessions are logged at their end: give the last one a moment.
plain_lines() { grep -h 'connection ended.*command=plain' "$@" || true; }
wait_plain_logged() {
    local i
    for ((i = 0; i < 50; i++)); do
        (($(plain_lines "$LOG1" "$LOG2" | wc -l) >= 4)) && return 0
        sleep 0.1
    done
    echo "expected 4 'connection ended ... command=plain' lines, found:"
    plain_lines "$LOG1" "$LOG2"
    return 1
}
check "a. the four sessions are logged" wait_plain_logged
both_served() {
    local n1 n2
    n1=$(plain_lines "$LOG1" | wc -l)
    n2=$(plain_lines "$LOG2" | wc -l)
    echo "instance 1 served $n1, instance 2 served $n2"
    ((n1 >= 1 && n2 >= 1))
}
check "a. both instances served (roundrobin)" both_served
peer_is_client() {
    local lines bad
    lines="$(plain_lines "$LOG1" "$LOG2")"
    bad="$(grep -vE 'peer=127\.0\.0\.2:[0-9]+[} ]' <<<"$lines" || true)"
    [[ -n "$lines" && -z "$bad" ]] || {
        echo "log lines without peer=127.0.0.2:PORT:"
        echo "${bad:-(no lines)}"
        return 1
    }
    grep -q 'how="closed"' <<<"$lines" || {
        echo "no how=\"closed\":"
        echo "$lines"
        return 1
    }
    sed -E 's/.*(peer=[^} ]*).*(how=[^ ]*).*/\1 \2/' <<<"$lines"
}
check "a. the log lines say peer=127.0.0.2:PORT (from the PROXY header), not 127.0.0.1" peer_is_client

# ----------------------------------------------------------------------------------------------
# b. the per-address limit counts the original client, not HAProxy

# hold.py PORT SRC N SECONDS: opens N anonymous PTY sessions (the TUI) from SRC, one after the
# other, waiting for each one's first frame; prints "held SRC:LPORT" for each, then "ready", and
# keeps them open for SECONDS (or until killed). Exit 1 (with the reason) if one fails.
cat >"$work/hold.py" <<'EOF'
import os, socket, sys, time

import paramiko

parent = os.getppid()

port, src, n, life = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
held = []
for i in range(n):
    lport = "?"
    try:
        sock = socket.create_connection(("127.0.0.1", port), timeout=20, source_address=(src, 0))
        lport = sock.getsockname()[1]
        t = paramiko.Transport(sock)
        t.banner_timeout = t.auth_timeout = 20
        t.start_client(timeout=20)
        t.auth_none("anyone")
        if not t.is_authenticated():
            raise RuntimeError("auth none refused")
        chan = t.open_session(timeout=20)
        chan.get_pty(term="xterm-256color", width=100, height=30)
        chan.invoke_shell()
        chan.settimeout(20)
        if not chan.recv(65536):
            raise RuntimeError("the session closed before its first frame")
    except Exception as e:  # noqa: BLE001 - any failure is the answer
        print(f"session {i + 1} of {n} from {src}:{lport} failed: {type(e).__name__}: {e}", flush=True)
        sys.exit(1)
    print(f"held {src}:{lport}", flush=True)
    held.append((t, chan))
print("ready", flush=True)
deadline = time.monotonic() + life
while time.monotonic() < deadline and os.getppid() == parent:  # never outlive the script
    for t, chan in held:
        if chan.recv_ready():
            data = chan.recv(65536)
            if b"\x1b[5n" in data:  # a status query: answer "OK"
                chan.sendall(b"\x1b[0n")
    time.sleep(0.1)
EOF

HELD=$((2 * MAX_PER_IP)) # MAX_PER_IP on each instance
# Started here, not inside check (a subshell), so that HOLD_PID is known to cleanup.
if "$PY" -c 'import paramiko' 2>/dev/null; then
    "$PY" "$work/hold.py" "$FRONT" 127.0.0.2 "$HELD" 90 >"$work/hold.out" 2>&1 &
    HOLD_PID=$!
else
    echo "$PY has no paramiko (python3 -m venv .venv && .venv/bin/pip install -r tests/interop/requirements.txt)" >"$work/hold.out"
fi
hold_sessions() {
    local deadline=$((SECONDS + 60))
    until grep -q '^ready' "$work/hold.out"; do
        if [[ -z "$HOLD_PID" ]] || ! kill -0 "$HOLD_PID" 2>/dev/null || ((SECONDS >= deadline)); then
            cat "$work/hold.out"
            return 1
        fi
        sleep 0.1
    done
    cat "$work/hold.out"
}
check "b. $HELD PTY sessions from 127.0.0.2 held through haproxy ($MAX_PER_IP per instance, each instance's limit)" hold_sessions
if [[ -s "$work/hold.out" ]] && grep -q '^ready' "$work/hold.out"; then
    # All four held: whatever order HAProxy chose, each instance (limit 2) must have exactly two.
    # held_on LOG: how many of the held client ip:ports LOG names in a TUI "session started" line.
    held_on() {
        local n=0 a
        while read -r a; do
            grep -F "peer=$a}" "$1" | grep -q 'session started kind="tui"' && n=$((n + 1))
        done < <(sed -n 's/^held //p' "$work/hold.out")
        echo "$n"
    }
    held_logged() {
        local n1 n2 i
        for ((i = 0; i < 30; i++)); do
            n1="$(held_on "$LOG1")"
            n2="$(held_on "$LOG2")"
            ((n1 == MAX_PER_IP && n2 == MAX_PER_IP)) && return 0
            sleep 0.1
        done
        echo "held ip:ports named in the logs: instance 1 $n1, instance 2 $n2"
        return 1
    }
    check "b. each instance logs $MAX_PER_IP held sessions under their exact client ip:port" held_logged
    refused_fifth() {
        local rc=0 err
        ssh_from 127.0.0.2 "$FRONT" plain >"$work/fifth.out" 2>"$work/fifth.err" || rc=$?
        err="$(cat "$work/fifth.err")"
        echo "ssh exit $rc; stderr: $err"
        ((rc != 0)) && grep -q 'Too many open connections' <<<"$err" && ! grep -qF "$NAME" "$work/fifth.out"
    }
    check "b. a further connection from 127.0.0.2 is refused: Too many open connections" refused_fifth
    # The server writes its log in batches (a line can take ~25 ms to appear): poll.
    refusal_logged() {
        local i
        for ((i = 0; i < 30; i++)); do
            grep -h 'refused connection' "$LOG1" "$LOG2" | grep -E 'peer=127\.0\.0\.2:[0-9]+ .*per_ip' &&
                return 0
            sleep 0.1
        done
        echo "no 'refused connection ... per_ip' line for 127.0.0.2 in either log"
        return 1
    }
    check "b. the refusal is logged for peer=127.0.0.2 (reason per_ip)" refusal_logged
    other_client() {
        local out
        out="$(ssh_from 127.0.0.3 "$FRONT" plain)" || {
            echo "ssh exited $?"
            return 1
        }
        grep -qF "$NAME" <<<"$out" || {
            echo "no \"$NAME\" in the output"
            return 1
        }
    }
    check "b. meanwhile 127.0.0.3 through the same haproxy is served" other_client
    stop_pid "$HOLD_PID"
    HOLD_PID=''
    # The held sessions close (HAProxy passes the FINs on): 127.0.0.2's slots come back.
    served_again() {
        local i out
        for ((i = 0; i < 20; i++)); do
            out="$(ssh_from 127.0.0.2 "$FRONT" plain 2>&1)" || true
            grep -qF "$NAME" <<<"$out" && return 0
            sleep 0.5
        done
        echo "$out"
        return 1
    }
    check "b. after the held sessions end, 127.0.0.2 is served again" served_again
fi

# ----------------------------------------------------------------------------------------------
# c. an instance refuses a connection without a PROXY header

direct_refused() {
    local port=$1 log=$2 rc=0 out i
    out="$(ssh_from 127.0.0.2 "$port" plain 2>&1)" || rc=$?
    echo "ssh exit $rc: $out"
    if ((rc == 0)) || grep -qF "$NAME" <<<"$out"; then
        return 1
    fi
    for ((i = 0; i < 30; i++)); do
        grep -E 'refused: bad PROXY header.*no PROXY protocol v2 header' "$log" && return 0
        sleep 0.1
    done
    echo "no 'refused: bad PROXY header' line in the instance's log"
    return 1
}
check "c. direct ssh to instance 1 (no PROXY header) is refused and logged" direct_refused "$PORT1" "$LOG1"
check "c. direct ssh to instance 2 (no PROXY header) is refused and logged" direct_refused "$PORT2" "$LOG2"

if ((failed)); then
    for f in "$LOG1" "$LOG2" "$work/haproxy.log"; do
        echo "--- tail of $f"
        tail -n 25 "$f"
    done
fi
summary
((failed == 0))
