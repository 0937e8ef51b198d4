//! OSC strings in the input stream: the terminal's answer to the background-colour query
//! (`ESC ] 11 ; rgb:RRRR/GGGG/BBBB`, ended by BEL or ST), read and never shown as keys.
//!
//! terminput has no OSC parser; this one is a few states. It keeps at most [`MAX_BODY`] bytes of
//! a string: the rest of a longer one (hostile, or an answer nobody asked for) is skipped up to
//! its end without being stored, so a never-ending OSC costs no memory. An ESC that is not the
//! start of ST ends the string (as in ECMA-48), and the bytes from that ESC on are input again.

/// The longest OSC body kept; the longest background answer (`11;rgb:` and three 4-digit
/// channels) is 21 bytes.
const MAX_BODY: usize = 32;

/// An OSC string being read (after `ESC ]`).
#[derive(Debug, Default, Clone)]
pub struct Osc {
    body: Vec<u8>,
    /// More than [`MAX_BODY`] bytes came: the rest is skipped.
    overflow: bool,
    /// The previous byte was ESC (maybe the start of ST).
    esc: bool,
}

/// What one byte did to an OSC string.
#[derive(Debug, PartialEq, Eq)]
pub enum Step {
    /// Still inside the string.
    More,
    /// The string ended; the background it reported, if it was a background answer.
    Done(Option<Background>),
    /// An ESC not followed by `\`: the string is dropped, and ESC plus this byte are input.
    Aborted,
}

/// The colour the terminal reported, brought to 16 bits per channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Background {
    pub rgb: [u16; 3],
}

impl Background {
    /// Whether dark text reads better on it (relative luminance above one half).
    pub fn is_light(self) -> bool {
        let [r, g, b] = self.rgb.map(|c| f64::from(c) / 65535.0);
        0.2126 * r + 0.7152 * g + 0.0722 * b > 0.5
    }
}

impl Osc {
    /// Feeds the next byte of the string.
    pub fn step(&mut self, b: u8) -> Step {
        if self.esc {
            self.esc = false;
            return if b == b'\\' {
                Step::Done(self.finish())
            } else {
                Step::Aborted
            };
        }
        match b {
            0x07 => Step::Done(self.finish()),
            0x1b => {
                self.esc = true;
                Step::More
            }
            _ => {
                if self.body.len() < MAX_BODY {
                    self.body.push(b);
                } else {
                    self.overflow = true;
                }
                Step::More
            }
        }
    }

    fn finish(&self) -> Option<Background> {
        if self.overflow {
            return None;
        }
        parse_background(&self.body)
    }
}

/// Parses `11;rgb:R/G/B` with 1–4 hex digits per channel, in any case.
pub fn parse_background(body: &[u8]) -> Option<Background> {
    let text = std::str::from_utf8(body).ok()?;
    let (code, value) = text.split_once(';')?;
    if code != "11" {
        return None;
    }
    let rest = value
        .get(..4)
        .filter(|p| p.eq_ignore_ascii_case("rgb:"))
        .map(|_| &value[4..])?;
    let mut rgb = [0u16; 3];
    let mut parts = rest.split('/');
    for slot in &mut rgb {
        let part = parts.next()?;
        if part.is_empty() || part.len() > 4 || !part.bytes().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        let v = u32::from_str_radix(part, 16).ok()?;
        let max = (1u32 << (4 * part.len())) - 1;
        *slot = u16::try_from(v * 65535 / max).ok()?;
    }
    parts.next().is_none().then_some(Background { rgb })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::input::InputParser;
    use terminput::{Event, KeyCode, KeyEvent, KeyModifiers};

    fn key(code: KeyCode) -> Event {
        Event::Key(KeyEvent::new(code))
    }

    fn parse_chunks(chunks: &[&[u8]]) -> Vec<Event> {
        let mut p = InputParser::new();
        let mut out = Vec::new();
        for c in chunks {
            p.feed(c, &mut out);
        }
        out
    }

    fn run(bytes: &[u8]) -> Vec<Step> {
        let mut osc = Osc::default();
        bytes.iter().map(|&b| osc.step(b)).collect()
    }

    #[test]
    fn background_answers_in_every_form() {
        let light = |s: &str| parse_background(s.as_bytes()).map(Background::is_light);
        assert_eq!(light("11;rgb:ffff/ffff/ffff"), Some(true));
        assert_eq!(light("11;rgb:0000/0000/0000"), Some(false));
        assert_eq!(light("11;RGB:FfFf/fFfF/ffff"), Some(true));
        assert_eq!(light("11;rgb:f/f/e"), Some(true));
        assert_eq!(light("11;rgb:1e/1e/2e"), Some(false));
        assert_eq!(light("11;rgb:fdf/f6e/e3c"), Some(true));
        assert_eq!(
            parse_background(b"11;rgb:f/80/fff").map(|b| b.rgb),
            Some([65535, 32896, 65535])
        );
        for bad in [
            "10;rgb:ffff/ffff/ffff",
            "11;rgb:fffff/0/0",
            "11;rgb:ff/ff",
            "11;rgb:ff/ff/ff/ff",
            "11;rgb:gg/00/00",
            "11;rgb://",
            "11;?",
            "11;",
            "11",
        ] {
            assert_eq!(parse_background(bad.as_bytes()), None, "{bad}");
        }
    }

    #[test]
    fn ends_with_bel_or_st_and_aborts_on_another_escape() {
        let steps = run(b"11;rgb:ffff/ffff/ffff\x07");
        assert_eq!(
            steps.last(),
            Some(&Step::Done(Some(Background { rgb: [65535; 3] })))
        );
        let steps = run(b"11;rgb:0/0/0\x1b\\");
        assert_eq!(
            steps.last(),
            Some(&Step::Done(Some(Background { rgb: [0; 3] })))
        );
        assert_eq!(run(b"11;rgb:0\x1b[").last(), Some(&Step::Aborted));
    }

    #[test]
    fn a_never_ending_string_is_bounded() {
        let mut osc = Osc::default();
        for _ in 0..1_000_000 {
            assert_eq!(osc.step(b'x'), Step::More);
        }
        assert!(osc.body.capacity() <= 64);
        assert_eq!(osc.step(0x07), Step::Done(None));
    }

    #[test]
    fn background_answers_are_read_not_pressed() {
        for reply in [
            &b"\x1b]11;rgb:ffff/ffff/ffff\x07"[..],
            b"\x1b]11;rgb:FFFF/FFFF/FFFF\x1b\\",
            b"\x1b]11;rgb:fe/fe/fe\x1b\\",
        ] {
            // Whole, and split at every byte.
            for chunks in [vec![reply], reply.chunks(1).collect()] {
                let mut p = InputParser::new();
                let mut out = Vec::new();
                p.feed(b"j", &mut out);
                for c in chunks {
                    p.feed(c, &mut out);
                }
                p.feed(b"k", &mut out);
                assert_eq!(
                    out,
                    [key(KeyCode::Char('j')), key(KeyCode::Char('k'))],
                    "{reply:?}"
                );
                assert!(p.take_background().is_some_and(|b| b.is_light()));
                assert!(p.take_background().is_none());
                assert!(!p.has_pending());
            }
        }
        // An OSC cut short by another sequence: the sequence still counts.
        let mut p = InputParser::new();
        let mut out = Vec::new();
        p.feed(b"\x1b]11;rgb:00\x1b[Aj", &mut out);
        assert_eq!(out, [key(KeyCode::Up), key(KeyCode::Char('j'))]);
        assert!(p.take_background().is_none());
        // Alt+] is still a key.
        assert_eq!(
            parse_chunks(&[b"\x1b]x"]),
            [
                Event::Key(KeyEvent::new(KeyCode::Char(']')).modifiers(KeyModifiers::ALT)),
                key(KeyCode::Char('x'))
            ]
        );
    }

    #[test]
    fn a_never_ending_osc_keeps_no_memory() {
        let mut p = InputParser::new();
        let mut out = Vec::new();
        p.feed(b"\x1b]1", &mut out);
        let junk = vec![b'x'; 1 << 20];
        for _ in 0..8 {
            p.feed(&junk, &mut out);
        }
        assert!(out.is_empty());
        // BEL ends it; keys work again.
        p.feed(b"\x07q", &mut out);
        assert_eq!(out, [key(KeyCode::Char('q'))]);
    }
}
