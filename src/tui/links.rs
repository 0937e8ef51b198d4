//! Where the resume's addresses are on a drawn frame, so the encoder can make them hyperlinks.
//!
//! ratatui cells carry no link, and the view draws an address wherever its design puts it
//! (header, Contact, wrapped prose). Rather than have every widget report positions, a frame is
//! searched for the visible text of each address after it is drawn: whatever shows an address
//! in full on one row becomes a link to it, and nothing else does. The search runs only when an
//! update is rendered (not for cached ones) and costs one pass per row per address.

use std::rc::Rc;
use std::sync::Arc;

use ratatui::buffer::{Buffer, Cell};

use crate::terminal::blank_frame::RowLinks as _;

use super::derived::Derived;
use crate::resume::Resume;
use crate::terminal::osc;
use crate::terminal::{LinkSpan, symbol_width};

/// Addresses that become links: what the screen shows, and the URI it opens.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Targets {
    /// The visible text searched for, index for index with `uris`.
    texts: Vec<String>,
    /// Characters one of which every text has (`@`, `:`, or its first): a row without any of
    /// them is skipped without being read as text.
    anchors: Vec<char>,
    /// Safe to embed (see [`osc::safe_uri`]).
    pub uris: Vec<String>,
}

/// Most addresses linked (the e-mail, the home page and a few profiles).
const MAX_TARGETS: usize = 16;

thread_local! {
    /// The targets of the resumes last drawn on this thread (the current one and, after a
    /// reload, the one before).
    static CACHE: Derived<(), Rc<Targets>> = const { Derived::new(2) };
}

impl Targets {
    /// The e-mail (`mailto:`), `basics.url` and every profile URL.
    pub fn of(resume: &Resume) -> Targets {
        let b = &resume.basics;
        let email = b.email.to_string();
        let mut pairs = vec![(email.clone(), format!("mailto:{email}"))];
        pairs.extend(b.url.iter().map(|u| (u.to_string(), u.to_string())));
        pairs.extend(
            b.profiles
                .iter()
                .map(|p| (p.url.to_string(), p.url.to_string())),
        );
        let mut t = Targets::default();
        for (text, uri) in pairs {
            if t.texts.len() >= MAX_TARGETS || text.is_empty() || t.texts.contains(&text) {
                continue;
            }
            if let Some(uri) = osc::safe_uri(&uri) {
                t.texts.push(text);
                t.uris.push(uri);
            }
        }
        // Longest first, so a URL that contains another (a profile under the home page) links
        // to itself rather than to the shorter one.
        let mut order: Vec<usize> = (0..t.texts.len()).collect();
        order.sort_by_key(|&i| std::cmp::Reverse(t.texts[i].len()));
        let texts: Vec<String> = order.iter().map(|&i| t.texts[i].clone()).collect();
        let mut anchors: Vec<char> = texts
            .iter()
            .filter_map(|t| {
                ['@', ':']
                    .into_iter()
                    .find(|&c| t.contains(c))
                    .or_else(|| t.chars().next())
            })
            .collect();
        anchors.sort_unstable();
        anchors.dedup();
        Targets {
            texts,
            anchors,
            uris: order.iter().map(|&i| t.uris[i].clone()).collect(),
        }
    }

    /// [`Targets::of`], made once per resume per thread.
    pub fn shared(resume: &Arc<Resume>) -> Rc<Targets> {
        CACHE.with(|c| c.get_or(resume, (), || Rc::new(Targets::of(resume))).0)
    }

    pub fn is_empty(&self) -> bool {
        self.texts.is_empty()
    }

    /// Appends the link spans of `buf`, sorted and not overlapping.
    pub fn find(&self, buf: &Buffer, out: &mut Vec<LinkSpan>) {
        if self.is_empty() {
            return;
        }
        let width = usize::from(buf.area.width);
        let mut finder = self.finder();
        for (y, cells) in buf.content.chunks(width.max(1)).enumerate() {
            if cells.iter().any(|c| finder.is_anchor(c.symbol())) {
                finder.row(cells, y * width, out);
            }
        }
    }

    /// A finder of this resume's addresses, one row at a time.
    pub fn finder(&self) -> Finder<'_> {
        // ASCII anchors as a bit set: most cells are ASCII, and this runs over every cell.
        let mut ascii = 0u128;
        let mut other = false;
        for &a in &self.anchors {
            match u8::try_from(a) {
                Ok(b) if b.is_ascii() => ascii |= 1 << b,
                _ => other = true,
            }
        }
        Finder {
            targets: self,
            ascii,
            other,
            row: String::new(),
            cell_of: Vec::new(),
            found: Vec::new(),
        }
    }
}

/// Finds the addresses on rows of a frame (see [`Targets::finder`]); keeps its scratch.
pub struct Finder<'t> {
    targets: &'t Targets,
    ascii: u128,
    other: bool,
    row: String,
    /// For each byte of `row`, the cell it came from.
    cell_of: Vec<usize>,
    found: Vec<LinkSpan>,
}

impl crate::terminal::blank_frame::RowLinks for Finder<'_> {
    /// Whether a cell showing `sym` may be part of an address: a row without such a cell has
    /// none, and is not read as text.
    #[inline]
    fn is_anchor(&self, sym: &str) -> bool {
        match sym.as_bytes().first() {
            Some(&b) if b.is_ascii() => (self.ascii >> b) & 1 == 1,
            Some(_) => {
                self.other
                    && sym
                        .chars()
                        .next()
                        .is_some_and(|ch| self.targets.anchors.contains(&ch))
            }
            None => false,
        }
    }

    /// Appends the links of the row `cells` (whose first cell is cell `start` of the frame),
    /// sorted and not overlapping.
    fn row(&mut self, cells: &[Cell], start: usize, out: &mut Vec<LinkSpan>) {
        let width = cells.len();
        self.row.clear();
        self.cell_of.clear();
        let mut skip = 0usize;
        for (x, cell) in cells.iter().enumerate() {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let sym = cell.symbol();
            skip = symbol_width(sym).saturating_sub(1);
            self.row.push_str(sym);
            self.cell_of.extend(std::iter::repeat_n(x, sym.len()));
        }
        self.found.clear();
        for (target, text) in self.targets.texts.iter().enumerate() {
            for (at, _) in self.row.match_indices(text.as_str()) {
                let first = self.cell_of[at];
                let last = self.cell_of[at + text.len() - 1];
                let end = last + symbol_width(cells[last].symbol()).max(1);
                let span = LinkSpan {
                    start: start + first,
                    end: start + end.min(width),
                    target,
                };
                if !self
                    .found
                    .iter()
                    .any(|s| s.start < span.end && span.start < s.end)
                {
                    self.found.push(span);
                }
            }
        }
        self.found.sort_by_key(|s| s.start);
        out.extend_from_slice(&self.found);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::layout::Rect;
    use ratatui::style::Style;

    fn resume() -> Resume {
        let toml = include_str!("../../resume.toml").replace(
            "email = \"arunavmalhotra1998@gmail.com\"",
            "email = \"arunavmalhotra1998@gmail.com\"\nurl = \"https://example.com/\"\n\
             profiles = [{ network = \"GitHub\", url = \"https://example.com/gh\" }]",
        );
        Resume::parse(&toml, std::path::Path::new("r")).unwrap()
    }

    #[test]
    fn finds_every_address_in_full_and_longest_first() {
        let t = Targets::of(&resume());
        assert_eq!(
            t.uris,
            [
                "mailto:arunavmalhotra1998@gmail.com",
                "https://example.com/gh",
                "https://example.com/"
            ]
        );
        let mut buf = Buffer::empty(Rect::new(0, 0, 40, 3));
        buf.set_string(2, 0, "日本 arunavmalhotra1998@gmail.com", Style::new());
        buf.set_string(0, 1, "GitHub: https://example.com/gh x", Style::new());
        // Cut off at the edge: not a link.
        buf.set_string(30, 2, "https://example.com/", Style::new());
        let mut spans = Vec::new();
        t.find(&buf, &mut spans);
        assert_eq!(
            spans,
            [
                LinkSpan {
                    start: 7,
                    end: 7 + 28,
                    target: 0
                },
                LinkSpan {
                    start: 40 + 8,
                    end: 40 + 30,
                    target: 1
                },
            ]
        );
    }
}
