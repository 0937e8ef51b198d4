//! Scrolling updates with the terminal's scroll margins: when the body moved by a few lines,
//! the terminal moves the rows that are already on screen (DECSTBM sets the margins, IND or RI
//! at the margin scrolls them) and only what is new is drawn, instead of every changed cell.
//!
//! VT100 has all three sequences, and so does every terminal the UI draws on with cursor moves
//! (xterm, screen, tmux, linux, the Windows console...); `dumb` and unknown terminals are left
//! out by the caller. The rows to move are found in the
//! frames themselves (the longest band of rows that the new frame shows `shift` rows higher or
//! lower, allowing a few rows that differ, such as a scrollbar's thumb), the scroll is applied to
//! the previous frame as the terminal would apply it, and the diff from there is encoded. The
//! result is used only if it is shorter than the plain diff, so this can only save bytes.

use ratatui::buffer::{Buffer, Cell};

use super::app::App;
use super::theme::{Capabilities, ColorDepth};
use crate::terminal::{self, LinkSpan, Links};

/// How many rows the body text moved from `before` to `after` (> 0: up), if only the scroll
/// changed and the terminal takes scroll margins (all but `dumb` and unknown terminals, which
/// get no attributes either).
pub fn shift(before: &App, after: &App, caps: Capabilities) -> Option<isize> {
    if matches!(caps.depth, ColorDepth::None { attributes: false }) {
        return None;
    }
    let only_scrolled = App {
        scroll: before.scroll,
        ..*after
    } == *before;
    let moved = after.offset() as isize - before.offset() as isize;
    (only_scrolled && moved != 0).then_some(moved)
}

/// Rows in a band may differ for this many rows in a row (a scrollbar thumb) and still count.
const GAP: usize = 3;
/// Fewer matching rows than this are not worth a scroll.
const MIN_ROWS: usize = 3;

fn row(b: &Buffer, y: usize) -> &[Cell] {
    let w = usize::from(b.area.width);
    &b.content[y * w..(y + 1) * w]
}

/// The band of screen rows `(top, bottom)` (inclusive) to scroll by `shift` (> 0: content moves
/// up), or None: the longest run of rows whose new content is the old content `shift` rows
/// further down, with gaps of at most [`GAP`] rows.
fn band(prev: &Buffer, next: &Buffer, shift: isize) -> Option<(usize, usize)> {
    let h = usize::from(next.area.height);
    let k = shift.unsigned_abs();
    if k == 0 || k >= h {
        return None;
    }
    // Row y of the new frame against row y + shift of the old one.
    let matches = |y: usize| -> bool {
        let from = y as isize + shift;
        from >= 0 && (from as usize) < h && row(next, y) == row(prev, from as usize)
    };
    let (mut best, mut best_n) = (None, 0usize);
    let mut cur: Option<(usize, usize, usize)> = None; // (first, last, matched rows)
    let mut gap = 0usize;
    for y in 0..h {
        if matches(y) {
            cur = match cur {
                Some((f, _, n)) => Some((f, y, n + 1)),
                None => Some((y, y, 1)),
            };
            gap = 0;
        } else if let Some((f, l, n)) = cur {
            gap += 1;
            if gap > GAP {
                if n > best_n {
                    (best, best_n) = (Some((f, l)), n);
                }
                cur = None;
            }
        }
    }
    if let Some((f, l, n)) = cur
        && n > best_n
    {
        (best, best_n) = (Some((f, l)), n);
    }
    if best_n < MIN_ROWS {
        return None;
    }
    // The band of matched rows (first..=last) plus the rows that scroll in.
    let (f, l) = best?;
    Some(if shift > 0 { (f, l + k) } else { (f - k, l) })
}

/// Applies to `b` what the scroll sequences of [`scroll_bytes`] do to the screen: rows
/// `top..=bottom` move by `shift` and the rows that come in are blank.
fn apply(b: &mut Buffer, top: usize, bottom: usize, shift: isize) {
    let w = usize::from(b.area.width);
    let k = shift.unsigned_abs();
    let region = &mut b.content[top * w..(bottom + 1) * w];
    if shift > 0 {
        region.rotate_left(k * w);
        let n = region.len();
        region[n - k * w..].fill(Cell::EMPTY);
    } else {
        region.rotate_right(k * w);
        region[..k * w].fill(Cell::EMPTY);
    }
}

/// Margins, the scroll itself (a line feed at the bottom margin, RI at the top one), margins
/// back to the whole screen. A line feed rather than IND (`ESC D`): the same on a VT100, and
/// understood by more emulators (the vt100 crate ignores IND). The cursor position afterwards is unknown to the encoder, which always
/// starts with a move.
fn scroll_bytes(top: usize, bottom: usize, shift: isize, out: &mut Vec<u8>) {
    let num = |out: &mut Vec<u8>, n: usize| out.extend_from_slice(n.to_string().as_bytes());
    out.extend_from_slice(b"\x1b[");
    num(out, top + 1);
    out.push(b';');
    num(out, bottom + 1);
    out.push(b'r');
    let (at, step): (usize, &[u8]) = if shift > 0 {
        (bottom, b"\n")
    } else {
        (top, b"\x1bM")
    };
    out.extend_from_slice(b"\x1b[");
    num(out, at + 1);
    out.extend_from_slice(b";1H");
    for _ in 0..shift.unsigned_abs() {
        out.extend_from_slice(step);
    }
    out.extend_from_slice(b"\x1b[r");
}

/// Appends the bytes that turn `prev` into `next`, with a scroll of `shift` rows (> 0: the
/// content moved up, as after scrolling down the text) if that is shorter than the plain diff.
/// `links` are the two frames' hyperlinks: the terminal moves linked cells with the rows it
/// scrolls, so the previous frame's spans are moved the same way before the diff. `prev` may be
/// changed (it is scratch). Returns whether a scroll was used.
pub fn encode(
    prev: &mut Buffer,
    next: &Buffer,
    shift: isize,
    links: &Links,
    out: &mut Vec<u8>,
) -> bool {
    let start = out.len();
    terminal::encode_diff_linked(prev, next, links, out);
    if prev.area != next.area {
        return false;
    }
    let Some((top, bottom)) = band(prev, next, shift) else {
        return false;
    };
    let mut scrolled = Vec::with_capacity(out.len() - start);
    scroll_bytes(top, bottom, shift, &mut scrolled);
    apply(prev, top, bottom, shift);
    let moved = shift_spans(links.prev, usize::from(prev.area.width), top, bottom, shift);
    let after = Links {
        prev: &moved,
        ..*links
    };
    terminal::encode_diff_linked(prev, next, &after, &mut scrolled);
    if scrolled.len() < out.len() - start {
        out.truncate(start);
        out.extend_from_slice(&scrolled);
        true
    } else {
        false
    }
}

/// Link spans after rows `top..=bottom` scrolled by `shift` (> 0: up) on a screen `w` wide:
/// those in the band move with their rows (or leave with them), the others stay. Still sorted.
fn shift_spans(
    spans: &[LinkSpan],
    w: usize,
    top: usize,
    bottom: usize,
    shift: isize,
) -> Vec<LinkSpan> {
    if w == 0 {
        return Vec::new();
    }
    spans
        .iter()
        .filter_map(|s| {
            let y = s.start / w;
            if y < top || y > bottom {
                return Some(*s);
            }
            let ny = y as isize - shift;
            if ny < top as isize || ny > bottom as isize {
                return None;
            }
            let d = (ny - y as isize) * w as isize;
            Some(LinkSpan {
                start: (s.start as isize + d) as usize,
                end: (s.end as isize + d) as usize,
                target: s.target,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::layout::Rect;
    use ratatui::style::{Color, Style};

    fn nz(v: u16) -> std::num::NonZeroU16 {
        std::num::NonZeroU16::new(v).unwrap()
    }

    /// A framed list of numbered lines starting at `first`, with a "scrollbar" mark.
    fn frame(first: usize, mark: u16) -> Buffer {
        let mut b = Buffer::empty(Rect::new(0, 0, 30, 12));
        b.set_string(0, 0, format!("header {first}"), Style::new().fg(Color::Red));
        for y in 1..11u16 {
            let n = first + usize::from(y);
            let word = char::from(b'a' + (n % 26) as u8)
                .to_string()
                .repeat(6 + n % 5);
            b.set_string(0, y, format!("|{n} {word} 日本 {word}"), Style::new());
            b.set_string(29, y, if y == mark { "#" } else { "|" }, Style::new());
        }
        b.set_string(0, 11, "footer", Style::new());
        b
    }

    fn screen(bytes: &[u8]) -> vt100::Parser {
        let mut p = vt100::Parser::new(nz(12), nz(30), 0);
        p.process(bytes);
        p
    }

    #[test]
    fn a_scroll_is_shorter_and_the_screen_is_the_same() {
        for (from, to, mark_from, mark_to) in [(0, 1, 3, 3), (5, 2, 4, 6), (3, 5, 2, 3)] {
            let prev = frame(from, mark_from);
            let next = frame(to, mark_to);
            let mut full = Vec::new();
            terminal::encode_full(&prev, &mut full);
            let mut plain = Vec::new();
            terminal::encode_diff(&prev, &next, &mut plain);
            let mut out = Vec::new();
            let shift = to as isize - from as isize;
            assert!(
                encode(&mut prev.clone(), &next, shift, &Links::default(), &mut out),
                "{from}->{to}"
            );
            assert!(out.len() < plain.len(), "{} vs {}", out.len(), plain.len());
            let mut got = screen(&full);
            got.process(&out);
            let mut want_bytes = Vec::new();
            terminal::encode_full(&next, &mut want_bytes);
            let want = screen(&want_bytes);
            assert_eq!(got.screen().contents(), want.screen().contents());
            for y in 0..12 {
                for x in 0..30 {
                    let (g, w) = (got.screen().cell(y, x), want.screen().cell(y, x));
                    let key = |c: Option<&vt100::Cell>| {
                        c.map(|c| (c.contents().to_owned(), c.fgcolor(), c.bgcolor(), c.bold()))
                    };
                    assert_eq!(key(g), key(w), "{from}->{to} at {x},{y}");
                }
            }
        }
    }

    #[test]
    fn nothing_to_scroll_is_the_plain_diff() {
        let prev = frame(0, 3);
        let mut next = frame(0, 3);
        next.set_string(0, 11, "other", Style::new());
        let mut plain = Vec::new();
        terminal::encode_diff(&prev, &next, &mut plain);
        let mut out = Vec::new();
        assert!(!encode(
            &mut prev.clone(),
            &next,
            1,
            &Links::default(),
            &mut out
        ));
        assert_eq!(out, plain);
    }
}
