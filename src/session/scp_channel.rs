//! The legacy scp protocol on a session channel: `scp -f` and `scp -t` started from an exec
//! request, fed the client's data and EOF, finished with its exit status (the protocol itself
//! is `scp`'s).

use russh::ChannelId;
use russh::server::Session;

use super::output::{Mode, find};
use super::scp::{Next, Scp, error_line};
use super::{Conn, SessionError, files};
use crate::commands::Command;
use crate::sanitize;

impl Conn {
    /// Starts an exec command: scp's here, the others in `output`.
    pub(super) fn start_command(
        &mut self,
        id: ChannelId,
        cmd: Command,
        session: &mut Session,
    ) -> Result<(), SessionError> {
        match cmd {
            Command::ScpSend(names) => self.start_scp(id, names, false, session),
            Command::ScpReceive => self.start_scp(id, Vec::new(), true, session),
            Command::Message => self.start_message(id, session),
            cmd => self.start(id, cmd, session),
        }
    }

    /// Starts `scp -f NAMES` (`upload: false`) or refuses `scp -t` (`upload: true`).
    pub(super) fn start_scp(
        &mut self,
        id: ChannelId,
        names: Vec<String>,
        upload: bool,
        session: &mut Session,
    ) -> Result<(), SessionError> {
        let Some(chan) = find(&mut self.channels, id) else {
            return Ok(());
        };
        if !matches!(chan.mode, Mode::Setup) {
            return Ok(());
        }
        self.span
            .debug(|| tracing::debug!(kind = "exec", command = "scp", upload, "session started"));
        self.ctl.note(|s| s.command = "scp".to_owned());
        crate::metrics::get().session("scp");
        let scp = if upload {
            session.data(id, error_line(&files::uploads_refused()))?;
            Scp::refusing()
        } else {
            // The C line names the file itself: OpenSSH's scp refuses a name with a '/'.
            let files = names
                .into_iter()
                .map(|n| match files::resolve(&n) {
                    files::Path::File(name) => {
                        (name.to_owned(), files::content(&self.shared, name))
                    }
                    _ => (sanitize::clean(&n, 64), Err(files::no_such_file())),
                })
                .collect();
            Scp::new(files)
        };
        if let Some(chan) = find(&mut self.channels, id) {
            chan.mode = Mode::Scp(Box::new(scp));
        }
        Ok(())
    }

    /// Channel data on a channel in scp mode (true), or not in scp mode (false).
    pub(super) fn scp_data(
        &mut self,
        id: ChannelId,
        data: &[u8],
        session: &mut Session,
    ) -> Result<bool, SessionError> {
        let Some(chan) = find(&mut self.channels, id) else {
            return Ok(false);
        };
        let Mode::Scp(scp) = &mut chan.mode else {
            return Ok(false);
        };
        self.ctl.touch();
        let (out, exit) = match scp.feed(data) {
            Next::Send(out) => (out, None),
            Next::End(out, exit) => (out, Some(exit)),
        };
        for bytes in out {
            session.data(id, bytes)?;
        }
        if let Some(exit) = exit {
            self.end_scp(id, exit, session)?;
        }
        Ok(true)
    }

    /// The client sent EOF: an unfinished exchange ends with exit status 1.
    pub(super) fn scp_eof(
        &mut self,
        id: ChannelId,
        session: &mut Session,
    ) -> Result<(), SessionError> {
        if let Some(chan) = find(&mut self.channels, id)
            && matches!(chan.mode, Mode::Scp(_))
        {
            return self.end_scp(id, 1, session);
        }
        Ok(())
    }

    fn end_scp(
        &mut self,
        id: ChannelId,
        exit: u32,
        session: &mut Session,
    ) -> Result<(), SessionError> {
        if let Some(chan) = find(&mut self.channels, id) {
            chan.mode = Mode::Draining { exit };
        }
        self.finish_if_drained(id, session)
    }
}
