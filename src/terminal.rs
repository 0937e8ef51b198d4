//! The client's terminal: clamped sizes, screen set-up/restore sequences, and frame diffs as bytes.
//!
//! Nothing here touches the server's own tty. A frame is a ratatui [`Buffer`] of the client's
//! size; [`encode_diff`] turns the cells that changed between two frames into the shortest simple
//! run of cursor moves, SGR attributes and text.

use std::fmt::Write as _;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier};

/// The largest terminal honoured; bigger declared sizes are clamped (a 65535×65535 buffer would
/// need gigabytes).
pub const MAX_COLS: u16 = 400;
pub const MAX_ROWS: u16 = 200;
/// Used when a client declares 0 (OpenSSH does when it has no terminal of its own).
pub const DEFAULT_SIZE: Size = Size { cols: 80, rows: 24 };

/// A terminal size in cells, always within 1..=MAX.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

/// Alternate screen, hidden cursor, mouse (click + wheel, SGR coordinates), bracketed paste.
pub const ENTER: &[u8] = b"\x1b[?1049h\x1b[?25l\x1b[?1000h\x1b[?1006h\x1b[?2004h";
/// Undoes [`ENTER`] in reverse order; leaves the primary screen as it was.
pub const LEAVE: &[u8] = b"\x1b[?2004l\x1b[?1006l\x1b[?1000l\x1b[?25h\x1b[?1049l";
/// Clears the screen before a full redraw.
pub const CLEAR: &[u8] = b"\x1b[H\x1b[2J";

/// A full redraw: clear, then every cell that differs from a blank screen.
pub fn encode_full(next: &Buffer, out: &mut Vec<u8>) {
    out.extend_from_slice(CLEAR);
    let blank = Buffer::empty(next.area);
    encode_diff(&blank, next, out);
}

/// The bytes that turn a screen showing `prev` into one showing `next` (same area).
pub fn encode_diff(prev: &Buffer, next: &Buffer, out: &mut Vec<u8>) {
    let mut cursor: Option<(u16, u16)> = None;
    let mut style = Sgr::default();
    let mut s = String::new();
    for (x, y, cell) in prev.diff(next) {
        if cursor != Some((x, y)) {
            let _ = write!(s, "\x1b[{};{}H", y + 1, x + 1);
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
        let width = unicode_width::UnicodeWidthStr::width(sym).max(1) as u16;
        s.push_str(sym);
        cursor = Some((x + width, y));
    }
    if style != Sgr::default() {
        s.push_str("\x1b[0m");
    }
    out.extend_from_slice(s.as_bytes());
}

/// One row of cells with colours, without cursor moves (for output that is printed, not drawn).
pub fn encode_row(row: &Buffer, out: &mut Vec<u8>) {
    let mut style = Sgr::default();
    let mut s = String::new();
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
        skip = unicode_width::UnicodeWidthStr::width(sym).saturating_sub(1);
        s.push_str(sym);
    }
    let trimmed = s.trim_end_matches(' ');
    out.extend_from_slice(trimmed.as_bytes());
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Sgr {
    fg: Color,
    bg: Color,
    modifier: Modifier,
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
    /// One SGR sequence that resets, then sets this style.
    fn write(&self, s: &mut String) {
        s.push_str("\x1b[0");
        const MODS: [(Modifier, &str); 9] = [
            (Modifier::BOLD, ";1"),
            (Modifier::DIM, ";2"),
            (Modifier::ITALIC, ";3"),
            (Modifier::UNDERLINED, ";4"),
            (Modifier::SLOW_BLINK, ";5"),
            (Modifier::RAPID_BLINK, ";6"),
            (Modifier::REVERSED, ";7"),
            (Modifier::HIDDEN, ";8"),
            (Modifier::CROSSED_OUT, ";9"),
        ];
        for (m, code) in MODS {
            if self.modifier.contains(m) {
                s.push_str(code);
            }
        }
        color(s, self.fg, 30);
        color(s, self.bg, 40);
        s.push('m');
    }
}

/// Appends `;code` for a colour; `base` is 30 for foreground, 40 for background.
fn color(s: &mut String, c: Color, base: u8) {
    let named = |i: u8| if i < 8 { base + i } else { base + 60 + i - 8 };
    let _ = match c {
        Color::Reset => Ok(()),
        Color::Black => write!(s, ";{}", named(0)),
        Color::Red => write!(s, ";{}", named(1)),
        Color::Green => write!(s, ";{}", named(2)),
        Color::Yellow => write!(s, ";{}", named(3)),
        Color::Blue => write!(s, ";{}", named(4)),
        Color::Magenta => write!(s, ";{}", named(5)),
        Color::Cyan => write!(s, ";{}", named(6)),
        Color::Gray => write!(s, ";{}", named(7)),
        Color::DarkGray => write!(s, ";{}", named(8)),
        Color::LightRed => write!(s, ";{}", named(9)),
        Color::LightGreen => write!(s, ";{}", named(10)),
        Color::LightYellow => write!(s, ";{}", named(11)),
        Color::LightBlue => write!(s, ";{}", named(12)),
        Color::LightMagenta => write!(s, ";{}", named(13)),
        Color::LightCyan => write!(s, ";{}", named(14)),
        Color::White => write!(s, ";{}", named(15)),
        Color::Indexed(i) => write!(s, ";{};5;{i}", base + 8),
        Color::Rgb(r, g, b) => write!(s, ";{};2;{r};{g};{b}", base + 8),
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::style::Style;

    #[test]
    fn sizes_are_clamped() {
        assert_eq!(Size::clamped(0, 0), DEFAULT_SIZE);
        assert_eq!(Size::clamped(1, 1), Size { cols: 1, rows: 1 });
        assert_eq!(
            Size::clamped(u32::MAX, u32::MAX),
            Size {
                cols: MAX_COLS,
                rows: MAX_ROWS
            }
        );
        assert_eq!(Size::clamped(65536 + 80, 24).cols, MAX_COLS);
    }

    fn nz(v: u16) -> std::num::NonZeroU16 {
        std::num::NonZeroU16::new(v).unwrap()
    }

    fn screen(bytes: &[u8], size: Size) -> vt100::Parser {
        let mut p = vt100::Parser::new(nz(size.rows), nz(size.cols), 0);
        p.process(bytes);
        p
    }

    #[test]
    fn diff_reproduces_the_frame_on_a_real_emulator() {
        let size = Size::new(20, 3);
        let mut a = Buffer::empty(size.rect());
        a.set_string(0, 0, "hello world", Style::new().fg(Color::Indexed(74)));
        a.set_string(
            2,
            2,
            "tab 日本 x",
            Style::new().add_modifier(Modifier::BOLD),
        );
        let mut out = Vec::new();
        encode_full(&a, &mut out);
        let mut p = screen(&out, size);
        assert_eq!(p.screen().contents(), "hello world\n\n  tab 日本 x");
        let cell = p.screen().cell(0, 0).unwrap();
        assert_eq!(cell.fgcolor(), vt100::Color::Idx(74));
        assert!(p.screen().cell(2, 2).unwrap().bold());

        let mut b = a.clone();
        b.set_string(6, 0, "there", Style::new().fg(Color::Rgb(1, 2, 3)));
        let mut diff = Vec::new();
        encode_diff(&a, &b, &mut diff);
        assert!(diff.len() < 40, "{}", String::from_utf8_lossy(&diff));
        p.process(&diff);
        assert_eq!(p.screen().contents(), "hello there\n\n  tab 日本 x");
        assert_eq!(
            p.screen().cell(0, 6).unwrap().fgcolor(),
            vt100::Color::Rgb(1, 2, 3)
        );
        // Identical frames cost nothing.
        let mut none = Vec::new();
        encode_diff(&b, &b, &mut none);
        assert!(none.is_empty());
    }

    #[test]
    fn enter_and_leave_restore_the_screen() {
        let mut p = vt100::Parser::new(nz(5), nz(20), 0);
        p.process(b"shell$ ");
        p.process(ENTER);
        assert!(p.screen().alternate_screen());
        assert!(p.screen().hide_cursor());
        assert_ne!(
            p.screen().mouse_protocol_mode(),
            vt100::MouseProtocolMode::None
        );
        p.process(b"\x1b[2J\x1b[Hui");
        p.process(LEAVE);
        assert!(!p.screen().alternate_screen());
        assert!(!p.screen().hide_cursor());
        assert_eq!(
            p.screen().mouse_protocol_mode(),
            vt100::MouseProtocolMode::None
        );
        assert!(!p.screen().bracketed_paste());
        assert_eq!(p.screen().contents(), "shell$ ");
    }
}
