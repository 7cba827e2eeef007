//! The command line's commands and arguments, declared once with clap. What
//! `--help` says comes from the word catalogue, in the terminal's language:
//! a command's text under `cli.help.cmd.<command>[.<subcommand>]`, an
//! argument's under its command's key and its name (falling back to the
//! parent command's, then `cli.help.arg.<name>`), the root's under
//! `cli.help`; a test walks every command and argument.

use crate::interchange;
use crate::store::{self};
use crate::words::{self, Language};
use clap::{Parser, Subcommand};
use std::path::PathBuf;

/// The command line: see [`command_in`] for its help.
#[derive(Debug, Parser)]
#[command(name = "tillit", version)]
pub struct Cli {
    #[arg(long, global = true, value_name = "PATH", env = store::DB_ENV_VAR)]
    pub db: Option<PathBuf>,

    #[arg(long, global = true, value_name = "FOLDER", env = "TILLIT_EVIDENCE")]
    pub evidence: Option<PathBuf>,

    #[arg(long, global = true, value_name = "USERNAME", env = "TILLIT_USER")]
    pub user: Option<String>,

    #[arg(long, global = true, value_name = "URL", env = "TILLIT_SERVER")]
    pub server: Option<String>,

    #[arg(
        long,
        global = true,
        value_name = "SHA256",
        env = "TILLIT_SERVER_FINGERPRINT"
    )]
    pub server_fingerprint: Option<String>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The headless commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    Info {
        #[arg(long)]
        json: bool,
    },
    Import {
        file: PathBuf,
        #[arg(long, value_enum)]
        format: Option<ImportFormat>,
        #[arg(long, value_name = "MIB", default_value_t = interchange::MAX_IMPORT_BYTES / (1024 * 1024))]
        max_size: u64,
    },
    #[command(subcommand)]
    Audit(AuditCommand),
    #[command(subcommand)]
    User(UserCommand),
    Evaluate {
        supplier: String,
        #[arg(long)]
        json: bool,
    },
    #[command(subcommand)]
    Report(ReportCommand),
    #[command(subcommand)]
    Questionnaire(QuestionnaireCommand),
    #[command(subcommand)]
    Dev(DevCommand),
    Backup {
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    Restore {
        file: PathBuf,
    },
    Serve {
        #[arg(long, value_name = "ADDRESS:PORT", default_value = "127.0.0.1:8443")]
        listen: std::net::SocketAddr,
        #[arg(long, value_name = "FILE", requires = "tls_key")]
        tls_cert: Option<PathBuf>,
        #[arg(long, value_name = "FILE", requires = "tls_cert")]
        tls_key: Option<PathBuf>,
        #[arg(long, value_name = "FOLDER", conflicts_with_all = ["tls_cert", "tls_key"])]
        init: Option<PathBuf>,
    },
    Call {
        #[arg(required_unless_present = "list")]
        command: Option<String>,
        #[arg(long, value_name = "JSON", conflicts_with = "args_file")]
        args: Option<String>,
        #[arg(long, value_name = "FILE")]
        args_file: Option<PathBuf>,
        #[arg(long)]
        list: bool,
    },
    MigrateStore {
        #[arg(long, value_name = "FILE")]
        from: PathBuf,
        #[arg(long, value_name = "URL")]
        to: String,
    },
    Export {
        #[arg(long, value_enum, default_value = "json")]
        format: ExportFormat,
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        #[arg(long, value_name = "YYYY-MM-DD")]
        ref_date: Option<chrono::NaiveDate>,
        #[arg(long)]
        draft: bool,
    },
}

/// What `tillit dev` does.
#[derive(Debug, Subcommand)]
pub enum DevCommand {
    Seed {
        #[arg(long, default_value_t = 10_000)]
        suppliers: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[arg(long, value_name = "DATE")]
        as_of: Option<chrono::NaiveDate>,
        #[arg(long, value_name = "N")]
        audit_entries: Option<u64>,
    },
}

/// What `tillit audit` does.
#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    Verify {
        #[arg(long, value_name = "FILE|SEQ:HASH")]
        anchor: Vec<String>,
    },
    Anchor {
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
}

/// Where and in which language a report is written.
#[derive(Debug, Clone, clap::Args)]
pub struct ReportOptions {
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    #[arg(long, value_name = "sv|en")]
    pub lang: Option<String>,
}

/// What `tillit report` writes.
#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    Assessment {
        supplier: String,
        #[command(flatten)]
        options: ReportOptions,
    },
    Register {
        #[arg(long, value_name = "name|tier|risk|next_review")]
        sort: Option<String>,
        #[command(flatten)]
        options: ReportOptions,
    },
    Summary {
        #[command(flatten)]
        options: ReportOptions,
    },
    Verify {
        file: PathBuf,
    },
}

/// What `tillit questionnaire` does.
#[derive(Debug, Subcommand)]
pub enum QuestionnaireCommand {
    Send {
        supplier: String,
        #[arg(long, value_name = "YYYY-MM-DD")]
        deadline: chrono::NaiveDate,
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        #[arg(long, value_name = "sv|en")]
        lang: Option<String>,
    },
    Receive {
        file: PathBuf,
        #[arg(long)]
        supplier: Option<String>,
        #[arg(long)]
        replace: bool,
    },
}

/// What `tillit user` does.
#[derive(Debug, Subcommand)]
pub enum UserCommand {
    Add {
        username: String,
        #[arg(long)]
        name: String,
        #[arg(long = "role", value_name = "ROLE")]
        roles: Vec<String>,
    },
    List,
}

/// The formats `tillit import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ImportFormat {
    Json,
    Csv,
}

/// The formats `tillit export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    Json,
    DoraRoi,
}

/// The command line with its help in `language`, from the catalogue.
pub fn command_in(language: Language) -> clap::Command {
    use clap::CommandFactory;
    let say = |key: &str| words::phrase(language, key).to_owned();
    localise(Cli::command(), language, "cli.help", "cli.help.cmd", None)
        .disable_version_flag(true)
        .arg(
            clap::Arg::new("version")
                .long("version")
                .short('V')
                .action(clap::ArgAction::Version)
                .help(say("cli.help.builtin.version"))
                .help_heading(words::entry(language, "cli.help.heading.options").unwrap_or("")),
        )
}

/// `command` and everything below it with the catalogue's words: `key` is
/// the command's own text, `children` the prefix of its subcommands', and
/// `parent` the command above (for arguments it shares, such as --out).
fn localise(
    command: clap::Command,
    language: Language,
    key: &str,
    children: &str,
    parent: Option<&str>,
) -> clap::Command {
    let say = |key: &str| words::phrase(language, key).to_owned();
    let known = |key: &str| words::entry(language, key).is_some();
    let options = words::entry(language, "cli.help.heading.options").unwrap_or("");
    let arguments = words::entry(language, "cli.help.heading.arguments").unwrap_or("");
    let template = format!(
        "{{before-help}}{{about-with-newline}}\n{} {{usage}}\n\n{{all-args}}{{after-help}}",
        say("cli.help.heading.usage")
    );
    let mut command = command
        .about(say(key))
        .long_about(None)
        .help_template(template)
        .subcommand_help_heading(words::entry(language, "cli.help.heading.commands").unwrap_or(""))
        .disable_help_flag(true)
        .disable_help_subcommand(true)
        .arg(
            clap::Arg::new("help")
                .long("help")
                .short('h')
                .action(clap::ArgAction::Help)
                .help(say("cli.help.builtin.help"))
                .help_heading(options),
        );
    let ids: Vec<(String, bool)> = command
        .get_arguments()
        .filter(|a| a.get_id() != "help")
        .map(|a| (a.get_id().to_string(), a.is_positional()))
        .collect();
    for (id, positional) in ids {
        let text = [
            Some(format!("{key}.{id}")),
            parent.map(|p| format!("{p}.{id}")),
            Some(format!("cli.help.arg.{id}")),
        ]
        .into_iter()
        .flatten()
        .find(|k| known(k))
        .map_or_else(String::new, |k| say(&k));
        let heading = if positional { arguments } else { options };
        command = command.mut_arg(&id, |arg| {
            arg.help(text).long_help(None).help_heading(heading)
        });
    }
    let names: Vec<String> = command
        .get_subcommands()
        .map(|c| c.get_name().to_owned())
        .collect();
    for name in names {
        let own = format!("{children}.{name}");
        command =
            command.mut_subcommand(&name, |sub| localise(sub, language, &own, &own, Some(key)));
    }
    command
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every command and argument has its help in both languages: a text of
    /// the catalogue, never a key and never empty; and the two differ.
    #[test]
    fn every_command_and_argument_has_its_help_in_english_and_swedish() {
        fn texts(command: &clap::Command, path: &str, out: &mut Vec<(String, String)>) {
            let about = command
                .get_about()
                .map(ToString::to_string)
                .unwrap_or_default();
            out.push((path.to_owned(), about));
            for arg in command.get_arguments() {
                let help = arg.get_help().map(ToString::to_string).unwrap_or_default();
                out.push((format!("{path} --{}", arg.get_id()), help));
            }
            for sub in command.get_subcommands() {
                texts(sub, &format!("{path} {}", sub.get_name()), out);
            }
        }
        let mut english = Vec::new();
        let mut swedish = Vec::new();
        texts(&command_in(Language::En), "tillit", &mut english);
        texts(&command_in(Language::Sv), "tillit", &mut swedish);
        assert!(english.len() > 40, "the tree was walked: {english:?}");
        assert_eq!(english.len(), swedish.len());
        for ((path, en), (_, sv)) in english.iter().zip(&swedish) {
            assert!(
                !en.is_empty() && !en.starts_with("cli.help"),
                "{path}: {en:?}"
            );
            assert!(
                !sv.is_empty() && !sv.starts_with("cli.help"),
                "{path}: {sv:?}"
            );
            assert_ne!(en, sv, "{path} is not translated");
        }
    }
}
