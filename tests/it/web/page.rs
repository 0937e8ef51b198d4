//! The page holds every fact of the resume, word for word, and its metadata is right and escaped.

use resume_ssh::export::plain;
use serde_json::Value;

use super::http::get;
use super::server::{WebServer, web_limits};
use crate::common::{shipped, shipped_text};

/// The text a reader sees in `<body>`: tags dropped, entities decoded, whitespace collapsed.
fn body_text(html: &str) -> String {
    let body = &html[html.find("<body").expect("<body")..];
    let mut text = String::new();
    let mut in_tag = false;
    for c in body.chars() {
        match c {
            '<' => {
                in_tag = true;
                text.push(' ');
            }
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    let text = text
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    collapse(&text)
}

fn collapse(s: &str) -> String {
    s.replace('\u{a0}', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Every string in `v`.
fn strings(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => out.push(s.clone()),
        Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
        Value::Object(o) => o.values().for_each(|x| strings(x, out)),
        _ => {}
    }
}

#[tokio::test]
async fn the_page_has_every_fact_of_the_plain_export() {
    let s = WebServer::start().await;
    let html = get(s.addr, "/", &[]).await.text();
    let page = body_text(&html);
    let resume = shipped();
    // Every line of `export plain` (without its Markdown-style heading marks and bullets).
    let plain_text = plain::render(&resume, plain::MAX_WIDTH);
    let mut checked = 0;
    for line in plain_text.lines() {
        let line = line
            .trim()
            .trim_start_matches('#')
            .trim_start_matches("- ")
            .trim();
        for piece in line.split(", ").map(collapse).filter(|p| !p.is_empty()) {
            assert!(page.contains(&piece), "not on the page: {piece:?}");
            checked += 1;
        }
    }
    // Every string field of resume.toml that the plain export shows is on the page whole.
    let plain_flat = collapse(&plain_text);
    let mut fields = Vec::new();
    strings(
        &serde_json::to_value(&*resume).expect("resume as JSON"),
        &mut fields,
    );
    let mut whole = 0;
    for f in fields.iter().map(|f| collapse(f)) {
        if !f.is_empty() && plain_flat.contains(&f) {
            assert!(page.contains(&f), "field not on the page: {f:?}");
            whole += 1;
        }
    }
    assert!(
        checked > 100 && whole > 50,
        "{checked} lines, {whole} fields"
    );
}

#[tokio::test]
async fn head_metadata_and_json_ld() {
    let s = WebServer::start().await;
    let html = get(s.addr, "/", &[("host", "resume.example.com")])
        .await
        .text();
    let resume = shipped();
    let name = resume.basics.name.to_string();
    assert!(html.starts_with("<!doctype html>\n<html lang=\"en\">"));
    assert!(html.contains(&format!("<title>{name} — ")));
    assert!(html.contains("<meta name=\"description\" content=\""));
    assert!(html.contains("<meta property=\"og:title\""));
    assert!(html.contains("<meta name=\"twitter:card\" content=\"summary_large_image\">"));
    assert!(html.contains("content=\"http://resume.example.com/og.png\""));
    assert!(!html.contains("style=\""), "no inline style");
    assert!(!html.contains("<script>"), "no inline script");
    // The ssh command from the Host, with the SSH port.
    assert!(html.contains("<code id=\"ssh-cmd\">ssh -p 2222 resume.example.com</code>"));
    let start = html
        .find("<script type=\"application/ld+json\">")
        .expect("JSON-LD")
        + 35;
    let end = start + html[start..].find("</script>").expect("end of JSON-LD");
    let ld: Value = serde_json::from_str(&html[start..end]).expect("JSON-LD parses");
    assert_eq!(ld["@type"], "Person");
    assert_eq!(ld["@context"], "https://schema.org");
    assert_eq!(ld["name"], name.as_str());
    assert_eq!(
        ld["email"],
        format!("mailto:{}", resume.basics.email.as_str())
    );
}

#[tokio::test]
async fn markup_in_the_resume_is_escaped() {
    let evil = "Eve </script><script>alert(1)</script> & \"co\"";
    let text = shipped_text().replacen("Arunav Malhotra", &evil.replace('"', "\\\""), 1);
    let resume = resume_ssh::resume::Resume::parse(&text, std::path::Path::new("r.toml"))
        .expect("a resume with markup in its name");
    let s = WebServer::with(resume, web_limits()).await;
    // A Host that is not a host name is not reflected.
    let html = get(s.addr, "/", &[("host", "x\"><b>")]).await.text();
    assert!(!html.contains("<script>alert"), "raw markup on the page");
    assert!(!html.contains("\"><b>"), "raw Host on the page");
    assert!(
        html.contains(
            "Eve &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;co&quot;"
        )
    );
    assert!(body_text(&html).contains(evil));
    let start = html
        .find("<script type=\"application/ld+json\">")
        .expect("JSON-LD")
        + 35;
    let end = start + html[start..].find("</script>").expect("end of JSON-LD");
    let ld: Value = serde_json::from_str(&html[start..end]).expect("JSON-LD parses");
    assert_eq!(ld["name"], evil);
}
