//! The server faces the internet: hostile or broken clients must never hurt other visitors, and
//! the limits must hold. Each test here plays a bad client next to a good one.
//!
//! Tests that measure memory (the process's RSS) or latency take the gate exclusively, so other
//! tests in this file do not disturb their numbers; the rest share it.

mod common;

use std::time::Duration;

use common::*;
use russh::ChannelMsg;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;
use tokio::sync::RwLock;
use tokio::time::{Instant, timeout};

static GATE: RwLock<()> = RwLock::const_new(());

/// A normal visitor: a TUI session's first frame shows the name. Returns how long it took.
async fn visitor_sees_the_ui(server: &TestServer) -> Duration {
    let started = Instant::now();
    let client = server.connect().await;
    let term = client.tui(TuiOpts::default()).await;
    term.wait_text(NAME).await;
    let took = started.elapsed();
    term.send(b"q").await;
    assert_eq!(term.wait_closed().await, Some(0));
    took
}

/// A normal visitor: `ssh host plain` works. Returns how long it took.
async fn visitor_gets_plain(server: &TestServer) -> Duration {
    let started = Instant::now();
    let client = server.connect().await;
    let out = client.exec("plain").await;
    assert_eq!(out.exit, Some(0), "{out:?}");
    assert!(out.text().contains(NAME));
    started.elapsed()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn absurd_window_sizes_and_a_resize_flood() {
    let _gate = GATE.write().await;
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
    let _gate = GATE.write().await;
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

/// Escape sequences a terminal may send, for splitting.
const SEQUENCES: &[&[u8]] = &[
    b"\x1b[A",
    b"\x1b[B",
    b"\x1bOC",
    b"\x1bOD",
    b"\x1b[5~",
    b"\x1b[6~",
    b"\x1b[H",
    b"\x1b[F",
    b"\x1b[1;5C",
    b"\x1b[Z",
    b"\x1bOP",
    b"\x1b[15~",
    b"\x1b[<65;10;10M",
    b"\x1b[<64;10;10M",
    b"\x1b[<0;5;5M",
    b"\x1b[<0;5;5m",
    b"\x1b[M !!",
    b"\x1b[0n",
    b"\x1b[12;40R",
    b"\x1b[I",
    b"\x1b[O",
    b"\x1b[200~pasted q text \x03\x1b[201~",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn random_input_and_broken_sequences_leave_the_ui_working() {
    let _gate = GATE.read().await;
    let server = TestServer::start().await;
    let client = server.connect().await;
    let term = client.tui(TuiOpts::default()).await;
    term.first_frame().await;
    let first = term.raw_len();
    // The frames this provokes are not looked at one by one (that would be slow): the screen is
    // checked after a full redraw at the end.
    term.set_parsing(false);

    // 1 MB of random bytes (without the keys that legitimately quit: q, Ctrl-C, Ctrl-D, Ctrl-Q;
    // without ESC; and without m, which turns mouse capture off, so the click below would not
    // reach the app), in packets of random sizes.
    let started = Instant::now();
    let mut rng = fastrand::Rng::with_seed(42);
    let mut left = 1 << 20;
    let mut packets = 0;
    while left > 0 {
        let n = rng.usize(1..=4096).min(left);
        let bytes: Vec<u8> = std::iter::repeat_with(|| rng.u8(..))
            .filter(|b| !matches!(b, b'q' | b'Q' | b'm' | 0x03 | 0x04 | 0x11 | 0x1b))
            .take(n)
            .collect();
        // The server takes input as fast as it can handle it; a debug build is slow at it.
        term.send_within(&bytes, Duration::from_secs(30)).await;
        left -= n;
        packets += 1;
        if packets % 64 == 0 {
            assert!(term.exit().is_none(), "random input ended the session");
        }
    }
    // Every sequence, split at every byte.
    for seq in SEQUENCES {
        for cut in 1..seq.len() {
            term.send_within(&seq[..cut], Duration::from_secs(30)).await;
            term.send_within(&seq[cut..], Duration::from_secs(30)).await;
        }
    }
    // An unterminated sequence, invalid UTF-8 and a truncated character, then enough harmless
    // keys to get past the longest sequence the parser keeps.
    term.send(b"\x1b[999999").await;
    term.send(b"\xff\xfe\xc3\x28\xe2\x82").await;
    term.send(&[b'j'; 70]).await;
    term.settle(Duration::from_millis(300)).await;
    println!(
        "random input: {packets} packets (1 MiB) and split sequences in {:?}; {} bytes of frames",
        started.elapsed(),
        term.raw_len() - first
    );
    assert!(
        term.exit().is_none(),
        "random input must not end the session"
    );

    // Keys still act. The random keys may have left the help open (a click closes it), the
    // search line open (Enter searches or, empty, closes it; `/` then opens it whatever it was,
    // and Esc closes it), another tab ("1") and a scroll position ("g") behind; then a size
    // change redraws everything, and the screen must be exactly the About tab.
    term.send(b"\x1b[<0;20;15M\x1b[<0;20;15m").await;
    term.send(b"\r/").await;
    term.press_esc().await;
    term.send(b"1g").await;
    term.settle(Duration::from_millis(200)).await;
    term.set_parsing(true);
    term.resize(90, 28).await;
    let want = expected_screen(
        &shipped_resume(),
        resume_ssh::content::SectionId::About,
        90,
        28,
        "xterm-256color",
    );
    term.wait_screen("About at 90x28", &want).await;
    assert!(term.alternate_screen());
    term.send(b"q").await;
    assert_eq!(term.wait_closed().await, Some(0));
    assert!(!term.alternate_screen());
    visitor_gets_plain(&server).await;
}

/// A truncated UTF-8 character must not swallow the key after it: a terminal in a Latin-1 locale
/// sends such bytes for every accented letter.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_truncated_character_does_not_swallow_the_next_key() {
    let _gate = GATE.read().await;
    let server = TestServer::start().await;
    let client = server.connect().await;
    for garbage in [&b"\xe9"[..], b"\xe2\x82", b"\xc3"] {
        let term = client.tui(TuiOpts::default()).await;
        term.first_frame().await;
        term.send(garbage).await;
        term.send(b"q").await;
        let closed = term
            .wait_for("q to quit", Duration::from_secs(2), |s| s.closed)
            .await;
        let _ = closed;
        assert_eq!(term.exit(), Some(0), "after {garbage:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn silent_and_stalled_connections_are_cut_at_the_handshake_deadline() {
    let _gate = GATE.write().await;
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
    let _gate = GATE.read().await;

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
    let _gate = GATE.read().await;
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

    // A subsystem other than sftp (tests/e2e_sftp.rs has the read-only sftp).
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
    let _gate = GATE.read().await;
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
    let _gate = GATE.read().await;
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_packet_streams_do_not_hurt_the_server() {
    let _gate = GATE.read().await;
    let server = TestServer::start().await;
    let mut rng = fastrand::Rng::with_seed(1234);
    let mut tasks = Vec::new();
    for i in 0..8 {
        let addr = server.addr;
        let junk: Vec<u8> = match i {
            // A packet length of 4 GiB.
            0 => [0xffu8, 0xff, 0xff, 0xff].repeat(16),
            // A zero-length packet.
            1 => vec![0u8; 64],
            // A plausible length, then garbage.
            2 => {
                let mut v = 1000u32.to_be_bytes().to_vec();
                v.extend(std::iter::repeat_with(|| rng.u8(..)).take(2000));
                v
            }
            _ => {
                let n = rng.usize(1..=65536);
                std::iter::repeat_with(|| rng.u8(..)).take(n).collect()
            }
        };
        tasks.push(tokio::spawn(async move {
            let mut s = TcpStream::connect(addr).await.unwrap();
            s.write_all(b"SSH-2.0-x\r\n").await.unwrap();
            // The server may close while this is being written.
            let _ = s.write_all(&junk).await;
            raw_read_all(&mut s, Duration::from_secs(4)).await.1
        }));
    }
    // Garbage instead of a version line, too.
    let mut s = TcpStream::connect(server.addr).await.unwrap();
    let _ = s.write_all(&[0u8; 300]).await;
    let _ = s.write_all(b"\r\n").await;
    for t in tasks {
        assert!(
            t.await.unwrap(),
            "the server closes a connection that sends garbage"
        );
    }
    assert!(server.is_running());
    visitor_gets_plain(&server).await;
    visitor_sees_the_ui(&server).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_panic_in_one_session_does_not_reach_the_others() {
    let _gate = GATE.read().await;
    let mut server = TestServer::start().await;

    // A visitor is reading the resume.
    let reader = server.connect().await;
    let term = reader.tui(TuiOpts::default()).await;
    term.first_frame().await;

    // Another connection makes its session handler panic (test-only trigger).
    let bad = server.connect().await;
    let out = bad.exec("__panic").await;
    assert_eq!(out.exit, None, "a panicked session sends no exit status");
    assert!(out.stdout.is_empty());
    // Its connection is gone from the server's table; the reader's is still there.
    let deadline = Instant::now() + WAIT;
    while server.shared.connection_count() > 1 {
        assert!(
            Instant::now() < deadline,
            "the panicked connection is still registered ({} open)",
            server.shared.connection_count()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    // The first visitor goes on as if nothing happened.
    term.send(b"l").await;
    term.wait_text("Key Achievements").await;
    assert!(server.is_running());
    visitor_gets_plain(&server).await;

    // And shutdown does not wait for the dead connection.
    server.trigger_shutdown();
    term.wait_text("restarting").await;
    term.wait_closed().await;
    drop(term);
    drop(reader);
    let took = server.join(Duration::from_secs(5)).await;
    assert!(took < Duration::from_secs(2), "shutdown took {took:?}");
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
    let _gate = GATE.write().await;
    let took = visitor_wait_during_key_flood(b"jk").await.unwrap();
    println!("scroll-key flood: another visitor's first frame after {took:?}");
    assert!(took < Duration::from_secs(1), "{took:?}");
}
