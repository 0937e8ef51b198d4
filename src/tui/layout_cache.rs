//! Per-thread caches of layout numbers, shared by the sessions on a thread: the geometry of
//! a (resume, size, character set) and the row count of a (resume, composed frame,
//! character set, tab). Both hold only numbers, so they can keep many more entries than the
//! cache of wrapped text: a visitor at a size seen before costs no wrapping to lay out, and one
//! at a new height but a known width costs none either.
//!
//! Hits and misses are counted in the server's metrics (`resume_ssh_layout_cache_*`).

use std::sync::Arc;

use super::derived::Derived;
use crate::content::SectionId;
use crate::content::screen::Frame;
use crate::resume::Resume;
use crate::terminal::Size;

/// What a geometry holds (`layout::Geometry` as numbers, so that this module needs nothing from
/// `layout`): the body's text rows and each tab's largest scroll offset.
pub type Geometry = (u16, [u16; SectionId::ALL.len()]);

/// Geometries kept per thread (~64 bytes each).
pub const GEOMETRY_ENTRIES: usize = 256;
/// Line counts kept per thread (~48 bytes each).
pub const COUNT_ENTRIES: usize = 1024;

thread_local! {
    static GEOMETRY: Derived<(Size, bool), Geometry> = const { Derived::new(GEOMETRY_ENTRIES) };
    static COUNTS: Derived<(Frame, bool, SectionId), usize> = const { Derived::new(COUNT_ENTRIES) };
}

/// The geometry for (resume, size, unicode), computed by `compute` on a miss.
pub fn geometry(
    size: Size,
    resume: &Arc<Resume>,
    unicode: bool,
    compute: impl FnOnce() -> Geometry,
) -> Geometry {
    let m = crate::metrics::get();
    if let Some(g) = GEOMETRY.with(|c| c.get(resume, (size, unicode))) {
        m.layout_cache_hits.inc();
        return g;
    }
    m.layout_cache_misses.inc();
    // Computed outside the cache's borrow: computing uses the line counts.
    let g = compute();
    GEOMETRY.with(|c| c.put(resume, (size, unicode), g));
    g
}

/// The composed row count of `tab` for `frame` (everything the rows depend on besides the
/// resume), computed by `compute` on a miss.
pub fn line_count(
    frame: Frame,
    resume: &Arc<Resume>,
    unicode: bool,
    tab: SectionId,
    compute: impl FnOnce() -> usize,
) -> usize {
    let key = (frame, unicode, tab);
    if let Some(n) = COUNTS.with(|c| c.get(resume, key)) {
        return n;
    }
    let n = compute();
    COUNTS.with(|c| c.put(resume, key, n));
    n
}

/// Entries this thread holds (geometries, line counts), for tests.
pub fn entries() -> (usize, usize) {
    (GEOMETRY.with(Derived::len), COUNTS.with(Derived::len))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::layout;

    fn resume() -> Arc<Resume> {
        Arc::new(
            Resume::parse(include_str!("../../resume.toml"), std::path::Path::new("r")).unwrap(),
        )
    }

    #[test]
    fn a_known_width_at_a_new_height_wraps_nothing_and_the_caches_stay_bounded() {
        let r = resume();
        let hits = || crate::metrics::get().layout_cache_hits.get();
        let g = layout::geometry(Size::new(100, 30), &r, true);
        let before = hits();
        assert_eq!(layout::geometry(Size::new(100, 30), &r, true), g);
        assert!(hits() > before, "the second look-up is a hit");
        // Another height at the same text width: the counts are reused, the numbers agree
        // with a fresh computation.
        let (_, counts) = entries();
        let tall = layout::geometry(Size::new(100, 50), &r, true);
        assert_eq!(entries().1, counts, "no new line counts for a known width");
        for id in SectionId::ALL {
            assert_eq!(
                tall.max_scroll[id.index()],
                layout::max_scroll(Size::new(100, 50), &r, true, id)
            );
        }
        for cols in 40..400 {
            layout::geometry(Size::new(cols, 13 + cols % 50), &r, cols % 2 == 0);
        }
        let (g, c) = entries();
        assert!(g <= GEOMETRY_ENTRIES && c <= COUNT_ENTRIES, "{g} {c}");
    }
}
