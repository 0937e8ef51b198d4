//! Each section's text wrapped to a width, cached per thread and shared by its sessions.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::{Arc, Weak};

use crate::content::{self, SectionId};
use crate::resume::Resume;

/// Wrapped sections, shared by every session on this thread: (resume, width, unicode, tab).
/// The `Weak` keeps the resume's allocation, so its address cannot be reused by another resume
/// while the entry exists.
type WrapCache = Vec<(Weak<Resume>, usize, bool, SectionId, Rc<Vec<content::Line>>)>;

/// Entries kept per thread (a few sizes × six tabs).
pub const WRAP_CACHE_ENTRIES: usize = 48;

thread_local! {
    static WRAPPED: RefCell<WrapCache> = const { RefCell::new(Vec::new()) };
}

/// A tab's text wrapped to `width` columns, from the per-thread cache when possible.
pub fn lines(
    width: usize,
    resume: &Arc<Resume>,
    unicode: bool,
    tab: SectionId,
) -> Rc<Vec<content::Line>> {
    let key = Arc::as_ptr(resume);
    WRAPPED.with(|cache| {
        let mut cache = cache.borrow_mut();
        if let Some(i) = cache.iter().position(|(r, w, u, t, _)| {
            r.as_ptr() == key && *w == width && *u == unicode && *t == tab
        }) {
            let entry = cache.remove(i);
            let lines = Rc::clone(&entry.4);
            cache.push(entry);
            return lines;
        }
        let style = if unicode {
            content::Style::TUI
        } else {
            content::Style::TUI_ASCII
        };
        let lines = Rc::new(content::wrap(&content::section(resume, tab), width, style));
        if cache.len() >= WRAP_CACHE_ENTRIES {
            cache.remove(0);
        }
        cache.push((
            Arc::downgrade(resume),
            width,
            unicode,
            tab,
            Rc::clone(&lines),
        ));
        lines
    })
}
