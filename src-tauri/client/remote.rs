//! The contract's commands run against a team server from a client that has
//! the person's files: the desktop, the command line. Most commands go to
//! the server as they are. The ones that name a file on this computer are
//! turned into the contract's file-carrying commands: the file chosen here
//! is read here and sent whole (an import, an evidence document, a report
//! to check), and what the server makes (a report, the register file, a
//! backup, an evidence document to open) comes back whole and is written
//! here, through the same checks as a file written locally. What belongs to
//! this computer (its dialogs, the language of its window) stays here.

use super::Client;
use crate::contract::{self, Caller};
use crate::error::{Error, Refusal, Result};
use crate::files::{FileContent, FilePurpose};
use serde::de::DeserializeOwned;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

/// The largest file sent to the server or opened from it, as locally.
const MAX_FILE_BYTES: u64 = crate::interchange::MAX_IMPORT_BYTES;

/// Runs `command` with `args` against the server of `client`, with
/// `local` for the files and dialogs of this computer; the reply as JSON.
pub fn forward(client: &Client, local: &dyn Caller, command: &str, args: &Value) -> Result<String> {
    match command {
        // This computer's own: its dialogs and the language of its window.
        "choose_file" | "get_ui_settings" | "set_language" | "list_countries" => {
            contract::dispatch(local, command, args)
        }
        "session" => {
            let mut session: Value = parse(&client.call(command, args)?)?;
            let language = crate::settings::ui_settings(local.db())?.language;
            session["language"] = serde_json::to_value(language).map_err(internal)?;
            text(&session)
        }
        "import_file" => {
            let path = local.chosen_file(FilePurpose::Import, &string(args, "path")?)?;
            let file = FileContent {
                name: file_name(&path),
                content: crate::interchange::read_import(&path, MAX_FILE_BYTES)?,
            };
            client.call("import_content", &json!({ "file": file }))
        }
        "add_evidence" => {
            let file = match args.get("file").and_then(Value::as_str) {
                Some(path) => Some(FileContent::read(
                    &local.chosen_file(FilePurpose::Evidence, path)?,
                    MAX_FILE_BYTES,
                )?),
                None => None,
            };
            client.call(
                "add_evidence_content",
                &json!({ "supplier_id": args.get("supplier_id"), "fields": args.get("fields"), "file": file }),
            )
        }
        "export_register" => {
            let target = local.chosen_file(FilePurpose::Export, &string(args, "path")?)?;
            let file: FileContent = parse(&client.call("export_register_content", &json!({}))?)?;
            write(local, &target, &file.content)?;
            Ok("null".to_owned())
        }
        "export_dora" => {
            let target = local.chosen_file(FilePurpose::Export, &string(args, "path")?)?;
            let mut args = args.clone();
            if let Some(map) = args.as_object_mut() {
                map.remove("path");
            }
            let sent: crate::dora::DoraContent = parse(&client.call("dora_content", &args)?)?;
            write(local, &target, &sent.file.content)?;
            let mut export = sent.export;
            if let Some(name) = target.file_name() {
                export.file_name = name.to_string_lossy().into_owned();
            }
            text(&export)
        }
        "send_questionnaire" => {
            let target = local.chosen_file(FilePurpose::Questionnaire, &string(args, "path")?)?;
            let mut args = args.clone();
            if let Some(map) = args.as_object_mut() {
                map.remove("path");
            }
            let sent: crate::questionnaire::Sent =
                parse(&client.call("questionnaire_content", &args)?)?;
            write(local, &target, &sent.file.content)?;
            text(&sent.questionnaire)
        }
        "receive_questionnaire" => {
            let path = local.chosen_file(FilePurpose::Answers, &string(args, "path")?)?;
            let file = FileContent {
                name: file_name(&path),
                content: crate::interchange::read_import(&path, MAX_FILE_BYTES)?,
            };
            client.call(
                "receive_questionnaire_content",
                &json!({ "file": file, "expected": args.get("expected"), "replace": args.get("replace") }),
            )
        }
        "save_report" => {
            let target = local.chosen_file(FilePurpose::Report, &string(args, "path")?)?;
            let mut args = args.clone();
            if let Some(map) = args.as_object_mut() {
                map.remove("path");
            }
            let mut issued: crate::report::IssuedReport =
                parse(&client.call("report_content", &args)?)?;
            write(local, &target, &issued.file.content)?;
            issued.report.path = target.display().to_string();
            text(&issued.report)
        }
        "open_report" => {
            let path = PathBuf::from(string(args, "path")?);
            let file = FileContent::read(&path, MAX_FILE_BYTES)?;
            let check: crate::report::check::ReportCheck =
                parse(&client.call("check_report_content", &json!({ "file": file }))?)?;
            if check.issued.is_none() || !check.unchanged {
                return Err(Refusal::new("refusal.not_an_issued_report")
                    .with("path", path.display())
                    .into());
            }
            local.show_file(&path)?;
            Ok("null".to_owned())
        }
        "open_evidence" => {
            let file: FileContent = parse(&client.call("evidence_content", args)?)?;
            let path = opened_copy(&file)?;
            local.show_file(&path)?;
            Ok("null".to_owned())
        }
        "backup_database" => {
            let target = local.chosen_file(FilePurpose::Backup, &string(args, "path")?)?;
            let backup: contract::BackupContent =
                parse(&client.call("backup_content", &json!({}))?)?;
            write(local, &target, &backup.file.content)?;
            let mut summary = backup.summary;
            summary.path = target.display().to_string();
            text(&summary)
        }
        "restore_database" => Err(Refusal::new("refusal.restore_on_server").into()),
        _ => client.call(command, args),
    }
}

/// Writes a file the server sent to `target`, chosen on this computer:
/// never over this computer's own database, through a new temporary file.
fn write(local: &dyn Caller, target: &Path, bytes: &[u8]) -> Result<()> {
    crate::files::save(target, &local.db().protected(), bytes)
}

/// An evidence document fetched to be opened: kept in this computer's
/// cache under its SHA-256 and its name made safe.
fn opened_copy(file: &FileContent) -> Result<PathBuf> {
    let folder = dirs::cache_dir()
        .unwrap_or_else(std::env::temp_dir)
        .join("tillit")
        .join("evidence")
        .join(crate::audit::sha256_hex(&file.content));
    std::fs::create_dir_all(&folder).map_err(|e| Error::io(&folder, e))?;
    let name: String = file_name(&file.name_only())
        .chars()
        .map(|c| {
            if c.is_control() || c == '/' || c == '\\' {
                '_'
            } else {
                c
            }
        })
        .collect();
    let name = match name.trim_start_matches('.') {
        "" => "evidence".to_owned(),
        name => name.to_owned(),
    };
    let path = folder.join(name);
    crate::files::write_new(&path, |_, out| {
        std::io::Write::write_all(out, &file.content).map_err(|e| Error::io(&path, e))
    })?;
    Ok(path)
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn string(args: &Value, name: &str) -> Result<String> {
    args.get(name)
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| {
            Error::invalid(
                name,
                crate::error::ValidationCode::Required,
                "is missing or not text",
            )
        })
}

fn parse<T: DeserializeOwned>(reply: &str) -> Result<T> {
    serde_json::from_str(reply).map_err(internal)
}

fn text<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(internal)
}

fn internal(e: serde_json::Error) -> Error {
    Error::Internal(format!("the server's reply: {e}"))
}
