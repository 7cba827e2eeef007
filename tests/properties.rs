//! Properties of everything that takes input: the arguments of every IPC
//! command, the validators of suppliers, services and users, and the CSV and
//! JSON importers. For any input: no panic; either accepted, or refused with
//! the fields at fault named; and a refusal writes nothing.

use crate::support::{add_users, db, sign_in, swedish_supplier, NoFiles};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde_json::{json, Map, Value};
use tillit::approval::{self, NewUser, Role};
use tillit::contract::{dispatch, NAMES};
use tillit::interchange::{csv_import, json as register_json};
use tillit::supplier::{self, ServiceFields, SupplierFields};
use tillit::{Db, Error};

fn runner(cases: u32) -> TestRunner {
    TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    })
}

/// Text as people and broken files produce it: plausible values, empty and
/// blank ones, any Unicode, control characters, and very long ones.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(vec![
            "", " ", "SE", "se", "US", "DE", "XX", "Sverige", "556012-5790", "5560125791",
            "critical", "essential", "standard", "Critical", "none", "yes", "nej", "1",
            "a@b.se", "not an email", "https://example.se", "javascript:alert(1)",
            "2026-02-30", "2026-12-31", "-1", "1e309", "NaN", "Åkesson & Öberg AB",
            "'; DROP TABLE supplier; --", "\u{feff}", "\"quoted\"", "a;b,c",
        ])
        .prop_map(str::to_owned),
        2 => prop::collection::vec(any::<char>(), 0..24).prop_map(String::from_iter),
        1 => (any::<char>(), 200usize..3000).prop_map(|(c, n)| std::iter::repeat_n(c, n).collect()),
    ]
}

/// Any JSON value, a few levels deep.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| json!(f)),
        text().prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(text(), inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// An object with the keys of `template` (and a stranger), each value either
/// kept, replaced by text, or replaced by any JSON.
fn fields_like(template: Value) -> impl Strategy<Value = Value> {
    let keys: Vec<String> = template.as_object().unwrap().keys().cloned().collect();
    let per_key = keys
        .iter()
        .map(|_| {
            prop_oneof![
                2 => Just(None),
                3 => text().prop_map(|t| Some(Value::String(t))),
                1 => json_value().prop_map(Some),
            ]
        })
        .collect::<Vec<_>>();
    (per_key, any::<bool>()).prop_map(move |(values, stranger)| {
        let mut object = template.as_object().unwrap().clone();
        for (key, value) in keys.iter().zip(values) {
            if let Some(value) = value {
                object.insert(key.clone(), value);
            }
        }
        if stranger {
            object.insert("not_a_field".into(), json!(1));
        }
        Value::Object(object)
    })
}

/// Checks a refusal: a validation error naming fields among `known` (or a
/// row of a file), and nothing written.
fn refused(
    db: &Db,
    before: &tillit::store::DbInfo,
    error: &Error,
    known: &[String],
) -> Result<(), TestCaseError> {
    let Error::Invalid(fields) = error else {
        return Err(TestCaseError::fail(format!(
            "refused without naming a field: {error:?}"
        )));
    };
    prop_assert!(!fields.is_empty());
    for field in fields {
        prop_assert!(
            known.contains(&field.field),
            "the error names {:?}, not an input field: {error}",
            field.field
        );
        prop_assert!(!field.message.trim().is_empty());
    }
    prop_assert_eq!(
        &db.info().unwrap(),
        before,
        "a refused input wrote something"
    );
    Ok(())
}

fn keys_of(value: &Value) -> Vec<String> {
    value.as_object().unwrap().keys().cloned().collect()
}

/// A caller that grants no file, opens no dialog and shows nothing.
/// The dispatcher that the window's `call` and `tillit call` run, with any
/// command and any arguments: it never panics, answers JSON when it
/// accepts, and when the arguments do not decode, names one of them.
#[test]
fn any_command_with_any_arguments_is_run_or_refused_naming_the_argument() {
    let names = [
        "id",
        "fields",
        "path",
        "query",
        "supplier_id",
        "language",
        "user",
        "input",
        "username",
        "password",
        "kind",
        "reason",
        "purpose",
        "filter",
        "title",
        "date",
        "change",
        "note",
    ];
    let arguments = prop::collection::btree_map(
        prop_oneof![
            prop::sample::select(names.to_vec()).prop_map(str::to_owned),
            text()
        ],
        json_value(),
        0..6,
    );
    let db = db();
    runner(600)
        .run(
            &(prop::sample::select(NAMES.to_vec()), arguments),
            |(command, arguments)| {
                let mut keys: Vec<String> = arguments.keys().cloned().collect();
                let declared = tillit::contract::commands();
                let declared = declared.iter().find(|c| c.name == command).unwrap();
                keys.extend(declared.args.iter().map(|(name, _)| name.to_string()));
                let arguments = Value::Object(arguments.into_iter().collect::<Map<_, _>>());
                match dispatch(&NoFiles(&db), command, &arguments) {
                    Ok(reply) => {
                        prop_assert!(
                            serde_json::from_str::<Value>(&reply).is_ok(),
                            "{command}: {reply}"
                        );
                    }
                    Err(Error::Invalid(fields)) => {
                        prop_assert!(!fields.is_empty());
                        for field in &fields {
                            prop_assert!(!field.message.trim().is_empty());
                            if field.message.starts_with("the argument ")
                                || field.message.starts_with("is not an argument")
                            {
                                prop_assert!(keys.contains(&field.field), "{command}: {field}");
                            }
                        }
                    }
                    Err(_) => {}
                }
                // A sign-out among the cases: sign in again for the next.
                if db.signed_in().is_none() {
                    sign_in(&db, "olivia");
                }
                Ok(())
            },
        )
        .unwrap();
    // What the UI sends runs; what it cannot send is refused by name.
    let fields = serde_json::to_value(swedish_supplier("Molnet AB")).unwrap();
    let reply = dispatch(
        &NoFiles(&db),
        "create_supplier",
        &json!({ "fields": fields }),
    )
    .unwrap();
    assert!(reply.contains("Molnet AB"), "{reply}");
    let error = dispatch(&NoFiles(&db), "create_supplier", &json!({ "fields": 7 })).unwrap_err();
    assert_eq!(error.field_errors()[0].field, "fields", "{error}");
    let error = dispatch(&NoFiles(&db), "sign_out", &json!({ "fieldz": 1 })).unwrap_err();
    assert_eq!(error.field_errors()[0].field, "fieldz", "{error}");
    let error = dispatch(&NoFiles(&db), "no_such_command", &json!({})).unwrap_err();
    assert_eq!(error.field_errors()[0].field, "command", "{error}");
}

#[test]
fn any_supplier_is_saved_or_refused_naming_its_fields_and_a_refusal_writes_nothing() {
    let db = db();
    let template = serde_json::to_value(swedish_supplier("Molnet AB")).unwrap();
    let known = keys_of(&template);
    runner(300)
        .run(&fields_like(template), |candidate| {
            let Ok(fields) = serde_json::from_value::<SupplierFields>(candidate) else {
                return Ok(()); // refused by the IPC decoding already
            };
            let before = db.info().unwrap();
            match supplier::create_supplier(&db, fields) {
                Ok(created) => prop_assert!(!created.supplier.fields.legal_name.trim().is_empty()),
                Err(error) => refused(&db, &before, &error, &known)?,
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn any_service_is_saved_or_refused_naming_its_fields_and_a_refusal_writes_nothing() {
    let db = db();
    let supplier = supplier::create_supplier(&db, swedish_supplier("Molnet AB"))
        .unwrap()
        .supplier
        .id;
    let template = serde_json::to_value(ServiceFields {
        name: "E-post".into(),
        storage_countries: vec!["SE".into()],
        ..ServiceFields::default()
    })
    .unwrap();
    let known = keys_of(&template);
    runner(300)
        .run(&fields_like(template), |candidate| {
            let Ok(fields) = serde_json::from_value::<ServiceFields>(candidate) else {
                return Ok(());
            };
            let before = db.info().unwrap();
            if let Err(error) = supplier::add_service(&db, supplier, fields) {
                refused(&db, &before, &error, &known)?;
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn any_new_user_is_created_or_refused_naming_its_fields() {
    let db = crate::support::fresh();
    add_users(&db);
    sign_in(&db, "admin");
    let known: Vec<String> = ["username", "display_name", "roles", "password"]
        .map(str::to_owned)
        .to_vec();
    // Each accepted user costs an Argon2 hash: fewer cases.
    runner(48)
        .run(
            &(text(), text(), text(), any::<bool>()),
            |(username, name, password, role)| {
                let before = db.info().unwrap();
                let user = NewUser {
                    username,
                    display_name: name,
                    roles: if role { vec![Role::Auditor] } else { vec![] },
                    password,
                };
                if let Err(error) = approval::create(&db, user) {
                    refused(&db, &before, &error, &known)?;
                }
                Ok(())
            },
        )
        .unwrap();
}

/// A CSV file: a header of known (and sometimes unknown) columns in any
/// order, and rows of any cells, `;` or `,` separated, sometimes with a BOM.
fn csv_file() -> impl Strategy<Value = (Vec<u8>, usize)> {
    let header =
        prop::sample::subsequence(csv_import::COLUMNS.to_vec(), 0..csv_import::COLUMNS.len())
            .prop_shuffle();
    (
        header,
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        prop::collection::vec(prop::collection::vec(text(), 0..20), 0..12),
    )
        .prop_map(|(header, semicolon, bom, stranger, rows)| {
            let separator = if semicolon { ";" } else { "," };
            let mut columns: Vec<String> = header.iter().map(|c| c.to_string()).collect();
            if stranger {
                columns.push("shoe_size".into());
            }
            let mut file = if bom {
                "\u{feff}".to_owned()
            } else {
                String::new()
            };
            file.push_str(&columns.join(separator));
            file.push('\n');
            for row in &rows {
                let cells: Vec<String> = row
                    .iter()
                    .map(|cell| format!("\"{}\"", cell.replace('"', "\"\"")))
                    .collect();
                file.push_str(&cells.join(separator));
                file.push('\n');
            }
            // A row without a cell is a blank line, and a row whose cells
            // are all blank (as spreadsheets write trailing rows) is no
            // record either.
            let records = rows
                .iter()
                .filter(|row| row.iter().any(|cell| !cell.trim().is_empty()))
                .count();
            (file.into_bytes(), records)
        })
}

/// The names a CSV import may give to a field at fault: a column, the
/// header or the file, or an unknown column by the name the file gives it
/// (the header is the first line that is not empty).
fn csv_fields(bytes: &[u8]) -> Vec<String> {
    let mut known: Vec<String> = csv_import::COLUMNS.iter().map(|c| c.to_string()).collect();
    known.extend(["file".to_owned(), "header".to_owned()]);
    let text = String::from_utf8_lossy(bytes).to_lowercase();
    let text = text.trim_start_matches('\u{feff}');
    for delimiter in [b';', b','] {
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .flexible(true)
            .has_headers(false)
            .from_reader(text.as_bytes());
        for record in reader.records().map_while(Result::ok) {
            known.extend(record.iter().map(|cell| cell.trim().to_owned()));
        }
    }
    known
}

#[test]
fn a_csv_file_is_imported_whole_or_refused_naming_rows_and_fields_and_writing_nothing() {
    let db = db();
    runner(300)
        .run(&csv_file(), |(bytes, rows)| {
            let known = csv_fields(&bytes);
            let before = db.info().unwrap();
            match csv_import::import(&db, &bytes, |_| {}) {
                Ok(summary) => prop_assert_eq!(summary.suppliers as usize, rows),
                Err(error) => refused(&db, &before, &error, &known)?,
            }
            Ok(())
        })
        .unwrap();
    // A few that must be accepted, as a control.
    let good = b"legal_name;country_of_incorporation;country_of_headquarters;tier\nMolnet AB;SE;SE;essential\n";
    assert_eq!(csv_import::import(&db, good, |_| {}).unwrap().suppliers, 1);
    // Rows of blank cells, as a spreadsheet writes below its table, are no
    // suppliers (the case that once showed the model above wrong).
    let trailing =
        b"legal_name,country_of_incorporation,country_of_headquarters,tier\n\"\"\n,,,\n\" \", ,,\n";
    assert_eq!(
        csv_import::import(&db, trailing, |_| {}).unwrap().suppliers,
        0
    );
}

#[test]
fn any_bytes_given_as_a_csv_file_are_refused_cleanly_or_imported() {
    let db = db();
    runner(300)
        .run(&prop::collection::vec(any::<u8>(), 0..400), |bytes| {
            let known = csv_fields(&bytes);
            let before = db.info().unwrap();
            if let Err(error) = csv_import::import(&db, &bytes, |_| {}) {
                refused(&db, &before, &error, &known)?;
            }
            Ok(())
        })
        .unwrap();
}

/// Replaces the value at a random place of `document` by `value`.
fn mutate(document: &mut Value, mut choice: usize, value: Value) {
    let mut here = document;
    loop {
        let children = match here {
            Value::Object(map) => map.len(),
            Value::Array(items) => items.len(),
            _ => 0,
        };
        if children == 0 || choice.is_multiple_of(4) {
            *here = value;
            return;
        }
        let index = (choice / 4) % children;
        choice /= 3;
        here = match here {
            Value::Object(map) => map.values_mut().nth(index).unwrap(),
            Value::Array(items) => &mut items[index],
            _ => unreachable!(),
        };
    }
}

#[test]
fn a_register_file_with_any_value_changed_is_imported_whole_or_refused_writing_nothing() {
    let source = db();
    let (supplier, _, _) = crate::people::assessed(&source, supplier::Tier::Critical);
    supplier::create_supplier(&source, swedish_supplier("Andra AB")).unwrap();
    let _ = supplier;
    let exported: Value = serde_json::to_value(register_json::export(&source).unwrap()).unwrap();
    runner(64)
        .run(
            &(any::<usize>(), json_value(), 1usize..4),
            |(choice, value, changes)| {
                let mut document = exported.clone();
                for n in 0..changes {
                    mutate(&mut document, choice.wrapping_mul(n + 1), value.clone());
                }
                let target = Db::open_in_memory().unwrap();
                approval::create_first_administrator(
                    &target,
                    NewUser {
                        username: "ada".into(),
                        display_name: "Ada".into(),
                        roles: vec![Role::ProcurementOfficer],
                        password: crate::support::PASSWORD.into(),
                    },
                )
                .unwrap();
                let before = target.info().unwrap();
                match register_json::import_text(&target, &document.to_string()) {
                    Ok(summary) => prop_assert!(summary.suppliers <= 2),
                    Err(Error::Invalid(fields)) => {
                        prop_assert!(!fields.is_empty());
                        prop_assert!(fields.iter().all(|f| !f.message.trim().is_empty()));
                        prop_assert_eq!(target.info().unwrap(), before);
                    }
                    Err(other) => {
                        return Err(TestCaseError::fail(format!(
                            "refused without naming a field: {other:?}"
                        )))
                    }
                }
                Ok(())
            },
        )
        .unwrap();
}
