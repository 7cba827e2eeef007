//! What the benchmarks share: the generated register of 10,000 suppliers
//! (made once by `tillit::seed` and kept under `target/bench-data/`), a CSV
//! of suppliers, the users who sign in, and the measurement: the median of
//! repeated runs with the fastest and slowest, printed with how it was taken.

#![allow(dead_code)]

use chrono::{NaiveDate, Utc};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use tillit::approval;
use tillit::context::{SeededIds, SharedClock};
use tillit::dev::{self, SeedOptions};
use tillit::Db;

/// The password of the benchmark's users.
pub const PASSWORD: &str = "correct horse battery";

/// The size of the register the benchmarks work on.
pub const SUPPLIERS: usize = 10_000;

/// The day the generated register is as of.
pub fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 2).expect("date")
}

/// Where generated databases are kept between runs.
pub fn data_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    target.join("bench-data")
}

/// The generated register of `suppliers` suppliers (seed 1) with its trail
/// grown to `audit_entries` if given: generated the first time, then kept.
pub fn generated(suppliers: usize, audit_entries: Option<u64>) -> PathBuf {
    // Named by the generator's and the schema's versions: a database kept
    // from an older build is generated again rather than upgraded.
    let made_by = format!(
        "v{}-s{}",
        dev::GENERATOR,
        tillit::store::latest_version(tillit::store::MIGRATIONS)
    );
    let name = match audit_entries {
        Some(entries) => format!("trail-{entries}-register-{suppliers}-{made_by}.db"),
        None => format!("register-{suppliers}-{made_by}.db"),
    };
    let path = data_dir().join(name);
    if path.is_file() {
        return path;
    }
    std::fs::create_dir_all(data_dir()).expect("bench-data folder");
    let partial = path.with_extension("partial");
    let _ = std::fs::remove_file(&partial);
    let start = Instant::now();
    {
        let clock = SharedClock::new(Utc::now());
        let db = Db::open(&partial)
            .expect("database")
            .with_clock(clock.clone())
            .with_ids(SeededIds::new(1));
        let options = SeedOptions {
            suppliers,
            seed: 1,
            as_of: as_of(),
            password: PASSWORD.into(),
        };
        let summary = dev::register(&db, &clock, &options).expect("generate");
        if let Some(entries) = audit_entries {
            dev::audit_trail(&db, &clock, entries, 1).expect("trail");
        }
        print!(
            "generated {} in {:.1} s: {}",
            path.display(),
            start.elapsed().as_secs_f64(),
            summary.text()
        );
        db.read(|conn| {
            conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
            Ok(())
        })
        .expect("checkpoint");
    }
    std::fs::rename(&partial, &path).expect("keep the generated database");
    path
}

/// A copy of a generated database to write to, opened and signed in as
/// the officer `olivia`.
pub fn copy_of(source: &Path, dir: &Path, name: &str) -> Db {
    let path = dir.join(name);
    std::fs::copy(source, &path).expect("copy the generated database");
    let db = Db::open(&path).expect("database");
    approval::sign_in(&db, "olivia", PASSWORD).expect("sign in");
    db
}

/// Creates the administrator, an officer (`olivia`) and a manager
/// (`magnus`), and signs in the officer.
pub fn users(db: &Db) {
    dev::users(db, PASSWORD).expect("users");
}

/// The columns of [`csv`], in order.
pub const CSV_COLUMNS: [&str; 7] = [
    "legal_name",
    "registration_number",
    "country_of_incorporation",
    "country_of_headquarters",
    "tier",
    "parent_name",
    "parent_country",
];

/// The rows of [`csv`]: a realistic mix of tiers, countries and parents.
pub fn csv_rows(n: usize) -> Vec<[String; 7]> {
    let countries = ["SE", "SE", "SE", "DE", "FI", "NO", "DK", "NL", "US", "GB"];
    (0..n)
        .map(|i| {
            let country = countries[i % countries.len()];
            let number = if country == "SE" {
                dev::org_number(i)
            } else {
                format!("REG-{i}")
            };
            let tier = ["critical", "essential", "standard", "standard"][i % 4];
            let (parent, parent_country) = match i % 9 {
                0 => ("Cloudco Inc.", "US"),
                1 => ("Nordic Holding Oyj", "FI"),
                _ => ("", ""),
            };
            [
                format!("Leverantör {i:05} {country}"),
                number,
                country.into(),
                country.into(),
                tier.into(),
                parent.into(),
                parent_country.into(),
            ]
        })
        .collect()
}

/// A CSV of `n` suppliers (`;` separated, as Swedish spreadsheets write).
pub fn csv(n: usize) -> String {
    let mut out = CSV_COLUMNS.join(";");
    out.push('\n');
    for row in csv_rows(n) {
        out.push_str(&row.join(";"));
        out.push('\n');
    }
    out
}

/// Whether the section `name` is to run: all of them, or those named on
/// the command line (`cargo bench --bench register -- import`).
pub fn selected(name: &str) -> bool {
    let wanted: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    wanted.is_empty() || wanted.iter().any(|w| name.contains(w.as_str()))
}

/// A section of the printed results.
pub fn heading(title: &str) {
    println!("\n== {title}");
}

/// Runs `f` `runs` times and prints the median, fastest and slowest, and
/// how it was measured.
pub fn measure(name: &str, how: &str, runs: usize, mut f: impl FnMut()) -> Duration {
    measure_after(name, how, runs, || {}, |()| f())
}

/// As [`measure`], with `prepare` run before each run and not timed; `f`
/// gets what it returned.
pub fn measure_after<T>(
    name: &str,
    how: &str,
    runs: usize,
    mut prepare: impl FnMut() -> T,
    mut f: impl FnMut(T),
) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let prepared = prepare();
            let start = Instant::now();
            f(prepared);
            start.elapsed()
        })
        .collect();
    times.sort();
    let runs = times.len();
    let median = times[times.len() / 2];
    println!(
        "{name:<60} median {:>9.3} ms   (min {:.3}, max {:.3}, {runs} runs)",
        ms(median),
        ms(times[0]),
        ms(times[times.len() - 1]),
    );
    if !how.is_empty() {
        println!("    how: {how}");
    }
    median
}

/// Prints `name`: `ours` as a multiple of `reference`, against a target.
pub fn ratio(name: &str, ours: Duration, reference: Duration, target: &str) {
    let times = ours.as_secs_f64() / reference.as_secs_f64();
    // "≤ 3×" and the like: met or not, beside the ratio.
    let verdict = target
        .strip_prefix("≤ ")
        .and_then(|t| t.strip_suffix('×'))
        .and_then(|t| t.parse::<f64>().ok())
        .map_or(
            "",
            |limit| if times <= limit { ": met" } else { ": NOT MET" },
        );
    println!("{name:<60} ratio  {times:>9.2}×   (target {target}{verdict})");
}

/// Prints whether `measured` is within the absolute target `limit`.
pub fn against(name: &str, measured: Duration, limit: Duration) {
    let verdict = if measured <= limit { "met" } else { "NOT MET" };
    println!(
        "{name:<60} target ≤ {:.0} ms: {verdict} ({:.3} ms)",
        ms(limit),
        ms(measured)
    );
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// A new, empty database on the PostgreSQL cluster at `cluster` (a URL, as
/// `scripts/with-postgres.sh` gives it), as a connection URL.
pub fn postgres_database(cluster: &str) -> String {
    let name = format!("tillit_bench_{}", uuid::Uuid::new_v4().simple());
    let mut admin = postgres::Client::connect(cluster, postgres::NoTls).expect("the cluster");
    admin
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .expect("a database");
    let (base, query) = cluster.split_once('?').unwrap_or((cluster, ""));
    let (host, _) = base.rsplit_once('/').expect("a database in the URL");
    format!("{host}/{name}?{query}")
}
