use super::*;

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
            conditions: Vec::new(),
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
    // A newer rule set, and the reopened assessment re-evaluated under it.
    sign_in(&db, "admin");
    let mut rules = default_rule_set();
    rules.step1.min_total_percent = 65;
    tillit::operations::save_rules(&db, &rules, "Threshold 65 %").unwrap();
    sign_in(&db, "olivia");
    workflow::reevaluate(&db, id).unwrap();
    sign_in(&db, "admin");
    let text = tillit::interchange::json::export_text(&db).unwrap();
    let copy = crate::support::empty_at(Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    tillit::interchange::json::import_text(&copy, &text).unwrap();
    let again = tillit::interchange::json::export_text(&copy).unwrap();
    let events = |text: &str| {
        let value: serde_json::Value = serde_json::from_str(text).unwrap();
        let supplier = &value["suppliers"][0];
        (
            supplier["assessments"][0]["events"].clone(),
            supplier["assessments"][0]["step1"]["evidence"].clone(),
            supplier["subcontractors"][0]["services"].clone(),
            supplier["assessments"][0]["reevaluations"].clone(),
            value["rule_sets"].clone(),
        )
    };
    let (before, after) = (events(&text), events(&again));
    assert_eq!(before, after);
    assert_eq!(before.0.as_array().unwrap().len(), 2, "{}", before.0);
    assert_eq!(before.2, serde_json::json!([service]));
    assert_eq!(before.3.as_array().unwrap().len(), 1, "{}", before.3);
    assert_eq!(before.4.as_array().unwrap().len(), 2, "{}", before.4);
    assert_eq!(text, again, "the whole file, byte for byte");
    assert_eq!(status(&copy, supplier), SupplierStatus::InAssessment);
}
