//! The tab row: the section names, the selected one highlighted, arrows where some are hidden.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::{ViewCtx, widgets};
use crate::content::SectionId;
use crate::tui::layout;

pub fn render(area: Rect, selected: SectionId, ctx: &ViewCtx, buf: &mut Buffer) {
    let t = ctx.theme;
    let (slots, more_left, more_right) = layout::tab_slots(area.width, selected, ctx.unicode);
    let (l_arrow, r_arrow) = if ctx.unicode {
        ("‹", "›")
    } else {
        ("<", ">")
    };
    if more_left {
        buf.set_string(area.x, area.y, l_arrow, t.footer);
    }
    if more_right {
        buf.set_string(area.right().saturating_sub(1), area.y, r_arrow, t.footer);
    }
    for s in slots {
        let (style, label) = if s.id == selected {
            let label = if t.tab_brackets {
                format!("[{}]", s.label.trim())
            } else {
                s.label.clone()
            };
            (t.tab_selected, label)
        } else {
            (t.tab, s.label.clone())
        };
        // As `set_stringn` would draw it, without grapheme segmentation.
        let line = ratatui::text::Line::from(ratatui::text::Span::styled(label, style));
        let x = area.x.saturating_add(s.x);
        widgets::put_line(buf, x, area.y, &line, buf.area.right().saturating_sub(x));
    }
}
