//! Questionnaires (DOMAIN §13): the workbook Tillit writes, filled by
//! another program as a supplier would (openpyxl; LibreOffice), read back
//! with every answer in place; and every file that is not the one sent, or
//! whose answers do not fit their questions, refused with the reason and
//! nothing written.

use crate::support::{db, fields_of, sign_in, swedish_supplier};
use chrono::NaiveDate;
use serde_json::json;
use std::path::{Path, PathBuf};
use tillit::questionnaire::{self, Expected, Questionnaire};
use tillit::supplier::{self, SupplierId};
use tillit::words::Language;
use tillit::Db;

/// The Python of the e2e tests' environment, which has openpyxl
/// (`scripts/install-deps.sh test` installs it).
fn python() -> PathBuf {
    let python = Path::new(env!("CARGO_MANIFEST_DIR")).join("e2e/.venv/bin/python");
    assert!(
        python.exists(),
        "{} is missing: run scripts/install-deps.sh test",
        python.display()
    );
    python
}

fn deadline() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 31).unwrap()
}

struct Setup {
    db: Db,
    dir: tempfile::TempDir,
    supplier: SupplierId,
}

fn setup() -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let db = db().with_evidence_dir(dir.path().join("evidence"));
    let supplier = supplier::create_supplier(&db, swedish_supplier("Molnbolaget AB"))
        .unwrap()
        .supplier
        .id;
    Setup { db, dir, supplier }
}

/// Sends a questionnaire to `supplier` in `language`, written to `name` in `dir`.
fn send(
    db: &Db,
    dir: &Path,
    supplier: SupplierId,
    language: Language,
    name: &str,
) -> (Questionnaire, PathBuf) {
    let path = dir.join(name);
    let sent = questionnaire::send(db, supplier, deadline(), language, |bytes| {
        std::fs::write(&path, bytes).map_err(|e| tillit::Error::io(&path, e))
    })
    .unwrap();
    (sent.questionnaire, path)
}

/// Fills `source` into `target` with openpyxl as `spec` says (see
/// fill_questionnaire.py).
fn fill(source: &Path, target: &Path, spec: serde_json::Value) {
    let spec_path = target.with_extension("json");
    std::fs::write(&spec_path, spec.to_string()).unwrap();
    let output = std::process::Command::new(python())
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fill_questionnaire.py"))
        .args([source, target, &spec_path])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Every required question answered, in English words.
fn complete() -> serde_json::Value {
    json!({
        "1.1": "Yes", "1.2": "ISO/IEC 27001:2022, Bureau Veritas", "1.3": "All hosting services, Stockholm",
        "1.4": "date:2027-06-30", "2.1": "yes", "3.1": "Partly", "3.2": "SE, de,US",
        "4.1": "Yes", "4.2": 3, "5.1": "No", "6.1": "Yes", "6.2": "date:2025-11-15",
        "7.1": "Yes", "7.2": "Partly", "8.1": "Yes", "8.2": "Yes", "9.1": "Yes", "9.2": "No",
        "10.1": "Yes", "11.1": "Partly", "11.2": "Yes"
    })
}

fn receive(
    s: &Setup,
    file: &Path,
    expected: Expected,
    replace: bool,
) -> tillit::Result<Questionnaire> {
    questionnaire::receive(
        &s.db,
        std::fs::read(file).unwrap(),
        file,
        expected,
        replace,
        &s.dir.path().join("evidence"),
    )
}

fn for_supplier(s: &Setup) -> Expected {
    Expected {
        supplier_id: Some(s.supplier),
        questionnaire_id: None,
    }
}

/// What a refused import must leave: the questionnaire as sent, no
/// evidence file, the trail as long as before.
fn unchanged(s: &Setup, sent: &Questionnaire, trail: i64) {
    let now = questionnaire::of_supplier(&s.db, sent.supplier_id).unwrap();
    assert!(now.contains(sent), "the questionnaire is as it was sent");
    assert_eq!(trail_length(&s.db), trail, "nothing was recorded");
    let kept = std::fs::read_dir(s.dir.path().join("evidence")).map_or(0, |d| d.count());
    assert_eq!(kept, 0, "no file was kept");
}

fn trail_length(db: &Db) -> i64 {
    db.read(|conn| Ok(tillit::audit::head(conn)?.map_or(0, |h| h.seq)))
        .unwrap()
}

#[test]
fn a_workbook_filled_by_another_program_is_read_back_with_every_answer_in_place() {
    let s = setup();
    let (sent, path) = send(&s.db, s.dir.path(), s.supplier, Language::En, "sent.xlsx");
    assert_eq!(sent.questions.len(), 26);
    assert!(sent.returned.is_none() && sent.answers.is_empty());
    assert_eq!(
        sent.sent_sha256,
        tillit::audit::sha256_hex(&std::fs::read(&path).unwrap())
    );

    let filled = s.dir.path().join("filled.xlsx");
    fill(&path, &filled, json!({ "answers": complete() }));
    let received = receive(&s, &filled, for_supplier(&s), false).unwrap();

    let answer = |id: &str| received.answer(id).map(str::to_owned);
    assert_eq!(answer("1.1").as_deref(), Some("yes"));
    assert_eq!(answer("2.1").as_deref(), Some("yes"), "any letter case");
    assert_eq!(answer("3.1").as_deref(), Some("partly"));
    assert_eq!(
        answer("1.2").as_deref(),
        Some("ISO/IEC 27001:2022, Bureau Veritas")
    );
    assert_eq!(answer("1.4").as_deref(), Some("2027-06-30"), "a date cell");
    assert_eq!(answer("6.2").as_deref(), Some("2025-11-15"));
    assert_eq!(answer("4.2").as_deref(), Some("3"), "a number cell");
    assert_eq!(
        answer("3.2").as_deref(),
        Some("SE, DE, US"),
        "country codes as kept"
    );
    assert_eq!(answer("1.5"), None, "an optional question left empty");
    assert_eq!(received.answers.len(), 21);

    // The file is kept in the evidence folder under its SHA-256.
    let returned = received.returned.as_ref().unwrap();
    let bytes = std::fs::read(&filled).unwrap();
    assert_eq!(returned.file.sha256, tillit::audit::sha256_hex(&bytes));
    assert_eq!(returned.file.file_name, "filled.xlsx");
    assert_eq!(
        std::fs::read(s.dir.path().join("evidence").join(&returned.file.sha256)).unwrap(),
        bytes
    );
    assert_eq!(
        (returned.returns, returned.returned_by.as_str()),
        (1, "Olivia Officer")
    );
    assert_eq!(
        questionnaire::of_supplier(&s.db, s.supplier).unwrap(),
        std::slice::from_ref(&received)
    );
    assert!(s.db.verify().unwrap().intact());

    // It moves with the evidence files (tillit migrate-store --evidence).
    let moved = s.dir.path().join("moved");
    assert_eq!(supplier::copy_files(&s.db, &moved).unwrap(), 1);
    assert_eq!(
        std::fs::read(moved.join(&returned.file.sha256)).unwrap(),
        bytes
    );

    // The kept file is checked as evidence files are: a changed one is named.
    let kept = s.dir.path().join("evidence").join(&returned.file.sha256);
    std::fs::write(&kept, b"PK forged answers").unwrap();
    let verified = s.db.verify().unwrap();
    assert!(!verified.intact());
    assert!(
        verified.file_problems.iter().any(|p| p.subject
            == format!("questionnaire {} (filled.xlsx)", received.id)
            && p.reason.contains("no longer matches its SHA-256")),
        "{:#?}",
        verified.file_problems
    );
}

#[test]
fn a_swedish_workbook_saved_again_by_libreoffice_is_read_back_too() {
    let s = setup();
    let (_, path) = send(
        &s.db,
        s.dir.path(),
        s.supplier,
        Language::Sv,
        "skickat.xlsx",
    );
    let mut answers = complete();
    for (id, word) in [("1.1", "Ja"), ("5.1", "nej"), ("3.1", "Delvis")] {
        answers[id] = json!(word);
    }
    let filled = s.dir.path().join("ifyllt.xlsx");
    fill(&path, &filled, json!({ "answers": answers }));
    // Opened and saved by LibreOffice, as a supplier using it would.
    let out = s.dir.path().join("libreoffice");
    let converted = std::process::Command::new("soffice")
        .args([
            "--headless",
            "--norestore",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
            "--outdir",
        ])
        .arg(&out)
        .arg(&filled)
        .env("HOME", s.dir.path())
        .output()
        .expect("LibreOffice (scripts/install-deps.sh test installs it)");
    let saved = out.join("ifyllt.xlsx");
    assert!(
        saved.exists(),
        "{}",
        String::from_utf8_lossy(&converted.stderr)
    );
    assert_ne!(
        std::fs::read(&saved).unwrap(),
        std::fs::read(&filled).unwrap()
    );

    let received = receive(&s, &saved, for_supplier(&s), false).unwrap();
    assert_eq!(received.answer("1.1"), Some("yes"));
    assert_eq!(received.answer("5.1"), Some("no"));
    assert_eq!(received.answer("3.1"), Some("partly"));
    assert_eq!(received.answer("1.4"), Some("2027-06-30"));
    assert_eq!(received.answer("4.2"), Some("3"));
    assert_eq!(received.answers.len(), 21);
}

#[test]
fn edited_questions_are_refused_naming_the_cell_and_nothing_is_written() {
    let s = setup();
    let (sent, path) = send(&s.db, s.dir.path(), s.supplier, Language::En, "sent.xlsx");
    let trail = trail_length(&s.db);
    let filled = s.dir.path().join("edited.xlsx");
    fill(
        &path,
        &filled,
        json!({ "answers": complete(), "edit_question": "2.1" }),
    );
    let error = receive(&s, &filled, for_supplier(&s), false).unwrap_err();
    assert_eq!(fields_of(&error), ["Questions!B13"], "{error}");
    assert!(
        error.to_string().contains("question 2.1 has been changed"),
        "{error}"
    );
    unchanged(&s, &sent, trail);

    // The identifiers changed to say another question set: refused too.
    fill(
        &path,
        &filled,
        json!({ "answers": complete(), "hidden": { "questions_sha256": "0".repeat(64) } }),
    );
    let error = receive(&s, &filled, for_supplier(&s), false).unwrap_err();
    assert!(
        fields_of(&error).is_empty(),
        "a refusal of the whole file: {error}"
    );
    assert!(
        error.to_string().contains("the questions have been edited"),
        "{error}"
    );
    unchanged(&s, &sent, trail);
}

#[test]
fn another_suppliers_file_is_refused_with_whose_it_is() {
    let s = setup();
    let other = supplier::create_supplier(&s.db, swedish_supplier("Annat Bolag AB"))
        .unwrap()
        .supplier
        .id;
    let (sent, _) = send(&s.db, s.dir.path(), s.supplier, Language::En, "ours.xlsx");
    let (theirs, path) = send(&s.db, s.dir.path(), other, Language::En, "theirs.xlsx");
    let trail = trail_length(&s.db);
    let filled = s.dir.path().join("filled.xlsx");
    fill(&path, &filled, json!({ "answers": complete() }));
    let error = receive(&s, &filled, for_supplier(&s), false).unwrap_err();
    assert!(
        fields_of(&error).is_empty(),
        "a refusal of the whole file: {error}"
    );
    assert!(
        error
            .to_string()
            .contains("sent to Annat Bolag AB, not to Molnbolaget AB"),
        "{error}"
    );
    // In the window's language.
    let (swedish, _) = error.sentence_in(Language::Sv);
    assert_eq!(
        swedish,
        "Filen är frågeformuläret som skickades till Annat Bolag AB, inte till Molnbolaget AB."
    );
    unchanged(&s, &sent, trail);
    unchanged(&s, &theirs, trail);

    // Nor does a file whose identifiers were changed to name our supplier pass.
    fill(
        &path,
        &filled,
        json!({ "answers": complete(), "hidden": { "supplier": s.supplier.to_string() } }),
    );
    let error = receive(&s, &filled, Expected::default(), false).unwrap_err();
    assert!(
        error.to_string().contains("was sent to Annat Bolag AB"),
        "{error}"
    );
    unchanged(&s, &theirs, trail);

    // Imported into the other questionnaire's row: refused too.
    fill(&path, &filled, json!({ "answers": complete() }));
    let error = receive(
        &s,
        &filled,
        Expected {
            supplier_id: None,
            questionnaire_id: Some(sent.id),
        },
        false,
    )
    .unwrap_err();
    assert!(
        error.to_string().contains(
            "answers another questionnaire (sent to Annat Bolag AB on 2026-03-01), not the one it was imported into (sent to Molnbolaget AB on 2026-03-01)"
        ),
        "{error}"
    );
    unchanged(&s, &theirs, trail);
}

#[test]
fn answers_of_the_wrong_type_and_missing_required_ones_are_each_named_by_sheet_cell_and_question() {
    let s = setup();
    let (sent, path) = send(&s.db, s.dir.path(), s.supplier, Language::En, "sent.xlsx");
    let trail = trail_length(&s.db);
    let mut answers = complete();
    answers["1.1"] = json!("Maybe");
    answers["1.4"] = json!("next summer");
    answers["4.2"] = json!("several");
    answers["3.2"] = json!("SE, XX");
    answers.as_object_mut().unwrap().remove("8.1");
    let filled = s.dir.path().join("wrong.xlsx");
    fill(&path, &filled, json!({ "answers": answers }));
    let error = receive(&s, &filled, for_supplier(&s), false).unwrap_err();
    let problems: Vec<(String, String)> = error
        .field_errors()
        .iter()
        .map(|e| (e.field.clone(), e.message.clone()))
        .collect();
    assert_eq!(
        problems,
        [
            (
                "Questions!C6".into(),
                "question 1.1: expected Yes, No or Partly, found \"Maybe\"".into()
            ),
            (
                "Questions!C9".into(),
                "question 1.4: expected a date (YYYY-MM-DD), found \"next summer\"".into()
            ),
            (
                "Questions!C17".into(),
                "question 3.2: \"XX\" is not a country code (two letters, such as SE or DE)".into()
            ),
            (
                "Questions!C20".into(),
                "question 4.2: expected a number, found \"several\"".into()
            ),
            (
                "Questions!C31".into(),
                "question 8.1: an answer is required".into()
            ),
        ],
        "{error}"
    );
    unchanged(&s, &sent, trail);
}

#[test]
fn an_unrelated_workbook_and_a_file_that_is_no_workbook_are_refused() {
    let s = setup();
    let (sent, _) = send(&s.db, s.dir.path(), s.supplier, Language::En, "sent.xlsx");
    let trail = trail_length(&s.db);
    // A workbook of someone else's, made by openpyxl.
    let unrelated = s.dir.path().join("budget.xlsx");
    let made = std::process::Command::new(python())
        .args([
            "-c",
            "import openpyxl,sys; b=openpyxl.Workbook(); b.active['A1']='Budget'; b.save(sys.argv[1])",
        ])
        .arg(&unrelated)
        .status()
        .unwrap();
    assert!(made.success());
    let error = receive(&s, &unrelated, for_supplier(&s), false).unwrap_err();
    assert!(
        fields_of(&error).is_empty(),
        "a refusal of the whole file: {error}"
    );
    assert!(
        error
            .to_string()
            .contains("is not a questionnaire Tillit sent"),
        "{error}"
    );
    assert!(
        error
            .to_string()
            .contains("no sheet of Tillit's identifiers"),
        "{error}"
    );

    let text = s.dir.path().join("answers.xlsx");
    std::fs::write(&text, "1.1;Yes\n").unwrap();
    let error = receive(&s, &text, for_supplier(&s), false).unwrap_err();
    assert!(
        error.to_string().contains("it is not an .xlsx workbook"),
        "{error}"
    );
    unchanged(&s, &sent, trail);
}

#[test]
fn a_second_return_replaces_the_answers_only_when_confirmed_and_the_trail_keeps_both() {
    let s = setup();
    let (_, path) = send(&s.db, s.dir.path(), s.supplier, Language::En, "sent.xlsx");
    let first = s.dir.path().join("first.xlsx");
    fill(&path, &first, json!({ "answers": complete() }));
    let received = receive(&s, &first, for_supplier(&s), false).unwrap();

    let mut answers = complete();
    answers["5.1"] = json!("Yes");
    let second = s.dir.path().join("second.xlsx");
    fill(&path, &second, json!({ "answers": answers }));
    let trail = trail_length(&s.db);
    let refused = receive(&s, &second, for_supplier(&s), false).unwrap_err();
    assert!(
        refused
            .to_string()
            .contains("already returned on 2026-03-01"),
        "{refused}"
    );
    assert_eq!(trail_length(&s.db), trail);
    assert_eq!(
        questionnaire::of_supplier(&s.db, s.supplier).unwrap(),
        std::slice::from_ref(&received)
    );

    let replaced = receive(&s, &second, for_supplier(&s), true).unwrap();
    assert_eq!(replaced.answer("5.1"), Some("yes"));
    let returned = replaced.returned.as_ref().unwrap();
    assert_eq!(returned.returns, 2);
    assert_ne!(
        returned.file.sha256,
        received.returned.as_ref().unwrap().file.sha256
    );
    // Both files stay; the trail holds the first answer and the second.
    for file in [&first, &second] {
        let sha = tillit::audit::sha256_hex(&std::fs::read(file).unwrap());
        assert!(s.dir.path().join("evidence").join(sha).exists());
    }
    let log =
        s.db.read(|conn| {
            tillit::audit::entries(
                conn,
                &tillit::audit::LogFilter {
                    entity: "questionnaire_answer".into(),
                    ..Default::default()
                },
            )
        })
        .unwrap();
    let text = serde_json::to_string(&log).unwrap();
    assert!(
        text.contains("\\\"no\\\"") && text.contains("\\\"yes\\\""),
        "{text}"
    );
    assert!(s.db.verify().unwrap().intact());
}

#[test]
fn sending_needs_a_deadline_ahead_and_an_officer_and_the_overview_counts_the_overdue() {
    let dir = tempfile::tempdir().unwrap();
    let s = setup();
    let past = NaiveDate::from_ymd_opt(2026, 2, 28).unwrap();
    let error = questionnaire::send(&s.db, s.supplier, past, Language::En, |_| Ok(())).unwrap_err();
    assert_eq!(fields_of(&error), ["deadline"]);
    sign_in(&s.db, "aud");
    let error =
        questionnaire::send(&s.db, s.supplier, deadline(), Language::En, |_| Ok(())).unwrap_err();
    assert!(matches!(error, tillit::Error::Forbidden { .. }), "{error}");
    sign_in(&s.db, "olivia");
    // A file that cannot be written records nothing.
    let error = questionnaire::send(&s.db, s.supplier, deadline(), Language::En, |_| {
        Err(tillit::Error::io(
            Path::new("/nowhere/q.xlsx"),
            std::io::Error::other("read-only"),
        ))
    })
    .unwrap_err();
    assert!(error.to_string().contains("read-only"), "{error}");
    assert!(questionnaire::of_supplier(&s.db, s.supplier)
        .unwrap()
        .is_empty());

    send(&s.db, dir.path(), s.supplier, Language::En, "q.xlsx");
    let on = |day| {
        questionnaire::outstanding(&s.db, NaiveDate::from_ymd_opt(2026, 4, day).unwrap()).unwrap()
    };
    assert_eq!((on(1).outstanding, on(1).overdue), (1, 1));
    assert!(on(1).entries[0].overdue && on(1).entries[0].supplier_name == "Molnbolaget AB");
    let in_time = questionnaire::outstanding(&s.db, deadline()).unwrap();
    assert_eq!((in_time.outstanding, in_time.overdue), (1, 0));
}

#[test]
fn questionnaires_and_their_answers_travel_in_the_register_file() {
    let s = setup();
    let (_, path) = send(&s.db, s.dir.path(), s.supplier, Language::Sv, "sent.xlsx");
    let (outstanding, _) = send(&s.db, s.dir.path(), s.supplier, Language::En, "second.xlsx");
    let filled = s.dir.path().join("filled.xlsx");
    fill(&path, &filled, json!({ "answers": complete() }));
    let returned = receive(&s, &filled, for_supplier(&s), false).unwrap();
    let text = tillit::interchange::json::export_text(&s.db).unwrap();

    let target = db();
    tillit::interchange::json::import_text(&target, &text).unwrap();
    let mut moved = questionnaire::of_supplier(&target, s.supplier).unwrap();
    let mut expected = vec![returned, outstanding];
    moved.sort_by_key(|q| q.id);
    expected.sort_by_key(|q| q.id);
    assert_eq!(
        moved, expected,
        "both, the return with its answers and its file's SHA-256"
    );

    // An answer to a question the questionnaire did not ask is refused by its field.
    let mut document: serde_json::Value = serde_json::from_str(&text).unwrap();
    let sent = document["suppliers"][0]["questionnaires"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|q| !q["answers"].as_array().unwrap().is_empty())
        .unwrap();
    sent["answers"][0]["question"] = json!("99.9");
    let fresh = db();
    let error = tillit::interchange::json::import_text(&fresh, &document.to_string()).unwrap_err();
    assert!(
        fields_of(&error)
            .iter()
            .any(|f| f.ends_with("answers[0].question")),
        "{error}"
    );
    assert!(
        tillit::supplier::list_register(&fresh, &Default::default())
            .unwrap()
            .total
            == 0
    );
}

#[test]
fn the_assessment_report_lists_the_questionnaire_and_the_answers_beside_each_criterion() {
    use tillit::assessment::{step1::Step1Input, workflow};
    let s = setup();
    let (_, path) = send(&s.db, s.dir.path(), s.supplier, Language::En, "sent.xlsx");
    let filled = s.dir.path().join("filled.xlsx");
    fill(&path, &filled, json!({ "answers": complete() }));
    let received = receive(&s, &filled, for_supplier(&s), false).unwrap();
    let started = workflow::start(
        &s.db,
        s.supplier,
        NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
    )
    .unwrap();
    let rules = tillit::rules::default_rule_set();
    let input = Step1Input {
        ratings: rules.criteria.iter().map(|c| (c.key.clone(), 2)).collect(),
        notes: Default::default(),
        evidence: Default::default(),
        compensating_controls: "Quarterly review of their security reports".into(),
    };
    let assessment = workflow::save_step1(&s.db, started.id, input).unwrap();
    assert_eq!(
        questionnaire::drawn_on(&s.db, &assessment).unwrap(),
        Some(received.clone())
    );

    for (language, expected) in [
        (
            tillit::settings::Language::En,
            [
                "The supplier's questionnaire",
                "imported by Olivia Officer: 21 of 26 questions answered",
                "4.2 How many security incidents affecting customers",
                "not answered",
            ],
        ),
        (
            tillit::settings::Language::Sv,
            [
                "Leverantörens frågeformulär",
                "inläst av Olivia Officer: 21 av 26 frågor besvarade",
                "3.1 Bedömer ni säkerheten hos era egna",
                "inte besvarad",
            ],
        ),
    ] {
        let rendered = tillit::report::render(
            &s.db,
            tillit::report::ReportKind::Assessment,
            Some(s.supplier),
            language,
        )
        .unwrap();
        let pdf = s.dir.path().join(format!("report-{language:?}.pdf"));
        std::fs::write(&pdf, &rendered.bytes).unwrap();
        let out = std::process::Command::new("pdftotext")
            .arg(&pdf)
            .arg("-")
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout).replace('\n', " ");
        let sha = &received.returned.as_ref().unwrap().file.sha256;
        let joined: String = text.split_whitespace().collect();
        assert!(
            joined.contains(sha.as_str()),
            "the file's SHA-256 in:\n{text}"
        );
        // The trail's excerpt shows the questionnaire sent and returned.
        assert!(
            text.contains("questionnaire: file_name, file_sha256"),
            "in:\n{text}"
        );
        for phrase in expected {
            assert!(text.contains(phrase), "{phrase:?} in:\n{text}");
        }
    }
}

#[test]
fn an_administrator_edits_the_questions_as_part_of_the_rule_set_and_each_questionnaire_keeps_its_own(
) {
    let s = setup();
    let (before, _) = send(&s.db, s.dir.path(), s.supplier, Language::En, "before.xlsx");
    let mut rules = s.db.read(tillit::rules::current).unwrap().rules;
    // An officer may not change them.
    rules.questions[0].text_en = "Do you hold a valid ISO/IEC 27001:2022 certificate?".into();
    let refused = tillit::operations::save_rules(&s.db, &rules, "Sharper 1.1").unwrap_err();
    assert!(
        matches!(refused, tillit::Error::Forbidden { .. }),
        "{refused}"
    );

    sign_in(&s.db, "admin");
    let mut bad = rules.clone();
    bad.questions[1].id = "1.1".into();
    bad.questions[2].criterion = "astrology".into();
    bad.questions[3].text_sv = " ".into();
    bad.questions[4].kind = tillit::rules::AnswerKind::Countries;
    let error = tillit::operations::save_rules(&s.db, &bad, "Broken").unwrap_err();
    assert_eq!(
        fields_of(&error),
        [
            "questions[1].id",
            "questions[2].criterion",
            "questions[3].text_sv"
        ],
        "{error}"
    );
    let version = tillit::operations::save_rules(&s.db, &rules, "Sharper 1.1").unwrap();
    assert_eq!(version, 2);

    sign_in(&s.db, "olivia");
    let (after, path) = send(&s.db, s.dir.path(), s.supplier, Language::En, "after.xlsx");
    assert_eq!(after.rule_set_version, 2);
    assert_eq!(
        after.questions[0].text_en,
        "Do you hold a valid ISO/IEC 27001:2022 certificate?"
    );
    assert_ne!(after.questions_sha256, before.questions_sha256);
    // The one sent before keeps the questions it asked.
    let kept = questionnaire::of_supplier(&s.db, s.supplier).unwrap();
    let earlier = kept.iter().find(|q| q.id == before.id).unwrap();
    assert_eq!(earlier.questions, before.questions);
    assert_eq!(earlier.rule_set_version, 1);
    // The new workbook asks the new question, and reads back.
    let filled = s.dir.path().join("filled.xlsx");
    fill(&path, &filled, json!({ "answers": complete() }));
    let received = receive(&s, &filled, for_supplier(&s), false).unwrap();
    assert_eq!(received.id, after.id);
    assert_eq!(received.answer("1.1"), Some("yes"));
}

/// Runs `tillit args` as the officer, with `extra` arguments first (a
/// database or a server).
fn tillit(extra: &[&str], args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_tillit"))
        .args(extra)
        .args(["--user", "olivia"])
        .args(args)
        .env("TILLIT_PASSWORD", crate::support::PASSWORD)
        .env("LC_ALL", "C.UTF-8")
        .env_remove("TILLIT_DB")
        .output()
        .unwrap()
}

fn succeeded(output: &std::process::Output) -> String {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Sends, fills and receives a questionnaire through the command line,
/// with `place` (`--db FILE` or `--server URL --server-fingerprint F`).
fn through_the_command_line(place: &[&str], dir: &Path) {
    let sent = dir.join("q.xlsx");
    let deadline = (chrono::Utc::now().date_naive() + chrono::Days::new(30)).to_string();
    let wrote = succeeded(&tillit(
        place,
        &[
            "questionnaire",
            "send",
            "556012-5790",
            "--deadline",
            &deadline,
            "--out",
            sent.to_str().unwrap(),
        ],
    ));
    assert!(
        wrote.contains("26 questions") && wrote.contains(&deadline),
        "{wrote}"
    );
    let filled = dir.join("answered.xlsx");
    fill(&sent, &filled, json!({ "answers": complete() }));
    let read = succeeded(&tillit(
        place,
        &[
            "questionnaire",
            "receive",
            filled.to_str().unwrap(),
            "--supplier",
            "Molnbolaget AB",
        ],
    ));
    let sha = tillit::audit::sha256_hex(&std::fs::read(&filled).unwrap());
    assert!(read.contains("21 of 26") && read.contains(&sha), "{read}");
    // Again: refused, saying how to replace; with --replace, taken.
    let again = tillit(
        place,
        &["questionnaire", "receive", filled.to_str().unwrap()],
    );
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("already returned"));
    succeeded(&tillit(
        place,
        &[
            "questionnaire",
            "receive",
            filled.to_str().unwrap(),
            "--replace",
        ],
    ));
    // A file that is not the one sent: refused with the reason, exit status 2.
    let wrong = tillit(
        place,
        &[
            "questionnaire",
            "receive",
            sent.to_str().unwrap(),
            "--supplier",
            "Annat Bolag AB",
        ],
    );
    assert_eq!(wrong.status.code(), Some(2));
    let said = String::from_utf8_lossy(&wrong.stderr);
    assert!(said.contains("not to Annat Bolag AB"), "{said}");
}

#[test]
fn the_command_line_sends_and_receives_on_a_database_and_through_the_team_server() {
    let dir = tempfile::tempdir().unwrap();
    let path = crate::support::store_in(dir.path());
    {
        let db = tillit::Db::open(&path).unwrap();
        crate::support::add_users(&db);
        sign_in(&db, "olivia");
        supplier::create_supplier(&db, swedish_supplier("Molnbolaget AB")).unwrap();
        let mut other = swedish_supplier("Annat Bolag AB");
        other.registration_number = "556036-0793".into();
        supplier::create_supplier(&db, other).unwrap();
    }
    let evidence = dir.path().join("evidence");
    let db_text = path.to_str().unwrap().to_owned();
    let evidence_text = evidence.to_str().unwrap().to_owned();
    let local = dir.path().join("local");
    std::fs::create_dir_all(&local).unwrap();
    through_the_command_line(&["--db", &db_text, "--evidence", &evidence_text], &local);

    // Through the team server, the workbook is written here and the
    // returned file sent whole.
    let served = tillit::Db::open(&path)
        .unwrap()
        .with_evidence_dir(evidence.clone());
    let made =
        tillit::server::init_self_signed(dir.path(), &["localhost".into(), "127.0.0.1".into()])
            .unwrap();
    let running = tillit::server::start(
        served,
        tillit::server::Options {
            listen: "127.0.0.1:0".parse().unwrap(),
            tls: Some((made.cert, made.key)),
            limits: tillit::server::Limits::default(),
        },
        false,
    )
    .unwrap();
    let url = running.url();
    let here = dir.path().join("here");
    std::fs::create_dir_all(&here).unwrap();
    through_the_command_line(
        &["--server", &url, "--server-fingerprint", &made.fingerprint],
        &here,
    );
    running.stop(std::time::Duration::from_secs(5));
    assert_eq!(
        std::fs::read_dir(&evidence).unwrap().count(),
        2,
        "each return's file, kept once"
    );
}

#[test]
fn a_returned_file_too_large_to_be_a_questionnaire_is_refused_before_it_is_read() {
    let s = setup();
    let (sent, _) = send(&s.db, s.dir.path(), s.supplier, Language::En, "sent.xlsx");
    let trail = trail_length(&s.db);
    let huge = s.dir.path().join("huge.xlsx");
    std::fs::write(&huge, vec![b'P'; questionnaire::MAX_RETURN_BYTES + 1]).unwrap();
    let error = receive(&s, &huge, for_supplier(&s), false).unwrap_err();
    assert!(error.to_string().contains("at most 20 MiB"), "{error}");
    unchanged(&s, &sent, trail);
}
