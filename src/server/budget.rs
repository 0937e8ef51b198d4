//! A running session watched for its budgets (src/budget.rs): when one runs out, in the handler
//! or in the russh log layer, the client is told why and disconnected; the deadline sweep cuts
//! the socket if it lingers.

use std::future::Future;
use std::sync::Arc;

use russh::Disconnect;

use super::deadlines::END_NOTICE;
use crate::conn::{ConnCtl, EndReason};
use crate::locks::lock;
use crate::shared::Shared;

/// Runs `session` to its end. The goodbye is queued while the session keeps running: the
/// session loop is what drains that queue, so it must not wait on it (architecture trap 4).
pub(super) async fn watch<F: Future>(shared: &Shared, ctl: &Arc<ConnCtl>, session: F) -> F::Output {
    tokio::pin!(session);
    loop {
        tokio::select! {
            r = &mut session => return r,
            _ = ctl.budget.notify.notified() => {}
        }
        let Some(kind) = ctl.budget.tripped() else {
            continue;
        };
        let why = EndReason::OverBudget(kind);
        shared.begin_end(ctl, why, std::time::Instant::now() + END_NOTICE);
        let handle = lock(&ctl.handle).clone();
        let Some(h) = handle else {
            ctl.kill();
            return session.await;
        };
        let bye = async move {
            let _ = h
                .disconnect(
                    Disconnect::ByApplication,
                    why.message().to_owned(),
                    String::new(),
                )
                .await;
        };
        let (r, ()) = tokio::join!(&mut session, bye);
        return r;
    }
}
