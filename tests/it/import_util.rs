//! Helpers of the import tests: the real binary run with a time limit, its notes, the fixtures.
#![allow(dead_code)]

use std::io::Write as _;
use std::path::{Path, PathBuf};
pub use std::process::{Command, Output, Stdio};
use std::time::Duration;

const BIN: &str = env!("CARGO_BIN_EXE_resume-ssh");
pub const SHIPPED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/resume.toml");
pub const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/import");

pub fn fixture(name: &str) -> PathBuf {
    Path::new(FIXTURES).join(name)
}

/// Runs the binary (no RESUME_SSH_* from the environment), feeding `stdin`, at most 30 s.
pub fn run(args: &[&str], stdin: &[u8]) -> Output {
    let mut c = Command::new(BIN);
    for (k, _) in std::env::vars() {
        if k.starts_with("RESUME_SSH_") {
            c.env_remove(k);
        }
    }
    let mut child = c
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn resume-ssh");
    let mut input = child.stdin.take().expect("stdin");
    let data = stdin.to_vec();
    // A refused input is not read to its end: a broken pipe here is expected then.
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(&data);
    });
    let pid = child.id();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    let out = match rx.recv_timeout(Duration::from_secs(30)) {
        Ok(out) => out.expect("wait"),
        Err(_) => {
            let _ = Command::new("kill")
                .args(["-KILL", &pid.to_string()])
                .status();
            panic!("resume-ssh {args:?} did not finish within 30 s");
        }
    };
    let _ = writer.join();
    out
}

pub fn ok(args: &[&str], stdin: &[u8]) -> (String, String) {
    let out = run(args, stdin);
    let stdout = String::from_utf8(out.stdout).expect("UTF-8 stdout");
    let stderr = String::from_utf8(out.stderr).expect("UTF-8 stderr");
    assert!(out.status.success(), "{args:?} failed:\n{stderr}");
    (stdout, stderr)
}

/// `resume-ssh import` that must fail: its stderr.
pub fn fails(args: &[&str], stdin: &[u8]) -> String {
    let out = run(args, stdin);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{args:?} should fail:\n{stderr}"
    );
    stderr
}

pub fn export_json(toml: &Path) -> String {
    ok(
        &["export", "json", "--resume", &toml.to_string_lossy()],
        b"",
    )
    .0
}

/// The import notes on stderr (lines after "resume-ssh import: ", without the final "wrote").
pub fn notes(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter_map(|l| l.strip_prefix("resume-ssh import: "))
        .filter(|l| !l.starts_with("wrote "))
        .collect()
}

/// JSON → resume.toml (through standard input and output, as in a pipe), then back to JSON.
pub fn through_toml(json: &str, dir: &Path, name: &str) -> (String, Vec<String>) {
    let (toml, stderr) = ok(&["import", "-"], json.as_bytes());
    let path = dir.join(name);
    std::fs::write(&path, &toml).unwrap();
    ok(&["check", &path.to_string_lossy()], b"");
    let notes = notes(&stderr).into_iter().map(str::to_owned).collect();
    (export_json(&path), notes)
}
