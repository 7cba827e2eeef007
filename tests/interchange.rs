//! Interchange: the JSON register round trip and the all-or-nothing imports.

use crate::support::{db, empty_at, fields_of, swedish_supplier};

/// A new machine's empty database, on the test clock.
fn empty() -> tillit::Db {
    empty_at(chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 3, 1, 9, 0, 0).unwrap())
}
use chrono::NaiveDate;
use tillit::error::ValidationCode;
use tillit::interchange::{csv_import, json};
use tillit::supplier::*;

/// A register with every kind of record and field filled.
pub fn full_register(db: &tillit::Db) {
    let mut fields = swedish_supplier("Åkesson & Öberg Säkerhet AB");
    fields.lei = "506700GE1G29325QX363".into();
    fields.euid = "SEBOLREG.5560125790".into();
    fields.vat_number = "SE556012579001".into();
    fields.parent_name = "Cloudco Inc.".into();
    fields.parent_identifier = "CIK 0001234567".into();
    fields.parent_country = "US".into();
    fields.website = "https://example.se".into();
    fields.contact_name = "Märta Ängström".into();
    fields.contact_email = "marta@example.se".into();
    fields.internal_owner = "IT-avdelningen".into();
    fields.tier = Tier::Critical;
    fields.dpf_certified = true;
    fields.exposure_override = Some(true);
    fields.exposure_override_justification = "Confirmed by legal, 2026-01-15.".into();
    fields.notes = "Rad 1\nRad 2 — “citat”".into();
    let id = create_supplier(db, fields).unwrap().supplier.id;
    let critical = crate::support::critical_function(db);
    add_service(
        db,
        id,
        ServiceFields {
            name: "Lönehantering".into(),
            description: "Payroll as a service".into(),
            service_type: "SaaS".into(),
            ict_service_type: Some(tillit::supplier::IctServiceType::CloudSaas),
            data_classification: DataClassification::StrictlyConfidential,
            data_sensitivity: Some(tillit::supplier::DataSensitivity::High),
            personal_data: PersonalData::SpecialCategory,
            storage_countries: vec!["SE".into(), "FI".into()],
            access_countries: vec!["SE".into(), "US".into()],
            functions: vec![critical],
            reliance: Reliance::Full,
            substitutability: Substitutability::NotSubstitutable,
            substitutability_reason: Some(SubstitutabilityReason::Both),
            reintegration: Some(Reintegration::HighlyComplex),
            discontinuing_impact: Some(Impact::High),
            rto_hours: Some(4),
            rpo_hours: Some(1),
            sla_availability_percent: Some(99.95),
            contract_reference: "AVT-2025-017".into(),
            contract_arrangement: Some(tillit::supplier::ContractArrangement::Subsequent),
            overarching_contract: "RAM-2024-001".into(),
            contract_start: NaiveDate::from_ymd_opt(2025, 1, 1),
            contract_end: NaiveDate::from_ymd_opt(2027, 12, 31),
            renewal_date: NaiveDate::from_ymd_opt(2027, 9, 30),
            notice_period_supplier_days: Some(180),
            notice_period_customer_days: Some(90),
            governing_law_country: "SE".into(),
            annual_cost: Some(2_400_000),
            currency: "SEK".into(),
            exit_plan: true,
            alternative_providers: "Visma, Fortnox".into(),
        },
    )
    .unwrap();
    add_subcontractor(
        db,
        id,
        SubcontractorFields {
            name: "Hyperscale Storage LLC".into(),
            country: "US".into(),
            role: "Backup storage".into(),
            stores_data: true,
            accesses_data: false,
            services: Vec::new(),
            serves: None,
            ..Default::default()
        },
    )
    .unwrap();
    // Further down the chain, and before it by name: a file lists it first.
    let storage = tillit::supplier::supplier_detail(db, id)
        .unwrap()
        .subcontractors[0]
        .id;
    add_subcontractor(
        db,
        id,
        SubcontractorFields {
            name: "Aircool Facilities AB".into(),
            country: "SE".into(),
            registration_number: "5560125790".into(),
            lei: "506700ge1g29325qx363".into(),
            role: "Cooling of the storage halls".into(),
            serves: Some(storage),
            ..Default::default()
        },
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    add_evidence(
        db,
        id,
        EvidenceFields {
            kind: EvidenceKind::Soc2Type2,
            title: "SOC 2 Type II 2025".into(),
            issuer: "KPMG".into(),
            scope: "Payroll platform".into(),
            valid_from: NaiveDate::from_ymd_opt(2025, 1, 1),
            valid_until: NaiveDate::from_ymd_opt(2025, 12, 31),
        },
        None,
        dir.path(),
    )
    .unwrap();
    assess(db, id);
    create_supplier(db, swedish_supplier("Alfa Konsult AB")).unwrap();
}

/// An assessment with every part: step 1 escalated and resolved, and step 2
/// of the service with risks and requirement marks.
fn assess(db: &tillit::Db, supplier: SupplierId) {
    use tillit::assessment::risk::Rating;
    use tillit::assessment::step1::{Step1Input, Step1Outcome};
    use tillit::assessment::workflow::{
        self, RequirementMark, RequirementStatus, Risk, ServiceInput, Treatment,
    };
    let detail = supplier_detail(db, supplier).unwrap();
    let assessment =
        workflow::start(db, supplier, NaiveDate::from_ymd_opt(2026, 3, 1).unwrap()).unwrap();
    let mut input = Step1Input {
        ratings: tillit::rules::default_rule_set()
            .criteria
            .iter()
            .map(|c| (c.key.clone(), 2))
            .collect(),
        compensating_controls: "Quarterly penetration tests by an external firm".into(),
        ..Step1Input::default()
    };
    input.notes.insert(
        "financial_stability".into(),
        "Årsredovisning 2025, kreditbetyg AA".into(),
    );
    input
        .evidence
        .insert("certification".into(), vec![detail.evidence[0].id]);
    workflow::save_step1(db, assessment.id, input).unwrap();
    crate::support::sign_in(db, "magnus");
    workflow::resolve_escalation(
        db,
        assessment.id,
        Step1Outcome::Approved,
        "Compensated by contract terms",
    )
    .unwrap();
    crate::support::sign_in(db, "olivia");
    let risk = |dimension: &str, residual: u8| Risk {
        dimension: dimension.into(),
        description: format!("Risk för {dimension}"),
        inherent: Rating {
            likelihood: 4,
            impact: 4,
        },
        treatment: Treatment::Mitigate,
        controls: "Kryptering".into(),
        residual: Rating {
            likelihood: residual,
            impact: 3,
        },
        owner: String::new(),
    };
    workflow::save_service(
        db,
        assessment.id,
        detail.services[0].id,
        ServiceInput {
            risks: vec![
                risk("data_protection", 2),
                risk("availability", 3),
                risk("business_impact", 1),
            ],
            requirements: vec![RequirementMark {
                key: "encryption".into(),
                status: RequirementStatus::NotApplicable,
                justification: "Data is tokenised before it leaves us".into(),
            }],
            standard_contractual_clauses: true,
            transfer_impact_assessment: false,
        },
    )
    .unwrap();
}

/// The register file is written in parts (the suppliers 200 to a part, on
/// several threads); it is byte for byte the document pretty-printed whole,
/// for no supplier, one, an odd and an even number, and the trail records
/// the SHA-256 and size of exactly those bytes.
#[test]
fn the_register_file_is_the_whole_document_pretty_printed_and_recorded_by_its_sha256() {
    let db = db();
    let mut names = vec![];
    for count in 0..5 {
        if count > 0 {
            let name = format!("Leverantör {count} AB");
            create_supplier(&db, swedish_supplier(&name)).unwrap();
            names.push(name);
        }
        if count == 3 {
            full_register(&db);
        }
        let text = json::export_text(&db).unwrap();
        let document: json::RegisterDocument = serde_json::from_str(&text).unwrap();
        assert_eq!(
            text,
            format!("{}\n", serde_json::to_string_pretty(&document).unwrap()),
            "{count} suppliers written"
        );
        for name in &names {
            assert!(
                text.contains(&format!("\n      \"legal_name\": \"{name}\",\n")),
                "{name} indented as an element"
            );
        }
        let page = db
            .read(|c| tillit::audit::entries(c, &tillit::audit::LogFilter::default()))
            .unwrap();
        let entry = page.entries.into_iter().max_by_key(|e| e.seq).unwrap();
        let after: serde_json::Value =
            serde_json::from_str(entry.after.as_deref().unwrap()).unwrap();
        assert_eq!(entry.action, "export");
        assert_eq!(
            after["sha256"],
            tillit::audit::sha256_hex(text.as_bytes()).as_str()
        );
        assert_eq!(after["bytes"], text.len());
        assert_eq!(after["suppliers"], document.suppliers.len());
    }
}

/// Three parts, the last of one supplier: the parts are put back in their
/// order, joined as one array, and hashed as the bytes written.
#[test]
fn a_register_of_several_parts_is_written_as_the_whole_document_in_order() {
    let db = crate::support::generated(401, 3);
    let text = json::export_text(&db).unwrap();
    let document: json::RegisterDocument = serde_json::from_str(&text).unwrap();
    let whole = json::export(&db).unwrap();
    let ids = |d: &json::RegisterDocument| -> Vec<_> {
        d.suppliers.iter().map(|s| s.supplier.id).collect()
    };
    assert_eq!(ids(&document).len(), 401);
    assert_eq!(
        ids(&document),
        ids(&whole),
        "every supplier, in the register's order"
    );
    assert_eq!(
        text,
        format!("{}\n", serde_json::to_string_pretty(&whole).unwrap())
    );
    let page = db
        .read(|c| tillit::audit::entries(c, &tillit::audit::LogFilter::default()))
        .unwrap();
    let entry = page.entries.into_iter().max_by_key(|e| e.seq).unwrap();
    let after: serde_json::Value = serde_json::from_str(entry.after.as_deref().unwrap()).unwrap();
    assert_eq!(entry.action, "export");
    assert_eq!(
        after["sha256"],
        tillit::audit::sha256_hex(text.as_bytes()).as_str()
    );
    assert_eq!(after["bytes"], text.len());
}

#[test]
fn export_import_export_gives_identical_json() {
    let source = db();
    full_register(&source);
    let signed_in = source.signed_in().unwrap().username;
    crate::support::sign_in(&source, "admin");
    tillit::settings::save_organisation(&source, crate::support::banken()).unwrap();
    crate::support::sign_in(&source, &signed_in);
    let first = json::export_text(&source).unwrap();

    let target = empty();
    let summary = json::import_text(&target, &first).unwrap();
    let second = json::export_text(&target).unwrap();

    assert_eq!(summary.suppliers, 2);
    assert_eq!(
        (summary.services, summary.subcontractors, summary.evidence),
        (1, 2, 1)
    );
    assert_eq!(first, second);
    assert_eq!(
        tillit::settings::organisation(&target).unwrap().legal_name,
        "Banken i Norr AB",
        "the organisation's profile travels with its register"
    );
    assert!(
        first.contains("Åkesson & Öberg Säkerhet AB") && first.contains("“citat”"),
        "Unicode kept as is"
    );
    assert!(
        first.contains("\"override\""),
        "the computed exposure is exported"
    );
    assert!(
        first.contains("\"step1_result\"") && first.contains("\"rule_sets\""),
        "assessments and their rule sets are exported"
    );
    assert!(
        first.contains("Magnus Manager") && first.contains("Årsredovisning 2025"),
        "the inputs travel with the file"
    );
}

#[test]
fn the_organisation_in_a_register_file_is_taken_only_by_an_administrator_into_a_database_without_one(
) {
    let source = db();
    full_register(&source);
    crate::support::sign_in(&source, "admin");
    tillit::settings::save_organisation(&source, crate::support::banken()).unwrap();
    let text = json::export_text(&source).unwrap();

    // An officer may not describe the organisation: the import is refused
    // whole, and writes nothing.
    let profile = serde_json::to_string(&crate::support::banken()).unwrap();
    // A file with one plain supplier and the profile `profile`.
    let plain = db();
    create_supplier(&plain, swedish_supplier("Norrsken Drift AB")).unwrap();
    let plain: serde_json::Value =
        serde_json::from_str(&json::export_text(&plain).unwrap()).unwrap();
    let only = |profile: &str| {
        let mut file = plain.clone();
        file["organisation"] = serde_json::from_str(profile).unwrap();
        file.to_string()
    };
    let target = db();
    let error = json::import_text(&target, &only(&profile)).unwrap_err();
    assert!(matches!(error, tillit::Error::Forbidden { .. }), "{error}");
    assert!(all_details(&target).unwrap().is_empty());
    assert_eq!(
        tillit::settings::organisation(&target).unwrap(),
        Default::default()
    );
    // From an administrator it is taken.
    crate::support::sign_in(&target, "admin");
    crate::support::grant_roles(
        &target,
        "admin",
        &[
            tillit::approval::Role::Administrator,
            tillit::approval::Role::ProcurementOfficer,
        ],
    );
    crate::support::sign_in(&target, "admin");
    json::import_text(&target, &only(&profile)).unwrap();
    assert_eq!(
        tillit::settings::organisation(&target).unwrap(),
        crate::support::banken()
    );

    // A database that describes its own organisation keeps it.
    let own = empty();
    let mine = tillit::settings::Organisation {
        legal_name: "Kommunen i Väst".into(),
        country: "SE".into(),
        ..Default::default()
    };
    tillit::settings::save_organisation(&own, mine.clone()).unwrap();
    json::import_text(&own, &text).unwrap();
    assert_eq!(tillit::settings::organisation(&own).unwrap(), mine);

    // A profile that does not check out is named by its field.
    let bad = only(&profile.replace("506700GE1G29325QX363", "506700GE1G29325QX364"));
    let error = json::import_text(&empty(), &bad).unwrap_err();
    assert!(
        crate::support::fields_of(&error).contains(&"organisation.lei".to_owned()),
        "{error}"
    );
    // So is a kind of entity DORA does not know, and an amount without its currency.
    let bad = only(
        &profile
            .replace("credit_institution", "bank")
            .replace("\"SEK\"", "\"\""),
    );
    let target = empty();
    let error = json::import_text(&target, &bad).unwrap_err();
    assert!(
        crate::support::fields_of(&error).contains(&"organisation.entity_type".to_owned()),
        "{error}"
    );
    assert!(all_details(&target).unwrap().is_empty(), "nothing written");
    let bad = only(&profile.replace("\"SEK\"", "\"\""));
    let error = json::import_text(&empty(), &bad).unwrap_err();
    assert!(
        crate::support::fields_of(&error).contains(&"organisation.currency".to_owned()),
        "{error}"
    );
}

#[test]
fn results_in_a_register_file_are_recomputed_not_trusted() {
    let source = db();
    full_register(&source);
    let mut document = json::export(&source).unwrap();
    let assessment = &mut document.suppliers[1].assessments[0];
    let result = assessment.step1_result.as_mut().unwrap();
    result.outcome = tillit::assessment::step1::Step1Outcome::Approved;
    result.reasons.clear();

    let target = empty();
    json::import_text(&target, &serde_json::to_string(&document).unwrap()).unwrap();

    let imported = &json::export(&target).unwrap().suppliers[1].assessments[0];
    assert_eq!(
        imported.step1_result.as_ref().unwrap().outcome,
        tillit::assessment::step1::Step1Outcome::Escalate,
        "22 of 33 escalates, whatever the file claims"
    );
}

#[test]
fn a_json_import_with_one_bad_supplier_writes_nothing_and_names_row_and_field() {
    let source = db();
    full_register(&source);
    let mut document = json::export(&source).unwrap();
    // Row 1 is Alfa Konsult AB, row 2 Åkesson & Öberg (å sorts after z).
    document.suppliers[0]
        .supplier
        .fields
        .country_of_headquarters = "XX".into();
    document.suppliers[1].services[0]
        .fields
        .storage_countries
        .push("ZZ".into());
    let text = serde_json::to_string(&document).unwrap();

    let target = empty();
    let error = json::import_text(&target, &text).unwrap_err();

    let errors = error.field_errors();
    assert_eq!(errors.len(), 2, "{error}");
    assert_eq!(
        (errors[0].row, errors[0].field.as_str()),
        (Some(1), "suppliers[0].country_of_headquarters")
    );
    assert_eq!(
        (errors[1].row, errors[1].field.as_str()),
        (Some(2), "suppliers[1].services[0].storage_countries")
    );
    assert_eq!(
        list_register(&target, &RegisterQuery::default())
            .unwrap()
            .total,
        0
    );
}

#[test]
fn the_dora_type_and_sensitivity_of_a_service_travel_in_the_register_file_and_an_unknown_one_is_named(
) {
    let source = db();
    full_register(&source);
    let text = json::export_text(&source).unwrap();
    let target = empty();
    json::import_text(&target, &text).unwrap();
    let services = &json::export(&target).unwrap().suppliers[1].services;
    assert_eq!(
        (
            services[0].fields.ict_service_type,
            services[0].fields.data_sensitivity
        ),
        (
            Some(tillit::supplier::IctServiceType::CloudSaas),
            Some(tillit::supplier::DataSensitivity::High)
        )
    );

    // A code instead of Tillit's name, or a level that is not one: named by row and field.
    for (bad, field) in [
        (
            text.replace("\"cloud_saas\"", "\"S19\""),
            "suppliers[1].services[0].ict_service_type",
        ),
        (
            text.replace(
                "\"data_sensitivity\": \"high\"",
                "\"data_sensitivity\": \"extreme\"",
            ),
            "suppliers[1].services[0].data_sensitivity",
        ),
    ] {
        assert_ne!(bad, text);
        let target = empty();
        let fields = crate::support::fields_of(&json::import_text(&target, &bad).unwrap_err());
        assert_eq!(fields, [field]);
        assert_eq!(
            list_register(&target, &RegisterQuery::default())
                .unwrap()
                .total,
            0
        );
    }

    // A file written before the fields existed imports with them not given.
    let mut older: serde_json::Value = serde_json::from_str(&text).unwrap();
    for supplier in older["suppliers"].as_array_mut().unwrap() {
        for service in supplier["services"].as_array_mut().unwrap() {
            let service = service.as_object_mut().unwrap();
            service.remove("ict_service_type");
            service.remove("data_sensitivity");
        }
    }
    let target = empty();
    json::import_text(&target, &older.to_string()).unwrap();
    let services = &json::export(&target).unwrap().suppliers[1].services;
    assert_eq!(services[0].fields.ict_service_type, None);
    assert_eq!(services[0].fields.data_sensitivity, None);
}

#[test]
fn the_subcontracting_chain_travels_in_the_register_file_and_a_loop_in_one_is_named() {
    let source = db();
    full_register(&source);
    let document = json::export(&source).unwrap();
    let chain = |document: &json::RegisterDocument| -> Vec<(String, Option<String>)> {
        let subs = &document.suppliers[1].subcontractors;
        subs.iter()
            .map(|s| {
                (
                    s.fields.name.clone(),
                    s.fields.serves.map(|up| {
                        subs.iter()
                            .find(|o| o.id == up)
                            .unwrap()
                            .fields
                            .name
                            .clone()
                    }),
                )
            })
            .collect()
    };
    assert_eq!(
        chain(&document),
        [
            (
                "Aircool Facilities AB".to_owned(),
                Some("Hyperscale Storage LLC".to_owned())
            ),
            ("Hyperscale Storage LLC".to_owned(), None)
        ]
    );
    let target = empty();
    json::import_text(&target, &serde_json::to_string(&document).unwrap()).unwrap();
    assert_eq!(chain(&json::export(&target).unwrap()), chain(&document));

    // Each working for the other: refused, named by row and field.
    let mut looped = document.clone();
    let subs = &mut looped.suppliers[1].subcontractors;
    let first = subs[0].id;
    subs[1].fields.serves = Some(first);
    let target = empty();
    let error = json::import_text(&target, &serde_json::to_string(&looped).unwrap()).unwrap_err();
    assert!(
        fields_of(&error)
            .iter()
            .any(|f| f.ends_with("subcontractors[0].serves")
                || f.ends_with("subcontractors[1].serves")),
        "{error}"
    );
    assert_eq!(
        list_register(&target, &RegisterQuery::default())
            .unwrap()
            .total,
        0
    );
}

#[test]
fn importing_a_supplier_that_is_already_registered_is_refused_whole() {
    let db = db();
    full_register(&db);
    let text = json::export_text(&db).unwrap();
    let error = json::import_text(&db, &text).unwrap_err();
    assert_eq!(error.field_errors()[0].code, ValidationCode::Duplicate);
    assert_eq!(
        list_register(&db, &RegisterQuery::default()).unwrap().total,
        2
    );
}

/// Found by fuzzing the JSON importer: a service id the file gives twice, or
/// one already in the database under another supplier, was a database error
/// instead of a field error of the supplier's row.
#[test]
fn a_service_id_given_twice_or_already_stored_is_refused_naming_the_row() {
    let source = db();
    full_register(&source);
    let mut document = json::export(&source).unwrap();
    // Row 2, Åkesson & Öberg, has services; row 1 gets a copy of its first, which row 2 then repeats.
    let first_service = document.suppliers[1].services[0].id;
    let mut copy = document.suppliers[1].services[0].clone();
    copy.id = first_service;
    document.suppliers[0].services.push(copy);
    let text = serde_json::to_string(&document).unwrap();

    let target = empty();
    let before = target.info().unwrap();
    let error = json::import_text(&target, &text).unwrap_err();
    let errors = error.field_errors();
    assert_eq!(errors.len(), 1, "{error}");
    assert_eq!(
        (errors[0].row, errors[0].field.as_str(), errors[0].code),
        (
            Some(2),
            "suppliers[1].services[0].id",
            ValidationCode::Duplicate
        ),
        "{error}"
    );
    assert_eq!(target.info().unwrap(), before, "nothing written");

    // The same service id under a supplier the database does not hold yet.
    let mut document = json::export(&source).unwrap();
    document.suppliers.remove(0);
    document.suppliers[0].supplier.id = SupplierId(uuid::Uuid::new_v4());
    let text = serde_json::to_string(&document).unwrap();
    let before = source.info().unwrap();
    let error = json::import_text(&source, &text).unwrap_err();
    assert_eq!(error.field_errors()[0].row, Some(1), "{error}");
    assert_eq!(error.field_errors()[0].code, ValidationCode::Duplicate);
    assert_eq!(source.info().unwrap(), before, "nothing written");
}

#[test]
fn a_file_that_is_not_a_register_says_so() {
    let error = json::import_text(&db(), "{\"suppliers\": 3}").unwrap_err();
    assert_eq!(error.field_errors()[0].field, "file");
    let error =
        json::import_text(&db(), r#"{"format":"other","version":1,"suppliers":[]}"#).unwrap_err();
    assert_eq!(error.field_errors()[0].field, "format");
}

const HEADER: &str = "legal_name;registration_number;country_of_incorporation;country_of_headquarters;tier;dpf_certified;parent_name;parent_country";

#[test]
fn a_semicolon_csv_with_a_bom_imports_swedish_text_unchanged() {
    let db = db();
    let csv = format!(
        "\u{feff}{HEADER}\n\"Åkesson; Öberg AB\";556012-5790;SE;SE;critical;nej;;\nMolnet AB;5560160680;se;se;Essential;ja;Cloudco Inc.;US\n"
    );
    let summary = csv_import::import(&db, csv.as_bytes(), |_| {}).unwrap();
    assert_eq!(summary.suppliers, 2);
    let page = list_register(&db, &RegisterQuery::default()).unwrap();
    assert_eq!(page.rows[0].legal_name, "Molnet AB");
    assert!(
        page.rows[0].exposed,
        "the US parent from the CSV is taken into account"
    );
    assert_eq!(page.rows[0].registration_number, "556016-0680");
    assert_eq!(page.rows[1].legal_name, "Åkesson; Öberg AB");
    assert_eq!(page.rows[1].tier, Tier::Critical);
}

#[test]
fn a_comma_csv_without_a_bom_imports_too() {
    let db = db();
    let csv = "legal_name,country_of_incorporation,country_of_headquarters,tier\nBeta GmbH,DE,DE,standard\n";
    assert_eq!(
        csv_import::import(&db, csv.as_bytes(), |_| {})
            .unwrap()
            .suppliers,
        1
    );
}

#[test]
fn a_csv_says_which_supplier_is_an_individual_and_an_unknown_type_of_person_is_named() {
    let db = db();
    let csv = "legal_name,person_type,country_of_incorporation,country_of_headquarters,tier
Beta GmbH,,DE,DE,standard
Eva Konsult,Individual,SE,SE,standard
";
    assert_eq!(
        csv_import::import(&db, csv.as_bytes(), |_| {})
            .unwrap()
            .suppliers,
        2
    );
    let kinds: Vec<(String, tillit::supplier::PersonType)> = all_details(&db)
        .unwrap()
        .into_iter()
        .map(|d| (d.supplier.fields.legal_name, d.supplier.fields.person_type))
        .collect();
    assert!(kinds.contains(&(
        "Beta GmbH".into(),
        tillit::supplier::PersonType::LegalPerson
    )));
    assert!(kinds.contains(&(
        "Eva Konsult".into(),
        tillit::supplier::PersonType::Individual
    )));

    let bad = "legal_name,person_type,country_of_incorporation,country_of_headquarters,tier
Gamma AB,person,SE,SE,standard
";
    let target = self::db();
    let error = csv_import::import(&target, bad.as_bytes(), |_| {}).unwrap_err();
    let found = error.field_errors();
    assert_eq!(
        found
            .iter()
            .map(|e| (e.row, e.field.as_str(), e.code))
            .collect::<Vec<_>>(),
        [(Some(2), "person_type", ValidationCode::UnknownValue)],
        "{error}"
    );
    assert!(all_details(&target).unwrap().is_empty());
}

#[test]
fn a_csv_with_an_unknown_or_missing_column_is_refused_before_any_row() {
    let csv = "legal_name,country,tier\nBeta GmbH,DE,standard\n";
    let error = csv_import::import(&db(), csv.as_bytes(), |_| {}).unwrap_err();
    let fields: Vec<_> = error
        .field_errors()
        .iter()
        .map(|e| (e.row, e.field.as_str()))
        .collect();
    assert_eq!(
        fields,
        [
            (Some(1), "country"),
            (Some(1), "country_of_incorporation"),
            (Some(1), "country_of_headquarters")
        ]
    );
}

/// A valid organisation number for row `n` (Luhn check digit computed).
fn org_number(n: usize) -> String {
    let body = format!("55{:07}", n);
    let digits: Vec<u32> = body.chars().map(|c| c.to_digit(10).unwrap()).collect();
    let sum: u32 = digits
        .iter()
        .enumerate()
        .map(|(i, &d)| {
            if i % 2 == 0 {
                let x = d * 2;
                if x > 9 {
                    x - 9
                } else {
                    x
                }
            } else {
                d
            }
        })
        .sum();
    format!("{}-{}{}", &body[..6], &body[6..], (10 - sum % 10) % 10)
}

/// A CSV of `rows` valid suppliers; the supplier on spreadsheet row `bad_row`
/// (the header is row 1) gets a wrong check digit.
fn big_csv(rows: usize, bad_row: Option<usize>) -> String {
    let mut csv = String::from(HEADER);
    csv.push('\n');
    for i in 0..rows {
        let row = i + 2;
        let mut number = org_number(i);
        if Some(row) == bad_row {
            let last = number.pop().unwrap().to_digit(10).unwrap();
            number.push(char::from_digit((last + 1) % 10, 10).unwrap());
        }
        let tier = ["critical", "essential", "standard"][i % 3];
        csv.push_str(&format!(
            "Leverantör {i:05} AB;{number};SE;SE;{tier};nej;;\n"
        ));
    }
    csv
}

#[test]
fn ten_thousand_valid_rows_import_in_one_go() {
    let db = db();
    let summary = csv_import::import(&db, big_csv(10_000, None).as_bytes(), |_| {}).unwrap();
    assert_eq!(summary.suppliers, 10_000);
    let page = list_register(
        &db,
        &RegisterQuery {
            tier: Some(Tier::Critical),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!((page.total, page.rows.len()), (10_000, 3334));
}

#[test]
fn ten_thousand_rows_with_one_bad_organisation_number_at_row_9000_write_nothing() {
    let db = db();
    create_supplier(&db, swedish_supplier("Redan Registrerad AB")).unwrap();
    let before = json::export_text(&db).unwrap();

    let error =
        csv_import::import(&db, big_csv(10_000, Some(9_000)).as_bytes(), |_| {}).unwrap_err();

    let errors = error.field_errors();
    assert_eq!(errors.len(), 1, "{error}");
    assert_eq!(errors[0].row, Some(9_000));
    assert_eq!(errors[0].field, "registration_number");
    assert_eq!(errors[0].code, ValidationCode::Checksum);
    assert_eq!(
        json::export_text(&db).unwrap(),
        before,
        "the database is unchanged"
    );
}

#[test]
fn every_row_of_a_csv_is_written_once_in_the_files_order_with_its_own_entry_however_many_rows() {
    // Rows go in many to a statement (64, 32, …, 1): every count around
    // those sizes, with the trail intact after each.
    for rows in [1, 2, 3, 63, 64, 65, 100, 131] {
        let db = db();
        let summary = csv_import::import(&db, big_csv(rows, None).as_bytes(), |_| {}).unwrap();
        assert_eq!(summary.suppliers as usize, rows);
        let (stored, recorded) = db
            .read(|conn| {
                let stored: Vec<(String, String, String)> = conn
                    .prepare("SELECT id, legal_name, registration_number FROM supplier ORDER BY sort_key")?
                    .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                    .collect::<Result<_, _>>()?;
                let recorded: Vec<(String, String)> = conn
                    .prepare("SELECT entity_id, after FROM audit_log WHERE entity = 'supplier' AND action = 'create' ORDER BY seq")?
                    .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                    .collect::<Result<_, _>>()?;
                Ok((stored, recorded))
            })
            .unwrap();
        let expected: Vec<(String, String)> = (0..rows)
            .map(|i| (format!("Leverantör {i:05} AB"), org_number(i)))
            .collect();
        let names: Vec<(String, String)> = stored
            .iter()
            .map(|(_, name, number)| (name.clone(), number.clone()))
            .collect();
        assert_eq!(names, expected, "{rows} rows");
        assert_eq!(recorded.len(), rows, "one entry per supplier");
        for ((id, name, _), (entity_id, after)) in stored.iter().zip(&recorded) {
            assert_eq!(id, entity_id, "{rows} rows: entries in the file's order");
            let after: serde_json::Value = serde_json::from_str(after).unwrap();
            assert_eq!(after["legal_name"], name.as_str());
        }
        let verification = db.read(tillit::audit::verify).unwrap();
        assert_eq!(
            (
                verification.first_mismatch,
                verification.row_mismatches.len()
            ),
            (None, 0),
            "{rows} rows"
        );
    }
}
