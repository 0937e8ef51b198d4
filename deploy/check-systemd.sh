#!/usr/bin/env bash
# Check deploy/resume-ssh.service with systemd-analyze. Installs nothing.
#
#   deploy/check-systemd.sh [BINARY]
#
# 1. `systemd-analyze verify`: verify insists that ExecStart's binary exists, so
#    the unit is copied to a temp dir and its ExecStart binary
#    (/usr/local/bin/resume-ssh) is replaced by BINARY (an absolute path, e.g.
#    "$PWD/target/release/resume-ssh"), or by /bin/true when BINARY is not
#    given. The arguments are kept. Any warning that names the unit (unknown
#    key, unparsable value, missing binary, ...) fails the check, because
#    verify itself exits 0 on those.
# 2. `systemd-analyze security --offline=true --threshold=20`: the overall
#    exposure level must be <= 2.0 (systemd's threshold is in tenths).
#
# Exits 0 when both pass, 1 otherwise. Needs systemd-analyze >= 250.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
unit_src="$here/resume-ssh.service"
unit_name="resume-ssh.service"
installed_bin="/usr/local/bin/resume-ssh"
max_exposure_tenths=20 # 2.0

bin="${1:-/bin/true}"
case "$bin" in
/*) ;;
*)
    echo "error: BINARY must be an absolute path, got: $bin" >&2
    exit 2
    ;;
esac
if [[ ! -x "$bin" ]]; then
    echo "error: $bin is not an executable file" >&2
    exit 2
fi
if [[ "$bin" =~ [[:space:]] ]]; then
    echo "error: BINARY path must not contain whitespace: $bin" >&2
    exit 2
fi
command -v systemd-analyze >/dev/null || {
    echo "error: systemd-analyze not found" >&2
    exit 2
}

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
unit="$tmp/$unit_name"

grep -q "^ExecStart=$installed_bin " "$unit_src" || {
    echo "error: $unit_src: no 'ExecStart=$installed_bin ...' line to rewrite" >&2
    exit 1
}
# Escape the replacement for sed (delimiter |, and & and \).
bin_sed="$(printf '%s' "$bin" | sed -e 's/[|&\\]/\\&/g')"
sed -e "s|^ExecStart=$installed_bin |ExecStart=$bin_sed |" "$unit_src" >"$unit"
# The service requires its socket unit: verify sees both.
cp "$here/resume-ssh.socket" "$tmp/resume-ssh.socket"

fail=0

echo "== systemd-analyze verify (ExecStart binary: $bin)"
set +e
verify_out="$(systemd-analyze verify --man=no "$unit" 2>&1)"
verify_rc=$?
set -e
[[ -n "$verify_out" ]] && printf '%s\n' "$verify_out"
if ((verify_rc != 0)); then
    echo "FAIL: systemd-analyze verify exited $verify_rc"
    fail=1
elif grep -qF "$unit_name" <<<"$verify_out"; then
    echo "FAIL: systemd-analyze verify warned about $unit_name"
    fail=1
else
    echo "PASS: verify"
fi

echo
echo "== systemd-analyze security --offline=true --threshold=$max_exposure_tenths"
set +e
sec_out="$(systemd-analyze security --offline=true --threshold="$max_exposure_tenths" \
    --no-pager "$unit" 2>&1)"
sec_rc=$?
set -e
# Show only what is not fully locked down, then the verdict.
grep -E '^✗' <<<"$sec_out" || true
overall="$(grep -E 'Overall exposure level' <<<"$sec_out" || true)"
if [[ -z "$overall" ]]; then
    printf '%s\n' "$sec_out"
    echo "FAIL: no 'Overall exposure level' line in systemd-analyze security output"
    exit 1
fi
echo "$overall"
score="$(sed -E 's/.*: *([0-9]+)\.([0-9]).*/\1.\2/' <<<"$overall")"
if [[ ! "$score" =~ ^[0-9]+\.[0-9]$ ]]; then
    echo "FAIL: cannot parse exposure score from: $overall"
    exit 1
fi
tenths=$((10#${score%.*} * 10 + 10#${score#*.}))
echo "exposure score: $score (maximum allowed: 2.0)"
if ((sec_rc != 0 || tenths > max_exposure_tenths)); then
    echo "FAIL: exposure $score is above 2.0 (systemd-analyze exit code $sec_rc)"
    fail=1
else
    echo "PASS: security"
fi

exit "$fail"
