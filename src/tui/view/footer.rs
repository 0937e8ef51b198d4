//! The footer: the keys the visitor can press now, and where the text version is.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line as TLine, Span};
use ratatui::widgets::Widget;
use unicode_width::UnicodeWidthStr;

use super::ViewCtx;

pub fn render(area: Rect, ctx: &ViewCtx, buf: &mut Buffer) {
    let t = ctx.theme;
    let (lr, ud) = if ctx.unicode {
        ("←→", "↑↓")
    } else {
        ("<- ->", "up/dn")
    };
    let hints: [(&str, &str); 7] = [
        (lr, "sections"),
        (ud, "scroll"),
        ("?", "help"),
        ("c", "copy e-mail"),
        ("m", "select"),
        ("t", "theme"),
        ("q", "quit"),
    ];
    let right = "text version: ssh … plain";
    let right = if ctx.unicode {
        right.to_owned()
    } else {
        right.replace('…', "...")
    };
    let mut spans = vec![Span::raw(" ")];
    let mut used = 1usize;
    let avail = usize::from(area.width);
    for (k, what) in hints {
        let w = k.width() + what.width() + 3;
        if used + w > avail {
            break;
        }
        spans.push(Span::styled(k, t.key));
        spans.push(Span::styled(format!(" {what}  "), t.footer));
        used += w;
    }
    TLine::from(spans).render(area, buf);
    let rw = right.width() as u16 + 1;
    if usize::from(rw) + used < avail {
        buf.set_string(area.right() - rw, area.y, right, t.footer);
    }
}
