//! Each section composed for a column ([`Frame`]), cached per thread and shared by its sessions.

use std::rc::Rc;
use std::sync::Arc;

use super::derived::Derived;
use crate::content::SectionId;
use crate::content::screen::{self, Frame, Row};
use crate::resume::Resume;

/// Entries kept per thread (a few sizes × six tabs).
pub const WRAP_CACHE_ENTRIES: usize = 48;

/// Rail entries kept per thread (every rail width, in both character sets): the rail is as
/// wide as a few dozen columns at most, so these cover every wide screen.
pub const RAIL_CACHE_ENTRIES: usize = 32;

thread_local! {
    static WRAPPED: Derived<(Frame, SectionId), Rc<Vec<Row>>> = const { Derived::new(WRAP_CACHE_ENTRIES) };
    static RAILS: Derived<(usize, bool), Rc<Vec<Vec<Row>>>> = const { Derived::new(RAIL_CACHE_ENTRIES) };
}

/// A tab composed for `frame`, from the per-thread cache when possible.
pub fn lines(frame: &Frame, resume: &Arc<Resume>, tab: SectionId) -> Rc<Vec<Row>> {
    WRAPPED.with(|c| {
        c.get_or(resume, (*frame, tab), || {
            Rc::new(screen::compose(resume, tab, frame))
        })
        .0
    })
}

/// The side rail composed `width` columns wide, from the per-thread cache when possible.
pub fn rail(resume: &Arc<Resume>, width: usize, unicode: bool) -> Rc<Vec<Vec<Row>>> {
    RAILS.with(|c| {
        c.get_or(resume, (width, unicode), || {
            Rc::new(screen::rail(resume, width, unicode))
        })
        .0
    })
}
