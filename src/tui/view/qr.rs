//! The contact's QR code on the Contact section, where the screen has room for it: below the
//! text, or beside it on wide screens. Black on white whatever the theme (see [`crate::qr`]).
//!
//! Codes are made once per resume per thread: encoding costs far more than drawing.

use std::rc::Rc;
use std::sync::Arc;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};

use super::ViewCtx;
use crate::qr::{self, Code};
use crate::resume::Resume;
use crate::tui::derived::Derived;

thread_local! {
    /// The codes of the resumes last drawn on this thread.
    static CODES: Derived<(), Rc<Vec<Code>>> = const { Derived::new(2) };
}

/// The contact's codes for `resume`, richest first.
fn codes(resume: &Arc<Resume>) -> Rc<Vec<Code>> {
    CODES.with(|c| c.get_or(resume, (), || Rc::new(qr::codes(resume))).0)
}

/// Draws the richest code that fits in the free part of the body: below the `used` rows of
/// text in `text`, or in `inner` right of the text. Nothing without Unicode or colours (the
/// white around the code could not be drawn), or where no code fits.
pub fn render(inner: Rect, text: Rect, used: u16, ctx: &ViewCtx, buf: &mut Buffer) {
    // A theme without any colour is a terminal that gets none (monochrome, dumb).
    let t = ctx.theme;
    let coloured = [t.name, t.heading, t.text, t.link, t.key, t.footer]
        .iter()
        .any(|s| s.fg.is_some() || s.bg.is_some());
    if !ctx.unicode || !coloured {
        return;
    }
    let below = Rect::new(
        text.x,
        text.y + used + 1,
        text.width,
        text.height.saturating_sub(used + 1),
    );
    let beside_x = text.right() + 2;
    let beside = Rect::new(
        beside_x,
        inner.y,
        inner.right().saturating_sub(beside_x + 1),
        inner.height,
    );
    let codes = codes(ctx.resume);
    let pick = |a: Rect| qr::fitting(&codes, usize::from(a.width), usize::from(a.height));
    let (code, area) = match (pick(below), pick(beside)) {
        (Some(b), Some(s)) if s.size > b.size => (s, beside),
        (Some(b), _) => (b, below),
        (None, Some(s)) => (s, beside),
        (None, None) => return,
    };
    let (w, _) = code.cells();
    // Centred in the space it has.
    let x0 = area.x + (area.width - w as u16) / 2;
    // The 16 basic colours every colour terminal has (a 256-colour or RGB value would not
    // reach a 16-colour one): black and bright white.
    let style = Style::new().fg(Color::Black).bg(Color::White);
    for (i, row) in code.rows().iter().enumerate() {
        buf.set_string(x0, area.y + i as u16, row, style);
    }
}
