//! Jurisdiction (DOMAIN §2): countries, the location classes of data
//! transfers, the EU adequacy decisions, and the derived exposure of a
//! supplier's services to foreign access law (the US CLOUD Act by default).

mod countries;
mod exposure;

pub use countries::{all_countries, country, country_label, country_name, Country, CountryCode};
pub use exposure::{
    derive_exposure, Exposure, ExposureEntity, ExposureInput, ExposureOverride, ExposureReason,
    Party,
};

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;
use ts_rs::TS;

/// Where data goes, from the point of view of a Swedish organisation under GDPR.
/// Ordered from best to worst: a service's class is the worst of its countries.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS, JsonSchema,
)]
pub enum LocationClass {
    #[serde(rename = "SE")]
    Se,
    #[serde(rename = "EU_EEA")]
    EuEea,
    #[serde(rename = "ADEQUATE")]
    Adequate,
    #[serde(rename = "THIRD")]
    Third,
}

/// The 27 EU member states and the three EEA states (Iceland, Liechtenstein, Norway).
pub const EU_EEA: [&str; 30] = [
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT",
    "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK", "IS", "LI", "NO",
];

/// An EU adequacy decision (GDPR art. 45) for a country.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, JsonSchema)]
pub struct AdequacyDecision {
    pub country: CountryCode,
    /// The decision, e.g. "Commission Implementing Decision (EU) 2019/419".
    pub reference: String,
    pub decided_on: Option<NaiveDate>,
    /// The decision covers only organisations certified under the EU–US Data
    /// Privacy Framework (recorded per supplier).
    pub requires_dpf: bool,
    /// Any limit of the decision's scope, in words.
    pub scope: String,
}

/// The adequacy decisions Tillit ships with (`data/adequacy.csv`).
pub fn adequacy_decisions() -> &'static [AdequacyDecision] {
    static DECISIONS: OnceLock<Vec<AdequacyDecision>> = OnceLock::new();
    DECISIONS.get_or_init(|| {
        let mut reader =
            csv::Reader::from_reader(include_str!("../../data/adequacy.csv").as_bytes());
        reader
            .records()
            .map(|record| {
                let record = record.expect("data/adequacy.csv is valid CSV");
                AdequacyDecision {
                    country: CountryCode::parse(&record[0])
                        .expect("data/adequacy.csv holds known countries"),
                    reference: record[1].to_owned(),
                    decided_on: (!record[2].is_empty()).then(|| {
                        NaiveDate::parse_from_str(&record[2], "%Y-%m-%d").expect("ISO dates")
                    }),
                    requires_dpf: &record[3] == "true",
                    scope: record[4].to_owned(),
                }
            })
            .collect()
    })
}

/// The location class of `country` for a supplier that is (or is not)
/// certified under the EU–US Data Privacy Framework.
pub fn location_class(country: &CountryCode, dpf_certified: bool) -> LocationClass {
    let code = country.as_str();
    if code == "SE" {
        return LocationClass::Se;
    }
    if EU_EEA.contains(&code) {
        return LocationClass::EuEea;
    }
    let adequate = adequacy_decisions()
        .iter()
        .any(|d| d.country == *country && (!d.requires_dpf || dpf_certified));
    if adequate {
        LocationClass::Adequate
    } else {
        LocationClass::Third
    }
}

/// The worst class among `countries` (where data is stored or accessed from);
/// `None` when no country is recorded yet.
pub fn worst_location_class<'a>(
    countries: impl IntoIterator<Item = &'a CountryCode>,
    dpf_certified: bool,
) -> Option<LocationClass> {
    countries
        .into_iter()
        .map(|c| location_class(c, dpf_certified))
        .max()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(code: &str) -> CountryCode {
        CountryCode::parse(code).unwrap()
    }

    #[test]
    fn sweden_the_eu_and_the_eea_have_their_own_classes() {
        assert_eq!(location_class(&c("SE"), false), LocationClass::Se);
        assert_eq!(location_class(&c("DE"), false), LocationClass::EuEea);
        assert_eq!(location_class(&c("NO"), false), LocationClass::EuEea);
    }

    #[test]
    fn the_us_is_adequate_only_for_dpf_certified_suppliers() {
        assert_eq!(location_class(&c("US"), false), LocationClass::Third);
        assert_eq!(location_class(&c("US"), true), LocationClass::Adequate);
        assert_eq!(location_class(&c("JP"), false), LocationClass::Adequate);
        assert_eq!(location_class(&c("CN"), false), LocationClass::Third);
    }

    #[test]
    fn a_service_takes_the_worst_class_of_its_countries() {
        let countries = [c("SE"), c("GB"), c("DE")];
        assert_eq!(
            worst_location_class(&countries, false),
            Some(LocationClass::Adequate)
        );
        assert_eq!(worst_location_class(&[], false), None);
    }

    #[test]
    fn every_adequacy_decision_names_a_known_country_and_a_reference() {
        let decisions = adequacy_decisions();
        assert_eq!(
            decisions.len(),
            16,
            "DOMAIN §2 lists 15 countries plus the US under the DPF"
        );
        assert!(decisions.iter().all(|d| !d.reference.is_empty()));
    }
}
