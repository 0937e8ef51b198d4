//! The Case Studies (labelled Challenge and Solution, the impact as a stat card; a band of the
//! three cards on wide screens) and the Initiatives (cards, a grid where wide) as blocks of rows.

use unicode_width::UnicodeWidthStr;

use super::cards::{Card, grid, join, side_by_side};
use super::prose::{gutter, labelled, para};
use super::sections::card_grid;
use super::{Frame, Role, Row};
use crate::resume::{CaseStudy, Resume};

/// The narrowest stat card that still reads (figure, label, a few words of impact).
const MIN_CARD: usize = 26;
/// Columns between two columns of text.
const GAP: usize = 4;

pub fn case_studies(r: &Resume, f: &Frame) -> Vec<Vec<Row>> {
    if let Some(wide) = cards_beside(r, f) {
        return wide;
    }
    let mut out = Vec::new();
    let n = r.projects.len();
    // Wide screens: every figure in one band at the top, three side by side.
    let band = f.rail && n > 1 && f.width >= n.min(3) * (MIN_CARD + 2);
    if band {
        let projects = &r.projects;
        let cards: Vec<Card> = projects
            .iter()
            .map(|p| {
                Card::new(move |w| {
                    // The case's name on top, padded so that every figure is on one line.
                    let names = projects.iter().map(|q| para(&q.name, w, Role::Meta).len());
                    let mut rows = para(&p.name, w, Role::Meta);
                    rows.resize_with(names.max().unwrap_or(0), Row::new);
                    rows.push(Row::new());
                    rows.extend(stat(p, w));
                    rows.extend(para(&p.impact.detail, w, Role::Text));
                    rows
                })
            })
            .collect();
        let g = grid(&cards, f.width, n.min(3), 2, f);
        out.extend(g);
    }
    let g = f.glyphs();
    let gut = gutter(f.measure, "CHALLENGE".len());
    let text_w = f.measure.saturating_sub(gut.unwrap_or(0)).max(10);
    // Very wide: the challenge and the solution side by side, each at a readable measure.
    let half = f.width.saturating_sub(GAP) / 2;
    let two_cols = f.rail && half >= 60;
    let rule_w = if two_cols { f.width } else { f.measure };
    for (i, p) in r.projects.iter().enumerate() {
        if i > 0 || band {
            out.push(vec![Row::of(Role::Border, &g.horizontal.repeat(rule_w))]);
        }
        out.push(para(&p.name, f.measure, Role::Heading));
        let parts = [("CHALLENGE", &p.challenge), ("SOLUTION", &p.solution)];
        if two_cols {
            let half = half.min(f.measure);
            let cols = parts
                .iter()
                .map(|(label, text)| {
                    let mut rows = vec![Row::of(Role::Label, label)];
                    rows.extend(para(text, half, Role::Text));
                    rows
                })
                .collect();
            out.push(side_by_side(cols, &[half, half], GAP));
            continue;
        }
        for (label, text) in parts {
            out.push(labelled(
                Row::of(Role::Label, label),
                para(text, text_w, Role::Text),
                gut,
            ));
        }
        if !band {
            out.push(impact(p, f));
        }
    }
    out
}

/// Running text beside a figure card keeps at least this measure.
const MIN_TEXT: usize = 64;
/// The narrowest figure card beside the text, and the widest.
const SIDE_CARD: (usize, usize) = (30, 72);
/// The measure of the text beside a figure card (a little under the section's, so that the
/// card has room).
const BESIDE_TEXT: usize = 84;

/// A wide screen: each case study's challenge and solution at a readable measure, its figure
/// card (figure, label, impact) beside them; `None` where there is no room for both.
fn cards_beside(r: &Resume, f: &Frame) -> Option<Vec<Vec<Row>>> {
    let text_w = f
        .measure
        .min(BESIDE_TEXT)
        .min(f.width.saturating_sub(GAP + SIDE_CARD.0));
    if !f.rail || text_w < MIN_TEXT {
        return None;
    }
    let card_w = (f.width - GAP - text_w).min(SIDE_CARD.1);
    let g = f.glyphs();
    let mut out = Vec::new();
    for (i, p) in r.projects.iter().enumerate() {
        if i > 0 {
            out.push(vec![Row::of(
                Role::Border,
                &g.horizontal.repeat(text_w + GAP + card_w),
            )]);
        }
        out.push(para(&p.name, text_w, Role::Heading));
        let mut text = Vec::new();
        for (j, (label, body)) in [("CHALLENGE", &p.challenge), ("SOLUTION", &p.solution)]
            .into_iter()
            .enumerate()
        {
            if j > 0 {
                text.push(Row::new());
            }
            text.push(Row::of(Role::Label, label));
            text.extend(para(body, text_w, Role::Text));
        }
        let card = Card::new(|w| {
            let mut rows = stat(p, w);
            rows.push(Row::new());
            rows.extend(para(&p.impact.detail, w, Role::Text));
            rows
        })
        .draw(card_w, None, f);
        out.push(side_by_side(vec![text, card], &[text_w, card_w], GAP));
    }
    Some(out)
}

/// The figure (bold, accent) and its label under it, wrapped to `w`.
fn stat(p: &CaseStudy, w: usize) -> Vec<Row> {
    let mut rows = para(&p.impact.figure, w, Role::Figure);
    rows.extend(para(&p.impact.label, w, Role::FigureLabel));
    rows
}

/// One case study's impact: its stat card with the impact line beside it, or (narrow) the line
/// inside the card under the figure.
fn impact(p: &CaseStudy, f: &Frame) -> Vec<Row> {
    let card_w = (p.impact.figure.width().max(p.impact.label.width()) + 4).max(20);
    let beside = f.measure.saturating_sub(card_w + 2);
    if beside >= 30 && card_w <= f.measure / 2 {
        let card = Card::new(|w| stat(p, w)).draw(card_w, None, f);
        // The impact line starts on the figure's row, inside the card's height.
        let mut detail = vec![Row::new()];
        detail.extend(para(&p.impact.detail, beside, Role::Text));
        join(card, detail, card_w, 2)
    } else {
        let w = f.measure.min(f.width);
        Card::new(|w| {
            let mut rows = stat(p, w);
            rows.push(Row::new());
            rows.extend(para(&p.impact.detail, w, Role::Text));
            rows
        })
        .draw(w, None, f)
    }
}

pub fn initiatives(r: &Resume, f: &Frame) -> Vec<Vec<Row>> {
    if f.width < 40 {
        // Too narrow for borders: name and description, one block each.
        return r
            .initiatives
            .iter()
            .map(|i| {
                let mut rows = para(&i.name, f.width, Role::Subheading);
                rows.extend(para(&i.description, f.width, Role::Text));
                rows
            })
            .collect();
    }
    let cards: Vec<Card> = r
        .initiatives
        .iter()
        .map(|i| {
            Card::new(move |w| {
                let mut rows = para(&i.name, w, Role::Subheading);
                rows.extend(para(&i.description, w, Role::Text));
                rows
            })
        })
        .collect();
    card_grid(&cards, f)
}
