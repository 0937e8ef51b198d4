//! The sequences around the screen, end to end: OSC 8 links (well formed after every diff), OSC
//! 52 copy, the mouse toggle, the title stack, synchronized output, bracketed paste and the
//! background answer. A real server, russh's client, vt100 for the screen and a parser of the
//! raw bytes (tests/seqs) for what vt100 does not keep.

use crate::common;
use crate::seqs;

use std::time::Duration;

use base64::Engine;
use common::*;
use resume_ssh::resume::Resume;

const EMAIL: &str = "arunavmalhotra1998@gmail.com";
const URL: &str = "https://example.com/arunav";
const GITHUB: &str = "https://github.com/arunav-example";
const QUIET: Duration = Duration::from_millis(120);

/// The shipped resume with a home page and a profile, so the Contact section has three links.
fn linked_resume() -> Resume {
    let text = shipped_text().replace(
        &format!("email = \"{EMAIL}\""),
        &format!(
            "email = \"{EMAIL}\"\nurl = \"{URL}\"\n\
             profiles = [{{ network = \"GitHub\", username = \"arunav\", url = \"{GITHUB}\" }}]"
        ),
    );
    Resume::parse(&text, std::path::Path::new("resume.toml")).expect("linked resume parses")
}

fn uris() -> [String; 3] {
    [format!("mailto:{EMAIL}"), URL.to_owned(), GITHUB.to_owned()]
}

/// Sends `keys` and returns the update they caused (waiting up to a second for it to start,
/// then until output pauses; a key that changes nothing gives nothing).
async fn step(term: &Term, keys: &[u8]) -> Vec<u8> {
    let from = term.raw_len();
    term.send(keys).await;
    wait_update(term, from).await
}

async fn wait_update(term: &Term, from: usize) -> Vec<u8> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(1);
    while term.raw_len() == from && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    term.settle(QUIET).await;
    term.raw_since(from)
}

/// The links the screen model holds must be exactly where vt100 shows an address in full.
fn assert_links_match_screen(term: &Term, links: &seqs::LinkScreen, what: &str) {
    let s = term.state.lock().unwrap();
    let screen = s.parser.screen();
    let mut want = Vec::new();
    for (text, uri) in [EMAIL, URL, GITHUB].into_iter().zip(uris()) {
        for (y, a, b) in seqs::visible(screen, text) {
            // The home page is a prefix of nothing else here, but the e-mail could show inside
            // other text: every full occurrence is a link.
            want.push((y, a, b, uri.clone()));
        }
    }
    want.sort();
    let mut got = links.runs();
    got.sort();
    assert_eq!(got, want, "{what}\n{}", screen.contents());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn links_stay_well_formed_after_every_update() {
    let _gate = common::shared().await;
    let server = TestServer::with(linked_resume(), test_limits()).await;
    let client = server.connect().await;
    let term = client.tui(TuiOpts::default()).await;
    term.first_frame().await;
    let uris = uris();
    let uri_refs: Vec<&str> = uris.iter().map(String::as_str).collect();
    let mut links = seqs::LinkScreen::new(100, 30);
    links.apply(&term.raw_since(0));
    seqs::check_update(&term.raw_since(0), &uri_refs).expect("first frame");

    // The Contact section shows all three addresses, each a link.
    let bytes = step(&term, b"6").await;
    seqs::check_update(&bytes, &uri_refs).expect("contact");
    links.apply(&bytes);
    for text in [EMAIL, URL, GITHUB] {
        assert!(term.contents().contains(text), "{text} not drawn");
    }
    assert_links_match_screen(&term, &links, "contact");
    assert_eq!(links.runs().len(), 3, "{:?}", links.runs());

    // Random keys, including the help overlay that covers part of a link and uncovers it.
    let keys: [&[u8]; 14] = [
        b"6", b"?", b"?", b"1", b"\x1b[C", b"\x1b[D", b"j", b"k", b"G", b"g", b"t", b" ", b"m",
        b"c",
    ];
    let mut rng = fastrand::Rng::with_seed(11);
    let mut size = (100u32, 30u32);
    for n in 0..70 {
        let bytes = if n % 23 == 22 {
            // Now and then a new size (a full redraw).
            size = if size.0 == 100 { (72, 26) } else { (100, 30) };
            let from = term.raw_len();
            term.resize(size.0, size.1).await;
            links.resize(size.0 as usize, size.1 as usize);
            wait_update(&term, from).await
        } else {
            let k = keys[rng.usize(..keys.len())];
            step(&term, k).await
        };
        seqs::check_update(&bytes, &uri_refs)
            .unwrap_or_else(|e| panic!("update {n}: {e}\n{:?}", String::from_utf8_lossy(&bytes)));
        links.apply(&bytes);
        assert_links_match_screen(&term, &links, &format!("after update {n}"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plain_terminals_get_no_osc_at_all() {
    let _gate = common::shared().await;
    let server = TestServer::with(linked_resume(), test_limits()).await;
    let client = server.connect().await;
    for term_name in ["dumb", "vt100", "linux"] {
        let term = client
            .tui(TuiOpts {
                term: term_name,
                ..TuiOpts::default()
            })
            .await;
        term.first_frame().await;
        step(&term, b"6").await;
        assert!(term.contents().contains(EMAIL), "{term_name}");
        step(&term, b"c").await;
        term.wait_text("This terminal takes no copy").await;
        step(&term, b"?").await;
        step(&term, b"q").await;
        term.wait_closed().await;
        let raw = term.raw_since(0);
        assert!(
            !contains(&raw, b"\x1b]"),
            "{term_name}: an OSC string was sent"
        );
        // The title stack is still balanced (plain CSI, which every terminal parses).
        assert!(contains(&raw, b"\x1b[22;0t") && contains(&raw, b"\x1b[23;0t"));
    }
}

/// Every OSC 52 payload in `raw`, decoded.
fn clipboard_payloads(raw: &[u8]) -> Vec<String> {
    seqs::tokens(raw)
        .expect("well-formed output")
        .into_iter()
        .filter_map(|t| match t {
            seqs::Tok::Osc(body) => body.strip_prefix("52;c;").map(|b| {
                let bytes = base64::engine::general_purpose::STANDARD
                    .decode(b)
                    .expect("base64");
                String::from_utf8(bytes).expect("UTF-8")
            }),
            _ => None,
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn c_and_y_copy_the_email_with_osc_52() {
    let _gate = common::shared().await;
    let server = TestServer::start().await;
    let client = server.connect().await;
    let term = client.tui(TuiOpts::default()).await;
    let start = term.first_frame().await;
    assert!(clipboard_payloads(&term.raw_since(0)).is_empty());
    let bytes = step(&term, b"c").await;
    assert_eq!(clipboard_payloads(&bytes), [EMAIL]);
    term.wait_text(&format!("Copied {EMAIL} to your clipboard"))
        .await;
    assert!(term.contents().contains("where your terminal allows it"));
    // Again, with y: copied again although the screen does not change.
    let bytes = step(&term, b"y").await;
    assert_eq!(clipboard_payloads(&bytes), [EMAIL]);
    seqs::check_update(&bytes, &[]).expect("a copy is a synchronized update too");
    // The note goes with the next key.
    step(&term, b"j").await;
    term.wait_gone("Copied").await;
    assert_eq!(clipboard_payloads(&term.raw_since(start)).len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn m_turns_mouse_capture_off_and_on() {
    let _gate = common::shared().await;
    let server = TestServer::start().await;
    let client = server.connect().await;
    let term = client.tui(TuiOpts::default()).await;
    term.first_frame().await;
    let mode = |t: &Term| {
        t.state
            .lock()
            .unwrap()
            .parser
            .screen()
            .mouse_protocol_mode()
    };
    assert_eq!(mode(&term), vt100::MouseProtocolMode::PressRelease);
    let bytes = step(&term, b"m").await;
    assert!(contains(&bytes, b"\x1b[?1006l\x1b[?1000l"), "{bytes:?}");
    assert_eq!(mode(&term), vt100::MouseProtocolMode::None);
    term.wait_text("Mouse off: select text with your mouse")
        .await;
    // A click on a tab while the mouse is off does nothing (a terminal would not send it; if
    // one does, it is ignored).
    let before = term.contents();
    step(&term, b"\x1b[<0;30;5M\x1b[<65;10;10M").await;
    assert_eq!(term.contents(), before);
    // Other keys leave it off, and the footer keeps saying so.
    step(&term, b"\x1b[C").await;
    assert_eq!(mode(&term), vt100::MouseProtocolMode::None);
    assert!(term.contents().contains("m turns it back on"));
    let bytes = step(&term, b"m").await;
    assert!(contains(&bytes, b"\x1b[?1000h\x1b[?1006h"), "{bytes:?}");
    assert_eq!(mode(&term), vt100::MouseProtocolMode::PressRelease);
    term.wait_text("Mouse on").await;
    // Quitting with the mouse off leaves it off too.
    step(&term, b"m").await;
    step(&term, b"q").await;
    term.wait_closed().await;
    assert_eq!(mode(&term), vt100::MouseProtocolMode::None);
}

/// Where each needle first appears in `raw`.
fn find(raw: &[u8], needle: &[u8]) -> Option<usize> {
    raw.windows(needle.len()).position(|w| w == needle)
}

fn count(raw: &[u8], needle: &[u8]) -> usize {
    raw.windows(needle.len()).filter(|w| *w == needle).count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn title_paste_and_sync_are_set_once_and_undone_on_every_exit() {
    let _gate = common::shared().await;
    let server = TestServer::start().await;
    let client = server.connect().await;
    // Exit paths: q, Esc, Ctrl-C, and the client's EOF.
    for exit in [&b"q"[..], b"esc", b"\x03", b"eof"] {
        let term = client.tui(TuiOpts::default()).await;
        term.first_frame().await;
        let first = term.raw_since(0);
        seqs::check_update(&first, &[]).expect("first frame");
        let title = "\x1b]2;Arunav Malhotra — Backend Platform Engineer\x1b\\";
        let push = find(&first, b"\x1b[22;0t").expect("title pushed");
        let set = find(&first, title.as_bytes()).expect("title set");
        assert!(push < set, "pushed before it is set");
        assert!(contains(&first, b"\x1b]11;?\x07"), "background asked");
        assert!(term.state.lock().unwrap().parser.screen().bracketed_paste());
        for k in [&b"j"[..], b"\x1b[C", b"?"] {
            let bytes = step(&term, k).await;
            seqs::check_update(&bytes, &[]).expect("an update");
        }
        match exit {
            b"esc" => {
                // The first Esc closes the help, the second quits.
                term.press_esc().await;
                term.wait_gone("(? closes)").await;
                term.press_esc().await;
            }
            b"eof" => term.write.eof().await.expect("eof"),
            k => term.send(k).await,
        }
        term.wait_closed().await;
        let raw = term.raw_since(0);
        let pop = find(&raw, b"\x1b[23;0t").expect("title popped");
        assert!(pop > set);
        for (seq, n) in [
            (&b"\x1b[22;0t"[..], 1),
            (b"\x1b[23;0t", 1),
            (b"\x1b]2;", 1),
            (b"\x1b]11;?", 1),
            (b"\x1b[?2004h", 1),
            (b"\x1b[?2004l", 1),
            (b"\x1b[?1049h", 1),
            (b"\x1b[?1049l", 1),
        ] {
            assert_eq!(
                count(&raw, seq),
                n,
                "{exit:?}: {:?}",
                String::from_utf8_lossy(seq)
            );
        }
        assert_eq!(
            count(&raw, b"\x1b[?2026h"),
            count(&raw, b"\x1b[?2026l"),
            "{exit:?}"
        );
        let s = term.state.lock().unwrap();
        assert!(!s.parser.screen().bracketed_paste(), "{exit:?}");
        assert!(!s.parser.screen().alternate_screen(), "{exit:?}");
    }
}

/// The colours of every cell of the screen, for comparing themes.
fn colours(term: &Term) -> Vec<(vt100::Color, vt100::Color)> {
    let s = term.state.lock().unwrap();
    let screen = s.parser.screen();
    let (rows, cols) = screen.size();
    let mut out = Vec::new();
    for y in 0..rows.get() {
        for x in 0..cols.get() {
            if let Some(c) = screen.cell(y, x) {
                out.push((c.fgcolor(), c.bgcolor()));
            }
        }
    }
    out
}

/// `colours` with the canvas a picked truecolour palette paints (src/tui/theme.rs) taken back to
/// the terminal's own: what the palette draws, painted or not.
fn unpainted(cells: Vec<(vt100::Color, vt100::Color)>) -> Vec<(vt100::Color, vt100::Color)> {
    use vt100::Color::{Default, Rgb};
    let canvas = [
        Rgb(0xd4, 0xd4, 0xd4),
        Rgb(0x1c, 0x1e, 0x24),
        Rgb(0x1f, 0x23, 0x28),
        Rgb(0xfb, 0xfb, 0xf9),
    ];
    let keep = |c: vt100::Color| if canvas.contains(&c) { Default } else { c };
    cells.into_iter().map(|(f, b)| (keep(f), keep(b))).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_background_answer_picks_the_theme_and_is_never_a_key() {
    let _gate = common::shared().await;
    let server = TestServer::start().await;
    let opts = TuiOpts {
        env: &[("COLORTERM", "truecolor")],
        ..TuiOpts::default()
    };
    // The light theme as `t` shows it.
    let c1 = server.connect().await;
    let by_key = c1.tui(opts).await;
    by_key.first_frame().await;
    let dark = colours(&by_key);
    step(&by_key, b"t").await;
    // `t` paints the palette's own background; the answer follows the terminal's, unpainted.
    let light = unpainted(colours(&by_key));
    assert!(dark != light, "t changes the colours");

    // A light answer, split across packets and in upper case with ST: light, and nothing else
    // changed (as keys, `G` would scroll to the bottom and `t` would toggle).
    let c2 = server.connect().await;
    let term = c2.tui(opts).await;
    term.first_frame().await;
    let scrolled = term.position();
    assert!(scrolled.is_some());
    let from = term.raw_len();
    for part in [&b"\x1b]1"[..], b"1;RGB:FFFF/fbfb/", b"f0f0\x1b", b"\\"] {
        term.send(part).await;
    }
    term.wait_bytes(from, b"\x1b[?2026h").await;
    wait_update(&term, from).await;
    let got = colours(&term);
    let differ: Vec<usize> = (0..got.len()).filter(|&i| got[i] != light[i]).collect();
    assert!(
        differ.is_empty(),
        "a light background gives the light theme: {} cells differ, first {:?}\n{}",
        differ.len(),
        differ.first().map(|&i| (i, got[i], light[i], dark[i])),
        term.contents()
    );
    assert_eq!(term.position(), scrolled, "the answer acted as keys");
    // `t` still toggles, and a second answer does not override the visitor.
    step(&term, b"t").await;
    assert!(unpainted(colours(&term)) == dark, "t toggles back");
    step(&term, b"\x1b]11;rgb:ffff/ffff/ffff\x07").await;
    assert!(
        unpainted(colours(&term)) == dark,
        "a second answer is ignored"
    );

    // A dark answer keeps the default.
    let c3 = server.connect().await;
    let term = c3.tui(opts).await;
    term.first_frame().await;
    step(&term, b"\x1b]11;rgb:1c1c/1c1c/1c1c\x07").await;
    assert!(colours(&term) == dark, "a dark answer keeps dark");

    // A hostile never-ending OSC string: a megabyte of it costs nothing, and keys work after
    // its end.
    let c4 = server.connect().await;
    let term = c4.tui(opts).await;
    term.first_frame().await;
    term.send(b"\x1b]11;").await;
    for _ in 0..16 {
        term.send(&[b'x'; 64 * 1024]).await;
    }
    assert!(colours(&term) == dark, "the string changed the theme");
    step(&term, b"\x07t").await;
    assert!(
        unpainted(colours(&term)) == light,
        "keys work after the string ends"
    );
}
