//! Per-connection control shared between the accept loop, the SSH handler and the deadline task:
//! a kill switch wired into the socket, byte counters, activity time and the open TUI channel.

use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Instant;

use futures_util::task::AtomicWaker;
use russh::ChannelId;
use russh::server::Handle;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::sync::Notify;

use crate::locks::lock;

/// Why a connection ended early, or how.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EndReason {
    HandshakeTimeout,
    Idle,
    MaxDuration,
    Shutdown,
    /// A per-connection budget ran out.
    OverBudget(crate::budget::Kind),
}

impl EndReason {
    /// How the closing log line names it.
    pub fn label(self) -> &'static str {
        match self {
            EndReason::HandshakeTimeout => "handshake timeout",
            EndReason::Idle => "idle timeout",
            EndReason::MaxDuration => "session time limit",
            EndReason::Shutdown => "server shutdown",
            EndReason::OverBudget(k) => k.label(),
        }
    }

    /// What the visitor is told.
    pub fn message(self) -> &'static str {
        match self {
            EndReason::HandshakeTimeout => "handshake took too long",
            EndReason::Idle => {
                "Closing this session after a long time without input. Thanks for reading!"
            }
            EndReason::MaxDuration => "This session reached its time limit. Reconnect any time.",
            EndReason::Shutdown => "The server is restarting. Please reconnect in a moment.",
            EndReason::OverBudget(k) => k.message(),
        }
    }
}

/// What a connection did, for its closing log line.
#[derive(Debug, Default, Clone)]
pub struct Summary {
    pub client: String,
    pub term: String,
    pub size: String,
    pub command: String,
}

/// State of one connection that more than one task needs.
pub struct ConnCtl {
    started: Instant,
    killed: AtomicBool,
    waker: AtomicWaker,
    pub bytes_in: AtomicU64,
    pub bytes_out: AtomicU64,
    pub authenticated: AtomicBool,
    /// Set when the client sent a packet over [`MAX_PACKET`] (the connection then ends).
    pub oversized: AtomicBool,
    /// Milliseconds since `started` of the last input from the client.
    last_input_ms: AtomicU64,
    /// Set once the connection is being ended from outside: the handler stops drawing.
    pub ending: AtomicBool,
    /// Why it is being ended, and when the socket is cut if the client lingers.
    end: Mutex<Option<(EndReason, Instant)>>,
    /// The SSH session's handle, once the handshake has begun.
    pub handle: Mutex<Option<Handle>>,
    /// The channel showing the TUI and the waker of its visit's task (reloads and the end of
    /// the connection wake it; it draws, or says goodbye, itself).
    visit: Mutex<Option<(ChannelId, Arc<Notify>)>>,
    /// Filled in by the handler, logged when the connection ends.
    pub summary: Mutex<Summary>,
    /// What the connection may still spend, and what it did.
    pub budget: std::sync::Arc<crate::budget::Budget>,
    /// The client's address as per-address limits key it (set once, at accept).
    pub address: std::sync::OnceLock<std::net::IpAddr>,
}

impl Default for ConnCtl {
    fn default() -> Self {
        ConnCtl {
            started: Instant::now(),
            killed: AtomicBool::new(false),
            waker: AtomicWaker::new(),
            bytes_in: AtomicU64::new(0),
            bytes_out: AtomicU64::new(0),
            authenticated: AtomicBool::new(false),
            oversized: AtomicBool::new(false),
            last_input_ms: AtomicU64::new(0),
            ending: AtomicBool::new(false),
            end: Mutex::new(None),
            handle: Mutex::new(None),
            visit: Mutex::new(None),
            summary: Mutex::new(Summary::default()),
            budget: Default::default(),
            address: std::sync::OnceLock::new(),
        }
    }
}

impl ConnCtl {
    /// Cuts the socket: the next read or write fails and the SSH session ends.
    pub fn kill(&self) {
        self.killed.store(true, Ordering::SeqCst);
        self.waker.wake();
    }

    pub fn is_killed(&self) -> bool {
        self.killed.load(Ordering::SeqCst)
    }

    /// Marks the connection as ending for `why`; false if it already was.
    pub fn begin_end(&self, why: EndReason, cut_at: Instant) -> bool {
        let mut g = lock(&self.end);
        if g.is_some() {
            return false;
        }
        *g = Some((why, cut_at));
        self.ending.store(true, Ordering::SeqCst);
        true
    }

    /// Why and until when the connection is being ended, if it is.
    pub fn end(&self) -> Option<(EndReason, Instant)> {
        *lock(&self.end)
    }

    /// Records input from the client now.
    pub fn touch(&self) {
        let ms = self.started.elapsed().as_millis() as u64;
        self.last_input_ms.store(ms, Ordering::Relaxed);
    }

    /// When the client last sent input.
    pub fn last_input(&self) -> Instant {
        self.started + std::time::Duration::from_millis(self.last_input_ms.load(Ordering::Relaxed))
    }

    pub fn started(&self) -> Instant {
        self.started
    }

    /// Updates the summary.
    pub fn note(&self, f: impl FnOnce(&mut Summary)) {
        f(&mut lock(&self.summary));
    }

    /// Records the channel showing the TUI and its visit's waker (or that none does).
    pub fn set_visit(&self, visit: Option<(ChannelId, Arc<Notify>)>) {
        *lock(&self.visit) = visit;
    }

    /// Forgets the visit if it is on `channel`.
    pub fn clear_visit_if(&self, channel: ChannelId) {
        let mut g = lock(&self.visit);
        if g.as_ref().is_some_and(|(id, _)| *id == channel) {
            *g = None;
        }
    }

    /// Wakes the visit's task, if a TUI is showing: it draws what changed (a reloaded resume),
    /// or ends the visit if the connection is ending. False if no TUI is showing.
    pub fn wake_visit(&self) -> bool {
        match &*lock(&self.visit) {
            Some((_, wake)) => {
                wake.notify_one();
                true
            }
            None => false,
        }
    }
}

/// A socket that counts bytes and can be cut from outside through [`ConnCtl::kill`]. It also
/// tells the russh log filter which task runs this connection's session (the first task that
/// reads from it), so russh's lines are charged to this connection.
pub struct GuardedStream<S> {
    inner: S,
    ctl: std::sync::Arc<ConnCtl>,
    task: Option<(tokio::task::Id, crate::logging::russh::TaskTracked)>,
}

impl<S> GuardedStream<S> {
    pub fn new(inner: S, ctl: std::sync::Arc<ConnCtl>) -> Self {
        GuardedStream {
            inner,
            ctl,
            task: None,
        }
    }

    fn track_task(&mut self) {
        let Some(id) = tokio::task::try_id() else {
            return;
        };
        if self.task.as_ref().is_some_and(|(t, _)| *t == id) {
            return;
        }
        // A new task (russh hands the socket from the handshake to the session task): drop
        // the old entry first, then track this one.
        self.task = None;
        self.task = Some((id, crate::logging::russh::track_task(&self.ctl.budget)));
    }
}

fn killed_error() -> std::io::Error {
    std::io::Error::new(
        std::io::ErrorKind::ConnectionAborted,
        "connection closed by server",
    )
}

/// The largest SSH packet a client may send, in bytes as russh reads them (length field, padding
/// and MAC included). The channel data a client sends fits in the 32 KiB packets the server
/// announces; key exchange and authentication packets are a few KiB. russh itself accepts 256
/// KiB and keeps a read buffer as large as the largest packet for the connection's life
/// (russh 0.65.1 `src/cipher/mod.rs`, `read`: `buffer.buffer.resize(buffer.len + 4, 0)`, never
/// shrunk), so one 250 KB SSH_MSG_IGNORE pinned ~250 KiB per connection. russh has no setting
/// for it; this socket wrapper is where it can be bounded from outside.
pub const MAX_PACKET: usize = 48 * 1024;

// Room for every packet a client legitimately sends: channel data in the 32 KiB packets the
// server announces (src/server.rs), plus header, padding and MAC.
const _: () = assert!(MAX_PACKET >= 32 * 1024 + 1024);

/// What a client that sent a packet over [`MAX_PACKET`] is told.
pub const OVERSIZED_MESSAGE: &str = "packet too large (the limit is 48 KiB)";

/// Sends the client a disconnect message saying why, and cuts the socket if the client has not
/// closed it ~1 s later.
/// Returns false if there is no session to send it through yet (during the handshake): the
/// caller then fails the read at once.
fn refuse_packet(ctl: &std::sync::Arc<ConnCtl>) -> bool {
    let Some(handle) = ctl.handle.lock().ok().and_then(|g| g.clone()) else {
        return false;
    };
    let Ok(rt) = tokio::runtime::Handle::try_current() else {
        return false;
    };
    let ctl = std::sync::Arc::clone(ctl);
    rt.spawn(async move {
        let bye = handle.disconnect(
            russh::Disconnect::ProtocolError,
            OVERSIZED_MESSAGE.to_owned(),
            String::new(),
        );
        let _ = tokio::time::timeout(std::time::Duration::from_secs(1), bye).await;
        // The client closes once it has read the message; cut the socket if it lingers.
        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
        ctl.kill();
    });
    true
}

/// The error a connection ends with when its client sends a packet over [`MAX_PACKET`].
fn oversized_error() -> std::io::Error {
    std::io::Error::new(
        std::io::ErrorKind::InvalidData,
        "packet larger than the server accepts",
    )
}

impl<S: AsyncRead + Unpin> GuardedStream<S> {
    /// After a refused packet: reads and discards what the client still sends until it closes
    /// (EOF is passed on) or is cut. russh sees none of it. Closing a socket with unread input
    /// sends a reset, which would make the client's kernel drop the goodbye it has not read yet.
    fn drain(&mut self, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        let mut scratch = [0u8; 4096];
        // Bounded per call; the kill timer bounds it in time.
        for _ in 0..64 {
            let mut rb = ReadBuf::new(&mut scratch);
            match Pin::new(&mut self.inner).poll_read(cx, &mut rb) {
                Poll::Ready(Ok(())) if rb.filled().is_empty() => return Poll::Ready(Ok(())),
                Poll::Ready(Ok(())) => {
                    let n = rb.filled().len() as u64;
                    self.ctl.bytes_in.fetch_add(n, Ordering::Relaxed);
                }
                other => return other,
            }
        }
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for GuardedStream<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        self.ctl.waker.register(cx.waker());
        self.track_task();
        if self.ctl.is_killed() {
            return Poll::Ready(Err(killed_error()));
        }
        // russh reads each packet's body with `read_exact` into a buffer of exactly its
        // declared length: a read this large is a packet over the limit. None of it is read;
        // the client is told why, then the connection ends and russh's buffer goes with it.
        if buf.remaining() > MAX_PACKET
            && !self.ctl.oversized.swap(true, Ordering::SeqCst)
            && !refuse_packet(&self.ctl)
        {
            return Poll::Ready(Err(oversized_error()));
        }
        if self.ctl.oversized.load(Ordering::SeqCst) {
            return self.drain(cx);
        }
        let before = buf.filled().len();
        let r = Pin::new(&mut self.inner).poll_read(cx, buf);
        let n = buf.filled().len() - before;
        self.ctl.bytes_in.fetch_add(n as u64, Ordering::Relaxed);
        r
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for GuardedStream<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        // russh writes its version line before it reads anything.
        self.track_task();
        if self.ctl.is_killed() {
            return Poll::Ready(Err(killed_error()));
        }
        let r = Pin::new(&mut self.inner).poll_write(cx, buf);
        if let Poll::Ready(Ok(n)) = r {
            self.ctl.bytes_out.fetch_add(n as u64, Ordering::Relaxed);
        }
        r
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_refusal_names_the_limit() {
        assert!(OVERSIZED_MESSAGE.contains(&format!("{} KiB", MAX_PACKET / 1024)));
    }
}
