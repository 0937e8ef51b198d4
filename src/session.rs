//! The russh handler for one connection: anonymous auth, session channels, PTY, shell/exec, and
//! the bridge from channel data to the TUI and from the TUI back to the channel.
//!
//! Everything here runs inside russh's session loop, so output goes through `Session::data`
//! (never an awaited `Handle`, which could deadlock). Output is flow-controlled: while the
//! client's window is full and data is pending, no new frame is produced; when the window opens
//! again the latest state is drawn once. A client that stops reading costs at most one frame.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use russh::server::{Auth, Handler, Msg, Session};
use russh::{Channel, ChannelId, MethodKind, MethodSet, Pty};

mod pdf_exec;

use crate::commands::{self, Command};
use crate::conn::ConnCtl;
use crate::content::SectionId;
use crate::export::{json, markdown, plain, vcard};
use crate::shared::Shared;
use crate::terminal::Size;
use crate::tui::theme::ClientEnv;
use crate::tui::{Redraw, Tui};

/// Asks the client's terminal for a status report. The answer arrives as input, which lets the
/// handler resolve a lone ESC (Esc key vs. a split sequence) and pick up a reloaded resume
/// without any timer.
pub const STATUS_QUERY: &[u8] = b"\x1b[5n";

/// Environment requests kept per channel, and their size.
const MAX_ENV: usize = 16;
const MAX_ENV_VALUE: usize = 256;

/// What one session channel is doing.
enum Mode {
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

struct Chan {
    id: ChannelId,
    pty: Option<Size>,
    env: ClientEnv,
    env_count: usize,
    mode: Mode,
}

fn find(channels: &mut [Chan], id: ChannelId) -> Option<&mut Chan> {
    channels.iter_mut().find(|c| c.id == id)
}

/// The handler of one connection.
pub struct Conn {
    shared: Arc<Shared>,
    ctl: Arc<ConnCtl>,
    channels: Vec<Chan>,
    opened: usize,
    /// The connection's span, so the handler's log lines carry the peer.
    span: tracing::Span,
}

/// The handler's error: russh's, or a refused request.
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    #[error(transparent)]
    Russh(#[from] russh::Error),
}

impl Conn {
    pub fn new(shared: Arc<Shared>, ctl: Arc<ConnCtl>, span: tracing::Span) -> Conn {
        Conn {
            shared,
            ctl,
            channels: Vec::new(),
            opened: 0,
            span,
        }
    }

    /// Starts what a shell or exec request asked for.
    fn start(
        &mut self,
        id: ChannelId,
        cmd: Command,
        session: &mut Session,
    ) -> Result<(), SessionError> {
        let resume = self.shared.resume();
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
                tracing::debug!("TERM=dumb: drawing without colour or attributes");
            }
            let tui = Tui::new(tab, size, chan.env.capabilities());
            chan.mode = Mode::Tui(Box::new(tui));
            self.ctl.set_tui(Some((id, session.handle())));
            let term = chan.env.term.clone().unwrap_or_default();
            self.span.in_scope(|| {
                tracing::debug!(kind = "tui", section = tab.slug(), cols = size.cols, rows = size.rows, term = %term, "session started")
            });
            self.ctl.note(|s| {
                s.command = format!("tui:{}", tab.slug());
                s.term = term;
                s.size = format!("{}x{}", size.cols, size.rows);
            });
            crate::metrics::get().session("tui");
            crate::metrics::get().tab_view(tab.slug());
            return self.pump(id, session);
        }
        let (out, err, exit) = match &cmd {
            Command::Default => (
                plain::render(&resume, plain::DEFAULT_WIDTH),
                String::new(),
                0,
            ),
            Command::Plain { width } => (plain::render(&resume, *width), String::new(), 0),
            Command::Section(s) => (
                plain::render_section(&resume, *s, plain::DEFAULT_WIDTH),
                String::new(),
                0,
            ),
            Command::Json => (json::render(&resume), String::new(), 0),
            Command::Vcard => (vcard::render(&resume), String::new(), 0),
            Command::Markdown => (markdown::render(&resume), String::new(), 0),
            Command::Pdf(paper) => return self.send_pdf(id, *paper, pty.is_some(), session),
            Command::Help => (commands::help_text(), String::new(), 0),
            Command::Unknown(what) => (
                String::new(),
                format!("unknown command '{what}'\n\n{}", commands::help_text()),
                2,
            ),
        };
        let kind = cmd.kind();
        self.span.in_scope(|| {
            tracing::debug!(
                kind = "exec",
                command = kind,
                pty = pty.is_some(),
                exit,
                "session started"
            )
        });
        self.ctl.note(|s| s.command = kind.to_owned());
        crate::metrics::get().session(kind);
        // With a PTY the client's terminal is raw: lines need CR LF. vCard already has CR LF.
        let fix = |s: String| -> String {
            if pty.is_some() && !matches!(cmd, Command::Vcard) {
                s.replace('\n', "\r\n")
            } else {
                s
            }
        };
        if !out.is_empty() {
            session.data(id, fix(out).into_bytes())?;
        }
        if !err.is_empty() {
            session.extended_data(id, 1, fix(err).into_bytes())?;
        }
        if let Some(chan) = find(&mut self.channels, id) {
            chan.mode = Mode::Draining { exit };
        }
        self.finish_if_drained(id, session)
    }

    /// Sends exit-status, EOF and close once everything queued for the channel has gone out.
    fn finish_if_drained(
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
    fn pump(&mut self, id: ChannelId, session: &mut Session) -> Result<(), SessionError> {
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
            self.span.in_scope(|| tracing::info!("visitor quit"));
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
}

impl Handler for Conn {
    type Error = SessionError;

    async fn auth_none(&mut self, _user: &str) -> Result<Auth, Self::Error> {
        Ok(Auth::Accept)
    }

    async fn auth_password(&mut self, _user: &str, _password: &str) -> Result<Auth, Self::Error> {
        Ok(Auth::Accept)
    }

    async fn auth_publickey_offered(
        &mut self,
        _user: &str,
        _offer: russh::server::PublicKeyOffer<'_>,
    ) -> Result<Auth, Self::Error> {
        Ok(Auth::Accept)
    }

    async fn auth_publickey(
        &mut self,
        _user: &str,
        _key: russh::server::VerifiedPublicKey<'_>,
    ) -> Result<Auth, Self::Error> {
        Ok(Auth::Accept)
    }

    async fn auth_keyboard_interactive<'a>(
        &'a mut self,
        _user: &str,
        _submethods: &str,
        _response: Option<russh::server::Response<'a>>,
    ) -> Result<Auth, Self::Error> {
        Ok(Auth::Accept)
    }

    async fn auth_succeeded(&mut self, session: &mut Session) -> Result<(), Self::Error> {
        let client: String = String::from_utf8_lossy(session.remote_sshid())
            .chars()
            .filter(|c| !c.is_control())
            .take(96)
            .collect();
        self.ctl.note(|s| s.client = client);
        self.shared.handshake_done(&self.ctl);
        self.ctl.touch();
        Ok(())
    }

    async fn channel_open_session(
        &mut self,
        channel: Channel<Msg>,
        reply: russh::server::ChannelOpenHandle,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        let id = channel.id();
        // Never keep the Channel: unread, its queue would stall the connection.
        drop(channel);
        let open = self
            .channels
            .iter()
            .filter(|c| !matches!(c.mode, Mode::Done))
            .count();
        if open >= self.shared.limits.max_channels
            || self.opened >= 4 * self.shared.limits.max_channels
        {
            self.span
                .in_scope(|| tracing::info!("refused a session channel: too many"));
            reply
                .reject(russh::ChannelOpenFailure::ResourceShortage)
                .await;
            return Ok(());
        }
        self.channels.retain(|c| !matches!(c.mode, Mode::Done));
        self.opened += 1;
        self.channels.push(Chan {
            id,
            pty: None,
            env: ClientEnv::default(),
            env_count: 0,
            mode: Mode::Setup,
        });
        reply.accept().await;
        Ok(())
    }

    async fn pty_request(
        &mut self,
        channel: ChannelId,
        term: &str,
        col_width: u32,
        row_height: u32,
        _pix_width: u32,
        _pix_height: u32,
        _modes: &[(Pty, u32)],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        let Some(chan) = find(&mut self.channels, channel) else {
            return Ok(());
        };
        if !matches!(chan.mode, Mode::Setup) {
            session.channel_failure(channel)?;
            return Ok(());
        }
        chan.pty = Some(Size::clamped(col_width, row_height));
        chan.env.term = Some(term.chars().filter(|c| !c.is_control()).take(64).collect());
        session.channel_success(channel)?;
        Ok(())
    }

    async fn env_request(
        &mut self,
        channel: ChannelId,
        name: &str,
        value: &str,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        let Some(chan) = find(&mut self.channels, channel) else {
            return Ok(());
        };
        chan.env_count += 1;
        let keep = chan.env_count <= MAX_ENV && value.len() <= MAX_ENV_VALUE;
        let value = value.to_owned();
        let accepted = keep
            && match name {
                "TERM" => {
                    chan.env.term = Some(value);
                    true
                }
                "COLORTERM" => {
                    chan.env.colorterm = Some(value);
                    true
                }
                "NO_COLOR" => {
                    chan.env.no_color = true;
                    true
                }
                "LANG" => {
                    chan.env.lang = Some(value);
                    true
                }
                "LC_ALL" => {
                    chan.env.lc_all = Some(value);
                    true
                }
                "LC_CTYPE" => {
                    chan.env.lc_ctype = Some(value);
                    true
                }
                n => n.starts_with("LC_"),
            };
        if accepted {
            session.channel_success(channel)?;
        } else {
            session.channel_failure(channel)?;
        }
        Ok(())
    }

    async fn shell_request(
        &mut self,
        channel: ChannelId,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        session.channel_success(channel)?;
        self.start(channel, Command::Default, session)
    }

    async fn exec_request(
        &mut self,
        channel: ChannelId,
        data: &[u8],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        session.channel_success(channel)?;
        if self.shared.test_hooks && data == b"__panic" {
            panic!("test-only panic trigger");
        }
        self.start(channel, Command::parse(data), session)
    }

    async fn subsystem_request(
        &mut self,
        channel: ChannelId,
        name: &str,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        let name: String = name.chars().filter(|c| !c.is_control()).take(32).collect();
        self.span
            .in_scope(|| tracing::info!(subsystem = %name, "refused a subsystem"));
        session.channel_failure(channel)?;
        Ok(())
    }

    async fn x11_request(
        &mut self,
        channel: ChannelId,
        _single_connection: bool,
        _x11_auth_protocol: &str,
        _x11_auth_cookie: &str,
        _x11_screen_number: u32,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.span
            .in_scope(|| tracing::info!("refused X11 forwarding"));
        session.channel_failure(channel)?;
        Ok(())
    }

    async fn agent_request(
        &mut self,
        _channel: ChannelId,
        _session: &mut Session,
    ) -> Result<bool, Self::Error> {
        self.span
            .in_scope(|| tracing::info!("refused agent forwarding"));
        Ok(false)
    }

    async fn tcpip_forward(
        &mut self,
        _address: &str,
        _port: &mut u32,
        _session: &mut Session,
    ) -> Result<bool, Self::Error> {
        self.span
            .in_scope(|| tracing::info!("refused remote port forwarding"));
        Ok(false)
    }

    async fn channel_open_direct_tcpip(
        &mut self,
        channel: Channel<Msg>,
        _host_to_connect: &str,
        _port_to_connect: u32,
        _originator_address: &str,
        _originator_port: u32,
        reply: russh::server::ChannelOpenHandle,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        drop(channel);
        self.span
            .in_scope(|| tracing::info!("refused local port forwarding"));
        reply
            .reject(russh::ChannelOpenFailure::AdministrativelyProhibited)
            .await;
        Ok(())
    }

    async fn window_change_request(
        &mut self,
        channel: ChannelId,
        col_width: u32,
        row_height: u32,
        _pix_width: u32,
        _pix_height: u32,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
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

    async fn data(
        &mut self,
        channel: ChannelId,
        data: &[u8],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.ctl.touch();
        let resume = self.shared.resume();
        let Some(chan) = find(&mut self.channels, channel) else {
            return Ok(());
        };
        if let Mode::Tui(tui) = &mut chan.mode {
            let before = tui.app().tab;
            tui.input(data, &resume);
            let after = tui.app().tab;
            if after != before {
                crate::metrics::get().tab_view(after.slug());
            }
            self.pump(channel, session)?;
        }
        Ok(())
    }

    async fn window_adjusted(
        &mut self,
        channel: ChannelId,
        _new_size: u32,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        if session.has_pending_data(channel) {
            return Ok(());
        }
        self.pump(channel, session)?;
        self.finish_if_drained(channel, session)
    }

    async fn channel_eof(
        &mut self,
        channel: ChannelId,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
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

    async fn channel_close(
        &mut self,
        channel: ChannelId,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if let Some(chan) = find(&mut self.channels, channel) {
            chan.mode = Mode::Done;
        }
        self.ctl.clear_tui_if(channel);
        Ok(())
    }
}

impl SessionError {
    /// Whether this is just the client going away (closing the socket without a goodbye).
    pub fn is_disconnect(&self) -> bool {
        match self {
            SessionError::Russh(russh::Error::Disconnect | russh::Error::HUP) => true,
            SessionError::Russh(russh::Error::IO(e)) => matches!(
                e.kind(),
                std::io::ErrorKind::UnexpectedEof
                    | std::io::ErrorKind::ConnectionReset
                    | std::io::ErrorKind::BrokenPipe
                    | std::io::ErrorKind::ConnectionAborted
            ),
            _ => false,
        }
    }
}

/// The authentication methods offered: all of them, and all succeed.
pub fn auth_methods() -> MethodSet {
    MethodSet::from(
        &[
            MethodKind::None,
            MethodKind::PublicKey,
            MethodKind::KeyboardInteractive,
            MethodKind::Password,
        ][..],
    )
}
