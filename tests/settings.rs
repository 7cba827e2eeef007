//! Settings that persist in the database.

use tillit::settings::{choose_language, ui_settings, Language};
use tillit::Db;

/// The language the window speaks to whoever is signed in.
fn shown(db: &Db) -> Option<Language> {
    ui_settings(db).unwrap().language
}

#[test]
fn no_language_is_chosen_in_a_new_database() {
    let db = Db::open_in_memory().unwrap();
    assert_eq!(shown(&db), None);
}

#[test]
fn the_chosen_language_persists_across_restarts() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tillit.db");
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
