//! The store: opening, refusing, backing up and upgrading database files.

use crate::support::{tillit_file_at_version, user_version};
use rusqlite::Connection;
use tillit::store::{latest_version, Migration, Opened, MIGRATIONS};
use tillit::{Db, Error};

/// The real schema version 1 followed by a test-only version 2, so an upgrade
/// from a real older file can be exercised.
fn v1_then_v2(v2_sql: &'static str) -> Vec<Migration> {
    vec![
        MIGRATIONS[0],
        Migration {
            version: 2,
            name: "test_upgrade",
            sql: v2_sql,
        },
    ]
}

const V2_ADDS_A_COLUMN: &str =
    "ALTER TABLE app_setting ADD COLUMN note TEXT NOT NULL DEFAULT 'added in v2';";

fn latest() -> u32 {
    latest_version(MIGRATIONS)
}

#[test]
fn an_in_memory_database_has_every_migration_applied() {
    let db = Db::open_in_memory().unwrap();
    let info = db.info().unwrap();
    assert_eq!(info.schema_version, latest());
    assert_eq!(info.path, None);
    assert!(
        info.tables.iter().any(|t| t.table == "app_setting"),
        "the initial schema creates app_setting: {:?}",
        info.tables
    );
}

#[test]
fn a_new_file_is_created_at_the_latest_version_with_wal_and_foreign_keys() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested/folder/tillit.db");
    let db = Db::open(&path).unwrap();
    assert_eq!(db.opened(), &Opened::Created);
    assert_eq!(user_version(&path), latest());
    let (journal, foreign_keys): (String, i64) = db
        .read(|c| {
            Ok((
                c.query_row("PRAGMA journal_mode", [], |r| r.get(0))?,
                c.query_row("PRAGMA foreign_keys", [], |r| r.get(0))?,
            ))
        })
        .unwrap();
    assert_eq!(journal, "wal");
    assert_eq!(foreign_keys, 1);
    drop(db);
    let reopened = Db::open(&path).unwrap();
    assert_eq!(
        reopened.opened(),
        &Opened::Current,
        "a second open changes nothing"
    );
    let backups: Vec<_> = std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains(".bak-"))
        .collect();
    assert!(
        backups.is_empty(),
        "no backup of a new or current file: {backups:?}"
    );
}

#[test]
fn an_older_database_is_copied_aside_then_upgraded_with_its_data_intact() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tillit.db");
    {
        let v1 = Db::open_with(&path, &MIGRATIONS[..1]).unwrap();
        v1.with_tx(|tx| tx.execute("INSERT INTO app_setting VALUES ('kept', 'Åsa Öberg')", []))
            .unwrap();
    }

    let db = Db::open_with(&path, &v1_then_v2(V2_ADDS_A_COLUMN)).unwrap();

    let backup = dir.path().join("tillit.db.bak-v1");
    assert_eq!(
        db.opened(),
        &Opened::Upgraded {
            from: 1,
            to: 2,
            backup: backup.clone()
        }
    );
    assert_eq!(user_version(&path), 2);
    let (value, note): (String, String) = db
        .read(|c| {
            c.query_row(
                "SELECT value, note FROM app_setting WHERE key = 'kept'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
        })
        .unwrap();
    assert_eq!(value, "Åsa Öberg");
    assert_eq!(note, "added in v2");

    assert_eq!(
        user_version(&backup),
        1,
        "the copy is the file as it was before the upgrade"
    );
    let copy = Connection::open(&backup).unwrap();
    let kept: String = copy
        .query_row(
            "SELECT value FROM app_setting WHERE key = 'kept'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(kept, "Åsa Öberg");
}

#[test]
fn an_earlier_backup_is_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tillit.db");
    std::fs::write(dir.path().join("tillit.db.bak-v1"), b"an older copy").unwrap();
    drop(Db::open_with(&path, &MIGRATIONS[..1]).unwrap());

    let db = Db::open_with(&path, &v1_then_v2(V2_ADDS_A_COLUMN)).unwrap();

    let Opened::Upgraded { backup, .. } = db.opened() else {
        panic!("expected an upgrade, got {:?}", db.opened());
    };
    assert_eq!(backup, &dir.path().join("tillit.db.bak-v1.2"));
    assert_eq!(
        std::fs::read(dir.path().join("tillit.db.bak-v1")).unwrap(),
        b"an older copy"
    );
}

#[test]
fn a_failing_migration_leaves_the_database_at_its_old_version() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tillit.db");
    drop(Db::open_with(&path, &MIGRATIONS[..1]).unwrap());

    let broken = v1_then_v2("CREATE TABLE half_done (x); THIS IS NOT SQL;");
    let error = Db::open_with(&path, &broken).unwrap_err();

    assert!(
        error.to_string().contains("0002_test_upgrade"),
        "names the migration: {error}"
    );
    assert_eq!(user_version(&path), 1);
    let conn = Connection::open(&path).unwrap();
    let half: i64 = conn
        .query_row(
            "SELECT count(*) FROM sqlite_schema WHERE name = 'half_done'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(half, 0, "nothing of the failed upgrade remains");
}

#[test]
fn a_database_from_a_newer_tillit_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tillit.db");
    let newer = latest() + 1;
    tillit_file_at_version(&path, newer);
    let before = std::fs::read(&path).unwrap();

    let error = Db::open(&path).unwrap_err();

    match &error {
        Error::DatabaseTooNew {
            found, supported, ..
        } => {
            assert_eq!((*found, *supported), (newer, latest()));
        }
        other => panic!("expected DatabaseTooNew, got {other:?}"),
    }
    let message = error.to_string();
    assert!(
        message.contains("newer Tillit") && message.contains(&newer.to_string()),
        "{message}"
    );
    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "the file is byte for byte unchanged"
    );
    assert!(
        !dir.path().join("tillit.db-wal").exists(),
        "not even a WAL file was created"
    );
}

#[test]
fn another_programs_sqlite_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("other.db");
    Connection::open(&path)
        .unwrap()
        .execute_batch("CREATE TABLE invoices (id INTEGER PRIMARY KEY);")
        .unwrap();

    let error = Db::open(&path).unwrap_err();

    assert!(
        matches!(error, Error::NotATillitDatabase { .. }),
        "{error:?}"
    );
}

#[test]
fn a_file_that_is_not_sqlite_at_all_is_refused_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.db");
    std::fs::write(&path, "Leverantörer att följa upp\n".repeat(200)).unwrap();

    let error = Db::open(&path).unwrap_err();

    assert!(
        matches!(error, Error::NotATillitDatabase { .. }),
        "{error:?}"
    );
    assert!(
        error.to_string().contains("not an SQLite database"),
        "{error}"
    );
}

#[test]
fn opening_a_missing_file_for_reading_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("typo.db");

    let error = Db::open_existing(&path).unwrap_err();

    assert!(matches!(error, Error::DatabaseMissing(_)), "{error:?}");
    assert!(!path.exists());
}

#[test]
fn a_transaction_that_fails_writes_nothing() {
    let db = crate::support::fresh();

    let result: tillit::Result<()> = db.with_tx(|tx| {
        tx.execute("INSERT INTO app_setting VALUES ('a', '1')", [])?;
        Err(Error::invalid(
            "value",
            tillit::error::ValidationCode::OutOfRange,
            "is refused",
        ))
    });

    assert!(result.is_err());
    let rows: i64 = db
        .read(|c| c.query_row("SELECT count(*) FROM app_setting", [], |r| r.get(0)))
        .unwrap();
    assert_eq!(rows, 0);
}

#[test]
fn info_counts_the_rows_of_every_table() {
    let db = crate::support::fresh();
    db.with_tx(|tx| {
        tx.execute("INSERT INTO app_setting VALUES ('a', '1'), ('b', '2')", [])?;
        Ok(())
    })
    .unwrap();

    let info = db.info().unwrap();

    let settings = info
        .tables
        .iter()
        .find(|t| t.table == "app_setting")
        .unwrap();
    assert_eq!(settings.rows, 2);
}

/// A read in parts (the register file's) sees one snapshot, and each
/// part is given once, in order: a supplier another program adds after the
/// first read, before the parts count, is in no part, and is seen after.
/// On SQLite the parts are read on connections of their own (or on the
/// first's, when the trail moved between their starts); on PostgreSQL in
/// one snapshot.
#[test]
fn a_read_in_parts_sees_one_snapshot_and_gives_the_parts_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let location = crate::support::store_in(dir.path());
    let db = Db::open(&location).unwrap();
    crate::support::add_users(&db);
    let other = Db::open(&location).unwrap();
    crate::support::sign_in(&other, "olivia");
    let count = |conn: &tillit::store::sql::Connection| {
        conn.query_row("SELECT count(*) FROM supplier", [], |r| r.get::<_, i64>(0))
    };
    const PARTS: usize = 7;
    for turn in 0..4 {
        let before = db.read(count).unwrap();
        let mut given = Vec::new();
        let lead = db
            .read_in_parts(
                3,
                |conn| {
                    let here = count(conn)?;
                    if turn % 2 == 1 {
                        tillit::supplier::create_supplier(
                            &other,
                            crate::support::swedish_supplier(&format!("Leverantör {turn} AB")),
                        )?;
                    }
                    Ok(((here, count(conn)?), PARTS))
                },
                |conn, _, index| Ok((index, count(conn)?)),
                |_, at, (index, counted)| {
                    given.push((at, index, counted));
                    Ok(())
                },
            )
            .unwrap();
        assert_eq!(lead, (before, before), "turn {turn}");
        let expected: Vec<_> = (0..PARTS).map(|i| (i, i, before)).collect();
        assert_eq!(given, expected, "turn {turn}");
        let added = i64::from(turn % 2 == 1);
        assert_eq!(
            db.read(count).unwrap(),
            before + added,
            "seen after, turn {turn}"
        );
    }
}

/// A read in parts that fails in a part fails whole, and one whose taker
/// refuses a part stops there.
#[test]
fn a_read_in_parts_stops_at_the_first_failure() {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(&crate::support::store_in(dir.path())).unwrap();
    let failed = db.read_in_parts(
        2,
        |_| Ok(((), 50)),
        |_, _, index| {
            if index == 20 {
                Err(tillit::Error::Internal("part 20".into()))
            } else {
                Ok(index)
            }
        },
        |_, _, _| Ok(()),
    );
    assert!(matches!(failed, Err(tillit::Error::Internal(m)) if m == "part 20"));
    let mut taken = Vec::new();
    let refused = db.read_in_parts(
        2,
        |_| Ok(((), 50)),
        |_, _, index| Ok(index),
        |_, _, index| {
            taken.push(index);
            if index == 3 {
                Err(tillit::Error::Internal("full".into()))
            } else {
                Ok(())
            }
        },
    );
    assert!(refused.is_err());
    assert_eq!(taken, vec![0, 1, 2, 3]);
}

/// What a window prepares in the background (the overview behind the
/// sign-in form) reads beside the one connection: a sign-in or a save made
/// meanwhile does not wait for it, and the read sees one snapshot.
#[test]
fn a_read_beside_holds_up_no_write_and_sees_one_snapshot() {
    use std::sync::mpsc;
    use std::time::Duration;
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(&dir.path().join("tillit.db")).unwrap();
    crate::support::add_users(&db);
    let names = |conn: &tillit::store::sql::Connection<'_>| legal_names(conn, "legal_name");
    tillit::supplier::create_supplier(&db, crate::support::swedish_supplier("Före AB")).unwrap();
    let (written, wait) = mpsc::channel();
    let (db, names) = (&db, &names);
    let (seen, read) = std::thread::scope(|scope| {
        let reading = scope.spawn(move || {
            db.reading_beside(|| {
                db.read(|conn| {
                    let first = names(conn)?;
                    // Holds its connection until the write below is done:
                    // on the one connection the write would wait for it.
                    let done = wait.recv_timeout(Duration::from_secs(20)).is_ok();
                    Ok((first, names(conn)?, done))
                })
            })
        });
        std::thread::sleep(Duration::from_millis(100));
        tillit::supplier::create_supplier(db, crate::support::swedish_supplier("Under AB"))
            .unwrap();
        written.send(()).unwrap();
        let (first, again, done) = reading.join().unwrap().unwrap();
        assert!(done, "the write waited for the read beside it");
        ((first, again), db.read(names).unwrap())
    });
    assert_eq!(seen.0, ["Före AB"]);
    assert_eq!(seen.1, ["Före AB"], "the read sees one snapshot");
    assert_eq!(read, ["Före AB", "Under AB"]);
}

/// A register's new rows get ids that sort in the order they were made, so
/// that each goes at the end of the indexes holding it rather than at a
/// random place (fewer pages written by an import or a busy server).
#[test]
fn new_rows_get_ids_in_the_order_they_were_made() {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(&crate::support::store_in(dir.path())).unwrap();
    crate::support::add_users(&db);
    crate::support::sign_in(&db, "olivia");
    let names: Vec<String> = (0..40).map(|n| format!("Leverantör {n:02} AB")).collect();
    for name in &names {
        tillit::supplier::create_supplier(&db, crate::support::swedish_supplier(name)).unwrap();
    }
    let by_id = db.read(|conn| legal_names(conn, "id")).unwrap();
    assert_eq!(by_id, names);
}

/// The suppliers' legal names, ordered by `column`.
fn legal_names(
    conn: &tillit::store::sql::Connection<'_>,
    column: &str,
) -> tillit::Result<Vec<String>> {
    Ok(conn
        .prepare(&format!(
            "SELECT legal_name FROM supplier ORDER BY {column}"
        ))?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?)
}
