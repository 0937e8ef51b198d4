//! Server settings: listen address, file paths and limits, with defaults that suit a small VPS.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// Limits that protect the server from one client, or many.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Open connections in total.
    pub max_connections: usize,
    /// Open connections from one source address.
    pub max_per_ip: usize,
    /// New connections one source address may open per minute (token bucket, burst of the same).
    pub rate_per_ip_per_minute: u32,
    /// From TCP accept to a complete PROXY protocol header (with `--proxy-protocol`); the
    /// connection takes its slot only after it.
    pub proxy_header_timeout: Duration,
    /// From TCP accept (or the PROXY header) to successful authentication.
    pub handshake_timeout: Duration,
    /// Without input from the client.
    pub idle_timeout: Duration,
    /// Whole session, however active.
    pub max_session: Duration,
    /// Session channels per connection.
    pub max_channels: usize,
    /// How long shutdown waits for open sessions after telling them.
    pub shutdown_grace: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_connections: 1000,
            max_per_ip: 10,
            rate_per_ip_per_minute: 30,
            proxy_header_timeout: Duration::from_secs(3),
            handshake_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(600),
            max_session: Duration::from_secs(3600),
            max_channels: 2,
            shutdown_grace: Duration::from_secs(5),
        }
    }
}

/// Everything `serve` needs.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Every address to listen on (see [`crate::server::listen`]).
    pub listen: Vec<SocketAddr>,
    pub resume_path: PathBuf,
    pub host_key_path: PathBuf,
    pub limits: Limits,
}

/// How client addresses appear in logs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LogIp {
    /// The address and port as they are.
    Full,
    /// A keyed hash of the address (a new random key every start): visits from one address can
    /// be told apart within a run, but the address cannot be read back.
    #[default]
    Hashed,
    /// Not logged at all.
    None,
}

impl LogIp {
    /// The form of `addr` to log.
    pub fn show(self, addr: std::net::SocketAddr) -> String {
        use std::hash::BuildHasher;
        static SALT: std::sync::OnceLock<std::collections::hash_map::RandomState> =
            std::sync::OnceLock::new();
        match self {
            LogIp::Full => addr.to_string(),
            LogIp::Hashed => {
                let h = SALT
                    .get_or_init(std::collections::hash_map::RandomState::new)
                    .hash_one(addr.ip());
                format!("ip-{:012x}", h & 0xffff_ffff_ffff)
            }
            LogIp::None => "-".to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_addresses_are_stable_and_opaque() {
        let a: std::net::SocketAddr = "203.0.113.7:5000".parse().unwrap();
        let b: std::net::SocketAddr = "203.0.113.7:6000".parse().unwrap();
        let c: std::net::SocketAddr = "203.0.113.8:5000".parse().unwrap();
        assert_eq!(LogIp::Hashed.show(a), LogIp::Hashed.show(b));
        assert_ne!(LogIp::Hashed.show(a), LogIp::Hashed.show(c));
        assert!(!LogIp::Hashed.show(a).contains("203"));
        assert_eq!(LogIp::Full.show(a), "203.0.113.7:5000");
        assert_eq!(LogIp::None.show(a), "-");
    }
}
