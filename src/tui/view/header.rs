//! The header: the name and title on one line, the tagline under it where there is room.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line as TLine, Span};

use super::ViewCtx;
use super::widgets::put_line;
use crate::terminal::Size;
use crate::tui::layout;

pub fn render(area: Rect, size: Size, ctx: &ViewCtx, buf: &mut Buffer) {
    let t = ctx.theme;
    let b = &ctx.resume.basics;
    let sep = if ctx.unicode { " · " } else { " - " };
    let mut lines = vec![TLine::from(vec![
        Span::styled(b.name.as_str(), t.name),
        Span::styled(sep, t.footer),
        Span::styled(b.label.as_str(), t.label),
    ])];
    for l in layout::tagline_lines(size, ctx.resume) {
        lines.push(TLine::styled(l, t.tagline));
    }
    let width = area.width.saturating_sub(2);
    for (i, line) in lines.iter().enumerate().take(usize::from(area.height)) {
        put_line(buf, area.x + 1, area.y + i as u16, line, width);
    }
}
