use super::*;

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
    let db = crate::support::fresh().with_clock(clock.clone());
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
