use super::*;

/// The text of a PDF, as pdftotext reads it.
fn pdf_text(bytes: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("report.pdf");
    std::fs::write(&pdf, bytes).unwrap();
    let output = std::process::Command::new("pdftotext")
        .args([pdf.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext (poppler-utils) runs");
    // One line per fact, whatever the layout wrapped.
    String::from_utf8(output.stdout)
        .unwrap()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn the_report_and_the_overview_agree_with_the_core_in_every_state() {
    use tillit::report::{self, ReportKind};
    use tillit::settings::Language;
    let db = db();
    let mut cases: Vec<(SupplierId, AssessmentState, Vec<&str>)> = Vec::new();
    let named = |db: &Db, name: &str, tier: Tier| {
        let (supplier, service, ev) = registered(db, tier, &[isms()]);
        let mut fields = supplier_detail(db, supplier).unwrap().supplier.fields;
        fields.legal_name = name.into();
        update_supplier(db, supplier, fields).unwrap();
        (supplier, service, ev)
    };

    let (not_started, _, _) = named(&db, "Ej påbörjad AB", Tier::Standard);
    let (unrated, _, _) = named(&db, "Obedömd AB", Tier::Standard);
    start(&db, unrated, date(2026, 3, 1)).unwrap();
    cases.push((
        unrated,
        AssessmentState::Step1Unrated,
        vec!["Step 1 is not complete: 0 of 11 criteria rated"],
    ));

    let (escalated, _, ev) = named(&db, "Eskalerad AB", Tier::Critical);
    let id = start(&db, escalated, date(2026, 3, 1)).unwrap().id;
    let mut input = step1(3, &ev);
    input.ratings.insert("staff_security".into(), 1);
    save_step1(&db, id, input).unwrap();
    cases.push((
        escalated,
        AssessmentState::Escalated,
        vec!["Step 1 is escalated: management must resolve the escalation"],
    ));

    let (stopped, _, ev) = named(&db, "Stoppad AB", Tier::Standard);
    let id = start(&db, stopped, date(2026, 3, 1)).unwrap().id;
    let mut input = step1(3, &ev);
    input.ratings.insert("ethics_sanctions".into(), 0);
    save_step1(&db, id, input).unwrap();
    cases.push((
        stopped,
        AssessmentState::Stopped,
        vec!["Step 1 ended in stop: the supplier is rejected"],
    ));

    let (incomplete, _, ev) = named(&db, "Halvvägs AB", Tier::Standard);
    let id = start(&db, incomplete, date(2026, 3, 1)).unwrap().id;
    save_step1(&db, id, step1(3, &ev)).unwrap();
    cases.push((
        incomplete,
        AssessmentState::Step2Incomplete,
        vec!["Ärendesystem has no step 2 yet."],
    ));

    let (blocked, service, ev) = named(&db, "Blockerad AB", Tier::Standard);
    let id = start(&db, blocked, date(2026, 3, 1)).unwrap().id;
    save_step1(&db, id, step1(3, &ev)).unwrap();
    let risks = ["data_protection", "availability", "business_impact"]
        .into_iter()
        .map(|d| risk(d, (2, 2), (1, 2), Treatment::Mitigate))
        .collect();
    save_service(
        &db,
        id,
        service,
        ServiceInput {
            risks,
            ..ServiceInput::default()
        },
    )
    .unwrap();
    cases.push((blocked, AssessmentState::Blocked, vec!["Ärendesystem: "]));

    let decide = |db: &Db, id: AssessmentId| {
        approval::decide(
            db,
            id,
            DecisionInput {
                decision: Decision::Approve,
                conditions: Vec::new(),
                password: PASSWORD.into(),
            },
        )
        .unwrap()
    };
    // A complete assessment, submitted for a decision.
    let submitted_one = |db: &Db, name: &str| {
        let (supplier, service, ev) = named(db, name, Tier::Standard);
        let id = start(db, supplier, date(2026, 3, 1)).unwrap().id;
        save_step1(db, id, step1(3, &ev)).unwrap();
        complete_step2(db, id, service, None);
        approval::submit(db, id).unwrap();
        (supplier, id)
    };
    let (submitted, _) = submitted_one(&db, "Inlämnad AB");
    cases.push((submitted, AssessmentState::Submitted, vec![]));

    let (decided, id) = submitted_one(&db, "Beslutad AB");
    decide(&db, id);
    cases.push((decided, AssessmentState::Decided, vec![]));

    let (reopened, id) = submitted_one(&db, "Återöppnad AB");
    let first = decide(&db, id).decisions[0].id;
    approval::reopen(
        &db,
        id,
        approval::ReopenInput {
            reason: "Ny underleverantör".into(),
            voids: Some(first),
        },
    )
    .unwrap();
    cases.push((reopened, AssessmentState::ReadyToSubmit, vec![]));

    let words = tillit::report::Words(Language::En);
    for (supplier, state, blockers) in &cases {
        let latest = workflow::of_supplier(&db, *supplier).unwrap().remove(0);
        let summary = workflow::summary(&db, latest.id).unwrap();
        assert_eq!(summary.state, *state, "{supplier}");
        let text = pdf_text(
            &report::render(&db, ReportKind::Assessment, Some(*supplier), Language::En)
                .unwrap()
                .bytes,
        );
        let decision_line = match state {
            AssessmentState::Submitted => "Awaiting a decision since".to_owned(),
            AssessmentState::Decided => "Approved – Olivia Officer".to_owned(),
            other => words.state(*other).to_owned(),
        };
        assert!(
            text.contains(&decision_line),
            "{state:?}: {decision_line:?} in {text}"
        );
        for blocker in blockers {
            assert!(text.contains(blocker), "{state:?}: {blocker:?} in {text}");
        }
        if *state == AssessmentState::Stopped {
            // Who stopped it and when, on the first page.
            assert!(
                text.contains(
                    "Stopped in step 1: the supplier is rejected – by the rule set, on the ratings of Olivia Officer (assessed 2026-03-01): Stop: Ethics and sanctions is rated 0."
                ),
                "{text}"
            );
        }
        if summary.blockers.is_empty() {
            assert!(
                !text.contains("What stands in the way of approval"),
                "{state:?}"
            );
        } else {
            assert!(
                text.contains("What stands in the way of approval"),
                "{state:?}"
            );
        }
    }
    let text = pdf_text(
        &report::render(&db, ReportKind::Assessment, Some(reopened), Language::En)
            .unwrap()
            .bytes,
    );
    assert!(text.contains("Voided: Approved – Olivia Officer"), "{text}");
    assert!(text.contains("reopened by Olivia Officer"), "{text}");
    assert!(text.contains("Ny underleverantör"), "{text}");
    let text = pdf_text(
        &report::render(&db, ReportKind::Assessment, Some(not_started), Language::En)
            .unwrap()
            .bytes,
    );
    assert!(text.contains("Not assessed yet"), "{text}");

    // The overview lists the submitted one as awaiting a decision and the
    // escalated one as open, and nothing else.
    let overview = tillit::review::overview(&db, date(2026, 3, 1)).unwrap();
    let names = |a: &tillit::review::Attention| {
        a.items
            .iter()
            .map(|i| i.supplier.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(names(&overview.awaiting_decision), ["Inlämnad AB"]);
    assert_eq!(names(&overview.open_escalations), ["Eskalerad AB"]);
    // The worklist gives each current assessment the state the summary
    // gives it, and lists what each person can act on now.
    use tillit::assessment::worklist::{self, WorkState, WorklistQuery};
    let list = worklist::list(&db, &WorklistQuery::default()).unwrap();
    assert_eq!(
        list.total as usize,
        cases.len(),
        "one row per assessed supplier"
    );
    assert!(list.rows.iter().all(|r| r.supplier_id != not_started));
    for (supplier, state, _) in &cases {
        let row = list
            .rows
            .iter()
            .find(|r| r.supplier_id == *supplier)
            .unwrap();
        let expected = match state {
            AssessmentState::Step1Unrated => WorkState::Draft,
            AssessmentState::Escalated => WorkState::Escalated,
            AssessmentState::Stopped => WorkState::Stopped,
            AssessmentState::Step2Incomplete | AssessmentState::Blocked => WorkState::Step2,
            AssessmentState::ReadyToSubmit => WorkState::Reopened,
            AssessmentState::Submitted => WorkState::Submitted,
            AssessmentState::Decided => WorkState::Decided,
        };
        assert_eq!(row.state, expected, "{}", row.supplier);
    }
    let mine = |db: &Db| {
        let page = worklist::list(
            db,
            &WorklistQuery {
                needs_me: true,
                ..WorklistQuery::default()
            },
        )
        .unwrap();
        assert_eq!(page.needs_me as usize, page.rows.len());
        let mut names: Vec<String> = page.rows.into_iter().map(|r| r.supplier).collect();
        names.sort();
        names
    };
    assert_eq!(
        mine(&db),
        [
            "Blockerad AB",
            "Halvvägs AB",
            "Inlämnad AB",
            "Obedömd AB",
            "Återöppnad AB"
        ],
        "the officer carries on with their own and decides where no approval is required"
    );
    sign_in(&db, "magnus");
    assert_eq!(
        mine(&db),
        ["Eskalerad AB"],
        "management resolves the escalation"
    );
    sign_in(&db, "aud");
    assert!(mine(&db).is_empty(), "an auditor acts on nothing");
    sign_in(&db, "olivia");
    let statuses: Vec<(String, SupplierStatus)> = cases
        .iter()
        .map(|(s, _, _)| {
            let d = supplier_detail(&db, *s).unwrap();
            (d.supplier.fields.legal_name, d.supplier.status)
        })
        .collect();
    let expected = [
        SupplierStatus::InAssessment,
        SupplierStatus::InAssessment,
        SupplierStatus::Rejected,
        SupplierStatus::InAssessment,
        SupplierStatus::InAssessment,
        SupplierStatus::InAssessment,
        SupplierStatus::Approved,
        SupplierStatus::InAssessment,
    ];
    assert_eq!(
        statuses.iter().map(|(_, s)| *s).collect::<Vec<_>>(),
        expected,
        "{statuses:?}"
    );

    // Management stops the escalated supplier: the report's first section
    // names who stopped it, when and why.
    let escalated_id = workflow::of_supplier(&db, escalated).unwrap()[0].id;
    sign_in(&db, "magnus");
    resolve_escalation(
        &db,
        escalated_id,
        Step1Outcome::Stop,
        "Ingen utbildningsplan",
    )
    .unwrap();
    let text = pdf_text(
        &report::render(&db, ReportKind::Assessment, Some(escalated), Language::En)
            .unwrap()
            .bytes,
    );
    assert!(
        text.contains("Stopped in step 1: the supplier is rejected – by management, resolving the escalation: Magnus Manager, 2026-03-01 09:00 UTC: Ingen utbildningsplan"),
        "{text}"
    );
}

#[test]
fn the_overview_lists_an_assurance_report_as_expiring_twelve_months_after_its_period() {
    let db = db(); // 2026-03-01: the list runs to 2026-05-30
    let soon = evidence(EvidenceKind::Soc2Type2, date(2024, 5, 2), date(2025, 5, 1));
    let fresh = evidence(
        EvidenceKind::Isae3402Type2,
        date(2025, 2, 2),
        date(2026, 2, 1),
    );
    let mut certificate = evidence(EvidenceKind::Iso27001, date(2023, 4, 1), date(2026, 4, 1));
    certificate.title = "ISMS".into();
    registered(&db, Tier::Standard, &[soon, fresh, certificate]);
    let overview = tillit::review::overview(&db, date(2026, 3, 1)).unwrap();
    let listed: Vec<(Option<NaiveDate>, String, Option<EvidenceKind>)> = overview
        .evidence_expiring
        .items
        .iter()
        .map(|i| (i.date, i.detail.clone(), i.evidence_kind))
        .collect();
    assert_eq!(
        listed,
        [
            (
                Some(date(2026, 4, 1)),
                "ISMS".to_owned(),
                Some(EvidenceKind::Iso27001)
            ),
            (
                Some(date(2026, 5, 1)),
                "soc2_type2 report".to_owned(),
                Some(EvidenceKind::Soc2Type2)
            ),
        ],
        "the ISAE report is current until 2027-02-01"
    );
}

#[test]
fn a_register_file_cannot_link_what_is_not_the_suppliers_nor_carry_a_reopening_without_its_reason()
{
    let db = db();
    let (first, _, ev) = registered(&db, Tier::Standard, &[isms()]);
    let (second, other_service, _) = registered(&db, Tier::Standard, &[]);
    add_subcontractor(
        &db,
        first,
        SubcontractorFields {
            name: "Driftbolaget AB".into(),
            country: "SE".into(),
            stores_data: true,
            ..SubcontractorFields::default()
        },
    )
    .unwrap();
    let id = start(&db, first, date(2026, 3, 1)).unwrap().id;
    save_step1(&db, id, step1(3, &ev)).unwrap();
    sign_in(&db, "admin");
    let text = tillit::interchange::json::export_text(&db).unwrap();
    let file: serde_json::Value = serde_json::from_str(&text).unwrap();
    let at = |name: &str| {
        file["suppliers"]
            .as_array()
            .unwrap()
            .iter()
            .position(|s| s["id"] == serde_json::json!(name))
            .unwrap()
    };
    let i = at(&first.to_string());
    assert_ne!(at(&second.to_string()), i);
    let fresh = || db_at(Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    let refused = |mutate: &dyn Fn(&mut serde_json::Value), field: &str| {
        let mut changed = file.clone();
        mutate(&mut changed);
        let target = fresh();
        let error =
            tillit::interchange::json::import_text(&target, &changed.to_string()).unwrap_err();
        assert!(
            error.field_errors().iter().any(|e| e.field.contains(field)),
            "{field}: {error}"
        );
        assert!(
            tillit::supplier::all_details(&target).unwrap().is_empty(),
            "nothing written"
        );
    };
    // A subcontractor narrowed to another supplier's service.
    refused(
        &|f| {
            f["suppliers"][i]["subcontractors"][0]["services"] = serde_json::json!([other_service])
        },
        "subcontractors[0].services",
    );
    // Step 1 relying on another supplier's evidence.
    let foreign_evidence = serde_json::json!([uuid::Uuid::from_u128(0xdead)]);
    refused(
        &|f| {
            f["suppliers"][i]["assessments"][0]["step1"]["evidence"]["certification"] =
                foreign_evidence.clone()
        },
        "evidence.certification",
    );
    // A reopening with no reason.
    refused(
        &|f| {
            f["suppliers"][i]["assessments"][0]["events"] = serde_json::json!([{
                "id": uuid::Uuid::from_u128(7), "kind": "reopened", "reason": "", "actor": "Olivia Officer",
                "at": "2026-03-01T09:00:00.000Z", "voided_decision": uuid::Uuid::from_u128(8)
            }])
        },
        "events[0]",
    );
}
