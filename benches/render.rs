//! Micro-benchmarks of the per-keystroke work of a TUI session: render + diff of a 100×30 frame
//! after a tab switch and after a one-line scroll, the first full frame, and the input parser.
//!
//! Frames are measured twice: `cached`, as the server runs for updates other visitors already
//! caused (per-thread cache of update bytes), and `uncached`, for an update never seen before.
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
use resume_ssh::tui::theme::{Capabilities, ClientEnv, ColorDepth};

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

/// Every colour depth: with one resume, the frame cache (keyed by capabilities too) sees five
/// distinct clients.
const DEPTHS: [ColorDepth; 5] = [
    ColorDepth::TrueColor,
    ColorDepth::Ansi256,
    ColorDepth::Ansi16,
    ColorDepth::None { attributes: true },
    ColorDepth::None { attributes: false },
];

/// `n` copies of the resume, each its own `Arc`: to the per-thread caches (keyed by the
/// resume's address) each is a different resume.
fn copies(resume: &Arc<Resume>, n: usize) -> Vec<Arc<Resume>> {
    (0..n).map(|_| Arc::new(Resume::clone(resume))).collect()
}

/// Sessions that have drawn their first frame, one per (resume copy, colour depth). Visiting
/// them round-robin defeats the update cache (far more distinct updates than it keeps) while the
/// wrapped-text cache (20 resumes × 2 tabs) stays warm: the cost of an update nobody asked for
/// before.
fn cold_sessions(resume: &Arc<Resume>) -> Vec<(Arc<Resume>, Tui, bool)> {
    let mut out = Vec::new();
    for r in copies(resume, 20) {
        for depth in DEPTHS {
            let caps = Capabilities {
                depth,
                unicode: true,
                ..Capabilities::default()
            };
            let mut tui = Tui::new(SectionId::About, Size::new(100, 30), caps);
            let mut bytes = Vec::new();
            tui.frame(&r, &mut bytes);
            out.push((Arc::clone(&r), tui, true));
        }
    }
    out
}

fn frames(c: &mut Criterion) {
    let resume = resume();
    let mut g = c.benchmark_group("frame_100x30");

    // What every visitor after the first costs: the update cache answers.
    g.bench_function("first_full_frame/cached", |b| {
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

    // No cache helps: a resume the thread has not seen (text wrapping included).
    g.bench_function("first_full_frame/uncached", |b| {
        let fresh = copies(&resume, 100);
        let mut i = 0;
        let mut out = Vec::with_capacity(16 * 1024);
        b.iter_batched_ref(
            || {
                i = (i + 1) % fresh.len();
                (
                    Arc::clone(&fresh[i]),
                    Tui::new(SectionId::About, Size::new(100, 30), caps()),
                )
            },
            |(r, tui)| {
                out.clear();
                tui.frame(r, &mut out);
                black_box(out.len())
            },
            BatchSize::SmallInput,
        )
    });

    // Right then Left, alternately: every iteration is one tab switch (About ↔ Experience).
    g.bench_function("tab_switch/cached", |b| {
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

    g.bench_function("tab_switch/uncached", |b| {
        let mut sessions = cold_sessions(&resume);
        let mut i = 0;
        let mut out = Vec::with_capacity(16 * 1024);
        b.iter(|| {
            i = (i + 1) % sessions.len();
            let (r, tui, right) = &mut sessions[i];
            let key: &[u8] = if *right { b"\x1b[C" } else { b"\x1b[D" };
            *right = !*right;
            tui.input(key, r);
            out.clear();
            tui.frame(r, &mut out);
            black_box(out.len())
        })
    });

    // j then k, alternately: every iteration is a one-line scroll of About.
    g.bench_function("scroll_line/cached", |b| {
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

    g.bench_function("scroll_line/uncached", |b| {
        let mut sessions = cold_sessions(&resume);
        let mut i = 0;
        let mut out = Vec::with_capacity(16 * 1024);
        b.iter(|| {
            i = (i + 1) % sessions.len();
            let (r, tui, down) = &mut sessions[i];
            let key: &[u8] = if *down { b"j" } else { b"k" };
            *down = !*down;
            tui.input(key, r);
            out.clear();
            tui.frame(r, &mut out);
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
