//! A whole frame drawn on a cleared screen (first frames, new sizes): the bytes of
//! [`crate::terminal::encode_diff_linked`] from a blank buffer, without a blank buffer to fill
//! and compare cell by cell (filling one was ~40% of an uncached first frame: perf, mixed
//! visitors).

use ratatui::buffer::{Buffer, Cell, CellDiffOption};
use ratatui::style::Color;

use crate::terminal::osc::{self, LinkSpan, Links};
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
    let mut pen = Pen::default();
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
            let w = symbol_width(sym);
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
            pen.draw(out, c, sym, w, (x, y), link, links.uris);
        }
    }
    pen.finish(out);
}

/// Finds the links of one row of a frame, for [`encode_over_blank_found`].
pub trait RowLinks {
    /// Whether a cell showing `sym` may be part of a link (a row without one has none).
    fn is_anchor(&self, sym: &str) -> bool;
    /// Appends the links of the row `cells`, whose first cell is cell `start` of the frame,
    /// sorted and not overlapping.
    fn row(&mut self, cells: &[Cell], start: usize, out: &mut Vec<LinkSpan>);
}

/// The bytes of [`encode_over_blank_linked`] with the links `finder` finds on `next` (`uris`
/// are their targets' URIs), found and drawn row by row in one pass over the cells.
///
/// Finding the links first and then encoding read every cell twice, and 48-byte cells of a
/// 200x60 frame are more than a core's L2 cache holds; that was a third of an uncached first
/// frame (callgrind, tui_sessions). Here each row's cells are tested once, while they are in
/// the L1 cache, for being blank and for being an anchor of a link; only the cells that are not
/// blank are visited again to be drawn, and only rows with an anchor are read as text.
pub fn encode_over_blank_found<F: RowLinks>(
    next: &Buffer,
    finder: Option<&mut F>,
    uris: &[String],
    out: &mut Vec<u8>,
) {
    let width = usize::from(next.area.width);
    if width == 0 {
        return;
    }
    let mut finder = finder;
    let mut pen = Pen::default();
    // The row's cells that are not blank, with their symbols (decoded once).
    let mut drawn: Vec<(usize, &str)> = Vec::with_capacity(width);
    let mut spans: Vec<LinkSpan> = Vec::new();
    // The cell a wide character just before it covers (not drawn), as `to_skip` in the others.
    let mut covered_at = usize::MAX;
    for (y, row) in next.content.chunks_exact(width).enumerate() {
        let start = y * width;
        drawn.clear();
        let mut anchored = false;
        for (x, c) in row.iter().enumerate() {
            let sym = c.symbol();
            if sym == " "
                && c.modifier.is_empty()
                && matches!(c.fg, Color::Reset)
                && matches!(c.bg, Color::Reset)
            {
                continue;
            }
            drawn.push((x, sym));
            if !anchored && let Some(f) = finder.as_deref() {
                anchored = f.is_anchor(sym);
            }
        }
        spans.clear();
        if anchored && let Some(f) = finder.as_deref_mut() {
            f.row(row, start, &mut spans);
        }
        if spans.is_empty() {
            for &(x, sym) in &drawn {
                let c = &row[x];
                if let [b] = sym.as_bytes()
                    && b.is_ascii()
                    && covered_at != start + x
                    && pen.continues(c, x, y)
                {
                    // The common case: the next column of a run in the same style, no link.
                    out.push(*b);
                    pen.cursor = Some((x + 1, y));
                    covered_at = usize::MAX;
                    continue;
                }
                let w = symbol_width(sym);
                let covered = covered_at == start + x;
                covered_at = if w > 1 { start + x + 1 } else { usize::MAX };
                if covered || matches!(c.diff_option, CellDiffOption::Skip) {
                    continue;
                }
                pen.draw(out, c, sym, w, (x, y), None, uris);
            }
        } else {
            // A row with links: every cell, as the linked encoder does (a blank cell inside a
            // link is drawn).
            let mut at = 0usize;
            for (x, c) in row.iter().enumerate() {
                let sym = c.symbol();
                let w = symbol_width(sym);
                let covered = covered_at == start + x;
                covered_at = if w > 1 { start + x + 1 } else { usize::MAX };
                let link = link_at(&spans, &mut at, start + x);
                if covered
                    || (link.is_none() && is_blank(c))
                    || matches!(c.diff_option, CellDiffOption::Skip)
                {
                    continue;
                }
                pen.draw(out, c, sym, w, (x, y), link, uris);
            }
        }
    }
    pen.finish(out);
}

/// Where the terminal's cursor, style and open link are while a frame is written.
#[derive(Default)]
struct Pen {
    open: Option<usize>,
    cursor: Option<(usize, usize)>,
    style: Sgr,
}

impl Pen {
    /// Writes cell `c` (showing `sym`, `w` columns wide) at `(x, y)`, inside `link` if any.
    #[inline(always)]
    #[allow(clippy::too_many_arguments)]
    fn draw(
        &mut self,
        out: &mut Vec<u8>,
        c: &Cell,
        sym: &str,
        w: usize,
        (x, y): (usize, usize),
        link: Option<usize>,
        uris: &[String],
    ) {
        if self.cursor != Some((x, y)) {
            if self.open.take().is_some() {
                out.extend_from_slice(osc::LINK_CLOSE);
            }
            move_to(out, self.cursor, x, y);
        }
        self.style.switch_to(Sgr::of(c), out);
        if link != self.open {
            if self.open.is_some() {
                out.extend_from_slice(osc::LINK_CLOSE);
            }
            if let Some((t, u)) = link.and_then(|t| uris.get(t).map(|u| (t, u))) {
                osc::link_open(out, t, u);
            }
            self.open = link.filter(|&t| t < uris.len());
        }
        match sym.as_bytes() {
            [b] => out.push(*b),
            bytes => out.extend_from_slice(bytes),
        }
        self.cursor = Some((x + w.max(1), y));
    }

    /// Whether `c`, at `(x, y)`, needs no cursor move, style or link change: only its symbol.
    #[inline(always)]
    fn continues(&self, c: &Cell, x: usize, y: usize) -> bool {
        self.open.is_none()
            && self.cursor == Some((x, y))
            && self.style == Sgr::of(c)
            && !matches!(c.diff_option, CellDiffOption::Skip)
    }

    /// Closes an open link and resets the style.
    fn finish(&self, out: &mut Vec<u8>) {
        if self.open.is_some() {
            out.extend_from_slice(osc::LINK_CLOSE);
        }
        if self.style != Sgr::default() {
            out.extend_from_slice(b"\x1b[0m");
        }
    }
}
