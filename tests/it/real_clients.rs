//! Real SSH clients against the server, through the scripts in `tests/interop/`.
//!
//! Ignored by default: they need OpenSSH, PuTTY's plink, Dropbear's dbclient, tmux, jq and a
//! `.venv` with paramiko, asyncssh, pyte and ssh-audit (see `.ci/run`). Where those exist:
//!
//! ```text
//! cargo test --test it real_clients:: -- --include-ignored
//! ```
//!
//! They run against this build's binary. A client that is not installed is skipped by the
//! interop script, not failed; the ssh-audit test is skipped without `.venv/bin/ssh-audit`.
//! CI runs the same scripts against the release binary instead (`.ci/run`).

use std::path::Path;
use std::process::Command;

fn run_script(script: &str) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let status = Command::new("bash")
        .arg(root.join(script))
        .env("RESUME_SSH_BIN", env!("CARGO_BIN_EXE_resume-ssh"))
        .current_dir(root)
        .status()
        .unwrap_or_else(|e| panic!("cannot run bash {script}: {e}"));
    assert!(
        status.success(),
        "{script} failed ({status}); its output is above"
    );
}

#[test]
#[ignore = "needs ssh, plink, dbclient, tmux, jq and .venv: cargo test -- --include-ignored"]
fn real_clients_interop_suite() {
    let _gate = crate::common::shared_blocking();
    run_script("tests/interop/run.sh");
}

#[test]
#[ignore = "needs .venv/bin/ssh-audit: cargo test -- --include-ignored"]
fn ssh_audit_only_the_accepted_warning() {
    let _gate = crate::common::shared_blocking();
    let audit = Path::new(env!("CARGO_MANIFEST_DIR")).join(".venv/bin/ssh-audit");
    if !audit.exists() {
        eprintln!("skipped: {} is not installed", audit.display());
        return;
    }
    run_script("tests/interop/ssh-audit.sh");
}
