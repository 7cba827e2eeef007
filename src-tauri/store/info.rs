//! What a database holds, at a glance: the file, the schema version and the
//! rows of every table. Shown by `tillit info` and in Settings.

use crate::error::Result;
use crate::store::sql::Connection;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The state of the open database.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DbInfo {
    /// The database file; `None` for an in-memory database.
    pub path: Option<String>,
    /// The file's schema version (`PRAGMA user_version`).
    pub schema_version: u32,
    /// The newest schema version this build knows.
    pub supported_schema_version: u32,
    /// Every table with its number of rows, by name.
    pub tables: Vec<TableCount>,
}

/// One table and how many rows it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TableCount {
    pub table: String,
    pub rows: u32,
}

pub(super) fn collect(conn: &Connection, location: Option<String>) -> Result<DbInfo> {
    let schema_version = conn.schema_version()?;
    let names = conn.tables()?;
    let tables = names
        .into_iter()
        .map(|table| {
            // The name comes from the schema, not from input; quoted all the same.
            let sql = format!("SELECT count(*) FROM \"{}\"", table.replace('"', "\"\""));
            let rows: u32 = conn.query_row(&sql, [], |row| row.get(0))?;
            Ok(TableCount { table, rows })
        })
        .collect::<Result<_>>()?;
    Ok(DbInfo {
        path: location,
        schema_version,
        supported_schema_version: super::latest_version(super::MIGRATIONS),
        tables,
    })
}
