//! The JSON Resume and vCard exports, checked with independent tools: the JSON against the official
//! JSON Resume 1.3.1 schema (formats on) and the vCard with an RFC 6350 parser.

use std::collections::BTreeSet;
use std::path::Path;

use resume_ssh::export::{json, vcard};
use resume_ssh::resume::Resume;
use serde_json::Value;

const SCHEMA: &str = include_str!("../fixtures/jsonresume-schema-1.3.1.json");

use crate::common::shipped_text;

fn shipped() -> Resume {
    crate::common::shipped_resume()
}

/// The shipped resume with every optional field filled in (URL, location, profiles, a role URL).
fn full() -> Resume {
    let text = shipped_text()
        .replacen(
            "email = \"arunavmalhotra1998@gmail.com\"\n",
            "email = \"arunavmalhotra1998@gmail.com\"\n\
             url = \"https://example.com/arunav\"\n\
             location = \"Bengaluru, India\"\n\
             profiles = [\n\
               { network = \"GitHub\", username = \"arunav\", url = \"https://github.com/arunav\" },\n\
               { network = \"LinkedIn\", url = \"https://www.linkedin.com/in/arunav\" },\n\
             ]\n",
            1,
        )
        .replacen(
            "duration = \"2+ years\"\n",
            "duration = \"2+ years\"\nurl = \"https://example.com/saaslabs\"\n",
            1,
        );
    let r = Resume::parse(&text, Path::new("resume.toml")).unwrap();
    assert!(r.basics.url.is_some() && r.basics.location.is_some());
    assert_eq!(r.basics.profiles.len(), 2);
    assert!(r.work[0].url.is_some());
    r
}

/// The shipped resume with its tagline replaced (TOML basic-string syntax).
fn with_tagline(toml_string: &str) -> Resume {
    let text = shipped_text();
    let start = text.find("tagline = ").unwrap();
    let end = start + text[start..].find('\n').unwrap();
    let text = format!("{}tagline = {toml_string}{}", &text[..start], &text[end..]);
    Resume::parse(&text, Path::new("resume.toml")).unwrap()
}

// ---------------------------------------------------------------------------------------------
// JSON Resume

fn validator() -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(SCHEMA).unwrap();
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap()
}

fn errors(validator: &jsonschema::Validator, doc: &Value) -> Vec<String> {
    validator
        .iter_errors(doc)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

fn json_of(r: &Resume) -> Value {
    let text = json::render(r);
    assert!(text.ends_with("}\n"), "ends with a newline");
    assert!(text.contains("\n  \"basics\": {\n"), "pretty-printed");
    serde_json::from_str(&text).unwrap()
}

#[test]
fn json_validates_against_the_schema() {
    let _gate = crate::common::shared_blocking();
    let v = validator();
    for r in [shipped(), full()] {
        let doc = json_of(&r);
        assert_eq!(errors(&v, &doc), Vec::<String>::new());
    }
}

#[test]
fn schema_check_can_fail() {
    let _gate = crate::common::shared_blocking();
    // The same validator rejects documents that break a format or the date pattern, so the test
    // above is not vacuous (format checks are really on).
    let v = validator();
    let good = json_of(&full());
    type Break = fn(&mut Value);
    let broken: [(&str, Break); 5] = [
        ("email format", |d| {
            d["basics"]["email"] = "not-an-email".into()
        }),
        ("uri format", |d| d["basics"]["url"] = "not a uri".into()),
        ("profile uri", |d| {
            d["basics"]["profiles"][0]["url"] = "::no scheme".into()
        }),
        ("iso8601 pattern", |d| {
            d["work"][0]["startDate"] = "yesterday".into()
        }),
        ("type", |d| d["work"][1]["highlights"] = "one string".into()),
    ];
    for (what, breakit) in broken {
        let mut doc = good.clone();
        breakit(&mut doc);
        assert!(
            !errors(&v, &doc).is_empty(),
            "{what}: broken document passed"
        );
    }
}

fn strings(v: &Value, out: &mut BTreeSet<String>) {
    match v {
        Value::String(s) => {
            out.insert(s.clone());
        }
        Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
        Value::Object(o) => o.values().for_each(|x| strings(x, out)),
        _ => {}
    }
}

/// Every string of the resume (but the theme colours, which are presentation).
fn facts(r: &Resume) -> Vec<String> {
    let mut f: Vec<String> = Vec::new();
    let mut add = |s: &str| f.push(s.to_owned());
    let b = &r.basics;
    for s in [&b.name, &b.label, &b.tagline, &b.summary] {
        add(s);
    }
    add(&b.email);
    b.url.iter().for_each(|u| add(u));
    b.location.iter().for_each(|l| add(l));
    for p in &b.profiles {
        add(&p.network);
        p.username.iter().for_each(|u| add(u));
        add(&p.url);
    }
    r.about.paragraphs.iter().for_each(|p| add(p));
    r.about.focus_title.iter().for_each(|t| add(t));
    for g in &r.focus {
        add(&g.name);
        g.items.iter().for_each(|i| add(i));
    }
    for w in &r.work {
        add(&w.position);
        add(&w.name);
        add(&w.start_date);
        w.end_date.iter().for_each(|d| add(d));
        w.duration.iter().for_each(|d| add(d));
        w.url.iter().for_each(|u| add(u));
        w.highlights.iter().for_each(|h| add(h));
    }
    for p in &r.projects {
        for s in [&p.name, &p.challenge, &p.solution] {
            add(s);
        }
        for s in [&p.impact.figure, &p.impact.label, &p.impact.detail] {
            add(s);
        }
    }
    for i in r.initiatives.iter().chain(&r.competencies) {
        add(&i.name);
        add(&i.description);
    }
    for s in &r.skills {
        add(&s.name);
        s.keywords.iter().for_each(|k| add(k));
    }
    let c = &r.contact;
    for s in [&c.heading, &c.title, &c.message, &c.email_lead] {
        add(s);
    }
    f
}

#[test]
fn json_holds_every_fact_and_nothing_else() {
    let _gate = crate::common::shared_blocking();
    for r in [shipped(), full()] {
        let doc = json_of(&r);
        let mut found = BTreeSet::new();
        strings(&doc, &mut found);
        let facts = facts(&r);
        for fact in &facts {
            assert!(found.contains(fact), "missing from the JSON: {fact}");
        }
        // Whatever else is there is derived: the impact lines and the schema version.
        let mut derived: BTreeSet<String> = r
            .projects
            .iter()
            .map(|p| {
                format!(
                    "{} {}: {}",
                    p.impact.figure, p.impact.label, p.impact.detail
                )
            })
            .collect();
        derived.insert(json::SCHEMA_VERSION.to_owned());
        for s in &found {
            assert!(
                facts.contains(s) || derived.contains(s),
                "not from the resume: {s}"
            );
        }
    }
}

#[test]
fn json_sections_are_where_the_schema_puts_them() {
    let _gate = crate::common::shared_blocking();
    let r = shipped();
    let doc = json_of(&r);
    assert_eq!(doc["work"].as_array().unwrap().len(), r.work.len());
    assert_eq!(doc["projects"].as_array().unwrap().len(), r.projects.len());
    assert_eq!(doc["skills"].as_array().unwrap().len(), r.skills.len());
    assert_eq!(
        doc["initiatives"].as_array().unwrap().len(),
        r.initiatives.len()
    );
    assert_eq!(
        doc["competencies"].as_array().unwrap().len(),
        r.competencies.len()
    );
    for (w, j) in r.work.iter().zip(doc["work"].as_array().unwrap()) {
        assert_eq!(j["startDate"], w.start_date.as_str());
        assert_eq!(
            j.get("endDate").and_then(Value::as_str),
            w.end_date.as_deref()
        );
        let highlights: Vec<&str> = w.highlights.iter().map(|h| h.as_str()).collect();
        assert_eq!(j["highlights"], serde_json::json!(highlights));
    }
    for (p, j) in r.projects.iter().zip(doc["projects"].as_array().unwrap()) {
        assert_eq!(j["name"], p.name.as_str());
        assert_eq!(j["description"], p.challenge.as_str());
        assert_eq!(j["highlights"][0], p.solution.as_str());
        assert_eq!(j["impact"]["figure"], p.impact.figure.as_str());
    }
    assert_eq!(doc["basics"]["summary"], r.basics.summary.as_str());
    assert_eq!(doc["basics"]["tagline"], r.basics.tagline.as_str());
}

// ---------------------------------------------------------------------------------------------
// vCard

fn parse_card(card: &str) -> vcard4::Vcard {
    let mut cards = vcard4::parse(card).unwrap_or_else(|e| panic!("{e}:\n{card}"));
    assert_eq!(cards.len(), 1);
    cards.remove(0)
}

fn assert_lines_ok(card: &str) {
    assert!(card.ends_with("\r\n"));
    for line in card.as_bytes().split_inclusive(|&b| b == b'\n') {
        let line = line
            .strip_suffix(b"\r\n")
            .unwrap_or_else(|| panic!("line without CRLF: {:?}", String::from_utf8_lossy(line)));
        assert!(!line.contains(&b'\r'), "stray CR");
        assert!(
            line.len() <= 75,
            "{} octets: {:?}",
            line.len(),
            String::from_utf8_lossy(line)
        );
        // Each physical line is valid UTF-8 by itself: no character was split by folding.
        assert!(
            std::str::from_utf8(line).is_ok(),
            "split character: {line:?}"
        );
    }
}

#[test]
fn vcard_parses_with_the_expected_properties() {
    let _gate = crate::common::shared_blocking();
    let r = shipped();
    let card = vcard::render(&r);
    assert_lines_ok(&card);
    assert!(card.starts_with("BEGIN:VCARD\r\nVERSION:4.0\r\n"));
    let c = parse_card(&card);
    assert_eq!(c.formatted_name[0].value, "Arunav Malhotra");
    let n = c.name.as_ref().unwrap();
    assert_eq!(n.value, ["Malhotra", "Arunav", "", "", ""]);
    assert_eq!(c.email.len(), 1);
    assert_eq!(c.email[0].value, "arunavmalhotra1998@gmail.com");
    assert_eq!(c.title[0].value, "Backend Platform Engineer");
    assert_eq!(c.org.len(), 1);
    assert_eq!(c.org[0].value, ["SaaS Labs"]);
    // The tagline is longer than a line and has commas: folded and escaped, read back whole.
    assert!(r.basics.tagline.len() > 75 && r.basics.tagline.contains(','));
    assert_eq!(c.note[0].value, r.basics.tagline.as_str());
    assert!(c.url.is_empty());
}

#[test]
fn vcard_has_url_when_the_resume_has_one() {
    let _gate = crate::common::shared_blocking();
    let r = full();
    let card = vcard::render(&r);
    assert_lines_ok(&card);
    let c = parse_card(&card);
    // The home page, then every profile.
    assert!(!r.basics.profiles.is_empty());
    assert_eq!(c.url.len(), 1 + r.basics.profiles.len());
    assert_eq!(c.url[0].value.to_string(), "https://example.com/arunav");
    for (u, p) in c.url[1..].iter().zip(&r.basics.profiles) {
        assert_eq!(u.value.to_string(), p.url.as_str());
    }
}

#[test]
fn vcard_folds_long_multibyte_text_without_splitting_characters() {
    let _gate = crate::common::shared_blocking();
    let tagline =
        "Ingénieur plateforme — systèmes distribués, fiabilité; 分散システム設計と運用 😀🚀 "
            .repeat(6);
    let tagline = tagline.trim_end();
    let r = with_tagline(&format!("\"{tagline}\""));
    let card = vcard::render(&r);
    assert_lines_ok(&card);
    assert!(
        card.matches("\r\n ").count() >= 8,
        "expected many folds:\n{card}"
    );
    let c = parse_card(&card);
    assert_eq!(c.note[0].value, tagline);
}

#[test]
fn vcard_escapes_special_characters() {
    let _gate = crate::common::shared_blocking();
    let r = with_tagline(r#""Back\\slash, comma; semicolon""#);
    assert_eq!(r.basics.tagline.as_str(), r"Back\slash, comma; semicolon");
    let card = vcard::render(&r);
    assert!(
        card.contains("\r\nNOTE:Back\\\\slash\\, comma\\; semicolon\r\n"),
        "{card}"
    );
    let c = parse_card(&card);
    assert_eq!(c.note[0].value, r"Back\slash, comma; semicolon");
}
