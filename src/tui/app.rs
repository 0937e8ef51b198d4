//! The TUI's state and how events change it: plain data, no I/O.

use terminput::{
    Event, KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEventKind, ScrollDirection,
};

use super::layout;
use super::search::{self, Dir, Search};
use crate::content::SectionId;
use crate::resume::Resume;
use crate::terminal::Size;
use std::sync::Arc;

/// Lines the mouse wheel scrolls per notch.
const WHEEL_LINES: i32 = 3;

/// Everything one visitor's screen depends on besides the resume and the terminal's abilities.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct App {
    pub tab: SectionId,
    /// Scroll offset per tab, so coming back to a tab finds it where it was left.
    pub scroll: [u16; SectionId::ALL.len()],
    pub help: bool,
    /// The help overlay's first line shown (when it is taller than the screen).
    pub help_scroll: u16,
    pub light: bool,
    /// Whether the visitor picked the palette (`t`): a picked palette paints its own
    /// background, one that follows the terminal's leaves it to the terminal.
    pub theme_picked: bool,
    pub size: Size,
    pub quit: bool,
    /// Whether the mouse is captured (clicks and wheel reach the app); off, the visitor's
    /// terminal selects text itself.
    pub mouse: bool,
    /// A one-line note in the footer, until the next key.
    pub note: Option<Note>,
    /// Something to send besides the frame; taken by the caller right after each update, so it
    /// is never part of what a frame depends on.
    pub effect: Option<Effect>,
    pub search: Search,
}

/// Notes the footer can show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Note {
    /// The e-mail was sent to the clipboard (OSC 52).
    Copied,
    /// The terminal takes no OSC strings: nothing was sent.
    CannotCopy,
    MouseOff,
    MouseOn,
}

/// Output an update asks for that is not part of the screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Effect {
    /// Put the e-mail on the visitor's clipboard.
    CopyEmail,
}

/// What the app needs to know to turn an event into a state change.
pub struct Ctx<'a> {
    pub resume: &'a Arc<Resume>,
    pub unicode: bool,
    /// Layout numbers for the app's current size (see [`layout::geometry`]), computed when an
    /// event first needs them.
    pub geometry: &'a layout::LazyGeometry<'a>,
}

impl App {
    pub fn new(tab: SectionId, size: Size) -> App {
        App {
            tab,
            scroll: [0; SectionId::ALL.len()],
            help: false,
            help_scroll: 0,
            light: false,
            theme_picked: false,
            size,
            quit: false,
            mouse: true,
            note: None,
            effect: None,
            search: Search::default(),
        }
    }

    /// Applies one input event.
    pub fn update(&mut self, event: &Event, ctx: &Ctx) {
        match event {
            Event::Key(k) if k.kind == terminput::KeyEventKind::Press => self.key(*k, ctx),
            Event::Paste(text) if self.search.editing() => self.search.paste(text),
            Event::Mouse(m) => match m.kind {
                _ if !self.mouse => {}
                MouseEventKind::Scroll(ScrollDirection::Down) if self.help => {
                    self.help_scroll_by(WHEEL_LINES, ctx)
                }
                MouseEventKind::Scroll(ScrollDirection::Up) if self.help => {
                    self.help_scroll_by(-WHEEL_LINES, ctx)
                }
                MouseEventKind::Scroll(ScrollDirection::Down) => self.scroll_by(WHEEL_LINES, ctx),
                MouseEventKind::Scroll(ScrollDirection::Up) => self.scroll_by(-WHEEL_LINES, ctx),
                MouseEventKind::Down(MouseButton::Left) => {
                    if self.help {
                        self.help = false;
                    } else if let Some(tab) =
                        layout::tab_at(self.size, ctx.resume, self.tab, m.column, m.row)
                    {
                        self.tab = tab;
                    }
                }
                _ => {}
            },
            _ => {}
        }
    }

    /// A new terminal size: keeps each tab's scroll within the new content. `ctx.geometry` must
    /// be the new size's.
    pub fn resize(&mut self, size: Size, ctx: &Ctx) {
        self.size = size;
        self.clamp_all(ctx);
    }

    /// The resume changed (live reload): keep tab, keep scroll where it still fits.
    pub fn reload(&mut self, ctx: &Ctx) {
        self.clamp_all(ctx);
    }

    fn clamp_all(&mut self, ctx: &Ctx) {
        let current = self.tab;
        for id in SectionId::ALL {
            self.tab = id;
            self.scroll_by(0, ctx);
        }
        self.tab = current;
        if self.help {
            self.help_scroll_by(0, ctx);
        }
    }

    fn key(&mut self, k: KeyEvent, ctx: &Ctx) {
        let ctrl = k.modifiers.contains(KeyModifiers::CTRL);
        let plain = !ctrl && !k.modifiers.contains(KeyModifiers::ALT);
        if ctrl && matches!(k.code, KeyCode::Char('c' | 'd'))
            || plain && k.code == KeyCode::Char('q') && !self.search.editing()
        {
            self.quit = true;
            return;
        }
        self.note = None;
        if self.search.editing() {
            match self.search.edit_key(k) {
                search::Edit::Submit if self.search.query.is_empty() => self.search.close(),
                search::Edit::Submit => self.search_go(Dir::First, ctx),
                search::Edit::Done => {}
            }
            return;
        }
        if self.help {
            self.help_key(k, ctx);
            return;
        }
        let page = || i32::from(ctx.geometry.get().body_height).max(2) - 1;
        match k.code {
            KeyCode::Esc if self.search.showing() => self.search.close(),
            KeyCode::Esc => self.quit = true,
            KeyCode::Char('/') => self.search.open(),
            KeyCode::Char('n') if self.search.showing() => self.search_go(Dir::Next, ctx),
            KeyCode::Char('N') if self.search.showing() => self.search_go(Dir::Prev, ctx),
            KeyCode::Char('?') => {
                self.help = true;
                self.help_scroll = 0;
            }
            KeyCode::Char('t') => {
                self.light = !self.light;
                self.theme_picked = true;
            }
            KeyCode::Char('c' | 'y') => self.effect = Some(Effect::CopyEmail),
            KeyCode::Char('m') => {
                self.mouse = !self.mouse;
                self.note = Some(if self.mouse {
                    Note::MouseOn
                } else {
                    Note::MouseOff
                });
            }
            KeyCode::Tab if k.modifiers.contains(KeyModifiers::SHIFT) => self.step_tab(-1),
            KeyCode::Right | KeyCode::Char('l') | KeyCode::Tab => self.step_tab(1),
            KeyCode::Left | KeyCode::Char('h') => self.step_tab(-1),
            KeyCode::Char(c @ '1'..='9') => {
                let i = (c as usize) - ('1' as usize);
                if i < SectionId::ALL.len() {
                    self.tab = SectionId::from_index(i);
                }
            }
            KeyCode::Down | KeyCode::Char('j') => self.scroll_by(1, ctx),
            KeyCode::Up | KeyCode::Char('k') => self.scroll_by(-1, ctx),
            KeyCode::PageDown | KeyCode::Char(' ') => self.scroll_by(page(), ctx),
            KeyCode::PageUp => self.scroll_by(-page(), ctx),
            KeyCode::Char('f') if ctrl => self.scroll_by(page(), ctx),
            KeyCode::Char('b') if ctrl => self.scroll_by(-page(), ctx),
            KeyCode::Home | KeyCode::Char('g') => self.scroll_by(i32::MIN / 2, ctx),
            KeyCode::End | KeyCode::Char('G') => self.scroll_by(i32::MAX / 2, ctx),
            _ => {}
        }
    }

    /// A key while the help overlay is open: it scrolls like the body; Esc, `?` and Enter close.
    fn help_key(&mut self, k: KeyEvent, ctx: &Ctx) {
        let page = || {
            let (shown, _) = layout::help::scroll_bounds(self.size, &ctx.resume.site, ctx.unicode);
            i32::from(shown).max(2) - 1
        };
        match k.code {
            KeyCode::Esc | KeyCode::Char('?') | KeyCode::Enter => self.help = false,
            KeyCode::Down | KeyCode::Char('j') => self.help_scroll_by(1, ctx),
            KeyCode::Up | KeyCode::Char('k') => self.help_scroll_by(-1, ctx),
            KeyCode::PageDown | KeyCode::Char(' ') => self.help_scroll_by(page(), ctx),
            KeyCode::PageUp => self.help_scroll_by(-page(), ctx),
            KeyCode::Home | KeyCode::Char('g') => self.help_scroll_by(i32::MIN / 2, ctx),
            KeyCode::End | KeyCode::Char('G') => self.help_scroll_by(i32::MAX / 2, ctx),
            _ => {}
        }
    }

    fn help_scroll_by(&mut self, delta: i32, ctx: &Ctx) {
        let (_, max) = layout::help::scroll_bounds(self.size, &ctx.resume.site, ctx.unicode);
        let next = (i64::from(self.help_scroll) + i64::from(delta)).clamp(0, i64::from(max));
        self.help_scroll = u16::try_from(next).unwrap_or(0);
    }

    fn search_go(&mut self, dir: Dir, ctx: &Ctx) {
        self.search.go(
            dir,
            search::View {
                size: self.size,
                resume: ctx.resume,
                unicode: ctx.unicode,
                body_height: ctx.geometry.get().body_height,
                max_scroll: &ctx.geometry.get().max_scroll,
                tab: &mut self.tab,
                scroll: &mut self.scroll,
            },
        );
    }

    fn step_tab(&mut self, delta: isize) {
        let n = SectionId::ALL.len() as isize;
        let i = (self.tab.index() as isize + delta).rem_euclid(n);
        self.tab = SectionId::from_index(i as usize);
    }

    fn scroll_by(&mut self, delta: i32, ctx: &Ctx) {
        let max = ctx.geometry.get().max_scroll[self.tab.index()];
        let slot = &mut self.scroll[self.tab.index()];
        let next = (i64::from(*slot) + i64::from(delta)).clamp(0, i64::from(max));
        *slot = u16::try_from(next).unwrap_or(0);
    }

    /// The current tab's scroll offset.
    pub fn offset(&self) -> u16 {
        self.scroll[self.tab.index()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn resume() -> std::sync::Arc<Resume> {
        std::sync::Arc::new(
            Resume::parse(include_str!("../../resume.toml"), Path::new("resume.toml")).unwrap(),
        )
    }

    fn press(app: &mut App, code: KeyCode, r: &std::sync::Arc<Resume>) {
        let g = layout::geometry(app.size, r, true);
        let ctx = Ctx {
            resume: r,
            unicode: true,
            geometry: &layout::LazyGeometry::known(g),
        };
        app.update(&Event::Key(KeyEvent::new(code)), &ctx);
    }

    #[test]
    fn tabs_wrap_both_ways() {
        let r = resume();
        let mut app = App::new(SectionId::About, Size::new(100, 30));
        press(&mut app, KeyCode::Left, &r);
        assert_eq!(app.tab, SectionId::Contact);
        press(&mut app, KeyCode::Right, &r);
        assert_eq!(app.tab, SectionId::About);
        press(&mut app, KeyCode::Char('3'), &r);
        assert_eq!(app.tab, SectionId::CaseStudies);
        press(&mut app, KeyCode::Char('9'), &r);
        assert_eq!(app.tab, SectionId::CaseStudies);
        let g = layout::geometry(app.size, &r, true);
        let ctx = Ctx {
            resume: &r,
            unicode: true,
            geometry: &layout::LazyGeometry::known(g),
        };
        app.update(
            &Event::Key(KeyEvent::new(KeyCode::Tab).modifiers(KeyModifiers::SHIFT)),
            &ctx,
        );
        assert_eq!(app.tab, SectionId::Experience);
    }

    #[test]
    fn scroll_is_clamped_and_kept_per_tab() {
        let r = resume();
        let mut app = App::new(SectionId::Experience, Size::new(80, 24));
        press(&mut app, KeyCode::Up, &r);
        assert_eq!(app.offset(), 0);
        press(&mut app, KeyCode::End, &r);
        let max = app.offset();
        assert!(max > 0);
        press(&mut app, KeyCode::Down, &r);
        assert_eq!(app.offset(), max);
        press(&mut app, KeyCode::Right, &r);
        assert_eq!(app.offset(), 0);
        press(&mut app, KeyCode::Left, &r);
        assert_eq!(app.offset(), max);
        press(&mut app, KeyCode::Char('g'), &r);
        assert_eq!(app.offset(), 0);
    }

    #[test]
    fn help_swallows_keys_and_quit_keys_quit() {
        let r = resume();
        let mut app = App::new(SectionId::About, Size::new(80, 24));
        press(&mut app, KeyCode::Char('?'), &r);
        assert!(app.help);
        press(&mut app, KeyCode::Right, &r);
        assert_eq!(app.tab, SectionId::About);
        press(&mut app, KeyCode::Esc, &r);
        assert!(!app.help && !app.quit);
        press(&mut app, KeyCode::Esc, &r);
        assert!(app.quit);
        let mut app = App::new(SectionId::About, Size::new(80, 24));
        let g = layout::geometry(app.size, &r, true);
        let ctx = Ctx {
            resume: &r,
            unicode: true,
            geometry: &layout::LazyGeometry::known(g),
        };
        app.update(
            &Event::Key(KeyEvent::new(KeyCode::Char('d')).modifiers(KeyModifiers::CTRL)),
            &ctx,
        );
        assert!(app.quit);
    }

    #[test]
    fn resize_keeps_scroll_in_range() {
        let r = resume();
        let mut app = App::new(SectionId::Experience, Size::new(40, 12));
        press(&mut app, KeyCode::End, &r);
        let g = layout::geometry(Size::new(200, 60), &r, true);
        let ctx = Ctx {
            resume: &r,
            unicode: true,
            geometry: &layout::LazyGeometry::known(g),
        };
        app.resize(Size::new(200, 60), &ctx);
        assert_eq!(
            app.offset(),
            layout::max_scroll(app.size, &r, true, SectionId::Experience)
        );
    }
}
