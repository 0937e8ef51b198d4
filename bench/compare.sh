#!/usr/bin/env bash
# Compares, in ONE run on loopback: (a) a bare russh server (bench/src/bin/bare_server.rs), (b)
# resume-ssh (release build) and (c) OpenSSH sshd with a ForceCommand that prints the resume.
#
#   bench/compare.sh                 # full run: 3 rounds, idle N=1000 and 5000, 10,000 hold check
#   bench/compare.sh --quick         # ~1 minute smoke run (1 round, short, small N, no sshd)
#   bench/compare.sh --no-sshd       # skip OpenSSH
#   bench/compare.sh --wish          # also a charmbracelet wish + bubbletea peer (off by default)
#
# Full sessions run for two workloads (loadgen --workload): `mixed` (sizes and TERMs from
# bench/src/workload.rs's distribution, seeded) and `identical` (every visitor 100×30
# xterm-256color), each against the bare floor in the same round, at each concurrency. resume-ssh
# serves --metrics on loopback; its frame- and layout-cache hits and misses are scraped before
# and after each run, so every figure comes with the hit rate it was measured at.
#
# Options: --rounds R (3), --duration S (10, seconds of each handshake run), --concurrency "C..." ("4 16"),
# --idle "1000 5000", --hold S (10), --keys-sessions N (50), --seed S (1), --hold-check N (10000, 0 = skip), --no-pin, --no-build,
# --out DIR (target/bench-results/<time>), --candidate PATH (a second resume-ssh binary, e.g. a
# build with a proposed fix, measured side by side under the label "candidate").
#
# What it does, and why:
# - Servers are pinned to CPU 0 and loadgen to CPU 1 with taskset (--no-pin to turn off): on a
#   2-core machine this keeps client crypto from competing with the server being measured.
# - Server CPU = delta of utime+stime+cutime+cstime (/proc/PID/stat) over a run / sessions done;
#   cutime/cstime count sshd's reaped per-connection children (and the ForceCommand).
# - The client forces curve25519-sha256 (resume-ssh and the bare server prefer mlkem768x25519
#   first; sshd gets the same), so all three do the same key exchange.
# - resume-ssh gets big --max-per-ip/--rate-per-minute/--max-connections: every session comes
#   from 127.0.0.1, and the defaults (10 per address, 30 per minute) would refuse the load.
# - Rounds interleave the servers (bare, resume-ssh, sshd, bare, ...) so drift from other load
#   on the machine hits all of them alike; the summary gives medians and [min–max].
# - Idle runs start each server afresh, so RSS growth is not hidden by memory freed earlier.
# - --wish: bench/wish.sh builds bench/peers/wish (wish 0.1.1 + bubbletea 0.19.1, offline from
#   Debian's packages; installs them if missing and root; rebuilds only when out of date, even
#   with --no-build, which skips cargo only). It serves the resume text (`resume-ssh export plain
#   --width 200`, re-wrapped by the peer to each window) as a bubbletea TUI in the alt screen and
#   is measured on the mixed workload only, right after bare and resume-ssh, label wish-mixed-cC.
#   Its x/crypto 0.4.0 offers curve25519-sha256, so it does the same key exchange. As shipped,
#   wish 0.1.1's bubbletea middleware leaks a goroutine blocked in Program.Quit (with the
#   session's program) per finished session, ~70 KB of RSS each: the peer's memory grows over a
#   run (its CPU per session is what is compared here).
# - sshd: needs root and openssh-server (installed with apt-get if missing). A throwaway user
#   `resumebench` with an empty password is created (PermitEmptyPasswords yes, UsePAM no) so that
#   SSH "none" authentication succeeds as it does for resume-ssh. sshd runs with its own config,
#   host key and pid file in a temp dir, on 127.0.0.1 only.
#
# Every load loop is bounded in sessions and time, and every server started here is stopped (by
# its PID) on exit.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

ROUNDS=3
DURATION=10
CONCURRENCY="4 16"
SEED=1
IDLE_NS="1000 5000"
HOLD=10
HOLD_CHECK=10000
PIN=1
BUILD=1
SSHD=1
WISH=0
OUT=""
CAND=""
KEYS_SESSIONS=50
LAT_SESSIONS=300
while [ $# -gt 0 ]; do
    case "$1" in
        --quick) ROUNDS=1; DURATION=3; CONCURRENCY=4; IDLE_NS="300"; HOLD=3; HOLD_CHECK=0; SSHD=0; KEYS_SESSIONS=5; LAT_SESSIONS=50 ;;
        --rounds) ROUNDS=$2; shift ;;
        --duration) DURATION=$2; shift ;;
        --concurrency) CONCURRENCY=$2; shift ;;
        --seed) SEED=$2; shift ;;
        --keys-sessions) KEYS_SESSIONS=$2; shift ;;
        --idle) IDLE_NS=$2; shift ;;
        --hold) HOLD=$2; shift ;;
        --hold-check) HOLD_CHECK=$2; shift ;;
        --no-pin) PIN=0 ;;
        --no-build) BUILD=0 ;;
        --no-sshd) SSHD=0 ;;
        --wish) WISH=1 ;;
        --out) OUT=$2; shift ;;
        --candidate) CAND=$(cd "$(dirname "$2")" && pwd)/$(basename "$2"); shift ;;
        -h|--help) sed -n '2,48p' "$0"; exit 0 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
    shift
done

BASE=${BENCH_PORT_BASE:-24100}
PORT_BARE=$BASE
PORT_RS=$((BASE + 1))
PORT_SSHD=$((BASE + 2))
PORT_CAND=$((BASE + 3))
METRICS_RS=$((BASE + 4))
METRICS_CAND=$((BASE + 5))
PORT_WISH=$((BASE + 6))
OUT=${OUT:-$ROOT/target/bench-results/$(date +%Y%m%d-%H%M%S)}
mkdir -p "$OUT"
TMP=$(mktemp -d /tmp/resume-bench.XXXXXX)
RESULTS=$OUT/results.jsonl
: > "$RESULTS"

# Both servers and loadgen need many sockets (10,000 sessions); go as high as allowed.
HARD=$(ulimit -Hn)
if [ "$HARD" = unlimited ] || [ "$HARD" -ge 65536 ]; then ulimit -n 65536; else ulimit -n "$HARD"; fi

if [ "$PIN" = 1 ] && [ "$(nproc)" -ge 2 ]; then
    SRV=(taskset -c 0)
    CLI=(taskset -c 1)
else
    SRV=()
    CLI=()
fi

PIDS=()
cleanup() {
    for p in "${PIDS[@]:-}"; do
        [ -n "$p" ] && kill -TERM "$p" 2>/dev/null || true
    done
    sleep 0.5
    for p in "${PIDS[@]:-}"; do
        [ -n "$p" ] && kill -KILL "$p" 2>/dev/null || true
    done
    rm -rf "$TMP"
}
trap cleanup EXIT

log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

if [ "$BUILD" = 1 ]; then
    log "building release binaries"
    # The workspace root builds both default members: resume-ssh and bench/ (loadgen, bare_server).
    cargo build --release --bins >&2
fi
# Copies, so that another build of target/release during the run cannot swap binaries under it.
mkdir -p "$TMP/bin"
cp "$ROOT/target/release/resume-ssh" "$ROOT/target/release/loadgen" "$ROOT/target/release/bare_server" "$TMP/bin/"
if [ -n "$CAND" ]; then cp "$CAND" "$TMP/bin/candidate-resume-ssh"; fi
if [ "$WISH" = 1 ]; then
    log "wish peer: bench/wish.sh"
    "$ROOT/bench/wish.sh" >&2
    cp "$ROOT/target/bench-peers/wish-peer" "$TMP/bin/"
fi
# sshd's ForceCommand runs as another user: it must reach the binary. Host keys go in their own
# directory (resume-ssh makes its key's directory private).
chmod 755 "$TMP" "$TMP/bin"
mkdir -p "$TMP/keys"
BIN=$TMP/bin
RESUME=$ROOT/resume.toml
LOADGEN=("${CLI[@]}" "$BIN/loadgen")

wait_port() { # port pid
    for _ in $(seq 1 100); do
        if ! kill -0 "$2" 2>/dev/null; then return 1; fi
        if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
        sleep 0.1
    done
    return 1
}

stop_pid() {
    kill -TERM "$1" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
    kill -KILL "$1" 2>/dev/null || true
}

start_bare() {
    "${SRV[@]}" "$BIN/bare_server" --listen "127.0.0.1:$PORT_BARE" --host-key "$TMP/keys/bare_key" \
        --resume "$RESUME" --max-seconds 7200 >>"$OUT/bare.log" 2>&1 &
    BARE_PID=$!
    PIDS+=("$BARE_PID")
    wait_port "$PORT_BARE" "$BARE_PID" || { log "bare server did not start"; cat "$OUT/bare.log" >&2; exit 1; }
}

start_resume_ssh() { # binary port log metrics-port: sets LAST_PID
    "${SRV[@]}" "$1" serve --listen "127.0.0.1:$2" --host-key "$TMP/keys/rs_key" \
        --resume "$RESUME" --no-watch --max-per-ip 1000000 --rate-per-minute 1000000000 \
        --max-connections 1000000 --metrics "127.0.0.1:$4" >>"$3" 2>&1 &
    LAST_PID=$!
    PIDS+=("$LAST_PID")
    wait_port "$2" "$LAST_PID" || { log "$1 did not start"; tail -n 20 "$3" >&2; exit 1; }
}
start_rs() { start_resume_ssh "$BIN/resume-ssh" "$PORT_RS" "$OUT/resume-ssh.log" "$METRICS_RS"; RS_PID=$LAST_PID; }
start_cand() { start_resume_ssh "$BIN/candidate-resume-ssh" "$PORT_CAND" "$OUT/candidate.log" "$METRICS_CAND"; CAND_PID=$LAST_PID; }

WISH_PID=""
start_wish() {
    "$BIN/resume-ssh" export plain --width 200 --resume "$RESUME" >"$TMP/wish-resume.txt"
    # Its own key directory: wish's keygen makes a new key's directory 0700. A missing key's name
    # must end in _ed25519 (wish 0.1.1's WithHostKeyPath names new keys so).
    mkdir -p "$TMP/keys-wish"
    "${SRV[@]}" "$BIN/wish-peer" --listen "127.0.0.1:$PORT_WISH" --host-key "$TMP/keys-wish/wish_host_ed25519" \
        --resume-text "$TMP/wish-resume.txt" >>"$OUT/wish.log" 2>&1 &
    WISH_PID=$!
    PIDS+=("$WISH_PID")
    wait_port "$PORT_WISH" "$WISH_PID" || { log "wish peer did not start"; tail -n 20 "$OUT/wish.log" >&2; exit 1; }
}

SSHD_PID=""
start_sshd() {
    if [ "$(id -u)" != 0 ]; then log "sshd: needs root; skipped"; SSHD=0; return; fi
    if [ ! -x /usr/sbin/sshd ]; then
        log "installing openssh-server"
        (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openssh-server) >&2 \
            || { log "sshd: cannot install; skipped"; SSHD=0; return; }
    fi
    id resumebench >/dev/null 2>&1 || useradd -M -d /tmp -s /bin/sh resumebench
    passwd -d resumebench >/dev/null
    mkdir -p /run/sshd
    ssh-keygen -q -t ed25519 -N '' -f "$TMP/sshd_host_ed25519_key"
    cat >"$TMP/sshd_config" <<EOF
ListenAddress 127.0.0.1
HostKey $TMP/sshd_host_ed25519_key
PidFile $TMP/sshd.pid
UsePAM no
PermitEmptyPasswords yes
PasswordAuthentication yes
KbdInteractiveAuthentication no
PubkeyAuthentication no
AuthorizedKeysFile none
AllowUsers resumebench
PermitRootLogin no
StrictModes no
UseDNS no
PrintMotd no
PrintLastLog no
MaxStartups 200:30:400
MaxAuthTries 6
LogLevel ERROR
ForceCommand $BIN/resume-ssh export plain --resume $RESUME
EOF
    "${SRV[@]}" /usr/sbin/sshd -D -e -f "$TMP/sshd_config" -p "$PORT_SSHD" >>"$OUT/sshd.log" 2>&1 &
    SSHD_PID=$!
    PIDS+=("$SSHD_PID")
    wait_port "$PORT_SSHD" "$SSHD_PID" || { log "sshd did not start"; cat "$OUT/sshd.log" >&2; SSHD=0; return; }
    # What a visitor gets from it (kept for inspection: it should be the plain-text resume).
    "$BIN/loadgen" capture --addr "127.0.0.1:$PORT_SSHD" --user resumebench --until close \
        --out "$OUT/sshd-output.txt" 2>>"$OUT/loadgen.err" || log "sshd: capture failed"
}

# The cache counters of a resume-ssh's --metrics endpoint, as one JSON object ({} if none).
scrape() { # metrics-port
    python3 - "$1" <<'PY' 2>/dev/null || echo '{}'
import json, re, sys, urllib.request
text = urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/metrics", timeout=5).read().decode()
out = {}
for name in ["frame_cache_hits", "frame_cache_misses", "layout_cache_hits", "layout_cache_misses"]:
    m = re.search(rf"^resume_ssh_{name}_total (\d+)", text, re.M)
    if m:
        out[name] = int(m.group(1))
print(json.dumps(out))
PY
}

record() { # label round [before.json after.json]: reads one JSON line from stdin, tags it, appends it
    python3 -c '
import json, sys
v = json.loads(sys.stdin.read().strip().splitlines()[-1])
v["label"], v["round"] = sys.argv[1], int(sys.argv[2])
if len(sys.argv) > 4:
    a, b = (json.load(open(f)) for f in sys.argv[3:5])
    d = {k: b[k] - a.get(k, 0) for k in b}
    v["caches"] = d
    for c in ["frame", "layout"]:
        h, m = d.get(f"{c}_cache_hits"), d.get(f"{c}_cache_misses")
        if h is not None and m is not None and h + m > 0:
            v["caches"][f"{c}_hit_rate"] = h / (h + m)
print(json.dumps(v))' "$@" >>"$RESULTS"
}

KEX=(--force-kex curve25519-sha256)

run_lg() { # label round command...: runs loadgen, records its JSON; a failed run is logged, not fatal
    local label=$1 round=$2
    shift 2
    local mport=""
    case "$label" in
        resume-ssh*) mport=$METRICS_RS ;;
        candidate*) mport=$METRICS_CAND ;;
    esac
    if [ -n "$mport" ]; then scrape "$mport" >"$TMP/m0.json"; fi
    if "$@" >"$TMP/out.json" 2>>"$OUT/loadgen.err"; then
        if [ -n "$mport" ]; then
            scrape "$mport" >"$TMP/m1.json"
            record "$label" "$round" "$TMP/m0.json" "$TMP/m1.json" <"$TMP/out.json"
        else
            record "$label" "$round" <"$TMP/out.json"
        fi
    else
        log "$label (round $round): loadgen failed"
        tail -n 5 "$OUT/loadgen.err" >&2
    fi
}

{
    echo "date: $(date -Is)"
    echo "nproc: $(nproc)"
    echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
    echo "kernel: $(uname -r)"
    echo "git: $(git rev-parse --short HEAD 2>/dev/null) $(git status --porcelain 2>/dev/null | grep -c . ) changed files"
    echo "uptime at start: $(uptime)"
    echo "pinning: ${SRV[*]:-none} / ${CLI[*]:-none}"
    echo "resume-ssh binary: $(stat -c '%y' "$ROOT/target/release/resume-ssh")"
    if [ -n "$CAND" ]; then echo "candidate: $CAND ($(stat -c '%y' "$CAND"))"; fi
    if [ "$WISH" = 1 ]; then
        echo "wish peer: $(dpkg-query -W -f='${Package} ${Version}, ' golang-github-charmbracelet-wish-dev \
            golang-github-charmbracelet-bubbletea-dev golang-github-gliderlabs-ssh-dev golang-golang-x-crypto-dev)$(go version 2>/dev/null | cut -d' ' -f3)"
    fi
} >"$OUT/machine.txt"
cat "$OUT/machine.txt" >&2

# --- Handshake: full sessions, servers side by side, interleaved rounds -------------------------
start_bare
start_rs
if [ -n "$CAND" ]; then start_cand; fi
if [ "$WISH" = 1 ]; then start_wish; fi
if [ "$SSHD" = 1 ]; then start_sshd; fi
for r in $(seq 1 "$ROUNDS"); do
    for c in $CONCURRENCY; do
        for w in mixed identical; do
            log "round $r/$ROUNDS: handshake, $w visitors (concurrency $c, ${DURATION}s each)"
            WL=(--workload "$w" --seed "$SEED" --resume "$RESUME" --concurrency "$c" --duration "$DURATION" --json)
            run_lg "bare-$w-c$c" "$r" "${LOADGEN[@]}" handshake --addr "127.0.0.1:$PORT_BARE" --server-pid "$BARE_PID" "${KEX[@]}" "${WL[@]}"
            run_lg "resume-ssh-$w-c$c" "$r" "${LOADGEN[@]}" handshake --addr "127.0.0.1:$PORT_RS" --server-pid "$RS_PID" "${KEX[@]}" "${WL[@]}"
            if [ "$WISH" = 1 ] && [ "$w" = mixed ]; then
                # --until marker, not frame: `frame` waits for as many bytes as resume-ssh's own
                # library draws for this visitor, and the peer's frames are not those bytes (it
                # would stop mid-frame or never). The peer's frame is complete when its last row
                # shows the footer's "q quit"; then q, and the server closes, as for the others.
                run_lg "wish-$w-c$c" "$r" "${LOADGEN[@]}" handshake --addr "127.0.0.1:$PORT_WISH" --server-pid "$WISH_PID" "${KEX[@]}" "${WL[@]}" \
                    --until marker --marker 'q quit'
            fi
            if [ -n "$CAND" ]; then
                run_lg "candidate-$w-c$c" "$r" "${LOADGEN[@]}" handshake --addr "127.0.0.1:$PORT_CAND" --server-pid "$CAND_PID" "${KEX[@]}" "${WL[@]}"
            fi
        done
    done
    if [ "$SSHD" = 1 ]; then
        run_lg sshd "$r" "${LOADGEN[@]}" handshake --addr "127.0.0.1:$PORT_SSHD" --server-pid "$SSHD_PID" "${KEX[@]}" \
            --user resumebench --until close --concurrency 4 --duration "$DURATION" \
            --json
    fi
    log "round $r/$ROUNDS: latency, one session at a time"
    run_lg bare-c1 "$r" "${LOADGEN[@]}" handshake --addr "127.0.0.1:$PORT_BARE" --server-pid "$BARE_PID" "${KEX[@]}" \
        --concurrency 1 --duration 30 --max-sessions "$LAT_SESSIONS" --resume "$RESUME" --json
    run_lg resume-ssh-c1 "$r" "${LOADGEN[@]}" handshake --addr "127.0.0.1:$PORT_RS" --server-pid "$RS_PID" "${KEX[@]}" \
        --concurrency 1 --duration 30 --max-sessions "$LAT_SESSIONS" --resume "$RESUME" --json
    if [ -n "$CAND" ]; then
        run_lg candidate-c1 "$r" "${LOADGEN[@]}" handshake --addr "127.0.0.1:$PORT_CAND" --server-pid "$CAND_PID" "${KEX[@]}" \
            --concurrency 1 --duration 30 --max-sessions "$LAT_SESSIONS" --resume "$RESUME" --json
    fi
    run_lg inproc "$r" "$BIN/loadgen" inproc --resume "$RESUME" "${KEX[@]}" --workload identical --sessions "$LAT_SESSIONS" --json
    run_lg inproc-mixed "$r" "$BIN/loadgen" inproc --resume "$RESUME" "${KEX[@]}" --sessions "$LAT_SESSIONS" --json
    run_lg inproc-default-kex "$r" "$BIN/loadgen" inproc --resume "$RESUME" --workload identical --sessions "$LAT_SESSIONS" --json
    for size in 80x24 200x50 200x60; do
        log "round $r/$ROUNDS: keys at $size"
        KS=(--cols "${size%x*}" --rows "${size#*x}" --first-keys 2 --resume "$RESUME" --sessions "$KEYS_SESSIONS" --json)
        run_lg "resume-ssh-keys-$size" "$r" "${LOADGEN[@]}" keys --addr "127.0.0.1:$PORT_RS" --server-pid "$RS_PID" "${KEX[@]}" "${KS[@]}"
        if [ -n "$CAND" ]; then
            run_lg "candidate-keys-$size" "$r" "${LOADGEN[@]}" keys --addr "127.0.0.1:$PORT_CAND" --server-pid "$CAND_PID" "${KEX[@]}" "${KS[@]}"
        fi
    done
done
if [ -n "$SSHD_PID" ]; then stop_pid "$SSHD_PID"; fi
if [ -n "$WISH_PID" ]; then stop_pid "$WISH_PID"; fi
stop_pid "$BARE_PID"
stop_pid "$RS_PID"
if [ -n "$CAND" ]; then stop_pid "$CAND_PID"; fi

# --- Idle memory: a fresh server per run ----------------------------------------------------------
idle_run() { # which n hold round
    case "$1" in
        bare) start_bare; pid=$BARE_PID; port=$PORT_BARE ;;
        candidate) start_cand; pid=$CAND_PID; port=$PORT_CAND ;;
        *) start_rs; pid=$RS_PID; port=$PORT_RS ;;
    esac
    sleep 0.5
    run_lg "$1-idle-$2" "$4" "${LOADGEN[@]}" idle --addr "127.0.0.1:$port" --server-pid "$pid" "${KEX[@]}" --sessions "$2" \
        --workload identical --resume "$RESUME" --hold "$3" --json
    stop_pid "$pid"
}
for n in $IDLE_NS; do
    for r in $(seq 1 "$ROUNDS"); do
        log "idle N=$n round $r/$ROUNDS"
        idle_run bare "$n" "$HOLD" "$r"
        idle_run resume-ssh "$n" "$HOLD" "$r"
        if [ -n "$CAND" ]; then idle_run candidate "$n" "$HOLD" "$r"; fi
    done
done
if [ "$HOLD_CHECK" -gt 0 ]; then
    log "hold check: $HOLD_CHECK idle sessions"
    idle_run bare "$HOLD_CHECK" "$HOLD" 1
    idle_run resume-ssh "$HOLD_CHECK" "$HOLD" 1
fi

echo "uptime at end: $(uptime)" >>"$OUT/machine.txt"
python3 "$ROOT/bench/summarize.py" "$OUT" | tee "$OUT/summary.md"
log "results in $OUT"
