//! End-to-end harness: a real server on 127.0.0.1:0 in this process, russh clients, and a `vt100`
//! emulator standing in for the visitor's terminal.
//!
//! Every wait here is bounded: a helper that does not see what it waits for within its limit
//! panics with what it did see (the screen, the bytes), so a failing test says why.
//!
//! One module per concern: [`server`] (`TestServer`), [`client`] (`connect`, `Client`,
//! `Output`), [`term`] (`Term`, the vt100 screen), [`fixtures`] (the shipped resume, parsed
//! once), [`bytes`] (searching bytes, `Pausable`, raw TCP) and [`gate`] (tests that must run
//! alone in the process). Everything is re-exported here: `use crate::common::*`.

#![allow(dead_code)]

use std::time::Duration;

pub mod bytes;
pub mod client;
pub mod fixtures;
pub mod gate;
pub mod server;
pub mod term;

pub use bytes::*;
pub use client::*;
pub use fixtures::*;
pub use gate::*;
pub use resume_ssh::config::Limits;
pub use server::*;
pub use term::*;

/// How long a helper waits for something that should happen at once.
pub const WAIT: Duration = Duration::from_secs(5);
