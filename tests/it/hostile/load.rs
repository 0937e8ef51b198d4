//! Clients that cost the server memory or time (absurd sizes, resize and key floods, a reader
//! that stops): the process's RSS stays bounded and other visitors are served promptly.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn absurd_window_sizes_and_a_resize_flood() {
    let _gate = common::exclusive().await;
    let server = TestServer::start().await;
    let rss_before = rss_kib();

    let client = server.connect().await;
    let channel = client.handle.channel_open_session().await.unwrap();
    // 0x0 is "unknown": the server draws at 80x24.
    channel
        .request_pty(false, "xterm-256color", 0, 0, 0, 0, &[])
        .await
        .unwrap();
    channel.request_shell(false).await.unwrap();
    let term = Term::new(channel, 80, 24);
    term.wait_text(NAME).await;
    term.settle(Duration::from_millis(100)).await;
    let rows = term.rows();
    assert_eq!(rows.len(), 24);
    assert!(rows[23].contains("q quit"), "drawn at 80x24: {rows:?}");

    // Absurd sizes, one at a time.
    for (cols, rows) in [
        (1, 1),
        (65535, 65535),
        (u32::MAX, u32::MAX),
        (0, 0),
        (u32::MAX, 1),
        (1, u32::MAX),
    ] {
        term.write.window_change(cols, rows, 0, 0).await.unwrap();
    }
    // 1x1 is too small to show anything useful, but the server must answer it sanely.
    term.resize(1, 1).await;
    term.settle(Duration::from_millis(100)).await;

    // A flood of 2,000 window-changes, mostly ordinary sizes, some absurd.
    let started = Instant::now();
    let mut rng = fastrand::Rng::with_seed(7);
    for i in 0..2000u32 {
        let (c, r) = match i % 20 {
            0 => (u32::MAX, u32::MAX),
            1 => (0, 0),
            2 => (65535, 1),
            _ => (rng.u32(1..=160), rng.u32(1..=50)),
        };
        timeout(WAIT, term.write.window_change(c, r, 0, 0))
            .await
            .expect("window-change blocked")
            .unwrap();
    }
    // The session is still alive and answers at a sane size. A key pressed after the flood is
    // handled after every window-change in it (one connection's messages are handled in order).
    term.resize(100, 30).await;
    term.send(b"l").await;
    let took = term
        .wait_for(
            "the key pressed after the flood",
            Duration::from_secs(20),
            |s| s.parser.screen().contents().contains("Key Achievements"),
        )
        .await;
    term.settle(Duration::from_millis(200)).await;
    println!(
        "resize flood: 2,000 window-changes handled in {:?} ({:?} after the last), {} bytes sent",
        started.elapsed(),
        took,
        term.raw_len()
    );
    // Frames drawn for sizes the emulator no longer had may have left debris on it: one more
    // size change redraws everything, and it must be exactly the right screen.
    term.resize(90, 28).await;
    let want = expected_screen(
        &shipped_resume(),
        resume_ssh::content::SectionId::Experience,
        90,
        28,
        "xterm-256color",
    );
    term.wait_screen("Experience at 90x28", &want).await;

    // Another visitor is fine.
    visitor_sees_the_ui(&server).await;
    term.send(b"q").await;
    assert_eq!(term.wait_closed().await, Some(0));

    let grown = rss_kib().saturating_sub(rss_before);
    println!("resize flood: RSS grew by {} KiB", grown);
    assert!(grown < 50 * 1024, "RSS grew by {grown} KiB");
    assert!(server.is_running());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_stops_reading_costs_little_and_hurts_no_one() {
    let _gate = common::exclusive().await;
    let server = TestServer::start().await;

    // A client with a small window whose reads can be stopped.
    let tcp = TcpStream::connect(server.addr).await.unwrap();
    tcp.set_nodelay(true).ok();
    let (stream, pause) = Pausable::new(tcp);
    let config = russh::client::Config {
        window_size: 8 * 1024,
        maximum_packet_size: 4 * 1024,
        ..client_config()
    };
    let stuck = connect_stream(stream, config).await;
    let term = stuck
        .tui(TuiOpts {
            cols: 200,
            rows: 60,
            ..TuiOpts::default()
        })
        .await;
    term.first_frame().await;
    let rss_before = rss_kib();

    // It stops reading, and keeps pressing keys that change the screen.
    pause.pause();
    let keys: [&[u8]; 8] = [b"l", b"j", b"G", b"t", b"h", b"g", b"?", b"3"];
    let started = Instant::now();
    let mut sent = 0usize;
    let mut i = 0;
    let mut other = None;
    while started.elapsed() < Duration::from_secs(2) {
        term.send(keys[i % keys.len()]).await;
        sent += 1;
        i += 1;
        tokio::time::sleep(Duration::from_millis(2)).await;
        // Meanwhile a normal visitor arrives and gets the UI promptly.
        if other.is_none() && started.elapsed() > Duration::from_millis(500) {
            let took = visitor_sees_the_ui(&server).await;
            other = Some(took);
        }
    }
    let other = other.expect("the second visitor ran");
    let grown = rss_kib().saturating_sub(rss_before);
    println!(
        "stopped reader: {sent} key packets in 2 s, RSS grew by {grown} KiB; \
         another visitor's first frame took {other:?}"
    );
    assert!(
        other < Duration::from_secs(1),
        "second visitor waited {other:?}"
    );
    assert!(grown < 20 * 1024, "RSS grew by {grown} KiB");

    // It reads again: the screen catches up with the latest state, and q quits.
    pause.resume();
    term.settle(Duration::from_millis(300)).await;
    term.wait_text(NAME).await;
    term.send(b"q").await;
    assert_eq!(term.wait_closed().await, Some(0));
    assert!(!term.alternate_screen());
}

/// Time for a new visitor to see the UI while two clients send `keys` as fast as they can
/// (16 KiB each, in 8 KiB packets), on a server with two worker threads like a 2-core VPS.
async fn visitor_wait_during_key_flood(keys: &[u8]) -> Result<Duration, String> {
    let server = TestServer::isolated(test_limits());
    let mut hostile = Vec::new();
    for _ in 0..2 {
        let c = server.connect().await;
        let t = c
            .tui(TuiOpts {
                exec: Some("experience"),
                ..TuiOpts::default()
            })
            .await;
        t.first_frame().await;
        t.set_parsing(false);
        hostile.push((c, t));
    }
    let packet: Vec<u8> = keys.iter().copied().cycle().take(8 * 1024).collect();
    for (_, t) in &hostile {
        t.send(&packet).await;
        t.send(&packet).await;
    }
    tokio::time::sleep(Duration::from_millis(50)).await;
    let started = Instant::now();
    let visit = async {
        let client = connect(server.addr).await;
        let term = client.tui(TuiOpts::default()).await;
        term.wait_for("the first frame", Duration::from_secs(30), |s| {
            s.parser.screen().contents().contains(NAME)
        })
        .await;
    };
    match timeout(Duration::from_secs(3), visit).await {
        Ok(()) => Ok(started.elapsed()),
        Err(_) => Err(format!(
            "a visitor saw nothing for 3 s while two clients sent {:?}…",
            String::from_utf8_lossy(&keys[..keys.len().min(8)])
        )),
    }
    // The server's runtime is abandoned here, busy or not.
}

/// Holding down j and k is cheap for a client; handling it must be cheap for the server, or two
/// clients stall every worker thread and with them every other visitor.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scroll_key_floods_do_not_stall_other_visitors() {
    let _gate = common::exclusive().await;
    let took = visitor_wait_during_key_flood(b"jk").await.unwrap();
    println!("scroll-key flood: another visitor's first frame after {took:?}");
    assert!(took < Duration::from_secs(1), "{took:?}");
}
