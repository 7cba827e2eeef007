//! The `tillit` command line, run as a user runs it.

use crate::support::tillit_file_at_version;
use std::path::Path;
use std::process::{Command, Output};
use tillit::store::{latest_version, MIGRATIONS};

fn tillit(args: &[&str], env_db: Option<&Path>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_tillit"));
    command
        .args(args)
        .env_remove("TILLIT_DB")
        .env("LC_ALL", "C.UTF-8")
        .env("TILLIT_USER", "olivia")
        .env("TILLIT_PASSWORD", crate::support::PASSWORD);
    if let Some(path) = env_db {
        command.env("TILLIT_DB", path);
    }
    command.output().expect("run tillit")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A database with the test users: a file in `dir`, or a database on the
/// test cluster when the suite runs on PostgreSQL.
fn new_database(dir: &Path) -> std::path::PathBuf {
    new_database_at(crate::support::store_in(dir))
}

/// How the command line names the database at `path`: the file, or the
/// PostgreSQL database (whose URL it shows without options or password).
fn named(path: &Path) -> String {
    let text = path.display().to_string();
    match text.strip_prefix("postgres://") {
        Some(url) => {
            let name = url.split('?').next().unwrap().rsplit('/').next().unwrap();
            format!("/{name}")
        }
        None => text,
    }
}

fn new_database_at(path: std::path::PathBuf) -> std::path::PathBuf {
    crate::support::add_users(&tillit::Db::open(&path).unwrap());
    path
}

#[test]
fn help_describes_tillit_and_lists_the_commands() {
    let output = tillit(&["--help"], None);
    assert!(output.status.success());
    let text = stdout(&output);
    assert!(text.contains("supplier risk assessment"), "{text}");
    assert!(text.contains("info") && text.contains("--db"), "{text}");

    // A Swedish terminal reads the help in Swedish, from the catalogue.
    let swedish = Command::new(env!("CARGO_BIN_EXE_tillit"))
        .args(["report", "assessment", "--help"])
        .env("LC_ALL", "sv_SE.UTF-8")
        .output()
        .unwrap();
    let text = stdout(&swedish);
    for expected in [
        "Bedömningsrapporten för en leverantör",
        "Användning:",
        "Flaggor:",
        "Rapportens språk",
        "Visa hjälpen",
    ] {
        assert!(text.contains(expected), "{expected:?} in:\n{text}");
    }
    assert!(
        !text.contains("Print help") && !text.contains("Options:"),
        "{text}"
    );
}

#[test]
fn info_prints_the_file_the_schema_version_and_row_counts() {
    let dir = tempfile::tempdir().unwrap();
    let path = new_database(dir.path());

    let output = tillit(&["--db", path.to_str().unwrap(), "info"], None);

    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.contains(&named(&path)), "{text}");
    assert!(
        text.contains(&format!("Schema version:  {}", latest_version(MIGRATIONS))),
        "{text}"
    );
    assert!(
        text.contains("app_setting") && text.contains("0 rows"),
        "{text}"
    );
}

#[test]
fn info_reads_the_database_named_by_tillit_db() {
    let dir = tempfile::tempdir().unwrap();
    let path = new_database(dir.path());

    let output = tillit(&["info", "--json"], Some(&path));

    assert!(output.status.success(), "{}", stderr(&output));
    let info: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert!(
        info["path"].as_str().unwrap().ends_with(&named(&path)),
        "{info}"
    );
    assert_eq!(info["schema_version"], latest_version(MIGRATIONS));
}

#[test]
fn info_refuses_a_database_from_a_newer_tillit() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tillit.db");
    tillit_file_at_version(&path, latest_version(MIGRATIONS) + 5);

    let output = tillit(&["--db", path.to_str().unwrap(), "info"], None);

    assert_eq!(output.status.code(), Some(2));
    let text = stderr(&output);
    assert!(
        text.contains("newer Tillit") && text.contains("Nothing was changed"),
        "{text}"
    );
    assert_eq!(
        crate::support::user_version(&path),
        latest_version(MIGRATIONS) + 5
    );
}

#[test]
fn info_on_a_missing_file_says_so_and_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("missing.db");

    let output = tillit(&["--db", path.to_str().unwrap(), "info"], None);

    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("No database at"),
        "{}",
        stderr(&output)
    );
    assert!(!path.exists());
}

#[test]
fn import_then_export_through_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = new_database(dir.path());
    let csv = dir.path().join("leverantörer.csv");
    std::fs::write(
        &csv,
        "legal_name;registration_number;country_of_incorporation;country_of_headquarters;tier\nÖstra Drift AB;556012-5790;SE;SE;critical\n",
    )
    .unwrap();

    let output = tillit(
        &[
            "--db",
            db.to_str().unwrap(),
            "import",
            csv.to_str().unwrap(),
        ],
        None,
    );
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("Imported 1 suppliers"),
        "{}",
        stdout(&output)
    );

    let out = dir.path().join("register.json");
    let output = tillit(
        &[
            "--db",
            db.to_str().unwrap(),
            "export",
            "--format",
            "json",
            "--out",
            out.to_str().unwrap(),
        ],
        None,
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains("Östra Drift AB"), "{text}");

    let elsewhere = dir.path().join("copy");
    std::fs::create_dir(&elsewhere).unwrap();
    let copy = new_database(&elsewhere);
    let output = tillit(
        &[
            "--db",
            copy.to_str().unwrap(),
            "import",
            out.to_str().unwrap(),
        ],
        None,
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let output = tillit(&["--db", copy.to_str().unwrap(), "export"], None);
    assert_eq!(stdout(&output), text, "the copy exports the same register");
}

#[test]
fn a_refused_import_lists_every_row_and_field_and_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let db = new_database(dir.path());
    let csv = dir.path().join("bad.csv");
    std::fs::write(
        &csv,
        "legal_name,registration_number,country_of_incorporation,country_of_headquarters,tier\nA AB,556012-5791,SE,SE,critical\n,,SE,SE,huge\n",
    )
    .unwrap();

    let output = tillit(
        &[
            "--db",
            db.to_str().unwrap(),
            "import",
            csv.to_str().unwrap(),
        ],
        None,
    );

    assert_eq!(output.status.code(), Some(2));
    let text = stderr(&output);
    assert!(text.contains("row 2, registration_number"), "{text}");
    assert!(text.contains("row 3, tier"), "{text}");
    assert!(text.contains("row 3, legal_name"), "{text}");
}

#[test]
fn evaluate_prints_the_summary_of_the_latest_assessment_with_reasons() {
    use tillit::assessment::{step1::Step1Input, workflow};
    let dir = tempfile::tempdir().unwrap();
    let path = crate::support::store_in(dir.path());
    {
        let db = tillit::Db::open(&path).unwrap();
        crate::support::add_users(&db);
        let mut fields = crate::support::swedish_supplier("Molntjänst Norden AB");
        fields.tier = tillit::supplier::Tier::Critical;
        fields.parent_name = "Cloudco Inc.".into();
        fields.parent_country = "US".into();
        let supplier = tillit::supplier::create_supplier(&db, fields)
            .unwrap()
            .supplier
            .id;
        let assessment = workflow::start(
            &db,
            supplier,
            chrono::NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
        )
        .unwrap();
        let input = Step1Input {
            ratings: tillit::rules::default_rule_set()
                .criteria
                .iter()
                .map(|c| (c.key.clone(), 2))
                .collect(),
            compensating_controls: "Quarterly external penetration tests".into(),
            ..Step1Input::default()
        };
        workflow::save_step1(&db, assessment.id, input).unwrap();
    }

    let output = tillit(
        &[
            "--db",
            path.to_str().unwrap(),
            "evaluate",
            "molntjänst norden ab",
        ],
        None,
    );

    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(
        text.contains("Molntjänst Norden AB (556012-5790) — tier: Critical, status: In assessment"),
        "{text}"
    );
    assert!(text.contains("Step 1: Escalate (22 of 33)"), "{text}");
    assert!(
        text.contains("State: Escalated in step 1: awaiting management’s resolution"),
        "{text}"
    );
    assert!(
        text.contains("Escalate: the total 22 of 33 is below 70 %."),
        "{text}"
    );
    assert!(
        text.contains("The ultimate parent Cloudco Inc. is headquartered in United States (US)."),
        "{text}"
    );
    assert!(
        text.contains("Management approval: required")
            && text.contains("The supplier's tier is critical."),
        "{text}"
    );

    // A Swedish terminal reads the same evaluation in Swedish, with no
    // stored value or English sentence in it.
    let swedish = Command::new(env!("CARGO_BIN_EXE_tillit"))
        .args(["--db", path.to_str().unwrap(), "evaluate", "556012-5790"])
        .env_remove("TILLIT_DB")
        .env("LANG", "sv_SE.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .output()
        .unwrap();
    let text = stdout(&swedish);
    for expected in [
        "Molntjänst Norden AB (556012-5790) — klassning: Kritisk, status: Under bedömning",
        "Steg 1: Eskalera (22 av 33)",
        "Eskalera: summan 22 av 33 är under 70 %.",
        "Det yttersta moderbolaget Cloudco Inc. har sitt huvudkontor i USA (US).",
        "Ledningens godkännande: krävs",
        "Läge: Eskalerad i steg 1: inväntar ledningens avgörande",
    ] {
        assert!(text.contains(expected), "{expected:?} in:\n{text}");
    }
    for english in ["Step 1", "tier", "in_assessment", "Management"] {
        assert!(!text.contains(english), "{english:?} in:\n{text}");
    }
    let info = Command::new(env!("CARGO_BIN_EXE_tillit"))
        .args(["--db", path.to_str().unwrap(), "info"])
        .env("LC_ALL", "sv_SE.UTF-8")
        .output()
        .unwrap();
    let text = stdout(&info);
    assert!(
        text.contains("Schemaversion:") && text.contains("Tabeller:") && text.contains(" rader"),
        "{text}"
    );

    let json = tillit(
        &[
            "--db",
            path.to_str().unwrap(),
            "evaluate",
            "556012-5790",
            "--json",
        ],
        None,
    );
    let value: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
    assert_eq!(value["summary"]["step1"], "escalate");

    let missing = tillit(
        &["--db", path.to_str().unwrap(), "evaluate", "Okänd AB"],
        None,
    );
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        stderr(&missing)
            .contains("no supplier has the id, registration number or legal name \"Okänd AB\""),
        "{}",
        stderr(&missing)
    );
}

#[test]
fn audit_verify_reports_an_intact_trail_and_names_a_tampered_entry() {
    let dir = tempfile::tempdir().unwrap();
    let path = crate::support::store_in(dir.path());
    {
        let db = tillit::Db::open(&path).unwrap();
        db.with_tx(|tx| {
            for i in 0..3 {
                tillit::audit::append(
                    tx,
                    chrono::Utc::now(),
                    &tillit::audit::Change {
                        actor: tillit::store::SYSTEM_ACTOR.into(),
                        action: tillit::audit::Action::Update,
                        entity: "example".into(),
                        entity_id: format!("s{i}"),
                        before: None,
                        after: Some(serde_json::json!({"i": i})),
                    },
                )?;
            }
            Ok(())
        })
        .unwrap();
    }
    let output = tillit(&["--db", path.to_str().unwrap(), "audit", "verify"], None);
    assert!(output.status.success(), "{}", stderr(&output));
    // The three entries: verifying opens the file read-only, so it does not
    // record the day's checks (DOMAIN §8) as other commands do.
    assert!(
        stdout(&output).contains("intact: 3 entries verified"),
        "{}",
        stdout(&output)
    );

    crate::support::Outside::open(&path).execute(
        "UPDATE audit_log SET after = '{\"i\":9}' WHERE seq = 2",
        &[],
    );
    let output = tillit(&["--db", path.to_str().unwrap(), "audit", "verify"], None);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("does not match from entry 2"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn the_first_user_added_on_a_new_database_is_the_administrator_and_later_ones_need_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = crate::support::store_in(dir.path());
    let db = path.to_str().unwrap();
    let add = |args: &[&str], user: &str, password: &str| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_tillit"));
        command
            .args(["--db", db, "user", "add"])
            .args(args)
            .env_remove("TILLIT_DB")
            .env("TILLIT_USER", user)
            .env("TILLIT_PASSWORD", password)
            .env("TILLIT_NEW_PASSWORD", "a long new password");
        command.output().unwrap()
    };

    let first = add(&["ada", "--name", "Ada Admin"], "", "");
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(
        stdout(&first).contains("Created the user ada (Ada Admin) with the roles administrator."),
        "{}",
        stdout(&first)
    );

    let refused = add(
        &["olle", "--name", "Olle", "--role", "procurement_officer"],
        "ada",
        "wrong password",
    );
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        stderr(&refused).contains("password is wrong"),
        "{}",
        stderr(&refused)
    );

    let second = add(
        &["olle", "--name", "Olle", "--role", "procurement_officer"],
        "ada",
        "a long new password",
    );
    assert!(second.status.success(), "{}", stderr(&second));
    let list = tillit(&["--db", db, "user", "list"], None);
    assert_eq!(
        stdout(&list),
        "ada\tAda Admin\tadministrator\tactive\nolle\tOlle\tprocurement_officer\tactive\n"
    );
}

#[test]
fn call_lists_every_command_of_the_contract() {
    let output = tillit(&["call", "--list"], None);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert_eq!(
        text.lines().count(),
        tillit::contract::NAMES.len(),
        "{text}"
    );
    assert!(
        text.contains(
            "update_supplier(id: SupplierId, fields: SupplierFields, based_on: SupplierFields | null) -> SupplierDetail"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "sign_in(username: string, password: string) -> User  (before signing in too)"
        ),
        "{text}"
    );
}

#[test]
fn call_runs_a_read_and_a_write_as_the_signed_in_user_and_refuses_as_json() {
    let dir = tempfile::tempdir().unwrap();
    let db = new_database(dir.path());
    let db = db.to_str().unwrap();
    let fields = serde_json::to_string(&crate::support::swedish_supplier("Anropet AB")).unwrap();

    // A write, signed in as the officer of TILLIT_USER.
    let output = tillit(
        &[
            "--db",
            db,
            "call",
            "create_supplier",
            "--args",
            &format!("{{\"fields\": {fields}}}"),
        ],
        None,
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let created: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(created["supplier"]["legal_name"], "Anropet AB");
    let id = created["supplier"]["id"].as_str().unwrap().to_owned();

    // A read, the arguments from a file.
    let args = dir.path().join("args.json");
    std::fs::write(&args, format!("{{\"id\": \"{id}\"}}")).unwrap();
    let output = tillit(
        &[
            "--db",
            db,
            "call",
            "supplier_detail",
            "--args-file",
            args.to_str().unwrap(),
        ],
        None,
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let detail: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(detail["supplier"]["id"], id.as_str());

    // A refusal: the core's error as JSON, exit status 2, nothing written.
    let output = tillit(
        &[
            "--db",
            db,
            "call",
            "create_supplier",
            "--args",
            r#"{"fields": {"legal_name": ""}}"#,
        ],
        None,
    );
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let refusal: serde_json::Value = serde_json::from_str(stderr(&output).trim()).unwrap();
    assert_eq!(refusal["code"], "validation", "{refusal}");
    assert!(refusal["field"].is_string(), "{refusal}");
    let output = tillit(&["--db", db, "call", "list_register", "--args", "{}"], None);
    let page: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(page["total"], 1);

    // A misspelt argument is named, not ignored.
    let output = tillit(
        &[
            "--db",
            db,
            "call",
            "supplier_detail",
            "--args",
            r#"{"idd": "x"}"#,
        ],
        None,
    );
    assert_eq!(output.status.code(), Some(2));
    let refusal: serde_json::Value = serde_json::from_str(stderr(&output).trim()).unwrap();
    assert_eq!(refusal["field"], "idd", "{refusal}");
}

#[test]
fn call_signs_in_for_every_command_but_the_sign_in_pages_own() {
    let dir = tempfile::tempdir().unwrap();
    let db = new_database(dir.path());
    let db = db.to_str().unwrap();
    let mut command = Command::new(env!("CARGO_BIN_EXE_tillit"));
    let output = command
        .args([
            "--db",
            db,
            "call",
            "list_register",
            "--args",
            "{\"query\": {}}",
        ])
        .env_remove("TILLIT_DB")
        .env_remove("TILLIT_USER")
        .env("TILLIT_PASSWORD", crate::support::PASSWORD)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let refusal: serde_json::Value = serde_json::from_str(stderr(&output).trim()).unwrap();
    assert_eq!(refusal["code"], "not_signed_in", "{refusal}");

    // The wrong password: refused and recorded like any sign-in.
    let output = Command::new(env!("CARGO_BIN_EXE_tillit"))
        .args(["--db", db, "call", "overview"])
        .env_remove("TILLIT_DB")
        .env("TILLIT_USER", "olivia")
        .env("TILLIT_PASSWORD", "not her password")
        .output()
        .unwrap();
    let refusal: serde_json::Value = serde_json::from_str(stderr(&output).trim()).unwrap();
    assert_eq!(refusal["code"], "wrong_password", "{refusal}");

    // The sign-in page's own commands answer without a user.
    let output = Command::new(env!("CARGO_BIN_EXE_tillit"))
        .args(["--db", db, "call", "session"])
        .env_remove("TILLIT_DB")
        .env_remove("TILLIT_USER")
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let session: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(session["users_exist"], true, "{session}");
}

#[test]
fn a_swedish_terminal_gets_the_refusal_in_swedish() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("saknas.db");
    let run = |locale: &str| {
        Command::new(env!("CARGO_BIN_EXE_tillit"))
            .args(["--db", missing.to_str().unwrap(), "info"])
            .env("LC_ALL", locale)
            .output()
            .expect("run tillit")
    };
    let swedish = String::from_utf8(run("sv_SE.UTF-8").stderr).unwrap();
    assert!(swedish.contains("Det finns ingen databas i"), "{swedish}");
    assert!(swedish.contains("saknas.db"), "{swedish}");
    let english = String::from_utf8(run("C.UTF-8").stderr).unwrap();
    assert!(english.contains("No database at"), "{english}");
    assert!(!missing.exists(), "nothing was created");
}

#[test]
fn a_postgresql_database_that_cannot_be_reached_is_named_without_its_password() {
    let dir = tempfile::tempdir().unwrap();
    let url = "postgres://tillit:hemligt@db.example/register";
    for args in [
        vec!["--db", url, "info"],
        vec!["--db", url, "dev", "seed", "--suppliers", "1"],
        vec!["--db", url, "serve", "--listen", "127.0.0.1:0"],
        vec!["migrate-store", "--from", "tillit.db", "--to", url],
    ] {
        let output = Command::new(env!("CARGO_BIN_EXE_tillit"))
            .args(&args)
            .current_dir(dir.path())
            .env_remove("TILLIT_DB")
            .env("LC_ALL", "C.UTF-8")
            .output()
            .unwrap();
        let said = stderr(&output);
        assert!(!output.status.success(), "{args:?}");
        let expected = match args[0] {
            "migrate-store" => "No database at",
            _ => "postgres://tillit@db.example/register cannot be reached",
        };
        assert!(said.contains(expected), "{args:?}: {said}");
        assert!(
            !said.contains("hemligt"),
            "the password is never shown: {said}"
        );
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            0,
            "{args:?}: nothing made (no folder postgres:)"
        );
    }
}
