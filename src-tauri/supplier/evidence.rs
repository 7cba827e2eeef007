//! A supplier's evidence: certificates and assurance reports, with their
//! files kept by SHA-256 in the evidence folder beside the database.

use super::store::{parse_date, parse_time, parse_uuid, ts};
use super::{
    editable, shown, store, supplier_detail, validate, Evidence, EvidenceFields, EvidenceFile,
    EvidenceId, SupplierDetail, SupplierId,
};
use crate::access::Permission;
use crate::error::{Error, Refusal, Result};
use crate::store::sql::{Connection, Scope};
use crate::store::Db;
use std::path::{Path, PathBuf};

/// Where evidence files are kept: `<folder of the database>/evidence/`, or
/// the folder given (tests, in-memory databases).
pub fn evidence_dir(db: &Db) -> Result<PathBuf> {
    db.evidence_dir()
        .ok_or_else(|| Refusal::new("refusal.no_evidence_folder").into())
}

/// Records an evidence item; with `file`, copies the file into `store_dir`
/// under its SHA-256 (a file already there is kept, not copied again).
pub fn add_evidence(
    db: &Db,
    supplier: SupplierId,
    fields: EvidenceFields,
    file: Option<&Path>,
    store_dir: &Path,
) -> Result<SupplierDetail> {
    add_evidence_with(db, supplier, fields, || {
        file.map(|path| store_file(path, store_dir)).transpose()
    })
}

/// Validates `fields`, then stores the file (`store`), then records the item.
fn add_evidence_with(
    db: &Db,
    supplier: SupplierId,
    mut fields: EvidenceFields,
    store: impl FnOnce() -> Result<Option<EvidenceFile>>,
) -> Result<SupplierDetail> {
    validate::evidence(&mut fields, db.now().date_naive())?;
    let file = store()?;
    let evidence = Evidence::judged(EvidenceId(db.new_id()), supplier, fields, file, db.now());
    db.write(Permission::EditRegister, |tx| {
        editable(tx, supplier)?;
        insert_evidence(tx, &evidence)?;
        shown(tx, supplier, tx.now().date_naive())
    })
}

/// Removes an evidence item from the register (its file stays in the store:
/// another item or an earlier report may refer to the same content).
pub fn remove_evidence(db: &Db, id: EvidenceId) -> Result<SupplierDetail> {
    db.write(Permission::EditRegister, |tx| {
        let supplier = store::owner_of(tx, "evidence", id.0)?;
        editable(tx, supplier)?;
        store::delete_row(tx, "evidence", id.0)?;
        shown(tx, supplier, tx.now().date_naive())
    })
}

/// The stored copy of an evidence item's file, for opening it.
pub fn evidence_file_path(db: &Db, id: EvidenceId, store_dir: &Path) -> Result<PathBuf> {
    let supplier = db.read(|conn| store::owner_of(conn, "evidence", id.0))?;
    let detail = supplier_detail(db, supplier)?;
    let file = detail
        .evidence
        .iter()
        .find(|e| e.id == id)
        .and_then(|e| e.file.as_ref())
        .ok_or_else(|| Error::NotFound {
            entity: "evidence file",
            id: id.to_string(),
        })?;
    // Only ever a file directly in the evidence folder.
    validate::evidence_file(&mut file.clone())?;
    Ok(store_dir.join(&file.sha256))
}

/// Copies every evidence file `db` names from its folder into `to`
/// (`tillit migrate-store --evidence`), each read and checked against its
/// SHA-256 before any is written; the number of files. A file missing or
/// changed is refused, naming it, and nothing is copied.
pub fn copy_files(db: &Db, to: &Path) -> Result<usize> {
    let from = evidence_dir(db)?;
    let named: Vec<(String, String)> = db.read(|conn| {
        conn.prepare(
            // A returned questionnaire's file is kept in the same folder.
            "SELECT file_sha256, file_name, id FROM evidence WHERE file_sha256 IS NOT NULL
             UNION ALL
             SELECT file_sha256, file_name, id FROM questionnaire WHERE file_sha256 IS NOT NULL
             ORDER BY 1, 3",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()
        .map_err(Error::from)
    })?;
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    for (sha256, name) in named {
        if files.last().is_some_and(|(kept, _)| *kept == sha256) {
            continue;
        }
        let unusable = || {
            Error::from(
                Refusal::new("refusal.evidence_file_unusable")
                    .with("name", &name)
                    .with("sha256", &sha256)
                    .with("folder", from.display().to_string()),
            )
        };
        // Only ever a file directly in the folder, named by its digest.
        if sha256.len() != 64 || !sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(unusable());
        }
        let bytes = std::fs::read(from.join(&sha256)).map_err(|_| unusable())?;
        if crate::audit::sha256_hex(&bytes) != sha256 {
            return Err(unusable());
        }
        files.push((sha256, bytes));
    }
    for (sha256, bytes) in &files {
        store_bytes(bytes, Path::new(sha256), to)?;
    }
    Ok(files.len())
}

/// Records an evidence item whose file was sent whole (over the team
/// server), stored as [`add_evidence`] stores a file.
pub fn add_evidence_content(
    db: &Db,
    supplier: SupplierId,
    fields: EvidenceFields,
    file: Option<&crate::files::FileContent>,
    store_dir: &Path,
) -> Result<SupplierDetail> {
    add_evidence_with(db, supplier, fields, || {
        file.map(|file| store_bytes(&file.content, &file.name_only(), store_dir))
            .transpose()
    })
}

/// An evidence item's stored file, whole, under the name it was added with.
pub fn evidence_content(
    db: &Db,
    id: EvidenceId,
    store_dir: &Path,
) -> Result<crate::files::FileContent> {
    let path = evidence_file_path(db, id, store_dir)?;
    let supplier = db.read(|conn| store::owner_of(conn, "evidence", id.0))?;
    let name = supplier_detail(db, supplier)?
        .evidence
        .into_iter()
        .find(|e| e.id == id)
        .and_then(|e| e.file)
        .map(|f| f.file_name)
        .unwrap_or_default();
    Ok(crate::files::FileContent {
        name,
        content: std::fs::read(&path).map_err(|e| Error::io(&path, e))?,
    })
}

pub(super) fn store_file(source: &Path, store_dir: &Path) -> Result<EvidenceFile> {
    let bytes = std::fs::read(source).map_err(|e| Error::io(source, e))?;
    store_bytes(&bytes, source, store_dir)
}

/// Stores `bytes` in `store_dir` under their SHA-256, named as `source`'s
/// last component.
pub(crate) fn store_bytes(bytes: &[u8], source: &Path, store_dir: &Path) -> Result<EvidenceFile> {
    let sha256 = crate::audit::sha256_hex(bytes);
    std::fs::create_dir_all(store_dir).map_err(|e| Error::io(store_dir, e))?;
    let target = store_dir.join(&sha256);
    if !target.exists() {
        // Written under a new temporary name, then renamed: never a
        // half-written file, never through a link planted in the folder.
        crate::files::write_new(&target, |_, file| {
            std::io::Write::write_all(file, bytes).map_err(|e| Error::io(&target, e))
        })?;
    }
    // The name as shown and offered again: printable, at most 255 characters.
    let file_name: String = source
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| sha256.clone())
        .chars()
        .map(|c| {
            if validate::is_unsafe_char(c, false) {
                '_'
            } else {
                c
            }
        })
        .take(255)
        .collect();
    Ok(EvidenceFile {
        sha256,
        file_name,
        size: i64::try_from(bytes.len()).unwrap_or(i64::MAX),
    })
}

pub(super) fn insert_evidence(tx: &Connection, evidence: &Evidence) -> Result<()> {
    let f = &evidence.fields;
    let file = evidence.file.as_ref();
    tx.prepare_cached(
        "INSERT INTO evidence (id, supplier_id, kind, title, issuer, scope, valid_from, valid_until,
            file_sha256, file_name, file_size, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?
    .execute(rusqlite::params![
        evidence.id.0.to_string(),
        evidence.supplier_id.to_string(),
        f.kind,
        f.title,
        f.issuer,
        f.scope,
        f.valid_from,
        f.valid_until,
        file.map(|f| &f.sha256),
        file.map(|f| &f.file_name),
        file.map(|f| f.size),
        ts(evidence.created_at),
    ])?;
    Ok(())
}

pub(super) fn evidence_of(conn: &Connection, supplier: SupplierId) -> Result<Vec<Evidence>> {
    evidence_in(conn, &Scope::One(supplier.to_string()))
}

/// The evidence of `scope`, by supplier, latest validity first.
pub(super) fn evidence_in(conn: &Connection, scope: &Scope) -> Result<Vec<Evidence>> {
    let rows = conn
        .prepare_cached(&format!(
            "SELECT * FROM evidence {} ORDER BY supplier_id, valid_until DESC, id",
            scope.filter("supplier_id")
        ))?
        .query_map(crate::store::sql::params_from_iter(scope.params()), |row| {
            let sha256: Option<String> = row.get("file_sha256")?;
            let file = match sha256 {
                Some(sha256) => Some(EvidenceFile {
                    sha256,
                    file_name: row.get("file_name")?,
                    size: row.get("file_size")?,
                }),
                None => None,
            };
            Ok(Evidence::judged(
                EvidenceId(parse_uuid(row, "id")?),
                SupplierId(parse_uuid(row, "supplier_id")?),
                EvidenceFields {
                    kind: row.get("kind")?,
                    title: row.get("title")?,
                    issuer: row.get("issuer")?,
                    scope: row.get("scope")?,
                    valid_from: parse_date(row, "valid_from")?,
                    valid_until: parse_date(row, "valid_until")?,
                },
                file,
                parse_time(row, "created_at")?,
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}
