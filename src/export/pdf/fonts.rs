//! The shipped typeface (Inter, SIL OFL, in `assets/fonts/`): loading, shaping, measuring, coverage.
//!
//! Text is shaped once with harfrust (the maintained HarfBuzz port, reading the font through
//! skrifa's `read-fonts`, the same font stack krilla uses) and krilla is handed the positioned
//! glyphs, so line breaks computed here match what is drawn (kerning included).

use std::sync::OnceLock;

use harfrust::{Direction, ShapeOptions, ShaperData, UnicodeBuffer};
use krilla::text::{GlyphId, KrillaGlyph};
use skrifa::{FontRef, MetadataProvider};

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

/// Shapes `text` in `face`, left to right; advances and offsets are in ems (krilla's convention),
/// each glyph carrying the byte range of its cluster so the PDF's text stays extractable.
pub fn shape(face: Face3, text: &str) -> Vec<KrillaGlyph> {
    let (Some(font), Some(data)) = (face.font(), face.shaper_data()) else {
        return Vec::new();
    };
    let shaper = data.shaper(&font).build();
    let mut buf = UnicodeBuffer::new();
    buf.push_str(text);
    buf.guess_segment_properties();
    buf.set_direction(Direction::LeftToRight);
    let out = shaper.shape(buf, ShapeOptions::new());
    let upem = shaper.units_per_em().max(1) as f32;
    let infos = out.glyph_infos();
    let positions = out.glyph_positions();
    let mut glyphs = Vec::with_capacity(infos.len());
    for (i, (info, pos)) in infos.iter().zip(positions).enumerate() {
        let start = info.cluster as usize;
        // Left to right, clusters ascend: the cluster ends where the next different one starts.
        let end = infos[i..]
            .iter()
            .map(|g| g.cluster as usize)
            .find(|&c| c != start)
            .unwrap_or(text.len());
        glyphs.push(KrillaGlyph::new(
            GlyphId::new(info.glyph_id),
            pos.x_advance as f32 / upem,
            pos.x_offset as f32 / upem,
            pos.y_offset as f32 / upem,
            pos.y_advance as f32 / upem,
            start..end,
            None,
        ));
    }
    glyphs
}

/// Width of `text` set in `face` at `size` points.
pub fn width(face: Face3, size: f32, text: &str) -> f32 {
    shape(face, text).iter().map(|g| g.x_advance).sum::<f32>() * size
}

/// Whether every face has a glyph for `c` (spaces and the like count as covered).
pub fn covers(c: char) -> bool {
    Face3::ALL
        .iter()
        .all(|f| f.font().is_some_and(|font| font.charmap().map(c).is_some()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn covers_the_punctuation_and_not_cjk() {
        for c in ['—', '·', '→', '•', '’', 'é', '%', '&'] {
            assert!(covers(c), "{c}");
        }
        assert!(!covers('中'));
        assert!(!covers('🦀'));
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
        let g = shape(Face3::Regular, "office AV");
        assert!(!g.is_empty());
        assert_eq!(g[0].text_range.start, 0);
        assert_eq!(g.last().map(|g| g.text_range.end), Some("office AV".len()));
    }
}
