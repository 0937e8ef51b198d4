//! A tracing layer that stands between russh's log lines and the log: russh writes client
//! strings raw (an unknown channel request's whole name, newlines and all) and logs one line per
//! bad message, so a client could write the server's log at will.
//!
//! Every russh event (they come through tracing-log's bridge) is counted against its
//! connection's [`Budget`], found through the `conn` span it happens in or, since russh runs
//! each session in a task of its own that carries no span, through the tokio task that polls
//! the connection's socket ([`track_task`], called by the socket wrapper); the first few of a
//! connection are written again, cleaned and cut short, at WARN at most, russh's text in a
//! field of its own (`said`, quoted) so no client string sits unquoted in the line; the rest
//! only count.
//! russh's "Client has initiated re-key" line is how the rekey budget learns of re-keys: russh
//! has no hook for them. Debug and trace lines (only on when an operator asks) are passed on
//! cleaned and cut, without a budget.
//!
//! Hand-written because no crate filters by per-span budget and rewrites the message.

use std::collections::HashMap;
use std::fmt;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Level, Metadata, Subscriber};
use tracing_log::NormalizeEvent;
use tracing_subscriber::layer::{Context, Layer};
use tracing_subscriber::registry::LookupSpan;

use crate::budget::{Budget, Verdict};
use crate::sanitize::Bounded;

/// Longest russh message written (after escaping).
const MAX_MESSAGE: usize = 200;
/// russh lines written outside any connection over the process's life.
const MAX_UNATTRIBUTED: u32 = 100;
/// The span every connection's events happen in, and its id field.
const CONN_SPAN: &str = "conn";
const REKEY_MESSAGE: &str = "Client has initiated re-key";

/// Budgets of open connections by connection id, for the layer to find.
fn tracked() -> &'static Mutex<HashMap<u64, Arc<Budget>>> {
    static T: OnceLock<Mutex<HashMap<u64, Arc<Budget>>>> = OnceLock::new();
    T.get_or_init(Default::default)
}

/// Budgets by the tokio task that runs the connection's russh session.
fn tasks() -> &'static Mutex<HashMap<tokio::task::Id, Arc<Budget>>> {
    static T: OnceLock<Mutex<HashMap<tokio::task::Id, Arc<Budget>>>> = OnceLock::new();
    T.get_or_init(Default::default)
}

/// Keeps a task's budget known to the layer until dropped.
pub struct TaskTracked(Option<tokio::task::Id>);

/// Charges russh events logged from the current tokio task to `budget` (until the guard is
/// dropped). Outside a task, nothing is tracked.
pub fn track_task(budget: &Arc<Budget>) -> TaskTracked {
    let id = tokio::task::try_id();
    if let (Some(id), Ok(mut m)) = (id, tasks().lock()) {
        m.insert(id, Arc::clone(budget));
    }
    TaskTracked(id)
}

impl Drop for TaskTracked {
    fn drop(&mut self) {
        if let (Some(id), Ok(mut m)) = (self.0, tasks().lock()) {
            m.remove(&id);
        }
    }
}

/// Keeps a connection's budget known to the layer until dropped.
pub struct Tracked(u64);

/// Makes `budget` the one charged for russh events in the span `conn{id}` (create the span
/// after this call).
pub fn track(id: u64, budget: Arc<Budget>) -> Tracked {
    if let Ok(mut m) = tracked().lock() {
        m.insert(id, budget);
    }
    Tracked(id)
}

impl Drop for Tracked {
    fn drop(&mut self) {
        if let Ok(mut m) = tracked().lock() {
            m.remove(&self.0);
        }
    }
}

/// The budget stored in a `conn` span.
struct SpanBudget(Arc<Budget>);

/// Wraps the layer that writes the log (`inner`): russh's events reach it only as cleaned,
/// budgeted copies; everything else passes unchanged.
pub struct RusshGuard<L> {
    inner: L,
    unattributed: AtomicU32,
}

impl<L> RusshGuard<L> {
    pub fn new(inner: L) -> Self {
        RusshGuard {
            inner,
            unattributed: AtomicU32::new(0),
        }
    }
}

/// Reads the `id` field of a `conn` span.
struct IdVisitor(Option<u64>);

impl Visit for IdVisitor {
    fn record_u64(&mut self, field: &Field, value: u64) {
        if field.name() == "id" {
            self.0 = Some(value);
        }
    }
    fn record_i64(&mut self, field: &Field, value: i64) {
        if field.name() == "id" {
            self.0 = u64::try_from(value).ok();
        }
    }
    fn record_debug(&mut self, _: &Field, _: &dyn fmt::Debug) {}
}

/// Reads an event's message, bounded and escaped.
struct MessageVisitor(Option<String>);

impl Visit for MessageVisitor {
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            self.0 = Some(Bounded::display(&value, MAX_MESSAGE));
        }
    }
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        if field.name() == "message" {
            self.0 = Some(Bounded::format(value, MAX_MESSAGE));
        }
    }
}

fn is_russh(target: &str) -> bool {
    target == "russh" || target.starts_with("russh::")
}

impl<L> RusshGuard<L> {
    fn budget_of<S>(event: &Event<'_>, ctx: &Context<'_, S>) -> Option<Arc<Budget>>
    where
        S: Subscriber + for<'a> LookupSpan<'a>,
    {
        if let Some(scope) = ctx.event_scope(event) {
            for span in scope {
                if let Some(b) = span.extensions().get::<SpanBudget>() {
                    return Some(Arc::clone(&b.0));
                }
            }
        }
        let id = tokio::task::try_id()?;
        tasks().lock().ok()?.get(&id).cloned()
    }

    /// Counts a russh event and writes a cleaned copy if its budget allows.
    fn russh_event<S>(&self, event: &Event<'_>, meta: &Metadata<'_>, ctx: &Context<'_, S>)
    where
        S: Subscriber + for<'a> LookupSpan<'a>,
    {
        let mut msg = MessageVisitor(None);
        event.record(&mut msg);
        let msg = msg.0.unwrap_or_default();
        let level = *meta.level();
        let from = meta.target();
        if level > Level::INFO {
            // Debug and trace: only on when asked for; cleaned, not budgeted.
            if level == Level::DEBUG {
                tracing::debug!(target: "resume_ssh::russh", from, said = msg.as_str(), "russh");
            } else {
                tracing::trace!(target: "resume_ssh::russh", from, said = msg.as_str(), "russh");
            }
            return;
        }
        let rekey = level == Level::INFO && msg.starts_with(REKEY_MESSAGE);
        if !rekey {
            crate::metrics::get().russh_event(if level == Level::ERROR {
                "error"
            } else if level == Level::WARN {
                "warn"
            } else {
                "info"
            });
        }
        let budget = Self::budget_of(event, ctx);
        let conn = budget.as_ref().map(|b| b.conn_id()).unwrap_or(0);
        let verdict = match budget {
            Some(b) if rekey => b.rekey(),
            Some(b) => b.russh_event(),
            None => {
                if self.unattributed.fetch_add(1, Ordering::Relaxed) < MAX_UNATTRIBUTED {
                    Verdict::Log
                } else {
                    crate::metrics::get().log_suppressed.inc();
                    Verdict::Quiet
                }
            }
        };
        if verdict != Verdict::Log {
            return;
        }
        if level == Level::INFO {
            tracing::info!(target: "resume_ssh::russh", conn, from, said = msg.as_str(), "russh");
        } else {
            // russh's ERROR lines are a client's doing (unsolicited replies, bad requests):
            // not the server's errors.
            tracing::warn!(target: "resume_ssh::russh", conn, from, said = msg.as_str(), "russh");
        }
    }
}

impl<S, L> Layer<S> for RusshGuard<L>
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    L: Layer<S>,
{
    fn on_register_dispatch(&self, subscriber: &tracing::Dispatch) {
        self.inner.on_register_dispatch(subscriber);
    }

    fn on_layer(&mut self, subscriber: &mut S) {
        self.inner.on_layer(subscriber);
    }

    fn register_callsite(
        &self,
        metadata: &'static Metadata<'static>,
    ) -> tracing::subscriber::Interest {
        self.inner.register_callsite(metadata)
    }

    fn enabled(&self, metadata: &Metadata<'_>, ctx: Context<'_, S>) -> bool {
        self.inner.enabled(metadata, ctx)
    }

    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        if attrs.metadata().name() == CONN_SPAN {
            let mut v = IdVisitor(None);
            attrs.record(&mut v);
            let budget =
                v.0.and_then(|cid| tracked().lock().ok()?.get(&cid).cloned());
            if let (Some(b), Some(span)) = (budget, ctx.span(id)) {
                span.extensions_mut().insert(SpanBudget(b));
            }
        }
        self.inner.on_new_span(attrs, id, ctx);
    }

    fn on_record(&self, span: &Id, values: &Record<'_>, ctx: Context<'_, S>) {
        self.inner.on_record(span, values, ctx);
    }

    fn on_follows_from(&self, span: &Id, follows: &Id, ctx: Context<'_, S>) {
        self.inner.on_follows_from(span, follows, ctx);
    }

    fn event_enabled(&self, event: &Event<'_>, ctx: Context<'_, S>) -> bool {
        self.inner.event_enabled(event, ctx)
    }

    fn on_event(&self, event: &Event<'_>, ctx: Context<'_, S>) {
        let normalized = event.normalized_metadata();
        let meta = normalized.as_ref().unwrap_or_else(|| event.metadata());
        if is_russh(meta.target()) {
            self.russh_event(event, meta, &ctx);
        } else {
            self.inner.on_event(event, ctx);
        }
    }

    fn on_enter(&self, id: &Id, ctx: Context<'_, S>) {
        self.inner.on_enter(id, ctx);
    }

    fn on_exit(&self, id: &Id, ctx: Context<'_, S>) {
        self.inner.on_exit(id, ctx);
    }

    fn on_close(&self, id: Id, ctx: Context<'_, S>) {
        self.inner.on_close(id, ctx);
    }

    fn on_id_change(&self, old: &Id, new: &Id, ctx: Context<'_, S>) {
        self.inner.on_id_change(old, new, ctx);
    }
}
