//! Taking a JSON object apart field by field: each mapped field is removed, and whatever is left
//! when the object is done is reported as not carried over, by its JSON path.

use serde_json::{Map, Value};

use super::FieldError;
use super::notes::Notes;

/// `parent.key`, or `key` at the top.
pub fn child(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_owned()
    } else {
        format!("{parent}.{key}")
    }
}

/// `parent[i]`.
pub fn index(parent: &str, i: usize) -> String {
    format!("{parent}[{i}]")
}

/// Text as resume.toml holds it: one paragraph, so line breaks and tabs (and any other control
/// character) become a space. Returns whether anything changed.
pub fn one_paragraph(s: &str) -> (String, bool) {
    if !s.chars().any(char::is_control) {
        return (s.to_owned(), false);
    }
    let mut out = String::with_capacity(s.len());
    let mut gap = false;
    for c in s.chars() {
        if c.is_control() || (gap && c == ' ') {
            gap = true;
        } else {
            if gap && !out.is_empty() && !out.ends_with(' ') {
                out.push(' ');
            }
            gap = false;
            out.push(c);
        }
    }
    (out.trim_end().to_owned(), true)
}

/// A JSON object being mapped.
pub struct Fields {
    pub path: String,
    map: Map<String, Value>,
}

impl Fields {
    /// The object at `path`; anything else is an error.
    pub fn new(path: String, v: Value) -> Result<Fields, FieldError> {
        match v {
            Value::Object(map) => Ok(Fields { path, map }),
            other => Err(FieldError::new(
                path,
                format!("expected an object, found {}", kind(&other)),
            )),
        }
    }

    pub fn child(&self, key: &str) -> String {
        child(&self.path, key)
    }

    pub fn has(&self, key: &str) -> bool {
        self.map.contains_key(key)
    }

    /// Removes and returns the raw value of `key`.
    pub fn take(&mut self, key: &str) -> Option<Value> {
        self.map.remove(key)
    }

    /// An optional text field, made one paragraph.
    pub fn text(&mut self, key: &str, notes: &mut Notes) -> Result<Option<String>, FieldError> {
        let path = self.child(key);
        match self.map.remove(key) {
            None => Ok(None),
            Some(v) => string(&path, v, notes).map(Some),
        }
    }

    /// A text field resume.toml requires.
    pub fn need_text(&mut self, key: &str, notes: &mut Notes) -> Result<String, FieldError> {
        self.text(key, notes)?.ok_or_else(|| {
            FieldError::new(
                self.child(key),
                "missing; resume.toml needs it (JSON Resume leaves it optional)",
            )
        })
    }

    /// An optional list of texts.
    pub fn texts(&mut self, key: &str, notes: &mut Notes) -> Result<Vec<String>, FieldError> {
        let path = self.child(key);
        self.list(key)?
            .into_iter()
            .enumerate()
            .map(|(i, v)| string(&index(&path, i), v, notes))
            .collect()
    }

    /// An optional list of values (objects usually), for the caller to map one by one.
    pub fn list(&mut self, key: &str) -> Result<Vec<Value>, FieldError> {
        match self.map.remove(key) {
            None => Ok(Vec::new()),
            Some(Value::Array(items)) => Ok(items),
            Some(other) => Err(FieldError::new(
                self.child(key),
                format!("expected an array, found {}", kind(&other)),
            )),
        }
    }

    /// Ends the mapping of this object: every field not taken is reported.
    pub fn finish(self, notes: &mut Notes) {
        for (key, value) in self.map {
            report_left(&child(&self.path, &key), &value, notes);
        }
    }
}

/// Reports a value left behind: an object field by field, so the paths say exactly what.
fn report_left(path: &str, value: &Value, notes: &mut Notes) {
    match value {
        Value::Object(m) if !m.is_empty() => {
            for (k, v) in m {
                report_left(&child(path, k), v, notes);
            }
        }
        _ => notes.not_carried(path, None),
    }
}

fn string(path: &str, v: Value, notes: &mut Notes) -> Result<String, FieldError> {
    match v {
        Value::String(s) => {
            let (s, changed) = one_paragraph(&s);
            if changed {
                notes.derived(
                    path,
                    "line breaks joined (resume.toml text is one paragraph)",
                );
            }
            Ok(s)
        }
        other => Err(FieldError::new(
            path,
            format!("expected a string, found {}", kind(&other)),
        )),
    }
}

/// The JSON type of a value, for messages.
pub fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_join_lines_once() {
        assert_eq!(one_paragraph("a b"), ("a b".into(), false));
        assert_eq!(one_paragraph("a\nb"), ("a b".into(), true));
        assert_eq!(one_paragraph("a \r\n\t b\n"), ("a b".into(), true));
        assert_eq!(one_paragraph("  lead\nx"), ("  lead x".into(), true));
    }

    #[test]
    fn leftovers_are_reported_by_path() {
        let v = serde_json::json!({"a": "x", "b": {"c": 1, "d": [1]}, "e": {}});
        let mut f = Fields::new("basics".into(), v).unwrap();
        let mut notes = Notes::default();
        assert_eq!(f.text("a", &mut notes).unwrap().as_deref(), Some("x"));
        f.finish(&mut notes);
        let got: Vec<String> = notes.into_vec().iter().map(|n| n.to_string()).collect();
        assert_eq!(
            got,
            [
                "not carried over: basics.b.c",
                "not carried over: basics.b.d",
                "not carried over: basics.e"
            ]
        );
    }
}
