//! The supplier register (DOMAIN §1): suppliers, their services,
//! subcontractors and evidence. One function per operation, each validating
//! in the core and writing in one transaction, so the audit trail can be
//! added in one place. A supplier's status changes only through the workflow.

mod evidence;
mod exposure;
pub mod follow_up;
pub mod functions;
mod register;
mod services;
mod store;
mod types;
pub mod validate;

pub(crate) use evidence::store_bytes;
pub use evidence::{
    add_evidence, add_evidence_content, copy_files, evidence_content, evidence_dir,
    evidence_file_path, remove_evidence,
};
pub use exposure::exposure_from;
pub use follow_up::{FollowUpId, FollowUpKind};
pub use functions::{
    create_function, functions_in, list_functions, remove_function, update_function_based_on,
    BusinessFunction, Criticality, FunctionFields, LicensedActivity,
};
pub use register::{list_register, RegisterPage, RegisterQuery, RegisterRow, SortKey, TierCounts};
pub(crate) use services::store_service;
pub use services::{
    add_service, add_subcontractor, remove_service, remove_subcontractor, service, update_service,
    update_service_based_on, update_subcontractor, update_subcontractor_based_on,
};
pub(crate) use store::{parse_time, parse_uuid};
pub use types::*;

use crate::access::Permission;
use crate::error::Refusal;
use crate::error::{Error, Result, ValidationCode};
use crate::jurisdiction::CountryCode;
use crate::store::sql::{Connection, OptionalExtension, Scope};
use crate::store::Db;
use crate::store::Tx;
use crate::words::{self, Language, Said};

pub use crate::context::timestamp;

/// The rowid of the latest assessment of the supplier whose id is
/// `supplier` (a column or a parameter), found through the index on
/// (supplier, created): the one whose state the supplier's status follows.
pub fn latest_assessment_sql(supplier: &str) -> String {
    format!(
        "(SELECT b.rowid FROM assessment b WHERE b.supplier_id = {supplier}
          ORDER BY b.created_at DESC, b.rowid DESC LIMIT 1)"
    )
}

/// Trail entries since a kept list was read beyond which it is read whole.
pub const MAX_CHANGES: i64 = 2_000;

/// The audit trail's last entry (0 for none): where a kept list was read.
pub fn trail_head(conn: &Connection) -> Result<i64> {
    crate::store::trail_head(conn)
}

/// The suppliers whose records the trail entries after `since` touch: a
/// supplier, or a row that names its supplier or its assessment (as it is,
/// or as it was before a delete). `None` when an entry cannot be placed (a
/// deleted assessment, a migration, a table unknown here), so that kept
/// lists are read whole. A change made outside Tillit is in no entry: the
/// trail's verification reports it.
pub fn changed_since(
    conn: &Connection,
    since: i64,
) -> Result<Option<std::collections::HashSet<String>>> {
    let mut changed = std::collections::HashSet::new();
    let mut statement = conn.prepare_cached(
        "SELECT entity, entity_id,
                coalesce(after ->> '$.supplier_id', before ->> '$.supplier_id'),
                coalesce(after ->> '$.assessment_id', before ->> '$.assessment_id')
         FROM audit_log WHERE seq > ?1",
    )?;
    let mut rows = statement.query([since])?;
    while let Some(r) = rows.next()? {
        let entity = r.get_ref(0)?.as_str()?;
        let supplier: Option<String> = if entity == "supplier" {
            Some(r.get(1)?)
        } else if let Some(supplier) = r.get::<_, Option<String>>(2)? {
            Some(supplier)
        } else if let Some(assessment) = r.get::<_, Option<String>>(3)? {
            conn.prepare_cached("SELECT supplier_id FROM assessment WHERE id = ?1")?
                .query_row([assessment], |r| r.get(0))
                .optional()?
        } else if UNLISTED.contains(&entity) || entity.starts_with("report.") {
            continue;
        } else {
            None
        };
        match supplier {
            Some(supplier) => {
                changed.insert(supplier);
            }
            None => return Ok(None),
        }
    }
    Ok(Some(changed))
}

/// Whether every trail entry after `since` (at most [`MAX_CHANGES`] of
/// them) only notes something and changes no record a register view shows:
/// a sign-in, a failed one, a lock-out or a sign-out, an export, a backup, a
/// user or their signing key. A change made outside Tillit is in no entry:
/// the trail's verification reports it.
pub fn only_notes_since(conn: &Connection, since: i64) -> Result<bool> {
    let mut statement = conn.prepare_cached(
        "SELECT count(*) <= ?2 AND count(*) FILTER (WHERE NOT (
                    action IN ('sign_in', 'sign_in_failed', 'locked_out', 'sign_out', 'export', 'backup')
                    OR entity IN ('app_user', 'signing_key'))) = 0
         FROM audit_log WHERE seq > ?1",
    )?;
    statement.query_row([since, MAX_CHANGES], |r| r.get(0))
}

/// The recorded tables (and exports) that name no supplier or assessment
/// and that no kept list shows.
const UNLISTED: &[&str] = &[
    "service_country",
    "subcontractor_service",
    "sla_record",
    "condition_closure",
    "app_user",
    "app_setting",
    "signing_key",
    "signature",
    "rule_set",
    // Exports of the register file.
    "register",
];

/// [`latest_assessment_sql`] in Rust, over assessments read in any order:
/// each supplier's newest by (created, rowid), as the SQL orders them.
#[derive(Debug, Default)]
pub struct Latest(std::collections::HashMap<String, (String, i64, String)>);

impl Latest {
    /// An assessment `id` of `supplier`, created at `created` with `rowid`.
    pub fn offer(&mut self, supplier: &str, created: &str, rowid: i64, id: &str) {
        let newer = self
            .0
            .get(supplier)
            .is_none_or(|(c, r, _)| (created, rowid) > (c.as_str(), *r));
        if newer {
            self.0.insert(
                supplier.to_owned(),
                (created.to_owned(), rowid, id.to_owned()),
            );
        }
    }

    /// The supplier's id by the id of its latest assessment.
    pub fn by_assessment(self) -> std::collections::HashMap<String, String> {
        self.0
            .into_iter()
            .map(|(supplier, (_, _, id))| (id, supplier))
            .collect()
    }
}

/// Every supplier's latest assessment ([`latest_assessment_sql`] read in
/// one scan): the supplier's id by the assessment's id.
pub fn current_assessments(conn: &Connection) -> Result<std::collections::HashMap<String, String>> {
    let mut latest = Latest::default();
    let mut statement =
        conn.prepare_cached("SELECT supplier_id, created_at, rowid, id FROM assessment")?;
    let mut rows = statement.query([])?;
    while let Some(row) = rows.next()? {
        latest.offer(
            row.get_ref(0)?.as_str()?,
            row.get_ref(1)?.as_str()?,
            row.get(2)?,
            row.get_ref(3)?.as_str()?,
        );
    }
    Ok(latest.by_assessment())
}

/// The SQL function `tillit_current_until(kind, valid_until)`: the last day
/// an evidence item is current, by the one rule of DOMAIN §3
/// ([`EvidenceFields::current_until`]), so that lists made in SQL (the
/// overview's expiring evidence) read evidence exactly as step 1 does.
fn register_sql_functions(conn: &Connection) -> Result<()> {
    use rusqlite::functions::FunctionFlags;
    let conn = conn.require_sqlite("the evidence rule in SQL")?;
    conn.create_scalar_function(
        "tillit_current_until",
        2,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| {
            let kind: Option<String> = ctx.get(0)?;
            let until: Option<chrono::NaiveDate> = ctx.get(1)?;
            let fields = EvidenceFields {
                kind: kind
                    .as_deref()
                    .and_then(EvidenceKind::parse)
                    .unwrap_or_default(),
                valid_until: until,
                ..EvidenceFields::default()
            };
            Ok(fields.current_until())
        },
    )?;
    Ok(())
}

/// [`register_sql_functions`] on `conn` unless they are there already.
/// Registering a function makes SQLite expire every statement prepared on
/// the connection, so each connection gets it once: a statement calling
/// the function prepares only where it exists.
fn ensure_sql_functions(conn: &Connection) -> Result<()> {
    if conn
        .prepare_cached("SELECT tillit_current_until(NULL, NULL)")
        .is_ok()
    {
        return Ok(());
    }
    register_sql_functions(conn)
}

/// The SQL of the last day the evidence item with kind `kind` and
/// valid-until `until` (SQL expressions) is current, by the one rule of
/// DOMAIN §3 ([`EvidenceFields::current_until`]). On SQLite the rule itself
/// runs, as a function registered on the connection; on PostgreSQL the
/// expression is written from the same kinds and months, and a date past a
/// month's end is moved back to its last day as chrono does.
pub fn current_until_sql(conn: &Connection, kind: &str, until: &str) -> Result<String> {
    if !conn.is_postgres() {
        ensure_sql_functions(conn)?;
        return Ok(format!("tillit_current_until({kind}, {until})"));
    }
    let reports: Vec<String> = EvidenceKind::ALL
        .iter()
        .filter(|k| k.is_period_report())
        .map(|k| format!("'{}'", k.as_str()))
        .collect();
    Ok(format!(
        "(CASE WHEN {kind} IN ({}) THEN to_char(CAST({until} AS date) + interval '{} months', 'YYYY-MM-DD') ELSE {until} END)",
        reports.join(", "),
        types::REPORT_CURRENT_MONTHS
    ))
}

/// The exposing jurisdictions of the rule set in force (DOMAIN §2).
/// Read once per operation: bulk operations pass the list on.
pub fn exposing_in(conn: &Connection) -> Result<Vec<CountryCode>> {
    let listed = crate::rules::current(conn)?.rules.exposing_jurisdictions;
    Ok(listed
        .iter()
        .filter_map(|c| CountryCode::parse(c))
        .collect())
}

/// Recomputes the stored exposure of every supplier, after the exposing
/// jurisdictions changed. Runs inside the caller's transaction.
pub fn refresh_all_exposure(tx: &Connection) -> Result<()> {
    let exposing = exposing_in(tx)?;
    for supplier in store::all_suppliers(tx)? {
        store::refresh_exposure(tx, supplier.id, &exposing)?;
    }
    Ok(())
}

/// Registers a new supplier, in status `draft`.
pub fn create_supplier(db: &Db, mut fields: SupplierFields) -> Result<SupplierDetail> {
    validate::supplier(&mut fields)?;
    let supplier = Supplier::draft(SupplierId(db.new_id()), fields, db.now());
    db.write(Permission::EditRegister, |tx| {
        insert_suppliers(tx, std::slice::from_ref(&supplier), &exposing_in(tx)?)?;
        shown(tx, supplier.id, tx.now().date_naive())
    })
}

/// Changes what is recorded about a supplier (not its status).
pub fn update_supplier(db: &Db, id: SupplierId, fields: SupplierFields) -> Result<SupplierDetail> {
    update_supplier_based_on(db, id, fields, None)
}

/// [`update_supplier`] from a form opened on the fields `based_on`: when
/// someone else saved the supplier since, nothing is saved and the refusal
/// names who changed it and when (DOMAIN §11), so the person can reload.
pub fn update_supplier_based_on(
    db: &Db,
    id: SupplierId,
    mut fields: SupplierFields,
    based_on: Option<SupplierFields>,
) -> Result<SupplierDetail> {
    validate::supplier(&mut fields)?;
    let now = db.now();
    db.write(Permission::EditRegister, |tx| {
        let old = editable(tx, id)?.fields;
        if let Some(based_on) = &based_on {
            if *based_on != old {
                return Err(stale(tx, "supplier", &id.to_string(), &old.legal_name)?);
            }
        }
        store::update_supplier_fields(tx, id, &fields, now)?;
        store::refresh_exposure(tx, id, &exposing_in(tx)?)?;
        let changed = changes(&[
            ("parent_name", old.parent_name, fields.parent_name.clone()),
            (
                "parent_identifier",
                old.parent_identifier,
                fields.parent_identifier.clone(),
            ),
            (
                "parent_country",
                old.parent_country,
                fields.parent_country.clone(),
            ),
            (
                "country_of_incorporation",
                old.country_of_incorporation,
                fields.country_of_incorporation.clone(),
            ),
            (
                "country_of_headquarters",
                old.country_of_headquarters,
                fields.country_of_headquarters.clone(),
            ),
        ]);
        if !changed.is_empty() {
            let reason = Said::new(|l| {
                words::t(
                    l,
                    "reason.ownership_changed",
                    &[("changes", changed.said_in(l))],
                )
            });
            reassess_after(db, tx, id, None, FollowUpKind::OwnershipChange, reason)?;
        }
        shown(tx, id, tx.now().date_naive())
    })
}

/// Ends the relationship: status `offboarded`, with the reason recorded.
pub fn offboard_supplier(db: &Db, id: SupplierId, reason: &str) -> Result<SupplierDetail> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(Error::invalid(
            "offboarding_reason",
            ValidationCode::Required,
            "offboarding needs a reason",
        ));
    }
    let now = db.now();
    db.write(Permission::EditRegister, |tx| {
        editable(tx, id)?;
        store::set_status(tx, id, SupplierStatus::Offboarded, Some(reason), now)?;
        shown(tx, id, tx.now().date_naive())
    })
}

/// A supplier with its services, subcontractors, evidence and exposure.
pub fn supplier_detail(db: &Db, id: SupplierId) -> Result<SupplierDetail> {
    let today = db.now().date_naive();
    db.read(|conn| shown(conn, id, today))
}

/// The supplier named by `text`: its id, its registration number, or its
/// legal name (any letter case). A name several suppliers share is refused
/// with their registration numbers, so the user can pick one.
pub fn find(db: &Db, text: &str) -> Result<SupplierId> {
    let text = text.trim();
    if let Ok(id) = text.parse::<SupplierId>() {
        return Ok(id);
    }
    db.read(|conn| {
        let mut statement = conn.prepare(
            "SELECT id, legal_name, registration_number FROM supplier
             WHERE registration_number = ?1 OR search_key LIKE ?2 ESCAPE '\\' ORDER BY sort_key, id",
        )?;
        let escaped = text.to_lowercase().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
        let rows: Vec<(String, String, String)> = statement
            .query_map(rusqlite::params![text, format!("{escaped} %")], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let exact: Vec<&(String, String, String)> = rows
            .iter()
            .filter(|(_, name, number)| number == text || name.to_lowercase() == text.to_lowercase())
            .collect();
        match exact.as_slice() {
            [(id, _, _)] => id.parse().map_err(|e: uuid::Error| Error::Internal(e.to_string())),
            [] => Err(Error::invalid(
                "supplier",
                ValidationCode::UnknownValue,
                format!("no supplier has the id, registration number or legal name {text:?}"),
            )),
            many => Err(Error::invalid(
                "supplier",
                ValidationCode::Duplicate,
                format!(
                    "{} suppliers are named {text:?}: give the registration number or id of one ({})",
                    many.len(),
                    many.iter().map(|(id, _, number)| if number.is_empty() { id.clone() } else { number.clone() }).collect::<Vec<_>>().join(", ")
                ),
            )),
        }
    })
}

/// A supplier with everything about it, inside the caller's transaction.
pub fn detail_in(conn: &Connection, id: SupplierId) -> Result<SupplierDetail> {
    detail(conn, id)
}

/// Moves a supplier to `status` as a step of the workflow (assessment,
/// approval, review); never by editing the record.
pub(crate) fn set_workflow_status(
    tx: &Connection,
    id: SupplierId,
    status: SupplierStatus,
    now: &str,
) -> Result<()> {
    tx.execute(
        "UPDATE supplier SET status = ?2, updated_at = ?3 WHERE id = ?1",
        rusqlite::params![id.to_string(), status, now],
    )?;
    Ok(())
}

/// Sets the status of a supplier just imported, as its assessments give it
/// (its time of change stays the file's).
pub(crate) fn set_imported_status(
    tx: &Connection,
    id: SupplierId,
    status: SupplierStatus,
) -> Result<()> {
    tx.execute(
        "UPDATE supplier SET status = ?2 WHERE id = ?1",
        rusqlite::params![id.to_string(), status],
    )?;
    Ok(())
}

pub(super) fn detail(conn: &Connection, id: SupplierId) -> Result<SupplierDetail> {
    detail_with(conn, id, &exposing_in(conn)?)
}

/// A supplier as the window shows it: its detail with each evidence item's
/// validity on `today`.
pub(super) fn shown(
    conn: &Connection,
    id: SupplierId,
    today: chrono::NaiveDate,
) -> Result<SupplierDetail> {
    let mut detail = detail(conn, id)?;
    detail.evidence_validity = detail
        .evidence
        .iter()
        .map(|e| e.fields.validity_on(today))
        .collect();
    Ok(detail)
}

pub(super) fn detail_with(
    conn: &Connection,
    id: SupplierId,
    exposing: &[CountryCode],
) -> Result<SupplierDetail> {
    let supplier = store::get_supplier(conn, id)?;
    let subcontractors = store::subcontractors_of(conn, id)?;
    let services = store::services_in(conn, &Scope::One(id.to_string()))?;
    let evidence = evidence::evidence_of(conn, id)?;
    Ok(assembled(
        supplier,
        services,
        subcontractors,
        evidence,
        exposing,
    ))
}

/// A supplier's detail from its rows: the services placed and the
/// exposure derived from what was read.
fn assembled(
    supplier: Supplier,
    mut services: Vec<Service>,
    subcontractors: Vec<Subcontractor>,
    evidence: Vec<Evidence>,
    exposing: &[CountryCode],
) -> SupplierDetail {
    store::place_services(
        &mut services,
        supplier.fields.dpf_certified,
        &subcontractors,
    );
    SupplierDetail {
        exposure: exposure_from(&supplier.fields, &subcontractors, exposing),
        services,
        subcontractors,
        evidence,
        supplier,
        evidence_validity: Vec::new(),
    }
}

/// Records a change that requires a reassessment (DOMAIN §8) with its
/// reason, for a supplier that has been approved. Before that, the
/// assessment under way (or still to come) covers the change.
pub(super) fn reassess_after(
    db: &Db,
    tx: &Tx<'_>,
    supplier: SupplierId,
    service: Option<ServiceId>,
    kind: FollowUpKind,
    reason: Said,
) -> Result<()> {
    if !follow_up::under_review(store::get_supplier(tx, supplier)?.status) {
        return Ok(());
    }
    follow_up::raise(
        tx,
        follow_up::Raised {
            supplier_id: supplier,
            service_id: service,
            kind,
            reason: &reason,
            occurred_on: tx.now().date_naive(),
            subject: "",
        },
        db.new_id(),
    )
}

/// What changed between two versions of a record: each field (as the form
/// names it, `data_classification`) with its value before and after.
pub(super) struct Changes(Vec<(&'static str, String, String)>);

impl Changes {
    pub(super) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// "field: old → new; …" in `language`, the field by its label and a
    /// listed value (a classification) by its name.
    pub(super) fn said_in(&self, language: Language) -> String {
        let value = |field: &str, text: &str| -> String {
            if text.is_empty() {
                return words::t(language, "reason.none", &[]);
            }
            let prefix = match field {
                "data_classification" => "classification",
                "personal_data" => "personal",
                _ => return text.to_owned(),
            };
            words::entry(language, &format!("{prefix}.{text}"))
                .map_or_else(|| text.to_owned(), str::to_owned)
        };
        self.0
            .iter()
            .map(|(field, old, new)| {
                let label = words::t(language, &format!("field.{field}"), &[]);
                let mut chars = label.chars();
                let label = chars.next().map_or_else(String::new, |c| {
                    c.to_lowercase().chain(chars).collect::<String>()
                });
                format!("{label}: {} → {}", value(field, old), value(field, new))
            })
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// The fields of `pairs` (field, before, after) whose value changed.
pub(super) fn changes(pairs: &[(&'static str, String, String)]) -> Changes {
    Changes(
        pairs
            .iter()
            .filter(|(_, old, new)| old != new)
            .cloned()
            .collect(),
    )
}

/// The refusal of a save based on an older `entity` `id`: who changed it
/// last, by the audit trail, and when.
pub(crate) fn stale(conn: &Connection, entity: &str, id: &str, what: &str) -> Result<Error> {
    let (by, at): (String, String) = conn
        .query_row(
            // The record's own last entry, or a later one about its rows
            // kept in other tables (a service's countries name the service's
            // id; only an id as unique as a UUID is looked for that way).
            "WITH own AS (SELECT coalesce(max(seq), 0) AS seq FROM audit_log
                          WHERE entity = ?1 AND entity_id = ?2)
             SELECT coalesce(u.display_name, a.actor), a.at FROM audit_log a
             JOIN own ON a.seq >= own.seq
             LEFT JOIN app_user u ON u.username = a.actor
             WHERE (a.entity = ?1 AND a.entity_id = ?2)
                OR (length(?2) = 36
                    AND instr(coalesce(a.before, '') || coalesce(a.after, ''), ?2) > 0)
             ORDER BY a.seq DESC LIMIT 1",
            [entity, id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?
        .unwrap_or_default();
    Ok(Error::Stale {
        what: what.to_owned(),
        by,
        at: at.replace('T', " ").chars().take(16).collect::<String>() + " UTC",
    })
}

/// Refuses changes to an offboarded supplier; returns the supplier otherwise.
pub(crate) fn editable(conn: &Connection, id: SupplierId) -> Result<Supplier> {
    let supplier = store::get_supplier(conn, id)?;
    if supplier.status == SupplierStatus::Offboarded {
        return Err(Refusal::new("refusal.offboarded_unchanged")
            .with("name", &supplier.fields.legal_name)
            .into());
    }
    Ok(supplier)
}

/// Every supplier with everything about it, ordered by name (for export).
pub fn all_details(db: &Db) -> Result<Vec<SupplierDetail>> {
    db.read(all_details_in)
}

/// [`all_details`] on a connection: one query per table, grouped by
/// supplier.
pub fn all_details_in(conn: &Connection) -> Result<Vec<SupplierDetail>> {
    details_in(conn, &Scope::All, &exposing_in(conn)?)
}

/// The suppliers of `scope` with everything about them, ordered by name:
/// one query per table, grouped by supplier. `exposing` is
/// [`exposing_in`], read once for a read in parts.
pub fn details_in(
    conn: &Connection,
    scope: &Scope,
    exposing: &[CountryCode],
) -> Result<Vec<SupplierDetail>> {
    let mut services = store::by_supplier(store::services_in(conn, scope)?, |s| s.supplier_id);
    let mut subcontractors =
        store::by_supplier(store::subcontractors_in(conn, scope)?, |s| s.supplier_id);
    let mut evidence = store::by_supplier(evidence::evidence_in(conn, scope)?, |e| e.supplier_id);
    Ok(store::suppliers_in(conn, scope)?
        .into_iter()
        .map(|s| {
            let key = s.id;
            assembled(
                s,
                services.remove(&key).unwrap_or_default(),
                subcontractors.remove(&key).unwrap_or_default(),
                evidence.remove(&key).unwrap_or_default(),
                exposing,
            )
        })
        .collect())
}

/// The ids of every supplier in the order [`details_in`] gives them.
pub fn ids_by_name_in(conn: &Connection) -> Result<Vec<String>> {
    store::ids_by_name(conn)
}

/// Writes new suppliers without services, subcontractors or evidence (a
/// CSV import's), validated by the caller, each with its exposure as
/// derived, many to a statement. Runs inside the caller's transaction;
/// `exposing` is [`exposing_in`].
pub fn insert_suppliers(
    tx: &Connection,
    suppliers: &[Supplier],
    exposing: &[CountryCode],
) -> Result<()> {
    let rows: Vec<(&Supplier, bool)> = suppliers
        .iter()
        .map(|supplier| {
            (
                supplier,
                exposure_from(&supplier.fields, &[], exposing).exposed,
            )
        })
        .collect();
    store::insert_suppliers(tx, &rows)
}

/// Writes whole suppliers as they are (ids, status and times included), for
/// imports; validated by the caller. Runs inside the caller's transaction;
/// `exposing` is [`exposing_in`], read once for the whole import.
pub fn insert_detail(
    tx: &Connection,
    detail: &SupplierDetail,
    exposing: &[CountryCode],
) -> Result<()> {
    let exposed = exposure_from(&detail.supplier.fields, &detail.subcontractors, exposing).exposed;
    store::insert_supplier(tx, &detail.supplier, exposed).map_err(|error| match error {
        error if error.violation().is_some_and(|v| v.primary_key) => Error::invalid(
            "id",
            ValidationCode::Duplicate,
            format!(
                "a supplier with id {} is already registered",
                detail.supplier.id
            ),
        ),
        other => other,
    })?;
    for (i, service) in detail.services.iter().enumerate() {
        store::insert_service(tx, service).map_err(|error| match error {
            Error::Invalid(found) => Error::Invalid(
                found
                    .into_iter()
                    .map(|e| crate::error::FieldError {
                        field: format!("services[{i}].{}", e.field),
                        ..e
                    })
                    .collect(),
            ),
            other => other,
        })?;
    }
    for sub in &detail.subcontractors {
        store::insert_subcontractor(tx, sub)?;
    }
    for evidence in &detail.evidence {
        evidence::insert_evidence(tx, evidence)?;
    }
    Ok(())
}

/// Checks a whole supplier record from an import: its fields, every service,
/// subcontractor and evidence item, with field names that say where
/// (`services[1].storage_countries`).
pub fn validate_detail(detail: &mut SupplierDetail) -> Result<()> {
    let mut errors = Vec::new();
    let mut collect = |prefix: String, result: Result<()>| {
        if let Err(error) = result {
            for mut e in error.field_errors().iter().cloned() {
                if !prefix.is_empty() {
                    e.field = format!("{prefix}.{}", e.field);
                }
                errors.push(e);
            }
        }
    };
    collect(
        String::new(),
        validate::supplier(&mut detail.supplier.fields),
    );
    for (i, service) in detail.services.iter_mut().enumerate() {
        collect(
            format!("services[{i}]"),
            validate::service(&mut service.fields),
        );
    }
    let services: Vec<ServiceId> = detail.services.iter().map(|s| s.id).collect();
    for (i, sub) in detail.subcontractors.iter_mut().enumerate() {
        collect(
            format!("subcontractors[{i}]"),
            validate::subcontractor(&mut sub.fields),
        );
        collect(
            format!("subcontractors[{i}]"),
            validate::subcontractor_services(&sub.fields, &services),
        );
    }
    let chain: Vec<_> = detail
        .subcontractors
        .iter()
        .map(|s| (s.id, s.fields.serves, s.fields.name.clone()))
        .collect();
    for (i, sub) in detail.subcontractors.iter().enumerate() {
        collect(
            format!("subcontractors[{i}]"),
            validate::subcontractor_chain(Some(sub.id), &sub.fields, &chain),
        );
    }
    for (i, evidence) in detail.evidence.iter_mut().enumerate() {
        collect(
            format!("evidence[{i}]"),
            validate::evidence(&mut evidence.fields, evidence.created_at.date_naive()),
        );
        if let Some(file) = &mut evidence.file {
            collect(format!("evidence[{i}]"), validate::evidence_file(file));
        }
    }
    if detail.supplier.status == SupplierStatus::Offboarded
        && detail
            .supplier
            .offboarding_reason
            .as_deref()
            .unwrap_or("")
            .trim()
            .is_empty()
    {
        errors.push(crate::error::FieldError::new(
            "offboarding_reason",
            ValidationCode::Required,
            "an offboarded supplier needs a reason",
        ));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Error::Invalid(errors))
    }
}
