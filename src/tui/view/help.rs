//! The help overlay: every key, and the commands that give the resume without the TUI, in a
//! closed box that scrolls when the screen is shorter than the list (where things go:
//! [`crate::tui::layout::help`]).

use ratatui::buffer::Buffer;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line as TLine, Span};

use super::ViewCtx;
use super::widgets::{border_set, draw_box, put_line};
use crate::terminal::Size;
use crate::tui::layout::help::{self, Part};

pub fn render(size: Size, scroll: u16, ctx: &ViewCtx, buf: &mut Buffer) {
    let t = ctx.theme;
    let lines = help::lines(size, &ctx.resume.site, ctx.unicode);
    let area = help::help_box(size, lines.len());
    if area.width < 8 || area.height < 3 {
        return;
    }
    // What is left of the body around the box steps back.
    if t.dim {
        for cell in buf.content.iter_mut() {
            cell.modifier.insert(Modifier::DIM);
        }
    }
    let blank = Style::new();
    for y in area.top()..area.bottom() {
        for x in area.left()..area.right() {
            buf[(x, y)].reset();
            buf[(x, y)].set_style(blank);
        }
    }
    let inner = help::inner(area);
    let first = usize::from(scroll).min(lines.len());
    let shown = usize::from(inner.height).min(lines.len() - first);
    let title = TLine::from(Span::styled(" Help (? or Esc closes) ", t.heading));
    let note = if shown < lines.len() {
        let (up, down) = if ctx.unicode {
            ("↑", "↓")
        } else {
            ("^", "v")
        };
        let more = match (first > 0, first + shown < lines.len()) {
            (true, true) => format!("{up}{down}"),
            (true, false) => up.to_owned(),
            (false, _) => down.to_owned(),
        };
        format!(
            " {more} {}-{} of {}, j/k scroll ",
            first + 1,
            first + shown,
            lines.len()
        )
    } else {
        String::new()
    };
    let note = TLine::from(Span::styled(note, t.key));
    draw_box(buf, area, border_set(ctx.unicode), t.heading, &title, &note);
    for (i, line) in lines[first..first + shown].iter().enumerate() {
        let spans: Vec<Span> = line
            .iter()
            .map(|(s, part)| {
                let style = match part {
                    Part::Heading => t.heading,
                    Part::Key => t.key,
                    Part::Text => t.text,
                };
                Span::styled(s.as_str(), style)
            })
            .collect();
        put_line(
            buf,
            inner.x,
            inner.y + i as u16,
            &TLine::from(spans),
            inner.width,
        );
    }
}
