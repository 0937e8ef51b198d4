#!/usr/bin/env bash
# The contact's QR code read the way a phone reads it: real xterm windows (DejaVu Sans Mono 11)
# under Xvfb, on dark (black) and light (white) backgrounds, connected over OpenSSH to the real
# server; each window is captured with ImageMagick's `import` and the raw screenshot, with no
# clean-up (no threshold, no scaling), goes to zbarimg, which must read the short card.
#
#   tests/interop/qr_screens.sh [--bin PATH] [--out DIR]
#
# Screens: the Contact section at 120x40 and 200x60, and `ssh -t HOST qr` at 80x24 and 200x60.
# --bin: the resume-ssh binary (default target/debug/resume-ssh); --out: where the screenshots
# go (default target/qr-screens), kept for a look.
# Needs: apt-get install -y xvfb xterm imagemagick xdotool zbar-tools fonts-dejavu-core
#        openssh-client
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
# shellcheck source=tests/interop/lib.sh
source tests/interop/lib.sh

bin=target/debug/resume-ssh
out=target/qr-screens
while (($#)); do
    case $1 in
    --bin) bin=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    *) echo "usage: $0 [--bin PATH] [--out DIR]" >&2; exit 2 ;;
    esac
done
for tool in Xvfb xterm import xdotool zbarimg ssh; do
    command -v "$tool" >/dev/null || { echo "$0: $tool is missing (see the header)" >&2; exit 1; }
done
mkdir -p "$out"

work=$(mktemp -d)
xvfb_pid=""
cleanup() {
    stop_server
    [[ -n $xvfb_pid ]] && kill "$xvfb_pid" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT

# What the code must hold: the short card, from resume.toml's [basics].
basics=$(sed -n '/^\[basics\]/,/^\[/p' resume.toml)
name=$(sed -n 's/^name = "\(.*\)"$/\1/p' <<<"$basics" | head -n 1)
email=$(sed -n 's/^email = "\(.*\)"$/\1/p' <<<"$basics" | head -n 1)
want="MECARD:N:$name;EMAIL:$email;;"

for n in $(seq 90 120); do
    [[ -e /tmp/.X$n-lock || -e /tmp/.X11-unix/X$n ]] || break
done
export DISPLAY=:$n
Xvfb "$DISPLAY" -screen 0 1900x1250x24 -nolisten tcp >/dev/null 2>&1 &
xvfb_pid=$!
start_server "$bin" "$work"
sleep 1

failed=0
# shot NAME BACKGROUND COLSxROWS COMMAND: the window's screenshot, then zbarimg on it.
shot() {
    local name=$1 bg=$2 size=$3 cmd=$4 fg=black
    [[ $bg == black ]] && fg=grey85
    xterm -hold -geometry "$size" -bg "$bg" -fg "$fg" -fa 'DejaVu Sans Mono' -fs 11 -title "$name" \
        -e "TERM=xterm-256color ssh -tt -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null \
            -o LogLevel=ERROR -p $SERVER_PORT x@127.0.0.1 $cmd" &
    local xp=$! wid=""
    sleep 2.5
    for _ in 1 2 3 4 5; do
        wid=$(xdotool search --pid "$xp" 2>/dev/null | head -1) || true
        [[ -n $wid ]] && break
        sleep 1
    done
    if [[ -z $wid ]]; then
        echo "FAIL $name: no xterm window"
        failed=$((failed + 1))
        kill "$xp" 2>/dev/null || true
        return
    fi
    import -window "$wid" "$out/$name.png"
    kill "$xp" 2>/dev/null || true
    wait "$xp" 2>/dev/null || true
    local got
    # zbarimg may print D-Bus noise on stderr: only its stdout counts.
    got=$(zbarimg --quiet --raw "$out/$name.png" 2>/dev/null) || true
    if [[ $got == "$want" ]]; then
        echo "ok   $name: zbarimg read the card from the raw screenshot"
    else
        echo "FAIL $name: zbarimg read '$got', not '$want' ($out/$name.png)"
        failed=$((failed + 1))
    fi
}

shot contact-120x40-dark black 120x40 contact
shot contact-120x40-light white 120x40 contact
shot contact-200x60-dark black 200x60 contact
shot contact-200x60-light white 200x60 contact
shot qr-80x24-dark black 80x24 qr
shot qr-80x24-light white 80x24 qr
shot qr-200x60-dark black 200x60 qr

if ((failed)); then
    echo "qr screens: $failed failed"
    exit 1
fi
echo "qr screens: all read"
