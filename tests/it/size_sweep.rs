//! Every width from 1 to 400 columns and every height from 1 to 200 rows, every section: the UI
//! never panics, draws inside the screen, and from the minimum size up keeps the name, the tab
//! row's selected section and the quit key on screen.

use std::sync::Arc;
use std::time::Instant;

use ratatui::buffer::Buffer;
use resume_ssh::content::SectionId;
use resume_ssh::render;
use resume_ssh::resume::Resume;
use resume_ssh::terminal::Size;
use resume_ssh::tui::app::App;
use resume_ssh::tui::layout;
use resume_ssh::tui::theme::{ClientEnv, Theme};
use resume_ssh::tui::view::{self, ViewCtx};

fn resume() -> Arc<Resume> {
    Arc::new(crate::common::shipped_resume())
}

/// Draws one screen and checks what every screen must show.
fn check(r: &Arc<Resume>, ctx: &ViewCtx, size: Size, tab: SectionId, help: bool) {
    let mut app = App::new(tab, size);
    app.help = help;
    // Scrolled to the end: the deepest offset is drawn too.
    app.scroll[tab.index()] = layout::max_scroll(size, r, ctx.unicode, tab);
    let mut buf = Buffer::empty(size.rect());
    view::render(&app, ctx, &mut buf);
    if layout::too_small(size) || help {
        return;
    }
    // The header, tab row and the body's title are in the first rows; the footer is the last.
    let last = size.rows - 1;
    let rows: Vec<String> = (0..size.rows.min(6))
        .chain([last])
        .map(|y| render::row_text(&buf, y))
        .collect();
    let screen = rows.join("\n");
    let at = format!("{}x{} {tab:?}", size.cols, size.rows);
    assert!(
        rows[rows.len() - 1].contains("q quit"),
        "{at}: footer\n{screen}"
    );
    assert!(
        screen.contains("Arunav Malhotra"),
        "{at}: the name\n{screen}"
    );
    assert!(
        screen.contains(tab.title()),
        "{at}: the section's name\n{screen}"
    );
}

#[test]
fn every_width_and_every_height_every_section() {
    let _gate = crate::common::shared_blocking();
    let started = Instant::now();
    let r = resume();
    // Every size in colour (each size one section, every section at every 5th size and at the
    // edges of the width classes); a sample in monochrome ASCII, whose layout is the same.
    let edges = [1, 39, 40, 41, 49, 50, 59, 60, 119, 120, 399, 400];
    for (term, no_color, step) in [("xterm-256color", false, 1), ("vt100", true, 7)] {
        let caps = ClientEnv {
            term: Some(term.into()),
            no_color,
            ..ClientEnv::default()
        }
        .capabilities();
        let theme = Theme::new(caps, false, &r.theme);
        let ctx = ViewCtx {
            resume: &r,
            theme: &theme,
            unicode: caps.unicode,
        };
        let tabs = |n: u16| -> Vec<SectionId> {
            if n % 5 == 0 || edges.contains(&n) {
                SectionId::ALL.to_vec()
            } else {
                vec![SectionId::from_index(usize::from(n) % 6)]
            }
        };
        for cols in (1..=400u16).step_by(step) {
            for rows in [1, 12, 30] {
                for tab in tabs(cols) {
                    check(&r, &ctx, Size::new(cols, rows), tab, false);
                }
            }
            let tab = SectionId::from_index(usize::from(cols) % 6);
            check(&r, &ctx, Size::new(cols, 24), tab, true);
        }
        for rows in (1..=200u16).step_by(step) {
            for cols in [45, 80, 120] {
                for tab in tabs(rows) {
                    check(&r, &ctx, Size::new(cols, rows), tab, false);
                }
            }
            // The extremes, for a sample of heights (a 400-column screen is costly to draw).
            if rows % 9 == 1 || rows == 200 {
                let tab = SectionId::from_index(usize::from(rows) % 6);
                check(&r, &ctx, Size::new(1, rows), tab, false);
                check(&r, &ctx, Size::new(400, rows), tab, false);
            }
            let tab = SectionId::from_index(usize::from(rows) % 6);
            check(&r, &ctx, Size::new(80, rows), tab, true);
        }
    }
    println!("size sweep: {:?}", started.elapsed());
}
