//! What an import says on stderr: fields left behind (by JSON path, with why) and values that
//! were derived or changed to fit resume.toml.

use std::fmt;

/// Notes kept; a document that triggers more gets "... and N more" (the input is capped at
/// 1 MiB, but a screenful of notes is already more than anyone reads).
pub const MAX_NOTES: usize = 200;

/// One thing the owner should know about the import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Note {
    /// The value at `path` is not in the output.
    NotCarried { path: String, why: Option<String> },
    /// The value at `path` was filled in or changed by a rule.
    Derived { path: String, how: String },
    /// More notes than [`MAX_NOTES`].
    More(usize),
}

impl Note {
    /// Whether something of the input is missing from the output.
    pub fn is_loss(&self) -> bool {
        matches!(self, Note::NotCarried { .. } | Note::More(_))
    }
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Note::NotCarried { path, why: None } => write!(f, "not carried over: {path}"),
            Note::NotCarried {
                path,
                why: Some(why),
            } => write!(f, "not carried over: {path} ({why})"),
            Note::Derived { path, how } => write!(f, "derived: {path}: {how}"),
            Note::More(n) => write!(f, "... and {n} more notes"),
        }
    }
}

/// The notes of one import, capped at [`MAX_NOTES`].
#[derive(Debug, Default)]
pub struct Notes {
    list: Vec<Note>,
    more: usize,
}

impl Notes {
    fn push(&mut self, n: Note) {
        if self.list.len() < MAX_NOTES {
            self.list.push(n);
        } else {
            self.more += 1;
        }
    }

    pub fn not_carried(&mut self, path: &str, why: Option<&str>) {
        self.push(Note::NotCarried {
            path: path.to_owned(),
            why: why.map(str::to_owned),
        });
    }

    pub fn derived(&mut self, path: &str, how: impl Into<String>) {
        self.push(Note::Derived {
            path: path.to_owned(),
            how: how.into(),
        });
    }

    pub fn into_vec(mut self) -> Vec<Note> {
        if self.more > 0 {
            self.list.push(Note::More(self.more));
        }
        self.list
    }
}
