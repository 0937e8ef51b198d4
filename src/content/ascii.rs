//! The resume with its typographic dashes in ASCII (`–` → `-`, `—` → `--`), for terminals that
//! draw ASCII only (`TERM=vt100`): their borders are ASCII, and so is the text between them.

use crate::resume::Resume;

/// `resume` with every en dash and em dash in its text spelled in ASCII; `None` if it has none
/// (or, which cannot happen for a valid resume, the copy does not validate).
pub fn dashes(resume: &Resume) -> Option<Resume> {
    // Through serde's data model, so every text field is covered, present and future.
    let mut v = serde_json::to_value(resume).ok()?;
    if !replace(&mut v) {
        return None;
    }
    serde_json::from_value(v).ok()
}

/// One string with its dashes in ASCII (`—` → `--`, `–` → `-`).
pub fn text(s: &str) -> String {
    s.replace('—', "--").replace('–', "-")
}

/// One already wrapped line with its dashes as `-`: the line keeps its width.
pub fn same_width(s: &str) -> String {
    s.replace(['—', '–'], "-")
}

/// Replaces the dashes in every string of `v`; whether any was there.
fn replace(v: &mut serde_json::Value) -> bool {
    use serde_json::Value;
    match v {
        Value::String(s) if s.contains(['–', '—']) => {
            *s = text(s);
            true
        }
        Value::Array(items) => items.iter_mut().fold(false, |any, i| replace(i) | any),
        Value::Object(map) => map.values_mut().fold(false, |any, i| replace(i) | any),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dashes_become_ascii() {
        let r = Resume::parse(
            include_str!("../../resume.toml"),
            std::path::Path::new("resume.toml"),
        )
        .unwrap();
        assert!(r.basics.summary.contains('—'));
        let a = dashes(&r).expect("the shipped resume has dashes");
        assert!(a.basics.summary.contains("matter--designing"));
        assert!(dashes(&a).is_none(), "nothing left to replace");
    }
}
