//! The legacy scp protocol (`scp -O`, PuTTY's `pscp -scp`): exec `scp -f NAME...` sends the
//! named resume files, paced by the client's acknowledgements; `scp -t` (an upload) is refused.
//!
//! Source mode, per file: wait for the client's `\0`, send `C0644 SIZE NAME\n`, wait for `\0`,
//! send the bytes and `\0`, wait for `\0`. An unknown name gets the protocol's error form
//! (`\x01scp: message\n`) and exit status 1. Sink mode: the error line at once, a fatal `\x02`
//! one for the client's first line (its `C` header), exit status 1 on the client's EOF. The
//! exchange is a small state machine ([`Scp`]) fed by the handler's `data` callback; the bytes
//! come from `files`, as SFTP's do.

use std::collections::VecDeque;

use bytes::Bytes;

/// What the state machine waits for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    /// The client's first `\0` (it is ready).
    Start,
    /// The `\0` after a `C` line: the bytes may follow.
    Header,
    /// The `\0` after a file's bytes: the next file may follow.
    Body,
    /// An upload, refused: the client's EOF (PuTTY's pscp takes an EOF before its own as a
    /// fatal error, so the refusal waits for it); whether its first line was answered.
    Refused { answered: bool },
}

/// One `scp -f` exchange.
pub struct Scp {
    /// The files still to send: their name and bytes, or the error line for a name.
    queue: VecDeque<Result<(String, Bytes), String>>,
    /// The bytes of the file whose `C` line was sent.
    current: Option<Bytes>,
    step: Step,
    failed: bool,
}

/// What the client's bytes led to.
#[derive(Debug, PartialEq, Eq)]
pub enum Next {
    /// Send these, then wait for the client.
    Send(Vec<Bytes>),
    /// Send these, then end with this exit status.
    End(Vec<Bytes>, u32),
}

pub(super) fn error_line(message: &str) -> Bytes {
    Bytes::from(format!("\x01scp: {message}\n"))
}

impl Scp {
    /// An exchange that sends `files` (each a name and its bytes, or why there are none).
    pub fn new(files: Vec<(String, Result<Bytes, String>)>) -> Scp {
        let queue = files
            .into_iter()
            .map(|(name, bytes)| match bytes {
                Ok(b) => Ok((name, b)),
                Err(e) => Err(format!("{name}: {e}")),
            })
            .collect();
        Scp {
            queue,
            current: None,
            step: Step::Start,
            failed: false,
        }
    }

    /// An upload, refused: the first line was sent (`start_scp`); the rest waits for the client.
    pub fn refusing() -> Scp {
        Scp {
            queue: VecDeque::new(),
            current: None,
            step: Step::Refused { answered: false },
            failed: true,
        }
    }

    /// Feeds the client's bytes: `\0` acknowledges; anything else is its error (or garbage),
    /// which ends the exchange.
    pub fn feed(&mut self, data: &[u8]) -> Next {
        if let Step::Refused { answered } = &mut self.step {
            if data.is_empty() || *answered {
                return Next::Send(Vec::new());
            }
            *answered = true;
            return Next::Send(vec![Bytes::from_static(
                b"\x02scp: read-only: nothing was written\n",
            )]);
        }
        let mut out = Vec::new();
        for &b in data {
            if b != 0 {
                return Next::End(out, 1);
            }
            match self.step {
                Step::Header => {
                    if let Some(body) = self.current.take() {
                        out.push(body);
                    }
                    out.push(Bytes::from_static(b"\0"));
                    self.step = Step::Body;
                }
                Step::Start | Step::Body | Step::Refused { .. } => {
                    if let Some(exit) = self.next_file(&mut out) {
                        return Next::End(out, exit);
                    }
                }
            }
        }
        Next::Send(out)
    }

    /// Sends the next file's `C` line (or error lines for missing ones); the exit status when
    /// there is nothing left.
    fn next_file(&mut self, out: &mut Vec<Bytes>) -> Option<u32> {
        loop {
            match self.queue.pop_front() {
                None => return Some(u32::from(self.failed)),
                Some(Err(message)) => {
                    self.failed = true;
                    out.push(error_line(&message));
                }
                Some(Ok((name, body))) => {
                    out.push(Bytes::from(format!("C0644 {} {name}\n", body.len())));
                    self.current = Some(body);
                    self.step = Step::Header;
                    return None;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sent(next: Next) -> Vec<u8> {
        match next {
            Next::Send(out) | Next::End(out, _) => out.concat(),
        }
    }

    #[test]
    fn sends_each_file_after_each_acknowledgement() {
        let mut scp = Scp::new(vec![
            ("a.txt".into(), Ok(Bytes::from_static(b"hello"))),
            ("x".into(), Err("no such file".into())),
            ("b.txt".into(), Ok(Bytes::from_static(b""))),
        ]);
        assert_eq!(sent(scp.feed(b"\0")), b"C0644 5 a.txt\n");
        assert_eq!(sent(scp.feed(b"\0")), b"hello\0");
        assert_eq!(
            sent(scp.feed(b"\0")),
            b"\x01scp: x: no such file\nC0644 0 b.txt\n"
        );
        assert_eq!(sent(scp.feed(b"\0")), b"\0");
        // The last acknowledgement ends it; an error along the way makes the status 1.
        assert_eq!(scp.feed(b"\0"), Next::End(vec![], 1));
    }

    #[test]
    fn a_client_error_ends_the_exchange() {
        let mut scp = Scp::new(vec![("a".into(), Ok(Bytes::from_static(b"x")))]);
        assert_eq!(scp.feed(b"\x02no space\n"), Next::End(vec![], 1));
        let mut scp = Scp::new(vec![("a".into(), Ok(Bytes::from_static(b"x")))]);
        assert_eq!(scp.feed(b""), Next::Send(vec![]));
        // Two acknowledgements in one packet are two steps.
        assert_eq!(sent(scp.feed(b"\0\0")), b"C0644 1 a\nx\0");
        assert_eq!(scp.feed(b"\0"), Next::End(vec![], 0));
    }

    #[test]
    fn an_upload_is_answered_once_then_waits_for_eof() {
        let mut scp = Scp::refusing();
        assert_eq!(
            sent(scp.feed(b"C0644 3 up.txt\n")),
            b"\x02scp: read-only: nothing was written\n"
        );
        assert_eq!(scp.feed(b"abc\0"), Next::Send(vec![]));
    }
}
