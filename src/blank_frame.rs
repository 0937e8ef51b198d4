//! A whole frame drawn on a cleared screen (first frames, new sizes): the bytes of
//! [`crate::terminal::encode_diff_linked`] from a blank buffer, without a blank buffer to fill
//! and compare cell by cell (filling one was ~40% of an uncached first frame: perf, mixed
//! visitors).

use ratatui::buffer::{Buffer, CellDiffOption};
use ratatui::style::Color;

use crate::osc::{self, LinkSpan, Links};
use crate::terminal::{Sgr, move_to, symbol_width};

/// Whether a cell looks like a cleared one (a space in the default colours, no attributes).
#[inline]
fn is_blank(c: &ratatui::buffer::Cell) -> bool {
    // Cheapest tests first (most cells of a frame are blank); `matches!` tests only the
    // variant, where `==` on `Color` goes through its derived comparison. `symbol` comes last:
    // it decodes a `CompactString` (and is a call into ratatui in a build without LTO).
    c.modifier.is_empty()
        && matches!(c.fg, Color::Reset)
        && matches!(c.bg, Color::Reset)
        && c.symbol() == " "
}

/// The bytes that draw `next` on a cleared screen: the same as [`encode_diff`] from a blank
/// buffer (the same cells, moves and attributes), without a second buffer to fill and compare.
/// First frames and new sizes take this path.
pub fn encode_over_blank(next: &Buffer, out: &mut Vec<u8>) {
    encode_over_blank_linked(next, &Links::default(), out);
}

/// The link at cell `i` of `spans` (sorted, visited in increasing order; `at` is the
/// caller's position).
#[inline]
fn link_at(spans: &[LinkSpan], at: &mut usize, i: usize) -> Option<usize> {
    while spans.get(*at).is_some_and(|s| s.end <= i) {
        *at += 1;
    }
    spans.get(*at).filter(|s| s.start <= i).map(|s| s.target)
}

/// [`encode_over_blank`] with hyperlinks (`links.next`; `links.prev` is ignored: the screen was
/// cleared): the bytes of `encode_diff_linked` from a blank buffer with no links.
pub fn encode_over_blank_linked(next: &Buffer, links: &Links, out: &mut Vec<u8>) {
    let width = usize::from(next.area.width);
    if width == 0 {
        return;
    }
    let mut at = 0usize;
    let mut open: Option<usize> = None;
    let mut cursor: Option<(usize, usize)> = None;
    let mut style = Sgr::default();
    let mut to_skip = 0usize;
    // The first cell whose link may differ from "none": before it, a blank cell is skipped
    // without looking further (most cells of a frame are blank and outside any link).
    let mut next_link = links.next.first().map_or(usize::MAX, |s| s.start);
    // Row by row, so a cell's column and row cost no division (a `div` per drawn cell was a
    // tenth of this function's time under perf).
    for (y, row) in next.content.chunks_exact(width).enumerate() {
        for (x, c) in row.iter().enumerate() {
            let i = y * width + x;
            if i < next_link && is_blank(c) {
                // What the full test below does for a blank cell: not drawn, and it covers nothing.
                to_skip = 0;
                continue;
            }
            let sym = c.symbol();
            let bytes = sym.as_bytes();
            let ascii = bytes.len() == 1 && bytes[0].is_ascii();
            let w = if ascii { 1 } else { symbol_width(sym) };
            // As in `encode_diff`: the cell after a wide one is not drawn, and sets the next skip.
            let covered = to_skip > 0;
            to_skip = w.saturating_sub(1);
            let link = if links.next.is_empty() {
                None
            } else {
                let l = link_at(links.next, &mut at, i);
                next_link = links.next.get(at).map_or(usize::MAX, |s| s.start);
                l
            };
            if covered
                || (link.is_none() && is_blank(c))
                || matches!(c.diff_option, CellDiffOption::Skip)
            {
                continue;
            }
            if cursor != Some((x, y)) {
                if open.take().is_some() {
                    out.extend_from_slice(osc::LINK_CLOSE);
                }
                move_to(out, cursor, x, y);
            }
            style.switch_to(Sgr::of(c), out);
            if link != open {
                if open.is_some() {
                    out.extend_from_slice(osc::LINK_CLOSE);
                }
                if let Some((t, u)) = link.and_then(|t| links.uris.get(t).map(|u| (t, u))) {
                    osc::link_open(out, t, u);
                }
                open = link.filter(|&t| t < links.uris.len());
            }
            if ascii {
                out.push(bytes[0]);
            } else {
                out.extend_from_slice(bytes);
            }
            cursor = Some((x + w.max(1), y));
        }
    }
    if open.is_some() {
        out.extend_from_slice(osc::LINK_CLOSE);
    }
    if style != Sgr::default() {
        out.extend_from_slice(b"\x1b[0m");
    }
}
