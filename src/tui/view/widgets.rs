//! Drawing helpers shared by the parts of the view: border sets, a titled box, a line of spans.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::symbols;
use ratatui::text::Line as TLine;

pub fn border_set(unicode: bool) -> symbols::border::Set<'static> {
    if unicode {
        symbols::border::ROUNDED
    } else {
        symbols::border::Set {
            top_left: "+",
            top_right: "+",
            bottom_left: "+",
            bottom_right: "+",
            vertical_left: "|",
            vertical_right: "|",
            horizontal_top: "-",
            horizontal_bottom: "-",
        }
    }
}

/// Draws a bordered box with a title top-left and a note bottom-right (cheaper than a `Block`,
/// which this is equivalent to here); returns the area inside.
pub fn draw_box(
    buf: &mut Buffer,
    area: Rect,
    set: symbols::border::Set,
    style: Style,
    title: &TLine,
    note: &TLine,
) -> Rect {
    let area = area.intersection(buf.area);
    if area.width < 2 || area.height < 2 {
        return Rect::new(area.x, area.y, 0, 0);
    }
    let (l, r, top, bottom) = (area.left(), area.right() - 1, area.top(), area.bottom() - 1);
    for x in l + 1..r {
        buf[(x, top)]
            .set_symbol(set.horizontal_top)
            .set_style(style);
        buf[(x, bottom)]
            .set_symbol(set.horizontal_bottom)
            .set_style(style);
    }
    for y in top + 1..bottom {
        buf[(l, y)].set_symbol(set.vertical_left).set_style(style);
        buf[(r, y)].set_symbol(set.vertical_right).set_style(style);
    }
    buf[(l, top)].set_symbol(set.top_left).set_style(style);
    buf[(r, top)].set_symbol(set.top_right).set_style(style);
    buf[(l, bottom)]
        .set_symbol(set.bottom_left)
        .set_style(style);
    buf[(r, bottom)]
        .set_symbol(set.bottom_right)
        .set_style(style);
    let room = area.width.saturating_sub(2);
    put_line(buf, l + 1, top, title, room);
    let note_w = (note.width() as u16).min(room);
    put_line(buf, r - note_w, bottom, note, note_w);
    Rect::new(l + 1, top + 1, area.width - 2, area.height - 2)
}

/// Draws only the top and bottom rules of a box (no side borders, for the narrowest screens),
/// the title on the top one and the note on the bottom one; returns the area between them, with
/// a column of margin each side.
pub fn draw_rules(
    buf: &mut Buffer,
    area: Rect,
    set: symbols::border::Set,
    style: Style,
    title: &TLine,
    note: &TLine,
) -> Rect {
    let area = area.intersection(buf.area);
    if area.width < 2 || area.height < 2 {
        return Rect::new(area.x, area.y, 0, 0);
    }
    let (top, bottom) = (area.top(), area.bottom() - 1);
    for x in area.left()..area.right() {
        buf[(x, top)]
            .set_symbol(set.horizontal_top)
            .set_style(style);
        buf[(x, bottom)]
            .set_symbol(set.horizontal_bottom)
            .set_style(style);
    }
    let room = area.width.saturating_sub(2);
    put_line(buf, area.left() + 1, top, title, room);
    let note_w = (note.width() as u16).min(room);
    put_line(buf, area.right() - 1 - note_w, bottom, note, note_w);
    Rect::new(area.x, top + 1, area.width, area.height - 2)
}

/// Every ASCII character as a one-character string (for `Cell::set_symbol`, which copies it
/// without encoding a `char` first).
const ASCII: [&str; 128] = {
    const BYTES: [u8; 128] = {
        let mut b = [0u8; 128];
        let mut i = 0;
        while i < 128 {
            b[i] = i as u8;
            i += 1;
        }
        b
    };
    let mut out = [""; 128];
    let mut i = 0;
    while i < 128 {
        // Safe: a single ASCII byte is valid UTF-8.
        out[i] = match std::str::from_utf8(BYTES.split_at(i).1.split_at(1).0) {
            Ok(s) => s,
            Err(_) => "",
        };
        i += 1;
    }
    out
};

/// Draws a line of spans: ASCII spans and spans of one-cell characters cell by cell (the common
/// cases, and much cheaper than grapheme segmentation), anything else through ratatui.
pub fn put_line(buf: &mut Buffer, x: u16, y: u16, line: &TLine, width: u16) {
    let end = x.saturating_add(width).min(buf.area.right());
    if y >= buf.area.bottom() {
        return;
    }
    let mut cx = x;
    for span in &line.spans {
        if cx >= end {
            break;
        }
        let style = line.style.patch(span.style);
        if span.content.is_ascii() {
            // The row's cells as a slice: one bounds check per span, not one per cell.
            let n = span.content.len().min(usize::from(end - cx));
            let at = buf.index_of(cx, y);
            for (cell, &b) in buf.content[at..at + n]
                .iter_mut()
                .zip(span.content.as_bytes())
            {
                cell.set_symbol(ASCII[usize::from(b)]).set_style(style);
            }
            cx += n as u16;
        } else if span.content.chars().all(super::one_cell::is_one_cell) {
            // One cell per character, as `set_stringn` would segment it (src/tui/view/one_cell.rs).
            let room = usize::from(end - cx);
            let at = buf.index_of(cx, y);
            let mut n = 0u16;
            for (cell, (i, c)) in buf.content[at..at + room]
                .iter_mut()
                .zip(span.content.char_indices())
            {
                cell.set_symbol(&span.content[i..i + c.len_utf8()])
                    .set_style(style);
                n += 1;
            }
            cx += n;
        } else {
            let (nx, _) = buf.set_stringn(cx, y, &span.content, usize::from(end - cx), style);
            cx = nx;
        }
    }
}
