//! Running text as rows: wrapped paragraphs, bullets with a hanging indent, and labelled blocks
//! (a label in a left gutter, the text beside it; the label above the text when there is no room).

use unicode_width::UnicodeWidthStr;

use super::{Frame, Role, Row};
use crate::content::wrap_text;

/// `text` wrapped to `width` columns, each line one run of `role`.
pub fn para(text: &str, width: usize, role: Role) -> Vec<Row> {
    wrap_text(text, width.max(1))
        .iter()
        .map(|l| Row::of(role, l))
        .collect()
}

/// A bullet: the glyph, then the text wrapped with a hanging indent.
pub fn bullet(text: &str, width: usize, f: &Frame) -> Vec<Row> {
    let glyph = f.glyphs().bullet;
    let indent = glyph.width() + 1;
    let lines = wrap_text(text, width.saturating_sub(indent).max(1));
    lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let mut r = Row::new();
            if i == 0 {
                r.push(Role::Bullet, glyph).push(Role::Text, " ");
            } else {
                r.push(Role::Text, &" ".repeat(indent));
            }
            r.push(Role::Text, l);
            r
        })
        .collect()
}

/// Below this width a labelled block puts its label on a line of its own.
const GUTTER_MIN: usize = 56;

/// Width of the label gutter for labels of up to `label_w` columns, if `width` has room for one.
pub fn gutter(width: usize, label_w: usize) -> Option<usize> {
    (width >= GUTTER_MIN && label_w + 2 <= width / 3).then_some(label_w + 2)
}

/// A block with `label` (dim) in a gutter of `gutter` columns and `body` rows beside it, or
/// the label above the body when `gutter` is `None`.
pub fn labelled(label: Row, body: Vec<Row>, gutter: Option<usize>) -> Vec<Row> {
    match gutter {
        Some(g) => {
            let mut out = Vec::with_capacity(body.len().max(1));
            for (i, b) in body.into_iter().enumerate() {
                let mut r = if i == 0 { label.clone() } else { Row::new() };
                r.pad_to(g);
                r.append(&b);
                out.push(r);
            }
            if out.is_empty() {
                out.push(label);
            }
            out
        }
        None => {
            let mut out = vec![label];
            out.extend(body);
            out
        }
    }
}

/// Skill tags flowed into lines of at most `width` columns: each tag padded with a space each
/// side (a chip), one space between tags. A tag wider than the line is wrapped on its own.
pub fn tags(items: &[String], width: usize) -> Vec<Row> {
    let mut out = Vec::new();
    let mut row = Row::new();
    for item in items {
        let w = item.width() + 2;
        let need = if row.text.is_empty() { w } else { w + 1 };
        if !row.text.is_empty() && row.width() + need > width {
            out.push(std::mem::take(&mut row));
        }
        if w > width {
            for l in wrap_text(item, width.saturating_sub(2).max(1)) {
                out.push(Row::of(Role::Tag, &format!(" {l} ")));
            }
            continue;
        }
        if !row.text.is_empty() {
            row.push(Role::Text, " ");
        }
        row.push(Role::Tag, &format!(" {item} "));
    }
    if !row.text.is_empty() {
        out.push(row);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_flow_and_fit() {
        let items: Vec<String> = ["NestJS", "PHP", "Microservices", "API design"]
            .map(String::from)
            .to_vec();
        let rows = tags(&items, 24);
        let texts: Vec<&str> = rows.iter().map(|r| r.text.as_str()).collect();
        assert_eq!(texts, [" NestJS   PHP ", " Microservices ", " API design "]);
        assert!(rows.iter().all(|r| r.width() <= 24));
    }

    #[test]
    fn labelled_blocks_align_their_text() {
        let body = para("one two three four five six seven", 12, Role::Text);
        let rows = labelled(Row::of(Role::Label, "LABEL"), body, Some(8));
        assert!(rows[0].text.starts_with("LABEL   one"));
        assert!(rows[1].text.starts_with("        "));
        let stacked = labelled(
            Row::of(Role::Label, "LABEL"),
            vec![Row::of(Role::Text, "x")],
            None,
        );
        assert_eq!(stacked.len(), 2);
    }
}
