//! Drawing the search: matches restyled in the rendered frame's body (reverse video, the
//! current one also bold, underlined and in the accent colour, so it shows in monochrome too),
//! and the search line in the footer row.
//!
//! The highlight is a pass over the finished buffer, not part of how a section is drawn: it
//! finds where each visible body line was drawn by its text, so any section layout that draws
//! [`layout::body_lines`] one per row, in order, gets highlights without knowing about search.

use std::sync::Arc;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use unicode_width::UnicodeWidthStr;

use super::find::{self, Hit};
use super::{Mode, Search};
use crate::content::SectionId;
use crate::content::screen::Row as Line;
use crate::resume::Resume;
use crate::terminal::{Size, symbol_width};
use crate::tui::layout;
use crate::tui::theme::Theme;

/// What the pass needs besides the frame.
pub struct Screen<'a> {
    pub size: Size,
    pub resume: &'a Arc<Resume>,
    pub unicode: bool,
    pub theme: &'a Theme,
    pub tab: SectionId,
    pub offset: u16,
    pub body: Rect,
    pub footer: Rect,
}

/// Restyles the matches in the body and draws the search line over the footer (nothing when
/// the search is closed).
pub fn render(search: &Search, s: &Screen, buf: &mut Buffer) {
    if search.mode == Mode::Closed {
        return;
    }
    let m = find::matches(s.size, s.resume, s.unicode, &search.query);
    // No attribute can show a highlight on this terminal: the count still says where they are.
    if !s.theme.tab_brackets {
        highlight(&m.hits, search.current, s, buf);
        // (An index past the end matches no hit, so it highlights nothing as current.)
    }
    search_line(search, &m, s, buf);
}

fn highlight(hits: &[Hit], current: Option<u32>, s: &Screen, buf: &mut Buffer) {
    let lines = layout::body_lines(s.size, s.resume, s.unicode, s.tab);
    let offset = usize::from(s.offset).min(lines.len());
    let visible = &lines[offset..(offset + usize::from(s.body.height)).min(lines.len())];
    let (first, last) = (offset as u32, (offset + visible.len()) as u32);
    let on_screen = |h: &Hit| h.tab == s.tab && h.end_line >= first && h.line < last;
    let start = hits.partition_point(|h| (h.tab.index(), h.end_line) < (s.tab.index(), first));
    if !hits[start..]
        .iter()
        .take_while(|h| h.tab == s.tab)
        .any(on_screen)
    {
        return;
    }
    let mut rows = Rows {
        area: s.body,
        read: (0..s.body.height).map(|_| None).collect(),
    };
    let Some(base) = align(&mut rows, buf, visible) else {
        return;
    };
    let accent = s.theme.key.fg;
    let plain = Style::new().add_modifier(Modifier::REVERSED);
    let mut strong = plain.add_modifier(Modifier::BOLD | Modifier::UNDERLINED);
    strong.fg = accent;
    for (i, h) in hits.iter().enumerate().skip(start) {
        if h.tab != s.tab || h.line >= last {
            break;
        }
        let style = if current == Some(i as u32) {
            strong
        } else {
            plain
        };
        for line in h.line..=h.end_line {
            let Some(k) = line.checked_sub(first).map(|k| k as usize) else {
                continue;
            };
            let (Some(text), Some(row)) = (visible.get(k), rows.get(buf, base + k)) else {
                continue;
            };
            if let Some((from, to)) = h.span_on(line, &text.text) {
                row.restyle(buf, &text.text, from, to, style);
            }
        }
    }
}

/// The first body row the visible lines were drawn on: the row offset at which the first few
/// non-blank visible lines all appear, one per row. Tried first: the row inside a top border.
fn align(rows: &mut Rows, buf: &Buffer, visible: &[Line]) -> Option<usize> {
    let probes: Vec<(usize, &str)> = visible
        .iter()
        .enumerate()
        .map(|(k, l)| (k, l.text.trim()))
        .filter(|(_, t)| !t.is_empty())
        .take(3)
        .collect();
    let (k0, _) = *probes.first()?;
    let n = rows.read.len().saturating_sub(k0);
    (0..n).map(|i| (i + 1) % n).find(|&base| {
        probes
            .iter()
            .all(|&(k, t)| rows.get(buf, base + k).is_some_and(|r| r.text.contains(t)))
    })
}

/// The body's rows, each read from the buffer when first needed.
struct Rows {
    area: Rect,
    read: Vec<Option<Row>>,
}

impl Rows {
    fn get(&mut self, buf: &Buffer, i: usize) -> Option<&Row> {
        let area = self.area;
        let slot = self.read.get_mut(i)?;
        Some(slot.get_or_insert_with(|| Row::read(buf, area, area.y + i as u16)))
    }
}

/// A drawn row as text, with the cell each character starts at.
struct Row {
    y: u16,
    text: String,
    /// (byte in `text`, x, width) per drawn symbol.
    cells: Vec<(usize, u16, u16)>,
}

impl Row {
    fn read(buf: &Buffer, area: Rect, y: u16) -> Row {
        let mut row = Row {
            y,
            text: String::new(),
            cells: Vec::new(),
        };
        let mut x = area.left();
        while x < area.right() {
            let Some(cell) = buf.cell((x, y)) else {
                break;
            };
            let sym = cell.symbol();
            let w = symbol_width(sym).max(1) as u16;
            row.cells.push((row.text.len(), x, w));
            row.text.push_str(sym);
            x = x.saturating_add(w);
        }
        row
    }

    /// Restyles the cells showing bytes `from..to` of `line`, found in this row by its text.
    fn restyle(&self, buf: &mut Buffer, line: &str, from: usize, to: usize, style: Style) {
        let trimmed = line.trim();
        let lead = line.len() - line.trim_start().len();
        let Some(at) = self.text.find(trimmed) else {
            return;
        };
        let (from, to) = (
            at + from.saturating_sub(lead),
            at + to.saturating_sub(lead).min(trimmed.len()),
        );
        for &(b, x, w) in &self.cells {
            if b >= from && b < to {
                for dx in 0..w {
                    if let Some(cell) = buf.cell_mut((x + dx, self.y)) {
                        cell.set_style(style);
                    }
                }
            }
        }
    }
}

/// The search line: `/query` with a cursor while typing, then the count and the keys.
fn search_line(search: &Search, m: &find::Matches, s: &Screen, buf: &mut Buffer) {
    let t = s.theme;
    let area = s.footer;
    if area.height == 0 || area.width < 4 {
        return;
    }
    for x in area.left()..area.right() {
        if let Some(c) = buf.cell_mut((x, area.y)) {
            c.reset();
        }
    }
    let n = m.hits.len();
    let plus = if m.truncated { "+" } else { "" };
    let q = search.query.as_str();
    // A current match past the end (the resume was reloaded with fewer) is none.
    let current = search.current.filter(|&i| (i as usize) < n);
    let (status, keys) = match (search.mode, current) {
        (Mode::Editing, _) if q.is_empty() => (String::new(), "type to search  Esc cancel"),
        (Mode::Editing, _) if n == 0 => ("no match".to_owned(), "Esc cancel"),
        (Mode::Editing, _) => (count(n, plus), "Enter search  Esc cancel"),
        (_, _) if n == 0 => (format!("no match for \u{201c}{q}\u{201d}"), "Esc close"),
        (_, Some(i)) => (
            format!("{} of {n}{plus}", i + 1),
            "n next  N previous  Esc close",
        ),
        (_, None) => (count(n, plus), "n next  N previous  Esc close"),
    };
    let status = if s.unicode {
        status
    } else {
        status.replace(['\u{201c}', '\u{201d}'], "\"")
    };
    // Right: the status and the keys, as much as fits; left: the query, its end kept in view.
    let right = if keys.width() + status.width() + 4 < usize::from(area.width) / 2 + 8 {
        format!("{status}   {keys} ")
    } else {
        format!("{status} ")
    };
    let right_w = (right.width() as u16).min(area.width / 2);
    let left_room = usize::from(area.width - right_w).saturating_sub(4);
    let shown = tail(q, left_room);
    let mut x = area.x + 1;
    x = buf.set_stringn(x, area.y, "/", 1, t.key).0;
    x = buf.set_stringn(x, area.y, shown, left_room, t.text).0;
    if search.editing()
        && let Some(c) = buf.cell_mut((x, area.y))
    {
        // A block cursor; an underscore where no attribute shows.
        if t.tab_brackets {
            c.set_symbol("_");
        } else {
            c.set_symbol(" ")
                .set_style(Style::new().add_modifier(Modifier::REVERSED));
        }
    }
    let rx = area.right().saturating_sub(right_w);
    let status_w = status.width().min(usize::from(right_w));
    let (sx, _) = buf.set_stringn(rx, area.y, &status, status_w, t.key);
    buf.set_stringn(
        sx,
        area.y,
        &right[status.len()..],
        usize::from(area.right().saturating_sub(sx)),
        t.footer,
    );
}

fn count(n: usize, plus: &str) -> String {
    if n == 1 && plus.is_empty() {
        "1 match".to_owned()
    } else {
        format!("{n}{plus} matches")
    }
}

/// The end of `q` that fits in `width` columns.
fn tail(q: &str, width: usize) -> &str {
    let mut start = q.len();
    let mut w = 0;
    for (i, c) in q.char_indices().rev() {
        w += unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if w > width {
            break;
        }
        start = i;
    }
    &q[start..]
}
