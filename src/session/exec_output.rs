//! An exec command's reply down the channel, then exit-status, EOF and close once it drained.
//!
//! The reply is the resume version's shared buffer ([`crate::documents::Documents::reply`]):
//! `Session::data` takes the `Bytes` handle itself, and russh keeps per channel only that handle
//! and an offset, encrypting no more than the client's window allows and the rest as the window
//! opens (russh 0.65 `pending_data`). A client that does not read holds no copy of the output.

use russh::ChannelId;
use russh::server::Session;

use super::output::{Mode, find};
use super::{Conn, SessionError};
use crate::commands::Command;
use crate::terminal::Size;

impl Conn {
    /// Sends what `cmd` prints (`pdf` on a PTY: the hint and exit 2), then finishes the channel
    /// once everything has gone out.
    pub(super) fn start_exec(
        &mut self,
        id: ChannelId,
        cmd: &Command,
        pty: Option<Size>,
        session: &mut Session,
    ) -> Result<(), SessionError> {
        let reply = self.shared.documents().reply_in(cmd, pty);
        let pty = pty.is_some();
        let (kind, exit) = (cmd.kind(), reply.exit);
        self.span
            .debug(|| tracing::debug!(kind = "exec", command = kind, pty, exit, "session started"));
        self.ctl.note(|s| s.command = kind.to_owned());
        crate::metrics::get().session(kind);
        if !reply.stdout.is_empty() {
            session.data(id, reply.stdout)?;
        }
        for part in reply.stderr {
            if !part.is_empty() {
                session.extended_data(id, 1, part)?;
            }
        }
        if let Some(chan) = find(&mut self.channels, id) {
            chan.mode = Mode::Draining { exit };
        }
        self.finish_if_drained(id, session)
    }
}
