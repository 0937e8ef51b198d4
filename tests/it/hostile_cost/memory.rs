//! What bursts of keys, huge visitors and unread exec output leave in the server's memory.

use super::*;

/// Table row: n PTY sessions each type one 30 KB burst of keys, then idle. What the burst grew
/// must not stay: per session at most 48 KiB above idle (russh's own read buffer keeps ~30 KiB
/// of it; on the old main the event vector kept ~740 KiB).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_of_keys_leaves_no_lasting_memory() {
    let _gate = common::exclusive().await;
    // 60 by default; bench/cost.sh asks for the 300.
    let n: usize = std::env::var("COST_BURST_SESSIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(60)
        .clamp(1, 500);
    let server = Served::start();
    let sessions = open_sessions(server.addr, n, 100, 30).await;
    let idle = server.settled_rss().await;

    // 29,999 bytes of scrolling that end on a tab switch: one packet each, one frame back.
    let mut burst = b"jk".repeat(14_999);
    burst.push(b'l');
    for (_, term) in &sessions {
        let from = term.raw_len();
        term.send(&burst).await;
        term.wait_for("the frame after the burst", Duration::from_secs(20), |s| {
            s.raw.len() > from
        })
        .await;
    }
    for (_, term) in &sessions {
        term.settle(Duration::from_millis(50)).await;
    }
    let after = server.settled_rss().await;
    let per = after.saturating_sub(idle) / n as u64;
    println!(
        "key burst: {n} sessions, RSS {idle} KiB idle -> {after} KiB after, {per} KiB/session"
    );
    assert!(
        per <= 48,
        "each 30 KB burst left {per} KiB resident per session (idle {idle} KiB, after {after} KiB)"
    );
    // Every session still works.
    for (_, term) in &sessions {
        term.send(b"q").await;
        assert_eq!(term.wait_closed().await, Some(0));
    }
}

/// Scratch buffers: one visitor at the largest size (400×200) comes and goes; the frames it
/// needed (~3.8 MB each) are reused while it draws and must not stay resident after it left.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_huge_visitor_leaves_no_scratch_behind() {
    let _gate = common::exclusive().await;
    let server = Served::start();
    // A normal visitor first, so the caches every server builds are already in `before`.
    for (_, term) in open_sessions(server.addr, 2, 100, 30).await {
        term.send(b"lj").await;
        term.settle(Duration::from_millis(50)).await;
        term.send(b"q").await;
        term.wait_closed().await;
    }
    let before = server.settled_rss().await;
    for _ in 0..2 {
        let client = connect(server.addr).await;
        let term = client
            .tui(TuiOpts {
                cols: 400,
                rows: 200,
                ..TuiOpts::default()
            })
            .await;
        term.wait_text(NAME).await;
        term.set_parsing(false);
        for key in [&b"l"[..], b"?", b"?", b"t", b"l", b"h"] {
            let from = term.raw_len();
            term.send(key).await;
            term.wait_for("a frame", WAIT, |s| s.raw.len() > from).await;
        }
        term.send(b"q").await;
        assert_eq!(term.wait_closed().await, Some(0));
        drop(client);
    }
    // Large frames are kept for reuse while large visitors draw, and freed 2 s after the last
    // one (the sweep checks every second).
    tokio::time::sleep(resume_ssh::tui::frames::LARGE_IDLE + Duration::from_secs(1)).await;
    let after = server.settled_rss().await;
    let grown = after.saturating_sub(before);
    println!("400x200 visitors: RSS {before} KiB before -> {after} KiB after (+{grown} KiB)");
    assert!(
        grown <= 1536,
        "two 400x200 visitors left {grown} KiB resident (before {before} KiB, after {after} KiB)"
    );
}

/// A connection whose client never lets the server send: its channel window is 0 and never
/// grows (a russh client widens the window as data arrives, read or not, so a small window
/// alone would not stay closed).
async fn closed_window_connections(addr: SocketAddr, n: usize) -> Vec<Client> {
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let config = russh::client::Config {
            window_size: 0,
            ..client_config()
        };
        out.push(connect_with(addr, config).await);
    }
    out
}

/// Opens two channels on each client and runs `cmd(connection, channel)` on them.
async fn unread_execs(
    clients: &[Client],
    cmd: impl Fn(usize, usize) -> &'static str,
) -> Vec<russh::Channel<russh::client::Msg>> {
    let mut channels = Vec::with_capacity(2 * clients.len());
    for (i, client) in clients.iter().enumerate() {
        for k in 0..2 {
            let ch = timeout(WAIT, client.handle.channel_open_session())
                .await
                .expect("channel open timed out")
                .expect("channel open");
            ch.exec(false, cmd(i, k)).await.expect("exec");
            channels.push(ch);
        }
    }
    channels
}

/// Every channel got nothing (the window really stayed shut), then closes it.
async fn nothing_arrived_then_close(channels: Vec<russh::Channel<russh::client::Msg>>) {
    for mut ch in channels {
        if let Ok(Some(msg)) = timeout(Duration::from_millis(2), ch.wait()).await {
            panic!("the server sent {msg:?} through a zero window");
        }
        ch.close().await.expect("close");
    }
}

async fn disconnect_all(clients: Vec<Client>) {
    for c in &clients {
        let _ = c
            .handle
            .disconnect(russh::Disconnect::ByApplication, "", "")
            .await;
    }
    drop(clients);
}

/// Table row: 200 connections × 2 exec channels whose client never reads (a zero window):
/// first 2 × `pdf` each, then 2 text commands each (plain, json, markdown, qr, ...). Exec output
/// is one shared buffer per resume version, so the unread channels cost at most 2 MB together,
/// and after every connection closed the server is back within 1 MB of where it was (the old
/// main copied text output per channel: +4.0 MB while open, +4.1 MB after they closed; the PDF
/// was shared already). Release binary only (see the module comment).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "memory figures of many connections need the release server: RESUME_SSH_BIN=target/release/resume-ssh cargo test --test it hostile_cost:: -- --ignored"]
async fn unread_exec_output_is_shared_not_copied_per_channel() {
    let _gate = common::exclusive().await;
    const N: usize = 200;
    const TEXT: [&str; 8] = [
        "plain",
        "json",
        "markdown",
        "qr",
        "vcard",
        "help",
        "plain --width 100",
        "experience",
    ];
    let server = Served::start();
    // Every reply made once, and the allocator's pools grown by as many connections and
    // channels (unread `pdf`: the PDF was one shared buffer already) before the baseline: what
    // is measured is what the unread output adds.
    for cmds in [&TEXT[..], &["pdf"]] {
        let warm = connect(server.addr).await;
        for cmd in cmds {
            assert_eq!(warm.exec(cmd).await.exit, Some(0), "{cmd}");
        }
    }
    let warm = closed_window_connections(server.addr, N).await;
    for _ in 0..2 {
        nothing_arrived_then_close(unread_execs(&warm, |_, _| "pdf").await).await;
    }
    disconnect_all(warm).await;
    let baseline = server.settled_rss().await;

    let clients = closed_window_connections(server.addr, N).await;
    let idle = server.settled_rss().await;
    let pdfs = unread_execs(&clients, |_, _| "pdf").await;
    let with_pdfs = server.settled_rss().await;
    nothing_arrived_then_close(pdfs).await;
    let texts = unread_execs(&clients, |i, k| TEXT[(2 * i + k) % TEXT.len()]).await;
    let with_texts = server.settled_rss().await;
    nothing_arrived_then_close(texts).await;
    disconnect_all(clients).await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let after = server.settled_rss().await;

    let kib = |a: u64, b: u64| a as i64 - b as i64;
    println!(
        "{N} connections x 2 unread exec channels: RSS baseline {baseline} KiB, {N} idle \
         connections {idle} KiB; with 2 pdf each {with_pdfs} KiB ({:+} KiB), with 2 text \
         commands each {with_texts} KiB ({:+} KiB); after they closed {after} KiB ({:+} KiB \
         from the baseline)",
        kib(with_pdfs, idle),
        kib(with_texts, idle),
        kib(after, baseline)
    );
    assert!(
        kib(with_pdfs, idle) <= 2048,
        "{N}x2 unread pdf channels: +{} KiB",
        kib(with_pdfs, idle)
    );
    assert!(
        kib(with_texts, idle) <= 2048,
        "{N}x2 unread text channels: +{} KiB",
        kib(with_texts, idle)
    );
    assert!(
        kib(after, baseline) <= 1024,
        "after they closed: +{} KiB from the baseline",
        kib(after, baseline)
    );
}
