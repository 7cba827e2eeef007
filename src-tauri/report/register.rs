//! The supplier register as a PDF (DOMAIN §10.2): every supplier with its
//! tier, status, exposure, the highest residual risk decided apart from
//! that of an assessment under way, last decision and next review, overdue
//! and due reviews and required reassessments marked; on landscape pages,
//! sorted by name, tier, risk or next review. Read in one query, so a
//! register of 10,000 suppliers renders in seconds.

use super::assessment::band_colour;
use super::pdf::{colour, Cell, Column, Doc};
use super::{Generated, Rendered, ReportKind, Words};
use crate::approval::Decision;
use crate::error::Result;
use crate::rules::RiskBand;
use crate::settings::Language;
use crate::store::Db;
use crate::supplier::follow_up::{self, ReviewDue};
use crate::supplier::{SupplierStatus, Tier};
use crate::words::Said;
use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

crate::ids::text_enum! {
    /// The order of the register's rows.
    RegisterOrder {
        /// By legal name.
        #[default]
        Name = "name",
        /// Critical first, then essential, then standard; by name within.
        Tier = "tier",
        /// The highest decided residual risk first (then the level of an
        /// assessment under way); by name within.
        Risk = "risk",
        /// The earliest next review first; suppliers without one last.
        NextReview = "next_review",
    }
}

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
    /// The highest residual risk level decided: that of the services of the
    /// assessment whose decision stands.
    pub decided_level: Option<RiskBand>,
    /// The highest residual risk level rated so far in an assessment under
    /// way (the latest, when no decision on it stands).
    pub open_level: Option<RiskBand>,
    pub last_decision: Option<LastDecision>,
    pub next_review: Option<NaiveDate>,
    /// Why a reassessment is required, when the supplier's status says so.
    pub reassessment: Option<Said>,
}

impl RegisterLine {
    /// The review is overdue on `today`, by the rule of DOMAIN §8.
    pub fn overdue(&self, today: NaiveDate) -> bool {
        follow_up::review_overdue(self.status, self.next_review, today)
    }

    /// The review is overdue or due within the window of DOMAIN §8.
    pub fn review_due(&self, today: NaiveDate) -> Option<ReviewDue> {
        follow_up::review_due(self.status, self.next_review, today)
    }
}

/// Everything the register report says.
#[derive(Debug, Clone, Serialize)]
pub struct RegisterReport {
    pub generated: Generated,
    pub order: RegisterOrder,
    pub lines: Vec<RegisterLine>,
}

/// Reads every supplier, in `order`.
pub fn model(db: &Db, language: Language, order: RegisterOrder) -> Result<RegisterReport> {
    let generated = Generated::now(db, language);
    let mut lines = db.read(|conn| {
        let stands = crate::assessment::decisions::stands_sql("q");
        let rank = RiskBand::rank_sql("sa.risk_level");
        let mut statement = conn.prepare_cached(&format!(
            "SELECT s.legal_name, s.registration_number, s.country_of_headquarters, s.tier, s.status,
                    s.exposed, s.next_review_on,
                    (SELECT max({rank}) FROM service_assessment sa WHERE sa.assessment_id = p.assessment_id),
                    p.decision, p.decider_name, p.decided_at,
                    (SELECT max({rank}) FROM service_assessment sa
                     WHERE sa.assessment_id = l.id AND l.id IS DISTINCT FROM p.assessment_id),
                    CASE WHEN s.status = 'reassessment_required' THEN {said} END
             FROM supplier s
             LEFT JOIN approval p ON p.rowid = (
                 SELECT q.rowid FROM assessment a JOIN approval q ON q.assessment_id = a.id
                 WHERE a.supplier_id = s.id AND {stands}
                 ORDER BY q.decided_at DESC, q.rowid DESC LIMIT 1)
             LEFT JOIN assessment l ON l.rowid = (
                 SELECT b.rowid FROM assessment b WHERE b.supplier_id = s.id
                 ORDER BY b.created_at DESC, b.rowid DESC LIMIT 1)
             ORDER BY s.sort_key, s.id",
            said = follow_up::REASSESSMENT_SAID_SQL,
        ))?;
        let rows = statement.query_map([], |r| {
            let decided: Option<i64> = r.get(7)?;
            let open: Option<i64> = r.get(11)?;
            let decision: Option<Decision> = r.get(8)?;
            Ok(RegisterLine {
                legal_name: r.get(0)?,
                registration_number: r.get(1)?,
                country: r.get(2)?,
                tier: r.get(3)?,
                status: r.get(4)?,
                exposed: r.get(5)?,
                next_review: r.get(6)?,
                decided_level: decided.and_then(RiskBand::of_rank),
                open_level: open.and_then(RiskBand::of_rank),
                reassessment: Said::from_stored(r.get::<_, Option<String>>(12)?.as_deref()),
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
    sort(&mut lines, order);
    Ok(RegisterReport {
        generated,
        order,
        lines,
    })
}

/// Puts the lines (read by name) in `order`; the sort is stable, so the
/// name orders lines that tie.
fn sort(lines: &mut [RegisterLine], order: RegisterOrder) {
    match order {
        RegisterOrder::Name => {}
        // Tiers are declared critical first.
        RegisterOrder::Tier => lines.sort_by_key(|l| l.tier),
        RegisterOrder::Risk => lines.sort_by_key(|l| {
            std::cmp::Reverse((
                l.decided_level.map(RiskBand::rank),
                l.open_level.map(RiskBand::rank),
            ))
        }),
        RegisterOrder::NextReview => {
            lines.sort_by_key(|l| (l.next_review.is_none(), l.next_review))
        }
    }
}

/// Renders the register.
pub fn render(report: &RegisterReport) -> Result<Rendered> {
    let w = Words(report.generated.language);
    let fingerprint = super::fingerprint(report)?;
    let today = report.generated.today();
    let title = w.t("report.register.title").to_owned();
    let mut doc = Doc::landscape(super::frame(
        w,
        &report.generated,
        &title,
        w.t("pdf.report.confidential"),
        &fingerprint,
    ));
    let due = |wanted: ReviewDue| {
        report
            .lines
            .iter()
            .filter(|l| l.review_due(today) == Some(wanted))
            .count()
    };
    let count = |tier: Tier| report.lines.iter().filter(|l| l.tier == tier).count();
    let subtitle = w.say(
        "pdf.register.subtitle",
        &[
            ("count", report.lines.len().to_string()),
            ("today", today.to_string()),
            ("order", w.t(order_key(report.order)).to_owned()),
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
            due(ReviewDue::Overdue).to_string(),
        ),
        (
            w.t("pdf.register.reviews_due_soon").to_owned(),
            due(ReviewDue::DueSoon).to_string(),
        ),
        (
            w.t("pdf.register.reassessments_required").to_owned(),
            report
                .lines
                .iter()
                .filter(|l| l.status == SupplierStatus::ReassessmentRequired)
                .count()
                .to_string(),
        ),
    ]);
    doc.note(w.t("pdf.register.levels_explained"));
    let level = |band: Option<RiskBand>| match band {
        Some(band) => Cell::from(w.band(band)).fill(band_colour(band)),
        None => Cell::from("–").colour(colour::MUTED),
    };
    let rows: Vec<Vec<Cell>> = report
        .lines
        .iter()
        .map(|l| {
            let name = if l.registration_number.is_empty() {
                l.legal_name.clone()
            } else {
                format!("{}\n{}", l.legal_name, l.registration_number)
            };
            let status = match &l.reassessment {
                _ if l.status != SupplierStatus::ReassessmentRequired => {
                    Cell::from(w.status(l.status))
                }
                Some(reason) => Cell::from(format!(
                    "{}\n{}",
                    w.status(l.status),
                    reason.in_language(w.0)
                )),
                None => Cell::from(w.status(l.status)),
            };
            let status = if l.status == SupplierStatus::ReassessmentRequired {
                status.bold().colour(colour::ALERT)
            } else {
                status
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
            let review = match (l.next_review, l.review_due(today)) {
                (Some(date), Some(ReviewDue::Overdue)) => {
                    Cell::from(format!("{date}\n{}", w.t("pdf.summary.overdue")))
                        .bold()
                        .colour(colour::ALERT)
                }
                (Some(date), Some(ReviewDue::DueSoon)) => {
                    Cell::from(format!("{date}\n{}", w.t("pdf.summary.due_soon"))).bold()
                }
                (Some(date), None) => Cell::from(date.to_string()),
                (None, _) => Cell::from("–").colour(colour::MUTED),
            };
            vec![
                Cell::from(name),
                l.country.clone().into(),
                w.tier(l.tier).into(),
                status,
                if l.exposed {
                    Cell::from(w.t("suppliers.exposed")).colour(colour::ALERT)
                } else {
                    Cell::from(w.t("common.no"))
                },
                level(l.decided_level),
                // Not decided: the band's name without its colour, so the
                // decided level stands out.
                l.open_level.map_or_else(
                    || Cell::from("–").colour(colour::MUTED),
                    |band| w.band(band).into(),
                ),
                decision.into(),
                review,
            ]
        })
        .collect();
    doc.table_sized(
        &[
            Column::new(w.t("pdf.register.supplier"), 3.1),
            Column::new(w.t("suppliers.filter.country"), 0.8),
            Column::new(w.t("suppliers.filter.tier"), 1.0),
            Column::new(w.t("suppliers.filter.status"), 2.1),
            Column::new(w.t("pdf.register.cloud_act_exposure"), 1.0),
            Column::new(w.t("pdf.register.decided_risk"), 1.1),
            Column::new(w.t("pdf.register.open_risk"), 1.1),
            Column::new(w.t("pdf.register.last_decision"), 2.0),
            Column::new(w.t("pdf.summary.next_review"), 2.0),
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

/// The words naming an order, as the subtitle says it.
fn order_key(order: RegisterOrder) -> &'static str {
    match order {
        RegisterOrder::Name => "pdf.register.order.name",
        RegisterOrder::Tier => "pdf.register.order.tier",
        RegisterOrder::Risk => "pdf.register.order.risk",
        RegisterOrder::NextReview => "pdf.register.order.next_review",
    }
}
