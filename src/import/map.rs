//! JSON Resume → resume.toml, for `basics`, `work`, `projects` (case studies, or `[[portfolio]]`
//! for the schema's plain kind), `skills`, `meta` and the keys
//! resume-ssh's own export adds (`basics.tagline`, `work[].duration`, the case-study fields of
//! `projects`, `about`, `initiatives`, `competencies`, `contact`). The result is a JSON value of
//! resume.toml's shape, which the model's own validation then reads.

use serde_json::{Map, Value, json};

use super::FieldError;
use super::derive;
use super::fields::{Fields, child, index, one_paragraph};
use super::notes::Notes;
use super::paths::PathMap;
use super::sections;

type Out = Map<String, Value>;

fn put(out: &mut Out, key: &str, v: Option<String>) {
    if let Some(v) = v {
        out.insert(key.to_owned(), Value::String(v));
    }
}

fn put_list(out: &mut Out, key: &str, v: Vec<Value>) {
    if !v.is_empty() {
        out.insert(key.to_owned(), Value::Array(v));
    }
}

/// Removes every empty (or blank) string, noting it: JSON Resume templates are full of `""`,
/// which says nothing, and resume.toml has no empty text.
pub fn drop_empty_strings(v: &mut Value, path: &str, notes: &mut Notes) {
    match v {
        Value::Object(m) => {
            m.retain(|k, v| {
                let p = child(path, k);
                if v.as_str().is_some_and(|s| s.trim().is_empty()) {
                    notes.not_carried(&p, Some("empty"));
                    return false;
                }
                drop_empty_strings(v, &p, notes);
                true
            });
        }
        Value::Array(items) => {
            let mut i = 0;
            items.retain_mut(|v| {
                let p = index(path, i);
                i += 1;
                if v.as_str().is_some_and(|s| s.trim().is_empty()) {
                    notes.not_carried(&p, Some("empty"));
                    return false;
                }
                drop_empty_strings(v, &p, notes);
                true
            });
        }
        _ => {}
    }
}

/// The whole document, and where its paths moved.
pub fn document(doc: Value, notes: &mut Notes) -> Result<(Value, PathMap), FieldError> {
    let mut paths = PathMap::default();
    paths.add("about.focus_title", "about.focusTitle");
    paths.add("contact.email_lead", "contact.emailLead");
    let mut d = Fields::new(String::new(), doc)?;
    let mut out = Out::new();
    let work = d.list("work")?;
    let first_position = work
        .first()
        .and_then(|w| w.get("position"))
        .and_then(Value::as_str)
        .map(|s| one_paragraph(s).0);
    let basics = d.take("basics").unwrap_or_else(|| json!({}));
    let about = d.take("about");
    let (basics, extra_paragraphs) = self::basics(basics, first_position, about.is_none(), notes)?;
    out.insert("basics".into(), basics);
    let (about, focus) = self::about(about, extra_paragraphs, notes)?;
    out.insert("about".into(), about);
    // The export writes the focus lists under `about`; resume.toml has them at the top.
    paths.add("focus", "about.focus");
    put_list(&mut out, "focus", focus);
    let mut works = Vec::new();
    for (i, w) in work.into_iter().enumerate() {
        works.push(self::work(Fields::new(index("work", i), w)?, notes)?);
    }
    put_list(&mut out, "work", works);
    let (mut projects, mut portfolio) = (Vec::new(), Vec::new());
    for (i, p) in d.list("projects")?.into_iter().enumerate() {
        let p = Fields::new(index("projects", i), p)?;
        if p.has("challenge") || p.has("solution") || p.has("impact") {
            paths.add(index("projects", projects.len()), index("projects", i));
            projects.push(case_study(p, notes)?);
        } else {
            paths.add(index("portfolio", portfolio.len()), index("projects", i));
            portfolio.push(sections::portfolio(p, notes)?);
        }
    }
    put_list(&mut out, "projects", projects);
    put_list(&mut out, "portfolio", portfolio);
    for key in ["initiatives", "competencies"] {
        let mut list = Vec::new();
        for (i, v) in d.list(key)?.into_iter().enumerate() {
            let mut f = Fields::new(index(key, i), v)?;
            let mut o = Out::new();
            put(&mut o, "name", Some(f.need_text("name", notes)?));
            put(
                &mut o,
                "description",
                Some(f.need_text("description", notes)?),
            );
            f.finish(notes);
            list.push(Value::Object(o));
        }
        put_list(&mut out, key, list);
    }
    let mut skills = Vec::new();
    for (i, v) in d.list("skills")?.into_iter().enumerate() {
        let mut f = Fields::new(index("skills", i), v)?;
        let mut o = Out::new();
        put(&mut o, "name", Some(f.need_text("name", notes)?));
        put(&mut o, "level", f.text("level", notes)?);
        put_list(&mut o, "keywords", strings(f.texts("keywords", notes)?));
        f.finish(notes);
        skills.push(Value::Object(o));
    }
    put_list(&mut out, "skills", skills);
    sections::all(&mut d, &mut out, notes)?;
    out.insert("contact".into(), contact(d.take("contact"), notes)?);
    if let Some(meta) = d.take("meta") {
        let mut m = Fields::new("meta".into(), meta)?;
        // The schema version is the export's to write, not a fact of the resume.
        m.take("version");
        m.finish(notes);
    }
    d.finish(notes);
    Ok((Value::Object(out), paths))
}

fn strings(v: Vec<String>) -> Vec<Value> {
    v.into_iter().map(Value::String).collect()
}

/// `basics`, and any paragraphs split off its summary.
fn basics(
    v: Value,
    first_position: Option<String>,
    split_summary: bool,
    notes: &mut Notes,
) -> Result<(Value, Vec<String>), FieldError> {
    let mut b = Fields::new("basics".into(), v)?;
    let mut out = Out::new();
    put(&mut out, "name", Some(b.need_text("name", notes)?));
    let label = match b.text("label", notes)? {
        Some(l) => l,
        None => {
            let l = first_position.ok_or_else(|| {
                FieldError::new(
                    "basics.label",
                    "missing, and there is no work[0].position to use",
                )
            })?;
            notes.derived("basics.label", "missing; used work[0].position");
            l
        }
    };
    put(&mut out, "label", Some(label));
    // The summary: split at blank lines before it is made one paragraph.
    let raw = match b.take("summary") {
        Some(Value::String(s)) => s,
        Some(_) | None => {
            return Err(FieldError::new(
                "basics.summary",
                "missing; resume.toml needs it (the paragraph under your name)",
            ));
        }
    };
    let mut paras = derive::paragraphs(&raw);
    let mut extra = Vec::new();
    if split_summary && paras.len() > 1 {
        extra = paras
            .split_off(1)
            .iter()
            .map(|p| one_paragraph(p).0)
            .collect();
        notes.derived(
            "basics.summary",
            format!(
                "first paragraph kept as the summary, the other {} became about.paragraphs",
                extra.len()
            ),
        );
    }
    let (summary, joined) = one_paragraph(&paras.join("\n"));
    if joined {
        notes.derived("basics.summary", "line breaks joined (one paragraph)");
    }
    let tagline = match b.text("tagline", notes)? {
        Some(t) => t,
        None => {
            notes.derived(
                "basics.tagline",
                "not in JSON Resume; used the first sentence of basics.summary",
            );
            derive::tagline(&summary)
        }
    };
    put(&mut out, "tagline", Some(tagline));
    put(&mut out, "summary", Some(summary));
    put(&mut out, "email", Some(b.need_text("email", notes)?));
    put(&mut out, "phone", b.text("phone", notes)?);
    put(&mut out, "url", b.text("url", notes)?);
    if let Some(loc) = b.take("location") {
        put(&mut out, "location", location(loc, notes)?);
    }
    let mut profiles = Vec::new();
    for (i, p) in b.list("profiles")?.into_iter().enumerate() {
        let mut f = Fields::new(index("basics.profiles", i), p)?;
        let network = f.text("network", notes)?;
        let username = f.text("username", notes)?;
        let url = f.text("url", notes)?;
        match (network, url) {
            (Some(network), Some(url)) => {
                let mut o = Out::new();
                put(&mut o, "network", Some(network));
                put(&mut o, "username", username);
                put(&mut o, "url", Some(url));
                profiles.push(Value::Object(o));
                f.finish(notes);
            }
            _ => notes.not_carried(&f.path, Some("a profile needs a network and a url")),
        }
    }
    put_list(&mut out, "profiles", profiles);
    b.finish(notes);
    Ok((Value::Object(out), extra))
}

/// JSON Resume's location object as resume.toml's one line.
fn location(v: Value, notes: &mut Notes) -> Result<Option<String>, FieldError> {
    let mut l = Fields::new("basics.location".into(), v)?;
    let mut parts = Vec::new();
    for key in ["address", "city", "region", "postalCode", "countryCode"] {
        if let Some(p) = l.text(key, notes)? {
            parts.push(p);
        }
    }
    if parts.len() > 1 {
        notes.derived(
            "basics.location",
            "its parts joined into one line (resume.toml keeps the location as text)",
        );
    }
    l.finish(notes);
    Ok((!parts.is_empty()).then(|| parts.join(", ")))
}

/// `about` (resume-ssh's extension) and the focus lists in it.
fn about(
    v: Option<Value>,
    extra: Vec<String>,
    notes: &mut Notes,
) -> Result<(Value, Vec<Value>), FieldError> {
    let mut out = Out::new();
    let Some(v) = v else {
        put_list(&mut out, "paragraphs", strings(extra));
        return Ok((Value::Object(out), Vec::new()));
    };
    let mut a = Fields::new("about".into(), v)?;
    put_list(
        &mut out,
        "paragraphs",
        strings(a.texts("paragraphs", notes)?),
    );
    put(&mut out, "focus_title", a.text("focusTitle", notes)?);
    let mut focus = Vec::new();
    for (i, g) in a.list("focus")?.into_iter().enumerate() {
        let mut f = Fields::new(index("about.focus", i), g)?;
        let mut o = Out::new();
        put(&mut o, "name", Some(f.need_text("name", notes)?));
        o.insert(
            "items".into(),
            Value::Array(strings(f.texts("items", notes)?)),
        );
        f.finish(notes);
        focus.push(Value::Object(o));
    }
    a.finish(notes);
    Ok((Value::Object(out), focus))
}

fn work(mut w: Fields, notes: &mut Notes) -> Result<Value, FieldError> {
    let mut o = Out::new();
    put(&mut o, "position", Some(w.need_text("position", notes)?));
    put(&mut o, "name", Some(w.need_text("name", notes)?));
    put(&mut o, "startDate", Some(w.need_text("startDate", notes)?));
    put(&mut o, "endDate", w.text("endDate", notes)?);
    put(&mut o, "duration", w.text("duration", notes)?);
    put(&mut o, "url", w.text("url", notes)?);
    put(&mut o, "description", w.text("description", notes)?);
    put(&mut o, "location", w.text("location", notes)?);
    put(&mut o, "summary", w.text("summary", notes)?);
    put_list(&mut o, "highlights", strings(w.texts("highlights", notes)?));
    w.finish(notes);
    Ok(Value::Object(o))
}

/// A project that is one of resume-ssh's case studies (it has `challenge`, `solution` and
/// `impact`, all three required then).
fn case_study(mut p: Fields, notes: &mut Notes) -> Result<Value, FieldError> {
    let mut o = Out::new();
    let name = p.need_text("name", notes)?;
    let challenge = p.need_text("challenge", notes)?;
    let solution = p.need_text("solution", notes)?;
    let impact = p.take("impact").ok_or_else(|| {
        FieldError::new(
            p.child("impact"),
            "missing; a case study needs challenge, solution and impact",
        )
    })?;
    let mut i = Fields::new(p.child("impact"), impact)?;
    let figure = i.need_text("figure", notes)?;
    let label = i.need_text("label", notes)?;
    let detail = i.need_text("detail", notes)?;
    i.finish(notes);
    // The export repeats the case study in the schema's own fields, for themes that know only
    // those; they are dropped silently when they say just that.
    let line = crate::export::json::impact_line_of(&figure, &label, &detail);
    if p.take("description").as_ref().and_then(Value::as_str) != Some(challenge.as_str()) {
        notes.not_carried(&p.child("description"), Some("it differs from challenge"));
    }
    let expect = json!([solution, line]);
    if let Some(h) = p.take("highlights")
        && h != expect
    {
        notes.not_carried(
            &p.child("highlights"),
            Some("they differ from solution and impact"),
        );
    }
    put(&mut o, "name", Some(name));
    put(&mut o, "challenge", Some(challenge));
    put(&mut o, "solution", Some(solution));
    o.insert(
        "impact".into(),
        json!({"figure": figure, "label": label, "detail": detail}),
    );
    p.finish(notes);
    Ok(Value::Object(o))
}

fn contact(v: Option<Value>, notes: &mut Notes) -> Result<Value, FieldError> {
    let keys = [
        ("heading", "heading"),
        ("title", "title"),
        ("message", "message"),
        ("emailLead", "email_lead"),
    ];
    let mut out = Out::new();
    let Some(v) = v else {
        notes.derived(
            "contact",
            "JSON Resume has no closing call to action; wrote neutral words (edit [contact])",
        );
        for ((_, key), text) in keys.iter().zip(derive::DEFAULT_CONTACT) {
            put(&mut out, key, Some(text.to_owned()));
        }
        return Ok(Value::Object(out));
    };
    let mut c = Fields::new("contact".into(), v)?;
    for (json_key, key) in keys {
        put(&mut out, key, Some(c.need_text(json_key, notes)?));
    }
    c.finish(notes);
    Ok(Value::Object(out))
}
