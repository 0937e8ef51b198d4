//! The SSH algorithm policy: modern algorithms only, an Ed25519 host key, anonymous auth, and
//! no russh timers (the server's deadline sweep owns every deadline).

use std::borrow::Cow;
use std::time::Duration;

use russh::keys::{Algorithm, PrivateKey};
use russh::server::Config;
use russh::{Preferred, SshId, cipher, compression, kex, mac};

use crate::session;

/// The version string sent to clients (no made-up OpenSSH version).
pub const SERVER_ID: &str = concat!("SSH-2.0-resume_ssh_", env!("CARGO_PKG_VERSION"));

/// The russh configuration: modern algorithms only, Ed25519 host key, anonymous auth.
pub fn ssh_config(key: PrivateKey) -> Config {
    static KEX: &[kex::Name] = &[
        kex::MLKEM768X25519_SHA256,
        kex::CURVE25519,
        kex::CURVE25519_PRE_RFC_8731,
        kex::EXTENSION_SUPPORT_AS_SERVER,
        kex::EXTENSION_OPENSSH_STRICT_KEX_AS_SERVER,
    ];
    static CIPHERS: &[cipher::Name] = &[
        cipher::CHACHA20_POLY1305,
        cipher::AES_256_GCM,
        cipher::AES_128_GCM,
    ];
    static MACS: &[mac::Name] = &[mac::HMAC_SHA256_ETM, mac::HMAC_SHA512_ETM];
    static COMPRESSION: &[compression::Name] = &[compression::NONE];
    static KEYS: &[Algorithm] = &[Algorithm::Ed25519];
    Config {
        server_id: SshId::Standard(Cow::Borrowed(SERVER_ID)),
        methods: session::auth_methods(),
        auth_rejection_time: Duration::from_millis(0),
        auth_rejection_time_initial: Some(Duration::from_millis(0)),
        keys: vec![key],
        preferred: Preferred {
            kex: Cow::Borrowed(KEX),
            key: Cow::Borrowed(KEYS),
            cipher: Cow::Borrowed(CIPHERS),
            mac: Cow::Borrowed(MACS),
            compression: Cow::Borrowed(COMPRESSION),
            ..Preferred::default()
        },
        max_auth_attempts: 6,
        // Deadlines (handshake, idle, maximum) are the server's sweep, with a message: russh
        // keeps no timer per connection.
        inactivity_timeout: None,
        keepalive_interval: None,
        nodelay: true,
        window_size: 256 * 1024,
        channel_buffer_size: 16,
        event_buffer_size: 16,
        ..Config::default()
    }
}
