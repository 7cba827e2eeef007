//! The command line's commands, arguments and help, declared once with clap.

use crate::interchange;
use crate::store::{self};
use clap::{Parser, Subcommand};
use std::path::PathBuf;

/// Tillit: supplier risk assessment with a two-step assessment, binding
/// data-transfer rules, management approval, a tamper-evident audit trail and
/// PDF reports. With no command, opens the Tillit window.
#[derive(Debug, Parser)]
#[command(name = "tillit", version)]
pub struct Cli {
    /// The database file [default: tillit.db in the app-data folder]
    #[arg(long, global = true, value_name = "PATH", env = store::DB_ENV_VAR)]
    pub db: Option<PathBuf>,

    /// Sign in as this user, for commands that change the database or export;
    /// the password is read from TILLIT_PASSWORD, else from standard input
    #[arg(long, global = true, value_name = "USERNAME", env = "TILLIT_USER")]
    pub user: Option<String>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The headless commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Show the database file, its schema version and the rows in each table
    Info {
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// Import a register file (.json) or a CSV of suppliers (.csv): all or nothing
    Import {
        /// The file to import
        file: PathBuf,
        /// The file's format [default: from its extension]
        #[arg(long, value_enum)]
        format: Option<ImportFormat>,
        /// The largest file read, in MiB; a larger one is refused unread
        #[arg(long, value_name = "MIB", default_value_t = interchange::MAX_IMPORT_BYTES / (1024 * 1024))]
        max_size: u64,
    },
    /// The audit trail
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Users: on a new database, create the administrator
    #[command(subcommand)]
    User(UserCommand),
    /// Print the summary of a supplier's latest assessment
    Evaluate {
        /// The supplier: its id, registration number or legal name
        supplier: String,
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// Write a PDF report: the assessment report of one supplier, the
    /// supplier register, or the review summary to share with customers.
    /// Needs a user who may export; the report is recorded in the audit trail
    /// with its SHA-256
    #[command(subcommand)]
    Report(ReportCommand),
    /// Generated data for demonstrations and benchmarks
    #[command(subcommand)]
    Dev(DevCommand),
    /// Write a backup of the whole database (SQLite's online backup API):
    /// checked for integrity and recorded in the audit trail with its
    /// SHA-256. Needs an administrator
    Backup {
        /// The backup file to write
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Replace the database with a backup, after checking the backup's
    /// integrity and audit trail; the current database is kept aside as
    /// <database>.before-restore-<time>. Needs an administrator
    Restore {
        /// The backup file to restore
        file: PathBuf,
    },
    /// Run any command of the contract, as the window does: the arguments
    /// a JSON object, the reply printed as JSON. Signs in with --user for
    /// every command but the ones the sign-in page uses. A refusal is
    /// printed as JSON {code, message, field} on standard error
    Call {
        /// The command (see --list)
        #[arg(required_unless_present = "list")]
        command: Option<String>,
        /// The arguments, a JSON object such as '{"id": "…"}'
        #[arg(long, value_name = "JSON", conflicts_with = "args_file")]
        args: Option<String>,
        /// Read the arguments from this file ("-": standard input)
        #[arg(long, value_name = "FILE")]
        args_file: Option<PathBuf>,
        /// List every command with its arguments and reply
        #[arg(long)]
        list: bool,
    },
    /// Export the whole register
    Export {
        /// The format to write
        #[arg(long, value_enum, default_value = "json")]
        format: ExportFormat,
        /// Write to this file instead of standard output
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
}

/// What `tillit dev` does.
#[derive(Debug, Subcommand)]
pub enum DevCommand {
    /// Fill a new database with a generated register: suppliers with
    /// services, risks, subcontractors, evidence and assessments in every
    /// state, dated over three years up to --as-of. Creates the users admin,
    /// olivia (procurement officer) and magnus (management) with the password
    /// read from TILLIT_NEW_PASSWORD or standard input. The same seed and
    /// date give the same register
    Seed {
        /// How many suppliers
        #[arg(long, default_value_t = 10_000)]
        suppliers: usize,
        /// The seed of the generator
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// The day the register is as of (YYYY-MM-DD) [default: today]
        #[arg(long, value_name = "DATE")]
        as_of: Option<chrono::NaiveDate>,
        /// Then grow the audit trail to this many entries with officers' edits
        #[arg(long, value_name = "N")]
        audit_entries: Option<u64>,
    },
}

/// What `tillit audit` does.
#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Recompute the hash chain, compare every recorded row with it, and name
    /// the first entry and the rows that do not match (exit status 1)
    Verify,
}

/// Where and in which language a report is written.
#[derive(Debug, Clone, clap::Args)]
pub struct ReportOptions {
    /// The PDF file to write [default: Tillit-<report>-<date>.pdf in the current folder]
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// The language of the report [default: the language chosen in the app, else en]
    #[arg(long, value_name = "sv|en")]
    pub lang: Option<String>,
}

/// What `tillit report` writes.
#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// The assessment report of one supplier
    Assessment {
        /// The supplier: its id, registration number or legal name
        supplier: String,
        #[command(flatten)]
        options: ReportOptions,
    },
    /// Every supplier with tier, status, exposure, highest residual risk,
    /// last decision and next review (overdue reviews marked)
    Register {
        #[command(flatten)]
        options: ReportOptions,
    },
    /// The review summary to share with customers: counts only
    Summary {
        #[command(flatten)]
        options: ReportOptions,
    },
}

/// What `tillit user` does.
#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a user. On a database without users this creates the
    /// administrator (no --user needed); afterwards an administrator signs in
    /// with --user. The new user's password is read like the signing-in one,
    /// from TILLIT_NEW_PASSWORD or standard input.
    Add {
        /// The user name to sign in with
        username: String,
        /// The person's name, as decisions show it
        #[arg(long)]
        name: String,
        /// A role (repeat for several): procurement_officer, management, administrator, auditor
        #[arg(long = "role", value_name = "ROLE")]
        roles: Vec<String>,
    },
    /// List the users
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
}
