//! Messages end to end, on the real binary: `ssh HOST message` over russh, the store in a
//! temporary `--data-dir`, read back with `resume-ssh inbox`; SIGKILL right after an
//! acknowledgement; the limits from many addresses and from one; the webhook outbox across a
//! restart. The helpers: the server as a child process ([`Served`]), sending a message
//! ([`send`]) and running `inbox` ([`inbox`]).

use crate::common;

mod durability;
mod limits;
mod safety;
mod throughput;
mod web_form;
mod webhook;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

use common::{Output, client::collect};

/// The real binary serving on 127.0.0.1:0 with its data in `data_dir`. Killed (SIGKILL) when
/// dropped or with [`Served::kill`].
pub struct Served {
    child: std::process::Child,
    log: Receiver<String>,
    pub addr: SocketAddr,
    /// Every line the server wrote to stderr so far (filled by [`Served::log_lines`]).
    seen: Vec<String>,
}

impl Served {
    /// Starts the server with `extra` flags; returns once it printed its address.
    pub fn start(data_dir: &Path, key: &Path, extra: &[&str]) -> Served {
        use std::io::BufRead;
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_resume-ssh"));
        for (k, _) in std::env::vars() {
            if k.starts_with("RESUME_SSH_") {
                cmd.env_remove(k);
            }
        }
        let mut child = cmd
            .args(["serve", "--resume", common::RESUME_PATH, "--no-watch"])
            .args(["--listen", "127.0.0.1:0"])
            .arg("--host-key")
            .arg(key)
            .arg("--data-dir")
            .arg(data_dir)
            .args(["--log-ip", "full"])
            .args(extra)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("spawn resume-ssh");
        let stderr = child.stderr.take().expect("stderr");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let deadline = Instant::now() + Duration::from_secs(20);
        let mut seen = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let Ok(line) = rx.recv_timeout(left) else {
                let _ = child.kill();
                let _ = child.wait();
                panic!("no 'listening on' line; stderr:\n{}", seen.join("\n"));
            };
            let addr = line
                .strip_prefix("resume-ssh listening on ")
                .map(|a| a.trim().parse().expect("an address"));
            seen.push(line);
            if let Some(addr) = addr {
                return Served {
                    child,
                    log: rx,
                    addr,
                    seen,
                };
            }
        }
    }

    /// SIGKILL, and waits for the process to be gone.
    pub fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// The server's stderr so far.
    pub fn log_lines(&mut self) -> &[String] {
        self.seen.extend(self.log.try_iter());
        &self.seen
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        if std::thread::panicking() {
            let rest: Vec<String> = self.log.try_iter().collect();
            eprintln!("server log:\n{}\n{}", self.seen.join("\n"), rest.join("\n"));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A data directory and a host key in a temporary directory.
pub struct Dirs {
    _tmp: tempfile::TempDir,
    pub data: PathBuf,
    pub key: PathBuf,
}

pub fn dirs() -> Dirs {
    let tmp = tempfile::tempdir().expect("temp dir");
    Dirs {
        data: tmp.path().join("data"),
        key: tmp.path().join("key"),
        _tmp: tmp,
    }
}

/// `ssh HOST message` with `text` on standard input (then EOF), from a new connection from
/// `source` (an address in 127.0.0.0/8).
pub async fn send_from(source: &str, addr: SocketAddr, text: &[u8]) -> Output {
    let client = common::connect_from(source, addr).await;
    let channel = tokio::time::timeout(common::WAIT, client.handle.channel_open_session())
        .await
        .expect("channel open timed out")
        .expect("channel open");
    channel.exec(false, "message").await.expect("exec");
    let (mut read, write) = channel.split();
    let text = text.to_vec();
    // Written beside the reading: a refused message is answered before all of it was sent.
    let writer = tokio::spawn(async move {
        let _ = write.data(&text[..]).await;
        let _ = write.eof().await;
        write
    });
    let out = collect(&mut read, Duration::from_secs(20), None).await;
    drop(writer.await);
    out
}

pub async fn send(addr: SocketAddr, text: &str) -> Output {
    send_from("127.0.0.1", addr, text.as_bytes()).await
}

/// The reference a stored message's acknowledgement gives.
pub fn reference(out: &Output) -> String {
    let text = out.text();
    assert_eq!(
        out.exit,
        Some(0),
        "stdout {text:?} stderr {:?}",
        out.stderr_text()
    );
    let r = text
        .trim()
        .strip_prefix("Thank you \u{2014} your message was received. Reference: ")
        .unwrap_or_else(|| panic!("unexpected acknowledgement {text:?}"));
    assert!(r.starts_with("M-") && r.len() == 8, "{r}");
    r.to_owned()
}

/// `resume-ssh inbox ARGS` (the data directory or database given in `args`): stdout, exit code.
pub fn inbox(args: &[&std::ffi::OsStr]) -> (Vec<u8>, i32) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_resume-ssh"))
        .arg("inbox")
        .args(args)
        .env_remove("RESUME_SSH_DATA_DIR")
        .output()
        .expect("run resume-ssh inbox");
    assert!(
        out.stderr.is_empty() || out.status.code() != Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (out.stdout, out.status.code().unwrap_or(-1))
}

/// `inbox --data-dir DIR --json`, parsed.
pub fn inbox_json(data: &Path) -> Vec<serde_json::Value> {
    let (out, code) = inbox(&["--data-dir".as_ref(), data.as_os_str(), "--json".as_ref()]);
    assert_eq!(code, 0, "{}", String::from_utf8_lossy(&out));
    serde_json::from_slice(&out).expect("inbox --json is JSON")
}

/// The references `inbox --json` lists, in its order.
pub fn inbox_refs(data: &Path) -> Vec<String> {
    inbox_json(data)
        .iter()
        .map(|m| m["id"].as_str().expect("id").to_owned())
        .collect()
}
