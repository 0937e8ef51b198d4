//! An acknowledged message survives a SIGKILL at once after the acknowledgement: the server is
//! killed after each one, restarted on the same directory, and the inbox shows every one (also
//! read from a copy of the database file and its WAL).

use super::*;

use russh::ChannelMsg;

/// Sends `text` as a message from `source` and returns its reference the moment the acknowledgement's bytes
/// arrive, without waiting for the rest of the channel.
async fn send_until_acknowledged(source: &str, addr: SocketAddr, text: &str) -> String {
    let client = common::connect_from(source, addr).await;
    let channel = client.handle.channel_open_session().await.expect("channel");
    channel.exec(false, "message").await.expect("exec");
    channel.data(text.as_bytes()).await.expect("data");
    channel.eof().await.expect("eof");
    let (mut read, _write) = channel.split();
    let mut seen = Vec::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let msg = tokio::time::timeout_at(deadline, read.wait())
            .await
            .expect("no acknowledgement within 10 s");
        match msg {
            Some(ChannelMsg::Data { data }) => {
                seen.extend_from_slice(&data);
                let text = String::from_utf8_lossy(&seen);
                if let Some(at) = text.find("Reference: M-")
                    && text[at..].contains('\n')
                {
                    return text[at + "Reference: ".len()..].trim().to_owned();
                }
            }
            Some(ChannelMsg::ExtendedData { data, .. }) => {
                panic!("refused: {}", String::from_utf8_lossy(&data))
            }
            Some(_) => {}
            None => panic!("channel ended without a reference: {seen:?}"),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_messages_survive_sigkill() {
    let _g = common::shared().await;
    let d = dirs();
    let mut acked = Vec::new();
    for i in 0..4 {
        let server = Served::start(&d.data, &d.key, &[]);
        // From four addresses: the default limit is three an hour per address.
        let source = format!("127.0.1.{i}");
        let r = send_until_acknowledged(&source, server.addr, &format!("durable {i}")).await;
        // SIGKILL as soon as the reference arrived (before the exit status, EOF and close that
        // follow it): no clean shutdown, no checkpoint.
        server.kill();
        acked.push(r);
    }
    let server = Served::start(&d.data, &d.key, &[]);
    let stored = inbox_refs(&d.data);
    let mut want = acked.clone();
    want.reverse();
    assert_eq!(stored, want, "newest first, every acknowledged one");
    let bodies: Vec<String> = inbox_json(&d.data)
        .iter()
        .map(|m| m["body"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(bodies, ["durable 3", "durable 2", "durable 1", "durable 0"]);
    server.kill();
    // A copy elsewhere (the file and its WAL, as data/README.md says) reads the same.
    let copy = tempfile::tempdir().unwrap();
    for name in ["messages.db", "messages.db-wal"] {
        let from = d.data.join(name);
        if from.exists() {
            std::fs::copy(&from, copy.path().join(name)).unwrap();
        }
    }
    let db = copy.path().join("messages.db");
    let (out, code) = inbox(&["--db".as_ref(), db.as_os_str(), "--json".as_ref()]);
    assert_eq!(code, 0);
    let copied: Vec<serde_json::Value> = serde_json::from_slice(&out).unwrap();
    assert_eq!(copied.len(), 4);
    // The data directory and the database are the owner's only.
    use std::os::unix::fs::PermissionsExt as _;
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&d.data), 0o700);
    assert_eq!(mode(&d.data.join("messages.db")), 0o600);
}
