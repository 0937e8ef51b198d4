//! Typesetting: paragraphs of styled runs broken into lines (at spaces only: no hyphenation),
//! and lines placed on pages, keeping headings with what follows and avoiding one-line orphans.

use super::fonts::{self, Face3};
use super::tags::NodeId;

/// How a run of text looks.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Style {
    pub face: Face3,
    pub size: f32,
    pub color: (u8, u8, u8),
}

/// Text in one style, belonging to one structure node (`None`: a decorative artifact).
#[derive(Debug, Clone)]
pub struct Run {
    pub text: String,
    pub style: Style,
    pub node: Option<NodeId>,
    /// A `mailto:`/`https:` target: the run becomes a link annotation.
    pub link: Option<String>,
    /// Set as one unbreakable unit (a keyword, a list item shown inline).
    pub whole: bool,
    /// Start this run at least at this x (a label column), else after a normal space.
    pub tab: Option<f32>,
    /// Put this run at the right edge of the line (dates beside a company).
    pub right: bool,
}

impl Run {
    pub fn new(text: impl Into<String>, style: Style, node: Option<NodeId>) -> Run {
        Run {
            text: text.into(),
            style,
            node,
            link: None,
            whole: false,
            tab: None,
            right: false,
        }
    }
}

/// A paragraph: runs flowed into lines of `width` points.
#[derive(Debug, Clone, Default)]
pub struct Para {
    pub runs: Vec<Run>,
    /// x of the first line and of the following ones, from the left margin.
    pub first_x: f32,
    pub indent: f32,
    /// Distance between baselines.
    pub leading: f32,
    pub space_before: f32,
    /// Never the last thing on a page (headings).
    pub keep_with_next: bool,
    /// A bookmark to this paragraph: (level, title).
    pub outline: Option<(u8, String)>,
    /// A hairline under the paragraph's last line.
    pub rule_after: bool,
    /// A marker (bullet) drawn at this x on the first line.
    pub marker: Option<(f32, Run)>,
}

/// A piece of one line in one style.
#[derive(Debug, Clone)]
pub struct Seg {
    pub x: f32,
    pub width: f32,
    pub text: String,
    pub style: Style,
    pub node: Option<NodeId>,
    pub link: Option<String>,
}

/// One line of a page.
#[derive(Debug, Clone, Default)]
pub struct Line {
    pub segs: Vec<Seg>,
    pub advance: f32,
    pub space_before: f32,
    pub keep_with_next: bool,
    pub outline: Option<(u8, String)>,
    pub rule_after: bool,
    /// Largest font size on the line (places the baseline).
    pub size: f32,
}

/// Breaks a paragraph into lines no wider than `width`.
pub fn break_para(p: &Para, width: f32) -> Vec<Line> {
    let mut lines: Vec<Line> = Vec::new();
    let mut cur = Line::default();
    let mut x = p.first_x;
    // No word on the current line yet (a marker does not count).
    let mut fresh = true;
    let new_line = |lines: &mut Vec<Line>, cur: &mut Line, x: &mut f32, fresh: &mut bool| {
        lines.push(std::mem::take(cur));
        *x = p.indent;
        *fresh = true;
    };
    if let Some((mx, run)) = &p.marker {
        cur.segs.push(seg(*mx, run, run.text.clone()));
    }
    for run in &p.runs {
        let space = fonts::width(run.style.face, run.style.size, " ");
        let words: Vec<String> = if run.whole {
            vec![run.text.clone()]
        } else {
            run.text
                .split(' ')
                .filter(|w| !w.is_empty())
                .map(str::to_owned)
                .collect()
        };
        if run.right {
            let w = fonts::width(run.style.face, run.style.size, &run.text);
            let used = cur.segs.last().map_or(x, |s| s.x + s.width) + 2.0 * space;
            if used + w > width && !fresh {
                new_line(&mut lines, &mut cur, &mut x, &mut fresh);
            }
            let mut s = seg(width - w, run, run.text.clone());
            s.width = w;
            cur.segs.push(s);
            continue;
        }
        let mut first_word = true;
        for word in words {
            let w = fonts::width(run.style.face, run.style.size, &word);
            let mut start = if fresh { x } else { x + space };
            if first_word && let Some(t) = run.tab {
                start = start.max(t);
            }
            if start + w > width && !fresh {
                new_line(&mut lines, &mut cur, &mut x, &mut fresh);
                start = x;
            }
            // Continue the run's last segment on this line, or start a new one.
            let same = !first_word
                && cur
                    .segs
                    .last()
                    .is_some_and(|s| s.node == run.node && s.style == run.style);
            if same && let Some(s) = cur.segs.last_mut() {
                s.text.push(' ');
                s.text.push_str(&word);
                s.width = start + w - s.x;
            } else {
                let mut s = seg(start, run, word);
                s.width = w;
                cur.segs.push(s);
            }
            x = start + w;
            first_word = false;
            fresh = false;
        }
    }
    if !cur.segs.is_empty() {
        lines.push(cur);
    }
    // A decorative separator (an artifact) never ends a line.
    for l in &mut lines {
        while l.segs.len() > 1 && l.segs.last().is_some_and(|s| s.node.is_none()) {
            l.segs.pop();
        }
    }
    let n = lines.len();
    for (i, l) in lines.iter_mut().enumerate() {
        l.size = l.segs.iter().map(|s| s.style.size).fold(0.0, f32::max);
        l.advance = p.leading.max(l.size * 1.2);
        // Headings stay with the next line; a paragraph keeps two lines together at each end.
        l.keep_with_next =
            p.keep_with_next || (n > 2 && (i == 0 || i + 2 == n)) || (n == 2 && i == 0);
    }
    if let Some(first) = lines.first_mut() {
        first.space_before = p.space_before;
        first.outline = p.outline.clone();
    }
    if let Some(last) = lines.last_mut() {
        last.rule_after = p.rule_after;
    }
    lines
}

fn seg(x: f32, run: &Run, text: String) -> Seg {
    Seg {
        x,
        width: 0.0,
        text,
        style: run.style,
        node: run.node,
        link: run.link.clone(),
    }
}

/// A line placed on a page: `y` is the top of the line box, from the top of the body area.
#[derive(Debug, Clone)]
pub struct Placed {
    pub line: Line,
    pub y: f32,
}

/// Places lines on pages of body height `height`. A chain of kept-together lines moves to the
/// next page whole when it does not fit (unless it is taller than a page).
pub fn paginate(lines: Vec<Line>, height: f32) -> Vec<Vec<Placed>> {
    let mut pages: Vec<Vec<Placed>> = vec![Vec::new()];
    let mut y = 0.0f32;
    for i in 0..lines.len() {
        let on_top = pages.last().is_none_or(|p| p.is_empty());
        let space = if on_top { 0.0 } else { lines[i].space_before };
        // Height of this line and the lines it must stay with.
        let mut need = space + lines[i].advance;
        let mut j = i;
        while lines[j].keep_with_next && j + 1 < lines.len() {
            j += 1;
            need += lines[j].space_before + lines[j].advance;
        }
        let alone = space + lines[i].advance;
        if !on_top && ((y + need > height && need <= height) || y + alone > height) {
            pages.push(Vec::new());
            y = 0.0;
        } else {
            y += space;
        }
        let line = lines[i].clone();
        let adv = line.advance;
        if let Some(p) = pages.last_mut() {
            p.push(Placed { line, y });
        }
        y += adv;
    }
    pages
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(advance: f32, keep: bool) -> Line {
        Line {
            advance,
            keep_with_next: keep,
            ..Line::default()
        }
    }

    #[test]
    fn a_heading_never_ends_a_page() {
        // Eight lines of 10 fill a page of 85; a heading at the foot moves over with its text.
        let mut lines: Vec<Line> = (0..7).map(|_| line(10.0, false)).collect();
        lines.push(line(10.0, true));
        lines.push(line(10.0, false));
        let pages = paginate(lines, 85.0);
        assert_eq!(pages.len(), 2);
        assert_eq!(pages[0].len(), 7);
        assert!(pages[1][0].line.keep_with_next);
        assert_eq!(pages[1][0].y, 0.0);
    }

    #[test]
    fn breaks_only_at_spaces_within_the_width() {
        let style = Style {
            face: Face3::Regular,
            size: 9.0,
            color: (0, 0, 0),
        };
        let text = "sub-millisecond query latency across 10K+ concurrent users enabling real-time";
        let p = Para {
            runs: vec![Run::new(text, style, None)],
            leading: 12.0,
            ..Para::default()
        };
        let lines = break_para(&p, 120.0);
        assert!(lines.len() > 2);
        let mut words = Vec::new();
        for l in &lines {
            for s in &l.segs {
                assert!(s.x + s.width <= 120.0 + 0.01, "{s:?}");
                words.extend(s.text.split(' ').map(str::to_owned));
            }
        }
        // Every word whole and in order: nothing hyphenated or split.
        assert_eq!(words.join(" "), text);
        // Widow/orphan control: the first line and the next-to-last hold on to the next one.
        assert!(lines[0].keep_with_next && lines[lines.len() - 2].keep_with_next);
    }
}
