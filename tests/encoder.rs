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
    Arc::new(
        Resume::parse(
            include_str!("../resume.toml"),
            std::path::Path::new("resume.toml"),
        )
        .unwrap(),
    )
}

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

proptest! {
    #[test]
    fn over_blank_is_the_diff_from_blank(
        w in 1u16..30, h in 1u16..8,
        ops in proptest::collection::vec((0u16..40, 0u16..10, 0u8..8, 0u8..255), 0..40),
    ) {
        let next = random_buffer(w, h, &ops);
        let mut a = Vec::new();
        terminal::encode_diff(&Buffer::empty(next.area), &next, &mut a);
        let mut b = Vec::new();
        resume_ssh::blank_frame::encode_over_blank(&next, &mut b);
        prop_assert_eq!(a, b);
    }
}

#[test]
fn over_blank_is_the_diff_from_blank_for_the_real_ui() {
    let r = resume();
    for (cols, rows) in [
        (45, 30),
        (80, 24),
        (100, 30),
        (200, 60),
        (41, 13),
        (240, 70),
    ] {
        for term in ["xterm-256color", "xterm", "vt100", "dumb", "alacritty"] {
            let caps = ClientEnv {
                term: Some(term.into()),
                ..ClientEnv::default()
            }
            .capabilities();
            let theme = Theme::new(caps, false, &r.theme);
            let ctx = ViewCtx {
                resume: &r,
                theme: &theme,
                unicode: caps.unicode,
            };
            let mut next = Buffer::empty(Size::new(cols, rows).rect());
            view::render(
                &App::new(SectionId::Experience, Size::new(cols, rows)),
                &ctx,
                &mut next,
            );
            let mut a = Vec::new();
            terminal::encode_diff(&Buffer::empty(next.area), &next, &mut a);
            let mut b = Vec::new();
            resume_ssh::blank_frame::encode_over_blank(&next, &mut b);
            assert_eq!(a, b, "{cols}x{rows} {term}");
            assert!(
                a.len() > 500,
                "{cols}x{rows} {term}: the frame drew something"
            );
        }
    }
}
