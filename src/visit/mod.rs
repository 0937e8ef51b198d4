//! One visit to the full-screen resume, free of any transport: bytes in, bytes out, a size and
//! an end. A transport (the SSH channel in `session/`) feeds it the client's bytes and sizes,
//! asks [`Visit::next`] what to do and when, and writes what [`Visit::draw`] produces.
//!
//! Every frame is paced and paid for here, whatever caused it (keys, mouse, resizes, a reload):
//! at most one frame per [`FRAME_INTERVAL`], new sizes once they settle (a window being dragged
//! is redrawn a few times a second), and each frame's drawing time is paid from the
//! connection's and the address's [`budget`]s (frames that draw a new size from one more). What arrives in between only changes the state;
//! the latest state is always drawn, once the pace and the budgets allow.

pub mod budget;

use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::content::SectionId;
use crate::resume::Resume;
use crate::terminal::{self, Size};
use crate::tui::Tui;
use crate::tui::theme::Capabilities;
use budget::{Address, Bucket, CONN_RATE};

/// At most one frame per this interval (about 60 a second).
pub const FRAME_INTERVAL: Duration = Duration::from_millis(16);

/// A new size is drawn once sizes have stopped changing for this long (the end of a drag)...
pub const RESIZE_QUIET: Duration = Duration::from_millis(40);
/// ...or, while they keep changing, this long after the first one not drawn yet: a window being
/// dragged is redrawn a few times a second, and a flood of sizes costs a few frames a second.
pub const RESIZE_MAX_WAIT: Duration = Duration::from_millis(200);

/// What a frame's bytes cost beyond drawing: encryption and the write, about 4 ns a byte.
const NS_PER_BYTE_SENT: u64 = 4;

/// What the transport should do next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    /// Call [`Visit::draw`] and send what it wrote.
    Draw,
    /// Something is to be drawn, but not before this instant (pace or budget).
    At(Instant),
    /// Nothing to draw until the next event.
    Idle,
    /// The visitor left (quit, or the input ended): send [`Visit::finish`]'s bytes and end.
    End,
}

/// One visitor's UI with its pacing and budgets.
pub struct Visit {
    tui: Tui,
    /// When the last frame was drawn.
    last_frame: Option<Instant>,
    /// The resume the last frame was drawn from (a reload under it is laid out first).
    drawn: Option<Arc<Resume>>,
    own: Bucket,
    address: Arc<Address>,
    /// The client's input ended (EOF): the visit ends.
    input_ended: bool,
    /// A lone ESC waits to be resolved, and the terminal was asked for a status report.
    asked: bool,
    /// Sizes not drawn yet: when the first and the latest of them came.
    resizing: Option<(Instant, Instant)>,
}

impl Visit {
    /// A visit opening on `tab` at `size`, paying for its frames from `address` as well as from
    /// its own budget.
    pub fn new(tab: SectionId, size: Size, caps: Capabilities, address: Arc<Address>) -> Visit {
        Visit {
            tui: Tui::new(tab, size, caps),
            last_frame: None,
            drawn: None,
            own: Bucket::new(CONN_RATE),
            address,
            input_ended: false,
            asked: false,
            resizing: None,
        }
    }

    pub fn tui(&self) -> &Tui {
        &self.tui
    }

    /// Bytes from the client: keys, mouse reports, pastes, answers to queries.
    pub fn input(&mut self, bytes: &[u8], resume: &Arc<Resume>) {
        self.asked = false;
        self.tui.input(bytes, resume);
    }

    /// The client's window changed size at `now`: recorded, laid out with the next frame, which
    /// waits for the sizes to settle (see [`RESIZE_QUIET`]).
    pub fn resize(&mut self, size: Size, now: Instant) {
        self.tui.resize(size);
        let first = self.resizing.map_or(now, |(first, _)| first);
        self.resizing = Some((first, now));
    }

    /// The client will send nothing more: pending input is resolved and the visit ends.
    pub fn end_input(&mut self, resume: &Arc<Resume>) {
        self.tui.flush_input(resume);
        self.input_ended = true;
    }

    /// Whether the visit is over (the visitor quit, or the input ended).
    pub fn ends(&self) -> bool {
        self.input_ended || self.tui.wants_quit()
    }

    /// What to do at `now` with the current `resume`.
    pub fn next(&self, resume: &Arc<Resume>, now: Instant) -> Next {
        if self.ends() {
            return Next::End;
        }
        let ask = self.tui.input_pending() && !self.asked;
        if !ask && !self.tui.dirty(resume) {
            return Next::Idle;
        }
        let mut paced = self.last_frame.map_or(now, |t| t + FRAME_INTERVAL);
        if let Some((first, latest)) = self.resizing {
            paced = paced
                .max((latest + RESIZE_QUIET).min(first + RESIZE_MAX_WAIT))
                .max(self.address.resizes.ready_at(now));
        }
        let due = paced
            .max(self.own.ready_at(now))
            .max(self.address.frames.ready_at(now));
        if due <= now {
            Next::Draw
        } else {
            Next::At(due)
        }
    }

    /// Appends the bytes that bring the client's screen up to date, and pays for them.
    pub fn draw(&mut self, resume: &Arc<Resume>, now: Instant, out: &mut Vec<u8>) {
        let start = out.len();
        if self.drawn.as_ref().is_some_and(|d| !Arc::ptr_eq(d, resume)) {
            self.tui.reload(resume);
        }
        self.tui.frame(resume, out);
        self.drawn = Some(Arc::clone(resume));
        let resized = self.resizing.take().is_some();
        // A lone ESC: the terminal's answer to a status report tells Esc from a sequence.
        if self.tui.input_pending() && !self.asked {
            self.asked = true;
            out.extend_from_slice(terminal::STATUS_QUERY);
        }
        let sent = (out.len() - start) as u64;
        let cost = now.elapsed() + Duration::from_nanos(sent * NS_PER_BYTE_SENT);
        self.own.spend(cost, now);
        self.address.frames.spend(cost, now);
        if resized {
            self.address.resizes.spend(cost, now);
        }
        self.last_frame = Some(now);
    }

    /// The bytes that restore the client's terminal as the visit ends.
    pub fn finish(&mut self, out: &mut Vec<u8>) {
        self.tui.leave(out);
    }
}

#[cfg(test)]
mod tests;
