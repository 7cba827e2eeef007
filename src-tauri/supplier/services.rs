//! A supplier's services and subcontractors: added, changed and removed,
//! each change to where data is kept or who handles it raising the follow-up
//! DOMAIN §8 asks for.

use super::{
    changes, editable, exposing_in, reassess_after, shown, store, validate, FollowUpKind, Service,
    ServiceFields, ServiceId, Subcontractor, SubcontractorFields, SubcontractorId, SupplierDetail,
    SupplierId,
};
use crate::access::Permission;
use crate::error::{Refusal, Result};
use crate::store::sql::Connection;
use crate::store::Db;
use crate::words::{self, Said};

/// Adds a service to a supplier.
pub fn add_service(
    db: &Db,
    supplier: SupplierId,
    mut fields: ServiceFields,
) -> Result<SupplierDetail> {
    validate::service(&mut fields)?;
    let now = db.now();
    let service = Service {
        id: ServiceId(db.new_id()),
        supplier_id: supplier,
        fields,
        location_class: None,
        subcontracted: Vec::new(),
        supports_critical_function: false,
        created_at: now,
        updated_at: now,
    };
    db.write(Permission::EditRegister, |tx| {
        editable(tx, supplier)?;
        store::insert_service(tx, &service)?;
        let reason = Said::key(
            "reason.service_added",
            &[("name", service.fields.name.clone())],
        );
        reassess_after(
            db,
            tx,
            supplier,
            Some(service.id),
            FollowUpKind::ServiceChange,
            reason,
        )?;
        shown(tx, supplier, tx.now().date_naive())
    })
}

/// Changes a service.
pub fn update_service(db: &Db, id: ServiceId, fields: ServiceFields) -> Result<SupplierDetail> {
    update_service_based_on(db, id, fields, None)
}

/// [`update_service`] of a form opened on `based_on`: refused, naming who
/// saved the service since and when, when it is no longer what the form
/// opened (DOMAIN §11); nothing is written then.
pub fn update_service_based_on(
    db: &Db,
    id: ServiceId,
    mut fields: ServiceFields,
    based_on: Option<ServiceFields>,
) -> Result<SupplierDetail> {
    validate::service(&mut fields)?;
    let now = db.now();
    db.write(Permission::EditRegister, |tx| {
        let supplier = store::owner_of(tx, "service", id.0)?;
        editable(tx, supplier)?;
        let old = store::get_service(tx, id)?.fields;
        if based_on.as_ref().is_some_and(|based_on| *based_on != old) {
            return Err(super::stale(tx, "service", &id.to_string(), &old.name)?);
        }
        store::update_service_fields(tx, id, &fields, now)?;
        let text =
            |date: Option<chrono::NaiveDate>| date.map(|d| d.to_string()).unwrap_or_default();
        let scope = changes(&[
            ("name", old.name.clone(), fields.name.clone()),
            (
                "description",
                old.description.clone(),
                fields.description.clone(),
            ),
            (
                "service_type",
                old.service_type.clone(),
                fields.service_type.clone(),
            ),
            (
                "data_classification",
                old.data_classification.as_str().into(),
                fields.data_classification.as_str().into(),
            ),
            (
                "personal_data",
                old.personal_data.as_str().into(),
                fields.personal_data.as_str().into(),
            ),
            (
                "storage_countries",
                old.storage_countries.join(", "),
                fields.storage_countries.join(", "),
            ),
            (
                "access_countries",
                old.access_countries.join(", "),
                fields.access_countries.join(", "),
            ),
        ]);
        if !scope.is_empty() {
            let reason = Said::new(|l| {
                words::t(
                    l,
                    "reason.service_changed",
                    &[("name", fields.name.clone()), ("changes", scope.said_in(l))],
                )
            });
            reassess_after(
                db,
                tx,
                supplier,
                Some(id),
                FollowUpKind::ServiceChange,
                reason,
            )?;
        }
        let renewal = changes(&[
            (
                "contract_end",
                text(old.contract_end),
                text(fields.contract_end),
            ),
            (
                "renewal_date",
                text(old.renewal_date),
                text(fields.renewal_date),
            ),
        ]);
        if !renewal.is_empty() {
            let reason = Said::new(|l| {
                words::t(
                    l,
                    "reason.contract_renewed",
                    &[
                        ("name", fields.name.clone()),
                        ("changes", renewal.said_in(l)),
                    ],
                )
            });
            reassess_after(
                db,
                tx,
                supplier,
                Some(id),
                FollowUpKind::ContractRenewal,
                reason,
            )?;
        }
        shown(tx, supplier, tx.now().date_naive())
    })
}

/// A service by id.
pub fn service(db: &Db, id: ServiceId) -> Result<Service> {
    db.read(|conn| store::get_service(conn, id))
}

/// A service by id, inside the caller's transaction.
pub(crate) fn store_service(conn: &Connection, id: ServiceId) -> Result<Service> {
    store::get_service(conn, id)
}

/// Removes a service.
pub fn remove_service(db: &Db, id: ServiceId) -> Result<SupplierDetail> {
    db.write(Permission::EditRegister, |tx| {
        let supplier = store::owner_of(tx, "service", id.0)?;
        editable(tx, supplier)?;
        let name = store::get_service(tx, id)?.fields.name;
        store::delete_service(tx, id)?;
        reassess_after(
            db,
            tx,
            supplier,
            None,
            FollowUpKind::ServiceChange,
            Said::key("reason.service_removed", &[("name", name)]),
        )?;
        shown(tx, supplier, tx.now().date_naive())
    })
}

/// Adds a subcontractor to a supplier; the exposure follows.
pub fn add_subcontractor(
    db: &Db,
    supplier: SupplierId,
    mut fields: SubcontractorFields,
) -> Result<SupplierDetail> {
    validate::subcontractor(&mut fields)?;
    let sub = Subcontractor {
        id: SubcontractorId(db.new_id()),
        supplier_id: supplier,
        fields,
    };
    db.write(Permission::EditRegister, |tx| {
        editable(tx, supplier)?;
        validate::subcontractor_services(&sub.fields, &service_ids(tx, supplier)?)?;
        validate::subcontractor_chain(None, &sub.fields, &chain_of(tx, supplier)?)?;
        store::insert_subcontractor(tx, &sub)?;
        store::refresh_exposure(tx, supplier, &exposing_in(tx)?)?;
        let reason = Said::key(
            "reason.subcontractor_added",
            &[
                ("name", sub.fields.name.clone()),
                ("country", sub.fields.country.clone()),
            ],
        );
        reassess_after(
            db,
            tx,
            supplier,
            None,
            FollowUpKind::SubcontractorChange,
            reason,
        )?;
        shown(tx, supplier, tx.now().date_naive())
    })
}

/// Changes a subcontractor; the exposure follows.
pub fn update_subcontractor(
    db: &Db,
    id: SubcontractorId,
    fields: SubcontractorFields,
) -> Result<SupplierDetail> {
    update_subcontractor_based_on(db, id, fields, None)
}

/// [`update_subcontractor`] of a form opened on `based_on`: refused, naming
/// who saved the subcontractor since and when, when it is no longer what the
/// form opened (DOMAIN §11); nothing is written then.
pub fn update_subcontractor_based_on(
    db: &Db,
    id: SubcontractorId,
    mut fields: SubcontractorFields,
    based_on: Option<SubcontractorFields>,
) -> Result<SupplierDetail> {
    validate::subcontractor(&mut fields)?;
    db.write(Permission::EditRegister, |tx| {
        let supplier = store::owner_of(tx, "subcontractor", id.0)?;
        editable(tx, supplier)?;
        if let Some(mut based_on) = based_on {
            let old = store::subcontractors_of(tx, supplier)?
                .into_iter()
                .find(|s| s.id == id)
                .map(|s| s.fields)
                .unwrap_or_default();
            based_on.services.sort();
            if based_on != old {
                return Err(super::stale(
                    tx,
                    "subcontractor",
                    &id.to_string(),
                    &old.name,
                )?);
            }
        }
        validate::subcontractor_services(&fields, &service_ids(tx, supplier)?)?;
        validate::subcontractor_chain(Some(id), &fields, &chain_of(tx, supplier)?)?;
        store::update_subcontractor_fields(tx, id, &fields)?;
        store::refresh_exposure(tx, supplier, &exposing_in(tx)?)?;
        let reason = Said::key(
            "reason.subcontractor_changed",
            &[("name", fields.name.clone())],
        );
        reassess_after(
            db,
            tx,
            supplier,
            None,
            FollowUpKind::SubcontractorChange,
            reason,
        )?;
        shown(tx, supplier, tx.now().date_naive())
    })
}

/// The ids of a supplier's services.
pub(super) fn service_ids(conn: &Connection, supplier: SupplierId) -> Result<Vec<ServiceId>> {
    Ok(store::services_of(conn, supplier)?
        .into_iter()
        .map(|s| s.id)
        .collect())
}

/// A supplier's subcontractors as the chain's check reads them: each with
/// whom it works for and its name.
fn chain_of(
    conn: &Connection,
    supplier: SupplierId,
) -> Result<Vec<(SubcontractorId, Option<SubcontractorId>, String)>> {
    Ok(store::subcontractors_of(conn, supplier)?
        .into_iter()
        .map(|s| (s.id, s.fields.serves, s.fields.name))
        .collect())
}

/// Removes a subcontractor; the exposure follows.
pub fn remove_subcontractor(db: &Db, id: SubcontractorId) -> Result<SupplierDetail> {
    db.write(Permission::EditRegister, |tx| {
        let supplier = store::owner_of(tx, "subcontractor", id.0)?;
        editable(tx, supplier)?;
        let name: String = tx.query_row(
            "SELECT name FROM subcontractor WHERE id = ?1",
            [id.to_string()],
            |r| r.get(0),
        )?;
        // Those working for it would silently move up the chain.
        let serving: Vec<String> = chain_of(tx, supplier)?
            .into_iter()
            .filter(|(_, serves, _)| *serves == Some(id))
            .map(|(_, _, name)| name)
            .collect();
        if !serving.is_empty() {
            return Err(Refusal::new("refusal.subcontractor_served")
                .with("name", &name)
                .with("serving", serving.join(", "))
                .into());
        }
        store::delete_row(tx, "subcontractor", id.0)?;
        reassess_after(
            db,
            tx,
            supplier,
            None,
            FollowUpKind::SubcontractorChange,
            Said::key("reason.subcontractor_removed", &[("name", name)]),
        )?;
        store::refresh_exposure(tx, supplier, &exposing_in(tx)?)?;
        shown(tx, supplier, tx.now().date_naive())
    })
}
