//! Reload wakes open sessions from the server side: a session whose client answers no terminal
//! query draws the reloaded resume within a second, no key pressed, and a session whose client
//! stopped reading delays no one (it draws the latest version when it reads again).

use crate::common;

use std::time::{Duration, Instant};

use common::{Pausable, TestServer, TuiOpts, client_config, connect_stream};
use tokio::net::TcpStream;

/// One session whose client stopped reading (its window and the server's queue to it are full)
/// must not hold up the reload for the others.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_stopped_reading_does_not_delay_reload_for_others() {
    let _gate = common::shared().await;
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

    // A second session whose client reads but answers no terminal query (paramiko, scripts and
    // some mobile clients answer none): a reload reaches its screen within a second, no key
    // pressed, whatever the stuck session does.
    let reader = server.connect().await;
    let term = reader.tui(TuiOpts::default()).await;
    term.first_frame().await;
    assert!(!term.contents().contains("Q. Malhotra"));

    let edited = common::shipped_text().replacen("Arunav Malhotra", "Arunav Q. Malhotra", 1);
    let started = Instant::now();
    server.shared.set_resume(
        resume_ssh::resume::Resume::parse(&edited, std::path::Path::new("resume.toml")).unwrap(),
    );
    let woken = resume_ssh::reload::wake_sessions(&server.shared);
    assert_eq!(woken, 2, "both sessions' visits woken");
    let waking = started.elapsed();
    assert!(
        waking < Duration::from_millis(50),
        "waking the sessions took {waking:?}: the stuck one held it up"
    );
    let seen = term
        .wait_for("the reloaded name", Duration::from_secs(1), |s| {
            s.parser.screen().contents().contains("Q. Malhotra")
        })
        .await;
    println!("the reading session drew the reload {seen:?} after the wake, no key pressed");

    // Reloads that come one after another (an editor saving again and again) each reach it.
    for round in 0..5 {
        let name = format!("Arunav R{round} Malhotra");
        let text = common::shipped_text().replacen("Arunav Malhotra", &name, 1);
        server.shared.set_resume(
            resume_ssh::resume::Resume::parse(&text, std::path::Path::new("resume.toml")).unwrap(),
        );
        resume_ssh::reload::wake_sessions(&server.shared);
        term.wait_for(&name, Duration::from_secs(1), |s| {
            s.parser.screen().contents().contains(&name)
        })
        .await;
    }
    pause.resume();
    // The stuck client, reading again, is drawn its latest state: the last reload.
    stuck_term.wait_text("Arunav R4 Malhotra").await;
}
