//! The bundled fonts (Noto Sans, OFL): parsed once, measured for word wrap, and checked for
//! coverage so that no character silently vanishes from a printed page.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use printpdf::ParsedFont;
use unicode_normalization::UnicodeNormalization;

use crate::HandoutError;

const REGULAR: &[u8] = include_bytes!("../../../data/fonts/NotoSans-Regular.ttf");
const BOLD: &[u8] = include_bytes!("../../../data/fonts/NotoSans-Bold.ttf");

/// Shown in place of a character no bundled font can draw; it is in both fonts.
pub const PLACEHOLDER: char = '?';

pub struct Fonts {
    pub regular: ParsedFont,
    pub bold: ParsedFont,
}

/// The fonts, parsed on first use.
pub fn fonts() -> Result<&'static Fonts, HandoutError> {
    static FONTS: OnceLock<Option<Fonts>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            let parse = |bytes| ParsedFont::from_bytes(bytes, 0, &mut Vec::new());
            Some(Fonts {
                regular: parse(REGULAR)?,
                bold: parse(BOLD)?,
            })
        })
        .as_ref()
        .ok_or(HandoutError::Font)
}

impl Fonts {
    pub fn face(&self, bold: bool) -> &ParsedFont {
        if bold {
            &self.bold
        } else {
            &self.regular
        }
    }

    /// Width of `text` in points at `size`.
    pub fn width(&self, text: &str, size: f32, bold: bool) -> f32 {
        let face = self.face(bold);
        let units_per_em = f32::from(face.font_metrics.units_per_em.max(1));
        let advance: u32 = text
            .chars()
            .map(|c| {
                face.lookup_glyph_index(u32::from(c))
                    .map_or(0, |gid| u32::from(face.get_horizontal_advance(gid)))
            })
            .sum();
        advance as f32 * size / units_per_em
    }

    fn covers(&self, c: char) -> bool {
        c.is_whitespace()
            || (self.regular.lookup_glyph_index(u32::from(c)).is_some()
                && self.bold.lookup_glyph_index(u32::from(c)).is_some())
    }
}

/// Text ready to print: NFC-normalised (so "Zoe\u{308}" and "Zoë" print alike), control
/// characters made spaces, and each character the fonts lack replaced by [`PLACEHOLDER`]
/// and noted in `missing`.
pub fn printable(fonts: &Fonts, text: &str, missing: &mut BTreeSet<char>) -> String {
    text.nfc()
        .map(|c| {
            if c.is_control() {
                ' '
            } else if fonts.covers(c) {
                c
            } else {
                missing.insert(c);
                PLACEHOLDER
            }
        })
        .collect()
}
