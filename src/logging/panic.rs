//! The panic hook, and [`contained`] for code that catches its own panics: the hook cannot
//! tell whether a panic will be caught, so a contained site says so beforehand and the hook logs
//! what really happens ("input dropped, session continues") instead of a closed connection.

use std::cell::Cell;
use std::panic::UnwindSafe;

use crate::sanitize;

thread_local! {
    /// What a contained site said will happen if it panics now.
    static CONTAINED: Cell<Option<&'static str>> = const { Cell::new(None) };
}

/// Runs `f`, catching a panic in it; `outcome` is logged if it panics (e.g. "input dropped,
/// session continues").
pub fn contained<R>(
    outcome: &'static str,
    f: impl FnOnce() -> R + UnwindSafe,
) -> std::thread::Result<R> {
    let before = CONTAINED.with(|c| c.replace(Some(outcome)));
    let r = std::panic::catch_unwind(f);
    CONTAINED.with(|c| c.set(before));
    r
}

/// Installs the hook: a panic is logged once, with where and what, and with its consequence.
pub fn install_hook() {
    std::panic::set_hook(Box::new(|info| {
        let at = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let what = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        let what = sanitize::clean(&what, 200);
        match CONTAINED.with(Cell::get) {
            Some(outcome) => {
                tracing::warn!(panic = %what, at = %at, "panic contained: {outcome}")
            }
            None => tracing::error!(
                panic = %what,
                at = %at,
                "panic: the connection it happened in is closed; others go on"
            ),
        }
    }));
}
