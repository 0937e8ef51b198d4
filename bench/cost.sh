#!/usr/bin/env bash
# What a hostile client's bytes, resizes and packets cost the server, for one or more builds of
# resume-ssh side by side (e.g. the old main and a candidate), in the same run:
#
#   bench/cost.sh [BIN ...]          (default: target/release/resume-ssh)
#
# For each binary, in turn: tests/it/hostile_cost/ with the ignored CPU test included (300
# sessions for the key burst) and tests/interop/ignore_flood.py (needs .venv with paramiko, as
# .ci/run builds it). Prints the measured lines; a build that misses a target shows FAILED but
# the script goes on. Loopback only; each check is bounded (the Rust tests < 60 s each).
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
PY=${INTEROP_PYTHON:-$ROOT/.venv/bin/python}
(($#)) || set -- "$ROOT/target/release/resume-ssh"
cargo test --test it --no-run -q 2>/dev/null || { echo "cannot build tests/it (the integration tests)" >&2; exit 2; }
for bin in "$@"; do
    [[ -x "$bin" ]] || { echo "not an executable: $bin" >&2; exit 2; }
    echo "== $bin (load average $(cut -d' ' -f1-3 /proc/loadavg))"
    RESUME_SSH_BIN="$bin" COST_BURST_SESSIONS=${COST_BURST_SESSIONS:-300} \
        cargo test -q --test it hostile_cost:: -- --include-ignored --nocapture --test-threads 1 2>&1 |
        sed -e 's/^\.*//' | grep -E '^(key burst|400x200|window-change flood|search typing|window-change \+|exec CPU|[0-9]+ connections x 2|test result)'
    "$PY" tests/interop/ignore_flood.py "$bin" 2>&1 | grep '^ignore-flood'
done
