//! Prometheus metrics (prometheus-client) and a minimal HTTP endpoint that serves them.
//!
//! The endpoint answers `GET /metrics` (and `/`) on the address given with `--metrics`, meant for
//! loopback. Counting is a few atomic adds per connection; nothing runs while sessions are idle.
//! What visitors read (sections, time per section, client families, terminals, links) is
//! [`visitors`]'s; its label values are fixed enums ([`labels`]).

mod endpoint;
mod labels;
pub mod messages;
pub mod visitors;
mod web;

pub use endpoint::serve;
pub use labels::{ClientFamily, Depth, LinkKind, SizeClass};
pub use visitors::{Visit, Visitors};
pub use web::WebRoute;

use std::sync::OnceLock;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct KindLabel {
    pub kind: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct ReasonLabel {
    pub reason: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct BudgetLabel {
    pub budget: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct LevelLabel {
    pub level: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct ResultLabel {
    pub result: String,
}

/// Every metric the server keeps.
pub struct Metrics {
    pub connections_total: Counter,
    pub connections_active: Gauge,
    pub sessions: Family<KindLabel, Counter>,
    pub refusals: Family<ReasonLabel, Counter>,
    pub handshake_failures: Counter,
    /// Load-balancer health checks (PROXY LOCAL), kept apart from visitors.
    pub probes: Counter,
    pub bytes_out: Counter,
    pub session_seconds: Histogram,
    /// Sections, time per section, client families, terminals, links copied.
    pub visitors: Visitors,
    pub reloads: Family<ResultLabel, Counter>,
    /// Refused requests, by kind (a fixed set: [`crate::budget::Refused`]).
    pub requests_refused: Family<KindLabel, Counter>,
    /// Connections disconnected for exhausting a budget (a fixed set: [`crate::budget::Kind`]).
    pub budget_exceeded: Family<BudgetLabel, Counter>,
    /// russh's own warnings and errors, by level (warn or error), whether printed or not.
    pub russh_events: Family<LevelLabel, Counter>,
    /// Log lines a connection was over its log budget for (counted, not written).
    pub log_suppressed: Counter,
    /// Log lines dropped because the log's reader was too slow.
    pub log_dropped: Counter,
    // --- Render caches (tui/frames.rs, tui/layout_cache.rs): how often a frame was copied
    // rather than drawn, and a layout taken rather than computed.
    pub frame_cache_hits: Counter,
    pub frame_cache_misses: Counter,
    pub layout_cache_hits: Counter,
    pub layout_cache_misses: Counter,
    /// Visitors' messages and their webhook deliveries.
    pub messages: messages::Messages,
    /// The web side (src/web/).
    pub web: web::Web,
    registry: Registry,
}

impl Metrics {
    pub(crate) fn new() -> Metrics {
        let mut registry = Registry::with_prefix("resume_ssh");
        let m = Metrics {
            connections_total: Counter::default(),
            connections_active: Gauge::default(),
            sessions: Family::default(),
            refusals: Family::default(),
            handshake_failures: Counter::default(),
            probes: Counter::default(),
            bytes_out: Counter::default(),
            session_seconds: Histogram::new([
                1.0, 5.0, 15.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1800.0, 3600.0,
            ]),
            visitors: Visitors::new(),
            reloads: Family::default(),
            requests_refused: Family::default(),
            budget_exceeded: Family::default(),
            russh_events: Family::default(),
            log_suppressed: Counter::default(),
            log_dropped: Counter::default(),
            frame_cache_hits: Counter::default(),
            frame_cache_misses: Counter::default(),
            layout_cache_hits: Counter::default(),
            layout_cache_misses: Counter::default(),
            messages: messages::Messages::default(),
            web: web::Web::default(),
            registry: Registry::default(),
        };
        registry.register(
            "connections",
            "Connections accepted",
            m.connections_total.clone(),
        );
        registry.register(
            "connections_active",
            "Connections open now",
            m.connections_active.clone(),
        );
        registry.register(
            "sessions",
            "Sessions started, by kind (tui or the exec command)",
            m.sessions.clone(),
        );
        registry.register(
            "refusals",
            "Connections refused, by reason",
            m.refusals.clone(),
        );
        registry.register(
            "handshake_failures",
            "Connections that never authenticated",
            m.handshake_failures.clone(),
        );
        registry.register(
            "health_checks",
            "Load-balancer health checks (PROXY protocol LOCAL)",
            m.probes.clone(),
        );
        registry.register("bytes_out", "Bytes sent to clients", m.bytes_out.clone());
        registry.register(
            "connection_duration_seconds",
            "How long connections lasted",
            m.session_seconds.clone(),
        );
        m.visitors.register(&mut registry);
        m.messages.register(&mut registry);
        m.web.register(&mut registry);
        registry.register("reloads", "Resume reloads, by result", m.reloads.clone());
        registry.register(
            "requests_refused",
            "Requests refused (forwarding, X11, agent, subsystems), by kind",
            m.requests_refused.clone(),
        );
        registry.register(
            "budget_exceeded",
            "Connections disconnected for exhausting a per-connection budget, by budget",
            m.budget_exceeded.clone(),
        );
        registry.register(
            "russh_log_events",
            "Warnings and errors logged by russh, by level (most are not written out)",
            m.russh_events.clone(),
        );
        registry.register(
            "log_lines_suppressed",
            "Log lines not written because their connection was over its log budget",
            m.log_suppressed.clone(),
        );
        registry.register(
            "log_lines_dropped",
            "Log lines dropped because the log's reader was too slow",
            m.log_dropped.clone(),
        );
        for (name, help, c) in [
            (
                "frame_cache_hits",
                "Screen updates copied from the per-thread cache of encoded updates",
                &m.frame_cache_hits,
            ),
            (
                "frame_cache_misses",
                "Screen updates drawn and encoded (not in the per-thread cache)",
                &m.frame_cache_misses,
            ),
            (
                "layout_cache_hits",
                "Layouts (scroll bounds per size) taken from the per-thread cache",
                &m.layout_cache_hits,
            ),
            (
                "layout_cache_misses",
                "Layouts computed (not in the per-thread cache)",
                &m.layout_cache_misses,
            ),
        ] {
            registry.register(name, help, c.clone());
        }
        Metrics { registry, ..m }
    }

    /// Prometheus text exposition of everything.
    pub fn encode(&self) -> String {
        let mut out = String::new();
        let _ = prometheus_client::encoding::text::encode(&mut out, &self.registry);
        out
    }

    /// A session started: `tui`, `web_tui` (the live terminal in a browser), or the exec command's kind ([`crate::commands::Command::kind`]).
    pub fn session(&self, kind: &'static str) {
        self.sessions
            .get_or_create(&KindLabel {
                kind: kind.to_owned(),
            })
            .inc();
    }

    pub fn refused(&self, reason: &str) {
        self.refusals
            .get_or_create(&ReasonLabel {
                reason: reason.to_owned(),
            })
            .inc();
    }

    pub fn request_refused(&self, kind: &'static str) {
        self.requests_refused
            .get_or_create(&KindLabel {
                kind: kind.to_owned(),
            })
            .inc();
    }

    pub fn budget_exceeded(&self, budget: &'static str) {
        self.budget_exceeded
            .get_or_create(&BudgetLabel {
                budget: budget.to_owned(),
            })
            .inc();
    }

    pub fn russh_event(&self, level: &'static str) {
        self.russh_events
            .get_or_create(&LevelLabel {
                level: level.to_owned(),
            })
            .inc();
    }

    /// A visitor copied a link to the clipboard; `LinkKind::of(url)` gives the kind.
    pub fn link_copied(&self, kind: LinkKind) {
        self.visitors.link_copied(kind);
    }

    pub fn reload(&self, ok: bool) {
        let result = if ok { "ok" } else { "failed" };
        self.reloads
            .get_or_create(&ResultLabel {
                result: result.to_owned(),
            })
            .inc();
    }
}

/// The process-wide metrics.
pub fn get() -> &'static Metrics {
    static M: OnceLock<Metrics> = OnceLock::new();
    M.get_or_init(Metrics::new)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_counters() {
        let m = Metrics::new();
        m.connections_total.inc();
        m.session("tui");
        m.refused("per_ip");
        m.reload(false);
        let text = m.encode();
        assert!(text.contains("resume_ssh_connections_total 1"), "{text}");
        assert!(
            text.contains("resume_ssh_sessions_total{kind=\"tui\"} 1"),
            "{text}"
        );
        assert!(
            text.contains("resume_ssh_refusals_total{reason=\"per_ip\"} 1"),
            "{text}"
        );
        assert!(
            text.contains("resume_ssh_reloads_total{result=\"failed\"} 1"),
            "{text}"
        );
    }
}
