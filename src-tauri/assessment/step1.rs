//! Step 1: the supplier organisation, rated 0–3 on each criterion of the rule
//! set, to approved, escalate or stop (DOMAIN §3).

use super::certification::{Certification, Finding};
use crate::error::{Error, FieldError, Result, ValidationCode};
use crate::rules::RuleSet;
use crate::supplier::Tier;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use ts_rs::TS;

/// What the officer records in step 1.
#[derive(
    Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS, schemars::JsonSchema,
)]
pub struct Step1Input {
    /// The rating 0–3 of each criterion, by key.
    pub ratings: BTreeMap<String, u8>,
    /// The evidence note of each criterion, by key: what the rating rests on.
    #[serde(default)]
    pub notes: BTreeMap<String, String>,
    /// The evidence items of the register each criterion relies on, by key.
    #[serde(default)]
    pub evidence: BTreeMap<String, Vec<crate::supplier::EvidenceId>>,
    /// Compensating controls, documented when there is no valid certification.
    pub compensating_controls: String,
}

/// The outcome of step 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Step1Outcome {
    Approved,
    Escalate,
    Stop,
}

impl Step1Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Step1Outcome::Approved => "approved",
            Step1Outcome::Escalate => "escalate",
            Step1Outcome::Stop => "stop",
        }
    }
}

/// Why step 1 came out as it did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Step1Reason {
    /// A criterion that stops the assessment is rated 0.
    StopCriterionZero { criterion: String },
    /// A criterion is rated 0.
    CriterionZero { criterion: String },
    /// No valid certification or attestation, and no compensating controls documented.
    NoCertificationNoControls,
    /// The total is below the required share of the maximum.
    TotalBelowThreshold {
        total: u32,
        maximum: u32,
        required_percent: u32,
    },
    /// A critical supplier has a criterion below the minimum rating.
    CriticalBelowMinimum {
        criterion: String,
        rating: u8,
        minimum: u8,
    },
}

/// The computed result of step 1.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, schemars::JsonSchema)]
pub struct Step1Result {
    pub outcome: Step1Outcome,
    /// Every reason that applies; empty when approved.
    pub reasons: Vec<Step1Reason>,
    pub total: u32,
    pub maximum: u32,
    /// The evidence linked to the certification criterion, each judged on
    /// the assessment day: what counted and why the rest did not. (Empty in
    /// results computed before evidence was judged by its link.)
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub certification: Vec<Finding>,
}

/// How many criteria of the rule set `input` rates.
pub fn rated(rules: &RuleSet, input: &Step1Input) -> u32 {
    let count = rules
        .criteria
        .iter()
        .filter(|c| input.ratings.contains_key(&c.key))
        .count();
    u32::try_from(count).unwrap_or(u32::MAX)
}

/// Evaluates step 1 as far as it is rated: `None` while a criterion is
/// unrated (a draft), else the outcome. The ratings given are checked either
/// way (see [`evaluate`]).
pub fn evaluate_draft(
    rules: &RuleSet,
    input: &Step1Input,
    tier: Tier,
    certification: &Certification,
) -> Result<Option<Step1Result>> {
    if rated(rules, input) as usize == rules.criteria.len() {
        return evaluate(rules, input, tier, certification).map(Some);
    }
    check(rules, input, certification.valid, false)?;
    Ok(None)
}

/// Evaluates step 1. `certification` is the judgement of the evidence linked
/// to the certification criterion on the assessment day. Refuses ratings
/// outside 0–3, a missing criterion, and a certification rating above what
/// compensating controls can earn.
pub fn evaluate(
    rules: &RuleSet,
    input: &Step1Input,
    tier: Tier,
    certification: &Certification,
) -> Result<Step1Result> {
    check(rules, input, certification.valid, true)?;
    let mut result = outcome(rules, input, tier, certification.valid);
    result.certification = certification.findings.clone();
    Ok(result)
}

/// Checks the ratings given: each 0–3, each a criterion of the rule set, the
/// certification criterion not above what compensating controls can earn
/// without a valid certification, and, when `complete`, every criterion rated.
fn check(
    rules: &RuleSet,
    input: &Step1Input,
    valid_certification: bool,
    complete: bool,
) -> Result<()> {
    let thresholds = &rules.step1;
    let mut errors = Vec::new();
    for criterion in &rules.criteria {
        let field = format!("ratings.{}", criterion.key);
        match input.ratings.get(&criterion.key) {
            None if !complete => {}
            None => errors.push(FieldError::new(field, ValidationCode::Required, "every criterion must be rated")),
            Some(rating) if *rating > 3 => {
                errors.push(FieldError::new(field, ValidationCode::OutOfRange, format!("{rating} is not a rating 0–3")))
            }
            Some(rating)
                if criterion.key == thresholds.certification
                    && !valid_certification
                    && *rating > thresholds.max_rating_without_certification =>
            {
                errors.push(FieldError::new(
                    field,
                    ValidationCode::OutOfRange,
                    format!(
                        "without a valid certification or attestation, compensating controls can earn at most {}",
                        thresholds.max_rating_without_certification
                    ),
                ))
            }
            Some(_) => {}
        }
    }
    for key in input.ratings.keys() {
        if !rules.criteria.iter().any(|c| &c.key == key) {
            errors.push(FieldError::new(
                format!("ratings.{key}"),
                ValidationCode::UnknownValue,
                "not a criterion of the rule set",
            ));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Error::Invalid(errors))
    }
}

/// The outcome of a complete, checked step 1.
fn outcome(
    rules: &RuleSet,
    input: &Step1Input,
    tier: Tier,
    valid_certification: bool,
) -> Step1Result {
    let thresholds = &rules.step1;
    let rating = |key: &str| input.ratings.get(key).copied().unwrap_or(0);
    let total: u32 = rules
        .criteria
        .iter()
        .map(|c| u32::from(rating(&c.key)))
        .sum();
    let maximum = 3 * u32::try_from(rules.criteria.len()).unwrap_or(u32::MAX / 3);

    let stops: Vec<Step1Reason> = thresholds
        .stop_if_zero
        .iter()
        .filter(|key| rating(key) == 0)
        .map(|key| Step1Reason::StopCriterionZero {
            criterion: key.clone(),
        })
        .collect();
    if !stops.is_empty() {
        return Step1Result {
            outcome: Step1Outcome::Stop,
            reasons: stops,
            total,
            maximum,
            certification: Vec::new(),
        };
    }

    let mut reasons = Vec::new();
    for criterion in &rules.criteria {
        if rating(&criterion.key) == 0 {
            reasons.push(Step1Reason::CriterionZero {
                criterion: criterion.key.clone(),
            });
        }
    }
    if !valid_certification && input.compensating_controls.trim().is_empty() {
        reasons.push(Step1Reason::NoCertificationNoControls);
    }
    // Below 70 % means total / maximum < 0.70, compared in integers: exactly 70 % passes.
    if total * 100 < thresholds.min_total_percent * maximum {
        reasons.push(Step1Reason::TotalBelowThreshold {
            total,
            maximum,
            required_percent: thresholds.min_total_percent,
        });
    }
    if tier == Tier::Critical {
        for criterion in &rules.criteria {
            let r = rating(&criterion.key);
            if r < thresholds.critical_min_rating {
                reasons.push(Step1Reason::CriticalBelowMinimum {
                    criterion: criterion.key.clone(),
                    rating: r,
                    minimum: thresholds.critical_min_rating,
                });
            }
        }
    }
    let outcome = if reasons.is_empty() {
        Step1Outcome::Approved
    } else {
        Step1Outcome::Escalate
    };
    Step1Result {
        outcome,
        reasons,
        total,
        maximum,
        certification: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::default_rule_set;

    fn certified() -> Certification {
        Certification {
            valid: true,
            findings: Vec::new(),
        }
    }

    #[test]
    fn a_partly_rated_step_1_has_no_outcome_yet_but_its_ratings_are_checked() {
        let rules = default_rule_set();
        let mut input = all(3);
        input.ratings.remove("access_control");
        assert_eq!(rated(&rules, &input), 10);
        assert_eq!(
            evaluate_draft(&rules, &input, Tier::Standard, &certified()).unwrap(),
            None
        );
        input.ratings.insert("audit_rights".into(), 4);
        let error = evaluate_draft(&rules, &input, Tier::Standard, &certified()).unwrap_err();
        assert_eq!(error.field_errors()[0].field, "ratings.audit_rights");
        assert_eq!(
            evaluate_draft(&rules, &Step1Input::default(), Tier::Standard, &certified()).unwrap(),
            None
        );
        assert!(
            evaluate_draft(&rules, &all(3), Tier::Standard, &certified())
                .unwrap()
                .is_some()
        );
    }

    fn all(rating: u8) -> Step1Input {
        Step1Input {
            ratings: default_rule_set()
                .criteria
                .iter()
                .map(|c| (c.key.clone(), rating))
                .collect(),
            ..Step1Input::default()
        }
    }

    fn with(mut input: Step1Input, key: &str, rating: u8) -> Step1Input {
        input.ratings.insert(key.into(), rating);
        input
    }

    #[test]
    fn all_threes_with_a_certificate_is_approved() {
        let result = evaluate(&default_rule_set(), &all(3), Tier::Critical, &certified()).unwrap();
        assert_eq!(result.outcome, Step1Outcome::Approved);
        assert!(result.reasons.is_empty());
        assert_eq!((result.total, result.maximum), (33, 33));
    }

    #[test]
    fn all_twos_is_two_thirds_of_the_maximum_and_escalates() {
        let result = evaluate(&default_rule_set(), &all(2), Tier::Standard, &certified()).unwrap();
        assert_eq!(result.outcome, Step1Outcome::Escalate);
        assert_eq!(
            result.reasons[0].sentence(),
            "Escalate: the total 22 of 33 is below 70 %."
        );
    }

    #[test]
    fn financial_stability_or_ethics_at_zero_stops() {
        for key in ["financial_stability", "ethics_sanctions"] {
            let result = evaluate(
                &default_rule_set(),
                &with(all(3), key, 0),
                Tier::Standard,
                &certified(),
            )
            .unwrap();
            assert_eq!(result.outcome, Step1Outcome::Stop, "{key}");
            assert_eq!(
                result.reasons,
                [Step1Reason::StopCriterionZero {
                    criterion: key.into()
                }]
            );
        }
    }

    #[test]
    fn any_other_criterion_at_zero_escalates() {
        let result = evaluate(
            &default_rule_set(),
            &with(all(3), "access_control", 0),
            Tier::Standard,
            &certified(),
        )
        .unwrap();
        assert_eq!(result.outcome, Step1Outcome::Escalate);
        assert_eq!(
            result.reasons[0].sentence(),
            "Escalate: access_control is rated 0."
        );
    }

    #[test]
    fn no_certificate_and_no_compensating_controls_escalates_and_controls_fix_it() {
        let input = with(all(3), "certification", 2);
        let result = evaluate(
            &default_rule_set(),
            &input,
            Tier::Standard,
            &Certification::default(),
        )
        .unwrap();
        assert_eq!(result.reasons, [Step1Reason::NoCertificationNoControls]);
        assert_eq!(
            result.reasons[0].sentence(),
            "Escalate: no valid certification and no compensating controls documented."
        );
        let documented = Step1Input {
            compensating_controls:
                "Annual penetration test by an external firm; ISMS aligned to 27001.".into(),
            ..input
        };
        assert_eq!(
            evaluate(
                &default_rule_set(),
                &documented,
                Tier::Standard,
                &Certification::default()
            )
            .unwrap()
            .outcome,
            Step1Outcome::Approved
        );
    }

    #[test]
    fn without_a_certificate_the_certification_criterion_cannot_be_rated_3() {
        let error = evaluate(
            &default_rule_set(),
            &all(3),
            Tier::Standard,
            &Certification::default(),
        )
        .unwrap_err();
        assert_eq!(error.field_errors()[0].field, "ratings.certification");
    }

    /// 11 criteria, maximum 33: 70 % is 23.1, so 24 passes and 23 does not.
    /// With a 20-point scale the boundary falls exactly: tested with a rule
    /// set of 10 criteria (maximum 30, 70 % = 21).
    #[test]
    fn the_threshold_is_70_percent_and_exactly_70_percent_passes() {
        let mut rules = default_rule_set();
        rules.criteria.truncate(10);
        let keys: Vec<String> = rules.criteria.iter().map(|c| c.key.clone()).collect();
        let ratings = |total: u32| -> Step1Input {
            // Spread `total` over 10 criteria as 3s and 2s (and 1s), never 0.
            let mut ratings = BTreeMap::new();
            let mut left = total;
            for (i, key) in keys.iter().enumerate() {
                let remaining = u32::try_from(keys.len() - i - 1).unwrap();
                let r = (left - remaining).min(3);
                ratings.insert(key.clone(), u8::try_from(r).unwrap());
                left -= r;
            }
            Step1Input {
                ratings,
                ..Step1Input::default()
            }
        };
        let exactly = evaluate(&rules, &ratings(21), Tier::Standard, &certified()).unwrap();
        assert_eq!(
            (exactly.total, exactly.outcome),
            (21, Step1Outcome::Approved)
        );
        let below = evaluate(&rules, &ratings(20), Tier::Standard, &certified()).unwrap();
        assert_eq!(below.total, 20);
        assert_eq!(
            below.reasons,
            [Step1Reason::TotalBelowThreshold {
                total: 20,
                maximum: 30,
                required_percent: 70
            }]
        );
    }

    #[test]
    fn a_critical_supplier_escalates_with_any_criterion_below_2() {
        let input = with(all(3), "staff_security", 1);
        assert_eq!(
            evaluate(&default_rule_set(), &input, Tier::Essential, &certified())
                .unwrap()
                .outcome,
            Step1Outcome::Approved
        );
        let critical = evaluate(&default_rule_set(), &input, Tier::Critical, &certified()).unwrap();
        assert_eq!(
            critical.reasons,
            [Step1Reason::CriticalBelowMinimum {
                criterion: "staff_security".into(),
                rating: 1,
                minimum: 2
            }]
        );
    }

    #[test]
    fn missing_and_out_of_range_ratings_are_refused_by_field() {
        let mut input = with(all(2), "audit_rights", 4);
        input.ratings.remove("access_control");
        input.ratings.insert("astrology".into(), 2);
        let error =
            evaluate(&default_rule_set(), &input, Tier::Standard, &certified()).unwrap_err();
        let fields: Vec<&str> = error
            .field_errors()
            .iter()
            .map(|e| e.field.as_str())
            .collect();
        assert_eq!(
            fields,
            [
                "ratings.access_control",
                "ratings.audit_rights",
                "ratings.astrology"
            ]
        );
    }
}
