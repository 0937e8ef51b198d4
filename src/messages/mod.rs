//! Messages a visitor leaves for the owner (`ssh HOST message`): the SQLite store, its limits,
//! the one writer thread the server submits through, the outbox's webhook delivery and the
//! owner's `resume-ssh inbox`.
//!
//! Data flows one way: the session parses what the visitor sent ([`limits::parse`]) into a
//! [`Submission`], hands it to the [`writer`] thread (bounded queue, reply by oneshot), which
//! checks the limits and commits the message and its outbox rows in one transaction; only then
//! is the visitor given the reference. The [`delivery`] thread posts each outbox row to its URL
//! until it is accepted (or three days have passed). No message text is ever logged: the
//! reference and the size only.

pub mod delivery;
pub mod id;
pub mod inbox;
pub mod limits;
pub mod notify;
pub mod outbox;
mod schema;
pub mod store;
pub mod writer;

pub use limits::{Limits, Refusal, Submission};
pub use store::{Message, Store};
pub use writer::Service;

/// The database's file name inside `--data-dir`.
pub const DB_FILE: &str = "messages.db";

/// Milliseconds since the Unix epoch, now.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}
