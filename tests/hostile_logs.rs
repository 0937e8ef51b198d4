//! The log as an attack surface, against the real binary whose stderr (its log) this test reads:
//! a flood of refused requests writes a bounded number of lines and ends in a disconnect with a
//! reason; client strings (env TERM with CR/LF/ESC) cannot forge lines, nor fields (spaces,
//! quotes, `peer=`) nor hide text (U+202E, U+200B); a log reader that stops reading never stalls
//! serving (lines are dropped and counted instead).
//!
//! `HOSTILE_LOGS_BIN` runs these against another binary (e.g. an older build, to see them fail).

mod common;

use std::io::Read as _;
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::TuiOpts;
use russh::client;
use russh::keys::PublicKeyOrCertificate;

fn bin() -> String {
    std::env::var("HOSTILE_LOGS_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_resume-ssh").into())
}

fn free_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

/// How the test reads the server's log once it listens.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Reader {
    /// As fast as it comes.
    Fast,
    /// Not at all, until `reading` is set again.
    Stuck,
    /// About 1 MB/s (a busy journald or container log pipe), until `reading` is set again.
    Slow,
}

/// The real server, its log (stderr) collected by a thread that can be told to stop reading.
struct Server {
    child: Child,
    addr: SocketAddr,
    metrics: SocketAddr,
    log: Arc<Mutex<Vec<u8>>>,
    reading: Arc<AtomicBool>,
    _dir: tempfile::TempDir,
}

impl Server {
    /// Starts the binary; once it listens, its log is read as `reader` says.
    fn start(env: &[(&str, &str)], reader: Reader) -> Server {
        let dir = tempfile::tempdir().unwrap();
        let metrics: SocketAddr = format!("127.0.0.1:{}", free_port()).parse().unwrap();
        let mut cmd = Command::new(bin());
        for (k, _) in std::env::vars() {
            if k.starts_with("RESUME_SSH_") {
                cmd.env_remove(k);
            }
        }
        cmd.args(["serve", "--listen", "127.0.0.1:0", "--no-watch"])
            .args(["--max-per-ip", "64", "--rate-per-minute", "10000"])
            .arg("--metrics")
            .arg(metrics.to_string())
            .arg("--resume")
            .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/resume.toml"))
            .arg("--host-key")
            .arg(dir.path().join("key"))
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("spawn resume-ssh");
        let mut stderr = child.stderr.take().unwrap();
        let log = Arc::new(Mutex::new(Vec::new()));
        let reading = Arc::new(AtomicBool::new(true));
        let (tx, rx) = std::sync::mpsc::channel();
        {
            let log = Arc::clone(&log);
            let reading = Arc::clone(&reading);
            std::thread::spawn(move || {
                let mut buf = vec![0u8; 64 * 1024];
                let mut told = false;
                loop {
                    if told && reader == Reader::Slow && !reading.load(Ordering::SeqCst) {
                        // 16 KiB every 16 ms: about 1 MB/s.
                        let n = match stderr.read(&mut buf[..16 * 1024]) {
                            Ok(0) | Err(_) => return,
                            Ok(n) => n,
                        };
                        log.lock().unwrap().extend_from_slice(&buf[..n]);
                        std::thread::sleep(Duration::from_millis(16));
                        continue;
                    }
                    if !reading.load(Ordering::SeqCst) {
                        std::thread::sleep(Duration::from_millis(20));
                        continue;
                    }
                    let n = match stderr.read(&mut buf) {
                        Ok(0) | Err(_) => return,
                        Ok(n) => n,
                    };
                    let mut g = log.lock().unwrap();
                    g.extend_from_slice(&buf[..n]);
                    if !told {
                        let text = String::from_utf8_lossy(&g);
                        if let Some(rest) = text.split("listening on ").nth(1) {
                            let addr = rest.split_whitespace().next().unwrap_or("").to_owned();
                            if let Ok(a) = addr.parse::<SocketAddr>() {
                                told = true;
                                if reader != Reader::Fast {
                                    reading.store(false, Ordering::SeqCst);
                                }
                                let _ = tx.send(a);
                            }
                        }
                    }
                }
            });
        }
        let addr = rx
            .recv_timeout(Duration::from_secs(20))
            .expect("the server did not say where it listens");
        Server {
            child,
            addr,
            metrics,
            log,
            reading,
            _dir: dir,
        }
    }

    fn log_text(&self) -> String {
        String::from_utf8_lossy(&self.log.lock().unwrap()).into_owned()
    }

    fn log_bytes(&self) -> Vec<u8> {
        self.log.lock().unwrap().clone()
    }

    /// Waits (bounded) until the log contains `needle`.
    fn wait_log(&self, needle: &str, limit: Duration) -> bool {
        let t0 = Instant::now();
        while t0.elapsed() < limit {
            if self.log_text().contains(needle) {
                return true;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        false
    }

    fn metrics_text(&self) -> String {
        use std::io::Write as _;
        let Ok(mut s) = std::net::TcpStream::connect_timeout(&self.metrics, Duration::from_secs(5))
        else {
            return String::new();
        };
        let _ = s.set_read_timeout(Some(Duration::from_secs(5)));
        let _ = s.write_all(b"GET /metrics HTTP/1.0\r\n\r\n");
        let mut out = String::new();
        let _ = s.read_to_string(&mut out);
        out
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A client that remembers the server's disconnect message.
struct Bye(Arc<Mutex<Option<String>>>);

impl client::Handler for Bye {
    type Error = russh::Error;

    async fn check_server_key(&mut self, _: &PublicKeyOrCertificate) -> Result<bool, Self::Error> {
        Ok(true)
    }

    async fn disconnected(
        &mut self,
        reason: client::DisconnectReason<Self::Error>,
    ) -> Result<(), Self::Error> {
        if let client::DisconnectReason::ReceivedDisconnect(info) = reason {
            *self.0.lock().unwrap() = Some(info.message);
        }
        Ok(())
    }
}

async fn connect_bye(addr: SocketAddr) -> (client::Handle<Bye>, Arc<Mutex<Option<String>>>) {
    let said = Arc::new(Mutex::new(None));
    let mut h = tokio::time::timeout(
        Duration::from_secs(10),
        client::connect(
            Arc::new(common::client_config()),
            addr,
            Bye(Arc::clone(&said)),
        ),
    )
    .await
    .expect("connect timed out")
    .expect("connect");
    let auth = h.authenticate_none("visitor").await.expect("auth");
    assert!(auth.success());
    (h, said)
}

fn lines_with<'a>(log: &'a str, needle: &str) -> Vec<&'a str> {
    log.lines().filter(|l| l.contains(needle)).collect()
}

/// 3,000 refused requests (X11, agent, a subsystem other than sftp, tcpip-forward,
/// direct-tcpip) on one
/// connection: the log gets a few lines and a closing summary with the counts, the client is
/// disconnected with a reason once over the budget, and the metrics count them by kind.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_request_flood_is_bounded_counted_and_disconnected() {
    let server = Server::start(&[], Reader::Fast);
    let (h, said) = connect_bye(server.addr).await;
    let ch = h.channel_open_session().await.expect("session channel");
    let t0 = Instant::now();
    let mut sent = 0;
    for i in 0..3000u32 {
        if t0.elapsed() > Duration::from_secs(20) {
            break;
        }
        let r = match i % 5 {
            0 => {
                ch.request_x11(false, false, "MIT-MAGIC-COOKIE-1", "00", 0)
                    .await
            }
            1 => ch.agent_forward(false).await,
            2 => ch.request_subsystem(false, "netconf").await,
            3 => {
                // Waits for the reply: refused (or the connection is gone).
                match tokio::time::timeout(Duration::from_secs(2), h.tcpip_forward("0.0.0.0", 0))
                    .await
                {
                    Ok(_) => Ok(()),
                    Err(_) => Err(russh::Error::Disconnect),
                }
            }
            _ => {
                match tokio::time::timeout(
                    Duration::from_secs(2),
                    h.channel_open_direct_tcpip("127.0.0.1", 9, "127.0.0.1", 5000),
                )
                .await
                {
                    Ok(Ok(_)) => panic!("a direct-tcpip channel was opened"),
                    Ok(Err(_)) => Ok(()),
                    Err(_) => Err(russh::Error::Disconnect),
                }
            }
        };
        if r.is_err() || h.is_closed() {
            break;
        }
        sent += 1;
    }
    // The server ends the connection: wait for it (bounded).
    let t1 = Instant::now();
    while !h.is_closed() && t1.elapsed() < Duration::from_secs(5) {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // On a server without budgets it never ends: the checks below then say what went wrong.
    server.wait_log("connection ended", Duration::from_secs(5));
    let log = server.log_text();
    // The connection's lines: in its span (`conn{id=…}`) or naming it (`conn=…`).
    let conn_lines: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("conn{") || l.contains("conn="))
        .collect();
    eprintln!(
        "refused flood: {sent} requests sent, {} log lines, {} bytes of log",
        conn_lines.len(),
        log.len()
    );
    assert!(
        conn_lines.len() <= 10,
        "{} log lines for one connection after {sent} refused requests:\n{}",
        conn_lines.len(),
        conn_lines
            .iter()
            .take(20)
            .copied()
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert!(log.len() < 8 * 1024, "{} bytes of log", log.len());
    let summary = lines_with(&log, "connection ended").join("\n");
    assert!(summary.contains("refused_requests"), "how: {summary}");
    assert!(summary.contains("x11="), "{summary}");
    assert!(summary.contains("agent="), "{summary}");
    assert!(summary.contains("subsystem="), "{summary}");
    let said = said.lock().unwrap().clone();
    assert!(
        said.as_deref()
            .is_some_and(|m| m.contains("Too many refused requests")),
        "the client was told: {said:?} after {sent} requests"
    );
    assert!(sent < 3000, "the client could send all 3,000");
    let metrics = server.metrics_text();
    assert!(
        metrics.contains("resume_ssh_requests_refused_total{kind=\"x11\"}"),
        "{metrics}"
    );
    assert!(
        metrics.contains("resume_ssh_budget_exceeded_total{budget=\"refused_requests\"} 1"),
        "{metrics}"
    );
}

/// An env TERM with CR/LF and escape sequences is cleaned before it is used or logged: no
/// forged line, no raw ESC in the log.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn env_term_cannot_forge_log_lines() {
    let server = Server::start(&[], Reader::Fast);
    let (h, _) = connect_bye(server.addr).await;
    let ch = h.channel_open_session().await.expect("session channel");
    ch.request_pty(false, "xterm", 80, 24, 0, 0, &[])
        .await
        .unwrap();
    let evil =
        "xterm\r\n2026-12-01T00:00:00.000000Z  INFO forged: admin logged in\x1b[2J\x1b]0;x\x07";
    ch.set_env(true, "TERM", evil).await.unwrap();
    ch.request_shell(true).await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    ch.data(&b"q"[..]).await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let _ = h
        .disconnect(russh::Disconnect::ByApplication, "bye", "")
        .await;
    assert!(
        server.wait_log("connection ended", Duration::from_secs(5)),
        "{}",
        server.log_text()
    );
    let bytes = server.log_bytes();
    assert!(!bytes.contains(&0x1b), "raw ESC in the log");
    assert!(!bytes.contains(&b'\r'), "raw CR in the log");
    let log = server.log_text();
    for line in log.lines() {
        assert!(
            !line.starts_with("2026-12-01T00:00:00.000000Z"),
            "forged line: {line}"
        );
    }
    assert!(
        log.contains("forged: admin"),
        "the cleaned TERM is in the summary: {log}"
    );
}

/// The `key=value` fields of a text log line after `after`, read as a logfmt reader reads them:
/// split at spaces outside double quotes, a quoted value unescaped (`\"`, `\\`).
fn logfmt_fields(line: &str, after: &str) -> Vec<(String, String)> {
    let rest = line.split_once(after).map_or("", |(_, r)| r);
    let mut out = Vec::new();
    let mut chars = rest.chars().peekable();
    loop {
        while chars.next_if_eq(&' ').is_some() {}
        if chars.peek().is_none() {
            return out;
        }
        let (mut key, mut value) = (String::new(), String::new());
        while let Some(c) = chars.next_if(|&c| c != '=' && c != ' ') {
            key.push(c);
        }
        if chars.next_if_eq(&'=').is_some() {
            if chars.next_if_eq(&'"').is_some() {
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => value.extend(chars.next()),
                        '"' => break,
                        c => value.push(c),
                    }
                }
            } else {
                while let Some(c) = chars.next_if(|&c| c != ' ') {
                    value.push(c);
                }
            }
        }
        out.push((key, value));
    }
}

/// Characters that must not reach the log: controls other than the line's end, and Unicode
/// format characters (bidi overrides, zero-width, tags).
fn hidden_chars(log: &str) -> Vec<String> {
    use unicode_general_category::{GeneralCategory, get_general_category};
    log.chars()
        .filter(|&c| {
            (c.is_control() && c != '\n') || get_general_category(c) == GeneralCategory::Format
        })
        .map(|c| format!("U+{:04X}", u32::from(c)))
        .collect()
}

/// A client whose version string, user name, pty TERM and subsystem name carry spaces, quotes,
/// `peer=… how=… bytes_out=…`, U+202E (right-to-left override) and U+200B (zero-width space):
/// read as logfmt, the closing line has each of its fields once and the client's strings come
/// back whole (format characters as `?`); the refused subsystem's line has one field; no
/// format or control character reaches the log.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn client_strings_cannot_add_fields_or_hide_text() {
    let server = Server::start(&[], Reader::Fast);
    let evil = "x \"q\" peer=1.2.3.4 how=x bytes_out=999 \u{202e}gnp.exe\u{200b}";
    let shown = "x \"q\" peer=1.2.3.4 how=x bytes_out=999 ?gnp.exe?";
    let mut config = common::client_config();
    config.client_id = russh::SshId::Standard(format!("SSH-2.0-evil {evil}").into());
    let said = Arc::new(Mutex::new(None));
    let mut h = tokio::time::timeout(
        Duration::from_secs(10),
        client::connect(Arc::new(config), server.addr, Bye(said)),
    )
    .await
    .expect("connect timed out")
    .expect("connect");
    assert!(h.authenticate_none(evil).await.expect("auth").success());
    let ch = h.channel_open_session().await.expect("session channel");
    ch.request_pty(false, &format!("xterm {evil}"), 80, 24, 0, 0, &[])
        .await
        .unwrap();
    ch.request_subsystem(false, evil).await.unwrap();
    ch.request_shell(true).await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    ch.data(&b"q"[..]).await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let _ = h
        .disconnect(russh::Disconnect::ByApplication, "bye", "")
        .await;
    assert!(
        server.wait_log("connection ended", Duration::from_secs(5)),
        "{}",
        server.log_text()
    );
    let log = server.log_text();
    let closing = lines_with(&log, "connection ended").join("\n");
    let fields = logfmt_fields(&closing, "connection ended ");
    for key in [
        "conn",
        "peer",
        "how",
        "client",
        "term",
        "bytes_out",
        "bytes_in",
    ] {
        let n = fields.iter().filter(|(k, _)| k == key).count();
        assert_eq!(n, 1, "{key}= {n} times in: {closing}");
    }
    let value = |key: &str| {
        fields
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
    };
    assert_eq!(
        value("client").as_deref(),
        Some(format!("SSH-2.0-evil {shown}").as_str()),
        "{closing}"
    );
    assert_eq!(
        value("term").as_deref(),
        Some(format!("xterm {shown}").as_str()),
        "{closing}"
    );
    assert_ne!(value("bytes_out").as_deref(), Some("999"), "{closing}");
    let refused = lines_with(&log, "refused a subsystem").join("\n");
    let fields = logfmt_fields(&refused, "refused a subsystem ");
    assert_eq!(fields.len(), 1, "{refused}");
    assert_eq!(fields[0].0, "subsystem", "{refused}");
    let hidden = hidden_chars(&log);
    assert!(hidden.is_empty(), "{hidden:?} in the log:\n{log}");
}

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
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stuck_log_reader_never_stalls_serving() {
    log_reader_under_flood(Reader::Stuck).await;
}

/// The same with a reader that takes about 1 MB/s. (This flood stays under 1 MB/s of log, so
/// the server before the non-blocking writer passes this too; it guards the slow path.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_log_reader_never_stalls_serving() {
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
    let bystander = tokio::time::timeout(Duration::from_secs(10), common::connect(server.addr))
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
