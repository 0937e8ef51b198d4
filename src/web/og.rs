//! `GET /og.png`: the preview card of a shared link, a PNG of the resume's first screen. The
//! existing SVG renderer ([`crate::render::svg`]) draws the frame; resvg rasterises it with the
//! system's fonts (DejaVu Sans Mono where installed) and the shipped Inter as a fallback. Made
//! once per resume version, on a blocking thread, and kept with the version.

use std::sync::{Arc, LazyLock};

use axum::body::Body;
use axum::extract::State;
use axum::http::Response;
use axum::http::header::{self, HeaderValue};
use bytes::Bytes;

use super::{Parts, Web, headers};
use crate::content::SectionId;
use crate::metrics::WebRoute;
use crate::resume::Resume;

/// 120×35 cells of 9×18 px: 1080×630, close to the 1.91:1 cards want.
const COLS: u16 = 120;
const ROWS: u16 = 35;

/// The fonts, loaded once (reading the system's font list takes a few milliseconds).
static FONTS: LazyLock<Arc<resvg::usvg::fontdb::Database>> = LazyLock::new(|| {
    let mut db = resvg::usvg::fontdb::Database::new();
    db.load_system_fonts();
    db.load_font_data(include_bytes!("../../assets/fonts/Inter-Regular.otf").to_vec());
    db.load_font_data(include_bytes!("../../assets/fonts/Inter-SemiBold.otf").to_vec());
    db.set_monospace_family("DejaVu Sans Mono");
    Arc::new(db)
});

/// The PNG of `resume`'s About screen, or why there is none.
pub fn render(resume: &Resume) -> Result<Bytes, String> {
    let opts = crate::render::Options {
        size: crate::terminal::Size::new(COLS, ROWS),
        tab: SectionId::About,
        term: "xterm-256color".into(),
        help: false,
    };
    let svg = crate::render::svg(resume, &opts);
    let options = resvg::usvg::Options {
        fontdb: Arc::clone(&FONTS),
        ..Default::default()
    };
    let tree = resvg::usvg::Tree::from_data(&svg, &options).map_err(|e| e.to_string())?;
    let size = tree.size().to_int_size();
    let mut pixmap = resvg::tiny_skia::Pixmap::new(size.width(), size.height())
        .ok_or_else(|| "empty picture".to_owned())?;
    resvg::render(&tree, Default::default(), &mut pixmap.as_mut());
    pixmap
        .encode_png()
        .map(Bytes::from)
        .map_err(|e| e.to_string())
}

/// `GET /og.png`.
pub async fn get(State(web): State<Arc<Web>>, req: Parts) -> Response<Body> {
    let version = web.current();
    let Some(png) = version.og_image().await else {
        return super::assets::not_found();
    };
    crate::metrics::get().web.request(WebRoute::Image);
    let etag = headers::etag(&[version.tag.as_bytes(), b"og.png"]);
    if headers::not_modified(&req.headers, &etag) {
        return headers::not_modified_response(&etag, headers::REVALIDATE);
    }
    let mut res = Response::new(Body::from(png));
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("image/png"));
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(headers::REVALIDATE),
    );
    headers::set(h, header::ETAG, &etag);
    res
}
