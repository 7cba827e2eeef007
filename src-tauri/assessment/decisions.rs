//! The decisions recorded on an assessment (DOMAIN §7), as the assessment
//! carries them: what was decided, by whom, in which capacity, on which
//! fingerprint, and whether a later change voided it. Deciding is
//! `crate::approval`'s.

use super::workflow::AssessmentId;
use crate::access::UserId;
use crate::error::{Error, Result};
use crate::store::signing::{self, SignatureInfo};
use rusqlite::Connection;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
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
    pub conditions: String,
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

/// A decision stands unless a later change voided it; an assessment's
/// standing decision is the latest that stands
/// (`Assessment::standing_decision`). This is that condition in SQL, on the
/// approval table named `alias`.
pub fn stands_sql(alias: &str) -> String {
    format!("{alias}.voided_at IS NULL")
}

/// The decisions on an assessment, oldest first.
pub(crate) fn of_assessment(conn: &Connection, id: AssessmentId) -> Result<Vec<ApprovalRecord>> {
    let rows: Vec<_> = conn
        .prepare_cached(
            "SELECT id, decided_by, decider_name, capacity, decision, conditions, fingerprint, decided_at,
                    voided_at, void_reason
             FROM approval WHERE assessment_id = ?1 ORDER BY decided_at, id",
        )?
        .query_map([id.to_string()], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                ApprovalRecord {
                    id: ApprovalId(Uuid::nil()),
                    decided_by: UserId(Uuid::nil()),
                    decider_name: r.get(2)?,
                    capacity: r.get(3)?,
                    decision: r.get(4)?,
                    conditions: r.get(5)?,
                    fingerprint: r.get(6)?,
                    decided_at: r.get(7)?,
                    voided_at: r.get(8)?,
                    void_reason: r.get(9)?,
                    signature: None,
                },
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    rows.into_iter()
        .map(|(id, by, mut record)| {
            let parse = |s: &str| Uuid::parse_str(s).map_err(|e| Error::Internal(e.to_string()));
            record.id = ApprovalId(parse(&id)?);
            record.decided_by = UserId(parse(&by)?);
            record.signature = signing::signature_of(conn, signing::Kind::Approval, &id)?;
            Ok(record)
        })
        .collect()
}
