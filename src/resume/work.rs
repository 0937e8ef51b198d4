//! The resume's lists of experience: focus lists, roles, case studies, initiatives and skills.

use serde::Deserialize;

use super::values::{Text, Url, YearMonth};

/// A named list of short items (Leadership Focus, Expertise Areas).
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ListGroup {
    pub name: Text,
    pub items: Vec<Text>,
}

/// One role.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Work {
    pub position: Text,
    /// The company (JSON Resume `name`).
    pub name: Text,
    #[serde(rename = "startDate")]
    pub start_date: YearMonth,
    /// Absent while the role is current ("Present").
    #[serde(rename = "endDate", default)]
    pub end_date: Option<YearMonth>,
    /// How long, as the owner wants it said ("2+ years").
    #[serde(default)]
    pub duration: Option<Text>,
    #[serde(default)]
    pub url: Option<Url>,
    pub highlights: Vec<Text>,
}

impl Work {
    /// "Oct 2023 - Present" style date range.
    pub fn dates(&self) -> String {
        let end = self
            .end_date
            .as_ref()
            .map_or_else(|| "Present".to_owned(), YearMonth::display);
        format!("{} - {}", self.start_date.display(), end)
    }
}

/// A case study (JSON Resume `projects`).
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct CaseStudy {
    pub name: Text,
    pub challenge: Text,
    pub solution: Text,
    pub impact: Impact,
}

/// The headline figure of a case study and the line under it.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Impact {
    /// "Billions", "99.9%".
    pub figure: Text,
    /// "Contacts Managed".
    pub label: Text,
    /// The sentence under the figure.
    pub detail: Text,
}

/// A named paragraph (other initiatives, core competencies).
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Initiative {
    pub name: Text,
    pub description: Text,
}

/// A skills heading and its technologies (JSON Resume `skills`).
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SkillGroup {
    pub name: Text,
    pub keywords: Vec<Text>,
}
