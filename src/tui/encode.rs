//! One update's bytes: the previous and the new frame drawn into scratch buffers, their links
//! found, the difference encoded (with the screen set-up before the first frame), and what an
//! update asked for besides the screen (a copy).

use std::rc::Rc;
use std::sync::Arc;

use ratatui::buffer::Buffer;

use super::app::{App, Effect, Note};
use super::theme::{Capabilities, Theme};
use super::view::{self, ViewCtx};
use super::{Tui, frames, links, scroll};
use crate::resume::Resume;
use crate::terminal;

impl Tui {
    /// Renders the previous and the new frame into the scratch buffers and encodes the change,
    /// with the resume's addresses as hyperlinks where the terminal takes them.
    pub(super) fn render_update(&self, resume: &Arc<Resume>, out: &mut Vec<u8>) {
        let targets = if self.caps.osc {
            links::Targets::shared(resume)
        } else {
            Rc::new(links::Targets::default())
        };
        let prev_targets = match &self.shown {
            Some(shown) if self.caps.osc && !Arc::ptr_eq(&shown.resume, resume) => {
                Rc::new(links::Targets::of(&shown.resume))
            }
            _ => Rc::clone(&targets),
        };
        let rect = self.app.size.rect();
        match &self.shown {
            Some(shown) if shown.app.size == self.app.size => {
                frames::with_scratch(rect, |prev, next| {
                    self.draw(&self.app, resume, next);
                    self.draw(&shown.app, &shown.resume, prev);
                    let mut prev_spans = Vec::new();
                    prev_targets.find(prev, &mut prev_spans);
                    if prev_targets != targets {
                        // Another resume's links: redraw every linked cell.
                        prev_spans.iter_mut().for_each(|s| s.target = usize::MAX);
                    }
                    let mut next_spans = Vec::new();
                    targets.find(next, &mut next_spans);
                    let links = terminal::Links {
                        prev: &prev_spans,
                        next: &next_spans,
                        uris: &targets.uris,
                    };
                    match scroll::shift(&shown.app, &self.app, self.caps) {
                        Some(shift) => {
                            scroll::encode(prev, next, shift, &links, out);
                        }
                        None => terminal::encode_diff_linked(prev, next, &links, out),
                    }
                })
            }
            // A new size (the client's terminal may have reflowed) or the first frame: clear,
            // then draw everything that is not blank.
            shown => {
                if shown.is_none() {
                    out.extend_from_slice(terminal::ENTER);
                    if self.caps.osc {
                        let b = &resume.basics;
                        let dash = if self.caps.unicode { "—" } else { "-" };
                        crate::terminal::osc::set_title(
                            out,
                            &format!("{} {dash} {}", b.name, b.label),
                        );
                        out.extend_from_slice(crate::terminal::osc::QUERY_BACKGROUND);
                    }
                }
                out.extend_from_slice(terminal::CLEAR);
                frames::with_next(rect, |next| {
                    self.draw(&self.app, resume, next);
                    let mut finder = (!targets.is_empty()).then(|| targets.finder());
                    crate::terminal::blank_frame::encode_over_blank_found(
                        next,
                        finder.as_mut(),
                        &targets.uris,
                        out,
                    );
                });
            }
        }
    }

    fn draw(&self, app: &App, resume: &Arc<Resume>, buf: &mut Buffer) {
        let theme = Theme::picked(self.caps, app.light, app.theme_picked, &resume.theme);
        let ctx = ViewCtx {
            resume,
            theme: &theme,
            unicode: self.caps.unicode,
        };
        view::render(app, &ctx, buf);
    }
}

/// Resolves what an update asked for besides the screen: a copy is sent after the next frame
/// where the terminal takes OSC strings; the footer says which happened.
pub(super) fn take_effect(app: &mut App, caps: Capabilities, copy_pending: &mut bool) {
    match app.effect.take() {
        Some(Effect::CopyEmail) if caps.osc => {
            *copy_pending = true;
            app.note = Some(Note::Copied);
        }
        Some(Effect::CopyEmail) => app.note = Some(Note::CannotCopy),
        None => {}
    }
}
