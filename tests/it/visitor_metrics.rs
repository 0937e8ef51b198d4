//! The visitor metrics, black box: the real binary with `--metrics 127.0.0.1:0`, russh clients
//! that open the TUI and switch sections (one of them with a hostile version string, TERM and
//! size), exec sessions, then a scrape of `/metrics`: sessions by kind, sections opened, time per
//! section, client families and terminal classes are counted, and nothing the clients chose
//! appears in any label. With promtool on PATH (required when RESUME_SSH_REQUIRE_PROMTOOL=1, as
//! in .ci/run) the scrape must pass `promtool check metrics`.

use crate::common;

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::{TuiOpts, client_config, connect_with};
use russh::SshId;

/// The real binary, and where it listens for SSH and for scrapes.
struct Server {
    child: Child,
    ssh: SocketAddr,
    metrics: SocketAddr,
    _dir: tempfile::TempDir,
}

impl Server {
    fn start() -> Server {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_resume-ssh"));
        for (k, _) in std::env::vars() {
            if k.starts_with("RESUME_SSH_") {
                cmd.env_remove(k);
            }
        }
        cmd.args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--metrics",
            "127.0.0.1:0",
        ])
        .args(["--no-watch", "--resume", common::RESUME_PATH, "--host-key"])
        .arg(dir.path().join("key"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("spawn resume-ssh");
        let stderr = child.stderr.take().expect("stderr");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            // Reads the log to its end, so the server never blocks on a full pipe.
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { return };
                for (key, which) in [("listening on ", 0), ("metrics on ", 1)] {
                    if let Some(rest) = line.split(key).nth(1)
                        && let Ok(a) = rest.trim().parse::<SocketAddr>()
                    {
                        let _ = tx.send((which, a));
                    }
                }
            }
        });
        let (mut ssh, mut metrics) = (None, None);
        let deadline = Instant::now() + Duration::from_secs(20);
        while ssh.is_none() || metrics.is_none() {
            let left = deadline.saturating_duration_since(Instant::now());
            match rx.recv_timeout(left) {
                Ok((0, a)) => ssh = ssh.or(Some(a)),
                Ok((_, a)) => metrics = metrics.or(Some(a)),
                Err(_) => panic!(
                    "the server did not say where it listens (ssh {ssh:?}, metrics {metrics:?})"
                ),
            }
        }
        Server {
            child,
            ssh: ssh.unwrap_or_else(|| unreachable!()),
            metrics: metrics.unwrap_or_else(|| unreachable!()),
            _dir: dir,
        }
    }

    /// One scrape: the body of `GET /metrics`.
    fn scrape(&self) -> String {
        let mut s = std::net::TcpStream::connect_timeout(&self.metrics, Duration::from_secs(5))
            .expect("connect to /metrics");
        s.set_read_timeout(Some(Duration::from_secs(5))).ok();
        s.write_all(b"GET /metrics HTTP/1.0\r\n\r\n")
            .expect("request");
        let mut out = String::new();
        s.read_to_string(&mut out).expect("response");
        let (head, body) = out.split_once("\r\n\r\n").expect("an HTTP response");
        assert!(head.starts_with("HTTP/1.1 200"), "{head}");
        body.to_owned()
    }

    /// Scrapes until `series` has `value` (bounded); the last scrape either way.
    async fn wait_value(&self, series: &str, value: f64) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let text = self.scrape();
            if series_value(&text, series) == Some(value) || Instant::now() > deadline {
                return text;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The value of one exact series (`name{labels}`) in a scrape.
fn series_value(text: &str, series: &str) -> Option<f64> {
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .find_map(|l| l.strip_prefix(series)?.strip_prefix(' ')?.parse().ok())
}

/// Every value each label takes in the scrape's series named `metric*`.
fn label_values(text: &str, metric: &str) -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for line in text.lines().filter(|l| l.starts_with(metric)) {
        let Some((_, rest)) = line.split_once('{') else {
            continue;
        };
        let Some((labels, _)) = rest.rsplit_once('}') else {
            continue;
        };
        for pair in labels.split(',') {
            if let Some((k, v)) = pair.split_once('=') {
                out.entry(k.to_owned())
                    .or_default()
                    .insert(v.trim_matches('"').to_owned());
            }
        }
    }
    out
}

fn assert_series(text: &str, series: &str, want: f64) {
    assert_eq!(series_value(text, series), Some(want), "{series}\n{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn visitors_are_counted_by_section_time_client_and_terminal() {
    let _gate = common::shared().await;
    let server = Server::start();
    let started = Instant::now();

    // A russh client (its own version string) reads About for over a second, then Experience,
    // then Case Studies, and quits.
    let reader = connect_with(server.ssh, client_config()).await;
    let term = reader.tui(TuiOpts::default()).await;
    term.wait_text(common::NAME).await;
    tokio::time::sleep(Duration::from_millis(1300)).await;
    term.send(b"l").await;
    server
        .wait_value(
            "resume_ssh_section_views_total{section=\"experience\"}",
            1.0,
        )
        .await;
    term.send(b"l").await;
    server
        .wait_value(
            "resume_ssh_section_views_total{section=\"case-studies\"}",
            1.0,
        )
        .await;
    term.send(b"q").await;
    term.wait_for("exit", common::WAIT, |s| s.exit.is_some())
        .await;

    // A hostile client: a version string, TERM and env made to look like label syntax, 40
    // columns; it opens the TUI and asks for the JSON export.
    let evil_id = "SSH-2.0-Evil\"} 9 family=\"injected";
    let evil_term = "xterm-\"} 9 colour=\"injected";
    let mut config = client_config();
    config.client_id = SshId::Standard(Cow::Borrowed(evil_id));
    let hostile = connect_with(server.ssh, config).await;
    let term = hostile
        .tui(TuiOpts {
            term: evil_term,
            cols: 40,
            rows: 20,
            env: &[("COLORTERM", "\"} 9 injected")],
            ..TuiOpts::default()
        })
        .await;
    term.wait_text("Arunav").await;
    let json = hostile.exec("json").await;
    assert!(json.text().contains("\"basics\""), "{}", json.text());
    term.send(b"q").await;
    term.wait_for("exit", common::WAIT, |s| s.exit.is_some())
        .await;

    // A visitor who drops the connection without quitting: the time on its section is still
    // recorded (when the session ends, not by a timer).
    let leaver = connect_with(server.ssh, client_config()).await;
    let term = leaver
        .tui(TuiOpts {
            cols: 200,
            rows: 60,
            exec: Some("skills"),
            ..TuiOpts::default()
        })
        .await;
    term.wait_text(common::NAME).await;
    drop(term);
    drop(leaver);

    let text = server
        .wait_value("resume_ssh_section_seconds_count{section=\"skills\"}", 1.0)
        .await;
    let text = if series_value(&text, "resume_ssh_section_seconds_count{section=\"about\"}")
        == Some(2.0)
    {
        text
    } else {
        server
            .wait_value("resume_ssh_section_seconds_count{section=\"about\"}", 2.0)
            .await
    };
    let elapsed = started.elapsed().as_secs_f64();

    // Sessions by kind.
    assert_series(&text, "resume_ssh_sessions_total{kind=\"tui\"}", 3.0);
    assert_series(&text, "resume_ssh_sessions_total{kind=\"json\"}", 1.0);
    // Sections opened: both TUIs start on About; one visitor went on twice.
    assert_series(
        &text,
        "resume_ssh_section_views_total{section=\"about\"}",
        2.0,
    );
    assert_series(
        &text,
        "resume_ssh_section_views_total{section=\"experience\"}",
        1.0,
    );
    assert_series(
        &text,
        "resume_ssh_section_views_total{section=\"case-studies\"}",
        1.0,
    );
    // Time per section: About was read for over 1.3 s by the first visitor; every section left
    // (by a switch or by quitting) has one observation.
    let about = series_value(&text, "resume_ssh_section_seconds_sum{section=\"about\"}")
        .expect("about's time");
    assert!(
        about >= 1.3 && about < elapsed,
        "about {about} s of {elapsed} s\n{text}"
    );
    // The first visitor's 1.3 s is over the 1 s bucket (the second's may or may not be, on a
    // busy machine); both are in +Inf.
    let under_1s = series_value(
        &text,
        "resume_ssh_section_seconds_bucket{le=\"1.0\",section=\"about\"}",
    );
    assert!(
        matches!(under_1s, Some(v) if v <= 1.0),
        "{under_1s:?}\n{text}"
    );
    assert_series(
        &text,
        "resume_ssh_section_seconds_bucket{le=\"+Inf\",section=\"about\"}",
        2.0,
    );
    assert_series(
        &text,
        "resume_ssh_section_seconds_count{section=\"experience\"}",
        1.0,
    );
    assert_series(
        &text,
        "resume_ssh_section_seconds_count{section=\"case-studies\"}",
        1.0,
    );
    // Client families: russh's own id, and the hostile one as "other".
    assert_series(&text, "resume_ssh_clients_total{family=\"russh\"}", 2.0);
    assert_series(&text, "resume_ssh_clients_total{family=\"other\"}", 1.0);
    // Terminals: 100 columns of xterm-256color; 40 columns of an unknown TERM (16 colours).
    assert_series(
        &text,
        "resume_ssh_tui_terminals_total{size=\"standard\",colour=\"256\"}",
        1.0,
    );
    assert_series(
        &text,
        "resume_ssh_tui_terminals_total{size=\"narrow\",colour=\"16\"}",
        1.0,
    );
    assert_series(
        &text,
        "resume_ssh_tui_terminals_total{size=\"wide\",colour=\"256\"}",
        1.0,
    );

    // Nothing the clients chose is in the scrape, and every visitor label is from its fixed set.
    for needle in ["Evil", "injected", "xterm-"] {
        assert!(!text.contains(needle), "{needle:?} in the scrape\n{text}");
    }
    let fixed: &[(&str, &str, &[&str])] = &[
        (
            "resume_ssh_clients_total",
            "family",
            &[
                "openssh", "putty", "dropbear", "libssh", "go", "python", "russh", "other",
            ],
        ),
        (
            "resume_ssh_tui_terminals_total",
            "size",
            &["narrow", "standard", "wide"],
        ),
        (
            "resume_ssh_tui_terminals_total",
            "colour",
            &["truecolor", "256", "16", "monochrome", "dumb"],
        ),
        (
            "resume_ssh_section_views_total",
            "section",
            &[
                "about",
                "experience",
                "case-studies",
                "initiatives",
                "skills",
                "contact",
            ],
        ),
    ];
    for (metric, label, allowed) in fixed {
        let values = label_values(&text, metric);
        let seen = values.get(*label).cloned().unwrap_or_default();
        assert!(!seen.is_empty(), "{metric} has no {label}\n{text}");
        for v in &seen {
            assert!(
                allowed.contains(&v.as_str()),
                "{metric}{{{label}={v:?}}}\n{text}"
            );
        }
        assert_eq!(
            values.len(),
            if *metric == "resume_ssh_tui_terminals_total" {
                2
            } else {
                1
            }
        );
    }

    promtool_check(&text);
}

/// One scrape over a fresh connection, its request written in `pieces` (a moment apart, each
/// its own packet): the response's head and body, or what went wrong.
fn scrape_in_pieces(addr: SocketAddr, pieces: &[&[u8]]) -> Result<(String, String), String> {
    let mut s = std::net::TcpStream::connect_timeout(&addr, Duration::from_secs(2))
        .map_err(|e| format!("connect: {e}"))?;
    s.set_nodelay(true).ok();
    s.set_read_timeout(Some(Duration::from_secs(3))).ok();
    for (i, piece) in pieces.iter().enumerate() {
        if i > 0 {
            std::thread::sleep(Duration::from_millis(40));
        }
        s.write_all(piece).map_err(|e| format!("request: {e}"))?;
    }
    let mut out = String::new();
    s.read_to_string(&mut out)
        .map_err(|e| format!("response: {e} after {out:?}"))?;
    let (head, body) = out
        .split_once("\r\n\r\n")
        .ok_or_else(|| format!("not an HTTP response: {out:?}"))?;
    Ok((head.to_owned(), body.to_owned()))
}

/// Idle sockets on the metrics port cannot starve scrapes: with 20 open and silent, then 200
/// more (more than the endpoint has slots), 10 scrapes in a row are each answered 200 within a
/// second, every other one with its request head split over three packets. A silent socket is
/// closed after 2 s, and a request head that never ends gets 431 at 8 KiB.
#[test]
fn idle_sockets_cannot_starve_scrapes() {
    let _gate = common::shared_blocking();
    let server = Server::start();
    let idle = |n: usize| -> Vec<(std::net::TcpStream, Instant)> {
        (0..n)
            .map(|_| {
                let s =
                    std::net::TcpStream::connect_timeout(&server.metrics, Duration::from_secs(2))
                        .expect("an idle connection");
                (s, Instant::now())
            })
            .collect()
    };
    let scrapes = |round: &str| {
        for i in 0..10 {
            let pieces: &[&[u8]] = if i % 2 == 0 {
                &[b"GET /metrics HTTP/1.0\r\n\r\n"]
            } else {
                &[
                    b"GET /met",
                    b"rics HTTP/1.1\r\nHost: x\r\nAcc",
                    b"ept: */*\r\n\r\n",
                ]
            };
            let t0 = Instant::now();
            let got = scrape_in_pieces(server.metrics, pieces);
            let took = t0.elapsed();
            let (head, body) = got.unwrap_or_else(|e| panic!("{round}: scrape {i}: {e}"));
            assert!(
                head.starts_with("HTTP/1.1 200 "),
                "{round}: scrape {i}: {head}"
            );
            assert!(
                body.contains("resume_ssh_connections_total"),
                "{round}: {body}"
            );
            assert!(
                took < Duration::from_secs(1),
                "{round}: scrape {i} took {took:?}"
            );
        }
    };
    let first = idle(20);
    std::thread::sleep(Duration::from_millis(200));
    scrapes("20 idle sockets");
    let more = idle(200);
    std::thread::sleep(Duration::from_millis(200));
    scrapes("220 idle sockets");

    drop((first, more));

    // A silent socket is closed by the server (EOF) after its 2 s for a request head.
    let (mut silent, opened) = idle(1).remove(0);
    silent.set_read_timeout(Some(Duration::from_secs(6))).ok();
    let r = silent.read(&mut [0u8; 16]);
    let after = opened.elapsed();
    assert!(
        matches!(r, Ok(0)),
        "a silent socket got {r:?} after {after:?}"
    );
    assert!(
        after > Duration::from_millis(1500) && after < Duration::from_secs(3),
        "a silent socket was closed after {after:?}"
    );

    // 8 KiB of head and no end to it (exactly: the server then leaves nothing unread).
    let mut endless = b"GET /metrics HTTP/1.1\r\nX-Pad: ".to_vec();
    endless.resize(8 * 1024, b'a');
    let (head, _) = scrape_in_pieces(server.metrics, &[&endless]).expect("an endless head");
    assert!(head.starts_with("HTTP/1.1 431 "), "{head}");
}

/// `promtool check metrics` on the scrape, when promtool is installed (or required).
fn promtool_check(text: &str) {
    let required = std::env::var("RESUME_SSH_REQUIRE_PROMTOOL").is_ok_and(|v| v == "1");
    let child = Command::new("promtool")
        .args(["check", "metrics"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) if !required => {
            eprintln!("promtool not run ({e}); .ci/run requires it");
            return;
        }
        Err(e) => panic!("promtool is required: {e}"),
    };
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(text.as_bytes())
        .expect("write to promtool");
    let out = child.wait_with_output().expect("promtool");
    assert!(
        out.status.success(),
        "promtool check metrics: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
