//! Terminal colours as the pictures show them: ratatui's [`Color`] to `#rrggbb`, with xterm's
//! default 16-colour palette and its 256-colour cube and grey ramp.

use ratatui::style::Color;

/// The picture's background and text colour where a cell leaves them to the terminal
/// (`Color::Reset`): a dark terminal, as the default theme expects.
pub const DEFAULT_BG: Rgb = Rgb(0x1c, 0x1e, 0x24);
pub const DEFAULT_FG: Rgb = Rgb(0xd4, 0xd4, 0xd4);

/// xterm's default palette for the 16 named colours.
const ANSI16: [Rgb; 16] = [
    Rgb(0x00, 0x00, 0x00),
    Rgb(0xcd, 0x00, 0x00),
    Rgb(0x00, 0xcd, 0x00),
    Rgb(0xcd, 0xcd, 0x00),
    Rgb(0x00, 0x00, 0xee),
    Rgb(0xcd, 0x00, 0xcd),
    Rgb(0x00, 0xcd, 0xcd),
    Rgb(0xe5, 0xe5, 0xe5),
    Rgb(0x7f, 0x7f, 0x7f),
    Rgb(0xff, 0x00, 0x00),
    Rgb(0x00, 0xff, 0x00),
    Rgb(0xff, 0xff, 0x00),
    Rgb(0x5c, 0x5c, 0xff),
    Rgb(0xff, 0x00, 0xff),
    Rgb(0x00, 0xff, 0xff),
    Rgb(0xff, 0xff, 0xff),
];

/// A colour to paint with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl std::fmt::Display for Rgb {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }
}

/// The colour `c` shows as; `None` for `Reset` (the terminal's own default).
pub fn rgb(c: Color) -> Option<Rgb> {
    let named = |i: usize| Some(ANSI16[i]);
    match c {
        Color::Reset => None,
        Color::Black => named(0),
        Color::Red => named(1),
        Color::Green => named(2),
        Color::Yellow => named(3),
        Color::Blue => named(4),
        Color::Magenta => named(5),
        Color::Cyan => named(6),
        Color::Gray => named(7),
        Color::DarkGray => named(8),
        Color::LightRed => named(9),
        Color::LightGreen => named(10),
        Color::LightYellow => named(11),
        Color::LightBlue => named(12),
        Color::LightMagenta => named(13),
        Color::LightCyan => named(14),
        Color::White => named(15),
        Color::Rgb(r, g, b) => Some(Rgb(r, g, b)),
        Color::Indexed(i) => Some(indexed(i)),
    }
}

/// xterm's 256 colours: the 16 named ones, a 6×6×6 cube, then 24 greys.
fn indexed(i: u8) -> Rgb {
    match i {
        0..=15 => ANSI16[usize::from(i)],
        16..=231 => {
            let n = i - 16;
            let level = |v: u8| if v == 0 { 0 } else { 55 + 40 * v };
            Rgb(level(n / 36), level((n / 6) % 6), level(n % 6))
        }
        _ => {
            let v = 8 + 10 * (i - 232);
            Rgb(v, v, v)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xterm_palette() {
        assert_eq!(rgb(Color::Reset), None);
        assert_eq!(
            rgb(Color::Red).map(|c| c.to_string()).as_deref(),
            Some("#cd0000")
        );
        assert_eq!(indexed(16), Rgb(0, 0, 0));
        assert_eq!(indexed(21), Rgb(0, 0, 255));
        assert_eq!(indexed(67), Rgb(95, 135, 175));
        assert_eq!(indexed(231), Rgb(255, 255, 255));
        assert_eq!(indexed(232), Rgb(8, 8, 8));
        assert_eq!(indexed(255), Rgb(238, 238, 238));
        assert_eq!(
            rgb(Color::Rgb(1, 2, 255)).map(|c| c.to_string()).as_deref(),
            Some("#0102ff")
        );
    }
}
