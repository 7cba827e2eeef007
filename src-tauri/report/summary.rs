//! The review summary to share with customers on request (DOMAIN §10.3):
//! how suppliers are assessed, the scope, the date, and counts by tier and
//! outcome. It names no supplier, service, person or finding: only counts.

use super::pdf::{colour, Cell, Column, Doc};
use super::{Generated, Rendered, ReportKind, Words};
use crate::error::Result;
use crate::settings::Language;
use crate::store::Db;
use crate::supplier::follow_up::OVERDUE_SQL;
use crate::supplier::{SupplierStatus, Tier};
use serde::Serialize;

/// The outcome a customer sees: the statuses grouped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Approved,
    ApprovedWithConditions,
    Rejected,
    /// Draft or in assessment.
    InAssessment,
    ReassessmentRequired,
}

impl Outcome {
    pub const ALL: [Outcome; 5] = [
        Outcome::Approved,
        Outcome::ApprovedWithConditions,
        Outcome::Rejected,
        Outcome::InAssessment,
        Outcome::ReassessmentRequired,
    ];

    /// The outcome of a supplier in `status`; `None` when offboarded (out of scope).
    pub fn of(status: SupplierStatus) -> Option<Outcome> {
        match status {
            SupplierStatus::Approved => Some(Outcome::Approved),
            SupplierStatus::ApprovedWithConditions => Some(Outcome::ApprovedWithConditions),
            SupplierStatus::Rejected => Some(Outcome::Rejected),
            SupplierStatus::Draft | SupplierStatus::InAssessment => Some(Outcome::InAssessment),
            SupplierStatus::ReassessmentRequired => Some(Outcome::ReassessmentRequired),
            SupplierStatus::Offboarded => None,
        }
    }

    fn name(self, w: Words) -> &'static str {
        match self {
            Outcome::Approved => w.t("pdf.summary.approved"),
            Outcome::ApprovedWithConditions => w.t("pdf.summary.approved_with_conditions"),
            Outcome::Rejected => w.t("pdf.summary.rejected"),
            Outcome::InAssessment => w.t("status.in_assessment"),
            Outcome::ReassessmentRequired => w.t("status.reassessment_required"),
        }
    }
}

/// Counts of one tier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TierLine {
    pub tier: Tier,
    /// By [`Outcome::ALL`], in that order.
    pub outcomes: [u32; 5],
    /// Suppliers under review (approved, with or without conditions, or
    /// reassessment required) whose review is overdue.
    pub overdue: u32,
    /// Approved suppliers (with or without conditions) whose next review
    /// is not overdue: a supplier to be reassessed is not on schedule.
    pub on_schedule: u32,
    /// Suppliers whose standing approval was given by management (not
    /// counting rejections).
    pub management_approved: u32,
}

/// What the data proves of the critical and essential suppliers (not
/// offboarded): how many there are, and how many have a decision of the
/// last 12 months, an assurance (a certificate or an assurance report)
/// current today, and an exit plan for every service.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Coverage {
    pub suppliers: u32,
    pub decided_last_12_months: u32,
    pub assurance_valid_today: u32,
    pub exit_plans: u32,
}

/// Everything the review summary says.
#[derive(Debug, Clone, Serialize)]
pub struct SummaryReport {
    pub generated: Generated,
    pub tiers: Vec<TierLine>,
    /// Suppliers whose services are exposed to foreign access law.
    pub exposed: u32,
    /// Of those, the ones approved (with or without conditions): their
    /// services passed the binding transfer rules.
    pub exposed_approved: u32,
    pub coverage: Coverage,
    /// Suppliers offboarded (out of scope, counted for completeness).
    pub offboarded: u32,
}

impl SummaryReport {
    pub fn in_scope(&self) -> u32 {
        self.tiers.iter().flat_map(|t| t.outcomes).sum()
    }
}

/// Counts the register by tier and outcome, in one query.
pub fn model(db: &Db, language: Language) -> Result<SummaryReport> {
    let generated = Generated::anonymous(db, language);
    let today = generated.today();
    db.read(|conn| {
        let mut tiers: Vec<TierLine> = Tier::ALL
            .iter()
            .map(|&tier| TierLine {
                tier,
                outcomes: [0; 5],
                overdue: 0,
                on_schedule: 0,
                management_approved: 0,
            })
            .collect();
        let mut exposed = 0;
        let mut exposed_approved = 0;
        let mut offboarded = 0;
        let stands = crate::assessment::decisions::stands_sql("p");
        let mut statement = conn.prepare_cached(&format!(
            "SELECT s.tier, s.status, s.exposed, coalesce({OVERDUE_SQL}, FALSE),
                    EXISTS (SELECT 1 FROM assessment a JOIN approval p ON p.assessment_id = a.id
                            WHERE a.supplier_id = s.id AND {stands} AND p.capacity = 'management'
                              AND p.decision IN ('approve', 'approve_with_conditions')),
                    count(*)
             FROM supplier s GROUP BY 1, 2, 3, 4, 5"
        ))?;
        let mut rows = statement.query([today])?;
        while let Some(row) = rows.next()? {
            let (tier, status, is_exposed, overdue, by_management, count): (
                Tier,
                SupplierStatus,
                bool,
                bool,
                bool,
                u32,
            ) = (
                row.get(0)?,
                row.get(1)?,
                row.get(2)?,
                row.get(3)?,
                row.get(4)?,
                row.get(5)?,
            );
            let Some(outcome) = Outcome::of(status) else {
                offboarded += count;
                continue;
            };
            let line = tiers
                .iter_mut()
                .find(|t| t.tier == tier)
                .expect("every tier has a line");
            let index = Outcome::ALL.iter().position(|o| *o == outcome).unwrap_or(0);
            line.outcomes[index] += count;
            if overdue {
                line.overdue += count;
            }
            let approved = matches!(outcome, Outcome::Approved | Outcome::ApprovedWithConditions);
            if approved && !overdue {
                line.on_schedule += count;
            }
            if by_management {
                line.management_approved += count;
            }
            if is_exposed {
                exposed += count;
                if approved {
                    exposed_approved += count;
                }
            }
        }
        let coverage = coverage(conn, today)?;
        Ok(SummaryReport {
            generated,
            tiers,
            exposed,
            exposed_approved,
            coverage,
            offboarded,
        })
    })
}

/// [`Coverage`] as of `today`, in one query.
fn coverage(conn: &crate::store::sql::Connection, today: chrono::NaiveDate) -> Result<Coverage> {
    let current_until = crate::supplier::current_until_sql(conn, "e.kind", "e.valid_until")?;
    let assurance: Vec<String> = crate::supplier::EvidenceKind::ALL
        .iter()
        .filter(|k| {
            matches!(
                k.certification_role(),
                crate::supplier::CertificationRole::Certificate
                    | crate::supplier::CertificationRole::Report
            )
        })
        .map(|k| format!("'{}'", k.as_str()))
        .collect();
    let stands = crate::assessment::decisions::stands_sql("p");
    conn.query_row(
        &format!(
            "SELECT count(*),
                coalesce(sum(CASE WHEN EXISTS (SELECT 1 FROM assessment a JOIN approval p ON p.assessment_id = a.id
                            WHERE a.supplier_id = s.id AND {stands} AND p.decided_at >= ?2) THEN 1 ELSE 0 END), 0),
                coalesce(sum(CASE WHEN EXISTS (SELECT 1 FROM evidence e WHERE e.supplier_id = s.id
                            AND e.kind IN ({kinds}) AND coalesce(e.valid_from, ?1) <= ?1
                            AND {current_until} >= ?1) THEN 1 ELSE 0 END), 0),
                coalesce(sum(CASE WHEN EXISTS (SELECT 1 FROM service v WHERE v.supplier_id = s.id)
                         AND NOT EXISTS (SELECT 1 FROM service v WHERE v.supplier_id = s.id AND v.exit_plan = 0)
                         THEN 1 ELSE 0 END), 0)
             FROM supplier s WHERE s.status <> 'offboarded' AND s.tier IN ('critical', 'essential')",
            kinds = assurance.join(", ")
        ),
        [
            today,
            today
                .checked_sub_months(chrono::Months::new(12))
                .unwrap_or(today),
        ],
        |r| {
            Ok(Coverage {
                suppliers: r.get(0)?,
                decided_last_12_months: r.get(1)?,
                assurance_valid_today: r.get(2)?,
                exit_plans: r.get(3)?,
            })
        },
    )
}

/// Renders the summary.
pub fn render(report: &SummaryReport) -> Result<Rendered> {
    let w = Words(report.generated.language);
    let fingerprint = super::fingerprint(report)?;
    let today = report.generated.today();
    let title = w.t("pdf.summary.supplier_review_summary").to_owned();
    let mut doc = Doc::new(super::frame(
        w,
        &report.generated,
        &title,
        w.t("pdf.summary.shareable_no_confidential_details"),
        &fingerprint,
    ));
    let subtitle = w.say("pdf.summary.subtitle", &[("today", today.to_string())]);
    doc.title(&title, &subtitle);

    doc.heading(w.t("pdf.summary.how_we_assess_suppliers"));
    doc.paragraph(w.t("pdf.summary.every_supplier_is_assessed_in_two"));
    doc.bullets(&[
        w.t("pdf.summary.contract_security_requirements_tighten_with_each")
            .to_owned(),
        w.t("pdf.summary.binding_data_transfer_rules_decide_where")
            .to_owned(),
        w.t("pdf.summary.management_approves_critical_suppliers_critical_services")
            .to_owned(),
        w.t("pdf.summary.critical_and_essential_suppliers_are_reviewed")
            .to_owned(),
        w.t("pdf.summary.every_decision_is_recorded_in_a")
            .to_owned(),
    ]);

    doc.heading(w.t("field.scope"));
    doc.paragraph(&w.say(
        "pdf.summary.scope_sentence",
        &[
            ("in_scope", report.in_scope().to_string()),
            ("offboarded", report.offboarded.to_string()),
            ("today", today.to_string()),
        ],
    ));

    doc.heading(w.t("pdf.summary.suppliers_by_tier_and_outcome"));
    let mut columns = vec![Column::new(w.t("suppliers.filter.tier"), 1.6)];
    columns.extend(
        Outcome::ALL
            .iter()
            .map(|o| Column::new(o.name(w), 1.2).right()),
    );
    columns.push(Column::new(w.t("pdf.summary.total"), 0.9).right());
    let mut totals = [0u32; 5];
    let mut rows: Vec<Vec<Cell>> = report
        .tiers
        .iter()
        .map(|line| {
            let mut row = vec![Cell::from(w.tier(line.tier)).bold()];
            for (i, n) in line.outcomes.iter().enumerate() {
                totals[i] += n;
                row.push(n.to_string().into());
            }
            row.push(Cell::from(line.outcomes.iter().sum::<u32>().to_string()).bold());
            row
        })
        .collect();
    let mut total_row = vec![Cell::from(w.t("pdf.summary.all_tiers")).bold()];
    total_row.extend(totals.iter().map(|n| Cell::from(n.to_string()).bold()));
    total_row.push(Cell::from(report.in_scope().to_string()).bold());
    rows.push(total_row);
    doc.table_sized(&columns, &rows, 9.0);

    doc.heading(w.t("pdf.summary.reviews_and_approvals"));
    let rows: Vec<Vec<Cell>> = report
        .tiers
        .iter()
        .map(|line| {
            let under_review = line.outcomes[0] + line.outcomes[1] + line.outcomes[4];
            let on_schedule = line.on_schedule;
            vec![
                Cell::from(w.tier(line.tier)).bold(),
                under_review.to_string().into(),
                on_schedule.to_string().into(),
                if line.overdue > 0 {
                    Cell::from(line.overdue.to_string())
                        .colour(colour::ALERT)
                        .bold()
                } else {
                    Cell::from("0")
                },
                line.management_approved.to_string().into(),
            ]
        })
        .collect();
    doc.table_sized(
        &[
            Column::new(w.t("suppliers.filter.tier"), 1.6),
            Column::new(w.t("pdf.summary.under_review"), 1.3).right(),
            Column::new(w.t("pdf.summary.review_on_schedule"), 1.3).right(),
            Column::new(w.t("pdf.summary.review_overdue"), 1.3).right(),
            Column::new(w.t("pdf.summary.decided_by_management"), 1.4).right(),
        ],
        &rows,
        9.0,
    );
    doc.paragraph(&w.say(
        "pdf.summary.exposed_sentence",
        &[
            ("exposed", report.exposed.to_string()),
            ("approved", report.exposed_approved.to_string()),
        ],
    ));

    // Coverage: what the register proves of the suppliers that matter most.
    doc.heading(w.t("pdf.summary.coverage"));
    let c = &report.coverage;
    let share = |n: u32| {
        let percent = (n * 100).checked_div(c.suppliers).unwrap_or(0);
        format!("{n} / {} ({percent} %)", c.suppliers)
    };
    doc.facts(&[
        (
            w.t("pdf.summary.coverage_decided").to_owned(),
            share(c.decided_last_12_months),
        ),
        (
            w.t("pdf.summary.coverage_assurance").to_owned(),
            share(c.assurance_valid_today),
        ),
        (
            w.t("pdf.summary.coverage_exit").to_owned(),
            share(c.exit_plans),
        ),
    ]);
    doc.note(&w.say(
        "pdf.summary.coverage_note",
        &[("suppliers", c.suppliers.to_string())],
    ));
    doc.note(w.t("pdf.summary.this_summary_contains_counts_only_no"));

    let pages = doc.page_count();
    let bytes = doc.finish(&super::meta(
        &report.generated,
        &title,
        w.t("pdf.summary.how_suppliers_are_assessed_the_scope"),
        &fingerprint,
    ));
    Ok(Rendered {
        kind: ReportKind::Summary,
        bytes,
        fingerprint,
        pages,
        file_name: format!("Tillit-review-summary-{today}.pdf"),
    })
}
