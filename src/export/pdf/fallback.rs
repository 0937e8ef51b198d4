//! The fonts behind Inter, picked per character: first the owner's (`--pdf-fonts` or
//! `RESUME_SSH_PDF_FONTS`, files or directories), then the system's (fontconfig's directories,
//! through fontdb).
//!
//! `RESUME_SSH_SYSTEM_FONT_DIRS`, when set, replaces the system's directories (an empty value: no
//! system fonts), so tests can stand in for a machine without, say, a CJK font.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

use harfrust::ShaperData;
use skrifa::{FontRef, MetadataProvider};

/// The environment variable naming the owner's extra PDF fonts (a path list, like `PATH`).
pub const OWNER_FONTS_ENV: &str = "RESUME_SSH_PDF_FONTS";
/// The environment variable that replaces the system's font directories (a path list).
pub const SYSTEM_DIRS_ENV: &str = "RESUME_SSH_SYSTEM_FONT_DIRS";

/// One fallback face, loaded in full once it sets a character.
pub struct Face {
    data: Arc<Vec<u8>>,
    index: u32,
    shaper: ShaperData,
    pub krilla: krilla::text::Font,
}

impl Face {
    pub fn font(&self) -> Option<FontRef<'_>> {
        FontRef::from_index(&self.data, self.index).ok()
    }
    pub fn shaper_data(&self) -> &ShaperData {
        &self.shaper
    }
}

/// The faces loaded so far, in the order they were first needed, and where each fontdb face went.
type Loaded = (Vec<Arc<Face>>, HashMap<fontdb::ID, usize>);

struct Chain {
    db: fontdb::Database,
    /// The faces to try, in order: the owner's as given, then the system's, upright, normal
    /// width and regular weight first (a paragraph in a condensed bold face would stand out), sans
    /// before serif ([`style_rank`]).
    order: Vec<fontdb::ID>,
    /// Faces loaded so far, in the order they were first needed; `Key::Extra` indexes this.
    faces: Mutex<Loaded>,
    by_char: Mutex<HashMap<char, Option<usize>>>,
}

static OWNER: OnceLock<Vec<PathBuf>> = OnceLock::new();

/// The owner's fonts (the command line's `--pdf-fonts`), tried before the system's. Takes effect
/// when called before the first character Inter lacks is looked up; without a call the
/// environment variable is read.
pub fn set_owner_fonts(paths: Vec<PathBuf>) {
    let _ = OWNER.set(paths);
}

fn chain() -> &'static Chain {
    static CHAIN: OnceLock<Chain> = OnceLock::new();
    CHAIN.get_or_init(|| {
        let mut db = fontdb::Database::new();
        let owner = OWNER.get().cloned().unwrap_or_else(|| {
            std::env::var_os(OWNER_FONTS_ENV)
                .map(|list| std::env::split_paths(&list).collect())
                .unwrap_or_default()
        });
        for path in owner.iter().filter(|p| !p.as_os_str().is_empty()) {
            if path.is_dir() {
                db.load_fonts_dir(path);
            } else if let Err(e) = db.load_font_file(path) {
                tracing::warn!("PDF fonts: cannot load {}: {e}", path.display());
            }
        }
        let owner: Vec<fontdb::ID> = db.faces().map(|f| f.id).collect();
        match std::env::var_os(SYSTEM_DIRS_ENV) {
            Some(list) => {
                for dir in std::env::split_paths(&list).filter(|p| !p.as_os_str().is_empty()) {
                    db.load_fonts_dir(dir);
                }
            }
            None => db.load_system_fonts(),
        }
        let mut system: Vec<&fontdb::FaceInfo> =
            db.faces().filter(|f| !owner.contains(&f.id)).collect();
        system.sort_by_key(|f| {
            (
                f.style != fontdb::Style::Normal,
                f.stretch != fontdb::Stretch::Normal,
                f.weight.0.abs_diff(400),
                style_rank(f),
            )
        });
        let order = owner
            .iter()
            .copied()
            .chain(system.iter().map(|f| f.id))
            .collect();
        Chain {
            db,
            order,
            faces: Mutex::new((Vec::new(), HashMap::new())),
            by_char: Mutex::new(HashMap::new()),
        }
    })
}

/// Sans faces first, like Inter: Noto Sans (what the image installs) before other sans, before
/// the rest (serif, calligraphic styles such as Nastaliq or Rashi, monospace).
fn style_rank(f: &fontdb::FaceInfo) -> u8 {
    let name = f.families.first().map_or("", |(n, _)| n.as_str());
    match () {
        _ if name.contains("Mono") => 3,
        _ if name.starts_with("Noto Sans") => 0,
        _ if name.contains("Sans") => 1,
        _ => 2,
    }
}

/// The index (for [`face`]) of the first fallback face that has `c`, if any.
pub fn lookup(c: char) -> Option<usize> {
    let chain = chain();
    if let Some(hit) = chain.by_char.lock().ok()?.get(&c) {
        return *hit;
    }
    let id = chain.order.iter().copied().find(|&id| {
        chain
            .db
            .with_face_data(id, |data, index| {
                FontRef::from_index(data, index).is_ok_and(|f| f.charmap().map(c).is_some())
            })
            .unwrap_or(false)
    });
    let hit = id.and_then(|id| load(chain, id));
    if let Ok(mut map) = chain.by_char.lock() {
        map.insert(c, hit);
    }
    hit
}

fn load(chain: &Chain, id: fontdb::ID) -> Option<usize> {
    let mut faces = chain.faces.lock().ok()?;
    if let Some(&i) = faces.1.get(&id) {
        return Some(i);
    }
    let (data, index) = chain
        .db
        .with_face_data(id, |data, index| (Arc::new(data.to_vec()), index))?;
    let shaper = ShaperData::new(&FontRef::from_index(&data, index).ok()?);
    let krilla = krilla::text::Font::new(data.clone().into(), index)?;
    let face = Arc::new(Face {
        data,
        index,
        shaper,
        krilla,
    });
    faces.0.push(face);
    let i = faces.0.len() - 1;
    faces.1.insert(id, i);
    Some(i)
}

/// The fallback face at `i` (from [`lookup`]).
pub fn face(i: usize) -> Option<Arc<Face>> {
    chain().faces.lock().ok()?.0.get(i).cloned()
}

/// The Debian package with a font for `c`'s script, for `check`'s advice.
pub fn debian_package(c: char) -> &'static str {
    use unicode_script::{Script, UnicodeScript};
    match c.script() {
        Script::Han | Script::Hiragana | Script::Katakana | Script::Hangul | Script::Bopomofo => {
            "fonts-noto-cjk"
        }
        Script::Common if (c as u32) >= 0x1F000 => "fonts-noto-color-emoji",
        _ => "fonts-noto-core",
    }
}

#[cfg(test)]
mod tests {
    use super::debian_package;

    #[test]
    fn packages_by_script() {
        assert_eq!(debian_package('山'), "fonts-noto-cjk");
        assert_eq!(debian_package('ト'), "fonts-noto-cjk");
        assert_eq!(debian_package('한'), "fonts-noto-cjk");
        assert_eq!(debian_package('ع'), "fonts-noto-core");
        assert_eq!(debian_package('ש'), "fonts-noto-core");
        assert_eq!(debian_package('🦀'), "fonts-noto-color-emoji");
    }
}
