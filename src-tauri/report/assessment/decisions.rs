//! The decisions with their fingerprints, the review history and the
//! excerpt of the audit trail.

use super::{standing, utc, AssessmentReport};
use crate::audit::LogEntry;
use crate::report::pdf::{colour, Cell, Column, Doc};
use crate::report::Words;
use crate::settings::Language;
use crate::supplier;

pub(super) fn decisions(doc: &mut Doc, w: Words, report: &AssessmentReport) {
    doc.heading(w.t("5. Decisions and approvals", "5. Beslut och godkännanden"));
    let Some(a) = &report.assessment else {
        doc.note(w.t("No assessment yet.", "Ingen bedömning ännu."));
        return;
    };
    if let Some(at) = &a.submitted_at {
        doc.paragraph(&format!(
            "{} {}.",
            w.t("Submitted for a decision", "Inlämnad för beslut"),
            utc(at)
        ));
    }
    if a.decisions.is_empty() {
        doc.note(w.t("No decision recorded.", "Inget beslut registrerat."));
    } else {
        let rows: Vec<Vec<Cell>> = a
            .decisions
            .iter()
            .map(|d| {
                let state = match (&d.voided_at, &d.void_reason) {
                    (Some(at), reason) => Cell::from(format!(
                        "{} {}: {}",
                        w.t("Voided", "Ogiltigförklarat"),
                        utc(at),
                        reason.clone().unwrap_or_default()
                    ))
                    .colour(colour::ALERT),
                    (None, _) => Cell::from(w.t("Stands", "Gäller"))
                        .colour(colour::GOOD)
                        .bold(),
                };
                vec![
                    Cell::from(w.decision(d.decision)).bold(),
                    format!("{}\n{}", d.decider_name, w.capacity(d.capacity)).into(),
                    utc(&d.decided_at).into(),
                    d.conditions.clone().into(),
                    d.fingerprint.clone().into(),
                    state,
                ]
            })
            .collect();
        doc.table(
            &[
                Column::new(w.t("Decision", "Beslut"), 1.4),
                Column::new(w.t("Decided by", "Beslutad av"), 1.8),
                Column::new(w.t("When", "När"), 1.4),
                Column::new(w.t("Conditions", "Villkor"), 2.0),
                Column::new(
                    w.t(
                        "Fingerprint (SHA-256) of the content decided on",
                        "Fingeravtryck (SHA-256) av det beslutade innehållet",
                    ),
                    2.6,
                ),
                Column::new(w.t("State", "Läge"), 1.4),
            ],
            &rows,
        );
    }
    if let Some(current) = &report.content_fingerprint {
        let matches = standing(a).is_some_and(|d| &d.fingerprint == current);
        doc.paragraph(&format!(
            "{}: {current}",
            w.t(
                "The assessment's content as reported has the fingerprint",
                "Bedömningens innehåll i denna rapport har fingeravtrycket"
            )
        ));
        if standing(a).is_some() {
            doc.paragraph_styled(
                if matches {
                    w.t("✓ It matches the standing decision: the decision covers exactly what this report shows.", "✓ Det stämmer med det gällande beslutet: beslutet omfattar exakt det som rapporten visar.")
                } else {
                    w.t("✗ It does not match the standing decision.", "✗ Det stämmer inte med det gällande beslutet.")
                },
                9.5,
                crate::report::pdf::Weight::Bold,
                if matches { colour::GOOD } else { colour::ALERT },
            );
        }
    }
}

pub(super) fn history(doc: &mut Doc, w: Words, report: &AssessmentReport) {
    doc.heading(w.t(
        "6. Follow-up and review history",
        "6. Uppföljning och granskningshistorik",
    ));
    let follow_up = &report.follow_up;
    let service_name = |id: Option<supplier::ServiceId>| {
        id.and_then(|id| report.detail.services.iter().find(|s| s.id == id))
            .map_or_else(
                || {
                    w.t("The supplier as a whole", "Leverantören som helhet")
                        .to_owned()
                },
                |s| s.fields.name.clone(),
            )
    };
    doc.subheading(w.t("Events", "Händelser"));
    if follow_up.events.is_empty() {
        doc.note(w.t("Nothing recorded.", "Inget registrerat."));
    } else {
        let rows: Vec<Vec<Cell>> = follow_up
            .events
            .iter()
            .map(|e| {
                vec![
                    e.occurred_on.to_string().into(),
                    Cell::from(w.follow_up_kind(e.kind)).bold(),
                    service_name(e.service_id).into(),
                    e.reason.clone().into(),
                    e.recorded_by.clone().into(),
                ]
            })
            .collect();
        doc.table(
            &[
                Column::new(w.t("Date", "Datum"), 1.3),
                Column::new(w.t("Kind", "Typ"), 1.8),
                Column::new(w.t("Service", "Tjänst"), 1.8),
                Column::new(w.t("What happened", "Vad som hände"), 4.0),
                Column::new(w.t("Recorded by", "Registrerad av"), 1.4),
            ],
            &rows,
        );
    }
    doc.subheading(w.t("SLA fulfilment", "SLA-uppfyllnad"));
    if follow_up.sla_records.is_empty() {
        doc.note(w.t("No SLA records yet.", "Inga SLA-uppgifter ännu."));
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
                    r.input.target.to_string().into(),
                    r.input.measured.to_string().into(),
                    if r.met {
                        Cell::from(w.t("✓ Met", "✓ Uppfyllt")).colour(colour::GOOD)
                    } else {
                        Cell::from(w.t("✗ Breached", "✗ Brutet"))
                            .colour(colour::ALERT)
                            .bold()
                    },
                ]
            })
            .collect();
        doc.table(
            &[
                Column::new(w.t("Service", "Tjänst"), 2.0),
                Column::new(w.t("Period", "Period"), 2.0),
                Column::new(w.t("Metric", "Mått"), 1.8),
                Column::new(w.t("Target", "Mål"), 1.0).right(),
                Column::new(w.t("Measured", "Uppmätt"), 1.0).right(),
                Column::new(w.t("Result", "Resultat"), 1.2),
            ],
            &rows,
        );
    }
    doc.subheading(w.t("Earlier assessments", "Tidigare bedömningar"));
    if report.earlier.is_empty() {
        doc.note(w.t(
            "None: this is the first assessment.",
            "Inga: detta är den första bedömningen.",
        ));
    } else {
        let rows: Vec<Vec<Cell>> = report
            .earlier
            .iter()
            .map(|a| {
                let decision = standing(a).map_or_else(
                    || w.t("No decision", "Inget beslut").to_owned(),
                    |d| {
                        format!(
                            "{} – {}, {}",
                            w.decision(d.decision),
                            d.decider_name,
                            utc(&d.decided_at)
                        )
                    },
                );
                vec![
                    a.assessed_on.to_string().into(),
                    a.assessor.clone().into(),
                    a.rule_set_version.to_string().into(),
                    a.step1_outcome().map_or("–", |o| w.outcome(o)).into(),
                    decision.into(),
                ]
            })
            .collect();
        doc.table(
            &[
                Column::new(w.t("Assessed on", "Bedömd"), 1.2),
                Column::new(w.t("Assessor", "Bedömare"), 1.8),
                Column::new(w.t("Rule set", "Regelverk"), 0.9).right(),
                Column::new(w.t("Step 1", "Steg 1"), 1.2),
                Column::new(w.t("Decision", "Beslut"), 4.0),
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
    doc.heading(w.t("7. Audit trail excerpt", "7. Utdrag ur granskningsloggen"));
    doc.note(&match w.0 {
        Language::En => format!(
            "The {} most recent of {} entries about this supplier, its services, evidence, assessments and decisions, newest first. Each entry's hash chains it to the one before; verify the whole trail in Tillit (Settings) or with “tillit audit verify”.",
            report.audit.len(),
            report.audit_total
        ),
        Language::Sv => format!(
            "De {} senaste av {} poster om leverantören, dess tjänster, underlag, bedömningar och beslut, nyaste först. Varje posts hash kedjar den till den föregående; verifiera hela loggen i Tillit (Inställningar) eller med ”tillit audit verify”.",
            report.audit.len(),
            report.audit_total
        ),
    });
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
            Column::new(w.t("Time", "Tid"), 2.0),
            Column::new(w.t("User", "Användare"), 1.1),
            Column::new(w.t("Action", "Händelse"), 1.5),
            Column::new(
                w.t("Entity and changed fields", "Objekt och ändrade fält"),
                3.4,
            ),
            Column::new("Hash", 1.5),
        ],
        &rows,
        7.5,
    );
}
