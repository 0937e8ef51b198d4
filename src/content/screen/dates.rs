//! A role's dates as the visitor reads them, and the width of a column of them (the timeline's
//! and the overview's career list).

use unicode_width::UnicodeWidthStr;

use super::Frame;
use crate::resume::{Resume, Work};

/// The dates of a role as the visitor reads them ("Oct 2023 – Present").
pub fn dates(w: &Work, f: &Frame) -> String {
    w.dates()
        .replacen(" - ", &format!(" {} ", f.glyphs().dash), 1)
}

/// The widest role's dates or duration: the width of the date column of the timeline and the
/// overview's career list.
pub fn date_width(r: &Resume, f: &Frame) -> usize {
    r.work
        .iter()
        .map(|w| {
            dates(w, f)
                .width()
                .max(w.duration.as_deref().map_or(0, str::width))
        })
        .max()
        .unwrap_or(0)
}
