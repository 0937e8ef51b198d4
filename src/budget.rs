//! Per-connection budgets: how many requests, window-changes, refused requests, russh
//! warnings and key re-exchanges one connection may cause, how many log lines it may write, and
//! the counts that go into its closing summary line.
//!
//! The SSH handler and the russh log filter spend from here; whoever finds a budget exhausted
//! trips it once, and the connection task disconnects the client with [`Kind::message`].
//! Budgets are generous: OpenSSH, PuTTY and a visitor dragging a window never come near them.

use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU8, AtomicU32, Ordering};

use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};

/// Refused requests one connection may make; the next one disconnects it.
pub const MAX_REFUSED: u32 = 64;
/// russh warnings and errors (unknown requests, unsolicited replies, ...) one connection may
/// cause; the next one disconnects it.
pub const MAX_RUSSH_EVENTS: u32 = 256;
/// Lines one connection may add to the log beyond its opening and closing lines: the first few
/// refused requests and russh warnings. The rest are only counted.
pub const LOG_LINES: u32 = 6;
/// Channel requests and channel opens (not window-changes): a burst, then per second.
pub const REQUESTS_BURST: u32 = 1000;
pub const REQUESTS_PER_SECOND: u32 = 50;
/// Window-changes: a burst (a long window drag sends hundreds), then per second.
pub const RESIZES_BURST: u32 = 5000;
pub const RESIZES_PER_SECOND: u32 = 100;
/// Key re-exchanges started by the client: a burst, then per minute.
pub const REKEYS_BURST: u32 = 6;
pub const REKEYS_PER_MINUTE: u32 = 3;

/// A budget a connection can exhaust.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Refused,
    Requests,
    WindowChanges,
    RusshEvents,
    Rekeys,
}

impl Kind {
    const ALL: [Kind; 5] = [
        Kind::Refused,
        Kind::Requests,
        Kind::WindowChanges,
        Kind::RusshEvents,
        Kind::Rekeys,
    ];

    /// A metric label and the closing line's `how`.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Refused => "refused_requests",
            Kind::Requests => "requests",
            Kind::WindowChanges => "window_changes",
            Kind::RusshEvents => "invalid_messages",
            Kind::Rekeys => "rekeys",
        }
    }

    /// What the client is told in SSH_MSG_DISCONNECT.
    pub fn message(self) -> &'static str {
        match self {
            Kind::Refused => {
                "Too many refused requests (no forwarding, X11, agent or subsystems here); disconnecting."
            }
            Kind::Requests => "Too many requests on one connection; disconnecting.",
            Kind::WindowChanges => "Too many window-size changes; disconnecting.",
            Kind::RusshEvents => "Too many unknown or unexpected SSH messages; disconnecting.",
            Kind::Rekeys => "Too many key re-exchanges on one connection; disconnecting.",
        }
    }

    fn code(self) -> u8 {
        self as u8 + 1
    }

    fn from_code(c: u8) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.code() == c)
    }
}

/// A request this server always refuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    TcpipForward,
    CancelTcpipForward,
    DirectTcpip,
    X11,
    Agent,
    Subsystem,
    Streamlocal,
    Channel,
}

impl Refused {
    pub const ALL: [Refused; 8] = [
        Refused::TcpipForward,
        Refused::CancelTcpipForward,
        Refused::DirectTcpip,
        Refused::X11,
        Refused::Agent,
        Refused::Subsystem,
        Refused::Streamlocal,
        Refused::Channel,
    ];

    /// A metric label and the summary's name for it.
    pub fn label(self) -> &'static str {
        match self {
            Refused::TcpipForward => "tcpip-forward",
            Refused::CancelTcpipForward => "cancel-tcpip-forward",
            Refused::DirectTcpip => "direct-tcpip",
            Refused::X11 => "x11",
            Refused::Agent => "agent",
            Refused::Subsystem => "subsystem",
            Refused::Streamlocal => "streamlocal",
            Refused::Channel => "channel",
        }
    }
}

/// What the caller should do after spending.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Within budget, and a log line may be written.
    Log,
    /// Within budget; count only.
    Quiet,
    /// Over budget: the connection is to be disconnected (tripped now or before).
    Over(Kind),
}

/// The budgets and counts of one connection.
pub struct Budget {
    refused: [AtomicU32; Refused::ALL.len()],
    requests: AtomicU32,
    window_changes: AtomicU32,
    russh_events: AtomicU32,
    rekeys: AtomicU32,
    log_lines: AtomicU32,
    suppressed: AtomicU32,
    request_rate: DefaultDirectRateLimiter,
    resize_rate: DefaultDirectRateLimiter,
    rekey_rate: DefaultDirectRateLimiter,
    tripped: AtomicU8,
    conn_id: std::sync::atomic::AtomicU64,
    /// Woken once when a budget trips.
    pub notify: tokio::sync::Notify,
}

/// One clock for every limiter. `RateLimiter::direct` makes a new `QuantaClock` each time, and
/// making one calibrates quanta's TSC clock with CPUID instructions, which trap to the
/// hypervisor on a VM: three per connection were ~11% of a visit's server CPU (perf, identical
/// visitors). Clones of one clock share its calibration.
fn clock() -> governor::clock::DefaultClock {
    static CLOCK: std::sync::OnceLock<governor::clock::DefaultClock> = std::sync::OnceLock::new();
    CLOCK.get_or_init(Default::default).clone()
}

fn nz(n: u32) -> NonZeroU32 {
    NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN)
}

impl Default for Budget {
    fn default() -> Self {
        Budget {
            refused: Default::default(),
            requests: AtomicU32::new(0),
            window_changes: AtomicU32::new(0),
            russh_events: AtomicU32::new(0),
            rekeys: AtomicU32::new(0),
            log_lines: AtomicU32::new(0),
            suppressed: AtomicU32::new(0),
            request_rate: RateLimiter::direct_with_clock(
                Quota::per_second(nz(REQUESTS_PER_SECOND)).allow_burst(nz(REQUESTS_BURST)),
                clock(),
            ),
            resize_rate: RateLimiter::direct_with_clock(
                Quota::per_second(nz(RESIZES_PER_SECOND)).allow_burst(nz(RESIZES_BURST)),
                clock(),
            ),
            rekey_rate: RateLimiter::direct_with_clock(
                Quota::per_minute(nz(REKEYS_PER_MINUTE)).allow_burst(nz(REKEYS_BURST)),
                clock(),
            ),
            tripped: AtomicU8::new(0),
            conn_id: std::sync::atomic::AtomicU64::new(0),
            notify: tokio::sync::Notify::new(),
        }
    }
}

fn bump(c: &AtomicU32) -> u32 {
    c.fetch_add(1, Ordering::Relaxed).saturating_add(1)
}

impl Budget {
    /// The connection's id, for log lines written outside its span.
    pub fn conn_id(&self) -> u64 {
        self.conn_id.load(Ordering::Relaxed)
    }

    pub fn set_conn_id(&self, id: u64) {
        self.conn_id.store(id, Ordering::Relaxed);
    }

    /// The budget that tripped, if one did.
    pub fn tripped(&self) -> Option<Kind> {
        Kind::from_code(self.tripped.load(Ordering::SeqCst))
    }

    /// Marks `kind` as exhausted; true the first time (the caller then disconnects).
    fn trip(&self, kind: Kind) -> bool {
        let first = self
            .tripped
            .compare_exchange(0, kind.code(), Ordering::SeqCst, Ordering::SeqCst)
            .is_ok();
        if first {
            crate::metrics::get().budget_exceeded(kind.label());
            self.notify.notify_one();
        }
        first
    }

    fn over(&self, kind: Kind) -> Verdict {
        self.trip(kind);
        Verdict::Over(self.tripped().unwrap_or(kind))
    }

    /// Whether one more log line is allowed for this connection (counts it if so, and counts a
    /// suppressed line if not).
    pub fn may_log(&self) -> bool {
        if bump(&self.log_lines) <= LOG_LINES {
            true
        } else {
            bump(&self.suppressed);
            crate::metrics::get().log_suppressed.inc();
            false
        }
    }

    fn logged(&self) -> Verdict {
        if self.may_log() {
            Verdict::Log
        } else {
            Verdict::Quiet
        }
    }

    /// A refused request.
    pub fn refused(&self, what: Refused) -> Verdict {
        bump(&self.refused[what as usize]);
        crate::metrics::get().request_refused(what.label());
        if let Some(k) = self.tripped() {
            return Verdict::Over(k);
        }
        let total: u32 = self.refused.iter().map(|c| c.load(Ordering::Relaxed)).sum();
        if total > MAX_REFUSED {
            return self.over(Kind::Refused);
        }
        self.logged()
    }

    /// A channel request or channel open that is not a window-change.
    pub fn request(&self) -> Verdict {
        bump(&self.requests);
        if let Some(k) = self.tripped() {
            return Verdict::Over(k);
        }
        if self.request_rate.check().is_err() {
            return self.over(Kind::Requests);
        }
        Verdict::Quiet
    }

    /// A window-change.
    pub fn window_change(&self) -> Verdict {
        bump(&self.window_changes);
        if let Some(k) = self.tripped() {
            return Verdict::Over(k);
        }
        if self.resize_rate.check().is_err() {
            return self.over(Kind::WindowChanges);
        }
        Verdict::Quiet
    }

    /// A warning or error russh logged for this connection.
    pub fn russh_event(&self) -> Verdict {
        let n = bump(&self.russh_events);
        if let Some(k) = self.tripped() {
            return Verdict::Over(k);
        }
        if n > MAX_RUSSH_EVENTS {
            return self.over(Kind::RusshEvents);
        }
        self.logged()
    }

    /// A key re-exchange the client started.
    pub fn rekey(&self) -> Verdict {
        bump(&self.rekeys);
        if let Some(k) = self.tripped() {
            return Verdict::Over(k);
        }
        if self.rekey_rate.check().is_err() {
            return self.over(Kind::Rekeys);
        }
        self.logged()
    }

    /// The counts for the closing line: `refused` as `kind=n` pairs (only those that happened).
    pub fn counts(&self) -> Counts {
        let mut refused = String::new();
        let mut refused_total = 0;
        for r in Refused::ALL {
            let n = self.refused[r as usize].load(Ordering::Relaxed);
            if n > 0 {
                if !refused.is_empty() {
                    refused.push(' ');
                }
                refused.push_str(&format!("{}={n}", r.label()));
                refused_total += n;
            }
        }
        Counts {
            refused,
            refused_total,
            requests: self.requests.load(Ordering::Relaxed),
            window_changes: self.window_changes.load(Ordering::Relaxed),
            russh_events: self.russh_events.load(Ordering::Relaxed),
            rekeys: self.rekeys.load(Ordering::Relaxed),
            log_suppressed: self.suppressed.load(Ordering::Relaxed),
        }
    }
}

/// A snapshot of a connection's counts.
#[derive(Debug, Clone, Default)]
pub struct Counts {
    pub refused: String,
    pub refused_total: u32,
    pub requests: u32,
    pub window_changes: u32,
    pub russh_events: u32,
    pub rekeys: u32,
    pub log_suppressed: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refused_logs_a_few_then_counts_then_trips_once() {
        let b = Budget::default();
        let verdicts: Vec<Verdict> = (0..MAX_REFUSED + 5)
            .map(|_| b.refused(Refused::X11))
            .collect();
        let logged = verdicts.iter().filter(|v| **v == Verdict::Log).count();
        assert_eq!(logged, LOG_LINES as usize);
        assert_eq!(verdicts[MAX_REFUSED as usize], Verdict::Over(Kind::Refused));
        assert_eq!(b.tripped(), Some(Kind::Refused));
        // Another budget spent afterwards reports the first trip, not its own.
        assert_eq!(b.rekey(), Verdict::Over(Kind::Refused));
        let c = b.counts();
        assert_eq!(c.refused, format!("x11={}", MAX_REFUSED + 5));
        assert_eq!(c.log_suppressed, MAX_REFUSED - LOG_LINES);
    }

    #[test]
    fn rekeys_allow_a_burst() {
        let b = Budget::default();
        for _ in 0..REKEYS_BURST {
            assert_ne!(b.rekey(), Verdict::Over(Kind::Rekeys));
        }
        assert_eq!(b.rekey(), Verdict::Over(Kind::Rekeys));
    }

    #[test]
    fn a_long_window_drag_fits() {
        let b = Budget::default();
        for _ in 0..2000 {
            assert_eq!(b.window_change(), Verdict::Quiet);
        }
        assert_eq!(b.tripped(), None);
    }
}
