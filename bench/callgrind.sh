#!/usr/bin/env bash
# Instructions per full session, counted by valgrind's callgrind: repeatable whatever else the
# machine is doing (unlike CPU time on a shared 2-core box).
#
#   bench/callgrind.sh [--sessions N] [--workload mixed|identical] [--candidate PATH] [--out DIR]
#
# Starts the bare russh server, resume-ssh (and a candidate resume-ssh binary, if given) each under
# callgrind on loopback, runs N full sessions (TCP, curve25519 kex, auth, PTY, shell, first frame,
# q) one at a time against each, stops them, and prints instructions per session (counted from
# the moment each server listens and, for resume-ssh, has generated its PDFs: callgrind_control
# --zero) and the heaviest functions
# (inclusive) of resume-ssh. Needs `cargo build --release` first (resume-ssh,
# and bench/'s loadgen and bare_server: the workspace's default members).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
N=200
WORKLOAD=mixed
CAND=""
OUT=""
while [ $# -gt 0 ]; do
    case "$1" in
        --sessions) N=$2; shift ;;
        --workload) WORKLOAD=$2; shift ;;
        --candidate) CAND=$(cd "$(dirname "$2")" && pwd)/$(basename "$2"); shift ;;
        --out) OUT=$2; shift ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
    shift
done
command -v valgrind >/dev/null || { echo "valgrind is needed (apt-get install valgrind)" >&2; exit 1; }
OUT=${OUT:-$ROOT/target/bench-results/callgrind-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$OUT"
TMP=$(mktemp -d /tmp/resume-callgrind.XXXXXX)
BASE=${BENCH_PORT_BASE:-24150}
BIN=$ROOT/target/release
PIDS=()
trap 'for p in "${PIDS[@]:-}"; do kill -KILL "$p" 2>/dev/null || true; done; rm -rf "$TMP"' EXIT

start() { # name port command...
    local name=$1 port=$2
    shift 2
    valgrind --tool=callgrind --callgrind-out-file="$OUT/$name.callgrind" "$@" >"$OUT/$name.log" 2>&1 &
    local pid=$!
    PIDS+=("$pid")
    for _ in $(seq 1 300); do
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
        sleep 0.1
    done
    # resume-ssh renders its PDFs (A4, Letter) on a background thread once it listens: once,
    # not per visit, so counting starts after both.
    if [ "$name" != bare ]; then
        for _ in $(seq 1 1200); do
            [ "$(grep -c 'PDF generated' "$OUT/$name.log" 2>/dev/null)" -ge 2 ] && break
            sleep 0.1
        done
    fi
    # Count from here: the bare floor draws every visitor's frame before it listens.
    callgrind_control --zero "$pid" >/dev/null 2>&1 || true
    eval "PID_$name=$pid"
}

RS_ARGS=(serve --host-key "$TMP/key" --resume "$ROOT/resume.toml" --no-watch --max-per-ip 1000000
    --rate-per-minute 1000000000 --max-connections 1000000)
start bare "$BASE" "$BIN/bare_server" --listen "127.0.0.1:$BASE" --host-key "$TMP/bkey" \
    --resume "$ROOT/resume.toml" --max-seconds 1800 --workload "$WORKLOAD"
start resume_ssh $((BASE + 1)) "$BIN/resume-ssh" "${RS_ARGS[@]}" --listen "127.0.0.1:$((BASE + 1))"
NAMES="bare resume_ssh"
if [ -n "$CAND" ]; then
    start candidate $((BASE + 2)) "$CAND" "${RS_ARGS[@]}" --listen "127.0.0.1:$((BASE + 2))"
    NAMES="$NAMES candidate"
fi
i=0
for name in $NAMES; do
    "$BIN/loadgen" handshake --addr "127.0.0.1:$((BASE + i))" --force-kex curve25519-sha256 \
        --concurrency 1 --duration 600 --max-sessions "$N" --warmup 0 --step-timeout 60 --workload "$WORKLOAD" --json \
        >"$OUT/$name.loadgen.json"
    i=$((i + 1))
done
for name in $NAMES; do
    pid_var=PID_$name
    kill -TERM "${!pid_var}"
done
for name in $NAMES; do
    pid_var=PID_$name
    for _ in $(seq 1 300); do kill -0 "${!pid_var}" 2>/dev/null || break; sleep 0.1; done
done

python3 - "$OUT" "$N" $NAMES <<'EOF'
import re, subprocess, sys
out, n, names = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
def total(name):
    txt = subprocess.run(["callgrind_annotate", f"{out}/{name}.callgrind"], capture_output=True, text=True).stdout
    m = re.search(r"([\d,]+) \([^)]*\)\s+PROGRAM TOTALS", txt)
    return int(m.group(1).replace(",", "")) if m else None
tot = {k: total(k) for k in names}
print(f"instructions per session (program total after listening / {n} sessions):")
for k in names:
    print(f"  {k:12s} {tot[k] / n / 1e6:7.2f} M" + (f"   ({tot[k] / tot['bare']:.2f}x bare)" if k != "bare" else ""))
for k in names[1:]:
    txt = subprocess.run(["callgrind_annotate", "--inclusive=yes", f"{out}/{k}.callgrind"], capture_output=True, text=True).stdout
    print(f"\n{k}: heaviest functions of resume-ssh and russh (inclusive, M instructions per session)")
    best = {}
    for line in txt.splitlines():
        m = re.match(r"\s*([\d,]+) \(\s*[\d.]+%\)\s+(\S+?):(.+?)(?: \[.*\])?$", line)
        if not m:
            continue
        fn = m.group(3).strip()
        if re.search(r"^(resume_ssh::|russh::server::reply|<russh::kex::KexAlgorithm|russh::helpers::sign|textwrap::wrap::wrap$|ratatui_core::buffer::buffer::Buffer::diff$|tracing_subscriber::fmt::fmt_layer)", fn):
            best[fn] = max(best.get(fn, 0), int(m.group(1).replace(",", "")))
    for fn, ir in sorted(best.items(), key=lambda kv: -kv[1])[:16]:
        print(f"  {ir / n / 1e6:7.2f}  {fn[:110]}")
EOF
echo "callgrind files in $OUT (callgrind_annotate --inclusive=yes FILE)"
