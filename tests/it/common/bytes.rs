//! Byte-level helpers: searching what the server sent, the colours it set, a stream whose reads
//! can be paused, and reading a raw TCP socket to its end.

use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use futures_util::task::AtomicWaker;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::time::{Instant, timeout_at};

pub fn contains(hay: &[u8], needle: &[u8]) -> bool {
    needle.is_empty() || hay.windows(needle.len()).any(|w| w == needle)
}

/// The SGR parameters of every `ESC [ … m` in `bytes` that sets a colour (foreground or
/// background, any depth). Empty means the output is colourless.
pub fn colour_sgrs(bytes: &[u8]) -> Vec<String> {
    let mut found = Vec::new();
    let mut i = 0;
    while i + 1 < bytes.len() {
        if bytes[i] == 0x1b && bytes[i + 1] == b'[' {
            let start = i + 2;
            let mut j = start;
            while j < bytes.len() && (bytes[j].is_ascii_digit() || bytes[j] == b';') {
                j += 1;
            }
            if j < bytes.len() && bytes[j] == b'm' {
                let params = std::str::from_utf8(&bytes[start..j]).unwrap();
                let nums: Vec<u32> = params.split(';').map(|p| p.parse().unwrap_or(0)).collect();
                let mut k = 0;
                let mut colour = false;
                while k < nums.len() {
                    match nums[k] {
                        30..=37 | 40..=47 | 90..=97 | 100..=107 => colour = true,
                        38 | 48 => {
                            colour = true;
                            // 38;5;n or 38;2;r;g;b: skip the sub-parameters.
                            k += match nums.get(k + 1) {
                                Some(5) => 2,
                                Some(2) => 4,
                                _ => 0,
                            };
                        }
                        _ => {}
                    }
                    k += 1;
                }
                if colour {
                    found.push(params.to_owned());
                }
            }
            i = j.max(i + 1);
        } else {
            i += 1;
        }
    }
    found
}

// ---------------------------------------------------------------------------------------------
// A stream whose reads can be paused: a client that stops reading but keeps writing.

/// Wraps a stream; while paused, reads return Pending (the peer's data piles up in the kernel
/// buffers and then at the peer), writes go on.
pub struct Pausable<S> {
    inner: S,
    ctl: Arc<PauseCtl>,
}

#[derive(Default)]
pub struct PauseCtl {
    paused: AtomicBool,
    waker: AtomicWaker,
}

impl PauseCtl {
    pub fn pause(&self) {
        self.paused.store(true, Ordering::SeqCst);
    }

    pub fn resume(&self) {
        self.paused.store(false, Ordering::SeqCst);
        self.waker.wake();
    }
}

impl<S> Pausable<S> {
    pub fn new(inner: S) -> (Pausable<S>, Arc<PauseCtl>) {
        let ctl = Arc::new(PauseCtl::default());
        (
            Pausable {
                inner,
                ctl: Arc::clone(&ctl),
            },
            ctl,
        )
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for Pausable<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        self.ctl.waker.register(cx.waker());
        if self.ctl.paused.load(Ordering::SeqCst) {
            return Poll::Pending;
        }
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Pausable<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

// ---------------------------------------------------------------------------------------------
// Raw TCP

/// Connects with a plain socket and reads until the server closes it (or `limit` passes).
/// Returns the bytes and whether the server closed within the limit.
pub async fn raw_read_all(stream: &mut tokio::net::TcpStream, limit: Duration) -> (Vec<u8>, bool) {
    use tokio::io::AsyncReadExt;
    let deadline = Instant::now() + limit;
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match timeout_at(deadline, stream.read(&mut buf)).await {
            Err(_) => return (out, false),
            Ok(Ok(0)) | Ok(Err(_)) => return (out, true),
            Ok(Ok(n)) => out.extend_from_slice(&buf[..n]),
        }
    }
}
