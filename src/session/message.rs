//! `ssh HOST message`: the visitor's text read from the channel until their EOF, at most
//! [`MAX_INPUT_BYTES`] (past that the message is refused at once and the rest ignored), then
//! handed to the store's writer ([`crate::messages::Service`]) by a task of its own, which
//! answers with the reference (exit 0) or the refusal on stderr (exit 2) once the writer has
//! answered. The session's usual idle and length limits apply while the visitor types.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use bytes::Bytes;
use russh::ChannelId;
use russh::server::Session;

use super::output::{Mode, find};
use super::{Conn, SessionError};
use crate::messages::limits::{self, MAX_INPUT_BYTES, Refusal};

/// What the visitor reads once their message is stored.
fn thanks(reference: &str) -> String {
    format!("Thank you \u{2014} your message was received. Reference: {reference}\n")
}

/// A refusal's text with the server's public command for the `ssh HOST` of its examples.
fn with_command(why: &Refusal, ssh: &str) -> String {
    format!("{why}\n").replace("ssh HOST", ssh)
}

impl Conn {
    /// Starts reading a message (refused on a PTY, where the visitor could not end it).
    pub(super) fn start_message(
        &mut self,
        id: ChannelId,
        session: &mut Session,
    ) -> Result<(), SessionError> {
        let Some(chan) = find(&mut self.channels, id) else {
            return Ok(());
        };
        if !matches!(chan.mode, Mode::Setup) {
            return Ok(());
        }
        let pty = chan.pty.is_some();
        self.span
            .debug(|| tracing::debug!(kind = "exec", command = "message", pty, "session started"));
        self.ctl.note(|s| s.command = "message".to_owned());
        crate::metrics::get().session("message");
        if pty {
            crate::metrics::get()
                .messages
                .submission(Refusal::Terminal.label());
            return self.refuse_message(id, &Refusal::Terminal, session);
        }
        if let Some(chan) = find(&mut self.channels, id) {
            chan.mode = Mode::Message(Vec::new());
        }
        Ok(())
    }

    /// Channel data on a channel reading a message (true), or not (false).
    pub(super) fn message_data(
        &mut self,
        id: ChannelId,
        data: &[u8],
        session: &mut Session,
    ) -> Result<bool, SessionError> {
        let Some(chan) = find(&mut self.channels, id) else {
            return Ok(false);
        };
        let Mode::Message(buf) = &mut chan.mode else {
            // Data after the message was handed on is ignored (after a refusal, the channel
            // drains like any exec's).
            return Ok(matches!(chan.mode, Mode::Storing(_)));
        };
        self.ctl.touch();
        if buf.len() + data.len() > MAX_INPUT_BYTES {
            crate::metrics::get()
                .messages
                .submission(Refusal::TooLong.label());
            self.refuse_message(id, &Refusal::TooLong, session)?;
            return Ok(true);
        }
        buf.extend_from_slice(data);
        Ok(true)
    }

    /// The visitor's EOF: the message is parsed and handed to the store.
    pub(super) fn message_eof(
        &mut self,
        id: ChannelId,
        session: &mut Session,
    ) -> Result<(), SessionError> {
        let Some(chan) = find(&mut self.channels, id) else {
            return Ok(());
        };
        let Mode::Message(buf) = &mut chan.mode else {
            return Ok(());
        };
        let raw = std::mem::take(buf);
        let sub = match limits::parse(&raw) {
            Ok(s) => s,
            Err(r) => {
                crate::metrics::get().messages.submission(r.label());
                return self.refuse_message(id, &r, session);
            }
        };
        let Some(service) = self.shared.messages.clone() else {
            crate::metrics::get()
                .messages
                .submission(Refusal::Disabled.label());
            return self.refuse_message(id, &Refusal::Disabled, session);
        };
        let done = Arc::new(AtomicBool::new(false));
        chan.mode = Mode::Storing(Arc::clone(&done));
        let handle = session.handle();
        let addr = self.ctl.address.get().copied();
        let ssh = self.shared.resume().site.ssh().to_owned();
        // Its own task: the handler never awaits the writer (nor a `Handle`, trap 4).
        tokio::spawn(async move {
            let (stdout, stderr, exit) = match service.submit(sub, addr).await {
                Ok(stored) => (thanks(&stored.id), String::new(), 0),
                Err(r) => (String::new(), with_command(&r, &ssh), 2),
            };
            if !stdout.is_empty() {
                let _ = handle.data(id, Bytes::from(stdout)).await;
            }
            if !stderr.is_empty() {
                let _ = handle.extended_data(id, 1, Bytes::from(stderr)).await;
            }
            let _ = handle.exit_status_request(id, exit).await;
            let _ = handle.eof(id).await;
            let _ = handle.close(id).await;
            done.store(true, Ordering::SeqCst);
        });
        Ok(())
    }

    /// Tells the visitor why (stderr), exit status 2, and closes once it has gone out.
    fn refuse_message(
        &mut self,
        id: ChannelId,
        why: &Refusal,
        session: &mut Session,
    ) -> Result<(), SessionError> {
        let pty = find(&mut self.channels, id).is_some_and(|c| c.pty.is_some());
        let mut text = with_command(why, self.shared.resume().site.ssh());
        if pty {
            text = text.replace('\n', "\r\n");
        }
        session.extended_data(id, 1, Bytes::from(text))?;
        if let Some(chan) = find(&mut self.channels, id) {
            chan.mode = Mode::Draining { exit: 2 };
        }
        self.finish_if_drained(id, session)
    }
}
