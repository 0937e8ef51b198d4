//! The resume on the web (`serve --http ADDR:PORT`): the page, the files, the og:image and a
//! health check, on the same runtime and the same [`Shared`] state as SSH, so a reload reaches
//! both. [`conn`] accepts connections and bounds them; this module builds the router.
//!
//! Every request reads the current resume ([`Web::current`], a cheap `Arc` clone); ETags come
//! from a hash of the resume's content, so a reload changes them.

mod assets;
mod client;
pub mod conn;
mod files;
mod headers;
mod message;
mod og;
mod origin;
mod page;
pub mod terminal;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::http::StatusCode;
use axum::middleware;
use axum::routing::{get, post};
use bytes::Bytes;
use tower_http::compression::CompressionLayer;
use tower_http::compression::predicate::{DefaultPredicate, NotForContentType, Predicate as _};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;

use crate::documents::Documents;
use crate::locks::lock;
use crate::resume::Resume;
use crate::shared::{Shared, Snapshot};

pub use client::ClientAddr;

type Request = axum::extract::Request;
/// A request without its body (what the handlers read: `Send` and `Sync`).
type Parts = axum::http::request::Parts;

/// What the web side is told at start.
#[derive(Debug, Clone)]
pub struct Config {
    /// The SSH port, for the command the page shows when the resume sets none (`[site] ssh` or
    /// `--public-command`): `ssh HOST` from the request's Host, with `-p` when it is not 22.
    pub ssh_port: u16,
    /// Peers whose X-Forwarded-For and X-Forwarded-Proto are believed.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    pub limits: Limits,
}

/// The bounds of the HTTP side.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Open HTTP connections in total; more are refused (closed at once).
    pub max_connections: usize,
    /// Open HTTP connections per address (IPv6 by /64); not applied to trusted proxies.
    pub max_per_ip: usize,
    /// Requests per address per minute (from X-Forwarded-For behind a trusted proxy).
    pub requests_per_minute: u32,
    /// From the first byte of a request to the end of its headers.
    pub header_timeout: Duration,
    /// A connection with no request in progress for this long is closed.
    pub idle_timeout: Duration,
    /// The longest a connection stays open, whatever it does.
    pub max_connection: Duration,
    /// The longest one request may take.
    pub request_timeout: Duration,
    /// The read buffer, which bounds a request's head (line and headers); hyper answers 431 past it.
    pub max_header_bytes: usize,
    /// The longest request body (only the message form has one).
    pub max_body_bytes: usize,
    /// The live terminal's sockets.
    pub terminal: terminal::TermLimits,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_connections: 512,
            max_per_ip: 16,
            requests_per_minute: 240,
            header_timeout: Duration::from_secs(5),
            idle_timeout: Duration::from_secs(20),
            max_connection: Duration::from_secs(120),
            request_timeout: Duration::from_secs(15),
            max_header_bytes: 16 * 1024,
            max_body_bytes: message::MAX_FORM_BYTES,
            terminal: terminal::TermLimits::default(),
        }
    }
}

/// One resume version as the web side serves it.
pub struct Version {
    pub resume: Arc<Resume>,
    /// The documents of this same version (from one snapshot: a reload never pairs one
    /// version's ETag with another's bytes).
    pub documents: Arc<Documents>,
    /// Hex of the hash of the resume's content: the base of every ETag.
    pub tag: String,
    og: tokio::sync::OnceCell<Option<Bytes>>,
}

impl Version {
    fn new(snapshot: &Snapshot) -> Version {
        let resume = Arc::clone(&snapshot.resume);
        let json = serde_json::to_vec(&*resume).unwrap_or_default();
        let tag = headers::etag(&[&json]).trim_matches('"').to_owned();
        Version {
            resume,
            documents: Arc::clone(&snapshot.documents),
            tag,
            og: tokio::sync::OnceCell::new(),
        }
    }

    /// The og:image PNG, made on first request (on a blocking thread), or `None` if it fails.
    pub async fn og_image(&self) -> Option<Bytes> {
        self.og
            .get_or_init(|| async {
                let resume = Arc::clone(&self.resume);
                match tokio::task::spawn_blocking(move || og::render(&resume)).await {
                    Ok(Ok(png)) => Some(png),
                    Ok(Err(e)) => {
                        tracing::warn!(error = %e, "og:image not rendered");
                        None
                    }
                    Err(_) => None,
                }
            })
            .await
            .clone()
    }

    /// Whether the og:image is there or may still come (not known to have failed).
    fn og_possible(&self) -> bool {
        !matches!(self.og.get(), Some(None))
    }
}

/// The web side's state, shared by its handlers.
pub struct Web {
    pub shared: Arc<Shared>,
    pub config: Config,
    current: Mutex<Option<Arc<Version>>>,
    rate: client::Rate,
    /// The open terminal sockets.
    terminals: terminal::Sockets,
}

impl Web {
    pub fn new(shared: Arc<Shared>, config: Config) -> Arc<Web> {
        let rate = client::Rate::new(config.limits.requests_per_minute);
        Arc::new(Web {
            shared,
            config,
            current: Mutex::new(None),
            rate,
            terminals: terminal::Sockets::default(),
        })
    }

    /// The version of the resume being served now (made when the resume changed).
    pub fn current(&self) -> Arc<Version> {
        let now = self.shared.snapshot();
        let mut cur = lock(&self.current);
        match &*cur {
            Some(v) if Arc::ptr_eq(&v.resume, &now.resume) => Arc::clone(v),
            _ => {
                let v = Arc::new(Version::new(&now));
                *cur = Some(Arc::clone(&v));
                // The og:image is drawn now, in the background: ready when the first card is
                // fetched, and known to have failed before a page names it.
                if let Ok(rt) = tokio::runtime::Handle::try_current() {
                    let bg = Arc::clone(&v);
                    rt.spawn(async move { bg.og_image().await });
                }
                v
            }
        }
    }

    /// What the page needs from the request: its origin and the ssh command.
    fn page_context(&self, req: &Parts, version: &Version) -> page::Context {
        let host = client::host(&req.headers).unwrap_or_else(|| "localhost".to_owned());
        let https =
            client::forwarded_https(&req.headers, &req.extensions, &self.config.trusted_proxies);
        let origin = format!("{}://{host}", if https { "https" } else { "http" });
        let ssh = match &version.resume.site.ssh {
            Some(c) => c.as_str().to_owned(),
            None => {
                let name = client::hostname(&host);
                match self.config.ssh_port {
                    22 => format!("ssh {name}"),
                    p => format!("ssh -p {p} {name}"),
                }
            }
        };
        page::Context {
            origin,
            ssh,
            og_image: version.og_possible(),
            messages: self.shared.messages.is_some(),
        }
    }

    /// Forgets the rate limiter's idle addresses (called now and then by [`conn::serve`]).
    fn sweep(&self) {
        self.rate.sweep();
    }
}

/// The routes, with the middleware of every response.
pub fn router(web: Arc<Web>) -> Router {
    let limits = &web.config.limits;
    // Already-compressed bodies are sent as they are.
    let compress_when = DefaultPredicate::new()
        .and(NotForContentType::new("application/pdf"))
        .and(NotForContentType::IMAGES);
    Router::new()
        .route("/", get(page::index))
        .route("/resume.pdf", get(files::pdf))
        .route("/resume.json", get(files::json))
        .route("/resume.vcf", get(files::vcard))
        .route("/resume.md", get(files::markdown))
        .route("/resume.txt", get(files::text))
        .route("/og.png", get(og::get))
        .route("/assets/{name}", get(assets::get))
        .route("/message", post(message::post))
        .route("/healthz", get(|| async { "ok" }))
        .route("/terminal", get(terminal::page))
        .route("/terminal/ws", get(terminal::ws))
        .fallback(assets::not_found_handler)
        .layer(middleware::from_fn_with_state(
            Arc::clone(&web),
            client::admit,
        ))
        .layer(CompressionLayer::new().compress_when(compress_when))
        .layer(middleware::from_fn(headers::tag_encoding))
        .layer(RequestBodyLimitLayer::new(limits.max_body_bytes))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            limits.request_timeout,
        ))
        .layer(middleware::from_fn(headers::security))
        .with_state(web)
}
