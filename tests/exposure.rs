//! Exposure to foreign access law (DOMAIN §2), derived from the supply chain.

use crate::support::{db, swedish_supplier};
use tillit::error::ValidationCode;
use tillit::jurisdiction::ExposureEntity;
use tillit::supplier::{
    add_subcontractor, create_supplier, update_subcontractor, update_supplier, SubcontractorFields,
};

fn sub(name: &str, country: &str, stores: bool, accesses: bool) -> SubcontractorFields {
    SubcontractorFields {
        name: name.into(),
        country: country.into(),
        role: "operations".into(),
        stores_data: stores,
        accesses_data: accesses,
        services: Vec::new(),
        serves: None,
        ..Default::default()
    }
}

#[test]
fn a_us_ultimate_parent_exposes_the_supplier_even_with_data_in_sweden() {
    let mut fields = swedish_supplier("Molntjänst Sverige AB");
    fields.parent_name = "Cloudco Inc.".into();
    fields.parent_country = "US".into();

    let detail = create_supplier(&db(), fields).unwrap();

    assert!(detail.exposure.derived && detail.exposure.exposed);
    assert_eq!(detail.exposure.reasons.len(), 1);
    let reason = &detail.exposure.reasons[0];
    assert_eq!(reason.entity, ExposureEntity::UltimateParent);
    assert_eq!(
        reason.sentence(),
        "The ultimate parent Cloudco Inc. is headquartered in United States (US)."
    );
}

#[test]
fn a_us_subcontractor_that_stores_data_exposes_the_supplier_and_one_that_does_not_touch_data_does_not(
) {
    let db = db();
    let supplier = create_supplier(&db, swedish_supplier("Lagring AB"))
        .unwrap()
        .supplier
        .id;

    let detail = add_subcontractor(
        &db,
        supplier,
        sub("US Mail Service Inc.", "US", false, false),
    )
    .unwrap();
    assert!(
        !detail.exposure.exposed,
        "a subcontractor that neither stores nor accesses data does not count"
    );

    let detail = add_subcontractor(
        &db,
        supplier,
        sub("Hyperscale Storage LLC", "US", true, false),
    )
    .unwrap();
    assert!(detail.exposure.exposed);
    assert_eq!(
        detail
            .exposure
            .reasons
            .iter()
            .map(|r| r.sentence())
            .collect::<Vec<_>>(),
        ["The subcontractor Hyperscale Storage LLC stores or accesses our data and is based in United States (US)."]
    );

    let hyperscale = detail
        .subcontractors
        .iter()
        .find(|s| s.fields.name.starts_with("Hyperscale"))
        .unwrap()
        .id;
    let detail = update_subcontractor(
        &db,
        hyperscale,
        sub("Hyperscale Storage LLC", "IE", true, false),
    )
    .unwrap();
    assert!(
        !detail.exposure.exposed,
        "moving the subcontractor to the EU removes the exposure"
    );
}

#[test]
fn a_subcontractor_with_remote_access_counts_like_one_that_stores() {
    let db = db();
    let supplier = create_supplier(&db, swedish_supplier("Support AB"))
        .unwrap()
        .supplier
        .id;
    let detail = add_subcontractor(
        &db,
        supplier,
        sub("Follow-the-sun Support Inc.", "US", false, true),
    )
    .unwrap();
    assert!(detail.exposure.exposed);
}

#[test]
fn a_supplier_headquartered_in_the_us_is_exposed_on_both_counts() {
    let mut fields = swedish_supplier("Example Corp");
    fields.country_of_incorporation = "US".into();
    fields.country_of_headquarters = "US".into();
    fields.registration_number = String::new();
    let detail = create_supplier(&db(), fields).unwrap();
    assert_eq!(
        detail.exposure.reasons[0].entity,
        ExposureEntity::SupplierIncorporated
    );
    assert_eq!(detail.exposure.reasons.len(), 1, "one country, stated once");
}

#[test]
fn an_eu_only_chain_is_not_exposed() {
    let db = db();
    let mut fields = swedish_supplier("Europa Drift AB");
    fields.parent_name = "Europa Holding SE".into();
    fields.parent_country = "DE".into();
    let supplier = create_supplier(&db, fields).unwrap().supplier.id;
    add_subcontractor(&db, supplier, sub("Datacenter Oy", "FI", true, true)).unwrap();
    let detail = add_subcontractor(&db, supplier, sub("Support NV", "BE", false, true)).unwrap();

    assert!(!detail.exposure.derived && !detail.exposure.exposed);
    assert!(detail.exposure.reasons.is_empty());
}

#[test]
fn an_override_needs_a_justification_and_then_decides_the_exposure() {
    let db = db();
    let mut fields = swedish_supplier("Molntjänst Sverige AB");
    fields.parent_name = "Cloudco Inc.".into();
    fields.parent_country = "US".into();
    let detail = create_supplier(&db, fields.clone()).unwrap();
    let id = detail.supplier.id;

    let mut without = fields.clone();
    without.exposure_override = Some(false);
    without.exposure_override_justification = "   ".into();
    let error = update_supplier(&db, id, without).unwrap_err();
    assert_eq!(
        error.field_errors()[0].field,
        "exposure_override_justification"
    );
    assert_eq!(error.field_errors()[0].code, ValidationCode::Required);
    assert!(
        tillit::supplier::supplier_detail(&db, id)
            .unwrap()
            .exposure
            .exposed,
        "unchanged after the refusal"
    );

    let mut with = fields;
    with.exposure_override = Some(false);
    with.exposure_override_justification =
        "Sovereign-cloud contract: the US parent has no access to keys or data (legal opinion 2026-02).".into();
    let detail = update_supplier(&db, id, with).unwrap();

    assert!(
        detail.exposure.derived,
        "the derivation still shows the parent"
    );
    assert!(!detail.exposure.exposed, "the override decides");
    let kept = detail.exposure.override_.expect("the override is kept");
    assert!(kept.justification.starts_with("Sovereign-cloud contract"));
}
