//! Benchmarks of the PDF reports: the assessment report of one decided
//! supplier, and the register of 10,000 suppliers. Each figure is the median
//! of repeated runs (reading the model from the database and rendering the
//! PDF, as saving does), with the rendering alone beside it; run with
//! `make bench` (release build).

use chrono::{TimeZone, Utc};
use tillit::context::FixedClock;
use tillit::interchange::csv_import;
use tillit::report::{assessment, register};
use tillit::settings::Language;
use tillit::Db;

mod support;

#[path = "../tests/fixtures/decided.rs"]
mod decided;

use support::{csv, measure, users, PASSWORD, SUPPLIERS};

fn main() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let clock = FixedClock(
        Utc.with_ymd_and_hms(2026, 3, 2, 14, 3, 0)
            .single()
            .expect("time"),
    );

    let db = Db::open(&dir.path().join("assessment.db"))
        .expect("database")
        .with_clock(clock);
    users(&db);
    let supplier = decided::decided(&db, PASSWORD);
    let model = assessment::model(&db, supplier, Language::En).expect("model");
    let rendered = assessment::render(&model).expect("render");
    println!(
        "assessment report: {} pages, {} bytes",
        rendered.pages,
        rendered.bytes.len()
    );
    measure("assessment report: read + render", "", 51, || {
        let model = assessment::model(&db, supplier, Language::En).expect("model");
        std::hint::black_box(assessment::render(&model).expect("render"));
    });
    measure("assessment report: render only", "", 51, || {
        std::hint::black_box(assessment::render(&model).expect("render"));
    });

    let db = Db::open(&dir.path().join("register.db"))
        .expect("database")
        .with_clock(clock);
    users(&db);
    csv_import::import(&db, csv(SUPPLIERS).as_bytes(), |_| {}).expect("import");
    let model = register::model(&db, Language::En).expect("model");
    let rendered = register::render(&model).expect("render");
    println!(
        "register of {} suppliers: {} pages, {} bytes",
        model.lines.len(),
        rendered.pages,
        rendered.bytes.len()
    );
    measure("register of 10,000 suppliers: read + render", "", 5, || {
        let model = register::model(&db, Language::En).expect("model");
        std::hint::black_box(register::render(&model).expect("render"));
    });
    measure("register of 10,000 suppliers: render only", "", 5, || {
        std::hint::black_box(register::render(&model).expect("render"));
    });
}
