//! Every route and its headers: content types, the security headers, caching, 304s, gzip and
//! br, HEAD, the 404 page, and files byte for byte equal to the SSH commands' replies.

use std::io::Read as _;

use hyper::Method;
use resume_ssh::commands::Command;
use resume_ssh::export::pdf::Paper;

use super::http::{Resp, get, request};
use super::server::WebServer;

/// The files: (path, the SSH command whose reply it is, content type, disposition).
fn files() -> Vec<(&'static str, Command, &'static str, &'static str)> {
    vec![
        (
            "/resume.pdf",
            Command::Pdf(Paper::A4),
            "application/pdf",
            "inline",
        ),
        (
            "/resume.pdf?paper=letter",
            Command::Pdf(Paper::Letter),
            "application/pdf",
            "inline",
        ),
        (
            "/resume.json",
            Command::Json,
            "application/json",
            "attachment",
        ),
        (
            "/resume.vcf",
            Command::Vcard,
            "text/vcard; charset=utf-8",
            "attachment",
        ),
        (
            "/resume.md",
            Command::Markdown,
            "text/markdown; charset=utf-8",
            "attachment",
        ),
        (
            "/resume.txt",
            Command::Plain { width: 80 },
            "text/plain; charset=utf-8",
            "attachment",
        ),
    ]
}

fn assert_security_headers(r: &Resp, path: &str) {
    let csp = r.header("content-security-policy");
    assert!(csp.contains("default-src 'self'"), "{path}: CSP {csp:?}");
    assert!(
        csp.contains("frame-ancestors 'none'"),
        "{path}: CSP {csp:?}"
    );
    assert!(!csp.contains("unsafe-inline"), "{path}: CSP {csp:?}");
    assert_eq!(r.header("x-content-type-options"), "nosniff", "{path}");
    assert!(!r.header("referrer-policy").is_empty(), "{path}");
}

/// The page's hashed asset paths.
fn asset_paths(html: &str) -> Vec<String> {
    html.split('"')
        .filter(|s| s.starts_with("/assets/"))
        .map(str::to_owned)
        .collect()
}

#[tokio::test]
async fn files_are_the_ssh_commands_bytes() {
    let s = WebServer::start().await;
    let docs = s.shared.documents();
    for (path, cmd, ctype, disposition) in files() {
        let r = get(s.addr, path, &[]).await;
        assert_eq!(r.status, 200, "{path}");
        assert_eq!(r.header("content-type"), ctype, "{path}");
        let d = r.header("content-disposition");
        assert!(
            d.starts_with(disposition) && d.contains("filename=\""),
            "{path}: {d}"
        );
        assert_eq!(r.header("cache-control"), "no-cache", "{path}");
        assert!(r.header("etag").starts_with('"'), "{path}: strong ETag");
        assert_security_headers(&r, path);
        let want = docs.reply(&cmd, false).stdout;
        assert!(!want.is_empty());
        assert_eq!(r.body, want, "{path}: not the bytes of the SSH command");
    }
}

#[tokio::test]
async fn page_assets_health_and_404() {
    let s = WebServer::start().await;
    let page = get(s.addr, "/", &[]).await;
    assert_eq!(page.status, 200);
    assert_eq!(page.header("content-type"), "text/html; charset=utf-8");
    assert_eq!(page.header("cache-control"), "no-cache");
    assert_security_headers(&page, "/");
    let html = page.text();
    let assets = asset_paths(&html);
    assert_eq!(
        assets.len(),
        3,
        "a stylesheet, a script, an icon: {assets:?}"
    );
    for path in &assets {
        let r = get(s.addr, path, &[]).await;
        assert_eq!(r.status, 200, "{path}");
        assert_eq!(
            r.header("cache-control"),
            "public, max-age=31536000, immutable",
            "{path}"
        );
        let ctype = r.header("content-type");
        assert!(
            ["text/css", "text/javascript", "image/svg+xml"]
                .iter()
                .any(|t| ctype.starts_with(t)),
            "{ctype}"
        );
        // The name holds the content's hash: another name is not found.
        let wrong = path.replacen('.', ".0", 1);
        assert_eq!(get(s.addr, &wrong, &[]).await.status, 404, "{wrong}");
    }
    let h = get(s.addr, "/healthz", &[]).await;
    assert_eq!((h.status, h.text().as_str()), (200, "ok"));
    let nf = get(s.addr, "/nope/../etc/passwd", &[]).await;
    assert_eq!(nf.status, 404);
    assert!(nf.header("content-type").starts_with("text/html"));
    assert!(nf.text().contains("Not found"));
    assert_security_headers(&nf, "404");
    let og = get(s.addr, "/og.png", &[]).await;
    assert_eq!(og.status, 200, "og:image");
    assert_eq!(og.header("content-type"), "image/png");
    assert!(og.body.starts_with(b"\x89PNG\r\n\x1a\n"));
    assert!(
        html.contains("<meta property=\"og:image\" content=\"http://"),
        "og:image meta"
    );
}

#[tokio::test]
async fn every_resource_answers_304_to_its_etag() {
    let s = WebServer::start().await;
    let html = get(s.addr, "/", &[]).await.text();
    let mut paths: Vec<String> = vec!["/".into(), "/og.png".into()];
    paths.extend(files().into_iter().map(|f| f.0.to_owned()));
    paths.extend(asset_paths(&html));
    for path in &paths {
        let first = get(s.addr, path, &[]).await;
        let tag = first.header("etag").to_owned();
        assert!(!tag.is_empty() && !tag.starts_with("W/"), "{path}: {tag:?}");
        let again = get(s.addr, path, &[("if-none-match", &tag)]).await;
        assert_eq!(again.status, 304, "{path}");
        assert!(again.body.is_empty(), "{path}");
        assert_eq!(again.header("etag"), tag, "{path}");
        let other = get(s.addr, path, &[("if-none-match", "\"stale\"")]).await;
        assert_eq!(other.status, 200, "{path}");
    }
}

#[tokio::test]
async fn a_reload_changes_the_page_and_its_etag() {
    let s = WebServer::start().await;
    let before = get(s.addr, "/", &[]).await;
    let tag = before.header("etag").to_owned();
    let text = crate::common::shipped_text().replacen("Arunav Malhotra", "Arunav Q. Malhotra", 1);
    let edited = resume_ssh::resume::Resume::parse(&text, std::path::Path::new("r.toml"))
        .expect("edited resume");
    s.shared.set_resume(edited);
    let after = get(s.addr, "/", &[("if-none-match", &tag)]).await;
    assert_eq!(
        after.status, 200,
        "the old ETag must not match the new version"
    );
    assert!(after.text().contains("Arunav Q. Malhotra"));
    assert_ne!(after.header("etag"), tag);
    let json = get(s.addr, "/resume.json", &[]).await;
    assert!(json.text().contains("Arunav Q. Malhotra"));
}

#[tokio::test]
async fn gzip_and_brotli_when_asked() {
    let s = WebServer::start().await;
    for path in ["/", "/resume.json", "/resume.md", "/resume.txt"] {
        let plain = get(s.addr, path, &[]).await;
        assert_eq!(plain.header("content-encoding"), "", "{path}: not asked");
        let gz = get(s.addr, path, &[("accept-encoding", "gzip")]).await;
        assert_eq!(gz.header("content-encoding"), "gzip", "{path}");
        assert!(gz.body.len() < plain.body.len(), "{path}: smaller");
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(&gz.body[..])
            .read_to_end(&mut out)
            .expect("gunzip");
        assert_eq!(out, plain.body, "{path}: gzip decodes to the same bytes");
        let br = get(s.addr, path, &[("accept-encoding", "br")]).await;
        assert_eq!(br.header("content-encoding"), "br", "{path}");
        let mut out = Vec::new();
        brotli::Decompressor::new(&br.body[..], 4096)
            .read_to_end(&mut out)
            .expect("unbrotli");
        assert_eq!(out, plain.body, "{path}: br decodes to the same bytes");
        // Another representation: another strong ETag, and the original still revalidates it.
        let tag = gz.header("etag");
        assert_ne!(tag, plain.header("etag"), "{path}");
        let again = get(
            s.addr,
            path,
            &[("accept-encoding", "gzip"), ("if-none-match", tag)],
        )
        .await;
        assert_eq!(again.status, 304, "{path}");
    }
    // The PDF is compressed already: sent as it is.
    let pdf = get(s.addr, "/resume.pdf", &[("accept-encoding", "gzip, br")]).await;
    assert_eq!(pdf.header("content-encoding"), "", "PDF");
}

#[tokio::test]
async fn head_has_the_headers_and_no_body() {
    let s = WebServer::start().await;
    for path in [
        "/",
        "/resume.pdf",
        "/resume.json",
        "/resume.txt",
        "/healthz",
        "/nope",
    ] {
        let g = get(s.addr, path, &[]).await;
        let h = request(Method::HEAD, s.addr, path, &[]).await;
        assert_eq!(h.status, g.status, "{path}");
        assert!(h.body.is_empty(), "{path}: HEAD has no body");
        for name in [
            "content-type",
            "etag",
            "cache-control",
            "content-security-policy",
        ] {
            assert_eq!(h.header(name), g.header(name), "{path}: {name}");
        }
        let len = h.header("content-length");
        if !len.is_empty() {
            assert_eq!(len, g.body.len().to_string(), "{path}: content-length");
        }
    }
    let post = request(Method::POST, s.addr, "/", &[]).await;
    assert_eq!(post.status, 405);
}
