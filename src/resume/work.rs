//! The resume's lists of experience: focus lists, roles, case studies, initiatives and skills.

use serde::{Deserialize, Serialize};

use super::values::{Date, Text, Url};

/// A named list of short items (Leadership Focus, Expertise Areas).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ListGroup {
    pub name: Text,
    pub items: Vec<Text>,
}

/// One role.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Work {
    pub position: Text,
    /// The company (JSON Resume `name`).
    pub name: Text,
    #[serde(rename = "startDate")]
    pub start_date: Date,
    /// Absent while the role is current ("Present").
    #[serde(rename = "endDate", default, skip_serializing_if = "Option::is_none")]
    pub end_date: Option<Date>,
    /// How long, as the owner wants it said ("2+ years").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<Url>,
    /// What the employer does (JSON Resume `description`), shown under its name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<Text>,
    /// Where the role is (JSON Resume `location`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Text>,
    /// A paragraph about the role (JSON Resume `summary`), shown before the highlights.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<Text>,
    /// What was achieved; may be empty only when there is a summary.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub highlights: Vec<Text>,
}

impl Work {
    /// "Oct 2023 - Present" style date range.
    pub fn dates(&self) -> String {
        let end = self
            .end_date
            .as_ref()
            .map_or_else(|| "Present".to_owned(), Date::display);
        format!("{} - {}", self.start_date.display(), end)
    }
}

/// A case study (JSON Resume `projects`).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct CaseStudy {
    pub name: Text,
    pub challenge: Text,
    pub solution: Text,
    pub impact: Impact,
}

/// The headline figure of a case study and the line under it.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
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
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Initiative {
    pub name: Text,
    pub description: Text,
}

/// A skills heading and its technologies (JSON Resume `skills`).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SkillGroup {
    pub name: Text,
    /// How well ("Master", "Intermediate"), as JSON Resume's `level`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<Text>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keywords: Vec<Text>,
}
