//! Authentication: every method is offered and every attempt succeeds (the resume is public);
//! once it has, the client's version string is counted and noted.

use russh::server::Session;
use russh::{MethodKind, MethodSet};

use super::Conn;
use crate::sanitize;

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

impl Conn {
    /// The handshake is done: the client family counted (fixed labels), its version string kept
    /// (cleaned, cut) for the connection's closing line.
    pub(super) fn authenticated(&mut self, session: &Session) {
        crate::metrics::get()
            .visitors
            .client(session.remote_sshid());
        let client = sanitize::clean_bytes(session.remote_sshid(), 96);
        self.ctl.note(|s| s.client = client);
        self.shared.handshake_done(&self.ctl);
        self.ctl.touch();
    }
}
