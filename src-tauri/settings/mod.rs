//! Application settings that persist in the database, such as the language of
//! the user interface (and, later, of the PDF reports).

mod organisation;

pub(crate) use organisation::{checked as checked_organisation, store_in as store_organisation_in};
pub use organisation::{
    organisation, organisation_in, save_organisation, save_organisation_based_on, Definitions,
    EntityType, Organisation,
};

use crate::error::{Error, Result, ValidationCode};
use crate::store::sql::{Connection, OptionalExtension};
use crate::store::Db;
pub use crate::words::Language;
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

/// The language of Tillit itself: the sign-in page's, and everyone's until
/// they choose their own.
const LANGUAGE_KEY: &str = "ui.language";

/// The key of one person's own language.
fn user_key(user: crate::access::UserId) -> String {
    format!("{LANGUAGE_KEY}.user.{user}")
}

fn stored_language(conn: &Connection, key: &str) -> Result<Option<Language>> {
    let stored: Option<String> = conn
        .query_row(
            "SELECT value FROM app_setting WHERE key = ?1",
            [key],
            |row| row.get(0),
        )
        .optional()?;
    // A value this build does not know (written by a later version) reads as
    // "not chosen" rather than failing the whole UI.
    Ok(stored.and_then(|code| code.parse().ok()))
}

/// The UI settings of `user` (their own language, else Tillit's), or
/// Tillit's own when nobody is signed in.
pub fn ui_settings_for(
    conn: &Connection,
    user: Option<crate::access::UserId>,
) -> Result<UiSettings> {
    let own = match user {
        Some(user) => stored_language(conn, &user_key(user))?,
        None => None,
    };
    Ok(UiSettings {
        language: own.or(stored_language(conn, LANGUAGE_KEY)?),
    })
}

/// The UI settings of whoever is signed in to `db` ([`ui_settings_for`]).
pub fn ui_settings(db: &Db) -> Result<UiSettings> {
    let user = db.signed_in().map(|u| u.id);
    db.read(|conn| ui_settings_for(conn, user))
}

/// Chooses the UI language and returns the settings as they are now: the
/// signed-in person's own, which nobody else's window follows. Before anyone
/// signs in (the first start, the sign-in screen) the choice is recorded as
/// Tillit's own.
pub fn choose_language(db: &Db, language: Language) -> Result<UiSettings> {
    match db.signed_in() {
        Some(user) => db.write(crate::access::Permission::Preferences, |tx| {
            store_language(tx, &user_key(user.id), language)?;
            ui_settings_for(tx, Some(user.id))
        }),
        None => db.with_tx(|tx| {
            set_language(tx, language)?;
            ui_settings_for(tx, None)
        }),
    }
}

/// Stores Tillit's own UI language.
pub fn set_language(conn: &Connection, language: Language) -> Result<()> {
    store_language(conn, LANGUAGE_KEY, language)
}

fn store_language(conn: &Connection, key: &str, language: Language) -> Result<()> {
    conn.execute(
        "INSERT INTO app_setting (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [key, language.code()],
    )?;
    Ok(())
}

/// A team server as this computer knows it: its address, and the
/// fingerprint of the self-signed certificate the person trusted for it
/// (none when its certificate chains to the computer's roots).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TeamServer {
    pub url: String,
    pub fingerprint: Option<String>,
}

const TEAM_SERVER_KEY: &str = "team.server";

/// The team server this computer last connected to, remembered for the
/// sign-in page (in this computer's own database).
pub fn remembered_team_server(db: &Db) -> Result<Option<TeamServer>> {
    db.read(|conn| {
        let stored: Option<String> = conn
            .query_row(
                "SELECT value FROM app_setting WHERE key = ?1",
                [TEAM_SERVER_KEY],
                |row| row.get(0),
            )
            .optional()?;
        Ok(stored.and_then(|text| serde_json::from_str(&text).ok()))
    })
}

/// Remembers the team server connected to (or, with `None`, that this
/// computer works on its own database again).
pub fn remember_team_server(db: &Db, server: Option<&TeamServer>) -> Result<()> {
    db.with_tx(|tx| {
        match server {
            Some(server) => {
                let text =
                    serde_json::to_string(server).map_err(|e| Error::Internal(e.to_string()))?;
                tx.execute(
                    "INSERT INTO app_setting (key, value) VALUES (?1, ?2)
                     ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    [TEAM_SERVER_KEY, &text],
                )?;
            }
            None => {
                tx.execute("DELETE FROM app_setting WHERE key = ?1", [TEAM_SERVER_KEY])?;
            }
        }
        Ok(())
    })
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
