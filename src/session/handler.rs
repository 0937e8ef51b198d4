//! The russh `Handler` impl for a connection: each method a few lines that hand on to the
//! session's modules (auth, channels, output, exec, scp, sftp, refuse).

use russh::server::{Auth, Handler, Msg, Session};
use russh::{Channel, ChannelId, Pty, Sig};

use super::output::{Mode, find};
use super::{Conn, SessionError, env};
use crate::budget::Refused;
use crate::commands::Command;
use crate::sanitize;
use crate::terminal::Size;

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
        self.authenticated(session);
        Ok(())
    }

    async fn channel_open_session(
        &mut self,
        channel: Channel<Msg>,
        reply: russh::server::ChannelOpenHandle,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.open_session(channel, reply, session).await
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
        self.settle(channel);
        if self.spend_request(session) {
            return Ok(());
        }
        let Some(chan) = find(&mut self.channels, channel) else {
            return Ok(());
        };
        if !matches!(chan.mode, Mode::Setup) {
            session.channel_failure(channel)?;
            return Ok(());
        }
        chan.pty = Some(Size::clamped(col_width, row_height));
        chan.env.term = Some(sanitize::clean(term, 64));
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
        self.settle(channel);
        if self.spend_request(session) {
            return Ok(());
        }
        let Some(chan) = find(&mut self.channels, channel) else {
            return Ok(());
        };
        chan.env_count += 1;
        let accepted = env::apply(&mut chan.env, chan.env_count, name, value);
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
        self.unkeep(channel);
        if self.spend_request(session) {
            return Ok(());
        }
        session.channel_success(channel)?;
        self.start(channel, Command::Default, session)
    }

    async fn exec_request(
        &mut self,
        channel: ChannelId,
        data: &[u8],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.unkeep(channel);
        if self.spend_request(session) {
            return Ok(());
        }
        session.channel_success(channel)?;
        #[cfg(feature = "test-hooks")]
        if self.shared.test_hooks && data == b"__panic" {
            panic!("test-only panic trigger");
        }
        self.start_command(channel, Command::parse(data), session)
    }

    async fn subsystem_request(
        &mut self,
        channel: ChannelId,
        name: &str,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        if self.subsystem(channel, name, session)? {
            return Ok(());
        }
        if !self.refuse(
            Refused::Subsystem,
            session,
            || tracing::info!(subsystem = %sanitize::clean(name, 32), "refused a subsystem"),
        ) {
            session.channel_failure(channel)?;
        }
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
        self.settle(channel);
        if !self.refuse(Refused::X11, session, || {
            tracing::info!("refused X11 forwarding")
        }) {
            session.channel_failure(channel)?;
        }
        Ok(())
    }

    async fn agent_request(
        &mut self,
        channel: ChannelId,
        session: &mut Session,
    ) -> Result<bool, Self::Error> {
        self.settle(channel);
        self.refuse(Refused::Agent, session, || {
            tracing::info!("refused agent forwarding")
        });
        Ok(false)
    }

    async fn tcpip_forward(
        &mut self,
        _address: &str,
        _port: &mut u32,
        session: &mut Session,
    ) -> Result<bool, Self::Error> {
        self.refuse(Refused::TcpipForward, session, || {
            tracing::info!("refused remote port forwarding")
        });
        Ok(false)
    }

    async fn cancel_tcpip_forward(
        &mut self,
        _address: &str,
        _port: u32,
        session: &mut Session,
    ) -> Result<bool, Self::Error> {
        self.refuse(Refused::CancelTcpipForward, session, || {
            tracing::info!("refused to cancel a port forwarding")
        });
        Ok(false)
    }

    async fn streamlocal_forward(
        &mut self,
        _socket_path: &str,
        session: &mut Session,
    ) -> Result<bool, Self::Error> {
        self.refuse(Refused::Streamlocal, session, || {
            tracing::info!("refused socket forwarding")
        });
        Ok(false)
    }

    async fn cancel_streamlocal_forward(
        &mut self,
        _socket_path: &str,
        session: &mut Session,
    ) -> Result<bool, Self::Error> {
        self.refuse(Refused::Streamlocal, session, || {
            tracing::info!("refused to cancel a socket forwarding")
        });
        Ok(false)
    }

    async fn channel_open_forwarded_tcpip(
        &mut self,
        channel: Channel<Msg>,
        _host_to_connect: &str,
        _port_to_connect: u32,
        _originator_address: &str,
        _originator_port: u32,
        reply: russh::server::ChannelOpenHandle,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        drop(channel);
        self.refuse(Refused::Channel, session, || {
            tracing::info!("refused a forwarded-tcpip channel")
        });
        reply
            .reject(russh::ChannelOpenFailure::AdministrativelyProhibited)
            .await;
        Ok(())
    }

    async fn channel_open_direct_streamlocal(
        &mut self,
        channel: Channel<Msg>,
        _socket_path: &str,
        reply: russh::server::ChannelOpenHandle,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        drop(channel);
        self.refuse(Refused::Streamlocal, session, || {
            tracing::info!("refused a socket forwarding channel")
        });
        reply
            .reject(russh::ChannelOpenFailure::AdministrativelyProhibited)
            .await;
        Ok(())
    }

    async fn signal(
        &mut self,
        channel: ChannelId,
        _signal: Sig,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.settle(channel);
        self.spend_request(session);
        Ok(())
    }

    async fn channel_open_direct_tcpip(
        &mut self,
        channel: Channel<Msg>,
        _host_to_connect: &str,
        _port_to_connect: u32,
        _originator_address: &str,
        _originator_port: u32,
        reply: russh::server::ChannelOpenHandle,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        drop(channel);
        self.refuse(Refused::DirectTcpip, session, || {
            tracing::info!("refused local port forwarding")
        });
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
        self.settle(channel);
        self.on_resize(channel, col_width, row_height, session)
    }

    async fn data(
        &mut self,
        channel: ChannelId,
        data: &[u8],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.unkeep(channel);
        if self.scp_data(channel, data, session)? || self.message_data(channel, data, session)? {
            return Ok(());
        }
        self.on_data(channel, data, session)
    }

    async fn extended_data(
        &mut self,
        channel: ChannelId,
        _code: u32,
        _data: &[u8],
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.unkeep(channel);
        Ok(())
    }

    async fn window_adjusted(
        &mut self,
        channel: ChannelId,
        _new_size: u32,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.settle(channel);
        self.on_window_adjusted(channel, session)
    }

    async fn channel_eof(
        &mut self,
        channel: ChannelId,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.unkeep(channel);
        self.scp_eof(channel, session)?;
        self.message_eof(channel, session)?;
        self.on_eof(channel, session)
    }

    async fn channel_close(
        &mut self,
        channel: ChannelId,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if let Some(chan) = find(&mut self.channels, channel) {
            chan.mode = Mode::Done;
            chan.kept = None;
        }
        self.ctl.clear_visit_if(channel);
        Ok(())
    }
}
