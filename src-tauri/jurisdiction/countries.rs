//! ISO 3166-1 alpha-2 countries with their English and Swedish names, from
//! `data/countries.csv`. A [`CountryCode`] can only hold a code on that list.

use crate::error::{Error, Result, ValidationCode};
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;
use ts_rs::TS;

/// A country in the register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Country {
    pub code: CountryCode,
    pub name_en: String,
    pub name_sv: String,
}

/// An ISO 3166-1 alpha-2 code that is on the list, e.g. `SE`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, TS)]
#[ts(type = "string")]
pub struct CountryCode(String);

impl schemars::JsonSchema for CountryCode {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "CountryCode".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": "^[A-Z]{2}$",
            "description": "An ISO 3166-1 alpha-2 country code, e.g. SE."
        })
    }
}

impl Serialize for CountryCode {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for CountryCode {
    fn deserialize<D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> std::result::Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        CountryCode::try_from(text).map_err(serde::de::Error::custom)
    }
}

impl CountryCode {
    /// Accepts a known code in any letter case and surrounding space.
    pub fn parse(text: &str) -> Option<CountryCode> {
        let code = text.trim().to_ascii_uppercase();
        country(&code).map(|_| CountryCode(code))
    }

    /// Parses the value of `field`, or says which field holds an unknown code.
    pub fn parse_field(field: &str, text: &str) -> Result<CountryCode> {
        CountryCode::parse(text).ok_or_else(|| {
            // Codes people use that ISO 3166-1 gives to no country, or not
            // to the country meant.
            let hint = match text.trim().to_ascii_uppercase().as_str() {
                "UK" => "; the United Kingdom's code is GB",
                "EL" => "; Greece's code is GR (EL is its code in EU VAT numbers)",
                "EU" => "; name the member state, such as SE or DE",
                _ => "",
            };
            Error::invalid(
                field,
                ValidationCode::UnknownCountry,
                format!(
                    "{} is not an ISO 3166-1 alpha-2 country code (such as SE, DE or US){hint}",
                    crate::text::shown(text)
                ),
            )
        })
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The English name, e.g. "Sweden".
    pub fn name_en(&self) -> &'static str {
        country(&self.0).map_or("", |c| c.name_en.as_str())
    }
}

impl std::fmt::Display for CountryCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for CountryCode {
    type Error = String;

    fn try_from(value: String) -> std::result::Result<Self, String> {
        CountryCode::parse_field("country", &value).map_err(|error| {
            error
                .field_errors()
                .first()
                .map(|e| e.message.clone())
                .unwrap_or_default()
        })
    }
}

/// Every country, by code.
pub fn all_countries() -> &'static [Country] {
    static COUNTRIES: OnceLock<Vec<Country>> = OnceLock::new();
    COUNTRIES.get_or_init(|| {
        let mut reader =
            csv::Reader::from_reader(include_str!("../../data/countries.csv").as_bytes());
        reader
            .records()
            .map(|record| {
                let record = record.expect("data/countries.csv is valid CSV");
                Country {
                    code: CountryCode(record[0].to_owned()),
                    name_en: record[1].to_owned(),
                    name_sv: record[2].to_owned(),
                }
            })
            .collect()
    })
}

/// The country with the (upper-case) `code`.
pub fn country(code: &str) -> Option<&'static Country> {
    let countries = all_countries();
    countries
        .binary_search_by(|c| c.code.0.as_str().cmp(code))
        .ok()
        .map(|index| &countries[index])
}

/// A country's name in `language` with its code, e.g. "Sweden (SE)"; a code
/// Tillit does not know stays as it is.
pub fn country_label(language: crate::words::Language, code: &str) -> String {
    match country(code) {
        Some(_) => format!("{} ({code})", country_name(language, code)),
        None => code.to_owned(),
    }
}

/// A country's name in `language`; a code Tillit does not know stays as it is.
pub fn country_name(language: crate::words::Language, code: &str) -> String {
    country(code).map_or_else(
        || code.to_owned(),
        |c| crate::words::pick(language, &c.name_en, &c.name_sv).to_owned(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_full_iso_list_is_there_sorted_with_swedish_names() {
        let countries = all_countries();
        assert_eq!(countries.len(), 249);
        assert!(
            countries.windows(2).all(|w| w[0].code < w[1].code),
            "sorted for lookup"
        );
        let sweden = country("SE").unwrap();
        assert_eq!(
            (sweden.name_en.as_str(), sweden.name_sv.as_str()),
            ("Sweden", "Sverige")
        );
        assert_eq!(country("AX").unwrap().name_sv, "Åland");
    }

    #[test]
    fn codes_parse_in_any_case_and_unknown_ones_name_their_field() {
        assert_eq!(CountryCode::parse(" se ").unwrap().as_str(), "SE");
        assert!(CountryCode::parse("XX").is_none());
        assert!(CountryCode::parse("SWE").is_none());
        let error = CountryCode::parse_field("country_of_headquarters", "UK").unwrap_err();
        assert_eq!(error.field_errors()[0].field, "country_of_headquarters");
        assert_eq!(error.field_errors()[0].code, ValidationCode::UnknownCountry);
    }
}
