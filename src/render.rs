//! One frame of the UI rendered locally (`resume-ssh render`): as text, with ANSI colours, or
//! as an SVG picture ([`svg`]).

mod boxes;
mod palette;
pub mod svg;

use std::sync::Arc;

use ratatui::buffer::Buffer;

use crate::content::SectionId;
use crate::resume::Resume;
use crate::terminal::Size;
use crate::tui::app::App;
use crate::tui::theme::{ClientEnv, Theme};
use crate::tui::view::{self, ViewCtx};

/// What to render.
#[derive(Debug, Clone)]
pub struct Options {
    pub size: Size,
    pub tab: SectionId,
    /// The TERM to render for.
    pub term: String,
    pub help: bool,
}

fn frame(resume: &Resume, opts: &Options) -> Buffer {
    let caps = ClientEnv {
        term: Some(opts.term.clone()),
        ..ClientEnv::default()
    }
    .capabilities();
    let theme = Theme::new(caps, false, &resume.theme);
    let mut app = App::new(opts.tab, opts.size);
    app.help = opts.help;
    // The view caches wrapped text per shared resume; a one-off render owns its copy.
    let resume = Arc::new(resume.clone());
    let ctx = ViewCtx {
        resume: &resume,
        theme: &theme,
        unicode: caps.unicode,
    };
    let mut buf = Buffer::empty(opts.size.rect());
    view::render(&app, &ctx, &mut buf);
    buf
}

/// The frame's characters as a terminal shows them, one line per row, trailing spaces trimmed.
pub fn text(resume: &Resume, opts: &Options) -> Vec<u8> {
    let buf = frame(resume, opts);
    let mut out = String::new();
    for y in 0..buf.area.height {
        out.push_str(row_text(&buf, y).trim_end());
        out.push('\n');
    }
    out.into_bytes()
}

/// Row `y` (counted from the top of `buf`) as a terminal shows it: a wide character covers the cell after it, which the
/// buffer keeps as a blank continuation cell, so that cell is not printed (as in the diff that
/// draws the frame, [`crate::terminal::encode_row`]).
pub fn row_text(buf: &Buffer, y: u16) -> String {
    let mut line = String::new();
    let mut skip = 0usize;
    for x in 0..buf.area.width {
        if skip > 0 {
            skip -= 1;
            continue;
        }
        let sym = buf[(buf.area.x + x, buf.area.y + y)].symbol();
        line.push_str(sym);
        skip = crate::terminal::symbol_width(sym).saturating_sub(1);
    }
    line
}

/// The frame with colours, one line per row, for printing in a terminal (`cat`-able).
pub fn ansi(resume: &Resume, opts: &Options) -> Vec<u8> {
    let buf = frame(resume, opts);
    let mut out = Vec::new();
    for y in 0..buf.area.height {
        // Each row is encoded as a one-row frame diffed against blank, then positioned by
        // newlines instead of cursor moves.
        let mut row = Buffer::empty(ratatui::layout::Rect::new(0, 0, buf.area.width, 1));
        for x in 0..buf.area.width {
            row[(x, 0)] = buf[(x, y)].clone();
        }
        let mut bytes = Vec::new();
        crate::terminal::encode_row(&row, &mut bytes);
        out.extend_from_slice(&bytes);
        out.extend_from_slice(b"\x1b[0m\n");
    }
    out
}

/// The frame as an SVG picture (see [`svg`]).
pub fn svg(resume: &Resume, opts: &Options) -> Vec<u8> {
    svg::document(&frame(resume, opts)).into_bytes()
}
