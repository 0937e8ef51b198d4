//! Cleaning of client-supplied text before it is logged or used: control characters (CR, LF,
//! ESC, DEL, C1) never pass, and every string is cut to a bounded length.

use std::fmt::{self, Write as _};

/// `s` without control characters (each becomes `?`), cut to `max` characters.
pub fn clean(s: &str, max: usize) -> String {
    let mut out = String::with_capacity(s.len().min(max));
    for c in s.chars().take(max) {
        out.push(if c.is_control() { '?' } else { c });
    }
    out
}

/// [`clean`] for bytes that may not be UTF-8.
pub fn clean_bytes(b: &[u8], max: usize) -> String {
    let head = &b[..b.len().min(max.saturating_mul(4))];
    clean(&String::from_utf8_lossy(head), max)
}

/// A `fmt::Write` that keeps at most `max` bytes, escaping control characters as `\n`, `\r`,
/// `\u{1b}` and so on, and stops the formatter once full (so formatting a huge value costs
/// `max` bytes of work, not its length).
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
            if c.is_control() {
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
