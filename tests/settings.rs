//! Settings that persist in the database.

use tillit::settings::{choose_language, ui_settings, Language};
use tillit::Db;

#[test]
fn no_language_is_chosen_in_a_new_database() {
    let db = Db::open_in_memory().unwrap();
    assert_eq!(db.read(ui_settings).unwrap().language, None);
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
    assert_eq!(db.read(ui_settings).unwrap().language, Some(Language::Sv));
    choose_language(&db, Language::En).unwrap();
    assert_eq!(db.read(ui_settings).unwrap().language, Some(Language::En));
}
