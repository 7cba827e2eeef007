//! Decisions you can prove (DOMAIN §7, §9): the attacks of someone who can
//! run the command line and write the database file, each found by
//! `audit verify` (or refused), naming what and where: a decision rewritten
//! with the chain recomputed, an entry appended in a manager's name, forged
//! signatures and keys, a cut tail or rewritten past against an anchor, a
//! lowered schema version, an upgrade that would launder a change, a
//! foreign trigger, an unrecorded derived column, changed evidence files.

use crate::support::Outside;
use crate::support::{add_users, sign_in, swedish_supplier, PASSWORD};
use std::path::{Path, PathBuf};
use tillit::audit::{self, Anchor, Verification};
use tillit::context::{SeededIds, SharedClock};
use tillit::dev::{self, SeedOptions};
use tillit::store::sql::{Connection, OptionalExtension};
use tillit::Db;

/// A generated register of 60 suppliers (assessments in every state,
/// decisions by management and officers, withdrawals and reopenings) in a
/// database file in `dir`.
fn register(dir: &Path) -> PathBuf {
    register_at(crate::support::store_in(dir))
}

/// [`register`] at `path` (a file, whatever the engine of the run).
fn register_at(path: PathBuf) -> PathBuf {
    let clock = SharedClock::new(chrono::Utc::now());
    let db = Db::open(&path)
        .unwrap()
        .with_clock(clock.clone())
        .with_ids(SeededIds::new(7));
    let options = SeedOptions {
        suppliers: 60,
        seed: 7,
        as_of: chrono::NaiveDate::from_ymd_opt(2026, 11, 2).unwrap(),
        password: PASSWORD.into(),
    };
    dev::register(&db, &clock, &options).unwrap();
    path
}

/// An entry of the trail as stored: seq, at, actor, action, entity, id, before, after.
type Entry = (
    i64,
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
);

fn verify(path: &Path) -> Verification {
    Db::open_read_only(path)
        .unwrap()
        .read(audit::verify)
        .unwrap()
}

/// The store opened as an attacker would: plain SQLite with no foreign
/// keys, or a PostgreSQL session that is not Tillit's.
fn raw(path: &Path) -> Outside {
    Outside::open(path)
}

/// The one text value `sql` selects.
fn text(conn: &Connection, sql: &str) -> String {
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

/// The subjects of what verification found beyond the chain and the rows.
fn findings(v: &Verification) -> Vec<String> {
    v.findings().map(|f| f.sentence()).collect()
}

/// What the trail last recorded of a row.
fn last_image(conn: &Connection, table: &str, key: &str) -> serde_json::Value {
    let text: String = conn
        .query_row(
            "SELECT after FROM audit_log WHERE entity = ?1 AND entity_id = ?2 AND after IS NOT NULL
             ORDER BY seq DESC LIMIT 1",
            [table, key],
            |r| r.get(0),
        )
        .unwrap();
    serde_json::from_str(&text).unwrap()
}

/// Appends an entry in `actor`'s name with a correctly chained hash, as an
/// attacker with the file and the (public) hashing scheme can.
fn forge_entry(
    conn: &Connection,
    actor: &str,
    table: &str,
    key: &str,
    before: serde_json::Value,
    after: serde_json::Value,
) -> i64 {
    let (before, after) = (audit::canonical(&before), audit::canonical(&after));
    let seam = *conn;
    let mut chain = audit::Chain::open(&seam).unwrap();
    chain
        .append_canonical(
            &seam,
            "2026-11-20T10:00:00.000Z",
            &audit::CanonicalChange {
                actor,
                action: audit::Action::Update,
                entity: table,
                entity_id: key,
                before: Some(&before),
                after: Some(&after),
            },
        )
        .unwrap()
}

/// Rewrites a column of a row and appends the entry that records it in
/// `actor`'s name: the chain and the rows then match, as they did before
/// signatures and seals.
fn rewrite(
    conn: &Connection,
    actor: &str,
    table: &str,
    key: &str,
    column: &str,
    value: &str,
) -> i64 {
    let before = last_image(conn, table, key);
    conn.execute(
        &format!("UPDATE {table} SET {column} = ?1 WHERE id = ?2"),
        [value, key],
    )
    .unwrap();
    let mut after = before.clone();
    after[column] = serde_json::Value::String(value.into());
    forge_entry(conn, actor, table, key, before, after)
}

#[test]
fn an_untouched_generated_register_verifies_with_every_decision_signed() {
    let dir = tempfile::tempdir().unwrap();
    let path = register(dir.path());
    let v = verify(&path);
    assert!(v.intact(), "{}", v.sentence());
    let outside = raw(&path);
    let conn = outside.seam();
    let (decisions, signed): (i64, i64) = conn
        .query_row(
            "SELECT (SELECT count(*) FROM approval),
                    (SELECT count(*) FROM signature WHERE subject LIKE 'approval:%')",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert!(decisions > 10, "{decisions} decisions");
    assert_eq!(signed, decisions, "every decision is signed");
    let sealed: i64 = conn
        .query_row("SELECT count(*) FROM trail_seal", [], |r| r.get(0))
        .unwrap();
    assert!(sealed > 50, "each person's writes are sealed: {sealed}");
}

#[test]
fn a_rejection_rewritten_into_an_approval_with_its_entry_forged_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let path = register(dir.path());
    let outside = raw(&path);
    let conn = outside.seam();
    let (id, decider): (String, String) = conn
        .query_row(
            "SELECT a.id, u.username FROM approval a JOIN app_user u ON u.id = a.decided_by
             WHERE a.decision = 'approve' ORDER BY a.id LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let seq = rewrite(&conn, &decider, "approval", &id, "decision", "reject");

    let v = verify(&path);
    assert!(
        v.first_mismatch.is_none() && v.row_mismatches.is_empty(),
        "the chain and rows alone would pass: {}",
        v.sentence()
    );
    assert!(!v.intact());
    let found = findings(&v);
    assert!(
        found.iter().any(|f| f.starts_with(&format!(
            "approval:{id}: its content changed after it was signed"
        ))),
        "{found:#?}"
    );
    assert!(
        found.iter().any(|f| f.starts_with(&format!(
            "entry {seq}: it is written in the name of {decider}, but not sealed"
        ))),
        "{found:#?}"
    );
}

#[test]
fn a_tier_changed_with_an_entry_appended_in_a_managers_name_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let path = register(dir.path());
    let outside = raw(&path);
    let conn = outside.seam();
    let id = text(
        &conn,
        "SELECT id FROM supplier WHERE tier = 'critical' ORDER BY id LIMIT 1",
    );
    let seq = rewrite(&conn, "magnus", "supplier", &id, "tier", "standard");

    let v = verify(&path);
    assert!(v.row_mismatches.is_empty(), "{}", v.sentence());
    assert_eq!(
        findings(&v),
        [format!(
            "entry {seq}: it is written in the name of magnus, but not sealed with their key: it was added outside Tillit"
        )]
    );
}

#[test]
fn a_forged_signature_a_key_the_database_does_not_know_and_a_forged_key_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let path = register(dir.path());
    let outside = raw(&path);
    let conn = outside.seam();
    let ids: Vec<String> = conn
        .prepare("SELECT id FROM approval ORDER BY id LIMIT 2")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    // One signature with a digit changed.
    conn.execute(
        "UPDATE signature SET signature = CASE WHEN substr(signature, 1, 1) = '0' THEN '1' ELSE '0' END || substr(signature, 2)
         WHERE subject = ?1",
        [format!("approval:{}", ids[0])],
    )
    .unwrap();
    // One signed again, correctly, by a key the attacker made.
    let stranger = tillit::store::signing::Key::from_secret([9; 32]);
    tillit::store::signing::sign(
        &conn,
        tillit::store::signing::Kind::Approval,
        &ids[1],
        &stranger,
        "2026-11-20T10:00:00.000Z",
    )
    .unwrap();
    let found = findings(&verify(&path));
    assert!(
        found.contains(&format!(
            "approval:{}: its signature does not verify against key {}: it was forged",
            ids[0],
            conn.query_row(
                "SELECT key_id FROM signature WHERE subject = ?1",
                [format!("approval:{}", ids[0])],
                |r| r.get::<_, String>(0)
            )
            .unwrap()
        )),
        "{found:#?}"
    );
    assert!(
        found.contains(&format!(
            "approval:{}: it is signed by key {}, which the database does not know",
            ids[1],
            stranger.id()
        )),
        "{found:#?}"
    );

    // The stranger's key put into the database in the manager's name,
    // vouching for itself: named, and so is what it signed.
    let manager = text(&conn, "SELECT id FROM app_user WHERE username = 'magnus'");
    tillit::store::signing::store_key(
        &conn,
        &manager,
        &stranger.public_hex(),
        None,
        "2026-11-20T10:00:00.000Z",
        &stranger,
    )
    .unwrap();
    let found = findings(&verify(&path));
    assert!(
        found.contains(&format!(
            "key:{}: it vouches for itself, and no administrator vouched for it: it was added outside Tillit",
            stranger.id()
        )),
        "{found:#?}"
    );
    assert!(
        found.iter().any(|f| f.starts_with(&format!(
            "approval:{}: it is signed by key {}",
            ids[1],
            stranger.id()
        ))),
        "{found:#?}"
    );
}

#[test]
fn roles_edited_in_the_file_are_named_by_their_signature() {
    let dir = tempfile::tempdir().unwrap();
    let path = register(dir.path());
    let outside = raw(&path);
    let conn = outside.seam();
    let officer = text(&conn, "SELECT id FROM app_user WHERE username = 'olivia'");
    rewrite(
        &conn,
        "admin",
        "app_user",
        &officer,
        "roles",
        "[\"administrator\",\"procurement_officer\"]",
    );
    let found = findings(&verify(&path));
    assert!(
        found.contains(&format!(
            "roles:{officer}: its content changed after it was signed: it was changed outside Tillit"
        )),
        "{found:#?}"
    );
}

#[test]
fn a_removed_tail_and_a_rewritten_past_fail_against_an_anchor() {
    let dir = tempfile::tempdir().unwrap();
    let path = register(dir.path());
    let anchor: Anchor = verify(&path).head.unwrap();
    let holds = |path: &Path, anchor: &Anchor| {
        Db::open_read_only(path)
            .unwrap()
            .read(|conn| audit::anchor_holds(conn, anchor))
            .unwrap()
    };
    assert_eq!(holds(&path, &anchor), None);
    // A short form: the first 16 digits of the hash.
    let short: Anchor = format!("{}:{}", anchor.seq, &anchor.hash[..16])
        .parse()
        .unwrap();
    assert_eq!(holds(&path, &short), None);

    // The tail cut off: the chain that is left is intact, the anchor is not.
    let cut = crate::support::copy_store(&path, dir.path());
    raw(&cut)
        .seam()
        .execute("DELETE FROM audit_log WHERE seq > ?1", [anchor.seq - 5])
        .unwrap();
    assert!(verify(&cut).first_mismatch.is_none());
    assert_eq!(
        holds(&cut, &anchor),
        Some(format!(
            "the anchored entry {} is gone: the trail was cut back or rewritten",
            anchor.seq
        ))
    );

    // An old entry changed and every hash after it recomputed.
    let outside = raw(&path);
    let conn = outside.seam();
    let entries: Vec<Entry> = conn
        .prepare("SELECT seq, at, actor, action, entity, entity_id, before, after FROM audit_log ORDER BY seq")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    conn.execute("DELETE FROM audit_log", []).unwrap();
    let seam = conn;
    let mut chain = audit::Chain::open(&seam).unwrap();
    for (seq, at, actor, action, entity, entity_id, before, after) in &entries {
        let at = if *seq == 10 {
            "2020-01-01T00:00:00.000Z"
        } else {
            at.as_str()
        };
        let action: audit::Action =
            serde_json::from_value(serde_json::Value::String(action.clone())).unwrap();
        chain
            .append_canonical(
                &seam,
                at,
                &audit::CanonicalChange {
                    actor,
                    action,
                    entity,
                    entity_id,
                    before: before.as_deref(),
                    after: after.as_deref(),
                },
            )
            .unwrap();
    }
    let v = verify(&path);
    assert!(
        v.first_mismatch.is_none(),
        "the chain was recomputed: {}",
        v.sentence()
    );
    assert!(holds(&path, &anchor).unwrap().starts_with(&format!(
        "entry {} no longer has the anchored hash",
        anchor.seq
    )),);
    assert!(
        findings(&v)
            .iter()
            .any(|f| f.contains("does not verify: the trail was rewritten")),
        "the seals, made over the old hashes, no longer verify either"
    );
}

#[test]
fn the_command_line_writes_an_anchor_and_verifies_against_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = register(dir.path());
    let anchor = dir.path().join("anchor.txt");
    let tillit = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_tillit"))
            .args(args)
            .env("TILLIT_DB", &path)
            .env("LC_ALL", "C.UTF-8")
            .output()
            .unwrap()
    };
    let wrote = tillit(&["audit", "anchor", "--out", anchor.to_str().unwrap()]);
    assert!(
        wrote.status.success(),
        "{}",
        String::from_utf8_lossy(&wrote.stderr)
    );
    let text = std::fs::read_to_string(&anchor).unwrap();
    let head = verify(&path).head.unwrap();
    assert!(text.lines().any(|l| l == head.to_string()), "{text}");

    let checked = tillit(&["audit", "verify", "--anchor", anchor.to_str().unwrap()]);
    assert!(checked.status.success());
    assert!(String::from_utf8_lossy(&checked.stdout).contains(&format!("The anchor {head} holds")));

    raw(&path)
        .seam()
        .execute("DELETE FROM audit_log WHERE seq > ?1", [head.seq - 3])
        .unwrap();
    let checked = tillit(&["audit", "verify", "--anchor", anchor.to_str().unwrap()]);
    assert_eq!(checked.status.code(), Some(1));
    let said = String::from_utf8_lossy(&checked.stderr);
    assert!(
        said.contains(&format!(
            "anchor {head}: the anchored entry {} is gone",
            head.seq
        )),
        "{said}"
    );

    let bad = tillit(&["audit", "verify", "--anchor", "12:nothex"]);
    assert!(!bad.status.success());
}

/// A database whose officer was made an administrator in the file, and
/// whose schema version was then lowered so an upgrade would record it.
fn laundered(path: &Path) {
    {
        let db = Db::open(path).unwrap();
        add_users(&db);
        tillit::supplier::create_supplier(&db, swedish_supplier("Molnet AB")).unwrap();
    }
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.execute(
        "UPDATE app_user SET roles = '[\"administrator\",\"procurement_officer\"]' WHERE username = 'olivia'",
        [],
    )
    .unwrap();
    conn.pragma_update(None, "user_version", 6).unwrap();
    conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
        .unwrap();
}

#[test]
fn a_lowered_schema_version_is_refused_and_the_file_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tillit.db");
    laundered(&path);
    let before = std::fs::read(&path).unwrap();
    let error = Db::open(&path).unwrap_err();
    assert!(
        matches!(error, tillit::Error::NotATillitDatabase { .. }),
        "{error:?}"
    );
    let said = error.to_string();
    assert!(
        said.contains("its schema version is 6, but it holds the table"),
        "{said}"
    );
    assert!(said.contains("of version 8"), "{said}");
    assert!(said.contains("lowered"), "{said}");
    assert_eq!(std::fs::read(&path).unwrap(), before, "nothing was written");
}

#[test]
fn an_upgrade_records_only_what_the_migrations_change_so_an_earlier_edit_stays_reported() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tillit.db");
    {
        let old = Db::open_with(&path, &tillit::store::MIGRATIONS[..8]).unwrap();
        add_users(&old);
        crate::support::supplier_of_old_schema(&old, "Molnet AB");
    }
    let officer = text(
        &raw(&path).seam(),
        "SELECT id FROM app_user WHERE username = 'olivia'",
    );
    raw(&path)
        .seam()
        .execute(
            "UPDATE app_user SET roles = '[\"administrator\",\"procurement_officer\"]' WHERE id = ?1",
            [&officer],
        )
        .unwrap();
    let db = Db::open(&path).unwrap();
    let v = db.read(audit::verify).unwrap();
    assert_eq!(
        v.row_mismatches
            .iter()
            .map(|m| (m.table.as_str(), m.key.as_str()))
            .collect::<Vec<_>>(),
        [("app_user", officer.as_str())],
        "{}",
        v.sentence()
    );
    // The upgrade left its marker, by Tillit, and nothing in the officer's name.
    let markers: Vec<(String, String)> = db
        .read(|c| {
            Ok(c.prepare(
                "SELECT actor, entity_id FROM audit_log WHERE action = 'migrate' ORDER BY seq",
            )?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?)
        })
        .unwrap();
    assert_eq!(
        markers,
        [
            ("tillit".to_owned(), "9".to_owned()),
            ("tillit".to_owned(), "10".to_owned()),
            ("tillit".to_owned(), "11".to_owned()),
            ("tillit".to_owned(), "12".to_owned()),
            ("tillit".to_owned(), "13".to_owned())
        ]
    );
    // The people who were there sign in and get their key; their records
    // from before verify as they were.
    sign_in(&db, "magnus");
    let v = db.read(audit::verify).unwrap();
    assert!(
        v.signature_problems.is_empty(),
        "{:#?}",
        v.signature_problems
    );
}

#[test]
fn a_foreign_trigger_is_named_and_a_backup_carrying_one_is_refused_before_anything_changes() {
    // SQLite's triggers (pg_engine.rs has PostgreSQL's).
    let dir = tempfile::tempdir().unwrap();
    let path = register_at(dir.path().join("register.db"));
    let outside = raw(&path);
    let conn = outside.seam();
    conn.execute_batch(
        "CREATE TRIGGER hide_failures AFTER INSERT ON audit_log
         WHEN NEW.action IN ('sign_in_failed', 'locked_out')
         BEGIN DELETE FROM audit_log WHERE seq = NEW.seq; END;",
    )
    .unwrap();
    drop(outside);
    let found = findings(&verify(&path));
    assert_eq!(
        found,
        ["trigger hide_failures: was not made by Tillit: it was added outside Tillit"]
    );

    let target = dir.path().join("current.db");
    let db = Db::open(&target).unwrap();
    add_users(&db);
    tillit::supplier::create_supplier(&db, swedish_supplier("Kvar AB")).unwrap();
    sign_in(&db, "admin");
    let before = std::fs::read(&target).unwrap();
    let error = db.restore(&path).unwrap_err();
    let said = error.to_string();
    assert!(said.contains("trigger hide_failures"), "{said}");
    assert_eq!(std::fs::read(&target).unwrap(), before, "nothing changed");
}

#[test]
fn the_stored_exposure_the_reports_count_is_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let path = register(dir.path());
    let outside = raw(&path);
    let conn = outside.seam();
    let id = text(
        &conn,
        "SELECT id FROM supplier WHERE exposed = 1 ORDER BY id LIMIT 1",
    );
    conn.execute("UPDATE supplier SET exposed = 0 WHERE id = ?1", [&id])
        .unwrap();
    let v = verify(&path);
    assert_eq!(
        v.row_mismatches
            .iter()
            .map(|m| (m.table.as_str(), m.key.as_str()))
            .collect::<Vec<_>>(),
        [("supplier", id.as_str())]
    );
}

#[test]
fn an_evidence_file_changed_or_missing_on_disk_is_named() {
    use tillit::supplier::{self, EvidenceFields, EvidenceKind};
    let dir = tempfile::tempdir().unwrap();
    let path = crate::support::store_in(dir.path());
    let db = Db::open(&path).unwrap();
    // On PostgreSQL the folder is given (a file keeps it beside itself).
    let db = match db.postgres() {
        Some(_) => db.with_evidence_dir(dir.path().join("evidence")),
        None => db,
    };
    add_users(&db);
    let id = supplier::create_supplier(&db, swedish_supplier("Intyg AB"))
        .unwrap()
        .supplier
        .id;
    let store = supplier::evidence_dir(&db).unwrap();
    let mut items = Vec::new();
    for (name, bytes) in [
        ("iso.pdf", &b"%PDF-1.7 certificate"[..]),
        ("soc2.pdf", &b"%PDF-1.7 report"[..]),
    ] {
        let source = dir.path().join(name);
        std::fs::write(&source, bytes).unwrap();
        let fields = EvidenceFields {
            kind: EvidenceKind::Iso27001,
            valid_until: chrono::NaiveDate::from_ymd_opt(2027, 1, 31),
            ..EvidenceFields::default()
        };
        let detail = supplier::add_evidence(&db, id, fields, Some(&source), &store).unwrap();
        items = detail.evidence;
    }
    assert!(db.verify().unwrap().intact());
    let file = |i: usize| items[i].file.clone().unwrap();
    std::fs::write(store.join(file(0).sha256), b"%PDF-1.7 forged certificate").unwrap();
    std::fs::remove_file(store.join(file(1).sha256)).unwrap();
    let v = db.verify().unwrap();
    let found: Vec<(String, String)> = v
        .file_problems
        .iter()
        .map(|f| (f.subject.clone(), f.reason.clone()))
        .collect();
    assert_eq!(found.len(), 2, "{found:#?}");
    for (i, what) in [(0, "no longer matches its SHA-256"), (1, "is missing")] {
        assert!(
            found.iter().any(|(subject, reason)| subject
                == &format!("evidence {} ({})", items[i].id, file(i).file_name)
                && reason.contains(what)),
            "{found:#?}"
        );
    }
    assert!(!v.intact());
}

#[test]
fn a_password_reset_makes_a_new_key_and_what_the_old_one_signed_still_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let path = register(dir.path());
    let db = Db::open(&path).unwrap();
    tillit::approval::sign_in(&db, "admin", PASSWORD).unwrap();
    let manager = tillit::approval::list(&db)
        .unwrap()
        .into_iter()
        .find(|u| u.username == "magnus")
        .unwrap();
    tillit::approval::reset_password(&db, manager.id, "a new long passphrase").unwrap();
    let keys: Vec<(String, Option<String>)> = db
        .read(|c| {
            Ok(c.prepare(
                "SELECT id, retired_at FROM signing_key WHERE user_id = ?1 ORDER BY created_at",
            )?
            .query_map([manager.id.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?)
        })
        .unwrap();
    assert_eq!(keys.len(), 2, "{keys:?}");
    assert!(
        keys[0].1.is_some() && keys[1].1.is_none(),
        "the old key retired, kept"
    );
    tillit::approval::sign_in(&db, "magnus", "a new long passphrase").unwrap();
    let v = db.read(audit::verify).unwrap();
    assert!(v.intact(), "{}", v.sentence());
    let new_key: Option<String> = db
        .read(|c| {
            c.query_row(
                "SELECT key_id FROM trail_seal ORDER BY seq DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .optional()
        })
        .unwrap();
    assert_eq!(
        new_key.as_deref(),
        Some(keys[1].0.as_str()),
        "sealed with the new key"
    );
}

#[test]
fn a_report_carries_the_signature_and_the_chain_head_and_report_verify_tells_a_changed_byte() {
    let dir = tempfile::tempdir().unwrap();
    let path = register(dir.path());
    let supplier = text(
        &raw(&path).seam(),
        "SELECT s.legal_name FROM supplier s JOIN assessment a ON a.supplier_id = s.id
             JOIN approval p ON p.assessment_id = a.id
             WHERE p.capacity = 'management' AND p.voided_at IS NULL ORDER BY s.legal_name LIMIT 1",
    );
    let tillit = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_tillit"))
            .args(args)
            .env("TILLIT_DB", &path)
            .env("TILLIT_USER", "magnus")
            .env("TILLIT_PASSWORD", PASSWORD)
            .env("LC_ALL", "C.UTF-8")
            .output()
            .unwrap()
    };
    let pdf = dir.path().join("report.pdf");
    let wrote = tillit(&[
        "report",
        "assessment",
        &supplier,
        "--out",
        pdf.to_str().unwrap(),
    ]);
    assert!(
        wrote.status.success(),
        "{}",
        String::from_utf8_lossy(&wrote.stderr)
    );
    let text = String::from_utf8(
        std::process::Command::new("pdftotext")
            .args([pdf.to_str().unwrap(), "-"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap()
    .replace('\n', " ");
    assert!(text.contains("signed with Magnus Manager's key"), "{text}");
    assert!(
        text.contains("Check this file: tillit report verify"),
        "{text}"
    );
    let head = verify(&path).head.unwrap();
    // The head when it was made: the export's own entry came after.
    assert!(
        text.contains(&format!("Audit trail head at issue: {}:", head.seq - 1)),
        "{text}"
    );

    let checked = tillit(&["report", "verify", pdf.to_str().unwrap()]);
    let said = String::from_utf8_lossy(&checked.stdout);
    assert!(
        checked.status.success(),
        "{}",
        String::from_utf8_lossy(&checked.stderr)
    );
    assert!(
        said.starts_with("Issued by this database: the report “Assessment report” on "),
        "{said}"
    );
    assert!(
        said.contains(&supplier) && said.contains("by Magnus Manager (magnus)"),
        "{said}"
    );
    assert!(
        said.contains(&format!("audit trail entry {}", head.seq)),
        "{said}"
    );
    assert!(said.contains("Its bytes are unchanged"), "{said}");

    let mut bytes = std::fs::read(&pdf).unwrap();
    bytes[4000] ^= 0x01;
    let changed = dir.path().join("changed.pdf");
    std::fs::write(&changed, &bytes).unwrap();
    let checked = tillit(&["report", "verify", changed.to_str().unwrap()]);
    assert_eq!(checked.status.code(), Some(1));
    let said = String::from_utf8_lossy(&checked.stderr);
    assert!(
        said.contains("Not as issued: this file claims to be the report “Assessment report” on"),
        "{said}"
    );
    assert!(said.contains("its bytes were changed since"), "{said}");

    let other = dir.path().join("other.pdf");
    std::fs::write(&other, b"%PDF-1.7 not from here").unwrap();
    let checked = tillit(&["report", "verify", other.to_str().unwrap()]);
    assert_eq!(checked.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&checked.stderr).contains("Not issued by this database"));
}

/// The generated register, with one escalation resolved by management, as
/// a register file: its text, and as JSON.
fn register_file(dir: &Path) -> (String, serde_json::Value) {
    let path = register(dir);
    let db = Db::open(&path).unwrap();
    let escalated: Option<String> = raw(&path)
        .seam()
        .query_row(
            "SELECT id FROM assessment WHERE json_extract(step1_result, '$.outcome') = 'escalate'
             AND resolution IS NULL ORDER BY id LIMIT 1",
            [],
            |r| r.get(0),
        )
        .optional()
        .unwrap();
    if let Some(id) = escalated {
        tillit::approval::sign_in(&db, "magnus", PASSWORD).unwrap();
        tillit::assessment::workflow::resolve_escalation(
            &db,
            tillit::assessment::workflow::AssessmentId(id.parse().unwrap()),
            tillit::assessment::step1::Step1Outcome::Approved,
            "The board accepts the risk until the audit in March",
        )
        .unwrap();
    }
    tillit::approval::sign_in(&db, "olivia", PASSWORD).unwrap();
    let text = tillit::interchange::json::export_text(&db).unwrap();
    let value = serde_json::from_str(&text).unwrap();
    (text, value)
}

/// A new machine's empty database with its administrator `root`, who also
/// keeps the register, signed in.
fn new_machine() -> Db {
    crate::support::empty_at(chrono::Utc::now())
}

fn import(db: &Db, file: &serde_json::Value) -> tillit::Result<tillit::interchange::ImportSummary> {
    tillit::interchange::json::import_text(db, &serde_json::to_string_pretty(file).unwrap())
}

/// Each problem of a refused import as `field: message`.
fn refused(error: &tillit::Error) -> Vec<String> {
    error
        .field_errors()
        .iter()
        .map(|e| format!("{}: {}", e.field, e.message))
        .collect()
}

#[test]
fn a_generated_register_goes_to_a_new_machine_and_back_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let (text, file) = register_file(dir.path());
    let states = |file: &serde_json::Value| {
        let mut decisions = 0;
        let mut statuses = std::collections::BTreeSet::new();
        for s in file["suppliers"].as_array().unwrap() {
            statuses.insert(s["status"].as_str().unwrap().to_owned());
            for a in s["assessments"].as_array().unwrap() {
                decisions += a["decisions"].as_array().unwrap().len();
            }
        }
        (decisions, statuses)
    };
    let (decisions, statuses) = states(&file);
    assert!(decisions > 20, "{decisions} decisions");
    for status in [
        "approved",
        "approved_with_conditions",
        "in_assessment",
        "rejected",
    ] {
        assert!(statuses.contains(status), "{statuses:?}");
    }
    assert!(text.contains("\"follow_up\"") && text.contains("\"next_review_on\""));
    assert!(text.contains("\"keys\"") && text.contains("\"signature\""));

    let target = new_machine();
    tillit::interchange::json::import_text(&target, &text).unwrap();
    let again = tillit::interchange::json::export_text(&target).unwrap();
    if again != text {
        let (a, b): (Vec<&str>, Vec<&str>) = (text.lines().collect(), again.lines().collect());
        let at = a
            .iter()
            .zip(&b)
            .position(|(x, y)| x != y)
            .unwrap_or(a.len().min(b.len()));
        panic!(
            "the round trip differs at line {}:\n  exported: {:?}\n  again:    {:?}",
            at + 1,
            a.get(at),
            b.get(at)
        );
    }
    let v = target.read(audit::verify).unwrap();
    assert!(v.intact(), "{}", v.sentence());
}

#[test]
fn an_import_grants_no_powers_a_forged_file_is_refused_naming_each_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (_, file) = register_file(dir.path());

    // An officer brings a rule set of their own, as version 99.
    let officer_db = crate::support::db();
    let mut forged = file.clone();
    let mut rules = forged["rule_sets"][0].clone();
    rules["version"] = 99.into();
    rules["note"] = "No exposing jurisdictions".into();
    rules["content"] = serde_json::Value::Null;
    let mut own = forged["rule_sets"][0].clone();
    own["version"] = 99.into();
    forged["rule_sets"].as_array_mut().unwrap().push(own);
    let error = import(&officer_db, &forged).unwrap_err();
    let said = refused(&error);
    assert!(
        said.iter().any(|s| s.starts_with("rule_sets[1]: rule set version 99 is not in the database: only an administrator imports rule sets")),
        "{said:#?}"
    );
    assert!(
        said.iter()
            .any(|s| s.contains("only an administrator imports new keys")),
        "{said:#?}"
    );
    assert_eq!(
        officer_db
            .info()
            .unwrap()
            .tables
            .iter()
            .find(|t| t.table == "supplier")
            .unwrap()
            .rows,
        0
    );

    // An administrator, with versions that skip: not the next version.
    let mut skipping = file.clone();
    let mut far = skipping["rule_sets"][0].clone();
    far["version"] = 4_294_967_295u32.into();
    skipping["rule_sets"].as_array_mut().unwrap().push(far);
    let target = new_machine();
    let said = refused(&import(&target, &skipping).unwrap_err());
    assert!(
        said.iter().any(|s| s.starts_with("rule_sets[1].version: rule set version 4294967295 does not follow the database's: the next version is 2")),
        "{said:#?}"
    );

    // A resolution rewritten, and one added with no signature.
    let mut forged = file.clone();
    let mut resolved = None;
    let mut unresolved = None;
    for (i, s) in forged["suppliers"].as_array().unwrap().iter().enumerate() {
        for (j, a) in s["assessments"].as_array().unwrap().iter().enumerate() {
            if a["resolution"].is_object() && resolved.is_none() {
                resolved = Some((i, j));
            } else if a["step1_result"]["outcome"] == "escalate"
                && a["resolution"].is_null()
                && unresolved.is_none()
            {
                unresolved = Some((i, j));
            }
        }
    }
    let (i, j) = resolved.expect("a resolved escalation");
    forged["suppliers"][i]["assessments"][j]["resolution"]["justification"] =
        "Approved by the board".into();
    if let Some((k, l)) = unresolved {
        forged["suppliers"][k]["assessments"][l]["resolution"] = serde_json::json!({
            "resolver": "Magnus Manager", "decision": "approved",
            "justification": "Fine", "at": "2026-10-01T10:00:00.000Z"
        });
    }
    let target = new_machine();
    let said = refused(&import(&target, &forged).unwrap_err());
    assert!(
        said.iter().any(|s| s.starts_with(&format!("suppliers[{i}].assessments[{j}].resolution_signature: its content is not what was signed"))),
        "{said:#?}"
    );
    if let Some((k, l)) = unresolved {
        assert!(
            said.iter().any(|s| s.starts_with(&format!(
                "suppliers[{k}].assessments[{l}].resolution_signature: it carries no signature"
            ))),
            "{said:#?}"
        );
    }
    assert_eq!(
        target
            .info()
            .unwrap()
            .tables
            .iter()
            .find(|t| t.table == "supplier")
            .unwrap()
            .rows,
        0,
        "nothing written"
    );

    // A decision turned around, and one whose assessment content changed.
    let mut forged = file.clone();
    let mut decided = Vec::new();
    for (i, s) in forged["suppliers"].as_array().unwrap().iter().enumerate() {
        for (j, a) in s["assessments"].as_array().unwrap().iter().enumerate() {
            if a["decisions"]
                .as_array()
                .unwrap()
                .iter()
                .any(|d| d["voided_at"].is_null())
            {
                decided.push((i, j));
            }
        }
    }
    let (i, j) = decided[0];
    forged["suppliers"][i]["assessments"][j]["decisions"][0]["decision"] = "reject".into();
    let (k, l) = decided[1];
    forged["suppliers"][k]["assessments"][l]["assessed_on"] = "2020-01-01".into();
    let said = refused(&import(&new_machine(), &forged).unwrap_err());
    assert!(
        said.iter().any(|s| s.starts_with(&format!("suppliers[{i}].assessments[{j}].decisions[0].signature: its content is not what was signed"))),
        "{said:#?}"
    );
    assert!(
        said.iter().any(
            |s| s.starts_with(&format!("suppliers[{k}].assessments[{l}].decisions["))
                && s.contains("does not cover the assessment")
        ),
        "{said:#?}"
    );
}

#[test]
fn a_status_in_the_file_is_not_taken_and_an_imported_assessment_counts_the_importer_as_its_maker() {
    let source = crate::support::db();
    let supplier = tillit::supplier::create_supplier(&source, swedish_supplier("Molnet AB"))
        .unwrap()
        .supplier
        .id;
    let id = tillit::assessment::workflow::start(
        &source,
        supplier,
        chrono::NaiveDate::from_ymd_opt(2026, 2, 1).unwrap(),
    )
    .unwrap()
    .id;
    let mut file: serde_json::Value =
        serde_json::from_str(&tillit::interchange::json::export_text(&source).unwrap()).unwrap();
    file["suppliers"][0]["status"] = "approved".into();
    file["suppliers"][0]["tier"] = "critical".into();
    file["suppliers"][0]["assessments"][0]["assessor"] = "Someone Else".into();

    let target = new_machine();
    import(&target, &file).unwrap();
    let detail = tillit::supplier::supplier_detail(&target, supplier).unwrap();
    assert_eq!(
        detail.supplier.status,
        tillit::supplier::SupplierStatus::InAssessment
    );
    assert_eq!(
        tillit::review::follow_up(&target, supplier)
            .unwrap()
            .next_review_on,
        None
    );
    let assessment = tillit::assessment::workflow::get(&target, id).unwrap();
    let root = target.signed_in().unwrap();
    assert!(
        assessment.made_by(&root),
        "the importer vouches for the assessment they brought"
    );
}

#[test]
fn a_backup_whose_schema_version_was_lowered_is_refused_by_restore_and_nothing_changes() {
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("source.db");
    laundered(&source);

    let target = dir.path().join("current.db");
    let db = Db::open(&target).unwrap();
    add_users(&db);
    sign_in(&db, "admin");
    let before = std::fs::read(&target).unwrap();
    let said = db.restore(&source).unwrap_err().to_string();
    assert!(said.contains("lowered"), "{said}");
    assert_eq!(std::fs::read(&target).unwrap(), before, "nothing changed");
}
