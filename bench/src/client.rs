//! One SSH session as loadgen drives it (russh's client): connect through a byte-counting socket,
//! auth "none", PTY and shell (or exec), read until the first frame is complete, and close.
//!
//! A frame is "complete" when a vt100 screen fed with the channel's data shows the marker (by
//! default "quit", from the footer) on its last row; with `--until close` the session ends when the
//! server closes the channel (for an exec that prints and exits, such as OpenSSH's ForceCommand).

use std::borrow::Cow;
use std::num::NonZeroU16;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail};
use russh::client;
use russh::keys::PublicKeyOrCertificate;
use russh::{ChannelMsg, ChannelReadHalf, ChannelWriteHalf, Disconnect, Preferred, kex};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

use crate::cli::{CloseHow, SessionArgs, Until};

pub struct AcceptAny;

impl client::Handler for AcceptAny {
    type Error = russh::Error;

    async fn check_server_key(
        &mut self,
        _key: &PublicKeyOrCertificate,
    ) -> Result<bool, Self::Error> {
        Ok(true)
    }
}

/// Bytes on the wire, counted by a socket wrapper.
#[derive(Default)]
pub struct Wire {
    pub rx: AtomicU64,
    pub tx: AtomicU64,
}

pub struct Counted<S> {
    pub inner: S,
    pub session: Arc<Wire>,
    pub global: Arc<Wire>,
}

impl<S: AsyncRead + Unpin> AsyncRead for Counted<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let r = Pin::new(&mut self.inner).poll_read(cx, buf);
        let n = (buf.filled().len() - before) as u64;
        if n > 0 {
            self.session.rx.fetch_add(n, Ordering::Relaxed);
            self.global.rx.fetch_add(n, Ordering::Relaxed);
        }
        r
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Counted<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let r = Pin::new(&mut self.inner).poll_write(cx, buf);
        if let Poll::Ready(Ok(n)) = r {
            self.session.tx.fetch_add(n as u64, Ordering::Relaxed);
            self.global.tx.fetch_add(n as u64, Ordering::Relaxed);
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

pub fn client_config(force_kex: Option<&str>) -> anyhow::Result<Arc<client::Config>> {
    let mut preferred = Preferred::default();
    if let Some(name) = force_kex {
        let k = kex::Name::try_from(name).map_err(|_| anyhow!("unknown key exchange '{name}'"))?;
        preferred.kex = Cow::Owned(vec![
            k,
            kex::EXTENSION_SUPPORT_AS_CLIENT,
            kex::EXTENSION_OPENSSH_STRICT_KEX_AS_CLIENT,
        ]);
    }
    Ok(Arc::new(client::Config {
        preferred,
        nodelay: true,
        inactivity_timeout: None,
        keepalive_interval: None,
        ..client::Config::default()
    }))
}

/// One open session after its first frame.
pub struct Open {
    pub handle: client::Handle<AcceptAny>,
    pub read: ChannelReadHalf,
    pub write: ChannelWriteHalf<client::Msg>,
    pub screen: vt100::Parser,
    pub wire: Arc<Wire>,
    /// TCP connect → first complete frame.
    pub latency: Duration,
    /// Channel data bytes up to and including the first complete frame.
    pub frame_bytes: usize,
    /// Whether the server already closed the channel.
    pub closed: bool,
}

pub fn nz(v: u16) -> NonZeroU16 {
    NonZeroU16::new(v.max(1)).unwrap_or(NonZeroU16::MIN)
}

pub fn last_row_has(screen: &vt100::Parser, marker: &str) -> bool {
    let (rows, cols) = screen.screen().size();
    let last = rows.get() - 1;
    screen
        .screen()
        .contents_between(last, 0, last, cols.get())
        .contains(marker)
}

pub async fn step<T>(
    secs: u64,
    what: &str,
    f: impl std::future::Future<Output = T>,
) -> anyhow::Result<T> {
    tokio::time::timeout(Duration::from_secs(secs), f)
        .await
        .map_err(|_| anyhow!("{what}: timed out after {secs} s"))
}

/// Handshake, anonymous auth, a session channel, the PTY (unless `--no-pty`) and the shell or
/// the exec command: what every mode does before it reads the server's output.
pub async fn start_session<S>(
    a: &SessionArgs,
    cfg: Arc<client::Config>,
    stream: S,
) -> anyhow::Result<(client::Handle<AcceptAny>, russh::Channel<client::Msg>)>
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let t = a.step_timeout;
    let mut handle = step(
        t,
        "handshake",
        client::connect_stream(cfg, stream, AcceptAny),
    )
    .await??;
    if !step(t, "auth", handle.authenticate_none(a.user.clone()))
        .await??
        .success()
    {
        bail!("auth none refused");
    }
    let channel = step(t, "channel open", handle.channel_open_session()).await??;
    if a.no_color {
        channel.set_env(false, "NO_COLOR", "1").await?;
    }
    if !a.no_pty {
        channel
            .request_pty(
                false,
                &a.term,
                u32::from(a.cols),
                u32::from(a.rows),
                0,
                0,
                &[],
            )
            .await?;
    }
    match &a.exec {
        Some(c) => channel.exec(false, c.as_bytes()).await?,
        None => channel.request_shell(false).await?,
    }
    Ok((handle, channel))
}

/// Connects, authenticates, opens the PTY session and waits for the first complete frame.
pub async fn open_session(
    a: &SessionArgs,
    cfg: &Arc<client::Config>,
    global: &Arc<Wire>,
) -> anyhow::Result<Open> {
    let t = a.step_timeout;
    let started = Instant::now();
    let tcp = step(t, "connect", tokio::net::TcpStream::connect(a.addr)).await??;
    tcp.set_nodelay(true)?;
    let wire = Arc::new(Wire::default());
    let stream = Counted {
        inner: tcp,
        session: Arc::clone(&wire),
        global: Arc::clone(global),
    };
    let (handle, channel) = start_session(a, Arc::clone(cfg), stream).await?;
    let (mut read, write) = channel.split();
    let mut screen = vt100::Parser::new(nz(a.rows), nz(a.cols), 0);
    let mut frame_bytes = 0usize;
    let mut closed = false;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(t);
    loop {
        let msg = tokio::time::timeout_at(deadline, read.wait())
            .await
            .map_err(|_| {
                anyhow!("first frame: timed out after {t} s ({frame_bytes} bytes seen)")
            })?;
        match msg {
            Some(ChannelMsg::Data { data }) | Some(ChannelMsg::ExtendedData { data, .. }) => {
                frame_bytes += data.len();
                screen.process(&data);
                match a.until {
                    Until::Marker if last_row_has(&screen, &a.marker) => break,
                    Until::Frame => match a.expect_bytes {
                        Some(n) if frame_bytes >= n => break,
                        Some(_) => {}
                        None => bail!("--until frame without an expected frame"),
                    },
                    _ => {}
                }
            }
            Some(ChannelMsg::Close) | None => {
                closed = true;
                if a.until == Until::Close {
                    break;
                }
                bail!("channel closed before the frame was complete ({frame_bytes} bytes)");
            }
            Some(ChannelMsg::Eof) if a.until == Until::Close => {
                // Wait for the close that follows, but the output is complete.
            }
            Some(_) => {}
        }
    }
    Ok(Open {
        latency: started.elapsed(),
        handle,
        read,
        write,
        screen,
        wire,
        frame_bytes,
        closed,
    })
}

/// Ends a session the way `a.close` says, bounded in time.
pub async fn close_session(a: &SessionArgs, mut s: Open) -> anyhow::Result<()> {
    if a.close == CloseHow::Q && !s.closed && a.until != Until::Close {
        let _ = s.write.data(&b"q"[..]).await;
        let deadline = tokio::time::Instant::now() + Duration::from_secs(a.step_timeout);
        loop {
            match tokio::time::timeout_at(deadline, s.read.wait()).await {
                Err(_) => bail!("close: the server did not close the channel after q"),
                Ok(None) | Ok(Some(ChannelMsg::Close)) => break,
                Ok(Some(_)) => {}
            }
        }
    }
    let _ = s
        .handle
        .disconnect(Disconnect::ByApplication, "", "en")
        .await;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Statistics
