//! Generated registers for benchmarks and demonstrations (`tillit dev seed`).
//!
//! [`register`] fills an empty database with a realistic mix of suppliers
//! (tiers, countries, parents in and outside the EU), three services each with
//! five rated risks, subcontractors, evidence with expiry dates, and
//! assessments in every state: not started, draft, step 1 escalated or
//! stopped, step 2 under way, submitted, approved, approved with conditions,
//! rejected, and decisions voided by a later change. Everything is written
//! through the core, dated across the years it covers, so every row is
//! validated and in the audit trail. The same seed and date give the same
//! register, byte for byte (the draws come from [`rand`]'s Xoshiro256++,
//! one stream per supplier; ids and password salts from the seeded id
//! source).
//!
//! [`audit_trail`] grows a register's trail to a given length with the edits
//! officers make, for the benchmark of `audit verify`.

mod inputs;
mod names;
mod register;
mod rng;

use crate::error::Refusal;
pub use names::org_number;
use register::trail_length;
pub use register::{register, users};

use crate::approval::Permission;
use crate::context::SharedClock;
use crate::error::Result;
use crate::store::Db;
use chrono::NaiveDate;
use names::OWNERS;
use rng::Rng;
use serde::Serialize;
use std::collections::BTreeMap;

/// The version of the generator: raised whenever the same options would
/// generate another register (benchmarks keep generated files by it).
pub const GENERATOR: u32 = 4;

/// What to generate.
#[derive(Debug, Clone)]
pub struct SeedOptions {
    pub suppliers: usize,
    pub seed: u64,
    /// The day the register is as of: decisions and reviews fall before and
    /// after it as they would in a register kept for three years.
    pub as_of: NaiveDate,
    /// The password of the users created: `admin`, `olivia` (procurement
    /// officer) and `magnus` (management).
    pub password: String,
}

/// What was generated, by kind and by assessment state.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SeedSummary {
    pub suppliers: usize,
    pub services: usize,
    pub subcontractors: usize,
    pub evidence: usize,
    pub risks: usize,
    pub assessments: usize,
    /// Suppliers by the state of their latest assessment.
    pub states: BTreeMap<&'static str, usize>,
    pub deviations: usize,
    pub audit_entries: u64,
}

impl SeedSummary {
    /// The summary in a few lines of text.
    pub fn text(&self) -> String {
        let mut text = format!(
            "{} suppliers, {} services with {} risks, {} subcontractors, {} evidence items, \
             {} assessments, {} deviations; {} audit entries\n",
            self.suppliers,
            self.services,
            self.risks,
            self.subcontractors,
            self.evidence,
            self.assessments,
            self.deviations,
            self.audit_entries
        );
        for (state, count) in &self.states {
            text.push_str(&format!("  {state:<26} {count:>7}\n"));
        }
        text
    }
}

/// Grows the audit trail of a generated register to `entries` entries with
/// the edits officers make (contacts, owners, notes of suppliers; contract
/// references and SLAs of services), a thousand rows a transaction, one
/// entry each. The officer `olivia` must be signed in.
pub fn audit_trail(db: &Db, clock: &SharedClock, entries: u64, seed: u64) -> Result<u64> {
    let mut rng = Rng::new(seed, u64::MAX);
    let (suppliers, services): (Vec<String>, Vec<String>) = db.read(|conn| {
        let ids = |sql: &str| -> Result<Vec<String>> {
            Ok(conn
                .prepare(sql)?
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?)
        };
        Ok((
            ids("SELECT id FROM supplier ORDER BY id")?,
            ids("SELECT id FROM service ORDER BY id")?,
        ))
    })?;
    if suppliers.is_empty() {
        return Err(Refusal::new("refusal.grow_trail_first").into());
    }
    let mut count = trail_length(db)?;
    let mut time = crate::context::Clock::now(clock);
    let mut round = 0u64;
    while count < entries {
        round += 1;
        time += chrono::Duration::minutes(7);
        clock.set(time);
        let batch = (entries - count).min(1_000);
        db.write(Permission::EditRegister, |tx| {
            let now = tx.now_text();
            for k in 0..batch {
                let n = rng.next();
                if k % 3 == 2 {
                    let id = &services[usize::try_from(n % services.len() as u64).unwrap_or(0)];
                    tx.prepare_cached(
                        "UPDATE service SET contract_reference = ?2, sla_availability_percent = ?3, updated_at = ?4
                         WHERE id = ?1",
                    )?
                    .execute(rusqlite::params![
                        id,
                        format!("AVT-{round}-{k:04}"),
                        *rng.pick(&[99.0, 99.5, 99.9, 99.95]),
                        now
                    ])?;
                } else {
                    let id = &suppliers[usize::try_from(n % suppliers.len() as u64).unwrap_or(0)];
                    tx.prepare_cached(
                        "UPDATE supplier SET contact_name = ?2, internal_owner = ?3, notes = ?4, updated_at = ?5
                         WHERE id = ?1",
                    )?
                    .execute(rusqlite::params![
                        id,
                        rng.pick(OWNERS),
                        rng.pick(OWNERS),
                        format!("Uppföljningsmöte {round}: inga avvikelser"),
                        now
                    ])?;
                }
            }
            Ok(())
        })?;
        count = trail_length(db)?;
    }
    Ok(count)
}
