//! The contact as a QR code (made by the `qrcode` crate) for a phone camera across a desk: a
//! short card (name, e-mail, home page) at the lowest error-correction level, so it has the
//! fewest modules, drawn with big modules where there is room, and captioned.
//!
//! A code here always has a 4-module quiet zone, and is meant to be shown dark on light: the
//! TUI draws it with black and white set explicitly, `ssh HOST qr` prints it the same way, so a
//! phone reads it whether the visitor's terminal is dark or light.

use qrcode::{EcLevel, QrCode};

use crate::resume::Resume;

/// Modules of light margin on every side.
pub const QUIET: usize = 4;

/// What is written under the code: exactly what scanning it does.
pub const CAPTION: &str = "Scan to save the contact";

/// How modules become terminal cells. Cells are about twice as tall as wide, so both keep the
/// modules square-ish.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scale {
    /// A module is two columns of one row (`██`): big, for a phone across a desk.
    Big,
    /// A module is one column of half a row (half blocks, two modules a row): compact.
    Half,
}

impl Scale {
    /// Biggest first.
    pub const ALL: [Scale; 2] = [Scale::Big, Scale::Half];
}

/// One cell of a drawn code: its upper and lower module (the same at [`Scale::Big`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cell {
    pub upper: bool,
    pub lower: bool,
}

impl Cell {
    /// Its glyph without colours: `█` both modules dark, `▀` the upper one, `▄` the lower
    /// one, a space neither. Dark is the glyph, so the text reads right in dark-on-light.
    pub fn glyph(self) -> char {
        half_block(self.upper, self.lower)
    }

    /// How it is painted with colours: (glyph, foreground dark, background dark). The
    /// background is the upper module, and where the lower one differs `▄` paints it in the
    /// foreground: the background fills the whole cell whatever the font, and `▄` reaches the
    /// cell's bottom edge in common fonts, where `▀` leaves a line of background above it (a
    /// raw screenshot of DejaVu Sans Mono in xterm scans only this way).
    pub fn painted(self) -> (char, bool, bool) {
        let glyph = if self.upper == self.lower { ' ' } else { '▄' };
        (glyph, self.lower, self.upper)
    }
}

/// A QR code with its quiet zone: `dark[y * size + x]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Code {
    pub size: usize,
    dark: Vec<bool>,
    /// What it encodes.
    pub payload: String,
}

impl Code {
    /// Encodes `payload` at error-correction level L (a code on a screen is not scratched or
    /// folded: L is the fewest modules), or `None` if it is too long for any version.
    pub fn new(payload: &str) -> Option<Code> {
        let qr = QrCode::with_error_correction_level(payload.as_bytes(), EcLevel::L).ok()?;
        let w = qr.width();
        let size = w + 2 * QUIET;
        let modules = qr.to_colors();
        let mut dark = vec![false; size * size];
        for y in 0..w {
            for x in 0..w {
                dark[(y + QUIET) * size + x + QUIET] = modules[y * w + x] == qrcode::Color::Dark;
            }
        }
        Some(Code {
            size,
            dark,
            payload: payload.to_owned(),
        })
    }

    pub fn is_dark(&self, x: usize, y: usize) -> bool {
        x < self.size && y < self.size && self.dark[y * self.size + x]
    }

    /// Columns and rows it takes at `scale`.
    pub fn cells(&self, scale: Scale) -> (usize, usize) {
        match scale {
            Scale::Big => (2 * self.size, self.size),
            Scale::Half => (self.size, self.size.div_ceil(2)),
        }
    }

    /// The biggest scale at which the code fits in `cols` × `rows` cells.
    pub fn fit(&self, cols: usize, rows: usize) -> Option<Scale> {
        Scale::ALL.into_iter().find(|&s| {
            let (w, h) = self.cells(s);
            w <= cols && h <= rows
        })
    }

    /// The code's cells at `scale`, row by row.
    pub fn grid(&self, scale: Scale) -> Vec<Vec<Cell>> {
        match scale {
            Scale::Big => (0..self.size)
                .map(|y| {
                    (0..2 * self.size)
                        .map(|x| {
                            let d = self.is_dark(x / 2, y);
                            Cell { upper: d, lower: d }
                        })
                        .collect()
                })
                .collect(),
            Scale::Half => (0..self.size.div_ceil(2))
                .map(|r| {
                    (0..self.size)
                        .map(|x| Cell {
                            upper: self.is_dark(x, 2 * r),
                            lower: self.is_dark(x, 2 * r + 1),
                        })
                        .collect()
                })
                .collect(),
        }
    }

    /// The code's rows as plain text (the glyphs of [`Cell::glyph`]).
    pub fn rows(&self, scale: Scale) -> Vec<String> {
        self.grid(scale)
            .iter()
            .map(|r| r.iter().map(|c| c.glyph()).collect())
            .collect()
    }
}

/// The glyph for an upper and a lower module.
pub fn half_block(upper: bool, lower: bool) -> char {
    match (upper, lower) {
        (true, true) => '█',
        (true, false) => '▀',
        (false, true) => '▄',
        (false, false) => ' ',
    }
}

/// Escapes a MECARD field value (`\`, `;`, `,`, `:` are special).
fn mecard_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '\\' | ';' | ',' | ':' | '"') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The short card: name, e-mail and home page as a MECARD, the compact contact format that
/// phone QR readers (ZXing-based apps, Google Lens) turn into "add contact". A minimal vCard 3.0
/// (N, FN, EMAIL) is about 50 bytes longer: version 6 (41 modules) instead of 4 (33).
pub fn payload(resume: &Resume) -> String {
    let b = &resume.basics;
    let mut card = format!(
        "MECARD:N:{};EMAIL:{};",
        mecard_escape(&b.name),
        mecard_escape(&b.email)
    );
    if let Some(url) = &b.url {
        card.push_str(&format!("URL:{};", mecard_escape(&url.to_string())));
    }
    card.push(';');
    card
}

/// The contact's code, if its card fits in any QR version.
pub fn code(resume: &Resume) -> Option<Code> {
    Code::new(&payload(resume))
}

/// Rows a printed code needs beyond its own: the caption, the shell prompt that follows, and
/// the line `ssh -t` may print on close, so nothing scrolls off.
pub const PRINT_EXTRA_ROWS: usize = 3;

/// The smallest window `ssh -t HOST qr` fits in.
pub fn window_needed(code: &Code) -> (usize, usize) {
    let (w, h) = code.cells(Scale::Half);
    (w.max(CAPTION.len()), h + PRINT_EXTRA_ROWS)
}

/// The scale `ssh -t HOST qr` uses in a `cols` × `rows` window, if the code fits.
pub fn print_fit(code: &Code, cols: usize, rows: usize) -> Option<Scale> {
    code.fit(cols, rows.saturating_sub(PRINT_EXTRA_ROWS))
        .filter(|_| cols >= CAPTION.len())
}

/// `ssh HOST qr`: the code at `scale` and its caption, painted black and bright white (see
/// [`Cell::painted`]) so it reads on any terminal; plain glyphs (dark = `█`) with `colour` off.
pub fn print(code: &Code, scale: Scale, colour: bool) -> String {
    let mut out = String::new();
    let grid = code.grid(scale);
    let width = grid.first().map_or(0, Vec::len);
    for row in grid {
        let mut last = None;
        for c in row {
            if !colour {
                out.push(c.glyph());
                continue;
            }
            let (glyph, fg, bg) = c.painted();
            if last != Some((fg, bg)) {
                // 30/97: black/bright white foreground; 40/107: the same backgrounds.
                out.push_str(match (fg, bg) {
                    (true, true) => "\x1b[30;40m",
                    (true, false) => "\x1b[30;107m",
                    (false, true) => "\x1b[97;40m",
                    (false, false) => "\x1b[97;107m",
                });
                last = Some((fg, bg));
            }
            out.push(glyph);
        }
        if colour {
            out.push_str("\x1b[0m");
        }
        out.push('\n');
    }
    let pad = width.saturating_sub(CAPTION.len()) / 2;
    out.push_str(&" ".repeat(pad));
    out.push_str(CAPTION);
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quiet_zone_and_half_blocks() {
        let c = Code::new("mailto:a@b.c").unwrap();
        assert_eq!(c.size, 21 + 2 * QUIET);
        for i in 0..c.size {
            for q in 0..QUIET {
                assert!(!c.is_dark(i, q) && !c.is_dark(q, i));
                assert!(!c.is_dark(i, c.size - 1 - q) && !c.is_dark(c.size - 1 - q, i));
            }
        }
        let rows = c.rows(Scale::Half);
        assert_eq!(rows.len(), c.size.div_ceil(2));
        // The top-left finder pattern's first row: 7 dark modules after the quiet zone.
        let top = &rows[QUIET / 2];
        assert!(
            top.chars()
                .skip(QUIET)
                .take(7)
                .all(|ch| ch == '█' || ch == '▀')
        );
        assert!(rows.iter().all(|r| r.chars().count() == c.size));
        let big = c.rows(Scale::Big);
        assert_eq!(big.len(), c.size);
        assert!(
            big[QUIET]
                .chars()
                .skip(2 * QUIET)
                .take(14)
                .all(|ch| ch == '█')
        );
        assert!(big.iter().all(|r| r.chars().count() == 2 * c.size));
    }

    #[test]
    fn the_short_card_is_a_small_code() {
        let r = Resume::parse(include_str!("../resume.toml"), std::path::Path::new("r")).unwrap();
        let p = payload(&r);
        assert_eq!(
            p,
            "MECARD:N:Arunav Malhotra;EMAIL:arunavmalhotra1998@gmail.com;;"
        );
        let c = code(&r).unwrap();
        // Version 4 (33 modules) and the quiet zone.
        assert_eq!(c.size, 33 + 2 * QUIET);
        assert_eq!(c.fit(2 * c.size, c.size), Some(Scale::Big));
        assert_eq!(c.fit(2 * c.size - 1, c.size), Some(Scale::Half));
        assert_eq!(c.fit(c.size, c.size.div_ceil(2) - 1), None);
        // `ssh -t HOST qr` fits 80×24.
        assert_eq!(window_needed(&c), (41, 24));
        assert_eq!(print_fit(&c, 80, 24), Some(Scale::Half));
        assert_eq!(print_fit(&c, 80, 23), None);
        assert_eq!(print_fit(&c, 82, 44), Some(Scale::Big));
    }

    #[test]
    fn escapes_mecard_specials() {
        assert_eq!(mecard_escape(r"a;b,c:d\e"), r"a\;b\,c\:d\\e");
    }
}
