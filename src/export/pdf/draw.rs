//! Drawing laid-out pages with krilla: tagged text, link annotations, rules, footers, outline.

use krilla::Document;
use krilla::action::{Action, LinkAction};
use krilla::annotation::{Annotation, LinkAnnotation, Target};
use krilla::color::rgb;
use krilla::destination::XyzDestination;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::num::NormalizedF32;
use krilla::outline::{Outline, OutlineNode};
use krilla::page::PageSettings;
use krilla::paint::Fill;
use krilla::surface::Surface;
use krilla::tagging::{Artifact, ArtifactType, ContentTag, SpanTag};

use super::fonts::{self, Face3, Fonts};
use super::layout::{Placed, Seg, Style};
use super::tags::{NodeId, Tree};

/// Page size and margins, in points.
#[derive(Debug, Clone, Copy)]
pub struct Geometry {
    pub width: f32,
    pub height: f32,
    pub margin_x: f32,
    pub top: f32,
    pub bottom: f32,
}

impl Geometry {
    pub fn body_width(&self) -> f32 {
        self.width - 2.0 * self.margin_x
    }
    pub fn body_height(&self) -> f32 {
        self.height - self.top - self.bottom
    }
}

const RULE: (u8, u8, u8) = (0xd5, 0xd9, 0xde);
const FOOTER: (u8, u8, u8) = (0x7a, 0x7f, 0x86);

/// Draws every page into `doc`, recording content in `tree` and bookmarks in the outline.
pub fn pages(
    doc: &mut Document,
    fonts: &Fonts,
    geo: Geometry,
    pages: &[Vec<Placed>],
    tree: &mut Tree,
    footer_name: &str,
) -> anyhow::Result<()> {
    let mut outline: Vec<(OutlineNode, Vec<OutlineNode>)> = Vec::new();
    let total = pages.len();
    for (index, lines) in pages.iter().enumerate() {
        let settings = PageSettings::from_wh(geo.width, geo.height)
            .ok_or_else(|| anyhow::anyhow!("bad page size"))?;
        let mut page = doc.start_page_with(settings);
        let mut links: Vec<(Rect, String, Option<NodeId>)> = Vec::new();
        let mut surface = page.surface();
        for placed in lines {
            let line = &placed.line;
            let top = geo.top + placed.y;
            // The baseline sits where a body line's would, whatever the line box's height.
            let baseline = top + line.size.max(9.0) * 1.05;
            if let Some((level, title)) = &line.outline {
                let dest = XyzDestination::new(index, Point::from_xy(geo.margin_x, top - 4.0));
                let node = OutlineNode::new(title.clone(), dest);
                match (level, outline.last_mut()) {
                    (2, Some((_, kids))) => kids.push(node),
                    _ => outline.push((node, Vec::new())),
                }
            }
            for seg in &line.segs {
                let x = geo.margin_x + seg.x;
                text(&mut surface, fonts, tree, seg, x, baseline);
                if let Some(uri) = &seg.link
                    && let Some(r) = Rect::from_xywh(
                        x,
                        baseline - seg.style.size,
                        seg.width,
                        seg.style.size * 1.3,
                    )
                {
                    links.push((r, uri.clone(), seg.node));
                }
            }
            if line.rule_after {
                let y = top + line.advance - 2.5;
                rule(&mut surface, geo.margin_x, y, geo.body_width());
            }
        }
        footer(&mut surface, fonts, geo, footer_name, index + 1, total);
        surface.finish();
        for (rect, uri, node) in links {
            let alt = uri.trim_start_matches("mailto:").to_owned();
            let target = Target::Action(Action::Link(LinkAction::new(uri)));
            let annot = Annotation::new_link(LinkAnnotation::new(rect, target), Some(alt));
            let id = page.add_tagged_annotation(annot);
            if let Some(n) = node {
                tree.leaf(n, id);
            }
        }
        page.finish();
    }
    let mut o = Outline::new();
    for (mut node, kids) in outline {
        for k in kids {
            node.push_child(k);
        }
        o.push_child(node);
    }
    doc.set_outline(o);
    Ok(())
}

fn fill(surface: &mut Surface, (r, g, b): (u8, u8, u8)) {
    surface.set_fill(Some(Fill {
        paint: rgb::Color::new(r, g, b).into(),
        opacity: NormalizedF32::ONE,
        rule: Default::default(),
    }));
}

fn text(surface: &mut Surface, fonts: &Fonts, tree: &mut Tree, seg: &Seg, x: f32, baseline: f32) {
    let tag = match seg.node {
        Some(_) => ContentTag::Span(SpanTag::empty()),
        None => ContentTag::Artifact(Artifact::with_kind(ArtifactType::Layout)),
    };
    let id = surface.start_tagged(tag);
    draw_str(surface, fonts, seg.style, &seg.text, x, baseline);
    surface.end_tagged();
    if let Some(n) = seg.node {
        tree.leaf(n, id);
    }
}

fn draw_str(surface: &mut Surface, fonts: &Fonts, style: Style, s: &str, x: f32, baseline: f32) {
    fill(surface, style.color);
    let mut x = x;
    for piece in fonts::shape(style.face, s) {
        if let Some(font) = piece.key.krilla(fonts) {
            surface.draw_glyphs(
                Point::from_xy(x, baseline),
                &piece.glyphs,
                font,
                &piece.text,
                style.size,
                false,
            );
        }
        x += piece.width(style.size);
    }
}

fn rule(surface: &mut Surface, x: f32, y: f32, w: f32) {
    let mut pb = PathBuilder::new();
    if let Some(r) = Rect::from_xywh(x, y, w, 0.6) {
        pb.push_rect(r);
    }
    if let Some(path) = pb.finish() {
        surface.start_tagged(ContentTag::Artifact(Artifact::with_kind(
            ArtifactType::Layout,
        )));
        fill(surface, RULE);
        surface.draw_path(&path);
        surface.end_tagged();
    }
}

/// "Name" on the left and "Page n of N" on the right, as pagination artifacts.
fn footer(surface: &mut Surface, fonts: &Fonts, geo: Geometry, name: &str, n: usize, total: usize) {
    let y = geo.height - geo.bottom + 21.0;
    let style = Style {
        face: Face3::Regular,
        size: 7.5,
        color: FOOTER,
    };
    let right = format!("Page {n} of {total}");
    let w = fonts::width(style.face, style.size, &right);
    surface.start_tagged(ContentTag::Artifact(Artifact::with_kind(
        ArtifactType::PageNumber,
    )));
    draw_str(surface, fonts, style, name, geo.margin_x, y);
    draw_str(
        surface,
        fonts,
        style,
        &right,
        geo.width - geo.margin_x - w,
        y,
    );
    surface.end_tagged();
}
