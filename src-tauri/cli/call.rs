//! `tillit call`: any command of the contract from the command line, the
//! arguments as JSON, the reply printed as JSON.

use super::{opened, sign_in};
use crate::error::Refusal;
use crate::error::{Error, Result};
use crate::interchange;
use crate::store::Db;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Runs `tillit call` on the database at `path`, signed in as `user` for
/// every command but the sign-in page's own; `list` prints the commands.
pub(super) fn run(
    path: &Path,
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
        Db::open(path)?
    } else {
        Db::open_existing(path)?
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
struct CommandLine<'a>(&'a Db);

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
/// signed in as `user` (the password from TILLIT_PASSWORD or standard
/// input): `tillit call` runs any command there as it does on a file, and
/// `import`, `export` and `backup` send or fetch their files whole
/// ([`crate::client::forward`]); the commands that work on a database file
/// itself say so.
pub(super) fn over_server(
    server: &str,
    fingerprint: Option<&str>,
    user: Option<&str>,
    command: super::Command,
    language: crate::words::Language,
    out: &mut impl Write,
) -> Result<()> {
    use super::Command;
    let (name, args) = match command {
        Command::Call { list: true, .. } => {
            return write_commands(out).map_err(|e| Error::io("standard output", e))
        }
        Command::Call {
            command,
            args,
            args_file,
            ..
        } => (
            command.unwrap_or_default(),
            call_arguments(args, args_file)?,
        ),
        Command::Import { file, .. } => (
            "import_file".to_owned(),
            serde_json::json!({ "path": path_text(&file)? }),
        ),
        Command::Backup { out } => (
            "backup_database".to_owned(),
            serde_json::json!({ "path": path_text(&out)? }),
        ),
        Command::Export {
            out: Some(target), ..
        } => (
            "export_register".to_owned(),
            serde_json::json!({ "path": path_text(&target)? }),
        ),
        other => {
            let name = format!("{other:?}");
            let name = name
                .split([' ', '(', '{'])
                .next()
                .unwrap_or_default()
                .to_lowercase();
            return Err(Refusal::new("refusal.cli_not_over_server")
                .with("command", name)
                .into());
        }
    };
    let client = crate::client::Client::connect(server, fingerprint, language)?;
    if crate::contract::access(&name) == Some(crate::contract::Access::SignedIn) {
        let user = user.ok_or(Error::NotSignedIn("this command"))?;
        let password = super::read_password("TILLIT_PASSWORD", &format!("password of {user}"))?;
        client.sign_in(user, &password)?;
    }
    // This computer has no database of its own here: the files written are
    // checked against none, and the language is the terminal's.
    let local = Db::open_in_memory()?;
    let reply = crate::client::forward(&client, &CommandLine(&local), &name, &args);
    if client.token().is_some() && name != "sign_out" {
        let _ = client.call("sign_out", &serde_json::json!({}));
    }
    let value: serde_json::Value =
        serde_json::from_str(&reply?).map_err(|e| Error::Internal(e.to_string()))?;
    let text = serde_json::to_string_pretty(&value).map_err(|e| Error::Internal(e.to_string()))?;
    writeln!(out, "{text}").map_err(|e| Error::io("standard output", e))
}

fn path_text(path: &Path) -> Result<&str> {
    path.to_str().ok_or_else(|| {
        Refusal::new("refusal.path_not_utf8")
            .with("path", path.display())
            .into()
    })
}
