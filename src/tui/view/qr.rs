//! The contact's QR code on the Contact section, where the screen has room for it: below the
//! text, or beside it on wide screens, as big as it fits, with its caption under it. Black on
//! white whatever the theme (see [`crate::qr`]).
//!
//! The code is made once per resume per thread: encoding costs far more than drawing.

use std::rc::Rc;
use std::sync::Arc;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};

use super::ViewCtx;
use crate::qr::{self, Code, Scale};
use crate::resume::Resume;
use crate::tui::derived::Derived;

thread_local! {
    /// The code of the resumes last drawn on this thread.
    static CODES: Derived<(), Rc<Option<Code>>> = const { Derived::new(2) };
}

/// The contact's code for `resume`.
fn code(resume: &Arc<Resume>) -> Rc<Option<Code>> {
    CODES.with(|c| c.get_or(resume, (), || Rc::new(qr::code(resume))).0)
}

/// Rows under the code: its caption.
const CAPTION_ROWS: u16 = 1;

/// Draws the code as big as it fits in the free part of the body: below the `used` rows of
/// text in `text`, or in `inner` right of the text. Nothing without Unicode or colours (the
/// white around the code could not be drawn), or where the code does not fit.
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
    let code = code(ctx.resume);
    let Some(code) = code.as_ref() else {
        return;
    };
    let fit = |a: Rect| {
        let rows = a.height.saturating_sub(CAPTION_ROWS);
        code.fit(usize::from(a.width), usize::from(rows))
            .map(|s| (s, a))
    };
    // The bigger drawing wins; below the text when both are the same.
    let (scale, area) = match (fit(below), fit(beside)) {
        (Some(b), Some(s)) if s.0 == Scale::Big && b.0 == Scale::Half => s,
        (Some(b), _) => b,
        (None, Some(s)) => s,
        (None, None) => return,
    };
    let (w, h) = code.cells(scale);
    // Centred across the space it has.
    let x0 = area.x + (area.width - w as u16) / 2;
    // The 16 basic colours every colour terminal has (a 256-colour or RGB value would not
    // reach a 16-colour one): black and bright white, painted as `Cell::painted` says.
    let colour = |dark: bool| if dark { Color::Black } else { Color::White };
    for (i, row) in code.grid(scale).iter().enumerate() {
        let y = area.y + i as u16;
        for (j, c) in row.iter().enumerate() {
            let (glyph, fg, bg) = c.painted();
            if let Some(cell) = buf.cell_mut((x0 + j as u16, y)) {
                cell.set_char(glyph)
                    .set_style(Style::new().fg(colour(fg)).bg(colour(bg)));
            }
        }
    }
    let caption = qr::CAPTION;
    let cx = area.x + area.width.saturating_sub(caption.len() as u16) / 2;
    buf.set_stringn(
        cx,
        area.y + h as u16,
        caption,
        usize::from(area.width),
        t.text,
    );
}
