//! The 5×5 heat map of likelihood and impact, with each risk's way from
//! its inherent to its residual position.

use super::{colour, text_width, wrap, Doc, Rgb, Weight, MARGIN, SMALL};
use printpdf::PaintMode;

/// A map drawn on the heat map: a label at its inherent and residual position.
#[derive(Debug, Clone)]
pub struct HeatMark {
    pub label: String,
    /// (likelihood, impact), each 1–5.
    pub inherent: (u8, u8),
    pub residual: (u8, u8),
}

/// The height of a heat map on the page, with its axes.
pub const HEAT_MAP_HEIGHT: f32 = 34.0 * 5.0 + 44.0;

impl Doc {
    /// A 5×5 heat map (likelihood across, impact up) coloured by `band`,
    /// with each mark's inherent position (open square) joined by an arrow
    /// to its residual position (filled circle), labelled.
    pub fn heat_map(
        &mut self,
        marks: &[HeatMark],
        band: impl Fn(u8) -> Rgb,
        likelihood_label: &str,
        impact_label: &str,
        legend: &str,
    ) {
        let colours: [[Rgb; 5]; 5] =
            std::array::from_fn(|i| std::array::from_fn(|l| band((l as u8 + 1) * (i as u8 + 1))));
        self.transcribe(|t| t.heat_map(marks, &colours, likelihood_label, impact_label, legend));
        let cell = 34.0;
        let grid = cell * 5.0;
        let height = HEAT_MAP_HEIGHT;
        self.ensure(height);
        let left = MARGIN + 40.0;
        let bottom = self.y - grid - 8.0;
        for l in 1..=5u8 {
            for i in 1..=5u8 {
                let x = left + f32::from(l - 1) * cell;
                let y = bottom + f32::from(i - 1) * cell;
                self.fill_rect(x, y, cell, cell, band(l * i));
                self.shape(
                    &[(x, y), (x + cell, y), (x + cell, y + cell), (x, y + cell)],
                    PaintMode::Stroke,
                    colour::WHITE,
                );
            }
        }
        for n in 1..=5u8 {
            let label = n.to_string();
            let x = left + f32::from(n - 1) * cell + cell / 2.0 - 2.5;
            self.text_at(
                x,
                bottom - 11.0,
                SMALL,
                Weight::Regular,
                colour::MUTED,
                &label,
            );
            let y = bottom + f32::from(n - 1) * cell + cell / 2.0 - 3.0;
            self.text_at(
                left - 12.0,
                y,
                SMALL,
                Weight::Regular,
                colour::MUTED,
                &label,
            );
        }
        self.text_at(
            left,
            bottom - 24.0,
            SMALL,
            Weight::Bold,
            colour::MUTED,
            likelihood_label,
        );
        self.text_at(
            MARGIN - 4.0,
            bottom + grid + 6.0,
            SMALL,
            Weight::Bold,
            colour::MUTED,
            impact_label,
        );

        // Marks sharing a cell are spread out so each stays readable.
        let centre = |(l, i): (u8, u8), k: usize| {
            let offsets = [
                (0.0, 0.0),
                (-9.0, 8.0),
                (9.0, -8.0),
                (-9.0, -8.0),
                (9.0, 8.0),
            ];
            let (dx, dy) = offsets[k % offsets.len()];
            (
                left + (f32::from(l.clamp(1, 5)) - 0.5) * cell + dx,
                bottom + (f32::from(i.clamp(1, 5)) - 0.5) * cell + dy,
            )
        };
        // One count per cell for squares and dots alike, so a dot never
        // covers another risk's square.
        let mut seen: std::collections::HashMap<(u8, u8), usize> = Default::default();
        for mark in marks {
            let moves = mark.inherent != mark.residual;
            let from = if moves {
                let k = seen.entry(mark.inherent).or_default();
                let from = centre(mark.inherent, *k);
                *k += 1;
                from
            } else {
                (0.0, 0.0)
            };
            let k = seen.entry(mark.residual).or_default();
            let to = centre(mark.residual, *k);
            *k += 1;
            if moves {
                self.line(from, to, 0.8, colour::TEXT);
                // The arrow head at the residual end.
                let (dx, dy) = (to.0 - from.0, to.1 - from.1);
                let length = (dx * dx + dy * dy).sqrt().max(f32::EPSILON);
                let (ux, uy) = (dx / length, dy / length);
                let tip = (to.0 - ux * 4.5, to.1 - uy * 4.5);
                let back = (tip.0 - ux * 5.0, tip.1 - uy * 5.0);
                self.shape(
                    &[
                        tip,
                        (back.0 - uy * 2.5, back.1 + ux * 2.5),
                        (back.0 + uy * 2.5, back.1 - ux * 2.5),
                    ],
                    PaintMode::Fill,
                    colour::TEXT,
                );
                let s = 3.5;
                self.shape(
                    &[
                        (from.0 - s, from.1 - s),
                        (from.0 + s, from.1 - s),
                        (from.0 + s, from.1 + s),
                        (from.0 - s, from.1 + s),
                    ],
                    PaintMode::Stroke,
                    colour::TEXT,
                );
                // The square's label too, in grey, above it on the right:
                // clear of the arrow, which leaves down or to the left (a
                // residual rating is never above the inherent one).
                let width = text_width(&mark.label, 5.5, Weight::Regular);
                self.fill_rect(from.0 + s, from.1 + s, width + 2.0, 7.0, colour::WHITE);
                self.text_at(
                    from.0 + s + 1.0,
                    from.1 + s + 1.5,
                    5.5,
                    Weight::Regular,
                    colour::MUTED,
                    &mark.label,
                );
            }
            let circle: Vec<(f32, f32)> = (0..16)
                .map(|k| {
                    let a = k as f32 * std::f32::consts::PI / 8.0;
                    (to.0 + 4.0 * a.cos(), to.1 + 4.0 * a.sin())
                })
                .collect();
            self.shape(&circle, PaintMode::Fill, colour::TEXT);
            // The label below the dot on the right, clear of the arrow that
            // comes in from above or from the right.
            self.fill_rect(
                to.0 + 3.5,
                to.1 - 11.5,
                text_width(&mark.label, 6.5, Weight::Bold) + 2.0,
                8.0,
                colour::WHITE,
            );
            self.text_at(
                to.0 + 4.5,
                to.1 - 9.5,
                6.5,
                Weight::Bold,
                colour::TEXT,
                &mark.label,
            );
        }
        // The legend beside the map.
        let legend_x = left + grid + 24.0;
        let mut y = bottom + grid - 8.0;
        for line in wrap(legend, self.right() - legend_x, SMALL, Weight::Regular) {
            self.text_at(legend_x, y, SMALL, Weight::Regular, colour::MUTED, &line);
            y -= SMALL * 1.35;
        }
        self.y = bottom - 30.0;
    }
}
