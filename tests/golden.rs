//! What Tillit writes for a generated register stays byte for byte the
//! same until a change means it to differ: the register file and every
//! report, in English and Swedish, for suppliers in each assessment state.
//! Their SHA-256 are kept in `tests/fixtures/golden-outputs.txt`; a change
//! that alters one fails here, and is accepted by running the test with
//! `UPDATE_GOLDEN=1` and committing the new list with a word on why.

use chrono::{NaiveDate, TimeZone, Utc};
use sha2::{Digest, Sha256};
use std::fmt::Write as _;
use tillit::context::{SeededIds, SharedClock};
use tillit::dev::{self, SeedOptions};
use tillit::report::{render, ReportKind};
use tillit::settings::Language;
use tillit::Db;

const GOLDEN: &str = "tests/fixtures/golden-outputs.txt";

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .fold(String::new(), |mut hex, byte| {
            let _ = write!(hex, "{byte:02x}");
            hex
        })
}

/// The generated register of 24 suppliers the outputs are written from,
/// with olivia signed in.
fn register() -> Db {
    let clock = SharedClock::new(Utc.with_ymd_and_hms(2026, 11, 2, 9, 0, 0).unwrap());
    let db = Db::open_in_memory()
        .unwrap()
        .with_clock(clock.clone())
        .with_ids(SeededIds::new(24));
    dev::register(
        &db,
        &clock,
        &SeedOptions {
            suppliers: 24,
            seed: 24,
            as_of: NaiveDate::from_ymd_opt(2026, 11, 2).unwrap(),
            password: crate::support::PASSWORD.into(),
        },
    )
    .unwrap();
    crate::support::sign_in(&db, "olivia");
    db
}

/// Every output of a register of 24 generated suppliers, by name.
fn outputs() -> Vec<(String, String)> {
    let db = register();
    let mut file = Vec::new();
    tillit::interchange::json::export_stream(&db, &mut file).unwrap();
    let mut found = vec![("register.json".to_owned(), sha256(&file))];
    let suppliers = tillit::supplier::list_register(&db, &Default::default())
        .unwrap()
        .rows;
    for language in [Language::En, Language::Sv] {
        let code = language.code();
        for (kind, name) in [
            (ReportKind::Register, "register"),
            (ReportKind::Summary, "summary"),
        ] {
            let bytes = render(&db, kind, None, language).unwrap().bytes;
            found.push((format!("{name}-{code}.pdf"), sha256(&bytes)));
        }
        for row in &suppliers {
            let bytes = render(&db, ReportKind::Assessment, Some(row.id), language)
                .unwrap()
                .bytes;
            let name = format!("assessment-{}-{code}.pdf", row.registration_number);
            found.push((name, sha256(&bytes)));
        }
    }
    found
}

#[test]
fn the_register_file_and_every_report_are_the_bytes_they_were() {
    let listed: String = outputs()
        .iter()
        .map(|(name, hash)| format!("{hash}  {name}\n"))
        .collect();
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(GOLDEN);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, &listed).unwrap();
        return;
    }
    let kept = std::fs::read_to_string(&path).unwrap_or_default();
    let changed: Vec<&str> = listed
        .lines()
        .filter(|line| !kept.lines().any(|k| k == *line))
        .collect();
    assert!(
        changed.is_empty() && listed.lines().count() == kept.lines().count(),
        "these outputs differ from {GOLDEN} (run with UPDATE_GOLDEN=1 if the change is meant): {changed:#?}"
    );
}

/// Every Swedish report of the generated register (the register, the
/// summary, and the assessment report of each supplier, in every state) is
/// in Swedish: its text holds no key of the word catalogue and no English
/// sentence of it that Swedish says differently.
#[test]
fn every_swedish_report_of_the_generated_register_speaks_swedish() {
    let catalogue = |language: &str| -> std::collections::BTreeMap<String, String> {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("i18n/{language}.json"));
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
    };
    let (english, swedish) = (catalogue("en"), catalogue("sv"));
    // The words before the first value of each English sentence of four
    // words or more that Swedish says differently.
    let sentences: Vec<String> = english
        .iter()
        .filter(|(key, text)| swedish.get(*key) != Some(*text))
        .filter_map(|(_, text)| {
            let head = text.split('{').next().unwrap_or("").trim();
            (head.split_whitespace().count() >= 4).then(|| head.to_owned())
        })
        .collect();
    let db = register();
    let suppliers = tillit::supplier::list_register(&db, &Default::default())
        .unwrap()
        .rows;
    let dir = tempfile::tempdir().unwrap();
    let mut reports = vec![(ReportKind::Register, None), (ReportKind::Summary, None)];
    reports.extend(
        suppliers
            .iter()
            .map(|r| (ReportKind::Assessment, Some(r.id))),
    );
    let mut problems = Vec::new();
    for (index, (kind, supplier)) in reports.into_iter().enumerate() {
        let pdf = dir.path().join(format!("{index}.pdf"));
        let bytes = render(&db, kind, supplier, Language::Sv).unwrap().bytes;
        std::fs::write(&pdf, bytes).unwrap();
        let output = std::process::Command::new("pdftotext")
            .args([pdf.to_str().unwrap(), "-"])
            .output()
            .expect("pdftotext (poppler-utils) runs");
        let text = String::from_utf8(output.stdout).unwrap();
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        for word in text.split(|c: char| !(c.is_alphanumeric() || c == '.' || c == '_')) {
            let word = word.trim_end_matches('.');
            if word.contains('.') && english.contains_key(word) {
                problems.push(format!("{kind:?} {index}: the key {word}"));
            }
        }
        for sentence in &sentences {
            if text.contains(sentence.as_str()) {
                problems.push(format!("{kind:?} {index}: English {sentence:?}"));
            }
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}
