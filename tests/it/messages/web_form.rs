//! The page's message form on the real binary (`--http`): a form POST is stored like
//! `ssh HOST message` and shown by `inbox`; another site's page cannot post; the per-address
//! limit and the size cap answer with a reason and store nothing more.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use super::{Served, dirs, inbox_json};
use crate::common;
use crate::web::http::{get, raw, tcp_from};

/// The HTTP address the server printed (`resume-ssh http on ADDR`).
fn http_addr(server: &mut Served) -> SocketAddr {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let found = server
            .log_lines()
            .iter()
            .find_map(|l| l.strip_prefix("resume-ssh http on "))
            .map(|a| a.trim().parse().expect("an address"));
        if let Some(a) = found {
            return a;
        }
        assert!(Instant::now() < deadline, "no 'http on' line");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Percent-encodes a form value (application/x-www-form-urlencoded).
fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            b' ' => "+".to_owned(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// POSTs the form from 127.0.0.1 with `origin` (if any): (status, body).
async fn post(addr: SocketAddr, origin: Option<&str>, from: &str, body: &str) -> (u16, String) {
    let form = format!("from={}&body={}", enc(from), enc(body));
    let origin = origin.map_or(String::new(), |o| format!("Origin: {o}\r\n"));
    let req = format!(
        "POST /message HTTP/1.1\r\nHost: {addr}\r\n{origin}Content-Type: \
         application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{form}",
        form.len()
    );
    let mut stream = tcp_from("127.0.0.1", addr).await;
    let resp =
        String::from_utf8_lossy(&raw(&mut stream, req.as_bytes(), common::WAIT).await).into_owned();
    let status = resp
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, resp)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_page_form_stores_a_message_with_the_same_limits() {
    let _gate = common::shared().await;
    let d = dirs();
    let mut server = Served::start(&d.data, &d.key, &["--http", "127.0.0.1:0"]);
    let addr = http_addr(&mut server);
    let own = format!("http://{addr}");

    let page = get(addr, "/", &[]).await.text();
    assert!(
        page.contains("action=\"/message\"") && page.contains("name=\"body\""),
        "no message form on the page"
    );

    let (status, resp) = post(
        addr,
        Some(&own),
        "Ada <ada@example.com>",
        "Hello from the web page",
    )
    .await;
    assert_eq!(status, 200, "{resp}");
    let reference = resp
        .split("Reference: ")
        .nth(1)
        .map(|r| {
            r.chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                .collect::<String>()
        })
        .expect("a reference in the answer");
    let stored = inbox_json(&d.data);
    assert_eq!(stored.len(), 1, "{stored:?}");
    assert_eq!(stored[0]["id"], reference.as_str());
    assert_eq!(stored[0]["from"], "Ada <ada@example.com>");
    assert_eq!(stored[0]["body"], "Hello from the web page");

    // Another site's page: refused, nothing stored.
    let (status, _) = post(addr, Some("https://evil.example"), "x", "from elsewhere").await;
    assert_eq!(status, 403);
    // Too long: refused with the reason, nothing stored.
    let (status, resp) = post(addr, Some(&own), "", &"x".repeat(4_001)).await;
    assert_eq!(status, 413, "{resp}");
    assert!(resp.contains("message refused"), "{resp}");
    assert_eq!(inbox_json(&d.data).len(), 1);

    // The per-address limit (3 an hour by default): two more are taken, the next is refused.
    for i in 0..2 {
        let (status, resp) = post(addr, None, "", &format!("message {i}")).await;
        assert_eq!(status, 200, "{resp}");
    }
    let (status, resp) = post(addr, None, "", "one too many").await;
    assert_eq!(status, 429, "{resp}");
    assert!(resp.contains("message refused"), "{resp}");
    assert_eq!(inbox_json(&d.data).len(), 3);
}
