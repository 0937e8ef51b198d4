//! What a webhook receives: a `--notify-url` target (an optional format prefix, `slack:`,
//! `discord:`, `ntfy:` or `json:`, then the http(s) URL), the request for a message in that
//! format, and when a failed delivery is tried again (exponential backoff, capped at a minute
//! for the first hour, then at an hour; given up after three days).

use serde_json::json;

use super::store::Message;

/// The shape of the request body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `{id, received_at, from, body}` (the default).
    Json,
    /// Slack's incoming webhooks: `{"text": …}`, with `&`, `<`, `>` escaped (no mentions).
    Slack,
    /// Discord's webhooks: `{"content": …}` (at most 2,000 characters), mentions off.
    Discord,
    /// ntfy: the text as the body, a `Title` header.
    Ntfy,
}

/// A parsed `--notify-url`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub format: Format,
    pub url: String,
}

impl Target {
    /// Parses `[FORMAT:]URL`; the URL must be http or https.
    pub fn parse(spec: &str) -> Result<Target, String> {
        let (format, url) = [
            ("slack:", Format::Slack),
            ("discord:", Format::Discord),
            ("ntfy:", Format::Ntfy),
            ("json:", Format::Json),
        ]
        .into_iter()
        .find_map(|(p, f)| spec.strip_prefix(p).map(|u| (f, u)))
        .unwrap_or((Format::Json, spec));
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            return Err(format!(
                "--notify-url: expected [slack:|discord:|ntfy:|json:]http(s)://…, got '{}'",
                crate::sanitize::clean(spec, 80)
            ));
        }
        Ok(Target {
            format,
            url: url.to_owned(),
        })
    }

    /// The URL's scheme and host, for logs (a webhook URL's path is often its secret).
    pub fn host(&self) -> &str {
        let rest = self.url.split_once("://").map_or(&self.url[..], |(_, r)| r);
        let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        &rest[..end]
    }
}

/// A request to send: its content type, extra headers and body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub content_type: &'static str,
    pub headers: Vec<(&'static str, String)>,
    pub body: String,
}

/// The request announcing `m` in `format`.
pub fn request(format: Format, m: &Message) -> Request {
    let who = if m.from.is_empty() {
        "a visitor (no contact given)".to_owned()
    } else {
        one_line(&m.from)
    };
    let title = format!("New message {} from {who}", m.id);
    let json_body = |v: serde_json::Value| Request {
        content_type: "application/json",
        headers: Vec::new(),
        body: v.to_string(),
    };
    match format {
        Format::Json => json_body(json!({
            "id": m.id,
            "received_at": m.received_at,
            "from": m.from,
            "body": m.body,
        })),
        Format::Slack => {
            let escape = |s: &str| {
                s.replace('&', "&amp;")
                    .replace('<', "&lt;")
                    .replace('>', "&gt;")
            };
            json_body(json!({ "text": format!("{}\n{}", escape(&title), escape(&m.body)) }))
        }
        Format::Discord => {
            let text = format!("{title}\n{}", m.body);
            json_body(json!({
                "content": cut(&text, 2_000),
                "allowed_mentions": { "parse": [] },
            }))
        }
        Format::Ntfy => Request {
            content_type: "text/plain; charset=utf-8",
            // A header value is one line of visible ASCII: the reference is, the name may not be.
            headers: vec![(
                "Title",
                title
                    .chars()
                    .filter(|c| c.is_ascii_graphic() || *c == ' ')
                    .collect(),
            )],
            body: m.body.clone(),
        },
    }
}

fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| {
            if crate::sanitize::is_forbidden(c) {
                ' '
            } else {
                c
            }
        })
        .collect()
}

/// `s` cut to `max` characters, with `…` when cut.
fn cut(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_owned();
    }
    let mut out: String = s.chars().take(max - 1).collect();
    out.push('…');
    out
}

/// Deliveries are given up this long after the message arrived.
pub const GIVE_UP_MS: i64 = 3 * 24 * 3600 * 1000;

/// Milliseconds to wait after the `attempts`-th failure of a row `age_ms` old, with `base_ms`
/// the first wait (1 s; tests make it shorter): doubling, capped at 60 bases for the first
/// 3,600 bases of the row's life (a minute in the first hour), then at 3,600 bases (an hour).
pub fn backoff(attempts: u32, age_ms: i64, base_ms: u64) -> u64 {
    let doubled = base_ms.saturating_mul(1u64 << attempts.saturating_sub(1).min(30));
    let early = u64::try_from(age_ms).unwrap_or(0) < base_ms.saturating_mul(3_600);
    let cap = base_ms.saturating_mul(if early { 60 } else { 3_600 });
    doubled.min(cap)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message() -> Message {
        Message {
            id: "M-ABCDEF".into(),
            received_at: "2026-12-08T00:00:00Z".into(),
            from: "Eve <@everyone>".into(),
            body: "Hi <!channel> & all".into(),
            read: false,
        }
    }

    #[test]
    fn targets() {
        let t = Target::parse("slack:https://hooks.slack.com/services/T/B/secret").unwrap();
        assert_eq!((t.format, t.host()), (Format::Slack, "hooks.slack.com"));
        assert_eq!(
            Target::parse("http://127.0.0.1:9/x").unwrap().format,
            Format::Json
        );
        assert!(Target::parse("ftp://x").is_err());
        assert!(Target::parse("slack:hooks").is_err());
    }

    #[test]
    fn payloads() {
        let m = message();
        let v: serde_json::Value = serde_json::from_str(&request(Format::Json, &m).body).unwrap();
        assert_eq!(v["id"], "M-ABCDEF");
        assert_eq!(v["from"], "Eve <@everyone>");
        let slack = request(Format::Slack, &m).body;
        assert!(slack.contains("&lt;!channel&gt; &amp; all"), "{slack}");
        let discord: serde_json::Value =
            serde_json::from_str(&request(Format::Discord, &m).body).unwrap();
        assert_eq!(discord["allowed_mentions"]["parse"], json!([]));
        let ntfy = request(Format::Ntfy, &m);
        assert_eq!(ntfy.body, m.body);
        assert!(ntfy.headers[0].1.starts_with("New message M-ABCDEF"));
    }

    #[test]
    fn backoff_doubles_then_caps() {
        let s = 1_000;
        assert_eq!(backoff(1, 0, s), 1_000);
        assert_eq!(backoff(2, 0, s), 2_000);
        assert_eq!(backoff(7, 0, s), 60_000);
        assert_eq!(backoff(40, 3_599_000, s), 60_000);
        assert_eq!(backoff(40, 3_600_000, s), 3_600_000);
        assert_eq!(backoff(10, 3_600_000, s), 512_000);
    }
}
