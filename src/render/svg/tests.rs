//! The SVG frame of a hand-made buffer, parsed back with roxmltree.
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};

use super::*;

fn parse(svg: &str) -> roxmltree::Document<'_> {
    roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("{e}\n{svg}"))
}

fn texts<'a>(doc: &'a roxmltree::Document<'a>) -> Vec<roxmltree::Node<'a, 'a>> {
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .collect()
}

#[test]
fn cells_become_rects_text_and_paths() {
    let mut buf = Buffer::empty(Rect::new(0, 0, 8, 2));
    buf.set_string(
        0,
        0,
        "A",
        Style::new().fg(Color::Red).bg(Color::Blue).bold(),
    );
    buf.set_string(1, 0, "b", Style::new().fg(Color::Rgb(1, 2, 3)).reversed());
    buf.set_string(2, 0, "世", Style::new().italic());
    buf.set_string(4, 0, "<&\"", Style::new().underlined().dim());
    buf[(7, 0)]
        .set_symbol("\u{7}")
        .set_style(Style::new().underlined().dim());
    buf.set_string(0, 1, "╭──╮", Style::new().fg(Color::Indexed(67)));
    buf.set_string(4, 1, "x y", Style::new().crossed_out());
    let svg = document(&buf);
    let doc = parse(&svg);
    let root = doc.root_element();
    assert_eq!(root.attribute("width"), Some("72"));
    assert_eq!(root.attribute("height"), Some("36"));

    // Backgrounds: blue under A; b reversed has its fg (#010203) as background.
    let rects: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("rect"))
        .map(|n| (n.attribute("x"), n.attribute("width"), n.attribute("fill")))
        .collect();
    assert!(
        rects.contains(&(Some("0"), Some("9"), Some("#0000ee"))),
        "{rects:?}"
    );
    assert!(
        rects.contains(&(Some("9"), Some("9"), Some("#010203"))),
        "{rects:?}"
    );

    let t = texts(&doc);
    let find = |s: &str| {
        t.iter()
            .find(|n| n.text() == Some(s))
            .unwrap_or_else(|| panic!("no text {s:?} in\n{svg}"))
    };
    let a = find("A");
    assert_eq!(a.attribute("fill"), Some("#cd0000"));
    assert_eq!(a.attribute("font-weight"), Some("bold"));
    assert_eq!(a.attribute("x"), Some("0"));
    // Reversed: drawn in the default background colour.
    assert_eq!(
        find("b").attribute("fill"),
        Some(DEFAULT_BG.to_string().as_str())
    );
    // The wide character is centred on cells 2 and 3.
    let wide = find("世");
    assert_eq!(wide.attribute("font-style"), Some("italic"));
    let x: f64 = wide
        .attribute("x")
        .and_then(|x| x.parse().ok())
        .unwrap_or(-1.0);
    assert!((18.0..20.0).contains(&x), "{x}");
    // Markup is escaped, the control character replaced; dim shows as opacity.
    let marks = find("<&\"\u{fffd}");
    assert_eq!(marks.attribute("fill-opacity"), Some("0.6"));
    // The space inside "x y" is kept, so y stays on its cell.
    let xy = find("x y");
    assert_eq!(xy.attribute("x"), Some("36"));
    assert_eq!(xy.attribute("textLength"), Some("27"));

    // The border is paths in its colour (xterm 67), no text.
    assert!(
        t.iter()
            .all(|n| !n.text().unwrap_or("").contains(['╭', '─']))
    );
    let border = doc
        .descendants()
        .find(|n| n.attribute("data-shapes") == Some("box"))
        .expect("box paths");
    assert_eq!(border.attribute("stroke"), Some("#5f87af"));
    let d = border
        .descendants()
        .filter_map(|n| n.attribute("d"))
        .collect::<String>();
    assert!(d.contains("Q4.5 27"), "the rounded corner: {d}");
    assert!(
        d.contains("L27 27") && d.contains("L9 27"),
        "lines reach the cells' edges: {d}"
    );
    // The underline runs under the underlined cells (4 of them), below the baseline.
    let under = doc
        .descendants()
        .filter(|n| n.has_tag_name("path") && n.attribute("stroke-width") == Some("1"))
        .filter_map(|n| n.attribute("d"))
        .collect::<String>();
    // Then the strike-through of "x y", at mid-height of row 1.
    assert_eq!(
        under,
        "M36 15.5h9M45 15.5h9M54 15.5h9M63 15.5h9M36 27h9M45 27h9M54 27h9"
    );
}

#[test]
fn an_empty_frame_is_a_valid_picture() {
    let svg = document(&Buffer::empty(Rect::new(0, 0, 1, 1)));
    let doc = parse(&svg);
    assert!(texts(&doc).is_empty());
    assert_eq!(doc.root_element().attribute("viewBox"), Some("0 0 9 18"));
}
