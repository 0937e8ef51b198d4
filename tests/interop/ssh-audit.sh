#!/usr/bin/env bash
# ssh-audit against a resume-ssh binary on a loopback port.
#
#   tests/interop/ssh-audit.sh [--bin PATH]
#
# Passes when ssh-audit reports no failure, no CVE and no warning except the accepted one:
# curve25519 key exchange is not post-quantum (see the README's interop section). The text report
# is printed; the JSON report is kept in target/ssh-audit.json.
#
# Environment: RESUME_SSH_BIN (default target/release/resume-ssh), SSH_AUDIT (default
# .venv/bin/ssh-audit), INTEROP_PYTHON (default .venv/bin/python).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
# shellcheck source=tests/interop/lib.sh
source "$here/lib.sh"

BIN="${RESUME_SSH_BIN:-$root/target/release/resume-ssh}"
AUDIT="${SSH_AUDIT:-$root/.venv/bin/ssh-audit}"
PY="${INTEROP_PYTHON:-$root/.venv/bin/python}"
[[ "${1:-}" != --bin ]] || BIN="$2"
[[ -x "$BIN" ]] || {
    echo "error: $BIN is not an executable (cargo build --release first)" >&2
    exit 2
}
[[ -x "$AUDIT" ]] || {
    echo "error: $AUDIT not found (python3 -m venv .venv && .venv/bin/pip install -r tests/interop/requirements.txt)" >&2
    exit 2
}
mkdir -p "$root/target"
export PYTHONDONTWRITEBYTECODE=1 # no __pycache__ in the checkout
json="$root/target/ssh-audit.json"

work="$(mktemp -d "${TMPDIR:-/tmp}/resume-audit.XXXXXX")"
trap 'stop_server; rm -rf "$work"' EXIT
start_server "$BIN" "$work"

echo "$("$AUDIT" --help 2>&1 | grep -m 1 -o 'ssh-audit v[0-9.]*' || echo ssh-audit) against $SERVER_ADDR"
# Exit codes: 0 clean, 1 cannot connect, 2 warnings, 3 failures.
rc=0
timeout 60 "$AUDIT" -n --skip-rate-test -t 10 -p "$SERVER_PORT" 127.0.0.1 || rc=$?
jrc=0
timeout 60 "$AUDIT" -n -j --skip-rate-test -t 10 -p "$SERVER_PORT" 127.0.0.1 >"$json" || jrc=$?
echo "ssh-audit exit code: $rc (JSON run: $jrc); JSON in ${json#"$root"/}"

case $rc in
0 | 2) ;;
*)
    echo "FAIL: ssh-audit exited $rc (1: cannot connect, 3: failures)"
    exit 1
    ;;
esac
"$PY" "$here/clients.py" audit "$json" || {
    echo "FAIL: ssh-audit reports more than the accepted curve25519 post-quantum warning"
    exit 1
}
echo "PASS: ssh-audit (exit $rc: only the accepted curve25519 post-quantum warning)"
