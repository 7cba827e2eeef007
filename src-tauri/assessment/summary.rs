//! Where an assessment stands: its state, the risk level of each service,
//! what blocks a decision and why management approval is required.

use super::step1::{self, Step1Outcome};
use super::workflow::{
    load, ApprovalReason, AssessmentEventKind, AssessmentId, AssessmentState, Blocker,
    RequirementStatus, ServiceSummary, Summary,
};
use crate::access::Role;
use crate::error::Result;
use crate::rules::{self, RiskBand};
use crate::store::sql::Connection;
use crate::store::Db;
use crate::supplier::{self, Tier};

/// What DOMAIN §7 looks at in one assessed service to decide whether
/// management approval is required.
pub(crate) struct ServiceFacts {
    /// The service's name, as the reasons name it.
    pub service: String,
    pub level: Option<RiskBand>,
    pub high_risk_accepted: bool,
    /// The keys of the requirements whose deviation is accepted.
    pub deviations_accepted: Vec<String>,
}

/// Why management approval is required of an assessment of a supplier of
/// `tier` whose assessed services are `services` (DOMAIN §7): a critical
/// tier, a critical service, a high risk accepted, a contract deviation
/// accepted. None: the officer decides. The one home of that rule.
pub(crate) fn approval_reasons(
    tier: Tier,
    services: impl IntoIterator<Item = ServiceFacts>,
) -> Vec<ApprovalReason> {
    let mut reasons = Vec::new();
    if tier == Tier::Critical {
        reasons.push(ApprovalReason::CriticalTier);
    }
    for facts in services {
        if facts.level == Some(RiskBand::Critical) {
            reasons.push(ApprovalReason::CriticalService {
                service: facts.service.clone(),
            });
        }
        if facts.high_risk_accepted {
            reasons.push(ApprovalReason::HighRiskAccepted {
                service: facts.service.clone(),
            });
        }
        for key in facts.deviations_accepted {
            reasons.push(ApprovalReason::DeviationAccepted {
                service: facts.service.clone(),
                key,
            });
        }
    }
    reasons
}

/// The summary of an assessment, from its stored results (DOMAIN §7 decides
/// whether management approval is required).
pub fn summary(db: &Db, id: AssessmentId) -> Result<Summary> {
    db.read(|conn| summary_in(conn, id))
}

/// [`summary`] inside the caller's transaction.
pub(crate) fn summary_in(conn: &Connection, id: AssessmentId) -> Result<Summary> {
    {
        let assessment = load(conn, id)?;
        let detail = supplier::detail_in(conn, assessment.supplier_id)?;
        let mut services = Vec::new();
        let mut facts = Vec::new();
        for sa in &assessment.services {
            let name = detail
                .services
                .iter()
                .find(|s| s.id == sa.service_id)
                .map_or_else(|| sa.service_id.0.to_string(), |s| s.fields.name.clone());
            facts.push(ServiceFacts {
                service: name.clone(),
                level: sa.result.level,
                high_risk_accepted: sa.result.high_risk_accepted,
                deviations_accepted: sa
                    .input
                    .requirements
                    .iter()
                    .filter(|mark| mark.status == RequirementStatus::DeviationAccepted)
                    .map(|mark| mark.key.clone())
                    .collect(),
            });
            services.push(ServiceSummary {
                service_id: sa.service_id,
                name,
                level: sa.result.level,
                transfer: sa.result.transfer.verdict,
                blocking: sa.result.blocking.clone(),
            });
        }
        let approval_reasons = approval_reasons(detail.supplier.fields.tier, facts);
        let services_not_assessed: Vec<String> = detail
            .services
            .iter()
            .filter(|s| !assessment.services.iter().any(|sa| sa.service_id == s.id))
            .map(|s| s.fields.name.clone())
            .collect();
        let step1 = assessment.step1_outcome();
        let rules = rules::get(conn, assessment.rule_set_version)?;
        let step1_criteria = u32::try_from(rules.criteria.len()).unwrap_or(u32::MAX);
        let step1_rated = assessment
            .step1
            .as_ref()
            .map_or(0, |input| step1::rated(&rules, input));
        let mut blockers = Vec::new();
        match step1 {
            Some(Step1Outcome::Approved) => {}
            Some(Step1Outcome::Escalate) => blockers.push(Blocker::Step1Escalated),
            Some(Step1Outcome::Stop) => blockers.push(Blocker::Step1Stopped),
            None => blockers.push(Blocker::Step1Unrated {
                rated: step1_rated,
                criteria: step1_criteria,
            }),
        }
        // A stop ends the assessment: nothing else is worth listing.
        let stopped = step1 == Some(Step1Outcome::Stop);
        for name in services_not_assessed.iter().filter(|_| !stopped) {
            blockers.push(Blocker::ServiceNotAssessed {
                service: name.clone(),
            });
        }
        for service in services.iter().filter(|_| !stopped) {
            for item in &service.blocking {
                blockers.push(Blocker::Service {
                    service: service.name.clone(),
                    item: item.clone(),
                });
            }
        }
        let blocked = !blockers.is_empty();
        let decision = assessment.standing_decision().cloned();
        let state = if decision.is_some() {
            AssessmentState::Decided
        } else if assessment.submitted_at.is_some() {
            AssessmentState::Submitted
        } else {
            match step1 {
                None => AssessmentState::Step1Unrated,
                Some(Step1Outcome::Escalate) => AssessmentState::Escalated,
                Some(Step1Outcome::Stop) => AssessmentState::Stopped,
                Some(Step1Outcome::Approved) if !services_not_assessed.is_empty() => {
                    AssessmentState::Step2Incomplete
                }
                Some(Step1Outcome::Approved) if blocked => AssessmentState::Blocked,
                Some(Step1Outcome::Approved) => AssessmentState::ReadyToSubmit,
            }
        };
        let voided = if decision.is_none() {
            assessment
                .decisions
                .iter()
                .rev()
                .find(|d| d.voided_at.is_some())
                .cloned()
        } else {
            None
        };
        let reopened = voided.as_ref().and_then(|v| {
            assessment
                .events
                .iter()
                .rev()
                .find(|e| {
                    e.kind == AssessmentEventKind::Reopened && e.voided_decision == Some(v.id)
                })
                .cloned()
        });
        Ok(Summary {
            state,
            step1,
            step1_rated,
            step1_criteria,
            resolved: assessment.resolution.is_some(),
            services,
            services_not_assessed,
            approval_required: !approval_reasons.is_empty(),
            decider: if approval_reasons.is_empty() {
                Role::ProcurementOfficer
            } else {
                Role::Management
            },
            approval_reasons,
            blocked,
            blockers,
            step1_lock: assessment.step1_lock(),
            lock: assessment.lock(),
            decision,
            voided,
            reopened,
        })
    }
}
