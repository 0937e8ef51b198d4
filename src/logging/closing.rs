//! The "connection ended" line every visit logs, written straight into the log's batch in the
//! same bytes tracing-subscriber's text (no ANSI, field values as [`logfmt`] quotes them) or
//! JSON formatter would give it.
//!
//! Written by hand because it is the one line per visit: through tracing-subscriber it is 18
//! fields, each visited and formatted with `fmt` machinery that runs once per visit, cold. A
//! build without that line ran ~2% of a bare russh server's CPU below one with it (bench/ab.sh
//! --together, identical visitors). Here it is a few appends to one buffer. Whether the line is
//! on is still the subscriber's filter's answer; on a terminal (ANSI colours) and where `init`
//! did not run (tests, tools), the line goes through tracing as before.

use std::io::Write as _;
use std::sync::OnceLock;
use std::time::{SystemTime, UNIX_EPOCH};

use super::Format;
use super::batch::BatchWriter;
use super::logfmt;

/// The target the line is logged under (the filter sees this one).
pub const TARGET: &str = "resume_ssh::server";
const MESSAGE: &str = "connection ended";

/// A visit's closing line, field by field, in the order the log has always shown them.
pub struct Closing<'a> {
    pub conn: u64,
    pub peer: &'a str,
    pub how: &'a str,
    pub client: &'a str,
    pub command: &'a str,
    pub term: &'a str,
    pub size: &'a str,
    pub duration_ms: u64,
    pub bytes_out: u64,
    pub bytes_in: u64,
    pub requests: u32,
    pub window_changes: u32,
    pub refused: u32,
    pub refused_kinds: &'a str,
    pub russh_warnings: u32,
    pub rekeys: u32,
    pub log_suppressed: u32,
}

struct Direct {
    format: Format,
    writer: BatchWriter,
}

fn direct() -> &'static OnceLock<Direct> {
    static D: OnceLock<Direct> = OnceLock::new();
    &D
}

/// Makes [`log`] write its lines itself, in `format`, to `writer` (called by `init` when no
/// ANSI colours are wanted).
pub(super) fn install(format: Format, writer: BatchWriter) {
    let _ = direct().set(Direct { format, writer });
}

/// Logs the line at INFO, if the filter lets INFO through for [`TARGET`].
pub fn log(c: &Closing<'_>) {
    if !tracing::enabled!(target: TARGET, tracing::Level::INFO) {
        return;
    }
    let Some(d) = direct().get() else {
        via_tracing(c);
        return;
    };
    let mut line = Vec::with_capacity(512);
    match d.format {
        Format::Text => text(c, SystemTime::now(), &mut line),
        Format::Json => json(c, SystemTime::now(), &mut line),
    }
    // The batch writer never fails (a full batch drops the line and counts it).
    let _ = d.writer.clone().write(&line);
}

fn via_tracing(c: &Closing<'_>) {
    tracing::info!(
        target: TARGET,
        conn = c.conn,
        peer = %c.peer,
        how = c.how,
        client = %c.client,
        command = %c.command,
        term = %c.term,
        size = %c.size,
        duration_ms = c.duration_ms,
        bytes_out = c.bytes_out,
        bytes_in = c.bytes_in,
        requests = c.requests,
        window_changes = c.window_changes,
        refused = c.refused,
        refused_kinds = %c.refused_kinds,
        russh_warnings = c.russh_warnings,
        rekeys = c.rekeys,
        log_suppressed = c.log_suppressed,
        "connection ended"
    );
}

/// A field's value: a number, a string logged with `%` (in text as it is, or quoted when it
/// holds a space, `=`, `"` or nothing: [`logfmt::Value`]), or one logged as a `&str` field
/// (always Debug-quoted in text).
enum Value<'a> {
    Num(u64),
    Shown(&'a str),
    Quoted(&'a str),
}

/// The fields after `conn`, in the line's order.
fn fields<'a>(c: &Closing<'a>) -> [(&'static str, Value<'a>); 16] {
    use Value::{Num, Quoted, Shown};
    [
        ("peer", Shown(c.peer)),
        ("how", Quoted(c.how)),
        ("client", Shown(c.client)),
        ("command", Shown(c.command)),
        ("term", Shown(c.term)),
        ("size", Shown(c.size)),
        ("duration_ms", Num(c.duration_ms)),
        ("bytes_out", Num(c.bytes_out)),
        ("bytes_in", Num(c.bytes_in)),
        ("requests", Num(c.requests.into())),
        ("window_changes", Num(c.window_changes.into())),
        ("refused", Num(c.refused.into())),
        ("refused_kinds", Shown(c.refused_kinds)),
        ("russh_warnings", Num(c.russh_warnings.into())),
        ("rekeys", Num(c.rekeys.into())),
        ("log_suppressed", Num(c.log_suppressed.into())),
    ]
}

/// tracing-subscriber's `Full` text format: `TIME  INFO target: message k=v k=v`.
fn text(c: &Closing<'_>, now: SystemTime, out: &mut Vec<u8>) {
    timestamp(now, out);
    out.extend_from_slice(b"  INFO ");
    out.extend_from_slice(TARGET.as_bytes());
    out.extend_from_slice(b": ");
    out.extend_from_slice(MESSAGE.as_bytes());
    let _ = write!(out, " conn={}", c.conn);
    for (k, v) in fields(c) {
        let _ = match v {
            Value::Num(n) => write!(out, " {k}={n}"),
            Value::Shown(s) => write!(out, " {k}={}", logfmt::Value(s)),
            Value::Quoted(s) => write!(out, " {k}={s:?}"),
        };
    }
    out.push(b'\n');
}

/// tracing-subscriber's JSON format with `flatten_event(true)`.
fn json(c: &Closing<'_>, now: SystemTime, out: &mut Vec<u8>) {
    out.extend_from_slice(b"{\"timestamp\":\"");
    timestamp(now, out);
    out.extend_from_slice(b"\",\"level\":\"INFO\",\"message\":\"");
    out.extend_from_slice(MESSAGE.as_bytes());
    let _ = write!(out, "\",\"conn\":{}", c.conn);
    for (k, v) in fields(c) {
        match v {
            Value::Num(n) => {
                let _ = write!(out, ",\"{k}\":{n}");
            }
            Value::Shown(s) | Value::Quoted(s) => json_str(k, s, out),
        }
    }
    out.extend_from_slice(b",\"target\":\"");
    out.extend_from_slice(TARGET.as_bytes());
    out.extend_from_slice(b"\"}\n");
}

/// `,"key":"value"` with the value escaped as serde_json escapes it.
fn json_str(key: &str, value: &str, out: &mut Vec<u8>) {
    let _ = write!(out, ",\"{key}\":");
    // Writing into a Vec cannot fail; a failure would leave a valid empty string.
    if serde_json::to_writer(&mut *out, value).is_err() {
        out.extend_from_slice(b"\"\"");
    }
}

/// `now` as tracing-subscriber's `SystemTime` timer writes it: RFC 3339, UTC, microseconds.
/// (Its formatter is private; the date is Howard Hinnant's `civil_from_days`.)
fn timestamp(now: SystemTime, out: &mut Vec<u8>) {
    let d = now.duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = d.as_secs();
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let _ = write!(
        out,
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:06}Z",
        rem / 3600,
        rem / 60 % 60,
        rem % 60,
        d.subsec_micros()
    );
}

#[cfg(test)]
#[path = "closing_tests.rs"]
mod tests;
