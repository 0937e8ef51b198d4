//! The `resume-ssh` binary as a user runs it: check, export, render, and serve (host key handling,
//! persistence across restarts, SIGTERM).

use crate::common;

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::*;

const BIN: &str = env!("CARGO_BIN_EXE_resume-ssh");

/// The binary with no RESUME_SSH_* settings from the environment.
fn bin() -> Command {
    let mut c = Command::new(BIN);
    for (k, _) in std::env::vars() {
        if k.starts_with("RESUME_SSH_") {
            c.env_remove(k);
        }
    }
    c.stdin(Stdio::null());
    c
}

/// Runs to completion (at most 20 s).
fn run(c: &mut Command) -> Output {
    let child = c
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn resume-ssh");
    let pid = child.id();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    match rx.recv_timeout(Duration::from_secs(20)) {
        Ok(out) => out.expect("wait"),
        Err(_) => {
            let _ = Command::new("kill")
                .args(["-KILL", &pid.to_string()])
                .status();
            panic!("resume-ssh did not finish within 20 s");
        }
    }
}

#[test]
fn check_accepts_the_shipped_resume() {
    let _gate = common::shared_blocking();
    let out = run(bin().args(["check", RESUME_PATH]));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("OK"), "{stdout}");
    assert!(stdout.contains(NAME), "{stdout}");
}

#[test]
fn check_reports_an_unknown_key_with_path_line_and_column() {
    let _gate = common::shared_blocking();
    let dir = tempfile::tempdir().unwrap();
    let text = shipped_text();
    let name_line = text
        .lines()
        .position(|l| l.starts_with("name = \"Arunav"))
        .expect("the name line")
        + 1;
    let bad = text.replacen(
        "name = \"Arunav Malhotra\"\n",
        "name = \"Arunav Malhotra\"\nnickname = \"Ari\"\n",
        1,
    );
    let path = dir.path().join("bad.toml");
    std::fs::write(&path, bad).unwrap();
    let out = run(bin().arg("check").arg(&path));
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let want = format!("{}:{}:1:", path.display(), name_line + 1);
    assert!(stderr.contains(&want), "want {want:?} in {stderr}");
    assert!(stderr.contains("nickname"), "{stderr}");
    assert!(out.stdout.is_empty());

    // A file that is not there.
    let out = run(bin().arg("check").arg(dir.path().join("missing.toml")));
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing.toml"));
}

#[test]
fn export_json_parses_and_render_fills_the_screen() {
    let _gate = common::shared_blocking();
    let out = run(bin().args(["export", "json", "--resume", RESUME_PATH]));
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(v["basics"]["name"], NAME);

    let out = run(bin().args([
        "render",
        "--width",
        "80",
        "--height",
        "24",
        "--resume",
        RESUME_PATH,
    ]));
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    assert!(text.contains(NAME), "{text}");
    assert_eq!(text.lines().count(), 24, "{text}");
    for l in text.lines() {
        assert!(
            unicode_width::UnicodeWidthStr::width(l) <= 80,
            "wider than 80: {l:?}"
        );
    }
    assert!(
        !text.contains('\x1b'),
        "the text format has no escape codes"
    );
}

/// A running `resume-ssh serve`.
struct Served {
    child: Child,
    addr: SocketAddr,
    /// The fingerprint the binary printed.
    printed_fingerprint: String,
    stderr: mpsc::Receiver<String>,
}

fn serve(key: &Path) -> Served {
    let mut child = bin()
        .args(["serve", "--listen", "127.0.0.1:0", "--resume", RESUME_PATH])
        .arg("--host-key")
        .arg(key)
        .env("RESUME_SSH_LOG", "info")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn serve");
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut addr = None;
    let mut fingerprint = None;
    let mut seen = Vec::new();
    while addr.is_none() || fingerprint.is_none() {
        let left = deadline.saturating_duration_since(Instant::now());
        let line = match rx.recv_timeout(left) {
            Ok(l) => l,
            Err(_) => {
                let _ = child.kill();
                panic!(
                    "no 'listening on' from serve; stderr so far:\n{}",
                    seen.join("\n")
                );
            }
        };
        if let Some(rest) = line.split("listening on ").nth(1) {
            addr = Some(rest.trim().parse::<SocketAddr>().expect("an address"));
        }
        if line.trim_start().starts_with("host key")
            && let Some(i) = line.find("SHA256:")
        {
            fingerprint = Some(line[i..].trim().to_owned());
        }
        seen.push(line);
    }
    Served {
        child,
        addr: addr.unwrap(),
        printed_fingerprint: fingerprint.unwrap(),
        stderr: rx,
    }
}

impl Served {
    fn sigterm(&self) {
        let ok = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("kill");
        assert!(ok.success());
    }

    /// Waits (at most `limit`) for the exit.
    fn wait_exit(mut self, limit: Duration) -> (ExitStatus, Duration) {
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return (status, started.elapsed());
            }
            if started.elapsed() > limit {
                let _ = self.child.kill();
                let rest: Vec<String> = self.stderr.try_iter().collect();
                panic!("no exit within {limit:?}; stderr:\n{}", rest.join("\n"));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn serve_refuses_a_corrupt_host_key_and_leaves_it_alone() {
    let _gate = common::shared_blocking();
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("ssh_host_ed25519_key");
    let kind = "OPENSSH PRIVATE KEY";
    let junk = format!("-----BEGIN {kind}-----\nnot a key at all\n-----END {kind}-----\n");
    let junk = junk.as_bytes();
    std::fs::write(&key, junk).unwrap();
    let out = run(bin()
        .args(["serve", "--listen", "127.0.0.1:0", "--resume", RESUME_PATH])
        .arg("--host-key")
        .arg(&key));
    assert!(!out.status.success(), "serve must not start");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("left untouched"), "{stderr}");
    assert_eq!(
        std::fs::read(&key).unwrap(),
        junk,
        "the key file is unchanged"
    );
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no new files"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn host_key_persists_across_restarts_and_sigterm_exits_0() {
    let _gate = common::shared().await;
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("keys/ssh_host_ed25519_key");

    // First start: the key is created.
    let served = serve(&key);
    assert!(key.exists(), "the host key was created");
    let client = connect(served.addr).await;
    assert_eq!(client.server_fingerprint, served.printed_fingerprint);
    let first = client.server_fingerprint.clone();
    let out = client.exec("plain").await;
    assert_eq!(out.exit, Some(0));
    assert!(out.text().contains(NAME));
    drop(client);
    let bytes = std::fs::read(&key).unwrap();
    served.sigterm();
    let (status, took) =
        tokio::task::spawn_blocking(move || served.wait_exit(Duration::from_secs(8)))
            .await
            .unwrap();
    println!("serve exited ({status}) {took:?} after SIGTERM");
    assert_eq!(status.code(), Some(0), "SIGTERM is a clean exit");

    // Second start: the same key, the same fingerprint.
    let served = serve(&key);
    let client = connect(served.addr).await;
    assert_eq!(
        client.server_fingerprint, first,
        "same host key after a restart"
    );
    assert_eq!(
        std::fs::read(&key).unwrap(),
        bytes,
        "the key file was not rewritten"
    );

    // SIGTERM with a visitor in the UI: the visitor is told and their terminal restored; when
    // they leave (as OpenSSH does once its channel closes), the server exits at once.
    let term = client.tui(TuiOpts::default()).await;
    term.wait_text(NAME).await;
    let started = Instant::now();
    served.sigterm();
    let exited = tokio::task::spawn_blocking(move || served.wait_exit(Duration::from_secs(10)));
    term.wait_text("restarting").await;
    assert!(!term.alternate_screen());
    assert_eq!(term.wait_closed().await, Some(0));
    drop(term);
    drop(client);
    let (status, _) = exited.await.unwrap();
    let took = started.elapsed();
    println!("serve with an open session exited ({status}) {took:?} after SIGTERM");
    assert_eq!(status.code(), Some(0));
    assert!(took < Duration::from_secs(3), "{took:?}");
}
