//! The parts beyond the original six sections (education, awards, languages, …, built as blocks
//! by [`crate::content::extra`]) as rows, after a section's own: one block per entry.

use super::prose::{bullet, para, tags};
use super::{Frame, Role, Row};
use crate::content::{Block, SectionId, extra};
use crate::resume::Resume;

/// The extra parts of section `id`, in the blocks [`super::compose`] spaces out (empty when the
/// resume has none of them, so a resume without them looks as before).
pub fn blocks(resume: &Resume, id: SectionId, f: &Frame) -> Vec<Vec<Row>> {
    let mut parts = Vec::new();
    extra::append(resume, id, &mut parts);
    let w = f.measure;
    let mut out: Vec<Vec<Row>> = Vec::new();
    let mut cur: Vec<Row> = Vec::new();
    for b in parts {
        match b {
            // A heading is a block of its own (compose keeps it with what follows); an entry's
            // title starts the next block.
            Block::Heading(t) => {
                out.extend((!cur.is_empty()).then(|| std::mem::take(&mut cur)));
                out.push(para(&t, f.width, Role::Heading));
            }
            Block::Subheading(t) => {
                out.extend((!cur.is_empty()).then(|| std::mem::take(&mut cur)));
                cur.extend(para(&t, w, Role::Subheading));
            }
            Block::Meta(t) => cur.extend(para(&t, w, Role::Meta)),
            Block::Para(t) => cur.extend(para(&t, w, Role::Text)),
            Block::Bullet(t) => cur.extend(bullet(&t, w, f)),
            Block::Keywords(k) => cur.extend(tags(&k, w)),
            Block::Figure { value, label } => {
                cur.extend(para(&value, w, Role::Figure));
                cur.extend(para(&label, w, Role::FigureLabel));
            }
            Block::Email { lead, address } => {
                cur.extend(para(&lead, w, Role::Text));
                cur.extend(para(&address, w, Role::Link));
            }
        }
    }
    out.extend((!cur.is_empty()).then_some(cur));
    out
}
