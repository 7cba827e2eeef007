//! People and sign-off: roles checked in the core, management approval with
//! the password and a fingerprint, voiding, review dates, the triggers of a
//! reassessment, SLA records and the overview.

use crate::support::{self, db, sign_in, swedish_supplier, PASSWORD};
use chrono::NaiveDate;
use tillit::approval::{self, Decision, DecisionInput, Role};
use tillit::assessment::risk::Rating;
use tillit::assessment::step1::Step1Input;
use tillit::assessment::workflow::{self, *};
use tillit::error::Lock;
use tillit::review::{self, DeviationInput, FollowUpKind, SlaInput};
use tillit::rules::default_rule_set;
use tillit::supplier::*;
use tillit::{Db, Error};

pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// A supplier of `tier` with one service in Sweden, a valid ISO 27001
/// certificate, and a complete assessment by the officer, ready to submit.
pub fn assessed(db: &Db, tier: Tier) -> (SupplierId, ServiceId, AssessmentId) {
    let mut fields = swedish_supplier("Molnbolaget AB");
    fields.tier = tier;
    let supplier = create_supplier(db, fields).unwrap().supplier.id;
    let detail = add_service(
        db,
        supplier,
        ServiceFields {
            name: "Ärendesystem".into(),
            data_classification: DataClassification::Internal,
            storage_countries: vec!["SE".into()],
            access_countries: vec!["SE".into()],
            ..ServiceFields::default()
        },
    )
    .unwrap();
    let service = detail.services[0].id;
    let detail = add_evidence(
        db,
        supplier,
        EvidenceFields {
            kind: EvidenceKind::Iso27001,
            title: "ISO 27001".into(),
            valid_until: Some(date(2026, 12, 31)),
            ..EvidenceFields::default()
        },
        None,
        std::path::Path::new("/nonexistent"),
    )
    .unwrap();
    let evidence = detail.evidence[0].id;
    let id = workflow::start(db, supplier, date(2026, 3, 1)).unwrap().id;
    let mut step1 = Step1Input {
        ratings: default_rule_set()
            .criteria
            .iter()
            .map(|c| (c.key.clone(), 3))
            .collect(),
        ..Step1Input::default()
    };
    step1
        .evidence
        .insert("certification".into(), vec![evidence]);
    workflow::save_step1(db, id, step1).unwrap();
    let risk = |dimension: &str| Risk {
        dimension: dimension.into(),
        description: format!("{dimension} risk"),
        inherent: Rating {
            likelihood: 3,
            impact: 3,
        },
        treatment: Treatment::Mitigate,
        controls: "Backups and encryption".into(),
        residual: Rating {
            likelihood: 1,
            impact: 2,
        },
    };
    let rules = default_rule_set();
    let requirements = rules
        .requirements
        .iter()
        .map(|r| RequirementMark {
            key: r.key.clone(),
            status: RequirementStatus::InContract,
            justification: String::new(),
        })
        .collect();
    workflow::save_service(
        db,
        id,
        service,
        ServiceInput {
            risks: REQUIRED_DIMENSIONS.iter().map(|d| risk(d)).collect(),
            requirements,
            ..ServiceInput::default()
        },
    )
    .unwrap();
    (supplier, service, id)
}

fn approve(password: &str) -> DecisionInput {
    DecisionInput {
        decision: Decision::Approve,
        conditions: String::new(),
        password: password.into(),
    }
}

fn status(db: &Db, supplier: SupplierId) -> SupplierStatus {
    supplier_detail(db, supplier).unwrap().supplier.status
}

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
        matches!(&error, Error::NotAllowed(m) if m.contains("cannot approve it")),
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
        matches!(&error, Error::Forbidden { roles, .. } if roles.contains("the supplier's tier is critical")),
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
            conditions: "Annual penetration test report".into(),
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
        error.to_string().contains("step 1 is not rated yet"),
        "{error}"
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

/// An approved essential supplier, as `olivia`.
fn approved(db: &Db) -> (SupplierId, ServiceId, AssessmentId) {
    let (supplier, service, id) = assessed(db, Tier::Essential);
    approval::submit(db, id).unwrap();
    approval::decide(db, id, approve(PASSWORD)).unwrap();
    assert_eq!(status(db, supplier), SupplierStatus::Approved);
    (supplier, service, id)
}

fn assert_reassessment(db: &Db, supplier: SupplierId, kind: FollowUpKind, reason: &str) {
    assert_eq!(
        status(db, supplier),
        SupplierStatus::ReassessmentRequired,
        "{kind:?}"
    );
    let follow_up = review::follow_up(db, supplier).unwrap();
    assert_eq!(follow_up.events[0].kind, kind);
    assert!(
        follow_up.events[0].reason.contains(reason),
        "{:?} should contain {reason:?}",
        follow_up.events[0].reason
    );
    assert_eq!(
        follow_up.reassessment_reason.as_deref(),
        Some(follow_up.events[0].reason.as_str())
    );
}

#[test]
fn every_recorded_deviation_requires_a_reassessment_with_its_reason() {
    for kind in FollowUpKind::RECORDED {
        let db = db();
        let (supplier, service, _) = approved(&db);
        review::record_deviation(
            &db,
            supplier,
            DeviationInput {
                service_id: Some(service),
                kind,
                description: format!("Recorded {}", kind.as_str()),
                occurred_on: Some(date(2026, 2, 27)),
            },
        )
        .unwrap();
        assert_reassessment(&db, supplier, kind, &format!("Recorded {}", kind.as_str()));
    }
}

#[test]
fn a_deviation_without_a_description_or_of_a_detected_kind_is_refused() {
    let db = db();
    let (supplier, _, _) = approved(&db);
    let error = review::record_deviation(
        &db,
        supplier,
        DeviationInput {
            kind: FollowUpKind::EvidenceExpired,
            ..Default::default()
        },
    )
    .unwrap_err();
    assert_eq!(crate::support::fields_of(&error), ["kind", "description"]);
    assert_eq!(status(&db, supplier), SupplierStatus::Approved);
}

#[test]
fn a_change_to_a_service_requires_a_reassessment() {
    let db = db();
    let (supplier, service, _) = approved(&db);
    let mut fields = supplier_detail(&db, supplier).unwrap().services[0]
        .fields
        .clone();
    fields.storage_countries.push("DE".into());
    update_service(&db, service, fields).unwrap();
    assert_reassessment(
        &db,
        supplier,
        FollowUpKind::ServiceChange,
        "storage countries: SE → DE, SE",
    );
}

#[test]
fn a_new_contract_end_is_a_contract_renewal() {
    let db = db();
    let (supplier, service, _) = approved(&db);
    let mut fields = supplier_detail(&db, supplier).unwrap().services[0]
        .fields
        .clone();
    fields.contract_end = Some(date(2029, 12, 31));
    update_service(&db, service, fields).unwrap();
    assert_reassessment(&db, supplier, FollowUpKind::ContractRenewal, "contract end");
}

#[test]
fn a_change_of_subcontractors_requires_a_reassessment() {
    let db = db();
    let (supplier, _, _) = approved(&db);
    add_subcontractor(
        &db,
        supplier,
        SubcontractorFields {
            name: "Backup Oy".into(),
            country: "FI".into(),
            stores_data: true,
            ..Default::default()
        },
    )
    .unwrap();
    assert_reassessment(
        &db,
        supplier,
        FollowUpKind::SubcontractorChange,
        "Backup Oy (FI) was added",
    );
}

#[test]
fn a_change_of_ownership_requires_a_reassessment_but_a_new_contact_does_not() {
    let db = db();
    let (supplier, _, _) = approved(&db);
    let mut fields = supplier_detail(&db, supplier).unwrap().supplier.fields;
    fields.contact_name = "Ny Kontakt".into();
    update_supplier(&db, supplier, fields.clone()).unwrap();
    assert_eq!(status(&db, supplier), SupplierStatus::Approved);

    fields.parent_name = "Global Holdings Inc.".into();
    fields.parent_country = "US".into();
    update_supplier(&db, supplier, fields).unwrap();
    assert_reassessment(
        &db,
        supplier,
        FollowUpKind::OwnershipChange,
        "parent company: (none) → Global Holdings Inc.",
    );
}

#[test]
fn expired_evidence_that_step_1_relied_on_requires_a_reassessment_once() {
    let db = db();
    let (supplier, _, _) = approved(&db);
    assert_eq!(review::check_evidence(&db, date(2026, 12, 31)).unwrap(), 0);
    assert_eq!(review::check_evidence(&db, date(2027, 1, 1)).unwrap(), 1);
    assert_reassessment(
        &db,
        supplier,
        FollowUpKind::EvidenceExpired,
        "ISO 27001 (iso27001) that step 1 relied on is no longer valid: it was current until 2026-12-31",
    );
    assert_eq!(
        review::check_evidence(&db, date(2027, 1, 2)).unwrap(),
        0,
        "raised once"
    );
}

#[test]
fn a_changed_adequacy_decision_for_a_country_in_use_requires_a_reassessment() {
    use tillit::jurisdiction::{adequacy_decisions, AdequacyDecision, CountryCode};
    let db = db();
    let (supplier, _, _) = approved(&db);
    let shipped = adequacy_decisions().to_vec();
    assert_eq!(
        review::check_adequacy(&db, &shipped).unwrap(),
        0,
        "the first run remembers"
    );
    let mut changed = shipped.clone();
    changed.push(AdequacyDecision {
        country: CountryCode::parse("SE").unwrap(),
        reference: "A test decision".into(),
        decided_on: None,
        requires_dpf: false,
        scope: String::new(),
    });
    assert_eq!(review::check_adequacy(&db, &changed).unwrap(), 1);
    assert_reassessment(
        &db,
        supplier,
        FollowUpKind::AdequacyChange,
        "adequacy decision for SE changed",
    );
}

#[test]
fn an_sla_breach_is_a_deviation_and_a_met_sla_is_not() {
    let db = db();
    let (supplier, service, _) = approved(&db);
    let record = |measured: f64| SlaInput {
        period_start: Some(date(2026, 1, 1)),
        period_end: Some(date(2026, 1, 31)),
        metric: "availability %".into(),
        target: 99.9,
        measured,
        higher_is_better: true,
        note: String::new(),
    };
    let met = review::record_sla(&db, service, record(99.95)).unwrap();
    assert!(met.sla_records[0].met);
    assert_eq!(status(&db, supplier), SupplierStatus::Approved);

    let breached = review::record_sla(&db, service, record(99.2)).unwrap();
    assert!(!breached.sla_records.iter().all(|r| r.met));
    assert_reassessment(
        &db,
        supplier,
        FollowUpKind::SlaBreach,
        "availability % at least measured 99.2 against a target of 99.9",
    );
    let error = review::record_sla(
        &db,
        service,
        SlaInput {
            period_start: Some(date(2026, 2, 1)),
            period_end: Some(date(2026, 1, 1)),
            ..record(1.0)
        },
    )
    .unwrap_err();
    assert_eq!(crate::support::fields_of(&error), ["period_end"]);
}

#[test]
fn a_reassessment_carries_the_notes_and_evidence_links_over_but_starts_unrated() {
    let db = db();
    let (supplier, _, first) = approved(&db);
    review::record_deviation(
        &db,
        supplier,
        DeviationInput {
            kind: FollowUpKind::Incident,
            description: "Ransomware at the supplier".into(),
            ..Default::default()
        },
    )
    .unwrap();
    let previous = workflow::get(&db, first).unwrap();
    let second = workflow::start(&db, supplier, date(2026, 3, 1)).unwrap();
    assert_ne!(second.id, first);
    let (now, before) = (second.step1.unwrap(), previous.step1.unwrap());
    assert!(now.ratings.is_empty(), "ratings start unrated");
    assert_eq!(now.evidence, before.evidence);
    assert_eq!(now.notes, before.notes);
    assert_eq!(now.compensating_controls, before.compensating_controls);
    assert!(second.step1_result.is_none());
    assert!(second.services.is_empty(), "risks start empty");
    assert!(second.decisions.is_empty() && second.submitted_at.is_none());
    let summary = workflow::summary(&db, second.id).unwrap();
    assert_eq!(summary.state, AssessmentState::Step1Unrated);
    assert_eq!((summary.step1_rated, summary.step1_criteria), (0, 11));
    assert_eq!(status(&db, supplier), SupplierStatus::InAssessment);
}

#[test]
fn an_auditor_reads_and_exports_but_cannot_write() {
    let db = db();
    let (supplier, service, id) = assessed(&db, Tier::Critical);
    sign_in(&db, "aud");
    let forbidden = |result: tillit::Result<()>, what: &str| {
        let error = result.expect_err(what);
        assert!(matches!(error, Error::Forbidden { .. }), "{what}: {error}");
    };
    forbidden(
        create_supplier(&db, swedish_supplier("X AB")).map(drop),
        "create",
    );
    forbidden(
        update_supplier(&db, supplier, swedish_supplier("Y AB")).map(drop),
        "update",
    );
    forbidden(remove_service(&db, service).map(drop), "remove a service");
    forbidden(
        workflow::start(&db, supplier, date(2026, 3, 1)).map(drop),
        "assess",
    );
    forbidden(approval::submit(&db, id).map(drop), "submit");
    forbidden(
        review::record_deviation(
            &db,
            supplier,
            DeviationInput {
                description: "x".into(),
                ..Default::default()
            },
        )
        .map(drop),
        "record a deviation",
    );
    forbidden(
        tillit::operations::save_rules(&db, &default_rule_set(), "").map(drop),
        "rules",
    );
    assert!(supplier_detail(&db, supplier).is_ok(), "reads");
    assert!(
        tillit::interchange::json::export_text(&db).is_ok(),
        "exports"
    );
    let exports = db
        .read(|c| {
            tillit::audit::entries(
                c,
                &tillit::audit::LogFilter {
                    actor: "aud".into(),
                    entity: "register".into(),
                    ..Default::default()
                },
            )
        })
        .unwrap();
    assert_eq!(exports.entries[0].action, "export");
    assert!(exports.entries[0]
        .after
        .as_deref()
        .unwrap()
        .contains("\"sha256\""));
}

#[test]
fn nothing_is_written_without_a_signed_in_user() {
    let db = Db::open_in_memory().unwrap();
    let error = create_supplier(&db, swedish_supplier("X AB")).unwrap_err();
    assert!(matches!(error, Error::NotSignedIn(_)), "{error}");
}

#[test]
fn only_the_first_user_is_created_without_an_administrator_and_a_password_needs_ten_characters() {
    let db = Db::open_in_memory().unwrap();
    let short = approval::create_first_administrator(
        &db,
        approval::NewUser {
            username: "ada".into(),
            display_name: "Ada".into(),
            roles: vec![],
            password: "short".into(),
        },
    )
    .unwrap_err();
    assert_eq!(crate::support::fields_of(&short), ["password"]);
    support::add_users(&db);
    let again = approval::create_first_administrator(
        &db,
        approval::NewUser {
            username: "eve".into(),
            display_name: "Eve".into(),
            roles: vec![],
            password: "long enough password".into(),
        },
    )
    .unwrap_err();
    assert!(matches!(again, Error::NotAllowed(_)), "{again}");
}

#[test]
fn the_overview_shows_what_needs_attention_and_leads_to_the_supplier() {
    let db = db();
    let (approved_supplier, _, _) = approved(&db);
    let (waiting, _, waiting_id) = assessed(&db, Tier::Critical);
    approval::submit(&db, waiting_id).unwrap();

    let today = date(2026, 3, 1);
    let now = review::overview(&db, today).unwrap();
    assert_eq!(now.awaiting_decision.count, 1);
    assert_eq!(now.awaiting_decision.items[0].supplier_id, waiting);
    assert_eq!(now.suppliers, 2);
    assert_eq!((now.by_tier.critical, now.by_tier.essential), (1, 1));
    assert_eq!(
        now.heat_map.len(),
        1,
        "both services sit at likelihood 1, impact 2"
    );
    assert_eq!(
        (
            now.heat_map[0].likelihood,
            now.heat_map[0].impact,
            now.heat_map[0].count
        ),
        (1, 2, 2)
    );
    assert_eq!(now.overdue, review::Attention::default());

    let later = review::overview(&db, date(2027, 1, 15)).unwrap();
    assert_eq!(later.due_soon.count, 1, "due 2027-03-01, within 60 days");
    assert_eq!(later.due_soon.items[0].supplier_id, approved_supplier);
    assert_eq!(later.due_soon.items[0].date, Some(date(2027, 3, 1)));
    let overdue = review::overview(&db, date(2027, 3, 2)).unwrap();
    assert_eq!(overdue.overdue.items[0].supplier_id, approved_supplier);
    let expiring = review::overview(&db, date(2026, 10, 15)).unwrap();
    assert_eq!(
        expiring.evidence_expiring.count, 2,
        "both certificates end 2026-12-31"
    );
}

#[test]
fn a_database_from_before_the_trail_recorded_rows_is_adopted_on_upgrade_and_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tillit.db");
    {
        let old = Db::open_with(&path, &tillit::store::MIGRATIONS[..4]).unwrap();
        old.with_tx(|tx| {
            tx.execute(
                "INSERT INTO app_setting (key, value) VALUES ('language', 'sv')",
                [],
            )?;
            Ok(())
        })
        .unwrap();
    }
    let db = Db::open(&path).unwrap();
    let verification = db.read(tillit::audit::verify).unwrap();
    assert!(verification.intact(), "{}", verification.sentence());
    assert_eq!(
        (verification.entries, verification.rows_checked),
        (1, 1),
        "the one row found is recorded as found"
    );
}
