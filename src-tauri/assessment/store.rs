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
use crate::error::{Error, Result};
use crate::rules::{RiskBand, RuleSet};
use crate::store::signing;
use crate::store::sql::{Connection, OptionalExtension};
use crate::store::{from_json, to_json, Tx};
use crate::supplier::{ServiceId, SupplierDetail, SupplierId};
use chrono::NaiveDate;
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
    let ids: Vec<String> = conn
        .prepare_cached(
            "SELECT id FROM assessment WHERE supplier_id = ?1 ORDER BY created_at DESC, id",
        )?
        .query_map([supplier_id.to_string()], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    ids.iter()
        .map(|id| {
            load(
                conn,
                AssessmentId(Uuid::parse_str(id).map_err(|e| Error::Internal(e.to_string()))?),
            )
        })
        .collect()
}

pub(crate) fn load(conn: &Connection, id: AssessmentId) -> Result<Assessment> {
    let row = conn
        .query_row(
            "SELECT supplier_id, rule_set_version, assessed_on, assessor, step1_input, step1_result, resolution,
                    assessor_id, submitted_at
             FROM assessment WHERE id = ?1",
            [id.to_string()],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, u32>(1)?,
                    r.get::<_, NaiveDate>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, Option<String>>(4)?,
                    r.get::<_, Option<String>>(5)?,
                    r.get::<_, Option<String>>(6)?,
                    r.get::<_, Option<String>>(7)?,
                    r.get::<_, Option<String>>(8)?,
                ))
            },
        )
        .optional()?
        .ok_or_else(|| Error::NotFound {
            entity: "assessment",
            id: id.to_string(),
        })?;
    let (
        supplier_id,
        rule_set_version,
        assessed_on,
        assessor,
        step1,
        step1_result,
        resolution,
        assessor_id,
        submitted_at,
    ) = row;
    let mut services = Vec::new();
    let mut statement = conn.prepare_cached(
        "SELECT service_id, input, result FROM service_assessment WHERE assessment_id = ?1 ORDER BY service_id",
    )?;
    let rows = statement.query_map([id.to_string()], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
        ))
    })?;
    for row in rows {
        let (service_id, input, result) = row?;
        services.push(ServiceAssessment {
            service_id: service_id
                .parse()
                .map_err(|e: uuid::Error| Error::Internal(e.to_string()))?,
            input: from_json(&input)?,
            result: from_json(&result)?,
        });
    }
    Ok(Assessment {
        id,
        supplier_id: supplier_id
            .parse()
            .map_err(|e: uuid::Error| Error::Internal(e.to_string()))?,
        rule_set_version,
        assessed_on,
        assessor,
        step1: step1.as_deref().map(from_json).transpose()?,
        step1_result: step1_result.as_deref().map(from_json).transpose()?,
        resolution: resolution.as_deref().map(from_json).transpose()?,
        resolution_signature: signing::signature_of(
            conn,
            signing::Kind::Resolution,
            &id.to_string(),
        )?,
        services,
        assessor_id: assessor_id
            .as_deref()
            .map(|t| {
                t.parse()
                    .map_err(|e: uuid::Error| Error::Internal(e.to_string()))
            })
            .transpose()?,
        submitted_at,
        decisions: decisions::of_assessment(conn, id)?,
        events: events_of(conn, id)?,
        reevaluations: conn
            .prepare_cached(
                "SELECT from_version, to_version, requested_by, at FROM reevaluation
                 WHERE assessment_id = ?1 ORDER BY at, rowid",
            )?
            .query_map([id.to_string()], |r| {
                Ok(super::types::Reevaluation {
                    from_version: r.get(0)?,
                    to_version: r.get(1)?,
                    requested_by: r.get(2)?,
                    at: r.get(3)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?,
    })
}

/// The withdrawals and reopenings of an assessment, oldest first.
pub(super) fn events_of(conn: &Connection, id: AssessmentId) -> Result<Vec<AssessmentEvent>> {
    // A database still at a schema before these events (being filled for
    // an upgrade) has none.
    let Ok(mut statement) = conn.prepare_cached(
        "SELECT id, kind, reason, actor, at, voided_decision FROM assessment_event
         WHERE assessment_id = ?1 ORDER BY at, rowid",
    ) else {
        return Ok(Vec::new());
    };
    let rows: Vec<(
        String,
        AssessmentEventKind,
        String,
        String,
        String,
        Option<String>,
    )> = statement
        .query_map([id.to_string()], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let parse = |s: &str| Uuid::parse_str(s).map_err(|e| Error::Internal(e.to_string()));
    rows.into_iter()
        .map(|(event, kind, reason, actor, at, voided)| {
            Ok(AssessmentEvent {
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
                signature: signing::signature_of(conn, signing::Kind::Event, &event)?,
            })
        })
        .collect()
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
