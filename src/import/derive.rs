//! The rules for what resume.toml requires and JSON Resume does not have. Each is said on stderr
//! when it applies, and each output value can be edited afterwards:
//!
//! - `basics.tagline` (the line under the name): the document's own `basics.tagline` if it has
//!   one (resume-ssh's export writes it), else the first sentence of `basics.summary`.
//! - `basics.label` missing: the `position` of the first role.
//! - `basics.summary` with blank lines: the first paragraph is the summary, the others become
//!   `about.paragraphs` (unless the document has its own `about`).
//! - `basics.location` (an object in JSON Resume, one line in resume.toml): address, city,
//!   region, postal code and country code joined with ", ".
//! - `contact` (the closing call to action): the document's own `contact` if it has one, else
//!   the neutral wording in [`DEFAULT_CONTACT`].

/// heading, title, message, email_lead written when the document has no `contact`.
pub const DEFAULT_CONTACT: [&str; 4] = [
    "Get in touch",
    "Contact",
    "The best way to reach me is by e-mail.",
    "Write to me at",
];

/// Longest derived tagline, in characters, before it is cut at a word.
const MAX_TAGLINE_CHARS: usize = 160;

/// The first sentence of `summary` (up to and including its full stop), cut at a word with "…"
/// past [`MAX_TAGLINE_CHARS`].
pub fn tagline(summary: &str) -> String {
    let mut end = summary.len();
    for (i, c) in summary.char_indices() {
        let next = summary[i + c.len_utf8()..].chars().next();
        if c == '。' || matches!(c, '.' | '!' | '?') && next.is_none_or(char::is_whitespace) {
            end = i + c.len_utf8();
            break;
        }
    }
    let first = summary[..end].trim();
    if first.chars().count() <= MAX_TAGLINE_CHARS {
        return first.to_owned();
    }
    let cut: String = first.chars().take(MAX_TAGLINE_CHARS).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{}…", cut.trim_end_matches([',', ';', ':', ' ']))
}

/// Paragraphs of a text separated by blank lines (line breaks inside one are kept for the
/// caller to join).
pub fn paragraphs(text: &str) -> Vec<String> {
    let text = text.replace("\r\n", "\n");
    let mut out = Vec::new();
    let mut cur = String::new();
    for line in text.split('\n') {
        if line.trim().is_empty() {
            if !cur.trim().is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            cur.clear();
        } else {
            if !cur.is_empty() {
                cur.push('\n');
            }
            cur.push_str(line);
        }
    }
    if !cur.trim().is_empty() {
        out.push(cur);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tagline_is_the_first_sentence() {
        assert_eq!(tagline("Builds things. Likes tea."), "Builds things.");
        assert_eq!(tagline("No full stop here"), "No full stop here");
        assert_eq!(tagline("Uses v1.2 daily. Yes."), "Uses v1.2 daily.");
        assert_eq!(tagline("東京在住。エンジニア。"), "東京在住。");
        let long = "word ".repeat(60);
        let t = tagline(&long);
        assert!(
            t.ends_with('…') && t.chars().count() <= MAX_TAGLINE_CHARS + 1,
            "{t}"
        );
    }

    #[test]
    fn paragraphs_split_at_blank_lines() {
        assert_eq!(paragraphs("one"), ["one"]);
        assert_eq!(paragraphs("a\nb\n\n  \r\nc\n"), ["a\nb", "c"]);
        assert!(paragraphs("\n\n").is_empty());
    }
}
