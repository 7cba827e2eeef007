//! The assessment as a record: started for a supplier under the rule set in
//! force, step 1, an escalation resolved by someone else, step 2 for each
//! service, the summary, and re-evaluation under a newer rule set on request.
//! Inputs and the results computed from them are stored together.

use super::certification::{self, Certification};
use super::decisions::{self, ApprovalRecord, Decision};
use super::requirements::mandatory;
use super::risk::{self, Rating};
use super::step1::{self, Step1Input, Step1Outcome, Step1Result};
use crate::access::{Permission, UserId};
use crate::error::{Error, FieldError, Lock, Result, ValidationCode};
use crate::rules::{self, RiskBand, RuleSet, Verdict};
use crate::store::{from_json, to_json, Db, Tx};
use crate::supplier::{self, Service, ServiceId, SupplierDetail, SupplierId, SupplierStatus, Tier};
use crate::transfer::{self, TransferEvaluation, TransferInput};
use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension};
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

/// The three dimensions every service's risk register covers (DOMAIN §4).
pub const REQUIRED_DIMENSIONS: [&str; 3] = ["data_protection", "availability", "business_impact"];

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
    /// `data_protection`, `availability`, `business_impact`, or another dimension.
    pub dimension: String,
    pub description: String,
    pub inherent: Rating,
    pub treatment: Treatment,
    /// The controls relied on.
    pub controls: String,
    pub residual: Rating,
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

impl BlockingItem {
    /// The item in an English sentence.
    pub fn sentence(&self) -> String {
        match self {
            BlockingItem::TransferForbidden => "the transfer rules forbid where the data is stored or accessed".into(),
            BlockingItem::SafeguardsMissing => {
                "the transfer needs standard contractual clauses and a transfer impact assessment, not both recorded".into()
            }
            BlockingItem::RequirementMissing { key } => format!("the mandatory requirement {key} is missing from the contract"),
            BlockingItem::RequirementUnmarked { key } => format!("the mandatory requirement {key} is not marked yet"),
        }
    }
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

/// Sets the status of `supplier_id` from its latest assessment (see
/// [`Assessment::supplier_status`]): `draft` without one; an offboarded
/// supplier stays offboarded, and one that requires a reassessment keeps
/// that status while its standing approval is what the events came after.
/// Every workflow step ends here. Runs inside the caller's transaction.
pub(crate) fn refresh_status(
    tx: &Connection,
    supplier_id: SupplierId,
    now: &str,
) -> Result<SupplierStatus> {
    let current: SupplierStatus = tx.query_row(
        "SELECT status FROM supplier WHERE id = ?1",
        [supplier_id.to_string()],
        |r| r.get(0),
    )?;
    let latest: Option<String> = tx
        .query_row(
            "SELECT id FROM assessment WHERE supplier_id = ?1 ORDER BY created_at DESC, rowid DESC LIMIT 1",
            [supplier_id.to_string()],
            |r| r.get(0),
        )
        .optional()?;
    let latest = latest
        .map(|id| {
            load(
                tx,
                AssessmentId(Uuid::parse_str(&id).map_err(|e| Error::Internal(e.to_string()))?),
            )
        })
        .transpose()?;
    let status = derive_status(current, latest.as_ref());
    if status != current {
        supplier::set_workflow_status(tx, supplier_id, status, now)?;
    }
    Ok(status)
}

/// The status of a supplier whose status is `current` and whose latest
/// assessment is `latest` (DOMAIN §1): `draft` without an assessment, else
/// what the assessment gives ([`Assessment::supplier_status`]); offboarded
/// stays offboarded, and a required reassessment stays while the approval
/// the events came after stands.
pub fn derive_status(current: SupplierStatus, latest: Option<&Assessment>) -> SupplierStatus {
    if current == SupplierStatus::Offboarded {
        return current;
    }
    let derived = latest.map_or(SupplierStatus::Draft, Assessment::supplier_status);
    if current == SupplierStatus::ReassessmentRequired
        && matches!(
            derived,
            SupplierStatus::Approved | SupplierStatus::ApprovedWithConditions
        )
    {
        current
    } else {
        derived
    }
}

/// Refuses a change that `lock` forbids.
fn unlocked(lock: Option<Lock>) -> Result<()> {
    lock.map_or(Ok(()), |lock| Err(Error::Locked(lock)))
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

impl ApprovalReason {
    /// The reason in an English sentence.
    pub fn sentence(&self) -> String {
        match self {
            ApprovalReason::CriticalTier => "the supplier's tier is critical".into(),
            ApprovalReason::CriticalService { service } => {
                format!("the risk level of {service} is critical")
            }
            ApprovalReason::HighRiskAccepted { service } => {
                format!("a risk of level high or above in {service} is accepted")
            }
            ApprovalReason::DeviationAccepted { service, key } => {
                format!("the contract of {service} deviates from the requirement {key}, and the deviation is accepted")
            }
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

impl Blocker {
    /// The blocker in an English sentence.
    pub fn sentence(&self) -> String {
        match self {
            Blocker::Step1Unrated { rated: 0, .. } => "step 1 is not rated yet".into(),
            Blocker::Step1Unrated { rated, criteria } => {
                format!("step 1 is not complete: {rated} of {criteria} criteria rated")
            }
            Blocker::Step1Escalated => {
                "step 1 is escalated: management must resolve the escalation".into()
            }
            Blocker::Step1Stopped => "step 1 ended in stop: the supplier is rejected".into(),
            Blocker::ServiceNotAssessed { service } => format!("{service} has no step 2"),
            Blocker::Service { service, item } => format!("{service}: {}", item.sentence()),
        }
    }
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

/// Starts an assessment of a supplier under the rule set in force, by the
/// signed-in officer; the supplier goes to `in_assessment`. A reassessment
/// starts from a copy of the previous assessment's inputs, with the results
/// recomputed under the rules in force.
pub fn start(db: &Db, supplier_id: SupplierId, assessed_on: NaiveDate) -> Result<Assessment> {
    let today = db.now().date_naive();
    let earliest = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or(NaiveDate::MIN);
    if assessed_on > today || assessed_on < earliest {
        return Err(Error::invalid(
            "assessed_on",
            ValidationCode::OutOfRange,
            format!("{assessed_on} is not a possible assessment date: between 2000-01-01 and today ({today})"),
        ));
    }
    let id = AssessmentId(db.new_id());
    db.write(Permission::Assess, |tx| {
        let user = tx.user("assess")?;
        let now = tx.now_text();
        let detail = supplier::detail_in(tx, supplier_id)?;
        if detail.supplier.status == SupplierStatus::Offboarded {
            return Err(Error::NotAllowed("an offboarded supplier cannot be assessed".into()));
        }
        let previous: Option<String> = tx
            .query_row(
                "SELECT id FROM assessment WHERE supplier_id = ?1 ORDER BY created_at DESC, rowid DESC LIMIT 1",
                [supplier_id.to_string()],
                |r| r.get(0),
            )
            .optional()?;
        let version = rules::ensure_stored(tx, &now)?;
        tx.execute(
            "INSERT INTO assessment (id, supplier_id, rule_set_version, assessed_on, assessor, assessor_id, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
            rusqlite::params![id.to_string(), supplier_id.to_string(), version, assessed_on, user.display_name, user.id.to_string(), now],
        )?;
        if let Some(previous) = previous {
            let previous = load(tx, AssessmentId(Uuid::parse_str(&previous).map_err(|e| Error::Internal(e.to_string()))?))?;
            copy_inputs(tx, id, &previous, &detail)?;
        }
        refresh_status(tx, supplier_id, &now)?;
        crate::supplier::follow_up::set_follow_up(tx, supplier_id, None, None)?;
        load(tx, id)
    })
}

/// Carries what the officer wrote in step 1 of `previous` over to the new
/// assessment `id`: the notes, the evidence links (to items still in the
/// register) and the compensating controls. Never a rating, and no step 2:
/// a new assessment starts unrated (DOMAIN §3).
fn copy_inputs(
    tx: &Connection,
    id: AssessmentId,
    previous: &Assessment,
    detail: &SupplierDetail,
) -> Result<()> {
    if let Some(input) = &previous.step1 {
        // Ratings start unrated (DOMAIN §3): the notes, the evidence links
        // and the compensating controls are carried over, never a rating.
        let mut input = Step1Input {
            ratings: Default::default(),
            ..input.clone()
        };
        // Evidence links to evidence that no longer exists are dropped.
        for links in input.evidence.values_mut() {
            links.retain(|e| detail.evidence.iter().any(|x| x.id == *e));
        }
        tx.execute(
            "UPDATE assessment SET step1_input = ?2 WHERE id = ?1",
            rusqlite::params![id.to_string(), to_json(&input)?],
        )?;
    }
    Ok(())
}

/// Reads an assessment.
pub fn get(db: &Db, id: AssessmentId) -> Result<Assessment> {
    db.read(|conn| load(conn, id))
}

/// The assessments of a supplier, newest first.
pub fn of_supplier(db: &Db, supplier_id: SupplierId) -> Result<Vec<Assessment>> {
    db.read(|conn| of_supplier_in(conn, supplier_id))
}

/// [`of_supplier`] inside the caller's transaction.
pub(crate) fn of_supplier_in(
    conn: &Connection,
    supplier_id: SupplierId,
) -> Result<Vec<Assessment>> {
    let ids: Vec<String> = conn
        .prepare_cached(
            "SELECT id FROM assessment WHERE supplier_id = ?1 ORDER BY created_at DESC, id",
        )?
        .query_map([supplier_id.to_string()], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    ids.iter()
        .map(|id| {
            load(
                conn,
                AssessmentId(Uuid::parse_str(id).map_err(|e| Error::Internal(e.to_string()))?),
            )
        })
        .collect()
}

pub(crate) fn load(conn: &Connection, id: AssessmentId) -> Result<Assessment> {
    let row = conn
        .query_row(
            "SELECT supplier_id, rule_set_version, assessed_on, assessor, step1_input, step1_result, resolution,
                    assessor_id, submitted_at
             FROM assessment WHERE id = ?1",
            [id.to_string()],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, u32>(1)?,
                    r.get::<_, NaiveDate>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, Option<String>>(4)?,
                    r.get::<_, Option<String>>(5)?,
                    r.get::<_, Option<String>>(6)?,
                    r.get::<_, Option<String>>(7)?,
                    r.get::<_, Option<String>>(8)?,
                ))
            },
        )
        .optional()?
        .ok_or_else(|| Error::NotFound {
            entity: "assessment",
            id: id.to_string(),
        })?;
    let (
        supplier_id,
        rule_set_version,
        assessed_on,
        assessor,
        step1,
        step1_result,
        resolution,
        assessor_id,
        submitted_at,
    ) = row;
    let mut services = Vec::new();
    let mut statement = conn.prepare_cached(
        "SELECT service_id, input, result FROM service_assessment WHERE assessment_id = ?1 ORDER BY service_id",
    )?;
    let rows = statement.query_map([id.to_string()], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
        ))
    })?;
    for row in rows {
        let (service_id, input, result) = row?;
        services.push(ServiceAssessment {
            service_id: service_id
                .parse()
                .map_err(|e: uuid::Error| Error::Internal(e.to_string()))?,
            input: from_json(&input)?,
            result: from_json(&result)?,
        });
    }
    Ok(Assessment {
        id,
        supplier_id: supplier_id
            .parse()
            .map_err(|e: uuid::Error| Error::Internal(e.to_string()))?,
        rule_set_version,
        assessed_on,
        assessor,
        step1: step1.as_deref().map(from_json).transpose()?,
        step1_result: step1_result.as_deref().map(from_json).transpose()?,
        resolution: resolution.as_deref().map(from_json).transpose()?,
        services,
        assessor_id: assessor_id
            .as_deref()
            .map(|t| {
                t.parse()
                    .map_err(|e: uuid::Error| Error::Internal(e.to_string()))
            })
            .transpose()?,
        submitted_at,
        decisions: decisions::of_assessment(conn, id)?,
        events: events_of(conn, id)?,
    })
}

/// The withdrawals and reopenings of an assessment, oldest first.
fn events_of(conn: &Connection, id: AssessmentId) -> Result<Vec<AssessmentEvent>> {
    // A database still at a schema before these events (being filled for
    // an upgrade) has none.
    let Ok(mut statement) = conn.prepare_cached(
        "SELECT id, kind, reason, actor, at, voided_decision FROM assessment_event
         WHERE assessment_id = ?1 ORDER BY at, rowid",
    ) else {
        return Ok(Vec::new());
    };
    let rows: Vec<(
        String,
        AssessmentEventKind,
        String,
        String,
        String,
        Option<String>,
    )> = statement
        .query_map([id.to_string()], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let parse = |s: &str| Uuid::parse_str(s).map_err(|e| Error::Internal(e.to_string()));
    rows.into_iter()
        .map(|(event, kind, reason, actor, at, voided)| {
            Ok(AssessmentEvent {
                id: parse(&event)?,
                kind,
                reason,
                actor,
                at,
                voided_decision: voided
                    .as_deref()
                    .map(parse)
                    .transpose()?
                    .map(super::decisions::ApprovalId),
            })
        })
        .collect()
}

/// Records a withdrawal or a reopening. Runs inside the caller's transaction.
pub(crate) fn record_event(tx: &Tx<'_>, id: AssessmentId, event: &AssessmentEvent) -> Result<()> {
    tx.execute(
        "INSERT INTO assessment_event (id, assessment_id, kind, reason, actor, at, voided_decision)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        rusqlite::params![
            event.id.to_string(),
            id.to_string(),
            event.kind,
            event.reason,
            event.actor,
            event.at,
            event.voided_decision.map(|d| d.to_string()),
        ],
    )?;
    Ok(())
}

/// The judgement of the evidence `input` links to the certification
/// criterion of `rules`, on `date` (DOMAIN §3).
fn certification_of(
    rules: &RuleSet,
    input: &Step1Input,
    detail: &SupplierDetail,
    date: NaiveDate,
) -> Certification {
    let linked = input
        .evidence
        .get(&rules.step1.certification)
        .map_or(&[][..], Vec::as_slice);
    certification::judge(&detail.evidence, linked, date)
}

/// Records step 1, partly rated as a draft or complete with its computed
/// outcome; a stop rejects the supplier. Refused once step 1 is locked
/// (escalated, stopped, resolved, submitted or decided).
pub fn save_step1(db: &Db, id: AssessmentId, input: Step1Input) -> Result<Assessment> {
    db.write(Permission::Assess, |tx| {
        let now = tx.now_text();
        let assessment = load(tx, id)?;
        unlocked(assessment.step1_lock())?;
        let rules = rules::get(tx, assessment.rule_set_version)?;
        let detail = supplier::detail_in(tx, assessment.supplier_id)?;
        check_evidence_links(&input, &detail)?;
        let certification = certification_of(&rules, &input, &detail, assessment.assessed_on);
        let result = step1::evaluate_draft(&rules, &input, detail.supplier.fields.tier, &certification)?;
        tx.execute(
            "UPDATE assessment SET step1_input = ?2, step1_result = ?3, updated_at = ?4 WHERE id = ?1",
            rusqlite::params![id.to_string(), to_json(&input)?, result.as_ref().map(to_json).transpose()?, now],
        )?;
        refresh_status(tx, assessment.supplier_id, &now)?;
        load(tx, id)
    })
}

/// Refuses links to evidence that is not the supplier's.
fn check_evidence_links(input: &Step1Input, detail: &SupplierDetail) -> Result<()> {
    let errors: Vec<FieldError> = input
        .evidence
        .iter()
        .flat_map(|(key, links)| links.iter().map(move |link| (key, link)))
        .filter(|(_, link)| !detail.evidence.iter().any(|e| e.id == **link))
        .map(|(key, link)| {
            FieldError::new(
                format!("evidence.{key}"),
                ValidationCode::UnknownValue,
                format!("{link} is not an evidence item of this supplier"),
            )
        })
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Error::Invalid(errors))
    }
}

/// Resolves an escalated step 1 to approved or stop: by the signed-in
/// management user, who must not be the assessor and must say why.
pub fn resolve_escalation(
    db: &Db,
    id: AssessmentId,
    decision: Step1Outcome,
    justification: &str,
) -> Result<Assessment> {
    let justification = justification.trim();
    let mut errors = Vec::new();
    if justification.is_empty() {
        errors.push(FieldError::new(
            "justification",
            ValidationCode::Required,
            "a resolution needs a justification",
        ));
    }
    if decision == Step1Outcome::Escalate {
        errors.push(FieldError::new(
            "decision",
            ValidationCode::UnknownValue,
            "an escalation is resolved to approved or stop",
        ));
    }
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    db.write(Permission::ResolveEscalation, |tx| {
        let resolver = tx.user("resolve escalations")?;
        let now = tx.now_text();
        let assessment = load(tx, id)?;
        if assessment.step1_result.as_ref().map(|r| r.outcome) != Some(Step1Outcome::Escalate)
            || assessment.resolution.is_some()
        {
            return Err(Error::NotAllowed(
                "only an unresolved escalation can be resolved".into(),
            ));
        }
        if assessment.assessor_id == Some(resolver.id)
            || resolver
                .display_name
                .trim()
                .eq_ignore_ascii_case(assessment.assessor.trim())
        {
            return Err(Error::NotAllowed(format!(
                "{} made this assessment: the escalation must be resolved by someone else",
                resolver.display_name
            )));
        }
        let resolution = Resolution {
            resolver: resolver.display_name.clone(),
            decision,
            justification: justification.to_owned(),
            at: now.clone(),
        };
        tx.execute(
            "UPDATE assessment SET resolution = ?2, updated_at = ?3 WHERE id = ?1",
            rusqlite::params![id.to_string(), to_json(&resolution)?, now],
        )?;
        refresh_status(tx, assessment.supplier_id, &now)?;
        load(tx, id)
    })
}

/// Checks step 2 of a service: every required dimension covered, each risk's
/// ratings, treatment and controls, and the requirement marks.
fn check_service(rules: &RuleSet, input: &ServiceInput) -> Result<()> {
    let mut errors = Vec::new();
    for dimension in REQUIRED_DIMENSIONS {
        if !input.risks.iter().any(|r| r.dimension == dimension) {
            errors.push(FieldError::new(
                "risks",
                ValidationCode::Required,
                format!("at least one risk in the dimension {dimension} is required"),
            ));
        }
    }
    for (i, r) in input.risks.iter().enumerate() {
        let prefix = format!("risks[{i}]");
        if r.description.trim().is_empty() {
            errors.push(FieldError::new(
                format!("{prefix}.description"),
                ValidationCode::Required,
                "describe the risk",
            ));
        }
        if r.dimension.trim().is_empty() {
            errors.push(FieldError::new(
                format!("{prefix}.dimension"),
                ValidationCode::Required,
                "name the dimension",
            ));
        }
        match risk::check(&prefix, r.inherent, r.residual) {
            Err(error) => errors.extend(error.field_errors().iter().cloned()),
            Ok(()) if r.treatment == Treatment::Accept && r.residual != r.inherent => {
                errors.push(FieldError::new(
                    format!("{prefix}.residual_likelihood"),
                    ValidationCode::OutOfRange,
                    format!(
                        "an accepted risk is taken as it is: its residual rating must equal the inherent {}×{}",
                        r.inherent.likelihood, r.inherent.impact
                    ),
                ))
            }
            Ok(()) => {}
        }
    }
    for (i, mark) in input.requirements.iter().enumerate() {
        if !rules.requirements.iter().any(|d| d.key == mark.key) {
            errors.push(FieldError::new(
                format!("requirements[{i}].key"),
                ValidationCode::UnknownValue,
                format!("{:?} is not in the catalogue", mark.key),
            ));
        }
        let needs_reason = matches!(
            mark.status,
            RequirementStatus::NotApplicable | RequirementStatus::DeviationAccepted
        );
        if needs_reason && mark.justification.trim().is_empty() {
            errors.push(FieldError::new(
                format!("requirements[{i}].justification"),
                ValidationCode::Required,
                if mark.status == RequirementStatus::NotApplicable {
                    "not applicable needs a justification"
                } else {
                    "an accepted deviation needs a justification"
                },
            ));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Error::Invalid(errors))
    }
}

/// Computes the result of step 2 for a service.
/// Stores (inserts or replaces) one service's assessment: its input and
/// result as JSON and, beside them, its level and its highest residual
/// rating, which the overview reads from an index.
fn store_service(
    tx: &Connection,
    id: AssessmentId,
    service_id: ServiceId,
    input: &ServiceInput,
    result: &ServiceResult,
    now: &str,
) -> Result<()> {
    let highest = risk::highest(input.risks.iter().map(|r| r.residual));
    tx.prepare_cached(
        "INSERT INTO service_assessment (assessment_id, service_id, input, result, updated_at,
             risk_level, residual_likelihood, residual_impact)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT (assessment_id, service_id) DO UPDATE SET input = excluded.input, result = excluded.result,
             updated_at = excluded.updated_at, risk_level = excluded.risk_level,
             residual_likelihood = excluded.residual_likelihood, residual_impact = excluded.residual_impact",
    )?
    .execute(rusqlite::params![
        id.to_string(),
        service_id.0.to_string(),
        to_json(input)?,
        to_json(result)?,
        now,
        result.level.map(RiskBand::as_str),
        highest.map(|r| r.likelihood),
        highest.map(|r| r.impact),
    ])?;
    Ok(())
}

fn service_result(
    rules: &RuleSet,
    service: &Service,
    detail: &SupplierDetail,
    input: &ServiceInput,
) -> ServiceResult {
    let level = risk::service_level(&rules.bands, input.risks.iter().map(|r| r.residual));
    let mandatory_keys: Vec<String> = level
        .map(|level| {
            mandatory(rules, level, service.fields.personal_data)
                .iter()
                .map(|r| r.key.clone())
                .collect()
        })
        .unwrap_or_default();
    let locations =
        supplier::DataLocations::of(&service.fields, service.id, &detail.subcontractors);
    let transfer = transfer::evaluate(
        rules,
        &TransferInput {
            classification: service.fields.data_classification,
            personal_data: service.fields.personal_data,
            countries: &locations.countries,
            via: &locations.via,
            dpf_certified: detail.supplier.fields.dpf_certified,
            exposed: detail.exposure.exposed,
        },
    );
    let mut blocking = Vec::new();
    match transfer.verdict {
        Verdict::Forbidden => blocking.push(BlockingItem::TransferForbidden),
        Verdict::Safeguards
            if !(input.standard_contractual_clauses && input.transfer_impact_assessment) =>
        {
            blocking.push(BlockingItem::SafeguardsMissing)
        }
        _ => {}
    }
    for key in &mandatory_keys {
        match input
            .requirements
            .iter()
            .find(|m| &m.key == key)
            .map(|m| m.status)
        {
            Some(RequirementStatus::Missing) => {
                blocking.push(BlockingItem::RequirementMissing { key: key.clone() })
            }
            None => blocking.push(BlockingItem::RequirementUnmarked { key: key.clone() }),
            Some(_) => {}
        }
    }
    // An accepted risk is not treated: its inherent rating is what is taken.
    let high_risk_accepted = input.risks.iter().any(|r| {
        r.treatment == Treatment::Accept
            && risk::band(&rules.bands, r.inherent.score().max(r.residual.score()))
                >= RiskBand::High
    });
    ServiceResult {
        level,
        mandatory: mandatory_keys,
        transfer,
        blocking,
        high_risk_accepted,
    }
}

/// Records step 2 of one service. Refused until step 1 is approved (directly
/// or by resolution).
pub fn save_service(
    db: &Db,
    id: AssessmentId,
    service_id: ServiceId,
    input: ServiceInput,
) -> Result<Assessment> {
    db.write(Permission::Assess, |tx| {
        let now = tx.now_text();
        let assessment = load(tx, id)?;
        unlocked(assessment.lock())?;
        if assessment.step1_outcome() != Some(Step1Outcome::Approved) {
            return Err(Error::NotAllowed(
                "step 2 can be recorded only after step 1 is approved".into(),
            ));
        }
        let rules = rules::get(tx, assessment.rule_set_version)?;
        check_service(&rules, &input)?;
        let detail = supplier::detail_in(tx, assessment.supplier_id)?;
        let service = detail
            .services
            .iter()
            .find(|s| s.id == service_id)
            .ok_or_else(|| Error::NotFound {
                entity: "service of this supplier",
                id: service_id.0.to_string(),
            })?;
        let result = service_result(&rules, service, &detail, &input);
        store_service(tx, id, service_id, &input, &result, &now)?;
        tx.execute(
            "UPDATE assessment SET updated_at = ?2 WHERE id = ?1",
            rusqlite::params![id.to_string(), now],
        )?;
        load(tx, id)
    })
}

/// Stores an assessment from a register file: its inputs as they are, its
/// results recomputed under its own rule set version (a file's results are
/// never taken on trust). Runs inside the caller's transaction. Every
/// problem is reported at once, each field named by its path inside the
/// assessment as the register file writes it (`services[0].input.risks[1].residual.likelihood`).
pub fn import(tx: &Tx<'_>, assessment: &Assessment, now: &str) -> Result<()> {
    let mut errors: Vec<FieldError> = Vec::new();
    let mut collect = |prefix: &str, result: Result<()>| -> Result<()> {
        match result {
            Ok(()) => Ok(()),
            Err(Error::Invalid(found)) => {
                errors.extend(found.into_iter().map(|e| FieldError {
                    field: file_path(prefix, &e.field),
                    ..e
                }));
                Ok(())
            }
            Err(other) => Err(other),
        }
    };
    let exists: u32 = tx.query_row(
        "SELECT count(*) FROM assessment WHERE id = ?1",
        [assessment.id.to_string()],
        |r| r.get(0),
    )?;
    if exists > 0 {
        collect(
            "",
            Err(Error::invalid(
                "id",
                ValidationCode::Duplicate,
                format!("an assessment with id {} is already stored", assessment.id),
            )),
        )?;
    }
    let rules = match rules::get(tx, assessment.rule_set_version) {
        Ok(rules) => rules,
        Err(Error::NotFound { .. }) => {
            return Err(Error::invalid(
                "rule_set_version",
                ValidationCode::UnknownValue,
                format!(
                    "rule set version {} is neither in the file's rule_sets nor in the database",
                    assessment.rule_set_version
                ),
            ))
        }
        Err(other) => return Err(other),
    };
    rules::ensure_stored(tx, now)?;
    let detail = supplier::detail_in(tx, assessment.supplier_id)?;
    let mut step1_result = None;
    if let Some(input) = &assessment.step1 {
        collect("step1", check_evidence_links(input, &detail))?;
        let evaluated = step1::evaluate_draft(
            &rules,
            input,
            detail.supplier.fields.tier,
            &certification_of(&rules, input, &detail, assessment.assessed_on),
        )
        .map(|result| step1_result = result);
        collect("step1", evaluated)?;
    }
    for (i, event) in assessment.events.iter().enumerate() {
        if event.kind == AssessmentEventKind::Reopened
            && (event.reason.trim().is_empty() || event.voided_decision.is_none())
        {
            collect(
                "",
                Err(Error::invalid(
                    format!("events[{i}]"),
                    ValidationCode::Required,
                    "a reopening needs its reason and the decision it voided",
                )),
            )?;
        }
    }
    let mut services = Vec::new();
    for (k, service_assessment) in assessment.services.iter().enumerate() {
        match detail
            .services
            .iter()
            .find(|s| s.id == service_assessment.service_id)
        {
            None => collect(
                "",
                Err(Error::invalid(
                    format!("services[{k}].service_id"),
                    ValidationCode::UnknownValue,
                    format!(
                        "service {} is not a service of this supplier",
                        service_assessment.service_id.0
                    ),
                )),
            )?,
            Some(service) => {
                collect(
                    &format!("services[{k}].input"),
                    check_service(&rules, &service_assessment.input),
                )?;
                services.push((service, service_assessment));
            }
        }
    }
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    tx.execute(
        "INSERT INTO assessment (id, supplier_id, rule_set_version, assessed_on, assessor, step1_input, step1_result,
             resolution, created_at, updated_at, submitted_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9, ?10)",
        rusqlite::params![
            assessment.id.to_string(),
            assessment.supplier_id.to_string(),
            assessment.rule_set_version,
            assessment.assessed_on,
            assessment.assessor,
            assessment.step1.as_ref().map(to_json).transpose()?,
            step1_result.as_ref().map(to_json).transpose()?,
            assessment.resolution.as_ref().map(to_json).transpose()?,
            now,
            assessment.submitted_at,
        ],
    )?;
    for event in &assessment.events {
        record_event(tx, assessment.id, event)?;
    }
    for (service, service_assessment) in services {
        let result = service_result(&rules, service, &detail, &service_assessment.input);
        store_service(
            tx,
            assessment.id,
            service.id,
            &service_assessment.input,
            &result,
            now,
        )?;
    }
    Ok(())
}

/// A field of the window's forms as the register file writes it, under
/// `prefix`: a risk's `residual_likelihood` is `residual.likelihood` there.
fn file_path(prefix: &str, field: &str) -> String {
    let mut path = field.to_owned();
    for rating in ["inherent", "residual"] {
        for axis in ["likelihood", "impact"] {
            path = path.replace(&format!("{rating}_{axis}"), &format!("{rating}.{axis}"));
        }
    }
    if prefix.is_empty() {
        path
    } else {
        format!("{prefix}.{path}")
    }
}

/// Re-evaluates an assessment under the rule set in force now, recomputing
/// and storing every result, and records that it was done. Refused while
/// step 1 is locked: a re-evaluation must not re-rate an escalation away.
pub fn reevaluate(db: &Db, id: AssessmentId) -> Result<Assessment> {
    db.write(Permission::Assess, |tx| {
        let now = tx.now_text();
        let requested_by = tx.user("re-evaluate")?.display_name.clone();
        let assessment = load(tx, id)?;
        unlocked(assessment.step1_lock())?;
        let version = rules::ensure_stored(tx, &now)?;
        let rules = rules::get(tx, version)?;
        let detail = supplier::detail_in(tx, assessment.supplier_id)?;
        let step1_result = match &assessment.step1 {
            Some(input) => step1::evaluate_draft(
                &rules,
                input,
                detail.supplier.fields.tier,
                &certification_of(&rules, input, &detail, assessment.assessed_on),
            )?,
            None => None,
        };
        tx.execute(
            "UPDATE assessment SET rule_set_version = ?2, step1_result = ?3, updated_at = ?4 WHERE id = ?1",
            rusqlite::params![id.to_string(), version, step1_result.as_ref().map(to_json).transpose()?, now],
        )?;
        for service_assessment in &assessment.services {
            if let Some(service) = detail.services.iter().find(|s| s.id == service_assessment.service_id) {
                let result = service_result(&rules, service, &detail, &service_assessment.input);
                store_service(tx, id, service.id, &service_assessment.input, &result, &now)?;
            }
        }
        tx.execute(
            "INSERT INTO reevaluation (assessment_id, from_version, to_version, requested_by, at) VALUES (?1, ?2, ?3, ?4, ?5)",
            rusqlite::params![id.to_string(), assessment.rule_set_version, version, requested_by, now],
        )?;
        refresh_status(tx, assessment.supplier_id, &now)?;
        load(tx, id)
    })
}

/// The summary of an assessment, from its stored results (DOMAIN §7 decides
/// whether management approval is required).
pub fn summary(db: &Db, id: AssessmentId) -> Result<Summary> {
    db.read(|conn| summary_in(conn, id))
}

/// [`summary`] inside the caller's transaction.
pub(crate) fn summary_in(conn: &Connection, id: AssessmentId) -> Result<Summary> {
    {
        let assessment = load(conn, id)?;
        let detail = supplier::detail_in(conn, assessment.supplier_id)?;
        let mut approval_reasons = Vec::new();
        if detail.supplier.fields.tier == Tier::Critical {
            approval_reasons.push(ApprovalReason::CriticalTier);
        }
        let mut services = Vec::new();
        for sa in &assessment.services {
            let name = detail
                .services
                .iter()
                .find(|s| s.id == sa.service_id)
                .map_or_else(|| sa.service_id.0.to_string(), |s| s.fields.name.clone());
            if sa.result.level == Some(RiskBand::Critical) {
                approval_reasons.push(ApprovalReason::CriticalService {
                    service: name.clone(),
                });
            }
            if sa.result.high_risk_accepted {
                approval_reasons.push(ApprovalReason::HighRiskAccepted {
                    service: name.clone(),
                });
            }
            for mark in &sa.input.requirements {
                if mark.status == RequirementStatus::DeviationAccepted {
                    approval_reasons.push(ApprovalReason::DeviationAccepted {
                        service: name.clone(),
                        key: mark.key.clone(),
                    });
                }
            }
            services.push(ServiceSummary {
                service_id: sa.service_id,
                name,
                level: sa.result.level,
                transfer: sa.result.transfer.verdict,
                blocking: sa.result.blocking.clone(),
            });
        }
        let services_not_assessed: Vec<String> = detail
            .services
            .iter()
            .filter(|s| !assessment.services.iter().any(|sa| sa.service_id == s.id))
            .map(|s| s.fields.name.clone())
            .collect();
        let step1 = assessment.step1_outcome();
        let rules = rules::get(conn, assessment.rule_set_version)?;
        let step1_criteria = u32::try_from(rules.criteria.len()).unwrap_or(u32::MAX);
        let step1_rated = assessment
            .step1
            .as_ref()
            .map_or(0, |input| step1::rated(&rules, input));
        let mut blockers = Vec::new();
        match step1 {
            Some(Step1Outcome::Approved) => {}
            Some(Step1Outcome::Escalate) => blockers.push(Blocker::Step1Escalated),
            Some(Step1Outcome::Stop) => blockers.push(Blocker::Step1Stopped),
            None => blockers.push(Blocker::Step1Unrated {
                rated: step1_rated,
                criteria: step1_criteria,
            }),
        }
        // A stop ends the assessment: nothing else is worth listing.
        let stopped = step1 == Some(Step1Outcome::Stop);
        for name in services_not_assessed.iter().filter(|_| !stopped) {
            blockers.push(Blocker::ServiceNotAssessed {
                service: name.clone(),
            });
        }
        for service in services.iter().filter(|_| !stopped) {
            for item in &service.blocking {
                blockers.push(Blocker::Service {
                    service: service.name.clone(),
                    item: item.clone(),
                });
            }
        }
        let blocked = !blockers.is_empty();
        let decision = assessment.standing_decision().cloned();
        let state = if decision.is_some() {
            AssessmentState::Decided
        } else if assessment.submitted_at.is_some() {
            AssessmentState::Submitted
        } else {
            match step1 {
                None => AssessmentState::Step1Unrated,
                Some(Step1Outcome::Escalate) => AssessmentState::Escalated,
                Some(Step1Outcome::Stop) => AssessmentState::Stopped,
                Some(Step1Outcome::Approved) if !services_not_assessed.is_empty() => {
                    AssessmentState::Step2Incomplete
                }
                Some(Step1Outcome::Approved) if blocked => AssessmentState::Blocked,
                Some(Step1Outcome::Approved) => AssessmentState::ReadyToSubmit,
            }
        };
        let voided = if decision.is_none() {
            assessment
                .decisions
                .iter()
                .rev()
                .find(|d| d.voided_at.is_some())
                .cloned()
        } else {
            None
        };
        let reopened = voided.as_ref().and_then(|v| {
            assessment
                .events
                .iter()
                .rev()
                .find(|e| {
                    e.kind == AssessmentEventKind::Reopened && e.voided_decision == Some(v.id)
                })
                .cloned()
        });
        Ok(Summary {
            state,
            step1,
            step1_rated,
            step1_criteria,
            resolved: assessment.resolution.is_some(),
            services,
            services_not_assessed,
            approval_required: !approval_reasons.is_empty(),
            approval_reasons,
            blocked,
            blockers,
            step1_lock: assessment.step1_lock(),
            lock: assessment.lock(),
            decision,
            voided,
            reopened,
        })
    }
}

impl Summary {
    /// What stands in the way of a decision, in English sentences.
    pub fn blocking_sentences(&self) -> Vec<String> {
        self.blockers.iter().map(Blocker::sentence).collect()
    }

    /// Why management approval is required, in English sentences.
    pub fn approval_sentences(&self) -> Vec<String> {
        self.approval_reasons
            .iter()
            .map(ApprovalReason::sentence)
            .collect()
    }
}
