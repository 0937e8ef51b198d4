//! The resume data model (`resume.toml`): strict parsing, validation and errors with file:line:col.
//!
//! Field names follow JSON Resume (`basics`, `work`, `projects`, `skills`, `startDate`, ...) where one
//! fits, so the exports map cleanly. Unknown keys are errors. Values that need checking (dates,
//! e-mail, URLs, non-empty text) are newtypes whose `Deserialize` validates, so every error carries
//! the span of the offending value and is reported as `path:line:col: field: message`.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Deserializer};

/// Largest resume file accepted (a resume is a few KiB; this bounds memory on a bad path).
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;

/// The whole resume, as loaded from `resume.toml`.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Resume {
    pub basics: Basics,
    pub about: About,
    #[serde(default)]
    pub focus: Vec<ListGroup>,
    #[serde(default)]
    pub work: Vec<Work>,
    #[serde(default)]
    pub projects: Vec<CaseStudy>,
    #[serde(default)]
    pub initiatives: Vec<Initiative>,
    #[serde(default)]
    pub skills: Vec<SkillGroup>,
    #[serde(default)]
    pub competencies: Vec<Initiative>,
    pub contact: Contact,
    #[serde(default)]
    pub theme: ThemeConfig,
}

/// Name, title, tagline and contact details.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Basics {
    pub name: Text,
    /// The job title shown under the name (JSON Resume `label`).
    pub label: Text,
    /// One line that sums the person up.
    pub tagline: Text,
    /// The short summary paragraph (JSON Resume `summary`).
    pub summary: Text,
    pub email: Email,
    #[serde(default)]
    pub url: Option<Url>,
    #[serde(default)]
    pub location: Option<Text>,
    #[serde(default)]
    pub profiles: Vec<Profile>,
}

/// A social profile link.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    pub network: Text,
    #[serde(default)]
    pub username: Option<Text>,
    pub url: Url,
}

/// The About section: paragraphs and the title over the focus lists.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct About {
    pub paragraphs: Vec<Text>,
    /// Heading over the `[[focus]]` lists (e.g. "Core Technologies").
    #[serde(default)]
    pub focus_title: Option<Text>,
}

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

/// The closing call to action.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    pub heading: Text,
    pub title: Text,
    pub message: Text,
    /// Words before the e-mail address ("Or reach out directly at").
    pub email_lead: Text,
}

/// Accent colours (`[theme]`), as `#rrggbb`. Defaults read well on dark and light backgrounds.
#[derive(Debug, Clone, Deserialize, PartialEq, Default)]
#[serde(deny_unknown_fields)]
pub struct ThemeConfig {
    #[serde(default)]
    pub accent: Option<HexColor>,
    #[serde(default)]
    pub accent2: Option<HexColor>,
}

macro_rules! validated_string {
    ($(#[$doc:meta])* $name:ident, $check:path) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct $name(String);

        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl std::ops::Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                $check(&s).map_err(serde::de::Error::custom)?;
                Ok(Self(s))
            }
        }

        impl TryFrom<&str> for $name {
            type Error = String;
            fn try_from(s: &str) -> Result<Self, String> {
                $check(s)?;
                Ok(Self(s.to_owned()))
            }
        }
    };
}

validated_string!(
    /// Non-empty, printable text (no control characters other than none at all).
    Text,
    check_text
);
validated_string!(
    /// An e-mail address (`local@domain.tld`, no spaces).
    Email,
    check_email
);
validated_string!(
    /// An absolute `http(s)://` URL.
    Url,
    check_url
);
validated_string!(
    /// A `YYYY-MM` date.
    YearMonth,
    check_year_month
);
validated_string!(
    /// A `#rrggbb` colour.
    HexColor,
    check_hex_color
);

const MAX_TEXT_CHARS: usize = 4000;

fn check_text(s: &str) -> Result<(), String> {
    if s.trim().is_empty() {
        return Err("must not be empty".into());
    }
    if s.chars().count() > MAX_TEXT_CHARS {
        return Err(format!("is longer than {MAX_TEXT_CHARS} characters"));
    }
    if let Some(c) = s.chars().find(|c| c.is_control()) {
        return Err(format!(
            "contains the control character U+{:04X}; use plain text (one paragraph per string)",
            c as u32
        ));
    }
    Ok(())
}

fn check_email(s: &str) -> Result<(), String> {
    let bad = || format!("'{s}' is not an e-mail address (expected name@domain.tld)");
    let (local, domain) = s.split_once('@').ok_or_else(bad)?;
    let ok = !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && s.chars()
            .all(|c| c.is_ascii_graphic() && c != '<' && c != '>' && c != '"');
    if ok { Ok(()) } else { Err(bad()) }
}

fn check_url(s: &str) -> Result<(), String> {
    let rest = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"))
        .ok_or_else(|| format!("'{s}' is not an http(s):// URL"))?;
    if rest.is_empty() || !s.chars().all(|c| c.is_ascii_graphic()) {
        return Err(format!("'{s}' is not a valid URL"));
    }
    Ok(())
}

fn check_year_month(s: &str) -> Result<(), String> {
    let bad = || format!("'{s}' is not a date of the form YYYY-MM (e.g. 2023-10)");
    let (y, m) = s.split_once('-').ok_or_else(bad)?;
    if y.len() != 4 || m.len() != 2 {
        return Err(bad());
    }
    let y: u32 = y.parse().map_err(|_| bad())?;
    let m: u32 = m.parse().map_err(|_| bad())?;
    if !(1900..=2200).contains(&y) || !(1..=12).contains(&m) {
        return Err(bad());
    }
    Ok(())
}

fn check_hex_color(s: &str) -> Result<(), String> {
    let hex = s
        .strip_prefix('#')
        .filter(|h| h.len() == 6 && h.chars().all(|c| c.is_ascii_hexdigit()));
    if hex.is_some() {
        Ok(())
    } else {
        Err(format!("'{s}' is not a colour of the form #rrggbb"))
    }
}

impl YearMonth {
    /// "2023-10" → "Oct 2023".
    pub fn display(&self) -> String {
        const MONTHS: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        let (y, m) = self.0.split_once('-').unwrap_or((&self.0, "01"));
        let idx = m.parse::<usize>().unwrap_or(1).clamp(1, 12) - 1;
        format!("{} {y}", MONTHS[idx])
    }
}

impl HexColor {
    /// The colour as (r, g, b).
    pub fn rgb(&self) -> (u8, u8, u8) {
        let v = u32::from_str_radix(self.0.trim_start_matches('#'), 16).unwrap_or(0);
        ((v >> 16) as u8, (v >> 8) as u8, v as u8)
    }
}

/// Why a resume could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{path}: cannot read: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: file is larger than {MAX_FILE_BYTES} bytes; is this really a resume?")]
    TooLarge { path: PathBuf },
    #[error("{path}: not valid UTF-8 (byte {offset})")]
    Utf8 { path: PathBuf, offset: usize },
    #[error("{path}:{line}:{column}: {field}{message}")]
    Invalid {
        path: PathBuf,
        line: usize,
        column: usize,
        /// `work[1].startDate: `, or empty when the error is not about one field.
        field: String,
        message: String,
    },
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

    /// Checks that go beyond one value: a role must not end before it starts, lists not empty.
    fn check_semantics(&self) -> Result<(), (String, String)> {
        for (i, w) in self.work.iter().enumerate() {
            if let Some(end) = &w.end_date
                && end.as_str() < w.start_date.as_str()
            {
                return Err((
                    format!("work[{i}].endDate"),
                    format!("{end} is before startDate {}", w.start_date),
                ));
            }
            if w.highlights.is_empty() {
                return Err((format!("work[{i}].highlights"), "must not be empty".into()));
            }
        }
        if self.about.paragraphs.is_empty() {
            return Err(("about.paragraphs".into(), "must not be empty".into()));
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
mod tests {
    use super::*;

    const SHIPPED: &str = include_str!("../resume.toml");

    fn parse(text: &str) -> Result<Resume, LoadError> {
        Resume::parse(text, Path::new("resume.toml"))
    }

    fn error_of(text: &str) -> String {
        match parse(text) {
            Ok(_) => panic!("expected an error for:\n{text}"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn shipped_resume_loads() {
        let r = parse(SHIPPED).expect("shipped resume.toml is valid");
        assert_eq!(r.basics.name.as_str(), "Arunav Malhotra");
        assert_eq!(r.work.len(), 3);
        assert_eq!(r.projects.len(), 3);
        assert_eq!(r.initiatives.len(), 6);
        assert_eq!(r.competencies.len(), 6);
        assert_eq!(r.work[0].dates(), "Oct 2023 - Present");
        assert_eq!(r.work[2].dates(), "Jan 2020 - Mar 2022");
    }

    #[test]
    fn unknown_key_names_line_column_and_field() {
        let bad = SHIPPED.replacen("[basics]\n", "[basics]\nnickname = \"x\"\n", 1);
        let line = bad.lines().position(|l| l.starts_with("nickname")).unwrap() + 1;
        let e = error_of(&bad);
        assert!(e.starts_with(&format!("resume.toml:{line}:")), "{e}");
        assert!(e.contains("nickname"), "{e}");
    }

    #[test]
    fn bad_date_is_located_on_its_value() {
        let bad = SHIPPED.replacen("startDate = \"2023-10\"", "startDate = \"October 2023\"", 1);
        let line = bad
            .lines()
            .position(|l| l.contains("October 2023"))
            .unwrap()
            + 1;
        let e = error_of(&bad);
        assert!(e.starts_with(&format!("resume.toml:{line}:13: ")), "{e}");
        assert!(e.contains("work[0].startDate"), "{e}");
        assert!(e.contains("YYYY-MM"), "{e}");
    }

    #[test]
    fn bad_email_and_missing_field_and_syntax() {
        let bad = SHIPPED.replacen("@gmail.com", "-at-gmail.com", 1);
        assert!(error_of(&bad).contains("basics.email"));
        let bad = SHIPPED.replacen("name = \"Arunav Malhotra\"\n", "", 1);
        let e = error_of(&bad);
        assert!(e.contains("missing field `name`"), "{e}");
        let e = error_of("[basics\nname = 1");
        assert!(e.starts_with("resume.toml:1:"), "{e}");
        let e = error_of("");
        assert!(e.contains("missing field"), "{e}");
    }

    #[test]
    fn empty_text_and_wrong_type_are_errors() {
        let bad = SHIPPED.replacen("name = \"Arunav Malhotra\"", "name = \"  \"", 1);
        assert!(error_of(&bad).contains("basics.name: must not be empty"));
        let bad = SHIPPED.replacen("name = \"Arunav Malhotra\"", "name = 42", 1);
        assert!(error_of(&bad).contains("basics.name"));
    }

    #[test]
    fn end_before_start_is_an_error() {
        let bad = SHIPPED.replacen("endDate = \"2023-10\"", "endDate = \"2021-10\"", 1);
        assert!(
            error_of(&bad).contains("work[1].endDate"),
            "{}",
            error_of(&bad)
        );
    }

    #[test]
    fn line_col_counts_chars() {
        assert_eq!(line_col("ab\ncé\nx", 7), (3, 1));
        assert_eq!(line_col("ab\ncé", 4), (2, 2));
        assert_eq!(line_col("", 10), (1, 1));
    }

    #[test]
    fn io_errors_name_the_file() {
        let e = Resume::load(Path::new("/nonexistent/resume.toml")).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("/nonexistent/resume.toml: cannot read")
        );
    }
}
