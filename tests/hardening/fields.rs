use super::*;

/// A register file of one supplier with an evidence item whose file is
/// attached, as a JSON value to tamper with.
fn register_with_evidence_file() -> serde_json::Value {
    use tillit::supplier::{add_evidence, EvidenceFields, EvidenceKind};
    let db = crate::support::db();
    let id = tillit::supplier::create_supplier(&db, crate::support::swedish_supplier("Acme AB"))
        .unwrap()
        .supplier
        .id;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("certifikat.pdf");
    std::fs::write(&file, b"%PDF-1.7 certificate").unwrap();
    add_evidence(
        &db,
        id,
        EvidenceFields {
            kind: EvidenceKind::Iso27001,
            valid_from: chrono::NaiveDate::from_ymd_opt(2025, 1, 1),
            valid_until: chrono::NaiveDate::from_ymd_opt(2027, 12, 31),
            ..EvidenceFields::default()
        },
        Some(&file),
        &dir.path().join("evidence"),
    )
    .unwrap();
    serde_json::from_str(&tillit::interchange::json::export_text(&db).unwrap()).unwrap()
}

pub(super) fn import_value(
    value: &serde_json::Value,
) -> tillit::Result<tillit::interchange::ImportSummary> {
    // A new machine's database, whose administrator keeps the register.
    let db = crate::support::empty_at(chrono::Utc::now());
    tillit::interchange::json::import_text(&db, &value.to_string())
}

#[test]
fn an_evidence_file_from_a_register_file_is_a_sha256_and_a_plain_name() {
    let good = register_with_evidence_file();
    import_value(&good).unwrap();
    for (field, value, expected) in [
        (
            "sha256",
            "åäöåäöåäöåäöåäöåäöåäöåäöåäöåäöåäöåäöåäöåäöåäöåäöåäöåäöåäöåäöåäö",
            "64 hexadecimal digits",
        ),
        ("sha256", "../../etc/shadow", "64 hexadecimal digits"),
        ("sha256", "abc", "64 hexadecimal digits"),
        ("file_name", "../../etc/shadow", "plain file name"),
        ("file_name", "/etc/shadow", "plain file name"),
        ("file_name", "..", "plain file name"),
        ("file_name", "a\u{1b}[2Jb.pdf", "U+001B"),
    ] {
        let mut bad = good.clone();
        bad["suppliers"][0]["evidence"][0]["file"][field] = value.into();
        let error = import_value(&bad).unwrap_err();
        let fields = crate::support::fields_of(&error);
        assert!(
            fields.iter().any(|f| f.ends_with(&format!("file.{field}"))),
            "{field} = {value:?}: {fields:?}"
        );
        assert!(
            error
                .field_errors()
                .iter()
                .any(|e| e.message.contains(expected)),
            "{error}"
        );
    }
}

#[test]
fn control_and_bidirectional_characters_are_refused_in_names_and_one_line_fields() {
    let db = crate::support::db();
    for name in [
        "Acme\u{0}AB",
        "Acme\u{1b}[31m AB",
        "Acme \u{202E}BA",
        "Acme\nAB",
        "Acme\u{2066}AB",
    ] {
        let mut fields = crate::support::swedish_supplier(name);
        fields.contact_name = "Eva\u{7}".into();
        let error = tillit::supplier::create_supplier(&db, fields).unwrap_err();
        let errors = crate::support::fields_of(&error);
        assert_eq!(errors, ["legal_name", "contact_name"], "{name:?}: {error}");
        assert!(error.to_string().contains("U+"), "{error}");
        assert!(
            !error.to_string().contains('\u{1b}'),
            "never echoed raw: {error}"
        );
    }
    // Free text keeps its tabs and line breaks.
    let mut fields = crate::support::swedish_supplier("Acme AB");
    fields.notes = "First line\n\tindented\r\nthird".into();
    tillit::supplier::create_supplier(&db, fields).unwrap();

    let csv = "legal_name,country_of_incorporation,country_of_headquarters,tier\nEvil\u{1b}]0;title\u{7} AB,SE,SE,standard\n";
    let error = tillit::interchange::csv_import::import(&db, csv.as_bytes(), |_| {}).unwrap_err();
    assert_eq!(error.field_errors()[0].row, Some(2), "{error}");
    assert_eq!(error.field_errors()[0].field, "legal_name", "{error}");
}

#[test]
fn the_terminal_never_gets_raw_escapes_from_stored_text() {
    let (_dir, db) = database();
    // Text stored before these checks existed, or written around Tillit.
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute(
        "UPDATE app_user SET display_name = 'Magnus\u{1b}[2J\u{202E}reganaM' WHERE username = 'magnus'",
        [],
    )
    .unwrap();
    drop(conn);
    let output = tillit(&db, &["user", "list"]);
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("Magnus\\u{1b}[2J\\u{202e}reganaM"), "{text}");
    assert!(!text.contains(['\u{1b}', '\u{202E}']), "{text:?}");
}

#[test]
fn a_country_code_people_use_by_mistake_is_refused_with_the_right_one() {
    let db = crate::support::db();
    let mut fields = crate::support::swedish_supplier("Brittisk Drift Ltd");
    fields.country_of_headquarters = "UK".into();
    let error = tillit::supplier::create_supplier(&db, fields).unwrap_err();
    assert_eq!(
        crate::support::fields_of(&error),
        ["country_of_headquarters"]
    );
    assert!(error.to_string().contains("GB"), "{error}");
}
