//! Client bytes → input events: a stream parser over terminput that survives split packets.
//!
//! Bytes arrive in SSH packets of any size: an escape sequence may be split across packets, a
//! paste arrives at once, and a hostile client may send anything. The parser keeps a small bounded
//! buffer of an unfinished sequence. A lone ESC at the end of a packet is ambiguous (the Esc key,
//! or the start of a split sequence): it stays pending until the next bytes arrive or the caller's
//! short timer calls [`InputParser::flush`]. Bracketed pastes are collected in O(n) and reported as
//! one event, so pasted text never acts as key presses. OSC strings (the terminal's answer to
//! the background-colour query) are read by [`super::replies`] and never become keys.

use terminput::{Event, KeyCode, KeyEvent, KeyModifiers};

use super::replies::{Background, Osc, Step};

/// Tests only: once armed (by a server built with test hooks, never in production), this
/// sequence panics inside the parser's contained call, so a black-box test can see what a
/// contained panic does to the session and the log. No client input reaches the contained
/// panic otherwise (the inputs known to crash terminput are filtered before it).
/// Only in builds with the `test-hooks` feature (the tests'; never the release binary's).
#[cfg(feature = "test-hooks")]
pub const TEST_PANIC_SEQUENCE: &[u8] = b"\x1b[7357~";

#[cfg(feature = "test-hooks")]
static TEST_PANIC: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Arms [`TEST_PANIC_SEQUENCE`] for this process (see `Shared::with_test_hooks`).
#[cfg(feature = "test-hooks")]
#[doc(hidden)]
pub fn arm_test_panic() {
    TEST_PANIC.store(true, std::sync::atomic::Ordering::Relaxed);
}

/// Whether this buffer is the armed test sequence (never, without the `test-hooks` feature).
#[cfg(feature = "test-hooks")]
fn test_panic(buf: &[u8]) -> bool {
    TEST_PANIC.load(std::sync::atomic::Ordering::Relaxed) && buf == TEST_PANIC_SEQUENCE
}

#[cfg(not(feature = "test-hooks"))]
fn test_panic(_: &[u8]) -> bool {
    false
}

/// The longest unfinished escape sequence kept; anything longer is garbage and dropped.
const MAX_SEQUENCE: usize = 64;
/// Pasted text kept per paste (the rest is counted and dropped).
const MAX_PASTE: usize = 4096;
const PASTE_START: &[u8] = b"\x1b[200~";
const PASTE_END: &[u8] = b"\x1b[201~";

/// The parser's state between packets.
#[derive(Debug, Default, Clone)]
pub struct InputParser {
    buf: Vec<u8>,
    /// Inside a bracketed paste: the text so far, and how much of the end marker matched.
    paste: Option<Paste>,
    /// Inside an OSC string (after `ESC ] digit`).
    osc: Option<Osc>,
    /// The latest background colour the terminal reported, not taken yet.
    background: Option<Background>,
}

#[derive(Debug, Default, Clone)]
struct Paste {
    text: Vec<u8>,
    end_matched: usize,
}

impl InputParser {
    pub fn new() -> Self {
        Self::default()
    }

    /// Parses a packet, appending complete events to `out` (for tests and tools; the server
    /// uses [`InputParser::feed_each`], which keeps nothing).
    pub fn feed(&mut self, bytes: &[u8], out: &mut Vec<Event>) {
        self.feed_each(bytes, &mut |e| out.push(e));
    }

    /// Parses a packet, handing each complete event to `emit` as soon as it is parsed: a burst
    /// of keys is never collected, so nothing grows with the packet's size.
    pub fn feed_each(&mut self, bytes: &[u8], emit: &mut dyn FnMut(Event)) {
        for &b in bytes {
            if let Some(paste) = &mut self.paste {
                if b == PASTE_END[paste.end_matched] {
                    paste.end_matched += 1;
                    if paste.end_matched == PASTE_END.len() {
                        let text = String::from_utf8_lossy(&paste.text).into_owned();
                        emit(Event::Paste(text));
                        self.paste = None;
                    }
                } else {
                    let matched = paste.end_matched;
                    paste.end_matched = usize::from(b == PASTE_END[0]);
                    if paste.text.len() < MAX_PASTE {
                        paste.text.extend_from_slice(&PASTE_END[..matched]);
                        if paste.end_matched == 0 {
                            paste.text.push(b);
                        }
                    }
                }
                continue;
            }
            if let Some(osc) = &mut self.osc {
                match osc.step(b) {
                    Step::More => {}
                    Step::Done(bg) => {
                        self.osc = None;
                        self.background = bg.or(self.background);
                    }
                    Step::Aborted => {
                        self.osc = None;
                        self.feed_each(&[0x1b, b], emit);
                    }
                }
                continue;
            }
            if self.buf == [0x1b] && b == 0x1b {
                // A pending lone ESC followed by a new sequence (often the terminal's answer to
                // the status query): the first ESC was the Esc key.
                emit(Event::Key(KeyEvent::new(KeyCode::Esc)));
                continue;
            }
            self.buf.push(b);
            if self.buf == PASTE_START {
                self.buf.clear();
                self.paste = Some(Paste::default());
                continue;
            }
            if self.buf == [0x1b] || self.buf == b"\x1b]" {
                continue; // ESC: wait for the next byte (or the flush timer).
            }
            if let [0x1b, b']', _] = self.buf[..] {
                self.buf.clear();
                if b.is_ascii_digit() {
                    // An OSC string: a terminal's answer.
                    let mut osc = Osc::default();
                    osc.step(b);
                    self.osc = Some(osc);
                } else {
                    // Alt+], then this byte on its own.
                    emit(Event::Key(
                        KeyEvent::new(KeyCode::Char(']')).modifiers(KeyModifiers::ALT),
                    ));
                    self.feed_each(&[b], emit);
                }
                continue;
            }
            if self.buf.len() > MAX_SEQUENCE {
                self.buf.clear();
                continue;
            }
            if zero_mouse_coordinate(&self.buf) {
                // terminput computes `coordinate - 1` on these: drop them before it can overflow.
                self.buf.clear();
                continue;
            }
            // Defence in depth: a panic inside the third-party parser drops the sequence, not
            // the session.
            let parsed = crate::logging::panic::contained(
                "input sequence dropped, session continues",
                || {
                    if test_panic(&self.buf) {
                        panic!("test-only parser panic");
                    }
                    Event::parse_from(&self.buf)
                },
            )
            .unwrap_or_else(|_| Err(std::io::Error::other("parser panicked")));
            match parsed {
                Ok(Some(ev)) => {
                    emit(ev);
                    self.buf.clear();
                }
                Ok(None) => {}
                Err(_) => {
                    // If the last byte cannot belong to the broken sequence, it may start
                    // something valid: a broken UTF-8 character followed by `q` still gives `q`,
                    // but the final byte of an unknown escape sequence (`ESC [ 0 n`) is dropped.
                    let in_sequence = self.buf[0] == 0x1b && (0x20..0x7f).contains(&b);
                    let refeed = self.buf.len() > 1 && !in_sequence;
                    self.buf.clear();
                    if refeed {
                        self.feed_each(&[b], emit);
                    }
                }
            }
        }
    }

    /// Whether bytes are waiting for more input (the caller then arms a short timer).
    pub fn has_pending(&self) -> bool {
        !self.buf.is_empty() || self.osc.is_some()
    }

    /// The background colour the terminal reported since the last call, if it did.
    pub fn take_background(&mut self) -> Option<Background> {
        self.background.take()
    }

    /// Resolves what is pending after a pause: a lone ESC is the Esc key; an unfinished sequence
    /// is dropped. An open paste stays open.
    pub fn flush(&mut self, out: &mut Vec<Event>) {
        self.flush_each(&mut |e| out.push(e));
    }

    /// [`InputParser::flush`], handing the event (if any) to `emit`.
    pub fn flush_each(&mut self, emit: &mut dyn FnMut(Event)) {
        if self.buf == [0x1b] {
            emit(Event::Key(KeyEvent::new(KeyCode::Esc)));
        }
        self.buf.clear();
        self.osc = None;
    }
}

/// A complete mouse report (`ESC [ < b ; x ; y M/m` or `ESC [ b ; x ; y M`) whose column or row
/// is 0; terminals count from 1.
fn zero_mouse_coordinate(buf: &[u8]) -> bool {
    let Some(body) = buf.strip_prefix(b"\x1b[") else {
        return false;
    };
    let Some((&last, params)) = body.split_last() else {
        return false;
    };
    if last != b'M' && last != b'm' {
        return false;
    }
    let params = params.strip_prefix(b"<").unwrap_or(params);
    let fields: Vec<&[u8]> = params.split(|&b| b == b';').collect();
    // terminput parses button, column, row in that order (more fields are ignored) and
    // subtracts 1 from each coordinate as soon as it has read it.
    let zero = |f: &&[u8]| {
        std::str::from_utf8(f)
            .ok()
            .and_then(|t| t.parse::<u16>().ok())
            == Some(0)
    };
    fields.iter().skip(1).take(2).any(zero)
}

#[cfg(test)]
mod tests {
    use super::*;
    use terminput::{KeyModifiers, MouseButton, MouseEventKind, ScrollDirection};

    fn parse_chunks(chunks: &[&[u8]]) -> Vec<Event> {
        let mut p = InputParser::new();
        let mut out = Vec::new();
        for c in chunks {
            p.feed(c, &mut out);
        }
        out
    }

    fn key(code: KeyCode) -> Event {
        Event::Key(KeyEvent::new(code))
    }

    #[test]
    fn arrows_csi_and_ss3() {
        assert_eq!(parse_chunks(&[b"\x1b[A"]), [key(KeyCode::Up)]);
        assert_eq!(parse_chunks(&[b"\x1bOB"]), [key(KeyCode::Down)]);
        assert_eq!(
            parse_chunks(&[b"\x1b[C\x1bOD"]),
            [key(KeyCode::Right), key(KeyCode::Left)]
        );
    }

    #[test]
    fn sequences_split_at_every_byte() {
        for seq in [
            &b"\x1b[A"[..],
            b"\x1bOA",
            b"\x1b[5~",
            b"\x1b[<64;3;4M",
            b"\x1b[Z",
        ] {
            let chunks: Vec<&[u8]> = seq.chunks(1).collect();
            let whole = parse_chunks(&[seq]);
            assert_eq!(whole.len(), 1, "{seq:?}");
            assert_eq!(parse_chunks(&chunks), whole, "{seq:?}");
        }
    }

    #[test]
    fn lone_esc_waits_then_flushes_as_esc() {
        let mut p = InputParser::new();
        let mut out = Vec::new();
        p.feed(b"\x1b", &mut out);
        assert!(out.is_empty());
        assert!(p.has_pending());
        p.flush(&mut out);
        assert_eq!(out, [key(KeyCode::Esc)]);
        assert!(!p.has_pending());
    }

    #[test]
    fn lone_esc_then_status_report_is_esc() {
        // The server answers a pending ESC with a status query; the reply resolves it.
        assert_eq!(parse_chunks(&[b"\x1b", b"\x1b[0n"]), [key(KeyCode::Esc)]);
        // A status reply on its own is no event, and parsing goes on.
        assert_eq!(parse_chunks(&[b"\x1b[0nj"]), [key(KeyCode::Char('j'))]);
        // A split arrow still wins over the reply that follows it.
        assert_eq!(
            parse_chunks(&[b"\x1b", b"[A", b"\x1b[0n"]),
            [key(KeyCode::Up)]
        );
    }

    #[test]
    fn plain_keys_and_controls() {
        let out = parse_chunks(&[b"jq\x03\r\t"]);
        assert_eq!(out[0], key(KeyCode::Char('j')));
        assert_eq!(out[1], key(KeyCode::Char('q')));
        assert_eq!(
            out[2],
            Event::Key(KeyEvent::new(KeyCode::Char('c')).modifiers(KeyModifiers::CTRL))
        );
        assert_eq!(out[3], key(KeyCode::Enter));
        assert_eq!(out[4], key(KeyCode::Tab));
    }

    #[test]
    fn utf8_split_across_packets() {
        let s = "é".as_bytes();
        assert_eq!(parse_chunks(&[&s[..1], &s[1..]]), [key(KeyCode::Char('é'))]);
    }

    #[test]
    fn bracketed_paste_is_one_event() {
        let out = parse_chunks(&[b"\x1b[200~hello q\x1b[20", b"1~j"]);
        assert_eq!(
            out,
            [Event::Paste("hello q".into()), key(KeyCode::Char('j'))]
        );
        // A paste containing a partial end marker keeps it as text.
        let out = parse_chunks(&[b"\x1b[200~a\x1b[2b\x1b[201~"]);
        assert_eq!(out, [Event::Paste("a\x1b[2b".into())]);
    }

    #[test]
    fn huge_paste_is_bounded() {
        let mut p = InputParser::new();
        let mut out = Vec::new();
        p.feed(PASTE_START, &mut out);
        let big = vec![b'x'; 1 << 20];
        p.feed(&big, &mut out);
        p.feed(PASTE_END, &mut out);
        match &out[..] {
            [Event::Paste(t)] => assert_eq!(t.len(), MAX_PASTE),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn mouse_wheel_and_click() {
        let out = parse_chunks(&[b"\x1b[<65;10;5M\x1b[<0;3;2M"]);
        let m = out[0].as_mouse().unwrap();
        assert_eq!(m.kind, MouseEventKind::Scroll(ScrollDirection::Down));
        let m = out[1].as_mouse().unwrap();
        assert_eq!(m.kind, MouseEventKind::Down(MouseButton::Left));
        assert_eq!((m.column, m.row), (2, 1));
    }

    #[test]
    fn a_broken_character_does_not_eat_the_next_key() {
        for bad in [&b"\xe9"[..], b"\xc3", b"\xe2\x82"] {
            let out = parse_chunks(&[bad, b"q"]);
            assert_eq!(out.last(), Some(&key(KeyCode::Char('q'))), "{bad:?}");
        }
    }

    #[test]
    fn mouse_reports_at_row_or_column_zero_are_dropped() {
        // Found by the fuzzer: terminput subtracts 1 from these and overflows.
        let crash = b"\x00P\x1e\x1b[A\x1bimpact\x1b[5~\x1b[<65;3;0M?\x1b";
        let out = parse_chunks(&[crash]);
        assert!(out.iter().all(|e| e.as_mouse().is_none()), "{out:?}");
        for seq in [
            &b"\x1b[<0;0;5M"[..],
            b"\x1b[<0;5;0m",
            b"\x1b[32;0;5M",
            b"\x1b[<0;00;1M",
        ] {
            let out = parse_chunks(&[seq, b"j"]);
            assert_eq!(out, [key(KeyCode::Char('j'))], "{seq:?}");
        }
    }

    #[test]
    fn garbage_is_dropped_and_parsing_recovers() {
        let out = parse_chunks(&[
            b"\x1b[99999999999999999999999999999999999999999999999999999999999999999999999X",
            b"\xff\xfe",
            b"j",
        ]);
        assert_eq!(out.last(), Some(&key(KeyCode::Char('j'))));
    }
}
