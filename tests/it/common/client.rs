//! The client side: russh connections that authenticate anonymously, commands run to the end
//! (`Output`), and TUI sessions opened with a PTY (`TuiOpts`, handed to a `Term`).

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use russh::ChannelMsg;
use russh::client;
use russh::keys::{HashAlg, PublicKeyOrCertificate};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::time::{Instant, timeout, timeout_at};

use super::WAIT;
use super::term::Term;

/// Accepts any host key and records its fingerprint.
pub struct Recorder {
    fingerprint: Arc<Mutex<Option<String>>>,
}

impl client::Handler for Recorder {
    type Error = russh::Error;

    async fn check_server_key(
        &mut self,
        key: &PublicKeyOrCertificate,
    ) -> Result<bool, Self::Error> {
        let fp = key.public_key().fingerprint(HashAlg::Sha256).to_string();
        *self.fingerprint.lock().unwrap() = Some(fp);
        Ok(true)
    }
}

/// The client configuration tests use unless they need something else.
pub fn client_config() -> client::Config {
    client::Config {
        inactivity_timeout: Some(Duration::from_secs(60)),
        nodelay: true,
        ..client::Config::default()
    }
}

/// One authenticated SSH connection.
pub struct Client {
    pub handle: client::Handle<Recorder>,
    /// The server's host key fingerprint as the client saw it.
    pub server_fingerprint: String,
}

pub async fn connect(addr: SocketAddr) -> Client {
    connect_with(addr, client_config()).await
}

pub async fn connect_with(addr: SocketAddr, config: client::Config) -> Client {
    let stream = timeout(WAIT, tokio::net::TcpStream::connect(addr))
        .await
        .expect("TCP connect timed out")
        .expect("TCP connect");
    stream.set_nodelay(true).ok();
    connect_stream(stream, config).await
}

/// Tries the SSH handshake and authentication; the error if either fails.
pub async fn try_connect(addr: SocketAddr) -> Result<(), String> {
    let recorder = Recorder {
        fingerprint: Arc::new(Mutex::new(None)),
    };
    let mut handle = client::connect(Arc::new(client_config()), addr, recorder)
        .await
        .map_err(|e| e.to_string())?;
    let auth = handle
        .authenticate_none("visitor")
        .await
        .map_err(|e| e.to_string())?;
    if auth.success() {
        Ok(())
    } else {
        Err("authentication refused".into())
    }
}

/// Runs the SSH handshake and anonymous authentication over any stream.
pub async fn connect_stream<S>(stream: S, config: client::Config) -> Client
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let fingerprint = Arc::new(Mutex::new(None));
    let recorder = Recorder {
        fingerprint: Arc::clone(&fingerprint),
    };
    let fut = async {
        let mut handle = client::connect_stream(Arc::new(config), stream, recorder)
            .await
            .expect("SSH handshake");
        let auth = handle
            .authenticate_none("visitor")
            .await
            .expect("auth request");
        assert!(auth.success(), "anonymous authentication was refused");
        // A tuple: the handle itself is a future (of the session's end).
        (handle,)
    };
    let (handle,) = timeout(WAIT, fut).await.expect("SSH connect timed out");
    let server_fingerprint = fingerprint
        .lock()
        .unwrap()
        .clone()
        .expect("check_server_key was called");
    Client {
        handle,
        server_fingerprint,
    }
}

/// What a channel reported, in order (consecutive data collapsed into one entry).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    Data,
    Stderr,
    Exit(u32),
    Eof,
    Close,
}

/// Everything a finished command sent.
#[derive(Debug, Default)]
pub struct Output {
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    pub exit: Option<u32>,
    pub events: Vec<Event>,
}

impl Output {
    pub fn text(&self) -> String {
        String::from_utf8(self.stdout.clone()).expect("stdout is UTF-8")
    }

    pub fn stderr_text(&self) -> String {
        String::from_utf8_lossy(&self.stderr).into_owned()
    }

    pub fn closed(&self) -> bool {
        self.events.contains(&Event::Close)
    }
}

pub(super) fn push_event(events: &mut Vec<Event>, e: Event) {
    if events.last() != Some(&e) {
        events.push(e);
    }
}

/// Reads a channel until it closes (or `limit` passes), with `delay` between reads.
pub async fn collect(
    read: &mut russh::ChannelReadHalf,
    limit: Duration,
    delay: Option<Duration>,
) -> Output {
    let deadline = Instant::now() + limit;
    let mut out = Output::default();
    loop {
        let msg = match timeout_at(deadline, read.wait()).await {
            Err(_) => break,
            Ok(None) => break,
            Ok(Some(m)) => m,
        };
        match msg {
            ChannelMsg::Data { data } => {
                out.stdout.extend_from_slice(&data);
                push_event(&mut out.events, Event::Data);
                if let Some(d) = delay {
                    tokio::time::sleep(d).await;
                }
            }
            ChannelMsg::ExtendedData { data, ext } => {
                assert_eq!(ext, 1, "extended data other than stderr");
                out.stderr.extend_from_slice(&data);
                push_event(&mut out.events, Event::Stderr);
            }
            ChannelMsg::ExitStatus { exit_status } => {
                out.exit = Some(exit_status);
                push_event(&mut out.events, Event::Exit(exit_status));
            }
            ChannelMsg::Eof => push_event(&mut out.events, Event::Eof),
            ChannelMsg::Close => {
                push_event(&mut out.events, Event::Close);
                break;
            }
            _ => {}
        }
    }
    out
}

/// A PTY request: TERM and size.
#[derive(Debug, Clone, Copy)]
pub struct Pty<'a> {
    pub term: &'a str,
    pub cols: u32,
    pub rows: u32,
}

impl Client {
    /// Runs a command (exec request; `None` = shell request) and collects what it sends.
    pub async fn run(&self, command: Option<&[u8]>, pty: Option<Pty<'_>>) -> Output {
        let channel = timeout(WAIT, self.handle.channel_open_session())
            .await
            .expect("channel open timed out")
            .expect("channel open");
        if let Some(p) = pty {
            channel
                .request_pty(false, p.term, p.cols, p.rows, 0, 0, &[])
                .await
                .expect("pty-req");
        }
        match command {
            Some(c) => channel.exec(false, c).await.expect("exec"),
            None => channel.request_shell(false).await.expect("shell"),
        }
        let (mut read, _write) = channel.split();
        collect(&mut read, Duration::from_secs(10), None).await
    }

    /// `ssh host COMMAND` without a PTY.
    pub async fn exec(&self, command: impl AsRef<[u8]>) -> Output {
        self.run(Some(command.as_ref()), None).await
    }

    /// Opens a session with a PTY and starts the TUI (shell, or exec of `command`).
    pub async fn tui(&self, opts: TuiOpts<'_>) -> Term {
        let channel = timeout(WAIT, self.handle.channel_open_session())
            .await
            .expect("channel open timed out")
            .expect("channel open");
        for (k, v) in opts.env {
            channel.set_env(false, *k, *v).await.expect("env");
        }
        channel
            .request_pty(false, opts.term, opts.cols, opts.rows, 0, 0, &[])
            .await
            .expect("pty-req");
        match opts.exec {
            Some(c) => channel.exec(false, c).await.expect("exec"),
            None => channel.request_shell(false).await.expect("shell"),
        }
        Term::new(channel, opts.cols, opts.rows)
    }
}

/// How to open a TUI session.
#[derive(Debug, Clone, Copy)]
pub struct TuiOpts<'a> {
    pub term: &'a str,
    pub cols: u32,
    pub rows: u32,
    pub env: &'a [(&'a str, &'a str)],
    pub exec: Option<&'a str>,
}

impl Default for TuiOpts<'_> {
    fn default() -> Self {
        TuiOpts {
            term: "xterm-256color",
            cols: 100,
            rows: 30,
            env: &[],
            exec: None,
        }
    }
}

/// Connects from `source` (any address in 127.0.0.0/8 is this machine), so one test plays
/// visitors from several addresses.
pub async fn connect_from(source: &str, addr: SocketAddr) -> Client {
    let socket = tokio::net::TcpSocket::new_v4().expect("socket");
    socket
        .bind(format!("{source}:0").parse().expect("source address"))
        .expect("bind the source address");
    let stream = timeout(WAIT, socket.connect(addr))
        .await
        .expect("TCP connect timed out")
        .expect("TCP connect");
    stream.set_nodelay(true).ok();
    connect_stream(stream, client_config()).await
}
