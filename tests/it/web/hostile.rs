//! Bad input at a bounded cost: oversized headers, a slowloris, idle connections hoarded by one
//! address; a fresh visitor is still served.

use std::time::{Duration, Instant};

use tokio::io::AsyncWriteExt as _;

use super::http::{closed_within, get, raw, read_until_closed, tcp_from};
use super::server::{WebServer, tight_limits};

#[tokio::test]
async fn oversized_headers_get_431_at_once() {
    let s = WebServer::with_limits(tight_limits()).await;
    let mut tcp = tcp_from("127.0.0.1", s.addr).await;
    let mut req = b"GET / HTTP/1.1\r\nHost: x\r\n".to_vec();
    for i in 0..2000 {
        req.extend_from_slice(format!("X-Filler-{i}: {}\r\n", "a".repeat(50)).as_bytes());
    }
    req.extend_from_slice(b"\r\n");
    let started = Instant::now();
    // The server may stop reading (and reset) before all of it is written: ignore that.
    let _ = tcp.write_all(&req).await;
    let got = read_until_closed(&mut tcp, Duration::from_secs(5)).await;
    let head = String::from_utf8_lossy(&got);
    assert!(head.starts_with("HTTP/1.1 431"), "{head:?}");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    // A normal request still works.
    assert_eq!(get(s.addr, "/healthz", &[]).await.status, 200);
}

#[tokio::test]
async fn a_slowloris_is_cut_by_the_header_deadline() {
    // The idle cut far away: only the header deadline (1 s) can end it.
    let limits = resume_ssh::web::Limits {
        idle_timeout: Duration::from_secs(60),
        ..tight_limits()
    };
    let s = WebServer::with_limits(limits).await;
    let mut tcp = tcp_from("127.0.0.1", s.addr).await;
    let started = Instant::now();
    let head =
        b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    let mut closed_after = None;
    for b in head {
        if tcp.write_all(&[*b]).await.is_err() {
            closed_after = Some(started.elapsed());
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
        // Has the server closed it? (a read returns at once if so)
        let got = read_until_closed(&mut tcp, Duration::from_millis(1)).await;
        if !got.is_empty() || started.elapsed() > Duration::from_secs(8) {
            closed_after = Some(started.elapsed());
            break;
        }
    }
    let after = closed_after.expect("the server must close a head that never ends");
    // The deadline is 1 s: well before the 12 s the whole head would take.
    assert!(after < Duration::from_secs(3), "cut after {after:?}");
    // Ending the head now gets no page: the connection is gone.
    let _ = tcp.write_all(b"\r\n\r\n").await;
    let rest = read_until_closed(&mut tcp, Duration::from_secs(2)).await;
    assert!(!String::from_utf8_lossy(&rest).contains("200 OK"));
}

#[tokio::test]
async fn idle_connections_of_one_address_do_not_stop_a_fresh_visitor() {
    let limits = tight_limits();
    let s = WebServer::with_limits(limits.clone()).await;
    // One address opens twice its share and sends nothing.
    let mut hoard = Vec::new();
    for _ in 0..limits.max_per_ip * 2 {
        hoard.push(tcp_from("127.0.0.2", s.addr).await);
    }
    // A visitor from another address is served at once.
    let mut fresh = tcp_from("127.0.0.3", s.addr).await;
    let started = Instant::now();
    let got = raw(
        &mut fresh,
        b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        Duration::from_secs(5),
    )
    .await;
    assert!(String::from_utf8_lossy(&got).starts_with("HTTP/1.1 200"));
    assert!(started.elapsed() < Duration::from_secs(1));
    // Past its share the hoarder's connections were closed at once; the rest go when idle.
    let mut closed = 0;
    for tcp in hoard.iter_mut() {
        if closed_within(tcp, Duration::from_millis(50)).await {
            closed += 1;
        }
    }
    assert_eq!(
        closed, limits.max_per_ip,
        "the connections past the address's share"
    );
    let started = Instant::now();
    for tcp in hoard.iter_mut() {
        read_until_closed(tcp, Duration::from_secs(8)).await;
    }
    let idle_cut = started.elapsed();
    assert!(
        idle_cut < Duration::from_secs(6),
        "idle connections cut after {idle_cut:?}"
    );
    // And the hoarding address itself can come back.
    let mut again = tcp_from("127.0.0.2", s.addr).await;
    let got = raw(
        &mut again,
        b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        Duration::from_secs(5),
    )
    .await;
    assert!(String::from_utf8_lossy(&got).starts_with("HTTP/1.1 200"));
}

#[tokio::test]
async fn the_request_rate_is_per_client_and_x_forwarded_for_only_from_a_trusted_proxy() {
    let limits = resume_ssh::web::Limits {
        requests_per_minute: 3,
        ..tight_limits()
    };
    // No trusted proxy: X-Forwarded-For is ignored, every request counts for 127.0.0.1.
    let s = WebServer::with_limits(limits.clone()).await;
    let mut statuses = Vec::new();
    for i in 0..5 {
        let xff = format!("198.51.100.{i}");
        statuses.push(
            get(s.addr, "/healthz", &[("x-forwarded-for", &xff)])
                .await
                .status,
        );
    }
    assert_eq!(statuses, [200, 200, 200, 429, 429]);
    let limited = get(s.addr, "/healthz", &[]).await;
    assert_eq!(limited.header("retry-after"), "60");
    // Behind a trusted proxy (127.0.0.1): each forwarded client has its own budget.
    let s = WebServer::behind_proxy(limits, "127.0.0.0/8").await;
    for _ in 0..3 {
        let r = get(s.addr, "/healthz", &[("x-forwarded-for", "198.51.100.1")]).await;
        assert_eq!(r.status, 200);
    }
    let r = get(s.addr, "/healthz", &[("x-forwarded-for", "198.51.100.1")]).await;
    assert_eq!(r.status, 429, "the fourth request of one client");
    let r = get(s.addr, "/healthz", &[("x-forwarded-for", "198.51.100.2")]).await;
    assert_eq!(r.status, 200, "another client behind the same proxy");
    // A forged left-most entry does not buy a new budget: the proxy's own (right-most) counts.
    let forged = "203.0.113.77, 198.51.100.1";
    let r = get(s.addr, "/healthz", &[("x-forwarded-for", forged)]).await;
    assert_eq!(r.status, 429);
}

#[tokio::test]
async fn a_busy_connection_still_ends_at_the_maximum_connection_time() {
    let limits = resume_ssh::web::Limits {
        max_connection: Duration::from_secs(2),
        ..tight_limits()
    };
    let s = WebServer::with_limits(limits).await;
    let mut tcp = tcp_from("127.0.0.1", s.addr).await;
    let started = Instant::now();
    let mut answered = 0;
    // A request every 300 ms on one keep-alive connection: never idle.
    while started.elapsed() < Duration::from_secs(8) {
        if tcp
            .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            .await
            .is_err()
        {
            break;
        }
        let mut buf = [0u8; 1024];
        match tokio::time::timeout(
            Duration::from_secs(2),
            tokio::io::AsyncReadExt::read(&mut tcp, &mut buf),
        )
        .await
        {
            Ok(Ok(n)) if n > 0 => answered += 1,
            _ => break,
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    let lasted = started.elapsed();
    assert!(answered >= 3, "{answered} answers before the end");
    assert!(
        lasted < Duration::from_secs(5),
        "the connection lasted {lasted:?}"
    );
}
