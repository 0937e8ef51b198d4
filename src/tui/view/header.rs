//! The header: the name and title on one line, the tagline under it where there is room; on
//! narrow screens the name on one line and the title on the next (the tagline opens About).

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line as TLine, Span};
use unicode_width::UnicodeWidthStr;

use super::ViewCtx;
use super::widgets::put_line;
use crate::content;
use crate::terminal::Size;
use crate::tui::layout;

/// Below this many columns for the title, the header shows only the name (cut if need be).
const MIN_LABEL: usize = 8;

pub fn render(area: Rect, size: Size, ctx: &ViewCtx, buf: &mut Buffer) {
    let t = ctx.theme;
    let b = &ctx.resume.basics;
    let (sep, ellipsis) = if ctx.unicode {
        (" · ", "…")
    } else {
        (" - ", "...")
    };
    // ASCII terminals: ASCII dashes (the tagline is wrapped already: one column each).
    let (name, label) = if ctx.unicode {
        (b.name.to_string(), b.label.to_string())
    } else {
        (
            content::ascii::text(&b.name),
            content::ascii::text(&b.label),
        )
    };
    let width = area.width.saturating_sub(2);
    if layout::class(size) == layout::Class::Narrow && area.height >= 2 {
        let room = usize::from(width);
        let name = content::ellipsize(&name, room, ellipsis);
        let label = content::ellipsize(&label, room, ellipsis);
        put_line(buf, area.x + 1, area.y, &TLine::styled(name, t.name), width);
        put_line(
            buf,
            area.x + 1,
            area.y + 1,
            &TLine::styled(label, t.label),
            width,
        );
        return;
    }
    // Name and title on one line; what does not fit ends with an ellipsis, the title first.
    let room = usize::from(width);
    let (name, label) = (name.as_str(), label.as_str());
    let label_room = room.saturating_sub(name.width() + sep.width());
    let first = if name.width() + sep.width() + label.width() <= room {
        vec![
            Span::styled(name, t.name),
            Span::styled(sep, t.footer),
            Span::styled(label, t.label),
        ]
    } else if label_room > MIN_LABEL {
        vec![
            Span::styled(name, t.name),
            Span::styled(sep, t.footer),
            Span::styled(content::ellipsize(label, label_room, ellipsis), t.label),
        ]
    } else {
        vec![Span::styled(
            content::ellipsize(name, room, ellipsis),
            t.name,
        )]
    };
    let mut lines = vec![TLine::from(first)];
    for l in layout::tagline_lines(size, ctx.resume, ellipsis) {
        let l = if ctx.unicode {
            l
        } else {
            content::ascii::same_width(&l)
        };
        lines.push(TLine::styled(l, t.tagline));
    }
    for (i, line) in lines.iter().enumerate().take(usize::from(area.height)) {
        put_line(buf, area.x + 1, area.y + i as u16, line, width);
    }
}
