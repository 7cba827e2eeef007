//! The decisions recorded on an assessment (DOMAIN §7), as the assessment
//! carries them: what was decided, by whom, in which capacity, on which
//! fingerprint, and whether a later change voided it. Deciding is
//! `crate::approval`'s.

use crate::access::UserId;
use crate::error::{Error, Result};
use crate::store::signing::{self, SignatureInfo};
use crate::store::sql::{params_from_iter, Connection, Scope};
use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize};
use std::collections::HashMap;
use ts_rs::TS;
use uuid::Uuid;

crate::ids::text_enum! {
    /// The decision on an assessment.
    Decision {
        #[default]
        Approve = "approve",
        ApproveWithConditions = "approve_with_conditions",
        Reject = "reject",
    }
}

crate::ids::text_enum! {
    /// In which capacity a decision was made.
    Capacity {
        /// Management approval, required by DOMAIN §7.
        #[default]
        Management = "management",
        /// The officer's decision, when no approval is required.
        Officer = "officer",
    }
}

crate::ids::id_type! {
    /// The id of a decision.
    ApprovalId;
}

/// A decision as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, JsonSchema)]
pub struct ApprovalRecord {
    pub id: ApprovalId,
    pub decided_by: UserId,
    pub decider_name: String,
    pub capacity: Capacity,
    pub decision: Decision,
    /// The conditions of an approval with conditions, in the order decided
    /// (a register file written before conditions were records carries
    /// them as one text, read as one condition without a due date).
    #[serde(default)]
    pub conditions: Conditions,
    /// SHA-256 (hex) of the canonical assessment content decided on.
    pub fingerprint: String,
    /// UTC, RFC 3339.
    pub decided_at: String,
    pub voided_at: Option<String>,
    pub void_reason: Option<String>,
    /// The decider's signature over the decision (DOMAIN §7).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub signature: Option<SignatureInfo>,
}

/// A condition of an approval (DOMAIN §7): what must be done, by when, and
/// whether the officer has closed it. What and by when are part of the
/// signed decision; the closing is recorded apart, in the audit trail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, JsonSchema)]
pub struct Condition {
    pub text: String,
    /// The day by which it must be met; none only on a decision recorded
    /// before conditions had due dates.
    pub due_on: Option<NaiveDate>,
    /// Set once the officer closed it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub closed: Option<ConditionClosure>,
    /// Still open after its due date today ([`Condition::overdue`]), as the
    /// core's clock has it: set for the window, never written to a register
    /// file (one that carries it is refused: not a field of the format).
    #[serde(default, skip_serializing_if = "Worked::is_no")]
    #[schemars(skip)]
    #[ts(as = "Option<bool>", optional)]
    pub overdue_today: Worked,
}

/// A yes or no the core works out for the window and never takes from
/// outside: whatever a file gives is dropped, so a register file that
/// carries one is refused as carrying a field the format does not have.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Worked(pub bool);

impl Worked {
    fn is_no(&self) -> bool {
        !self.0
    }
}

impl<'de> Deserialize<'de> for Worked {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        serde::de::IgnoredAny::deserialize(deserializer)?;
        Ok(Worked(false))
    }
}

impl Condition {
    /// Still open after its due date, on `today`.
    pub fn overdue(&self, today: NaiveDate) -> bool {
        self.closed.is_none() && self.due_on.is_some_and(|due| due < today)
    }
}

/// Who closed a condition, when (UTC, RFC 3339) and how it was met.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, JsonSchema)]
pub struct ConditionClosure {
    pub id: Uuid,
    pub closed_by: UserId,
    pub closed_by_name: String,
    pub closed_at: String,
    pub note: String,
    /// The officer's signature over the closing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub signature: Option<SignatureInfo>,
}

/// A condition as the signed decision holds it.
#[derive(Serialize, Deserialize)]
struct SignedCondition {
    text: String,
    due_on: Option<NaiveDate>,
}

/// The decision's conditions as its signed `conditions` column holds them:
/// nothing for none; an earlier decision's single condition without a due
/// date as its plain text, as it was recorded; otherwise a JSON list of text
/// and due date, in the order decided. Always the same text for the same
/// conditions, so a decision read from a register file is stored as signed.
pub fn signed_text(conditions: &[Condition]) -> String {
    match conditions {
        [] => String::new(),
        [only] if only.due_on.is_none() => only.text.clone(),
        _ => serde_json::to_string(
            &conditions
                .iter()
                .map(|c| SignedCondition {
                    text: c.text.clone(),
                    due_on: c.due_on,
                })
                .collect::<Vec<_>>(),
        )
        .unwrap_or_default(),
    }
}

/// The conditions a signed `conditions` column holds ([`signed_text`]),
/// none of them closed.
pub fn from_signed_text(text: &str) -> Vec<Condition> {
    if text.is_empty() {
        return Vec::new();
    }
    let listed = text
        .starts_with('[')
        .then(|| serde_json::from_str::<Vec<SignedCondition>>(text).ok())
        .flatten();
    match listed {
        Some(list) => list
            .into_iter()
            .map(|c| Condition {
                text: c.text,
                due_on: c.due_on,
                closed: None,
                overdue_today: Worked(false),
            })
            .collect(),
        None => vec![Condition {
            text: text.to_owned(),
            due_on: None,
            closed: None,
            overdue_today: Worked(false),
        }],
    }
}

/// The conditions of the approval `alias` as rows for SQL's `FROM`: each
/// condition of a decision whose conditions are a list ([`signed_text`]) as
/// a `json_each` row (its `key` the position, `value` the condition); none
/// for an earlier decision's text, which has no due date.
pub fn conditions_sql(alias: &str) -> String {
    format!(
        "json_each(CASE WHEN {alias}.conditions LIKE '[%' AND json_valid({alias}.conditions) THEN {alias}.conditions ELSE '[]' END)"
    )
}

/// A decision's conditions. A register file written before conditions were
/// records carries them as one text, read as one condition without a due
/// date.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS, JsonSchema)]
pub struct Conditions(pub Vec<Condition>);

impl std::ops::Deref for Conditions {
    type Target = Vec<Condition>;
    fn deref(&self) -> &Vec<Condition> {
        &self.0
    }
}

impl std::ops::DerefMut for Conditions {
    fn deref_mut(&mut self) -> &mut Vec<Condition> {
        &mut self.0
    }
}

impl<'de> Deserialize<'de> for Conditions {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum InFile {
            Text(String),
            List(Vec<Condition>),
        }
        Ok(Conditions(match InFile::deserialize(deserializer)? {
            InFile::Text(text) => from_signed_text(&text),
            InFile::List(list) => list,
        }))
    }
}

/// A decision stands unless a later change voided it; an assessment's
/// standing decision is the latest that stands
/// (`Assessment::standing_decision`). This is that condition in SQL, on the
/// approval table named `alias`.
pub fn stands_sql(alias: &str) -> String {
    format!("{alias}.voided_at IS NULL")
}

/// The decisions on each assessment of `scope` (by the assessments' ids),
/// oldest first, by assessment id: one query for the decisions, one for the
/// closings of their conditions, and their signatures.
pub(crate) fn of_assessments(
    conn: &Connection,
    scope: &Scope,
) -> Result<HashMap<String, Vec<ApprovalRecord>>> {
    let filter = scope.filter("p.assessment_id");
    let rows: Vec<_> = conn
        .prepare_cached(&format!(
            "SELECT p.id, p.decided_by, p.decider_name, p.capacity, p.decision, p.conditions, p.fingerprint,
                    p.decided_at, p.voided_at, p.void_reason, p.assessment_id
             FROM approval p {filter}
             ORDER BY p.assessment_id, p.decided_at, p.id"
        ))?
        .query_map(params_from_iter(scope.params()), |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                ApprovalRecord {
                    id: ApprovalId(Uuid::nil()),
                    decided_by: UserId(Uuid::nil()),
                    decider_name: r.get(2)?,
                    capacity: r.get(3)?,
                    decision: r.get(4)?,
                    conditions: Conditions(from_signed_text(&r.get::<_, String>(5)?)),
                    fingerprint: r.get(6)?,
                    decided_at: r.get(7)?,
                    voided_at: r.get(8)?,
                    void_reason: r.get(9)?,
                    signature: None,
                },
                r.get::<_, String>(10)?,
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let ids: Vec<&str> = rows.iter().map(|(id, ..)| id.as_str()).collect();
    let mut signatures = signing::signatures_of(conn, signing::Kind::Approval, &ids)?;
    let mut closures = if rows.iter().any(|(_, _, r, _)| !r.conditions.is_empty()) {
        closures_in(conn, &scope.within(rows.iter().map(|(id, ..)| id.clone())))?
    } else {
        HashMap::new()
    };
    let parse = |s: &str| Uuid::parse_str(s).map_err(|e| Error::Internal(e.to_string()));
    let mut found: HashMap<String, Vec<ApprovalRecord>> = HashMap::new();
    for (id, by, mut record, assessment) in rows {
        record.id = ApprovalId(parse(&id)?);
        record.decided_by = UserId(parse(&by)?);
        record.signature = signatures.remove(&id);
        for (position, closure) in closures.remove(&id).unwrap_or_default() {
            if let Some(c) = record.conditions.get_mut(position) {
                c.closed = Some(closure);
            }
        }
        found.entry(assessment).or_default().push(record);
    }
    Ok(found)
}

/// The closings of the conditions of the decisions of `scope` (by the
/// decisions' ids), by decision id, each with its position.
fn closures_in(
    conn: &Connection,
    scope: &Scope,
) -> Result<HashMap<String, Vec<(usize, ConditionClosure)>>> {
    type Row = (String, i64, String, String, String, String, String);
    let rows: Vec<Row> = conn
        .prepare_cached(&format!(
            "SELECT c.id, c.position, c.closed_by, c.closed_by_name, c.closed_at, c.note, c.approval_id
             FROM condition_closure c {}
             ORDER BY c.approval_id, c.position",
            scope.filter("c.approval_id")
        ))?
        .query_map(params_from_iter(scope.params()), |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let ids: Vec<&str> = rows.iter().map(|(id, ..)| id.as_str()).collect();
    let mut signatures = signing::signatures_of(conn, signing::Kind::Closure, &ids)?;
    let parse = |s: &str| Uuid::parse_str(s).map_err(|e| Error::Internal(e.to_string()));
    let mut found: HashMap<String, Vec<(usize, ConditionClosure)>> = HashMap::new();
    for (id, position, by, closed_by_name, closed_at, note, approval) in rows {
        let closure = ConditionClosure {
            id: parse(&id)?,
            closed_by: UserId(parse(&by)?),
            closed_by_name,
            closed_at,
            note,
            signature: signatures.remove(&id),
        };
        found.entry(approval).or_default().push((
            usize::try_from(position).map_err(|e| Error::Internal(e.to_string()))?,
            closure,
        ));
    }
    Ok(found)
}
