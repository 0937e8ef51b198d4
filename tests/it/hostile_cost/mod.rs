//! What a client's bytes and resizes cost the *real server process*: the binary is started on
//! 127.0.0.1:0 (`RESUME_SSH_BIN` overrides which one, e.g. the release build), russh clients
//! play the visitors, and memory and CPU are read from the server's /proc/PID/status and
//! /proc/PID/stat.
//!
//! Each test takes the gate (`common::gate`) exclusively, so no other test loads the machine at
//! once. The CPU tests and the
//! 200-connection memory test need the release binary (debug code is ~10× slower) and are
//! ignored by plain `cargo test`; `.ci/run` runs them as
//! `RESUME_SSH_BIN=target/release/resume-ssh cargo test --test it hostile_cost:: -- --ignored`.

mod cpu;
mod memory;

use crate::common;

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use common::*;
use tokio::time::{Instant, timeout};

/// The server binary under test.
fn server_bin() -> String {
    std::env::var("RESUME_SSH_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_resume-ssh").into())
}

/// The real server, in its own process, killed when dropped.
struct Served {
    child: Child,
    addr: SocketAddr,
    _dir: tempfile::TempDir,
}

impl Served {
    fn start() -> Served {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut child = Command::new(server_bin())
            .args(["serve", "--listen", "127.0.0.1:0", "--no-watch"])
            .args(["--resume", RESUME_PATH])
            .arg("--host-key")
            .arg(dir.path().join("key"))
            .args(["--max-connections", "1000", "--max-per-ip", "1000"])
            .args(["--rate-per-minute", "100000", "--idle-timeout", "600"])
            .env("RESUME_SSH_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn the server");
        let stderr = child.stderr.take().expect("stderr");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            // Keeps draining stderr for the server's life, so it never blocks on a full pipe.
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                if let Some(rest) = line.split("listening on ").nth(1) {
                    let _ = tx.send(rest.trim().to_owned());
                }
            }
        });
        let addr = match rx.recv_timeout(Duration::from_secs(20)) {
            Ok(a) => a.parse().expect("an address after 'listening on'"),
            Err(_) => {
                let _ = child.kill();
                panic!("the server did not say where it listens");
            }
        };
        Served {
            child,
            addr,
            _dir: dir,
        }
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The server's resident set size in KiB.
    fn rss_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid()))
            .expect("/proc/PID/status");
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse().ok())
            .expect("VmRSS")
    }

    /// The server's CPU time (user + system) so far.
    fn cpu(&self) -> Duration {
        let stat =
            std::fs::read_to_string(format!("/proc/{}/stat", self.pid())).expect("/proc/PID/stat");
        // Fields after the command name, which is in parentheses and may contain spaces.
        let rest = &stat[stat.rfind(')').expect("comm") + 2..];
        let f: Vec<&str> = rest.split_whitespace().collect();
        // utime and stime are fields 14 and 15 of the whole line: 11 and 12 here.
        let ticks: u64 =
            f[11].parse::<u64>().expect("utime") + f[12].parse::<u64>().expect("stime");
        // SAFETY: sysconf has no preconditions.
        let hz = unsafe { libc::sysconf(libc::_SC_CLK_TCK) }.max(1) as u64;
        Duration::from_micros(ticks * 1_000_000 / hz)
    }

    /// RSS once it has stopped moving (allocator and kernel settle after a burst).
    async fn settled_rss(&self) -> u64 {
        tokio::time::sleep(Duration::from_millis(300)).await;
        let mut last = self.rss_kib();
        for _ in 0..10 {
            tokio::time::sleep(Duration::from_millis(200)).await;
            let now = self.rss_kib();
            if now.abs_diff(last) < 64 {
                return now;
            }
            last = now;
        }
        last
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Opens `n` TUI sessions (each on its own connection) and waits for every first frame.
async fn open_sessions(addr: SocketAddr, n: usize, cols: u32, rows: u32) -> Vec<(Client, Term)> {
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let client = connect(addr).await;
        let term = client
            .tui(TuiOpts {
                cols,
                rows,
                ..TuiOpts::default()
            })
            .await;
        term.wait_text(NAME).await;
        // Later frames are only counted: 100 emulators would load the machine.
        term.set_parsing(false);
        out.push((client, term));
    }
    for (_, t) in &out {
        t.settle(Duration::from_millis(50)).await;
    }
    out
}
