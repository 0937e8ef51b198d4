//! A session channel's life after shell/exec: the TUI started as a [`Visit`] that its own task
//! draws (`live`), fed from here with the client's keys, sizes, window and EOF; or an exec
//! command's output sent, then exit-status, EOF and close once it has drained.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use russh::server::{Msg, Session};
use russh::{Channel, ChannelId};

use super::live::LiveRef;
use super::scp::Scp;
use super::{Conn, SessionError};
use crate::commands::Command;
use crate::content::SectionId;
use crate::terminal::Size;
use crate::tui::theme::ClientEnv;
use crate::visit::Visit;
use crate::visit::budget::Address;

/// What one session channel is doing.
pub(super) enum Mode {
    /// Opened; waiting for pty/env/shell/exec.
    Setup,
    /// Showing the TUI: its visit, drawn by its own task.
    Tui(LiveRef),
    /// Printed its output; waiting for it to drain before exit-status, EOF and close.
    Draining {
        exit: u32,
    },
    /// Handed to the SFTP task (`sftp`), which closes it and sets the flag when done (russh
    /// then reports no close for it).
    Sftp(Arc<AtomicBool>),
    /// Sending files with the legacy scp protocol, paced by the client's acknowledgements.
    Scp(Box<Scp>),
    /// `message`: the visitor's text so far (bounded), until their EOF (`message`).
    Message(Vec<u8>),
    /// `message` handed to the store; its task answers and closes the channel, then sets the
    /// flag.
    Storing(Arc<AtomicBool>),
    Done,
}

impl Mode {
    /// Whether the channel is finished: closed, or a TUI whose visit ended (its task sent
    /// exit-status, EOF and close; russh then forgets the channel without telling the handler).
    pub(super) fn is_done(&self) -> bool {
        match self {
            Mode::Done => true,
            Mode::Tui(live) => live.finished(),
            Mode::Sftp(done) | Mode::Storing(done) => done.load(Ordering::SeqCst),
            _ => false,
        }
    }
}

pub(super) struct Chan {
    pub(super) id: ChannelId,
    pub(super) pty: Option<Size>,
    pub(super) env: ClientEnv,
    pub(super) env_count: usize,
    pub(super) mode: Mode,
    /// The channel's `Channel`, kept while it is set up in case it becomes an SFTP session
    /// (see `sftp` for why it never stalls the connection); dropped otherwise.
    pub(super) kept: Option<Channel<Msg>>,
}

pub(super) fn find(channels: &mut [Chan], id: ChannelId) -> Option<&mut Chan> {
    channels.iter_mut().find(|c| c.id == id)
}

impl Conn {
    /// Starts what a shell or exec request asked for.
    pub(super) fn start(
        &mut self,
        id: ChannelId,
        cmd: Command,
        session: &mut Session,
    ) -> Result<(), SessionError> {
        let Some(chan) = find(&mut self.channels, id) else {
            return Ok(());
        };
        if !matches!(chan.mode, Mode::Setup) {
            return Ok(());
        }
        let pty = chan.pty;
        let tab = match (&cmd, pty) {
            (Command::Default, Some(_)) => Some(SectionId::About),
            (Command::Section(s), Some(_)) => Some(*s),
            _ => None,
        };
        if let (Some(tab), Some(size)) = (tab, pty) {
            if chan.env.term.as_deref() == Some("dumb") {
                self.span
                    .debug(|| tracing::debug!("TERM=dumb: drawing without colour or attributes"));
            }
            let address = match self.ctl.address.get() {
                Some(key) => self.shared.render_budgets.get(*key),
                None => Arc::new(Address::default()),
            };
            let visit = Visit::new(tab, size, chan.env.capabilities(), address);
            chan.mode = Mode::Tui(LiveRef::start(
                visit,
                Arc::clone(&self.shared),
                Arc::clone(&self.ctl),
                session.handle(),
                id,
            ));
            let term = chan.env.term.clone().unwrap_or_default();
            self.span.debug(|| {
                tracing::debug!(kind = "tui", section = tab.slug(), cols = size.cols, rows = size.rows, term = %term, "session started")
            });
            self.ctl.note(|s| {
                s.command = format!("tui:{}", tab.slug());
                s.term = term;
                s.size = format!("{}x{}", size.cols, size.rows);
            });
            crate::metrics::get().session("tui");
            return Ok(());
        }
        self.start_exec(id, &cmd, pty, session)
    }

    /// Sends exit-status, EOF and close once everything queued for the channel has gone out.
    pub(super) fn finish_if_drained(
        &mut self,
        id: ChannelId,
        session: &mut Session,
    ) -> Result<(), SessionError> {
        let Some(chan) = find(&mut self.channels, id) else {
            return Ok(());
        };
        if let Mode::Draining { exit } = chan.mode
            && !session.has_pending_data(id)
        {
            chan.mode = Mode::Done;
            session.exit_status_request(id, exit)?;
            session.eof(id)?;
            session.close(id)?;
        }
        Ok(())
    }

    /// A window-change: the size is recorded; the visit draws it with its next frame (paced),
    /// so a flood of window-changes costs a few frames.
    pub(super) fn on_resize(
        &mut self,
        channel: ChannelId,
        col_width: u32,
        row_height: u32,
        session: &mut Session,
    ) -> Result<(), SessionError> {
        if self.over(self.ctl.budget.window_change(), session) {
            return Ok(());
        }
        let Some(chan) = find(&mut self.channels, channel) else {
            return Ok(());
        };
        let size = Size::clamped(col_width, row_height);
        match &mut chan.mode {
            Mode::Tui(live) => {
                live.update(|v| v.resize(size, std::time::Instant::now()));
                live.window(session.has_pending_data(channel));
            }
            Mode::Setup => chan.pty = chan.pty.map(|_| size),
            _ => {}
        }
        Ok(())
    }

    /// Channel data: keys (and mouse reports) for the TUI.
    pub(super) fn on_data(
        &mut self,
        channel: ChannelId,
        data: &[u8],
        session: &mut Session,
    ) -> Result<(), SessionError> {
        self.ctl.touch();
        let Some(chan) = find(&mut self.channels, channel) else {
            return Ok(());
        };
        if let Mode::Tui(live) = &mut chan.mode {
            let resume = self.shared.resume();
            live.update(|v| v.input(data, &resume));
            live.window(session.has_pending_data(channel));
        }
        Ok(())
    }

    /// The client's window opened again: the visit may draw its latest state, or a drained
    /// exec finishes.
    pub(super) fn on_window_adjusted(
        &mut self,
        channel: ChannelId,
        session: &mut Session,
    ) -> Result<(), SessionError> {
        let pending = session.has_pending_data(channel);
        if let Some(chan) = find(&mut self.channels, channel)
            && let Mode::Tui(live) = &chan.mode
        {
            live.window(pending);
        }
        if pending {
            return Ok(());
        }
        self.finish_if_drained(channel, session)
    }

    /// The client will send no more input. A TUI cannot be used any more: its visit ends
    /// cleanly (the terminal restored, exit status 0).
    pub(super) fn on_eof(
        &mut self,
        channel: ChannelId,
        session: &mut Session,
    ) -> Result<(), SessionError> {
        if let Some(chan) = find(&mut self.channels, channel)
            && let Mode::Tui(live) = &chan.mode
        {
            let resume = self.shared.resume();
            live.update(|v| v.end_input(&resume));
            return Ok(());
        }
        self.finish_if_drained(channel, session)
    }
}
