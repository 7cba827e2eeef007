//! Step 1: the supplier organisation's criteria, ratings and evidence.

use super::{utc, AssessmentReport};
use crate::assessment::risk::{band, Rating};
use crate::report::pdf::{colour, Cell, Column, Doc};
use crate::report::Words;
use crate::rules::RuleSet;
use crate::settings::Language;
use crate::supplier;

pub(super) fn section(doc: &mut Doc, w: Words, report: &AssessmentReport) {
    doc.heading(w.t("pdf.step1.3_step_1_the_organisation"));
    ratings(doc, w, report);
    questionnaire(doc, w, report);
}

/// The ratings of the latest assessment, their total and outcome.
fn ratings(doc: &mut Doc, w: Words, report: &AssessmentReport) {
    let Some(a) = &report.assessment else {
        doc.note(w.t("pdf.decisions.no_assessment_yet"));
        return;
    };
    let Some(input) = &a.step1 else {
        doc.note(w.t("pdf.step1.step_1_is_not_rated_yet"));
        return;
    };
    let rules = &report.rules;
    let evidence_name = |id: &supplier::EvidenceId| {
        report
            .detail
            .evidence
            .iter()
            .find(|e| e.id == *id)
            .map_or_else(
                || id.to_string(),
                |e| {
                    if e.fields.title.is_empty() {
                        w.evidence_kind(e.fields.kind).to_owned()
                    } else {
                        e.fields.title.clone()
                    }
                },
            )
    };
    // A rating of 3 says "verified by independent evidence": one that
    // names no evidence (no note, no linked item) is flagged, not hidden.
    let mut unsupported = 0;
    let rows: Vec<Vec<Cell>> = rules
        .criteria
        .iter()
        .map(|c| {
            let rating = input.ratings.get(&c.key).copied();
            // The scale above says what each rating means; a row repeats
            // the meaning only where this rule set words it otherwise.
            let defaults = crate::rules::default_anchors(&c.key);
            let reworded = rating.and_then(|r| {
                let r = usize::from(r);
                let (anchors, default) = match w.0 {
                    Language::Sv => (&c.anchors_sv, defaults.as_ref().map(|d| &d.1)),
                    Language::En => (&c.anchors_en, defaults.as_ref().map(|d| &d.0)),
                };
                let anchor = anchors.get(r)?;
                (default.and_then(|d| d.get(r)) != Some(anchor)).then(|| anchor.clone())
            });
            let mut note = input.notes.get(&c.key).cloned().unwrap_or_default();
            if let Some(items) = input.evidence.get(&c.key).filter(|v| !v.is_empty()) {
                let names: Vec<String> = items.iter().map(evidence_name).collect();
                if !note.is_empty() {
                    note.push('\n');
                }
                note.push_str(&format!(
                    "{} {}",
                    w.t("pdf.step1.evidence"),
                    names.join(", ")
                ));
            }
            let rating_cell =
                Cell::from(rating.map_or_else(|| "–".to_owned(), |r| format!("{r} / 3"))).bold();
            let rating_cell = match rating {
                Some(0) => rating_cell.colour(colour::ALERT),
                _ => rating_cell,
            };
            let unsupported_here = rating == Some(3) && note.trim().is_empty();
            if unsupported_here {
                unsupported += 1;
                note = w.t("pdf.step1.no_evidence_for_3").to_owned();
            }
            if let Some(anchor) = reworded {
                let meaning = format!("{} {anchor}", w.t("pdf.step1.meaning_in_this_rule_set"));
                note = if note.is_empty() {
                    meaning
                } else {
                    format!("{meaning}\n{note}")
                };
            }
            let note = if unsupported_here {
                Cell::from(note).colour(colour::ALERT).bold()
            } else {
                note.into()
            };
            vec![
                Cell::from(w.pick(&c.title_en, &c.title_sv).to_owned()).bold(),
                rating_cell,
                note,
            ]
        })
        .collect();
    // The meanings once, for every criterion.
    let scale = match w.0 {
        Language::Sv => crate::rules::RATING_SCALE_SV,
        Language::En => crate::rules::RATING_SCALE_EN,
    };
    let legend: Vec<(String, String)> = (0..scale.len())
        .rev()
        .map(|r| (format!("{r} / 3"), scale[r].to_owned()))
        .collect();
    // The scale, the table's header and its first row on one page.
    doc.keep_together(doc.facts_height(&legend) + 96.0);
    doc.subheading(w.t("pdf.step1.rating_scale"));
    doc.facts(&legend);
    doc.table(
        &[
            Column::new(w.t("pdf.step1.criterion"), 3.4),
            Column::new(w.t("pdf.step1.rating"), 0.8),
            Column::new(w.t("step1.note"), 5.6),
        ],
        &rows,
    );
    let mut facts = Vec::new();
    if unsupported > 0 {
        facts.push((
            w.t("pdf.step1.unsupported").to_owned(),
            w.say(
                "pdf.step1.unsupported_count",
                &[("count", unsupported.to_string())],
            ),
        ));
    }
    if let Some(result) = &a.step1_result {
        let percent = (result.total * 100)
            .checked_div(result.maximum)
            .unwrap_or(0);
        facts.push((
            w.t("pdf.step1.total").to_owned(),
            format!(
                "{} / {} ({percent} %; {} {} %)",
                result.total,
                result.maximum,
                w.t("pdf.step1.escalation_below"),
                rules.step1.min_total_percent
            ),
        ));
    }
    facts.push((
        w.t("pdf.step1.compensating_controls").to_owned(),
        if input.compensating_controls.is_empty() {
            w.t("pdf.step1.none_documented").to_owned()
        } else {
            input.compensating_controls.clone()
        },
    ));
    // The figures stay with the outcome they lead to.
    doc.keep_together(doc.facts_height(&facts) + 10.5 * 2.0);
    doc.facts(&facts);
    if let Some(result) = &a.step1_result {
        let outcome_colour = match result.outcome {
            crate::assessment::step1::Step1Outcome::Approved => colour::GOOD,
            _ => colour::ALERT,
        };
        doc.paragraph_styled(
            &format!(
                "{}: {}",
                w.t("pdf.step1.outcome"),
                w.outcome(result.outcome)
            ),
            10.5,
            crate::report::pdf::Weight::Bold,
            outcome_colour,
        );
        let reasons: Vec<String> = result
            .reasons
            .iter()
            .map(|r| w.step1_reason(rules, r))
            .collect();
        doc.bullets(&reasons);
        if !result.certification.is_empty() {
            doc.paragraph(w.t("pdf.step1.the_certification_or_attestation_criterion_1"));
            let findings: Vec<String> = result
                .certification
                .iter()
                .map(|f| w.certification_finding(f))
                .collect();
            doc.bullets(&findings);
        }
    }
    if let Some(r) = &a.resolution {
        doc.paragraph(&format!(
            "{} {} ({}): {}. {} {}",
            w.t("pdf.step1.escalation_resolved_by"),
            r.resolver,
            utc(&r.at),
            w.outcome(r.decision),
            w.t("pdf.organisation.justification"),
            r.justification
        ));
    }
}

/// The questionnaire the ratings drew on: when it was sent and returned,
/// the file kept, and each criterion's questions with the answers given.
fn questionnaire(doc: &mut Doc, w: Words, report: &AssessmentReport) {
    let Some(q) = &report.questionnaire else {
        return;
    };
    let Some(returned) = &q.returned else {
        return;
    };
    let facts = vec![
        (
            w.t("pdf.questionnaire.sent").to_owned(),
            w.say(
                "pdf.questionnaire.sent_by",
                &[
                    ("date", q.sent_at.date_naive().to_string()),
                    ("by", q.sent_by.clone()),
                    ("deadline", q.deadline.to_string()),
                    ("version", q.rule_set_version.to_string()),
                ],
            ),
        ),
        (
            w.t("pdf.questionnaire.returned").to_owned(),
            w.say(
                "pdf.questionnaire.returned_by",
                &[
                    ("date", returned.returned_at.date_naive().to_string()),
                    ("by", returned.returned_by.clone()),
                    ("answers", q.answers.len().to_string()),
                    ("questions", q.questions.len().to_string()),
                ],
            ),
        ),
        (
            w.t("pdf.questionnaire.file").to_owned(),
            format!(
                "{}\nSHA-256 {}",
                returned.file.file_name, returned.file.sha256
            ),
        ),
    ];
    doc.keep_together(doc.facts_height(&facts) + 60.0);
    doc.subheading(w.t("pdf.questionnaire.heading"));
    doc.facts(&facts);
    let rules = &report.rules;
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    for criterion in &rules.criteria {
        let mut first = true;
        for question in q.questions.iter().filter(|x| x.criterion == criterion.key) {
            let answer = match q.answer(&question.id) {
                None => {
                    Cell::from(w.t("questionnaire.unanswered").to_owned()).colour(colour::MUTED)
                }
                Some(value) if question.kind == crate::rules::AnswerKind::YesNoPartly => {
                    Cell::from(w.t(&format!("questionnaire.choice.{value}")).to_owned()).bold()
                }
                Some(value) => Cell::from(value.to_owned()).bold(),
            };
            rows.push(vec![
                if first {
                    Cell::from(w.pick(&criterion.title_en, &criterion.title_sv).to_owned()).bold()
                } else {
                    Cell::from(String::new())
                },
                Cell::from(format!(
                    "{} {}",
                    question.id,
                    w.pick(&question.text_en, &question.text_sv)
                )),
                answer,
            ]);
            first = false;
        }
    }
    doc.table(
        &[
            Column::new(w.t("pdf.step1.criterion"), 2.6),
            Column::new(w.t("pdf.questionnaire.question"), 4.8),
            Column::new(w.t("pdf.questionnaire.answer"), 2.4),
        ],
        &rows,
    );
}

pub(super) fn rating_text(w: Words, rules: &RuleSet, rating: Rating) -> String {
    let score = rating.score();
    format!(
        "{}×{} = {score} {}",
        rating.likelihood,
        rating.impact,
        w.band(band(&rules.bands, score))
    )
}
