//! A supplier's exposure to third-country law (DOMAIN §2), derived from its
//! own countries, its parent's and its subcontractors', under the exposing
//! jurisdictions of the rule set, unless an officer overrode it with a
//! justification.

use super::types::*;
use crate::jurisdiction::{
    derive_exposure, CountryCode, Exposure, ExposureInput, ExposureOverride, Party,
};

/// Derives the exposure from a supplier's fields and subcontractors.
pub fn exposure_from(
    fields: &SupplierFields,
    subcontractors: &[Subcontractor],
    exposing: &[CountryCode],
) -> Exposure {
    let country = |text: &str| CountryCode::parse(text);
    let (Some(incorporated_in), Some(headquartered_in)) = (
        country(&fields.country_of_incorporation),
        country(&fields.country_of_headquarters),
    ) else {
        return derive_exposure_without_supplier(fields);
    };
    let input = ExposureInput {
        supplier_name: fields.legal_name.clone(),
        incorporated_in,
        headquartered_in,
        ultimate_parent: country(&fields.parent_country).map(|country| Party {
            name: if fields.parent_name.is_empty() {
                "(unnamed parent)".to_owned()
            } else {
                fields.parent_name.clone()
            },
            country,
        }),
        subcontractors: subcontractors
            .iter()
            .filter_map(|s| {
                country(&s.fields.country).map(|country| {
                    (
                        Party {
                            name: s.fields.name.clone(),
                            country,
                        },
                        s.fields.stores_data || s.fields.accesses_data,
                    )
                })
            })
            .collect(),
    };
    derive_exposure(&input, exposing, override_of(fields))
}

fn override_of(fields: &SupplierFields) -> Option<ExposureOverride> {
    fields.exposure_override.map(|exposed| ExposureOverride {
        exposed,
        justification: fields.exposure_override_justification.clone(),
    })
}

/// Stored suppliers always have valid countries; this only keeps the
/// derivation total.
fn derive_exposure_without_supplier(fields: &SupplierFields) -> Exposure {
    let override_ = override_of(fields);
    Exposure {
        derived: false,
        reasons: Vec::new(),
        exposed: override_.as_ref().is_some_and(|o| o.exposed),
        override_,
    }
}
