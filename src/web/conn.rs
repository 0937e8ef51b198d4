//! Accepting HTTP connections and bounding each one: a cap on open connections in total and per
//! address (IPv6 by /64, as for SSH: [`addr_key`]), hyper's header-read deadline and header size
//! cap, an idle timeout between requests and a maximum connection time.
//!
//! A manual accept loop around hyper's HTTP/1 connection rather than `axum::serve`, which has no
//! header-read deadline. HTTP/2 is not spoken here: TLS and HTTP/2 are the front proxy's job.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;
use tokio::time::{Instant, interval, sleep, timeout};
use tower::ServiceExt as _;

use super::{ClientAddr, Limits, Web, client};
use crate::locks::lock;
use crate::server::admission::addr_key;

/// How long a connection being closed (idle or too old) may take to finish what it is sending.
const CLOSE_GRACE: Duration = Duration::from_secs(2);

/// Serves HTTP on `listener` until the task is dropped.
pub async fn serve(listener: TcpListener, web: Arc<Web>) {
    let app = super::router(Arc::clone(&web));
    let limits = web.config.limits.clone();
    let total = Arc::new(Semaphore::new(limits.max_connections));
    let per_addr = Arc::new(PerAddr::default());
    let mut sweep = interval(Duration::from_secs(60));
    loop {
        let (stream, peer) = tokio::select! {
            r = listener.accept() => match r {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors, most likely: wait rather than spin.
                    tracing::warn!(error = %e, "HTTP accept failed");
                    sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = sweep.tick() => {
                web.sweep();
                continue;
            }
        };
        let Ok(permit) = Arc::clone(&total).try_acquire_owned() else {
            crate::metrics::get().web.refusal("connections");
            continue;
        };
        // A trusted proxy carries many clients on its connections: only the total applies.
        let slot = if client::trusted(peer.ip(), &web.config.trusted_proxies) {
            None
        } else {
            match PerAddr::take(&per_addr, addr_key(peer.ip()), limits.max_per_ip) {
                Some(s) => Some(s),
                None => {
                    crate::metrics::get().web.refusal("per_address");
                    continue;
                }
            }
        };
        stream.set_nodelay(true).ok();
        let app = app.clone();
        let limits = limits.clone();
        tokio::spawn(async move {
            connection(stream, peer, app, &limits).await;
            drop((permit, slot));
        });
    }
}

/// One connection, until the client closes it or a limit does.
async fn connection(stream: TcpStream, peer: SocketAddr, app: Router, limits: &Limits) {
    crate::metrics::get().web.connections.inc();
    let activity = Arc::new(Activity::new());
    let act = Arc::clone(&activity);
    let svc = tower::service_fn(move |mut req: hyper::Request<hyper::body::Incoming>| {
        req.extensions_mut().insert(ClientAddr(peer));
        let busy = Busy::new(Arc::clone(&act));
        let app = app.clone();
        async move {
            let res = app.oneshot(req.map(Body::new)).await;
            drop(busy);
            res
        }
    });
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        // hyper's minimum is 8 KiB; a head that does not fit is answered with 431.
        .max_buf_size(limits.max_header_bytes.max(8192))
        .max_headers(64);
    let conn = http
        .serve_connection(TokioIo::new(stream), TowerToHyperService::new(svc))
        // The live terminal's WebSocket: once upgraded, the socket leaves this connection (and
        // its limits); src/web/terminal/ bounds it.
        .with_upgrades();
    tokio::pin!(conn);
    let end = Instant::now() + limits.max_connection;
    let mut tick = interval(Duration::from_millis(500));
    loop {
        tokio::select! {
            r = conn.as_mut() => {
                if let Err(e) = r {
                    tracing::debug!(error = %e, "HTTP connection ended with an error");
                }
                return;
            }
            _ = tick.tick() => {
                let now = Instant::now();
                if now >= end || activity.idle_for(now) >= limits.idle_timeout {
                    conn.as_mut().graceful_shutdown();
                    let _ = timeout(CLOSE_GRACE, conn.as_mut()).await;
                    return;
                }
            }
        }
    }
}

/// Whether a connection has a request in progress, and since when it has had none.
struct Activity {
    state: Mutex<(usize, Instant)>,
}

impl Activity {
    fn new() -> Activity {
        Activity {
            state: Mutex::new((0, Instant::now())),
        }
    }

    /// How long the connection has been without a request in progress (zero during one). The
    /// time before a request's headers are complete counts as idle: a slow head is cut too.
    fn idle_for(&self, now: Instant) -> Duration {
        let (busy, since) = *lock(&self.state);
        if busy > 0 {
            Duration::ZERO
        } else {
            now.saturating_duration_since(since)
        }
    }
}

/// A request in progress (while its handler runs).
struct Busy(Arc<Activity>);

impl Busy {
    fn new(a: Arc<Activity>) -> Busy {
        lock(&a.state).0 += 1;
        Busy(a)
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        let mut s = lock(&self.0.state);
        s.0 = s.0.saturating_sub(1);
        s.1 = Instant::now();
    }
}

/// Open connections per address key.
#[derive(Default)]
struct PerAddr(Mutex<HashMap<IpAddr, usize>>);

/// One open connection's place in [`PerAddr`], given back when dropped.
struct Slot(Arc<PerAddr>, IpAddr);

impl PerAddr {
    fn take(this: &Arc<PerAddr>, key: IpAddr, max: usize) -> Option<Slot> {
        let mut m = lock(&this.0);
        let n = m.entry(key).or_insert(0);
        if *n >= max {
            return None;
        }
        *n += 1;
        Some(Slot(Arc::clone(this), key))
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut m = lock(&(self.0).0);
        if let Some(n) = m.get_mut(&self.1) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                m.remove(&self.1);
            }
        }
    }
}
