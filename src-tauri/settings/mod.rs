//! Application settings that persist in the database, such as the language of
//! the user interface (and, later, of the PDF reports).

use crate::error::{Error, Result, ValidationCode};
use crate::store::Db;
pub use crate::words::Language;
use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use std::str::FromStr;
use ts_rs::TS;

impl FromStr for Language {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        Language::ALL
            .into_iter()
            .find(|l| l.code() == s)
            .ok_or_else(|| {
                Error::invalid(
                    "language",
                    ValidationCode::UnknownValue,
                    format!("unknown language {s:?}; expected en or sv"),
                )
            })
    }
}

/// The settings the UI reads at start.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct UiSettings {
    /// The chosen language; `None` until the user chooses one, when the UI
    /// follows the operating system's language.
    pub language: Option<Language>,
}

const LANGUAGE_KEY: &str = "ui.language";

/// Reads the UI settings.
pub fn ui_settings(conn: &Connection) -> Result<UiSettings> {
    let stored: Option<String> = conn
        .query_row(
            "SELECT value FROM app_setting WHERE key = ?1",
            [LANGUAGE_KEY],
            |row| row.get(0),
        )
        .optional()?;
    // A value this build does not know (written by a later version) reads as
    // "not chosen" rather than failing the whole UI.
    let language = stored.and_then(|code| code.parse().ok());
    Ok(UiSettings { language })
}

/// Chooses the UI language and returns the settings as they are now.
/// Before anyone signs in (the first start, the sign-in screen) the choice is
/// recorded as Tillit's own.
pub fn choose_language(db: &Db, language: Language) -> Result<UiSettings> {
    let choose = |tx: &crate::store::Tx<'_>| {
        set_language(tx, language)?;
        ui_settings(tx)
    };
    if db.signed_in().is_some() {
        db.write(crate::access::Permission::Preferences, choose)
    } else {
        db.with_tx(choose)
    }
}

/// Stores the chosen UI language.
pub fn set_language(conn: &Connection, language: Language) -> Result<()> {
    conn.execute(
        "INSERT INTO app_setting (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [LANGUAGE_KEY, language.code()],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_language_parses_from_its_code_and_an_unknown_code_names_the_field() {
        assert_eq!("sv".parse::<Language>().unwrap(), Language::Sv);
        let error = "de".parse::<Language>().unwrap_err();
        assert_eq!(error.field_errors()[0].field, "language", "{error}");
    }
}
