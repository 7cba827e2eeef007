//! Interchange: the JSON register format (everything, round-trips exactly)
//! and the CSV import of suppliers. Imports are all-or-nothing.

pub mod csv_import;
pub mod json;

use crate::error::{Error, Result, ValidationCode};
use crate::store::Db;
use serde::{Deserialize, Serialize};
use std::path::Path;
use ts_rs::TS;

/// The formats an import reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportFormat {
    /// The JSON register format.
    Json,
    /// A CSV file of suppliers.
    Csv,
}

impl ImportFormat {
    /// The format a file name implies (`.json`, `.csv`).
    pub fn of(path: &Path) -> Result<ImportFormat> {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("json") => Ok(ImportFormat::Json),
            Some("csv") | Some("txt") => Ok(ImportFormat::Csv),
            _ => Err(Error::invalid(
                "format",
                ValidationCode::UnknownValue,
                format!(
                    "cannot tell the format of {}: name it .json or .csv",
                    path.display()
                ),
            )),
        }
    }
}

/// Imports a file in `format` (from its name when `None`): all or nothing.
pub fn import_file(db: &Db, path: &Path) -> Result<ImportSummary> {
    import_file_as(db, path, ImportFormat::of(path)?)
}

/// Imports a file in the given format: all or nothing.
pub fn import_file_as(db: &Db, path: &Path, format: ImportFormat) -> Result<ImportSummary> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    match format {
        ImportFormat::Json => {
            let text = String::from_utf8(bytes).map_err(|_| {
                Error::invalid("file", ValidationCode::Format, "the file is not UTF-8 text")
            })?;
            json::import_text(db, &text)
        }
        ImportFormat::Csv => csv_import::import(db, &bytes, |_| {}),
    }
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ImportSummary {
    pub suppliers: u32,
    pub services: u32,
    pub subcontractors: u32,
    pub evidence: u32,
}
