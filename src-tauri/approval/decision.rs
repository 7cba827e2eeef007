//! Deciding on an assessment (DOMAIN §7). The officer submits a complete
//! assessment; when management approval is required, a management user who
//! is not the assessor decides, confirming with their password; otherwise the
//! officer's decision completes it. A decision records who, when (UTC) and the
//! SHA-256 fingerprint of the canonical assessment content; a later change to
//! that content voids it, and the supplier's status follows.

use super::users::{self, Permission, Role};
pub use crate::assessment::decisions::{
    ApprovalId, ApprovalRecord, Capacity, Condition, ConditionClosure, Decision,
};
use crate::assessment::workflow::{
    self, Assessment, AssessmentEvent, AssessmentEventKind, AssessmentId,
};
use crate::audit::canonical;
use crate::error::{Error, Lock, Refusal, Result, ValidationCode};
use crate::store::signing::Kind;
use crate::store::{Db, Tx};
use crate::supplier::validate::Check;
use crate::words::Language;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What the decider enters.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct DecisionInput {
    pub decision: Decision,
    /// Required for `approve_with_conditions`: at least one, each with what
    /// must be done and by when.
    pub conditions: Vec<ConditionInput>,
    /// The decider's password, asked again.
    pub password: String,
}

/// A condition as the decider enters it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct ConditionInput {
    pub text: String,
    pub due_on: Option<NaiveDate>,
}

/// The most conditions one decision carries.
pub const MAX_CONDITIONS: usize = 20;

/// The conditions of an approval with conditions, checked (each needs what
/// and a due date, not before `today`) and trimmed; none for another
/// decision. Every problem is named by its place in the list
/// (`conditions[1].due_on`).
fn conditions(input: &DecisionInput, today: NaiveDate) -> Result<Vec<Condition>> {
    if input.decision != Decision::ApproveWithConditions {
        return Ok(Vec::new());
    }
    let mut check = Check::default();
    let entered: Vec<&ConditionInput> = input
        .conditions
        .iter()
        .filter(|c| !c.text.trim().is_empty() || c.due_on.is_some())
        .collect();
    if entered.is_empty() {
        check.push(
            "conditions",
            ValidationCode::Required,
            "approval with conditions needs at least one condition",
        );
    }
    if entered.len() > MAX_CONDITIONS {
        check.push(
            "conditions",
            ValidationCode::TooLong,
            format!(
                "lists {} conditions; at most {MAX_CONDITIONS} are allowed",
                entered.len()
            ),
        );
    }
    let mut out = Vec::new();
    for (k, c) in entered.into_iter().enumerate() {
        let mut text = c.text.clone();
        check.required(&format!("conditions[{k}].text"), &mut text);
        match c.due_on {
            None => check.push(
                &format!("conditions[{k}].due_on"),
                ValidationCode::Required,
                "is required: give the date by which the condition must be met",
            ),
            Some(due) if due < today => check.push(
                &format!("conditions[{k}].due_on"),
                ValidationCode::OutOfRange,
                format!(
                    "{due} is before today ({today}): a condition falls due after the decision"
                ),
            ),
            Some(_) => {}
        }
        out.push(Condition {
            text,
            due_on: c.due_on,
            closed: None,
            overdue_today: Default::default(),
        });
    }
    check.finish()?;
    Ok(out)
}

/// Without the password, so no debug output or log can show it.
impl std::fmt::Debug for DecisionInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DecisionInput")
            .field("decision", &self.decision)
            .field("conditions", &self.conditions)
            .field("password", &"(hidden)")
            .finish()
    }
}

/// The SHA-256 (hex) of the assessment's content: everything assessed and
/// computed, not its decisions or submission.
pub fn fingerprint(a: &Assessment) -> Result<String> {
    let content = serde_json::json!({
        "id": a.id,
        "supplier_id": a.supplier_id,
        "rule_set_version": a.rule_set_version,
        "assessed_on": a.assessed_on,
        "assessor": a.assessor,
        "step1": a.step1,
        "step1_result": a.step1_result,
        "resolution": a.resolution,
        "services": a.services,
    });
    Ok(crate::audit::sha256_hex(canonical(&content).as_bytes()))
}

/// The officer submits a complete assessment for a decision. Refused while
/// anything blocks it (step 1 not approved, services not assessed, blocking
/// items), naming what.
pub fn submit(db: &Db, id: AssessmentId) -> Result<Assessment> {
    db.write(Permission::Assess, |tx| submit_in(tx, id))
}

/// The refusal `key` with what blocks the assessment, said in each language
/// under the assessment's own rule set.
fn blocked(
    tx: &Tx<'_>,
    key: &'static str,
    assessment: &Assessment,
    summary: &workflow::Summary,
) -> Error {
    let rules = crate::rules::get(tx, assessment.rule_set_version).ok();
    Refusal::new(key)
        .said("blockers", |l| {
            summary.blocking_sentences_in(l, rules.as_ref()).join(" ")
        })
        .into()
}

/// [`submit`] inside the caller's transaction.
pub(crate) fn submit_in(tx: &Tx<'_>, id: AssessmentId) -> Result<Assessment> {
    let assessment = workflow::load(tx, id)?;
    if let Some(lock) = assessment.lock() {
        return Err(Error::Locked(lock));
    }
    let summary = workflow::summary_in(tx, id)?;
    if summary.blocked {
        return Err(blocked(tx, "refusal.cannot_submit", &assessment, &summary));
    }
    tx.execute(
        "UPDATE assessment SET submitted_at = ?2 WHERE id = ?1",
        rusqlite::params![id.to_string(), tx.now_text()],
    )?;
    workflow::load(tx, id)
}

/// Decides on a submitted assessment. When DOMAIN §7 requires management
/// approval, only a management user who is not the assessor may decide;
/// otherwise a procurement officer. Either way the decider's password is
/// asked again, and a wrong one is refused and recorded.
pub fn decide(db: &Db, id: AssessmentId, input: DecisionInput) -> Result<Assessment> {
    let user = db.require_user(Permission::Decide.describe())?;
    let conditions = conditions(&input, db.now().date_naive())?;
    if input.password.is_empty() {
        return Err(Error::invalid(
            "password",
            ValidationCode::Required,
            "confirm the decision with your password",
        ));
    }
    users::confirm(
        db,
        &user.username,
        &input.password,
        "decide on an assessment",
    )
    .map_err(|e| match e {
        Error::WrongPassword => {
            Error::invalid("password", ValidationCode::Format, "the password is wrong")
        }
        other => other,
    })?;
    let approval_id = ApprovalId(db.new_id());
    db.write(Permission::Decide, |tx| {
        decide_in(tx, id, approval_id, input.decision, &conditions)
    })
}

/// Records the signed-in user's decision on a submitted assessment, after
/// checking who may decide it and that nothing blocks it (the password was
/// confirmed by the caller). Runs inside the caller's transaction.
pub(crate) fn decide_in(
    tx: &Tx<'_>,
    id: AssessmentId,
    approval_id: ApprovalId,
    decision: Decision,
    conditions: &[Condition],
) -> Result<Assessment> {
    let user = tx.user("decide on assessments")?;
    let assessment = workflow::load(tx, id)?;
    if assessment.submitted_at.is_none() {
        return Err(Refusal::new("refusal.not_submitted").into());
    }
    if assessment.standing_decision().is_some() {
        return Err(Refusal::new("refusal.decided_already").into());
    }
    let summary = workflow::summary_in(tx, id)?;
    let capacity = if summary.decider == Role::Management {
        if !user.has(summary.decider) {
            return Err(Error::Forbidden {
                user: user.username.clone(),
                action: "approve this assessment",
                roles: format!(
                    "management ({})",
                    summary.approval_sentences_in(Language::En, None).join(" ")
                ),
            });
        }
        if assessment.made_by(user) {
            return Err(Refusal::new("refusal.approver_is_assessor")
                .with("name", &user.display_name)
                .into());
        }
        Capacity::Management
    } else {
        if !user.has(summary.decider) {
            return Err(Error::Forbidden {
                user: user.username.clone(),
                action: "decide on this assessment",
                roles: "procurement_officer (no management approval is required)".into(),
            });
        }
        Capacity::Officer
    };
    if summary.blocked {
        return Err(blocked(tx, "refusal.cannot_decide", &assessment, &summary));
    }
    let fingerprint = fingerprint(&assessment)?;
    tx.execute(
        "INSERT INTO approval (id, assessment_id, decided_by, decider_name, capacity, decision, conditions,
             fingerprint, decided_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        rusqlite::params![
            approval_id.to_string(),
            id.to_string(),
            user.id.to_string(),
            user.display_name,
            capacity,
            decision,
            if decision == Decision::ApproveWithConditions {
                crate::assessment::decisions::signed_text(conditions)
            } else {
                String::new()
            },
            fingerprint,
            tx.now_text()
        ],
    )?;
    tx.sign(Kind::Approval, &approval_id.to_string())?;
    let detail = crate::supplier::detail_in(tx, assessment.supplier_id)?;
    let next_review = match decision {
        Decision::Approve | Decision::ApproveWithConditions => {
            Some(crate::supplier::follow_up::next_review(
                detail.supplier.fields.tier,
                tx.now().date_naive(),
            ))
        }
        Decision::Reject => None,
    };
    workflow::refresh_status(tx, assessment.supplier_id, &tx.now_text())?;
    crate::supplier::follow_up::set_follow_up(tx, assessment.supplier_id, next_review, None)?;
    workflow::load(tx, id)
}

/// The officer takes a submitted assessment back before it is decided, so
/// it can be changed; recorded with the reason given (which may be empty).
pub fn withdraw(db: &Db, id: AssessmentId, reason: &str) -> Result<Assessment> {
    let event_id = db.new_id();
    let reason = reason.trim().to_owned();
    db.write(Permission::Assess, |tx| {
        let user = tx.user("withdraw an assessment")?;
        let assessment = workflow::load(tx, id)?;
        if assessment.standing_decision().is_some() {
            return Err(Error::Locked(Lock::Decided));
        }
        if assessment.submitted_at.is_none() {
            return Err(Refusal::new("refusal.nothing_to_withdraw").into());
        }
        tx.execute(
            "UPDATE assessment SET submitted_at = NULL WHERE id = ?1",
            [id.to_string()],
        )?;
        workflow::record_event(
            tx,
            id,
            &AssessmentEvent {
                id: event_id,
                kind: AssessmentEventKind::Withdrawn,
                reason,
                actor: user.display_name.clone(),
                at: tx.now_text(),
                voided_decision: None,
                signature: None,
            },
        )?;
        tx.sign(Kind::Event, &event_id.to_string())?;
        workflow::load(tx, id)
    })
}

/// What reopening a decided assessment needs: why, and the decision the
/// person was shown and confirmed to void.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct ReopenInput {
    pub reason: String,
    /// The standing decision the confirmation named; refused when another
    /// decision stands by now.
    pub voids: Option<ApprovalId>,
}

/// Reopens a decided assessment (DOMAIN §3): the standing decision is
/// voided with the reason, the submission is cleared, the supplier's status
/// follows, and the reopening is recorded. The only way a decision is voided.
pub fn reopen(db: &Db, id: AssessmentId, input: ReopenInput) -> Result<Assessment> {
    let reason = input.reason.trim().to_owned();
    if reason.is_empty() {
        return Err(Error::invalid(
            "reason",
            ValidationCode::Required,
            "say why the assessment is reopened: the reason is recorded with the voided decision",
        ));
    }
    let event_id = db.new_id();
    db.write(Permission::Reopen, |tx| {
        let user = tx.user("reopen an assessment")?;
        let assessment = workflow::load(tx, id)?;
        let Some(standing) = assessment.standing_decision() else {
            return Err(Refusal::new("refusal.nothing_to_void").into());
        };
        if input.voids != Some(standing.id) {
            return Err(Error::invalid(
                "voids",
                ValidationCode::UnknownValue,
                format!(
                    "confirm voiding the standing decision ({} by {} on {})",
                    standing.decision.as_str(),
                    standing.decider_name,
                    standing.decided_at
                ),
            ));
        }
        let now = tx.now_text();
        tx.execute(
            "UPDATE approval SET voided_at = ?2, void_reason = ?3 WHERE id = ?1",
            rusqlite::params![
                standing.id.to_string(),
                now,
                format!("reopened by {}: {reason}", user.display_name)
            ],
        )?;
        tx.execute(
            "UPDATE assessment SET submitted_at = NULL, updated_at = ?2 WHERE id = ?1",
            rusqlite::params![id.to_string(), now],
        )?;
        workflow::record_event(
            tx,
            id,
            &AssessmentEvent {
                id: event_id,
                kind: AssessmentEventKind::Reopened,
                reason,
                actor: user.display_name.clone(),
                at: now.clone(),
                voided_decision: Some(standing.id),
                signature: None,
            },
        )?;
        tx.sign(Kind::Event, &event_id.to_string())?;
        workflow::refresh_status(tx, assessment.supplier_id, &now)?;
        crate::supplier::follow_up::set_follow_up(tx, assessment.supplier_id, None, None)?;
        workflow::load(tx, id)
    })
}
