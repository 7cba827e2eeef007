//! The organisation's business functions (DOMAIN §1): kept by an
//! administrator, supported by services, and the source of whether a
//! service supports a critical or important function.

use crate::support::{critical_function, db, fields_of, sign_in, swedish_supplier};
use chrono::NaiveDate;
use tillit::interchange::json;
use tillit::supplier::*;

fn function(name: &str, criticality: Criticality) -> FunctionFields {
    FunctionFields {
        name: name.into(),
        criticality,
        criticality_reason: if criticality == Criticality::Critical {
            "Stops the customers' payments".into()
        } else {
            String::new()
        },
        ..FunctionFields::default()
    }
}

fn service(name: &str, functions: &[&str]) -> ServiceFields {
    ServiceFields {
        name: name.into(),
        functions: functions.iter().map(|f| (*f).to_owned()).collect(),
        ..ServiceFields::default()
    }
}

#[test]
fn an_administrator_keeps_the_functions_numbered_f1_f2_and_each_problem_is_named() {
    let db = db();
    // An officer may not add one.
    let refused = create_function(&db, function("Betalningar", Criticality::Critical)).unwrap_err();
    assert!(
        matches!(refused, tillit::Error::Forbidden { .. })
            && refused.to_string().contains("administrator"),
        "{refused}"
    );
    sign_in(&db, "admin");
    let first = create_function(&db, function("Betalningar", Criticality::Critical)).unwrap();
    let second = create_function(&db, function("Kundtjänst", Criticality::NotCritical)).unwrap();
    assert_eq!((first.id.as_str(), second.id.as_str()), ("F1", "F2"));

    let bad = FunctionFields {
        name: "  ".into(),
        licensed_activity: "eba_TA:x9999".into(),
        criticality: Criticality::Critical,
        criticality_reason: String::new(),
        assessed_on: NaiveDate::from_ymd_opt(2027, 1, 1),
        rto_hours: Some(24 * 400),
        rpo_hours: None,
        discontinuing_impact: None,
    };
    let error = create_function(&db, bad).unwrap_err();
    assert_eq!(
        fields_of(&error),
        [
            "name",
            "licensed_activity",
            "criticality_reason",
            "rto_hours",
            "assessed_on"
        ]
    );
    assert_eq!(list_functions(&db).unwrap().len(), 2, "nothing added");

    // A licensed activity from the register's list is kept.
    let mut fields = first.fields.clone();
    fields.licensed_activity = " eba_TA:x28 ".into();
    let changed = update_function_based_on(&db, "F1", fields, Some(first.fields.clone())).unwrap();
    assert_eq!(changed.fields.licensed_activity, "eba_TA:x28");
    // A form opened on what was saved before is refused as stale.
    let stale = update_function_based_on(
        &db,
        "F1",
        function("Betalningar och kort", Criticality::Critical),
        Some(first.fields),
    )
    .unwrap_err();
    assert!(matches!(stale, tillit::Error::Stale { .. }), "{stale}");
    // A removed number is not given again.
    remove_function(&db, "F2").unwrap();
    let third = create_function(&db, function("Utlåning", Criticality::NotCritical)).unwrap();
    assert_eq!(third.id, "F3", "F2 named another function once");
}

#[test]
fn a_service_supports_critical_functions_by_its_links_and_follows_their_assessment() {
    let db = db();
    let critical = critical_function(&db);
    sign_in(&db, "admin");
    let other = create_function(
        &db,
        function("Intern administration", Criticality::NotCritical),
    )
    .unwrap()
    .id;
    sign_in(&db, "olivia");
    let supplier = create_supplier(&db, swedish_supplier("Molnet AB"))
        .unwrap()
        .supplier
        .id;

    // An unknown function is refused by its field, and nothing is added.
    let error = add_service(&db, supplier, service("Drift", &["F9"])).unwrap_err();
    assert_eq!(fields_of(&error), ["functions"]);
    let error = add_service(&db, supplier, service("Drift", &["payments"])).unwrap_err();
    assert_eq!(fields_of(&error), ["functions"]);
    assert!(supplier_detail(&db, supplier).unwrap().services.is_empty());

    let detail = add_service(&db, supplier, service("Drift", &[&other])).unwrap();
    let service_id = detail.services[0].id;
    assert!(!detail.services[0].supports_critical_function);
    let detail = update_service(
        &db,
        service_id,
        service("Drift", &[&other, &critical, &critical]),
    )
    .unwrap();
    assert_eq!(
        detail.services[0].fields.functions,
        [critical.clone(), other.clone()]
    );
    assert!(detail.services[0].supports_critical_function);

    // The function assessed again as not critical: the service follows.
    sign_in(&db, "admin");
    let mut fields = list_functions(&db).unwrap()[0].fields.clone();
    fields.criticality = Criticality::NotCritical;
    update_function_based_on(&db, &critical, fields, None).unwrap();
    let detail = supplier_detail(&db, supplier).unwrap();
    assert!(!detail.services[0].supports_critical_function);

    // A function a service supports is not removed; the refusal names it.
    let refused = remove_function(&db, &critical).unwrap_err();
    let said = refused.to_string();
    assert!(
        said.contains("Drift") && said.contains("Molnet AB"),
        "{said}"
    );
    assert_eq!(list_functions(&db).unwrap().len(), 2);
    // Once no service supports it, it goes.
    sign_in(&db, "olivia");
    update_service(&db, service_id, service("Drift", &[&other])).unwrap();
    sign_in(&db, "admin");
    assert_eq!(remove_function(&db, &critical).unwrap().len(), 1);
    let v = db.read(tillit::audit::verify).unwrap();
    assert!(v.intact(), "{}", v.sentence());
}

#[test]
fn functions_travel_in_the_register_file_and_an_earlier_files_flag_becomes_a_function() {
    let source = db();
    let critical = critical_function(&source);
    let supplier = create_supplier(&source, swedish_supplier("Molnet AB"))
        .unwrap()
        .supplier
        .id;
    add_service(&source, supplier, service("Drift", &[&critical])).unwrap();
    add_service(&source, supplier, service("Support", &[])).unwrap();
    let text = json::export_text(&source).unwrap();
    let document = json::export(&source).unwrap();
    assert_eq!(document.functions.as_ref().unwrap().len(), 1);

    // An administrator's import brings the function and the links.
    let target = crate::support::empty_at(
        chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 3, 1, 9, 0, 0).unwrap(),
    );
    json::import_text(&target, &text).unwrap();
    let functions = list_functions(&target).unwrap();
    assert_eq!(functions, list_functions(&source).unwrap());
    let services = &json::export(&target).unwrap().suppliers[0].services;
    assert_eq!(
        services[0].fields.functions,
        std::slice::from_ref(&critical)
    );
    assert!(services[0].supports_critical_function);

    // An officer's import of a function the database lacks is refused by
    // its field, and nothing is written.
    let officer = db();
    let error = json::import_text(&officer, &text).unwrap_err();
    let fields = fields_of(&error);
    assert!(fields.contains(&"functions[0].id".to_owned()), "{fields:?}");
    assert!(list_functions(&officer).unwrap().is_empty());
    assert_eq!(
        list_register(&officer, &RegisterQuery::default())
            .unwrap()
            .total,
        0
    );

    // A function in the file with an unknown licensed activity is named.
    let bad = text.replace("\"eba_TA:x28\"", "\"eba_TA:x0\"");
    assert_ne!(bad, text);
    let error = json::import_text(&target, &bad).unwrap_err();
    assert!(fields_of(&error).contains(&"functions[0].licensed_activity".to_owned()));

    // A file of an earlier version says only whether a service supports a
    // critical or important function: it gets one, created once.
    let mut older: serde_json::Value = serde_json::from_str(&text).unwrap();
    older.as_object_mut().unwrap().remove("functions");
    for service in older["suppliers"][0]["services"].as_array_mut().unwrap() {
        service.as_object_mut().unwrap().remove("functions");
    }
    let officer = db();
    json::import_text(&officer, &older.to_string()).unwrap();
    let created = list_functions(&officer).unwrap();
    assert_eq!(created.len(), 1);
    assert_eq!(created[0].fields.criticality, Criticality::Critical);
    assert_eq!(created[0].fields.name, functions::LEGACY_NAME);
    let services = &json::export(&officer).unwrap().suppliers[0].services;
    let flags: Vec<(String, bool, Vec<String>)> = services
        .iter()
        .map(|s| {
            (
                s.fields.name.clone(),
                s.supports_critical_function,
                s.fields.functions.clone(),
            )
        })
        .collect();
    assert_eq!(
        flags,
        [
            ("Drift".to_owned(), true, vec![created[0].id.clone()]),
            ("Support".to_owned(), false, vec![])
        ]
    );
    // The same kind of file again reuses that function.
    let mut second = older.clone();
    second["suppliers"][0]["id"] = uuid::Uuid::new_v4().to_string().into();
    for service in second["suppliers"][0]["services"].as_array_mut().unwrap() {
        service["id"] = uuid::Uuid::new_v4().to_string().into();
    }
    second["suppliers"][0]["legal_name"] = "Molnet Två AB".into();
    json::import_text(&officer, &second.to_string()).unwrap();
    assert_eq!(list_functions(&officer).unwrap().len(), 1);
    let v = officer.read(tillit::audit::verify).unwrap();
    assert!(v.intact(), "{}", v.sentence());
}
