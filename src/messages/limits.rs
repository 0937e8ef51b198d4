//! What a message may be and how many may arrive: the size caps, the rate limits and the store
//! quota ([`Limits`]), what the visitor sent parsed into a [`Submission`], and every reason a
//! message is refused ([`Refusal`]), each with the sentence the visitor reads.

use std::fmt;

/// Longest message body, in characters.
pub const MAX_BODY_CHARS: usize = 4_000;
/// Longest "How to reach you" (the `From:` line), in characters.
pub const MAX_FROM_CHARS: usize = 200;
/// Most bytes read from the visitor: the longest body and From line in 4-byte characters, and a
/// little slack. Past it nothing more is read and the message is refused.
pub const MAX_INPUT_BYTES: usize = 4 * (MAX_BODY_CHARS + MAX_FROM_CHARS) + 256;

/// The limits the writer checks before storing a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Messages per address key (an IPv4 address, an IPv6 /64) in the last hour.
    pub per_address_per_hour: u32,
    /// Messages from everyone in the last hour.
    pub global_per_hour: u32,
    /// Messages the store holds at most.
    pub max_messages: u64,
    /// Bytes of message text (body and From) the store holds at most.
    pub max_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            per_address_per_hour: 3,
            global_per_hour: 60,
            max_messages: 10_000,
            max_bytes: 20 * 1024 * 1024,
        }
    }
}

/// A message as the visitor sent it, checked for size and shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Submission {
    /// How to reach them (the optional first line `From: …`), possibly empty.
    pub from: String,
    pub body: String,
}

impl Submission {
    /// Bytes the message takes against the store quota.
    pub fn size(&self) -> usize {
        self.from.len() + self.body.len()
    }
}

/// Why a message was not stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The body is longer than [`MAX_BODY_CHARS`] (or more than [`MAX_INPUT_BYTES`] were sent).
    TooLong,
    /// The From line is longer than [`MAX_FROM_CHARS`].
    FromTooLong,
    Empty,
    NotText,
    /// The address sent its share of messages this hour.
    AddressLimit,
    /// Everyone together sent the server's share of messages this hour.
    GlobalLimit,
    /// The store is at its quota.
    Full,
    /// The writer's queue is full.
    Busy,
    /// The store could not write (disk full, I/O error): nothing was acknowledged.
    Failed,
    /// This server keeps no messages.
    Disabled,
    /// Asked for on a PTY, where the visitor could not end the message.
    Terminal,
}

impl Refusal {
    /// A short name for logs and metrics.
    pub fn label(&self) -> &'static str {
        match self {
            Refusal::TooLong => "too-long",
            Refusal::FromTooLong => "from-too-long",
            Refusal::Empty => "empty",
            Refusal::NotText => "not-text",
            Refusal::AddressLimit => "address-limit",
            Refusal::GlobalLimit => "global-limit",
            Refusal::Full => "full",
            Refusal::Busy => "busy",
            Refusal::Failed => "failed",
            Refusal::Disabled => "disabled",
            Refusal::Terminal => "terminal",
        }
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = match self {
            Refusal::TooLong => {
                "the message is longer than 4,000 characters; nothing was stored. Please shorten it."
            }
            Refusal::FromTooLong => {
                "the From line is longer than 200 characters; nothing was stored."
            }
            Refusal::Empty => {
                "the message is empty. Write it on standard input, e.g.: echo 'Hello!' | ssh HOST message"
            }
            Refusal::NotText => "the message is not UTF-8 text; nothing was stored.",
            Refusal::AddressLimit => {
                "too many messages from your address in the last hour; nothing was stored. Please try again later."
            }
            Refusal::GlobalLimit => {
                "the server has received too many messages in the last hour; nothing was stored. Please try again later."
            }
            Refusal::Full => {
                "the owner's inbox is full; nothing was stored. Please try again later, or use the contact details: ssh HOST contact"
            }
            Refusal::Busy => {
                "the server is busy; nothing was stored. Please try again in a minute."
            }
            Refusal::Failed => {
                "the server could not store the message just now. Please try again later (sending the same text again is safe)."
            }
            Refusal::Disabled => "this server does not take messages.",
            Refusal::Terminal => {
                "run it without -t: ssh HOST message, type the message and end it with Ctrl-D, or pipe it in: echo 'Hello!' | ssh HOST message"
            }
        };
        write!(f, "message refused: {text}")
    }
}

/// Parses what the visitor sent: UTF-8 text, line ends normalised to `\n`, an optional first
/// line `From: …` (any case), blank lines around the body dropped; then the size caps.
pub fn parse(raw: &[u8]) -> Result<Submission, Refusal> {
    if raw.len() > MAX_INPUT_BYTES {
        return Err(Refusal::TooLong);
    }
    let text = std::str::from_utf8(raw).map_err(|_| Refusal::NotText)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let text = text.trim_start_matches('\n');
    let (from, rest) = match text.split_once('\n') {
        Some((first, rest)) if is_from_line(first) => (from_value(first), rest),
        None if is_from_line(text) => (from_value(text), ""),
        _ => ("", text),
    };
    let from = from.trim();
    if from.chars().count() > MAX_FROM_CHARS {
        return Err(Refusal::FromTooLong);
    }
    let body = rest.trim_matches(|c: char| c == '\n' || c == ' ' || c == '\t');
    let body = body.trim_end();
    if body.is_empty() {
        return Err(Refusal::Empty);
    }
    if body.chars().count() > MAX_BODY_CHARS {
        return Err(Refusal::TooLong);
    }
    Ok(Submission {
        from: from.to_owned(),
        body: body.to_owned(),
    })
}

fn is_from_line(line: &str) -> bool {
    line.get(..5)
        .is_some_and(|p| p.eq_ignore_ascii_case("from:"))
}

fn from_value(line: &str) -> &str {
    &line[5..]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(raw: &str) -> Submission {
        parse(raw.as_bytes()).unwrap()
    }

    #[test]
    fn from_line_and_body() {
        let s = ok("From: Ada <ada@example.com>\r\n\r\nHello,\r\nnice resume.\n\n");
        assert_eq!(s.from, "Ada <ada@example.com>");
        assert_eq!(s.body, "Hello,\nnice resume.");
        let s = ok("Hello there\nFrom: not a header\n");
        assert_eq!(s.from, "");
        assert_eq!(s.body, "Hello there\nFrom: not a header");
        assert_eq!(ok("from:x\nhi").from, "x");
    }

    #[test]
    fn caps_and_shapes() {
        assert_eq!(parse(b""), Err(Refusal::Empty));
        assert_eq!(parse(b"From: me\n\n  \n"), Err(Refusal::Empty));
        assert_eq!(parse(b"\xff\xfe"), Err(Refusal::NotText));
        let body = "é".repeat(MAX_BODY_CHARS);
        assert_eq!(ok(&body).body.chars().count(), MAX_BODY_CHARS);
        assert_eq!(parse(format!("{body}x").as_bytes()), Err(Refusal::TooLong));
        let from = format!("From: {}\nhi", "a".repeat(MAX_FROM_CHARS + 1));
        assert_eq!(parse(from.as_bytes()), Err(Refusal::FromTooLong));
        assert_eq!(parse(&vec![b'a'; 100_000]), Err(Refusal::TooLong));
    }

    #[test]
    fn every_refusal_says_nothing_was_stored_or_why() {
        for r in [
            Refusal::TooLong,
            Refusal::AddressLimit,
            Refusal::Full,
            Refusal::Busy,
        ] {
            let text = r.to_string();
            assert!(text.starts_with("message refused: "), "{text}");
            assert!(!text.contains('\n'));
        }
    }
}
