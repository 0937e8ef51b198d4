#!/usr/bin/env python3
"""Summarises bench/compare.sh results (results.jsonl) as Markdown: medians and [min–max] over
rounds, ratios computed per round (servers measured side by side) and the issue's targets."""

import json
import statistics
import sys
from collections import defaultdict
from pathlib import Path


def load(out_dir):
    runs = defaultdict(list)
    for line in Path(out_dir, "results.jsonl").read_text().splitlines():
        if line.strip():
            v = json.loads(line)
            runs[v["label"]].append(v)
    return runs


def get(v, path):
    for k in path.split("."):
        if v is None:
            return None
        v = v.get(k)
    return v


def vals(runs, label, path):
    return [x for x in (get(r, path) for r in runs.get(label, [])) if isinstance(x, (int, float))]


def mr(xs, fmt="{:.3f}"):
    """median [min–max]"""
    if not xs:
        return "–"
    m = statistics.median(xs)
    if len(xs) == 1:
        return fmt.format(m)
    return f"{fmt.format(m)} [{fmt.format(min(xs))}–{fmt.format(max(xs))}]"


def ratios(runs, a, b, path):
    ra = {r["round"]: get(r, path) for r in runs.get(a, [])}
    rb = {r["round"]: get(r, path) for r in runs.get(b, [])}
    return [ra[k] / rb[k] for k in ra if k in rb and ra[k] and rb[k]]


def verdict(ok):
    return "met" if ok else "**missed**"


def main(out_dir):
    runs = load(out_dir)
    p = print
    machine = Path(out_dir, "machine.txt")
    if machine.exists():
        p("```")
        p(machine.read_text().rstrip())
        p("```")
        p()
    p("### Full sessions (TCP + curve25519 kex + auth none + PTY + shell + first frame + q/close)")
    p()
    p("| server | workload | concurrency | server CPU ms/session | ratio to bare (per round) | frame-cache hit rate | layout-cache hit rate | sessions/s | latency p50 ms | first-frame bytes (median) | errors |")
    p("|---|---|---|---|---|---|---|---|---|---|---|")
    work = sorted(
        {(l.rsplit("-", 2)[1], l.rsplit("-", 2)[2]) for l in runs if l.count("-") >= 2 and l.rsplit("-", 2)[1] in ("mixed", "identical")},
        key=lambda wc: (int(wc[1][1:]), wc[0] != "mixed"),
    )
    targets = []
    for w, c in work:
        # wish: bench/peers/wish (compare.sh --wish), mixed workload only; its ratio is to the
        # same round's bare floor like the others.
        for server in ["bare", "resume-ssh", "candidate", "wish"]:
            label = f"{server}-{w}-{c}"
            if label not in runs:
                continue
            ratio = ratios(runs, label, f"bare-{w}-{c}", "server_cpu_ms_per_session") if server != "bare" else []
            if server == "resume-ssh" and ratio:
                targets.append((w, c, ratio))
            p(
                f"| {server} | {w} | {c[1:]} | {mr(vals(runs, label, 'server_cpu_ms_per_session'))} "
                f"| {mr(ratio, '{:.2f}') + '×' if ratio else '–'} "
                f"| {mr(vals(runs, label, 'caches.frame_hit_rate'), '{:.0%}')} "
                f"| {mr(vals(runs, label, 'caches.layout_hit_rate'), '{:.0%}')} "
                f"| {mr(vals(runs, label, 'sessions_per_s'), '{:.0f}')} "
                f"| {mr(vals(runs, label, 'latency_ms.p50'), '{:.2f}')} "
                f"| {mr(vals(runs, label, 'first_frame_bytes.median'), '{:.0f}')} "
                f"| {sum(vals(runs, label, 'errors'))} |"
            )
    p()
    p("| server | server CPU ms/session | sessions/s | latency p50 ms | latency p99 ms | first-frame bytes | errors | client CPU ms/session |")
    p("|---|---|---|---|---|---|---|---|")
    for label in ["sshd", "bare-c1", "resume-ssh-c1", "candidate-c1", "inproc", "inproc-mixed", "inproc-default-kex"]:
        if label not in runs:
            continue
        p(
            f"| {label} | {mr(vals(runs, label, 'server_cpu_ms_per_session'))} "
            f"| {mr(vals(runs, label, 'sessions_per_s'), '{:.0f}')} "
            f"| {mr(vals(runs, label, 'latency_ms.p50'), '{:.2f}')} "
            f"| {mr(vals(runs, label, 'latency_ms.p99'), '{:.2f}')} "
            f"| {mr(vals(runs, label, 'first_frame_bytes.median'), '{:.0f}')} "
            f"| {sum(vals(runs, label, 'errors'))} "
            f"| {mr(vals(runs, label, 'client_cpu_ms_per_session'))} |"
        )
    p()
    rs_bare = ratios(runs, "resume-ssh-mixed-c4", "bare-mixed-c4", "server_cpu_ms_per_session")
    sshd_rs = ratios(runs, "sshd", "resume-ssh-mixed-c4", "server_cpu_ms_per_session")
    rs_bare_c1 = ratios(runs, "resume-ssh-c1", "bare-c1", "server_cpu_ms_per_session")
    if rs_bare_c1:
        p(f"- CPU ratio resume-ssh / bare, identical visitors one at a time: {mr(rs_bare_c1, '{:.2f}')}×")
    if sshd_rs:
        p(f"- CPU ratio sshd / resume-ssh (mixed, concurrency 4, per round): {mr(sshd_rs, '{:.1f}')}×")
    p()

    keys = [l for l in runs if "-keys-" in l]
    for kl in sorted(keys, key=lambda l: (l.rsplit("-", 1)[1], l)):
        server, size = kl.split("-keys-")
        p(f"### Updates in a session ({server}, {size}, on the Experience tab)")
        p()
        p("| key | data bytes | wire bytes (SSH) | latency p50 ms | latency p99 ms | screen unchanged |")
        p("|---|---|---|---|---|---|")
        for step in ["scroll_j", "tab_right", "tab_left", "scroll_k"]:
            p(
                f"| {step} | {mr(vals(runs, kl, f'steps.{step}.data_bytes.median'), '{:.0f}')} "
                f"| {mr(vals(runs, kl, f'steps.{step}.wire_rx_bytes_median'), '{:.0f}')} "
                f"| {mr(vals(runs, kl, f'steps.{step}.latency_ms.p50'), '{:.2f}')} "
                f"| {mr(vals(runs, kl, f'steps.{step}.latency_ms.p99'), '{:.2f}')} "
                f"| {sum(vals(runs, kl, f'steps.{step}.screen_unchanged'))} |"
            )
        p(f"\nFull first frame for comparison: {mr(vals(runs, kl, 'first_frame_bytes_median'), '{:.0f}')} bytes.")
        p()

    idle_labels = sorted(
        {l for l in runs if "-idle-" in l},
        key=lambda l: (int(l.rsplit("-", 1)[1]), l),
    )
    if idle_labels:
        p("### Idle TUI sessions (fresh server each run)")
        p()
        p("| server, N | open/requested | errors | RSS growth KiB/session | server CPU ms during hold | wire bytes during hold (rx/tx) | RSS after close KiB |")
        p("|---|---|---|---|---|---|---|")
        for l in idle_labels:
            rr = runs[l]
            opened = [r["sessions_open"] for r in rr]
            req = rr[0]["sessions_requested"]
            rx = sum(get(r, "wire_bytes_during_hold.rx") or 0 for r in rr)
            tx = sum(get(r, "wire_bytes_during_hold.tx") or 0 for r in rr)
            p(
                f"| {l} | {min(opened)}/{req} | {sum(r['errors'] for r in rr)} "
                f"| {mr(vals(runs, l, 'server_rss_growth_kib_per_session'), '{:.1f}')} "
                f"| {mr(vals(runs, l, 'server_cpu_ms_during_hold'), '{:.0f}')} "
                f"| {rx}/{tx} "
                f"| {mr(vals(runs, l, 'server_rss_kib.after_close'), '{:.0f}')} |"
            )
        p()

    p("### Targets")
    p()
    p("| target | measured (median [range]) | verdict |")
    p("|---|---|---|")
    for w, c, ratio in targets:
        goal = 1.15 if w == "mixed" else 1.05
        m = statistics.median(ratio)
        p(f"| {w} visitors, concurrency {c[1:]}: ≤ {goal}× bare russh, same run | {mr(ratio, '{:.2f}')}× | {verdict(m <= goal)} |")
    lat = vals(runs, "inproc", "latency_ms.p50")
    if lat:
        m = statistics.median(lat)
        p(f"| connect → first 100×30 frame, in-process, median ≤ 2 ms | {mr(lat, '{:.2f}')} ms | {verdict(m <= 2.0)} |")
    for n in (1000, 5000):
        k = vals(runs, f"resume-ssh-idle-{n}", "server_rss_growth_kib_per_session")
        if k:
            m = statistics.median(k)
            p(f"| memory per idle session ≤ 64 KiB, N={n} | {mr(k, '{:.1f}')} KiB | {verdict(m <= 64)} |")
    big = [l for l in idle_labels if l.startswith("resume-ssh-idle-") and int(l.rsplit("-", 1)[1]) >= 10000]
    for l in big:
        r = runs[l][0]
        ok = r["sessions_open"] == r["sessions_requested"] and r["errors"] == 0
        p(f"| {r['sessions_requested']} concurrent idle sessions without error | {r['sessions_open']} open, {r['errors']} errors | {verdict(ok)} |")
    for n in (1000, 5000):
        a = ratios(runs, f"resume-ssh-idle-{n}", f"bare-idle-{n}", "server_rss_growth_kib_per_session")
        k = vals(runs, f"resume-ssh-idle-{n}", "server_rss_growth_kib_per_session")
        b = vals(runs, f"bare-idle-{n}", "server_rss_growth_kib_per_session")
        if k and b:
            d = statistics.median(k) - statistics.median(b)
            p(f"| idle memory ≤ bare + 12 KiB per session, N={n} | +{d:.1f} KiB | {verdict(d <= 12)} |")
    for n in sorted({int(l.rsplit("-", 1)[1]) for l in idle_labels if l.startswith("resume-ssh-idle-")}):
        rr = runs[f"resume-ssh-idle-{n}"]
        wire = sum((get(r, "wire_bytes_during_hold.rx") or 0) + (get(r, "wire_bytes_during_hold.tx") or 0) for r in rr)
        cpu_hold = vals(runs, f"resume-ssh-idle-{n}", "server_cpu_ms_during_hold")
        hold_s = rr[0].get("hold_s", 0)
        # "≈ 0": at most one clock tick (10 ms) over the hold, per 1,000 sessions.
        ok = wire == 0 and statistics.median(cpu_hold) <= 10 * max(1, n // 1000)
        share = statistics.median(cpu_hold) / (hold_s * 1000) * 100 if hold_s else float("nan")
        p(f"| idle N={n} for {hold_s:.0f} s: 0 bytes, server CPU ≈ 0 | {wire} bytes; CPU {mr(cpu_hold, '{:.0f}')} ms ({share:.2f}% of a core) | {verdict(ok)} |")

if __name__ == "__main__":
    main(sys.argv[1])
