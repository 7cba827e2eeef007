//! Schema migrations: `migrations/NNNN_name.sql`, embedded by `build.rs`,
//! applied in order in one transaction. The schema version is SQLite's
//! `PRAGMA user_version`; migration N brings the file to version N.

use super::APPLICATION_ID;
use crate::error::{Error, Result};
use rusqlite::Connection;
use std::path::{Path, PathBuf};

/// One embedded migration.
#[derive(Debug, Clone, Copy)]
pub struct Migration {
    /// The schema version this migration brings the database to.
    pub version: u32,
    /// The descriptive part of the file name.
    pub name: &'static str,
    /// The SQL, run as one batch inside the upgrade transaction.
    pub sql: &'static str,
}

/// The first schema version whose changes are all in the audit trail.
const CAPTURED_FROM: u32 = 5;
/// The first schema version whose service assessments keep their risk
/// picture beside their JSON.
const RISK_PICTURE_FROM: u32 = 6;
/// The first schema version whose trail records the digest of each user's
/// password hash.
const PASSWORD_DIGEST_FROM: u32 = 7;

include!(concat!(env!("OUT_DIR"), "/migrations.rs"));

/// The highest version `migrations` reaches.
pub fn latest_version(migrations: &[Migration]) -> u32 {
    migrations.last().map_or(0, |m| m.version)
}

/// Reads the file's schema version and refuses, before anything is written,
/// a database that is newer than `migrations` or that is not Tillit's.
pub(super) fn check(conn: &Connection, path: &Path, migrations: &[Migration]) -> Result<u32> {
    let not_tillit = |reason: String| Error::NotATillitDatabase {
        path: path.display().to_string(),
        reason,
    };
    let read = |pragma: &str| -> Result<i64> {
        conn.query_row(&format!("PRAGMA {pragma}"), [], |row| row.get(0))
            .map_err(|e| match e {
                rusqlite::Error::SqliteFailure(f, _)
                    if f.code == rusqlite::ErrorCode::NotADatabase =>
                {
                    not_tillit("it is not an SQLite database".into())
                }
                other => other.into(),
            })
    };
    let application_id = read("application_id")?;
    let user_version = read("user_version")?;
    let objects: i64 =
        conn.query_row("SELECT count(*) FROM sqlite_schema", [], |row| row.get(0))?;

    let fresh = application_id == 0 && user_version == 0 && objects == 0;
    if fresh {
        return Ok(0);
    }
    if application_id != i64::from(APPLICATION_ID) {
        return Err(not_tillit(format!(
            "its application id is {application_id}, Tillit's is {APPLICATION_ID}"
        )));
    }
    let found = u32::try_from(user_version)
        .map_err(|_| not_tillit(format!("its schema version is {user_version}")))?;
    let supported = latest_version(migrations);
    if found > supported {
        return Err(Error::DatabaseTooNew {
            path: path.display().to_string(),
            found,
            supported,
        });
    }
    Ok(found)
}

/// Copies the database aside before it is upgraded from version `from`:
/// `<file>.bak-v<from>`, or `<file>.bak-v<from>.2`, `.3` … when an earlier copy
/// exists (a backup is never overwritten). `VACUUM INTO` writes a consistent
/// copy that includes what is still in the WAL.
pub(super) fn backup(conn: &Connection, path: &Path, from: u32) -> Result<PathBuf> {
    let target = crate::files::unused_name(path, &format!(".bak-v{from}"));
    let target_str = target.to_str().ok_or_else(|| {
        Error::Internal(format!(
            "the backup path {} is not valid UTF-8",
            target.display()
        ))
    })?;
    conn.execute("VACUUM INTO ?1", [target_str])?;
    Ok(target)
}

/// Applies every migration after `from`, all in one transaction, and sets
/// `user_version`; on any error nothing of the upgrade remains.
/// Version 6's data step: each stored service assessment's level (from its
/// result) and highest residual rating (from its risks: the greatest score,
/// then impact, then likelihood, as `assessment::risk::highest` ranks them
/// then) beside its JSON. It reads only those fields, so older inputs qualify;
/// like the SQL of a released migration, it is never edited.
const FILL_RISK_PICTURE: &str = "
    UPDATE service_assessment SET
      risk_level = json_extract(result, '$.level'),
      residual_likelihood = (
        SELECT json_extract(r.value, '$.residual.likelihood') FROM json_each(input, '$.risks') AS r
        ORDER BY json_extract(r.value, '$.residual.likelihood') * json_extract(r.value, '$.residual.impact') DESC,
                 json_extract(r.value, '$.residual.impact') DESC,
                 json_extract(r.value, '$.residual.likelihood') DESC
        LIMIT 1),
      residual_impact = (
        SELECT json_extract(r.value, '$.residual.impact') FROM json_each(input, '$.risks') AS r
        ORDER BY json_extract(r.value, '$.residual.likelihood') * json_extract(r.value, '$.residual.impact') DESC,
                 json_extract(r.value, '$.residual.impact') DESC,
                 json_extract(r.value, '$.residual.likelihood') DESC
        LIMIT 1);";

pub(super) fn apply(conn: &mut Connection, migrations: &[Migration], from: u32) -> Result<()> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Exclusive)?;
    for migration in migrations.iter().filter(|m| m.version > from) {
        tx.execute_batch(migration.sql).map_err(|e| {
            Error::Internal(format!(
                "migration {:04}_{} failed: {e}",
                migration.version, migration.name
            ))
        })?;
        tx.pragma_update(None, "user_version", migration.version)?;
    }
    let at = crate::context::timestamp(crate::context::Clock::now(&crate::context::SystemClock));
    let reaches =
        |version: u32| from > 0 && from < version && latest_version(migrations) >= version;
    // Version 6 keeps each service assessment's level and highest residual
    // rating beside its JSON; the rows already stored get theirs here. Where
    // the trail already recorded those rows, the change is recorded too, as
    // the system's.
    if reaches(RISK_PICTURE_FROM) {
        let recorded = from >= CAPTURED_FROM;
        if recorded {
            super::trail::capture::install(&tx)?;
        }
        tx.execute_batch(FILL_RISK_PICTURE)?;
        if recorded {
            super::trail::capture::drain(&tx, super::SYSTEM_ACTOR, &at)?;
        }
    }
    // From version 5 on, every change is in the audit trail. The rows of
    // an older database are recorded as Tillit found them, in the same
    // transaction as the upgrade; so are the users when version 7 adds the
    // digest of their password hash to what the trail records of them.
    if reaches(CAPTURED_FROM) || reaches(PASSWORD_DIGEST_FROM) {
        super::trail::capture::adopt_unrecorded(&tx, super::SYSTEM_ACTOR, &at)?;
    }
    tx.commit()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_migrations_are_numbered_from_one_without_gaps() {
        for (index, migration) in MIGRATIONS.iter().enumerate() {
            assert_eq!(migration.version as usize, index + 1, "{}", migration.name);
        }
        assert!(
            !MIGRATIONS.is_empty(),
            "at least the initial migration is embedded"
        );
    }
}
