//! The organisation's business functions (DOMAIN §1; DORA's "functions",
//! B_06.01): each kept as a record with its identifier (`F1`, `F2` …), its
//! name, the licensed activity it serves, whether it is critical or
//! important and why, its recovery objectives and the impact of its being
//! discontinued. Services record which functions they support; whether a
//! service supports a critical or important function follows from them.
//! An administrator keeps them, as the organisation's profile.

use super::store::{self, parse_date, parse_time, ts};
use super::types::Impact;
use super::validate::Check;
use crate::access::Permission;
use crate::error::{Error, Refusal, Result, ValidationCode};
use crate::ids::text_enum;
use crate::store::sql::{params_from_iter, Connection, OptionalExtension, Row, Scope};
use crate::store::Db;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::ToSql;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;
use ts_rs::TS;

text_enum! {
    /// Whether a function is critical or important (DORA art. 3(22)), as
    /// the organisation last assessed it.
    Criticality {
        Critical = "critical",
        NotCritical = "not_critical",
        #[default]
        NotAssessed = "not_assessed",
    }
}

/// Longest reason for a function's criticality, in characters (the
/// register of information's limit).
pub const MAX_REASON: usize = 300;

/// What an administrator records about a business function.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS, JsonSchema)]
#[serde(default)]
pub struct FunctionFields {
    pub name: String,
    /// The licensed activity the function serves, as the register of
    /// information codes it (`eba_TA:x…`, list LIST0601020); empty when
    /// none applies.
    pub licensed_activity: String,
    pub criticality: Criticality,
    /// Why it is (or is not) critical or important; required when it is.
    pub criticality_reason: String,
    /// When its criticality was last assessed.
    pub assessed_on: Option<NaiveDate>,
    /// Recovery time objective, in hours.
    pub rto_hours: Option<u32>,
    /// Recovery point objective, in hours.
    pub rpo_hours: Option<u32>,
    /// The impact of its being discontinued, as the organisation defines
    /// low, medium and high; none while not assessed.
    pub discontinuing_impact: Option<Impact>,
}

/// A business function of the organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, JsonSchema)]
pub struct BusinessFunction {
    /// `F` and a number: `F1`, `F2` …, given when the function is added
    /// and never changed.
    pub id: String,
    #[serde(flatten)]
    pub fields: FunctionFields,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A licensed activity of the register of information: its code and the
/// EBA's name for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct LicensedActivity {
    pub code: String,
    pub label: String,
}

/// Every licensed activity (LIST0601020), in the EBA's order.
pub fn licensed_activities() -> &'static [LicensedActivity] {
    static LIST: OnceLock<Vec<LicensedActivity>> = OnceLock::new();
    LIST.get_or_init(|| {
        dora_codes("LIST0601020")
            .into_iter()
            .map(|(code, label)| LicensedActivity { code, label })
            .collect()
    })
}

/// The codes and names of one list of the register of information's code
/// lists (`data/dora/codelists.csv`), by the list's name (`LIST0601020`).
pub fn dora_codes(list: &str) -> Vec<(String, String)> {
    code_lists().get(list).cloned().unwrap_or_default()
}

/// Every list of the register of information's code lists
/// (`data/dora/codelists.csv`), read once: by the list's name, each code
/// with its label, in the file's order.
pub fn code_lists() -> &'static std::collections::HashMap<String, Vec<(String, String)>> {
    static LISTS: OnceLock<std::collections::HashMap<String, Vec<(String, String)>>> =
        OnceLock::new();
    LISTS.get_or_init(|| {
        let mut reader =
            csv::Reader::from_reader(include_str!("../../data/dora/codelists.csv").as_bytes());
        let mut lists: std::collections::HashMap<String, Vec<(String, String)>> =
            std::collections::HashMap::new();
        for record in reader.records().filter_map(|r| r.ok()) {
            let name = record[0].split_whitespace().next().unwrap_or("").to_owned();
            lists
                .entry(name)
                .or_default()
                .push((record[1].to_owned(), record[2].to_owned()));
        }
        lists
    })
}

/// Whether `id` is written as a function's identifier: `F` and a number
/// from 1 without leading zeros.
pub fn is_function_id(id: &str) -> bool {
    id.strip_prefix('F').is_some_and(|n| {
        !n.is_empty()
            && n.len() <= 9
            && !n.starts_with('0')
            && n.chars().all(|c| c.is_ascii_digit())
    })
}

/// The function as it is kept: trimmed, every problem named by its field.
/// `today` bounds the date of the last assessment.
pub fn checked(mut fields: FunctionFields, today: NaiveDate) -> Result<FunctionFields> {
    let mut check = Check::default();
    check.required("name", &mut fields.name);
    fields.licensed_activity = fields.licensed_activity.trim().to_owned();
    if !fields.licensed_activity.is_empty()
        && !licensed_activities()
            .iter()
            .any(|a| a.code == fields.licensed_activity)
    {
        check.push(
            "licensed_activity",
            ValidationCode::UnknownValue,
            format!(
                "{} is not a licensed activity of the register of information (codes eba_TA:x…)",
                crate::text::shown(&fields.licensed_activity)
            ),
        );
    }
    check.text(
        "criticality_reason",
        &mut fields.criticality_reason,
        MAX_REASON,
    );
    if fields.criticality == Criticality::Critical && fields.criticality_reason.is_empty() {
        check.push(
            "criticality_reason",
            ValidationCode::Required,
            "is required for a critical or important function",
        );
    }
    check.recovery_objectives(fields.rto_hours, fields.rpo_hours);
    if fields.assessed_on.is_some_and(|on| on > today) {
        check.push(
            "assessed_on",
            ValidationCode::OutOfRange,
            "cannot be after today",
        );
    }
    check.finish()?;
    Ok(fields)
}

const COLUMNS: [&str; 8] = [
    "name",
    "licensed_activity",
    "criticality",
    "criticality_reason",
    "assessed_on",
    "rto_hours",
    "rpo_hours",
    "discontinuing_impact",
];

fn from_row(row: &Row<'_>) -> rusqlite::Result<BusinessFunction> {
    Ok(BusinessFunction {
        id: row.get("id")?,
        fields: FunctionFields {
            name: row.get("name")?,
            licensed_activity: row.get("licensed_activity")?,
            criticality: row.get("criticality")?,
            criticality_reason: row.get("criticality_reason")?,
            assessed_on: parse_date(row, "assessed_on")?,
            rto_hours: row.get("rto_hours")?,
            rpo_hours: row.get("rpo_hours")?,
            discontinuing_impact: row.get("discontinuing_impact")?,
        },
        created_at: parse_time(row, "created_at")?,
        updated_at: parse_time(row, "updated_at")?,
    })
}

/// Every business function, in the order of their numbers.
pub fn functions_in(conn: &Connection) -> Result<Vec<BusinessFunction>> {
    conn.prepare_cached("SELECT * FROM business_function ORDER BY length(id), id")?
        .query_map([], from_row)?
        .collect::<rusqlite::Result<_>>()
        .map_err(Into::into)
}

/// Every business function.
pub fn list_functions(db: &Db) -> Result<Vec<BusinessFunction>> {
    db.read(functions_in)
}

fn get(conn: &Connection, id: &str) -> Result<BusinessFunction> {
    conn.prepare_cached("SELECT * FROM business_function WHERE id = ?1")?
        .query_row([id], from_row)
        .optional()?
        .ok_or_else(|| Error::NotFound {
            entity: "business function",
            id: id.to_owned(),
        })
}

/// The identifier the next function gets: one past the highest ever
/// given (the trail remembers removed ones), so that an identifier a
/// filed register used never names another function.
fn next_id(conn: &Connection) -> Result<String> {
    let highest: i64 = conn.query_row(
        "SELECT coalesce(max(n), 0) FROM (
             SELECT CAST(substr(id, 2) AS INTEGER) AS n FROM business_function
             UNION ALL
             SELECT CAST(substr(entity_id, 2) AS INTEGER) FROM audit_log
             WHERE entity = 'business_function') AS given",
        [],
        |r| r.get(0),
    )?;
    Ok(format!("F{}", highest + 1))
}

/// Writes a function as it is (id and times included): for adding, and
/// for imports, whose caller has checked it and authorised the write.
pub(crate) fn insert_in(tx: &Connection, function: &BusinessFunction) -> Result<()> {
    static SQL: OnceLock<String> = OnceLock::new();
    let sql = store::statement(&SQL, || {
        store::insert_sql(
            "business_function",
            &["id", "created_at", "updated_at"],
            &COLUMNS,
        )
    });
    let (created, updated) = (ts(function.created_at), ts(function.updated_at));
    let fixed: [&dyn ToSql; 3] = [&function.id, &created, &updated];
    tx.prepare_cached(sql)?.execute(params_from_iter(
        fixed.into_iter().chain(values(&function.fields)),
    ))?;
    Ok(())
}

/// The values of [`COLUMNS`].
fn values(f: &FunctionFields) -> [&dyn ToSql; 8] {
    [
        &f.name,
        &f.licensed_activity,
        &f.criticality,
        &f.criticality_reason,
        &f.assessed_on,
        &f.rto_hours,
        &f.rpo_hours,
        &f.discontinuing_impact,
    ]
}

/// The administrator adds a business function; it gets the next
/// identifier. Recorded in the audit trail.
pub fn create_function(db: &Db, fields: FunctionFields) -> Result<BusinessFunction> {
    let fields = checked(fields, db.now().date_naive())?;
    let now = db.now();
    db.write(Permission::ManageOrganisation, |tx| {
        let function = BusinessFunction {
            id: next_id(tx)?,
            fields,
            created_at: now,
            updated_at: now,
        };
        insert_in(tx, &function)?;
        get(tx, &function.id)
    })
}

/// The administrator changes a business function, from a form opened on
/// `based_on`: when someone saved it since, nothing is written and the
/// refusal names who and when (DOMAIN §11).
pub fn update_function_based_on(
    db: &Db,
    id: &str,
    fields: FunctionFields,
    based_on: Option<FunctionFields>,
) -> Result<BusinessFunction> {
    let fields = checked(fields, db.now().date_naive())?;
    let now = db.now();
    db.write(Permission::ManageOrganisation, |tx| {
        let old = get(tx, id)?;
        if based_on.as_ref().is_some_and(|b| *b != old.fields) {
            return Err(super::stale(tx, "business_function", id, &old.fields.name)?);
        }
        static SQL: OnceLock<String> = OnceLock::new();
        let sql = store::statement(&SQL, || store::update_sql("business_function", &COLUMNS));
        let updated = ts(now);
        let fixed: [&dyn ToSql; 2] = [&id, &updated];
        tx.prepare_cached(sql)?
            .execute(params_from_iter(fixed.into_iter().chain(values(&fields))))?;
        get(tx, id)
    })
}

/// The administrator removes a business function that no service
/// supports any more; one still linked is refused, naming the services.
pub fn remove_function(db: &Db, id: &str) -> Result<Vec<BusinessFunction>> {
    db.write(Permission::ManageOrganisation, |tx| {
        let function = get(tx, id)?;
        let linked: Vec<String> = tx
            .prepare(
                "SELECT p.legal_name, s.name FROM service_function l
                 JOIN service s ON s.id = l.service_id
                 JOIN supplier p ON p.id = s.supplier_id
                 WHERE l.function_id = ?1 ORDER BY p.sort_key, s.name",
            )?
            .query_map([id], |r| {
                Ok(format!(
                    "{} ({})",
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(0)?
                ))
            })?
            .collect::<rusqlite::Result<_>>()?;
        if !linked.is_empty() {
            return Err(Refusal::new("refusal.function_supported")
                .with("name", &function.fields.name)
                .with("services", linked.join(", "))
                .into());
        }
        tx.execute("DELETE FROM business_function WHERE id = ?1", [id])?;
        functions_in(tx)
    })
}

/// The name of the function that services marked, before functions were
/// records, as supporting a critical or important function are linked to
/// (by the upgrade of a database, and by the import of an earlier
/// version's register file).
pub const LEGACY_NAME: &str = "Critical or important function";

/// The function such services are linked to: the critical one of
/// [`LEGACY_NAME`] when the database has it, else a new one (not yet
/// written) with the next identifier.
pub fn legacy_function(conn: &Connection, now: DateTime<Utc>) -> Result<BusinessFunction> {
    let found = functions_in(conn)?
        .into_iter()
        .find(|f| f.fields.name == LEGACY_NAME && f.fields.criticality == Criticality::Critical);
    match found {
        Some(function) => Ok(function),
        None => Ok(BusinessFunction {
            id: next_id(conn)?,
            fields: FunctionFields {
                name: LEGACY_NAME.into(),
                criticality: Criticality::Critical,
                criticality_reason: "Created when functions became records: the services linked to it were marked as supporting a critical or important function.".into(),
                ..FunctionFields::default()
            },
            created_at: now,
            updated_at: now,
        }),
    }
}

/// Refuses, naming `field`, the functions in `ids` that are not recorded.
pub(crate) fn check_known(conn: &Connection, field: &str, ids: &[String]) -> Result<()> {
    let mut check = Check::default();
    let mut exists = conn.prepare_cached("SELECT count(*) FROM business_function WHERE id = ?1")?;
    for id in ids {
        let n: i64 = exists.query_row([id], |r| r.get(0))?;
        if n == 0 {
            check.push(
                field,
                ValidationCode::UnknownValue,
                format!(
                    "business function {} is not recorded",
                    crate::text::shown(id)
                ),
            );
        }
    }
    check.finish()
}

/// Links a service to exactly the functions in `ids` (checked to exist).
pub(super) fn link_service(
    tx: &Connection,
    service: super::ServiceId,
    ids: &[String],
) -> Result<()> {
    check_known(tx, "functions", ids)?;
    let service = service.0.to_string();
    tx.prepare_cached("DELETE FROM service_function WHERE service_id = ?1")?
        .execute([&service])?;
    let mut insert = tx
        .prepare_cached("INSERT INTO service_function (service_id, function_id) VALUES (?1, ?2)")?;
    for id in ids {
        insert.execute([service.as_str(), id.as_str()])?;
    }
    Ok(())
}

/// The functions each service of `scope` (by the services' ids) supports,
/// by number, and whether any of them is critical or important, by service
/// (one query).
pub(super) fn of_services(
    conn: &Connection,
    scope: &Scope,
) -> Result<std::collections::HashMap<uuid::Uuid, (Vec<String>, bool)>> {
    let mut found: std::collections::HashMap<uuid::Uuid, (Vec<String>, bool)> =
        std::collections::HashMap::new();
    let mut statement = conn.prepare_cached(&format!(
        "SELECT l.service_id, l.function_id, f.criticality FROM service_function l
         JOIN business_function f ON f.id = l.function_id
         {} ORDER BY l.service_id, length(l.function_id), l.function_id",
        scope.filter("l.service_id")
    ))?;
    let rows = statement.query_map(params_from_iter(scope.params()), |r| {
        Ok((
            store::parse_uuid(r, "service_id")?,
            r.get::<_, String>("function_id")?,
            r.get::<_, Criticality>("criticality")?,
        ))
    })?;
    for row in rows {
        let (service, id, criticality) = row?;
        let (ids, critical) = found.entry(service).or_default();
        *critical |= criticality == Criticality::Critical;
        ids.push(id);
    }
    Ok(found)
}
