//! The shipped resume, read and parsed once for the whole test binary, and the limits tests
//! run with.

use std::path::Path;
use std::sync::{Arc, LazyLock};
use std::time::Duration;

use resume_ssh::config::Limits;
use resume_ssh::resume::Resume;

/// The name on the shipped resume.
pub const NAME: &str = "Arunav Malhotra";
/// The shipped resume.
pub const RESUME_PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/resume.toml");

/// The shipped resume, parsed on first use.
static SHIPPED: LazyLock<Arc<Resume>> = LazyLock::new(|| {
    Arc::new(Resume::load(Path::new(RESUME_PATH)).expect("the shipped resume loads"))
});

/// The shipped resume, shared: tests that only read it.
pub fn shipped() -> Arc<Resume> {
    Arc::clone(&SHIPPED)
}

/// A copy of the shipped resume of the test's own (a server takes it by value; an `Arc::new` of
/// it is a resume no other test has drawn).
pub fn shipped_resume() -> Resume {
    Resume::clone(&SHIPPED)
}

pub fn shipped_text() -> String {
    std::fs::read_to_string(RESUME_PATH).expect("read resume.toml")
}

/// Limits for tests: the defaults, but nothing that gets in the way of many quick connections.
pub fn test_limits() -> Limits {
    Limits {
        max_per_ip: 100,
        rate_per_ip_per_minute: 10_000,
        shutdown_grace: Duration::from_secs(3),
        ..Limits::default()
    }
}
