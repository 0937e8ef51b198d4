//! The server under test: a real `Server` on 127.0.0.1:0 in this process, on the test's runtime
//! or on one of its own.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use resume_ssh::config::Limits;
use resume_ssh::resume::Resume;
use resume_ssh::server::Server;
use resume_ssh::shared::Shared;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tokio::time::{Instant, timeout};

use super::client::{Client, connect};
use super::fixtures::{shipped_resume, test_limits};

/// A server running in this process on a loopback port.
pub struct TestServer {
    pub addr: SocketAddr,
    pub shared: Arc<Shared>,
    /// The host key's `SHA256:…` fingerprint.
    pub fingerprint: String,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<anyhow::Result<()>>>,
    /// The server's own runtime, if it has one (see [`TestServer::isolated`]).
    runtime: Option<tokio::runtime::Runtime>,
    _dir: tempfile::TempDir,
}

impl TestServer {
    /// The shipped resume with [`test_limits`].
    pub async fn start() -> TestServer {
        TestServer::with(shipped_resume(), test_limits()).await
    }

    pub async fn with_limits(limits: Limits) -> TestServer {
        TestServer::with(shipped_resume(), limits).await
    }

    /// A server with `resume` and `limits` on the test's runtime, test hooks on (the exec command
    /// `__panic` panics).
    pub async fn with(resume: Resume, limits: Limits) -> TestServer {
        TestServer::build(resume, limits, None)
    }

    /// A server on a runtime of its own with two worker threads, like the server on a 2-core
    /// machine: the test's clients cannot lend it threads, and when the test ends the runtime is
    /// abandoned without waiting for work in progress.
    pub fn isolated(limits: Limits) -> TestServer {
        TestServer::isolated_on(limits, 2)
    }

    /// [`TestServer::isolated`] with `workers` worker threads.
    pub fn isolated_on(limits: Limits, workers: usize) -> TestServer {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(workers)
            .enable_all()
            .build()
            .expect("server runtime");
        TestServer::build(shipped_resume(), limits, Some(rt))
    }

    fn build(
        resume: Resume,
        limits: Limits,
        runtime: Option<tokio::runtime::Runtime>,
    ) -> TestServer {
        let dir = tempfile::tempdir().expect("temp dir");
        let (key, _) =
            resume_ssh::hostkey::load_or_create(&dir.path().join("key")).expect("host key");
        let fingerprint = resume_ssh::hostkey::fingerprint(&key);
        let shared = Arc::new(Shared::new(resume, limits).with_test_hooks());
        let std_listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        std_listener.set_nonblocking(true).expect("nonblocking");
        let addr = std_listener.local_addr().expect("local addr");
        let (tx, rx) = oneshot::channel::<()>();
        let server = Server::new(Arc::clone(&shared), key);
        let run = async move {
            let listener = tokio::net::TcpListener::from_std(std_listener)?;
            server
                .run(
                    vec![listener],
                    async move {
                        let _ = rx.await;
                    },
                    || {},
                )
                .await
        };
        let task = match &runtime {
            Some(rt) => rt.spawn(run),
            None => tokio::spawn(run),
        };
        TestServer {
            addr,
            shared,
            fingerprint,
            shutdown: Some(tx),
            task: Some(task),
            runtime,
            _dir: dir,
        }
    }

    /// Tells the server to stop accepting and end open sessions.
    pub fn trigger_shutdown(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }

    /// Waits (at most `limit`) for the server task to finish; returns how long it took.
    pub async fn join(&mut self, limit: Duration) -> Duration {
        let started = Instant::now();
        let task = self.task.take().expect("server task already joined");
        match timeout(limit, task).await {
            Ok(Ok(Ok(()))) => started.elapsed(),
            Ok(Ok(Err(e))) => panic!("server ended with an error: {e:#}"),
            Ok(Err(e)) => panic!("server task panicked: {e}"),
            Err(_) => panic!("server did not stop within {limit:?}"),
        }
    }

    /// Whether the server task is still running.
    pub fn is_running(&self) -> bool {
        self.task.as_ref().is_some_and(|t| !t.is_finished())
    }

    pub async fn connect(&self) -> Client {
        connect(self.addr).await
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.trigger_shutdown();
        if let Some(rt) = self.runtime.take() {
            rt.shutdown_background();
        }
    }
}
