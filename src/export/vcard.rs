//! The resume's owner as a vCard 4.0 (RFC 6350) contact card, for address books.
//!
//! Properties: FN and N (the last word of the name is the family name, the rest the given names),
//! EMAIL, TEL (the phone, as text: it is written as the owner wrote it), TITLE (the label), ORG
//! (the company of the most recent role), NOTE (the tagline) and URL (the home page, then every
//! profile).
//! Text values are escaped as RFC 6350 §3.4 says (backslash, comma, semicolon, newline); lines end
//! in CRLF and are folded at 75 octets (§3.2) between characters, never inside a UTF-8 sequence
//! nor inside an escape.

use crate::resume::{Resume, Work};

/// Longest line, in octets, not counting the CRLF (RFC 6350 §3.2).
pub const MAX_LINE_OCTETS: usize = 75;

/// The contact card, CRLF line endings, folded.
pub fn render(resume: &Resume) -> String {
    let b = &resume.basics;
    let (family, given) = split_name(&b.name);
    let mut out = String::new();
    let mut line = |l: String| out.push_str(&fold(&l));
    line("BEGIN:VCARD".into());
    line("VERSION:4.0".into());
    line(format!("FN:{}", escape(&b.name)));
    line(format!("N:{};{};;;", escape(family), escape(&given)));
    line(format!("EMAIL:{}", escape(&b.email)));
    if let Some(phone) = &b.phone {
        line(format!("TEL;VALUE=text:{}", escape(phone)));
    }
    line(format!("TITLE:{}", escape(&b.label)));
    if let Some(work) = most_recent(&resume.work) {
        line(format!("ORG:{}", escape(&work.name)));
    }
    line(format!("NOTE:{}", escape(&b.tagline)));
    if let Some(url) = &b.url {
        // A URI value, not text: no text escaping (a validated URL has no spaces or controls).
        line(format!("URL:{url}"));
    }
    // Profiles too: URL may repeat (RFC 6350 §6.7.8).
    for p in &b.profiles {
        line(format!("URL:{}", p.url));
    }
    line("END:VCARD".into());
    out
}

/// (family name, given names): the last word, and the words before it joined by one space.
fn split_name(name: &str) -> (&str, String) {
    let mut words: Vec<&str> = name.split_whitespace().collect();
    let family = words.pop().unwrap_or_default();
    (family, words.join(" "))
}

/// The role held most recently: a current one (no end date) before any ended one, then the latest
/// end, then the latest start; on a tie, the one listed first.
fn most_recent(work: &[Work]) -> Option<&Work> {
    work.iter().rev().max_by_key(|w| {
        (
            w.end_date.is_none(),
            w.end_date.as_ref().map(|d| d.as_str()),
            w.start_date.as_str(),
        )
    })
}

/// Escapes a TEXT value (RFC 6350 §3.4): `\` `,` `;` and line breaks (CRLF, LF or CR → `\n`).
/// Semicolons are escaped everywhere: required in compound values (N, ORG), allowed elsewhere.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ',' => out.push_str("\\,"),
            ';' => out.push_str("\\;"),
            '\n' => out.push_str("\\n"),
            '\r' => {
                chars.next_if_eq(&'\n');
                out.push_str("\\n");
            }
            c => out.push(c),
        }
    }
    out
}

/// One content line, folded (RFC 6350 §3.2): at most [`MAX_LINE_OCTETS`] octets per physical line
/// before its CRLF, continuation lines start with one space. Breaks fall between characters and
/// never inside a backslash escape, so even a parser that unescapes before unfolding reads it right.
fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + line.len() / 32 + 2);
    let mut used = 0;
    let mut rest = line;
    while let Some(c) = rest.chars().next() {
        let mut len = c.len_utf8();
        if c == '\\'
            && let Some(next) = rest.get(len..).and_then(|t| t.chars().next())
        {
            len += next.len_utf8();
        }
        let (unit, tail) = rest.split_at(len);
        if used + len > MAX_LINE_OCTETS {
            out.push_str("\r\n ");
            used = 1;
        }
        out.push_str(unit);
        used += len;
        rest = tail;
    }
    out.push_str("\r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn resume() -> Resume {
        Resume::parse(include_str!("../../resume.toml"), Path::new("resume.toml")).unwrap()
    }

    #[test]
    fn escape_follows_rfc6350() {
        assert_eq!(escape("plain text"), "plain text");
        assert_eq!(escape(r"a\b"), r"a\\b");
        assert_eq!(escape("a, b; c"), r"a\, b\; c");
        assert_eq!(escape("one\ntwo\r\nthree\rfour"), r"one\ntwo\nthree\nfour");
        assert_eq!(escape(r"\,"), r"\\\,");
        assert_eq!(escape("héllo—wörld"), "héllo—wörld");
    }

    #[test]
    fn short_lines_are_not_folded() {
        assert_eq!(fold("FN:Arunav Malhotra"), "FN:Arunav Malhotra\r\n");
        let exact = format!("NOTE:{}", "x".repeat(MAX_LINE_OCTETS - 5));
        assert_eq!(fold(&exact), format!("{exact}\r\n"));
        assert_eq!(fold(""), "\r\n");
    }

    fn physical_lines(folded: &str) -> Vec<&str> {
        let body = folded.strip_suffix("\r\n").unwrap();
        body.split("\r\n").collect()
    }

    fn unfold(folded: &str) -> String {
        folded.strip_suffix("\r\n").unwrap().replace("\r\n ", "")
    }

    #[test]
    fn folding_never_splits_a_multibyte_character() {
        // 2-, 3- and 4-byte characters, at every alignment against the 75-octet limit.
        for prefix in 0..4 {
            let value = format!("{}{}", "a".repeat(prefix), "é€😀ß漢".repeat(40));
            let line = format!("NOTE:{value}");
            let folded = fold(&line);
            let lines = physical_lines(&folded);
            assert!(lines.len() > 5);
            for (i, l) in lines.iter().enumerate() {
                assert!(l.len() <= MAX_LINE_OCTETS, "{i}: {} octets", l.len());
                // Not too eager either: the next character would not have fitted.
                if i + 1 < lines.len() {
                    let next = lines[i + 1].chars().nth(1).unwrap();
                    assert!(l.len() + next.len_utf8() > MAX_LINE_OCTETS);
                }
                if i > 0 {
                    assert!(l.starts_with(' ') && !l.starts_with("  "));
                }
            }
            assert_eq!(unfold(&folded), line);
        }
    }

    #[test]
    fn folding_keeps_escapes_whole() {
        let line = format!("NOTE:{}", escape(&"a,".repeat(60)));
        let folded = fold(&line);
        for l in physical_lines(&folded) {
            assert!(l.len() <= MAX_LINE_OCTETS);
            let l = l.strip_prefix(' ').unwrap_or(l);
            assert!(!l.starts_with(','), "escape split before {l:?}");
            assert!(!l.ends_with('\\'), "escape split after {l:?}");
        }
        assert_eq!(unfold(&folded), line);
    }

    #[test]
    fn name_splits_on_the_last_word() {
        assert_eq!(
            split_name("Arunav Malhotra"),
            ("Malhotra", "Arunav".to_owned())
        );
        assert_eq!(
            split_name(" Mary  Ann Smith "),
            ("Smith", "Mary Ann".to_owned())
        );
        assert_eq!(split_name("Cher"), ("Cher", String::new()));
    }

    #[test]
    fn org_is_the_current_role() {
        let mut r = resume();
        assert_eq!(
            most_recent(&r.work).map(|w| w.position.as_str()),
            Some("Lead Software Development Engineer")
        );
        // Order in the file does not matter.
        r.work.reverse();
        assert_eq!(
            most_recent(&r.work).map(|w| w.position.as_str()),
            Some("Lead Software Development Engineer")
        );
        // Without a current role, the latest end wins.
        r.work.retain(|w| w.end_date.is_some());
        assert_eq!(
            most_recent(&r.work).map(|w| w.position.as_str()),
            Some("Senior Software Development Engineer")
        );
        r.work.clear();
        assert!(most_recent(&r.work).is_none());
        assert!(!render(&r).contains("ORG"));
    }

    #[test]
    fn shipped_card() {
        let card = render(&resume());
        assert!(card.starts_with("BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Arunav Malhotra\r\n"));
        assert!(card.contains("\r\nN:Malhotra;Arunav;;;\r\n"));
        assert!(card.contains("\r\nORG:SaaS Labs\r\n"));
        assert!(card.ends_with("\r\nEND:VCARD\r\n"));
        assert!(!card.contains("URL"));
    }

    #[test]
    fn home_page_and_profiles_are_urls() {
        let toml = include_str!("../../resume.toml").replace(
            "email = \"arunavmalhotra1998@gmail.com\"",
            "email = \"arunavmalhotra1998@gmail.com\"\nurl = \"https://example.com/\"\n\
             profiles = [{ network = \"GitHub\", url = \"https://github.com/example\" }]",
        );
        let card = render(&Resume::parse(&toml, Path::new("r")).unwrap());
        assert!(
            card.contains("\r\nURL:https://example.com/\r\nURL:https://github.com/example\r\n")
        );
        let cards = vcard4::parse(&card).unwrap();
        assert_eq!(cards[0].url.len(), 2);
    }
}
