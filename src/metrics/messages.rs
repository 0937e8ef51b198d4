//! The metrics of visitors' messages: how each submission ended (stored, duplicate, or the
//! refusal's label), how each delivery attempt ended, and the outbox rows still to deliver
//! (the alert in deploy/prometheus/alerts.yml watches it).

use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::registry::Registry;

use super::ResultLabel;

#[derive(Default)]
pub struct Messages {
    pub submissions: Family<ResultLabel, Counter>,
    pub deliveries: Family<ResultLabel, Counter>,
    pub pending: Gauge,
}

impl Messages {
    pub(super) fn register(&self, registry: &mut Registry) {
        registry.register(
            "messages",
            "Messages visitors sent, by result (stored, duplicate, or why refused)",
            self.submissions.clone(),
        );
        registry.register(
            "message_deliveries",
            "Webhook delivery attempts, by result (delivered, retry, failed: gave up)",
            self.deliveries.clone(),
        );
        registry.register(
            "message_deliveries_pending",
            "Outbox rows (message x notify URL) not delivered yet",
            self.pending.clone(),
        );
    }

    /// A submission ended with `result` (a fixed label).
    pub fn submission(&self, result: &'static str) {
        self.submissions
            .get_or_create(&ResultLabel {
                result: result.to_owned(),
            })
            .inc();
    }

    /// A delivery attempt ended with `result` (a fixed label).
    pub fn delivery(&self, result: &'static str) {
        self.deliveries
            .get_or_create(&ResultLabel {
                result: result.to_owned(),
            })
            .inc();
    }
}
