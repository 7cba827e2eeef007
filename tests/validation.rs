//! Validation in the core: every rule with valid and invalid examples, each
//! error naming its field.

use crate::support::{db, fields_of, swedish_supplier};
use chrono::NaiveDate;
use tillit::error::ValidationCode;
use tillit::supplier::{
    add_evidence, add_service, add_subcontractor, create_supplier, EvidenceFields, EvidenceKind,
    ServiceFields, SubcontractorFields,
};

fn code_of(error: &tillit::Error, field: &str) -> ValidationCode {
    error
        .field_errors()
        .iter()
        .find(|e| e.field == field)
        .unwrap_or_else(|| panic!("no error for {field}: {error}"))
        .code
}

fn d(y: i32, m: u32, day: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, day)
}

#[test]
fn a_swedish_organisation_number_must_pass_the_luhn_check() {
    let db = db();
    for valid in ["556012-5790", "5560125790", "212000-0142"] {
        let mut fields = swedish_supplier("Volvo");
        fields.registration_number = valid.into();
        let saved = create_supplier(&db, fields).unwrap_or_else(|e| panic!("{valid}: {e}"));
        assert_eq!(
            saved.supplier.fields.registration_number.len(),
            11,
            "written NNNNNN-NNNN"
        );
    }
    for (invalid, code) in [
        ("556012-5791", ValidationCode::Checksum),
        ("55601-25790", ValidationCode::Format),
        ("556012579", ValidationCode::Format),
        ("55601A-5790", ValidationCode::Format),
    ] {
        let mut fields = swedish_supplier("Volvo");
        fields.registration_number = invalid.into();
        let error = create_supplier(&db, fields).unwrap_err();
        assert_eq!(code_of(&error, "registration_number"), code, "{invalid}");
    }
}

#[test]
fn a_registration_number_outside_sweden_is_not_held_to_the_swedish_format() {
    let mut fields = swedish_supplier("Deutsche Beispiel GmbH");
    fields.country_of_incorporation = "DE".into();
    fields.registration_number = "HRB 12345".into();
    assert!(create_supplier(&db(), fields).is_ok());
}

#[test]
fn an_lei_must_have_iso_17442_check_digits() {
    let db = db();
    let mut fields = swedish_supplier("GLEIF");
    fields.lei = "506700GE1G29325QX363".into();
    assert!(create_supplier(&db, fields).is_ok());
    for (invalid, code) in [
        ("506700GE1G29325QX364", ValidationCode::Checksum),
        ("506700GE1G29325QX3", ValidationCode::Format),
        ("506700GE1G29325QX3A3", ValidationCode::Format),
    ] {
        let mut fields = swedish_supplier("GLEIF");
        fields.lei = invalid.into();
        assert_eq!(
            code_of(&create_supplier(&db, fields).unwrap_err(), "lei"),
            code,
            "{invalid}"
        );
    }
}

#[test]
fn countries_must_be_iso_3166_codes_and_are_stored_upper_case() {
    let db = db();
    let mut fields = swedish_supplier("Nordic Cloud");
    fields.country_of_headquarters = "no".into();
    fields.parent_name = "Nordic Holding".into();
    fields.parent_country = " fi ".into();
    let saved = create_supplier(&db, fields).unwrap();
    assert_eq!(saved.supplier.fields.country_of_headquarters, "NO");
    assert_eq!(saved.supplier.fields.parent_country, "FI");

    let mut fields = swedish_supplier("Nowhere Ltd");
    fields.country_of_headquarters = "UK".into();
    fields.parent_name = "Parent".into();
    fields.parent_country = "EU".into();
    let error = create_supplier(&db, fields).unwrap_err();
    assert_eq!(
        code_of(&error, "country_of_headquarters"),
        ValidationCode::UnknownCountry
    );
    assert_eq!(
        code_of(&error, "parent_country"),
        ValidationCode::UnknownCountry
    );
}

#[test]
fn required_fields_are_all_reported_at_once() {
    let fields = tillit::supplier::SupplierFields::default();
    let error = create_supplier(&db(), fields).unwrap_err();
    assert_eq!(
        fields_of(&error),
        [
            "legal_name",
            "country_of_incorporation",
            "country_of_headquarters"
        ]
    );
    assert!(error
        .field_errors()
        .iter()
        .all(|e| e.code == ValidationCode::Required));
}

#[test]
fn a_named_parent_needs_its_country_and_an_email_must_look_like_one() {
    let mut fields = swedish_supplier("Dotter AB");
    fields.parent_name = "Moder Inc".into();
    fields.contact_email = "anna.svensson at dotter.se".into();
    let error = create_supplier(&db(), fields).unwrap_err();
    assert_eq!(code_of(&error, "parent_country"), ValidationCode::Required);
    assert_eq!(code_of(&error, "contact_email"), ValidationCode::Format);
}

#[test]
fn unicode_names_round_trip_unchanged() {
    let db = db();
    let name = "Åkesson & Öberg Säkerhet AB — Zürich Müller, São Paulo, Łódź, 東京";
    let saved = create_supplier(&db, swedish_supplier(name)).unwrap();
    let read = tillit::supplier::supplier_detail(&db, saved.supplier.id).unwrap();
    assert_eq!(read.supplier.fields.legal_name, name);
}

#[test]
fn overly_long_text_is_refused_with_its_length() {
    let mut fields = swedish_supplier(&"x".repeat(301));
    fields.notes = "ok".into();
    let error = create_supplier(&db(), fields).unwrap_err();
    assert_eq!(code_of(&error, "legal_name"), ValidationCode::TooLong);
    assert!(error.to_string().contains("301"), "{error}");
}

fn service(name: &str) -> ServiceFields {
    ServiceFields {
        name: name.into(),
        storage_countries: vec!["SE".into()],
        access_countries: vec!["SE".into()],
        ..ServiceFields::default()
    }
}

#[test]
fn service_dates_must_be_in_order_and_ranges_respected() {
    let db = db();
    let supplier = create_supplier(&db, swedish_supplier("Drift AB"))
        .unwrap()
        .supplier
        .id;

    let mut ok = service("Hosting");
    ok.contract_start = d(2025, 1, 1);
    ok.contract_end = d(2027, 12, 31);
    ok.renewal_date = d(2027, 6, 30);
    ok.sla_availability_percent = Some(99.95);
    ok.annual_cost = Some(1_200_000);
    ok.currency = "sek".into();
    let saved = add_service(&db, supplier, ok).unwrap();
    assert_eq!(saved.services[0].fields.currency, "SEK");

    let mut bad = service("Backup");
    bad.contract_start = d(2025, 1, 1);
    bad.contract_end = d(2025, 1, 1);
    bad.sla_availability_percent = Some(100.5);
    bad.annual_cost = Some(-1);
    bad.currency = "kronor".into();
    bad.storage_countries = vec!["XX".into()];
    bad.rto_hours = Some(100_000);
    let error = add_service(&db, supplier, bad).unwrap_err();
    assert_eq!(code_of(&error, "contract_end"), ValidationCode::DateOrder);
    assert_eq!(
        code_of(&error, "sla_availability_percent"),
        ValidationCode::OutOfRange
    );
    assert_eq!(code_of(&error, "annual_cost"), ValidationCode::OutOfRange);
    assert_eq!(code_of(&error, "currency"), ValidationCode::Format);
    assert_eq!(
        code_of(&error, "storage_countries"),
        ValidationCode::UnknownCountry
    );
    assert_eq!(code_of(&error, "rto_hours"), ValidationCode::OutOfRange);
    assert_eq!(
        tillit::supplier::supplier_detail(&db, supplier)
            .unwrap()
            .services
            .len(),
        1,
        "nothing saved"
    );
}

#[test]
fn a_subsequent_contract_names_its_overarching_one_and_only_a_subsequent_one_does() {
    use tillit::supplier::ContractArrangement;
    let db = db();
    let supplier = create_supplier(&db, swedish_supplier("Drift AB"))
        .unwrap()
        .supplier
        .id;
    let sentence = |error: &tillit::Error| {
        error
            .field_errors()
            .iter()
            .find(|e| e.field == "overarching_contract")
            .map(|e| (e.code, e.message.clone()))
    };

    let mut orphan = service("Drift");
    orphan.contract_reference = "AVT-2026-002".into();
    orphan.contract_arrangement = Some(ContractArrangement::Subsequent);
    orphan.overarching_contract = "  ".into();
    let error = add_service(&db, supplier, orphan.clone()).unwrap_err();
    assert_eq!(
        sentence(&error),
        Some((
            ValidationCode::Required,
            "is required for a subsequent or associated contract".into()
        ))
    );

    orphan.overarching_contract = "AVT-2026-002".into();
    let error = add_service(&db, supplier, orphan.clone()).unwrap_err();
    assert_eq!(
        sentence(&error).map(|(code, _)| code),
        Some(ValidationCode::Duplicate),
        "a contract does not follow itself"
    );

    let mut framework = service("Ramavtal");
    framework.contract_reference = "RAM-2024-001".into();
    framework.contract_arrangement = Some(ContractArrangement::Overarching);
    framework.overarching_contract = "RAM-2020-001".into();
    let error = add_service(&db, supplier, framework.clone()).unwrap_err();
    assert_eq!(
        sentence(&error),
        Some((
            ValidationCode::Format,
            "is given only for a subsequent or associated contract".into()
        ))
    );
    assert!(
        tillit::supplier::supplier_detail(&db, supplier)
            .unwrap()
            .services
            .is_empty(),
        "nothing refused was saved"
    );

    framework.overarching_contract.clear();
    add_service(&db, supplier, framework).unwrap();
    orphan.overarching_contract = " RAM-2024-001 ".into();
    let saved = add_service(&db, supplier, orphan).unwrap();
    let follower = saved
        .services
        .iter()
        .find(|s| s.fields.name == "Drift")
        .unwrap();
    assert_eq!(follower.fields.overarching_contract, "RAM-2024-001");
    assert_eq!(
        follower.fields.contract_arrangement,
        Some(ContractArrangement::Subsequent)
    );
}

#[test]
fn a_reason_why_a_service_is_hard_to_replace_is_given_only_when_it_is() {
    use tillit::supplier::{Substitutability, SubstitutabilityReason};
    let db = db();
    let supplier = create_supplier(&db, swedish_supplier("Drift AB"))
        .unwrap()
        .supplier
        .id;
    let mut easy = service("Kontorsstöd");
    easy.substitutability = Substitutability::Easy;
    easy.substitutability_reason = Some(SubstitutabilityReason::NoAlternatives);
    let error = add_service(&db, supplier, easy.clone()).unwrap_err();
    assert_eq!(
        code_of(&error, "substitutability_reason"),
        ValidationCode::Format
    );
    for hard in [
        Substitutability::HighlyComplex,
        Substitutability::NotSubstitutable,
    ] {
        let mut kept = easy.clone();
        kept.name = format!("Kärnsystem {}", hard.as_str());
        kept.substitutability = hard;
        let saved = add_service(&db, supplier, kept).unwrap();
        assert!(saved
            .services
            .iter()
            .any(|s| s.fields.substitutability == hard
                && s.fields.substitutability_reason
                    == Some(SubstitutabilityReason::NoAlternatives)));
    }
}

#[test]
fn a_subcontractor_works_for_the_supplier_or_another_of_its_subcontractors_never_in_a_loop() {
    use tillit::supplier::{remove_subcontractor, update_subcontractor, SubcontractorId};
    let db = db();
    let supplier = create_supplier(&db, swedish_supplier("Drift AB"))
        .unwrap()
        .supplier
        .id;
    let other = create_supplier(&db, swedish_supplier("Annan AB"))
        .unwrap()
        .supplier
        .id;
    let sub = |name: &str, serves: Option<SubcontractorId>| SubcontractorFields {
        name: name.into(),
        country: "SE".into(),
        serves,
        ..Default::default()
    };
    let id_of = |detail: &tillit::supplier::SupplierDetail, name: &str| {
        detail
            .subcontractors
            .iter()
            .find(|s| s.fields.name == name)
            .unwrap()
            .id
    };
    let detail = add_subcontractor(&db, supplier, sub("Hallen AB", None)).unwrap();
    let hall = id_of(&detail, "Hallen AB");
    let detail = add_subcontractor(&db, supplier, sub("Kylan AB", Some(hall))).unwrap();
    let cooling = id_of(&detail, "Kylan AB");
    assert_eq!(
        detail
            .subcontractors
            .iter()
            .find(|s| s.id == cooling)
            .unwrap()
            .fields
            .serves,
        Some(hall)
    );
    let foreign = add_subcontractor(&db, other, sub("Främling AB", None)).unwrap();
    let stranger = id_of(&foreign, "Främling AB");

    // Another supplier's subcontractor, itself, and a loop: each named, nothing written.
    let error = add_subcontractor(&db, supplier, sub("Vakten AB", Some(stranger))).unwrap_err();
    assert_eq!(code_of(&error, "serves"), ValidationCode::UnknownValue);
    let error = update_subcontractor(&db, hall, sub("Hallen AB", Some(hall))).unwrap_err();
    assert_eq!(code_of(&error, "serves"), ValidationCode::Format);
    let error = update_subcontractor(&db, hall, sub("Hallen AB", Some(cooling))).unwrap_err();
    assert_eq!(code_of(&error, "serves"), ValidationCode::Format);
    assert!(fields_of(&error).contains(&"serves".to_owned()));
    let detail = tillit::supplier::supplier_detail(&db, supplier).unwrap();
    assert_eq!(detail.subcontractors.len(), 2);
    assert_eq!(
        detail
            .subcontractors
            .iter()
            .find(|s| s.id == hall)
            .unwrap()
            .fields
            .serves,
        None
    );

    // One that another works for stays until that one works for someone else.
    let error = remove_subcontractor(&db, hall).unwrap_err();
    assert!(
        matches!(&error, tillit::Error::NotAllowed(r) if r.key == "refusal.subcontractor_served"),
        "{error:?}"
    );
    assert!(error.to_string().contains("Kylan AB"), "{error}");
    update_subcontractor(&db, cooling, sub("Kylan AB", None)).unwrap();
    let detail = remove_subcontractor(&db, hall).unwrap();
    assert_eq!(detail.subcontractors.len(), 1);
}

#[test]
fn a_subcontractor_s_identifiers_are_checked_as_a_supplier_s_are() {
    let db = db();
    let supplier = create_supplier(&db, swedish_supplier("Drift AB"))
        .unwrap()
        .supplier
        .id;
    let bad = SubcontractorFields {
        name: "Kylan AB".into(),
        country: "SE".into(),
        registration_number: "556012-5791".into(),
        lei: "506700GE1G29325QX364".into(),
        ..Default::default()
    };
    let error = add_subcontractor(&db, supplier, bad.clone()).unwrap_err();
    assert_eq!(
        code_of(&error, "registration_number"),
        ValidationCode::Checksum
    );
    assert_eq!(code_of(&error, "lei"), ValidationCode::Checksum);
    let good = SubcontractorFields {
        registration_number: "5560125790".into(),
        lei: " 506700ge1g29325qx363".into(),
        person_type: tillit::supplier::PersonType::Individual,
        ..bad
    };
    let detail = add_subcontractor(&db, supplier, good).unwrap();
    let kept = &detail.subcontractors[0].fields;
    assert_eq!(
        (
            kept.registration_number.as_str(),
            kept.lei.as_str(),
            kept.person_type
        ),
        (
            "556012-5790",
            "506700GE1G29325QX363",
            tillit::supplier::PersonType::Individual
        )
    );
}

#[test]
fn evidence_needs_an_end_after_its_start_and_other_needs_a_title() {
    let db = db();
    let supplier = create_supplier(&db, swedish_supplier("Cert AB"))
        .unwrap()
        .supplier
        .id;
    let dir = tempfile::tempdir().unwrap();
    let valid = EvidenceFields {
        kind: EvidenceKind::Iso27001,
        issuer: "Intertek".into(),
        valid_from: d(2025, 5, 1),
        valid_until: d(2028, 4, 30),
        ..EvidenceFields::default()
    };
    assert!(add_evidence(&db, supplier, valid, None, dir.path()).is_ok());

    let reversed = EvidenceFields {
        kind: EvidenceKind::Other,
        valid_from: d(2026, 5, 1),
        valid_until: d(2026, 4, 30),
        ..EvidenceFields::default()
    };
    let error = add_evidence(&db, supplier, reversed, None, dir.path()).unwrap_err();
    assert_eq!(code_of(&error, "valid_until"), ValidationCode::DateOrder);
    assert_eq!(code_of(&error, "title"), ValidationCode::Required);

    let open_ended = EvidenceFields {
        valid_until: None,
        ..EvidenceFields::default()
    };
    let error = add_evidence(&db, supplier, open_ended, None, dir.path()).unwrap_err();
    assert_eq!(code_of(&error, "valid_until"), ValidationCode::Required);
}

#[test]
fn a_subcontractor_needs_a_name_and_a_known_country() {
    let db = db();
    let supplier = create_supplier(&db, swedish_supplier("Huvud AB"))
        .unwrap()
        .supplier
        .id;
    let error = add_subcontractor(
        &db,
        supplier,
        SubcontractorFields {
            country: "USA".into(),
            ..SubcontractorFields::default()
        },
    )
    .unwrap_err();
    assert_eq!(fields_of(&error), ["name", "country"]);
}
