#!/usr/bin/env bash
# Regenerates the README's pictures of the resume: docs/resume-80x24.svg and
# docs/resume-200x60.svg, drawn by `resume-ssh render --format svg` from resume.toml for a
# truecolor terminal. Re-run it after a change to the layout, the theme or resume.toml.
#
#   docs/make-pictures.sh [--bin PATH] [--png]
#
# --bin: the resume-ssh binary to use (default: build and use target/release/resume-ssh).
# --png: also write target/pictures/*.png with rsvg-convert, to look at them as a person would.
# Each SVG is checked with `xmllint --noout` when xmllint is installed (libxml2-utils).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bin="" png=0
while (($#)); do
    case $1 in
    --bin) bin=$2; shift 2 ;;
    --png) png=1; shift ;;
    *) echo "usage: $0 [--bin PATH] [--png]" >&2; exit 2 ;;
    esac
done
if [[ -z $bin ]]; then
    cargo build --release --quiet --bin resume-ssh
    bin=target/release/resume-ssh
fi

for size in 80x24 200x60; do
    out="docs/resume-$size.svg"
    "$bin" render --resume resume.toml --format svg --term xterm-direct \
        --width "${size%x*}" --height "${size#*x}" --section about >"$out.tmp"
    if command -v xmllint >/dev/null; then
        xmllint --noout "$out.tmp"
    fi
    mv "$out.tmp" "$out"
    echo "wrote $out ($(wc -c <"$out") bytes)"
    if ((png)); then
        mkdir -p target/pictures
        rsvg-convert "$out" -o "target/pictures/resume-$size.png"
        echo "wrote target/pictures/resume-$size.png"
    fi
done
