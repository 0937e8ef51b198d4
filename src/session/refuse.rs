//! What a request costs the connection: spending from its budgets (src/budget.rs), counting
//! refused requests, logging them only while the log budget lasts, and disconnecting a client
//! over a budget with the reason.

use russh::Disconnect;
use russh::server::Session;

use super::Conn;
use crate::budget::{Refused, Verdict};

impl Conn {
    /// Acts on a budget's verdict: over budget, the client is told why and disconnected (true).
    pub(super) fn over(&self, verdict: Verdict, session: &mut Session) -> bool {
        let Verdict::Over(kind) = verdict else {
            return false;
        };
        // Said once: russh sends nothing after the first disconnect.
        let _ = session.disconnect(Disconnect::ByApplication, kind.message(), "");
        true
    }

    /// Spends from the request budget; true if the client is over it (and being disconnected).
    pub(super) fn spend_request(&self, session: &mut Session) -> bool {
        self.over(self.ctl.budget.request(), session)
    }

    /// Counts a refused request, logs `what` while the log budget lasts; true if over budget.
    pub(super) fn refuse(&self, kind: Refused, session: &mut Session, what: impl FnOnce()) -> bool {
        let verdict = self.ctl.budget.refused(kind);
        if verdict == Verdict::Log {
            self.span.in_scope(what);
        }
        self.over(verdict, session)
    }
}
