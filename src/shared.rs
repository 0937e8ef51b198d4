//! State every connection shares: the current resume and its documents (one snapshot, swapped
//! atomically on reload), the limits, and the table of open connections used for reload notices
//! and graceful shutdown.

use std::collections::BTreeMap;
use std::ops::Bound;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use arc_swap::ArcSwap;

use crate::config::{Limits, LogIp};
use crate::conn::{ConnCtl, EndReason};
use crate::documents::Documents;
use crate::locks::lock;
use crate::resume::{Resume, SshCommand};

/// One version of the resume with what is made from it: its documents (exports, PDFs, made
/// once per version, see [`Documents`]). Never changed; a reload swaps in a new one.
pub struct Snapshot {
    pub resume: Arc<Resume>,
    pub documents: Arc<Documents>,
}

impl Snapshot {
    fn new(resume: Resume) -> Snapshot {
        let resume = Arc::new(resume);
        Snapshot {
            documents: Documents::new(Arc::clone(&resume)),
            resume,
        }
    }
}

/// Shared by all connections (behind an `Arc`).
pub struct Shared {
    /// The current resume and its documents, replaced as one on reload.
    now: ArcSwap<Snapshot>,
    pub limits: Limits,
    /// How client addresses are logged.
    pub log_ip: LogIp,
    /// Expect a PROXY protocol v2 header on every connection (behind a load balancer).
    pub proxy_protocol: bool,
    /// Tests only (set only with the `test-hooks` feature): the exec command `__panic` panics
    /// inside the session handler, and the tests' lock-poisoning hooks work.
    pub test_hooks: bool,
    /// Where visitors' messages are stored (`ssh HOST message`); `None`: this server takes none.
    pub messages: Option<Arc<crate::messages::Service>>,
    /// `--public-command`: the hints' command, over `[site] ssh` in every version loaded.
    public_command: Option<SshCommand>,
    /// The drawing time of each address's visits (see [`crate::visit::budget`]).
    pub render_budgets: crate::visit::budget::PerAddress,
    /// By id, in order: the sweep walks it in short steps ([`Shared::connections_after`]).
    conns: Mutex<BTreeMap<u64, Arc<ConnCtl>>>,
    next_id: AtomicU64,
    shutting_down: AtomicBool,
    /// Connections not yet authenticated, and connections being ended: the ones whose
    /// deadlines are seconds away. While both are zero the per-second sweep has nothing to do.
    handshaking: AtomicUsize,
    ending: AtomicUsize,
}

impl Shared {
    pub fn new(resume: Resume, limits: Limits) -> Shared {
        Shared {
            now: ArcSwap::from_pointee(Snapshot::new(resume)),
            limits,
            log_ip: LogIp::default(),
            proxy_protocol: false,
            test_hooks: false,
            messages: None,
            public_command: None,
            render_budgets: Default::default(),
            conns: Mutex::new(BTreeMap::new()),
            next_id: AtomicU64::new(1),
            shutting_down: AtomicBool::new(false),
            handshaking: AtomicUsize::new(0),
            ending: AtomicUsize::new(0),
        }
    }

    /// Sets how addresses are logged.
    pub fn with_log_ip(mut self, log_ip: LogIp) -> Shared {
        self.log_ip = log_ip;
        self
    }

    /// Turns PROXY protocol v2 on or off.
    pub fn with_proxy_protocol(mut self, on: bool) -> Shared {
        self.proxy_protocol = on;
        self
    }

    /// Takes visitors' messages through `service`.
    pub fn with_messages(mut self, service: Arc<crate::messages::Service>) -> Shared {
        self.messages = Some(service);
        self
    }

    /// Sets the command every hint shows over the resume's own `[site] ssh`, for every version
    /// loaded from now on (the first one, given to [`Shared::new`], goes through
    /// [`with_command`] first).
    pub fn with_public_command(mut self, command: Option<SshCommand>) -> Shared {
        self.public_command = command;
        self
    }

    /// `resume` as this server shows it (with `--public-command`, if given).
    pub fn prepare(&self, resume: Resume) -> Resume {
        with_command(resume, self.public_command.as_ref())
    }

    /// Enables test-only hooks (only in builds with the `test-hooks` feature: the tests').
    #[cfg(feature = "test-hooks")]
    pub fn with_test_hooks(mut self) -> Shared {
        self.test_hooks = true;
        crate::tui::input::arm_test_panic();
        self
    }

    /// The current resume and its documents, as one version.
    pub fn snapshot(&self) -> Arc<Snapshot> {
        self.now.load_full()
    }

    /// The resume to show now.
    pub fn resume(&self) -> Arc<Resume> {
        Arc::clone(&self.now.load().resume)
    }

    /// The generated documents of the current resume.
    pub fn documents(&self) -> Arc<Documents> {
        Arc::clone(&self.now.load().documents)
    }

    /// Swaps in a new resume with its documents; open sessions pick it up on their next frame.
    pub fn set_resume(&self, resume: Resume) {
        self.now
            .store(Arc::new(Snapshot::new(self.prepare(resume))));
    }

    /// A connection finished authenticating (or ended without): counted once.
    pub fn handshake_done(&self, ctl: &ConnCtl) {
        if !ctl.authenticated.swap(true, Ordering::SeqCst) {
            self.handshaking.fetch_sub(1, Ordering::SeqCst);
        }
    }

    /// Starts ending a connection (see [`ConnCtl::begin_end`]), counted until it is gone.
    pub fn begin_end(&self, ctl: &ConnCtl, why: EndReason, cut_at: std::time::Instant) -> bool {
        let first = ctl.begin_end(why, cut_at);
        if first {
            self.ending.fetch_add(1, Ordering::SeqCst);
        }
        first
    }

    /// Whether any connection has a deadline that is seconds away.
    pub fn has_urgent(&self) -> bool {
        self.handshaking.load(Ordering::SeqCst) > 0 || self.ending.load(Ordering::SeqCst) > 0
    }

    /// Adds a connection to the table; returns its id.
    pub fn register(&self, ctl: Arc<ConnCtl>) -> u64 {
        self.handshaking.fetch_add(1, Ordering::SeqCst);
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        lock(&self.conns).insert(id, ctl);
        id
    }

    pub fn unregister(&self, id: u64) {
        let removed = lock(&self.conns).remove(&id);
        if let Some(ctl) = removed {
            self.handshake_done(&ctl);
            if ctl.end().is_some() {
                self.ending.fetch_sub(1, Ordering::SeqCst);
            }
        }
    }

    /// Calls `f` for every open connection, under the table's lock (keep `f` short; a walk
    /// of the whole table in the server uses [`Shared::connections_after`]).
    pub fn for_each_connection(&self, mut f: impl FnMut(&Arc<ConnCtl>)) {
        lock(&self.conns).values().for_each(&mut f);
    }

    /// Up to `max` open connections with ids above `after`, in id order: a big table is walked
    /// in steps that each hold the table's lock only briefly.
    pub fn connections_after(&self, after: u64, max: usize) -> Vec<(u64, Arc<ConnCtl>)> {
        lock(&self.conns)
            .range((Bound::Excluded(after), Bound::Unbounded))
            .take(max)
            .map(|(id, ctl)| (*id, Arc::clone(ctl)))
            .collect()
    }

    /// A snapshot of the open connections.
    pub fn connections(&self) -> Vec<Arc<ConnCtl>> {
        lock(&self.conns).values().cloned().collect()
    }

    pub fn connection_count(&self) -> usize {
        lock(&self.conns).len()
    }

    /// Tests only (a no-op without test hooks): poisons the connection table's lock.
    #[cfg(feature = "test-hooks")]
    #[doc(hidden)]
    pub fn poison_table_for_tests(&self) -> bool {
        if self.test_hooks {
            crate::locks::poison(&self.conns);
        }
        self.test_hooks
    }

    pub fn begin_shutdown(&self) {
        self.shutting_down.store(true, Ordering::SeqCst);
    }

    pub fn is_shutting_down(&self) -> bool {
        self.shutting_down.load(Ordering::SeqCst)
    }
}

/// `resume` with `command` (if any) as its public command, over its own `[site] ssh`.
pub fn with_command(mut resume: Resume, command: Option<&SshCommand>) -> Resume {
    if let Some(c) = command {
        resume.site.ssh = Some(c.clone());
    }
    resume
}
