//! `resume-ssh import`: a JSON Resume document (`resume.json`) turned into `resume.toml`.
//!
//! The steps: read the file (size-capped, [`read`]), parse it (errors with line:col), drop empty
//! strings, validate it against the JSON Resume schema 1.3.1 (errors with the JSON path,
//! [`schema`]), map every field resume.toml can hold ([`map`], [`sections`]) while noting what is
//! left behind or derived ([`notes`]), then check the result as `resume-ssh check` would and
//! write it ([`write`]: never over an existing file unless forced, and then by rename).
//!
//! JSON Resume lacks some things resume.toml requires; the rules that fill them in are in
//! [`derive`] and are said on stderr for every file they apply to.

mod derive;
mod fields;
mod map;
mod notes;
mod paths;
mod read;
mod schema;
mod sections;
mod write;

use std::path::{Path, PathBuf};

pub use notes::Note;
pub use write::{Output, write_output};

use crate::resume::Resume;

/// What an import produced: the resume, its `resume.toml` text and what was said about it.
#[derive(Debug)]
pub struct Imported {
    pub resume: Resume,
    pub toml: String,
    pub notes: Vec<Note>,
}

/// Why a document could not be imported. Every message starts with the input's name.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{path}: cannot read: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: larger than {limit} bytes; is this really a resume?")]
    TooLarge { path: PathBuf, limit: u64 },
    #[error("{path}: not valid UTF-8 (byte {offset})")]
    Utf8 { path: PathBuf, offset: usize },
    #[error("{path}: the file is empty (expected a JSON Resume document)")]
    Empty { path: PathBuf },
    #[error("{path}:{line}:{column}: not JSON: {message}")]
    Syntax {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    /// Schema violations, one line per error (at most [`schema::MAX_ERRORS`]).
    #[error("{}", .lines.join("\n"))]
    Schema { lines: Vec<String> },
    #[error("{path}: {field}: {message}")]
    Field {
        path: PathBuf,
        field: String,
        message: String,
    },
    /// The mapped resume failed resume.toml's own checks: a bug in the mapping if it happens.
    #[error("{path}: the imported resume does not load back: {message}")]
    Internal { path: PathBuf, message: String },
}

/// An error about one field, by its JSON path, before the file name is known.
#[derive(Debug)]
pub(crate) struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub(crate) fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        FieldError {
            field: field.into(),
            message: message.into(),
        }
    }

    fn at(self, path: &Path) -> ImportError {
        ImportError::Field {
            path: path.to_owned(),
            field: self.field,
            message: self.message,
        }
    }
}

/// Reads, validates and maps the JSON Resume document at `path` (`-` for standard input).
pub fn import(path: &Path) -> Result<Imported, ImportError> {
    let text = read::bounded(path)?;
    import_str(&text, path)
}

/// Validates and maps a JSON Resume document; `path` is only used in messages.
pub fn import_str(text: &str, path: &Path) -> Result<Imported, ImportError> {
    let mut doc = read::parse(text, path)?;
    let mut notes = notes::Notes::default();
    map::drop_empty_strings(&mut doc, "", &mut notes);
    schema::validate(&doc, path)?;
    let (mapped, paths) = map::document(doc, &mut notes).map_err(|e| e.at(path))?;
    let resume: Resume = serde_path_to_error::deserialize(&mapped).map_err(|e| {
        let field = paths.json_path(&e.path().to_string());
        FieldError::new(field, e.into_inner().to_string()).at(path)
    })?;
    resume
        .check_semantics()
        .map_err(|(field, message)| FieldError::new(paths.json_path(&field), message).at(path))?;
    let toml = to_toml(&resume, path)?;
    // What was written must be what `check` and the server load.
    let again = Resume::parse(&toml, Path::new("imported resume.toml")).map_err(|e| {
        ImportError::Internal {
            path: path.to_owned(),
            message: e.to_string(),
        }
    })?;
    if again != resume {
        return Err(ImportError::Internal {
            path: path.to_owned(),
            message: "the TOML reads back differently".into(),
        });
    }
    Ok(Imported {
        resume,
        toml,
        notes: notes.into_vec(),
    })
}

fn to_toml(resume: &Resume, path: &Path) -> Result<String, ImportError> {
    let body = toml::to_string_pretty(resume).map_err(|e| ImportError::Internal {
        path: path.to_owned(),
        message: e.to_string(),
    })?;
    let from = if path == Path::new("-") {
        "standard input".to_owned()
    } else {
        path.display().to_string()
    };
    Ok(format!(
        "# Imported from {from} by `resume-ssh import`. Edit it, then run `resume-ssh check`.\n\
         # Field names follow JSON Resume (https://jsonresume.org/schema) where one fits.\n\n{body}"
    ))
}
