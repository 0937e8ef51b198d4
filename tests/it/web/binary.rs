//! The real binary with `--http`: the banner names the bound HTTP address, the page and a file
//! are served, a trusted proxy's X-Forwarded-Proto reaches the page's links, and the views are
//! counted by route in the Prometheus metrics (exactly: the binary is a process of its own).

use std::io::{BufRead as _, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::http::get;
use crate::common::RESUME_PATH;

struct Served {
    child: Child,
    http: SocketAddr,
    metrics: SocketAddr,
    _dir: tempfile::TempDir,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve() -> Served {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_resume-ssh"));
    for (k, _) in std::env::vars() {
        if k.starts_with("RESUME_SSH_") {
            cmd.env_remove(k);
        }
    }
    let mut child = cmd
        .args(["serve", "--listen", "127.0.0.1:0", "--resume", RESUME_PATH])
        .args(["--http", "127.0.0.1:0", "--metrics", "127.0.0.1:0"])
        .args(["--trusted-proxy", "127.0.0.1", "--no-watch"])
        .arg("--host-key")
        .arg(dir.path().join("key"))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn serve");
    let stderr = child.stderr.take().expect("stderr");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let deadline = Instant::now() + Duration::from_secs(15);
    let (mut http, mut metrics, mut seen) = (None, None, Vec::new());
    while http.is_none() || metrics.is_none() {
        let left = deadline.saturating_duration_since(Instant::now());
        let Ok(line) = rx.recv_timeout(left) else {
            let _ = child.kill();
            panic!("no HTTP or metrics banner; stderr:\n{}", seen.join("\n"));
        };
        let addr = |p: &str| {
            line.split(p)
                .nth(1)
                .map(|a| a.trim().parse().expect("address"))
        };
        http = http.or_else(|| addr("resume-ssh http on "));
        metrics = metrics.or_else(|| addr("resume-ssh metrics on "));
        seen.push(line);
    }
    Served {
        child,
        http: http.expect("http"),
        metrics: metrics.expect("metrics"),
        _dir: dir,
    }
}

/// The value of the sample `name` in a scrape (0 if absent).
fn sample(scrape: &str, name: &str) -> f64 {
    scrape
        .lines()
        .find_map(|l| l.strip_prefix(name)?.trim().parse().ok())
        .unwrap_or(0.0)
}

#[tokio::test]
async fn the_binary_serves_the_page_and_counts_views() {
    let s = serve();
    // 127.0.0.1 is a trusted proxy here: its X-Forwarded-Proto makes the links https.
    let page = get(
        s.http,
        "/",
        &[
            ("host", "resume.example.com"),
            ("x-forwarded-proto", "https"),
        ],
    )
    .await;
    assert_eq!(page.status, 200);
    assert!(
        page.text()
            .contains("content=\"https://resume.example.com/og.png\"")
    );
    let cached = get(
        s.http,
        "/",
        &[
            ("host", "resume.example.com"),
            ("x-forwarded-proto", "https"),
            ("if-none-match", page.header("etag")),
        ],
    )
    .await;
    assert_eq!(cached.status, 304);
    assert_eq!(get(s.http, "/resume.pdf", &[]).await.status, 200);
    assert_eq!(get(s.http, "/nope", &[]).await.status, 404);
    let scrape = get(s.metrics, "/metrics", &[]).await.text();
    let count = |route: &str| {
        sample(
            &scrape,
            &format!("resume_ssh_web_requests_total{{route=\"{route}\"}}"),
        )
    };
    assert_eq!(count("page"), 2.0, "{scrape}");
    assert_eq!(count("pdf"), 1.0, "{scrape}");
    assert_eq!(count("not_found"), 1.0, "{scrape}");
    assert_eq!(count("json"), 0.0, "{scrape}");
    assert!(
        sample(&scrape, "resume_ssh_web_connections_total") >= 4.0,
        "{scrape}"
    );
    assert!(!scrape.contains("127.0.0.1"), "no address in a label");
}
