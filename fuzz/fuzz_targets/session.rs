//! Fuzz target: whole SSH sessions. A real russh client talks to the real server handler over an
//! in-memory stream and plays a fuzzed script of what clients send — channel opens, pty and env
//! requests, shell and exec, channel data, window-changes, EOF and close, interleaved on up to two
//! channels. A panic anywhere in the server (handler, TUI, exports) is a finding; so is a session
//! that does not end once the client has gone.
#![no_main]

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;
use resume_ssh::config::Limits;
use resume_ssh::conn::ConnCtl;
use resume_ssh::logging::conn_span::ConnSpan;
use resume_ssh::resume::Resume;
use resume_ssh::session::Conn;
use resume_ssh::shared::Shared;
use russh::keys::ssh_key::private::{Ed25519Keypair, KeypairData};
use russh::keys::{PrivateKey, PublicKeyOrCertificate};
use russh::{ChannelMsg, ChannelWriteHalf, client};

/// One thing a client sends. Strings and byte strings are as arbitrary as the SSH wire allows.
#[derive(Arbitrary, Debug)]
enum Op {
    Open,
    Pty {
        chan: u8,
        term: String,
        cols: u32,
        rows: u32,
    },
    Env {
        chan: u8,
        name: String,
        value: String,
    },
    Shell {
        chan: u8,
    },
    Exec {
        chan: u8,
        command: Vec<u8>,
    },
    Data {
        chan: u8,
        bytes: Vec<u8>,
    },
    Resize {
        chan: u8,
        cols: u32,
        rows: u32,
    },
    Eof {
        chan: u8,
    },
    Close {
        chan: u8,
    },
    /// Let the server run (and answer) before the next step.
    Pause,
}

struct Visitor;

impl client::Handler for Visitor {
    type Error = russh::Error;

    async fn check_server_key(
        &mut self,
        _key: &PublicKeyOrCertificate,
    ) -> Result<bool, Self::Error> {
        Ok(true)
    }
}

struct World {
    runtime: tokio::runtime::Runtime,
    shared: Arc<Shared>,
    server: Arc<russh::server::Config>,
    client: Arc<client::Config>,
}

fn world() -> &'static World {
    static W: OnceLock<World> = OnceLock::new();
    W.get_or_init(|| {
        let text = include_str!("../../resume.toml");
        let resume = Resume::parse(text, std::path::Path::new("resume.toml")).expect("valid");
        let key = PrivateKey::new(
            KeypairData::Ed25519(Ed25519Keypair::from_seed(&[7u8; 32])),
            "fuzz",
        )
        .expect("key");
        World {
            runtime: tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime"),
            shared: Arc::new(Shared::new(resume, Limits::default())),
            server: Arc::new(resume_ssh::server::ssh_config(key)),
            client: Arc::new(client::Config::default()),
        }
    })
}

/// Longest script played per input, and the longest any one string may be on the wire.
const MAX_OPS: usize = 48;
const MAX_LEN: usize = 4096;

fn cut(s: &str) -> String {
    s.chars().take(MAX_LEN).collect()
}

async fn play(w: &World, ops: Vec<Op>) {
    let (server_io, client_io) = tokio::io::duplex(64 * 1024);
    let ctl = Arc::new(ConnCtl::default());
    let span = Arc::new(ConnSpan::new(0, Arc::from("-")));
    let handler = Conn::new(Arc::clone(&w.shared), ctl, span);
    let config = Arc::clone(&w.server);
    let server = tokio::spawn(async move {
        if let Ok(session) = russh::server::run_stream(config, server_io, handler).await {
            let _ = session.await;
        }
    });
    let client = async {
        let mut handle = client::connect_stream(Arc::clone(&w.client), client_io, Visitor).await?;
        if !handle.authenticate_none("fuzz").await?.success() {
            return Ok::<_, russh::Error>(());
        }
        let mut chans = Vec::new();
        let mut readers = Vec::new();
        // Every script starts with one session channel open, so that every step does something.
        let mut ops = ops;
        ops.insert(0, Op::Open);
        for op in ops.into_iter().take(MAX_OPS) {
            let pick = |chans: &Vec<ChannelWriteHalf<client::Msg>>, c: u8| {
                (!chans.is_empty()).then(|| usize::from(c) % chans.len())
            };
            match op {
                Op::Open => {
                    if chans.len() < 3
                        && let Ok(ch) = handle.channel_open_session().await
                    {
                        let (mut read, write) = ch.split();
                        // Drain what the server sends so the connection never stalls on it.
                        readers.push(tokio::spawn(async move {
                            while let Some(msg) = read.wait().await {
                                if matches!(msg, ChannelMsg::Close) {
                                    break;
                                }
                            }
                        }));
                        chans.push(write);
                    }
                }
                Op::Pause => tokio::task::yield_now().await,
                op => {
                    let c = match &op {
                        Op::Pty { chan, .. }
                        | Op::Env { chan, .. }
                        | Op::Shell { chan }
                        | Op::Exec { chan, .. }
                        | Op::Data { chan, .. }
                        | Op::Resize { chan, .. }
                        | Op::Eof { chan }
                        | Op::Close { chan } => *chan,
                        Op::Open | Op::Pause => 0,
                    };
                    let Some(i) = pick(&chans, c) else { continue };
                    let ch = &chans[i];
                    // Errors are the server's answer (a refused request, a closed channel).
                    let _ = match op {
                        Op::Pty {
                            term, cols, rows, ..
                        } => {
                            ch.request_pty(false, &cut(&term), cols, rows, 0, 0, &[])
                                .await
                        }
                        Op::Env { name, value, .. } => {
                            ch.set_env(false, cut(&name), cut(&value)).await
                        }
                        Op::Shell { .. } => ch.request_shell(false).await,
                        Op::Exec { mut command, .. } => {
                            command.truncate(MAX_LEN);
                            ch.exec(false, command).await
                        }
                        Op::Data { mut bytes, .. } => {
                            bytes.truncate(MAX_LEN);
                            ch.data(&bytes[..]).await
                        }
                        Op::Resize { cols, rows, .. } => ch.window_change(cols, rows, 0, 0).await,
                        Op::Eof { .. } => ch.eof().await,
                        Op::Close { .. } => ch.close().await,
                        Op::Open | Op::Pause => Ok(()),
                    };
                }
            }
        }
        for _ in 0..8 {
            tokio::task::yield_now().await;
        }
        let _ = handle
            .disconnect(russh::Disconnect::ByApplication, "", "")
            .await;
        for r in readers {
            r.abort();
        }
        Ok(())
    };
    // A script that the server answers slowly (a big frame) is fine; one that hangs is not.
    let _ = tokio::time::timeout(Duration::from_secs(10), client).await;
    match tokio::time::timeout(Duration::from_secs(10), server).await {
        Ok(Ok(())) => {}
        Ok(Err(e)) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
        Ok(Err(_)) => {}
        Err(_) => panic!("the server did not end the session after the client left"),
    }
}

fuzz_target!(|ops: Vec<Op>| {
    let w = world();
    w.runtime.block_on(play(w, ops));
});
