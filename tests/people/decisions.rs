use super::*;

#[test]
fn a_critical_supplier_is_approved_by_management_with_the_password_and_a_fingerprint() {
    let db = db();
    let (supplier, _, id) = assessed(&db, Tier::Critical);
    let summary = workflow::summary(&db, id).unwrap();
    assert!(summary.approval_required && !summary.blocked, "{summary:?}");
    approval::submit(&db, id).unwrap();

    sign_in(&db, "magnus");
    let decided = approval::decide(&db, id, approve(PASSWORD)).unwrap();

    let record = &decided.decisions[0];
    assert_eq!(record.decider_name, "Magnus Manager");
    assert_eq!(record.capacity, approval::Capacity::Management);
    assert_eq!(record.decided_at, "2026-03-01T09:00:00.000Z");
    assert_eq!(record.fingerprint, approval::fingerprint(&decided).unwrap());
    assert_eq!(record.fingerprint.len(), 64);
    assert_eq!(status(&db, supplier), SupplierStatus::Approved);
    assert_eq!(
        review::follow_up(&db, supplier).unwrap().next_review_on,
        Some(date(2027, 3, 1)),
        "critical: 12 months after the approval"
    );
}

#[test]
fn the_assessor_cannot_approve_their_own_assessment_even_holding_the_management_role() {
    let db = db();
    support::grant_roles(&db, "olivia", &[Role::ProcurementOfficer, Role::Management]);
    sign_in(&db, "olivia");
    let (supplier, _, id) = assessed(&db, Tier::Critical);
    approval::submit(&db, id).unwrap();

    let error = approval::decide(&db, id, approve(PASSWORD)).unwrap_err();

    assert!(
        matches!(&error, Error::NotAllowed(m) if m.key == "refusal.approver_is_assessor"),
        "{error}"
    );
    assert!(workflow::get(&db, id).unwrap().decisions.is_empty());
    assert_eq!(status(&db, supplier), SupplierStatus::InAssessment);
}

#[test]
fn an_officer_cannot_approve_where_management_approval_is_required() {
    let db = db();
    let (_, _, id) = assessed(&db, Tier::Critical);
    approval::submit(&db, id).unwrap();
    sign_in(&db, "admin");
    let error = approval::decide(&db, id, approve(PASSWORD)).unwrap_err();
    assert!(
        matches!(error, Error::Forbidden { .. }),
        "an administrator has no say: {error}"
    );
    sign_in(&db, "olivia");
    let error = approval::decide(&db, id, approve(PASSWORD)).unwrap_err();
    assert!(
        matches!(&error, Error::Forbidden { roles, .. } if roles.contains("The supplier's tier is critical.")),
        "{error}"
    );
}

#[test]
fn without_a_reason_for_approval_the_officer_decides_and_a_standard_supplier_is_reviewed_after_24_months(
) {
    let db = db();
    let (supplier, _, id) = assessed(&db, Tier::Standard);
    assert!(!workflow::summary(&db, id).unwrap().approval_required);
    approval::submit(&db, id).unwrap();
    let decided = approval::decide(
        &db,
        id,
        DecisionInput {
            decision: Decision::ApproveWithConditions,
            conditions: vec![tillit::approval::ConditionInput {
                text: "Annual penetration test report".into(),
                due_on: Some(db.now().date_naive() + chrono::Days::new(120)),
            }],
            password: PASSWORD.into(),
        },
    )
    .unwrap();
    assert_eq!(decided.decisions[0].capacity, approval::Capacity::Officer);
    assert_eq!(
        status(&db, supplier),
        SupplierStatus::ApprovedWithConditions
    );
    assert_eq!(
        review::follow_up(&db, supplier).unwrap().next_review_on,
        Some(date(2028, 3, 1))
    );
}

#[test]
fn a_wrong_password_is_refused_and_recorded_in_the_trail() {
    let db = db();
    let (supplier, _, id) = assessed(&db, Tier::Critical);
    approval::submit(&db, id).unwrap();
    sign_in(&db, "magnus");

    let error = approval::decide(&db, id, approve("not my password")).unwrap_err();

    assert_eq!(error.field_errors()[0].field, "password", "{error}");
    assert_eq!(status(&db, supplier), SupplierStatus::InAssessment);
    let log = db
        .read(|c| {
            tillit::audit::entries(
                c,
                &tillit::audit::LogFilter {
                    actor: "magnus".into(),
                    ..Default::default()
                },
            )
        })
        .unwrap();
    let latest = &log.entries[0];
    assert_eq!(
        (latest.action.as_str(), latest.entity.as_str()),
        ("sign_in_failed", "app_user")
    );
    assert!(latest
        .after
        .as_deref()
        .unwrap()
        .contains("decide on an assessment"));

    let error = approval::sign_in(&db, "magnus", "guess").unwrap_err();
    assert!(matches!(error, Error::WrongPassword));
    let error = approval::sign_in(&db, "nobody", "guess").unwrap_err();
    assert!(
        matches!(error, Error::WrongPassword),
        "the same answer for an unknown user"
    );
    assert!(db.read(tillit::audit::verify).unwrap().intact());
}

#[test]
fn a_save_after_the_decision_is_refused_and_voids_nothing() {
    let db = db();
    let (supplier, service, id) = assessed(&db, Tier::Critical);
    approval::submit(&db, id).unwrap();
    sign_in(&db, "magnus");
    let approved = approval::decide(&db, id, approve(PASSWORD)).unwrap();
    sign_in(&db, "olivia");

    let mut input = approved.services[0].input.clone();
    input.risks[0].description.push_str(" and more");
    for attempt in [input, approved.services[0].input.clone()] {
        let error = workflow::save_service(&db, id, service, attempt).unwrap_err();
        assert!(matches!(error, Error::Locked(Lock::Decided)), "{error:?}");
        assert!(error.to_string().contains("reopen"), "{error}");
    }
    let error = workflow::save_step1(&db, id, approved.step1.clone().unwrap()).unwrap_err();
    assert!(matches!(error, Error::Locked(Lock::Decided)), "{error:?}");
    assert!(matches!(
        workflow::reevaluate(&db, id),
        Err(Error::Locked(Lock::Decided))
    ));

    let unchanged = workflow::get(&db, id).unwrap();
    assert_eq!(unchanged, approved, "nothing was changed or voided");
    assert_eq!(status(&db, supplier), SupplierStatus::Approved);
}

#[test]
fn a_submitted_assessment_is_read_only_until_withdrawn_and_the_withdrawal_is_recorded() {
    let db = db();
    let (supplier, service, id) = assessed(&db, Tier::Critical);
    let submitted = approval::submit(&db, id).unwrap();
    let input = submitted.services[0].input.clone();
    assert!(matches!(
        workflow::save_service(&db, id, service, input.clone()),
        Err(Error::Locked(Lock::Submitted))
    ));
    assert!(matches!(
        approval::submit(&db, id),
        Err(Error::Locked(Lock::Submitted))
    ));

    let withdrawn = approval::withdraw(&db, id, "A risk needs another look").unwrap();
    assert!(withdrawn.submitted_at.is_none());
    assert_eq!(withdrawn.events.len(), 1);
    assert_eq!(withdrawn.events[0].kind, AssessmentEventKind::Withdrawn);
    assert_eq!(withdrawn.events[0].actor, "Olivia Officer");
    assert_eq!(withdrawn.events[0].reason, "A risk needs another look");
    assert!(workflow::save_service(&db, id, service, input).is_ok());
    assert_eq!(status(&db, supplier), SupplierStatus::InAssessment);
    assert!(db.read(tillit::audit::verify).unwrap().intact());
}

#[test]
fn reopening_voids_the_decision_named_with_its_reason_and_only_then_allows_changes() {
    let db = db();
    let (supplier, service, id) = assessed(&db, Tier::Critical);
    approval::submit(&db, id).unwrap();
    sign_in(&db, "magnus");
    let approved = approval::decide(&db, id, approve(PASSWORD)).unwrap();
    let decision = approved.decisions[0].id;
    sign_in(&db, "olivia");

    let error = approval::reopen(
        &db,
        id,
        approval::ReopenInput {
            reason: "  ".into(),
            voids: Some(decision),
        },
    )
    .unwrap_err();
    assert_eq!(error.field_errors()[0].field, "reason");
    let error = approval::reopen(
        &db,
        id,
        approval::ReopenInput {
            reason: "The scope changed".into(),
            voids: None,
        },
    )
    .unwrap_err();
    assert_eq!(
        error.field_errors()[0].field,
        "voids",
        "the confirmation must name the decision it voids"
    );
    assert_eq!(status(&db, supplier), SupplierStatus::Approved);

    let reopened = approval::reopen(
        &db,
        id,
        approval::ReopenInput {
            reason: "The scope changed".into(),
            voids: Some(decision),
        },
    )
    .unwrap();
    let record = &reopened.decisions[0];
    assert_eq!(
        record.void_reason.as_deref(),
        Some("reopened by Olivia Officer: The scope changed")
    );
    assert_eq!(reopened.events[0].kind, AssessmentEventKind::Reopened);
    assert_eq!(reopened.events[0].voided_decision, Some(decision));
    assert!(
        reopened.submitted_at.is_none(),
        "it must be submitted again"
    );
    assert_eq!(status(&db, supplier), SupplierStatus::InAssessment);
    assert_eq!(
        review::follow_up(&db, supplier).unwrap().next_review_on,
        None
    );
    let summary = workflow::summary(&db, id).unwrap();
    assert_eq!(summary.state, AssessmentState::ReadyToSubmit);
    assert_eq!(summary.voided.as_ref().map(|d| d.id), Some(decision));
    assert_eq!(
        summary.reopened.as_ref().map(|e| e.reason.as_str()),
        Some("The scope changed")
    );
    let mut input = reopened.services[0].input.clone();
    input.risks[0].controls = "Backups only".into();
    assert!(workflow::save_service(&db, id, service, input).is_ok());
    assert!(db.read(tillit::audit::verify).unwrap().intact());
}

#[test]
fn an_assessment_cannot_be_submitted_while_something_blocks_it() {
    let db = db();
    let supplier = create_supplier(&db, swedish_supplier("Halvfärdig AB"))
        .unwrap()
        .supplier
        .id;
    let id = workflow::start(&db, supplier, date(2026, 3, 1)).unwrap().id;
    let error = approval::submit(&db, id).unwrap_err();
    assert!(
        matches!(&error, Error::NotAllowed(r) if r.key == "refusal.cannot_submit"),
        "{error}"
    );
    assert_eq!(
        error.to_string(),
        "The assessment cannot be submitted yet: Step 1 is not complete: 0 of 11 criteria rated."
    );
    let swedish = tillit::AppError::in_language(error, tillit::settings::Language::Sv);
    assert_eq!(
        swedish.message,
        "Bedömningen kan inte lämnas in ännu: Steg 1 är inte klart: 0 av 11 kriterier bedömda."
    );
}

#[test]
fn review_dates_follow_the_tier_and_29_february_gives_28_february() {
    use review::next_review;
    assert_eq!(
        next_review(Tier::Critical, date(2026, 3, 1)),
        date(2027, 3, 1)
    );
    assert_eq!(
        next_review(Tier::Essential, date(2026, 3, 1)),
        date(2027, 3, 1)
    );
    assert_eq!(
        next_review(Tier::Standard, date(2026, 3, 1)),
        date(2028, 3, 1)
    );
    assert_eq!(
        next_review(Tier::Critical, date(2028, 2, 29)),
        date(2029, 2, 28)
    );
    assert_eq!(
        next_review(Tier::Standard, date(2028, 2, 29)),
        date(2030, 2, 28)
    );
    assert_eq!(
        next_review(Tier::Standard, date(2026, 2, 28)),
        date(2028, 2, 28)
    );
}
