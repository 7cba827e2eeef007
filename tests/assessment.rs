//! The two-step assessment as a workflow: step 1, escalation, step 2 per
//! service, the summary, and rule-set versions.

use crate::support::{self, db, sign_in, swedish_supplier};
use chrono::NaiveDate;
use std::collections::BTreeMap;
use tillit::approval::Role;
use tillit::assessment::risk::Rating;
use tillit::assessment::step1::{Step1Input, Step1Outcome};
use tillit::assessment::workflow::*;
use tillit::rules::{default_rule_set, ListedDimension, RiskBand, RiskDimension, Verdict};
use tillit::settings::Language;
use tillit::supplier::*;
use tillit::Error;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn ratings(value: u8) -> Step1Input {
    Step1Input {
        ratings: default_rule_set()
            .criteria
            .iter()
            .map(|c| (c.key.clone(), value))
            .collect::<BTreeMap<_, _>>(),
        ..Step1Input::default()
    }
}

/// Every criterion rated `value`, with every evidence item of `supplier`
/// linked to the certification criterion (only linked evidence counts).
fn certified(db: &tillit::Db, supplier: SupplierId, value: u8) -> Step1Input {
    let mut input = ratings(value);
    let evidence = supplier_detail(db, supplier)
        .unwrap()
        .evidence
        .iter()
        .map(|e| e.id)
        .collect();
    input.evidence.insert("certification".into(), evidence);
    input
}

/// A supplier with an ISO 27001 certificate valid through 2026 and one
/// service storing confidential personal data in Sweden and Finland.
fn supplier_with_service(db: &tillit::Db, tier: Tier) -> (SupplierId, ServiceId) {
    let mut fields = swedish_supplier("Molntjänst Norden AB");
    fields.tier = tier;
    let id = create_supplier(db, fields).unwrap().supplier.id;
    let dir = tempfile::tempdir().unwrap();
    add_evidence(
        db,
        id,
        EvidenceFields {
            kind: EvidenceKind::Iso27001,
            valid_from: Some(date(2024, 1, 1)),
            valid_until: Some(date(2026, 12, 31)),
            ..EvidenceFields::default()
        },
        None,
        dir.path(),
    )
    .unwrap();
    let detail = add_service(
        db,
        id,
        ServiceFields {
            name: "E-post".into(),
            data_classification: DataClassification::Confidential,
            personal_data: PersonalData::Personal,
            storage_countries: vec!["SE".into(), "FI".into()],
            ..ServiceFields::default()
        },
    )
    .unwrap();
    (id, detail.services[0].id)
}

fn risk(dimension: &str, inherent: (u8, u8), residual: (u8, u8), treatment: Treatment) -> Risk {
    Risk {
        dimension: dimension.into(),
        description: format!("{dimension} risk"),
        inherent: Rating {
            likelihood: inherent.0,
            impact: inherent.1,
        },
        treatment,
        controls: "Encryption, monitoring".into(),
        residual: Rating {
            likelihood: residual.0,
            impact: residual.1,
        },
        owner: String::new(),
    }
}

fn three_risks(residual: (u8, u8)) -> Vec<Risk> {
    ["data_protection", "availability", "business_impact"]
        .into_iter()
        .map(|d| risk(d, (4, 4), residual, Treatment::Mitigate))
        .collect()
}

#[test]
fn starting_an_assessment_puts_the_supplier_in_assessment_under_the_rule_set_in_force() {
    let db = db();
    let (supplier, _) = supplier_with_service(&db, Tier::Essential);
    let assessment = start(&db, supplier, date(2026, 3, 1)).unwrap();
    assert_eq!(assessment.rule_set_version, 1);
    assert_eq!(
        supplier_detail(&db, supplier).unwrap().supplier.status,
        SupplierStatus::InAssessment
    );
}

#[test]
fn step_2_is_refused_before_step_1_is_approved() {
    let db = db();
    let (supplier, service) = supplier_with_service(&db, Tier::Essential);
    let assessment = start(&db, supplier, date(2026, 3, 1)).unwrap();
    let input = ServiceInput {
        risks: three_risks((2, 2)),
        ..ServiceInput::default()
    };

    let error = save_service(&db, assessment.id, service, input.clone()).unwrap_err();
    assert!(matches!(error, Error::NotAllowed(_)), "{error:?}");

    save_step1(&db, assessment.id, certified(&db, supplier, 2)).unwrap(); // 22 of 33: escalates
    assert!(matches!(
        save_service(&db, assessment.id, service, input.clone()),
        Err(Error::NotAllowed(_))
    ));

    // The escalated step 1 is locked; a new assessment starts from its inputs.
    let again = start(&db, supplier, date(2026, 3, 1)).unwrap().id;
    save_step1(&db, again, certified(&db, supplier, 3)).unwrap();
    assert!(save_service(&db, again, service, input).is_ok());
}

#[test]
fn an_escalation_is_resolved_only_by_someone_else_with_a_justification() {
    let db = db();
    let (supplier, service) = supplier_with_service(&db, Tier::Essential);
    let id = start(&db, supplier, date(2026, 3, 1)).unwrap().id;
    let escalated = save_step1(&db, id, ratings(2)).unwrap();
    assert_eq!(escalated.step1_outcome(), Some(Step1Outcome::Escalate));

    let error = resolve_escalation(&db, id, Step1Outcome::Approved, "Fine").unwrap_err();
    assert!(
        matches!(error, tillit::Error::Forbidden { .. }),
        "the officer holds no management role: {error}"
    );
    // A management user who also made the assessment may not resolve it.
    support::grant_roles(&db, "olivia", &[Role::ProcurementOfficer, Role::Management]);
    sign_in(&db, "olivia");
    let error = resolve_escalation(&db, id, Step1Outcome::Approved, "Fine").unwrap_err();
    assert!(
        error.to_string().contains("someone else"),
        "the assessor is refused: {error}"
    );
    sign_in(&db, "magnus");
    let error = resolve_escalation(&db, id, Step1Outcome::Approved, "  ").unwrap_err();
    assert_eq!(error.field_errors()[0].field, "justification");

    let resolved = resolve_escalation(
        &db,
        id,
        Step1Outcome::Approved,
        "Compensated by contract terms",
    )
    .unwrap();
    assert_eq!(resolved.step1_outcome(), Some(Step1Outcome::Approved));
    assert_eq!(
        resolved.resolution.as_ref().unwrap().resolver,
        "Magnus Manager"
    );
    sign_in(&db, "olivia");
    let input = ServiceInput {
        risks: three_risks((2, 2)),
        ..ServiceInput::default()
    };
    assert!(
        save_service(&db, id, service, input).is_ok(),
        "step 2 opens after the resolution"
    );
}

#[test]
fn a_stop_rejects_the_supplier() {
    let db = db();
    let (supplier, _) = supplier_with_service(&db, Tier::Standard);
    let id = start(&db, supplier, date(2026, 3, 1)).unwrap().id;
    let mut input = certified(&db, supplier, 3);
    input.ratings.insert("ethics_sanctions".into(), 0);
    let assessment = save_step1(&db, id, input).unwrap();
    assert_eq!(assessment.step1_outcome(), Some(Step1Outcome::Stop));
    assert_eq!(
        supplier_detail(&db, supplier).unwrap().supplier.status,
        SupplierStatus::Rejected
    );
}

#[test]
fn evidence_counts_only_if_valid_on_the_assessment_date() {
    use chrono::TimeZone;
    let db = db().with_clock(tillit::context::FixedClock(
        chrono::Utc.with_ymd_and_hms(2027, 1, 2, 9, 0, 0).unwrap(),
    ));
    let (supplier, _) = supplier_with_service(&db, Tier::Standard);
    // The certificate ends 2026-12-31: on 2027-01-01 there is no valid certification.
    let id = start(&db, supplier, date(2027, 1, 1)).unwrap().id;
    let mut input = ratings(3);
    input.ratings.insert("certification".into(), 2);
    let result = save_step1(&db, id, input).unwrap().step1_result.unwrap();
    assert_eq!(result.outcome, Step1Outcome::Escalate);
    assert_eq!(
        result.reasons[0].sentence(),
        "Escalate: no valid certification and no compensating controls documented."
    );
}

#[test]
fn step_2_computes_the_level_requirements_transfer_verdict_and_blocking_items() {
    let db = db();
    let (supplier, service) = supplier_with_service(&db, Tier::Critical);
    let id = start(&db, supplier, date(2026, 3, 1)).unwrap().id;
    save_step1(&db, id, certified(&db, supplier, 3)).unwrap();

    let mut risks = three_risks((2, 2));
    risks.push(risk("concentration", (3, 4), (3, 4), Treatment::Accept)); // 12: high, accepted
    let input = ServiceInput {
        risks,
        requirements: vec![RequirementMark {
            key: "encryption".into(),
            status: RequirementStatus::Missing,
            justification: String::new(),
        }],
        ..ServiceInput::default()
    };
    let assessment = save_service(&db, id, service, input).unwrap();
    let result = &assessment.services[0].result;

    assert_eq!(result.level, Some(RiskBand::High));
    assert_eq!(
        result.mandatory.len(),
        17,
        "low + medium + high requirements, personal data included"
    );
    assert_eq!(
        result.transfer.verdict,
        Verdict::Allowed,
        "confidential data in SE and FI"
    );
    assert!(result.blocking.contains(&BlockingItem::RequirementMissing {
        key: "encryption".into()
    }));
    assert!(result.high_risk_accepted);

    let summary = summary(&db, id).unwrap();
    assert!(summary.approval_required && summary.blocked);
    assert_eq!(
        summary.approval_reasons,
        [
            ApprovalReason::CriticalTier,
            ApprovalReason::HighRiskAccepted {
                service: "E-post".into()
            }
        ]
    );
}

#[test]
fn a_forbidden_transfer_blocks_and_a_residual_above_the_inherent_score_is_refused() {
    let db = db();
    let (supplier, service) = supplier_with_service(&db, Tier::Standard);
    let mut fields = supplier_detail(&db, supplier).unwrap().services[0]
        .fields
        .clone();
    fields.access_countries = vec!["IN".into()];
    update_service(&db, service, fields).unwrap();
    let id = start(&db, supplier, date(2026, 3, 1)).unwrap().id;
    save_step1(&db, id, certified(&db, supplier, 3)).unwrap();

    let mut bad = three_risks((2, 2));
    bad[1].residual = Rating {
        likelihood: 5,
        impact: 5,
    };
    let error = save_service(
        &db,
        id,
        service,
        ServiceInput {
            risks: bad,
            ..ServiceInput::default()
        },
    )
    .unwrap_err();
    assert_eq!(
        error.field_errors()[0].field,
        "risks[1].residual_likelihood"
    );

    let missing_dimension = vec![risk("availability", (3, 3), (2, 2), Treatment::Mitigate)];
    let error = save_service(
        &db,
        id,
        service,
        ServiceInput {
            risks: missing_dimension,
            ..ServiceInput::default()
        },
    )
    .unwrap_err();
    assert_eq!(
        error.field_errors().len(),
        2,
        "data_protection and business_impact are missing: {error}"
    );

    let assessment = save_service(
        &db,
        id,
        service,
        ServiceInput {
            risks: three_risks((1, 2)),
            ..ServiceInput::default()
        },
    )
    .unwrap();
    let result = &assessment.services[0].result;
    assert_eq!(
        result.transfer.verdict,
        Verdict::Forbidden,
        "confidential data accessed from India"
    );
    assert!(result.blocking.contains(&BlockingItem::TransferForbidden));
}

#[test]
fn a_new_rule_set_version_changes_nothing_until_the_assessment_is_reevaluated() {
    let db = db();
    let (supplier, _) = supplier_with_service(&db, Tier::Standard);
    let id = start(&db, supplier, date(2026, 3, 1)).unwrap().id;
    let mut input = certified(&db, supplier, 2);
    input.ratings.insert("certification".into(), 3);
    input.ratings.insert("access_control".into(), 3);
    // 24 of 33 is 72 %: approved under the default 70 %.
    let before = save_step1(&db, id, input).unwrap();
    assert_eq!(before.step1_outcome(), Some(Step1Outcome::Approved));

    let mut strict = default_rule_set();
    strict.step1.min_total_percent = 80;
    sign_in(&db, "admin");
    let version = tillit::operations::save_rules(&db, &strict, "Threshold raised to 80 %").unwrap();
    sign_in(&db, "olivia");
    assert_eq!(version, 2);

    let unchanged = get(&db, id).unwrap();
    assert_eq!(
        unchanged, before,
        "the stored assessment is untouched by the new version"
    );

    let reevaluated = reevaluate(&db, id).unwrap();
    assert_eq!(reevaluated.rule_set_version, 2);
    assert_eq!(reevaluated.step1_outcome(), Some(Step1Outcome::Escalate));
    // Escalated now, step 1 is locked: no second re-evaluation can rate it away.
    assert!(matches!(
        reevaluate(&db, id),
        Err(Error::Locked(tillit::error::Lock::Step1Escalated))
    ));
    let recorded: u32 = db
        .read(|c| {
            c.query_row(
                "SELECT count(*) FROM reevaluation WHERE to_version = 2",
                [],
                |r| r.get(0),
            )
        })
        .unwrap();
    assert_eq!(recorded, 1);
}

#[test]
fn an_invalid_rule_set_is_refused() {
    let db = db();
    let mut rules = default_rule_set();
    rules.bands.medium_max = 3;
    rules.exposing_jurisdictions.push("XX".into());
    sign_in(&db, "admin");
    let error = tillit::operations::save_rules(&db, &rules, "").unwrap_err();
    let fields: Vec<&str> = error
        .field_errors()
        .iter()
        .map(|e| e.field.as_str())
        .collect();
    assert_eq!(fields, ["bands", "exposing_jurisdictions"]);
}

#[test]
fn a_rule_set_that_adds_an_exposing_jurisdiction_updates_every_supplier_at_once() {
    let db = db();
    let mut fields = swedish_supplier("Datacenter i Kina AB");
    fields.parent_name = "Shenzhen Holding".into();
    fields.parent_country = "CN".into();
    let id = create_supplier(&db, fields).unwrap().supplier.id;
    assert!(!supplier_detail(&db, id).unwrap().exposure.exposed);

    let mut rules = default_rule_set();
    rules.exposing_jurisdictions.push("CN".into());
    sign_in(&db, "admin");
    tillit::operations::save_rules(&db, &rules, "China's National Intelligence Law added").unwrap();

    let detail = supplier_detail(&db, id).unwrap();
    assert!(detail.exposure.exposed);
    let page = list_register(
        &db,
        &RegisterQuery {
            exposed: Some(true),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(
        page.rows.len(),
        1,
        "the stored flag the register filters on follows too"
    );
}

#[test]
fn an_assessment_date_in_the_future_or_long_ago_is_refused() {
    let db = db(); // the clock says 2026-03-01
    let (supplier, _) = supplier_with_service(&db, Tier::Standard);
    for impossible in [date(2026, 3, 2), date(1, 12, 3)] {
        let error = start(&db, supplier, impossible).unwrap_err();
        assert_eq!(error.field_errors()[0].field, "assessed_on", "{impossible}");
    }
    assert!(start(&db, supplier, date(2026, 3, 1)).is_ok());
}

#[test]
fn a_dimension_beyond_the_listed_ones_is_named_by_the_officer_and_kept_as_named() {
    let db = db();
    let (supplier, service) = supplier_with_service(&db, Tier::Standard);
    let id = start(&db, supplier, date(2026, 3, 1)).unwrap().id;
    save_step1(&db, id, certified(&db, supplier, 3)).unwrap();

    let mut unnamed = three_risks((2, 2));
    unnamed.push(risk(" ", (3, 3), (2, 2), Treatment::Mitigate));
    let error = save_service(
        &db,
        id,
        service,
        ServiceInput {
            risks: unnamed,
            ..ServiceInput::default()
        },
    )
    .unwrap_err();
    assert_eq!(
        error.field_errors()[0].field,
        "risks[3].dimension",
        "{error}"
    );
    assert!(get(&db, id).unwrap().services.is_empty(), "nothing saved");

    let mut named = three_risks((2, 2));
    named.push(risk("Leveranskedja", (3, 3), (2, 2), Treatment::Mitigate));
    let saved = save_service(
        &db,
        id,
        service,
        ServiceInput {
            risks: named,
            ..ServiceInput::default()
        },
    )
    .unwrap();
    let risks = &saved.services[0].input.risks;
    assert_eq!(
        risks[0].dimension,
        RiskDimension::Listed(ListedDimension::DataProtection)
    );
    assert_eq!(
        risks[3].dimension,
        RiskDimension::Other("Leveranskedja".into())
    );
    // On the wire and in the register file it is one string, as named.
    let json = serde_json::to_value(&risks[3]).unwrap();
    assert_eq!(json["dimension"], "Leveranskedja");
    assert_eq!(
        serde_json::to_value(&risks[0]).unwrap()["dimension"],
        "data_protection"
    );
    assert_eq!(risks[3].dimension.name_in(Language::Sv), "Leveranskedja");
    assert_eq!(risks[0].dimension.name_in(Language::Sv), "Dataskydd");
}

#[test]
fn each_risk_may_name_its_owner_kept_trimmed_and_an_empty_owner_leaves_the_fingerprint_as_it_was() {
    let db = db();
    let (supplier, service) = supplier_with_service(&db, Tier::Standard);
    let id = start(&db, supplier, date(2026, 3, 1)).unwrap().id;
    save_step1(&db, id, certified(&db, supplier, 3)).unwrap();
    let saved = save_service(
        &db,
        id,
        service,
        ServiceInput {
            risks: three_risks((1, 2)),
            ..ServiceInput::default()
        },
    )
    .unwrap();
    let before = tillit::approval::fingerprint(&saved).unwrap();
    // The content without owners serialises as before owners existed.
    let content = serde_json::to_string(&saved.services[0].input).unwrap();
    assert!(!content.contains("owner"), "{content}");

    let mut risks = three_risks((1, 2));
    risks[0].owner = "x".repeat(201);
    let error = save_service(
        &db,
        id,
        service,
        ServiceInput {
            risks: risks.clone(),
            ..ServiceInput::default()
        },
    )
    .unwrap_err();
    assert_eq!(support::fields_of(&error), ["risks[0].owner"]);
    assert_eq!(
        tillit::approval::fingerprint(&get(&db, id).unwrap()).unwrap(),
        before,
        "a refused save changes nothing"
    );

    risks[0].owner = "  Örjan Ådel, informationssäkerhetschef ".into();
    let saved = save_service(
        &db,
        id,
        service,
        ServiceInput {
            risks,
            ..ServiceInput::default()
        },
    )
    .unwrap();
    assert_eq!(
        saved.services[0].input.risks[0].owner,
        "Örjan Ådel, informationssäkerhetschef"
    );
    assert_ne!(tillit::approval::fingerprint(&saved).unwrap(), before);
}

#[test]
fn a_step_saved_by_someone_else_since_the_form_opened_is_not_overwritten() {
    let db = db();
    support::grant_roles(&db, "magnus", &[Role::ProcurementOfficer]);
    let (supplier, service) = supplier_with_service(&db, Tier::Critical);
    let id = start(&db, supplier, date(2026, 3, 1)).unwrap().id;
    let opened = save_step1(&db, id, certified(&db, supplier, 3))
        .unwrap()
        .step1;

    // Both open step 1; Magnus saves first, then Olivia's save is refused.
    sign_in(&db, "magnus");
    let mut his = certified(&db, supplier, 3);
    his.compensating_controls = "Magnus's controls".into();
    save_step1_based_on(&db, id, his.clone(), opened.clone()).unwrap();
    sign_in(&db, "olivia");
    let mut hers = certified(&db, supplier, 3);
    hers.compensating_controls = "Olivia's controls".into();
    let refused = save_step1_based_on(&db, id, hers, opened).unwrap_err();
    assert!(
        matches!(&refused, Error::Stale { by, .. } if by == "Magnus Manager"),
        "{refused}"
    );
    assert_eq!(get(&db, id).unwrap().step1, Some(his), "his step 1 stands");

    // The same for a service's step 2.
    let first = ServiceInput {
        risks: three_risks((2, 2)),
        ..ServiceInput::default()
    };
    let opened = save_service(&db, id, service, first.clone())
        .unwrap()
        .services[0]
        .input
        .clone();
    sign_in(&db, "magnus");
    let mut his = opened.clone();
    his.risks[0].description = "Magnus's description".into();
    save_service_based_on(&db, id, service, his, Some(opened.clone())).unwrap();
    sign_in(&db, "olivia");
    let mut hers = opened.clone();
    hers.risks[1].description = "Olivia's description".into();
    let refused = save_service_based_on(&db, id, service, hers, Some(opened)).unwrap_err();
    assert!(
        matches!(&refused, Error::Stale { by, .. } if by == "Magnus Manager"),
        "{refused}"
    );
    let now = get(&db, id).unwrap();
    assert_eq!(
        now.services[0].input.risks[0].description,
        "Magnus's description"
    );
    assert_ne!(
        now.services[0].input.risks[1].description,
        "Olivia's description"
    );
}
