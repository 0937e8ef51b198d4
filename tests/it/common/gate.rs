//! The process-wide gate. Every test in this binary shares one process, so a test that measures
//! the process (its resident memory, the server's latency or CPU, the global metrics, the global
//! log subscriber and panic hook) takes the gate exclusively and runs alone; every other test
//! holds it shared for as long as it runs. A new test takes it too:
//! `let _gate = common::shared().await;` (async), `common::shared_blocking()` (sync), or
//! `common::exclusive().await` when it measures the process.

use tokio::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard};

static GATE: RwLock<()> = RwLock::const_new(());

/// Runs next to other shared holders; waits while an exclusive test runs.
pub async fn shared() -> RwLockReadGuard<'static, ()> {
    GATE.read().await
}

/// [`shared`] for a test that is not async (never inside a runtime).
pub fn shared_blocking() -> RwLockReadGuard<'static, ()> {
    GATE.blocking_read()
}

/// Waits for every other test to finish, and keeps new ones out until dropped.
pub async fn exclusive() -> RwLockWriteGuard<'static, ()> {
    GATE.write().await
}

/// The test process's resident set size in KiB (from /proc/self/status).
pub fn rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .expect("VmRSS in /proc/self/status")
}
