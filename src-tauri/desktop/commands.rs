//! The window's one command, `call`: it admits the command named (nothing
//! but signing in answers before someone has signed in), then runs it
//! through the contract ([`crate::contract::dispatch`]) and returns the
//! reply as JSON. What is the window's own is behind [`Window`]: files come
//! only from the native dialogs `choose_file` opens, each path granted to
//! one purpose and used once, and evidence opens in the system's viewer.

use crate::contract::{self, Caller};
use crate::error::AppError;
use crate::files::{FileGrants, FilePurpose};
use crate::store::Db;
use std::path::{Path, PathBuf};
use tauri::{State, WebviewWindow};
use tauri_plugin_dialog::DialogExt;

/// Runs `command` of the contract with `args` (a JSON object).
#[tauri::command(rename_all = "snake_case")]
pub async fn call(
    window: WebviewWindow,
    db: State<'_, Db>,
    grants: State<'_, FileGrants>,
    command: String,
    args: serde_json::Value,
) -> Result<tauri::ipc::Response, AppError> {
    let caller = Window {
        window: &window,
        db: &db,
        grants: &grants,
    };
    contract::admit(&db, &command)
        .and_then(|()| contract::dispatch(&caller, &command, &args))
        .map(tauri::ipc::Response::new)
        .map_err(|error| AppError::in_language(error, contract::language(&db)))
}

/// The window as a caller of the contract.
struct Window<'a> {
    window: &'a WebviewWindow,
    db: &'a Db,
    grants: &'a FileGrants,
}

impl Caller for Window<'_> {
    fn db(&self) -> &Db {
        self.db
    }

    fn chosen_file(&self, purpose: FilePurpose, path: &str) -> crate::Result<PathBuf> {
        self.grants.take(purpose, path)
    }

    /// Opens the native file dialog for `purpose` (a save dialog for a file
    /// to write, proposing `suggested_name`) and grants the chosen path to
    /// the one command of that purpose.
    fn choose_file(
        &self,
        purpose: FilePurpose,
        title: &str,
        filter: &str,
        suggested_name: Option<&str>,
    ) -> crate::Result<Option<String>> {
        let window = self.window;
        let mut dialog = window.dialog().file().set_parent(window).set_title(title);
        if !purpose.extensions().is_empty() {
            dialog = dialog.add_filter(filter, purpose.extensions());
        }
        let chosen = if purpose.writes() {
            if let Some(name) = suggested_name {
                dialog = dialog.set_file_name(name);
            }
            dialog.blocking_save_file()
        } else {
            dialog.blocking_pick_file()
        };
        // The dialog may have read the database file, which drops the
        // connection's locks (see `Db::reconnect`).
        self.db.reconnect()?;
        let Some(chosen) = chosen else {
            return Ok(None);
        };
        let path = chosen.into_path().map_err(|e| {
            crate::Error::Internal(format!("the dialog returned no file path: {e}"))
        })?;
        let text = path
            .to_str()
            .ok_or_else(|| {
                crate::Error::from(
                    crate::error::Refusal::new("refusal.path_not_utf8")
                        .with("path", path.display()),
                )
            })?
            .to_owned();
        if self
            .db
            .path()
            .is_some_and(|database| crate::files::is_database_file(&path, database))
        {
            return Err(crate::error::Refusal::new("refusal.path_is_database")
                .with("path", text)
                .into());
        }
        self.grants.grant(purpose, path);
        Ok(Some(text))
    }

    fn show_file(&self, path: &Path) -> crate::Result<()> {
        super::open_with_system_viewer(path)
    }
}
