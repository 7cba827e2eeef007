//! DORA's register of information (DOMAIN §12): the register Tillit holds,
//! written as the EBA's xBRL-CSV report package (reporting framework 4.0,
//! module DORA010100), after the checks that get a filing rejected. Nothing
//! is written while one fails, unless the package is asked for as a draft
//! (its name then says so). `data/dora/` holds the templates' columns and
//! the code lists; `docs/dora.md` says which field fills which column.

mod build;
mod check;
pub mod codes;
pub mod spec;

use crate::access::Permission;
use crate::error::{Error, FieldError, Result, ValidationCode};
use crate::store::Db;
use build::Register;
pub use build::{Origin, Row, Table};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::io::Write;
use ts_rs::TS;

pub use check::tillit_field;

/// A problem of the package: where (template, row as the CSV file numbers
/// it, column), what, where the row came from and the field in Tillit that
/// fills the cell.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Problem {
    pub template: String,
    pub row: Option<u32>,
    pub column: String,
    pub code: ValidationCode,
    pub message: String,
    /// The supplier, contract, service, subcontractor or function the row
    /// came from ("supplier Molnet AB, contract AVT-1").
    pub source: String,
    /// The same, each as (kind, name), for the window to say in its
    /// language: ("supplier", "Molnet AB") …
    pub from: Vec<(String, String)>,
    /// The field in Tillit that fills the cell, as the register file names
    /// it (`service.functions`).
    pub field: String,
}

impl Problem {
    fn new(
        template: &str,
        row: Option<u32>,
        column: &str,
        code: ValidationCode,
        message: impl Into<String>,
        origin: &Origin,
        field: &str,
    ) -> Problem {
        Problem {
            template: template.to_owned(),
            row,
            column: column.to_owned(),
            code,
            message: message.into(),
            source: origin.said(),
            from: origin.parts(),
            field: field.to_owned(),
        }
    }

    /// The problem as a field error: the field `B_02.02 c0050`, the row,
    /// and a message that names the source and Tillit's field.
    pub fn field_error(&self) -> FieldError {
        let mut message = self.message.clone();
        if !self.source.is_empty() {
            message.push_str(&format!(" ({})", self.source));
        }
        if !self.field.is_empty() {
            message.push_str(&format!("; in Tillit: {}", self.field));
        }
        FieldError {
            row: self.row,
            field: format!("{} {}", self.template, self.column)
                .trim()
                .to_owned(),
            code: self.code,
            message,
        }
    }
}

/// The package as built: its name, the rows of each template, the filing
/// indicators, and every problem found.
#[derive(Debug, Clone)]
pub struct Package {
    /// `<LEI>.IND_<CC>_DORA010100_DORA_<ref date>_<timestamp>`: the zip's
    /// name without `.zip`, and its root folder.
    pub name: String,
    pub reference_date: NaiveDate,
    pub entity_lei: String,
    pub base_currency: String,
    pub tables: Vec<Table>,
    pub indicators: Vec<(String, bool)>,
    pub problems: Vec<Problem>,
}

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DoraExport {
    /// The package's file name (`….zip`).
    pub file_name: String,
    /// Rows written per template, in order.
    pub rows: Vec<(String, u32)>,
    /// The problems found; empty unless written as a draft.
    pub problems: Vec<Problem>,
    pub draft: bool,
    pub sha256: String,
}

/// Builds the package of the register as of `reference_date`, and checks it.
pub fn package(db: &Db, reference_date: NaiveDate) -> Result<Package> {
    let now = db.now();
    if reference_date > now.date_naive() {
        return Err(Error::invalid(
            "ref_date",
            ValidationCode::OutOfRange,
            format!("the reference date {reference_date} is after today"),
        ));
    }
    let organisation = crate::settings::organisation(db)?;
    let functions = crate::supplier::list_functions(db)?;
    let suppliers = crate::supplier::all_details(db)?;
    let decided = crate::assessment::workflow::last_decided_on(db)?;
    let mut problems = Vec::new();
    // Without the entity's own LEI and country every row would be wrong:
    // say so once.
    let mut own = Vec::new();
    if crate::supplier::validate::lei(&organisation.lei).is_err() {
        own.push(("c0010", "organisation.lei", "the organisation's LEI is missing or its check digits do not hold (Settings → Organisation)"));
    }
    if organisation.country.is_empty() {
        own.push((
            "c0030",
            "organisation.country",
            "the organisation's country is required (Settings → Organisation)",
        ));
    }
    if organisation.currency.is_empty() {
        own.push(("c0100", "organisation.currency", "the organisation's reporting currency is required: it is the package's base currency (Settings → Organisation)"));
    }
    if !own.is_empty() {
        let problems: Vec<FieldError> = own
            .into_iter()
            .map(|(column, field, message)| {
                Problem::new(
                    if column == "c0100" {
                        "B_01.02"
                    } else {
                        "B_01.01"
                    },
                    Some(2),
                    column,
                    ValidationCode::Required,
                    message,
                    &Origin::default(),
                    field,
                )
                .field_error()
            })
            .collect();
        return Err(Error::Invalid(problems));
    }
    let register = Register {
        organisation: &organisation,
        functions: &functions,
        suppliers: &suppliers,
        decided: &decided,
        reference_date,
        reported_on: now.date_naive(),
    };
    let tables = build::tables(&register, &mut problems);
    let indicators: Vec<(String, bool)> = tables
        .iter()
        .map(|t| (t.template.code.clone(), !t.rows.is_empty()))
        .collect();
    check::check(&tables, &indicators, &mut problems);
    sort(&mut problems);
    let name = format!(
        "{}.IND_{}_DORA010100_DORA_{}_{}",
        organisation.lei,
        organisation.country,
        reference_date,
        now.format("%Y%m%d%H%M%S%3f")
    );
    Ok(Package {
        name,
        reference_date,
        entity_lei: organisation.lei,
        base_currency: organisation.currency,
        tables,
        indicators,
        problems,
    })
}

/// Runs the checks again on a package's rows as they are now (after a
/// change made to them by hand, in tests): its problems replaced.
pub fn recheck(package: &mut Package) {
    let mut problems = Vec::new();
    check::check(&package.tables, &package.indicators, &mut problems);
    sort(&mut problems);
    package.problems = problems;
}

fn sort(problems: &mut [Problem]) {
    problems.sort_by(|a, b| {
        (a.template.as_str(), a.row, a.column.as_str()).cmp(&(
            b.template.as_str(),
            b.row,
            b.column.as_str(),
        ))
    });
}

/// Rows of a CSV file, comma-separated, CRLF-terminated, quoted where needed.
fn csv_bytes<'a>(header: &[&str], rows: impl Iterator<Item = &'a [String]>) -> Result<Vec<u8>> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let fail = |e: csv::Error| Error::Internal(e.to_string());
    writer.write_record(header).map_err(fail)?;
    for row in rows {
        writer.write_record(row).map_err(fail)?;
    }
    writer
        .into_inner()
        .map_err(|e| Error::Internal(e.to_string()))
}

/// The package as the bytes of its zip file, its files under the folder
/// `root` (the file's name without `.zip`).
pub fn zip_bytes(package: &Package, root: &str) -> Result<Vec<u8>> {
    let fail = |e: zip::result::ZipError| Error::Internal(format!("the package's zip: {e}"));
    let io = |e: std::io::Error| Error::Internal(format!("the package's zip: {e}"));
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    let file = |zip: &mut zip::ZipWriter<_>, path: &str, bytes: &[u8]| -> Result<()> {
        zip.start_file(format!("{root}/{path}"), options)
            .map_err(fail)?;
        zip.write_all(bytes).map_err(io)
    };
    file(
        &mut zip,
        "META-INF/reportPackage.json",
        br#"{"documentInfo":{"documentType":"https://xbrl.org/report-package/2023"}}"#,
    )?;
    file(
        &mut zip,
        "reports/report.json",
        br#"{"documentInfo":{"documentType":"https://xbrl.org/2021/xbrl-csv","extends":["http://www.eba.europa.eu/eu/fr/xbrl/crr/fws/dora/4.0/mod/dora.json"]}}"#,
    )?;
    let parameters = [
        vec![
            "entityID".to_owned(),
            format!("rs:{}.IND", package.entity_lei),
        ],
        vec!["refPeriod".to_owned(), package.reference_date.to_string()],
        vec![
            "baseCurrency".to_owned(),
            format!("iso4217:{}", package.base_currency),
        ],
        vec!["decimalsInteger".to_owned(), "0".to_owned()],
        vec!["decimalsMonetary".to_owned(), "-3".to_owned()],
    ];
    file(
        &mut zip,
        "reports/parameters.csv",
        &csv_bytes(&["name", "value"], parameters.iter().map(Vec::as_slice))?,
    )?;
    let indicators: Vec<Vec<String>> = package
        .indicators
        .iter()
        .map(|(t, reported)| vec![t.clone(), reported.to_string()])
        .collect();
    file(
        &mut zip,
        "reports/FilingIndicators.csv",
        &csv_bytes(
            &["templateID", "reported"],
            indicators.iter().map(Vec::as_slice),
        )?,
    )?;
    for table in &package.tables {
        let header: Vec<&str> = table
            .template
            .columns
            .iter()
            .map(|c| c.code.as_str())
            .collect();
        let bytes = csv_bytes(&header, table.rows.iter().map(|r| r.cells.as_slice()))?;
        file(
            &mut zip,
            &format!("reports/{}", table.template.file_name()),
            &bytes,
        )?;
    }
    Ok(zip.finish().map_err(fail)?.into_inner())
}

/// What the checks found, before anything is written: the package's name,
/// its rows per template, and every problem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DoraCheck {
    /// The file name the package gets (`….zip`).
    pub file_name: String,
    pub rows: Vec<(String, u32)>,
    pub problems: Vec<Problem>,
}

/// A package sent whole (over the team server), with what was written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DoraContent {
    pub export: DoraExport,
    pub file: crate::files::FileContent,
}

fn rows_of(package: &Package) -> Vec<(String, u32)> {
    package
        .tables
        .iter()
        .map(|t| {
            (
                t.template.code.clone(),
                u32::try_from(t.rows.len()).unwrap_or(u32::MAX),
            )
        })
        .collect()
}

/// Runs every check on the package of `reference_date` and writes nothing.
pub fn check_only(db: &Db, reference_date: NaiveDate) -> Result<DoraCheck> {
    let package = package(db, reference_date)?;
    Ok(DoraCheck {
        file_name: format!("{}.zip", package.name),
        rows: rows_of(&package),
        problems: package.problems,
    })
}

/// The package built, checked and zipped, ready to be written: refused,
/// listing every problem by template, row and column, while a check fails,
/// unless `draft` (its name then starts with `DRAFT-`: for the
/// organisation to mend, never to file).
fn prepared(db: &Db, reference_date: NaiveDate, draft: bool) -> Result<(DoraExport, Vec<u8>)> {
    db.require_user(Permission::Export.describe())?;
    let package = package(db, reference_date)?;
    if !package.problems.is_empty() && !draft {
        return Err(Error::Invalid(
            package.problems.iter().map(Problem::field_error).collect(),
        ));
    }
    let root = format!("{}{}", if draft { "DRAFT-" } else { "" }, package.name);
    let bytes = zip_bytes(&package, &root)?;
    let export = DoraExport {
        file_name: format!("{root}.zip"),
        rows: rows_of(&package),
        problems: package.problems,
        draft,
        sha256: String::new(),
    };
    Ok((export, bytes))
}

/// Records in the audit trail that the package was issued, with its SHA-256.
fn record(db: &Db, reference_date: NaiveDate, export: &mut DoraExport, bytes: &[u8]) -> Result<()> {
    export.sha256 = crate::audit::record_export(
        db,
        "register_of_information",
        "",
        serde_json::json!({
            "format": "dora-roi",
            "reference_date": reference_date.to_string(),
            "draft": export.draft,
            "problems": export.problems.len(),
            "name": export.file_name,
        }),
        bytes,
    )?;
    Ok(())
}

/// Writes the package into the folder `target` under its own name, or as
/// the file `target` names, and records it in the audit trail; a file the
/// trail cannot record is removed.
pub fn export(
    db: &Db,
    reference_date: NaiveDate,
    draft: bool,
    target: &std::path::Path,
) -> Result<DoraExport> {
    let (mut export, bytes) = prepared(db, reference_date, draft)?;
    let path = if target.is_dir() {
        target.join(&export.file_name)
    } else {
        target.to_path_buf()
    };
    crate::files::save(&path, &db.protected(), &bytes)?;
    record(db, reference_date, &mut export, &bytes).inspect_err(|_| {
        let _ = std::fs::remove_file(&path);
    })?;
    if let Some(name) = path.file_name() {
        export.file_name = name.to_string_lossy().into_owned();
    }
    Ok(export)
}

/// The package sent whole (over the team server), recorded as issued.
pub fn content(db: &Db, reference_date: NaiveDate, draft: bool) -> Result<DoraContent> {
    let (mut export, bytes) = prepared(db, reference_date, draft)?;
    record(db, reference_date, &mut export, &bytes)?;
    Ok(DoraContent {
        file: crate::files::FileContent {
            name: export.file_name.clone(),
            content: bytes,
        },
        export,
    })
}
