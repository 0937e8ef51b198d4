//! Reading the input: at most [`MAX_BYTES`] bytes (a bigger file is refused without being read
//! into memory), UTF-8, then JSON with the parser's line:col on a syntax error.

use std::io::Read as _;
use std::path::Path;

use super::ImportError;

/// Largest document accepted: the same cap as `resume.toml` (a resume is a few KiB).
pub const MAX_BYTES: u64 = crate::resume::MAX_FILE_BYTES;

/// The text of `path` (`-` is standard input), refusing anything over [`MAX_BYTES`].
pub fn bounded(path: &Path) -> Result<String, ImportError> {
    let io = |source| ImportError::Io {
        path: path.to_owned(),
        source,
    };
    let too_large = || ImportError::TooLarge {
        path: path.to_owned(),
        limit: MAX_BYTES,
    };
    let mut bytes = Vec::new();
    if path == Path::new("-") {
        std::io::stdin()
            .lock()
            .take(MAX_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(io)?;
    } else {
        let file = std::fs::File::open(path).map_err(io)?;
        // A regular file says its size: refuse before reading. Pipes and devices do not, so the
        // read itself stops one byte past the cap.
        if file.metadata().map_err(io)?.len() > MAX_BYTES {
            return Err(too_large());
        }
        file.take(MAX_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(io)?;
    }
    if bytes.len() as u64 > MAX_BYTES {
        return Err(too_large());
    }
    String::from_utf8(bytes).map_err(|e| ImportError::Utf8 {
        path: path.to_owned(),
        offset: e.utf8_error().valid_up_to(),
    })
}

/// Parses JSON text; a syntax error carries serde_json's line and column.
pub fn parse(text: &str, path: &Path) -> Result<serde_json::Value, ImportError> {
    if text.trim().is_empty() {
        return Err(ImportError::Empty {
            path: path.to_owned(),
        });
    }
    serde_json::from_str(text).map_err(|e| {
        let message = e.to_string();
        // serde_json appends " at line L column C"; the location is given in front instead.
        let message = message
            .rsplit_once(" at line ")
            .map_or(message.as_str(), |(m, _)| m)
            .to_owned();
        ImportError::Syntax {
            path: path.to_owned(),
            line: e.line(),
            column: e.column(),
            message,
        }
    })
}
