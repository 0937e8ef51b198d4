//! Render budgets: how much drawing time a connection, and all connections from one address,
//! may take. Each is a token bucket of microseconds: a frame's cost is paid after it is drawn,
//! and while a bucket is in debt the next frame waits until the debt is paid back. Frames are
//! never dropped, only coalesced: the latest state is drawn once the budget allows.
//!
//! Addresses key on [`crate::server::admission::addr_key`] (an IPv6 /64 is one address), so one
//! host cannot buy more drawing time by opening more connections.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant};

use crate::locks::lock;

/// A connection's drawing time: 60 ms per second, 150 ms at once. A visitor at 200×60 draws a
/// full frame in 1–2 ms, so this is 30–60 full redraws a second; typing and scrolling redraw
/// far less than the whole screen.
pub const CONN_RATE: Rate = Rate {
    per_second: Duration::from_millis(60),
    burst: Duration::from_millis(150),
};

/// All connections of one address together: 80 ms per second (8% of a core), 200 ms at once,
/// however many connections it opens.
pub const ADDR_RATE: Rate = Rate {
    per_second: Duration::from_millis(80),
    burst: Duration::from_millis(200),
};

/// Frames that draw a new size, from all connections of one address together: 10 ms a second,
/// 8 ms at once. Each is a full redraw at a size no cache has seen. A window being dragged is
/// redrawn at most 5 times a second anyway (`RESIZE_MAX_WAIT`): at 200×60 (about 2 ms a frame)
/// that is 10 ms a second, within this; a flood of sizes from many connections gets no more.
/// The small burst keeps a short flood's share small too (bench/winch.sh).
pub const RESIZE_RATE: Rate = Rate {
    per_second: Duration::from_millis(10),
    burst: Duration::from_millis(8),
};

/// The budgets one address's visits share.
#[derive(Debug)]
pub struct Address {
    /// Every frame.
    pub frames: Bucket,
    /// Frames that draw a new size (paid from `frames` too).
    pub resizes: Bucket,
}

impl Default for Address {
    fn default() -> Self {
        Address {
            frames: Bucket::new(ADDR_RATE),
            resizes: Bucket::new(RESIZE_RATE),
        }
    }
}

/// How fast a bucket refills, and how much it holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    pub per_second: Duration,
    pub burst: Duration,
}

#[derive(Debug)]
struct State {
    /// Microseconds that may still be spent (negative: owed).
    tokens: f64,
    last: Instant,
}

/// One token bucket of drawing time.
#[derive(Debug)]
pub struct Bucket {
    rate: Rate,
    state: Mutex<State>,
}

impl Bucket {
    pub fn new(rate: Rate) -> Bucket {
        Bucket {
            rate,
            state: Mutex::new(State {
                tokens: rate.burst.as_secs_f64() * 1e6,
                last: Instant::now(),
            }),
        }
    }

    fn refill(&self, s: &mut State, now: Instant) {
        let dt = now.saturating_duration_since(s.last).as_secs_f64();
        s.last = s.last.max(now);
        let cap = self.rate.burst.as_secs_f64() * 1e6;
        s.tokens = (s.tokens + dt * self.rate.per_second.as_secs_f64() * 1e6).min(cap);
    }

    /// Pays for a frame that cost `cost`.
    pub fn spend(&self, cost: Duration, now: Instant) {
        let mut s = lock(&self.state);
        self.refill(&mut s, now);
        s.tokens -= cost.as_secs_f64() * 1e6;
    }

    /// When the next frame may be drawn: `now` if nothing is owed, else when the debt is paid.
    pub fn ready_at(&self, now: Instant) -> Instant {
        let mut s = lock(&self.state);
        self.refill(&mut s, now);
        if s.tokens >= 0.0 {
            return now;
        }
        let per_us = self.rate.per_second.as_secs_f64() * 1e6;
        if per_us <= 0.0 {
            return now + Duration::from_secs(1);
        }
        now + Duration::from_secs_f64(-s.tokens / per_us)
    }
}

/// The buckets of every address with an open visit. Entries go when their last visit does.
#[derive(Debug, Default)]
pub struct PerAddress {
    map: Mutex<HashMap<IpAddr, Weak<Address>>>,
}

impl PerAddress {
    /// The budgets `key`'s visits share (made on first use).
    pub fn get(&self, key: IpAddr) -> Arc<Address> {
        let mut m = lock(&self.map);
        if let Some(b) = m.get(&key).and_then(Weak::upgrade) {
            return b;
        }
        // Dead entries are swept when the table has doubled since the last sweep's survivors.
        if m.len() >= 64 && m.len().is_power_of_two() {
            m.retain(|_, w| w.strong_count() > 0);
        }
        let b = Arc::new(Address::default());
        m.insert(key, Arc::downgrade(&b));
        b
    }

    /// Addresses in the table (for tests).
    pub fn len(&self) -> usize {
        lock(&self.map)
            .values()
            .filter(|w| w.strong_count() > 0)
            .count()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RATE: Rate = Rate {
        per_second: Duration::from_millis(100),
        burst: Duration::from_millis(200),
    };

    #[test]
    fn a_debt_delays_the_next_frame_until_it_is_paid() {
        let b = Bucket::new(RATE);
        let t0 = Instant::now();
        assert_eq!(b.ready_at(t0), t0);
        // The burst is spent, then 50 ms more: owed 50 ms at 100 ms/s = 0.5 s.
        b.spend(Duration::from_millis(250), t0);
        let at = b.ready_at(t0);
        let wait = at - t0;
        assert!(
            wait >= Duration::from_millis(490) && wait <= Duration::from_millis(510),
            "{wait:?}"
        );
        assert_eq!(b.ready_at(at), at);
    }

    #[test]
    fn refills_no_further_than_the_burst() {
        let b = Bucket::new(RATE);
        let t0 = Instant::now();
        let later = t0 + Duration::from_secs(3600);
        b.spend(Duration::from_millis(200), later);
        assert_eq!(b.ready_at(later), later);
        b.spend(Duration::from_millis(100), later);
        assert!(
            b.ready_at(later) > later,
            "an hour idle buys only the burst"
        );
    }

    #[test]
    fn one_bucket_per_address_while_it_has_visits() {
        let p = PerAddress::default();
        let a: IpAddr = "192.0.2.1".parse().unwrap();
        let x = p.get(a);
        let y = p.get(a);
        assert!(Arc::ptr_eq(&x, &y));
        let other = p.get("192.0.2.2".parse().unwrap());
        assert!(!Arc::ptr_eq(&x, &other));
        drop((x, y));
        assert_eq!(p.len(), 1);
        let z = p.get(a);
        assert_eq!(p.len(), 2);
        drop(z);
    }
}
