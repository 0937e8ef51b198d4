//! The text of the resume's optional parts (phone, a role's description, location and summary,
//! skill levels, portfolio projects, education ... references), with field paths, for the PDF's font check.

use crate::resume::{Resume, Text};

/// Appends every optional piece of text the PDF sets, as (resume.toml path, text).
pub fn push<'a>(r: &'a Resume, v: &mut Vec<(String, &'a str)>) {
    let mut one = |path: String, t: Option<&'a Text>| {
        if let Some(t) = t {
            v.push((path, t.as_str()));
        }
    };
    one("basics.phone".into(), r.basics.phone.as_ref());
    for (i, w) in r.work.iter().enumerate() {
        one(format!("work[{i}].description"), w.description.as_ref());
        one(format!("work[{i}].location"), w.location.as_ref());
        one(format!("work[{i}].summary"), w.summary.as_ref());
    }
    for (i, s) in r.skills.iter().enumerate() {
        one(format!("skills[{i}].level"), s.level.as_ref());
    }
    for (i, p) in r.portfolio.iter().enumerate() {
        let f = |n: &str| format!("portfolio[{i}].{n}");
        one(f("name"), Some(&p.name));
        one(f("description"), p.description.as_ref());
        one(f("entity"), p.entity.as_ref());
        one(f("type"), p.kind.as_ref());
        for (k, t) in p.highlights.iter().enumerate() {
            one(f(&format!("highlights[{k}]")), Some(t));
        }
        for (k, t) in p.keywords.iter().enumerate() {
            one(f(&format!("keywords[{k}]")), Some(t));
        }
        for (k, t) in p.roles.iter().enumerate() {
            one(f(&format!("roles[{k}]")), Some(t));
        }
    }
    for (i, e) in r.education.iter().enumerate() {
        let f = |n: &str| format!("education[{i}].{n}");
        one(f("institution"), Some(&e.institution));
        one(f("area"), e.area.as_ref());
        one(f("studyType"), e.study_type.as_ref());
        one(f("score"), e.score.as_ref());
        for (k, c) in e.courses.iter().enumerate() {
            one(f(&format!("courses[{k}]")), Some(c));
        }
    }
    for (i, x) in r.volunteer.iter().enumerate() {
        let f = |n: &str| format!("volunteer[{i}].{n}");
        one(f("organization"), Some(&x.organization));
        one(f("position"), x.position.as_ref());
        one(f("summary"), x.summary.as_ref());
        for (k, h) in x.highlights.iter().enumerate() {
            one(f(&format!("highlights[{k}]")), Some(h));
        }
    }
    for (i, a) in r.awards.iter().enumerate() {
        one(format!("awards[{i}].title"), Some(&a.title));
        one(format!("awards[{i}].awarder"), a.awarder.as_ref());
        one(format!("awards[{i}].summary"), a.summary.as_ref());
    }
    for (i, c) in r.certificates.iter().enumerate() {
        one(format!("certificates[{i}].name"), Some(&c.name));
        one(format!("certificates[{i}].issuer"), c.issuer.as_ref());
    }
    for (i, p) in r.publications.iter().enumerate() {
        one(format!("publications[{i}].name"), Some(&p.name));
        one(format!("publications[{i}].publisher"), p.publisher.as_ref());
        one(format!("publications[{i}].summary"), p.summary.as_ref());
    }
    for (i, l) in r.languages.iter().enumerate() {
        one(format!("languages[{i}].language"), Some(&l.language));
        one(format!("languages[{i}].fluency"), l.fluency.as_ref());
    }
    for (i, x) in r.interests.iter().enumerate() {
        one(format!("interests[{i}].name"), Some(&x.name));
        for (k, kw) in x.keywords.iter().enumerate() {
            one(format!("interests[{i}].keywords[{k}]"), Some(kw));
        }
    }
    for (i, x) in r.references.iter().enumerate() {
        one(format!("references[{i}].name"), Some(&x.name));
        one(format!("references[{i}].reference"), Some(&x.reference));
    }
}
