//! The SSH adapter of a [`Visit`]: the handler feeds it (keys, sizes, EOF) and one task per
//! visit draws, so frames go out when the pace and the budgets allow, not only when the client
//! sends something (a deferred frame, a reload). The task is the channel's only writer while the
//! visit lasts, so frames arrive in order.
//!
//! Flow control: the handler records, at each callback, whether the channel still has data the
//! client's window did not take; while it has, the task draws nothing (the latest state is drawn
//! when the window opens, `window_adjusted`). A client that stops reading costs a frame or two,
//! and russh's bounded queue stops the task before anything grows.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::FutureExt;
use russh::ChannelId;
use russh::server::Handle;
use tokio::sync::Notify;

use crate::conn::ConnCtl;
use crate::locks::lock;
use crate::shared::Shared;
use crate::visit::{Next, Visit};

/// What the handler and the visit's task share.
pub(super) struct Live {
    /// The visit, until it ends: then it is dropped at once (its time on the last section is
    /// recorded then, not when the connection goes).
    visit: Mutex<Option<Visit>>,
    wake: Arc<Notify>,
    closed: AtomicBool,
    /// The client's window did not take everything sent (as the handler last saw it).
    blocked: AtomicBool,
    /// The task sleeps until a frame is due (pace or budget): a change before then needs no
    /// wake-up, the frame then draws it (a flood of sizes or keys wakes the task once a frame).
    timed: AtomicBool,
    /// The task ended: the visit is over and the channel closed (or gone).
    finished: AtomicBool,
}

/// The handler's hold on a live visit: dropping it (channel closed, connection gone) ends the
/// task.
pub(super) struct LiveRef(Arc<Live>);

impl Drop for LiveRef {
    fn drop(&mut self) {
        self.0.closed.store(true, Ordering::SeqCst);
        self.0.wake.notify_one();
    }
}

impl LiveRef {
    /// Starts `visit` on channel `id`: its task draws the first frame at once.
    pub(super) fn start(
        visit: Visit,
        shared: Arc<Shared>,
        ctl: Arc<ConnCtl>,
        handle: Handle,
        id: ChannelId,
    ) -> LiveRef {
        let live = Arc::new(Live {
            visit: Mutex::new(Some(visit)),
            wake: Arc::new(Notify::new()),
            closed: AtomicBool::new(false),
            blocked: AtomicBool::new(false),
            timed: AtomicBool::new(false),
            finished: AtomicBool::new(false),
        });
        ctl.set_visit(Some((id, Arc::clone(&live.wake))));
        let task = Arc::clone(&live);
        tokio::spawn(async move {
            // A panic while drawing ends this connection, never the server.
            let run = std::panic::AssertUnwindSafe(run(&task, &shared, &ctl, &handle, id));
            if run.catch_unwind().await.is_err() {
                tracing::error!("a visit's task panicked; its connection is closed");
                ctl.kill();
            }
            ctl.clear_visit_if(id);
            task.finished.store(true, Ordering::SeqCst);
            drop(lock(&task.visit).take());
        });
        LiveRef(live)
    }

    /// Changes the visit (input, size, EOF) and wakes its task, unless a frame is due anyway.
    pub(super) fn update(&self, f: impl FnOnce(&mut Visit)) {
        let ends = {
            let mut guard = lock(&self.0.visit);
            let Some(visit) = guard.as_mut() else {
                return;
            };
            f(visit);
            visit.ends()
        };
        if ends || !self.0.timed.load(Ordering::SeqCst) {
            self.0.wake.notify_one();
        }
    }

    /// Whether the visit's task has ended.
    pub(super) fn finished(&self) -> bool {
        self.0.finished.load(Ordering::SeqCst)
    }

    /// Records whether the client's window left data queued; when it took everything, the task
    /// may draw again.
    pub(super) fn window(&self, pending: bool) {
        let was = self.0.blocked.swap(pending, Ordering::SeqCst);
        if was && !pending {
            self.0.wake.notify_one();
        }
    }
}

/// A frame held back because the channel had data queued is drawn anyway after this long,
/// once per hold: data queued during a key exchange is sent when it ends, with no
/// `window_adjusted` to say so. A client that really stopped reading costs one frame more.
const HELD_RETRY: Duration = Duration::from_secs(1);

/// Whether frames are held back by queued data (as the handler last saw it).
#[derive(Clone, Copy)]
enum Held {
    No,
    Since(Instant),
    /// Drawn once anyway; now only the handler's word releases it.
    Retried,
}

/// What the task does after looking at the visit.
enum Step {
    Send,
    Wait(Option<Instant>),
    Finish,
}

/// Draws the visit's frames until it ends or the channel goes.
async fn run(live: &Live, shared: &Shared, ctl: &ConnCtl, handle: &Handle, id: ChannelId) {
    let mut out = Vec::new();
    let mut held = Held::No;
    loop {
        if live.closed.load(Ordering::SeqCst) {
            return;
        }
        let resume = shared.resume();
        let now = Instant::now();
        let ending = ctl.end().map(|(why, _)| why);
        let step = {
            let mut guard = lock(&live.visit);
            let Some(visit) = guard.as_mut() else {
                return;
            };
            let step = match visit.next(&resume, now) {
                // The connection is being ended (idle, time limit, shutdown): restore the
                // terminal and say why.
                _ if ending.is_some() => {
                    visit.finish(&mut out);
                    if let Some(why) = ending {
                        out.extend_from_slice(format!("\r\n{}\r\n", why.message()).as_bytes());
                    }
                    Step::Finish
                }
                Next::End => {
                    visit.finish(&mut out);
                    Step::Finish
                }
                Next::Draw if live.blocked.load(Ordering::SeqCst) => match held {
                    Held::No => {
                        held = Held::Since(now);
                        Step::Wait(Some(now + HELD_RETRY))
                    }
                    Held::Since(t) if now < t + HELD_RETRY => Step::Wait(Some(t + HELD_RETRY)),
                    Held::Since(_) => {
                        held = Held::Retried;
                        visit.draw(&resume, now, &mut out);
                        Step::Send
                    }
                    Held::Retried => Step::Wait(None),
                },
                Next::Draw => {
                    held = Held::No;
                    visit.draw(&resume, now, &mut out);
                    Step::Send
                }
                Next::At(t) => Step::Wait(Some(t)),
                Next::Idle => Step::Wait(None),
            };
            if matches!(step, Step::Finish) {
                guard.take();
            }
            step
        };
        drop(resume);
        match step {
            Step::Send => {
                if !out.is_empty() && handle.data(id, std::mem::take(&mut out)).await.is_err() {
                    return;
                }
            }
            Step::Wait(until) => {
                let sleep = async {
                    match until {
                        Some(t) => tokio::time::sleep_until(t.into()).await,
                        None => std::future::pending().await,
                    }
                };
                live.timed.store(until.is_some(), Ordering::SeqCst);
                tokio::select! {
                    () = live.wake.notified() => {}
                    () = sleep => {}
                }
                live.timed.store(false, Ordering::SeqCst);
            }
            Step::Finish => {
                // Counted as closed from now on, before the client can see the close and open
                // another channel.
                live.finished.store(true, Ordering::SeqCst);
                ctl.clear_visit_if(id);
                if !out.is_empty() {
                    let _ = handle.data(id, std::mem::take(&mut out)).await;
                }
                // Queued behind the data: russh sends them once the client took it all.
                let _ = handle.exit_status_request(id, 0).await;
                let _ = handle.eof(id).await;
                let _ = handle.close(id).await;
                return;
            }
        }
    }
}
