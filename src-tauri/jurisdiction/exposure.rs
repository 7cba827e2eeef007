//! Exposure to foreign access law (DOMAIN §2): a supplier's services are
//! exposed when the supplier, its ultimate parent, or any subcontractor that
//! stores or accesses our data is incorporated or headquartered in an exposing
//! jurisdiction. Where the data is stored does not matter. The derivation
//! lists every reason; an override needs a written justification.

use super::CountryCode;
use crate::error::{Error, Result, ValidationCode};
use crate::words::{self, Language};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Which entity of the supply chain a reason is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ExposureEntity {
    /// The supplier, incorporated in the country.
    SupplierIncorporated,
    /// The supplier, headquartered in the country.
    SupplierHeadquartered,
    /// The supplier's ultimate parent company, headquartered in the country.
    UltimateParent,
    /// A subcontractor that stores or accesses our data, based in the country.
    Subcontractor,
}

/// One reason the services are exposed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, JsonSchema)]
pub struct ExposureReason {
    pub entity: ExposureEntity,
    /// The name of the entity, as registered.
    pub name: String,
    pub country: CountryCode,
}

impl ExposureReason {
    /// The reason in `language`, e.g. "The ultimate parent Example Holdings
    /// Inc. is headquartered in United States (US)."
    pub fn sentence_in(&self, language: Language) -> String {
        words::t(
            language,
            &words::key_of("exposure.reason", &self.entity),
            &[
                ("name", self.name.clone()),
                (
                    "country",
                    super::country_label(language, self.country.as_str()),
                ),
            ],
        )
    }

    /// The reason in English.
    pub fn sentence(&self) -> String {
        self.sentence_in(Language::En)
    }
}

/// A party of the supply chain: a name and a country.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Party {
    pub name: String,
    pub country: CountryCode,
}

/// What the derivation reads of a supplier.
#[derive(Debug, Clone)]
pub struct ExposureInput {
    pub supplier_name: String,
    pub incorporated_in: CountryCode,
    pub headquartered_in: CountryCode,
    pub ultimate_parent: Option<Party>,
    /// Subcontractors with whether each stores or accesses our data.
    pub subcontractors: Vec<(Party, bool)>,
}

/// An officer's decision that overrides the derived flag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, JsonSchema)]
pub struct ExposureOverride {
    pub exposed: bool,
    pub justification: String,
}

impl ExposureOverride {
    /// An override is only accepted with a written justification.
    pub fn new(exposed: bool, justification: &str) -> Result<ExposureOverride> {
        let justification = justification.trim();
        if justification.is_empty() {
            return Err(Error::invalid(
                "exposure_override_justification",
                ValidationCode::Required,
                "overriding the derived exposure needs a written justification",
            ));
        }
        Ok(ExposureOverride {
            exposed,
            justification: justification.to_owned(),
        })
    }
}

/// The exposure of a supplier's services: derived, with its reasons, and the
/// override if an officer made one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, JsonSchema)]
pub struct Exposure {
    /// What the supply chain gives.
    pub derived: bool,
    /// Why, one entry per entity and country; empty when not exposed.
    pub reasons: Vec<ExposureReason>,
    #[serde(rename = "override")]
    pub override_: Option<ExposureOverride>,
    /// What counts: the override when there is one, else the derived flag.
    pub exposed: bool,
}

/// Derives the exposure of `input` against the `exposing` jurisdictions.
pub fn derive_exposure(
    input: &ExposureInput,
    exposing: &[CountryCode],
    override_: Option<ExposureOverride>,
) -> Exposure {
    let mut reasons = Vec::new();
    let mut consider = |entity: ExposureEntity, name: &str, country: &CountryCode| {
        if exposing.contains(country) {
            reasons.push(ExposureReason {
                entity,
                name: name.to_owned(),
                country: country.clone(),
            });
        }
    };
    consider(
        ExposureEntity::SupplierIncorporated,
        &input.supplier_name,
        &input.incorporated_in,
    );
    if input.headquartered_in != input.incorporated_in {
        consider(
            ExposureEntity::SupplierHeadquartered,
            &input.supplier_name,
            &input.headquartered_in,
        );
    }
    if let Some(parent) = &input.ultimate_parent {
        consider(
            ExposureEntity::UltimateParent,
            &parent.name,
            &parent.country,
        );
    }
    for (sub, touches_data) in &input.subcontractors {
        if *touches_data {
            consider(ExposureEntity::Subcontractor, &sub.name, &sub.country);
        }
    }
    let derived = !reasons.is_empty();
    let exposed = override_.as_ref().map_or(derived, |o| o.exposed);
    Exposure {
        derived,
        reasons,
        override_,
        exposed,
    }
}
