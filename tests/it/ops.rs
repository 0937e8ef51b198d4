//! Operations, end to end: live reload of resume.toml under open sessions (file watch and
//! SIGHUP), and the systemd notify protocol (READY, WATCHDOG, STOPPING) of the real binary.

use crate::common;

use std::io::Write as _;
use std::os::unix::net::UnixDatagram;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{TestServer, TuiOpts, shipped_resume, shipped_text, test_limits};
use resume_ssh::reload;

/// Writes `text` to `path` the way an editor that saves in place does: truncate, then write
/// in two pieces with a pause between them.
fn save_in_place(path: &std::path::Path, text: &str, pause: Duration) {
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .truncate(true)
        .open(path)
        .unwrap();
    let half = text.len() / 2;
    let cut = (half..text.len())
        .find(|&i| text.is_char_boundary(i))
        .unwrap();
    f.write_all(&text.as_bytes()[..cut]).unwrap();
    f.flush().unwrap();
    std::thread::sleep(pause);
    f.write_all(&text.as_bytes()[cut..]).unwrap();
    f.flush().unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn file_edits_reach_open_sessions_and_bad_files_are_never_served() {
    let _gate = common::shared().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("resume.toml");
    std::fs::write(&path, shipped_text()).unwrap();
    let server = TestServer::with(shipped_resume(), test_limits()).await;
    reload::spawn(Arc::clone(&server.shared), path.clone(), true);
    // Give the watcher a moment to be in place.
    tokio::time::sleep(Duration::from_millis(200)).await;

    let client = server.connect().await;
    let term = client.tui(TuiOpts::default()).await;
    term.wait_text("Backend Platform Engineer").await;

    // A valid edit, saved slowly in place: the open session redraws with it, on the same tab.
    term.send(b"\x1b[C").await; // Experience
    term.wait_text("Key Achievements").await;
    let edited = shipped_text().replace(
        "label = \"Backend Platform Engineer\"",
        "label = \"Principal Platform Engineer\"",
    );
    let text = edited.clone();
    let p = path.clone();
    tokio::task::spawn_blocking(move || save_in_place(&p, &text, Duration::from_millis(100)))
        .await
        .unwrap();
    // The session redraws from the server side: no key, no answer to any query.
    term.wait_text("Principal Platform Engineer").await;
    assert!(term.contents().contains("Key Achievements"), "tab kept");
    assert_eq!(
        server.shared.resume().basics.label.as_str(),
        "Principal Platform Engineer"
    );

    // An invalid file (unknown key) is rejected: the last good version stays, for open and new
    // sessions alike.
    let broken = edited.replace("[basics]\n", "[basics]\nnickname = \"x\"\n");
    std::fs::write(&path, &broken).unwrap();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(
        server.shared.resume().basics.label.as_str(),
        "Principal Platform Engineer"
    );
    assert!(term.contents().contains("Principal Platform Engineer"));
    let plain = server.connect().await.exec("plain").await.text();
    assert!(plain.contains("Principal Platform Engineer"));

    // A file cut in half (what a crash mid-save leaves) is never served either.
    let half: String = edited.chars().take(edited.chars().count() / 2).collect();
    std::fs::write(&path, half).unwrap();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(server.shared.resume().work.len(), 3);

    // SIGHUP-style reload (the function the signal calls) picks up a fixed file at once.
    std::fs::write(&path, shipped_text()).unwrap();
    let outcome = reload::reload(&server.shared, &path);
    assert!(
        matches!(
            outcome,
            reload::Outcome::Reloaded | reload::Outcome::Unchanged
        ),
        "{outcome:?}"
    );
    reload::wake_sessions(&server.shared);
    term.wait_text("Backend Platform Engineer").await;
}

/// The real binary speaks the systemd notify protocol: READY=1 once it listens, WATCHDOG=1 while
/// the accept loop runs, STOPPING=1 on SIGTERM, then exit 0.
#[test]
fn systemd_notify_ready_watchdog_stopping() {
    let _gate = common::shared_blocking();
    let dir = tempfile::tempdir().unwrap();
    let sock_path = dir.path().join("notify.sock");
    let sock = UnixDatagram::bind(&sock_path).unwrap();
    sock.set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    // systemd names the watched process in WATCHDOG_PID: `exec` keeps the shell's PID.
    let mut child = Command::new("sh")
        .arg("-c")
        .arg("WATCHDOG_PID=$$ exec \"$0\" \"$@\"")
        .arg(env!("CARGO_BIN_EXE_resume-ssh"))
        .args(["serve", "--listen", "127.0.0.1:0", "--no-watch"])
        .arg("--resume")
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/resume.toml"))
        .arg("--host-key")
        .arg(dir.path().join("key"))
        .env("NOTIFY_SOCKET", &sock_path)
        // The watchdog: every 2 s; the server pets it from its accept loop at least every second.
        .env("WATCHDOG_USEC", "2000000")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut got = Vec::new();
    let started = Instant::now();
    let mut buf = [0u8; 256];
    while started.elapsed() < Duration::from_secs(10) {
        let Ok(n) = sock.recv(&mut buf) else { break };
        let msg = String::from_utf8_lossy(&buf[..n]).into_owned();
        got.push(msg.clone());
        if got.iter().filter(|m| m.contains("WATCHDOG=1")).count() >= 2 {
            break;
        }
    }
    assert!(got.iter().any(|m| m.contains("READY=1")), "{got:?}");
    assert!(
        got.iter().filter(|m| m.contains("WATCHDOG=1")).count() >= 2,
        "{got:?}"
    );
    let ready_at = got.iter().position(|m| m.contains("READY=1")).unwrap();
    let first_dog = got.iter().position(|m| m.contains("WATCHDOG=1")).unwrap();
    assert!(ready_at < first_dog, "READY before the watchdog: {got:?}");

    let pid = child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    let mut stopping = false;
    while let Ok(n) = sock.recv(&mut buf) {
        if String::from_utf8_lossy(&buf[..n]).contains("STOPPING=1") {
            stopping = true;
            break;
        }
    }
    assert!(stopping, "no STOPPING=1 after SIGTERM");
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        assert!(
            Instant::now() < deadline,
            "server did not exit after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "{status:?}");
}

/// A server with PROXY protocol on or off, on this test's runtime.
async fn proxy_server(
    on: bool,
    limits: common::Limits,
) -> (std::net::SocketAddr, tempfile::TempDir) {
    use resume_ssh::server::Server;
    use resume_ssh::shared::Shared;
    let dir = tempfile::tempdir().unwrap();
    let (key, _) = resume_ssh::hostkey::load_or_create(&dir.path().join("key")).unwrap();
    let shared = Arc::new(Shared::new(shipped_resume(), limits).with_proxy_protocol(on));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(Server::new(shared, key).run(vec![listener], std::future::pending(), || {}));
    (addr, dir)
}

fn proxy_header(src: &str) -> Vec<u8> {
    use ppp::v2::{Builder, Command as PCommand, Protocol, Version};
    let src: std::net::SocketAddr = src.parse().unwrap();
    let dst: std::net::SocketAddr = "192.0.2.1:22".parse().unwrap();
    Builder::with_addresses(Version::Two | PCommand::Proxy, Protocol::Stream, (src, dst))
        .build()
        .unwrap()
}

async fn stream_with_header(addr: std::net::SocketAddr, src: &str) -> tokio::net::TcpStream {
    use tokio::io::AsyncWriteExt;
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    s.write_all(&proxy_header(src)).await.unwrap();
    s
}

/// Everything the server sends until it closes (bounded).
async fn read_all(mut s: tokio::net::TcpStream) -> Vec<u8> {
    use tokio::io::AsyncReadExt;
    let mut out = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), s.read_to_end(&mut out)).await;
    out
}

/// Behind a load balancer the client's address comes from the PROXY header: limits count it,
/// not the balancer. A connection without a header is refused; with the option off, a header
/// is not accepted.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn proxy_protocol_addresses_drive_the_limits() {
    let _gate = common::shared().await;
    let limits = common::Limits {
        max_per_ip: 1,
        rate_per_ip_per_minute: 1000,
        ..test_limits()
    };
    let (addr, _dir) = proxy_server(true, limits.clone()).await;

    // Client X holds a session open.
    let x = common::connect_stream(
        stream_with_header(addr, "203.0.113.9:40000").await,
        common::client_config(),
    )
    .await;
    let term = x.tui(TuiOpts::default()).await;
    term.wait_text("Arunav Malhotra").await;

    // A second connection from X (through the same balancer address, 127.0.0.1) is over X's
    // limit: refused with words, before any key exchange.
    let refused = read_all(stream_with_header(addr, "203.0.113.9:40001").await).await;
    let text = String::from_utf8_lossy(&refused);
    assert!(text.contains("Too many open connections"), "{text}");

    // Client Y, also through 127.0.0.1, is served: the limit is per original client.
    let y = common::connect_stream(
        stream_with_header(addr, "198.51.100.7:50000").await,
        common::client_config(),
    )
    .await;
    assert!(y.exec("plain").await.text().contains("Arunav Malhotra"));

    // No header: closed without a word of SSH.
    let raw = tokio::net::TcpStream::connect(addr).await.unwrap();
    {
        use tokio::io::AsyncWriteExt;
        let mut raw = raw;
        raw.write_all(b"SSH-2.0-OpenSSH_9.2\r\n").await.unwrap();
        let got = read_all(raw).await;
        assert!(
            !got.starts_with(b"SSH-2.0-"),
            "{:?}",
            String::from_utf8_lossy(&got)
        );
    }

    // With the option off, a header is not accepted: the SSH handshake fails.
    let (plain_addr, _dir2) = proxy_server(false, limits).await;
    let s = stream_with_header(plain_addr, "203.0.113.9:40000").await;
    let recorder_config = Arc::new(common::client_config());
    let attempt = tokio::time::timeout(Duration::from_secs(5), async move {
        struct Accept;
        impl russh::client::Handler for Accept {
            type Error = russh::Error;
            async fn check_server_key(
                &mut self,
                _key: &russh::keys::PublicKeyOrCertificate,
            ) -> Result<bool, Self::Error> {
                Ok(true)
            }
        }
        let mut h = russh::client::connect_stream(recorder_config, s, Accept).await?;
        h.authenticate_none("x").await.map(|a| a.success())
    })
    .await;
    assert!(
        !matches!(attempt, Ok(Ok(true))),
        "a PROXY header was accepted with --proxy-protocol off"
    );
}
