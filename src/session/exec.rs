//! Exec dispatch: what a non-TUI command prints, on stdout and stderr, and its exit status.
//! One `match` over [`Command`]; a new command is one new arm.

use crate::commands::{self, Command};
use crate::export::{json, markdown, plain, vcard};
use crate::resume::Resume;

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
        Command::Qr { colour } => ok(crate::qr::print(resume, *colour)),
        // Binary and cached per resume version: sent by the session itself (session/pdf_exec.rs).
        Command::Pdf(_) => Output {
            stdout: String::new(),
            stderr: "pdf: served by the session, not here\n".to_owned(),
            exit: 1,
        },
        Command::Help => ok(commands::help_text()),
        Command::Unknown(what) => Output {
            stdout: String::new(),
            stderr: format!("unknown command '{what}'\n\n{}", commands::help_text()),
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
