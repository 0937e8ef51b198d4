//! Per-connection control shared between the accept loop, the SSH handler and the deadline task:
//! a kill switch wired into the socket, byte counters, activity time and the open TUI channel.

use std::pin::Pin;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::task::{Context, Poll};
use std::time::Instant;

use futures_util::task::AtomicWaker;
use russh::ChannelId;
use russh::server::Handle;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

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
    /// Milliseconds since `started` of the last input from the client.
    last_input_ms: AtomicU64,
    /// Set once the connection is being ended from outside: the handler stops drawing.
    pub ending: AtomicBool,
    /// Why it is being ended, and when the socket is cut if the client lingers.
    end: Mutex<Option<(EndReason, Instant)>>,
    /// The SSH session's handle, once the handshake has begun.
    pub handle: Mutex<Option<Handle>>,
    /// The channel showing the TUI, for messages from outside the handler.
    pub tui: Mutex<Option<(ChannelId, Handle)>>,
    /// Filled in by the handler, logged when the connection ends.
    pub summary: Mutex<Summary>,
    /// What the connection may still spend, and what it did.
    pub budget: std::sync::Arc<crate::budget::Budget>,
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
            last_input_ms: AtomicU64::new(0),
            ending: AtomicBool::new(false),
            end: Mutex::new(None),
            handle: Mutex::new(None),
            tui: Mutex::new(None),
            summary: Mutex::new(Summary::default()),
            budget: Default::default(),
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
        let Ok(mut g) = self.end.lock() else {
            return false;
        };
        if g.is_some() {
            return false;
        }
        *g = Some((why, cut_at));
        self.ending.store(true, Ordering::SeqCst);
        true
    }

    /// Why and until when the connection is being ended, if it is.
    pub fn end(&self) -> Option<(EndReason, Instant)> {
        self.end.lock().ok().and_then(|g| *g)
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
        if let Ok(mut s) = self.summary.lock() {
            f(&mut s);
        }
    }

    /// The TUI channel and its session handle, if a TUI is showing.
    pub fn tui_handle(&self) -> Option<(ChannelId, Handle)> {
        self.tui.lock().ok().and_then(|g| g.clone())
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
