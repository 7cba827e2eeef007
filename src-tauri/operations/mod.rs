//! Operations: what a person does that changes more than one aggregate.
//! Each runs in one transaction and calls the aggregates it changes, so
//! that no aggregate reaches into another one above it (ARCHITECTURE,
//! "Aggregates do not call each other in circles").

use crate::access::Permission;
use crate::error::Result;
use crate::rules::{self, RuleSet, StoredRuleSet};
use crate::store::Db;

/// Saves an edited rule set as a new version; the exposing jurisdictions
/// may have changed, so every supplier's exposure follows in the same
/// transaction. Existing assessments keep their version until re-evaluated.
pub fn save_rules(db: &Db, rule_set: &RuleSet, note: &str) -> Result<u32> {
    rules::validate(rule_set)?;
    db.write(Permission::EditRules, |tx| {
        let version = rules::save_in(tx, rule_set, note)?;
        crate::supplier::refresh_all_exposure(tx)?;
        Ok(version)
    })
}

/// [`save_rules`], then the rule set now in force.
pub fn save_rules_and_read(db: &Db, rule_set: &RuleSet, note: &str) -> Result<StoredRuleSet> {
    save_rules(db, rule_set, note)?;
    db.read(rules::current)
}
