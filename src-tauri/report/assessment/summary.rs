//! The report's first section: the outcome, the decision that stands and
//! what still blocks one.

use super::{highest_level, standing, utc, AssessmentReport};
use crate::assessment::workflow::Summary;
use crate::report::pdf::{colour, Doc};
use crate::report::Words;
use crate::rules::RuleSet;

pub(super) fn section(doc: &mut Doc, w: Words, report: &AssessmentReport) {
    let supplier = &report.detail.supplier;
    doc.heading(w.t("1. Summary", "1. Sammanfattning"));
    let mut facts: Vec<(String, String)> = Vec::new();
    let mut tier = w.tier(supplier.fields.tier).to_owned();
    if !supplier.fields.tier_justification.is_empty() {
        tier = format!("{tier} – {}", supplier.fields.tier_justification);
    }
    facts.push((w.t("Tier", "Nivå").into(), tier));
    facts.push((
        w.t("Status", "Status").into(),
        w.status(supplier.status).into(),
    ));
    let decision = match report.assessment.as_ref() {
        None => w.t("Not assessed yet", "Inte bedömd ännu").to_owned(),
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
                    w.t("Awaiting a decision since", "Inväntar beslut sedan"),
                    utc(at)
                ),
                (None, Some(summary)) => {
                    let state = w.state(summary.state).to_owned();
                    match (&summary.voided, &summary.reopened) {
                        (Some(voided), Some(reopened)) => format!(
                            "{state}. {} {} – {}, {} {} {}, {}: {}",
                            w.t("Voided:", "Upphävt:"),
                            w.decision(voided.decision),
                            voided.decider_name,
                            utc(&voided.decided_at),
                            w.t("reopened by", "öppnad igen av"),
                            reopened.actor,
                            utc(&reopened.at),
                            reopened.reason
                        ),
                        (Some(voided), None) => format!(
                            "{state}. {} {} – {}, {} ({})",
                            w.t("Voided:", "Upphävt:"),
                            w.decision(voided.decision),
                            voided.decider_name,
                            utc(&voided.decided_at),
                            voided.void_reason.as_deref().unwrap_or_default()
                        ),
                        _ => state,
                    }
                }
                (None, None) => w
                    .t(
                        "Not submitted for a decision yet",
                        "Inte inlämnad för beslut ännu",
                    )
                    .to_owned(),
            },
        },
    };
    facts.push((w.t("Decision", "Beslut").into(), decision));
    if let Some(d) = report.assessment.as_ref().and_then(standing) {
        if !d.conditions.is_empty() {
            facts.push((w.t("Conditions", "Villkor").into(), d.conditions.clone()));
        }
    }
    if let Some(a) = &report.assessment {
        let step1 = match (a.step1_outcome(), &a.resolution) {
            (Some(outcome), Some(r)) => format!(
                "{} ({} {}, {})",
                w.outcome(outcome),
                w.t("escalation resolved by", "eskalering avgjord av"),
                r.resolver,
                utc(&r.at)
            ),
            (Some(outcome), None) => w.outcome(outcome).to_owned(),
            (None, _) => match &report.summary {
                Some(summary) => format!(
                    "{} ({} {} {})",
                    w.t("Not complete", "Inte klart"),
                    summary.step1_rated,
                    w.t("of", "av"),
                    summary.step1_criteria
                ),
                None => w.t("Not rated yet", "Inte bedömt ännu").to_owned(),
            },
        };
        facts.push((
            w.t("Step 1 (organisation)", "Steg 1 (organisationen)")
                .into(),
            step1,
        ));
    }
    if let Some(summary) = &report.summary {
        let level = highest_level(summary).map_or_else(
            || w.t("Not rated yet", "Inte bedömd ännu").to_owned(),
            |l| w.band(l).to_owned(),
        );
        facts.push((
            w.t(
                "Risk level (highest residual)",
                "Risknivå (högsta kvarstående)",
            )
            .into(),
            level,
        ));
        let approval = if summary.approval_required {
            let reasons: Vec<String> = summary
                .approval_reasons
                .iter()
                .map(|r| w.approval_reason(&report.rules, r))
                .collect();
            format!("{} {}", w.t("Required:", "Krävs:"), reasons.join(" "))
        } else {
            w.t(
                "Not required; the officer decides",
                "Krävs inte; inköparen beslutar",
            )
            .to_owned()
        };
        facts.push((
            w.t("Management approval", "Ledningens godkännande").into(),
            approval,
        ));
    }
    let today = report.generated.today();
    let next = match report.follow_up.next_review_on {
        Some(date) if date < today => format!("{date} – {}", w.t("OVERDUE", "FÖRSENAD")),
        Some(date) => date.to_string(),
        None => w
            .t(
                "Not scheduled (set when the supplier is approved)",
                "Inte planerad (sätts när leverantören godkänns)",
            )
            .to_owned(),
    };
    facts.push((w.t("Next review", "Nästa granskning").into(), next));
    if let Some(reason) = &report.follow_up.reassessment_reason {
        facts.push((
            w.t(
                "Reassessment required because",
                "Ny bedömning krävs eftersom",
            )
            .into(),
            reason.clone(),
        ));
    }
    facts.push((
        w.t(
            "Exposure to foreign access law",
            "Exponering för utländsk lagstiftning",
        )
        .into(),
        if report.detail.exposure.exposed {
            w.t(
                "Exposed (US CLOUD Act)",
                "Exponerad (amerikanska CLOUD Act)",
            )
            .to_owned()
        } else {
            w.t("Not exposed", "Inte exponerad").to_owned()
        },
    ));
    doc.facts(&facts);
    if let Some(summary) = &report.summary {
        let blocking = blocking_items(summary, &report.rules, w);
        if !blocking.is_empty() {
            doc.paragraph_styled(
                w.t(
                    "What stands in the way of approval:",
                    "Det som hindrar ett godkännande:",
                ),
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
