//! Each section composed for the screen: rows of text with a role per run (heading, date, figure,
//! tag, border…), laid out for a column width: timelines, stat cards, card grids, tag groups.
//!
//! Pure and free of ratatui: the view maps each [`Role`] to a style of the visitor's theme, and
//! the rows are plain text too (search, scroll bounds, goldens read them as such). Every row is
//! at most [`Frame::width`] display columns wide.

mod cards;
mod dates;
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
    sections::join_blocks(blocks)
        .into_iter()
        .map(Row::trimmed)
        .collect()
}

#[cfg(test)]
mod tests;
