//! Binding data-transfer rules (DOMAIN §6): where a service's data may be
//! stored and accessed, whatever the rest of the assessment shows. The
//! verdict is the strictest of every rule that fired; each fired rule says
//! why (classification × location class, exposure, personal data).

use crate::jurisdiction::{country_name, location_class, CountryCode, LocationClass};
use crate::rules::{RuleSet, Verdict};
use crate::supplier::{DataClassification, PersonalData};
use crate::words::{self, Language};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use ts_rs::TS;

/// What the transfer rules read of a service and its supplier.
#[derive(Debug, Clone)]
pub struct TransferInput<'a> {
    pub classification: DataClassification,
    pub personal_data: PersonalData,
    /// Countries where data is stored, and from where it is accessed or processed
    /// (remote access counts as a transfer).
    pub countries: &'a [CountryCode],
    /// The subcontractors whose countries are among `countries`, each with
    /// the country it stores or accesses our data in: named by the rules
    /// they make fire (DOMAIN §2).
    pub via: &'a [(CountryCode, String)],
    /// The supplier is certified under the EU–US Data Privacy Framework.
    pub dpf_certified: bool,
    /// The service is exposed to foreign access law (DOMAIN §2).
    pub exposed: bool,
}

/// Which rule fired.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TransferRule {
    /// The classification's row of the table, for a location class, with the
    /// countries of that class.
    Location {
        classification: DataClassification,
        class: LocationClass,
        countries: Vec<String>,
        /// The subcontractors that store or access data in those countries.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        via: Vec<String>,
    },
    /// The classification's row of the table for exposure to foreign access law.
    Exposure { classification: DataClassification },
    /// What personal data adds, for a location class.
    PersonalData {
        personal_data: PersonalData,
        class: LocationClass,
        countries: Vec<String>,
        /// The subcontractors that store or access data in those countries.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        via: Vec<String>,
    },
    /// No storage or access country is recorded, so no transfer can be judged allowed.
    NoLocation,
}

/// A rule that fired and its verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, schemars::JsonSchema)]
pub struct FiredRule {
    pub rule: TransferRule,
    pub verdict: Verdict,
}

impl FiredRule {
    /// The rule and its verdict in `language`, naming the countries and the
    /// subcontractors that bring them (DOMAIN §2).
    pub fn sentence_in(&self, language: Language) -> String {
        let say = |key: &str, params: &[(&str, String)]| words::t(language, key, params);
        let verdict = (
            "verdict",
            words::name_of(language, "verdict", &self.verdict),
        );
        let countries = |codes: &[String]| {
            let names: Vec<String> = codes.iter().map(|c| country_name(language, c)).collect();
            names.join(", ")
        };
        let via = |names: &[String]| match names {
            [] => String::new(),
            [one] => format!(" {}", say("fired.via", &[("names", one.clone())])),
            many => format!(" {}", say("fired.viaMany", &[("names", many.join(", "))])),
        };
        match &self.rule {
            TransferRule::Location {
                classification,
                class,
                countries: codes,
                via: by,
            } => {
                let key = if *class == LocationClass::Se {
                    "fired.locationSweden"
                } else {
                    "fired.location"
                };
                let params = [
                    (
                        "classification",
                        words::name_of(language, "classification", classification),
                    ),
                    ("class", words::name_of(language, "locationIn", class)),
                    ("countries", countries(codes)),
                    verdict,
                ];
                say(key, &params) + &via(by)
            }
            TransferRule::Exposure { classification } => say(
                "fired.exposure",
                &[
                    (
                        "classification",
                        words::name_of(language, "classification", classification),
                    ),
                    verdict,
                ],
            ),
            TransferRule::PersonalData {
                personal_data,
                class,
                countries: codes,
                via: by,
            } => {
                let params = [
                    (
                        "personal",
                        words::name_of(language, "personal", personal_data),
                    ),
                    ("class", words::name_of(language, "locationIn", class)),
                    ("countries", countries(codes)),
                    verdict,
                ];
                say("fired.personal_data", &params) + &via(by)
            }
            TransferRule::NoLocation => say("fired.no_location", &[verdict]),
        }
    }
}

/// The transfer verdict of a service with every rule that fired.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, schemars::JsonSchema)]
pub struct TransferEvaluation {
    /// The strictest verdict of the fired rules.
    pub verdict: Verdict,
    pub fired: Vec<FiredRule>,
}

/// Evaluates the transfer rules of `rules` for one service.
pub fn evaluate(rules: &RuleSet, input: &TransferInput<'_>) -> TransferEvaluation {
    let mut by_class: BTreeMap<LocationClass, Vec<String>> = BTreeMap::new();
    for country in input.countries {
        let countries = by_class
            .entry(location_class(country, input.dpf_certified))
            .or_default();
        if !countries.iter().any(|c| c == country.as_str()) {
            countries.push(country.as_str().to_owned());
        }
    }
    let via = |class: &LocationClass| -> Vec<String> {
        let mut names: Vec<String> = input
            .via
            .iter()
            .filter(|(country, _)| location_class(country, input.dpf_certified) == *class)
            .map(|(_, name)| name.clone())
            .collect();
        names.sort();
        names.dedup();
        names
    };
    let mut fired = Vec::new();
    if by_class.is_empty() {
        fired.push(FiredRule {
            rule: TransferRule::NoLocation,
            verdict: Verdict::Forbidden,
        });
    }
    // A classification missing from the table is treated as the strictest row.
    let row = rules
        .transfer
        .iter()
        .find(|r| r.classification == input.classification);
    for (class, countries) in &by_class {
        let verdict = row.map_or(Verdict::Forbidden, |row| match class {
            LocationClass::Se => row.se,
            LocationClass::EuEea => row.eu_eea,
            LocationClass::Adequate => row.adequate,
            LocationClass::Third => row.third,
        });
        fired.push(FiredRule {
            rule: TransferRule::Location {
                classification: input.classification,
                class: *class,
                countries: countries.clone(),
                via: via(class),
            },
            verdict,
        });
    }
    if input.exposed {
        fired.push(FiredRule {
            rule: TransferRule::Exposure {
                classification: input.classification,
            },
            verdict: row.map_or(Verdict::Forbidden, |row| row.exposed),
        });
    }
    for rule in rules
        .personal_data
        .iter()
        .filter(|r| r.personal_data == input.personal_data)
    {
        for (class, countries) in &by_class {
            if rule.applies_to.contains(class) {
                fired.push(FiredRule {
                    rule: TransferRule::PersonalData {
                        personal_data: input.personal_data,
                        class: *class,
                        countries: countries.clone(),
                        via: via(class),
                    },
                    verdict: rule.verdict,
                });
            }
        }
    }
    let verdict = fired
        .iter()
        .map(|f| f.verdict)
        .max()
        .unwrap_or(Verdict::Allowed);
    TransferEvaluation { verdict, fired }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::default_rule_set;
    use proptest::prelude::*;
    use DataClassification::*;
    use Verdict::*;

    fn codes(list: &[&str]) -> Vec<CountryCode> {
        list.iter()
            .map(|c| CountryCode::parse(c).unwrap())
            .collect()
    }

    fn verdict(
        classification: DataClassification,
        personal: PersonalData,
        countries: &[&str],
        exposed: bool,
    ) -> Verdict {
        let countries = codes(countries);
        evaluate(
            &default_rule_set(),
            &TransferInput {
                classification,
                personal_data: personal,
                countries: &countries,
                via: &[],
                dpf_certified: false,
                exposed,
            },
        )
        .verdict
    }

    /// Every cell of the table of DOMAIN §6, without personal data.
    #[test]
    fn every_cell_of_the_transfer_table() {
        // SE, EU_EEA (DE), ADEQUATE (JP), THIRD (IN), exposed (data in SE).
        let expected = [
            (Public, [Allowed, Allowed, Allowed, Allowed, Allowed]),
            (Internal, [Allowed, Allowed, Allowed, Safeguards, Allowed]),
            (
                Confidential,
                [Allowed, Allowed, Forbidden, Forbidden, Forbidden],
            ),
            (
                StrictlyConfidential,
                [Allowed, Forbidden, Forbidden, Forbidden, Forbidden],
            ),
        ];
        for (classification, row) in expected {
            let got = [
                verdict(classification, PersonalData::None, &["SE"], false),
                verdict(classification, PersonalData::None, &["DE"], false),
                verdict(classification, PersonalData::None, &["JP"], false),
                verdict(classification, PersonalData::None, &["IN"], false),
                verdict(classification, PersonalData::None, &["SE"], true),
            ];
            assert_eq!(got, row, "{classification:?}");
        }
    }

    #[test]
    fn personal_data_outside_the_eu_and_adequate_countries_needs_safeguards() {
        assert_eq!(
            verdict(Public, PersonalData::Personal, &["IN"], false),
            Safeguards
        );
        assert_eq!(
            verdict(Public, PersonalData::Personal, &["JP"], false),
            Allowed
        );
        assert_eq!(
            verdict(Public, PersonalData::Personal, &["DE"], false),
            Allowed
        );
    }

    #[test]
    fn special_category_data_outside_sweden_and_the_eu_is_forbidden() {
        assert_eq!(
            verdict(Public, PersonalData::SpecialCategory, &["JP"], false),
            Forbidden
        );
        assert_eq!(
            verdict(Public, PersonalData::SpecialCategory, &["IN"], false),
            Forbidden
        );
        assert_eq!(
            verdict(Public, PersonalData::SpecialCategory, &["FI", "SE"], false),
            Allowed
        );
    }

    #[test]
    fn the_us_counts_as_adequate_only_under_the_dpf() {
        let us = codes(&["US"]);
        let input = |dpf_certified| TransferInput {
            classification: Internal,
            personal_data: PersonalData::Personal,
            countries: &us,
            via: &[],
            dpf_certified,
            exposed: false,
        };
        assert_eq!(
            evaluate(&default_rule_set(), &input(false)).verdict,
            Safeguards
        );
        assert_eq!(evaluate(&default_rule_set(), &input(true)).verdict, Allowed);
    }

    #[test]
    fn the_strictest_verdict_wins_and_every_fired_rule_is_listed() {
        let countries = codes(&["SE", "GB", "IN"]);
        let evaluation = evaluate(
            &default_rule_set(),
            &TransferInput {
                classification: Internal,
                personal_data: PersonalData::Personal,
                countries: &countries,
                via: &[],
                dpf_certified: false,
                exposed: true,
            },
        );
        assert_eq!(evaluation.verdict, Safeguards);
        let verdicts: Vec<Verdict> = evaluation.fired.iter().map(|f| f.verdict).collect();
        // SE, ADEQUATE (GB), THIRD (IN), exposure, personal data in THIRD.
        assert_eq!(
            verdicts,
            [Allowed, Allowed, Safeguards, Allowed, Safeguards]
        );
        assert!(matches!(
            &evaluation.fired[2].rule,
            TransferRule::Location { class: LocationClass::Third, countries, .. } if countries == &["IN"]
        ));
    }

    #[test]
    fn a_service_without_locations_cannot_be_judged_allowed() {
        assert_eq!(verdict(Public, PersonalData::None, &[], false), Forbidden);
    }

    proptest! {
        /// Adding a country never makes the verdict less strict.
        #[test]
        fn more_locations_never_relax_the_verdict(
            class in 0usize..4, personal in 0usize..3, exposed: bool,
            first in proptest::sample::select(vec!["SE", "DE", "NO", "GB", "JP", "US", "IN", "CN"]),
            second in proptest::sample::select(vec!["SE", "DE", "NO", "GB", "JP", "US", "IN", "CN"]),
        ) {
            let classification = [Public, Internal, Confidential, StrictlyConfidential][class];
            let personal = [PersonalData::None, PersonalData::Personal, PersonalData::SpecialCategory][personal];
            let one = verdict(classification, personal, &[first], exposed);
            let two = verdict(classification, personal, &[first, second], exposed);
            prop_assert!(two >= one);
        }
    }
}
