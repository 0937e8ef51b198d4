//! Renders the app into a ratatui buffer: header, tabs, scrolling body, footer, help overlay.
//!
//! A pure function of (state, size, resume, theme): no I/O, no clock, so the previous frame can
//! always be rendered again for a diff instead of being kept. Where things go comes from
//! [`super::layout`], which input handling uses too.

mod body;
mod footer;
mod header;
mod help;
mod note;
mod one_cell;
pub mod qr;
mod rail;
mod tabs;
mod widgets;

use ratatui::buffer::Buffer;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::Line as TLine;
use ratatui::widgets::{Paragraph, Widget, Wrap};
use std::sync::Arc;

use super::app::App;
use super::layout::{self, MIN_COLS, MIN_ROWS};
use super::search;
use super::theme::Theme;
use crate::resume::Resume;
use crate::terminal::Size;

/// What the view needs besides the app state.
pub struct ViewCtx<'a> {
    pub resume: &'a Arc<Resume>,
    pub theme: &'a Theme,
    pub unicode: bool,
}

/// Draws the whole screen for `app` into `buf` (whose area is the client's size).
pub fn render(app: &App, ctx: &ViewCtx, buf: &mut Buffer) {
    let size = app.size;
    let t = ctx.theme;
    if layout::too_small(size) {
        render_too_small(size, t, buf);
        paint(t, buf);
        return;
    }
    let a = layout::areas(size, ctx.resume);
    header::render(a.header, size, ctx, buf);
    rail::render(a.rail, ctx, buf);
    tabs::render(a.tabs, app.tab, ctx, buf);
    body::render(a.body, app, ctx, buf);
    footer::render(a.footer, ctx, buf);
    note::render(a.footer, app, ctx, buf);
    search::paint::render(
        &app.search,
        &search::paint::Screen {
            size,
            resume: ctx.resume,
            unicode: ctx.unicode,
            theme: t,
            tab: app.tab,
            offset: app.offset(),
            body: a.body,
            footer: a.footer,
        },
        buf,
    );
    if app.help {
        help::render(size, app.help_scroll, ctx, buf);
    }
    paint(t, buf);
}

/// A palette the visitor picked paints every cell the view left to the terminal's own colours,
/// so a light palette on a dark terminal (or the reverse) stays readable.
fn paint(t: &Theme, buf: &mut Buffer) {
    let Some((fg, bg)) = t.paint else {
        return;
    };
    for cell in buf.content.iter_mut() {
        if cell.fg == ratatui::style::Color::Reset {
            cell.fg = fg;
        }
        if cell.bg == ratatui::style::Color::Reset {
            cell.bg = bg;
        }
    }
}

fn render_too_small(size: Size, t: &Theme, buf: &mut Buffer) {
    let msg = vec![
        TLine::styled("Terminal too small", t.heading),
        TLine::raw(format!(
            "Please enlarge it to at least {MIN_COLS}×{MIN_ROWS} (now {}×{}).",
            size.cols, size.rows
        )),
        TLine::raw("Press q to quit."),
    ];
    let h = 3.min(size.rows);
    let y = size.rows.saturating_sub(h) / 2;
    Paragraph::new(msg)
        .alignment(Alignment::Center)
        .wrap(Wrap { trim: true })
        .render(Rect::new(0, y, size.cols, size.rows - y), buf);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::SectionId;
    use crate::resume::ThemeConfig;
    use crate::tui::theme::{Capabilities, ColorDepth};
    use std::path::Path;

    fn resume() -> std::sync::Arc<Resume> {
        std::sync::Arc::new(
            Resume::parse(
                include_str!("../../../resume.toml"),
                Path::new("resume.toml"),
            )
            .unwrap(),
        )
    }

    fn draw(app: &App, r: &std::sync::Arc<Resume>, unicode: bool) -> String {
        let caps = Capabilities {
            depth: ColorDepth::Ansi256,
            unicode,
            ..Capabilities::default()
        };
        let theme = Theme::new(caps, false, &ThemeConfig::default());
        let ctx = ViewCtx {
            resume: r,
            theme: &theme,
            unicode,
        };
        let mut buf = Buffer::empty(app.size.rect());
        render(app, &ctx, &mut buf);
        let mut s = String::new();
        for y in 0..app.size.rows {
            s.push_str(crate::render::row_text(&buf, y).trim_end());
            s.push('\n');
        }
        s
    }

    #[test]
    fn first_screen_at_80x24() {
        let r = resume();
        let app = App::new(SectionId::About, Size::new(80, 24));
        let s = draw(&app, &r, true);
        assert!(
            s.starts_with(" Arunav Malhotra · Backend Platform Engineer\n"),
            "{s}"
        );
        assert!(s.contains("1 About"));
        assert!(s.contains("6 Contact"));
        assert!(s.contains("6+ years architecting backend platforms"));
        assert!(s.contains("? help"));
        assert!(s.contains(" of "), "position indicator: {s}");
    }

    #[test]
    fn through_ratatui_test_backend_at_120x40() {
        use ratatui::Terminal;
        use ratatui::backend::TestBackend;
        let r = resume();
        let caps = Capabilities {
            depth: ColorDepth::TrueColor,
            unicode: true,
            ..Capabilities::default()
        };
        let theme = Theme::new(caps, false, &ThemeConfig::default());
        let ctx = ViewCtx {
            resume: &r,
            theme: &theme,
            unicode: true,
        };
        for (w, h, tab, expect) in [
            (
                80,
                24,
                SectionId::CaseStudies,
                "Distributed Contact Management at Scale",
            ),
            (120, 40, SectionId::Contact, "arunavmalhotra1998@gmail.com"),
        ] {
            let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
            let app = App::new(tab, Size::new(w, h));
            term.draw(|f| render(&app, &ctx, f.buffer_mut())).unwrap();
            let text: String = term
                .backend()
                .buffer()
                .content()
                .iter()
                .map(|c| c.symbol())
                .collect();
            assert!(text.contains(expect), "{w}x{h}: {expect}");
            assert!(text.contains("Arunav Malhotra"));
        }
    }

    #[test]
    fn every_size_renders_without_panic() {
        let r = resume();
        for cols in (1..=300).step_by(7).chain([1, 39, 40, 80, 300]) {
            for rows in (1..=100).step_by(5).chain([1, 11, 12, 24, 100]) {
                for help in [false, true] {
                    let mut app = App::new(SectionId::Experience, Size::new(cols, rows));
                    app.help = help;
                    app.scroll[1] = u16::MAX;
                    draw(&app, &r, cols % 2 == 0);
                }
            }
        }
    }

    #[test]
    fn too_small_screen_says_so() {
        let r = resume();
        let app = App::new(SectionId::About, Size::new(30, 8));
        let s = draw(&app, &r, true);
        assert!(s.contains("Terminal too small"), "{s}");
        assert!(s.contains("q to quit"));
    }

    #[test]
    fn ascii_mode_has_no_box_drawing() {
        let r = resume();
        let mut app = App::new(SectionId::Experience, Size::new(80, 24));
        for help in [false, true] {
            app.help = help;
            let s = draw(&app, &r, false);
            assert!(
                s.is_ascii()
                    || !s
                        .chars()
                        .any(|c| ('\u{2500}'..='\u{259f}').contains(&c) || c == '•'),
                "{s}"
            );
        }
    }

    #[test]
    fn ascii_mode_spells_dashes_in_ascii_everywhere() {
        let text = include_str!("../../../resume.toml")
            .replacen(
                "Backend Platform Engineer",
                "Backend – Platform Engineer",
                1,
            )
            .replacen(
                "Lead Software Development Engineer. ",
                "Lead — Engineer. ",
                1,
            );
        let r = Arc::new(Resume::parse(&text, Path::new("resume.toml")).unwrap());
        for (cols, tab) in [
            (80, SectionId::About),
            (45, SectionId::About),
            (130, SectionId::Experience),
        ] {
            let app = App::new(tab, Size::new(cols, 30));
            let s = draw(&app, &r, false);
            assert!(s.is_ascii(), "{cols}: {s}");
            assert!(s.contains("Backend - Platform"), "{cols}: {s}");
        }
        let s = draw(&App::new(SectionId::About, Size::new(80, 30)), &r, false);
        assert!(s.contains("Lead - Engineer"), "the wrapped tagline: {s}");
    }

    #[test]
    fn header_ellipses_match_the_character_set() {
        let r = resume();
        // 60 columns: the tagline needs three lines and has two, the title line fits.
        let app = App::new(SectionId::About, Size::new(60, 24));
        for (unicode, ellipsis) in [(true, "…"), (false, "...")] {
            let s = draw(&app, &r, unicode);
            let header: Vec<&str> = s.lines().take(3).collect();
            assert!(header[2].ends_with(ellipsis), "{header:?}");
            assert!(unicode || header.iter().all(|l| l.is_ascii()), "{header:?}");
        }
        // 45 columns (narrow): the name on the first line, the title on the second.
        let app = App::new(SectionId::About, Size::new(45, 24));
        let s = draw(&app, &r, false);
        let header: Vec<&str> = s.lines().take(3).collect();
        assert_eq!(header[0], " Arunav Malhotra");
        assert_eq!(header[1], " Backend Platform Engineer");
        assert_eq!(header[2], " < 1/6 About >");
    }
}
