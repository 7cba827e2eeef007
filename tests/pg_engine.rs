//! The core on PostgreSQL (the team server's store): the same work leaves
//! the same rows and the same audit trail, entry for entry and hash for
//! hash, as on SQLite; writers at once never fork the chain nor lose a
//! write; and what is changed outside Tillit is reported, as on SQLite.

use crate::interchange::full_register;
use crate::support::{postgres_database, sign_in, swedish_supplier, with_users};
use chrono::{TimeZone, Utc};
use tillit::audit::verify;
use tillit::context::SeededIds;
use tillit::supplier::{create_supplier, list_register, RegisterQuery};
use tillit::Db;

/// Every entry of the trail as stored, in order.
fn trail(db: &Db) -> Vec<Vec<Option<String>>> {
    db.read(|conn| {
        Ok(conn
            .prepare(
                "SELECT CAST(seq AS TEXT) AS number, at, actor, action, entity, entity_id, before, after, hash
                 FROM audit_log ORDER BY seq",
            )?
            .query_map([], |r| (0..9).map(|i| r.get(i)).collect())?
            .collect::<rusqlite::Result<_>>()?)
    })
    .unwrap()
}

/// Asserts that `audit verify` finds nothing wrong.
fn assert_intact(db: &Db) {
    let verification = db.read(verify).unwrap();
    assert!(
        verification.first_mismatch.is_none(),
        "{}",
        verification.sentence()
    );
    assert!(
        verification.row_mismatches.is_empty(),
        "{}",
        verification.sentence()
    );
    assert!(
        verification.schema_problems.is_empty(),
        "{}",
        verification.sentence()
    );
    assert!(
        verification.signature_problems.is_empty(),
        "{}",
        verification.sentence()
    );
}

#[test]
fn the_same_work_leaves_the_same_trail_on_postgresql_as_on_sqlite_hash_for_hash() {
    let Some(url) = postgres_database() else {
        return;
    };
    let now = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap();
    // Ids and salts from one seed from the first user on, so both have the
    // same ids and password hashes.
    let same = |db: Db| with_users(db.with_ids(SeededIds::new(7)), now);
    let sqlite = same(Db::open_in_memory().unwrap());
    let postgres = same(Db::open_postgres(&url).unwrap());
    for db in [&sqlite, &postgres] {
        // Suppliers, services with reals (99.95), subcontractors, rule
        // sets and users with roles, keys and password digests.
        full_register(db);
    }
    let (on_sqlite, on_postgres) = (trail(&sqlite), trail(&postgres));
    assert!(
        on_sqlite.len() > 10,
        "the work left {} entries",
        on_sqlite.len()
    );
    for (a, b) in on_sqlite.iter().zip(&on_postgres) {
        assert_eq!(a, b, "the entries differ");
    }
    assert_eq!(on_sqlite.len(), on_postgres.len());
    assert_intact(&postgres);
    assert_eq!(
        list_register(&postgres, &RegisterQuery::default()).unwrap(),
        list_register(&sqlite, &RegisterQuery::default()).unwrap()
    );
}

#[test]
fn twenty_writers_at_once_on_postgresql_keep_one_chain_and_every_acknowledged_write() {
    let Some(url) = postgres_database() else {
        return;
    };
    let now = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap();
    let db = with_users(Db::open_postgres(&url).unwrap(), now);
    let before = trail(&db).len();
    let acknowledged: Vec<String> = std::thread::scope(|scope| {
        let writers: Vec<_> = (0..20)
            .map(|writer| {
                let session = db.new_session();
                scope.spawn(move || {
                    sign_in(&session, "olivia");
                    (0..5)
                        .map(|n| {
                            create_supplier(
                                &session,
                                swedish_supplier(&format!("Writer {writer} supplier {n} AB")),
                            )
                            .unwrap()
                            .supplier
                            .id
                            .to_string()
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        writers
            .into_iter()
            .flat_map(|w| w.join().unwrap())
            .collect()
    });
    assert_eq!(acknowledged.len(), 100);
    let register = list_register(&db, &RegisterQuery::default()).unwrap();
    assert_eq!(register.total, 100);
    let entries = trail(&db);
    // One chain: the entries numbered one after the other (each hash
    // over the one before is checked by the verification below).
    for (n, entry) in entries.iter().enumerate() {
        assert_eq!(
            entry[0],
            Some((n + 1).to_string()),
            "the chain has a gap or a fork"
        );
    }
    for id in &acknowledged {
        assert!(
            entries.iter().any(|e| e[4].as_deref() == Some("supplier")
                && e[5].as_deref() == Some(id.as_str())
                && e[3].as_deref() == Some("create")),
            "no entry records the creation of {id}"
        );
    }
    assert!(entries.len() >= before + 100);
    assert_intact(&db);
}

#[test]
fn a_change_made_outside_tillit_on_postgresql_and_a_disabled_capture_are_reported() {
    let Some(url) = postgres_database() else {
        return;
    };
    let now = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap();
    let db = with_users(Db::open_postgres(&url).unwrap(), now);
    create_supplier(&db, swedish_supplier("Nordsken AB")).unwrap();
    assert_intact(&db);
    let mut outside = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    outside
        .batch_execute("UPDATE supplier SET notes = 'changed by hand'")
        .unwrap();
    let verification = db.read(verify).unwrap();
    assert_eq!(
        verification.row_mismatches.len(),
        1,
        "{}",
        verification.sentence()
    );
    assert_eq!(verification.row_mismatches[0].table, "supplier");
    assert!(verification.first_mismatch.is_none());

    outside
        .batch_execute(
            "ALTER TABLE service DISABLE TRIGGER tillit_audit; CREATE TABLE notes (x TEXT)",
        )
        .unwrap();
    let problems: Vec<String> = db
        .read(verify)
        .unwrap()
        .schema_problems
        .iter()
        .map(|p| p.sentence())
        .collect();
    assert!(
        problems
            .iter()
            .any(|p| p.contains("tillit_audit on service") && p.contains("disabled")),
        "{problems:?}"
    );
    assert!(
        problems.iter().any(|p| p.contains("table notes")),
        "{problems:?}"
    );
}
