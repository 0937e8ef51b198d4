//! Admission, end to end: which clients get in and which limits they share. The PROXY header is
//! read before a connection takes a slot; per-address limits key on the /64 for IPv6 and on the
//! IPv4 address for IPv4-mapped peers; a poisoned lock never locks clients out.

use crate::common;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{Limits, TuiOpts, client_config, connect_stream, shipped_resume, test_limits};
use resume_ssh::server::Server;
use resume_ssh::shared::Shared;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// A server with PROXY protocol on, on this test's runtime.
async fn proxy_server(limits: Limits) -> (SocketAddr, Arc<Shared>, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let (key, _) = resume_ssh::hostkey::load_or_create(&dir.path().join("key")).unwrap();
    let shared = Arc::new(
        Shared::new(shipped_resume(), limits)
            .with_proxy_protocol(true)
            .with_test_hooks(),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = Server::new(Arc::clone(&shared), key);
    tokio::spawn(server.run(vec![listener], std::future::pending(), || {}));
    (addr, shared, dir)
}

/// A PROXY v2 header saying the connection comes from `src`.
fn proxy_header(src: &str) -> Vec<u8> {
    use ppp::v2::{Builder, Command, Protocol, Version};
    let src: SocketAddr = src.parse().unwrap();
    let dst: SocketAddr = if src.is_ipv6() {
        "[2001:db8:ffff::1]:22".parse().unwrap()
    } else {
        "192.0.2.254:22".parse().unwrap()
    };
    Builder::with_addresses(Version::Two | Command::Proxy, Protocol::Stream, (src, dst))
        .build()
        .unwrap()
}

async fn with_header(addr: SocketAddr, src: &str) -> TcpStream {
    let mut s = TcpStream::connect(addr).await.unwrap();
    s.set_nodelay(true).ok();
    s.write_all(&proxy_header(src)).await.unwrap();
    s
}

/// What the server sends on a connection from `src` within `limit` (it closes a refused one).
async fn first_words(addr: SocketAddr, src: &str, limit: Duration) -> String {
    let mut s = with_header(addr, src).await;
    let mut out = Vec::new();
    let mut buf = [0u8; 1024];
    let deadline = tokio::time::Instant::now() + limit;
    while out.len() < 4096 {
        match tokio::time::timeout_at(deadline, s.read(&mut buf)).await {
            Ok(Ok(n)) if n > 0 => out.extend_from_slice(&buf[..n]),
            _ => break,
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A client from `src` that gets in: an authenticated SSH connection.
async fn admitted(addr: SocketAddr, src: &str) -> common::Client {
    connect_stream(with_header(addr, src).await, client_config()).await
}

/// Clients that connect and send nothing (not even a PROXY header) must not hold the slots that
/// clients with a header need; they are cut at the header's own short deadline.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn silent_connections_do_not_take_the_slots_of_clients_with_a_header() {
    let _gate = common::shared().await;
    let limits = Limits {
        max_connections: 3,
        proxy_header_timeout: Duration::from_millis(1500),
        ..test_limits()
    };
    let (addr, _shared, _dir) = proxy_server(limits).await;

    let opened = Instant::now();
    let mut silent = Vec::new();
    for _ in 0..3 {
        silent.push(TcpStream::connect(addr).await.unwrap());
    }
    tokio::time::sleep(Duration::from_millis(200)).await;

    // A client with a proper header is served at once, though three sockets wait silently.
    let words = first_words(addr, "203.0.113.1:4000", Duration::from_secs(2)).await;
    assert!(
        words.starts_with("SSH-2.0-resume_ssh_"),
        "a client with a header was not served while silent sockets waited: {words:?}"
    );
    let started = Instant::now();
    let c = admitted(addr, "203.0.113.2:4000").await;
    assert!(c.exec("plain").await.text().contains(common::NAME));
    println!(
        "handshake, auth and `plain` in {:?} next to 3 silent sockets",
        started.elapsed()
    );

    // The silent ones are closed at the header deadline, not the handshake deadline (10 s).
    for mut s in silent {
        let (got, closed) = common::raw_read_all(&mut s, Duration::from_secs(3)).await;
        assert!(closed, "a silent socket outlived the header deadline");
        assert!(
            !got.starts_with(b"SSH-2.0-"),
            "no SSH for a socket without a header"
        );
    }
    println!(
        "silent sockets all closed within {:?} of connecting",
        opened.elapsed()
    );
}

/// With one connection per address: two IPv6 clients in one /64 share the limit, one in another
/// /64 does not; an IPv4-mapped IPv6 address counts as the IPv4 address it carries.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ipv6_limits_key_on_the_64_and_mapped_ipv4_on_the_ipv4_address() {
    let _gate = common::shared().await;
    let limits = Limits {
        max_per_ip: 1,
        rate_per_ip_per_minute: 1000,
        ..test_limits()
    };
    let (addr, _shared, _dir) = proxy_server(limits).await;
    let limit = Duration::from_secs(3);

    let _a = admitted(addr, "[2001:db8::1]:4000").await;
    let same_64 = first_words(addr, "[2001:db8::2]:4000", limit).await;
    assert!(
        same_64.contains("Too many open connections"),
        "2001:db8::2 is in the /64 of 2001:db8::1: {same_64:?}"
    );
    let far = first_words(addr, "[2001:db8::ffff:1:2:3]:4000", limit).await;
    assert!(far.contains("Too many open connections"), "{far:?}");
    let other_64 = admitted(addr, "[2001:db8:0:1::1]:4000").await;
    assert!(other_64.exec("plain").await.text().contains(common::NAME));

    let _mapped = admitted(addr, "[::ffff:192.0.2.1]:4000").await;
    let v4 = first_words(addr, "192.0.2.1:4000", limit).await;
    assert!(
        v4.contains("Too many open connections"),
        "::ffff:192.0.2.1 and 192.0.2.1 are one address: {v4:?}"
    );
    // IPv4 addresses are still told apart one by one.
    let next = admitted(addr, "192.0.2.2:4000").await;
    assert!(next.exec("plain").await.text().contains(common::NAME));

    // The per-minute rate keys the same way: a fresh server allowing 2 new connections a minute.
    let limits = Limits {
        max_per_ip: 100,
        rate_per_ip_per_minute: 2,
        ..test_limits()
    };
    let (addr, _shared, _dir) = proxy_server(limits).await;
    drop(admitted(addr, "[2001:db8:5::1]:4000").await);
    drop(admitted(addr, "[2001:db8:5::2]:4000").await);
    let third = first_words(addr, "[2001:db8:5::3]:4000", limit).await;
    assert!(third.contains("Too many new connections"), "{third:?}");
    let elsewhere = admitted(addr, "[2001:db8:6::1]:4000").await;
    assert!(elsewhere.exec("plain").await.text().contains(common::NAME));
}

/// A panic while a lock is held (forced through a test-only hook) must not lock every later
/// client out, nor leave connections out of the table that shutdown and reload use.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_poisoned_lock_locks_no_one_out() {
    let _gate = common::shared().await;
    let dir = tempfile::tempdir().unwrap();
    let (key, _) = resume_ssh::hostkey::load_or_create(&dir.path().join("key")).unwrap();
    let shared = Arc::new(Shared::new(shipped_resume(), test_limits()).with_test_hooks());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = Server::new(Arc::clone(&shared), key);
    assert!(
        server.poison_locks_for_tests(),
        "the hook ran (test hooks are on)"
    );
    tokio::spawn(server.run(vec![listener], std::future::pending(), || {}));

    for i in 0..3 {
        let c = common::connect(addr).await;
        let out = c.exec("plain").await;
        assert!(
            out.text().contains(common::NAME),
            "client {i} after the poisoning"
        );
    }
    let open = common::connect(addr).await;
    let term = open.tui(TuiOpts::default()).await;
    term.wait_text(common::NAME).await;
    // The three finished ones leave the table; the open one is in it.
    let deadline = Instant::now() + Duration::from_secs(3);
    while shared.connection_count() != 1 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(
        shared.connection_count(),
        1,
        "the open connection is in the table (and only it)"
    );
}

/// The hook does nothing on a server without test hooks (the binary never sets them).
#[tokio::test]
async fn the_poison_hook_is_off_in_production() {
    let _gate = common::shared().await;
    let dir = tempfile::tempdir().unwrap();
    let (key, _) = resume_ssh::hostkey::load_or_create(&dir.path().join("key")).unwrap();
    let shared = Arc::new(Shared::new(shipped_resume(), test_limits()));
    assert!(!Server::new(shared, key).poison_locks_for_tests());
}
