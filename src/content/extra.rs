//! Blocks for the parts of a resume beyond the original six sections (education, volunteering,
//! awards, certificates, publications, languages, interests, references, and a role's location
//! and summary). Each appears only when the resume has it, so a resume without them shows
//! exactly what it showed before these parts existed.

use super::{Block, SectionId};
use crate::resume::{Date, Resume, SkillGroup, Work};

/// Appends the extra parts that belong at the end of section `id`.
pub fn append(resume: &Resume, id: SectionId, out: &mut Vec<Block>) {
    match id {
        SectionId::Experience => {
            education(resume, out);
            volunteer(resume, out);
        }
        SectionId::Initiatives => {
            awards(resume, out);
            publications(resume, out);
        }
        SectionId::Skills => {
            certificates(resume, out);
            languages(resume, out);
            interests(resume, out);
        }
        SectionId::CaseStudies => portfolio(resume, out),
        SectionId::Contact => {
            if let Some(phone) = &resume.basics.phone {
                out.push(Block::Meta(format!("Phone: {phone}")));
            }
            references(resume, out);
        }
        SectionId::About => {}
    }
}

/// A role's employer description, location and summary, shown under its dates (nothing when it
/// has none of them).
pub fn role(w: &Work, out: &mut Vec<Block>) {
    if let Some(d) = &w.description {
        out.push(Block::Meta(d.to_string()));
    }
    if let Some(l) = &w.location {
        out.push(Block::Meta(l.to_string()));
    }
    if let Some(s) = &w.summary {
        out.push(Block::Para(s.to_string()));
    }
}

/// A skill's level, under its name (nothing when it has none).
pub fn skill(s: &SkillGroup, out: &mut Vec<Block>) {
    if let Some(l) = &s.level {
        out.push(Block::Meta(l.to_string()));
    }
}

/// "Jun 2011 - Jan 2014", "2011 - Present", "Jan 2014": whatever of the range is known.
fn range(start: Option<&Date>, end: Option<&Date>) -> Option<String> {
    match (start, end) {
        (Some(s), Some(e)) => Some(format!("{} - {}", s.display(), e.display())),
        (Some(s), None) => Some(format!("{} - Present", s.display())),
        (None, Some(e)) => Some(e.display()),
        (None, None) => None,
    }
}

/// "a · b · c" of the parts that are there, or nothing.
fn joined<'a>(parts: impl IntoIterator<Item = Option<&'a str>>) -> Option<String> {
    let parts: Vec<&str> = parts.into_iter().flatten().collect();
    (!parts.is_empty()).then(|| parts.join(" · "))
}

fn portfolio(r: &Resume, out: &mut Vec<Block>) {
    if r.portfolio.is_empty() {
        return;
    }
    out.push(Block::Heading("Projects".into()));
    for p in &r.portfolio {
        out.push(Block::Subheading(p.name.to_string()));
        let when = range(p.start_date.as_ref(), p.end_date.as_ref());
        let about = joined([p.entity.as_deref(), p.kind.as_deref(), when.as_deref()]);
        if let Some(m) = about {
            out.push(Block::Meta(m));
        }
        if !p.roles.is_empty() {
            let roles: Vec<&str> = p.roles.iter().map(|r| r.as_str()).collect();
            out.push(Block::Meta(roles.join(", ")));
        }
        if let Some(u) = &p.url {
            out.push(Block::Meta(u.to_string()));
        }
        if let Some(d) = &p.description {
            out.push(Block::Para(d.to_string()));
        }
        out.extend(p.highlights.iter().map(|h| Block::Bullet(h.to_string())));
        if !p.keywords.is_empty() {
            out.push(Block::Keywords(
                p.keywords.iter().map(|k| k.to_string()).collect(),
            ));
        }
    }
}

fn education(r: &Resume, out: &mut Vec<Block>) {
    if r.education.is_empty() {
        return;
    }
    out.push(Block::Heading("Education".into()));
    for e in &r.education {
        let degree = joined([e.study_type.as_deref(), e.area.as_deref()]);
        out.push(Block::Subheading(
            degree.unwrap_or_else(|| e.institution.to_string()),
        ));
        if e.study_type.is_some() || e.area.is_some() {
            out.push(Block::Meta(e.institution.to_string()));
        }
        let when = range(e.start_date.as_ref(), e.end_date.as_ref());
        let score = e.score.as_ref().map(|s| format!("Score: {s}"));
        if let Some(m) = joined([when.as_deref(), score.as_deref()]) {
            out.push(Block::Meta(m));
        }
        if let Some(u) = &e.url {
            out.push(Block::Meta(u.to_string()));
        }
        out.extend(e.courses.iter().map(|c| Block::Bullet(c.to_string())));
    }
}

fn volunteer(r: &Resume, out: &mut Vec<Block>) {
    if r.volunteer.is_empty() {
        return;
    }
    out.push(Block::Heading("Volunteering".into()));
    for v in &r.volunteer {
        let title = v.position.as_ref().unwrap_or(&v.organization);
        out.push(Block::Subheading(title.to_string()));
        if v.position.is_some() {
            out.push(Block::Meta(v.organization.to_string()));
        }
        if let Some(m) = range(v.start_date.as_ref(), v.end_date.as_ref()) {
            out.push(Block::Meta(m));
        }
        if let Some(u) = &v.url {
            out.push(Block::Meta(u.to_string()));
        }
        if let Some(s) = &v.summary {
            out.push(Block::Para(s.to_string()));
        }
        out.extend(v.highlights.iter().map(|h| Block::Bullet(h.to_string())));
    }
}

fn awards(r: &Resume, out: &mut Vec<Block>) {
    if r.awards.is_empty() {
        return;
    }
    out.push(Block::Heading("Awards".into()));
    for a in &r.awards {
        out.push(Block::Subheading(a.title.to_string()));
        let date = a.date.as_ref().map(Date::display);
        if let Some(m) = joined([a.awarder.as_deref(), date.as_deref()]) {
            out.push(Block::Meta(m));
        }
        if let Some(s) = &a.summary {
            out.push(Block::Para(s.to_string()));
        }
    }
}

fn publications(r: &Resume, out: &mut Vec<Block>) {
    if r.publications.is_empty() {
        return;
    }
    out.push(Block::Heading("Publications".into()));
    for p in &r.publications {
        out.push(Block::Subheading(p.name.to_string()));
        let date = p.release_date.as_ref().map(Date::display);
        if let Some(m) = joined([p.publisher.as_deref(), date.as_deref()]) {
            out.push(Block::Meta(m));
        }
        if let Some(u) = &p.url {
            out.push(Block::Meta(u.to_string()));
        }
        if let Some(s) = &p.summary {
            out.push(Block::Para(s.to_string()));
        }
    }
}

fn certificates(r: &Resume, out: &mut Vec<Block>) {
    if r.certificates.is_empty() {
        return;
    }
    out.push(Block::Heading("Certificates".into()));
    for c in &r.certificates {
        out.push(Block::Subheading(c.name.to_string()));
        let date = c.date.as_ref().map(Date::display);
        if let Some(m) = joined([c.issuer.as_deref(), date.as_deref()]) {
            out.push(Block::Meta(m));
        }
        if let Some(u) = &c.url {
            out.push(Block::Meta(u.to_string()));
        }
    }
}

fn languages(r: &Resume, out: &mut Vec<Block>) {
    if r.languages.is_empty() {
        return;
    }
    out.push(Block::Heading("Languages".into()));
    for l in &r.languages {
        let line = match &l.fluency {
            Some(f) => format!("{}: {f}", l.language),
            None => l.language.to_string(),
        };
        out.push(Block::Bullet(line));
    }
}

fn interests(r: &Resume, out: &mut Vec<Block>) {
    if r.interests.is_empty() {
        return;
    }
    out.push(Block::Heading("Interests".into()));
    for i in &r.interests {
        out.push(Block::Subheading(i.name.to_string()));
        if !i.keywords.is_empty() {
            out.push(Block::Keywords(
                i.keywords.iter().map(|k| k.to_string()).collect(),
            ));
        }
    }
}

fn references(r: &Resume, out: &mut Vec<Block>) {
    if r.references.is_empty() {
        return;
    }
    out.push(Block::Heading("References".into()));
    for x in &r.references {
        out.push(Block::Para(x.reference.to_string()));
        out.push(Block::Meta(format!("— {}", x.name)));
    }
}
