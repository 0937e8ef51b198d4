//! Golden files: plain text at widths 80 and 40, and every section of the UI at 45×30, 80×24,
//! 120×40 and 200×60 as text, in colour and in monochrome (and ASCII at 80×24).
//!
//! A deliberate change to the output is accepted with `UPDATE_GOLDEN=1 cargo test --test it golden::`,
//! then reviewed in the diff of `tests/golden/`.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use ratatui::buffer::Buffer;

use resume_ssh::content::SectionId;
use resume_ssh::export::plain;
use resume_ssh::render::{self, Options};
use resume_ssh::resume::Resume;
use resume_ssh::terminal::Size;
use resume_ssh::tui::app::App;
use resume_ssh::tui::theme::{ClientEnv, Theme};
use resume_ssh::tui::view::{self, ViewCtx};

fn resume() -> Resume {
    crate::common::shipped_resume()
}

fn golden(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name)
}

fn check(name: &str, actual: &str) {
    let path = golden(name);
    if std::env::var("UPDATE_GOLDEN").is_ok_and(|v| !v.is_empty()) {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (run with UPDATE_GOLDEN=1 to create)",
            path.display()
        )
    });
    if expected != actual {
        let first = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(expected.lines().count().min(actual.lines().count()));
        panic!(
            "{name} differs from the golden file at line {}:\n  expected: {:?}\n  actual:   {:?}\n\
             (UPDATE_GOLDEN=1 cargo test --test it golden:: accepts the new output)",
            first + 1,
            expected.lines().nth(first),
            actual.lines().nth(first)
        );
    }
}

#[test]
fn plain_80_and_40() {
    let _gate = crate::common::shared_blocking();
    let r = resume();
    check("plain-80.txt", &plain::render(&r, 80));
    check("plain-40.txt", &plain::render(&r, 40));
}

/// The sizes every screen is judged at: a phone held upright, a classic terminal, a laptop, a
/// wide monitor.
const SIZES: [(u16, u16); 4] = [(45, 30), (80, 24), (120, 40), (200, 60)];

/// One frame as the client's terminal gets it: `env` picks colours and characters.
fn frame(r: &Arc<Resume>, env: &ClientEnv, size: Size, tab: SectionId) -> Buffer {
    let caps = env.capabilities();
    let theme = Theme::new(caps, false, &r.theme);
    let ctx = ViewCtx {
        resume: r,
        theme: &theme,
        unicode: caps.unicode,
    };
    let mut buf = Buffer::empty(size.rect());
    view::render(&App::new(tab, size), &ctx, &mut buf);
    buf
}

fn as_text(buf: &Buffer) -> String {
    let mut out = String::new();
    for y in 0..buf.area.height {
        out.push_str(render::row_text(buf, y).trim_end());
        out.push('\n');
    }
    out
}

/// The frame with its SGR sequences, row by row (what `render --format ansi` prints).
fn as_ansi(buf: &Buffer) -> String {
    let mut out = Vec::new();
    for y in 0..buf.area.height {
        let mut row = Buffer::empty(ratatui::layout::Rect::new(0, 0, buf.area.width, 1));
        for x in 0..buf.area.width {
            row[(x, 0)] = buf[(x, y)].clone();
        }
        resume_ssh::terminal::encode_row(&row, &mut out);
        out.extend_from_slice(b"\x1b[0m\n");
    }
    String::from_utf8(out).unwrap()
}

fn env(term: &str, no_color: bool) -> ClientEnv {
    ClientEnv {
        term: Some(term.into()),
        no_color,
        ..ClientEnv::default()
    }
}

/// Every section at every judged size: as text (what a person reads), in colour (256 colours),
/// in monochrome (NO_COLOR: bold, underline and reverse only) and, at 80×24, in ASCII (vt100).
/// One file per size and form, the six sections one after another.
#[test]
fn every_section_at_every_size_in_colour_and_monochrome() {
    let _gate = crate::common::shared_blocking();
    let r = Arc::new(resume());
    let forms: [(&str, ClientEnv, bool); 3] = [
        ("txt", env("xterm-256color", false), false),
        ("ansi", env("xterm-256color", false), true),
        ("mono.ansi", env("xterm-256color", true), true),
    ];
    for (w, h) in SIZES {
        for (ext, e, ansi) in &forms {
            let mut all = String::new();
            for tab in SectionId::ALL {
                let buf = frame(&r, e, Size::new(w, h), tab);
                let text = as_text(&buf);
                assert_eq!(text.lines().count(), usize::from(h));
                all.push_str(&format!("=== {} ({w}x{h})\n", tab.slug()));
                all.push_str(&if *ansi { as_ansi(&buf) } else { text });
            }
            check(&format!("screens-{w}x{h}.{ext}"), &all);
        }
    }
    let mut all = String::new();
    for tab in SectionId::ALL {
        let buf = frame(&r, &env("vt100", false), Size::new(80, 24), tab);
        all.push_str(&format!("=== {} (80x24, vt100)\n", tab.slug()));
        let text = as_text(&buf);
        // The resume's own words may have any character; the decoration is ASCII.
        let drawn: Vec<char> = text
            .chars()
            .filter(|c| ('\u{2500}'..='\u{259f}').contains(c) || "•‹›←→↑↓▲▼●·–…".contains(*c))
            .collect();
        assert!(drawn.is_empty(), "{drawn:?} in\n{text}");
        all.push_str(&text);
    }
    check("screens-80x24-ascii.txt", &all);
}

/// `resume-ssh render --format text` draws exactly the frame above.
#[test]
fn render_text_is_the_same_frame() {
    let _gate = crate::common::shared_blocking();
    let r = resume();
    let opts = Options {
        size: Size::new(80, 24),
        tab: SectionId::Experience,
        term: "xterm-256color".into(),
        help: false,
    };
    let text = String::from_utf8(render::text(&r, &opts)).unwrap();
    let buf = frame(
        &Arc::new(r),
        &env("xterm-256color", false),
        opts.size,
        opts.tab,
    );
    assert_eq!(text, as_text(&buf));
}

/// The first frame a visitor receives (screen set-up included), in bytes, for every tab at the
/// sizes the design is judged at. The 100×30 one must stay within 8 KB (issue 10's cost rule).
#[test]
fn first_frame_bytes_stay_small() {
    let _gate = crate::common::shared_blocking();
    use resume_ssh::tui::Tui;
    let r = Arc::new(resume());
    let mut truecolor = env("xterm-256color", false);
    truecolor.colorterm = Some("truecolor".into());
    for (name, e) in [("256", env("xterm-256color", false)), ("rgb", truecolor)] {
        let caps = e.capabilities();
        for (w, h) in [(45, 30), (80, 24), (100, 30), (120, 40), (200, 60)] {
            let mut sizes = Vec::new();
            for tab in SectionId::ALL {
                let mut tui = Tui::new(tab, Size::new(w, h), caps);
                let mut out = Vec::new();
                tui.frame(&r, &mut out);
                assert!(!out.is_empty());
                if (w, h) == (100, 30) {
                    assert!(out.len() <= 8000, "{tab:?} at 100x30: {} bytes", out.len());
                }
                sizes.push(out.len());
            }
            println!("first frame {name} {w}x{h}: {sizes:?} bytes (About..Contact)");
        }
    }
}
