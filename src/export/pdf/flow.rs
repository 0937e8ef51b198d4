//! The resume as typeset paragraphs: what goes where, in which style, under which structure tag.
//!
//! Reading order and words follow [`crate::content::section`], the model the plain export reads,
//! so the PDF says exactly what `ssh HOST plain` says.

use crate::content::{self, Block, SectionId};
use crate::resume::Resume;

use super::fonts::Face3;
use super::layout::{Para, Run, Style};
use super::tags::{Kind, NodeId, Tree};

const INK: (u8, u8, u8) = (0x1c, 0x1e, 0x21);
const MUTED: (u8, u8, u8) = (0x5f, 0x63, 0x68);
const ACCENT: (u8, u8, u8) = (0x1f, 0x4e, 0x79);

const BODY: f32 = 9.0;
const LEADING: f32 = 11.6;
/// Where the text of a labelled row (skills, focus lists) starts.
const LABEL_COLUMN: f32 = 132.0;
const BULLET_INDENT: f32 = 11.0;

fn st(face: Face3, size: f32, color: (u8, u8, u8)) -> Style {
    Style { face, size, color }
}

fn body() -> Style {
    st(Face3::Regular, BODY, INK)
}

/// Builds the paragraphs of the whole document and the structure nodes they belong to.
pub fn build(resume: &Resume, tree: &mut Tree) -> Vec<Para> {
    let mut out = Vec::new();
    header(resume, tree, &mut out);
    for id in SectionId::ALL {
        section(resume, id, tree, &mut out);
    }
    out
}

fn para(runs: Vec<Run>, space_before: f32) -> Para {
    Para {
        runs,
        leading: LEADING,
        space_before,
        ..Para::default()
    }
}

fn header(resume: &Resume, tree: &mut Tree, out: &mut Vec<Para>) {
    let [name, label, tagline] = content::header(resume);
    let h = tree.add(Tree::ROOT, Kind::H(1, name.clone()));
    let mut p = para(
        vec![Run::new(name, st(Face3::SemiBold, 22.0, INK), Some(h))],
        0.0,
    );
    p.leading = 26.0;
    p.keep_with_next = true;
    out.push(p);
    let n = tree.add(Tree::ROOT, Kind::P);
    let mut p = para(
        vec![Run::new(label, st(Face3::SemiBold, 11.5, ACCENT), Some(n))],
        1.0,
    );
    p.leading = 15.0;
    p.keep_with_next = true;
    out.push(p);
    let n = tree.add(Tree::ROOT, Kind::P);
    out.push(para(
        vec![Run::new(tagline, st(Face3::Regular, 9.5, MUTED), Some(n))],
        3.0,
    ));
    let n = tree.add(Tree::ROOT, Kind::P);
    let link = tree.add(n, Kind::Link);
    let email = resume.basics.email.to_string();
    let mut run = Run::new(email.clone(), st(Face3::Regular, 9.5, ACCENT), Some(link));
    run.link = Some(format!("mailto:{email}"));
    let mut p = para(vec![run], 2.0);
    p.leading = 17.0;
    p.rule_after = true;
    out.push(p);
}

fn section(resume: &Resume, id: SectionId, tree: &mut Tree, out: &mut Vec<Para>) {
    let sect = tree.add(Tree::ROOT, Kind::Sect);
    let title = id.title().to_owned();
    let h = tree.add(sect, Kind::H(2, title.clone()));
    let mut p = para(
        vec![Run::new(
            title.clone(),
            st(Face3::SemiBold, 11.5, ACCENT),
            Some(h),
        )],
        11.0,
    );
    p.leading = 19.0;
    p.keep_with_next = true;
    p.rule_after = true;
    p.outline = Some((1, title));
    out.push(p);

    let blocks = content::section(resume, id);
    let mut list: Option<NodeId> = None;
    let mut prev: Option<&Block> = None;
    let mut i = 0;
    while i < blocks.len() {
        let block = &blocks[i];
        if !matches!(block, Block::Bullet(_)) {
            list = None;
        }
        match block {
            Block::Heading(t) => {
                let h = tree.add(sect, Kind::H(3, t.clone()));
                let mut p = para(
                    vec![Run::new(t.clone(), st(Face3::SemiBold, 10.0, INK), Some(h))],
                    8.0,
                );
                p.keep_with_next = true;
                p.outline = Some((2, t.clone()));
                out.push(p);
            }
            Block::Subheading(t) => {
                let h = tree.add(sect, Kind::H(4, t.clone()));
                let label = Run::new(t.clone(), st(Face3::SemiBold, BODY, INK), Some(h));
                let space = if matches!(prev, Some(Block::Heading(_))) {
                    1.0
                } else {
                    4.0
                };
                match blocks.get(i + 1) {
                    // Run-in label: "Challenge  Design and operate ..." on one line.
                    Some(Block::Para(text))
                        if matches!(
                            id,
                            SectionId::CaseStudies | SectionId::Initiatives | SectionId::Skills
                        ) =>
                    {
                        let n = tree.add(sect, Kind::P);
                        let mut rest = Run::new(text.clone(), body(), Some(n));
                        rest.tab = Some(label_gap(&label));
                        out.push(para(vec![label, rest], space));
                        i += 1;
                    }
                    Some(Block::Keywords(items)) => {
                        let n = tree.add(sect, Kind::P);
                        let mut runs = vec![label];
                        runs.extend(keywords(items, n));
                        let mut p = para(runs, space);
                        p.indent = LABEL_COLUMN;
                        out.push(p);
                        i += 1;
                    }
                    Some(Block::Bullet(_)) if id == SectionId::About => {
                        // A focus list, shown inline after its name.
                        let l = tree.add(sect, Kind::L);
                        let mut runs = vec![label];
                        let mut first = true;
                        while let Some(Block::Bullet(item)) = blocks.get(i + 1) {
                            if !first {
                                runs.push(Run::new("·", st(Face3::Regular, BODY, MUTED), None));
                            }
                            let li = tree.add(l, Kind::LI);
                            let b = tree.add(li, Kind::LBody);
                            let mut r = Run::new(item.clone(), body(), Some(b));
                            r.whole = true;
                            if first {
                                r.tab = Some(LABEL_COLUMN);
                            }
                            runs.push(r);
                            first = false;
                            i += 1;
                        }
                        let mut p = para(runs, space);
                        p.indent = LABEL_COLUMN;
                        out.push(p);
                    }
                    Some(Block::Figure { value, label: what }) => {
                        // "Impact Delivered  99.9%  Uptime Sustained", then the detail below.
                        let n = tree.add(sect, Kind::P);
                        let mut v =
                            Run::new(value.clone(), st(Face3::SemiBold, 10.5, ACCENT), Some(n));
                        v.tab = Some(label_gap(&label));
                        let w = Run::new(what.clone(), st(Face3::SemiBold, BODY, MUTED), Some(n));
                        let mut p = para(vec![label, v, w], space);
                        p.keep_with_next = true;
                        out.push(p);
                        i += 1;
                    }
                    _ => {
                        let mut p = para(vec![label], space);
                        p.keep_with_next = true;
                        out.push(p);
                    }
                }
            }
            Block::Meta(t) => {
                let n = tree.add(sect, Kind::P);
                let mut runs = vec![Run::new(
                    t.clone(),
                    st(Face3::Regular, BODY, MUTED),
                    Some(n),
                )];
                // A company followed by its dates: one line, dates flush right.
                if let Some(Block::Meta(dates)) = blocks.get(i + 1)
                    && id == SectionId::Experience
                {
                    let mut d = Run::new(dates.clone(), st(Face3::Regular, BODY, MUTED), Some(n));
                    d.right = true;
                    runs.push(d);
                    i += 1;
                }
                let mut p = para(runs, 0.0);
                p.keep_with_next = matches!(prev, Some(Block::Heading(_)));
                out.push(p);
            }
            Block::Para(t) => {
                let n = tree.add(sect, Kind::P);
                let space = if matches!(prev, Some(Block::Para(_) | Block::Bullet(_))) {
                    5.0
                } else {
                    2.0
                };
                out.push(para(vec![Run::new(t.clone(), body(), Some(n))], space));
            }
            Block::Bullet(t) => {
                let l = *list.get_or_insert_with(|| tree.add(sect, Kind::L));
                let li = tree.add(l, Kind::LI);
                let lbl = tree.add(li, Kind::Lbl);
                let b = tree.add(li, Kind::LBody);
                let mut p = para(vec![Run::new(t.clone(), body(), Some(b))], 2.0);
                p.first_x = BULLET_INDENT;
                p.indent = BULLET_INDENT;
                p.marker = Some((
                    2.0,
                    Run::new("•", st(Face3::Regular, BODY, ACCENT), Some(lbl)),
                ));
                out.push(p);
            }
            Block::Figure { value, label } => {
                let n = tree.add(sect, Kind::P);
                let v = Run::new(value.clone(), st(Face3::SemiBold, 10.5, ACCENT), Some(n));
                let w = Run::new(label.clone(), st(Face3::SemiBold, BODY, MUTED), Some(n));
                out.push(para(vec![v, w], 2.0));
            }
            Block::Keywords(items) => {
                let n = tree.add(sect, Kind::P);
                out.push(para(keywords(items, n), 2.0));
            }
            Block::Email { lead, address } => {
                let n = tree.add(sect, Kind::P);
                let link = tree.add(n, Kind::Link);
                let mut a = Run::new(
                    address.clone(),
                    st(Face3::SemiBold, BODY, ACCENT),
                    Some(link),
                );
                a.link = Some(format!("mailto:{address}"));
                out.push(para(vec![Run::new(lead.clone(), body(), Some(n)), a], 5.0));
            }
        }
        prev = Some(block);
        i += 1;
    }
}

/// Where the text after a run-in label starts: a fixed gap after it.
fn label_gap(label: &Run) -> f32 {
    super::fonts::width(label.style.face, label.style.size, &label.text) + 7.0
}

/// Keywords as unbreakable units, "a, b, c" (the plain export's separator).
fn keywords(items: &[String], node: NodeId) -> Vec<Run> {
    let n = items.len();
    items
        .iter()
        .enumerate()
        .map(|(k, item)| {
            let text = if k + 1 < n {
                format!("{item},")
            } else {
                item.clone()
            };
            let mut r = Run::new(text, body(), Some(node));
            r.whole = true;
            if k == 0 {
                r.tab = Some(LABEL_COLUMN);
            }
            r
        })
        .collect()
}
