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

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    /// Captures what the hook logs on this thread.
    fn logged(f: impl FnOnce()) -> String {
        let buf = Arc::new(Mutex::new(Vec::<u8>::new()));
        let sink = Arc::clone(&buf);
        let subscriber = tracing_subscriber::fmt()
            .with_ansi(false)
            .with_writer(move || Sink(Arc::clone(&sink)))
            .finish();
        tracing::subscriber::with_default(subscriber, f);
        let bytes = buf.lock().map(|g| g.clone()).unwrap_or_default();
        String::from_utf8_lossy(&bytes).into_owned()
    }

    struct Sink(Arc<Mutex<Vec<u8>>>);

    impl std::io::Write for Sink {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            if let Ok(mut g) = self.0.lock() {
                g.extend_from_slice(b);
            }
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_contained_panic_is_logged_as_contained_and_others_as_closing() {
        install_hook();
        let text = logged(|| {
            let r = contained("input sequence dropped, session continues", || {
                panic!("parser bug \x1b[2J\nforged")
            });
            assert!(r.is_err());
        });
        assert!(
            text.contains("panic contained: input sequence dropped, session continues"),
            "{text}"
        );
        assert!(!text.contains("is closed"), "{text}");
        assert!(!text.contains('\x1b'), "{text}");
        assert_eq!(text.lines().count(), 1, "{text}");
        // The flag does not outlive the contained call.
        let text = logged(|| {
            let r = std::panic::catch_unwind(|| panic!("elsewhere"));
            assert!(r.is_err());
        });
        assert!(
            text.contains("the connection it happened in is closed"),
            "{text}"
        );
        let _ = std::panic::take_hook();
    }
}
