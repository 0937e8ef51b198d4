#!/usr/bin/env bash
# A ~20 s load smoke test for CI (after `cargo build --release` at the root, which builds resume-ssh
# and bench/'s loadgen: the workspace's default members): starts resume-ssh on loopback, runs
# loadgen's handshake (the mixed workload; the frame-cache counters scraped from --metrics), idle
# and keys modes briefly, and fails on any session error, on bytes sent
# to idle sessions, or on a first frame over 8 KB. It checks behaviour, not speed:
# timings on a shared CI machine are printed but not judged.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${BIN:-$ROOT/target/release}
PORT=${SMOKE_PORT:-24190}
TMP=$(mktemp -d /tmp/resume-smoke.XXXXXX)
HARD=$(ulimit -Hn)
if [ "$HARD" = unlimited ] || [ "$HARD" -ge 4096 ]; then ulimit -n 4096; fi

"$BIN/resume-ssh" serve --listen "127.0.0.1:$PORT" --host-key "$TMP/key" --resume "$ROOT/resume.toml" \
    --no-watch --max-per-ip 100000 --rate-per-minute 100000000 --max-connections 100000 \
    --metrics "127.0.0.1:$((PORT + 1))" >"$TMP/server.log" 2>&1 &
PID=$!
trap 'kill -TERM $PID 2>/dev/null || true; sleep 0.3; kill -KILL $PID 2>/dev/null || true; rm -rf "$TMP"' EXIT
for _ in $(seq 1 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break
    kill -0 $PID 2>/dev/null || { cat "$TMP/server.log"; exit 1; }
    sleep 0.1
done

LG=("$BIN/loadgen")
A=(--addr "127.0.0.1:$PORT" --server-pid "$PID" --force-kex curve25519-sha256 --resume "$ROOT/resume.toml" --json)
# The mixed workload (sizes and TERMs of bench/src/workload.rs): what real visitors bring.
"${LG[@]}" handshake "${A[@]}" --workload mixed --concurrency 4 --duration 5 --warmup 5 >"$TMP/handshake.json"
python3 -c 'import urllib.request,sys; sys.stdout.write(urllib.request.urlopen("http://127.0.0.1:'"$((PORT + 1))"'/metrics", timeout=5).read().decode())' \
    >"$TMP/metrics.txt" || true
"${LG[@]}" idle "${A[@]}" --sessions 500 --hold 3 --settle 1 >"$TMP/idle.json"
"${LG[@]}" keys "${A[@]}" --sessions 5 >"$TMP/keys.json"

python3 - "$TMP" <<'EOF'
import json, sys
d = sys.argv[1]
h = json.load(open(f"{d}/handshake.json"))
i = json.load(open(f"{d}/idle.json"))
k = json.load(open(f"{d}/keys.json"))
import re
metrics = open(f"{d}/metrics.txt").read()
def counter(name):
    m = re.search(rf"^resume_ssh_{name}_total (\d+)", metrics, re.M)
    return int(m.group(1)) if m else 0
hits, misses = counter("frame_cache_hits"), counter("frame_cache_misses")
print(f"handshake: {h['sessions']} sessions, {h['errors']} errors, {h['sessions_per_s']:.0f}/s, "
      f"p50 {h['latency_ms']['p50']:.2f} ms, server CPU {h['server_cpu_ms_per_session']:.3f} ms/session, "
      f"first frame {h['first_frame_bytes']['median']} B (mixed workload), "
      f"frame cache {hits} hits / {misses} misses")
print(f"idle: {i['sessions_open']}/{i['sessions_requested']} open, {i['errors']} errors, "
      f"{i['server_rss_growth_kib_per_session']:.1f} KiB/session, hold bytes {i['wire_bytes_during_hold']}, "
      f"hold CPU {i['server_cpu_ms_during_hold']} ms")
print("keys: " + ", ".join(f"{s} {v['data_bytes']['median']} B p50 {v['latency_ms']['p50']:.2f} ms"
                            for s, v in k["steps"].items()))
bad = []
if h["errors"] or h["sessions"] == 0: bad.append("handshake errors")
if h["first_frame_bytes"]["median"] > 8000: bad.append("first frame over 8 KB")
if h.get("workload") != "mixed": bad.append("handshake did not run the mixed workload")
if misses == 0: bad.append("no frame was drawn (frame-cache counters missing or all hits)")
if i["errors"] or i["sessions_open"] != i["sessions_requested"]: bad.append("idle sessions failed")
if i["wire_bytes_during_hold"]["rx"] or i["wire_bytes_during_hold"]["tx"]: bad.append("bytes sent to idle sessions")
if k["errors"]: bad.append("key errors")
for s, v in k["steps"].items():
    if v["screen_unchanged"]: bad.append(f"{s} did not change the screen")
    if v["data_bytes"]["median"] >= k["first_frame_bytes_median"]: bad.append(f"{s} costs a full redraw")
if bad:
    print("SMOKE FAILED: " + "; ".join(bad))
    sys.exit(1)
print("load smoke: 1 passed, 0 failed")
EOF
