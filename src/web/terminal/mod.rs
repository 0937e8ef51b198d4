//! The live terminal in the browser: `GET /terminal` (a page loading xterm.js and
//! assets/web/terminal.js) and `GET /terminal/ws`, the WebSocket that carries the same
//! transport-free [`Visit`] as SSH ([`socket`] is its adapter). The upgrade is refused (403) when
//! the Origin is not the page's own, and (503) past the caps on open sockets, in total and per
//! address (IPv6 by /64).

mod socket;

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::extract::ws::WebSocketUpgrade;
use axum::extract::{Query, State};
use axum::http::header::{self, HeaderMap, HeaderValue};
use axum::http::{Extensions, Response, StatusCode};
use serde::Deserialize;

use super::{ClientAddr, Web, assets, client, headers, origin};
use crate::content::SectionId;
use crate::locks::lock;
use crate::metrics::WebRoute;
use crate::server::admission::addr_key;
use crate::terminal::Size;
use crate::tui::theme::ClientEnv;
use crate::visit::Visit;

/// The largest WebSocket message (and frame) a browser may send: keys and pastes fit.
pub const MAX_MESSAGE: usize = 64 * 1024;

/// The bounds of the live terminal.
#[derive(Debug, Clone)]
pub struct TermLimits {
    /// Open terminal sockets in total.
    pub max_sockets: usize,
    /// Open terminal sockets per address (IPv6 by /64).
    pub max_per_ip: usize,
    /// Input bytes a socket may send per second (a burst of one second is allowed); past it the
    /// socket is not read until the allowance catches up.
    pub input_bytes_per_sec: u32,
}

impl Default for TermLimits {
    fn default() -> TermLimits {
        TermLimits {
            max_sockets: 256,
            max_per_ip: 4,
            input_bytes_per_sec: 32 * 1024,
        }
    }
}

/// The open terminal sockets, counted in total and per address.
#[derive(Default)]
pub struct Sockets(Mutex<(usize, HashMap<IpAddr, usize>)>);

/// One open socket's place in [`Sockets`], given back when dropped.
struct Held(Arc<Web>, Option<IpAddr>);

impl Sockets {
    fn take(web: &Arc<Web>, key: Option<IpAddr>) -> Option<Held> {
        let limits = &web.config.limits.terminal;
        let mut m = lock(&web.terminals.0);
        if m.0 >= limits.max_sockets {
            return None;
        }
        if let Some(k) = key {
            let n = m.1.entry(k).or_insert(0);
            if *n >= limits.max_per_ip {
                return None;
            }
            *n += 1;
        }
        m.0 += 1;
        Some(Held(Arc::clone(web), key))
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        let mut m = lock(&self.0.terminals.0);
        m.0 = m.0.saturating_sub(1);
        if let Some(k) = self.1
            && let Some(n) = m.1.get_mut(&k)
        {
            *n = n.saturating_sub(1);
            if *n == 0 {
                m.1.remove(&k);
            }
        }
    }
}

/// `GET /terminal`: the page. No inline script or style: everything comes from hashed assets.
pub async fn page(State(web): State<Arc<Web>>) -> Response<Body> {
    crate::metrics::get().web.request(WebRoute::Terminal);
    let name = super::page::esc(&web.current().resume.basics.name);
    let html = format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{name} — live terminal</title>\n\
         <meta name=\"color-scheme\" content=\"dark\">\n\
         <link rel=\"icon\" href=\"{icon}\" type=\"image/svg+xml\">\n\
         <link rel=\"stylesheet\" href=\"{xcss}\">\n<link rel=\"stylesheet\" href=\"{tcss}\">\n\
         <script src=\"{xjs}\" defer></script>\n<script src=\"{fjs}\" defer></script>\n\
         <script src=\"{cjs}\" defer></script>\n\
         <script src=\"{tjs}\" defer></script>\n</head>\n<body>\n\
         <header class=\"term-top\"><h1>{name}</h1><a href=\"/\">The resume as a web page</a></header>\n\
         <main id=\"terminal\" aria-label=\"The resume in a terminal\"></main>\n\
         <noscript><p class=\"noscript\">The live terminal needs JavaScript. \
         <a href=\"/\">The resume as a web page</a> does not.</p></noscript>\n\
         <div class=\"ended\" id=\"ended\" role=\"status\" hidden><p id=\"ended-why\"></p>\
         <button type=\"button\" id=\"reload\">Start again</button></div>\n\
         </body>\n</html>\n",
        icon = assets::ICON.path,
        xcss = assets::XTERM_CSS.path,
        tcss = assets::TERM_CSS.path,
        xjs = assets::XTERM_JS.path,
        fjs = assets::FIT_JS.path,
        cjs = assets::CLIPBOARD_JS.path,
        tjs = assets::TERM_JS.path,
    );
    let mut res = Response::new(Body::from(html));
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(headers::REVALIDATE),
    );
    res
}

/// The initial size, from `/terminal/ws?cols=..&rows=..` (clamped; absent: the default).
#[derive(Debug, Deserialize)]
pub struct SizeQuery {
    cols: Option<u32>,
    rows: Option<u32>,
}

/// A plain-text refusal.
fn refuse(status: StatusCode, text: &'static str) -> Response<Body> {
    let mut res = Response::new(Body::from(text));
    *res.status_mut() = status;
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    res
}

/// `GET /terminal/ws`: checks the Origin and the caps, then upgrades and runs the visit.
pub async fn ws(
    State(web): State<Arc<Web>>,
    Query(q): Query<SizeQuery>,
    addr: Option<axum::Extension<ClientAddr>>,
    req: HeaderMap,
    upgrade: Result<WebSocketUpgrade, axum::extract::ws::rejection::WebSocketUpgradeRejection>,
) -> Response<Body> {
    let m = crate::metrics::get();
    if !origin::same(&req) {
        m.web.refusal("origin");
        return refuse(StatusCode::FORBIDDEN, "cross-origin WebSocket refused\n");
    }
    let upgrade = match upgrade {
        Ok(u) => u,
        Err(_) => return refuse(StatusCode::BAD_REQUEST, "a WebSocket upgrade is expected\n"),
    };
    let mut ext = Extensions::new();
    if let Some(axum::Extension(a)) = addr {
        ext.insert(a);
    }
    let key = client::client_ip(&req, &ext, &web.config.trusted_proxies).map(addr_key);
    let Some(held) = Sockets::take(&web, key) else {
        m.web.refusal("terminals");
        return refuse(
            StatusCode::SERVICE_UNAVAILABLE,
            "too many live terminals open; try again later\n",
        );
    };
    let size = Size::clamped(q.cols.unwrap_or(0), q.rows.unwrap_or(0));
    let caps = ClientEnv {
        term: Some("xterm-256color".to_owned()),
        colorterm: Some("truecolor".to_owned()),
        ..ClientEnv::default()
    }
    .capabilities();
    let address = match key {
        Some(k) => web.shared.render_budgets.get(k),
        None => Arc::default(),
    };
    let visit = Visit::new(SectionId::About, size, caps, address);
    m.session("web_tui");
    upgrade
        .max_message_size(MAX_MESSAGE)
        .max_frame_size(MAX_MESSAGE)
        .on_upgrade(move |sock| async move {
            let shared = Arc::clone(&held.0.shared);
            let limits = socket::Bounds {
                input_bytes_per_sec: held.0.config.limits.terminal.input_bytes_per_sec,
                // Idle and maximum durations as for SSH.
                idle_timeout: shared.limits.idle_timeout,
                max_session: shared.limits.max_session,
            };
            socket::run(sock, visit, shared, limits).await;
            drop(held);
        })
}
