//! End-to-end harness: a real server on 127.0.0.1:0 in this process, russh clients, and a `vt100`
//! emulator standing in for the visitor's terminal.
//!
//! Every wait here is bounded: a helper that does not see what it waits for within its limit
//! panics with what it did see (the screen, the bytes), so a failing test says why.

#![allow(dead_code)]

use std::net::SocketAddr;
use std::num::NonZeroU16;
use std::path::Path;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use futures_util::task::AtomicWaker;
pub use resume_ssh::config::Limits;
use resume_ssh::resume::Resume;
use resume_ssh::server::Server;
use resume_ssh::shared::Shared;
use russh::client;
use russh::keys::{HashAlg, PublicKeyOrCertificate};
use russh::{ChannelMsg, ChannelWriteHalf};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tokio::time::{Instant, timeout, timeout_at};

/// The name on the shipped resume.
pub const NAME: &str = "Arunav Malhotra";
/// The shipped resume.
pub const RESUME_PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/resume.toml");
/// How long a helper waits for something that should happen at once.
pub const WAIT: Duration = Duration::from_secs(5);

pub fn shipped_resume() -> Resume {
    Resume::load(Path::new(RESUME_PATH)).expect("the shipped resume loads")
}

pub fn shipped_text() -> String {
    std::fs::read_to_string(RESUME_PATH).expect("read resume.toml")
}

/// Limits for tests: the defaults, but nothing that gets in the way of many quick connections.
pub fn test_limits() -> Limits {
    Limits {
        max_per_ip: 100,
        rate_per_ip_per_minute: 10_000,
        shutdown_grace: Duration::from_secs(3),
        ..Limits::default()
    }
}

/// The test process's resident set size in KiB (from /proc/self/status).
pub fn rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .expect("VmRSS in /proc/self/status")
}

// ---------------------------------------------------------------------------------------------
// The server

/// A server running in this process on a loopback port.
pub struct TestServer {
    pub addr: SocketAddr,
    pub shared: Arc<Shared>,
    /// The host key's `SHA256:…` fingerprint.
    pub fingerprint: String,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<anyhow::Result<()>>>,
    /// The server's own runtime, if it has one (see [`TestServer::isolated`]).
    runtime: Option<tokio::runtime::Runtime>,
    _dir: tempfile::TempDir,
}

impl TestServer {
    /// The shipped resume with [`test_limits`].
    pub async fn start() -> TestServer {
        TestServer::with(shipped_resume(), test_limits()).await
    }

    pub async fn with_limits(limits: Limits) -> TestServer {
        TestServer::with(shipped_resume(), limits).await
    }

    /// A server with `resume` and `limits` on the test's runtime, test hooks on (the exec command
    /// `__panic` panics).
    pub async fn with(resume: Resume, limits: Limits) -> TestServer {
        TestServer::build(resume, limits, None)
    }

    /// A server on a runtime of its own with two worker threads, like the server on a 2-core
    /// machine: the test's clients cannot lend it threads, and when the test ends the runtime is
    /// abandoned without waiting for work in progress.
    pub fn isolated(limits: Limits) -> TestServer {
        TestServer::isolated_on(limits, 2)
    }

    /// [`TestServer::isolated`] with `workers` worker threads.
    pub fn isolated_on(limits: Limits, workers: usize) -> TestServer {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(workers)
            .enable_all()
            .build()
            .expect("server runtime");
        TestServer::build(shipped_resume(), limits, Some(rt))
    }

    fn build(
        resume: Resume,
        limits: Limits,
        runtime: Option<tokio::runtime::Runtime>,
    ) -> TestServer {
        let dir = tempfile::tempdir().expect("temp dir");
        let (key, _) =
            resume_ssh::hostkey::load_or_create(&dir.path().join("key")).expect("host key");
        let fingerprint = resume_ssh::hostkey::fingerprint(&key);
        let shared = Arc::new(Shared::new(resume, limits).with_test_hooks());
        let std_listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        std_listener.set_nonblocking(true).expect("nonblocking");
        let addr = std_listener.local_addr().expect("local addr");
        let (tx, rx) = oneshot::channel::<()>();
        let server = Server::new(Arc::clone(&shared), key);
        let run = async move {
            let listener = tokio::net::TcpListener::from_std(std_listener)?;
            server
                .run(
                    vec![listener],
                    async move {
                        let _ = rx.await;
                    },
                    || {},
                )
                .await
        };
        let task = match &runtime {
            Some(rt) => rt.spawn(run),
            None => tokio::spawn(run),
        };
        TestServer {
            addr,
            shared,
            fingerprint,
            shutdown: Some(tx),
            task: Some(task),
            runtime,
            _dir: dir,
        }
    }

    /// Tells the server to stop accepting and end open sessions.
    pub fn trigger_shutdown(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }

    /// Waits (at most `limit`) for the server task to finish; returns how long it took.
    pub async fn join(&mut self, limit: Duration) -> Duration {
        let started = Instant::now();
        let task = self.task.take().expect("server task already joined");
        match timeout(limit, task).await {
            Ok(Ok(Ok(()))) => started.elapsed(),
            Ok(Ok(Err(e))) => panic!("server ended with an error: {e:#}"),
            Ok(Err(e)) => panic!("server task panicked: {e}"),
            Err(_) => panic!("server did not stop within {limit:?}"),
        }
    }

    /// Whether the server task is still running.
    pub fn is_running(&self) -> bool {
        self.task.as_ref().is_some_and(|t| !t.is_finished())
    }

    pub async fn connect(&self) -> Client {
        connect(self.addr).await
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.trigger_shutdown();
        if let Some(rt) = self.runtime.take() {
            rt.shutdown_background();
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The client

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

fn push_event(events: &mut Vec<Event>, e: Event) {
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

// ---------------------------------------------------------------------------------------------
// The terminal

/// What the background reader has seen on a TUI channel.
pub struct TermState {
    pub parser: vt100::Parser,
    /// Every data byte received, in order.
    pub raw: Vec<u8>,
    pub stderr: Vec<u8>,
    pub exit: Option<u32>,
    pub events: Vec<Event>,
    pub closed: bool,
    pub last_data: Instant,
    /// Whether data goes through the emulator (off: only counted and kept, which is faster).
    pub parsing: bool,
}

fn nz(v: u32) -> NonZeroU16 {
    NonZeroU16::new(u16::try_from(v.clamp(1, 500)).unwrap()).unwrap()
}

/// A TUI session: the channel's write half, and a background task feeding what the server sends
/// into a vt100 screen.
pub struct Term {
    pub write: ChannelWriteHalf<client::Msg>,
    pub state: Arc<Mutex<TermState>>,
    reader: JoinHandle<()>,
}

impl Drop for Term {
    fn drop(&mut self) {
        self.reader.abort();
    }
}

impl Term {
    pub fn new(channel: russh::Channel<client::Msg>, cols: u32, rows: u32) -> Term {
        let (mut read, write) = channel.split();
        let state = Arc::new(Mutex::new(TermState {
            parser: vt100::Parser::new(nz(rows), nz(cols), 0),
            raw: Vec::new(),
            stderr: Vec::new(),
            exit: None,
            events: Vec::new(),
            closed: false,
            last_data: Instant::now(),
            parsing: true,
        }));
        let st = Arc::clone(&state);
        let reader = tokio::spawn(async move {
            while let Some(msg) = read.wait().await {
                let mut s = st.lock().unwrap();
                match msg {
                    ChannelMsg::Data { data } => {
                        if s.parsing {
                            s.parser.process(&data);
                        }
                        s.raw.extend_from_slice(&data);
                        s.last_data = Instant::now();
                        push_event(&mut s.events, Event::Data);
                    }
                    ChannelMsg::ExtendedData { data, .. } => {
                        s.stderr.extend_from_slice(&data);
                        push_event(&mut s.events, Event::Stderr);
                    }
                    ChannelMsg::ExitStatus { exit_status } => {
                        s.exit = Some(exit_status);
                        push_event(&mut s.events, Event::Exit(exit_status));
                    }
                    ChannelMsg::Eof => push_event(&mut s.events, Event::Eof),
                    ChannelMsg::Close => {
                        s.closed = true;
                        push_event(&mut s.events, Event::Close);
                    }
                    _ => {}
                }
            }
            st.lock().unwrap().closed = true;
        });
        Term {
            write,
            state,
            reader,
        }
    }

    /// The screen as text (rows joined by newlines, trailing blanks trimmed).
    pub fn contents(&self) -> String {
        self.state.lock().unwrap().parser.screen().contents()
    }

    /// The screen's rows.
    pub fn rows(&self) -> Vec<String> {
        let s = self.state.lock().unwrap();
        let (_, cols) = s.parser.screen().size();
        s.parser.screen().rows(0, cols.get()).collect()
    }

    pub fn raw_len(&self) -> usize {
        self.state.lock().unwrap().raw.len()
    }

    /// A copy of the bytes received from `from` on.
    pub fn raw_since(&self, from: usize) -> Vec<u8> {
        self.state.lock().unwrap().raw[from..].to_vec()
    }

    pub fn exit(&self) -> Option<u32> {
        self.state.lock().unwrap().exit
    }

    pub fn events(&self) -> Vec<Event> {
        self.state.lock().unwrap().events.clone()
    }

    pub fn alternate_screen(&self) -> bool {
        self.state
            .lock()
            .unwrap()
            .parser
            .screen()
            .alternate_screen()
    }

    pub fn cursor_hidden(&self) -> bool {
        self.state.lock().unwrap().parser.screen().hide_cursor()
    }

    /// The scroll position shown in the body's bottom border ("1–23 of 36"), if any.
    pub fn position(&self) -> Option<String> {
        position_in(&self.rows())
    }

    pub async fn send(&self, bytes: &[u8]) {
        self.send_within(bytes, WAIT).await;
    }

    /// Sends input, waiting at most `limit` for the server to take it (its window to open).
    pub async fn send_within(&self, bytes: &[u8], limit: Duration) {
        timeout(limit, self.write.data_bytes(bytes.to_vec()))
            .await
            .unwrap_or_else(|_| panic!("the server took no input for {limit:?}"))
            .expect("sending input");
    }

    /// Turns the emulator off (bytes are only counted) or back on. While it is off the screen
    /// goes stale: after turning it on, force a full redraw (a size change).
    pub fn set_parsing(&self, on: bool) {
        self.state.lock().unwrap().parsing = on;
    }

    /// Changes the emulator's size only (when the server picks a size other than the one asked).
    pub fn set_screen(&self, cols: u32, rows: u32) {
        self.state
            .lock()
            .unwrap()
            .parser
            .set_size(nz(rows), nz(cols));
    }

    /// Tells the server and the emulator about a new size.
    pub async fn resize(&self, cols: u32, rows: u32) {
        self.state
            .lock()
            .unwrap()
            .parser
            .set_size(nz(rows), nz(cols));
        timeout(WAIT, self.write.window_change(cols, rows, 0, 0))
            .await
            .expect("window-change timed out")
            .expect("window-change");
    }

    /// Waits until `pred` holds on the state; panics with the screen after `limit`.
    pub async fn wait_for(
        &self,
        what: &str,
        limit: Duration,
        pred: impl Fn(&TermState) -> bool,
    ) -> Duration {
        let started = Instant::now();
        let deadline = started + limit;
        loop {
            {
                let s = self.state.lock().unwrap();
                if pred(&s) {
                    return started.elapsed();
                }
                if Instant::now() >= deadline {
                    panic!(
                        "timed out after {limit:?} waiting for {what}\n--- screen ---\n{}\n--- events: {:?}, exit: {:?}, {} bytes",
                        s.parser.screen().contents(),
                        s.events,
                        s.exit,
                        s.raw.len()
                    );
                }
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }

    /// Waits until the screen contains `text`.
    pub async fn wait_text(&self, text: &str) -> Duration {
        self.wait_for(&format!("{text:?} on screen"), WAIT, |s| {
            s.parser.screen().contents().contains(text)
        })
        .await
    }

    /// Waits until the screen no longer contains `text`.
    pub async fn wait_gone(&self, text: &str) {
        self.wait_for(&format!("{text:?} to disappear"), WAIT, |s| {
            !s.parser.screen().contents().contains(text)
        })
        .await;
    }

    /// Waits until the server sent `needle` at or after byte `from`.
    pub async fn wait_bytes(&self, from: usize, needle: &[u8]) {
        self.wait_for(&format!("bytes {needle:?}"), WAIT, |s| {
            contains(&s.raw[from.min(s.raw.len())..], needle)
        })
        .await;
    }

    /// Reads until nothing has arrived for `quiet` (at most `WAIT`); returns the bytes received.
    pub async fn settle(&self, quiet: Duration) -> usize {
        let start_len = self.raw_len();
        let deadline = Instant::now() + WAIT;
        loop {
            let last = self.state.lock().unwrap().last_data;
            let now = Instant::now();
            if now.duration_since(last) >= quiet || now >= deadline {
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        self.raw_len() - start_len
    }

    /// Bytes received during the next `d`.
    pub async fn bytes_during(&self, d: Duration) -> usize {
        let before = self.raw_len();
        tokio::time::sleep(d).await;
        self.raw_len() - before
    }

    /// Presses Esc as a terminal would: a lone ESC; when the server asks for a status report,
    /// answers it (the answer tells the server nothing else follows the ESC).
    pub async fn press_esc(&self) {
        let from = self.raw_len();
        self.send(b"\x1b").await;
        self.wait_bytes(from, b"\x1b[5n").await;
        self.send(b"\x1b[0n").await;
    }

    /// Waits for the channel to close; returns the exit status.
    pub async fn wait_closed(&self) -> Option<u32> {
        self.wait_for("the channel to close", WAIT, |s| s.closed)
            .await;
        self.exit()
    }

    /// The first frame: waits for the name, then for output to stop.
    pub async fn first_frame(&self) -> usize {
        self.wait_text(NAME).await;
        self.settle(Duration::from_millis(150)).await;
        self.raw_len()
    }
}

/// The screen the server should show for `tab` at a size (at the top, no overlay), as rows
/// with trailing blanks trimmed: what `resume-ssh render` prints.
pub fn expected_screen(
    resume: &Resume,
    tab: resume_ssh::content::SectionId,
    cols: u16,
    rows: u16,
    term: &str,
) -> Vec<String> {
    let opts = resume_ssh::render::Options {
        size: resume_ssh::terminal::Size::new(cols, rows),
        tab,
        term: term.to_owned(),
        help: false,
    };
    String::from_utf8(resume_ssh::render::text(resume, &opts))
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

impl Term {
    /// Waits until the emulator's screen is exactly `want` (rows, trailing blanks ignored).
    pub async fn wait_screen(&self, what: &str, want: &[String]) {
        let want: Vec<String> = want.iter().map(|r| r.trim_end().to_owned()).collect();
        let matches = |s: &TermState| {
            let (_, cols) = s.parser.screen().size();
            let rows: Vec<String> = s
                .parser
                .screen()
                .rows(0, cols.get())
                .map(|r| r.trim_end().to_owned())
                .collect();
            rows == want
        };
        let deadline = Instant::now() + WAIT;
        loop {
            if matches(&self.state.lock().unwrap()) {
                return;
            }
            if Instant::now() >= deadline {
                let got = self.rows();
                let diff: Vec<String> = got
                    .iter()
                    .map(|r| r.trim_end())
                    .zip(want.iter())
                    .enumerate()
                    .filter(|(_, (g, w))| g != w)
                    .map(|(i, (g, w))| format!("row {i}:\n  got  {g:?}\n  want {w:?}"))
                    .collect();
                panic!(
                    "screen is not {what} ({} rows vs {} wanted):\n{}",
                    got.len(),
                    want.len(),
                    diff.join("\n")
                );
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }
}

/// Extracts "N–M of T" (or "All") from the body's bottom border.
pub fn position_in(rows: &[String]) -> Option<String> {
    let row = rows
        .iter()
        .rev()
        .find(|r| r.starts_with('╰') || (r.starts_with('+') && r.trim_end().ends_with('+')))?;
    let inner = row
        .trim_start_matches(['╰', '+'])
        .trim_end()
        .trim_end_matches(['╯', '+'])
        .trim_matches(['─', '-'])
        .trim();
    if inner.is_empty() {
        None
    } else {
        Some(inner.to_owned())
    }
}

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
