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
    /// From TCP accept to successful authentication.
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
    pub listen: SocketAddr,
    pub resume_path: PathBuf,
    pub host_key_path: PathBuf,
    pub limits: Limits,
}
