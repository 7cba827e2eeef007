use super::*;

#[test]
fn a_soc2_type_ii_ending_11_months_before_counts_and_one_ending_13_months_before_does_not() {
    let db = db(); // 2026-03-01
    for (until, counts) in [(date(2025, 4, 1), true), (date(2025, 2, 1), false)] {
        let report = evidence(
            EvidenceKind::Soc2Type2,
            until - chrono::Days::new(300),
            until,
        );
        let (supplier, _, ev) = registered(&db, Tier::Essential, &[report]);
        let id = start(&db, supplier, date(2026, 3, 1)).unwrap().id;
        let result = save_step1(&db, id, step1(3, &ev));
        if counts {
            let result = result.unwrap().step1_result.unwrap();
            assert_eq!(result.outcome, Step1Outcome::Approved, "{until}");
            assert_eq!(result.certification[0].standing, Standing::Counts);
        } else {
            let error = result.unwrap_err();
            assert_eq!(
                error.field_errors()[0].field,
                "ratings.certification",
                "{until}"
            );
            let mut input = step1(3, &ev);
            input.ratings.insert("certification".into(), 2);
            let result = save_step1(&db, id, input).unwrap().step1_result.unwrap();
            assert!(result
                .reasons
                .contains(&Step1Reason::NoCertificationNoControls));
            assert_eq!(result.certification[0].standing, Standing::NotCurrent);
        }
    }
}

#[test]
fn an_assurance_report_whose_period_ends_after_the_day_it_is_entered_is_refused() {
    let db = db(); // 2026-03-01
    let (supplier, _, _) = registered(&db, Tier::Standard, &[]);
    for kind in [
        EvidenceKind::Soc2Type2,
        EvidenceKind::Isae3402Type2,
        EvidenceKind::C5,
    ] {
        let error = add_evidence(
            &db,
            supplier,
            evidence(kind, date(2025, 6, 1), date(2026, 5, 31)),
            None,
            std::path::Path::new("/nonexistent"),
        )
        .unwrap_err();
        assert_eq!(error.field_errors()[0].field, "valid_until", "{kind:?}");
    }
    // A certificate may of course end in the future.
    assert!(add_evidence(
        &db,
        supplier,
        isms(),
        None,
        std::path::Path::new("/nonexistent")
    )
    .is_ok());
    // The evidence shows when it is current, computed by the core.
    let detail = add_evidence(
        &db,
        supplier,
        evidence(
            EvidenceKind::Soc2Type2,
            date(2025, 1, 1),
            date(2025, 12, 31),
        ),
        None,
        std::path::Path::new("/nonexistent"),
    )
    .unwrap();
    let report = detail
        .evidence
        .iter()
        .find(|e| e.fields.kind == EvidenceKind::Soc2Type2)
        .unwrap();
    assert_eq!(report.current_from, Some(date(2025, 12, 31)));
    assert_eq!(report.current_until, Some(date(2026, 12, 31)));
    assert!(report.is_valid_on(date(2026, 3, 1)));
}

// 5. Any evidence counts as the certification.
#[test]
fn only_linked_27001_or_a_current_report_counts_as_the_certification() {
    let db = db();
    let bcm = evidence(EvidenceKind::Iso22301, date(2025, 1, 1), date(2027, 12, 31));
    let cloud = evidence(EvidenceKind::Iso27017, date(2025, 1, 1), date(2027, 12, 31));
    let (supplier, _, ev) = registered(&db, Tier::Standard, &[bcm, cloud, isms()]);
    let (bcm, cloud, isms) = (ev[0], ev[1], ev[2]);
    let outcome = |linked: &[EvidenceId], controls: &str| {
        let id = start(&db, supplier, date(2026, 3, 1)).unwrap().id;
        let mut input = step1(3, linked);
        input.ratings.insert("certification".into(), 2);
        input.compensating_controls = controls.into();
        save_step1(&db, id, input).unwrap().step1_result.unwrap()
    };
    // ISO 22301 alone, without compensating controls: no valid certification.
    let alone = outcome(&[bcm], "");
    assert_eq!(alone.outcome, Step1Outcome::Escalate);
    assert_eq!(alone.reasons, [Step1Reason::NoCertificationNoControls]);
    assert_eq!(alone.certification[0].standing, Standing::NeverCounts);
    // 27017 counts only beside a valid 27001.
    let extension = outcome(&[cloud], "");
    assert_eq!(
        extension.certification[0].standing,
        Standing::NeedsCertificate
    );
    assert_eq!(extension.outcome, Step1Outcome::Escalate);
    let beside = outcome(&[cloud, isms], "");
    assert_eq!(beside.outcome, Step1Outcome::Approved);
    assert_eq!(
        beside
            .certification
            .iter()
            .map(|f| f.standing)
            .collect::<Vec<_>>(),
        [Standing::CountsBesideCertificate, Standing::Counts]
    );
    // A valid 27001 that is not linked does not count.
    let unlinked = outcome(&[], "");
    assert_eq!(unlinked.reasons, [Step1Reason::NoCertificationNoControls]);
    let id = start(&db, supplier, date(2026, 3, 1)).unwrap().id;
    let error = save_step1(&db, id, step1(3, &[bcm])).unwrap_err();
    assert_eq!(error.field_errors()[0].field, "ratings.certification");
}

// 6. Subcontractors are invisible to the transfer rules.
