//! The floor for benchmarks: a bare russh server with resume-ssh's own `ssh_config` (same
//! algorithms, Ed25519 host key, anonymous auth, nodelay, window and buffer sizes), and nothing
//! else: no admission control, no per-connection bookkeeping, no logging, no TUI.
//!
//! On a shell request after a PTY request it sends resume-ssh's exact first frame for that
//! client's size, TERM and NO_COLOR, rendered through the library before the server starts for
//! every visitor of the mixed workload (bench/src/workload.rs) and for 100×30 xterm-256color
//! (a visitor outside those is drawn when it comes), or the bytes of `--frame FILE` for
//! everyone. So both servers put the same bytes on the wire, and the floor draws nothing per
//! visitor. Any `q` from the client closes the channel. It stops by itself after `--max-seconds`, or on SIGINT/SIGTERM.
//!
//! ```text
//! cargo build --release        # at the workspace root: builds this too (bench/ is a default member)
//! target/release/bare_server --listen 127.0.0.1:2300 --host-key /tmp/k --resume resume.toml
//! ```

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use clap::Parser;
use resume_ssh::terminal::Size;
use resume_ssh_bench::expected::Frames;
use resume_ssh_bench::workload::Workload;
use russh::server::{Auth, Handler, Msg, Session};
use russh::{Channel, ChannelId, Pty};

#[derive(Parser, Debug)]
#[command(
    name = "bare_server",
    about = "A bare russh server that sends one fixed frame"
)]
struct Args {
    #[arg(long, default_value = "127.0.0.1:2300")]
    listen: SocketAddr,
    /// Ed25519 host key (created if missing).
    #[arg(long)]
    host_key: PathBuf,
    /// Render resume-ssh's first 100×30 frame of this resume.
    #[arg(long, default_value = "resume.toml")]
    resume: PathBuf,
    /// Send the bytes of this file instead, to everyone (e.g. captured with `loadgen capture`).
    #[arg(long)]
    frame: Option<PathBuf>,
    /// Which visitors' frames to draw before starting (`identical`: only 100×30 xterm-256color).
    #[arg(long, value_enum, default_value_t = Workload::Mixed)]
    workload: Workload,
    /// Stop after this many seconds.
    #[arg(long, default_value_t = 3600)]
    max_seconds: u64,
}

/// What the server sends as the first frame.
enum FrameSource {
    Fixed(Arc<Vec<u8>>),
    Drawn(Frames),
}

struct Bare {
    frames: Arc<FrameSource>,
    /// (cols, rows, TERM) from the PTY request.
    pty: Option<(u16, u16, String)>,
    no_color: bool,
}

impl Handler for Bare {
    type Error = russh::Error;

    async fn auth_none(&mut self, _user: &str) -> Result<Auth, Self::Error> {
        Ok(Auth::Accept)
    }

    async fn channel_open_session(
        &mut self,
        channel: Channel<Msg>,
        reply: russh::server::ChannelOpenHandle,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        drop(channel);
        reply.accept().await;
        Ok(())
    }

    async fn pty_request(
        &mut self,
        channel: ChannelId,
        term: &str,
        cols: u32,
        rows: u32,
        _pw: u32,
        _ph: u32,
        _modes: &[(Pty, u32)],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        let size = Size::clamped(cols, rows);
        self.pty = Some((size.cols, size.rows, term.to_owned()));
        session.channel_success(channel)
    }

    async fn env_request(
        &mut self,
        channel: ChannelId,
        name: &str,
        _value: &str,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        if name == "NO_COLOR" {
            self.no_color = true;
        }
        session.channel_success(channel)
    }

    async fn shell_request(
        &mut self,
        channel: ChannelId,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        session.channel_success(channel)?;
        if let Some((cols, rows, term)) = &self.pty {
            let frame = match &*self.frames {
                FrameSource::Fixed(f) => Arc::clone(f),
                FrameSource::Drawn(d) => d.get(*cols, *rows, term, self.no_color),
            };
            session.data(channel, frame.as_ref().clone())?;
        }
        Ok(())
    }

    async fn data(
        &mut self,
        channel: ChannelId,
        data: &[u8],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        if data.contains(&b'q') {
            session.exit_status_request(channel, 0)?;
            session.eof(channel)?;
            session.close(channel)?;
        }
        Ok(())
    }
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let frames = match &args.frame {
        Some(p) => FrameSource::Fixed(Arc::new(
            std::fs::read(p).with_context(|| format!("read {}", p.display()))?,
        )),
        None => FrameSource::Drawn(Frames::load(
            &args.resume,
            args.workload,
            (100, 30, "xterm-256color", false),
        )?),
    };
    // What the 100×30 xterm-256color visitor gets (printed for scripts and tests).
    let frame = match &frames {
        FrameSource::Fixed(f) => Arc::clone(f),
        FrameSource::Drawn(d) => d.get(100, 30, "xterm-256color", false),
    };
    let frames = Arc::new(frames);
    let (key, _) = resume_ssh::hostkey::load_or_create(&args.host_key)?;
    let config = Arc::new(resume_ssh::server::ssh_config(key));
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(args.listen).await?;
        eprintln!(
            "bare-server listening on {} (frame {} bytes)",
            listener.local_addr()?,
            frame.len()
        );
        let stop = async {
            use tokio::signal::unix::{SignalKind, signal};
            let mut term = signal(SignalKind::terminate())?;
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
                _ = tokio::time::sleep(Duration::from_secs(args.max_seconds)) => {}
            }
            Ok::<_, anyhow::Error>(())
        };
        tokio::pin!(stop);
        loop {
            tokio::select! {
                _ = &mut stop => break,
                accepted = listener.accept() => {
                    let (stream, _) = match accepted {
                        Ok(a) => a,
                        Err(_) => {
                            tokio::time::sleep(Duration::from_millis(50)).await;
                            continue;
                        }
                    };
                    let _ = stream.set_nodelay(true);
                    let config = Arc::clone(&config);
                    let handler = Bare { frames: Arc::clone(&frames), pty: None, no_color: false };
                    tokio::spawn(async move {
                        if let Ok(session) = russh::server::run_stream(config, stream, handler).await {
                            let _ = session.await;
                        }
                    });
                }
            }
        }
        Ok(())
    })
}
