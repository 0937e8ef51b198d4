//! What a client asked for: the exec command string (untrusted) parsed into a [`Command`].
//!
//! Commands are never passed to a shell. Anything that is not exactly a known command (binary
//! data, a huge string, extra words) is [`Command::Unknown`].

use crate::content::SectionId;
use crate::export::pdf::Paper;
use crate::export::plain;
use crate::resume::Site;
use crate::sanitize;

/// Longest exec command looked at; longer ones are unknown.
pub const MAX_COMMAND_BYTES: usize = 1024;

/// A parsed request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// No command: the TUI with a PTY, the plain resume without.
    Default,
    /// The whole resume as text at a width.
    Plain {
        width: usize,
    },
    Json,
    Vcard,
    Markdown,
    /// The contact as a QR code: black on white (`colour`), or plain half blocks.
    Qr {
        colour: bool,
    },
    /// The PDF (binary; refused on a PTY).
    Pdf(Paper),
    Help,
    /// `message`: a message for the owner, read from the channel until EOF (session/message.rs).
    Message,
    /// `scp -f NAME...` (the legacy scp protocol's source mode): the named files, sent by the
    /// session (session/scp.rs).
    ScpSend(Vec<String>),
    /// `scp -t ...` (an upload): refused.
    ScpReceive,
    /// One section: the TUI opened on it with a PTY, that section as text without.
    Section(SectionId),
    /// A known command with an argument out of range: what to say (printable, short).
    BadArgument(String),
    /// Anything else; holds a printable, shortened form of what was sent, for the error message.
    Unknown(String),
}

impl Command {
    /// A short name for logs and metrics.
    pub fn kind(&self) -> &'static str {
        match self {
            Command::Default => "plain-default",
            Command::Plain { .. } => "plain",
            Command::Json => "json",
            Command::Vcard => "vcard",
            Command::Markdown => "markdown",
            Command::Qr { .. } => "qr",
            Command::Pdf(_) => "pdf",
            Command::Help => "help",
            Command::Message => "message",
            Command::ScpSend(_) | Command::ScpReceive => "scp",
            Command::Section(s) => s.slug(),
            Command::BadArgument(_) => "bad-argument",
            Command::Unknown(_) => "unknown",
        }
    }

    /// Parses an exec request's bytes.
    pub fn parse(raw: &[u8]) -> Command {
        let unknown = || Command::Unknown(printable(raw));
        if raw.len() > MAX_COMMAND_BYTES {
            return unknown();
        }
        let Ok(text) = std::str::from_utf8(raw) else {
            return unknown();
        };
        let words: Vec<&str> = text.split_whitespace().collect();
        match words.as_slice() {
            [] => Command::Default,
            ["plain" | "text"] => Command::Plain {
                width: plain::DEFAULT_WIDTH,
            },
            ["plain" | "text", "--width", n] | ["plain" | "text", "-w", n] => {
                match n.parse::<usize>() {
                    Ok(w) if (plain::MIN_WIDTH..=plain::MAX_WIDTH).contains(&w) => {
                        Command::Plain { width: w }
                    }
                    _ => Command::BadArgument(format!(
                        "plain: width must be {}-{} columns, not '{}'",
                        plain::MIN_WIDTH,
                        plain::MAX_WIDTH,
                        printable(n.as_bytes())
                    )),
                }
            }
            ["json"] => Command::Json,
            ["vcard" | "vcf"] => Command::Vcard,
            ["markdown" | "md"] => Command::Markdown,
            ["qr"] => Command::Qr { colour: true },
            ["qr", "--plain"] => Command::Qr { colour: false },
            ["pdf"] => Command::Pdf(Paper::A4),
            ["pdf", "--paper", p] => match Paper::parse(p) {
                Some(paper) => Command::Pdf(paper),
                None => Command::BadArgument(format!(
                    "pdf: paper must be a4 or letter, not '{}'",
                    printable(p.as_bytes())
                )),
            },
            ["help" | "--help" | "-h"] => Command::Help,
            ["message"] => Command::Message,
            ["scp", args @ ..] => parse_scp(args).unwrap_or_else(unknown),
            [s] => match SectionId::from_slug(s) {
                Some(id) => Command::Section(id),
                None => unknown(),
            },
            _ => unknown(),
        }
    }
}

/// Files one `scp -f` may name.
pub const MAX_SCP_NAMES: usize = 16;

/// The arguments of a remote `scp` (as OpenSSH's `scp -O` and PuTTY's `pscp -scp` send them):
/// flags (`-f` source, `-t` sink; `-p -q -v -r -d` tolerated), an optional `--`, then names.
fn parse_scp(args: &[&str]) -> Option<Command> {
    let (mut from, mut to) = (false, false);
    let mut rest = args;
    while let [first, tail @ ..] = rest {
        if *first == "--" {
            rest = tail;
            break;
        }
        let Some(flags) = first.strip_prefix('-').filter(|f| !f.is_empty()) else {
            break;
        };
        for c in flags.chars() {
            match c {
                'f' => from = true,
                't' => to = true,
                'p' | 'q' | 'v' | 'r' | 'd' => {}
                _ => return None,
            }
        }
        rest = tail;
    }
    match (from, to) {
        (true, false) if !rest.is_empty() && rest.len() <= MAX_SCP_NAMES => Some(Command::ScpSend(
            rest.iter().map(|n| unquote(n).to_owned()).collect(),
        )),
        (false, true) => Some(Command::ScpReceive),
        _ => None,
    }
}

/// A name without the quotes a client may have put around it for the remote shell.
fn unquote(name: &str) -> &str {
    for q in ['\'', '"'] {
        if let Some(inner) = name.strip_prefix(q).and_then(|n| n.strip_suffix(q)) {
            return inner;
        }
    }
    name
}

/// A safe, short rendering of untrusted bytes for an error message: no control or format
/// character ([`sanitize::clean`]), at most 64 bytes of the command.
fn printable(raw: &[u8]) -> String {
    let text = String::from_utf8_lossy(&raw[..raw.len().min(64)]);
    let mut s = sanitize::clean(&text, 64);
    if raw.len() > 64 {
        s.push('…');
    }
    s
}

/// The `help` text: every command with one line each, spelled with the server's public command
/// (`[site] ssh` in resume.toml, else `ssh <this host>`).
pub fn help_text(site: &Site) -> String {
    let ssh = site.ssh();
    let host = site.scp_host();
    let mut s = format!(
        "Commands ({ssh} COMMAND):\n\
         \x20 (none)           the full-screen resume (plain text when there is no terminal)\n\
         \x20 plain, text      the whole resume as plain text, 80 columns (plain --width N, {}-{})\n\
         \x20 json             the resume as JSON Resume (https://jsonresume.org)\n\
         \x20 vcard            a vCard 4.0 contact card\n\
         \x20 markdown, md     the resume as Markdown (CommonMark)\n\
         \x20 qr               the contact as a QR code to scan (qr --plain: no colours)\n\
         \x20 pdf              the resume as a PDF, A4 (pdf --paper letter): {ssh} pdf > resume.pdf\n\
         \x20                  or scp {host}:resume.pdf . (scp and sftp serve every format as a file:\n\
         \x20                  resume.pdf, resume-letter.pdf, resume.json, resume.vcf, resume.md, resume.txt)\n",
        plain::MIN_WIDTH,
        plain::MAX_WIDTH,
    );
    for id in SectionId::ALL {
        s.push_str(&format!(
            "  {:<16} the {} section (opens the full-screen view on it with ssh -t)\n",
            id.slug(),
            id.title()
        ));
    }
    s.push_str(&format!(
        "  message          leave a message for the owner, read from standard input (up to 4,000\n\
         \x20                  characters; an optional first line From: how to reach you):\n\
         \x20                  echo 'Hello!' | {ssh} message\n",
    ));
    s.push_str("  help             this list\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_known_commands() {
        assert_eq!(Command::parse(b""), Command::Default);
        assert_eq!(Command::parse(b"  "), Command::Default);
        assert_eq!(Command::parse(b"plain"), Command::Plain { width: 80 });
        assert_eq!(
            Command::parse(b"text --width 40"),
            Command::Plain { width: 40 }
        );
        assert_eq!(Command::parse(b"json"), Command::Json);
        assert_eq!(Command::parse(b"vcard"), Command::Vcard);
        assert_eq!(Command::parse(b"help"), Command::Help);
        assert_eq!(Command::parse(b"md"), Command::Markdown);
        assert_eq!(Command::parse(b"message"), Command::Message);
        assert_eq!(Command::parse(b"markdown"), Command::Markdown);
        assert_eq!(Command::parse(b"pdf"), Command::Pdf(Paper::A4));
        assert_eq!(Command::parse(b"qr"), Command::Qr { colour: true });
        assert_eq!(Command::parse(b"qr --plain"), Command::Qr { colour: false });
        assert_eq!(
            Command::parse(b"pdf --paper letter"),
            Command::Pdf(Paper::Letter)
        );
        assert_eq!(
            Command::parse(b"case-studies"),
            Command::Section(SectionId::CaseStudies)
        );
    }

    #[test]
    fn garbage_is_unknown() {
        for raw in [
            &b"rm -rf /"[..],
            b"\xff\xfe\x00",
            b"json; cat /etc/passwd",
            b"$(reboot)",
            b"pdf letter",
            b"scp",
            b"scp -f",
            b"scp -f -t x",
            b"scp -x -f resume.pdf",
            b"scp resume.pdf",
        ] {
            assert!(
                matches!(Command::parse(raw), Command::Unknown(_)),
                "{raw:?}"
            );
        }
        let huge = vec![b'a'; MAX_COMMAND_BYTES + 1];
        match Command::parse(&huge) {
            Command::Unknown(s) => assert!(s.chars().count() <= 65),
            other => panic!("{other:?}"),
        }
        match Command::parse(b"\x1b[31mred\x07") {
            Command::Unknown(s) => assert!(!s.contains('\x1b') && !s.contains('\x07')),
            other => panic!("{other:?}"),
        }
        // Format characters (a right-to-left override, a zero-width space) are not echoed.
        assert_eq!(
            Command::parse("pl\u{202e}ain\u{200b}".as_bytes()),
            Command::Unknown("pl?ain?".into())
        );
    }

    #[test]
    fn an_argument_out_of_range_says_the_range() {
        for (raw, says) in [
            (
                &b"plain --width 20"[..],
                "width must be 40-200 columns, not '20'",
            ),
            (b"plain --width 39", "40-200"),
            (b"text -w 201", "40-200"),
            (b"plain --width x", "not 'x'"),
            (b"plain --width \x1b[2J", "not '?[2J'"),
            (b"pdf --paper a3", "paper must be a4 or letter, not 'a3'"),
        ] {
            match Command::parse(raw) {
                Command::BadArgument(msg) => assert!(msg.contains(says), "{msg}"),
                other => panic!("{raw:?}: {other:?}"),
            }
        }
    }

    #[test]
    fn parses_scp() {
        let send = |names: &[&str]| Command::ScpSend(names.iter().map(|s| s.to_string()).collect());
        assert_eq!(Command::parse(b"scp -f resume.pdf"), send(&["resume.pdf"]));
        assert_eq!(
            Command::parse(b"scp -v -p -f -- resume.vcf 'resume.md'"),
            send(&["resume.vcf", "resume.md"])
        );
        assert_eq!(Command::parse(b"scp -qf resume.txt"), send(&["resume.txt"]));
        assert_eq!(Command::parse(b"scp -t ."), Command::ScpReceive);
        assert_eq!(Command::parse(b"scp -r -d -t -- /tmp"), Command::ScpReceive);
        assert_eq!(Command::ScpReceive.kind(), "scp");
    }

    #[test]
    fn help_lists_every_section() {
        let h = help_text(&Site::default());
        for id in SectionId::ALL {
            assert!(h.contains(id.slug()));
        }
        for cmd in [
            "  markdown, md ",
            "  pdf ",
            "ssh <this host> pdf > resume.pdf",
            "scp <this host>:resume.pdf .",
            "resume-letter.pdf",
            "  qr ",
        ] {
            assert!(h.contains(cmd), "{cmd}");
        }
    }
}
