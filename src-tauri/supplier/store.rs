//! SQL of the register: reading and writing rows. Callers validate first and
//! run these inside one transaction.

use super::exposure::exposure_from;
use super::types::*;
use crate::error::{Error, Result};
use crate::jurisdiction::{worst_location_class, CountryCode, Exposure};
use crate::store::sql::{params_from_iter, Connection, OptionalExtension, Row, Scope};
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::ToSql;
use std::sync::OnceLock;
use uuid::Uuid;

pub(super) fn ts(time: DateTime<Utc>) -> String {
    crate::context::timestamp(time)
}

pub(crate) fn parse_uuid(row: &Row<'_>, index: &str) -> rusqlite::Result<Uuid> {
    let text: String = row.get(index)?;
    Uuid::parse_str(&text).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
    })
}

/// A column a schema before 11 does not have (a database being upgraded):
/// `default` there.
fn column_or<T: rusqlite::types::FromSql>(
    row: &Row<'_>,
    name: &str,
    default: T,
) -> rusqlite::Result<T> {
    match row.get(name) {
        Err(rusqlite::Error::InvalidColumnName(_)) => Ok(default),
        other => other,
    }
}

/// Whom a subcontractor's row says it works for; none on a schema before
/// the chain (a database being upgraded).
fn serves_of(row: &Row<'_>) -> rusqlite::Result<Option<SubcontractorId>> {
    match column_or::<Option<String>>(row, "serves", None)? {
        None => Ok(None),
        Some(_) => Ok(Some(SubcontractorId(parse_uuid(row, "serves")?))),
    }
}

pub(crate) fn parse_time(row: &Row<'_>, index: &str) -> rusqlite::Result<DateTime<Utc>> {
    let text: String = row.get(index)?;
    DateTime::parse_from_rfc3339(&text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
        })
}

pub(super) fn parse_date(row: &Row<'_>, index: &str) -> rusqlite::Result<Option<NaiveDate>> {
    row.get(index)
}

/// The name folded for sorting in Swedish alphabetical order: case is
/// ignored, å ä ö (and æ ø) come after z, other accents sort with their base
/// letter (é with e, ü with y as in Swedish).
pub(super) fn sort_key(name: &str) -> String {
    let mut key = String::with_capacity(name.len());
    for c in name.chars().flat_map(char::to_lowercase) {
        match c {
            'å' => key.push('{'),
            'ä' | 'æ' => key.push('|'),
            'ö' | 'ø' => key.push('}'),
            'á' | 'à' | 'â' | 'ã' => key.push('a'),
            'é' | 'è' | 'ê' | 'ë' => key.push('e'),
            'í' | 'ì' | 'î' | 'ï' => key.push('i'),
            'ó' | 'ò' | 'ô' | 'õ' => key.push('o'),
            'ú' | 'ù' | 'û' => key.push('u'),
            'ü' => key.push('y'),
            'ç' => key.push('c'),
            'ñ' => key.push('n'),
            'ß' => key.push_str("ss"),
            other => key.push(other),
        }
    }
    key
}

/// The lower-case text the register searches in.
pub(super) fn search_key(fields: &SupplierFields) -> String {
    format!("{} {}", fields.legal_name, fields.registration_number).to_lowercase()
}

/// The editable columns of `supplier`, in the order [`supplier_values`] gives them.
const SUPPLIER_FIELDS: [&str; 23] = [
    "legal_name",
    "person_type",
    "search_key",
    "sort_key",
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
    "exposure_override",
    "exposure_override_justification",
    "notes",
];

fn supplier_values<'a>(f: &'a SupplierFields, keys: &'a [String; 2]) -> [&'a dyn ToSql; 23] {
    [
        &f.legal_name,
        &f.person_type,
        &keys[0],
        &keys[1],
        &f.registration_number,
        &f.lei,
        &f.euid,
        &f.vat_number,
        &f.country_of_incorporation,
        &f.country_of_headquarters,
        &f.parent_name,
        &f.parent_identifier,
        &f.parent_country,
        &f.website,
        &f.contact_name,
        &f.contact_email,
        &f.internal_owner,
        &f.tier,
        &f.tier_justification,
        &f.dpf_certified,
        &f.exposure_override,
        &f.exposure_override_justification,
        &f.notes,
    ]
}

/// `INSERT INTO table (fixed…, fields…) VALUES (?1, ?2, …)`.
pub(super) fn insert_sql(table: &str, fixed: &[&str], fields: &[&str]) -> String {
    insert_rows_sql(table, fixed, fields, 1)
}

/// `INSERT INTO table (fixed…, fields…) VALUES (?1, …), (…), …` for `rows`
/// rows, numbered on from one row to the next.
fn insert_rows_sql(table: &str, fixed: &[&str], fields: &[&str], rows: usize) -> String {
    let columns: Vec<&str> = fixed.iter().chain(fields).copied().collect();
    let tuples: Vec<String> = (0..rows)
        .map(|row| {
            let places: Vec<String> = (1..=columns.len())
                .map(|i| format!("?{}", row * columns.len() + i))
                .collect();
            format!("({})", places.join(", "))
        })
        .collect();
    format!(
        "INSERT INTO {table} ({}) VALUES {}",
        columns.join(", "),
        tuples.join(", ")
    )
}

/// `UPDATE table SET updated_at = ?2, field = ?3, … WHERE id = ?1`.
pub(super) fn update_sql(table: &str, fields: &[&str]) -> String {
    let sets: Vec<String> = std::iter::once("updated_at")
        .chain(fields.iter().copied())
        .enumerate()
        .map(|(i, column)| format!("{column} = ?{}", i + 2))
        .collect();
    format!("UPDATE {table} SET {} WHERE id = ?1", sets.join(", "))
}

/// Builds a statement's text once.
pub(super) fn statement(
    cache: &'static OnceLock<String>,
    build: impl FnOnce() -> String,
) -> &'static str {
    cache.get_or_init(build)
}

/// The supplier columns an insert writes before [`SUPPLIER_FIELDS`].
const SUPPLIER_FIXED: [&str; 6] = [
    "id",
    "status",
    "offboarding_reason",
    "created_at",
    "updated_at",
    "exposed",
];

/// Inserts a supplier with its exposure as derived (stored with it, so a
/// bulk import writes each row once).
pub(super) fn insert_supplier(tx: &Connection, supplier: &Supplier, exposed: bool) -> Result<()> {
    insert_suppliers(tx, &[(supplier, exposed)])
}

/// The most suppliers one statement inserts: one statement and its
/// statement journal per 64 rows, not per row.
const SUPPLIERS_PER_INSERT: usize = 64;

/// Inserts suppliers, each with its exposure as derived, in as few
/// statements as [`SUPPLIERS_PER_INSERT`] allows (each of 64, 32, …, 1
/// rows, so that a handful of statements are prepared once). All or none
/// of one statement's rows are written.
pub(super) fn insert_suppliers(tx: &Connection, suppliers: &[(&Supplier, bool)]) -> Result<()> {
    static SQL: [OnceLock<String>; 7] = [const { OnceLock::new() }; 7];
    let mut rest = suppliers;
    while !rest.is_empty() {
        // The largest power of two up to 64 that is at most what is left.
        let size = (rest.len().min(SUPPLIERS_PER_INSERT) + 1).next_power_of_two() / 2;
        let (chunk, after) = rest.split_at(size);
        rest = after;
        let sql = statement(&SQL[size.trailing_zeros() as usize], || {
            insert_rows_sql("supplier", &SUPPLIER_FIXED, &SUPPLIER_FIELDS, size)
        });
        let owned: Vec<([String; 2], String, String, String)> = chunk
            .iter()
            .map(|(supplier, _)| {
                (
                    [
                        search_key(&supplier.fields),
                        sort_key(&supplier.fields.legal_name),
                    ],
                    supplier.id.to_string(),
                    ts(supplier.created_at),
                    ts(supplier.updated_at),
                )
            })
            .collect();
        let values = chunk.iter().zip(&owned).flat_map(
            |((supplier, exposed), (keys, id, created, updated))| {
                let fixed: [&dyn ToSql; 6] = [
                    id,
                    &supplier.status,
                    &supplier.offboarding_reason,
                    created,
                    updated,
                    exposed,
                ];
                fixed
                    .into_iter()
                    .chain(supplier_values(&supplier.fields, keys))
            },
        );
        tx.prepare_cached(sql)?.execute(params_from_iter(values))?;
    }
    Ok(())
}

pub(super) fn update_supplier_fields(
    tx: &Connection,
    id: SupplierId,
    f: &SupplierFields,
    now: DateTime<Utc>,
) -> Result<()> {
    static SQL: OnceLock<String> = OnceLock::new();
    let sql = statement(&SQL, || update_sql("supplier", &SUPPLIER_FIELDS));
    let keys = [search_key(f), sort_key(&f.legal_name)];
    let (id, now) = (id.to_string(), ts(now));
    let fixed: [&dyn ToSql; 2] = [&id, &now];
    tx.prepare_cached(sql)?.execute(params_from_iter(
        fixed.into_iter().chain(supplier_values(f, &keys)),
    ))?;
    Ok(())
}

const SUPPLIER_COLUMNS: &str = "id, legal_name, person_type, registration_number, lei, euid, vat_number, country_of_incorporation,
    country_of_headquarters, parent_name, parent_identifier, parent_country, website, contact_name, contact_email,
    internal_owner, tier, tier_justification, dpf_certified, exposure_override, exposure_override_justification,
    notes, status, offboarding_reason, created_at, updated_at";

fn supplier_from_row(row: &Row<'_>) -> rusqlite::Result<Supplier> {
    Ok(Supplier {
        id: SupplierId(parse_uuid(row, "id")?),
        fields: SupplierFields {
            legal_name: row.get("legal_name")?,
            person_type: row.get("person_type")?,
            registration_number: row.get("registration_number")?,
            lei: row.get("lei")?,
            euid: row.get("euid")?,
            vat_number: row.get("vat_number")?,
            country_of_incorporation: row.get("country_of_incorporation")?,
            country_of_headquarters: row.get("country_of_headquarters")?,
            parent_name: row.get("parent_name")?,
            parent_identifier: row.get("parent_identifier")?,
            parent_country: row.get("parent_country")?,
            website: row.get("website")?,
            contact_name: row.get("contact_name")?,
            contact_email: row.get("contact_email")?,
            internal_owner: row.get("internal_owner")?,
            tier: row.get("tier")?,
            tier_justification: row.get("tier_justification")?,
            dpf_certified: row.get("dpf_certified")?,
            exposure_override: row.get("exposure_override")?,
            exposure_override_justification: row.get("exposure_override_justification")?,
            notes: row.get("notes")?,
        },
        status: row.get("status")?,
        offboarding_reason: row.get("offboarding_reason")?,
        created_at: parse_time(row, "created_at")?,
        updated_at: parse_time(row, "updated_at")?,
    })
}

pub(super) fn find_supplier(conn: &Connection, id: SupplierId) -> Result<Option<Supplier>> {
    conn.prepare_cached(&format!(
        "SELECT {SUPPLIER_COLUMNS} FROM supplier WHERE id = ?1"
    ))?
    .query_row([id.to_string()], supplier_from_row)
    .optional()
}

pub(super) fn get_supplier(conn: &Connection, id: SupplierId) -> Result<Supplier> {
    find_supplier(conn, id)?.ok_or_else(|| Error::NotFound {
        entity: "supplier",
        id: id.to_string(),
    })
}

/// Every supplier, ordered by name (then id, so the order is total).
pub(super) fn all_suppliers(conn: &Connection) -> Result<Vec<Supplier>> {
    suppliers_in(conn, &Scope::All)
}

/// The suppliers of `scope` (by their ids), ordered by name.
pub(super) fn suppliers_in(conn: &Connection, scope: &Scope) -> Result<Vec<Supplier>> {
    let mut statement = conn.prepare_cached(&format!(
        "SELECT {SUPPLIER_COLUMNS} FROM supplier {} ORDER BY sort_key, id",
        scope.filter("id")
    ))?;
    let rows = statement
        .query_map(params_from_iter(scope.params()), supplier_from_row)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// The ids of every supplier, ordered by name as [`suppliers_in`] orders
/// them.
pub(super) fn ids_by_name(conn: &Connection) -> Result<Vec<String>> {
    let ids = conn
        .prepare_cached("SELECT id FROM supplier ORDER BY sort_key, id")?
        .query_map([], |row| row.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(ids)
}

pub(super) fn set_status(
    tx: &Connection,
    id: SupplierId,
    status: SupplierStatus,
    reason: Option<&str>,
    now: DateTime<Utc>,
) -> Result<()> {
    tx.execute(
        "UPDATE supplier SET status = ?2, offboarding_reason = ?3, updated_at = ?4 WHERE id = ?1",
        rusqlite::params![id.to_string(), status, reason, ts(now)],
    )?;
    Ok(())
}

/// The editable columns of `service`, in the order [`service_values`] gives them
/// (the countries live in `service_country`).
const SERVICE_FIELDS: [&str; 28] = [
    "name",
    "description",
    "service_type",
    "ict_service_type",
    "data_classification",
    "data_sensitivity",
    "personal_data",
    "reliance",
    "substitutability",
    "substitutability_reason",
    "reintegration",
    "discontinuing_impact",
    "rto_hours",
    "rpo_hours",
    "sla_availability_percent",
    "contract_reference",
    "contract_arrangement",
    "overarching_contract",
    "contract_start",
    "contract_end",
    "renewal_date",
    "notice_period_supplier_days",
    "notice_period_customer_days",
    "governing_law_country",
    "annual_cost",
    "currency",
    "exit_plan",
    "alternative_providers",
];

fn service_values(f: &ServiceFields) -> [&dyn ToSql; 28] {
    [
        &f.name,
        &f.description,
        &f.service_type,
        &f.ict_service_type,
        &f.data_classification,
        &f.data_sensitivity,
        &f.personal_data,
        &f.reliance,
        &f.substitutability,
        &f.substitutability_reason,
        &f.reintegration,
        &f.discontinuing_impact,
        &f.rto_hours,
        &f.rpo_hours,
        &f.sla_availability_percent,
        &f.contract_reference,
        &f.contract_arrangement,
        &f.overarching_contract,
        &f.contract_start,
        &f.contract_end,
        &f.renewal_date,
        &f.notice_period_supplier_days,
        &f.notice_period_customer_days,
        &f.governing_law_country,
        &f.annual_cost,
        &f.currency,
        &f.exit_plan,
        &f.alternative_providers,
    ]
}

pub(super) fn insert_service(tx: &Connection, service: &Service) -> Result<()> {
    static SQL: OnceLock<String> = OnceLock::new();
    let sql = statement(&SQL, || {
        insert_sql(
            "service",
            &["id", "supplier_id", "created_at", "updated_at"],
            &SERVICE_FIELDS,
        )
    });
    let (id, supplier, created, updated) = (
        service.id.0.to_string(),
        service.supplier_id.to_string(),
        ts(service.created_at),
        ts(service.updated_at),
    );
    let fixed: [&dyn ToSql; 4] = [&id, &supplier, &created, &updated];
    tx.prepare_cached(sql)?.execute(params_from_iter(
        fixed.into_iter().chain(service_values(&service.fields)),
    ))?;
    write_service_countries(tx, service.id, &service.fields)?;
    super::functions::link_service(tx, service.id, &service.fields.functions)
}

pub(super) fn write_service_countries(
    tx: &Connection,
    id: ServiceId,
    f: &ServiceFields,
) -> Result<()> {
    tx.prepare_cached("DELETE FROM service_country WHERE service_id = ?1")?
        .execute([id.0.to_string()])?;
    let mut insert = tx.prepare_cached(
        "INSERT INTO service_country (service_id, role, country) VALUES (?1, ?2, ?3)",
    )?;
    for (role, countries) in [
        ("storage", &f.storage_countries),
        ("access", &f.access_countries),
    ] {
        for country in countries {
            insert.execute([id.0.to_string().as_str(), role, country])?;
        }
    }
    Ok(())
}

pub(super) fn delete_service(tx: &Connection, id: ServiceId) -> Result<()> {
    tx.execute("DELETE FROM service WHERE id = ?1", [id.0.to_string()])?;
    Ok(())
}

fn service_from_row(row: &Row<'_>) -> rusqlite::Result<Service> {
    Ok(Service {
        id: ServiceId(parse_uuid(row, "id")?),
        supplier_id: SupplierId(parse_uuid(row, "supplier_id")?),
        fields: ServiceFields {
            name: row.get("name")?,
            description: row.get("description")?,
            service_type: row.get("service_type")?,
            ict_service_type: row.get("ict_service_type")?,
            data_classification: row.get("data_classification")?,
            data_sensitivity: row.get("data_sensitivity")?,
            personal_data: row.get("personal_data")?,
            storage_countries: Vec::new(),
            access_countries: Vec::new(),
            functions: Vec::new(),
            reliance: row.get("reliance")?,
            substitutability: row.get("substitutability")?,
            substitutability_reason: row.get("substitutability_reason")?,
            reintegration: row.get("reintegration")?,
            discontinuing_impact: row.get("discontinuing_impact")?,
            rto_hours: row.get("rto_hours")?,
            rpo_hours: row.get("rpo_hours")?,
            sla_availability_percent: row.get("sla_availability_percent")?,
            contract_reference: row.get("contract_reference")?,
            contract_arrangement: row.get("contract_arrangement")?,
            overarching_contract: row.get("overarching_contract")?,
            contract_start: parse_date(row, "contract_start")?,
            contract_end: parse_date(row, "contract_end")?,
            renewal_date: parse_date(row, "renewal_date")?,
            notice_period_supplier_days: row.get("notice_period_supplier_days")?,
            notice_period_customer_days: row.get("notice_period_customer_days")?,
            governing_law_country: row.get("governing_law_country")?,
            annual_cost: row.get("annual_cost")?,
            currency: row.get("currency")?,
            exit_plan: row.get("exit_plan")?,
            alternative_providers: row.get("alternative_providers")?,
        },
        location_class: None,
        subcontracted: Vec::new(),
        supports_critical_function: false,
        created_at: parse_time(row, "created_at")?,
        updated_at: parse_time(row, "updated_at")?,
    })
}

/// The services of a supplier, by name.
pub(super) fn services_of(conn: &Connection, supplier: SupplierId) -> Result<Vec<Service>> {
    services_with(conn, supplier, &subcontractors_of(conn, supplier)?)
}

/// Groups rows read in supplier order by supplier, keeping their order.
pub(super) fn by_supplier<T>(
    rows: Vec<T>,
    supplier: impl Fn(&T) -> SupplierId,
) -> std::collections::HashMap<SupplierId, Vec<T>> {
    let mut grouped: std::collections::HashMap<SupplierId, Vec<T>> =
        std::collections::HashMap::new();
    for row in rows {
        grouped.entry(supplier(&row)).or_default().push(row);
    }
    grouped
}

/// [`services_of`] with the supplier's subcontractors already read.
pub(super) fn services_with(
    conn: &Connection,
    supplier: SupplierId,
    subcontractors: &[Subcontractor],
) -> Result<Vec<Service>> {
    let dpf_certified: bool = conn
        .prepare_cached("SELECT dpf_certified FROM supplier WHERE id = ?1")?
        .query_row([supplier.to_string()], |r| r.get(0))
        .optional()?
        .unwrap_or(false);
    let mut services = services_in(conn, &Scope::One(supplier.to_string()))?;
    place_services(&mut services, dpf_certified, subcontractors);
    Ok(services)
}

/// The services of `scope`, by supplier and name, with their countries and
/// business functions (one query each), not yet placed
/// ([`place_services`]).
pub(super) fn services_in(conn: &Connection, scope: &Scope) -> Result<Vec<Service>> {
    let mut services: Vec<Service> = conn
        .prepare_cached(&format!(
            "SELECT * FROM service {} ORDER BY supplier_id, name, id",
            scope.filter("supplier_id")
        ))?
        .query_map(params_from_iter(scope.params()), service_from_row)?
        .collect::<rusqlite::Result<_>>()?;
    let mut countries: std::collections::HashMap<Uuid, Vec<(bool, String)>> =
        std::collections::HashMap::new();
    let of_services = scope.within(services.iter().map(|s| s.id.0.to_string()));
    let mut statement = conn.prepare_cached(&format!(
        "SELECT c.service_id, c.role, c.country FROM service_country c {}
         ORDER BY c.service_id, c.country",
        of_services.filter("c.service_id")
    ))?;
    let rows = statement.query_map(params_from_iter(of_services.params()), |row| {
        Ok((
            parse_uuid(row, "service_id")?,
            row.get::<_, String>("role")? == "storage",
            row.get::<_, String>("country")?,
        ))
    })?;
    for row in rows {
        let (service, storage, country) = row?;
        countries
            .entry(service)
            .or_default()
            .push((storage, country));
    }
    let mut functions = super::functions::of_services(conn, &of_services)?;
    for service in &mut services {
        for (storage, country) in countries.remove(&service.id.0).unwrap_or_default() {
            if storage {
                service.fields.storage_countries.push(country);
            } else {
                service.fields.access_countries.push(country);
            }
        }
        (service.fields.functions, service.supports_critical_function) =
            functions.remove(&service.id.0).unwrap_or_default();
    }
    Ok(services)
}

/// Where each of a supplier's services puts its data (the worst location
/// class) and which subcontractors touch it.
pub(super) fn place_services(
    services: &mut [Service],
    dpf_certified: bool,
    subcontractors: &[Subcontractor],
) {
    for service in services {
        let locations = DataLocations::of(&service.fields, service.id, subcontractors);
        service.location_class = worst_location_class(&locations.countries, dpf_certified);
        service.subcontracted = locations.subcontracted;
    }
}

pub(super) fn get_service(conn: &Connection, id: ServiceId) -> Result<Service> {
    let supplier: Option<String> = conn
        .query_row(
            "SELECT supplier_id FROM service WHERE id = ?1",
            [id.0.to_string()],
            |r| r.get(0),
        )
        .optional()?;
    let not_found = || Error::NotFound {
        entity: "service",
        id: id.0.to_string(),
    };
    let supplier = supplier
        .and_then(|s| s.parse::<SupplierId>().ok())
        .ok_or_else(not_found)?;
    services_of(conn, supplier)?
        .into_iter()
        .find(|s| s.id == id)
        .ok_or_else(not_found)
}

pub(super) fn update_service_fields(
    tx: &Connection,
    id: ServiceId,
    f: &ServiceFields,
    now: DateTime<Utc>,
) -> Result<()> {
    static SQL: OnceLock<String> = OnceLock::new();
    let sql = statement(&SQL, || update_sql("service", &SERVICE_FIELDS));
    let (text_id, now) = (id.0.to_string(), ts(now));
    let fixed: [&dyn ToSql; 2] = [&text_id, &now];
    tx.prepare_cached(sql)?
        .execute(params_from_iter(fixed.into_iter().chain(service_values(f))))?;
    write_service_countries(tx, id, f)?;
    super::functions::link_service(tx, id, &f.functions)
}

/// The editable columns of `subcontractor`, in the order
/// [`subcontractor_values`] gives them (the services it works on live in
/// `subcontractor_service`).
const SUBCONTRACTOR_FIELDS: [&str; 9] = [
    "name",
    "country",
    "role",
    "stores_data",
    "accesses_data",
    "serves",
    "person_type",
    "registration_number",
    "lei",
];

/// The values of [`SUBCONTRACTOR_FIELDS`]; `serves` as its text.
fn subcontractor_values<'a>(
    f: &'a SubcontractorFields,
    serves: &'a Option<String>,
) -> [&'a dyn ToSql; 9] {
    [
        &f.name,
        &f.country,
        &f.role,
        &f.stores_data,
        &f.accesses_data,
        serves,
        &f.person_type,
        &f.registration_number,
        &f.lei,
    ]
}

pub(super) fn insert_subcontractor(tx: &Connection, sub: &Subcontractor) -> Result<()> {
    static SQL: OnceLock<String> = OnceLock::new();
    let sql = statement(&SQL, || {
        insert_sql(
            "subcontractor",
            &["id", "supplier_id"],
            &SUBCONTRACTOR_FIELDS,
        )
    });
    let f = &sub.fields;
    let (id, supplier, serves) = (
        sub.id.0.to_string(),
        sub.supplier_id.to_string(),
        f.serves.map(|s| s.0.to_string()),
    );
    let fixed: [&dyn ToSql; 2] = [&id, &supplier];
    tx.prepare_cached(sql)?.execute(params_from_iter(
        fixed.into_iter().chain(subcontractor_values(f, &serves)),
    ))?;
    write_subcontractor_services(tx, sub.id, &f.services)
}

/// Stores the services a subcontractor works on (none: all).
fn write_subcontractor_services(
    tx: &Connection,
    id: SubcontractorId,
    services: &[ServiceId],
) -> Result<()> {
    tx.prepare_cached("DELETE FROM subcontractor_service WHERE subcontractor_id = ?1")?
        .execute([id.0.to_string()])?;
    let mut insert = tx.prepare_cached(
        "INSERT INTO subcontractor_service (subcontractor_id, service_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
    )?;
    for service in services {
        insert.execute([id.0.to_string(), service.0.to_string()])?;
    }
    Ok(())
}

pub(super) fn update_subcontractor_fields(
    tx: &Connection,
    id: SubcontractorId,
    f: &SubcontractorFields,
) -> Result<()> {
    static SQL: OnceLock<String> = OnceLock::new();
    // A subcontractor keeps no time of its own: the trail has it.
    let sql = statement(&SQL, || {
        let sets: Vec<String> = SUBCONTRACTOR_FIELDS
            .iter()
            .enumerate()
            .map(|(i, column)| format!("{column} = ?{}", i + 2))
            .collect();
        format!("UPDATE subcontractor SET {} WHERE id = ?1", sets.join(", "))
    });
    let (text_id, serves) = (id.0.to_string(), f.serves.map(|s| s.0.to_string()));
    let fixed: [&dyn ToSql; 1] = [&text_id];
    tx.prepare_cached(sql)?.execute(params_from_iter(
        fixed.into_iter().chain(subcontractor_values(f, &serves)),
    ))?;
    write_subcontractor_services(tx, id, &f.services)
}

pub(super) fn subcontractors_of(
    conn: &Connection,
    supplier: SupplierId,
) -> Result<Vec<Subcontractor>> {
    subcontractors_in(conn, &Scope::One(supplier.to_string()))
}

/// The subcontractors of `scope`, by supplier and name, with the services
/// each works on (one query for the links).
pub(super) fn subcontractors_in(conn: &Connection, scope: &Scope) -> Result<Vec<Subcontractor>> {
    let rows = conn
        .prepare_cached(&format!(
            "SELECT * FROM subcontractor {} ORDER BY supplier_id, name, id",
            scope.filter("supplier_id")
        ))?
        .query_map(params_from_iter(scope.params()), |row| {
            Ok(Subcontractor {
                id: SubcontractorId(parse_uuid(row, "id")?),
                supplier_id: SupplierId(parse_uuid(row, "supplier_id")?),
                fields: SubcontractorFields {
                    name: row.get("name")?,
                    country: row.get("country")?,
                    role: row.get("role")?,
                    stores_data: row.get("stores_data")?,
                    accesses_data: row.get("accesses_data")?,
                    services: Vec::new(),
                    serves: serves_of(row)?,
                    person_type: column_or(row, "person_type", PersonType::LegalPerson)?,
                    registration_number: column_or(row, "registration_number", String::new())?,
                    lei: column_or(row, "lei", String::new())?,
                },
            })
        })?
        .collect::<rusqlite::Result<Vec<Subcontractor>>>()?;
    let mut rows = rows;
    // One query for the links of all of the supplier's subcontractors. A
    // database still at a schema before the links (being filled for an
    // upgrade) has none: every subcontractor works on every service.
    let Ok(mut linked) = conn.prepare_cached(&format!(
        "SELECT l.subcontractor_id, l.service_id FROM subcontractor_service l
         JOIN subcontractor s ON s.id = l.subcontractor_id
         {} ORDER BY l.service_id",
        scope.filter("s.supplier_id")
    )) else {
        return Ok(rows);
    };
    let links = linked
        .query_map(params_from_iter(scope.params()), |r| {
            Ok((
                parse_uuid(r, "subcontractor_id")?,
                parse_uuid(r, "service_id")?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let at: std::collections::HashMap<Uuid, usize> =
        rows.iter().enumerate().map(|(i, r)| (r.id.0, i)).collect();
    for (sub, service) in links {
        if let Some(&i) = at.get(&sub) {
            rows[i].fields.services.push(ServiceId(service));
        }
    }
    Ok(rows)
}

/// The supplier a subcontractor, service or evidence item belongs to.
pub(super) fn owner_of(conn: &Connection, table: &'static str, id: Uuid) -> Result<SupplierId> {
    let entity = table;
    let owner: Option<String> = conn
        .query_row(
            &format!("SELECT supplier_id FROM {table} WHERE id = ?1"),
            [id.to_string()],
            |r| r.get(0),
        )
        .optional()?;
    owner.and_then(|o| o.parse().ok()).ok_or(Error::NotFound {
        entity,
        id: id.to_string(),
    })
}

pub(super) fn delete_row(tx: &Connection, table: &'static str, id: Uuid) -> Result<()> {
    tx.execute(
        &format!("DELETE FROM {table} WHERE id = ?1"),
        [id.to_string()],
    )?;
    Ok(())
}

/// Derives the exposure of a supplier from what is stored.
pub(super) fn exposure_of(
    conn: &Connection,
    supplier: &Supplier,
    exposing: &[CountryCode],
) -> Result<Exposure> {
    let subcontractors = subcontractors_of(conn, supplier.id)?;
    Ok(exposure_from(&supplier.fields, &subcontractors, exposing))
}

/// Recomputes and stores the effective exposure of a supplier.
pub(super) fn refresh_exposure(
    tx: &Connection,
    id: SupplierId,
    exposing: &[CountryCode],
) -> Result<Exposure> {
    let supplier = get_supplier(tx, id)?;
    let exposure = exposure_of(tx, &supplier, exposing)?;
    tx.prepare_cached("UPDATE supplier SET exposed = ?2 WHERE id = ?1")?
        .execute(rusqlite::params![id.to_string(), exposure.exposed])?;
    Ok(exposure)
}
