//! The help overlay fits from 40×12 up: a closed box (four edges, four corners), scrollable with
//! keys and the wheel to its last entry, with an indicator when not everything fits.

use crate::common::{self, *};

/// The last entry of the help.
const LAST: &str = "every command";

/// The overlay's box on screen: (left, top, right, bottom) of its corners, if all four corners
/// and every cell of its four edges are there.
fn closed_box(term: &Term) -> Result<(u16, u16, u16, u16), String> {
    let s = term.state.lock().unwrap();
    let screen = s.parser.screen();
    let (rows, cols) = screen.size();
    let at = |y: u16, x: u16| {
        screen
            .cell(y, x)
            .map(|c| c.contents().to_owned())
            .unwrap_or_default()
    };
    let top = (0..rows.get())
        .find(|&y| {
            screen
                .rows(0, cols.get())
                .nth(usize::from(y))
                .is_some_and(|r| r.contains("Help"))
        })
        .ok_or("no row with the title")?;
    let left = (0..cols.get())
        .find(|&x| at(top, x) == "╭")
        .ok_or("no top-left corner")?;
    let right = (left + 1..cols.get())
        .find(|&x| at(top, x) == "╮")
        .ok_or("no top-right corner")?;
    let bottom = (top + 1..rows.get())
        .find(|&y| at(y, left) == "╰")
        .ok_or_else(|| format!("no bottom-left corner under column {left}"))?;
    if at(bottom, right) != "╯" {
        return Err(format!("no bottom-right corner at {right},{bottom}"));
    }
    for y in top + 1..bottom {
        if at(y, left) != "│" || at(y, right) != "│" {
            return Err(format!("row {y} has no side edge"));
        }
    }
    // The scroll note sits on the bottom edge, right-aligned: the edge starts as a rule.
    if at(bottom, left + 1) != "─" {
        return Err(format!("no bottom edge at column {}", left + 1));
    }
    Ok((left, top, right, bottom))
}

/// The text inside the box, row by row.
fn inside(term: &Term, (left, top, right, bottom): (u16, u16, u16, u16)) -> Vec<String> {
    let s = term.state.lock().unwrap();
    let screen = s.parser.screen();
    (top + 1..bottom)
        .map(|y| {
            (left + 1..right)
                .map(|x| screen.cell(y, x).map(|c| c.contents()).unwrap_or_default())
                .map(|c| {
                    if c.is_empty() {
                        " ".to_owned()
                    } else {
                        c.to_owned()
                    }
                })
                .collect::<String>()
        })
        .collect()
}

async fn wait_inside(term: &Term, what: &str, pred: impl Fn(&[String]) -> bool) -> Vec<String> {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        if let Ok(b) = closed_box(term) {
            let rows = inside(term, b);
            if pred(&rows) {
                return rows;
            }
        }
        if tokio::time::Instant::now() >= deadline {
            panic!(
                "waiting for {what}: box {:?}\n{}",
                closed_box(term),
                term.contents()
            );
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
}

fn has(rows: &[String], text: &str) -> bool {
    rows.iter().any(|r| r.contains(text))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn help_is_a_closed_box_scrollable_to_its_last_entry() {
    let _gate = common::shared().await;
    let server = TestServer::start().await;
    for (cols, rows) in [(40u16, 12u16), (45, 30), (80, 24)] {
        let client = server.connect().await;
        let term = client
            .tui(TuiOpts {
                cols: cols.into(),
                rows: rows.into(),
                ..TuiOpts::default()
            })
            .await;
        term.first_frame().await;
        term.send(b"?").await;
        let first = wait_inside(&term, "the help", |r| has(r, "Keys")).await;
        let b = closed_box(&term).unwrap();
        if cols <= 80 {
            // The whole width: no slivers of the body at the edges.
            assert_eq!(
                (b.0, b.2),
                (0, cols - 1),
                "{cols}x{rows}\n{}",
                term.contents()
            );
        }
        // Descriptions never wrap back under the key column: every row that does not start
        // with a key or a heading starts with spaces.
        for r in &first {
            assert!(r.starts_with(' '), "the padding column: {r:?}");
        }
        if has(&first, LAST) {
            // Everything fits: no indicator, nothing to scroll.
            assert_eq!((cols, rows), (80, 24), "only 80x24 fits the whole help");
            assert!(!term.rows()[usize::from(b.3)].contains(" of "));
            continue;
        }
        // Not everything fits: the bottom edge says where the view is.
        let bottom = term.rows()[usize::from(b.3)].clone();
        assert!(bottom.contains(" of "), "the scroll indicator: {bottom:?}");
        // `j` scrolls a line, the wheel three, End to the last entry, Home back.
        term.send(b"j").await;
        wait_inside(&term, "j to scroll", |r| r[0] == first[1]).await;
        term.send(b"\x1b[<65;5;5M").await;
        wait_inside(&term, "the wheel to scroll", |r| r[0] == first[4]).await;
        term.send(b"\x1b[F").await;
        let last = wait_inside(&term, "End to show the last entry", |r| has(r, LAST)).await;
        assert!(!has(&last, "Keys"), "{last:?}");
        let b = closed_box(&term).unwrap();
        assert!(term.rows()[usize::from(b.3)].contains(" of "));
        term.send(b"\x1b[H").await;
        wait_inside(&term, "Home back to the top", |r| has(r, "Keys")).await;
        // `k` at the top stays; PgDn moves a page.
        term.send(b"\x1b[6~").await;
        wait_inside(&term, "PgDn to scroll", |r| !has(r, "Keys")).await;
        term.send(b"\x1b[5~").await;
        wait_inside(&term, "PgUp back", |r| has(r, "Keys")).await;
        // `?` closes it; the body is back.
        term.send(b"?").await;
        term.wait_gone("Help (").await;
    }
}
