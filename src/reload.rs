//! Live reload of resume.toml: on SIGHUP, parse and validate again; swap in a good file, keep the
//! old one (and log file:line:col) on a bad one; then nudge open TUI sessions to redraw.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::resume::Resume;
use crate::session::STATUS_QUERY;
use crate::shared::Shared;

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
            if *shared.resume() == new {
                return Outcome::Unchanged;
            }
            shared.set_resume(new);
            tracing::info!(path = %path.display(), "resume reloaded");
            Outcome::Reloaded
        }
        Err(e) => {
            tracing::error!(error = %e, "resume not reloaded; still serving the previous version");
            Outcome::Rejected(e.to_string())
        }
    }
}

/// Asks every open TUI to redraw: their terminals answer a status query, and the answer makes the
/// session draw the new resume.
pub async fn nudge_sessions(shared: &Shared) {
    for ctl in shared.connections() {
        if let Some((channel, handle)) = ctl.tui_handle() {
            let _ = handle.data(channel, STATUS_QUERY.to_vec()).await;
        }
    }
}

/// Reloads on SIGHUP, for as long as the process runs.
pub fn spawn(shared: Arc<Shared>, path: PathBuf) {
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
            if reload(&shared, &path) == Outcome::Reloaded {
                nudge_sessions(&shared).await;
            }
        }
    });
}
