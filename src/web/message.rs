//! `POST /message`: the page's form (no JavaScript), stored like `ssh HOST message`: the same
//! parsing and caps ([`crate::messages::limits::parse`]), the same per-address and global limits
//! and quota (the store's writer), the same reference. The answer is a small page: the
//! reference, or why the message was not stored.

use std::sync::Arc;

use axum::Form;
use axum::body::Body;
use axum::extract::State;
use axum::http::{Response, StatusCode};
use serde::Deserialize;

use super::page::esc;
use super::{Parts, Web, assets, client, headers, origin};
use crate::messages::limits::{self, Refusal};
use crate::metrics::WebRoute;

/// The largest form body taken: the longest message and From line, each character
/// percent-encoded at its longest (a 4-byte character is 12 bytes), and the field names.
pub const MAX_FORM_BYTES: usize = 12 * (limits::MAX_BODY_CHARS + limits::MAX_FROM_CHARS) + 256;

#[derive(Deserialize)]
pub struct MessageForm {
    #[serde(default)]
    from: String,
    #[serde(default)]
    body: String,
}

/// `POST /message`.
pub async fn post(
    State(web): State<Arc<Web>>,
    req: Parts,
    Form(form): Form<MessageForm>,
) -> Response<Body> {
    crate::metrics::get().web.request(WebRoute::Message);
    let ssh = web.current().resume.site.ssh().to_owned();
    // Another site's page may not post for its visitors (browsers send Origin with a POST; a
    // client without one is not a browser).
    if req.headers.contains_key(axum::http::header::ORIGIN) && !origin::same(&req.headers) {
        return answer(
            StatusCode::FORBIDDEN,
            "Not sent",
            "This form can only be sent from this page.",
            &ssh,
        );
    }
    let Some(service) = web.shared.messages.clone() else {
        return refused(&Refusal::Disabled, &ssh);
    };
    // The same text `ssh HOST message` reads: a From line (its first line only), then the body.
    let from = form.from.lines().next().unwrap_or("").trim();
    let raw = if from.is_empty() {
        form.body
    } else {
        format!("From: {from}\n{}", form.body)
    };
    let sub = match limits::parse(raw.as_bytes()) {
        Ok(s) => s,
        Err(r) => {
            crate::metrics::get().messages.submission(r.label());
            return refused(&r, &ssh);
        }
    };
    let ip = client::client_ip(&req.headers, &req.extensions, &web.config.trusted_proxies);
    let key = ip.map(crate::server::admission::addr_key);
    match service.submit(sub, key).await {
        Ok(stored) => answer(
            StatusCode::OK,
            "Message sent",
            &format!(
                "Thank you \u{2014} your message was received. Reference: {}",
                stored.id
            ),
            &ssh,
        ),
        Err(r) => refused(&r, &ssh),
    }
}

/// The refusal's sentence, with the status that says what kind of refusal it is.
fn refused(why: &Refusal, ssh: &str) -> Response<Body> {
    let status = match why {
        Refusal::TooLong | Refusal::FromTooLong => StatusCode::PAYLOAD_TOO_LARGE,
        Refusal::Empty | Refusal::NotText | Refusal::Terminal => StatusCode::BAD_REQUEST,
        Refusal::AddressLimit | Refusal::GlobalLimit => StatusCode::TOO_MANY_REQUESTS,
        Refusal::Full | Refusal::Busy | Refusal::Failed | Refusal::Disabled => {
            StatusCode::SERVICE_UNAVAILABLE
        }
    };
    answer(status, "Not sent", &why.to_string(), ssh)
}

/// A small page with `text` and a way back.
fn answer(status: StatusCode, title: &str, text: &str, ssh: &str) -> Response<Body> {
    let text = text.replace("ssh HOST", ssh);
    let html = format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}</title>\n<link rel=\"stylesheet\" href=\"{}\">\n</head>\n<body>\n\
         <main class=\"wrap\">\n<h1>{title}</h1>\n<p role=\"status\">{}</p>\n\
         <p><a href=\"/#message\">Back to the resume</a></p>\n</main>\n</body>\n</html>\n",
        assets::CSS.path,
        esc(&text)
    );
    headers::html_response(status, html, None)
}
