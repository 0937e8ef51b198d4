//! The one thread that writes messages: the async workers never wait on the disk. A session
//! submits through [`Service::submit`]: a bounded queue (full = the visitor is told the server
//! is busy, nothing is queued without bound) and a oneshot reply sent only after the message's
//! transaction committed, so an acknowledged message is on disk.

use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, SyncSender, TrySendError};
use std::time::Duration;

use tokio::sync::oneshot;

use super::limits::{Limits, Refusal, Submission};
use super::store::{Store, Stored};

/// Submissions waiting for the writer at most.
pub const QUEUE: usize = 64;
/// How long a visitor waits for the writer before being told to try again.
const SUBMIT_TIMEOUT: Duration = Duration::from_secs(15);

struct Job {
    sub: Submission,
    addr: String,
    reply: oneshot::Sender<Result<Stored, Refusal>>,
}

/// What the server needs to take messages: the writer's queue, and the database's path (the
/// delivery thread opens its own connection to it).
pub struct Service {
    tx: SyncSender<Job>,
    path: PathBuf,
}

/// How the writer runs.
#[derive(Debug, Clone)]
pub struct Options {
    pub limits: Limits,
    /// Each `--notify-url` as given: a message gets one outbox row per target.
    pub targets: Vec<String>,
}

impl Service {
    /// Opens the store in `dir` (see [`Store::open`]) and starts the writer thread. `wake` is
    /// told (without blocking) when a message with outbox rows was committed.
    pub fn start(
        dir: &Path,
        opts: Options,
        wake: Option<SyncSender<()>>,
    ) -> anyhow::Result<Service> {
        let store = Store::open(dir)?;
        let path = super::store::db_path(dir);
        let (tx, rx) = mpsc::sync_channel(QUEUE);
        std::thread::Builder::new()
            .name("messages-writer".into())
            .spawn(move || run(store, opts, rx, wake))?;
        Ok(Service { tx, path })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Stores a visitor's message from `addr` (its address key); the reference once it is on
    /// disk, or why not.
    pub async fn submit(&self, sub: Submission, addr: Option<IpAddr>) -> Result<Stored, Refusal> {
        let (reply, rx) = oneshot::channel();
        let addr = addr.map_or_else(|| "unknown".to_owned(), |a| a.to_string());
        let result = match self.tx.try_send(Job { sub, addr, reply }) {
            Ok(()) => match tokio::time::timeout(SUBMIT_TIMEOUT, rx).await {
                Ok(Ok(r)) => r,
                Ok(Err(_)) | Err(_) => Err(Refusal::Failed),
            },
            Err(TrySendError::Full(_)) => Err(Refusal::Busy),
            Err(TrySendError::Disconnected(_)) => Err(Refusal::Failed),
        };
        let label = match &result {
            Ok(s) if s.duplicate => "duplicate",
            Ok(_) => "stored",
            Err(r) => r.label(),
        };
        crate::metrics::get().messages.submission(label);
        result
    }
}

fn run(mut store: Store, opts: Options, rx: Receiver<Job>, wake: Option<SyncSender<()>>) {
    for job in rx {
        let size = job.sub.size();
        let chars = job.sub.body.chars().count();
        let result = store.insert(
            &job.sub,
            &job.addr,
            &opts.limits,
            &opts.targets,
            super::now_ms(),
        );
        // The reference and the size, never the text.
        match &result {
            Ok(s) if s.duplicate => {
                tracing::info!(reference = %s.id, chars, "message repeated: the first one's reference given")
            }
            Ok(s) => {
                tracing::info!(reference = %s.id, chars, bytes = size, "message stored");
                if !opts.targets.is_empty()
                    && let Some(w) = &wake
                {
                    let _ = w.try_send(());
                }
            }
            // Refusals are counted (metrics), and logged at debug level only: a flood of them
            // would otherwise write the log.
            Err(r) => tracing::debug!(reason = r.label(), chars, "message refused"),
        }
        let _ = job.reply.send(result);
    }
}
