//! The register list: every supplier as one compact row, searched, filtered
//! and sorted in SQL, with the counts the list shows. One call returns all
//! matching rows; the UI renders only the visible ones.

use super::types::{SupplierId, SupplierStatus, Tier};
use crate::error::Result;
use crate::store::Db;
use serde::{Deserialize, Serialize};
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
}

/// Searches, filters and sorts the register.
pub fn list_register(db: &Db, query: &RegisterQuery) -> Result<RegisterPage> {
    db.read(|conn| {
        let mut filters = Vec::new();
        let mut params: Vec<Box<dyn rusqlite::ToSql>> = Vec::new();
        let search = query.search.trim().to_lowercase();
        if !search.is_empty() {
            let escaped = search.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
            params.push(Box::new(format!("%{escaped}%")));
            filters.push(format!("s.search_key LIKE ?{} ESCAPE '\\'", params.len()));
        }
        if let Some(tier) = query.tier {
            params.push(Box::new(tier));
            filters.push(format!("s.tier = ?{}", params.len()));
        }
        if let Some(status) = query.status {
            params.push(Box::new(status));
            filters.push(format!("s.status = ?{}", params.len()));
        }
        if let Some(exposed) = query.exposed {
            params.push(Box::new(exposed));
            filters.push(format!("s.exposed = ?{}", params.len()));
        }
        if let Some(country) = query.country.as_deref().filter(|c| !c.is_empty()) {
            params.push(Box::new(country.to_ascii_uppercase()));
            filters.push(format!("s.country_of_headquarters = ?{}", params.len()));
        }
        let filter = if filters.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", filters.join(" AND "))
        };
        let column = match query.sort {
            SortKey::Name => "s.sort_key",
            SortKey::RegistrationNumber => "s.registration_number",
            SortKey::Country => "s.country_of_headquarters",
            // Tiers and statuses in their order of importance, not alphabetically.
            SortKey::Tier => "CASE s.tier WHEN 'critical' THEN 0 WHEN 'essential' THEN 1 ELSE 2 END",
            SortKey::Status => {
                "CASE s.status WHEN 'draft' THEN 0 WHEN 'in_assessment' THEN 1 WHEN 'reassessment_required' THEN 2 \
                 WHEN 'approved_with_conditions' THEN 3 WHEN 'approved' THEN 4 WHEN 'rejected' THEN 5 ELSE 6 END"
            }
            SortKey::Exposed => "s.exposed",
            SortKey::Services => "services",
            SortKey::UpdatedAt => "s.updated_at",
        };
        let direction = if query.descending { "DESC" } else { "ASC" };
        let sql = format!(
            "SELECT s.id, s.legal_name, s.registration_number, s.country_of_headquarters, s.tier, s.status,
                    s.exposed, (SELECT count(*) FROM service v WHERE v.supplier_id = s.id) AS services, s.updated_at
             FROM supplier s {filter}
             ORDER BY {column} {direction}, s.sort_key, s.id"
        );
        let mut statement = conn.prepare_cached(&sql)?;
        let rows: Vec<RegisterRow> = statement
            .query_map(rusqlite::params_from_iter(params.iter()), |row| {
                let id: String = row.get(0)?;
                Ok(RegisterRow {
                    id: id.parse().map_err(|e| {
                        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
                    })?,
                    legal_name: row.get(1)?,
                    registration_number: row.get(2)?,
                    country: row.get(3)?,
                    tier: row.get(4)?,
                    status: row.get(5)?,
                    exposed: row.get(6)?,
                    services: row.get(7)?,
                    updated_at: row.get(8)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        let total: u32 = conn.query_row("SELECT count(*) FROM supplier", [], |r| r.get(0))?;
        let mut by_tier = TierCounts::default();
        let mut exposed = 0;
        for row in &rows {
            match row.tier {
                Tier::Critical => by_tier.critical += 1,
                Tier::Essential => by_tier.essential += 1,
                Tier::Standard => by_tier.standard += 1,
            }
            exposed += u32::from(row.exposed);
        }
        Ok(RegisterPage {
            rows,
            total,
            by_tier,
            exposed,
        })
    })
}
