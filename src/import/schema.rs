//! Validation against the JSON Resume schema 1.3.1 (the copy in tests/fixtures), with the
//! `jsonschema` crate; every error names the JSON path of the value at fault.

use std::path::Path;
use std::sync::OnceLock;

use serde_json::Value;

use super::ImportError;

/// The schema, as published by the JSON Resume project (MIT; see the LICENSE file beside it).
const SCHEMA: &str = include_str!("../../tests/fixtures/jsonresume-schema-1.3.1.json");

/// Errors listed before "... and N more".
pub const MAX_ERRORS: usize = 20;

fn validator() -> Result<&'static jsonschema::Validator, String> {
    static V: OnceLock<Result<jsonschema::Validator, String>> = OnceLock::new();
    V.get_or_init(|| {
        let schema: Value = serde_json::from_str(SCHEMA).map_err(|e| e.to_string())?;
        jsonschema::options()
            .should_validate_formats(true)
            .build(&schema)
            .map_err(|e| e.to_string())
    })
    .as_ref()
    .map_err(Clone::clone)
}

/// Checks `doc` against the schema: all errors (up to [`MAX_ERRORS`]) at once.
pub fn validate(doc: &Value, path: &Path) -> Result<(), ImportError> {
    let v = validator().map_err(|message| ImportError::Internal {
        path: path.to_owned(),
        message: format!("the bundled JSON Resume schema does not load: {message}"),
    })?;
    let mut lines = Vec::new();
    let mut more = 0usize;
    for e in v.iter_errors(doc) {
        if lines.len() == MAX_ERRORS {
            more += 1;
            continue;
        }
        let field = json_path(e.instance_path().as_str());
        let field = if field.is_empty() {
            "(the document)".to_owned()
        } else {
            field
        };
        let message = match e.kind() {
            jsonschema::error::ValidationErrorKind::Pattern { pattern }
                if pattern.contains("[1-2][0-9]{3}") =>
            {
                format!(
                    "{} is not a date of the form YYYY-MM, YYYY or YYYY-MM-DD",
                    e.instance()
                )
            }
            _ => e.to_string(),
        };
        lines.push(format!(
            "{}: {field}: {message} (JSON Resume schema)",
            path.display()
        ));
    }
    if more > 0 {
        lines.push(format!("{}: ... and {more} more", path.display()));
    }
    if lines.is_empty() {
        Ok(())
    } else {
        Err(ImportError::Schema { lines })
    }
}

/// A JSON pointer (`/work/0/startDate`) as a path (`work[0].startDate`).
pub fn json_path(pointer: &str) -> String {
    let mut out = String::new();
    for seg in pointer.split('/').skip(1) {
        let seg = seg.replace("~1", "/").replace("~0", "~");
        if !seg.is_empty() && seg.bytes().all(|b| b.is_ascii_digit()) {
            out.push_str(&format!("[{seg}]"));
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(&seg);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_become_paths() {
        assert_eq!(json_path(""), "");
        assert_eq!(json_path("/work/0/startDate"), "work[0].startDate");
        assert_eq!(
            json_path("/basics/profiles/12/url"),
            "basics.profiles[12].url"
        );
        assert_eq!(json_path("/a~1b/c~0d"), "a/b.c~d");
    }
}
