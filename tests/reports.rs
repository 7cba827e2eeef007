//! PDF reports, read back with poppler's tools the way an auditor's viewer
//! reads them: the sections and values, Swedish text, embedded fonts, the
//! metadata, the table header on every page of a long register, the export
//! recorded in the audit trail. A page image of each report is kept in
//! `target/report-pages/`.

use crate::support::{add_users, sign_in, store_in, PASSWORD};
use chrono::{TimeZone, Utc};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::process::Command;
use tillit::assessment::workflow;
use tillit::context::FixedClock;
use tillit::report::{self, ReportKind};
use tillit::settings::Language;
use tillit::supplier::*;
use tillit::Db;

#[path = "fixtures/decided.rs"]
mod decided;

/// Where the page images and PDFs of the tests are kept.
fn artifacts() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/report-pages");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn tool(program: &str, args: &[&str]) -> String {
    let output = Command::new(program)
        .args(args)
        .env("TZ", "UTC")
        .output()
        .unwrap_or_else(|e| panic!("{program} (poppler-utils) runs: {e}"));
    assert!(
        output.status.success(),
        "{program} {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// Writes `bytes` as `name` among the artifacts, with an image of its first
/// page, and returns the PDF's path.
fn keep(name: &str, bytes: &[u8]) -> PathBuf {
    let pdf = artifacts().join(format!("{name}.pdf"));
    std::fs::write(&pdf, bytes).unwrap();
    let prefix = artifacts().join(name);
    tool(
        "pdftoppm",
        &[
            "-png",
            "-r",
            "80",
            "-f",
            "1",
            "-l",
            "2",
            pdf.to_str().unwrap(),
            prefix.to_str().unwrap(),
        ],
    );
    pdf
}

fn text_of(pdf: &Path) -> String {
    tool("pdftotext", &["-layout", pdf.to_str().unwrap(), "-"])
}

fn page_text(pdf: &Path, page: usize) -> String {
    let page = page.to_string();
    tool(
        "pdftotext",
        &["-f", &page, "-l", &page, pdf.to_str().unwrap(), "-"],
    )
}

/// The text of a PDF with every run of white space as one space: each
/// fact on one line, whatever the layout wrapped.
fn flat_text(pdf: &Path) -> String {
    tool("pdftotext", &[pdf.to_str().unwrap(), "-"])
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn pages_of(pdf: &Path) -> usize {
    let info = tool("pdfinfo", &[pdf.to_str().unwrap()]);
    info.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

/// Pairs of words (on the same page) whose boxes overlap, by
/// `pdftotext -bbox`: text printed over other text.
fn overlapping_words(pdf: &Path) -> Vec<(String, String)> {
    let html = tool("pdftotext", &["-bbox", pdf.to_str().unwrap(), "-"]);
    let mut found = Vec::new();
    for page in html.split("<page ").skip(1) {
        let words: Vec<(f64, f64, f64, f64, String)> = page
            .lines()
            .filter_map(|line| {
                let line = line.trim().strip_prefix("<word ")?;
                let number = |name: &str| -> Option<f64> {
                    let start = line.find(&format!("{name}=\""))? + name.len() + 2;
                    line[start..].split('"').next()?.parse().ok()
                };
                let text = line.split('>').nth(1)?.split('<').next()?.to_owned();
                Some((
                    number("xMin")?,
                    number("yMin")?,
                    number("xMax")?,
                    number("yMax")?,
                    text,
                ))
            })
            .collect();
        for (i, a) in words.iter().enumerate() {
            for b in &words[i + 1..] {
                let x = a.2.min(b.2) - a.0.max(b.0);
                let y = a.3.min(b.3) - a.1.max(b.1);
                if x > 1.0 && y > 1.0 {
                    found.push((a.4.clone(), b.4.clone()));
                }
            }
        }
    }
    found
}

fn clock(y: i32, m: u32, d: u32) -> FixedClock {
    FixedClock(Utc.with_ymd_and_hms(y, m, d, 14, 3, 0).unwrap())
}

/// A file database with the decided supplier, opened with the clock at `now`.
fn decided_file(dir: &Path) -> (PathBuf, SupplierId) {
    let path = store_in(dir);
    let db = Db::open(&path).unwrap().with_clock(clock(2026, 3, 1));
    add_users(&db);
    let supplier = decided::decided(&db, PASSWORD);
    (path, supplier)
}

/// The database file opened with the clock at `clock`, `user` signed in.
fn opened(path: &Path, clock: FixedClock, user: &str) -> Db {
    let db = Db::open(path).unwrap().with_clock(clock);
    sign_in(&db, user);
    db
}

fn render(
    db: &Db,
    kind: ReportKind,
    supplier: Option<SupplierId>,
    language: Language,
) -> report::Rendered {
    report::render(db, kind, supplier, language).unwrap()
}

#[test]
fn the_assessment_report_shows_every_part_of_the_assessment() {
    let dir = tempfile::tempdir().unwrap();
    let (path, supplier) = decided_file(dir.path());
    let db = opened(&path, clock(2026, 3, 2), "aud");
    let rendered = render(&db, ReportKind::Assessment, Some(supplier), Language::En);
    let pdf = keep("assessment-en", &rendered.bytes);
    let text = text_of(&pdf);
    let decision = &workflow::of_supplier(&db, supplier).unwrap()[0].decisions[0];

    for expected in [
        "Supplier assessment report – Molnbolaget Åkesson & Söner AB",
        "1. Summary",
        "2. Supplier and jurisdiction",
        "3. Step 1 – the organisation",
        "4. Step 2 – the services",
        "5. Decisions and approvals",
        "6. Follow-up and review history",
        "7. Audit trail excerpt",
        // the summary
        "Critical – Driver kundtjänsten",
        "Approved with conditions – Magnus Manager, 2026-03-01 14:03",
        "Exitplan inom 90 dagar",
        "2027-03-01",
        // the exposure reasoning
        "The ultimate parent Cloudco Holdings Inc. is headquartered in United States (US).",
        "Datahallen i Göteborg AB",
        // step 1
        "Årsredovisning 2025: soliditet 31 %",
        "Kvartalsvis uppföljning av säkerhetsrapporter",
        "Outcome: Approved",
        // step 2
        "4.1 Lönehantering",
        "4.2 Ärendesystem",
        "4×4 = 16",
        "Contract requirements at level",
        "✓ In the contract",
        "Personal data in a third country (United States): allowed with safeguards.",
        "Internal data exposed to foreign access law (US CLOUD Act): allowed.",
        // the decision with its fingerprint
        &decision.fingerprint,
        "✓ It matches the standing decision",
        // the review history
        "Driftstörning i två timmar; rotorsaksanalys mottagen",
        "Tillgänglighet %",
        // the audit trail
        "supplier: next_review_on, status",
        "Generated 2026-03-02 14:03 UTC by Aud Auditor",
        "CONFIDENTIAL",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    let pages = pages_of(&pdf);
    assert_eq!(pages, rendered.pages);
    for page in 1..=pages {
        let on_page = page_text(&pdf, page);
        assert!(
            on_page.contains(&format!("Page {page} of {pages}")),
            "page {page}:\n{on_page}"
        );
        assert!(
            on_page.contains(&rendered.fingerprint),
            "the fingerprint on page {page}"
        );
        assert!(
            on_page.contains("CONFIDENTIAL"),
            "the marking on page {page}"
        );
    }

    let fonts = tool("pdffonts", &[pdf.to_str().unwrap()]);
    let embedded: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(embedded.len() >= 2, "{fonts}");
    for line in &embedded {
        assert!(
            line.contains("DejaVuSans"),
            "only the DejaVu fonts: {fonts}"
        );
        let columns: Vec<&str> = line.split_whitespace().collect();
        // name type encoding emb sub uni object ID
        assert!(columns.contains(&"yes"), "embedded: {line}");
    }

    let info = tool("pdfinfo", &[pdf.to_str().unwrap()]);
    let field = |name: &str| {
        info.lines()
            .find_map(|l| l.strip_prefix(name))
            .map(str::trim)
            .unwrap_or_else(|| panic!("{name} in {info}"))
            .to_owned()
    };
    assert_eq!(
        field("Title:"),
        "Supplier assessment report – Molnbolaget Åkesson & Söner AB"
    );
    assert_eq!(field("Author:"), "Aud Auditor");
    assert_eq!(field("CreationDate:"), "Mon Mar  2 14:03:00 2026 UTC");
    assert_eq!(
        rendered.file_name,
        "Tillit-assessment-Molnbolaget-Åkesson-Söner-AB-2026-03-02.pdf"
    );
}

#[test]
fn the_swedish_report_is_in_swedish_and_its_letters_extract_as_written() {
    let dir = tempfile::tempdir().unwrap();
    let (path, supplier) = decided_file(dir.path());
    let db = opened(&path, clock(2026, 3, 2), "olivia");
    let rendered = render(&db, ReportKind::Assessment, Some(supplier), Language::Sv);
    let pdf = keep("assessment-sv", &rendered.bytes);
    let text = text_of(&pdf);
    for expected in [
        "Leverantörsbedömning – Molnbolaget Åkesson & Söner AB",
        "1. Sammanfattning",
        "2. Leverantör och jurisdiktion",
        "Nästa omprövning",
        "Godkänd med villkor – Magnus Manager",
        "Det yttersta moderbolaget Cloudco Holdings Inc. har sitt huvudkontor i USA (US).",
        "Personuppgifter i ett tredjeland (USA): tillåten med skyddsåtgärder.",
        "✓ I avtalet",
        "Sida 1 av",
        "KONFIDENTIELL",
        "Örjan Ädel",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    assert!(
        !text.contains("Summary"),
        "no English heading in the Swedish report"
    );
}

#[test]
fn a_report_is_the_same_bytes_for_the_same_content_and_clock() {
    let dir = tempfile::tempdir().unwrap();
    let (path, supplier) = decided_file(dir.path());
    let db = opened(&path, clock(2026, 3, 2), "olivia");
    let first = render(&db, ReportKind::Assessment, Some(supplier), Language::En);
    let second = render(&db, ReportKind::Assessment, Some(supplier), Language::En);
    assert_eq!(first.fingerprint, second.fingerprint);
    assert!(first.bytes == second.bytes, "the same bytes");

    let later = opened(&path, clock(2026, 3, 3), "olivia");
    let third = render(&later, ReportKind::Assessment, Some(supplier), Language::En);
    assert_ne!(
        first.fingerprint, third.fingerprint,
        "the generation time is part of the document"
    );
}

#[test]
fn a_long_register_repeats_its_header_on_every_page_and_marks_overdue_reviews() {
    let dir = tempfile::tempdir().unwrap();
    let (path, _) = decided_file(dir.path());
    {
        let db = opened(&path, clock(2026, 3, 1), "olivia");
        let mut csv =
            String::from("legal_name;country_of_incorporation;country_of_headquarters;tier\n");
        for i in 0..260 {
            csv.push_str(&format!(
                "Leverantör nr {i:03} Östra AB;SE;SE;{}\n",
                ["critical", "essential", "standard"][i % 3]
            ));
        }
        let file = dir.path().join("suppliers.csv");
        std::fs::write(&file, csv).unwrap();
        tillit::interchange::import_file(&db, &file).unwrap();
    }
    // A year and more later: the critical supplier's review (2027-03-01) is overdue.
    let db = opened(&path, clock(2027, 4, 1), "olivia");
    let rendered = render(&db, ReportKind::Register, None, Language::En);
    let pdf = keep("register-en", &rendered.bytes);
    let pages = pages_of(&pdf);
    assert!(pages >= 5, "261 suppliers need several pages: {pages}");
    for page in 1..=pages {
        let on_page = page_text(&pdf, page);
        for header in [
            "Supplier",
            "Tier",
            "Status",
            "Decided",
            "Last decision",
            "Next",
        ] {
            assert!(
                on_page.contains(header),
                "the header {header:?} on page {page}:\n{on_page}"
            );
        }
        assert!(on_page.contains(&format!("Page {page} of {pages}")));
    }
    let text = text_of(&pdf);
    assert!(text.contains("261 suppliers on 2027-04-01"), "{text}");
    assert!(text.contains("Leverantör nr 259 Östra AB"));
    let line = text
        .lines()
        .skip_while(|l| !l.contains("Molnbolaget"))
        .take(4)
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        line.contains("2027-03-01") && line.contains("OVERDUE"),
        "{line}"
    );
    assert!(
        line.contains("Approved with") && line.contains("Magnus Manager"),
        "{line}"
    );
    assert!(text.contains("Reviews overdue"), "{text}");
    assert_eq!(
        text.matches("OVERDUE").count(),
        1,
        "only the overdue review is marked"
    );
}

/// The rows' legal names of the register in `order`, as the model has them.
fn register_names(db: &Db, order: report::register::RegisterOrder) -> Vec<String> {
    report::register::model(db, Language::En, order)
        .unwrap()
        .lines
        .into_iter()
        .map(|l| l.legal_name)
        .collect()
}

/// The lines of `text` from the one naming `name`, `count` of them.
fn lines_from(text: &str, name: &str, count: usize) -> String {
    text.lines()
        .skip_while(|l| !l.contains(name))
        .take(count)
        .collect::<Vec<_>>()
        .join("\n")
}

/// Starts a reassessment of the decided supplier that rates its first
/// service's data protection risk critical (16); the approved assessment
/// (medium, 9 at most) still stands.
fn reassess_rating_critical(db: &Db, supplier: SupplierId) {
    let decided = workflow::of_supplier(db, supplier).unwrap().remove(0);
    let started = workflow::start(db, supplier, db.now().date_naive()).unwrap();
    workflow::save_step1(db, started.id, decided.step1.clone().unwrap()).unwrap();
    let mut first = decided.services[0].clone();
    first.input.risks[0].inherent = tillit::assessment::risk::Rating {
        likelihood: 4,
        impact: 4,
    };
    first.input.risks[0].residual = first.input.risks[0].inherent;
    workflow::save_service(db, started.id, first.service_id, first.input).unwrap();
}

#[test]
fn the_assessment_report_shows_the_score_history_of_this_and_earlier_assessments() {
    let dir = tempfile::tempdir().unwrap();
    let (path, supplier) = decided_file(dir.path());
    let db = opened(&path, clock(2026, 12, 20), "olivia");
    let rendered = render(&db, ReportKind::Assessment, Some(supplier), Language::En);
    let text = text_of(&keep("history-first", &rendered.bytes));
    assert!(
        text.contains("None: this is the first assessment."),
        "{text}"
    );
    reassess_rating_critical(&db, supplier);
    let rendered = render(&db, ReportKind::Assessment, Some(supplier), Language::En);
    let pdf = keep("history-second", &rendered.bytes);
    let text = text_of(&pdf);
    let history = text
        .split("Score history: this and earlier assessments")
        .nth(1)
        .unwrap_or_else(|| panic!("{text}"));
    let rows: Vec<&str> = history
        .lines()
        .filter(|l| l.starts_with("2026-12-20") || l.starts_with("2026-03-01"))
        .collect();
    assert_eq!(rows.len(), 2, "{history}");
    assert!(
        rows[0].contains("2026-12-20")
            && rows[0].contains("Approved (32 of 33)")
            && rows[0].contains("Critical (16)")
            && rows[0].contains("No decision"),
        "{history}"
    );
    assert!(
        rows[1].contains("2026-03-01")
            && rows[1].contains("Medium (9)")
            && rows[1].contains("Approved with"),
        "{history}"
    );
    assert!(history.contains("this assessment"), "{history}");
}

#[test]
fn the_register_is_landscape_sorted_as_asked_and_keeps_the_decided_risk_apart_from_an_assessment_under_way(
) {
    use report::register::RegisterOrder;
    let dir = tempfile::tempdir().unwrap();
    let (path, molnbolaget) = decided_file(dir.path());
    let db = opened(&path, clock(2027, 1, 15), "olivia");
    for (name, tier) in [
        ("Alfa Standard AB", Tier::Standard),
        ("Beta Väsentlig AB", Tier::Essential),
    ] {
        let mut fields = crate::support::swedish_supplier(name);
        fields.tier = tier;
        fields.tier_justification = "Stöder en intern funktion".into();
        create_supplier(&db, fields).unwrap();
    }
    let name = "Molnbolaget Åkesson & Söner AB".to_owned();
    let beta = "Beta Väsentlig AB".to_owned();
    let alfa = "Alfa Standard AB".to_owned();
    assert_eq!(
        register_names(&db, RegisterOrder::Name),
        [alfa.clone(), beta.clone(), name.clone()]
    );
    assert_eq!(
        register_names(&db, RegisterOrder::Tier),
        [name.clone(), beta.clone(), alfa.clone()]
    );
    assert_eq!(
        register_names(&db, RegisterOrder::Risk),
        [name.clone(), alfa.clone(), beta.clone()]
    );
    assert_eq!(
        register_names(&db, RegisterOrder::NextReview),
        [name.clone(), alfa.clone(), beta.clone()]
    );

    let rendered = report::render_in_order(
        &db,
        ReportKind::Register,
        None,
        Language::En,
        RegisterOrder::Tier,
    )
    .unwrap();
    let pdf = keep("register-by-tier-en", &rendered.bytes);
    let info = tool("pdfinfo", &[pdf.to_str().unwrap()]);
    assert!(info.contains("841.89 x 595.276"), "landscape A4:\n{info}");
    let text = text_of(&pdf);
    assert!(
        text.contains("3 suppliers on 2027-01-15, sorted by tier"),
        "{text}"
    );
    let critical = text.find("Molnbolaget").unwrap();
    assert!(
        critical < text.find("Beta Väsentlig").unwrap()
            && critical < text.find("Alfa Standard").unwrap()
    );
    let row = lines_from(&text, "Molnbolaget", 3);
    for expected in ["Medium", "2027-03-01", "due within 60 days", "Reassessment"] {
        assert!(row.contains(expected), "{expected:?} in the row:\n{row}");
    }
    assert!(!row.contains("OVERDUE"), "{row}");
    assert!(text.contains("Reviews due within 60 days"), "{text}");
    for heading in ["Decided", "In assessment"] {
        assert!(text.contains(heading), "{heading:?}:\n{text}");
    }

    let swedish = report::render_in_order(
        &db,
        ReportKind::Register,
        None,
        Language::Sv,
        RegisterOrder::NextReview,
    )
    .unwrap();
    let pdf = keep("register-by-review-sv", &swedish.bytes);
    let text = text_of(&pdf);
    assert!(text.contains("sorterade efter nästa omprövning"), "{text}");
    let row = lines_from(&text, "Molnbolaget", 3);
    for expected in ["Medel", "förfaller inom 60 dagar", "Ny bedömning krävs"] {
        assert!(row.contains(expected), "{expected:?} in the row:\n{row}");
    }
    reassess_rating_critical(&db, molnbolaget);
    let model = report::register::model(&db, Language::En, RegisterOrder::Name).unwrap();
    let line = model.lines.iter().find(|l| l.legal_name == name).unwrap();
    assert_eq!(line.decided_level, Some(tillit::rules::RiskBand::Medium));
    assert_eq!(line.open_level, Some(tillit::rules::RiskBand::Critical));
    let rendered = report::render(&db, ReportKind::Register, None, Language::En).unwrap();
    let pdf = keep("register-reassessing-en", &rendered.bytes);
    let row = lines_from(&text_of(&pdf), "Molnbolaget", 3);
    assert!(row.contains("Medium") && row.contains("Critical"), "{row}");
}

#[test]
fn the_review_summary_counts_without_naming_anyone() {
    let dir = tempfile::tempdir().unwrap();
    let (path, _) = decided_file(dir.path());
    let db = opened(&path, clock(2026, 3, 2), "olivia");
    let mut other = crate::support::swedish_supplier("Hemliga Leverantören AB");
    other.registration_number = "556677-8899".into();
    create_supplier(&db, other).unwrap();
    let rendered = render(&db, ReportKind::Summary, None, Language::Sv);
    let pdf = keep("summary-sv", &rendered.bytes);
    let text = text_of(&pdf);
    for expected in [
        "Sammanfattning av leverantörsomprövningen",
        "FÅR DELAS – INGA KONFIDENTIELLA UPPGIFTER",
        "Hur vi bedömer leverantörer",
        "Alla leverantörer i vårt register den 2026-03-02 som inte har avvecklats: 2 leverantörer.",
        "Godkända",
        // The exposed supplier is to be reassessed: not counted as approved.
        "Leverantörer vars tjänster är exponerade för utländsk lagstiftning (amerikanska CLOUD Act): 1, varav 0",
        "Täckning av kritiska och väsentliga leverantörer",
    ] {
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(flat.contains(expected), "missing {expected:?} in:\n{text}");
    }
    // The long marking at the foot does not run into the fingerprint: no
    // two words on a page overlap.
    assert_eq!(overlapping_words(&pdf), Vec::<(String, String)>::new());
    // Coverage, as the register proves it: two critical or essential
    // suppliers; the decided one was decided on 2026-03-01 and holds an
    // ISO/IEC 27001 certificate valid today; no exit plan anywhere.
    let coverage = tillit::report::summary::model(&db, Language::Sv)
        .unwrap()
        .coverage;
    assert_eq!(
        (
            coverage.suppliers,
            coverage.decided_last_12_months,
            coverage.assurance_valid_today,
            coverage.exit_plans
        ),
        (2, 1, 1, 0)
    );
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    // Each figure is printed beside its label (the labels may wrap).
    assert_eq!(flat.matches("1 / 2 (50 %)").count(), 2, "{flat}");
    assert_eq!(flat.matches("0 / 2 (0 %)").count(), 1, "{flat}");
    // A year later the decision is older than 12 months.
    drop(db);
    let later = opened(&path, clock(2027, 3, 2), "olivia");
    let coverage = tillit::report::summary::model(&later, Language::Sv)
        .unwrap()
        .coverage;
    assert_eq!(coverage.decided_last_12_months, 0);
    for secret in [
        "Molnbolaget",
        "Hemliga",
        "Magnus",
        "Ärendesystem",
        "Exitplan",
        "Cloudco",
    ] {
        assert!(!text.contains(secret), "{secret} is confidential:\n{text}");
    }
    let critical = text
        .lines()
        .find(|l| l.trim_start().starts_with("Kritisk"))
        .unwrap();
    let numbers: Vec<&str> = critical.split_whitespace().skip(1).collect();
    // The incident after the approval requires a reassessment.
    assert_eq!(numbers, ["0", "0", "0", "0", "1", "1"], "{critical}");
}

#[test]
fn saving_a_report_records_its_sha256_in_the_audit_trail_and_needs_a_user() {
    let dir = tempfile::tempdir().unwrap();
    let (path, supplier) = decided_file(dir.path());
    let db = Db::open(&path).unwrap().with_clock(clock(2026, 3, 2));
    let out = dir.path().join("report.pdf");

    tillit::approval::sign_out(&db).unwrap();
    let refused = report::export(
        &db,
        ReportKind::Assessment,
        Some(supplier),
        Language::En,
        None,
        &out,
    );
    assert!(
        refused.is_err() && !out.exists(),
        "nothing written without a user"
    );

    sign_in(&db, "aud");
    let saved = report::export(
        &db,
        ReportKind::Assessment,
        Some(supplier),
        Language::En,
        None,
        &out,
    )
    .unwrap();
    let bytes = std::fs::read(&out).unwrap();
    let sha: String = Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(saved.sha256, sha);
    let entry = db
        .read(|conn| {
            conn.query_row(
                "SELECT actor, entity, entity_id, json_extract(after, '$.sha256'), json_extract(after, '$.fingerprint')
                 FROM audit_log ORDER BY seq DESC LIMIT 1",
                [],
                |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?, r.get::<_, String>(4)?)),
            )
        })
        .unwrap();
    assert_eq!(
        entry,
        (
            "aud".into(),
            "report.assessment".into(),
            supplier.to_string(),
            sha,
            saved.fingerprint.clone()
        )
    );
    assert!(db.read(tillit::audit::verify).unwrap().intact());

    // The next report's audit excerpt lists the export.
    let again = render(&db, ReportKind::Assessment, Some(supplier), Language::En);
    let pdf = keep("assessment-after-export", &again.bytes);
    assert!(text_of(&pdf).contains("report.assessment"));
}

#[test]
fn the_command_line_writes_each_report() {
    let dir = tempfile::tempdir().unwrap();
    let (path, _) = decided_file(dir.path());
    for (args, file) in [
        (
            vec!["report", "assessment", "556012-5790", "--lang", "sv"],
            "a.pdf",
        ),
        (vec!["report", "register"], "r.pdf"),
        (vec!["report", "register", "--sort", "next-review"], "n.pdf"),
        (vec!["report", "summary", "--lang", "en"], "s.pdf"),
    ] {
        let out = dir.path().join(file);
        let output = Command::new(env!("CARGO_BIN_EXE_tillit"))
            .args(["--db", path.to_str().unwrap(), "--user", "olivia"])
            .args(&args)
            .args(["--out", out.to_str().unwrap()])
            .env("TILLIT_PASSWORD", PASSWORD)
            .env_remove("TILLIT_DB")
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(
            stdout.contains("Wrote") && stdout.contains("SHA-256"),
            "{stdout}"
        );
        assert!(pages_of(&out) >= 1);
    }
    assert!(text_of(&dir.path().join("a.pdf")).contains("Leverantörsbedömning"));
    assert!(text_of(&dir.path().join("s.pdf")).contains("Supplier review summary"));

    let output = Command::new(env!("CARGO_BIN_EXE_tillit"))
        .args([
            "--db",
            path.to_str().unwrap(),
            "report",
            "register",
            "--lang",
            "de",
        ])
        .env_remove("TILLIT_DB")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("language"));
    assert!(text_of(&dir.path().join("n.pdf")).contains("sorted by next review"));

    // An order the register does not know is refused, naming the option,
    // and writes nothing.
    let out = dir.path().join("bad.pdf");
    let output = Command::new(env!("CARGO_BIN_EXE_tillit"))
        .args(["--db", path.to_str().unwrap(), "--user", "olivia"])
        .args(["report", "register", "--sort", "size", "--out"])
        .arg(&out)
        .env("TILLIT_PASSWORD", PASSWORD)
        .env_remove("TILLIT_DB")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("--sort") && stderr.contains("next_review"),
        "{stderr}"
    );
    assert!(!out.exists());
}

/// A caller that records what it was asked to show.
struct Viewer<'a>(&'a Db, std::cell::RefCell<Vec<PathBuf>>);

impl tillit::contract::Caller for Viewer<'_> {
    fn db(&self) -> &Db {
        self.0
    }
    fn chosen_file(
        &self,
        _: tillit::files::FilePurpose,
        path: &str,
    ) -> tillit::Result<std::path::PathBuf> {
        Ok(PathBuf::from(path))
    }
    fn choose_file(
        &self,
        _: tillit::files::FilePurpose,
        _: &str,
        _: &str,
        _: Option<&str>,
    ) -> tillit::Result<Option<String>> {
        Ok(None)
    }
    fn show_file(&self, path: &Path) -> tillit::Result<()> {
        self.1.borrow_mut().push(path.to_owned());
        Ok(())
    }
}

#[test]
fn a_saved_report_opens_in_the_viewer_and_nothing_else_does() {
    let dir = tempfile::tempdir().unwrap();
    let (path, supplier) = decided_file(dir.path());
    let db = Db::open(&path).unwrap().with_clock(clock(2026, 3, 2));
    sign_in(&db, "aud");
    let out = dir.path().join("report.pdf");
    let saved = report::export(
        &db,
        ReportKind::Assessment,
        Some(supplier),
        Language::En,
        None,
        &out,
    )
    .unwrap();
    let viewer = Viewer(&db, Default::default());
    let open = |path: &str| {
        tillit::contract::dispatch(&viewer, "open_report", &serde_json::json!({ "path": path }))
    };
    open(&saved.path).unwrap();
    assert_eq!(*viewer.1.borrow(), std::slice::from_ref(&out));

    // A changed copy, another file, the database itself: refused, not shown.
    let mut bytes = std::fs::read(&out).unwrap();
    let last = bytes.len() - 10;
    bytes[last] ^= 1;
    let changed = dir.path().join("changed.pdf");
    std::fs::write(&changed, &bytes).unwrap();
    let other = dir.path().join("other.pdf");
    std::fs::write(&other, b"%PDF-1.7 not a report").unwrap();
    // (On PostgreSQL the database is no file to name.)
    let database = path.exists().then_some(&path);
    for refused in [&changed, &other].into_iter().chain(database) {
        let error = open(refused.to_str().unwrap()).unwrap_err();
        assert!(
            matches!(&error, tillit::Error::NotAllowed(r) if r.key == "refusal.not_an_issued_report"),
            "{}: {error}",
            refused.display()
        );
    }
    assert_eq!(viewer.1.borrow().len(), 1);
}

#[test]
fn every_report_names_its_issuer_the_summary_no_person_and_the_pdf_its_language() {
    let dir = tempfile::tempdir().unwrap();
    let (path, supplier) = decided_file(dir.path());
    let db = opened(&path, clock(2026, 3, 2), "admin");
    tillit::settings::save_organisation(
        &db,
        tillit::settings::Organisation {
            legal_name: "Banken i Norr AB".into(),
            country: "SE".into(),
            ..Default::default()
        },
    )
    .unwrap();
    sign_in(&db, "olivia");
    for (kind, language, name) in [
        (ReportKind::Assessment, Language::En, "issuer-assessment-en"),
        (ReportKind::Register, Language::Sv, "issuer-register-sv"),
        (ReportKind::Summary, Language::En, "issuer-summary-en"),
        (ReportKind::Summary, Language::Sv, "issuer-summary-sv"),
    ] {
        let rendered = render(&db, kind, Some(supplier), language);
        let pdf = keep(name, &rendered.bytes);
        let text = text_of(&pdf).replace('\n', " ");
        let info = tool("pdfinfo", &[pdf.to_str().unwrap()]);
        assert!(
            text.contains("Banken i Norr AB"),
            "{name}: the issuer is named"
        );
        if kind == ReportKind::Summary {
            assert!(
                !text.contains("Olivia") && !info.contains("Olivia"),
                "{name}: the summary names no person: {info}"
            );
            assert!(info.contains("Author:          Banken i Norr AB"), "{info}");
        } else {
            let issued = if language == Language::Sv {
                "Utfärdad av Banken i Norr AB"
            } else {
                "Issued by Banken i Norr AB"
            };
            assert!(text.contains(issued), "{name}: {issued}");
        }
        // No PDF/X claim; PDF 1.7; the document's language in its catalog.
        assert!(
            !info.contains("PDF/X") && !info.contains("PDF subtype:    \n    Title"),
            "{info}"
        );
        assert!(info.contains("PDF version:     1.7"), "{info}");
        let document = lopdf::Document::load_mem(&rendered.bytes).unwrap();
        let lang = document
            .catalog()
            .unwrap()
            .get(b"Lang")
            .unwrap()
            .as_str()
            .unwrap();
        let expected: &[u8] = if language == Language::Sv {
            b"sv-SE"
        } else {
            b"en-GB"
        };
        assert_eq!(lang, expected, "{name}");
    }
}

#[test]
fn the_assessment_report_says_what_is_valid_today_and_when_the_review_falls_due() {
    let dir = tempfile::tempdir().unwrap();
    let (path, supplier) = decided_file(dir.path());
    // Reviewed every 12 months from 2026-03-01: 19 days to go.
    let db = opened(&path, clock(2027, 2, 10), "aud");
    let rendered = render(&db, ReportKind::Assessment, Some(supplier), Language::En);
    let text = text_of(&keep("today-review-due-soon", &rendered.bytes));
    assert!(text.contains("2027-03-01 – due within 60 days"), "{text}");
    assert!(
        text.contains("Today") && text.contains("(2027-02-10)"),
        "{text}"
    );
    assert!(
        !text.contains("not valid today"),
        "the certificate runs to 2027-06-30"
    );
    assert!(
        text.contains("✓ 1 of 1 certificates and reports valid today"),
        "{text}"
    );
    drop(db);
    // After the certificate's end: valid when assessed, not today.
    let db = opened(&path, clock(2027, 7, 5), "aud");
    let rendered = render(&db, ReportKind::Assessment, Some(supplier), Language::Sv);
    let pdf = keep("today-certificate-expired-sv", &rendered.bytes);
    let text = text_of(&pdf);
    let flat = flat_text(&pdf);
    assert!(flat.contains("✗ inte giltig i dag"), "{flat}");
    // The first section says it too, naming what lapsed and when.
    let summary = flat.split("2. ").next().unwrap();
    assert!(
        summary.contains("Intyg i dag ✗ 1 av 1 gäller inte i dag: ISO/IEC 27001-certifikat (upphörde 2027-06-30)"),
        "{summary}"
    );
    assert!(
        summary.contains("Avtal i dag ✗ Lönehantering: upphörde 2026-12-31"),
        "{summary}"
    );
    // The condition due 2026-06-29 was never closed.
    assert!(
        summary.contains("Exitplan inom 90 dagar (senast 2026-06-29; öppet, FÖRSENAT)"),
        "{summary}"
    );
    assert!(
        text.contains("I dag") && text.contains("(2027-07-05)"),
        "{text}"
    );
    assert!(
        text.contains("FÖRSENAD") || text.contains("2027-03-01 –"),
        "{text}"
    );
}

#[test]
fn a_report_is_a_document_with_its_language_an_outline_metadata_and_the_content_read_first() {
    let dir = tempfile::tempdir().unwrap();
    let (path, supplier) = decided_file(dir.path());
    let db = opened(&path, clock(2026, 3, 2), "aud");
    for (language, code, summary) in [
        (Language::En, "en-GB", "1. Summary"),
        (Language::Sv, "sv-SE", "1. Sammanfattning"),
    ] {
        let rendered = render(&db, ReportKind::Assessment, Some(supplier), language);
        let pdf = keep(&format!("document-{code}"), &rendered.bytes);
        let info = tool("pdfinfo", &[pdf.to_str().unwrap()]);
        assert!(info.contains("Molnbolaget Åkesson & Söner AB"), "{info}");
        assert!(info.contains("PDF version:     1.7"), "{info}");
        assert!(
            !info.contains("PDF subtype") && !info.contains("PDF/X"),
            "no conformance it does not have:\n{info}"
        );
        // XMP metadata with the same title and the language.
        let xmp = tool("pdfinfo", &["-meta", pdf.to_str().unwrap()]);
        assert!(
            xmp.contains(&format!("<rdf:li>{code}</rdf:li>"))
                && xmp.contains("Molnbolaget Åkesson &amp; Söner AB")
                && !xmp.contains("pdfaid"),
            "{xmp}"
        );
        // The outline: every section, and each service under its section.
        let document = lopdf::Document::load_mem(&rendered.bytes).unwrap();
        let toc = document.get_toc().unwrap();
        let titles: Vec<(usize, String)> =
            toc.toc.iter().map(|t| (t.level, t.title.clone())).collect();
        assert_eq!(
            titles.first().map(|t| t.1.as_str()),
            Some(summary),
            "{titles:?}"
        );
        let sections = titles.iter().filter(|t| t.0 == 1).count();
        assert!(sections >= 6, "{titles:?}");
        assert!(
            titles
                .iter()
                .any(|t| t.0 == 2 && t.1.contains("Lönehantering")),
            "{titles:?}"
        );
        // The reading order starts with the content, not the page header.
        let raw = tool(
            "pdftotext",
            &["-raw", "-f", "1", "-l", "1", pdf.to_str().unwrap(), "-"],
        );
        let first = raw.lines().find(|l| !l.trim().is_empty()).unwrap();
        assert!(
            first.starts_with(if code == "en-GB" {
                "Supplier assessment report"
            } else {
                "Leverantörsbedömning"
            }),
            "{raw}"
        );
    }
}

#[test]
fn each_risk_names_its_owner_and_the_report_says_who_accepted_which_residual_risk() {
    let dir = tempfile::tempdir().unwrap();
    let (path, supplier) = decided_file(dir.path());
    let db = opened(&path, clock(2026, 3, 2), "aud");
    let flat = |language, name: &str| {
        let rendered = render(&db, ReportKind::Assessment, Some(supplier), language);
        let pdf = keep(name, &rendered.bytes);
        flat_text(&pdf)
    };
    let en = flat(Language::En, "owners-en");
    // Each word whole: the table widens a column rather than break one.
    assert!(
        en.contains("Örjan Ådel,") && en.contains("informationssäkerhetschef"),
        "{en}"
    );
    assert!(en.contains("Lena Berg, driftchef"), "{en}");
    // The business impact risk of each service names nobody.
    assert_eq!(en.matches("✗ none").count(), 2, "{en}");
    // One service mitigates all three risks; the other accepts its
    // business impact risk as it is. The decision accepts both.
    let decided = "by Magnus Manager (Management approval) on 2026-03-01 14:03 UTC in the decision that stands, signed with key";
    assert!(
        en.contains(&format!(
            "Residual risk accepted: R1 Medium (6), R2 Medium (8), R3 Medium (9), {decided}"
        )),
        "{en}"
    );
    assert!(
        en.contains(&format!("Residual risk accepted: R1 Medium (6), R2 Medium (8), R3 Medium (9, accepted as it is), {decided}")),
        "{en}"
    );
    let sv = flat(Language::Sv, "owners-sv");
    assert!(
        sv.contains("Riskägare") && sv.contains("✗ ingen angiven"),
        "{sv}"
    );
    assert!(
        sv.contains("Kvarstående risk accepterad: R1 Medel (6)"),
        "{sv}"
    );
    assert!(sv.contains("accepterad som den är"), "{sv}");

    // A reassessment under way: nobody has accepted its residual risk yet.
    sign_in(&db, "olivia");
    reassess_rating_critical(&db, supplier);
    let en = flat(Language::En, "owners-reassessing");
    assert!(
        en.contains(
            "Residual risk not yet accepted: R1 Critical (16), R2 Medium (8), R3 Medium (9"
        ),
        "{en}"
    );
    assert!(!en.contains("Residual risk accepted:"), "{en}");
    // The first section still names the decision that stands for the supplier.
    assert!(
        en.contains("Decision that stands Approved with conditions – Magnus Manager, 2026-03-01 14:03 UTC (Management approval), on the assessment of 2026-03-01"),
        "{en}"
    );
}

#[test]
fn each_service_prints_its_exit_and_contract_data_and_a_missing_exit_plan_stands_out() {
    let dir = tempfile::tempdir().unwrap();
    let (path, supplier) = decided_file(dir.path());
    let db = opened(&path, clock(2026, 3, 2), "aud");
    let flat = |language, name: &str| {
        let rendered = render(&db, ReportKind::Assessment, Some(supplier), language);
        let pdf = keep(name, &rendered.bytes);
        flat_text(&pdf)
    };
    let en = flat(Language::En, "exit-en");
    for wanted in [
        "NO EXIT PLAN for a service that supports a critical or important function",
        "Substitutability: Highly complex",
        "starts 2024-01-01",
        "ends 2026-12-31",
        "our notice 90 days",
        "Governing law: Sweden",
        "Annual cost: 840,000 SEK",
        "SLA 99.9 %",
    ] {
        assert!(en.contains(wanted), "{wanted:?} in {en}");
    }
    let sv = flat(Language::Sv, "exit-sv");
    for name in ["exit-en", "exit-sv"] {
        let pdf = artifacts().join(format!("{name}.pdf"));
        assert_eq!(
            overlapping_words(&pdf),
            Vec::<(String, String)>::new(),
            "{name}"
        );
    }

    for wanted in [
        "INGEN EXITPLAN",
        "vår uppsägningstid 90 dagar",
        "840 000 SEK",
        "SLA 99,9 %",
        "Tillgänglighet % 99,9 99,95",
    ] {
        assert!(sv.contains(wanted), "{wanted:?} in {sv}");
    }
    drop(db);
    let db = opened(&path, clock(2027, 1, 10), "aud");
    let rendered = render(&db, ReportKind::Assessment, Some(supplier), Language::En);
    let pdf = keep("exit-ended", &rendered.bytes);
    let text = flat_text(&pdf);
    assert!(
        text.contains("ended 2026-12-31 (ended as of today)"),
        "{text}"
    );
}

#[test]
fn a_rating_of_3_that_names_no_evidence_is_flagged_in_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let (path, supplier) = decided_file(dir.path());
    let db = opened(&path, clock(2026, 3, 2), "aud");
    // The fixture's one assessment.
    let assessment = workflow::of_supplier(&db, supplier).unwrap().remove(0);
    let input = assessment.step1.unwrap();
    let unsupported = input
        .ratings
        .iter()
        .filter(|(key, rating)| {
            **rating == 3
                && input.notes.get(*key).is_none_or(|n| n.trim().is_empty())
                && input.evidence.get(*key).is_none_or(|e| e.is_empty())
        })
        .count();
    assert!(
        unsupported > 0,
        "the fixture rates some criteria 3 without a note"
    );
    let rendered = render(&db, ReportKind::Assessment, Some(supplier), Language::En);
    let pdf = keep("unsupported-ratings", &rendered.bytes);
    let flat = flat_text(&pdf);
    assert_eq!(
        // Each flagged cell (its words may interleave with the next column's).
        flat.matches("rated 3 (verified by independent").count(),
        unsupported,
        "{flat}"
    );
    assert!(
        flat.contains(&format!("{unsupported} criteria rated 3 name no evidence")),
        "{flat}"
    );
}

#[test]
fn a_table_leaves_no_row_alone_on_its_last_page() {
    use tillit::report::pdf::{Cell, Column, Doc, Frame, Meta};
    let frame = || Frame {
        title: "Rows".into(),
        marking: "INTERNAL".into(),
        generated: "Generated".into(),
        page_of: "Page {page} of {pages}".into(),
        fingerprint: String::new(),
        check: String::new(),
    };
    let meta = Meta {
        title: "Rows".into(),
        author: "Tillit".into(),
        language: "en-GB".into(),
        subject: String::new(),
        keywords: Vec::new(),
        created: 0,
        identifier: "00".into(),
    };
    let table = |n: usize| {
        let mut doc = Doc::new(frame());
        let rows: Vec<Vec<Cell>> = (1..=n)
            .map(|i| vec![Cell::from(format!("row-{i:03}")), Cell::from("value")])
            .collect();
        doc.table(&[Column::new("Row", 1.0), Column::new("Value", 1.0)], &rows);
        (doc.page_count(), doc.finish(&meta))
    };
    // The fewest rows that need a second page: without rebalancing, one
    // row would stand alone there.
    let n = (1..200).find(|n| table(*n).0 == 2).unwrap();
    let (_, bytes) = table(n);
    let pdf = keep("widows", &bytes);
    let last = page_text(&pdf, 2);
    assert_eq!(last.matches("row-").count(), 3, "{last}");
    assert!(page_text(&pdf, 1).contains(&format!("row-{:03}", n - 3)));
}

#[test]
fn the_rating_scale_is_said_once_and_a_row_repeats_a_meaning_only_where_the_rule_set_rewords_it() {
    let dir = tempfile::tempdir().unwrap();
    let (path, supplier) = decided_file(dir.path());
    let db = opened(&path, clock(2026, 3, 2), "aud");
    let rendered = render(&db, ReportKind::Assessment, Some(supplier), Language::En);
    let flat = flat_text(&keep("rating-scale", &rendered.bytes));
    assert_eq!(
        flat.matches("Rating scale (every criterion)").count(),
        1,
        "{flat}"
    );
    for meaning in [
        "adequate with documented evidence",
        "weak or partial",
        "absent or unknown",
    ] {
        assert_eq!(flat.matches(meaning).count(), 1, "{meaning:?} in {flat}");
    }
    assert!(!flat.contains("This rule set says"), "{flat}");
    let rendered = render(&db, ReportKind::Assessment, Some(supplier), Language::Sv);
    let flat = flat_text(&keep("rating-scale-sv", &rendered.bytes));
    assert_eq!(flat.matches("Betygsskala").count(), 1, "{flat}");
    assert_eq!(
        flat.matches("tillräckligt, med dokumenterat underlag")
            .count(),
        1
    );

    // An administrator rewords what a 2 means for financial stability
    // before the assessment: that row says the rule set's own words.
    let dir = tempfile::tempdir().unwrap();
    let path = store_in(dir.path());
    let db = Db::open(&path).unwrap().with_clock(clock(2026, 3, 1));
    add_users(&db);
    sign_in(&db, "admin");
    let mut rules = tillit::rules::default_rule_set();
    let financial = rules
        .criteria
        .iter_mut()
        .find(|c| c.key == "financial_stability")
        .unwrap();
    financial.anchors_en[2] =
        "2 – audited annual reports of the last two years, no credit rating.".into();
    tillit::operations::save_rules(&db, &rules, "Financial stability worded by the board").unwrap();
    sign_in(&db, "olivia");
    let supplier = decided::decided(&db, PASSWORD);
    drop(db);
    let db = opened(&path, clock(2026, 3, 2), "aud");
    let rendered = render(&db, ReportKind::Assessment, Some(supplier), Language::En);
    let flat = flat_text(&keep("rating-scale-reworded", &rendered.bytes));
    assert_eq!(
        flat.matches("This rule set says: 2 – audited annual reports of the last two years")
            .count(),
        1,
        "{flat}"
    );
    // The Swedish words were left as they were: a Swedish report says none.
    let rendered = render(&db, ReportKind::Assessment, Some(supplier), Language::Sv);
    let flat = flat_text(&keep("rating-scale-reworded-sv", &rendered.bytes));
    assert!(!flat.contains("Regeluppsättningen säger"), "{flat}");
}
