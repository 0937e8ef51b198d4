//! The resume data model (`resume.toml`): strict parsing, validation and errors with file:line:col.
//!
//! Field names follow JSON Resume (`basics`, `work`, `projects`, `skills`, `startDate`, ...) where one
//! fits, so the exports map cleanly. Unknown keys are errors. Values that need checking (dates,
//! e-mail, URLs, non-empty text) are newtypes whose `Deserialize` validates, so every error carries
//! the span of the offending value and is reported as `path:line:col: field: message`.

mod basics;
mod error;
mod extra;
mod values;
mod work;

use std::path::Path;

use serde::{Deserialize, Serialize};

pub use basics::{About, Basics, Contact, NO_SSH_COMMAND, Profile, Site, ThemeConfig};
pub use error::{LoadError, MAX_FILE_BYTES};
pub use extra::{
    Award, Certificate, Education, Interest, Language, Project, Publication, Reference, Volunteer,
};
pub use values::{Date, Email, HexColor, SshCommand, Text, Url, YearMonth};
pub use work::{CaseStudy, Impact, Initiative, ListGroup, SkillGroup, Work};

/// The whole resume, as loaded from `resume.toml`.
///
/// Serializing it gives `resume.toml` back (what `import` writes): empty lists and absent values
/// are left out, so the file holds only what the owner has.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Resume {
    pub basics: Basics,
    #[serde(default)]
    pub about: About,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub focus: Vec<ListGroup>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub work: Vec<Work>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub projects: Vec<CaseStudy>,
    /// Projects that are not case studies (JSON Resume's own kind).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub portfolio: Vec<Project>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub initiatives: Vec<Initiative>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub skills: Vec<SkillGroup>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub competencies: Vec<Initiative>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub education: Vec<Education>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub volunteer: Vec<Volunteer>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub awards: Vec<Award>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub certificates: Vec<Certificate>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub publications: Vec<Publication>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub languages: Vec<Language>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub interests: Vec<Interest>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<Reference>,
    pub contact: Contact,
    #[serde(default, skip_serializing_if = "ThemeConfig::is_default")]
    pub theme: ThemeConfig,
    /// How visitors reach the server (the command every hint shows).
    #[serde(default, skip_serializing_if = "Site::is_default")]
    pub site: Site,
}

impl Resume {
    /// Reads and validates a resume file.
    pub fn load(path: &Path) -> Result<Resume, LoadError> {
        let io = |source| LoadError::Io {
            path: path.to_owned(),
            source,
        };
        let meta = std::fs::metadata(path).map_err(io)?;
        if meta.len() > MAX_FILE_BYTES {
            return Err(LoadError::TooLarge {
                path: path.to_owned(),
            });
        }
        let bytes = std::fs::read(path).map_err(io)?;
        let text = String::from_utf8(bytes).map_err(|e| LoadError::Utf8 {
            path: path.to_owned(),
            offset: e.utf8_error().valid_up_to(),
        })?;
        Self::parse(&text, path)
    }

    /// Parses and validates resume text; `path` is only used in error messages.
    pub fn parse(text: &str, path: &Path) -> Result<Resume, LoadError> {
        let invalid = |span: Option<std::ops::Range<usize>>, field: String, message: String| {
            let (line, column) = line_col(text, span.map_or(0, |s| s.start));
            LoadError::Invalid {
                path: path.to_owned(),
                line,
                column,
                field,
                message,
            }
        };
        let de = toml::Deserializer::parse(text)
            .map_err(|e| invalid(e.span(), String::new(), tidy(e.message())))?;
        let resume: Resume = serde_path_to_error::deserialize(de).map_err(|e| {
            let path = e.path().to_string();
            let field = if path == "." || path.is_empty() {
                String::new()
            } else {
                format!("{path}: ")
            };
            let inner = e.into_inner();
            invalid(inner.span(), field, tidy(inner.message()))
        })?;
        resume
            .check_semantics()
            .map_err(|(field, message)| invalid(None, format!("{field}: "), message))?;
        Ok(resume)
    }

    /// Checks that go beyond one value: nothing ends before it starts, a role says something.
    /// The error is (field path, message).
    pub fn check_semantics(&self) -> Result<(), (String, String)> {
        let order = |field: String, start: Option<&Date>, end: Option<&Date>| match (start, end) {
            (Some(s), Some(e)) if e.before(s) => {
                Err((field, format!("{e} is before startDate {s}")))
            }
            _ => Ok(()),
        };
        for (i, w) in self.work.iter().enumerate() {
            order(
                format!("work[{i}].endDate"),
                Some(&w.start_date),
                w.end_date.as_ref(),
            )?;
            if w.highlights.is_empty() && w.summary.is_none() {
                return Err((
                    format!("work[{i}].highlights"),
                    "must not be empty (or give the role a summary)".into(),
                ));
            }
        }
        for (i, e) in self.education.iter().enumerate() {
            let field = format!("education[{i}].endDate");
            order(field, e.start_date.as_ref(), e.end_date.as_ref())?;
        }
        for (i, p) in self.portfolio.iter().enumerate() {
            let field = format!("portfolio[{i}].endDate");
            order(field, p.start_date.as_ref(), p.end_date.as_ref())?;
        }
        for (i, v) in self.volunteer.iter().enumerate() {
            let field = format!("volunteer[{i}].endDate");
            order(field, v.start_date.as_ref(), v.end_date.as_ref())?;
        }
        Ok(())
    }
}

fn tidy(message: &str) -> String {
    message.trim().replace('\n', " ")
}

/// 1-based line and column (in characters) of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before.get(line_start..).map_or(0, |s| s.chars().count()) + 1;
    (line, column)
}

#[cfg(test)]
mod tests;
