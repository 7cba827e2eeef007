//! Helpers shared by the test modules.

use rusqlite::Connection;
use std::path::Path;

/// Reads `PRAGMA user_version` of the file at `path` without going through Tillit.
pub fn user_version(path: &Path) -> u32 {
    let conn = Connection::open(path).expect("open the file directly");
    conn.query_row("PRAGMA user_version", [], |row| row.get(0))
        .expect("read user_version")
}

/// Creates an SQLite file that claims to be a Tillit database of schema `version`.
pub fn tillit_file_at_version(path: &Path, version: u32) {
    let conn = Connection::open(path).expect("create the file");
    conn.execute_batch(&format!(
        "PRAGMA application_id = {}; PRAGMA user_version = {version}; CREATE TABLE from_the_future (x);",
        tillit::store::APPLICATION_ID
    ))
    .expect("write the header");
}
