//! The window's one command, `call`: it admits the command named (nothing
//! but signing in answers before someone has signed in), then runs it
//! through the contract ([`crate::contract::dispatch`]) and returns the
//! reply as JSON. What is the window's own is behind [`Window`]: files come
//! only from the native dialogs `choose_file` opens, each path granted to
//! one purpose and used once, and evidence opens in the system's viewer.

use crate::client::{Client, Probed};
use crate::contract::{self, Caller, TeamConnection, TeamServerState};
use crate::error::AppError;
use crate::files::{FileGrants, FilePurpose};
use crate::settings::{self, TeamServer};
use crate::store::Db;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use tauri::Manager;
use tauri::WebviewWindow;
use tauri_plugin_dialog::DialogExt;

/// Runs `command` of the contract with `args` (a JSON object): on this
/// computer's database, or, when the window is connected to a team server,
/// there ([`crate::client::forward`]). On a thread of its own: a command
/// may wait for the disk, a dialog or the network.
#[tauri::command(rename_all = "snake_case")]
pub async fn call(
    window: WebviewWindow,
    command: String,
    args: serde_json::Value,
) -> Result<tauri::ipc::Response, AppError> {
    tauri::async_runtime::spawn_blocking(move || {
        let db = window.state::<Db>();
        let caller = Window {
            window: &window,
            db: &db,
            grants: &window.state::<FileGrants>(),
            team: &window.state::<Team>(),
        };
        let language = contract::language(&db);
        let local = matches!(
            command.as_str(),
            "team_server" | "connect_team_server" | "disconnect_team_server"
        );
        let reply = match caller.team.client() {
            Some(client) if !local => {
                client.set_language(language);
                crate::client::forward(&client, &caller, &command, &args)
            }
            _ => {
                if command == "overview" {
                    super::overview_asked(window.app_handle());
                }
                let reply = contract::admit(&db, &command)
                    .and_then(|()| contract::dispatch(&caller, &command, &args));
                if command == "session" && db.signed_in().is_none() {
                    super::session_asked(window.app_handle());
                }
                reply
            }
        };
        reply
            .map(tauri::ipc::Response::new)
            .map_err(|error| AppError::in_language(error, language))
    })
    .await
    .map_err(|e| {
        AppError::in_language(
            crate::Error::Internal(e.to_string()),
            crate::words::Language::En,
        )
    })?
}

/// The team server the window is connected to, if any.
#[derive(Default)]
pub struct Team(Mutex<Option<Arc<Client>>>);

impl Team {
    fn client(&self) -> Option<Arc<Client>> {
        self.0.lock().ok().and_then(|c| c.clone())
    }

    fn set(&self, client: Option<Client>) {
        if let Ok(mut kept) = self.0.lock() {
            if let Some(old) = kept.take() {
                // The session on the server the window leaves ends there.
                if old.token().is_some() {
                    let _ = old.call("sign_out", &serde_json::json!({}));
                }
            }
            *kept = client.map(Arc::new);
        }
    }
}

/// The window as a caller of the contract.
struct Window<'a> {
    window: &'a WebviewWindow,
    db: &'a Db,
    grants: &'a FileGrants,
    team: &'a Team,
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

    fn team_server(&self) -> crate::Result<TeamServerState> {
        let remembered = settings::remembered_team_server(self.db)?;
        let connected = self.team.client().map(|client| {
            let url = client.url();
            TeamServer {
                fingerprint: remembered
                    .as_ref()
                    .filter(|server| server.url == url)
                    .and_then(|server| server.fingerprint.clone()),
                url,
            }
        });
        Ok(TeamServerState {
            connected,
            remembered,
        })
    }

    /// Connects to the server at `url` (the fingerprint the person trusted
    /// for it now, else the one remembered for that address) and
    /// remembers it for the next start.
    fn connect_team_server(
        &self,
        url: &str,
        fingerprint: Option<&str>,
    ) -> crate::Result<TeamConnection> {
        let url = url.trim().trim_end_matches('/');
        let remembered = settings::remembered_team_server(self.db)?
            .filter(|server| server.url == url)
            .and_then(|server| server.fingerprint);
        let pin = fingerprint.map(str::to_owned).or(remembered);
        match Client::probe(url, pin.as_deref(), contract::language(self.db))? {
            Probed::Untrusted { fingerprint } => Ok(TeamConnection::Untrusted {
                url: url.to_owned(),
                fingerprint,
            }),
            Probed::Connected(client) => {
                let server = TeamServer {
                    url: url.to_owned(),
                    fingerprint: pin,
                };
                settings::remember_team_server(self.db, Some(&server))?;
                // Nobody stays signed in to this computer's own database.
                crate::approval::sign_out(self.db)?;
                self.team.set(Some(client));
                Ok(TeamConnection::Connected { server })
            }
        }
    }

    fn disconnect_team_server(&self) -> crate::Result<()> {
        self.team.set(None);
        settings::remember_team_server(self.db, None)
    }
}
