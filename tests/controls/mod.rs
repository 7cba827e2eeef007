//! The controls around a supplier decision (DOMAIN §2–§8), each as it was
//! seen walked past: an escalation re-rated away, a decision voided by a
//! save, pre-filled ratings, SOC 2 reports misread, any evidence taken as the
//! certification, subcontractors invisible to the transfer rules, "accept"
//! escaping management, time-based events waiting for the window, and
//! statuses drifting from their assessments.

mod agreement;
mod events;
mod evidence;
mod locks;
mod properties;
mod round_trips;
mod transfers;

use crate::support::{db, db_at, sign_in, swedish_supplier, PASSWORD};
use chrono::{NaiveDate, TimeZone, Utc};
use std::collections::BTreeMap;
use tillit::approval::{self, Decision, DecisionInput};
use tillit::assessment::certification::Standing;
use tillit::assessment::risk::Rating;
use tillit::assessment::step1::{Step1Input, Step1Outcome, Step1Reason};
use tillit::assessment::workflow::{self, *};
use tillit::error::Lock;
use tillit::rules::{default_rule_set, Verdict};
use tillit::supplier::*;
use tillit::{Db, Error};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn all(rating: u8) -> BTreeMap<String, u8> {
    default_rule_set()
        .criteria
        .iter()
        .map(|c| (c.key.clone(), rating))
        .collect()
}

/// Step 1 with every criterion at `rating` and `linked` evidence linked to
/// the certification criterion.
fn step1(rating: u8, linked: &[EvidenceId]) -> Step1Input {
    let mut input = Step1Input {
        ratings: all(rating),
        ..Step1Input::default()
    };
    input
        .evidence
        .insert("certification".into(), linked.to_vec());
    input
}

fn evidence(kind: EvidenceKind, from: NaiveDate, until: NaiveDate) -> EvidenceFields {
    EvidenceFields {
        kind,
        title: format!("{} report", kind.as_str()),
        valid_from: Some(from),
        valid_until: Some(until),
        ..EvidenceFields::default()
    }
}

/// A supplier of `tier` with one internal service stored in Sweden, and the
/// evidence `items`; returns the supplier, its service and the evidence ids.
fn registered(
    db: &Db,
    tier: Tier,
    items: &[EvidenceFields],
) -> (SupplierId, ServiceId, Vec<EvidenceId>) {
    let mut fields = swedish_supplier("Kontrollen AB");
    fields.tier = tier;
    let id = create_supplier(db, fields).unwrap().supplier.id;
    let service = add_service(
        db,
        id,
        ServiceFields {
            name: "Ärendesystem".into(),
            data_classification: DataClassification::Internal,
            storage_countries: vec!["SE".into()],
            ..ServiceFields::default()
        },
    )
    .unwrap()
    .services[0]
        .id;
    let mut ids = Vec::new();
    for item in items {
        let detail = add_evidence(
            db,
            id,
            item.clone(),
            None,
            std::path::Path::new("/nonexistent"),
        )
        .unwrap();
        let added = detail
            .evidence
            .iter()
            .find(|e| !ids.contains(&e.id))
            .unwrap()
            .id;
        ids.push(added);
    }
    (id, service, ids)
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

fn complete_step2(
    db: &Db,
    id: AssessmentId,
    service: ServiceId,
    extra: Option<Risk>,
) -> Assessment {
    let mut risks: Vec<Risk> = ["data_protection", "availability", "business_impact"]
        .into_iter()
        .map(|d| risk(d, (2, 2), (1, 2), Treatment::Mitigate))
        .collect();
    risks.extend(extra);
    let mut input = ServiceInput {
        risks,
        ..ServiceInput::default()
    };
    let mandatory = save_service(db, id, service, input.clone())
        .unwrap()
        .services[0]
        .result
        .mandatory
        .clone();
    input.requirements = mandatory
        .into_iter()
        .map(|key| RequirementMark {
            key,
            status: RequirementStatus::InContract,
            justification: String::new(),
        })
        .collect();
    save_service(db, id, service, input).unwrap()
}

fn status(db: &Db, supplier: SupplierId) -> SupplierStatus {
    supplier_detail(db, supplier).unwrap().supplier.status
}

fn isms() -> EvidenceFields {
    evidence(EvidenceKind::Iso27001, date(2025, 1, 1), date(2027, 12, 31))
}

// 1. An escalation can be made to disappear.
