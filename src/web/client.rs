//! Who is asking: the client's address (the socket peer, or X-Forwarded-For when the peer is a
//! trusted proxy), the Host it asked for, and the per-address request rate.

use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::State;
use axum::http::header::{self, HeaderMap, HeaderValue};
use axum::http::{Extensions, Response, StatusCode};
use axum::middleware::Next;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use ipnet::IpNet;

use super::{Request, Web};
use crate::server::admission::addr_key;

/// The socket peer of a request's connection (set by [`super::conn`]).
#[derive(Debug, Clone, Copy)]
pub struct ClientAddr(pub SocketAddr);

/// Whether `ip` is one of the trusted proxies.
pub fn trusted(ip: IpAddr, proxies: &[IpNet]) -> bool {
    let ip = addr_key_v4(ip);
    proxies.iter().any(|n| n.contains(&ip))
}

/// An IPv4-mapped address as IPv4 (the form `--trusted-proxy` is written in).
fn addr_key_v4(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

/// The client's address: the peer, or, when the peer is a trusted proxy, the right-most address
/// of X-Forwarded-For that is not itself a trusted proxy.
pub fn client_ip(headers: &HeaderMap, ext: &Extensions, proxies: &[IpNet]) -> Option<IpAddr> {
    let peer = ext.get::<ClientAddr>()?.0.ip();
    if !trusted(peer, proxies) {
        return Some(peer);
    }
    let forwarded: Vec<IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|a| a.trim().parse().ok())
        .collect();
    Some(
        forwarded
            .into_iter()
            .rev()
            .find(|ip| !trusted(*ip, proxies))
            .unwrap_or(peer),
    )
}

/// Whether a trusted proxy says the client came over HTTPS.
pub fn forwarded_https(headers: &HeaderMap, ext: &Extensions, proxies: &[IpNet]) -> bool {
    let peer_trusted = ext
        .get::<ClientAddr>()
        .is_some_and(|c| trusted(c.0.ip(), proxies));
    peer_trusted
        && headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|p| p.trim().eq_ignore_ascii_case("https"))
}

/// The request's Host if it is a plain host name or address with an optional port (anything
/// else is ignored: it ends up in the page).
pub fn host(headers: &HeaderMap) -> Option<String> {
    let h = headers.get(header::HOST)?.to_str().ok()?.trim();
    let ok = !h.is_empty()
        && h.len() <= 260
        && h.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
    ok.then(|| h.to_ascii_lowercase())
}

/// `host[:port]` without the port (an IPv6 literal keeps its brackets off: `ssh ::1`).
pub fn hostname(host: &str) -> &str {
    if let Some(rest) = host.strip_prefix('[') {
        return rest.split(']').next().unwrap_or(rest);
    }
    host.split(':').next().unwrap_or(host)
}

/// Requests per address (IPv6 by /64) per minute.
pub struct Rate(DefaultKeyedRateLimiter<IpAddr>);

impl Rate {
    pub fn new(per_minute: u32) -> Rate {
        let n = NonZeroU32::new(per_minute.max(1)).unwrap_or(NonZeroU32::MIN);
        Rate(RateLimiter::keyed(Quota::per_minute(n)))
    }

    pub fn sweep(&self) {
        self.0.retain_recent();
        self.0.shrink_to_fit();
    }
}

/// Middleware: over its rate, an address gets 429 with Retry-After.
pub async fn admit(State(web): State<Arc<Web>>, req: Request, next: Next) -> Response<Body> {
    let ip = client_ip(req.headers(), req.extensions(), &web.config.trusted_proxies);
    if let Some(ip) = ip
        && web.rate.0.check_key(&addr_key(ip)).is_err()
    {
        crate::metrics::get().web.refusal("rate");
        let mut res = Response::new(Body::from("too many requests; try again in a minute\n"));
        *res.status_mut() = StatusCode::TOO_MANY_REQUESTS;
        let h = res.headers_mut();
        h.insert(header::RETRY_AFTER, HeaderValue::from_static("60"));
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; charset=utf-8"),
        );
        return res;
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(peer: &str, xff: Option<&str>) -> Request {
        let mut b = axum::http::Request::builder().uri("/");
        if let Some(x) = xff {
            b = b.header("x-forwarded-for", x);
        }
        let mut r = b.body(Body::empty()).unwrap();
        r.extensions_mut().insert(ClientAddr(peer.parse().unwrap()));
        r
    }

    #[test]
    fn forwarded_for_only_from_trusted_peers() {
        let proxies: Vec<IpNet> = vec!["10.0.0.0/8".parse().unwrap()];
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        // An untrusted peer's header is ignored.
        let r = req("203.0.113.9:5000", Some("198.51.100.1"));
        assert_eq!(
            client_ip(r.headers(), r.extensions(), &proxies),
            Some(ip("203.0.113.9"))
        );
        // A trusted peer: the right-most address that is not a proxy (the left is forgeable).
        let r = req("10.1.2.3:5000", Some("1.2.3.4, 198.51.100.1, 10.9.9.9"));
        assert_eq!(
            client_ip(r.headers(), r.extensions(), &proxies),
            Some(ip("198.51.100.1"))
        );
        let r = req("10.1.2.3:5000", None);
        assert_eq!(
            client_ip(r.headers(), r.extensions(), &proxies),
            Some(ip("10.1.2.3"))
        );
        let r = req("[::ffff:10.1.2.3]:5000", Some("198.51.100.7"));
        assert_eq!(
            client_ip(r.headers(), r.extensions(), &proxies),
            Some(ip("198.51.100.7"))
        );
    }

    #[test]
    fn hosts_are_checked() {
        let mut h = HeaderMap::new();
        h.insert(
            header::HOST,
            HeaderValue::from_static("Resume.Example.com:8080"),
        );
        assert_eq!(host(&h).as_deref(), Some("resume.example.com:8080"));
        assert_eq!(hostname("resume.example.com:8080"), "resume.example.com");
        assert_eq!(hostname("[::1]:80"), "::1");
        h.insert(header::HOST, HeaderValue::from_static("x\"><script>"));
        assert_eq!(host(&h), None);
    }
}
