//! The contact as a QR code (made by the `qrcode` crate): the vCard, a shorter card, or a
//! `mailto:` link, whichever is the richest that fits, drawn as half blocks two modules a row.
//!
//! A code here always has a 4-module quiet zone, and is meant to be shown dark on light: the
//! TUI draws it with black and white set explicitly, `ssh HOST qr` prints it the same way, so a
//! phone reads it whether the visitor's terminal is dark or light.

use qrcode::{EcLevel, QrCode};

use crate::export::vcard;
use crate::resume::Resume;

/// Modules of light margin on every side.
pub const QUIET: usize = 4;

/// A QR code with its quiet zone: `dark[y * size + x]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Code {
    pub size: usize,
    dark: Vec<bool>,
    /// What it encodes.
    pub payload: String,
}

impl Code {
    /// Encodes `payload` at error correction level M, or `None` if it is too long for any
    /// version.
    pub fn new(payload: &str) -> Option<Code> {
        let qr = QrCode::with_error_correction_level(payload.as_bytes(), EcLevel::M).ok()?;
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

    /// Columns and rows it takes as half blocks.
    pub fn cells(&self) -> (usize, usize) {
        (self.size, self.size.div_ceil(2))
    }

    /// The code as rows of half blocks: `█` both modules dark, `▀` the upper one, `▄` the lower
    /// one, a space neither. Dark is the glyph, so the text reads right in dark-on-light.
    pub fn rows(&self) -> Vec<String> {
        (0..self.size.div_ceil(2))
            .map(|r| {
                (0..self.size)
                    .map(|x| half_block(self.is_dark(x, 2 * r), self.is_dark(x, 2 * r + 1)))
                    .collect()
            })
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

/// What the contact's code can carry, richest first: the full vCard, a card with name, title,
/// e-mail and home page only, then `mailto:`.
pub fn payloads(resume: &Resume) -> Vec<String> {
    let b = &resume.basics;
    let mut short = format!(
        "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:{}\r\nTITLE:{}\r\nEMAIL:{}\r\n",
        vcard::escape(&b.name),
        vcard::escape(&b.label),
        vcard::escape(&b.email),
    );
    if let Some(url) = &b.url {
        short.push_str(&format!("URL:{url}\r\n"));
    }
    short.push_str("END:VCARD\r\n");
    vec![vcard::render(resume), short, format!("mailto:{}", b.email)]
}

/// The codes of [`payloads`], richest (largest) first.
pub fn codes(resume: &Resume) -> Vec<Code> {
    payloads(resume)
        .iter()
        .filter_map(|p| Code::new(p))
        .collect()
}

/// The richest code that fits in `cols` × `rows` cells.
pub fn fitting(codes: &[Code], cols: usize, rows: usize) -> Option<&Code> {
    codes.iter().find(|c| {
        let (w, h) = c.cells();
        w <= cols && h <= rows
    })
}

/// `ssh HOST qr`: the code as text, each row black on bright white so it reads on any
/// terminal; plain glyphs (dark = `█`) with `colour` off.
pub fn print(resume: &Resume, colour: bool) -> String {
    let codes = codes(resume);
    // A printed code should still fit a common terminal: 80 columns.
    let Some(code) = fitting(&codes, 80, 200) else {
        return String::new();
    };
    let mut out = String::new();
    for row in code.rows() {
        if colour {
            out.push_str("\x1b[30;107m");
            out.push_str(&row);
            out.push_str("\x1b[0m\n");
        } else {
            out.push_str(&row);
            out.push('\n');
        }
    }
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
        let rows = c.rows();
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
    }

    #[test]
    fn the_richest_payload_that_fits() {
        let r = Resume::parse(include_str!("../resume.toml"), std::path::Path::new("r")).unwrap();
        let codes = codes(&r);
        assert_eq!(codes.len(), 3);
        assert!(codes[0].size >= codes[1].size && codes[1].size > codes[2].size);
        assert!(codes[0].payload.starts_with("BEGIN:VCARD"));
        let small = fitting(&codes, codes[2].size, codes[2].size).unwrap();
        assert_eq!(small.payload, "mailto:arunavmalhotra1998@gmail.com");
        assert!(fitting(&codes, 20, 20).is_none());
        assert_eq!(fitting(&codes, 400, 200), Some(&codes[0]));
    }
}
