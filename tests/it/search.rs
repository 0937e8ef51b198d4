//! Search end to end: a real server, russh's client, and a vt100 emulator as the visitor's
//! terminal. What is checked is what a visitor sees: the search line and its count, the tab a
//! jump lands on, and which cells are highlighted (their attributes as the emulator has them).

use crate::common;

use std::path::Path;

use common::*;
use resume_ssh::resume::Resume;

/// A run of highlighted (reverse-video) cells on one row.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Run {
    row: u16,
    col: u16,
    text: String,
    /// Also bold and underlined: the current match.
    current: bool,
}

/// Reverse-video runs in the body (between the tab row and the footer: the selected tab and
/// the search line's cursor are not matches).
fn runs(term: &Term) -> Vec<Run> {
    let s = term.state.lock().unwrap();
    let screen = s.parser.screen();
    let (rows, cols) = screen.size();
    let mut out: Vec<Run> = Vec::new();
    for row in 0..rows.get().saturating_sub(1) {
        let mut open: Option<Run> = None;
        for col in 0..cols.get() {
            let Some(cell) = screen.cell(row, col) else {
                continue;
            };
            if cell.is_wide_continuation() {
                continue;
            }
            let lit = cell.inverse();
            match (&mut open, lit) {
                (Some(r), true) => r.text.push_str(cell.contents()),
                (None, true) => {
                    open = Some(Run {
                        row,
                        col,
                        text: cell.contents().to_owned(),
                        current: cell.bold() && cell.underline(),
                    })
                }
                (Some(_), false) => out.extend(open.take()),
                (None, false) => {}
            }
        }
        out.extend(open.take());
    }
    // The selected tab is drawn with a background colour here, not reverse video; anything on
    // the first rows that is reversed is not ours either.
    out.retain(|r| !r.text.trim().is_empty());
    out
}

/// Waits until the footer shows "I of N" and returns (I, N).
async fn count_shown(term: &Term) -> (u32, u32) {
    term.wait_for("a match count", WAIT, |s| last_row(s).contains(" of "))
        .await;
    let row = term.rows().last().cloned().unwrap_or_default();
    let before = row.split(" of ").next().unwrap_or("");
    let after = row.split(" of ").nth(1).unwrap_or("");
    let i = before.split_whitespace().last().unwrap_or("0").parse();
    let n = after.split_whitespace().next().unwrap_or("0").parse();
    (i.unwrap_or(0), n.unwrap_or(0))
}

fn last_row(s: &TermState) -> String {
    let screen = s.parser.screen();
    let (rows, cols) = screen.size();
    screen
        .rows(0, cols.get())
        .nth(usize::from(rows.get() - 1))
        .unwrap_or_default()
}

async fn wait_footer(term: &Term, text: &str) {
    term.wait_for(&format!("{text:?} in the footer"), WAIT, |s| {
        last_row(s).contains(text)
    })
    .await;
}

/// The current match's run once it shows `want` (case-insensitively).
async fn current_run(term: &Term, want: &str) -> Run {
    let want = want.to_lowercase();
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        let rs = runs(term);
        if let Some(r) = rs
            .iter()
            .find(|r| r.current && r.text.to_lowercase() == want)
        {
            return r.clone();
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no current match {want:?}: runs {rs:?}\n{}",
            term.contents()
        );
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kafka_across_sections_with_n_and_shift_n_then_esc_closes() {
    let _gate = common::shared().await;
    let server = TestServer::start().await;
    let client = server.connect().await;
    let term = client.tui(TuiOpts::default()).await;
    term.first_frame().await;

    // `/` opens the line; typing shows the query and the live count; nothing jumps yet.
    term.send(b"/").await;
    wait_footer(&term, "type to search").await;
    term.send(b"Kafka").await;
    wait_footer(&term, "/Kafka").await;
    wait_footer(&term, "matches").await;
    assert!(term.contents().contains("╭ About"), "no jump while typing");

    // Enter: the first match from About onwards is in Case Studies, on screen, current.
    term.send(b"\r").await;
    let (i, n) = count_shown(&term).await;
    assert_eq!(i, 1);
    assert!(n >= 2, "Kafka is in several sections: {n}");
    term.wait_text("╭ Case Studies").await;
    let first = current_run(&term, "kafka").await;
    assert!(first.row > 2 && first.row < 29, "{first:?}");

    // n: to the next match; walking on reaches Skills (the keyword list), wrapping at the end.
    let mut seen_skills = false;
    for step in 2..=n + 1 {
        term.send(b"n").await;
        let want = (step - 1) % n + 1;
        wait_footer(&term, &format!("{want} of {n}")).await;
        let run = current_run(&term, "kafka").await;
        let screen = term.contents();
        if screen.contains("╭ Skills") {
            seen_skills = true;
            // Only one current match on screen, and it is the one the count names.
            assert_eq!(runs(&term).iter().filter(|r| r.current).count(), 1);
            assert!(run.row > 2, "{run:?}");
        }
    }
    assert!(seen_skills, "n never reached Skills");
    assert!(
        term.contents().contains("╭ Case Studies"),
        "wrapped to the first"
    );
    // N: back to the last match, in Skills (Kafka's last section).
    term.send(b"N").await;
    wait_footer(&term, &format!("{n} of {n}")).await;
    term.wait_text("╭ Skills").await;
    current_run(&term, "kafka").await;

    // Esc closes: the footer is back, nothing is highlighted, and the session goes on.
    term.press_esc().await;
    wait_footer(&term, "? help").await;
    let deadline = std::time::Instant::now() + WAIT;
    while !runs(&term).is_empty() {
        assert!(std::time::Instant::now() < deadline, "{:?}", runs(&term));
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    assert!(term.exit().is_none());

    // Enter from the current place: from Skills, the first match is Skills' own.
    term.send(b"/\x15kafka\r").await;
    let (i, _) = count_shown(&term).await;
    assert_eq!(i, n, "Skills' match is the last one");
    term.wait_text("╭ Skills").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn q_and_digits_are_text_in_the_line_and_no_match_says_so() {
    let _gate = common::shared().await;
    let server = TestServer::start().await;
    let client = server.connect().await;
    let term = client.tui(TuiOpts::default()).await;
    term.first_frame().await;

    term.send(b"/q3").await;
    wait_footer(&term, "/q3").await;
    wait_footer(&term, "no match").await;
    term.settle(std::time::Duration::from_millis(100)).await;
    assert!(term.exit().is_none(), "q in the search line quit");
    assert!(term.contents().contains("╭ About"), "3 switched tabs");

    // Backspace, Ctrl-U, then a query nothing has.
    term.send(b"\x7f\x7f\x15zzqx\r").await;
    wait_footer(&term, "no match for \u{201c}zzqx\u{201d}").await;
    assert!(runs(&term).is_empty());
    // After Esc, q is a command again; so after Enter on an empty line, which closes it.
    term.press_esc().await;
    wait_footer(&term, "? help").await;
    term.send(b"/").await;
    wait_footer(&term, "type to search").await;
    term.send(b"\r").await;
    wait_footer(&term, "? help").await;
    term.send(b"q").await;
    term.wait_closed().await;
}

/// A resume with a word in Japanese in two sections, after text of wide characters.
fn cjk_resume() -> Resume {
    let toml = r#"
[basics]
name = "山田太郎"
label = "エンジニア"
tagline = "大規模分散システムの設計者"
summary = "六年以上にわたり分散システムを設計してきました。"
email = "taro@example.com"

[about]
paragraphs = ["状態を持たないアーキテクチャへの移行を主導しました。"]

[[work]]
position = "主任"
name = "株式会社サンプル"
startDate = "2023-10"
highlights = ["連絡先管理システムを設計しました。"]

[contact]
heading = "一緒に作りましょう"
title = "連絡"
message = "バックエンドの仕事に関心があります。"
email_lead = "メール"
"#;
    Resume::parse(toml, Path::new("cjk.toml")).expect("the test resume parses")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pasted_cjk_query_highlights_exactly_its_cells() {
    let _gate = common::shared().await;
    let server = TestServer::with(cjk_resume(), test_limits()).await;
    let client = server.connect().await;
    let term = client.tui(TuiOpts::default()).await;
    term.wait_text("山田太郎").await;
    term.settle(std::time::Duration::from_millis(150)).await;

    term.send(b"/\x1b[200~\xe3\x82\xb7\xe3\x82\xb9\xe3\x83\x86\xe3\x83\xa0\x1b[201~")
        .await;
    wait_footer(&term, "/システム").await;
    term.send(b"\r").await;
    let (i, n) = count_shown(&term).await;
    assert_eq!(i, 1);
    assert!(n >= 2, "{n}");
    let run = current_run(&term, "システム").await;
    // Four wide characters: eight cells, each character's own cell reversed, and the cells
    // either side of the word not.
    let s = term.state.lock().unwrap();
    let screen = s.parser.screen();
    let row_text: String = screen
        .rows(0, 100)
        .nth(usize::from(run.row))
        .unwrap_or_default();
    assert!(row_text.contains("分散システムを"), "{row_text}");
    for (k, want) in "システム".chars().enumerate() {
        let cell = screen.cell(run.row, run.col + 2 * k as u16).unwrap();
        assert_eq!(cell.contents(), want.to_string());
        assert!(cell.is_wide() && cell.inverse() && cell.bold());
    }
    let before = screen.cell(run.row, run.col - 2).unwrap();
    let after = screen.cell(run.row, run.col + 8).unwrap();
    assert_eq!((before.contents(), after.contents()), ("散", "を"));
    assert!(!before.inverse() && !after.inverse());
}

/// A flood of search keys in one go: 20,001 `n` presses after a search, then 500 searches for
/// queries each different from the last. The screen ends where the count says, and the time it
/// took is printed (a debug build on a shared machine: a figure, not a benchmark).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_of_search_keys_ends_in_the_right_place() {
    let _gate = common::shared().await;
    let server = TestServer::start().await;
    let client = server.connect().await;
    let term = client.tui(TuiOpts::default()).await;
    term.first_frame().await;

    let mut keys = b"/kafka\r".to_vec();
    keys.extend(std::iter::repeat_n(b'n', 20_001));
    let started = std::time::Instant::now();
    term.send(&keys).await;
    wait_footer(&term, "2 of 2").await;
    term.wait_text("╭ Skills").await;
    let n_flood = started.elapsed();

    let mut keys = Vec::new();
    for i in 0..500 {
        keys.extend_from_slice(format!("/\x15e{i}\r").as_bytes());
    }
    keys.extend_from_slice("/\x15Microservices\r".as_bytes());
    let started = std::time::Instant::now();
    term.send(&keys).await;
    wait_footer(&term, "/Microservices").await;
    let (i, n) = count_shown(&term).await;
    let searches = started.elapsed();
    assert!(i >= 1 && n >= 4, "{i} of {n}");
    current_run(&term, "microservices").await;
    println!("20,001 n: {n_flood:?}; 501 different searches: {searches:?}");
    assert!(term.exit().is_none());
}

/// Memory: 20 visitors each search for something different and step through it. What the
/// searches leave is per-thread caches (bounded) and a few hundred bytes of state per session.
/// The process holds the clients too, so the figure is an upper bound for the server.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_visitors_searching_leave_little_memory() {
    // Alone in the process: the figure is the whole process's resident memory.
    let _gate = common::exclusive().await;
    let server = TestServer::start().await;
    let mut sessions = Vec::new();
    for _ in 0..20 {
        let client = server.connect().await;
        let term = client.tui(TuiOpts::default()).await;
        term.first_frame().await;
        sessions.push((client, term));
    }
    // The same visitors browsing first (tabs, scrolling): what plain use grows, to compare.
    let start = rss_kib();
    for (_, term) in &sessions {
        term.send(b"llljjjjhhhkkkk5GgGg1").await;
    }
    for (_, term) in &sessions {
        term.wait_text("╭ About").await;
        term.settle(std::time::Duration::from_millis(50)).await;
    }
    let browsing = rss_kib().saturating_sub(start);
    let before = rss_kib();
    let words = [
        "kafka",
        "redis",
        "docker",
        "postgresql",
        "micro",
        "scal",
        "e",
        "a",
    ];
    for (i, (_, term)) in sessions.iter().enumerate() {
        let q = format!("/{}\r", words[i % words.len()]);
        term.send(q.as_bytes()).await;
        term.send(&[b'n'; 30]).await;
    }
    for (_, term) in &sessions {
        count_shown(term).await;
        term.settle(std::time::Duration::from_millis(50)).await;
    }
    let grown = rss_kib().saturating_sub(before);
    println!(
        "20 sessions: browsing +{browsing} KiB, then searching +{grown} KiB resident (server and clients)"
    );
    assert!(grown < 4096, "+{grown} KiB");
    for (_, term) in &sessions {
        assert!(term.exit().is_none());
    }
}
