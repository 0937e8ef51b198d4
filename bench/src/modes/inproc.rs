//! `inproc`: resume-ssh's `Server` started inside this process (library API) on 127.0.0.1:0, then
//! the `handshake` mode against it: connect→first frame without a second process in the way.

use std::sync::Arc;
use std::time::Duration;

use crate::cli::{CloseHow, HandshakeArgs, InprocArgs, OutArgs, SessionArgs, Until, WorkloadArgs};
use crate::modes::handshake::handshake;

pub async fn inproc(args: InprocArgs) -> anyhow::Result<()> {
    use resume_ssh::config::Limits;
    use resume_ssh::resume::Resume;
    use resume_ssh::server::Server;
    use resume_ssh::shared::Shared;

    let resume = Resume::load(&args.resume)?;
    let dir = std::env::temp_dir().join(format!("loadgen-inproc-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let (key, _) = resume_ssh::hostkey::load_or_create(&dir.join("host_key"))?;
    let limits = Limits {
        max_connections: 100_000,
        max_per_ip: 100_000,
        rate_per_ip_per_minute: u32::MAX,
        ..Limits::default()
    };
    let shared = Arc::new(Shared::new(resume, limits));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(Server::new(Arc::clone(&shared), key).run(
        vec![listener],
        async move {
            let _ = stop_rx.await;
        },
        || {},
    ));
    let hs = HandshakeArgs {
        session: SessionArgs {
            addr,
            user: "visitor".into(),
            force_kex: args.force_kex.clone(),
            cols: 100,
            rows: 30,
            term: "xterm-256color".into(),
            no_color: false,
            no_pty: false,
            exec: None,
            until: Until::Frame,
            resume: args.resume.clone(),
            marker: "quit".into(),
            close: CloseHow::Q,
            step_timeout: 10,
            expect_bytes: None,
        },
        workload: WorkloadArgs {
            workload: args.workload,
            seed: args.seed,
        },
        out: OutArgs {
            server_pid: None,
            label: if args.out.label.is_empty() {
                "inproc".into()
            } else {
                args.out.label.clone()
            },
            ..args.out.clone()
        },
        concurrency: args.concurrency,
        duration: 120.0,
        max_sessions: args.sessions,
        warmup: 20,
    };
    let r = handshake(hs).await;
    let _ = stop_tx.send(());
    let _ = tokio::time::timeout(Duration::from_secs(10), server).await;
    let _ = std::fs::remove_dir_all(&dir);
    r
}
