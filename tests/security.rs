//! Signing in under attack: the password policy and the lockout after
//! repeated wrong passwords (docs/SECURITY.md).

use crate::support::{add_users, fields_of, sign_in, PASSWORD};
use chrono::{Duration, TimeZone, Utc};
use tillit::approval::{self, NewUser, Role, LOCKOUT_MINUTES, MAX_FAILED_SIGN_INS};
use tillit::context::SharedClock;
use tillit::{Db, Error};

fn start() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 2, 8, 0, 0).unwrap()
}

fn database() -> (Db, SharedClock) {
    let clock = SharedClock::new(start());
    let db = crate::support::fresh().with_clock(clock.clone());
    add_users(&db);
    approval::sign_out(&db).unwrap();
    (db, clock)
}

fn actions_of(db: &Db, actor: &str) -> Vec<String> {
    db.read(|c| {
        Ok(
            c.prepare("SELECT action FROM audit_log WHERE actor = ?1 ORDER BY seq")?
                .query_map([actor], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?,
        )
    })
    .unwrap()
}

#[test]
fn five_wrong_passwords_lock_the_user_out_for_fifteen_minutes_even_with_the_right_one() {
    let (db, clock) = database();
    for attempt in 1..MAX_FAILED_SIGN_INS {
        clock.set(start() + Duration::seconds(attempt as i64 * 10));
        let error = approval::sign_in(&db, "magnus", "wrong guess number").unwrap_err();
        assert!(
            matches!(error, Error::WrongPassword),
            "attempt {attempt}: {error}"
        );
    }
    clock.set(start() + Duration::minutes(1));
    let error = approval::sign_in(&db, "magnus", "wrong guess number").unwrap_err();
    assert!(
        matches!(error, Error::LockedOut { .. }),
        "the fifth wrong password locks: {error}"
    );
    assert!(error.to_string().contains("2026-11-02 08:16"), "{error}");

    clock.set(start() + Duration::minutes(10));
    let error = approval::sign_in(&db, "magnus", PASSWORD).unwrap_err();
    assert!(
        matches!(error, Error::LockedOut { .. }),
        "the right password does not help while locked: {error}"
    );
    assert_eq!(db.signed_in(), None);
    let error = approval::confirm(&db, "magnus", PASSWORD, "decide").unwrap_err();
    assert!(matches!(error, Error::LockedOut { .. }), "{error}");

    // Someone else is not affected.
    sign_in(&db, "olivia");
    approval::sign_out(&db).unwrap();

    clock.set(start() + Duration::minutes(1 + LOCKOUT_MINUTES) + Duration::seconds(1));
    approval::sign_in(&db, "magnus", PASSWORD).unwrap();
    assert_eq!(db.signed_in().unwrap().username, "magnus");

    let actions = actions_of(&db, "magnus");
    assert_eq!(
        actions.iter().filter(|a| *a == "sign_in_failed").count(),
        MAX_FAILED_SIGN_INS
    );
    assert_eq!(
        actions.iter().filter(|a| *a == "locked_out").count(),
        2,
        "each refused attempt while locked is recorded"
    );
    assert!(db.read(tillit::audit::verify).unwrap().intact());
}

#[test]
fn a_successful_sign_in_or_a_reset_password_starts_the_count_again() {
    let (db, clock) = database();
    let fail = |n: usize| {
        for _ in 0..n {
            let error = approval::sign_in(&db, "magnus", "wrong guess number").unwrap_err();
            assert!(matches!(error, Error::WrongPassword), "{error}");
        }
    };
    fail(MAX_FAILED_SIGN_INS - 1);
    sign_in(&db, "magnus");
    approval::sign_out(&db).unwrap();
    fail(MAX_FAILED_SIGN_INS - 1);

    // Failures spread over more than the window never lock.
    clock.set(start() + Duration::minutes(LOCKOUT_MINUTES + 1));
    fail(MAX_FAILED_SIGN_INS - 1);
    let error = approval::sign_in(&db, "magnus", "wrong guess number").unwrap_err();
    assert!(matches!(error, Error::LockedOut { .. }), "{error}");

    // An administrator resets the password: the user may sign in at once.
    sign_in(&db, "admin");
    let magnus = approval::list(&db)
        .unwrap()
        .into_iter()
        .find(|u| u.username == "magnus")
        .unwrap();
    approval::reset_password(&db, magnus.id, "a brand new passphrase").unwrap();
    approval::sign_out(&db).unwrap();
    approval::sign_in(&db, "magnus", "a brand new passphrase").unwrap();
}

#[test]
fn an_unknown_user_is_answered_like_a_wrong_password_and_never_locked() {
    let (db, _) = database();
    for _ in 0..MAX_FAILED_SIGN_INS * 2 {
        let error = approval::sign_in(&db, "nobody", "wrong guess number").unwrap_err();
        assert!(matches!(error, Error::WrongPassword), "{error}");
    }
}

#[test]
fn the_password_policy_refuses_short_long_common_and_name_passwords() {
    let (db, _) = database();
    sign_in(&db, "admin");
    let create = |username: &str, password: &str| {
        approval::create(
            &db,
            NewUser {
                username: username.into(),
                display_name: "Petra Persson".into(),
                roles: vec![Role::Auditor],
                password: password.into(),
            },
        )
    };
    for (password, why) in [
        ("short", "at least 10"),
        (&"x".repeat(300)[..], "at most 256"),
        ("aaaaaaaaaaaa", "too easy"),
        ("Password123", "too easy"),
        ("Sommar2026", "too easy"),
        ("petra.persson-2026", "user name"),
    ] {
        let error = create("petra.persson", password).unwrap_err();
        assert_eq!(fields_of(&error), ["password"], "{password}: {error}");
        assert!(error.to_string().contains(why), "{password}: {error}");
    }
    assert_eq!(approval::list(&db).unwrap().len(), 4, "nobody was created");
    create("petra.persson", "tre små grisar i skogen").unwrap();
}

#[test]
fn a_command_uses_only_a_file_the_user_chose_for_it_and_only_once() {
    use tillit::files::{FileGrants, FilePurpose};
    let grants = FileGrants::default();
    let error = grants
        .take(FilePurpose::Export, "/home/user/.bashrc")
        .unwrap_err();
    assert!(matches!(error, Error::NotAllowed(_)), "{error}");
    assert!(error.to_string().contains("/home/user/.bashrc"), "{error}");

    grants.grant(FilePurpose::Report, "/home/user/Tillit-register.pdf".into());
    assert!(
        grants
            .take(FilePurpose::Export, "/home/user/Tillit-register.pdf")
            .is_err(),
        "chosen for a report, not for the register export"
    );
    assert!(grants
        .take(FilePurpose::Report, "/home/user/other.pdf")
        .is_err());
    assert_eq!(
        grants
            .take(FilePurpose::Report, "/home/user/Tillit-register.pdf")
            .unwrap(),
        std::path::PathBuf::from("/home/user/Tillit-register.pdf")
    );
    assert!(
        grants
            .take(FilePurpose::Report, "/home/user/Tillit-register.pdf")
            .is_err(),
        "a choice is used once"
    );
    assert!(FilePurpose::Backup.writes() && !FilePurpose::Restore.writes());
}

#[test]
fn no_command_but_signing_in_is_admitted_before_a_user_signs_in_or_after_deactivation() {
    use tillit::contract::{access, admit, Access, NAMES};
    let open: Vec<&str> = NAMES
        .iter()
        .copied()
        .filter(|c| access(c) == Some(Access::Open))
        .collect();
    assert_eq!(
        open,
        [
            "get_ui_settings",
            "set_language",
            "list_countries",
            // Where the window works: this computer or a team server.
            "team_server",
            "connect_team_server",
            "disconnect_team_server",
            "session",
            "create_first_administrator",
            "sign_in",
            "sign_out"
        ],
        "only what the sign-in page needs"
    );
    let (db, _) = database();
    assert!(admit(&db, "no_such_command").is_err());
    for command in NAMES {
        let admitted = admit(&db, command);
        if open.contains(command) {
            assert!(admitted.is_ok(), "{command}");
        } else {
            assert!(
                matches!(admitted, Err(Error::NotSignedIn(_))),
                "{command} answers before sign-in: {admitted:?}"
            );
        }
    }
    sign_in(&db, "magnus");
    for command in NAMES {
        admit(&db, command).unwrap();
    }

    // Deactivated by an administrator elsewhere: the next command is refused
    // and the session ends.
    let magnus = db.signed_in().unwrap();
    db.with_tx(|tx| {
        tx.execute(
            "UPDATE app_user SET active = 0 WHERE id = ?1",
            [magnus.id.to_string()],
        )?;
        Ok(())
    })
    .unwrap();
    let error = admit(&db, "list_register").unwrap_err();
    assert!(error.to_string().contains("deactivated"), "{error}");
    assert_eq!(db.signed_in(), None);
}

#[test]
fn no_password_or_hash_reaches_the_trail_the_debug_output_or_an_error() {
    const SECRET: &str = "hemligt lösenord 42";
    let (db, _) = database();
    sign_in(&db, "admin");
    let user = NewUser {
        username: "petra".into(),
        display_name: "Petra Persson".into(),
        roles: vec![Role::Management],
        password: SECRET.into(),
    };
    assert!(!format!("{user:?}").contains(SECRET));
    let petra = approval::create(&db, user).unwrap();
    approval::reset_password(&db, petra.id, &format!("{SECRET} ny")).unwrap();
    approval::sign_out(&db).unwrap();
    let error = approval::sign_in(&db, "petra", SECRET).unwrap_err();
    assert!(!error.to_string().contains(SECRET));
    approval::sign_in(&db, "petra", &format!("{SECRET} ny")).unwrap();
    let input = approval::DecisionInput {
        password: SECRET.into(),
        ..Default::default()
    };
    assert!(!format!("{input:?}").contains(SECRET));

    let trail: String = db
        .read(|c| {
            Ok(
                c.prepare("SELECT coalesce(before, '') || coalesce(after, '') FROM audit_log")?
                    .query_map([], |r| r.get::<_, String>(0))?
                    .collect::<rusqlite::Result<Vec<_>>>()?
                    .join(" "),
            )
        })
        .unwrap();
    assert!(trail.contains("petra"), "the user's creation is recorded");
    assert!(!trail.contains(SECRET), "a password is in the trail");
    assert!(
        !trail.contains("$argon2"),
        "a password hash is in the trail"
    );
}
