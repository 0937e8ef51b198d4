//! The resume as a document: its sections ([`SectionId`]), each a list of typed blocks
//! ([`blocks`]), and word-wrapping them into lines ([`wrap`]).
//!
//! Both the TUI and the plain-text export read the resume through this module, so they show the
//! same words in the same order.

pub mod ascii;
mod blocks;
mod breaks;
mod extra;
pub mod screen;
mod wrap;

pub use blocks::{Block, header, section};
pub use wrap::{Line, LineKind, Style, ellipsize, wrap, wrap_text};

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_round_trip() {
        for id in SectionId::ALL {
            assert_eq!(SectionId::from_slug(id.slug()), Some(id));
            assert_eq!(SectionId::from_index(id.index()), id);
        }
        assert_eq!(SectionId::from_slug("nope"), None);
    }
}
