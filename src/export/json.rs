//! The resume as a JSON Resume document (schema 1.3.1), pretty-printed, for tools that read résumés.
//!
//! The standard sections carry what JSON Resume has a field for: `basics`, `work`, `projects`
//! (the case studies) and `skills`. Everything the schema has no field for is still exported, under
//! extra keys the schema allows (every object in it has `additionalProperties: true`):
//!
//! - `basics.tagline`; `work[].duration`;
//! - `projects[].challenge`, `projects[].solution` and `projects[].impact` (`figure`, `label`,
//!   `detail`). So that themes which know only the schema still show the whole case study,
//!   `description` is also the challenge and `highlights` are the solution and the impact line;
//! - top-level `about` (`paragraphs`, `focusTitle`, `focus[]` of `name` and `items`),
//!   `initiatives[]` and `competencies[]` (`name`, `description`), and `contact` (`heading`,
//!   `title`, `message`, `emailLead`).
//!
//! JSON Resume's other sections (`education`, `volunteer`, `awards`, `certificates`,
//! `publications`, `languages`, `interests`, `references`), `basics.phone`, `work[].location`,
//! `work[].description`, `work[].summary`, `skills[].level` and the `[[portfolio]]` projects
//! (after the case studies, in `projects`) are written under the schema's own names when present.
//!
//! `meta.version` is the schema version the document follows. The free-text location goes in
//! `basics.location.address`. The `[theme]` colours are presentation, not resume facts, and are
//! left out.

use serde::Serialize;

use crate::resume::{
    self, Award, Certificate, Education, Interest, Language, Publication, Reference, Resume,
    Volunteer,
};

/// The version of the JSON Resume schema this export follows (`meta.version`).
pub const SCHEMA_VERSION: &str = "v1.3.1";

/// The whole resume as a pretty-printed JSON Resume document, ending with a newline.
pub fn render(resume: &Resume) -> String {
    match serde_json::to_string_pretty(&Document::from(resume)) {
        Ok(mut json) => {
            json.push('\n');
            json
        }
        // Unreachable in practice: every field is a string, a list or a struct of them, and the
        // writer is in memory. Should it happen, the output is still one JSON value.
        Err(e) => format!(
            "{}\n",
            serde_json::Value::String(format!("cannot serialise the resume: {e}"))
        ),
    }
}

#[derive(Serialize)]
struct Document<'a> {
    basics: Basics<'a>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    work: Vec<Work<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    projects: Vec<AnyProject<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    skills: Vec<Skill<'a>>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    education: &'a [Education],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    volunteer: &'a [Volunteer],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    awards: &'a [Award],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    certificates: &'a [Certificate],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    publications: &'a [Publication],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    languages: &'a [Language],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    interests: &'a [Interest],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    references: &'a [Reference],
    about: About<'a>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    initiatives: Vec<Named<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    competencies: Vec<Named<'a>>,
    contact: Contact<'a>,
    meta: Meta,
}

#[derive(Serialize)]
struct Basics<'a> {
    name: &'a str,
    label: &'a str,
    email: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    phone: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
    summary: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    location: Option<Location<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    profiles: Vec<Profile<'a>>,
    /// Extension.
    tagline: &'a str,
}

#[derive(Serialize)]
struct Location<'a> {
    address: &'a str,
}

#[derive(Serialize)]
struct Profile<'a> {
    network: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    username: Option<&'a str>,
    url: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Work<'a> {
    name: &'a str,
    position: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
    start_date: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_date: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    location: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    summary: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    highlights: Vec<&'a str>,
    /// Extension.
    #[serde(skip_serializing_if = "Option::is_none")]
    duration: Option<&'a str>,
}

/// A case study, or a `[[portfolio]]` project (already in the schema's shape).
#[derive(Serialize)]
#[serde(untagged)]
enum AnyProject<'a> {
    Case(Project<'a>),
    Plain(&'a resume::Project),
}

#[derive(Serialize)]
struct Project<'a> {
    name: &'a str,
    description: &'a str,
    highlights: [String; 2],
    /// Extensions: the case study, field by field.
    challenge: &'a str,
    solution: &'a str,
    impact: Impact<'a>,
}

#[derive(Serialize)]
struct Impact<'a> {
    figure: &'a str,
    label: &'a str,
    detail: &'a str,
}

#[derive(Serialize)]
struct Skill<'a> {
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    level: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    keywords: Vec<&'a str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct About<'a> {
    paragraphs: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    focus_title: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    focus: Vec<Focus<'a>>,
}

#[derive(Serialize)]
struct Focus<'a> {
    name: &'a str,
    items: Vec<&'a str>,
}

#[derive(Serialize)]
struct Named<'a> {
    name: &'a str,
    description: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Contact<'a> {
    heading: &'a str,
    title: &'a str,
    message: &'a str,
    email_lead: &'a str,
}

#[derive(Serialize)]
struct Meta {
    version: &'static str,
}

fn strs(items: &[resume::Text]) -> Vec<&str> {
    items.iter().map(|t| t.as_str()).collect()
}

fn named(items: &[resume::Initiative]) -> Vec<Named<'_>> {
    items
        .iter()
        .map(|i| Named {
            name: &i.name,
            description: &i.description,
        })
        .collect()
}

/// The line a schema-only theme shows for a case study's impact: "99.9% Uptime Sustained: …".
fn impact_line(impact: &resume::Impact) -> String {
    impact_line_of(&impact.figure, &impact.label, &impact.detail)
}

/// [`impact_line`] of the three parts (`import` recognises the line it made).
pub fn impact_line_of(figure: &str, label: &str, detail: &str) -> String {
    format!("{figure} {label}: {detail}")
}

impl<'a> From<&'a Resume> for Document<'a> {
    fn from(r: &'a Resume) -> Self {
        let b = &r.basics;
        Document {
            basics: Basics {
                name: &b.name,
                label: &b.label,
                email: &b.email,
                phone: b.phone.as_deref(),
                url: b.url.as_deref(),
                summary: &b.summary,
                location: b.location.as_deref().map(|address| Location { address }),
                profiles: b
                    .profiles
                    .iter()
                    .map(|p| Profile {
                        network: &p.network,
                        username: p.username.as_deref(),
                        url: &p.url,
                    })
                    .collect(),
                tagline: &b.tagline,
            },
            work: r
                .work
                .iter()
                .map(|w| Work {
                    name: &w.name,
                    position: &w.position,
                    url: w.url.as_deref(),
                    start_date: &w.start_date,
                    end_date: w.end_date.as_deref(),
                    description: w.description.as_deref(),
                    location: w.location.as_deref(),
                    summary: w.summary.as_deref(),
                    highlights: strs(&w.highlights),
                    duration: w.duration.as_deref(),
                })
                .collect(),
            projects: r
                .projects
                .iter()
                .map(|p| {
                    AnyProject::Case(Project {
                        name: &p.name,
                        description: &p.challenge,
                        highlights: [p.solution.to_string(), impact_line(&p.impact)],
                        challenge: &p.challenge,
                        solution: &p.solution,
                        impact: Impact {
                            figure: &p.impact.figure,
                            label: &p.impact.label,
                            detail: &p.impact.detail,
                        },
                    })
                })
                .chain(r.portfolio.iter().map(AnyProject::Plain))
                .collect(),
            skills: r
                .skills
                .iter()
                .map(|s| Skill {
                    name: &s.name,
                    level: s.level.as_deref(),
                    keywords: strs(&s.keywords),
                })
                .collect(),
            education: &r.education,
            volunteer: &r.volunteer,
            awards: &r.awards,
            certificates: &r.certificates,
            publications: &r.publications,
            languages: &r.languages,
            interests: &r.interests,
            references: &r.references,
            about: About {
                paragraphs: strs(&r.about.paragraphs),
                focus_title: r.about.focus_title.as_deref(),
                focus: r
                    .focus
                    .iter()
                    .map(|f| Focus {
                        name: &f.name,
                        items: strs(&f.items),
                    })
                    .collect(),
            },
            initiatives: named(&r.initiatives),
            competencies: named(&r.competencies),
            contact: Contact {
                heading: &r.contact.heading,
                title: &r.contact.title,
                message: &r.contact.message,
                email_lead: &r.contact.email_lead,
            },
            meta: Meta {
                version: SCHEMA_VERSION,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;
    use std::path::Path;

    fn resume() -> Resume {
        Resume::parse(include_str!("../../resume.toml"), Path::new("resume.toml")).unwrap()
    }

    fn parsed(r: &Resume) -> Value {
        let text = render(r);
        assert!(text.ends_with("}\n"));
        serde_json::from_str(&text).unwrap()
    }

    #[test]
    fn standard_fields_have_schema_names() {
        let v = parsed(&resume());
        assert_eq!(v["basics"]["name"], "Arunav Malhotra");
        assert_eq!(v["basics"]["email"], "arunavmalhotra1998@gmail.com");
        assert_eq!(v["work"][0]["startDate"], "2023-10");
        assert!(
            v["work"][0].get("endDate").is_none(),
            "current role has no endDate"
        );
        assert_eq!(v["work"][1]["endDate"], "2023-10");
        assert_eq!(v["projects"][1]["impact"]["figure"], "99.9%");
        assert_eq!(v["meta"]["version"], SCHEMA_VERSION);
        // Absent optional facts are left out rather than written as null.
        assert!(v["basics"].get("url").is_none());
        assert!(v["basics"].get("location").is_none());
        assert!(!render(&resume()).contains("null"));
    }

    #[test]
    fn impact_line_reads_as_a_sentence() {
        let r = resume();
        assert_eq!(
            impact_line(&r.projects[1].impact),
            "99.9% Uptime Sustained: 50+ services migrated with zero customer-facing downtime; \
             80% reduction in manual incident response"
        );
    }

    #[test]
    fn optional_basics_are_exported() {
        let text = include_str!("../../resume.toml").replacen(
            "email = \"arunavmalhotra1998@gmail.com\"\n",
            "email = \"arunavmalhotra1998@gmail.com\"\nurl = \"https://example.com/\"\n\
             location = \"Bengaluru, India\"\n\
             profiles = [{ network = \"GitHub\", username = \"arunav\", url = \"https://github.com/arunav\" }]\n",
            1,
        );
        let r = Resume::parse(&text, Path::new("resume.toml")).unwrap();
        let v = parsed(&r);
        assert_eq!(v["basics"]["url"], "https://example.com/");
        assert_eq!(v["basics"]["location"]["address"], "Bengaluru, India");
        assert_eq!(v["basics"]["profiles"][0]["network"], "GitHub");
        assert_eq!(v["basics"]["profiles"][0]["username"], "arunav");
    }
}
