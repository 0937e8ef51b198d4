//! From what a terminal shows back to modules, and from modules to the text a QR decoder
//! (rqrr) reads.

use std::num::NonZeroU16;

/// Pixels a cell is drawn with: a cell is twice as tall as wide, its halves square.
const CELL_W: usize = 4;
const CELL_H: usize = 8;

/// One cell as its upper and lower half: dark or not.
pub type Halves = (bool, bool);

/// Draws cells (rows of [`Halves`]) as a greyscale image with a white margin and decodes every
/// code found.
pub fn decode(cells: &[Vec<Halves>]) -> Vec<String> {
    const MARGIN: usize = 16;
    let h = cells.len();
    let w = cells.iter().map(Vec::len).max().unwrap_or(0);
    let (iw, ih) = (w * CELL_W + 2 * MARGIN, h * CELL_H + 2 * MARGIN);
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(iw, ih, |x, y| {
        let (cx, cy) = (
            x.wrapping_sub(MARGIN) / CELL_W,
            y.wrapping_sub(MARGIN) / CELL_H,
        );
        let lower = (y.wrapping_sub(MARGIN) % CELL_H) >= CELL_H / 2;
        let dark = x >= MARGIN
            && y >= MARGIN
            && cells
                .get(cy)
                .and_then(|r| r.get(cx))
                .is_some_and(|&(u, l)| if lower { l } else { u });
        if dark { 0 } else { 255 }
    });
    img.detect_grids()
        .into_iter()
        .filter_map(|g| g.decode().ok().map(|(_, text)| text))
        .collect()
}

/// Cells from plain half-block text: `█` both dark, `▀` upper, `▄` lower, anything else light.
pub fn from_glyphs(rows: &[&str]) -> Vec<Vec<Halves>> {
    rows.iter()
        .map(|r| {
            r.chars()
                .map(|c| (matches!(c, '█' | '▀'), matches!(c, '█' | '▄')))
                .collect()
        })
        .collect()
}

/// A vt100 screen of `cols` × `rows` after `bytes`.
pub fn screen(bytes: &[u8], cols: u16, rows: u16) -> vt100::Parser {
    let nz = |v: u16| NonZeroU16::new(v.max(1)).unwrap_or(NonZeroU16::MIN);
    let mut p = vt100::Parser::new(nz(rows), nz(cols), 0);
    p.process(bytes);
    p
}

/// The code on a screen, by its colours: the bounding box of the cells with a bright white
/// background or foreground (its light modules and quiet zone), each cell's upper half its
/// background and its lower half, under `▄`, its foreground. Also the box's top-left corner
/// and size (columns, rows).
pub fn from_screen(screen: &vt100::Screen) -> (Vec<Vec<Halves>>, (u16, u16, u16, u16)) {
    let (rows, cols) = screen.size();
    let (rows, cols) = (rows.get(), cols.get());
    let white = |c: vt100::Color| c == vt100::Color::Idx(15);
    let black = |c: vt100::Color| c == vt100::Color::Idx(0);
    let is_code = |y: u16, x: u16| {
        screen
            .cell(y, x)
            .is_some_and(|c| white(c.bgcolor()) || (white(c.fgcolor()) && black(c.bgcolor())))
    };
    let ys: Vec<u16> = (0..rows)
        .filter(|&y| (0..cols).any(|x| is_code(y, x)))
        .collect();
    let xs: Vec<u16> = (0..cols)
        .filter(|&x| (0..rows).any(|y| is_code(y, x)))
        .collect();
    let (Some(&y0), Some(&y1), Some(&x0), Some(&x1)) =
        (ys.first(), ys.last(), xs.first(), xs.last())
    else {
        return (Vec::new(), (0, 0, 0, 0));
    };
    let cells = (y0..=y1)
        .map(|y| {
            (x0..=x1)
                .map(|x| {
                    let Some(c) = screen.cell(y, x) else {
                        return (false, false);
                    };
                    let upper = black(c.bgcolor());
                    let lower = if c.contents() == "▄" {
                        black(c.fgcolor())
                    } else {
                        upper
                    };
                    (upper, lower)
                })
                .collect()
        })
        .collect();
    (cells, (x0, y0, x1 - x0 + 1, y1 - y0 + 1))
}

/// The quiet zone: the outer `rows` rows and `cols` columns of cells are all light.
pub fn quiet(cells: &[Vec<Halves>], cols: usize, rows: usize) -> bool {
    let light = |c: &Halves| !c.0 && !c.1;
    let h = cells.len();
    cells.iter().enumerate().all(|(y, r)| {
        let w = r.len();
        r.iter()
            .enumerate()
            .all(|(x, c)| light(c) || (y >= rows && y + rows < h && x >= cols && x + cols < w))
    })
}
