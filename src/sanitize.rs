//! Cleaning of client-supplied text before it is logged, echoed or used: control characters
//! (CR, LF, ESC, DEL, C1), Unicode format characters (bidi overrides, zero-width, tags) and the
//! line and paragraph separators never pass, and every string is cut to a bounded length.

use std::fmt::{self, Write as _};

use unicode_general_category::{GeneralCategory, get_general_category};

/// Whether `c` must not reach a log or a visitor's screen as it is: a control character (Cc), a
/// format character (Cf: U+202E RIGHT-TO-LEFT OVERRIDE reorders what follows it on the screen,
/// U+200B ZERO WIDTH SPACE hides a difference between two names, ...) or a line or paragraph
/// separator (U+2028, U+2029: a line break to some log viewers).
pub fn is_forbidden(c: char) -> bool {
    c.is_control()
        || matches!(
            get_general_category(c),
            GeneralCategory::Format
                | GeneralCategory::LineSeparator
                | GeneralCategory::ParagraphSeparator
        )
}

/// `s` with every [forbidden](is_forbidden) character replaced by `?`, cut to `max` characters.
pub fn clean(s: &str, max: usize) -> String {
    let mut out = String::with_capacity(s.len().min(max));
    for c in s.chars().take(max) {
        out.push(if is_forbidden(c) { '?' } else { c });
    }
    out
}

/// [`clean`] for bytes that may not be UTF-8.
pub fn clean_bytes(b: &[u8], max: usize) -> String {
    let head = &b[..b.len().min(max.saturating_mul(4))];
    clean(&String::from_utf8_lossy(head), max)
}

/// A `fmt::Write` that keeps at most `max` bytes, escaping [forbidden](is_forbidden) characters
/// as `\n`, `\r`, `\u{1b}`, `\u{202e}` and so on, and stops the formatter once full (so
/// formatting a huge value costs `max` bytes of work, not its length).
pub struct Bounded {
    out: String,
    max: usize,
    truncated: bool,
}

impl Bounded {
    pub fn new(max: usize) -> Bounded {
        Bounded {
            out: String::new(),
            max,
            truncated: false,
        }
    }

    /// The text, with `…` at the end if it was cut.
    pub fn finish(mut self) -> String {
        if self.truncated {
            self.out.push('…');
        }
        self.out
    }

    /// Formats `value` into a bounded, escaped string.
    pub fn format(value: &dyn fmt::Debug, max: usize) -> String {
        let mut b = Bounded::new(max);
        let _ = write!(b, "{value:?}");
        b.finish()
    }

    /// Like [`Bounded::format`], for Display.
    pub fn display(value: &dyn fmt::Display, max: usize) -> String {
        let mut b = Bounded::new(max);
        let _ = write!(b, "{value}");
        b.finish()
    }
}

impl fmt::Write for Bounded {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        for c in s.chars() {
            if self.out.len() >= self.max {
                self.truncated = true;
                return Err(fmt::Error);
            }
            if is_forbidden(c) {
                for e in c.escape_default() {
                    self.out.push(e);
                }
            } else {
                self.out.push(c);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_drops_controls_and_cuts() {
        assert_eq!(clean("xterm\r\n\x1b[31mX", 64), "xterm???[31mX");
        assert_eq!(clean("abcdef", 3), "abc");
        assert_eq!(clean("a\u{9b}b\u{7f}", 8), "a?b?");
        assert_eq!(clean_bytes(b"ok\xff\n", 8), "ok\u{fffd}?");
    }

    /// General category Cf in Unicode 16.0 (DerivedGeneralCategory-16.0.0.txt), range by range.
    const CF: &[(u32, u32)] = &[
        (0x00AD, 0x00AD),
        (0x0600, 0x0605),
        (0x061C, 0x061C),
        (0x06DD, 0x06DD),
        (0x070F, 0x070F),
        (0x0890, 0x0891),
        (0x08E2, 0x08E2),
        (0x180E, 0x180E),
        (0x200B, 0x200F),
        (0x202A, 0x202E),
        (0x2060, 0x2064),
        (0x2066, 0x206F),
        (0xFEFF, 0xFEFF),
        (0xFFF9, 0xFFFB),
        (0x110BD, 0x110BD),
        (0x110CD, 0x110CD),
        (0x13430, 0x1343F),
        (0x1BCA0, 0x1BCA3),
        (0x1D173, 0x1D17A),
        (0xE0001, 0xE0001),
        (0xE0020, 0xE007F),
    ];

    #[test]
    fn format_characters_never_pass() {
        let mut n = 0;
        for &(lo, hi) in CF {
            for c in (lo..=hi).filter_map(char::from_u32) {
                let s = format!("a{c}b");
                assert_eq!(clean(&s, 8), "a?b", "U+{:04X}", c as u32);
                let escaped = Bounded::display(&s, 64);
                assert_eq!(escaped, format!("a\\u{{{:x}}}b", c as u32));
                n += 1;
            }
        }
        assert_eq!(n, 170, "Cf has 170 characters in Unicode 16.0");
        for sep in ['\u{2028}', '\u{2029}'] {
            assert_eq!(clean(&format!("a{sep}b"), 8), "a?b");
        }
        // Their neighbours, and text in other scripts, pass.
        let fine = "\u{200A}\u{2010}\u{2070}é漢字 עברית العربية 👨\u{1F3FB}";
        assert_eq!(clean(fine, 64), fine);
    }

    #[test]
    fn bounded_escapes_and_stops() {
        let long = "x\n".repeat(100_000);
        let s = Bounded::display(&long, 50);
        assert!(s.len() <= 60, "{}", s.len());
        assert!(s.ends_with('…'));
        assert!(!s.contains('\n'));
        assert!(s.starts_with("x\\nx\\n"));
        assert_eq!(Bounded::display(&"short\x1b", 50), "short\\u{1b}");
    }
}
