//! The supplier's place in the follow-up of DOMAIN §8, kept on its row: when
//! its next review is due, why a reassessment is required, and the events
//! that require one (each with its reason), which put an approved supplier
//! to `reassessment_required` at once. What raises them (a change to the
//! register, the checks Tillit runs, a deviation recorded) is decided above;
//! the follow-up as people see it is `crate::review`'s.

use super::{ServiceId, SupplierId, SupplierStatus, Tier};
use crate::error::Result;
use crate::store::sql::Connection;
use crate::store::Tx;
use crate::words::Said;
use chrono::{Months, NaiveDate};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

crate::ids::text_enum! {
    /// An event that requires a reassessment (DOMAIN §8).
    FollowUpKind {
        /// An incident at the supplier.
        #[default]
        Incident = "incident",
        SlaBreach = "sla_breach",
        AdverseAuditFinding = "adverse_audit_finding",
        FinancialDistress = "financial_distress",
        SanctionsListing = "sanctions_listing",
        /// Scope, data classification, storage or access locations of a service.
        ServiceChange = "service_change",
        SubcontractorChange = "subcontractor_change",
        /// Ownership or jurisdiction of the supplier.
        OwnershipChange = "ownership_change",
        /// Evidence step 1 relied on has expired.
        EvidenceExpired = "evidence_expired",
        /// An adequacy decision affecting a country in use changed.
        AdequacyChange = "adequacy_change",
        ContractRenewal = "contract_renewal",
        /// A service's contract reached its end date.
        ContractEnd = "contract_end",
        /// The next review fell due.
        ReviewDue = "review_due",
    }
}

impl FollowUpKind {
    /// The kinds an officer records by hand: deviations and contract renewals.
    pub const RECORDED: [FollowUpKind; 6] = [
        FollowUpKind::Incident,
        FollowUpKind::SlaBreach,
        FollowUpKind::AdverseAuditFinding,
        FollowUpKind::FinancialDistress,
        FollowUpKind::SanctionsListing,
        FollowUpKind::ContractRenewal,
    ];
}

crate::ids::id_type! {
    /// The id of a follow-up event.
    FollowUpId;
}

/// Whether a supplier is under review (DOMAIN §8): approved, with or
/// without conditions, or put to reassessment by an event after its
/// approval. Only these have a review date that counts, and only these are
/// put to reassessment by an event: before an approval, the assessment
/// under way covers the change. The one home of the rule; [`UNDER_REVIEW_SQL`]
/// is its SQL form.
pub fn under_review(status: SupplierStatus) -> bool {
    matches!(
        status,
        SupplierStatus::Approved
            | SupplierStatus::ApprovedWithConditions
            | SupplierStatus::ReassessmentRequired
    )
}

/// [`under_review`] as an SQL condition on the supplier table named `s`.
pub const UNDER_REVIEW_SQL: &str =
    "s.status IN ('approved', 'approved_with_conditions', 'reassessment_required')";

/// Whether the review of a supplier is overdue on `today`: it is under
/// review and its next review date has passed. [`OVERDUE_SQL`] is its SQL
/// form.
pub fn review_overdue(
    status: SupplierStatus,
    next_review_on: Option<NaiveDate>,
    today: NaiveDate,
) -> bool {
    under_review(status) && next_review_on.is_some_and(|due| due < today)
}

/// Days ahead a review counts as due soon (DOMAIN §8: the overview shows
/// what is due within 60 days).
pub const REVIEW_WINDOW_DAYS: u64 = 60;

crate::ids::text_enum! {
    /// How the next review of a supplier under review stands today.
    ReviewDue {
        /// The next review date has passed.
        #[default]
        Overdue = "overdue",
        /// Due within [`REVIEW_WINDOW_DAYS`] days, today included.
        DueSoon = "due_soon",
    }
}

/// How the review of a supplier stands on `today`: overdue
/// ([`review_overdue`]), due within [`REVIEW_WINDOW_DAYS`] days, or neither
/// (not under review, no date, or later).
pub fn review_due(
    status: SupplierStatus,
    next_review_on: Option<NaiveDate>,
    today: NaiveDate,
) -> Option<ReviewDue> {
    if review_overdue(status, next_review_on, today) {
        return Some(ReviewDue::Overdue);
    }
    let soon = today
        .checked_add_days(chrono::Days::new(REVIEW_WINDOW_DAYS))
        .unwrap_or(today);
    (under_review(status) && next_review_on.is_some_and(|due| due <= soon))
        .then_some(ReviewDue::DueSoon)
}

/// [`review_overdue`] as an SQL condition on the supplier table named `s`,
/// with today as the parameter `?1`.
pub const OVERDUE_SQL: &str = "s.status IN ('approved', 'approved_with_conditions', 'reassessment_required') AND s.next_review_on < ?1";

/// When the next review is due after a decision on `decided_on`: 12 months
/// for critical and essential suppliers, 24 for standard. A month without
/// the day (29 February in a common year) gives its last day: a decision on
/// 29 February 2028 is due for review on 28 February 2029, never later than
/// the anniversary.
pub fn next_review(tier: Tier, decided_on: NaiveDate) -> NaiveDate {
    let months = match tier {
        Tier::Critical | Tier::Essential => 12,
        Tier::Standard => 24,
    };
    decided_on
        .checked_add_months(Months::new(months))
        .unwrap_or(NaiveDate::MAX)
}

/// Sets the review date and the reason a reassessment is required. Runs
/// inside the caller's transaction.
pub(crate) fn set_follow_up(
    tx: &Connection,
    supplier_id: SupplierId,
    next_review_on: Option<NaiveDate>,
    reassessment_reason: Option<&str>,
) -> Result<()> {
    tx.execute(
        "UPDATE supplier SET next_review_on = ?2, reassessment_reason = ?3 WHERE id = ?1",
        rusqlite::params![supplier_id.to_string(), next_review_on, reassessment_reason],
    )?;
    Ok(())
}

/// The reassessment reason of the supplier `s` in every language (SQL, a
/// stored [`Said`] or NULL): that of its latest event with that reason.
pub const REASSESSMENT_SAID_SQL: &str = "(SELECT f.reason_said FROM follow_up_event f
      WHERE f.supplier_id = s.id AND f.reason = s.reassessment_reason
      ORDER BY f.recorded_at DESC, f.rowid DESC LIMIT 1)";

/// An event to record.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Raised<'a> {
    pub supplier_id: SupplierId,
    pub service_id: Option<ServiceId>,
    pub kind: FollowUpKind,
    /// Why, in every language.
    pub reason: &'a Said,
    pub occurred_on: NaiveDate,
    /// What the event is about, so a detected event is recorded once.
    pub subject: &'a str,
}

/// Records an event of DOMAIN §8 with its reason; an approved supplier goes
/// to `reassessment_required` at once. A supplier not (yet) approved keeps
/// its status: its assessment under way covers the change. Runs inside the
/// caller's transaction.
pub(crate) fn raise(tx: &Tx<'_>, event: Raised<'_>, id: Uuid) -> Result<()> {
    tx.execute(
        "INSERT INTO follow_up_event (id, supplier_id, service_id, kind, reason, reason_said, occurred_on, subject, recorded_by, recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        rusqlite::params![
            id.to_string(),
            event.supplier_id.to_string(),
            event.service_id.map(|s| s.to_string()),
            event.kind,
            event.reason.en,
            event.reason.stored(),
            event.occurred_on,
            event.subject,
            tx.actor(),
            tx.now_text()
        ],
    )?;
    let (supplier_id, reason) = (event.supplier_id, event.reason);
    let status: SupplierStatus = tx.query_row(
        "SELECT status FROM supplier WHERE id = ?1",
        [supplier_id.to_string()],
        |r| r.get(0),
    )?;
    if under_review(status) {
        super::set_workflow_status(
            tx,
            supplier_id,
            SupplierStatus::ReassessmentRequired,
            &tx.now_text(),
        )?;
        let next: Option<NaiveDate> = tx.query_row(
            "SELECT next_review_on FROM supplier WHERE id = ?1",
            [supplier_id.to_string()],
            |r| r.get(0),
        )?;
        set_follow_up(tx, supplier_id, next, Some(&reason.en))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sql_forms_of_under_review_and_overdue_agree_with_the_rules() {
        let raw = rusqlite::Connection::open_in_memory().unwrap();
        let conn = Connection::over_sqlite(&raw);
        let today = NaiveDate::from_ymd_opt(2026, 11, 2).unwrap();
        for &status in SupplierStatus::ALL {
            for next in [None, today.pred_opt(), Some(today), today.succ_opt()] {
                let (under, overdue): (bool, bool) = conn
                    .query_row(
                        &format!(
                            "SELECT {UNDER_REVIEW_SQL}, coalesce({OVERDUE_SQL}, 0)
                             FROM (SELECT ?2 AS status, ?3 AS next_review_on) AS s"
                        ),
                        rusqlite::params![today, status, next],
                        |r| Ok((r.get(0)?, r.get(1)?)),
                    )
                    .unwrap();
                assert_eq!(under, under_review(status), "{status:?}");
                assert_eq!(
                    overdue,
                    review_overdue(status, next, today),
                    "{status:?} {next:?}"
                );
            }
        }
    }
}
