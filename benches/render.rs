//! Micro-benchmarks of the per-keystroke work of a TUI session: render + diff of a 100×30 frame
//! after a tab switch and after a one-line scroll, the first full frame, and the input parser.
//!
//! `cargo bench --bench render` (add `-- --quick` for a short run).

use std::hint::black_box;
use std::path::Path;
use std::sync::Arc;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use resume_ssh::content::SectionId;
use resume_ssh::resume::Resume;
use resume_ssh::terminal::Size;
use resume_ssh::tui::Tui;
use resume_ssh::tui::input::InputParser;
use resume_ssh::tui::theme::{Capabilities, ClientEnv};

const RESUME: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/resume.toml");

fn resume() -> Arc<Resume> {
    Arc::new(Resume::load(Path::new(RESUME)).expect("resume.toml loads"))
}

fn caps() -> Capabilities {
    ClientEnv {
        term: Some("xterm-256color".into()),
        ..ClientEnv::default()
    }
    .capabilities()
}

/// A session that has drawn its first 100×30 frame.
fn drawn(resume: &Arc<Resume>) -> Tui {
    let mut tui = Tui::new(SectionId::About, Size::new(100, 30), caps());
    let mut out = Vec::new();
    tui.frame(resume, &mut out);
    tui
}

fn frames(c: &mut Criterion) {
    let resume = resume();
    let mut g = c.benchmark_group("frame_100x30");

    g.bench_function("first_full_frame", |b| {
        let mut out = Vec::with_capacity(16 * 1024);
        b.iter_batched_ref(
            || Tui::new(SectionId::About, Size::new(100, 30), caps()),
            |tui| {
                out.clear();
                tui.frame(&resume, &mut out);
                black_box(out.len())
            },
            BatchSize::SmallInput,
        )
    });

    // Right then Left, alternately: every iteration is one tab switch (About ↔ Experience).
    g.bench_function("tab_switch_render_diff", |b| {
        let mut tui = drawn(&resume);
        let mut out = Vec::with_capacity(16 * 1024);
        let mut right = true;
        b.iter(|| {
            let key: &[u8] = if right { b"\x1b[C" } else { b"\x1b[D" };
            right = !right;
            tui.input(key, &resume);
            out.clear();
            tui.frame(&resume, &mut out);
            black_box(out.len())
        })
    });

    // j then k, alternately: every iteration is a one-line scroll of About.
    g.bench_function("scroll_line_render_diff", |b| {
        let mut tui = drawn(&resume);
        let mut out = Vec::with_capacity(16 * 1024);
        let mut down = true;
        b.iter(|| {
            let key: &[u8] = if down { b"j" } else { b"k" };
            down = !down;
            tui.input(key, &resume);
            out.clear();
            tui.frame(&resume, &mut out);
            black_box(out.len())
        })
    });

    // Nothing changed: the cost of a redundant pump (a status-report answer, say).
    g.bench_function("unchanged_frame", |b| {
        let mut tui = drawn(&resume);
        let mut out = Vec::new();
        b.iter(|| {
            out.clear();
            tui.frame(&resume, &mut out);
            black_box(out.len())
        })
    });
    g.finish();

    // Print the byte sizes once, for BENCHMARKS.md.
    let mut tui = Tui::new(SectionId::About, Size::new(100, 30), caps());
    let mut first = Vec::new();
    tui.frame(&resume, &mut first);
    let mut scroll = Vec::new();
    tui.input(b"j", &resume);
    tui.frame(&resume, &mut scroll);
    let mut tab = Vec::new();
    tui.input(b"\x1b[C", &resume);
    tui.frame(&resume, &mut tab);
    eprintln!(
        "bytes: first frame {}, one-line scroll {}, tab switch {}",
        first.len(),
        scroll.len(),
        tab.len()
    );
}

/// About 4 KiB of what a visitor's terminal sends: keys, arrows, SS3 arrows, wheel and click
/// events in SGR mouse encoding, UTF-8, a status report and a short bracketed paste.
fn mixed_input() -> Vec<u8> {
    let pieces: [&[u8]; 12] = [
        b"j",
        b"\x1b[B",
        b"\x1bOA",
        b"\x1b[<65;10;5M",
        b"\x1b[<64;10;5M",
        b"\x1b[<0;3;2M\x1b[<0;3;2m",
        "é".as_bytes(),
        b"\x1b[C",
        b"\x1b[5~",
        b"\x1b[0n",
        b"\x1b[200~pasted text\x1b[201~",
        b"\t",
    ];
    let mut out = Vec::with_capacity(4096 + 64);
    let mut i = 0;
    while out.len() + 32 <= 4096 {
        out.extend_from_slice(pieces[i % pieces.len()]);
        i += 1;
    }
    out
}

fn input(c: &mut Criterion) {
    let mut g = c.benchmark_group("input_parser");
    let key: &[u8] = b"\x1b[C";
    g.throughput(Throughput::Bytes(key.len() as u64));
    g.bench_function("feed_key_packet", |b| {
        let mut p = InputParser::new();
        let mut events = Vec::with_capacity(16);
        b.iter(|| {
            events.clear();
            p.feed(black_box(key), &mut events);
            black_box(events.len())
        })
    });
    let mixed = mixed_input();
    g.throughput(Throughput::Bytes(mixed.len() as u64));
    g.bench_function("feed_4k_mixed", |b| {
        let mut p = InputParser::new();
        let mut events = Vec::with_capacity(1024);
        b.iter(|| {
            events.clear();
            p.feed(black_box(&mixed), &mut events);
            black_box(events.len())
        })
    });
    g.finish();
}

criterion_group!(benches, frames, input);
criterion_main!(benches);
