//! A small HTTP/1.1 client for the tests (hyper's), and raw TCP for requests no client sends.

use std::net::SocketAddr;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt as _, Empty};
use hyper::Method;
use hyper::header::HeaderMap;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;
use tokio::time::timeout;

/// A response, body read in full.
#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Resp {
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    pub fn text(&self) -> String {
        String::from_utf8(self.body.to_vec()).expect("UTF-8 body")
    }
}

/// `GET path` with `headers`.
pub async fn get(addr: SocketAddr, path: &str, headers: &[(&str, &str)]) -> Resp {
    request(Method::GET, addr, path, headers).await
}

pub async fn request(
    method: Method,
    addr: SocketAddr,
    path: &str,
    headers: &[(&str, &str)],
) -> Resp {
    let client = Client::builder(TokioExecutor::new()).build_http::<Empty<Bytes>>();
    let mut req = hyper::Request::builder()
        .method(method)
        .uri(format!("http://{addr}{path}"));
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let req = req.body(Empty::new()).expect("request");
    let res = timeout(Duration::from_secs(30), client.request(req))
        .await
        .expect("response in time")
        .expect("response");
    let status = res.status().as_u16();
    let headers = res.headers().clone();
    let body = timeout(Duration::from_secs(30), res.into_body().collect())
        .await
        .expect("body in time")
        .expect("body")
        .to_bytes();
    Resp {
        status,
        headers,
        body,
    }
}

/// A TCP connection to `addr` from the loopback address `source` (127.0.0.x).
pub async fn tcp_from(source: &str, addr: SocketAddr) -> TcpStream {
    let socket = tokio::net::TcpSocket::new_v4().expect("socket");
    socket
        .bind(format!("{source}:0").parse().expect("source address"))
        .expect("bind the source address");
    timeout(Duration::from_secs(5), socket.connect(addr))
        .await
        .expect("connect in time")
        .expect("connect")
}

/// Sends `raw` and reads until the server closes or `limit` passes; returns what was read.
pub async fn raw(stream: &mut TcpStream, raw: &[u8], limit: Duration) -> Vec<u8> {
    stream.write_all(raw).await.expect("write");
    read_until_closed(stream, limit).await
}

/// Reads until EOF (or an error, or `limit`).
pub async fn read_until_closed(stream: &mut TcpStream, limit: Duration) -> Vec<u8> {
    let mut out = Vec::new();
    let _ = timeout(limit, async {
        let mut buf = [0u8; 4096];
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => out.extend_from_slice(&buf[..n]),
            }
        }
    })
    .await;
    out
}

/// Whether the server closes `stream` within `limit` (EOF or reset), reading what it sends.
pub async fn closed_within(stream: &mut TcpStream, limit: Duration) -> bool {
    timeout(limit, async {
        let mut buf = [0u8; 4096];
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(_) => {}
            }
        }
    })
    .await
    .is_ok()
}
