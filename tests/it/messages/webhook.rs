//! The webhook outbox: the receiver is down when the message arrives, the server is restarted
//! in between, and once the receiver is up the message arrives, with the same Idempotency-Key
//! on every attempt (the first answered 500, the next 200), and no more after that.

use super::*;

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::sync::{Arc, Mutex};

/// One request the receiver got: its Idempotency-Key and body.
#[derive(Debug, Clone)]
struct Got {
    key: Option<String>,
    body: String,
}

/// A minimal HTTP receiver on `listener`: answers 500 to the first request, 200 after.
fn receive(listener: std::net::TcpListener, got: Arc<Mutex<Vec<Got>>>) {
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { break };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let (mut key, mut length) = (None, 0usize);
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 {
                    break;
                }
                let line = line.trim_end();
                if line.is_empty() {
                    break;
                }
                if let Some((name, value)) = line.split_once(':') {
                    match name.to_ascii_lowercase().as_str() {
                        "idempotency-key" => key = Some(value.trim().to_owned()),
                        "content-length" => length = value.trim().parse().unwrap_or(0),
                        _ => {}
                    }
                }
            }
            let mut body = vec![0; length];
            let _ = reader.read_exact(&mut body);
            let mut got = got.lock().unwrap();
            got.push(Got {
                key,
                body: String::from_utf8_lossy(&body).into_owned(),
            });
            let status = if got.len() == 1 {
                "500 Internal Server Error"
            } else {
                "200 OK"
            };
            drop(got);
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
        }
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_message_reaches_a_receiver_that_was_down_across_a_restart() {
    let _g = common::shared().await;
    let d = dirs();
    // A port with nothing listening on it: connections are refused.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}/hook");
    let flags = ["--notify-url", url.as_str(), "--notify-backoff-ms", "50"];
    let mut server = Served::start(&d.data, &d.key, &flags);
    let r = reference(&send(server.addr, "From: Bo\nPlease call me.").await);
    // Wait until an attempt failed (logged with the reference, never the text).
    let deadline = Instant::now() + Duration::from_secs(10);
    while !server
        .log_lines()
        .iter()
        .any(|l| l.contains("message delivery failed") && l.contains(&r))
    {
        assert!(Instant::now() < deadline, "no failed attempt logged");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(!server.log_lines().iter().any(|l| l.contains("Please call")));
    server.kill();
    let server = Served::start(&d.data, &d.key, &flags);
    let got = Arc::new(Mutex::new(Vec::new()));
    receive(
        std::net::TcpListener::bind(("127.0.0.1", port)).expect("rebind the receiver's port"),
        Arc::clone(&got),
    );
    let deadline = Instant::now() + Duration::from_secs(20);
    while got.lock().unwrap().len() < 2 {
        assert!(
            Instant::now() < deadline,
            "not delivered: {:?}",
            got.lock().unwrap()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // Delivered once accepted: nothing more comes.
    tokio::time::sleep(Duration::from_millis(800)).await;
    let got = got.lock().unwrap().clone();
    assert_eq!(got.len(), 2, "{got:?}");
    for g in &got {
        assert_eq!(g.key.as_deref(), Some(r.as_str()), "{got:?}");
        let v: serde_json::Value = serde_json::from_str(&g.body).expect("a JSON body");
        assert_eq!(v["id"], r.as_str());
        assert_eq!(v["from"], "Bo");
        assert_eq!(v["body"], "Please call me.");
        assert!(v["received_at"].as_str().unwrap().ends_with('Z'));
    }
    drop(server);
}
