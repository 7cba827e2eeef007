//! Generated assessment inputs: step 1's ratings and evidence links, and a
//! service's risks, requirements and treatments.

use super::names::DIMENSIONS;
use super::rng::Rng;
use crate::approval::Decision;
use crate::assessment::risk::Rating;
use crate::assessment::step1::Step1Input;
use crate::assessment::workflow::{
    RequirementMark, RequirementStatus, Risk, ServiceInput, ServiceResult, Treatment,
};
use crate::rules::{RuleSet, Verdict};
use crate::supplier::{CertificationRole, SupplierDetail};
use crate::transfer::TransferEvaluation;
use chrono::NaiveDate;

/// Step 1 as the plan has it: approved (every criterion 2 or 3, over the
/// threshold), escalated (a criterion rated 0) or stopped (financial
/// stability rated 0).
pub(super) fn step1_input(
    rng: &mut Rng,
    rules: &RuleSet,
    detail: &SupplierDetail,
    plan: Plan,
    assessed_on: NaiveDate,
) -> Step1Input {
    let certificate = detail.evidence.iter().find(|e| {
        matches!(
            e.fields.kind.certification_role(),
            CertificationRole::Certificate | CertificationRole::Report
        ) && e.is_valid_on(assessed_on)
    });
    let mut input = Step1Input {
        compensating_controls: if certificate.is_none() {
            "Kvartalsvis uppföljning av säkerhetsrapporter och egen granskning på plats".into()
        } else {
            String::new()
        },
        ..Step1Input::default()
    };
    for criterion in &rules.criteria {
        let rating = if criterion.key == rules.step1.certification {
            if certificate.is_some() {
                3
            } else {
                2
            }
        } else if rng.chance(60) {
            3
        } else {
            2
        };
        input.ratings.insert(criterion.key.clone(), rating);
    }
    if let Some(certificate) = certificate {
        input
            .evidence
            .insert(rules.step1.certification.clone(), vec![certificate.id]);
    }
    input.notes.insert(
        "financial_stability".into(),
        "Årsredovisning granskad: god soliditet".into(),
    );
    match plan {
        Plan::Escalated => {
            input.ratings.insert("audit_rights".into(), 0);
            input.notes.insert(
                "audit_rights".into(),
                "Leverantören medger ingen granskning på plats".into(),
            );
        }
        Plan::Stopped => {
            input.ratings.insert("financial_stability".into(), 0);
            input.notes.insert(
                "financial_stability".into(),
                "Kreditupplysning: betalningsanmärkningar och negativt eget kapital".into(),
            );
        }
        _ => {
            // At least 70 % of the maximum: raise ratings of 2 until there.
            let needed =
                (rules.step1.min_total_percent * 3 * rules.criteria.len() as u32).div_ceil(100);
            for criterion in &rules.criteria {
                let total: u32 = input.ratings.values().map(|r| u32::from(*r)).sum();
                if total >= needed {
                    break;
                }
                if criterion.key != rules.step1.certification {
                    input.ratings.insert(criterion.key.clone(), 3);
                }
            }
        }
    }
    input
}

/// Step 2 of one service: five risks, every requirement of the catalogue
/// marked in the contract (one missing while step 2 is under way), and the
/// transfer safeguards.
pub(super) fn service_input(rng: &mut Rng, rules: &RuleSet, complete: bool) -> ServiceInput {
    let risks = DIMENSIONS
        .iter()
        .map(|(dimension, affected)| {
            let inherent = Rating {
                likelihood: rng.between(1, 5) as u8,
                impact: rng.between(2, 5) as u8,
            };
            let mut residual = Rating {
                likelihood: rng.between(1, u64::from(inherent.likelihood)) as u8,
                impact: rng.between(1, u64::from(inherent.impact)) as u8,
            };
            let treatment = rng.weighted(&[
                (70, Treatment::Mitigate),
                (15, Treatment::Accept),
                (10, Treatment::Transfer),
                (5, Treatment::Avoid),
            ]);
            // An accepted risk is taken as it is (DOMAIN §4).
            if treatment == Treatment::Accept {
                residual = inherent;
            }
            Risk {
                dimension: (*dimension).into(),
                description: format!(
                    "Avbrott, intrång eller felaktig hantering påverkar {affected}"
                ),
                inherent,
                treatment,
                controls: "Kryptering, behörighetsstyrning, loggning och säkerhetskopior".into(),
                residual,
                owner: String::new(),
            }
        })
        .collect();
    let mut requirements: Vec<RequirementMark> = rules
        .requirements
        .iter()
        .map(|r| RequirementMark {
            key: r.key.clone(),
            status: RequirementStatus::InContract,
            justification: String::new(),
        })
        .collect();
    if !complete {
        if let Some(first) = requirements.first_mut() {
            first.status = RequirementStatus::Missing;
        }
    }
    ServiceInput {
        risks,
        requirements,
        standard_contractual_clauses: true,
        transfer_impact_assessment: true,
    }
}

/// A result to fill the record; the import computes the real one.
pub(super) fn pending_result() -> ServiceResult {
    ServiceResult {
        level: None,
        mandatory: Vec::new(),
        transfer: TransferEvaluation {
            verdict: Verdict::Allowed,
            fired: Vec::new(),
        },
        blocking: Vec::new(),
        high_risk_accepted: false,
    }
}

/// The state a supplier's latest assessment is generated in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Plan {
    NotStarted,
    Draft,
    Escalated,
    Stopped,
    Step2,
    Submitted,
    Decided(Decision),
    Voided,
}

impl Plan {
    pub(super) fn name(self) -> &'static str {
        match self {
            Plan::NotStarted => "not assessed",
            Plan::Draft => "draft",
            Plan::Escalated => "step 1 escalated",
            Plan::Stopped => "step 1 stopped",
            Plan::Step2 => "step 2 under way",
            Plan::Submitted => "submitted",
            Plan::Decided(Decision::Approve) => "approved",
            Plan::Decided(Decision::ApproveWithConditions) => "approved with conditions",
            Plan::Decided(Decision::Reject) => "rejected",
            Plan::Voided => "decision voided",
        }
    }

    pub(super) fn decided(self) -> bool {
        matches!(self, Plan::Decided(_) | Plan::Voided)
    }

    pub(super) fn submitted(self) -> bool {
        self.decided() || self == Plan::Submitted
    }
}
