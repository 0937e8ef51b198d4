//! Connections and channels: the handshake deadline, per-address and global limits, refused
//! extra channels and subsystems, and graceful shutdown.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn silent_and_stalled_connections_are_cut_at_the_handshake_deadline() {
    let _gate = common::exclusive().await;
    let server = TestServer::with_limits(Limits {
        handshake_timeout: Duration::from_secs(2),
        max_per_ip: 200,
        max_connections: 200,
        rate_per_ip_per_minute: 10_000,
        ..Limits::default()
    })
    .await;

    let mut tasks = Vec::new();
    for i in 0..70 {
        let addr = server.addr;
        tasks.push(tokio::spawn(async move {
            let mut s = TcpStream::connect(addr).await.unwrap();
            let started = Instant::now();
            if i >= 50 {
                s.write_all(b"SSH-2.0-x\r\n").await.unwrap();
            }
            let (bytes, closed) = raw_read_all(&mut s, Duration::from_secs(6)).await;
            (i, started.elapsed(), closed, bytes)
        }));
    }
    // Meanwhile a well-behaved visitor is served at once.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let took = visitor_gets_plain(&server).await;
    println!("70 stalled connections open; a visitor got plain text in {took:?}");
    assert!(took < Duration::from_secs(1), "{took:?}");

    let mut slowest = Duration::ZERO;
    for t in tasks {
        let (i, elapsed, closed, bytes) = t.await.unwrap();
        assert!(closed, "connection {i} still open after {elapsed:?}");
        // The deadline is checked by a once-a-second sweep: up to a second late.
        assert!(
            elapsed < Duration::from_millis(4000),
            "connection {i} closed after {elapsed:?}"
        );
        assert!(
            elapsed > Duration::from_millis(1500),
            "connection {i} closed before the deadline ({elapsed:?})"
        );
        assert!(
            bytes.starts_with(b"SSH-2.0-resume_ssh_"),
            "connection {i} got {:?}",
            String::from_utf8_lossy(&bytes)
        );
        slowest = slowest.max(elapsed);
    }
    println!("stalled connections closed after at most {slowest:?}");
    assert!(server.is_running());
    visitor_gets_plain(&server).await;
}

/// Splits a refusal into (text line, version line, disconnect reason code, description).
fn parse_refusal(bytes: &[u8]) -> (String, String, u32, String) {
    let text = String::from_utf8_lossy(bytes);
    let mut lines = text.splitn(3, "\r\n");
    let line = lines.next().unwrap_or_default().to_owned();
    let id = lines.next().unwrap_or_default().to_owned();
    let header = line.len() + 2 + id.len() + 2;
    assert!(
        bytes.len() > header + 10,
        "no packet after the version line: {text:?}"
    );
    let pkt = &bytes[header..];
    let len = u32::from_be_bytes(pkt[..4].try_into().unwrap()) as usize;
    assert_eq!(pkt.len(), 4 + len, "one whole packet");
    let pad = pkt[4] as usize;
    assert!(pad >= 4);
    let payload = &pkt[5..4 + len - pad];
    assert_eq!(payload[0], 1, "SSH_MSG_DISCONNECT");
    let reason = u32::from_be_bytes(payload[1..5].try_into().unwrap());
    let dlen = u32::from_be_bytes(payload[5..9].try_into().unwrap()) as usize;
    let desc = String::from_utf8(payload[9..9 + dlen].to_vec()).unwrap();
    (line, id, reason, desc)
}

/// Connects with a plain socket and reads the refusal.
async fn refused(server: &TestServer) -> (String, String, u32, String) {
    let mut s = TcpStream::connect(server.addr).await.unwrap();
    let (bytes, closed) = raw_read_all(&mut s, Duration::from_secs(3)).await;
    assert!(closed, "a refused connection is closed");
    parse_refusal(&bytes)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connection_limits_refuse_before_key_exchange() {
    let _gate = common::shared().await;

    // Per address.
    let server = TestServer::with_limits(Limits {
        max_per_ip: 2,
        ..test_limits()
    })
    .await;
    let a = server.connect().await;
    let b = server.connect().await;
    let (line, id, reason, desc) = refused(&server).await;
    assert!(line.contains("Too many open connections"), "{line}");
    assert!(id.starts_with("SSH-2.0-resume_ssh_"), "{id}");
    assert_eq!(reason, 12, "SSH_DISCONNECT_TOO_MANY_CONNECTIONS");
    assert_eq!(desc, line);
    // An SSH client is told, not left hanging.
    let r = timeout(Duration::from_secs(3), try_connect(server.addr)).await;
    println!("a refused SSH client: {r:?}");
    assert!(
        matches!(r, Ok(Err(_))),
        "a refused SSH client fails fast: {r:?}"
    );
    // The open ones still work; closing one frees its slot.
    assert_eq!(a.exec("json").await.exit, Some(0));
    drop(b);
    let deadline = Instant::now() + Duration::from_secs(3);
    loop {
        let mut s = TcpStream::connect(server.addr).await.unwrap();
        let (bytes, _) = raw_read_all(&mut s, Duration::from_millis(300)).await;
        if !contains(&bytes, b"Too many") {
            break;
        }
        assert!(Instant::now() < deadline, "the slot was not freed");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    drop(server);

    // In total.
    let server = TestServer::with_limits(Limits {
        max_connections: 1,
        ..test_limits()
    })
    .await;
    let a = server.connect().await;
    let (line, _, reason, _) = refused(&server).await;
    assert!(line.contains("busy"), "{line}");
    assert_eq!(reason, 12);
    assert_eq!(a.exec("json").await.exit, Some(0));
    drop(server);

    // New connections per minute.
    let server = TestServer::with_limits(Limits {
        rate_per_ip_per_minute: 3,
        ..test_limits()
    })
    .await;
    for _ in 0..3 {
        let c = server.connect().await;
        drop(c);
    }
    let (line, _, reason, _) = refused(&server).await;
    assert!(line.contains("Too many new connections"), "{line}");
    assert_eq!(reason, 12);
}

/// Waits for the reply to a request sent with want_reply.
async fn reply(channel: &mut russh::Channel<russh::client::Msg>) -> bool {
    let deadline = Instant::now() + WAIT;
    loop {
        match tokio::time::timeout_at(deadline, channel.wait()).await {
            Err(_) => panic!("no reply to the request"),
            Ok(None) => panic!("channel closed without a reply"),
            Ok(Some(ChannelMsg::Success)) => return true,
            Ok(Some(ChannelMsg::Failure)) => return false,
            Ok(Some(_)) => {}
        }
    }
}

async fn plain_still_works(client: &Client) {
    let out = client.exec("plain").await;
    assert_eq!(out.exit, Some(0), "{out:?}");
    assert!(out.text().contains(NAME));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn extra_channels_forwarding_and_subsystems_are_refused() {
    let _gate = common::shared().await;
    let server = TestServer::start().await;

    // Session channels per connection (2).
    let client = server.connect().await;
    let one = client.handle.channel_open_session().await.expect("first");
    let two = client.handle.channel_open_session().await.expect("second");
    let three = timeout(WAIT, client.handle.channel_open_session())
        .await
        .expect("an answer");
    assert!(three.is_err(), "a third simultaneous session channel");
    one.close().await.unwrap();
    drop(one);
    // With one closed, there is room again.
    plain_still_works(&client).await;
    drop(two);

    let client = server.connect().await;
    // Local port forwarding.
    let r = timeout(
        WAIT,
        client
            .handle
            .channel_open_direct_tcpip("127.0.0.1", 22, "127.0.0.1", 40000),
    )
    .await
    .expect("an answer");
    assert!(r.is_err(), "direct-tcpip must be refused");
    plain_still_works(&client).await;

    // Remote port forwarding.
    let r = timeout(WAIT, client.handle.tcpip_forward("127.0.0.1", 0))
        .await
        .expect("an answer");
    assert!(r.is_err(), "tcpip-forward must fail: {r:?}");
    plain_still_works(&client).await;

    // A subsystem other than sftp (e2e_sftp has the read-only sftp).
    let mut ch = client.handle.channel_open_session().await.unwrap();
    ch.request_subsystem(true, "netconf").await.unwrap();
    assert!(!reply(&mut ch).await, "netconf must be refused");
    ch.close().await.unwrap();
    drop(ch);
    plain_still_works(&client).await;

    // Agent forwarding.
    let mut ch = client.handle.channel_open_session().await.unwrap();
    ch.agent_forward(true).await.unwrap();
    assert!(!reply(&mut ch).await, "agent forwarding must be refused");
    ch.close().await.unwrap();
    drop(ch);
    plain_still_works(&client).await;

    // X11 forwarding, on a new connection.
    let client = server.connect().await;
    let mut ch = client.handle.channel_open_session().await.unwrap();
    ch.request_x11(true, false, "MIT-MAGIC-COOKIE-1", "00112233", 0)
        .await
        .unwrap();
    assert!(!reply(&mut ch).await, "X11 must be refused");
    ch.close().await.unwrap();
    drop(ch);
    plain_still_works(&client).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn graceful_shutdown_restores_the_terminal_and_says_why() {
    let _gate = common::shared().await;
    let grace = Duration::from_secs(3);
    let mut server = TestServer::with_limits(Limits {
        shutdown_grace: grace,
        ..test_limits()
    })
    .await;
    let client = server.connect().await;
    let term = client.tui(TuiOpts::default()).await;
    term.first_frame().await;
    assert!(term.alternate_screen());
    // A second connection that is open without a session.
    let idle = server.connect().await;

    let started = Instant::now();
    server.trigger_shutdown();
    term.wait_text("restarting").await;
    assert!(!term.alternate_screen(), "left the alternate screen");
    assert!(!term.cursor_hidden(), "cursor visible again");
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
    // Like OpenSSH, the client leaves when its last channel closes.
    drop(term);
    drop(client);
    // The connection without a session is disconnected.
    while !idle.handle.is_closed() {
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "the idle connection was not disconnected"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // With every client gone, the server does not wait for the grace period.
    let took = server.join(grace + Duration::from_secs(2)).await;
    let total = started.elapsed();
    println!("shutdown with two connections that leave when told: {total:?}");
    assert!(total < grace, "{total:?}");
    let _ = took;
    // Nothing listens any more.
    assert!(TcpStream::connect(server.addr).await.is_err());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_cuts_a_lingering_client_at_the_end_of_the_grace_period() {
    let _gate = common::shared().await;
    let grace = Duration::from_secs(2);
    let mut server = TestServer::with_limits(Limits {
        shutdown_grace: grace,
        ..test_limits()
    })
    .await;
    let client = server.connect().await;
    let term = client.tui(TuiOpts::default()).await;
    term.first_frame().await;
    let started = Instant::now();
    server.trigger_shutdown();
    term.wait_text("restarting").await;
    assert_eq!(term.wait_closed().await, Some(0));
    // This client keeps its connection open after the channel closed.
    server.join(grace + Duration::from_secs(3)).await;
    let total = started.elapsed();
    println!("shutdown with a lingering client: {total:?}");
    assert!(total <= grace + Duration::from_millis(600), "{total:?}");
    let deadline = Instant::now() + Duration::from_secs(2);
    while !client.handle.is_closed() {
        assert!(
            Instant::now() < deadline,
            "the lingering client was not cut"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
