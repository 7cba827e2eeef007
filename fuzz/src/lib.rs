//! What every fuzz target checks: an import of any bytes either succeeds or
//! fails with a validation error naming a field, never panics, and when it
//! fails, the database holds exactly what it held before.

use std::cell::RefCell;
use tillit::approval::{self, NewUser, Role};
use tillit::{Db, Error};

/// Which importer a target feeds.
#[derive(Debug, Clone, Copy)]
pub enum Importer {
    Csv,
    Json,
}

/// A fresh database is made after this many imports that succeeded, so the
/// register stays small and each input meets a similar database.
const FRESH_AFTER: u32 = 200;

thread_local! {
    static DB: RefCell<Option<(Db, u32)>> = const { RefCell::new(None) };
}

fn fresh() -> Db {
    let db = Db::open_in_memory().expect("an in-memory database opens");
    approval::create_first_administrator(
        &db,
        NewUser {
            username: "fuzz".into(),
            display_name: "Fuzz Target".into(),
            roles: vec![Role::ProcurementOfficer],
            password: "a long enough password".into(),
        },
    )
    .expect("the first administrator is created");
    db
}

/// Feeds `data` to `importer` and checks the outcome.
pub fn check(importer: Importer, data: &[u8]) {
    DB.with(|cell| {
        let mut slot = cell.borrow_mut();
        let (db, imported) = slot.get_or_insert_with(|| (fresh(), 0));
        let before = db.info().expect("the database answers");
        let outcome = match importer {
            Importer::Csv => tillit::interchange::csv_import::import(db, data, |_| {}),
            Importer::Json => tillit::interchange::json::import_bytes(db, data),
        };
        match outcome {
            Ok(_) => {
                // Nothing stored can drive a terminal or reorder what it shows.
                let details = tillit::supplier::all_details(db).expect("the register reads");
                for name in details.iter().map(|d| &d.supplier.fields.legal_name) {
                    assert!(
                        !name.chars().any(|c| tillit::text::is_unsafe_char(c, false)),
                        "stored a name with a control character: {name:?}"
                    );
                }
                *imported += 1;
                if *imported >= FRESH_AFTER {
                    *slot = None;
                }
            }
            Err(error) => {
                assert!(
                    matches!(error, Error::Invalid(ref fields) if !fields.is_empty()),
                    "an import fails with the fields at fault, not with {error:?}"
                );
                let after = db.info().expect("the database answers");
                assert_eq!(before, after, "a failed import changed the database");
                // The report is bounded, whatever the input: at most 200
                // problems and a count, none echoing a whole value.
                let fields = error.field_errors();
                assert!(fields.len() <= 201, "{} problems listed", fields.len());
                for field in fields {
                    assert!(
                        field.message.len() <= 4_000 && field.field.len() <= 1_000,
                        "an oversized message: {} bytes",
                        field.message.len() + field.field.len()
                    );
                }
            }
        }
    });
}
