//! `ssh HOST pdf`: the cached PDF down the channel, or, on a PTY, a one-line hint and exit 2.

use russh::ChannelId;
use russh::server::Session;

use super::{Conn, Mode, SessionError, find};
use crate::export::pdf::Paper;

/// What a visitor who asked for the PDF on a terminal is told (the PDF would garble it).
pub const PTY_HINT: &str =
    "pdf: not sent to a terminal; save it with: ssh HOST pdf > resume.pdf (without -t)\r\n";

impl Conn {
    /// Sends the PDF of the current resume (from memory), then exit-status and close.
    pub(super) fn send_pdf(
        &mut self,
        id: ChannelId,
        paper: Paper,
        pty: bool,
        session: &mut Session,
    ) -> Result<(), SessionError> {
        let (out, err, exit) = if pty {
            (None, PTY_HINT.to_owned(), 2)
        } else {
            match self.shared.documents().pdf(paper) {
                Ok(bytes) => (Some(bytes), String::new(), 0),
                Err(e) => (None, format!("pdf: not available: {e}\n"), 1),
            }
        };
        self.span.debug(|| {
            tracing::debug!(kind = "exec", command = "pdf", pty, exit, "session started")
        });
        self.ctl.note(|s| s.command = "pdf".to_owned());
        crate::metrics::get().session("pdf");
        if let Some(bytes) = out {
            session.data(id, bytes)?;
        }
        if !err.is_empty() {
            session.extended_data(id, 1, err.into_bytes())?;
        }
        if let Some(chan) = find(&mut self.channels, id) {
            chan.mode = Mode::Draining { exit };
        }
        self.finish_if_drained(id, session)
    }
}
