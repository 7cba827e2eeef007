//! Generated registers for benchmarks and demonstrations (`tillit dev seed`).
//!
//! [`register`] fills an empty database with a realistic mix of suppliers
//! (tiers, countries, parents in and outside the EU), three services each with
//! five rated risks, subcontractors, evidence with expiry dates, and
//! assessments in every state: not started, draft, step 1 escalated or
//! stopped, step 2 under way, submitted, approved, approved with conditions,
//! rejected, and decisions voided by a later change. Everything is written
//! through the core, dated across the years it covers, so every row is
//! validated and in the audit trail. The same seed and date give the same
//! register: ids, names, dates, ratings and decisions (only password hashes
//! differ).
//!
//! [`audit_trail`] grows a register's trail to a given length with the edits
//! officers make, for the benchmark of `audit verify`.

use crate::approval::{self, Decision, NewUser, Permission, Role, User};
use crate::assessment::risk::Rating;
use crate::assessment::step1::Step1Input;
use crate::assessment::workflow::{
    self, Assessment, AssessmentId, RequirementMark, RequirementStatus, Risk, ServiceAssessment,
    ServiceInput, ServiceResult, Treatment,
};
use crate::context::{splitmix64, SharedClock};
use crate::error::{Error, Result};
use crate::review::{self, DeviationInput, FollowUpKind};
use crate::rules::{self, RuleSet, Verdict};
use crate::store::Db;
use crate::supplier::{
    self, CertificationRole, DataClassification, Evidence, EvidenceFields, EvidenceId,
    EvidenceKind, PersonalData, Reliance, Service, ServiceFields, ServiceId, Subcontractor,
    SubcontractorFields, SubcontractorId, Substitutability, Supplier, SupplierDetail,
    SupplierFields, SupplierId, SupplierStatus, Tier,
};
use crate::transfer::TransferEvaluation;
use chrono::{DateTime, Days, Months, NaiveDate, Utc};
use serde::Serialize;
use std::collections::BTreeMap;

/// The version of the generator: raised whenever the same options would
/// generate another register (benchmarks keep generated files by it).
pub const GENERATOR: u32 = 1;

/// What to generate.
#[derive(Debug, Clone)]
pub struct SeedOptions {
    pub suppliers: usize,
    pub seed: u64,
    /// The day the register is as of: decisions and reviews fall before and
    /// after it as they would in a register kept for three years.
    pub as_of: NaiveDate,
    /// The password of the users created: `admin`, `olivia` (procurement
    /// officer) and `magnus` (management).
    pub password: String,
}

/// What was generated, by kind and by assessment state.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SeedSummary {
    pub suppliers: usize,
    pub services: usize,
    pub subcontractors: usize,
    pub evidence: usize,
    pub risks: usize,
    pub assessments: usize,
    /// Suppliers by the state of their latest assessment.
    pub states: BTreeMap<&'static str, usize>,
    pub deviations: usize,
    pub audit_entries: u64,
}

impl SeedSummary {
    /// The summary in a few lines of text.
    pub fn text(&self) -> String {
        let mut text = format!(
            "{} suppliers, {} services with {} risks, {} subcontractors, {} evidence items, \
             {} assessments, {} deviations; {} audit entries\n",
            self.suppliers,
            self.services,
            self.risks,
            self.subcontractors,
            self.evidence,
            self.assessments,
            self.deviations,
            self.audit_entries
        );
        for (state, count) in &self.states {
            text.push_str(&format!("  {state:<26} {count:>7}\n"));
        }
        text
    }
}

/// The state a supplier's latest assessment is generated in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Plan {
    NotStarted,
    Draft,
    Escalated,
    Stopped,
    Step2,
    Submitted,
    Decided(Decision),
    Voided,
}

impl Plan {
    fn name(self) -> &'static str {
        match self {
            Plan::NotStarted => "not assessed",
            Plan::Draft => "draft",
            Plan::Escalated => "step 1 escalated",
            Plan::Stopped => "step 1 stopped",
            Plan::Step2 => "step 2 under way",
            Plan::Submitted => "submitted",
            Plan::Decided(Decision::Approve) => "approved",
            Plan::Decided(Decision::ApproveWithConditions) => "approved with conditions",
            Plan::Decided(Decision::Reject) => "rejected",
            Plan::Voided => "decision voided",
        }
    }

    fn decided(self) -> bool {
        matches!(self, Plan::Decided(_) | Plan::Voided)
    }

    fn submitted(self) -> bool {
        self.decided() || self == Plan::Submitted
    }
}

/// A small deterministic generator (SplitMix64 over a counter).
#[derive(Debug)]
struct Rng(u64);

impl Rng {
    /// The stream of item `n` under `seed`: each supplier draws from its own,
    /// so its data does not depend on how many came before it.
    fn new(seed: u64, n: u64) -> Rng {
        Rng(splitmix64(
            seed ^ splitmix64(n.wrapping_mul(0x1000_0000_01B3)),
        ))
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        splitmix64(self.0)
    }

    /// 0 ≤ n < `bound`.
    fn below(&mut self, bound: u64) -> u64 {
        self.next() % bound.max(1)
    }

    /// `lo` ≤ n ≤ `hi`.
    fn between(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }

    /// True `percent` times in a hundred.
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[usize::try_from(self.below(items.len() as u64)).unwrap_or(0)]
    }

    /// An item chosen with the given weights.
    fn weighted<T: Copy>(&mut self, items: &[(u64, T)]) -> T {
        let total: u64 = items.iter().map(|(w, _)| w).sum();
        let mut n = self.below(total);
        for (weight, item) in items {
            if n < *weight {
                return *item;
            }
            n -= weight;
        }
        items[0].1
    }
}

/// Countries of headquarters with their weights and company-form suffix.
const COUNTRIES: &[(u64, (&str, &str))] = &[
    (45, ("SE", "AB")),
    (8, ("DE", "GmbH")),
    (8, ("FI", "Oy")),
    (6, ("NO", "AS")),
    (6, ("DK", "A/S")),
    (5, ("NL", "B.V.")),
    (4, ("IE", "Ltd")),
    (3, ("FR", "SAS")),
    (10, ("US", "Inc.")),
    (5, ("GB", "Ltd")),
];

const FIRST: &[&str] = &[
    "Norrsken",
    "Fjäll",
    "Molnbolaget",
    "Datahallen",
    "Kustlinjen",
    "Ekhagen",
    "Blåklint",
    "Granit",
    "Polaris",
    "Nordvind",
    "Älvdalen",
    "Solberga",
    "Vinga",
    "Hamnen",
    "Skärgård",
    "Lindqvist",
    "Berg & Söner",
    "Östra",
    "Västkust",
    "Tallbacka",
];
const SECOND: &[&str] = &[
    "Drift",
    "IT-tjänster",
    "Säkerhet",
    "Systems",
    "Cloud",
    "Data",
    "Logistik",
    "Ekonomi",
    "Konsult",
    "Support",
    "Network",
    "Software",
    "Hosting",
    "Analytics",
    "Print",
];
const PARENTS: &[(&str, &str)] = &[
    ("Cloudco Holdings Inc.", "US"),
    ("Atlantic Software Corp.", "US"),
    ("Nordic Holding Oyj", "FI"),
    ("Baltic Services SE", "DE"),
    ("Fjord Group ASA", "NO"),
    ("Thames Technology plc", "GB"),
];
const SERVICES: &[&str] = &[
    "Ärendesystem",
    "Lönehantering",
    "E-post och kalender",
    "Säkerhetskopiering",
    "Drift av datacenter",
    "Kundregister (CRM)",
    "Ekonomisystem",
    "Dokumenthantering",
    "Användarsupport",
    "Molnlagring",
    "Betalningar",
    "Nätverksdrift",
    "Logganalys",
    "Tryck och distribution",
    "Rekrytering",
    "Webbplats och publicering",
];
const SUBCONTRACTORS: &[(&str, &str, &str)] = &[
    ("Datahallen i Göteborg AB", "SE", "Drift av servrar"),
    ("Frankfurt Colocation GmbH", "DE", "Serverhallar"),
    ("Helsinki Support Oy", "FI", "Användarsupport"),
    ("Global Cloud LLC", "US", "Molninfrastruktur"),
    ("Dublin Data Ltd", "IE", "Lagring"),
    ("Bangalore Ops Pvt Ltd", "IN", "Övervakning dygnet runt"),
];
const DIMENSIONS: [&str; 5] = [
    "data_protection",
    "availability",
    "business_impact",
    "supply_chain",
    "compliance",
];
const OWNERS: &[&str] = &[
    "Örjan Ädel",
    "Karin Lund",
    "Ahmed Yusuf",
    "Lena Berg",
    "Mikael Ek",
    "Sara Nyström",
];

/// Midday on `date`, UTC.
fn at(date: NaiveDate, hour: u32) -> DateTime<Utc> {
    date.and_hms_opt(hour, 0, 0).unwrap_or_default().and_utc()
}

/// A valid Swedish organisation number for `n` (Luhn check digit).
pub fn org_number(n: usize) -> String {
    let body = format!("55{:07}", n % 10_000_000);
    let sum: u32 = body
        .chars()
        .enumerate()
        .map(|(i, c)| {
            let d = c.to_digit(10).unwrap_or(0) * if i % 2 == 0 { 2 } else { 1 };
            if d > 9 {
                d - 9
            } else {
                d
            }
        })
        .sum();
    format!("{}-{}{}", &body[..6], &body[6..], (10 - sum % 10) % 10)
}

/// One generated supplier with what its assessment will be.
struct Planned {
    detail: SupplierDetail,
    plan: Plan,
    rng: Rng,
}

/// Generates supplier `n`.
fn supplier(options: &SeedOptions, n: usize, created: DateTime<Utc>, db: &Db) -> Planned {
    let mut rng = Rng::new(options.seed, n as u64);
    let (country, form) = rng.weighted(COUNTRIES);
    let tier = rng.weighted(&[
        (10, Tier::Critical),
        (25, Tier::Essential),
        (65, Tier::Standard),
    ]);
    let name = format!("{} {} {n:05} {form}", rng.pick(FIRST), rng.pick(SECOND));
    let (parent_name, parent_country) = if rng.chance(30) {
        let (name, country) = *rng.pick(PARENTS);
        (name.to_owned(), country.to_owned())
    } else {
        (String::new(), String::new())
    };
    let plan = rng.weighted(&[
        (8, Plan::NotStarted),
        (6, Plan::Draft),
        (5, Plan::Escalated),
        (3, Plan::Stopped),
        (10, Plan::Step2),
        (10, Plan::Submitted),
        (38, Plan::Decided(Decision::Approve)),
        (12, Plan::Decided(Decision::ApproveWithConditions)),
        (3, Plan::Decided(Decision::Reject)),
        (5, Plan::Voided),
    ]);
    let id = SupplierId(db.new_id());
    let exposed = country == "US" || parent_country == "US";
    let fields = SupplierFields {
        legal_name: name.clone(),
        registration_number: if country == "SE" {
            org_number(n)
        } else {
            format!("{country}-{:08}", rng.below(100_000_000))
        },
        vat_number: if country == "US" {
            String::new()
        } else {
            format!("{country}{:010}", rng.below(10_000_000_000))
        },
        country_of_incorporation: country.into(),
        country_of_headquarters: country.into(),
        parent_name,
        parent_country,
        website: format!("https://www.supplier{n:05}.example"),
        contact_name: rng.pick(OWNERS).to_string(),
        contact_email: format!("security@supplier{n:05}.example"),
        internal_owner: rng.pick(OWNERS).to_string(),
        tier,
        tier_justification: match tier {
            Tier::Critical => "Stöder en kritisk funktion; ingen ersättare inom en vecka".into(),
            Tier::Essential => "Viktig för den dagliga verksamheten".into(),
            Tier::Standard => String::new(),
        },
        dpf_certified: country == "US" && rng.chance(60),
        ..SupplierFields::default()
    };
    let services = (0..3)
        .map(|k| service(&mut rng, id, k, (plan, tier, exposed), created, db))
        .collect();
    let subcontractors = (0..rng.below(4))
        .map(|_| {
            let (name, country, role) = *rng.pick(SUBCONTRACTORS);
            Subcontractor {
                id: SubcontractorId(db.new_id()),
                supplier_id: id,
                fields: SubcontractorFields {
                    name: name.into(),
                    country: country.into(),
                    role: role.into(),
                    stores_data: rng.chance(50),
                    accesses_data: rng.chance(70),
                    services: Vec::new(),
                },
            }
        })
        .collect();
    let evidence = (0..rng.weighted(&[(20, 0), (50, 1), (30, 2)]))
        .map(|_| {
            let kind = rng.weighted(&[
                (45, EvidenceKind::Iso27001),
                (10, EvidenceKind::Iso22301),
                (20, EvidenceKind::Soc2Type2),
                (10, EvidenceKind::Isae3402Type2),
                (5, EvidenceKind::C5),
                (10, EvidenceKind::Other),
            ]);
            // From a year and a half ago to three years ahead: some expired.
            // An assurance report's period ended before it was entered, up
            // to a year and a half before: some no longer current.
            let offset = rng.below(1_640);
            let (until, months) = if kind.is_period_report() {
                (created.date_naive() - Days::new(offset % 540), 12)
            } else {
                (options.as_of - Days::new(540) + Days::new(offset), 36)
            };
            Evidence::judged(
                EvidenceId(db.new_id()),
                id,
                EvidenceFields {
                    kind,
                    title: match kind {
                        EvidenceKind::Other => "Penetrationstest, sammanfattning".into(),
                        _ => String::new(),
                    },
                    issuer: rng
                        .pick(&["Intertek", "DNV", "BSI", "KPMG", "EY"])
                        .to_string(),
                    scope: "Drift och support av tjänsterna".into(),
                    valid_from: until.checked_sub_months(Months::new(months)),
                    valid_until: Some(until),
                },
                None,
                created,
            )
        })
        .collect();
    Planned {
        detail: SupplierDetail {
            supplier: Supplier {
                id,
                fields,
                status: SupplierStatus::Draft,
                offboarding_reason: None,
                created_at: created,
                updated_at: created,
            },
            services,
            subcontractors,
            evidence,
            exposure: crate::jurisdiction::Exposure {
                derived: false,
                reasons: Vec::new(),
                override_: None,
                exposed: false,
            },
        },
        plan,
        rng,
    }
}

/// Generates service `k` of a supplier. Suppliers whose assessment is to be
/// submitted mostly keep their data where the transfer rules allow it (and
/// exposed ones hold no confidential data); the rest may not.
fn service(
    rng: &mut Rng,
    supplier_id: SupplierId,
    k: u64,
    (plan, tier, exposed): (Plan, Tier, bool),
    created: DateTime<Utc>,
    db: &Db,
) -> Service {
    let eu = ["SE", "SE", "SE", "FI", "DE", "NL", "IE", "DK"];
    let careful = plan.submitted() && !rng.chance(5);
    let storage = if careful || rng.chance(85) {
        vec![rng.pick(&eu).to_string()]
    } else {
        vec!["US".to_owned()]
    };
    let mut access = storage.clone();
    if rng.chance(25) {
        let others: &[&str] = if careful {
            &["SE", "FI", "NO"]
        } else {
            &["SE", "FI", "GB", "NO"]
        };
        access.push(rng.pick(others).to_string());
    }
    let classifications = if careful && exposed {
        [
            (30, DataClassification::Public),
            (70, DataClassification::Internal),
            (0, DataClassification::Confidential),
            (0, DataClassification::StrictlyConfidential),
        ]
    } else if careful {
        [
            (10, DataClassification::Public),
            (55, DataClassification::Internal),
            (35, DataClassification::Confidential),
            (0, DataClassification::StrictlyConfidential),
        ]
    } else {
        [
            (10, DataClassification::Public),
            (50, DataClassification::Internal),
            (35, DataClassification::Confidential),
            (5, DataClassification::StrictlyConfidential),
        ]
    };
    let start = created.date_naive() - Days::new(rng.below(700));
    Service {
        id: ServiceId(db.new_id()),
        supplier_id,
        fields: ServiceFields {
            name: SERVICES
                [usize::try_from((k * 5 + rng.below(5)) % SERVICES.len() as u64).unwrap_or(0)]
            .into(),
            description: "Tjänsten enligt avtal, med drift, support och säkerhetskopiering".into(),
            service_type: rng
                .pick(&["SaaS", "IaaS", "Drift", "Konsulttjänst"])
                .to_string(),
            data_classification: rng.weighted(&classifications),
            personal_data: rng.weighted(&[
                (45, PersonalData::None),
                (50, PersonalData::Personal),
                (5, PersonalData::SpecialCategory),
            ]),
            storage_countries: storage,
            access_countries: access,
            supports_critical_function: tier == Tier::Critical && rng.chance(60),
            reliance: rng.weighted(&[
                (20, Reliance::NotSignificant),
                (40, Reliance::Low),
                (30, Reliance::Material),
                (10, Reliance::Full),
            ]),
            substitutability: rng.weighted(&[
                (30, Substitutability::Easy),
                (45, Substitutability::Medium),
                (20, Substitutability::HighlyComplex),
                (5, Substitutability::NotSubstitutable),
            ]),
            rto_hours: Some(*rng.pick(&[1, 4, 8, 24, 72]) as u32),
            rpo_hours: Some(*rng.pick(&[1, 4, 24]) as u32),
            sla_availability_percent: Some(*rng.pick(&[99.0, 99.5, 99.9, 99.95])),
            contract_reference: format!("AVT-{}-{:04}", start.format("%Y"), rng.below(10_000)),
            contract_start: Some(start),
            contract_end: start.checked_add_months(Months::new(36)),
            renewal_date: start.checked_add_months(Months::new(33)),
            notice_period_supplier_days: Some(180),
            notice_period_customer_days: Some(90),
            governing_law_country: "SE".into(),
            annual_cost: Some(i64::try_from(rng.between(20, 4_000)).unwrap_or(100) * 1_000),
            currency: "SEK".into(),
            exit_plan: rng.chance(60),
            alternative_providers: String::new(),
        },
        location_class: None,
        subcontracted: Vec::new(),
        created_at: created,
        updated_at: created,
    }
}

/// Step 1 as the plan has it: approved (every criterion 2 or 3, over the
/// threshold), escalated (a criterion rated 0) or stopped (financial
/// stability rated 0).
fn step1_input(
    rng: &mut Rng,
    rules: &RuleSet,
    detail: &SupplierDetail,
    plan: Plan,
    assessed_on: NaiveDate,
) -> Step1Input {
    let certificate = detail.evidence.iter().find(|e| {
        matches!(
            e.fields.kind.certification_role(),
            CertificationRole::Certificate | CertificationRole::Report
        ) && e.is_valid_on(assessed_on)
    });
    let mut input = Step1Input {
        compensating_controls: if certificate.is_none() {
            "Kvartalsvis uppföljning av säkerhetsrapporter och egen granskning på plats".into()
        } else {
            String::new()
        },
        ..Step1Input::default()
    };
    for criterion in &rules.criteria {
        let rating = if criterion.key == rules.step1.certification {
            if certificate.is_some() {
                3
            } else {
                2
            }
        } else if rng.chance(60) {
            3
        } else {
            2
        };
        input.ratings.insert(criterion.key.clone(), rating);
    }
    if let Some(certificate) = certificate {
        input
            .evidence
            .insert(rules.step1.certification.clone(), vec![certificate.id]);
    }
    input.notes.insert(
        "financial_stability".into(),
        "Årsredovisning granskad: god soliditet".into(),
    );
    match plan {
        Plan::Escalated => {
            input.ratings.insert("audit_rights".into(), 0);
            input.notes.insert(
                "audit_rights".into(),
                "Leverantören medger ingen granskning på plats".into(),
            );
        }
        Plan::Stopped => {
            input.ratings.insert("financial_stability".into(), 0);
            input.notes.insert(
                "financial_stability".into(),
                "Kreditupplysning: betalningsanmärkningar och negativt eget kapital".into(),
            );
        }
        _ => {
            // At least 70 % of the maximum: raise ratings of 2 until there.
            let needed =
                (rules.step1.min_total_percent * 3 * rules.criteria.len() as u32).div_ceil(100);
            for criterion in &rules.criteria {
                let total: u32 = input.ratings.values().map(|r| u32::from(*r)).sum();
                if total >= needed {
                    break;
                }
                if criterion.key != rules.step1.certification {
                    input.ratings.insert(criterion.key.clone(), 3);
                }
            }
        }
    }
    input
}

/// Step 2 of one service: five risks, every requirement of the catalogue
/// marked in the contract (one missing while step 2 is under way), and the
/// transfer safeguards.
fn service_input(rng: &mut Rng, rules: &RuleSet, complete: bool) -> ServiceInput {
    let risks = DIMENSIONS
        .iter()
        .map(|dimension| {
            let inherent = Rating {
                likelihood: rng.between(1, 5) as u8,
                impact: rng.between(2, 5) as u8,
            };
            let mut residual = Rating {
                likelihood: rng.between(1, u64::from(inherent.likelihood)) as u8,
                impact: rng.between(1, u64::from(inherent.impact)) as u8,
            };
            let treatment = rng.weighted(&[
                (70, Treatment::Mitigate),
                (15, Treatment::Accept),
                (10, Treatment::Transfer),
                (5, Treatment::Avoid),
            ]);
            // An accepted risk is taken as it is (DOMAIN §4).
            if treatment == Treatment::Accept {
                residual = inherent;
            }
            Risk {
                dimension: (*dimension).into(),
                description: format!(
                    "Avbrott, intrång eller felaktig hantering påverkar {dimension}"
                ),
                inherent,
                treatment,
                controls: "Kryptering, behörighetsstyrning, loggning och säkerhetskopior".into(),
                residual,
            }
        })
        .collect();
    let mut requirements: Vec<RequirementMark> = rules
        .requirements
        .iter()
        .map(|r| RequirementMark {
            key: r.key.clone(),
            status: RequirementStatus::InContract,
            justification: String::new(),
        })
        .collect();
    if !complete {
        if let Some(first) = requirements.first_mut() {
            first.status = RequirementStatus::Missing;
        }
    }
    ServiceInput {
        risks,
        requirements,
        standard_contractual_clauses: true,
        transfer_impact_assessment: true,
    }
}

/// A result to fill the record; the import computes the real one.
fn pending_result() -> ServiceResult {
    ServiceResult {
        level: None,
        mandatory: Vec::new(),
        transfer: TransferEvaluation {
            verdict: Verdict::Allowed,
            fired: Vec::new(),
        },
        blocking: Vec::new(),
        high_risk_accepted: false,
    }
}

/// An assessment to be decided, and when.
struct ToDecide {
    id: AssessmentId,
    decision: Decision,
    voided: bool,
    on: NaiveDate,
}

/// Fills an empty database (no users, no suppliers) with a generated
/// register. `clock` must be the clock `db` was opened with: the generator
/// moves it to date each step.
pub fn register(db: &Db, clock: &SharedClock, options: &SeedOptions) -> Result<SeedSummary> {
    let (people, suppliers): (u32, u32) = db.read(|conn| {
        Ok(conn.query_row(
            "SELECT (SELECT count(*) FROM app_user), (SELECT count(*) FROM supplier)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?)
    })?;
    if people > 0 || suppliers > 0 {
        return Err(Error::NotAllowed(format!(
            "a register is generated only into a new, empty database; this one has {people} users and {suppliers} suppliers"
        )));
    }
    let as_of = options.as_of;
    let start = as_of - Months::new(36);
    clock.set(at(start, 8));
    let (officer, manager) = users(db, &options.password)?;
    let mut summary = SeedSummary::default();

    // The register, written in batches over its first year.
    let batches = options.suppliers.div_ceil(500).max(1);
    let mut planned = Vec::with_capacity(options.suppliers);
    for batch in 0..batches {
        let day = start + Days::new((365 * batch / batches) as u64);
        clock.set(at(day, 10));
        let from = batch * 500;
        let to = (from + 500).min(options.suppliers);
        let mut generated: Vec<Planned> = (from..to)
            .map(|n| supplier(options, n, at(day, 10), db))
            .collect();
        for p in &mut generated {
            supplier::validate_detail(&mut p.detail)?;
        }
        db.write(Permission::EditRegister, |tx| {
            let exposing = supplier::exposing_in(tx)?;
            for p in &generated {
                supplier::insert_detail(tx, &p.detail, &exposing)?;
            }
            Ok(())
        })?;
        for p in &generated {
            summary.suppliers += 1;
            summary.services += p.detail.services.len();
            summary.subcontractors += p.detail.subcontractors.len();
            summary.evidence += p.detail.evidence.len();
        }
        planned.extend(generated);
    }
    // Assessments, dated: those to be decided within the last fifteen
    // months, those under way within the last two.
    let version = db.with_tx(|tx| rules::ensure_stored(tx, &tx.now_text()))?;
    let rules = db.read(|conn| rules::get(conn, version))?;
    let mut by_day: BTreeMap<NaiveDate, Vec<(usize, NaiveDate)>> = BTreeMap::new();
    for (i, p) in planned.iter_mut().enumerate() {
        if p.plan == Plan::NotStarted {
            *summary.states.entry(p.plan.name()).or_default() += 1;
            continue;
        }
        let assessed_on = if p.plan.decided() {
            as_of - Days::new(p.rng.between(40, 450))
        } else {
            as_of - Days::new(p.rng.between(1, 60))
        };
        by_day
            .entry(assessed_on)
            .or_default()
            .push((i, assessed_on));
    }
    db.set_session(Some(officer.clone()));
    let mut to_decide = Vec::new();
    for (day, items) in &by_day {
        clock.set(at(*day, 9));
        db.write(Permission::Assess, |tx| {
            let now = tx.now_text();
            for (i, assessed_on) in items {
                let p = &mut planned[*i];
                let mut plan = p.plan;
                let id = AssessmentId(db.new_id());
                let step1 = (plan != Plan::Draft)
                    .then(|| step1_input(&mut p.rng, &rules, &p.detail, plan, *assessed_on));
                let step2 = matches!(plan, Plan::Step2) || plan.submitted();
                let services: Vec<ServiceAssessment> = if step2 {
                    let count = if plan == Plan::Step2 { 2 } else { 3 };
                    p.detail.services[..count]
                        .iter()
                        .map(|s| ServiceAssessment {
                            service_id: s.id,
                            input: service_input(&mut p.rng, &rules, plan != Plan::Step2),
                            result: pending_result(),
                        })
                        .collect()
                } else {
                    Vec::new()
                };
                summary.risks += services.iter().map(|s| s.input.risks.len()).sum::<usize>();
                let assessment = Assessment {
                    id,
                    supplier_id: p.detail.supplier.id,
                    rule_set_version: version,
                    assessed_on: *assessed_on,
                    assessor: officer.display_name.clone(),
                    step1,
                    step1_result: None,
                    resolution: None,
                    services,
                    assessor_id: None,
                    submitted_at: None,
                    decisions: Vec::new(),
                    events: Vec::new(),
                };
                workflow::import(tx, &assessment, &now)?;
                let status = if plan == Plan::Stopped {
                    SupplierStatus::Rejected
                } else {
                    SupplierStatus::InAssessment
                };
                supplier::set_workflow_status(tx, p.detail.supplier.id, status, &now)?;
                if plan.submitted() && approval::submit_in(tx, id).is_err() {
                    // Blocked (a transfer the rules forbid): it stays in step 2.
                    plan = Plan::Step2;
                }
                if let Plan::Decided(decision) = plan {
                    to_decide.push(ToDecide {
                        id,
                        decision,
                        voided: false,
                        on: (*assessed_on + Days::new(p.rng.between(3, 30))).min(as_of),
                    });
                } else if plan == Plan::Voided {
                    to_decide.push(ToDecide {
                        id,
                        decision: Decision::Approve,
                        voided: true,
                        on: (*assessed_on + Days::new(p.rng.between(3, 30))).min(as_of),
                    });
                }
                p.plan = plan;
                summary.assessments += 1;
            }
            Ok(())
        })?;
    }
    for p in &planned {
        if p.plan != Plan::NotStarted {
            *summary.states.entry(p.plan.name()).or_default() += 1;
        }
    }

    // Decisions, by management where DOMAIN §7 requires it, else by the
    // officer, each on its day.
    to_decide.sort_by_key(|d| d.on);
    let mut voided = Vec::new();
    for day in to_decide.chunk_by(|a, b| a.on == b.on) {
        clock.set(at(day[0].on, 14));
        let mut officer_decides = Vec::new();
        db.set_session(Some(manager.clone()));
        db.write(Permission::Decide, |tx| {
            for d in day {
                if workflow::summary_in(tx, d.id)?.approval_required {
                    decide(tx, db, d)?;
                } else {
                    officer_decides.push(d);
                }
            }
            Ok(())
        })?;
        db.set_session(Some(officer.clone()));
        db.write(Permission::Decide, |tx| {
            officer_decides.iter().try_for_each(|d| decide(tx, db, d))
        })?;
        voided.extend(day.iter().filter(|d| d.voided));
    }

    // Later, some decided assessments are reopened, which voids their
    // decision (the supplier's status goes back to in assessment), and a
    // risk is rated again.
    for d in voided {
        clock.set(at((d.on + Days::new(20)).min(as_of), 11));
        let decided = workflow::get(db, d.id)?;
        let assessment = approval::reopen(
            db,
            d.id,
            approval::ReopenInput {
                reason: "Incident hos leverantören: riskerna omvärderas".into(),
                voids: decided.standing_decision().map(|s| s.id),
            },
        )?;
        if let Some(first) = assessment.services.first() {
            let mut input = first.input.clone();
            if let Some(risk) = input.risks.first_mut() {
                risk.description.push_str(" (omvärderad efter incident)");
            }
            workflow::save_service(db, d.id, first.service_id, input)?;
        }
    }

    // Deviations at a few approved suppliers (incidents, SLA breaches).
    for (n, p) in planned.iter_mut().enumerate() {
        if p.plan.decided() && p.rng.chance(3) {
            clock.set(at(as_of - Days::new(p.rng.between(1, 30)), 15));
            review::record_deviation(
                db,
                p.detail.supplier.id,
                DeviationInput {
                    service_id: p.detail.services.first().map(|s| s.id),
                    kind: if n % 2 == 0 {
                        FollowUpKind::Incident
                    } else {
                        FollowUpKind::SlaBreach
                    },
                    description: "Driftstörning i fyra timmar; rotorsaksanalys begärd".into(),
                    occurred_on: None,
                },
            )?;
            summary.deviations += 1;
        }
    }
    clock.set(at(as_of, 8));
    summary.audit_entries = trail_length(db)?;
    Ok(summary)
}

/// Records one generated decision inside the decider's transaction.
fn decide(tx: &crate::store::Tx<'_>, db: &Db, d: &ToDecide) -> Result<()> {
    let conditions = if d.decision == Decision::ApproveWithConditions {
        "Exitplan och återläsningstest inom 90 dagar"
    } else {
        ""
    };
    approval::decide_in(
        tx,
        d.id,
        approval::ApprovalId(db.new_id()),
        d.decision,
        conditions,
    )?;
    Ok(())
}

/// Creates the administrator `admin`, the procurement officer `olivia` and
/// the manager `magnus` on a database without users, and leaves the officer
/// signed in; returns the officer and the manager.
pub fn users(db: &Db, password: &str) -> Result<(User, User)> {
    let user = |username: &str, name: &str, role| NewUser {
        username: username.into(),
        display_name: name.into(),
        roles: vec![role],
        password: password.into(),
    };
    approval::create_first_administrator(db, user("admin", "Ada Admin", Role::Administrator))?;
    approval::sign_in(db, "admin", password)?;
    approval::create(
        db,
        user("olivia", "Olivia Officer", Role::ProcurementOfficer),
    )?;
    approval::create(db, user("magnus", "Magnus Manager", Role::Management))?;
    let manager = approval::sign_in(db, "magnus", password)?;
    let officer = approval::sign_in(db, "olivia", password)?;
    Ok((officer, manager))
}

/// Grows the audit trail of a generated register to `entries` entries with
/// the edits officers make (contacts, owners, notes of suppliers; contract
/// references and SLAs of services), a thousand rows a transaction, one
/// entry each. The officer `olivia` must be signed in.
pub fn audit_trail(db: &Db, clock: &SharedClock, entries: u64, seed: u64) -> Result<u64> {
    let mut rng = Rng::new(seed, u64::MAX);
    let (suppliers, services): (Vec<String>, Vec<String>) = db.read(|conn| {
        let ids = |sql: &str| -> Result<Vec<String>> {
            Ok(conn
                .prepare(sql)?
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?)
        };
        Ok((
            ids("SELECT id FROM supplier ORDER BY id")?,
            ids("SELECT id FROM service ORDER BY id")?,
        ))
    })?;
    if suppliers.is_empty() {
        return Err(Error::NotAllowed(
            "the audit trail is grown over a generated register; generate one first".into(),
        ));
    }
    let mut count = trail_length(db)?;
    let mut time = crate::context::Clock::now(clock);
    let mut round = 0u64;
    while count < entries {
        round += 1;
        time += chrono::Duration::minutes(7);
        clock.set(time);
        let batch = (entries - count).min(1_000);
        db.write(Permission::EditRegister, |tx| {
            let now = tx.now_text();
            for k in 0..batch {
                let n = rng.next();
                if k % 3 == 2 {
                    let id = &services[usize::try_from(n % services.len() as u64).unwrap_or(0)];
                    tx.prepare_cached(
                        "UPDATE service SET contract_reference = ?2, sla_availability_percent = ?3, updated_at = ?4
                         WHERE id = ?1",
                    )?
                    .execute(rusqlite::params![
                        id,
                        format!("AVT-{round}-{k:04}"),
                        *rng.pick(&[99.0, 99.5, 99.9, 99.95]),
                        now
                    ])?;
                } else {
                    let id = &suppliers[usize::try_from(n % suppliers.len() as u64).unwrap_or(0)];
                    tx.prepare_cached(
                        "UPDATE supplier SET contact_name = ?2, internal_owner = ?3, notes = ?4, updated_at = ?5
                         WHERE id = ?1",
                    )?
                    .execute(rusqlite::params![
                        id,
                        rng.pick(OWNERS),
                        rng.pick(OWNERS),
                        format!("Uppföljningsmöte {round}: inga avvikelser"),
                        now
                    ])?;
                }
            }
            Ok(())
        })?;
        count = trail_length(db)?;
    }
    Ok(count)
}

/// The number of entries in the audit trail.
fn trail_length(db: &Db) -> Result<u64> {
    let last: i64 = db.read(|conn| {
        Ok(
            conn.query_row("SELECT coalesce(max(seq), 0) FROM audit_log", [], |r| {
                r.get(0)
            })?,
        )
    })?;
    Ok(u64::try_from(last).unwrap_or(0))
}
