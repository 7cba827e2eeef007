//! The overview kept in memory: after any change, made here or by another
//! program, it shows what the overview read whole shows.

use super::*;
use tillit::approval::{CloseConditionInput, ConditionInput, ReopenInput};
use tillit::context::{SeededIds, SharedClock};

/// After each kind of change the overview reflects, the overview this
/// handle keeps (read again only for the suppliers the change names, or
/// whole when the trail cannot place the change) equals the one another
/// program reads whole, on both days asked for: counts, the first items of
/// every list in order, the heat map and its samples.
#[test]
fn the_overview_kept_across_changes_equals_the_overview_read_whole() {
    let dir = tempfile::tempdir().unwrap();
    let path = support::store_in(dir.path());
    let clock = SharedClock::new(
        chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 3, 1, 9, 0, 0).unwrap(),
    );
    let db = Db::open(&path)
        .unwrap()
        .with_clock(clock.clone())
        .with_ids(SeededIds::new(11));
    // A register of 150 suppliers, so that the lists hold more than their
    // first items and the heat map's cells more than their samples.
    tillit::dev::register(
        &db,
        &clock,
        &tillit::dev::SeedOptions {
            suppliers: 150,
            seed: 11,
            as_of: date(2026, 3, 1),
            password: PASSWORD.into(),
        },
    )
    .unwrap();
    sign_in(&db, "olivia");
    let days = [date(2026, 3, 1), date(2026, 10, 1)];
    let agree = |what: &str| {
        let whole = Db::open(&path).unwrap();
        for day in days {
            let kept = review::overview(&db, day).unwrap();
            assert_eq!(
                kept,
                review::overview(&whole, day).unwrap(),
                "after {what}, on {day}"
            );
        }
    };
    agree("the register was generated");
    let full = review::overview(&db, days[0]).unwrap();
    // The reviews listed soonest first, then by name, as SQL orders them.
    let by_sql = |condition: &str, dates: &[NaiveDate]| -> Vec<SupplierId> {
        db.read(|conn| {
            let mut statement = conn.prepare_cached(&format!(
                "SELECT id FROM supplier s
                 WHERE s.status IN ('approved', 'approved_with_conditions', 'reassessment_required')
                   AND {condition}
                 ORDER BY s.next_review_on, s.sort_key, s.id LIMIT {LISTED_ITEMS}"
            ))?;
            let mut rows = statement.query([&dates[0], &dates[1]])?;
            let mut ids = Vec::new();
            while let Some(row) = rows.next()? {
                ids.push(row.get::<_, String>(0)?.parse().unwrap());
            }
            Ok(ids)
        })
        .unwrap()
    };
    let ids = |list: &review::Attention| -> Vec<SupplierId> {
        list.items.iter().map(|item| item.supplier_id).collect()
    };
    let soon = days[0] + chrono::Days::new(60);
    assert_eq!(
        ids(&full.overdue),
        by_sql("s.next_review_on < ?1 AND ?2 = ?2", &[days[0], soon])
    );
    assert_eq!(
        ids(&full.due_soon),
        by_sql("s.next_review_on BETWEEN ?1 AND ?2", &[days[0], soon])
    );
    assert_eq!(
        ids(&full.upcoming),
        by_sql("s.next_review_on > ?2 AND ?1 = ?1", &[days[0], soon])
    );
    assert!(full.upcoming.count as usize > LISTED_ITEMS, "{full:?}");
    assert!(
        full.heat_map
            .iter()
            .any(|cell| cell.count as usize > cell.services.len()),
        "a cell beyond its sample"
    );

    // A critical supplier assessed, and a standard one submitted.
    let (first, _, first_id) = assessed(&db, Tier::Critical);
    agree("an assessment was completed");
    let (second, _, second_id) = assessed(&db, Tier::Standard);
    approval::submit(&db, second_id).unwrap();
    agree("an assessment was submitted");

    // Approved with conditions, one of them closed.
    approval::decide(
        &db,
        second_id,
        DecisionInput {
            decision: Decision::ApproveWithConditions,
            conditions: vec![
                ConditionInput {
                    text: "SBOM".into(),
                    due_on: Some(date(2026, 3, 21)),
                },
                ConditionInput {
                    text: "Tested exit plan".into(),
                    due_on: Some(date(2026, 9, 17)),
                },
            ],
            password: PASSWORD.into(),
        },
    )
    .unwrap();
    agree("a decision with conditions");
    let approval_id = workflow::get(&db, second_id).unwrap().decisions[0].id;
    approval::close_condition(
        &db,
        CloseConditionInput {
            approval_id,
            position: 0,
            note: "SBOM received".into(),
        },
    )
    .unwrap();
    agree("a condition was closed");

    // A deviation requires a reassessment.
    review::record_deviation(
        &db,
        second,
        DeviationInput {
            service_id: None,
            kind: FollowUpKind::Incident,
            description: "Intrång i kundportalen".into(),
            occurred_on: Some(date(2026, 2, 27)),
        },
    )
    .unwrap();
    agree("a deviation was recorded");

    // Renamed to the head of the register: its place in every list moves.
    let mut fields = supplier_detail(&db, first).unwrap().supplier.fields;
    fields.legal_name = "AAA Först AB".into();
    update_supplier(&db, first, fields).unwrap();
    agree("a supplier was renamed");

    // Step 1 escalated, then stopped by management.
    let (_, _, third_id) = assessed(&db, Tier::Critical);
    let mut input = workflow::get(&db, third_id).unwrap().step1.unwrap();
    input.ratings.insert("staff_security".into(), 1);
    workflow::save_step1(&db, third_id, input).unwrap();
    agree("step 1 was escalated");
    sign_in(&db, "magnus");
    workflow::resolve_escalation(
        &db,
        third_id,
        tillit::assessment::step1::Step1Outcome::Stop,
        "Ingen utbildningsplan",
    )
    .unwrap();
    agree("the escalation was resolved");

    // Management approves the critical supplier; the decision is voided.
    sign_in(&db, "olivia");
    approval::submit(&db, first_id).unwrap();
    sign_in(&db, "magnus");
    let decided = approval::decide(&db, first_id, approve(PASSWORD)).unwrap();
    agree("a critical supplier was approved");
    sign_in(&db, "olivia");
    approval::reopen(
        &db,
        first_id,
        ReopenInput {
            reason: "Ny underleverantör".into(),
            voids: Some(decided.decisions[0].id),
        },
    )
    .unwrap();
    agree("the decision was voided");

    // Evidence expiring soon; a supplier offboarded.
    add_evidence(
        &db,
        first,
        EvidenceFields {
            kind: EvidenceKind::Iso22301,
            title: "ISO 22301".into(),
            valid_until: Some(date(2026, 4, 15)),
            ..EvidenceFields::default()
        },
        None,
        std::path::Path::new("/nonexistent"),
    )
    .unwrap();
    agree("evidence was added");
    offboard_supplier(&db, second, "Avtalet upphörde").unwrap();
    agree("a supplier was offboarded");

    // A sign-in changes nothing shown; another program's change shows.
    sign_in(&db, "magnus");
    agree("a sign-in");
    let other = Db::open(&path).unwrap().with_clock(clock.clone());
    sign_in(&other, "olivia");
    create_supplier(&other, swedish_supplier("Aaa Annan AB")).unwrap();
    let (_, _, fourth_id) = assessed(&other, Tier::Essential);
    approval::submit(&other, fourth_id).unwrap();
    agree("another program's changes");
}

/// Items listed per list of the overview.
const LISTED_ITEMS: usize = tillit::review::overview::LISTED;
