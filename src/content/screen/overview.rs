//! About on a wide screen, as an overview page of the resume: the summary and the about text at
//! a readable measure, the headline figures as a band of stat cards, the current role with its
//! achievements beside the text, the way to get in touch, and the career in one line per role.
//! Everything comes from resume.toml; nothing is added.

use super::cards::{Card, grid, side_by_side};
use super::dates::{date_width, dates};
use super::prose::{bullet, para};
use super::{Frame, Role, Row};
use crate::resume::Resume;

/// Columns between the text and what goes beside it.
const GAP: usize = 4;
/// The narrowest column beside the text that still reads (a role's achievements).
const MIN_SIDE: usize = 44;
/// Running text on the overview: a comfortable measure that leaves room beside it.
const TEXT: usize = 80;
/// The narrowest stat card in the band.
const MIN_CARD: usize = 24;

/// The overview page, when the screen is wide enough for text and a column beside it (`None`
/// otherwise: About is then the text alone).
pub fn page(r: &Resume, f: &Frame) -> Option<Vec<Vec<Row>>> {
    let n = r.projects.len().min(3);
    if !f.rail || f.width < n * MIN_CARD + (n.max(1) - 1) * 2 {
        return None;
    }
    // The current role beside the text where there is room; the text alone otherwise.
    let beside = f.width >= 40 + GAP + MIN_SIDE;
    let text_w = if beside {
        f.measure.min(TEXT).min(f.width - GAP - MIN_SIDE)
    } else {
        f.measure
    };
    let side_w = f.width.saturating_sub(GAP + text_w);
    let mut out = Vec::new();
    // The headline figures: the case studies' impact, three cards side by side.
    if n > 0 {
        let cards: Vec<Card> = r
            .projects
            .iter()
            .map(|p| {
                Card::new(move |w| {
                    let mut rows = para(&p.impact.figure, w, Role::Figure);
                    rows.extend(para(&p.impact.label, w, Role::FigureLabel));
                    rows.extend(para(&p.impact.detail, w, Role::Text));
                    rows
                })
            })
            .collect();
        out.extend(grid(&cards, f.width, n, 2, f));
    }
    // The text: the summary, the about paragraphs, the invitation and the address.
    let mut text = para(&r.basics.summary, text_w, Role::Text);
    for p in &r.about.paragraphs {
        text.push(Row::new());
        text.extend(para(p, text_w, Role::Text));
    }
    text.push(Row::new());
    text.extend(para(&r.contact.message, text_w, Role::Meta));
    text.extend(para(&r.basics.email, text_w, Role::Link));
    // Beside it: the current role and its achievements.
    let mut side = Vec::new();
    if let Some(w) = r.work.first().filter(|_| beside) {
        side.extend(para(&w.position, side_w, Role::Heading));
        let mut facts = format!("{} {} {}", w.name, f.glyphs().dot, dates(w, f));
        if let Some(d) = &w.duration {
            facts = format!("{facts} {} {d}", f.glyphs().dot);
        }
        side.extend(para(&facts, side_w, Role::Meta));
        if !w.highlights.is_empty() {
            side.push(Row::new());
            side.extend(para("Key Achievements", side_w, Role::Label));
        }
        for h in &w.highlights {
            side.extend(bullet(h, side_w, f));
        }
    }
    if beside {
        out.push(side_by_side(vec![text, side], &[text_w, side_w], GAP));
    } else {
        out.push(text);
    }
    // The career: each role's dates and duration in one column, the role and the company beside.
    if r.work.len() > 1 {
        let date_w = date_width(r, f) + 2;
        let mut career = para("Career", f.width, Role::Subheading);
        for w in &r.work {
            let mut when = vec![Row::of(Role::Meta, &dates(w, f))];
            when.extend(w.duration.as_deref().map(|d| Row::of(Role::Meta, d)));
            let mut what = para(&w.position, f.width.saturating_sub(date_w), Role::Text);
            what.push(Row::of(Role::Subheading, &w.name));
            career.extend(side_by_side(vec![when, what], &[date_w, 0], 0));
        }
        out.push(career);
    }
    Some(out)
}
