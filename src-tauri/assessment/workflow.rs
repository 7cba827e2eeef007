//! The assessment as a record: started for a supplier under the rule set in
//! force, step 1, an escalation resolved by someone else, step 2 for each
//! service, the summary, and re-evaluation under a newer rule set on request.
//! Inputs and the results computed from them are stored together.

use super::requirements::mandatory;
use super::risk;
use super::step1::{self, Step1Input, Step1Outcome};
use super::store::{certification_of, copy_inputs, store_service};
use crate::access::Permission;
use crate::error::Refusal;
use crate::error::{Error, FieldError, Lock, Result, ValidationCode};
use crate::rules::ListedDimension;
use crate::rules::{self, RiskBand, RuleSet, Verdict};
use crate::store::sql::{Connection, OptionalExtension};
use crate::store::{to_json, Db};
use crate::supplier::{self, Service, ServiceId, SupplierDetail, SupplierId, SupplierStatus};
use crate::transfer::{self, TransferInput};
use chrono::NaiveDate;
use uuid::Uuid;

pub use super::import::import;
pub(crate) use super::store::{all_in, load, of_supplier_in, record_event};
pub use super::summary::summary;
pub(crate) use super::summary::summary_in;
pub use super::types::*;

/// Sets the status of `supplier_id` from its latest assessment (see
/// [`Assessment::supplier_status`]): `draft` without one; an offboarded
/// supplier stays offboarded, and one that requires a reassessment keeps
/// that status while its standing approval is what the events came after.
/// Every workflow step ends here. Runs inside the caller's transaction.
pub(crate) fn refresh_status(
    tx: &Connection,
    supplier_id: SupplierId,
    now: &str,
) -> Result<SupplierStatus> {
    let current: SupplierStatus = tx.query_row(
        "SELECT status FROM supplier WHERE id = ?1",
        [supplier_id.to_string()],
        |r| r.get(0),
    )?;
    let latest: Option<String> = tx
        .query_row(
            "SELECT id FROM assessment WHERE supplier_id = ?1 ORDER BY created_at DESC, rowid DESC LIMIT 1",
            [supplier_id.to_string()],
            |r| r.get(0),
        )
        .optional()?;
    let latest = latest
        .map(|id| {
            load(
                tx,
                AssessmentId(Uuid::parse_str(&id).map_err(|e| Error::Internal(e.to_string()))?),
            )
        })
        .transpose()?;
    let status = derive_status(current, latest.as_ref());
    if status != current {
        supplier::set_workflow_status(tx, supplier_id, status, now)?;
    }
    Ok(status)
}

/// The status of a supplier whose status is `current` and whose latest
/// assessment is `latest` (DOMAIN §1): `draft` without an assessment, else
/// what the assessment gives ([`Assessment::supplier_status`]); offboarded
/// stays offboarded, and a required reassessment stays while the approval
/// the events came after stands.
pub fn derive_status(current: SupplierStatus, latest: Option<&Assessment>) -> SupplierStatus {
    if current == SupplierStatus::Offboarded {
        return current;
    }
    let derived = latest.map_or(SupplierStatus::Draft, Assessment::supplier_status);
    if current == SupplierStatus::ReassessmentRequired
        && matches!(
            derived,
            SupplierStatus::Approved | SupplierStatus::ApprovedWithConditions
        )
    {
        current
    } else {
        derived
    }
}

/// Refuses a change that `lock` forbids.
pub(super) fn unlocked(lock: Option<Lock>) -> Result<()> {
    lock.map_or(Ok(()), |lock| Err(Error::Locked(lock)))
}

/// Starts an assessment of a supplier under the rule set in force, by the
/// signed-in officer; the supplier goes to `in_assessment`. A reassessment
/// starts from a copy of the previous assessment's inputs, with the results
/// recomputed under the rules in force.
pub fn start(db: &Db, supplier_id: SupplierId, assessed_on: NaiveDate) -> Result<Assessment> {
    let today = db.now().date_naive();
    let earliest = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or(NaiveDate::MIN);
    if assessed_on > today || assessed_on < earliest {
        return Err(Error::invalid(
            "assessed_on",
            ValidationCode::OutOfRange,
            format!("{assessed_on} is not a possible assessment date: between 2000-01-01 and today ({today})"),
        ));
    }
    let id = AssessmentId(db.new_id());
    db.write(Permission::Assess, |tx| {
        let user = tx.user("assess")?;
        let now = tx.now_text();
        let detail = supplier::detail_in(tx, supplier_id)?;
        if detail.supplier.status == SupplierStatus::Offboarded {
            return Err(Refusal::new("refusal.offboarded_not_assessed").into());
        }
        let previous: Option<String> = tx
            .query_row(
                "SELECT id FROM assessment WHERE supplier_id = ?1 ORDER BY created_at DESC, rowid DESC LIMIT 1",
                [supplier_id.to_string()],
                |r| r.get(0),
            )
            .optional()?;
        let version = rules::ensure_stored(tx, &now)?;
        tx.execute(
            "INSERT INTO assessment (id, supplier_id, rule_set_version, assessed_on, assessor, assessor_id, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
            rusqlite::params![id.to_string(), supplier_id.to_string(), version, assessed_on, user.display_name, user.id.to_string(), now],
        )?;
        if let Some(previous) = previous {
            let previous = load(tx, AssessmentId(Uuid::parse_str(&previous).map_err(|e| Error::Internal(e.to_string()))?))?;
            copy_inputs(tx, id, &previous, &detail)?;
        }
        refresh_status(tx, supplier_id, &now)?;
        crate::supplier::follow_up::set_follow_up(tx, supplier_id, None, None)?;
        load(tx, id)
    })
}

/// An assessment as the window shows it: each condition of its decisions
/// marked overdue or not on the core's today ([`Condition::overdue`], the
/// rule's one home).
///
/// [`Condition::overdue`]: super::decisions::Condition::overdue
pub fn shown(db: &Db, assessment: Result<Assessment>) -> Result<Assessment> {
    let today = db.now().date_naive();
    assessment.map(|mut a| {
        for decision in &mut a.decisions {
            for condition in decision.conditions.iter_mut() {
                condition.overdue_today = super::decisions::Worked(condition.overdue(today));
            }
        }
        a
    })
}

/// Assessments as the window shows them ([`shown`]).
pub fn all_shown(db: &Db, assessments: Result<Vec<Assessment>>) -> Result<Vec<Assessment>> {
    assessments?.into_iter().map(|a| shown(db, Ok(a))).collect()
}

/// Reads an assessment.
pub fn get(db: &Db, id: AssessmentId) -> Result<Assessment> {
    db.read(|conn| load(conn, id))
}

/// The assessments of a supplier, newest first.
pub fn of_supplier(db: &Db, supplier_id: SupplierId) -> Result<Vec<Assessment>> {
    db.read(|conn| of_supplier_in(conn, supplier_id))
}

/// The bands of the risk matrix under rule set `version`
/// ([`risk::grid`]): what the heat map of an assessment made under it shows.
pub fn risk_grid(db: &Db, version: u32) -> Result<Vec<Vec<RiskBand>>> {
    db.read(|conn| Ok(risk::grid(&rules::get(conn, version)?.bands)))
}

/// For each supplier, the day of its latest assessment that was decided
/// (a standing decision, approval or rejection): when the organisation last
/// examined the provider itself.
pub fn last_decided_on(db: &Db) -> Result<std::collections::HashMap<SupplierId, NaiveDate>> {
    db.read(|conn| {
        let mut statement = conn.prepare(
            "SELECT a.supplier_id, max(a.assessed_on) FROM assessment a
             WHERE EXISTS (SELECT 1 FROM approval d WHERE d.assessment_id = a.id AND d.voided_at IS NULL)
             GROUP BY a.supplier_id",
        )?;
        let rows = statement.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, NaiveDate>(1)?)))?;
        let mut found = std::collections::HashMap::new();
        for row in rows {
            let (supplier, on) = row?;
            if let Ok(id) = supplier.parse::<SupplierId>() {
                found.insert(id, on);
            }
        }
        Ok(found)
    })
}

/// A supplier's assessments as its list shows them, newest first.
pub fn history(db: &Db, supplier_id: SupplierId) -> Result<Vec<AssessmentEntry>> {
    Ok(of_supplier(db, supplier_id)?
        .iter()
        .map(AssessmentEntry::from)
        .collect())
}

/// Records step 1, partly rated as a draft or complete with its computed
/// outcome; a stop rejects the supplier. Refused once step 1 is locked
/// (escalated, stopped, resolved, submitted or decided).
pub fn save_step1(db: &Db, id: AssessmentId, input: Step1Input) -> Result<Assessment> {
    save_step1_based_on(db, id, input, None)
}

/// [`save_step1`] of a form opened on `based_on` (step 1 as it was then):
/// refused, naming who saved since and when, when it is no longer what the
/// form opened (DOMAIN §11); nothing is written then.
pub fn save_step1_based_on(
    db: &Db,
    id: AssessmentId,
    input: Step1Input,
    based_on: Option<Step1Input>,
) -> Result<Assessment> {
    db.write(Permission::Assess, |tx| {
        let now = tx.now_text();
        let assessment = load(tx, id)?;
        unlocked(assessment.step1_lock())?;
        let rules = rules::get(tx, assessment.rule_set_version)?;
        let detail = supplier::detail_in(tx, assessment.supplier_id)?;
        if based_on.is_some_and(|based_on| Some(based_on) != assessment.step1) {
            return Err(supplier::stale(
                tx,
                "assessment",
                &id.to_string(),
                &detail.supplier.fields.legal_name,
            )?);
        }
        check_evidence_links(&input, &detail)?;
        let certification = certification_of(&rules, &input, &detail, assessment.assessed_on);
        let result = step1::evaluate_draft(&rules, &input, detail.supplier.fields.tier, &certification)?;
        tx.execute(
            "UPDATE assessment SET step1_input = ?2, step1_result = ?3, updated_at = ?4 WHERE id = ?1",
            rusqlite::params![id.to_string(), to_json(&input)?, result.as_ref().map(to_json).transpose()?, now],
        )?;
        refresh_status(tx, assessment.supplier_id, &now)?;
        load(tx, id)
    })
}

/// Refuses links to evidence that is not the supplier's.
pub(super) fn check_evidence_links(input: &Step1Input, detail: &SupplierDetail) -> Result<()> {
    let errors: Vec<FieldError> = input
        .evidence
        .iter()
        .flat_map(|(key, links)| links.iter().map(move |link| (key, link)))
        .filter(|(_, link)| !detail.evidence.iter().any(|e| e.id == **link))
        .map(|(key, link)| {
            FieldError::new(
                format!("evidence.{key}"),
                ValidationCode::UnknownValue,
                format!("{link} is not an evidence item of this supplier"),
            )
        })
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Error::Invalid(errors))
    }
}

/// Resolves an escalated step 1 to approved or stop: by the signed-in
/// management user, who must not be the assessor and must say why.
pub fn resolve_escalation(
    db: &Db,
    id: AssessmentId,
    decision: Step1Outcome,
    justification: &str,
) -> Result<Assessment> {
    let justification = justification.trim();
    let mut errors = Vec::new();
    if justification.is_empty() {
        errors.push(FieldError::new(
            "justification",
            ValidationCode::Required,
            "a resolution needs a justification",
        ));
    }
    if decision == Step1Outcome::Escalate {
        errors.push(FieldError::new(
            "decision",
            ValidationCode::UnknownValue,
            "an escalation is resolved to approved or stop",
        ));
    }
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    db.write(Permission::ResolveEscalation, |tx| {
        let resolver = tx.user("resolve escalations")?;
        let now = tx.now_text();
        let assessment = load(tx, id)?;
        if assessment.step1_result.as_ref().map(|r| r.outcome) != Some(Step1Outcome::Escalate)
            || assessment.resolution.is_some()
        {
            return Err(Refusal::new("refusal.not_escalated").into());
        }
        if assessment.made_by(resolver) {
            return Err(Refusal::new("refusal.resolver_is_assessor")
                .with("name", &resolver.display_name)
                .into());
        }
        let resolution = Resolution {
            resolver: resolver.display_name.clone(),
            decision,
            justification: justification.to_owned(),
            at: now.clone(),
        };
        tx.execute(
            "UPDATE assessment SET resolution = ?2, updated_at = ?3 WHERE id = ?1",
            rusqlite::params![id.to_string(), to_json(&resolution)?, now],
        )?;
        tx.sign(crate::store::signing::Kind::Resolution, &id.to_string())?;
        refresh_status(tx, assessment.supplier_id, &now)?;
        load(tx, id)
    })
}

/// The longest risk owner (a name, or a name and a role).
pub const MAX_RISK_OWNER: usize = 200;

/// Checks step 2 of a service: every required dimension covered, each risk's
/// ratings, treatment and controls, and the requirement marks.
pub(super) fn check_service(rules: &RuleSet, input: &ServiceInput) -> Result<()> {
    let mut errors = Vec::new();
    for dimension in ListedDimension::REQUIRED {
        if !input.risks.iter().any(|r| r.dimension == dimension) {
            errors.push(FieldError::new(
                "risks",
                ValidationCode::Required,
                format!(
                    "at least one risk in the dimension {} is required",
                    dimension.key()
                ),
            ));
        }
    }
    for (i, r) in input.risks.iter().enumerate() {
        let prefix = format!("risks[{i}]");
        if r.description.trim().is_empty() {
            errors.push(FieldError::new(
                format!("{prefix}.description"),
                ValidationCode::Required,
                "describe the risk",
            ));
        }
        if r.dimension.is_unnamed() {
            errors.push(FieldError::new(
                format!("{prefix}.dimension"),
                ValidationCode::Required,
                "name the dimension",
            ));
        }
        if r.owner.chars().count() > MAX_RISK_OWNER {
            errors.push(FieldError::new(
                format!("{prefix}.owner"),
                ValidationCode::TooLong,
                format!("the risk owner is at most {MAX_RISK_OWNER} characters"),
            ));
        }
        match risk::check(&prefix, r.inherent, r.residual) {
            Err(error) => errors.extend(error.field_errors().iter().cloned()),
            Ok(()) if r.treatment == Treatment::Accept && r.residual != r.inherent => {
                errors.push(FieldError::new(
                    format!("{prefix}.residual_likelihood"),
                    ValidationCode::OutOfRange,
                    format!(
                        "an accepted risk is taken as it is: its residual rating must equal the inherent {}×{}",
                        r.inherent.likelihood, r.inherent.impact
                    ),
                ))
            }
            Ok(()) => {}
        }
    }
    for (i, mark) in input.requirements.iter().enumerate() {
        if !rules.requirements.iter().any(|d| d.key == mark.key) {
            errors.push(FieldError::new(
                format!("requirements[{i}].key"),
                ValidationCode::UnknownValue,
                format!("{:?} is not in the catalogue", mark.key),
            ));
        }
        let needs_reason = matches!(
            mark.status,
            RequirementStatus::NotApplicable | RequirementStatus::DeviationAccepted
        );
        if needs_reason && mark.justification.trim().is_empty() {
            errors.push(FieldError::new(
                format!("requirements[{i}].justification"),
                ValidationCode::Required,
                if mark.status == RequirementStatus::NotApplicable {
                    "not applicable needs a justification"
                } else {
                    "an accepted deviation needs a justification"
                },
            ));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Error::Invalid(errors))
    }
}

pub(super) fn service_result(
    rules: &RuleSet,
    service: &Service,
    detail: &SupplierDetail,
    input: &ServiceInput,
) -> ServiceResult {
    let level = risk::service_level(&rules.bands, input.risks.iter().map(|r| r.residual));
    let mandatory_keys: Vec<String> = level
        .map(|level| {
            mandatory(rules, level, service.fields.personal_data)
                .iter()
                .map(|r| r.key.clone())
                .collect()
        })
        .unwrap_or_default();
    let locations =
        supplier::DataLocations::of(&service.fields, service.id, &detail.subcontractors);
    let transfer = transfer::evaluate(
        rules,
        &TransferInput {
            classification: service.fields.data_classification,
            personal_data: service.fields.personal_data,
            countries: &locations.countries,
            via: &locations.via,
            dpf_certified: detail.supplier.fields.dpf_certified,
            exposed: detail.exposure.exposed,
        },
    );
    let mut blocking = Vec::new();
    match transfer.verdict {
        Verdict::Forbidden => blocking.push(BlockingItem::TransferForbidden),
        Verdict::Safeguards
            if !(input.standard_contractual_clauses && input.transfer_impact_assessment) =>
        {
            blocking.push(BlockingItem::SafeguardsMissing)
        }
        _ => {}
    }
    for key in &mandatory_keys {
        match input
            .requirements
            .iter()
            .find(|m| &m.key == key)
            .map(|m| m.status)
        {
            Some(RequirementStatus::Missing) => {
                blocking.push(BlockingItem::RequirementMissing { key: key.clone() })
            }
            None => blocking.push(BlockingItem::RequirementUnmarked { key: key.clone() }),
            Some(_) => {}
        }
    }
    // An accepted risk is not treated: its inherent rating is what is taken.
    let high_risk_accepted = input.risks.iter().any(|r| {
        r.treatment == Treatment::Accept
            && risk::band(&rules.bands, r.inherent.score().max(r.residual.score()))
                >= RiskBand::High
    });
    ServiceResult {
        level,
        mandatory: mandatory_keys,
        transfer,
        blocking,
        high_risk_accepted,
    }
}

/// Records step 2 of one service. Refused until step 1 is approved (directly
/// or by resolution).
pub fn save_service(
    db: &Db,
    id: AssessmentId,
    service_id: ServiceId,
    input: ServiceInput,
) -> Result<Assessment> {
    save_service_based_on(db, id, service_id, input, None)
}

/// [`save_service`] of a form opened on `based_on` (the service's step 2 as
/// it was then): refused, naming who saved since and when, when it is no
/// longer what the form opened (DOMAIN §11); nothing is written then.
pub fn save_service_based_on(
    db: &Db,
    id: AssessmentId,
    service_id: ServiceId,
    mut input: ServiceInput,
    based_on: Option<ServiceInput>,
) -> Result<Assessment> {
    for risk in &mut input.risks {
        risk.owner = risk.owner.trim().to_owned();
    }
    db.write(Permission::Assess, |tx| {
        let now = tx.now_text();
        let assessment = load(tx, id)?;
        unlocked(assessment.lock())?;
        if assessment.step1_outcome() != Some(Step1Outcome::Approved) {
            return Err(Refusal::new("refusal.step2_before_step1").into());
        }
        let rules = rules::get(tx, assessment.rule_set_version)?;
        check_service(&rules, &input)?;
        let detail = supplier::detail_in(tx, assessment.supplier_id)?;
        let service = service_of(&detail, service_id)?;
        let saved = assessment
            .services
            .iter()
            .find(|s| s.service_id == service_id)
            .map(|s| &s.input);
        if based_on.is_some_and(|based_on| Some(&based_on) != saved) {
            return Err(supplier::stale(
                tx,
                "assessment",
                &id.to_string(),
                &service.fields.name,
            )?);
        }
        let result = service_result(&rules, service, &detail, &input);
        store_service(tx, id, service_id, &input, &result, &now)?;
        tx.execute(
            "UPDATE assessment SET updated_at = ?2 WHERE id = ?1",
            rusqlite::params![id.to_string(), now],
        )?;
        load(tx, id)
    })
}

/// The service `service_id` of the supplier `detail` shows; refused when it
/// is not this supplier's.
fn service_of(detail: &SupplierDetail, service_id: ServiceId) -> Result<&Service> {
    detail
        .services
        .iter()
        .find(|s| s.id == service_id)
        .ok_or_else(|| Error::NotFound {
            entity: "service of this supplier",
            id: service_id.0.to_string(),
        })
}

/// What saving step 2 of `service_id` with `input` would compute, without
/// saving anything: the risk level, the mandatory requirements and the
/// transfer verdict, so the window shows them while the officer fills the
/// form in, before the first save. The input need not be complete: a risk
/// whose residual rating is not chosen yet (0) does not count.
pub fn preview_service(
    db: &Db,
    id: AssessmentId,
    service_id: ServiceId,
    mut input: ServiceInput,
) -> Result<ServiceResult> {
    input.risks.retain(|r| {
        (1..=5).contains(&r.residual.likelihood) && (1..=5).contains(&r.residual.impact)
    });
    db.read(|conn| {
        let assessment = load(conn, id)?;
        let rules = rules::get(conn, assessment.rule_set_version)?;
        let detail = supplier::detail_in(conn, assessment.supplier_id)?;
        let service = service_of(&detail, service_id)?;
        Ok(service_result(&rules, service, &detail, &input))
    })
}

/// Re-evaluates an assessment under the rule set in force now, recomputing
/// and storing every result, and records that it was done. Refused while
/// step 1 is locked: a re-evaluation must not re-rate an escalation away.
pub fn reevaluate(db: &Db, id: AssessmentId) -> Result<Assessment> {
    db.write(Permission::Assess, |tx| {
        let now = tx.now_text();
        let requested_by = tx.user("re-evaluate")?.display_name.clone();
        let assessment = load(tx, id)?;
        unlocked(assessment.step1_lock())?;
        let version = rules::ensure_stored(tx, &now)?;
        let rules = rules::get(tx, version)?;
        let detail = supplier::detail_in(tx, assessment.supplier_id)?;
        let step1_result = match &assessment.step1 {
            Some(input) => step1::evaluate_draft(
                &rules,
                input,
                detail.supplier.fields.tier,
                &certification_of(&rules, input, &detail, assessment.assessed_on),
            )?,
            None => None,
        };
        tx.execute(
            "UPDATE assessment SET rule_set_version = ?2, step1_result = ?3, updated_at = ?4 WHERE id = ?1",
            rusqlite::params![id.to_string(), version, step1_result.as_ref().map(to_json).transpose()?, now],
        )?;
        for service_assessment in &assessment.services {
            if let Some(service) = detail.services.iter().find(|s| s.id == service_assessment.service_id) {
                let result = service_result(&rules, service, &detail, &service_assessment.input);
                store_service(tx, id, service.id, &service_assessment.input, &result, &now)?;
            }
        }
        tx.execute(
            "INSERT INTO reevaluation (assessment_id, from_version, to_version, requested_by, at) VALUES (?1, ?2, ?3, ?4, ?5)",
            rusqlite::params![id.to_string(), assessment.rule_set_version, version, requested_by, now],
        )?;
        refresh_status(tx, assessment.supplier_id, &now)?;
        load(tx, id)
    })
}
