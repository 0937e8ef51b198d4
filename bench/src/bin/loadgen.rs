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
//! - `capture`: one session's first frame, written to a file.
//! - `winch`: window-change floods: the server's CPU per change.
//!
//! The modes live in the `resume_ssh_bench` library (bench/src/modes/); this file only parses the
//! command line and starts the runtime.

use clap::Parser;
use resume_ssh_bench::cli::{Cli, Cmd};
use resume_ssh_bench::modes::{capture, handshake, idle, inproc, keys, winch};
use resume_ssh_bench::procfs::raise_fd_limit;

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    raise_fd_limit();
    let threads = match &cli.cmd {
        Cmd::Handshake(a) => a.out.threads,
        Cmd::Idle(a) => a.out.threads,
        Cmd::Keys(a) => a.out.threads,
        Cmd::Inproc(a) => a.out.threads,
        Cmd::Capture(_) => Some(1),
        Cmd::Winch(a) => a.out.threads,
    };
    let mut rt = tokio::runtime::Builder::new_multi_thread();
    rt.enable_all();
    if let Some(t) = threads {
        rt.worker_threads(t.max(1));
    }
    let rt = rt.build()?;
    rt.block_on(async move {
        match cli.cmd {
            Cmd::Handshake(a) => handshake::handshake(a).await,
            Cmd::Idle(a) => idle::idle(a).await,
            Cmd::Keys(a) => keys::keys(a).await,
            Cmd::Inproc(a) => inproc::inproc(a).await,
            Cmd::Capture(a) => capture::capture(a).await,
            Cmd::Winch(a) => winch::winch(a).await,
        }
    })
}
