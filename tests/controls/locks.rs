use super::*;

#[test]
fn an_escalated_step_1_is_locked_until_management_resolves_it() {
    let db = db();
    let (supplier, service, ev) = registered(&db, Tier::Critical, &[isms()]);
    let id = start(&db, supplier, date(2026, 3, 1)).unwrap().id;
    let mut input = step1(3, &ev);
    input.ratings.insert("staff_security".into(), 1);
    let escalated = save_step1(&db, id, input).unwrap();
    assert_eq!(escalated.step1_outcome(), Some(Step1Outcome::Escalate));

    // Re-rating every criterion to 3 is refused, naming the lock.
    let error = save_step1(&db, id, step1(3, &ev)).unwrap_err();
    assert!(
        matches!(error, Error::Locked(Lock::Step1Escalated)),
        "{error:?}"
    );
    assert!(error.to_string().contains("escalated"), "{error}");
    assert!(matches!(
        reevaluate(&db, id),
        Err(Error::Locked(Lock::Step1Escalated))
    ));
    assert_eq!(get(&db, id).unwrap(), escalated, "nothing changed");
    let summary = workflow::summary(&db, id).unwrap();
    assert_eq!(summary.state, AssessmentState::Escalated);
    assert_eq!(summary.step1_lock, Some(Lock::Step1Escalated));
    assert_eq!(summary.blockers[0], Blocker::Step1Escalated);
    assert!(matches!(
        save_service(&db, id, service, ServiceInput::default()),
        Err(Error::NotAllowed(_))
    ));

    sign_in(&db, "magnus");
    resolve_escalation(&db, id, Step1Outcome::Approved, "Training plan agreed").unwrap();
    sign_in(&db, "olivia");
    assert!(matches!(
        save_step1(&db, id, step1(3, &ev)),
        Err(Error::Locked(Lock::Step1Final))
    ));
    complete_step2(&db, id, service, None);
    assert_eq!(
        workflow::summary(&db, id).unwrap().state,
        AssessmentState::ReadyToSubmit
    );
}

// 3. Ratings are pre-filled.
#[test]
fn a_new_assessment_starts_unrated_and_has_an_outcome_only_when_every_criterion_is_rated() {
    let db = db();
    let (supplier, _, ev) = registered(&db, Tier::Standard, &[isms()]);
    let fresh = start(&db, supplier, date(2026, 3, 1)).unwrap();
    assert!(fresh.step1.is_none() && fresh.step1_result.is_none());
    let summary = workflow::summary(&db, fresh.id).unwrap();
    assert_eq!(summary.state, AssessmentState::Step1Unrated);
    assert_eq!((summary.step1_rated, summary.step1_criteria), (0, 11));
    assert_eq!(
        summary.blockers[0].sentence(),
        "Step 1 is not complete: 0 of 11 criteria rated."
    );

    let mut draft = step1(3, &ev);
    draft.ratings.retain(|k, _| {
        k == "certification" || k == "financial_stability" || k == "ethics_sanctions"
    });
    let saved = save_step1(&db, fresh.id, draft).unwrap();
    assert!(saved.step1_result.is_none(), "a draft has no outcome");
    let summary = workflow::summary(&db, fresh.id).unwrap();
    assert_eq!(summary.step1_rated, 3);
    assert_eq!(
        summary.blockers[0].sentence(),
        "Step 1 is not complete: 3 of 11 criteria rated."
    );
    assert!(approval::submit(&db, fresh.id).is_err());

    let complete = save_step1(&db, fresh.id, step1(3, &ev)).unwrap();
    assert_eq!(complete.step1_outcome(), Some(Step1Outcome::Approved));
}

// 4. SOC 2 / ISAE reports stop counting the day their period ends.

#[test]
fn a_suppliers_list_of_assessments_shows_the_decision_that_stands_as_the_core_reads_it() {
    let db = db();
    let (supplier, service, ev) = registered(&db, Tier::Standard, &[isms()]);
    let id = start(&db, supplier, date(2026, 3, 1)).unwrap().id;
    let entry = |db: &Db| workflow::history(db, supplier).unwrap().remove(0);
    assert_eq!((entry(&db).decision, entry(&db).step1), (None, None));
    save_step1(&db, id, step1(3, &ev)).unwrap();
    complete_step2(&db, id, service, None);
    approval::submit(&db, id).unwrap();
    assert!(entry(&db).submitted);
    assert_eq!(entry(&db).step1, Some(Step1Outcome::Approved));
    let decide = |db: &Db, decision| {
        approval::decide(
            db,
            id,
            DecisionInput {
                decision,
                conditions: vec![tillit::approval::ConditionInput {
                    text: "Quarterly reports".into(),
                    due_on: Some(db.now().date_naive() + chrono::Days::new(120)),
                }],
                password: PASSWORD.into(),
            },
        )
        .unwrap()
    };
    let first = decide(&db, Decision::ApproveWithConditions);
    assert_eq!(entry(&db).decision, Some(Decision::ApproveWithConditions));
    approval::reopen(
        &db,
        id,
        approval::ReopenInput {
            reason: "New subcontractor announced".into(),
            voids: Some(first.decisions[0].id),
        },
    )
    .unwrap();
    assert_eq!(
        entry(&db).decision,
        None,
        "a voided decision no longer stands"
    );
    approval::submit(&db, id).unwrap();
    // Two decisions on one assessment: the latest that stands is shown.
    let second = decide(&db, Decision::Approve);
    assert_eq!(second.decisions.len(), 2);
    assert_eq!(entry(&db).decision, Some(Decision::Approve));
    assert_eq!(
        entry(&db).decision,
        second.standing_decision().map(|d| d.decision)
    );
}
