//! The contact's QR code, read back the way a phone would: the text a client received (`ssh
//! HOST qr`, and the Contact section on a vt100 screen) is turned back into modules, drawn as
//! an image and decoded by a real QR decoder (rqrr), then compared with the contact.

use crate::common;

use common::*;
use resume_ssh::export::vcard;

/// Modules from half-block rows: `█` both dark, `▀` upper, `▄` lower, anything else light.
fn modules(rows: &[String]) -> Vec<Vec<bool>> {
    let mut out = Vec::new();
    for row in rows {
        let (mut up, mut down) = (Vec::new(), Vec::new());
        for c in row.chars() {
            let (u, d) = match c {
                '█' => (true, true),
                '▀' => (true, false),
                '▄' => (false, true),
                _ => (false, false),
            };
            up.push(u);
            down.push(d);
        }
        out.push(up);
        out.push(down);
    }
    out
}

/// Draws the modules as a greyscale image (4 pixels a module, a white margin) and decodes
/// every code found.
fn decode(modules: &[Vec<bool>]) -> Vec<String> {
    const PX: usize = 4;
    const MARGIN: usize = 8;
    let h = modules.len();
    let w = modules.iter().map(Vec::len).max().unwrap_or(0);
    let (iw, ih) = (w * PX + 2 * MARGIN, h * PX + 2 * MARGIN);
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(iw, ih, |x, y| {
        let (mx, my) = (x.wrapping_sub(MARGIN) / PX, y.wrapping_sub(MARGIN) / PX);
        let dark = x >= MARGIN
            && y >= MARGIN
            && modules
                .get(my)
                .and_then(|r| r.get(mx))
                .copied()
                .unwrap_or(false);
        if dark { 0 } else { 255 }
    });
    img.detect_grids()
        .into_iter()
        .filter_map(|g| g.decode().ok().map(|(_, text)| text))
        .collect()
}

/// Removes SGR sequences.
fn strip_sgr(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find("\x1b[") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 2..];
        let end = after.find('m').map_or(after.len(), |e| e + 1);
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ssh_qr_prints_the_vcard_as_a_code_a_decoder_reads() {
    let _gate = common::shared().await;
    let server = TestServer::start().await;
    let client = server.connect().await;
    let card = vcard::render(&shipped_resume());

    let out = client.exec("qr --plain").await;
    assert_eq!(out.exit, Some(0));
    let text = out.text();
    assert!(!text.contains('\x1b'), "--plain has no escapes");
    let rows: Vec<String> = text.lines().map(str::to_owned).collect();
    assert!(
        rows.iter().all(|r| r.chars().count() <= 80),
        "fits 80 columns"
    );
    assert_eq!(decode(&modules(&rows)), std::slice::from_ref(&card));

    // Black on bright white, row by row.
    let out = client.exec("qr").await;
    let text = out.text();
    assert!(text.lines().all(|l| l.starts_with("\x1b[30;107m")));
    let rows: Vec<String> = strip_sgr(&text).lines().map(str::to_owned).collect();
    assert_eq!(decode(&modules(&rows)), [card]);
    // The quiet zone: the first two rows (four modules) are blank.
    assert!(rows[..2].iter().all(|r| r.trim().is_empty()));
}

/// The cells of the screen drawn black on white, as rows of text (the code's bounding box).
fn code_on_screen(term: &Term) -> Vec<String> {
    let s = term.state.lock().unwrap();
    let screen = s.parser.screen();
    let (rows, cols) = screen.size();
    let white = |y: u16, x: u16| {
        screen
            .cell(y, x)
            .is_some_and(|c| c.bgcolor() == vt100::Color::Idx(15))
    };
    let ys: Vec<u16> = (0..rows.get())
        .filter(|&y| (0..cols.get()).any(|x| white(y, x)))
        .collect();
    let xs: Vec<u16> = (0..cols.get())
        .filter(|&x| (0..rows.get()).any(|y| white(y, x)))
        .collect();
    let (Some(&y0), Some(&y1), Some(&x0), Some(&x1)) =
        (ys.first(), ys.last(), xs.first(), xs.last())
    else {
        return Vec::new();
    };
    (y0..=y1)
        .map(|y| {
            (x0..=x1)
                .map(|x| {
                    let c = screen.cell(y, x).map(|c| c.contents()).unwrap_or(" ");
                    c.chars().next().unwrap_or(' ')
                })
                .collect()
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_contact_section_shows_a_code_when_there_is_room() {
    let _gate = common::shared().await;
    let server = TestServer::start().await;
    let resume = shipped_resume();
    let email = resume.basics.email.to_string();
    let short_card = resume_ssh::qr::payloads(&resume)[1].clone();
    assert!(short_card.starts_with("BEGIN:VCARD") && short_card.contains(&email));
    // The richest payload that fits: mailto:, a short card, the whole vCard.
    for (cols, rows, want) in [
        (100, 40, format!("mailto:{email}")),
        (120, 45, short_card),
        (200, 60, vcard::render(&resume)),
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
        let code = code_on_screen(&term);
        assert!(
            !code.is_empty(),
            "{cols}x{rows}: no code\n{}",
            term.contents()
        );
        // A 4-module quiet zone all round: two blank rows, four blank columns.
        assert!(code[..2].iter().all(|r| r.trim().is_empty()));
        assert!(code.iter().all(|r| r.starts_with("    ")));
        assert_eq!(decode(&modules(&code)), [want], "{cols}x{rows}");
        // The light theme leaves the code as it is.
        term.send(b"t").await;
        term.settle(std::time::Duration::from_millis(150)).await;
        assert_eq!(code_on_screen(&term), code, "{cols}x{rows} light");
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
        assert!(term.contents().contains(&email));
        assert!(
            !term.contents().contains('▀') && code_on_screen(&term).is_empty(),
            "{term_name} {cols}x{rows}"
        );
    }
}
