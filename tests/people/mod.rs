//! People and sign-off: roles checked in the core, management approval with
//! the password and a fingerprint, voiding, review dates, the triggers of a
//! reassessment, SLA records and the overview.

mod conditions;
mod decisions;
mod follow_up;
mod guidance;
mod overview;
mod roles;
mod worklist;

use crate::support::{self, db, sign_in, swedish_supplier, PASSWORD};
use chrono::NaiveDate;
use tillit::approval::{self, Decision, DecisionInput, Role};
use tillit::assessment::risk::Rating;
use tillit::assessment::step1::Step1Input;
use tillit::assessment::workflow::{self, *};
use tillit::error::Lock;
use tillit::review::{self, DeviationInput, FollowUpKind, SlaInput};
use tillit::rules::{default_rule_set, ListedDimension};
use tillit::supplier::*;
use tillit::{Db, Error};

pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// A supplier of `tier` with one service in Sweden, a valid ISO 27001
/// certificate, and a complete assessment by the officer, ready to submit.
pub fn assessed(db: &Db, tier: Tier) -> (SupplierId, ServiceId, AssessmentId) {
    let mut fields = swedish_supplier("Molnbolaget AB");
    fields.tier = tier;
    let supplier = create_supplier(db, fields).unwrap().supplier.id;
    let detail = add_service(
        db,
        supplier,
        ServiceFields {
            name: "Ärendesystem".into(),
            data_classification: DataClassification::Internal,
            storage_countries: vec!["SE".into()],
            access_countries: vec!["SE".into()],
            ..ServiceFields::default()
        },
    )
    .unwrap();
    let service = detail.services[0].id;
    let detail = add_evidence(
        db,
        supplier,
        EvidenceFields {
            kind: EvidenceKind::Iso27001,
            title: "ISO 27001".into(),
            valid_until: Some(date(2026, 12, 31)),
            ..EvidenceFields::default()
        },
        None,
        std::path::Path::new("/nonexistent"),
    )
    .unwrap();
    let evidence = detail.evidence[0].id;
    let id = workflow::start(db, supplier, date(2026, 3, 1)).unwrap().id;
    let mut step1 = Step1Input {
        ratings: default_rule_set()
            .criteria
            .iter()
            .map(|c| (c.key.clone(), 3))
            .collect(),
        ..Step1Input::default()
    };
    step1
        .evidence
        .insert("certification".into(), vec![evidence]);
    workflow::save_step1(db, id, step1).unwrap();
    let risk = |dimension: &str| Risk {
        dimension: dimension.into(),
        description: format!("{dimension} risk"),
        inherent: Rating {
            likelihood: 3,
            impact: 3,
        },
        treatment: Treatment::Mitigate,
        controls: "Backups and encryption".into(),
        residual: Rating {
            likelihood: 1,
            impact: 2,
        },
        owner: String::new(),
    };
    let rules = default_rule_set();
    let requirements = rules
        .requirements
        .iter()
        .map(|r| RequirementMark {
            key: r.key.clone(),
            status: RequirementStatus::InContract,
            justification: String::new(),
        })
        .collect();
    workflow::save_service(
        db,
        id,
        service,
        ServiceInput {
            risks: ListedDimension::REQUIRED
                .iter()
                .map(|d| risk(d.key()))
                .collect(),
            requirements,
            ..ServiceInput::default()
        },
    )
    .unwrap();
    (supplier, service, id)
}

fn approve(password: &str) -> DecisionInput {
    DecisionInput {
        decision: Decision::Approve,
        conditions: Vec::new(),
        password: password.into(),
    }
}

fn status(db: &Db, supplier: SupplierId) -> SupplierStatus {
    supplier_detail(db, supplier).unwrap().supplier.status
}
