#!/usr/bin/env bash
# Window-change floods: resume-ssh's server CPU per window-change against bench's bare russh
# server (the floor), flooded the same way in the same run, in interleaved rounds.
#
#   bench/winch.sh                               # 16 sessions x 2,000 changes 1 ms apart, 8 rounds
#   bench/winch.sh --candidate path/to/other/resume-ssh --rounds 12
#
# Each round floods every server in turn with `loadgen winch` (ever-new sizes, the client
# reading the output); per round the ratio to the bare server, and the median over rounds.
# Servers on CPU 0 and loadgen on CPU 1 where taskset exists. Needs `cargo build --release`.
# Options: --sessions N (16), --changes N (2000), --every-ms MS (1; 0 = flat out, batched),
# --rounds R (8), --candidate BIN, --no-pin.
# Servers on 127.0.0.1 only, stopped on exit.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
S=16 N=2000 E=1 R=8 PIN=1 CAND=""
while [ $# -gt 0 ]; do
    case "$1" in
        --sessions) S=$2; shift ;;
        --changes) N=$2; shift ;;
        --every-ms) E=$2; shift ;;
        --rounds) R=$2; shift ;;
        --candidate) CAND=$(cd "$(dirname "$2")" && pwd)/$(basename "$2"); shift ;;
        --no-pin) PIN=0 ;;
        -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
    shift
done
BIN=$ROOT/target/release
SRV=() CLI=()
if [ "$PIN" = 1 ] && command -v taskset >/dev/null; then SRV=(taskset -c 0); CLI=(taskset -c 1); fi
TMP=$(mktemp -d /tmp/resume-winch.XXXXXX)
BASE=${BENCH_PORT_BASE:-24350}
PIDS=()
trap 'for p in "${PIDS[@]:-}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$TMP"' EXIT
wait_port() { # port pid
    for _ in $(seq 1 200); do
        kill -0 "$2" 2>/dev/null || return 1
        (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
        sleep 0.05
    done
    return 1
}
NAMES=(bare resume-ssh)
"${SRV[@]}" "$BIN/bare_server" --listen "127.0.0.1:$BASE" --host-key "$TMP/bare_key" \
    --resume resume.toml --workload identical --max-seconds 3600 2>"$TMP/bare.log" &
PIDS+=($!)
RS=(serve --resume resume.toml --no-watch --max-per-ip 1000000 --rate-per-minute 1000000000
    --max-connections 1000000 --idle-timeout 3600)
"${SRV[@]}" "$BIN/resume-ssh" "${RS[@]}" --host-key "$TMP/rs_key" --listen "127.0.0.1:$((BASE + 1))" \
    2>"$TMP/rs.log" &
PIDS+=($!)
if [ -n "$CAND" ]; then
    NAMES+=(candidate)
    "${SRV[@]}" "$CAND" "${RS[@]}" --host-key "$TMP/cand_key" --listen "127.0.0.1:$((BASE + 2))" \
        2>"$TMP/cand.log" &
    PIDS+=($!)
fi
for i in "${!NAMES[@]}"; do
    wait_port $((BASE + i)) "${PIDS[$i]}" || { echo "${NAMES[$i]} did not start" >&2; exit 1; }
done
sleep 2 # resume-ssh renders its PDFs in the background once it listens
echo "winch: $S sessions x $N changes ${E} ms apart, $R rounds, $(date -u +%FT%TZ), $(git rev-parse --short HEAD)"
for r in $(seq 1 "$R"); do
    for i in "${!NAMES[@]}"; do
        "${CLI[@]}" "$BIN/loadgen" winch --addr "127.0.0.1:$((BASE + i))" --server-pid "${PIDS[$i]}" \
            --force-kex curve25519-sha256 --sessions "$S" --changes "$N" --every-ms "$E" --json \
            2>>"$TMP/loadgen.err" | tail -n 1 | sed "s/^/$r ${NAMES[$i]} /"
    done
done | python3 -c '
import json, statistics, sys
rounds = {}
for line in sys.stdin:
    r, name, js = line.split(" ", 2)
    rounds.setdefault(r, {})[name] = json.loads(js)["server_cpu_us_per_change"]
names = [n for n in next(iter(rounds.values())) if n != "bare"]
bare = [v["bare"] for v in rounds.values()]
print(f"bare: {statistics.median(bare):.1f} us/change [{min(bare):.1f}-{max(bare):.1f}]")
for n in names:
    us = [v[n] for v in rounds.values()]
    rat = [v[n] / v["bare"] for v in rounds.values()]
    print(f"{n}: {statistics.median(us):.1f} us/change, ratio to bare {statistics.median(rat):.2f} "
          f"[{min(rat):.2f}-{max(rat):.2f}] per round: " + " ".join(f"{x:.2f}" for x in rat))
'
