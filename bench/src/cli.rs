//! loadgen's command line: the modes and what one session does in each (clap).

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::workload::Workload;

#[derive(Parser, Debug)]
#[command(
    name = "loadgen",
    about = "Load generator for resume-ssh benchmarks (loopback only)"
)]
pub struct Cli {
    #[command(subcommand)]
    pub cmd: Cmd,
}

#[derive(Subcommand, Debug)]
pub enum Cmd {
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
    /// Window-change floods: server CPU per change (bench/winch.sh: beside the bare server).
    Winch(WinchArgs),
}

#[derive(Copy, Clone, Debug, ValueEnum, PartialEq, Eq)]
pub enum Until {
    /// As many bytes have come as resume-ssh's library draws for this visitor's first frame
    /// (see `expected`): independent of what the frame shows.
    Frame,
    /// The last screen row shows the marker.
    Marker,
    /// The server closes the channel (exec that prints and exits).
    Close,
}

#[derive(Copy, Clone, Debug, ValueEnum, PartialEq, Eq)]
pub enum CloseHow {
    /// Press q, wait for the server to close the channel, then disconnect.
    Q,
    /// Disconnect at once.
    Disconnect,
}

/// What one session does, shared by all modes.
#[derive(Args, Debug, Clone)]
pub struct SessionArgs {
    /// Server address (loopback only).
    #[arg(long)]
    pub addr: SocketAddr,
    /// SSH user name (auth "none").
    #[arg(long, default_value = "visitor")]
    pub user: String,
    /// Only offer this key exchange (e.g. curve25519-sha256) so that client and server costs
    /// compare like with like; the default is russh's own list.
    #[arg(long)]
    pub force_kex: Option<String>,
    #[arg(long, default_value_t = 100)]
    pub cols: u16,
    #[arg(long, default_value_t = 30)]
    pub rows: u16,
    #[arg(long, default_value = "xterm-256color")]
    pub term: String,
    /// Send NO_COLOR=1 (an env request) before the PTY request.
    #[arg(long)]
    pub no_color: bool,
    /// Do not request a PTY.
    #[arg(long)]
    pub no_pty: bool,
    /// Run this command (exec request) instead of a shell.
    #[arg(long)]
    pub exec: Option<String>,
    /// When the first frame is complete.
    #[arg(long, value_enum, default_value_t = Until::Frame)]
    pub until: Until,
    /// The resume the server shows: `--until frame` draws each visitor's first frame from it.
    #[arg(long, default_value = "resume.toml")]
    pub resume: PathBuf,
    /// The text the last row shows once the frame is complete.
    #[arg(long, default_value = "quit")]
    pub marker: String,
    /// How a session ends (after its frame).
    #[arg(long, value_enum, default_value_t = CloseHow::Q)]
    pub close: CloseHow,
    /// Limit for each step of a session (connect, handshake, frame, close), in seconds.
    #[arg(long, default_value_t = 10)]
    pub step_timeout: u64,
    /// The first frame's length for `--until frame` (set per visitor, not on the command line).
    #[arg(skip)]
    pub expect_bytes: Option<usize>,
}

/// Who the visitors are (handshake and idle).
#[derive(Args, Debug, Clone)]
pub struct WorkloadArgs {
    /// `mixed`: sizes and TERMs from the stated distribution (bench/src/workload.rs);
    /// `identical`: every visitor has `--cols`, `--rows`, `--term` (and `--no-color`).
    #[arg(long, value_enum, default_value_t = Workload::Mixed)]
    pub workload: Workload,
    /// Seed of the mixed workload's draws: the same seed gives the same visitors.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

#[derive(Args, Debug, Clone)]
pub struct OutArgs {
    /// The server's process id: its CPU (utime+stime+cutime+cstime) and RSS are read from /proc.
    #[arg(long)]
    pub server_pid: Option<u32>,
    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
    /// Runtime worker threads (default: the CPUs this process may run on).
    #[arg(long)]
    pub threads: Option<usize>,
    /// A label copied into the output.
    #[arg(long, default_value = "")]
    pub label: String,
}

#[derive(Args, Debug, Clone)]
pub struct HandshakeArgs {
    #[command(flatten)]
    pub session: SessionArgs,
    #[command(flatten)]
    pub workload: WorkloadArgs,
    #[command(flatten)]
    pub out: OutArgs,
    /// Sessions in flight at once.
    #[arg(long, default_value_t = 4)]
    pub concurrency: usize,
    /// Seconds to keep starting sessions.
    #[arg(long, default_value_t = 10.0)]
    pub duration: f64,
    /// Stop after this many sessions even if time is left.
    #[arg(long, default_value_t = 200_000)]
    pub max_sessions: usize,
    /// Sessions run before measuring (warm-up), not counted.
    #[arg(long, default_value_t = 20)]
    pub warmup: usize,
}

#[derive(Args, Debug, Clone)]
pub struct IdleArgs {
    #[command(flatten)]
    pub session: SessionArgs,
    #[command(flatten)]
    pub workload: WorkloadArgs,
    #[command(flatten)]
    pub out: OutArgs,
    /// Sessions to open and hold.
    #[arg(long, default_value_t = 1000)]
    pub sessions: usize,
    /// Seconds to hold them idle.
    #[arg(long, default_value_t = 10.0)]
    pub hold: f64,
    /// Sessions being opened at once while ramping up.
    #[arg(long, default_value_t = 50)]
    pub ramp: usize,
    /// Limit for opening all sessions, in seconds.
    #[arg(long, default_value_t = 600)]
    pub ramp_timeout: u64,
    /// Seconds to wait after the ramp before reading RSS (lets the server settle).
    #[arg(long, default_value_t = 2.0)]
    pub settle: f64,
}

#[derive(Args, Debug, Clone)]
pub struct KeysArgs {
    #[command(flatten)]
    pub session: SessionArgs,
    #[command(flatten)]
    pub out: OutArgs,
    /// Sessions (run one after another).
    #[arg(long, default_value_t = 50)]
    pub sessions: usize,
    /// Keys pressed after the first frame and before the measured ones (not measured), e.g.
    /// "2" to start on the second tab, whose text scrolls at large sizes.
    #[arg(long, default_value = "")]
    pub first_keys: String,
    /// An update is over once no data came for this long (milliseconds); its latency is to the
    /// last byte before the pause.
    #[arg(long, default_value_t = 40)]
    pub quiet_ms: u64,
    /// A key that brings no byte within this long (milliseconds) changed nothing (e.g. a scroll
    /// where the text fits): counted as unchanged, with 0 bytes.
    #[arg(long, default_value_t = 1000)]
    pub no_update_ms: u64,
}

#[derive(Args, Debug, Clone)]
pub struct InprocArgs {
    /// The resume to serve.
    #[arg(long, default_value = "resume.toml")]
    pub resume: PathBuf,
    /// Sessions, one at a time.
    #[arg(long, default_value_t = 300)]
    pub sessions: usize,
    /// Sessions in flight at once.
    #[arg(long, default_value_t = 1)]
    pub concurrency: usize,
    /// Only offer this key exchange.
    #[arg(long)]
    pub force_kex: Option<String>,
    /// Who the visitors are (as for `handshake`).
    #[arg(long, value_enum, default_value_t = Workload::Mixed)]
    pub workload: Workload,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    #[command(flatten)]
    pub out: OutArgs,
}

#[derive(Args, Debug, Clone)]
pub struct CaptureArgs {
    #[command(flatten)]
    pub session: SessionArgs,
    /// Where to write the frame's bytes.
    #[arg(long)]
    pub out: PathBuf,
}

#[derive(Args, Debug, Clone)]
pub struct WinchArgs {
    #[command(flatten)]
    pub session: SessionArgs,
    #[command(flatten)]
    pub out: OutArgs,
    /// Sessions flooding at once.
    #[arg(long, default_value_t = 4)]
    pub sessions: usize,
    /// Window-changes per session.
    #[arg(long, default_value_t = 5000)]
    pub changes: u32,
    /// Milliseconds between one session's changes (0: as fast as the connection takes them,
    /// which lets the client batch many into one write). With 1, each change is its own packet
    /// and the server reads each on its own, as from a scripted client (asyncssh, paramiko).
    #[arg(long, default_value_t = 1)]
    pub every_ms: u64,
}
