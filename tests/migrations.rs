//! Every released schema version upgrades with its data intact.
//!
//! For each version N a fixture database is made from the first N embedded
//! migrations and filled, through Tillit's own transactions at that
//! version (so its audit trail is what that version wrote), with the rows a
//! generated register holds in each table that version has. Opening it with
//! this Tillit must upgrade it to the current schema, keep every row and
//! every value of the columns that version had, keep the trail it had, and
//! leave a trail that verifies.

use chrono::{NaiveDate, TimeZone, Utc};
use rusqlite::types::Value;
use rusqlite::Connection;
use std::collections::BTreeMap;
use std::path::Path;
use tillit::context::SharedClock;
use tillit::dev::{self, SeedOptions};
use tillit::store::{latest_version, Opened, MIGRATIONS};
use tillit::Db;

/// The tables of the database at `conn` and their columns, in the order
/// SQLite created them (so a parent comes before the rows that refer to it).
fn tables(conn: &tillit::store::sql::Connection, schema: &str) -> Vec<(String, Vec<String>)> {
    let names: Vec<String> = conn
        .prepare(&format!(
            "SELECT name FROM {schema}.sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY rowid"
        ))
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    names
        .into_iter()
        .map(|table| {
            let columns = conn
                .prepare(&format!(
                    "SELECT name FROM pragma_table_info(?1, '{schema}')"
                ))
                .unwrap()
                .query_map([&table], |r| r.get(0))
                .unwrap()
                .collect::<rusqlite::Result<_>>()
                .unwrap();
            (table, columns)
        })
        .collect()
}

/// Columns a later version drops, with that version: what they held lives
/// on elsewhere (checked below), not in the column.
const DROPPED: &[(&str, &str, u32)] = &[("service", "supports_critical_function", 12)];

/// The services of a version before 12 that say they support a critical or
/// important function: every third.
const FLAG_SERVICES: &str = "UPDATE service SET supports_critical_function = 1 WHERE rowid % 3 = 0";

/// Every row of every table, with the columns each had.
type Snapshot = BTreeMap<String, (Vec<String>, Vec<Vec<Value>>)>;

fn rows(conn: &tillit::store::sql::Connection, table: &str, columns: &[String]) -> Vec<Vec<Value>> {
    let list = columns
        .iter()
        .map(|c| format!("\"{c}\""))
        .collect::<Vec<_>>()
        .join(", ");
    let mut statement = conn
        .prepare(&format!(
            "SELECT {list} FROM \"{table}\" ORDER BY {}",
            (1..=columns.len())
                .map(|i| i.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ))
        .unwrap();
    let width = columns.len();
    let found = statement
        .query_map([], |r| (0..width).map(|i| r.get::<_, Value>(i)).collect())
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    found
}

fn snapshot(path: &Path) -> Snapshot {
    let conn = Connection::open(path).unwrap();
    tables(&crate::support::seam(&conn), "main")
        .into_iter()
        .map(|(table, columns)| {
            let found = rows(&crate::support::seam(&conn), &table, &columns);
            (table, (columns, found))
        })
        .collect()
}

/// A register generated at the current schema: suppliers in every state,
/// services, subcontractors, evidence, assessments, approvals, follow-up.
fn generated_register(path: &Path) {
    let clock = SharedClock::new(Utc.with_ymd_and_hms(2026, 11, 1, 9, 0, 0).unwrap());
    let db = Db::open(path)
        .unwrap()
        .with_clock(clock.clone())
        .with_ids(tillit::context::SeededIds::new(7));
    dev::register(
        &db,
        &clock,
        &SeedOptions {
            suppliers: 12,
            seed: 7,
            as_of: NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
            password: crate::support::PASSWORD.into(),
        },
    )
    .unwrap();
    db.with_tx(|tx| {
        tx.execute(
            "INSERT OR REPLACE INTO app_setting (key, value) VALUES ('language', 'sv')",
            [],
        )?;
        Ok(())
    })
    .unwrap();
}

/// A database at schema `version`, holding the generated register's rows of
/// the tables and columns that version has, written by Tillit at that version.
fn fixture(path: &Path, version: u32, register: &Path) {
    let db = Db::open_with(path, &MIGRATIONS[..version as usize]).unwrap();
    let register = register.to_str().unwrap().to_owned();
    db.with_tx(|tx| {
        tx.execute("ATTACH DATABASE ?1 AS register", [&register])?;
        // Tables are filled in name order, so references are checked at commit.
        tx.execute_batch("PRAGMA defer_foreign_keys = ON")?;
        let theirs: BTreeMap<String, Vec<String>> = tables(tx, "register").into_iter().collect();
        for (table, columns) in tables(tx, "main") {
            // The trail and its seals are the fixture's own.
            if table == "audit_log" || table == "trail_seal" {
                continue;
            }
            let common: Vec<String> = columns
                .iter()
                .filter(|c| theirs.get(&table).is_some_and(|t| t.contains(c)))
                .map(|c| format!("\"{c}\""))
                .collect();
            let list = common.join(", ");
            tx.execute(
                &format!(
                    "INSERT INTO main.\"{table}\" ({list}) SELECT {list} FROM register.\"{table}\""
                ),
                [],
            )?;
        }
        if (2..12).contains(&version) {
            tx.execute(FLAG_SERVICES, [])?;
        }
        Ok(())
    })
    .unwrap();
    db.read(|conn| conn.execute("DETACH DATABASE register", []))
        .unwrap();
}

#[test]
fn a_database_of_every_released_schema_version_upgrades_with_its_data_intact() {
    let dir = tempfile::tempdir().unwrap();
    let register = dir.path().join("register.db");
    generated_register(&register);
    let latest = latest_version(MIGRATIONS);
    assert!(latest >= 6, "versions 1 to {latest} are released");

    for version in 1..=latest {
        let path = dir.path().join(format!("v{version}.db"));
        fixture(&path, version, &register);
        let before = snapshot(&path);
        let filled: usize = before
            .iter()
            .filter(|(table, _)| *table != "audit_log")
            .map(|(_, (_, rows))| rows.len())
            .sum();
        let expected = if version == 1 { 1 } else { 100 };
        assert!(
            filled >= expected,
            "version {version}: the fixture holds {filled} rows"
        );
        if version >= 2 {
            assert!(
                before["supplier"].1.len() == 12,
                "version {version}: every supplier is in the fixture"
            );
        }

        let flagged: Vec<Value> = if (2..12).contains(&version) {
            let conn = Connection::open(&path).unwrap();
            let ids = rows(
                &crate::support::seam(&conn),
                "service",
                &["id".to_owned(), "supports_critical_function".to_owned()],
            );
            ids.into_iter()
                .filter(|row| row[1] == Value::Integer(1))
                .map(|row| row[0].clone())
                .collect()
        } else {
            Vec::new()
        };
        assert_eq!(
            flagged.is_empty(),
            !(2..12).contains(&version),
            "version {version}: services say they support a critical function"
        );
        let mut before = before;
        for (table, column, from) in DROPPED {
            if version < *from {
                if let Some((columns, rows)) = before.get_mut(*table) {
                    if let Some(at) = columns.iter().position(|c| c == column) {
                        columns.remove(at);
                        rows.iter_mut().for_each(|row| {
                            row.remove(at);
                        });
                    }
                }
            }
        }
        let db = Db::open(&path).unwrap();

        if version == latest {
            assert_eq!(db.opened(), &Opened::Current);
        } else {
            assert!(
                matches!(db.opened(), Opened::Upgraded { from, to, .. } if *from == version && *to == latest),
                "version {version}: {:?}",
                db.opened()
            );
        }
        assert_eq!(db.info().unwrap().schema_version, latest);
        let after = db
            .read(|conn| {
                Ok(before
                    .iter()
                    .map(|(table, (columns, _))| (table.clone(), rows(conn, table, columns)))
                    .collect::<BTreeMap<_, _>>())
            })
            .unwrap();
        for (table, (_, rows_before)) in &before {
            let rows_after = &after[table];
            if table == "audit_log" {
                assert_eq!(
                    &rows_after[..rows_before.len()],
                    &rows_before[..],
                    "version {version}: the trail it had is kept as it was"
                );
            } else {
                assert_eq!(
                    rows_after, rows_before,
                    "version {version}: the rows of {table} changed in the upgrade"
                );
            }
        }
        // The columns a later version derives from the stored JSON are
        // filled in as the current version would have written them.
        let picture = |conn: &tillit::store::sql::Connection| -> Vec<Vec<Value>> {
            rows(
                conn,
                "service_assessment",
                &["id", "risk_level", "residual_likelihood", "residual_impact"].map(String::from),
            )
        };
        if before.contains_key("service_assessment") {
            let expected = picture(&crate::support::seam(&Connection::open(&register).unwrap()));
            assert!(expected.iter().any(|row| row[1] != Value::Null));
            assert_eq!(
                db.read(|conn| Ok(picture(conn))).unwrap(),
                expected,
                "version {version}: each service assessment's level and highest residual rating"
            );
        }
        // The services that said they support a critical or important
        // function support the critical function the upgrade created.
        if !flagged.is_empty() {
            let linked = db
                .read(|conn| {
                    Ok(rows(
                        conn,
                        "service_function",
                        &["service_id".to_owned(), "function_id".to_owned()],
                    ))
                })
                .unwrap();
            let mut linked_ids: Vec<Value> = linked.iter().map(|row| row[0].clone()).collect();
            let mut expected = flagged.clone();
            linked_ids.sort_by_key(|v| format!("{v:?}"));
            expected.sort_by_key(|v| format!("{v:?}"));
            assert_eq!(
                linked_ids, expected,
                "version {version}: the flagged services"
            );
            assert!(linked.iter().all(|row| row[1] == Value::Text("F1".into())));
            let function = db.read(tillit::supplier::functions::functions_in).unwrap();
            assert_eq!(function.len(), 1, "version {version}");
            assert_eq!(
                function[0].fields.criticality,
                tillit::supplier::Criticality::Critical
            );
            let services = tillit::supplier::all_details(&db)
                .map(|d| {
                    d.into_iter()
                        .flat_map(|d| d.services)
                        .filter(|s| s.supports_critical_function)
                        .count()
                })
                .unwrap_or(0);
            assert_eq!(services, flagged.len(), "version {version}: derived again");
        }
        let verification = db.read(tillit::audit::verify).unwrap();
        assert!(
            verification.intact(),
            "version {version}: {}",
            verification.sentence()
        );
        // The upgraded register is usable: listed, and summed up in the overview.
        if version >= 2 {
            if version < 5 {
                // Users came with version 5.
                crate::support::add_users(&db);
            } else {
                crate::support::sign_in(&db, "olivia");
            }
            let page = tillit::supplier::list_register(&db, &Default::default()).unwrap();
            assert_eq!(page.total, 12, "version {version}");
            tillit::review::overview(&db, NaiveDate::from_ymd_opt(2026, 11, 1).unwrap()).unwrap();
        }
    }
}
