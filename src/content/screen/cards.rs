//! Boxes and columns made of rows: a card in one light border, cards side by side in a grid,
//! and columns of rows joined line by line.

use super::{Frame, Role, Row};

/// A card: its content as a function of the width inside its border.
pub struct Card<'a> {
    pub content: Box<dyn Fn(usize) -> Vec<Row> + 'a>,
}

impl<'a> Card<'a> {
    pub fn new(content: impl Fn(usize) -> Vec<Row> + 'a) -> Card<'a> {
        Card {
            content: Box::new(content),
        }
    }

    /// The card's rows at `width` columns (border included), its content padded to `height`
    /// rows when given (so cards in a row end on one line).
    pub fn draw(&self, width: usize, height: Option<usize>, f: &Frame) -> Vec<Row> {
        let inner = width.saturating_sub(4).max(1);
        let mut content = (self.content)(inner);
        if let Some(h) = height {
            content.resize_with(h.max(content.len()), Row::new);
        }
        frame_rows(content, width, f)
    }

    fn height(&self, width: usize) -> usize {
        (self.content)(width.saturating_sub(4).max(1)).len()
    }
}

/// `content` (each row at most `width - 4` columns) inside a border `width` columns wide.
fn frame_rows(content: Vec<Row>, width: usize, f: &Frame) -> Vec<Row> {
    let g = f.glyphs();
    let inner = width.saturating_sub(4);
    let line = g.horizontal.repeat(width.saturating_sub(2));
    let mut out = Vec::with_capacity(content.len() + 2);
    out.push(Row::of(
        Role::Border,
        &format!("{}{line}{}", g.corners[0], g.corners[1]),
    ));
    for c in content {
        let mut r = Row::of(Role::Border, g.vertical);
        r.push(Role::Text, " ");
        r.append(&c);
        r.pad_to(inner + 2);
        r.push(Role::Text, " ");
        r.push(Role::Border, g.vertical);
        out.push(r);
    }
    out.push(Row::of(
        Role::Border,
        &format!("{}{line}{}", g.corners[2], g.corners[3]),
    ));
    out
}

/// Columns joined line by line: column `i` padded to `widths[i]`, `gap` spaces between.
pub fn side_by_side(columns: Vec<Vec<Row>>, widths: &[usize], gap: usize) -> Vec<Row> {
    let height = columns.iter().map(Vec::len).max().unwrap_or(0);
    let spacer = " ".repeat(gap);
    (0..height)
        .map(|i| {
            let mut r = Row::new();
            for (c, col) in columns.iter().enumerate() {
                if c > 0 {
                    r.push(Role::Text, &spacer);
                }
                if let Some(cell) = col.get(i) {
                    r.append(cell);
                }
                r.pad_to(widths[..=c].iter().sum::<usize>() + c * gap);
            }
            r
        })
        .collect()
}

/// Two columns: `left` padded to `left_w`, then `gap` spaces, then `right`.
pub fn join(left: Vec<Row>, right: Vec<Row>, left_w: usize, gap: usize) -> Vec<Row> {
    side_by_side(vec![left, right], &[left_w, 0], gap)
}

/// Cards in a grid of `cols` columns across `width`, each row of cards as tall as its tallest,
/// a blank row between rows of cards. Returns one block of rows per row of cards.
pub fn grid(cards: &[Card], width: usize, cols: usize, gap: usize, f: &Frame) -> Vec<Vec<Row>> {
    let cols = cols.max(1);
    let card_w = (width.saturating_sub(gap * (cols - 1)) / cols).max(6);
    cards
        .chunks(cols)
        .map(|chunk| {
            let h = chunk.iter().map(|c| c.height(card_w)).max().unwrap_or(0);
            let drawn: Vec<Vec<Row>> = chunk.iter().map(|c| c.draw(card_w, Some(h), f)).collect();
            let widths = vec![card_w; drawn.len()];
            side_by_side(drawn, &widths, gap)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame() -> Frame {
        Frame {
            width: 40,
            measure: 40,
            unicode: true,
            rail: false,
            tagline: false,
        }
    }

    #[test]
    fn cards_in_a_row_share_their_height_and_borders_line_up() {
        let f = frame();
        let short = Card::new(|_| vec![Row::of(Role::Figure, "45%")]);
        let tall = Card::new(|_| {
            vec![
                Row::of(Role::Figure, "99.9%"),
                Row::of(Role::FigureLabel, "Uptime"),
            ]
        });
        let rows = grid(&[short, tall], 30, 2, 2, &f);
        assert_eq!(rows.len(), 1);
        let texts: Vec<&str> = rows[0].iter().map(|r| r.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "╭────────────╮  ╭────────────╮",
                "│ 45%        │  │ 99.9%      │",
                "│            │  │ Uptime     │",
                "╰────────────╯  ╰────────────╯",
            ]
        );
    }
}
