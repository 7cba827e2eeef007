//! The conditions of an approval as records (DOMAIN §7): each with what and
//! by when, part of the signed decision; followed up in the overview when it
//! falls due; closed by the officer with a note, signed and recorded; carried
//! whole through the register file.

use super::*;
use tillit::approval::{CloseConditionInput, ConditionInput};

fn with_conditions(conditions: Vec<ConditionInput>) -> DecisionInput {
    DecisionInput {
        decision: Decision::ApproveWithConditions,
        conditions,
        password: PASSWORD.into(),
    }
}

fn condition(text: &str, due_on: Option<NaiveDate>) -> ConditionInput {
    ConditionInput {
        text: text.into(),
        due_on,
    }
}

/// A standard supplier approved by the officer with two conditions: an SBOM
/// due in 20 days and an exit plan due in 200 (the clock is 2026-03-01).
fn approved_with_conditions(db: &Db) -> (SupplierId, AssessmentId) {
    let (supplier, _, id) = assessed(db, Tier::Standard);
    approval::submit(db, id).unwrap();
    approval::decide(
        db,
        id,
        with_conditions(vec![
            condition("SBOM for the delivered software", Some(date(2026, 3, 21))),
            condition("Tested exit plan", Some(date(2026, 9, 17))),
        ]),
    )
    .unwrap();
    (supplier, id)
}

fn close(db: &Db, id: AssessmentId, position: u32, note: &str) -> tillit::Result<Assessment> {
    let approval_id = workflow::get(db, id).unwrap().decisions[0].id;
    approval::close_condition(
        db,
        CloseConditionInput {
            approval_id,
            position,
            note: note.into(),
        },
    )
}

#[test]
fn each_condition_needs_what_and_a_due_date_not_before_today_and_a_refused_decision_changes_nothing(
) {
    let db = db();
    let (supplier, _, id) = assessed(&db, Tier::Standard);
    approval::submit(&db, id).unwrap();
    for (input, fields) in [
        (vec![], vec!["conditions"]),
        (
            vec![condition("", None), condition("  ", None)],
            vec!["conditions"],
        ),
        (vec![condition("SBOM", None)], vec!["conditions[0].due_on"]),
        (
            vec![
                condition("SBOM", Some(date(2026, 4, 1))),
                condition("", Some(date(2026, 2, 28))),
            ],
            vec!["conditions[1].text", "conditions[1].due_on"],
        ),
    ] {
        let error = approval::decide(&db, id, with_conditions(input.clone())).unwrap_err();
        let named: Vec<&str> = error
            .field_errors()
            .iter()
            .map(|e| e.field.as_str())
            .collect();
        assert_eq!(named, fields, "{input:?}: {error}");
    }
    assert!(workflow::get(&db, id).unwrap().decisions.is_empty());
    assert_eq!(status(&db, supplier), SupplierStatus::InAssessment);
    // In Swedish, what is expected.
    let error =
        approval::decide(&db, id, with_conditions(vec![condition("SBOM", None)])).unwrap_err();
    assert_eq!(
        error.field_errors()[0].sentence_in(tillit::settings::Language::Sv),
        "Ange senast vilket datum villkoret ska vara uppfyllt."
    );
}

#[test]
fn conditions_are_kept_in_order_with_their_due_dates_and_signed_with_the_decision() {
    let db = db();
    let (_, id) = approved_with_conditions(&db);
    let decision = &workflow::get(&db, id).unwrap().decisions[0];
    let listed: Vec<(&str, Option<NaiveDate>, bool)> = decision
        .conditions
        .iter()
        .map(|c| (c.text.as_str(), c.due_on, c.closed.is_some()))
        .collect();
    assert_eq!(
        listed,
        [
            (
                "SBOM for the delivered software",
                Some(date(2026, 3, 21)),
                false
            ),
            ("Tested exit plan", Some(date(2026, 9, 17)), false),
        ]
    );
    assert!(decision.signature.is_some());
    // The due date is part of what was signed: a file that moves it is refused.
    sign_in(&db, "admin");
    let text = tillit::interchange::json::export_text(&db).unwrap();
    assert!(text.contains("2026-03-21"));
    let copy = crate::support::empty_at(
        chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 3, 2, 9, 0, 0).unwrap(),
    );
    let error =
        tillit::interchange::json::import_text(&copy, &text.replace("2026-03-21", "2027-03-21"))
            .unwrap_err();
    assert!(
        error
            .field_errors()
            .iter()
            .any(|e| e.field.ends_with("decisions[0].signature")),
        "{error}"
    );
    assert!(tillit::supplier::all_details(&copy).unwrap().is_empty());
}

#[test]
fn a_condition_falling_due_shows_in_the_overview_until_the_officer_closes_it_with_a_note() {
    let db = db();
    let (supplier, id) = approved_with_conditions(&db);
    let today = date(2026, 3, 1);
    let due = review::overview(&db, today).unwrap().conditions_due;
    assert_eq!(due.count, 1, "only the SBOM is due within 30 days: {due:?}");
    assert_eq!(due.items[0].detail, "SBOM for the delivered software");
    assert_eq!(due.items[0].date, Some(date(2026, 3, 21)));
    assert_eq!(due.items[0].supplier_id, supplier);
    assert_eq!(due.items[0].assessment_id, Some(id));
    // Months later both are due, the SBOM overdue, soonest first.
    let later = review::overview(&db, date(2026, 9, 1))
        .unwrap()
        .conditions_due;
    let dates: Vec<_> = later.items.iter().map(|i| i.date).collect();
    assert_eq!(dates, [Some(date(2026, 3, 21)), Some(date(2026, 9, 17))]);

    // A manager does not close conditions; a note is required.
    sign_in(&db, "magnus");
    assert!(matches!(
        close(&db, id, 0, "Received").unwrap_err(),
        Error::Forbidden { .. }
    ));
    sign_in(&db, "olivia");
    let error = close(&db, id, 0, "   ").unwrap_err();
    assert_eq!(error.field_errors()[0].field, "note", "{error}");
    let error = close(&db, id, 2, "Received").unwrap_err();
    assert_eq!(error.field_errors()[0].field, "position", "{error}");

    let closed = close(
        &db,
        id,
        0,
        "SBOM received 2026-03-15, reviewed by IT security",
    )
    .unwrap();
    let c = &closed.decisions[0].conditions[0];
    let closure = c.closed.as_ref().expect("closed");
    assert_eq!(
        (closure.closed_by_name.as_str(), closure.closed_at.as_str()),
        ("Olivia Officer", "2026-03-01T09:00:00.000Z")
    );
    assert_eq!(
        closure.note,
        "SBOM received 2026-03-15, reviewed by IT security"
    );
    assert!(closure.signature.is_some(), "the closing is signed");
    assert!(closed.decisions[0].conditions[1].closed.is_none());
    assert_eq!(
        review::overview(&db, today).unwrap().conditions_due.count,
        0
    );
    // Once only.
    assert!(matches!(
        close(&db, id, 0, "Again").unwrap_err(),
        Error::NotAllowed(r) if r.key == "refusal.condition_closed_already"
    ));
    // Recorded in the trail, by whom.
    let log = db
        .read(|c| {
            tillit::audit::entries(
                c,
                &tillit::audit::LogFilter {
                    entity: "condition_closure".into(),
                    limit: 10,
                    ..Default::default()
                },
            )
        })
        .unwrap();
    assert_eq!(log.total, 1);
    assert_eq!(log.entries[0].actor, "olivia");
    assert!(log.entries[0]
        .after
        .as_deref()
        .is_some_and(|a| a.contains("reviewed by IT security")));
    assert!(db.read(tillit::audit::verify).unwrap().intact());
}

#[test]
fn the_conditions_of_a_voided_decision_are_no_longer_followed_up() {
    let db = db();
    let (_, id) = approved_with_conditions(&db);
    let decision = workflow::get(&db, id).unwrap().decisions[0].id;
    approval::reopen(
        &db,
        id,
        approval::ReopenInput {
            reason: "New subprocessor".into(),
            voids: Some(decision),
        },
    )
    .unwrap();
    assert_eq!(
        review::overview(&db, date(2026, 9, 1))
            .unwrap()
            .conditions_due
            .count,
        0
    );
    assert!(matches!(
        close(&db, id, 0, "Received").unwrap_err(),
        Error::NotAllowed(r) if r.key == "refusal.condition_of_voided_decision"
    ));
}

#[test]
fn conditions_and_their_closings_survive_a_round_trip_through_the_register_file() {
    let db = db();
    let (_, id) = approved_with_conditions(&db);
    close(&db, id, 1, "Exit plan tested on 2026-02-20").unwrap();
    let before = workflow::get(&db, id).unwrap().decisions;
    sign_in(&db, "admin");
    let text = tillit::interchange::json::export_text(&db).unwrap();
    let copy = crate::support::empty_at(
        chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 3, 2, 9, 0, 0).unwrap(),
    );
    tillit::interchange::json::import_text(&copy, &text).unwrap();
    let after = workflow::get(&copy, id).unwrap().decisions;
    assert_eq!(after, before);
    assert!(copy.read(tillit::audit::verify).unwrap().intact());
    assert_eq!(
        review::overview(&copy, date(2026, 9, 1))
            .unwrap()
            .conditions_due
            .count,
        1,
        "the SBOM is still open, the exit plan closed"
    );

    // A closing edited in the file is refused, and nothing is imported.
    let edited = text.replace("Exit plan tested on 2026-02-20", "Exit plan waived");
    let other = crate::support::empty_at(
        chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 3, 2, 9, 0, 0).unwrap(),
    );
    let error = tillit::interchange::json::import_text(&other, &edited).unwrap_err();
    assert!(
        error.field_errors().iter().any(|e| e
            .field
            .ends_with("decisions[0].conditions[1].closed.signature")),
        "{error}"
    );
    assert!(tillit::supplier::all_details(&other).unwrap().is_empty());
}

#[test]
fn a_decision_written_before_conditions_had_due_dates_reads_as_one_condition() {
    let record: tillit::approval::ApprovalRecord = serde_json::from_value(serde_json::json!({
        "id": "00000000-0000-0000-0000-000000000001",
        "decided_by": "00000000-0000-0000-0000-000000000002",
        "decider_name": "Magnus Manager",
        "capacity": "management",
        "decision": "approve_with_conditions",
        "conditions": "Exit plan within 90 days",
        "fingerprint": "0".repeat(64),
        "decided_at": "2026-03-01T09:00:00.000Z",
        "voided_at": null,
        "void_reason": null
    }))
    .unwrap();
    assert_eq!(record.conditions.len(), 1);
    assert_eq!(record.conditions[0].text, "Exit plan within 90 days");
    assert_eq!(record.conditions[0].due_on, None);
    // Stored again as the text that was signed.
    assert_eq!(
        tillit::assessment::decisions::signed_text(&record.conditions),
        "Exit plan within 90 days"
    );
}

#[test]
fn the_window_is_told_which_conditions_are_overdue_today_as_the_core_judges_it() {
    use tillit::contract::dispatch;
    let db = db();
    let (_, id) = approved_with_conditions(&db);
    let states = |db: &Db| -> Vec<Option<bool>> {
        let reply = dispatch(
            &support::NoFiles(db),
            "get_assessment",
            &serde_json::json!({ "id": id }),
        )
        .unwrap();
        let assessment: serde_json::Value = serde_json::from_str(&reply).unwrap();
        assessment["decisions"][0]["conditions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.get("overdue_today").and_then(|o| o.as_bool()))
            .collect()
    };
    // On 2026-03-01 neither is due yet.
    assert_eq!(states(&db), [None, None]);
    // The SBOM was due 2026-03-21: on 2026-04-01 it is overdue, the exit
    // plan (due 2026-09-17) is not; closed, it is no longer overdue.
    let db = db.with_clock(tillit::context::FixedClock(
        chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 4, 1, 9, 0, 0).unwrap(),
    ));
    assert_eq!(states(&db), [Some(true), None]);
    close(&db, id, 0, "SBOM received").unwrap();
    assert_eq!(states(&db), [None, None]);
    // Every command that answers with the assessment says it, as the
    // window reads each answer.
    let db = db.with_clock(tillit::context::FixedClock(
        chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 10, 1, 9, 0, 0).unwrap(),
    ));
    let reply = dispatch(
        &support::NoFiles(&db),
        "assessments_of",
        &serde_json::json!({ "supplier_id": workflow::get(&db, id).unwrap().supplier_id }),
    )
    .unwrap();
    assert!(reply.contains("\"overdue_today\":true"), "{reply}");
    // Never written to the register file.
    sign_in(&db, "admin");
    let text = tillit::interchange::json::export_text(&db).unwrap();
    assert!(!text.contains("overdue_today"));
    let planted = text.replace(
        "\"due_on\": \"2026-09-17\"",
        "\"due_on\": \"2026-09-17\", \"overdue_today\": true",
    );
    assert!(planted != text, "the file names the exit plan's due date");
    let copy = crate::support::empty_at(
        chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 3, 2, 9, 0, 0).unwrap(),
    );
    // A file that claims it is refused, naming the field; nothing is read.
    let error = tillit::interchange::json::import_text(&copy, &planted).unwrap_err();
    assert!(
        error
            .field_errors()
            .iter()
            .any(|e| e.field.ends_with("conditions[1].overdue_today")),
        "{error}"
    );
    assert!(tillit::supplier::all_details(&copy).unwrap().is_empty());
}
