//! Logging for `serve`: text or JSON on stderr through a batching, lossy writer ([`batch`]: a
//! slow or stuck log reader costs dropped lines, counted, never a stalled server), russh's own
//! lines budgeted and cleaned ([`russh`]), each connection's span ([`conn_span`]), the visit's
//! closing line written by hand ([`closing`]), field values quoted logfmt style in the text
//! format ([`logfmt`]), and a panic hook ([`panic`]).

pub mod batch;
pub mod closing;
pub mod conn_span;
pub mod logfmt;
pub mod panic;
pub mod russh;

use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use self::batch::{BatchWriter, FlushGuard};
use tracing::level_filters::LevelFilter;
use tracing_subscriber::EnvFilter;
use tracing_subscriber::layer::SubscriberExt as _;
use tracing_subscriber::util::SubscriberInitExt as _;

/// The default filter; `RESUME_SSH_LOG` replaces it. russh's info lines are kept enabled (the
/// rekey budget counts them; none of them is written unless a budget allows it).
const DEFAULT_FILTER: &str = "info";

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

struct Drops {
    counter: BatchWriter,
    reported: AtomicUsize,
}

fn drops() -> &'static OnceLock<Drops> {
    static D: OnceLock<Drops> = OnceLock::new();
    &D
}

/// Where russh logs the start of a re-key.
const REKEY_TARGET: &str = "russh::server";

/// The level a filter spec gives `target` (its most specific plain directive; span-scoped
/// directives are ignored). Unparsable specs fall back to the default, as [`init`] does.
fn level_for(spec: &str, target: &str) -> LevelFilter {
    let mut best: Option<(usize, LevelFilter)> = None;
    let spec = if EnvFilter::try_new(spec).is_ok() {
        spec
    } else {
        DEFAULT_FILTER
    };
    for part in spec
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty() && !p.contains('['))
    {
        let (t, level) = match part.split_once('=') {
            Some((t, l)) => (t, l),
            None => match part.parse::<LevelFilter>() {
                Ok(_) => ("", part),
                // A bare target means "everything from it".
                Err(_) => (part, "trace"),
            },
        };
        let matches = t.is_empty() || target == t || target.starts_with(&format!("{t}::"));
        if let (true, Ok(l)) = (matches, level.parse::<LevelFilter>())
            && best.is_none_or(|(len, _)| t.len() >= len)
        {
            best = Some((t.len(), l));
        }
    }
    best.map(|(_, l)| l).unwrap_or(LevelFilter::ERROR)
}

/// Installs the global subscriber. Keep the guard until exit: dropping it flushes the log.
pub fn init(format: Format) -> FlushGuard {
    let (writer, guard) = batch::spawn(std::io::stderr(), "resume-ssh-log");
    let _ = drops().set(Drops {
        counter: writer.clone(),
        reported: AtomicUsize::new(0),
    });
    let spec = std::env::var("RESUME_SSH_LOG").unwrap_or_else(|_| DEFAULT_FILTER.to_owned());
    let mut filter = EnvFilter::try_new(&spec).unwrap_or_else(|_| EnvFilter::new(DEFAULT_FILTER));
    // The rekey budget needs russh's "Client has initiated re-key" (info, in russh::server)
    // even when the operator asks for less.
    if level_for(&spec, REKEY_TARGET) < LevelFilter::INFO
        && let Ok(d) = format!("{REKEY_TARGET}=info").parse()
    {
        filter = filter.add_directive(d);
    }
    let registry = tracing_subscriber::registry().with(filter);
    match format {
        Format::Json => {
            closing::install(format, writer.clone());
            let fmt = tracing_subscriber::fmt::layer()
                .json()
                .flatten_event(true)
                .with_writer(writer);
            registry.with(russh::RusshGuard::new(fmt)).init();
        }
        Format::Text => {
            use std::io::IsTerminal;
            let ansi = std::io::stderr().is_terminal();
            if !ansi {
                closing::install(format, writer.clone());
            }
            let fmt = tracing_subscriber::fmt::layer()
                .fmt_fields(logfmt::Fields)
                .with_ansi(ansi)
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
    let total = d.counter.dropped();
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rekey_lines_stay_visible_to_the_budget() {
        let t = REKEY_TARGET;
        assert_eq!(level_for("info", t), LevelFilter::INFO);
        assert_eq!(level_for("trace", t), LevelFilter::TRACE);
        assert_eq!(level_for("warn", t), LevelFilter::WARN);
        assert_eq!(
            level_for("info,russh=warn,resume_ssh::session=debug", t),
            LevelFilter::WARN
        );
        assert_eq!(level_for("warn,russh::server=debug", t), LevelFilter::DEBUG);
        assert_eq!(level_for("debug,russhx=off", t), LevelFilter::DEBUG);
        assert_eq!(level_for("resume_ssh=debug", t), LevelFilter::ERROR);
        assert_eq!(level_for("not a filter ===", t), LevelFilter::INFO);
    }
}
