//! Broken and random input (split escape sequences, truncated characters, malformed packets,
//! a panicking session): the UI and the other sessions go on.

use super::*;

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
    let _gate = common::shared().await;
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
    let _gate = common::shared().await;
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
async fn malformed_packet_streams_do_not_hurt_the_server() {
    let _gate = common::shared().await;
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
    let _gate = common::shared().await;
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
