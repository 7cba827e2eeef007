//! The report's first section: the outcome, the decision that stands and
//! what still blocks one.

use super::{highest_level, standing, utc, AssessmentReport};
use crate::assessment::workflow::Summary;
use crate::report::pdf::{colour, Doc};
use crate::report::Words;
use crate::rules::RuleSet;

pub(super) fn section(doc: &mut Doc, w: Words, report: &AssessmentReport) {
    let supplier = &report.detail.supplier;
    doc.heading(w.t("pdf.summary.1_summary"));
    let mut facts: Vec<(String, String)> = Vec::new();
    let mut tier = w.tier(supplier.fields.tier).to_owned();
    if !supplier.fields.tier_justification.is_empty() {
        tier = format!("{tier} – {}", supplier.fields.tier_justification);
    }
    facts.push((w.t("suppliers.filter.tier").into(), tier));
    facts.push((
        w.t("suppliers.filter.status").into(),
        w.status(supplier.status).into(),
    ));
    let decision = match report.assessment.as_ref() {
        None => w.t("pdf.summary.not_assessed_yet").to_owned(),
        Some(a) => match standing(a) {
            Some(d) => format!(
                "{} – {}, {} ({})",
                w.decision(d.decision),
                d.decider_name,
                utc(&d.decided_at),
                w.capacity(d.capacity)
            ),
            None => match (&a.submitted_at, &report.summary) {
                (Some(at), _) => format!(
                    "{} {}",
                    w.t("pdf.summary.awaiting_a_decision_since"),
                    utc(at)
                ),
                (None, Some(summary))
                    if summary.state == crate::assessment::workflow::AssessmentState::Stopped =>
                {
                    stopped(w, report, a)
                }
                (None, Some(summary)) => {
                    let state = w.state(summary.state).to_owned();
                    match (&summary.voided, &summary.reopened) {
                        (Some(voided), Some(reopened)) => format!(
                            "{state}. {} {} – {}, {} {} {}, {}: {}",
                            w.t("pdf.summary.voided"),
                            w.decision(voided.decision),
                            voided.decider_name,
                            utc(&voided.decided_at),
                            w.t("pdf.summary.reopened_by"),
                            reopened.actor,
                            utc(&reopened.at),
                            reopened.reason
                        ),
                        (Some(voided), None) => format!(
                            "{state}. {} {} – {}, {} ({})",
                            w.t("pdf.summary.voided"),
                            w.decision(voided.decision),
                            voided.decider_name,
                            utc(&voided.decided_at),
                            voided.void_reason.as_deref().unwrap_or_default()
                        ),
                        _ => state,
                    }
                }
                (None, None) => w
                    .t("pdf.summary.not_submitted_for_a_decision_yet")
                    .to_owned(),
            },
        },
    };
    facts.push((w.t("resolution.decision").into(), decision));
    // While a new assessment is under way, the earlier decision still
    // stands for the supplier: an executive sees it here.
    if report.assessment.as_ref().and_then(standing).is_none() {
        if let Some((a, d)) = report
            .earlier
            .iter()
            .find_map(|a| standing(a).map(|d| (a, d)))
        {
            facts.push((
                w.t("pdf.summary.earlier_decision").into(),
                w.say(
                    "pdf.summary.earlier_decision_text",
                    &[
                        ("decision", w.decision(d.decision).to_owned()),
                        ("name", d.decider_name.clone()),
                        ("at", utc(&d.decided_at)),
                        ("capacity", w.capacity(d.capacity).to_owned()),
                        ("on", a.assessed_on.to_string()),
                    ],
                ),
            ));
        }
    }
    if let Some(d) = report.assessment.as_ref().and_then(standing) {
        if !d.conditions.is_empty() {
            facts.push((
                w.t("decision.conditions").into(),
                w.conditions(&d.conditions, Some(report.generated.today())),
            ));
        }
    }
    if let Some(a) = &report.assessment {
        let step1 = match (a.step1_outcome(), &a.resolution) {
            (Some(outcome), Some(r)) => format!(
                "{} ({} {}, {})",
                w.outcome(outcome),
                w.t("pdf.summary.escalation_resolved_by"),
                r.resolver,
                utc(&r.at)
            ),
            (Some(outcome), None) => w.outcome(outcome).to_owned(),
            (None, _) => match &report.summary {
                Some(summary) => format!(
                    "{} ({} {} {})",
                    w.t("pdf.summary.not_complete"),
                    summary.step1_rated,
                    w.t("pdf.summary.of"),
                    summary.step1_criteria
                ),
                None => w.t("pdf.summary.not_rated_yet").to_owned(),
            },
        };
        facts.push((w.t("pdf.summary.step_1_organisation").into(), step1));
    }
    if let Some(summary) = &report.summary {
        let level = highest_level(summary).map_or_else(
            || w.t("pdf.summary.not_rated_yet_2").to_owned(),
            |l| w.band(l).to_owned(),
        );
        facts.push((
            w.t("pdf.services.risk_level_highest_residual").into(),
            level,
        ));
        let approval = if summary.approval_required {
            let reasons: Vec<String> = summary
                .approval_reasons
                .iter()
                .map(|r| w.approval_reason(&report.rules, r))
                .collect();
            format!("{} {}", w.t("pdf.summary.required"), reasons.join(" "))
        } else {
            w.t("pdf.summary.not_required_the_officer_decides")
                .to_owned()
        };
        facts.push((w.t("pdf.summary.management_approval").into(), approval));
    }
    let today = report.generated.today();
    // The rule of the overview and the register (DOMAIN §8): overdue, or
    // due within 60 days.
    let due = crate::supplier::follow_up::review_due(
        report.detail.supplier.status,
        report.follow_up.next_review_on,
        today,
    );
    let next = match (report.follow_up.next_review_on, due) {
        (Some(date), Some(crate::supplier::follow_up::ReviewDue::Overdue)) => {
            format!("{date} – {}", w.t("pdf.summary.overdue"))
        }
        (Some(date), Some(_)) => format!("{date} – {}", w.t("pdf.summary.due_soon")),
        (Some(date), None) if date < today => {
            format!("{date} – {}", w.t("pdf.summary.overdue"))
        }
        (Some(date), None) => date.to_string(),
        (None, _) => w.t("followUp.noReview").to_owned(),
    };
    facts.push((w.t("pdf.summary.next_review").into(), next));
    if let Some(reason) = &report.follow_up.reassessment_reason {
        facts.push((
            w.t("followUp.reassessmentReason").into(),
            w.said(report.follow_up.reassessment_said.as_ref(), reason),
        ));
    }
    // What is valid today and what is not (DOMAIN §10): the assurance and
    // the contracts, beside what was assessed.
    if !report.detail.evidence.is_empty() {
        let lapsed: Vec<String> = report
            .detail
            .evidence
            .iter()
            .filter(|e| !e.is_valid_on(today))
            .map(|e| {
                let what = if e.fields.title.is_empty() {
                    w.evidence_kind(e.fields.kind).to_owned()
                } else {
                    e.fields.title.clone()
                };
                match e.fields.valid_until {
                    Some(until) if until < today => w.say(
                        "pdf.summary.expired_on",
                        &[("what", what), ("on", until.to_string())],
                    ),
                    _ => what,
                }
            })
            .collect();
        let count = report.detail.evidence.len().to_string();
        facts.push((
            w.t("pdf.summary.assurance_today").into(),
            if lapsed.is_empty() {
                w.say("pdf.summary.all_valid_today", &[("count", count)])
            } else {
                format!(
                    "{} {}",
                    w.say(
                        "pdf.summary.not_valid_today",
                        &[("lapsed", lapsed.len().to_string()), ("count", count)]
                    ),
                    lapsed.join("; ")
                )
            },
        ));
    }
    let ended: Vec<String> = report
        .detail
        .services
        .iter()
        .filter_map(|s| {
            let end = s.fields.contract_end.filter(|end| *end < today)?;
            Some(w.say(
                "pdf.summary.contract_ended",
                &[("service", s.fields.name.clone()), ("on", end.to_string())],
            ))
        })
        .collect();
    if !ended.is_empty() {
        facts.push((w.t("pdf.summary.contracts_today").into(), ended.join("; ")));
    }
    facts.push((
        w.t("pdf.summary.exposure_to_foreign_access_law").into(),
        if report.detail.exposure.exposed {
            w.t("pdf.summary.exposed_us_cloud_act").to_owned()
        } else {
            w.t("pdf.summary.not_exposed").to_owned()
        },
    ));
    doc.facts(&facts);
    if let Some(summary) = &report.summary {
        let blocking = blocking_items(summary, &report.rules, w);
        if !blocking.is_empty() {
            doc.paragraph_styled(
                w.t("pdf.summary.what_stands_in_the_way_of"),
                9.5,
                crate::report::pdf::Weight::Bold,
                colour::ALERT,
            );
            doc.bullets(&blocking);
        }
    }
}

/// Everything that blocks approval, as the core lists it, in the report's
/// language.
fn blocking_items(summary: &Summary, rules: &RuleSet, w: Words) -> Vec<String> {
    summary
        .blockers
        .iter()
        .map(|b| w.blocker(rules, b))
        .collect()
}

/// Who stopped the supplier and when: management, resolving an escalation
/// to stop; or the rule set, on the assessor's ratings (with its reasons).
fn stopped(
    w: Words,
    report: &AssessmentReport,
    a: &crate::assessment::workflow::Assessment,
) -> String {
    let state = w.state(crate::assessment::workflow::AssessmentState::Stopped);
    match &a.resolution {
        Some(r) => w.say(
            "pdf.summary.stopped_by_resolution",
            &[
                ("state", state),
                ("name", r.resolver.clone()),
                ("at", utc(&r.at)),
                ("justification", r.justification.clone()),
            ],
        ),
        None => {
            let reasons: Vec<String> = a
                .step1_result
                .iter()
                .flat_map(|r| &r.reasons)
                .map(|reason| w.step1_reason(&report.rules, reason))
                .collect();
            w.say(
                "pdf.summary.stopped_by_rules",
                &[
                    ("state", state),
                    ("reasons", reasons.join(" ")),
                    ("assessor", a.assessor.clone()),
                    ("on", a.assessed_on.to_string()),
                ],
            )
        }
    }
}
