//! The controls around a supplier decision (DOMAIN §2–§8), each as it was
//! seen walked past: an escalation re-rated away, a decision voided by a
//! save, pre-filled ratings, SOC 2 reports misread, any evidence taken as the
//! certification, subcontractors invisible to the transfer rules, "accept"
//! escaping management, time-based events waiting for the window, and
//! statuses drifting from their assessments.

use crate::support::{db, db_at, sign_in, swedish_supplier, PASSWORD};
use chrono::{NaiveDate, TimeZone, Utc};
use std::collections::BTreeMap;
use tillit::approval::{self, Decision, DecisionInput};
use tillit::assessment::certification::Standing;
use tillit::assessment::risk::Rating;
use tillit::assessment::step1::{Step1Input, Step1Outcome, Step1Reason};
use tillit::assessment::workflow::{self, *};
use tillit::error::Lock;
use tillit::rules::{default_rule_set, Verdict};
use tillit::supplier::*;
use tillit::{Db, Error};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn all(rating: u8) -> BTreeMap<String, u8> {
    default_rule_set()
        .criteria
        .iter()
        .map(|c| (c.key.clone(), rating))
        .collect()
}

/// Step 1 with every criterion at `rating` and `linked` evidence linked to
/// the certification criterion.
fn step1(rating: u8, linked: &[EvidenceId]) -> Step1Input {
    let mut input = Step1Input {
        ratings: all(rating),
        ..Step1Input::default()
    };
    input
        .evidence
        .insert("certification".into(), linked.to_vec());
    input
}

fn evidence(kind: EvidenceKind, from: NaiveDate, until: NaiveDate) -> EvidenceFields {
    EvidenceFields {
        kind,
        title: format!("{} report", kind.as_str()),
        valid_from: Some(from),
        valid_until: Some(until),
        ..EvidenceFields::default()
    }
}

/// A supplier of `tier` with one internal service stored in Sweden, and the
/// evidence `items`; returns the supplier, its service and the evidence ids.
fn registered(
    db: &Db,
    tier: Tier,
    items: &[EvidenceFields],
) -> (SupplierId, ServiceId, Vec<EvidenceId>) {
    let mut fields = swedish_supplier("Kontrollen AB");
    fields.tier = tier;
    let id = create_supplier(db, fields).unwrap().supplier.id;
    let service = add_service(
        db,
        id,
        ServiceFields {
            name: "Ärendesystem".into(),
            data_classification: DataClassification::Internal,
            storage_countries: vec!["SE".into()],
            ..ServiceFields::default()
        },
    )
    .unwrap()
    .services[0]
        .id;
    let mut ids = Vec::new();
    for item in items {
        let detail = add_evidence(
            db,
            id,
            item.clone(),
            None,
            std::path::Path::new("/nonexistent"),
        )
        .unwrap();
        let added = detail
            .evidence
            .iter()
            .find(|e| !ids.contains(&e.id))
            .unwrap()
            .id;
        ids.push(added);
    }
    (id, service, ids)
}

fn risk(dimension: &str, inherent: (u8, u8), residual: (u8, u8), treatment: Treatment) -> Risk {
    Risk {
        dimension: dimension.into(),
        description: format!("{dimension} risk"),
        inherent: Rating {
            likelihood: inherent.0,
            impact: inherent.1,
        },
        treatment,
        controls: "Encryption, monitoring".into(),
        residual: Rating {
            likelihood: residual.0,
            impact: residual.1,
        },
    }
}

fn complete_step2(
    db: &Db,
    id: AssessmentId,
    service: ServiceId,
    extra: Option<Risk>,
) -> Assessment {
    let mut risks: Vec<Risk> = ["data_protection", "availability", "business_impact"]
        .into_iter()
        .map(|d| risk(d, (2, 2), (1, 2), Treatment::Mitigate))
        .collect();
    risks.extend(extra);
    let mut input = ServiceInput {
        risks,
        ..ServiceInput::default()
    };
    let mandatory = save_service(db, id, service, input.clone())
        .unwrap()
        .services[0]
        .result
        .mandatory
        .clone();
    input.requirements = mandatory
        .into_iter()
        .map(|key| RequirementMark {
            key,
            status: RequirementStatus::InContract,
            justification: String::new(),
        })
        .collect();
    save_service(db, id, service, input).unwrap()
}

fn status(db: &Db, supplier: SupplierId) -> SupplierStatus {
    supplier_detail(db, supplier).unwrap().supplier.status
}

fn isms() -> EvidenceFields {
    evidence(EvidenceKind::Iso27001, date(2025, 1, 1), date(2027, 12, 31))
}

// 1. An escalation can be made to disappear.
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
    assert_eq!(summary.blockers[0].sentence(), "step 1 is not rated yet");

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
        "step 1 is not complete: 3 of 11 criteria rated"
    );
    assert!(approval::submit(&db, fresh.id).is_err());

    let complete = save_step1(&db, fresh.id, step1(3, &ev)).unwrap();
    assert_eq!(complete.step1_outcome(), Some(Step1Outcome::Approved));
}

// 4. SOC 2 / ISAE reports stop counting the day their period ends.
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
#[test]
fn a_subcontractor_in_a_third_country_that_stores_confidential_data_forbids_the_transfer_and_is_named(
) {
    let db = db();
    let (supplier, service, ev) = registered(&db, Tier::Standard, &[isms()]);
    let mut fields = supplier_detail(&db, supplier).unwrap().services[0]
        .fields
        .clone();
    fields.data_classification = DataClassification::Confidential;
    fields.storage_countries = vec!["SE".into(), "FI".into()];
    update_service(&db, service, fields.clone()).unwrap();
    let other = add_service(
        &db,
        supplier,
        ServiceFields {
            name: "Webbplats".into(),
            storage_countries: vec!["SE".into()],
            ..fields.clone()
        },
    )
    .unwrap()
    .services
    .iter()
    .find(|s| s.fields.name == "Webbplats")
    .unwrap()
    .id;
    let detail = add_subcontractor(
        &db,
        supplier,
        SubcontractorFields {
            name: "Bangalore Ops Pvt Ltd".into(),
            country: "IN".into(),
            role: "Storage and support".into(),
            stores_data: true,
            accesses_data: true,
            services: vec![service],
        },
    )
    .unwrap();
    let class = |id: ServiceId| {
        detail
            .services
            .iter()
            .find(|s| s.id == id)
            .unwrap()
            .location_class
    };
    assert_eq!(
        class(service),
        Some(tillit::jurisdiction::LocationClass::Third)
    );
    assert_eq!(
        class(other),
        Some(tillit::jurisdiction::LocationClass::Se),
        "not narrowed to it"
    );

    let id = start(&db, supplier, date(2026, 3, 1)).unwrap().id;
    save_step1(&db, id, step1(3, &ev)).unwrap();
    let assessed = complete_step2(&db, id, service, None);
    let transfer = &assessed.services[0].result.transfer;
    assert_eq!(transfer.verdict, Verdict::Forbidden);
    let named = transfer.fired.iter().any(|f| {
        f.verdict == Verdict::Forbidden
            && matches!(&f.rule, tillit::transfer::TransferRule::Location { via, countries, .. }
                if via == &["Bangalore Ops Pvt Ltd"] && countries == &["IN"])
    });
    assert!(named, "{:?}", transfer.fired);
    let words = tillit::report::Words(tillit::settings::Language::En);
    let sentence = transfer
        .fired
        .iter()
        .map(|f| words.fired_rule(f))
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        sentence.contains("through the subcontractor Bangalore Ops Pvt Ltd"),
        "{sentence}"
    );

    let other_assessed = complete_step2(&db, id, other, None);
    let verdict = other_assessed
        .services
        .iter()
        .find(|s| s.service_id == other)
        .unwrap()
        .result
        .transfer
        .verdict;
    assert_eq!(verdict, Verdict::Allowed);

    // A service of another supplier cannot be named.
    let (elsewhere, _, _) = registered(&db, Tier::Standard, &[]);
    let error = add_subcontractor(
        &db,
        elsewhere,
        SubcontractorFields {
            name: "X".into(),
            country: "SE".into(),
            services: vec![service],
            ..SubcontractorFields::default()
        },
    )
    .unwrap_err();
    assert_eq!(error.field_errors()[0].field, "services");
}

// 7. "Accept" with a lowered residual escapes management.
#[test]
fn an_accepted_risk_keeps_its_inherent_rating_and_an_accepted_4x4_needs_management() {
    let db = db();
    let (supplier, service, ev) = registered(&db, Tier::Standard, &[isms()]);
    let id = start(&db, supplier, date(2026, 3, 1)).unwrap().id;
    save_step1(&db, id, step1(3, &ev)).unwrap();
    let lowered = risk("concentration", (4, 4), (2, 2), Treatment::Accept);
    let mut risks: Vec<Risk> = ["data_protection", "availability", "business_impact"]
        .into_iter()
        .map(|d| risk(d, (2, 2), (1, 2), Treatment::Mitigate))
        .collect();
    risks.push(lowered);
    let error = save_service(
        &db,
        id,
        service,
        ServiceInput {
            risks,
            ..ServiceInput::default()
        },
    )
    .unwrap_err();
    assert_eq!(
        error.field_errors()[0].field,
        "risks[3].residual_likelihood"
    );

    complete_step2(
        &db,
        id,
        service,
        Some(risk("concentration", (4, 4), (4, 4), Treatment::Accept)),
    );
    let summary = workflow::summary(&db, id).unwrap();
    assert!(summary.approval_required);
    assert!(summary
        .approval_reasons
        .contains(&ApprovalReason::HighRiskAccepted {
            service: "Ärendesystem".into()
        }));
    assert!(summary
        .approval_reasons
        .contains(&ApprovalReason::CriticalService {
            service: "Ärendesystem".into()
        }));
}

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
            conditions: String::new(),
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
    let path = dir.path().join("tillit.db");
    let supplier = approved_in_file(&path);
    // Today (the system clock) is past 2025-12-31; no window was ever opened.
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_tillit"))
        .args(["--db", path.to_str().unwrap(), "evaluate", "Kontrollen AB"])
        .env_remove("TILLIT_DB")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("status reassessment_required"), "{text}");

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
    let path = dir.path().join("tillit.db");
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

#[test]
fn withdrawals_reopenings_and_links_survive_a_round_trip_through_the_register_file() {
    let db = db();
    let (supplier, service, ev) = registered(&db, Tier::Standard, &[isms()]);
    add_subcontractor(
        &db,
        supplier,
        SubcontractorFields {
            name: "Driftbolaget AB".into(),
            country: "SE".into(),
            stores_data: true,
            services: vec![service],
            ..SubcontractorFields::default()
        },
    )
    .unwrap();
    let id = start(&db, supplier, date(2026, 3, 1)).unwrap().id;
    save_step1(&db, id, step1(3, &ev)).unwrap();
    complete_step2(&db, id, service, None);
    approval::submit(&db, id).unwrap();
    approval::withdraw(&db, id, "One more look").unwrap();
    approval::submit(&db, id).unwrap();
    let decided = approval::decide(
        &db,
        id,
        DecisionInput {
            decision: Decision::Approve,
            conditions: String::new(),
            password: PASSWORD.into(),
        },
    )
    .unwrap();
    approval::reopen(
        &db,
        id,
        approval::ReopenInput {
            reason: "New subcontractor announced".into(),
            voids: Some(decided.decisions[0].id),
        },
    )
    .unwrap();
    sign_in(&db, "admin");
    let text = tillit::interchange::json::export_text(&db).unwrap();
    let copy = db_at(Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    tillit::interchange::json::import_text(&copy, &text).unwrap();
    sign_in(&copy, "admin");
    let again = tillit::interchange::json::export_text(&copy).unwrap();
    let events = |text: &str| {
        let value: serde_json::Value = serde_json::from_str(text).unwrap();
        let supplier = &value["suppliers"][0];
        (
            supplier["assessments"][0]["events"].clone(),
            supplier["assessments"][0]["step1"]["evidence"].clone(),
            supplier["subcontractors"][0]["services"].clone(),
        )
    };
    let (before, after) = (events(&text), events(&again));
    assert_eq!(before, after);
    assert_eq!(before.0.as_array().unwrap().len(), 2, "{}", before.0);
    assert_eq!(before.2, serde_json::json!([service]));
    assert_eq!(status(&copy, supplier), SupplierStatus::InAssessment);
}

/// One thing an officer may try on an assessment.
#[derive(Debug, Clone)]
enum Attempt {
    Step1 {
        ratings: Vec<u8>,
        link: bool,
        controls: bool,
    },
    Step2 {
        residual: (u8, u8),
        treatment: u8,
    },
    Reevaluate,
    Submit,
    Withdraw,
    Reopen,
}

fn attempt() -> impl proptest::strategy::Strategy<Value = Attempt> {
    use proptest::prelude::*;
    prop_oneof![
        3 => (prop::collection::vec(0u8..=3, 0..=11), any::<bool>(), any::<bool>())
            .prop_map(|(ratings, link, controls)| Attempt::Step1 { ratings, link, controls }),
        3 => ((1u8..=5, 1u8..=5), 0u8..4).prop_map(|(residual, treatment)| Attempt::Step2 { residual, treatment }),
        1 => Just(Attempt::Reevaluate),
        1 => Just(Attempt::Submit),
        1 => Just(Attempt::Withdraw),
        1 => Just(Attempt::Reopen),
    ]
}

/// Runs `attempt` as the officer; refusals are expected.
fn try_attempt(
    db: &Db,
    id: AssessmentId,
    service: ServiceId,
    ev: &[EvidenceId],
    attempt: &Attempt,
) {
    let keys: Vec<String> = default_rule_set()
        .criteria
        .iter()
        .map(|c| c.key.clone())
        .collect();
    let _ = match attempt {
        Attempt::Step1 {
            ratings,
            link,
            controls,
        } => {
            let mut input = Step1Input {
                ratings: keys.iter().cloned().zip(ratings.iter().copied()).collect(),
                compensating_controls: if *controls {
                    "Quarterly tests".into()
                } else {
                    String::new()
                },
                ..Step1Input::default()
            };
            if *link {
                input.evidence.insert("certification".into(), ev.to_vec());
            }
            save_step1(db, id, input).map(drop)
        }
        Attempt::Step2 {
            residual,
            treatment,
        } => {
            let treatment = [
                Treatment::Mitigate,
                Treatment::Accept,
                Treatment::Transfer,
                Treatment::Avoid,
            ][usize::from(*treatment)];
            let risks = ["data_protection", "availability", "business_impact"]
                .into_iter()
                .map(|d| risk(d, (5, 5), *residual, treatment))
                .collect();
            save_service(
                db,
                id,
                service,
                ServiceInput {
                    risks,
                    ..ServiceInput::default()
                },
            )
            .map(drop)
        }
        Attempt::Reevaluate => reevaluate(db, id).map(drop),
        Attempt::Submit => approval::submit(db, id).map(drop),
        Attempt::Withdraw => approval::withdraw(db, id, "").map(drop),
        Attempt::Reopen => {
            let standing = get(db, id).unwrap().standing_decision().map(|d| d.id);
            approval::reopen(
                db,
                id,
                approval::ReopenInput {
                    reason: "Try".into(),
                    voids: standing,
                },
            )
            .map(drop)
        }
    };
}

#[test]
fn no_sequence_of_officer_calls_changes_a_locked_assessment_without_its_recorded_unlocking() {
    use proptest::test_runner::{Config, TestRunner};
    let mut runner = TestRunner::new(Config {
        cases: 48,
        failure_persistence: None,
        ..Config::default()
    });
    let states = proptest::sample::select(vec!["escalated", "submitted", "decided"]);
    let attempts = proptest::collection::vec(attempt(), 1..8);
    runner
        .run(&(states, attempts), |(state, attempts)| {
            let db = db();
            let (supplier, service, ev) = registered(&db, Tier::Critical, &[isms()]);
            let id = start(&db, supplier, date(2026, 3, 1)).unwrap().id;
            if state == "escalated" {
                let mut input = step1(3, &ev);
                input.ratings.insert("staff_security".into(), 1);
                save_step1(&db, id, input).unwrap();
            } else {
                save_step1(&db, id, step1(3, &ev)).unwrap();
                complete_step2(&db, id, service, None);
                approval::submit(&db, id).unwrap();
                if state == "decided" {
                    sign_in(&db, "magnus");
                    approval::decide(
                        &db,
                        id,
                        DecisionInput {
                            decision: Decision::Approve,
                            conditions: String::new(),
                            password: PASSWORD.into(),
                        },
                    )
                    .unwrap();
                    sign_in(&db, "olivia");
                }
            }
            let locked = get(&db, id).unwrap();
            let before = approval::fingerprint(&locked).unwrap();
            for attempt in &attempts {
                try_attempt(&db, id, service, &ev, attempt);
                let now = get(&db, id).unwrap();
                let unlocked = now.events.len() > locked.events.len() || now.resolution.is_some();
                if !unlocked {
                    proptest::prop_assert_eq!(
                        &approval::fingerprint(&now).unwrap(),
                        &before,
                        "{} after {:?}",
                        state,
                        attempt
                    );
                    proptest::prop_assert_eq!(&now.decisions, &locked.decisions);
                    proptest::prop_assert_eq!(&now.submitted_at, &locked.submitted_at);
                }
            }
            // Every unlocking is in the trail.
            let now = get(&db, id).unwrap();
            let recorded: i64 = db
                .read(|c| {
                    Ok(c.query_row(
                        "SELECT count(*) FROM audit_log WHERE entity = 'assessment_event'",
                        [],
                        |r| r.get(0),
                    )?)
                })
                .unwrap();
            proptest::prop_assert_eq!(recorded as usize, now.events.len());
            proptest::prop_assert!(db.read(tillit::audit::verify).unwrap().intact());
            Ok(())
        })
        .unwrap();
}

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
        vec!["Ärendesystem: not assessed in step 2 yet"],
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
                conditions: String::new(),
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
    let listed: Vec<(Option<NaiveDate>, String)> = overview
        .evidence_expiring
        .items
        .iter()
        .map(|i| (i.date, i.detail.clone()))
        .collect();
    assert_eq!(
        listed,
        [
            (Some(date(2026, 4, 1)), "ISMS".to_owned()),
            (Some(date(2026, 5, 1)), "soc2_type2 report".to_owned()),
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
