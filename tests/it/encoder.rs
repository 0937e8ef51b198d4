//! The fast encoders give the same bytes, or the same screen, as the plain diff: a frame drawn
//! on a cleared screen (`encode_over_blank`) against `encode_diff` from a blank buffer, on
//! random cells (wide characters, attributes, colours) and on the real UI at many sizes.

use std::sync::Arc;

use proptest::prelude::*;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use resume_ssh::content::SectionId;
use resume_ssh::resume::Resume;
use resume_ssh::terminal::{self, Size};
use resume_ssh::tui::app::App;
use resume_ssh::tui::theme::{ClientEnv, Theme};
use resume_ssh::tui::view::{self, ViewCtx};

fn resume() -> Arc<Resume> {
    Arc::new(crate::common::shipped_resume())
}

/// The real UI's first screen of `tab` at `cols`×`rows` on a terminal that says `term`.
fn screen(r: &Arc<Resume>, term: &str, tab: SectionId, cols: u16, rows: u16) -> Buffer {
    let caps = ClientEnv {
        term: Some(term.into()),
        ..ClientEnv::default()
    }
    .capabilities();
    let theme = Theme::new(caps, false, &r.theme);
    let ctx = ViewCtx {
        resume: r,
        theme: &theme,
        unicode: caps.unicode,
    };
    let mut next = Buffer::empty(Size::new(cols, rows).rect());
    view::render(&App::new(tab, Size::new(cols, rows)), &ctx, &mut next);
    next
}

/// The real UI's sizes under test: a phone, the classic terminal, laptops, a big monitor, odd
/// sizes and one past the largest kept scratch frame.
const SIZES: [(u16, u16); 8] = [
    (45, 30),
    (80, 24),
    (100, 30),
    (120, 40),
    (200, 60),
    (61, 21),
    (41, 13),
    (240, 70),
];

fn random_buffer(w: u16, h: u16, ops: &[(u16, u16, u8, u8)]) -> Buffer {
    let mut b = Buffer::empty(Rect::new(0, 0, w, h));
    let texts = ["a", "日本", "x y", " ", "→", "é", "😀z", "  "];
    for &(x, y, t, st) in ops {
        let style = match st % 5 {
            0 => Style::new(),
            1 => Style::new().fg(Color::Indexed(st)),
            2 => Style::new().bg(Color::Rgb(st, 1, 2)),
            3 => Style::new().add_modifier(Modifier::BOLD),
            _ => Style::new().fg(Color::Red).add_modifier(Modifier::REVERSED),
        };
        b.set_string(x % w, y % h, texts[usize::from(t) % texts.len()], style);
    }
    b
}

/// The reference: `next` drawn with `links` as a linked diff from a blank buffer.
fn linked_diff_from_blank(next: &Buffer, links: &terminal::Links) -> Vec<u8> {
    let mut out = Vec::new();
    terminal::encode_diff_linked(&Buffer::empty(next.area), next, links, &mut out);
    out
}

proptest! {
    #[test]
    fn over_blank_is_the_diff_from_blank(
        w in 1u16..30, h in 1u16..8,
        ops in proptest::collection::vec((0u16..40, 0u16..10, 0u8..8, 0u8..255), 0..40),
    ) {
        let _gate = crate::common::shared_blocking();
        let next = random_buffer(w, h, &ops);
        let mut a = Vec::new();
        terminal::encode_diff(&Buffer::empty(next.area), &next, &mut a);
        let mut b = Vec::new();
        resume_ssh::terminal::blank_frame::encode_over_blank(&next, &mut b);
        prop_assert_eq!(a, b);
    }
}

#[test]
fn over_blank_is_the_diff_from_blank_for_the_real_ui() {
    let _gate = crate::common::shared_blocking();
    let r = resume();
    for (cols, rows) in SIZES {
        for term in ["xterm-256color", "xterm", "vt100", "dumb", "alacritty"] {
            let next = screen(&r, term, SectionId::Experience, cols, rows);
            let mut a = Vec::new();
            terminal::encode_diff(&Buffer::empty(next.area), &next, &mut a);
            let mut b = Vec::new();
            resume_ssh::terminal::blank_frame::encode_over_blank(&next, &mut b);
            assert_eq!(a, b, "{cols}x{rows} {term}");
            assert!(
                a.len() > 500,
                "{cols}x{rows} {term}: the frame drew something"
            );
        }
    }
}

/// First frames with hyperlinks: the linked over-blank encoder gives the bytes of the linked
/// diff from a blank buffer, on every tab (Contact has the most links) and at many sizes.
#[test]
fn linked_over_blank_is_the_linked_diff_from_blank() {
    let _gate = crate::common::shared_blocking();
    let r = resume();
    let targets = resume_ssh::tui::links::Targets::of(&r);
    let mut linked_frames = 0;
    for (cols, rows) in SIZES {
        for tab in SectionId::ALL {
            let next = screen(&r, "xterm-256color", tab, cols, rows);
            let mut spans = Vec::new();
            targets.find(&next, &mut spans);
            linked_frames += usize::from(!spans.is_empty());
            let links = terminal::Links {
                prev: &[],
                next: &spans,
                uris: &targets.uris,
            };
            let a = linked_diff_from_blank(&next, &links);
            let mut b = Vec::new();
            resume_ssh::terminal::blank_frame::encode_over_blank_linked(&next, &links, &mut b);
            assert_eq!(a, b, "{cols}x{rows} {tab:?}");
        }
    }
    assert!(linked_frames >= 6, "only {linked_frames} frames had links");
}

proptest! {
    /// The same on random cells with random links (some pointing past the URI list).
    #[test]
    fn linked_over_blank_is_the_linked_diff_on_random_cells(
        w in 1u16..30, h in 1u16..8,
        ops in proptest::collection::vec((0u16..40, 0u16..10, 0u8..8, 0u8..255), 0..40),
        cuts in proptest::collection::vec((0usize..240, 1usize..12, 0usize..4), 0..6),
    ) {
        let _gate = crate::common::shared_blocking();
        let next = random_buffer(w, h, &ops);
        let uris = vec!["https://a.example".to_owned(), "mailto:b@example.com".to_owned(), "x".to_owned()];
        let mut spans = Vec::new();
        let mut at = 0;
        for (gap, len, target) in cuts {
            let start = at + gap;
            spans.push(terminal::LinkSpan { start, end: start + len, target });
            at = start + len;
        }
        let links = terminal::Links { prev: &[], next: &spans, uris: &uris };
        let a = linked_diff_from_blank(&next, &links);
        let mut b = Vec::new();
        resume_ssh::terminal::blank_frame::encode_over_blank_linked(&next, &links, &mut b);
        prop_assert_eq!(a, b);
    }
}

/// The one-pass encoder that finds links as it goes gives the bytes of finding them first and
/// then encoding the linked diff from a blank buffer.
fn found_is_find_then_diff(next: &Buffer, targets: &resume_ssh::tui::links::Targets) -> usize {
    let mut spans = Vec::new();
    targets.find(next, &mut spans);
    let links = terminal::Links {
        prev: &[],
        next: &spans,
        uris: &targets.uris,
    };
    let a = linked_diff_from_blank(next, &links);
    let mut b = Vec::new();
    let mut finder = (!targets.is_empty()).then(|| targets.finder());
    resume_ssh::terminal::blank_frame::encode_over_blank_found(
        next,
        finder.as_mut(),
        &targets.uris,
        &mut b,
    );
    assert_eq!(
        String::from_utf8_lossy(&a),
        String::from_utf8_lossy(&b),
        "{:?}",
        next.area
    );
    spans.len()
}

#[test]
fn found_over_blank_is_the_linked_diff_for_the_real_ui() {
    let _gate = crate::common::shared_blocking();
    let r = resume();
    let targets = resume_ssh::tui::links::Targets::of(&r);
    let none = resume_ssh::tui::links::Targets::default();
    let mut links = 0;
    for (cols, rows) in SIZES {
        for tab in SectionId::ALL {
            for term in ["xterm-256color", "vt100", "xterm-kitty"] {
                let next = screen(&r, term, tab, cols, rows);
                links += found_is_find_then_diff(&next, &targets);
                found_is_find_then_diff(&next, &none);
            }
        }
    }
    assert!(links >= 20, "only {links} links drawn");
}

proptest! {
    /// The same on random cells that show the resume's addresses whole, cut, and next to
    /// wide characters.
    #[test]
    fn found_over_blank_is_the_linked_diff_on_random_cells(
        w in 1u16..40, h in 1u16..8,
        ops in proptest::collection::vec((0u16..50, 0u16..10, 0u8..12, 0u8..255), 0..40),
    ) {
        let _gate = crate::common::shared_blocking();
        let r = resume();
        let targets = resume_ssh::tui::links::Targets::of(&r);
        let email = r.basics.email.to_string();
        let mut next = random_buffer(w, h, &ops);
        let texts = [email.as_str(), "a@b", "日本:x", "@"];
        for &(x, y, t, _) in ops.iter().filter(|o| o.2 >= 8) {
            let style = Style::new().fg(Color::Indexed(t));
            next.set_string(x % w, y % h, texts[usize::from(t - 8)], style);
        }
        found_is_find_then_diff(&next, &targets);
    }
}
