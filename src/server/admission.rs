//! Admission control: who may open a connection now. Connection slots in total, open
//! connections and new connections per minute per client address, the pool of connections still
//! owing their PROXY header, and the budget for refusals being written.
//!
//! Per-address limits key on [`addr_key`]: the IPv4 address, or the /64 of an IPv6 address (one
//! host is usually given a whole /64, so keying on the full address would let it take every slot).

use std::collections::HashMap;
use std::net::{IpAddr, Ipv6Addr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use tokio::net::TcpStream;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use super::refusal::{self, Refusal};
use crate::config::Limits;
use crate::locks::lock;
use crate::shared::Shared;

/// Refusals being written at once; past this a refused socket is just closed.
const MAX_REFUSALS_IN_FLIGHT: usize = 64;

/// Connections waiting for their PROXY header at least (more if `max_connections` is larger):
/// they hold no connection slot, so silent sockets cannot lock real clients out.
const MIN_PENDING_HEADERS: usize = 64;

/// The key per-address limits count under: an IPv4 address as it is (also when it arrives
/// IPv4-mapped, `::ffff:a.b.c.d`), an IPv6 address by its /64.
pub fn addr_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(v4) => IpAddr::V4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let s = v6.segments();
                IpAddr::V6(Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
            }
        },
    }
}

/// Counts open connections per address key.
struct PerAddr {
    open: Mutex<HashMap<IpAddr, usize>>,
    max: usize,
}

/// Releases a per-address slot when a connection ends.
struct AddrSlot {
    per_addr: Arc<PerAddr>,
    key: IpAddr,
}

impl PerAddr {
    fn try_take(self: &Arc<Self>, key: IpAddr) -> Option<AddrSlot> {
        let mut m = lock(&self.open);
        let n = m.entry(key).or_insert(0);
        if *n >= self.max {
            return None;
        }
        *n += 1;
        Some(AddrSlot {
            per_addr: Arc::clone(self),
            key,
        })
    }
}

impl Drop for AddrSlot {
    fn drop(&mut self) {
        let mut m = lock(&self.per_addr.open);
        if let Some(n) = m.get_mut(&self.key) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                m.remove(&self.key);
            }
        }
    }
}

/// What an admitted connection holds until it ends: its slot in total and for its address.
pub(super) struct Admitted {
    _slot: AddrSlot,
    _permit: OwnedSemaphorePermit,
}

/// The admission state of one server.
pub(super) struct Gate {
    per_addr: Arc<PerAddr>,
    rate: DefaultKeyedRateLimiter<IpAddr>,
    slots: Arc<Semaphore>,
    headers: Arc<Semaphore>,
    refusals: Arc<Semaphore>,
}

impl Gate {
    pub(super) fn new(limits: &Limits) -> Gate {
        let per_minute =
            NonZeroU32::new(limits.rate_per_ip_per_minute.max(1)).unwrap_or(NonZeroU32::MIN);
        let max_connections = limits.max_connections.max(1);
        Gate {
            per_addr: Arc::new(PerAddr {
                open: Mutex::new(HashMap::new()),
                max: limits.max_per_ip.max(1),
            }),
            rate: RateLimiter::keyed(Quota::per_minute(per_minute)),
            slots: Arc::new(Semaphore::new(max_connections)),
            headers: Arc::new(Semaphore::new(max_connections.max(MIN_PENDING_HEADERS))),
            refusals: Arc::new(Semaphore::new(MAX_REFUSALS_IN_FLIGHT)),
        }
    }

    /// Admits a connection from `client` (its real address: after the PROXY header, if any):
    /// a slot in total, then the address's rate, then its count of open connections.
    pub(super) fn admit(&self, client: IpAddr) -> Result<Admitted, Refusal> {
        let permit = Arc::clone(&self.slots)
            .try_acquire_owned()
            .map_err(|_| Refusal::ServerFull)?;
        let key = addr_key(client);
        if self.rate.check_key(&key).is_err() {
            return Err(Refusal::RateLimited);
        }
        let slot = self
            .per_addr
            .try_take(key)
            .ok_or(Refusal::TooManyFromAddress)?;
        Ok(Admitted {
            _slot: slot,
            _permit: permit,
        })
    }

    /// A place among the connections waiting for their PROXY header, if there is one.
    pub(super) fn wait_for_header(&self) -> Option<OwnedSemaphorePermit> {
        Arc::clone(&self.headers).try_acquire_owned().ok()
    }

    /// Refuses `stream` in the background (if the refusal budget allows), counting it.
    pub(super) fn refuse(
        &self,
        stream: TcpStream,
        peer: SocketAddr,
        why: Refusal,
        shared: &Shared,
    ) {
        let shown = shared.log_ip.show(peer);
        tracing::info!(peer = %shown, reason = why.label(), "refused connection");
        crate::metrics::get().refused(why.label());
        if let Ok(permit) = Arc::clone(&self.refusals).try_acquire_owned() {
            tokio::spawn(async move {
                refusal::send(stream, why).await;
                drop(permit);
            });
        }
    }

    /// Forgets rate-limit state that no longer limits anyone (call every few seconds).
    pub(super) fn housekeeping(&self) {
        self.rate.retain_recent();
    }

    /// Tests only: poisons the per-address table's lock.
    #[cfg(any(test, feature = "test-hooks"))]
    pub(super) fn poison_for_tests(&self) {
        crate::locks::poison(&self.per_addr.open);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(s: &str) -> IpAddr {
        addr_key(s.parse().unwrap())
    }

    #[test]
    fn ipv6_keys_on_the_64_and_mapped_ipv4_on_the_ipv4_address() {
        assert_eq!(key("2001:db8::1"), key("2001:db8::2"));
        assert_eq!(key("2001:db8::1"), key("2001:db8:0:0:ffff:ffff:ffff:ffff"));
        assert_ne!(key("2001:db8::1"), key("2001:db8:0:1::1"));
        assert_eq!(key("::ffff:192.0.2.1"), key("192.0.2.1"));
        assert_ne!(key("192.0.2.1"), key("192.0.2.2"));
        assert_eq!(key("192.0.2.1"), "192.0.2.1".parse::<IpAddr>().unwrap());
    }

    #[test]
    fn a_poisoned_table_still_counts() {
        let gate = Gate::new(&Limits {
            max_per_ip: 1,
            ..Limits::default()
        });
        gate.poison_for_tests();
        let ip: IpAddr = "192.0.2.9".parse().unwrap();
        let held = gate.admit(ip).map_err(|e| e.label()).unwrap();
        assert_eq!(gate.admit(ip).err(), Some(Refusal::TooManyFromAddress));
        drop(held);
        assert!(gate.admit(ip).is_ok());
    }
}
