//! Tillit's values as the register of information codes them: each of
//! Tillit's enums mapped to its code in the lists of
//! `data/dora/codelists.csv` (read once, by [`code_lists`]).

use crate::settings::EntityType;
use crate::supplier::functions::code_lists;
use crate::supplier::{
    ContractArrangement, Criticality, DataSensitivity, IctServiceType, Impact, PersonType,
    Reintegration, Reliance, Substitutability, SubstitutabilityReason,
};

/// Whether `code` is in the list `list`.
pub fn in_list(list: &str, code: &str) -> bool {
    code_lists()
        .get(list)
        .is_some_and(|codes| codes.iter().any(|(c, _)| c == code))
}

/// The code at `index` of the list `list` (lists in `codelists.csv` keep
/// the order of Tillit's enums; tests pin the pairs).
fn nth(list: &str, index: usize) -> String {
    code_lists()
        .get(list)
        .and_then(|codes| codes.get(index))
        .map(|(code, _)| code.clone())
        .unwrap_or_default()
}

fn position<T: PartialEq>(all: &[T], value: &T) -> usize {
    all.iter().position(|v| v == value).unwrap_or(usize::MAX)
}

pub fn entity_type(value: EntityType) -> String {
    nth("LIST0101040", position(EntityType::ALL, &value))
}

pub fn ict_service_type(value: IctServiceType) -> String {
    nth("LISTANNEXIII", position(IctServiceType::ALL, &value))
}

pub fn arrangement(value: ContractArrangement) -> &'static str {
    match value {
        ContractArrangement::Standalone => "eba_CO:x1",
        ContractArrangement::Overarching => "eba_CO:x2",
        ContractArrangement::Subsequent => "eba_CO:x3",
    }
}

pub fn reliance(value: Reliance) -> &'static str {
    match value {
        Reliance::NotSignificant => "eba_ZZ:x794",
        Reliance::Low => "eba_ZZ:x795",
        Reliance::Material => "eba_ZZ:x796",
        Reliance::Full => "eba_ZZ:x797",
    }
}

pub fn sensitivity(value: DataSensitivity) -> &'static str {
    match value {
        DataSensitivity::Low => "eba_ZZ:x791",
        DataSensitivity::Medium => "eba_ZZ:x792",
        DataSensitivity::High => "eba_ZZ:x793",
    }
}

/// The impact of discontinuing a function or a service; not assessed when
/// the organisation has not said.
pub fn impact(value: Option<Impact>) -> &'static str {
    match value {
        Some(Impact::Low) => "eba_ZZ:x791",
        Some(Impact::Medium) => "eba_ZZ:x792",
        Some(Impact::High) => "eba_ZZ:x793",
        None => "eba_ZZ:x799",
    }
}

pub fn criticality(value: Criticality) -> &'static str {
    match value {
        Criticality::Critical => "eba_BT:x28",
        Criticality::NotCritical => "eba_BT:x29",
        Criticality::NotAssessed => "eba_BT:x21",
    }
}

pub fn person_type(value: PersonType) -> &'static str {
    match value {
        PersonType::LegalPerson => "eba_CT:x212",
        PersonType::Individual => "eba_CT:x213",
    }
}

pub fn substitutability(value: Substitutability) -> &'static str {
    match value {
        Substitutability::NotSubstitutable => "eba_ZZ:x959",
        Substitutability::HighlyComplex => "eba_ZZ:x960",
        Substitutability::Medium => "eba_ZZ:x961",
        Substitutability::Easy => "eba_ZZ:x962",
    }
}

pub fn substitutability_reason(value: SubstitutabilityReason) -> &'static str {
    match value {
        SubstitutabilityReason::NoAlternatives => "eba_ZZ:x963",
        SubstitutabilityReason::HardToMigrate => "eba_ZZ:x964",
        SubstitutabilityReason::Both => "eba_ZZ:x965",
    }
}

pub fn reintegration(value: Reintegration) -> &'static str {
    match value {
        Reintegration::Easy => "eba_ZZ:x798",
        Reintegration::Difficult => "eba_ZZ:x966",
        Reintegration::HighlyComplex => "eba_ZZ:x967",
        Reintegration::NotApplicable => "eba_ZZ:x0",
    }
}

pub fn yes_no(value: bool) -> &'static str {
    if value {
        "eba_BT:x28"
    } else {
        "eba_BT:x29"
    }
}

pub fn country(code: &str) -> String {
    format!("eba_GA:{code}")
}

pub fn currency(code: &str) -> String {
    format!("eba_CU:{code}")
}

/// A country column that is part of a key and has nothing to say.
pub const NO_COUNTRY: &str = "eba_GA:qx2007";

/// An open end date, or a record not deleted.
pub const OPEN_DATE: &str = "9999-12-31";

/// The types of identification code the package uses (the two the sources
/// disagree on are not used).
pub mod identifier {
    pub const LEI: &str = "eba_qCO:qx2000";
    pub const EUID: &str = "eba_qCO:qx2002";
    pub const REGISTRATION_NUMBER: &str = "eba_qCO:qx2003";
    pub const VAT_NUMBER: &str = "eba_qCO:qx2004";
    pub const ALL: [&str; 4] = [LEI, EUID, REGISTRATION_NUMBER, VAT_NUMBER];
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_enums_meet_the_codes_of_their_lists_in_order() {
        assert_eq!(entity_type(EntityType::CreditInstitution), "eba_CT:x12");
        assert_eq!(entity_type(EntityType::PaymentInstitution), "eba_CT:x300");
        assert_eq!(
            entity_type(EntityType::AssetReferencedTokenIssuer),
            "eba_CT:x310"
        );
        assert_eq!(
            ict_service_type(IctServiceType::ProjectManagement),
            "eba_TA:S01"
        );
        assert_eq!(ict_service_type(IctServiceType::CloudSaas), "eba_TA:S19");
        for value in EntityType::ALL {
            assert!(in_list("LIST0101040", &entity_type(*value)), "{value:?}");
        }
        for value in IctServiceType::ALL {
            assert!(
                in_list("LISTANNEXIII", &ict_service_type(*value)),
                "{value:?}"
            );
        }
        for value in Reintegration::ALL {
            assert!(in_list("LIST0701090", reintegration(*value)));
        }
        for value in Substitutability::ALL {
            assert!(in_list("LIST0701050", substitutability(*value)));
        }
        assert!(in_list("LIST0601100", impact(None)));
        assert!(!in_list("LIST0601100", "eba_ZZ:x794"));
    }
}
