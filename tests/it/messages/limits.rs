//! A message sent over SSH is shown by `inbox`; ten visitors from ten addresses at once are all
//! stored; one address sending twenty in a row is limited, each refusal with its reason and
//! exit status 2, and the store holds exactly the acknowledged ones; 100 KB is refused with
//! nothing stored.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_message_sent_over_ssh_is_in_the_inbox() {
    let _g = common::shared().await;
    let d = dirs();
    let server = Served::start(&d.data, &d.key, &[]);
    let out = send(
        server.addr,
        "From: Ada <ada@example.com>\nHello Arunav,\nlet's talk.\n",
    )
    .await;
    let r = reference(&out);
    assert!(out.stderr.is_empty(), "{}", out.stderr_text());
    let (list, code) = inbox(&["--data-dir".as_ref(), d.data.as_os_str()]);
    let list = String::from_utf8(list).unwrap();
    assert_eq!(code, 0);
    let line = list.lines().next().unwrap();
    assert!(line.starts_with(&r), "{list}");
    assert!(
        line.contains("Ada <ada@example.com>") && line.contains("Hello Arunav,"),
        "{list}"
    );
    assert!(!line.contains("let's talk"), "only the first line: {list}");
    let (show, code) = inbox(&[
        "--data-dir".as_ref(),
        d.data.as_os_str(),
        "show".as_ref(),
        r.as_ref(),
    ]);
    let show = String::from_utf8(show).unwrap();
    assert_eq!(code, 0);
    assert!(show.contains("Hello Arunav,\nlet's talk."), "{show}");
    assert!(show.contains("Status:    unread"), "{show}");
    let all = inbox_json(&d.data);
    assert_eq!(all.len(), 1);
    assert_eq!(all[0]["from"], "Ada <ada@example.com>");
    assert_eq!(all[0]["body"], "Hello Arunav,\nlet's talk.");
    assert_eq!(all[0]["read"], false);
    // Marked read, then deleted.
    let (_, code) = inbox(&[
        "--data-dir".as_ref(),
        d.data.as_os_str(),
        "read".as_ref(),
        r.as_ref(),
    ]);
    assert_eq!(code, 0);
    assert_eq!(inbox_json(&d.data)[0]["read"], true);
    let (_, code) = inbox(&[
        "--data-dir".as_ref(),
        d.data.as_os_str(),
        "delete".as_ref(),
        r.as_ref(),
    ]);
    assert_eq!(code, 0);
    assert!(inbox_json(&d.data).is_empty());
    let (_, code) = inbox(&[
        "--data-dir".as_ref(),
        d.data.as_os_str(),
        "show".as_ref(),
        r.as_ref(),
    ]);
    assert_eq!(code, 1);
    // Neither the text nor the name is in the server's log.
    let mut server = server;
    let log = server.log_lines().join("\n");
    assert!(
        !log.contains("Arunav,") && !log.contains("ada@example.com"),
        "{log}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_visitors_from_ten_addresses_at_once_are_all_stored() {
    let _g = common::shared().await;
    let d = dirs();
    let server = Served::start(&d.data, &d.key, &[]);
    let sends = (2..12).map(|i| {
        let addr = server.addr;
        tokio::spawn(async move {
            let text = format!("From: visitor {i}\nHello from 127.0.0.{i}");
            send_from(&format!("127.0.0.{i}"), addr, text.as_bytes()).await
        })
    });
    let mut acked = Vec::new();
    for s in sends {
        acked.push(reference(&s.await.unwrap()));
    }
    let mut stored = inbox_refs(&d.data);
    acked.sort();
    stored.sort();
    assert_eq!(stored, acked);
    assert_eq!(stored.len(), 10);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_address_sending_twenty_in_a_row_is_limited() {
    let _g = common::shared().await;
    let d = dirs();
    let server = Served::start(&d.data, &d.key, &[]);
    let mut acked = Vec::new();
    let mut refused = 0;
    for i in 0..20 {
        let out = send_from(
            "127.0.0.20",
            server.addr,
            format!("message number {i}").as_bytes(),
        )
        .await;
        match out.exit {
            Some(0) => acked.push(reference(&out)),
            Some(2) => {
                refused += 1;
                let why = out.stderr_text();
                assert!(
                    why.contains("message refused: too many messages from your address"),
                    "{why}"
                );
                assert!(out.stdout.is_empty());
            }
            other => panic!("exit {other:?}: {}", out.stderr_text()),
        }
    }
    // The default: three an hour per address.
    assert_eq!((acked.len(), refused), (3, 17));
    let mut stored = inbox_refs(&d.data);
    stored.sort();
    acked.sort();
    assert_eq!(stored, acked);
    // Another address is not affected.
    reference(&send_from("127.0.0.21", server.addr, b"hello").await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hundred_kilobytes_is_refused_and_nothing_stored() {
    let _g = common::shared().await;
    let d = dirs();
    let server = Served::start(&d.data, &d.key, &[]);
    let big = vec![b'a'; 100 * 1024];
    let out = send_from("127.0.0.1", server.addr, &big).await;
    assert_eq!(out.exit, Some(2), "{}", out.stderr_text());
    assert!(
        out.stderr_text().contains("longer than 4,000 characters"),
        "{}",
        out.stderr_text()
    );
    // Just over the cap, sent whole: refused too.
    let over = "b".repeat(4_001);
    let out = send(server.addr, &over).await;
    assert_eq!(out.exit, Some(2), "{}", out.stderr_text());
    let empty = send(server.addr, "\n\n").await;
    assert_eq!(empty.exit, Some(2));
    assert!(
        empty.stderr_text().contains("empty"),
        "{}",
        empty.stderr_text()
    );
    assert!(inbox_refs(&d.data).is_empty());
    let (list, _) = inbox(&["--data-dir".as_ref(), d.data.as_os_str()]);
    assert_eq!(String::from_utf8(list).unwrap(), "No messages.\n");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_a_pty_or_no_store_the_message_is_refused_with_a_hint() {
    let _g = common::shared().await;
    let d = dirs();
    let server = Served::start(&d.data, &d.key, &[]);
    let client = common::connect(server.addr).await;
    let pty = common::Pty {
        term: "xterm",
        cols: 80,
        rows: 24,
    };
    let out = client.run(Some(b"message"), Some(pty)).await;
    assert_eq!(out.exit, Some(2));
    assert!(
        out.stderr_text().contains("run it without -t"),
        "{}",
        out.stderr_text()
    );
    drop(server);
    // --no-messages: refused, and no data directory made.
    let other = dirs();
    let server = Served::start(&other.data, &other.key, &["--no-messages"]);
    let out = send(server.addr, "hello").await;
    assert_eq!(out.exit, Some(2));
    assert!(
        out.stderr_text().contains("does not take messages"),
        "{}",
        out.stderr_text()
    );
    assert!(!other.data.exists());
}
