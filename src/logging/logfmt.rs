//! Field values in the text log, logfmt style: a value with a space, `=` or `"` in it, or an
//! empty one, is written in double quotes with `"` and `\` escaped, so a client string can never
//! add a field of its own (`client=x peer=1.2.3.4`) to a line.
//!
//! tracing-subscriber's own text formatter writes `%` and `?` values as they are (only `&str`
//! values are quoted, always, as Rust's `Debug` quotes them); [`Fields`] is that formatter with
//! the `%`/`?` values quoted when they need it. The closing line, written by hand, uses
//! [`Value`] for the same bytes.

use std::fmt::{self, Write as _};

use tracing::field::{Field, Visit};
use tracing_subscriber::field::{MakeVisitor, VisitFmt, VisitOutput};
use tracing_subscriber::fmt::format::{DefaultVisitor, Writer};

use crate::sanitize::is_forbidden;

/// Whether `s` must be quoted to stay one value.
pub fn needs_quotes(s: &str) -> bool {
    s.is_empty()
        || s.chars()
            .any(|c| c == '=' || c == '"' || c.is_whitespace() || is_forbidden(c))
}

/// A value as the text log writes it: as it is, or quoted and escaped if it needs it.
pub struct Value<'a>(pub &'a str);

impl fmt::Display for Value<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !needs_quotes(self.0) {
            return f.write_str(self.0);
        }
        f.write_char('"')?;
        for c in self.0.chars() {
            match c {
                '"' => f.write_str("\\\"")?,
                '\\' => f.write_str("\\\\")?,
                '\n' => f.write_str("\\n")?,
                '\r' => f.write_str("\\r")?,
                '\t' => f.write_str("\\t")?,
                c if is_forbidden(c) => write!(f, "\\u{{{:x}}}", u32::from(c))?,
                c => f.write_char(c)?,
            }
        }
        f.write_char('"')
    }
}

/// tracing-subscriber's default field formatter, with `%` and `?` values written as [`Value`].
/// The message, numbers and `&str` values are written as it writes them.
#[derive(Debug, Default, Clone, Copy)]
pub struct Fields;

impl<'a> MakeVisitor<Writer<'a>> for Fields {
    type Visitor = Visitor<'a>;

    fn make_visitor(&self, target: Writer<'a>) -> Visitor<'a> {
        Visitor(DefaultVisitor::new(target, true))
    }
}

/// The visitor of [`Fields`].
pub struct Visitor<'a>(DefaultVisitor<'a>);

impl Visit for Visitor<'_> {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.record_str(field, value);
    }

    fn record_i64(&mut self, field: &Field, value: i64) {
        self.0.record_i64(field, value);
    }

    fn record_u64(&mut self, field: &Field, value: u64) {
        self.0.record_u64(field, value);
    }

    fn record_bool(&mut self, field: &Field, value: bool) {
        self.0.record_bool(field, value);
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        if field.name() == "message" {
            self.0.record_debug(field, value);
            return;
        }
        let text = format!("{value:?}");
        self.0
            .record_debug(field, &format_args!("{}", Value(&text)));
    }
}

impl VisitOutput<fmt::Result> for Visitor<'_> {
    fn finish(self) -> fmt::Result {
        self.0.finish()
    }
}

impl VisitFmt for Visitor<'_> {
    fn writer(&mut self) -> &mut dyn fmt::Write {
        self.0.writer()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_that_could_add_fields_are_quoted() {
        for (raw, shown) in [
            ("SSH-2.0-OpenSSH_9.2p1", "SSH-2.0-OpenSSH_9.2p1"),
            ("xterm-256color", "xterm-256color"),
            ("é漢\\", "é漢\\"),
            ("", "\"\""),
            ("a b", "\"a b\""),
            ("x peer=1.2.3.4", "\"x peer=1.2.3.4\""),
            ("env=2,x11=1", "\"env=2,x11=1\""),
            ("say \"hi\" \\o/", "\"say \\\"hi\\\" \\\\o/\""),
            ("tab\tnl\n", "\"tab\\tnl\\n\""),
            ("rlo\u{202e}", "\"rlo\\u{202e}\""),
            ("nbsp\u{a0}x", "\"nbsp\u{a0}x\""),
            ("ls\u{2028}", "\"ls\\u{2028}\""),
        ] {
            assert_eq!(Value(raw).to_string(), shown, "{raw:?}");
        }
    }

    /// What a text layer with `fields` writes for one line, without its time.
    fn line<N>(fields: N, log: impl FnOnce()) -> String
    where
        N: for<'w> tracing_subscriber::fmt::FormatFields<'w> + Send + Sync + 'static,
    {
        use tracing_subscriber::layer::SubscriberExt as _;
        let buf = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let w = std::sync::Arc::clone(&buf);
        let layer = tracing_subscriber::fmt::layer()
            .fmt_fields(fields)
            .without_time()
            .with_ansi(false)
            .with_writer(move || Sink(std::sync::Arc::clone(&w)));
        // The INFO filter keeps tracing's global maximum level at INFO: other tests check that
        // debug is off.
        let s = tracing_subscriber::registry()
            .with(tracing::level_filters::LevelFilter::INFO)
            .with(layer);
        tracing::subscriber::with_default(s, log);
        let bytes = buf.lock().map(|b| b.clone()).unwrap_or_default();
        String::from_utf8_lossy(&bytes).into_owned()
    }

    struct Sink(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

    impl std::io::Write for Sink {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            if let Ok(mut v) = self.0.lock() {
                v.extend_from_slice(b);
            }
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn lines_without_such_values_are_what_tracing_subscriber_writes() {
        let log = || {
            let span = tracing::info_span!("conn", id = 7u64, peer = %"ip-3f2a");
            let _in = span.enter();
            tracing::info!(
                n = 3u64,
                neg = -1i64,
                ok = true,
                kind = "tui",
                empty_str = "",
                subsystem = %"sftp",
                error = ?Some(4),
                "refused a subsystem: {}",
                "sftp server"
            );
        };
        let ours = line(Fields, log);
        assert_eq!(
            ours,
            line(tracing_subscriber::fmt::format::DefaultFields::new(), log)
        );
        assert!(
            ours.ends_with(
                "INFO conn{id=7 peer=ip-3f2a}: resume_ssh::logging::logfmt::tests: refused a subsystem: sftp server n=3 neg=-1 ok=true kind=\"tui\" empty_str=\"\" subsystem=sftp error=Some(4)\n"
            ),
            "{ours}"
        );
    }

    #[test]
    fn display_and_debug_values_are_quoted_when_they_need_it() {
        let evil = "x\" peer=1.2.3.4 how=x";
        let ours = line(Fields, || {
            let span = tracing::info_span!("conn", peer = %evil);
            let _in = span.enter();
            tracing::info!(subsystem = %evil, empty = %"", error = ?evil, "refused");
        });
        assert!(
            ours.contains(
                "conn{peer=\"x\\\" peer=1.2.3.4 how=x\"}: resume_ssh::logging::logfmt::tests: refused subsystem=\"x\\\" peer=1.2.3.4 how=x\" empty=\"\" error=\"\\\"x\\\\\\\" peer=1.2.3.4 how=x\\\"\""
            ),
            "{ours}"
        );
    }
}
