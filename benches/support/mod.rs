//! What the benchmarks share: a deterministic register of suppliers as CSV,
//! the users who sign in, and the measurement (median of repeated runs, with
//! the fastest and slowest).

use std::time::{Duration, Instant};
use tillit::approval::{self, NewUser, Role};
use tillit::Db;

/// The password of the benchmark's users.
pub const PASSWORD: &str = "correct horse battery";

/// Creates the administrator, an officer (`olivia`) and a manager
/// (`magnus`), and signs in the officer.
pub fn users(db: &Db) {
    let user = |username: &str, name: &str, role| NewUser {
        username: username.into(),
        display_name: name.into(),
        roles: vec![role],
        password: PASSWORD.into(),
    };
    approval::create_first_administrator(db, user("admin", "Ada Admin", Role::Administrator))
        .expect("administrator");
    approval::create(
        db,
        user("olivia", "Olivia Officer", Role::ProcurementOfficer),
    )
    .expect("officer");
    approval::create(db, user("magnus", "Magnus Manager", Role::Management)).expect("manager");
    approval::sign_in(db, "olivia", PASSWORD).expect("sign in");
}

pub const SUPPLIERS: usize = 10_000;

/// A valid Swedish organisation number for `n` (Luhn check digit computed).
pub fn org_number(n: usize) -> String {
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
pub fn csv(n: usize) -> String {
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
pub fn measure(name: &str, runs: usize, mut f: impl FnMut()) -> Duration {
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
