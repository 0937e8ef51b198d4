//! JSON Resume's further sections, all optional: education, volunteering, awards, certificates,
//! publications, languages, interests, references, and projects that are not case studies. Field names are the schema's.

use serde::{Deserialize, Serialize};

use super::values::{Date, Text, Url};

/// One degree or course of study (JSON Resume `education`).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Education {
    pub institution: Text,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<Url>,
    /// The field ("Computer Science").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub area: Option<Text>,
    /// The degree ("Bachelor").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub study_type: Option<Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_date: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_date: Option<Date>,
    /// A grade ("4.0", "First").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<Text>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub courses: Vec<Text>,
}

/// Unpaid work (JSON Resume `volunteer`).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Volunteer {
    pub organization: Text,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<Url>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_date: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_date: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<Text>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub highlights: Vec<Text>,
}

/// A prize or honour (JSON Resume `awards`).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Award {
    pub title: Text,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub awarder: Option<Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<Text>,
}

/// A certification (JSON Resume `certificates`).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Certificate {
    pub name: Text,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuer: Option<Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<Url>,
}

/// An article, paper or book (JSON Resume `publications`).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Publication {
    pub name: Text,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publisher: Option<Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub release_date: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<Url>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<Text>,
}

/// A spoken language (JSON Resume `languages`).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Language {
    pub language: Text,
    /// "Native speaker", "C1".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fluency: Option<Text>,
}

/// Something the owner cares about outside work (JSON Resume `interests`).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Interest {
    pub name: Text,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keywords: Vec<Text>,
}

/// A recommendation, in the referee's words (JSON Resume `references`).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Reference {
    pub name: Text,
    pub reference: Text,
}

/// A project as JSON Resume describes one (`[[portfolio]]` in resume.toml, `projects` in the
/// JSON export, after the case studies): what `[[projects]]` holds are case studies, which
/// need a challenge, a solution and an impact.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Project {
    pub name: Text,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<Text>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub highlights: Vec<Text>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keywords: Vec<Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_date: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_date: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<Url>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<Text>,
    /// Who it was for ("Smoogle", "Personal").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entity: Option<Text>,
    /// "application", "talk", "volunteering" ...
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<Text>,
}
