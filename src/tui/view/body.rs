//! The body: the current section's wrapped text in a titled box, with a position note and a
//! scrollbar when it does not fit.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::symbols;
use ratatui::text::{Line as TLine, Span};
use ratatui::widgets::{Scrollbar, ScrollbarOrientation, ScrollbarState, StatefulWidget};

use super::ViewCtx;
use super::widgets::{border_set, draw_box, put_line};
use crate::content::{self, LineKind};
use crate::tui::app::App;
use crate::tui::layout;
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
    let inner = draw_box(
        buf,
        area,
        border_set(ctx.unicode),
        t.border,
        &TLine::styled(format!(" {} ", app.tab.title()), t.heading),
        &TLine::styled(position, t.footer),
    );
    let tw = layout::text_width(size) as u16;
    let room = inner.width.saturating_sub(2);
    let text_area = Rect::new(
        inner.x + 1 + room.saturating_sub(tw) / 2,
        inner.y,
        tw.min(room),
        inner.height,
    );
    // Lines are already wrapped to the text width: draw them directly.
    for (i, l) in lines[offset..end].iter().enumerate() {
        let y = text_area.y + i as u16;
        if y >= text_area.bottom() {
            break;
        }
        put_line(buf, text_area.x, y, &style_line(l, t), text_area.width);
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

fn style_line<'a>(l: &'a content::Line, t: &Theme) -> TLine<'a> {
    let text = l.text.as_str();
    match l.kind {
        LineKind::Blank => TLine::raw(""),
        LineKind::Heading => TLine::styled(text, t.heading),
        LineKind::Subheading => TLine::styled(text, t.subheading),
        LineKind::Meta => TLine::styled(text, t.meta),
        LineKind::Para | LineKind::BulletCont => TLine::styled(text, t.text),
        LineKind::Bullet => {
            let split = text.char_indices().nth(2).map_or(text.len(), |(i, _)| i);
            TLine::from(vec![
                Span::styled(&text[..split], t.bullet),
                Span::styled(&text[split..], t.text),
            ])
        }
        LineKind::Figure { split } => {
            let split = split.min(text.len());
            TLine::from(vec![
                Span::styled(&text[..split], t.figure),
                Span::styled(&text[split..], t.label),
            ])
        }
        LineKind::Keywords => TLine::styled(text, t.keyword),
        LineKind::Email { split } => {
            let split = split.min(text.len());
            TLine::from(vec![
                Span::styled(&text[..split], t.text),
                Span::styled(&text[split..], t.link),
            ])
        }
    }
}
