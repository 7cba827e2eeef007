//! The Tauri commands. Their names are listed in `ipc_commands.rs` and their
//! types declared in `ipc.rs`; each is one call into the core. Arguments keep
//! their snake_case names on the IPC, as the generated contract declares them.

use crate::error::AppError;
use crate::ipc::AppInfo;
use crate::settings::{self, Language, UiSettings};
use crate::store::Db;
use tauri::State;

#[tauri::command(rename_all = "snake_case")]
pub async fn app_info(db: State<'_, Db>) -> Result<AppInfo, AppError> {
    Ok(crate::ipc::app_info(&db)?)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn get_ui_settings(db: State<'_, Db>) -> Result<UiSettings, AppError> {
    Ok(db.read(settings::ui_settings)?)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn set_language(db: State<'_, Db>, language: Language) -> Result<UiSettings, AppError> {
    Ok(settings::choose_language(&db, language)?)
}
