//! The HTTP endpoint that serves the metrics: `GET /metrics` (and `/`), one small request per
//! connection.
//!
//! Idle sockets cannot starve scrapes: a connection has 2 s for its request head (at most
//! 8 KiB, in as many packets as it likes) and 5 s to take its answer; at most 64 are open, and
//! when all are, the oldest one still waiting for its head is closed to make room for the new
//! one (only when all 64 are being answered is the new one closed).
//!
//! A scraper that accepts OpenMetrics (Prometheus does) gets what prometheus-client writes, with
//! its content type; anything else (curl, `promtool check metrics`) gets the classic text format.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, oneshot};

const OPENMETRICS: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";
const CLASSIC: &str = "text/plain; version=0.0.4; charset=utf-8";

/// Connections open at once.
const SLOTS: usize = 64;
/// From accept to the end of the request head.
const HEAD_DEADLINE: Duration = Duration::from_secs(2);
/// The longest request head read.
const MAX_HEAD: usize = 8 * 1024;
/// To write the answer.
const WRITE_DEADLINE: Duration = Duration::from_secs(5);

/// Connections still waiting for their request head, oldest first: dropping one's sender
/// closes it.
#[derive(Default)]
struct Waiting(Mutex<VecDeque<(u64, oneshot::Sender<()>)>>);

impl Waiting {
    fn push(&self, id: u64, close: oneshot::Sender<()>) {
        if let Ok(mut q) = self.0.lock() {
            q.push_back((id, close));
        }
    }

    /// Closes the oldest waiting connection; false if none waits.
    fn close_oldest(&self) -> bool {
        self.0.lock().ok().and_then(|mut q| q.pop_front()).is_some()
    }

    /// Connection `id` has its head: it no longer counts as idle.
    fn remove(&self, id: u64) {
        if let Ok(mut q) = self.0.lock() {
            q.retain(|(i, _)| *i != id);
        }
    }
}

/// Serves `/metrics` on the listener until the process ends.
pub async fn serve(listener: TcpListener) {
    let slots = Arc::new(Semaphore::new(SLOTS));
    let waiting = Arc::new(Waiting::default());
    let mut next_id = 0u64;
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            tokio::time::sleep(Duration::from_millis(50)).await;
            continue;
        };
        let permit = match Arc::clone(&slots).try_acquire_owned() {
            Ok(p) => p,
            // All slots taken: the oldest idle connection makes room (its task ends at once and
            // gives its slot back), unless every slot is busy answering.
            Err(_) if waiting.close_oldest() => {
                let freed = Arc::clone(&slots).acquire_owned();
                match tokio::time::timeout(Duration::from_secs(1), freed).await {
                    Ok(Ok(p)) => p,
                    _ => continue,
                }
            }
            Err(_) => continue,
        };
        next_id += 1;
        let (close, closed) = oneshot::channel();
        waiting.push(next_id, close);
        let waiting = Arc::clone(&waiting);
        let id = next_id;
        tokio::spawn(async move {
            let _permit = permit;
            answer(stream, id, closed, &waiting).await;
        });
    }
}

/// Reads connection `id`'s request head (unless it is closed to make room first) and answers it.
async fn answer(mut stream: TcpStream, id: u64, closed: oneshot::Receiver<()>, waiting: &Waiting) {
    let head = tokio::select! {
        head = tokio::time::timeout(HEAD_DEADLINE, read_head(&mut stream)) => head,
        _ = closed => return,
    };
    waiting.remove(id);
    let head = match head {
        Ok(Ok(head)) if !head.is_empty() => head,
        _ => return,
    };
    let resp = if head.len() >= MAX_HEAD && !head_ends(&head) {
        response("431 Request Header Fields Too Large", "too large\n")
    } else {
        respond(&head, &super::get().encode())
    };
    let write = async {
        stream.write_all(resp.as_bytes()).await?;
        stream.shutdown().await
    };
    let _ = tokio::time::timeout(WRITE_DEADLINE, write).await;
}

/// Reads until the blank line that ends a request head, the client's EOF, or [`MAX_HEAD`]
/// bytes, whichever comes first.
async fn read_head(stream: &mut TcpStream) -> std::io::Result<Vec<u8>> {
    let mut head = Vec::with_capacity(512);
    let mut buf = [0u8; 1024];
    loop {
        let n = stream.read(&mut buf).await?;
        let room = MAX_HEAD - head.len();
        head.extend_from_slice(&buf[..n.min(room)]);
        if n == 0 || head.len() >= MAX_HEAD || head_ends(&head) {
            return Ok(head);
        }
    }
}

/// Whether `head` holds the blank line that ends an HTTP request head.
fn head_ends(head: &[u8]) -> bool {
    head.windows(4).any(|w| w == b"\r\n\r\n") || head.windows(2).any(|w| w == b"\n\n")
}

/// A plain-text answer with no metrics.
fn response(status: &str, body: &str) -> String {
    format!(
        "HTTP/1.1 {status}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
}

/// The whole HTTP response to the request head `req`, given the OpenMetrics exposition.
fn respond(req: &[u8], openmetrics: &str) -> String {
    let head = String::from_utf8_lossy(req);
    let path = head.split_whitespace().nth(1).unwrap_or("");
    let wants_openmetrics = head.lines().skip(1).any(|l| {
        let l = l.to_ascii_lowercase();
        l.starts_with("accept:") && l.contains("application/openmetrics-text")
    });
    if !(head.starts_with("GET ") && (path == "/metrics" || path == "/")) {
        return response("404 Not Found", "not found\n");
    }
    let (ctype, body) = if wants_openmetrics {
        (OPENMETRICS, openmetrics.to_owned())
    } else {
        (CLASSIC, classic(openmetrics))
    };
    format!(
        "HTTP/1.1 200 OK\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
}

/// The classic text format (0.0.4) of an OpenMetrics exposition. prometheus-client writes only
/// OpenMetrics, where a counter family is named without its samples' `_total` and the text ends
/// with `# EOF`; in the classic format the family has its samples' name and there are no EOF or
/// UNIT lines. No maintained crate converts between the two, hence these few lines.
pub fn classic(openmetrics: &str) -> String {
    let mut out = String::with_capacity(openmetrics.len());
    let mut help: Option<&str> = None;
    let push = |out: &mut String, line: &str| {
        out.push_str(line);
        out.push('\n');
    };
    for line in openmetrics.lines() {
        if line == "# EOF" || line.starts_with("# UNIT ") {
            continue;
        }
        if line.starts_with("# HELP ") {
            if let Some(h) = help.replace(line) {
                push(&mut out, h);
            }
            continue;
        }
        if let Some((name, kind)) = line.strip_prefix("# TYPE ").and_then(|t| t.split_once(' ')) {
            let (family, kind) = match kind {
                "counter" => (format!("{name}_total"), kind),
                "unknown" => (name.to_owned(), "untyped"),
                _ => (name.to_owned(), kind),
            };
            if let Some(h) = help.take() {
                match h.strip_prefix(&format!("# HELP {name} ")) {
                    Some(text) => push(&mut out, &format!("# HELP {family} {text}")),
                    None => push(&mut out, h),
                }
            }
            push(&mut out, &format!("# TYPE {family} {kind}"));
            continue;
        }
        if let Some(h) = help.take() {
            push(&mut out, h);
        }
        push(&mut out, line);
    }
    if let Some(h) = help {
        push(&mut out, h);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const OM: &str = "# HELP x_connections Connections accepted.\n# TYPE x_connections counter\nx_connections_total 3\n# HELP x_active Open now.\n# TYPE x_active gauge\nx_active 1\n# EOF\n";

    #[test]
    fn prometheus_gets_openmetrics_and_others_the_classic_format() {
        let resp = respond(
            b"GET /metrics HTTP/1.1\r\nHost: a\r\nAccept: application/openmetrics-text;version=1.0.0,text/plain;q=0.5\r\n\r\n",
            OM,
        );
        assert!(
            resp.contains("Content-Type: application/openmetrics-text"),
            "{resp}"
        );
        assert!(resp.ends_with("# EOF\n"), "{resp}");

        let resp = respond(b"GET /metrics HTTP/1.0\r\n\r\n", OM);
        assert!(
            resp.contains("Content-Type: text/plain; version=0.0.4"),
            "{resp}"
        );
        let body = resp.split_once("\r\n\r\n").map(|(_, b)| b).unwrap_or("");
        assert_eq!(
            body,
            "# HELP x_connections_total Connections accepted.\n# TYPE x_connections_total counter\nx_connections_total 3\n# HELP x_active Open now.\n# TYPE x_active gauge\nx_active 1\n"
        );
        assert!(resp.contains(&format!("Content-Length: {}\r\n", body.len())));
    }

    #[test]
    fn other_paths_and_methods_are_not_found() {
        for req in [
            &b"GET /secret HTTP/1.0\r\n\r\n"[..],
            b"POST /metrics HTTP/1.0\r\n\r\n",
            b"\xff\xfe",
        ] {
            assert!(respond(req, OM).starts_with("HTTP/1.1 404 "), "{req:?}");
        }
    }
}
