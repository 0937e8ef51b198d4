//! The pages' stylesheets and scripts (the live terminal's xterm.js among them, vendored in
//! assets/web/vendor/), compiled into the binary and served under names that hold
//! their content hash (`/assets/style.1a2b3c4d5e6f.css`), so they can be cached forever.

use std::sync::LazyLock;

use axum::body::Body;
use axum::extract::Path;
use axum::http::header::{self, HeaderMap, HeaderValue};
use axum::http::{Response, StatusCode};

use super::headers;

/// One compiled-in file.
pub struct Asset {
    /// `/assets/NAME.HASH.EXT`.
    pub path: String,
    pub body: &'static str,
    pub mime: &'static str,
    pub etag: String,
}

impl Asset {
    fn new(stem: &str, ext: &str, mime: &'static str, body: &'static str) -> Asset {
        let etag = headers::etag(&[body.as_bytes()]);
        let hash = &etag.trim_matches('"')[..12];
        Asset {
            path: format!("/assets/{stem}.{hash}.{ext}"),
            body,
            mime,
            etag,
        }
    }
}

/// The stylesheet.
pub static CSS: LazyLock<Asset> = LazyLock::new(|| {
    Asset::new(
        "style",
        "css",
        "text/css; charset=utf-8",
        include_str!("../../assets/web/style.css"),
    )
});

/// The copy button's script.
pub static JS: LazyLock<Asset> = LazyLock::new(|| {
    Asset::new(
        "copy",
        "js",
        "text/javascript; charset=utf-8",
        include_str!("../../assets/web/copy.js"),
    )
});

/// The tab icon (a prompt), so that browsers do not ask for a /favicon.ico that is not there.
pub static ICON: LazyLock<Asset> = LazyLock::new(|| {
    Asset::new(
        "icon",
        "svg",
        "image/svg+xml",
        include_str!("../../assets/web/icon.svg"),
    )
});

/// The live terminal's page script (assets/web/terminal.js).
pub static TERM_JS: LazyLock<Asset> = LazyLock::new(|| {
    Asset::new(
        "terminal",
        "js",
        "text/javascript; charset=utf-8",
        include_str!("../../assets/web/terminal.js"),
    )
});

/// The live terminal's page layout.
pub static TERM_CSS: LazyLock<Asset> = LazyLock::new(|| {
    Asset::new(
        "terminal",
        "css",
        "text/css; charset=utf-8",
        include_str!("../../assets/web/terminal.css"),
    )
});

/// xterm.js (the npm package `@xterm/xterm`, vendored: see assets/web/vendor/README.md).
pub static XTERM_JS: LazyLock<Asset> = LazyLock::new(|| {
    Asset::new(
        "xterm",
        "js",
        "text/javascript; charset=utf-8",
        include_str!("../../assets/web/vendor/xterm.js"),
    )
});

/// xterm.js's stylesheet.
pub static XTERM_CSS: LazyLock<Asset> = LazyLock::new(|| {
    Asset::new(
        "xterm",
        "css",
        "text/css; charset=utf-8",
        include_str!("../../assets/web/vendor/xterm.css"),
    )
});

/// xterm.js's fit addon (`@xterm/addon-fit`): the terminal's rows and columns from its box.
pub static FIT_JS: LazyLock<Asset> = LazyLock::new(|| {
    Asset::new(
        "addon-fit",
        "js",
        "text/javascript; charset=utf-8",
        include_str!("../../assets/web/vendor/addon-fit.js"),
    )
});

/// xterm.js's clipboard addon (`@xterm/addon-clipboard`): OSC 52 copies to the browser's
/// clipboard.
pub static CLIPBOARD_JS: LazyLock<Asset> = LazyLock::new(|| {
    Asset::new(
        "addon-clipboard",
        "js",
        "text/javascript; charset=utf-8",
        include_str!("../../assets/web/vendor/addon-clipboard.js"),
    )
});

/// Every asset.
fn all() -> [&'static Asset; 9] {
    [
        &*CSS,
        &*JS,
        &*ICON,
        &*TERM_JS,
        &*TERM_CSS,
        &*XTERM_JS,
        &*XTERM_CSS,
        &*FIT_JS,
        &*CLIPBOARD_JS,
    ]
}

/// `GET /assets/{name}`: the asset of that exact (hashed) name, or 404.
pub async fn get(Path(name): Path<String>, req: HeaderMap) -> Response<Body> {
    let path = format!("/assets/{name}");
    let Some(asset) = all().into_iter().find(|a| a.path == path) else {
        return not_found();
    };
    if headers::not_modified(&req, &asset.etag) {
        return headers::not_modified_response(&asset.etag, headers::IMMUTABLE);
    }
    let mut res = Response::new(Body::from(asset.body));
    *res.status_mut() = StatusCode::OK;
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(asset.mime));
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(headers::IMMUTABLE),
    );
    headers::set(h, header::ETAG, &asset.etag);
    res
}

/// The 404 page (any unknown path).
pub fn not_found() -> Response<Body> {
    crate::metrics::get()
        .web
        .request(crate::metrics::WebRoute::NotFound);
    let html = format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>Not found</title>\n<link rel=\"stylesheet\" href=\"{}\">\n</head>\n<body>\n\
         <main class=\"wrap\">\n<h1>Not found</h1>\n<p>There is nothing at this address.</p>\n\
         <p><a href=\"/\">The resume</a></p>\n</main>\n</body>\n</html>\n",
        CSS.path
    );
    headers::html_response(StatusCode::NOT_FOUND, html, None)
}

/// The fallback route.
pub async fn not_found_handler() -> Response<Body> {
    not_found()
}
