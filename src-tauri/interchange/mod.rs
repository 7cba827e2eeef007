//! Interchange: the JSON register format (everything, round-trips exactly)
//! and the CSV import of suppliers. Imports are all-or-nothing.

pub mod csv_import;
pub mod json;
mod json_read;

use crate::error::{Error, FieldError, Result, ValidationCode};
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

/// The largest file an import reads unless told otherwise: 256 MiB (a
/// register file of 10,000 suppliers with everything about them is about
/// as large).
pub const MAX_IMPORT_BYTES: u64 = 256 * 1024 * 1024;

/// Imports a file in the format its name says: all or nothing.
pub fn import_file(db: &Db, path: &Path) -> Result<ImportSummary> {
    import_file_as(db, path, ImportFormat::of(path)?, MAX_IMPORT_BYTES)
}

/// Reads the file to import: refused, naming it, when it is a folder or a
/// device, or larger than `max_bytes` (checked before reading where the
/// file tells its size, and while reading where it does not, as a pipe).
pub fn read_import(path: &Path, max_bytes: u64) -> Result<Vec<u8>> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let meta = file.metadata().map_err(|e| Error::io(path, e))?;
    let too_large = |size: String| {
        Error::invalid(
            "file",
            ValidationCode::TooLong,
            format!(
                "{} is {size}; an import reads at most {} MiB (a larger limit can be given with --max-size)",
                path.display(),
                max_bytes / (1024 * 1024)
            ),
        )
    };
    if meta.is_dir() {
        return Err(Error::invalid(
            "file",
            ValidationCode::Format,
            format!("{} is a folder, not a file", path.display()),
        ));
    }
    let kind = meta.file_type();
    if !meta.is_file() && !std::os::unix::fs::FileTypeExt::is_fifo(&kind) {
        return Err(Error::invalid(
            "file",
            ValidationCode::Format,
            format!(
                "{} is a device or other special file, not a file",
                path.display()
            ),
        ));
    }
    if meta.len() > max_bytes {
        return Err(too_large(format!(
            "{} MiB",
            meta.len().div_ceil(1024 * 1024)
        )));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io(path, e))?;
    if bytes.len() as u64 > max_bytes {
        return Err(too_large("larger than that".into()));
    }
    Ok(bytes)
}

/// Imports a file in the given format, at most `max_bytes` large: all or nothing.
pub fn import_file_as(
    db: &Db,
    path: &Path,
    format: ImportFormat,
    max_bytes: u64,
) -> Result<ImportSummary> {
    db.check_sound()?;
    let bytes = read_import(path, max_bytes)?;
    import_bytes_as(db, &bytes, format)
}

/// Imports a file sent whole (over the team server): its format from its
/// name, at most [`MAX_IMPORT_BYTES`] large, all or nothing.
pub fn import_content(db: &Db, file: &crate::files::FileContent) -> Result<ImportSummary> {
    db.check_sound()?;
    let format = ImportFormat::of(&file.name_only())?;
    if file.content.len() as u64 > MAX_IMPORT_BYTES {
        return Err(Error::invalid(
            "file",
            ValidationCode::TooLong,
            format!(
                "{} is {} MiB; an import reads at most {} MiB",
                file.name,
                (file.content.len() as u64).div_ceil(1024 * 1024),
                MAX_IMPORT_BYTES / (1024 * 1024)
            ),
        ));
    }
    import_bytes_as(db, &file.content, format)
}

fn import_bytes_as(db: &Db, bytes: &[u8], format: ImportFormat) -> Result<ImportSummary> {
    match format {
        ImportFormat::Json => json::import_bytes(db, bytes),
        ImportFormat::Csv => csv_import::import(db, bytes, |_| {}),
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

/// The most problems an import lists; the rest are counted.
pub const MAX_LISTED: usize = 200;

/// The problems of an import: the first [`MAX_LISTED`] listed, the rest counted.
#[derive(Debug, Default)]
pub(crate) struct Errors {
    listed: Vec<FieldError>,
    more: usize,
}

impl Errors {
    pub(crate) fn push(&mut self, error: FieldError) {
        if self.listed.len() < MAX_LISTED {
            self.listed.push(bounded(error));
        } else {
            self.more += 1;
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.listed.is_empty()
    }

    /// `Ok` when there is no problem; else every listed problem, and a last
    /// line saying how many more there are.
    pub(crate) fn finish(mut self) -> Result<()> {
        if self.listed.is_empty() {
            return Ok(());
        }
        if self.more > 0 {
            self.listed.push(FieldError::new(
                "file",
                ValidationCode::Format,
                format!(
                    "and {} more problems not listed here; correct these first",
                    self.more
                ),
            ));
        }
        Err(Error::Invalid(self.listed))
    }
}

/// A problem of an import with its field cut to 300 characters and its
/// message to 2,000: whatever a file holds, a report of it stays readable.
pub(crate) fn bounded(mut error: FieldError) -> FieldError {
    for (text, limit) in [(&mut error.field, 300), (&mut error.message, 2_000)] {
        if text.chars().count() > limit {
            let mut cut: String = text.chars().take(limit).collect();
            cut.push('…');
            *text = cut;
        }
    }
    error
}
