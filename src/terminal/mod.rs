//! The client's terminal: clamped sizes, screen set-up/restore sequences, and frame diffs as bytes.
//! Every escape sequence the server sends is made in this folder: frame diffs here, whole
//! frames on a cleared screen in [`blank_frame`], OSC strings (links, title, clipboard, the
//! background query) in [`osc`].
//!
//! Nothing here touches the server's own tty. A frame is a ratatui [`Buffer`] of the client's
//! size; [`encode_diff`] turns the cells that changed between two frames into the shortest simple
//! run of cursor moves, SGR attributes and text.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier};

pub mod blank_frame;
pub mod osc;

pub use osc::{LinkSpan, Links};

/// The largest terminal honoured; bigger declared sizes are clamped (a 65535×65535 buffer would
/// need gigabytes).
pub const MAX_COLS: u16 = 400;
pub const MAX_ROWS: u16 = 200;
/// Used when a client declares 0 (OpenSSH does when it has no terminal of its own).
pub const DEFAULT_SIZE: Size = Size { cols: 80, rows: 24 };

/// A terminal size in cells, always within 1..=MAX.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Size {
    pub cols: u16,
    pub rows: u16,
}

impl Size {
    /// A size from trusted values (still clamped).
    pub fn new(cols: u16, rows: u16) -> Size {
        Size::clamped(u32::from(cols), u32::from(rows))
    }

    /// A size from what a client declared: 0 means "unknown", anything else is clamped.
    pub fn clamped(cols: u32, rows: u32) -> Size {
        let fit = |v: u32, max: u16, default: u16| -> u16 {
            if v == 0 {
                default
            } else {
                u16::try_from(v.min(u32::from(max))).unwrap_or(max)
            }
        };
        Size {
            cols: fit(cols, MAX_COLS, DEFAULT_SIZE.cols),
            rows: fit(rows, MAX_ROWS, DEFAULT_SIZE.rows),
        }
    }

    pub fn rect(self) -> Rect {
        Rect::new(0, 0, self.cols, self.rows)
    }
}

/// The title stack pushed (XTWINOPS 22: popped by [`LEAVE`]), alternate screen, hidden cursor,
/// mouse (click + wheel, SGR coordinates), bracketed paste.
pub const ENTER: &[u8] = b"\x1b[22;0t\x1b[?1049h\x1b[?25l\x1b[?1000h\x1b[?1006h\x1b[?2004h";
/// Undoes [`ENTER`] in reverse order; leaves the primary screen as it was, the terminal's own
/// colours (a picked palette painted its own), and the visitor's own window title restored.
pub const LEAVE: &[u8] = b"\x1b[0m\x1b[?2004l\x1b[?1006l\x1b[?1000l\x1b[?25h\x1b[?1049l\x1b[23;0t";
/// Mouse capture back on (the same modes as [`ENTER`]).
pub const MOUSE_ON: &[u8] = b"\x1b[?1000h\x1b[?1006h";
/// Mouse capture off, so the visitor's terminal selects text itself.
pub const MOUSE_OFF: &[u8] = b"\x1b[?1006l\x1b[?1000l";
/// Synchronized output (DEC mode 2026): the terminal shows the frame only once it is complete.
pub const SYNC_BEGIN: &[u8] = b"\x1b[?2026h";
pub const SYNC_END: &[u8] = b"\x1b[?2026l";
/// Asks the terminal for a status report (DSR 5); its answer (`ESC [ 0 n`) arrives as input
/// and tells a lone Esc key from the start of a split sequence.
pub const STATUS_QUERY: &[u8] = b"\x1b[5n";
/// Clears the screen before a full redraw.
pub const CLEAR: &[u8] = b"\x1b[H\x1b[2J";

/// A full redraw: clear, then every cell that differs from a blank screen.
pub fn encode_full(next: &Buffer, out: &mut Vec<u8>) {
    out.extend_from_slice(CLEAR);
    let blank = Buffer::empty(next.area);
    encode_diff(&blank, next, out);
}

/// The bytes that turn a screen showing `prev` into one showing `next` (same area).
///
/// The same cells as ratatui's `Buffer::diff` (wide characters included), walked directly and
/// encoded without `fmt`: this runs for every frame of every session.
pub fn encode_diff(prev: &Buffer, next: &Buffer, out: &mut Vec<u8>) {
    encode_diff_linked(prev, next, &Links::default(), out);
}

/// The link (if any) at cell `i`, for cells visited in increasing order; `at` is the caller's
/// position in `spans`.
fn link_at(spans: &[LinkSpan], at: &mut usize, i: usize) -> Option<usize> {
    while spans.get(*at).is_some_and(|s| s.end <= i) {
        *at += 1;
    }
    spans.get(*at).filter(|s| s.start <= i).map(|s| s.target)
}

/// [`encode_diff`] with hyperlinks: a cell whose link changed is written again, every written
/// cell of a link is inside an OSC 8 open/close pair, and a link is always closed before a cursor
/// move and at the end, so any part of a link can be redrawn without leaving one half open.
pub fn encode_diff_linked(prev: &Buffer, next: &Buffer, links: &Links, out: &mut Vec<u8>) {
    let width = usize::from(next.area.width);
    if prev.area != next.area || width == 0 {
        return;
    }
    let (mut at_prev, mut at_next) = (0usize, 0usize);
    let mut open: Option<usize> = None;
    let mut cursor: Option<(usize, usize)> = None;
    let mut style = Sgr::default();
    let mut to_skip = 0usize;
    let mut invalidated = 0usize;
    for (i, (p, c)) in prev.content.iter().zip(&next.content).enumerate() {
        let sym = c.symbol();
        let w = symbol_width(sym);
        let link = link_at(links.next, &mut at_next, i);
        let changed = c != p || link != link_at(links.prev, &mut at_prev, i);
        let skip = matches!(c.diff_option, ratatui::buffer::CellDiffOption::Skip);
        if !skip && (changed || invalidated > 0) && to_skip == 0 {
            let (x, y) = (i % width, i / width);
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
                if let Some(t) = link.and_then(|t| links.uris.get(t).map(|u| (t, u))) {
                    osc::link_open(out, t.0, t.1);
                }
                open = link.filter(|&t| t < links.uris.len());
            }
            out.extend_from_slice(sym.as_bytes());
            cursor = Some((x + w.max(1), y));
        }
        to_skip = w.saturating_sub(1);
        let affected = if changed {
            w.max(symbol_width(p.symbol()))
        } else {
            w
        };
        invalidated = affected.max(invalidated).saturating_sub(1);
    }
    if open.is_some() {
        out.extend_from_slice(osc::LINK_CLOSE);
    }
    if style != Sgr::default() {
        out.extend_from_slice(b"\x1b[0m");
    }
}

/// Moves the cursor from `from` (None: unknown) to column `x`, row `y` (0-based) in the fewest
/// bytes VT100 allows: forward on the same row (`CSI n C`), carriage return and line feed to
/// the start of the next row, else an absolute move (`CSI y;x H`). `from` may be one past the
/// last column (after a cell written there): only the absolute move and CR LF are used then,
/// and a line feed never leaves the last row, so it cannot scroll.
pub(crate) fn move_to(out: &mut Vec<u8>, from: Option<(usize, usize)>, x: usize, y: usize) {
    match from {
        Some((cx, cy)) if cy == y && cx < x => {
            out.extend_from_slice(b"\x1b[");
            if x - cx > 1 {
                push_num(out, x - cx);
            }
            out.push(b'C');
        }
        Some((_, cy)) if x == 0 && y == cy + 1 => out.extend_from_slice(b"\r\n"),
        _ => {
            out.extend_from_slice(b"\x1b[");
            push_num(out, y + 1);
            out.push(b';');
            push_num(out, x + 1);
            out.push(b'H');
        }
    }
}

/// Display width of a cell's symbol, with a fast path for ASCII.
pub fn symbol_width(sym: &str) -> usize {
    match sym.as_bytes() {
        [b] if b.is_ascii() => 1,
        _ => unicode_width::UnicodeWidthStr::width(sym),
    }
}

/// Appends a decimal number.
pub(crate) fn push_num(out: &mut Vec<u8>, mut n: usize) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[i..]);
}

/// One row of cells with colours, without cursor moves (for output that is printed, not drawn).
pub fn encode_row(row: &Buffer, out: &mut Vec<u8>) {
    let mut style = Sgr::default();
    let mut s = Vec::new();
    let mut skip = 0usize;
    for cell in &row.content {
        if skip > 0 {
            skip -= 1;
            continue;
        }
        let want = Sgr {
            fg: cell.fg,
            bg: cell.bg,
            modifier: cell.modifier,
        };
        if want != style {
            want.write(&mut s);
            style = want;
        }
        let sym = cell.symbol();
        skip = symbol_width(sym).saturating_sub(1);
        s.extend_from_slice(sym.as_bytes());
    }
    while s.last() == Some(&b' ') {
        s.pop();
    }
    out.extend_from_slice(&s);
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Sgr {
    pub(crate) fg: Color,
    pub(crate) bg: Color,
    pub(crate) modifier: Modifier,
}

impl Default for Sgr {
    fn default() -> Self {
        Sgr {
            fg: Color::Reset,
            bg: Color::Reset,
            modifier: Modifier::empty(),
        }
    }
}

impl Sgr {
    /// The style a cell is drawn in.
    #[inline(always)]
    pub(crate) fn of(c: &ratatui::buffer::Cell) -> Sgr {
        Sgr {
            fg: c.fg,
            bg: c.bg,
            modifier: c.modifier,
        }
    }

    /// Makes `want` the current style, writing the SGR sequence only if it differs (both
    /// encoders draw cell by cell through this).
    #[inline(always)]
    pub(crate) fn switch_to(&mut self, want: Sgr, out: &mut Vec<u8>) {
        if want != *self {
            want.write(out);
            *self = want;
        }
    }

    /// One SGR sequence that resets, then sets this style.
    pub(crate) fn write(&self, s: &mut Vec<u8>) {
        s.extend_from_slice(b"\x1b[0");
        const MODS: [(Modifier, &[u8]); 9] = [
            (Modifier::BOLD, b";1"),
            (Modifier::DIM, b";2"),
            (Modifier::ITALIC, b";3"),
            (Modifier::UNDERLINED, b";4"),
            (Modifier::SLOW_BLINK, b";5"),
            (Modifier::RAPID_BLINK, b";6"),
            (Modifier::REVERSED, b";7"),
            (Modifier::HIDDEN, b";8"),
            (Modifier::CROSSED_OUT, b";9"),
        ];
        for (m, code) in MODS {
            if self.modifier.contains(m) {
                s.extend_from_slice(code);
            }
        }
        color(s, self.fg, 30);
        color(s, self.bg, 40);
        s.push(b'm');
    }
}

/// Appends `;code` for a colour; `base` is 30 for foreground, 40 for background.
fn color(s: &mut Vec<u8>, c: Color, base: u8) {
    let named = |i: u8| usize::from(if i < 8 { base + i } else { base + 60 + i - 8 });
    let mut code = |n: usize| {
        s.push(b';');
        push_num(s, n);
    };
    match c {
        Color::Reset => {}
        Color::Black => code(named(0)),
        Color::Red => code(named(1)),
        Color::Green => code(named(2)),
        Color::Yellow => code(named(3)),
        Color::Blue => code(named(4)),
        Color::Magenta => code(named(5)),
        Color::Cyan => code(named(6)),
        Color::Gray => code(named(7)),
        Color::DarkGray => code(named(8)),
        Color::LightRed => code(named(9)),
        Color::LightGreen => code(named(10)),
        Color::LightYellow => code(named(11)),
        Color::LightBlue => code(named(12)),
        Color::LightMagenta => code(named(13)),
        Color::LightCyan => code(named(14)),
        Color::White => code(named(15)),
        Color::Indexed(i) => {
            code(usize::from(base + 8));
            code(5);
            code(usize::from(i));
        }
        Color::Rgb(r, g, b) => {
            code(usize::from(base + 8));
            code(2);
            code(usize::from(r));
            code(usize::from(g));
            code(usize::from(b));
        }
    }
}

#[cfg(test)]
mod tests;
