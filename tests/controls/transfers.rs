use super::*;

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
            serves: None,
            ..Default::default()
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
        sentence.contains("India): forbidden. Through the subcontractor Bangalore Ops Pvt Ltd."),
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
