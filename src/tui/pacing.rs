//! How often size changes are answered with a frame: at most one per interval; sizes that come
//! faster are recorded and go out with the next frame, and the terminal is asked (once) for a
//! status report, whose answer is input that draws the latest size.

use std::time::{Duration, Instant};

/// At most one frame per this interval is drawn for size changes.
pub const RESIZE_FRAME_INTERVAL: Duration = Duration::from_millis(20);

/// What to do after a size change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Redraw {
    /// Draw a frame now.
    Now,
    /// Too soon after the last one: ask the terminal for a status report (its answer is input,
    /// which draws the latest size).
    AskTerminal,
    /// Too soon, and the terminal was already asked: nothing to do.
    Later,
}

/// The pacing state of one session.
#[derive(Debug, Default, Clone, Copy)]
pub struct ResizePacer {
    /// When a frame was last allowed for a size change.
    last: Option<Instant>,
    /// Whether the terminal was asked for a status report since its last input.
    asked: bool,
}

impl ResizePacer {
    /// A size change arrived at `now`.
    pub fn resized(&mut self, now: Instant) -> Redraw {
        let due = self
            .last
            .is_none_or(|t| now.saturating_duration_since(t) >= RESIZE_FRAME_INTERVAL);
        if due {
            self.last = Some(now);
            Redraw::Now
        } else if !self.asked {
            self.asked = true;
            Redraw::AskTerminal
        } else {
            Redraw::Later
        }
    }

    /// The client sent input (perhaps the answer): a later deferral may ask again.
    pub fn input(&mut self) {
        self.asked = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_frame_per_interval_and_one_question_per_answer() {
        let t0 = Instant::now();
        let ms = |n| t0 + Duration::from_millis(n);
        let mut p = ResizePacer::default();
        assert_eq!(p.resized(t0), Redraw::Now);
        assert_eq!(p.resized(ms(1)), Redraw::AskTerminal);
        for n in 2..19 {
            assert_eq!(p.resized(ms(n)), Redraw::Later);
        }
        // The answer comes back: the next deferral asks again.
        p.input();
        assert_eq!(p.resized(ms(19)), Redraw::AskTerminal);
        assert_eq!(p.resized(ms(20)), Redraw::Now);
        assert_eq!(p.resized(ms(21)), Redraw::Later);
        // A clock that goes backwards never allows a burst.
        assert_eq!(p.resized(t0), Redraw::Later);
        assert_eq!(p.resized(ms(45)), Redraw::Now);
    }
}
