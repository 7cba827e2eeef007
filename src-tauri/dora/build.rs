//! The register as the templates' rows: every cell from what Tillit holds
//! (docs/dora.md says which field fills which column), each row with the
//! supplier, contract and service it came from. A cell Tillit cannot fill
//! is left empty for the checks to name; what only the builder can see (a
//! condition on other cells) it reports itself.

use super::codes::{self, identifier, NO_COUNTRY, OPEN_DATE};
use super::spec::{self, Template};
use super::Problem;
use crate::error::ValidationCode;
use crate::settings::Organisation;
use crate::supplier::{
    BusinessFunction, ContractArrangement, EvidenceKind, Service, Subcontractor, SubcontractorId,
    Substitutability, SupplierDetail, SupplierFields, SupplierStatus,
};
use chrono::{Datelike, NaiveDate};
use std::collections::{HashMap, HashSet};

/// Where a row came from, for the problems about it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Origin {
    pub supplier: Option<String>,
    pub contract: Option<String>,
    pub service: Option<String>,
    pub subcontractor: Option<String>,
    pub function: Option<String>,
}

impl Origin {
    /// What the row came from, each as (kind, name): ("supplier", "Molnet AB") …
    pub fn parts(&self) -> Vec<(String, String)> {
        [
            ("supplier", &self.supplier),
            ("contract", &self.contract),
            ("service", &self.service),
            ("subcontractor", &self.subcontractor),
            ("function", &self.function),
        ]
        .iter()
        .filter_map(|(what, value)| value.as_ref().map(|v| ((*what).to_owned(), v.clone())))
        .collect()
    }

    /// "supplier Molnet AB, contract AVT-1, service Drift".
    pub fn said(&self) -> String {
        self.parts()
            .iter()
            .map(|(what, name)| format!("{what} {name}"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// One row of a template.
#[derive(Debug, Clone)]
pub struct Row {
    pub cells: Vec<String>,
    pub origin: Origin,
}

/// A template and its rows.
#[derive(Debug, Clone)]
pub struct Table {
    pub template: &'static Template,
    pub rows: Vec<Row>,
}

/// A provider's identification code and its type.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Code {
    pub id: String,
    pub kind: &'static str,
}

impl Code {
    fn none() -> Code {
        Code {
            id: String::new(),
            kind: "",
        }
    }
}

/// Builds the rows of a table, a cell at a time by column code.
struct Rows {
    table: Table,
    seen: HashSet<Vec<String>>,
    dedupe: bool,
}

impl Rows {
    fn new(code: &str) -> Rows {
        Rows {
            table: Table {
                template: spec::template(code),
                rows: Vec::new(),
            },
            seen: HashSet::new(),
            dedupe: false,
        }
    }

    /// Rows whose key another row already has are the same row, written once.
    fn once(mut self) -> Rows {
        self.dedupe = true;
        self
    }

    fn push(&mut self, origin: &Origin, cells: &[(&str, String)]) {
        let template = self.table.template;
        let mut row = vec![String::new(); template.columns.len()];
        for (code, value) in cells {
            if let Some(at) = template.position(code) {
                row[at] = value.clone();
            }
        }
        if self.dedupe {
            let key: Vec<String> = template
                .columns
                .iter()
                .zip(&row)
                .filter(|(c, _)| c.key)
                .map(|(_, v)| v.clone())
                .collect();
            if !key.iter().all(String::is_empty) && !self.seen.insert(key) {
                return;
            }
        }
        self.table.rows.push(Row {
            cells: row,
            origin: origin.clone(),
        });
    }
}

/// `text`'s letters and digits only.
fn compact(text: &str) -> String {
    text.chars().filter(|c| c.is_ascii_alphanumeric()).collect()
}

/// A registration number as the register codes it: the country's two
/// letters, then the number's letters and digits (the country is not
/// written twice when the number starts with it).
fn registration_code(country: &str, number: &str) -> String {
    let number = compact(number);
    if number.starts_with(country) {
        number
    } else {
        format!("{country}{number}")
    }
}

/// The identification code of a supplier: its LEI, else its EUID, else its
/// registration number with the country, else its VAT number.
pub fn supplier_code(f: &SupplierFields) -> Code {
    if !f.lei.is_empty() {
        Code {
            id: f.lei.clone(),
            kind: identifier::LEI,
        }
    } else if !f.euid.is_empty() {
        Code {
            id: f.euid.clone(),
            kind: identifier::EUID,
        }
    } else if !f.registration_number.is_empty() && !f.country_of_incorporation.is_empty() {
        Code {
            id: registration_code(&f.country_of_incorporation, &f.registration_number),
            kind: identifier::REGISTRATION_NUMBER,
        }
    } else if !f.vat_number.is_empty() {
        Code {
            id: compact(&f.vat_number),
            kind: identifier::VAT_NUMBER,
        }
    } else {
        Code::none()
    }
}

fn subcontractor_code(s: &Subcontractor) -> Code {
    let f = &s.fields;
    if !f.lei.is_empty() {
        Code {
            id: f.lei.clone(),
            kind: identifier::LEI,
        }
    } else if !f.registration_number.is_empty() {
        Code {
            id: registration_code(&f.country, &f.registration_number),
            kind: identifier::REGISTRATION_NUMBER,
        }
    } else {
        Code::none()
    }
}

/// The ultimate parent of a supplier: the supplier itself when it names
/// none; its identifier an LEI when it is one, else a registration number
/// with the parent's country; none when a parent is named without one.
fn parent_code(f: &SupplierFields, own: &Code) -> Code {
    let identifier = f.parent_identifier.trim();
    if f.parent_name.trim().is_empty() && identifier.is_empty() {
        return own.clone();
    }
    if let Ok(lei) = crate::supplier::validate::lei(identifier) {
        return Code {
            id: lei,
            kind: identifier::LEI,
        };
    }
    if identifier.is_empty() || f.parent_country.is_empty() {
        return Code::none();
    }
    Code {
        id: registration_code(&f.parent_country, identifier),
        kind: identifier::REGISTRATION_NUMBER,
    }
}

/// The date of the last audit of a provider, on or before `on`: the
/// latest of the end of the period an assurance report covers, the first
/// day a certificate is valid from, and the day of the latest decided
/// assessment of the provider.
fn last_audit(
    detail: &SupplierDetail,
    decided: Option<NaiveDate>,
    on: NaiveDate,
) -> Option<NaiveDate> {
    detail
        .evidence
        .iter()
        .filter_map(|e| match e.fields.kind {
            EvidenceKind::Soc2Type2 | EvidenceKind::Isae3000Type2 | EvidenceKind::Isae3402Type2 => {
                e.fields.valid_until
            }
            _ => e.fields.valid_from,
        })
        .chain(decided)
        .filter(|d| *d <= on)
        .max()
}

fn text<T: ToString>(value: Option<T>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

/// Everything the package is built from.
pub struct Register<'a> {
    pub organisation: &'a Organisation,
    pub functions: &'a [BusinessFunction],
    pub suppliers: &'a [SupplierDetail],
    /// Each supplier's latest decided assessment.
    pub decided: &'a HashMap<crate::supplier::SupplierId, NaiveDate>,
    pub reference_date: NaiveDate,
    pub reported_on: NaiveDate,
}

/// The services of the register that the package covers: those of
/// suppliers not offboarded, whose contract had not ended before the
/// reference year began.
fn covered<'a>(register: &Register<'a>) -> Vec<(&'a SupplierDetail, Vec<&'a Service>)> {
    let year_start = NaiveDate::from_ymd_opt(register.reference_date.year(), 1, 1)
        .unwrap_or(register.reference_date);
    register
        .suppliers
        .iter()
        .filter(|d| d.supplier.status != SupplierStatus::Offboarded)
        .map(|d| {
            let services: Vec<&Service> = d
                .services
                .iter()
                .filter(|s| s.fields.contract_end.is_none_or(|end| end >= year_start))
                .collect();
            (d, services)
        })
        .filter(|(_, services)| !services.is_empty())
        .collect()
}

/// The rows of every template, and the problems only the builder sees.
pub fn tables(register: &Register<'_>, problems: &mut Vec<Problem>) -> Vec<Table> {
    let org = register.organisation;
    let lei = org.lei.clone();
    let entity = Origin::default();
    let country = |code: &str| {
        if code.is_empty() {
            String::new()
        } else {
            codes::country(code)
        }
    };
    let functions: HashMap<&str, &BusinessFunction> = register
        .functions
        .iter()
        .map(|f| (f.id.as_str(), f))
        .collect();

    let mut b0101 = Rows::new("B_01.01");
    let mut b0102 = Rows::new("B_01.02");
    let b0103 = Rows::new("B_01.03");
    let mut b0201 = Rows::new("B_02.01");
    let mut b0202 = Rows::new("B_02.02").once();
    let mut b0203 = Rows::new("B_02.03").once();
    let mut b0301 = Rows::new("B_03.01").once();
    let mut b0302 = Rows::new("B_03.02").once();
    let b0303 = Rows::new("B_03.03");
    let mut b0401 = Rows::new("B_04.01").once();
    let mut b0501 = Rows::new("B_05.01");
    let mut b0502 = Rows::new("B_05.02").once();
    let mut b0601 = Rows::new("B_06.01");
    let mut b0701 = Rows::new("B_07.01").once();
    let mut b9901 = Rows::new("B_99.01");

    let entity_type = org.entity_type.map(codes::entity_type).unwrap_or_default();
    b0101.push(
        &entity,
        &[
            ("c0010", lei.clone()),
            ("c0020", org.legal_name.clone()),
            ("c0030", country(&org.country)),
            ("c0040", entity_type.clone()),
            ("c0050", org.competent_authority.clone()),
            ("c0060", register.reported_on.to_string()),
        ],
    );
    let covered = covered(register);
    let first_recorded = register
        .suppliers
        .iter()
        .map(|d| d.supplier.created_at.date_naive())
        .min()
        .unwrap_or(register.reported_on);
    b0102.push(
        &entity,
        &[
            ("c0010", lei.clone()),
            ("c0020", org.legal_name.clone()),
            ("c0030", country(&org.country)),
            ("c0040", entity_type),
            // The entity reports for itself: the top of its own group.
            ("c0050", "eba_RP:x53".into()),
            ("c0070", register.reported_on.to_string()),
            ("c0080", first_recorded.to_string()),
            ("c0090", OPEN_DATE.into()),
            (
                "c0100",
                if org.total_assets.is_some() {
                    codes::currency(&org.currency)
                } else {
                    String::new()
                },
            ),
            ("c0110", text(org.total_assets)),
        ],
    );

    for f in register.functions {
        let origin = Origin {
            function: Some(format!("{} {}", f.id, f.fields.name)),
            ..Origin::default()
        };
        b0601.push(
            &origin,
            &[
                ("c0010", f.id.clone()),
                ("c0020", f.fields.licensed_activity.clone()),
                ("c0030", f.fields.name.clone()),
                ("c0040", lei.clone()),
                ("c0050", codes::criticality(f.fields.criticality).into()),
                ("c0060", f.fields.criticality_reason.clone()),
                ("c0070", text(f.fields.assessed_on)),
                ("c0080", text(f.fields.rto_hours)),
                ("c0090", text(f.fields.rpo_hours)),
                ("c0100", codes::impact(f.fields.discontinuing_impact).into()),
            ],
        );
    }

    // Contracts: the services that share a reference share one; a service
    // without a reference is a contract of its own with an empty key.
    let mut contracts: Vec<(String, Vec<(&SupplierDetail, &Service)>)> = Vec::new();
    let mut by_reference: HashMap<String, usize> = HashMap::new();
    for (detail, services) in &covered {
        for service in services {
            let reference = service.fields.contract_reference.clone();
            let group = if reference.is_empty() {
                service.id.to_string()
            } else {
                reference.clone()
            };
            match by_reference.get(&group) {
                Some(at) => contracts[*at].1.push((detail, service)),
                None => {
                    by_reference.insert(group, contracts.len());
                    contracts.push((reference, vec![(detail, service)]));
                }
            }
        }
    }

    let mut providers: HashSet<Code> = HashSet::new();
    for (detail, services) in &covered {
        let f = &detail.supplier.fields;
        let own = supplier_code(f);
        let parent = parent_code(f, &own);
        let origin = Origin {
            supplier: Some(f.legal_name.clone()),
            ..Origin::default()
        };
        let currencies: HashSet<&str> = services
            .iter()
            .map(|s| s.fields.currency.as_str())
            .collect();
        let (currency, expense) = match currencies.into_iter().collect::<Vec<_>>()[..] {
            [single] if !single.is_empty() => (
                codes::currency(single),
                text(
                    services
                        .iter()
                        .filter_map(|s| s.fields.annual_cost)
                        .reduce(|a, b| a + b),
                ),
            ),
            _ => (String::new(), String::new()),
        };
        b0501.push(
            &origin,
            &[
                ("c0010", own.id.clone()),
                ("c0020", own.kind.into()),
                ("c0050", f.legal_name.clone()),
                ("c0070", codes::person_type(f.person_type).into()),
                ("c0080", country(&f.country_of_headquarters)),
                ("c0090", currency),
                ("c0100", expense),
                ("c0110", parent.id.clone()),
                ("c0120", parent.kind.into()),
            ],
        );
        providers.insert(own.clone());
        for sub in &detail.subcontractors {
            let code = subcontractor_code(sub);
            let origin = Origin {
                supplier: Some(f.legal_name.clone()),
                subcontractor: Some(sub.fields.name.clone()),
                ..Origin::default()
            };
            if code.id.is_empty() || providers.insert(code.clone()) {
                b0501.push(
                    &origin,
                    &[
                        ("c0010", code.id.clone()),
                        ("c0020", code.kind.into()),
                        ("c0050", sub.fields.name.clone()),
                        ("c0070", codes::person_type(sub.fields.person_type).into()),
                        ("c0080", country(&sub.fields.country)),
                        ("c0110", code.id.clone()),
                        ("c0120", code.kind.into()),
                    ],
                );
            }
        }
        // Every ultimate parent named gets a row of its own.
        if parent != own && !parent.id.is_empty() && providers.insert(parent.clone()) {
            b0501.push(
                &origin,
                &[
                    ("c0010", parent.id.clone()),
                    ("c0020", parent.kind.into()),
                    ("c0050", f.parent_name.clone()),
                    ("c0070", codes::person_type(Default::default()).into()),
                    ("c0080", country(&f.parent_country)),
                    ("c0110", parent.id.clone()),
                    ("c0120", parent.kind.into()),
                ],
            );
        }
    }

    for (reference, services) in &contracts {
        let (first_detail, first) = services[0];
        let origin = Origin {
            supplier: Some(first_detail.supplier.fields.legal_name.clone()),
            contract: Some(reference.clone()).filter(|r| !r.is_empty()),
            service: reference.is_empty().then(|| first.fields.name.clone()),
            ..Origin::default()
        };
        let currencies: HashSet<&str> = services
            .iter()
            .map(|(_, s)| s.fields.currency.as_str())
            .filter(|c| !c.is_empty())
            .collect();
        if currencies.len() > 1 {
            problems.push(Problem::new(
                "B_02.01",
                None,
                "c0040",
                ValidationCode::Format,
                format!(
                    "the services of the contract give different currencies ({}); a contract has one",
                    {
                        let mut list: Vec<&str> = currencies.iter().copied().collect();
                        list.sort();
                        list.join(", ")
                    }
                ),
                &origin,
                "service.currency",
            ));
        }
        let arrangement = first.fields.contract_arrangement;
        b0201.push(
            &origin,
            &[
                ("c0010", reference.clone()),
                (
                    "c0020",
                    arrangement
                        .map(codes::arrangement)
                        .unwrap_or_default()
                        .into(),
                ),
                (
                    "c0030",
                    if arrangement == Some(ContractArrangement::Subsequent) {
                        first.fields.overarching_contract.clone()
                    } else {
                        String::new()
                    },
                ),
                (
                    "c0040",
                    currencies
                        .iter()
                        .next()
                        .map(|c| codes::currency(c))
                        .unwrap_or_default(),
                ),
                (
                    "c0050",
                    text(
                        services
                            .iter()
                            .filter_map(|(_, s)| s.fields.annual_cost)
                            .reduce(|a, b| a + b),
                    ),
                ),
            ],
        );
        if arrangement == Some(ContractArrangement::Subsequent) {
            b0203.push(
                &origin,
                &[
                    ("c0010", reference.clone()),
                    ("c0020", first.fields.overarching_contract.clone()),
                    ("c0030", "true".into()),
                ],
            );
        }
        b0301.push(
            &origin,
            &[
                ("c0010", reference.clone()),
                ("c0020", lei.clone()),
                ("c0030", "true".into()),
            ],
        );
        b0401.push(
            &origin,
            &[
                ("c0010", reference.clone()),
                ("c0020", lei.clone()),
                ("c0030", "eba_ZZ:x839".into()),
            ],
        );
        for (detail, service) in services {
            let f = &service.fields;
            let own = supplier_code(&detail.supplier.fields);
            let origin = Origin {
                supplier: Some(detail.supplier.fields.legal_name.clone()),
                contract: Some(reference.clone()).filter(|r| !r.is_empty()),
                service: Some(f.name.clone()),
                ..Origin::default()
            };
            b0302.push(
                &origin,
                &[
                    ("c0010", reference.clone()),
                    ("c0020", own.id.clone()),
                    ("c0030", own.kind.into()),
                ],
            );
            let ict_type = f
                .ict_service_type
                .map(codes::ict_service_type)
                .unwrap_or_default();
            let critical = f.functions.iter().any(|id| {
                functions
                    .get(id.as_str())
                    .is_some_and(|g| g.fields.criticality == crate::supplier::Criticality::Critical)
            });
            if critical {
                for (column, missing, field) in [
                    (
                        "c0100",
                        f.notice_period_customer_days.is_none(),
                        "service.notice_period_customer_days",
                    ),
                    (
                        "c0110",
                        f.notice_period_supplier_days.is_none(),
                        "service.notice_period_supplier_days",
                    ),
                    (
                        "c0120",
                        f.governing_law_country.is_empty(),
                        "service.governing_law_country",
                    ),
                ] {
                    if missing {
                        problems.push(Problem::new(
                            "B_02.02",
                            None,
                            column,
                            ValidationCode::Required,
                            "is required for a service that supports a critical or important function",
                            &origin,
                            field,
                        ));
                    }
                }
            }
            let ended = f.contract_end.filter(|end| *end <= register.reference_date);
            let function_ids: Vec<String> = if f.functions.is_empty() {
                vec![String::new()]
            } else {
                f.functions.clone()
            };
            let or_none = |list: &[String]| -> Vec<String> {
                if list.is_empty() {
                    vec![NO_COUNTRY.into()]
                } else {
                    list.iter().map(|c| codes::country(c)).collect()
                }
            };
            for function in &function_ids {
                for stored in or_none(&f.storage_countries) {
                    for processed in or_none(&f.access_countries) {
                        b0202.push(
                            &origin,
                            &[
                                ("c0010", reference.clone()),
                                ("c0020", lei.clone()),
                                ("c0030", own.id.clone()),
                                ("c0040", own.kind.into()),
                                ("c0050", function.clone()),
                                ("c0060", ict_type.clone()),
                                ("c0070", text(f.contract_start)),
                                (
                                    "c0080",
                                    f.contract_end.map_or(OPEN_DATE.into(), |d| d.to_string()),
                                ),
                                (
                                    "c0090",
                                    if ended.is_some() {
                                        "eba_CO:x4".into()
                                    } else {
                                        String::new()
                                    },
                                ),
                                ("c0100", text(f.notice_period_customer_days)),
                                ("c0110", text(f.notice_period_supplier_days)),
                                ("c0120", country(&f.governing_law_country)),
                                (
                                    "c0130",
                                    country(&detail.supplier.fields.country_of_headquarters),
                                ),
                                (
                                    "c0140",
                                    codes::yes_no(!f.storage_countries.is_empty()).into(),
                                ),
                                ("c0150", stored.clone()),
                                ("c0160", processed),
                                (
                                    "c0170",
                                    f.data_sensitivity
                                        .map(codes::sensitivity)
                                        .unwrap_or_default()
                                        .into(),
                                ),
                                ("c0180", codes::reliance(f.reliance).into()),
                            ],
                        );
                    }
                }
            }
            // The supply chain of the service: the provider at rank 1,
            // then each subcontractor working on it, below whom it works for.
            b0502.push(
                &origin,
                &[
                    ("c0010", reference.clone()),
                    ("c0020", ict_type.clone()),
                    ("c0030", own.id.clone()),
                    ("c0040", own.kind.into()),
                    ("c0050", "1".into()),
                    ("c0060", own.id.clone()),
                    ("c0070", own.kind.into()),
                ],
            );
            let by_id: HashMap<SubcontractorId, &Subcontractor> =
                detail.subcontractors.iter().map(|s| (s.id, s)).collect();
            for sub in &detail.subcontractors {
                let on_it =
                    sub.fields.services.is_empty() || sub.fields.services.contains(&service.id);
                if !on_it {
                    continue;
                }
                let mut rank = 2;
                let mut above = sub.fields.serves;
                let mut steps = 0;
                while let Some(up) = above.and_then(|id| by_id.get(&id)) {
                    rank += 1;
                    above = up.fields.serves;
                    steps += 1;
                    if steps > by_id.len() {
                        break;
                    }
                }
                let recipient = match sub.fields.serves.and_then(|id| by_id.get(&id)) {
                    Some(up) => subcontractor_code(up),
                    None => own.clone(),
                };
                let code = subcontractor_code(sub);
                let origin = Origin {
                    subcontractor: Some(sub.fields.name.clone()),
                    ..origin.clone()
                };
                b0502.push(
                    &origin,
                    &[
                        ("c0010", reference.clone()),
                        ("c0020", ict_type.clone()),
                        ("c0030", code.id.clone()),
                        ("c0040", code.kind.into()),
                        ("c0050", rank.to_string()),
                        ("c0060", recipient.id),
                        ("c0070", recipient.kind.into()),
                    ],
                );
            }
            let hard = matches!(
                f.substitutability,
                Substitutability::NotSubstitutable | Substitutability::HighlyComplex
            );
            if hard && f.substitutability_reason.is_none() {
                problems.push(Problem::new(
                    "B_07.01",
                    None,
                    "c0060",
                    ValidationCode::Required,
                    "is required for a service that is not substitutable or highly complex to substitute",
                    &origin,
                    "service.substitutability_reason",
                ));
            }
            b0701.push(
                &origin,
                &[
                    ("c0010", reference.clone()),
                    ("c0020", own.id.clone()),
                    ("c0030", own.kind.into()),
                    ("c0040", ict_type),
                    ("c0050", codes::substitutability(f.substitutability).into()),
                    (
                        "c0060",
                        f.substitutability_reason
                            .filter(|_| hard)
                            .map(codes::substitutability_reason)
                            .unwrap_or_default()
                            .into(),
                    ),
                    (
                        "c0070",
                        text(last_audit(
                            detail,
                            register.decided.get(&detail.supplier.id).copied(),
                            register.reference_date,
                        )),
                    ),
                    ("c0080", codes::yes_no(f.exit_plan).into()),
                    (
                        "c0090",
                        f.reintegration
                            .map(codes::reintegration)
                            .unwrap_or_default()
                            .into(),
                    ),
                    ("c0100", codes::impact(f.discontinuing_impact).into()),
                    (
                        "c0110",
                        codes::yes_no(!f.alternative_providers.trim().is_empty()).into(),
                    ),
                    ("c0120", f.alternative_providers.trim().to_owned()),
                ],
            );
        }
    }

    let mut definitions = org.definitions.clone();
    let texts: Vec<String> = definitions
        .each_mut()
        .into_iter()
        .map(|(_, text)| text.clone())
        .collect();
    if texts.iter().any(|t| !t.trim().is_empty()) {
        let cells: Vec<(String, String)> = texts
            .into_iter()
            .enumerate()
            .map(|(i, text)| (format!("c{:04}", (i + 1) * 10), text))
            .collect();
        let cells: Vec<(&str, String)> =
            cells.iter().map(|(c, t)| (c.as_str(), t.clone())).collect();
        b9901.push(&entity, &cells);
    }

    vec![
        b0101.table,
        b0102.table,
        b0103.table,
        b0201.table,
        b0202.table,
        b0203.table,
        b0301.table,
        b0302.table,
        b0303.table,
        b0401.table,
        b0501.table,
        b0502.table,
        b0601.table,
        b0701.table,
        b9901.table,
    ]
}
