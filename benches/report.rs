//! Benchmarks of the PDF reports (release build, no window): the assessment
//! report of one decided supplier beside the same content as HTML printed to
//! PDF by headless Chromium in the same run, and the register of the
//! generated 10,000 suppliers. Run with `make bench`.

use chrono::{TimeZone, Utc};
use std::path::Path;
use std::process::Command;
use tillit::context::FixedClock;
use tillit::report::{assessment, register};
use tillit::settings::Language;
use tillit::Db;

mod html;
mod support;

#[path = "../tests/fixtures/decided.rs"]
mod decided;

use support::{heading, measure, ratio, users, PASSWORD, SUPPLIERS};

/// Debian's Chromium, as `scripts/install-deps.sh bench` installs it.
const CHROMIUM: &str = "/usr/bin/chromium";

fn main() {
    let dir = tempfile::tempdir().expect("temporary folder");
    if support::selected("assessment") {
        assessment_report(dir.path());
    }
    if support::selected("register") {
        register_report();
    }
}

fn assessment_report(dir: &Path) {
    heading("Assessment report PDF (target ≤ 50 ms and ≥ 10× faster than Chromium printing the same content)");
    let clock = FixedClock(
        Utc.with_ymd_and_hms(2026, 3, 2, 14, 3, 0)
            .single()
            .expect("time"),
    );
    let db = Db::open(&dir.join("assessment.db"))
        .expect("database")
        .with_clock(clock);
    users(&db);
    let supplier = decided::decided(&db, PASSWORD);
    let model = assessment::model(&db, supplier, Language::En).expect("model");
    let transcript = html::Html::default();
    let rendered =
        assessment::render_transcribed(&model, Box::new(transcript.clone())).expect("render");
    let html = transcript.page();
    println!(
        "assessment report: {} pages, {} bytes of PDF; the same content as {} bytes of HTML",
        rendered.pages,
        rendered.bytes.len(),
        html.len()
    );
    let ours = measure(
        "assessment report: read + render",
        "tillit::report::assessment::model + render: read the supplier, assessment, decisions, follow-up and audit excerpt; lay out and write the PDF",
        51,
        || {
            let model = assessment::model(&db, supplier, Language::En).expect("model");
            std::hint::black_box(assessment::render(&model).expect("render"));
        },
    );
    measure("assessment report: render only", "", 51, || {
        std::hint::black_box(assessment::render(&model).expect("render"));
    });

    if !Path::new(CHROMIUM).is_file() {
        println!("  {CHROMIUM} is not installed (scripts/install-deps.sh bench installs it): no comparison");
        return;
    }
    let page = dir.join("assessment.html");
    std::fs::write(&page, &html).expect("HTML page");
    let out = dir.join("chromium.pdf");
    let profile = dir.join("chromium-profile");
    let chromium = measure(
        "  Chromium: the same content as HTML printed to PDF",
        "chromium --headless --print-to-pdf of the report's HTML (same text, tables, colours, heat map), a new process each run as a PDF service would start it",
        5,
        || {
            let _ = std::fs::remove_file(&out);
            let status = Command::new(CHROMIUM)
                .args([
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--no-first-run",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--no-pdf-header-footer",
                ])
                .arg(format!("--user-data-dir={}", profile.display()))
                .arg(format!("--print-to-pdf={}", out.display()))
                .arg(format!("file://{}", page.display()))
                .output()
                .expect("chromium runs");
            assert!(status.status.success(), "chromium failed: {}", String::from_utf8_lossy(&status.stderr));
            assert!(out.is_file(), "chromium wrote no PDF");
        },
    );
    ratio("  Chromium / Tillit", chromium, ours, "≥ 10×");
    // Kept to look at: both documents side by side.
    let keep = support::data_dir();
    let _ = std::fs::write(keep.join("assessment-tillit.pdf"), &rendered.bytes);
    let _ = std::fs::copy(&out, keep.join("assessment-chromium.pdf"));
    let _ = std::fs::copy(&page, keep.join("assessment.html"));
}

fn register_report() {
    heading("Register PDF of 10,000 suppliers (target ≤ 3 s)");
    let source = support::generated(SUPPLIERS, None);
    let db = Db::open(&source).expect("database");
    let model = register::model(&db, Language::En, register::RegisterOrder::Name).expect("model");
    let rendered = register::render(&model).expect("render");
    println!(
        "register of {} suppliers: {} pages, {} bytes",
        model.lines.len(),
        rendered.pages,
        rendered.bytes.len()
    );
    measure(
        "register of 10,000 suppliers: read + render",
        "tillit::report::register::model + render: one query for every supplier with its level, decision and next review; lay out and write the PDF",
        5,
        || {
            let model = register::model(&db, Language::En, register::RegisterOrder::Name).expect("model");
            std::hint::black_box(register::render(&model).expect("render"));
        },
    );
    measure("register of 10,000 suppliers: render only", "", 5, || {
        std::hint::black_box(register::render(&model).expect("render"));
    });
    follow_up_checks(&source);
}

/// What every report and every command-line command does first (DOMAIN §8):
/// finding the time-based follow-up events due by today. Measured on a copy
/// of the register, since the first run records the events it finds.
fn follow_up_checks(source: &Path) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let copy = dir.path().join("register.db");
    std::fs::copy(source, &copy).expect("copy of the register");
    let db = Db::open(&copy).expect("database");
    let first = std::time::Instant::now();
    let raised = tillit::review::run_checks(&db).expect("checks");
    println!(
        "time-based follow-up checks, the first time: {raised} events raised in {:.1} ms",
        first.elapsed().as_secs_f64() * 1000.0
    );
    measure(
        "time-based follow-up checks before a report (nothing new)",
        "tillit::review::run_checks: evidence no longer valid, reviews due, contracts at their end or renewal date, adequacy decisions",
        21,
        || {
            std::hint::black_box(tillit::review::run_checks(&db).expect("checks"));
        },
    );
}
