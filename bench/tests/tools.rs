//! The load tools end to end, as the bench scripts run them: the real `bare_server` binary on
//! 127.0.0.1:0 and the real `loadgen` binary against it (and against resume-ssh's own server,
//! which `loadgen inproc` starts in its process). Every run is bounded: loadgen's modes stop by
//! themselves (session counts, durations, per-step timeouts) and bare_server by `--max-seconds`.

use std::io::{BufRead as _, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

use resume_ssh_bench::client::nz;
use serde_json::Value;

const LOADGEN: &str = env!("CARGO_BIN_EXE_loadgen");
const BARE: &str = env!("CARGO_BIN_EXE_bare_server");

fn resume_toml() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../resume.toml")
}

/// A running bare_server, stopped (by its own pid) when dropped.
struct Bare {
    child: Child,
    addr: String,
    frame_bytes: u64,
    _dir: tempfile::TempDir,
}

impl Bare {
    fn start() -> Bare {
        let dir = tempfile::tempdir().unwrap();
        let mut child = Command::new(BARE)
            .arg("--listen")
            .arg("127.0.0.1:0")
            .arg("--host-key")
            .arg(dir.path().join("host_key"))
            .arg("--resume")
            .arg(resume_toml())
            .args(["--max-seconds", "120"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // "bare-server listening on 127.0.0.1:PORT (frame N bytes)"; EOF if it failed to start.
        let mut line = String::new();
        BufReader::new(child.stderr.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let rest = line
            .strip_prefix("bare-server listening on ")
            .unwrap_or_else(|| panic!("bare_server did not start: {line:?}"));
        let (addr, frame) = rest.split_once(" (frame ").unwrap();
        let frame_bytes = frame
            .trim_end()
            .trim_end_matches(" bytes)")
            .parse()
            .unwrap();
        Bare {
            child,
            addr: addr.to_owned(),
            frame_bytes,
            _dir: dir,
        }
    }
}

impl Drop for Bare {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs loadgen with `args`, expects exit 0, returns its one JSON object.
fn loadgen(args: &[&str]) -> Value {
    let resume = resume_toml();
    let mut cmd = Command::new(LOADGEN);
    cmd.args(args);
    // The modes with a session draw each visitor's expected first frame from the resume.
    if args.first() != Some(&"inproc") {
        cmd.arg("--resume").arg(&resume);
    }
    let out = cmd.stdin(Stdio::null()).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "loadgen {args:?}: {}\nstdout: {stdout}\nstderr: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_str(stdout.trim())
        .unwrap_or_else(|e| panic!("loadgen {args:?} printed no JSON ({e}): {stdout}"))
}

#[test]
fn handshake_against_the_bare_server_reads_its_whole_frame_and_its_cpu() {
    let bare = Bare::start();
    assert!(
        bare.frame_bytes > 1000,
        "frame of {} bytes",
        bare.frame_bytes
    );
    let pid = bare.child.id().to_string();
    let v = loadgen(&[
        "handshake",
        "--workload",
        "identical",
        "--addr",
        &bare.addr,
        "--server-pid",
        &pid,
        "--force-kex",
        "curve25519-sha256",
        "--json",
        "--concurrency",
        "2",
        "--duration",
        "1",
        "--max-sessions",
        "12",
        "--warmup",
        "2",
    ]);
    assert_eq!(v["mode"], "handshake");
    assert_eq!(v["errors"], 0, "{v}");
    let sessions = v["sessions"].as_u64().unwrap();
    assert!((1..=12).contains(&sessions), "{v}");
    // The marker ("quit" on the last row) is in the frame's last bytes: a session that stopped
    // reading early, or kept waiting past the frame, would count other than exactly the frame.
    for k in ["min", "median", "max"] {
        assert_eq!(v["first_frame_bytes"][k], bare.frame_bytes, "{k}: {v}");
    }
    // The server's CPU came from /proc/PID/stat: key exchanges cost it something.
    let cpu = v["server_cpu_ms_per_session"].as_f64().unwrap();
    assert!(cpu > 0.0, "{v}");
    assert!(v["latency_ms"]["p50"].as_f64().unwrap() > 0.0, "{v}");
}

#[test]
fn idle_sessions_on_the_bare_server_stay_open_and_silent() {
    let bare = Bare::start();
    let pid = bare.child.id().to_string();
    let v = loadgen(&[
        "idle",
        "--workload",
        "identical",
        "--addr",
        &bare.addr,
        "--server-pid",
        &pid,
        "--json",
        "--sessions",
        "20",
        "--ramp",
        "5",
        "--hold",
        "1",
        "--settle",
        "0.2",
    ]);
    assert_eq!(v["sessions_open"], 20, "{v}");
    assert_eq!(v["errors"], 0, "{v}");
    assert_eq!(v["wire_bytes_during_hold"]["rx"], 0, "{v}");
    assert_eq!(v["wire_bytes_during_hold"]["tx"], 0, "{v}");
    assert!(
        v["server_rss_kib"]["after_ramp"].as_u64().unwrap() > 0,
        "{v}"
    );
}

#[test]
fn capture_writes_exactly_the_frame_the_bare_server_sends() {
    let bare = Bare::start();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("frame.bin");
    let out = Command::new(LOADGEN)
        .args(["capture", "--addr", &bare.addr, "--out"])
        .arg(&file)
        .arg("--resume")
        .arg(resume_toml())
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let bytes = std::fs::read(&file).unwrap();
    assert_eq!(bytes.len() as u64, bare.frame_bytes);
    let screen = {
        let mut p = vt100::Parser::new(nz(30), nz(100), 0);
        p.process(&bytes);
        p.screen().contents()
    };
    assert!(screen.contains("quit"), "{screen}");
}

/// `inproc` runs resume-ssh's own Server in loadgen's process; the bare server's frame is that
/// server's first 100×30 xterm-256color frame, so both put the same number of bytes on the wire.
#[test]
fn inproc_first_frame_is_as_long_as_the_bare_servers() {
    let bare = Bare::start();
    let resume = resume_toml();
    let v = loadgen(&[
        "inproc",
        "--workload",
        "identical",
        "--resume",
        resume.to_str().unwrap(),
        "--sessions",
        "4",
        "--force-kex",
        "curve25519-sha256",
        "--json",
    ]);
    assert_eq!(v["label"], "inproc");
    assert_eq!(v["errors"], 0, "{v}");
    assert_eq!(v["sessions"], 4, "{v}");
    assert_eq!(v["first_frame_bytes"]["median"], bare.frame_bytes, "{v}");
}

/// The mixed workload against the bare server: every visitor gets the frame drawn for its own
/// size and terminal, and the session ends on exactly that many bytes.
#[test]
fn mixed_visitors_get_frames_of_their_own_sizes() {
    let bare = Bare::start();
    let v = loadgen(&[
        "handshake",
        "--addr",
        &bare.addr,
        "--force-kex",
        "curve25519-sha256",
        "--json",
        "--concurrency",
        "2",
        "--duration",
        "3",
        "--max-sessions",
        "30",
        "--warmup",
        "0",
        "--seed",
        "3",
    ]);
    assert_eq!(v["workload"], "mixed", "{v}");
    assert_eq!(v["errors"], 0, "{v}");
    assert_eq!(v["sessions"], 30, "{v}");
    let (min, max) = (
        v["first_frame_bytes"]["min"].as_u64().unwrap(),
        v["first_frame_bytes"]["max"].as_u64().unwrap(),
    );
    assert!(min < max, "one size for all: {v}");
}
