//! Each section of the resume as a list of typed blocks, in reading order.

use std::fmt::Write as _;

use super::{SectionId, extra};
use crate::resume::Resume;

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
                extra::role(w, &mut out);
                if !w.highlights.is_empty() {
                    out.push(Block::Subheading("Key Achievements".into()));
                }
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
            if !resume.initiatives.is_empty() {
                out.push(Block::Heading("Other Key Initiatives".into()));
            }
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
                extra::skill(s, &mut out);
                if !s.keywords.is_empty() {
                    out.push(Block::Keywords(
                        s.keywords.iter().map(|k| k.to_string()).collect(),
                    ));
                }
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
    extra::append(resume, id, &mut out);
    out
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
