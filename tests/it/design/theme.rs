//! A palette the visitor picks with `t` paints its own background on every cell; the goodbye
//! gives the terminal its own colours back; the first pick (the OSC 11 answer, or none) paints
//! nothing.

use crate::common::{self, *};

/// Rows with a cell that has no background colour of its own.
fn unpainted_rows(term: &Term) -> Vec<u16> {
    let s = term.state.lock().unwrap();
    let screen = s.parser.screen();
    let (rows, cols) = screen.size();
    (0..rows.get())
        .filter(|&y| {
            (0..cols.get()).any(|x| {
                screen
                    .cell(y, x)
                    .is_some_and(|c| c.bgcolor() == vt100::Color::Default)
            })
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_picked_palette_paints_every_cell_and_the_goodbye_resets() {
    let _gate = common::shared().await;
    let server = TestServer::start().await;
    for (term_name, colorterm) in [
        ("xterm-256color", "truecolor"),
        ("xterm-256color", ""),
        ("xterm", ""),
        ("linux", ""),
    ] {
        let env = [("COLORTERM", colorterm)];
        let client = server.connect().await;
        let term = client
            .tui(TuiOpts {
                term: term_name,
                env: if colorterm.is_empty() { &[] } else { &env },
                cols: 80,
                rows: 24,
                ..TuiOpts::default()
            })
            .await;
        term.first_frame().await;
        // The first pick follows the terminal: its own background shows.
        assert!(
            !unpainted_rows(&term).is_empty(),
            "{term_name}: the default palette paints nothing"
        );
        for (key, what) in [
            (&b"t"[..], "light"),
            (b"t", "dark again"),
            (b"?", "the help"),
        ] {
            let from = term.raw_len();
            term.send(key).await;
            term.wait_bytes(from, b"\x1b[?2026l").await;
            term.settle(std::time::Duration::from_millis(100)).await;
            let bare = unpainted_rows(&term);
            assert!(
                bare.is_empty(),
                "{term_name} {what}: rows {bare:?} have cells without a background\n{}",
                term.contents()
            );
        }
        // Scrolling (the scroll-region path) keeps every cell painted.
        term.send(b"?2").await;
        term.settle(std::time::Duration::from_millis(100)).await;
        for _ in 0..3 {
            let from = term.raw_len();
            term.send(b"j").await;
            term.wait_bytes(from, b"\x1b[?2026l").await;
        }
        term.settle(std::time::Duration::from_millis(100)).await;
        assert!(
            unpainted_rows(&term).is_empty(),
            "{term_name}: scrolled\n{}",
            term.contents()
        );
        term.send(b"q").await;
        term.wait_closed().await;
        let s = term.state.lock().unwrap();
        let screen = s.parser.screen();
        assert!(!screen.alternate_screen());
        assert_eq!(
            (screen.fgcolor(), screen.bgcolor()),
            (vt100::Color::Default, vt100::Color::Default),
            "{term_name}: the goodbye resets the colours"
        );
    }
}
