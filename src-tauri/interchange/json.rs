//! The JSON register format (`docs/register-format.md`,
//! `docs/register-format.schema.json`): every supplier with every field,
//! its services, subcontractors and evidence, plus the computed exposure
//! (read-only: recomputed on import). Export → import into an empty database
//! → export gives the same bytes.

use super::{Errors, ImportSummary};
use crate::access::Permission;
use crate::supplier::SupplierStatus;

/// A supplier of the file as read: its position, name, detail,
/// assessments, follow-up, and whether it validated.
type Detail = (
    usize,
    Option<String>,
    SupplierDetail,
    Vec<Assessment>,
    Option<FollowUp>,
    bool,
);
use crate::assessment::workflow::{self, Assessment};
use crate::error::{Error, FieldError, Result, ValidationCode};
use crate::jurisdiction::Exposure;
use crate::questionnaire::Questionnaire;
use crate::review::{self, FollowUp};
use crate::rules::{self, StoredRuleSet};
use crate::store::signing::{self, KeyRecord};
use crate::store::sql::Scope;
use crate::store::Db;
use crate::supplier::{
    self, validate, BusinessFunction, Evidence, Service, Subcontractor, Supplier, SupplierDetail,
};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{HashMap, HashSet};

/// The value of `format` in every register file.
pub const FORMAT: &str = "tillit-register";
/// The version of the format this build writes and reads.
pub const VERSION: u32 = 1;

/// A register file: `format` is always "tillit-register", `version` 1.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct RegisterDocument {
    pub format: String,
    pub version: u32,
    /// The rule sets the assessments in the file were made under. An
    /// import takes new ones only from an administrator, as the next versions.
    #[serde(default)]
    pub rule_sets: Vec<StoredRuleSet>,
    /// The public keys that signed the decisions, resolutions, withdrawals
    /// and reopenings in the file. An import keeps a signed record only when
    /// its signature verifies against a key the database knows; a key it
    /// does not know is taken over only from an administrator (recorded).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keys: Vec<KeyRecord>,
    /// The profile of the organisation whose register this is (DOMAIN §1),
    /// once an administrator has described it. An import into a database
    /// that has none takes it, from an administrator only; a database that
    /// has one keeps its own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation: Option<crate::settings::Organisation>,
    /// The organisation's business functions (DOMAIN §1), which the
    /// services name in their `functions`. An import adds those the
    /// database does not have, from an administrator only; a function the
    /// database has keeps its own record. A file without this field (an
    /// earlier version's) whose services say `supports_critical_function`
    /// gets them linked to one critical function, created if need be, as
    /// the upgrade of a database does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub functions: Option<Vec<BusinessFunction>>,
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
    /// The follow-up: the events that required a reassessment and the SLA
    /// records of its services, with the next review date and the reason a
    /// reassessment is required (both derived again on import).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub follow_up: Option<FollowUp>,
    /// The questionnaires sent to the supplier (DOMAIN §13): the questions
    /// as asked, the deadline, and the return with its answers and the
    /// SHA-256 of the file kept as evidence.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub questionnaires: Vec<Questionnaire>,
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

/// The whole register as a document, read as one snapshot of the register
/// in parts of [`PART`] suppliers ([`Db::read_in_parts`]), a query per
/// table for each part rather than per supplier.
pub fn export(db: &Db) -> Result<RegisterDocument> {
    let mut suppliers = Vec::new();
    let lead = db.read_in_parts(
        readers(),
        lead_in,
        records_of_part,
        |_, _, mut part: Vec<SupplierRecord>| {
            suppliers.append(&mut part);
            Ok(())
        },
    )?;
    let mut document = lead.document;
    document.suppliers = suppliers;
    Ok(document)
}

/// How many suppliers a part of the register holds: small enough that a
/// part read and written is little memory and the parts keep every core
/// busy to the end, large enough that its queries and handing it over
/// cost nothing measurable.
const PART: usize = 200;

/// How many threads read and write the parts of the register beside the
/// one that gives them out in order.
fn readers() -> usize {
    std::thread::available_parallelism()
        .map_or(2, usize::from)
        .clamp(2, 8)
}

/// What every part of the register needs, read first: the document
/// without its suppliers, every supplier's id in the file's order, and the
/// exposing jurisdictions.
struct Lead {
    document: RegisterDocument,
    ids: Vec<String>,
    exposing: Vec<crate::jurisdiction::CountryCode>,
}

/// The [`Lead`] and how many parts of [`PART`] suppliers there are.
fn lead_in(conn: &crate::store::sql::Connection) -> Result<(Lead, usize)> {
    let ids = supplier::ids_by_name_in(conn)?;
    let parts = ids.len().div_ceil(PART);
    let lead = Lead {
        document: RegisterDocument {
            format: FORMAT.to_owned(),
            version: VERSION,
            rule_sets: rules::all(conn)?,
            keys: signing::keys_of_records(conn)?,
            organisation: Some(crate::settings::organisation_in(conn)?)
                .filter(|o| !o.legal_name.is_empty()),
            functions: Some(supplier::functions_in(conn)?),
            suppliers: Vec::new(),
        },
        ids,
        exposing: supplier::exposing_in(conn)?,
    };
    Ok((lead, parts))
}

/// The suppliers of part `index` of the register, in the file's order,
/// each with its services, subcontractors, evidence, assessments,
/// follow-up and questionnaires.
fn records_of_part(
    conn: &crate::store::sql::Connection,
    lead: &Lead,
    index: usize,
) -> Result<Vec<SupplierRecord>> {
    let ids = lead
        .ids
        .chunks(PART)
        .nth(index)
        .ok_or_else(|| Error::Internal(format!("no part {index} of the register")))?;
    let scope = Scope::Among(ids.to_vec());
    let mut assessments: HashMap<_, Vec<Assessment>> = HashMap::new();
    for a in workflow::all_in(conn, &scope)? {
        assessments.entry(a.supplier_id).or_default().push(a);
    }
    let mut questionnaires: HashMap<_, Vec<Questionnaire>> = HashMap::new();
    for q in crate::questionnaire::all_in(conn, &scope)? {
        questionnaires.entry(q.supplier_id).or_default().push(q);
    }
    let mut follow_ups = review::follow_ups_in(conn, &scope)?;
    Ok(supplier::details_in(conn, &scope, &lead.exposing)?
        .into_iter()
        .map(|d| {
            let id = d.supplier.id;
            SupplierRecord {
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
                assessments: assessments.remove(&id).unwrap_or_default(),
                questionnaires: questionnaires.remove(&id).unwrap_or_default(),
                follow_up: follow_ups.remove(&id).filter(|f| {
                    f.next_review_on.is_some()
                        || f.reassessment_reason.is_some()
                        || !f.events.is_empty()
                        || !f.sla_records.is_empty()
                }),
            }
        })
        .collect())
}

/// What was written of a register file: the SHA-256 of its bytes (in
/// hex), how many bytes and how many suppliers.
struct Written {
    sha256: String,
    bytes: usize,
    suppliers: usize,
}

/// Where the text of a register file goes, piece by piece in order.
type Sink<'a> = dyn FnMut(&[u8]) -> Result<()> + 'a;

/// Writes the whole register as a register file to `out`, piece by piece
/// in order, hashed on the way: pretty-printed JSON ending in a newline,
/// byte for byte what `serde_json::to_string_pretty` writes of
/// [`export`]'s document. Needs a user who may export.
///
/// The register is read as one snapshot in parts of [`PART`] suppliers
/// ([`Db::read_in_parts`]); the threads that read a part turn it into text
/// and free its records, while this thread hashes the parts and hands
/// them to `out` in their order. Neither the register nor the file is
/// ever held whole in memory, and the reading, the writing, the hash and
/// the output run beside each other.
fn write_register(db: &Db, out: &mut Sink<'_>) -> Result<Written> {
    use sha2::Digest;
    db.require_user(crate::access::Permission::Export.describe())?;
    let internal = |e: serde_json::Error| Error::Internal(e.to_string());
    let mut hasher = sha2::Sha256::new();
    let mut bytes = 0;
    let mut give = |piece: &[u8]| {
        hasher.update(piece);
        bytes += piece.len();
        out(piece)
    };
    // The buffers of the parts given, emptied, for the next parts.
    let spare: std::sync::Mutex<Vec<Vec<u8>>> = std::sync::Mutex::default();
    let mut suppliers = 0;
    let lead = db.read_in_parts(
        readers(),
        lead_in,
        |conn, lead, index| {
            let part = records_of_part(conn, lead, index)?;
            let count = part.len();
            let buffer = spare.lock().ok().and_then(|mut s| s.pop());
            Ok((count, records(part, buffer).map_err(internal)?))
        },
        |lead, index, (count, text)| {
            if index == 0 {
                // Everything but the suppliers, which come last:
                // `"suppliers": []\n}` opened.
                let mut head = serde_json::to_string_pretty(&lead.document).map_err(internal)?;
                let open = head.len().checked_sub("[]\n}".len()).ok_or_else(|| {
                    Error::Internal("a register file without its suppliers".into())
                })?;
                head.truncate(open);
                head.push_str("[\n");
                give(head.as_bytes())?;
            } else {
                give(b",\n")?;
            }
            give(&text)?;
            suppliers += count;
            if let Ok(mut spare) = spare.lock() {
                spare.push(text);
            }
            Ok(())
        },
    )?;
    if lead.ids.is_empty() {
        let mut whole = serde_json::to_string_pretty(&lead.document).map_err(internal)?;
        whole.push('\n');
        give(whole.as_bytes())?;
    } else {
        give(b"\n  ]\n}\n")?;
    }
    Ok(Written {
        sha256: crate::audit::digest_hex(&hasher.finalize()),
        bytes,
        suppliers,
    })
}

/// `records` as elements of the file's `suppliers` array, separated by
/// commas and indented two levels, each record freed once written, in
/// `buffer` (emptied first) when there is one.
fn records(records: Vec<SupplierRecord>, buffer: Option<Vec<u8>>) -> serde_json::Result<Vec<u8>> {
    use serde::Serialize;
    let mut bytes = buffer.unwrap_or_default();
    bytes.clear();
    for (i, record) in records.into_iter().enumerate() {
        if i > 0 {
            bytes.extend_from_slice(b",\n");
        }
        bytes.extend_from_slice(ELEMENT_INDENT);
        record.serialize(&mut serde_json::Serializer::with_formatter(
            &mut bytes,
            Pretty::at(ELEMENT_INDENT.len() / 2),
        ))?;
    }
    Ok(bytes)
}

/// The indentation of an element of the `suppliers` array.
const ELEMENT_INDENT: &[u8] = b"    ";

/// Pretty-printed JSON byte for byte as `serde_json`'s `PrettyFormatter`
/// writes it (two spaces a level), starting `level` levels in, so that an
/// element of the `suppliers` array is written in place. A line break and
/// its indentation are written at once.
struct Pretty {
    level: usize,
    has_value: bool,
}

/// A line break followed by the indentation of up to 64 levels.
const BREAK: [u8; 129] = {
    let mut line = [b' '; 129];
    line[0] = b'\n';
    line
};

impl Pretty {
    fn at(level: usize) -> Self {
        Pretty {
            level,
            has_value: false,
        }
    }

    fn line_break<W: ?Sized + std::io::Write>(&self, writer: &mut W) -> std::io::Result<()> {
        match BREAK.get(..1 + 2 * self.level) {
            Some(line) => writer.write_all(line),
            None => {
                writer.write_all(b"\n")?;
                (0..self.level).try_for_each(|_| writer.write_all(b"  "))
            }
        }
    }

    fn open<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        with: &[u8],
    ) -> std::io::Result<()> {
        self.level += 1;
        self.has_value = false;
        writer.write_all(with)
    }

    fn close<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        with: &[u8],
    ) -> std::io::Result<()> {
        self.level -= 1;
        if self.has_value {
            self.line_break(writer)?;
        }
        writer.write_all(with)
    }

    fn item<W: ?Sized + std::io::Write>(&self, writer: &mut W, first: bool) -> std::io::Result<()> {
        if !first {
            writer.write_all(b",")?;
        }
        self.line_break(writer)
    }
}

impl serde_json::ser::Formatter for Pretty {
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.open(writer, b"[")
    }

    fn end_array<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.close(writer, b"]")
    }

    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.item(writer, first)
    }

    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.open(writer, b"{")
    }

    fn end_object<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.close(writer, b"}")
    }

    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.item(writer, first)
    }

    fn begin_object_value<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
    ) -> std::io::Result<()> {
        writer.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// Records in the audit trail that the register was exported: only once
/// the bytes were written.
fn record_export(db: &Db, written: &Written) -> Result<()> {
    crate::audit::record_export_of(
        db,
        "register",
        "",
        serde_json::json!({ "format": "json", "suppliers": written.suppliers }),
        &written.sha256,
        written.bytes,
    )
}

/// Writes the register file to `target` (refused when it names the
/// database, a folder or a special file; written through a new temporary
/// file, renamed into place only once whole), then records the export. A
/// file the trail cannot record is removed.
pub fn export_file(db: &Db, target: &std::path::Path) -> Result<()> {
    use std::io::Write;
    db.require_user(crate::access::Permission::Export.describe())?;
    crate::files::check_target(target, &db.protected())?;
    let mut written = None;
    crate::files::write_new(target, |_, file| {
        let mut file = std::io::BufWriter::with_capacity(1 << 20, file);
        let mut out = |piece: &[u8]| file.write_all(piece).map_err(|e| Error::io(target, e));
        written = Some(write_register(db, &mut out)?);
        file.flush().map_err(|e| Error::io(target, e))
    })?;
    let written =
        written.ok_or_else(|| Error::Internal("the register file was not written".into()))?;
    record_export(db, &written).inspect_err(|_| {
        let _ = std::fs::remove_file(target);
    })
}

/// Writes the register file to `out` (standard output) as it is made, and
/// records the export once every byte was written and flushed: a full disk
/// or a closed pipe leaves no export in the trail.
pub fn export_stream(db: &Db, out: &mut impl std::io::Write) -> Result<()> {
    let mut give = |piece: &[u8]| {
        out.write_all(piece)
            .map_err(|e| Error::io("standard output", e))
    };
    let written = write_register(db, &mut give)?;
    out.flush().map_err(|e| Error::io("standard output", e))?;
    record_export(db, &written)
}

/// The register file as text, recorded in the audit trail as exported.
pub fn export_text(db: &Db) -> Result<String> {
    String::from_utf8(export_bytes(db)?).map_err(|e| Error::Internal(e.to_string()))
}

/// The register file's bytes, recorded in the audit trail as exported.
fn export_bytes(db: &Db) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    let written = write_register(db, &mut |piece: &[u8]| {
        bytes.extend_from_slice(piece);
        Ok(())
    })?;
    record_export(db, &written)?;
    Ok(bytes)
}

/// The register file sent whole (over the team server), recorded in the
/// audit trail as exported.
pub fn export_content(db: &Db) -> Result<crate::files::FileContent> {
    Ok(crate::files::FileContent {
        content: export_bytes(db)?,
        name: format!("tillit-register-{}.json", db.now().date_naive()),
    })
}

/// Imports a register file given as bytes: refused, naming where, when it
/// is not UTF-8 text.
pub fn import_bytes(db: &Db, bytes: &[u8]) -> Result<ImportSummary> {
    match std::str::from_utf8(bytes) {
        Ok(text) => import_text(db, text),
        Err(error) => Err(not_utf8(bytes, error.valid_up_to())),
    }
}

use super::json_read::{join, key_shown, not_utf8, supplier_name, typed};

/// The file's business functions as they are kept: each checked, its
/// identifier `F` and a number, once in the file; every problem named by
/// `functions[i].field`.
fn checked_functions(
    found: Vec<BusinessFunction>,
    today: chrono::NaiveDate,
    errors: &mut Errors,
) -> Vec<BusinessFunction> {
    let mut seen = HashSet::new();
    found
        .into_iter()
        .enumerate()
        .filter_map(|(i, mut function)| {
            let at = |field: &str| format!("functions[{i}].{field}");
            let mut sound = true;
            if !supplier::functions::is_function_id(&function.id) {
                errors.push(FieldError::new(
                    at("id"),
                    ValidationCode::Format,
                    format!(
                        "{} is not a function's identifier (F1, F2 …)",
                        validate::shown(&function.id)
                    ),
                ));
                sound = false;
            } else if !seen.insert(function.id.clone()) {
                errors.push(FieldError::new(
                    at("id"),
                    ValidationCode::Duplicate,
                    format!("function {} appears twice in the file", function.id),
                ));
                sound = false;
            }
            match supplier::functions::checked(function.fields.clone(), today) {
                Ok(fields) => function.fields = fields,
                Err(error) => {
                    for e in error.field_errors() {
                        errors.push(FieldError {
                            field: at(&e.field),
                            ..e.clone()
                        });
                    }
                    sound = false;
                }
            }
            sound.then_some(function)
        })
        .collect()
}

/// The errors of the supplier at `index` in the file: the row is its
/// position from 1, each field its path in the file, each message names
/// the supplier.
fn of_supplier(index: usize, name: Option<&str>, errors: Vec<FieldError>, to: &mut Errors) {
    let row = u32::try_from(index + 1).unwrap_or(u32::MAX);
    for error in errors {
        let field = if error.field.starts_with("suppliers[") {
            error.field
        } else {
            join(&format!("suppliers[{index}]"), &error.field)
        };
        let message = match name {
            Some(name) => format!("{} (supplier {})", error.message, validate::shown(name)),
            None => error.message,
        };
        to.push(FieldError {
            row: Some(row),
            field,
            message,
            ..error
        });
    }
}

/// Imports a register file: every supplier or none. Ids, statuses and times
/// are kept; an id already in the database is refused. Every problem in the
/// file is reported in one run (the first 200 listed), each with the path
/// of its field as the file writes it and the supplier's name: fields the
/// format does not have, values of the wrong type, invalid values, and
/// assessments that do not fit their supplier.
pub fn import_text(db: &Db, text: &str) -> Result<ImportSummary> {
    let value: Value = serde_json::from_str(text.trim_start_matches('\u{feff}')).map_err(|e| {
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
    let Value::Object(top) = &value else {
        return Err(Error::invalid(
            "file",
            ValidationCode::Format,
            "not a Tillit register file: it holds no JSON object",
        ));
    };
    if !top.contains_key("format") && !top.contains_key("version") {
        return Err(Error::invalid(
            "file",
            ValidationCode::Format,
            "not a Tillit register file: it names no format and version",
        ));
    }
    let format = top.get("format").and_then(Value::as_str);
    let version = top.get("version").and_then(Value::as_u64);
    if format != Some(FORMAT) || version != Some(u64::from(VERSION)) {
        return Err(Error::invalid(
            "format",
            ValidationCode::UnknownValue,
            format!(
                "expected format {FORMAT:?} version {VERSION}, found {} version {}",
                top.get("format").map_or("none".into(), |v| v.to_string()),
                top.get("version").map_or("none".into(), |v| v.to_string())
            ),
        ));
    }
    let mut errors = Errors::default();
    for key in top.keys() {
        if ![
            "format",
            "version",
            "rule_sets",
            "keys",
            "organisation",
            "functions",
            "suppliers",
        ]
        .contains(&key.as_str())
        {
            errors.push(FieldError::new(
                key_shown(key),
                ValidationCode::UnknownValue,
                "is not a field of the register format, and its data would be lost",
            ));
        }
    }
    let rule_sets: Vec<StoredRuleSet> = match top.get("rule_sets") {
        None | Some(Value::Null) => Vec::new(),
        Some(value) => typed(value, "rule_sets").unwrap_or_else(|found| {
            found.into_iter().for_each(|e| errors.push(e));
            Vec::new()
        }),
    };
    let keys: Vec<KeyRecord> = match top.get("keys") {
        None | Some(Value::Null) => Vec::new(),
        Some(value) => typed(value, "keys").unwrap_or_else(|found| {
            found.into_iter().for_each(|e| errors.push(e));
            Vec::new()
        }),
    };
    let organisation: Option<crate::settings::Organisation> = match top.get("organisation") {
        None | Some(Value::Null) => None,
        Some(value) => match typed(value, "organisation") {
            Ok(found) => match crate::settings::checked_organisation(found) {
                Ok(organisation) => Some(organisation),
                Err(error) => {
                    for e in error.field_errors() {
                        errors.push(FieldError {
                            field: join("organisation", &e.field),
                            ..e.clone()
                        });
                    }
                    None
                }
            },
            Err(found) => {
                found.into_iter().for_each(|e| errors.push(e));
                None
            }
        },
    };
    let functions: Option<Vec<BusinessFunction>> = match top.get("functions") {
        None | Some(Value::Null) => None,
        Some(value) => Some(
            typed::<Vec<BusinessFunction>>(value, "functions")
                .map(|found| checked_functions(found, db.now().date_naive(), &mut errors))
                .unwrap_or_else(|found| {
                    found.into_iter().for_each(|e| errors.push(e));
                    Vec::new()
                }),
        ),
    };
    let records: &[Value] = match top.get("suppliers") {
        Some(Value::Array(records)) => records,
        _ => {
            errors.push(FieldError::new(
                "suppliers",
                ValidationCode::Required,
                "a register file lists its suppliers in an array",
            ));
            &[]
        }
    };

    let mut seen = HashSet::new();
    // Each supplier's questionnaires, by its position in the file.
    let mut questionnaires: std::collections::HashMap<usize, Vec<Questionnaire>> =
        std::collections::HashMap::new();
    // The suppliers that read and validate, with their position and name.
    let mut details = Vec::with_capacity(records.len());
    for (index, value) in records.iter().enumerate() {
        let name = supplier_name(value);
        let record: SupplierRecord = match typed(value, "") {
            Ok(record) => record,
            Err(found) => {
                of_supplier(index, name.as_deref(), found, &mut errors);
                continue;
            }
        };
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
            evidence_validity: Vec::new(),
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
        let mut assessments = record.assessments;
        for assessment in &mut assessments {
            assessment.supplier_id = id;
        }
        let follow_up = record.follow_up;
        let mut sent = record.questionnaires;
        for questionnaire in &mut sent {
            questionnaire.supplier_id = id;
        }
        questionnaires.insert(index, sent);
        let mut found = Vec::new();
        if !seen.insert(id) {
            found.push(FieldError::new(
                "id",
                ValidationCode::Duplicate,
                format!("supplier id {id} appears twice in the file"),
            ));
        }
        if let Err(error) = supplier::validate_detail(&mut detail) {
            found.extend(error.field_errors().iter().cloned());
        }
        let sound = found.is_empty();
        of_supplier(index, name.as_deref(), found, &mut errors);
        details.push((index, name, detail, assessments, follow_up, sound));
    }
    // An earlier version's file says only whether a service supports a
    // critical or important function: such services are linked to one
    // critical function (found or created), as the database's upgrade did.
    let legacy = if functions.is_none()
        && details.iter().any(|d| {
            d.2.services
                .iter()
                .any(|s| s.supports_critical_function && s.fields.functions.is_empty())
        }) {
        let legacy = db.read(|conn| supplier::functions::legacy_function(conn, db.now()))?;
        for (_, _, detail, ..) in &mut details {
            for service in &mut detail.services {
                if service.supports_critical_function && service.fields.functions.is_empty() {
                    service.fields.functions = vec![legacy.id.clone()];
                }
            }
        }
        Some(legacy)
    } else {
        None
    };
    let has_assessments = details.iter().any(|d| !d.3.is_empty());
    let has_follow_up = details.iter().any(|d| d.4.is_some());
    let has_questionnaires = questionnaires.values().any(|q| !q.is_empty());
    // Every supplier that reads is written, and its assessments checked
    // against it, even when it or others have problems, so that one run
    // names every problem; the transaction is then rolled back. A supplier
    // with problems is written only as far as the database takes it, and
    // of its assessments only their own problems are reported.
    db.write(crate::access::Permission::EditRegister, |tx| {
        let now = tx.now_text();
        // Only what the importing user may do in the window (DOMAIN §9).
        for (needed, permission) in [
            (has_assessments, Permission::Assess),
            (has_follow_up, Permission::FollowUp),
            (has_questionnaires, Permission::Assess),
        ] {
            if needed {
                crate::store::session::authorise(tx, tx.user("import")?, permission)?;
            }
        }
        check_rule_sets(tx, &rule_sets, &mut errors)?;
        adopt_keys(tx, &keys, &details, &mut errors)?;
        // The organisation's profile, into a database that has none: only
        // an administrator may describe it (DOMAIN §9).
        if let Some(organisation) = &organisation {
            if crate::settings::organisation_in(tx)?.legal_name.is_empty() {
                crate::store::session::authorise(
                    tx,
                    tx.user("import")?,
                    Permission::ManageOrganisation,
                )?;
                crate::settings::store_organisation_in(tx, organisation)?;
            }
        }
        // Business functions the database lacks: only an administrator
        // adds them (DOMAIN §9).
        let known: Vec<String> = supplier::functions::functions_in(tx)?
            .into_iter()
            .map(|f| f.id)
            .collect();
        // An earlier version's file (it has no functions of its own): the
        // one critical function its flagged services need, created as the
        // upgrade of a database creates it, whoever imports.
        if let Some(legacy) = legacy.as_ref().filter(|f| !known.contains(&f.id)) {
            supplier::functions::insert_in(tx, legacy)?;
        }
        let may_add = crate::store::session::authorise(
            tx,
            tx.user("import")?,
            Permission::ManageOrganisation,
        )
        .is_ok();
        for (i, function) in functions.iter().flatten().enumerate() {
            if known.contains(&function.id) {
                continue;
            }
            if may_add {
                supplier::functions::insert_in(tx, function)?;
            } else {
                errors.push(FieldError::new(
                    format!("functions[{i}].id"),
                    ValidationCode::UnknownValue,
                    format!(
                        "business function {} is not in the database: only an administrator adds business functions",
                        function.id
                    ),
                ));
            }
        }
        for (i, stored) in rule_sets.iter().enumerate() {
            if let Err(error) = rules::import(tx, stored) {
                match error {
                    Error::Invalid(found) => found.into_iter().for_each(|e| {
                        errors.push(FieldError {
                            field: join(&format!("rule_sets[{i}]"), &e.field),
                            ..e
                        })
                    }),
                    other => return Err(other),
                }
            }
        }
        let mut summary = ImportSummary {
            suppliers: 0,
            services: 0,
            subcontractors: 0,
            evidence: 0,
        };
        let exposing = supplier::exposing_in(tx)?;
        let mut inserted = Vec::with_capacity(details.len());
        for (index, name, detail, assessments, follow_up, sound) in &details {
            let row = u32::try_from(index + 1).unwrap_or(u32::MAX);
            match savepoint(tx, || supplier::insert_detail(tx, detail, &exposing))
                .map_err(|e| at_row(row, e))
            {
                Ok(()) => inserted.push((index, name, detail, assessments, follow_up, *sound)),
                Err(_) if !sound => continue,
                Err(Error::Invalid(found)) => {
                    let found = found
                        .into_iter()
                        .map(|e| FieldError {
                            field: in_file(tx, detail, &e.field),
                            ..e
                        })
                        .collect();
                    of_supplier(*index, name.as_deref(), found, &mut errors)
                }
                Err(other) => return Err(other),
            }
            summary.suppliers += 1;
            summary.services += count(&detail.services);
            summary.subcontractors += count(&detail.subcontractors);
            summary.evidence += count(&detail.evidence);
        }
        // Oldest first, so each one's results are computed as they were.
        for (index, name, _, assessments, _, sound) in &inserted {
            for (j, assessment) in assessments.iter().enumerate().rev() {
                let row = u32::try_from(*index + 1).unwrap_or(u32::MAX);
                match savepoint(tx, || {
                    workflow::import(tx, assessment, &now)?;
                    decision_covers_content(tx, assessment)
                })
                .map_err(|e| at_row(row, e))
                {
                    Ok(()) => {}
                    Err(Error::Invalid(found)) => {
                        let found = found
                            .into_iter()
                            .map(|e| FieldError {
                                field: join(&format!("assessments[{j}]"), &e.field),
                                ..e
                            })
                            .collect();
                        of_supplier(**index, name.as_deref(), found, &mut errors)
                    }
                    Err(_) if !sound => {}
                    Err(other) => return Err(other),
                }
            }
        }
        if !errors.is_empty() {
            return std::mem::take(&mut errors).finish().map(|()| summary);
        }
        for (index, name, detail, _, follow_up, _) in &inserted {
            if let Some(follow_up) = follow_up {
                let row = u32::try_from(**index + 1).unwrap_or(u32::MAX);
                if let Err(error) = savepoint(tx, || {
                    review::import_follow_up(tx, detail.supplier.id, follow_up)
                })
                .map_err(|e| at_row(row, e))
                {
                    match error {
                        Error::Invalid(found) => {
                            let found = found
                                .into_iter()
                                .map(|e| FieldError {
                                    field: join("follow_up", &e.field),
                                    ..e
                                })
                                .collect();
                            of_supplier(**index, name.as_deref(), found, &mut errors)
                        }
                        other => return Err(other),
                    }
                }
            }
        }
        for (index, name, ..) in &inserted {
            for (j, sent) in questionnaires.get(index).into_iter().flatten().enumerate() {
                let row = u32::try_from(**index + 1).unwrap_or(u32::MAX);
                let field = format!("questionnaires[{j}]");
                match savepoint(tx, || crate::questionnaire::import_in(tx, sent, &field))
                    .map_err(|e| at_row(row, e))
                {
                    Ok(()) => {}
                    Err(Error::Invalid(found)) => {
                        of_supplier(**index, name.as_deref(), found, &mut errors)
                    }
                    Err(other) => return Err(other),
                }
            }
        }
        if !errors.is_empty() {
            return std::mem::take(&mut errors).finish().map(|()| summary);
        }
        // A status follows from the assessments and the decisions as
        // imported (the latest one's standing decision, a stop), never from
        // the status field; the review date follows from the decision; a
        // reassessment stays required only where an event recorded after
        // the decision requires it.
        for (_, _, detail, _, follow_up, _) in &inserted {
            let id = detail.supplier.id;
            let latest = workflow::of_supplier_in(tx, id)?.into_iter().next();
            let current = match detail.supplier.status {
                SupplierStatus::Offboarded => SupplierStatus::Offboarded,
                _ => SupplierStatus::Draft,
            };
            let mut status = workflow::derive_status(current, latest.as_ref());
            let standing = latest.as_ref().and_then(|a| a.standing_decision().cloned());
            let next_review = standing
                .as_ref()
                .filter(|d| d.decision != crate::assessment::decisions::Decision::Reject)
                .and_then(|d| chrono::DateTime::parse_from_rfc3339(&d.decided_at).ok())
                .map(|at| {
                    supplier::follow_up::next_review(
                        detail.supplier.fields.tier,
                        at.with_timezone(&chrono::Utc).date_naive(),
                    )
                });
            let reason = follow_up
                .as_ref()
                .and_then(|f| f.reassessment_reason.clone())
                .filter(|_| {
                    matches!(
                        status,
                        SupplierStatus::Approved | SupplierStatus::ApprovedWithConditions
                    )
                })
                .filter(|_| {
                    let decided = standing.as_ref().map_or("", |d| d.decided_at.as_str());
                    follow_up
                        .as_ref()
                        .is_some_and(|f| f.events.iter().any(|e| e.recorded_at.as_str() > decided))
                });
            if reason.is_some() {
                status = SupplierStatus::ReassessmentRequired;
            }
            if status != detail.supplier.status {
                supplier::set_imported_status(tx, id, status)?;
            }
            supplier::follow_up::set_follow_up(tx, id, next_review, reason.as_deref())?;
        }
        Ok(summary)
    })
}

/// Refuses new rule sets from anyone but an administrator, and versions
/// that do not follow the database's without a gap (DOMAIN §9). A version
/// the database holds already with the same rules is taken as it is.
fn check_rule_sets(
    tx: &crate::store::Tx<'_>,
    rule_sets: &[StoredRuleSet],
    errors: &mut Errors,
) -> Result<()> {
    let mut latest: u32 =
        tx.query_row("SELECT coalesce(max(version), 0) FROM rule_set", [], |r| {
            r.get(0)
        })?;
    // Tillit's own defaults as version 1 put no one's rules in force:
    // anyone may bring them, as their first assessment would.
    let defaults = |s: &StoredRuleSet| {
        s.version == 1 && s.created_by == "Tillit" && s.rules == rules::default_rule_set()
    };
    if latest == 0 && rule_sets.iter().any(defaults) {
        latest = 1;
    }
    let mut new: Vec<(usize, u32)> = Vec::new();
    for (i, stored) in rule_sets.iter().enumerate() {
        let held: bool = tx.query_row(
            "SELECT count(*) > 0 FROM rule_set WHERE version = ?1",
            [stored.version],
            |r| r.get(0),
        )?;
        if !held && !defaults(stored) {
            new.push((i, stored.version));
        }
    }
    if new.is_empty() {
        return Ok(());
    }
    let user = tx.user("import rule sets")?;
    let administrator = crate::store::session::authorise(tx, user, Permission::EditRules).is_ok();
    new.sort_by_key(|(_, version)| *version);
    for (expected, (i, version)) in (latest.saturating_add(1)..).zip(&new) {
        if !administrator {
            errors.push(FieldError::new(
                format!("rule_sets[{i}]"),
                ValidationCode::UnknownValue,
                format!(
                    "rule set version {version} is not in the database: only an administrator imports rule sets"
                ),
            ));
        } else if *version != expected {
            errors.push(FieldError::new(
                format!("rule_sets[{i}].version"),
                ValidationCode::Format,
                format!(
                    "rule set version {version} does not follow the database's: the next version is {expected}"
                ),
            ));
        }
    }
    Ok(())
}

/// Takes over the public keys of the file that the database does not know,
/// when an administrator imports them (each one recorded, vouched for by
/// them), with the people they belong to as users who cannot sign in;
/// otherwise names each.
fn adopt_keys(
    tx: &crate::store::Tx<'_>,
    keys: &[KeyRecord],
    details: &[Detail],
    errors: &mut Errors,
) -> Result<()> {
    let user = tx.user("import")?;
    let administrator = crate::store::session::authorise(tx, user, Permission::ManageUsers).is_ok();
    for (i, key) in keys.iter().enumerate() {
        match signing::knows(tx, key)? {
            Some(true) => continue,
            Some(false) => {
                errors.push(FieldError::new(
                    format!("keys[{i}]"),
                    ValidationCode::Duplicate,
                    format!("the database holds another key with the id {}", key.id),
                ));
                continue;
            }
            None => {}
        }
        let Some(certifier) = tx.signer().filter(|_| administrator) else {
            errors.push(FieldError::new(
                format!("keys[{i}]"),
                ValidationCode::UnknownValue,
                format!(
                    "the key {} of {} is not known to this database: only an administrator imports new keys",
                    key.id, key.name
                ),
            ));
            continue;
        };
        // The person as a user of this database who cannot sign in, so
        // that their decisions name them.
        let management = details.iter().any(|d| {
            d.3.iter().any(|a| {
                a.decisions.iter().any(|x| {
                    x.decided_by.to_string() == key.user_id
                        && x.capacity == crate::assessment::decisions::Capacity::Management
                })
            })
        });
        if let Err(reason) = crate::approval::record_person(tx, key, management)? {
            errors.push(FieldError::new(
                format!("keys[{i}]"),
                ValidationCode::Duplicate,
                reason,
            ));
            continue;
        }
        if let Err(reason) = signing::adopt_key(tx, key, certifier) {
            errors.push(FieldError::new(
                format!("keys[{i}]"),
                ValidationCode::Format,
                reason,
            ));
        }
    }
    Ok(())
}

/// A standing decision in the file must cover the assessment as imported:
/// its fingerprint is that of the content (DOMAIN §7).
fn decision_covers_content(tx: &crate::store::Tx<'_>, assessment: &Assessment) -> Result<()> {
    let stored = workflow::load(tx, assessment.id)?;
    let Some(standing) = stored.standing_decision() else {
        return Ok(());
    };
    if standing.fingerprint == crate::approval::fingerprint(&stored)? {
        return Ok(());
    }
    let k = stored
        .decisions
        .iter()
        .position(|d| d.id == standing.id)
        .unwrap_or_default();
    Err(Error::invalid(
        format!("decisions[{k}].fingerprint"),
        ValidationCode::Format,
        "the decision does not cover the assessment as the file carries it: its content was changed after the decision",
    ))
}

/// The path in the file of the id a database constraint names as
/// `table.id`: the supplier's own, or the first of its services,
/// subcontractors or evidence items whose id is stored already or given
/// twice.
fn in_file(tx: &crate::store::Tx<'_>, detail: &SupplierDetail, field: &str) -> String {
    let ids: Vec<String> = match field {
        "supplier.id" => return "id".into(),
        "service.id" => detail.services.iter().map(|s| s.id.to_string()).collect(),
        "subcontractor.id" => detail
            .subcontractors
            .iter()
            .map(|s| s.id.to_string())
            .collect(),
        "evidence.id" => detail.evidence.iter().map(|e| e.id.to_string()).collect(),
        other => return other.to_owned(),
    };
    let (table, _) = field.split_once('.').unwrap_or((field, ""));
    let list = match table {
        "service" => "services",
        "subcontractor" => "subcontractors",
        _ => "evidence",
    };
    let stored = |id: &String| {
        tx.query_row(
            &format!("SELECT count(*) FROM {table} WHERE id = ?1"),
            [id],
            |r| r.get::<_, i64>(0),
        )
        .is_ok_and(|n| n > 0)
    };
    ids.iter()
        .enumerate()
        .find(|(k, id)| stored(id) || ids[..*k].contains(id))
        .map_or_else(|| format!("{list}.id"), |(k, _)| format!("{list}[{k}].id"))
}

/// Runs `f` inside a savepoint, undone when `f` fails, so that the import
/// can go on checking the rest of the file after a problem.
fn savepoint(tx: &crate::store::Tx<'_>, f: impl FnOnce() -> Result<()>) -> Result<()> {
    tx.execute_batch("SAVEPOINT import_item")?;
    match f() {
        Ok(()) => {
            tx.execute_batch("RELEASE import_item")?;
            Ok(())
        }
        Err(error) => {
            tx.execute_batch("ROLLBACK TO import_item; RELEASE import_item")?;
            Err(error)
        }
    }
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
        error if error.violation().is_some() => {
            let Some(violation) = error.violation() else {
                return error;
            };
            let (unique, message) = (violation.unique, violation.message);
            let field = violation
                .column
                .filter(|_| unique)
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

#[cfg(test)]
mod tests {
    use super::Pretty;
    use proptest::prelude::*;
    use serde::Serialize;
    use serde_json::Value;

    /// `value` written by [`Pretty`] starting `level` levels in.
    fn written(value: &Value, level: usize) -> String {
        let mut bytes = Vec::new();
        value
            .serialize(&mut serde_json::Serializer::with_formatter(
                &mut bytes,
                Pretty::at(level),
            ))
            .unwrap();
        String::from_utf8(bytes).unwrap()
    }

    /// What `serde_json` pretty-prints, every line after the first
    /// indented `level` levels more.
    fn expected(value: &Value, level: usize) -> String {
        serde_json::to_string_pretty(value)
            .unwrap()
            .replace('\n', &format!("\n{}", "  ".repeat(level)))
    }

    fn json() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            "\\PC{0,8}|[\"\\\\\\n\\t\\u{1}é ]{0,4}".prop_map(Value::from),
        ];
        leaf.prop_recursive(6, 48, 5, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
                proptest::collection::btree_map("[a-c\n\"]{0,3}", inner, 0..5)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        /// Empty and nested arrays and objects, escapes in keys and strings:
        /// byte for byte `serde_json`'s pretty printing, at any depth.
        #[test]
        fn pretty_writes_what_serde_json_pretty_prints(value in json(), level in 0usize..4) {
            prop_assert_eq!(written(&value, level), expected(&value, level));
        }
    }

    /// Deeper than the prepared indentation (64 levels) it still indents.
    #[test]
    fn pretty_indents_past_sixty_four_levels() {
        let mut value = serde_json::json!({ "leaf": [1, {}] });
        for i in 0..70 {
            value = if i % 2 == 0 {
                Value::Array(vec![value, Value::Null])
            } else {
                serde_json::json!({ "k": value })
            };
        }
        for level in [0, 2, 63, 64, 65] {
            assert_eq!(written(&value, level), expected(&value, level), "{level}");
        }
    }
}
