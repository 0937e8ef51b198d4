//! A log reader that stops or reads slowly never stalls serving, and a window-change flood hits
//! its budget.

use super::*;

fn dropped_lines(metrics: &str) -> u64 {
    metrics
        .lines()
        .find(|l| l.starts_with("resume_ssh_log_lines_dropped_total "))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

/// Press keys in a TUI and time each answer.
async fn key_latencies(term: &common::Term, n: usize, limit: Duration) -> Vec<Duration> {
    let mut out = Vec::new();
    for i in 0..n {
        let from = term.raw_len();
        let t0 = Instant::now();
        term.send(if i % 2 == 0 { b"\x1b[C" } else { b"\x1b[D" })
            .await;
        let got = tokio::time::timeout(limit, async {
            while term.raw_len() == from {
                tokio::time::sleep(Duration::from_millis(2)).await;
            }
        })
        .await;
        if got.is_err() {
            break;
        }
        out.push(t0.elapsed());
    }
    out
}

/// The log's reader stops reading while four connections flood (trace logging on, so the log
/// has plenty to say): bystander keys are still answered, a new connection still gets the
/// resume, and once the reader is back the server says how many lines it dropped.
#[ignore = "flaky: in about 1 run of 6 the bystander's visit draws nothing after its first answered key (a bug under investigation, issue 25): cargo test --test it hostile_logs::stalls -- --ignored"]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stuck_log_reader_never_stalls_serving() {
    // Measures a bystander's latency: alone, not beside the rest of the suite's load.
    let _gate = common::exclusive().await;
    log_reader_under_flood(Reader::Stuck).await;
}

/// The same with a reader that takes about 1 MB/s. (This flood stays under 1 MB/s of log, so
/// the server before the non-blocking writer passes this too; it guards the slow path.)
#[ignore = "flaky: in about 1 run of 6 the bystander's visit draws nothing after its first answered key (a bug under investigation, issue 25): cargo test --test it hostile_logs::stalls -- --ignored"]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_log_reader_never_stalls_serving() {
    let _gate = common::exclusive().await;
    log_reader_under_flood(Reader::Slow).await;
}

async fn log_reader_under_flood(reader: Reader) {
    let server = Server::start(&[("RESUME_SSH_LOG", "trace")], reader);
    let stop = Arc::new(AtomicBool::new(false));
    let mut floods = Vec::new();
    for _ in 0..4 {
        let addr = server.addr;
        let stop = Arc::clone(&stop);
        floods.push(tokio::spawn(async move {
            let c = common::connect(addr).await;
            let term = c.tui(TuiOpts::default()).await;
            let t0 = Instant::now();
            while !stop.load(Ordering::SeqCst) && t0.elapsed() < Duration::from_secs(20) {
                term.send(&b"jkjkjkjkjk".repeat(20)).await;
                tokio::time::sleep(Duration::from_millis(2)).await;
            }
            drop(term);
            drop(c);
        }));
    }
    // Let the floods fill the pipe.
    tokio::time::sleep(Duration::from_secs(2)).await;
    // The bystander comes from another address: the flooders' frames are paid from their own
    // address's drawing budget.
    let bystander = tokio::time::timeout(
        Duration::from_secs(10),
        common::connect_from("127.0.0.2", server.addr),
    )
    .await
    .expect("a bystander could not connect while the log was stuck");
    let term = bystander.tui(TuiOpts::default()).await;
    let lat = key_latencies(&term, 30, Duration::from_secs(2)).await;
    assert_eq!(lat.len(), 30, "only {} of 30 keys answered", lat.len());
    let fresh = tokio::time::timeout(Duration::from_secs(10), async {
        common::connect(server.addr)
            .await
            .exec("plain")
            .await
            .text()
    })
    .await
    .expect("a fresh connection timed out while the log was stuck");
    assert!(fresh.contains("Arunav Malhotra"));
    stop.store(true, Ordering::SeqCst);
    for f in floods {
        let _ = tokio::time::timeout(Duration::from_secs(10), f).await;
    }
    // The reader is back: the server reports the drops in the log and in the metrics. (A
    // reader at 1 MB/s may keep up with what is left to say: then nothing was dropped.)
    server.reading.store(true, Ordering::SeqCst);
    let dropped = dropped_lines(&server.metrics_text());
    if reader == Reader::Stuck || dropped > 0 {
        assert!(
            server.wait_log("log lines dropped", Duration::from_secs(10)),
            "no line about dropped lines; {} bytes of log",
            server.log_text().len(),
        );
    }
    let dropped = dropped_lines(&server.metrics_text());
    if reader == Reader::Stuck {
        assert!(dropped > 0, "{}", server.metrics_text());
    }
    let mut sorted = lat.clone();
    sorted.sort();
    eprintln!(
        "{} log reader: {} of 30 bystander keys answered, p50 {:?}, max {:?}; {dropped} lines dropped",
        if reader == Reader::Slow {
            "slow"
        } else {
            "stuck"
        },
        lat.len(),
        sorted[sorted.len() / 2],
        sorted[sorted.len() - 1]
    );
}

/// A window-change flood far past anything a person dragging a window sends (20,000 at once)
/// ends in a disconnect with the reason; the 2,000 a long drag may send do not.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn window_change_flood_hits_its_budget() {
    let _gate = common::shared().await;
    let server = Server::start(&[], Reader::Fast);
    let (h, said) = connect_bye(server.addr).await;
    let ch = h.channel_open_session().await.expect("session channel");
    ch.request_pty(false, "xterm", 80, 24, 0, 0, &[])
        .await
        .unwrap();
    ch.request_shell(false).await.unwrap();
    // Read (and discard) what the server draws: an unread channel stalls the client.
    let (mut rx, ch) = ch.split();
    tokio::spawn(async move { while rx.wait().await.is_some() {} });
    let t0 = Instant::now();
    let mut sent = 0u32;
    for i in 0..20_000u32 {
        if h.is_closed() || t0.elapsed() > Duration::from_secs(20) {
            break;
        }
        let sent_one = tokio::time::timeout(
            Duration::from_secs(2),
            ch.window_change(40 + i % 200, 10 + i % 100, 0, 0),
        )
        .await;
        if !matches!(sent_one, Ok(Ok(()))) {
            break;
        }
        sent += 1;
        if sent == 2000 {
            // A long drag's worth: still connected.
            tokio::time::sleep(Duration::from_millis(200)).await;
            assert!(!h.is_closed(), "disconnected after 2,000 window-changes");
        }
    }
    // The server may still be working through what the socket holds (a debug build is slow).
    let t1 = Instant::now();
    while !h.is_closed() && t1.elapsed() < Duration::from_secs(30) {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // The client's handle can report closed a moment before its handler has been told why.
    let t2 = Instant::now();
    while said.lock().unwrap().is_none() && t2.elapsed() < Duration::from_secs(5) {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    server.wait_log("connection ended", Duration::from_secs(5));
    let said = said.lock().unwrap().clone();
    assert!(
        said.as_deref()
            .is_some_and(|m| m.contains("Too many window-size changes")),
        "told {said:?} after {sent} window-changes; server: {}",
        lines_with(&server.log_text(), "connection ended").join("\n")
    );
    server.wait_log("connection ended", Duration::from_secs(5));
    let summary = lines_with(&server.log_text(), "connection ended").join("\n");
    assert!(summary.contains("how=\"window_changes\""), "{summary}");
}
