//! Search across the resume: the search line's state and editing, and jumping between matches.
//!
//! `/` opens the search line (drawn in the footer row), typing edits it, Enter jumps to the
//! first match from the current place, `n`/`N` step through the matches of every section
//! (wrapping), Esc closes. The state is plain data (`Copy`, part of the app state the frame
//! cache keys on); the matches are found from it when needed ([`find::matches`], cached per
//! thread) and drawn by a pass over the rendered frame ([`paint`]).

pub mod find;
pub mod paint;

use std::sync::Arc;

use arrayvec::ArrayString;
use terminput::{KeyCode, KeyEvent, KeyModifiers};

use crate::content::SectionId;
use crate::resume::Resume;
use crate::terminal::Size;

/// Characters a query may have (the rest of what is typed or pasted is dropped)...
pub const MAX_QUERY_CHARS: usize = 64;
/// ...and bytes: 64 Latin letters, 42 CJK characters, 32 emoji.
pub const MAX_QUERY_BYTES: usize = 128;

/// The query: inline, so the app state stays small and `Copy` (it is part of the frame cache's
/// keys).
pub type Query = ArrayString<MAX_QUERY_BYTES>;

/// Where the search is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum Mode {
    /// No search: no line, no highlight.
    #[default]
    Closed,
    /// The search line is open and takes the keys; matches are highlighted as it is typed.
    Editing,
    /// A search was made: matches stay highlighted, `n`/`N` move, the line shows the count.
    Showing,
}

/// One visitor's search.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct Search {
    pub mode: Mode,
    pub query: Query,
    /// The match last jumped to (an index into [`find::Matches::hits`]).
    pub current: Option<u32>,
}

/// Which match to go to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dir {
    /// The first match at or after the top of the current view (Enter).
    First,
    Next,
    Prev,
}

/// What a jump needs to know about the screen, and the scroll state it may change.
pub struct View<'a> {
    pub size: Size,
    pub resume: &'a Arc<Resume>,
    pub unicode: bool,
    pub body_height: u16,
    pub max_scroll: &'a [u16; SectionId::ALL.len()],
    pub tab: &'a mut SectionId,
    pub scroll: &'a mut [u16; SectionId::ALL.len()],
}

/// What a key did in the search line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edit {
    /// Nothing more to do.
    Done,
    /// Enter: search (the caller closes the line if it is empty).
    Submit,
}

impl Search {
    pub fn editing(&self) -> bool {
        self.mode == Mode::Editing
    }

    /// Whether matches are highlighted and `n`/`N`/Esc belong to the search.
    pub fn showing(&self) -> bool {
        self.mode == Mode::Showing
    }

    /// `/`: opens the search line with the last query, to edit or replace.
    pub fn open(&mut self) {
        self.mode = Mode::Editing;
        self.current = None;
    }

    pub fn close(&mut self) {
        *self = Search::default();
    }

    /// A key while the search line is open (printable characters are text, `q` and digits
    /// included).
    pub fn edit_key(&mut self, k: KeyEvent) -> Edit {
        let ctrl = k.modifiers.contains(KeyModifiers::CTRL);
        match k.code {
            KeyCode::Enter => return Edit::Submit,
            KeyCode::Esc => self.close(),
            KeyCode::Backspace => {
                self.query.pop();
            }
            KeyCode::Char('u') if ctrl => self.query.clear(),
            KeyCode::Char('w') if ctrl => {
                let kept = self.query.trim_end().len();
                let cut = self.query[..kept].rfind(' ').map_or(0, |i| i + 1);
                self.query.truncate(cut);
            }
            KeyCode::Char(c) if !ctrl && !k.modifiers.contains(KeyModifiers::ALT) => self.push(c),
            _ => {}
        }
        Edit::Done
    }

    /// Pasted text: appended, line breaks and tabs as single spaces, other control characters
    /// dropped.
    pub fn paste(&mut self, text: &str) {
        for c in text.chars() {
            if self.query.chars().count() >= MAX_QUERY_CHARS {
                break;
            }
            if matches!(c, '\n' | '\r' | '\t') {
                if !self.query.is_empty() && !self.query.ends_with(' ') {
                    self.push(' ');
                }
            } else {
                self.push(c);
            }
        }
    }

    fn push(&mut self, c: char) {
        if !acceptable(c) || self.query.chars().count() >= MAX_QUERY_CHARS {
            return;
        }
        // Full (in bytes): the character is dropped, like the ones past the count.
        let _ = self.query.try_push(c);
    }

    /// Goes to a match (Enter, `n`, `N`): sets the tab and scrolls so the match is visible.
    /// Leaves the search showing, with no current match if nothing matches.
    pub fn go(&mut self, dir: Dir, v: View) {
        self.mode = Mode::Showing;
        let m = find::matches(v.size, v.resume, v.unicode, &self.query);
        let hits = &m.hits;
        if hits.is_empty() {
            self.current = None;
            return;
        }
        let n = hits.len();
        let tab = *v.tab;
        let offset = u32::from(v.scroll[tab.index()]);
        let bottom = offset + u32::from(v.body_height.max(1));
        let pos = |h: &find::Hit| (h.tab.index(), h.line);
        let visible = |h: &find::Hit| h.tab == tab && h.line >= offset && h.line < bottom;
        let current = self
            .current
            .map(|i| i as usize)
            .filter(|&i| i < n && dir != Dir::First && visible(&hits[i]));
        let i = match (dir, current) {
            (Dir::Next, Some(i)) => (i + 1) % n,
            (Dir::Prev, Some(i)) => (i + n - 1) % n,
            // From the current place: the first match on screen or after it...
            (Dir::First, _) | (Dir::Next, None) => {
                let at = hits.partition_point(|h| pos(h) < (tab.index(), offset));
                at % n
            }
            // ...or, backwards, the last one on screen or before it.
            (Dir::Prev, None) => {
                let at = hits.partition_point(|h| pos(h) < (tab.index(), bottom));
                (at + n - 1) % n
            }
        };
        let h = hits[i];
        self.current = Some(i as u32);
        *v.tab = h.tab;
        let slot = &mut v.scroll[h.tab.index()];
        *slot = scroll_to(h, *slot, v.body_height, v.max_scroll[h.tab.index()]);
    }
}

/// The scroll offset that shows `h`: unchanged if it is on screen, else with the match a third
/// of the way down (some context above it).
fn scroll_to(h: find::Hit, offset: u16, height: u16, max: u16) -> u16 {
    let line = u16::try_from(h.line).unwrap_or(u16::MAX);
    let end = u16::try_from(h.end_line).unwrap_or(u16::MAX);
    if line >= offset && end < offset.saturating_add(height) {
        return offset;
    }
    line.saturating_sub(height / 3).min(max)
}

/// Characters a query may contain: no control characters, no invisible direction or
/// formatting marks (they would make the search line lie about what it holds).
fn acceptable(c: char) -> bool {
    !c.is_control()
        && !matches!(c,
            '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{206f}' | '\u{feff}')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(s: &mut Search, text: &str) {
        for c in text.chars() {
            s.edit_key(KeyEvent::new(KeyCode::Char(c)));
        }
    }

    #[test]
    fn the_line_edits_and_stays_bounded() {
        let mut s = Search::default();
        s.open();
        typed(&mut s, "q1 Kafka");
        assert_eq!(s.query.as_str(), "q1 Kafka");
        s.edit_key(KeyEvent::new(KeyCode::Backspace));
        assert_eq!(s.query.as_str(), "q1 Kafk");
        s.edit_key(KeyEvent::new(KeyCode::Char('w')).modifiers(KeyModifiers::CTRL));
        assert_eq!(s.query.as_str(), "q1 ");
        s.edit_key(KeyEvent::new(KeyCode::Char('u')).modifiers(KeyModifiers::CTRL));
        assert_eq!(s.query.as_str(), "");
        typed(&mut s, &"k".repeat(100));
        assert_eq!(s.query.chars().count(), MAX_QUERY_CHARS);
        s.query.clear();
        typed(&mut s, &"界".repeat(100));
        assert_eq!(s.query.len(), 126, "42 three-byte characters");
        typed(&mut s, "ab");
        assert_eq!(s.query.len(), MAX_QUERY_BYTES);
        s.close();
        assert_eq!(s, Search::default());
    }

    #[test]
    fn control_characters_are_dropped_and_paste_lines_join() {
        let mut s = Search::default();
        s.open();
        typed(&mut s, "a\u{7}\u{1b}\u{202e}b");
        assert_eq!(s.query.as_str(), "ab");
        s.paste("\ncd\r\n\tef\x1b[31m");
        assert_eq!(s.query.as_str(), "ab cd ef[31m");
        s.paste(&"x".repeat(1000));
        assert_eq!(s.query.chars().count(), MAX_QUERY_CHARS);
        assert_eq!(s.edit_key(KeyEvent::new(KeyCode::Enter)), Edit::Submit);
        s.edit_key(KeyEvent::new(KeyCode::Esc));
        assert_eq!(s.mode, Mode::Closed);
    }

    fn resume() -> Arc<Resume> {
        Arc::new(
            Resume::parse(
                include_str!("../../../resume.toml"),
                std::path::Path::new("r"),
            )
            .unwrap(),
        )
    }

    /// Runs a jump at 80x24 and returns (tab, scroll of that tab, current).
    fn jump(
        s: &mut Search,
        dir: Dir,
        r: &Arc<Resume>,
        tab: &mut SectionId,
        scroll: &mut [u16; 6],
    ) -> (SectionId, u16, Option<u32>) {
        let size = Size::new(80, 24);
        let g = crate::tui::layout::geometry(size, r, true);
        s.go(
            dir,
            View {
                size,
                resume: r,
                unicode: true,
                body_height: g.body_height,
                max_scroll: &g.max_scroll,
                tab,
                scroll,
            },
        );
        (*tab, scroll[tab.index()], s.current)
    }

    #[test]
    fn enter_n_and_shift_n_walk_the_matches_across_sections() {
        let r = resume();
        let size = Size::new(80, 24);
        let g = crate::tui::layout::geometry(size, &r, true);
        let mut s = Search::default();
        s.open();
        typed(&mut s, "kafka");
        let m = find::matches(size, &r, true, &s.query);
        assert!(m.hits.len() >= 2);
        let (mut tab, mut scroll) = (SectionId::About, [0u16; 6]);
        // Enter from About: the first match after it.
        let (t, off, cur) = jump(&mut s, Dir::First, &r, &mut tab, &mut scroll);
        assert_eq!(cur, Some(0));
        assert_eq!(t, m.hits[0].tab);
        let line = m.hits[0].line as u16;
        assert!(line >= off && line < off + g.body_height, "visible");
        // n walks every match and wraps to the first; N goes back.
        for i in 1..=m.hits.len() {
            let (t, off, cur) = jump(&mut s, Dir::Next, &r, &mut tab, &mut scroll);
            let want = i % m.hits.len();
            assert_eq!(cur, Some(want as u32));
            assert_eq!(t, m.hits[want].tab);
            let line = m.hits[want].line as u16;
            assert!(line >= off && line < off + g.body_height);
        }
        let (_, _, cur) = jump(&mut s, Dir::Prev, &r, &mut tab, &mut scroll);
        assert_eq!(cur, Some(m.hits.len() as u32 - 1));
        // Moved away (to Contact, after every match): n starts from there, wrapping.
        tab = SectionId::Contact;
        let (_, _, cur) = jump(&mut s, Dir::Next, &r, &mut tab, &mut scroll);
        assert_eq!(cur, Some(0));
        // Enter from Skills finds Skills' own match first.
        tab = SectionId::Skills;
        scroll = [0; 6];
        let (t, _, cur) = jump(&mut s, Dir::First, &r, &mut tab, &mut scroll);
        assert_eq!(t, SectionId::Skills);
        assert_eq!(m.hits[cur.unwrap() as usize].tab, SectionId::Skills);
        // Nothing matches: no current, showing (the line says so).
        s.query = Query::from("zzzqqq").unwrap();
        let (t, _, cur) = jump(&mut s, Dir::First, &r, &mut tab, &mut scroll);
        assert_eq!((t, cur, s.mode), (SectionId::Skills, None, Mode::Showing));
    }

    #[test]
    fn a_flood_of_n_searches_once() {
        let r = resume();
        let mut s = Search::default();
        s.open();
        typed(&mut s, "microservices");
        let (mut tab, mut scroll) = (SectionId::About, [0u16; 6]);
        jump(&mut s, Dir::First, &r, &mut tab, &mut scroll);
        let before = find::scans();
        for _ in 0..10_000 {
            jump(&mut s, Dir::Next, &r, &mut tab, &mut scroll);
            jump(&mut s, Dir::Prev, &r, &mut tab, &mut scroll);
        }
        assert_eq!(find::scans(), before, "n/N re-searched the resume");
        assert_eq!(s.current, Some(0));
    }

    #[test]
    fn scroll_to_keeps_a_visible_match_and_brings_others_into_view() {
        let h = |line, end_line| find::Hit {
            tab: SectionId::About,
            line,
            start: 0,
            end_line,
            end: 1,
        };
        assert_eq!(scroll_to(h(5, 5), 0, 10, 50), 0);
        assert_eq!(scroll_to(h(30, 30), 0, 9, 50), 27);
        assert_eq!(scroll_to(h(9, 10), 0, 10, 50), 6, "a match over two lines");
        assert_eq!(scroll_to(h(60, 60), 0, 10, 50), 50, "clamped");
        assert_eq!(scroll_to(h(2, 2), 20, 10, 50), 0);
    }
}
