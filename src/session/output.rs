//! A session channel's life after shell/exec: the TUI started and pumped under flow control
//! (no new frame while the client's window is full), or an exec command's output sent, then
//! exit-status, EOF and close once it has drained.

use std::sync::atomic::Ordering;

use russh::ChannelId;
use russh::server::Session;

use super::{Conn, STATUS_QUERY, SessionError};
use crate::commands::Command;
use crate::content::SectionId;
use crate::terminal::Size;
use crate::tui::theme::ClientEnv;
use crate::tui::{Redraw, Tui};

/// What one session channel is doing.
pub(super) enum Mode {
    /// Opened; waiting for pty/env/shell/exec.
    Setup,
    /// Showing the TUI.
    Tui(Box<Tui>),
    /// Printed its output; waiting for it to drain before exit-status, EOF and close.
    Draining {
        exit: u32,
    },
    Done,
}

pub(super) struct Chan {
    pub(super) id: ChannelId,
    pub(super) pty: Option<Size>,
    pub(super) env: ClientEnv,
    pub(super) env_count: usize,
    pub(super) mode: Mode,
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
            let tui = Tui::new(tab, size, chan.env.capabilities());
            chan.mode = Mode::Tui(Box::new(tui));
            self.ctl.set_tui(Some((id, session.handle())));
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
            return self.pump(id, session);
        }
        self.start_exec(id, &cmd, pty.is_some(), session)
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

    /// Brings the client's screen up to date, or ends the TUI if the visitor quit.
    pub(super) fn pump(
        &mut self,
        id: ChannelId,
        session: &mut Session,
    ) -> Result<(), SessionError> {
        let resume = self.shared.resume();
        let ending = self.ctl.ending.load(Ordering::SeqCst);
        let Some(chan) = find(&mut self.channels, id) else {
            return Ok(());
        };
        let Mode::Tui(tui) = &mut chan.mode else {
            return Ok(());
        };
        if ending {
            return Ok(());
        }
        let mut out = Vec::new();
        if tui.wants_quit() {
            tui.leave(&mut out);
            chan.mode = Mode::Draining { exit: 0 };
            self.ctl.set_tui(None);
            if !out.is_empty() {
                session.data(id, out)?;
            }
            self.span.debug(|| tracing::debug!("visitor quit"));
            return self.finish_if_drained(id, session);
        }
        if session.has_pending_data(id) {
            // The client is not reading: draw the latest state when the window opens.
            return Ok(());
        }
        tui.frame(&resume, &mut out);
        if tui.input_pending() {
            out.extend_from_slice(STATUS_QUERY);
        }
        if !out.is_empty() {
            session.data(id, out)?;
        }
        Ok(())
    }

    /// A window-change: the size is recorded; a frame is drawn at most once per interval (the
    /// rest go with the next frame), so a flood of window-changes costs a few frames.
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
            // The size is recorded; a frame is drawn at most once per interval (the rest go
            // with the next frame), so a flood of window-changes costs a few frames.
            Mode::Tui(tui) => match tui.resize(size, std::time::Instant::now()) {
                Redraw::Now => self.pump(channel, session),
                Redraw::AskTerminal => {
                    session.data(channel, STATUS_QUERY)?;
                    Ok(())
                }
                Redraw::Later => Ok(()),
            },
            Mode::Setup => {
                chan.pty = chan.pty.map(|_| size);
                Ok(())
            }
            _ => Ok(()),
        }
    }

    /// Channel data: keys (and mouse reports) for the TUI.
    pub(super) fn on_data(
        &mut self,
        channel: ChannelId,
        data: &[u8],
        session: &mut Session,
    ) -> Result<(), SessionError> {
        self.ctl.touch();
        let resume = self.shared.resume();
        let Some(chan) = find(&mut self.channels, channel) else {
            return Ok(());
        };
        if let Mode::Tui(tui) = &mut chan.mode {
            tui.input(data, &resume);
            self.pump(channel, session)?;
        }
        Ok(())
    }

    /// The client's window opened again: draw the latest state, or finish a drained exec.
    pub(super) fn on_window_adjusted(
        &mut self,
        channel: ChannelId,
        session: &mut Session,
    ) -> Result<(), SessionError> {
        if session.has_pending_data(channel) {
            return Ok(());
        }
        self.pump(channel, session)?;
        self.finish_if_drained(channel, session)
    }

    /// The client will send no more input. A TUI cannot be used any more: end it cleanly.
    pub(super) fn on_eof(
        &mut self,
        channel: ChannelId,
        session: &mut Session,
    ) -> Result<(), SessionError> {
        // The client will send no more input. A TUI cannot be used any more: end it cleanly.
        if let Some(chan) = find(&mut self.channels, channel)
            && let Mode::Tui(tui) = &mut chan.mode
        {
            let resume = self.shared.resume();
            tui.flush_input(&resume);
            let mut out = Vec::new();
            tui.leave(&mut out);
            chan.mode = Mode::Draining { exit: 0 };
            if !out.is_empty() {
                session.data(channel, out)?;
            }
        }
        self.finish_if_drained(channel, session)
    }
}
