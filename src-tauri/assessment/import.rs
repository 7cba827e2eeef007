//! An assessment from a register file, written as it was decided, each
//! problem named by its path in the file.

use super::step1::{self};
use super::store::{certification_of, store_service};
use super::workflow::{
    check_evidence_links, check_service, record_event, service_result, Assessment,
    AssessmentEventKind,
};
use crate::error::{Error, FieldError, Result, ValidationCode};
use crate::rules::{self};
use crate::store::{to_json, Tx};
use crate::supplier::{self};

/// Stores an assessment from a register file: its inputs as they are, its
/// results recomputed under its own rule set version (a file's results are
/// never taken on trust). Runs inside the caller's transaction. Every
/// problem is reported at once, each field named by its path inside the
/// assessment as the register file writes it (`services[0].input.risks[1].residual.likelihood`).
pub fn import(tx: &Tx<'_>, assessment: &Assessment, now: &str) -> Result<()> {
    let mut errors: Vec<FieldError> = Vec::new();
    let mut collect = |prefix: &str, result: Result<()>| -> Result<()> {
        match result {
            Ok(()) => Ok(()),
            Err(Error::Invalid(found)) => {
                errors.extend(found.into_iter().map(|e| FieldError {
                    field: file_path(prefix, &e.field),
                    ..e
                }));
                Ok(())
            }
            Err(other) => Err(other),
        }
    };
    let exists: u32 = tx.query_row(
        "SELECT count(*) FROM assessment WHERE id = ?1",
        [assessment.id.to_string()],
        |r| r.get(0),
    )?;
    if exists > 0 {
        collect(
            "",
            Err(Error::invalid(
                "id",
                ValidationCode::Duplicate,
                format!("an assessment with id {} is already stored", assessment.id),
            )),
        )?;
    }
    let rules = match rules::get(tx, assessment.rule_set_version) {
        Ok(rules) => rules,
        Err(Error::NotFound { .. }) => {
            return Err(Error::invalid(
                "rule_set_version",
                ValidationCode::UnknownValue,
                format!(
                    "rule set version {} is neither in the file's rule_sets nor in the database",
                    assessment.rule_set_version
                ),
            ))
        }
        Err(other) => return Err(other),
    };
    rules::ensure_stored(tx, now)?;
    let detail = supplier::detail_in(tx, assessment.supplier_id)?;
    let mut step1_result = None;
    if let Some(input) = &assessment.step1 {
        collect("step1", check_evidence_links(input, &detail))?;
        let evaluated = step1::evaluate_draft(
            &rules,
            input,
            detail.supplier.fields.tier,
            &certification_of(&rules, input, &detail, assessment.assessed_on),
        )
        .map(|result| step1_result = result);
        collect("step1", evaluated)?;
    }
    for (i, event) in assessment.events.iter().enumerate() {
        if event.kind == AssessmentEventKind::Reopened
            && (event.reason.trim().is_empty() || event.voided_decision.is_none())
        {
            collect(
                "",
                Err(Error::invalid(
                    format!("events[{i}]"),
                    ValidationCode::Required,
                    "a reopening needs its reason and the decision it voided",
                )),
            )?;
        }
    }
    let mut services = Vec::new();
    for (k, service_assessment) in assessment.services.iter().enumerate() {
        match detail
            .services
            .iter()
            .find(|s| s.id == service_assessment.service_id)
        {
            None => collect(
                "",
                Err(Error::invalid(
                    format!("services[{k}].service_id"),
                    ValidationCode::UnknownValue,
                    format!(
                        "service {} is not a service of this supplier",
                        service_assessment.service_id.0
                    ),
                )),
            )?,
            Some(service) => {
                collect(
                    &format!("services[{k}].input"),
                    check_service(&rules, &service_assessment.input),
                )?;
                services.push((service, service_assessment));
            }
        }
    }
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    tx.execute(
        "INSERT INTO assessment (id, supplier_id, rule_set_version, assessed_on, assessor, step1_input, step1_result,
             resolution, created_at, updated_at, submitted_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9, ?10)",
        rusqlite::params![
            assessment.id.to_string(),
            assessment.supplier_id.to_string(),
            assessment.rule_set_version,
            assessment.assessed_on,
            assessment.assessor,
            assessment.step1.as_ref().map(to_json).transpose()?,
            step1_result.as_ref().map(to_json).transpose()?,
            assessment.resolution.as_ref().map(to_json).transpose()?,
            now,
            assessment.submitted_at,
        ],
    )?;
    for event in &assessment.events {
        record_event(tx, assessment.id, event)?;
    }
    for (service, service_assessment) in services {
        let result = service_result(&rules, service, &detail, &service_assessment.input);
        store_service(
            tx,
            assessment.id,
            service.id,
            &service_assessment.input,
            &result,
            now,
        )?;
    }
    Ok(())
}

/// A field of the window's forms as the register file writes it, under
/// `prefix`: a risk's `residual_likelihood` is `residual.likelihood` there.
pub(super) fn file_path(prefix: &str, field: &str) -> String {
    let mut path = field.to_owned();
    for rating in ["inherent", "residual"] {
        for axis in ["likelihood", "impact"] {
            path = path.replace(&format!("{rating}_{axis}"), &format!("{rating}.{axis}"));
        }
    }
    if prefix.is_empty() {
        path
    } else {
        format!("{prefix}.{path}")
    }
}
