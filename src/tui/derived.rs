//! Per-thread caches of what is derived from one resume (wrapped sections, layout numbers, link
//! targets, QR codes, search matches), all through one helper: an LRU map (the `lru` crate)
//! keyed by the resume and the caller's key.
//!
//! A resume is identified by its allocation. Each entry keeps a `Weak` to it, so the address
//! cannot be reused by another resume while the entry exists; entries of a replaced resume are
//! never hit again and age out as the cache fills.

use std::cell::RefCell;
use std::hash::Hash;
use std::num::NonZeroUsize;
use std::sync::{Arc, Weak};

use lru::LruCache;

use crate::resume::Resume;

/// The map: (the resume's address, the key) → (the pin on the resume, the value).
type Map<K, V> = LruCache<(usize, K), (Weak<Resume>, V)>;

/// One per-thread cache (used inside `thread_local!`): at most `cap` values of type `V`, each
/// for one (resume, `K`).
pub struct Derived<K, V> {
    cap: usize,
    map: RefCell<Option<Map<K, V>>>,
}

impl<K: Hash + Eq, V: Clone> Derived<K, V> {
    /// An empty cache of at most `cap` entries (at least one).
    pub const fn new(cap: usize) -> Self {
        Derived {
            cap,
            map: RefCell::new(None),
        }
    }

    /// The value for (`resume`, `key`) if it is cached, now the most recently used.
    pub fn get(&self, resume: &Arc<Resume>, key: K) -> Option<V> {
        let mut map = self.map.borrow_mut();
        let (pin, v) = map.as_mut()?.get(&(Arc::as_ptr(resume) as usize, key))?;
        // The entry pins the allocation, so a live entry at this address is this resume.
        (pin.strong_count() > 0).then(|| v.clone())
    }

    /// Caches `value` for (`resume`, `key`), dropping the least recently used entry when full.
    pub fn put(&self, resume: &Arc<Resume>, key: K, value: V) {
        let cap = NonZeroUsize::new(self.cap).unwrap_or(NonZeroUsize::MIN);
        let mut map = self.map.borrow_mut();
        map.get_or_insert_with(|| LruCache::new(cap)).put(
            (Arc::as_ptr(resume) as usize, key),
            (Arc::downgrade(resume), value),
        );
    }

    /// The cached value for (`resume`, `key`), or `make`'s, cached. The flag says whether it
    /// was a hit.
    pub fn get_or(&self, resume: &Arc<Resume>, key: K, make: impl FnOnce() -> V) -> (V, bool)
    where
        K: Clone,
    {
        if let Some(v) = self.get(resume, key.clone()) {
            return (v, true);
        }
        // Made outside the borrow: `make` may use other caches, or this one.
        let v = make();
        self.put(resume, key, v.clone());
        (v, false)
    }

    /// Entries held (for tests).
    pub fn len(&self) -> usize {
        self.map.borrow().as_ref().map_or(0, LruCache::len)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resume() -> Arc<Resume> {
        Arc::new(
            Resume::parse(include_str!("../../resume.toml"), std::path::Path::new("r")).unwrap(),
        )
    }

    #[test]
    fn a_value_is_made_once_per_resume_and_key() {
        let cache: Derived<u8, u32> = Derived::new(4);
        let (a, b) = (resume(), resume());
        let mut made = 0;
        for _ in 0..3 {
            let (v, _) = cache.get_or(&a, 1, || {
                made += 1;
                10
            });
            assert_eq!(v, 10);
        }
        assert_eq!(made, 1);
        // Another resume with equal content is another version.
        let (v, hit) = cache.get_or(&b, 1, || 20);
        assert_eq!((v, hit), (20, false));
        assert_eq!(cache.get(&a, 1), Some(10));
    }

    #[test]
    fn the_least_recently_used_goes_when_full() {
        let cache: Derived<u8, u8> = Derived::new(2);
        let r = resume();
        cache.put(&r, 1, 1);
        cache.put(&r, 2, 2);
        assert_eq!(cache.get(&r, 1), Some(1));
        cache.put(&r, 3, 3);
        assert_eq!(cache.get(&r, 2), None, "2 was the least recently used");
        assert_eq!((cache.get(&r, 1), cache.get(&r, 3)), (Some(1), Some(3)));
        assert_eq!(cache.len(), 2);
    }
}
