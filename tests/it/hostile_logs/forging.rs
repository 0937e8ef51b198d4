//! A refused-request flood writes a bounded log; client strings cannot forge lines, add fields
//! or hide text.

use super::*;

/// 3,000 refused requests (X11, agent, a subsystem other than sftp, tcpip-forward,
/// direct-tcpip) on one connection: the log gets a few lines and a closing summary with the
/// counts, the client is disconnected with a reason once over the budget, and the metrics count
/// them by kind.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_request_flood_is_bounded_counted_and_disconnected() {
    let _gate = common::shared().await;
    let server = Server::start(&[], Reader::Fast);
    let (h, said) = connect_bye(server.addr).await;
    let ch = h.channel_open_session().await.expect("session channel");
    let t0 = Instant::now();
    let mut sent = 0;
    for i in 0..3000u32 {
        if t0.elapsed() > Duration::from_secs(20) {
            break;
        }
        let r = match i % 5 {
            0 => {
                ch.request_x11(false, false, "MIT-MAGIC-COOKIE-1", "00", 0)
                    .await
            }
            1 => ch.agent_forward(false).await,
            2 => ch.request_subsystem(false, "netconf").await,
            3 => {
                // Waits for the reply: refused (or the connection is gone).
                match tokio::time::timeout(Duration::from_secs(2), h.tcpip_forward("0.0.0.0", 0))
                    .await
                {
                    Ok(_) => Ok(()),
                    Err(_) => Err(russh::Error::Disconnect),
                }
            }
            _ => {
                match tokio::time::timeout(
                    Duration::from_secs(2),
                    h.channel_open_direct_tcpip("127.0.0.1", 9, "127.0.0.1", 5000),
                )
                .await
                {
                    Ok(Ok(_)) => panic!("a direct-tcpip channel was opened"),
                    Ok(Err(_)) => Ok(()),
                    Err(_) => Err(russh::Error::Disconnect),
                }
            }
        };
        if r.is_err() || h.is_closed() {
            break;
        }
        sent += 1;
    }
    // The server ends the connection: wait for it (bounded).
    let t1 = Instant::now();
    while !h.is_closed() && t1.elapsed() < Duration::from_secs(5) {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // On a server without budgets it never ends: the checks below then say what went wrong.
    server.wait_log("connection ended", Duration::from_secs(5));
    let log = server.log_text();
    // The connection's lines: in its span (`conn{id=…}`) or naming it (`conn=…`).
    let conn_lines: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("conn{") || l.contains("conn="))
        .collect();
    eprintln!(
        "refused flood: {sent} requests sent, {} log lines, {} bytes of log",
        conn_lines.len(),
        log.len()
    );
    assert!(
        conn_lines.len() <= 10,
        "{} log lines for one connection after {sent} refused requests:\n{}",
        conn_lines.len(),
        conn_lines
            .iter()
            .take(20)
            .copied()
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert!(log.len() < 8 * 1024, "{} bytes of log", log.len());
    let summary = lines_with(&log, "connection ended").join("\n");
    assert!(summary.contains("refused_requests"), "how: {summary}");
    assert!(summary.contains("x11="), "{summary}");
    assert!(summary.contains("agent="), "{summary}");
    assert!(summary.contains("subsystem="), "{summary}");
    let said = said.lock().unwrap().clone();
    assert!(
        said.as_deref()
            .is_some_and(|m| m.contains("Too many refused requests")),
        "the client was told: {said:?} after {sent} requests"
    );
    assert!(sent < 3000, "the client could send all 3,000");
    let metrics = server.metrics_text();
    assert!(
        metrics.contains("resume_ssh_requests_refused_total{kind=\"x11\"}"),
        "{metrics}"
    );
    assert!(
        metrics.contains("resume_ssh_budget_exceeded_total{budget=\"refused_requests\"} 1"),
        "{metrics}"
    );
}

/// An env TERM with CR/LF and escape sequences is cleaned before it is used or logged: no
/// forged line, no raw ESC in the log.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn env_term_cannot_forge_log_lines() {
    let _gate = common::shared().await;
    let server = Server::start(&[], Reader::Fast);
    let (h, _) = connect_bye(server.addr).await;
    let ch = h.channel_open_session().await.expect("session channel");
    ch.request_pty(false, "xterm", 80, 24, 0, 0, &[])
        .await
        .unwrap();
    let evil =
        "xterm\r\n2026-12-01T00:00:00.000000Z  INFO forged: admin logged in\x1b[2J\x1b]0;x\x07";
    ch.set_env(true, "TERM", evil).await.unwrap();
    ch.request_shell(true).await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    ch.data(&b"q"[..]).await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let _ = h
        .disconnect(russh::Disconnect::ByApplication, "bye", "")
        .await;
    assert!(
        server.wait_log("connection ended", Duration::from_secs(5)),
        "{}",
        server.log_text()
    );
    let bytes = server.log_bytes();
    assert!(!bytes.contains(&0x1b), "raw ESC in the log");
    assert!(!bytes.contains(&b'\r'), "raw CR in the log");
    let log = server.log_text();
    for line in log.lines() {
        assert!(
            !line.starts_with("2026-12-01T00:00:00.000000Z"),
            "forged line: {line}"
        );
    }
    assert!(
        log.contains("forged: admin"),
        "the cleaned TERM is in the summary: {log}"
    );
}

/// The `key=value` fields of a text log line after `after`, read as a logfmt reader reads them:
/// split at spaces outside double quotes, a quoted value unescaped (`\"`, `\\`).
fn logfmt_fields(line: &str, after: &str) -> Vec<(String, String)> {
    let rest = line.split_once(after).map_or("", |(_, r)| r);
    let mut out = Vec::new();
    let mut chars = rest.chars().peekable();
    loop {
        while chars.next_if_eq(&' ').is_some() {}
        if chars.peek().is_none() {
            return out;
        }
        let (mut key, mut value) = (String::new(), String::new());
        while let Some(c) = chars.next_if(|&c| c != '=' && c != ' ') {
            key.push(c);
        }
        if chars.next_if_eq(&'=').is_some() {
            if chars.next_if_eq(&'"').is_some() {
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => value.extend(chars.next()),
                        '"' => break,
                        c => value.push(c),
                    }
                }
            } else {
                while let Some(c) = chars.next_if(|&c| c != ' ') {
                    value.push(c);
                }
            }
        }
        out.push((key, value));
    }
}

/// Characters that must not reach the log: controls other than the line's end, and Unicode
/// format characters (bidi overrides, zero-width, tags).
fn hidden_chars(log: &str) -> Vec<String> {
    use unicode_general_category::{GeneralCategory, get_general_category};
    log.chars()
        .filter(|&c| {
            (c.is_control() && c != '\n') || get_general_category(c) == GeneralCategory::Format
        })
        .map(|c| format!("U+{:04X}", u32::from(c)))
        .collect()
}

/// A client whose version string, user name, pty TERM and subsystem name carry spaces, quotes,
/// `peer=… how=… bytes_out=…`, U+202E (right-to-left override) and U+200B (zero-width space):
/// read as logfmt, the closing line has each of its fields once and the client's strings come
/// back whole (format characters as `?`); the refused subsystem's line has one field; no
/// format or control character reaches the log.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn client_strings_cannot_add_fields_or_hide_text() {
    let _gate = common::shared().await;
    let server = Server::start(&[], Reader::Fast);
    let evil = "x \"q\" peer=1.2.3.4 how=x bytes_out=999 \u{202e}gnp.exe\u{200b}";
    let shown = "x \"q\" peer=1.2.3.4 how=x bytes_out=999 ?gnp.exe?";
    let mut config = common::client_config();
    config.client_id = russh::SshId::Standard(format!("SSH-2.0-evil {evil}").into());
    let said = Arc::new(Mutex::new(None));
    let mut h = tokio::time::timeout(
        Duration::from_secs(10),
        client::connect(Arc::new(config), server.addr, Bye(said)),
    )
    .await
    .expect("connect timed out")
    .expect("connect");
    assert!(h.authenticate_none(evil).await.expect("auth").success());
    let ch = h.channel_open_session().await.expect("session channel");
    ch.request_pty(false, &format!("xterm {evil}"), 80, 24, 0, 0, &[])
        .await
        .unwrap();
    ch.request_subsystem(false, evil).await.unwrap();
    ch.request_shell(true).await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    ch.data(&b"q"[..]).await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let _ = h
        .disconnect(russh::Disconnect::ByApplication, "bye", "")
        .await;
    assert!(
        server.wait_log("connection ended", Duration::from_secs(5)),
        "{}",
        server.log_text()
    );
    let log = server.log_text();
    let closing = lines_with(&log, "connection ended").join("\n");
    let fields = logfmt_fields(&closing, "connection ended ");
    for key in [
        "conn",
        "peer",
        "how",
        "client",
        "term",
        "bytes_out",
        "bytes_in",
    ] {
        let n = fields.iter().filter(|(k, _)| k == key).count();
        assert_eq!(n, 1, "{key}= {n} times in: {closing}");
    }
    let value = |key: &str| {
        fields
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
    };
    assert_eq!(
        value("client").as_deref(),
        Some(format!("SSH-2.0-evil {shown}").as_str()),
        "{closing}"
    );
    assert_eq!(
        value("term").as_deref(),
        Some(format!("xterm {shown}").as_str()),
        "{closing}"
    );
    assert_ne!(value("bytes_out").as_deref(), Some("999"), "{closing}");
    let refused = lines_with(&log, "refused a subsystem").join("\n");
    let fields = logfmt_fields(&refused, "refused a subsystem ");
    assert_eq!(fields.len(), 1, "{refused}");
    assert_eq!(fields[0].0, "subsystem", "{refused}");
    let hidden = hidden_chars(&log);
    assert!(hidden.is_empty(), "{hidden:?} in the log:\n{log}");
}
