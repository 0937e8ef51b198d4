//! `resume-ssh inbox`: the owner reads the messages (newest first), one in full, as JSON, marks
//! one read or deletes it. A visitor's text never reaches the owner's terminal as it is: every
//! control, escape, bidi or other format character is shown as a visible `\u{…}` escape (in
//! JSON, as a `\uXXXX` escape: the same text, safe to print).

use std::fmt::Write as _;
use std::path::Path;

use super::id;
use super::store::{Message, Store};
use crate::sanitize::is_forbidden;

/// What `inbox` was asked to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    List,
    Show(String),
    Read(String),
    Delete(String),
}

/// Runs `action` on the database at `db`; the text to print, or an error for stderr (exit 1).
pub fn run(db: &Path, action: &Action, json: bool) -> anyhow::Result<String> {
    let reference = |r: &str| {
        id::normalise(r).ok_or_else(|| {
            anyhow::anyhow!(
                "'{}' is not a message reference (like M-7K3P9Q)",
                crate::sanitize::clean(r, 40)
            )
        })
    };
    match action {
        Action::List => {
            let all = Store::open_read_only(db)?.list()?;
            Ok(if json {
                safe_json(&serde_json::to_string_pretty(&all)?)
            } else {
                list_text(&all)
            })
        }
        Action::Show(r) => {
            let r = reference(r)?;
            let store = Store::open_read_only(db)?;
            let m = store
                .get(&r)?
                .ok_or_else(|| anyhow::anyhow!("no message {r}"))?;
            if json {
                return Ok(safe_json(&serde_json::to_string_pretty(&m)?));
            }
            let deliveries = store.deliveries(&r).unwrap_or_default();
            Ok(show_text(&m, &deliveries))
        }
        Action::Read(r) | Action::Delete(r) => {
            let r = reference(r)?;
            let store = Store::open_file(db)?;
            let (done, verb) = if matches!(action, Action::Read(_)) {
                (store.mark_read(&r)?, "marked read")
            } else {
                (store.delete(&r)?, "deleted")
            };
            if !done {
                anyhow::bail!("no message {r}");
            }
            Ok(format!("{r} {verb}\n"))
        }
    }
}

/// One line per message: reference, time, `*` if unread, from, the body's first line.
pub fn list_text(all: &[Message]) -> String {
    if all.is_empty() {
        return "No messages.\n".to_owned();
    }
    let mut out = String::new();
    for m in all {
        let first = m.body.lines().next().unwrap_or("");
        let from = if m.from.is_empty() { "-" } else { &m.from };
        let _ = writeln!(
            out,
            "{}  {}  {}  {}  {}",
            m.id,
            m.received_at,
            if m.read { " " } else { "*" },
            cut(&safe(from, false), 40),
            cut(&safe(first, false), 60),
        );
    }
    let unread = all.iter().filter(|m| !m.read).count();
    let _ = writeln!(out, "{} messages, {unread} unread (* = unread)", all.len());
    out
}

/// A message in full, then where it was delivered.
pub fn show_text(m: &Message, deliveries: &[(String, String, u32)]) -> String {
    let mut out = format!(
        "Reference: {}\nReceived:  {}\nFrom:      {}\nStatus:    {}\n\n{}\n",
        m.id,
        m.received_at,
        safe(&m.from, false),
        if m.read { "read" } else { "unread" },
        safe(&m.body, true)
    );
    for (target, state, attempts) in deliveries {
        let host = super::notify::Target::parse(target)
            .map(|t| t.host().to_owned())
            .unwrap_or_default();
        let _ = writeln!(out, "Webhook {host}: {state} ({attempts} attempts)");
    }
    out
}

/// `s` with every character that could act on a terminal shown as a visible escape; newlines
/// kept when `multiline`, tabs shown as spaces.
pub fn safe(s: &str, multiline: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\n' if multiline => out.push('\n'),
            '\t' => out.push_str("    "),
            c if is_forbidden(c) => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out
}

/// JSON text with every forbidden character outside ASCII controls (already escaped by
/// serde_json) escaped as `\uXXXX` (UTF-16, as JSON wants): the same value, safe to print.
pub fn safe_json(json: &str) -> String {
    let mut out = String::with_capacity(json.len() + 1);
    for c in json.chars() {
        if is_forbidden(c) && c != '\n' {
            let mut units = [0u16; 2];
            for u in c.encode_utf16(&mut units) {
                let _ = write!(out, "\\u{u:04x}");
            }
        } else {
            out.push(c);
        }
    }
    out.push('\n');
    out
}

fn cut(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_owned();
    }
    let mut out: String = s.chars().take(max - 1).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_reaches_the_terminal_as_it_is() {
        let nasty = "a\x1b]0;pwned\x07b\u{202e}c\u{200b}d\r\u{9b}e";
        let shown = safe(nasty, true);
        assert!(
            shown.chars().all(|c| !is_forbidden(c) || c == '\n'),
            "{shown:?}"
        );
        assert_eq!(
            shown,
            "a\\u{1b}]0;pwned\\u{7}b\\u{202e}c\\u{200b}d\\u{d}\\u{9b}e"
        );
        let json = safe_json(&serde_json::to_string(&nasty).unwrap());
        assert!(!json.contains('\u{202e}') && !json.contains('\x1b'));
        let back: String = serde_json::from_str(json.trim_end()).unwrap();
        assert_eq!(back, nasty);
        let tag = safe_json(&serde_json::to_string("\u{e0041}").unwrap());
        assert_eq!(tag.trim_end(), "\"\\udb40\\udc41\"");
    }
}
