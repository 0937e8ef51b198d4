//! `loadgen`: a load generator for resume-ssh (and for any SSH server it is compared with), built
//! on russh's client.
//!
//! Every mode is bounded in session count and in time, talks to the address it is given (meant
//! for 127.0.0.1 only) and stops by itself.
//!
//! - `handshake`: full sessions in a loop (TCP, key exchange, auth none, PTY, shell, first
//!   complete frame, close): sessions/s, connect→frame latency, first-frame bytes, and the server's
//!   CPU per session from /proc/PID/stat.
//! - `idle`: N TUI sessions held open: server RSS growth per session, server CPU and bytes on the
//!   wire while they idle.
//! - `keys`: a tab switch and a one-line scroll per session: bytes and latency of each update.
//! - `inproc`: the resume-ssh server started inside this process, sessions one at a time: the
//!   connect→first-frame latency without a second process in the way.
//!
//! A frame is "complete" when a vt100 screen fed with the channel's data shows the marker (by
//! default "quit", from the footer) on its last row; with `--until close` the session ends when the
//! server closes the channel (for an exec that prints and exits, such as OpenSSH's ForceCommand).

use std::borrow::Cow;
use std::net::SocketAddr;
use std::num::NonZeroU16;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use anyhow::{Context as _, anyhow, bail};
use clap::{Args, Parser, Subcommand, ValueEnum};
use russh::client;
use russh::keys::PublicKeyOrCertificate;
use russh::{ChannelMsg, ChannelReadHalf, ChannelWriteHalf, Disconnect, Preferred, kex};
use serde_json::json;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::sync::{Semaphore, watch};

#[derive(Parser, Debug)]
#[command(
    name = "loadgen",
    about = "Load generator for resume-ssh benchmarks (loopback only)"
)]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand, Debug)]
enum Cmd {
    /// Full sessions in a loop: throughput, latency and server CPU per session.
    Handshake(HandshakeArgs),
    /// Hold N idle TUI sessions: server memory per session, CPU and bytes while idle.
    Idle(IdleArgs),
    /// Tab switch (Right) and one-line scroll (j) in each session: bytes and latency per update.
    Keys(KeysArgs),
    /// Start resume-ssh in this process and measure connect→first frame, one session at a time.
    Inproc(InprocArgs),
    /// Write the data bytes of one session's first complete frame to a file.
    Capture(CaptureArgs),
}

#[derive(Copy, Clone, Debug, ValueEnum, PartialEq, Eq)]
enum Until {
    /// The last screen row shows the marker.
    Marker,
    /// The server closes the channel (exec that prints and exits).
    Close,
}

#[derive(Copy, Clone, Debug, ValueEnum, PartialEq, Eq)]
enum CloseHow {
    /// Press q, wait for the server to close the channel, then disconnect.
    Q,
    /// Disconnect at once.
    Disconnect,
}

/// What one session does, shared by all modes.
#[derive(Args, Debug, Clone)]
struct SessionArgs {
    /// Server address (loopback only).
    #[arg(long)]
    addr: SocketAddr,
    /// SSH user name (auth "none").
    #[arg(long, default_value = "visitor")]
    user: String,
    /// Only offer this key exchange (e.g. curve25519-sha256) so that client and server costs
    /// compare like with like; the default is russh's own list.
    #[arg(long)]
    force_kex: Option<String>,
    #[arg(long, default_value_t = 100)]
    cols: u16,
    #[arg(long, default_value_t = 30)]
    rows: u16,
    #[arg(long, default_value = "xterm-256color")]
    term: String,
    /// Do not request a PTY.
    #[arg(long)]
    no_pty: bool,
    /// Run this command (exec request) instead of a shell.
    #[arg(long)]
    exec: Option<String>,
    /// When the first frame is complete.
    #[arg(long, value_enum, default_value_t = Until::Marker)]
    until: Until,
    /// The text the last row shows once the frame is complete.
    #[arg(long, default_value = "quit")]
    marker: String,
    /// How a session ends (after its frame).
    #[arg(long, value_enum, default_value_t = CloseHow::Q)]
    close: CloseHow,
    /// Limit for each step of a session (connect, handshake, frame, close), in seconds.
    #[arg(long, default_value_t = 10)]
    step_timeout: u64,
}

#[derive(Args, Debug, Clone)]
struct OutArgs {
    /// The server's process id: its CPU (utime+stime+cutime+cstime) and RSS are read from /proc.
    #[arg(long)]
    server_pid: Option<u32>,
    /// Print one JSON object instead of text.
    #[arg(long)]
    json: bool,
    /// Runtime worker threads (default: the CPUs this process may run on).
    #[arg(long)]
    threads: Option<usize>,
    /// A label copied into the output.
    #[arg(long, default_value = "")]
    label: String,
}

#[derive(Args, Debug, Clone)]
struct HandshakeArgs {
    #[command(flatten)]
    session: SessionArgs,
    #[command(flatten)]
    out: OutArgs,
    /// Sessions in flight at once.
    #[arg(long, default_value_t = 4)]
    concurrency: usize,
    /// Seconds to keep starting sessions.
    #[arg(long, default_value_t = 10.0)]
    duration: f64,
    /// Stop after this many sessions even if time is left.
    #[arg(long, default_value_t = 200_000)]
    max_sessions: usize,
    /// Sessions run before measuring (warm-up), not counted.
    #[arg(long, default_value_t = 20)]
    warmup: usize,
}

#[derive(Args, Debug, Clone)]
struct IdleArgs {
    #[command(flatten)]
    session: SessionArgs,
    #[command(flatten)]
    out: OutArgs,
    /// Sessions to open and hold.
    #[arg(long, default_value_t = 1000)]
    sessions: usize,
    /// Seconds to hold them idle.
    #[arg(long, default_value_t = 10.0)]
    hold: f64,
    /// Sessions being opened at once while ramping up.
    #[arg(long, default_value_t = 50)]
    ramp: usize,
    /// Limit for opening all sessions, in seconds.
    #[arg(long, default_value_t = 600)]
    ramp_timeout: u64,
    /// Seconds to wait after the ramp before reading RSS (lets the server settle).
    #[arg(long, default_value_t = 2.0)]
    settle: f64,
}

#[derive(Args, Debug, Clone)]
struct KeysArgs {
    #[command(flatten)]
    session: SessionArgs,
    #[command(flatten)]
    out: OutArgs,
    /// Sessions (run one after another).
    #[arg(long, default_value_t = 50)]
    sessions: usize,
    /// An update is over once no data came for this long (milliseconds); its latency is to the
    /// last byte before the pause.
    #[arg(long, default_value_t = 40)]
    quiet_ms: u64,
}

#[derive(Args, Debug, Clone)]
struct InprocArgs {
    /// The resume to serve.
    #[arg(long, default_value = "resume.toml")]
    resume: PathBuf,
    /// Sessions, one at a time.
    #[arg(long, default_value_t = 300)]
    sessions: usize,
    /// Sessions in flight at once.
    #[arg(long, default_value_t = 1)]
    concurrency: usize,
    /// Only offer this key exchange.
    #[arg(long)]
    force_kex: Option<String>,
    #[command(flatten)]
    out: OutArgs,
}

#[derive(Args, Debug, Clone)]
struct CaptureArgs {
    #[command(flatten)]
    session: SessionArgs,
    /// Where to write the frame's bytes.
    #[arg(long)]
    out: PathBuf,
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    raise_fd_limit();
    let threads = match &cli.cmd {
        Cmd::Handshake(a) => a.out.threads,
        Cmd::Idle(a) => a.out.threads,
        Cmd::Keys(a) => a.out.threads,
        Cmd::Inproc(a) => a.out.threads,
        Cmd::Capture(_) => Some(1),
    };
    let mut rt = tokio::runtime::Builder::new_multi_thread();
    rt.enable_all();
    if let Some(t) = threads {
        rt.worker_threads(t.max(1));
    }
    let rt = rt.build()?;
    rt.block_on(async move {
        match cli.cmd {
            Cmd::Handshake(a) => handshake(a).await,
            Cmd::Idle(a) => idle(a).await,
            Cmd::Keys(a) => keys(a).await,
            Cmd::Inproc(a) => inproc(a).await,
            Cmd::Capture(a) => capture(a).await,
        }
    })
}

// ---------------------------------------------------------------------------------------------
// /proc and limits

/// Raises this process's open-file limit as far as it goes (10,000 sessions need 10,000 sockets).
fn raise_fd_limit() {
    // SAFETY: getrlimit/setrlimit with a valid pointer to a local struct.
    unsafe {
        let mut lim = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) != 0 {
            return;
        }
        let want: libc::rlim_t = 1 << 20;
        let raised = libc::rlimit {
            rlim_cur: want,
            rlim_max: want.max(lim.rlim_max),
        };
        if libc::setrlimit(libc::RLIMIT_NOFILE, &raised) != 0 {
            lim.rlim_cur = lim.rlim_max;
            libc::setrlimit(libc::RLIMIT_NOFILE, &lim);
        }
    }
}

fn clk_tck() -> f64 {
    // SAFETY: sysconf has no preconditions.
    let t = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    if t > 0 { t as f64 } else { 100.0 }
}

/// CPU time in ms of a process and its waited-for children (utime+stime+cutime+cstime).
fn proc_cpu_ms(pid: u32) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let rest = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    // Field 3 (state) is f[0]; utime is field 14.
    let ticks: u64 = (11..=14)
        .filter_map(|i| f.get(i)?.parse::<u64>().ok())
        .sum();
    Some(ticks as f64 * 1000.0 / clk_tck())
}

/// Resident set size in KiB.
fn proc_rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
}

/// This process's own CPU time in ms.
fn self_cpu_ms() -> f64 {
    // SAFETY: getrusage writes into a zeroed local struct.
    unsafe {
        let mut u: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_SELF, &mut u);
        let ms = |t: libc::timeval| t.tv_sec as f64 * 1000.0 + t.tv_usec as f64 / 1000.0;
        ms(u.ru_utime) + ms(u.ru_stime)
    }
}

// ---------------------------------------------------------------------------------------------
// The client

struct AcceptAny;

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
struct Wire {
    rx: AtomicU64,
    tx: AtomicU64,
}

struct Counted<S> {
    inner: S,
    session: Arc<Wire>,
    global: Arc<Wire>,
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

fn client_config(force_kex: Option<&str>) -> anyhow::Result<Arc<client::Config>> {
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
struct Open {
    handle: client::Handle<AcceptAny>,
    read: ChannelReadHalf,
    write: ChannelWriteHalf<client::Msg>,
    screen: vt100::Parser,
    wire: Arc<Wire>,
    /// TCP connect → first complete frame.
    latency: Duration,
    /// Channel data bytes up to and including the first complete frame.
    frame_bytes: usize,
    /// Whether the server already closed the channel.
    closed: bool,
}

fn nz(v: u16) -> NonZeroU16 {
    NonZeroU16::new(v.max(1)).unwrap_or(NonZeroU16::MIN)
}

fn last_row_has(screen: &vt100::Parser, marker: &str) -> bool {
    let (rows, cols) = screen.screen().size();
    let last = rows.get() - 1;
    screen
        .screen()
        .contents_between(last, 0, last, cols.get())
        .contains(marker)
}

async fn step<T>(
    secs: u64,
    what: &str,
    f: impl std::future::Future<Output = T>,
) -> anyhow::Result<T> {
    tokio::time::timeout(Duration::from_secs(secs), f)
        .await
        .map_err(|_| anyhow!("{what}: timed out after {secs} s"))
}

/// Connects, authenticates, opens the PTY session and waits for the first complete frame.
async fn open_session(
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
    let mut handle = step(
        t,
        "handshake",
        client::connect_stream(Arc::clone(cfg), stream, AcceptAny),
    )
    .await??;
    let auth = step(t, "auth", handle.authenticate_none(a.user.clone())).await??;
    if !auth.success() {
        bail!("auth none refused");
    }
    let channel = step(t, "channel open", handle.channel_open_session()).await??;
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
                if a.until == Until::Marker && last_row_has(&screen, &a.marker) {
                    break;
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
async fn close_session(a: &SessionArgs, mut s: Open) -> anyhow::Result<()> {
    if a.close == CloseHow::Q && !s.closed && a.until == Until::Marker {
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

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = (p / 100.0 * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

fn sorted(mut v: Vec<f64>) -> Vec<f64> {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    v
}

fn lat_json(ms: &[f64]) -> serde_json::Value {
    let s = sorted(ms.to_vec());
    json!({
        "n": s.len(),
        "p50": percentile(&s, 50.0),
        "p90": percentile(&s, 90.0),
        "p99": percentile(&s, 99.0),
        "min": s.first().copied().unwrap_or(f64::NAN),
        "max": s.last().copied().unwrap_or(f64::NAN),
    })
}

fn emit(json_out: bool, v: &serde_json::Value) {
    if json_out {
        println!("{v}");
    } else {
        println!("{}", serde_json::to_string_pretty(v).unwrap_or_default());
    }
}

// ---------------------------------------------------------------------------------------------
// handshake

#[derive(Default)]
struct Tally {
    latencies_ms: Vec<f64>,
    frame_bytes: Vec<usize>,
    wire_rx: Vec<u64>,
    wire_tx: Vec<u64>,
    errors: usize,
    first_errors: Vec<String>,
}

async fn run_one(
    a: &SessionArgs,
    cfg: &Arc<client::Config>,
    global: &Arc<Wire>,
) -> anyhow::Result<(f64, usize, Arc<Wire>)> {
    let s = open_session(a, cfg, global).await?;
    let (lat, bytes, wire) = (
        s.latency.as_secs_f64() * 1000.0,
        s.frame_bytes,
        Arc::clone(&s.wire),
    );
    close_session(a, s).await?;
    Ok((lat, bytes, wire))
}

async fn handshake(args: HandshakeArgs) -> anyhow::Result<()> {
    let a = Arc::new(args.session.clone());
    let cfg = client_config(a.force_kex.as_deref())?;
    let global = Arc::new(Wire::default());
    // Warm-up: fills caches, the server's thread-locals and allocator pools.
    for _ in 0..args.warmup {
        run_one(&a, &cfg, &global)
            .await
            .context("warm-up session")?;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let pid = args.out.server_pid;
    let cpu0 = pid.and_then(proc_cpu_ms);
    let self0 = self_cpu_ms();
    let started = Instant::now();
    let stop_at = started + Duration::from_secs_f64(args.duration);
    let remaining = Arc::new(AtomicUsize::new(args.max_sessions));
    let tally = Arc::new(std::sync::Mutex::new(Tally::default()));
    let mut workers = Vec::new();
    for _ in 0..args.concurrency.max(1) {
        let (a, cfg, global, remaining, tally) = (
            Arc::clone(&a),
            Arc::clone(&cfg),
            Arc::clone(&global),
            Arc::clone(&remaining),
            Arc::clone(&tally),
        );
        workers.push(tokio::spawn(async move {
            while Instant::now() < stop_at
                && remaining
                    .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
                    .is_ok()
            {
                let r = run_one(&a, &cfg, &global).await;
                let mut t = tally.lock().unwrap_or_else(|p| p.into_inner());
                match r {
                    Ok((lat, bytes, wire)) => {
                        t.latencies_ms.push(lat);
                        t.frame_bytes.push(bytes);
                        t.wire_rx.push(wire.rx.load(Ordering::Relaxed));
                        t.wire_tx.push(wire.tx.load(Ordering::Relaxed));
                    }
                    Err(e) => {
                        t.errors += 1;
                        if t.first_errors.len() < 5 {
                            t.first_errors.push(format!("{e:#}"));
                        }
                    }
                }
            }
        }));
    }
    for w in workers {
        let _ = w.await;
    }
    let elapsed = started.elapsed().as_secs_f64();
    // Let the server finish closing (and reap children, for sshd) before reading its CPU.
    tokio::time::sleep(Duration::from_millis(1000)).await;
    let cpu1 = pid.and_then(proc_cpu_ms);
    let self1 = self_cpu_ms();
    let t = tally.lock().unwrap_or_else(|p| p.into_inner());
    let n = t.latencies_ms.len();
    let server_cpu_ms = match (cpu0, cpu1) {
        (Some(a), Some(b)) => Some(b - a),
        _ => None,
    };
    let per = |x: f64| if n > 0 { x / n as f64 } else { f64::NAN };
    let mut fb = t.frame_bytes.clone();
    fb.sort_unstable();
    let mut rx = t.wire_rx.clone();
    rx.sort_unstable();
    let mut tx = t.wire_tx.clone();
    tx.sort_unstable();
    let v = json!({
        "mode": "handshake",
        "label": args.out.label,
        "addr": a.addr.to_string(),
        "force_kex": a.force_kex,
        "concurrency": args.concurrency,
        "sessions": n,
        "errors": t.errors,
        "first_errors": t.first_errors,
        "elapsed_s": elapsed,
        "sessions_per_s": n as f64 / elapsed,
        "latency_ms": lat_json(&t.latencies_ms),
        "first_frame_bytes": {"min": fb.first(), "median": fb.get(fb.len() / 2), "max": fb.last()},
        "wire_bytes_per_session": {"rx_median": rx.get(rx.len() / 2), "tx_median": tx.get(tx.len() / 2)},
        "server_cpu_ms_total": server_cpu_ms,
        "server_cpu_ms_per_session": server_cpu_ms.map(per),
        "client_cpu_ms_per_session": per(self1 - self0),
        "clk_tck": clk_tck(),
    });
    emit(args.out.json, &v);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// idle

async fn idle(args: IdleArgs) -> anyhow::Result<()> {
    let a = Arc::new(args.session.clone());
    let cfg = client_config(a.force_kex.as_deref())?;
    let global = Arc::new(Wire::default());
    let pid = args.out.server_pid;
    let rss0 = pid.and_then(proc_rss_kib);
    let n = args.sessions;
    let ramp = Arc::new(Semaphore::new(args.ramp.max(1)));
    let (stop_tx, stop_rx) = watch::channel(false);
    let (ready_tx, mut ready_rx) = tokio::sync::mpsc::unbounded_channel::<Result<(), String>>();
    let hold_data = Arc::new(AtomicU64::new(0));
    let ramp_started = Instant::now();
    let mut tasks = Vec::with_capacity(n);
    for _ in 0..n {
        let (a, cfg, global, ramp, ready_tx, hold_data) = (
            Arc::clone(&a),
            Arc::clone(&cfg),
            Arc::clone(&global),
            Arc::clone(&ramp),
            ready_tx.clone(),
            Arc::clone(&hold_data),
        );
        let mut stop = stop_rx.clone();
        tasks.push(tokio::spawn(async move {
            let permit = ramp.acquire_owned().await;
            let opened = open_session(&a, &cfg, &global).await;
            drop(permit);
            let mut s = match opened {
                Ok(s) => {
                    let _ = ready_tx.send(Ok(()));
                    s
                }
                Err(e) => {
                    let _ = ready_tx.send(Err(format!("{e:#}")));
                    return;
                }
            };
            drop(ready_tx);
            loop {
                tokio::select! {
                    msg = s.read.wait() => match msg {
                        Some(ChannelMsg::Data { data }) | Some(ChannelMsg::ExtendedData { data, .. }) => {
                            hold_data.fetch_add(data.len() as u64, Ordering::Relaxed);
                        }
                        Some(ChannelMsg::Close) | None => { s.closed = true; break; }
                        Some(_) => {}
                    },
                    _ = stop.changed() => break,
                }
            }
            let _ = tokio::time::timeout(Duration::from_secs(5), s.handle.disconnect(Disconnect::ByApplication, "", "en")).await;
        }));
    }
    drop(ready_tx);
    let mut ok = 0usize;
    let mut errors = 0usize;
    let mut first_errors = Vec::new();
    let ramp_deadline = tokio::time::Instant::now() + Duration::from_secs(args.ramp_timeout);
    while ok + errors < n {
        match tokio::time::timeout_at(ramp_deadline, ready_rx.recv()).await {
            Ok(Some(Ok(()))) => ok += 1,
            Ok(Some(Err(e))) => {
                errors += 1;
                if first_errors.len() < 5 {
                    first_errors.push(e);
                }
            }
            Ok(None) => break,
            Err(_) => {
                first_errors.push(format!(
                    "ramp timed out with {} sessions not ready",
                    n - ok - errors
                ));
                break;
            }
        }
        if (ok + errors) % 1000 == 0 && !args.out.json {
            eprintln!(
                "  {} open, {} errors, {:.1} s",
                ok,
                errors,
                ramp_started.elapsed().as_secs_f64()
            );
        }
    }
    let ramp_s = ramp_started.elapsed().as_secs_f64();
    tokio::time::sleep(Duration::from_secs_f64(args.settle)).await;
    let rss1 = pid.and_then(proc_rss_kib);
    // The hold: nothing should happen.
    hold_data.store(0, Ordering::SeqCst);
    let rx0 = global.rx.load(Ordering::SeqCst);
    let tx0 = global.tx.load(Ordering::SeqCst);
    let cpu0 = pid.and_then(proc_cpu_ms);
    let self0 = self_cpu_ms();
    tokio::time::sleep(Duration::from_secs_f64(args.hold)).await;
    let cpu1 = pid.and_then(proc_cpu_ms);
    let self1 = self_cpu_ms();
    let rx1 = global.rx.load(Ordering::SeqCst);
    let tx1 = global.tx.load(Ordering::SeqCst);
    let rss2 = pid.and_then(proc_rss_kib);
    let held_data = hold_data.load(Ordering::SeqCst);
    let _ = stop_tx.send(true);
    let close_deadline = tokio::time::Instant::now() + Duration::from_secs(120);
    for t in tasks {
        let _ = tokio::time::timeout_at(close_deadline, t).await;
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    let rss3 = pid.and_then(proc_rss_kib);
    let growth = match (rss0, rss1) {
        (Some(a), Some(b)) => Some(b as f64 - a as f64),
        _ => None,
    };
    let v = json!({
        "mode": "idle",
        "label": args.out.label,
        "addr": a.addr.to_string(),
        "sessions_requested": n,
        "sessions_open": ok,
        "errors": errors,
        "first_errors": first_errors,
        "ramp_s": ramp_s,
        "server_rss_kib": {"before": rss0, "after_ramp": rss1, "after_hold": rss2, "after_close": rss3},
        "server_rss_growth_kib_per_session": growth.map(|g| if ok > 0 { g / ok as f64 } else { f64::NAN }),
        "hold_s": args.hold,
        "server_cpu_ms_during_hold": match (cpu0, cpu1) { (Some(a), Some(b)) => Some(b - a), _ => None },
        "client_cpu_ms_during_hold": self1 - self0,
        "wire_bytes_during_hold": {"rx": rx1 - rx0, "tx": tx1 - tx0},
        "channel_data_bytes_during_hold": held_data,
    });
    emit(args.out.json, &v);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// keys

struct Update {
    latency_ms: f64,
    bytes: usize,
    changed: bool,
}

/// Sends `key`, then reads until the server has been quiet for `quiet`.
async fn press(
    s: &mut Open,
    key: &[u8],
    quiet: Duration,
    limit: Duration,
) -> anyhow::Result<Update> {
    let before = s.screen.screen().contents();
    let sent = Instant::now();
    if !key.is_empty() {
        s.write.data(key).await?;
    }
    let mut bytes = 0usize;
    let mut last = None;
    let hard = tokio::time::Instant::now() + limit;
    loop {
        let wait = if last.is_some() { quiet } else { limit };
        let until = (tokio::time::Instant::now() + wait).min(hard);
        match tokio::time::timeout_at(until, s.read.wait()).await {
            Err(_) => break,
            Ok(Some(ChannelMsg::Data { data })) => {
                bytes += data.len();
                s.screen.process(&data);
                last = Some(Instant::now());
            }
            Ok(Some(ChannelMsg::Close)) | Ok(None) => bail!("channel closed after a key"),
            Ok(Some(_)) => {}
        }
    }
    let latency_ms = match last {
        Some(t) => (t - sent).as_secs_f64() * 1000.0,
        None => f64::NAN,
    };
    Ok(Update {
        latency_ms,
        bytes,
        changed: s.screen.screen().contents() != before,
    })
}

async fn keys(args: KeysArgs) -> anyhow::Result<()> {
    let a = args.session.clone();
    let cfg = client_config(a.force_kex.as_deref())?;
    let global = Arc::new(Wire::default());
    let steps: [(&str, &[u8]); 4] = [
        ("scroll_j", b"j"),
        ("tab_right", b"\x1b[C"),
        ("tab_left", b"\x1b[D"),
        ("scroll_k", b"k"),
    ];
    let mut lat: Vec<Vec<f64>> = vec![Vec::new(); steps.len()];
    let mut bytes: Vec<Vec<usize>> = vec![Vec::new(); steps.len()];
    let mut unchanged = vec![0usize; steps.len()];
    let mut wire_rx: Vec<Vec<u64>> = vec![Vec::new(); steps.len()];
    let mut first = Vec::new();
    let mut errors = 0usize;
    let mut first_errors = Vec::new();
    let quiet = Duration::from_millis(args.quiet_ms);
    let limit = Duration::from_secs(a.step_timeout);
    let cpu0 = args.out.server_pid.and_then(proc_cpu_ms);
    for _ in 0..args.sessions {
        let r: anyhow::Result<()> = async {
            let mut s = open_session(&a, &cfg, &global).await?;
            first.push(s.frame_bytes);
            // Anything else the server sends at start (none expected) is not an update.
            let _ = press(&mut s, b"", quiet, quiet).await;
            for (i, (_, key)) in steps.iter().enumerate() {
                let rx0 = s.wire.rx.load(Ordering::SeqCst);
                let u = press(&mut s, key, quiet, limit).await?;
                wire_rx[i].push(s.wire.rx.load(Ordering::SeqCst) - rx0);
                lat[i].push(u.latency_ms);
                bytes[i].push(u.bytes);
                if !u.changed {
                    unchanged[i] += 1;
                }
            }
            close_session(&a, s).await
        }
        .await;
        if let Err(e) = r {
            errors += 1;
            if first_errors.len() < 5 {
                first_errors.push(format!("{e:#}"));
            }
        }
    }
    let cpu1 = args.out.server_pid.and_then(proc_cpu_ms);
    let mut per_step = serde_json::Map::new();
    for (i, (name, _)) in steps.iter().enumerate() {
        let mut b = bytes[i].clone();
        b.sort_unstable();
        let mut w = wire_rx[i].clone();
        w.sort_unstable();
        per_step.insert(
            (*name).to_owned(),
            json!({
                "latency_ms": lat_json(&lat[i]),
                "data_bytes": {"min": b.first(), "median": b.get(b.len() / 2), "max": b.last()},
                "wire_rx_bytes_median": w.get(w.len() / 2),
                "screen_unchanged": unchanged[i],
            }),
        );
    }
    first.sort_unstable();
    let v = json!({
        "mode": "keys",
        "label": args.out.label,
        "addr": a.addr.to_string(),
        "sessions": args.sessions,
        "errors": errors,
        "first_errors": first_errors,
        "first_frame_bytes_median": first.get(first.len() / 2),
        "steps": per_step,
        "server_cpu_ms_total": match (cpu0, cpu1) { (Some(a), Some(b)) => Some(b - a), _ => None },
    });
    emit(args.out.json, &v);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// inproc

async fn inproc(args: InprocArgs) -> anyhow::Result<()> {
    use resume_ssh::config::Limits;
    use resume_ssh::resume::Resume;
    use resume_ssh::server::Server;
    use resume_ssh::shared::Shared;

    let resume = Resume::load(&args.resume)?;
    let dir = std::env::temp_dir().join(format!("loadgen-inproc-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let (key, _) = resume_ssh::hostkey::load_or_create(&dir.join("host_key"))?;
    let limits = Limits {
        max_connections: 100_000,
        max_per_ip: 100_000,
        rate_per_ip_per_minute: u32::MAX,
        ..Limits::default()
    };
    let shared = Arc::new(Shared::new(resume, limits));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(Server::new(Arc::clone(&shared), key).run(
        vec![listener],
        async move {
            let _ = stop_rx.await;
        },
        || {},
    ));
    let hs = HandshakeArgs {
        session: SessionArgs {
            addr,
            user: "visitor".into(),
            force_kex: args.force_kex.clone(),
            cols: 100,
            rows: 30,
            term: "xterm-256color".into(),
            no_pty: false,
            exec: None,
            until: Until::Marker,
            marker: "quit".into(),
            close: CloseHow::Q,
            step_timeout: 10,
        },
        out: OutArgs {
            server_pid: None,
            label: if args.out.label.is_empty() {
                "inproc".into()
            } else {
                args.out.label.clone()
            },
            ..args.out.clone()
        },
        concurrency: args.concurrency,
        duration: 120.0,
        max_sessions: args.sessions,
        warmup: 20,
    };
    let r = handshake(hs).await;
    let _ = stop_tx.send(());
    let _ = tokio::time::timeout(Duration::from_secs(10), server).await;
    let _ = std::fs::remove_dir_all(&dir);
    r
}

// ---------------------------------------------------------------------------------------------
// capture

async fn capture(args: CaptureArgs) -> anyhow::Result<()> {
    let a = args.session;
    let cfg = client_config(a.force_kex.as_deref())?;
    let global = Arc::new(Wire::default());
    let t = a.step_timeout;
    let tcp = step(t, "connect", tokio::net::TcpStream::connect(a.addr)).await??;
    let stream = Counted {
        inner: tcp,
        session: Arc::new(Wire::default()),
        global,
    };
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
    let (mut read, write) = channel.split();
    let mut screen = vt100::Parser::new(nz(a.rows), nz(a.cols), 0);
    let mut bytes = Vec::new();
    loop {
        match step(t, "first frame", read.wait()).await? {
            Some(ChannelMsg::Data { data }) | Some(ChannelMsg::ExtendedData { data, .. }) => {
                bytes.extend_from_slice(&data);
                screen.process(&data);
                if a.until == Until::Marker && last_row_has(&screen, &a.marker) {
                    break;
                }
            }
            Some(ChannelMsg::Close) | None if a.until == Until::Close => break,
            None => bail!("channel closed before the frame was complete"),
            Some(_) => {}
        }
    }
    std::fs::write(&args.out, &bytes)?;
    eprintln!("wrote {} bytes to {}", bytes.len(), args.out.display());
    let _ = write.data(&b"q"[..]).await;
    let _ = handle.disconnect(Disconnect::ByApplication, "", "en").await;
    Ok(())
}
