//! HTTP header policy: the security headers every response carries, strong ETags and the
//! If-None-Match check, and the ETag of a compressed body.

use axum::body::Body;
use axum::http::header::{self, HeaderMap, HeaderValue};
use axum::http::{Request, Response, StatusCode};
use axum::middleware::Next;
use sha2::{Digest, Sha256};

/// No inline script or style anywhere; the JSON-LD block is data, not script, so `script-src
/// 'self'` does not stop it. The og:image is served by the binary (`img-src 'self'`).
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; \
     font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
     frame-ancestors 'none'";

/// The page and the files: always revalidated (cheap: a 304 when unchanged).
pub const REVALIDATE: &str = "no-cache";
/// Assets whose name holds their content hash never change.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// A strong ETag (quoted) of `parts`: the first 128 bits of their SHA-256, in hex.
pub fn etag(parts: &[&[u8]]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update((p.len() as u64).to_le_bytes());
        h.update(p);
    }
    format!("\"{}\"", hex(&h.finalize()[..16]))
}

/// Lower-case hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether the request's If-None-Match names `etag` (or `*`): the client's copy is current.
/// Tags of compressed bodies (see [`tag_encoding`]) match the tag they were made from.
pub fn not_modified(headers: &HeaderMap, etag: &str) -> bool {
    let want = etag.trim_matches('"');
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|t| t.trim().trim_start_matches("W/").trim_matches('"'))
        .any(|t| {
            t == "*"
                || t == want
                || t.strip_prefix(want)
                    .is_some_and(|rest| matches!(rest, "-gzip" | "-br"))
        })
}

/// A response of `status` with the validators of `etag` (a 304 has no body).
pub fn not_modified_response(etag: &str, cache: &'static str) -> Response<Body> {
    let mut res = Response::new(Body::empty());
    *res.status_mut() = StatusCode::NOT_MODIFIED;
    set(res.headers_mut(), header::ETAG, etag);
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    res
}

/// Sets a header from a string that may (in theory) not be a valid value: then it is left out.
pub fn set(headers: &mut HeaderMap, name: header::HeaderName, value: &str) {
    if let Ok(v) = HeaderValue::from_str(value) {
        headers.insert(name, v);
    }
}

/// Middleware: the security headers on every response, errors and 404s included.
pub async fn security(req: Request<Body>, next: Next) -> Response<Body> {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=(), interest-cohort=()"),
    );
    res
}

/// Middleware outside compression: a compressed body is another representation, so its strong
/// ETag gets the encoding as a suffix (`"abc-br"`); [`not_modified`] accepts either.
pub async fn tag_encoding(req: Request<Body>, next: Next) -> Response<Body> {
    let mut res = next.run(req).await;
    let enc = res
        .headers()
        .get(header::CONTENT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let tag = res
        .headers()
        .get(header::ETAG)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    if let (Some(enc), Some(tag)) = (enc, tag)
        && let Some(inner) = tag.strip_suffix('"')
    {
        let tagged = format!("{inner}-{enc}\"");
        set(res.headers_mut(), header::ETAG, &tagged);
    }
    res
}

/// An HTML response with the page's caching rules.
pub fn html_response(status: StatusCode, html: String, etag: Option<&str>) -> Response<Body> {
    let mut res = Response::new(Body::from(html));
    *res.status_mut() = status;
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(REVALIDATE));
    if let Some(tag) = etag {
        set(h, header::ETAG, tag);
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_none_match_forms() {
        let tag = etag(&[b"x"]);
        let mut h = HeaderMap::new();
        assert!(!not_modified(&h, &tag));
        set(&mut h, header::IF_NONE_MATCH, &format!("\"other\", {tag}"));
        assert!(not_modified(&h, &tag));
        let gz = format!("W/{}-gzip\"", tag.trim_end_matches('"'));
        set(&mut h, header::IF_NONE_MATCH, &gz);
        assert!(not_modified(&h, &tag));
        set(&mut h, header::IF_NONE_MATCH, "\"nope\"");
        assert!(!not_modified(&h, &tag));
        set(&mut h, header::IF_NONE_MATCH, "*");
        assert!(not_modified(&h, &tag));
    }
}
