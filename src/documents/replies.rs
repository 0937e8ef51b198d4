//! Exec dispatch: what a non-TUI command prints, on stdout and stderr, and its exit status.
//! One `match` over [`Command`]; a new command is one new arm.
//!
//! What a command prints depends only on the resume version, the command and whether there is a
//! PTY, so each reply is made once per resume version ([`Replies`], kept by
//! [`super::Documents`]) and handed to every channel as the same immutable buffer.

use std::collections::VecDeque;
use std::sync::{Mutex, OnceLock};

use bytes::Bytes;

use crate::commands::{self, Command};
use crate::content::SectionId;
use crate::export::{json, markdown, plain, vcard};
use crate::locks::lock;
use crate::qr::{self, Code, Scale};
use crate::resume::{Resume, Site};
use crate::terminal::Size;

/// What a command sends back.
pub struct Output {
    pub stdout: String,
    pub stderr: String,
    pub exit: u32,
}

fn ok(stdout: String) -> Output {
    Output {
        stdout,
        stderr: String::new(),
        exit: 0,
    }
}

/// Runs `cmd` against `resume`.
pub fn run(cmd: &Command, resume: &Resume) -> Output {
    match cmd {
        Command::Default => ok(plain::render(resume, plain::DEFAULT_WIDTH)),
        Command::Plain { width } => ok(plain::render(resume, *width)),
        Command::Section(s) => ok(plain::render_section(resume, *s, plain::DEFAULT_WIDTH)),
        Command::Json => ok(json::render(resume)),
        Command::Vcard => ok(vcard::render(resume)),
        Command::Markdown => ok(markdown::render(resume)),
        // Without a window: the code at its natural (compact) size. In one: `Replies::get_in`.
        Command::Qr { colour } => match qr::code(resume) {
            Some(code) => ok(qr::print(&code, Scale::Half, *colour)),
            None => Output {
                stdout: String::new(),
                stderr: "qr: the contact is too long for a QR code\n".to_owned(),
                exit: 1,
            },
        },
        // Binary and cached per resume version: see `Documents::reply`.
        Command::Pdf(_) => Output {
            stdout: String::new(),
            stderr: "pdf: served by the session, not here\n".to_owned(),
            exit: 1,
        },
        // A protocol exchange with the client: run by the session itself (session/scp.rs,
        // session/message.rs).
        Command::ScpSend(_) | Command::ScpReceive | Command::Message => Output {
            stdout: String::new(),
            stderr: format!("{}: served by the session, not here\n", cmd.kind()),
            exit: 1,
        },
        Command::Help => ok(commands::help_text(&resume.site)),
        Command::BadArgument(msg) => Output {
            stdout: String::new(),
            stderr: format!("{msg}\n"),
            exit: 2,
        },
        Command::Unknown(what) => Output {
            stdout: String::new(),
            stderr: format!(
                "unknown command '{what}'\n\n{}",
                commands::help_text(&resume.site)
            ),
            exit: 2,
        },
    }
}

/// With a PTY the client's terminal is raw: lines need CR LF. vCard already has CR LF.
pub fn for_terminal(text: String, cmd: &Command, pty: bool) -> String {
    if pty && !matches!(cmd, Command::Vcard) {
        text.replace('\n', "\r\n")
    } else {
        text
    }
}

/// What a visitor who asked for the PDF on a terminal is told (the PDF would garble it), with the
/// server's public command.
pub fn pty_hint(site: &Site) -> String {
    format!(
        "pdf: not sent to a terminal; save it with: {} pdf > resume.pdf (without -t)\r\n",
        site.ssh()
    )
}

/// A command's reply, ready for the channel. Cloning it copies no output: every channel that
/// asks for the same thing holds the same buffers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub stdout: Bytes,
    /// Stderr, sent in this order: what is particular to the request (an unknown command's
    /// name), then what is shared (the list of commands). Either may be empty.
    pub stderr: [Bytes; 2],
    pub exit: u32,
}

impl Reply {
    fn stdout(stdout: Bytes) -> Reply {
        Reply {
            stdout,
            stderr: [Bytes::new(), Bytes::new()],
            exit: 0,
        }
    }

    fn stderr(stderr: impl Into<Bytes>, exit: u32) -> Reply {
        Reply {
            stdout: Bytes::new(),
            stderr: [stderr.into(), Bytes::new()],
            exit,
        }
    }

    /// The reply to `pdf`: the cached document, or on a PTY the hint (the PDF is not touched).
    pub fn pdf(pty: bool, site: &Site, pdf: impl FnOnce() -> Result<Bytes, String>) -> Reply {
        if pty {
            return Reply::stderr(pty_hint(site), 2);
        }
        match pdf() {
            Ok(bytes) => Reply::stdout(bytes),
            Err(e) => Reply::stderr(format!("pdf: not available: {e}\n"), 1),
        }
    }
}

/// Commands with one reply per resume version (and PTY or not), in [`Replies::fixed`].
const FIXED: usize = 7 + SectionId::ALL.len();

/// `plain --width N` replies kept at once (besides the default width, which is fixed): a client
/// asking for every width gets them all, but only the last few stay in memory.
pub const MAX_WIDTHS: usize = 8;

/// The replies of one resume version, each made on first use.
pub struct Replies {
    /// By [`slot`] × 2 + PTY.
    fixed: [OnceLock<Reply>; 2 * FIXED],
    /// `plain --width N` (N not the default): (width, PTY, reply), oldest first.
    widths: Mutex<VecDeque<(usize, bool, Reply)>>,
    /// `qr` in a window: the code, made once, and the reply by colour × [`Scale`].
    qr_code: OnceLock<Option<Code>>,
    qr_sized: [OnceLock<Reply>; 4],
}

impl Default for Replies {
    fn default() -> Self {
        Replies {
            fixed: std::array::from_fn(|_| OnceLock::new()),
            widths: Mutex::new(VecDeque::new()),
            qr_code: OnceLock::new(),
            qr_sized: std::array::from_fn(|_| OnceLock::new()),
        }
    }
}

/// Where a command's reply lives in [`Replies::fixed`], if it has a fixed one.
fn slot(cmd: &Command) -> Option<usize> {
    Some(match cmd {
        Command::Default => 0,
        Command::Plain { width } if *width == plain::DEFAULT_WIDTH => 0,
        Command::Json => 1,
        Command::Vcard => 2,
        Command::Markdown => 3,
        Command::Qr { colour: true } => 4,
        Command::Qr { colour: false } => 5,
        Command::Help => 6,
        Command::Section(s) => 7 + SectionId::ALL.iter().position(|x| x == s)?,
        Command::Plain { .. }
        | Command::Pdf(_)
        | Command::BadArgument(_)
        | Command::Unknown(_)
        | Command::ScpSend(_)
        | Command::ScpReceive
        | Command::Message => return None,
    })
}

/// Renders `cmd`'s reply (never `pdf`: see [`Reply::pdf`]).
fn render(cmd: &Command, resume: &Resume, pty: bool) -> Reply {
    let out = run(cmd, resume);
    Reply {
        stdout: Bytes::from(for_terminal(out.stdout, cmd, pty)),
        stderr: [
            Bytes::from(for_terminal(out.stderr, cmd, pty)),
            Bytes::new(),
        ],
        exit: out.exit,
    }
}

impl Replies {
    /// The reply to `cmd` (not `pdf`) for `resume`, which must be the version these replies
    /// belong to.
    pub fn get(&self, cmd: &Command, pty: bool, resume: &Resume) -> Reply {
        if let Some(i) = slot(cmd) {
            return self.fixed[2 * i + usize::from(pty)]
                .get_or_init(|| render(cmd, resume, pty))
                .clone();
        }
        match cmd {
            Command::Plain { width } => self.plain(*width, pty, resume),
            // The name is the client's own; the list after it is shared.
            Command::Unknown(what) => {
                let head = for_terminal(format!("unknown command '{what}'\n\n"), cmd, pty);
                let list = self.get(&Command::Help, pty, resume).stdout;
                Reply {
                    stdout: Bytes::new(),
                    stderr: [Bytes::from(head), list],
                    exit: 2,
                }
            }
            _ => render(cmd, resume, pty),
        }
    }

    /// The reply to `cmd` on a channel with a PTY of size `window`, or none: `qr` fits the
    /// window (one reply per size class), or says how large it must be.
    pub fn get_in(&self, cmd: &Command, window: Option<Size>, resume: &Resume) -> Reply {
        let (Command::Qr { colour }, Some(size)) = (cmd, window) else {
            return self.get(cmd, window.is_some(), resume);
        };
        let Some(code) = self.qr_code.get_or_init(|| qr::code(resume)) else {
            return self.get(cmd, true, resume);
        };
        let (cols, rows) = (usize::from(size.cols), usize::from(size.rows));
        let Some(scale) = qr::print_fit(code, cols, rows) else {
            let (w, h) = qr::window_needed(code);
            return Reply::stderr(
                format!("qr needs a window of at least {w}×{h}; yours is {cols}×{rows}\r\n"),
                1,
            );
        };
        let i = 2 * usize::from(*colour) + usize::from(scale == Scale::Half);
        self.qr_sized[i]
            .get_or_init(|| {
                let text = for_terminal(qr::print(code, scale, *colour), cmd, true);
                Reply::stdout(Bytes::from(text))
            })
            .clone()
    }

    fn plain(&self, width: usize, pty: bool, resume: &Resume) -> Reply {
        let found = lock(&self.widths)
            .iter()
            .find(|(w, p, _)| *w == width && *p == pty)
            .map(|(_, _, r)| r.clone());
        if let Some(r) = found {
            return r;
        }
        // Rendered outside the lock; two first requests at once may both render.
        let reply = render(&Command::Plain { width }, resume, pty);
        let mut widths = lock(&self.widths);
        if !widths.iter().any(|(w, p, _)| *w == width && *p == pty) {
            if widths.len() >= MAX_WIDTHS {
                widths.pop_front();
            }
            widths.push_back((width, pty, reply.clone()));
        }
        reply
    }

    /// How many `plain --width N` replies are kept (tests).
    pub fn widths_kept(&self) -> usize {
        lock(&self.widths).len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn resume() -> Resume {
        Resume::parse(include_str!("../../resume.toml"), Path::new("resume.toml")).unwrap()
    }

    #[test]
    fn a_reply_is_made_once_and_shared() {
        let r = resume();
        let replies = Replies::default();
        for cmd in [
            Command::Qr { colour: true },
            Command::Json,
            Command::Help,
            Command::Section(SectionId::Skills),
            Command::Plain { width: 60 },
        ] {
            for pty in [false, true] {
                let a = replies.get(&cmd, pty, &r);
                let b = replies.get(&cmd, pty, &r);
                assert_eq!(a.stdout.as_ptr(), b.stdout.as_ptr(), "{cmd:?} pty={pty}");
                let out = run(&cmd, &r);
                assert_eq!(a.stdout, for_terminal(out.stdout, &cmd, pty).as_bytes());
            }
        }
        // `plain` at the default width is the default command's reply.
        let default = replies.get(&Command::Default, false, &r);
        let plain = replies.get(&Command::Plain { width: 80 }, false, &r);
        assert_eq!(default.stdout.as_ptr(), plain.stdout.as_ptr());
    }

    #[test]
    fn with_a_pty_lines_end_in_cr_lf_except_the_vcard() {
        let r = resume();
        let replies = Replies::default();
        let json = replies.get(&Command::Json, true, &r);
        assert!(json.stdout.windows(2).any(|w| w == b"\r\n"));
        assert!(
            !json
                .stdout
                .windows(2)
                .any(|w| w[1] == b'\n' && w[0] != b'\r')
        );
        let vcard = replies.get(&Command::Vcard, true, &r);
        assert_eq!(vcard, replies.get(&Command::Vcard, false, &r));
    }

    #[test]
    fn an_unknown_command_is_its_name_then_the_shared_list() {
        let r = resume();
        let replies = Replies::default();
        for pty in [false, true] {
            let cmd = Command::Unknown("nope".into());
            let reply = replies.get(&cmd, pty, &r);
            assert_eq!(reply.exit, 2);
            assert!(reply.stdout.is_empty());
            let whole = [&reply.stderr[0][..], &reply.stderr[1][..]].concat();
            assert_eq!(
                whole,
                for_terminal(run(&cmd, &r).stderr, &cmd, pty).as_bytes()
            );
            let help = replies.get(&Command::Help, pty, &r);
            assert_eq!(reply.stderr[1].as_ptr(), help.stdout.as_ptr());
        }
    }

    #[test]
    fn qr_in_a_window_is_made_once_per_size_class() {
        let r = resume();
        let replies = Replies::default();
        let qr = Command::Qr { colour: true };
        let get = |cols, rows| replies.get_in(&qr, Some(Size::new(cols, rows)), &r);
        let (half, big) = (get(80, 24), get(200, 60));
        assert_eq!(half.stdout.as_ptr(), get(120, 40).stdout.as_ptr());
        assert_eq!(big.stdout.as_ptr(), get(90, 50).stdout.as_ptr());
        assert!(big.stdout.len() > half.stdout.len());
        let small = get(40, 20);
        assert_eq!((small.exit, small.stdout.is_empty()), (1, true));
    }

    #[test]
    fn widths_are_cached_but_bounded() {
        let r = resume();
        let replies = Replies::default();
        for width in plain::MIN_WIDTH..=plain::MAX_WIDTH {
            let reply = replies.get(&Command::Plain { width }, false, &r);
            assert_eq!(reply.stdout, plain::render(&r, width).as_bytes());
        }
        assert_eq!(replies.widths_kept(), MAX_WIDTHS);
        let last = Command::Plain {
            width: plain::MAX_WIDTH,
        };
        let a = replies.get(&last, false, &r);
        let b = replies.get(&last, false, &r);
        assert_eq!(a.stdout.as_ptr(), b.stdout.as_ptr());
    }

    #[test]
    fn pdf_on_a_pty_is_the_hint_without_the_document() {
        let site = Site::default();
        let reply = Reply::pdf(true, &site, || panic!("the PDF is not needed on a PTY"));
        assert_eq!(
            (reply.exit, &reply.stderr[0][..]),
            (2, pty_hint(&site).as_bytes())
        );
        assert!(pty_hint(&site).contains("ssh <this host> pdf > resume.pdf"));
        let missing = Reply::pdf(false, &site, || Err("no font".into()));
        assert_eq!(missing.exit, 1);
        assert_eq!(&missing.stderr[0][..], b"pdf: not available: no font\n");
    }
}
