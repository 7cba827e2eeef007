//! Files and inputs that cannot hurt (docs/SECURITY.md, "Files and
//! inputs"): what Tillit writes never replaces what is not its own, and what
//! it reads is refused, naming the field, when it cannot be read right.

use crate::support::PASSWORD;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn tillit(db: &Path, args: &[&str]) -> Output {
    command(db, args).output().expect("run tillit")
}

fn command(db: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_tillit"));
    command
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("TILLIT_DB")
        .env("TILLIT_USER", "admin")
        .env("TILLIT_PASSWORD", PASSWORD);
    command
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A database file with the test users and one supplier, in a new folder.
fn database() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.db");
    let db = tillit::Db::open(&path).unwrap();
    crate::support::add_users(&db);
    tillit::supplier::create_supplier(&db, crate::support::swedish_supplier("Acme AB")).unwrap();
    (dir, path)
}

/// The names in `dir`, sorted.
fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// The exports the trail holds.
fn exports(db: &Path) -> usize {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row(
        "SELECT count(*) FROM audit_log WHERE action = 'export'",
        [],
        |r| r.get::<_, i64>(0),
    )
    .unwrap() as usize
}

/// The database still opens and verifies, with its supplier.
fn assert_intact(db: &Path) {
    let output = tillit(db, &["audit", "verify"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let conn = rusqlite::Connection::open(db).unwrap();
    let suppliers: i64 = conn
        .query_row("SELECT count(*) FROM supplier", [], |r| r.get(0))
        .unwrap();
    assert_eq!(suppliers, 1);
}

fn assert_refused(output: &Output, path: &Path, why: &str) {
    assert_eq!(output.status.code(), Some(2), "{}", stderr(output));
    let text = stderr(output);
    assert!(
        text.contains(&path.display().to_string()),
        "names the path: {text}"
    );
    assert!(text.contains(why), "says {why:?}: {text}");
}

#[test]
fn a_report_or_an_export_over_the_open_database_or_its_companions_is_refused() {
    let (dir, db) = database();
    let wal = dir.path().join("t.db-wal");
    for out in [db.clone(), wal.clone(), dir.path().join("./t.db")] {
        let target = out.to_str().unwrap();
        for args in [
            vec!["report", "register", "--out", target],
            vec!["export", "--out", target],
            vec!["backup", "--out", target],
        ] {
            let output = tillit(&db, &args);
            assert_refused(&output, &out, "is the open Tillit database");
            assert_intact(&db);
        }
    }
    assert_eq!(exports(&db), 0, "nothing refused is recorded as exported");
}

#[test]
fn a_folder_a_special_file_or_a_link_is_never_replaced_and_nothing_is_left_behind() {
    let (dir, db) = database();
    let folder = dir.path().join("reports");
    std::fs::create_dir(&folder).unwrap();
    let fifo = dir.path().join("pipe");
    assert!(Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let elsewhere = dir.path().join("elsewhere.txt");
    std::fs::write(&elsewhere, "keep me").unwrap();
    let link = dir.path().join("link.pdf");
    std::os::unix::fs::symlink(&elsewhere, &link).unwrap();
    let before = listing(dir.path());
    for (out, why) in [
        (&folder, "is a folder"),
        (&fifo, "special file"),
        (&link, "is a symbolic link"),
    ] {
        let target = out.to_str().unwrap();
        for args in [
            vec!["report", "register", "--out", target],
            vec!["export", "--out", target],
            vec!["backup", "--out", target],
        ] {
            let output = tillit(&db, &args);
            assert_refused(&output, out, why);
        }
    }
    assert_eq!(listing(dir.path()), before, "nothing was left behind");
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo_like());
    assert_eq!(std::fs::read_to_string(&elsewhere).unwrap(), "keep me");
    assert_eq!(exports(&db), 0);
}

trait FifoLike {
    fn is_fifo_like(&self) -> bool;
}
impl FifoLike for std::fs::FileType {
    fn is_fifo_like(&self) -> bool {
        std::os::unix::fs::FileTypeExt::is_fifo(self)
    }
}

#[test]
fn links_planted_beside_the_target_are_never_written_through() {
    let (dir, db) = database();
    let out = dir.path().join("register.pdf");
    // The names an older Tillit wrote through, pointing at the database.
    for planted in ["register.pdf.partial", ".register.pdf.partial"] {
        std::os::unix::fs::symlink(&db, dir.path().join(planted)).unwrap();
    }
    let output = tillit(&db, &["report", "register", "--out", out.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(std::fs::read(&out).unwrap().starts_with(b"%PDF"));
    assert_intact(&db);
    let mut names = listing(dir.path());
    names.retain(|n| n.contains("register"));
    assert_eq!(
        names,
        [
            ".register.pdf.partial",
            "register.pdf",
            "register.pdf.partial"
        ],
        "no temporary file is left"
    );
    // The file written is the owner's only.
    let mode =
        std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(&out).unwrap().permissions());
    assert_eq!(mode & 0o077, 0, "mode {mode:o}");
}

#[test]
fn an_export_is_recorded_only_when_its_bytes_were_written() {
    let (_dir, db) = database();
    // A full disk.
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let output = command(&db, &["export"]).stdout(full).output().unwrap();
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("standard output"),
        "{}",
        stderr(&output)
    );
    assert_eq!(exports(&db), 0, "a failed write is not an export");

    // A reader that went away.
    let mut child = command(&db, &["export"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    assert!(!output.status.success(), "{}", stderr(&output));
    assert_eq!(exports(&db), 0, "a failed write is not an export");

    let output = tillit(&db, &["export"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(exports(&db), 1);
}

#[test]
fn a_backup_with_another_page_size_restores() {
    let (dir, path) = database();
    let db = tillit::Db::open(&path).unwrap();
    crate::support::sign_in(&db, "admin");
    let out = dir.path().join("backup.db");
    db.backup(&out).unwrap();
    {
        let conn = rusqlite::Connection::open(&out).unwrap();
        conn.execute_batch("PRAGMA journal_mode = DELETE; PRAGMA page_size = 8192; VACUUM;")
            .unwrap();
        let size: i64 = conn
            .query_row("PRAGMA page_size", [], |r| r.get(0))
            .unwrap();
        assert_eq!(size, 8192);
    }
    crate::support::sign_in(&db, "olivia");
    tillit::supplier::create_supplier(&db, crate::support::swedish_supplier("Later AB")).unwrap();
    crate::support::sign_in(&db, "admin");
    let restored = db.restore(&out).unwrap();
    assert!(restored.kept_aside.contains("before-restore"));
    drop(db);
    let conn = rusqlite::Connection::open(&path).unwrap();
    let names: Vec<String> = conn
        .prepare("SELECT legal_name FROM supplier")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert_eq!(names, ["Acme AB"]);
    assert_intact(&path);
}

/// A register file of one supplier with an evidence item whose file is
/// attached, as a JSON value to tamper with.
fn register_with_evidence_file() -> serde_json::Value {
    use tillit::supplier::{add_evidence, EvidenceFields, EvidenceKind};
    let db = crate::support::db();
    let id = tillit::supplier::create_supplier(&db, crate::support::swedish_supplier("Acme AB"))
        .unwrap()
        .supplier
        .id;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("certifikat.pdf");
    std::fs::write(&file, b"%PDF-1.7 certificate").unwrap();
    add_evidence(
        &db,
        id,
        EvidenceFields {
            kind: EvidenceKind::Iso27001,
            valid_from: chrono::NaiveDate::from_ymd_opt(2025, 1, 1),
            valid_until: chrono::NaiveDate::from_ymd_opt(2027, 12, 31),
            ..EvidenceFields::default()
        },
        Some(&file),
        &dir.path().join("evidence"),
    )
    .unwrap();
    serde_json::from_str(&tillit::interchange::json::export_text(&db).unwrap()).unwrap()
}

fn import_value(value: &serde_json::Value) -> tillit::Result<tillit::interchange::ImportSummary> {
    let db = crate::support::db();
    tillit::interchange::json::import_text(&db, &value.to_string())
}

#[test]
fn an_evidence_file_from_a_register_file_is_a_sha256_and_a_plain_name() {
    let good = register_with_evidence_file();
    import_value(&good).unwrap();
    for (field, value, expected) in [
        (
            "sha256",
            "åäöåäöåäöåäöåäöåäöåäöåäöåäöåäöåäöåäöåäöåäöåäöåäöåäöåäöåäöåäöåäö",
            "64 hexadecimal digits",
        ),
        ("sha256", "../../etc/shadow", "64 hexadecimal digits"),
        ("sha256", "abc", "64 hexadecimal digits"),
        ("file_name", "../../etc/shadow", "plain file name"),
        ("file_name", "/etc/shadow", "plain file name"),
        ("file_name", "..", "plain file name"),
        ("file_name", "a\u{1b}[2Jb.pdf", "U+001B"),
    ] {
        let mut bad = good.clone();
        bad["suppliers"][0]["evidence"][0]["file"][field] = value.into();
        let error = import_value(&bad).unwrap_err();
        let fields = crate::support::fields_of(&error);
        assert!(
            fields.iter().any(|f| f.ends_with(&format!("file.{field}"))),
            "{field} = {value:?}: {fields:?}"
        );
        assert!(
            error
                .field_errors()
                .iter()
                .any(|e| e.message.contains(expected)),
            "{error}"
        );
    }
}

#[test]
fn control_and_bidirectional_characters_are_refused_in_names_and_one_line_fields() {
    let db = crate::support::db();
    for name in [
        "Acme\u{0}AB",
        "Acme\u{1b}[31m AB",
        "Acme \u{202E}BA",
        "Acme\nAB",
        "Acme\u{2066}AB",
    ] {
        let mut fields = crate::support::swedish_supplier(name);
        fields.contact_name = "Eva\u{7}".into();
        let error = tillit::supplier::create_supplier(&db, fields).unwrap_err();
        let errors = crate::support::fields_of(&error);
        assert_eq!(errors, ["legal_name", "contact_name"], "{name:?}: {error}");
        assert!(error.to_string().contains("U+"), "{error}");
        assert!(
            !error.to_string().contains('\u{1b}'),
            "never echoed raw: {error}"
        );
    }
    // Free text keeps its tabs and line breaks.
    let mut fields = crate::support::swedish_supplier("Acme AB");
    fields.notes = "First line\n\tindented\r\nthird".into();
    tillit::supplier::create_supplier(&db, fields).unwrap();

    let csv = "legal_name,country_of_incorporation,country_of_headquarters,tier\nEvil\u{1b}]0;title\u{7} AB,SE,SE,standard\n";
    let error = tillit::interchange::csv_import::import(&db, csv.as_bytes(), |_| {}).unwrap_err();
    assert_eq!(error.field_errors()[0].row, Some(2), "{error}");
    assert_eq!(error.field_errors()[0].field, "legal_name", "{error}");
}

#[test]
fn the_terminal_never_gets_raw_escapes_from_stored_text() {
    let (_dir, db) = database();
    // Text stored before these checks existed, or written around Tillit.
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute(
        "UPDATE app_user SET display_name = 'Magnus\u{1b}[2J\u{202E}reganaM' WHERE username = 'magnus'",
        [],
    )
    .unwrap();
    drop(conn);
    let output = tillit(&db, &["user", "list"]);
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("Magnus\\u{1b}[2J\\u{202e}reganaM"), "{text}");
    assert!(!text.contains(['\u{1b}', '\u{202E}']), "{text:?}");
}

#[test]
fn a_country_code_people_use_by_mistake_is_refused_with_the_right_one() {
    let db = crate::support::db();
    let mut fields = crate::support::swedish_supplier("Brittisk Drift Ltd");
    fields.country_of_headquarters = "UK".into();
    let error = tillit::supplier::create_supplier(&db, fields).unwrap_err();
    assert_eq!(
        crate::support::fields_of(&error),
        ["country_of_headquarters"]
    );
    assert!(error.to_string().contains("GB"), "{error}");
}

fn csv_error(text: &str) -> tillit::Error {
    let db = crate::support::db();
    tillit::interchange::csv_import::import(&db, text.as_bytes(), |_| {}).unwrap_err()
}

fn rows_and_fields(error: &tillit::Error) -> Vec<(Option<u32>, String)> {
    error
        .field_errors()
        .iter()
        .map(|e| (e.row, e.field.clone()))
        .collect()
}

#[test]
fn csv_rows_are_numbered_as_a_spreadsheet_shows_them() {
    let header = "legal_name;country_of_incorporation;country_of_headquarters;tier;notes\n";
    // Blank lines are rows; a cell with line breaks is one row.
    let text = format!(
        "{header}\n\nGood AB;SE;SE;standard;\"two\nlines\"\r\n\r\nBad AB;SE;XX;standard;\nAlso Good AB;SE;SE;standard;\nWorse AB;SE;SE;huge;\n"
    );
    let error = csv_error(&text);
    assert_eq!(
        rows_and_fields(&error),
        [
            (Some(6), "country_of_headquarters".to_owned()),
            (Some(8), "tier".to_owned())
        ],
        "{error}"
    );
}

#[test]
fn csv_duplicate_headers_extra_cells_and_unknown_columns_are_refused_by_name() {
    let error = csv_error(
        "legal_name,country_of_incorporation,country_of_headquarters,tier,tier\nAcme AB,SE,SE,standard,critical\n",
    );
    assert_eq!(rows_and_fields(&error), [(Some(1), "tier".to_owned())]);
    assert!(error.to_string().contains("columns 4, 5"), "{error}");

    let error = csv_error(
        "legal_name,country_of_incorporation,country_of_headquarters,tier\nAcme AB,SE,SE,standard,critical,extra\n",
    );
    assert_eq!(rows_and_fields(&error), [(Some(2), "file".to_owned())]);
    assert!(
        error.to_string().contains("\"critical\", \"extra\""),
        "{error}"
    );

    let many: Vec<String> = (0..100_000).map(|i| format!("c{i}")).collect();
    let error = csv_error(&format!(
        "legal_name,country_of_incorporation,country_of_headquarters,tier,{}\nAcme AB,SE,SE,standard\n",
        many.join(",")
    ));
    let errors = error.field_errors();
    assert_eq!(
        errors.len(),
        21,
        "twenty unknown columns named, the rest counted"
    );
    assert_eq!(errors[0].field, "c0");
    assert!(errors[20].message.contains("100000 in all"), "{error}");
    let size: usize = errors.iter().map(|e| e.message.len() + e.field.len()).sum();
    assert!(size < 10_000, "{size} bytes");
}

#[test]
fn csv_values_beyond_the_limit_are_refused_with_their_length_not_echoed() {
    let long = "x".repeat(5_000_000);
    let error = csv_error(&format!(
        "legal_name,country_of_incorporation,country_of_headquarters,tier\nAcme AB,SE,SE,{long}\n"
    ));
    assert_eq!(rows_and_fields(&error), [(Some(2), "tier".to_owned())]);
    let text = error.to_string();
    assert!(
        text.contains("5000000 characters"),
        "{}",
        &text[..text.len().min(300)]
    );
    assert!(text.len() < 500, "not echoed: {} bytes", text.len());

    // Many bad rows: the first ones listed, the rest counted.
    let mut csv = "legal_name,country_of_incorporation,country_of_headquarters,tier\n".to_owned();
    for i in 0..10_000 {
        csv.push_str(&format!("Bad {i} AB,SE,SE,enormous\n"));
    }
    let error = csv_error(&csv);
    let errors = error.field_errors();
    assert!(errors.len() <= 201, "{}", errors.len());
    assert!(
        errors.last().unwrap().message.contains("more problems"),
        "{error}"
    );
}

#[test]
fn an_import_refuses_a_file_above_the_size_limit_or_a_device_before_reading_it() {
    let (dir, db) = database();
    let output = tillit(&db, &["import", "/dev/zero", "--format", "csv"]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(stderr(&output).contains("device"), "{}", stderr(&output));

    let big = dir.path().join("big.csv");
    let file = std::fs::File::create(&big).unwrap();
    file.set_len(3 * 1024 * 1024).unwrap();
    let output = tillit(&db, &["import", big.to_str().unwrap(), "--max-size", "2"]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("at most 2 MiB"),
        "{}",
        stderr(&output)
    );
}

/// The full register of the interchange tests as a JSON value: row 1 Alfa
/// Konsult AB, row 2 Åkesson & Öberg Säkerhet AB with an assessment whose
/// service has risks.
fn full_register_value() -> serde_json::Value {
    let db = crate::support::db();
    crate::interchange::full_register(&db);
    serde_json::from_str(&tillit::interchange::json::export_text(&db).unwrap()).unwrap()
}

fn json_errors(value: &serde_json::Value) -> Vec<(String, String)> {
    let error = import_value(value).unwrap_err();
    error
        .field_errors()
        .iter()
        .map(|e| (e.field.clone(), e.message.clone()))
        .collect()
}

#[test]
fn json_fields_the_format_does_not_have_are_refused_by_path_with_a_suggestion() {
    let mut value = full_register_value();
    value["suppliers"][0]["tier_justificaton"] = "Handles payroll".into();
    value["suppliers"][1]["services"][0]["storage_contries"] = serde_json::json!(["US"]);
    value["suppliers"][1]["assessments"][0]["step1"]["notez"] = "x".into();
    let errors = json_errors(&value);
    let message = |field: &str| {
        errors
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.clone())
            .unwrap_or_else(|| panic!("{field} not named: {errors:?}"))
    };
    assert_eq!(errors.len(), 3, "{errors:?}");
    let first = message("suppliers[0].tier_justificaton");
    assert!(
        first.contains("did you mean tier_justification?"),
        "{first}"
    );
    assert!(first.contains("supplier \"Alfa Konsult AB\""), "{first}");
    let second = message("suppliers[1].services[0].storage_contries");
    assert!(
        second.contains("did you mean storage_countries?"),
        "{second}"
    );
    message("suppliers[1].assessments[0].step1.notez");
}

#[test]
fn json_type_and_utf8_errors_name_the_path() {
    let mut value = full_register_value();
    value["suppliers"][0]["tier"] = 5.into();
    value["suppliers"][1]["services"][0]["rto_hours"] = "four".into();
    let errors = json_errors(&value);
    let fields: Vec<&str> = errors.iter().map(|(f, _)| f.as_str()).collect();
    assert_eq!(
        fields,
        ["suppliers[0].tier", "suppliers[1].services[0].rto_hours"],
        "{errors:?}"
    );

    let text = full_register_value().to_string();
    let at = text.find("Alfa Konsult AB").unwrap() + 2;
    let mut bytes = text.into_bytes();
    bytes[at] = 0xFF;
    let db = crate::support::db();
    let error = tillit::interchange::json::import_bytes(&db, &bytes).unwrap_err();
    let e = &error.field_errors()[0];
    assert_eq!(e.field, "suppliers[0].legal_name", "{error}");
    assert!(e.message.contains("not UTF-8"), "{error}");
}

#[test]
fn every_error_of_a_json_file_is_listed_in_one_run_register_and_assessments_alike() {
    let mut value = full_register_value();
    // A register field of row 1, and two problems in row 2's assessment.
    value["suppliers"][0]["country_of_headquarters"] = "UK".into();
    let assessment = &mut value["suppliers"][1]["assessments"][0];
    assessment["services"][0]["input"]["risks"][0]["residual"]["likelihood"] = 9.into();
    assessment["step1"]["ratings"]["certification"] = 7.into();
    let errors = json_errors(&value);
    let fields: Vec<&str> = errors.iter().map(|(f, _)| f.as_str()).collect();
    assert!(
        fields.contains(&"suppliers[0].country_of_headquarters"),
        "{errors:?}"
    );
    assert!(
        fields.contains(
            &"suppliers[1].assessments[0].services[0].input.risks[0].residual.likelihood"
        ),
        "{errors:?}"
    );
    assert!(
        fields.contains(&"suppliers[1].assessments[0].step1.ratings.certification"),
        "{errors:?}"
    );
    // A register field wrong in the same supplier as its assessment: both named.
    let mut same = full_register_value();
    same["suppliers"][1]["contact_email"] = "not an e-mail".into();
    same["suppliers"][1]["assessments"][0]["services"][0]["input"]["risks"][0]["residual"]
        ["likelihood"] = 9.into();
    let found = json_errors(&same);
    let fields: Vec<&str> = found.iter().map(|(f, _)| f.as_str()).collect();
    assert!(fields.contains(&"suppliers[1].contact_email"), "{found:?}");
    assert!(
        fields.contains(
            &"suppliers[1].assessments[0].services[0].input.risks[0].residual.likelihood"
        ),
        "{found:?}"
    );
    for (field, message) in &errors {
        let name = if field.starts_with("suppliers[0]") {
            "Alfa Konsult AB"
        } else {
            "Åkesson & Öberg Säkerhet AB"
        };
        assert!(message.contains(name), "{field}: {message}");
    }
}

/// The entries of the trail with `action`, as (actor, entity id).
fn entries(db: &Path, action: &str) -> Vec<(String, String)> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut statement = conn
        .prepare("SELECT actor, entity_id FROM audit_log WHERE action = ?1 ORDER BY seq")
        .unwrap();
    let rows = statement
        .query_map([action], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    rows
}

#[test]
fn the_lockout_holds_under_forty_parallel_sign_ins() {
    use tillit::approval::{self, MAX_FAILED_SIGN_INS};
    let (_dir, path) = database();
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(40));
    let outcomes: Vec<Result<(), String>> = (0..40)
        .map(|n| {
            let path = path.clone();
            let barrier = barrier.clone();
            std::thread::spawn(move || {
                // Each attempt as another program would make it: its own connection.
                let db = tillit::Db::open(&path).unwrap();
                barrier.wait();
                let password = if n == 34 {
                    // The right password, sent once five wrong ones were
                    // answered (however slowly the machine runs them).
                    let started = std::time::Instant::now();
                    while entries(&path, "sign_in_failed").len() < MAX_FAILED_SIGN_INS
                        && started.elapsed().as_secs() < 60
                    {
                        std::thread::sleep(std::time::Duration::from_millis(20));
                    }
                    PASSWORD
                } else {
                    "wrong guess number"
                };
                approval::sign_in(&db, "magnus", password)
                    .map(|_| ())
                    .map_err(|e| e.to_string())
            })
        })
        .collect::<Vec<_>>()
        .into_iter()
        .map(|t| t.join().unwrap())
        .collect();
    let checked = entries(&path, "sign_in_failed").len();
    assert_eq!(checked, MAX_FAILED_SIGN_INS, "passwords checked: {checked}");
    assert_eq!(entries(&path, "locked_out").len(), 40 - MAX_FAILED_SIGN_INS);
    assert!(
        outcomes[34].as_ref().unwrap_err().contains("locked"),
        "{:?}",
        outcomes[34]
    );
    assert!(outcomes.iter().all(Result::is_err));
    assert!(
        outcomes
            .iter()
            .all(|o| !o.as_ref().unwrap_err().contains("database is locked")),
        "{outcomes:?}"
    );
}

#[test]
fn an_unknown_user_name_is_recorded_by_a_digest_and_answered_as_slowly_as_a_known_one() {
    use tillit::approval;
    let clock = tillit::context::SharedClock::new(chrono::Utc::now());
    let db = tillit::Db::open_in_memory()
        .unwrap()
        .with_clock(clock.clone());
    crate::support::add_users(&db);
    approval::sign_out(&db).unwrap();
    let typed = "Sommar2026!hemligt";
    let error = approval::sign_in(&db, typed, "something").unwrap_err();
    assert!(matches!(error, tillit::Error::WrongPassword), "{error}");
    let actors: Vec<String> = db
        .read(|c| {
            Ok(
                c.prepare("SELECT actor || ' ' || coalesce(after, '') FROM audit_log")?
                    .query_map([], |r| r.get(0))?
                    .collect::<rusqlite::Result<_>>()?,
            )
        })
        .unwrap();
    assert!(
        actors.iter().all(|a| !a.contains(typed)),
        "kept in clear: {actors:?}"
    );
    let digest = approval::unknown_name(typed);
    assert!(actors.iter().any(|a| a.starts_with(&digest)), "{actors:?}");

    // Alternating, with the clock moved on so that nobody is locked out; the
    // fastest of each, which other work on the machine can only slow down.
    let time = |user: &str| {
        clock.set(tillit::context::Clock::now(&clock) + chrono::Duration::minutes(20));
        let started = std::time::Instant::now();
        let _ = approval::sign_in(&db, user, "wrong guess number");
        started.elapsed().as_secs_f64()
    };
    time("magnus");
    time("nobody-at-all");
    let (mut known, mut unknown) = (f64::MAX, f64::MAX);
    for _ in 0..15 {
        known = known.min(time("magnus"));
        unknown = unknown.min(time("nobody-at-all"));
    }
    // Skipping the password check would make an unknown name answer in a
    // fraction of the time.
    let ratio = unknown / known;
    assert!(
        (0.6..1.67).contains(&ratio),
        "unknown {unknown:.4} s against known {known:.4} s"
    );
}

#[test]
fn twenty_parallel_importers_all_take_their_turn() {
    let (dir, db) = database();
    let children: Vec<_> = (0..20)
        .map(|n| {
            let csv = dir.path().join(format!("import-{n}.csv"));
            std::fs::write(
                &csv,
                format!("legal_name,country_of_incorporation,country_of_headquarters,tier\nLeverantör {n} AB,SE,SE,standard\n"),
            )
            .unwrap();
            let mut command = command(&db, &["import", csv.to_str().unwrap()]);
            command.env("TILLIT_USER", "olivia");
            command.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap()
        })
        .collect();
    for child in children {
        let output = child.wait_with_output().unwrap();
        assert!(output.status.success(), "{}", stderr(&output));
    }
    let conn = rusqlite::Connection::open(&db).unwrap();
    let suppliers: i64 = conn
        .query_row("SELECT count(*) FROM supplier", [], |r| r.get(0))
        .unwrap();
    assert_eq!(suppliers, 21);
    drop(conn);
    let output = tillit(&db, &["audit", "verify"]);
    assert!(output.status.success(), "{}", stderr(&output));
}

#[test]
fn a_lock_held_too_long_is_named_never_the_raw_sqlite_text() {
    let error = tillit::Error::from(rusqlite::Error::SqliteFailure(
        rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
        Some("database is locked".into()),
    ));
    let text = error.to_string();
    assert!(
        text.contains("Another Tillit window or command is writing"),
        "{text}"
    );
    assert!(!text.contains("database is locked"), "{text}");
}

/// `tillit` run as a user who may only read the database file (root may
/// write any file, so as root the command runs as `nobody`).
fn as_reader(db: &Path, args: &[&str]) -> Output {
    let root = Command::new("id").arg("-u").output().unwrap().stdout == b"0\n";
    let mut permissions = std::fs::metadata(db).unwrap().permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut permissions, 0o444);
    std::fs::set_permissions(db, permissions).unwrap();
    let folder = db.parent().unwrap();
    let mut open = std::fs::metadata(folder).unwrap().permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut open, 0o555);
    std::fs::set_permissions(folder, open).unwrap();
    let mut command = if root {
        let mut c = Command::new("setpriv");
        c.args([
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            env!("CARGO_BIN_EXE_tillit"),
        ]);
        c
    } else {
        Command::new(env!("CARGO_BIN_EXE_tillit"))
    };
    let output = command
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("TILLIT_DB")
        .env("TILLIT_USER", "admin")
        .env("TILLIT_PASSWORD", PASSWORD)
        .output()
        .unwrap();
    let mut back = std::fs::metadata(folder).unwrap().permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut back, 0o755);
    std::fs::set_permissions(folder, back).unwrap();
    output
}

#[test]
fn commands_that_read_open_the_database_read_only() {
    let (dir, db) = database();
    // As an earlier session left it: folded into one file.
    drop(tillit::Db::open(&db).unwrap());
    let mut perms = std::fs::metadata(dir.path()).unwrap().permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o755);
    std::fs::set_permissions(dir.path(), perms).unwrap();
    let before = std::fs::read(&db).unwrap();
    for args in [
        vec!["info"],
        vec!["audit", "verify"],
        vec!["user", "list"],
        vec!["evaluate", "Acme AB"],
    ] {
        let output = as_reader(&db, &args);
        let text = stderr(&output);
        assert!(!text.contains("readonly database"), "{args:?}: {text}");
        if args[0] != "evaluate" {
            assert!(output.status.success(), "{args:?}: {text}");
        } else {
            assert!(text.contains("has not been assessed"), "{text}");
        }
    }
    assert_eq!(std::fs::read(&db).unwrap(), before, "nothing written");
    // A command that writes says why it cannot.
    let output = as_reader(&db, &["export"]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("can only be read"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_missing_or_empty_database_file_is_refused_and_nothing_is_created() {
    let (dir, db) = database();
    let empty = dir.path().join("empty.db");
    std::fs::write(&empty, b"").unwrap();
    for args in [
        vec!["info"],
        vec!["audit", "verify"],
        vec!["export"],
        vec!["report", "register"],
    ] {
        let output = tillit(&empty, &args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(stderr(&output).contains("is empty"), "{}", stderr(&output));
        assert_eq!(
            std::fs::metadata(&empty).unwrap().len(),
            0,
            "{args:?} wrote to it"
        );
    }
    let csv = dir.path().join("s.csv");
    std::fs::write(
        &csv,
        "legal_name,country_of_incorporation,country_of_headquarters,tier\nA AB,SE,SE,standard\n",
    )
    .unwrap();
    let missing = dir.path().join("no-such-folder").join("t.db");
    let output = tillit(&missing, &["import", csv.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("No database at"),
        "{}",
        stderr(&output)
    );
    assert!(
        !dir.path().join("no-such-folder").exists(),
        "no folder created"
    );
    drop(db);
}

#[test]
fn a_damaged_database_is_refused_before_an_import_or_a_backup_and_restore_repairs_it() {
    let (dir, path) = database();
    {
        let db = tillit::Db::open(&path).unwrap();
        crate::support::sign_in(&db, "admin");
        db.backup(&dir.path().join("good.db")).unwrap();
        crate::support::sign_in(&db, "olivia");
        for n in 0..200 {
            let mut fields = crate::support::swedish_supplier(&format!("Fyllnad {n} AB"));
            fields.notes = "x".repeat(2000);
            tillit::supplier::create_supplier(&db, fields).unwrap();
        }
    }
    // Fold the log into the file, then damage pages in its middle.
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
        .unwrap();
    let mut bytes = std::fs::read(&path).unwrap();
    let middle = bytes.len() / 2 / 4096 * 4096;
    for b in &mut bytes[middle..middle + 3 * 4096] {
        *b = 0x55;
    }
    std::fs::write(&path, &bytes).unwrap();

    let csv = dir.path().join("s.csv");
    std::fs::write(
        &csv,
        "legal_name,country_of_incorporation,country_of_headquarters,tier\nA AB,SE,SE,standard\n",
    )
    .unwrap();
    for args in [
        vec!["import", csv.to_str().unwrap()],
        vec![
            "backup",
            "--out",
            dir.path().join("b.db").to_str().unwrap().to_owned().leak(),
        ],
    ] {
        let output = tillit(&path, &args);
        assert!(!output.status.success(), "{args:?}");
        let text = stderr(&output);
        assert!(
            text.contains("damaged") && text.contains("restore"),
            "{args:?}: {text}"
        );
    }
    assert!(!dir.path().join("b.db").exists());
    let good = dir.path().join("good.db");
    let output = tillit(&path, &["restore", good.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_intact(&path);
}

#[test]
fn a_full_disk_says_so_and_writes_nothing() {
    let (_dir, path) = database();
    let db = tillit::Db::open(&path).unwrap();
    crate::support::sign_in(&db, "olivia");
    // The database may grow by a few pages only: as a full disk does.
    db.read(|c| {
        let pages: i64 = c.query_row("PRAGMA page_count", [], |r| r.get(0))?;
        c.query_row(
            &format!("PRAGMA max_page_count = {}", pages + 2),
            [],
            |_| Ok(()),
        )?;
        Ok(())
    })
    .unwrap();
    let mut csv =
        "legal_name,country_of_incorporation,country_of_headquarters,tier,notes\n".to_owned();
    for n in 0..2_000 {
        csv.push_str(&format!(
            "Leverantör {n} AB,SE,SE,standard,{}\n",
            "y".repeat(500)
        ));
    }
    let before = db.info().unwrap();
    let error = tillit::interchange::csv_import::import(&db, csv.as_bytes(), |_| {}).unwrap_err();
    assert!(matches!(error, tillit::Error::DiskFull(_)), "{error:?}");
    assert!(error.to_string().contains("The disk is full"), "{error}");
    assert_eq!(db.info().unwrap(), before, "nothing written");
}

#[test]
fn the_copies_made_beside_the_database_never_follow_a_planted_link() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.db");
    let older = &tillit::store::MIGRATIONS[..tillit::store::MIGRATIONS.len() - 1];
    drop(tillit::Db::open_with(&path, older).unwrap());
    let outside = dir.path().join("outside.db");
    // A dangling link where the copy before the upgrade would go.
    let version = older.len();
    let planted = dir.path().join(format!("t.db.bak-v{version}"));
    std::os::unix::fs::symlink(&outside, &planted).unwrap();
    let db = tillit::Db::open(&path).unwrap();
    match db.opened() {
        tillit::store::Opened::Upgraded { backup, .. } => {
            assert_eq!(backup, &dir.path().join(format!("t.db.bak-v{version}.2")));
        }
        other => panic!("{other:?}"),
    }
    assert!(!outside.exists(), "written through the planted link");
    assert!(std::fs::symlink_metadata(&planted)
        .unwrap()
        .file_type()
        .is_symlink());
}

/// Found by fuzzing the JSON importer: a key of a thousand characters that
/// is not UTF-8 was named whole in the problem's field.
#[test]
fn a_hostile_key_is_never_named_whole() {
    let bytes = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fuzz-json-long-key.bin"),
    )
    .unwrap();
    let db = crate::support::db();
    let error = tillit::interchange::json::import_bytes(&db, &bytes).unwrap_err();
    for e in error.field_errors() {
        assert!(
            e.field.chars().count() <= 301,
            "{} characters",
            e.field.chars().count()
        );
        assert!(!e.field.contains('\u{1b}'));
    }
    let long_key = format!(
        r#"{{"format":"tillit-register","version":1,"suppliers":[],"{}":1}}"#,
        "k".repeat(5000)
    );
    let error = tillit::interchange::json::import_text(&db, &long_key).unwrap_err();
    let field = &error.field_errors()[0].field;
    assert!(
        field.chars().count() <= 65 && field.ends_with('…'),
        "{field}"
    );
}
