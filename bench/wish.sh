#!/usr/bin/env bash
# Builds the charmbracelet wish + bubbletea peer (bench/peers/wish/main.go) OFFLINE from Debian
# bookworm's packages, into target/bench-peers/wish-peer, for bench/compare.sh --wish.
#
#   bench/wish.sh             # install the packages if missing (root only), build if out of date
#   bench/wish.sh --check     # ... then start it on loopback and run a few sessions with loadgen
#   bench/wish.sh --print     # ... print the peer's path (for scripts)
#
# Packages: golang-go (Go 1.19), golang-github-charmbracelet-wish-dev (wish 0.1.1),
# golang-github-charmbracelet-bubbletea-dev (bubbletea 0.19.1); they pull lipgloss, muesli/reflow,
# gliderlabs/ssh 0.3.3 and golang.org/x/crypto 0.4.0. Their sources are in /usr/share/gocode/src,
# so the build is GOPATH mode (GO111MODULE=off) with GOPROXY=off and no network at all. It runs
# niced with one compile job at a time (-p 1): this machine may be measuring something else.
#
# --check: starts the peer on 127.0.0.1:${WISH_PORT:-24195} with a fresh host key and the resume
# text from `resume-ssh export plain --width 200` (the peer re-wraps it to each window), runs
# loadgen's mixed workload (many sizes and TERMs) until each frame's last row shows "q quit",
# presses q and waits for the close; fails unless every session succeeded. x/crypto 0.4.0 offers
# curve25519-sha256 (and the @libssh.org alias), so the check, like compare.sh, forces
# curve25519-sha256. Needs target/release/{loadgen,resume-ssh} (cargo build --release).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

CHECK=0
PRINT=0
while [ $# -gt 0 ]; do
    case "$1" in
        --check) CHECK=1 ;;
        --print) PRINT=1 ;;
        -h|--help) sed -n '2,21p' "$0"; exit 0 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
    shift
done

log() { echo "[wish.sh] $*" >&2; }

PKGS=(golang-go golang-github-charmbracelet-wish-dev golang-github-charmbracelet-bubbletea-dev)
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
MISSING=()
for p in "${PKGS[@]}"; do installed "$p" || MISSING+=("$p"); done
if [ "${#MISSING[@]}" -gt 0 ]; then
    if [ "$(id -u)" != 0 ]; then
        log "missing packages: ${MISSING[*]} (run as root, or: apt-get install ${MISSING[*]})"
        exit 1
    fi
    log "installing ${MISSING[*]}"
    (DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${MISSING[@]}" \
        || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${MISSING[@]}"; }) >&2
fi

OUTDIR=$ROOT/target/bench-peers
PEER=$OUTDIR/wish-peer
SRC=$ROOT/bench/peers/wish/main.go
mkdir -p "$OUTDIR"

# Out of date if the source, this script or any of the packages is newer than the binary.
stale() {
    [ -x "$PEER" ] || return 0
    [ "$SRC" -nt "$PEER" ] && return 0
    [ "$0" -nt "$PEER" ] && return 0
    local p
    for p in "${PKGS[@]}" golang-github-gliderlabs-ssh-dev golang-golang-x-crypto-dev; do
        for f in /var/lib/dpkg/info/"$p".list /var/lib/dpkg/info/"$p":*.list; do
            [ -e "$f" ] && [ "$f" -nt "$PEER" ] && return 0
        done
    done
    return 1
}

if stale; then
    log "building $PEER ($(go version))"
    mkdir -p "$OUTDIR/gopath" "$OUTDIR/gocache"
    # The binary goes to a temporary name first: a running compare.sh may be using the old one.
    env GO111MODULE=off GOPATH="$OUTDIR/gopath:/usr/share/gocode" GOFLAGS= GOPROXY=off \
        GOCACHE="$OUTDIR/gocache" CGO_ENABLED=0 \
        nice -n 10 go build -p 1 -trimpath -o "$PEER.tmp" ./bench/peers/wish
    mv -f "$PEER.tmp" "$PEER"
else
    log "$PEER is up to date"
fi
if [ "$PRINT" = 1 ]; then echo "$PEER"; fi
[ "$CHECK" = 1 ] || exit 0

# --- --check ----------------------------------------------------------------------------------------
BIN=${BIN:-$ROOT/target/release}
PORT=${WISH_PORT:-24195}
TMP=$(mktemp -d /tmp/wish-check.XXXXXX)
PID=""
cleanup() {
    if [ -n "$PID" ]; then
        kill -TERM "$PID" 2>/dev/null || true
        for _ in $(seq 1 50); do kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$PID" 2>/dev/null || true
    fi
    rm -rf "$TMP"
}
trap cleanup EXIT

"$BIN/resume-ssh" export plain --width 200 --resume "$ROOT/resume.toml" >"$TMP/resume.txt"
mkdir -p "$TMP/keys"
"$PEER" --listen "127.0.0.1:$PORT" --host-key "$TMP/keys/wish_host_ed25519" --resume-text "$TMP/resume.txt" \
    >"$TMP/peer.log" 2>&1 &
PID=$!
for i in $(seq 1 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break
    kill -0 "$PID" 2>/dev/null || { cat "$TMP/peer.log" >&2; exit 1; }
    [ "$i" = 100 ] && { log "the peer did not listen on $PORT"; cat "$TMP/peer.log" >&2; exit 1; }
    sleep 0.1
done

A=(--addr "127.0.0.1:$PORT" --force-kex curve25519-sha256 --until marker --marker 'q quit')
# One frame, kept for a look (100x30, xterm-256color).
"$BIN/loadgen" capture "${A[@]}" --out "$TMP/frame.bin" 2>>"$TMP/loadgen.err"
"$BIN/loadgen" handshake "${A[@]}" --server-pid "$PID" --workload mixed --seed 1 --resume "$ROOT/resume.toml" \
    --concurrency 2 --warmup 2 --max-sessions 20 --duration 10 --json >"$TMP/handshake.json" 2>>"$TMP/loadgen.err" \
    || { log "loadgen failed"; cat "$TMP/loadgen.err" >&2; tail -n 20 "$TMP/peer.log" >&2; exit 1; }

python3 - "$TMP" <<'PY'
import json, sys
d = sys.argv[1]
h = json.load(open(f"{d}/handshake.json"))
frame = open(f"{d}/frame.bin", "rb").read()
print(f"frame (100x30): {len(frame)} bytes, ends with 'q quit' row: {b'q quit' in frame}")
keys = ["sessions", "errors", "first_errors", "sessions_per_s", "server_cpu_ms_per_session", "latency_ms", "first_frame_bytes"]
print(json.dumps({k: h.get(k) for k in keys}, indent=1))
ok = h.get("errors") == 0 and (h.get("sessions") or 0) > 0 and b"q quit" in frame
print("wish peer check:", "ok" if ok else "FAILED")
sys.exit(0 if ok else 1)
PY
