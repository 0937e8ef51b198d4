//! Where things go on the screen: the areas, the tab row, hit-testing and scroll bounds.
//!
//! Used alike by the app state (scroll limits, clicks) and by the view (where to draw), so both
//! agree by construction. Pure: a function of (size, resume, character set).

use ratatui::layout::Rect;
use std::rc::Rc;
use std::sync::Arc;

use unicode_width::UnicodeWidthStr;

use super::wrapped;
use crate::content::{self, SectionId};
use crate::resume::Resume;
use crate::terminal::Size;

/// Below this the UI asks for a bigger terminal.
pub const MIN_COLS: u16 = 40;
pub const MIN_ROWS: u16 = 12;

/// Where everything goes on a screen of a given size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    pub header: Rect,
    pub tabs: Rect,
    pub body: Rect,
    pub footer: Rect,
}

pub fn too_small(size: Size) -> bool {
    size.cols < MIN_COLS || size.rows < MIN_ROWS
}

/// Lines of tagline shown under the name at this size; if some are left out, the last line
/// shown ends with `ellipsis`.
pub fn tagline_lines(size: Size, resume: &Resume, ellipsis: &str) -> Vec<String> {
    if size.rows < 16 {
        return Vec::new();
    }
    let cap = if size.rows >= 40 { 3 } else { 2 };
    let width = usize::from(size.cols.saturating_sub(2)).max(10);
    let mut lines: Vec<String> = content::wrap_text(resume.basics.tagline.as_str(), width);
    if lines.len() > cap {
        lines.truncate(cap);
        if let Some(last) = lines.last_mut() {
            // End on a whole word with an ellipsis; text without spaces (CJK) at a character.
            let room = width.saturating_sub(ellipsis.width());
            while last.width() > room {
                match last.rfind(' ') {
                    Some(i) => last.truncate(i),
                    None => {
                        *last = content::ellipsize(last, room, "");
                        break;
                    }
                }
            }
            last.push_str(ellipsis);
        }
    }
    lines
}

pub fn areas(size: Size, resume: &Resume) -> Areas {
    // How many lines, not which: the ellipsis does not change the count.
    let header_h = 1 + tagline_lines(size, resume, "…").len() as u16;
    let w = size.cols;
    let footer_h = 1;
    let tabs_y = header_h;
    let body_y = tabs_y + 1;
    let body_h = size.rows.saturating_sub(body_y + footer_h);
    Areas {
        header: Rect::new(0, 0, w, header_h),
        tabs: Rect::new(0, tabs_y, w, 1),
        body: Rect::new(0, body_y, w, body_h),
        footer: Rect::new(0, size.rows.saturating_sub(footer_h), w, footer_h),
    }
}

/// Text rows inside the body box.
pub fn body_height(size: Size, resume: &Resume) -> u16 {
    if too_small(size) {
        return 0;
    }
    areas(size, resume).body.height.saturating_sub(2)
}

/// The longest comfortable line of body text; wider screens centre the text column.
const MAX_MEASURE: u16 = 100;

/// Width of the wrapped body text (inside borders, one column of padding each side, scrollbar),
/// at most [`MAX_MEASURE`].
pub fn text_width(size: Size) -> usize {
    usize::from(size.cols.saturating_sub(4).min(MAX_MEASURE)).max(10)
}

/// A tab's body text wrapped for this size (shared through the per-thread cache).
pub fn body_lines(
    size: Size,
    resume: &Arc<Resume>,
    unicode: bool,
    tab: SectionId,
) -> Rc<Vec<content::Line>> {
    wrapped::lines(text_width(size), resume, unicode, tab)
}

/// The numbers input handling needs, for one size, resume and character set: computed once
/// when one of them changes, so a flood of scroll keys costs no re-wrapping.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Geometry {
    pub body_height: u16,
    pub max_scroll: [u16; SectionId::ALL.len()],
}

/// Computes [`Geometry`] (the line count of every section), or takes it from the per-thread
/// caches of [`super::layout_cache`].
pub fn geometry(size: Size, resume: &Arc<Resume>, unicode: bool) -> Geometry {
    let (body_height, max_scroll) = super::layout_cache::geometry(size, resume, unicode, || {
        let body_height = body_height(size, resume);
        let mut max_scroll = [0; SectionId::ALL.len()];
        if !too_small(size) {
            let width = text_width(size);
            for id in SectionId::ALL {
                let total = super::layout_cache::line_count(width, resume, unicode, id, || {
                    body_lines(size, resume, unicode, id).len()
                });
                max_scroll[id.index()] =
                    u16::try_from(total.saturating_sub(usize::from(body_height)))
                        .unwrap_or(u16::MAX);
            }
        }
        (body_height, max_scroll)
    });
    Geometry {
        body_height,
        max_scroll,
    }
}

/// The largest useful scroll offset of a tab at this size.
pub fn max_scroll(size: Size, resume: &Arc<Resume>, unicode: bool, tab: SectionId) -> u16 {
    if too_small(size) {
        return 0;
    }
    let total = body_lines(size, resume, unicode, tab).len();
    let h = usize::from(body_height(size, resume));
    u16::try_from(total.saturating_sub(h)).unwrap_or(u16::MAX)
}

/// One tab's place on the tab row.
pub struct TabSlot {
    pub id: SectionId,
    pub x: u16,
    pub label: String,
}

/// Lays out the tab row: numbered labels if they fit, plain ones if not, else a window around
/// the selected tab with arrows showing that there is more.
pub fn tab_slots(cols: u16, selected: SectionId, unicode: bool) -> (Vec<TabSlot>, bool, bool) {
    let numbered: Vec<String> = SectionId::ALL
        .iter()
        .enumerate()
        .map(|(i, id)| format!(" {} {} ", i + 1, id.title()))
        .collect();
    let plain: Vec<String> = SectionId::ALL
        .iter()
        .map(|id| format!(" {} ", id.title()))
        .collect();
    let total = |labels: &[String]| -> usize {
        labels.iter().map(|l| l.width()).sum::<usize>() + labels.len().saturating_sub(1)
    };
    let cols_us = usize::from(cols);
    let place = |labels: &[String], range: std::ops::Range<usize>, start: u16| {
        let mut x = start;
        let mut out = Vec::new();
        for i in range {
            out.push(TabSlot {
                id: SectionId::from_index(i),
                x,
                label: labels[i].clone(),
            });
            x = x.saturating_add(labels[i].width() as u16 + 1);
        }
        out
    };
    let n = SectionId::ALL.len();
    if total(&numbered) <= cols_us {
        return (place(&numbered, 0..n, 0), false, false);
    }
    if total(&plain) <= cols_us {
        return (place(&plain, 0..n, 0), false, false);
    }
    // A window: room for "‹ " and " ›".
    let _ = unicode;
    let room = cols_us.saturating_sub(4);
    let sel = selected.index();
    let (mut lo, mut hi) = (sel, sel + 1);
    let width = |lo: usize, hi: usize| total(&plain[lo..hi]);
    loop {
        let mut grew = false;
        if hi < n && width(lo, hi + 1) <= room {
            hi += 1;
            grew = true;
        }
        if lo > 0 && width(lo - 1, hi) <= room {
            lo -= 1;
            grew = true;
        }
        if !grew {
            break;
        }
    }
    (place(&plain, lo..hi, 2), lo > 0, hi < n)
}

/// Which tab a click at (x, y) hits, if any.
pub fn tab_at(
    size: Size,
    resume: &Resume,
    selected: SectionId,
    x: u16,
    y: u16,
) -> Option<SectionId> {
    if too_small(size) || y != areas(size, resume).tabs.y {
        return None;
    }
    let (slots, _, _) = tab_slots(size.cols, selected, true);
    slots
        .into_iter()
        .find(|s| x >= s.x && x < s.x + s.label.width() as u16)
        .map(|s| s.id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn resume() -> Arc<Resume> {
        Arc::new(
            Resume::parse(include_str!("../../resume.toml"), Path::new("resume.toml")).unwrap(),
        )
    }

    #[test]
    fn tabs_and_clicks_agree() {
        let r = resume();
        for cols in [40, 55, 67, 68, 80, 200] {
            let size = Size::new(cols, 30);
            for sel in SectionId::ALL {
                let (slots, _, _) = tab_slots(cols, sel, true);
                assert!(slots.iter().any(|s| s.id == sel), "{cols} {sel:?}");
                let y = areas(size, &r).tabs.y;
                for s in &slots {
                    assert_eq!(tab_at(size, &r, sel, s.x + 1, y), Some(s.id));
                    assert!(s.x + s.label.width() as u16 <= cols);
                }
                assert_eq!(tab_at(size, &r, sel, 1, y + 1), None);
            }
        }
    }
}
