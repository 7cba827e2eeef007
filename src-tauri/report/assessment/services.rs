//! Step 2: each service's risk register, heat map, contract requirements
//! and transfer rules.

use super::step1::rating_text;
use super::{band_colour, AssessmentReport};
use crate::assessment::risk::band;
use crate::assessment::workflow::RequirementStatus;
use crate::report::pdf::{colour, Cell, Column, Doc, HeatMark, HEAT_MAP_HEIGHT};
use crate::report::Words;
use crate::rules::{RiskBand, Verdict};
use crate::supplier;

pub(super) fn section(doc: &mut Doc, w: Words, report: &AssessmentReport) {
    doc.heading(w.t("pdf.services.4_step_2_the_services"));
    let Some(a) = &report.assessment else {
        doc.note(w.t("pdf.decisions.no_assessment_yet"));
        return;
    };
    let rules = &report.rules;
    if a.services.is_empty() {
        doc.note(w.t("overview.noServices"));
    }
    // In the register's order of the services (by name), as the rest of the report.
    let position = |id: &supplier::ServiceId| {
        report
            .detail
            .services
            .iter()
            .position(|s| s.id == *id)
            .unwrap_or(usize::MAX)
    };
    let mut assessed: Vec<_> = a.services.iter().collect();
    assessed.sort_by_key(|sa| position(&sa.service_id));
    for (n, sa) in assessed.into_iter().enumerate() {
        let service = report
            .detail
            .services
            .iter()
            .find(|s| s.id == sa.service_id);
        let name = service.map_or_else(|| sa.service_id.to_string(), |s| s.fields.name.clone());
        if n > 0 {
            doc.ensure(200.0);
        }
        doc.subheading(&format!("4.{} {name}", n + 1));
        if let Some(s) = service {
            let f = &s.fields;
            let mut facts = vec![
                (
                    w.t("pdf.services.data").to_owned(),
                    format!(
                        "{}; {}",
                        w.classification(f.data_classification),
                        w.personal_data(f.personal_data)
                    ),
                ),
                (
                    w.t("pdf.organisation.stored_in").to_owned(),
                    w.countries(&f.storage_countries),
                ),
                (
                    w.t("pdf.organisation.accessed_from").to_owned(),
                    w.countries(&f.access_countries),
                ),
            ];
            let mut continuity = Vec::new();
            if let Some(h) = f.rto_hours {
                continuity.push(format!("RTO {h} h"));
            }
            if let Some(h) = f.rpo_hours {
                continuity.push(format!("RPO {h} h"));
            }
            if let Some(p) = f.sla_availability_percent {
                continuity.push(format!("SLA {} %", crate::words::decimal(w.0, p)));
            }
            if !continuity.is_empty() {
                facts.push((
                    w.t("pdf.services.continuity").to_owned(),
                    continuity.join(", "),
                ));
            }
            // Exit and continuity (DORA art. 28): what supports which
            // function, how hard it is to replace, and whether the exit is
            // planned; a critical function without an exit plan is said so.
            let name_of = |prefix: &str, value: &str| {
                crate::words::phrase(w.0, &format!("{prefix}.{value}")).to_owned()
            };
            let supported: Vec<String> = f
                .functions
                .iter()
                .map(|id| {
                    let function = report.functions.iter().find(|g| g.id == *id);
                    match function {
                        Some(g) if g.fields.criticality == supplier::Criticality::Critical => {
                            format!("{id} {} ({})", g.fields.name, w.t("criticality.critical"))
                        }
                        Some(g) => format!("{id} {}", g.fields.name),
                        None => id.clone(),
                    }
                })
                .collect();
            let mut exit = vec![
                format!(
                    "{}: {}",
                    w.t("field.functions"),
                    if supported.is_empty() {
                        w.t("functions.none").to_owned()
                    } else {
                        supported.join(", ")
                    }
                ),
                format!(
                    "{}: {}",
                    w.t("field.reliance"),
                    name_of("reliance", f.reliance.as_str())
                ),
                format!(
                    "{}: {}",
                    w.t("field.substitutability"),
                    name_of("substitutability", f.substitutability.as_str())
                ),
            ];
            if f.exit_plan {
                exit.push(format!("{}: {}", w.t("field.exit_plan"), w.yes_no(true)));
            } else if s.supports_critical_function {
                exit.push(w.t("pdf.services.no_exit_plan_critical").to_owned());
            } else {
                exit.push(format!("{}: {}", w.t("field.exit_plan"), w.yes_no(false)));
            }
            if !f.alternative_providers.trim().is_empty() {
                exit.push(format!(
                    "{}: {}",
                    w.t("field.alternative_providers"),
                    f.alternative_providers.trim()
                ));
            }
            facts.push((w.t("pdf.services.exit").to_owned(), exit.join("; ")));
            // The contract as assessed, and as of today.
            let today = report.generated.today();
            let mut contract = Vec::new();
            if !f.contract_reference.is_empty() {
                contract.push(f.contract_reference.clone());
            }
            if let Some(d) = f.contract_start {
                contract.push(format!("{} {d}", w.t("pdf.services.starts")));
            }
            if let Some(d) = f.contract_end {
                if d < today {
                    contract.push(format!(
                        "{} {d} ({})",
                        w.t("pdf.services.ended"),
                        w.t("pdf.services.ended_today")
                    ));
                } else {
                    contract.push(format!("{} {d}", w.t("pdf.services.ends")));
                }
            }
            if let Some(d) = f.renewal_date {
                contract.push(format!("{} {d}", w.t("pdf.services.renewal")));
            }
            if let Some(days) = f.notice_period_supplier_days {
                contract.push(w.say(
                    "pdf.services.notice_supplier",
                    &[("days", days.to_string())],
                ));
            }
            if let Some(days) = f.notice_period_customer_days {
                contract.push(w.say(
                    "pdf.services.notice_customer",
                    &[("days", days.to_string())],
                ));
            }
            if !f.governing_law_country.is_empty() {
                contract.push(format!(
                    "{}: {}",
                    w.t("field.governing_law_country"),
                    w.country(&f.governing_law_country)
                ));
            }
            if let Some(cost) = f.annual_cost {
                contract.push(format!(
                    "{}: {} {}",
                    w.t("field.annual_cost"),
                    crate::words::number(w.0, cost.unsigned_abs()),
                    f.currency
                ));
            }
            if !contract.is_empty() {
                facts.push((w.t("pdf.services.contract").to_owned(), contract.join("; ")));
            }
            facts.retain(|(_, v)| !v.is_empty());
            doc.facts(&facts);
        }
        // The risk register.
        let rows: Vec<Vec<Cell>> = sa
            .input
            .risks
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let inherent_band = band(&rules.bands, r.inherent.score());
                let residual_band = band(&rules.bands, r.residual.score());
                // A risk without an owner stands out (ISO/IEC 27001 6.1.2).
                let owner = if r.owner.is_empty() {
                    Cell::from(w.t("pdf.services.no_owner"))
                        .colour(colour::ALERT)
                        .bold()
                } else {
                    Cell::from(r.owner.clone())
                };
                vec![
                    // The label the heat map uses, above the dimension.
                    Cell::from(format!("R{}\n{}", i + 1, r.dimension.name_in(w.0))).bold(),
                    r.description.clone().into(),
                    owner,
                    Cell::from(rating_text(w, rules, r.inherent)).fill(band_colour(inherent_band)),
                    if r.controls.trim().is_empty() {
                        Cell::from(w.treatment(r.treatment))
                    } else {
                        Cell::from(format!("{}: {}", w.treatment(r.treatment), r.controls))
                    },
                    Cell::from(rating_text(w, rules, r.residual))
                        .fill(band_colour(residual_band))
                        .bold(),
                ]
            })
            .collect();
        // One size smaller than other tables: eight columns whose words
        // are not to be broken.
        let columns = [
            Column::new(w.t("step2.dimension"), 1.5),
            Column::new(w.t("step2.description"), 2.2),
            Column::new(w.t("step2.owner"), 2.2),
            Column::new(w.t("pdf.services.inherent_l_i"), 1.3),
            Column::new(w.t("pdf.services.treatment_and_controls"), 2.4),
            Column::new(w.t("pdf.services.residual_l_i"), 1.3),
        ];
        // The level, the risk table, its heat map and who accepted the
        // residual risk stay together on a page where they fit on one.
        doc.keep_together(30.0 + doc.table_height(&columns, &rows, 8.0) + HEAT_MAP_HEIGHT + 50.0);
        let level = sa.result.level.map_or_else(
            || w.t("pdf.services.not_rated").to_owned(),
            |l| w.band(l).to_owned(),
        );
        doc.paragraph_styled(
            &format!(
                "{}: {level}",
                w.t("pdf.services.risk_level_highest_residual")
            ),
            10.0,
            crate::report::pdf::Weight::Bold,
            sa.result.level.map_or(colour::TEXT, |l| {
                if l >= RiskBand::High {
                    colour::ALERT
                } else {
                    colour::TEXT
                }
            }),
        );

        doc.table_sized(&columns, &rows, 8.0);
        let marks: Vec<HeatMark> = sa
            .input
            .risks
            .iter()
            .enumerate()
            .map(|(i, r)| HeatMark {
                label: format!("R{}", i + 1),
                inherent: (r.inherent.likelihood, r.inherent.impact),
                residual: (r.residual.likelihood, r.residual.impact),
            })
            .collect();
        if !marks.is_empty() {
            doc.heat_map(
                &marks,
                |score| band_colour(band(&rules.bands, score)),
                w.t("pdf.services.likelihood"),
                w.t("pdf.services.impact"),
                &format!(
                    "{}\n{}",
                    w.say("pdf.services.heat_map_of", &[("service", name.clone())]),
                    w.t("pdf.services.each_risk_moves_from_its_inherent")
                ),
            );
        }
        acceptance(doc, w, report, a, sa);

        // The contract requirements.
        doc.subheading(&w.say(
            "pdf.services.requirements_at_level",
            &[("level", level.to_string())],
        ));
        if sa.result.mandatory.is_empty() {
            doc.note(w.t("pdf.services.no_requirement_is_mandatory_until_the"));
        } else {
            let rows: Vec<Vec<Cell>> = sa
                .result
                .mandatory
                .iter()
                .map(|key| {
                    let mark = sa.input.requirements.iter().find(|m| &m.key == key);
                    let status = mark.map(|m| m.status);
                    let status_colour = match status {
                        Some(RequirementStatus::InContract) => colour::GOOD,
                        Some(RequirementStatus::NotApplicable) => colour::MUTED,
                        _ => colour::ALERT,
                    };
                    vec![
                        w.requirement(rules, key).into(),
                        Cell::from(w.requirement_status(status))
                            .colour(status_colour)
                            .bold(),
                        mark.map(|m| m.justification.clone())
                            .unwrap_or_default()
                            .into(),
                    ]
                })
                .collect();
            doc.table(
                &[
                    Column::new(w.t("step2.requirement"), 5.0),
                    Column::new(w.t("step2.status"), 1.8),
                    Column::new(w.t("resolution.justification"), 3.0),
                ],
                &rows,
            );
        }

        // The transfer rules.
        let transfer = &sa.result.transfer;
        doc.paragraph_styled(
            &format!(
                "{}: {}",
                w.t("pdf.services.transfer_rules"),
                w.verdict(transfer.verdict)
            ),
            10.0,
            crate::report::pdf::Weight::Bold,
            match transfer.verdict {
                Verdict::Allowed => colour::GOOD,
                Verdict::Safeguards => colour::TEXT,
                Verdict::Forbidden => colour::ALERT,
            },
        );
        let fired: Vec<String> = transfer.fired.iter().map(|f| w.fired_rule(f)).collect();
        doc.bullets(&fired);
        if transfer.verdict == Verdict::Safeguards {
            doc.facts(&[
                (
                    w.t("pdf.services.standard_contractual_clauses").to_owned(),
                    w.yes_no(sa.input.standard_contractual_clauses).to_owned(),
                ),
                (
                    w.t("pdf.services.transfer_impact_assessment").to_owned(),
                    w.yes_no(sa.input.transfer_impact_assessment).to_owned(),
                ),
            ]);
        }
        let blocking: Vec<String> = sa
            .result
            .blocking
            .iter()
            .map(|b| w.blocking(rules, b))
            .collect();
        if !blocking.is_empty() {
            doc.paragraph_styled(
                w.t("pdf.services.blocks_approval"),
                9.5,
                crate::report::pdf::Weight::Bold,
                colour::ALERT,
            );
            doc.bullets(&blocking);
        }
    }
    if let Some(summary) = &report.summary {
        if !summary.services_not_assessed.is_empty() {
            doc.paragraph(&format!(
                "{} {}",
                w.t("pdf.services.not_assessed_in_step_2_yet"),
                summary.services_not_assessed.join(", ")
            ));
        }
    }
}

/// Who accepted which residual risk (DOMAIN §4, §7): the decision that
/// stands accepts every residual risk of the content it signed, a risk
/// treated by accepting it as it is; without one, nobody has yet.
fn acceptance(
    doc: &mut Doc,
    w: Words,
    report: &AssessmentReport,
    assessment: &crate::assessment::workflow::Assessment,
    sa: &crate::assessment::workflow::ServiceAssessment,
) {
    if sa.input.risks.is_empty() {
        return;
    }
    let rules = &report.rules;
    let risks: Vec<String> = sa
        .input
        .risks
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let score = r.residual.score();
            let level = w.band(band(&rules.bands, score));
            if r.treatment == crate::assessment::workflow::Treatment::Accept {
                w.say(
                    "pdf.services.accepted_as_it_is",
                    &[
                        ("risk", format!("R{}", i + 1)),
                        ("level", level.to_owned()),
                        ("score", score.to_string()),
                    ],
                )
            } else {
                format!("R{} {level} ({score})", i + 1)
            }
        })
        .collect();
    let risks = risks.join(", ");
    let decision =
        super::standing(assessment).filter(|d| d.decision != crate::approval::Decision::Reject);
    let text = match decision {
        Some(d) => w.say(
            "pdf.services.residual_accepted_by",
            &[
                ("risks", risks),
                ("name", d.decider_name.clone()),
                ("capacity", w.capacity(d.capacity).to_owned()),
                ("at", super::utc(&d.decided_at)),
                (
                    "key",
                    d.signature.as_ref().map_or_else(
                        || w.t("pdf.services.unsigned").to_owned(),
                        |s| s.key_id.clone(),
                    ),
                ),
            ],
        ),
        None => w.say("pdf.services.residual_not_accepted", &[("risks", risks)]),
    };
    doc.paragraph_styled(
        &text,
        crate::report::pdf::BODY,
        crate::report::pdf::Weight::Regular,
        if decision.is_some() {
            colour::TEXT
        } else {
            colour::ALERT
        },
    );
}
