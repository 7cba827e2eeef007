//! The assessment report of one supplier (DOMAIN §10.1): the summary, the
//! supplier and its jurisdiction with the exposure reasoning, step 1, each
//! service's risk register, heat map, contract requirements and transfer
//! rules, the decisions with their fingerprints, the review history, and an
//! excerpt of the audit trail.

mod decisions;
mod organisation;
mod services;
mod step1;
mod summary;

use super::pdf::{colour, Doc, Rgb};
use super::{Generated, Rendered, ReportKind, Words};
use crate::approval::{self, ApprovalRecord};
use crate::assessment::workflow::{self, Assessment, Summary};
use crate::audit::{self, LogEntry};
use crate::error::Result;
use crate::review::{self, FollowUp};
use crate::rules::{self, RiskBand, RuleSet};
use crate::settings::Language;
use crate::store::sql::Connection;
use crate::store::Db;
use crate::supplier::{self, SupplierDetail, SupplierId};
use serde::Serialize;

/// How many of the latest audit entries the report shows.
pub const AUDIT_EXCERPT: usize = 40;

/// Everything the assessment report says.
#[derive(Debug, Clone, Serialize)]
pub struct AssessmentReport {
    pub generated: Generated,
    pub detail: SupplierDetail,
    /// The latest assessment, if any.
    pub assessment: Option<Assessment>,
    pub summary: Option<Summary>,
    /// The fingerprint of the latest assessment's content as it is now.
    pub content_fingerprint: Option<String>,
    /// The rule set the assessment was made under (the current one when none).
    pub rule_set_version: Option<u32>,
    pub rules: RuleSet,
    pub follow_up: FollowUp,
    /// The organisation's business functions, for the functions each
    /// service supports.
    pub functions: Vec<supplier::BusinessFunction>,
    /// The returned questionnaire the latest assessment draws on (DOMAIN
    /// §13), with the answers beside the criteria they inform.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub questionnaire: Option<crate::questionnaire::Questionnaire>,
    /// Earlier assessments, newest first.
    pub earlier: Vec<Assessment>,
    /// The latest audit entries about the supplier, newest first.
    pub audit: Vec<LogEntry>,
    /// How many entries there are about the supplier in all.
    pub audit_total: usize,
}

/// Reads the assessment report of a supplier, in one read transaction.
pub fn model(db: &Db, supplier_id: SupplierId, language: Language) -> Result<AssessmentReport> {
    let generated = Generated::now(db, language);
    db.read(|conn| {
        let detail = supplier::detail_in(conn, supplier_id)?;
        let mut assessments = workflow::of_supplier_in(conn, supplier_id)?;
        let latest = (!assessments.is_empty()).then(|| assessments.remove(0));
        let summary = latest
            .as_ref()
            .map(|a| workflow::summary_in(conn, a.id))
            .transpose()?;
        let content_fingerprint = latest.as_ref().map(approval::fingerprint).transpose()?;
        let (rule_set_version, rules) = match &latest {
            Some(a) => (
                Some(a.rule_set_version),
                rules::get(conn, a.rule_set_version)?,
            ),
            None => match rules::current(conn) {
                Ok(stored) => (Some(stored.version), stored.rules),
                Err(_) => (None, rules::default_rule_set()),
            },
        };
        let follow_up = review::follow_up_in(conn, supplier_id)?;
        let questionnaire = crate::questionnaire::drawn_on_in(conn, supplier_id, latest.as_ref())?;
        let sent = crate::questionnaire::of_supplier_in(conn, supplier_id)?
            .into_iter()
            .map(|q| q.id.to_string())
            .collect();
        let (audit, audit_total) = audit_excerpt(
            conn,
            &detail,
            latest.iter().chain(&assessments),
            &follow_up,
            sent,
        )?;
        Ok(AssessmentReport {
            generated,
            detail,
            assessment: latest,
            summary,
            content_fingerprint,
            rule_set_version,
            rules,
            follow_up,
            functions: supplier::functions::functions_in(conn)?,
            questionnaire,
            earlier: assessments,
            audit,
            audit_total,
        })
    })
}
/// The trail's entries about the supplier and everything that belongs to
/// it, newest first: the latest [`AUDIT_EXCERPT`], and how many there are.
fn audit_excerpt<'a>(
    conn: &Connection,
    detail: &SupplierDetail,
    assessments: impl Iterator<Item = &'a Assessment>,
    follow_up: &FollowUp,
    questionnaires: Vec<String>,
) -> Result<(Vec<LogEntry>, usize)> {
    let supplier = detail.supplier.id.to_string();
    let mut keys: Vec<(&str, String)> = vec![
        ("supplier", supplier.clone()),
        ("report.assessment", supplier),
    ];
    let ids = |entity: &'static str, ids: Vec<String>| ids.into_iter().map(move |id| (entity, id));
    keys.extend(ids(
        "service",
        detail.services.iter().map(|s| s.id.to_string()).collect(),
    ));
    keys.extend(ids(
        "subcontractor",
        detail
            .subcontractors
            .iter()
            .map(|s| s.id.to_string())
            .collect(),
    ));
    keys.extend(ids(
        "evidence",
        detail.evidence.iter().map(|e| e.id.to_string()).collect(),
    ));
    keys.extend(ids(
        "follow_up_event",
        follow_up.events.iter().map(|e| e.id.to_string()).collect(),
    ));
    keys.extend(ids(
        "sla_record",
        follow_up
            .sla_records
            .iter()
            .map(|r| r.id.to_string())
            .collect(),
    ));
    // A questionnaire's sending and each return (its answers are in the trail too).
    keys.extend(ids("questionnaire", questionnaires));
    let mut parents = Vec::new();
    for a in assessments {
        keys.push(("assessment", a.id.to_string()));
        keys.extend(a.decisions.iter().map(|d| ("approval", d.id.to_string())));
        parents.push(a.id.to_string());
    }
    // Rows of a service within an assessment are keyed `assessment/service`.
    audit::about(
        conn,
        &keys,
        &["service_assessment", "reevaluation"],
        &parents,
        AUDIT_EXCERPT,
    )
}

/// "2026-11-22T10:03:00Z" as "2026-11-22 10:03 UTC".
pub(crate) fn utc(text: &str) -> String {
    match chrono::DateTime::parse_from_rfc3339(text) {
        Ok(t) => t
            .with_timezone(&chrono::Utc)
            .format("%Y-%m-%d %H:%M UTC")
            .to_string(),
        Err(_) => text.to_owned(),
    }
}

/// The colour of a risk band on the page.
pub(crate) fn band_colour(band: RiskBand) -> Rgb {
    match band {
        RiskBand::Low => colour::LOW,
        RiskBand::Medium => colour::MEDIUM,
        RiskBand::High => colour::HIGH,
        RiskBand::Critical => colour::CRITICAL,
    }
}

/// Renders the report.
pub fn render(report: &AssessmentReport) -> Result<Rendered> {
    render_with(report, None)
}

/// Renders the report and tells `transcript` its content block by block
/// (the benchmark writes it as HTML for a browser to print).
pub fn render_transcribed(
    report: &AssessmentReport,
    transcript: Box<dyn super::pdf::Transcript>,
) -> Result<Rendered> {
    render_with(report, Some(transcript))
}

fn render_with(
    report: &AssessmentReport,
    transcript: Option<Box<dyn super::pdf::Transcript>>,
) -> Result<Rendered> {
    let w = Words(report.generated.language);
    let fingerprint = super::fingerprint(report)?;
    let supplier = &report.detail.supplier;
    let name = &supplier.fields.legal_name;
    let title = format!("{} – {name}", w.t("pdf.report.supplier_assessment_report"));
    let mut doc = Doc::new(super::frame(
        w,
        &report.generated,
        &title,
        w.t("pdf.report.confidential"),
        &fingerprint,
    ));
    if let Some(transcript) = transcript {
        doc = doc.with_transcript(transcript);
    }
    let subtitle = match &report.assessment {
        Some(a) => w.say(
            "pdf.report.subtitle_assessed",
            &[
                ("registration", registration(report).to_string()),
                ("on", a.assessed_on.to_string()),
                ("assessor", a.assessor.to_string()),
                ("version", a.rule_set_version.to_string()),
            ],
        ),
        None => format!(
            "{} · {}",
            registration(report),
            w.t("pdf.report.not_assessed_yet")
        ),
    };
    // On the page, the supplier's name on a line of its own: a long name
    // is not broken after the report's kind.
    doc.title(
        &format!("{}\n{name}", w.t("pdf.report.supplier_assessment_report")),
        &subtitle,
    );

    summary::section(&mut doc, w, report);
    organisation::section(&mut doc, w, report);
    step1::section(&mut doc, w, report);
    services::section(&mut doc, w, report);
    decisions::decisions(&mut doc, w, report);
    decisions::history(&mut doc, w, report);
    decisions::audit(&mut doc, w, report);

    let pages = doc.page_count();
    let date = report.generated.today();
    let bytes = doc.finish(&super::meta(
        &report.generated,
        &title,
        w.t("pdf.report.two_step_supplier_assessment_organisation_services"),
        &fingerprint,
    ));
    Ok(Rendered {
        kind: ReportKind::Assessment,
        bytes,
        fingerprint,
        pages,
        file_name: format!("Tillit-assessment-{}-{date}.pdf", super::file_part(name)),
    })
}

pub(super) fn registration(report: &AssessmentReport) -> String {
    let f = &report.detail.supplier.fields;
    if f.registration_number.is_empty() {
        f.country_of_incorporation.clone()
    } else {
        format!("{} ({})", f.registration_number, f.country_of_incorporation)
    }
}

/// The decision that stands, as the core decides it.
pub(super) fn standing(assessment: &Assessment) -> Option<&ApprovalRecord> {
    assessment.standing_decision()
}

pub(super) fn highest_level(summary: &Summary) -> Option<RiskBand> {
    summary.services.iter().filter_map(|s| s.level).max()
}
