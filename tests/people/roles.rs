use super::follow_up::approved;
use super::*;

#[test]
fn an_auditor_reads_and_exports_but_cannot_write() {
    let db = db();
    let (supplier, service, id) = assessed(&db, Tier::Critical);
    sign_in(&db, "aud");
    let forbidden = |result: tillit::Result<()>, what: &str| {
        let error = result.expect_err(what);
        assert!(matches!(error, Error::Forbidden { .. }), "{what}: {error}");
    };
    forbidden(
        create_supplier(&db, swedish_supplier("X AB")).map(drop),
        "create",
    );
    forbidden(
        update_supplier(&db, supplier, swedish_supplier("Y AB")).map(drop),
        "update",
    );
    forbidden(remove_service(&db, service).map(drop), "remove a service");
    forbidden(
        workflow::start(&db, supplier, date(2026, 3, 1)).map(drop),
        "assess",
    );
    forbidden(approval::submit(&db, id).map(drop), "submit");
    forbidden(
        review::record_deviation(
            &db,
            supplier,
            DeviationInput {
                description: "x".into(),
                ..Default::default()
            },
        )
        .map(drop),
        "record a deviation",
    );
    forbidden(
        tillit::operations::save_rules(&db, &default_rule_set(), "").map(drop),
        "rules",
    );
    assert!(supplier_detail(&db, supplier).is_ok(), "reads");
    assert!(
        tillit::interchange::json::export_text(&db).is_ok(),
        "exports"
    );
    let exports = db
        .read(|c| {
            tillit::audit::entries(
                c,
                &tillit::audit::LogFilter {
                    actor: "aud".into(),
                    entity: "register".into(),
                    ..Default::default()
                },
            )
        })
        .unwrap();
    assert_eq!(exports.entries[0].action, "export");
    assert!(exports.entries[0]
        .after
        .as_deref()
        .unwrap()
        .contains("\"sha256\""));
}

#[test]
fn nothing_is_written_without_a_signed_in_user() {
    let db = crate::support::fresh();
    let error = create_supplier(&db, swedish_supplier("X AB")).unwrap_err();
    assert!(matches!(error, Error::NotSignedIn(_)), "{error}");
}

#[test]
fn only_the_first_user_is_created_without_an_administrator_and_a_password_needs_ten_characters() {
    let db = crate::support::fresh();
    let short = approval::create_first_administrator(
        &db,
        approval::NewUser {
            username: "ada".into(),
            display_name: "Ada".into(),
            roles: vec![],
            password: "short".into(),
        },
    )
    .unwrap_err();
    assert_eq!(crate::support::fields_of(&short), ["password"]);
    support::add_users(&db);
    let again = approval::create_first_administrator(
        &db,
        approval::NewUser {
            username: "eve".into(),
            display_name: "Eve".into(),
            roles: vec![],
            password: "long enough password".into(),
        },
    )
    .unwrap_err();
    assert!(matches!(again, Error::NotAllowed(_)), "{again}");
}

#[test]
fn the_overview_shows_what_needs_attention_and_leads_to_the_supplier() {
    let db = db();
    let (approved_supplier, _, _) = approved(&db);
    let (waiting, _, waiting_id) = assessed(&db, Tier::Critical);
    approval::submit(&db, waiting_id).unwrap();

    let today = date(2026, 3, 1);
    let now = review::overview(&db, today).unwrap();
    assert_eq!(now.awaiting_decision.count, 1);
    assert_eq!(now.awaiting_decision.items[0].supplier_id, waiting);
    assert_eq!(
        now.awaiting_decision.items[0].assessment_id,
        Some(waiting_id),
        "the decision is taken on the assessment: the item leads there"
    );
    assert_eq!(now.suppliers, 2);
    assert_eq!((now.by_tier.critical, now.by_tier.essential), (1, 1));
    assert_eq!(
        now.heat_map.len(),
        1,
        "both services sit at likelihood 1, impact 2"
    );
    assert_eq!(
        (
            now.heat_map[0].likelihood,
            now.heat_map[0].impact,
            now.heat_map[0].count
        ),
        (1, 2, 2)
    );
    assert_eq!(now.overdue, review::Attention::default());

    let later = review::overview(&db, date(2027, 1, 15)).unwrap();
    assert_eq!(later.due_soon.count, 1, "due 2027-03-01, within 60 days");
    assert_eq!(later.due_soon.items[0].supplier_id, approved_supplier);
    assert_eq!(later.due_soon.items[0].date, Some(date(2027, 3, 1)));
    let overdue = review::overview(&db, date(2027, 3, 2)).unwrap();
    assert_eq!(overdue.overdue.items[0].supplier_id, approved_supplier);
    let expiring = review::overview(&db, date(2026, 10, 15)).unwrap();
    assert_eq!(
        expiring.evidence_expiring.count, 2,
        "both certificates end 2026-12-31"
    );
}

#[test]
fn a_database_from_before_the_trail_recorded_rows_is_adopted_on_upgrade_and_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tillit.db");
    {
        let old = Db::open_with(&path, &tillit::store::MIGRATIONS[..4]).unwrap();
        old.with_tx(|tx| {
            tx.execute(
                "INSERT INTO app_setting (key, value) VALUES ('language', 'sv')",
                [],
            )?;
            Ok(())
        })
        .unwrap();
    }
    let db = Db::open(&path).unwrap();
    let verification = db.read(tillit::audit::verify).unwrap();
    assert!(verification.intact(), "{}", verification.sentence());
    assert_eq!(
        (verification.entries, verification.rows_checked),
        (10, 1),
        "the one row found is recorded as found, and each migration by its marker"
    );
}

/// The window shows an action only where the core would not refuse it: the
/// session lists what the signed-in user may do, and each assessment's
/// summary names who decides it.
#[test]
fn the_session_lists_what_the_user_may_do_and_the_summary_who_decides() {
    use tillit::access::Permission;
    let db = db();
    let (_, _, critical) = assessed(&db, Tier::Critical);
    let (_, _, standard) = assessed(&db, Tier::Standard);
    let session = |user: &str| {
        sign_in(&db, user);
        approval::session(&db).unwrap().permissions
    };
    let officer = session("olivia");
    assert!(officer.contains(&Permission::Assess) && officer.contains(&Permission::Reopen));
    assert!(!officer.contains(&Permission::ResolveEscalation));
    assert!(!officer.contains(&Permission::ManageUsers));
    let auditor = session("aud");
    assert_eq!(auditor, vec![Permission::Export, Permission::Preferences]);
    let admin = session("admin");
    assert!(admin.contains(&Permission::ManageUsers) && !admin.contains(&Permission::Assess));
    // Each permission the session grants is one the core lets the user use.
    for permission in Permission::ALL {
        let holds = permission
            .roles()
            .iter()
            .any(|r| db.signed_in().unwrap().has(*r));
        assert_eq!(admin.contains(&permission), holds, "{permission:?}");
    }

    sign_in(&db, "olivia");
    assert_eq!(
        workflow::summary(&db, critical).unwrap().decider,
        Role::Management
    );
    assert_eq!(
        workflow::summary(&db, standard).unwrap().decider,
        Role::ProcurementOfficer
    );
}
