//! The shipped typeface (Inter, SIL OFL, in `assets/fonts/`): loading, measuring and coverage.
//!
//! Text is measured with rustybuzz, the shaper krilla itself draws with, so line breaks computed
//! here match what is drawn (kerning included).

use std::sync::OnceLock;

use rustybuzz::{Face, UnicodeBuffer};

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
    fn face(self) -> Option<&'static Face<'static>> {
        static FACES: OnceLock<[Option<Face<'static>>; 2]> = OnceLock::new();
        let faces = FACES.get_or_init(|| Face3::ALL.map(|f| Face::from_slice(f.data(), 0)));
        faces[self as usize].as_ref()
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

/// Width of `text` set in `face` at `size` points.
pub fn width(face: Face3, size: f32, text: &str) -> f32 {
    let Some(f) = face.face() else {
        return 0.0;
    };
    let mut buf = UnicodeBuffer::new();
    buf.push_str(text);
    buf.guess_segment_properties();
    let out = rustybuzz::shape(f, &[], buf);
    let units: i32 = out.glyph_positions().iter().map(|p| p.x_advance).sum();
    units as f32 * size / f.units_per_em() as f32
}

/// Whether every face has a glyph for `c` (spaces and the like count as covered).
pub fn covers(c: char) -> bool {
    Face3::ALL
        .iter()
        .all(|f| f.face().is_some_and(|face| face.glyph_index(c).is_some()))
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
}
