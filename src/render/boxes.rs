//! Box-drawing and block characters as SVG paths, so that borders join across cells whatever
//! fonts the viewer has (a font's box glyphs join only when the line height matches its own
//! metrics, and a fallback font's rarely do). Each line character is its arms from the cell's
//! centre to its edges; rounded corners are curves; blocks and shades are filled rectangles.
//! Characters not listed here are drawn as text.

use std::fmt::Write as _;

/// One arm's weight.
#[derive(Clone, Copy, PartialEq, Eq)]
enum W {
    No,
    Light,
    Heavy,
    Double,
}

/// The paths of one colour: lines by weight, filled areas, shades by density (¼, ½, ¾).
#[derive(Default)]
pub struct Pen {
    pub light: String,
    pub heavy: String,
    /// The two thin lines of double arms.
    pub double: String,
    pub fill: String,
    pub shade: [String; 3],
}

/// Stroke widths, as fractions of the cell width.
pub const LIGHT: f64 = 0.14;
pub const HEAVY: f64 = 0.3;
pub const DOUBLE: f64 = 0.11;

/// A cell's box on the picture.
#[derive(Clone, Copy)]
pub struct Cell {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

/// Arms (up, right, down, left) of the line characters drawn as paths.
fn arms(c: char) -> Option<[W; 4]> {
    use W::{Double as D, Heavy as H, Light as L, No as N};
    Some(match c {
        '─' | '┄' | '┈' | '╌' => [N, L, N, L],
        '━' | '┅' | '┉' | '╍' => [N, H, N, H],
        '│' | '┆' | '┊' | '╎' => [L, N, L, N],
        '┃' | '┇' | '┋' | '╏' => [H, N, H, N],
        '┌' => [N, L, L, N],
        '┐' => [N, N, L, L],
        '└' => [L, L, N, N],
        '┘' => [L, N, N, L],
        '├' => [L, L, L, N],
        '┤' => [L, N, L, L],
        '┬' => [N, L, L, L],
        '┴' => [L, L, N, L],
        '┼' => [L, L, L, L],
        '┏' => [N, H, H, N],
        '┓' => [N, N, H, H],
        '┗' => [H, H, N, N],
        '┛' => [H, N, N, H],
        '┣' => [H, H, H, N],
        '┫' => [H, N, H, H],
        '┳' => [N, H, H, H],
        '┻' => [H, H, N, H],
        '╋' => [H, H, H, H],
        '═' => [N, D, N, D],
        '║' => [D, N, D, N],
        '╔' => [N, D, D, N],
        '╗' => [N, N, D, D],
        '╚' => [D, D, N, N],
        '╝' => [D, N, N, D],
        '╠' => [D, D, D, N],
        '╣' => [D, N, D, D],
        '╦' => [N, D, D, D],
        '╩' => [D, D, N, D],
        '╬' => [D, D, D, D],
        '╴' => [N, N, N, L],
        '╵' => [L, N, N, N],
        '╶' => [N, L, N, N],
        '╷' => [N, N, L, N],
        _ => return None,
    })
}

/// Block elements as (left, top, right, bottom) fractions of the cell, and shades.
fn block(c: char) -> Option<([f64; 4], Option<usize>)> {
    let eighth = |n: u32| f64::from(n) / 8.0;
    Some(match c {
        '█' => ([0.0, 0.0, 1.0, 1.0], None),
        '▀' => ([0.0, 0.0, 1.0, 0.5], None),
        '▔' => ([0.0, 0.0, 1.0, eighth(1)], None),
        '▕' => ([eighth(7), 0.0, 1.0, 1.0], None),
        '▐' => ([0.5, 0.0, 1.0, 1.0], None),
        // ▁ to ▇: lower n eighths.
        '\u{2581}'..='\u{2587}' => {
            let n = c as u32 - 0x2580;
            ([0.0, 1.0 - eighth(n), 1.0, 1.0], None)
        }
        // ▉ to ▏: left 7 eighths down to 1.
        '\u{2589}'..='\u{258f}' => {
            let n = 0x2590 - c as u32;
            ([0.0, 0.0, eighth(n), 1.0], None)
        }
        '░' => ([0.0, 0.0, 1.0, 1.0], Some(0)),
        '▒' => ([0.0, 0.0, 1.0, 1.0], Some(1)),
        '▓' => ([0.0, 0.0, 1.0, 1.0], Some(2)),
        _ => return None,
    })
}

/// Whether `c` is drawn as a shape (by [`draw`]) rather than as text.
pub fn handles(c: char) -> bool {
    arms(c).is_some() || matches!(c, '╭' | '╮' | '╯' | '╰') || block(c).is_some()
}

/// Adds `c` to `pen` at `cell`; false if `c` is not drawn as a shape.
pub fn draw(c: char, cell: Cell, pen: &mut Pen) -> bool {
    let Cell { x, y, w, h } = cell;
    let (cx, cy) = (x + w / 2.0, y + h / 2.0);
    if let Some(a) = arms(c) {
        // Each arm runs from the centre (past it by half a heavy stroke, so arms of different
        // weights meet without a notch) to the cell's edge.
        let over = HEAVY * w / 2.0;
        let g = w / 5.0;
        let ends = [
            (cx, cy + over, cx, y),
            (cx - over, cy, x + w, cy),
            (cx, cy - over, cx, y + h),
            (cx + over, cy, x, cy),
        ];
        for (i, (weight, (x0, y0, x1, y1))) in a.into_iter().zip(ends).enumerate() {
            let vertical = i % 2 == 0;
            match weight {
                W::No => {}
                W::Light => line(&mut pen.light, x0, y0, x1, y1),
                W::Heavy => line(&mut pen.heavy, x0, y0, x1, y1),
                W::Double => {
                    for s in [-g, g] {
                        let (dx, dy) = if vertical { (s, 0.0) } else { (0.0, s) };
                        // Pulled back to the inner line, so a corner's lines meet.
                        let back = if vertical {
                            (0.0, (y0 - cy).signum() * g)
                        } else {
                            ((x0 - cx).signum() * g, 0.0)
                        };
                        line(
                            &mut pen.double,
                            x0 + dx + back.0,
                            y0 + dy + back.1,
                            x1 + dx,
                            y1 + dy,
                        );
                    }
                }
            }
        }
        return true;
    }
    let r = w.min(h) / 2.0;
    // Rounded corners: the horizontal arm, a curve through the centre, the vertical arm.
    let corner = match c {
        '╭' => Some((x + w, cx + r, y + h, cy + r)),
        '╮' => Some((x, cx - r, y + h, cy + r)),
        '╯' => Some((x, cx - r, y, cy - r)),
        '╰' => Some((x + w, cx + r, y, cy - r)),
        _ => None,
    };
    if let Some((edge_x, arc_x, edge_y, arc_y)) = corner {
        let _ = write!(
            pen.light,
            "M{} {}H{}Q{} {} {} {}V{}",
            n(edge_x),
            n(cy),
            n(arc_x),
            n(cx),
            n(cy),
            n(cx),
            n(arc_y),
            n(edge_y)
        );
        return true;
    }
    if let Some(([l, t, rr, b], shade)) = block(c) {
        let d = match shade {
            Some(i) => &mut pen.shade[i],
            None => &mut pen.fill,
        };
        let _ = write!(
            d,
            "M{} {}H{}V{}H{}Z",
            n(x + l * w),
            n(y + t * h),
            n(x + rr * w),
            n(y + b * h),
            n(x + l * w)
        );
        return true;
    }
    false
}

fn line(d: &mut String, x0: f64, y0: f64, x1: f64, y1: f64) {
    let _ = write!(d, "M{} {}L{} {}", n(x0), n(y0), n(x1), n(y1));
}

/// A coordinate with at most two decimals and no trailing zeros.
pub fn n(v: f64) -> String {
    let s = format!("{:.2}", v);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_owned()
    } else {
        s.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CELL: Cell = Cell {
        x: 0.0,
        y: 0.0,
        w: 10.0,
        h: 20.0,
    };

    #[test]
    fn a_horizontal_line_reaches_both_edges_so_neighbours_join() {
        let mut pen = Pen::default();
        assert!(draw('─', CELL, &mut pen));
        assert!(pen.light.contains("L10 10"), "{}", pen.light);
        assert!(pen.light.contains("L0 10"), "{}", pen.light);
        let mut pen = Pen::default();
        assert!(draw('│', CELL, &mut pen));
        assert!(
            pen.light.contains("L5 0") && pen.light.contains("L5 20"),
            "{}",
            pen.light
        );
    }

    #[test]
    fn corners_blocks_and_text() {
        let mut pen = Pen::default();
        assert!(draw('╭', CELL, &mut pen));
        assert!(
            pen.light.starts_with("M10 10") && pen.light.ends_with("V20"),
            "{}",
            pen.light
        );
        assert!(draw('█', CELL, &mut pen));
        assert_eq!(pen.fill, "M0 0H10V20H0Z");
        assert!(draw('▄', CELL, &mut pen));
        assert!(pen.fill.ends_with("M0 10H10V20H0Z"), "{}", pen.fill);
        assert!(draw('▒', CELL, &mut pen));
        assert!(!pen.shade[1].is_empty());
        for c in ['a', '•', '▲', '世', '┍'] {
            assert!(!handles(c) && !draw(c, CELL, &mut Pen::default()), "{c}");
        }
        for c in ['─', '╯', '▏', '▓', '╬'] {
            assert!(handles(c), "{c}");
        }
    }

    #[test]
    fn numbers() {
        assert_eq!(n(3.0), "3");
        assert_eq!(n(3.456), "3.46");
        assert_eq!(n(-0.001), "0");
        assert_eq!(n(12.5), "12.5");
    }
}
