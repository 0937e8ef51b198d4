//! Where a line of resume text may break: at ASCII spaces as everywhere, and also where the
//! Unicode line-breaking rules (UAX #14) allow a break next to a wide character, so text in
//! Chinese, Japanese or Korean, which has no spaces, wraps instead of running off the screen.
//!
//! Written here because textwrap offers either ASCII spaces only or UAX #14 everywhere, and the
//! latter would also break after hyphens, dashes and slashes in Latin text ("sub-millisecond",
//! URLs), which this resume keeps whole. The break rules themselves come from unicode-linebreak
//! (no break before "。" or a combining mark, none inside an emoji sequence).

use textwrap::core::Word;
use unicode_width::UnicodeWidthChar;

/// The words of `line` for textwrap: its ASCII-space words, each cut further where a break next
/// to a wide character is allowed.
pub fn words(line: &str) -> Box<dyn Iterator<Item = Word<'_>> + '_> {
    let mut out = Vec::new();
    let mut offset = 0;
    for w in textwrap::WordSeparator::AsciiSpace.find_words(line) {
        let len = w.word.len() + w.whitespace.len();
        let whole = &line[offset..offset + len];
        offset += len;
        if w.word.is_ascii() {
            out.push(w);
            continue;
        }
        let mut start = 0;
        for (i, _) in unicode_linebreak::linebreaks(w.word) {
            if i < w.word.len() && next_to_wide(w.word, i) {
                out.push(Word::from(&whole[start..i]));
                start = i;
            }
        }
        out.push(Word::from(&whole[start..]));
    }
    Box::new(out.into_iter())
}

/// Whether the character just before or just after byte `i` of `s` is wide (two columns).
fn next_to_wide(s: &str, i: usize) -> bool {
    let wide = |c: Option<char>| c.and_then(|c| c.width()).is_some_and(|w| w >= 2);
    wide(s[..i].chars().next_back()) || wide(s[i..].chars().next())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(s: &str) -> Vec<String> {
        words(s)
            .map(|w| format!("{}{}", w.word, w.whitespace))
            .collect()
    }

    #[test]
    fn latin_text_breaks_only_at_spaces() {
        assert_eq!(
            split("sub-millisecond matters—designing https://a.example/b-c"),
            [
                "sub-millisecond ",
                "matters—designing ",
                "https://a.example/b-c"
            ]
        );
    }

    #[test]
    fn cjk_breaks_between_characters_but_not_before_closing_punctuation() {
        assert_eq!(
            split("分散型の連絡先。"),
            ["分", "散", "型", "の", "連", "絡", "先。"]
        );
        // Words keep every byte, in order.
        let s = "東京 Tokyo と大阪、 ok";
        assert_eq!(split(s).concat(), s);
    }

    #[test]
    fn combining_marks_and_emoji_sequences_stay_whole() {
        // "e" + combining acute, then a family emoji joined by zero-width joiners.
        let family = "👨\u{200d}👩\u{200d}👧";
        let s = format!("cafe\u{301}{family}{family}");
        let parts = split(&s);
        assert_eq!(parts.concat(), s);
        assert!(parts.iter().all(|p| !p.starts_with('\u{301}')), "{parts:?}");
        assert!(
            parts.iter().all(|p| !p.starts_with('\u{200d}')),
            "{parts:?}"
        );
        assert!(parts.contains(&family.to_owned()), "{parts:?}");
    }
}
