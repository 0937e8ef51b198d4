#!/usr/bin/env bash
# Interop suite: real SSH clients against a resume-ssh binary on a loopback port.
#
#   tests/interop/run.sh [--bin PATH]
#
# Clients: OpenSSH ssh, PuTTY plink, Dropbear dbclient (each also under tmux for the PTY checks),
# paramiko and asyncssh (tests/interop/clients.py, screen kept with pyte). For each: anonymous
# login with no prompt, the no-PTY exports (plain, json, no command) and a PTY session (first
# frame, Right, q -> exit 0, terminal restored). OpenSSH in tmux also gets 80x24 and 200x60 first
# frames, a resize, the help overlay, mouse wheel and click, and a clean primary screen after q.
# OpenSSH and plink in tmux: title, OSC 52 copy, mouse toggle, QR code, no stray sequence text
# (tests/interop/terminal.sh).
#
# Writes target/interop-matrix.md (printed at the end) and target/interop-results.txt (one
# PASS/FAIL/SKIP line per check). Exits 0 when nothing failed.
#
# Environment:
#   RESUME_SSH_BIN       the server binary (default: target/release/resume-ssh)
#   INTEROP_PYTHON       a python with paramiko, asyncssh, pyte (default: .venv/bin/python)
#   INTEROP_REQUIRE_ALL  1: a missing client is a failure, not a skip (.ci/run sets it)
#
# Only 127.0.0.1 is contacted; every client runs under a timeout.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
# shellcheck source=tests/interop/lib.sh
source "$here/lib.sh"
# shellcheck source=tests/interop/terminal.sh
source "$here/terminal.sh"

BIN="${RESUME_SSH_BIN:-$root/target/release/resume-ssh}"
PY="${INTEROP_PYTHON:-$root/.venv/bin/python}"
REQUIRE_ALL="${INTEROP_REQUIRE_ALL:-0}"
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
# The screen checks need only the standard library: any python3 does.
PY_STD="$PY"
[[ -x "$PY_STD" ]] || PY_STD=python3
[[ -x "$BIN" ]] || {
    echo "error: $BIN is not an executable (cargo build --release first)" >&2
    exit 2
}

NAME="Arunav Malhotra"
LAST_LINE="Or reach out directly at arunavmalhotra1998@gmail.com"
MATRIX="$root/target/interop-matrix.md"
RESULTS="$root/target/interop-results.txt"
mkdir -p "$root/target"
: >"$RESULTS"

# UTF-8 for tmux and for the box-drawing characters in its captures.
export LC_ALL=C.UTF-8
# No __pycache__ next to clients.py in the checkout.
export PYTHONDONTWRITEBYTECODE=1
unset LANG LANGUAGE

work="$(mktemp -d "${TMPDIR:-/tmp}/resume-interop.XXXXXX")"
mkdir -p "$work/home"
# tmux keeps its sockets under $TMUX_TMPDIR: inside $work, so they go with it.
export TMUX_TMPDIR="$work"
TMUX_SOCK="resume-interop-0"
cleanup() {
    tmux -L "$TMUX_SOCK" kill-server 2>/dev/null || true
    stop_server
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ----------------------------------------------------------------------------------------------
# bookkeeping

CLIENTS=(openssh plink dropbear paramiko asyncssh)
declare -A LABEL=([openssh]="OpenSSH \`ssh\`" [plink]="PuTTY \`plink\`" [dropbear]="Dropbear \`dbclient\`"
    [paramiko]="paramiko" [asyncssh]="asyncssh")
declare -A VERSION STATE FAILED
passed=0 failed=0 skipped=0

# record CLIENT AREA NAME STATUS [DETAIL]; AREA is pty or nopty, STATUS PASS, FAIL or SKIP.
record() {
    local c=$1 area=$2 name=$3 status=$4 detail=${5:-}
    printf '%-4s  %-9s %-5s %s\n' "$status" "$c" "$area" "$name" | tee -a "$RESULTS"
    case $status in
    PASS)
        passed=$((passed + 1))
        [[ -n "${STATE[$c.$area]:-}" ]] || STATE[$c.$area]=pass
        ;;
    FAIL)
        failed=$((failed + 1))
        STATE[$c.$area]=fail
        FAILED[$c.$area]="${FAILED[$c.$area]:-}${FAILED[$c.$area]:+; }$name"
        [[ -z "$detail" ]] || tail -n 40 <<<"$detail" | sed 's/^/      | /' | tee -a "$RESULTS"
        ;;
    SKIP)
        skipped=$((skipped + 1))
        STATE[$c.$area]=skip
        [[ -z "$detail" ]] || echo "      | $detail" | tee -a "$RESULTS"
        ;;
    esac
}

# check CLIENT AREA NAME FUNCTION ARGS...: runs FUNCTION, PASS if it returns 0. Its output is
# shown only on failure.
check() {
    local c=$1 area=$2 name=$3
    shift 3
    local out rc=0
    out="$("$@" 2>&1)" || rc=$?
    if ((rc == 0)); then
        record "$c" "$area" "$name" PASS
        LAST_OK=1
    else
        record "$c" "$area" "$name" FAIL "$out"
        LAST_OK=0
    fi
}
LAST_OK=1

# ----------------------------------------------------------------------------------------------
# the clients, no PTY

SSH_OPTS=()
# exec_cmd CLIENT [CMD]: the client's stdout on ours, its exit status = the remote one.
exec_cmd() {
    local c=$1
    shift
    case $c in
    openssh)
        timeout 20 ssh "${SSH_OPTS[@]}" -T -p "$SERVER_PORT" anyone@127.0.0.1 "$@" </dev/null
        ;;
    plink)
        HOME="$work/home" timeout 20 plink -ssh -batch -P "$SERVER_PORT" -l anyone \
            -hostkey "$SERVER_FP" -T 127.0.0.1 "$@" </dev/null
        ;;
    dropbear)
        HOME="$work/home" timeout 20 dbclient -y -y -T -p "$SERVER_PORT" anyone@127.0.0.1 "$@" </dev/null
        ;;
    paramiko | asyncssh)
        timeout 30 "$PY" "$here/clients.py" exec --port "$SERVER_PORT" \
            --fingerprint "$SERVER_FP" "$c" -- "$@" </dev/null
        ;;
    esac
}

# The whole resume: the name, the experience, and the last line of the contact section; and
# byte for byte what `resume-ssh export plain` prints.
check_plain() {
    local c=$1 rc=0
    shift
    exec_cmd "$c" "$@" >"$work/$c.plain" || rc=$?
    ((rc == 0)) || {
        echo "exit status $rc"
        return 1
    }
    local f="$work/$c.plain" ok=0
    grep -qF "$NAME" "$f" || { echo "no '$NAME'"; ok=1; }
    grep -qF "Key Achievements" "$f" || { echo "no 'Key Achievements'"; ok=1; }
    local last
    last="$(grep -v '^[[:space:]]*$' "$f" | tail -n 1 | tr -d '\r')"
    [[ "$last" == "$LAST_LINE" ]] || { echo "last line is '$last', expected '$LAST_LINE'"; ok=1; }
    cmp -s "$f" "$work/export.plain" || {
        echo "differs from 'resume-ssh export plain' ($(wc -c <"$f") vs $(wc -c <"$work/export.plain") bytes)"
        ok=1
    }
    return $ok
}

check_json() {
    local c=$1 rc=0 name
    exec_cmd "$c" json >"$work/$c.json" || rc=$?
    ((rc == 0)) || {
        echo "exit status $rc"
        return 1
    }
    name="$(jq -r .basics.name "$work/$c.json")" || {
        echo "not JSON: $(head -c 300 "$work/$c.json")"
        return 1
    }
    [[ "$name" == "$NAME" ]] || {
        echo ".basics.name is '$name'"
        return 1
    }
}

check_vcard() {
    local out
    out="$(exec_cmd openssh vcard)" || return 1
    grep -q '^BEGIN:VCARD' <<<"$out" && grep -q '^END:VCARD' <<<"$out" && grep -qF "$NAME" <<<"$out"
}

# `pdf`: byte for byte what `resume-ssh export pdf` writes, and a PDF qpdf accepts.
check_pdf() {
    local c=$1 rc=0
    exec_cmd "$c" pdf >"$work/$c.pdf" || rc=$?
    ((rc == 0)) || { echo "exit status $rc"; return 1; }
    cmp -s "$work/$c.pdf" "$work/export.pdf" || {
        echo "differs from 'resume-ssh export pdf' ($(wc -c <"$work/$c.pdf") vs $(wc -c <"$work/export.pdf") bytes)"
        return 1
    }
    if have qpdf; then qpdf --check "$work/$c.pdf" >/dev/null || { echo "qpdf --check failed"; return 1; }; fi
}

# `ssh -tt HOST pdf`: no binary on the terminal, a one-line hint on stderr, exit status 2.
check_pdf_pty() {
    local rc=0
    timeout 20 ssh "${SSH_OPTS[@]}" -tt -p "$SERVER_PORT" anyone@127.0.0.1 pdf \
        </dev/null >"$work/pty-pdf.out" 2>"$work/pty-pdf.err" || rc=$?
    ((rc == 2)) || { echo "exit status $rc, expected 2"; return 1; }
    ! grep -q '%PDF' "$work/pty-pdf.out" || { echo "PDF bytes sent to the terminal"; return 1; }
    grep -qF 'ssh <this host> pdf > resume.pdf' "$work/pty-pdf.err" "$work/pty-pdf.out" || { echo "no hint"; return 1; }
}

check_section() {
    local out
    out="$(exec_cmd openssh experience)" || return 1
    grep -qF "Key Achievements" <<<"$out" || {
        echo "no 'Key Achievements'"
        return 1
    }
}

check_unknown() {
    local rc=0 err
    exec_cmd openssh no-such-command >/dev/null 2>"$work/unknown.err" || rc=$?
    err="$(cat "$work/unknown.err")"
    ((rc != 0 && rc != 255)) || {
        echo "exit status $rc, expected a non-zero status from the server"
        return 1
    }
    grep -qi "unknown command" <<<"$err" || {
        echo "stderr: $err"
        return 1
    }
}

check_hostkey() {
    local fp
    fp="$(timeout 20 ssh-keyscan -t ed25519 -p "$SERVER_PORT" 127.0.0.1 2>/dev/null | tee "$work/known_hosts" |
        ssh-keygen -lf - | awk '{print $2}')"
    [[ "$fp" == "$SERVER_FP" ]] || {
        echo "ssh-keyscan: '$fp', server's startup line: '$SERVER_FP'"
        return 1
    }
}

# ----------------------------------------------------------------------------------------------
# PTY under tmux

# No status line: the pane is the whole window, so the client sees exactly COLSxROWS.
printf 'set -g status off\n' >"$work/tmux.conf"
tm() { tmux -u -L "$TMUX_SOCK" -f "$work/tmux.conf" "$@"; }
pane() { tm capture-pane -p -t t; }
flag() { tm display-message -p -t t "#{$1}"; }

# wait_pane TEXT [SECONDS]: until the pane shows TEXT.
wait_pane() {
    local deadline=$((SECONDS + ${2:-15}))
    while ((SECONDS < deadline)); do
        pane | grep -qF -- "$1" && return 0
        sleep 0.2
    done
    echo "the pane did not show '$1' within ${2:-15} s:"
    pane
    return 1
}

# wait_gone TEXT [SECONDS]
wait_gone() {
    local deadline=$((SECONDS + ${2:-15}))
    while ((SECONDS < deadline)); do
        pane | grep -qF -- "$1" || return 0
        sleep 0.2
    done
    echo "the pane still shows '$1' after ${2:-15} s:"
    pane
    return 1
}

# wait_layout COLS ROWS: until the pane holds a whole frame of that size.
wait_layout() {
    local deadline=$((SECONDS + 15)) why
    while ((SECONDS < deadline)); do
        why="$(pane | "$PY_STD" "$here/clients.py" layout --cols "$1" --rows "$2")" && return 0
        sleep 0.2
    done
    echo "no whole ${1}x${2} frame: $why"
    pane
    return 1
}

# tmux_start COLS ROWS COMMAND: a fresh tmux server running COMMAND, then "[exit N]". Each on a
# socket of its own: a new session on the socket of a server still shutting down fails.
tmux_sessions=0
tmux_start() {
    tm kill-server 2>/dev/null || true
    tmux_sessions=$((tmux_sessions + 1))
    TMUX_SOCK="resume-interop-$tmux_sessions"
    # `timeout --foreground`: a plain timeout puts the client in its own process group, which
    # the terminal then stops (SIGTTIN) when the client reads its keys.
    tm new-session -d -s t -x "$1" -y "$2" \
        "cd '$work' && HOME='$work/home' timeout --foreground 120 $3; echo [exit \$?]; sleep 120" ||
        echo "tmux new-session failed (the next check fails with it)" >&2
}

tmux_first_frame() {
    wait_pane "$NAME" 20 || return 1
    [[ "$(flag alternate_on)" == 1 ]] || {
        echo "not on the alternate screen"
        return 1
    }
}

tmux_right() {
    tm send-keys -t t Right
    wait_pane "Key Achievements"
}

# q: exit status 0, and the terminal as it was: primary screen with nothing of the UI on it,
# cursor shown, mouse reporting off.
tmux_quit() {
    tm send-keys -t t q
    wait_pane "[exit 0]" || return 1
    local p ok=0
    p="$(pane)"
    grep -qF "$NAME" <<<"$p" && { echo "UI text left on the screen"; ok=1; }
    grep -q '[╭╰│]' <<<"$p" && { echo "box drawing left on the screen"; ok=1; }
    [[ "$(flag alternate_on)" == 0 ]] || { echo "still on the alternate screen"; ok=1; }
    [[ "$(flag cursor_flag)" == 1 ]] || { echo "cursor still hidden"; ok=1; }
    [[ "$(flag mouse_any_flag)" == 0 ]] || { echo "mouse reporting still on"; ok=1; }
    ((ok == 0)) || pane
    return $ok
}

# The basic PTY scenario for one client command.
pty_basic() {
    local c=$1 cmd=$2
    tmux_start 100 30 "$cmd"
    check "$c" pty "PTY (tmux 100x30): first frame on the alternate screen" tmux_first_frame
    if ((LAST_OK)); then
        check "$c" pty "PTY: Right -> Experience" tmux_right
        check "$c" pty "PTY: q -> [exit 0], terminal restored" tmux_quit
    fi
    tm kill-server 2>/dev/null || true
}

# ------ OpenSSH in tmux: sizes, resize, help, mouse

mouse_wheel() {
    local before after
    before="$(pane | grep -o '[0-9]*–[0-9]* of [0-9]*' | tail -n 1)"
    [[ -n "$before" ]] || {
        echo "no 'A–B of N' scroll position in the frame"
        pane
        return 1
    }
    # SGR mouse: ESC [ < 65 ; 10 ; 10 M = wheel down at column 10, row 10.
    tm send-keys -t t -H 1b 5b 3c 36 35 3b 31 30 3b 31 30 4d
    local deadline=$((SECONDS + 10))
    while ((SECONDS < deadline)); do
        after="$(pane | grep -o '[0-9]*–[0-9]* of [0-9]*' | tail -n 1)"
        [[ "$after" != "$before" && "${after%%–*}" -gt "${before%%–*}" ]] && return 0
        sleep 0.2
    done
    echo "wheel down: scroll position '$before' -> '$after'"
    pane
    return 1
}

# hexbytes STRING: its bytes as hex words, for `tmux send-keys -H`.
hexbytes() { printf '%s' "$1" | od -An -tx1 | tr -s ' \n' ' '; }

mouse_click_skills() {
    # Find "Skills" in the tab row and click it (SGR press + release, 1-based coordinates).
    local row col line
    row="$(pane | grep -n '5 Skills' | head -n 1 | cut -d: -f1)"
    [[ -n "$row" ]] || {
        echo "no '5 Skills' tab"
        pane
        return 1
    }
    line="$(pane | sed -n "${row}p")"
    col="$("$PY_STD" -c 'import sys; print(sys.argv[1].index("Skills") + 1)' "$line")"
    # shellcheck disable=SC2046 # one argument per byte
    tm send-keys -t t -H $(hexbytes $'\e[<0;'"$col;$row"'M') $(hexbytes $'\e[<0;'"$col;$row"'m')
    wait_pane "╭ Skills"
}

modes_on() {
    local alt mouse
    alt="$(flag alternate_on)" mouse="$(flag mouse_sgr_flag)"
    [[ "$alt" == 1 && "$mouse" == 1 ]] || {
        echo "alternate_on=$alt mouse_sgr_flag=$mouse"
        return 1
    }
}

help_overlay() {
    tm send-keys -t t '?'
    wait_pane "switch section" || return 1
    tm send-keys -t t '?'
    wait_gone "switch section"
}

# `/Kafka` Enter: the first match (Case Studies), drawn in reverse video; n: the second (Skills);
# Esc closes the search line; 1 goes back to About for the steps after.
search_kafka() {
    tm send-keys -t t /
    wait_pane "type to search" || return 1
    tm send-keys -t t -l Kafka
    tm send-keys -t t Enter
    wait_pane "1 of 2" || return 1
    wait_pane "╭ Case Studies" || return 1
    tm capture-pane -p -e -t t | grep -qE $'\e\\[([0-9];)*7m(\e\\[[0-9;]*m)*Kafka' || {
        echo "no reverse-video Kafka on the screen"
        return 1
    }
    tm send-keys -t t n
    wait_pane "2 of 2" || return 1
    wait_pane "╭ Skills" || return 1
    tm send-keys -t t Escape
    wait_gone "2 of 2" || return 1
    tm send-keys -t t 1
    wait_pane "╭ About"
}

openssh_tmux() {
    local cmd="env TERM=xterm-256color ssh ${SSH_OPTS[*]} -tt -p $SERVER_PORT anyone@127.0.0.1"

    tmux_start 200 60 "$cmd"
    check openssh pty "tmux 200x60: whole first frame" wait_layout 200 60
    ((LAST_OK == 0)) || check openssh pty "tmux 200x60: q -> [exit 0], terminal restored" tmux_quit

    tmux_start 80 24 "$cmd"
    check openssh pty "tmux 80x24: whole first frame" wait_layout 80 24
    if ((LAST_OK == 0)); then
        tm kill-server 2>/dev/null || true
        return 0
    fi
    check openssh pty "tmux 80x24: on the alternate screen, mouse reporting on" modes_on
    tm resize-window -t t -x 200 -y 60
    check openssh pty "resize 80x24 -> 200x60: re-laid out" wait_layout 200 60
    tm resize-window -t t -x 80 -y 24
    check openssh pty "resize 200x60 -> 80x24: re-laid out" wait_layout 80 24
    check openssh pty "? opens and closes Help" help_overlay
    check openssh pty "/Kafka Enter, n: matches in two sections, highlighted; Esc closes" search_kafka
    check openssh pty "Right -> Experience" tmux_right
    check openssh pty "mouse wheel down scrolls" mouse_wheel
    check openssh pty "mouse click on the Skills tab opens it" mouse_click_skills
    check openssh pty "q -> [exit 0], primary screen restored, no UI left" tmux_quit
    tm kill-server 2>/dev/null || true
}

# ----------------------------------------------------------------------------------------------
# versions

have() { command -v "$1" >/dev/null 2>&1; }
python_ok() { [[ -x "$PY" ]] && "$PY" -c 'import paramiko, asyncssh, pyte' 2>/dev/null; }

if have ssh; then VERSION[openssh]="$(ssh -V 2>&1 | cut -d, -f1)"; fi
if have plink; then VERSION[plink]="$(plink -V 2>/dev/null | sed -n 's/^plink: //p' | head -n 1)"; fi
if have dbclient; then VERSION[dropbear]="$(dbclient -V 2>&1 | head -n 1)"; fi
if have dpkg-query && have dbclient; then
    deb="$(dpkg-query -W -f '${Version}' dropbear-bin 2>/dev/null || true)"
    [[ -z "$deb" ]] || VERSION[dropbear]="${VERSION[dropbear]} (deb $deb)"
fi
if python_ok; then
    pyv="$("$PY" "$here/clients.py" versions)"
    VERSION[paramiko]="paramiko $(jq -r .paramiko <<<"$pyv") (pyte $(jq -r .pyte <<<"$pyv"))"
    VERSION[asyncssh]="asyncssh $(jq -r .asyncssh <<<"$pyv") (pyte $(jq -r .pyte <<<"$pyv"))"
fi
TMUX_VERSION="$(have tmux && tmux -V || echo 'no tmux')"

# ----------------------------------------------------------------------------------------------
# run

start_server "$BIN" "$work"
echo "server: $("$BIN" --version) on $SERVER_ADDR, host key $SERVER_FP"
"$BIN" export plain --resume "$work/resume.toml" >"$work/export.plain"
"$BIN" export pdf --resume "$work/resume.toml" >"$work/export.pdf"
SSH_OPTS=(-F /dev/null -o BatchMode=yes -o StrictHostKeyChecking=yes
    -o UserKnownHostsFile="$work/known_hosts" -o GlobalKnownHostsFile=/dev/null
    -o LogLevel=ERROR -o ConnectTimeout=10)

missing() { # CLIENT WHAT
    local c=$1
    if [[ "$REQUIRE_ALL" == 1 ]]; then
        record "$c" nopty "client available" FAIL "$2 not installed"
        record "$c" pty "client available" FAIL "$2 not installed"
    else
        record "$c" nopty "client available" SKIP "$2 not installed"
        record "$c" pty "client available" SKIP "$2 not installed"
    fi
}

have_tmux=1
have tmux || have_tmux=0

for c in "${CLIENTS[@]}"; do
    echo "== ${LABEL[$c]//\`/}: ${VERSION[$c]:-not installed}"
    case $c in
    openssh) if ! have ssh || ! have ssh-keyscan; then
        missing "$c" "ssh, ssh-keyscan (openssh-client)"
        continue
    fi ;;
    plink) have plink || {
        missing "$c" "plink (putty-tools)"
        continue
    } ;;
    dropbear) have dbclient || {
        missing "$c" "dbclient (dropbear-bin)"
        continue
    } ;;
    paramiko | asyncssh) python_ok || {
        missing "$c" "$PY with paramiko, asyncssh, pyte"
        continue
    } ;;
    esac

    [[ $c != openssh ]] || check "$c" nopty "host key (ssh-keyscan) = the startup line's fingerprint" check_hostkey
    check "$c" nopty "anonymous, no prompt: plain is the whole resume" check_plain "$c" plain
    check "$c" nopty "json: .basics.name" check_json "$c"
    check "$c" nopty "no command, no PTY: the plain text" check_plain "$c"
    check "$c" nopty "pdf: the same bytes as export pdf, qpdf --check" check_pdf "$c"
    if [[ $c == openssh ]]; then
        check "$c" nopty "vcard" check_vcard
        check "$c" pty "pdf on a PTY: hint on stderr, exit 2, no binary" check_pdf_pty
        check "$c" nopty "experience: one section" check_section
        check "$c" nopty "unknown command: non-zero exit, message on stderr" check_unknown
    fi

    case $c in
    paramiko | asyncssh)
        check "$c" pty "PTY 100x30 (pyte): first frame, Right, resize 120x40, q -> exit 0" \
            timeout 60 "$PY" "$here/clients.py" pty --port "$SERVER_PORT" --fingerprint "$SERVER_FP" "$c"
        ;;
    *)
        if ((have_tmux == 0)); then
            record "$c" pty "PTY under tmux" "$([[ $REQUIRE_ALL == 1 ]] && echo FAIL || echo SKIP)" "tmux not installed"
            continue
        fi
        case $c in
        openssh)
            pty_basic "$c" "env TERM=xterm-256color ssh ${SSH_OPTS[*]} -tt -p $SERVER_PORT anyone@127.0.0.1"
            openssh_tmux
            terminal_scenario "$c" "env TERM=xterm-256color ssh ${SSH_OPTS[*]} -tt -p $SERVER_PORT anyone@127.0.0.1"
            ;;
        plink)
            pty_basic "$c" "plink -ssh -batch -P $SERVER_PORT -l anyone -hostkey $SERVER_FP -t 127.0.0.1"
            terminal_scenario "$c" "plink -ssh -batch -P $SERVER_PORT -l anyone -hostkey $SERVER_FP -t 127.0.0.1"
            ;;
        dropbear)
            pty_basic "$c" "env TERM=xterm-256color dbclient -y -y -t -p $SERVER_PORT anyone@127.0.0.1"
            ;;
        esac
        ;;
    esac
done

# The server must still be up and must not have logged a panic.
check_server_alive() {
    kill -0 "$SERVER_PID" 2>/dev/null || {
        echo "the server exited"
        tail -n 20 "$SERVER_LOG"
        return 1
    }
    ! grep -qiE 'panick|panic' "$SERVER_LOG" || {
        grep -iE -m 5 'panic' "$SERVER_LOG"
        return 1
    }
}
check server nopty "server still up, no panic in its log" check_server_alive

# ----------------------------------------------------------------------------------------------
# the matrix

cell() { # CLIENT AREA
    case "${STATE[$1.$2]:-}" in
    pass) echo "✅ pass" ;;
    fail) echo "❌ FAIL: ${FAILED[$1.$2]%%; *}$([[ ${FAILED[$1.$2]} == *";"* ]] && echo " and more")" ;;
    skip) echo "⏭ skipped" ;;
    *) echo "—" ;;
    esac
}
{
    echo "| client | version | PTY | no-PTY | result |"
    echo "|---|---|---|---|---|"
    for c in "${CLIENTS[@]}"; do
        p="${STATE[$c.pty]:-}" n="${STATE[$c.nopty]:-}"
        if [[ $p == fail || $n == fail ]]; then
            r="**FAIL**"
        elif [[ $p == skip || $n == skip ]]; then
            r="skipped"
        else
            r="pass"
        fi
        pty="$(cell "$c" pty)"
        case $c in
        openssh) pty="$pty (tmux: 80×24, 200×60, resize, help, mouse, clean exit)" ;;
        plink | dropbear) pty="$pty (tmux)" ;;
        paramiko | asyncssh) pty="$pty (pyte, window-change)" ;;
        esac
        echo "| ${LABEL[$c]} | ${VERSION[$c]:-not installed} | $pty | $(cell "$c" nopty) | $r |"
    done
    echo
    echo "Server: \`$("$BIN" --version)\` on 127.0.0.1, $(uname -sm); terminal: $TMUX_VERSION;" \
        "$(date -u +%Y-%m-%d). Checks: $passed passed, $failed failed, $skipped skipped" \
        "(\`target/interop-results.txt\`)."
} >"$MATRIX"

echo
cat "$MATRIX"
echo
echo "interop: $passed passed, $failed failed"
((failed == 0))
