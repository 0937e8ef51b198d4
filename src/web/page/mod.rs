//! `GET /`: the resume as one semantic HTML5 page, made from the same content model as the TUI and
//! the exports ([`content::header`], [`content::section`]): the same words in the same order.
//! Everything from resume.toml is HTML-escaped ([`esc`]).

mod head;

use std::fmt::Write as _;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::State;
use axum::http::{Response, StatusCode};

use super::{Parts, Web, assets, headers};
use crate::content::{self, Block, SectionId};
use crate::metrics::WebRoute;
use crate::resume::Resume;

/// What the page says beyond the resume: where it is served and how to reach it by SSH.
pub struct Context {
    /// `https://host` (no trailing slash), for the absolute URLs of OpenGraph.
    pub origin: String,
    /// The command shown with the copy button (`ssh resume.example.com`).
    pub ssh: String,
    /// Whether `/og.png` is (or will be) there.
    pub og_image: bool,
    /// Whether this server takes messages (the form is shown).
    pub messages: bool,
}

/// `GET /`.
pub async fn index(State(web): State<Arc<Web>>, req: Parts) -> Response<Body> {
    let version = web.current();
    let ctx = web.page_context(&req, &version);
    let etag = headers::etag(&[
        version.tag.as_bytes(),
        ctx.origin.as_bytes(),
        ctx.ssh.as_bytes(),
        &[u8::from(ctx.og_image)],
        assets::CSS.path.as_bytes(),
        assets::JS.path.as_bytes(),
        assets::ICON.path.as_bytes(),
        env!("CARGO_PKG_VERSION").as_bytes(),
    ]);
    crate::metrics::get().web.request(WebRoute::Page);
    if headers::not_modified(&req.headers, &etag) {
        return headers::not_modified_response(&etag, headers::REVALIDATE);
    }
    let html = render(&version.resume, &ctx);
    headers::html_response(StatusCode::OK, html, Some(&etag))
}

/// The whole page.
pub fn render(resume: &Resume, ctx: &Context) -> String {
    let mut out = String::with_capacity(32 * 1024);
    out.push_str("<!doctype html>\n<html lang=\"en\">\n");
    head::render(resume, ctx, &mut out);
    out.push_str("<body>\n<a class=\"skip\" href=\"#main\">Skip to the resume</a>\n");
    out.push_str("<div class=\"wrap\">\n");
    top(resume, ctx, &mut out);
    out.push_str("<main id=\"main\">\n");
    for id in SectionId::ALL {
        section(resume, id, &mut out);
    }
    if ctx.messages {
        message_form(&ctx.ssh, &mut out);
    }
    out.push_str(
        "</main>\n<footer>\n<p>Served by resume-ssh. The same resume in a terminal: <code>",
    );
    out.push_str(&esc(&ctx.ssh));
    out.push_str("</code></p>\n</footer>\n</div>\n</body>\n</html>\n");
    out
}

/// The header: name, title, tagline, e-mail, the ssh command, the sections and the files.
fn top(resume: &Resume, ctx: &Context, out: &mut String) {
    let [name, label, tagline] = content::header(resume);
    let email = resume.basics.email.as_str();
    let _ = write!(
        out,
        "<header class=\"top\">\n<h1>{}</h1>\n<p class=\"label\">{}</p>\n\
         <p class=\"tagline\">{}</p>\n<p><a href=\"mailto:{}\">{}</a></p>\n",
        esc(&name),
        esc(&label),
        esc(&tagline),
        esc(email),
        esc(email)
    );
    let _ = writeln!(
        out,
        "<div class=\"ssh\"><code id=\"ssh-cmd\">{}</code>\
         <button type=\"button\" data-copy=\"ssh-cmd\" hidden>Copy</button></div>",
        esc(&ctx.ssh)
    );
    out.push_str("<nav aria-label=\"Sections\">\n<ul>\n");
    for id in SectionId::ALL {
        let _ = writeln!(
            out,
            "<li><a href=\"#{}\">{}</a></li>",
            id.slug(),
            esc(id.title())
        );
    }
    out.push_str("</ul>\n</nav>\n<nav aria-label=\"Downloads\">\n<h2>Download</h2>\n<ul>\n");
    for (href, text) in super::files::LINKS {
        let _ = writeln!(out, "<li><a href=\"{href}\">{text}</a></li>");
    }
    out.push_str(
        "</ul>\n</nav>\n<p class=\"live\"><a href=\"/terminal\">Open the live terminal</a> \
         (the same full-screen resume as <code>ssh</code>, in the browser)</p>\n</header>\n",
    );
}

/// The message form: a plain HTML form (no script), stored like `ssh HOST message`.
fn message_form(ssh: &str, out: &mut String) {
    let _ = write!(
        out,
        "<section id=\"message\" aria-labelledby=\"message-h\">\n\
         <h2 id=\"message-h\">Leave a message</h2>\n\
         <form method=\"post\" action=\"/message\" class=\"message\">\n\
         <p><label for=\"m-from\">How to reach you</label>\n\
         <input id=\"m-from\" name=\"from\" maxlength=\"{}\" autocomplete=\"email\"></p>\n\
         <p><label for=\"m-body\">Message</label>\n\
         <textarea id=\"m-body\" name=\"body\" rows=\"6\" maxlength=\"{}\" required></textarea></p>\n\
         <p><button type=\"submit\">Send</button></p>\n</form>\n\
         <p class=\"hint\">Or from a terminal: <code>echo 'Hello!' | {} message</code></p>\n\
         </section>\n",
        crate::messages::limits::MAX_FROM_CHARS,
        crate::messages::limits::MAX_BODY_CHARS,
        esc(ssh)
    );
}

/// One section: its blocks as headings, paragraphs and lists.
fn section(resume: &Resume, id: SectionId, out: &mut String) {
    let slug = id.slug();
    let _ = writeln!(
        out,
        "<section id=\"{slug}\" aria-labelledby=\"{slug}-h\">\n<h2 id=\"{slug}-h\">{}</h2>",
        esc(id.title())
    );
    let mut in_list = false;
    for block in content::section(resume, id) {
        let bullet = matches!(block, Block::Bullet(_));
        if in_list && !bullet {
            out.push_str("</ul>\n");
        }
        if bullet && !in_list {
            out.push_str("<ul class=\"bullets\">\n");
        }
        in_list = bullet;
        match &block {
            Block::Heading(t) => writeln!(out, "<h3>{}</h3>", esc(t)),
            Block::Subheading(t) => writeln!(out, "<h4>{}</h4>", esc(t)),
            Block::Meta(t) => writeln!(out, "<p class=\"meta\">{}</p>", linkify(t)),
            Block::Para(t) => writeln!(out, "<p>{}</p>", esc(t)),
            Block::Bullet(t) => writeln!(out, "<li>{}</li>", esc(t)),
            Block::Figure { value, label } => writeln!(
                out,
                "<p class=\"figure\"><strong>{}</strong> {}</p>",
                esc(value),
                esc(label)
            ),
            Block::Keywords(items) => {
                out.push_str("<ul class=\"keywords\">");
                for k in items {
                    let _ = write!(out, "<li>{}</li>", esc(k));
                }
                writeln!(out, "</ul>")
            }
            Block::Email { lead, address } => writeln!(
                out,
                "<p>{} <a href=\"mailto:{}\">{}</a></p>",
                esc(lead),
                esc(address),
                esc(address)
            ),
        }
        .ok();
    }
    if in_list {
        out.push_str("</ul>\n");
    }
    out.push_str("</section>\n");
}

/// Escaped text whose `http://` and `https://` words become links (a profile line's URL).
fn linkify(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 32);
    for (i, word) in text.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        if word.starts_with("https://") || word.starts_with("http://") {
            let w = esc(word);
            let _ = write!(out, "<a href=\"{w}\" rel=\"me noopener\">{w}</a>");
        } else {
            out.push_str(&esc(word));
        }
    }
    out
}

/// HTML-escapes text for element content and quoted attribute values.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_links_only_urls() {
        assert_eq!(
            esc("<a href='x'>&\"</a>"),
            "&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;"
        );
        assert_eq!(
            linkify("GitHub: https://github.com/x\"><script>"),
            "GitHub: <a href=\"https://github.com/x&quot;&gt;&lt;script&gt;\" rel=\"me noopener\">\
             https://github.com/x&quot;&gt;&lt;script&gt;</a>"
        );
    }
}
