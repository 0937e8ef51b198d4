//! The read-only SFTP subsystem end to end, with russh-sftp's client against a real server on
//! 127.0.0.1: the listing and its sizes, each file byte-identical to its exec command, every
//! change refused with the read-only message, bounded handles and reads, a junk flood that
//! closes only its own channel, and a channel kept during setup that never stalls the connection.

use crate::common;

use std::collections::BTreeMap;
use std::time::Duration;

use common::*;
use russh::ChannelMsg;
use russh_sftp::client::error::Error as SftpError;
use russh_sftp::client::{RawSftpSession, SftpSession};
use russh_sftp::protocol::{FileAttributes, OpenFlags, StatusCode};
use tokio::time::timeout;

/// Each file and the exec command whose output it holds.
const FILES: [(&str, &str); 6] = [
    ("resume.pdf", "pdf"),
    ("resume-letter.pdf", "pdf --paper letter"),
    ("resume.json", "json"),
    ("resume.vcf", "vcard"),
    ("resume.md", "md"),
    ("resume.txt", "plain"),
];

async fn sftp_channel(client: &Client) -> russh::Channel<russh::client::Msg> {
    let ch = client.handle.channel_open_session().await.expect("channel");
    ch.request_subsystem(true, "sftp").await.expect("subsystem");
    ch
}

async fn sftp(client: &Client) -> SftpSession {
    let ch = sftp_channel(client).await;
    timeout(WAIT, SftpSession::new(ch.into_stream()))
        .await
        .expect("sftp init timed out")
        .expect("sftp init")
}

/// The status code and message of a refused operation.
fn refusal<T>(r: Result<T, SftpError>) -> (StatusCode, String) {
    match r {
        Err(SftpError::Status(s)) => (s.status_code, s.error_message),
        Err(other) => panic!("expected a status error, got {other:?}"),
        Ok(_) => panic!("expected a status error, got success"),
    }
}

async fn expected(client: &Client) -> BTreeMap<&'static str, Vec<u8>> {
    let mut want = BTreeMap::new();
    for (name, cmd) in FILES {
        let out = client.exec(cmd).await;
        assert_eq!(out.exit, Some(0), "{cmd}: {out:?}");
        assert!(!out.stdout.is_empty(), "{cmd}");
        want.insert(name, out.stdout);
    }
    want
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn files_are_listed_and_match_their_commands() {
    let _gate = common::shared().await;
    let server = TestServer::start().await;
    let client = server.connect().await;
    let want = expected(&client).await;
    let sftp = sftp(&client).await;

    assert_eq!(sftp.canonicalize(".").await.unwrap(), "/");
    assert_eq!(
        sftp.canonicalize("~/resume.md").await.unwrap(),
        "/resume.md"
    );
    for dir in ["/", ".", ""] {
        let listed: BTreeMap<String, u64> = sftp
            .read_dir(dir)
            .await
            .unwrap()
            .filter(|e| e.file_name() != "." && e.file_name() != "..")
            .map(|e| (e.file_name(), e.metadata().len()))
            .collect();
        let sizes: BTreeMap<String, u64> = want
            .iter()
            .map(|(n, b)| (n.to_string(), b.len() as u64))
            .collect();
        assert_eq!(listed, sizes, "listing of {dir:?}");
    }
    assert!(sftp.metadata("/").await.unwrap().is_dir());
    for (name, bytes) in &want {
        let meta = sftp.metadata(*name).await.unwrap();
        assert!(meta.is_regular(), "{name}");
        assert_eq!(meta.len(), bytes.len() as u64, "stat size of {name}");
        let got = sftp.read(format!("/{name}")).await.unwrap();
        assert!(
            &got == bytes,
            "{name}: {} bytes, want {}",
            got.len(),
            bytes.len()
        );
        let got = sftp.read(*name).await.unwrap();
        assert!(&got == bytes, "{name} (relative)");
    }
    let (code, msg) = refusal(sftp.open("resume.doc").await);
    assert_eq!(code, StatusCode::NoSuchFile);
    assert!(
        msg.contains("available: resume.pdf, resume-letter.pdf, resume.json"),
        "{msg}"
    );
    assert_eq!(
        refusal(sftp.metadata("/etc/passwd").await).0,
        StatusCode::NoSuchFile
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_change_is_refused_with_a_message() {
    let _gate = common::shared().await;
    let server = TestServer::start().await;
    let client = server.connect().await;
    let sftp = sftp(&client).await;
    let before = sftp.read("resume.json").await.unwrap();

    let mut refused = vec![
        ("create", refusal(sftp.create("new.txt").await)),
        ("write", refusal(sftp.write("resume.json", b"x").await)),
        (
            "append",
            refusal(sftp.open_with_flags("resume.md", OpenFlags::APPEND).await),
        ),
        ("remove", refusal(sftp.remove_file("resume.pdf").await)),
        ("rename", refusal(sftp.rename("resume.pdf", "cv.pdf").await)),
        ("mkdir", refusal(sftp.create_dir("d").await)),
        ("rmdir", refusal(sftp.remove_dir("/").await)),
        ("symlink", refusal(sftp.symlink("l", "resume.pdf").await)),
    ];
    refused.push((
        "setstat",
        refusal(
            sftp.set_metadata("resume.txt", FileAttributes::default())
                .await,
        ),
    ));
    for (op, (code, msg)) in refused {
        assert_eq!(code, StatusCode::PermissionDenied, "{op}");
        assert_eq!(
            msg, "read-only: this server only serves the resume files",
            "{op}"
        );
    }
    // Nothing changed, and the session still serves.
    assert_eq!(sftp.read("resume.json").await.unwrap(), before);
    assert!(!sftp.try_exists("new.txt").await.unwrap());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn handles_and_reads_are_bounded() {
    let _gate = common::shared().await;
    let server = TestServer::start().await;
    let client = server.connect().await;
    let pdf = client.exec("pdf").await.stdout;
    let raw = RawSftpSession::new(sftp_channel(&client).await.into_stream());
    raw.init().await.unwrap();

    // One read asking for 1 MiB gets at most 64 KiB (src/session/sftp/fs.rs tests a bigger
    // file): the start of the file.
    let h = raw
        .open("resume.pdf", OpenFlags::READ, FileAttributes::default())
        .await
        .unwrap()
        .handle;
    let data = raw.read(&h, 0, 1 << 20).await.unwrap().data;
    let n = pdf.len().min(64 * 1024);
    assert_eq!(data, pdf[..n]);
    let tail = raw.read(&h, 100, 50).await.unwrap().data;
    assert_eq!(tail, pdf[100..150]);
    let fstat = raw.fstat(&h).await.unwrap().attrs;
    assert_eq!(fstat.size, Some(pdf.len() as u64));
    let past = raw.read(&h, pdf.len() as u64, 10).await;
    assert_eq!(refusal(past).0, StatusCode::Eof);

    // 16 open handles; the 17th is refused until one is closed.
    let mut handles = vec![h];
    for _ in 1..16 {
        let h = raw
            .open("resume.txt", OpenFlags::READ, FileAttributes::default())
            .await
            .unwrap();
        handles.push(h.handle);
    }
    let over = raw.opendir("/").await;
    assert_eq!(refusal(over).0, StatusCode::Failure);
    raw.close(handles.pop().unwrap()).await.unwrap();
    let dir = raw.opendir("/").await.unwrap();
    let names = raw.readdir(&dir.handle).await.unwrap();
    assert_eq!(names.files.len(), 8, "., .. and six files");
    assert_eq!(refusal(raw.readdir(&dir.handle).await).0, StatusCode::Eof);
}

/// Reads a channel until the server closes it; counts SFTP replies (length-prefixed packets).
async fn replies_until_closed(ch: &mut russh::Channel<russh::client::Msg>) -> (usize, bool) {
    let mut bytes = Vec::new();
    let mut closed = false;
    while let Ok(Some(msg)) = timeout(Duration::from_secs(10), ch.wait()).await {
        match msg {
            ChannelMsg::Data { data } => bytes.extend_from_slice(&data),
            ChannelMsg::Close => {
                closed = true;
                break;
            }
            _ => {}
        }
    }
    let (mut n, mut at) = (0, 0);
    while at + 4 <= bytes.len() {
        let len = u32::from_be_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]);
        at += 4 + len as usize;
        n += 1;
    }
    (n, closed)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn junk_closes_only_its_own_channel() {
    let _gate = common::shared().await;
    let server = TestServer::start().await;
    let client = server.connect().await;

    // 1,000 well-framed packets of an unknown type: each answered (bad message) until the
    // session's cap, then the channel is closed.
    let mut ch = sftp_channel(&client).await;
    let mut junk = Vec::new();
    for i in 0..1000u32 {
        junk.extend_from_slice(&9u32.to_be_bytes());
        junk.push(0xee);
        junk.extend_from_slice(&i.to_be_bytes());
        junk.extend_from_slice(b"junk");
    }
    ch.data(&junk[..]).await.unwrap();
    let (replies, closed) = replies_until_closed(&mut ch).await;
    assert!(closed, "the junk channel was not closed");
    assert_eq!(replies, 512, "replies before the cap");

    // Unframed garbage (a length far over the limit): closed at once, unanswered.
    let mut ch = sftp_channel(&client).await;
    ch.data(&b"GET / HTTP/1.1\r\nHost: x\r\n\r\n"[..])
        .await
        .unwrap();
    assert_eq!(replies_until_closed(&mut ch).await, (0, true));

    // The same connection, and another one, are still served.
    let sftp = sftp(&client).await;
    assert!(!sftp.read("resume.vcf").await.unwrap().is_empty());
    let other = server.connect().await;
    assert_eq!(other.exec("json").await.exit, Some(0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_channel_kept_during_setup_never_stalls() {
    let _gate = common::shared().await;
    let server = TestServer::start().await;
    let client = server.connect().await;

    // 40 env requests and 40 window-changes (more than russh's queue of 16 for a Channel),
    // then the subsystem: served.
    let ch = client.handle.channel_open_session().await.unwrap();
    for i in 0..40 {
        ch.set_env(false, format!("V{i}"), "x").await.unwrap();
        ch.window_change(80 + i, 24, 0, 0).await.unwrap();
    }
    ch.request_subsystem(true, "sftp").await.unwrap();
    let sftp = timeout(WAIT, SftpSession::new(ch.into_stream()))
        .await
        .expect("sftp after 80 requests timed out")
        .expect("sftp init");
    assert_ne!(sftp.metadata("resume.md").await.unwrap().len(), 0);

    // The same before an exec (a new connection: a few channels each).
    let client = server.connect().await;
    let ch = client.handle.channel_open_session().await.unwrap();
    for i in 0..40 {
        ch.set_env(false, format!("V{i}"), "x").await.unwrap();
        ch.signal(russh::Sig::INT).await.unwrap();
    }
    ch.exec(false, "json").await.unwrap();
    let (mut read, _w) = ch.split();
    let out = collect(&mut read, WAIT, None).await;
    assert_eq!(out.exit, Some(0), "{out:?}");

    // Data before the subsystem request: that channel is no SFTP session (refused), and the
    // connection goes on.
    let client = server.connect().await;
    let mut ch = client.handle.channel_open_session().await.unwrap();
    for _ in 0..40 {
        ch.data(&b"typed ahead"[..]).await.unwrap();
    }
    ch.request_subsystem(true, "sftp").await.unwrap();
    let mut answer = None;
    while let Ok(Some(msg)) = timeout(WAIT, ch.wait()).await {
        match msg {
            ChannelMsg::Success => answer = Some(true),
            ChannelMsg::Failure => answer = Some(false),
            _ => continue,
        }
        break;
    }
    assert_eq!(answer, Some(false), "sftp after channel data");
    assert_eq!(client.exec("vcard").await.exit, Some(0));
}
