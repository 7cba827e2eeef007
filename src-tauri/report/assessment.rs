//! The assessment report of one supplier (DOMAIN §10.1): the summary, the
//! supplier and its jurisdiction with the exposure reasoning, step 1, each
//! service's risk register, heat map, contract requirements and transfer
//! rules, the decisions with their fingerprints, the review history, and an
//! excerpt of the audit trail.

use super::pdf::{colour, Cell, Column, Doc, HeatMark, Rgb};
use super::{Generated, Rendered, ReportKind, Words};
use crate::approval::{self, ApprovalRecord};
use crate::assessment::risk::{band, Rating};
use crate::assessment::workflow::{self, Assessment, RequirementStatus, Summary};
use crate::audit::LogEntry;
use crate::error::Result;
use crate::review::{self, FollowUp};
use crate::rules::{self, RiskBand, RuleSet, Verdict};
use crate::settings::Language;
use crate::store::Db;
use crate::supplier::{self, SupplierDetail, SupplierId};
use rusqlite::Connection;
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
        let (audit, audit_total) =
            audit_excerpt(conn, &detail, latest.iter().chain(&assessments), &follow_up)?;
        Ok(AssessmentReport {
            generated,
            detail,
            assessment: latest,
            summary,
            content_fingerprint,
            rule_set_version,
            rules,
            follow_up,
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
) -> Result<(Vec<LogEntry>, usize)> {
    let mut keys: Vec<(&str, String)> = vec![("supplier", detail.supplier.id.to_string())];
    keys.push(("report.assessment", detail.supplier.id.to_string()));
    keys.extend(
        detail
            .services
            .iter()
            .map(|s| ("service", s.id.to_string())),
    );
    keys.extend(
        detail
            .subcontractors
            .iter()
            .map(|s| ("subcontractor", s.id.to_string())),
    );
    keys.extend(
        detail
            .evidence
            .iter()
            .map(|e| ("evidence", e.id.to_string())),
    );
    keys.extend(
        follow_up
            .events
            .iter()
            .map(|e| ("follow_up_event", e.id.to_string())),
    );
    keys.extend(
        follow_up
            .sla_records
            .iter()
            .map(|r| ("sla_record", r.id.to_string())),
    );
    let mut prefixes = Vec::new();
    for a in assessments {
        keys.push(("assessment", a.id.to_string()));
        keys.extend(a.decisions.iter().map(|d| ("approval", d.id.to_string())));
        prefixes.push(format!("{}/", a.id));
    }
    let mut seqs: Vec<i64> = Vec::new();
    {
        let mut exact =
            conn.prepare_cached("SELECT seq FROM audit_log WHERE entity = ?1 AND entity_id = ?2")?;
        for (entity, id) in &keys {
            let found = exact.query_map(rusqlite::params![entity, id], |r| r.get(0))?;
            for seq in found {
                seqs.push(seq?);
            }
        }
        // Rows keyed by assessment and service (`assessment/service`).
        let mut ranged = conn.prepare_cached(
            "SELECT seq FROM audit_log WHERE entity IN ('service_assessment', 'reevaluation')
             AND entity_id >= ?1 AND entity_id < ?2",
        )?;
        for prefix in &prefixes {
            let end = format!("{}0", prefix.trim_end_matches('/'));
            let found = ranged.query_map(rusqlite::params![prefix, end], |r| r.get(0))?;
            for seq in found {
                seqs.push(seq?);
            }
        }
    }
    seqs.sort_unstable_by(|a, b| b.cmp(a));
    seqs.dedup();
    let total = seqs.len();
    let mut statement = conn.prepare_cached(&format!(
        "SELECT {} FROM audit_log WHERE seq = ?1",
        crate::audit::log::COLUMNS
    ))?;
    let entries = seqs
        .iter()
        .take(AUDIT_EXCERPT)
        .map(|seq| statement.query_row([seq], crate::audit::log::entry))
        .collect::<rusqlite::Result<_>>()?;
    Ok((entries, total))
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
    let title = format!(
        "{} – {name}",
        w.t("Supplier assessment report", "Leverantörsbedömning")
    );
    let mut doc = Doc::new(super::frame(
        w,
        &report.generated,
        &title,
        w.t("CONFIDENTIAL", "KONFIDENTIELL"),
        &fingerprint,
    ));
    if let Some(transcript) = transcript {
        doc = doc.with_transcript(transcript);
    }
    let subtitle = match &report.assessment {
        Some(a) => match w.0 {
            Language::En => format!(
                "{} · assessed {} by {} under rule set version {}",
                registration(report),
                a.assessed_on,
                a.assessor,
                a.rule_set_version
            ),
            Language::Sv => format!(
                "{} · bedömd {} av {} enligt regelverk version {}",
                registration(report),
                a.assessed_on,
                a.assessor,
                a.rule_set_version
            ),
        },
        None => format!(
            "{} · {}",
            registration(report),
            w.t("not assessed yet", "inte bedömd ännu")
        ),
    };
    doc.title(&title, &subtitle);

    summary_section(&mut doc, w, report);
    supplier_section(&mut doc, w, report);
    step1_section(&mut doc, w, report);
    services_section(&mut doc, w, report);
    decisions_section(&mut doc, w, report);
    history_section(&mut doc, w, report);
    audit_section(&mut doc, w, report);

    let pages = doc.page_count();
    let date = report.generated.today();
    let bytes = doc.finish(&super::meta(
        &report.generated,
        &title,
        w.t(
            "Two-step supplier assessment: organisation, services, contract, transfers, approval and follow-up",
            "Leverantörsbedömning i två steg: organisation, tjänster, avtal, överföringar, godkännande och uppföljning",
        ),
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

fn registration(report: &AssessmentReport) -> String {
    let f = &report.detail.supplier.fields;
    if f.registration_number.is_empty() {
        f.country_of_incorporation.clone()
    } else {
        format!("{} ({})", f.registration_number, f.country_of_incorporation)
    }
}

/// The decision that stands, as the core decides it.
fn standing(assessment: &Assessment) -> Option<&ApprovalRecord> {
    assessment.standing_decision()
}

fn highest_level(summary: &Summary) -> Option<RiskBand> {
    summary.services.iter().filter_map(|s| s.level).max()
}

fn summary_section(doc: &mut Doc, w: Words, report: &AssessmentReport) {
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
                super::pdf::Weight::Bold,
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

fn supplier_section(doc: &mut Doc, w: Words, report: &AssessmentReport) {
    let f = &report.detail.supplier.fields;
    doc.heading(w.t(
        "2. Supplier and jurisdiction",
        "2. Leverantör och jurisdiktion",
    ));
    let mut facts: Vec<(String, String)> = vec![
        (
            w.t("Legal name", "Juridiskt namn").into(),
            f.legal_name.clone(),
        ),
        (
            w.t("Registration number", "Organisationsnummer").into(),
            f.registration_number.clone(),
        ),
        ("LEI".into(), f.lei.clone()),
        ("EUID".into(), f.euid.clone()),
        (
            w.t("VAT number", "Momsregistreringsnummer").into(),
            f.vat_number.clone(),
        ),
        (
            w.t("Incorporated in", "Registrerat i").into(),
            w.country(&f.country_of_incorporation),
        ),
        (
            w.t("Headquartered in", "Huvudkontor i").into(),
            w.country(&f.country_of_headquarters),
        ),
    ];
    if !f.parent_name.is_empty() {
        let mut parent = f.parent_name.clone();
        if !f.parent_identifier.is_empty() {
            parent.push_str(&format!(" ({})", f.parent_identifier));
        }
        if !f.parent_country.is_empty() {
            parent.push_str(&format!(", {}", w.country(&f.parent_country)));
        }
        facts.push((w.t("Ultimate parent", "Yttersta moderbolag").into(), parent));
    }
    facts.extend([
        (w.t("Website", "Webbplats").into(), f.website.clone()),
        (
            w.t("Supplier contact", "Kontaktperson hos leverantören")
                .into(),
            [f.contact_name.as_str(), f.contact_email.as_str()]
                .iter()
                .filter(|s| !s.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(", "),
        ),
        (
            w.t("Relationship owner", "Ansvarig hos oss").into(),
            f.internal_owner.clone(),
        ),
        (
            w.t(
                "EU–US Data Privacy Framework",
                "EU–US Data Privacy Framework",
            )
            .into(),
            w.yes_no(f.dpf_certified).into(),
        ),
    ]);
    facts.retain(|(_, v)| !v.is_empty());
    doc.facts(&facts);

    doc.subheading(w.t(
        "Exposure to foreign access law (US CLOUD Act)",
        "Exponering för utländsk lagstiftning (amerikanska CLOUD Act)",
    ));
    let exposure = &report.detail.exposure;
    doc.paragraph(if exposure.derived {
        w.t(
            "Derived from the supply chain: the supplier's services are exposed, because:",
            "Härlett ur leveranskedjan: leverantörens tjänster är exponerade, eftersom:",
        )
    } else {
        w.t(
            "Derived from the supply chain: not exposed. No entity of the supply chain is incorporated or headquartered in an exposing jurisdiction.",
            "Härlett ur leveranskedjan: inte exponerade. Inget bolag i leveranskedjan är registrerat eller har huvudkontor i en exponerande jurisdiktion.",
        )
    });
    let reasons: Vec<String> = exposure
        .reasons
        .iter()
        .map(|r| w.exposure_reason(r))
        .collect();
    doc.bullets(&reasons);
    if let Some(o) = &exposure.override_ {
        doc.paragraph(&format!(
            "{} {}. {} {}",
            w.t(
                "An officer overrode the derivation:",
                "En handläggare har gjort avsteg från härledningen:"
            ),
            if o.exposed {
                w.t("exposed", "exponerad")
            } else {
                w.t("not exposed", "inte exponerad")
            },
            w.t("Justification:", "Motivering:"),
            o.justification
        ));
    }
    doc.note(w.t(
        "Where the data is stored does not matter: storing data in the EU does not remove the exposure.",
        "Var data lagras spelar ingen roll: att data lagras inom EU tar inte bort exponeringen.",
    ));

    if !report.detail.subcontractors.is_empty() {
        doc.subheading(w.t("Subcontractors", "Underleverantörer"));
        let rows: Vec<Vec<Cell>> = report
            .detail
            .subcontractors
            .iter()
            .map(|s| {
                vec![
                    s.fields.name.clone().into(),
                    w.country(&s.fields.country).into(),
                    s.fields.role.clone().into(),
                    w.yes_no(s.fields.stores_data).into(),
                    w.yes_no(s.fields.accesses_data).into(),
                ]
            })
            .collect();
        doc.table(
            &[
                Column::new(w.t("Name", "Namn"), 3.0),
                Column::new(w.t("Country", "Land"), 2.0),
                Column::new(w.t("Role", "Roll"), 3.0),
                Column::new(w.t("Stores our data", "Lagrar vår data"), 1.2),
                Column::new(w.t("Accesses our data", "Når vår data"), 1.2),
            ],
            &rows,
        );
    }

    doc.subheading(w.t(
        "Certificates and assurance reports",
        "Certifikat och granskningsrapporter",
    ));
    if report.detail.evidence.is_empty() {
        doc.note(w.t("None registered.", "Inga registrerade."));
    } else {
        let on = report
            .assessment
            .as_ref()
            .map_or_else(|| report.generated.today(), |a| a.assessed_on);
        let rows: Vec<Vec<Cell>> = report
            .detail
            .evidence
            .iter()
            .map(|e| {
                let valid = e.is_valid_on(on);
                let kind = if e.fields.title.is_empty() {
                    w.evidence_kind(e.fields.kind).to_owned()
                } else {
                    format!("{} – {}", w.evidence_kind(e.fields.kind), e.fields.title)
                };
                let period = format!(
                    "{} – {}",
                    e.fields
                        .valid_from
                        .map(|d| d.to_string())
                        .unwrap_or_default(),
                    e.fields
                        .valid_until
                        .map(|d| d.to_string())
                        .unwrap_or_default()
                );
                let file = e.file.as_ref().map_or_else(String::new, |f| {
                    format!(
                        "{} (SHA-256 {}…)",
                        f.file_name,
                        f.sha256.get(..12).unwrap_or(&f.sha256)
                    )
                });
                vec![
                    kind.into(),
                    e.fields.issuer.clone().into(),
                    e.fields.scope.clone().into(),
                    period.into(),
                    Cell::from(if valid { "✓" } else { "✗" })
                        .colour(if valid { colour::GOOD } else { colour::ALERT })
                        .bold(),
                    file.into(),
                ]
            })
            .collect();
        let valid_title = match w.0 {
            Language::En => format!("Valid on {on}"),
            Language::Sv => format!("Giltig {on}"),
        };
        doc.table(
            &[
                Column::new(w.t("Kind", "Typ"), 2.6),
                Column::new(w.t("Issuer", "Utfärdare"), 1.8),
                Column::new(w.t("Scope", "Omfattning"), 2.4),
                Column::new(w.t("Valid", "Giltighet"), 2.0),
                Column::new(&valid_title, 1.1),
                Column::new(w.t("File", "Fil"), 2.2),
            ],
            &rows,
        );
    }

    doc.subheading(w.t("Services", "Tjänster"));
    if report.detail.services.is_empty() {
        doc.note(w.t("No services registered.", "Inga tjänster registrerade."));
    } else {
        let rows: Vec<Vec<Cell>> = report
            .detail
            .services
            .iter()
            .map(|s| {
                vec![
                    Cell::from(s.fields.name.clone()).bold(),
                    w.classification(s.fields.data_classification).into(),
                    w.personal_data(s.fields.personal_data).into(),
                    w.countries(&s.fields.storage_countries).into(),
                    w.countries(&s.fields.access_countries).into(),
                    w.yes_no(s.fields.supports_critical_function).into(),
                ]
            })
            .collect();
        doc.table(
            &[
                Column::new(w.t("Service", "Tjänst"), 2.4),
                Column::new(w.t("Data classification", "Dataklassning"), 1.6),
                Column::new(w.t("Personal data", "Personuppgifter"), 1.8),
                Column::new(w.t("Stored in", "Lagras i"), 2.0),
                Column::new(w.t("Accessed from", "Nås från"), 2.0),
                Column::new(
                    w.t("Critical function (DORA)", "Kritisk funktion (DORA)"),
                    1.2,
                ),
            ],
            &rows,
        );
    }
}

fn step1_section(doc: &mut Doc, w: Words, report: &AssessmentReport) {
    doc.heading(w.t("3. Step 1 – the organisation", "3. Steg 1 – organisationen"));
    let Some(a) = &report.assessment else {
        doc.note(w.t("No assessment yet.", "Ingen bedömning ännu."));
        return;
    };
    let Some(input) = &a.step1 else {
        doc.note(w.t("Step 1 is not rated yet.", "Steg 1 är inte bedömt ännu."));
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
    let rows: Vec<Vec<Cell>> = rules
        .criteria
        .iter()
        .map(|c| {
            let rating = input.ratings.get(&c.key).copied();
            let anchor = rating
                .and_then(|r| {
                    let anchors = match w.0 {
                        Language::Sv => &c.anchors_sv,
                        Language::En => &c.anchors_en,
                    };
                    anchors.get(usize::from(r)).cloned()
                })
                .unwrap_or_default();
            let mut note = input.notes.get(&c.key).cloned().unwrap_or_default();
            if let Some(items) = input.evidence.get(&c.key).filter(|v| !v.is_empty()) {
                let names: Vec<String> = items.iter().map(evidence_name).collect();
                if !note.is_empty() {
                    note.push('\n');
                }
                note.push_str(&format!(
                    "{} {}",
                    w.t("Evidence:", "Underlag:"),
                    names.join(", ")
                ));
            }
            let rating_cell =
                Cell::from(rating.map_or_else(|| "–".to_owned(), |r| format!("{r} / 3"))).bold();
            let rating_cell = match rating {
                Some(0) => rating_cell.colour(colour::ALERT),
                _ => rating_cell,
            };
            vec![
                Cell::from(w.pick(&c.title_en, &c.title_sv).to_owned()).bold(),
                rating_cell,
                anchor.into(),
                note.into(),
            ]
        })
        .collect();
    doc.table(
        &[
            Column::new(w.t("Criterion", "Kriterium"), 2.2),
            Column::new(w.t("Rating", "Betyg"), 0.8),
            Column::new(w.t("What the rating means", "Vad betyget innebär"), 3.4),
            Column::new(w.t("Evidence note", "Underlag"), 3.4),
        ],
        &rows,
    );
    let mut facts = Vec::new();
    if let Some(result) = &a.step1_result {
        let percent = (result.total * 100)
            .checked_div(result.maximum)
            .unwrap_or(0);
        facts.push((
            w.t("Total", "Summa").to_owned(),
            format!(
                "{} / {} ({percent} %; {} {} %)",
                result.total,
                result.maximum,
                w.t("escalation below", "eskalering under"),
                rules.step1.min_total_percent
            ),
        ));
    }
    facts.push((
        w.t("Compensating controls", "Kompenserande åtgärder")
            .to_owned(),
        if input.compensating_controls.is_empty() {
            w.t("None documented", "Inga dokumenterade").to_owned()
        } else {
            input.compensating_controls.clone()
        },
    ));
    doc.facts(&facts);
    if let Some(result) = &a.step1_result {
        let outcome_colour = match result.outcome {
            crate::assessment::step1::Step1Outcome::Approved => colour::GOOD,
            _ => colour::ALERT,
        };
        doc.paragraph_styled(
            &format!(
                "{}: {}",
                w.t("Outcome", "Utfall"),
                w.outcome(result.outcome)
            ),
            10.5,
            super::pdf::Weight::Bold,
            outcome_colour,
        );
        let reasons: Vec<String> = result
            .reasons
            .iter()
            .map(|r| w.step1_reason(rules, r))
            .collect();
        doc.bullets(&reasons);
        if !result.certification.is_empty() {
            doc.paragraph(w.t(
                "The certification or attestation (criterion 1), judged on the assessment date:",
                "Certifiering eller granskningsrapport (kriterium 1), bedömd på bedömningsdagen:",
            ));
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
            w.t("Escalation resolved by", "Eskaleringen avgjord av"),
            r.resolver,
            utc(&r.at),
            w.outcome(r.decision),
            w.t("Justification:", "Motivering:"),
            r.justification
        ));
    }
}

fn rating_text(w: Words, rules: &RuleSet, rating: Rating) -> String {
    let score = rating.score();
    format!(
        "{}×{} = {score} {}",
        rating.likelihood,
        rating.impact,
        w.band(band(&rules.bands, score))
    )
}

fn services_section(doc: &mut Doc, w: Words, report: &AssessmentReport) {
    doc.heading(w.t("4. Step 2 – the services", "4. Steg 2 – tjänsterna"));
    let Some(a) = &report.assessment else {
        doc.note(w.t("No assessment yet.", "Ingen bedömning ännu."));
        return;
    };
    let rules = &report.rules;
    if a.services.is_empty() {
        doc.note(w.t("No service assessed yet.", "Ingen tjänst bedömd ännu."));
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
                    w.t("Data", "Data").to_owned(),
                    format!(
                        "{}; {}",
                        w.classification(f.data_classification),
                        w.personal_data(f.personal_data)
                    ),
                ),
                (
                    w.t("Stored in", "Lagras i").to_owned(),
                    w.countries(&f.storage_countries),
                ),
                (
                    w.t("Accessed from", "Nås från").to_owned(),
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
                continuity.push(format!("SLA {p} %"));
            }
            if !continuity.is_empty() {
                facts.push((
                    w.t("Continuity", "Kontinuitet").to_owned(),
                    continuity.join(", "),
                ));
            }
            let mut contract = Vec::new();
            if !f.contract_reference.is_empty() {
                contract.push(f.contract_reference.clone());
            }
            if let Some(d) = f.contract_end {
                contract.push(format!("{} {d}", w.t("ends", "upphör")));
            }
            if let Some(d) = f.renewal_date {
                contract.push(format!("{} {d}", w.t("renewal", "förnyelse")));
            }
            if !contract.is_empty() {
                facts.push((w.t("Contract", "Avtal").to_owned(), contract.join(", ")));
            }
            facts.retain(|(_, v)| !v.is_empty());
            doc.facts(&facts);
        }
        let level = sa.result.level.map_or_else(
            || w.t("not rated", "inte bedömd").to_owned(),
            |l| w.band(l).to_owned(),
        );
        doc.paragraph_styled(
            &format!(
                "{}: {level}",
                w.t(
                    "Risk level (highest residual)",
                    "Risknivå (högsta kvarstående)"
                )
            ),
            10.0,
            super::pdf::Weight::Bold,
            sa.result.level.map_or(colour::TEXT, |l| {
                if l >= RiskBand::High {
                    colour::ALERT
                } else {
                    colour::TEXT
                }
            }),
        );

        // The risk register.
        let rows: Vec<Vec<Cell>> = sa
            .input
            .risks
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let inherent_band = band(&rules.bands, r.inherent.score());
                let residual_band = band(&rules.bands, r.residual.score());
                vec![
                    Cell::from(format!("R{}", i + 1)).bold(),
                    w.dimension(&r.dimension).into(),
                    r.description.clone().into(),
                    Cell::from(rating_text(w, rules, r.inherent)).fill(band_colour(inherent_band)),
                    w.treatment(r.treatment).into(),
                    r.controls.clone().into(),
                    Cell::from(rating_text(w, rules, r.residual))
                        .fill(band_colour(residual_band))
                        .bold(),
                ]
            })
            .collect();
        doc.table(
            &[
                Column::new("#", 0.45),
                Column::new(w.t("Dimension", "Dimension"), 1.4),
                Column::new(w.t("Risk", "Risk"), 2.7),
                Column::new(w.t("Inherent (L×I)", "Inneboende (S×K)"), 1.5),
                Column::new(w.t("Treatment", "Hantering"), 1.3),
                Column::new(w.t("Controls", "Åtgärder"), 2.5),
                Column::new(w.t("Residual (L×I)", "Kvarstående (S×K)"), 1.5),
            ],
            &rows,
        );
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
                w.t("Likelihood →", "Sannolikhet →"),
                w.t("Impact ↑", "Konsekvens ↑"),
                w.t(
                    "Each risk moves from its inherent position (open square) to its residual position (filled dot) after the treatment. Colours: the risk bands of the rule set (low, medium, high, critical).",
                    "Varje risk flyttas från sin inneboende position (öppen kvadrat) till sin kvarstående position (fylld punkt) efter hanteringen. Färgerna: regelverkets risknivåer (låg, medel, hög, kritisk).",
                ),
            );
        }

        // The contract requirements.
        doc.subheading(&match w.0 {
            Language::En => format!("Contract requirements at level {level}"),
            Language::Sv => format!("Avtalskrav för nivå {level}"),
        });
        if sa.result.mandatory.is_empty() {
            doc.note(w.t(
                "No requirement is mandatory until the risks are rated.",
                "Inga krav är obligatoriska förrän riskerna är bedömda.",
            ));
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
                    Column::new(w.t("Requirement", "Krav"), 5.0),
                    Column::new(w.t("In the contract", "I avtalet"), 1.8),
                    Column::new(w.t("Justification", "Motivering"), 3.0),
                ],
                &rows,
            );
        }

        // The transfer rules.
        let transfer = &sa.result.transfer;
        doc.paragraph_styled(
            &format!(
                "{}: {}",
                w.t("Transfer rules", "Överföringsregler"),
                w.verdict(transfer.verdict)
            ),
            10.0,
            super::pdf::Weight::Bold,
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
                    w.t("Standard contractual clauses", "Standardavtalsklausuler")
                        .to_owned(),
                    w.yes_no(sa.input.standard_contractual_clauses).to_owned(),
                ),
                (
                    w.t(
                        "Transfer impact assessment",
                        "Konsekvensbedömning av överföring",
                    )
                    .to_owned(),
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
                w.t("Blocks approval:", "Hindrar godkännande:"),
                9.5,
                super::pdf::Weight::Bold,
                colour::ALERT,
            );
            doc.bullets(&blocking);
        }
    }
    if let Some(summary) = &report.summary {
        if !summary.services_not_assessed.is_empty() {
            doc.paragraph(&format!(
                "{} {}",
                w.t("Not assessed in step 2 yet:", "Inte bedömda i steg 2 ännu:"),
                summary.services_not_assessed.join(", ")
            ));
        }
    }
}

fn decisions_section(doc: &mut Doc, w: Words, report: &AssessmentReport) {
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
                super::pdf::Weight::Bold,
                if matches { colour::GOOD } else { colour::ALERT },
            );
        }
    }
}

fn history_section(doc: &mut Doc, w: Words, report: &AssessmentReport) {
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

fn audit_section(doc: &mut Doc, w: Words, report: &AssessmentReport) {
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
