//! The supplier register as a PDF (DOMAIN §10.2): every supplier with its
//! tier, status, exposure, highest residual risk, last decision and next
//! review, overdue reviews marked. Read in one query, so a register of
//! 10,000 suppliers renders in seconds.

use super::assessment::band_colour;
use super::pdf::{colour, Cell, Column, Doc};
use super::{Generated, Rendered, ReportKind, Words};
use crate::approval::Decision;
use crate::error::Result;
use crate::rules::RiskBand;
use crate::settings::Language;
use crate::store::Db;
use crate::supplier::{SupplierStatus, Tier};
use chrono::NaiveDate;
use serde::Serialize;

/// The last decision on a supplier that stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LastDecision {
    pub decision: Decision,
    pub by: String,
    /// UTC, RFC 3339.
    pub at: String,
}

/// One supplier in the register report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RegisterLine {
    pub legal_name: String,
    pub registration_number: String,
    pub country: String,
    pub tier: Tier,
    pub status: SupplierStatus,
    pub exposed: bool,
    /// The highest residual risk level of the services in the latest assessment.
    pub level: Option<RiskBand>,
    pub last_decision: Option<LastDecision>,
    pub next_review: Option<NaiveDate>,
}

impl RegisterLine {
    /// The review is overdue on `today`, by the rule of DOMAIN §8.
    pub fn overdue(&self, today: NaiveDate) -> bool {
        crate::supplier::follow_up::review_overdue(self.status, self.next_review, today)
    }
}

/// Everything the register report says.
#[derive(Debug, Clone, Serialize)]
pub struct RegisterReport {
    pub generated: Generated,
    pub lines: Vec<RegisterLine>,
}

/// Reads every supplier, sorted by name.
pub fn model(db: &Db, language: Language) -> Result<RegisterReport> {
    let generated = Generated::now(db, language);
    let lines = db.read(|conn| {
        let stands = crate::assessment::decisions::stands_sql("q");
        let rank = RiskBand::rank_sql("sa.risk_level");
        let mut statement = conn.prepare_cached(&format!(
            "SELECT s.legal_name, s.registration_number, s.country_of_headquarters, s.tier, s.status,
                    s.exposed, s.next_review_on,
                    (SELECT max({rank}) FROM service_assessment sa
                     WHERE sa.assessment_id = (SELECT b.id FROM assessment b WHERE b.supplier_id = s.id
                                               ORDER BY b.created_at DESC, b.rowid DESC LIMIT 1)),
                    p.decision, p.decider_name, p.decided_at
             FROM supplier s
             LEFT JOIN approval p ON p.rowid = (
                 SELECT q.rowid FROM assessment a JOIN approval q ON q.assessment_id = a.id
                 WHERE a.supplier_id = s.id AND {stands}
                 ORDER BY q.decided_at DESC, q.rowid DESC LIMIT 1)
             ORDER BY s.sort_key, s.id"
        ))?;
        let rows = statement.query_map([], |r| {
            let level: Option<i64> = r.get(7)?;
            let decision: Option<Decision> = r.get(8)?;
            Ok(RegisterLine {
                legal_name: r.get(0)?,
                registration_number: r.get(1)?,
                country: r.get(2)?,
                tier: r.get(3)?,
                status: r.get(4)?,
                exposed: r.get(5)?,
                next_review: r.get(6)?,
                level: level.and_then(RiskBand::of_rank),
                last_decision: match decision {
                    Some(decision) => Some(LastDecision {
                        decision,
                        by: r.get(9)?,
                        at: r.get(10)?,
                    }),
                    None => None,
                },
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    })?;
    Ok(RegisterReport { generated, lines })
}

/// Renders the register.
pub fn render(report: &RegisterReport) -> Result<Rendered> {
    let w = Words(report.generated.language);
    let fingerprint = super::fingerprint(report)?;
    let today = report.generated.today();
    let title = w.t("report.register.title").to_owned();
    let mut doc = Doc::new(super::frame(
        w,
        &report.generated,
        &title,
        w.t("pdf.report.confidential"),
        &fingerprint,
    ));
    let overdue = report.lines.iter().filter(|l| l.overdue(today)).count();
    let count = |tier: Tier| report.lines.iter().filter(|l| l.tier == tier).count();
    let subtitle = w.say(
        "pdf.register.subtitle",
        &[
            ("count", report.lines.len().to_string()),
            ("today", today.to_string()),
        ],
    );
    doc.title(&title, &subtitle);
    doc.facts(&[
        (
            w.t("pdf.register.by_tier").to_owned(),
            format!(
                "{} {}, {} {}, {} {}",
                w.tier(Tier::Critical),
                count(Tier::Critical),
                w.tier(Tier::Essential),
                count(Tier::Essential),
                w.tier(Tier::Standard),
                count(Tier::Standard)
            ),
        ),
        (
            w.t("pdf.register.exposed_to_foreign_access_law").to_owned(),
            report
                .lines
                .iter()
                .filter(|l| l.exposed)
                .count()
                .to_string(),
        ),
        (
            w.t("pdf.register.reviews_overdue").to_owned(),
            overdue.to_string(),
        ),
    ]);
    let rows: Vec<Vec<Cell>> = report
        .lines
        .iter()
        .map(|l| {
            let name = if l.registration_number.is_empty() {
                l.legal_name.clone()
            } else {
                format!("{}\n{}", l.legal_name, l.registration_number)
            };
            let level = match l.level {
                Some(band) => Cell::from(w.band(band)).fill(band_colour(band)),
                None => Cell::from("–").colour(colour::MUTED),
            };
            let decision = l.last_decision.as_ref().map_or_else(
                || "–".to_owned(),
                |d| {
                    format!(
                        "{}\n{}, {}",
                        w.decision(d.decision),
                        d.by,
                        d.at.get(..10).unwrap_or(&d.at)
                    )
                },
            );
            let review = match l.next_review {
                Some(date) if l.overdue(today) => {
                    Cell::from(format!("{date}\n{}", w.t("pdf.summary.overdue")))
                        .bold()
                        .colour(colour::ALERT)
                }
                Some(date) => Cell::from(date.to_string()),
                None => Cell::from("–").colour(colour::MUTED),
            };
            vec![
                Cell::from(name),
                l.country.clone().into(),
                w.tier(l.tier).into(),
                w.status(l.status).into(),
                if l.exposed {
                    Cell::from(w.t("suppliers.exposed")).colour(colour::ALERT)
                } else {
                    Cell::from(w.t("common.no"))
                },
                level,
                decision.into(),
                review,
            ]
        })
        .collect();
    doc.table_sized(
        &[
            Column::new(w.t("pdf.register.supplier"), 2.8),
            Column::new(w.t("suppliers.filter.country"), 1.0),
            Column::new(w.t("suppliers.filter.tier"), 1.1),
            Column::new(w.t("suppliers.filter.status"), 1.5),
            Column::new(w.t("pdf.register.cloud_act_exposure"), 1.2),
            Column::new(w.t("pdf.register.highest_residual_risk"), 1.2),
            Column::new(w.t("pdf.register.last_decision"), 2.0),
            Column::new(w.t("pdf.summary.next_review"), 1.5),
        ],
        &rows,
        7.5,
    );
    let pages = doc.page_count();
    let bytes = doc.finish(&super::meta(
        &report.generated,
        &title,
        w.t("pdf.register.every_supplier_with_tier_status_exposure"),
        &fingerprint,
    ));
    Ok(Rendered {
        kind: ReportKind::Register,
        bytes,
        fingerprint,
        pages,
        file_name: format!("Tillit-register-{today}.pdf"),
    })
}
