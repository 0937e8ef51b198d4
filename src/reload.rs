//! Live reload of resume.toml: on SIGHUP or when the file changes, parse and validate it again;
//! swap in a good file, keep the old one (and log file:line:col) on a bad one; then wake open
//! TUI sessions' visits, which draw the new version.
//!
//! The directory is watched (editors often replace the file by renaming), events are debounced,
//! and a changed file is only taken once two reads a moment apart agree, so a file that is still
//! being written is never served.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use crate::resume::Resume;
use crate::shared::Shared;

/// Quiet time before a change is read, and between the two reads that must agree.
const SETTLE: Duration = Duration::from_millis(300);

/// Outcome of one reload attempt.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    Reloaded,
    Unchanged,
    Rejected(String),
}

/// Loads the file again and swaps it in if it is valid and different.
pub fn reload(shared: &Shared, path: &Path) -> Outcome {
    match Resume::load(path) {
        Ok(new) => {
            let new = shared.prepare(new);
            if *shared.resume() == new {
                return Outcome::Unchanged;
            }
            shared.set_resume(new);
            tracing::info!(path = %path.display(), "resume reloaded");
            crate::metrics::get().reload(true);
            Outcome::Reloaded
        }
        Err(e) => {
            tracing::error!(error = %e, "resume not reloaded; still serving the previous version");
            crate::metrics::get().reload(false);
            Outcome::Rejected(e.to_string())
        }
    }
}

/// Reads the file until two reads `SETTLE` apart are identical (at most a few tries).
async fn settled(path: &Path) -> bool {
    let mut last = tokio::fs::read(path).await.ok();
    for _ in 0..10 {
        tokio::time::sleep(SETTLE).await;
        let now = tokio::fs::read(path).await.ok();
        if now.is_some() && now == last {
            return true;
        }
        last = now;
    }
    false
}

/// Wakes every open TUI's visit: each draws the new resume within a frame, whatever its client
/// answers or sends (a client that is not reading draws it when its window opens). Returns how
/// many were woken.
pub fn wake_sessions(shared: &Shared) -> usize {
    let mut woken = 0;
    shared.for_each_connection(|ctl| woken += usize::from(ctl.wake_visit()));
    woken
}

fn reload_and_wake(shared: &Shared, path: &Path) {
    if reload(shared, path) == Outcome::Reloaded {
        wake_sessions(shared);
    }
}

/// Reloads on SIGHUP and (if `watch`) on file changes, for as long as the process runs.
pub fn spawn(shared: Arc<Shared>, path: PathBuf, watch: bool) {
    let (tx, mut rx) = tokio::sync::mpsc::channel::<()>(1);
    if watch {
        match start_watcher(&path, tx.clone()) {
            Ok(w) => {
                // The watcher lives as long as the process.
                std::mem::forget(w);
            }
            Err(e) => {
                tracing::warn!(error = %e, path = %path.display(), "cannot watch the resume; SIGHUP still reloads")
            }
        }
    }
    let shared2 = Arc::clone(&shared);
    let path2 = path.clone();
    tokio::spawn(async move {
        while rx.recv().await.is_some() {
            // Let a burst of events (an editor's save) settle, then drop the ones it queued.
            tokio::time::sleep(SETTLE).await;
            while rx.try_recv().is_ok() {}
            if settled(&path2).await {
                reload_and_wake(&shared2, &path2);
            } else {
                tracing::warn!(path = %path2.display(), "resume keeps changing or is missing; not reloaded");
            }
        }
    });
    tokio::spawn(async move {
        use tokio::signal::unix::{SignalKind, signal};
        let mut hup = match signal(SignalKind::hangup()) {
            Ok(s) => s,
            Err(e) => {
                tracing::error!(error = %e, "cannot listen for SIGHUP; reload disabled");
                return;
            }
        };
        while hup.recv().await.is_some() {
            tracing::info!("SIGHUP: reloading the resume");
            reload_and_wake(&shared, &path);
        }
    });
}

/// Watches the resume's directory and sends a tick when the file itself is written, created,
/// renamed or removed (reads are ignored: reloading reads the file).
fn start_watcher(
    path: &Path,
    tx: tokio::sync::mpsc::Sender<()>,
) -> notify::Result<notify::RecommendedWatcher> {
    use notify::{EventKind, RecursiveMode, Watcher};
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .to_owned();
    let name = path.file_name().map(|n| n.to_owned());
    let mut watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
        let Ok(event) = res else { return };
        let relevant = matches!(
            event.kind,
            EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_)
        ) && event
            .paths
            .iter()
            .any(|p| p.file_name().map(|n| n.to_owned()) == name);
        if relevant {
            // A full queue means a reload is already due.
            let _ = tx.try_send(());
        }
    })?;
    watcher.watch(&dir, RecursiveMode::NonRecursive)?;
    Ok(watcher)
}
