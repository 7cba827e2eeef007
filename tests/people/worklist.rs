use super::*;
use tillit::assessment::worklist::{self, WorkState, WorklistQuery, WorklistSort};

fn list(db: &Db, query: WorklistQuery) -> Vec<(String, WorkState)> {
    worklist::list(db, &query)
        .unwrap()
        .rows
        .into_iter()
        .map(|r| (r.supplier, r.state))
        .collect()
}

/// The overview's count of what the signed-in user can act on now, asked
/// alone, and the same as the worklist's page says.
fn needs_me(db: &Db) -> u32 {
    let count = worklist::needs_me(db).unwrap();
    let page = worklist::list(db, &WorklistQuery::default()).unwrap();
    assert_eq!(count, page.needs_me);
    count
}

fn renamed(db: &Db, supplier: SupplierId, name: &str) {
    let mut fields = supplier_detail(db, supplier).unwrap().supplier.fields;
    fields.legal_name = name.into();
    update_supplier(db, supplier, fields).unwrap();
}

#[test]
fn a_submission_that_needs_management_waits_for_a_manager_who_did_not_assess_it() {
    let db = db();
    let (critical, _, id) = assessed(&db, Tier::Critical);
    renamed(&db, critical, "Kritisk AB");
    approval::submit(&db, id).unwrap();
    let page = worklist::list(&db, &WorklistQuery::default()).unwrap();
    let row = &page.rows[0];
    assert_eq!(
        (row.state, row.decider),
        (WorkState::Submitted, Some(Role::Management))
    );
    assert_eq!(row.submitted_on, Some(date(2026, 3, 1)));
    assert!(
        !row.needs_me && page.needs_me == 0,
        "the officer cannot decide it"
    );
    assert_eq!(needs_me(&db), 0);

    sign_in(&db, "magnus");
    let page = worklist::list(&db, &WorklistQuery::default()).unwrap();
    assert!(page.rows[0].needs_me && page.needs_me == 1);
    assert_eq!(needs_me(&db), 1);

    // A manager who assessed it may not decide it: it is not theirs to act on.
    support::grant_roles(&db, "olivia", &[Role::ProcurementOfficer, Role::Management]);
    sign_in(&db, "olivia");
    assert_eq!(needs_me(&db), 0);

    sign_in(&db, "magnus");
    approval::decide(&db, id, approve(PASSWORD)).unwrap();
    let page = worklist::list(&db, &WorklistQuery::default()).unwrap();
    let row = &page.rows[0];
    assert_eq!(
        (row.state, row.decision, row.decider),
        (WorkState::Decided, Some(Decision::Approve), None)
    );
    assert_eq!(needs_me(&db), 0);
}

#[test]
fn the_worklist_filters_by_state_assessor_tier_and_search_and_keeps_earlier_assessments_apart() {
    let db = db();
    let (first, _, decided) = assessed(&db, Tier::Standard);
    renamed(&db, first, "Alfa Drift AB");
    approval::submit(&db, decided).unwrap();
    approval::decide(&db, decided, approve(PASSWORD)).unwrap();
    // A reassessment: the decided assessment is no longer the current one.
    let again = workflow::start(&db, first, date(2026, 3, 1)).unwrap().id;

    let (second, _, _) = assessed(&db, Tier::Critical);
    renamed(&db, second, "Beta Moln AB");
    support::grant_roles(&db, "magnus", &[Role::ProcurementOfficer, Role::Management]);
    sign_in(&db, "magnus");
    let mut fields = swedish_supplier("Gamma Data AB");
    fields.tier = Tier::Standard;
    let third = create_supplier(&db, fields).unwrap().supplier.id;
    workflow::start(&db, third, date(2026, 2, 27)).unwrap();

    let current = worklist::list(&db, &WorklistQuery::default()).unwrap();
    assert_eq!(current.total, 3);
    assert_eq!(
        current
            .rows
            .iter()
            .map(|r| (r.supplier.as_str(), r.state))
            .collect::<Vec<_>>(),
        [
            ("Alfa Drift AB", WorkState::Draft),
            ("Beta Moln AB", WorkState::Step2),
            ("Gamma Data AB", WorkState::Draft),
        ],
        "a reassessment starts with step 1 unrated"
    );
    assert_eq!(current.rows[0].id, again);
    assert_eq!(current.assessors, ["Magnus Manager", "Olivia Officer"]);
    let count = |state| {
        current
            .by_state
            .iter()
            .find(|c| c.state == state)
            .unwrap()
            .count
    };
    assert_eq!(
        (
            count(WorkState::Step2),
            count(WorkState::Draft),
            count(WorkState::Decided)
        ),
        (1, 2, 0)
    );

    let all = worklist::list(
        &db,
        &WorklistQuery {
            all: true,
            ..WorklistQuery::default()
        },
    )
    .unwrap();
    assert_eq!(all.total, 4);
    let earlier = all.rows.iter().find(|r| r.id == decided).unwrap();
    assert_eq!(
        (earlier.state, earlier.current),
        (WorkState::Decided, false)
    );

    assert_eq!(
        list(
            &db,
            WorklistQuery {
                state: Some(WorkState::Step2),
                ..WorklistQuery::default()
            }
        ),
        [("Beta Moln AB".to_owned(), WorkState::Step2)]
    );
    assert_eq!(
        list(
            &db,
            WorklistQuery {
                assessor: Some("Olivia Officer".into()),
                ..WorklistQuery::default()
            }
        )
        .len(),
        2
    );
    assert_eq!(
        list(
            &db,
            WorklistQuery {
                tier: Some(Tier::Critical),
                ..WorklistQuery::default()
            }
        ),
        [("Beta Moln AB".to_owned(), WorkState::Step2)]
    );
    assert_eq!(
        list(
            &db,
            WorklistQuery {
                search: "  DRIFT ".into(),
                ..WorklistQuery::default()
            }
        ),
        [("Alfa Drift AB".to_owned(), WorkState::Draft)]
    );
    // Magnus, an officer too, carries on with the draft he started.
    assert_eq!(
        list(
            &db,
            WorklistQuery {
                needs_me: true,
                ..WorklistQuery::default()
            }
        ),
        [("Gamma Data AB".to_owned(), WorkState::Draft)]
    );
    assert_eq!(needs_me(&db), 1, "the earlier assessments are not counted");
    let by_date: Vec<String> = list(
        &db,
        WorklistQuery {
            sort: WorklistSort::AssessedOn,
            descending: true,
            ..WorklistQuery::default()
        },
    )
    .into_iter()
    .map(|(name, _)| name)
    .collect();
    assert_eq!(by_date, ["Alfa Drift AB", "Beta Moln AB", "Gamma Data AB"]);
    let by_state: Vec<WorkState> = list(
        &db,
        WorklistQuery {
            sort: WorklistSort::State,
            ..WorklistQuery::default()
        },
    )
    .into_iter()
    .map(|(_, state)| state)
    .collect();
    assert_eq!(
        by_state,
        [WorkState::Draft, WorkState::Draft, WorkState::Step2]
    );
}

#[test]
fn an_offboarded_suppliers_assessment_is_listed_but_needs_nobody() {
    let db = db();
    let (supplier, _, _) = assessed(&db, Tier::Standard);
    assert_eq!(needs_me(&db), 1);
    offboard_supplier(&db, supplier, "Contract ended").unwrap();
    let page = worklist::list(&db, &WorklistQuery::default()).unwrap();
    assert_eq!(page.rows.len(), 1);
    assert_eq!(page.rows[0].supplier_status, SupplierStatus::Offboarded);
    assert_eq!(needs_me(&db), 0);
}

#[test]
fn the_worklist_needs_a_signed_in_user() {
    let db = db();
    assessed(&db, Tier::Standard);
    approval::sign_out(&db).unwrap();
    assert!(worklist::list(&db, &WorklistQuery::default()).is_err());
    assert!(worklist::needs_me(&db).is_err());
}

#[test]
fn the_register_lists_the_reviews_the_overview_counts_with_their_dates_and_risk_levels() {
    use tillit::context::SharedClock;
    use tillit::supplier::follow_up::ReviewDue;
    let clock = SharedClock::new(
        chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 3, 1, 9, 0, 0).unwrap(),
    );
    let db = tillit::Db::open_in_memory()
        .unwrap()
        .with_clock(clock.clone());
    support::add_users(&db);
    // Essential: reviewed 12 months after approval; standard: 24.
    let (essential, _, _) = super::follow_up::approved(&db);
    let (standard, _, id) = assessed(&db, Tier::Standard);
    renamed(&db, standard, "Standard AB");
    approval::submit(&db, id).unwrap();
    approval::decide(&db, id, approve(PASSWORD)).unwrap();
    let (open, _, _) = assessed(&db, Tier::Standard);
    renamed(&db, open, "Pågående AB");

    let register = |review: Option<ReviewDue>| {
        list_register(
            &db,
            &RegisterQuery {
                review,
                ..RegisterQuery::default()
            },
        )
        .unwrap()
    };
    let all = register(None);
    let row = |id: SupplierId| all.rows.iter().find(|r| r.id == id).unwrap().clone();
    assert_eq!(row(essential).next_review_on, Some(date(2027, 3, 1)));
    assert_eq!(row(standard).next_review_on, Some(date(2028, 3, 1)));
    assert_eq!(
        row(open).next_review_on,
        None,
        "not under review before a decision"
    );
    assert_eq!(
        row(essential).risk_level,
        Some(tillit::rules::RiskBand::Low)
    );
    assert_eq!(
        row(open).risk_level,
        Some(tillit::rules::RiskBand::Low),
        "the current assessment's step 2"
    );
    assert!(all.rows.iter().all(|r| r.review.is_none()));

    for (today, overdue, due_soon) in [
        (date(2027, 1, 15), vec![], vec![essential]),
        (date(2027, 3, 1), vec![], vec![essential]),
        (date(2027, 3, 2), vec![essential], vec![]),
        (date(2028, 1, 2), vec![essential], vec![standard]),
    ] {
        clock.set(today.and_hms_opt(9, 0, 0).unwrap().and_utc());
        let overview = review::overview(&db, today).unwrap();
        let ids = |page: tillit::supplier::RegisterPage| {
            page.rows.into_iter().map(|r| r.id).collect::<Vec<_>>()
        };
        assert_eq!(ids(register(Some(ReviewDue::Overdue))), overdue, "{today}");
        assert_eq!(ids(register(Some(ReviewDue::DueSoon))), due_soon, "{today}");
        assert_eq!(
            overview.overdue.count as usize,
            overdue.len(),
            "{today}: the overview counts what the register lists"
        );
        assert_eq!(overview.due_soon.count as usize, due_soon.len(), "{today}");
        assert_eq!(register(None).today, today);
    }
    let by_review: Vec<SupplierId> = list_register(
        &db,
        &RegisterQuery {
            sort: SortKey::NextReview,
            descending: true,
            ..RegisterQuery::default()
        },
    )
    .unwrap()
    .rows
    .into_iter()
    .map(|r| r.id)
    .collect();
    assert_eq!(
        by_review,
        [standard, essential, open],
        "without a date last, either way"
    );
    let low = list_register(
        &db,
        &RegisterQuery {
            risk_level: Some(tillit::rules::RiskBand::Low),
            ..RegisterQuery::default()
        },
    )
    .unwrap();
    assert_eq!(low.rows.len(), 3);
    let high = list_register(
        &db,
        &RegisterQuery {
            risk_level: Some(tillit::rules::RiskBand::High),
            ..RegisterQuery::default()
        },
    )
    .unwrap();
    assert!(high.rows.is_empty());
}

/// After each change, made here or by another program, the kept worklist
/// and register (updated from the changes the trail names) list what a
/// fresh read lists.
#[test]
fn the_kept_worklist_and_register_follow_every_change_as_a_fresh_read_lists_them() {
    let dir = tempfile::tempdir().unwrap();
    let path = support::store_in(dir.path());
    let clock = || {
        tillit::context::FixedClock(
            chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 3, 1, 9, 0, 0).unwrap(),
        )
    };
    let here = Db::open(&path).unwrap().with_clock(clock());
    support::add_users(&here);
    let other = Db::open(&path).unwrap().with_clock(clock());
    sign_in(&other, "olivia");
    let everything = WorklistQuery {
        all: true,
        ..WorklistQuery::default()
    };
    let check = |step: &str| {
        let register = RegisterQuery::default();
        let kept = (
            serde_json::to_value(worklist::list(&here, &everything).unwrap()).unwrap(),
            serde_json::to_value(list_register(&here, &register).unwrap()).unwrap(),
        );
        let fresh_db = Db::open(&path).unwrap().with_clock(clock());
        sign_in(&fresh_db, "olivia");
        let fresh = (
            serde_json::to_value(worklist::list(&fresh_db, &everything).unwrap()).unwrap(),
            serde_json::to_value(list_register(&fresh_db, &register).unwrap()).unwrap(),
        );
        assert_eq!(kept.0, fresh.0, "the worklist after {step}");
        assert_eq!(kept.1, fresh.1, "the register after {step}");
    };
    check("nothing");
    let (a, _, first) = assessed(&here, Tier::Critical);
    check("an assessment here");
    let (b, _, second) = assessed(&other, Tier::Standard);
    check("an assessment by another program");
    approval::submit(&other, first).unwrap();
    check("a submission by another program");
    renamed(&other, a, "Aaa Först AB");
    check("a rename by another program");
    let mut fields = supplier_detail(&here, b).unwrap().supplier.fields;
    fields.tier = Tier::Critical;
    fields.tier_justification = "Runs payroll".into();
    update_supplier(&here, b, fields).unwrap();
    check("a new tier here");
    sign_in(&other, "magnus");
    let decided = approval::decide(&other, first, approve(PASSWORD)).unwrap();
    check("a decision by another program");
    approval::reopen(
        &other,
        first,
        approval::ReopenInput {
            reason: "New facts".into(),
            voids: Some(decided.decisions[0].id),
        },
    )
    .unwrap();
    check("a reopening by another program");
    sign_in(&other, "olivia");
    workflow::start(&other, b, date(2026, 3, 1)).unwrap_or_else(|_| {
        approval::submit(&other, second).unwrap();
        workflow::get(&other, second).unwrap()
    });
    check("a new assessment or submission by another program");
    let service = add_service(
        &other,
        a,
        ServiceFields {
            name: "Extra".into(),
            ..ServiceFields::default()
        },
    )
    .map(|d| {
        d.services
            .iter()
            .find(|s| s.fields.name == "Extra")
            .unwrap()
            .id
    });
    check("a service added by another program");
    if let Ok(service) = service {
        remove_service(&other, service).unwrap();
        check("a service removed by another program");
    }
    offboard_supplier(&here, b, "Contract ended").unwrap();
    check("an offboarding here");
    // A change outside Tillit leaves nothing in the trail, and the trail's
    // verification reports it. On SQLite, when nothing else was written
    // since the list was kept, the file's change counter shows it and the
    // list is read whole. (Interleaved with writes through Tillit, and on
    // PostgreSQL, it is not seen until the next start.)
    worklist::list(&here, &everything).unwrap();
    list_register(&here, &RegisterQuery::default()).unwrap();
    support::Outside::open(&path).execute(
        "UPDATE supplier SET legal_name = 'Ändrad utanför' WHERE id = ?1",
        &[&a.to_string()],
    );
    let verification = here.read(tillit::audit::verify).unwrap();
    assert!(!verification.intact(), "{}", verification.sentence());
    if !support::on_postgres() {
        check("a change outside Tillit");
    }
}
