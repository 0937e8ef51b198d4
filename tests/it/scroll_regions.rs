//! Scrolls through the real server with a real client (russh) and a vt100 screen: after every
//! step the screen the client shows equals a fresh render of the same state, cell by cell
//! (text, colours, bold, reverse), so scroll margins leave no drift; and a one-line scroll
//! costs far fewer bytes than the plain diff of the same two frames.

use crate::common;

use std::num::NonZeroU16;
use std::sync::Arc;
use std::time::Duration;

use common::*;
use ratatui::buffer::Buffer;
use resume_ssh::content::SectionId;
use resume_ssh::resume::Resume;
use resume_ssh::terminal::{self, Size};
use resume_ssh::tui::Tui;
use resume_ssh::tui::theme::{ClientEnv, Theme};
use resume_ssh::tui::view::{self, ViewCtx};

fn nz(v: u16) -> NonZeroU16 {
    NonZeroU16::new(v).unwrap()
}

/// The screen a fresh session shows after `keys` (one first frame, nothing before it).
fn fresh(resume: &Arc<Resume>, term: &str, size: Size, keys: &[u8]) -> vt100::Parser {
    let caps = ClientEnv {
        term: Some(term.into()),
        ..ClientEnv::default()
    }
    .capabilities();
    let mut tui = Tui::new(SectionId::About, size, caps);
    tui.input(keys, resume);
    let mut out = Vec::new();
    tui.frame(resume, &mut out);
    let mut p = vt100::Parser::new(nz(size.rows), nz(size.cols), 0);
    p.process(&out);
    p
}

type CellKey = (String, vt100::Color, vt100::Color, bool, bool);

fn cells(screen: &vt100::Screen) -> Vec<CellKey> {
    let (rows, cols) = screen.size();
    let mut v = Vec::new();
    for y in 0..rows.get() {
        for x in 0..cols.get() {
            let c = screen.cell(y, x).unwrap();
            // A written space and a cleared cell look the same.
            let text = if c.contents().is_empty() {
                " ".to_owned()
            } else {
                c.contents().to_owned()
            };
            v.push((text, c.fgcolor(), c.bgcolor(), c.bold(), c.inverse()));
        }
    }
    v
}

/// Bytes of the plain diff between the frames of two states of one session.
fn plain_diff(resume: &Arc<Resume>, term: &str, size: Size, before: &[u8], key: &[u8]) -> usize {
    let caps = ClientEnv {
        term: Some(term.into()),
        ..ClientEnv::default()
    }
    .capabilities();
    let draw = |keys: &[u8]| {
        let mut tui = Tui::new(SectionId::About, size, caps);
        tui.input(keys, resume);
        let theme = Theme::new(caps, tui.app().light, &resume.theme);
        let ctx = ViewCtx {
            resume,
            theme: &theme,
            unicode: caps.unicode,
        };
        let mut b = Buffer::empty(size.rect());
        view::render(tui.app(), &ctx, &mut b);
        b
    };
    let a = draw(before);
    let b = draw(&[before, key].concat());
    let mut out = Vec::new();
    terminal::encode_diff(&a, &b, &mut out);
    out.len()
}

#[tokio::test]
async fn scrolled_screens_equal_fresh_renders_and_cost_less() {
    let _gate = common::shared().await;
    let server = TestServer::start().await;
    let resume = Arc::new(shipped_resume());
    for (term, cols, rows) in [
        ("xterm-256color", 80, 24),
        ("xterm-256color", 200, 40),
        ("vt100", 80, 24),
        ("linux", 45, 30),
        ("alacritty", 133, 41),
    ] {
        let client = server.connect().await;
        let t = client
            .tui(TuiOpts {
                term,
                cols,
                rows,
                ..TuiOpts::default()
            })
            .await;
        t.first_frame().await;
        let size = Size::new(cols as u16, rows as u16);
        let mut sent: Vec<u8> = Vec::new();
        let mut scrolls = 0;
        // The Experience tab scrolls at every size here; then down, up, page down, a tab and
        // back (scrolls are kept per tab), and down again.
        let steps: [&[u8]; 12] = [
            b"2", b"j", b"j", b"j", b"k", b"\x1b[B", b"\x1b[6~", b"k", b"3", b"2", b"j", b"k",
        ];
        for key in steps {
            let from = t.raw_len();
            let plain = plain_diff(&resume, term, size, &sent, key);
            t.send(key).await;
            // Wait for the update (a step may change nothing: the text fits, or is at its end),
            // then for the output to stop.
            let deadline = std::time::Instant::now() + Duration::from_millis(500);
            while t.raw_len() == from && std::time::Instant::now() < deadline {
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
            t.settle(Duration::from_millis(80)).await;
            sent.extend_from_slice(key);
            let got = t.raw_since(from);
            let want = fresh(&resume, term, size, &sent);
            let screen = cells(t.state.lock().unwrap().parser.screen());
            let expect = cells(want.screen());
            let first = screen.iter().zip(&expect).position(|(a, b)| a != b);
            assert!(
                first.is_none(),
                "{term} {cols}x{rows} after {:?}: the screen drifted from a fresh render at cell {first:?} ({:?} vs {:?})\n--- got ---\n{}\n--- want ---\n{}",
                String::from_utf8_lossy(&sent),
                first.map(|i| &screen[i]),
                first.map(|i| &expect[i]),
                t.contents(),
                want.screen().contents()
            );
            if (key == b"j" || key == b"k") && plain > 0 {
                scrolls += 1;
                // On a wide screen the rail beside the body scrolls with it (margins are whole
                // rows) and is drawn again, so a scroll saves less there: shorter is the rule.
                let factor = if cols >= 120 { 1 } else { 2 };
                assert!(
                    got.len() * factor < plain,
                    "{term} {cols}x{rows} {:?}: {} bytes, plain diff {plain}",
                    String::from_utf8_lossy(key),
                    got.len()
                );
                assert!(
                    got.windows(3).any(|w| w == b"\x1b[r"),
                    "scroll margins used"
                );
            }
        }
        assert!(
            scrolls >= 3,
            "{term} {cols}x{rows}: only {scrolls} scrolls were tried"
        );
    }
}
