# shellcheck shell=bash
# Sourced by tests/interop/run.sh and tests/interop/ssh-audit.sh: start and stop the server
# under test on a free loopback port with a throw-away host key and a copy of resume.toml.
#
#   start_server BIN DIR [extra serve args...]
#     (SERVER_MAX_PER_IP, default 50, is its --max-per-ip: serve accepts each option only once)
#     sets SERVER_PID, SERVER_ADDR (127.0.0.1:PORT), SERVER_PORT, SERVER_FP (SHA256:...),
#     SERVER_LOG (the server's stderr)
#   stop_server
#
# The port is chosen by the kernel (--listen 127.0.0.1:0) and read back from the server's
# "resume-ssh listening on ADDR" line, so nothing races for a port.

interop_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

start_server() {
    local bin=$1 dir=$2
    shift 2
    cp "$interop_root/resume.toml" "$dir/resume.toml"
    SERVER_LOG="$dir/server.log"
    # The suite opens a few dozen connections from 127.0.0.1 within a minute: lift the per-address
    # rate limit (30/min by default) so it measures the clients, not the limiter.
    "$bin" serve --listen 127.0.0.1:0 --resume "$dir/resume.toml" --host-key "$dir/ssh_host_ed25519_key" \
        --rate-per-minute 1000 --max-per-ip "${SERVER_MAX_PER_IP:-50}" --idle-timeout 120 --max-session 300 "$@" \
        </dev/null 2>"$SERVER_LOG" &
    SERVER_PID=$!
    local deadline=$((SECONDS + 30))
    until grep -q '^resume-ssh listening on ' "$SERVER_LOG" 2>/dev/null; do
        if ! kill -0 "$SERVER_PID" 2>/dev/null; then
            echo "error: the server exited before listening:" >&2
            cat "$SERVER_LOG" >&2
            SERVER_PID=
            return 1
        fi
        if ((SECONDS >= deadline)); then
            echo "error: no 'resume-ssh listening on' line within 30 s:" >&2
            cat "$SERVER_LOG" >&2
            stop_server
            return 1
        fi
        sleep 0.1
    done
    SERVER_ADDR="$(sed -n 's/^resume-ssh listening on \([^ ]*\).*$/\1/p' "$SERVER_LOG" | head -n 1)"
    SERVER_PORT="${SERVER_ADDR##*:}"
    SERVER_FP="$(grep -o 'SHA256:[A-Za-z0-9+/=]*' "$SERVER_LOG" | head -n 1)"
    if [[ ! "$SERVER_PORT" =~ ^[0-9]+$ || -z "$SERVER_FP" ]]; then
        echo "error: cannot read the port and fingerprint from the server's startup lines:" >&2
        cat "$SERVER_LOG" >&2
        stop_server
        return 1
    fi
}

# SIGTERM, up to 10 s for the graceful shutdown, then SIGKILL. Only ever the PID we started.
stop_server() {
    [[ -n "${SERVER_PID:-}" ]] || return 0
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    local i
    for ((i = 0; i < 100; i++)); do
        kill -0 "$SERVER_PID" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=
}
