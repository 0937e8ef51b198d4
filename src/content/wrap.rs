//! Word-wrapping blocks into styled lines, in terminal columns: breaks at spaces and next to wide
//! characters (see [`super::breaks`]; never inside a Latin word, an e-mail address or a URL
//! unless it is wider than the line), bullets with a hanging indent.

use unicode_width::UnicodeWidthStr;

use super::{Block, breaks};

/// What a wrapped line is, so a renderer can style it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    Blank,
    Heading,
    Subheading,
    Meta,
    Para,
    /// The first line of a bullet (starts with the bullet glyph).
    Bullet,
    /// A continuation line of a bullet (starts with the hanging indent).
    BulletCont,
    /// The figure line: `value` is the first `split` bytes, the label the rest.
    Figure {
        split: usize,
    },
    Keywords,
    /// `lead` then the address from byte `split`.
    Email {
        split: usize,
    },
}

/// One wrapped line.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub kind: LineKind,
    pub text: String,
}

/// How the lines are decorated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    /// Bullet glyph, including its trailing space ("• " or "- ").
    pub bullet: &'static str,
    /// Separator between keywords (" · " or ", ").
    pub separator: &'static str,
    /// Prefix headings with Markdown-style `##`/`###` (plain text) instead of relying on colour.
    pub markdown: bool,
}

impl Style {
    pub const TUI: Style = Style {
        bullet: "• ",
        separator: " · ",
        markdown: false,
    };
    pub const TUI_ASCII: Style = Style {
        bullet: "- ",
        separator: " | ",
        markdown: false,
    };
    pub const PLAIN: Style = Style {
        bullet: "- ",
        separator: ", ",
        markdown: true,
    };
}

/// Wraps blocks to `width` columns (at least 10), with blank lines between paragraphs and before
/// headings.
pub fn wrap(blocks: &[Block], width: usize, style: Style) -> Vec<Line> {
    let width = width.max(10);
    let mut out: Vec<Line> = Vec::new();
    let blank = |out: &mut Vec<Line>| {
        if out.last().is_some_and(|l| l.kind != LineKind::Blank) {
            out.push(Line {
                kind: LineKind::Blank,
                text: String::new(),
            });
        }
    };
    let mut prev: Option<&Block> = None;
    for block in blocks {
        match block {
            Block::Heading(t) => {
                blank(&mut out);
                let t = if style.markdown {
                    format!("## {t}")
                } else {
                    t.clone()
                };
                push_wrapped(&mut out, &t, width, "", "", LineKind::Heading);
            }
            Block::Subheading(t) => {
                if !matches!(prev, Some(Block::Heading(_))) {
                    blank(&mut out);
                }
                let t = if style.markdown {
                    format!("### {t}")
                } else {
                    t.clone()
                };
                push_wrapped(&mut out, &t, width, "", "", LineKind::Subheading);
            }
            Block::Meta(t) => push_wrapped(&mut out, t, width, "", "", LineKind::Meta),
            Block::Para(t) => {
                if matches!(prev, Some(Block::Para(_) | Block::Bullet(_))) {
                    blank(&mut out);
                }
                push_wrapped(&mut out, t, width, "", "", LineKind::Para);
            }
            Block::Bullet(t) => {
                let indent = " ".repeat(unicode_width::UnicodeWidthStr::width(style.bullet));
                let start = out.len();
                push_wrapped(
                    &mut out,
                    t,
                    width,
                    style.bullet,
                    &indent,
                    LineKind::BulletCont,
                );
                if let Some(first) = out.get_mut(start) {
                    first.kind = LineKind::Bullet;
                }
            }
            Block::Figure { value, label } => {
                let text = format!("{value}  {label}");
                if text.width() <= width {
                    out.push(Line {
                        kind: LineKind::Figure { split: value.len() },
                        text,
                    });
                } else {
                    push_wrapped(&mut out, value, width, "", "", LineKind::Heading);
                    push_wrapped(&mut out, label, width, "", "", LineKind::Meta);
                }
            }
            Block::Keywords(items) => {
                // Keep each keyword whole: its spaces become non-breaking until after wrapping.
                let joined = items
                    .iter()
                    .map(|k| k.replace(' ', "\u{a0}"))
                    .collect::<Vec<_>>()
                    .join(&sep_break(style.separator));
                let start = out.len();
                push_wrapped(&mut out, &joined, width, "", "", LineKind::Keywords);
                for l in &mut out[start..] {
                    l.text = l.text.replace('\u{a0}', " ");
                }
            }
            Block::Email { lead, address } => {
                let text = format!("{lead} {address}");
                if text.width() <= width {
                    out.push(Line {
                        kind: LineKind::Email {
                            split: lead.len() + 1,
                        },
                        text,
                    });
                } else {
                    push_wrapped(&mut out, lead, width, "", "", LineKind::Para);
                    let kind = LineKind::Email { split: 0 };
                    push_wrapped(&mut out, address, width, "", "", kind);
                }
            }
        }
        prev = Some(block);
    }
    while out.last().is_some_and(|l| l.kind == LineKind::Blank) {
        out.pop();
    }
    out
}

/// The separator with its breaking space kept after it (so a line may end after a separator).
fn sep_break(sep: &str) -> String {
    match sep.strip_suffix(' ') {
        Some(head) => format!("{} ", head.replace(' ', "\u{a0}")),
        None => sep.replace(' ', "\u{a0}"),
    }
}

/// Wrapping options used everywhere: break at ASCII spaces and next to wide characters
/// ([`breaks::words`]), so e-mail addresses, URLs and hyphenated words stay whole; a word wider
/// than the whole line is cut at the width rather than run off the screen; first-fit (cheap and
/// predictable). Widths are display widths (textwrap measures with unicode-width).
fn options(width: usize) -> textwrap::Options<'static> {
    textwrap::Options::new(width)
        .word_separator(textwrap::WordSeparator::Custom(breaks::words))
        .word_splitter(textwrap::WordSplitter::NoHyphenation)
        .wrap_algorithm(textwrap::WrapAlgorithm::FirstFit)
        .break_words(true)
}

/// Wraps one paragraph of plain text to `width` columns.
pub fn wrap_text(text: &str, width: usize) -> Vec<String> {
    textwrap::wrap(text, options(width))
        .into_iter()
        .map(|l| l.trim_end().to_owned())
        .collect()
}

/// `text` if it fits in `width` columns, else as much of it as fits followed by `ellipsis`
/// (a character never cut in half: a wide one that would straddle the edge is left out too).
pub fn ellipsize(text: &str, width: usize, ellipsis: &str) -> String {
    if text.width() <= width {
        return text.to_owned();
    }
    let room = width.saturating_sub(ellipsis.width());
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w > room {
            break;
        }
        used += w;
        out.push(c);
    }
    out.truncate(out.trim_end().len());
    out.push_str(ellipsis);
    out
}

fn push_wrapped(
    out: &mut Vec<Line>,
    text: &str,
    width: usize,
    first_indent: &str,
    rest_indent: &str,
    kind: LineKind,
) {
    let opts = options(width)
        .initial_indent(first_indent)
        .subsequent_indent(rest_indent);
    for l in textwrap::wrap(text, opts) {
        out.push(Line {
            kind,
            text: l.trim_end().to_owned(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::{SectionId, section};
    use crate::resume::Resume;
    use std::path::Path;

    fn resume() -> Resume {
        Resume::parse(include_str!("../../resume.toml"), Path::new("resume.toml")).unwrap()
    }

    #[test]
    fn wrap_never_exceeds_width_nor_breaks_words() {
        let r = resume();
        for id in SectionId::ALL {
            let blocks = section(&r, id);
            for width in [30, 40, 61, 80, 200] {
                let lines = wrap(&blocks, width, Style::TUI);
                for l in &lines {
                    assert!(l.text.width() <= width, "{width}: {:?}", l.text);
                    assert!(!l.text.contains('\u{a0}'));
                }
                // Every word of every block is on some line, whole.
                let words: Vec<&str> = lines.iter().flat_map(|l| l.text.split(' ')).collect();
                for word in ["sub-millisecond", "matters—designing", "Cross-functional"] {
                    if blocks.iter().any(|b| format!("{b:?}").contains(word)) {
                        assert!(words.contains(&word), "{word} broken at {width}");
                    }
                }
            }
        }
    }

    #[test]
    fn keywords_wrap_between_items() {
        let blocks = [Block::Keywords(vec![
            "Distributed tracing".into(),
            "Correlation IDs".into(),
            "Health checks".into(),
        ])];
        let lines = wrap(&blocks, 36, Style::TUI);
        let texts: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(
            texts,
            ["Distributed tracing ·", "Correlation IDs · Health checks"]
        );
    }

    #[test]
    fn bullets_hang() {
        let blocks = [Block::Bullet("one two three four five six".into())];
        let lines = wrap(&blocks, 12, Style::TUI);
        assert_eq!(lines[0].text, "• one two");
        assert_eq!(lines[0].kind, LineKind::Bullet);
        assert!(lines[1].text.starts_with("  "));
        assert_eq!(lines[1].kind, LineKind::BulletCont);
    }

    #[test]
    fn wide_and_combining_text_wraps_within_width_and_loses_nothing() {
        let blocks = [
            Block::Heading("分散型連絡先管理システムの大規模設計と運用".into()),
            Block::Para(
                "Café\u{301} 🚀🚀🚀 naïve 東京と大阪のチーム、👨\u{200d}👩\u{200d}👧 e\u{301}"
                    .into(),
            ),
            Block::Bullet("数十億件のエンティティをミリ秒未満で検索できるように".into()),
            Block::Keywords(vec!["分散システム".into(), "可観測性".into()]),
            Block::Figure {
                value: "数十億件".into(),
                label: "管理している連絡先".into(),
            },
            Block::Email {
                lead: "メールはこちら".into(),
                address: "a-very-long-address-for-a-narrow-screen@example.com".into(),
            },
        ];
        let letters = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
        let source: String = blocks
            .iter()
            .map(|b| match b {
                Block::Heading(t) | Block::Para(t) | Block::Bullet(t) => t.clone(),
                Block::Keywords(k) => k.join("·"),
                Block::Figure { value, label } => format!("{value}{label}"),
                Block::Email { lead, address } => format!("{lead}{address}"),
                _ => String::new(),
            })
            .collect();
        for width in 10..=60 {
            let lines = wrap(&blocks, width, Style::TUI);
            for l in &lines {
                assert!(l.text.width() <= width, "{width}: {:?}", l.text);
                assert!(!l.text.starts_with('\u{301}'), "{width}: {:?}", l.text);
            }
            let bullet = Style::TUI.bullet.trim();
            let got: String = lines
                .iter()
                .map(|l| letters(&l.text).replacen(bullet, "", 1))
                .collect();
            assert_eq!(letters(&got), letters(&source), "{width}");
        }
    }

    #[test]
    fn ellipsize_fits_display_width() {
        assert_eq!(ellipsize("short", 10, "…"), "short");
        assert_eq!(ellipsize("山田太郎です", 7, "…"), "山田太…");
        assert_eq!(ellipsize("山田太郎です", 8, "..."), "山田...");
        assert_eq!(ellipsize("Backend Platform", 9, "…"), "Backend…");
        assert_eq!(ellipsize("cafe\u{301}st", 5, "…"), "cafe\u{301}…");
    }
}
