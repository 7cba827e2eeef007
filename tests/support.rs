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

use chrono::{TimeZone, Utc};
use tillit::context::{FixedClock, SequentialIds};
use tillit::supplier::{SupplierFields, Tier};
use tillit::Db;

/// An in-memory database with a fixed clock (2026-03-01 09:00 UTC) and
/// sequential ids, so every result is exactly predictable.
pub fn db() -> Db {
    Db::open_in_memory()
        .unwrap()
        .with_clock(FixedClock(
            Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap(),
        ))
        .with_ids(SequentialIds::default())
}

/// A valid Swedish supplier.
pub fn swedish_supplier(name: &str) -> SupplierFields {
    SupplierFields {
        legal_name: name.to_owned(),
        registration_number: "556012-5790".to_owned(),
        country_of_incorporation: "SE".to_owned(),
        country_of_headquarters: "SE".to_owned(),
        tier: Tier::Essential,
        tier_justification: "Hosts the customer portal".to_owned(),
        ..SupplierFields::default()
    }
}

/// The fields named by an error, in order.
pub fn fields_of(error: &tillit::Error) -> Vec<String> {
    error
        .field_errors()
        .iter()
        .map(|e| e.field.clone())
        .collect()
}
