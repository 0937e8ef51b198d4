//! Exec commands and the no-PTY shell end to end: exact output, streams, exit statuses and their
//! order, hostile command strings (never echoed with controls or format characters), a slow
//! reader of a large output, and the legacy scp protocol (`scp -f` played from the receiving
//! side; uploads and unknown names refused).

use crate::common;

use std::path::Path;
use std::time::Duration;

use common::*;
use resume_ssh::content::SectionId;
use resume_ssh::export::{json, plain, vcard};
use resume_ssh::resume::Resume;
use russh::ChannelMsg;
use unicode_width::UnicodeWidthStr;

/// The events after the data: exit status first, then EOF, then close.
fn assert_clean_end(out: &Output, status: u32) {
    let tail: Vec<Event> = out
        .events
        .iter()
        .copied()
        .filter(|e| !matches!(e, Event::Data | Event::Stderr))
        .collect();
    assert_eq!(
        tail,
        [Event::Exit(status), Event::Eof, Event::Close],
        "events: {:?}",
        out.events
    );
    // No output after the exit status.
    let exit_at = out
        .events
        .iter()
        .position(|e| matches!(e, Event::Exit(_)))
        .unwrap();
    assert!(
        out.events[exit_at..]
            .iter()
            .all(|e| !matches!(e, Event::Data | Event::Stderr)),
        "output after exit-status: {:?}",
        out.events
    );
}

fn assert_plain_text(text: &str, width: usize) {
    assert!(!text.contains('\x1b'), "an escape byte in plain text");
    assert!(text.ends_with('\n'));
    assert!(!text.contains('\r'));
    for l in text.lines() {
        assert!(l.width() <= width, "line wider than {width}: {l:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shell_without_pty_prints_plain_text() {
    let _gate = common::shared().await;
    let server = TestServer::start().await;
    let resume = shipped_resume();
    let client = server.connect().await;
    let out = client.run(None, None).await;
    assert_eq!(out.exit, Some(0), "{out:?}");
    assert!(out.stderr.is_empty());
    let text = String::from_utf8(out.stdout.clone()).expect("valid UTF-8");
    assert!(text.contains(NAME));
    assert!(text.contains("Key Achievements"));
    assert_plain_text(&text, 80);
    assert_eq!(text, plain::render(&resume, 80), "byte-exact plain export");
    assert_clean_end(&out, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exec_commands_without_pty() {
    let _gate = common::shared().await;
    let server = TestServer::start().await;
    let resume = shipped_resume();
    let client = server.connect().await;

    let out = client.exec("plain --width 40").await;
    assert_clean_end(&out, 0);
    let text = out.text();
    assert_plain_text(&text, 40);
    assert!(text.lines().any(|l| l.width() > 30), "really wrapped at 40");
    assert_eq!(text, plain::render(&resume, 40));

    let out = client.exec("json").await;
    assert_clean_end(&out, 0);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(v["basics"]["name"], NAME);
    assert_eq!(out.text(), json::render(&resume));

    let out = client.exec("vcard").await;
    assert_clean_end(&out, 0);
    let text = out.text();
    assert!(text.starts_with("BEGIN:VCARD\r\n"), "{text}");
    assert!(text.ends_with("END:VCARD\r\n"), "{text}");
    assert!(text.contains(NAME));
    assert_eq!(text, vcard::render(&resume));

    let out = client.exec("help").await;
    assert_clean_end(&out, 0);
    let text = out.text();
    assert!(text.contains("Commands"), "{text}");
    for id in SectionId::ALL {
        assert!(text.contains(id.slug()), "help lists {}", id.slug());
    }

    // A fresh connection: a connection may open only so many channels in its life.
    let client = server.connect().await;
    let out = client.exec("about").await;
    assert_clean_end(&out, 0);
    let text = out.text();
    assert_eq!(
        text,
        plain::render_section(&resume, SectionId::About, 80),
        "just the About section"
    );
    assert!(text.starts_with("# About\n"));
    assert!(!text.contains("Key Achievements"));
    assert!(!text.contains("# Experience"));
    assert_plain_text(&text, 80);

    let out = client.exec("experience").await;
    assert_clean_end(&out, 0);
    assert!(out.text().starts_with("# Experience\n"));
    assert!(out.text().contains("Key Achievements"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_commands_fail_with_status_2_on_stderr() {
    let _gate = common::shared().await;
    let server = TestServer::start().await;
    let client = server.connect().await;

    let out = client.exec("rm -rf /").await;
    assert_eq!(out.exit, Some(2));
    assert!(out.stdout.is_empty(), "nothing on stdout: {:?}", out.text());
    let err = out.stderr_text();
    assert!(err.contains("unknown command"), "{err}");
    assert!(err.contains("rm -rf /"), "{err}");
    assert!(err.contains("help"), "the help follows: {err}");
    assert_clean_end(&out, 2);

    // Binary garbage, including an escape sequence: never echoed raw.
    let out = client
        .exec(b"\xff\xfe\x00\x1b[2J\x1b]0;pwned\x07\x9b31m")
        .await;
    assert_eq!(out.exit, Some(2));
    assert!(out.stdout.is_empty());
    assert!(out.stderr_text().contains("unknown command"));
    assert!(
        !out.stderr.iter().any(|&b| b == 0x1b || b == 0x07 || b == 0),
        "control bytes echoed: {:?}",
        out.stderr_text()
    );
    assert_clean_end(&out, 2);

    // A 40 KiB command (inside the 48 KiB packet limit): refused without echoing it back.
    let huge = vec![b'a'; 40 * 1024];
    let out = client.exec(&huge).await;
    assert_eq!(out.exit, Some(2));
    assert!(out.stdout.is_empty());
    assert!(out.stderr_text().contains("unknown command"));
    assert!(
        out.stderr.len() < 8 * 1024,
        "stderr echoes the command: {} bytes",
        out.stderr.len()
    );
    assert_clean_end(&out, 2);

    // 100 KiB is over the packet limit: the server reads none of it and ends that connection
    // (telling the client why: tests/interop/ignore_flood.py checks the message).
    let other = server.connect().await;
    let out = other.exec(vec![b'a'; 100 * 1024]).await;
    assert_eq!(out.exit, None, "{out:?}");
    assert!(out.stdout.is_empty() && out.stderr.is_empty(), "{out:?}");
    let deadline = tokio::time::Instant::now() + WAIT;
    while !other.handle.is_closed() {
        assert!(
            tokio::time::Instant::now() < deadline,
            "connection still open"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }

    // Near misses.
    for cmd in [
        "plain --width 39",
        "plain --width 201",
        "json; id",
        "$(reboot)",
    ] {
        let client = server.connect().await;
        let out = client.exec(cmd).await;
        assert_eq!(out.exit, Some(2), "{cmd}");
        assert!(out.stdout.is_empty(), "{cmd}");
    }

    // The connection still works after all that.
    let out = client.exec("json").await;
    assert_eq!(out.exit, Some(0));
}

/// The unknown-command echo shows no Unicode format character (a right-to-left override would
/// reorder the rest of the visitor's line, zero-width and tag characters hide what was sent)
/// nor a line separator: each is a `?`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_command_echo_has_no_format_characters() {
    let _gate = common::shared().await;
    use unicode_general_category::{GeneralCategory, get_general_category};
    let server = TestServer::start().await;
    let client = server.connect().await;
    let sent = "fdp.\u{202e}exe\u{200b}\u{2066}x\u{feff}\u{ad}\u{e0041}\u{2028}";
    let out = client.exec(sent).await;
    assert_eq!(out.exit, Some(2));
    let err = out.stderr_text();
    let hidden: Vec<String> = err
        .chars()
        .filter(|&c| {
            (c.is_control() && c != '\n') || get_general_category(c) == GeneralCategory::Format
        })
        .map(|c| format!("U+{:04X}", u32::from(c)))
        .collect();
    assert!(hidden.is_empty(), "{hidden:?} echoed: {err:?}");
    assert!(
        err.starts_with("unknown command 'fdp.?exe??x????'\n"),
        "{err:?}"
    );
    assert_clean_end(&out, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exec_plain_with_pty_uses_crlf_and_no_tui() {
    let _gate = common::shared().await;
    let server = TestServer::start().await;
    let resume = shipped_resume();
    let client = server.connect().await;
    let out = client
        .run(
            Some(b"plain"),
            Some(Pty {
                term: "xterm-256color",
                cols: 100,
                rows: 30,
            }),
        )
        .await;
    assert_clean_end(&out, 0);
    let text = out.text();
    assert!(!text.contains('\x1b'), "no TUI, no escape codes");
    assert!(!contains(&out.stdout, b"\x1b[?1049h"));
    let lf = text.matches('\n').count();
    let crlf = text.matches("\r\n").count();
    assert!(lf > 50);
    assert_eq!(lf, crlf, "every line ends with CR LF");
    assert_eq!(text.replace("\r\n", "\n"), plain::render(&resume, 80));
}

/// The shipped resume with many extra initiatives: its plain export is well over 64 KiB.
fn big_resume() -> Resume {
    let mut text = shipped_text();
    for i in 0..220 {
        text.push_str(&format!(
            "\n[[initiatives]]\nname = \"Extra initiative number {i}\"\n\
             description = \"Initiative {i}: designed, built and operated a system that does \
             something useful at scale, with careful rollouts, good observability, automated \
             recovery and clear ownership; measured the results and wrote them down for the \
             team, then made it faster again by {i} percent.\"\n"
        ));
    }
    let r = Resume::parse(&text, Path::new("big.toml")).expect("the big resume parses");
    assert!(plain::render(&r, 80).len() > 64 * 1024);
    r
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_reader_gets_large_output_byte_exact() {
    let _gate = common::shared().await;
    let resume = big_resume();
    let expected = plain::render(&resume, 80);
    let server = TestServer::with(resume, test_limits()).await;
    let config = russh::client::Config {
        window_size: 8 * 1024,
        maximum_packet_size: 4 * 1024,
        channel_buffer_size: 2,
        ..client_config()
    };
    let client = connect_with(server.addr, config).await;
    let channel = client.handle.channel_open_session().await.expect("open");
    channel.exec(false, "plain").await.expect("exec");
    let (mut read, _write) = channel.split();
    let started = std::time::Instant::now();
    let out = collect(
        &mut read,
        Duration::from_secs(30),
        Some(Duration::from_millis(10)),
    )
    .await;
    println!(
        "slow reader: {} bytes in {:?} ({} expected)",
        out.stdout.len(),
        started.elapsed(),
        expected.len()
    );
    assert_eq!(out.stdout.len(), expected.len());
    assert!(out.stdout == expected.as_bytes(), "byte-exact");
    assert_clean_end(&out, 0);
}

/// What the sink side of an scp exchange got: files (name, bytes), error lines, and the end.
#[derive(Debug, Default)]
struct ScpGot {
    files: Vec<(String, Vec<u8>)>,
    errors: Vec<String>,
    exit: Option<u32>,
    closed: bool,
}

/// Runs `command` (exec) and plays the receiving side of the scp protocol, as `scp -O` and
/// `pscp -scp` do: `\0` when ready, `\0` after each `C` line, `\0` after each file's bytes.
async fn scp_sink(client: &Client, command: &str) -> ScpGot {
    let ch = client.handle.channel_open_session().await.expect("channel");
    ch.exec(false, command).await.expect("exec");
    let (mut read, write) = ch.split();
    write.data(&b"\0"[..]).await.expect("ready");
    let mut got = ScpGot::default();
    let mut buf: Vec<u8> = Vec::new();
    // The file whose bytes are expected: its name and size.
    let mut body: Option<(String, usize)> = None;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        loop {
            if let Some((name, size)) = &body {
                if buf.len() < size + 1 {
                    break;
                }
                assert_eq!(buf[*size], 0, "a file's bytes end with \\0");
                got.files.push((name.clone(), buf[..*size].to_vec()));
                buf.drain(..size + 1);
                body = None;
                write.data(&b"\0"[..]).await.expect("ack");
                continue;
            }
            let Some(nl) = buf.iter().position(|b| *b == b'\n') else {
                break;
            };
            let line = String::from_utf8(buf.drain(..=nl).collect()).expect("UTF-8 line");
            let line = line.trim_end_matches('\n');
            if let Some(err) = line.strip_prefix('\x01') {
                got.errors.push(err.to_owned());
                continue;
            }
            let header: Vec<&str> = line.splitn(3, ' ').collect();
            assert_eq!(header[0], "C0644", "{line:?}");
            body = Some((header[2].to_owned(), header[1].parse().expect("size")));
            write.data(&b"\0"[..]).await.expect("ack");
        }
        match tokio::time::timeout_at(deadline, read.wait()).await {
            Ok(Some(ChannelMsg::Data { data })) => buf.extend_from_slice(&data),
            Ok(Some(ChannelMsg::ExitStatus { exit_status })) => got.exit = Some(exit_status),
            Ok(Some(ChannelMsg::Close)) => {
                got.closed = true;
                break;
            }
            Ok(Some(_)) => {}
            Ok(None) | Err(_) => break,
        }
    }
    assert!(buf.is_empty(), "left over: {buf:?}");
    got
}

const AVAILABLE: &str =
    "available: resume.pdf, resume-letter.pdf, resume.json, resume.vcf, resume.md, resume.txt";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scp_source_mode_sends_each_file_like_its_command() {
    let server = TestServer::start().await;
    for (name, cmd) in [
        ("resume.pdf", "pdf"),
        ("resume-letter.pdf", "pdf --paper letter"),
        ("resume.json", "json"),
        ("resume.vcf", "vcard"),
        ("resume.md", "markdown"),
        ("resume.txt", "plain"),
    ] {
        let client = server.connect().await;
        let want = client.exec(cmd).await.stdout;
        let got = scp_sink(&client, &format!("scp -f {name}")).await;
        assert_eq!(got.errors, Vec::<String>::new(), "{name}");
        assert_eq!(got.files.len(), 1, "{name}");
        assert_eq!(got.files[0].0, name);
        assert!(got.files[0].1 == want, "{name}: bytes differ from `{cmd}`");
        assert_eq!((got.exit, got.closed), (Some(0), true), "{name}");
    }
    // The flags OpenSSH and PuTTY send, `--`, several names and paths to them.
    let client = server.connect().await;
    let got = scp_sink(&client, "scp -v -p -f -- ./resume.json /resume.txt").await;
    // Each C line names the file itself (OpenSSH's scp refuses a name with a '/').
    let names: Vec<&str> = got.files.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["resume.json", "resume.txt"]);
    assert_eq!(got.files[1].1, client.exec("plain").await.stdout);
    assert_eq!(got.exit, Some(0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scp_refuses_unknown_names_and_uploads() {
    let server = TestServer::start().await;
    let client = server.connect().await;
    let got = scp_sink(&client, "scp -f resume.doc resume.vcf").await;
    assert_eq!(
        got.errors,
        [format!("scp: resume.doc: no such file; {AVAILABLE}")]
    );
    // The other name is still sent; the status says something failed.
    assert_eq!(got.files.len(), 1);
    assert_eq!((got.exit, got.closed), (Some(1), true));

    // An upload (sink mode): the protocol's error line at once; the client's C line gets a
    // fatal one; its EOF (and only that: PuTTY's pscp fails on an early one) ends it, status 1.
    let client = server.connect().await;
    let ch = client.handle.channel_open_session().await.expect("channel");
    ch.exec(false, "scp -t .").await.expect("exec");
    let (mut read, write) = ch.split();
    let first = collect(&mut read, Duration::from_millis(500), None).await;
    assert_eq!(
        first.text(),
        format!("\x01scp: read-only: uploads are refused; {AVAILABLE}\n")
    );
    assert!(!first.closed(), "ended before the client's EOF: {first:?}");
    write.data(&b"C0644 3 up.txt\n"[..]).await.unwrap();
    write.data(&b"abc\0"[..]).await.unwrap();
    write.eof().await.unwrap();
    let out = collect(&mut read, Duration::from_secs(5), None).await;
    assert_eq!(out.text(), "\x02scp: read-only: nothing was written\n");
    assert_clean_end(&out, 1);
    // Not a command list: an scp that is not source or sink is an unknown command.
    let out = client.exec("scp -x resume.pdf").await;
    assert_eq!(out.exit, Some(2));
}
