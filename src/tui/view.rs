//! Renders the app into a ratatui buffer: header, tabs, scrolling body, footer, help overlay.
//!
//! A pure function of (state, size, resume, theme): no I/O, so the previous frame can always be
//! rendered again for a diff instead of being kept. The geometry helpers ([`tab_at`],
//! [`max_scroll`], [`body_height`]) use the same layout code as the renderer.

use ratatui::buffer::Buffer;
use ratatui::layout::{Alignment, Rect};
use ratatui::style::Style;
use ratatui::symbols;
use ratatui::text::{Line as TLine, Span};
use ratatui::widgets::{
    Block, Borders, Clear, Paragraph, Scrollbar, ScrollbarOrientation, ScrollbarState,
    StatefulWidget, Widget, Wrap,
};
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::{Arc, Weak};

use unicode_width::UnicodeWidthStr;

use super::app::App;
use super::theme::Theme;
use crate::content::{self, LineKind, SectionId};
use crate::resume::Resume;
use crate::terminal::Size;

/// Below this the UI asks for a bigger terminal.
pub const MIN_COLS: u16 = 40;
pub const MIN_ROWS: u16 = 12;

/// What the view needs besides the app state.
pub struct ViewCtx<'a> {
    pub resume: &'a Arc<Resume>,
    pub theme: &'a Theme,
    pub unicode: bool,
}

/// Where everything goes on a screen of a given size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Areas {
    header: Rect,
    tabs: Rect,
    body: Rect,
    footer: Rect,
}

fn too_small(size: Size) -> bool {
    size.cols < MIN_COLS || size.rows < MIN_ROWS
}

/// Lines of tagline shown under the name at this size.
fn tagline_lines(size: Size, resume: &Resume) -> Vec<String> {
    if size.rows < 16 {
        return Vec::new();
    }
    let cap = if size.rows >= 40 { 3 } else { 2 };
    let width = usize::from(size.cols.saturating_sub(2)).max(10);
    let mut lines: Vec<String> = content::wrap_text(resume.basics.tagline.as_str(), width);
    if lines.len() > cap {
        lines.truncate(cap);
        if let Some(last) = lines.last_mut() {
            // End on a whole word with an ellipsis.
            while last.width() + 1 > width {
                match last.rfind(' ') {
                    Some(i) => last.truncate(i),
                    None => break,
                }
            }
            last.push('…');
        }
    }
    lines
}

fn areas(size: Size, resume: &Resume) -> Areas {
    let header_h = 1 + tagline_lines(size, resume).len() as u16;
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
fn text_width(size: Size) -> usize {
    usize::from(size.cols.saturating_sub(4).min(MAX_MEASURE)).max(10)
}

/// Wrapped sections, shared by every session on this thread: (resume, width, unicode, tab).
/// The `Weak` keeps the resume's allocation, so its address cannot be reused by another resume
/// while the entry exists.
type WrapCache = Vec<(Weak<Resume>, usize, bool, SectionId, Rc<Vec<content::Line>>)>;

/// Entries kept per thread (a few sizes × six tabs).
const WRAP_CACHE_ENTRIES: usize = 48;

thread_local! {
    static WRAPPED: RefCell<WrapCache> = const { RefCell::new(Vec::new()) };
}

/// A tab's body text wrapped for this size, from the per-thread cache when possible.
fn body_lines(
    size: Size,
    resume: &Arc<Resume>,
    unicode: bool,
    tab: SectionId,
) -> Rc<Vec<content::Line>> {
    let width = text_width(size);
    let key = Arc::as_ptr(resume);
    WRAPPED.with(|cache| {
        let mut cache = cache.borrow_mut();
        if let Some(i) = cache.iter().position(|(r, w, u, t, _)| {
            r.as_ptr() == key && *w == width && *u == unicode && *t == tab
        }) {
            let entry = cache.remove(i);
            let lines = Rc::clone(&entry.4);
            cache.push(entry);
            return lines;
        }
        let style = if unicode {
            content::Style::TUI
        } else {
            content::Style::TUI_ASCII
        };
        let lines = Rc::new(content::wrap(&content::section(resume, tab), width, style));
        if cache.len() >= WRAP_CACHE_ENTRIES {
            cache.remove(0);
        }
        cache.push((
            Arc::downgrade(resume),
            width,
            unicode,
            tab,
            Rc::clone(&lines),
        ));
        lines
    })
}

/// The numbers input handling needs, for one size, resume and character set: computed once
/// when one of them changes, so a flood of scroll keys costs no re-wrapping.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Geometry {
    pub body_height: u16,
    pub max_scroll: [u16; SectionId::ALL.len()],
}

/// Geometry per (resume, size, unicode), shared by the sessions on this thread.
type GeometryCache = Vec<(Weak<Resume>, Size, bool, Geometry)>;

thread_local! {
    static GEOMETRY: RefCell<GeometryCache> = const { RefCell::new(Vec::new()) };
}

/// Computes [`Geometry`] (wraps every section once), or takes it from the per-thread cache.
pub fn geometry(size: Size, resume: &Arc<Resume>, unicode: bool) -> Geometry {
    let key = Arc::as_ptr(resume);
    let hit = GEOMETRY.with(|c| {
        c.borrow()
            .iter()
            .find(|(r, s, u, _)| r.as_ptr() == key && *s == size && *u == unicode)
            .map(|e| e.3)
    });
    if let Some(g) = hit {
        return g;
    }
    let body_height = body_height(size, resume);
    let mut max_scroll = [0; SectionId::ALL.len()];
    if !too_small(size) {
        for id in SectionId::ALL {
            let total = body_lines(size, resume, unicode, id).len();
            max_scroll[id.index()] =
                u16::try_from(total.saturating_sub(usize::from(body_height))).unwrap_or(u16::MAX);
        }
    }
    let g = Geometry {
        body_height,
        max_scroll,
    };
    GEOMETRY.with(|c| {
        let mut c = c.borrow_mut();
        if c.len() >= WRAP_CACHE_ENTRIES {
            c.remove(0);
        }
        c.push((Arc::downgrade(resume), size, unicode, g));
    });
    g
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
struct TabSlot {
    id: SectionId,
    x: u16,
    label: String,
}

/// Lays out the tab row: numbered labels if they fit, plain ones if not, else a window around
/// the selected tab with arrows showing that there is more.
fn tab_slots(cols: u16, selected: SectionId, unicode: bool) -> (Vec<TabSlot>, bool, bool) {
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

/// Draws the whole screen for `app` into `buf` (whose area is the client's size).
pub fn render(app: &App, ctx: &ViewCtx, buf: &mut Buffer) {
    let size = app.size;
    let t = ctx.theme;
    if too_small(size) {
        render_too_small(size, t, buf);
        return;
    }
    let a = areas(size, ctx.resume);
    render_header(a.header, size, ctx, buf);
    render_tabs(a.tabs, app.tab, ctx, buf);
    render_body(a.body, app, ctx, buf);
    render_footer(a.footer, ctx, buf);
    if app.help {
        render_help(size.rect(), ctx, buf);
    }
}

fn render_too_small(size: Size, t: &Theme, buf: &mut Buffer) {
    let msg = vec![
        TLine::styled("Terminal too small", t.heading),
        TLine::raw(format!(
            "Please enlarge it to at least {MIN_COLS}×{MIN_ROWS} (now {}×{}).",
            size.cols, size.rows
        )),
        TLine::raw("Press q to quit."),
    ];
    let h = 3.min(size.rows);
    let y = size.rows.saturating_sub(h) / 2;
    Paragraph::new(msg)
        .alignment(Alignment::Center)
        .wrap(Wrap { trim: true })
        .render(Rect::new(0, y, size.cols, size.rows - y), buf);
}

fn render_header(area: Rect, size: Size, ctx: &ViewCtx, buf: &mut Buffer) {
    let t = ctx.theme;
    let b = &ctx.resume.basics;
    let sep = if ctx.unicode { " · " } else { " - " };
    let mut lines = vec![TLine::from(vec![
        Span::styled(b.name.as_str(), t.name),
        Span::styled(sep, t.footer),
        Span::styled(b.label.as_str(), t.label),
    ])];
    for l in tagline_lines(size, ctx.resume) {
        lines.push(TLine::styled(l, t.tagline));
    }
    let width = area.width.saturating_sub(2);
    for (i, line) in lines.iter().enumerate().take(usize::from(area.height)) {
        put_line(buf, area.x + 1, area.y + i as u16, line, width);
    }
}

fn render_tabs(area: Rect, selected: SectionId, ctx: &ViewCtx, buf: &mut Buffer) {
    let t = ctx.theme;
    let (slots, more_left, more_right) = tab_slots(area.width, selected, ctx.unicode);
    let (l_arrow, r_arrow) = if ctx.unicode {
        ("‹", "›")
    } else {
        ("<", ">")
    };
    if more_left {
        buf.set_string(area.x, area.y, l_arrow, t.footer);
    }
    if more_right {
        buf.set_string(area.right().saturating_sub(1), area.y, r_arrow, t.footer);
    }
    for s in slots {
        let (style, label) = if s.id == selected {
            let label = if t.tab_brackets {
                format!("[{}]", s.label.trim())
            } else {
                s.label.clone()
            };
            (t.tab_selected, label)
        } else {
            (t.tab, s.label.clone())
        };
        buf.set_stringn(area.x + s.x, area.y, label, usize::from(area.width), style);
    }
}

fn border_set(unicode: bool) -> symbols::border::Set<'static> {
    if unicode {
        symbols::border::ROUNDED
    } else {
        symbols::border::Set {
            top_left: "+",
            top_right: "+",
            bottom_left: "+",
            bottom_right: "+",
            vertical_left: "|",
            vertical_right: "|",
            horizontal_top: "-",
            horizontal_bottom: "-",
        }
    }
}

fn render_body(area: Rect, app: &App, ctx: &ViewCtx, buf: &mut Buffer) {
    let t = ctx.theme;
    let size = app.size;
    let lines = body_lines(size, ctx.resume, ctx.unicode, app.tab);
    let height = usize::from(area.height.saturating_sub(2));
    let max = lines.len().saturating_sub(height);
    let offset = usize::from(app.offset()).min(max);
    let end = (offset + height).min(lines.len());
    let position = if lines.len() <= height {
        " All ".to_owned()
    } else {
        let dash = if ctx.unicode { "–" } else { "-" };
        format!(" {}{dash}{} of {} ", offset + 1, end, lines.len())
    };
    let inner = draw_box(
        buf,
        area,
        border_set(ctx.unicode),
        t.border,
        &TLine::styled(format!(" {} ", app.tab.title()), t.heading),
        &TLine::styled(position, t.footer),
    );
    let tw = text_width(size) as u16;
    let room = inner.width.saturating_sub(2);
    let text_area = Rect::new(
        inner.x + 1 + room.saturating_sub(tw) / 2,
        inner.y,
        tw.min(room),
        inner.height,
    );
    // Lines are already wrapped to the text width: draw them directly.
    for (i, l) in lines[offset..end].iter().enumerate() {
        let y = text_area.y + i as u16;
        if y >= text_area.bottom() {
            break;
        }
        put_line(buf, text_area.x, y, &style_line(l, t), text_area.width);
    }
    if lines.len() > height {
        let mut state = ScrollbarState::new(max + 1).position(offset);
        let bar = if ctx.unicode {
            Scrollbar::new(ScrollbarOrientation::VerticalRight).symbols(symbols::scrollbar::Set {
                track: "│",
                thumb: "█",
                begin: "▲",
                end: "▼",
            })
        } else {
            Scrollbar::new(ScrollbarOrientation::VerticalRight).symbols(symbols::scrollbar::Set {
                track: "|",
                thumb: "#",
                begin: "^",
                end: "v",
            })
        };
        bar.style(t.scrollbar).render(
            Rect::new(
                area.x,
                area.y + 1,
                area.width,
                area.height.saturating_sub(2),
            ),
            buf,
            &mut state,
        );
    }
}

/// Draws a bordered box with a title top-left and a note bottom-right (cheaper than a `Block`,
/// which this is equivalent to here); returns the area inside.
fn draw_box(
    buf: &mut Buffer,
    area: Rect,
    set: symbols::border::Set,
    style: Style,
    title: &TLine,
    note: &TLine,
) -> Rect {
    let area = area.intersection(buf.area);
    if area.width < 2 || area.height < 2 {
        return Rect::new(area.x, area.y, 0, 0);
    }
    let (l, r, top, bottom) = (area.left(), area.right() - 1, area.top(), area.bottom() - 1);
    for x in l + 1..r {
        buf[(x, top)]
            .set_symbol(set.horizontal_top)
            .set_style(style);
        buf[(x, bottom)]
            .set_symbol(set.horizontal_bottom)
            .set_style(style);
    }
    for y in top + 1..bottom {
        buf[(l, y)].set_symbol(set.vertical_left).set_style(style);
        buf[(r, y)].set_symbol(set.vertical_right).set_style(style);
    }
    buf[(l, top)].set_symbol(set.top_left).set_style(style);
    buf[(r, top)].set_symbol(set.top_right).set_style(style);
    buf[(l, bottom)]
        .set_symbol(set.bottom_left)
        .set_style(style);
    buf[(r, bottom)]
        .set_symbol(set.bottom_right)
        .set_style(style);
    let room = area.width.saturating_sub(2);
    put_line(buf, l + 1, top, title, room);
    let note_w = (note.width() as u16).min(room);
    put_line(buf, r - note_w, bottom, note, note_w);
    Rect::new(l + 1, top + 1, area.width - 2, area.height - 2)
}

/// Draws a line of spans: ASCII spans cell by cell (the common case, and much cheaper than
/// grapheme segmentation), anything else through ratatui.
fn put_line(buf: &mut Buffer, x: u16, y: u16, line: &TLine, width: u16) {
    let end = x.saturating_add(width).min(buf.area.right());
    if y >= buf.area.bottom() {
        return;
    }
    let mut cx = x;
    for span in &line.spans {
        if cx >= end {
            break;
        }
        let style = line.style.patch(span.style);
        if span.content.is_ascii() {
            for b in span.content.bytes() {
                if cx >= end {
                    break;
                }
                buf[(cx, y)].set_char(char::from(b)).set_style(style);
                cx += 1;
            }
        } else {
            let (nx, _) = buf.set_stringn(cx, y, &span.content, usize::from(end - cx), style);
            cx = nx;
        }
    }
}

fn style_line<'a>(l: &'a content::Line, t: &Theme) -> TLine<'a> {
    let text = l.text.as_str();
    match l.kind {
        LineKind::Blank => TLine::raw(""),
        LineKind::Heading => TLine::styled(text, t.heading),
        LineKind::Subheading => TLine::styled(text, t.subheading),
        LineKind::Meta => TLine::styled(text, t.meta),
        LineKind::Para | LineKind::BulletCont => TLine::styled(text, t.text),
        LineKind::Bullet => {
            let split = text.char_indices().nth(2).map_or(text.len(), |(i, _)| i);
            TLine::from(vec![
                Span::styled(&text[..split], t.bullet),
                Span::styled(&text[split..], t.text),
            ])
        }
        LineKind::Figure { split } => {
            let split = split.min(text.len());
            TLine::from(vec![
                Span::styled(&text[..split], t.figure),
                Span::styled(&text[split..], t.label),
            ])
        }
        LineKind::Keywords => TLine::styled(text, t.keyword),
        LineKind::Email { split } => {
            let split = split.min(text.len());
            TLine::from(vec![
                Span::styled(&text[..split], t.text),
                Span::styled(&text[split..], t.link),
            ])
        }
    }
}

fn render_footer(area: Rect, ctx: &ViewCtx, buf: &mut Buffer) {
    let t = ctx.theme;
    let (lr, ud) = if ctx.unicode {
        ("←→", "↑↓")
    } else {
        ("<- ->", "up/dn")
    };
    let hints: [(&str, &str); 5] = [
        (lr, "sections"),
        (ud, "scroll"),
        ("?", "help"),
        ("t", "theme"),
        ("q", "quit"),
    ];
    let right = "text version: ssh … plain";
    let right = if ctx.unicode {
        right.to_owned()
    } else {
        right.replace('…', "...")
    };
    let mut spans = vec![Span::raw(" ")];
    let mut used = 1usize;
    let avail = usize::from(area.width);
    for (k, what) in hints {
        let w = k.width() + what.width() + 3;
        if used + w > avail {
            break;
        }
        spans.push(Span::styled(k, t.key));
        spans.push(Span::styled(format!(" {what}  "), t.footer));
        used += w;
    }
    TLine::from(spans).render(area, buf);
    let rw = right.width() as u16 + 1;
    if usize::from(rw) + used < avail {
        buf.set_string(area.right() - rw, area.y, right, t.footer);
    }
}

fn render_help(screen: Rect, ctx: &ViewCtx, buf: &mut Buffer) {
    let t = ctx.theme;
    let u = ctx.unicode;
    let rows: Vec<(&str, &str)> = vec![
        (
            if u {
                "← → h l Tab"
            } else {
                "Left Right h l Tab"
            },
            "switch section",
        ),
        ("1-6", "jump to a section"),
        (if u { "↑ ↓ j k" } else { "Up Down j k" }, "scroll a line"),
        ("PgUp PgDn Space", "scroll a page"),
        ("g G Home End", "top / bottom"),
        ("mouse wheel", "scroll"),
        ("click a tab", "open it"),
        ("t", "light / dark colours"),
        ("?", "close this help"),
        ("q Esc Ctrl-C", "quit"),
    ];
    let mut lines = vec![TLine::styled("Keys", t.heading)];
    for (k, what) in rows {
        lines.push(TLine::from(vec![
            Span::styled(format!("  {k:<17}"), t.key),
            Span::styled(what, t.text),
        ]));
    }
    lines.push(TLine::raw(""));
    lines.push(TLine::styled("Without the full-screen view", t.heading));
    for (cmd, what) in [
        (
            "plain",
            "the whole resume as text, for screen readers and pipes",
        ),
        ("json", "JSON Resume"),
        ("vcard", "a contact card"),
        ("md", "Markdown"),
        ("pdf", "a PDF to save: ssh … pdf > resume.pdf"),
        ("help", "every command"),
    ] {
        lines.push(TLine::from(vec![
            Span::styled(format!("  ssh … {cmd:<7}"), t.key),
            Span::styled(what, t.text),
        ]));
    }
    if !u {
        for l in &mut lines {
            for s in &mut l.spans {
                if s.content.contains('…') {
                    s.content = s.content.replace('…', "...").into();
                }
            }
        }
    }
    let w = screen.width.saturating_sub(4).min(72);
    let h = screen.height.saturating_sub(2).min(lines.len() as u16 + 2);
    let area = Rect::new(
        screen.x + (screen.width - w) / 2,
        screen.y + (screen.height - h) / 2,
        w,
        h,
    );
    Clear.render(area, buf);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_set(border_set(u))
        .border_style(t.heading)
        .title(TLine::styled(" Help ", t.heading));
    Paragraph::new(lines)
        .block(block)
        .wrap(Wrap { trim: false })
        .style(Style::new())
        .render(area, buf);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resume::ThemeConfig;
    use crate::tui::theme::{Capabilities, ColorDepth};
    use std::path::Path;

    fn resume() -> std::sync::Arc<Resume> {
        std::sync::Arc::new(
            Resume::parse(include_str!("../../resume.toml"), Path::new("resume.toml")).unwrap(),
        )
    }

    fn draw(app: &App, r: &std::sync::Arc<Resume>, unicode: bool) -> String {
        let caps = Capabilities {
            depth: ColorDepth::Ansi256,
            unicode,
        };
        let theme = Theme::new(caps, false, &ThemeConfig::default());
        let ctx = ViewCtx {
            resume: r,
            theme: &theme,
            unicode,
        };
        let mut buf = Buffer::empty(app.size.rect());
        render(app, &ctx, &mut buf);
        let mut s = String::new();
        for y in 0..app.size.rows {
            let mut line = String::new();
            for x in 0..app.size.cols {
                line.push_str(buf[(x, y)].symbol());
            }
            s.push_str(line.trim_end());
            s.push('\n');
        }
        s
    }

    #[test]
    fn first_screen_at_80x24() {
        let r = resume();
        let app = App::new(SectionId::About, Size::new(80, 24));
        let s = draw(&app, &r, true);
        assert!(
            s.starts_with(" Arunav Malhotra · Backend Platform Engineer\n"),
            "{s}"
        );
        assert!(s.contains("1 About"));
        assert!(s.contains("6 Contact"));
        assert!(s.contains("6+ years architecting backend platforms"));
        assert!(s.contains("? help"));
        assert!(s.contains(" of "), "position indicator: {s}");
    }

    #[test]
    fn through_ratatui_test_backend_at_120x40() {
        use ratatui::Terminal;
        use ratatui::backend::TestBackend;
        let r = resume();
        let caps = Capabilities {
            depth: ColorDepth::TrueColor,
            unicode: true,
        };
        let theme = Theme::new(caps, false, &ThemeConfig::default());
        let ctx = ViewCtx {
            resume: &r,
            theme: &theme,
            unicode: true,
        };
        for (w, h, tab, expect) in [
            (
                80,
                24,
                SectionId::CaseStudies,
                "Distributed Contact Management at Scale",
            ),
            (120, 40, SectionId::Contact, "arunavmalhotra1998@gmail.com"),
        ] {
            let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
            let app = App::new(tab, Size::new(w, h));
            term.draw(|f| render(&app, &ctx, f.buffer_mut())).unwrap();
            let text: String = term
                .backend()
                .buffer()
                .content()
                .iter()
                .map(|c| c.symbol())
                .collect();
            assert!(text.contains(expect), "{w}x{h}: {expect}");
            assert!(text.contains("Arunav Malhotra"));
        }
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

    #[test]
    fn every_size_renders_without_panic() {
        let r = resume();
        for cols in (1..=300).step_by(7).chain([1, 39, 40, 80, 300]) {
            for rows in (1..=100).step_by(5).chain([1, 11, 12, 24, 100]) {
                for help in [false, true] {
                    let mut app = App::new(SectionId::Experience, Size::new(cols, rows));
                    app.help = help;
                    app.scroll[1] = u16::MAX;
                    draw(&app, &r, cols % 2 == 0);
                }
            }
        }
    }

    #[test]
    fn too_small_screen_says_so() {
        let r = resume();
        let app = App::new(SectionId::About, Size::new(30, 8));
        let s = draw(&app, &r, true);
        assert!(s.contains("Terminal too small"), "{s}");
        assert!(s.contains("q to quit"));
    }

    #[test]
    fn ascii_mode_has_no_box_drawing() {
        let r = resume();
        let mut app = App::new(SectionId::Experience, Size::new(80, 24));
        for help in [false, true] {
            app.help = help;
            let s = draw(&app, &r, false);
            assert!(
                s.is_ascii()
                    || !s
                        .chars()
                        .any(|c| ('\u{2500}'..='\u{259f}').contains(&c) || c == '•'),
                "{s}"
            );
        }
    }
}
