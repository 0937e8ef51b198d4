//! Per-thread memory the renderer reuses across sessions: a cache of encoded updates and two
//! scratch frames. Both are bounded, so neither one visitor at the largest size nor a flood of
//! ever-new sizes leaves megabytes behind on a worker thread.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::{Arc, Weak};

use ratatui::buffer::{Buffer, Cell};
use ratatui::layout::Rect;

use super::app::App;
use super::theme::Capabilities;
use crate::resume::Resume;

/// What the client's screen showed before an update, as far as the cache is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum From {
    /// Nothing yet: the first frame (screen set-up included).
    Nothing,
    /// Another size: a full redraw (never cached: sizes are endless, first frames are not).
    Other,
    /// This state, same size and resume: a diff.
    Same(App),
    /// A state drawn from an older resume (never cached).
    Uncacheable,
}

impl From {
    /// Whether updates from this screen are worth keeping for other sessions.
    pub fn cacheable(self) -> bool {
        matches!(self, From::Nothing | From::Same(_))
    }
}

/// The cache key besides the resume.
pub type Key = (Capabilities, From, App);

/// Cached update bytes: (resume, key, bytes). The `Weak` pins the resume's address so no other
/// resume can be mistaken for it.
type FrameCache = Vec<(Weak<Resume>, Key, Rc<[u8]>)>;

/// Updates kept per thread (most recently used last)...
const CACHE_ENTRIES: usize = 64;
/// ...and their bytes in all: first frames at common sizes are a few KB each.
const CACHE_BYTES: usize = 512 * 1024;
/// An update larger than this (a first frame at a huge size) is not cached.
const ENTRY_BYTES: usize = 32 * 1024;

/// Cells of scratch frame kept between frames (per buffer; a cell is ~40 bytes): up to a big
/// monitor (a 4K screen at a usual font size is about 240×70). A larger frame gets buffers of
/// its own, freed as soon as it is encoded. Below this, a buffer only ever grows to the largest
/// size seen, so frames of mixed sizes do not reallocate (and fault in fresh pages) each time.
pub const KEEP_CELLS: usize = 256 * 72;

thread_local! {
    static FRAMES: RefCell<(FrameCache, usize)> = const { RefCell::new((Vec::new(), 0)) };

    /// Scratch frames reused by every session on this thread.
    static SCRATCH: RefCell<(Buffer, Buffer)> = RefCell::new((Buffer::default(), Buffer::default()));
}

/// The cached update for `key` under `resume`, marked most recently used.
pub fn lookup(resume: &Arc<Resume>, key: &Key) -> Option<Rc<[u8]>> {
    FRAMES.with(|c| {
        let (c, _) = &mut *c.borrow_mut();
        let i = c
            .iter()
            .position(|(r, k, _)| k == key && std::ptr::eq(r.as_ptr(), Arc::as_ptr(resume)))?;
        let entry = c.remove(i);
        let bytes = Rc::clone(&entry.2);
        c.push(entry);
        Some(bytes)
    })
}

/// Keeps `bytes` as the update for `key` if it is small enough, evicting the least recently
/// used entries to stay within the count and byte budgets.
pub fn store(resume: &Arc<Resume>, key: Key, bytes: &[u8]) {
    if !key.1.cacheable() || bytes.len() > ENTRY_BYTES {
        return;
    }
    FRAMES.with(|c| {
        let (c, total) = &mut *c.borrow_mut();
        while !c.is_empty() && (c.len() >= CACHE_ENTRIES || *total + bytes.len() > CACHE_BYTES) {
            let (_, _, old) = c.remove(0);
            *total -= old.len();
        }
        *total += bytes.len();
        c.push((Arc::downgrade(resume), key, Rc::from(bytes)));
    });
}

/// Empties this thread's update cache (benchmarks of the uncached path; the layout and
/// wrapped-text caches are left as they are).
pub fn clear() {
    FRAMES.with(|c| {
        let (c, total) = &mut *c.borrow_mut();
        c.clear();
        *total = 0;
    });
}

/// Bytes held by this thread's cache (for tests).
pub fn cached_bytes() -> usize {
    FRAMES.with(|c| c.borrow().1)
}

/// Runs `f` with the two scratch frames (`prev`, `next`), each resized to `rect` and blank.
/// Buffers above [`KEEP_CELLS`] are released afterwards: `Buffer::resize` never gives capacity
/// back, so without this one large visitor would pin ~8 MB on the thread for good.
pub fn with_scratch<R>(rect: Rect, f: impl FnOnce(&mut Buffer, &mut Buffer) -> R) -> R {
    SCRATCH.with(|cell| {
        let mut guard = cell.borrow_mut();
        let (prev, next) = &mut *guard;
        for b in [&mut *prev, &mut *next] {
            blank(b, rect);
        }
        let r = f(prev, next);
        for b in [&mut *prev, &mut *next] {
            release(b);
        }
        r
    })
}

/// Runs `f` with one scratch frame (the second of [`with_scratch`]), resized to `rect` and
/// blank: for a frame drawn on a cleared screen, which needs nothing to compare with.
pub fn with_next<R>(rect: Rect, f: impl FnOnce(&mut Buffer) -> R) -> R {
    SCRATCH.with(|cell| {
        let mut guard = cell.borrow_mut();
        let next = &mut guard.1;
        blank(next, rect);
        let r = f(next);
        release(next);
        r
    })
}

/// Makes `b` a blank frame of `rect`: one pass over the cells (`resize` then `reset` is two).
/// Grows to exactly the cells needed, so capacity never overshoots [`KEEP_CELLS`] by doubling.
fn blank(b: &mut Buffer, rect: Rect) {
    let cells = usize::from(rect.width) * usize::from(rect.height);
    b.content.clear();
    b.content.reserve_exact(cells);
    // A constant per cell, not a clone of one: the compiler turns this into plain stores.
    b.content.resize_with(cells, || Cell::EMPTY);
    b.area = rect;
}

/// Gives back what a frame above [`KEEP_CELLS`] grew.
fn release(b: &mut Buffer) {
    if b.content.capacity() > KEEP_CELLS {
        *b = Buffer::default();
    }
}

/// Cells of scratch capacity this thread holds (for tests).
pub fn scratch_cells() -> usize {
    SCRATCH.with(|c| {
        let g = c.borrow();
        g.0.content.capacity() + g.1.content.capacity()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::SectionId;
    use crate::terminal::Size;

    fn resume() -> Arc<Resume> {
        Arc::new(
            Resume::parse(include_str!("../../resume.toml"), std::path::Path::new("r")).unwrap(),
        )
    }

    #[test]
    fn scratch_is_released_after_a_huge_frame_and_kept_for_a_common_one() {
        let big = Size::new(400, 200).rect();
        let seen = with_scratch(big, |p, n| p.content.len() + n.content.len());
        assert_eq!(seen, 2 * 400 * 200);
        assert_eq!(scratch_cells(), 0, "a 400x200 frame's buffers stay");
        with_scratch(Size::new(100, 30).rect(), |_, _| ());
        assert!(scratch_cells() >= 2 * 100 * 30);
        assert!(scratch_cells() <= 2 * KEEP_CELLS);
    }

    #[test]
    fn the_cache_keeps_within_its_budgets_and_skips_new_size_redraws() {
        let r = resume();
        let app = |cols| App::new(SectionId::About, Size::new(cols, 30));
        let caps = Capabilities::default();
        store(&r, (caps, From::Other, app(90)), b"redraw");
        assert!(lookup(&r, &(caps, From::Other, app(90))).is_none());
        store(
            &r,
            (caps, From::Nothing, app(91)),
            &vec![b'x'; ENTRY_BYTES + 1],
        );
        assert!(lookup(&r, &(caps, From::Nothing, app(91))).is_none());
        for cols in 10..200 {
            store(&r, (caps, From::Nothing, app(cols)), &vec![b'y'; 20_000]);
            assert!(cached_bytes() <= CACHE_BYTES);
        }
        // The most recent one is there, the oldest went.
        assert!(lookup(&r, &(caps, From::Nothing, app(199))).is_some());
        assert!(lookup(&r, &(caps, From::Nothing, app(10))).is_none());
    }
}
