//! The font set: the embedded Noto Sans SC subset plus any fonts the operator supplies, loaded once into the
//! `fontdb::Database` that usvg renders with, and per-face advance tables used to measure lines before typesetting.
//!
//! Measuring with the very faces usvg will pick (same family query, same fallback order) is what makes the
//! line breaks in the SVG match what gets drawn: a line we measured to fit does fit.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use resvg::usvg::fontdb::{self, Database, Family, Query, Source};
use skrifa::MetadataProvider;
use skrifa::instance::{LocationRef, Size};

use crate::RenderError;

/// Family name of the embedded font, as written in its `name` table.
pub const EMBEDDED_FAMILY: &str = "Noto Sans SC";

static REGULAR: &[u8] = include_bytes!("../assets/fonts/NotoSansSC-Regular-subset.ttf");
static BOLD: &[u8] = include_bytes!("../assets/fonts/NotoSansSC-Bold-subset.ttf");

/// Drawn in place of a character no loaded font has: 〓 (geta mark) is the traditional Chinese typesetter's
/// stand-in for an unavailable character, so a reader sees that something is missing rather than a blank.
pub const MISSING_REPLACEMENT: char = '〓';

/// Advances of one face, in em, for every character its cmap maps.
#[derive(Debug)]
struct FaceMetrics {
    id: fontdb::ID,
    style: fontdb::Style,
    weight: fontdb::Weight,
    stretch: fontdb::Stretch,
    /// Basic Multilingual Plane by code point: a flat table because measuring is the hot path of typesetting.
    bmp: Vec<Option<f32>>,
    astral: HashMap<char, f32>,
}

impl FaceMetrics {
    fn advance(&self, ch: char) -> Option<f32> {
        let cp = ch as usize;
        if cp < self.bmp.len() { self.bmp[cp] } else { self.astral.get(&ch).copied() }
    }
}

/// The font database plus measurement tables; immutable once built and shared by every render.
#[derive(Debug)]
pub(crate) struct FontSet {
    db: Arc<Database>,
    /// In `db.faces()` order, which is the order usvg's default fallback walks.
    faces: Vec<FaceMetrics>,
    regular: usize,
    bold: usize,
    family: String,
}

/// The embedded-fonts-only set, built at most once per process (parsing the cmaps costs a few ms).
static EMBEDDED: OnceLock<Result<Arc<FontSet>, String>> = OnceLock::new();

impl FontSet {
    /// The set for `family` with `extra` fonts appended after the embedded ones (so the embedded SC face wins
    /// fallback for the characters it has).
    pub(crate) fn get(family: &str, extra: Vec<Vec<u8>>) -> Result<Arc<FontSet>, RenderError> {
        if extra.is_empty() && family == EMBEDDED_FAMILY {
            return EMBEDDED
                .get_or_init(|| FontSet::build(family, Vec::new()).map(Arc::new).map_err(|e| e.to_string()))
                .clone()
                .map_err(RenderError::Font);
        }
        FontSet::build(family, extra).map(Arc::new)
    }

    fn build(family: &str, extra: Vec<Vec<u8>>) -> Result<FontSet, RenderError> {
        let mut db = Database::new();
        for data in [REGULAR, BOLD] {
            db.load_font_source(Source::Binary(Arc::new(data)));
        }
        for (i, data) in extra.into_iter().enumerate() {
            if db.load_font_source(Source::Binary(Arc::new(data))).is_empty() {
                return Err(RenderError::Font(format!("extra font #{i} is not a font fontdb can read")));
            }
        }
        // usvg maps generic families through these; pointing them at the SC face keeps any stray `sans-serif`
        // or the implicit serif fallback from selecting nothing (fontdb's defaults are Arial / Times).
        db.set_sans_serif_family(family);
        db.set_serif_family(family);
        let mut faces = Vec::new();
        for info in db.faces() {
            let tables = db
                .with_face_data(info.id, advance_table)
                .flatten()
                .ok_or_else(|| RenderError::Font(format!("cannot read cmap/hmtx of {}", info.post_script_name)))?;
            faces.push(FaceMetrics {
                id: info.id,
                style: info.style,
                weight: info.weight,
                stretch: info.stretch,
                bmp: tables.0,
                astral: tables.1,
            });
        }
        let pick = |weight: u16| -> Result<usize, RenderError> {
            // The same query usvg's default font selector makes for `font-family="<family>"`.
            let query = Query {
                families: &[Family::Name(family), Family::Serif],
                weight: fontdb::Weight(weight),
                stretch: fontdb::Stretch::Normal,
                style: fontdb::Style::Normal,
            };
            let id = db.query(&query).ok_or_else(|| RenderError::Font(format!("no face for family `{family}`")))?;
            let face = db.face(id).expect("queried id exists");
            if !face.families.iter().any(|(name, _)| name == family) {
                return Err(RenderError::Font(format!("family `{family}` is not loaded")));
            }
            Ok(faces.iter().position(|f| f.id == id).expect("every face has metrics"))
        };
        let regular = pick(400)?;
        let bold = pick(700)?;
        Ok(FontSet { regular, bold, faces, db: Arc::new(db), family: family.to_string() })
    }

    pub(crate) fn db(&self) -> Arc<Database> {
        self.db.clone()
    }

    pub(crate) fn family(&self) -> &str {
        &self.family
    }

    /// Advance of `ch` in em in the face usvg will draw it with, or `None` if no face has it.
    pub(crate) fn advance(&self, ch: char, bold: bool) -> Option<f32> {
        let base = &self.faces[if bold { self.bold } else { self.regular }];
        if let Some(a) = base.advance(ch) {
            return Some(a);
        }
        // Mirrors usvg's default fallback selector: first other face, in database order, that has the
        // character and shares style, weight or stretch with the base face.
        self.faces
            .iter()
            .filter(|f| f.id != base.id)
            .filter(|f| f.style == base.style || f.weight == base.weight || f.stretch == base.stretch)
            .find_map(|f| f.advance(ch))
    }

    /// Whether `ch` can be drawn in both weights the templates use.
    pub(crate) fn has_glyph(&self, ch: char) -> bool {
        self.advance(ch, false).is_some() && self.advance(ch, true).is_some()
    }
}

type AdvanceTables = (Vec<Option<f32>>, HashMap<char, f32>);

fn advance_table(data: &[u8], index: u32) -> Option<AdvanceTables> {
    let font = skrifa::FontRef::from_index(data, index).ok()?;
    let upem = f32::from(font.metrics(Size::unscaled(), LocationRef::default()).units_per_em.max(1));
    let glyphs = font.glyph_metrics(Size::unscaled(), LocationRef::default());
    let mut bmp = vec![None; 0x1_0000];
    let mut astral = HashMap::new();
    for (cp, gid) in font.charmap().mappings() {
        let Some(ch) = char::from_u32(cp) else { continue };
        let Some(adv) = glyphs.advance_width(gid) else { continue };
        if gid.to_u32() == 0 {
            continue;
        }
        let em = adv / upem;
        if (cp as usize) < bmp.len() {
            bmp[cp as usize] = Some(em);
        } else {
            astral.insert(ch, em);
        }
    }
    Some((bmp, astral))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_set_measures_cjk_latin_and_punctuation() {
        let fonts = FontSet::get(EMBEDDED_FAMILY, Vec::new()).unwrap();
        assert_eq!(fonts.advance('补', false), Some(1.0));
        assert_eq!(fonts.advance('，', true), Some(1.0));
        let a = fonts.advance('a', false).unwrap();
        assert!(a > 0.3 && a < 0.7, "{a}");
        assert!(fonts.has_glyph(MISSING_REPLACEMENT));
        assert!(!fonts.has_glyph('😀'));
        assert!(!fonts.has_glyph('\u{20000}'));
        // Same Arc on the second call: the embedded set is built once per process.
        assert!(Arc::ptr_eq(&fonts, &FontSet::get(EMBEDDED_FAMILY, Vec::new()).unwrap()));
    }

    #[test]
    fn unknown_family_and_garbage_fonts_are_errors() {
        assert!(matches!(FontSet::get("Nope Sans", Vec::new()), Err(RenderError::Font(_))));
        assert!(matches!(FontSet::get(EMBEDDED_FAMILY, vec![b"not a font".to_vec()]), Err(RenderError::Font(_))));
    }
}
