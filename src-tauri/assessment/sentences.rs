//! What the assessment's computed values say to a person, in either
//! language: step 1's reasons, what blocks a decision, why management must
//! approve, where an assessment stands. This is their one home: the reports,
//! the command line and the refusals read them from here, and the window
//! fills in the same catalogue keys (`reason.*`, `blocker.*`, `blocking.*`,
//! `approval.*`, `state.*`) with the same parameters. A criterion or a
//! requirement is named by its text under `rules`, or by its key when no
//! rule set is at hand.

use super::step1::Step1Reason;
use super::types::{ApprovalReason, AssessmentState, Blocker, BlockingItem, Summary};
use crate::rules::{criterion_title, requirement_text, RuleSet};
use crate::words::{self, Language};

impl Step1Reason {
    /// The reason in `language`.
    pub fn sentence_in(&self, language: Language, rules: Option<&RuleSet>) -> String {
        let criterion = |key: &str| ("criterion", criterion_title(rules, language, key));
        let (key, params) = match self {
            Step1Reason::StopCriterionZero { criterion: c } => {
                ("reason.stop_criterion_zero", vec![criterion(c)])
            }
            Step1Reason::CriterionZero { criterion: c } => {
                ("reason.criterion_zero", vec![criterion(c)])
            }
            Step1Reason::NoCertificationNoControls => {
                ("reason.no_certification_no_controls", vec![])
            }
            Step1Reason::TotalBelowThreshold {
                total,
                maximum,
                required_percent,
            } => (
                "reason.total_below_threshold",
                vec![
                    ("total", total.to_string()),
                    ("maximum", maximum.to_string()),
                    ("percent", required_percent.to_string()),
                ],
            ),
            Step1Reason::CriticalBelowMinimum {
                criterion: c,
                rating,
                minimum,
            } => (
                "reason.critical_below_minimum",
                vec![
                    criterion(c),
                    ("rating", rating.to_string()),
                    ("minimum", minimum.to_string()),
                ],
            ),
        };
        words::t(language, key, &params)
    }

    /// The reason in English, the criterion named by its key.
    pub fn sentence(&self) -> String {
        self.sentence_in(Language::En, None)
    }
}

impl BlockingItem {
    /// What blocks approval of one service, in `language`.
    pub fn sentence_in(&self, language: Language, rules: Option<&RuleSet>) -> String {
        let requirement = |key: &str| [("requirement", requirement_text(rules, language, key))];
        match self {
            BlockingItem::TransferForbidden => {
                words::t(language, "blocking.transfer_forbidden", &[])
            }
            BlockingItem::SafeguardsMissing => {
                words::t(language, "blocking.safeguards_missing", &[])
            }
            BlockingItem::RequirementMissing { key } => {
                words::t(language, "blocking.requirement_missing", &requirement(key))
            }
            BlockingItem::RequirementUnmarked { key } => {
                words::t(language, "blocking.requirement_unmarked", &requirement(key))
            }
        }
    }

    /// The item in English, a requirement named by its key.
    pub fn sentence(&self) -> String {
        self.sentence_in(Language::En, None)
    }
}

impl Blocker {
    /// What stands in the way of a decision, in `language`.
    pub fn sentence_in(&self, language: Language, rules: Option<&RuleSet>) -> String {
        match self {
            Blocker::Step1Unrated { rated, criteria } => words::t(
                language,
                "blocker.step1_unrated",
                &[
                    ("rated", rated.to_string()),
                    ("criteria", criteria.to_string()),
                ],
            ),
            Blocker::Step1Escalated => words::t(language, "blocker.step1_escalated", &[]),
            Blocker::Step1Stopped => words::t(language, "blocker.step1_stopped", &[]),
            Blocker::ServiceNotAssessed { service } => words::t(
                language,
                "blocker.service_not_assessed",
                &[("service", service.clone())],
            ),
            Blocker::Service { service, item } => words::t(
                language,
                "blocker.service",
                &[
                    ("service", service.clone()),
                    ("item", item.sentence_in(language, rules)),
                ],
            ),
        }
    }

    /// The blocker in English, a requirement named by its key.
    pub fn sentence(&self) -> String {
        self.sentence_in(Language::En, None)
    }
}

impl ApprovalReason {
    /// Why management must approve, in `language`.
    pub fn sentence_in(&self, language: Language, rules: Option<&RuleSet>) -> String {
        match self {
            ApprovalReason::CriticalTier => words::t(language, "approval.critical_tier", &[]),
            ApprovalReason::CriticalService { service } => words::t(
                language,
                "approval.critical_service",
                &[("service", service.clone())],
            ),
            ApprovalReason::HighRiskAccepted { service } => words::t(
                language,
                "approval.high_risk_accepted",
                &[("service", service.clone())],
            ),
            ApprovalReason::DeviationAccepted { service, key } => words::t(
                language,
                "approval.deviation_accepted",
                &[
                    ("service", service.clone()),
                    ("requirement", requirement_text(rules, language, key)),
                ],
            ),
        }
    }

    /// The reason in English, a requirement named by its key.
    pub fn sentence(&self) -> String {
        self.sentence_in(Language::En, None)
    }
}

impl AssessmentState {
    /// Where the assessment stands, in `language`.
    pub fn sentence_in(self, language: Language) -> String {
        words::name_of(language, "state", &self)
    }
}

impl Summary {
    /// What blocks a decision, one sentence each, in `language`.
    pub fn blocking_sentences_in(
        &self,
        language: Language,
        rules: Option<&RuleSet>,
    ) -> Vec<String> {
        self.blockers
            .iter()
            .map(|b| b.sentence_in(language, rules))
            .collect()
    }

    /// Why management approval is required, one sentence each, in `language`.
    pub fn approval_sentences_in(
        &self,
        language: Language,
        rules: Option<&RuleSet>,
    ) -> Vec<String> {
        self.approval_reasons
            .iter()
            .map(|r| r.sentence_in(language, rules))
            .collect()
    }
}
