//! Benchmarks of the register at scale: the CSV import of 10,000 suppliers
//! and filter + sort over them, in the core (no window). Each figure is the
//! median of repeated runs, with the fastest and slowest; run with
//! `make bench` (release build).

use tillit::interchange::csv_import;
use tillit::supplier::{list_register, RegisterQuery, SortKey, SupplierStatus, Tier};
use tillit::Db;

mod support;

use support::{csv, measure, users, SUPPLIERS};

fn main() {
    let data = csv(SUPPLIERS);
    let dir = tempfile::tempdir().expect("temporary folder");

    // Each run imports into a new database file with its users already
    // created (password hashing is not part of the import).
    let mut fresh = (0..7)
        .map(|run| {
            let db = Db::open(&dir.path().join(format!("import-{run}.db"))).expect("database");
            users(&db);
            db
        })
        .collect::<Vec<_>>()
        .into_iter();
    measure(
        "CSV import of 10,000 suppliers into a new database file",
        7,
        || {
            let db = fresh.next().expect("a database per run");
            let summary = csv_import::import(&db, data.as_bytes(), |_| {}).expect("import");
            assert_eq!(summary.suppliers as usize, SUPPLIERS);
        },
    );

    let db = Db::open(&dir.path().join("register.db")).expect("database");
    users(&db);
    csv_import::import(&db, data.as_bytes(), |_| {}).expect("import");
    let queries = [
        ("all 10,000 rows, sorted by name", RegisterQuery::default()),
        (
            "search \"leverantör 01\", sorted by name",
            RegisterQuery {
                search: "leverantör 01".into(),
                ..Default::default()
            },
        ),
        (
            "tier critical, sorted by country descending",
            RegisterQuery {
                tier: Some(Tier::Critical),
                sort: SortKey::Country,
                descending: true,
                ..Default::default()
            },
        ),
        (
            "exposed, status draft, sorted by tier",
            RegisterQuery {
                exposed: Some(true),
                status: Some(SupplierStatus::Draft),
                sort: SortKey::Tier,
                ..Default::default()
            },
        ),
        (
            "country SE, sorted by services",
            RegisterQuery {
                country: Some("SE".into()),
                sort: SortKey::Services,
                ..Default::default()
            },
        ),
    ];
    for (name, query) in &queries {
        let rows = list_register(&db, query).expect("query").rows.len();
        measure(&format!("filter + sort: {name} ({rows} rows)"), 51, || {
            std::hint::black_box(list_register(&db, query).expect("query"));
        });
    }
}
