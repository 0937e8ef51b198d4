//! Property tests: the input parser, app transitions, size clamping and resume loading never panic
//! and keep their invariants on arbitrary input.

use std::path::Path;
use std::sync::Arc;

use proptest::prelude::*;
use resume_ssh::content::SectionId;
use resume_ssh::resume::Resume;
use resume_ssh::terminal::{MAX_COLS, MAX_ROWS, Size};
use resume_ssh::tui::Tui;
use resume_ssh::tui::input::InputParser;
use resume_ssh::tui::theme::Capabilities;

fn shipped() -> Arc<Resume> {
    Arc::new(crate::common::shipped_resume())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Any byte stream, cut anywhere, parses without panic, and splitting a stream into packets
    /// never changes the events of a stream made of complete key sequences.
    #[test]
    fn parser_is_total_and_split_invariant(
        keys in proptest::collection::vec(prop_oneof![
            Just(&b"\x1b[A"[..]), Just(&b"\x1bOB"[..]), Just(&b"\x1b[5~"[..]), Just(&b"j"[..]),
            Just(&b"\x1b[<65;3;4M"[..]), Just(&b"\xc3\xa9"[..]), Just(&b"\x1b[Z"[..]),
            Just(&b"\t"[..]), Just(&b"\x1b[200~paste\x1b[201~"[..]),
        ], 0..40),
        cuts in proptest::collection::vec(any::<prop::sample::Index>(), 0..10),
        noise in proptest::collection::vec(any::<u8>(), 0..2000),
    ) {
        let _gate = crate::common::shared_blocking();
        let stream: Vec<u8> = keys.concat();
        let mut whole = Vec::new();
        InputParser::new().feed(&stream, &mut whole);
        let mut points: Vec<usize> = cuts.iter().map(|i| i.index(stream.len() + 1)).collect();
        points.sort_unstable();
        let mut split = Vec::new();
        let mut p = InputParser::new();
        let mut last = 0;
        for at in points {
            p.feed(&stream[last..at], &mut split);
            last = at;
        }
        p.feed(&stream[last..], &mut split);
        prop_assert_eq!(whole.len(), keys.len());
        prop_assert_eq!(split, whole);
        // Garbage: no panic, bounded pending state.
        let mut out = Vec::new();
        let mut g = InputParser::new();
        for chunk in noise.chunks(7) {
            g.feed(chunk, &mut out);
        }
        g.flush(&mut out);
        prop_assert!(!g.has_pending());
    }

    /// Every declared size is clamped into the supported range.
    #[test]
    fn sizes_clamp(cols in any::<u32>(), rows in any::<u32>()) {
        let _gate = crate::common::shared_blocking();
        let s = Size::clamped(cols, rows);
        prop_assert!((1..=MAX_COLS).contains(&s.cols));
        prop_assert!((1..=MAX_ROWS).contains(&s.rows));
        if cols > 0 && cols <= u32::from(MAX_COLS) {
            prop_assert_eq!(u32::from(s.cols), cols);
        }
    }

    /// Random input and resizes never panic, the app stays consistent, and a frame is produced
    /// whenever the state changed.
    #[test]
    fn tui_survives_anything(
        ops in proptest::collection::vec(prop_oneof![
            proptest::collection::vec(any::<u8>(), 0..64).prop_map(Op::Bytes),
            (0u32..600, 0u32..300).prop_map(|(c, r)| Op::Resize(c, r)),
            Just(Op::Flush),
        ], 0..60),
    ) {
        let _gate = crate::common::shared_blocking();
        let resume = shipped();
        let mut tui = Tui::new(SectionId::About, Size::new(100, 30), Capabilities::default());
        let mut out = Vec::new();
        tui.frame(&resume, &mut out);
        prop_assert!(!out.is_empty());
        for op in ops {
            match op {
                Op::Bytes(b) => tui.input(&b, &resume),
                Op::Resize(c, r) => {
                    tui.resize(Size::clamped(c, r));
                }
                Op::Flush => tui.flush_input(&resume),
            }
            let dirty = tui.dirty(&resume);
            let mut bytes = Vec::new();
            tui.frame(&resume, &mut bytes);
            prop_assert!(!tui.dirty(&resume));
            if !dirty {
                prop_assert!(bytes.is_empty());
            }
            if tui.wants_quit() {
                break;
            }
        }
    }

    /// Arbitrary text as resume.toml: an error with a location, or a resume; never a panic.
    #[test]
    fn resume_parse_is_total(text in "\\PC{0,400}") {
        let _gate = crate::common::shared_blocking();
        match Resume::parse(&text, Path::new("r.toml")) {
            Ok(_) => {}
            Err(e) => {
                let msg = e.to_string();
                prop_assert!(msg.starts_with("r.toml:"), "{}", msg);
            }
        }
    }

    /// Mutating one character of the shipped file gives a valid resume or a located error.
    #[test]
    fn resume_mutations_are_located(pos in any::<prop::sample::Index>(), c in any::<char>()) {
        let _gate = crate::common::shared_blocking();
        let text = include_str!("../../resume.toml");
        let chars: Vec<char> = text.chars().collect();
        let i = pos.index(chars.len());
        let mut m = chars.clone();
        m[i] = c;
        let mutated: String = m.into_iter().collect();
        if let Err(e) = Resume::parse(&mutated, Path::new("r.toml")) {
            let msg = e.to_string();
            let mut parts = msg.splitn(4, ':');
            prop_assert_eq!(parts.next(), Some("r.toml"));
            let line: usize = parts.next().unwrap_or("").parse().unwrap_or(0);
            let col: usize = parts.next().unwrap_or("").parse().unwrap_or(0);
            prop_assert!(line >= 1 && col >= 1, "{}", msg);
        }
    }
}

#[derive(Debug, Clone)]
enum Op {
    Bytes(Vec<u8>),
    Resize(u32, u32),
    Flush,
}
