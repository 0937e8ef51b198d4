#!/usr/bin/env bash
# Full sessions only, in many short interleaved rounds: server CPU per session of resume-ssh (and
# of a candidate build, if given) against the bare russh floor, round by round. On a shared VM
# the CPU time of one run drifts by ±15%; many short rounds, each server right after the other,
# give a median ratio that a 3-round compare.sh cannot.
#
#   bench/ab.sh                                   # mixed, concurrency 4, 12 rounds of 2 s
#   bench/ab.sh --workload identical --rounds 20
#   bench/ab.sh --candidate path/to/other/resume-ssh
#   bench/ab.sh --together                        # the servers loaded at the same time
#
# --together: in each round every server gets its own loadgen at the same moment (servers all on
# CPU 0, loadgens on CPU 1), so each ratio compares CPU time spent under the same conditions: the
# drift between one server's run and the next cancels. They share a core and its caches, which
# costs the server with the larger working set (resume-ssh) more, not less.
#
# Options: --workload mixed|identical (mixed), --concurrency C (4, per server), --duration S
# (2), --rounds R (12), --together, --no-pin. Needs `cargo build --release` first. Servers on
# 127.0.0.1 only, stopped on exit.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
W=mixed C=4 D=2 R=12 PIN=1 CAND="" TOGETHER=0
while [ $# -gt 0 ]; do
    case "$1" in
        --workload) W=$2; shift ;;
        --concurrency) C=$2; shift ;;
        --duration) D=$2; shift ;;
        --rounds) R=$2; shift ;;
        --candidate) CAND=$(cd "$(dirname "$2")" && pwd)/$(basename "$2"); shift ;;
        --no-pin) PIN=0 ;;
        --together) TOGETHER=1 ;;
        -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
    shift
done
BIN=$ROOT/target/release
SRV=() CLI=()
if [ "$PIN" = 1 ] && command -v taskset >/dev/null; then SRV=(taskset -c 0); CLI=(taskset -c 1); fi
TMP=$(mktemp -d /tmp/resume-ab.XXXXXX)
BASE=${BENCH_PORT_BASE:-24250}
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
    --resume resume.toml --workload "$W" --max-seconds 3600 2>"$TMP/bare.log" &
PIDS+=($!)
RS=(serve --resume resume.toml --no-watch --max-per-ip 1000000 --rate-per-minute 1000000000
    --max-connections 1000000)
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
echo "workload $W, concurrency $C, $R rounds of ${D}s, $(date -u +%FT%TZ), $(git rev-parse --short HEAD)"
load() { # round, server index
    "${CLI[@]}" "$BIN/loadgen" handshake --addr "127.0.0.1:$((BASE + $2))" --server-pid "${PIDS[$2]}" \
        --force-kex curve25519-sha256 --concurrency "$C" --duration "$D" --workload "$W" \
        --json 2>>"$TMP/loadgen.err" | tail -n 1 | sed "s/^/$1 ${NAMES[$2]} /"
}
echo "$([ "$TOGETHER" = 1 ] && echo "servers loaded together" || echo "servers loaded one after the other")"
for r in $(seq 1 "$R"); do
    if [ "$TOGETHER" = 1 ]; then
        for i in "${!NAMES[@]}"; do load "$r" "$i" >"$TMP/round.$i" & done
        wait
        for i in "${!NAMES[@]}"; do cat "$TMP/round.$i"; done
    else
        for i in "${!NAMES[@]}"; do load "$r" "$i"; done
    fi
done | python3 -c '
import json, statistics, sys
rounds = {}
for line in sys.stdin:
    r, name, js = line.split(" ", 2)
    d = json.loads(js)
    if d.get("errors"):
        print("round", r, name, d.get("errors"), "errors", file=sys.stderr)
    rounds.setdefault(r, {})[name] = d["server_cpu_ms_per_session"]
names = [n for n in next(iter(rounds.values())) if n != "bare"]
bare = [v["bare"] for v in rounds.values()]
print(f"bare: {statistics.median(bare):.3f} ms/session [{min(bare):.3f}-{max(bare):.3f}]")
for n in names:
    ms = [v[n] for v in rounds.values()]
    rat = [v[n] / v["bare"] for v in rounds.values()]
    print(f"{n}: {statistics.median(ms):.3f} ms/session, ratio to bare {statistics.median(rat):.2f} "
          f"[{min(rat):.2f}-{max(rat):.2f}] per round: " + " ".join(f"{x:.2f}" for x in rat))
'
