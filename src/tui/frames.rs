//! Memory the renderer reuses across sessions: one cache of encoded updates for the whole
//! process, and two scratch frames per thread. Both are bounded, so neither one visitor at the
//! largest size nor a flood of ever-new sizes leaves megabytes behind.

use std::cell::RefCell;
use std::sync::{Arc, LazyLock, Mutex, PoisonError, Weak};
use std::time::{Duration, Instant};

use lru::LruCache;
use ratatui::buffer::{Buffer, Cell};
use ratatui::layout::Rect;

use super::app::App;
use super::theme::Capabilities;
use crate::locks::lock;
use crate::resume::Resume;

/// What the client's screen showed before an update, as far as the cache is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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

/// Updates kept (most recently used kept)...
const CACHE_ENTRIES: usize = 128;
/// ...and their bytes in all: first frames at common sizes are a few KB each.
const CACHE_BYTES: usize = 1024 * 1024;
/// An update larger than this (a first frame at a huge size) is not cached.
const ENTRY_BYTES: usize = 32 * 1024;

/// Cells of scratch frame kept between frames (per buffer; a cell is 48 bytes): up to a big
/// monitor (a 4K screen at a usual font size is about 240×70). A larger frame gets buffers of
/// its own, freed as soon as it is encoded. Below this, a buffer only ever grows to the largest
/// size seen, so frames of mixed sizes do not reallocate (and fault in fresh pages) each time.
pub const KEEP_CELLS: usize = 256 * 72;

/// Encoded updates by (resume address, key), least recently used evicted first, within a count
/// and a byte budget. One for the process, not one per worker thread: per-thread caches each
/// held their own copy of the popular frames, and a visitor whose task ran on the other thread
/// missed (on 2 threads with 64 entries each, 63% hits on the mixed workload; one cache of the
/// same 128 entries keeps every frame once).
pub struct UpdateCache {
    lru: LruCache<(usize, Key), Entry>,
    bytes: usize,
    max_entries: usize,
    max_bytes: usize,
}

struct Entry {
    /// Pins the resume's allocation, so no other resume can come to have the key's address.
    _resume: Weak<Resume>,
    bytes: Arc<[u8]>,
}

impl UpdateCache {
    pub fn new(max_entries: usize, max_bytes: usize) -> UpdateCache {
        UpdateCache {
            lru: LruCache::unbounded(),
            bytes: 0,
            max_entries: max_entries.max(1),
            max_bytes,
        }
    }

    /// The update for `key` under `resume`, marked most recently used.
    pub fn lookup(&mut self, resume: &Arc<Resume>, key: &Key) -> Option<Arc<[u8]>> {
        let k = (Arc::as_ptr(resume) as usize, *key);
        self.lru.get(&k).map(|e| Arc::clone(&e.bytes))
    }

    /// Keeps `bytes` for `key`, evicting the least recently used entries to stay within the
    /// count and byte budgets.
    pub fn store(&mut self, resume: &Arc<Resume>, key: Key, bytes: Arc<[u8]>) {
        let k = (Arc::as_ptr(resume) as usize, key);
        if let Some(old) = self.lru.pop(&k) {
            self.bytes -= old.bytes.len();
        }
        while self.lru.len() >= self.max_entries || self.bytes + bytes.len() > self.max_bytes {
            match self.lru.pop_lru() {
                Some((_, old)) => self.bytes -= old.bytes.len(),
                None => break,
            }
        }
        self.bytes += bytes.len();
        let entry = Entry {
            _resume: Arc::downgrade(resume),
            bytes,
        };
        self.lru.put(k, entry);
    }

    pub fn clear(&mut self) {
        self.lru.clear();
        self.bytes = 0;
    }

    /// Bytes held.
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    /// Whether any key held satisfies `f` (for tests).
    pub fn any(&self, mut f: impl FnMut(&Key) -> bool) -> bool {
        self.lru.iter().any(|((_, k), _)| f(k))
    }
}

/// The process's update cache. The lock is held for a hash look-up and a reference count, never
/// while drawing or copying bytes; a panic elsewhere cannot leave it half-updated, so a poisoned
/// lock is taken as it is.
static UPDATES: LazyLock<Mutex<UpdateCache>> =
    LazyLock::new(|| Mutex::new(UpdateCache::new(CACHE_ENTRIES, CACHE_BYTES)));

fn updates() -> std::sync::MutexGuard<'static, UpdateCache> {
    UPDATES.lock().unwrap_or_else(PoisonError::into_inner)
}

thread_local! {
    /// Scratch frames reused by every session on this thread.
    static SCRATCH: RefCell<(Buffer, Buffer)> = RefCell::new((Buffer::default(), Buffer::default()));
}

/// The cached update for `key` under `resume`, marked most recently used.
pub fn lookup(resume: &Arc<Resume>, key: &Key) -> Option<Arc<[u8]>> {
    updates().lookup(resume, key)
}

/// Keeps `bytes` as the update for `key` if it can be shared and is small enough.
pub fn store(resume: &Arc<Resume>, key: Key, bytes: &[u8]) {
    if !key.1.cacheable() || bytes.len() > ENTRY_BYTES {
        return;
    }
    // Copied before the lock is taken.
    let bytes: Arc<[u8]> = Arc::from(bytes);
    updates().store(resume, key, bytes);
}

/// Empties the update cache (benchmarks of the uncached path; the layout and wrapped-text
/// caches are left as they are).
pub fn clear() {
    updates().clear();
}

/// Whether the update cache holds a key that satisfies `f` (for tests).
pub fn any_cached(f: impl FnMut(&Key) -> bool) -> bool {
    updates().any(f)
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
    if cells > KEEP_CELLS
        && b.content.capacity() < cells
        && let Some(kept) = take_large(cells)
    {
        b.content = kept;
    }
    b.content.clear();
    b.content.reserve_exact(cells);
    // A constant per cell, not a clone of one: the compiler turns this into plain stores.
    b.content.resize_with(cells, || Cell::EMPTY);
    b.area = rect;
}

/// Gives back what a frame above [`KEEP_CELLS`] grew: to the process's pool of large frames,
/// which the next large frame on any thread takes instead of allocating (and faulting in) ~4 MB.
fn release(b: &mut Buffer) {
    if b.content.capacity() > KEEP_CELLS {
        let big = std::mem::take(&mut b.content);
        let mut pool = lock(&LARGE);
        if pool.0.len() < LARGE_KEPT {
            pool.0.push(big);
        }
        pool.1 = Some(Instant::now());
    }
}

/// Large frames kept at most (two per worker thread on a 2-core box: ~15 MB at 400×200).
const LARGE_KEPT: usize = 4;
/// Large frames unused this long are given back to the system ([`trim_large`]).
pub const LARGE_IDLE: Duration = Duration::from_secs(2);

/// The pool of large scratch frames, and when one was last given back.
static LARGE: Mutex<(Vec<Vec<Cell>>, Option<Instant>)> = Mutex::new((Vec::new(), None));

/// A large frame's cells from the pool, if one is kept with room for `cells`.
fn take_large(cells: usize) -> Option<Vec<Cell>> {
    let mut pool = lock(&LARGE);
    let i = pool.0.iter().position(|v| v.capacity() >= cells)?;
    Some(pool.0.swap_remove(i))
}

/// Gives the pool's large frames back to the system once none was used for [`LARGE_IDLE`]
/// (called every second by the server's sweep): a large visitor's frames stay while it draws,
/// and go soon after it leaves.
pub fn trim_large(now: Instant) {
    let mut pool = lock(&LARGE);
    if pool
        .1
        .is_some_and(|t| now.saturating_duration_since(t) >= LARGE_IDLE)
    {
        *pool = (Vec::new(), None);
    }
}

/// Cells held by the pool of large frames (for tests).
pub fn large_cells() -> usize {
    lock(&LARGE).0.iter().map(Vec::capacity).sum()
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
    fn large_frames_are_reused_from_the_pool_and_trimmed_when_idle() {
        let _one_at_a_time = lock(&LARGE_TESTS);
        let big = Size::new(400, 200).rect();
        with_scratch(big, |_, _| ());
        assert!(
            large_cells() >= 2 * 400 * 200,
            "kept for the next large frame"
        );
        assert_eq!(scratch_cells(), 0, "not pinned on this thread");
        // The next large frame takes them (no new allocation), then gives them back.
        let before = large_cells();
        let during = with_scratch(big, |_, _| large_cells());
        assert!(during < before, "taken from the pool");
        assert!(large_cells() >= 2 * 400 * 200);
        // Not trimmed while in use, trimmed once idle.
        trim_large(Instant::now());
        assert!(large_cells() > 0);
        trim_large(Instant::now() + LARGE_IDLE);
        assert_eq!(large_cells(), 0);
    }

    /// The pool is the process's: tests that draw large frames take turns.
    static LARGE_TESTS: Mutex<()> = Mutex::new(());

    #[test]
    fn scratch_is_released_after_a_huge_frame_and_kept_for_a_common_one() {
        let _one_at_a_time = lock(&LARGE_TESTS);
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
        // The process's cache (other tests use it too, with their own resumes).
        store(&r, (caps, From::Other, app(90)), b"redraw");
        assert!(lookup(&r, &(caps, From::Other, app(90))).is_none());
        store(
            &r,
            (caps, From::Nothing, app(91)),
            &vec![b'x'; ENTRY_BYTES + 1],
        );
        assert!(lookup(&r, &(caps, From::Nothing, app(91))).is_none());
        store(&r, (caps, From::Nothing, app(92)), b"first frame");
        assert_eq!(
            lookup(&r, &(caps, From::Nothing, app(92))).as_deref(),
            Some(&b"first frame"[..])
        );
        // Another resume, even an equal one, does not see it.
        assert!(lookup(&resume(), &(caps, From::Nothing, app(92))).is_none());

        // The budgets, on a cache of its own.
        let mut c = UpdateCache::new(CACHE_ENTRIES, CACHE_BYTES);
        for cols in 10..200 {
            c.store(
                &r,
                (caps, From::Nothing, app(cols)),
                Arc::from(vec![b'y'; 20_000]),
            );
            assert!(c.bytes() <= CACHE_BYTES);
            assert!(c.lru.len() <= CACHE_ENTRIES);
        }
        // The most recent one is there, the oldest went.
        assert!(c.lookup(&r, &(caps, From::Nothing, app(199))).is_some());
        assert!(c.lookup(&r, &(caps, From::Nothing, app(10))).is_none());
        // Storing a key again replaces it and counts its bytes once.
        let before = c.bytes();
        c.store(
            &r,
            (caps, From::Nothing, app(199)),
            Arc::from(vec![b'z'; 10]),
        );
        assert_eq!(c.bytes(), before - 20_000 + 10);
        let mut small = UpdateCache::new(2, 1 << 20);
        for cols in 10..13 {
            small.store(&r, (caps, From::Nothing, app(cols)), Arc::from(&b"f"[..]));
        }
        assert!(small.lookup(&r, &(caps, From::Nothing, app(10))).is_none());
        assert_eq!(small.lru.len(), 2);
    }
}
