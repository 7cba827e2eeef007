//! The fonts (DejaVu Sans, compiled into the binary and embedded in every
//! PDF), the width of a text in them, and breaking text into lines.

use super::{Weight, BOLD_TTF, REGULAR_TTF};
use printpdf::{FontId, ParsedFont};
use std::sync::OnceLock;

/// A font face with the advance width of each character, for measuring.
#[derive(Debug)]
pub(super) struct Face {
    pub(super) parsed: ParsedFont,
    /// Advance widths in thousandths of the font size, by code point (below `MEASURED`).
    widths: Vec<f32>,
    fallback: f32,
}

/// Code points measured from a table; the fonts hold nothing above ✘ (U+2718).
const MEASURED: usize = 0x2720;

impl Face {
    fn load(bytes: &[u8], name: &str) -> Face {
        let mut parsed = ParsedFont::from_bytes(bytes, 0, &mut Vec::new())
            .expect("the embedded DejaVu font parses");
        // The PostScript name, as viewers list the embedded fonts.
        parsed.font_name = Some(name.to_owned());
        let per_unit = 1000.0 / f32::from(parsed.units_per_em.max(1));
        let width_of = |cp: u32| -> Option<f32> {
            let gid = parsed.lookup_glyph_index(cp)?;
            Some(f32::from(parsed.get_glyph_width(gid)?) * per_unit)
        };
        let fallback = width_of(u32::from('?')).unwrap_or(600.0);
        let widths = (0..MEASURED as u32)
            .map(|cp| width_of(cp).unwrap_or(fallback))
            .collect();
        Face {
            parsed,
            widths,
            fallback,
        }
    }

    /// The width of `text` at `size` points.
    fn width(&self, text: &str, size: f32) -> f32 {
        let units: f32 = text
            .chars()
            .map(|c| {
                self.widths
                    .get(c as usize)
                    .copied()
                    .unwrap_or(self.fallback)
            })
            .sum();
        units * size / 1000.0
    }
}

#[derive(Debug)]
struct Fonts {
    regular: Face,
    bold: Face,
}

fn fonts() -> &'static Fonts {
    static FONTS: OnceLock<Fonts> = OnceLock::new();
    FONTS.get_or_init(|| Fonts {
        regular: Face::load(REGULAR_TTF, "DejaVuSans"),
        bold: Face::load(BOLD_TTF, "DejaVuSans-Bold"),
    })
}

pub(super) fn face(weight: Weight) -> &'static Face {
    match weight {
        Weight::Regular => &fonts().regular,
        Weight::Bold => &fonts().bold,
    }
}

/// The width of `text` in points.
pub fn text_width(text: &str, size: f32, weight: Weight) -> f32 {
    face(weight).width(text, size)
}

/// Fixed resource names, so the bytes do not depend on random ids.
pub(super) fn font_id(weight: Weight) -> FontId {
    FontId(
        match weight {
            Weight::Regular => "F1",
            Weight::Bold => "F2",
        }
        .to_owned(),
    )
}
/// Breaks `text` into lines no wider than `width`: at spaces where it can,
/// inside a word only when the word alone is too wide. Line breaks in the
/// text are kept.
pub fn wrap(text: &str, width: f32, size: f32, weight: Weight) -> Vec<String> {
    let face = face(weight);
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        let mut line_width = 0.0;
        let space = face.width(" ", size);
        for word in paragraph.split(' ').filter(|w| !w.is_empty()) {
            let word_width = face.width(word, size);
            if !line.is_empty() && line_width + space + word_width <= width {
                line.push(' ');
                line.push_str(word);
                line_width += space + word_width;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            if word_width <= width {
                line.push_str(word);
                line_width = word_width;
                continue;
            }
            // A word wider than the line: break it between characters.
            line_width = 0.0;
            for c in word.chars() {
                let w = face.width(c.encode_utf8(&mut [0; 4]), size);
                if !line.is_empty() && line_width + w > width {
                    lines.push(std::mem::take(&mut line));
                    line_width = 0.0;
                }
                line.push(c);
                line_width += w;
            }
        }
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_keeps_every_word_and_respects_the_width() {
        let text = "Leverantören lagrar personuppgifter i Sverige och når dem från Indien – med ett mycket_långt_ord_som_inte_ryms_på_en_rad_alls_i_smala_kolumner.";
        let lines = wrap(text, 120.0, 9.0, Weight::Regular);
        assert!(lines.len() > 3, "{lines:?}");
        for line in &lines {
            assert!(
                text_width(line, 9.0, Weight::Regular) <= 120.0 + 0.01,
                "{line}"
            );
        }
        assert_eq!(lines.join("").replace(' ', ""), text.replace(' ', ""));
    }

    #[test]
    fn the_fonts_have_the_characters_reports_use() {
        for c in "åäöÅÄÖéüßæøñ–—€✓✗→•…".chars() {
            for weight in [Weight::Regular, Weight::Bold] {
                assert!(
                    face(weight)
                        .parsed
                        .lookup_glyph_index(u32::from(c))
                        .is_some(),
                    "{c} is missing from {weight:?}"
                );
            }
        }
    }
}
