//! The register list: every supplier as one compact row, searched, filtered
//! and sorted, with the counts the list shows. The rows are read from SQLite
//! once per change of the database and kept in memory; one call returns all
//! matching rows, and the UI renders only the visible ones.

use super::follow_up::{review_due, ReviewDue};
use super::types::{SupplierId, SupplierStatus, Tier};
use crate::error::Result;
use crate::rules::RiskBand;
use crate::store::Db;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::collections::HashMap;
use ts_rs::TS;

/// The column the register is sorted on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SortKey {
    #[default]
    Name,
    RegistrationNumber,
    Country,
    Tier,
    Status,
    Exposed,
    Services,
    UpdatedAt,
    NextReview,
    RiskLevel,
}

/// What the officer asks of the register.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct RegisterQuery {
    /// Part of the name or the registration number, in any case.
    pub search: String,
    pub tier: Option<Tier>,
    pub status: Option<SupplierStatus>,
    pub exposed: Option<bool>,
    /// Country of headquarters.
    pub country: Option<String>,
    /// Reviews overdue, or due within 60 days (DOMAIN §8).
    pub review: Option<ReviewDue>,
    /// The highest risk level of the services in the current assessment.
    pub risk_level: Option<RiskBand>,
    pub sort: SortKey,
    pub descending: bool,
}

/// One supplier in the register list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RegisterRow {
    pub id: SupplierId,
    pub legal_name: String,
    pub registration_number: String,
    pub country: String,
    pub tier: Tier,
    pub status: SupplierStatus,
    pub exposed: bool,
    pub services: u32,
    pub updated_at: String,
    /// When the next review is due (suppliers under review).
    pub next_review_on: Option<NaiveDate>,
    /// Whether that review is overdue or due soon, today.
    pub review: Option<ReviewDue>,
    /// The highest risk level of the services in the current assessment
    /// (DOMAIN §4: a service's level is its highest residual band).
    pub risk_level: Option<RiskBand>,
}

/// Suppliers per tier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
pub struct TierCounts {
    pub critical: u32,
    pub essential: u32,
    pub standard: u32,
}

/// The rows that match, and the counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RegisterPage {
    pub rows: Vec<RegisterRow>,
    /// All suppliers in the register.
    pub total: u32,
    /// The matching suppliers per tier.
    pub by_tier: TierCounts,
    /// The matching suppliers whose services are exposed to foreign access law.
    pub exposed: u32,
    /// The day "overdue" and "due soon" were judged on.
    pub today: NaiveDate,
}

/// One supplier as the list searches and sorts it.
#[derive(Debug, Clone)]
struct Entry {
    row: RegisterRow,
    /// Lower-case name and registration number, searched.
    search_key: String,
    /// The name as sorted.
    sort_key: String,
}

/// Every supplier, in name order (then id), and the audit trail's head
/// when it was read: read once, and after a change only the suppliers the
/// trail names since ([`Db::derived_from`]), so searching, filtering and
/// sorting while the officer types reads nothing from SQLite.
#[derive(Debug)]
struct Register {
    entries: Vec<Entry>,
    head: i64,
}

/// The register as of now: from the one kept before the change, reading
/// again only the suppliers the trail names since ([`super::changed_since`]);
/// read whole the first time, after many changes, or after a change the
/// trail does not name.
fn load(
    conn: &crate::store::sql::Connection,
    before: Option<std::sync::Arc<Register>>,
) -> Result<Register> {
    let head = super::trail_head(conn)?;
    let changed = match &before {
        Some(before) if head > before.head && head - before.head <= super::MAX_CHANGES => {
            super::changed_since(conn, before.head)?
        }
        _ => None,
    };
    let (Some(before), Some(changed)) = (before, changed) else {
        return Ok(Register {
            entries: read(conn, None)?,
            head,
        });
    };
    let mut entries: Vec<Entry> = before
        .entries
        .iter()
        .filter(|e| !changed.contains(&e.row.id.to_string()))
        .cloned()
        .collect();
    if !changed.is_empty() {
        let ids = serde_json::to_string(&changed.iter().collect::<Vec<_>>())
            .map_err(|e| crate::Error::Internal(e.to_string()))?;
        entries.extend(read(conn, Some(&ids))?);
        entries.sort_by_cached_key(|e| (e.sort_key.clone(), e.row.id.to_string()));
    }
    Ok(Register { entries, head })
}

/// The suppliers `only` names (a JSON list of ids), or every supplier, in
/// name order (then id).
fn read(conn: &crate::store::sql::Connection, only: Option<&str>) -> Result<Vec<Entry>> {
    let mut statement = conn.prepare_cached(&format!(
        "SELECT s.id, s.legal_name, s.registration_number, s.country_of_headquarters, s.tier, s.status,
                s.exposed, (SELECT count(*) FROM service v WHERE v.supplier_id = s.id), s.updated_at,
                s.search_key, s.sort_key, s.next_review_on
         FROM supplier s WHERE {} ORDER BY s.sort_key, s.id",
        if only.is_some() {
            "s.id IN (SELECT value FROM json_each(CAST(?1 AS TEXT)))"
        } else {
            "CAST(?1 AS TEXT) IS NULL"
        }
    ))?;
    let levels = risk_levels(conn, only)?;
    let entries = statement
        .query_map([only], |row| {
            let id: String = row.get(0)?;
            Ok(Entry {
                row: RegisterRow {
                    id: id.parse().map_err(|e| {
                        rusqlite::Error::FromSqlConversionFailure(
                            0,
                            rusqlite::types::Type::Text,
                            Box::new(e),
                        )
                    })?,
                    legal_name: row.get(1)?,
                    registration_number: row.get(2)?,
                    country: row.get(3)?,
                    tier: row.get(4)?,
                    status: row.get(5)?,
                    exposed: row.get(6)?,
                    services: row.get(7)?,
                    updated_at: row.get(8)?,
                    next_review_on: row.get(11)?,
                    review: None,
                    risk_level: levels.get(&id).copied(),
                },
                search_key: row.get(9)?,
                sort_key: row.get(10)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(entries)
}

/// The highest risk level of the services in each supplier's current
/// assessment, by supplier id (from the level kept beside each service
/// assessment): two plain scans, no correlated subquery, so the first list
/// after a change stays fast.
fn risk_levels(
    conn: &crate::store::sql::Connection,
    only: Option<&str>,
) -> Result<HashMap<String, RiskBand>> {
    let Some(only) = only else {
        return levels_of(
            conn,
            &super::current_assessments(conn)?,
            "SELECT assessment_id, risk_level FROM service_assessment WHERE risk_level IS NOT NULL AND CAST(?1 AS TEXT) IS NULL",
            None,
        );
    };
    let mut latest = super::Latest::default();
    let mut statement = conn.prepare_cached(
        "SELECT supplier_id, created_at, rowid, id FROM assessment
         WHERE supplier_id IN (SELECT value FROM json_each(CAST(?1 AS TEXT)))",
    )?;
    let mut rows = statement.query([only])?;
    while let Some(row) = rows.next()? {
        latest.offer(
            row.get_ref(0)?.as_str()?,
            row.get_ref(1)?.as_str()?,
            row.get(2)?,
            row.get_ref(3)?.as_str()?,
        );
    }
    let current = latest.by_assessment();
    let ids = serde_json::to_string(&current.keys().collect::<Vec<_>>())
        .map_err(|e| crate::Error::Internal(e.to_string()))?;
    levels_of(
        conn,
        &current,
        "SELECT assessment_id, risk_level FROM service_assessment
         WHERE risk_level IS NOT NULL AND assessment_id IN (SELECT value FROM json_each(CAST(?1 AS TEXT)))",
        Some(&ids),
    )
}

/// The highest level of the service assessments `sql` reads (with `param`),
/// by the supplier of each `current` assessment.
fn levels_of(
    conn: &crate::store::sql::Connection,
    current: &HashMap<String, String>,
    sql: &str,
    param: Option<&str>,
) -> Result<HashMap<String, RiskBand>> {
    let mut statement = conn.prepare_cached(sql)?;
    let mut rows = statement.query([param])?;
    let mut levels: HashMap<String, RiskBand> = HashMap::new();
    while let Some(row) = rows.next()? {
        let Some(supplier) = current.get(row.get_ref(0)?.as_str()?) else {
            continue;
        };
        let Some(level) = RiskBand::parse(row.get_ref(1)?.as_str()?) else {
            continue;
        };
        let highest = levels.entry(supplier.clone()).or_insert(level);
        *highest = (*highest).max(level);
    }
    Ok(levels)
}

/// Statuses in the order the list sorts them: those needing work first.
fn status_rank(status: SupplierStatus) -> u8 {
    match status {
        SupplierStatus::Draft => 0,
        SupplierStatus::InAssessment => 1,
        SupplierStatus::ReassessmentRequired => 2,
        SupplierStatus::ApprovedWithConditions => 3,
        SupplierStatus::Approved => 4,
        SupplierStatus::Rejected => 5,
        SupplierStatus::Offboarded => 6,
    }
}

/// The order of two entries on `key` alone; ties keep the name order.
fn compare(key: SortKey, a: &Entry, b: &Entry) -> Ordering {
    let (a_row, b_row) = (&a.row, &b.row);
    match key {
        SortKey::Name => a.sort_key.cmp(&b.sort_key),
        SortKey::RegistrationNumber => a_row.registration_number.cmp(&b_row.registration_number),
        SortKey::Country => a_row.country.cmp(&b_row.country),
        // Tiers in their order of importance (critical first), not alphabetically.
        SortKey::Tier => a_row.tier.cmp(&b_row.tier),
        SortKey::Status => status_rank(a_row.status).cmp(&status_rank(b_row.status)),
        SortKey::Exposed => a_row.exposed.cmp(&b_row.exposed),
        SortKey::Services => a_row.services.cmp(&b_row.services),
        SortKey::UpdatedAt => a_row.updated_at.cmp(&b_row.updated_at),
        SortKey::NextReview => a_row.next_review_on.cmp(&b_row.next_review_on),
        SortKey::RiskLevel => a_row.risk_level.cmp(&b_row.risk_level),
    }
}

/// Searches, filters and sorts the register: the search is a part of the
/// name or registration number in any case; the sort is on one column,
/// ascending or descending, and then by name.
pub fn list_register(db: &Db, query: &RegisterQuery) -> Result<RegisterPage> {
    let register = db.derived_from(load)?;
    let today = db.now().date_naive();
    let search = query.search.trim().to_lowercase();
    let country = query
        .country
        .as_deref()
        .filter(|c| !c.is_empty())
        .map(str::to_ascii_uppercase);
    let mut matching: Vec<(&Entry, Option<ReviewDue>)> = register
        .entries
        .iter()
        .map(|e| (e, review_due(e.row.status, e.row.next_review_on, today)))
        .filter(|(e, review)| {
            let row = &e.row;
            (search.is_empty() || e.search_key.contains(&search))
                && query.review.is_none_or(|wanted| *review == Some(wanted))
                && query
                    .risk_level
                    .is_none_or(|level| row.risk_level == Some(level))
                && query.tier.is_none_or(|tier| row.tier == tier)
                && query.status.is_none_or(|status| row.status == status)
                && query.exposed.is_none_or(|exposed| row.exposed == exposed)
                && country
                    .as_ref()
                    .is_none_or(|country| &row.country == country)
        })
        .collect();
    // Stable: entries equal on the column stay in name order.
    if query.sort != SortKey::Name || query.descending {
        if query.descending {
            matching.sort_by(|a, b| compare(query.sort, b.0, a.0));
        } else {
            matching.sort_by(|a, b| compare(query.sort, a.0, b.0));
        }
        // Suppliers without a review date or a risk level go last, whichever
        // the direction: sorting by them is asking for those that have one.
        match query.sort {
            SortKey::NextReview => matching.sort_by_key(|e| e.0.row.next_review_on.is_none()),
            SortKey::RiskLevel => matching.sort_by_key(|e| e.0.row.risk_level.is_none()),
            _ => {}
        }
    }
    let mut by_tier = TierCounts::default();
    let mut exposed = 0;
    let rows: Vec<RegisterRow> = matching
        .into_iter()
        .map(|(entry, review)| {
            let row = &entry.row;
            match row.tier {
                Tier::Critical => by_tier.critical += 1,
                Tier::Essential => by_tier.essential += 1,
                Tier::Standard => by_tier.standard += 1,
            }
            exposed += u32::from(row.exposed);
            RegisterRow {
                review,
                ..row.clone()
            }
        })
        .collect();
    Ok(RegisterPage {
        rows,
        total: u32::try_from(register.entries.len()).unwrap_or(u32::MAX),
        by_tier,
        exposed,
        today,
    })
}
