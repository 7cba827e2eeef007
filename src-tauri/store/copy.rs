//! Moving a whole database from one engine to the other: every row of every
//! table, the audit trail as it is (never re-written), the users with their
//! sealed keys, the rule sets, signatures and seals. What `tillit
//! migrate-store` does from an SQLite file to PostgreSQL, and what a backup
//! of a PostgreSQL store does the other way, into a Tillit backup file.
//!
//! The copy runs on connections without the capture, in one transaction on
//! the target, in the order the foreign keys ask for; the rows' order of
//! insertion (SQLite's rowid, a column of that name on PostgreSQL) comes
//! along, so lists that break ties by it read the same. Before the target
//! commits, its audit trail is verified against its rows; a copy that does
//! not verify is not kept.

use super::sql::Connection;
use super::trail;
use crate::error::{Error, Refusal, Result};
use rusqlite::types::Value;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What a copy moved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Copied {
    /// Each table with the rows copied, in the order they were copied.
    pub tables: Vec<CopiedTable>,
    /// Entries of the audit trail copied (and verified on the target).
    pub audit_entries: u64,
    /// The schema version of both.
    pub schema_version: u32,
}

/// One table and how many rows were copied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CopiedTable {
    pub table: String,
    pub rows: u64,
}

/// Most parameters one INSERT carries (PostgreSQL allows 65,535; SQLite
/// 32,766).
const PARAMETERS_PER_INSERT: usize = 30_000;

/// Copies every row of `from` into `to`, which must hold the same schema
/// version and no rows (`shown` names it in the refusal), inside the
/// transaction the caller has begun on `to`; then verifies the trail on
/// `to`. `from` is read as one snapshot by the caller.
pub(crate) fn copy_all(from: &Connection, to: &Connection, shown: &str) -> Result<Copied> {
    let version = from.schema_version()?;
    let target_version = to.schema_version()?;
    if version != target_version {
        return Err(Error::Internal(format!(
            "the source is at schema version {version} and the target at {target_version}"
        )));
    }
    let tables = in_reference_order(from)?;
    let mut target_tables = to.tables()?;
    target_tables.sort();
    let mut sorted = tables.clone();
    sorted.sort();
    if sorted != target_tables {
        return Err(Error::Internal(
            "the source and the target do not have the same tables".into(),
        ));
    }
    for table in &tables {
        let rows: i64 = to.query_row(&format!("SELECT count(*) FROM \"{table}\""), [], |r| {
            r.get(0)
        })?;
        if rows > 0 {
            return Err(Refusal::new("refusal.store_not_empty")
                .with("location", shown)
                .with("table", table)
                .with("rows", rows)
                .into());
        }
    }
    let mut copied = Vec::with_capacity(tables.len());
    for table in &tables {
        let rows = copy_table(from, to, table)?;
        copied.push(CopiedTable {
            table: table.clone(),
            rows,
        });
    }
    let verification = trail::verify(to)?;
    // Evidence files are not part of the database: they are copied, or
    // not, beside it.
    let findings = verification
        .signature_problems
        .iter()
        .chain(&verification.schema_problems);
    if let Some(finding) = findings.into_iter().next() {
        return Err(Error::Internal(format!(
            "the copy does not verify: {}",
            finding.sentence()
        )));
    }
    if let Some(mismatch) = &verification.first_mismatch {
        return Err(Error::Internal(format!(
            "the copy's audit trail does not verify at entry {}: {}",
            mismatch.seq, mismatch.reason
        )));
    }
    if let Some(row) = verification.row_mismatches.first() {
        return Err(Error::Internal(format!(
            "the copy's rows differ from its audit trail ({} rows, the first: {})",
            verification.row_mismatches.len(),
            row.sentence()
        )));
    }
    Ok(Copied {
        tables: copied,
        audit_entries: verification.entries,
        schema_version: version,
    })
}

/// The tables of `conn`, each after the tables it refers to.
fn in_reference_order(conn: &Connection) -> Result<Vec<String>> {
    let mut left: Vec<(String, Vec<String>)> = conn
        .tables()?
        .into_iter()
        .map(|t| {
            let refers = conn.references(&t)?;
            Ok((t, refers))
        })
        .collect::<Result<_>>()?;
    let mut ordered: Vec<String> = Vec::with_capacity(left.len());
    while !left.is_empty() {
        let before = left.len();
        let mut index = 0;
        while index < left.len() {
            let ready = left[index]
                .1
                .iter()
                .all(|r| *r == left[index].0 || ordered.contains(r));
            if ready {
                ordered.push(left.remove(index).0);
            } else {
                index += 1;
            }
        }
        if left.len() == before {
            return Err(Error::Internal(format!(
                "the tables refer to each other in a circle: {}",
                left.iter()
                    .map(|(t, _)| t.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
    }
    Ok(ordered)
}

/// Copies the rows of `table`; returns how many.
fn copy_table(from: &Connection, to: &Connection, table: &str) -> Result<u64> {
    let mut columns: Vec<String> = to.columns(table)?.into_iter().map(|c| c.name).collect();
    // The order of insertion, where the target keeps it as a column (or
    // SQLite keeps it itself, from a PostgreSQL column).
    let ordered = to.has_rowid_column(table)? || from.has_rowid_column(table)?;
    if ordered {
        columns.push("rowid".to_owned());
    }
    let list = columns
        .iter()
        .map(|c| format!("\"{c}\""))
        .collect::<Vec<_>>()
        .join(", ");
    let per_insert = (PARAMETERS_PER_INSERT / columns.len()).max(1);
    let mut select = from.prepare(&format!(
        "SELECT {list} FROM \"{table}\"{}",
        if ordered { " ORDER BY rowid" } else { "" }
    ))?;
    let mut rows = select.query([])?;
    let mut batch: Vec<Value> = Vec::with_capacity(per_insert * columns.len());
    let mut copied = 0u64;
    let insert = |values: &[Value]| -> Result<()> {
        let count = values.len() / columns.len();
        let mut n = 0;
        let tuples: Vec<String> = (0..count)
            .map(|_| {
                let places: Vec<String> = (0..columns.len())
                    .map(|_| {
                        n += 1;
                        format!("?{n}")
                    })
                    .collect();
                format!("({})", places.join(", "))
            })
            .collect();
        let sql = format!(
            "INSERT INTO \"{table}\" ({list}){} VALUES {}",
            if ordered && to.is_postgres() {
                " OVERRIDING SYSTEM VALUE"
            } else {
                ""
            },
            tuples.join(", ")
        );
        to.execute(&sql, super::sql::params_from_iter(values.iter()))?;
        Ok(())
    };
    while let Some(row) = rows.next()? {
        for index in 0..columns.len() {
            batch.push(row.get::<_, Value>(index)?);
        }
        copied += 1;
        if batch.len() >= per_insert * columns.len() {
            insert(&batch)?;
            batch.clear();
        }
    }
    if !batch.is_empty() {
        insert(&batch)?;
    }
    if ordered && to.is_postgres() {
        // New rows follow the copied ones.
        to.query_row(
            &format!(
                "SELECT setval(pg_get_serial_sequence('\"{table}\"', 'rowid'), coalesce(max(rowid), 0) + 1, false) FROM \"{table}\""
            ),
            [],
            |_| Ok(()),
        )?;
    }
    Ok(copied)
}

impl super::Db {
    /// Moves the whole database in the file at `from` into the empty
    /// PostgreSQL database at `to` (`tillit migrate-store`): copied in one
    /// transaction, verified there before it commits, and the move recorded
    /// in the target's trail. The file is read, never written (an older
    /// schema is first brought up to date, as opening it does).
    pub fn migrate_store(from: &std::path::Path, to: &str) -> Result<(super::Db, Copied)> {
        let source = super::Db::open_read_only(from)?;
        let target = super::Db::open_postgres(to)?;
        let shown = target.postgres().unwrap_or_default().to_owned();
        let super::Engine::Postgres(pool) = &target.shared.engine else {
            return Err(Error::Internal("the target is not PostgreSQL".into()));
        };
        let session = pool.bare()?;
        let to_conn = Connection::over_postgres(&session);
        let copied = source.read(|from_conn| {
            let snapshot = from_conn.is_autocommit();
            if snapshot {
                from_conn.execute_batch("BEGIN")?;
            }
            to_conn.execute_batch("BEGIN")?;
            let copied = to_conn
                .execute(
                    "SELECT pg_advisory_xact_lock(?1)",
                    [super::postgres::WRITE_LOCK],
                )
                .and_then(|_| copy_all(from_conn, &to_conn, &shown));
            let ended = to_conn.execute_batch(if copied.is_ok() { "COMMIT" } else { "ROLLBACK" });
            if snapshot {
                from_conn.execute_batch("COMMIT")?;
            }
            let copied = copied?;
            ended?;
            // Statistics for the planner at once, rather than when the
            // server's autovacuum gets to the new rows.
            to_conn.execute_batch("ANALYZE")?;
            Ok(copied)
        })?;
        let sha256 = trail::sha256_hex(&std::fs::read(from).map_err(|e| Error::io(from, e))?);
        target.with_tx(|tx| {
            tx.note(
                trail::Action::Migrate,
                "store",
                "",
                Some(serde_json::json!({
                    "from": from.display().to_string(),
                    "sha256": sha256,
                    "audit_entries": copied.audit_entries,
                    "schema_version": copied.schema_version,
                })),
            )
        })?;
        Ok((target, copied))
    }
}
