//! The dimensions a service's risk is rated in (DOMAIN §4): the seven Tillit
//! lists, or another that the officer names. On the wire and in the
//! register file a dimension is one string: a listed dimension's key
//! (`data_protection`), or the officer's own name for any other, so files
//! and decisions recorded before the list existed read as they were.

use crate::words::{self, Language};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A dimension Tillit names in both languages.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS, JsonSchema, PartialOrd, Ord,
)]
#[serde(rename_all = "snake_case")]
pub enum ListedDimension {
    DataProtection,
    Availability,
    BusinessImpact,
    Regulatory,
    Reputational,
    Concentration,
    Exit,
}

impl ListedDimension {
    /// Every listed dimension, in the order the form offers them.
    pub const ALL: [ListedDimension; 7] = [
        ListedDimension::DataProtection,
        ListedDimension::Availability,
        ListedDimension::BusinessImpact,
        ListedDimension::Regulatory,
        ListedDimension::Reputational,
        ListedDimension::Concentration,
        ListedDimension::Exit,
    ];

    /// The three every service's risk register covers (DOMAIN §4).
    pub const REQUIRED: [ListedDimension; 3] = [
        ListedDimension::DataProtection,
        ListedDimension::Availability,
        ListedDimension::BusinessImpact,
    ];

    /// The key written on the wire and in the catalogue (`dimension.<key>`).
    pub fn key(self) -> &'static str {
        match self {
            ListedDimension::DataProtection => "data_protection",
            ListedDimension::Availability => "availability",
            ListedDimension::BusinessImpact => "business_impact",
            ListedDimension::Regulatory => "regulatory",
            ListedDimension::Reputational => "reputational",
            ListedDimension::Concentration => "concentration",
            ListedDimension::Exit => "exit",
        }
    }
}

/// The dimension of one risk: listed, or named by the officer.
#[derive(Debug, Clone, PartialEq, Eq, Hash, TS)]
#[ts(type = "ListedDimension | string")]
pub enum RiskDimension {
    Listed(ListedDimension),
    /// Another dimension, as the officer named it (never empty once saved).
    Other(String),
}

impl RiskDimension {
    /// The dimension a string names: a listed key, else the officer's name.
    pub fn parse(text: &str) -> RiskDimension {
        ListedDimension::ALL
            .into_iter()
            .find(|d| d.key() == text)
            .map_or_else(
                || RiskDimension::Other(text.to_owned()),
                RiskDimension::Listed,
            )
    }

    /// As written on the wire: the listed key, or the officer's name.
    pub fn as_str(&self) -> &str {
        match self {
            RiskDimension::Listed(d) => d.key(),
            RiskDimension::Other(name) => name,
        }
    }

    /// Whether the officer left the name of another dimension empty.
    pub fn is_unnamed(&self) -> bool {
        matches!(self, RiskDimension::Other(name) if name.trim().is_empty())
    }

    /// The dimension's name in `language`: the catalogue's for a listed one,
    /// the officer's own for another.
    pub fn name_in(&self, language: Language) -> String {
        match self {
            RiskDimension::Listed(d) => {
                words::phrase(language, &format!("dimension.{}", d.key())).to_owned()
            }
            RiskDimension::Other(name) => name.trim().to_owned(),
        }
    }
}

impl From<ListedDimension> for RiskDimension {
    fn from(d: ListedDimension) -> RiskDimension {
        RiskDimension::Listed(d)
    }
}

impl From<&str> for RiskDimension {
    fn from(text: &str) -> RiskDimension {
        RiskDimension::parse(text)
    }
}

impl PartialEq<ListedDimension> for RiskDimension {
    fn eq(&self, other: &ListedDimension) -> bool {
        *self == RiskDimension::Listed(*other)
    }
}

impl Serialize for RiskDimension {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for RiskDimension {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<RiskDimension, D::Error> {
        let text = String::deserialize(d)?;
        Ok(RiskDimension::parse(&text))
    }
}

impl JsonSchema for RiskDimension {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "RiskDimension".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "minLength": 1,
            "description": "A listed dimension (data_protection, availability, business_impact, regulatory, reputational, concentration, exit) or another dimension as the officer named it."
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_listed_key_reads_as_listed_and_anything_else_as_the_officers_name() {
        assert_eq!(
            RiskDimension::parse("availability"),
            RiskDimension::Listed(ListedDimension::Availability)
        );
        let other = RiskDimension::parse("Supply chain");
        assert_eq!(other, RiskDimension::Other("Supply chain".into()));
        assert_eq!(other.name_in(Language::Sv), "Supply chain");
        assert_eq!(
            RiskDimension::from(ListedDimension::Exit).name_in(Language::Sv),
            "Exit"
        );
        assert_eq!(
            RiskDimension::from(ListedDimension::DataProtection).name_in(Language::Sv),
            "Dataskydd"
        );
        for d in ListedDimension::ALL {
            let json = serde_json::to_string(&RiskDimension::from(d)).unwrap();
            assert_eq!(json, serde_json::to_string(&d).unwrap());
            assert_eq!(
                serde_json::from_str::<RiskDimension>(&json).unwrap(),
                RiskDimension::Listed(d)
            );
        }
        assert!(RiskDimension::parse(" ").is_unnamed());
    }
}
