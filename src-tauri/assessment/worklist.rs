//! The assessments worklist: every supplier's current assessment (or every
//! assessment ever made) as one row, with where it stands, filtered by
//! state, assessor, tier and "needs me" (what the signed-in user can act on
//! now), searched and sorted. Like the register list, the rows are kept in
//! memory, so filtering and sorting read nothing; "needs me" is applied per
//! call, for whoever is signed in. After a change, only the suppliers the
//! audit trail names since the rows were read are read again.

use super::decisions::{stands_sql, Decision};
use super::step1::Step1Outcome;
use super::summary::{approval_reasons, ServiceFacts};
use super::workflow::AssessmentId;
use crate::access::{Permission, Role, User, UserId};
use crate::error::{Error, Result};
use crate::rules::RiskBand;
use crate::store::sql::Connection;
use crate::store::Db;
use crate::supplier::{SupplierId, SupplierStatus, Tier};
use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::collections::HashMap;
use ts_rs::TS;
use uuid::Uuid;

crate::ids::text_enum! {
    /// Where an assessment stands in the worklist, in the order of the work.
    WorkState {
        /// Step 1 is not complete yet.
        #[default]
        Draft = "draft",
        /// Step 1 escalated; management has not resolved it.
        Escalated = "escalated",
        /// Step 1 approved (computed or resolved): step 2 is under way.
        Step2 = "step2",
        /// Opened again: the decision was voided by an explicit reopening.
        Reopened = "reopened",
        /// Its decision was voided (in a register file it came from) and
        /// none stands.
        Voided = "voided",
        /// Submitted, awaiting the decision.
        Submitted = "submitted",
        /// Step 1 ended in stop: the supplier is rejected.
        Stopped = "stopped",
        /// A decision stands.
        Decided = "decided",
    }
}

/// The column the worklist is sorted on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum WorklistSort {
    #[default]
    Supplier,
    Tier,
    State,
    AssessedOn,
    Assessor,
    UpdatedAt,
}

/// What the worklist is asked for.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct WorklistQuery {
    /// Part of the supplier's name or registration number, in any case.
    pub search: String,
    pub state: Option<WorkState>,
    /// The assessor's name, exactly as the list shows it.
    pub assessor: Option<String>,
    pub tier: Option<Tier>,
    /// Only what the signed-in user can act on now.
    pub needs_me: bool,
    /// Earlier assessments too, not only each supplier's current one.
    pub all: bool,
    pub sort: WorklistSort,
    pub descending: bool,
}

/// One assessment in the worklist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct WorklistRow {
    pub id: AssessmentId,
    pub supplier_id: SupplierId,
    pub supplier: String,
    pub tier: Tier,
    pub supplier_status: SupplierStatus,
    pub assessed_on: NaiveDate,
    pub assessor: String,
    pub state: WorkState,
    /// The decision that stands.
    pub decision: Option<Decision>,
    /// Who decides a submitted assessment (DOMAIN §7): management where
    /// approval is required, else the procurement officer.
    pub decider: Option<Role>,
    /// The day it was submitted, while it awaits the decision.
    pub submitted_on: Option<NaiveDate>,
    /// UTC, as stored: the last change.
    pub updated_at: String,
    /// Whether it is its supplier's current (latest) assessment.
    pub current: bool,
    /// Whether the signed-in user can act on it now.
    pub needs_me: bool,
}

/// Assessments per state, among those the other filters leave.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct StateCount {
    pub state: WorkState,
    pub count: u32,
}

/// The rows that match, and the counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct WorklistPage {
    pub rows: Vec<WorklistRow>,
    /// The assessments listed without any filter (current ones, or all).
    pub total: u32,
    /// Per state, under every filter but the state.
    pub by_state: Vec<StateCount>,
    /// What the signed-in user can act on now.
    pub needs_me: u32,
    /// Everyone who assessed, for the assessor filter, by name.
    pub assessors: Vec<String>,
}

/// One assessment as the worklist keeps it.
#[derive(Debug, Clone)]
struct Entry {
    row: WorklistRow,
    assessor_id: Option<UserId>,
    /// Lower-case supplier name and registration number, searched.
    search_key: String,
    /// The supplier's name as sorted.
    sort_key: String,
    /// The supplier's id as stored.
    supplier: String,
    /// When the assessment was made and its rowid: the newest of a
    /// supplier is listed first.
    made: (String, i64),
}

impl Entry {
    /// The worklist's order: by supplier name (then id), the newest first.
    fn order(&self, other: &Entry) -> Ordering {
        self.sort_key
            .cmp(&other.sort_key)
            .then_with(|| self.supplier.cmp(&other.supplier))
            .then_with(|| other.made.cmp(&self.made))
    }
}

/// Every assessment, in supplier name order (then the newest first), and
/// the audit trail's head when it was read ([`Db::derived_from`]).
#[derive(Debug)]
struct Worklist {
    entries: Vec<Entry>,
    head: i64,
}

use crate::supplier::MAX_CHANGES;

fn parse_id(text: &str) -> Result<Uuid> {
    Uuid::parse_str(text).map_err(|e| Error::Internal(e.to_string()))
}

/// Where an assessment stands, from what the worklist reads of it (the
/// same facts [`super::workflow::Assessment`] gives its lock and summary).
fn state_of(
    step1: Option<Step1Outcome>,
    decision: Option<Decision>,
    submitted: bool,
    voided: bool,
    reopened: bool,
) -> WorkState {
    if decision.is_some() {
        WorkState::Decided
    } else if submitted {
        WorkState::Submitted
    } else if step1 == Some(Step1Outcome::Stop) {
        WorkState::Stopped
    } else if step1 == Some(Step1Outcome::Escalate) {
        WorkState::Escalated
    } else if reopened {
        WorkState::Reopened
    } else if voided {
        WorkState::Voided
    } else if step1 == Some(Step1Outcome::Approved) {
        WorkState::Step2
    } else {
        WorkState::Draft
    }
}

fn outcome(text: Option<&str>) -> Option<Step1Outcome> {
    match text? {
        "approved" => Some(Step1Outcome::Approved),
        "escalate" => Some(Step1Outcome::Escalate),
        "stop" => Some(Step1Outcome::Stop),
        _ => None,
    }
}

/// A supplier as the worklist shows it: name, tier, status, and its keys.
struct SupplierFacts {
    name: String,
    tier: Tier,
    status: SupplierStatus,
    search_key: String,
    sort_key: String,
}

/// The decisions on each assessment, by assessment id: the one that stands
/// (the latest that stands), and whether any was voided.
fn decisions(
    conn: &Connection,
    only: Option<&str>,
) -> Result<HashMap<String, (Option<Decision>, bool)>> {
    let mut statement = conn.prepare_cached(&format!(
        "SELECT p.assessment_id, p.decision, {} FROM approval p {} ORDER BY p.decided_at, p.id",
        stands_sql("p"),
        if only.is_some() {
            "WHERE p.assessment_id IN (SELECT a.id FROM assessment a WHERE a.supplier_id IN (SELECT value FROM json_each(CAST(?1 AS TEXT))))"
        } else {
            "WHERE CAST(?1 AS TEXT) IS NULL"
        }
    ))?;
    let mut rows = statement.query([only])?;
    let mut decisions: HashMap<String, (Option<Decision>, bool)> = HashMap::new();
    while let Some(r) = rows.next()? {
        let (decision, stands): (Decision, bool) = (r.get(1)?, r.get(2)?);
        let (standing, voided) = decisions.entry(r.get(0)?).or_default();
        if stands {
            *standing = Some(decision);
        } else {
            *voided = true;
        }
    }
    Ok(decisions)
}

/// The worklist as of now: from the one kept before the change, reading
/// again only the suppliers whose assessments, decisions or facts the audit
/// trail names since; read whole the first time, after many changes, or
/// after a change the trail does not name (made outside Tillit).
fn load(conn: &Connection, before: Option<std::sync::Arc<Worklist>>) -> Result<Worklist> {
    let head = crate::supplier::trail_head(conn)?;
    let changed = match &before {
        Some(before) if head > before.head && head - before.head <= MAX_CHANGES => {
            crate::supplier::changed_since(conn, before.head)?
        }
        _ => None,
    };
    let (Some(before), Some(changed)) = (before, changed) else {
        return Ok(Worklist {
            entries: read(conn, None)?,
            head,
        });
    };
    let mut entries: Vec<Entry> = before
        .entries
        .iter()
        .filter(|e| !changed.contains(&e.supplier))
        .cloned()
        .collect();
    if !changed.is_empty() {
        let ids = serde_json::to_string(&changed.iter().collect::<Vec<_>>())
            .map_err(|e| Error::Internal(e.to_string()))?;
        entries.extend(read(conn, Some(&ids))?);
        entries.sort_by(Entry::order);
    }
    Ok(Worklist { entries, head })
}

/// The assessments of the suppliers `only` names (a JSON list of ids), or
/// of every supplier, with their suppliers, read in a few plain scans (no
/// join, no correlated subquery, no sort in SQL: 10,000 rows are sorted
/// here), in the worklist's order.
fn read(conn: &Connection, only: Option<&str>) -> Result<Vec<Entry>> {
    let filter = |column: &str| match only {
        Some(_) => format!("WHERE {column} IN (SELECT value FROM json_each(CAST(?1 AS TEXT)))"),
        None => "WHERE CAST(?1 AS TEXT) IS NULL".to_owned(),
    };
    let mut suppliers: HashMap<String, SupplierFacts> = HashMap::new();
    {
        let mut statement = conn.prepare_cached(&format!(
            "SELECT id, legal_name, tier, status, search_key, sort_key FROM supplier {}",
            filter("id")
        ))?;
        let mut rows = statement.query([only])?;
        while let Some(r) = rows.next()? {
            suppliers.insert(
                r.get(0)?,
                SupplierFacts {
                    name: r.get(1)?,
                    tier: r.get(2)?,
                    status: r.get(3)?,
                    search_key: r.get(4)?,
                    sort_key: r.get(5)?,
                },
            );
        }
    }
    let decisions = decisions(conn, only)?;
    let reopened: std::collections::HashSet<String> = conn
        .prepare_cached(&format!(
            "SELECT e.assessment_id FROM assessment_event e WHERE e.kind = 'reopened' AND {}",
            match only {
                Some(_) => "e.assessment_id IN (SELECT a.id FROM assessment a WHERE a.supplier_id IN (SELECT value FROM json_each(CAST(?1 AS TEXT))))",
                None => "CAST(?1 AS TEXT) IS NULL",
            }
        ))?
        .query_map([only], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut latest = crate::supplier::Latest::default();
    let mut entries: Vec<Entry> = Vec::new();
    let mut statement = conn.prepare_cached(&format!(
        "SELECT a.id, a.supplier_id, a.assessed_on, a.assessor, a.assessor_id, substr(a.submitted_at, 1, 10),
                a.updated_at, a.created_at, a.rowid, a.step1_result ->> '$.outcome', a.resolution ->> '$.decision'
         FROM assessment a {}",
        filter("a.supplier_id")
    ))?;
    let mut rows = statement.query([only])?;
    while let Some(r) = rows.next()? {
        let id: String = r.get(0)?;
        let supplier_text: String = r.get(1)?;
        let made: (String, i64) = (r.get(7)?, r.get(8)?);
        latest.offer(&supplier_text, &made.0, made.1, &id);
        let Some(supplier) = suppliers.get(&supplier_text) else {
            continue;
        };
        let step1 =
            outcome(r.get_ref(10)?.as_str_or_null()?).or(outcome(r.get_ref(9)?.as_str_or_null()?));
        let (decision, voided) = decisions.get(&id).copied().unwrap_or_default();
        let submitted_on: Option<NaiveDate> = r.get(5)?;
        let assessor_id: Option<String> = r.get(4)?;
        let state = state_of(
            step1,
            decision,
            submitted_on.is_some(),
            voided,
            reopened.contains(&id),
        );
        entries.push(Entry {
            row: WorklistRow {
                id: AssessmentId(parse_id(&id)?),
                supplier_id: SupplierId(parse_id(&supplier_text)?),
                supplier: supplier.name.clone(),
                tier: supplier.tier,
                supplier_status: supplier.status,
                assessed_on: r.get(2)?,
                assessor: r.get(3)?,
                state,
                decision,
                decider: None,
                submitted_on: if decision.is_none() {
                    submitted_on
                } else {
                    None
                },
                updated_at: r.get(6)?,
                current: false,
                needs_me: false,
            },
            assessor_id: assessor_id
                .as_deref()
                .map(parse_id)
                .transpose()?
                .map(UserId),
            search_key: supplier.search_key.clone(),
            sort_key: supplier.sort_key.clone(),
            supplier: supplier_text,
            made,
        });
    }
    let current = latest.by_assessment();
    entries.sort_by(Entry::order);
    for entry in &mut entries {
        entry.row.current = current.contains_key(&entry.row.id.to_string());
        if entry.row.state == WorkState::Submitted {
            entry.row.decider = Some(decider(conn, entry.row.id, entry.row.tier)?);
        }
    }
    Ok(entries)
}

/// Who decides a submitted assessment of a supplier of `tier` (DOMAIN §7,
/// [`approval_reasons`]), from what is kept of each assessed service: its
/// level, whether a high risk was accepted, the requirements whose deviation
/// was accepted (read from the input only when it names one).
fn decider(conn: &Connection, id: AssessmentId, tier: Tier) -> Result<Role> {
    let mut statement = conn.prepare_cached(
        "SELECT sa.risk_level,
                CASE WHEN CAST(sa.result ->> '$.high_risk_accepted' AS TEXT) = '1' THEN 1 ELSE 0 END,
                CASE WHEN instr(sa.input, '\"deviation_accepted\"') > 0 THEN
                    (SELECT json_group_array(m.value ->> '$.key') FROM json_each(sa.input, '$.requirements') m
                     WHERE m.value ->> '$.status' = 'deviation_accepted')
                ELSE '[]' END
         FROM service_assessment sa WHERE sa.assessment_id = ?1",
    )?;
    let mut rows = statement.query([id.to_string()])?;
    let mut services = Vec::new();
    while let Some(r) = rows.next()? {
        let level = r.get_ref(0)?.as_str_or_null()?.and_then(RiskBand::parse);
        services.push(ServiceFacts {
            service: String::new(),
            level,
            high_risk_accepted: r.get(1)?,
            deviations_accepted: serde_json::from_str(r.get_ref(2)?.as_str()?)
                .map_err(|e| Error::Internal(e.to_string()))?,
        });
    }
    Ok(if approval_reasons(tier, services).is_empty() {
        Role::ProcurementOfficer
    } else {
        Role::Management
    })
}

/// Whether `user` can act on the assessment now: the assessor carries on
/// with a draft, step 2, or a reopened assessment; management other than
/// the assessor resolves an escalation and decides where approval is
/// required; a procurement officer decides where it is not. Only current
/// assessments of suppliers not offboarded count.
fn needs(user: &User, entry: &Entry) -> bool {
    let row = &entry.row;
    if !row.current || row.supplier_status == SupplierStatus::Offboarded {
        return false;
    }
    let assessor = super::types::is_assessor(entry.assessor_id, &row.assessor, user);
    match row.state {
        WorkState::Draft | WorkState::Step2 | WorkState::Reopened | WorkState::Voided => {
            assessor && user.may(Permission::Assess)
        }
        WorkState::Escalated => !assessor && user.may(Permission::ResolveEscalation),
        WorkState::Submitted => match row.decider {
            Some(Role::Management) => !assessor && user.has(Role::Management),
            Some(_) => user.has(Role::ProcurementOfficer),
            None => false,
        },
        WorkState::Stopped | WorkState::Decided => false,
    }
}

/// The order of two entries on `key` alone; ties keep the supplier order.
fn compare(key: WorklistSort, a: &Entry, b: &Entry) -> Ordering {
    let (x, y) = (&a.row, &b.row);
    match key {
        WorklistSort::Supplier => a.sort_key.cmp(&b.sort_key),
        WorklistSort::Tier => x.tier.cmp(&y.tier),
        WorklistSort::State => x.state.cmp(&y.state),
        WorklistSort::AssessedOn => x.assessed_on.cmp(&y.assessed_on),
        WorklistSort::Assessor => x.assessor.cmp(&y.assessor),
        WorklistSort::UpdatedAt => x.updated_at.cmp(&y.updated_at),
    }
}

/// Reads the worklist ahead, kept as [`list`] keeps it, so that the first
/// list asked for is answered at once.
pub fn prepare(db: &Db) -> Result<()> {
    db.derived_from(load).map(|_| ())
}

/// How many current assessments the signed-in user can act on now: the
/// count [`list`] gives as `needs_me`, without the rows (the overview's
/// first card shows it).
pub fn needs_me(db: &Db) -> Result<u32> {
    let user = db.require_user("see the assessments")?;
    let worklist = db.derived_from(load)?;
    let mine = worklist
        .entries
        .iter()
        .filter(|entry| entry.row.current && needs(&user, entry))
        .count();
    Ok(u32::try_from(mine).unwrap_or(u32::MAX))
}

/// The worklist as `query` asks it, for the signed-in user.
pub fn list(db: &Db, query: &WorklistQuery) -> Result<WorklistPage> {
    let user = db.require_user("see the assessments")?;
    let worklist = db.derived_from(load)?;
    let search = query.search.trim().to_lowercase();
    let assessor = query
        .assessor
        .as_deref()
        .map(str::trim)
        .filter(|a| !a.is_empty());
    let mut total = 0;
    let mut needs_me = 0;
    let mut by_state: Vec<StateCount> = WorkState::ALL
        .iter()
        .map(|&state| StateCount { state, count: 0 })
        .collect();
    let mut assessors: Vec<&str> = Vec::new();
    let mut matching: Vec<(&Entry, bool)> = Vec::new();
    for entry in &worklist.entries {
        let row = &entry.row;
        if !(query.all || row.current) {
            continue;
        }
        total += 1;
        assessors.push(&row.assessor);
        let mine = needs(&user, entry);
        needs_me += u32::from(mine);
        if (search.is_empty() || entry.search_key.contains(&search))
            && query.tier.is_none_or(|tier| row.tier == tier)
            && assessor.is_none_or(|name| row.assessor == name)
            && (!query.needs_me || mine)
        {
            if let Some(count) = by_state.iter_mut().find(|c| c.state == row.state) {
                count.count += 1;
            }
            if query.state.is_none_or(|state| row.state == state) {
                matching.push((entry, mine));
            }
        }
    }
    if query.sort != WorklistSort::Supplier || query.descending {
        if query.descending {
            matching.sort_by(|a, b| compare(query.sort, b.0, a.0));
        } else {
            matching.sort_by(|a, b| compare(query.sort, a.0, b.0));
        }
    }
    assessors.sort_unstable();
    assessors.dedup();
    Ok(WorklistPage {
        rows: matching
            .into_iter()
            .map(|(entry, mine)| WorklistRow {
                needs_me: mine,
                ..entry.row.clone()
            })
            .collect(),
        total,
        by_state,
        needs_me,
        assessors: assessors.into_iter().map(str::to_owned).collect(),
    })
}
