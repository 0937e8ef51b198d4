//! A session channel opened: accepted while the connection's channel limits allow, refused
//! (with the reason counted against the connection's budget) when they do not.

use russh::Channel;
use russh::server::{Msg, Session};

use super::output::{Chan, Mode};
use super::{Conn, SessionError};
use crate::budget::Refused;
use crate::tui::theme::ClientEnv;

impl Conn {
    pub(super) async fn open_session(
        &mut self,
        channel: Channel<Msg>,
        reply: russh::server::ChannelOpenHandle,
        session: &mut Session,
    ) -> Result<(), SessionError> {
        let id = channel.id();
        if self.spend_request(session) {
            reply
                .reject(russh::ChannelOpenFailure::ResourceShortage)
                .await;
            return Ok(());
        }
        let open = self.channels.iter().filter(|c| !c.mode.is_done()).count();
        if open >= self.shared.limits.max_channels
            || self.opened >= 4 * self.shared.limits.max_channels
        {
            self.refuse(Refused::Channel, session, || {
                tracing::info!("refused a session channel: too many")
            });
            reply
                .reject(russh::ChannelOpenFailure::ResourceShortage)
                .await;
            return Ok(());
        }
        self.channels.retain(|c| !c.mode.is_done());
        self.opened += 1;
        self.channels.push(Chan {
            id,
            pty: None,
            env: ClientEnv::default(),
            env_count: 0,
            mode: Mode::Setup,
            // Kept only while the channel is set up, its queue emptied on every request
            // (session/sftp): unread, it would stall the connection.
            kept: Some(channel),
        });
        reply.accept().await;
        Ok(())
    }
}
