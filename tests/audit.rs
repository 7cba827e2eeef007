//! The audit trail: a SHA-256 chain that names the first entry that does not match.

use crate::support::Outside;
use chrono::{TimeZone, Utc};
use serde_json::json;
use tillit::audit::{append, canonical, verify, Action, Change};

fn change(i: usize) -> Change {
    Change {
        actor: tillit::store::SYSTEM_ACTOR.into(),
        action: if i == 0 {
            Action::Create
        } else {
            Action::Update
        },
        entity: "example".into(),
        entity_id: "6a1f3c2e-0000-4000-8000-000000000001".into(),
        before: (i > 0)
            .then(|| json!({"legal_name": format!("Molnet {}", i - 1), "tier": "critical"})),
        after: Some(
            json!({"tier": "critical", "legal_name": format!("Molnet {i}"), "notes": "Åäö"}),
        ),
    }
}

/// A database whose trail holds `entries` entries about an entity that is
/// not a table (so only the chain is verified), and nothing else; with a
/// way in from outside Tillit.
fn trail(entries: usize) -> Trail {
    let dir = tempfile::tempdir().unwrap();
    let location = crate::support::store_in(dir.path());
    let db = tillit::Db::open(&location).unwrap();
    db.with_tx(|tx| {
        for i in 0..entries {
            append(
                tx,
                Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, i as u32).unwrap(),
                &change(i),
            )?;
        }
        Ok(())
    })
    .unwrap();
    let outside = Outside::open(&location);
    Trail {
        db,
        outside,
        _dir: dir,
    }
}

struct Trail {
    db: tillit::Db,
    outside: Outside,
    _dir: tempfile::TempDir,
}

#[test]
fn an_untouched_trail_verifies() {
    let Trail { db, _dir, .. } = trail(5);
    let verification = db.read(verify).unwrap();
    assert_eq!(
        (verification.entries, verification.first_mismatch),
        (5, None)
    );
    assert_eq!(
        db.read(verify).unwrap().sentence(),
        format!(
            "The audit trail is intact: 5 entries verified; all 0 recorded rows match it. Head of the chain: {}.",
            verification.head.unwrap()
        )
    );
}

#[test]
fn canonical_json_sorts_keys_at_every_depth() {
    let a = json!({"b": 1, "a": {"y": [1, {"d": 2, "c": 3}], "x": "å"}});
    assert_eq!(
        canonical(&a),
        r#"{"a":{"x":"å","y":[1,{"c":3,"d":2}]},"b":1}"#
    );
}

/// Every column of every row, changed directly in SQLite, is found at that row.
#[test]
fn a_change_to_any_column_of_any_entry_is_found_at_that_entry() {
    let columns = [
        "seq",
        "at",
        "actor",
        "action",
        "entity",
        "entity_id",
        "before",
        "after",
        "hash",
    ];
    for row in 1..=4i64 {
        for column in columns {
            let Trail { db, outside, _dir } = trail(4);
            let value = if column == "seq" {
                "100".to_owned()
            } else {
                "'tampered'".to_owned()
            };
            outside.execute(
                &format!("UPDATE audit_log SET {column} = {value} WHERE seq = {row}"),
                &[],
            );
            let mismatch = db.read(verify).unwrap().first_mismatch;
            let mismatch =
                mismatch.unwrap_or_else(|| panic!("row {row}, column {column}: not found"));
            assert_eq!(
                mismatch.seq,
                if column == "seq" && row < 4 {
                    row + 1
                } else if column == "seq" {
                    100
                } else {
                    row
                },
                "row {row}, column {column}"
            );
        }
    }
}

#[test]
fn a_removed_entry_is_named() {
    let Trail { db, outside, _dir } = trail(4);
    outside.execute("DELETE FROM audit_log WHERE seq = 2", &[]);
    let verification = db.read(verify).unwrap();
    assert_eq!(verification.entries, 1);
    let mismatch = verification.first_mismatch.unwrap();
    assert_eq!(mismatch.seq, 3);
    assert!(
        mismatch.reason.contains("entry 2 is missing"),
        "{}",
        mismatch.reason
    );
}

#[test]
fn an_entry_rewritten_with_a_forged_hash_is_found() {
    let Trail { db, outside, _dir } = trail(3);
    let original = outside.text("SELECT hash FROM audit_log WHERE seq = 2", &[]);
    outside.execute(
        "UPDATE audit_log SET actor = 'Mallory', hash = ?1 WHERE seq = 2",
        &[&original.replace('a', "b")],
    );
    assert_eq!(db.read(verify).unwrap().first_mismatch.unwrap().seq, 2);
}
