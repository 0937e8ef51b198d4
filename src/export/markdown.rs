//! The resume as CommonMark: a heading per section, lists for achievements, the e-mail as a link.
//!
//! Same blocks and order as the plain export ([`content::section`]); text is escaped so that
//! nothing in resume.toml can turn into Markdown syntax.

use crate::content::{self, Block, SectionId};
use crate::resume::Resume;

/// The whole resume. Ends with a newline.
pub fn render(resume: &Resume) -> String {
    let [name, label, tagline] = content::header(resume);
    let email = resume.basics.email.as_str();
    let mut out = format!(
        "# {}\n\n**{}**\n\n{}\n\n{}\n",
        escape(&name),
        escape(&label),
        escape(&tagline),
        link(email)
    );
    for id in SectionId::ALL {
        out.push_str(&format!("\n## {}\n", escape(id.title())));
        let blocks = content::section(resume, id);
        let mut prev: Option<&Block> = None;
        for block in &blocks {
            // List items stay in one list; consecutive facts in one paragraph.
            let joins = matches!(
                (prev, block),
                (Some(Block::Bullet(_)), Block::Bullet(_)) | (Some(Block::Meta(_)), Block::Meta(_))
            );
            if !joins {
                out.push('\n');
            }
            match block {
                Block::Heading(t) => out.push_str(&format!("### {}\n", escape(t))),
                Block::Subheading(t) => out.push_str(&format!("#### {}\n", escape(t))),
                Block::Meta(t) => {
                    // Consecutive facts (company, dates) as one paragraph, one per line.
                    if joins && out.ends_with('\n') {
                        out.pop();
                        out.push_str("\\\n");
                    }
                    out.push_str(&format!("*{}*\n", escape(t)));
                }
                Block::Para(t) => out.push_str(&format!("{}\n", escape(t))),
                Block::Bullet(t) => out.push_str(&format!("- {}\n", escape(t))),
                Block::Figure { value, label } => {
                    out.push_str(&format!("**{}** {}\n", escape(value), escape(label)));
                }
                Block::Keywords(items) => {
                    let items: Vec<String> = items.iter().map(|k| escape(k)).collect();
                    out.push_str(&format!("{}\n", items.join(", ")));
                }
                Block::Email { lead, address } => {
                    out.push_str(&format!("{} {}\n", escape(lead), link(address)));
                }
            }
            prev = Some(block);
        }
    }
    out
}

/// An e-mail address as a `mailto:` link whose text is the address.
fn link(address: &str) -> String {
    format!(
        "[{}](mailto:{})",
        escape(address),
        address.replace(['(', ')', ' '], "")
    )
}

/// Backslash-escapes what could turn text into Markdown: emphasis, code, links, raw HTML and
/// entities anywhere; headings, quotes and list markers at the start. Other punctuation is left
/// alone so the source stays readable ("Reliability & Observability").
pub fn escape(text: &str) -> String {
    // Leading spaces could make an indented code block; Markdown would drop them anyway.
    let text = text.trim_start();
    let mut out = String::with_capacity(text.len() + 8);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let entity = c == '&'
            && chars
                .peek()
                .is_some_and(|n| n.is_ascii_alphanumeric() || *n == '#');
        if entity || matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<') {
            out.push('\\');
        }
        out.push(c);
    }
    // "# x", "> x", "- x", "+ x", "= x", "~~~" or "1. x" at the start would be a heading, quote,
    // list or code fence.
    let digits = out.chars().take_while(char::is_ascii_digit).count();
    let after = out[digits..].chars().next();
    if matches!(out.chars().next(), Some('#' | '>' | '-' | '+' | '=' | '~')) {
        out.insert(0, '\\');
    } else if digits > 0 && matches!(after, Some('.' | ')')) {
        out.insert(digits, '\\');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markdown_syntax() {
        assert_eq!(
            escape("a *b* [c](d) <e> #f"),
            "a \\*b\\* \\[c\\](d) \\<e> #f"
        );
        assert_eq!(escape("# h"), "\\# h");
        assert_eq!(escape("> q"), "\\> q");
        assert_eq!(escape("A & B"), "A & B");
        assert_eq!(escape("&amp; &#38;"), "\\&amp; \\&#38;");
        assert_eq!(escape("- item"), "\\- item");
        assert_eq!(escape("1. first"), "1\\. first");
        assert_eq!(escape("6+ years"), "6+ years");
        assert_eq!(escape("R&D"), "R\\&D");
    }
}
