//! Benchmarks of the register at scale: the CSV import of 10,000 suppliers
//! and filter + sort over them, in the core (no window). Each figure is the
//! median of repeated runs, with the fastest and slowest; run with
//! `make bench` (release build).

use std::time::{Duration, Instant};
use tillit::interchange::csv_import;
use tillit::supplier::{list_register, RegisterQuery, SortKey, SupplierStatus, Tier};
use tillit::Db;

const SUPPLIERS: usize = 10_000;

/// A valid Swedish organisation number for `n` (Luhn check digit computed).
fn org_number(n: usize) -> String {
    let body = format!("55{n:07}");
    let sum: u32 = body
        .chars()
        .enumerate()
        .map(|(i, c)| {
            let d = c.to_digit(10).unwrap_or(0) * if i % 2 == 0 { 2 } else { 1 };
            if d > 9 {
                d - 9
            } else {
                d
            }
        })
        .sum();
    format!("{}-{}{}", &body[..6], &body[6..], (10 - sum % 10) % 10)
}

/// A CSV of `n` suppliers with a realistic mix of tiers, countries and parents.
fn csv(n: usize) -> String {
    let countries = ["SE", "SE", "SE", "DE", "FI", "NO", "DK", "NL", "US", "GB"];
    let mut out = String::from(
        "legal_name;registration_number;country_of_incorporation;country_of_headquarters;tier;parent_name;parent_country\n",
    );
    for i in 0..n {
        let country = countries[i % countries.len()];
        let number = if country == "SE" {
            org_number(i)
        } else {
            format!("REG-{i}")
        };
        let tier = ["critical", "essential", "standard", "standard"][i % 4];
        let parent = match i % 9 {
            0 => "Cloudco Inc.;US",
            1 => "Nordic Holding Oyj;FI",
            _ => ";",
        };
        out.push_str(&format!(
            "Leverantör {i:05} {country};{number};{country};{country};{tier};{parent}\n"
        ));
    }
    out
}

/// Runs `f` `runs` times and prints the median, fastest and slowest.
fn measure(name: &str, runs: usize, mut f: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    times.sort();
    let median = times[times.len() / 2];
    println!(
        "{name:<58} median {:>9.3} ms   (min {:.3}, max {:.3}, {runs} runs)",
        median.as_secs_f64() * 1e3,
        times[0].as_secs_f64() * 1e3,
        times[times.len() - 1].as_secs_f64() * 1e3,
    );
    median
}

fn main() {
    let data = csv(SUPPLIERS);
    let dir = tempfile::tempdir().expect("temporary folder");

    let mut run = 0;
    measure(
        "CSV import of 10,000 suppliers into a new database file",
        7,
        || {
            run += 1;
            let db = Db::open(&dir.path().join(format!("import-{run}.db"))).expect("database");
            let summary = csv_import::import(&db, data.as_bytes(), |_| {}).expect("import");
            assert_eq!(summary.suppliers as usize, SUPPLIERS);
        },
    );

    let db = Db::open(&dir.path().join("register.db")).expect("database");
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
