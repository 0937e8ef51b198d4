//! resume-ssh's load tools, kept out of the server crate: `loadgen` (src/bin/loadgen.rs), a load
//! generator on russh's client, and `bare_server` (src/bin/bare_server.rs), a bare russh server
//! that is the benchmarks' floor. The scripts that run them are next to this crate, in bench/.
//!
//! - `cli`: loadgen's command line.
//! - `workload`: who the visitors are (the mixed distribution, or identical visitors).
//! - `expected`: each visitor's first frame, from resume-ssh's library.
//! - `client`: one session (connect, auth, PTY, first frame, close) with bytes counted.
//! - `modes`: loadgen's modes, one module each.
//! - `procfs`: a process's CPU and RSS from /proc, loadgen's own CPU and fd limit.
//! - `stats`: percentiles and the JSON output.

pub mod cli;
pub mod client;
pub mod expected;
pub mod modes;
pub mod procfs;
pub mod stats;
pub mod workload;
