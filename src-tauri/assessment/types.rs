//! The assessment's types: its inputs per step and service, the results
//! computed from them, the events of its life, and the summary that says
//! where it stands.

use super::decisions::{ApprovalRecord, Decision};
use super::risk::Rating;
use super::step1::{Step1Input, Step1Outcome, Step1Result};
use crate::access::Role;
use crate::access::UserId;
use crate::error::Lock;
use crate::rules::RiskDimension;
use crate::rules::{RiskBand, Verdict};
use crate::supplier::{ServiceId, SupplierId, SupplierStatus};
use crate::transfer::TransferEvaluation;
use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

/// The id of an assessment.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS, schemars::JsonSchema,
)]
pub struct AssessmentId(pub Uuid);

impl std::fmt::Display for AssessmentId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// How a risk is treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Treatment {
    Mitigate,
    Accept,
    Transfer,
    Avoid,
}

/// One risk of a service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, schemars::JsonSchema)]
pub struct Risk {
    /// A listed dimension, or another the officer names.
    pub dimension: RiskDimension,
    pub description: String,
    pub inherent: Rating,
    pub treatment: Treatment,
    /// The controls relied on.
    pub controls: String,
    pub residual: Rating,
    /// Who owns the risk in the organisation (ISO/IEC 27001 6.1.2): the
    /// person accountable for its treatment. Left out of the content (and
    /// so of its fingerprint) while none is named.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    #[ts(as = "Option<String>", optional)]
    pub owner: String,
}

/// How a mandatory contract requirement stands in the contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RequirementStatus {
    InContract,
    Missing,
    NotApplicable,
    /// Missing from the contract, and the deviation is accepted: needs a
    /// justification and management approval (DOMAIN §7).
    DeviationAccepted,
}

/// The officer's mark on one requirement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, schemars::JsonSchema)]
pub struct RequirementMark {
    pub key: String,
    pub status: RequirementStatus,
    /// Required for `not_applicable` and `deviation_accepted`.
    pub justification: String,
}

/// What the officer records in step 2 for one service.
#[derive(
    Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS, schemars::JsonSchema,
)]
pub struct ServiceInput {
    pub risks: Vec<Risk>,
    pub requirements: Vec<RequirementMark>,
    /// Standard contractual clauses are in place (for a `safeguards` verdict).
    pub standard_contractual_clauses: bool,
    /// A transfer impact assessment is recorded (for a `safeguards` verdict).
    pub transfer_impact_assessment: bool,
}

/// Something that stands in the way of approving the service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum BlockingItem {
    /// The transfer rules forbid where the data is stored or accessed.
    TransferForbidden,
    /// The transfer needs safeguards that are not both recorded.
    SafeguardsMissing,
    /// A mandatory requirement is missing from the contract.
    RequirementMissing { key: String },
    /// A mandatory requirement is not marked yet.
    RequirementUnmarked { key: String },
}

/// What the core computed for one service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, schemars::JsonSchema)]
pub struct ServiceResult {
    /// The highest residual band of its risks.
    pub level: Option<RiskBand>,
    /// The requirements mandatory at that level.
    pub mandatory: Vec<String>,
    pub transfer: TransferEvaluation,
    pub blocking: Vec<BlockingItem>,
    /// A risk of level high or above is treated by accepting it.
    pub high_risk_accepted: bool,
}

/// An escalation resolved by someone other than the assessor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, schemars::JsonSchema)]
pub struct Resolution {
    pub resolver: String,
    /// `approved` or `stop`.
    pub decision: Step1Outcome,
    pub justification: String,
    pub at: String,
}

/// Step 2 of one service within an assessment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, schemars::JsonSchema)]
pub struct ServiceAssessment {
    pub service_id: ServiceId,
    pub input: ServiceInput,
    pub result: ServiceResult,
}

/// An assessment with its inputs and stored results.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, schemars::JsonSchema)]
pub struct Assessment {
    pub id: AssessmentId,
    pub supplier_id: SupplierId,
    pub rule_set_version: u32,
    pub assessed_on: NaiveDate,
    pub assessor: String,
    pub step1: Option<Step1Input>,
    pub step1_result: Option<Step1Result>,
    pub resolution: Option<Resolution>,
    /// The resolver's signature over the resolution (DOMAIN §7).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub resolution_signature: Option<crate::store::signing::SignatureInfo>,
    pub services: Vec<ServiceAssessment>,
    /// The assessor as a user of this database: internal, since user ids
    /// mean nothing in another database (the name is in `assessor`).
    #[serde(skip)]
    #[ts(skip)]
    #[schemars(skip)]
    pub assessor_id: Option<UserId>,
    /// When the officer submitted the assessment for a decision (UTC).
    #[serde(default)]
    pub submitted_at: Option<String>,
    /// The decisions on it, oldest first; a voided one says why. Decisions
    /// are signatures of this database's users: a register file carries them
    /// for the record, and importing it does not take them over.
    #[serde(default)]
    pub decisions: Vec<ApprovalRecord>,
    /// Withdrawals and reopenings, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub events: Vec<AssessmentEvent>,
    /// Re-evaluations under a newer rule set, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reevaluations: Vec<Reevaluation>,
}

/// A re-evaluation of an assessment under a newer rule set: from which
/// version to which, who asked for it and when (UTC).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, schemars::JsonSchema)]
pub struct Reevaluation {
    pub from_version: u32,
    pub to_version: u32,
    pub requested_by: String,
    pub at: String,
}

crate::ids::text_enum! {
    /// What happened to an assessment besides its saves and decisions.
    AssessmentEventKind {
        /// The officer took a submitted assessment back before a decision.
        #[default]
        Withdrawn = "withdrawn",
        /// A decided assessment was opened again, voiding its decision.
        Reopened = "reopened",
    }
}

/// A withdrawal or a reopening, with who, when and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, schemars::JsonSchema)]
pub struct AssessmentEvent {
    pub id: Uuid,
    pub kind: AssessmentEventKind,
    pub reason: String,
    /// The display name of who did it.
    pub actor: String,
    /// UTC, as stored.
    pub at: String,
    /// The decision a reopening voided.
    #[serde(default)]
    pub voided_decision: Option<super::decisions::ApprovalId>,
    /// The signature of who withdrew or reopened it (DOMAIN §7).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub signature: Option<crate::store::signing::SignatureInfo>,
}

impl Assessment {
    /// Step 1 as it stands: the computed outcome, or the resolution of an escalation.
    pub fn step1_outcome(&self) -> Option<Step1Outcome> {
        match (&self.step1_result, &self.resolution) {
            (_, Some(resolution)) => Some(resolution.decision),
            (Some(result), None) => Some(result.outcome),
            (None, None) => None,
        }
    }

    /// Whether `user` made this assessment (DOMAIN §7, four eyes): by the
    /// assessor's id, or, for an assessment from before ids were kept or
    /// from a register file, by the assessor's name. Whoever made it never
    /// resolves its escalation nor approves it. The one home of that rule.
    pub fn made_by(&self, user: &crate::access::User) -> bool {
        is_assessor(self.assessor_id, &self.assessor, user)
    }

    /// The decision that stands: the latest one not voided. The one home of
    /// that rule (DOMAIN §7).
    pub fn standing_decision(&self) -> Option<&ApprovalRecord> {
        self.decisions.iter().rev().find(|d| d.voided_at.is_none())
    }

    /// The lock on the whole assessment (DOMAIN §3): decided, or submitted.
    pub fn lock(&self) -> Option<Lock> {
        if self.standing_decision().is_some() {
            Some(Lock::Decided)
        } else if self.submitted_at.is_some() {
            Some(Lock::Submitted)
        } else {
            None
        }
    }

    /// The lock on step 1: the whole assessment's, or step 1's own once it
    /// escalated, stopped or was resolved.
    pub fn step1_lock(&self) -> Option<Lock> {
        self.lock()
            .or(match (&self.step1_result, &self.resolution) {
                (_, Some(_)) => Some(Lock::Step1Final),
                (Some(result), None) if result.outcome == Step1Outcome::Stop => {
                    Some(Lock::Step1Final)
                }
                (Some(result), None) if result.outcome == Step1Outcome::Escalate => {
                    Some(Lock::Step1Escalated)
                }
                _ => None,
            })
    }

    /// The supplier status this assessment gives its supplier when it is the
    /// latest (DOMAIN §1): the standing decision's, `rejected` after a stop,
    /// else `in_assessment`. The one home of that rule.
    pub fn supplier_status(&self) -> SupplierStatus {
        match self.standing_decision().map(|d| d.decision) {
            Some(Decision::Approve) => SupplierStatus::Approved,
            Some(Decision::ApproveWithConditions) => SupplierStatus::ApprovedWithConditions,
            Some(Decision::Reject) => SupplierStatus::Rejected,
            None if self.step1_outcome() == Some(Step1Outcome::Stop) => SupplierStatus::Rejected,
            None => SupplierStatus::InAssessment,
        }
    }
}

/// Whether `user` is the assessor whose id is `assessor_id` and whose name
/// is `assessor` ([`Assessment::made_by`]).
pub(crate) fn is_assessor(
    assessor_id: Option<UserId>,
    assessor: &str,
    user: &crate::access::User,
) -> bool {
    assessor_id == Some(user.id)
        || assessor
            .trim()
            .eq_ignore_ascii_case(user.display_name.trim())
}

/// Why management approval is required (DOMAIN §7).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ApprovalReason {
    CriticalTier,
    CriticalService { service: String },
    HighRiskAccepted { service: String },
    DeviationAccepted { service: String, key: String },
}

/// An assessment as a supplier's list of assessments shows it: when, by
/// whom, and how it stands as the core reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AssessmentEntry {
    pub id: AssessmentId,
    pub assessed_on: NaiveDate,
    pub assessor: String,
    /// The decision that stands ([`Assessment::standing_decision`]).
    pub decision: Option<Decision>,
    pub submitted: bool,
    /// Step 1 as it stands ([`Assessment::step1_outcome`]).
    pub step1: Option<Step1Outcome>,
}

impl From<&Assessment> for AssessmentEntry {
    fn from(a: &Assessment) -> AssessmentEntry {
        AssessmentEntry {
            id: a.id,
            assessed_on: a.assessed_on,
            assessor: a.assessor.clone(),
            decision: a.standing_decision().map(|d| d.decision),
            submitted: a.submitted_at.is_some(),
            step1: a.step1_outcome(),
        }
    }
}

/// Where an assessment stands (DOMAIN §3, §7), computed in one place for
/// the window, the reports and the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AssessmentState {
    /// Step 1 has criteria left to rate.
    Step1Unrated,
    /// Step 1 escalated; management has not resolved it.
    Escalated,
    /// Step 1 ended in stop (computed or by resolution): the supplier is rejected.
    Stopped,
    /// A service has no step 2 yet.
    Step2Incomplete,
    /// A contract requirement or a transfer rule blocks approval.
    Blocked,
    /// Nothing blocks: the officer can submit it for a decision.
    ReadyToSubmit,
    /// Submitted, awaiting the decision.
    Submitted,
    /// Decided; the decision stands.
    Decided,
}

/// Something that stands in the way of a decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Blocker {
    /// Step 1 has criteria left to rate.
    Step1Unrated { rated: u32, criteria: u32 },
    /// Step 1 escalated and management has not resolved it.
    Step1Escalated,
    /// Step 1 ended in stop.
    Step1Stopped,
    /// A service of the supplier has no step 2.
    ServiceNotAssessed { service: String },
    /// A service's own blocking item (requirements, transfers).
    Service { service: String, item: BlockingItem },
}

/// The summary of a supplier's assessment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, schemars::JsonSchema)]
pub struct Summary {
    pub state: AssessmentState,
    pub step1: Option<Step1Outcome>,
    /// How many criteria step 1 rates, of how many.
    pub step1_rated: u32,
    pub step1_criteria: u32,
    pub resolved: bool,
    pub services: Vec<ServiceSummary>,
    /// Services of the supplier that step 2 has not covered yet.
    pub services_not_assessed: Vec<String>,
    pub approval_required: bool,
    pub approval_reasons: Vec<ApprovalReason>,
    /// Who decides (DOMAIN §7): management where approval is required,
    /// else the procurement officer.
    pub decider: Role,
    /// Whether anything blocks approval.
    pub blocked: bool,
    /// Everything that blocks approval, in order.
    pub blockers: Vec<Blocker>,
    /// The lock on step 1, and on the whole assessment (DOMAIN §3).
    pub step1_lock: Option<Lock>,
    pub lock: Option<Lock>,
    /// The decision that stands, if any.
    pub decision: Option<ApprovalRecord>,
    /// The latest voided decision when none stands, and the reopening that
    /// voided it, if it was reopened.
    pub voided: Option<ApprovalRecord>,
    pub reopened: Option<AssessmentEvent>,
}

/// One service in the summary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, schemars::JsonSchema)]
pub struct ServiceSummary {
    pub service_id: ServiceId,
    pub name: String,
    pub level: Option<RiskBand>,
    pub transfer: Verdict,
    pub blocking: Vec<BlockingItem>,
}
