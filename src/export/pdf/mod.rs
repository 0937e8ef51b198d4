//! The resume as a typeset, tagged PDF (PDF/UA-1): A4 or US Letter, fonts embedded and subset.
//!
//! krilla does the PDF side (structure tree, link annotations, outline, font subsetting, PDF/UA-1
//! checks); it is the maintained pure-Rust crate that does all of these (printpdf has no
//! tagging, and lopdf/pdf-writer are lower level). Line breaking and pagination are ours
//! ([`layout`]): the document is small and fixed in shape, so a greedy breaker at spaces is
//! enough and keeps words whole (no hyphenation).

mod draw;
mod extra_texts;
mod fallback;
mod flow;
pub mod fonts;
mod layout;
mod tags;

use std::path::Path;

use krilla::configure::{Accessibility, ConfigurationBuilder};
use krilla::metadata::Metadata;
use krilla::{Document, SerializeSettings};

use crate::resume::Resume;

/// Paper sizes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Paper {
    #[default]
    A4,
    Letter,
}

impl Paper {
    /// Width and height in points.
    fn size(self) -> (f32, f32) {
        match self {
            Paper::A4 => (595.28, 841.89),
            Paper::Letter => (612.0, 792.0),
        }
    }

    pub fn parse(s: &str) -> Option<Paper> {
        match s {
            "a4" | "A4" => Some(Paper::A4),
            "letter" | "Letter" => Some(Paper::Letter),
            _ => None,
        }
    }
}

pub use fallback::set_owner_fonts;

/// The PDF of `resume` on `paper`.
pub fn render(resume: &Resume, paper: Paper) -> anyhow::Result<Vec<u8>> {
    if let Some((field, c)) = unsupported_chars(resume).first() {
        anyhow::bail!(
            "{field}: the character '{c}' (U+{:04X}) is in no font the PDF export can use; \
             `resume-ssh check` lists every such character with its line, column and a font \
             package that has it",
            *c as u32
        );
    }
    let (width, height) = paper.size();
    let geo = draw::Geometry {
        width,
        height,
        margin_x: 44.0,
        top: 36.0,
        bottom: 42.0,
    };
    let mut tree = tags::Tree::default();
    let paras = flow::build(resume, &mut tree);
    let lines: Vec<layout::Line> = paras
        .iter()
        .flat_map(|p| layout::break_para(p, geo.body_width()))
        .collect();
    let pages = layout::paginate(lines, geo.body_height());

    let configuration = ConfigurationBuilder::new()
        .with_accessibility_validator(Accessibility::UA1)
        .finish()
        .map_err(|e| anyhow::anyhow!("PDF configuration: {e:?}"))?;
    let settings = SerializeSettings {
        configuration,
        enable_tagging: true,
        ..SerializeSettings::default()
    };
    let mut doc = Document::new_with(settings);
    let fonts = fonts::Fonts::load()?;
    let name = resume.basics.name.to_string();
    draw::pages(&mut doc, &fonts, geo, &pages, &mut tree, &name)?;
    doc.set_tag_tree(tree.finish("en"));
    doc.set_metadata(
        Metadata::new()
            .title(format!("{name} — {}", resume.basics.label))
            .authors(vec![name.clone()])
            .description(resume.basics.tagline.to_string())
            .language("en".to_owned())
            .creator("resume-ssh".to_owned()),
    );
    doc.finish()
        .map_err(|e| anyhow::anyhow!("PDF export failed: {e:?}"))
}

/// Every piece of text the PDF sets, with its field path in resume.toml.
fn texts(r: &Resume) -> Vec<(String, &str)> {
    let b = &r.basics;
    let mut v: Vec<(String, &str)> = vec![
        ("basics.name".into(), &b.name),
        ("basics.label".into(), &b.label),
        ("basics.tagline".into(), &b.tagline),
        ("basics.summary".into(), &b.summary),
        ("basics.email".into(), &b.email),
    ];
    if let Some(u) = &b.url {
        v.push(("basics.url".into(), u));
    }
    if let Some(l) = &b.location {
        v.push(("basics.location".into(), l));
    }
    for (i, p) in b.profiles.iter().enumerate() {
        v.push((format!("basics.profiles[{i}].network"), &p.network));
        v.push((format!("basics.profiles[{i}].url"), &p.url));
    }
    for (i, p) in r.about.paragraphs.iter().enumerate() {
        v.push((format!("about.paragraphs[{i}]"), p));
    }
    if let Some(t) = &r.about.focus_title {
        v.push(("about.focus_title".into(), t));
    }
    for (i, g) in r.focus.iter().enumerate() {
        v.push((format!("focus[{i}].name"), &g.name));
        for (k, it) in g.items.iter().enumerate() {
            v.push((format!("focus[{i}].items[{k}]"), it));
        }
    }
    for (i, w) in r.work.iter().enumerate() {
        v.push((format!("work[{i}].position"), &w.position));
        v.push((format!("work[{i}].name"), &w.name));
        if let Some(d) = &w.duration {
            v.push((format!("work[{i}].duration"), d));
        }
        for (k, h) in w.highlights.iter().enumerate() {
            v.push((format!("work[{i}].highlights[{k}]"), h));
        }
    }
    for (i, p) in r.projects.iter().enumerate() {
        let f = |n: &str| format!("projects[{i}].{n}");
        v.push((f("name"), &p.name));
        v.push((f("challenge"), &p.challenge));
        v.push((f("solution"), &p.solution));
        v.push((f("impact.figure"), &p.impact.figure));
        v.push((f("impact.label"), &p.impact.label));
        v.push((f("impact.detail"), &p.impact.detail));
    }
    for (key, list) in [
        ("initiatives", &r.initiatives),
        ("competencies", &r.competencies),
    ] {
        for (i, it) in list.iter().enumerate() {
            v.push((format!("{key}[{i}].name"), &it.name));
            v.push((format!("{key}[{i}].description"), &it.description));
        }
    }
    for (i, s) in r.skills.iter().enumerate() {
        v.push((format!("skills[{i}].name"), &s.name));
        for (k, kw) in s.keywords.iter().enumerate() {
            v.push((format!("skills[{i}].keywords[{k}]"), kw));
        }
    }
    let c = &r.contact;
    v.push(("contact.heading".into(), &c.heading));
    v.push(("contact.title".into(), &c.title));
    v.push(("contact.message".into(), &c.message));
    v.push(("contact.email_lead".into(), &c.email_lead));
    extra_texts::push(r, &mut v);
    v
}

/// Characters the shipped font cannot set, with the field they are in (first one per field).
pub fn unsupported_chars(resume: &Resume) -> Vec<(String, char)> {
    texts(resume)
        .into_iter()
        .filter_map(|(path, s)| {
            s.chars()
                .find(|&c| !c.is_whitespace() && !fonts::covers(c))
                .map(|c| (path, c))
        })
        .collect()
}

/// `check`'s errors for characters the font lacks, as `file:line:col: field: message`. `source`
/// is the text of the file the resume was parsed from.
pub fn font_errors(resume: &Resume, source: &str, file: &Path) -> Vec<String> {
    let values: std::collections::HashMap<String, &str> = texts(resume).into_iter().collect();
    unsupported_chars(resume)
        .into_iter()
        .map(|(field, c)| {
            let value = values.get(&field).copied().unwrap_or("");
            let (line, col) = locate(source, value, c);
            format!(
                "{}:{line}:{col}: {field}: the character '{c}' (U+{:04X}) is in no font the PDF \
                 export can use (Inter, --pdf-fonts/{}, the system's); install the Debian package \
                 {} or name a font that has it with --pdf-fonts",
                file.display(),
                c as u32,
                fallback::OWNER_FONTS_ENV,
                fallback::debian_package(c),
            )
        })
        .collect()
}

/// 1-based line and column of `c` inside `value` as written in `source` (falls back to the
/// first `c` anywhere, then to 1:1, when the value is written with escapes).
fn locate(source: &str, value: &str, c: char) -> (usize, usize) {
    let prefix = value.split(c).next().unwrap_or("");
    let offset = if prefix.is_empty() {
        // The character starts the value: find the value as written (a string of one script
        // often starts with the same letter as another field's).
        source.find(&format!("\"{value}")).map(|i| i + 1)
    } else {
        source
            .find(&format!("{prefix}{c}"))
            .map(|i| i + prefix.len())
    };
    let offset = offset.or_else(|| source.find(c)).unwrap_or(0);
    let before = &source[..offset];
    let line = before.matches('\n').count() + 1;
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[start..].chars().count() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resume() -> Resume {
        Resume::parse(
            include_str!("../../../resume.toml"),
            Path::new("resume.toml"),
        )
        .unwrap()
    }

    #[test]
    fn renders_both_papers_and_refuses_missing_glyphs() {
        let r = resume();
        assert!(
            unsupported_chars(&r).is_empty(),
            "{:?}",
            unsupported_chars(&r)
        );
        for paper in [Paper::A4, Paper::Letter] {
            let pdf = render(&r, paper).unwrap();
            assert!(pdf.starts_with(b"%PDF-1.7"));
            assert!(pdf.len() < 400_000, "{} bytes", pdf.len());
        }
        let mut bad = r.clone();
        // A private-use character of plane 16: no font on any machine sets it.
        bad.basics.label = "Backend \u{10FFFD}".try_into().unwrap();
        let e = render(&bad, Paper::A4).unwrap_err().to_string();
        assert!(
            e.starts_with("basics.label: the character '\u{10FFFD}' (U+10FFFD)"),
            "{e}"
        );
    }

    #[test]
    fn locates_a_character_no_font_has() {
        // A private-use character of plane 16: no font on any machine sets it.
        let src = include_str!("../../../resume.toml").replacen(
            "label = \"Backend Platform Engineer\"",
            "label = \"Backend \u{10FFFD}台 Engineer\"",
            1,
        );
        let r = Resume::parse(&src, Path::new("resume.toml")).unwrap();
        let bad = unsupported_chars(&r);
        assert_eq!(bad, vec![("basics.label".to_owned(), '\u{10FFFD}')]);
        let errs = font_errors(&r, &src, Path::new("resume.toml"));
        let line = src.lines().position(|l| l.contains('\u{10FFFD}')).unwrap() + 1;
        assert_eq!(errs.len(), 1);
        assert!(
            errs[0].starts_with(&format!("resume.toml:{line}:18: basics.label: ")),
            "{}",
            errs[0]
        );
        assert!(errs[0].contains("U+10FFFD"), "{}", errs[0]);
    }
}
