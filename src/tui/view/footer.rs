//! The footer: the keys the visitor can press now, and where the text version is.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line as TLine, Span};
use unicode_width::UnicodeWidthStr;

use super::ViewCtx;

pub fn render(area: Rect, ctx: &ViewCtx, buf: &mut Buffer) {
    let t = ctx.theme;
    let (lr, ud) = if ctx.unicode {
        ("←→", "↑↓")
    } else {
        ("<- ->", "up/dn")
    };
    // In the order they are dropped when the row is short, last first; quitting always shows.
    let hints: [(&str, &str); 7] = [
        (lr, "sections"),
        (ud, "scroll"),
        ("?", "help"),
        ("/", "search"),
        ("c", "copy e-mail"),
        ("m", "select"),
        ("t", "theme"),
    ];
    let quit = ("q", "quit");
    let cost = |(k, what): (&str, &str)| k.width() + what.width() + 3;
    let avail = usize::from(area.width);
    let mut shown = hints.len();
    while shown > 0
        && 1 + hints[..shown].iter().map(|&h| cost(h)).sum::<usize>() + cost(quit) > avail
    {
        shown -= 1;
    }
    let mut spans = vec![Span::raw(" ")];
    let mut used = 1usize;
    for &(k, what) in hints[..shown].iter().chain([&quit]) {
        spans.push(Span::styled(k, t.key));
        spans.push(Span::styled(format!(" {what}  "), t.footer));
        used += cost((k, what));
    }
    // put_line, not `Line::render`: the same cells without grapheme segmentation (this row is
    // drawn on every uncached frame).
    super::widgets::put_line(buf, area.x, area.y, &TLine::from(spans), area.width);
    // The command for the text version, with a shorter lead-in where the long one does not fit.
    let ssh = ctx.resume.site.ssh();
    for lead in ["text version:", "text:"] {
        let right = format!("{lead} {ssh} plain");
        let rw = right.width() as u16 + 1;
        if usize::from(rw) + used < avail {
            buf.set_string(area.right() - rw, area.y, &right, t.footer);
            break;
        }
    }
}
