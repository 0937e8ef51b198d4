//! Logging for `serve`: text or JSON on stderr through a non-blocking, lossy writer (a slow or
//! stuck log reader costs dropped lines, counted, never a stalled server), russh's own lines
//! budgeted and cleaned ([`russh`]), and a panic hook ([`panic`]).

pub mod panic;
pub mod russh;

use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use tracing_appender::non_blocking::{ErrorCounter, NonBlockingBuilder, WorkerGuard};
use tracing_subscriber::EnvFilter;
use tracing_subscriber::layer::SubscriberExt as _;
use tracing_subscriber::util::SubscriberInitExt as _;

/// Lines that may wait for the log's reader; past this, new lines are dropped and counted.
pub const BUFFERED_LINES: usize = 4096;

/// The default filter; `RESUME_SSH_LOG` replaces it. russh's info lines are kept enabled (the
/// rekey budget counts them; none of them is written unless a budget allows it).
const DEFAULT_FILTER: &str = "info";

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

struct Drops {
    counter: ErrorCounter,
    reported: AtomicUsize,
}

fn drops() -> &'static OnceLock<Drops> {
    static D: OnceLock<Drops> = OnceLock::new();
    &D
}

/// Installs the global subscriber. Keep the guard until exit: dropping it flushes the log.
pub fn init(format: Format) -> WorkerGuard {
    let (writer, guard) = NonBlockingBuilder::default()
        .lossy(true)
        .buffered_lines_limit(BUFFERED_LINES)
        .thread_name("resume-ssh-log")
        .finish(std::io::stderr());
    let _ = drops().set(Drops {
        counter: writer.error_counter(),
        reported: AtomicUsize::new(0),
    });
    let spec = std::env::var("RESUME_SSH_LOG").unwrap_or_else(|_| DEFAULT_FILTER.to_owned());
    let mut filter = EnvFilter::try_new(&spec).unwrap_or_else(|_| EnvFilter::new(DEFAULT_FILTER));
    // The rekey budget needs russh's info lines even when the operator asks for less.
    let quieter = filter
        .max_level_hint()
        .is_some_and(|h| h < tracing::level_filters::LevelFilter::INFO);
    if quieter
        && !spec.contains("russh")
        && let Ok(d) = "russh=info".parse()
    {
        filter = filter.add_directive(d);
    }
    let registry = tracing_subscriber::registry().with(filter);
    match format {
        Format::Json => {
            let fmt = tracing_subscriber::fmt::layer()
                .json()
                .flatten_event(true)
                .with_writer(writer);
            registry.with(russh::RusshGuard::new(fmt)).init();
        }
        Format::Text => {
            use std::io::IsTerminal;
            let fmt = tracing_subscriber::fmt::layer()
                .with_ansi(std::io::stderr().is_terminal())
                .with_writer(writer);
            registry.with(russh::RusshGuard::new(fmt)).init();
        }
    }
    guard
}

/// Logs how many lines were dropped since the last call, if any, and counts them in
/// `log_lines_dropped_total`. Cheap; call it now and then (the accept loop's tick does).
pub fn report_drops() {
    let Some(d) = drops().get() else {
        return;
    };
    let total = d.counter.dropped_lines();
    let before = d.reported.swap(total, Ordering::Relaxed);
    if total > before {
        let n = (total - before) as u64;
        crate::metrics::get().log_dropped.inc_by(n);
        tracing::warn!(
            dropped = n,
            dropped_total = total,
            "log lines dropped: the log's reader was too slow"
        );
    }
}
