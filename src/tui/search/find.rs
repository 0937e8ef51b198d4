//! Finding a query in the sections' wrapped body lines: case-insensitive (Unicode lower case),
//! across a line break (a wrapped line and the next read as joined by one space, or by none
//! between wide characters, which wrap without one), cached per thread so `n`/`N` and redraws
//! cost a lookup.
//!
//! Matches are searched in the same lines the view draws and the scroll bounds count
//! ([`layout::body_lines`]), so a match's line number is a scroll offset.

use std::rc::Rc;
use std::sync::Arc;

use unicode_width::UnicodeWidthChar;

use super::Query;
use crate::content::SectionId;
use crate::content::screen::Row as Line;
use crate::resume::Resume;
use crate::terminal::Size;
use crate::tui::derived::Derived;
use crate::tui::layout;

/// Matches kept per search; a query that matches more shows "N+" and steps through these.
pub const MAX_HITS: usize = 2000;
/// Searches kept per thread (the query being typed and the last few).
const CACHE_ENTRIES: usize = 4;

/// One match: from byte `start` of line `line` to byte `end` (exclusive) of line `end_line`
/// (the same line, or a later one when the match spans a line break).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub tab: SectionId,
    pub line: u32,
    pub start: u32,
    pub end_line: u32,
    pub end: u32,
}

impl Hit {
    /// The byte ranges this match covers in line `line` (none if it is not on that line).
    pub fn span_on(&self, line: u32, text: &str) -> Option<(usize, usize)> {
        let (s, e) = (self.start as usize, self.end as usize);
        if line == self.line && line == self.end_line {
            Some((s, e))
        } else if line == self.line {
            Some((s, text.len()))
        } else if line == self.end_line {
            Some((text.len() - text.trim_start().len(), e))
        } else if line > self.line && line < self.end_line {
            Some((text.len() - text.trim_start().len(), text.len()))
        } else {
            None
        }
    }
}

/// The matches of one query, in reading order (tab, line, column).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Matches {
    pub hits: Vec<Hit>,
    /// More matched than [`MAX_HITS`].
    pub truncated: bool,
}

/// Sections folded for searching, per (text width, unicode): computed once per layout.
const FOLDED_ENTRIES: usize = 4;

thread_local! {
    static MATCHES: Derived<(usize, bool, Query), Rc<Matches>> = const { Derived::new(CACHE_ENTRIES) };
    static FOLDED: Derived<(usize, bool), Rc<[Section; SectionId::ALL.len()]>> = const { Derived::new(FOLDED_ENTRIES) };
    static SCANS: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// The cached value for (`resume`, `key`), or `make`'s, kept as the most recently used.
fn cached<K: std::hash::Hash + Eq + Clone, V>(
    cache: &'static std::thread::LocalKey<Derived<K, Rc<V>>>,
    resume: &Arc<Resume>,
    key: K,
    make: impl FnOnce() -> V,
) -> Rc<V> {
    if let Some(v) = cache.with(|c| c.get(resume, key.clone())) {
        return v;
    }
    // Made outside the cache: making the matches uses the folded sections' cache.
    let v = Rc::new(make());
    cache.with(|c| c.put(resume, key, Rc::clone(&v)));
    v
}

/// Searches this thread has run through the resume (cache misses), for tests and measurements.
pub fn scans() -> u64 {
    SCANS.with(|s| s.get())
}

/// Every match of `query` in the resume as laid out at `size` (empty query: none).
pub fn matches(size: Size, resume: &Arc<Resume>, unicode: bool, query: &Query) -> Rc<Matches> {
    if query.is_empty() {
        return Rc::new(Matches::default());
    }
    let width = layout::text_width(size);
    cached(&MATCHES, resume, (width, unicode, *query), || {
        SCANS.with(|s| s.set(s.get() + 1));
        let sections = cached(&FOLDED, resume, (width, unicode), || {
            SectionId::ALL.map(|tab| Section::new(&layout::body_lines(size, resume, unicode, tab)))
        });
        let mut q = String::new();
        fold(query, &mut q, &mut Vec::new());
        let mut out = Matches::default();
        for (section, tab) in sections.iter().zip(SectionId::ALL) {
            section.find(tab, &q, &mut out);
            if out.truncated {
                break;
            }
        }
        out.hits.shrink_to_fit();
        out
    })
}

/// One section's lines as a single lower-cased string to search in, with what maps a place in
/// it back to a line and byte: each line trimmed, consecutive lines joined by one space (so a
/// phrase broken by wrapping is found; none between wide characters), a blank line as a line
/// break, which no query contains.
#[derive(Debug, Default)]
struct Section {
    text: String,
    segs: Vec<Seg>,
    map: Vec<(u32, u32)>,
}

/// One non-blank line in the folded section text.
#[derive(Debug, Clone, Copy)]
struct Seg {
    /// Where its folded text starts, and how long it is.
    at: usize,
    len: usize,
    line: u32,
    /// Bytes of leading whitespace left out of the search text.
    lead: u32,
    /// Its entries in `Section::map` (none: ASCII, offsets unchanged).
    map: (usize, usize),
}

impl Section {
    fn new(lines: &[Line]) -> Section {
        let mut s = Section::default();
        for (i, line) in lines.iter().enumerate() {
            let text = line.text.trim();
            if text.is_empty() {
                if !s.text.is_empty() && !s.text.ends_with('\n') {
                    s.text.push('\n');
                }
                continue;
            }
            // Wide characters (CJK) wrap with no space between them: join those with none.
            let wide = |c: Option<char>| c.and_then(|c| c.width()).is_some_and(|w| w > 1);
            let no_space = s.text.is_empty()
                || s.text.ends_with('\n')
                || wide(s.text.chars().next_back()) && wide(text.chars().next());
            if !no_space {
                s.text.push(' ');
            }
            let at = s.text.len();
            let map_from = s.map.len();
            fold(text, &mut s.text, &mut s.map);
            s.segs.push(Seg {
                at,
                len: s.text.len() - at,
                line: i as u32,
                lead: (line.text.len() - line.text.trim_start().len()) as u32,
                map: (map_from, s.map.len()),
            });
        }
        // Kept for as long as the layout is in use: no spare capacity.
        s.text.shrink_to_fit();
        s.segs.shrink_to_fit();
        s.map.shrink_to_fit();
        s
    }

    /// Appends the matches of `q` (already folded, not empty) to `out`.
    fn find(&self, tab: SectionId, q: &str, out: &mut Matches) {
        let source = |seg: &Seg, at: usize, end: bool| -> u32 {
            let map = &self.map[seg.map.0..seg.map.1];
            seg.lead + to_source(map, at.min(seg.len), end)
        };
        for (at, m) in self.text.match_indices(q) {
            // The line the match starts on (one starting on a joining space starts on the next).
            let i = self.segs.partition_point(|g| g.at <= at).saturating_sub(1);
            let Some(mut first) = self.segs.get(i).copied() else {
                continue;
            };
            let mut from = at.saturating_sub(first.at);
            if from >= first.len
                && let Some(next) = self.segs.get(i + 1)
            {
                (first, from) = (*next, 0);
            }
            let end_at = at + m.len();
            let j = self
                .segs
                .partition_point(|g| g.at < end_at)
                .saturating_sub(1);
            let Some(last) = self.segs.get(j).copied() else {
                continue;
            };
            let hit = Hit {
                tab,
                line: first.line,
                start: source(&first, from, false),
                end_line: last.line,
                end: source(&last, end_at.saturating_sub(last.at), true),
            };
            if (hit.line, hit.start) >= (hit.end_line, hit.end) {
                continue; // only the space joining two lines: nothing to show
            }
            if out.hits.len() >= MAX_HITS {
                out.truncated = true;
                return;
            }
            out.hits.push(hit);
        }
    }
}

/// Appends `s` in lower case to `out`. For text that is not ASCII, `map` gets one
/// (folded byte, source byte) pair per source character and a final pair for the ends, because
/// lower-casing can change a character's length (`İ` becomes two characters). For ASCII text
/// `map` stays empty: offsets are the same.
fn fold(s: &str, out: &mut String, map: &mut Vec<(u32, u32)>) {
    let base = out.len();
    if s.is_ascii() {
        out.push_str(s);
        out[base..].make_ascii_lowercase();
        return;
    }
    for (b, c) in s.char_indices() {
        map.push(((out.len() - base) as u32, b as u32));
        out.extend(c.to_lowercase());
    }
    map.push(((out.len() - base) as u32, s.len() as u32));
}

/// The source byte of folded byte `at`: for a start, the character it falls in; for an end,
/// the first character after it (so a match covering part of a character's lower case covers
/// the whole character).
fn to_source(map: &[(u32, u32)], at: usize, end: bool) -> u32 {
    let at = at as u32;
    if map.is_empty() {
        return at;
    }
    let i = map.partition_point(|&(f, _)| f <= at);
    match (end, i) {
        (_, 0) => map[0].1,
        (true, i) if map[i - 1].0 < at => map.get(i).map_or(map[i - 1].1, |p| p.1),
        (_, i) => map[i - 1].1,
    }
}

#[cfg(test)]
#[path = "find_tests.rs"]
mod tests;
