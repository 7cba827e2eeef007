//! The command line: `tillit` with no subcommand opens the window;
//! `tillit <subcommand>` works headless on the same core and database.

mod args;
mod call;
mod output;

use crate::error::Refusal;
pub use args::{
    AuditCommand, Cli, Command, DevCommand, ExportFormat, ImportFormat, QuestionnaireCommand,
    ReportCommand, ReportOptions, UserCommand,
};
pub use output::printable;
use output::{write_evaluation, write_info, Evaluation, Printable};

use crate::assessment::workflow;
use crate::error::{Error, Result, ValidationCode};
use crate::interchange;
use crate::store::{self, Db};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The password for `purpose`: from the environment variable `var`, else
/// the first line of standard input.
pub(super) fn read_password(var: &str, purpose: &str) -> Result<String> {
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

/// The catalogue's sentence `key` in the terminal's language.
fn say(key: &str, params: &[(&str, String)]) -> String {
    crate::words::t(terminal_language(), key, params)
}

/// The language of the terminal's messages, by the locale as POSIX orders
/// it (`LC_ALL`, then `LC_MESSAGES`, then `LANG`): Swedish for `sv_*`,
/// else English.
fn terminal_language() -> crate::words::Language {
    ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .filter_map(|name| std::env::var(name).ok())
        .find_map(|value| crate::words::Language::of_locale(&value))
        .unwrap_or(crate::words::Language::En)
}

/// Where a command opens its database: the database, and the folder of
/// evidence files when one was given (`--evidence`).
pub(super) struct Opening<'a> {
    pub(super) path: &'a Path,
    pub(super) evidence: Option<&'a Path>,
}

impl Opening<'_> {
    /// Opens the database, creating it when it does not exist.
    pub(super) fn open(&self) -> Result<Db> {
        Ok(self.with_evidence(Db::open(self.path)?))
    }

    /// Opens an existing database.
    pub(super) fn existing(&self) -> Result<Db> {
        Ok(self.with_evidence(Db::open_existing(self.path)?))
    }

    /// Opens an existing database for reading only.
    pub(super) fn read_only(&self) -> Result<Db> {
        Ok(self.with_evidence(Db::open_read_only(self.path)?))
    }

    fn with_evidence(&self, db: Db) -> Db {
        match self.evidence {
            Some(folder) => db.with_evidence_dir(folder.to_owned()),
            None => db,
        }
    }
}

/// The entry point of the `tillit` binary.
pub fn main() -> ExitCode {
    let cli = {
        use clap::FromArgMatches;
        let matches = args::command_in(terminal_language()).get_matches();
        Cli::from_arg_matches(&matches).unwrap_or_else(|error| error.exit())
    };
    let json_errors = matches!(cli.command, Some(Command::Call { .. }));
    match cli.command {
        None => open_window(cli.db),
        Some(command) => match match cli.server.as_deref() {
            Some(server) => call::over_server(
                server,
                cli.server_fingerprint.as_deref(),
                cli.user.as_deref(),
                command,
                terminal_language(),
                &mut std::io::stdout().lock(),
            ),
            None => run(
                command,
                cli.db.as_deref(),
                cli.evidence.as_deref(),
                cli.user.as_deref(),
                &mut std::io::stdout().lock(),
            ),
        } {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) if json_errors => {
                let code = exit_code(&error);
                let reply = crate::error::AppError::in_language(error, terminal_language());
                eprintln!(
                    "{}",
                    serde_json::to_string(&reply).unwrap_or_else(|_| reply.message.clone())
                );
                code
            }
            Err(error) => {
                let (sentence, _) = error.sentence_in(terminal_language());
                eprintln!("tillit: {}", printable(&sentence));
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
        | Error::Stale { .. }
        | Error::ReadOnly => ExitCode::from(2),
        Error::Remote(reply) if reply.code != crate::error::ErrorCode::Internal => {
            ExitCode::from(2)
        }
        _ => ExitCode::FAILURE,
    }
}

/// Runs one headless command, writing its output to `out`. What it prints
/// for people goes through [`printable`]; a register file written to `out`
/// is JSON, which escapes control characters itself, and goes out as is.
pub fn run(
    command: Command,
    db: Option<&Path>,
    evidence: Option<&Path>,
    user: Option<&str>,
    raw: &mut impl Write,
) -> Result<()> {
    let path = store::resolve_path(db)?;
    let at = Opening {
        path: &path,
        evidence,
    };
    let out = &mut Printable(raw);
    match command {
        Command::Info { json } => {
            let db = at.read_only()?;
            opened(&db)?;
            print_info(&db.info()?, json, out)
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
            let db = at.existing()?;
            opened(&db)?;
            sign_in(&db, user, "import")?;
            let summary = interchange::import_file_as(
                &db,
                &file,
                format,
                max_size.saturating_mul(1024 * 1024),
            )?;
            write_imported(&summary, &file, out)
        }
        Command::Questionnaire(command) => {
            let db = at.existing()?;
            opened(&db)?;
            sign_in(&db, user, "questionnaires")?;
            let language = crate::report::default_language(&db)?;
            let here = call::CommandLine(&db);
            questionnaire(
                command,
                language,
                |name, args| {
                    crate::contract::dispatch(&here, name, &args).and_then(|reply| {
                        serde_json::from_str(&reply).map_err(|e| Error::Internal(e.to_string()))
                    })
                },
                out,
            )
        }
        Command::Report(ReportCommand::Verify { file }) => {
            let db = at.read_only()?;
            opened(&db)?;
            report_checked(
                &db.read(|conn| crate::report::check::check(conn, &file))?,
                out,
            )
        }
        Command::Report(command) => {
            let (kind, supplier, options, order) = match command {
                ReportCommand::Assessment { supplier, options } => (
                    crate::report::ReportKind::Assessment,
                    Some(supplier),
                    options,
                    None,
                ),
                ReportCommand::Register { options, sort } => (
                    crate::report::ReportKind::Register,
                    None,
                    options,
                    sort.map(|text| register_order(&text)).transpose()?,
                ),
                ReportCommand::Summary { options } => {
                    (crate::report::ReportKind::Summary, None, options, None)
                }
                ReportCommand::Verify { .. } => unreachable!("answered above"),
            };
            let db = at.existing()?;
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
            let saved = crate::report::export(&db, kind, supplier, language, order, &file)?;
            write_saved_report(&saved, out)
        }
        Command::Dev(DevCommand::Seed {
            suppliers,
            seed,
            as_of,
            audit_entries,
        }) => {
            let clock = crate::context::SharedClock::new(chrono::Utc::now());
            let db = at
                .open()?
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
            let db = at.existing()?;
            opened(&db)?;
            sign_in(&db, user, "a backup")?;
            write_backup(&db.backup(&file)?, out)
        }
        Command::MigrateStore { from, to } => {
            // The evidence files first: a missing or changed one stops the
            // move before anything is written to the database.
            let evidence = match evidence {
                Some(folder) => {
                    let source = Db::open_read_only(&from)?;
                    let files = crate::supplier::copy_files(&source, folder)?;
                    let from = crate::supplier::evidence_dir(&source)?;
                    Some(say(
                        "cli.migrated_evidence",
                        &[
                            ("files", files.to_string()),
                            ("from", from.display().to_string()),
                            ("to", folder.display().to_string()),
                        ],
                    ))
                }
                None => None,
            };
            let (_, copied) = Db::migrate_store(&from, &to)?;
            let rows: u64 = copied.tables.iter().map(|t| t.rows).sum();
            let shown = store::postgres::PgLocation::parse(&to)
                .map_or_else(|_| "postgres://…".to_owned(), |l| l.shown().to_owned());
            let text = say(
                "cli.migrated_store",
                &[
                    ("from", from.display().to_string()),
                    ("to", shown),
                    ("tables", copied.tables.len().to_string()),
                    ("rows", rows.to_string()),
                    ("entries", copied.audit_entries.to_string()),
                ],
            );
            writeln!(out, "{text}").map_err(|e| Error::io("stdout", e))?;
            if let Some(text) = evidence {
                writeln!(out, "{text}").map_err(|e| Error::io("stdout", e))?;
            }
            Ok(())
        }
        Command::Restore { file } => {
            let db = at.existing()?;
            opened(&db)?;
            sign_in(&db, user, "a restore")?;
            let restored = db.restore(&file)?;
            let text = say(
                "cli.restored",
                &[
                    ("from", restored.restored_from.to_string()),
                    ("version", restored.backup_schema_version.to_string()),
                    ("sha256", restored.sha256.to_string()),
                    ("path", path.display().to_string()),
                    ("kept", restored.kept_aside.to_string()),
                ],
            );
            writeln!(out, "{text}").map_err(|e| Error::io("stdout", e))
        }
        Command::Audit(AuditCommand::Verify { anchor }) => {
            let anchors = anchor
                .iter()
                .map(|a| crate::audit::read_anchors(a))
                .collect::<Result<Vec<_>>>()?
                .concat();
            let db = at.read_only()?;
            opened(&db)?;
            let mut verification = db.verify()?;
            for anchor in &anchors {
                if let Some(reason) = db.read(|conn| crate::audit::anchor_holds(conn, anchor))? {
                    verification
                        .anchor_problems
                        .push(crate::audit::Discrepancy::new(
                            format!("anchor {anchor}"),
                            reason,
                        ));
                }
            }
            write_verification(&verification, &anchors, out)
        }
        Command::Audit(AuditCommand::Anchor { out: file }) => {
            let db = at.read_only()?;
            opened(&db)?;
            let text = db.read(|conn| crate::audit::anchor_text(conn, &path))?;
            match file {
                Some(file) => {
                    crate::files::save(&file, &db.protected(), text.as_bytes())?;
                    writeln!(
                        out,
                        "{}",
                        say("cli.wroteAnchor", &[("path", file.display().to_string())])
                    )
                    .map_err(|e| Error::io("stdout", e))
                }
                None => write!(out, "{text}").map_err(|e| Error::io("stdout", e)),
            }
        }
        Command::User(UserCommand::Add {
            username,
            name,
            roles,
        }) => {
            let db = at.open()?;
            opened(&db)?;
            let roles = parse_roles(&roles)?;
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
            write_created_user(&created, out)
        }
        Command::User(UserCommand::List) => {
            let db = at.read_only()?;
            opened(&db)?;
            write_users(&crate::approval::list(&db)?, out)
        }
        Command::Evaluate { supplier, json } => {
            // The checks of what is due by today write; a file that can
            // only be read is evaluated as it stands.
            let db = match at.existing() {
                Err(Error::ReadOnly) => at.read_only()?,
                other => other?,
            };
            opened(&db)?;
            let id = crate::supplier::find(&db, &supplier)?;
            let detail = crate::supplier::supplier_detail(&db, id)?;
            let assessment = workflow::of_supplier(&db, id)?
                .into_iter()
                .next()
                .ok_or_else(|| {
                    Error::from(
                        Refusal::new("refusal.not_assessed_yet")
                            .with("name", &detail.supplier.fields.legal_name),
                    )
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
                let rules = db
                    .read(|conn| crate::rules::get(conn, assessment.rule_set_version))
                    .ok();
                let evaluation = Evaluation {
                    detail: &detail,
                    assessment: &assessment,
                    summary: &summary,
                    rules: rules.as_ref(),
                };
                write_evaluation(&evaluation, terminal_language(), out)
                    .map_err(|e| Error::io("stdout", e))
            }
        }
        Command::Call {
            command,
            args,
            args_file,
            list,
        } => call::run(&at, user, command, args, args_file, list, out.0),
        Command::Serve {
            listen,
            tls_cert,
            tls_key,
            init,
        } => serve(&at, listen, tls_cert.zip(tls_key), init, out),
        Command::Export {
            format,
            out: target,
            ref_date,
            draft,
        } => {
            let db = at.existing()?;
            opened(&db)?;
            sign_in(&db, user, "export")?;
            match format {
                ExportFormat::Json if ref_date.is_some() || draft => Err(Error::invalid(
                    "format",
                    ValidationCode::UnknownValue,
                    "--ref-date and --draft belong to --format dora-roi",
                )),
                ExportFormat::Json => match target {
                    Some(target) => interchange::json::export_file(&db, &target),
                    None => interchange::json::export_stream(&db, out.0),
                },
                ExportFormat::DoraRoi => {
                    let ref_date = ref_date.ok_or_else(|| {
                        Error::invalid(
                            "ref_date",
                            ValidationCode::Required,
                            "--format dora-roi needs --ref-date YYYY-MM-DD (the register's reference date, 31 December of the year reported)",
                        )
                    })?;
                    let target = target.unwrap_or_else(|| PathBuf::from("."));
                    let written = crate::dora::export(&db, ref_date, draft, &target)?;
                    print_dora(&written, out.0)
                }
            }
        }
    }
}

/// `tillit questionnaire send|receive`, through the contract's commands
/// (`call`: on this computer's database or a team server's); `language` is
/// the workbook's unless `--lang` says otherwise.
fn questionnaire(
    command: QuestionnaireCommand,
    language: crate::words::Language,
    call: impl Fn(&str, serde_json::Value) -> Result<serde_json::Value>,
    out: &mut impl Write,
) -> Result<()> {
    let io = |e| Error::io("stdout", e);
    let parse = |value: serde_json::Value| -> Result<crate::questionnaire::Questionnaire> {
        serde_json::from_value(value).map_err(|e| Error::Internal(e.to_string()))
    };
    let path = |file: &Path| {
        file.to_str().map(str::to_owned).ok_or_else(|| {
            Error::invalid(
                "file",
                ValidationCode::Format,
                "the path is not valid UTF-8",
            )
        })
    };
    match command {
        QuestionnaireCommand::Send {
            supplier,
            deadline,
            out: file,
            lang,
        } => {
            let language = match lang {
                Some(code) => code.parse()?,
                None => language,
            };
            let supplier = call("find_supplier", serde_json::json!({ "text": supplier }))?;
            let file = match file {
                Some(file) => file,
                None => PathBuf::from(
                    call(
                        "questionnaire_file_name",
                        serde_json::json!({ "supplier_id": supplier, "language": language }),
                    )?
                    .as_str()
                    .unwrap_or("questionnaire.xlsx"),
                ),
            };
            let sent = parse(call(
                "send_questionnaire",
                serde_json::json!({ "supplier_id": supplier, "deadline": deadline,
                    "language": language, "path": path(&file)? }),
            )?)?;
            let said = say(
                "cli.questionnaire.sent",
                &[
                    ("file", file.display().to_string()),
                    ("questions", sent.questions.len().to_string()),
                    ("deadline", sent.deadline.to_string()),
                    ("id", sent.id.to_string()),
                ],
            );
            writeln!(out, "{said}").map_err(io)
        }
        QuestionnaireCommand::Receive {
            file,
            supplier,
            replace,
        } => {
            let supplier = supplier
                .map(|text| call("find_supplier", serde_json::json!({ "text": text })))
                .transpose()?;
            let received = parse(call(
                "receive_questionnaire",
                serde_json::json!({ "path": path(&file)?,
                    "expected": { "supplier_id": supplier }, "replace": replace }),
            )?)?;
            let said = say(
                "cli.questionnaire.received",
                &[
                    ("file", file.display().to_string()),
                    ("answers", received.answers.len().to_string()),
                    ("questions", received.questions.len().to_string()),
                    (
                        "sha256",
                        received.returned.map(|r| r.file.sha256).unwrap_or_default(),
                    ),
                ],
            );
            writeln!(out, "{said}").map_err(io)
        }
    }
}

/// What `tillit export --format dora-roi` prints: the file, its rows per
/// template, and a draft's problems.
fn print_dora(written: &crate::dora::DoraExport, out: &mut impl Write) -> Result<()> {
    let io = |e| Error::io("stdout", e);
    let wrote = say(
        "cli.dora.wrote",
        &[
            ("name", written.file_name.clone()),
            ("sha256", written.sha256.clone()),
        ],
    );
    writeln!(out, "{wrote}").map_err(io)?;
    for (template, rows) in &written.rows {
        let rows = say("cli.dora.rows", &[("rows", format!("{rows:>7}"))]);
        writeln!(out, "  {template}  {rows}").map_err(io)?;
    }
    if written.draft {
        let draft = say(
            "cli.dora.draft",
            &[("count", written.problems.len().to_string())],
        );
        writeln!(out, "{draft}").map_err(io)?;
        for problem in &written.problems {
            let e = problem.field_error();
            let row = e.row.map(|r| format!(" row {r}")).unwrap_or_default();
            writeln!(out, "  {}{row}: {}", e.field, e.message).map_err(io)?;
        }
    }
    Ok(())
}

/// What `tillit info` prints: the database's state, as JSON with `json`.
fn print_info(info: &store::DbInfo, json: bool, out: &mut impl Write) -> Result<()> {
    if json {
        let text =
            serde_json::to_string_pretty(info).map_err(|e| Error::Internal(e.to_string()))?;
        writeln!(out, "{text}").map_err(|e| Error::io("stdout", e))
    } else {
        write_info(info, terminal_language(), out).map_err(|e| Error::io("stdout", e))
    }
}

/// What `tillit import` says it did.
fn write_imported(
    summary: &interchange::ImportSummary,
    file: &Path,
    out: &mut impl Write,
) -> Result<()> {
    let imported = say(
        "cli.imported",
        &[
            ("suppliers", summary.suppliers.to_string()),
            ("services", summary.services.to_string()),
            ("subcontractors", summary.subcontractors.to_string()),
            ("evidence", summary.evidence.to_string()),
            ("file", file.display().to_string()),
        ],
    );
    writeln!(out, "{imported}").map_err(|e| Error::io("stdout", e))
}

/// What `tillit report verify` says of a report: its verdict, or the
/// mismatch as the error.
fn report_checked(check: &crate::report::check::ReportCheck, out: &mut impl Write) -> Result<()> {
    let (text, good) = check.sentence(terminal_language());
    if good {
        writeln!(out, "{text}").map_err(|e| Error::io("stdout", e))
    } else {
        Err(Error::AuditMismatch(text))
    }
}

/// What `tillit report` says it wrote.
fn write_saved_report(saved: &crate::report::SavedReport, out: &mut impl Write) -> Result<()> {
    let wrote = say(
        "cli.wroteReport",
        &[
            ("path", saved.path.to_string()),
            ("pages", saved.pages.to_string()),
            ("bytes", saved.bytes.to_string()),
            ("sha256", saved.sha256.to_string()),
        ],
    );
    writeln!(out, "{wrote}").map_err(|e| Error::io("stdout", e))
}

/// What `tillit backup` says it wrote.
fn write_backup(backup: &store::BackupSummary, out: &mut impl Write) -> Result<()> {
    let wrote = say(
        "cli.wroteBackup",
        &[
            ("path", backup.path.to_string()),
            ("bytes", backup.bytes.to_string()),
            ("version", backup.schema_version.to_string()),
            ("entries", backup.audit_entries.to_string()),
            ("sha256", backup.sha256.to_string()),
        ],
    );
    writeln!(out, "{wrote}").map_err(|e| Error::io("stdout", e))
}

/// What `tillit audit verify` says: the verdict and each anchor that holds,
/// or every row and finding at fault (on stderr) and the mismatch as the
/// error.
fn write_verification(
    verification: &crate::audit::Verification,
    anchors: &[crate::audit::Anchor],
    out: &mut impl Write,
) -> Result<()> {
    if verification.intact() {
        writeln!(out, "{}", verification.sentence()).map_err(|e| Error::io("stdout", e))?;
        for anchor in anchors {
            writeln!(
                out,
                "{}",
                say("cli.anchorHolds", &[("anchor", anchor.to_string())])
            )
            .map_err(|e| Error::io("stdout", e))?;
        }
        Ok(())
    } else {
        // Every row at fault, one a line, after the sentence.
        for row in &verification.row_mismatches {
            eprintln!("  {}", row.sentence());
        }
        for finding in verification.findings() {
            eprintln!("  {}", finding.sentence());
        }
        Err(Error::AuditMismatch(verification.sentence()))
    }
}

/// The roles named by `--role`.
fn parse_roles(roles: &[String]) -> Result<Vec<crate::approval::Role>> {
    roles
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
        .collect()
}

/// What `tillit user add` says it created.
fn write_created_user(created: &crate::approval::User, out: &mut impl Write) -> Result<()> {
    let roles = created
        .roles
        .iter()
        .map(|r| r.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let text = say(
        "cli.createdUser",
        &[
            ("username", created.username.clone()),
            ("name", created.display_name.clone()),
            ("roles", roles),
        ],
    );
    writeln!(out, "{text}").map_err(|e| Error::io("stdout", e))
}

/// What `tillit user list` prints: one user a line.
fn write_users(users: &[crate::approval::User], out: &mut impl Write) -> Result<()> {
    for u in users {
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

/// After a command opened the database: tells on stderr that opening
/// upgraded the file (and where the copy is), and finds the time-based
/// follow-up events of DOMAIN §8 that are due by today, so that nothing a
/// command reads or writes depends on the window having been opened.
fn opened(db: &Db) -> Result<()> {
    if db.is_read_only() {
        return Ok(());
    }
    if let (store::Opened::Upgraded { from, to, .. }, Some(shown)) = (db.opened(), db.postgres()) {
        eprintln!("tillit: upgraded the database {shown} from schema version {from} to {to}");
    } else if let store::Opened::Upgraded { from, to, backup } = db.opened() {
        eprintln!(
            "tillit: upgraded the database from schema version {from} to {to}; the previous file was copied to {}",
            backup.display()
        );
    }
    crate::review::run_checks(db).map(|_| ())
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

/// The register's order named by `--sort` (`next-review` as well as
/// `next_review`).
fn register_order(text: &str) -> Result<crate::report::register::RegisterOrder> {
    use crate::report::register::RegisterOrder;
    RegisterOrder::parse(&text.trim().to_lowercase().replace('-', "_")).ok_or_else(|| {
        Error::invalid(
            "--sort",
            crate::error::ValidationCode::UnknownValue,
            format!(
                "{text:?} is not an order of the register: use one of {}",
                RegisterOrder::choices()
            ),
        )
    })
}

/// `tillit serve`: the team server on the database at `path`, until
/// SIGTERM or SIGINT. With `init`, a self-signed certificate is made in
/// that folder first and its fingerprint printed, to be trusted by the
/// desktops and command lines that connect.
fn serve(
    at: &Opening,
    listen: std::net::SocketAddr,
    tls: Option<(PathBuf, PathBuf)>,
    init: Option<PathBuf>,
    out: &mut impl Write,
) -> Result<()> {
    let say_out = |out: &mut dyn Write, text: String| {
        writeln!(out, "{text}").map_err(|e| Error::io("standard output", e))
    };
    let tls = match init {
        Some(folder) => {
            let host = listen.ip().to_string();
            let made = crate::server::init_self_signed(&folder, &["localhost".to_owned(), host])?;
            say_out(
                out,
                say(
                    "cli.serve.initialised",
                    &[
                        ("cert", made.cert.display().to_string()),
                        ("fingerprint", made.fingerprint.clone()),
                    ],
                ),
            )?;
            Some((made.cert, made.key))
        }
        None => tls,
    };
    // A `postgres://` address serves the register kept in that PostgreSQL
    // database; anything else names a file.
    let db = at.open()?;
    let shown = match db.postgres() {
        Some(shown) => shown.to_owned(),
        None => at.path.display().to_string(),
    };
    opened(&db)?;
    let fingerprint = tls
        .as_ref()
        .map(|(cert, _)| crate::server::fingerprint_of_pem(cert))
        .transpose()?;
    let running = crate::server::start(
        db,
        crate::server::Options {
            listen,
            tls,
            limits: crate::server::Limits::default(),
        },
        true,
    )?;
    let line = match fingerprint {
        Some(fingerprint) => say(
            "cli.serve.listening",
            &[
                ("url", running.url()),
                ("db", shown.clone()),
                ("fingerprint", fingerprint),
            ],
        ),
        None => say(
            "cli.serve.listening_plain",
            &[("url", running.url()), ("db", shown)],
        ),
    };
    say_out(out, line)?;
    out.flush().map_err(|e| Error::io("standard output", e))?;
    running.wait()
}
