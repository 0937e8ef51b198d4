//! The Contact section: the code as big as the free space allows, captioned, black on white in
//! both themes; none where it does not fit, without Unicode or without colours.

use crate::common::{self, *};

use super::decode::{decode, from_screen, quiet};
use super::short_card;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_contact_section_shows_the_short_card_as_big_as_fits() {
    let _gate = common::shared().await;
    let server = TestServer::start().await;
    let resume = shipped_resume();
    let email = resume.basics.email.to_string();
    let card = short_card(&resume);
    // (screen, the code's columns and rows, its quiet zone in columns and rows).
    for (cols, rows, size, zone) in [
        (60, 44, (41, 21), (4, 2)),
        (120, 40, (41, 21), (4, 2)),
        (200, 60, (82, 41), (8, 4)),
    ] {
        let client = server.connect().await;
        let term = client
            .tui(TuiOpts {
                cols,
                rows,
                exec: Some("contact"),
                ..TuiOpts::default()
            })
            .await;
        term.first_frame().await;
        let read = || {
            let s = term.state.lock().unwrap();
            let (cells, (x, y, w, h)) = from_screen(s.parser.screen());
            let below = s.parser.screen().contents_between(y + h, x, y + h, x + w);
            (cells, (w, h), below)
        };
        let (cells, got, below) = read();
        assert_eq!(got, size, "{cols}x{rows}\n{}", term.contents());
        assert!(quiet(&cells, zone.0, zone.1), "{cols}x{rows}");
        assert_eq!(decode(&cells), std::slice::from_ref(&card), "{cols}x{rows}");
        assert_eq!(below.trim(), "Scan to save the contact", "{cols}x{rows}");
        // The light theme leaves the code as it is.
        term.send(b"t").await;
        term.settle(std::time::Duration::from_millis(150)).await;
        assert_eq!(read().0, cells, "{cols}x{rows} light");
    }
    // Too small, ASCII or monochrome: no code.
    for (term_name, cols, rows) in [
        ("xterm-256color", 100, 30),
        ("vt100", 200, 60),
        ("linux", 200, 60),
    ] {
        let client = server.connect().await;
        let term = client
            .tui(TuiOpts {
                term: term_name,
                cols,
                rows,
                exec: Some("contact"),
                ..TuiOpts::default()
            })
            .await;
        term.first_frame().await;
        let contents = term.contents();
        assert!(contents.contains(&email));
        let s = term.state.lock().unwrap();
        assert!(
            !contents.contains("Scan to save") && from_screen(s.parser.screen()).0.is_empty(),
            "{term_name} {cols}x{rows}"
        );
    }
}
