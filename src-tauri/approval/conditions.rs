//! Following up the conditions of an approval (DOMAIN §7): each condition
//! has a due date and stays open until the officer closes it, saying how it
//! was met. A closing is signed by the officer and recorded in the audit
//! trail with who and when; the
//! decision itself, and what it asked for, do not change.

use super::users::Permission;
use crate::assessment::decisions::{self, ApprovalId, Decision};
use crate::assessment::workflow::{self, Assessment, AssessmentId};
use crate::error::{Error, Refusal, Result, ValidationCode};
use crate::store::signing::Kind;
use crate::store::sql::OptionalExtension;
use crate::store::Db;
use crate::supplier::validate::{Check, MAX_LONG};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Closing one condition: which (the decision and its place in the
/// decision's list, from 0) and how it was met.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CloseConditionInput {
    pub approval_id: ApprovalId,
    pub position: u32,
    pub note: String,
}

/// The officer closes a condition of a standing approval with a note; refused
/// for a voided decision, one without that condition, or a condition closed
/// already. Returns the assessment the decision is on.
pub fn close_condition(db: &Db, input: CloseConditionInput) -> Result<Assessment> {
    let mut note = input.note.clone();
    let mut check = Check::default();
    check.text("note", &mut note, MAX_LONG);
    if note.is_empty() {
        check.push(
            "note",
            ValidationCode::Required,
            "is required: say how the condition was met",
        );
    }
    check.finish()?;
    let closure_id = db.new_id();
    db.write(Permission::Assess, |tx| {
        let user = tx.user("close a condition")?;
        let found: Option<(String, Decision, String, Option<String>)> = tx
            .query_row(
                "SELECT assessment_id, decision, conditions, voided_at FROM approval WHERE id = ?1",
                [input.approval_id.to_string()],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?;
        let Some((assessment_id, decision, text, voided_at)) = found else {
            return Err(Error::NotFound {
                entity: "decision",
                id: input.approval_id.to_string(),
            });
        };
        let conditions = decisions::from_signed_text(&text);
        let Some(condition) = (decision == Decision::ApproveWithConditions)
            .then(|| conditions.get(input.position as usize))
            .flatten()
        else {
            return Err(Error::invalid(
                "position",
                ValidationCode::UnknownValue,
                format!(
                    "the decision has {} conditions; there is no condition {}",
                    conditions.len(),
                    u64::from(input.position) + 1
                ),
            ));
        };
        if voided_at.is_some() {
            return Err(Refusal::new("refusal.condition_of_voided_decision").into());
        }
        let closed: bool = tx.query_row(
            "SELECT count(*) > 0 FROM condition_closure WHERE approval_id = ?1 AND position = ?2",
            rusqlite::params![input.approval_id.to_string(), input.position],
            |r| r.get(0),
        )?;
        if closed {
            return Err(Refusal::new("refusal.condition_closed_already")
                .with("condition", &condition.text)
                .into());
        }
        tx.execute(
            "INSERT INTO condition_closure (id, approval_id, position, closed_by, closed_by_name, closed_at, note)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            rusqlite::params![
                closure_id.to_string(),
                input.approval_id.to_string(),
                input.position,
                user.id.to_string(),
                user.display_name,
                tx.now_text(),
                note
            ],
        )?;
        tx.sign(Kind::Closure, &closure_id.to_string())?;
        let id = uuid::Uuid::parse_str(&assessment_id)
            .map_err(|e| Error::Internal(e.to_string()))?;
        workflow::load(tx, AssessmentId(id))
    })
}
