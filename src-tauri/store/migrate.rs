//! Schema migrations: `migrations/NNNN_name.sql`, embedded by `build.rs`,
//! applied in order in one transaction. The schema version is SQLite's
//! `PRAGMA user_version`; migration N brings the file to version N.

use super::trail::{capture, Discrepancy};
use super::{signing, APPLICATION_ID};
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
    if found < supported {
        check_not_lowered(conn, path, found, migrations)?;
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
    let sql = super::sql::Connection::over_sqlite(&tx);
    let at = crate::context::timestamp(crate::context::Clock::now(&crate::context::SystemClock));
    // From version 5 on every change is in the trail: an upgrade records
    // only what the migrations themselves change (DOMAIN §9), from the rows
    // as the old version's trail recorded them to the rows as the new one
    // records them.
    let recorded = from >= CAPTURED_FROM;
    let before = if recorded {
        Some(capture::images(&sql, from)?)
    } else {
        None
    };
    let mut applied = Vec::new();
    for migration in migrations.iter().filter(|m| m.version > from) {
        tx.execute_batch(migration.sql).map_err(|e| {
            Error::Internal(format!(
                "migration {:04}_{} failed: {e}",
                migration.version, migration.name
            ))
        })?;
        tx.pragma_update(None, "user_version", migration.version)?;
        // Version 6 keeps each service assessment's level and highest
        // residual rating beside its JSON; the rows already stored get theirs.
        if migration.version == RISK_PICTURE_FROM && from > 0 {
            tx.execute_batch(FILL_RISK_PICTURE)?;
        }
        applied.push(migration);
    }
    let latest = latest_version(migrations);
    // A new database needs no markers: nothing was there to change.
    let has_trail = latest >= 4 && from > 0;
    if let Some(before) = before {
        let after = capture::images(&sql, latest)?;
        capture::record_upgrade(&sql, &before, &after, super::SYSTEM_ACTOR, &at)?;
    } else if from > 0 && latest >= CAPTURED_FROM {
        // A database from before the trail recorded rows: they are recorded
        // as Tillit found them, as there is no record to compare them with.
        capture::adopt_unrecorded(&sql, super::SYSTEM_ACTOR, &at)?;
    }
    if has_trail {
        // What the signatures' migration found unsigned, kept in its marker.
        let unsigned = if applied
            .iter()
            .any(|m| m.version == signing::SIGNATURES_FROM)
        {
            Some(signing::Unsigned::found(&sql)?)
        } else {
            None
        };
        let mut chain = super::trail::Chain::open(&sql)?;
        for migration in &applied {
            let mut after = serde_json::json!({
                "version": migration.version,
                "name": migration.name,
                "from": from,
            });
            if migration.version == signing::SIGNATURES_FROM {
                if let Some(unsigned) = &unsigned {
                    after["unsigned"] = serde_json::to_value(unsigned)
                        .map_err(|e| Error::Internal(e.to_string()))?;
                }
            }
            let after = super::trail::canonical(&after);
            chain.append_canonical(
                &sql,
                &at,
                &super::trail::CanonicalChange {
                    actor: super::SYSTEM_ACTOR,
                    action: super::trail::Action::Migrate,
                    entity: "schema",
                    entity_id: &migration.version.to_string(),
                    before: None,
                    after: Some(&after),
                },
            )?;
        }
    }
    tx.commit()?;
    Ok(())
}

/// The tables each migration creates, by the version that creates them.
fn created_tables(migration: &Migration) -> Vec<String> {
    let upper = migration.sql.to_ascii_uppercase();
    let mut names = Vec::new();
    let mut rest = upper.as_str();
    let mut offset = 0;
    while let Some(at) = rest.find("CREATE TABLE ") {
        let start = offset + at + "CREATE TABLE ".len();
        let name: String = migration.sql[start..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if !name.is_empty() && !name.ends_with("_new") {
            names.push(name);
        }
        offset = start;
        rest = &upper[start..];
    }
    names
}

/// Refuses a file whose schema version was lowered by hand: it holds tables
/// a later migration creates, or its trail records a later migration.
fn check_not_lowered(
    conn: &Connection,
    path: &Path,
    found: u32,
    migrations: &[Migration],
) -> Result<()> {
    let exists = |name: &str| -> Result<bool> {
        Ok(conn.query_row(
            "SELECT count(*) > 0 FROM sqlite_schema WHERE type = 'table' AND name = ?1",
            [name],
            |r| r.get(0),
        )?)
    };
    let lowered = |reason: String| Error::NotATillitDatabase {
        path: path.display().to_string(),
        reason: format!(
            "{reason}: its schema version was lowered, so it is not a database this Tillit wrote"
        ),
    };
    for migration in migrations.iter().filter(|m| m.version > found) {
        for table in created_tables(migration) {
            if exists(&table)? {
                return Err(lowered(format!(
                    "its schema version is {found}, but it holds the table {table} of version {}",
                    migration.version
                )));
            }
        }
    }
    if exists("audit_log")? {
        let recorded: Option<i64> = conn.query_row(
            "SELECT max(CAST(entity_id AS INTEGER)) FROM audit_log WHERE action = 'migrate' AND entity = 'schema'",
            [],
            |r| r.get(0),
        )?;
        if let Some(recorded) = recorded.filter(|v| *v > i64::from(found)) {
            return Err(lowered(format!(
                "its schema version is {found}, but its audit trail records the upgrade to version {recorded}"
            )));
        }
    }
    Ok(())
}

/// The schema objects (tables, indexes, triggers, views) of `conn` that the
/// migrations up to its schema version do not make, or make otherwise, and
/// those they make that are missing: named, with what is wrong.
pub fn foreign_objects(conn: &super::sql::Connection) -> Result<Vec<Discrepancy>> {
    if conn.is_postgres() {
        return foreign_objects_on_postgres(conn);
    }
    let conn = conn.require_sqlite("checking the schema")?;
    let version: u32 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let objects = |conn: &Connection| -> Result<std::collections::BTreeMap<(String, String), Option<String>>> {
        Ok(conn
            .prepare(
                "SELECT type, name, sql FROM main.sqlite_schema WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
            )?
            .query_map([], |r| Ok(((r.get(0)?, r.get(1)?), r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?)
    };
    let expected = {
        let mut fresh = Connection::open_in_memory()?;
        let upto: Vec<Migration> = MIGRATIONS
            .iter()
            .filter(|m| m.version <= version)
            .copied()
            .collect();
        apply(&mut fresh, &upto, 0)?;
        objects(&fresh)?
    };
    let found = objects(conn)?;
    let mut findings = Vec::new();
    for ((kind, name), sql) in &found {
        match expected.get(&(kind.clone(), name.clone())) {
            Some(made) if made == sql => {}
            Some(_) => findings.push(Discrepancy::new(
                format!("{kind} {name}"),
                "differs from the one Tillit made: it was changed outside Tillit",
            )),
            None => findings.push(Discrepancy::new(
                format!("{kind} {name}"),
                "was not made by Tillit: it was added outside Tillit",
            )),
        }
    }
    for (kind, name) in expected.keys() {
        if !found.contains_key(&(kind.clone(), name.clone())) {
            findings.push(Discrepancy::new(
                format!("{kind} {name}"),
                "is missing: it was removed outside Tillit",
            ));
        }
    }
    Ok(findings)
}

/// [`foreign_objects`] on PostgreSQL: tables and indexes that the
/// migrations do not make, or that are missing, by name (the schema of a
/// version is SQLite's, which a test compares column by column); and every
/// recorded table's capture trigger, which must be there and enabled, and
/// alone: without it, changes are no longer recorded.
fn foreign_objects_on_postgres(conn: &super::sql::Connection) -> Result<Vec<Discrepancy>> {
    let version = conn.schema_version()?;
    let expected = {
        let mut fresh = Connection::open_in_memory()?;
        let upto: Vec<Migration> = MIGRATIONS
            .iter()
            .filter(|m| m.version <= version)
            .copied()
            .collect();
        apply(&mut fresh, &upto, 0)?;
        let names: std::collections::BTreeSet<(String, String)> = fresh
            .prepare(
                "SELECT type, name FROM main.sqlite_schema
                 WHERE type IN ('table', 'index') AND sql IS NOT NULL AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
            )?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        names
    };
    let found: std::collections::BTreeSet<(String, String)> = conn
        .prepare(
            "SELECT CASE c.relkind WHEN 'i' THEN 'index' ELSE 'table' END, c.relname::text
             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'i', 'v', 'm', 'f')
               AND c.relname <> 'tillit_schema'
               AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = c.oid AND k.contype IN ('p', 'u'))
               -- The index of the rowid column, which SQLite keeps by itself.
               AND NOT (c.relkind = 'i' AND EXISTS (
                   SELECT 1 FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
                   WHERE i.indexrelid = c.oid AND c.relname = t.relname || '_rowid'))",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut findings = Vec::new();
    for (kind, name) in found.difference(&expected) {
        findings.push(Discrepancy::new(
            format!("{kind} {name}"),
            "was not made by Tillit: it was added outside Tillit",
        ));
    }
    for (kind, name) in expected.difference(&found) {
        findings.push(Discrepancy::new(
            format!("{kind} {name}"),
            "is missing: it was removed outside Tillit",
        ));
    }
    let triggers: Vec<(String, String, String)> = conn
        .prepare(
            "SELECT c.relname::text, t.tgname::text, t.tgenabled::text FROM pg_trigger t
             JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = current_schema() AND NOT t.tgisinternal",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for table in capture::recorded_tables(conn)? {
        let name = &table.name;
        match triggers
            .iter()
            .find(|(t, g, _)| t == name && g == "tillit_audit")
        {
            Some((_, _, enabled)) if enabled != "D" => {}
            Some(_) => findings.push(Discrepancy::new(
                format!("trigger tillit_audit on {name}"),
                "is disabled: changes to the table are not recorded",
            )),
            None => findings.push(Discrepancy::new(
                format!("trigger tillit_audit on {name}"),
                "is missing: changes to the table are not recorded",
            )),
        }
    }
    for (table, trigger, _) in triggers.iter().filter(|(_, g, _)| g != "tillit_audit") {
        findings.push(Discrepancy::new(
            format!("trigger {trigger} on {table}"),
            "was not made by Tillit: it was added outside Tillit",
        ));
    }
    Ok(findings)
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
