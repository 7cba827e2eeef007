//! The team server (DOMAIN §11), started on 127.0.0.1 with a random port
//! and reached through the client the command line uses: HTTPS with a
//! pinned self-signed certificate, sessions as bearer tokens that end when
//! they should, refusals as the core's errors in the language asked for,
//! the lockout under parallel attempts, and the limits.

use crate::support::{add_users, swedish_supplier, PASSWORD};
use chrono::{Duration, TimeZone, Utc};
use serde_json::json;
use std::path::Path;
use tillit::client::Client;
use tillit::context::SharedClock;
use tillit::error::ErrorCode;
use tillit::server::{self, Limits, Options, Running};
use tillit::words::Language;
use tillit::{Db, Error};

/// A register with the test users, its clock moved by the test.
fn register() -> (Db, SharedClock) {
    let clock = SharedClock::new(Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap());
    let db = crate::support::fresh().with_clock(clock.clone());
    add_users(&db);
    (db, clock)
}

/// The server on `db` over HTTPS with a new self-signed certificate in
/// `dir`, and its fingerprint.
fn serve(db: Db, dir: &Path, limits: Limits) -> (Running, String) {
    let made = server::init_self_signed(dir, &["localhost".into(), "127.0.0.1".into()]).unwrap();
    let running = server::start(
        db,
        Options {
            listen: "127.0.0.1:0".parse().unwrap(),
            tls: Some((made.cert, made.key)),
            limits,
        },
        false,
    )
    .unwrap();
    (running, made.fingerprint)
}

fn client(running: &Running, fingerprint: &str, language: Language) -> Client {
    Client::connect(&running.url(), Some(fingerprint), language).unwrap()
}

fn signed_in(running: &Running, fingerprint: &str, user: &str) -> Client {
    let client = client(running, fingerprint, Language::En);
    client.sign_in(user, PASSWORD).unwrap();
    client
}

/// The refusal the server sends `client` for `command` with `args`.
fn refusal_of(client: &Client, command: &str, args: serde_json::Value) -> tillit::error::AppError {
    remote(client.call(command, &args).unwrap_err())
}

/// The refusal the server sent.
fn remote(error: Error) -> tillit::error::AppError {
    match error {
        Error::Remote(reply) => *reply,
        other => panic!("not the server's refusal: {other}"),
    }
}

#[test]
fn a_person_signs_in_over_https_writes_and_is_refused_in_their_language() {
    let dir = tempfile::tempdir().unwrap();
    let (db, _) = register();
    let (running, fingerprint) = serve(db, dir.path(), Limits::default());
    assert!(running.url().starts_with("https://127.0.0.1:"));

    // Nothing but the sign-in page's commands before signing in.
    let anonymous = client(&running, &fingerprint, Language::En);
    let refused = refusal_of(&anonymous, "list_users", json!({}));
    assert_eq!(refused.code, ErrorCode::NotSignedIn);
    let countries = anonymous.call("list_countries", &json!({})).unwrap();
    assert!(countries.contains("\"SE\""));
    // Nobody becomes an administrator, or sets everyone's language, over
    // the wire.
    for (command, args) in [
        (
            "create_first_administrator",
            json!({ "user": { "username": "eve", "display_name": "Eve", "roles": ["administrator"], "password": "a long enough password" } }),
        ),
        ("set_language", json!({ "language": "sv" })),
    ] {
        let refused = refusal_of(&anonymous, command, args);
        assert_eq!(refused.code, ErrorCode::NotAllowed, "{command}");
        assert!(refused.message.contains(command), "{}", refused.message);
    }

    let olivia = signed_in(&running, &fingerprint, "olivia");
    let token = olivia.token().expect("a token");
    assert_eq!(token.len(), 64);
    let created = olivia
        .call(
            "create_supplier",
            &json!({ "fields": swedish_supplier("Molnbolaget AB") }),
        )
        .unwrap();
    assert!(created.contains("Molnbolaget AB"), "{created}");
    let listed = olivia
        .call("list_register", &json!({ "query": {} }))
        .unwrap();
    assert!(listed.contains("Molnbolaget AB"), "{listed}");

    // A refusal names the field, in the language the client asked for.
    let mut bad = swedish_supplier("Fel AB");
    bad.registration_number = "556012-5791".into();
    let refused = refusal_of(&olivia, "create_supplier", json!({ "fields": bad }));
    assert_eq!(refused.code, ErrorCode::Validation);
    assert_eq!(refused.field.as_deref(), Some("registration_number"));
    let swedish = client(&running, &fingerprint, Language::Sv);
    swedish.use_token(Some(token.clone()));
    let refused = refusal_of(&swedish, "create_supplier", json!({ "fields": bad }));
    assert_eq!(refused.language, Language::Sv, "{}", refused.message);
    // The permission is checked on the server: an officer manages no users.
    let refused = refusal_of(
        &olivia,
        "create_user",
        json!({ "user": {
                    "username": "mallory", "display_name": "Mallory", "roles": ["administrator"],
                    "password": "a long enough password"
                } }),
    );
    assert_eq!(refused.code, ErrorCode::Forbidden, "{}", refused.message);
    // A path means nothing to the server.
    let refused = refusal_of(&olivia, "import_file", json!({ "path": "/etc/passwd" }));
    assert!(
        refused.message.contains("/etc/passwd"),
        "{}",
        refused.message
    );
    assert_eq!(refused.code, ErrorCode::NotAllowed);

    // Signed out, the token is worth nothing.
    olivia.call("sign_out", &json!({})).unwrap();
    let stale = client(&running, &fingerprint, Language::En);
    stale.use_token(Some(token));
    let refused = refusal_of(&stale, "list_users", json!({}));
    assert!(
        refused.message.contains("session has ended"),
        "{}",
        refused.message
    );
    running.stop(std::time::Duration::from_secs(5));
}

#[test]
fn a_certificate_other_than_the_trusted_one_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (db, _) = register();
    let (running, fingerprint) = serve(db, dir.path(), Limits::default());
    let wrong: String = fingerprint
        .chars()
        .map(|c| if c == '0' { '1' } else { '0' })
        .collect();
    let client = Client::connect(&running.url(), Some(&wrong), Language::En).unwrap();
    let error = client.sign_in("olivia", PASSWORD).unwrap_err();
    assert!(error.to_string().contains("cannot be reached"), "{error}");
    // Nor is a self-signed one trusted without its fingerprint.
    let client = Client::connect(&running.url(), None, Language::En).unwrap();
    assert!(client.sign_in("olivia", PASSWORD).is_err());
    // Plain HTTP to another computer is refused before anything is sent.
    let error = Client::connect("http://192.0.2.7:8443", None, Language::En).unwrap_err();
    assert_eq!(error.field_errors()[0].field, "server");
    running.stop(std::time::Duration::from_secs(5));
}

#[test]
fn plain_http_is_served_on_a_loopback_address_only() {
    let (db, _) = register();
    let error = server::start(
        db,
        Options {
            listen: "0.0.0.0:0".parse().unwrap(),
            tls: None,
            limits: Limits::default(),
        },
        false,
    )
    .unwrap_err();
    assert!(error.to_string().contains("loopback"), "{error}");
    let (db, _) = register();
    let running = server::start(
        db,
        Options {
            listen: "127.0.0.1:0".parse().unwrap(),
            tls: None,
            limits: Limits::default(),
        },
        false,
    )
    .unwrap();
    let client = Client::connect(&running.url(), None, Language::En).unwrap();
    assert_eq!(
        client.sign_in("olivia", PASSWORD).unwrap().username,
        "olivia"
    );
    running.stop(std::time::Duration::from_secs(5));
}

#[test]
fn a_session_ends_after_30_minutes_idle_and_12_hours_in_all() {
    let dir = tempfile::tempdir().unwrap();
    let (db, clock) = register();
    let start = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap();
    let (running, fingerprint) = serve(db, dir.path(), Limits::default());
    let olivia = signed_in(&running, &fingerprint, "olivia");
    // Used every 29 minutes it lives on, until 12 hours after signing in.
    let mut at = start;
    while at + Duration::minutes(29) < start + Duration::hours(12) {
        at += Duration::minutes(29);
        clock.set(at);
        olivia
            .call("app_info", &json!({}))
            .unwrap_or_else(|e| panic!("at {at}: {e}"));
    }
    clock.set(start + Duration::hours(12));
    let refused = refusal_of(&olivia, "app_info", json!({}));
    // Said as "not signed in", which sends the window back to sign in.
    assert_eq!(refused.code, ErrorCode::NotSignedIn);
    assert!(refused.message.contains("session has ended"));

    // Idle for 30 minutes, it ends.
    let olivia = signed_in(&running, &fingerprint, "olivia");
    clock.set(start + Duration::hours(12) + Duration::minutes(30));
    assert!(olivia.call("app_info", &json!({})).is_err());
    running.stop(std::time::Duration::from_secs(5));
}

#[test]
fn deactivating_a_person_or_resetting_their_password_ends_their_sessions() {
    let dir = tempfile::tempdir().unwrap();
    let (db, _) = register();
    let (running, fingerprint) = serve(db, dir.path(), Limits::default());
    let admin = signed_in(&running, &fingerprint, "admin");
    let users: Vec<tillit::access::User> =
        serde_json::from_str(&admin.call("list_users", &json!({})).unwrap()).unwrap();
    let id = |name: &str| users.iter().find(|u| u.username == name).unwrap().id;

    let olivia = signed_in(&running, &fingerprint, "olivia");
    olivia.call("app_info", &json!({})).unwrap();
    admin
        .call(
            "update_user",
            &json!({ "id": id("olivia"), "change": {
                "display_name": "Olivia Officer", "roles": ["procurement_officer"], "active": false
            } }),
        )
        .unwrap();
    let refused = refusal_of(&olivia, "app_info", json!({}));
    assert!(
        refused.message.contains("session has ended"),
        "{}",
        refused.message
    );

    let magnus = signed_in(&running, &fingerprint, "magnus");
    admin
        .call(
            "reset_password",
            &json!({ "id": id("magnus"), "password": "a new long password 2026" }),
        )
        .unwrap();
    assert!(magnus.call("app_info", &json!({})).is_err());
    running.stop(std::time::Duration::from_secs(5));
}

#[test]
fn the_lockout_holds_when_wrong_passwords_arrive_in_parallel() {
    let dir = tempfile::tempdir().unwrap();
    let (db, clock) = register();
    // A minute after the users were made (and one signed in).
    clock.set(Utc.with_ymd_and_hms(2026, 3, 1, 9, 1, 0).unwrap());
    let (running, fingerprint) = serve(db, dir.path(), Limits::default());
    let url = running.url();
    let attempts: Vec<_> = (0..16)
        .map(|k| {
            let (url, fingerprint) = (url.clone(), fingerprint.clone());
            std::thread::spawn(move || {
                let client = Client::connect(&url, Some(&fingerprint), Language::En).unwrap();
                remote(
                    client
                        .sign_in("olivia", &format!("wrong password {k}"))
                        .unwrap_err(),
                )
                .code
            })
        })
        .collect();
    let codes: Vec<ErrorCode> = attempts.into_iter().map(|t| t.join().unwrap()).collect();
    let wrong = codes
        .iter()
        .filter(|c| **c == ErrorCode::WrongPassword)
        .count();
    // Five passwords checked: four answered wrong, the fifth miss with the
    // lockout it starts; every later attempt locked out unchecked.
    assert_eq!(
        wrong,
        tillit::approval::MAX_FAILED_SIGN_INS - 1,
        "only so many passwords are ever checked: {codes:?}"
    );
    assert!(codes
        .iter()
        .all(|c| matches!(c, ErrorCode::WrongPassword | ErrorCode::LockedOut)));
    // Even the right password is refused now.
    let client = client(&running, &fingerprint, Language::En);
    let refused = remote(client.sign_in("olivia", PASSWORD).unwrap_err());
    assert_eq!(refused.code, ErrorCode::LockedOut);
    running.stop(std::time::Duration::from_secs(5));
}

#[test]
fn a_request_over_the_size_limit_or_not_json_is_refused_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let (db, _) = register();
    let limits = Limits {
        body_bytes: 4096,
        ..Limits::default()
    };
    let (running, fingerprint) = serve(db, dir.path(), limits);
    let olivia = signed_in(&running, &fingerprint, "olivia");
    let mut fields = swedish_supplier("Stor AB");
    fields.notes = "x".repeat(8000);
    let refused = refusal_of(&olivia, "create_supplier", json!({ "fields": fields }));
    assert!(
        refused.message.contains("larger than the server accepts"),
        "{}",
        refused.message
    );
    let refused = remote(olivia.send("app_info", b"{not json".to_vec()).unwrap_err());
    assert_eq!(refused.field.as_deref(), Some("body"));
    let refused = refusal_of(&olivia, "no_such_command", json!({}));
    assert_eq!(refused.field.as_deref(), Some("command"));
    running.stop(std::time::Duration::from_secs(5));
}

/// `tillit` run as `user` against the server at `url`, pinned to
/// `fingerprint`, in English and without a local database named.
fn tillit_over(url: &str, fingerprint: &str, user: &str, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_tillit"))
        .args(["--server", url, "--server-fingerprint", fingerprint])
        .args(["--user", user])
        .args(args)
        .env("TILLIT_PASSWORD", PASSWORD)
        .env("LANG", "en_GB.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("TILLIT_DB")
        .output()
        .unwrap()
}

#[test]
fn the_command_line_calls_a_command_on_the_server() {
    let dir = tempfile::tempdir().unwrap();
    let (db, _) = register();
    let (running, fingerprint) = serve(db, dir.path(), Limits::default());
    let url = running.url();
    let over_server = |user: &str, args: &[&str]| {
        let output = tillit_over(&url, &fingerprint, user, args);
        assert!(
            output.status.success(),
            "{args:?}: {} {}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    let users = over_server("olivia", &["call", "list_users"]);
    assert!(users.contains("\"olivia\""), "{users}");
    // A command that works on the database file itself says so.
    let output = tillit_over(&url, &fingerprint, "admin", &["restore", "copy.db"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("tillit call"));
    // An import sends the file; a backup comes back to the path given.
    let csv = dir.path().join("suppliers.csv");
    std::fs::write(
        &csv,
        "legal_name,country_of_incorporation,country_of_headquarters,tier\nBeta GmbH,DE,DE,standard\n",
    )
    .unwrap();
    let backup = dir.path().join("copy.db");
    over_server("olivia", &["import", csv.to_str().unwrap()]);
    over_server("admin", &["backup", "--out", backup.to_str().unwrap()]);
    // The commands people use print what they print on a file.
    let report = dir.path().join("register.pdf");
    let users = over_server("admin", &["user", "list"]);
    assert!(
        users.contains("olivia\tOlivia Officer\tprocurement_officer\tactive"),
        "{users}"
    );
    let wrote = over_server(
        "olivia",
        &["report", "register", "--out", report.to_str().unwrap()],
    );
    assert!(wrote.contains("register.pdf"), "{wrote}");
    assert!(std::fs::read(&report).unwrap().starts_with(b"%PDF"));
    let verified = over_server("olivia", &["report", "verify", report.to_str().unwrap()]);
    assert!(verified.contains("Olivia Officer"), "{verified}");
    let audit = over_server("aud", &["audit", "verify"]);
    assert!(audit.to_lowercase().contains("intact"), "{audit}");
    let info = over_server("aud", &["info", "--json"]);
    assert!(info.contains("schema_version"), "{info}");

    let copy = Db::open_read_only(&backup).unwrap();
    copy.read(|conn| {
        let names: i64 = conn.query_row(
            "SELECT count(*) FROM supplier WHERE legal_name = 'Beta GmbH'",
            [],
            |r| r.get(0),
        )?;
        assert_eq!(names, 1);
        Ok(())
    })
    .unwrap();
    running.stop(std::time::Duration::from_secs(5));
}

#[test]
fn of_two_people_saving_the_same_supplier_the_second_is_refused_with_the_first_ones_name() {
    let dir = tempfile::tempdir().unwrap();
    let (db, clock) = register();
    tillit::approval::sign_in(&db, "admin", PASSWORD).unwrap();
    tillit::approval::create(
        &db,
        tillit::approval::NewUser {
            username: "oscar".into(),
            display_name: "Oscar Officer".into(),
            roles: vec![tillit::approval::Role::ProcurementOfficer],
            password: PASSWORD.into(),
        },
    )
    .unwrap();
    let (running, fingerprint) = serve(db, dir.path(), Limits::default());
    let olivia = signed_in(&running, &fingerprint, "olivia");
    let oscar = signed_in(&running, &fingerprint, "oscar");
    let created: tillit::supplier::SupplierDetail = serde_json::from_str(
        &olivia
            .call(
                "create_supplier",
                &json!({ "fields": swedish_supplier("Molnbolaget AB") }),
            )
            .unwrap(),
    )
    .unwrap();
    let id = created.supplier.id;
    let opened = created.supplier.fields.clone();

    // Both open the supplier; Olivia saves first.
    clock.set(Utc.with_ymd_and_hms(2026, 3, 1, 9, 15, 0).unwrap());
    let mut hers = opened.clone();
    hers.notes = "Olivia's note".into();
    olivia
        .call(
            "update_supplier",
            &json!({ "id": id, "fields": hers, "based_on": opened }),
        )
        .unwrap();
    // Oscar's save, based on what he opened, is refused naming her.
    let mut his = opened.clone();
    his.website = "https://molnbolaget.se".into();
    let refused = refusal_of(
        &oscar,
        "update_supplier",
        json!({ "id": id, "fields": his, "based_on": opened }),
    );
    assert_eq!(refused.code, ErrorCode::Stale);
    assert!(
        refused.message.contains("Olivia Officer")
            && refused.message.contains("2026-03-01 09:15 UTC"),
        "{}",
        refused.message
    );
    // Nothing of his was saved; her note stands.
    let now: tillit::supplier::SupplierDetail =
        serde_json::from_str(&oscar.call("supplier_detail", &json!({ "id": id })).unwrap())
            .unwrap();
    assert_eq!(now.supplier.fields.notes, "Olivia's note");
    assert_eq!(now.supplier.fields.website, opened.website);
    // Reloaded, his change goes in on top of hers.
    let mut again = now.supplier.fields.clone();
    again.website = "https://molnbolaget.se".into();
    oscar
        .call(
            "update_supplier",
            &json!({ "id": id, "fields": again, "based_on": now.supplier.fields }),
        )
        .unwrap();
    running.stop(std::time::Duration::from_secs(5));
}

#[test]
fn a_manager_decides_over_the_server_with_their_password_and_the_decision_is_signed_with_their_key()
{
    let dir = tempfile::tempdir().unwrap();
    let (db, _) = register();
    // A critical supplier assessed and submitted by the officer.
    let (_, _, id) = crate::people::assessed(&db, tillit::supplier::Tier::Critical);
    tillit::approval::submit(&db, id).unwrap();
    // A handle on the same database, to look behind the server.
    let behind = db.new_session();
    let (running, fingerprint) = serve(db, dir.path(), Limits::default());
    let magnus = signed_in(&running, &fingerprint, "magnus");
    let olivia = signed_in(&running, &fingerprint, "olivia");

    // The officer may not decide on a critical supplier.
    let refused = refusal_of(
        &olivia,
        "decide_assessment",
        json!({ "id": id, "input": { "decision": "approve", "conditions": [], "password": PASSWORD } }),
    );
    assert_eq!(refused.code, ErrorCode::Forbidden, "{}", refused.message);
    // A wrong password is refused and nothing is decided.
    let refused = refusal_of(
        &magnus,
        "decide_assessment",
        json!({ "id": id, "input": { "decision": "approve", "conditions": [], "password": "not his" } }),
    );
    assert_eq!(
        refused.field.as_deref(),
        Some("password"),
        "{}",
        refused.message
    );
    let decided: tillit::assessment::workflow::Assessment = serde_json::from_str(
        &magnus
            .call(
                "decide_assessment",
                &json!({ "id": id, "input": { "decision": "approve", "conditions": [], "password": PASSWORD } }),
            )
            .unwrap(),
    )
    .unwrap();
    let decision = decided.decisions.last().unwrap();
    assert_eq!(decision.decider_name, "Magnus Manager");
    let signature = decision.signature.as_ref().expect("signed");
    // With his key: the one the database holds for him.
    let his: String = behind
        .read(|c| {
            c.query_row(
                "SELECT k.public_key FROM signing_key k JOIN app_user u ON u.id = k.user_id
                 WHERE u.username = 'magnus' AND k.retired_at IS NULL",
                [],
                |r| r.get(0),
            )
        })
        .unwrap();
    assert_eq!(signature.public_key, his);
    assert!(behind.read(tillit::audit::verify).unwrap().intact());
    // The officer sees the decision at once.
    let seen: tillit::assessment::workflow::Assessment =
        serde_json::from_str(&olivia.call("get_assessment", &json!({ "id": id })).unwrap())
            .unwrap();
    assert_eq!(seen.decisions.len(), decided.decisions.len());
    running.stop(std::time::Duration::from_secs(5));
}

/// This computer as the desktop or the command line is to the server: its
/// own (empty) database, the paths it is given, and a viewer that records
/// what it was asked to show.
struct Here {
    db: Db,
    shown: std::sync::Mutex<Vec<std::path::PathBuf>>,
}

impl tillit::contract::Caller for Here {
    fn db(&self) -> &Db {
        &self.db
    }
    fn chosen_file(
        &self,
        _: tillit::files::FilePurpose,
        path: &str,
    ) -> tillit::Result<std::path::PathBuf> {
        Ok(path.into())
    }
    fn show_file(&self, path: &Path) -> tillit::Result<()> {
        self.shown.lock().unwrap().push(path.to_owned());
        Ok(())
    }
}

#[test]
fn every_file_travels_whole_between_this_computer_and_the_server() {
    let server_dir = tempfile::tempdir().unwrap();
    let here_dir = tempfile::tempdir().unwrap();
    let at = |name: &str| here_dir.path().join(name).display().to_string();
    let clock = SharedClock::new(Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap());
    // Its evidence folder given, as a server on PostgreSQL needs it.
    let db = Db::open(&crate::support::store_in(server_dir.path()))
        .unwrap()
        .with_evidence_dir(server_dir.path().join("evidence"))
        .with_clock(clock.clone());
    add_users(&db);
    let (running, fingerprint) = serve(db, server_dir.path(), Limits::default());
    let olivia = signed_in(&running, &fingerprint, "olivia");
    let here = Here {
        db: Db::open_in_memory().unwrap(),
        shown: Default::default(),
    };
    let forward = |client: &Client, command: &str, args: serde_json::Value| {
        tillit::client::forward(client, &here, command, &args)
    };

    // An import: the file on this computer, read here and sent whole.
    std::fs::write(
        at("suppliers.csv"),
        "legal_name,country_of_incorporation,country_of_headquarters,tier\nBeta GmbH,DE,DE,standard\nMolnet AB,SE,SE,essential\n",
    )
    .unwrap();
    let summary: tillit::interchange::ImportSummary = serde_json::from_str(
        &forward(
            &olivia,
            "import_file",
            json!({ "path": at("suppliers.csv") }),
        )
        .unwrap(),
    )
    .unwrap();
    assert_eq!(summary.suppliers, 2);
    // A path on the server is never read for a client.
    let refused = refusal_of(
        &olivia,
        "import_file",
        json!({ "path": server_dir.path().join("tillit.db") }),
    );
    assert_eq!(refused.code, ErrorCode::NotAllowed, "{}", refused.message);
    let page: tillit::supplier::RegisterPage = serde_json::from_str(
        &olivia
            .call("list_register", &json!({ "query": { "search": "Molnet" } }))
            .unwrap(),
    )
    .unwrap();
    let supplier = page.rows[0].id;

    // Evidence: uploaded into the server's store, fetched back to be opened.
    let document = b"%PDF-1.4 ISO/IEC 27001 certificate of Molnet AB".to_vec();
    std::fs::write(at("iso-27001.pdf"), &document).unwrap();
    let detail: tillit::supplier::SupplierDetail = serde_json::from_str(
        &forward(
            &olivia,
            "add_evidence",
            json!({
                "supplier_id": supplier,
                "fields": { "kind": "iso27001", "title": "", "issuer": "Intertek", "scope": "All services",
                            "valid_from": "2025-06-01", "valid_until": "2028-05-31" },
                "file": at("iso-27001.pdf"),
            }),
        )
        .unwrap(),
    )
    .unwrap();
    let evidence = &detail.evidence[0];
    let stored = evidence.file.as_ref().unwrap();
    assert_eq!(stored.file_name, "iso-27001.pdf");
    assert_eq!(
        std::fs::read(server_dir.path().join("evidence").join(&stored.sha256)).unwrap(),
        document
    );
    forward(&olivia, "open_evidence", json!({ "id": evidence.id })).unwrap();
    let opened = here.shown.lock().unwrap().pop().unwrap();
    assert_eq!(std::fs::read(&opened).unwrap(), document);
    assert_eq!(opened.file_name().unwrap(), "iso-27001.pdf");

    // A report: made and recorded on the server, saved here.
    let saved: tillit::report::SavedReport = serde_json::from_str(
        &forward(
            &olivia,
            "save_report",
            json!({ "kind": "register", "supplier_id": null, "language": "sv", "order": null,
                    "path": at("register.pdf") }),
        )
        .unwrap(),
    )
    .unwrap();
    assert_eq!(saved.path, at("register.pdf"));
    let pdf = std::fs::read(at("register.pdf")).unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    assert_eq!(tillit::audit::sha256_hex(&pdf), saved.sha256);
    // It opens, being one the server's trail issued; a changed copy does not.
    forward(
        &olivia,
        "open_report",
        json!({ "path": at("register.pdf") }),
    )
    .unwrap();
    assert_eq!(
        here.shown.lock().unwrap().pop().unwrap(),
        std::path::PathBuf::from(at("register.pdf"))
    );
    let mut changed = pdf.clone();
    changed.extend_from_slice(b"\n% edited\n");
    std::fs::write(at("edited.pdf"), &changed).unwrap();
    let refused = remote_or_local(forward(
        &olivia,
        "open_report",
        json!({ "path": at("edited.pdf") }),
    ));
    assert!(refused.contains("edited.pdf"), "{refused}");
    assert!(here.shown.lock().unwrap().is_empty());

    // The register file, written here.
    forward(
        &olivia,
        "export_register",
        json!({ "path": at("register.json") }),
    )
    .unwrap();
    let exported: serde_json::Value =
        serde_json::from_slice(&std::fs::read(at("register.json")).unwrap()).unwrap();
    assert_eq!(exported["suppliers"].as_array().unwrap().len(), 2);

    // A backup of the running server, by an administrator only.
    let refused = remote_or_local(forward(
        &olivia,
        "backup_database",
        json!({ "path": at("olivia.db") }),
    ));
    assert!(!Path::new(&at("olivia.db")).exists(), "{refused}");
    let admin = signed_in(&running, &fingerprint, "admin");
    let backup: tillit::store::BackupSummary = serde_json::from_str(
        &forward(
            &admin,
            "backup_database",
            json!({ "path": at("backup.db") }),
        )
        .unwrap(),
    )
    .unwrap();
    assert_eq!(backup.path, at("backup.db"));
    let copy = Db::open_read_only(Path::new(&at("backup.db"))).unwrap();
    assert_eq!(
        tillit::audit::sha256_hex(&std::fs::read(at("backup.db")).unwrap()),
        backup.sha256
    );
    let verified = copy.read(tillit::audit::verify).unwrap();
    // The trail and the tables hold (the evidence files are kept in the
    // server's evidence folder, which a database backup does not carry).
    assert!(
        verified.first_mismatch.is_none()
            && verified.row_mismatches.is_empty()
            && verified.signature_problems.is_empty(),
        "{verified:?}"
    );
    // DORA's register of information: made, checked and recorded on the
    // server, saved here (a draft: the register lacks what a filing needs).
    forward(
        &admin,
        "save_organisation",
        json!({ "organisation": { "legal_name": "Banken i Norr AB", "lei": "506700GE1G29325QX363",
                                   "country": "SE", "currency": "SEK", "registration_number": "",
                                   "competent_authority": "", "entity_type": "credit_institution",
                                   "total_assets": null, "definitions": {} },
                "based_on": null }),
    )
    .unwrap();
    let written: tillit::dora::DoraExport = serde_json::from_str(
        &forward(
            &olivia,
            "export_dora",
            json!({ "ref_date": "2025-12-31", "draft": false, "path": at("roi.zip") }),
        )
        .unwrap(),
    )
    .unwrap();
    assert!(!written.draft && written.problems.is_empty());
    assert_eq!(written.file_name, "roi.zip");
    let package = std::fs::read(at("roi.zip")).unwrap();
    assert!(package.starts_with(b"PK"));
    assert_eq!(tillit::audit::sha256_hex(&package), written.sha256);
    // A function without its licensed activity: refused, the problem
    // named, nothing written here; a draft is.
    forward(
        &admin,
        "create_function",
        json!({ "fields": { "name": "Betalningar", "licensed_activity": "", "criticality": "not_assessed",
                            "criticality_reason": "", "assessed_on": null, "rto_hours": null,
                            "rpo_hours": null, "discontinuing_impact": null } }),
    )
    .unwrap();
    let refused = forward(
        &olivia,
        "export_dora",
        json!({ "ref_date": "2025-12-31", "draft": false, "path": at("roi-final.zip") }),
    )
    .unwrap_err();
    let named: Vec<String> = refused
        .field_errors()
        .iter()
        .map(|e| e.field.clone())
        .collect();
    assert!(named.contains(&"B_06.01 c0020".to_owned()), "{refused:?}");
    assert!(!Path::new(&at("roi-final.zip")).exists());
    let draft: tillit::dora::DoraExport = serde_json::from_str(
        &forward(
            &olivia,
            "export_dora",
            json!({ "ref_date": "2025-12-31", "draft": true, "path": at("roi-draft.zip") }),
        )
        .unwrap(),
    )
    .unwrap();
    assert!(draft.draft && draft.problems.len() == 4, "{draft:?}");
    assert!(Path::new(&at("roi-draft.zip")).exists());
    // Nothing of the server's staging copy is left beside its database.
    let left: Vec<_> = std::fs::read_dir(server_dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("sending"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
    // A restore is the server operator's, never a desktop's.
    let refused = remote_or_local(forward(
        &admin,
        "restore_database",
        json!({ "path": at("backup.db") }),
    ));
    assert!(refused.contains("tillit restore"), "{refused}");
    running.stop(std::time::Duration::from_secs(5));
}

/// A refusal's sentence, whether the server or this computer refused.
fn remote_or_local(result: tillit::Result<String>) -> String {
    match result.unwrap_err() {
        Error::Remote(reply) => reply.message,
        other => other.sentence_in(Language::En).0,
    }
}
