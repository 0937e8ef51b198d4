# shellcheck shell=bash
# The sequences around the screen in a real terminal (tmux): the window title set and given back
# (OSC 2, XTWINOPS push/pop), the e-mail copied with OSC 52 into tmux's buffer, the mouse toggle,
# the QR code on the Contact section, and no piece of any sequence (OSC 8/52/2/11, mode 2026,
# XTWINOPS) showing as text. Sourced by run.sh: uses tm, pane, flag, wait_pane, check, tmux_start.

EMAIL="arunavmalhotra1998@gmail.com"

# No sequence text on the pane.
no_stray() {
    local p
    p="$(pane)"
    if grep -qE '\]8;|\]52;|\]2;|\]11;|22;0t|23;0t|rgb:|id=resume|\[\?' <<<"$p"; then
        echo "sequence text on the screen:"
        echo "$p"
        return 1
    fi
}

# title_is TEXT: the pane's title (what the client's terminal would show in its title bar).
title_is() {
    local t
    t="$(flag pane_title)"
    [[ "$t" == "$1" ]] || {
        echo "title '$t', not '$1'"
        return 1
    }
}

contact_with_qr() {
    tm send-keys -t t 6
    # The e-mail card: its lead line, and the address (on the same row or, in the wide layout's
    # card, the row under it).
    wait_pane "Or reach out directly at" || return 1
    wait_pane "$EMAIL" || return 1
    # The code's caption (the code itself is drawn by colours: tests/interop/qr_screens.sh
    # reads it from real xterm screenshots).
    wait_pane "Scan to save the contact" || return 1
    no_stray
}

copy_email() {
    tm send-keys -t t c
    wait_pane "Copied $EMAIL" || return 1
    local deadline=$((SECONDS + 10))
    while ((SECONDS < deadline)); do
        [[ "$(tm show-buffer 2>/dev/null)" == "$EMAIL" ]] && return 0
        sleep 0.2
    done
    echo "tmux's buffer holds '$(tm show-buffer 2>&1)'"
    return 1
}

mouse_toggle() {
    tm send-keys -t t m
    wait_pane "Mouse off" || return 1
    [[ "$(flag mouse_any_flag)" == 0 ]] || {
        echo "mouse reporting still on"
        return 1
    }
    tm send-keys -t t m
    wait_pane "Mouse on" || return 1
    [[ "$(flag mouse_sgr_flag)" == 1 ]] || {
        echo "mouse reporting not back on"
        return 1
    }
    no_stray
}

quit_title_back() {
    tm send-keys -t t q
    wait_pane "[exit 0]" || return 1
    no_stray || return 1
    title_is "$1"
}

# terminal_scenario CLIENT COMMAND
terminal_scenario() {
    local c=$1 cmd=$2 before
    tmux_start 120 45 "$cmd"
    # Applications may set tmux's clipboard (OSC 52); the default only lets tmux itself.
    tm set-option -s set-clipboard on
    before="$(flag pane_title)"
    check "$c" pty "tmux 120x45: title 'Name — Title' while open" \
        wait_for_title "Arunav Malhotra — Backend Platform Engineer"
    check "$c" pty "Contact: QR code drawn, no sequence text on screen" contact_with_qr
    check "$c" pty "c: the e-mail lands in the terminal's clipboard (OSC 52)" copy_email
    check "$c" pty "m: mouse reporting off, then on again" mouse_toggle
    check "$c" pty "q: exit 0, the visitor's own title back, nothing stray" quit_title_back "$before"
    tm kill-server 2>/dev/null || true
}

wait_for_title() {
    local deadline=$((SECONDS + 15))
    while ((SECONDS < deadline)); do
        [[ "$(flag pane_title)" == "$1" ]] && return 0
        sleep 0.2
    done
    title_is "$1"
}
