//! Files and inputs that cannot hurt (docs/SECURITY.md, "Files and
//! inputs"): what Tillit writes never replaces what is not its own, and what
//! it reads is refused, naming the field, when it cannot be read right.

mod concurrency;
mod csv;
mod database;
mod fields;
mod files;
mod json;

use crate::support::PASSWORD;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn tillit(db: &Path, args: &[&str]) -> Output {
    command(db, args).output().expect("run tillit")
}

fn command(db: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_tillit"));
    command
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("TILLIT_DB")
        .env("TILLIT_USER", "admin")
        .env("TILLIT_PASSWORD", PASSWORD);
    command
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A database file with the test users and one supplier, in a new folder.
fn database() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.db");
    let db = tillit::Db::open(&path).unwrap();
    crate::support::add_users(&db);
    tillit::supplier::create_supplier(&db, crate::support::swedish_supplier("Acme AB")).unwrap();
    (dir, path)
}

/// The names in `dir`, sorted.
fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// The exports the trail holds.
fn exports(db: &Path) -> usize {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row(
        "SELECT count(*) FROM audit_log WHERE action = 'export'",
        [],
        |r| r.get::<_, i64>(0),
    )
    .unwrap() as usize
}

/// The database still opens and verifies, with its supplier.
fn assert_intact(db: &Path) {
    let output = tillit(db, &["audit", "verify"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let conn = rusqlite::Connection::open(db).unwrap();
    let suppliers: i64 = conn
        .query_row("SELECT count(*) FROM supplier", [], |r| r.get(0))
        .unwrap();
    assert_eq!(suppliers, 1);
}

fn assert_refused(output: &Output, path: &Path, why: &str) {
    assert_eq!(output.status.code(), Some(2), "{}", stderr(output));
    let text = stderr(output);
    assert!(
        text.contains(&path.display().to_string()),
        "names the path: {text}"
    );
    assert!(text.contains(why), "says {why:?}: {text}");
}
