//! Locks that a panic cannot turn into a lockout: every guarded table here stays consistent
//! between statements, so a lock poisoned by a panic elsewhere is simply taken over.

use std::sync::{Mutex, MutexGuard, PoisonError};

/// Locks `m`, recovering it if a panic poisoned it.
pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Tests only: poisons `m` by panicking on another thread while holding it.
#[cfg(any(test, feature = "test-hooks"))]
pub(crate) fn poison<T: Send>(m: &Mutex<T>) {
    std::thread::scope(|s| {
        let _ = s
            .spawn(|| {
                let _held = lock(m);
                panic!("test hook: panic while holding a lock");
            })
            .join();
    });
}
