//! The WebSocket adapter of a [`Visit`] (the SSH one is `session/live.rs`): one task per socket
//! selects on the browser's messages and the visit's next deadline, and sends each frame as one
//! binary message.
//!
//! From the browser, binary messages tagged by their first byte: [`INPUT`] then the bytes xterm.js
//! produced (keys, mouse, pastes, answers to queries), [`RESIZE`] then ASCII `cols,rows`. Text
//! messages are taken as input.
//!
//! Writes are bounded: each frame's send is awaited before anything else is drawn, so a browser
//! that stops reading holds at most one frame; meanwhile nothing is read, and the visit draws
//! the latest state once the send completes. A send stuck past the idle or session deadline
//! ends the socket. Input is bounded per second ([`Bounds::input_bytes_per_sec`]):
//! past it the socket is not read until the allowance catches up.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::ws::{CloseFrame, Message, WebSocket};
use futures_util::FutureExt;

use crate::conn::EndReason;
use crate::shared::Shared;
use crate::terminal::Size;
use crate::visit::{Next, Visit};

/// A message of the visitor's bytes.
pub const INPUT: u8 = 0;
/// A message of a new size, `cols,rows`.
pub const RESIZE: u8 = 1;

/// While nothing is due, the task still looks at the resume (a reload is drawn) and at the
/// server's shutdown this often.
const RELOAD_POLL: Duration = Duration::from_secs(1);

/// What bounds one socket.
#[derive(Debug, Clone, Copy)]
pub struct Bounds {
    pub input_bytes_per_sec: u32,
    /// Without input from the browser, the session ends.
    pub idle_timeout: Duration,
    /// The longest a session lasts.
    pub max_session: Duration,
}

/// Runs the visit on `sock` until it ends, the browser goes, or a limit ends it.
pub async fn run(sock: WebSocket, visit: Visit, shared: Arc<Shared>, limits: Bounds) {
    // A panic while drawing ends this socket, never the server.
    let go = std::panic::AssertUnwindSafe(drive(sock, visit, &shared, &limits));
    if go.catch_unwind().await.is_err() {
        tracing::error!("a web terminal's task panicked; its socket is closed");
    }
}

/// Why the loop stopped.
enum Stop {
    /// The visitor quit: the terminal is restored and the socket closed normally.
    Quit,
    /// A limit ended it: say why.
    Ended(EndReason),
    /// The browser went (closed, or an error such as a message over the size cap).
    Gone,
}

async fn drive(mut sock: WebSocket, mut visit: Visit, shared: &Shared, limits: &Bounds) {
    let start = Instant::now();
    let end_at = start + limits.max_session;
    let mut last_input = start;
    let rate = f64::from(limits.input_bytes_per_sec.max(1));
    // When the input allowance is back to full; reading waits while it is over a second ahead.
    let mut allowance_at = start;
    let mut out = Vec::new();
    let stop = loop {
        let now = Instant::now();
        let idle_at = last_input + limits.idle_timeout;
        if now >= end_at {
            break Stop::Ended(EndReason::MaxDuration);
        }
        if now >= idle_at {
            break Stop::Ended(EndReason::Idle);
        }
        // Best effort: the server's shutdown waits for SSH sessions only, so a socket that
        // looks (at least once a second) may still be told before the process ends.
        if shared.is_shutting_down() {
            break Stop::Ended(EndReason::Shutdown);
        }
        let resume = shared.resume();
        let wake = match visit.next(&resume, now) {
            Next::End => break Stop::Quit,
            Next::Draw => {
                visit.draw(&resume, now, &mut out);
                drop(resume);
                let frame = Message::Binary(std::mem::take(&mut out).into());
                let limit = end_at.min(idle_at);
                match tokio::time::timeout_at(limit.into(), sock.send(frame)).await {
                    Ok(Ok(())) => continue,
                    Ok(Err(_)) => break Stop::Gone,
                    Err(_) => break Stop::Ended(EndReason::Idle),
                }
            }
            Next::At(t) => t,
            Next::Idle => now + RELOAD_POLL,
        };
        drop(resume);
        let deadline = wake.min(end_at).min(idle_at);
        let read_at = allowance_at
            .checked_sub(Duration::from_secs(1))
            .unwrap_or(allowance_at);
        let may_read = read_at <= now;
        tokio::select! {
            msg = sock.recv(), if may_read => {
                let Some(Ok(msg)) = msg else {
                    break Stop::Gone;
                };
                let now = Instant::now();
                let n = match &msg {
                    Message::Binary(b) => b.len(),
                    Message::Text(t) => t.len(),
                    _ => 0,
                };
                if n > 0 {
                    let cost = Duration::from_secs_f64(n as f64 / rate);
                    allowance_at = allowance_at.max(now) + cost;
                }
                match msg {
                    Message::Binary(b) => match b.split_first() {
                        Some((&INPUT, bytes)) => {
                            last_input = now;
                            visit.input(bytes, &shared.resume());
                        }
                        Some((&RESIZE, size)) => {
                            if let Some(size) = parse_size(size) {
                                visit.resize(size, now);
                            }
                        }
                        _ => {}
                    },
                    Message::Text(t) => {
                        last_input = now;
                        visit.input(t.as_bytes(), &shared.resume());
                    }
                    Message::Close(_) => break Stop::Gone,
                    // Pings are answered by the WebSocket layer.
                    Message::Ping(_) | Message::Pong(_) => {}
                }
            }
            () = tokio::time::sleep_until(deadline.into()) => {}
            () = tokio::time::sleep_until(read_at.into()), if !may_read => {}
        }
    };
    let reason = match stop {
        Stop::Gone => return,
        Stop::Quit => {
            visit.finish(&mut out);
            "The session ended."
        }
        Stop::Ended(why) => {
            visit.finish(&mut out);
            out.extend_from_slice(format!("\r\n{}\r\n", why.message()).as_bytes());
            why.message()
        }
    };
    drop(visit);
    let close = Message::Close(Some(CloseFrame {
        code: 1000,
        reason: reason.into(),
    }));
    let bye = async {
        sock.send(Message::Binary(out.into())).await?;
        sock.send(close).await
    };
    // The goodbye gets a moment, not a stuck socket's lifetime.
    let _ = tokio::time::timeout(Duration::from_secs(2), bye).await;
}

/// `cols,rows` in ASCII, clamped like an SSH client's size; anything else is ignored.
fn parse_size(bytes: &[u8]) -> Option<Size> {
    let text = std::str::from_utf8(bytes).ok()?;
    let (c, r) = text.trim().split_once(',')?;
    let cols: u32 = c.trim().parse().ok()?;
    let rows: u32 = r.trim().parse().ok()?;
    Some(Size::clamped(cols, rows))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_parsed_and_clamped() {
        assert_eq!(parse_size(b"80,24"), Some(Size::new(80, 24)));
        assert_eq!(parse_size(b" 120 , 40 "), Some(Size::new(120, 40)));
        assert_eq!(
            parse_size(b"99999,99999"),
            Some(Size::clamped(99999, 99999))
        );
        assert_eq!(parse_size(b"80x24"), None);
        assert_eq!(parse_size(b"-1,24"), None);
        assert_eq!(parse_size(&[0xff, b',', b'1']), None);
    }
}
