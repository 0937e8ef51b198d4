//! The HTTP endpoint that serves the metrics: `GET /metrics` (and `/`), one small request per
//! connection, at most 8 at a time, each within 5 seconds.
//!
//! A scraper that accepts OpenMetrics (Prometheus does) gets what prometheus-client writes, with
//! its content type; anything else (curl, `promtool check metrics`) gets the classic text format.

use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const OPENMETRICS: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";
const CLASSIC: &str = "text/plain; version=0.0.4; charset=utf-8";

/// Serves `/metrics` on the listener until the process ends. Requests are tiny and bounded.
pub async fn serve(listener: TcpListener) {
    let busy = Arc::new(tokio::sync::Semaphore::new(8));
    loop {
        let Ok((mut stream, _)) = listener.accept().await else {
            tokio::time::sleep(Duration::from_millis(50)).await;
            continue;
        };
        let Ok(permit) = Arc::clone(&busy).try_acquire_owned() else {
            continue;
        };
        tokio::spawn(async move {
            let _permit = permit;
            let work = async {
                let mut req = [0u8; 1024];
                let n = stream.read(&mut req).await?;
                let resp = respond(&req[..n], &super::get().encode());
                stream.write_all(resp.as_bytes()).await?;
                stream.shutdown().await
            };
            let _ = tokio::time::timeout(Duration::from_secs(5), work).await;
        });
    }
}

/// The whole HTTP response to the request head `req`, given the OpenMetrics exposition.
fn respond(req: &[u8], openmetrics: &str) -> String {
    let head = String::from_utf8_lossy(req);
    let path = head.split_whitespace().nth(1).unwrap_or("");
    let wants_openmetrics = head.lines().skip(1).any(|l| {
        let l = l.to_ascii_lowercase();
        l.starts_with("accept:") && l.contains("application/openmetrics-text")
    });
    let (status, ctype, body) =
        if !(head.starts_with("GET ") && (path == "/metrics" || path == "/")) {
            (
                "404 Not Found",
                "text/plain; charset=utf-8",
                "not found\n".to_owned(),
            )
        } else if wants_openmetrics {
            ("200 OK", OPENMETRICS, openmetrics.to_owned())
        } else {
            ("200 OK", CLASSIC, classic(openmetrics))
        };
    format!(
        "HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
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
