//! The help overlay's box and lines at a screen size: keys beside their descriptions where the
//! box is wide, stacked (key, then its description indented) where it is narrow, and how far it
//! scrolls. Shared by the app (scroll bounds) and the view (drawing), so both agree.

use ratatui::layout::Rect;
use unicode_width::UnicodeWidthStr;

use crate::resume::Site;
use crate::terminal::Size;

/// What a piece of a help line is, for its style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Heading,
    Key,
    Text,
}

/// One row of the overlay's text: pieces drawn one after the other.
pub type HelpLine = Vec<(String, Part)>;

/// Screens up to this width (all but the wide class) give the overlay all of it: a box a few
/// columns narrower would leave slivers of the body at both edges.
const FULL_WIDTH_COLS: u16 = 119;
/// The widest the box gets on a wide screen.
const MAX_BOX_COLS: u16 = 88;
/// The narrowest description column beside the keys; narrower, keys and descriptions stack.
const MIN_DESC_COLS: usize = 18;
/// Columns between a key and its description.
const GAP: usize = 2;

/// The box's outer area on a screen of `size` showing `lines` lines.
pub fn help_box(size: Size, lines: usize) -> Rect {
    let w = if size.cols <= FULL_WIDTH_COLS {
        size.cols
    } else {
        MAX_BOX_COLS.min(size.cols)
    };
    let h = u16::try_from(lines + 2).unwrap_or(u16::MAX).min(size.rows);
    Rect::new((size.cols - w) / 2, (size.rows - h) / 2, w, h)
}

/// The text area inside a box: a border and a column of padding each side.
pub fn inner(area: Rect) -> Rect {
    Rect::new(
        area.x + 2,
        area.y + 1,
        area.width.saturating_sub(4),
        area.height.saturating_sub(2),
    )
}

/// The width the text is wrapped to on a screen of `size`.
fn text_width(size: Size) -> usize {
    usize::from(inner(help_box(size, 0)).width).max(1)
}

/// Every line of the overlay, wrapped for a screen of `size`.
pub fn lines(size: Size, site: &Site, unicode: bool) -> Vec<HelpLine> {
    let width = text_width(size);
    let keys: [(&str, &str); 11] = [
        (
            if unicode {
                "← → h l Tab"
            } else {
                "Left Right h l Tab"
            },
            "switch section",
        ),
        ("1-6", "jump to a section"),
        (
            if unicode {
                "↑ ↓ j k"
            } else {
                "Up Down j k"
            },
            "scroll a line",
        ),
        ("PgUp PgDn Space", "scroll a page"),
        ("g G Home End", "top / bottom"),
        ("mouse", "the wheel scrolls, a click opens a tab"),
        ("c y", "copy the e-mail (where the terminal allows)"),
        ("m", "mouse off / on: select text yourself"),
        ("/  n N", "search all sections; next / previous match"),
        ("t", "light / dark colours"),
        ("q Esc Ctrl-C", "quit"),
    ];
    let ssh = site.ssh();
    let commands: Vec<(String, &str)> = [
        (
            "plain",
            "the whole resume as text, for screen readers and pipes",
        ),
        ("json", "JSON Resume"),
        ("vcard", "a contact card"),
        ("md", "Markdown"),
        ("pdf > resume.pdf", "the resume as a PDF file"),
        ("qr", "the contact as a QR code to scan"),
        ("help", "every command"),
    ]
    .into_iter()
    .map(|(cmd, what)| (format!("{ssh} {cmd}"), what))
    .collect();
    let mut out = vec![vec![("Keys".to_owned(), Part::Heading)]];
    group(&mut out, keys.iter().map(|&(k, w)| (k, w)), width);
    out.push(Vec::new());
    out.push(vec![(
        "Without the full-screen view".to_owned(),
        Part::Heading,
    )]);
    group(
        &mut out,
        commands.iter().map(|(k, w)| (k.as_str(), *w)),
        width,
    );
    out
}

/// Appends a group of (key, description) entries: in two columns if the descriptions keep
/// [`MIN_DESC_COLS`] beside the widest key, else each key on its own line(s) with its
/// description under it, indented. Continuation lines never start under the key column.
fn group<'a>(
    out: &mut Vec<HelpLine>,
    entries: impl Iterator<Item = (&'a str, &'a str)> + Clone,
    width: usize,
) {
    let key_w = entries.clone().map(|(k, _)| k.width()).max().unwrap_or(0) + GAP;
    let two_columns = width >= key_w + MIN_DESC_COLS;
    for (key, what) in entries {
        if two_columns {
            let indent = " ".repeat(key_w);
            for (i, l) in wrap(what, width - key_w).into_iter().enumerate() {
                let lead = if i == 0 {
                    (pad(key, key_w), Part::Key)
                } else {
                    (indent.clone(), Part::Text)
                };
                out.push(vec![lead, (l, Part::Text)]);
            }
        } else {
            for l in wrap(key, width) {
                out.push(vec![(l, Part::Key)]);
            }
            let indent = 2.min(width.saturating_sub(1));
            for l in wrap(what, width - indent) {
                out.push(vec![(" ".repeat(indent), Part::Text), (l, Part::Text)]);
            }
        }
    }
}

/// `text` followed by spaces up to `width` columns.
fn pad(text: &str, width: usize) -> String {
    let mut out = text.to_owned();
    out.extend(std::iter::repeat_n(' ', width.saturating_sub(text.width())));
    out
}

/// `text` broken at spaces into lines of at most `width` columns (longer words are split).
fn wrap(text: &str, width: usize) -> Vec<String> {
    textwrap::wrap(text, textwrap::Options::new(width.max(1)).break_words(true))
        .into_iter()
        .map(|l| l.into_owned())
        .collect()
}

/// Rows the text area shows and the furthest the overlay scrolls, on a screen of `size`.
pub fn scroll_bounds(size: Size, site: &Site, unicode: bool) -> (u16, u16) {
    let n = lines(size, site, unicode).len();
    let shown = inner(help_box(size, n)).height;
    let n = u16::try_from(n).unwrap_or(u16::MAX);
    (shown, n.saturating_sub(shown))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptions_hang_beside_or_under_their_key() {
        let site = Site::default();
        for cols in [40, 45, 60, 80, 120, 200] {
            let size = Size::new(cols, 24);
            let w = text_width(size);
            for l in lines(size, &site, true) {
                let text: String = l.iter().map(|(s, _)| s.as_str()).collect();
                assert!(text.width() <= w, "{cols}: {text:?} wider than {w}");
                // A continuation line starts with spaces, never with text under the keys.
                if l.first().is_some_and(|(_, p)| *p == Part::Text) {
                    assert!(text.starts_with("  "), "{cols}: {text:?}");
                }
            }
        }
        // Wide: "mouse" and its description on one line.
        let wide = lines(Size::new(120, 40), &site, true);
        assert!(wide.iter().any(|l| l.len() == 2
            && l[0].0.starts_with("mouse ")
            && l[1].0.starts_with("the wheel")));
    }
}
