//! The full-screen UI end to end: a real server, russh's client, and a vt100 emulator as the
//! visitor's terminal. Assertions are on what a person would see.

use crate::common;

use std::time::Duration;

use common::*;
use resume_ssh::content::SectionId;

const ABOUT_TEXT: &str = "6+ years architecting backend platforms";

fn opts() -> TuiOpts<'static> {
    TuiOpts::default()
}

/// Parses "N–M of T" into (N, M, T).
fn parse_position(p: &str) -> (u32, u32, u32) {
    let (range, total) = p.split_once(" of ").unwrap_or_else(|| panic!("{p:?}"));
    let (a, b) = range
        .split_once(['–', '-'])
        .unwrap_or_else(|| panic!("{p:?}"));
    (
        a.parse().unwrap(),
        b.parse().unwrap(),
        total.parse().unwrap(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tui_navigation_resize_help_and_quit() {
    let _gate = common::shared().await;
    let server = TestServer::start().await;
    let client = server.connect().await;
    assert_eq!(client.server_fingerprint, server.fingerprint);
    let term = client.tui(opts()).await;

    // First frame.
    term.first_frame().await;
    let screen = term.contents();
    assert!(screen.contains(NAME), "{screen}");
    assert!(screen.contains(ABOUT_TEXT), "{screen}");
    assert!(screen.contains("╭ About"), "{screen}");
    assert!(term.alternate_screen(), "the UI uses the alternate screen");
    assert!(
        term.cursor_hidden(),
        "the cursor is hidden while the UI shows"
    );
    let header_100 = term.rows()[1].clone();
    // Exactly the frame `resume-ssh render` draws.
    let resume = shipped_resume();
    let want = expected_screen(&resume, SectionId::About, 100, 30, "xterm-256color");
    term.wait_screen("About at 100x30", &want).await;

    // Right arrow (CSI): Experience.
    term.send(b"\x1b[C").await;
    term.wait_text("Key Achievements").await;
    term.wait_gone(ABOUT_TEXT).await;
    assert!(term.contents().contains("╭ Experience"));

    // Right arrow (SS3, application cursor mode): Case Studies.
    term.send(b"\x1bOC").await;
    term.wait_text("╭ Case Studies").await;
    assert!(!term.contents().contains("Key Achievements"));

    // Left arrow split after ESC (the server asks for a status report in between; a real
    // terminal's bytes simply arrive) and after "ESC [".
    term.send(b"\x1b").await;
    tokio::time::sleep(Duration::from_millis(50)).await;
    term.send(b"[D").await;
    term.wait_text("╭ Experience").await;
    term.send(b"\x1b[").await;
    tokio::time::sleep(Duration::from_millis(50)).await;
    term.send(b"D").await;
    term.wait_text("╭ About").await;
    // Back to Experience, which is long enough to scroll.
    term.send(b"l").await;
    term.wait_text("╭ Experience").await;
    term.settle(Duration::from_millis(100)).await;

    // Scrolling moves the position indicator.
    let p0 = term.position().expect("a position indicator");
    let (first, last, total) = parse_position(&p0);
    assert_eq!(first, 1, "{p0}");
    assert!(total > last, "Experience does not fit on one screen: {p0}");
    term.send(b"j").await;
    term.wait_for("scrolled one line", WAIT, |s| {
        position_in(&rows_of(s)).is_some_and(|p| p.starts_with("2–"))
    })
    .await;
    term.send(b"\x1b[F").await; // End
    term.wait_for("scrolled to the end", WAIT, |s| {
        position_in(&rows_of(s)).is_some_and(|p| p.ends_with(&format!("{total} of {total}")))
    })
    .await;
    term.send(b"g").await;
    term.wait_for("back at the top", WAIT, |s| {
        position_in(&rows_of(s)).is_some_and(|p| p.starts_with("1–"))
    })
    .await;
    term.settle(Duration::from_millis(100)).await;

    // A smaller window: everything is laid out again, the tagline wraps elsewhere.
    term.resize(80, 24).await;
    term.wait_for("a frame at 80x24", WAIT, |s| {
        let rows = rows_of(s);
        rows.len() == 24 && rows[1] != header_100 && rows[0].contains(NAME)
    })
    .await;
    term.settle(Duration::from_millis(100)).await;
    let rows = term.rows();
    assert_eq!(rows.len(), 24);
    assert!(rows[1].trim_end().len() <= 80);
    assert!(
        header_100.trim_end().ends_with("operational"),
        "{header_100:?}"
    );
    assert!(rows[1].trim_end().ends_with("distributed"), "{:?}", rows[1]);
    assert!(
        rows[23].contains("q quit"),
        "footer on the last row: {rows:?}"
    );
    assert!(rows[22].starts_with('╰'), "{rows:?}");

    // Help opens with ?, and Esc (a lone ESC, resolved by the status report) closes it.
    term.send(b"?").await;
    term.wait_text(" Help ").await;
    assert!(term.contents().contains("switch section"));
    term.press_esc().await;
    term.wait_gone(" Help ").await;
    assert!(term.exit().is_none(), "Esc in help closes help, not the UI");
    term.wait_text("Key Achievements").await;

    // q quits: exit status 0, then EOF and close; the terminal is restored.
    term.send(b"q").await;
    assert_eq!(term.wait_closed().await, Some(0));
    let events = term.events();
    let tail: Vec<Event> = events
        .iter()
        .copied()
        .filter(|e| *e != Event::Data)
        .collect();
    assert_eq!(
        tail,
        [Event::Exit(0), Event::Eof, Event::Close],
        "{events:?}"
    );
    assert!(!term.alternate_screen(), "back on the primary screen");
    assert!(!term.cursor_hidden(), "cursor visible again");
}

fn rows_of(s: &TermState) -> Vec<String> {
    let (_, cols) = s.parser.screen().size();
    s.parser.screen().rows(0, cols.get()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ctrl_c_quits_with_status_0() {
    let _gate = common::shared().await;
    let server = TestServer::start().await;
    let client = server.connect().await;
    let term = client.tui(opts()).await;
    term.first_frame().await;
    term.send(b"\x03").await;
    assert_eq!(term.wait_closed().await, Some(0));
    assert!(!term.alternate_screen());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lone_esc_is_resolved_by_a_status_report() {
    let _gate = common::shared().await;
    let server = TestServer::start().await;
    let client = server.connect().await;

    // Esc on the main screen quits.
    let term = client.tui(opts()).await;
    term.first_frame().await;
    let from = term.raw_len();
    term.send(b"\x1b").await;
    term.wait_bytes(from, b"\x1b[5n").await;
    // Nothing else happens until the terminal answers.
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(term.exit().is_none(), "a lone ESC waits for what follows");
    term.send(b"\x1b[0n").await;
    assert_eq!(term.wait_closed().await, Some(0));
    assert!(!term.alternate_screen());

    // With help open, Esc closes help instead.
    let term = client.tui(opts()).await;
    term.first_frame().await;
    term.send(b"?").await;
    term.wait_text(" Help ").await;
    term.press_esc().await;
    term.wait_gone(" Help ").await;
    term.settle(Duration::from_millis(100)).await;
    assert!(term.exit().is_none());
    assert!(term.alternate_screen());
    term.send(b"q").await;
    assert_eq!(term.wait_closed().await, Some(0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mouse_wheel_scrolls_and_clicks_open_tabs() {
    let _gate = common::shared().await;
    let server = TestServer::start().await;
    let client = server.connect().await;
    let term = client.tui(opts()).await;
    term.first_frame().await;
    let p0 = term.position().expect("position");
    assert!(p0.starts_with("1–"), "{p0}");

    // Wheel down: three lines.
    term.send(b"\x1b[<65;10;10M").await;
    term.wait_for("the wheel to scroll", WAIT, |s| {
        position_in(&rows_of(s)).is_some_and(|p| p.starts_with("4–"))
    })
    .await;
    // Wheel up: back.
    term.send(b"\x1b[<64;10;10M").await;
    term.wait_for("the wheel to scroll back", WAIT, |s| {
        position_in(&rows_of(s)).is_some_and(|p| p.starts_with("1–"))
    })
    .await;
    term.settle(Duration::from_millis(100)).await;

    // Click on the "Skills" tab label.
    let rows = term.rows();
    let (y, row) = rows
        .iter()
        .enumerate()
        .find(|(_, r)| r.contains("About") && r.contains("Skills") && r.contains("Contact"))
        .expect("the tab row");
    let byte = row.find("Skills").unwrap();
    let x = row[..byte].chars().count();
    let click = format!("\x1b[<0;{};{}M\x1b[<0;{};{}m", x + 2, y + 1, x + 2, y + 1);
    term.send(click.as_bytes()).await;
    term.wait_text("╭ Skills").await;
    assert!(!term.contents().contains(ABOUT_TEXT));

    // A click elsewhere (in the body) does not change the tab.
    term.send(b"\x1b[<0;20;15M\x1b[<0;20;15m").await;
    term.settle(Duration::from_millis(150)).await;
    assert!(term.contents().contains("╭ Skills"));
    term.send(b"q").await;
    assert_eq!(term.wait_closed().await, Some(0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exec_with_pty_opens_the_tui_on_that_section() {
    let _gate = common::shared().await;
    let server = TestServer::start().await;
    let client = server.connect().await;
    let term = client
        .tui(TuiOpts {
            exec: Some("experience"),
            ..opts()
        })
        .await;
    term.first_frame().await;
    let screen = term.contents();
    assert!(screen.contains("╭ Experience"), "{screen}");
    assert!(screen.contains("Key Achievements"), "{screen}");
    assert!(term.alternate_screen());
    term.send(b"q").await;
    assert_eq!(term.wait_closed().await, Some(0));
}

/// Runs a short session (every tab, the help overlay) and returns every byte the server sent,
/// and the screen text seen at each step.
async fn tour(server: &TestServer, o: TuiOpts<'_>) -> (Vec<u8>, Vec<String>) {
    let client = server.connect().await;
    let term = client.tui(o).await;
    term.first_frame().await;
    let mut screens = vec![term.contents()];
    for title in [
        "Experience",
        "Case Studies",
        "Initiatives",
        "Skills",
        "Contact",
    ] {
        term.send(b"l").await;
        term.wait_for(&format!("tab {title}"), WAIT, |s| {
            s.parser
                .screen()
                .contents()
                .lines()
                .any(|l| (l.starts_with('╭') || l.starts_with('+')) && l.contains(title))
        })
        .await;
        screens.push(term.contents());
    }
    term.send(b"?").await;
    term.wait_text(" Help ").await;
    screens.push(term.contents());
    term.send(b"q").await;
    assert_eq!(term.wait_closed().await, Some(0));
    (term.raw_since(0), screens)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn terminal_capabilities_pick_colours_and_characters() {
    let _gate = common::shared().await;
    let server = TestServer::start().await;

    // Positive control: xterm-256color has colours (256-colour codes), but no true colour.
    let (bytes, _) = tour(&server, opts()).await;
    let sgr = colour_sgrs(&bytes);
    assert!(!sgr.is_empty(), "xterm-256color output has colour");
    assert!(contains(&bytes, b"38;5;"), "256-colour codes");
    assert!(
        !contains(&bytes, b"38;2;"),
        "no true colour unless asked for"
    );

    // COLORTERM=truecolor: 24-bit colour.
    let (bytes, _) = tour(
        &server,
        TuiOpts {
            env: &[("COLORTERM", "truecolor")],
            ..opts()
        },
    )
    .await;
    assert!(contains(&bytes, b"38;2;"), "true colour with COLORTERM");

    // TERM=dumb: no colour at all.
    let (bytes, screens) = tour(
        &server,
        TuiOpts {
            term: "dumb",
            ..opts()
        },
    )
    .await;
    assert_eq!(colour_sgrs(&bytes), Vec::<String>::new(), "TERM=dumb");
    assert!(!contains(&bytes, b"\x1b[38;") && !contains(&bytes, b"\x1b[48;"));
    assert!(screens[0].contains(NAME));

    // NO_COLOR: no colour either.
    let (bytes, screens) = tour(
        &server,
        TuiOpts {
            env: &[("NO_COLOR", "1")],
            ..opts()
        },
    )
    .await;
    assert_eq!(colour_sgrs(&bytes), Vec::<String>::new(), "NO_COLOR");
    assert!(screens[0].contains(NAME));

    // TERM=vt100: ASCII borders, no box drawing anywhere.
    let (_, screens) = tour(
        &server,
        TuiOpts {
            term: "vt100",
            ..opts()
        },
    )
    .await;
    for s in &screens {
        let bad: Vec<char> = s
            .chars()
            .filter(|c| ('\u{2500}'..='\u{259f}').contains(c) || "•‹›←→↑↓▲▼".contains(*c))
            .collect();
        assert!(bad.is_empty(), "box drawing on a vt100: {bad:?}\n{s}");
    }
    assert!(screens[0].contains("+ About "), "{}", screens[0]);
    let want = expected_screen(&shipped_resume(), SectionId::About, 100, 30, "vt100");
    let got: Vec<&str> = screens[0].lines().map(str::trim_end).collect();
    let want: Vec<&str> = want.iter().map(|l| l.trim_end()).collect();
    // contents() drops trailing empty rows.
    assert_eq!(got[..], want[..got.len()], "the vt100 screen");
    assert!(
        screens[0].lines().any(|l| l.starts_with('|')),
        "{}",
        screens[0]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_session_sends_nothing_and_tab_switch_is_a_diff() {
    let _gate = common::shared().await;
    let server = TestServer::start().await;
    let client = server.connect().await;
    let term = client.tui(opts()).await;
    let first = term.first_frame().await;

    // Idle: not a byte for a second.
    let idle = term.bytes_during(Duration::from_secs(1)).await;
    assert_eq!(idle, 0, "an idle session sent {idle} bytes");

    // A tab switch is a diff, much smaller than the first full frame.
    let before = term.raw_len();
    term.send(b"\x1b[C").await;
    term.wait_text("Key Achievements").await;
    term.settle(Duration::from_millis(150)).await;
    let switch = term.raw_len() - before;
    println!("first frame: {first} bytes; tab switch (About -> Experience): {switch} bytes");
    assert!(switch > 0);
    assert!(
        switch < first,
        "tab switch {switch} bytes, first frame {first} bytes"
    );

    // Scrolling one line is smaller still than a full frame.
    let before = term.raw_len();
    term.send(b"j").await;
    term.wait_for("scrolled", WAIT, |s| {
        position_in(&rows_of(s)).is_some_and(|p| p.starts_with("2–"))
    })
    .await;
    term.settle(Duration::from_millis(150)).await;
    let scroll = term.raw_len() - before;
    println!("scroll one line: {scroll} bytes");
    assert!(scroll < first);

    // And nothing more while idle again.
    assert_eq!(term.bytes_during(Duration::from_millis(300)).await, 0);
    term.send(b"q").await;
    assert_eq!(term.wait_closed().await, Some(0));
}
