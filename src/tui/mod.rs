//! One visitor's full-screen UI: input bytes in, screen bytes out, with no I/O of its own.
//!
//! [`Tui`] keeps only small state (the app, the parser, what the client's screen shows). To send
//! an update it renders the frame the client has and the new one into two scratch buffers and
//! encodes the difference, so an idle session holds no frame buffers at all.

pub mod app;
pub mod frames;
pub mod input;
pub mod layout;
pub mod layout_cache;
pub mod pacing;
pub mod scroll;
pub mod theme;
pub mod view;
pub mod wrapped;

use std::sync::Arc;
use std::time::Instant;

use ratatui::buffer::Buffer;

use crate::content::SectionId;
use crate::resume::Resume;
use crate::terminal::{self, Size};
use app::{App, Ctx};
use frames::From;
use input::InputParser;
use pacing::ResizePacer;
pub use pacing::{RESIZE_FRAME_INTERVAL, Redraw};
use theme::{Capabilities, Theme};
use view::ViewCtx;

/// What the client's screen shows now: enough to render it again.
#[derive(Clone)]
struct Shown {
    app: App,
    resume: Arc<Resume>,
}

/// A session's UI.
pub struct Tui {
    app: App,
    parser: InputParser,
    caps: Capabilities,
    shown: Option<Shown>,
    /// The latest size the client declared, not laid out yet.
    pending_size: Option<Size>,
    /// How often size changes get a frame.
    pacer: ResizePacer,
    /// Layout numbers for the current size and resume (the resume is kept so its address cannot
    /// be reused by another while cached).
    geometry: Option<(Size, Arc<Resume>, layout::Geometry)>,
}

impl Tui {
    pub fn new(tab: SectionId, size: Size, caps: Capabilities) -> Tui {
        Tui {
            app: App::new(tab, size),
            parser: InputParser::new(),
            caps,
            shown: None,
            pending_size: None,
            pacer: ResizePacer::default(),
            geometry: None,
        }
    }

    pub fn app(&self) -> &App {
        &self.app
    }

    /// The geometry for the app's current size and `resume`, computed only when they change.
    fn geometry(&mut self, resume: &Arc<Resume>) -> layout::Geometry {
        let size = self.app.size;
        match &self.geometry {
            Some((s, r, g)) if *s == size && Arc::ptr_eq(r, resume) => *g,
            _ => {
                let g = layout::geometry(size, resume, self.caps.unicode);
                self.geometry = Some((size, Arc::clone(resume), g));
                g
            }
        }
    }

    /// Lays out a recorded size change (once, however many arrived since the last time).
    fn settle_size(&mut self, resume: &Arc<Resume>) {
        let Some(size) = self.pending_size.take() else {
            return;
        };
        self.app.size = size;
        let geometry = self.geometry(resume);
        let ctx = Ctx {
            resume,
            unicode: self.caps.unicode,
            geometry: &geometry,
        };
        self.app.resize(size, &ctx);
    }

    /// Feeds client bytes through the parser into the app, one event at a time: nothing is
    /// collected, so a burst of keys leaves no buffer behind.
    pub fn input(&mut self, bytes: &[u8], resume: &Arc<Resume>) {
        self.pacer.input();
        self.settle_size(resume);
        let geometry = self.geometry(resume);
        let ctx = Ctx {
            resume,
            unicode: self.caps.unicode,
            geometry: &geometry,
        };
        let Tui { parser, app, .. } = self;
        parser.feed_each(bytes, &mut |ev| {
            if !app.quit {
                app.update(&ev, &ctx);
            }
        });
    }

    /// Whether an ambiguous lone ESC waits for more bytes (arm a short timer, then call
    /// [`Tui::flush_input`]).
    pub fn input_pending(&self) -> bool {
        self.parser.has_pending()
    }

    /// Resolves pending input after a pause (a lone ESC becomes the Esc key).
    pub fn flush_input(&mut self, resume: &Arc<Resume>) {
        self.settle_size(resume);
        let geometry = self.geometry(resume);
        let ctx = Ctx {
            resume,
            unicode: self.caps.unicode,
            geometry: &geometry,
        };
        let Tui { parser, app, .. } = self;
        parser.flush_each(&mut |ev| {
            if !app.quit {
                app.update(&ev, &ctx);
            }
        });
    }

    /// The client's terminal changed size: the size is recorded and laid out when it is next
    /// needed (a frame, or input). Says whether to draw now: at most one frame per
    /// [`RESIZE_FRAME_INTERVAL`] answers size changes, so a flood of them costs a few frames.
    pub fn resize(&mut self, size: Size, now: Instant) -> Redraw {
        self.pending_size = Some(size);
        self.pacer.resized(now)
    }

    /// A new resume was loaded: keep the tab, clamp scroll positions.
    pub fn reload(&mut self, resume: &Arc<Resume>) {
        self.settle_size(resume);
        let geometry = self.geometry(resume);
        let ctx = Ctx {
            resume,
            unicode: self.caps.unicode,
            geometry: &geometry,
        };
        self.app.reload(&ctx);
    }

    pub fn wants_quit(&self) -> bool {
        self.app.quit
    }

    /// Whether the screen may differ from what the client was last sent (a recorded size
    /// change counts until it is laid out).
    pub fn dirty(&self, resume: &Arc<Resume>) -> bool {
        match &self.shown {
            None => true,
            Some(s) => {
                self.pending_size.is_some() || s.app != self.app || !Arc::ptr_eq(&s.resume, resume)
            }
        }
    }

    /// Appends the bytes that bring the client's screen up to date (nothing if it is).
    ///
    /// The bytes depend only on (resume, capabilities, what the client shows, the new state), so
    /// they are cached per thread (see [`frames`]): the first frame at a common size, or a
    /// common tab switch, is rendered once and then copied for every visitor.
    pub fn frame(&mut self, resume: &Arc<Resume>, out: &mut Vec<u8>) {
        self.settle_size(resume);
        if !self.dirty(resume) {
            return;
        }
        let from = match &self.shown {
            None => From::Nothing,
            Some(shown) if shown.app.size != self.app.size => From::Other,
            Some(shown) if Arc::ptr_eq(&shown.resume, resume) => From::Same(shown.app),
            // The resume was reloaded under this screen: diff across versions, uncached.
            Some(_) => From::Uncacheable,
        };
        let key = (self.caps, from, self.app);
        let metrics = crate::metrics::get();
        match frames::lookup(resume, &key) {
            Some(bytes) => {
                metrics.frame_cache_hits.inc();
                out.extend_from_slice(&bytes);
            }
            None => {
                metrics.frame_cache_misses.inc();
                // About what a full frame takes, so the encoder does not grow `out` step by step.
                let cells = usize::from(self.app.size.cols) * usize::from(self.app.size.rows);
                out.reserve(cells + 512);
                let start = out.len();
                self.render_update(resume, out);
                frames::store(resume, key, &out[start..]);
            }
        }
        self.shown = Some(Shown {
            app: self.app,
            resume: Arc::clone(resume),
        });
    }

    /// Encodes the update: on the same size, the previous frame is rendered again and diffed
    /// with the new one; otherwise the screen is cleared and the new frame drawn on it.
    fn render_update(&self, resume: &Arc<Resume>, out: &mut Vec<u8>) {
        let rect = self.app.size.rect();
        match &self.shown {
            Some(shown) if shown.app.size == self.app.size => {
                frames::with_scratch(rect, |prev, next| {
                    self.draw(&self.app, resume, next);
                    self.draw(&shown.app, &shown.resume, prev);
                    match scroll::shift(&shown.app, &self.app, self.caps) {
                        Some(shift) => {
                            scroll::encode(prev, next, shift, out);
                        }
                        None => terminal::encode_diff(prev, next, out),
                    }
                });
            }
            // A new size (the client's terminal may have reflowed) or the first frame.
            shown => frames::with_next(rect, |next| {
                self.draw(&self.app, resume, next);
                if shown.is_none() {
                    out.extend_from_slice(terminal::ENTER);
                }
                out.extend_from_slice(terminal::CLEAR);
                crate::blank_frame::encode_over_blank(next, out);
            }),
        }
    }

    fn draw(&self, app: &App, resume: &Arc<Resume>, buf: &mut Buffer) {
        let theme = Theme::new(self.caps, app.light, &resume.theme);
        let ctx = ViewCtx {
            resume,
            theme: &theme,
            unicode: self.caps.unicode,
        };
        view::render(app, &ctx, buf);
    }

    /// Bytes that restore the client's terminal (only if the UI was ever drawn).
    pub fn leave(&self, out: &mut Vec<u8>) {
        if self.shown.is_some() {
            out.extend_from_slice(terminal::LEAVE);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::theme::ClientEnv;

    fn first_frame(env: ClientEnv) -> String {
        let resume = Arc::new(
            Resume::parse(include_str!("../../resume.toml"), std::path::Path::new("r")).unwrap(),
        );
        let mut tui = Tui::new(SectionId::Skills, Size::new(100, 30), env.capabilities());
        let mut out = Vec::new();
        tui.frame(&resume, &mut out);
        // Include a light-theme frame and the help overlay too.
        tui.input(b"t?", &resume);
        tui.frame(&resume, &mut out);
        String::from_utf8(out).unwrap()
    }

    fn env(term: &str) -> ClientEnv {
        ClientEnv {
            term: Some(term.into()),
            ..ClientEnv::default()
        }
    }

    /// SGR parameters used in the output (each `ESC [ ... m`).
    fn sgr_params(s: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut rest = s;
        while let Some(i) = rest.find("\x1b[") {
            rest = &rest[i + 2..];
            let end = rest
                .find(|c: char| !(c.is_ascii_digit() || c == ';'))
                .unwrap_or(rest.len());
            if rest[end..].starts_with('m') {
                out.push(rest[..end].to_owned());
            }
            rest = &rest[end..];
        }
        out
    }

    #[test]
    fn a_flood_of_sizes_is_laid_out_once_at_the_latest_size() {
        let resume = Arc::new(
            Resume::parse(include_str!("../../resume.toml"), std::path::Path::new("r")).unwrap(),
        );
        let mut tui = Tui::new(
            SectionId::Experience,
            Size::new(100, 30),
            Capabilities::default(),
        );
        let mut out = Vec::new();
        tui.frame(&resume, &mut out);
        let t0 = Instant::now();
        assert_eq!(tui.resize(Size::new(90, 28), t0), Redraw::Now);
        assert_eq!(tui.resize(Size::new(91, 28), t0), Redraw::AskTerminal);
        for cols in 40..200 {
            assert_eq!(tui.resize(Size::new(cols, 30), t0), Redraw::Later);
        }
        assert_eq!(
            tui.app().size,
            Size::new(100, 30),
            "laid out before a frame"
        );
        assert!(tui.dirty(&resume));
        out.clear();
        tui.frame(&resume, &mut out);
        assert_eq!(tui.app().size, Size::new(199, 30));
        assert!(out.starts_with(terminal::CLEAR), "a full redraw");
        assert!(!tui.dirty(&resume));
    }

    #[test]
    fn truecolor_uses_rgb() {
        let mut e = env("xterm-256color");
        e.colorterm = Some("truecolor".into());
        let s = first_frame(e);
        assert!(s.contains("38;2;"), "no RGB colour in truecolor mode");
        assert!(!s.contains("38;5;"));
    }

    #[test]
    fn ansi256_uses_indexed_only() {
        let s = first_frame(env("xterm-256color"));
        assert!(s.contains("38;5;"));
        assert!(
            !s.contains("38;2;") && !s.contains("48;2;"),
            "RGB in 256 mode"
        );
    }

    #[test]
    fn ansi16_uses_basic_colours_only() {
        let s = first_frame(env("xterm"));
        assert!(!s.contains("38;5;") && !s.contains("38;2;") && !s.contains("48;5;"));
        let params = sgr_params(&s);
        assert!(params.iter().any(|p| {
            p.split(';')
                .any(|n| matches!(n.parse::<u8>(), Ok(30..=37 | 90..=97)))
        }));
    }

    #[test]
    fn monochrome_terminals_get_no_colour() {
        for e in [env("vt100"), {
            let mut e = env("xterm-256color");
            e.no_color = true;
            e
        }] {
            let s = first_frame(e);
            for p in sgr_params(&s) {
                for n in p.split(';').filter(|n| !n.is_empty()) {
                    let n: u8 = n.parse().unwrap();
                    assert!(
                        matches!(n, 0 | 1 | 4 | 7),
                        "colour or odd attribute {n} in {p}"
                    );
                }
            }
        }
    }

    #[test]
    fn dumb_gets_no_sgr_at_all() {
        let s = first_frame(env("dumb"));
        assert!(sgr_params(&s).is_empty(), "{:?}", sgr_params(&s));
        // And ASCII only: no box drawing.
        assert!(!s.contains('─') && !s.contains('│') && !s.contains('•'));
    }

    #[test]
    fn non_utf8_locale_gets_ascii() {
        let mut e = env("xterm-256color");
        e.lang = Some("en_US.ISO-8859-1".into());
        let s = first_frame(e);
        assert!(!s.contains('─') && !s.contains('╭') && !s.contains('•'));
    }
}
