//! The read-only SFTP subsystem: a session channel's `Channel` is kept while it is set up, and
//! handed, as a byte stream, to a task that answers SFTP packets (decoded and encoded by
//! russh-sftp) from a snapshot of the resume files (`fs`).
//!
//! While a kept `Channel` is not read, russh queues every message for it (pty, env, shell,
//! window-change, signal, data; a bounded queue that blocks the whole connection when full).
//! So each handler call for a channel in setup first takes out what russh queued for it
//! ([`Conn::settle`]), and data, EOF or a shell/exec drops the kept `Channel` ([`Conn::unkeep`]).
//!
//! Every SFTP packet spends from the connection's request budget and from the session's own
//! cap ([`MAX_REQUESTS`]); over either, or on a packet longer than [`MAX_PACKET`], the channel
//! is closed and one line logged (while the connection's log budget lasts).

mod fs;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use bytes::Bytes;
use futures_util::FutureExt;
use russh::server::{Handle, Msg, Session};
use russh::{ChannelId, ChannelStream};
use russh_sftp::protocol::{Packet, StatusCode};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

pub use self::fs::{MAX_HANDLES, MAX_READ};
use super::files::Snapshot;
use super::output::{Mode, find};
use super::{Conn, SessionError};
use crate::budget::Verdict;
use crate::conn::ConnCtl;
use crate::logging::conn_span::ConnSpan;
use crate::shared::Shared;

/// SFTP requests one subsystem session may make; the next one closes the channel.
pub const MAX_REQUESTS: u32 = 512;
/// The longest SFTP packet a client may send (a read-only server needs no large writes).
pub const MAX_PACKET: u32 = 68 * 1024;

/// Why a session ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum End {
    /// The client closed its side (EOF, close) or stopped reading.
    Client,
    TooMany,
    TooLong,
    Budget,
}

impl Conn {
    /// Takes out what russh queued for the channel's kept `Channel` (never waits).
    pub(super) fn settle(&mut self, id: ChannelId) {
        let Some(chan) = find(&mut self.channels, id) else {
            return;
        };
        let Some(kept) = chan.kept.as_mut() else {
            return;
        };
        // One message per handler call is the usual; a few more are window adjustments.
        for _ in 0..64 {
            match tokio::task::unconstrained(kept.wait()).now_or_never() {
                Some(Some(_)) => continue,
                Some(None) => {
                    chan.kept = None;
                    return;
                }
                None => return,
            }
        }
        // Still more: never let it fill.
        chan.kept = None;
    }

    /// Drops the channel's kept `Channel`: it will not become an SFTP session.
    pub(super) fn unkeep(&mut self, id: ChannelId) {
        if let Some(chan) = find(&mut self.channels, id) {
            chan.kept = None;
        }
    }

    /// A subsystem request: "sftp" on a channel in setup starts the SFTP task; anything else
    /// is refused (and counted).
    pub(super) fn subsystem(
        &mut self,
        id: ChannelId,
        name: &str,
        session: &mut Session,
    ) -> Result<bool, SessionError> {
        self.settle(id);
        if name != "sftp" {
            return Ok(false);
        }
        let Some(chan) = find(&mut self.channels, id) else {
            return Ok(false);
        };
        if !matches!(chan.mode, Mode::Setup) {
            return Ok(false);
        }
        let Some(channel) = chan.kept.take() else {
            return Ok(false);
        };
        let done = Arc::new(AtomicBool::new(false));
        chan.mode = Mode::Sftp(Arc::clone(&done));
        if self.spend_request(session) {
            return Ok(true);
        }
        session.channel_success(id)?;
        self.span
            .debug(|| tracing::debug!(kind = "sftp", "session started"));
        self.ctl.note(|s| s.command = "sftp".to_owned());
        crate::metrics::get().session("sftp");
        let task = Task {
            shared: Arc::clone(&self.shared),
            ctl: Arc::clone(&self.ctl),
            span: Arc::clone(&self.span),
            handle: session.handle(),
            id,
            done,
        };
        tokio::spawn(task.run(channel.into_stream()));
        Ok(true)
    }
}

struct Task {
    shared: Arc<Shared>,
    ctl: Arc<ConnCtl>,
    span: Arc<ConnSpan>,
    handle: Handle,
    id: ChannelId,
    /// Set when the task has closed the channel.
    done: Arc<AtomicBool>,
}

impl Task {
    async fn run(self, mut stream: ChannelStream<Msg>) {
        let shared = Arc::clone(&self.shared);
        // The PDFs may still be generating: wait for them off the async workers.
        let snapshot = tokio::task::spawn_blocking(move || Snapshot::take(&shared)).await;
        let (end, requests, malformed) = match snapshot {
            Ok(snapshot) => self.serve(&mut stream, fs::Fs::new(snapshot)).await,
            Err(_) => (End::Client, 0, 0),
        };
        if end != End::Client && self.ctl.budget.may_log() {
            let why = match end {
                End::TooMany => "too many requests",
                End::TooLong => "a packet over the size limit",
                _ => "over the connection's request budget",
            };
            self.span
                .in_scope(|| tracing::info!(requests, malformed, "sftp: {why}; channel closed"));
        }
        let exit = u32::from(end != End::Client);
        let _ = self.handle.exit_status_request(self.id, exit).await;
        let _ = self.handle.eof(self.id).await;
        let _ = self.handle.close(self.id).await;
        self.done.store(true, Ordering::SeqCst);
        // Only now: a dropped stream sends a close of its own, which must not overtake the above.
        drop(stream);
    }

    /// Answers packets until the client ends or a limit is reached.
    async fn serve(&self, stream: &mut ChannelStream<Msg>, mut fs: fs::Fs) -> (End, u32, u32) {
        let mut requests = 0u32;
        let end = loop {
            let Ok(len) = stream.read_u32().await else {
                break End::Client;
            };
            if len == 0 || len > MAX_PACKET {
                break End::TooLong;
            }
            let mut buf = vec![0; len as usize];
            if stream.read_exact(&mut buf).await.is_err() {
                break End::Client;
            }
            self.ctl.touch();
            requests += 1;
            if requests > MAX_REQUESTS {
                break End::TooMany;
            }
            if let Verdict::Over(_) = self.ctl.budget.request() {
                // The connection's task disconnects the client with the reason.
                break End::Budget;
            }
            let reply = fs.answer(Bytes::from(buf));
            let Ok(bytes) = Bytes::try_from(reply)
                .or_else(|_| Bytes::try_from(Packet::error(0, StatusCode::Failure)))
            else {
                break End::Client;
            };
            if stream.write_all(&bytes).await.is_err() || stream.flush().await.is_err() {
                break End::Client;
            }
        };
        (end, requests, fs.malformed)
    }
}
