//! The accept loop: connection limits, per-address rate limits, deadlines, and graceful shutdown.
//!
//! Sockets are accepted here (not by russh) so that a connection over a limit is refused before
//! any key exchange, with a one-line reason the client prints, and so that shutdown can tell every
//! open session and wait for it. Each connection runs in its own task; a failure or panic in one
//! never reaches the listener or other connections.

use std::borrow::Cow;
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use russh::keys::{Algorithm, PrivateKey};
use russh::server::Config;
use russh::{Disconnect, Preferred, SshId, cipher, compression, kex, mac};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;
use tokio::time::Instant;
use tracing::Instrument;

use crate::conn::{ConnCtl, EndReason, GuardedStream};
use crate::session::{self, Conn};
use crate::shared::Shared;
use crate::{proxy, terminal};

/// The version string sent to clients (no made-up OpenSSH version).
pub const SERVER_ID: &str = concat!("SSH-2.0-resume_ssh_", env!("CARGO_PKG_VERSION"));

/// Refusals being written at once; past this a refused socket is just closed.
const MAX_REFUSALS_IN_FLIGHT: usize = 64;

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

/// Counts open connections per source address.
struct PerIp {
    open: Mutex<HashMap<IpAddr, usize>>,
    max: usize,
}

/// Releases a per-address slot when a connection ends.
struct IpSlot {
    per_ip: Arc<PerIp>,
    ip: IpAddr,
}

impl PerIp {
    fn try_take(self: &Arc<Self>, ip: IpAddr) -> Option<IpSlot> {
        let mut m = self.open.lock().ok()?;
        let n = m.entry(ip).or_insert(0);
        if *n >= self.max {
            return None;
        }
        *n += 1;
        Some(IpSlot {
            per_ip: Arc::clone(self),
            ip,
        })
    }
}

impl Drop for IpSlot {
    fn drop(&mut self) {
        if let Ok(mut m) = self.per_ip.open.lock()
            && let Some(n) = m.get_mut(&self.ip)
        {
            *n -= 1;
            if *n == 0 {
                m.remove(&self.ip);
            }
        }
    }
}

/// Why a connection was refused at accept time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    ServerFull,
    TooManyFromAddress,
    RateLimited,
    ShuttingDown,
}

impl Refusal {
    fn message(self) -> &'static str {
        match self {
            Refusal::ServerFull => "The server is busy right now; please try again in a minute.",
            Refusal::TooManyFromAddress => {
                "Too many open connections from your address; close some and try again."
            }
            Refusal::RateLimited => {
                "Too many new connections from your address; please wait a minute and try again."
            }
            Refusal::ShuttingDown => "The server is restarting; please try again in a moment.",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Refusal::ServerFull => "server_full",
            Refusal::TooManyFromAddress => "per_ip",
            Refusal::RateLimited => "rate",
            Refusal::ShuttingDown => "shutdown",
        }
    }
}

/// The bytes that refuse a connection before key exchange: a human-readable line, the version
/// line, and an unencrypted SSH_MSG_DISCONNECT (reason 12, too many connections) that OpenSSH
/// prints as "Received disconnect from ...: <reason>".
pub fn refusal_bytes(message: &str) -> Vec<u8> {
    let mut payload = vec![1u8]; // SSH_MSG_DISCONNECT
    payload.extend_from_slice(&12u32.to_be_bytes());
    payload.extend_from_slice(&(message.len() as u32).to_be_bytes());
    payload.extend_from_slice(message.as_bytes());
    payload.extend_from_slice(&0u32.to_be_bytes()); // language tag
    let unpadded = 4 + 1 + payload.len();
    let mut padding = 8 - unpadded % 8;
    if padding < 4 {
        padding += 8;
    }
    let mut out = format!("{message}\r\n{SERVER_ID}\r\n").into_bytes();
    out.extend_from_slice(&((1 + payload.len() + padding) as u32).to_be_bytes());
    out.push(padding as u8);
    out.extend_from_slice(&payload);
    out.extend(std::iter::repeat_n(0u8, padding));
    out
}

/// Writes the refusal, then lets the client read it before the socket closes.
async fn refuse(mut stream: TcpStream, why: Refusal) {
    let _ = stream.set_nodelay(true);
    let write = async {
        stream.write_all(&refusal_bytes(why.message())).await?;
        stream.shutdown().await?;
        // Drain what the client sent so closing does not reset the connection under our words.
        let mut sink = [0u8; 1024];
        let mut total = 0;
        while total < 16 * 1024 {
            let n = stream.read(&mut sink).await?;
            if n == 0 {
                break;
            }
            total += n;
        }
        Ok::<_, std::io::Error>(())
    };
    let _ = tokio::time::timeout(Duration::from_secs(2), write).await;
}

/// Admission control: connection slots, per-address counts and rates, refusal budget.
struct Gate {
    per_ip: Arc<PerIp>,
    rate: DefaultKeyedRateLimiter<IpAddr>,
    slots: Arc<Semaphore>,
    refusals: Arc<Semaphore>,
}

impl Gate {
    /// Refuses `stream` in the background (if the refusal budget allows), counting it.
    fn refuse(&self, stream: TcpStream, peer: SocketAddr, why: Refusal, shared: &Shared) {
        let shown = shared.log_ip.show(peer);
        tracing::info!(peer = %shown, reason = why.label(), "refused connection");
        crate::metrics::get().refused(why.label());
        if let Ok(permit) = Arc::clone(&self.refusals).try_acquire_owned() {
            tokio::spawn(async move {
                refuse(stream, why).await;
                drop(permit);
            });
        }
    }

    /// Checks the per-address rate and count for the client's real address.
    fn admit(&self, ip: IpAddr) -> Result<IpSlot, Refusal> {
        if self.rate.check_key(&ip).is_err() {
            return Err(Refusal::RateLimited);
        }
        self.per_ip.try_take(ip).ok_or(Refusal::TooManyFromAddress)
    }
}

/// The running server: everything the accept loop and its connections share.
pub struct Server {
    shared: Arc<Shared>,
    config: Arc<Config>,
    gate: Arc<Gate>,
}

impl Server {
    pub fn new(shared: Arc<Shared>, key: PrivateKey) -> Server {
        let limits = &shared.limits;
        let per_minute =
            NonZeroU32::new(limits.rate_per_ip_per_minute.max(1)).unwrap_or(NonZeroU32::MIN);
        let config = Arc::new(ssh_config(key));
        let gate = Gate {
            per_ip: Arc::new(PerIp {
                open: Mutex::new(HashMap::new()),
                max: limits.max_per_ip.max(1),
            }),
            rate: RateLimiter::keyed(Quota::per_minute(per_minute)),
            slots: Arc::new(Semaphore::new(limits.max_connections.max(1))),
            refusals: Arc::new(Semaphore::new(MAX_REFUSALS_IN_FLIGHT)),
        };
        Server {
            gate: Arc::new(gate),
            config,
            shared,
        }
    }

    /// Accepts connections until `shutdown` resolves, then ends open sessions gracefully.
    /// `on_tick` is called on every accept-loop turn and at least every few seconds: the place to
    /// pet a watchdog.
    pub async fn run(
        self,
        listener: TcpListener,
        shutdown: impl std::future::Future<Output = ()>,
        mut on_tick: impl FnMut(),
    ) -> anyhow::Result<()> {
        tokio::pin!(shutdown);
        // One timer for the whole server: deadlines are checked by sweeping the connection
        // table, so idle sessions own no timers and cost nothing while idle.
        let mut sweep = tokio::time::interval(Duration::from_secs(1));
        sweep.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut ticks = 0u64;
        let limits = &self.shared.limits;
        let full_every = (limits.idle_timeout.min(limits.max_session).as_secs() / 4).clamp(1, 10);
        loop {
            tokio::select! {
                _ = &mut shutdown => break,
                _ = sweep.tick() => {
                    // Handshake and notice deadlines are seconds away: check them every second
                    // while there are any. Idle and session-length deadlines are minutes away:
                    // a full pass every few seconds is exact enough, and idle servers stay idle.
                    if ticks % full_every == 0 || self.shared.has_urgent() {
                        self.reap();
                    }
                    ticks += 1;
                    if ticks % 10 == 0 {
                        self.gate.rate.retain_recent();
                    }
                    on_tick();
                }
                accepted = listener.accept() => {
                    on_tick();
                    match accepted {
                        Ok((stream, peer)) => self.accept(stream, peer),
                        Err(e) => {
                            // EMFILE and friends: back off briefly instead of spinning.
                            tracing::warn!(error = %e, "accept failed");
                            tokio::time::sleep(Duration::from_millis(50)).await;
                        }
                    }
                }
            }
        }
        drop(listener);
        self.shutdown().await;
        Ok(())
    }

    /// Applies the handshake, idle and session-length deadlines to every connection.
    fn reap(&self) {
        let limits = &self.shared.limits;
        let now = std::time::Instant::now();
        let mut to_end = Vec::new();
        self.shared.for_each_connection(|ctl| {
            if let Some((_, cut_at)) = ctl.end() {
                if now >= cut_at {
                    ctl.kill();
                }
                return;
            }
            let authed = ctl.authenticated.load(std::sync::atomic::Ordering::SeqCst);
            if !authed {
                if now >= ctl.started() + limits.handshake_timeout {
                    // Nothing to say to a client that never authenticated: cut it now.
                    to_end.push((Arc::clone(ctl), EndReason::HandshakeTimeout));
                }
            } else if now >= ctl.started() + limits.max_session {
                to_end.push((Arc::clone(ctl), EndReason::MaxDuration));
            } else if now >= ctl.last_input() + limits.idle_timeout {
                to_end.push((Arc::clone(ctl), EndReason::Idle));
            }
        });
        for (ctl, why) in to_end {
            if why == EndReason::HandshakeTimeout {
                self.shared.begin_end(&ctl, why, now);
                ctl.kill();
            } else if self.shared.begin_end(&ctl, why, now + END_NOTICE) {
                tokio::spawn(end_session(ctl, why));
            }
        }
    }

    fn accept(&self, mut stream: TcpStream, peer: SocketAddr) {
        let _ = stream.set_nodelay(true);
        if self.shared.is_shutting_down() {
            return self
                .gate
                .refuse(stream, peer, Refusal::ShuttingDown, &self.shared);
        }
        let Ok(permit) = Arc::clone(&self.gate.slots).try_acquire_owned() else {
            return self
                .gate
                .refuse(stream, peer, Refusal::ServerFull, &self.shared);
        };
        let shared = Arc::clone(&self.shared);
        let config = Arc::clone(&self.config);
        let gate = Arc::clone(&self.gate);
        if !shared.proxy_protocol {
            let slot = match gate.admit(peer.ip()) {
                Ok(slot) => slot,
                Err(why) => return gate.refuse(stream, peer, why, &shared),
            };
            tokio::spawn(async move {
                connection(shared, config, stream, peer, false).await;
                drop((slot, permit));
            });
            return;
        }
        tokio::spawn(async move {
            let deadline = shared.limits.handshake_timeout;
            let real = tokio::time::timeout(deadline, proxy::read_header(&mut stream, peer)).await;
            let origin = match real {
                Ok(Ok(origin)) => origin,
                Ok(Err(e)) => {
                    tracing::info!(peer = %shared.log_ip.show(peer), error = %e, "refused: bad PROXY header");
                    crate::metrics::get().refused("proxy_header");
                    return;
                }
                Err(_) => {
                    tracing::info!(peer = %shared.log_ip.show(peer), "refused: no PROXY header in time");
                    crate::metrics::get().refused("proxy_header");
                    return;
                }
            };
            let client = origin.addr;
            let slot = match gate.admit(client.ip()) {
                Ok(slot) => slot,
                Err(why) => return gate.refuse(stream, client, why, &shared),
            };
            connection(shared, config, stream, client, origin.local).await;
            drop((slot, permit));
        });
    }

    async fn shutdown(&self) {
        self.shared.begin_shutdown();
        let open = self.shared.connection_count();
        tracing::info!(open, "shutting down: telling open sessions");
        let cut_at = std::time::Instant::now() + self.shared.limits.shutdown_grace;
        for ctl in self.shared.connections() {
            if self.shared.begin_end(&ctl, EndReason::Shutdown, cut_at) {
                tokio::spawn(end_session(ctl, EndReason::Shutdown));
            }
        }
        let deadline = Instant::now() + self.shared.limits.shutdown_grace;
        while self.shared.connection_count() > 0 && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let left = self.shared.connection_count();
        if left > 0 {
            tracing::warn!(left, "grace period over; closing remaining connections");
            for ctl in self.shared.connections() {
                ctl.kill();
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

/// One connection from accept to close. Deadlines and shutdown act on it from [`Server::reap`]
/// and [`Server::shutdown`] through its [`ConnCtl`]; this task only runs it. A `probe` (a load
/// balancer's health check, announced by a LOCAL PROXY header) is logged at debug level and kept
/// out of the visitor metrics.
async fn connection(
    shared: Arc<Shared>,
    config: Arc<Config>,
    stream: TcpStream,
    peer: SocketAddr,
    probe: bool,
) {
    let metrics = crate::metrics::get();
    if probe {
        metrics.probes.inc();
    } else {
        metrics.connections_total.inc();
        metrics.connections_active.inc();
    }
    let ctl = Arc::new(ConnCtl::default());
    let id = shared.register(Arc::clone(&ctl));
    ctl.budget.set_conn_id(id);
    let _tracked = crate::logging::russh::track(id, Arc::clone(&ctl.budget));
    let span = tracing::info_span!("conn", id, peer = %shared.log_ip.show(peer));
    let run = async {
        let handler = Conn::new(Arc::clone(&shared), Arc::clone(&ctl), span.clone());
        let stream = GuardedStream::new(stream, Arc::clone(&ctl));
        let session = match russh::server::run_stream(config, stream, handler).await {
            Ok(s) => s,
            Err(e) => {
                tracing::debug!(error = %e, "handshake failed");
                return if ctl.is_killed() {
                    "handshake timeout"
                } else {
                    "handshake failed"
                };
            }
        };
        if let Ok(mut g) = ctl.handle.lock() {
            *g = Some(session.handle());
        }
        let result = over_budget(&shared, &ctl, session).await;
        if let Ok(mut g) = ctl.handle.lock() {
            *g = None;
        }
        let ended = ctl
            .end()
            .map(|(reason, _)| reason)
            .or_else(|| ctl.budget.tripped().map(EndReason::OverBudget));
        match (result, ended) {
            (_, Some(reason)) => reason.label(),
            (Ok(()), None) => "closed",
            (Err(e), None) if e.is_disconnect() => "closed",
            (Err(e), None) => {
                tracing::debug!(error = %e, "session error");
                "error"
            }
        }
    };
    let started = std::time::Instant::now();
    let how = run.instrument(span.clone()).await;
    let bytes_out = ctl.bytes_out.load(std::sync::atomic::Ordering::Relaxed);
    let authed = ctl.authenticated.load(std::sync::atomic::Ordering::SeqCst);
    let summary = ctl.summary.lock().map(|s| s.clone()).unwrap_or_default();
    let duration_ms = started.elapsed().as_millis() as u64;
    let bytes_in = ctl.bytes_in.load(std::sync::atomic::Ordering::Relaxed);
    let counts = ctl.budget.counts();
    span.in_scope(|| {
        if probe {
            tracing::debug!(how, duration_ms, "health check (PROXY LOCAL) ended");
        } else {
            tracing::info!(
                how,
                client = %summary.client,
                command = %summary.command,
                term = %summary.term,
                size = %summary.size,
                duration_ms,
                bytes_out,
                bytes_in,
                requests = counts.requests,
                window_changes = counts.window_changes,
                refused = counts.refused_total,
                refused_kinds = %counts.refused,
                russh_warnings = counts.russh_events,
                rekeys = counts.rekeys,
                log_suppressed = counts.log_suppressed,
                "connection ended"
            )
        }
    });
    if !probe {
        metrics.connections_active.dec();
        metrics.bytes_out.inc_by(bytes_out);
        metrics
            .session_seconds
            .observe(started.elapsed().as_secs_f64());
        if !authed {
            metrics.handshake_failures.inc();
        }
    }
    shared.unregister(id);
}

/// Runs the session; when a budget trips (in the handler or in the russh log filter), tells
/// the client why and disconnects it, cutting the socket if it lingers.
async fn over_budget<F>(shared: &Shared, ctl: &Arc<ConnCtl>, session: F) -> F::Output
where
    F: std::future::Future,
{
    tokio::pin!(session);
    tokio::select! {
        r = &mut session => return r,
        _ = ctl.budget.notify.notified() => {}
    }
    if let Some(kind) = ctl.budget.tripped() {
        let why = EndReason::OverBudget(kind);
        shared.begin_end(ctl, why, std::time::Instant::now() + END_NOTICE);
        let handle = ctl.handle.lock().ok().and_then(|g| g.clone());
        if let Some(h) = handle {
            // Waits at most until the sweep cuts the socket.
            let _ = h
                .disconnect(
                    Disconnect::ByApplication,
                    why.message().to_owned(),
                    String::new(),
                )
                .await;
        }
    }
    session.await
}

/// How long a client gets to leave after being told its session ends.
const END_NOTICE: Duration = Duration::from_secs(2);

/// Tells a session it is being ended (restoring its terminal first if it shows the TUI), then
/// asks the client to disconnect. The sweep cuts the socket if the client lingers.
async fn end_session(ctl: Arc<ConnCtl>, why: EndReason) {
    if let Some((channel, h)) = ctl.tui_handle() {
        // A TUI: restore the terminal, say why, and close the channel; OpenSSH then exits
        // cleanly (status 0) and the sweep cuts the socket only if the client lingers.
        let mut out = terminal::LEAVE.to_vec();
        out.extend_from_slice(format!("\r\n{}\r\n", why.message()).as_bytes());
        let _ = h.data(channel, out).await;
        let _ = h.exit_status_request(channel, 0).await;
        let _ = h.eof(channel).await;
        let _ = h.close(channel).await;
        return;
    }
    let handle = ctl.handle.lock().ok().and_then(|g| g.clone());
    match handle {
        Some(h) => {
            let _ = h
                .disconnect(
                    russh::Disconnect::ByApplication,
                    why.message().to_owned(),
                    String::new(),
                )
                .await;
        }
        None => ctl.kill(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusal_packet_is_well_formed() {
        let b = refusal_bytes("busy");
        let text_end = b.windows(2).position(|w| w == b"\r\n").unwrap();
        assert_eq!(&b[..text_end], b"busy");
        let rest = &b[text_end + 2..];
        let id_end = rest.windows(2).position(|w| w == b"\r\n").unwrap();
        assert_eq!(&rest[..id_end], SERVER_ID.as_bytes());
        let pkt = &rest[id_end + 2..];
        let len = u32::from_be_bytes(pkt[..4].try_into().unwrap()) as usize;
        assert_eq!(pkt.len(), 4 + len);
        assert_eq!(pkt.len() % 8, 0);
        let pad = pkt[4] as usize;
        assert!(pad >= 4);
        assert_eq!(pkt[5], 1);
        assert_eq!(u32::from_be_bytes(pkt[6..10].try_into().unwrap()), 12);
    }
}
