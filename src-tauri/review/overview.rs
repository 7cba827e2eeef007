//! The overview: what needs attention today (overdue reviews, reviews due
//! within 60 days, evidence expiring within 90 days, assessments awaiting a
//! decision, open escalations, reassessments required), the counts by tier,
//! status and risk level, and the heat map of every service's residual risk
//! in the latest assessment of each supplier. Computed in a few queries over
//! the whole register, never per supplier.

use crate::assessment::workflow::AssessmentId;
use crate::error::Result;
use crate::rules::RiskBand;
use crate::store::sql::Connection;
use crate::store::Db;
use crate::supplier::{EvidenceKind, SupplierId, SupplierStatus, Tier, TierCounts};
use crate::words::Said;
use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use ts_rs::TS;
use uuid::Uuid;

pub use crate::supplier::follow_up::REVIEW_WINDOW_DAYS;
/// Days ahead an open condition of an approval counts as falling due.
pub const CONDITION_WINDOW_DAYS: u64 = 30;
/// Days ahead evidence counts as expiring.
pub const EVIDENCE_WINDOW_DAYS: u64 = 90;
/// Services listed per heat-map cell (the count covers all).
const CELL_SAMPLE: usize = 20;
/// Items listed per list of things to look at (the count covers all).
pub const LISTED: usize = 8;

/// One thing to look at, leading to its supplier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct OverviewItem {
    pub supplier_id: SupplierId,
    pub supplier: String,
    pub tier: Tier,
    /// The date that matters (review due, evidence valid until, submitted on).
    pub date: Option<NaiveDate>,
    /// What it is about, in words (evidence title, reason, assessor …).
    pub detail: String,
    /// The assessment that needs the action (a decision, a resolution).
    pub assessment_id: Option<AssessmentId>,
    /// The kind of an expiring evidence item (its title may be empty).
    pub evidence_kind: Option<EvidenceKind>,
    /// The detail in every language, where it was recorded so (the reason
    /// a reassessment is required).
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail_said: Option<Said>,
}

/// One list of things to look at: how many there are, and the first
/// [`LISTED`] of them in the list's order (soonest first).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
pub struct Attention {
    pub count: u32,
    pub items: Vec<OverviewItem>,
}

/// A service in a heat-map cell.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct OverviewService {
    pub supplier_id: SupplierId,
    pub supplier: String,
    pub service: String,
}

/// One cell of the heat map: the services whose highest residual risk sits there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct HeatCell {
    pub likelihood: u8,
    pub impact: u8,
    pub count: u32,
    /// The first services in the cell, by supplier name.
    pub services: Vec<OverviewService>,
}

/// Counts of suppliers per status.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
pub struct StatusCount {
    pub status: SupplierStatus,
    pub count: u32,
}

/// Counts of assessed services per risk level.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct LevelCount {
    pub level: RiskBand,
    pub count: u32,
}

/// Everything the overview shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Overview {
    pub today: NaiveDate,
    pub suppliers: u32,
    pub overdue: Attention,
    pub due_soon: Attention,
    /// The reviews scheduled after the 60 days, soonest first.
    pub upcoming: Attention,
    pub evidence_expiring: Attention,
    pub awaiting_decision: Attention,
    pub open_escalations: Attention,
    pub reassessment_required: Attention,
    /// Open conditions of standing approvals on current assessments, due
    /// within [`CONDITION_WINDOW_DAYS`] or overdue, soonest first.
    pub conditions_due: Attention,
    pub by_tier: TierCounts,
    pub by_status: Vec<StatusCount>,
    pub by_level: Vec<LevelCount>,
    pub heat_map: Vec<HeatCell>,
}

/// The overview as of `today`.
///
/// Kept in memory until the database changes (here or in another
/// program), as the register list is: opening the overview again, or
/// coming back to it, costs a copy, not the queries. A change that only
/// notes something in the trail (a sign-in, an export) keeps it.
pub fn overview(db: &Db, today: NaiveDate) -> Result<Overview> {
    let kept = db.derived_from(Kept::since)?;
    let found = kept
        .days
        .lock()
        .map_err(|_| crate::Error::Internal("the overview kept was poisoned".into()))?
        .iter()
        .find(|o| o.today == today)
        .cloned();
    if let Some(found) = found {
        return Ok(found);
    }
    // Computed after the content the kept overviews belong to was stamped:
    // never older than it (a change in between makes the next call start
    // afresh).
    let computed = db.read(|conn| compute(conn, today))?;
    if let Ok(mut days) = kept.days.lock() {
        if days.len() >= KEPT_DAYS {
            days.remove(0);
        }
        days.push(computed.clone());
    }
    Ok(computed)
}

/// The overviews computed since the database last changed what they show,
/// one per day asked for (at most [`KEPT_DAYS`]: today, and a day a test
/// or a report names), and the audit trail's head they were computed at.
#[derive(Default)]
struct Kept {
    head: i64,
    days: std::sync::Mutex<Vec<Overview>>,
}

impl Kept {
    /// The overviews kept `before` the database changed, when every trail
    /// entry since only notes something (see
    /// [`crate::supplier::only_notes_since`]); none otherwise.
    fn since(conn: &Connection, before: Option<std::sync::Arc<Kept>>) -> Result<Kept> {
        let head = crate::supplier::trail_head(conn)?;
        let days = match before {
            Some(before)
                if head > before.head && crate::supplier::only_notes_since(conn, before.head)? =>
            {
                before
                    .days
                    .lock()
                    .map(|days| days.clone())
                    .unwrap_or_default()
            }
            _ => Vec::new(),
        };
        Ok(Kept {
            head,
            days: std::sync::Mutex::new(days),
        })
    }
}

/// How many days' overviews are kept.
const KEPT_DAYS: usize = 2;

/// The list `sql` selects (`SELECT` supplier id, name, tier, date, detail,
/// assessment id, evidence kind … `ORDER BY` …) as its count and first [`LISTED`] items: one query, the
/// count (a window over every row) taken before the limit.
fn items(
    conn: &Connection,
    sql: &str,
    params: impl crate::store::sql::Params,
) -> Result<Attention> {
    listed(conn, sql, params, LISTED)
}

/// [`items`] with the first `limit` items.
fn listed(
    conn: &Connection,
    sql: &str,
    params: impl crate::store::sql::Params,
    limit: usize,
) -> Result<Attention> {
    let columns = sql.trim_start().strip_prefix("SELECT ").ok_or_else(|| {
        crate::Error::Internal(format!("an overview list is not a SELECT: {sql}"))
    })?;
    let mut statement =
        conn.prepare_cached(&format!("SELECT count(*) OVER (), {columns} LIMIT {limit}"))?;
    let mut rows = statement.query(params)?;
    let mut list = Attention::default();
    while let Some(row) = rows.next()? {
        list.count = row.get(0)?;
        list.items.push(OverviewItem {
            supplier_id: SupplierId(
                Uuid::parse_str(row.get_ref(1)?.as_str()?)
                    .map_err(|e| crate::Error::Internal(e.to_string()))?,
            ),
            supplier: row.get(2)?,
            tier: row.get(3)?,
            date: row.get(4)?,
            detail: row.get(5)?,
            assessment_id: row
                .get_ref(6)?
                .as_str_or_null()?
                .map(|id| Uuid::parse_str(id).map(AssessmentId))
                .transpose()
                .map_err(|e| crate::Error::Internal(e.to_string()))?,
            evidence_kind: row.get(7)?,
            detail_said: match row.column_count() {
                9.. => Said::from_stored(row.get::<_, Option<String>>(8)?.as_deref()),
                _ => None,
            },
        });
    }
    Ok(list)
}

/// Every open condition of a standing approval on a current assessment
/// that falls due within [`CONDITION_WINDOW_DAYS`] of `today` or is overdue,
/// soonest first: the overview's list in full.
pub fn conditions_due(db: &Db, today: NaiveDate) -> Result<Attention> {
    db.read(|conn| conditions_due_in(conn, today, usize::MAX >> 1))
}

fn conditions_due_in(conn: &Connection, today: NaiveDate, limit: usize) -> Result<Attention> {
    let is_latest = format!(
        "s.status <> 'offboarded' AND a.rowid = {}",
        latest_assessment_of("a.supplier_id")
    );
    listed(
        conn,
        &format!(
            "SELECT s.id, s.legal_name, s.tier, json_extract(c.value, '$.due_on') AS due,
                    json_extract(c.value, '$.text'), a.id, NULL
             FROM {LATEST_OF} JOIN approval p ON p.assessment_id = a.id, {conditions} c
             WHERE p.decision = 'approve_with_conditions' AND {stands} AND {is_latest}
               AND json_extract(c.value, '$.due_on') <= ?1
               AND NOT EXISTS (SELECT 1 FROM condition_closure k
                               WHERE k.approval_id = p.id AND k.position = CAST(c.key AS INTEGER))
             ORDER BY due, s.sort_key",
            conditions = crate::assessment::decisions::conditions_sql("p"),
            stands = crate::assessment::decisions::stands_sql("p"),
        ),
        [today
            .checked_add_days(Days::new(CONDITION_WINDOW_DAYS))
            .unwrap_or(today)],
        limit,
    )
}

/// Reviews of approved suppliers due before `today`: the desktop's
/// reminder at start-up, without computing the whole overview.
pub fn overdue_reviews(db: &Db, today: NaiveDate) -> Result<Attention> {
    db.read(|conn| items(conn, &overdue_sql(), [today]))
}

/// Suppliers under review (approved, approved with conditions, or to be
/// reassessed) as `s`.
use crate::supplier::follow_up::{OVERDUE_SQL, UNDER_REVIEW_SQL as REVIEWED};

fn overdue_sql() -> String {
    format!(
        "SELECT id, legal_name, tier, next_review_on, '', NULL, NULL FROM supplier s
         WHERE {OVERDUE_SQL} ORDER BY next_review_on, sort_key"
    )
}

/// Joins each assessment (`a`) with its supplier (`s`).
const LATEST_OF: &str = "assessment a JOIN supplier s ON s.id = a.supplier_id";
use crate::supplier::latest_assessment_sql as latest_assessment_of;

fn compute(conn: &Connection, today: NaiveDate) -> Result<Overview> {
    // The expiring evidence is listed by the supplier's own rule of validity.
    let current_until = crate::supplier::current_until_sql(conn, "e.kind", "e.valid_until")?;
    let soon = today
        .checked_add_days(Days::new(REVIEW_WINDOW_DAYS))
        .unwrap_or(today);
    let expiring = today
        .checked_add_days(Days::new(EVIDENCE_WINDOW_DAYS))
        .unwrap_or(today);
    let overdue = items(conn, &overdue_sql(), [today])?;
    let due_soon = items(
        conn,
        &format!("SELECT id, legal_name, tier, next_review_on, '', NULL, NULL FROM supplier s
                  WHERE {REVIEWED} AND next_review_on BETWEEN ?1 AND ?2 ORDER BY next_review_on, sort_key"),
        [today, soon],
    )?;
    let upcoming = items(
        conn,
        &format!(
            "SELECT id, legal_name, tier, next_review_on, '', NULL, NULL FROM supplier s
                  WHERE {REVIEWED} AND next_review_on > ?1 ORDER BY next_review_on, sort_key"
        ),
        [soon],
    )?;
    let evidence_expiring = items(
        conn,
        // The last day each item is current, by the rule of DOMAIN §3 (an
        // assurance report 12 months after its period); read from the index
        // for the items that can qualify under either reading.
        &format!(
            "SELECT s.id, s.legal_name, s.tier, {current_until} AS until, e.title, NULL, e.kind
             FROM evidence e JOIN supplier s ON s.id = e.supplier_id
             WHERE s.status <> 'offboarded' AND e.valid_until BETWEEN ?3 AND ?2
               AND {current_until} BETWEEN ?1 AND ?2
             ORDER BY until, s.sort_key"
        ),
        [
            today,
            expiring,
            today
                .checked_sub_months(chrono::Months::new(13))
                .unwrap_or(today),
        ],
    )?;
    // Keeps the latest assessment of each supplier not offboarded.
    let is_latest = format!(
        "s.status <> 'offboarded' AND a.rowid = {}",
        latest_assessment_of("a.supplier_id")
    );
    let stands = crate::assessment::decisions::stands_sql("p");
    let awaiting_decision = items(
        conn,
        &format!("SELECT s.id, s.legal_name, s.tier, substr(a.submitted_at, 1, 10), a.assessor, a.id, NULL
                  FROM {LATEST_OF}
                  WHERE {is_latest} AND a.submitted_at IS NOT NULL
                    AND NOT EXISTS (SELECT 1 FROM approval p WHERE p.assessment_id = a.id AND {stands})
                  ORDER BY a.submitted_at, s.sort_key"),
        [],
    )?;
    let open_escalations = items(
        conn,
        &format!("SELECT s.id, s.legal_name, s.tier, a.assessed_on, a.assessor, a.id, NULL
                  FROM {LATEST_OF}
                  WHERE {is_latest} AND a.resolution IS NULL AND json_extract(a.step1_result, '$.outcome') = 'escalate'
                  ORDER BY a.assessed_on, s.sort_key"),
        [],
    )?;
    let reassessment_required = items(
        conn,
        &format!(
            "SELECT id, legal_name, tier, next_review_on, coalesce(reassessment_reason, ''), NULL, NULL, {}
             FROM supplier s WHERE status = 'reassessment_required' ORDER BY sort_key",
            crate::supplier::follow_up::REASSESSMENT_SAID_SQL
        ),
        [],
    )?;
    let conditions_due = conditions_due_in(conn, today, LISTED)?;
    // Two counts over the tier and status indexes: no row is read.
    let mut by_tier = TierCounts::default();
    let mut suppliers = 0;
    {
        let mut statement =
            conn.prepare_cached("SELECT tier, count(*) FROM supplier GROUP BY tier")?;
        let mut rows = statement.query([])?;
        while let Some(row) = rows.next()? {
            let (tier, count): (Tier, u32) = (row.get(0)?, row.get(1)?);
            suppliers += count;
            match tier {
                Tier::Critical => by_tier.critical += count,
                Tier::Essential => by_tier.essential += count,
                Tier::Standard => by_tier.standard += count,
            }
        }
    }
    let statuses: BTreeMap<SupplierStatus, u32> = conn
        .prepare_cached("SELECT status, count(*) FROM supplier GROUP BY status")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let by_status = statuses
        .into_iter()
        .map(|(status, count)| StatusCount { status, count })
        .collect();
    let (by_level, heat_map) = risk_picture(conn)?;
    Ok(Overview {
        today,
        suppliers,
        overdue,
        due_soon,
        upcoming,
        evidence_expiring,
        awaiting_decision,
        open_escalations,
        reassessment_required,
        conditions_due,
        by_tier,
        by_status,
        by_level,
        heat_map,
    })
}

/// A service of one supplier bound for the sample of its heat-map cell.
struct Sampled {
    cell: (u8, u8),
    service: String,
}

/// Adds one supplier's `sampled` services to their cells, by service name.
fn add_samples(
    cells: &mut BTreeMap<(u8, u8), HeatCell>,
    supplier: Option<&(String, String)>,
    sampled: &mut Vec<Sampled>,
) -> Result<()> {
    let Some((id, name)) = supplier else {
        return Ok(());
    };
    if sampled.is_empty() {
        return Ok(());
    }
    let supplier_id =
        SupplierId(Uuid::parse_str(id).map_err(|e| crate::Error::Internal(e.to_string()))?);
    sampled.sort_by(|a, b| a.service.cmp(&b.service));
    for Sampled { cell, service } in sampled.drain(..) {
        if let Some(cell) = cells.get_mut(&cell) {
            cell.services.push(OverviewService {
                supplier_id,
                supplier: name.clone(),
                service,
            });
        }
    }
    Ok(())
}

/// The services the risk picture shows (`sa`), with their suppliers (`s`):
/// those of the latest assessment of each supplier not offboarded.
fn pictured() -> String {
    format!(
        "supplier s
         JOIN assessment a ON a.rowid = {}
         JOIN service_assessment sa ON sa.assessment_id = a.id
         WHERE s.status <> 'offboarded'",
        latest_assessment_of("s.id")
    )
}

/// Every service of one heat-map cell (the overview lists the first
/// [`CELL_SAMPLE`]), by supplier and service name.
pub fn heat_cell(db: &Db, likelihood: u8, impact: u8) -> Result<Vec<OverviewService>> {
    db.read(|conn| {
        let mut statement = conn.prepare_cached(&format!(
            "SELECT s.id, s.legal_name, (SELECT v.name FROM service v WHERE v.id = sa.service_id) AS name
             FROM {} AND sa.residual_likelihood = ?1 AND sa.residual_impact = ?2
             ORDER BY s.sort_key, s.id, name",
            pictured()
        ))?;
        let mut rows = statement.query([likelihood, impact])?;
        let mut services = Vec::new();
        while let Some(row) = rows.next()? {
            services.push(OverviewService {
                supplier_id: SupplierId(
                    Uuid::parse_str(row.get_ref(0)?.as_str()?)
                        .map_err(|e| crate::Error::Internal(e.to_string()))?,
                ),
                supplier: row.get(1)?,
                service: row.get(2)?,
            });
        }
        Ok(services)
    })
}

/// The risk level of every service in the latest assessments, and where
/// each service's highest residual risk sits on the matrix. Both are kept
/// beside each service assessment's JSON (schema version 6), so this reads
/// indexes rather than every assessment's risks.
fn risk_picture(conn: &Connection) -> Result<(Vec<LevelCount>, Vec<HeatCell>)> {
    let mut levels: BTreeMap<RiskBand, u32> = BTreeMap::new();
    let mut cells: BTreeMap<(u8, u8), HeatCell> = BTreeMap::new();
    // Suppliers in name order (the index on sort key and id), each with the
    // services of its latest assessment. A service's name is read only when
    // the service joins the sample of its cell.
    let mut statement = conn.prepare_cached(&format!(
        "SELECT s.id, s.legal_name, sa.service_id, sa.risk_level, sa.residual_likelihood, sa.residual_impact
         FROM {} ORDER BY s.sort_key, s.id",
        pictured()
    ))?;
    let mut name_of = conn.prepare_cached("SELECT name FROM service WHERE id = ?1")?;
    let mut supplier: Option<(String, String)> = None;
    let mut sampled: Vec<Sampled> = Vec::new();
    let mut rows = statement.query([])?;
    while let Some(row) = rows.next()? {
        let id = row.get_ref(0)?.as_str()?;
        if supplier.as_ref().is_none_or(|(current, _)| current != id) {
            add_samples(&mut cells, supplier.as_ref(), &mut sampled)?;
            supplier = Some((id.to_owned(), row.get(1)?));
        }
        let level: Option<String> = row.get(3)?;
        if let Some(level) = level.as_deref().and_then(RiskBand::parse) {
            *levels.entry(level).or_default() += 1;
        }
        let (Some(likelihood), Some(impact)) =
            (row.get::<_, Option<u8>>(4)?, row.get::<_, Option<u8>>(5)?)
        else {
            continue;
        };
        let cell = cells
            .entry((likelihood, impact))
            .or_insert_with(|| HeatCell {
                likelihood,
                impact,
                count: 0,
                services: Vec::new(),
            });
        cell.count += 1;
        let waiting = sampled
            .iter()
            .filter(|s| s.cell == (likelihood, impact))
            .count();
        if cell.services.len() + waiting < CELL_SAMPLE {
            let service: String = name_of.query_row([row.get_ref(2)?.as_str()?], |r| r.get(0))?;
            sampled.push(Sampled {
                cell: (likelihood, impact),
                service,
            });
        }
    }
    add_samples(&mut cells, supplier.as_ref(), &mut sampled)?;
    Ok((
        levels
            .into_iter()
            .map(|(level, count)| LevelCount { level, count })
            .collect(),
        cells.into_values().collect(),
    ))
}
