//! The russh handler for one connection: anonymous auth, session channels, PTY, shell/exec, and
//! the bridge from channel data to the TUI. What an exec command prints is [`exec`]'s; which env
//! requests are kept is [`env`]'s; starting a channel's output, and feeding the TUI's visit with
//! data, resizes, the window and EOF, is `output`'s; the visit's own drawing task is `live`'s;
//! `exec_output` sends exec replies; `channels` opens session channels within the limits. Every
//! request spends from the connection's [`crate::budget`] (`refuse`); refused ones are logged
//! only while its log budget lasts, and a client over a budget is disconnected with the reason.
//! Files: `sftp` serves the read-only SFTP subsystem (and keeps a channel's `Channel` while it
//! is set up, never letting its queue fill), `scp` the legacy scp protocol, both from `files`.
//! `message` reads a visitor's message (bounded) and hands it to the store's writer.
//! The russh `Handler` impl itself is `handler`'s: each method a few lines that hand on to
//! those modules.
//!
//! Everything here runs inside russh's session loop, so exec output goes through
//! `Session::data` (never an awaited `Handle`, which could deadlock). The TUI's frames come from
//! its visit's task, paced and paid from the render budgets; while the client's window is full
//! no new frame is drawn, and when it opens the latest state is drawn once.

use std::sync::Arc;

mod auth;
mod channels;
pub mod env;
mod error;
mod exec_output;
pub mod files;
mod handler;
mod live;
mod message;
mod output;
mod refuse;
mod scp;
mod scp_channel;
pub mod sftp;

pub use self::auth::auth_methods;
pub use self::error::SessionError;
use self::output::Chan;
use crate::conn::ConnCtl;
use crate::logging::conn_span::ConnSpan;
use crate::shared::Shared;

/// Asks the client's terminal for a status report (the visit does, to resolve a lone ESC).
pub use crate::terminal::STATUS_QUERY;

/// The handler of one connection.
pub struct Conn {
    shared: Arc<Shared>,
    ctl: Arc<ConnCtl>,
    channels: Vec<Chan>,
    opened: usize,
    /// The connection's span (made when a line needs it), so the handler's lines carry the peer.
    span: Arc<ConnSpan>,
}

impl Conn {
    pub fn new(shared: Arc<Shared>, ctl: Arc<ConnCtl>, span: Arc<ConnSpan>) -> Conn {
        Conn {
            shared,
            ctl,
            channels: Vec::new(),
            opened: 0,
            span,
        }
    }
}
