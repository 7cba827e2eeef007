//! Backups and restores, through SQLite's online backup API.
//!
//! A backup is a consistent copy of the open database, written beside its
//! target and renamed into place once it is complete and passes
//! `PRAGMA integrity_check`. A restore refuses a backup that is damaged, not
//! Tillit's, from a newer Tillit or whose audit trail does not verify, before
//! it touches the current database; it then keeps the current database aside
//! and copies the backup into the open connection in one transaction, so a
//! crash in the middle leaves the database as it was.

use super::trail::{self, Action};
use super::{migrate, Db, MIGRATIONS};
use crate::access::Permission;
use crate::error::Refusal;
use crate::error::{Error, Result};
use crate::files::{is_database_file, with_suffix};
use rusqlite::backup::Backup;
use rusqlite::{Connection, OpenFlags};
use serde::{Deserialize, Serialize};
use std::path::Path;
use std::time::Duration;
use ts_rs::TS;

/// What a backup wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct BackupSummary {
    /// The backup file.
    pub path: String,
    pub bytes: u64,
    /// The SHA-256 of the file, as recorded in the audit trail.
    pub sha256: String,
    pub schema_version: u32,
    /// Entries of the audit trail the backup holds.
    pub audit_entries: u64,
}

/// What a restore did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RestoreSummary {
    /// The backup restored.
    pub restored_from: String,
    /// The SHA-256 of the backup file.
    pub sha256: String,
    /// Where the database as it was before the restore was kept.
    pub kept_aside: String,
    /// The schema version of the backup (upgraded to the current one when older).
    pub backup_schema_version: u32,
    /// Entries of the restored audit trail, the restore's own included.
    pub audit_entries: u64,
}

/// Pages copied per step of the backup API.
const PAGES_PER_STEP: i32 = 1024;

fn utf8(path: &Path) -> Result<&str> {
    path.to_str().ok_or_else(|| {
        Error::invalid(
            "path",
            crate::error::ValidationCode::Format,
            format!("the path {} is not valid UTF-8", path.display()),
        )
    })
}

/// `PRAGMA integrity_check`: `Ok` or the first problems SQLite names.
fn integrity(conn: &Connection) -> Result<std::result::Result<(), String>> {
    let problems: Vec<String> = conn
        .prepare("PRAGMA integrity_check(5)")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(if problems == ["ok"] {
        Ok(())
    } else {
        Err(problems.join("; "))
    })
}

fn audit_entries(conn: &Connection) -> Result<u64> {
    let exists: bool = conn.query_row(
        "SELECT count(*) > 0 FROM sqlite_schema WHERE type = 'table' AND name = 'audit_log'",
        [],
        |r| r.get(0),
    )?;
    if !exists {
        return Ok(0);
    }
    let entries: i64 = conn.query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0))?;
    Ok(entries.unsigned_abs())
}

fn copy(from: &Connection, to: &mut Connection) -> Result<()> {
    Backup::new(from, to)?.run_to_completion(PAGES_PER_STEP, Duration::ZERO, None)?;
    Ok(())
}

fn sha256_of(path: &Path) -> Result<(String, u64)> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    Ok((trail::sha256_hex(&bytes), bytes.len() as u64))
}

impl Db {
    /// Writes a backup of the whole database to `out` (administrators only),
    /// recorded in the audit trail with the file's SHA-256. `out` is written
    /// only when the copy is complete and passes the integrity check; an
    /// existing file there is replaced.
    pub fn backup(&self, out: &Path) -> Result<BackupSummary> {
        self.backup_as(out, &out.display().to_string())
    }

    /// A backup sent whole (by the team server to an administrator's
    /// client): written beside the database, read, and removed; the trail
    /// records it under the name it is sent as.
    pub fn backup_content(&self) -> Result<(BackupSummary, crate::files::FileContent)> {
        let name = format!("tillit-backup-{}.db", self.now().format("%Y%m%dT%H%M%SZ"));
        // Staged beside the database (on its disk); an in-memory one's in
        // the temporary folder.
        let beside = match self.path() {
            Some(database) => database.to_path_buf(),
            None => std::env::temp_dir().join(format!("tillit-{}", uuid::Uuid::new_v4().simple())),
        };
        let staging = crate::files::unused_name(&beside, ".sending");
        let summary = self.backup_as(&staging, &name);
        let content = summary
            .as_ref()
            .ok()
            .map(|_| std::fs::read(&staging).map_err(|e| Error::io(&staging, e)));
        let _ = std::fs::remove_file(&staging);
        let mut summary = summary?;
        summary.path = name.clone();
        Ok((
            summary,
            crate::files::FileContent {
                name,
                content: content.transpose()?.unwrap_or_default(),
            },
        ))
    }

    fn backup_as(&self, out: &Path, recorded_as: &str) -> Result<BackupSummary> {
        let user = self.require_user(Permission::ManageDatabase.describe())?;
        crate::files::check_target(out, &self.protected())?;
        self.check_sound()?;
        let mut counts = None;
        crate::files::write_new(out, |partial, _| {
            if let super::Engine::Postgres(pool) = &self.shared.engine {
                counts = Some(super::on_snapshot(pool, |conn| {
                    crate::store::session::authorise(conn, &user, Permission::ManageDatabase)?;
                    write_copy_of(conn, partial)
                })?);
                return Ok(());
            }
            let conn = self.lock()?;
            crate::store::session::authorise(
                &super::sql::Connection::over_sqlite(&conn),
                &user,
                Permission::ManageDatabase,
            )?;
            counts = Some(write_copy(&conn, partial)?);
            Ok(())
        })?;
        let (schema_version, audit_entries) =
            counts.ok_or_else(|| Error::Internal("the backup wrote nothing".into()))?;
        let (sha256, bytes) = sha256_of(out)?;
        let path = recorded_as.to_owned();
        self.write(Permission::ManageDatabase, |tx| {
            tx.note(
                Action::Backup,
                "database",
                "",
                Some(serde_json::json!({
                    "file": &path,
                    "sha256": &sha256,
                    "bytes": bytes,
                    "schema_version": schema_version,
                    "audit_entries": audit_entries,
                })),
            )
        })?;
        Ok(BackupSummary {
            path,
            bytes,
            sha256,
            schema_version,
            audit_entries,
        })
    }

    /// Replaces the database with the backup at `from` (administrators only).
    ///
    /// Refused, with nothing changed, when the backup fails the integrity
    /// check, is not a Tillit database, is newer than this Tillit, or its
    /// audit trail does not verify (after bringing an older backup up to the
    /// current schema in a copy). The current database is first copied to
    /// `<file>.before-restore-<time>`. The restore is recorded in the restored
    /// trail; the user is signed out, since the restored users may differ.
    pub fn restore(&self, from: &Path) -> Result<RestoreSummary> {
        let user = self.require_user(Permission::ManageDatabase.describe())?;
        if let Some(shown) = self.postgres() {
            return Err(Refusal::new("refusal.postgres_restore")
                .with("location", shown)
                .into());
        }
        let database = self
            .path()
            .ok_or_else(|| Error::from(Refusal::new("refusal.in_memory_restore")))?
            .to_path_buf();
        let refused = |reason: String| refused(from, reason);
        if !from.is_file() {
            return Err(refused("there is no such file".into()));
        }
        if is_database_file(from, &database) {
            return Err(refused("it is the open database itself".into()));
        }
        self.read(|conn| {
            crate::store::session::authorise(conn, &user, Permission::ManageDatabase)
        })?;

        // Everything about the backup is checked in a staged copy of it.
        let staging = crate::files::unused_name(&database, ".restoring");
        let page_size: u32 =
            self.read(|conn| conn.query_row("PRAGMA page_size", [], |r| r.get(0)))?;
        let staged = stage(from, &staging, page_size).map_err(|error| match error {
            Error::NotATillitDatabase { reason, .. } => {
                refused(format!("it is not a Tillit database ({reason})"))
            }
            Error::DatabaseTooNew {
                found, supported, ..
            } => refused(format!(
                "it has schema version {found}, and this Tillit knows versions up to {supported}"
            )),
            Error::Sqlite(e) => refused(format!("SQLite cannot read it ({e})")),
            Error::Damaged(detail) => refused(format!("it is damaged ({detail})")),
            other => other,
        });
        let result = staged.and_then(|(staged, backup_version)| {
            let (sha256, _) = sha256_of(from)?;
            let kept_aside = crate::files::unused_name(
                &database,
                &format!(".before-restore-{}", self.now().format("%Y%m%dT%H%M%SZ")),
            );
            {
                let mut conn = self.lock()?;
                // A damaged database cannot be vacuumed: its file is kept as it is.
                if let Err(error) = conn.execute("VACUUM INTO ?1", [utf8(&kept_aside)?]) {
                    let error = Error::from(error);
                    if !matches!(error, Error::Damaged(_)) {
                        return Err(error);
                    }
                    let _ = std::fs::remove_file(&kept_aside);
                    std::fs::copy(&database, &kept_aside).map_err(|e| Error::io(&kept_aside, e))?;
                    let wal = with_suffix(&database, "-wal");
                    if wal.exists() {
                        std::fs::copy(&wal, with_suffix(&kept_aside, "-wal"))
                            .map_err(|e| Error::io(&kept_aside, e))?;
                    }
                }
                copy(&staged, &mut conn)?;
                trail::capture::reinstall(&super::sql::Connection::over_sqlite(&conn))?;
            }
            self.forget_derived();
            let restored_from = from.display().to_string();
            let kept = kept_aside.display().to_string();
            // Recorded as Tillit's own entry, naming who restored: the
            // restored database may not hold the person's signing key.
            self.transact(super::SYSTEM_ACTOR, None, |tx| {
                tx.note(
                    Action::Restore,
                    "database",
                    "",
                    Some(serde_json::json!({
                        "restored_by": &user.username,
                        "file": &restored_from,
                        "sha256": &sha256,
                        "schema_version": backup_version,
                        "kept_aside": &kept,
                    })),
                )
            })?;
            let audit_entries =
                self.read(|conn| audit_entries(conn.require_sqlite("a restore")?))?;
            Ok(RestoreSummary {
                restored_from,
                sha256,
                kept_aside: kept,
                backup_schema_version: backup_version,
                audit_entries,
            })
        });
        let _ = std::fs::remove_file(&staging);
        if result.is_ok() {
            self.set_session(None);
        }
        result
    }
}

/// The refusal of the backup at `from`, saying why.
fn refused(from: &Path, reason: String) -> Error {
    Error::BackupRefused {
        path: from.display().to_string(),
        reason,
    }
}

/// Copies the open database into the new, empty file at `partial` and
/// checks it; returns its schema version and audit entries.
fn write_copy(conn: &Connection, partial: &Path) -> Result<(u32, u64)> {
    let mut copy_conn = new_copy(partial)?;
    copy(conn, &mut copy_conn)?;
    checked(copy_conn)
}

/// Copies the PostgreSQL database read by `from` (one snapshot) into the
/// new, empty file at `partial`: a Tillit database file of the same schema,
/// as SQLite's migrations make it, with every row and the trail as it is,
/// verified before it is kept. Returns its schema version and audit entries.
fn write_copy_of(from: &super::sql::Connection, partial: &Path) -> Result<(u32, u64)> {
    let mut copy_conn = new_copy(partial)?;
    copy_conn.execute_batch("PRAGMA foreign_keys = ON;")?;
    migrate::apply(&mut copy_conn, MIGRATIONS, 0)?;
    super::trail::capture::register_functions(&super::sql::Connection::over_sqlite(&copy_conn))?;
    {
        let to = super::sql::Connection::over_sqlite(&copy_conn);
        to.execute_batch("BEGIN")?;
        let copied = super::copy::copy_all(from, &to, &partial.display().to_string());
        to.execute_batch(if copied.is_ok() { "COMMIT" } else { "ROLLBACK" })?;
        copied?;
    }
    checked(copy_conn)
}

/// The new, empty file made for a copy; never a link in its place.
fn new_copy(partial: &Path) -> Result<Connection> {
    Ok(Connection::open_with_flags(
        partial,
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_NOFOLLOW
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?)
}

/// The finished copy as one self-contained file (no WAL beside it) that
/// passes the integrity check: its schema version and audit entries.
fn checked(copy_conn: Connection) -> Result<(u32, u64)> {
    copy_conn.query_row("PRAGMA journal_mode = DELETE", [], |_| Ok(()))?;
    if let Err(problems) = integrity(&copy_conn)? {
        return Err(Error::Internal(format!(
            "the copy failed the integrity check: {problems}"
        )));
    }
    let version: u32 = copy_conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let entries = audit_entries(&copy_conn)?;
    drop(copy_conn);
    Ok((version, entries))
}

/// Copies the backup at `from` to `staging`, refuses it when it is not
/// sound, brings it to the current schema, and verifies its audit trail.
/// The staged copy gets the open database's `page_size`, so that copying it
/// into the open database (which is in WAL mode, where the page size cannot
/// change) works for a backup made with another page size.
/// Returns the open staged copy and the backup's schema version.
fn stage(from: &Path, staging: &Path, page_size: u32) -> Result<(Connection, u32)> {
    let refused = |reason: String| refused(from, reason);
    let source = Connection::open_with_flags(
        from,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    let version = migrate::check(&source, from, MIGRATIONS)?;
    if version == 0 {
        return Err(refused("it holds no Tillit database".into()));
    }
    if let Err(problems) = integrity(&source)? {
        return Err(refused(format!(
            "it failed the integrity check: {problems}"
        )));
    }
    let mut staged = Connection::open_with_flags(
        staging,
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NOFOLLOW
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    copy(&source, &mut staged)?;
    drop(source);
    let staged_page_size: u32 = staged.query_row("PRAGMA page_size", [], |r| r.get(0))?;
    if staged_page_size != page_size {
        staged.query_row("PRAGMA journal_mode = DELETE", [], |_| Ok(()))?;
        staged.execute_batch(&format!("PRAGMA page_size = {page_size}; VACUUM;"))?;
    }
    // Schema objects Tillit did not make (a trigger that hides failed
    // sign-ins) are refused before the upgrade could run them.
    if let Some(foreign) =
        migrate::foreign_objects(&super::sql::Connection::over_sqlite(&staged))?.first()
    {
        return Err(refused(format!(
            "it holds a schema object Tillit did not make ({})",
            foreign.sentence()
        )));
    }
    super::configure(&staged)?;
    migrate::apply(&mut staged, MIGRATIONS, version)?;
    let verification = trail::verify(&super::sql::Connection::over_sqlite(&staged))?;
    if let Some(finding) = verification.findings().next() {
        return Err(refused(format!(
            "it does not verify: {}",
            finding.sentence()
        )));
    }
    if let Some(mismatch) = &verification.first_mismatch {
        return Err(refused(format!(
            "its audit trail does not verify at entry {}: {}",
            mismatch.seq, mismatch.reason
        )));
    }
    if let Some(row) = verification.row_mismatches.first() {
        return Err(refused(format!(
            "its tables differ from its audit trail ({} rows, the first in {})",
            verification.row_mismatches.len(),
            row.table
        )));
    }
    Ok((staged, version))
}
