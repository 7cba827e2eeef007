//! The command line: `tillit` with no subcommand opens the window;
//! `tillit <subcommand>` works headless on the same core and database.

mod call;

use crate::assessment::workflow;
use crate::error::{Error, Result};
use crate::interchange;
use crate::store::{self, Db, DbInfo};
use clap::{Parser, Subcommand};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

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

/// The password for `purpose`: from the environment variable `var`, else
/// the first line of standard input.
fn read_password(var: &str, purpose: &str) -> Result<String> {
    if let Ok(password) = std::env::var(var) {
        return Ok(password);
    }
    eprint!("tillit: {purpose}: ");
    let mut line = String::new();
    std::io::stdin()
        .read_line(&mut line)
        .map_err(|e| Error::io("stdin", e))?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

/// Signs in the user named by `--user` (the password from TILLIT_PASSWORD or stdin).
fn sign_in(db: &Db, user: Option<&str>, what: &'static str) -> Result<()> {
    let user = user.ok_or(Error::NotSignedIn(what))?;
    let password = read_password("TILLIT_PASSWORD", &format!("password of {user}"))?;
    crate::approval::sign_in(db, user, &password)?;
    Ok(())
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

/// The entry point of the `tillit` binary.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let json_errors = matches!(cli.command, Some(Command::Call { .. }));
    match cli.command {
        None => open_window(cli.db),
        Some(command) => match run(
            command,
            cli.db.as_deref(),
            cli.user.as_deref(),
            &mut std::io::stdout().lock(),
        ) {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) if json_errors => {
                let code = exit_code(&error);
                let reply = crate::error::AppError::from(error);
                eprintln!(
                    "{}",
                    serde_json::to_string(&reply).unwrap_or_else(|_| reply.message.clone())
                );
                code
            }
            Err(error) => {
                eprintln!("tillit: {}", printable(&error.to_string()));
                // Every row and field at fault, one a line, so a whole import can be fixed at once.
                if error.field_errors().len() > 1 {
                    for e in error.field_errors() {
                        eprintln!("  {}", printable(&e.to_string()));
                    }
                }
                exit_code(&error)
            }
        },
    }
}

/// Exit status 2 for what the user can correct (bad input, the wrong file),
/// 1 for everything else.
pub fn exit_code(error: &Error) -> ExitCode {
    match error {
        Error::Invalid(_)
        | Error::NotFound { .. }
        | Error::NotAllowed(_)
        | Error::NotSignedIn(_)
        | Error::Forbidden { .. }
        | Error::WrongPassword
        | Error::DatabaseTooNew { .. }
        | Error::NotATillitDatabase { .. }
        | Error::DatabaseMissing(_)
        | Error::BackupRefused { .. }
        | Error::LockedOut { .. }
        | Error::ReadOnly => ExitCode::from(2),
        _ => ExitCode::FAILURE,
    }
}

/// `text` as it may reach a terminal: control characters (but line breaks
/// and tabs) and characters that reorder text are written as `\u{…}`
/// escapes, so nothing stored in the database can move the cursor, clear
/// the screen or make a line read differently from what it holds.
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    let unsafe_char = |c: char| c == '\r' || crate::text::is_unsafe_char(c, true);
    if !text.chars().any(unsafe_char) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut clean = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if unsafe_char(c) {
            clean.push_str(&c.escape_unicode().to_string());
        } else {
            clean.push(c);
        }
    }
    std::borrow::Cow::Owned(clean)
}

/// A writer that passes text on through [`printable`].
struct Printable<'w, W: Write>(&'w mut W);

impl<W: Write> Write for Printable<'_, W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let text = String::from_utf8_lossy(buf);
        self.0.write_all(printable(&text).as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}

/// Runs one headless command, writing its output to `out`. What it prints
/// for people goes through [`printable`]; a register file written to `out`
/// is JSON, which escapes control characters itself, and goes out as is.
pub fn run(
    command: Command,
    db: Option<&Path>,
    user: Option<&str>,
    raw: &mut impl Write,
) -> Result<()> {
    let path = store::resolve_path(db)?;
    let out = &mut Printable(raw);
    match command {
        Command::Info { json } => {
            let db = Db::open_read_only(&path)?;
            opened(&db)?;
            let info = db.info()?;
            if json {
                let text = serde_json::to_string_pretty(&info)
                    .map_err(|e| Error::Internal(e.to_string()))?;
                writeln!(out, "{text}").map_err(|e| Error::io("stdout", e))
            } else {
                write_info(&info, out).map_err(|e| Error::io("stdout", e))
            }
        }
        Command::Import {
            file,
            format,
            max_size,
        } => {
            let format = match format {
                Some(ImportFormat::Json) => interchange::ImportFormat::Json,
                Some(ImportFormat::Csv) => interchange::ImportFormat::Csv,
                None => interchange::ImportFormat::of(&file)?,
            };
            let db = Db::open_existing(&path)?;
            opened(&db)?;
            sign_in(&db, user, "import")?;
            let summary = interchange::import_file_as(
                &db,
                &file,
                format,
                max_size.saturating_mul(1024 * 1024),
            )?;
            writeln!(
                out,
                "Imported {} suppliers, {} services, {} subcontractors and {} evidence items from {}.",
                summary.suppliers,
                summary.services,
                summary.subcontractors,
                summary.evidence,
                file.display()
            )
            .map_err(|e| Error::io("stdout", e))
        }
        Command::Report(command) => {
            let (kind, supplier, options) = match command {
                ReportCommand::Assessment { supplier, options } => (
                    crate::report::ReportKind::Assessment,
                    Some(supplier),
                    options,
                ),
                ReportCommand::Register { options } => {
                    (crate::report::ReportKind::Register, None, options)
                }
                ReportCommand::Summary { options } => {
                    (crate::report::ReportKind::Summary, None, options)
                }
            };
            let db = Db::open_existing(&path)?;
            opened(&db)?;
            let language = match &options.lang {
                Some(code) => code.parse()?,
                None => crate::report::default_language(&db)?,
            };
            let supplier = supplier
                .map(|text| crate::supplier::find(&db, &text))
                .transpose()?;
            sign_in(&db, user, "writing a report")?;
            let file = match options.out {
                Some(file) => file,
                None => PathBuf::from(crate::report::file_name(&db, kind, supplier)?),
            };
            let saved = crate::report::export(&db, kind, supplier, language, &file)?;
            writeln!(
                out,
                "Wrote {} ({} pages, {} bytes, SHA-256 {}).",
                saved.path, saved.pages, saved.bytes, saved.sha256
            )
            .map_err(|e| Error::io("stdout", e))
        }
        Command::Dev(DevCommand::Seed {
            suppliers,
            seed,
            as_of,
            audit_entries,
        }) => {
            let clock = crate::context::SharedClock::new(chrono::Utc::now());
            let db = Db::open(&path)?
                .with_clock(clock.clone())
                .with_ids(crate::context::SeededIds::new(seed));
            opened(&db)?;
            let password = read_password("TILLIT_NEW_PASSWORD", "password of the new users")?;
            let options = crate::dev::SeedOptions {
                suppliers,
                seed,
                as_of: as_of.unwrap_or_else(|| chrono::Local::now().date_naive()),
                password,
            };
            let mut summary = crate::dev::register(&db, &clock, &options)?;
            if let Some(entries) = audit_entries {
                summary.audit_entries = crate::dev::audit_trail(&db, &clock, entries, seed)?;
            }
            write!(
                out,
                "Generated in {} (seed {seed}, as of {}):\n{}",
                path.display(),
                options.as_of,
                summary.text()
            )
            .map_err(|e| Error::io("stdout", e))
        }
        Command::Backup { out: file } => {
            let db = Db::open_existing(&path)?;
            opened(&db)?;
            sign_in(&db, user, "a backup")?;
            let backup = db.backup(&file)?;
            writeln!(
                out,
                "Wrote the backup {} ({} bytes, schema version {}, {} audit entries, SHA-256 {}).",
                backup.path,
                backup.bytes,
                backup.schema_version,
                backup.audit_entries,
                backup.sha256
            )
            .map_err(|e| Error::io("stdout", e))
        }
        Command::Restore { file } => {
            let db = Db::open_existing(&path)?;
            opened(&db)?;
            sign_in(&db, user, "a restore")?;
            let restored = db.restore(&file)?;
            writeln!(
                out,
                "Restored {} (schema version {}, SHA-256 {}) into {}; the database as it was is kept at {}.",
                restored.restored_from,
                restored.backup_schema_version,
                restored.sha256,
                path.display(),
                restored.kept_aside
            )
            .map_err(|e| Error::io("stdout", e))
        }
        Command::Audit(AuditCommand::Verify) => {
            let db = Db::open_read_only(&path)?;
            opened(&db)?;
            let verification = db.read(crate::audit::verify)?;
            if verification.intact() {
                writeln!(out, "{}", verification.sentence()).map_err(|e| Error::io("stdout", e))
            } else {
                // Every row at fault, one a line, after the sentence.
                for row in &verification.row_mismatches {
                    eprintln!("  {}", row.sentence());
                }
                Err(Error::AuditMismatch(verification.sentence()))
            }
        }
        Command::User(UserCommand::Add {
            username,
            name,
            roles,
        }) => {
            let db = Db::open(&path)?;
            opened(&db)?;
            let roles = roles
                .iter()
                .map(|r| {
                    crate::approval::Role::parse(r).ok_or_else(|| {
                        Error::invalid(
                            "role",
                            crate::error::ValidationCode::UnknownValue,
                            format!(
                                "{r:?} is not a role; the roles are {}",
                                crate::approval::Role::choices()
                            ),
                        )
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            let first = !crate::approval::session(&db)?.users_exist;
            if !first {
                sign_in(&db, user, "adding a user")?;
            }
            let password = read_password(
                "TILLIT_NEW_PASSWORD",
                &format!("new password of {username}"),
            )?;
            let new = crate::approval::NewUser {
                username,
                display_name: name,
                roles,
                password,
            };
            let created = if first {
                crate::approval::create_first_administrator(&db, new)?
            } else {
                crate::approval::create(&db, new)?
            };
            writeln!(
                out,
                "Created the user {} ({}) with the roles {}.",
                created.username,
                created.display_name,
                created
                    .roles
                    .iter()
                    .map(|r| r.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
            .map_err(|e| Error::io("stdout", e))
        }
        Command::User(UserCommand::List) => {
            let db = Db::open_read_only(&path)?;
            opened(&db)?;
            for u in crate::approval::list(&db)? {
                writeln!(
                    out,
                    "{}\t{}\t{}\t{}",
                    u.username,
                    u.display_name,
                    u.roles
                        .iter()
                        .map(|r| r.as_str())
                        .collect::<Vec<_>>()
                        .join(","),
                    if u.active { "active" } else { "deactivated" }
                )
                .map_err(|e| Error::io("stdout", e))?;
            }
            Ok(())
        }
        Command::Evaluate { supplier, json } => {
            // The checks of what is due by today write; a file that can
            // only be read is evaluated as it stands.
            let db = match Db::open_existing(&path) {
                Err(Error::ReadOnly) => Db::open_read_only(&path)?,
                other => other?,
            };
            opened(&db)?;
            let id = crate::supplier::find(&db, &supplier)?;
            let detail = crate::supplier::supplier_detail(&db, id)?;
            let assessment = workflow::of_supplier(&db, id)?
                .into_iter()
                .next()
                .ok_or_else(|| {
                    Error::NotAllowed(format!(
                        "{} has not been assessed yet",
                        detail.supplier.fields.legal_name
                    ))
                })?;
            let summary = workflow::summary(&db, assessment.id)?;
            if json {
                let services: Vec<serde_json::Value> = detail
                    .services
                    .iter()
                    .map(|s| serde_json::json!({ "id": s.id, "name": s.fields.name, "location_class": s.location_class }))
                    .collect();
                let value = serde_json::json!({
                    "supplier": detail.supplier,
                    "exposure": detail.exposure,
                    "services": services,
                    "subcontractors": detail.subcontractors,
                    "assessment": assessment,
                    "summary": summary,
                });
                let text = serde_json::to_string_pretty(&value)
                    .map_err(|e| Error::Internal(e.to_string()))?;
                writeln!(out, "{text}").map_err(|e| Error::io("stdout", e))
            } else {
                write_evaluation(&detail, &assessment, &summary, out)
                    .map_err(|e| Error::io("stdout", e))
            }
        }
        Command::Call {
            command,
            args,
            args_file,
            list,
        } => call::run(&path, user, command, args, args_file, list, out.0),
        Command::Export {
            format: ExportFormat::Json,
            out: target,
        } => {
            let db = Db::open_existing(&path)?;
            opened(&db)?;
            sign_in(&db, user, "export")?;
            match target {
                Some(target) => interchange::json::export_file(&db, &target),
                None => interchange::json::export_stream(&db, out.0),
            }
        }
    }
}

/// After a command opened the database: tells on stderr that opening
/// upgraded the file (and where the copy is), and finds the time-based
/// follow-up events of DOMAIN §8 that are due by today, so that nothing a
/// command reads or writes depends on the window having been opened.
fn opened(db: &Db) -> Result<()> {
    if db.is_read_only() {
        return Ok(());
    }
    if let store::Opened::Upgraded { from, to, backup } = db.opened() {
        eprintln!(
            "tillit: upgraded the database from schema version {from} to {to}; the previous file was copied to {}",
            backup.display()
        );
    }
    crate::review::run_checks(db).map(|_| ())
}

fn write_evaluation(
    detail: &crate::supplier::SupplierDetail,
    assessment: &workflow::Assessment,
    summary: &workflow::Summary,
    out: &mut impl Write,
) -> std::io::Result<()> {
    let s = &detail.supplier;
    let number = if s.fields.registration_number.is_empty() {
        String::new()
    } else {
        format!(" ({})", s.fields.registration_number)
    };
    writeln!(
        out,
        "{}{number} — tier {}, status {}",
        s.fields.legal_name,
        s.fields.tier.as_str(),
        s.status.as_str()
    )?;
    writeln!(
        out,
        "Assessment of {} by {}, rule set version {}",
        assessment.assessed_on, assessment.assessor, assessment.rule_set_version
    )?;
    match &assessment.step1_result {
        None => writeln!(out, "Step 1: not recorded")?,
        Some(result) => {
            writeln!(
                out,
                "Step 1: {} ({} of {})",
                result.outcome.as_str(),
                result.total,
                result.maximum
            )?;
            for reason in &result.reasons {
                writeln!(out, "  - {}", reason.sentence())?;
            }
        }
    }
    if let Some(resolution) = &assessment.resolution {
        writeln!(
            out,
            "  Resolved to {} by {} on {}: {}",
            resolution.decision.as_str(),
            resolution.resolver,
            resolution.at,
            resolution.justification
        )?;
    }
    writeln!(out, "Services:")?;
    for service in &summary.services {
        let level = service.level.map_or("—", |l| l.as_str());
        writeln!(
            out,
            "  {}: risk level {level}; transfer {}{}",
            service.name,
            service.transfer.as_str(),
            if service.blocking.is_empty() {
                String::new()
            } else {
                format!("; {} blocking item(s)", service.blocking.len())
            }
        )?;
        for item in &service.blocking {
            writeln!(out, "    - {}", item.sentence())?;
        }
    }
    for name in &summary.services_not_assessed {
        writeln!(out, "  {name}: not assessed yet")?;
    }
    writeln!(
        out,
        "Exposure to foreign access law: {}",
        if detail.exposure.exposed {
            "exposed"
        } else {
            "not exposed"
        }
    )?;
    for reason in &detail.exposure.reasons {
        writeln!(out, "  - {}", reason.sentence())?;
    }
    writeln!(
        out,
        "Management approval: {}",
        if summary.approval_required {
            "required"
        } else {
            "not required"
        }
    )?;
    for reason in &summary.approval_reasons {
        writeln!(out, "  - {}", reason.sentence())?;
    }
    writeln!(
        out,
        "Blocked: {}",
        if summary.blocked { "yes" } else { "no" }
    )?;
    for blocker in &summary.blockers {
        writeln!(out, "  - {}", blocker.sentence())?;
    }
    writeln!(
        out,
        "State: {}",
        crate::report::Words(crate::settings::Language::En).state(summary.state)
    )
}

fn write_info(info: &DbInfo, out: &mut impl Write) -> std::io::Result<()> {
    writeln!(
        out,
        "Database:        {}",
        info.path.as_deref().unwrap_or(":memory:")
    )?;
    writeln!(
        out,
        "Schema version:  {} (this Tillit supports up to {})",
        info.schema_version, info.supported_schema_version
    )?;
    writeln!(out, "Tables:")?;
    let width = info.tables.iter().map(|t| t.table.len()).max().unwrap_or(0);
    for table in &info.tables {
        writeln!(out, "  {:<width$}  {:>8} rows", table.table, table.rows)?;
    }
    Ok(())
}

#[cfg(feature = "desktop")]
fn open_window(db: Option<PathBuf>) -> ExitCode {
    crate::desktop::run(db)
}

#[cfg(not(feature = "desktop"))]
fn open_window(_db: Option<PathBuf>) -> ExitCode {
    eprintln!("tillit: this build has no window (built without the `desktop` feature); see `tillit --help` for the commands");
    ExitCode::from(2)
}
