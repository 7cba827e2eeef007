//! CSV import of suppliers (`docs/register-format.md`): one row a supplier,
//! a header row naming the columns, UTF-8 with or without a byte-order mark,
//! `;` or `,` separated (Swedish spreadsheets write `;`). All rows or none:
//! every invalid row is reported with its row number and field.

use super::ImportSummary;
use crate::error::{Error, FieldError, Result, ValidationCode};
use crate::store::Db;
use crate::supplier::{
    self, validate, SupplierDetail, SupplierFields, SupplierId, SupplierStatus, Tier,
};

/// The columns, in the order a template lists them. `legal_name`,
/// `country_of_incorporation`, `country_of_headquarters` and `tier` are required.
pub const COLUMNS: &[&str] = &[
    "legal_name",
    "registration_number",
    "lei",
    "euid",
    "vat_number",
    "country_of_incorporation",
    "country_of_headquarters",
    "parent_name",
    "parent_identifier",
    "parent_country",
    "website",
    "contact_name",
    "contact_email",
    "internal_owner",
    "tier",
    "tier_justification",
    "dpf_certified",
    "notes",
];

const REQUIRED: &[&str] = &[
    "legal_name",
    "country_of_incorporation",
    "country_of_headquarters",
    "tier",
];

/// Imports suppliers from CSV bytes; each becomes a `draft` supplier.
/// `progress` is told how many rows have been read, now and then.
pub fn import(db: &Db, bytes: &[u8], mut progress: impl FnMut(usize)) -> Result<ImportSummary> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        Error::invalid(
            "file",
            ValidationCode::Format,
            format!("the file is not UTF-8 text (at byte {})", e.valid_up_to()),
        )
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let header_line = text.lines().next().unwrap_or("");
    let delimiter = if header_line.matches(';').count() > header_line.matches(',').count() {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(text.as_bytes());

    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| {
            Error::invalid(
                "file",
                ValidationCode::Format,
                format!("the header row cannot be read: {e}"),
            )
        })?
        .iter()
        .map(|h| h.trim().to_lowercase())
        .collect();
    let mut problems = Vec::new();
    for (index, header) in headers.iter().enumerate() {
        if header.is_empty() {
            problems.push(FieldError {
                row: Some(1),
                ..FieldError::new(
                    "header",
                    ValidationCode::Required,
                    format!(
                        "column {} has no name; the columns are {}",
                        index + 1,
                        COLUMNS.join(", ")
                    ),
                )
            });
        } else if !COLUMNS.contains(&header.as_str()) {
            problems.push(FieldError {
                row: Some(1),
                ..FieldError::new(
                    header.as_str(),
                    ValidationCode::UnknownValue,
                    format!("unknown column; the columns are {}", COLUMNS.join(", ")),
                )
            });
        }
    }
    for required in REQUIRED {
        if !headers.iter().any(|h| h == required) {
            problems.push(FieldError {
                row: Some(1),
                ..FieldError::new(
                    *required,
                    ValidationCode::Required,
                    "this column is missing",
                )
            });
        }
    }
    if !problems.is_empty() {
        return Err(Error::Invalid(problems));
    }
    let column = |name: &str| headers.iter().position(|h| h == name);
    let index: Vec<Option<usize>> = COLUMNS.iter().map(|c| column(c)).collect();

    let now = db.now();
    let mut details = Vec::new();
    let mut errors = Vec::new();
    for (i, record) in reader.records().enumerate() {
        // Rows as a spreadsheet numbers them: the header is row 1.
        let row = u32::try_from(i + 2).unwrap_or(u32::MAX);
        if i % 1000 == 0 {
            progress(i);
        }
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                errors.push(FieldError {
                    row: Some(row),
                    ..FieldError::new("file", ValidationCode::Format, e.to_string())
                });
                continue;
            }
        };
        let cell = |name: &str| -> String {
            COLUMNS
                .iter()
                .position(|c| *c == name)
                .and_then(|k| index[k])
                .and_then(|k| record.get(k))
                .unwrap_or("")
                .to_owned()
        };
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let mut row_errors = Vec::new();
        let tier_text = cell("tier").trim().to_lowercase();
        let tier = Tier::parse(&tier_text).unwrap_or_else(|| {
            row_errors.push(FieldError::new(
                "tier",
                if tier_text.is_empty() {
                    ValidationCode::Required
                } else {
                    ValidationCode::UnknownValue
                },
                format!(
                    "{} is not a tier; use one of {}",
                    validate::shown(&cell("tier")),
                    Tier::choices()
                ),
            ));
            Tier::Standard
        });
        let dpf_certified = parse_bool(&cell("dpf_certified")).unwrap_or_else(|| {
            row_errors.push(FieldError::new(
                "dpf_certified",
                ValidationCode::UnknownValue,
                format!(
                    "{} is not yes or no",
                    validate::shown(&cell("dpf_certified"))
                ),
            ));
            false
        });
        let mut fields = SupplierFields {
            legal_name: cell("legal_name"),
            registration_number: cell("registration_number"),
            lei: cell("lei"),
            euid: cell("euid"),
            vat_number: cell("vat_number"),
            country_of_incorporation: cell("country_of_incorporation"),
            country_of_headquarters: cell("country_of_headquarters"),
            parent_name: cell("parent_name"),
            parent_identifier: cell("parent_identifier"),
            parent_country: cell("parent_country"),
            website: cell("website"),
            contact_name: cell("contact_name"),
            contact_email: cell("contact_email"),
            internal_owner: cell("internal_owner"),
            tier,
            tier_justification: cell("tier_justification"),
            dpf_certified,
            exposure_override: None,
            exposure_override_justification: String::new(),
            notes: cell("notes"),
        };
        if let Err(error) = validate::supplier(&mut fields) {
            row_errors.extend(error.field_errors().iter().cloned());
        }
        if row_errors.is_empty() {
            details.push(SupplierDetail {
                supplier: supplier::Supplier {
                    id: SupplierId(db.new_id()),
                    fields,
                    status: SupplierStatus::Draft,
                    offboarding_reason: None,
                    created_at: now,
                    updated_at: now,
                },
                services: Vec::new(),
                subcontractors: Vec::new(),
                evidence: Vec::new(),
                exposure: crate::jurisdiction::Exposure {
                    derived: false,
                    reasons: Vec::new(),
                    override_: None,
                    exposed: false,
                },
            });
        } else {
            errors.extend(row_errors.into_iter().map(|e| FieldError {
                row: Some(row),
                ..e
            }));
        }
    }
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    let imported = details.len();
    db.write(crate::approval::Permission::EditRegister, |tx| {
        let exposing = supplier::exposing_in(tx)?;
        for detail in &details {
            supplier::insert_detail(tx, detail, &exposing)?;
        }
        Ok(())
    })?;
    progress(imported);
    Ok(ImportSummary {
        suppliers: u32::try_from(imported).unwrap_or(u32::MAX),
        services: 0,
        subcontractors: 0,
        evidence: 0,
    })
}

/// Yes or no, as spreadsheets write it, in English or Swedish; empty is no.
fn parse_bool(text: &str) -> Option<bool> {
    match text.trim().to_lowercase().as_str() {
        "" | "no" | "false" | "0" | "nej" | "n" => Some(false),
        "yes" | "true" | "1" | "ja" | "y" | "j" => Some(true),
        _ => None,
    }
}
