//! The webhook outbox: the receiver is down when the message arrives, the server is restarted
//! in between, and once the receiver is up the message arrives, with the same Idempotency-Key
//! on every attempt (the first answered 500, the next 200), and no more after that; the
//! pending-deliveries metric says 1 while it waits and 0 once it is delivered.

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
    let flags = [
        "--notify-url",
        url.as_str(),
        "--notify-backoff-ms",
        "50",
        "--metrics",
        "127.0.0.1:0",
    ];
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
    let metrics = metrics_addr(&mut server);
    wait_for_pending(metrics, 1).await;
    server.kill();
    let mut server = Served::start(&d.data, &d.key, &flags);
    let metrics = metrics_addr(&mut server);
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
    wait_for_pending(metrics, 0).await;
    drop(server);
}

/// The metrics address the server printed.
fn metrics_addr(server: &mut Served) -> SocketAddr {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let found = server.log_lines().iter().find_map(|l| {
            l.strip_prefix("resume-ssh metrics on ")
                .map(|a| a.trim().parse().expect("an address"))
        });
        if let Some(addr) = found {
            return addr;
        }
        assert!(Instant::now() < deadline, "no metrics address printed");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Waits until `resume_ssh_message_deliveries_pending` is `want`.
async fn wait_for_pending(metrics: SocketAddr, want: u64) {
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut last = String::new();
    while Instant::now() < deadline {
        let mut stream = std::net::TcpStream::connect(metrics).expect("connect to /metrics");
        stream
            .write_all(b"GET /metrics HTTP/1.0\r\nHost: x\r\n\r\n")
            .unwrap();
        let mut text = String::new();
        let _ = stream.read_to_string(&mut text);
        last = text
            .lines()
            .find(|l| l.starts_with("resume_ssh_message_deliveries_pending "))
            .unwrap_or("")
            .to_owned();
        if last == format!("resume_ssh_message_deliveries_pending {want}") {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("pending deliveries never {want}; last: {last:?}");
}
