use super::fields::import_value;

/// The full register of the interchange tests as a JSON value: row 1 Alfa
/// Konsult AB, row 2 Åkesson & Öberg Säkerhet AB with an assessment whose
/// service has risks.
fn full_register_value() -> serde_json::Value {
    let db = crate::support::db();
    crate::interchange::full_register(&db);
    serde_json::from_str(&tillit::interchange::json::export_text(&db).unwrap()).unwrap()
}

fn json_errors(value: &serde_json::Value) -> Vec<(String, String)> {
    let error = import_value(value).unwrap_err();
    error
        .field_errors()
        .iter()
        .map(|e| (e.field.clone(), e.message.clone()))
        .collect()
}

#[test]
fn json_fields_the_format_does_not_have_are_refused_by_path_with_a_suggestion() {
    let mut value = full_register_value();
    value["suppliers"][0]["tier_justificaton"] = "Handles payroll".into();
    value["suppliers"][1]["services"][0]["storage_contries"] = serde_json::json!(["US"]);
    value["suppliers"][1]["assessments"][0]["step1"]["notez"] = "x".into();
    let errors = json_errors(&value);
    let message = |field: &str| {
        errors
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.clone())
            .unwrap_or_else(|| panic!("{field} not named: {errors:?}"))
    };
    assert_eq!(errors.len(), 3, "{errors:?}");
    let first = message("suppliers[0].tier_justificaton");
    assert!(
        first.contains("did you mean tier_justification?"),
        "{first}"
    );
    assert!(first.contains("supplier \"Alfa Konsult AB\""), "{first}");
    let second = message("suppliers[1].services[0].storage_contries");
    assert!(
        second.contains("did you mean storage_countries?"),
        "{second}"
    );
    message("suppliers[1].assessments[0].step1.notez");
}

#[test]
fn json_type_and_utf8_errors_name_the_path() {
    let mut value = full_register_value();
    value["suppliers"][0]["tier"] = 5.into();
    value["suppliers"][1]["services"][0]["rto_hours"] = "four".into();
    let errors = json_errors(&value);
    let fields: Vec<&str> = errors.iter().map(|(f, _)| f.as_str()).collect();
    assert_eq!(
        fields,
        ["suppliers[0].tier", "suppliers[1].services[0].rto_hours"],
        "{errors:?}"
    );

    let text = full_register_value().to_string();
    let at = text.find("Alfa Konsult AB").unwrap() + 2;
    let mut bytes = text.into_bytes();
    bytes[at] = 0xFF;
    let db = crate::support::empty_at(chrono::Utc::now());
    let error = tillit::interchange::json::import_bytes(&db, &bytes).unwrap_err();
    let e = &error.field_errors()[0];
    assert_eq!(e.field, "suppliers[0].legal_name", "{error}");
    assert!(e.message.contains("not UTF-8"), "{error}");
}

#[test]
fn every_error_of_a_json_file_is_listed_in_one_run_register_and_assessments_alike() {
    let mut value = full_register_value();
    // A register field of row 1, and two problems in row 2's assessment.
    value["suppliers"][0]["country_of_headquarters"] = "UK".into();
    let assessment = &mut value["suppliers"][1]["assessments"][0];
    assessment["services"][0]["input"]["risks"][0]["residual"]["likelihood"] = 9.into();
    assessment["step1"]["ratings"]["certification"] = 7.into();
    let errors = json_errors(&value);
    let fields: Vec<&str> = errors.iter().map(|(f, _)| f.as_str()).collect();
    assert!(
        fields.contains(&"suppliers[0].country_of_headquarters"),
        "{errors:?}"
    );
    assert!(
        fields.contains(
            &"suppliers[1].assessments[0].services[0].input.risks[0].residual.likelihood"
        ),
        "{errors:?}"
    );
    assert!(
        fields.contains(&"suppliers[1].assessments[0].step1.ratings.certification"),
        "{errors:?}"
    );
    // A register field wrong in the same supplier as its assessment: both named.
    let mut same = full_register_value();
    same["suppliers"][1]["contact_email"] = "not an e-mail".into();
    same["suppliers"][1]["assessments"][0]["services"][0]["input"]["risks"][0]["residual"]
        ["likelihood"] = 9.into();
    let found = json_errors(&same);
    let fields: Vec<&str> = found.iter().map(|(f, _)| f.as_str()).collect();
    assert!(fields.contains(&"suppliers[1].contact_email"), "{found:?}");
    assert!(
        fields.contains(
            &"suppliers[1].assessments[0].services[0].input.risks[0].residual.likelihood"
        ),
        "{found:?}"
    );
    for (field, message) in &errors {
        let name = if field.starts_with("suppliers[0]") {
            "Alfa Konsult AB"
        } else {
            "Åkesson & Öberg Säkerhet AB"
        };
        assert!(message.contains(name), "{field}: {message}");
    }
}
