//! The visitor's terminal: a `vt100` screen fed by a background reader of a TUI channel, with
//! bounded waits for what should appear on it, and the screen `resume-ssh render` expects.

use std::num::NonZeroU16;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use resume_ssh::resume::Resume;
use russh::{ChannelMsg, ChannelWriteHalf, client};
use tokio::task::JoinHandle;
use tokio::time::{Instant, timeout};

use super::WAIT;
use super::bytes::contains;
use super::client::{Event, push_event};
use super::fixtures::NAME;

/// What the background reader has seen on a TUI channel.
pub struct TermState {
    pub parser: vt100::Parser,
    /// Every data byte received, in order.
    pub raw: Vec<u8>,
    pub stderr: Vec<u8>,
    pub exit: Option<u32>,
    pub events: Vec<Event>,
    pub closed: bool,
    pub last_data: Instant,
    /// Whether data goes through the emulator (off: only counted and kept, which is faster).
    pub parsing: bool,
}

fn nz(v: u32) -> NonZeroU16 {
    NonZeroU16::new(u16::try_from(v.clamp(1, 500)).unwrap()).unwrap()
}

/// A TUI session: the channel's write half, and a background task feeding what the server sends
/// into a vt100 screen.
pub struct Term {
    pub write: ChannelWriteHalf<client::Msg>,
    pub state: Arc<Mutex<TermState>>,
    reader: JoinHandle<()>,
}

impl Drop for Term {
    fn drop(&mut self) {
        self.reader.abort();
    }
}

impl Term {
    pub fn new(channel: russh::Channel<client::Msg>, cols: u32, rows: u32) -> Term {
        let (mut read, write) = channel.split();
        let state = Arc::new(Mutex::new(TermState {
            parser: vt100::Parser::new(nz(rows), nz(cols), 0),
            raw: Vec::new(),
            stderr: Vec::new(),
            exit: None,
            events: Vec::new(),
            closed: false,
            last_data: Instant::now(),
            parsing: true,
        }));
        let st = Arc::clone(&state);
        let reader = tokio::spawn(async move {
            while let Some(msg) = read.wait().await {
                let mut s = st.lock().unwrap();
                match msg {
                    ChannelMsg::Data { data } => {
                        if s.parsing {
                            s.parser.process(&data);
                        }
                        s.raw.extend_from_slice(&data);
                        s.last_data = Instant::now();
                        push_event(&mut s.events, Event::Data);
                    }
                    ChannelMsg::ExtendedData { data, .. } => {
                        s.stderr.extend_from_slice(&data);
                        push_event(&mut s.events, Event::Stderr);
                    }
                    ChannelMsg::ExitStatus { exit_status } => {
                        s.exit = Some(exit_status);
                        push_event(&mut s.events, Event::Exit(exit_status));
                    }
                    ChannelMsg::Eof => push_event(&mut s.events, Event::Eof),
                    ChannelMsg::Close => {
                        s.closed = true;
                        push_event(&mut s.events, Event::Close);
                    }
                    _ => {}
                }
            }
            st.lock().unwrap().closed = true;
        });
        Term {
            write,
            state,
            reader,
        }
    }

    /// The screen as text (rows joined by newlines, trailing blanks trimmed).
    pub fn contents(&self) -> String {
        self.state.lock().unwrap().parser.screen().contents()
    }

    /// The screen's rows.
    pub fn rows(&self) -> Vec<String> {
        let s = self.state.lock().unwrap();
        let (_, cols) = s.parser.screen().size();
        s.parser.screen().rows(0, cols.get()).collect()
    }

    pub fn raw_len(&self) -> usize {
        self.state.lock().unwrap().raw.len()
    }

    /// A copy of the bytes received from `from` on.
    pub fn raw_since(&self, from: usize) -> Vec<u8> {
        self.state.lock().unwrap().raw[from..].to_vec()
    }

    pub fn exit(&self) -> Option<u32> {
        self.state.lock().unwrap().exit
    }

    pub fn events(&self) -> Vec<Event> {
        self.state.lock().unwrap().events.clone()
    }

    pub fn alternate_screen(&self) -> bool {
        self.state
            .lock()
            .unwrap()
            .parser
            .screen()
            .alternate_screen()
    }

    pub fn cursor_hidden(&self) -> bool {
        self.state.lock().unwrap().parser.screen().hide_cursor()
    }

    /// The scroll position shown in the body's bottom border ("1–23 of 36"), if any.
    pub fn position(&self) -> Option<String> {
        position_in(&self.rows())
    }

    pub async fn send(&self, bytes: &[u8]) {
        self.send_within(bytes, WAIT).await;
    }

    /// Sends input, waiting at most `limit` for the server to take it (its window to open).
    pub async fn send_within(&self, bytes: &[u8], limit: Duration) {
        timeout(limit, self.write.data_bytes(bytes.to_vec()))
            .await
            .unwrap_or_else(|_| panic!("the server took no input for {limit:?}"))
            .expect("sending input");
    }

    /// Turns the emulator off (bytes are only counted) or back on. While it is off the screen
    /// goes stale: after turning it on, force a full redraw (a size change).
    pub fn set_parsing(&self, on: bool) {
        self.state.lock().unwrap().parsing = on;
    }

    /// Changes the emulator's size only (when the server picks a size other than the one asked).
    pub fn set_screen(&self, cols: u32, rows: u32) {
        self.state
            .lock()
            .unwrap()
            .parser
            .set_size(nz(rows), nz(cols));
    }

    /// Tells the server and the emulator about a new size.
    pub async fn resize(&self, cols: u32, rows: u32) {
        self.state
            .lock()
            .unwrap()
            .parser
            .set_size(nz(rows), nz(cols));
        timeout(WAIT, self.write.window_change(cols, rows, 0, 0))
            .await
            .expect("window-change timed out")
            .expect("window-change");
    }

    /// Waits until `pred` holds on the state; panics with the screen after `limit`.
    pub async fn wait_for(
        &self,
        what: &str,
        limit: Duration,
        pred: impl Fn(&TermState) -> bool,
    ) -> Duration {
        let started = Instant::now();
        let deadline = started + limit;
        loop {
            {
                let s = self.state.lock().unwrap();
                if pred(&s) {
                    return started.elapsed();
                }
                if Instant::now() >= deadline {
                    panic!(
                        "timed out after {limit:?} waiting for {what}\n--- screen ---\n{}\n--- events: {:?}, exit: {:?}, {} bytes",
                        s.parser.screen().contents(),
                        s.events,
                        s.exit,
                        s.raw.len()
                    );
                }
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }

    /// Waits until the screen contains `text`.
    pub async fn wait_text(&self, text: &str) -> Duration {
        self.wait_for(&format!("{text:?} on screen"), WAIT, |s| {
            s.parser.screen().contents().contains(text)
        })
        .await
    }

    /// Waits until the screen no longer contains `text`.
    pub async fn wait_gone(&self, text: &str) {
        self.wait_for(&format!("{text:?} to disappear"), WAIT, |s| {
            !s.parser.screen().contents().contains(text)
        })
        .await;
    }

    /// Waits until the server sent `needle` at or after byte `from`.
    pub async fn wait_bytes(&self, from: usize, needle: &[u8]) {
        self.wait_for(&format!("bytes {needle:?}"), WAIT, |s| {
            contains(&s.raw[from.min(s.raw.len())..], needle)
        })
        .await;
    }

    /// Reads until nothing has arrived for `quiet` (at most `WAIT`); returns the bytes received.
    pub async fn settle(&self, quiet: Duration) -> usize {
        let start_len = self.raw_len();
        let deadline = Instant::now() + WAIT;
        loop {
            let last = self.state.lock().unwrap().last_data;
            let now = Instant::now();
            if now.duration_since(last) >= quiet || now >= deadline {
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        self.raw_len() - start_len
    }

    /// Bytes received during the next `d`.
    pub async fn bytes_during(&self, d: Duration) -> usize {
        let before = self.raw_len();
        tokio::time::sleep(d).await;
        self.raw_len() - before
    }

    /// Presses Esc as a terminal would: a lone ESC; when the server asks for a status report,
    /// answers it (the answer tells the server nothing else follows the ESC).
    pub async fn press_esc(&self) {
        let from = self.raw_len();
        self.send(b"\x1b").await;
        self.wait_bytes(from, b"\x1b[5n").await;
        self.send(b"\x1b[0n").await;
    }

    /// Waits for the channel to close; returns the exit status.
    pub async fn wait_closed(&self) -> Option<u32> {
        self.wait_for("the channel to close", WAIT, |s| s.closed)
            .await;
        self.exit()
    }

    /// The first frame: waits for the name, then for output to stop.
    pub async fn first_frame(&self) -> usize {
        self.wait_text(NAME).await;
        self.settle(Duration::from_millis(150)).await;
        self.raw_len()
    }
}

/// The screen the server should show for `tab` at a size (at the top, no overlay), as rows
/// with trailing blanks trimmed: what `resume-ssh render` prints.
pub fn expected_screen(
    resume: &Resume,
    tab: resume_ssh::content::SectionId,
    cols: u16,
    rows: u16,
    term: &str,
) -> Vec<String> {
    let opts = resume_ssh::render::Options {
        size: resume_ssh::terminal::Size::new(cols, rows),
        tab,
        term: term.to_owned(),
        help: false,
    };
    String::from_utf8(resume_ssh::render::text(resume, &opts))
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

impl Term {
    /// Waits until the emulator's screen is exactly `want` (rows, trailing blanks ignored).
    pub async fn wait_screen(&self, what: &str, want: &[String]) {
        let want: Vec<String> = want.iter().map(|r| r.trim_end().to_owned()).collect();
        let matches = |s: &TermState| {
            let (_, cols) = s.parser.screen().size();
            let rows: Vec<String> = s
                .parser
                .screen()
                .rows(0, cols.get())
                .map(|r| r.trim_end().to_owned())
                .collect();
            rows == want
        };
        let deadline = Instant::now() + WAIT;
        loop {
            if matches(&self.state.lock().unwrap()) {
                return;
            }
            if Instant::now() >= deadline {
                let got = self.rows();
                let diff: Vec<String> = got
                    .iter()
                    .map(|r| r.trim_end())
                    .zip(want.iter())
                    .enumerate()
                    .filter(|(_, (g, w))| g != w)
                    .map(|(i, (g, w))| format!("row {i}:\n  got  {g:?}\n  want {w:?}"))
                    .collect();
                panic!(
                    "screen is not {what} ({} rows vs {} wanted):\n{}",
                    got.len(),
                    want.len(),
                    diff.join("\n")
                );
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }
}

/// Extracts "N–M of T" (or "All") from the body's bottom border.
pub fn position_in(rows: &[String]) -> Option<String> {
    let row = rows
        .iter()
        .rev()
        .find(|r| r.starts_with('╰') || (r.starts_with('+') && r.trim_end().ends_with('+')))?;
    let inner = row
        .trim_start_matches(['╰', '+'])
        .trim_end()
        .trim_end_matches(['╯', '+'])
        .trim_matches(['─', '-'])
        .trim();
    if inner.is_empty() {
        None
    } else {
        Some(inner.to_owned())
    }
}
