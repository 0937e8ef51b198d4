//! The help overlay: every key, and the commands that give the resume without the TUI.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line as TLine, Span};
use ratatui::widgets::{Block, Borders, Clear, Padding, Paragraph, Widget, Wrap};

use super::ViewCtx;
use super::widgets::{border_set, pad};

pub fn render(screen: Rect, ctx: &ViewCtx, buf: &mut Buffer) {
    let t = ctx.theme;
    let u = ctx.unicode;
    let rows: Vec<(&str, &str)> = vec![
        (
            if u {
                "← → h l Tab"
            } else {
                "Left Right h l Tab"
            },
            "switch section",
        ),
        ("1-6", "jump to a section"),
        (if u { "↑ ↓ j k" } else { "Up Down j k" }, "scroll a line"),
        ("PgUp PgDn Space", "scroll a page"),
        ("g G Home End", "top / bottom"),
        ("mouse", "the wheel scrolls, a click opens a tab"),
        ("c y", "copy the e-mail (where the terminal allows)"),
        ("m", "mouse off / on: select text yourself"),
        ("/  n N", "search all sections; next / previous match"),
        ("t", "light / dark colours"),
        ("q Esc Ctrl-C", "quit"),
    ];
    let mut lines = vec![TLine::styled("Keys", t.heading)];
    for (k, what) in rows {
        lines.push(TLine::from(vec![
            Span::styled(format!("  {}", pad(k, 17)), t.key),
            Span::styled(what, t.text),
        ]));
    }
    lines.push(TLine::raw(""));
    lines.push(TLine::styled("Without the full-screen view", t.heading));
    for (cmd, what) in [
        (
            "plain",
            "the whole resume as text, for screen readers and pipes",
        ),
        ("json", "JSON Resume"),
        ("vcard", "a contact card"),
        ("md", "Markdown"),
        ("pdf", "a PDF to save: ssh … pdf > resume.pdf"),
        ("qr", "the contact as a QR code to scan"),
        ("help", "every command"),
    ] {
        lines.push(TLine::from(vec![
            Span::styled(format!("  ssh … {}", pad(cmd, 7)), t.key),
            Span::styled(what, t.text),
        ]));
    }
    if !u {
        for l in &mut lines {
            for s in &mut l.spans {
                if s.content.contains('…') {
                    s.content = s.content.replace('…', "...").into();
                }
            }
        }
    }
    // A column of padding inside the border; narrow screens give the overlay their whole width.
    let margin = if screen.width < 60 { 0 } else { 4 };
    let w = screen.width.saturating_sub(margin).min(74);
    let h = screen.height.saturating_sub(2).min(lines.len() as u16 + 2);
    let area = Rect::new(
        screen.x + (screen.width - w) / 2,
        screen.y + (screen.height - h) / 2,
        w,
        h,
    );
    Clear.render(area, buf);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_set(border_set(u))
        .border_style(t.heading)
        .padding(Padding::horizontal(1))
        .title(TLine::styled(" Help (? closes) ", t.heading));
    Paragraph::new(lines)
        .block(block)
        .wrap(Wrap { trim: false })
        .style(Style::new())
        .render(area, buf);
}
