use super::*;

/// An approved essential supplier, as `olivia`.
pub(super) fn approved(db: &Db) -> (SupplierId, ServiceId, AssessmentId) {
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
    // Said in every language when it was recorded, the English as stored.
    let said = follow_up.events[0].reason_said.as_ref().expect("said");
    assert_eq!(said.en, follow_up.events[0].reason);
    assert_eq!(follow_up.reassessment_said.as_ref(), Some(said));
}

/// The Swedish reason of the latest event.
fn swedish_reason(db: &Db, supplier: SupplierId) -> String {
    review::follow_up(db, supplier).unwrap().events[0]
        .reason_said
        .clone()
        .expect("said")
        .sv
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
        "the service Ärendesystem changed (data stored in: SE → DE, SE)",
    );
    assert_eq!(
        swedish_reason(&db, supplier),
        "tjänsten Ärendesystem ändrades (data lagras i: SE → DE, SE)"
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
        "the evidence ISO 27001 (ISO/IEC 27001) that step 1 relied on is no longer valid: it was current until 2026-12-31",
    );
    assert_eq!(
        swedish_reason(&db, supplier),
        "beviset ISO 27001 (ISO/IEC 27001) som steg 1 byggde på gäller inte längre: det var giltigt till och med 2026-12-31"
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
