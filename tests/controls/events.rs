use super::*;

/// An approved essential supplier whose ISO 27001 certificate ran from
/// 2025-01-01 to 2025-12-31, approved on 2025-06-01, in a database file.
fn approved_in_file(path: &std::path::Path) -> SupplierId {
    let at = Utc.with_ymd_and_hms(2025, 6, 1, 9, 0, 0).unwrap();
    let db = Db::open(path)
        .unwrap()
        .with_clock(tillit::context::FixedClock(at));
    crate::support::add_users(&db);
    let cert = evidence(EvidenceKind::Iso27001, date(2025, 1, 1), date(2025, 12, 31));
    let (supplier, service, ev) = registered(&db, Tier::Essential, &[cert]);
    let id = start(&db, supplier, date(2025, 6, 1)).unwrap().id;
    save_step1(&db, id, step1(3, &ev)).unwrap();
    complete_step2(&db, id, service, None);
    approval::submit(&db, id).unwrap();
    approval::decide(
        &db,
        id,
        DecisionInput {
            decision: Decision::Approve,
            conditions: Vec::new(),
            password: PASSWORD.into(),
        },
    )
    .unwrap();
    assert_eq!(status(&db, supplier), SupplierStatus::Approved);
    supplier
}

// 8. Time-based events wait for the window.
#[test]
fn a_certificate_that_expired_after_approval_requires_a_reassessment_when_the_command_line_opens_the_database(
) {
    let dir = tempfile::tempdir().unwrap();
    let path = crate::support::store_in(dir.path());
    let supplier = approved_in_file(&path);
    // Today (the system clock) is past 2025-12-31; no window was ever opened.
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_tillit"))
        .args(["--db", path.to_str().unwrap(), "evaluate", "Kontrollen AB"])
        .env_remove("TILLIT_DB")
        .env("LC_ALL", "C.UTF-8")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("status: Reassessment required"), "{text}");

    let db = Db::open(&path).unwrap();
    assert_eq!(status(&db, supplier), SupplierStatus::ReassessmentRequired);
    let follow_up = tillit::review::follow_up(&db, supplier).unwrap();
    let expired: Vec<_> = follow_up
        .events
        .iter()
        .filter(|e| e.kind == tillit::review::FollowUpKind::EvidenceExpired)
        .collect();
    assert_eq!(expired.len(), 1, "recorded once");
    assert!(
        expired[0].reason.contains("current until 2025-12-31"),
        "{}",
        expired[0].reason
    );
    assert_eq!(
        tillit::review::run_checks(&db).unwrap(),
        0,
        "a second opening records nothing again"
    );
}

#[test]
fn time_based_events_are_found_with_the_clock_and_recorded_once_each() {
    let dir = tempfile::tempdir().unwrap();
    let path = crate::support::store_in(dir.path());
    let supplier = approved_in_file(&path);
    {
        let db = Db::open(&path)
            .unwrap()
            .with_clock(tillit::context::FixedClock(
                Utc.with_ymd_and_hms(2025, 12, 31, 9, 0, 0).unwrap(),
            ));
        assert_eq!(tillit::review::run_checks(&db).unwrap(), 0);
        assert_eq!(
            status(&db, supplier),
            SupplierStatus::Approved,
            "still valid on its last day"
        );
    }
    // A contract end date reached, and the review falling due (2026-06-01).
    {
        let db = Db::open(&path)
            .unwrap()
            .with_clock(tillit::context::FixedClock(
                Utc.with_ymd_and_hms(2025, 12, 31, 9, 0, 0).unwrap(),
            ));
        sign_in(&db, "olivia");
        let service = supplier_detail(&db, supplier).unwrap().services[0].clone();
        let mut fields = service.fields.clone();
        fields.contract_end = Some(date(2026, 1, 31));
        // A contract date is no change of scope: the supplier stays approved.
        update_service(&db, service.id, fields).unwrap();
    }
    let db = Db::open(&path)
        .unwrap()
        .with_clock(tillit::context::FixedClock(
            Utc.with_ymd_and_hms(2026, 6, 2, 9, 0, 0).unwrap(),
        ));
    assert_eq!(
        tillit::review::run_checks(&db).unwrap(),
        3,
        "evidence, contract end, review due"
    );
    assert_eq!(tillit::review::run_checks(&db).unwrap(), 0);
    let kinds: Vec<_> = tillit::review::follow_up(&db, supplier)
        .unwrap()
        .events
        .iter()
        .map(|e| e.kind)
        .collect();
    use tillit::review::FollowUpKind::*;
    for kind in [EvidenceExpired, ContractEnd, ReviewDue] {
        assert!(kinds.contains(&kind), "{kind:?} in {kinds:?}");
    }
    assert_eq!(status(&db, supplier), SupplierStatus::ReassessmentRequired);
    assert!(db.read(tillit::audit::verify).unwrap().intact());
}

// 9. Statuses drift from their assessments.
#[test]
fn an_imported_assessment_that_stopped_at_step_1_rejects_its_supplier() {
    let db = db();
    let (supplier, _, ev) = registered(&db, Tier::Standard, &[isms()]);
    let id = start(&db, supplier, date(2026, 3, 1)).unwrap().id;
    let mut input = step1(3, &ev);
    input.ratings.insert("financial_stability".into(), 0);
    save_step1(&db, id, input).unwrap();
    assert_eq!(status(&db, supplier), SupplierStatus::Rejected);
    sign_in(&db, "admin");
    let mut text = tillit::interchange::json::export_text(&db).unwrap();
    // A file that claims the supplier is still being assessed.
    text = text.replace("\"status\": \"rejected\"", "\"status\": \"in_assessment\"");
    assert!(text.contains("\"status\": \"in_assessment\""));

    let copy = db_at(Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    tillit::interchange::json::import_text(&copy, &text).unwrap();
    assert_eq!(status(&copy, supplier), SupplierStatus::Rejected);
    let summary = workflow::summary(&copy, id).unwrap();
    assert_eq!(summary.state, AssessmentState::Stopped);
    assert_eq!(summary.blockers, [Blocker::Step1Stopped]);
}
