//! The web side's metrics (src/web/): requests by route, connections, and refusals by reason.
//! Label values are fixed enums and strings: no addresses, no paths a client chose.

use prometheus_client::encoding::{EncodeLabelSet, EncodeLabelValue, LabelValueEncoder};
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::registry::Registry;

use super::ReasonLabel;

/// What an HTTP request asked for.
#[derive(Debug, Clone, Copy, Hash, PartialEq, Eq)]
pub enum WebRoute {
    Page,
    Pdf,
    Json,
    Vcard,
    Markdown,
    Text,
    Image,
    /// The live terminal's page (its sessions are counted with SSH's, kind `web_tui`).
    Terminal,
    /// The message form (`POST /message`).
    Message,
    NotFound,
}

impl WebRoute {
    pub fn label(self) -> &'static str {
        match self {
            WebRoute::Page => "page",
            WebRoute::Pdf => "pdf",
            WebRoute::Json => "json",
            WebRoute::Vcard => "vcard",
            WebRoute::Markdown => "markdown",
            WebRoute::Text => "text",
            WebRoute::Image => "og_image",
            WebRoute::Terminal => "terminal",
            WebRoute::Message => "message",
            WebRoute::NotFound => "not_found",
        }
    }
}

impl EncodeLabelValue for WebRoute {
    fn encode(&self, encoder: &mut LabelValueEncoder) -> Result<(), std::fmt::Error> {
        EncodeLabelValue::encode(&self.label(), encoder)
    }
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RouteLabel {
    pub route: WebRoute,
}

/// Every web metric.
#[derive(Default)]
pub struct Web {
    /// Page views and file downloads (304s included: a view of a cached copy), by route.
    pub requests: Family<RouteLabel, Counter>,
    pub connections: Counter,
    /// Connections and requests refused: `connections` (the total cap), `per_address`, `rate`;
    /// the live terminal's `origin` (another site's page) and `terminals` (its socket caps).
    pub refusals: Family<ReasonLabel, Counter>,
}

impl Web {
    pub fn register(&self, registry: &mut Registry) {
        registry.register(
            "web_requests",
            "HTTP page views and file downloads, by route",
            self.requests.clone(),
        );
        registry.register(
            "web_connections",
            "HTTP connections accepted",
            self.connections.clone(),
        );
        registry.register(
            "web_refusals",
            "HTTP connections or requests refused, by reason",
            self.refusals.clone(),
        );
    }

    pub fn request(&self, route: WebRoute) {
        self.requests.get_or_create(&RouteLabel { route }).inc();
    }

    /// `reason` is one of a fixed set (see [`Web::refusals`]).
    pub fn refusal(&self, reason: &'static str) {
        self.refusals
            .get_or_create(&ReasonLabel {
                reason: reason.to_owned(),
            })
            .inc();
    }
}
