//! criterion benchmarks of the uncached render path, as a visitor the per-thread update cache
//! has not seen meets it: the first frame at 45×30 (a phone), 100×30 (a laptop) and 200×60 (a
//! big monitor), one scroll step and one tab switch at 100×30, in every colour depth.
//!
//! "Uncached": the update cache is emptied before every iteration (`frames::clear`, in the
//! untimed set-up of each iteration: `BatchSize::PerIteration`), so the
//! frame is drawn and encoded; the layout and wrapped-text caches stay warm, as they are for a
//! visitor at a new size whose text width the thread has wrapped before (the common miss of the
//! mixed workload, see BENCHMARKS.md).
//!
//! `cargo bench -p resume-ssh-bench --bench frames` (add `-- --quick` for a short run).

use std::hint::black_box;
use std::path::Path;
use std::sync::Arc;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use resume_ssh::content::SectionId;
use resume_ssh::resume::Resume;
use resume_ssh::terminal::Size;
use resume_ssh::tui::Tui;
use resume_ssh::tui::frames;
use resume_ssh::tui::theme::{Capabilities, ColorDepth};

const RESUME: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../resume.toml");

const DEPTHS: [(&str, ColorDepth); 5] = [
    ("truecolor", ColorDepth::TrueColor),
    ("256", ColorDepth::Ansi256),
    ("16", ColorDepth::Ansi16),
    ("mono", ColorDepth::None { attributes: true }),
    ("dumb", ColorDepth::None { attributes: false }),
];

fn caps(depth: ColorDepth) -> Capabilities {
    // `dumb` gets ASCII and no OSC strings (so no links), as ClientEnv gives it; the others are
    // an xterm's (links, title) at that colour depth.
    let dumb = matches!(depth, ColorDepth::None { attributes: false });
    Capabilities {
        depth,
        unicode: !dumb,
        osc: !dumb,
    }
}

/// A session at `size` on `tab` that has drawn its first frame.
fn drawn(resume: &Arc<Resume>, size: Size, tab: SectionId, c: Capabilities) -> Tui {
    let mut tui = Tui::new(tab, size, c);
    let mut out = Vec::new();
    tui.frame(resume, &mut out);
    tui
}

fn benches(c: &mut Criterion) {
    let resume = Arc::new(Resume::load(Path::new(RESUME)).expect("resume.toml loads"));
    let mut out = Vec::with_capacity(64 * 1024);

    let mut g = c.benchmark_group("first_frame_uncached");
    for (cols, rows) in [(45u16, 30u16), (100, 30), (200, 60)] {
        for (name, depth) in DEPTHS {
            let size = Size::new(cols, rows);
            // Warm the layout and wrap caches for this size once.
            drawn(&resume, size, SectionId::About, caps(depth));
            g.bench_function(format!("{cols}x{rows}/{name}"), |b| {
                b.iter_batched_ref(
                    || {
                        frames::clear();
                        Tui::new(SectionId::About, size, caps(depth))
                    },
                    |tui| {
                        out.clear();
                        tui.frame(&resume, &mut out);
                        black_box(out.len())
                    },
                    BatchSize::PerIteration,
                )
            });
        }
    }
    g.finish();

    let size = Size::new(100, 30);
    let mut g = c.benchmark_group("update_100x30_uncached");
    for (name, depth) in DEPTHS {
        // One line down the Experience tab (the text is longer than the screen), from a
        // session that already scrolled a few lines, so both frames are mid-text.
        g.bench_function(format!("scroll_step/{name}"), |b| {
            b.iter_batched_ref(
                || {
                    let mut t = drawn(&resume, size, SectionId::Experience, caps(depth));
                    t.input(b"jjj", &resume);
                    let mut o = Vec::new();
                    t.frame(&resume, &mut o);
                    t.input(b"j", &resume);
                    frames::clear();
                    t
                },
                |tui| {
                    out.clear();
                    tui.frame(&resume, &mut out);
                    black_box(out.len())
                },
                BatchSize::PerIteration,
            )
        });
        g.bench_function(format!("tab_switch/{name}"), |b| {
            b.iter_batched_ref(
                || {
                    let mut t = drawn(&resume, size, SectionId::About, caps(depth));
                    t.input(b"\x1b[C", &resume);
                    frames::clear();
                    t
                },
                |tui| {
                    out.clear();
                    tui.frame(&resume, &mut out);
                    black_box(out.len())
                },
                BatchSize::PerIteration,
            )
        });
    }
    g.finish();
}

criterion_group!(frames_benches, benches);
criterion_main!(frames_benches);
