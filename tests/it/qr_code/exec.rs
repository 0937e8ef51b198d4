//! `ssh HOST qr`: at its natural size without a window, as big as fits in one, or a plain
//! message saying how large the window must be.

use crate::common::{self, *};

use super::decode::{decode, from_glyphs, from_screen, quiet, screen};
use super::short_card;

const CAPTION: &str = "Scan to save the contact";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_window_qr_prints_the_short_card_at_its_natural_size() {
    let _gate = common::shared().await;
    let server = TestServer::start().await;
    let client = server.connect().await;
    let card = short_card(&shipped_resume());

    let out = client.exec("qr --plain").await;
    assert_eq!(out.exit, Some(0));
    let text = out.text();
    assert!(!text.contains('\x1b'), "--plain has no escapes");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.last().map(|l| l.trim()), Some(CAPTION));
    let code = &lines[..lines.len() - 1];
    // Version 4 (33 modules) with its quiet zone, one column and half a row a module.
    assert_eq!(code.len(), 21);
    assert!(code.iter().all(|r| r.chars().count() == 41));
    let cells = from_glyphs(code);
    assert!(quiet(&cells, 4, 2));
    assert_eq!(decode(&cells), std::slice::from_ref(&card));

    // Painted black on bright white, read back by its colours.
    let out = client.exec("qr").await;
    assert_eq!(out.exit, Some(0));
    let text = out.text();
    assert!(text.lines().take(21).all(|l| l.starts_with("\x1b[")));
    let p = screen(text.replace('\n', "\r\n").as_bytes(), 80, 30);
    let (cells, (_, _, w, h)) = from_screen(p.screen());
    assert_eq!((w, h), (41, 21));
    assert_eq!(decode(&cells), [card]);
    assert!(p.screen().contents().contains(CAPTION));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in_a_window_qr_fits_it_or_says_how_large_it_must_be() {
    let _gate = common::shared().await;
    let server = TestServer::start().await;
    let client = server.connect().await;
    let card = short_card(&shipped_resume());
    // (window, the code's columns and rows there): half blocks, then two columns a module.
    for (cols, rows, want) in [(80, 24, (41, 21)), (120, 40, (41, 21)), (200, 60, (82, 41))] {
        let pty = Pty {
            term: "xterm-256color",
            cols,
            rows,
        };
        let out = client.run(Some(b"qr"), Some(pty)).await;
        assert_eq!(out.exit, Some(0), "{cols}x{rows}");
        assert!(out.stderr.is_empty());
        let p = screen(&out.stdout, cols as u16, rows as u16);
        let (cells, (_, y0, w, h)) = from_screen(p.screen());
        assert_eq!((w, h), want, "{cols}x{rows}");
        assert_eq!(decode(&cells), std::slice::from_ref(&card), "{cols}x{rows}");
        // Nothing scrolled off: the code starts on the top row, the caption under it, and two
        // rows are left for the prompt and ssh's own closing line.
        assert_eq!(y0, 0, "{cols}x{rows}");
        let lines = out.text().matches("\r\n").count() as u32;
        assert_eq!(lines, u32::from(h) + 1);
        assert!(lines + 2 <= rows, "{cols}x{rows}");
        assert_eq!(
            p.screen()
                .contents()
                .lines()
                .nth(usize::from(h))
                .map(str::trim),
            Some(CAPTION)
        );
    }
    // Too small: a plain message on stderr, exit 1, no code.
    for (cols, rows) in [(80, 23), (40, 30), (30, 10)] {
        let pty = Pty {
            term: "xterm-256color",
            cols,
            rows,
        };
        let out = client.run(Some(b"qr"), Some(pty)).await;
        assert_eq!(out.exit, Some(1), "{cols}x{rows}");
        assert!(out.stdout.is_empty());
        assert_eq!(
            out.stderr_text(),
            format!("qr needs a window of at least 41×24; yours is {cols}×{rows}\r\n")
        );
    }
}
