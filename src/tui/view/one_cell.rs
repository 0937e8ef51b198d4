//! Characters that are, on their own, one grapheme one cell wide: the view draws spans made
//! only of them without grapheme segmentation (`Buffer::set_stringn` segments every span, and
//! that was most of the cost of the few non-ASCII spans on a screen: the rail's `│`, `·`, `—`).
//!
//! Hand-written because no crate answers "is this char a grapheme of its own and one cell"
//! cheaply: `unicode-segmentation` needs the neighbours and `unicode-width` a table walk. The
//! ranges are small and checked exhaustively against both crates in the tests below.

/// Whether `c` is a grapheme of its own (it neither extends nor joins a neighbour) one cell
/// wide, and not a control character: Latin-1 and the Latin extensions, IPA and spacing
/// modifiers, dashes, quotes and bullets, arrows, box drawing, blocks and geometric shapes.
#[inline]
pub fn is_one_cell(c: char) -> bool {
    matches!(c,
        ' '..='~'
        | '\u{A0}'..='\u{AC}'
        | '\u{AE}'..='\u{2FF}'
        | '\u{2010}'..='\u{2027}'
        | '\u{2030}'..='\u{205E}'
        | '\u{2190}'..='\u{21FF}'
        | '\u{2500}'..='\u{25FC}'
        | '\u{25FF}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::buffer::Buffer;
    use ratatui::layout::Rect;
    use ratatui::style::{Color, Style};
    use ratatui::text::{Line, Span};
    use unicode_segmentation::UnicodeSegmentation;
    use unicode_width::UnicodeWidthStr;

    fn all() -> impl Iterator<Item = char> {
        (0..=0x2FFFu32)
            .filter_map(char::from_u32)
            .filter(|&c| is_one_cell(c))
    }

    #[test]
    fn each_is_one_cell_and_its_own_grapheme_beside_any_other() {
        let mut n = 0;
        for c in all() {
            let s = c.to_string();
            assert_eq!(s.width(), 1, "{c:?} U+{:04X}", c as u32);
            assert!(!c.is_control(), "{c:?}");
            // Grapheme breaks depend on the two characters either side of a boundary: test it
            // after and before the kinds of character the set holds, and doubled.
            for other in [
                'a', '\u{E9}', '\u{2014}', '\u{2502}', '\u{25CF}', '\u{2192}', c,
            ] {
                let t = format!("{other}{c}{other}{c}");
                assert_eq!(t.graphemes(true).count(), 4, "{c:?} next to {other:?}");
            }
            n += 1;
        }
        assert!(n > 900, "{n} characters");
    }

    #[test]
    fn put_line_draws_them_exactly_as_ratatui_does() {
        use crate::tui::view::widgets::put_line;
        let chars: Vec<char> = all().collect();
        let area = Rect::new(0, 0, 23, 2);
        for (k, chunk) in chars.chunks(17).enumerate() {
            let text: String = chunk.iter().collect();
            let style = Style::new().fg(Color::Indexed(k as u8));
            let line = Line::from(vec![
                Span::raw("a\u{2014}"),
                Span::styled(text.clone(), style),
            ]);
            // Room for all, and cut short mid-span.
            for room in [23u16, 9] {
                let mut ours = Buffer::empty(area);
                put_line(&mut ours, 1, 1, &line, room);
                let mut theirs = Buffer::empty(area);
                theirs.set_line(1, 1, &line, room);
                assert_eq!(ours, theirs, "{text:?} in {room}");
            }
        }
    }
}
