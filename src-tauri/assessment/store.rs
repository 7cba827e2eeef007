//! The assessment's SQL: reading an assessment with its services, events
//! and decisions, and writing what the workflow decided.

use super::certification::{self, Certification};
use super::decisions::{self};
use super::risk::{self};
use super::step1::Step1Input;
use super::workflow::{
    Assessment, AssessmentEvent, AssessmentEventKind, AssessmentId, ServiceAssessment,
    ServiceInput, ServiceResult,
};
use crate::access::UserId;
use crate::error::{Error, Result};
use crate::rules::{RiskBand, RuleSet};
use crate::store::signing;
use crate::store::sql::{params_from_iter, Connection, Scope};
use crate::store::{from_json, to_json, Tx};
use crate::supplier::{ServiceId, SupplierDetail, SupplierId};
use chrono::NaiveDate;
use std::collections::HashMap;
use uuid::Uuid;

/// Carries what the officer wrote in step 1 of `previous` over to the new
/// assessment `id`: the notes, the evidence links (to items still in the
/// register) and the compensating controls. Never a rating, and no step 2:
/// a new assessment starts unrated (DOMAIN §3).
pub(super) fn copy_inputs(
    tx: &Connection,
    id: AssessmentId,
    previous: &Assessment,
    detail: &SupplierDetail,
) -> Result<()> {
    if let Some(input) = &previous.step1 {
        // Ratings start unrated (DOMAIN §3): the notes, the evidence links
        // and the compensating controls are carried over, never a rating.
        let mut input = Step1Input {
            ratings: Default::default(),
            ..input.clone()
        };
        // Evidence links to evidence that no longer exists are dropped.
        for links in input.evidence.values_mut() {
            links.retain(|e| detail.evidence.iter().any(|x| x.id == *e));
        }
        tx.execute(
            "UPDATE assessment SET step1_input = ?2 WHERE id = ?1",
            rusqlite::params![id.to_string(), to_json(&input)?],
        )?;
    }
    Ok(())
}

/// [`of_supplier`] inside the caller's transaction.
pub(crate) fn of_supplier_in(
    conn: &Connection,
    supplier_id: SupplierId,
) -> Result<Vec<Assessment>> {
    load_in(conn, &Scope::One(supplier_id.to_string()), "a.supplier_id")
}

/// Every assessment of the suppliers of `scope` (every supplier's for
/// [`Scope::All`]), by supplier, each supplier's newest first: a query per
/// table.
pub(crate) fn all_in(conn: &Connection, scope: &Scope) -> Result<Vec<Assessment>> {
    load_in(conn, scope, "a.supplier_id")
}

pub(crate) fn load(conn: &Connection, id: AssessmentId) -> Result<Assessment> {
    load_in(conn, &Scope::One(id.to_string()), "a.id")?
        .pop()
        .ok_or_else(|| Error::NotFound {
            entity: "assessment",
            id: id.to_string(),
        })
}

/// The assessments of `scope` (a column of the assessment `a`: its id or
/// its supplier's) with their services, decisions, events and
/// re-evaluations, by supplier, newest first: one query per table.
fn load_in(conn: &Connection, scope: &Scope, column: &str) -> Result<Vec<Assessment>> {
    let filter = scope.filter(column);
    let parse = |s: &str| Uuid::parse_str(s).map_err(|e| Error::Internal(e.to_string()));
    type Head = (
        String,
        String,
        u32,
        NaiveDate,
        String,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
    );
    let heads: Vec<Head> = conn
        .prepare_cached(&format!(
            "SELECT a.id, a.supplier_id, a.rule_set_version, a.assessed_on, a.assessor, a.step1_input,
                    a.step1_result, a.resolution, a.assessor_id, a.submitted_at
             FROM assessment a {filter} ORDER BY a.supplier_id, a.created_at DESC, a.id"
        ))?
        .query_map(params_from_iter(scope.params()), |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
                r.get(8)?,
                r.get(9)?,
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    if heads.is_empty() {
        return Ok(Vec::new());
    }
    // What belongs to the assessments read, by their ids.
    let of_heads = scope.within(heads.iter().map(|h| h.0.clone()));
    let mut services: HashMap<String, Vec<ServiceAssessment>> = HashMap::new();
    {
        let mut statement = conn.prepare_cached(&format!(
            "SELECT sa.assessment_id, sa.service_id, sa.input, sa.result
             FROM service_assessment sa {}
             ORDER BY sa.assessment_id, sa.service_id",
            of_heads.filter("sa.assessment_id")
        ))?;
        let mut rows = statement.query(params_from_iter(of_heads.params()))?;
        while let Some(row) = rows.next()? {
            let assessment: String = row.get(0)?;
            let service = ServiceAssessment {
                service_id: ServiceId(parse(row.get_ref(1)?.as_str()?)?),
                input: from_json(row.get_ref(2)?.as_str()?)?,
                result: from_json(row.get_ref(3)?.as_str()?)?,
            };
            services.entry(assessment).or_default().push(service);
        }
    }
    let ids: Vec<&str> = heads.iter().map(|h| h.0.as_str()).collect();
    let mut resolutions = signing::signatures_of(conn, signing::Kind::Resolution, &ids)?;
    let mut decisions = decisions::of_assessments(conn, &of_heads)?;
    let mut events = events_in(conn, &of_heads)?;
    let mut reevaluations: HashMap<String, Vec<super::types::Reevaluation>> = HashMap::new();
    let rows = conn
        .prepare_cached(&format!(
            "SELECT r.from_version, r.to_version, r.requested_by, r.at, r.assessment_id
             FROM reevaluation r {}
             ORDER BY r.assessment_id, r.at, r.rowid",
            of_heads.filter("r.assessment_id")
        ))?
        .query_map(params_from_iter(of_heads.params()), |r| {
            Ok((
                r.get::<_, String>(4)?,
                super::types::Reevaluation {
                    from_version: r.get(0)?,
                    to_version: r.get(1)?,
                    requested_by: r.get(2)?,
                    at: r.get(3)?,
                },
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for (assessment, reevaluation) in rows {
        reevaluations
            .entry(assessment)
            .or_default()
            .push(reevaluation);
    }
    heads
        .into_iter()
        .map(
            |(
                id,
                supplier_id,
                rule_set_version,
                assessed_on,
                assessor,
                step1,
                step1_result,
                resolution,
                assessor_id,
                submitted_at,
            )| {
                Ok(Assessment {
                    id: AssessmentId(parse(&id)?),
                    supplier_id: SupplierId(parse(&supplier_id)?),
                    rule_set_version,
                    assessed_on,
                    assessor,
                    step1: step1.as_deref().map(from_json).transpose()?,
                    step1_result: step1_result.as_deref().map(from_json).transpose()?,
                    resolution: resolution.as_deref().map(from_json).transpose()?,
                    resolution_signature: resolutions.remove(&id),
                    services: services.remove(&id).unwrap_or_default(),
                    assessor_id: assessor_id.as_deref().map(parse).transpose()?.map(UserId),
                    submitted_at,
                    decisions: decisions.remove(&id).unwrap_or_default(),
                    events: events.remove(&id).unwrap_or_default(),
                    reevaluations: reevaluations.remove(&id).unwrap_or_default(),
                })
            },
        )
        .collect()
}

/// The withdrawals and reopenings of each assessment of `scope` (by the
/// assessments' ids), oldest first, by assessment id.
fn events_in(conn: &Connection, scope: &Scope) -> Result<HashMap<String, Vec<AssessmentEvent>>> {
    // A database still at a schema before these events (being filled for
    // an upgrade) has none.
    let Ok(mut statement) = conn.prepare_cached(&format!(
        "SELECT e.id, e.kind, e.reason, e.actor, e.at, e.voided_decision, e.assessment_id
         FROM assessment_event e {}
         ORDER BY e.assessment_id, e.at, e.rowid",
        scope.filter("e.assessment_id")
    )) else {
        return Ok(HashMap::new());
    };
    type Row = (
        String,
        AssessmentEventKind,
        String,
        String,
        String,
        Option<String>,
        String,
    );
    let rows: Vec<Row> = statement
        .query_map(params_from_iter(scope.params()), |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let ids: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
    let mut signatures = signing::signatures_of(conn, signing::Kind::Event, &ids)?;
    let parse = |s: &str| Uuid::parse_str(s).map_err(|e| Error::Internal(e.to_string()));
    let mut found: HashMap<String, Vec<AssessmentEvent>> = HashMap::new();
    for (event, kind, reason, actor, at, voided, assessment) in rows {
        let signature = signatures.remove(&event);
        found.entry(assessment).or_default().push(AssessmentEvent {
            id: parse(&event)?,
            kind,
            reason,
            actor,
            at,
            voided_decision: voided
                .as_deref()
                .map(parse)
                .transpose()?
                .map(super::decisions::ApprovalId),
            signature,
        });
    }
    Ok(found)
}

/// Records a withdrawal or a reopening. Runs inside the caller's transaction.
pub(crate) fn record_event(tx: &Tx<'_>, id: AssessmentId, event: &AssessmentEvent) -> Result<()> {
    tx.execute(
        "INSERT INTO assessment_event (id, assessment_id, kind, reason, actor, at, voided_decision)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        rusqlite::params![
            event.id.to_string(),
            id.to_string(),
            event.kind,
            event.reason,
            event.actor,
            event.at,
            event.voided_decision.map(|d| d.to_string()),
        ],
    )?;
    Ok(())
}

/// The judgement of the evidence `input` links to the certification
/// criterion of `rules`, on `date` (DOMAIN §3).
pub(super) fn certification_of(
    rules: &RuleSet,
    input: &Step1Input,
    detail: &SupplierDetail,
    date: NaiveDate,
) -> Certification {
    let linked = input
        .evidence
        .get(&rules.step1.certification)
        .map_or(&[][..], Vec::as_slice);
    certification::judge(&detail.evidence, linked, date)
}

/// Computes the result of step 2 for a service.
/// Stores (inserts or replaces) one service's assessment: its input and
/// result as JSON and, beside them, its level and its highest residual
/// rating, which the overview reads from an index.
pub(super) fn store_service(
    tx: &Connection,
    id: AssessmentId,
    service_id: ServiceId,
    input: &ServiceInput,
    result: &ServiceResult,
    now: &str,
) -> Result<()> {
    let highest = risk::highest(input.risks.iter().map(|r| r.residual));
    tx.prepare_cached(
        "INSERT INTO service_assessment (assessment_id, service_id, input, result, updated_at,
             risk_level, residual_likelihood, residual_impact)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT (assessment_id, service_id) DO UPDATE SET input = excluded.input, result = excluded.result,
             updated_at = excluded.updated_at, risk_level = excluded.risk_level,
             residual_likelihood = excluded.residual_likelihood, residual_impact = excluded.residual_impact",
    )?
    .execute(rusqlite::params![
        id.to_string(),
        service_id.0.to_string(),
        to_json(input)?,
        to_json(result)?,
        now,
        result.level.map(RiskBand::as_str),
        highest.map(|r| r.likelihood),
        highest.map(|r| r.impact),
    ])?;
    Ok(())
}
