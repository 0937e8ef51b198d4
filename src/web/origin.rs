//! The Origin check of the terminal's WebSocket and the message form: a browser says which page opened the socket (or sent the form), and
//! only the server's own page may (another site's script could otherwise drive a visit with its
//! visitors' browsers). The Origin's authority must be the request's Host.

use axum::http::header::{self, HeaderMap};

/// Whether the request's Origin names the host it was sent to (a missing Origin is refused:
/// browsers always send one with a WebSocket).
pub fn same(headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let Some(host) = super::client::host(headers) else {
        return false;
    };
    let origin = origin.trim().to_ascii_lowercase();
    let (authority, default_port) = if let Some(a) = origin.strip_prefix("https://") {
        (a, ":443")
    } else if let Some(a) = origin.strip_prefix("http://") {
        (a, ":80")
    } else {
        return false;
    };
    let strip = |a: &str| {
        a.strip_suffix(default_port)
            .map(str::to_owned)
            .unwrap_or_else(|| a.to_owned())
    };
    // An origin has no path; a trailing slash is tolerated.
    let authority = authority.strip_suffix('/').unwrap_or(authority);
    !authority.is_empty() && strip(authority) == strip(&host)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn check(origin: Option<&str>, host: &str) -> bool {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, HeaderValue::from_str(host).unwrap());
        if let Some(o) = origin {
            h.insert(header::ORIGIN, HeaderValue::from_str(o).unwrap());
        }
        same(&h)
    }

    #[test]
    fn origin_must_be_the_host() {
        assert!(check(Some("http://127.0.0.1:8080"), "127.0.0.1:8080"));
        assert!(check(
            Some("https://Resume.Example.com"),
            "resume.example.com"
        ));
        assert!(check(
            Some("https://resume.example.com"),
            "resume.example.com:443"
        ));
        assert!(!check(Some("https://evil.example"), "resume.example.com"));
        assert!(!check(Some("http://127.0.0.1:9999"), "127.0.0.1:8080"));
        assert!(!check(Some("null"), "127.0.0.1:8080"));
        assert!(!check(None, "127.0.0.1:8080"));
        assert!(!check(
            Some("https://resume.example.com.evil.example"),
            "resume.example.com"
        ));
    }
}
