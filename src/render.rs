//! One frame of the UI rendered locally (`resume-ssh render`): as text, or with ANSI colours.

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

/// The frame's characters, one line per row, trailing spaces trimmed.
pub fn text(resume: &Resume, opts: &Options) -> Vec<u8> {
    let buf = frame(resume, opts);
    let mut out = String::new();
    for y in 0..buf.area.height {
        let mut line = String::new();
        for x in 0..buf.area.width {
            line.push_str(buf[(x, y)].symbol());
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out.into_bytes()
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
