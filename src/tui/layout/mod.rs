//! Where things go on the screen: the width class, the areas, the column each section is
//! composed for, hit-testing and scroll bounds.
//!
//! Used alike by the app state (scroll limits, clicks) and by the view (where to draw), so both
//! agree by construction. Pure: a function of (size, resume, character set).
//!
//! Three width classes, chosen per frame: narrow (under 60 columns: a two-line header, tabs as
//! "‹ 2/6 Experience ›", no side borders under 50), standard (one column), wide (from 120: a
//! rail with the name, contact and focus lists beside the section).

pub mod help;
mod tabs;

use ratatui::layout::Rect;
use std::rc::Rc;
use std::sync::Arc;

use unicode_width::UnicodeWidthStr;

pub use tabs::{TabSlot, tab_slots};

use super::wrapped;
use crate::content::screen::{Frame, Row};
use crate::content::{self, SectionId};
use crate::resume::Resume;
use crate::terminal::Size;

/// Below this the UI asks for a bigger terminal.
pub const MIN_COLS: u16 = 40;
pub const MIN_ROWS: u16 = 12;

/// From this width the screen is standard, from [`WIDE_COLS`] wide; narrower is narrow.
pub const STANDARD_COLS: u16 = 60;
pub const WIDE_COLS: u16 = 120;
/// Below this width the body drops its side borders.
pub const SIDE_BORDER_COLS: u16 = 50;
/// The longest comfortable line of running text on a wide screen.
const MAX_MEASURE: usize = 96;

/// The width class of a screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    Narrow,
    Standard,
    Wide,
}

pub fn class(size: Size) -> Class {
    match size.cols {
        c if c < STANDARD_COLS => Class::Narrow,
        c if c < WIDE_COLS => Class::Standard,
        _ => Class::Wide,
    }
}

/// Where everything goes on a screen of a given size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    pub header: Rect,
    pub tabs: Rect,
    pub body: Rect,
    pub footer: Rect,
    /// The side rail (wide screens); empty otherwise.
    pub rail: Rect,
}

pub fn too_small(size: Size) -> bool {
    size.cols < MIN_COLS || size.rows < MIN_ROWS
}

/// Lines of tagline shown under the name at this size (standard screens); if some are left
/// out, the last line shown ends with `ellipsis`.
pub fn tagline_lines(size: Size, resume: &Resume, ellipsis: &str) -> Vec<String> {
    if size.rows < 16 || class(size) != Class::Standard {
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

/// Width of the side rail on a wide screen: a fifth of it, 32 to 40 columns.
pub fn rail_width(size: Size) -> u16 {
    (size.cols / 5).clamp(32, 40)
}

pub fn areas(size: Size, resume: &Resume) -> Areas {
    let (w, h) = (size.cols, size.rows);
    let footer = Rect::new(0, h.saturating_sub(1), w, 1);
    let below = |y: u16, x: u16, width: u16| Rect::new(x, y, width, h.saturating_sub(y + 1));
    match class(size) {
        Class::Wide => {
            let x = rail_width(size) + 1;
            let pane = w.saturating_sub(x);
            Areas {
                header: Rect::new(0, 0, 0, 0),
                tabs: Rect::new(x, 0, pane, 1),
                body: below(1, x, pane),
                footer,
                rail: below(0, 0, x - 1),
            }
        }
        class => {
            // How many lines, not which: the ellipsis does not change the count.
            let header_h = match class {
                Class::Narrow if h >= 16 => 2,
                Class::Narrow => 1,
                _ => 1 + tagline_lines(size, resume, "…").len() as u16,
            };
            Areas {
                header: Rect::new(0, 0, w, header_h),
                tabs: Rect::new(0, header_h, w, 1),
                body: below(header_h + 1, 0, w),
                footer,
                rail: Rect::new(0, 0, 0, 0),
            }
        }
    }
}

/// Whether the body box has side borders (not on the narrowest screens).
pub fn side_borders(size: Size) -> bool {
    size.cols >= SIDE_BORDER_COLS
}

/// Text rows inside the body box.
pub fn body_height(size: Size, resume: &Resume) -> u16 {
    if too_small(size) {
        return 0;
    }
    areas(size, resume).body.height.saturating_sub(2)
}

/// Width of the body's content column and of its running text, for this size.
fn widths(size: Size) -> (usize, usize) {
    let pane = match class(size) {
        Class::Wide => size.cols.saturating_sub(rail_width(size) + 1),
        _ => size.cols,
    };
    // Inside the borders, a column of padding each side (the scrollbar is on the right border);
    // without side borders, a column of margin left, and a gap before the scrollbar's column.
    let content = usize::from(pane.saturating_sub(if side_borders(size) { 4 } else { 3 }));
    let (w, m) = match class(size) {
        Class::Standard => (content.min(100), content.min(100)),
        Class::Narrow => (content, content),
        Class::Wide => (content, content.min(MAX_MEASURE)),
    };
    (w.max(10), m.max(10))
}

/// The column the sections are composed for at this size.
pub fn frame(size: Size, resume: &Resume, unicode: bool) -> Frame {
    let (width, measure) = widths(size);
    let class = class(size);
    Frame {
        width,
        measure,
        unicode,
        rail: class == Class::Wide,
        tagline: class == Class::Narrow
            || class == Class::Standard && tagline_lines(size, resume, "…").is_empty(),
    }
}

/// Width of the composed body: no row is wider.
pub fn text_width(size: Size) -> usize {
    widths(size).0
}

/// A section's body at this size, composed and shared through the per-thread cache: the rows
/// the body scrolls through. Each row's `text` is what the screen shows there (for search).
pub fn body_lines(size: Size, resume: &Arc<Resume>, unicode: bool, tab: SectionId) -> Rc<Vec<Row>> {
    wrapped::lines(&frame(size, resume, unicode), resume, tab)
}

/// The numbers input handling needs, for one size, resume and character set: computed once
/// when one of them changes, so a flood of scroll keys costs no re-wrapping.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Geometry {
    pub body_height: u16,
    pub max_scroll: [u16; SectionId::ALL.len()],
}

/// A [`Geometry`] computed on first use: most visits end with a `q` that needs none, and at a
/// size not seen before it costs composing every section (~1 ms).
pub struct LazyGeometry<'a> {
    cell: std::cell::OnceCell<Geometry>,
    of: Option<(Size, &'a Arc<Resume>, bool)>,
}

impl<'a> LazyGeometry<'a> {
    /// The geometry of (size, resume, unicode), when it is first asked for.
    pub fn new(size: Size, resume: &'a Arc<Resume>, unicode: bool) -> LazyGeometry<'a> {
        LazyGeometry {
            cell: std::cell::OnceCell::new(),
            of: Some((size, resume, unicode)),
        }
    }

    /// A geometry already known.
    pub fn known(g: Geometry) -> LazyGeometry<'a> {
        LazyGeometry {
            cell: std::cell::OnceCell::from(g),
            of: None,
        }
    }

    pub fn get(&self) -> &Geometry {
        self.cell.get_or_init(|| match self.of {
            Some((size, resume, unicode)) => geometry(size, resume, unicode),
            None => Geometry {
                body_height: 0,
                max_scroll: [0; SectionId::ALL.len()],
            },
        })
    }

    /// The geometry, if it was computed (or known).
    pub fn computed(&self) -> Option<Geometry> {
        self.cell.get().copied()
    }
}

/// Computes [`Geometry`] (the line count of every section), or takes it from the per-thread
/// caches of [`super::layout_cache`].
pub fn geometry(size: Size, resume: &Arc<Resume>, unicode: bool) -> Geometry {
    let (body_height, max_scroll) = super::layout_cache::geometry(size, resume, unicode, || {
        let body_height = body_height(size, resume);
        let mut max_scroll = [0; SectionId::ALL.len()];
        if !too_small(size) {
            // Keyed by everything the rows depend on (width, measure, rail, tagline), not the
            // width alone: two sizes of one width can differ in the rail or the tagline.
            let width = frame(size, resume, unicode);
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

/// Which tab a click at (x, y) hits, if any.
pub fn tab_at(
    size: Size,
    resume: &Resume,
    selected: SectionId,
    x: u16,
    y: u16,
) -> Option<SectionId> {
    let row = areas(size, resume).tabs;
    if too_small(size) || y != row.y || x < row.x {
        return None;
    }
    let x = x - row.x;
    let (slots, _, _) = tab_slots(row.width, selected, true);
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
            Resume::parse(
                include_str!("../../../resume.toml"),
                Path::new("resume.toml"),
            )
            .unwrap(),
        )
    }

    #[test]
    fn tabs_and_clicks_agree() {
        let r = resume();
        for cols in [40, 45, 55, 60, 67, 68, 80, 119, 120, 200] {
            let size = Size::new(cols, 30);
            let row = areas(size, &r).tabs;
            for sel in SectionId::ALL {
                let (slots, _, _) = tab_slots(row.width, sel, true);
                assert!(slots.iter().any(|s| s.id == sel), "{cols} {sel:?}");
                for s in &slots {
                    assert_eq!(tab_at(size, &r, sel, row.x + s.x, row.y), Some(s.id));
                    assert!(row.x + s.x + s.label.width() as u16 <= cols);
                }
                assert_eq!(tab_at(size, &r, sel, row.x + 1, row.y + 1), None);
            }
        }
    }

    #[test]
    fn width_classes_and_their_areas() {
        let r = resume();
        let narrow = areas(Size::new(45, 30), &r);
        assert_eq!((narrow.header.height, narrow.rail.width), (2, 0));
        assert!(!side_borders(Size::new(45, 30)) && side_borders(Size::new(50, 30)));
        let wide = areas(Size::new(200, 60), &r);
        assert_eq!(wide.rail.width, 40);
        assert_eq!(wide.body.x, 41);
        assert_eq!(wide.body.right(), 200);
        assert_eq!(wide.footer.y, 59);
        let f = frame(Size::new(200, 60), &r, true);
        assert!(f.rail && f.measure == MAX_MEASURE && f.width > f.measure);
        let f = frame(Size::new(80, 24), &r, true);
        assert!(!f.rail && f.width == 76 && !f.tagline);
        assert!(frame(Size::new(45, 30), &r, true).tagline);
    }
}
