//! Follow-up (DOMAIN §8): when the next review is due, the events that
//! require a reassessment at once (each with its reason), SLA records per
//! service and period, and the checks Tillit runs by itself whenever the
//! database is opened (evidence no longer valid, reviews due, contracts at
//! their end or renewal date, adequacy decisions that changed).

pub mod overview;

pub use crate::supplier::follow_up::{next_review, FollowUpId, FollowUpKind};
pub(crate) use crate::supplier::follow_up::{raise, Raised};

pub use overview::{
    conditions_due, heat_cell, overdue_reviews, overview, Attention, HeatCell, Overview,
    OverviewItem, OverviewService,
};

use crate::access::Permission;
use crate::error::{Error, FieldError, Result, ValidationCode};
use crate::jurisdiction::{adequacy_decisions, AdequacyDecision};
use crate::store::sql::{params_from_iter, Connection, OptionalExtension, Scope};
use crate::store::{to_json, Db};
use crate::supplier::{self, ServiceId, SupplierId};
use crate::words::{self, Said};
use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

crate::ids::id_type! {
    /// The id of an SLA record.
    SlaRecordId;
}

/// An event that required (or would require) a reassessment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, JsonSchema)]
pub struct FollowUpEvent {
    pub id: FollowUpId,
    pub service_id: Option<ServiceId>,
    pub kind: FollowUpKind,
    /// Why, in English as recorded.
    pub reason: String,
    /// Why, in every language (a detected event's reason, from the
    /// catalogue); none on an event recorded before reasons were.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub reason_said: Option<Said>,
    pub occurred_on: NaiveDate,
    pub recorded_by: String,
    pub recorded_at: String,
    /// What a detected event is about (an evidence item, a contract, a
    /// review date), so it is detected once; empty for a recorded deviation.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    #[ts(skip)]
    pub subject: String,
}

/// A deviation (or contract renewal) as the officer records it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct DeviationInput {
    pub service_id: Option<ServiceId>,
    pub kind: FollowUpKind,
    pub description: String,
    pub occurred_on: Option<NaiveDate>,
}

/// SLA fulfilment of one service over one period, as entered.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS, JsonSchema)]
#[serde(default)]
pub struct SlaInput {
    pub period_start: Option<NaiveDate>,
    pub period_end: Option<NaiveDate>,
    /// What is measured, e.g. "availability %".
    pub metric: String,
    pub target: f64,
    pub measured: f64,
    /// Higher is better (availability); lower is better (response time).
    pub higher_is_better: bool,
    pub note: String,
}

/// An SLA record with its computed fulfilment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, JsonSchema)]
pub struct SlaRecord {
    pub id: SlaRecordId,
    pub service_id: ServiceId,
    pub input: SlaInput,
    pub met: bool,
    pub recorded_by: String,
    pub recorded_at: String,
}

/// A supplier's follow-up: when the next review is due, why a reassessment
/// is required, what happened, and the SLA records of its services.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, JsonSchema)]
pub struct FollowUp {
    pub next_review_on: Option<NaiveDate>,
    pub reassessment_reason: Option<String>,
    /// The reason in every language, where it was recorded so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub reassessment_said: Option<Said>,
    pub events: Vec<FollowUpEvent>,
    pub sla_records: Vec<SlaRecord>,
}

/// Records a deviation (incident, SLA breach, adverse audit finding,
/// financial distress, sanctions listing) or a contract renewal.
pub fn record_deviation(
    db: &Db,
    supplier_id: SupplierId,
    input: DeviationInput,
) -> Result<FollowUp> {
    let description = input.description.trim().to_owned();
    let mut errors = Vec::new();
    if !FollowUpKind::RECORDED.contains(&input.kind) {
        errors.push(FieldError::new(
            "kind",
            ValidationCode::UnknownValue,
            "Tillit detects this kind of change by itself; record a deviation or a contract renewal",
        ));
    }
    if description.is_empty() {
        errors.push(FieldError::new(
            "description",
            ValidationCode::Required,
            "describe what happened",
        ));
    }
    let today = db.now().date_naive();
    let occurred_on = input.occurred_on.unwrap_or(today);
    if occurred_on > today {
        errors.push(FieldError::new(
            "occurred_on",
            ValidationCode::OutOfRange,
            "the date is in the future",
        ));
    }
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    let id = db.new_id();
    db.write(Permission::FollowUp, |tx| {
        supplier_in_register(tx, supplier_id, input.service_id)?;
        raise(
            tx,
            Raised {
                supplier_id,
                service_id: input.service_id,
                kind: input.kind,
                reason: &Said::typed(&description),
                occurred_on,
                subject: "",
            },
            id,
        )?;
        follow_up_in(tx, supplier_id)
    })
}

fn supplier_in_register(
    conn: &Connection,
    supplier_id: SupplierId,
    service: Option<ServiceId>,
) -> Result<()> {
    let detail = supplier::detail_in(conn, supplier_id)?;
    if let Some(service) = service {
        if !detail.services.iter().any(|s| s.id == service) {
            return Err(Error::invalid(
                "service_id",
                ValidationCode::UnknownValue,
                "the service is not one of this supplier's",
            ));
        }
    }
    Ok(())
}

/// Records SLA fulfilment of a service for a period; a breach is recorded as
/// a deviation at the same time.
pub fn record_sla(db: &Db, service_id: ServiceId, mut input: SlaInput) -> Result<FollowUp> {
    let met = check_sla(&mut input, db.now().date_naive())?;
    let (record_id, event_id) = (db.new_id(), db.new_id());
    db.write(Permission::FollowUp, |tx| {
        let service = supplier::store_service(tx, service_id)?;
        insert_sla(
            tx,
            record_id,
            service_id,
            &input,
            met,
            tx.actor(),
            &tx.now_text(),
        )?;
        if !met {
            let (start, end) = (
                input.period_start.unwrap_or_default(),
                input.period_end.unwrap_or_default(),
            );
            let reason = Said::new(|l| {
                words::t(
                    l,
                    "reason.sla_breach",
                    &[
                        ("service", service.fields.name.clone()),
                        ("metric", input.metric.clone()),
                        (
                            "bound",
                            words::t(
                                l,
                                if input.higher_is_better {
                                    "reason.at_least"
                                } else {
                                    "reason.at_most"
                                },
                                &[],
                            ),
                        ),
                        ("measured", words::decimal(l, input.measured)),
                        ("target", words::decimal(l, input.target)),
                        ("start", start.to_string()),
                        ("end", end.to_string()),
                    ],
                )
            });
            raise(
                tx,
                Raised {
                    supplier_id: service.supplier_id,
                    service_id: Some(service_id),
                    kind: FollowUpKind::SlaBreach,
                    reason: &reason,
                    occurred_on: end,
                    subject: &record_id.to_string(),
                },
                event_id,
            )?;
        }
        follow_up_in(tx, service.supplier_id)
    })
}

#[allow(clippy::too_many_arguments)]
fn insert_sla(
    tx: &Connection,
    id: impl std::fmt::Display,
    service_id: ServiceId,
    input: &SlaInput,
    met: bool,
    by: &str,
    at: &str,
) -> Result<()> {
    tx.execute(
        "INSERT INTO sla_record (id, service_id, period_start, period_end, metric, target, measured, higher_is_better,
             met, note, recorded_by, recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        rusqlite::params![
            id.to_string(),
            service_id.to_string(),
            input.period_start,
            input.period_end,
            input.metric,
            input.target,
            input.measured,
            input.higher_is_better,
            met,
            input.note,
            by,
            at
        ],
    )?;
    Ok(())
}

/// Checks an SLA record as entered (trimmed), on `today`; returns whether
/// the target was met.
fn check_sla(input: &mut SlaInput, today: NaiveDate) -> Result<bool> {
    input.metric = input.metric.trim().to_owned();
    input.note = input.note.trim().to_owned();
    let mut errors = Vec::new();
    if input.metric.is_empty() {
        errors.push(FieldError::new(
            "metric",
            ValidationCode::Required,
            "name what is measured",
        ));
    }
    for (field, value) in [("target", input.target), ("measured", input.measured)] {
        if !value.is_finite() || value < 0.0 {
            errors.push(FieldError::new(
                field,
                ValidationCode::OutOfRange,
                "give a number of 0 or more",
            ));
        }
    }
    match (input.period_start, input.period_end) {
        (Some(start), Some(end)) if end < start => errors.push(FieldError::new(
            "period_end",
            ValidationCode::DateOrder,
            "the period ends before it starts",
        )),
        (Some(_), Some(end)) if end > today => errors.push(FieldError::new(
            "period_end",
            ValidationCode::OutOfRange,
            "record a period that has ended",
        )),
        (None, _) => errors.push(FieldError::new(
            "period_start",
            ValidationCode::Required,
            "the period's first day",
        )),
        (_, None) => errors.push(FieldError::new(
            "period_end",
            ValidationCode::Required,
            "the period's last day",
        )),
        _ => {}
    }
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    Ok(if input.higher_is_better {
        input.measured >= input.target
    } else {
        input.measured <= input.target
    })
}

/// Stores the follow-up of a supplier from a register file (events and SLA
/// records with their ids, who and when), each checked as the window checks
/// it and named by its path in the file; the review date and the reason for
/// a reassessment are derived by the import. Runs inside its transaction.
pub fn import_follow_up(
    tx: &crate::store::Tx<'_>,
    supplier_id: SupplierId,
    follow_up: &FollowUp,
) -> Result<()> {
    let mut errors = Vec::new();
    let services: Vec<String> = tx
        .prepare_cached("SELECT id FROM service WHERE supplier_id = ?1")?
        .query_map([supplier_id.to_string()], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let ours = |id: Option<ServiceId>| id.is_none_or(|id| services.contains(&id.to_string()));
    for (i, event) in follow_up.events.iter().enumerate() {
        if event.reason.trim().is_empty() {
            errors.push(FieldError::new(
                format!("events[{i}].reason"),
                ValidationCode::Required,
                "an event needs its reason",
            ));
        } else if !ours(event.service_id) {
            errors.push(FieldError::new(
                format!("events[{i}].service_id"),
                ValidationCode::UnknownValue,
                "is not a service of this supplier",
            ));
        } else {
            tx.execute(
                "INSERT INTO follow_up_event (id, supplier_id, service_id, kind, reason, reason_said, occurred_on, subject, recorded_by, recorded_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                rusqlite::params![
                    event.id.to_string(),
                    supplier_id.to_string(),
                    event.service_id.map(|s| s.to_string()),
                    event.kind,
                    event.reason,
                    event.reason_said.as_ref().map(Said::stored),
                    event.occurred_on,
                    event.subject,
                    event.recorded_by,
                    event.recorded_at
                ],
            )?;
        }
    }
    for (i, record) in follow_up.sla_records.iter().enumerate() {
        let mut input = record.input.clone();
        match check_sla(&mut input, tx.now().date_naive()) {
            Err(Error::Invalid(found)) => errors.extend(found.into_iter().map(|e| FieldError {
                field: format!("sla_records[{i}].input.{}", e.field),
                ..e
            })),
            Err(other) => return Err(other),
            Ok(_) if !ours(Some(record.service_id)) => errors.push(FieldError::new(
                format!("sla_records[{i}].service_id"),
                ValidationCode::UnknownValue,
                "is not a service of this supplier",
            )),
            Ok(met) if met != record.met => errors.push(FieldError::new(
                format!("sla_records[{i}].met"),
                ValidationCode::Format,
                "does not follow from the target and the measurement",
            )),
            Ok(met) => insert_sla(
                tx,
                record.id,
                record.service_id,
                &input,
                met,
                &record.recorded_by,
                &record.recorded_at,
            )?,
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Error::Invalid(errors))
    }
}

/// The follow-up of a supplier.
pub fn follow_up(db: &Db, supplier_id: SupplierId) -> Result<FollowUp> {
    db.read(|conn| follow_up_in(conn, supplier_id))
}

fn parse_id(text: &str) -> Result<Uuid> {
    Uuid::parse_str(text).map_err(|e| Error::Internal(e.to_string()))
}

pub(crate) fn follow_up_in(conn: &Connection, supplier_id: SupplierId) -> Result<FollowUp> {
    follow_ups_in(conn, &Scope::One(supplier_id.to_string()))?
        .remove(&supplier_id)
        .ok_or_else(|| Error::NotFound {
            entity: "supplier",
            id: supplier_id.to_string(),
        })
}

/// The follow-up of every supplier of `scope`, by supplier: one query for
/// the suppliers, one for the events, one for the SLA records.
pub(crate) fn follow_ups_in(
    conn: &Connection,
    scope: &Scope,
) -> Result<std::collections::HashMap<SupplierId, FollowUp>> {
    let parse_supplier = |text: &str| parse_id(text).map(SupplierId);
    let heads: Vec<(String, Option<NaiveDate>, _, Option<Said>)> = conn
        .prepare_cached(&format!(
            "SELECT id, next_review_on, reassessment_reason, {} FROM supplier s {}",
            supplier::follow_up::REASSESSMENT_SAID_SQL,
            scope.filter("s.id")
        ))?
        .query_map(params_from_iter(scope.params()), |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                Said::from_stored(r.get::<_, Option<String>>(3)?.as_deref()),
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut found = std::collections::HashMap::with_capacity(heads.len());
    for (id, next_review_on, reassessment_reason, reassessment_said) in heads {
        found.insert(
            parse_supplier(&id)?,
            FollowUp {
                next_review_on,
                reassessment_reason,
                reassessment_said,
                events: Vec::new(),
                sla_records: Vec::new(),
            },
        );
    }
    let events: Vec<_> = conn
        .prepare_cached(&format!(
            "SELECT id, service_id, kind, reason, occurred_on, recorded_by, recorded_at, subject, reason_said, supplier_id
             FROM follow_up_event {}
             ORDER BY supplier_id, occurred_on DESC, recorded_at DESC, rowid DESC",
            scope.filter("supplier_id")
        ))?
        .query_map(params_from_iter(scope.params()), |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, Option<String>>(1)?,
                r.get::<_, FollowUpKind>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, NaiveDate>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, String>(6)?,
                r.get::<_, String>(7)?,
                Said::from_stored(r.get::<_, Option<String>>(8)?.as_deref()),
                r.get::<_, String>(9)?,
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    for (id, service, kind, reason, occurred_on, recorded_by, recorded_at, subject, said, owner) in
        events
    {
        let event = FollowUpEvent {
            id: FollowUpId(parse_id(&id)?),
            service_id: service.as_deref().map(parse_id).transpose()?.map(ServiceId),
            kind,
            reason,
            reason_said: said,
            occurred_on,
            recorded_by,
            recorded_at,
            subject,
        };
        if let Some(follow_up) = found.get_mut(&parse_supplier(&owner)?) {
            follow_up.events.push(event);
        }
    }
    let records: Vec<_> = conn
        .prepare_cached(&format!(
            "SELECT r.id, r.service_id, r.period_start, r.period_end, r.metric, r.target, r.measured,
                    r.higher_is_better, r.note, r.met, r.recorded_by, r.recorded_at, s.supplier_id
             FROM sla_record r JOIN service s ON s.id = r.service_id
             {} ORDER BY s.supplier_id, r.period_start DESC, r.id",
            scope.filter("s.supplier_id")
        ))?
        .query_map(params_from_iter(scope.params()), |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                SlaInput {
                    period_start: r.get(2)?,
                    period_end: r.get(3)?,
                    metric: r.get(4)?,
                    target: r.get(5)?,
                    measured: r.get(6)?,
                    higher_is_better: r.get(7)?,
                    note: r.get(8)?,
                },
                r.get::<_, bool>(9)?,
                r.get::<_, String>(10)?,
                r.get::<_, String>(11)?,
                r.get::<_, String>(12)?,
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    for (id, service, input, met, recorded_by, recorded_at, owner) in records {
        let record = SlaRecord {
            id: SlaRecordId(parse_id(&id)?),
            service_id: ServiceId(parse_id(&service)?),
            input,
            met,
            recorded_by,
            recorded_at,
        };
        if let Some(follow_up) = found.get_mut(&parse_supplier(&owner)?) {
            follow_up.sla_records.push(record);
        }
    }
    Ok(found)
}

/// The statuses whose suppliers the time-based events concern: approved
/// ones (and those already due for reassessment, whose events still count).
use crate::supplier::follow_up::UNDER_REVIEW_SQL;

/// Evidence that step 1 of an approved supplier's decided assessment relied
/// on (linked to the certification criterion) and that is no longer valid
/// on `today` by the rule of DOMAIN §3 (for an assurance report, 12 months
/// after its period), each raised once. Returns the events raised.
pub fn check_evidence(db: &Db, today: NaiveDate) -> Result<usize> {
    // Only items no longer current by the rule (the supplier's one rule,
    // as SQL) that the latest
    // assessment links to a criterion are looked at closely; an item
    // valid-until today or later is current under either reading, so the
    // index on valid_until narrows the search first.
    let candidates: Vec<(String, String)> = db.read(|conn| {
        let current_until = supplier::current_until_sql(conn, "e.kind", "e.valid_until")?;
        Ok(conn
            .prepare(&format!(
                "SELECT s.id, e.id FROM supplier s JOIN evidence e ON e.supplier_id = s.id
                 JOIN assessment a ON a.rowid = (SELECT b.rowid FROM assessment b WHERE b.supplier_id = s.id
                                                 ORDER BY b.created_at DESC, b.rowid DESC LIMIT 1)
                 WHERE {UNDER_REVIEW_SQL} AND e.valid_until < ?1
                   AND {current_until} < ?1
                   AND EXISTS (SELECT 1 FROM json_each(a.step1_input, '$.evidence') AS c, json_each(c.value) AS l
                               WHERE l.value = e.id)
                   AND NOT EXISTS (SELECT 1 FROM follow_up_event f
                                   WHERE f.kind = 'evidence_expired' AND f.subject = e.id AND f.supplier_id = s.id)
                 ORDER BY s.id, e.id"
            ))?
            .query_map([today], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?)
    })?;
    if candidates.is_empty() {
        return Ok(0);
    }
    let mut expired: Vec<(SupplierId, String, Said)> = Vec::new();
    db.read(|conn| {
        let mut suppliers: Vec<&str> = candidates.iter().map(|(s, _)| s.as_str()).collect();
        suppliers.dedup();
        for supplier_id in suppliers {
            let supplier_id = SupplierId(parse_id(supplier_id)?);
            let Some(latest) = crate::assessment::workflow::of_supplier_in(conn, supplier_id)?
                .into_iter()
                .next()
            else {
                continue;
            };
            if latest
                .standing_decision()
                .is_none_or(|d| d.decision == crate::approval::Decision::Reject)
            {
                continue;
            }
            let rules = crate::rules::get(conn, latest.rule_set_version)?;
            let linked = latest
                .step1
                .as_ref()
                .and_then(|i| i.evidence.get(&rules.step1.certification))
                .cloned()
                .unwrap_or_default();
            let detail = supplier::detail_in(conn, supplier_id)?;
            for item in detail.evidence.iter().filter(|e| linked.contains(&e.id)) {
                let candidate = candidates
                    .iter()
                    .any(|(s, e)| *s == supplier_id.to_string() && *e == item.id.to_string());
                if candidate && !item.is_valid_on(today) {
                    let until = item
                        .current_until
                        .map_or_else(String::new, |d| d.to_string());
                    let reason = Said::new(|l| {
                        let kind = words::name_of(l, "evidenceKind", &item.fields.kind);
                        let label = if item.fields.title.is_empty() || item.fields.title == kind {
                            kind
                        } else {
                            format!("{} ({kind})", item.fields.title)
                        };
                        words::t(
                            l,
                            "reason.evidence_expired",
                            &[("label", label), ("date", until.clone())],
                        )
                    });
                    expired.push((supplier_id, item.id.to_string(), reason));
                }
            }
        }
        Ok(())
    })?;
    raise_detected(db, today, FollowUpKind::EvidenceExpired, &expired)
}

/// Records detected events `(supplier, subject, reason)` of `kind`, each in
/// the same transaction. Returns how many.
fn raise_detected(
    db: &Db,
    today: NaiveDate,
    kind: FollowUpKind,
    events: &[(SupplierId, String, Said)],
) -> Result<usize> {
    if events.is_empty() {
        return Ok(0);
    }
    let ids: Vec<Uuid> = events.iter().map(|_| db.new_id()).collect();
    db.with_tx(|tx| {
        for ((supplier_id, subject, reason), id) in events.iter().zip(&ids) {
            raise(
                tx,
                Raised {
                    supplier_id: *supplier_id,
                    service_id: None,
                    kind,
                    reason,
                    occurred_on: today,
                    subject,
                },
                *id,
            )?;
        }
        Ok(())
    })?;
    Ok(events.len())
}

/// Approved suppliers whose next review has fallen due by `today`, each
/// due date raised once. Returns the events raised.
pub fn check_reviews(db: &Db, today: NaiveDate) -> Result<usize> {
    let due: Vec<(String, NaiveDate)> = db.read(|conn| {
        Ok(conn
            .prepare(&format!(
                "SELECT s.id, s.next_review_on FROM supplier s
                 WHERE {UNDER_REVIEW_SQL} AND s.next_review_on <= ?1
                   AND NOT EXISTS (SELECT 1 FROM follow_up_event f WHERE f.kind = 'review_due'
                                   AND f.subject = s.next_review_on AND f.supplier_id = s.id)
                 ORDER BY s.id"
            ))?
            .query_map([today], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?)
    })?;
    let events = due
        .into_iter()
        .map(|(supplier, on)| {
            Ok((
                SupplierId(parse_id(&supplier)?),
                on.to_string(),
                Said::key("reason.review_due", &[("date", on.to_string())]),
            ))
        })
        .collect::<Result<Vec<_>>>()?;
    raise_detected(db, today, FollowUpKind::ReviewDue, &events)
}

/// Services of approved suppliers whose contract end or renewal date has
/// been reached by `today`, each date raised once. Returns the events raised.
pub fn check_contracts(db: &Db, today: NaiveDate) -> Result<usize> {
    let mut raised = 0;
    for (kind, column, key) in [
        (
            FollowUpKind::ContractEnd,
            "contract_end",
            "reason.contract_end",
        ),
        (
            FollowUpKind::ContractRenewal,
            "renewal_date",
            "reason.contract_renewal",
        ),
    ] {
        let reached: Vec<(String, String, String, NaiveDate)> = db.read(|conn| {
            Ok(conn
                .prepare(&format!(
                    "SELECT s.id, v.id, v.name, v.{column} FROM supplier s JOIN service v ON v.supplier_id = s.id
                     WHERE {UNDER_REVIEW_SQL} AND v.{column} <= ?1
                       AND NOT EXISTS (SELECT 1 FROM follow_up_event f WHERE f.kind = ?2
                                       AND f.subject = v.id || '@' || v.{column} AND f.supplier_id = s.id)
                     ORDER BY s.id, v.id"
                ))?
                .query_map(rusqlite::params![today, kind], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
                })?
                .collect::<rusqlite::Result<_>>()?)
        })?;
        let events = reached
            .into_iter()
            .map(|(supplier, service, name, date)| {
                Ok((
                    SupplierId(parse_id(&supplier)?),
                    format!("{service}@{date}"),
                    Said::key(key, &[("service", name), ("date", date.to_string())]),
                ))
            })
            .collect::<Result<Vec<_>>>()?;
        raised += raise_detected(db, today, kind, &events)?;
    }
    Ok(raised)
}

/// Compares the adequacy decisions in force with those Tillit saw last
/// time; for every country whose decision changed, approved suppliers with a
/// service storing or accessing data there require a reassessment. The first
/// run only remembers the list. Returns the events raised.
pub fn check_adequacy(db: &Db, current: &[AdequacyDecision]) -> Result<usize> {
    let seen: Option<Vec<AdequacyDecision>> = db.read(|conn| {
        conn.query_row(
            "SELECT value FROM app_setting WHERE key = 'adequacy_seen'",
            [],
            |r| r.get::<_, String>(0),
        )
        .optional()?
        .map(|text| crate::store::from_json(&text))
        .transpose()
    })?;
    let mut changed: Vec<String> = Vec::new();
    if let Some(seen) = &seen {
        for decision in current {
            if seen.iter().find(|s| s.country == decision.country) != Some(decision) {
                changed.push(decision.country.as_str().to_owned());
            }
        }
        for old in seen {
            if !current.iter().any(|d| d.country == old.country) {
                changed.push(old.country.as_str().to_owned());
            }
        }
    }
    if seen.as_deref() == Some(current) {
        return Ok(0);
    }
    let affected: Vec<(String, String, Said)> = db.read(|conn| {
        let mut out = Vec::new();
        for country in &changed {
            let rows: Vec<(String, String, String)> = conn
                .prepare_cached(
                    "SELECT DISTINCT s.id, v.id, v.name FROM supplier s JOIN service v ON v.supplier_id = s.id
                     JOIN service_country c ON c.service_id = v.id
                     WHERE c.country = ?1 AND s.status IN ('approved', 'approved_with_conditions')",
                )?
                .query_map([country], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect::<rusqlite::Result<_>>()?;
            out.extend(rows.into_iter().map(|(s, v, name)| {
                let said = Said::key(
                    "reason.adequacy_changed",
                    &[("country", country.clone()), ("name", name)],
                );
                (s, v, said)
            }));
        }
        Ok(out)
    })?;
    let ids: Vec<Uuid> = affected.iter().map(|_| db.new_id()).collect();
    let today = db.now().date_naive();
    db.with_tx(|tx| {
        for ((supplier_id, service_id, reason), id) in affected.iter().zip(&ids) {
            raise(
                tx,
                Raised {
                    supplier_id: SupplierId(parse_id(supplier_id)?),
                    service_id: Some(ServiceId(parse_id(service_id)?)),
                    kind: FollowUpKind::AdequacyChange,
                    reason,
                    occurred_on: today,
                    subject: "",
                },
                *id,
            )?;
        }
        tx.execute(
            "INSERT INTO app_setting (key, value) VALUES ('adequacy_seen', ?1)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [to_json(&current)?],
        )?;
        Ok(())
    })?;
    Ok(affected.len())
}

/// The checks Tillit runs by itself whenever a database is opened (by the
/// window, the command line or a server), daily while the window is open,
/// and before every report (DOMAIN §8): evidence no longer valid, reviews
/// fallen due, contracts at their end or renewal date, and changed adequacy
/// decisions. Deterministic with the database's clock; each event is
/// recorded once. Returns the events raised.
pub fn run_checks(db: &Db) -> Result<usize> {
    let today = db.now().date_naive();
    Ok(check_evidence(db, today)?
        + check_reviews(db, today)?
        + check_contracts(db, today)?
        + check_adequacy(db, adequacy_decisions())?)
}
