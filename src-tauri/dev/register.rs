//! A generated register: each supplier planned into an assessment state and
//! written through the core, dated across the years the register covers.

use super::inputs::{pending_result, service_input, step1_input, Plan};
use super::names::{
    self, at, org_number, COUNTRIES, FIRST, OWNERS, PARENTS, SECOND, SERVICES, SUBCONTRACTORS,
};
use super::rng::Rng;
use super::{SeedOptions, SeedSummary};
use crate::approval::{self, Decision, NewUser, Permission, Role};
use crate::assessment::workflow::{self, Assessment, AssessmentId, ServiceAssessment};
use crate::context::SharedClock;
use crate::error::Error;
use crate::error::Refusal;
use crate::error::Result;
use crate::review::{self, DeviationInput, FollowUpKind};
use crate::rules::{self};
use crate::store::Db;
use crate::store::Sitting;
use crate::supplier::{
    self, ContractArrangement, Criticality, DataClassification, DataSensitivity, Evidence,
    EvidenceFields, EvidenceId, EvidenceKind, FunctionFields, IctServiceType, Impact, PersonalData,
    Reintegration, Reliance, Service, ServiceFields, ServiceId, Subcontractor, SubcontractorFields,
    SubcontractorId, Substitutability, SubstitutabilityReason, Supplier, SupplierDetail,
    SupplierFields, SupplierId, SupplierStatus, Tier,
};
use chrono::{DateTime, Days, Months, NaiveDate, Utc};
use std::collections::BTreeMap;

/// One generated supplier with what its assessment will be.
pub(super) struct Planned {
    detail: SupplierDetail,
    plan: Plan,
    rng: Rng,
}

/// Generates supplier `n`.
pub(super) fn supplier(
    options: &SeedOptions,
    n: usize,
    created: DateTime<Utc>,
    db: &Db,
) -> Planned {
    let mut rng = Rng::new(options.seed, n as u64);
    let (country, form) = rng.weighted(COUNTRIES);
    let tier = rng.weighted(&[
        (10, Tier::Critical),
        (25, Tier::Essential),
        (65, Tier::Standard),
    ]);
    let name = format!("{} {} {n:05} {form}", rng.pick(FIRST), rng.pick(SECOND));
    let (parent_name, parent_country, parent_identifier) = if rng.chance(30) {
        let (name, country) = *rng.pick(PARENTS);
        let index = PARENTS.iter().position(|(n, _)| *n == name).unwrap_or(0);
        (
            name.to_owned(),
            country.to_owned(),
            names::provider_lei("PAR0", index),
        )
    } else {
        (String::new(), String::new(), String::new())
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
        parent_identifier,
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
            let index = SUBCONTRACTORS
                .iter()
                .position(|(n, ..)| *n == name)
                .unwrap_or(0);
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
                    serves: None,
                    lei: names::provider_lei("SUB0", index),
                    ..Default::default()
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
            evidence_validity: Vec::new(),
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
pub(super) fn service(
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
    let mut service = Service {
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
            ict_service_type: None,
            substitutability_reason: None,
            reintegration: None,
            discontinuing_impact: None,
            data_classification: rng.weighted(&classifications),
            data_sensitivity: None,
            personal_data: rng.weighted(&[
                (45, PersonalData::None),
                (50, PersonalData::Personal),
                (5, PersonalData::SpecialCategory),
            ]),
            storage_countries: storage,
            access_countries: access,
            // A critical supplier's service supports one of the critical
            // functions more often than not; the others support the
            // organisation's administration.
            functions: vec![if tier == Tier::Critical && rng.chance(60) {
                if k.is_multiple_of(2) {
                    "F1"
                } else {
                    "F2"
                }
            } else {
                "F4"
            }
            .into()],
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
            contract_arrangement: Some(ContractArrangement::Standalone),
            overarching_contract: String::new(),
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
        supports_critical_function: false,
        created_at: created,
        updated_at: created,
    };
    // DORA's view of what was drawn above (no draw of its own, so that the
    // generated register stays the same for a seed).
    let fields = &mut service.fields;
    fields.ict_service_type = Some(match fields.service_type.as_str() {
        "SaaS" => IctServiceType::CloudSaas,
        "IaaS" => IctServiceType::CloudIaas,
        "Drift" => IctServiceType::OperationManagement,
        _ => IctServiceType::Consulting,
    });
    fields.reintegration = Some(match fields.substitutability {
        Substitutability::Easy => Reintegration::Easy,
        Substitutability::Medium => Reintegration::Difficult,
        _ => Reintegration::HighlyComplex,
    });
    if matches!(
        fields.substitutability,
        Substitutability::NotSubstitutable | Substitutability::HighlyComplex
    ) {
        fields.substitutability_reason = Some(SubstitutabilityReason::NoAlternatives);
    }
    fields.discontinuing_impact = Some(match fields.reliance {
        Reliance::NotSignificant | Reliance::Low => Impact::Low,
        Reliance::Material => Impact::Medium,
        Reliance::Full => Impact::High,
    });
    fields.data_sensitivity = Some(match fields.data_classification {
        DataClassification::Public | DataClassification::Internal => DataSensitivity::Low,
        DataClassification::Confidential => DataSensitivity::Medium,
        DataClassification::StrictlyConfidential => DataSensitivity::High,
    });
    service
}

/// An assessment to be decided, and when.
pub(super) struct ToDecide {
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
        conn.query_row(
            "SELECT (SELECT count(*) FROM app_user), (SELECT count(*) FROM supplier)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
    })?;
    if people > 0 || suppliers > 0 {
        return Err(Refusal::new("refusal.generate_into_empty")
            .with("people", people)
            .with("suppliers", suppliers)
            .into());
    }
    let as_of = options.as_of;
    let start = as_of - Months::new(36);
    clock.set(at(start, 8));
    let (admin, officer, manager) = users(db, &options.password)?;
    db.resume(&admin);
    functions(db, start)?;
    db.resume(&officer);
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
    let version = db.write(Permission::Assess, |tx| {
        rules::ensure_stored(tx, &tx.now_text())
    })?;
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
    db.resume(&officer);
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
                    assessor: officer.user.display_name.clone(),
                    step1,
                    step1_result: None,
                    resolution: None,
                    resolution_signature: None,
                    services,
                    assessor_id: None,
                    submitted_at: None,
                    decisions: Vec::new(),
                    events: Vec::new(),
                    reevaluations: Vec::new(),
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
        db.resume(&manager);
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
        db.resume(&officer);
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
pub(super) fn decide(tx: &crate::store::Tx<'_>, db: &Db, d: &ToDecide) -> Result<()> {
    let conditions = if d.decision == Decision::ApproveWithConditions {
        // Due 90 days after the decision: on a register generated months
        // back, some have fallen due.
        let due = tx.now().date_naive() + chrono::Days::new(90);
        vec![
            approval::Condition {
                text: "Exitplan och återläsningstest".into(),
                due_on: Some(due),
                closed: None,
                overdue_today: Default::default(),
            },
            approval::Condition {
                text: "SBOM för levererad programvara".into(),
                due_on: Some(due + chrono::Days::new(90)),
                closed: None,
                overdue_today: Default::default(),
            },
        ]
    } else {
        Vec::new()
    };
    approval::decide_in(
        tx,
        d.id,
        approval::ApprovalId(db.new_id()),
        d.decision,
        &conditions,
    )?;
    Ok(())
}

/// Creates the administrator `admin`, the procurement officer `olivia` and
/// the manager `magnus` on a database without users, and leaves the officer
/// signed in; returns the officer and the manager.
/// The organisation's business functions: two critical ones, customer
/// service and the internal administration.
fn functions(db: &Db, assessed_on: NaiveDate) -> Result<()> {
    let function =
        |name: &str, activity: &str, criticality, reason: &str, rto, impact| FunctionFields {
            name: name.into(),
            licensed_activity: activity.into(),
            criticality,
            criticality_reason: reason.into(),
            assessed_on: Some(assessed_on),
            rto_hours: Some(rto),
            rpo_hours: Some(rto.min(4)),
            discontinuing_impact: Some(impact),
        };
    for fields in [
        function(
            "Betalningar",
            "eba_TA:x28",
            Criticality::Critical,
            "Ett avbrott stoppar kundernas betalningar samma dag.",
            4,
            Impact::High,
        ),
        function(
            "Utlåning",
            "eba_TA:x163",
            Criticality::Critical,
            "Kreditbeslut och utbetalningar är tillståndspliktig verksamhet.",
            24,
            Impact::High,
        ),
        function(
            "Kundtjänst",
            "eba_TA:x162",
            Criticality::NotCritical,
            "Kan skötas manuellt under en vecka.",
            72,
            Impact::Medium,
        ),
        function(
            "Intern administration",
            "eba_TA:x163",
            Criticality::NotCritical,
            "",
            168,
            Impact::Low,
        ),
    ] {
        supplier::create_function(db, fields)?;
    }
    Ok(())
}

pub fn users(db: &Db, password: &str) -> Result<(Sitting, Sitting, Sitting)> {
    let user = |username: &str, name: &str, role| NewUser {
        username: username.into(),
        display_name: name.into(),
        roles: vec![role],
        password: password.into(),
    };
    approval::create_first_administrator(db, user("admin", "Ada Admin", Role::Administrator))?;
    approval::sign_in(db, "admin", password)?;
    let admin = db
        .sitting()
        .ok_or(Error::NotSignedIn("generate a register"))?;
    approval::create(
        db,
        user("olivia", "Olivia Officer", Role::ProcurementOfficer),
    )?;
    approval::create(db, user("magnus", "Magnus Manager", Role::Management))?;
    approval::sign_in(db, "magnus", password)?;
    let manager = db
        .sitting()
        .ok_or(Error::NotSignedIn("generate a register"))?;
    approval::sign_in(db, "olivia", password)?;
    let officer = db
        .sitting()
        .ok_or(Error::NotSignedIn("generate a register"))?;
    Ok((admin, officer, manager))
}

/// The number of entries in the audit trail.
pub(super) fn trail_length(db: &Db) -> Result<u64> {
    let last: i64 = db.read(|conn| {
        conn.query_row("SELECT coalesce(max(seq), 0) FROM audit_log", [], |r| {
            r.get(0)
        })
    })?;
    Ok(u64::try_from(last).unwrap_or(0))
}
