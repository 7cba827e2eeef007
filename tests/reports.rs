//! PDF reports, read back with poppler's tools the way an auditor's viewer
//! reads them: the sections and values, Swedish text, embedded fonts, the
//! metadata, the table header on every page of a long register, the export
//! recorded in the audit trail. A page image of each report is kept in
//! `target/report-pages/`.

use crate::support::{add_users, sign_in, PASSWORD};
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
    let path = dir.join("tillit.db");
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
            "Highest",
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
            Ok(conn.query_row(
                "SELECT actor, entity, entity_id, json_extract(after, '$.sha256'), json_extract(after, '$.fingerprint')
                 FROM audit_log ORDER BY seq DESC LIMIT 1",
                [],
                |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?, r.get::<_, String>(4)?)),
            )?)
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
    for refused in [&changed, &other, &path] {
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
    drop(db);
    // After the certificate's end: valid when assessed, not today.
    let db = opened(&path, clock(2027, 7, 5), "aud");
    let rendered = render(&db, ReportKind::Assessment, Some(supplier), Language::Sv);
    let pdf = keep("today-certificate-expired-sv", &rendered.bytes);
    let text = text_of(&pdf);
    let flat = tool("pdftotext", &[pdf.to_str().unwrap(), "-"])
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(flat.contains("✗ inte giltig i dag"), "{flat}");
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
fn each_service_prints_its_exit_and_contract_data_and_a_missing_exit_plan_stands_out() {
    let dir = tempfile::tempdir().unwrap();
    let (path, supplier) = decided_file(dir.path());
    let db = opened(&path, clock(2026, 3, 2), "aud");
    let flat = |language, name: &str| {
        let rendered = render(&db, ReportKind::Assessment, Some(supplier), language);
        let pdf = keep(name, &rendered.bytes);
        tool("pdftotext", &[pdf.to_str().unwrap(), "-"])
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
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
    let text = tool("pdftotext", &[pdf.to_str().unwrap(), "-"])
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
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
    let flat = tool("pdftotext", &[pdf.to_str().unwrap(), "-"])
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
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
