//! Each section composed for a column ([`Frame`]), cached per thread and shared by its sessions.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::{Arc, Weak};

use crate::content::SectionId;
use crate::content::screen::{self, Frame, Row};
use crate::resume::Resume;

/// Composed sections, shared by every session on this thread: (resume, frame, tab).
/// The `Weak` keeps the resume's allocation, so its address cannot be reused by another resume
/// while the entry exists.
type WrapCache = Vec<(Weak<Resume>, Frame, SectionId, Rc<Vec<Row>>)>;

/// Entries kept per thread (a few sizes × six tabs).
pub const WRAP_CACHE_ENTRIES: usize = 48;

thread_local! {
    static WRAPPED: RefCell<WrapCache> = const { RefCell::new(Vec::new()) };
}

/// A tab composed for `frame`, from the per-thread cache when possible.
pub fn lines(frame: &Frame, resume: &Arc<Resume>, tab: SectionId) -> Rc<Vec<Row>> {
    let key = Arc::as_ptr(resume);
    WRAPPED.with(|cache| {
        let mut cache = cache.borrow_mut();
        if let Some(i) = cache
            .iter()
            .position(|(r, f, t, _)| r.as_ptr() == key && f == frame && *t == tab)
        {
            let entry = cache.remove(i);
            let lines = Rc::clone(&entry.3);
            cache.push(entry);
            return lines;
        }
        let lines = Rc::new(screen::compose(resume, tab, frame));
        if cache.len() >= WRAP_CACHE_ENTRIES {
            cache.remove(0);
        }
        cache.push((Arc::downgrade(resume), *frame, tab, Rc::clone(&lines)));
        lines
    })
}

/// The rail's blocks for (resume, width, character set), kept per thread: the rail is as wide
/// as a few dozen columns at most, so these few entries cover every wide screen.
type RailCache = Vec<(Weak<Resume>, usize, bool, Rc<Vec<Vec<Row>>>)>;

/// Rail entries kept per thread (every rail width, in both character sets).
pub const RAIL_CACHE_ENTRIES: usize = 32;

thread_local! {
    static RAILS: RefCell<RailCache> = const { RefCell::new(Vec::new()) };
}

/// The side rail composed `width` columns wide, from the per-thread cache when possible.
pub fn rail(resume: &Arc<Resume>, width: usize, unicode: bool) -> Rc<Vec<Vec<Row>>> {
    let key = Arc::as_ptr(resume);
    RAILS.with(|cache| {
        let mut cache = cache.borrow_mut();
        if let Some((_, _, _, blocks)) = cache
            .iter()
            .find(|(r, w, u, _)| r.as_ptr() == key && *w == width && *u == unicode)
        {
            return Rc::clone(blocks);
        }
        let blocks = Rc::new(screen::rail(resume, width, unicode));
        if cache.len() >= RAIL_CACHE_ENTRIES {
            // Entries of resumes that are gone first, then the oldest.
            cache.retain(|e| e.0.strong_count() > 0);
            if cache.len() >= RAIL_CACHE_ENTRIES {
                cache.remove(0);
            }
        }
        cache.push((Arc::downgrade(resume), width, unicode, Rc::clone(&blocks)));
        blocks
    })
}
