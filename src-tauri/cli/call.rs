//! `tillit call`: any command of the contract from the command line, the
//! arguments as JSON, the reply printed as JSON.

use super::{opened, sign_in};
use crate::error::Refusal;
use crate::error::{Error, Result};
use crate::interchange;
use crate::store::Db;
use serde_json::json;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Runs `tillit call` on the database at `path`, signed in as `user` for
/// every command but the sign-in page's own; `list` prints the commands.
pub(super) fn run(
    at: &super::Opening,
    user: Option<&str>,
    command: Option<String>,
    args: Option<String>,
    args_file: Option<PathBuf>,
    list: bool,
    out: &mut impl Write,
) -> Result<()> {
    if list {
        return write_commands(out).map_err(|e| Error::io("standard output", e));
    }
    let command = command.unwrap_or_default();
    let args = call_arguments(args, args_file)?;
    let access = crate::contract::access(&command);
    let db = if command == "create_first_administrator" {
        at.open()?
    } else {
        at.existing()?
    };
    opened(&db)?;
    if access == Some(crate::contract::Access::SignedIn) {
        sign_in(&db, user, "this command")?;
    }
    crate::contract::admit(&db, &command)?;
    let reply = crate::contract::dispatch(&CommandLine(&db), &command, &args)?;
    let value: serde_json::Value =
        serde_json::from_str(&reply).map_err(|e| Error::Internal(e.to_string()))?;
    let text = serde_json::to_string_pretty(&value).map_err(|e| Error::Internal(e.to_string()))?;
    writeln!(out, "{text}").map_err(|e| Error::io("standard output", e))
}

/// The command line as a caller of the contract: files are the paths given
/// (checked like every file Tillit reads or writes); there are no dialogs
/// and no viewer.
pub(super) struct CommandLine<'a>(pub(super) &'a Db);

impl crate::contract::Caller for CommandLine<'_> {
    fn db(&self) -> &Db {
        self.0
    }

    fn chosen_file(&self, _: crate::files::FilePurpose, path: &str) -> Result<PathBuf> {
        Ok(PathBuf::from(path))
    }
}

/// The arguments of `tillit call`: `--args`, else `--args-file` (`-` for
/// standard input), else none.
fn call_arguments(args: Option<String>, file: Option<PathBuf>) -> Result<serde_json::Value> {
    let text = match (args, file) {
        (Some(text), _) => text,
        (None, Some(file)) if file.as_os_str() == "-" => {
            let mut text = String::new();
            std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)
                .map_err(|e| Error::io("standard input", e))?;
            text
        }
        (None, Some(file)) => String::from_utf8(interchange::read_import(&file, 16 * 1024 * 1024)?)
            .map_err(|_| {
                Error::invalid(
                    "args",
                    crate::error::ValidationCode::Format,
                    "is not UTF-8 text",
                )
            })?,
        (None, None) => return Ok(serde_json::json!({})),
    };
    serde_json::from_str(&text).map_err(|e| {
        Error::invalid(
            "args",
            crate::error::ValidationCode::Format,
            format!("is not JSON: {e}"),
        )
    })
}

/// `tillit call --list`: each command with its arguments and reply, as
/// TypeScript names their types, and who may call it.
fn write_commands(out: &mut impl Write) -> std::io::Result<()> {
    for command in crate::contract::commands() {
        let args: Vec<String> = command
            .args
            .iter()
            .map(|(name, ty)| format!("{name}: {ty}"))
            .collect();
        let access = match command.access {
            crate::contract::Access::Open => "  (before signing in too)",
            crate::contract::Access::SignedIn => "",
        };
        writeln!(
            out,
            "{}({}) -> {}{access}",
            command.name,
            args.join(", "),
            command.reply
        )?;
    }
    Ok(())
}

/// A command of the command line against the team server at `server`,
/// signed in as `user` when the command needs it (the password from
/// TILLIT_PASSWORD or standard input). `tillit call` runs any command there
/// as it does on a file; `import`, `export`, `backup`, `report` (and
/// `report verify`), `audit verify`, `user list`, `user add` and `info` do
/// what they do on a file and print the same; their files travel whole
/// ([`crate::client::forward`]). What works on a database file itself
/// (restore, anchors, generating a register, serving) says so.
pub(super) fn over_server(
    server: &str,
    fingerprint: Option<&str>,
    user: Option<&str>,
    command: super::Command,
    language: crate::words::Language,
    out: &mut impl Write,
) -> Result<()> {
    use super::{AuditCommand, Command, ReportCommand, UserCommand};
    if let Command::Call { list: true, .. } = command {
        return write_commands(out).map_err(|e| Error::io("standard output", e));
    }
    let client = crate::client::Client::connect(server, fingerprint, language)?;
    // This computer has no database of its own here: the files written are
    // checked against none, and the language is the terminal's.
    let local = Db::open_in_memory()?;
    let remote = Remote {
        client: &client,
        here: CommandLine(&local),
        user,
        signed_in: std::cell::Cell::new(false),
    };
    let done = (|| match command {
        Command::Call {
            command,
            args,
            args_file,
            ..
        } => {
            let value = remote.call(
                &command.unwrap_or_default(),
                call_arguments(args, args_file)?,
            )?;
            let text =
                serde_json::to_string_pretty(&value).map_err(|e| Error::Internal(e.to_string()))?;
            writeln!(out, "{text}").map_err(|e| Error::io("standard output", e))
        }
        Command::Import { file, .. } => {
            let summary = remote.call("import_file", json!({ "path": path_text(&file)? }))?;
            super::write_imported(&parse(summary)?, &file, out)
        }
        Command::Backup { out: file } => {
            let backup = remote.call("backup_database", json!({ "path": path_text(&file)? }))?;
            super::write_backup(&parse(backup)?, out)
        }
        Command::Export {
            out: Some(target), ..
        } => remote
            .call("export_register", json!({ "path": path_text(&target)? }))
            .map(|_| ()),
        Command::Export { out: None, .. } => {
            let file: crate::files::FileContent =
                parse(remote.call("export_register_content", json!({}))?)?;
            out.write_all(&file.content)
                .and_then(|()| out.flush())
                .map_err(|e| Error::io("standard output", e))
        }
        Command::Report(ReportCommand::Verify { file }) => {
            let file =
                crate::files::FileContent::read(&file, crate::interchange::MAX_IMPORT_BYTES)?;
            let check = remote.call("check_report_content", json!({ "file": file }))?;
            super::report_checked(&parse(check)?, out)
        }
        Command::Report(command) => {
            let (kind, supplier, options, sort) = match command {
                ReportCommand::Assessment { supplier, options } => {
                    ("assessment", Some(supplier), options, None)
                }
                ReportCommand::Register { options, sort } => ("register", None, options, sort),
                ReportCommand::Summary { options } => ("summary", None, options, None),
                ReportCommand::Verify { .. } => unreachable!("answered above"),
            };
            let order = sort.map(|text| super::register_order(&text)).transpose()?;
            let report_language = match &options.lang {
                Some(code) => code.parse()?,
                None => language,
            };
            let supplier = match supplier {
                Some(text) => Some(remote.call("find_supplier", json!({ "text": text }))?),
                None => None,
            };
            let file = match options.out {
                Some(file) => file,
                None => PathBuf::from(parse::<String>(remote.call(
                    "report_file_name",
                    json!({ "kind": kind, "supplier_id": supplier }),
                )?)?),
            };
            let saved = remote.call(
                "save_report",
                json!({ "kind": kind, "supplier_id": supplier, "language": report_language,
                        "order": order, "path": path_text(&file)? }),
            )?;
            super::write_saved_report(&parse(saved)?, out)
        }
        Command::Questionnaire(command) => {
            super::questionnaire(command, language, |name, args| remote.call(name, args), out)
        }
        Command::Audit(AuditCommand::Verify { anchor }) if anchor.is_empty() => {
            let verification = remote.call("verify_audit", json!({}))?;
            super::write_verification(&parse(verification)?, &[], out)
        }
        Command::User(UserCommand::List) => super::write_users(
            &parse::<Vec<_>>(remote.call("list_users", json!({}))?)?,
            out,
        ),
        Command::User(UserCommand::Add {
            username,
            name,
            roles,
        }) => {
            let roles = super::parse_roles(&roles)?;
            let password = super::read_password(
                "TILLIT_NEW_PASSWORD",
                &format!("new password of {username}"),
            )?;
            let user = json!({ "username": username, "display_name": name, "roles": roles, "password": password });
            let created = remote.call("create_user", json!({ "user": user }))?;
            super::write_created_user(&parse(created)?, out)
        }
        Command::Info { json } => {
            let info: crate::contract::AppInfo = parse(remote.call("app_info", json!({}))?)?;
            super::print_info(&info.database, json, out)
        }
        other => {
            let name = format!("{other:?}");
            let name = name
                .split([' ', '(', '{'])
                .next()
                .unwrap_or_default()
                .to_lowercase();
            Err(Refusal::new("refusal.cli_not_over_server")
                .with("command", name)
                .into())
        }
    })();
    if client.token().is_some() {
        let _ = client.call("sign_out", &json!({}));
    }
    done
}

/// The server, reached from the command line: each command signed in
/// first when it needs it, its files read and written here.
struct Remote<'a> {
    client: &'a crate::client::Client,
    here: CommandLine<'a>,
    user: Option<&'a str>,
    signed_in: std::cell::Cell<bool>,
}

impl Remote<'_> {
    fn call(&self, command: &str, args: serde_json::Value) -> Result<serde_json::Value> {
        let needs_user =
            crate::contract::access(command) == Some(crate::contract::Access::SignedIn);
        if needs_user && !self.signed_in.get() {
            let user = self.user.ok_or(Error::NotSignedIn("this command"))?;
            let password = super::read_password("TILLIT_PASSWORD", &format!("password of {user}"))?;
            self.client.sign_in(user, &password)?;
            self.signed_in.set(true);
        }
        let reply = crate::client::forward(self.client, &self.here, command, &args)?;
        serde_json::from_str(&reply).map_err(|e| Error::Internal(e.to_string()))
    }
}

fn parse<T: serde::de::DeserializeOwned>(value: serde_json::Value) -> Result<T> {
    serde_json::from_value(value).map_err(|e| Error::Internal(e.to_string()))
}

fn path_text(path: &Path) -> Result<&str> {
    path.to_str().ok_or_else(|| {
        Refusal::new("refusal.path_not_utf8")
            .with("path", path.display())
            .into()
    })
}
