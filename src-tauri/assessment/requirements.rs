//! Contract security requirements tightened with risk (DOMAIN §5): which
//! requirements of the catalogue are mandatory for a service.

use crate::rules::{RequirementDef, RiskBand, RuleSet};
use crate::supplier::PersonalData;

/// The requirements mandatory for a service of risk `level`: every one whose
/// lowest level is at or below it, the personal-data ones only when the
/// service processes personal data.
pub fn mandatory(
    rules: &RuleSet,
    level: RiskBand,
    personal_data: PersonalData,
) -> Vec<&RequirementDef> {
    rules
        .requirements
        .iter()
        .filter(|r| r.min_level <= level)
        .filter(|r| !r.only_with_personal_data || personal_data != PersonalData::None)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::default_rule_set;

    fn keys(level: RiskBand, personal: PersonalData) -> Vec<String> {
        mandatory(&default_rule_set(), level, personal)
            .iter()
            .map(|r| r.key.clone())
            .collect()
    }

    #[test]
    fn each_level_adds_its_requirements_to_those_below() {
        let counts: Vec<usize> = [
            RiskBand::Low,
            RiskBand::Medium,
            RiskBand::High,
            RiskBand::Critical,
        ]
        .into_iter()
        .map(|level| keys(level, PersonalData::Personal).len())
        .collect();
        assert_eq!(counts, [8, 12, 17, 21]);
        assert!(keys(RiskBand::Medium, PersonalData::None).contains(&"encryption".to_owned()));
        assert!(!keys(RiskBand::Medium, PersonalData::None).contains(&"redundancy".to_owned()));
        assert!(keys(RiskBand::Critical, PersonalData::None).contains(&"exit_plan".to_owned()));
    }

    #[test]
    fn a_data_processing_agreement_is_required_only_with_personal_data() {
        assert!(!keys(RiskBand::Critical, PersonalData::None)
            .contains(&"data_processing_agreement".to_owned()));
        assert!(keys(RiskBand::Low, PersonalData::Personal)
            .contains(&"data_processing_agreement".to_owned()));
        assert!(keys(RiskBand::Low, PersonalData::SpecialCategory)
            .contains(&"data_processing_agreement".to_owned()));
    }
}
