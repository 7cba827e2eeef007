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
use crate::store::signing::{self, Kind};
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
    // The assessor as a user of this database: the one person of that name,
    // else whoever imports it, who then counts as its maker (four eyes).
    let named: Vec<String> = tx
        .prepare_cached("SELECT id FROM app_user WHERE display_name = ?1 LIMIT 2")?
        .query_map([assessment.assessor.trim()], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let assessor_id = match named.as_slice() {
        [one] => Some(one.clone()),
        _ => tx.user("import assessments").ok().map(|u| u.id.to_string()),
    };
    tx.execute(
        "INSERT INTO assessment (id, supplier_id, rule_set_version, assessed_on, assessor, step1_input, step1_result,
             resolution, created_at, updated_at, submitted_at, assessor_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9, ?10, ?11)",
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
            assessor_id,
        ],
    )?;
    for event in &assessment.events {
        record_event(tx, assessment.id, event)?;
    }
    for (i, r) in assessment.reevaluations.iter().enumerate() {
        if r.from_version >= r.to_version || r.to_version > assessment.rule_set_version {
            return Err(Error::invalid(
                format!("reevaluations[{i}]"),
                ValidationCode::OutOfRange,
                "a re-evaluation goes from an older rule set version to a newer one, at most the assessment's own",
            ));
        }
        tx.execute(
            "INSERT INTO reevaluation (assessment_id, from_version, to_version, requested_by, at) VALUES (?1, ?2, ?3, ?4, ?5)",
            rusqlite::params![assessment.id.to_string(), r.from_version, r.to_version, r.requested_by, r.at],
        )?;
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
    adopt_signed(tx, assessment)
}

/// The decisions, resolution, withdrawals and reopenings of an imported
/// assessment, each kept only with a signature that verifies against a key
/// the database knows (DOMAIN §9); every one that does not is named.
fn adopt_signed(tx: &Tx<'_>, assessment: &Assessment) -> Result<()> {
    let mut errors = Vec::new();
    let adopt = |errors: &mut Vec<FieldError>,
                 field: String,
                 kind: Kind,
                 id: String,
                 signature|
     -> Result<()> {
        if let Err(reason) = signing::adopt_signature(tx, kind, &id, signature)? {
            errors.push(FieldError::new(field, ValidationCode::Format, reason));
        }
        Ok(())
    };
    if assessment.resolution.is_some() {
        adopt(
            &mut errors,
            "resolution_signature".into(),
            Kind::Resolution,
            assessment.id.to_string(),
            assessment.resolution_signature.as_ref(),
        )?;
    }
    for (i, event) in assessment.events.iter().enumerate() {
        adopt(
            &mut errors,
            format!("events[{i}].signature"),
            Kind::Event,
            event.id.to_string(),
            event.signature.as_ref(),
        )?;
    }
    for (k, d) in assessment.decisions.iter().enumerate() {
        let known: bool = tx.query_row(
            "SELECT count(*) > 0 FROM app_user WHERE id = ?1",
            [d.decided_by.to_string()],
            |r| r.get(0),
        )?;
        if !known {
            errors.push(FieldError::new(
                format!("decisions[{k}].decided_by"),
                ValidationCode::UnknownValue,
                format!(
                    "{} is not a user of this database, and the file lists no key of theirs that an administrator imported",
                    d.decider_name
                ),
            ));
            continue;
        }
        tx.execute(
            "INSERT INTO approval (id, assessment_id, decided_by, decider_name, capacity, decision, conditions,
                 fingerprint, decided_at, voided_at, void_reason)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            rusqlite::params![
                d.id.to_string(),
                assessment.id.to_string(),
                d.decided_by.to_string(),
                d.decider_name,
                d.capacity,
                d.decision,
                super::decisions::signed_text(&d.conditions),
                d.fingerprint,
                d.decided_at,
                d.voided_at,
                d.void_reason
            ],
        )?;
        adopt(
            &mut errors,
            format!("decisions[{k}].signature"),
            Kind::Approval,
            d.id.to_string(),
            d.signature.as_ref(),
        )?;
        for (i, c) in d.conditions.iter().enumerate() {
            let Some(closed) = &c.closed else { continue };
            let field = |name: &str| format!("decisions[{k}].conditions[{i}].closed.{name}");
            let known: bool = tx.query_row(
                "SELECT count(*) > 0 FROM app_user WHERE id = ?1",
                [closed.closed_by.to_string()],
                |r| r.get(0),
            )?;
            if !known {
                errors.push(FieldError::new(
                    field("closed_by"),
                    ValidationCode::UnknownValue,
                    format!("{} is not a user of this database", closed.closed_by_name),
                ));
                continue;
            }
            let mut check = crate::supplier::validate::Check::default();
            let mut note = closed.note.clone();
            check.required(&field("note"), &mut note);
            let mut name = closed.closed_by_name.clone();
            check.required(&field("closed_by_name"), &mut name);
            if chrono::DateTime::parse_from_rfc3339(&closed.closed_at).is_err() {
                check.push(
                    &field("closed_at"),
                    ValidationCode::Format,
                    "is not a UTC time as RFC 3339 writes it",
                );
            }
            if let Err(Error::Invalid(found)) = check.finish() {
                errors.extend(found);
                continue;
            }
            tx.execute(
                "INSERT INTO condition_closure (id, approval_id, position, closed_by, closed_by_name, closed_at, note)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                rusqlite::params![
                    closed.id.to_string(),
                    d.id.to_string(),
                    i64::try_from(i).unwrap_or(i64::MAX),
                    closed.closed_by.to_string(),
                    name,
                    closed.closed_at,
                    note
                ],
            )?;
            adopt(
                &mut errors,
                field("signature"),
                Kind::Closure,
                closed.id.to_string(),
                closed.signature.as_ref(),
            )?;
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Error::Invalid(errors))
    }
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
