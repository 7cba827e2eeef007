//! CSV import of suppliers (`docs/register-format.md`): one row a supplier,
//! a header row naming the columns, UTF-8 with or without a byte-order mark,
//! `;` or `,` separated (Swedish spreadsheets write `;`). All rows or none:
//! every invalid row is reported with its row number and field.

use super::{Errors, ImportSummary};
use crate::error::{Error, FieldError, Result, ValidationCode};
use crate::store::Db;
use crate::supplier::{self, validate, PersonType, SupplierFields, SupplierId, Tier};

/// The columns, in the order a template lists them. `legal_name`,
/// `country_of_incorporation`, `country_of_headquarters` and `tier` are required.
pub const COLUMNS: &[&str] = &[
    "legal_name",
    "person_type",
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
    let problems = check_headers(&headers);
    if !problems.is_empty() {
        return Err(Error::Invalid(
            problems.into_iter().map(super::bounded).collect(),
        ));
    }
    let column = |name: &str| headers.iter().position(|h| h == name);
    let index: Vec<Option<usize>> = COLUMNS.iter().map(|c| column(c)).collect();

    let now = db.now();
    let mut suppliers = Vec::new();
    let mut errors = Errors::default();
    // Rows as a spreadsheet numbers them: the header is row 1, each record
    // one row (whatever line breaks its cells hold), each blank line one row.
    let mut row: u32 = 1 + leading_blank_lines(text, 0);
    for (i, record) in reader.records().enumerate() {
        if i % 1000 == 0 {
            progress(i);
        }
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                let at = e.position().map_or(0, |p| p.byte() as usize);
                row += 1 + leading_blank_lines(text, at);
                errors.push(FieldError {
                    row: Some(row),
                    ..FieldError::new("file", ValidationCode::Format, e.to_string())
                });
                break;
            }
        };
        let start = record.position().map_or(0, |p| p.byte() as usize);
        row += 1 + leading_blank_lines(text, start);
        if record.len() > headers.len() {
            let extra: Vec<String> = record
                .iter()
                .skip(headers.len())
                .filter(|c| !c.trim().is_empty())
                .map(validate::shown)
                .collect();
            if !extra.is_empty() {
                errors.push(FieldError {
                    row: Some(row),
                    ..FieldError::new(
                        "file",
                        ValidationCode::Format,
                        format!(
                            "this row has {} cells, but the header names {} columns; the cells beyond it hold {}",
                            record.len(),
                            headers.len(),
                            extra.join(", ")
                        ),
                    )
                });
                continue;
            }
        }
        if let Some((k, long)) = record
            .iter()
            .enumerate()
            .find(|(_, c)| c.chars().count() > MAX_CELL)
        {
            errors.push(FieldError {
                row: Some(row),
                ..FieldError::new(
                    headers.get(k).map_or("file", String::as_str),
                    ValidationCode::TooLong,
                    format!(
                        "the cell is {} characters long; a cell may hold at most {MAX_CELL}",
                        long.chars().count()
                    ),
                )
            });
            continue;
        }
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
        let person_type = match cell("person_type").trim().to_lowercase().as_str() {
            "" => PersonType::LegalPerson,
            text => PersonType::parse(text).unwrap_or_else(|| {
                row_errors.push(FieldError::new(
                    "person_type",
                    ValidationCode::UnknownValue,
                    format!(
                        "{} is not a type of person; use one of {}",
                        validate::shown(&cell("person_type")),
                        PersonType::choices()
                    ),
                ));
                PersonType::LegalPerson
            }),
        };
        let mut fields = SupplierFields {
            legal_name: cell("legal_name"),
            person_type,
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
            suppliers.push(supplier::Supplier::draft(
                SupplierId(db.new_id()),
                fields,
                now,
            ));
        } else {
            for e in row_errors {
                errors.push(FieldError {
                    row: Some(row),
                    ..e
                });
            }
        }
    }
    errors.finish()?;
    let imported = suppliers.len();
    db.write(crate::access::Permission::EditRegister, |tx| {
        let exposing = supplier::exposing_in(tx)?;
        supplier::insert_suppliers(tx, &suppliers, &exposing)
    })?;
    progress(imported);
    Ok(ImportSummary {
        suppliers: u32::try_from(imported).unwrap_or(u32::MAX),
        services: 0,
        subcontractors: 0,
        evidence: 0,
    })
}

/// The longest cell read, in characters: the longest text any field takes.
pub const MAX_CELL: usize = validate::MAX_LONG;

/// The problems of the header row: columns without a name, unknown
/// columns (listed once, the first 20 by name), a column named twice,
/// required columns missing.
fn check_headers(headers: &[String]) -> Vec<FieldError> {
    let at_header = |field: &str, code, message: String| FieldError {
        row: Some(1),
        ..FieldError::new(field, code, message)
    };
    let mut problems = Vec::new();
    let unnamed: Vec<String> = headers
        .iter()
        .enumerate()
        .filter(|(_, h)| h.is_empty())
        .map(|(i, _)| (i + 1).to_string())
        .collect();
    if !unnamed.is_empty() {
        problems.push(at_header(
            "header",
            ValidationCode::Required,
            format!(
                "{} {} no name; the columns are {}",
                if unnamed.len() == 1 {
                    "column"
                } else {
                    "columns"
                },
                shorten(&unnamed),
                COLUMNS.join(", ")
            ),
        ));
    }
    // Each unknown column named once; past 20, counted.
    let unknown: Vec<(usize, &String)> = headers
        .iter()
        .enumerate()
        .filter(|(_, h)| !h.is_empty() && !COLUMNS.contains(&h.as_str()))
        .collect();
    for (i, name) in unknown.iter().take(SHOWN) {
        let length = name.chars().count();
        problems.push(if length > COLUMN_SHOWN || name.chars().any(|c| validate::is_unsafe_char(c, false)) {
            at_header(
                "header",
                ValidationCode::UnknownValue,
                format!(
                    "column {} is unknown: its name is {length} characters long; the columns are {}",
                    i + 1,
                    COLUMNS.join(", ")
                ),
            )
        } else {
            at_header(
                name,
                ValidationCode::UnknownValue,
                format!("unknown column; the columns are {}", COLUMNS.join(", ")),
            )
        });
    }
    if unknown.len() > SHOWN {
        problems.push(at_header(
            "header",
            ValidationCode::UnknownValue,
            format!(
                "and {} more unknown columns ({} in all)",
                unknown.len() - SHOWN,
                unknown.len()
            ),
        ));
    }
    for name in COLUMNS {
        let at: Vec<String> = headers
            .iter()
            .enumerate()
            .filter(|(_, h)| h == name)
            .map(|(i, _)| (i + 1).to_string())
            .collect();
        if at.len() > 1 {
            problems.push(at_header(
                name,
                ValidationCode::Duplicate,
                format!(
                    "the column appears {} times (columns {}); name each column once",
                    at.len(),
                    at.join(", ")
                ),
            ));
        }
    }
    for required in REQUIRED {
        if !headers.iter().any(|h| h == required) {
            problems.push(at_header(
                required,
                ValidationCode::Required,
                "this column is missing".into(),
            ));
        }
    }
    problems
}

/// The longest unknown column name a problem names, in characters; a longer
/// one (or one with control characters) is named by its position.
const COLUMN_SHOWN: usize = 64;

/// How many unknown columns or unnamed ones a message names.
const SHOWN: usize = 20;

/// The first [`SHOWN`] items joined, and how many there are in all when more.
fn shorten(items: &[String]) -> String {
    if items.len() <= SHOWN {
        items.join(", ")
    } else {
        format!("{}, … ({} in all)", items[..SHOWN].join(", "), items.len())
    }
}

/// The blank lines at byte `at` of `text`, where the reader starts a
/// record: it skips them, and a spreadsheet shows each as a row.
fn leading_blank_lines(text: &str, at: usize) -> u32 {
    let mut rest = text.get(at..).unwrap_or("").as_bytes();
    // The reader may stop between the two bytes of the previous row's `\r\n`.
    if at > 0 && text.as_bytes().get(at - 1) == Some(&b'\r') {
        if let [b'\n', tail @ ..] = rest {
            rest = tail;
        }
    }
    let mut blank = 0u32;
    loop {
        rest = match rest {
            [b'\r', b'\n', tail @ ..] | [b'\n', tail @ ..] | [b'\r', tail @ ..] => tail,
            _ => return blank,
        };
        blank = blank.saturating_add(1);
    }
}

/// Yes or no, as spreadsheets write it, in English or Swedish; empty is no.
fn parse_bool(text: &str) -> Option<bool> {
    match text.trim().to_lowercase().as_str() {
        "" | "no" | "false" | "0" | "nej" | "n" => Some(false),
        "yes" | "true" | "1" | "ja" | "y" | "j" => Some(true),
        _ => None,
    }
}
