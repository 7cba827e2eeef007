//! The contract: every command a person can give Tillit, declared once, with
//! its arguments, its reply, whether it needs a signed-in user, and the one
//! core call it makes. Everything else comes from this one list
//! ([`with_commands!`], a callback macro): the dispatcher every transport
//! uses ([`dispatch`]: the window's one Tauri handler, `tillit call`), the
//! admission of a command before sign-in ([`access`]), the listing of
//! `tillit call --list` ([`commands`]) and the TypeScript `Commands`
//! interface of the generated bindings. Adding a command is one line here
//! and one core function.
//!
//! What differs between transports is behind [`Caller`]: which files a
//! command may read or write (the window's native dialogs grant them; the
//! command line takes the paths it is given), and showing a stored file.

use crate::approval::{
    self, CloseConditionInput, DecisionInput, NewUser, ReopenInput, Session, User, UserChange,
    UserId,
};
use crate::assessment::step1::{Step1Input, Step1Outcome};
use crate::assessment::workflow::{
    self, Assessment, AssessmentEntry, AssessmentId, ServiceInput, ServiceResult, Summary,
};
use crate::assessment::worklist::{self, WorklistPage, WorklistQuery};
use crate::audit::{self, LogFilter, LogPage, Verification};
use crate::dora::{DoraCheck, DoraContent, DoraExport};
use crate::error::{Error, Result, ValidationCode};
use crate::files::{FileContent, FilePurpose};
use crate::interchange::{self, ImportSummary};
use crate::jurisdiction::{all_countries, Country};
use crate::questionnaire::{self, Expected, Outstanding, Questionnaire, Sent};
use crate::report::{
    self, check::ReportCheck, register::RegisterOrder, IssuedReport, ReportKind, SavedReport,
};
use crate::review::{
    self, Attention, DeviationInput, FollowUp, Overview, OverviewService, SlaInput,
};
use crate::rules::{self, RiskBand, RuleSet, StoredRuleSet};
use crate::settings::{self, Language, Organisation, TeamServer, UiSettings};
use crate::store::{BackupSummary, Db, DbInfo, RestoreSummary};
use crate::supplier::{self, *};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use ts_rs::TS;

/// A backup sent whole over the team server: what the trail recorded, and
/// the database file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct BackupContent {
    pub summary: BackupSummary,
    pub file: FileContent,
}

/// Where the window works: the team server it is connected to, if any,
/// and the one it remembers for the sign-in page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TeamServerState {
    pub connected: Option<TeamServer>,
    pub remembered: Option<TeamServer>,
}

/// What connecting to a team server came to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum TeamConnection {
    /// Connected; the sign-in that follows goes to the server.
    Connected { server: TeamServer },
    /// The server's certificate is signed by nobody this computer trusts:
    /// its fingerprint, to be compared with the one the server's
    /// administrator gave before trusting it.
    Untrusted { url: String, fingerprint: String },
}

/// What the app shows about itself: the version and the open database.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AppInfo {
    pub version: String,
    pub database: DbInfo,
}

/// The version of this build and the state of the open database.
pub fn app_info(db: &Db) -> Result<AppInfo> {
    Ok(AppInfo {
        version: crate::VERSION.to_owned(),
        database: db.info()?,
    })
}

/// Who is signed in, what they may do, and the language their window
/// speaks ([`settings::ui_settings`]).
pub fn session(db: &Db) -> Result<Session> {
    Ok(Session {
        language: settings::ui_settings(db)?.language,
        ..approval::session(db)?
    })
}

/// What a transport lends the commands besides their arguments.
pub trait Caller {
    /// The database the commands work on.
    fn db(&self) -> &Db;

    /// The file at `path` as the person chose it for `purpose`: in the
    /// window only a path granted by a native dialog, once; on the command
    /// line the path given.
    fn chosen_file(&self, purpose: FilePurpose, path: &str) -> Result<PathBuf>;

    /// Opens a native dialog to choose a file for `purpose`; `None` when the
    /// person cancels. Only the window has dialogs: every other caller
    /// refuses.
    fn choose_file(
        &self,
        _purpose: FilePurpose,
        _title: &str,
        _filter: &str,
        _suggested_name: Option<&str>,
    ) -> Result<Option<String>> {
        Err(crate::error::Refusal::new("refusal.no_file_dialogs").into())
    }

    /// The team server this window works against, and the one it
    /// remembers. Only the window connects to one (the command line takes
    /// `--server`): every other caller has none.
    fn team_server(&self) -> Result<TeamServerState> {
        Ok(TeamServerState {
            connected: None,
            remembered: None,
        })
    }

    /// Connects the window to the team server at `url`, trusting the
    /// self-signed certificate of `fingerprint` when given.
    fn connect_team_server(
        &self,
        _url: &str,
        _fingerprint: Option<&str>,
    ) -> Result<TeamConnection> {
        Err(crate::error::Refusal::new("refusal.team_in_window_only").into())
    }

    /// Works on this computer's own database again.
    fn disconnect_team_server(&self) -> Result<()> {
        Err(crate::error::Refusal::new("refusal.team_in_window_only").into())
    }

    /// Shows a stored file (an evidence document) with the system's viewer.
    /// Only the window has one: every other caller refuses.
    fn show_file(&self, path: &Path) -> Result<()> {
        Err(crate::error::Refusal::new("refusal.no_viewer")
            .with("path", path.display())
            .into())
    }
}

/// The language the window speaks, for the sentences of refusals: the one
/// chosen in Settings, else English.
pub fn language(db: &Db) -> crate::words::Language {
    crate::settings::ui_settings(db)
        .ok()
        .and_then(|settings| settings.language)
        .unwrap_or(crate::words::Language::En)
}

/// Who may call a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Access {
    /// Anyone, before signing in: what the sign-in page needs.
    Open,
    /// A signed-in user who is still active; which roles may do what is
    /// then checked by the core itself.
    SignedIn,
}

/// Calls `$callback!` with every command of the contract:
/// `access name(arg: Type, …) -> Reply = |caller| core call;`
macro_rules! with_commands {
    ($callback:ident) => {
        $callback! {
            signed_in app_info() -> AppInfo = |c| app_info(c.db());
            open get_ui_settings() -> UiSettings = |c| settings::ui_settings(c.db());
            open set_language(language: Language) -> UiSettings = |c| settings::choose_language(c.db(), language);
            open list_countries() -> Vec<Country> = |_c| Ok(all_countries().to_vec());
            signed_in list_register(query: RegisterQuery) -> RegisterPage = |c| supplier::list_register(c.db(), &query);
            signed_in find_supplier(text: String) -> SupplierId = |c| supplier::find(c.db(), &text);
            signed_in supplier_detail(id: SupplierId) -> SupplierDetail = |c| supplier::supplier_detail(c.db(), id);
            signed_in create_supplier(fields: SupplierFields) -> SupplierDetail = |c| supplier::create_supplier(c.db(), fields);
            signed_in update_supplier(id: SupplierId, fields: SupplierFields, based_on: Option<SupplierFields>) -> SupplierDetail = |c| supplier::update_supplier_based_on(c.db(), id, fields, based_on);
            signed_in offboard_supplier(id: SupplierId, reason: String) -> SupplierDetail = |c| supplier::offboard_supplier(c.db(), id, &reason);
            signed_in add_service(supplier_id: SupplierId, fields: ServiceFields) -> SupplierDetail = |c| supplier::add_service(c.db(), supplier_id, fields);
            signed_in update_service(id: ServiceId, fields: ServiceFields, based_on: Option<ServiceFields>) -> SupplierDetail = |c| supplier::update_service_based_on(c.db(), id, fields, based_on);
            signed_in remove_service(id: ServiceId) -> SupplierDetail = |c| supplier::remove_service(c.db(), id);
            signed_in add_subcontractor(supplier_id: SupplierId, fields: SubcontractorFields) -> SupplierDetail = |c| supplier::add_subcontractor(c.db(), supplier_id, fields);
            signed_in update_subcontractor(id: SubcontractorId, fields: SubcontractorFields, based_on: Option<SubcontractorFields>) -> SupplierDetail = |c| supplier::update_subcontractor_based_on(c.db(), id, fields, based_on);
            signed_in remove_subcontractor(id: SubcontractorId) -> SupplierDetail = |c| supplier::remove_subcontractor(c.db(), id);
            signed_in add_evidence(supplier_id: SupplierId, fields: EvidenceFields, file: Option<String>) -> SupplierDetail = |c| add_evidence(c, supplier_id, fields, file);
            signed_in remove_evidence(id: EvidenceId) -> SupplierDetail = |c| supplier::remove_evidence(c.db(), id);
            signed_in open_evidence(id: EvidenceId) -> () = |c| open_evidence(c, id);
            signed_in import_file(path: String) -> ImportSummary = |c| interchange::import_file(c.db(), &c.chosen_file(FilePurpose::Import, &path)?);
            signed_in export_register(path: String) -> () = |c| interchange::json::export_file(c.db(), &c.chosen_file(FilePurpose::Export, &path)?);
            signed_in current_rule_set() -> StoredRuleSet = |c| c.db().read(rules::current);
            signed_in rule_set(version: u32) -> RuleSet = |c| c.db().read(|conn| rules::get(conn, version));
            signed_in save_rule_set(rules: RuleSet, note: String) -> StoredRuleSet = |c| crate::operations::save_rules_and_read(c.db(), &rules, &note);
            signed_in start_assessment(supplier_id: SupplierId, assessed_on: NaiveDate) -> Assessment = |c| workflow::shown(c.db(), workflow::start(c.db(), supplier_id, assessed_on));
            signed_in list_assessments(query: WorklistQuery) -> WorklistPage = |c| worklist::list(c.db(), &query);
            signed_in needs_me() -> u32 = |c| worklist::needs_me(c.db());
            signed_in assessments_of(supplier_id: SupplierId) -> Vec<Assessment> = |c| workflow::all_shown(c.db(), workflow::of_supplier(c.db(), supplier_id));
            signed_in assessment_history(supplier_id: SupplierId) -> Vec<AssessmentEntry> = |c| workflow::history(c.db(), supplier_id);
            signed_in risk_grid(rule_set_version: u32) -> Vec<Vec<RiskBand>> = |c| workflow::risk_grid(c.db(), rule_set_version);
            signed_in get_assessment(id: AssessmentId) -> Assessment = |c| workflow::shown(c.db(), workflow::get(c.db(), id));
            signed_in save_step1(id: AssessmentId, input: Step1Input, based_on: Option<Step1Input>) -> Assessment = |c| workflow::shown(c.db(), workflow::save_step1_based_on(c.db(), id, input, based_on));
            signed_in resolve_escalation(id: AssessmentId, decision: Step1Outcome, justification: String) -> Assessment = |c| workflow::shown(c.db(), workflow::resolve_escalation(c.db(), id, decision, &justification));
            signed_in save_service_assessment(id: AssessmentId, service_id: ServiceId, input: ServiceInput, based_on: Option<ServiceInput>) -> Assessment = |c| workflow::shown(c.db(), workflow::save_service_based_on(c.db(), id, service_id, input, based_on));
            signed_in preview_service_assessment(id: AssessmentId, service_id: ServiceId, input: ServiceInput) -> ServiceResult = |c| workflow::preview_service(c.db(), id, service_id, input);
            signed_in assessment_summary(id: AssessmentId) -> Summary = |c| workflow::summary(c.db(), id);
            signed_in reevaluate_assessment(id: AssessmentId) -> Assessment = |c| workflow::shown(c.db(), workflow::reevaluate(c.db(), id));
            open team_server() -> TeamServerState = |c| c.team_server();
            open connect_team_server(url: String, fingerprint: Option<String>) -> TeamConnection = |c| c.connect_team_server(&url, fingerprint.as_deref());
            open disconnect_team_server() -> () = |c| c.disconnect_team_server();
            open session() -> Session = |c| session(c.db());
            open create_first_administrator(user: NewUser) -> User = |c| approval::create_first_administrator(c.db(), user);
            open sign_in(username: String, password: String) -> User = |c| approval::sign_in(c.db(), &username, &password);
            open sign_out() -> () = |c| approval::sign_out(c.db());
            signed_in list_users() -> Vec<User> = |c| approval::list(c.db());
            signed_in create_user(user: NewUser) -> User = |c| approval::create(c.db(), user);
            signed_in update_user(id: UserId, change: UserChange) -> User = |c| approval::update(c.db(), id, change);
            signed_in reset_password(id: UserId, password: String) -> () = |c| approval::reset_password(c.db(), id, &password);
            signed_in submit_assessment(id: AssessmentId) -> Assessment = |c| workflow::shown(c.db(), approval::submit(c.db(), id));
            signed_in decide_assessment(id: AssessmentId, input: DecisionInput) -> Assessment = |c| workflow::shown(c.db(), approval::decide(c.db(), id, input));
            signed_in withdraw_assessment(id: AssessmentId, reason: String) -> Assessment = |c| workflow::shown(c.db(), approval::withdraw(c.db(), id, &reason));
            signed_in reopen_assessment(id: AssessmentId, input: ReopenInput) -> Assessment = |c| workflow::shown(c.db(), approval::reopen(c.db(), id, input));
            signed_in close_condition(input: CloseConditionInput) -> Assessment = |c| workflow::shown(c.db(), approval::close_condition(c.db(), input));
            signed_in follow_up(supplier_id: SupplierId) -> FollowUp = |c| review::follow_up(c.db(), supplier_id);
            signed_in record_deviation(supplier_id: SupplierId, input: DeviationInput) -> FollowUp = |c| review::record_deviation(c.db(), supplier_id, input);
            signed_in record_sla(service_id: ServiceId, input: SlaInput) -> FollowUp = |c| review::record_sla(c.db(), service_id, input);
            signed_in overview() -> Overview = |c| review::overview(c.db(), c.db().now().date_naive());
            signed_in conditions_due() -> Attention = |c| review::conditions_due(c.db(), c.db().now().date_naive());
            signed_in organisation() -> Organisation = |c| settings::organisation(c.db());
            signed_in save_organisation(organisation: Organisation, based_on: Option<Organisation>) -> Organisation = |c| settings::save_organisation_based_on(c.db(), organisation, based_on);
            signed_in list_functions() -> Vec<BusinessFunction> = |c| supplier::list_functions(c.db());
            signed_in licensed_activities() -> Vec<LicensedActivity> = |_c| Ok(supplier::functions::licensed_activities().to_vec());
            signed_in create_function(fields: FunctionFields) -> BusinessFunction = |c| supplier::create_function(c.db(), fields);
            signed_in update_function(id: String, fields: FunctionFields, based_on: Option<FunctionFields>) -> BusinessFunction = |c| supplier::update_function_based_on(c.db(), &id, fields, based_on);
            signed_in remove_function(id: String) -> Vec<BusinessFunction> = |c| supplier::remove_function(c.db(), &id);
            signed_in check_dora(ref_date: NaiveDate) -> DoraCheck = |c| crate::dora::check_only(c.db(), ref_date);
            signed_in export_dora(ref_date: NaiveDate, draft: bool, path: String) -> DoraExport = |c| crate::dora::export(c.db(), ref_date, draft, &c.chosen_file(FilePurpose::Export, &path)?);
            signed_in dora_content(ref_date: NaiveDate, draft: bool) -> DoraContent = |c| crate::dora::content(c.db(), ref_date, draft);
            signed_in questionnaires_of(supplier_id: SupplierId) -> Vec<questionnaire::QuestionnaireShown> = |c| questionnaire::shown(c.db(), supplier_id, c.db().now().date_naive());
            signed_in questionnaire_drawn_on(id: AssessmentId) -> Option<Questionnaire> = |c| questionnaire::drawn_on(c.db(), &workflow::get(c.db(), id)?);
            signed_in outstanding_questionnaires() -> Outstanding = |c| questionnaire::outstanding(c.db(), c.db().now().date_naive());
            signed_in questionnaire_file_name(supplier_id: SupplierId, language: Language) -> String = |c| Ok(questionnaire::file_name(&supplier::supplier_detail(c.db(), supplier_id)?.supplier.fields.legal_name, language, c.db().now().date_naive()));
            signed_in send_questionnaire(supplier_id: SupplierId, deadline: NaiveDate, language: Language, path: String) -> Questionnaire = |c| send_questionnaire(c, supplier_id, deadline, language, &path);
            signed_in questionnaire_content(supplier_id: SupplierId, deadline: NaiveDate, language: Language) -> Sent = |c| questionnaire::send(c.db(), supplier_id, deadline, language, |_| Ok(()));
            signed_in receive_questionnaire(path: String, expected: Expected, replace: bool) -> Questionnaire = |c| receive_questionnaire(c, &path, expected, replace);
            signed_in receive_questionnaire_content(file: FileContent, expected: Expected, replace: bool) -> Questionnaire = |c| questionnaire::receive(c.db(), file.content.clone(), &file.name_only(), expected, replace, &supplier::evidence_dir(c.db())?);
            signed_in heat_cell(likelihood: u8, impact: u8) -> Vec<OverviewService> = |c| review::heat_cell(c.db(), likelihood, impact);
            signed_in verify_audit() -> Verification = |c| c.db().verify();
            signed_in audit_log(filter: LogFilter) -> LogPage = |c| c.db().read(|conn| audit::entries(conn, &filter));
            signed_in report_file_name(kind: ReportKind, supplier_id: Option<SupplierId>) -> String = |c| report::file_name(c.db(), kind, supplier_id);
            signed_in open_report(path: String) -> () = |c| open_report(c, &path);
            signed_in save_report(kind: ReportKind, supplier_id: Option<SupplierId>, language: Language, order: Option<RegisterOrder>, path: String) -> SavedReport = |c| report::export(c.db(), kind, supplier_id, language, order, &c.chosen_file(FilePurpose::Report, &path)?);
            signed_in choose_file(purpose: FilePurpose, title: String, filter: String, suggested_name: Option<String>) -> Option<String> = |c| c.choose_file(purpose, &title, &filter, suggested_name.as_deref());
            signed_in import_content(file: FileContent) -> ImportSummary = |c| interchange::import_content(c.db(), &file);
            signed_in export_register_content() -> FileContent = |c| interchange::json::export_content(c.db());
            signed_in report_content(kind: ReportKind, supplier_id: Option<SupplierId>, language: Language, order: Option<RegisterOrder>) -> IssuedReport = |c| report::issue_content(c.db(), kind, supplier_id, language, order);
            signed_in check_report_content(file: FileContent) -> ReportCheck = |c| c.db().read(|conn| report::check::check_bytes(conn, &file.content));
            signed_in add_evidence_content(supplier_id: SupplierId, fields: EvidenceFields, file: Option<FileContent>) -> SupplierDetail = |c| supplier::add_evidence_content(c.db(), supplier_id, fields, file.as_ref(), &supplier::evidence_dir(c.db())?);
            signed_in evidence_content(id: EvidenceId) -> FileContent = |c| supplier::evidence_content(c.db(), id, &supplier::evidence_dir(c.db())?);
            signed_in backup_content() -> BackupContent = |c| c.db().backup_content().map(|(summary, file)| BackupContent { summary, file });
            signed_in changes() -> i64 = |c| c.db().read(|conn| Ok(audit::head(conn)?.map_or(0, |head| head.seq)));
            signed_in backup_database(path: String) -> BackupSummary = |c| c.db().backup(&c.chosen_file(FilePurpose::Backup, &path)?);
            signed_in restore_database(path: String) -> RestoreSummary = |c| c.db().restore(&c.chosen_file(FilePurpose::Restore, &path)?);
        }
    };
}

fn add_evidence(
    caller: &dyn Caller,
    supplier_id: SupplierId,
    fields: EvidenceFields,
    file: Option<String>,
) -> Result<SupplierDetail> {
    let file = file
        .map(|path| caller.chosen_file(FilePurpose::Evidence, &path))
        .transpose()?;
    let store = supplier::evidence_dir(caller.db())?;
    supplier::add_evidence(caller.db(), supplier_id, fields, file.as_deref(), &store)
}

/// Sends a questionnaire, its workbook written to the chosen file.
fn send_questionnaire(
    caller: &dyn Caller,
    supplier_id: SupplierId,
    deadline: NaiveDate,
    language: Language,
    path: &str,
) -> Result<Questionnaire> {
    let target = caller.chosen_file(FilePurpose::Questionnaire, path)?;
    let protected = caller.db().protected();
    questionnaire::send(caller.db(), supplier_id, deadline, language, |bytes| {
        crate::files::save(&target, &protected, bytes)
    })
    .map(|sent| sent.questionnaire)
}

/// Imports a returned questionnaire from the chosen file.
fn receive_questionnaire(
    caller: &dyn Caller,
    path: &str,
    expected: Expected,
    replace: bool,
) -> Result<Questionnaire> {
    let path = caller.chosen_file(FilePurpose::Answers, path)?;
    let bytes = crate::interchange::read_import(&path, crate::interchange::MAX_IMPORT_BYTES)?;
    let store = supplier::evidence_dir(caller.db())?;
    questionnaire::receive(caller.db(), bytes, &path, expected, replace, &store)
}

/// Opens a saved report with the system's viewer: only a file whose bytes
/// this database's audit trail recorded as a report it issued, so the
/// command opens nothing else, whatever path it is given.
fn open_report(caller: &dyn Caller, path: &str) -> Result<()> {
    let path = PathBuf::from(path);
    let check = caller.db().read(|conn| report::check::check(conn, &path))?;
    if check.issued.is_none() || !check.unchanged {
        return Err(crate::error::Refusal::new("refusal.not_an_issued_report")
            .with("path", path.display())
            .into());
    }
    caller.show_file(&path)
}

fn open_evidence(caller: &dyn Caller, id: EvidenceId) -> Result<()> {
    let store = supplier::evidence_dir(caller.db())?;
    caller.show_file(&supplier::evidence_file_path(caller.db(), id, &store)?)
}

/// One command as `tillit call --list` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CommandInfo {
    pub name: &'static str,
    pub access: Access,
    /// Each argument's name and TypeScript type.
    pub args: Vec<(&'static str, String)>,
    /// The reply's TypeScript type.
    pub reply: String,
}

macro_rules! access_of {
    (open) => {
        Access::Open
    };
    (signed_in) => {
        Access::SignedIn
    };
}

macro_rules! declare {
    ($( $access:ident $name:ident ( $( $arg:ident : $ty:ty ),* ) -> $ret:ty = |$c:ident| $body:expr ; )*) => {
        /// The command names, in declaration order.
        pub const NAMES: &[&str] = &[$( stringify!($name) ),*];

        /// Who may call `command`; `None` when there is no such command.
        pub fn access(command: &str) -> Option<Access> {
            match command {
                $( stringify!($name) => Some(access_of!($access)), )*
                _ => None,
            }
        }

        /// Every command with its arguments and reply, as TypeScript names them.
        pub fn commands() -> Vec<CommandInfo> {
            let cfg = ts_config();
            vec![$(
                CommandInfo {
                    name: stringify!($name),
                    access: access_of!($access),
                    args: vec![$( (stringify!($arg), <$ty as TS>::name(&cfg)) ),*],
                    reply: <$ret as TS>::name(&cfg),
                },
            )*]
        }

        /// Runs `command` with the JSON object `args` for `caller`: each
        /// named argument decoded into its type (an argument the command
        /// does not take, or one that does not decode, is refused naming
        /// it), the core called, the reply as JSON text. Admission (who is
        /// signed in) is checked by the caller's transport with [`admit`].
        pub fn dispatch(caller: &dyn Caller, command: &str, args: &serde_json::Value) -> Result<String> {
            match command {
                $(
                    stringify!($name) => {
                        only_arguments(args, &[$( stringify!($arg) ),*])?;
                        $( let $arg: $ty = argument(args, stringify!($arg))?; )*
                        let $c = caller;
                        let reply: Result<$ret> = $body;
                        let reply = reply?;
                        serde_json::to_string(&reply).map_err(|e| Error::Internal(e.to_string()))
                    }
                )*
                other => Err(no_such_command(other)),
            }
        }

        /// Walks every type a command takes or replies with.
        fn visit_types(visitor: &mut impl ts_rs::TypeVisitor) {
            $( $( visitor.visit::<$ty>(); )* visitor.visit::<$ret>(); )*
        }
    };
}

with_commands!(declare);

/// The configuration of the generated TypeScript.
pub fn ts_config() -> ts_rs::Config {
    ts_rs::Config::new().with_large_int("number")
}

fn no_such_command(name: &str) -> Error {
    Error::invalid(
        "command",
        ValidationCode::UnknownValue,
        format!(
            "there is no command {}; `tillit call --list` lists them",
            crate::text::shown(name)
        ),
    )
}

/// Refuses arguments the command does not take (a misspelt name would
/// otherwise be ignored and its value lost).
fn only_arguments(args: &serde_json::Value, names: &[&str]) -> Result<()> {
    match args {
        serde_json::Value::Null => Ok(()),
        serde_json::Value::Object(map) => {
            let unknown: Vec<crate::error::FieldError> = map
                .keys()
                .filter(|key| !names.contains(&key.as_str()))
                .map(|key| {
                    crate::error::FieldError::new(
                        key.as_str(),
                        ValidationCode::UnknownValue,
                        if names.is_empty() {
                            "this command takes no arguments".to_owned()
                        } else {
                            format!(
                                "is not an argument of this command; it takes {}",
                                names.join(", ")
                            )
                        },
                    )
                })
                .collect();
            if unknown.is_empty() {
                Ok(())
            } else {
                Err(Error::Invalid(unknown))
            }
        }
        _ => Err(Error::invalid(
            "args",
            ValidationCode::Format,
            "the arguments are a JSON object, one member for each",
        )),
    }
}

/// One argument, decoded from the JSON object of arguments; refused naming
/// it. A missing one is `null` (an optional argument) or, for a query or a
/// filter whose every member has a default, `{}`.
fn argument<T: serde::de::DeserializeOwned>(args: &serde_json::Value, name: &str) -> Result<T> {
    let given = args.get(name);
    if given.is_none() {
        if let Ok(empty) = serde_json::from_value(serde_json::json!({})) {
            if serde_json::from_value::<T>(serde_json::Value::Null).is_err() {
                return Ok(empty);
            }
        }
    }
    let value = given.cloned().unwrap_or(serde_json::Value::Null);
    serde_json::from_value(value).map_err(|e| {
        Error::invalid(
            name,
            ValidationCode::Format,
            format!("the argument {name} is invalid: {e}"),
        )
    })
}

/// Admits `command` before it runs: an [`Access::Open`] one, or any
/// command of a signed-in user who is still active (a user deactivated
/// meanwhile is signed out).
pub fn admit(db: &Db, command: &str) -> Result<()> {
    match access(command) {
        None => Err(no_such_command(command)),
        Some(Access::Open) => Ok(()),
        Some(Access::SignedIn) => {
            let user = db.require_user("every command but signing in")?;
            let current = db.read(|conn| approval::get(conn, user.id))?;
            if !current.active {
                db.set_session(None);
                return Err(crate::error::Refusal::new("refusal.user_deactivated")
                    .with("user", &current.username)
                    .into());
            }
            Ok(())
        }
    }
}

/// The TypeScript `Commands` interface: for each command, its arguments (as
/// the object passed to `call`) and its reply.
pub fn commands_interface() -> String {
    let mut out = String::from("export interface Commands {\n");
    for command in commands() {
        let args: Vec<String> = command
            .args
            .iter()
            .map(|(name, ty)| format!("{name}: {ty}"))
            .collect();
        out.push_str(&format!(
            "  {}: {{ args: {{ {} }}; result: {} }};\n",
            command.name,
            args.join("; "),
            command.reply
        ));
    }
    out.push_str("}\n");
    out
}

/// The declarations of every type the contract names, and of the error
/// shape, each once, ordered by name (the order ts-rs walks dependencies in
/// differs between builds).
pub fn type_declarations() -> Vec<String> {
    struct Collect {
        cfg: ts_rs::Config,
        seen: std::collections::HashSet<std::any::TypeId>,
        declarations: std::collections::BTreeMap<String, String>,
    }
    impl ts_rs::TypeVisitor for Collect {
        fn visit<T: TS + 'static + ?Sized>(&mut self) {
            if !self.seen.insert(std::any::TypeId::of::<T>()) {
                return;
            }
            if T::output_path().is_some() {
                let docs = T::docs().unwrap_or_default();
                self.declarations.insert(
                    T::ident(&self.cfg),
                    format!("{docs}export {}", T::decl(&self.cfg)),
                );
            }
            T::visit_generics(self);
            T::visit_dependencies(self);
        }
    }
    let mut collect = Collect {
        cfg: ts_config(),
        seen: Default::default(),
        declarations: Default::default(),
    };
    use ts_rs::TypeVisitor as _;
    collect.visit::<crate::error::AppError>();
    collect.visit::<crate::error::ErrorCode>();
    collect.visit::<crate::error::Lock>();
    collect.visit::<crate::rules::ListedDimension>();
    visit_types(&mut collect);
    collect.declarations.into_values().collect()
}
