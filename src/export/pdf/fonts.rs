//! The shipped typeface (Inter, SIL OFL, in `assets/fonts/`): loading, shaping, measuring, coverage.
//!
//! Text is shaped once with harfrust (the maintained HarfBuzz port, reading the font through
//! skrifa's `read-fonts`, the same font stack krilla uses) and krilla is handed the positioned
//! glyphs, so line breaks computed here match what is drawn (kerning included).

use std::sync::OnceLock;

use harfrust::{Direction, ShapeOptions, ShaperData, UnicodeBuffer};
use krilla::text::{GlyphId, KrillaGlyph};
use skrifa::{FontRef, MetadataProvider};

use super::fallback;

static REGULAR: &[u8] = include_bytes!("../../../assets/fonts/Inter-Regular.otf");
static SEMIBOLD: &[u8] = include_bytes!("../../../assets/fonts/Inter-SemiBold.otf");

/// The faces the document uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Face3 {
    Regular,
    SemiBold,
}

impl Face3 {
    pub const ALL: [Face3; 2] = [Face3::Regular, Face3::SemiBold];

    pub fn data(self) -> &'static [u8] {
        match self {
            Face3::Regular => REGULAR,
            Face3::SemiBold => SEMIBOLD,
        }
    }

    /// The parsed face, parsed once per process (the data is static).
    fn font(self) -> Option<FontRef<'static>> {
        FontRef::new(self.data()).ok()
    }

    /// harfrust's cached tables for the face, built once per process.
    fn shaper_data(self) -> Option<&'static ShaperData> {
        static DATA: OnceLock<[Option<ShaperData>; 2]> = OnceLock::new();
        let data = DATA.get_or_init(|| Face3::ALL.map(|f| f.font().map(|r| ShaperData::new(&r))));
        data[self as usize].as_ref()
    }
}

/// The krilla fonts of one document.
#[derive(Clone)]
pub struct Fonts {
    regular: krilla::text::Font,
    semibold: krilla::text::Font,
}

impl Fonts {
    pub fn load() -> anyhow::Result<Fonts> {
        let load = |f: Face3| {
            krilla::text::Font::new(f.data().into(), 0)
                .ok_or_else(|| anyhow::anyhow!("the shipped font {f:?} does not parse"))
        };
        Ok(Fonts {
            regular: load(Face3::Regular)?,
            semibold: load(Face3::SemiBold)?,
        })
    }

    pub fn get(&self, f: Face3) -> krilla::text::Font {
        match f {
            Face3::Regular => self.regular.clone(),
            Face3::SemiBold => self.semibold.clone(),
        }
    }
}

/// Which font sets a piece of text: one of Inter's faces, or a fallback face (see [`fallback`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Inter(Face3),
    Extra(usize),
}

impl Key {
    pub fn krilla(self, fonts: &Fonts) -> Option<krilla::text::Font> {
        match self {
            Key::Inter(f) => Some(fonts.get(f)),
            Key::Extra(i) => fallback::face(i).map(|f| f.krilla.clone()),
        }
    }
}

/// A piece of text set in one font and one direction, in visual order among its siblings.
pub struct Piece {
    pub key: Key,
    pub text: String,
    /// Advances and offsets in ems (krilla's convention); each glyph carries the byte range of its
    /// cluster in `text`, so the PDF's text stays extractable.
    pub glyphs: Vec<KrillaGlyph>,
}

impl Piece {
    pub fn width(&self, size: f32) -> f32 {
        self.glyphs.iter().map(|g| g.x_advance).sum::<f32>() * size
    }
}

/// Shapes `text` (one line's worth) in `face`: split into directional runs (unicode-bidi, visual
/// order), each run into pieces by the first font that has their characters, each piece shaped
/// with harfrust. Pieces come back left to right as they are to be drawn.
pub fn shape(face: Face3, text: &str) -> Vec<Piece> {
    let mut pieces = Vec::new();
    let info = unicode_bidi::BidiInfo::new(text, None);
    if !info.has_rtl() {
        split(face, text, false, &mut pieces);
        return pieces;
    }
    for para in &info.paragraphs {
        let (levels, runs) = info.visual_runs(para, para.range.clone());
        for run in runs {
            let rtl = levels.get(run.start).is_some_and(|l| l.is_rtl());
            split(face, &text[run], rtl, &mut pieces);
        }
    }
    pieces
}

/// Splits one directional run by font and shapes each piece, appending them in visual order.
fn split(face: Face3, text: &str, rtl: bool, out: &mut Vec<Piece>) {
    let mut parts: Vec<(Key, std::ops::Range<usize>)> = Vec::new();
    for (i, c) in text.char_indices() {
        let key = match parts.last() {
            // Marks, joiners, selectors and spaces stay with the character before them.
            Some((k, _)) if follows(c) => *k,
            _ => font_for(face, c),
        };
        match parts.last_mut() {
            Some((k, r)) if *k == key => r.end = i + c.len_utf8(),
            _ => parts.push((key, i..i + c.len_utf8())),
        }
    }
    if rtl {
        parts.reverse();
    }
    for (key, range) in parts {
        let text = &text[range];
        let glyphs = shape_piece(key, text, rtl);
        out.push(Piece {
            key,
            text: text.to_owned(),
            glyphs,
        });
    }
}

fn follows(c: char) -> bool {
    use unicode_general_category::{GeneralCategory as G, get_general_category};
    c.is_whitespace()
        || matches!(
            get_general_category(c),
            G::NonspacingMark | G::EnclosingMark | G::SpacingMark | G::Format
        )
        || ('\u{FE00}'..='\u{FE0F}').contains(&c)
}

/// Inter's face when it has `c`, else the first fallback face that has it, else Inter (which
/// draws its .notdef; `check` reports such characters before an export).
fn font_for(face: Face3, c: char) -> Key {
    if face.font().is_some_and(|f| f.charmap().map(c).is_some()) {
        return Key::Inter(face);
    }
    fallback::lookup(c).map_or(Key::Inter(face), Key::Extra)
}

fn shape_piece(key: Key, text: &str, rtl: bool) -> Vec<KrillaGlyph> {
    let extra;
    let (font, data) = match key {
        Key::Inter(f) => match (f.font(), f.shaper_data()) {
            (Some(font), Some(data)) => (font, data),
            _ => return Vec::new(),
        },
        Key::Extra(i) => {
            extra = fallback::face(i);
            match extra
                .as_deref()
                .and_then(|f| Some((f.font()?, f.shaper_data())))
            {
                Some(pair) => pair,
                None => return Vec::new(),
            }
        }
    };
    let shaper = data.shaper(&font).build();
    let mut buf = UnicodeBuffer::new();
    buf.push_str(text);
    buf.guess_segment_properties();
    buf.set_direction(if rtl {
        Direction::RightToLeft
    } else {
        Direction::LeftToRight
    });
    let out = shaper.shape(buf, ShapeOptions::new());
    let upem = shaper.units_per_em().max(1) as f32;
    let infos = out.glyph_infos();
    // A cluster ends where the next cluster (in text order) starts, whatever the direction.
    let mut starts: Vec<usize> = infos.iter().map(|g| g.cluster as usize).collect();
    starts.sort_unstable();
    starts.dedup();
    infos
        .iter()
        .zip(out.glyph_positions())
        .map(|(info, pos)| {
            let start = info.cluster as usize;
            let end = starts
                .get(starts.partition_point(|&s| s <= start))
                .copied()
                .unwrap_or(text.len());
            KrillaGlyph::new(
                GlyphId::new(info.glyph_id),
                pos.x_advance as f32 / upem,
                pos.x_offset as f32 / upem,
                pos.y_offset as f32 / upem,
                pos.y_advance as f32 / upem,
                start..end,
                None,
            )
        })
        .collect()
}

/// Width of `text` set in `face` at `size` points.
pub fn width(face: Face3, size: f32, text: &str) -> f32 {
    shape(face, text).iter().map(|p| p.width(size)).sum()
}

/// Whether both Inter faces have `c`.
pub fn inter_covers(c: char) -> bool {
    Face3::ALL
        .iter()
        .all(|f| f.font().is_some_and(|font| font.charmap().map(c).is_some()))
}

/// Whether some font the export can use has `c` (spaces and the like count as covered).
pub fn covers(c: char) -> bool {
    inter_covers(c) || fallback::lookup(c).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inter_covers_the_punctuation_and_not_cjk() {
        for c in ['—', '·', '→', '•', '’', 'é', '%', '&'] {
            assert!(inter_covers(c), "{c}");
        }
        assert!(!inter_covers('中'));
        assert!(!inter_covers('🦀'));
    }

    #[test]
    fn widths_grow_with_text_and_size() {
        let a = width(Face3::Regular, 10.0, "Arunav");
        assert!(a > 20.0 && a < 60.0, "{a}");
        assert!(width(Face3::Regular, 20.0, "Arunav") > 1.9 * a);
        assert!(width(Face3::SemiBold, 10.0, "Arunav") > a);
    }

    #[test]
    fn glyph_clusters_cover_the_text() {
        let p = shape(Face3::Regular, "office AV");
        assert_eq!(p.len(), 1);
        let g = &p[0].glyphs;
        assert!(!g.is_empty());
        assert_eq!(g[0].text_range.start, 0);
        assert_eq!(g.last().map(|g| g.text_range.end), Some("office AV".len()));
    }

    #[test]
    fn right_to_left_runs_come_in_visual_order() {
        // Whatever font sets the Hebrew (a system font, or Inter's .notdef), the Latin run comes
        // first and the Hebrew run's glyphs run from its last character to its first.
        let text = "abc אבג דהו";
        let pieces = shape(Face3::Regular, text);
        assert_eq!(pieces[0].text, "abc ");
        let rtl: Vec<usize> = pieces[1..]
            .iter()
            .flat_map(|p| p.glyphs.iter().map(|g| g.text_range.start))
            .collect();
        assert!(rtl.len() >= 7, "{rtl:?}");
        assert!(rtl.windows(2).all(|w| w[0] >= w[1]), "{rtl:?}");
        let joined: String = pieces.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(joined.chars().count(), text.chars().count());
    }
}
