//! Unit tests of the TUI's frames, caches and updates.

use super::*;
use crate::tui::theme::ClientEnv;

fn first_frame(env: ClientEnv) -> String {
    let resume = Arc::new(
        Resume::parse(include_str!("../../resume.toml"), std::path::Path::new("r")).unwrap(),
    );
    let mut tui = Tui::new(SectionId::Skills, Size::new(100, 30), env.capabilities());
    let mut out = Vec::new();
    tui.frame(&resume, &mut out);
    // Include a light-theme frame and the help overlay too.
    tui.input(b"t?", &resume);
    tui.frame(&resume, &mut out);
    String::from_utf8(out).unwrap()
}

fn env(term: &str) -> ClientEnv {
    ClientEnv {
        term: Some(term.into()),
        ..ClientEnv::default()
    }
}

/// SGR parameters used in the output (each `ESC [ ... m`).
fn sgr_params(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(i) = rest.find("\x1b[") {
        rest = &rest[i + 2..];
        let end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == ';'))
            .unwrap_or(rest.len());
        if rest[end..].starts_with('m') {
            out.push(rest[..end].to_owned());
        }
        rest = &rest[end..];
    }
    out
}

#[test]
fn a_flood_of_sizes_is_laid_out_once_at_the_latest_size() {
    let resume = Arc::new(
        Resume::parse(include_str!("../../resume.toml"), std::path::Path::new("r")).unwrap(),
    );
    let mut tui = Tui::new(
        SectionId::Experience,
        Size::new(100, 30),
        Capabilities::default(),
    );
    let mut out = Vec::new();
    tui.frame(&resume, &mut out);
    for cols in 40..200 {
        tui.resize(Size::new(cols, 30));
    }
    assert_eq!(
        tui.app().size,
        Size::new(100, 30),
        "laid out before a frame"
    );
    assert!(tui.dirty(&resume));
    out.clear();
    tui.frame(&resume, &mut out);
    assert_eq!(tui.app().size, Size::new(199, 30));
    let inner = out.strip_prefix(terminal::SYNC_BEGIN).unwrap_or_default();
    assert!(inner.starts_with(terminal::CLEAR), "a full redraw");
    assert!(out.ends_with(terminal::SYNC_END));
    assert!(!tui.dirty(&resume));
}

#[test]
fn search_frames_stay_out_of_the_shared_cache() {
    let resume = Arc::new(
        Resume::parse(include_str!("../../resume.toml"), std::path::Path::new("r")).unwrap(),
    );
    let mut tui = Tui::new(
        SectionId::About,
        Size::new(100, 30),
        Capabilities::default(),
    );
    let mut out = Vec::new();
    tui.frame(&resume, &mut out);
    // The cache is the process's: other tests store frames in it at the same time, so this
    // looks for keys, not at its size.
    let first = (Capabilities::default(), frames::From::Nothing, *tui.app());
    assert!(
        frames::lookup(&resume, &first).is_some(),
        "the first frame is shared"
    );
    let searching = |k: &frames::Key| {
        k.2.search.mode != search::Mode::Closed
            || matches!(k.1, frames::From::Same(a) if a.search.mode != search::Mode::Closed)
    };
    for keys in [&b"/kafka"[..], b"\r", b"n", b"\x1b"] {
        tui.input(keys, &resume);
        tui.flush_input(&resume);
        out.clear();
        tui.frame(&resume, &mut out);
        assert!(!out.is_empty());
        assert!(!frames::any_cached(searching), "after {keys:?}");
    }
    assert_eq!(tui.app().search.mode, search::Mode::Closed);
    // Searching moved to Case Studies; a tab switch with the search closed is shared again.
    let before = *tui.app();
    tui.input(b"l", &resume);
    tui.frame(&resume, &mut out);
    let switch = (
        Capabilities::default(),
        frames::From::Same(before),
        *tui.app(),
    );
    assert!(frames::lookup(&resume, &switch).is_some());
}

#[test]
fn truecolor_uses_rgb() {
    let mut e = env("xterm-256color");
    e.colorterm = Some("truecolor".into());
    let s = first_frame(e);
    assert!(s.contains("38;2;"), "no RGB colour in truecolor mode");
    assert!(!s.contains("38;5;"));
}

#[test]
fn ansi256_uses_indexed_only() {
    let s = first_frame(env("xterm-256color"));
    assert!(s.contains("38;5;"));
    assert!(
        !s.contains("38;2;") && !s.contains("48;2;"),
        "RGB in 256 mode"
    );
}

#[test]
fn ansi16_uses_basic_colours_only() {
    let s = first_frame(env("xterm"));
    assert!(!s.contains("38;5;") && !s.contains("38;2;") && !s.contains("48;5;"));
    let params = sgr_params(&s);
    assert!(params.iter().any(|p| {
        p.split(';')
            .any(|n| matches!(n.parse::<u8>(), Ok(30..=37 | 90..=97)))
    }));
}

#[test]
fn monochrome_terminals_get_no_colour() {
    for e in [env("vt100"), {
        let mut e = env("xterm-256color");
        e.no_color = true;
        e
    }] {
        let s = first_frame(e);
        for p in sgr_params(&s) {
            for n in p.split(';').filter(|n| !n.is_empty()) {
                let n: u8 = n.parse().unwrap();
                assert!(
                    matches!(n, 0 | 1 | 4 | 7),
                    "colour or odd attribute {n} in {p}"
                );
            }
        }
    }
}

#[test]
fn dumb_gets_no_sgr_at_all() {
    let s = first_frame(env("dumb"));
    assert!(sgr_params(&s).is_empty(), "{:?}", sgr_params(&s));
    // And ASCII only: no box drawing.
    assert!(!s.contains('─') && !s.contains('│') && !s.contains('•'));
}

#[test]
fn non_utf8_locale_gets_ascii() {
    let mut e = env("xterm-256color");
    e.lang = Some("en_US.ISO-8859-1".into());
    let s = first_frame(e);
    assert!(!s.contains('─') && !s.contains('╭') && !s.contains('•'));
}

/// A visit that only quits lays out nothing: at a size never seen, `q` needs no scroll
/// bounds (computing them composes every section), while a scroll key does.
#[test]
fn quitting_lays_out_nothing_and_scrolling_lays_out_once() {
    let resume = Arc::new(
        Resume::parse(include_str!("../../resume.toml"), std::path::Path::new("r")).unwrap(),
    );
    let caps = env("xterm-256color").capabilities();
    let mut out = Vec::new();
    let mut quitter = Tui::new(SectionId::About, Size::new(67, 19), caps);
    quitter.frame(&resume, &mut out);
    let before = crate::tui::layout_cache::entries();
    quitter.input(b"q", &resume);
    assert!(quitter.wants_quit());
    assert_eq!(crate::tui::layout_cache::entries(), before, "q laid out");
    let mut reader = Tui::new(SectionId::Experience, Size::new(67, 19), caps);
    reader.frame(&resume, &mut out);
    reader.input(b"j", &resume);
    assert_eq!(
        crate::tui::layout_cache::entries().0,
        before.0 + 1,
        "j did not lay out"
    );
    assert_eq!(reader.app().offset(), 1, "j scrolled");
    reader.input(b"jj", &resume);
    assert_eq!(
        crate::tui::layout_cache::entries().0,
        before.0 + 1,
        "laid out again"
    );
}

#[test]
fn a_first_frame_after_other_frames_is_the_one_a_fresh_thread_draws() {
    // The per-thread scratch frames are reused: whatever the frames before drew (sizes, tabs,
    // diffs, a search), a first frame's bytes must be those of a thread that never drew.
    fn draw(tab: SectionId, cols: u16, rows: u16, term: &str, keys: &[u8]) -> Vec<u8> {
        let resume = Arc::new(
            Resume::parse(include_str!("../../resume.toml"), std::path::Path::new("r")).unwrap(),
        );
        frames::clear();
        let mut tui = Tui::new(tab, Size::new(cols, rows), env(term).capabilities());
        let mut out = Vec::new();
        tui.frame(&resume, &mut out);
        // Then a diff (the other scratch path) and a new size (a redraw on a cleared screen).
        tui.input(keys, &resume);
        tui.frame(&resume, &mut out);
        tui.resize(Size::new(cols / 2 + 20, rows));
        tui.frame(&resume, &mut out);
        out
    }
    let visits: [(SectionId, u16, u16, &str, &[u8]); 6] = [
        (SectionId::About, 200, 60, "xterm-256color", b"2"),
        (SectionId::Experience, 45, 30, "xterm", b"j"),
        (SectionId::Skills, 100, 30, "vt100", b"t"),
        (SectionId::About, 240, 70, "xterm-kitty", b"/engineer"),
        (SectionId::Experience, 80, 24, "xterm-256color", b"jjj"),
        (SectionId::About, 41, 13, "linux", b"?"),
    ];
    for (tab, cols, rows, term, keys) in visits {
        let here = draw(tab, cols, rows, term, keys);
        let fresh = std::thread::spawn(move || draw(tab, cols, rows, term, keys))
            .join()
            .unwrap();
        assert!(
            here == fresh,
            "{cols}x{rows} {term} {tab:?}: {} vs {} bytes",
            here.len(),
            fresh.len()
        );
    }
}
