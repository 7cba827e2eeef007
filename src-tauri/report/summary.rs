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
            Outcome::Approved => w.t("Approved", "Godkända"),
            Outcome::ApprovedWithConditions => {
                w.t("Approved with conditions", "Godkända med villkor")
            }
            Outcome::Rejected => w.t("Rejected", "Avslagna"),
            Outcome::InAssessment => w.t("In assessment", "Under bedömning"),
            Outcome::ReassessmentRequired => w.t("Reassessment required", "Ny bedömning krävs"),
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
    /// Suppliers whose decision was made by management.
    pub management_approved: u32,
}

/// Everything the review summary says.
#[derive(Debug, Clone, Serialize)]
pub struct SummaryReport {
    pub generated: Generated,
    pub tiers: Vec<TierLine>,
    /// Suppliers whose services are exposed to foreign access law.
    pub exposed: u32,
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
    let generated = Generated::now(db, language);
    let today = generated.today();
    db.read(|conn| {
        let mut tiers: Vec<TierLine> = Tier::ALL
            .iter()
            .map(|&tier| TierLine {
                tier,
                outcomes: [0; 5],
                overdue: 0,
                management_approved: 0,
            })
            .collect();
        let mut exposed = 0;
        let mut offboarded = 0;
        let stands = crate::assessment::decisions::stands_sql("p");
        let mut statement = conn.prepare_cached(&format!(
            "SELECT s.tier, s.status, s.exposed, coalesce({OVERDUE_SQL}, 0),
                    EXISTS (SELECT 1 FROM assessment a JOIN approval p ON p.assessment_id = a.id
                            WHERE a.supplier_id = s.id AND {stands} AND p.capacity = 'management'),
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
            if by_management {
                line.management_approved += count;
            }
            if is_exposed {
                exposed += count;
            }
        }
        Ok(SummaryReport {
            generated,
            tiers,
            exposed,
            offboarded,
        })
    })
}

/// Renders the summary.
pub fn render(report: &SummaryReport) -> Result<Rendered> {
    let w = Words(report.generated.language);
    let fingerprint = super::fingerprint(report)?;
    let today = report.generated.today();
    let title = w
        .t(
            "Supplier review summary",
            "Sammanfattning av leverantörsgranskningen",
        )
        .to_owned();
    let mut doc = Doc::new(super::frame(
        w,
        &report.generated,
        &title,
        w.t(
            "SHAREABLE – NO CONFIDENTIAL DETAILS",
            "FÅR DELAS – INGA KONFIDENTIELLA UPPGIFTER",
        ),
        &fingerprint,
    ));
    let subtitle = match w.0 {
        Language::En => format!("The state of our supplier assessments on {today}"),
        Language::Sv => format!("Läget i våra leverantörsbedömningar den {today}"),
    };
    doc.title(&title, &subtitle);

    doc.heading(w.t("How we assess suppliers", "Hur vi bedömer leverantörer"));
    doc.paragraph(w.t(
        "Every supplier is assessed in two steps before it is used. Step 1 rates the supplier organisation – security maturity, certifications and assurance reports, financial stability, its own subcontractors and more – to approved, escalate or stop. Step 2 rates each service with an ISO 31000 likelihood × impact model for data protection, availability and business impact.",
        "Varje leverantör bedöms i två steg innan den används. Steg 1 bedömer leverantörens organisation – säkerhetsmognad, certifieringar och granskningsrapporter, finansiell stabilitet, egna underleverantörer med mera – till godkänd, eskalera eller stopp. Steg 2 bedömer varje tjänst med en ISO 31000-modell för sannolikhet × konsekvens inom dataskydd, tillgänglighet och verksamhetspåverkan.",
    ));
    doc.bullets(&[
        w.t(
            "Contract security requirements tighten with each service's risk level.",
            "Säkerhetskraven i avtalet skärps med varje tjänsts risknivå.",
        )
        .to_owned(),
        w.t(
            "Binding data-transfer rules decide where data may be stored and accessed, including exposure to foreign access law such as the US CLOUD Act.",
            "Bindande regler för överföring avgör var data får lagras och nås, inklusive exponering för utländsk lagstiftning som amerikanska CLOUD Act.",
        )
        .to_owned(),
        w.t(
            "Management approves critical suppliers, critical services and accepted high risks; the assessor never approves their own assessment.",
            "Ledningen godkänner kritiska leverantörer, kritiska tjänster och accepterade höga risker; bedömaren godkänner aldrig sin egen bedömning.",
        )
        .to_owned(),
        w.t(
            "Critical and essential suppliers are reviewed every year, standard suppliers every two years, and any supplier at once on an incident, an SLA breach or another deviation.",
            "Kritiska och väsentliga leverantörer granskas varje år, standardleverantörer vartannat år, och varje leverantör direkt vid en incident, ett brutet SLA eller annan avvikelse.",
        )
        .to_owned(),
        w.t(
            "Every decision is recorded in a tamper-evident audit trail.",
            "Varje beslut registreras i en manipuleringssäker granskningslogg.",
        )
        .to_owned(),
    ]);

    doc.heading(w.t("Scope", "Omfattning"));
    doc.paragraph(&match w.0 {
        Language::En => format!(
            "Every supplier in our register on {today} that has not been offboarded: {} suppliers. {} offboarded suppliers are not counted.",
            report.in_scope(),
            report.offboarded
        ),
        Language::Sv => format!(
            "Alla leverantörer i vårt register den {today} som inte har avvecklats: {} leverantörer. {} avvecklade leverantörer räknas inte.",
            report.in_scope(),
            report.offboarded
        ),
    });

    doc.heading(w.t(
        "Suppliers by tier and outcome",
        "Leverantörer per nivå och utfall",
    ));
    let mut columns = vec![Column::new(w.t("Tier", "Nivå"), 1.6)];
    columns.extend(
        Outcome::ALL
            .iter()
            .map(|o| Column::new(o.name(w), 1.2).right()),
    );
    columns.push(Column::new(w.t("Total", "Totalt"), 0.9).right());
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
    let mut total_row = vec![Cell::from(w.t("All tiers", "Alla nivåer")).bold()];
    total_row.extend(totals.iter().map(|n| Cell::from(n.to_string()).bold()));
    total_row.push(Cell::from(report.in_scope().to_string()).bold());
    rows.push(total_row);
    doc.table_sized(&columns, &rows, 9.0);

    doc.heading(w.t("Reviews and approvals", "Granskningar och godkännanden"));
    let rows: Vec<Vec<Cell>> = report
        .tiers
        .iter()
        .map(|line| {
            let under_review = line.outcomes[0] + line.outcomes[1] + line.outcomes[4];
            let on_schedule = under_review.saturating_sub(line.overdue);
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
            Column::new(w.t("Tier", "Nivå"), 1.6),
            Column::new(w.t("Under review", "Under uppföljning"), 1.3).right(),
            Column::new(w.t("Review on schedule", "Granskning i tid"), 1.3).right(),
            Column::new(w.t("Review overdue", "Granskning försenad"), 1.3).right(),
            Column::new(w.t("Decided by management", "Beslutade av ledningen"), 1.4).right(),
        ],
        &rows,
        9.0,
    );
    doc.paragraph(&match w.0 {
        Language::En => format!(
            "Suppliers whose services are exposed to foreign access law (US CLOUD Act): {}. Their data is held only where the binding transfer rules allow it.",
            report.exposed
        ),
        Language::Sv => format!(
            "Leverantörer vars tjänster är exponerade för utländsk lagstiftning (amerikanska CLOUD Act): {}. Deras data finns bara där de bindande överföringsreglerna tillåter det.",
            report.exposed
        ),
    });
    doc.note(w.t(
        "This summary contains counts only: no supplier, service, person or finding is named. Details are available to auditors under confidentiality.",
        "Sammanfattningen innehåller bara antal: ingen leverantör, tjänst, person eller iakttagelse namnges. Detaljer finns tillgängliga för revisorer under sekretess.",
    ));

    let pages = doc.page_count();
    let bytes = doc.finish(&super::meta(
        &report.generated,
        &title,
        w.t(
            "How suppliers are assessed, the scope and counts by tier and outcome",
            "Hur leverantörer bedöms, omfattningen och antal per nivå och utfall",
        ),
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
