//! The generated register (`tillit dev seed`): every assessment state, an
//! intact trail, the same register from the same seed, and only into an
//! empty database.

use chrono::{NaiveDate, Utc};
use tillit::context::{SeededIds, SharedClock};
use tillit::dev::{self, SeedOptions, SeedSummary};
use tillit::Db;

fn options(suppliers: usize, seed: u64) -> SeedOptions {
    SeedOptions {
        suppliers,
        seed,
        as_of: NaiveDate::from_ymd_opt(2026, 11, 2).unwrap(),
        password: crate::support::PASSWORD.into(),
    }
}

fn generated(options: &SeedOptions) -> (Db, SeedSummary) {
    let clock = SharedClock::new(Utc::now());
    let db = crate::support::fresh()
        .with_clock(clock.clone())
        .with_ids(SeededIds::new(options.seed));
    let summary = dev::register(&db, &clock, options).unwrap();
    (db, summary)
}

#[test]
fn a_generated_register_has_every_assessment_state_and_an_intact_trail() {
    let (db, summary) = generated(&options(160, 1));
    assert_eq!(summary.suppliers, 160);
    assert_eq!(summary.services, 480, "three services per supplier");
    for state in [
        "not assessed",
        "draft",
        "step 1 escalated",
        "step 1 stopped",
        "step 2 under way",
        "submitted",
        "approved",
        "approved with conditions",
        "rejected",
        "decision voided",
    ] {
        assert!(
            summary.states.get(state).copied().unwrap_or(0) > 0,
            "no supplier in state {state}: {:?}",
            summary.states
        );
    }
    assert_eq!(summary.states.values().sum::<usize>(), 160);
    let verification = db.read(tillit::audit::verify).unwrap();
    assert!(verification.intact(), "{}", verification.sentence());
    assert_eq!(verification.entries, summary.audit_entries);

    // Decisions by management where required, and reviews due (some overdue).
    let (management, officer, overdue): (u32, u32, u32) = db
        .read(|conn| {
            conn.query_row(
                "SELECT (SELECT count(*) FROM approval WHERE capacity = 'management'),
                        (SELECT count(*) FROM approval WHERE capacity = 'officer'),
                        (SELECT count(*) FROM supplier WHERE next_review_on < '2026-11-02')",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
        })
        .unwrap();
    assert!(
        management > 0 && officer > 0,
        "{management} by management, {officer} by officers"
    );
    assert!(overdue > 0, "no review is overdue");
}

#[test]
fn the_same_seed_gives_the_same_register_and_another_seed_another() {
    let export = |seed| {
        let (db, _) = generated(&options(40, seed));
        serde_json::to_string(&tillit::interchange::json::export(&db).unwrap()).unwrap()
    };
    let first = export(5);
    assert_eq!(first, export(5));
    assert_ne!(first, export(6));
}

#[test]
fn a_register_is_generated_only_into_an_empty_database() {
    let (db, _) = generated(&options(3, 1));
    let clock = SharedClock::new(Utc::now());
    let error = dev::register(&db, &clock, &options(3, 1)).unwrap_err();
    assert!(error.to_string().contains("new, empty database"), "{error}");
}

/// What a service assessment's derived columns must hold, computed in Rust
/// from its JSON: the level, and the highest residual rating (score, then
/// impact, then likelihood).
fn picture_of(input: &str, result: &str) -> (Option<String>, Option<(u8, u8)>) {
    let input: serde_json::Value = serde_json::from_str(input).unwrap();
    let result: serde_json::Value = serde_json::from_str(result).unwrap();
    let risks: Vec<tillit::assessment::workflow::Risk> =
        serde_json::from_value(input["risks"].clone()).unwrap();
    let worst = risks
        .iter()
        .map(|r| r.residual)
        .max_by_key(|r| (r.score(), r.impact, r.likelihood))
        .map(|r| (r.likelihood, r.impact));
    (result["level"].as_str().map(str::to_owned), worst)
}

type Pictures = Vec<(String, String, Option<String>, Option<(u8, u8)>)>;

/// Every service assessment: its key, and (derived columns, from the JSON).
fn pictures(db: &Db) -> (Pictures, Pictures) {
    db.read(|conn| {
        let mut stored = Vec::new();
        let mut computed = Vec::new();
        let mut statement = conn.prepare(
            "SELECT assessment_id, service_id, input, result, risk_level, residual_likelihood, residual_impact
             FROM service_assessment ORDER BY assessment_id, service_id",
        )?;
        let mut rows = statement.query([])?;
        while let Some(row) = rows.next()? {
            let (a, s): (String, String) = (row.get(0)?, row.get(1)?);
            let (level, worst) = picture_of(&row.get::<_, String>(2)?, &row.get::<_, String>(3)?);
            computed.push((a.clone(), s.clone(), level, worst));
            let stored_worst = match (row.get::<_, Option<u8>>(5)?, row.get::<_, Option<u8>>(6)?) {
                (Some(l), Some(i)) => Some((l, i)),
                _ => None,
            };
            stored.push((a, s, row.get(4)?, stored_worst));
        }
        Ok((stored, computed))
    })
    .unwrap()
}

#[test]
fn every_service_assessment_keeps_its_level_and_highest_residual_risk_beside_its_json() {
    // Written by saving, re-rating and deciding (the generator goes through the core).
    let (db, _) = generated(&options(120, 3));
    let (stored, computed) = pictures(&db);
    assert!(stored.len() > 100, "{} service assessments", stored.len());
    assert_eq!(stored, computed);

    // Written by importing a register file.
    let text = tillit::interchange::json::export_text(&db).unwrap();
    let copy = crate::support::empty_at(chrono::Utc::now());
    tillit::interchange::json::import_text(&copy, &text).unwrap();
    let (imported, computed) = pictures(&copy);
    assert_eq!(imported.len(), stored.len());
    assert_eq!(imported, computed);
}

/// A service assessment as schema version 5 stored it: input and result JSON.
fn service_assessment_v5(residuals: &[(u8, u8)], level: &str) -> (String, String) {
    let risks: Vec<serde_json::Value> = residuals
        .iter()
        .map(|&(likelihood, impact)| {
            serde_json::json!({
                "dimension": "availability", "description": "Outage", "treatment": "mitigate",
                "controls": "Redundancy", "inherent": {"likelihood": 5, "impact": 5},
                "residual": {"likelihood": likelihood, "impact": impact},
            })
        })
        .collect();
    let input = serde_json::json!({"risks": risks, "requirements": [],
        "standard_contractual_clauses": false, "transfer_impact_assessment": false});
    let result = serde_json::json!({"level": level, "mandatory": [], "blocking": [],
        "transfer": {"verdict": "allowed", "fired": []}, "high_risk_accepted": false});
    (input.to_string(), result.to_string())
}

#[test]
fn upgrading_to_schema_6_fills_the_risk_picture_of_every_service_assessment_and_records_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tillit.db");
    let supplier = {
        let old = Db::open_with(&path, &tillit::store::MIGRATIONS[..5]).unwrap();
        crate::support::add_users(&old);
        let supplier = crate::support::supplier_of_old_schema(&old, "Molnbolaget AB");
        // An assessment as schema 5 held it (today's code reads columns it had not).
        let assessment = "00000000-0000-4000-8000-000000000050";
        old.with_tx(|tx| {
            tillit::rules::ensure_stored(tx, "2026-03-01T09:00:00.000Z")?;
            tx.execute(
                "INSERT INTO assessment (id, supplier_id, rule_set_version, assessed_on, assessor,
                                         created_at, updated_at)
                 VALUES (?1, ?2, (SELECT max(version) FROM rule_set), '2026-03-01', 'Olivia Officer',
                         '2026-03-01T09:00:00.000Z', '2026-03-01T09:00:00.000Z')",
                rusqlite::params![assessment, supplier.to_string()],
            )?;
            Ok(())
        })
        .unwrap();
        // Services as schema 5 held them (today's code writes columns it had not).
        let services = [
            "00000000-0000-4000-8000-000000000051",
            "00000000-0000-4000-8000-000000000052",
        ];
        old.with_tx(|tx| {
            for (id, name) in services.iter().zip(["Ärendesystem", "Lönesystem"]) {
                tx.execute(
                    "INSERT INTO service (id, supplier_id, name, data_classification, personal_data,
                                          reliance, substitutability, created_at, updated_at)
                     VALUES (?1, ?2, ?3, 'internal', 'none', 'low', 'medium',
                             '2026-03-01T09:00:00.000Z', '2026-03-01T09:00:00.000Z')",
                    rusqlite::params![id, supplier.to_string(), name],
                )?;
            }
            Ok(())
        })
        .unwrap();
        // Likelihood × impact 8 and 9: the 3 × 3 is the highest. 8 and 8: the greater impact.
        let rows = [
            service_assessment_v5(&[(2, 4), (3, 3)], "medium"),
            service_assessment_v5(&[(4, 2), (2, 4)], "medium"),
        ];
        old.with_tx(|tx| {
            for (service, (input, result)) in services.iter().zip(&rows) {
                tx.execute(
                    "INSERT INTO service_assessment (assessment_id, service_id, input, result, updated_at)
                     VALUES (?1, ?2, ?3, ?4, '2026-03-01T10:00:00.000Z')",
                    rusqlite::params![assessment.to_string(), service, input, result],
                )?;
            }
            Ok(())
        })
        .unwrap();
        supplier
    };
    let db = Db::open(&path).unwrap();
    let (stored, computed) = pictures(&db);
    assert_eq!(stored.len(), 2);
    assert_eq!(stored, computed);
    let mut cells: Vec<(u8, u8)> = stored
        .iter()
        .filter_map(|(_, _, _, worst)| *worst)
        .collect();
    cells.sort();
    assert_eq!(cells, [(2, 4), (3, 3)]);

    // The upgrade's change is in the trail, by the system, and the trail verifies.
    let by_system: u32 = db
        .read(|conn| {
            conn.query_row(
                "SELECT count(*) FROM audit_log WHERE entity = 'service_assessment' AND actor = 'tillit'
                 AND json_extract(after, '$.risk_level') = 'medium'",
                [],
                |r| r.get(0),
            )
        })
        .unwrap();
    assert_eq!(by_system, 2);
    let verification = db.read(tillit::audit::verify).unwrap();
    assert!(verification.intact(), "{}", verification.sentence());
    let overview =
        tillit::review::overview(&db, NaiveDate::from_ymd_opt(2026, 3, 2).unwrap()).unwrap();
    let heat: Vec<(u8, u8, u32)> = overview
        .heat_map
        .iter()
        .map(|c| (c.likelihood, c.impact, c.count))
        .collect();
    assert_eq!(heat, [(2, 4, 1), (3, 3, 1)]);
    assert!(overview
        .heat_map
        .iter()
        .all(|c| c.services[0].supplier_id == supplier));
}

#[test]
fn the_overview_lists_count_everything_and_carry_the_first_items_soonest_first() {
    let (db, _) = generated(&options(160, 5));
    // Nine months after the register's date: many reviews are overdue.
    let today = NaiveDate::from_ymd_opt(2027, 8, 2).unwrap();
    let overview = tillit::review::overview(&db, today).unwrap();
    let overdue: u32 = db
        .read(|conn| {
            conn.query_row(
                "SELECT count(*) FROM supplier WHERE next_review_on < ?1
                 AND status IN ('approved', 'approved_with_conditions', 'reassessment_required')",
                [today],
                |r| r.get(0),
            )
        })
        .unwrap();
    assert!(
        overdue as usize > tillit::review::overview::LISTED,
        "{overdue} overdue"
    );
    assert_eq!(overview.overdue.count, overdue);
    assert_eq!(
        overview.overdue,
        tillit::review::overdue_reviews(&db, today).unwrap()
    );
    for list in [
        &overview.overdue,
        &overview.due_soon,
        &overview.upcoming,
        &overview.evidence_expiring,
        &overview.awaiting_decision,
        &overview.open_escalations,
    ] {
        assert_eq!(
            list.items.len(),
            (list.count as usize).min(tillit::review::overview::LISTED)
        );
        let dates: Vec<_> = list.items.iter().map(|i| i.date).collect();
        let mut sorted = dates.clone();
        sorted.sort();
        assert_eq!(dates, sorted, "soonest first");
    }
}
