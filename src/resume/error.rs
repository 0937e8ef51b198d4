//! Why a resume could not be loaded, with the file and (for bad content) line:col and field.

use std::path::PathBuf;

/// Largest resume file accepted (a resume is a few KiB; this bounds memory on a bad path).
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;

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
