#!/usr/bin/env bash
# Regenerates docs/screens/*.png: real xterm windows (DejaVu Sans Mono 11) over OpenSSH to the
# real server, under Xvfb, dark (black) and light (white) terminals, as a visitor sees them.
# Re-run it after a change to the layout, the theme or resume.toml, then look at every picture.
#
#   docs/make-screens.sh [--bin PATH]
#
# --bin: the resume-ssh binary to use (default: build and use target/debug/resume-ssh).
# Needs: apt-get install -y xvfb xterm imagemagick xdotool fonts-dejavu-core openssh-client
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bin=""
while (($#)); do
    case $1 in
    --bin) bin=$2; shift 2 ;;
    *) echo "usage: $0 [--bin PATH]" >&2; exit 2 ;;
    esac
done
if [[ -z $bin ]]; then
    cargo build --quiet --bin resume-ssh
    bin=target/debug/resume-ssh
fi
for tool in Xvfb xterm import xdotool ssh; do
    command -v "$tool" >/dev/null || { echo "$0: $tool is missing (see the header)" >&2; exit 1; }
done

work=$(mktemp -d)
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT

display=:$((70 + RANDOM % 20))
Xvfb "$display" -screen 0 1900x1250x24 >/dev/null 2>&1 &
pids+=($!)
export DISPLAY=$display
# Until the X server answers.
for _ in $(seq 20); do xdotool getdisplaygeometry >/dev/null 2>&1 && break; sleep 0.5; done
port=$((22000 + RANDOM % 2000))
"$bin" --listen "127.0.0.1:$port" --host-key "$work/key" --resume resume.toml >"$work/log" 2>&1 &
pids+=($!)
sleep 2

# shot NAME TERM BACKGROUND COLSxROWS COMMAND [KEYS] [ENV]
shot() {
    local name=$1 term=$2 bg=$3 size=$4 cmd=$5 keys=${6:-} env=${7:-}
    local fg=black
    [[ $bg == black ]] && fg=grey85
    xterm -geometry "$size" -bg "$bg" -fg "$fg" -fa 'DejaVu Sans Mono' -fs 11 -title "$name" -e \
        "$env TERM=$term ssh -tt -o SendEnv=NO_COLOR -o StrictHostKeyChecking=no \
         -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -p $port x@127.0.0.1 $cmd" &
    local xp=$!
    sleep 2.5
    # By process: the server sets the window title itself.
    local wid=""
    for _ in 1 2 3 4 5; do
        wid=$(xdotool search --pid "$xp" 2>/dev/null | head -1) || true
        [[ -n $wid ]] && break
        sleep 1
    done
    [[ -n $wid ]] || { echo "$0: no xterm window for $name" >&2; exit 1; }
    if [[ -n $keys ]]; then
        xdotool mousemove --window "$wid" 40 40
        xdotool windowfocus "$wid" 2>/dev/null || true
        xdotool type "$keys"
        sleep 1
    fi
    import -window "$wid" "PNG8:docs/screens/$name.png"
    kill "$xp" 2>/dev/null || true
    echo "wrote docs/screens/$name.png"
}

shot 45x30-experience-dark xterm-256color black 45x30 experience
shot 80x24-case-studies-light xterm-256color white 80x24 case-studies
shot 120x40-experience-mono xterm-256color black 120x40 experience "" "NO_COLOR=1"
shot 200x60-about-dark xterm-256color black 200x60 about
shot 120x40-about-light xterm-256color white 120x40 about
shot 200x60-case-studies-dark xterm-256color black 200x60 case-studies
shot 200x60-skills-light xterm-256color white 200x60 skills
shot 45x30-help-16-dark xterm black 45x30 "" "?"
shot 80x24-experience-16-light xterm white 80x24 experience
shot 100x30-experience-picked-light xterm-256color black 100x30 experience t
