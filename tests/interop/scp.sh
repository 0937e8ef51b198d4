#!/usr/bin/env bash
# Files over SSH with real clients against a resume-ssh binary on a loopback port:
#
#   tests/interop/scp.sh [--bin PATH]
#
# OpenSSH `scp` (SFTP mode and the legacy protocol, -O), `sftp -b` (ls, get), PuTTY `pscp -scp`,
# `pscp -sftp` and `psftp -b` each fetch the six files, byte-identical (cmp) to what the matching
# exec commands print (`ssh HOST pdf`, `json`, ...); each client's upload is refused with the
# read-only message (the SFTP clients, OpenSSH's and PuTTY's, show only "Permission denied": they
# print the status code, not the server's text); and 1,000 junk SFTP packets on one connection (paramiko) close
# that channel, leave the server serving others, and log the refusal once.
#
# Environment: RESUME_SSH_BIN (default target/release/resume-ssh), INTEROP_PYTHON (a python with
# paramiko; default .venv/bin/python). Only 127.0.0.1 is contacted; every client runs under a
# timeout. Exits 0 when every check passed.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
# shellcheck source=tests/interop/lib.sh
source "$here/lib.sh"

BIN="${RESUME_SSH_BIN:-$root/target/release/resume-ssh}"
PY="${INTEROP_PYTHON:-$root/.venv/bin/python}"
while (($#)); do
    case "$1" in
    --bin)
        BIN="$2"
        shift 2
        ;;
    -h | --help)
        sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'
        exit 0
        ;;
    *)
        echo "unknown argument: $1" >&2
        exit 2
        ;;
    esac
done
[[ "$BIN" = /* ]] || BIN="$PWD/$BIN"
[[ -x "$BIN" ]] || {
    echo "error: $BIN is not an executable (cargo build --release first)" >&2
    exit 2
}

work="$(mktemp -d "${TMPDIR:-/tmp}/resume-scp.XXXXXX")"
mkdir -p "$work/home" "$work/want"
cleanup() {
    stop_server
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

start_server "$BIN" "$work"
PORT="$SERVER_PORT"
SSH_OPTS=(-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o BatchMode=yes -o LogLevel=ERROR)
PUTTY_OPTS=(-batch -P "$PORT" -hostkey "$SERVER_FP" -l anyone)
NAMES=(resume.pdf resume-letter.pdf resume.json resume.vcf resume.md resume.txt)
declare -A CMD=([resume.pdf]="pdf" [resume-letter.pdf]="pdf --paper letter" [resume.json]="json"
    [resume.vcf]="vcard" [resume.md]="md" [resume.txt]="plain")

passed=0 failed=0
# check NAME FUNCTION ARGS...: PASS if FUNCTION returns 0; its output is shown only on failure.
check() {
    local name=$1 out rc=0
    shift
    out="$("$@" 2>&1)" || rc=$?
    if ((rc == 0)); then
        echo "PASS  $name"
        passed=$((passed + 1))
    else
        echo "FAIL  $name"
        tail -n 30 <<<"$out" | sed 's/^/      | /'
        failed=$((failed + 1))
    fi
}

# The reference: each command's output through OpenSSH's exec.
want() {
    local n
    for n in "${NAMES[@]}"; do
        # shellcheck disable=SC2086 # the command is words
        timeout 20 ssh "${SSH_OPTS[@]}" -T -p "$PORT" anyone@127.0.0.1 ${CMD[$n]} </dev/null >"$work/want/$n"
        [[ -s "$work/want/$n" ]] || {
            echo "ssh HOST ${CMD[$n]}: empty"
            return 1
        }
    done
    head -c 5 "$work/want/resume.pdf" | grep -q '%PDF-' || {
        echo "ssh HOST pdf is no PDF"
        return 1
    }
}

# same DIR: every file in DIR is byte-identical to the reference.
same() {
    local dir=$1 n ok=0
    for n in "${NAMES[@]}"; do
        if [[ ! -f "$dir/$n" ]]; then
            echo "$n: not fetched"
            ok=1
        elif ! cmp "$work/want/$n" "$dir/$n"; then
            echo "$n: $(wc -c <"$dir/$n") bytes, want $(wc -c <"$work/want/$n")"
            ok=1
        fi
    done
    return $ok
}

fresh() {
    rm -rf "$work/got/$1"
    mkdir -p "$work/got/$1"
    echo "$work/got/$1"
}

scp_get() { # scp_get [-O]: every file with one scp per file
    local dir n
    dir="$(fresh "scp$*")"
    for n in "${NAMES[@]}"; do
        timeout 30 scp -q "$@" "${SSH_OPTS[@]}" -P "$PORT" "anyone@127.0.0.1:$n" "$dir/" </dev/null
    done
    same "$dir"
}

scp_paths() { # scp -O with paths to the files: the C lines name the files themselves
    local dir n
    dir="$(fresh scp-paths)"
    timeout 30 scp -q -O "${SSH_OPTS[@]}" -P "$PORT" anyone@127.0.0.1:./resume.json "$dir/" </dev/null
    timeout 30 scp -q -O "${SSH_OPTS[@]}" -P "$PORT" anyone@127.0.0.1:/resume.md "$dir/" </dev/null
    for n in resume.json resume.md; do cmp "$work/want/$n" "$dir/$n"; done
}

sftp_batch() {
    local dir n out
    dir="$(fresh sftp)"
    {
        echo "ls -l"
        for n in "${NAMES[@]}"; do echo "get $n"; done
    } >"$work/sftp.batch"
    out="$(cd "$dir" && timeout 30 sftp "${SSH_OPTS[@]}" -P "$PORT" -b "$work/sftp.batch" anyone@127.0.0.1 </dev/null)"
    echo "$out"
    for n in "${NAMES[@]}"; do
        grep -Eq "^-r--r--r-- .* $(wc -c <"$work/want/$n") .* $n\$" <<<"$out" || {
            echo "ls -l: no line for $n with its size"
            return 1
        }
    done
    same "$dir"
}

pscp_get() { # pscp_get -scp|-sftp
    local dir n
    dir="$(fresh "pscp$1")"
    for n in "${NAMES[@]}"; do
        HOME="$work/home" timeout 30 pscp -q "$1" "${PUTTY_OPTS[@]}" "127.0.0.1:$n" "$dir/" </dev/null
    done
    same "$dir"
}

psftp_batch() {
    local dir n
    dir="$(fresh psftp)"
    {
        echo "ls"
        for n in "${NAMES[@]}"; do echo "get $n"; done
    } >"$work/psftp.batch"
    (cd "$dir" && HOME="$work/home" timeout 30 psftp "${PUTTY_OPTS[@]}" -b "$work/psftp.batch" 127.0.0.1 </dev/null)
    same "$dir"
}

# refused WANT COMMAND...: COMMAND fails, and what it said contains WANT.
refused() {
    local want=$1 out rc=0
    shift
    out="$("$@" 2>&1 </dev/null)" || rc=$?
    echo "$out"
    ((rc != 0)) || {
        echo "exit status 0: the upload was not refused"
        return 1
    }
    grep -qF "$want" <<<"$out" || {
        echo "no '$want' in what the client said"
        return 1
    }
}

echo "upload me" >"$work/up.txt"
printf 'put %s\n' "$work/up.txt" >"$work/put.batch"

# 1,000 junk SFTP packets on one connection, with paramiko: the server closes that channel
# (after answering at most its cap), and the connection and the server go on.
junk_flood() {
    timeout 60 "$PY" - "$PORT" <<'EOF'
import socket, struct, sys, time
import paramiko

port = int(sys.argv[1])
t = paramiko.Transport(socket.create_connection(("127.0.0.1", port), timeout=10))
t.start_client(timeout=10)
t.auth_none("junk")
ch = t.open_session(timeout=10)
ch.invoke_subsystem("sftp")
junk = b"".join(struct.pack(">IB", 9, 0xEE) + struct.pack(">I", i) + b"junk" for i in range(1000))
try:
    ch.sendall(junk)
except OSError:
    pass
got = b""
deadline = time.time() + 20
ch.settimeout(1)
while time.time() < deadline and not ch.closed:
    try:
        d = ch.recv(65536)
    except socket.timeout:
        continue
    if not d:
        break
    got += d
replies, at = 0, 0
while at + 4 <= len(got):
    replies += 1
    at += 4 + struct.unpack(">I", got[at:at + 4])[0]
deadline = time.time() + 10
while not ch.closed and time.time() < deadline:
    time.sleep(0.05)
print(f"{replies} replies to 1000 junk packets; channel closed: {ch.closed}")
assert ch.closed, "the junk channel is still open"
assert replies < 1000, "every junk packet was answered"
# The same connection still serves: an SFTP session on a new channel.
sftp = paramiko.SFTPClient.from_transport(t)
names = sorted(sftp.listdir("."))
print(names)
assert "resume.pdf" in names, names
t.close()
EOF
    timeout 20 ssh "${SSH_OPTS[@]}" -T -p "$PORT" anyone@127.0.0.1 json </dev/null | cmp - "$work/want/resume.json"
    local lines
    lines="$(grep -c 'sftp: too many requests' "$SERVER_LOG" || true)"
    [[ "$lines" == 1 ]] || {
        echo "$lines log lines about the refusal, want 1:"
        cat "$SERVER_LOG"
        return 1
    }
}

check "reference: ssh HOST pdf|json|vcard|md|plain" want
check "OpenSSH scp (SFTP): six files byte-identical" scp_get
check "OpenSSH scp -O (legacy scp): six files byte-identical" scp_get -O
check "OpenSSH scp -O: ./resume.json and /resume.md" scp_paths
check "OpenSSH sftp -b: ls -l with sizes, get six files" sftp_batch
check "PuTTY pscp -scp: six files byte-identical" pscp_get -scp
check "PuTTY pscp -sftp: six files byte-identical" pscp_get -sftp
check "PuTTY psftp -b: ls, get six files" psftp_batch
check "OpenSSH scp (SFTP): upload refused" refused "Permission denied" \
    timeout 30 scp -q "${SSH_OPTS[@]}" -P "$PORT" "$work/up.txt" anyone@127.0.0.1:up.txt
check "OpenSSH scp -O: upload refused with the message" refused "read-only: uploads are refused; available: resume.pdf" \
    timeout 30 scp -q -O "${SSH_OPTS[@]}" -P "$PORT" "$work/up.txt" anyone@127.0.0.1:up.txt
check "OpenSSH sftp -b: put refused" refused "Permission denied" \
    timeout 30 sftp "${SSH_OPTS[@]}" -P "$PORT" -b "$work/put.batch" anyone@127.0.0.1
check "PuTTY pscp -scp: upload refused with the message" refused "read-only: uploads are refused" \
    env HOME="$work/home" timeout 30 pscp -q -scp "${PUTTY_OPTS[@]}" "$work/up.txt" 127.0.0.1:up.txt
check "PuTTY psftp: put refused" refused "permission denied" \
    env HOME="$work/home" timeout 30 psftp "${PUTTY_OPTS[@]}" -b "$work/put.batch" 127.0.0.1
check "OpenSSH scp -O: unknown name" refused "no such file; available: resume.pdf, resume-letter.pdf, resume.json, resume.vcf, resume.md, resume.txt" \
    timeout 30 scp -q -O "${SSH_OPTS[@]}" -P "$PORT" anyone@127.0.0.1:resume.doc "$work/"
check "1,000 junk SFTP packets (paramiko): channel closed, server serving, refusal logged once" junk_flood

echo "files over SSH: $passed passed, $failed failed"
((failed == 0))
