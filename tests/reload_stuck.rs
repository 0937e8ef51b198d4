//! Reload under a stuck client: the nudges that make open sessions redraw a reloaded resume go
//! out to all sessions at once, each within a time limit, so a session whose client stopped
//! reading delays no one.

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{Pausable, TestServer, TuiOpts, client_config, connect_stream};
use tokio::net::TcpStream;

/// One session whose client stopped reading (its window and the server's queue to it are full)
/// must not hold up the reload nudge to the others.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_stopped_reading_does_not_delay_reload_for_others() {
    let server = TestServer::start().await;

    let tcp = TcpStream::connect(server.addr).await.unwrap();
    tcp.set_nodelay(true).ok();
    let (stream, pause) = Pausable::new(tcp);
    let config = russh::client::Config {
        window_size: 8 * 1024,
        maximum_packet_size: 4 * 1024,
        ..client_config()
    };
    let stuck = connect_stream(stream, config).await;
    let stuck_term = stuck
        .tui(TuiOpts {
            cols: 200,
            rows: 60,
            ..TuiOpts::default()
        })
        .await;
    stuck_term.first_frame().await;
    pause.pause();
    // Keys that redraw the whole screen, until the server's output to it is stuck.
    let keys: [&[u8]; 4] = [b"l", b"h", b"?", b"?"];
    for i in 0..200 {
        stuck_term.send(keys[i % keys.len()]).await;
        tokio::time::sleep(Duration::from_millis(5)).await;
    }

    let reader = server.connect().await;
    let term = reader.tui(TuiOpts::default()).await;
    term.wait_text(common::NAME).await;

    // Reloads come one after another (an editor saving again and again): the stuck session's
    // queue (16 messages) fills with nudges it never reads.
    let started = Instant::now();
    for round in 0..20 {
        let nudge = tokio::time::timeout(
            Duration::from_secs(5),
            resume_ssh::reload::nudge_sessions(&server.shared),
        )
        .await;
        assert!(
            nudge.is_ok(),
            "reload nudge {round} did not finish in 5 s: the stuck session held it"
        );
    }
    println!("20 reload nudges took {:?}", started.elapsed());

    // One more: the reading session is nudged at once, whatever the stuck one does.
    let from = term.raw_len();
    let shared = Arc::clone(&server.shared);
    let started = Instant::now();
    let round = tokio::spawn(async move { resume_ssh::reload::nudge_sessions(&shared).await });
    term.wait_bytes(from, resume_ssh::session::STATUS_QUERY)
        .await;
    let seen = started.elapsed();
    println!("the reading session saw its nudge after {seen:?}");
    assert!(
        seen < Duration::from_millis(1000),
        "the reading session waited {seen:?} for its nudge"
    );
    let took = tokio::time::timeout(Duration::from_secs(5), round).await;
    assert!(took.is_ok(), "a nudge round is bounded in time");
    pause.resume();
}
