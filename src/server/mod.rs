//! The accept loop and each connection's life, from accept to close, and graceful shutdown.
//!
//! Sockets are accepted here (not by russh) so that a connection over a limit is refused before
//! any key exchange, with a one-line reason the client prints ([`refusal`]), and so that
//! shutdown can tell every open session and wait for it. Who gets in is [`admission`]'s call;
//! deadlines are [`deadlines`]' sweep, on its own task; the SSH algorithms are [`ssh_config`].
//! Each connection runs in its own task; a failure or panic in one never reaches the listener or
//! other connections.

pub mod admission;
mod budget;
mod deadlines;
pub mod listen;
pub mod refusal;
pub mod ssh_config;

use std::net::SocketAddr;
use std::sync::Arc;
use std::task::Poll;
use std::time::Duration;

use russh::keys::PrivateKey;
use russh::server::Config;
use tokio::net::{TcpListener, TcpStream};
use tokio::time::Instant;

use self::admission::{Admitted, Gate};
pub use self::refusal::{Refusal, refusal_bytes};
pub use self::ssh_config::{SERVER_ID, ssh_config};
use crate::conn::{ConnCtl, EndReason, GuardedStream};
use crate::locks::lock;
use crate::logging::conn_span::ConnSpan;
use crate::proxy;
use crate::session::Conn;
use crate::shared::Shared;

/// The running server: everything the accept loop and its connections share.
pub struct Server {
    shared: Arc<Shared>,
    config: Arc<Config>,
    gate: Arc<Gate>,
}

impl Server {
    pub fn new(shared: Arc<Shared>, key: PrivateKey) -> Server {
        Server {
            gate: Arc::new(Gate::new(&shared.limits)),
            config: Arc::new(ssh_config(key)),
            shared,
        }
    }

    /// Tests only (a no-op returning false without test hooks): poisons the per-address and
    /// connection-table locks by panicking while holding them.
    #[cfg(feature = "test-hooks")]
    #[doc(hidden)]
    pub fn poison_locks_for_tests(&self) -> bool {
        if self.shared.test_hooks {
            self.gate.poison_for_tests();
        }
        self.shared.poison_table_for_tests()
    }

    /// Accepts connections on every listener until `shutdown` resolves, then ends open sessions
    /// gracefully. `on_tick` is called on every accept-loop turn and at least every few seconds:
    /// the place to pet a watchdog.
    pub async fn run(
        self,
        listeners: Vec<TcpListener>,
        shutdown: impl std::future::Future<Output = ()>,
        mut on_tick: impl FnMut(),
    ) -> anyhow::Result<()> {
        anyhow::ensure!(!listeners.is_empty(), "no listener to accept on");
        tokio::pin!(shutdown);
        let mut sweep = deadlines::spawn(Arc::clone(&self.shared), Arc::clone(&self.gate));
        let mut tick = tokio::time::interval(Duration::from_secs(1));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut first = 0usize;
        loop {
            tokio::select! {
                _ = &mut shutdown => break,
                _ = tick.tick() => on_tick(),
                ended = &mut sweep => {
                    // It never ends by itself: a panic in it must not leave every deadline
                    // unenforced (and the slots of silent clients taken) for good.
                    tracing::error!(error = ?ended.err(), "deadline sweep stopped; restarting it");
                    sweep = deadlines::spawn(Arc::clone(&self.shared), Arc::clone(&self.gate));
                }
                accepted = accept_any(&listeners, &mut first) => {
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
        drop(listeners);
        self.shutdown().await;
        sweep.abort();
        Ok(())
    }

    fn accept(&self, mut stream: TcpStream, peer: SocketAddr) {
        let _ = stream.set_nodelay(true);
        let peer = canonical(peer);
        if self.shared.is_shutting_down() {
            return self
                .gate
                .refuse(stream, peer, Refusal::ShuttingDown, &self.shared);
        }
        let shared = Arc::clone(&self.shared);
        let config = Arc::clone(&self.config);
        let gate = Arc::clone(&self.gate);
        if !shared.proxy_protocol {
            let admitted = match gate.admit(peer.ip()) {
                Ok(a) => a,
                Err(why) => return gate.refuse(stream, peer, why, &shared),
            };
            tokio::spawn(connection(shared, config, stream, peer, false, admitted));
            return;
        }
        // Behind a load balancer: read the header first (its own short deadline, holding no
        // connection slot), then admit the client it names.
        let Some(waiting) = gate.wait_for_header() else {
            crate::metrics::get().refused("proxy_pending");
            return;
        };
        tokio::spawn(async move {
            let deadline = shared.limits.proxy_header_timeout;
            let real = tokio::time::timeout(deadline, proxy::read_header(&mut stream, peer)).await;
            drop(waiting);
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
            let client = canonical(origin.addr);
            if shared.is_shutting_down() {
                return gate.refuse(stream, client, Refusal::ShuttingDown, &shared);
            }
            match gate.admit(client.ip()) {
                Ok(admitted) => {
                    connection(shared, config, stream, client, origin.local, admitted).await
                }
                Err(why) => gate.refuse(stream, client, why, &shared),
            }
        });
    }

    async fn shutdown(&self) {
        self.shared.begin_shutdown();
        let open = self.shared.connection_count();
        tracing::info!(open, "shutting down: telling open sessions");
        let cut_at = std::time::Instant::now() + self.shared.limits.shutdown_grace;
        for ctl in self.shared.connections() {
            if self.shared.begin_end(&ctl, EndReason::Shutdown, cut_at) {
                tokio::spawn(deadlines::end_session(ctl, EndReason::Shutdown));
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

/// An IPv4 client on the dual-stack socket (or in a PROXY header) as `::ffff:a.b.c.d` becomes
/// `a.b.c.d`, so logs and limits see one address whichever way it arrived.
fn canonical(addr: SocketAddr) -> SocketAddr {
    SocketAddr::new(addr.ip().to_canonical(), addr.port())
}

/// The next connection on any of `listeners`, starting the scan one further each time so that
/// no listener starves the others.
async fn accept_any(
    listeners: &[TcpListener],
    first: &mut usize,
) -> std::io::Result<(TcpStream, SocketAddr)> {
    std::future::poll_fn(|cx| {
        let n = listeners.len();
        for i in 0..n {
            let at = (*first + i) % n;
            if let Poll::Ready(r) = listeners[at].poll_accept(cx) {
                *first = (at + 1) % n;
                return Poll::Ready(r);
            }
        }
        Poll::Pending
    })
    .await
}

/// One connection from accept to close. Deadlines and shutdown act on it from the sweep and
/// [`Server::shutdown`] through its [`ConnCtl`]; this task only runs it. A `probe` (a load
/// balancer's health check, announced by a LOCAL PROXY header) is logged at debug level and kept
/// out of the visitor metrics. `admitted` holds its slots until it ends.
async fn connection(
    shared: Arc<Shared>,
    config: Arc<Config>,
    stream: TcpStream,
    peer: SocketAddr,
    probe: bool,
    admitted: Admitted,
) {
    let metrics = crate::metrics::get();
    if probe {
        metrics.probes.inc();
    } else {
        metrics.connections_total.inc();
        metrics.connections_active.inc();
    }
    let ctl = Arc::new(ConnCtl::default());
    let _ = ctl.address.set(admission::addr_key(peer.ip()));
    let registered = Registered {
        shared: &shared,
        id: shared.register(Arc::clone(&ctl)),
    };
    let id = registered.id;
    ctl.budget.set_conn_id(id);
    let _tracked = crate::logging::russh::track(id, Arc::clone(&ctl.budget));
    let span = Arc::new(ConnSpan::new(id, Arc::from(shared.log_ip.show(peer))));
    let run = async {
        let handler = Conn::new(Arc::clone(&shared), Arc::clone(&ctl), Arc::clone(&span));
        let stream = GuardedStream::new(stream, Arc::clone(&ctl));
        let session = match russh::server::run_stream(config, stream, handler).await {
            Ok(s) => s,
            Err(e) => {
                span.debug(|| tracing::debug!(error = %e, "handshake failed"));
                return if ctl.is_killed() {
                    "handshake timeout"
                } else {
                    "handshake failed"
                };
            }
        };
        *lock(&ctl.handle) = Some(session.handle());
        let result = budget::watch(&shared, &ctl, session).await;
        *lock(&ctl.handle) = None;
        let ended = ctl
            .end()
            .map(|(reason, _)| reason)
            .or_else(|| ctl.budget.tripped().map(EndReason::OverBudget));
        match (result, ended) {
            (_, Some(reason)) => reason.label(),
            _ if ctl.oversized.load(std::sync::atomic::Ordering::SeqCst) => "packet too large",
            (Ok(()), None) => "closed",
            (Err(e), None) if e.is_disconnect() => "closed",
            (Err(e), None) => {
                span.debug(|| tracing::debug!(error = %e, "session error"));
                "error"
            }
        }
    };
    let started = std::time::Instant::now();
    let how = run.await;
    let bytes_out = ctl.bytes_out.load(std::sync::atomic::Ordering::Relaxed);
    let authed = ctl.authenticated.load(std::sync::atomic::Ordering::SeqCst);
    // The session is over: its summary is taken, not copied.
    let summary = std::mem::take(&mut *lock(&ctl.summary));
    let duration_ms = started.elapsed().as_millis() as u64;
    let bytes_in = ctl.bytes_in.load(std::sync::atomic::Ordering::Relaxed);
    let counts = ctl.budget.counts();
    // The closing line names the connection in fields rather than in its span: most
    // connections have no span (see ConnSpan).
    if probe {
        span.debug(|| tracing::debug!(how, duration_ms, "health check (PROXY LOCAL) ended"));
    } else {
        crate::logging::closing::log(&crate::logging::closing::Closing {
            conn: span.id(),
            peer: span.peer(),
            how,
            client: &summary.client,
            command: &summary.command,
            term: &summary.term,
            size: &summary.size,
            duration_ms,
            bytes_out,
            bytes_in,
            requests: counts.requests,
            window_changes: counts.window_changes,
            refused: counts.refused_total,
            refused_kinds: &counts.refused,
            russh_warnings: counts.russh_events,
            rekeys: counts.rekeys,
            log_suppressed: counts.log_suppressed,
        });
    }
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
    drop(registered);
    drop(admitted);
}

/// A connection's entry in the table, removed when the connection ends, even by a panic.
struct Registered<'a> {
    shared: &'a Shared,
    id: u64,
}

impl Drop for Registered<'_> {
    fn drop(&mut self) {
        self.shared.unregister(self.id);
    }
}
