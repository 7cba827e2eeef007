//! The decisions with their fingerprints, the review history and the
//! excerpt of the audit trail.

use super::{standing, utc, AssessmentReport};
use crate::audit::LogEntry;
use crate::report::pdf::{colour, Cell, Column, Doc};
use crate::report::Words;
use crate::supplier;

pub(super) fn decisions(doc: &mut Doc, w: Words, report: &AssessmentReport) {
    doc.heading(w.t("pdf.decisions.5_decisions_and_approvals"));
    let Some(a) = &report.assessment else {
        doc.note(w.t("pdf.decisions.no_assessment_yet"));
        return;
    };
    if let Some(at) = &a.submitted_at {
        doc.paragraph(&format!(
            "{} {}.",
            w.t("pdf.decisions.submitted_for_a_decision"),
            utc(at)
        ));
    }
    if a.decisions.is_empty() {
        doc.note(w.t("pdf.decisions.no_decision_recorded"));
    } else {
        let rows: Vec<Vec<Cell>> = a
            .decisions
            .iter()
            .map(|d| {
                let state = match (&d.voided_at, &d.void_reason) {
                    (Some(at), reason) => Cell::from(format!(
                        "{} {}: {}",
                        w.t("pdf.decisions.voided"),
                        utc(at),
                        reason.clone().unwrap_or_default()
                    ))
                    .colour(colour::ALERT),
                    (None, _) => Cell::from(w.t("pdf.decisions.stands"))
                        .colour(colour::GOOD)
                        .bold(),
                };
                vec![
                    Cell::from(w.decision(d.decision)).bold(),
                    format!("{}\n{}", d.decider_name, w.capacity(d.capacity)).into(),
                    utc(&d.decided_at).into(),
                    w.conditions(
                        &d.conditions,
                        d.voided_at.is_none().then(|| report.generated.today()),
                    )
                    .into(),
                    d.fingerprint.clone().into(),
                    state,
                ]
            })
            .collect();
        doc.table(
            &[
                Column::new(w.t("resolution.decision"), 1.4),
                Column::new(w.t("pdf.decisions.decided_by"), 1.8),
                Column::new(w.t("pdf.decisions.when"), 1.4),
                Column::new(w.t("decision.conditions"), 2.0),
                Column::new(w.t("pdf.decisions.fingerprint_sha_256_of_the_content"), 2.6),
                Column::new(w.t("pdf.decisions.state"), 1.4),
            ],
            &rows,
        );
        for d in &a.decisions {
            let about = [
                ("decision", w.decision(d.decision).to_owned()),
                ("at", utc(&d.decided_at)),
                ("name", d.decider_name.clone()),
            ];
            signature_line(doc, w, &about, d.signature.as_ref());
        }
    }
    if let (Some(resolution), true) = (&a.resolution, a.step1_result.is_some()) {
        let about = [
            ("decision", w.t("pdf.decisions.resolution").to_owned()),
            ("at", utc(&resolution.at)),
            ("name", resolution.resolver.clone()),
        ];
        signature_line(doc, w, &about, a.resolution_signature.as_ref());
    }
    if let Some(current) = &report.content_fingerprint {
        let matches = standing(a).is_some_and(|d| &d.fingerprint == current);
        doc.paragraph(&format!(
            "{}: {current}",
            w.t("pdf.decisions.the_assessment_s_content_as_reported")
        ));
        if standing(a).is_some() {
            doc.paragraph_styled(
                if matches {
                    w.t("pdf.decisions.it_matches_the_standing_decision_the")
                } else {
                    w.t("pdf.decisions.it_does_not_match_the_standing")
                },
                9.5,
                crate::report::pdf::Weight::Bold,
                if matches { colour::GOOD } else { colour::ALERT },
            );
        }
    }
}

/// What a decision's (or a resolution's) signature says: the signer's key
/// and the Ed25519 signature in full, so it can be checked against the key.
fn signature_line(
    doc: &mut Doc,
    w: Words,
    about: &[(&str, String)],
    signature: Option<&crate::store::signing::SignatureInfo>,
) {
    let text = match signature {
        Some(s) => {
            let mut params = about.to_vec();
            params.extend([
                ("key", s.key_id.clone()),
                ("public", s.public_key.clone()),
                ("signature", s.signature.clone()),
                ("record", s.fingerprint.clone()),
            ]);
            w.say("pdf.decisions.signed", &params)
        }
        None => w.say("pdf.decisions.unsigned", about),
    };
    doc.paragraph_styled(
        &text,
        7.5,
        crate::report::pdf::Weight::Regular,
        colour::MUTED,
    );
}

pub(super) fn history(doc: &mut Doc, w: Words, report: &AssessmentReport) {
    doc.heading(w.t("pdf.decisions.6_follow_up_and_review_history"));
    let follow_up = &report.follow_up;
    let service_name = |id: Option<supplier::ServiceId>| {
        id.and_then(|id| report.detail.services.iter().find(|s| s.id == id))
            .map_or_else(
                || w.t("followUp.wholeSupplier").to_owned(),
                |s| s.fields.name.clone(),
            )
    };
    doc.subheading(w.t("followUp.events"));
    if follow_up.events.is_empty() {
        doc.note(w.t("followUp.noEvents"));
    } else {
        let rows: Vec<Vec<Cell>> = follow_up
            .events
            .iter()
            .map(|e| {
                vec![
                    e.occurred_on.to_string().into(),
                    Cell::from(w.follow_up_kind(e.kind)).bold(),
                    service_name(e.service_id).into(),
                    w.said(e.reason_said.as_ref(), &e.reason).into(),
                    e.recorded_by.clone().into(),
                ]
            })
            .collect();
        doc.table(
            &[
                Column::new(w.t("followUp.date"), 1.3),
                Column::new(w.t("field.kind"), 1.8),
                Column::new(w.t("followUp.service"), 1.8),
                Column::new(w.t("followUp.description"), 4.0),
                Column::new(w.t("followUp.recordedBy"), 1.4),
            ],
            &rows,
        );
    }
    doc.subheading(w.t("sla.title"));
    if follow_up.sla_records.is_empty() {
        doc.note(w.t("sla.none"));
    } else {
        let rows: Vec<Vec<Cell>> = follow_up
            .sla_records
            .iter()
            .map(|r| {
                let period = format!(
                    "{} – {}",
                    r.input
                        .period_start
                        .map(|d| d.to_string())
                        .unwrap_or_default(),
                    r.input
                        .period_end
                        .map(|d| d.to_string())
                        .unwrap_or_default()
                );
                vec![
                    service_name(Some(r.service_id)).into(),
                    period.into(),
                    r.input.metric.clone().into(),
                    crate::words::decimal(w.0, r.input.target).into(),
                    crate::words::decimal(w.0, r.input.measured).into(),
                    if r.met {
                        Cell::from(w.t("pdf.decisions.met")).colour(colour::GOOD)
                    } else {
                        Cell::from(w.t("pdf.decisions.breached"))
                            .colour(colour::ALERT)
                            .bold()
                    },
                ]
            })
            .collect();
        doc.table(
            &[
                Column::new(w.t("followUp.service"), 2.0),
                Column::new(w.t("sla.period"), 2.0),
                Column::new(w.t("pdf.decisions.metric"), 1.8),
                Column::new(w.t("sla.target"), 1.0).right(),
                Column::new(w.t("sla.measured"), 1.0).right(),
                Column::new(w.t("sla.result"), 1.2),
            ],
            &rows,
        );
    }
    // The score history: this assessment beside the earlier ones, so a
    // trend in step 1 and in the residual risk shows.
    doc.subheading(w.t("pdf.decisions.earlier_assessments"));
    if report.earlier.is_empty() {
        doc.note(w.t("pdf.decisions.none_this_is_the_first_assessment"));
    } else {
        let rows: Vec<Vec<Cell>> = report
            .assessment
            .iter()
            .chain(&report.earlier)
            .enumerate()
            .map(|(index, a)| {
                let decision = standing(a).map_or_else(
                    || w.t("pdf.decisions.no_decision").to_owned(),
                    |d| {
                        format!(
                            "{} – {}, {}",
                            w.decision(d.decision),
                            d.decider_name,
                            utc(&d.decided_at)
                        )
                    },
                );
                let step1 = match &a.step1_result {
                    Some(r) => format!(
                        "{} ({} {} {})",
                        w.outcome(r.outcome),
                        r.total,
                        w.t("pdf.summary.of"),
                        r.maximum
                    ),
                    None => "–".to_owned(),
                };
                let level = a.services.iter().filter_map(|s| s.result.level).max();
                let score = a
                    .services
                    .iter()
                    .flat_map(|s| &s.input.risks)
                    .map(|r| u32::from(r.residual.likelihood) * u32::from(r.residual.impact))
                    .max();
                let risk = match (level, score) {
                    (Some(level), Some(score)) => {
                        Cell::from(format!("{} ({score})", w.band(level)))
                            .fill(super::band_colour(level))
                    }
                    _ => Cell::from("–").colour(colour::MUTED),
                };
                let on = if index == 0 {
                    format!(
                        "{}\n{}",
                        a.assessed_on,
                        w.t("pdf.decisions.this_assessment")
                    )
                } else {
                    a.assessed_on.to_string()
                };
                vec![
                    on.into(),
                    a.assessor.clone().into(),
                    a.rule_set_version.to_string().into(),
                    step1.into(),
                    risk,
                    decision.into(),
                ]
            })
            .collect();
        doc.table(
            &[
                Column::new(w.t("pdf.decisions.assessed_on"), 1.6),
                Column::new(w.t("assessment.assessor"), 1.3),
                Column::new(w.t("rules.title"), 0.8).right(),
                Column::new(w.t("summary.step1"), 2.0),
                Column::new(w.t("pdf.decisions.highest_residual"), 1.3),
                Column::new(w.t("resolution.decision"), 2.6),
            ],
            &rows,
        );
    }
}

/// The names of the fields an entry changed (for an update).
fn changed_fields(entry: &LogEntry) -> String {
    let parse = |text: &Option<String>| {
        text.as_deref()
            .and_then(|t| serde_json::from_str::<serde_json::Value>(t).ok())
            .and_then(|v| v.as_object().cloned())
    };
    match (parse(&entry.before), parse(&entry.after)) {
        (Some(before), Some(after)) => {
            let mut fields: Vec<&str> = after
                .iter()
                .filter(|(k, v)| before.get(*k) != Some(v) && !k.ends_with("updated_at"))
                .map(|(k, _)| k.as_str())
                .collect();
            fields.sort_unstable();
            fields.join(", ")
        }
        _ => String::new(),
    }
}

pub(super) fn audit(doc: &mut Doc, w: Words, report: &AssessmentReport) {
    doc.heading(w.t("pdf.decisions.7_audit_trail_excerpt"));
    doc.note(&w.say(
        "pdf.decisions.audit_excerpt",
        &[
            ("shown", report.audit.len().to_string()),
            ("total", report.audit_total.to_string()),
        ],
    ));
    let rows: Vec<Vec<Cell>> = report
        .audit
        .iter()
        .map(|e| {
            let what = changed_fields(e);
            let subject = if what.is_empty() {
                e.entity.clone()
            } else {
                format!("{}: {what}", e.entity)
            };
            vec![
                e.seq.to_string().into(),
                utc(&e.at).into(),
                e.actor.clone().into(),
                e.action.clone().into(),
                subject.into(),
                format!("{}…", &e.hash[..12.min(e.hash.len())]).into(),
            ]
        })
        .collect();
    doc.table_sized(
        &[
            Column::new("#", 0.6).right(),
            Column::new(w.t("pdf.decisions.time"), 2.0),
            Column::new(w.t("audit.user"), 1.1),
            Column::new(w.t("audit.action"), 1.5),
            Column::new(w.t("pdf.decisions.entity_and_changed_fields"), 3.4),
            Column::new("Hash", 1.5),
        ],
        &rows,
        7.5,
    );
}
