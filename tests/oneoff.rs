//! One-off: render every output of the database file named by ONEOFF_DB
//! (generated there first when missing), hashes to ONEOFF_OUT.
use chrono::{NaiveDate, TimeZone, Utc};
use sha2::{Digest, Sha256};
use std::fmt::Write as _;
use tillit::context::{SeededIds, SharedClock};
use tillit::report::{render, ReportKind};
use tillit::seed::{self, SeedOptions};
use tillit::settings::Language;
use tillit::Db;

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().fold(String::new(), |mut hex, byte| { let _ = write!(hex, "{byte:02x}"); hex })
}

#[test]
fn oneoff() {
    let Some(path) = std::env::var_os("ONEOFF_DB") else { return };
    let path = std::path::PathBuf::from(path);
    let clock = SharedClock::new(Utc.with_ymd_and_hms(2026, 11, 2, 9, 0, 0).unwrap());
    if !path.exists() {
        let db = Db::open(&path).unwrap().with_clock(clock.clone()).with_ids(SeededIds::new(24));
        seed::register(&db, &clock, &SeedOptions { suppliers: 40, seed: 24, as_of: NaiveDate::from_ymd_opt(2026, 11, 2).unwrap(), password: crate::support::PASSWORD.into() }).unwrap();
    }
    let copy = path.with_extension("copy.db");
    std::fs::copy(&path, &copy).unwrap();
    let db = Db::open(&copy).unwrap().with_clock(clock.clone()).with_ids(SeededIds::new(25));
    crate::support::sign_in(&db, "olivia");
    let mut out = String::new();
    let mut file = Vec::new();
    tillit::interchange::json::export_stream(&db, &mut file).unwrap();
    out += &format!("{}  register.json\n", sha256(&file));
    let rows = tillit::supplier::list_register(&db, &Default::default()).unwrap().rows;
    for language in [Language::En, Language::Sv] {
        let code = language.code();
        for (kind, name) in [(ReportKind::Register, "register"), (ReportKind::Summary, "summary")] {
            let bytes = render(&db, kind, None, language).unwrap().bytes;
            if let Some(dir) = std::env::var_os("ONEOFF_PDFS") { std::fs::write(std::path::Path::new(&dir).join(format!("{name}-{code}.pdf")), &bytes).unwrap(); }
            out += &format!("{}  {name}-{code}.pdf\n", sha256(&bytes));
        }
        for row in &rows {
            let bytes = render(&db, ReportKind::Assessment, Some(row.id), language).unwrap().bytes;
            out += &format!("{}  assessment-{}-{code}.pdf\n", sha256(&bytes), row.registration_number);
        }
    }
    std::fs::write(std::env::var_os("ONEOFF_OUT").unwrap(), out).unwrap();
    drop(db);
    std::fs::remove_file(&copy).unwrap();
}
