//! The About, Experience (a timeline), Skills (groups of tags) and Contact sections as blocks of
//! rows; [`super::compose`] puts one blank row between blocks.

use unicode_width::UnicodeWidthStr;

use super::cards::{Card, grid, side_by_side};
use super::dates::{date_width, dates};
use super::prose::{bullet, gutter, labelled, para, tags};
use super::{Frame, Role, Row};
use crate::resume::{ListGroup, Resume};

/// Columns between two side-by-side columns of text.
const GAP: usize = 4;

pub fn about(r: &Resume, f: &Frame) -> Vec<Vec<Row>> {
    if let Some(page) = super::overview::page(r, f) {
        return page;
    }
    let mut out = Vec::new();
    if f.tagline {
        out.push(para(&r.basics.tagline, f.measure, Role::Meta));
    }
    let mut text = para(&r.basics.summary, f.measure, Role::Text);
    for p in &r.about.paragraphs {
        text.push(Row::new());
        text.extend(para(p, f.measure, Role::Text));
    }
    // A wide screen: the case studies' figures beside the text, at a glance.
    let side = f.width.saturating_sub(f.measure + GAP).min(40);
    if f.rail && side >= 24 && !r.projects.is_empty() {
        let mut cards = Vec::new();
        for p in &r.projects {
            let card = Card::new(|w| {
                let mut rows = para(&p.impact.figure, w, Role::Figure);
                rows.extend(para(&p.impact.label, w, Role::FigureLabel));
                rows
            });
            cards.extend(card.draw(side, None, f));
        }
        out.push(side_by_side(vec![text, cards], &[f.measure, side], GAP));
    } else {
        out.push(text);
    }
    if !f.rail && !r.focus.is_empty() {
        if let Some(t) = &r.about.focus_title {
            out.push(para(t, f.measure, Role::Heading));
        }
        let lists = &r.focus;
        let col_w = f.measure.saturating_sub(GAP) / 2;
        if lists.len() == 2 && col_w >= 28 {
            let cols = lists.iter().map(|g| focus_list(g, col_w, f)).collect();
            out.push(side_by_side(cols, &[col_w, col_w], GAP));
        } else {
            out.extend(lists.iter().map(|g| focus_list(g, f.measure, f)));
        }
    }
    out
}

/// A named list: the name, then its items as bullets.
pub fn focus_list(g: &ListGroup, width: usize, f: &Frame) -> Vec<Row> {
    let mut rows = para(&g.name, width, Role::Subheading);
    for item in &g.items {
        rows.extend(bullet(item, width, f));
    }
    rows
}

/// Experience as a timeline: a node and a rule down the left, each role's dates and duration in
/// a gutter where there is room (on a line under the company otherwise), the achievements under
/// it.
pub fn experience(r: &Resume, f: &Frame) -> Vec<Vec<Row>> {
    let g = f.glyphs();
    let date_w = date_width(r, f);
    // The gutter only where the text beside it keeps a comfortable width.
    let gutter_w = (f.width >= date_w + 2 + 60).then_some(date_w + 2);
    let rail_w = g.rule.width() + 1;
    let text_w = f
        .measure
        .min(f.width.saturating_sub(gutter_w.unwrap_or(0) + rail_w))
        .max(10);
    let last = r.work.len().saturating_sub(1);
    let mut out = Vec::new();
    for (i, w) in r.work.iter().enumerate() {
        let mut body = para(&w.position, text_w, Role::Heading);
        let meta = Row::of(Role::Subheading, &w.name);
        let when = dates(w, f);
        if gutter_w.is_none() {
            // Dates and duration on the line under the company, wrapped as a whole if need be.
            let mut facts = when.clone();
            if let Some(d) = &w.duration {
                facts = format!("{facts} {} {d}", g.dot);
            }
            body.push(meta);
            body.extend(para(&facts, text_w, Role::Meta));
        } else {
            body.push(meta);
        }
        // What the role's entry says beyond the dates (an imported resume's), when it has it.
        for m in [&w.description, &w.location].into_iter().flatten() {
            body.extend(para(m, text_w, Role::Meta));
        }
        if let Some(s) = &w.summary {
            body.push(Row::new());
            body.extend(para(s, text_w, Role::Text));
        }
        if !w.highlights.is_empty() {
            body.push(Row::new());
            body.extend(para("Key Achievements", text_w, Role::Label));
        }
        for h in &w.highlights {
            body.extend(bullet(h, text_w, f));
        }
        // The rule: a node on the role's first line, a line down the rest (and on to the next
        // role through the blank row between them, except after the last).
        let mut rows = Vec::with_capacity(body.len() + 1);
        for (j, b) in body.into_iter().enumerate() {
            let mut line = Row::new();
            if let Some(gw) = gutter_w {
                let left = match j {
                    0 => Row::of(Role::Meta, &when),
                    1 => w
                        .duration
                        .as_deref()
                        .map_or_else(Row::new, |d| Row::of(Role::Meta, d)),
                    _ => Row::new(),
                };
                line.append(&left).pad_to(gw);
            }
            if j == 0 {
                line.push(Role::Node, g.node);
            } else {
                line.push(Role::Rule, g.rule);
            }
            line.push(Role::Text, " ").append(&b);
            rows.push(line);
        }
        out.extend(rows);
        if i < last {
            // The blank row between roles carries the rule on to the next node.
            let mut link = Row::new();
            link.pad_to(gutter_w.unwrap_or(0))
                .push(Role::Border, g.rule);
            out.push(link);
        }
    }
    // One block: the rule runs unbroken from the first role to the last.
    vec![out]
}

/// The column of competency cards beside the skills on a wide screen (their text a short
/// measure, as a sidebar's), and the narrowest the skills beside them may be.
const SIDE_CARDS: usize = 46;
const MIN_TAGS: usize = 76;

pub fn skills(r: &Resume, f: &Frame) -> Vec<Vec<Row>> {
    // A wide screen: the skills' tags, the competencies as a column of cards beside them.
    let side_w = SIDE_CARDS;
    let room = f.width >= MIN_TAGS + GAP + side_w;
    if f.rail && room && !r.skills.is_empty() && !r.competencies.is_empty() {
        let main_w = f.width - GAP - side_w;
        let narrow = Frame {
            width: main_w,
            measure: main_w,
            ..*f
        };
        let left: Vec<Row> = join_blocks(tag_groups(r, &narrow));
        let mut right = para("Core Competencies", side_w, Role::Heading);
        for (i, c) in r.competencies.iter().enumerate() {
            if i > 0 {
                right.push(Row::new());
            }
            let card = Card::new(|w| {
                let mut rows = para(&c.name, w, Role::Subheading);
                rows.extend(para(&c.description, w, Role::Text));
                rows
            });
            right.extend(card.draw(side_w, None, f));
        }
        return vec![side_by_side(vec![left, right], &[main_w, side_w], GAP)];
    }
    let mut out = tag_groups(r, f);
    if !r.competencies.is_empty() {
        out.push(para("Core Competencies", f.width, Role::Heading));
        let cards: Vec<Card> = r
            .competencies
            .iter()
            .map(|c| {
                Card::new(move |w| {
                    let mut rows = para(&c.name, w, Role::Subheading);
                    rows.extend(para(&c.description, w, Role::Text));
                    rows
                })
            })
            .collect();
        out.extend(card_grid(&cards, f));
    }
    out
}

/// Blocks as one column of rows, a blank row between blocks (a heading kept with its block).
pub(super) fn join_blocks(blocks: Vec<Vec<Row>>) -> Vec<Row> {
    let mut out = Vec::new();
    let mut after_heading = false;
    for b in blocks.into_iter().filter(|b| !b.is_empty()) {
        if !out.is_empty() && !after_heading {
            out.push(Row::new());
        }
        after_heading = b
            .iter()
            .all(|r| r.runs().all(|(_, role)| role == Role::Heading));
        out.extend(b);
    }
    out
}

/// The technical skills: a heading, then each group's name in a gutter and its tags beside.
fn tag_groups(r: &Resume, f: &Frame) -> Vec<Vec<Row>> {
    let mut out = Vec::new();
    if !r.skills.is_empty() {
        out.push(para("Technical Skills", f.width, Role::Heading));
        let label_w = r.skills.iter().map(|s| s.name.width()).max().unwrap_or(0);
        let gut = gutter(f.width.min(f.measure.max(90)), label_w.min(28));
        let tag_w = f
            .width
            .min(f.measure.max(90))
            .saturating_sub(gut.unwrap_or(0));
        let mut groups = Vec::new();
        for s in &r.skills {
            let items: Vec<String> = s.keywords.iter().map(|k| k.to_string()).collect();
            let label = para(&s.name, gut.map_or(f.width, |g| g - 2), Role::Subheading);
            let mut body = tags(&items, tag_w.max(10));
            if let Some(l) = &s.level {
                let level = para(l, tag_w.max(10), Role::Meta);
                body.splice(0..0, level);
            }
            if gut.is_some() && label.len() > 1 {
                // A long group name wraps in the gutter: keep its lines beside the tags.
                body.resize_with(body.len().max(label.len()), Row::new);
                let widths = [gut.unwrap_or(0), tag_w];
                groups.extend(side_by_side(vec![label, body], &widths, 0));
            } else {
                let first = label.into_iter().next().unwrap_or_default();
                groups.extend(labelled(first, body, gut));
            }
            groups.push(Row::new());
        }
        while groups.last().is_some_and(Row::is_blank) {
            groups.pop();
        }
        out.push(groups);
    }
    out
}

/// Cards in as many columns as read well at this width (one below 76 columns, three from 120).
pub fn card_grid(cards: &[Card], f: &Frame) -> Vec<Vec<Row>> {
    let cols = match f.width {
        w if w >= 120 => 3,
        w if w >= 76 => 2,
        _ => 1,
    };
    grid(cards, f.width, cols, 2, f)
}

/// Contact: the invitation, the address to write to, and the other ways to reach the owner.
/// One function, so that another part (a QR code of the address) can be added beside it.
pub fn contact(r: &Resume, f: &Frame) -> Vec<Vec<Row>> {
    let c = &r.contact;
    let b = &r.basics;
    let mut head = para(&c.heading, f.measure, Role::Heading);
    head.extend(para(&c.title, f.measure, Role::Subheading));
    // The ways to write, in one light border: the lead words, the address, the links.
    let ways_at = |w: usize| {
        let mut rows = para(&c.email_lead, w, Role::Meta);
        rows.extend(para(&b.email, w, Role::Link));
        if let Some(url) = &b.url {
            rows.extend(para(url, w, Role::Link));
        }
        for p in &b.profiles {
            let label = Row::of(Role::Label, &p.network);
            let gut = gutter(w, p.network.width().min(16));
            let url = para(&p.url, w.saturating_sub(gut.unwrap_or(0)), Role::Link);
            rows.extend(labelled(label, url, gut));
        }
        if let Some(loc) = &b.location {
            rows.extend(para(loc, w, Role::Meta));
        }
        rows
    };
    let room = f.measure.saturating_sub(4).max(1);
    let natural = ways_at(room).iter().map(Row::width).max().unwrap_or(0);
    // In a card only if the address fits inside it whole.
    let ways = if f.measure >= 24 && b.email.width() + 4 <= f.measure {
        Card::new(ways_at).draw((natural + 4).min(f.measure), None, f)
    } else {
        ways_at(f.measure)
    };
    vec![head, para(&c.message, f.measure, Role::Text), ways]
}

/// The side rail of a wide screen, `width` columns: name and title, tagline, e-mail, then the
/// focus lists. One block per part, so a short screen can leave out whole parts from the end.
pub fn rail(r: &Resume, width: usize, unicode: bool) -> Vec<Vec<Row>> {
    let ascii = if unicode {
        None
    } else {
        crate::content::ascii::dashes(r)
    };
    let r = ascii.as_ref().unwrap_or(r);
    let f = Frame {
        width,
        measure: width,
        unicode,
        rail: true,
        tagline: false,
    };
    let b = &r.basics;
    let mut who = para(&b.name, width, Role::Name);
    who.extend(para(&b.label, width, Role::Title));
    let mut out = vec![who, para(&b.tagline, width, Role::Meta)];
    out.push(para(&b.email, width, Role::Link));
    out.extend(r.focus.iter().map(|g| focus_list(g, width, &f)));
    out
}
