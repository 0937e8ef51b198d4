//! The page's `<head>`: title, description, OpenGraph and Twitter-card meta, the hashed assets,
//! and the schema.org `Person` as JSON-LD (a data block: not executed, so the CSP allows it).

use std::fmt::Write as _;

use serde_json::{Value, json};

use super::{Context, esc};
use crate::resume::Resume;

/// Writes `<head>…</head>`.
pub fn render(resume: &Resume, ctx: &Context, out: &mut String) {
    let b = &resume.basics;
    let title = format!("{} — {}", b.name, b.label);
    let desc = b.tagline.to_string();
    let _ = write!(
        out,
        "<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{t}</title>\n<meta name=\"description\" content=\"{d}\">\n\
         <meta name=\"color-scheme\" content=\"light dark\">\n\
         <link rel=\"stylesheet\" href=\"{css}\">\n<script src=\"{js}\" defer></script>\n\
         <link rel=\"icon\" href=\"{icon}\" type=\"image/svg+xml\">\n\
         <link rel=\"canonical\" href=\"{o}/\">\n\
         <meta property=\"og:type\" content=\"profile\">\n\
         <meta property=\"og:title\" content=\"{t}\">\n\
         <meta property=\"og:description\" content=\"{d}\">\n\
         <meta property=\"og:url\" content=\"{o}/\">\n\
         <meta name=\"twitter:title\" content=\"{t}\">\n\
         <meta name=\"twitter:description\" content=\"{d}\">\n",
        t = esc(&title),
        d = esc(&desc),
        o = esc(&ctx.origin),
        css = super::assets::CSS.path,
        js = super::assets::JS.path,
        icon = super::assets::ICON.path,
    );
    if ctx.og_image {
        let _ = write!(
            out,
            "<meta property=\"og:image\" content=\"{o}/og.png\">\n\
             <meta property=\"og:image:type\" content=\"image/png\">\n\
             <meta property=\"og:image:alt\" content=\"The resume of {n} in a terminal\">\n\
             <meta name=\"twitter:card\" content=\"summary_large_image\">\n\
             <meta name=\"twitter:image\" content=\"{o}/og.png\">\n",
            o = esc(&ctx.origin),
            n = esc(&b.name),
        );
    } else {
        out.push_str("<meta name=\"twitter:card\" content=\"summary\">\n");
    }
    let _ = write!(
        out,
        "<script type=\"application/ld+json\">{}</script>\n</head>\n",
        script_safe(&person(resume, ctx).to_string())
    );
}

/// The schema.org `Person` of the resume.
pub fn person(resume: &Resume, ctx: &Context) -> Value {
    let b = &resume.basics;
    let mut p = json!({
        "@context": "https://schema.org",
        "@type": "Person",
        "name": b.name.to_string(),
        "jobTitle": b.label.to_string(),
        "description": b.tagline.to_string(),
        "email": format!("mailto:{}", b.email.as_str()),
        "url": b.url.as_ref().map_or_else(|| format!("{}/", ctx.origin), |u| u.to_string()),
    });
    let same_as: Vec<String> = b.profiles.iter().map(|p| p.url.to_string()).collect();
    if !same_as.is_empty() {
        p["sameAs"] = json!(same_as);
    }
    if let Some(loc) = &b.location {
        p["address"] = json!({"@type": "PostalAddress", "addressLocality": loc.to_string()});
    }
    if let Some(w) = resume.work.iter().find(|w| w.end_date.is_none()) {
        p["worksFor"] = json!({"@type": "Organization", "name": w.name.to_string()});
    }
    let skills: Vec<String> = resume
        .skills
        .iter()
        .flat_map(|s| s.keywords.iter().map(|k| k.to_string()))
        .collect();
    if !skills.is_empty() {
        p["knowsAbout"] = json!(skills);
    }
    p
}

/// JSON that cannot end its `<script>` element or open a comment: `<`, `>` and `&` as `\u` escapes
/// (still the same JSON).
pub fn script_safe(json: &str) -> String {
    json.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_safe_json_stays_json() {
        let v = json!({"name": "</script><!-- & x"});
        let safe = script_safe(&v.to_string());
        assert!(!safe.contains('<') && !safe.contains('>') && !safe.contains('&'));
        let back: Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(back, v);
    }
}
