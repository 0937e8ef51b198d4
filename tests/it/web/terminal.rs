//! The live terminal's WebSocket (`/terminal/ws`) with a real WebSocket client: the first frame
//! shows the resume, keys switch sections, a resize redraws at the new size; a foreign Origin is
//! refused, a 10 MB message closes the socket at a bounded cost, and one address cannot hoard
//! sockets.

use std::num::NonZeroU16;
use std::time::{Duration, Instant};

use futures_util::{SinkExt as _, StreamExt as _};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest as _;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::{Error, Message};
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream, connect_async};

use super::http::get;
use super::server::{WebServer, web_limits};
use crate::common::fixtures::NAME;
use crate::common::test_limits;

type Stream = WebSocketStream<MaybeTlsStream<TcpStream>>;

fn nz(v: u16) -> NonZeroU16 {
    NonZeroU16::new(v.max(1)).unwrap_or(NonZeroU16::MIN)
}

/// Opens `/terminal/ws` at `cols`×`rows` with `origin` (and an X-Forwarded-For, for a server
/// behind a trusted proxy).
async fn open(
    s: &WebServer,
    origin: &str,
    xff: Option<&str>,
    cols: u16,
    rows: u16,
) -> Result<Stream, Error> {
    let url = format!("ws://{}/terminal/ws?cols={cols}&rows={rows}", s.addr);
    let mut req = url.into_client_request()?;
    let h = req.headers_mut();
    h.insert("origin", HeaderValue::from_str(origin).expect("origin"));
    if let Some(x) = xff {
        h.insert("x-forwarded-for", HeaderValue::from_str(x).expect("xff"));
    }
    let (ws, _) = connect_async(req).await?;
    Ok(ws)
}

/// The server's own origin.
fn own(s: &WebServer) -> String {
    format!("http://{}", s.addr)
}

/// A browser's terminal: the socket and the screen its frames are drawn on.
struct Screen {
    ws: Stream,
    parser: vt100::Parser,
    closed: bool,
}

impl Screen {
    fn new(ws: Stream, cols: u16, rows: u16) -> Screen {
        Screen {
            ws,
            parser: vt100::Parser::new(nz(rows), nz(cols), 0),
            closed: false,
        }
    }

    fn contents(&self) -> String {
        self.parser.screen().contents()
    }

    /// Reads frames until `ok` holds for the screen, for at most 5 s.
    async fn wait(&mut self, what: &str, ok: impl Fn(&vt100::Screen) -> bool) {
        let end = Instant::now() + Duration::from_secs(5);
        while !ok(self.parser.screen()) {
            let left = end.saturating_duration_since(Instant::now());
            match tokio::time::timeout(left, self.ws.next()).await {
                Ok(Some(Ok(Message::Binary(b)))) => self.parser.process(&b),
                Ok(Some(Ok(_))) => {}
                Ok(Some(Err(_)) | None) => {
                    self.closed = true;
                    break;
                }
                Err(_) => break,
            }
        }
        assert!(
            ok(self.parser.screen()),
            "not seen: {what}; screen:\n{}",
            self.contents()
        );
    }

    async fn wait_text(&mut self, text: &str) {
        self.wait(text, |s| s.contents().contains(text)).await;
    }

    async fn key(&mut self, bytes: &[u8]) {
        let mut msg = vec![0u8];
        msg.extend_from_slice(bytes);
        self.ws
            .send(Message::Binary(msg.into()))
            .await
            .expect("send");
    }

    async fn resize(&mut self, cols: u16, rows: u16) {
        self.parser.screen_mut().set_size(nz(rows), nz(cols));
        let msg = [&[1u8][..], format!("{cols},{rows}").as_bytes()].concat();
        self.ws
            .send(Message::Binary(msg.into()))
            .await
            .expect("send");
    }
}

/// The column of the last `╮` on the row that opens the current section's box.
fn box_right_edge(screen: &vt100::Screen) -> Option<u16> {
    let (cols, rows) = (screen.size().1.get(), screen.size().0.get());
    (0..rows).find_map(|r| {
        let row: String = screen.contents_between(r, 0, r, cols);
        if !row.contains('╭') {
            return None;
        }
        (0..cols)
            .rev()
            .find(|&c| screen.cell(r, c).is_some_and(|cell| cell.contents() == "╮"))
    })
}

#[tokio::test]
async fn the_resume_in_a_websocket_keys_and_resizes() {
    let s = WebServer::start().await;
    let ws = open(&s, &own(&s), None, 80, 24).await.expect("upgrade");
    let mut t = Screen::new(ws, 80, 24);
    t.wait_text(NAME).await;
    t.wait_text("╭ About").await;
    // Right arrow: the next section.
    t.key(b"\x1b[C").await;
    t.wait_text("╭ Experience").await;
    assert_eq!(
        box_right_edge(t.parser.screen()),
        Some(79),
        "{}",
        t.contents()
    );
    // A wider, taller window: the box is redrawn to the new width.
    t.resize(120, 40).await;
    t.wait("the box 120 columns wide", |s| {
        box_right_edge(s) == Some(119)
    })
    .await;
    assert!(t.contents().contains("╭ Experience"));
    // q quits: the socket is closed by the server.
    t.key(b"q").await;
    let end = Instant::now() + Duration::from_secs(5);
    let mut close = None;
    while Instant::now() < end {
        match tokio::time::timeout(Duration::from_secs(5), t.ws.next()).await {
            Ok(Some(Ok(Message::Close(c)))) => {
                close = Some(c);
                break;
            }
            Ok(Some(Ok(_))) => {}
            _ => break,
        }
    }
    assert!(close.is_some(), "no close frame after q");
}

#[tokio::test]
async fn a_foreign_origin_is_refused() {
    let s = WebServer::start().await;
    for origin in ["https://evil.example", "null", "http://127.0.0.1:1"] {
        match open(&s, origin, None, 80, 24).await {
            Err(Error::Http(res)) => assert_eq!(res.status(), 403, "{origin}"),
            Err(e) => panic!("{origin}: {e}"),
            Ok(_) => panic!("{origin}: upgraded"),
        }
    }
    // The page's own origin is accepted.
    assert!(open(&s, &own(&s), None, 80, 24).await.is_ok());
    // Counted, with fixed labels (the metrics are global: other tests only add to them).
    let text = resume_ssh::metrics::get().encode();
    assert!(
        text.contains("resume_ssh_web_refusals_total{reason=\"origin\"}"),
        "{text}"
    );
    assert!(
        text.contains("resume_ssh_sessions_total{kind=\"web_tui\"}"),
        "{text}"
    );
}

#[tokio::test]
async fn a_10_mb_message_closes_the_socket_at_a_bounded_cost() {
    let s = WebServer::start().await;
    let ws = open(&s, &own(&s), None, 80, 24).await.expect("upgrade");
    let mut t = Screen::new(ws, 80, 24);
    t.wait_text(NAME).await;
    let started = Instant::now();
    let mut big = vec![0u8; 10 * 1024 * 1024];
    big[1..].fill(b'j');
    // The server may close before all of it is written: ignore that.
    let _ = t.ws.send(Message::Binary(big.into())).await;
    let mut ended = false;
    while started.elapsed() < Duration::from_secs(5) {
        match tokio::time::timeout(Duration::from_secs(5), t.ws.next()).await {
            Ok(Some(Ok(Message::Close(_))) | Some(Err(_)) | None) => {
                ended = true;
                break;
            }
            Ok(Some(Ok(_))) => {}
            Err(_) => break,
        }
    }
    assert!(ended, "the socket stayed open after a 10 MB message");
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    // A fresh visitor is served.
    let ws = open(&s, &own(&s), None, 80, 24).await.expect("upgrade");
    Screen::new(ws, 80, 24).wait_text(NAME).await;
}

#[tokio::test]
async fn one_address_cannot_hoard_sockets() {
    // Behind a trusted proxy (loopback), so that addresses come from X-Forwarded-For.
    let s = WebServer::behind_proxy(web_limits(), "127.0.0.0/8").await;
    let per_ip = resume_ssh::web::terminal::TermLimits::default().max_per_ip;
    let mut held = Vec::new();
    let mut refused = 0;
    for _ in 0..50 {
        match open(&s, &own(&s), Some("198.51.100.7"), 80, 24).await {
            Ok(ws) => held.push(ws),
            Err(Error::Http(res)) => {
                assert_eq!(res.status(), 503);
                refused += 1;
            }
            Err(e) => panic!("{e}"),
        }
    }
    assert_eq!(held.len(), per_ip);
    assert_eq!(refused, 50 - per_ip);
    // An IPv6 /64 counts as one address.
    let mut v6 = Vec::new();
    for i in 0..per_ip {
        let ip = format!("2001:db8::{}", i + 1);
        v6.push(
            open(&s, &own(&s), Some(&ip), 80, 24)
                .await
                .expect("upgrade"),
        );
    }
    match open(&s, &own(&s), Some("2001:db8::ffff"), 80, 24).await {
        Err(Error::Http(res)) => assert_eq!(res.status(), 503),
        other => panic!("a fifth socket from one /64: {:?}", other.map(|_| ())),
    }
    // Another visitor is served while they stay open.
    let ws = open(&s, &own(&s), Some("203.0.113.9"), 80, 24)
        .await
        .expect("upgrade");
    Screen::new(ws, 80, 24).wait_text(NAME).await;
    // One closed socket makes room again.
    drop(held.pop());
    let end = Instant::now() + Duration::from_secs(5);
    loop {
        match open(&s, &own(&s), Some("198.51.100.7"), 80, 24).await {
            Ok(_) => break,
            Err(_) if Instant::now() < end => tokio::time::sleep(Duration::from_millis(50)).await,
            Err(e) => panic!("no room after a socket closed: {e}"),
        }
    }
}

#[tokio::test]
async fn the_page_loads_xterm_from_hashed_assets_and_the_resume_links_to_it() {
    let s = WebServer::start().await;
    let page = get(s.addr, "/", &[]).await;
    let html = String::from_utf8_lossy(&page.body);
    assert!(
        html.contains("<a href=\"/terminal\">Open the live terminal</a>"),
        "{html}"
    );
    let res = get(s.addr, "/terminal", &[]).await;
    assert_eq!(res.status, 200);
    let csp = res.headers["content-security-policy"]
        .to_str()
        .expect("csp");
    assert!(
        csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
        "{csp}"
    );
    let html = String::from_utf8_lossy(&res.body).into_owned();
    assert!(
        !html.contains("<script>") && !html.contains("style="),
        "{html}"
    );
    let assets: Vec<&str> = html
        .split('"')
        .filter(|p| p.starts_with("/assets/"))
        .collect();
    for stem in ["/assets/xterm.", "/assets/addon-fit.", "/assets/terminal."] {
        assert!(
            assets.iter().any(|a| a.starts_with(stem)),
            "{stem} in {assets:?}"
        );
    }
    for a in &assets {
        let r = get(s.addr, a, &[]).await;
        assert_eq!(r.status, 200, "{a}");
        assert!(
            r.headers["cache-control"]
                .to_str()
                .unwrap_or("")
                .contains("immutable"),
            "{a}"
        );
        assert!(!r.body.is_empty(), "{a}");
    }
}

#[tokio::test]
async fn an_idle_socket_is_closed_with_the_reason() {
    let s = WebServer::with_session_limits(resume_ssh::config::Limits {
        idle_timeout: Duration::from_secs(1),
        ..test_limits()
    })
    .await;
    let ws = open(&s, &own(&s), None, 80, 24).await.expect("upgrade");
    let mut t = Screen::new(ws, 80, 24);
    t.wait_text(NAME).await;
    let started = Instant::now();
    let mut reason = None;
    while started.elapsed() < Duration::from_secs(5) {
        match tokio::time::timeout(Duration::from_secs(5), t.ws.next()).await {
            Ok(Some(Ok(Message::Binary(b)))) => t.parser.process(&b),
            Ok(Some(Ok(Message::Close(c)))) => {
                reason = Some(c.map(|c| c.reason.to_string()).unwrap_or_default());
                break;
            }
            Ok(Some(Ok(_))) => {}
            _ => break,
        }
    }
    let reason = reason.expect("closed for idleness");
    assert!(reason.contains("without input"), "{reason:?}");
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_reload_and_a_shutdown_reach_an_open_terminal() {
    let s = WebServer::start().await;
    let ws = open(&s, &own(&s), None, 100, 30).await.expect("upgrade");
    let mut t = Screen::new(ws, 100, 30);
    t.wait_text(NAME).await;
    let text = crate::common::shipped_text().replacen(NAME, "Arunav Q. Malhotra", 1);
    let edited = resume_ssh::resume::Resume::parse(&text, std::path::Path::new("r.toml"))
        .expect("edited resume");
    s.shared.set_resume(edited);
    // No input: the socket's task finds the new version by itself.
    t.wait_text("Arunav Q. Malhotra").await;
    s.shared.begin_shutdown();
    let end = Instant::now() + Duration::from_secs(5);
    let mut reason = None;
    while Instant::now() < end {
        match tokio::time::timeout(Duration::from_secs(5), t.ws.next()).await {
            Ok(Some(Ok(Message::Close(c)))) => {
                reason = Some(c.map(|c| c.reason.to_string()).unwrap_or_default());
                break;
            }
            Ok(Some(Ok(_))) => {}
            _ => break,
        }
    }
    let reason = reason.expect("closed at shutdown");
    assert!(reason.contains("restarting"), "{reason:?}");
}
