//! The body: the current section's composed rows in a titled box (top and bottom rules only on
//! the narrowest screens), with a position note and a scrollbar when it does not fit.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::symbols;
use ratatui::text::{Line as TLine, Span};
use ratatui::widgets::{Scrollbar, ScrollbarOrientation, ScrollbarState, StatefulWidget};

use super::ViewCtx;
use super::widgets::{border_set, draw_box, draw_rules, put_line};
use crate::content::screen::{Role, Row};
use crate::tui::app::App;
use crate::tui::layout::{self, Class};
use crate::tui::theme::Theme;

pub fn render(area: Rect, app: &App, ctx: &ViewCtx, buf: &mut Buffer) {
    let t = ctx.theme;
    let size = app.size;
    let lines = layout::body_lines(size, ctx.resume, ctx.unicode, app.tab);
    let height = usize::from(area.height.saturating_sub(2));
    let max = lines.len().saturating_sub(height);
    let offset = usize::from(app.offset()).min(max);
    let end = (offset + height).min(lines.len());
    let position = if lines.len() <= height {
        " All ".to_owned()
    } else {
        let dash = if ctx.unicode { "–" } else { "-" };
        format!(" {}{dash}{} of {} ", offset + 1, end, lines.len())
    };
    let title = TLine::styled(format!(" {} ", app.tab.title()), t.heading);
    let note = TLine::styled(position, t.footer);
    let set = border_set(ctx.unicode);
    let inner = if layout::side_borders(size) {
        draw_box(buf, area, set, t.border, &title, &note)
    } else {
        draw_rules(buf, area, set, t.border, &title, &note)
    };
    let tw = layout::text_width(size) as u16;
    let room = inner.width.saturating_sub(2);
    // Standard screens centre the column; wide ones keep it by the rail.
    let lead = match layout::class(size) {
        Class::Standard => room.saturating_sub(tw) / 2,
        _ => 0,
    };
    let text_area = Rect::new(inner.x + 1 + lead, inner.y, tw.min(room), inner.height);
    // Rows are already composed for the width: draw them directly.
    for (i, row) in lines[offset..end].iter().enumerate() {
        let y = text_area.y + i as u16;
        if y >= text_area.bottom() {
            break;
        }
        put_line(buf, text_area.x, y, &styled(row, t), text_area.width);
    }
    if app.tab == crate::content::SectionId::Contact && lines.len() <= height {
        super::qr::render(inner, text_area, lines.len() as u16, ctx, buf);
    }
    if lines.len() > height {
        let mut state = ScrollbarState::new(max + 1).position(offset);
        let bar = if ctx.unicode {
            Scrollbar::new(ScrollbarOrientation::VerticalRight).symbols(symbols::scrollbar::Set {
                track: "│",
                thumb: "█",
                begin: "▲",
                end: "▼",
            })
        } else {
            Scrollbar::new(ScrollbarOrientation::VerticalRight).symbols(symbols::scrollbar::Set {
                track: "|",
                thumb: "#",
                begin: "^",
                end: "v",
            })
        };
        bar.style(t.scrollbar).render(
            Rect::new(
                area.x,
                area.y + 1,
                area.width,
                area.height.saturating_sub(2),
            ),
            buf,
            &mut state,
        );
    }
}

/// The style of a role in this theme.
pub fn style(role: Role, t: &Theme) -> Style {
    match role {
        Role::Text => t.text,
        Role::Name => t.name,
        Role::Title => t.label,
        Role::Heading => t.heading,
        Role::Subheading => t.subheading,
        Role::Label => t.gutter_label,
        Role::Meta => t.meta,
        Role::Bullet => t.bullet,
        Role::Figure => t.figure,
        Role::FigureLabel => t.figure_label,
        Role::Tag => t.tag,
        Role::Link => t.link,
        Role::Border => t.border,
        Role::Rule => t.rule,
        Role::Node => t.node,
    }
}

/// A composed row as a line of styled spans.
pub fn styled<'a>(row: &'a Row, t: &Theme) -> TLine<'a> {
    TLine::from(
        row.runs()
            .map(|(s, role)| Span::styled(s, style(role, t)))
            .collect::<Vec<_>>(),
    )
}
