//! The core on PostgreSQL (the team server's store): the same work leaves
//! the same rows and the same audit trail, entry for entry and hash for
//! hash, as on SQLite; writers at once never fork the chain nor lose a
//! write; and what is changed outside Tillit is reported, as on SQLite.

use crate::interchange::full_register;
use crate::support::{postgres_database, sign_in, swedish_supplier, with_users, PASSWORD};
use chrono::{TimeZone, Utc};
use tillit::approval;
use tillit::audit::verify;
use tillit::client::Client;
use tillit::context::{FixedClock, SeededIds, SharedClock};
use tillit::dev::SeedOptions;
use tillit::supplier::{create_supplier, list_register, RegisterQuery};
use tillit::words::Language;
use tillit::Db;

/// The time the tests' clocks show.
fn march_first() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap()
}

/// Every entry of the trail as stored, in order.
fn trail(db: &Db) -> Vec<Vec<Option<String>>> {
    db.read(|conn| {
        Ok(conn
            .prepare(
                "SELECT CAST(seq AS TEXT) AS number, at, actor, action, entity, entity_id, before, after, hash
                 FROM audit_log ORDER BY seq",
            )?
            .query_map([], |r| (0..9).map(|i| r.get(i)).collect())?
            .collect::<rusqlite::Result<_>>()?)
    })
    .unwrap()
}

/// Asserts that `audit verify` finds nothing wrong.
fn assert_intact(db: &Db) {
    let verification = db.read(verify).unwrap();
    assert!(
        verification.first_mismatch.is_none(),
        "{}",
        verification.sentence()
    );
    assert!(
        verification.row_mismatches.is_empty(),
        "{}",
        verification.sentence()
    );
    assert!(
        verification.schema_problems.is_empty(),
        "{}",
        verification.sentence()
    );
    assert!(
        verification.signature_problems.is_empty(),
        "{}",
        verification.sentence()
    );
}

#[test]
fn the_same_work_leaves_the_same_trail_on_postgresql_as_on_sqlite_hash_for_hash() {
    let Some(url) = postgres_database() else {
        return;
    };
    let now = march_first();
    // Ids and salts from one seed from the first user on, so both have the
    // same ids and password hashes.
    let same = |db: Db| with_users(db.with_ids(SeededIds::new(7)), now);
    let sqlite = same(Db::open_in_memory().unwrap());
    let postgres = same(Db::open_postgres(&url).unwrap());
    for db in [&sqlite, &postgres] {
        // Suppliers, services with reals (99.95), subcontractors, rule
        // sets and users with roles, keys and password digests.
        full_register(db);
    }
    let (on_sqlite, on_postgres) = (trail(&sqlite), trail(&postgres));
    assert!(
        on_sqlite.len() > 10,
        "the work left {} entries",
        on_sqlite.len()
    );
    for (a, b) in on_sqlite.iter().zip(&on_postgres) {
        assert_eq!(a, b, "the entries differ");
    }
    assert_eq!(on_sqlite.len(), on_postgres.len());
    assert_intact(&postgres);
    assert_eq!(
        list_register(&postgres, &RegisterQuery::default()).unwrap(),
        list_register(&sqlite, &RegisterQuery::default()).unwrap()
    );
}

#[test]
fn twenty_writers_at_once_on_postgresql_keep_one_chain_and_every_acknowledged_write() {
    let Some(url) = postgres_database() else {
        return;
    };
    let now = march_first();
    let db = with_users(Db::open_postgres(&url).unwrap(), now);
    let before = trail(&db).len();
    let acknowledged: Vec<String> = std::thread::scope(|scope| {
        let writers: Vec<_> = (0..20)
            .map(|writer| {
                let session = db.new_session();
                scope.spawn(move || {
                    sign_in(&session, "olivia");
                    (0..5)
                        .map(|n| {
                            create_supplier(
                                &session,
                                swedish_supplier(&format!("Writer {writer} supplier {n} AB")),
                            )
                            .unwrap()
                            .supplier
                            .id
                            .to_string()
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        writers
            .into_iter()
            .flat_map(|w| w.join().unwrap())
            .collect()
    });
    assert_eq!(acknowledged.len(), 100);
    let register = list_register(&db, &RegisterQuery::default()).unwrap();
    assert_eq!(register.total, 100);
    let entries = trail(&db);
    // One chain: the entries numbered one after the other (each hash
    // over the one before is checked by the verification below).
    for (n, entry) in entries.iter().enumerate() {
        assert_eq!(
            entry[0],
            Some((n + 1).to_string()),
            "the chain has a gap or a fork"
        );
    }
    for id in &acknowledged {
        assert!(
            entries.iter().any(|e| e[4].as_deref() == Some("supplier")
                && e[5].as_deref() == Some(id.as_str())
                && e[3].as_deref() == Some("create")),
            "no entry records the creation of {id}"
        );
    }
    assert!(entries.len() >= before + 100);
    assert_intact(&db);
}

#[test]
fn a_change_made_outside_tillit_on_postgresql_and_a_disabled_capture_are_reported() {
    let Some(url) = postgres_database() else {
        return;
    };
    let now = march_first();
    let db = with_users(Db::open_postgres(&url).unwrap(), now);
    create_supplier(&db, swedish_supplier("Nordsken AB")).unwrap();
    assert_intact(&db);
    let mut outside = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    outside
        .batch_execute("UPDATE supplier SET notes = 'changed by hand'")
        .unwrap();
    let verification = db.read(verify).unwrap();
    assert_eq!(
        verification.row_mismatches.len(),
        1,
        "{}",
        verification.sentence()
    );
    assert_eq!(verification.row_mismatches[0].table, "supplier");
    assert!(verification.first_mismatch.is_none());

    outside
        .batch_execute(
            "ALTER TABLE service DISABLE TRIGGER tillit_audit; CREATE TABLE notes (x TEXT)",
        )
        .unwrap();
    let problems: Vec<String> = db
        .read(verify)
        .unwrap()
        .schema_problems
        .iter()
        .map(|p| p.sentence())
        .collect();
    assert!(
        problems
            .iter()
            .any(|p| p.contains("tillit_audit on service") && p.contains("disabled")),
        "{problems:?}"
    );
    assert!(
        problems.iter().any(|p| p.contains("table notes")),
        "{problems:?}"
    );
}

/// When the capture's functions were last written (the transaction that
/// wrote the row of the digest function), and whether `service` records.
fn capture_state(client: &mut postgres::Client) -> (String, bool) {
    let written: String = client
        .query_one(
            "SELECT xmin::text FROM pg_proc WHERE oid = to_regprocedure('tillit_sha256(text)')",
            &[],
        )
        .unwrap()
        .get(0);
    let recording: bool = client
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = 'service'::regclass
                            AND tgname = 'tillit_audit' AND tgenabled <> 'D')",
            &[],
        )
        .unwrap()
        .get(0);
    (written, recording)
}

#[test]
fn a_start_leaves_a_current_capture_alone_and_puts_back_one_changed_outside() {
    let Some(url) = postgres_database() else {
        return;
    };
    drop(Db::open_postgres(&url).unwrap());
    let mut outside = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    let (first, recording) = capture_state(&mut outside);
    assert!(recording);

    drop(Db::open_postgres(&url).unwrap());
    assert_eq!(
        capture_state(&mut outside),
        (first.clone(), true),
        "a second start rewrote a capture that was current"
    );

    outside
        .batch_execute("DROP TRIGGER tillit_audit ON service")
        .unwrap();
    assert!(!capture_state(&mut outside).1);
    let db = Db::open_postgres(&url).unwrap();
    let (again, recording) = capture_state(&mut outside);
    assert!(recording, "the dropped trigger was not put back");
    assert_ne!(again, first);
    assert_intact(&db);

    outside
        .batch_execute(
            "CREATE OR REPLACE FUNCTION tillit_audit_service() RETURNS trigger
             LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$",
        )
        .unwrap();
    drop(db);
    let db = Db::open_postgres(&url).unwrap();
    let body: String = outside
        .query_one(
            "SELECT prosrc FROM pg_proc WHERE oid = to_regprocedure('tillit_audit_service()')",
            &[],
        )
        .unwrap()
        .get(0);
    assert!(body.contains("audit_pending"), "{body}");
    assert_intact(&db);
}

/// A database file with a generated register (suppliers, services,
/// assessments in every state, decisions signed by the manager, rule sets),
/// its clock at `now`.
fn seeded_file(dir: &std::path::Path, now: chrono::DateTime<Utc>) -> std::path::PathBuf {
    let path = dir.join("tillit.db");
    let clock = SharedClock::new(now);
    let db = Db::open(&path)
        .unwrap()
        .with_clock(clock.clone())
        .with_ids(SeededIds::new(3));
    tillit::dev::register(
        &db,
        &clock,
        &SeedOptions {
            suppliers: 40,
            seed: 3,
            as_of: now.date_naive(),
            password: PASSWORD.into(),
        },
    )
    .unwrap();
    path
}

/// The register file of `db` as `olivia` exports it.
fn exported(db: &Db) -> String {
    approval::sign_in(db, "olivia", PASSWORD).unwrap();
    tillit::interchange::json::export_text(db).unwrap()
}

#[test]
fn a_database_file_moved_into_postgresql_exports_the_same_register_byte_for_byte() {
    let Some(url) = postgres_database() else {
        return;
    };
    let now = march_first();
    let dir = tempfile::tempdir().unwrap();
    let file = seeded_file(dir.path(), now);
    let before = std::fs::read(&file).unwrap();

    let (target, copied) = Db::migrate_store(&file, &url).unwrap();
    assert_eq!(
        std::fs::read(&file).unwrap(),
        before,
        "the file was changed"
    );
    let table = |name: &str| copied.tables.iter().find(|t| t.table == name).unwrap().rows;
    assert_eq!(table("supplier"), 40);
    assert!(table("approval") > 0 && table("signature") > 0 && table("signing_key") > 0);
    assert!(copied.audit_entries > 100);

    let source = Db::open(&file).unwrap().with_clock(FixedClock(now));
    let target = target.with_clock(FixedClock(now));
    let (from_file, from_postgres) = (exported(&source), exported(&target));
    assert!(from_file.len() > 10_000);
    assert!(from_file == from_postgres, "the exports differ");
    // Signatures, seals and every row verify on the target, and the move
    // is recorded there.
    assert_intact(&target);
    let moved = trail(&target)
        .into_iter()
        .find(|e| e[3].as_deref() == Some("migrate") && e[4].as_deref() == Some("store"))
        .expect("the move is recorded in the target's trail");
    assert!(moved[7].as_deref().unwrap().contains("tillit.db"));
    // A sign-in with the moved password works, and the next write appends
    // to the moved chain.
    create_supplier(&target, swedish_supplier("Efter flytten AB")).unwrap();
    assert_intact(&target);
}

#[test]
fn a_database_is_moved_only_into_an_empty_one_and_a_refused_move_changes_nothing() {
    let Some(url) = postgres_database() else {
        return;
    };
    let now = march_first();
    let target = with_users(Db::open_postgres(&url).unwrap(), now);
    let entries = trail(&target);
    let dir = tempfile::tempdir().unwrap();
    let file = seeded_file(dir.path(), now);
    let error = Db::migrate_store(&file, &url).unwrap_err();
    let text = error.to_string();
    assert!(
        text.contains("is not empty") && text.contains("app_user"),
        "{text}"
    );
    assert!(!text.contains("password"), "{text}");
    assert_eq!(
        trail(&target),
        entries,
        "the refused move changed the target"
    );
    assert_eq!(
        list_register(&target, &RegisterQuery::default())
            .unwrap()
            .total,
        0
    );
}

#[test]
fn a_backup_of_a_postgresql_store_is_a_tillit_backup_file_that_restores_on_sqlite() {
    let Some(url) = postgres_database() else {
        return;
    };
    let now = march_first();
    let dir = tempfile::tempdir().unwrap();
    let file = seeded_file(dir.path(), now);
    let (postgres, _) = Db::migrate_store(&file, &url).unwrap();
    let postgres = postgres.with_clock(FixedClock(now));
    approval::sign_in(&postgres, "admin", PASSWORD).unwrap();
    let backup = dir.path().join("backup.db");
    let summary = postgres.backup(&backup).unwrap();
    assert_eq!(
        summary.sha256,
        tillit::audit::sha256_hex(&std::fs::read(&backup).unwrap())
    );
    // Recorded in the trail of the PostgreSQL store with the file's SHA-256.
    let recorded = trail(&postgres)
        .into_iter()
        .rev()
        .find(|e| e[3].as_deref() == Some("backup"))
        .expect("the backup is recorded");
    assert!(recorded[7].as_deref().unwrap().contains(&summary.sha256));

    // Restored into a database file, it holds the register as the store
    // held it, and its trail verifies there.
    let restored_path = dir.path().join("restored.db");
    let restored = with_users(Db::open(&restored_path).unwrap(), now);
    approval::sign_in(&restored, "admin", PASSWORD).unwrap();
    restored.restore(&backup).unwrap();
    let restored = Db::open(&restored_path)
        .unwrap()
        .with_clock(FixedClock(now));
    assert_intact(&restored);
    assert!(
        exported(&restored) == exported(&postgres),
        "the registers differ"
    );

    // A restore onto the PostgreSQL store itself is refused, with the way
    // to do it instead.
    approval::sign_in(&postgres, "admin", PASSWORD).unwrap();
    let refused = postgres.restore(&backup).unwrap_err().to_string();
    assert!(refused.contains("migrate-store"), "{refused}");
}

#[test]
fn evidence_files_move_with_the_database_and_a_postgresql_store_keeps_them_in_the_folder_given() {
    use tillit::supplier::{add_evidence, evidence_dir, EvidenceFields, EvidenceKind};
    let Some(url) = postgres_database() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("tillit.db");
    let certificate = b"%PDF-1.7 ISO/IEC 27001 certificate".to_vec();
    let (evidence, stored) = {
        let db = Db::open(&file).unwrap();
        crate::support::add_users(&db);
        let supplier = create_supplier(&db, swedish_supplier("Intyg AB"))
            .unwrap()
            .supplier
            .id;
        let source = dir.path().join("iso-27001.pdf");
        std::fs::write(&source, &certificate).unwrap();
        let fields = EvidenceFields {
            kind: EvidenceKind::Iso27001,
            valid_until: chrono::NaiveDate::from_ymd_opt(2027, 1, 31),
            ..EvidenceFields::default()
        };
        let folder = evidence_dir(&db).unwrap();
        let detail = add_evidence(&db, supplier, fields, Some(&source), &folder).unwrap();
        let item = detail.evidence[0].clone();
        let stored = folder.join(&item.file.unwrap().sha256);
        (item.id, stored)
    };
    let shared = dir.path().join("shared-evidence");
    let shared_arg = shared.to_str().unwrap();
    let migrate = || {
        tillit(&[
            "migrate-store",
            "--from",
            file.to_str().unwrap(),
            "--to",
            &url,
            "--evidence",
            shared_arg,
        ])
    };

    // A changed evidence file stops the move before anything is written.
    std::fs::write(&stored, b"%PDF-1.7 forged").unwrap();
    let refused = migrate();
    let said = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(2), "{said}");
    assert!(
        said.contains("iso-27001.pdf") && said.contains("no longer matches its SHA-256"),
        "{said}"
    );
    assert!(std::fs::read_dir(&shared).map_or(true, |mut d| d.next().is_none()));
    let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    let tables: i64 = client
        .query_one(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(tables, 0, "nothing was written to the database");
    drop(client);

    // The file as it was: moved, and copied into the folder given.
    std::fs::write(&stored, &certificate).unwrap();
    let moved = migrate();
    let said = String::from_utf8_lossy(&moved.stdout);
    assert!(
        moved.status.success(),
        "{}",
        String::from_utf8_lossy(&moved.stderr)
    );
    assert!(said.contains("Copied 1 evidence files"), "{said}");
    let copy = shared.join(stored.file_name().unwrap());
    assert_eq!(std::fs::read(&copy).unwrap(), certificate);

    // The store on PostgreSQL keeps and checks its files in that folder.
    let verified = tillit(&["--db", &url, "--evidence", shared_arg, "audit", "verify"]);
    assert!(
        verified.status.success(),
        "{}",
        String::from_utf8_lossy(&verified.stderr)
    );
    let args = format!("{{\"id\": \"{evidence}\"}}");
    let read = |extra: &[&str]| {
        let mut all = vec!["--db", url.as_str(), "--user", "olivia"];
        all.extend_from_slice(extra);
        all.extend_from_slice(&["call", "evidence_content", "--args", &args]);
        tillit(&all)
    };
    let served = read(&["--evidence", shared_arg]);
    assert!(
        served.status.success(),
        "{}",
        String::from_utf8_lossy(&served.stderr)
    );
    let content: tillit::files::FileContent = serde_json::from_slice(&served.stdout).unwrap();
    assert_eq!(content.content, certificate);
    // Without a folder, the refusal says how to give one.
    let without = read(&[]);
    let said = String::from_utf8_lossy(&without.stderr);
    assert_eq!(without.status.code(), Some(2), "{said}");
    assert!(said.contains("--evidence"), "{said}");

    // A changed file in the folder is named by verification there.
    std::fs::write(&copy, b"%PDF-1.7 forged").unwrap();
    let verified = tillit(&["--db", &url, "--evidence", shared_arg, "audit", "verify"]);
    assert_eq!(verified.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&verified.stderr).contains("no longer matches its SHA-256"),
        "{}",
        String::from_utf8_lossy(&verified.stderr)
    );
}

/// `tillit` run as a person runs it, with `TILLIT_PASSWORD` for `--user`.
fn tillit(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_tillit"))
        .args(args)
        .env_remove("TILLIT_DB")
        .env("TILLIT_PASSWORD", PASSWORD)
        .env("LC_ALL", "C.UTF-8")
        .output()
        .unwrap()
}

/// `tillit serve --db <url>` on a free loopback port with a new
/// self-signed certificate in `dir`: the process, its address and the
/// certificate's fingerprint, once it answers.
fn serve(url: &str, dir: &std::path::Path) -> (std::process::Child, String, String) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .unwrap()
        .port();
    let tls = dir.join("tls");
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_tillit"));
    command
        .args([
            "--db",
            url,
            "serve",
            "--listen",
            &format!("127.0.0.1:{port}"),
        ])
        .env_remove("TILLIT_DB")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null());
    if tls.join("tillit-server.crt").exists() {
        command
            .arg("--tls-cert")
            .arg(tls.join("tillit-server.crt"))
            .arg("--tls-key")
            .arg(tls.join("tillit-server.key"));
    } else {
        command.arg("--init").arg(&tls);
    }
    let child = command.spawn().unwrap();
    let address = format!("https://127.0.0.1:{port}");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let fingerprint = loop {
        if let Ok(fingerprint) = tillit::server::fingerprint_of_pem(&tls.join("tillit-server.crt"))
        {
            let answered = Client::connect(&address, Some(&fingerprint), Language::En)
                .and_then(|c| c.call("list_countries", &serde_json::json!({})));
            if answered.is_ok() {
                break fingerprint;
            }
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the server did not start"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    };
    (child, address, fingerprint)
}

#[test]
fn a_server_on_postgresql_killed_during_writes_loses_no_acknowledged_write() {
    let Some(url) = postgres_database() else {
        return;
    };
    let now = march_first();
    let dir = tempfile::tempdir().unwrap();
    let file = seeded_file(dir.path(), now);
    // The move, from the command line.
    let moved = tillit(&[
        "migrate-store",
        "--from",
        file.to_str().unwrap(),
        "--to",
        &url,
    ]);
    let said = String::from_utf8_lossy(&moved.stdout);
    assert!(
        moved.status.success(),
        "{said} {}",
        String::from_utf8_lossy(&moved.stderr)
    );
    assert!(
        said.contains("Moved") && said.contains("verify there"),
        "{said}"
    );

    let (mut server, address, fingerprint) = serve(&url, dir.path());
    let stop = std::sync::atomic::AtomicBool::new(false);
    let acknowledged: Vec<String> = std::thread::scope(|scope| {
        let writers: Vec<_> = (0..6)
            .map(|writer| {
                let (address, fingerprint, stop) = (&address, &fingerprint, &stop);
                scope.spawn(move || {
                    let client = Client::connect(address, Some(fingerprint), Language::En).unwrap();
                    client.sign_in("olivia", PASSWORD).unwrap();
                    let mut done = Vec::new();
                    for n in 0.. {
                        let name = format!("Skrivare {writer} nr {n} AB");
                        let reply = client.call(
                            "create_supplier",
                            &serde_json::json!({ "fields": swedish_supplier(&name) }),
                        );
                        match reply {
                            Ok(_) => done.push(name),
                            Err(_) if stop.load(std::sync::atomic::Ordering::SeqCst) => break,
                            Err(error) => panic!("{error}"),
                        }
                    }
                    done
                })
            })
            .collect();
        std::thread::sleep(std::time::Duration::from_millis(1500));
        stop.store(true, std::sync::atomic::Ordering::SeqCst);
        server.kill().unwrap();
        server.wait().unwrap();
        writers
            .into_iter()
            .flat_map(|w| w.join().unwrap())
            .collect()
    });
    assert!(
        acknowledged.len() > 6,
        "{} writes acknowledged before the kill",
        acknowledged.len()
    );

    // Started again: every acknowledged write is there, and the trail verifies.
    let (mut server, address, fingerprint) = serve(&url, dir.path());
    let client = Client::connect(&address, Some(&fingerprint), Language::En).unwrap();
    client.sign_in("olivia", PASSWORD).unwrap();
    let register = client
        .call("list_register", &serde_json::json!({ "query": {} }))
        .unwrap();
    for name in &acknowledged {
        assert!(
            register.contains(name.as_str()),
            "{name} was acknowledged and is lost"
        );
    }
    server.kill().unwrap();
    server.wait().unwrap();
    assert_intact(&Db::open_postgres(&url).unwrap());
}

#[test]
fn reads_and_writes_on_postgresql_reuse_their_connections() {
    let Some(url) = postgres_database() else {
        return;
    };
    let db = with_users(Db::open_postgres(&url).unwrap(), march_first());
    let mut servers = std::collections::BTreeSet::new();
    for n in 0..20 {
        create_supplier(&db, swedish_supplier(&format!("Leverantör {n} AB"))).unwrap();
        list_register(&db, &RegisterQuery::default()).unwrap();
        // The server process behind the connection a read gets.
        let pid: i64 = db
            .read(|conn| conn.query_row("SELECT pg_backend_pid()", [], |r| r.get(0)))
            .unwrap();
        servers.insert(pid);
    }
    assert_eq!(
        servers.len(),
        1,
        "one person's reads and writes, one after the other, took {} connections",
        servers.len()
    );
}
