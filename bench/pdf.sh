#!/usr/bin/env bash
# Server CPU of `ssh HOST pdf` beside `ssh HOST plain`, in one run against one release server.
#
#   cargo build --release --bins && bench/pdf.sh [--rounds 3] [--duration 8]
#
# Starts resume-ssh on 127.0.0.1 (pinned to CPU 0; loadgen on CPU 1 when taskset exists), then
# runs loadgen's handshake mode (full sessions: connect, key exchange, exec, read to close) with
# `--exec plain` and `--exec pdf` alternately, ROUNDS times each, so other load hits both alike.
# Server CPU per session comes from /proc/PID/stat (utime+stime) around each run, server memory
# from /proc/PID/status. Writes target/bench-results/pdf-<time>/ (JSON per run, summary.md).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${BIN:-$ROOT/target/release}
PORT=${PDF_BENCH_PORT:-24290}
ROUNDS=3
DURATION=8
while (($#)); do
    case $1 in
        --rounds) ROUNDS=$2; shift 2 ;;
        --duration) DURATION=$2; shift 2 ;;
        *) echo "usage: $0 [--rounds N] [--duration SECONDS]" >&2; exit 2 ;;
    esac
done
OUT="$ROOT/target/bench-results/pdf-$(date -u +%Y%m%d-%H%M%S)"
mkdir -p "$OUT"
TMP=$(mktemp -d /tmp/resume-pdf-bench.XXXXXX)
cp "$BIN/resume-ssh" "$BIN/loadgen" "$TMP/"
PIN_SERVER=() PIN_CLIENT=()
if command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ]; then
    PIN_SERVER=(taskset -c 0) PIN_CLIENT=(taskset -c 1)
fi

"${PIN_SERVER[@]}" "$TMP/resume-ssh" serve --listen "127.0.0.1:$PORT" --host-key "$TMP/key" \
    --resume "$ROOT/resume.toml" --no-watch --max-per-ip 1000000 --rate-per-minute 1000000000 \
    --max-connections 1000000 >"$OUT/server.log" 2>&1 &
PID=$!
trap 'kill -TERM $PID 2>/dev/null || true; sleep 0.3; kill -KILL $PID 2>/dev/null || true; rm -rf "$TMP"' EXIT
for _ in $(seq 1 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break
    kill -0 $PID 2>/dev/null || { cat "$OUT/server.log"; exit 1; }
    sleep 0.1
done
rss() { awk '/^VmRSS/ {print $2}' "/proc/$PID/status"; }
echo "rss_kib_at_start $(rss)" >"$OUT/memory.txt"

A=(--addr "127.0.0.1:$PORT" --server-pid "$PID" --force-kex curve25519-sha256 --no-pty
   --until close --concurrency 2 --duration "$DURATION" --warmup 10 --json)
for round in $(seq 1 "$ROUNDS"); do
    for cmd in plain pdf; do
        "${PIN_CLIENT[@]}" "$TMP/loadgen" handshake "${A[@]}" --exec "$cmd" --label "$cmd" \
            >"$OUT/$cmd-$round.json"
        echo "round $round $cmd: $(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["sessions"], "sessions,", round(d["server_cpu_ms_per_session"], 3), "ms server CPU/session")' "$OUT/$cmd-$round.json")"
    done
done
echo "rss_kib_at_end $(rss)" >>"$OUT/memory.txt"

python3 - "$OUT" "$ROUNDS" <<'PY' | tee "$OUT/summary.md"
import json, statistics, sys
out, rounds = sys.argv[1], int(sys.argv[2])
mem = dict(l.split() for l in open(f"{out}/memory.txt"))
rows = {}
for cmd in ("plain", "pdf"):
    runs = [json.load(open(f"{out}/{cmd}-{r}.json")) for r in range(1, rounds + 1)]
    cpu = [r["server_cpu_ms_per_session"] for r in runs]
    rows[cmd] = dict(
        cpu=statistics.median(cpu), lo=min(cpu), hi=max(cpu),
        sessions=sum(r["sessions"] for r in runs), errors=sum(r["errors"] for r in runs),
        data=runs[0]["first_frame_bytes"]["median"],
        wire=runs[0]["wire_bytes_per_session"]["rx_median"],
        p50=statistics.median(r["latency_ms"]["p50"] for r in runs))
print("| command | sessions | errors | data bytes | wire bytes in | server CPU ms/session, median [min-max] | latency p50 ms |")
print("| --- | --- | --- | --- | --- | --- | --- |")
for cmd, r in rows.items():
    print(f"| `{cmd}` | {r['sessions']} | {r['errors']} | {r['data']} | {r['wire']} | "
          f"{r['cpu']:.3f} [{r['lo']:.3f}-{r['hi']:.3f}] | {r['p50']:.2f} |")
print()
print(f"pdf / plain server CPU: {rows['pdf']['cpu'] / rows['plain']['cpu']:.2f}x; "
      f"server RSS {mem['rss_kib_at_start']} KiB at start, {mem['rss_kib_at_end']} KiB at the end")
PY
