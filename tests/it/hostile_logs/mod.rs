//! The log as an attack surface, against the real binary whose stderr (its log) this test reads:
//! a flood of refused requests writes a bounded number of lines and ends in a disconnect with a
//! reason; client strings (env TERM with CR/LF/ESC) cannot forge lines, nor fields (spaces,
//! quotes, `peer=`) nor hide text (U+202E, U+200B); a log reader that stops reading never stalls
//! serving (lines are dropped and counted instead).
//!
//! `HOSTILE_LOGS_BIN` runs these against another binary (e.g. an older build, to see them fail).

mod forging;
mod stalls;

use crate::common;

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

/// The address after `label` in the server's start-up lines (`resume-ssh listening on ADDR`,
/// `resume-ssh metrics on ADDR`), once it has been printed.
fn said_address(text: &str, label: &str) -> Option<SocketAddr> {
    let rest = text.split(label).nth(1)?;
    rest.split_whitespace().next()?.parse().ok()
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
        let mut cmd = Command::new(bin());
        for (k, _) in std::env::vars() {
            if k.starts_with("RESUME_SSH_") {
                cmd.env_remove(k);
            }
        }
        cmd.args(["serve", "--listen", "127.0.0.1:0", "--no-watch"])
            .args(["--max-per-ip", "64", "--rate-per-minute", "10000"])
            .args(["--metrics", "127.0.0.1:0"])
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
                        if let (Some(ssh), Some(metrics)) = (
                            said_address(&text, "listening on "),
                            said_address(&text, "metrics on "),
                        ) {
                            told = true;
                            if reader != Reader::Fast {
                                reading.store(false, Ordering::SeqCst);
                            }
                            let _ = tx.send((ssh, metrics));
                        }
                    }
                }
            });
        }
        let (addr, metrics) = rx
            .recv_timeout(Duration::from_secs(20))
            .expect("the server did not say where it listens (SSH and metrics)");
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
