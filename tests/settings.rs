//! Settings that persist in the database.

use tillit::settings::{choose_language, ui_settings, Language};
use tillit::Db;

/// The language the window speaks to whoever is signed in.
fn shown(db: &Db) -> Option<Language> {
    ui_settings(db).unwrap().language
}

#[test]
fn no_language_is_chosen_in_a_new_database() {
    let db = crate::support::fresh();
    assert_eq!(shown(&db), None);
}

#[test]
fn the_chosen_language_persists_across_restarts() {
    let dir = tempfile::tempdir().unwrap();
    let path = crate::support::store_in(dir.path());
    {
        let db = Db::open(&path).unwrap();
        let settings = choose_language(&db, Language::Sv).unwrap();
        assert_eq!(settings.language, Some(Language::Sv));
    }
    let db = Db::open(&path).unwrap();
    assert_eq!(shown(&db), Some(Language::Sv));
    choose_language(&db, Language::En).unwrap();
    assert_eq!(shown(&db), Some(Language::En));
}

#[test]
fn each_person_chooses_their_own_language_and_the_sign_in_page_keeps_tillits() {
    let db = crate::support::db(); // olivia signed in
    assert_eq!(shown(&db), None);
    choose_language(&db, Language::Sv).unwrap();
    assert_eq!(shown(&db), Some(Language::Sv));
    assert_eq!(
        tillit::contract::session(&db).unwrap().language,
        Some(Language::Sv)
    );

    crate::support::sign_in(&db, "magnus");
    assert_eq!(
        shown(&db),
        None,
        "another person's window does not follow olivia's choice"
    );
    choose_language(&db, Language::En).unwrap();
    tillit::approval::sign_out(&db).unwrap();
    assert_eq!(shown(&db), None, "the sign-in page keeps Tillit's language");
    choose_language(&db, Language::Sv).unwrap();
    assert_eq!(shown(&db), Some(Language::Sv));
    crate::support::sign_in(&db, "magnus");
    assert_eq!(
        shown(&db),
        Some(Language::En),
        "his own choice over Tillit's"
    );
    crate::support::sign_in(&db, "aud");
    assert_eq!(shown(&db), Some(Language::Sv), "without a choice: Tillit's");
    crate::support::sign_in(&db, "olivia");
    assert_eq!(shown(&db), Some(Language::Sv));
}

#[test]
fn the_administrator_describes_the_organisation_and_a_refused_profile_changes_nothing() {
    use tillit::settings::{organisation, save_organisation, Organisation};
    let db = crate::support::db();
    assert_eq!(organisation(&db).unwrap(), Organisation::default());
    let profile = Organisation {
        legal_name: "  Banken i Norr AB ".into(),
        registration_number: "556012-5790".into(),
        lei: "506700ge1g29325qx363".into(),
        country: "se".into(),
        entity_type: Some(tillit::settings::EntityType::CreditInstitution),
        competent_authority: " Finansinspektionen ".into(),
        currency: "sek".into(),
        total_assets: Some(48_500_000_000),
        definitions: tillit::settings::Definitions {
            sensitivity_high: " Data whose disclosure harms customers or breaks secrecy.\n".into(),
            ..Default::default()
        },
    };
    // An officer may not; the core says so, whatever the window shows.
    let error = save_organisation(&db, profile.clone()).unwrap_err();
    assert!(matches!(error, tillit::Error::Forbidden { .. }), "{error}");

    crate::support::sign_in(&db, "admin");
    let bad = Organisation {
        legal_name: " ".into(),
        lei: "506700GE1G29325QX364".into(),
        country: "XX".into(),
        currency: "kronor".into(),
        total_assets: Some(-1),
        definitions: tillit::settings::Definitions {
            sensitivity_high: "x".repeat(2_001),
            ..Default::default()
        },
        ..Organisation::default()
    };
    let error = save_organisation(&db, bad).unwrap_err();
    let mut fields: Vec<&str> = error
        .field_errors()
        .iter()
        .map(|e| e.field.as_str())
        .collect();
    fields.sort_unstable();
    assert_eq!(
        fields,
        [
            "country",
            "currency",
            "definitions.sensitivity_high",
            "legal_name",
            "lei",
            "total_assets"
        ],
        "{error}"
    );
    // Total assets are an amount in the organisation's currency: not without one.
    let error = save_organisation(
        &db,
        Organisation {
            currency: String::new(),
            ..profile.clone()
        },
    )
    .unwrap_err();
    let currency = error
        .field_errors()
        .iter()
        .find(|e| e.field == "currency")
        .cloned();
    assert_eq!(
        currency.map(|e| (e.code, e.message)),
        Some((
            tillit::error::ValidationCode::Required,
            "is required with the total assets".to_owned()
        )),
        "{error}"
    );
    assert_eq!(
        organisation(&db).unwrap(),
        Organisation::default(),
        "nothing saved"
    );

    let saved = save_organisation(&db, profile).unwrap();
    assert_eq!(
        saved,
        Organisation {
            // Trimmed, codes in capitals: the profile as the tests describe it.
            definitions: tillit::settings::Definitions {
                sensitivity_high: "Data whose disclosure harms customers or breaks secrecy.".into(),
                ..Default::default()
            },
            ..crate::support::banken()
        }
    );
    crate::support::sign_in(&db, "olivia");
    assert_eq!(organisation(&db).unwrap(), saved, "everyone reads it");
    let log = db
        .read(|c| {
            tillit::audit::entries(
                c,
                &tillit::audit::LogFilter {
                    entity: "app_setting".into(),
                    limit: 50,
                    ..Default::default()
                },
            )
        })
        .unwrap();
    assert!(
        log.entries.iter().any(|e| e.actor == "admin"
            && e.after
                .as_deref()
                .is_some_and(|a| a.contains("Banken i Norr AB"))),
        "recorded in the trail"
    );
}

#[test]
fn an_organisation_profile_saved_by_another_administrator_since_the_form_opened_is_not_overwritten()
{
    use tillit::approval::Role;
    use tillit::settings::{organisation, save_organisation_based_on, Organisation};
    let db = crate::support::db();
    crate::support::grant_roles(&db, "magnus", &[Role::Administrator]);
    crate::support::sign_in(&db, "admin");
    let opened = organisation(&db).unwrap();
    let first = Organisation {
        legal_name: "Banken i Norr AB".into(),
        country: "SE".into(),
        ..Organisation::default()
    };
    save_organisation_based_on(&db, first.clone(), Some(opened.clone())).unwrap();
    crate::support::sign_in(&db, "magnus");
    let second = Organisation {
        legal_name: "Norrbanken AB".into(),
        country: "SE".into(),
        ..Organisation::default()
    };
    let refused = save_organisation_based_on(&db, second.clone(), Some(opened)).unwrap_err();
    match &refused {
        tillit::Error::Stale { what, by, .. } => {
            assert_eq!(what, "Banken i Norr AB");
            assert_eq!(by, "Ada Admin");
        }
        other => panic!("not a stale save: {other}"),
    }
    assert_eq!(organisation(&db).unwrap(), first, "the first save stands");
    let saved = save_organisation_based_on(&db, second.clone(), Some(first)).unwrap();
    assert_eq!(saved, second);
}
