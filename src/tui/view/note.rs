//! The footer's note: what `c` copied, whether the mouse is captured (`m`), until the next key.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::ViewCtx;
use crate::content::ellipsize;
use crate::tui::app::{App, Note};

/// The note's text for `app`, if it has one (a mouse left off always has one).
pub fn text(app: &App, ctx: &ViewCtx) -> Option<String> {
    let email = ctx.resume.basics.email.as_str();
    let dot = if ctx.unicode { "·" } else { "-" };
    Some(match (app.note, app.mouse) {
        (Some(Note::Copied), _) => {
            format!("Copied {email} to your clipboard (where your terminal allows it)")
        }
        (Some(Note::CannotCopy), _) => {
            "This terminal takes no copy: press m, then select the address with your mouse"
                .to_owned()
        }
        (Some(Note::MouseOff), _) | (None, false) => {
            format!("Mouse off: select text with your mouse {dot} m turns it back on")
        }
        (Some(Note::MouseOn), _) => {
            format!("Mouse on: click tabs, scroll with the wheel {dot} m to select text")
        }
        (None, true) => return None,
    })
}

/// Draws the note over the footer line `area`.
pub fn render(area: Rect, app: &App, ctx: &ViewCtx, buf: &mut Buffer) {
    let area = area.intersection(buf.area);
    let Some(text) = text(app, ctx) else {
        return;
    };
    if area.width < 2 || area.height == 0 {
        return;
    }
    let ellipsis = if ctx.unicode { "…" } else { "..." };
    let line = ellipsize(&text, usize::from(area.width - 1), ellipsis);
    let row = Rect::new(area.x, area.y, area.width, 1);
    buf.set_style(row, ctx.theme.footer);
    for x in row.left()..row.right() {
        buf[(x, row.y)].set_symbol(" ");
    }
    buf.set_string(area.x + 1, area.y, line, ctx.theme.key);
}
