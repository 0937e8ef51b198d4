#!/usr/bin/env bash
# Socket activation against the real binary: systemd-socket-activate binds two loopback sockets
# (IPv4 and IPv6), starts resume-ssh on the first connection with LISTEN_FDS=2, and real OpenSSH
# clients get the resume over each; the server binds nothing itself (--listen points at a port
# that stays closed). Loopback only; everything bounded in time.
#
#   RESUME_SSH_BIN=target/release/resume-ssh bash tests/interop/socket-activation.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
bin="${RESUME_SSH_BIN:-target/release/resume-ssh}"
command -v systemd-socket-activate >/dev/null || { echo "FAIL: systemd-socket-activate not found (apt-get install systemd)"; exit 1; }
command -v ssh >/dev/null || { echo "FAIL: ssh not found (apt-get install openssh-client)"; exit 1; }

work="$(mktemp -d)"
pid=""
cleanup() {
    [[ -n "$pid" ]] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
p4="$(free_port)"
p6="$(free_port)"
closed="$(free_port)"
have_v6=1
python3 -c 'import socket; s=socket.socket(socket.AF_INET6); s.bind(("::1",0))' 2>/dev/null || have_v6=0

listen=(-l "127.0.0.1:$p4")
((have_v6)) && listen+=(-l "[::1]:$p6")
systemd-socket-activate "${listen[@]}" -E RESUME_SSH_LOG=info \
    "$bin" serve --listen "127.0.0.1:$closed" --resume resume.toml \
    --host-key "$work/keys/host" >"$work/log" 2>&1 &
pid=$!

fails=0
check() { # name, host, port
    local out
    if out="$(timeout 20 ssh -T -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null \
        -o BatchMode=yes -o LogLevel=ERROR -o ConnectTimeout=10 -p "$3" "visitor@$2" json 2>&1)" &&
        grep -q '"name": "Arunav Malhotra"' <<<"$out"; then
        echo "PASS  socket activation: $1"
    else
        echo "FAIL  socket activation: $1"
        echo "$out" | tail -5
        fails=$((fails + 1))
    fi
}

# Nothing runs until the first visit.
sleep 0.5
# systemd-socket-activate waits for a connection, then execs the server in the same process.
if [[ "$(cat "/proc/$pid/comm" 2>/dev/null)" == resume-ssh* ]]; then
    echo "FAIL  socket activation: the server started before anyone connected"
    fails=$((fails + 1))
else
    echo "PASS  socket activation: nothing started before the first visit"
fi
check "IPv4 (127.0.0.1)" 127.0.0.1 "$p4"
if ((have_v6)); then
    check "IPv6 ([::1])" ::1 "$p6"
else
    echo "SKIP  socket activation: IPv6 (no ::1 on this machine)"
fi
# The server bound nothing itself: --listen was ignored.
if timeout 3 bash -c "exec 3<>/dev/tcp/127.0.0.1/$closed" 2>/dev/null; then
    echo "FAIL  socket activation: the server also bound --listen"
    fails=$((fails + 1))
else
    echo "PASS  socket activation: --listen ignored when sockets are passed"
fi
if grep -q "systemd" "$work/log"; then
    echo "PASS  socket activation: the log says where the sockets came from"
else
    echo "FAIL  socket activation: the log does not mention the passed sockets"
    fails=$((fails + 1))
fi
if ((fails)); then
    echo "--- server log"
    tail -20 "$work/log"
fi
exit $((fails > 0))
