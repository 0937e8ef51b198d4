//! The deadline sweep, on a task of its own: handshake, idle and session-length deadlines for
//! every connection, from one timer for the whole server (idle sessions own no timers).
//!
//! The table is walked in steps of [`STEP`] connections: each step copies its part of the table
//! under the lock and checks it outside, then yields, so neither the accept loop nor a
//! connection registering itself ever waits for a pass over a big table, even on one thread.

use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::task::JoinHandle;

use super::admission::Gate;
use crate::conn::{ConnCtl, EndReason};
use crate::shared::Shared;

/// Connections checked per step of the sweep.
const STEP: usize = 256;

/// How long a client gets to leave after being told its session ends.
pub(super) const END_NOTICE: Duration = Duration::from_secs(2);

/// Starts the sweep; it runs until the returned task is aborted.
pub(super) fn spawn(shared: Arc<Shared>, gate: Arc<Gate>) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut sweep = tokio::time::interval(Duration::from_secs(1));
        sweep.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let limits = &shared.limits;
        let full_every = (limits.idle_timeout.min(limits.max_session).as_secs() / 4).clamp(1, 10);
        let mut ticks = 0u64;
        loop {
            sweep.tick().await;
            // Handshake and notice deadlines are seconds away: check them every second while
            // there are any. Idle and session-length deadlines are minutes away: a full pass
            // every few seconds is exact enough, and idle servers stay idle.
            if ticks % full_every == 0 || shared.has_urgent() {
                reap(&shared).await;
            }
            ticks += 1;
            crate::tui::frames::trim_large(std::time::Instant::now());
            if ticks % 10 == 0 {
                gate.housekeeping();
            }
        }
    })
}

/// Applies the handshake, idle and session-length deadlines to every connection, in steps.
async fn reap(shared: &Shared) {
    let mut after = 0;
    loop {
        let step = shared.connections_after(after, STEP);
        let Some(&(last, _)) = step.last() else {
            return;
        };
        after = last;
        let now = Instant::now();
        for (_, ctl) in step {
            check(shared, ctl, now);
        }
        tokio::task::yield_now().await;
    }
}

/// Applies the deadlines to one connection.
fn check(shared: &Shared, ctl: Arc<ConnCtl>, now: Instant) {
    let limits = &shared.limits;
    if let Some((_, cut_at)) = ctl.end() {
        if now >= cut_at {
            ctl.kill();
        }
        return;
    }
    let authed = ctl.authenticated.load(std::sync::atomic::Ordering::SeqCst);
    let why = if !authed {
        (now >= ctl.started() + limits.handshake_timeout).then_some(EndReason::HandshakeTimeout)
    } else if now >= ctl.started() + limits.max_session {
        Some(EndReason::MaxDuration)
    } else if now >= ctl.last_input() + limits.idle_timeout {
        Some(EndReason::Idle)
    } else {
        None
    };
    match why {
        None => {}
        Some(EndReason::HandshakeTimeout) => {
            // Nothing to say to a client that never authenticated: cut it now.
            shared.begin_end(&ctl, EndReason::HandshakeTimeout, now);
            ctl.kill();
        }
        Some(why) if shared.begin_end(&ctl, why, now + END_NOTICE) => {
            tokio::spawn(end_session(ctl, why));
        }
        Some(_) => {}
    }
}

/// Tells a session it is being ended (restoring its terminal first if it shows the TUI), then
/// asks the client to disconnect. The sweep cuts the socket if the client lingers.
pub(super) async fn end_session(ctl: Arc<ConnCtl>, why: EndReason) {
    if ctl.wake_visit() {
        // A TUI: its visit's task (the channel's only writer) restores the terminal, says why
        // and closes the channel; OpenSSH then exits cleanly (status 0) and the sweep cuts the
        // socket only if the client lingers.
        return;
    }
    let handle = crate::locks::lock(&ctl.handle).clone();
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
