//! One visitor's full-screen UI: input bytes in, screen bytes out, with no I/O of its own.
//!
//! [`Tui`] keeps only small state (the app, the parser, what the client's screen shows). To send
//! an update it renders the frame the client has and the new one into two scratch buffers and
//! encodes the difference, so an idle session holds no frame buffers at all.

pub mod app;
pub mod derived;
mod encode;
pub mod frames;
pub mod input;
pub mod layout;
pub mod layout_cache;
pub mod links;
pub mod replies;
pub mod scroll;
pub mod search;
pub mod theme;
pub mod view;
pub mod wrapped;

use std::sync::Arc;

use crate::content::SectionId;
use crate::resume::Resume;
use crate::terminal::{self, Size};
use app::{App, Ctx};
use encode::take_effect;
use frames::From;
use input::InputParser;
use theme::Capabilities;

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
    /// Layout numbers for the current size and resume (the resume is kept so its address cannot
    /// be reused by another while cached).
    geometry: Option<(Size, Arc<Resume>, layout::Geometry)>,
    /// Which section is read since when (the visitor metrics; recorded when dropped).
    visit: crate::metrics::Visit,
    /// A copy asked for and not sent yet (sent after the next frame).
    copy_pending: bool,
    /// Whether the terminal already told its background (only its first answer is used).
    background_known: bool,
}

impl Tui {
    pub fn new(tab: SectionId, size: Size, caps: Capabilities) -> Tui {
        Tui {
            app: App::new(tab, size),
            parser: InputParser::new(),
            caps,
            shown: None,
            pending_size: None,
            geometry: None,
            visit: crate::metrics::Visit::start(tab, size, caps),
            copy_pending: false,
            background_known: false,
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
        let geometry = layout::LazyGeometry::known(self.geometry(resume));
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
        self.apply(resume, |parser, emit| parser.feed_each(bytes, emit));
        // The answer to the background query picks light or dark once; `t` still toggles.
        if let Some(bg) = self.parser.take_background()
            && !std::mem::replace(&mut self.background_known, true)
            && !self.app.theme_picked
        {
            self.app.light = bg.is_light();
        }
    }

    /// Whether an ambiguous lone ESC waits for more bytes (arm a short timer, then call
    /// [`Tui::flush_input`]).
    pub fn input_pending(&self) -> bool {
        self.parser.has_pending()
    }

    /// Resolves pending input after a pause (a lone ESC becomes the Esc key).
    pub fn flush_input(&mut self, resume: &Arc<Resume>) {
        self.apply(resume, |parser, emit| parser.flush_each(emit));
    }

    /// Runs the events `feed` takes from the parser through the app. The scroll bounds are
    /// computed only if an event needs them (a `q` at a size not laid out yet composes nothing),
    /// and kept once they are.
    fn apply(
        &mut self,
        resume: &Arc<Resume>,
        feed: impl FnOnce(&mut InputParser, &mut dyn FnMut(terminput::Event)),
    ) {
        self.settle_size(resume);
        let size = self.app.size;
        let geometry = match &self.geometry {
            Some((s, r, g)) if *s == size && Arc::ptr_eq(r, resume) => {
                layout::LazyGeometry::known(*g)
            }
            _ => layout::LazyGeometry::new(size, resume, self.caps.unicode),
        };
        let ctx = Ctx {
            resume,
            unicode: self.caps.unicode,
            geometry: &geometry,
        };
        let Tui {
            parser,
            app,
            caps,
            copy_pending,
            ..
        } = self;
        feed(parser, &mut |ev| {
            if !app.quit {
                app.update(&ev, &ctx);
                take_effect(app, *caps, copy_pending);
            }
        });
        if let Some(g) = geometry.computed() {
            self.geometry = Some((size, Arc::clone(resume), g));
        }
        self.visit.seen(self.app.tab);
    }

    /// The client's terminal changed size: the size is recorded and laid out when it is next
    /// needed (a frame, or input), so a flood of sizes is laid out once, at the latest one.
    pub fn resize(&mut self, size: Size) {
        self.pending_size = Some(size);
    }

    /// A new resume was loaded: keep the tab, clamp scroll positions.
    pub fn reload(&mut self, resume: &Arc<Resume>) {
        self.settle_size(resume);
        let geometry = layout::LazyGeometry::known(self.geometry(resume));
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
    /// change counts until it is laid out), or a copy waits to be sent.
    pub fn dirty(&self, resume: &Arc<Resume>) -> bool {
        self.copy_pending || self.screen_dirty(resume)
    }

    fn screen_dirty(&self, resume: &Arc<Resume>) -> bool {
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
    /// they are cached for the whole process (see [`frames`]): the first frame at a common
    /// size, or a common tab switch, is rendered once and then copied for every visitor.
    pub fn frame(&mut self, resume: &Arc<Resume>, out: &mut Vec<u8>) {
        // Everything goes out as one synchronized update (DEC mode 2026), so the terminal never
        // shows half a frame; nothing at all is sent when nothing changed.
        let start = out.len();
        out.extend_from_slice(terminal::SYNC_BEGIN);
        let body = out.len();
        let mouse_shown = self.shown.as_ref().is_none_or(|s| s.app.mouse);
        self.screen_update(resume, out);
        if self.app.mouse != mouse_shown {
            out.extend_from_slice(if self.app.mouse {
                terminal::MOUSE_ON
            } else {
                terminal::MOUSE_OFF
            });
        }
        if std::mem::take(&mut self.copy_pending) {
            crate::terminal::osc::copy(out, resume.basics.email.as_str());
        }
        if out.len() == body {
            out.truncate(start);
        } else {
            out.extend_from_slice(terminal::SYNC_END);
        }
    }

    /// The screen part of [`Tui::frame`].
    fn screen_update(&mut self, resume: &Arc<Resume>, out: &mut Vec<u8>) {
        self.settle_size(resume);
        if !self.screen_dirty(resume) {
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
                // A search's frames are one visitor's: kept, they would only push out the
                // frames every visitor shares.
                if self.app.search.mode == search::Mode::Closed
                    && !matches!(from, From::Same(a) if a.search.mode != search::Mode::Closed)
                {
                    frames::store(resume, key, &out[start..]);
                }
            }
        }
        self.shown = Some(Shown {
            app: self.app,
            resume: Arc::clone(resume),
        });
    }

    /// Bytes that restore the client's terminal (only if the UI was ever drawn).
    pub fn leave(&self, out: &mut Vec<u8>) {
        if self.shown.is_some() {
            out.extend_from_slice(terminal::LEAVE);
        }
    }
}

#[cfg(test)]
mod tests;
