//! The Markdown export rendered by a CommonMark renderer (pulldown-cmark): every line of the plain
//! export and of the seed is in the rendered text, headings per section, lists, the mailto link.

use crate::common;

use std::process::{Command, Stdio};

use common::*;
use pulldown_cmark::{Event, Parser, Tag, TagEnd, html};
use resume_ssh::content::SectionId;
use resume_ssh::export::{markdown, plain};

fn normalise(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The text a reader sees: HTML rendered by pulldown-cmark, tags dropped, entities decoded.
fn rendered_text(md: &str) -> String {
    let mut html_out = String::new();
    html::push_html(&mut html_out, Parser::new(md));
    let mut text = String::new();
    let mut in_tag = false;
    for c in html_out.chars() {
        match c {
            '<' => {
                in_tag = true;
                text.push(' ');
            }
            '>' => in_tag = false,
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

#[test]
fn every_plain_line_is_in_the_rendered_markdown() {
    let _gate = common::shared_blocking();
    let r = shipped_resume();
    let text = normalise(&rendered_text(&markdown::render(&r)));
    let mut from = 0;
    for line in plain::render(&r, plain::DEFAULT_WIDTH).lines() {
        let l = line.trim_start_matches('#').trim_start();
        let l = normalise(l.strip_prefix("- ").unwrap_or(l));
        if l.is_empty() {
            continue;
        }
        match text[from..].find(&l) {
            Some(i) => from += i + l.len(),
            None => panic!("missing or out of order in the rendered Markdown: {l:?}"),
        }
    }
}

#[test]
fn every_seed_fact_is_in_the_markdown() {
    let _gate = common::shared_blocking();
    let text = normalise(&rendered_text(&markdown::render(&shipped_resume())));
    for line in include_str!("../fixtures/resume-source.txt").lines() {
        let l = normalise(line.trim_start_matches("- →").trim_start_matches("- ▹"));
        if !l.is_empty() {
            assert!(text.contains(&l), "seed line missing: {l}");
        }
    }
}

#[test]
fn structure_headings_lists_and_link() {
    let _gate = common::shared_blocking();
    let md = markdown::render(&shipped_resume());
    let mut h2 = Vec::new();
    let mut items = 0;
    let mut links = Vec::new();
    let mut in_h2 = false;
    for ev in Parser::new(&md) {
        match ev {
            Event::Start(Tag::Heading { level, .. }) => in_h2 = level as u8 == 2,
            Event::End(TagEnd::Heading(_)) => in_h2 = false,
            Event::Text(t) if in_h2 => h2.push(t.to_string()),
            Event::Start(Tag::Item) => items += 1,
            Event::Start(Tag::Link { dest_url, .. }) => links.push(dest_url.to_string()),
            _ => {}
        }
    }
    let titles: Vec<String> = SectionId::ALL
        .iter()
        .map(|s| s.title().to_owned())
        .collect();
    assert_eq!(h2, titles);
    // 12 focus items and 16 achievements.
    assert_eq!(items, 28);
    assert!(
        links
            .iter()
            .all(|l| l == "mailto:arunavmalhotra1998@gmail.com")
    );
    assert_eq!(links.len(), 2);
}

#[test]
fn hostile_text_stays_text() {
    let _gate = common::shared_blocking();
    let toml = shipped_text().replacen(
        "label = \"Backend Platform Engineer\"",
        "label = \"<script>x</script> *bold* [a](javascript:x) # h\"",
        1,
    );
    let r = resume_ssh::resume::Resume::parse(&toml, std::path::Path::new("r.toml")).unwrap();
    let mut html_out = String::new();
    html::push_html(&mut html_out, Parser::new(&markdown::render(&r)));
    assert!(!html_out.contains("<script>"), "{html_out}");
    assert!(!html_out.contains("<em>bold"), "{html_out}");
    assert!(!html_out.contains("href=\"javascript"), "{html_out}");
    assert!(
        rendered_text(&markdown::render(&r))
            .contains("<script>x</script> *bold* [a](javascript:x) # h")
    );
}

#[tokio::test]
async fn markdown_over_ssh_matches_the_export() {
    let _gate = common::shared().await;
    let server = TestServer::start().await;
    let client = server.connect().await;
    let out = client.exec("md").await;
    assert_eq!(out.exit, Some(0));
    let local = Command::new(env!("CARGO_BIN_EXE_resume-ssh"))
        .args(["export", "markdown", "--resume", RESUME_PATH])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(local.status.success());
    assert_eq!(out.text(), String::from_utf8(local.stdout).unwrap());
    assert_eq!(client.exec("markdown").await.text(), out.text());
}

proptest::proptest! {
    /// Whatever resume.toml says, escaped text renders as exactly that text: no emphasis, code,
    /// link, heading, list, quote, HTML or entity can come out of it.
    #[test]
    fn escaped_text_renders_as_itself(
        s in "(~~~|```|---|\\*\\*\\*|___|#|>|1\\.|1\\)|    |<a>|&amp;)?[a-zA-Z0-9 &#;<>*_`\\\\\\[\\]()!~|+=.:-]{1,40}"
    ) {
        let _gate = common::shared_blocking();
        // resume.toml refuses text that is only white space (a `Text` must have a word).
        proptest::prop_assume!(!s.trim().is_empty());
        let md = format!("- {}\n\n{}\n", markdown::escape(&s), markdown::escape(&s));
        let mut text = String::new();
        let mut blocks = 0;
        for ev in Parser::new(&md) {
            match ev {
                Event::Text(t) => text.push_str(&t),
                Event::Start(Tag::Paragraph | Tag::Item) => {
                    blocks += 1;
                    text.push(' ');
                }
                Event::Start(t) if !matches!(t, Tag::List(_)) => {
                    proptest::prop_assert!(false, "{t:?} from {md:?}")
                }
                Event::Html(h) | Event::InlineHtml(h) => proptest::prop_assert!(false, "HTML {h:?}"),
                Event::Code(c) => proptest::prop_assert!(false, "code {c:?}"),
                _ => {}
            }
        }
        proptest::prop_assert_eq!(blocks, 2, "{:?}", md);
        let want = normalise(&format!("{s} {s}"));
        proptest::prop_assert_eq!(normalise(&text), want, "{:?}", md);
    }
}
