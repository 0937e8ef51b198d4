//! JSON Resume's further sections (education ... references) → resume.toml, field for field:
//! resume.toml uses the schema's own names for them, so one table says it all.

use serde_json::{Map, Value};

use super::FieldError;
use super::fields::{Fields, index};
use super::notes::Notes;

/// How a field is carried.
#[derive(Clone, Copy)]
enum Kind {
    /// Text resume.toml requires (what names the entry).
    Need,
    /// Optional text (dates and URLs included: the model checks them).
    Opt,
    /// A list of texts.
    List,
}
use Kind::{List, Need, Opt};

/// Each section and its fields, in the schema's names (which resume.toml shares).
const SECTIONS: &[(&str, &[(&str, Kind)])] = &[
    (
        "education",
        &[
            ("institution", Need),
            ("url", Opt),
            ("area", Opt),
            ("studyType", Opt),
            ("startDate", Opt),
            ("endDate", Opt),
            ("score", Opt),
            ("courses", List),
        ],
    ),
    (
        "volunteer",
        &[
            ("organization", Need),
            ("position", Opt),
            ("url", Opt),
            ("startDate", Opt),
            ("endDate", Opt),
            ("summary", Opt),
            ("highlights", List),
        ],
    ),
    (
        "awards",
        &[
            ("title", Need),
            ("date", Opt),
            ("awarder", Opt),
            ("summary", Opt),
        ],
    ),
    (
        "certificates",
        &[("name", Need), ("date", Opt), ("issuer", Opt), ("url", Opt)],
    ),
    (
        "publications",
        &[
            ("name", Need),
            ("publisher", Opt),
            ("releaseDate", Opt),
            ("url", Opt),
            ("summary", Opt),
        ],
    ),
    ("languages", &[("language", Need), ("fluency", Opt)]),
    ("interests", &[("name", Need), ("keywords", List)]),
    ("references", &[("name", Need), ("reference", Need)]),
];

/// A JSON Resume project that is not a case study: resume.toml's `[[portfolio]]`.
const PORTFOLIO: &[(&str, Kind)] = &[
    ("name", Need),
    ("description", Opt),
    ("highlights", List),
    ("keywords", List),
    ("startDate", Opt),
    ("endDate", Opt),
    ("url", Opt),
    ("roles", List),
    ("entity", Opt),
    ("type", Opt),
];

/// One `projects[]` entry as a `[[portfolio]]` entry.
pub fn portfolio(f: Fields, notes: &mut Notes) -> Result<Value, FieldError> {
    entry(f, PORTFOLIO, notes)
}

fn entry(mut f: Fields, fields: &[(&str, Kind)], notes: &mut Notes) -> Result<Value, FieldError> {
    let mut o = Map::new();
    for &(name, kind) in fields {
        let value = match kind {
            Need => Some(Value::String(f.need_text(name, notes)?)),
            Opt => f.text(name, notes)?.map(Value::String),
            List => {
                let items = f.texts(name, notes)?;
                (!items.is_empty())
                    .then(|| Value::Array(items.into_iter().map(Value::String).collect()))
            }
        };
        if let Some(v) = value {
            o.insert(name.to_owned(), v);
        }
    }
    f.finish(notes);
    Ok(Value::Object(o))
}

/// Maps every further section of the document `d` into `out`.
pub fn all(
    d: &mut Fields,
    out: &mut Map<String, Value>,
    notes: &mut Notes,
) -> Result<(), FieldError> {
    for (key, fields) in SECTIONS {
        let mut entries = Vec::new();
        for (i, v) in d.list(key)?.into_iter().enumerate() {
            entries.push(entry(Fields::new(index(key, i), v)?, fields, notes)?);
        }
        if !entries.is_empty() {
            out.insert((*key).to_owned(), Value::Array(entries));
        }
    }
    Ok(())
}
