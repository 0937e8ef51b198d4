//! `render --format svg`: one frame as an SVG picture of a terminal. A monospace grid of
//! 9×18-pixel cells: each cell's background as a rectangle (runs of one colour merged), its
//! character as text in its fg colour with bold, dim, italic, underline, crossed-out and
//! reversed applied, a wide character over its two cells, and box-drawing and block characters
//! as paths ([`super::boxes`]) so that borders join in any viewer.
//!
//! Text is drawn in runs of one style along a row, a space for each cell that shows no
//! character, at a font size whose advance is the cell width in DejaVu Sans Mono and Menlo;
//! `textLength` makes browsers hold the grid with any other font too. (Per-character `x` lists
//! would be exact everywhere, but librsvg ignores them.) Box drawing is paths, not the font's
//! glyphs, which join only where the line height matches the font's own.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use ratatui::buffer::{Buffer, Cell};
use ratatui::style::Modifier;

use super::boxes::{self, Pen, n};
use super::palette::{self, DEFAULT_BG, DEFAULT_FG, Rgb};
use crate::terminal::symbol_width;

/// One cell's size in pixels, and the font size that fills it (DejaVu Sans Mono's and Menlo's
/// advance is 0.602 em: 14.95 px gives 9 px).
pub const CELL_W: f64 = 9.0;
pub const CELL_H: f64 = 18.0;
const FONT_SIZE: f64 = 14.95;
/// The baseline, from the top of a cell.
const BASELINE: f64 = 13.5;
/// Monospace fonts that have the Latin, Greek, Cyrillic and symbol characters a resume uses,
/// in the order of where they ship (Linux, macOS, Windows), then the viewer's own.
const FONTS: &str = "'DejaVu Sans Mono', 'Menlo', 'Consolas', 'Liberation Mono', monospace";

/// How a run of characters is drawn.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Ink {
    fg: Rgb,
    bold: bool,
    italic: bool,
    dim: bool,
}

/// Characters of one ink on one row, one per cell from `x` (spaces where a cell shows none).
struct Run {
    ink: Ink,
    x: f64,
    text: String,
}

/// The cell's colours as shown (reversed swaps them).
fn colours(cell: &Cell) -> (Rgb, Rgb) {
    let fg = palette::rgb(cell.fg).unwrap_or(DEFAULT_FG);
    let bg = palette::rgb(cell.bg).unwrap_or(DEFAULT_BG);
    if cell.modifier.contains(Modifier::REVERSED) {
        (bg, fg)
    } else {
        (fg, bg)
    }
}

/// The SVG document for `buf`.
pub fn document(buf: &Buffer) -> String {
    let area = buf.area;
    let (width, height) = (
        f64::from(area.width) * CELL_W,
        f64::from(area.height) * CELL_H,
    );
    let mut backgrounds = String::new();
    let mut texts = String::new();
    let mut pens: BTreeMap<(Rgb, bool), Pen> = BTreeMap::new();
    let mut underlines: BTreeMap<Rgb, String> = BTreeMap::new();
    for row in 0..area.height {
        let top = f64::from(row) * CELL_H;
        let mut bg_run: Option<(Rgb, u16, u16)> = None;
        let mut run: Option<Run> = None;
        let mut col = 0u16;
        while col < area.width {
            let cell = &buf[(area.x + col, area.y + row)];
            let sym = cell.symbol();
            let cells = (symbol_width(sym).max(1) as u16).min(area.width - col);
            let (fg, bg) = colours(cell);
            let left = f64::from(col) * CELL_W;
            // Backgrounds: one rectangle per run of a colour other than the default.
            bg_run = match bg_run {
                Some((c, start, end)) if c == bg && end == col => Some((c, start, col + cells)),
                other => {
                    if let Some(r) = other {
                        push_rect(&mut backgrounds, r, top);
                    }
                    (bg != DEFAULT_BG).then_some((bg, col, col + cells))
                }
            };
            let m = cell.modifier;
            let ink = Ink {
                fg,
                bold: m.contains(Modifier::BOLD),
                italic: m.contains(Modifier::ITALIC),
                dim: m.contains(Modifier::DIM),
            };
            // Underline below the baseline, strike-through at mid-height.
            for (modifier, y) in [
                (Modifier::UNDERLINED, top + BASELINE + 2.0),
                (Modifier::CROSSED_OUT, top + CELL_H / 2.0),
            ] {
                if m.contains(modifier) {
                    let d = underlines.entry(fg).or_default();
                    let _ = write!(d, "M{} {}h{}", n(left), n(y), n(f64::from(cells) * CELL_W));
                }
            }
            let blank = sym.trim().is_empty() || m.contains(Modifier::HIDDEN);
            let mut chars = sym.chars();
            let shape = match (chars.next(), chars.next()) {
                (Some(c), None) if !blank && boxes::handles(c) => {
                    let at = boxes::Cell {
                        x: left,
                        y: top,
                        w: CELL_W,
                        h: CELL_H,
                    };
                    boxes::draw(c, at, pens.entry((fg, ink.dim)).or_default())
                }
                _ => false,
            };
            let single = cells == 1 && sym.chars().count() == 1;
            if blank || shape {
                // Inside a run, a space keeps the characters after it on the grid.
                if let Some(r) = &mut run {
                    r.text.push(' ');
                }
            } else if single {
                match &mut run {
                    Some(r) if r.ink == ink => r.text.push_str(sym),
                    _ => {
                        if let Some(r) = run.take() {
                            push_text(&mut texts, &r, top);
                        }
                        run = Some(Run {
                            ink,
                            x: left,
                            text: sym.to_owned(),
                        });
                    }
                }
            } else {
                if let Some(r) = run.take() {
                    push_text(&mut texts, &r, top);
                }
                // A wide character (about 1 em wide) is centred on its two cells (1.2 em); a
                // cluster of several characters is drawn on its own.
                let x = if cells > 1 {
                    left + (f64::from(cells) * CELL_W - FONT_SIZE).max(0.0) / 2.0
                } else {
                    left
                };
                let r = Run {
                    ink,
                    x,
                    text: sym.to_owned(),
                };
                push_text(&mut texts, &r, top);
            }
            col += cells;
        }
        if let Some(r) = bg_run {
            push_rect(&mut backgrounds, r, top);
        }
        if let Some(r) = run {
            push_text(&mut texts, &r, top);
        }
    }
    let mut out = String::with_capacity(backgrounds.len() + texts.len() + 4096);
    let _ = write!(
        out,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" font-family=\"{FONTS}\" font-size=\"{FONT_SIZE}\">\n<rect width=\"{w}\" height=\"{h}\" fill=\"{DEFAULT_BG}\"/>\n<g shape-rendering=\"crispEdges\">\n{backgrounds}</g>\n<g xml:space=\"preserve\">\n{texts}</g>\n",
        w = n(width),
        h = n(height),
    );
    for ((colour, dim), pen) in &pens {
        let opacity = if *dim { " opacity=\"0.6\"" } else { "" };
        let _ = writeln!(
            out,
            "<g data-shapes=\"box\" fill=\"none\" stroke=\"{colour}\" stroke-linecap=\"square\"{opacity}>"
        );
        for (d, width) in [
            (&pen.light, boxes::LIGHT),
            (&pen.heavy, boxes::HEAVY),
            (&pen.double, boxes::DOUBLE),
        ] {
            if !d.is_empty() {
                let _ = writeln!(
                    out,
                    "<path stroke-width=\"{}\" d=\"{d}\"/>",
                    n(width * CELL_W)
                );
            }
        }
        if !pen.fill.is_empty() {
            let _ = writeln!(
                out,
                "<path stroke=\"none\" fill=\"{colour}\" d=\"{}\"/>",
                pen.fill
            );
        }
        for (d, density) in pen.shade.iter().zip(["0.25", "0.5", "0.75"]) {
            if !d.is_empty() {
                let _ = writeln!(
                    out,
                    "<path stroke=\"none\" fill=\"{colour}\" fill-opacity=\"{density}\" d=\"{d}\"/>"
                );
            }
        }
        out.push_str("</g>\n");
    }
    for (colour, d) in &underlines {
        let _ = writeln!(
            out,
            "<path fill=\"none\" stroke=\"{colour}\" stroke-width=\"1\" d=\"{d}\"/>"
        );
    }
    out.push_str("</svg>\n");
    out
}

fn push_rect(out: &mut String, (colour, start, end): (Rgb, u16, u16), top: f64) {
    let _ = writeln!(
        out,
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{colour}\"/>",
        n(f64::from(start) * CELL_W),
        n(top),
        n(f64::from(end - start) * CELL_W),
        n(CELL_H)
    );
}

fn push_text(out: &mut String, run: &Run, top: f64) {
    let text = run.text.trim_end_matches(' ');
    let _ = write!(
        out,
        "<text x=\"{}\" y=\"{}\" fill=\"{}\"",
        n(run.x),
        n(top + BASELINE),
        run.ink.fg
    );
    let count = text.chars().count();
    if count > 1
        && text
            .chars()
            .all(|c| symbol_width(c.encode_utf8(&mut [0; 4])) == 1)
    {
        // Browsers then hold the grid with any font (librsvg ignores it and uses the advance).
        let _ = write!(
            out,
            " textLength=\"{}\" lengthAdjust=\"spacing\"",
            n(count as f64 * CELL_W)
        );
    }
    if run.ink.bold {
        out.push_str(" font-weight=\"bold\"");
    }
    if run.ink.italic {
        out.push_str(" font-style=\"italic\"");
    }
    if run.ink.dim {
        out.push_str(" fill-opacity=\"0.6\"");
    }
    out.push('>');
    escape_into(out, text);
    out.push_str("</text>\n");
}

/// `text` as XML character data: markup characters escaped, characters XML 1.0 cannot hold
/// (C0 and C1 controls, U+FFFE, U+FFFF) replaced by U+FFFD.
fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' | '\r' => out.push(' '),
            c if c.is_control() || c == '\u{fffe}' || c == '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests;
