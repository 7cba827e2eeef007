//! The JSON register format (`docs/register-format.md`,
//! `docs/register-format.schema.json`): every supplier with every field,
//! its services, subcontractors and evidence, plus the computed exposure
//! (read-only: recomputed on import). Export → import into an empty database
//! → export gives the same bytes.

use super::ImportSummary;
use crate::assessment::workflow::{self, Assessment};
use crate::error::{Error, FieldError, Result, ValidationCode};
use crate::jurisdiction::Exposure;
use crate::rules::{self, StoredRuleSet};
use crate::store::Db;
use crate::supplier::{self, Evidence, Service, Subcontractor, Supplier, SupplierDetail};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// The value of `format` in every register file.
pub const FORMAT: &str = "tillit-register";
/// The version of the format this build writes and reads.
pub const VERSION: u32 = 1;

/// A register file: `format` is always "tillit-register", `version` 1.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct RegisterDocument {
    pub format: String,
    pub version: u32,
    /// The rule sets the assessments in the file were made under.
    #[serde(default)]
    pub rule_sets: Vec<StoredRuleSet>,
    pub suppliers: Vec<SupplierRecord>,
}

/// One supplier with everything about it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SupplierRecord {
    #[serde(flatten)]
    pub supplier: Supplier,
    #[serde(default)]
    pub services: Vec<Service>,
    #[serde(default)]
    pub subcontractors: Vec<Subcontractor>,
    #[serde(default)]
    pub evidence: Vec<Evidence>,
    /// The supplier's assessments, newest first: the inputs, and the results
    /// computed from them (recomputed on import).
    #[serde(default)]
    pub assessments: Vec<Assessment>,
    /// Computed by Tillit; ignored on import.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exposure: Option<Exposure>,
}

/// The JSON Schema of the format (`docs/register-format.schema.json`),
/// generated from the types above.
pub fn schema_text() -> String {
    let mut schema = schemars::schema_for!(RegisterDocument);
    schema.insert("$id".into(), "tillit-register-v1".into());
    schema.insert(
        "title".into(),
        "Tillit supplier register, format version 1".into(),
    );
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}

/// The whole register as a document.
pub fn export(db: &Db) -> Result<RegisterDocument> {
    let suppliers = supplier::all_details(db)?
        .into_iter()
        .map(|d| {
            Ok(SupplierRecord {
                assessments: workflow::of_supplier(db, d.supplier.id)?,
                supplier: d.supplier,
                // Which subcontractors touch each service follows from the
                // subcontractors and their links, which the file carries.
                services: d
                    .services
                    .into_iter()
                    .map(|mut s| {
                        s.subcontracted.clear();
                        s
                    })
                    .collect(),
                subcontractors: d.subcontractors,
                evidence: d.evidence,
                exposure: Some(d.exposure),
            })
        })
        .collect::<Result<_>>()?;
    Ok(RegisterDocument {
        format: FORMAT.to_owned(),
        version: VERSION,
        rule_sets: db.read(rules::all)?,
        suppliers,
    })
}

/// The whole register as pretty-printed JSON text, ending in a newline,
/// with the number of suppliers in it. Needs a user who may export.
fn render_text(db: &Db) -> Result<(String, usize)> {
    db.require_user(crate::approval::Permission::Export.describe())?;
    let document = export(db)?;
    let mut text =
        serde_json::to_string_pretty(&document).map_err(|e| Error::Internal(e.to_string()))?;
    text.push('\n');
    Ok((text, document.suppliers.len()))
}

/// Records in the audit trail that the register was exported as `text`,
/// with its SHA-256: only once the bytes were written.
fn record_export(db: &Db, text: &str, suppliers: usize) -> Result<()> {
    crate::audit::record_export(
        db,
        "register",
        "",
        serde_json::json!({ "format": "json", "suppliers": suppliers }),
        text.as_bytes(),
    )
    .map(|_| ())
}

/// Writes the register file to `target` (refused when it names the
/// database, a folder or a special file; written through a new temporary
/// file), then records the export. A file the trail cannot record is removed.
pub fn export_file(db: &Db, target: &std::path::Path) -> Result<()> {
    let (text, suppliers) = render_text(db)?;
    crate::files::save(target, &db.protected(), text.as_bytes())?;
    record_export(db, &text, suppliers).inspect_err(|_| {
        let _ = std::fs::remove_file(target);
    })
}

/// Writes the register file to `out` (standard output) and records the
/// export once every byte was written and flushed: a full disk or a closed
/// pipe leaves no export in the trail.
pub fn export_stream(db: &Db, out: &mut impl std::io::Write) -> Result<()> {
    let (text, suppliers) = render_text(db)?;
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| Error::io("standard output", e))?;
    record_export(db, &text, suppliers)
}

/// The register file as text, recorded in the audit trail as exported.
pub fn export_text(db: &Db) -> Result<String> {
    let mut bytes = Vec::new();
    export_stream(db, &mut bytes)?;
    String::from_utf8(bytes).map_err(|e| Error::Internal(e.to_string()))
}

/// Imports a register file: every supplier or none. Ids, statuses and times
/// are kept; an id already in the database is refused.
pub fn import_text(db: &Db, text: &str) -> Result<ImportSummary> {
    let document: RegisterDocument = serde_json::from_str(text.trim_start_matches('\u{feff}'))
        .map_err(|e| {
            Error::invalid(
                "file",
                ValidationCode::Format,
                format!(
                    "not a Tillit register file: line {}, column {}: {e}",
                    e.line(),
                    e.column()
                ),
            )
        })?;
    if document.format != FORMAT || document.version != VERSION {
        return Err(Error::invalid(
            "format",
            ValidationCode::UnknownValue,
            format!(
                "expected format {FORMAT:?} version {VERSION}, found {:?} version {}",
                document.format, document.version
            ),
        ));
    }
    let mut errors: Vec<FieldError> = Vec::new();
    let mut seen = HashSet::new();
    let mut details = Vec::with_capacity(document.suppliers.len());
    let mut assessments = Vec::new();
    for (index, record) in document.suppliers.into_iter().enumerate() {
        let row = u32::try_from(index + 1).unwrap_or(u32::MAX);
        let id = record.supplier.id;
        let mut detail = SupplierDetail {
            services: record.services,
            subcontractors: record.subcontractors,
            evidence: record.evidence,
            // Recomputed from the data when written.
            exposure: record.exposure.unwrap_or_else(|| Exposure {
                derived: false,
                reasons: Vec::new(),
                override_: None,
                exposed: false,
            }),
            supplier: record.supplier,
        };
        for service in &mut detail.services {
            service.supplier_id = id;
        }
        for sub in &mut detail.subcontractors {
            sub.supplier_id = id;
        }
        for evidence in &mut detail.evidence {
            evidence.supplier_id = id;
        }
        for mut assessment in record.assessments {
            assessment.supplier_id = id;
            assessments.push((row, assessment));
        }
        if !seen.insert(id) {
            errors.push(FieldError {
                row: Some(row),
                ..FieldError::new(
                    "id",
                    ValidationCode::Duplicate,
                    format!("supplier id {id} appears twice in the file"),
                )
            });
        }
        if let Err(error) = supplier::validate_detail(&mut detail) {
            errors.extend(error.field_errors().iter().cloned().map(|e| FieldError {
                row: Some(row),
                ..e
            }));
        }
        details.push(detail);
    }
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    let rule_sets = document.rule_sets;
    db.write(crate::approval::Permission::EditRegister, |tx| {
        let now = tx.now_text();
        for stored in &rule_sets {
            rules::import(tx, stored)?;
        }
        let mut summary = ImportSummary {
            suppliers: 0,
            services: 0,
            subcontractors: 0,
            evidence: 0,
        };
        let exposing = supplier::exposing_in(tx)?;
        for (index, detail) in details.iter().enumerate() {
            let row = u32::try_from(index + 1).unwrap_or(u32::MAX);
            supplier::insert_detail(tx, detail, &exposing).map_err(|e| at_row(row, e))?;
            summary.suppliers += 1;
            summary.services += count(&detail.services);
            summary.subcontractors += count(&detail.subcontractors);
            summary.evidence += count(&detail.evidence);
        }
        // Oldest first, so each one's results are computed as they were.
        for (row, assessment) in assessments.iter().rev() {
            workflow::import(tx, assessment, &now).map_err(|e| at_row(*row, e))?;
        }
        // A status follows from the latest assessment as the file carries it
        // (a stop rejects), never from the status field alone.
        // Each supplier's first assessment in the file is its latest.
        let mut latest_of = std::collections::HashMap::new();
        for (_, assessment) in &assessments {
            latest_of
                .entry(assessment.supplier_id)
                .or_insert(assessment);
        }
        for detail in &details {
            let id = detail.supplier.id;
            let latest = latest_of.get(&id).copied();
            let status = workflow::derive_status(detail.supplier.status, latest);
            if status != detail.supplier.status {
                supplier::set_imported_status(tx, id, status)?;
            }
        }
        Ok(summary)
    })
}

/// An error of the supplier at `row` (its position in the file): field
/// errors get the row; a constraint of the database that the file breaks
/// (an id already in the database or twice in the file, a reference to
/// something the file does not hold) becomes a field error of that row
/// instead of a database error.
fn at_row(row: u32, error: Error) -> Error {
    match error {
        Error::Invalid(errors) => Error::Invalid(
            errors
                .into_iter()
                .map(|e| FieldError {
                    row: Some(row),
                    ..e
                })
                .collect(),
        ),
        Error::Sqlite(rusqlite::Error::SqliteFailure(failure, message))
            if failure.code == rusqlite::ErrorCode::ConstraintViolation =>
        {
            let message = message.unwrap_or_else(|| failure.to_string());
            let unique = message.starts_with("UNIQUE") || message.starts_with("PRIMARY KEY");
            let field = message
                .split_once("failed: ")
                .map(|(_, what)| what.split(',').next().unwrap_or(what).trim().to_owned())
                .filter(|what| !what.is_empty() && unique)
                .unwrap_or_else(|| "file".to_owned());
            Error::Invalid(vec![FieldError {
                row: Some(row),
                ..FieldError::new(
                    field,
                    if unique {
                        ValidationCode::Duplicate
                    } else {
                        ValidationCode::Format
                    },
                    if unique {
                        "this id is already in the database, or appears twice in the file"
                            .to_owned()
                    } else {
                        format!("the file's data is inconsistent: {message}")
                    },
                )
            }])
        }
        other => other,
    }
}

fn count<T>(items: &[T]) -> u32 {
    u32::try_from(items.len()).unwrap_or(u32::MAX)
}
