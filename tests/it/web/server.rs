//! The web server under test: `resume_ssh::web::conn::serve` on a loopback port, over a
//! [`Shared`] of its own (so a test can reload the resume without touching others).

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use resume_ssh::resume::Resume;
use resume_ssh::shared::Shared;
use resume_ssh::web::{Config, Limits, Web};
use tokio::task::JoinHandle;

use crate::common::{shipped_resume, test_limits};

pub struct WebServer {
    pub addr: SocketAddr,
    pub shared: Arc<Shared>,
    task: JoinHandle<()>,
}

/// Limits for tests: the defaults with a high request rate (tests make many requests).
pub fn web_limits() -> Limits {
    Limits {
        requests_per_minute: 100_000,
        ..Limits::default()
    }
}

impl WebServer {
    pub async fn start() -> WebServer {
        WebServer::with(shipped_resume(), web_limits()).await
    }

    pub async fn with_limits(limits: Limits) -> WebServer {
        WebServer::with(shipped_resume(), limits).await
    }

    pub async fn with(resume: Resume, limits: Limits) -> WebServer {
        WebServer::build(resume, limits, Vec::new()).await
    }

    /// A server that believes X-Forwarded-For from `proxies` (a CIDR).
    pub async fn behind_proxy(limits: Limits, proxies: &str) -> WebServer {
        let nets = vec![proxies.parse().expect("a CIDR")];
        WebServer::build(shipped_resume(), limits, nets).await
    }

    /// A server whose sessions (the live terminal's) have these SSH limits (idle, maximum).
    pub async fn with_session_limits(session: resume_ssh::config::Limits) -> WebServer {
        WebServer::build_with(shipped_resume(), web_limits(), Vec::new(), session).await
    }

    async fn build(resume: Resume, limits: Limits, proxies: Vec<ipnet::IpNet>) -> WebServer {
        WebServer::build_with(resume, limits, proxies, test_limits()).await
    }

    async fn build_with(
        resume: Resume,
        limits: Limits,
        proxies: Vec<ipnet::IpNet>,
        session: resume_ssh::config::Limits,
    ) -> WebServer {
        let shared = Arc::new(Shared::new(resume, session));
        let config = Config {
            ssh_port: 2222,
            trusted_proxies: proxies,
            limits,
        };
        let web = Web::new(Arc::clone(&shared), config);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local addr");
        let task = tokio::spawn(resume_ssh::web::conn::serve(listener, web));
        WebServer { addr, shared, task }
    }
}

impl Drop for WebServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Short limits for the hostile tests.
pub fn tight_limits() -> Limits {
    Limits {
        max_per_ip: 8,
        header_timeout: Duration::from_secs(1),
        idle_timeout: Duration::from_secs(3),
        ..web_limits()
    }
}
