//! The server faces the internet: hostile or broken clients must never hurt other visitors, and
//! the limits must hold. Each test here plays a bad client next to a good one.
//!
//! Tests that measure memory (the process's RSS) or latency take the gate (`common::gate`)
//! exclusively, so no other test in the process disturbs their numbers; the rest share it.

mod connections;
mod input;
mod load;

use crate::common;

use std::time::Duration;

use common::*;
use russh::ChannelMsg;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;
use tokio::time::{Instant, timeout};

/// A normal visitor: a TUI session's first frame shows the name. Returns how long it took.
async fn visitor_sees_the_ui(server: &TestServer) -> Duration {
    let started = Instant::now();
    let client = server.connect().await;
    let term = client.tui(TuiOpts::default()).await;
    term.wait_text(NAME).await;
    let took = started.elapsed();
    term.send(b"q").await;
    assert_eq!(term.wait_closed().await, Some(0));
    took
}

/// A normal visitor: `ssh host plain` works. Returns how long it took.
async fn visitor_gets_plain(server: &TestServer) -> Duration {
    let started = Instant::now();
    let client = server.connect().await;
    let out = client.exec("plain").await;
    assert_eq!(out.exit, Some(0), "{out:?}");
    assert!(out.text().contains(NAME));
    started.elapsed()
}
