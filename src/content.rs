//! The resume as a document: sections of typed blocks, and word-wrapping them into lines.
//!
//! Both the TUI and the plain-text export read the resume through this module, so they show the
//! same words in the same order. Wrapping breaks only at spaces (never inside a word, an e-mail
//! address or a URL) and gives bullets a hanging indent.

use std::fmt::Write as _;

use crate::resume::Resume;

/// The tabs of the UI and the sections of the plain export, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SectionId {
    About,
    Experience,
    CaseStudies,
    Initiatives,
    Skills,
    Contact,
}

impl SectionId {
    pub const ALL: [SectionId; 6] = [
        SectionId::About,
        SectionId::Experience,
        SectionId::CaseStudies,
        SectionId::Initiatives,
        SectionId::Skills,
        SectionId::Contact,
    ];

    /// The tab label.
    pub fn title(self) -> &'static str {
        match self {
            SectionId::About => "About",
            SectionId::Experience => "Experience",
            SectionId::CaseStudies => "Case Studies",
            SectionId::Initiatives => "Initiatives",
            SectionId::Skills => "Skills",
            SectionId::Contact => "Contact",
        }
    }

    /// The command-line name (`ssh host case-studies`).
    pub fn slug(self) -> &'static str {
        match self {
            SectionId::About => "about",
            SectionId::Experience => "experience",
            SectionId::CaseStudies => "case-studies",
            SectionId::Initiatives => "initiatives",
            SectionId::Skills => "skills",
            SectionId::Contact => "contact",
        }
    }

    pub fn from_slug(s: &str) -> Option<SectionId> {
        Self::ALL.into_iter().find(|id| id.slug() == s)
    }

    pub fn index(self) -> usize {
        Self::ALL.iter().position(|&s| s == self).unwrap_or(0)
    }

    pub fn from_index(i: usize) -> SectionId {
        Self::ALL[i.min(Self::ALL.len() - 1)]
    }
}

/// One piece of a section.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A heading inside a section (a role, a case study, a list's name).
    Heading(String),
    /// A small heading ("Key Achievements", "Challenge").
    Subheading(String),
    /// Secondary facts (company, dates).
    Meta(String),
    Para(String),
    Bullet(String),
    /// A headline figure and its label ("99.9%", "Uptime Sustained").
    Figure {
        value: String,
        label: String,
    },
    /// Short items shown inline, separated by dots.
    Keywords(Vec<String>),
    /// An e-mail address, with the words that lead to it.
    Email {
        lead: String,
        address: String,
    },
}

/// The blocks of one section.
pub fn section(resume: &Resume, id: SectionId) -> Vec<Block> {
    let mut out = Vec::new();
    let b = &resume.basics;
    match id {
        SectionId::About => {
            out.push(Block::Para(b.summary.to_string()));
            for p in &resume.about.paragraphs {
                out.push(Block::Para(p.to_string()));
            }
            if !resume.focus.is_empty()
                && let Some(t) = &resume.about.focus_title
            {
                out.push(Block::Heading(t.to_string()));
            }
            for g in &resume.focus {
                out.push(Block::Subheading(g.name.to_string()));
                out.extend(g.items.iter().map(|i| Block::Bullet(i.to_string())));
            }
        }
        SectionId::Experience => {
            for w in &resume.work {
                out.push(Block::Heading(w.position.to_string()));
                out.push(Block::Meta(w.name.to_string()));
                let mut when = w.dates();
                if let Some(d) = &w.duration {
                    let _ = write!(when, " · {d}");
                }
                out.push(Block::Meta(when));
                out.push(Block::Subheading("Key Achievements".into()));
                out.extend(w.highlights.iter().map(|h| Block::Bullet(h.to_string())));
            }
        }
        SectionId::CaseStudies => {
            for p in &resume.projects {
                out.push(Block::Heading(p.name.to_string()));
                out.push(Block::Subheading("Challenge".into()));
                out.push(Block::Para(p.challenge.to_string()));
                out.push(Block::Subheading("Solution".into()));
                out.push(Block::Para(p.solution.to_string()));
                out.push(Block::Subheading("Impact Delivered".into()));
                out.push(Block::Figure {
                    value: p.impact.figure.to_string(),
                    label: p.impact.label.to_string(),
                });
                out.push(Block::Para(p.impact.detail.to_string()));
            }
        }
        SectionId::Initiatives => {
            out.push(Block::Heading("Other Key Initiatives".into()));
            for i in &resume.initiatives {
                out.push(Block::Subheading(i.name.to_string()));
                out.push(Block::Para(i.description.to_string()));
            }
        }
        SectionId::Skills => {
            if !resume.skills.is_empty() {
                out.push(Block::Heading("Technical Skills".into()));
            }
            for s in &resume.skills {
                out.push(Block::Subheading(s.name.to_string()));
                out.push(Block::Keywords(
                    s.keywords.iter().map(|k| k.to_string()).collect(),
                ));
            }
            if !resume.competencies.is_empty() {
                out.push(Block::Heading("Core Competencies".into()));
            }
            for c in &resume.competencies {
                out.push(Block::Subheading(c.name.to_string()));
                out.push(Block::Para(c.description.to_string()));
            }
        }
        SectionId::Contact => {
            let c = &resume.contact;
            out.push(Block::Heading(c.heading.to_string()));
            out.push(Block::Subheading(c.title.to_string()));
            out.push(Block::Para(c.message.to_string()));
            out.push(Block::Email {
                lead: c.email_lead.to_string(),
                address: b.email.to_string(),
            });
            if let Some(url) = &b.url {
                out.push(Block::Meta(url.to_string()));
            }
            for p in &b.profiles {
                out.push(Block::Meta(format!("{}: {}", p.network, p.url)));
            }
            if let Some(loc) = &b.location {
                out.push(Block::Meta(loc.to_string()));
            }
        }
    }
    out
}

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
                if text.chars().count() <= width {
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
                if text.chars().count() <= width {
                    out.push(Line {
                        kind: LineKind::Email {
                            split: lead.len() + 1,
                        },
                        text,
                    });
                } else {
                    push_wrapped(&mut out, lead, width, "", "", LineKind::Para);
                    out.push(Line {
                        kind: LineKind::Email { split: 0 },
                        text: address.clone(),
                    });
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

/// Wrapping options used everywhere: break only at ASCII spaces, never inside a word (so e-mail
/// addresses, URLs and hyphenated words stay whole), first-fit (cheap and predictable).
fn options(width: usize) -> textwrap::Options<'static> {
    textwrap::Options::new(width)
        .word_separator(textwrap::WordSeparator::AsciiSpace)
        .word_splitter(textwrap::WordSplitter::NoHyphenation)
        .wrap_algorithm(textwrap::WrapAlgorithm::FirstFit)
        .break_words(false)
}

/// Wraps one paragraph of plain text to `width` columns.
pub fn wrap_text(text: &str, width: usize) -> Vec<String> {
    textwrap::wrap(text, options(width))
        .into_iter()
        .map(|l| l.trim_end().to_owned())
        .collect()
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

/// The header lines of the plain export: name, label, tagline.
pub fn header(resume: &Resume) -> [String; 3] {
    let b = &resume.basics;
    [
        b.name.to_string(),
        b.label.to_string(),
        b.tagline.to_string(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;
    use unicode_width::UnicodeWidthStr;

    fn resume() -> Resume {
        Resume::parse(include_str!("../resume.toml"), Path::new("resume.toml")).unwrap()
    }

    #[test]
    fn slugs_round_trip() {
        for id in SectionId::ALL {
            assert_eq!(SectionId::from_slug(id.slug()), Some(id));
            assert_eq!(SectionId::from_index(id.index()), id);
        }
        assert_eq!(SectionId::from_slug("nope"), None);
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
}
