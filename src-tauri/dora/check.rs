//! The checks that get a filing rejected, run on the rows about to be
//! written: every mandatory cell filled, keys non-empty and unique, every
//! foreign key found, codes within their lists, LEIs with valid check
//! digits, dates and numbers in form, filing indicators matching the
//! content. Each problem names the template, the row (as the CSV file
//! numbers it: the header is row 1), the column, where the row came from
//! and the field in Tillit that fills the cell.

use super::build::Table;
use super::codes::{self, identifier, NO_COUNTRY};
use super::spec::Kind;
use super::Problem;
use crate::error::ValidationCode;
use std::collections::{HashMap, HashSet};

/// The field in Tillit that fills a column, as the register file names it.
pub fn tillit_field(template: &str, column: &str) -> &'static str {
    match (template, column) {
        ("B_01.01" | "B_01.02", "c0010") => "organisation.lei",
        ("B_01.01" | "B_01.02", "c0020") => "organisation.legal_name",
        ("B_01.01" | "B_01.02", "c0030") => "organisation.country",
        ("B_01.01" | "B_01.02", "c0040") => "organisation.entity_type",
        ("B_01.01", "c0050") => "organisation.competent_authority",
        ("B_01.02", "c0100") => "organisation.currency",
        ("B_01.02", "c0110") => "organisation.total_assets",
        (_, "c0020") if ["B_02.02", "B_03.01", "B_04.01"].contains(&template) => "organisation.lei",
        ("B_06.01", "c0040") => "organisation.lei",
        (
            "B_02.01" | "B_02.02" | "B_02.03" | "B_03.01" | "B_03.02" | "B_04.01" | "B_05.02"
            | "B_07.01",
            "c0010",
        ) => "service.contract_reference",
        ("B_02.01", "c0020") => "service.contract_arrangement",
        ("B_02.01", "c0030") | ("B_02.03", "c0020") => "service.overarching_contract",
        ("B_02.01", "c0040") => "service.currency",
        ("B_02.01", "c0050") => "service.annual_cost",
        ("B_02.02", "c0030" | "c0040") | ("B_03.02" | "B_07.01", "c0020" | "c0030") => {
            "supplier.lei"
        }
        ("B_02.02", "c0050") => "service.functions",
        ("B_02.02", "c0060") | ("B_05.02", "c0020") | ("B_07.01", "c0040") => {
            "service.ict_service_type"
        }
        ("B_02.02", "c0070") => "service.contract_start",
        ("B_02.02", "c0080" | "c0090") => "service.contract_end",
        ("B_02.02", "c0100") => "service.notice_period_customer_days",
        ("B_02.02", "c0110") => "service.notice_period_supplier_days",
        ("B_02.02", "c0120") => "service.governing_law_country",
        ("B_02.02", "c0130") => "supplier.country_of_headquarters",
        ("B_02.02", "c0140" | "c0150") => "service.storage_countries",
        ("B_02.02", "c0160") => "service.access_countries",
        ("B_02.02", "c0170") => "service.data_sensitivity",
        ("B_02.02", "c0180") => "service.reliance",
        ("B_05.01", "c0010" | "c0020") => "supplier.lei",
        ("B_05.01", "c0050") => "supplier.legal_name",
        ("B_05.01", "c0070") => "supplier.person_type",
        ("B_05.01", "c0080") => "supplier.country_of_headquarters",
        ("B_05.01", "c0090" | "c0100") => "service.annual_cost",
        ("B_05.01", "c0110" | "c0120") => "supplier.parent_identifier",
        ("B_05.02", "c0030" | "c0040" | "c0060" | "c0070") => "subcontractor.lei",
        ("B_05.02", "c0050") => "subcontractor.serves",
        ("B_06.01", "c0010") => "function.id",
        ("B_06.01", "c0020") => "function.licensed_activity",
        ("B_06.01", "c0030") => "function.name",
        ("B_06.01", "c0050") => "function.criticality",
        ("B_06.01", "c0060") => "function.criticality_reason",
        ("B_06.01", "c0070") => "function.assessed_on",
        ("B_06.01", "c0080") => "function.rto_hours",
        ("B_06.01", "c0090") => "function.rpo_hours",
        ("B_06.01", "c0100") => "function.discontinuing_impact",
        ("B_07.01", "c0050") => "service.substitutability",
        ("B_07.01", "c0060") => "service.substitutability_reason",
        ("B_07.01", "c0070") => "evidence",
        ("B_07.01", "c0080") => "service.exit_plan",
        ("B_07.01", "c0090") => "service.reintegration",
        ("B_07.01", "c0100") => "service.discontinuing_impact",
        ("B_07.01", "c0110" | "c0120") => "service.alternative_providers",
        ("B_99.01", _) => "organisation.definitions",
        _ => "",
    }
}

/// What is wrong with a filled cell of kind `kind`, if anything.
fn malformed(kind: &Kind, value: &str) -> Option<String> {
    let ok = match kind {
        Kind::Code(list) => codes::in_list(list, value),
        Kind::Country => {
            value == NO_COUNTRY
                || value.strip_prefix("eba_GA:").is_some_and(|c| {
                    crate::jurisdiction::CountryCode::parse(c).is_some_and(|p| p.as_str() == c)
                })
        }
        Kind::Currency => value
            .strip_prefix("eba_CU:")
            .is_some_and(|c| c.len() == 3 && c.chars().all(|x| x.is_ascii_uppercase())),
        Kind::Date => {
            value.len() == 10 && chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d").is_ok()
        }
        Kind::Number => {
            let digits = value.strip_prefix('-').unwrap_or(value);
            let (whole, fraction) = digits.split_once('.').unwrap_or((digits, "0"));
            !whole.is_empty()
                && whole.chars().all(|c| c.is_ascii_digit())
                && fraction.chars().all(|c| c.is_ascii_digit())
                && !fraction.is_empty()
        }
        Kind::Lei => crate::supplier::validate::lei(value).is_ok_and(|code| code == value),
        Kind::IdentifierType => identifier::ALL.contains(&value),
        Kind::Link => value == "true",
        Kind::Text => true,
    };
    if ok {
        return None;
    }
    Some(match kind {
        Kind::Code(list) => format!("{value:?} is not a code of the list {list}"),
        Kind::Country => format!("{value:?} is not a country code (eba_GA:SE …)"),
        Kind::Currency => format!("{value:?} is not a currency code (eba_CU:EUR …)"),
        Kind::Date => format!("{value:?} is not a date written YYYY-MM-DD"),
        Kind::Number => format!("{value:?} is not a number"),
        Kind::Lei => format!("{value:?} is not an LEI: its ISO 17442 check digits do not hold"),
        Kind::IdentifierType => format!("{value:?} is not a type of identification code"),
        Kind::Link => format!("{value:?} is not the link value true"),
        Kind::Text => String::new(),
    })
}

/// Every problem of the rows about to be written, and of the filing
/// indicators that say which templates hold them.
pub fn check(tables: &[Table], indicators: &[(String, bool)], problems: &mut Vec<Problem>) {
    // The values every column holds, for the foreign keys.
    let mut values: HashMap<(&str, &str), HashSet<&str>> = HashMap::new();
    for table in tables {
        for (i, column) in table.template.columns.iter().enumerate() {
            let set = values
                .entry((table.template.code.as_str(), column.code.as_str()))
                .or_default();
            for row in &table.rows {
                set.insert(row.cells[i].as_str());
            }
        }
    }
    for table in tables {
        let template = table.template;
        let code = template.code.as_str();
        let mut keys: HashSet<Vec<&str>> = HashSet::new();
        for (r, row) in table.rows.iter().enumerate() {
            let line = u32::try_from(r + 2).unwrap_or(u32::MAX);
            let problem = |column: &str, kind: ValidationCode, message: String| {
                Problem::new(
                    code,
                    Some(line),
                    column,
                    kind,
                    message,
                    &row.origin,
                    tillit_field(code, column),
                )
            };
            for (i, column) in template.columns.iter().enumerate() {
                let value = row.cells[i].as_str();
                if value.is_empty() {
                    if column.key_required {
                        problems.push(problem(
                            &column.code,
                            ValidationCode::Required,
                            format!("{} is part of the key and may not be empty", column.name),
                        ));
                    } else if column.mandatory {
                        problems.push(problem(
                            &column.code,
                            ValidationCode::Required,
                            format!("{} is required", column.name),
                        ));
                    }
                    continue;
                }
                if let Some(message) = malformed(&column.kind, value) {
                    problems.push(problem(&column.code, ValidationCode::Format, message));
                    continue;
                }
                // An identification code said to be an LEI is one.
                let typed_lei = template
                    .columns
                    .get(i + 1)
                    .is_some_and(|next| next.kind == Kind::IdentifierType)
                    && row.cells[i + 1] == identifier::LEI;
                if typed_lei && crate::supplier::validate::lei(value).is_err() {
                    problems.push(problem(
                        &column.code,
                        ValidationCode::Format,
                        format!("{value:?} is typed as an LEI but its ISO 17442 check digits do not hold"),
                    ));
                }
                if let Some((target, target_column)) = &column.points_at {
                    let found = values
                        .get(&(target.as_str(), target_column.as_str()))
                        .is_some_and(|set| set.contains(value));
                    if !found {
                        problems.push(problem(
                            &column.code,
                            ValidationCode::UnknownValue,
                            format!(
                                "{value:?} has no row in {target} ({target_column}) to point at"
                            ),
                        ));
                    }
                }
            }
            let key: Vec<&str> = template
                .columns
                .iter()
                .zip(&row.cells)
                .filter(|(c, _)| c.key)
                .map(|(_, v)| v.as_str())
                .collect();
            // A row whose required key cell is empty was named above.
            let incomplete = template
                .columns
                .iter()
                .zip(&row.cells)
                .any(|(c, v)| c.key_required && v.is_empty());
            if !key.is_empty() && !incomplete && !keys.insert(key.clone()) {
                let first = template
                    .columns
                    .iter()
                    .find(|c| c.key)
                    .map_or("c0010", |c| c.code.as_str());
                problems.push(problem(
                    first,
                    ValidationCode::Duplicate,
                    format!("another row has the same key ({})", key.join(", ")),
                ));
            }
        }
        let reported = indicators.iter().find(|(t, _)| t == code).map(|(_, r)| *r);
        if reported != Some(!table.rows.is_empty()) {
            problems.push(Problem::new(
                code,
                None,
                "",
                ValidationCode::UnknownValue,
                format!(
                    "the filing indicator says {} but the template holds {} rows",
                    reported.map_or("nothing".into(), |r| r.to_string()),
                    table.rows.len()
                ),
                &Default::default(),
                "",
            ));
        }
    }
}
