//! Colours, weights and alignment: how the reports' text and shapes look.

use printpdf::Color;

/// A colour as red, green and blue from 0 to 1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rgb(pub f32, pub f32, pub f32);

impl Rgb {
    pub(super) fn color(self) -> Color {
        Color::Rgb(printpdf::Rgb {
            r: self.0,
            g: self.1,
            b: self.2,
            icc_profile: None,
        })
    }
}

/// The palette of the reports.
pub mod colour {
    use super::Rgb;
    pub const TEXT: Rgb = Rgb(0.11, 0.13, 0.17);
    pub const MUTED: Rgb = Rgb(0.38, 0.42, 0.48);
    pub const ACCENT: Rgb = Rgb(0.10, 0.29, 0.47);
    pub const RULE: Rgb = Rgb(0.80, 0.83, 0.87);
    pub const HEADER_FILL: Rgb = Rgb(0.89, 0.92, 0.96);
    pub const ZEBRA: Rgb = Rgb(0.965, 0.972, 0.98);
    pub const ALERT: Rgb = Rgb(0.70, 0.11, 0.11);
    pub const GOOD: Rgb = Rgb(0.12, 0.45, 0.22);
    pub const LOW: Rgb = Rgb(0.74, 0.89, 0.72);
    pub const MEDIUM: Rgb = Rgb(0.99, 0.91, 0.60);
    pub const HIGH: Rgb = Rgb(0.98, 0.72, 0.47);
    pub const CRITICAL: Rgb = Rgb(0.93, 0.49, 0.47);
    pub const WHITE: Rgb = Rgb(1.0, 1.0, 1.0);
}

/// Regular or bold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weight {
    Regular,
    Bold,
}

/// Horizontal alignment in a table cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}
