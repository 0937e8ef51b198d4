//! The resume's files over HTTP: the same bytes as the SSH exec commands (from the shared
//! [`crate::documents::Documents`] of the current version), with their Content-Type and a
//! download filename. The PDF is shown inline (browsers open it in their viewer; the filename
//! still applies when it is saved).

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::header::{self, HeaderValue};
use axum::http::{Response, StatusCode};
use serde::Deserialize;

use super::{Parts, Web, headers};
use crate::commands::Command;
use crate::export::pdf::Paper;
use crate::export::plain;
use crate::metrics::WebRoute;

/// The download links of the page: (href, text).
pub const LINKS: [(&str, &str); 6] = [
    ("/resume.pdf", "PDF (A4)"),
    ("/resume.pdf?paper=letter", "PDF (US Letter)"),
    ("/resume.md", "Markdown"),
    ("/resume.txt", "Plain text"),
    ("/resume.json", "JSON Resume"),
    ("/resume.vcf", "vCard"),
];

/// One file route.
#[derive(Clone, Copy, Debug)]
pub enum File {
    Pdf,
    Json,
    Vcard,
    Markdown,
    Text,
}

impl File {
    fn content_type(self) -> &'static str {
        match self {
            File::Pdf => "application/pdf",
            File::Json => "application/json",
            File::Vcard => "text/vcard; charset=utf-8",
            File::Markdown => "text/markdown; charset=utf-8",
            File::Text => "text/plain; charset=utf-8",
        }
    }

    fn route(self) -> WebRoute {
        match self {
            File::Pdf => WebRoute::Pdf,
            File::Json => WebRoute::Json,
            File::Vcard => WebRoute::Vcard,
            File::Markdown => WebRoute::Markdown,
            File::Text => WebRoute::Text,
        }
    }

    /// `resume.EXT`, or the file name the owner's name gives it (`Arunav-Malhotra.pdf`).
    fn filename(self, name: &str) -> String {
        let ext = match self {
            File::Pdf => "pdf",
            File::Json => "json",
            File::Vcard => "vcf",
            File::Markdown => "md",
            File::Text => "txt",
        };
        let stem: String = name
            .split_whitespace()
            .map(|w| {
                w.chars()
                    .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
                    .collect::<String>()
            })
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join("-");
        if stem.is_empty() {
            format!("resume.{ext}")
        } else {
            format!("{stem}-resume.{ext}")
        }
    }
}

/// `?paper=letter`.
#[derive(Deserialize)]
pub struct PaperQuery {
    paper: Option<String>,
}

pub async fn pdf(
    State(web): State<Arc<Web>>,
    Query(q): Query<PaperQuery>,
    req: Parts,
) -> Response<Body> {
    let paper = match q.paper.as_deref() {
        Some("letter") => Paper::Letter,
        _ => Paper::A4,
    };
    serve(&web, File::Pdf, Command::Pdf(paper), &req).await
}

pub async fn json(State(web): State<Arc<Web>>, req: Parts) -> Response<Body> {
    serve(&web, File::Json, Command::Json, &req).await
}

pub async fn vcard(State(web): State<Arc<Web>>, req: Parts) -> Response<Body> {
    serve(&web, File::Vcard, Command::Vcard, &req).await
}

pub async fn markdown(State(web): State<Arc<Web>>, req: Parts) -> Response<Body> {
    serve(&web, File::Markdown, Command::Markdown, &req).await
}

pub async fn text(State(web): State<Arc<Web>>, req: Parts) -> Response<Body> {
    let cmd = Command::Plain {
        width: plain::DEFAULT_WIDTH,
    };
    serve(&web, File::Text, cmd, &req).await
}

/// The reply of `cmd` as the file `file`, or a 304 when the client has this version.
async fn serve(web: &Web, file: File, cmd: Command, req: &Parts) -> Response<Body> {
    let version = web.current();
    let etag = headers::etag(&[version.tag.as_bytes(), format!("{cmd:?}").as_bytes()]);
    crate::metrics::get().web.request(file.route());
    if headers::not_modified(&req.headers, &etag) {
        return headers::not_modified_response(&etag, headers::REVALIDATE);
    }
    let docs = Arc::clone(&version.documents);
    // The PDF may still be rendering (a few hundred ms after a reload): not on a runtime thread.
    let reply = match tokio::task::spawn_blocking(move || docs.reply(&cmd, false)).await {
        Ok(r) => r,
        Err(_) => return error(),
    };
    if reply.exit != 0 {
        return error();
    }
    let mut res = Response::new(Body::from(reply.stdout));
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(file.content_type()),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(headers::REVALIDATE),
    );
    let disposition = if matches!(file, File::Pdf) {
        "inline"
    } else {
        "attachment"
    };
    let name = file.filename(&version.resume.basics.name);
    headers::set(
        h,
        header::CONTENT_DISPOSITION,
        &format!("{disposition}; filename=\"{name}\""),
    );
    headers::set(h, header::ETAG, &etag);
    res
}

fn error() -> Response<Body> {
    let mut res = Response::new(Body::from("the file could not be made; try again later\n"));
    *res.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filenames_are_plain_ascii() {
        assert_eq!(
            File::Pdf.filename("Arunav Malhotra"),
            "Arunav-Malhotra-resume.pdf"
        );
        assert_eq!(File::Vcard.filename("\"; x=y"), "xy-resume.vcf");
        assert_eq!(File::Text.filename("Ωμέγα"), "resume.txt");
    }
}
