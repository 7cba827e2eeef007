//! The tamper test: a database with a decided assessment, then every value
//! of every row of the audit trail and of the assessment tables changed,
//! one at a time, directly in SQLite, and `tillit audit verify` run on it.

use crate::people::{assessed, date};
use crate::support::{add_users, sign_in, PASSWORD};
use rusqlite::types::Value;
use rusqlite::Connection;
use std::path::Path;
use std::process::Command;
use tillit::approval::{self, Decision, DecisionInput};
use tillit::assessment::workflow;
use tillit::supplier::Tier;

/// The tables whose every value is changed in turn.
const TABLES: [&str; 5] = [
    "audit_log",
    "assessment",
    "service_assessment",
    "approval",
    "reevaluation",
];

/// A database file with an assessment re-evaluated under a second rule set,
/// submitted and approved by management.
fn decided_database(path: &Path) {
    let db = tillit::Db::open(path).unwrap();
    add_users(&db);
    let (_, _, id) = assessed(&db, Tier::Critical);
    sign_in(&db, "admin");
    let mut rules = tillit::rules::default_rule_set();
    rules.step1.min_total_percent = 65;
    tillit::operations::save_rules(&db, &rules, "Threshold 65 %").unwrap();
    sign_in(&db, "olivia");
    workflow::reevaluate(&db, id).unwrap();
    approval::submit(&db, id).unwrap();
    sign_in(&db, "magnus");
    approval::decide(
        &db,
        id,
        DecisionInput {
            decision: Decision::ApproveWithConditions,
            conditions: vec![tillit::approval::ConditionInput {
                text: "Exit plan within 90 days".into(),
                due_on: Some(db.now().date_naive() + chrono::Days::new(120)),
            }],
            password: PASSWORD.into(),
        },
    )
    .unwrap();
    let _ = date(2026, 1, 1);
    drop(db);
    // Everything into the main file, so a copy of it is the whole database.
    if !crate::support::on_postgres() {
        Connection::open(path)
            .unwrap()
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            .unwrap();
    }
}

fn verify(path: &Path) -> (Option<i32>, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_tillit"))
        .args(["--db", path.to_str().unwrap(), "audit", "verify"])
        .env_remove("TILLIT_DB")
        .output()
        .unwrap();
    (
        output.status.code(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ),
    )
}

/// A different value of the same kind (JSON stays valid JSON).
fn changed(value: &Value) -> Value {
    match value {
        Value::Integer(i) => Value::Integer(i + 1000),
        Value::Real(r) => Value::Real(r + 1.0),
        Value::Text(t) if t.starts_with('{') || t.starts_with('[') => Value::Text(format!(" {t}")),
        Value::Text(t) => Value::Text(format!("{t}x")),
        Value::Null => Value::Text("2026-03-02T00:00:00.000Z".into()),
        Value::Blob(b) => Value::Blob([b.as_slice(), b"x"].concat()),
    }
}

#[test]
fn every_value_changed_outside_tillit_in_the_trail_or_the_assessment_tables_is_reported() {
    // A file copied for each change (on PostgreSQL, the capture's images
    // are the same as here, hash for hash: pg_engine.rs).
    let dir = tempfile::tempdir().unwrap();
    let original = dir.path().join("tillit.db");
    decided_database(&original);
    let (code, text) = verify(&original);
    assert_eq!(code, Some(0), "the untouched database verifies: {text}");
    assert!(text.contains("intact"), "{text}");

    let bytes = std::fs::read(&original).unwrap();
    let copy = dir.path().join("tampered.db");
    let mut changes = 0;
    for table in TABLES {
        let conn = Connection::open(&original).unwrap();
        let columns: Vec<String> = conn
            .prepare(&format!("SELECT name FROM pragma_table_info('{table}')"))
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let rowids: Vec<i64> = conn
            .prepare(&format!("SELECT rowid FROM {table}"))
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert!(!rowids.is_empty(), "{table} has rows to change");
        drop(conn);
        for rowid in &rowids {
            for column in &columns {
                std::fs::write(&copy, &bytes).unwrap();
                let conn = Connection::open(&copy).unwrap();
                conn.execute_batch(
                    "PRAGMA ignore_check_constraints = ON; PRAGMA foreign_keys = OFF;",
                )
                .unwrap();
                let value: Value = conn
                    .query_row(
                        &format!("SELECT \"{column}\" FROM {table} WHERE rowid = ?1"),
                        [rowid],
                        |r| r.get(0),
                    )
                    .unwrap();
                conn.execute(
                    &format!("UPDATE {table} SET \"{column}\" = ?1 WHERE rowid = ?2"),
                    rusqlite::params![changed(&value), rowid],
                )
                .unwrap();
                drop(conn);
                let (code, text) = verify(&copy);
                assert_eq!(
                    code,
                    Some(1),
                    "{table} row {rowid} column {column} changed, yet verify says: {text}"
                );
                if table != "audit_log" {
                    assert!(
                        text.contains(table) && text.contains("outside Tillit"),
                        "{table} row {rowid} column {column}: {text}"
                    );
                }
                changes += 1;
            }
        }
    }
    assert!(changes > 250, "{changes} values changed");
}

#[test]
fn a_password_hash_changed_outside_tillit_is_reported_though_the_trail_never_holds_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = crate::support::store_in(dir.path());
    decided_database(&path);
    // Someone copies the officer's password hash onto the manager, to sign
    // in as the manager with the officer's password and approve.
    crate::support::Outside::open(&path).execute(
        "UPDATE app_user SET password_hash = (SELECT password_hash FROM app_user WHERE username = 'olivia')
         WHERE username = 'magnus'",
        &[],
    );

    let (status, text) = verify(&path);

    assert_eq!(status, Some(1), "{text}");
    assert!(text.contains("app_user"), "{text}");
}
