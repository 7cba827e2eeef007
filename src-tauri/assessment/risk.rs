//! Step 2 risk scoring (DOMAIN §4): likelihood × impact on 1–5 scales, the
//! bands of the rule set, and the rule that treatment cannot raise a risk.

use crate::error::{Error, FieldError, Result, ValidationCode};
use crate::rules::{BandLimits, RiskBand};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A position on the 5×5 matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, schemars::JsonSchema)]
pub struct Rating {
    pub likelihood: u8,
    pub impact: u8,
}

impl Rating {
    /// likelihood × impact, 1–25.
    pub fn score(self) -> u8 {
        self.likelihood * self.impact
    }
}

/// The highest of `ratings`: the greatest score, then the greater impact,
/// then the greater likelihood. Where a service sits on the overview's heat map.
pub fn highest(ratings: impl IntoIterator<Item = Rating>) -> Option<Rating> {
    ratings
        .into_iter()
        .max_by_key(|r| (r.score(), r.impact, r.likelihood))
}

/// The band of a score under `limits`.
pub fn band(limits: &BandLimits, score: u8) -> RiskBand {
    if score <= limits.low_max {
        RiskBand::Low
    } else if score <= limits.medium_max {
        RiskBand::Medium
    } else if score <= limits.high_max {
        RiskBand::High
    } else {
        RiskBand::Critical
    }
}

/// The band of every cell of the 5×5 matrix under `limits`:
/// `grid[impact - 1][likelihood - 1]`, as the window colours its heat map.
pub fn grid(limits: &BandLimits) -> Vec<Vec<RiskBand>> {
    (1..=5u8)
        .map(|impact| {
            (1..=5u8)
                .map(|likelihood| band(limits, likelihood * impact))
                .collect()
        })
        .collect()
}

/// Checks one risk's inherent and residual ratings: each 1–5, and the
/// residual score not above the inherent one. `prefix` names the risk in the
/// field names (e.g. `risks[2]`).
pub fn check(prefix: &str, inherent: Rating, residual: Rating) -> Result<()> {
    let mut errors = Vec::new();
    for (name, rating) in [("inherent", inherent), ("residual", residual)] {
        for (axis, value) in [("likelihood", rating.likelihood), ("impact", rating.impact)] {
            if !(1..=5).contains(&value) {
                errors.push(FieldError::new(
                    format!("{prefix}.{name}_{axis}"),
                    ValidationCode::OutOfRange,
                    format!("{value} is not on the scale 1–5"),
                ));
            }
        }
    }
    if errors.is_empty() && residual.score() > inherent.score() {
        errors.push(FieldError::new(
            format!("{prefix}.residual_likelihood"),
            ValidationCode::OutOfRange,
            format!(
                "the residual score {} is above the inherent score {}: controls cannot raise a risk",
                residual.score(),
                inherent.score()
            ),
        ));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Error::Invalid(errors))
    }
}

/// A service's risk level: the highest residual band of its risks.
pub fn service_level(
    limits: &BandLimits,
    residuals: impl IntoIterator<Item = Rating>,
) -> Option<RiskBand> {
    residuals.into_iter().map(|r| band(limits, r.score())).max()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_grid_gives_each_cell_the_band_of_its_score() {
        let limits = crate::rules::default_rule_set().bands;
        let grid = grid(&limits);
        assert_eq!(grid.len(), 5);
        for impact in 1..=5u8 {
            for likelihood in 1..=5u8 {
                assert_eq!(
                    grid[usize::from(impact - 1)][usize::from(likelihood - 1)],
                    band(&limits, likelihood * impact)
                );
            }
        }
        assert_eq!(grid[0][0], RiskBand::Low);
        assert_eq!(grid[4][4], RiskBand::Critical);
    }
    use crate::rules::default_rule_set;
    use proptest::prelude::*;

    fn limits() -> BandLimits {
        default_rule_set().bands
    }

    #[test]
    fn the_band_boundaries_fall_between_4_5_and_9_10_and_14_15() {
        let l = limits();
        assert_eq!(band(&l, 1), RiskBand::Low);
        assert_eq!(band(&l, 4), RiskBand::Low);
        assert_eq!(band(&l, 5), RiskBand::Medium);
        assert_eq!(band(&l, 9), RiskBand::Medium);
        assert_eq!(band(&l, 10), RiskBand::High);
        assert_eq!(band(&l, 14), RiskBand::High);
        assert_eq!(band(&l, 15), RiskBand::Critical);
        assert_eq!(band(&l, 25), RiskBand::Critical);
    }

    #[test]
    fn a_residual_above_the_inherent_score_is_refused_naming_the_risk() {
        let error = check(
            "risks[1]",
            Rating {
                likelihood: 2,
                impact: 3,
            },
            Rating {
                likelihood: 3,
                impact: 3,
            },
        )
        .unwrap_err();
        assert_eq!(
            error.field_errors()[0].field,
            "risks[1].residual_likelihood"
        );
        assert!(check(
            "risks[1]",
            Rating {
                likelihood: 4,
                impact: 4
            },
            Rating {
                likelihood: 2,
                impact: 5
            }
        )
        .is_ok());
    }

    #[test]
    fn ratings_off_the_scale_are_refused() {
        let error = check(
            "risks[0]",
            Rating {
                likelihood: 0,
                impact: 6,
            },
            Rating {
                likelihood: 1,
                impact: 1,
            },
        )
        .unwrap_err();
        assert_eq!(error.field_errors().len(), 2);
    }

    #[test]
    fn the_service_level_is_the_highest_residual_band() {
        let residuals = [
            Rating {
                likelihood: 1,
                impact: 2,
            },
            Rating {
                likelihood: 3,
                impact: 4,
            },
            Rating {
                likelihood: 2,
                impact: 3,
            },
        ];
        assert_eq!(service_level(&limits(), residuals), Some(RiskBand::High));
        assert_eq!(service_level(&limits(), []), None);
    }

    proptest! {
        #[test]
        fn bands_never_fall_as_the_score_rises(a in 1u8..=25, b in 1u8..=25) {
            let (low, high) = if a <= b { (a, b) } else { (b, a) };
            prop_assert!(band(&limits(), low) <= band(&limits(), high));
        }

        #[test]
        fn check_accepts_exactly_the_residuals_not_above_the_inherent_score(
            il in 1u8..=5, ii in 1u8..=5, rl in 1u8..=5, ri in 1u8..=5
        ) {
            let inherent = Rating { likelihood: il, impact: ii };
            let residual = Rating { likelihood: rl, impact: ri };
            prop_assert_eq!(check("r", inherent, residual).is_ok(), residual.score() <= inherent.score());
        }
    }
}
