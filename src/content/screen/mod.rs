//! Each section composed for the screen: rows of text with a role per run (heading, date, figure,
//! tag, border…), laid out for a column width: timelines, stat cards, card grids, tag groups.
//!
//! Pure and free of ratatui: the view maps each [`Role`] to a style of the visitor's theme, and
//! the rows are plain text too (search, scroll bounds, goldens read them as such). Every row is
//! at most [`Frame::width`] display columns wide.

mod cards;
mod extra;
mod overview;
mod prose;
mod sections;
mod studies;

use unicode_width::UnicodeWidthStr;

use super::SectionId;
use crate::resume::Resume;

pub use cards::{Card, join, side_by_side};
pub use sections::rail;

/// What a run of text is, so a renderer can style it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Text,
    /// The owner's name and title (the rail of a wide screen).
    Name,
    Title,
    /// A heading inside a section (a role, a case study).
    Heading,
    /// A smaller heading ("Key Achievements", a list's or a group's name, a card's title).
    Subheading,
    /// A label in a left gutter ("CHALLENGE"); dim, capitalised.
    Label,
    /// Secondary facts: company, dates, durations.
    Meta,
    /// A bullet glyph.
    Bullet,
    /// A stat card's figure ("99.9%").
    Figure,
    /// A stat card's label under the figure.
    FigureLabel,
    /// A skill tag (padded with a space each side, so a background shows it as a chip).
    Tag,
    /// Something to act on: an e-mail address, a URL.
    Link,
    /// Card borders and rules between blocks.
    Border,
    /// The timeline's line from one role to the next.
    Rule,
    /// A node on the timeline.
    Node,
}

/// One row of a composed section: its text, and where each run ends with its role.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Row {
    pub text: String,
    /// (end byte, role) for consecutive runs covering `text`.
    runs: Vec<(usize, Role)>,
}

impl Row {
    pub fn new() -> Row {
        Row::default()
    }

    /// A row of one run.
    pub fn of(role: Role, text: &str) -> Row {
        let mut r = Row::new();
        r.push(role, text);
        r
    }

    /// Appends a run (merged with the previous one when the role is the same).
    pub fn push(&mut self, role: Role, text: &str) -> &mut Row {
        if text.is_empty() {
            return self;
        }
        self.text.push_str(text);
        match self.runs.last_mut() {
            Some((end, r)) if *r == role => *end = self.text.len(),
            _ => self.runs.push((self.text.len(), role)),
        }
        self
    }

    /// Appends another row's runs.
    pub fn append(&mut self, other: &Row) -> &mut Row {
        for (s, role) in other.runs() {
            self.push(role, s);
        }
        self
    }

    /// Pads with spaces to `width` display columns.
    pub fn pad_to(&mut self, width: usize) -> &mut Row {
        let w = self.width();
        if w < width {
            self.push(Role::Text, &" ".repeat(width - w));
        }
        self
    }

    pub fn width(&self) -> usize {
        self.text.width()
    }

    pub fn is_blank(&self) -> bool {
        self.text.trim().is_empty()
    }

    /// The runs in order: (text, role).
    pub fn runs(&self) -> impl Iterator<Item = (&str, Role)> + '_ {
        let mut start = 0;
        self.runs.iter().map(move |&(end, role)| {
            let s = &self.text[start..end];
            start = end;
            (s, role)
        })
    }

    /// The row without trailing spaces (which a terminal does not show anyway).
    fn trimmed(mut self) -> Row {
        let keep = self.text.trim_end().len();
        self.text.truncate(keep);
        self.runs.retain_mut(|(end, _)| {
            *end = (*end).min(keep);
            *end > 0
        });
        self.runs.dedup_by(|b, a| b.0 == a.0);
        self
    }
}

/// The column a section is composed for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Frame {
    /// Columns the rows may use.
    pub width: usize,
    /// Columns for running text (at most `width`): a readable measure.
    pub measure: usize,
    /// Box drawing and bullets; otherwise ASCII.
    pub unicode: bool,
    /// The name, title and focus lists are beside the section (wide screens): not repeated.
    pub rail: bool,
    /// The header has no room for the tagline: About opens with it.
    pub tagline: bool,
}

impl Frame {
    /// The glyphs for this character set.
    pub fn glyphs(&self) -> &'static Glyphs {
        if self.unicode { &UNICODE } else { &ASCII }
    }
}

/// Symbols used in composed rows, per character set.
pub struct Glyphs {
    pub bullet: &'static str,
    pub node: &'static str,
    pub rule: &'static str,
    pub dash: &'static str,
    pub dot: &'static str,
    pub ellipsis: &'static str,
    /// top-left, top-right, bottom-left, bottom-right, horizontal, vertical.
    pub corners: [&'static str; 4],
    pub horizontal: &'static str,
    pub vertical: &'static str,
}

const UNICODE: Glyphs = Glyphs {
    bullet: "•",
    node: "●",
    rule: "│",
    dash: "–",
    dot: "·",
    ellipsis: "…",
    corners: ["╭", "╮", "╰", "╯"],
    horizontal: "─",
    vertical: "│",
};

const ASCII: Glyphs = Glyphs {
    bullet: "-",
    node: "*",
    rule: "|",
    dash: "-",
    dot: "-",
    ellipsis: "...",
    corners: ["+", "+", "+", "+"],
    horizontal: "-",
    vertical: "|",
};

/// A section composed into rows for `frame`: no row wider than `frame.width`, one blank row
/// between blocks, none at the start or end.
pub fn compose(resume: &Resume, id: SectionId, frame: &Frame) -> Vec<Row> {
    let f = Frame {
        width: frame.width.max(10),
        measure: frame.measure.clamp(10, frame.width.max(10)),
        ..*frame
    };
    // ASCII terminals get ASCII dashes in the text too (composed once per size: cached).
    let ascii = if f.unicode {
        None
    } else {
        super::ascii::dashes(resume)
    };
    let resume = ascii.as_ref().unwrap_or(resume);
    let mut blocks: Vec<Vec<Row>> = match id {
        SectionId::About => sections::about(resume, &f),
        SectionId::Experience => sections::experience(resume, &f),
        SectionId::CaseStudies => studies::case_studies(resume, &f),
        SectionId::Initiatives => studies::initiatives(resume, &f),
        SectionId::Skills => sections::skills(resume, &f),
        SectionId::Contact => sections::contact(resume, &f),
    };
    blocks.extend(extra::blocks(resume, id, &f));
    let mut out = Vec::new();
    let mut after_heading = false;
    for b in blocks.into_iter().filter(|b| !b.is_empty()) {
        // A heading stays with what it heads; other blocks are one blank row apart.
        if !out.is_empty() && !after_heading {
            out.push(Row::new());
        }
        after_heading = b
            .iter()
            .all(|r| r.runs().all(|(_, role)| role == Role::Heading));
        out.extend(b.into_iter().map(Row::trimmed));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;
    use std::path::Path;

    fn resume() -> Resume {
        Resume::parse(
            include_str!("../../../resume.toml"),
            Path::new("resume.toml"),
        )
        .unwrap()
    }

    fn frame(width: usize, rail: bool, unicode: bool) -> Frame {
        Frame {
            width,
            measure: width.min(96),
            unicode,
            rail,
            tagline: !rail,
        }
    }

    /// The words of the resume a section must show (the rail's, on wide screens, are beside it).
    fn source_words(r: &Resume, id: SectionId, rail: bool) -> Vec<String> {
        let b = &r.basics;
        let mut texts: Vec<String> = Vec::new();
        match id {
            SectionId::About => {
                texts.push(b.summary.to_string());
                texts.extend(r.about.paragraphs.iter().map(|p| p.to_string()));
                if !rail {
                    texts.push(b.tagline.to_string());
                    for g in &r.focus {
                        texts.push(g.name.to_string());
                        texts.extend(g.items.iter().map(|i| i.to_string()));
                    }
                }
            }
            SectionId::Experience => {
                for w in &r.work {
                    texts.extend([w.position.to_string(), w.name.to_string()]);
                    texts.extend(w.duration.iter().map(|d| d.to_string()));
                    texts.extend(w.highlights.iter().map(|h| h.to_string()));
                }
            }
            SectionId::CaseStudies => {
                for p in &r.projects {
                    texts.extend([p.name.to_string(), p.challenge.to_string()]);
                    texts.extend([p.solution.to_string(), p.impact.figure.to_string()]);
                    texts.extend([p.impact.label.to_string(), p.impact.detail.to_string()]);
                }
            }
            SectionId::Initiatives => {
                for i in &r.initiatives {
                    texts.extend([i.name.to_string(), i.description.to_string()]);
                }
            }
            SectionId::Skills => {
                for s in &r.skills {
                    texts.push(s.name.to_string());
                    texts.extend(s.keywords.iter().map(|k| k.to_string()));
                }
                for c in &r.competencies {
                    texts.extend([c.name.to_string(), c.description.to_string()]);
                }
            }
            SectionId::Contact => {
                let c = &r.contact;
                texts.extend([c.heading.to_string(), c.title.to_string()]);
                texts.extend([c.message.to_string(), c.email_lead.to_string()]);
                texts.push(b.email.to_string());
            }
        }
        texts
            .iter()
            .flat_map(|t| t.split_whitespace().map(str::to_owned).collect::<Vec<_>>())
            .collect()
    }

    #[test]
    fn every_row_fits_and_every_word_of_the_section_shows_whole() {
        let r = resume();
        for unicode in [true, false] {
            // ASCII frames show the text with ASCII dashes.
            let ascii = (!unicode)
                .then(|| crate::content::ascii::dashes(&r))
                .flatten();
            let source = ascii.as_ref().unwrap_or(&r);
            for rail in [false, true] {
                // From the narrowest body (40 columns, no side borders) up.
                for width in (37..=200).step_by(7).chain([37, 44, 76, 96, 155, 200]) {
                    let f = frame(width, rail, unicode);
                    for id in SectionId::ALL {
                        let rows = compose(&r, id, &f);
                        let mut shown = HashSet::new();
                        for row in &rows {
                            assert!(row.width() <= width, "{width} {id:?}: {:?}", row.text);
                            assert_eq!(row.runs().map(|(s, _)| s).collect::<String>(), row.text);
                            shown.extend(row.text.split_whitespace().map(str::to_owned));
                        }
                        assert!(!rows.first().is_some_and(Row::is_blank), "{id:?}");
                        assert!(!rows.last().is_some_and(Row::is_blank), "{id:?}");
                        for w in source_words(source, id, rail) {
                            assert!(shown.contains(&w), "{width} {rail} {id:?}: {w:?} missing");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn experience_is_a_timeline_with_dates_in_a_gutter_where_there_is_room() {
        let r = resume();
        let wide = compose(&r, SectionId::Experience, &frame(120, true, true));
        let nodes: Vec<&Row> = wide.iter().filter(|row| row.text.contains('●')).collect();
        assert_eq!(nodes.len(), r.work.len());
        // Each role's dates start its row, in one column; the nodes line up after them.
        let col = nodes[0].text.find('●');
        for (row, w) in nodes.iter().zip(&r.work) {
            assert!(
                row.text.starts_with(&w.dates().replacen(" - ", " – ", 1)),
                "{row:?}"
            );
            assert_eq!(row.text.find('●'), col);
        }
        // Narrow: no gutter; the dates under the company.
        let narrow = compose(&r, SectionId::Experience, &frame(44, false, true));
        assert!(narrow[0].text.starts_with("● "));
        assert!(
            narrow[2].text.contains("Oct 2023 – Present · 2+ years"),
            "{:?}",
            narrow[2]
        );
    }

    #[test]
    fn case_study_figures_are_stat_cards_beside_the_text_or_in_a_band() {
        let r = resume();
        // Very wide: each case's card beside its challenge, its figure on a row of that text.
        let widest = compose(&r, SectionId::CaseStudies, &frame(155, true, true));
        let figures: Vec<&Row> = widest
            .iter()
            .filter(|row| row.runs().any(|(_, role)| role == Role::Figure))
            .collect();
        assert_eq!(figures.len(), r.projects.len());
        for row in figures {
            assert!(
                row.runs()
                    .next()
                    .is_some_and(|(s, role)| role == Role::Text && s.trim().len() > 20),
                "{row:?}"
            );
        }
        let wide = compose(&r, SectionId::CaseStudies, &frame(90, true, true));
        // One band of three cards: three top-left corners on its first row.
        assert_eq!(wide[0].text.matches('╭').count(), 3, "{:?}", wide[0]);
        let figures: Vec<&Row> = wide
            .iter()
            .filter(|row| row.runs().any(|(_, role)| role == Role::Figure))
            .collect();
        assert_eq!(figures.len(), 1, "all figures on one row");
        // Standard: each case its own card, figure and label on consecutive rows.
        let std = compose(&r, SectionId::CaseStudies, &frame(76, false, true));
        let fig_rows: Vec<usize> = std
            .iter()
            .enumerate()
            .filter(|(_, row)| row.runs().any(|(_, role)| role == Role::Figure))
            .map(|(i, _)| i)
            .collect();
        assert_eq!(fig_rows.len(), r.projects.len());
        for i in fig_rows {
            assert!(std[i - 1].text.starts_with('╭'));
            assert!(std[i + 1].runs().any(|(_, role)| role == Role::FigureLabel));
        }
    }
}
