#!/usr/bin/env bash
# Dual-stack listening with real clients: the binary started with a second listener on [::]:0
# (the default's address) serves OpenSSH and PuTTY over [::1] and over 127.0.0.1 on that one
# port, byte for byte what `resume-ssh export plain` prints, while its 127.0.0.1:0 listener
# keeps serving too.
#
#   tests/interop/dual-stack.sh [--bin PATH]
#
# Environment: RESUME_SSH_BIN (default target/release/resume-ssh). Loopback only; every client
# call has a timeout.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
# shellcheck source=tests/interop/lib.sh
source "$here/lib.sh"

BIN="${RESUME_SSH_BIN:-$root/target/release/resume-ssh}"
[[ "${1:-}" != --bin ]] || BIN="$2"
[[ -x "$BIN" ]] || {
    echo "error: $BIN is not an executable (cargo build --release first)" >&2
    exit 2
}

work="$(mktemp -d "${TMPDIR:-/tmp}/resume-dualstack.XXXXXX")"
cleanup() {
    stop_server
    rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/home"

start_server "$BIN" "$work" --listen '[::]:0'
dual="$(sed -n 's/^resume-ssh listening on \(\[::\]:[0-9]*\)$/\1/p' "$SERVER_LOG" | head -n 1)"
dual_port="${dual##*:}"
if [[ ! "$dual_port" =~ ^[0-9]+$ ]]; then
    echo "error: no [::] listener in the startup lines:" >&2
    cat "$SERVER_LOG" >&2
    exit 1
fi
"$BIN" export plain --resume "$work/resume.toml" >"$work/expected"

ssh_opts=(-F /dev/null -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null
    -o GlobalKnownHostsFile=/dev/null -o LogLevel=ERROR -o ConnectTimeout=10 -T)
passed=0 failed=0
expect_plain() {
    local what=$1
    shift
    if timeout 20 "$@" </dev/null >"$work/got" 2>"$work/err" && cmp -s "$work/got" "$work/expected"; then
        echo "PASS  $what"
        passed=$((passed + 1))
    else
        echo "FAIL  $what: $(head -c 300 "$work/err") ($(wc -c <"$work/got") bytes)"
        failed=$((failed + 1))
    fi
}

expect_plain "openssh over [::1]:$dual_port" ssh "${ssh_opts[@]}" -p "$dual_port" anyone@::1 plain
expect_plain "openssh over 127.0.0.1:$dual_port" ssh "${ssh_opts[@]}" -p "$dual_port" anyone@127.0.0.1 plain
expect_plain "openssh over $SERVER_ADDR" ssh "${ssh_opts[@]}" -p "$SERVER_PORT" anyone@127.0.0.1 plain
if command -v plink >/dev/null; then
    plink_opts=(-ssh -batch -hostkey "$SERVER_FP" -l anyone -P "$dual_port")
    expect_plain "plink over [::1]:$dual_port" env HOME="$work/home" plink "${plink_opts[@]}" -6 ::1 plain
    expect_plain "plink over 127.0.0.1:$dual_port" env HOME="$work/home" plink "${plink_opts[@]}" -4 127.0.0.1 plain
else
    echo "SKIP  plink (not installed)"
fi
echo "dual-stack: $passed passed, $failed failed"
((failed == 0))
