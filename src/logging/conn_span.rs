//! A connection's `conn{id, peer}` span, made only when a line is logged in it.
//!
//! Making a span and closing it, and entering it on every poll, cost a visit ~2% of a bare
//! russh server's CPU (bench/ab.sh --together, identical visitors, a build without the span
//! beside one with it): the registry's slab, three layers' `on_new_span`, the span's fields
//! formatted, and their extensions. Most visits log nothing in it: refusals and debug lines are
//! rare, and the visit's closing line carries the same `conn` and `peer` as fields instead.

use std::sync::{Arc, OnceLock};

use tracing::Span;
use tracing::level_filters::LevelFilter;

/// The span of connection `id` from `peer` (as the log shows it), made on first use.
pub struct ConnSpan {
    id: u64,
    peer: Arc<str>,
    span: OnceLock<Span>,
}

impl ConnSpan {
    pub fn new(id: u64, peer: Arc<str>) -> ConnSpan {
        ConnSpan {
            id,
            peer,
            span: OnceLock::new(),
        }
    }

    /// The connection's id (the `conn` field of its lines).
    pub fn id(&self) -> u64 {
        self.id
    }

    /// The peer as the log shows it.
    pub fn peer(&self) -> &str {
        &self.peer
    }

    /// The span, made now if it was not yet.
    pub fn get(&self) -> &Span {
        self.span.get_or_init(|| {
            tracing::info_span!(target: "resume_ssh::server", "conn", id = self.id, peer = %self.peer)
        })
    }

    /// Runs `f`, which logs, inside the span.
    pub fn in_scope<T>(&self, f: impl FnOnce() -> T) -> T {
        self.get().in_scope(f)
    }

    /// Runs `f`, which logs at debug level, inside the span if any debug line is on; otherwise
    /// not at all (and no span is made).
    pub fn debug(&self, f: impl FnOnce()) {
        if LevelFilter::current() >= LevelFilter::DEBUG {
            self.in_scope(f);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_span_is_made_until_a_line_needs_one() {
        let s = ConnSpan::new(7, Arc::from("ip-1"));
        // No subscriber at debug here: the debug closure does not run, and no span is made.
        let mut ran = false;
        s.debug(|| ran = true);
        assert!(!ran);
        assert!(s.span.get().is_none());
        assert_eq!(s.in_scope(|| 5), 5);
        assert!(s.span.get().is_some());
        assert_eq!((s.id(), s.peer()), (7, "ip-1"));
    }
}
