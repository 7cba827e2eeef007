//! Backups and restores: what an administrator relies on when the laptop
//! dies or someone deletes the wrong supplier.

use crate::support::{add_users, sign_in, swedish_supplier, PASSWORD};
use rusqlite::Connection;
use std::path::{Path, PathBuf};
use std::process::Command;
use tillit::audit::{self, LogFilter};
use tillit::{supplier, Db, Error};

/// A database file with the test users and one supplier, `olivia` signed in.
fn database(dir: &Path) -> (Db, PathBuf) {
    let path = dir.join("tillit.db");
    let db = Db::open(&path).unwrap();
    add_users(&db);
    supplier::create_supplier(&db, swedish_supplier("Molnet AB")).unwrap();
    (db, path)
}

fn supplier_names(db: &Db) -> Vec<String> {
    db.read(|c| {
        Ok(
            c.prepare("SELECT legal_name FROM supplier ORDER BY legal_name")?
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?,
        )
    })
    .unwrap()
}

fn names_in(path: &Path) -> Vec<String> {
    let conn = Connection::open(path).unwrap();
    let mut statement = conn
        .prepare("SELECT legal_name FROM supplier ORDER BY legal_name")
        .unwrap();
    let names = statement
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    names
}

/// The last entry of the trail: its action, actor and `after`.
fn last_entry(db: &Db) -> (String, String, serde_json::Value) {
    let page = db
        .read(|c| audit::entries(c, &LogFilter::default()))
        .unwrap();
    let entry = page.entries.into_iter().max_by_key(|e| e.seq).unwrap();
    let after = serde_json::from_str(entry.after.as_deref().unwrap_or("null")).unwrap();
    (entry.action, entry.actor, after)
}

#[test]
fn a_backup_is_a_sound_copy_recorded_with_its_sha256() {
    let dir = tempfile::tempdir().unwrap();
    let (db, _) = database(dir.path());
    sign_in(&db, "admin");
    let out = dir.path().join("copies/Tillit-backup.db");
    std::fs::create_dir_all(out.parent().unwrap()).unwrap();

    let backup = db.backup(&out).unwrap();

    assert_eq!(backup.path, out.display().to_string());
    let bytes = std::fs::read(&out).unwrap();
    assert_eq!(backup.bytes, bytes.len() as u64);
    assert_eq!(backup.sha256, audit::sha256_hex(&bytes));
    assert_eq!(names_in(&out), ["Molnet AB"]);
    let copy = Connection::open(&out).unwrap();
    let check: String = copy
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    let journal: String = copy
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(journal, "delete", "one self-contained file");
    assert!(audit::verify(&crate::support::seam(&copy))
        .unwrap()
        .intact());
    assert!(!out.with_extension("db.partial").exists());

    let (action, actor, after) = last_entry(&db);
    assert_eq!((action.as_str(), actor.as_str()), ("backup", "admin"));
    assert_eq!(after["sha256"], backup.sha256.as_str());
    assert_eq!(after["file"], backup.path.as_str());
}

#[test]
fn only_an_administrator_backs_up_and_never_over_the_database_itself() {
    let dir = tempfile::tempdir().unwrap();
    let (db, path) = database(dir.path());
    let out = dir.path().join("backup.db");

    let error = db.backup(&out).unwrap_err();
    assert!(matches!(error, Error::Forbidden { .. }), "{error:?}");
    assert!(!out.exists(), "nothing written for a refused backup");

    sign_in(&db, "admin");
    for target in [
        path.clone(),
        PathBuf::from(format!("{}-wal", path.display())),
    ] {
        let error = db.backup(&target).unwrap_err();
        assert!(matches!(error, Error::NotAllowed(_)), "{error:?}");
        assert!(
            error.to_string().contains("is the open Tillit database"),
            "{error}"
        );
    }
    assert_eq!(supplier_names(&db), ["Molnet AB"]);
}

#[test]
fn a_restore_brings_back_the_backup_and_keeps_the_current_database_aside() {
    let dir = tempfile::tempdir().unwrap();
    let (db, path) = database(dir.path());
    sign_in(&db, "admin");
    let out = dir.path().join("backup.db");
    let backup = db.backup(&out).unwrap();
    sign_in(&db, "olivia");
    supplier::create_supplier(&db, swedish_supplier("Added After AB")).unwrap();
    assert_eq!(supplier_names(&db), ["Added After AB", "Molnet AB"]);

    sign_in(&db, "admin");
    let restored = db.restore(&out).unwrap();

    assert_eq!(supplier_names(&db), ["Molnet AB"]);
    assert_eq!(
        names_in(&path),
        ["Molnet AB"],
        "another program sees the restored database at once"
    );
    assert_eq!(restored.sha256, backup.sha256);
    assert!(
        restored
            .kept_aside
            .starts_with(&format!("{}.before-restore-", path.display())),
        "{}",
        restored.kept_aside
    );
    assert_eq!(
        names_in(Path::new(&restored.kept_aside)),
        ["Added After AB", "Molnet AB"],
        "what the restore replaced is kept"
    );
    assert_eq!(
        db.signed_in(),
        None,
        "the restored users may differ: sign in again"
    );
    let v = db.read(audit::verify).unwrap();
    assert!(v.intact(), "{}", v.sentence());
    let (action, actor, after) = last_entry(&db);
    assert_eq!((action.as_str(), actor.as_str()), ("restore", "tillit"));
    assert_eq!(after["restored_by"], "admin", "Tillit records who restored");
    assert_eq!(after["kept_aside"], restored.kept_aside.as_str());

    // Writes after the restore are recorded and verify like any other.
    sign_in(&db, "olivia");
    supplier::create_supplier(&db, swedish_supplier("After Restore AB")).unwrap();
    let v = db.read(audit::verify).unwrap();
    assert!(v.intact(), "{}", v.sentence());
    drop(db);
    let reopened = Db::open(&path).unwrap();
    assert_eq!(supplier_names(&reopened), ["After Restore AB", "Molnet AB"]);
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".restoring"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// Restoring `file` is refused with `reason` in the message, and changes nothing.
fn refused(db: &Db, file: &Path, reason: &str) {
    sign_in(db, "admin");
    let before = (supplier_names(db), db.info().unwrap());
    let error = db.restore(file).unwrap_err();
    assert!(matches!(error, Error::BackupRefused { .. }), "{error:?}");
    assert!(error.to_string().contains(reason), "{error}");
    assert!(error.to_string().contains("not changed"), "{error}");
    assert_eq!((supplier_names(db), db.info().unwrap()), before);
    assert!(db.signed_in().is_some(), "still signed in");
}

#[test]
fn a_damaged_foreign_or_tampered_backup_is_refused_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (db, _) = database(dir.path());
    sign_in(&db, "admin");
    let good = dir.path().join("good.db");
    db.backup(&good).unwrap();

    // Pages overwritten in the middle of the file.
    let damaged = dir.path().join("damaged.db");
    let mut bytes = std::fs::read(&good).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle..middle + 4096].fill(0x5a);
    std::fs::write(&damaged, &bytes).unwrap();
    // SQLite says "malformed" or names the page that fails its integrity
    // check, depending on which page the damage hits.
    let reason = match db.restore(&damaged).unwrap_err().to_string() {
        text if text.contains("integrity check") => "integrity check",
        _ => "malformed",
    };
    refused(&db, &damaged, reason);

    let text = dir.path().join("notes.db");
    std::fs::write(&text, "not a database at all").unwrap();
    refused(&db, &text, "not a Tillit database");

    let other = dir.path().join("other.db");
    Connection::open(&other)
        .unwrap()
        .execute_batch("CREATE TABLE t (x)")
        .unwrap();
    refused(&db, &other, "not a Tillit database");

    // A supplier's name changed in the backup outside Tillit.
    let tampered = dir.path().join("tampered.db");
    std::fs::copy(&good, &tampered).unwrap();
    Connection::open(&tampered)
        .unwrap()
        .execute("UPDATE supplier SET legal_name = 'Someone Else AB'", [])
        .unwrap();
    refused(&db, &tampered, "audit trail");

    refused(&db, &dir.path().join("missing.db"), "no such file");

    sign_in(&db, "olivia");
    let error = db.restore(&good).unwrap_err();
    assert!(matches!(error, Error::Forbidden { .. }), "{error:?}");
}

#[test]
fn a_backup_from_an_older_tillit_is_upgraded_as_it_is_restored() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old.db");
    {
        let v5 = Db::open_with(&old, &tillit::store::MIGRATIONS[..5]).unwrap();
        add_users(&v5);
        crate::support::supplier_of_old_schema(&v5, "From Version Five AB");
    }
    let (db, _) = database(dir.path());
    sign_in(&db, "admin");

    let restored = db.restore(&old).unwrap();

    assert_eq!(restored.backup_schema_version, 5);
    assert_eq!(supplier_names(&db), ["From Version Five AB"]);
    assert_eq!(
        db.info().unwrap().schema_version,
        tillit::store::latest_version(tillit::store::MIGRATIONS)
    );
    let v = db.read(audit::verify).unwrap();
    assert!(v.intact(), "{}", v.sentence());
    assert_eq!(
        crate::support::user_version(&old),
        5,
        "the backup itself is not changed"
    );
}

#[test]
fn the_command_line_backs_up_and_restores() {
    let dir = tempfile::tempdir().unwrap();
    let (db, path) = database(dir.path());
    drop(db);
    let out = dir.path().join("nightly.db");
    let tillit = |args: &[&str], user: &str| {
        Command::new(env!("CARGO_BIN_EXE_tillit"))
            .args(args)
            .env("TILLIT_DB", &path)
            .env("TILLIT_USER", user)
            .env("TILLIT_PASSWORD", PASSWORD)
            .output()
            .unwrap()
    };

    let refused = tillit(&["backup", "--out", out.to_str().unwrap()], "olivia");
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("may not back up"));

    let done = tillit(&["backup", "--out", out.to_str().unwrap()], "admin");
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    let text = String::from_utf8_lossy(&done.stdout);
    assert!(
        text.contains("Wrote the backup") && text.contains("SHA-256"),
        "{text}"
    );
    assert_eq!(names_in(&out), ["Molnet AB"]);

    {
        let db = Db::open(&path).unwrap();
        sign_in(&db, "olivia");
        supplier::create_supplier(&db, swedish_supplier("Later AB")).unwrap();
    }
    let done = tillit(&["restore", out.to_str().unwrap()], "admin");
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    let text = String::from_utf8_lossy(&done.stdout);
    assert!(text.contains("kept at"), "{text}");
    assert_eq!(names_in(&path), ["Molnet AB"]);

    let garbage = dir.path().join("garbage.db");
    std::fs::write(&garbage, [0u8; 10_000]).unwrap();
    let refused = tillit(&["restore", garbage.to_str().unwrap()], "admin");
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("cannot be restored"));
}

#[test]
fn a_restore_replaces_what_another_program_wrote_after_the_backup() {
    let dir = tempfile::tempdir().unwrap();
    let (db, path) = database(dir.path());
    sign_in(&db, "admin");
    let out = dir.path().join("backup.db");
    db.backup(&out).unwrap();
    {
        let other = Db::open(&path).unwrap();
        sign_in(&other, "olivia");
        supplier::create_supplier(&other, swedish_supplier("Elsewhere AB")).unwrap();
    }
    assert_eq!(names_in(&path), ["Elsewhere AB", "Molnet AB"]);

    db.restore(&out).unwrap();

    assert_eq!(supplier_names(&db), ["Molnet AB"]);
    assert_eq!(names_in(&path), ["Molnet AB"]);
}

/// The number of suppliers another program sees in the database at `path`.
fn suppliers_seen_by_another_program(path: &Path) -> u64 {
    let output = Command::new(env!("CARGO_BIN_EXE_tillit"))
        .args(["--db", path.to_str().unwrap(), "info", "--json"])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let info: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    info["tables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["table"] == "supplier")
        .unwrap()["rows"]
        .as_u64()
        .unwrap()
}

#[test]
fn after_a_file_dialog_read_the_database_file_a_reconnect_keeps_writes_visible_and_durable() {
    let dir = tempfile::tempdir().unwrap();
    let (db, path) = database(dir.path());
    // What a file dialog does when it looks into the folder: the process
    // opens and closes each file to tell its type, and the OS drops
    // SQLite's locks on them.
    for suffix in ["", "-wal", "-shm"] {
        drop(std::fs::File::open(format!("{}{suffix}", path.display())).unwrap());
    }

    db.reconnect().unwrap();
    // Another program opens and closes the database meanwhile.
    assert_eq!(suppliers_seen_by_another_program(&path), 1);
    supplier::create_supplier(&db, swedish_supplier("After The Dialog AB")).unwrap();

    assert_eq!(suppliers_seen_by_another_program(&path), 2);
    assert_eq!(
        db.signed_in().unwrap().username,
        "olivia",
        "still signed in"
    );
    drop(db);
    assert_eq!(names_in(&path), ["After The Dialog AB", "Molnet AB"]);
}
