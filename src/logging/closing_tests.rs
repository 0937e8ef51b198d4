//! The hand-written closing line against tracing-subscriber's own formatters, byte for byte.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tracing::level_filters::LevelFilter;
use tracing_subscriber::layer::SubscriberExt as _;

const INFO: LevelFilter = LevelFilter::INFO;

use super::*;

#[derive(Clone, Default)]
struct Buf(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Buf {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// What tracing-subscriber writes for the line (without its time), as `init` sets it up. The
/// filter keeps tracing's global maximum level at INFO: other tests check that debug is off.
fn by_tracing(c: &Closing<'_>, format: Format) -> String {
    let buf = Buf::default();
    let w = buf.clone();
    let make = move || w.clone();
    let layer = tracing_subscriber::fmt::layer()
        .without_time()
        .with_ansi(false)
        .with_writer(make);
    match format {
        Format::Text => {
            let layer = layer.fmt_fields(logfmt::Fields);
            let s = tracing_subscriber::registry().with(INFO).with(layer);
            tracing::subscriber::with_default(s, || via_tracing(c));
        }
        Format::Json => {
            let s = tracing_subscriber::registry()
                .with(INFO)
                .with(layer.json().flatten_event(true));
            tracing::subscriber::with_default(s, || via_tracing(c));
        }
    }
    String::from_utf8(buf.0.lock().unwrap().clone()).unwrap()
}

fn closing<'a>(client: &'a str, how: &'a str, kinds: &'a str) -> Closing<'a> {
    Closing {
        conn: 18_446_744_073_709,
        peer: "ip-beffdc6e6888",
        how,
        client,
        command: "plain",
        term: "xterm-256color",
        size: "80x24",
        duration_ms: 52,
        bytes_out: 12_070,
        bytes_in: 2_065,
        requests: 3,
        window_changes: 0,
        refused: 7,
        refused_kinds: kinds,
        russh_warnings: 1,
        rekeys: u32::MAX,
        log_suppressed: 0,
    }
}

const CLIENTS: &[&str] = &[
    "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10",
    "",
    "quote\" back\\slash \u{1} tab\t nl\n é 漢 \u{7f} \u{2028}",
];

#[test]
fn text_is_what_tracing_subscriber_writes() {
    let at = UNIX_EPOCH + Duration::new(1_234_567_890, 500_000_000);
    for client in CLIENTS {
        for how in ["closed", "idle \"timeout\"", ""] {
            let c = closing(client, how, "env=2,x11=1");
            let mut ours = Vec::new();
            text(&c, at, &mut ours);
            let ours = String::from_utf8(ours).unwrap();
            let theirs = by_tracing(&c, Format::Text);
            // With a timer, tracing-subscriber writes the time and a space before the level.
            assert_eq!(ours, format!("2009-02-13T23:31:30.500000Z {theirs}"));
        }
    }
}

/// With its default field formatter (no logfmt quoting), for values that need no quotes.
fn by_plain_tracing(c: &Closing<'_>) -> String {
    let buf = Buf::default();
    let w = buf.clone();
    let layer = tracing_subscriber::fmt::layer()
        .without_time()
        .with_ansi(false)
        .with_writer(move || w.clone());
    let s = tracing_subscriber::registry().with(INFO).with(layer);
    tracing::subscriber::with_default(s, || via_tracing(c));
    String::from_utf8(buf.0.lock().unwrap().clone()).unwrap()
}

#[test]
fn plain_values_are_written_as_tracing_subscriber_always_wrote_them() {
    let at = UNIX_EPOCH + Duration::new(1_234_567_890, 500_000_000);
    let c = closing(CLIENTS[0].split(' ').next().unwrap(), "closed", "x11");
    let mut ours = Vec::new();
    text(&c, at, &mut ours);
    let ours = String::from_utf8(ours).unwrap();
    let theirs = by_plain_tracing(&c);
    assert_eq!(ours, format!("2009-02-13T23:31:30.500000Z {theirs}"));
    assert!(
        ours.contains(" client=SSH-2.0-OpenSSH_9.2p1 command=plain"),
        "{ours}"
    );
}

/// The line's `key=value` fields after its message, split as a logfmt reader splits them: at
/// spaces outside double quotes, a backslash escaping the next character.
fn logfmt_keys(line: &str) -> Vec<String> {
    let rest = line.split_once("connection ended ").map_or("", |(_, r)| r);
    let (mut keys, mut token, mut quoted, mut escaped) = (Vec::new(), String::new(), false, false);
    for ch in rest.trim_end().chars().chain([' ']) {
        match ch {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            ' ' if !quoted => {
                keys.push(token.split('=').next().unwrap_or("").to_owned());
                token.clear();
                continue;
            }
            _ => {}
        }
        token.push(ch);
    }
    keys
}

#[test]
fn client_strings_cannot_add_fields_to_the_text_line() {
    let at = UNIX_EPOCH + Duration::new(1_234_567_890, 0);
    let evil = "SSH-2.0-x \"q\" peer=1.2.3.4 how=x bytes_out=999 \\";
    let mut c = closing(evil, "closed", "env=2,x11=1");
    c.term = "xterm peer=5.6.7.8";
    c.size = "";
    let mut ours = Vec::new();
    text(&c, at, &mut ours);
    let ours = String::from_utf8(ours).unwrap();
    assert!(
        ours.contains(" client=\"SSH-2.0-x \\\"q\\\" peer=1.2.3.4 how=x bytes_out=999 \\\\\" "),
        "{ours}"
    );
    assert!(
        ours.contains(" term=\"xterm peer=5.6.7.8\" size=\"\" "),
        "{ours}"
    );
    assert!(ours.contains(" refused_kinds=\"env=2,x11=1\" "), "{ours}");
    let keys = logfmt_keys(&ours);
    let want = [
        "conn",
        "peer",
        "how",
        "client",
        "command",
        "term",
        "size",
        "duration_ms",
        "bytes_out",
        "bytes_in",
        "requests",
        "window_changes",
        "refused",
        "refused_kinds",
        "russh_warnings",
        "rekeys",
        "log_suppressed",
    ];
    assert_eq!(keys, want, "{ours}");
}

#[test]
fn json_is_what_tracing_subscriber_writes() {
    let at = UNIX_EPOCH + Duration::new(951_782_400, 1_000);
    for client in CLIENTS {
        let c = closing(client, "closed", client);
        let mut ours = Vec::new();
        json(&c, at, &mut ours);
        let ours = String::from_utf8(ours).unwrap();
        let theirs = by_tracing(&c, Format::Json);
        let with_time = theirs.replacen('{', "{\"timestamp\":\"2000-02-29T00:00:00.000001Z\",", 1);
        assert_eq!(ours, with_time);
        let v: serde_json::Value = serde_json::from_str(&ours).unwrap();
        assert_eq!(v["client"], *client);
        assert_eq!(v["rekeys"], u32::MAX);
    }
}

#[test]
fn timestamps_are_rfc3339_utc_with_microseconds() {
    for (secs, micros, want) in [
        (0, 0, "1970-01-01T00:00:00.000000Z"),
        (951_782_400, 1, "2000-02-29T00:00:00.000001Z"),
        (1_798_761_599, 999_999, "2026-12-31T23:59:59.999999Z"),
        (4_102_444_800, 123_456, "2100-01-01T00:00:00.123456Z"),
    ] {
        let mut out = Vec::new();
        timestamp(UNIX_EPOCH + Duration::new(secs, micros * 1000), &mut out);
        assert_eq!(String::from_utf8(out).unwrap(), want);
    }
}
