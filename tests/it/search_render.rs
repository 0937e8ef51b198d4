//! The search highlight as drawn into a frame: which cells the pass over the rendered body
//! restyles (reverse video; the current match also bold and underlined) at several sizes and
//! colour depths, through the same `view::render` the server uses.

use std::sync::Arc;

use ratatui::buffer::Buffer;
use ratatui::style::Modifier;
use resume_ssh::content::SectionId;
use resume_ssh::resume::{Resume, ThemeConfig};
use resume_ssh::terminal::Size;
use resume_ssh::tui::app::App;
use resume_ssh::tui::layout;
use resume_ssh::tui::search::{Dir, Query, View, find};
use resume_ssh::tui::theme::{Capabilities, ColorDepth, Theme};
use resume_ssh::tui::view::{ViewCtx, render as view_render};

fn resume() -> Arc<Resume> {
    Arc::new(crate::common::shipped_resume())
}

/// The app after searching `q` from `tab` and pressing n `steps` times.
fn searched(r: &Arc<Resume>, size: Size, tab: SectionId, q: &str, steps: usize) -> App {
    let mut app = App::new(tab, size);
    let g = layout::geometry(size, r, true);
    app.search.open();
    app.search.query = Query::from(q).unwrap();
    for i in 0..=steps {
        let dir = if i == 0 { Dir::First } else { Dir::Next };
        app.search.go(
            dir,
            View {
                size,
                resume: r,
                unicode: true,
                body_height: g.body_height,
                max_scroll: &g.max_scroll,
                tab: &mut app.tab,
                scroll: &mut app.scroll,
            },
        );
    }
    app
}

fn draw(app: &App, r: &Arc<Resume>, depth: ColorDepth) -> Buffer {
    let caps = Capabilities {
        depth,
        unicode: true,
        ..Capabilities::default()
    };
    let theme = Theme::new(caps, false, &ThemeConfig::default());
    let ctx = ViewCtx {
        resume: r,
        theme: &theme,
        unicode: true,
    };
    let mut buf = Buffer::empty(app.size.rect());
    view_render(app, &ctx, &mut buf);
    buf
}

/// (row, text) of each run of reversed cells.
fn reversed(buf: &Buffer) -> Vec<(u16, String, bool)> {
    let mut out = Vec::new();
    for y in 0..buf.area.height {
        let mut run: Option<(u16, String, bool)> = None;
        for x in 0..buf.area.width {
            let c = &buf[(x, y)];
            if c.modifier.contains(Modifier::REVERSED) {
                let strong = c.modifier.contains(Modifier::BOLD | Modifier::UNDERLINED);
                run.get_or_insert((y, String::new(), strong))
                    .1
                    .push_str(c.symbol());
            } else if let Some(r) = run.take() {
                out.push(r);
            }
        }
        out.extend(run);
    }
    out
}

#[test]
fn matches_are_reversed_and_the_current_one_stands_out() {
    let _gate = crate::common::shared_blocking();
    let r = resume();
    let size = Size::new(80, 24);
    let app = searched(&r, size, SectionId::Skills, "kafka", 0);
    assert_eq!(app.tab, SectionId::Skills);
    for depth in [ColorDepth::TrueColor, ColorDepth::None { attributes: true }] {
        let buf = draw(&app, &r, depth);
        let runs = reversed(&buf);
        let b = layout::areas(size, &r).body;
        let body: Vec<_> = runs
            .iter()
            .filter(|(y, _, _)| (b.top()..b.bottom()).contains(y))
            .collect();
        assert_eq!(body.len(), 1, "{depth:?}: {runs:?}");
        assert_eq!((body[0].1.as_str(), body[0].2), ("Kafka", true));
        let footer = resume_ssh::render::row_text(&buf, 23);
        let n = find::matches(size, &r, true, &app.search.query).hits.len();
        assert!(footer.contains(&format!(" of {n}")), "{footer}");
        assert!(footer.contains("/kafka"), "{footer}");
    }
    // A terminal with no attributes at all: nothing restyled, the count still shows.
    let buf = draw(&app, &r, ColorDepth::None { attributes: false });
    assert!(reversed(&buf).is_empty());
    assert!(resume_ssh::render::row_text(&buf, 23).contains(" of "));
}

#[test]
fn a_phrase_across_a_line_break_is_highlighted_on_both_rows() {
    let _gate = crate::common::shared_blocking();
    let r = resume();
    // At 40 columns "event-driven updates via Kafka" wraps in Case Studies.
    for cols in [40u16, 52, 61, 80] {
        let size = Size::new(cols, 30);
        let q = Query::from("updates via kafka").unwrap();
        let m = find::matches(size, &r, true, &q);
        let Some(i) = m.hits.iter().position(|h| h.end_line > h.line) else {
            continue;
        };
        let app = searched(&r, size, SectionId::CaseStudies, q.as_str(), i);
        let buf = draw(&app, &r, ColorDepth::Ansi256);
        let strong: Vec<String> = reversed(&buf)
            .into_iter()
            .filter(|r| r.2)
            .map(|r| r.1)
            .collect();
        assert_eq!(strong.len(), 2, "{cols}: {strong:?}");
        assert_eq!(strong.join(" ").to_lowercase(), "updates via kafka");
        return;
    }
    panic!("the phrase never wrapped");
}

/// The cost of drawing a frame with the search closed (the old path plus one check) and with
/// matches on screen (the highlight pass), and the size of the app state the frame cache keys
/// on. A figure for the report: `cargo test --test it search_render::cost -- --ignored --nocapture`.
#[test]
#[ignore = "a measurement"]
fn cost_of_a_frame_with_and_without_search() {
    let _gate = crate::common::shared_blocking();
    let r = resume();
    let size = Size::new(100, 30);
    let closed = App::new(SectionId::Skills, size);
    let open = searched(&r, size, SectionId::Skills, "kafka", 0);
    let mut typing = open;
    typing.search.mode = resume_ssh::tui::search::Mode::Editing;
    let time = |app: &App| {
        let _ = draw(app, &r, ColorDepth::Ansi256);
        let t = std::time::Instant::now();
        for _ in 0..2000 {
            std::hint::black_box(draw(app, &r, ColorDepth::Ansi256));
        }
        t.elapsed() / 2000
    };
    println!(
        "frame at 100x30: search closed {:?}, showing (a match on screen) {:?}, typing {:?}; App is {} bytes",
        time(&closed),
        time(&open),
        time(&typing),
        std::mem::size_of::<App>()
    );
}
