//! The generated register (`tillit dev seed`): every assessment state, an
//! intact trail, the same register from the same seed, and only into an
//! empty database.

use chrono::{NaiveDate, Utc};
use tillit::context::{SeededIds, SharedClock};
use tillit::seed::{self, SeedOptions, SeedSummary};
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
    let db = Db::open_in_memory()
        .unwrap()
        .with_clock(clock.clone())
        .with_ids(SeededIds::new(options.seed));
    let summary = seed::register(&db, &clock, options).unwrap();
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
            Ok(conn.query_row(
                "SELECT (SELECT count(*) FROM approval WHERE capacity = 'management'),
                        (SELECT count(*) FROM approval WHERE capacity = 'officer'),
                        (SELECT count(*) FROM supplier WHERE next_review_on < '2026-11-02')",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )?)
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
    let error = seed::register(&db, &clock, &options(3, 1)).unwrap_err();
    assert!(error.to_string().contains("new, empty database"), "{error}");
}
