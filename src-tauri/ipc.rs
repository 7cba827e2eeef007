//! The IPC contract between the desktop shell and the web UI: every command
//! with its arguments and its result, declared once here. From it and from
//! the Rust types that cross the IPC, [`typescript_bindings`] writes
//! `ui/src/lib/bindings.ts`; the UI's typed `ipc.ts` module is built on it,
//! and a test fails when the committed file is stale.

#[path = "ipc_commands.rs"]
mod commands;

pub use commands::COMMAND_NAMES;

use crate::approval::{
    ApprovalId, ApprovalRecord, Capacity, Decision, DecisionInput, NewUser, ReopenInput, Role,
    Session, User, UserChange, UserId,
};
use crate::assessment::risk::Rating;
use crate::assessment::step1::{Step1Input, Step1Outcome, Step1Reason, Step1Result};
use crate::assessment::workflow::*;
use crate::audit::{LogEntry, LogFilter, LogPage, Mismatch, RowMismatch, Verification};
use crate::error::{AppError, ErrorCode, FieldError, Result, ValidationCode};
use crate::files::FilePurpose;
use crate::interchange::ImportSummary;
use crate::jurisdiction::{
    Country, Exposure, ExposureEntity, ExposureOverride, ExposureReason, LocationClass,
};
use crate::report::{ReportKind, SavedReport};
use crate::review::overview::{LevelCount, StatusCount};
use crate::review::{
    Attention, DeviationInput, FollowUp, FollowUpEvent, FollowUpId, FollowUpKind, HeatCell,
    Overview, OverviewItem, OverviewService, SlaInput, SlaRecord, SlaRecordId,
};
use crate::rules::*;
use crate::settings::{Language, UiSettings};
use crate::store::{BackupSummary, Db, DbInfo, RestoreSummary, TableCount};
use crate::supplier::*;
use crate::transfer::{FiredRule, TransferEvaluation, TransferRule};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::{Config, TS};

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

/// The commands the window may call before anyone signs in: what the
/// sign-in page needs. Every other command needs a signed-in, active user
/// ([`admit`]); which roles may do what is then checked by the core itself.
pub const OPEN_COMMANDS: &[&str] = &[
    "get_ui_settings",
    "set_language",
    "list_countries",
    "session",
    "create_first_administrator",
    "sign_in",
    "sign_out",
];

/// Admits a command from the window, before it runs: one of the
/// [`OPEN_COMMANDS`], or any command of a signed-in user who is still
/// active (a user deactivated meanwhile is signed out).
pub fn admit(db: &Db, command: &str) -> Result<()> {
    if OPEN_COMMANDS.contains(&command) {
        return Ok(());
    }
    let user = db.require_user("every command but signing in")?;
    let current = db.read(|conn| crate::approval::get(conn, user.id))?;
    if !current.active {
        db.set_session(None);
        return Err(crate::Error::NotAllowed(format!(
            "the user {} is deactivated",
            current.username
        )));
    }
    Ok(())
}

/// Declares the contract: `name(arg: Type, …) -> Result;` for each command.
macro_rules! contract {
    ($( $name:ident ( $( $arg:ident : $ty:ty ),* ) -> $ret:ty ; )*) => {
        /// The command names of the contract, in declaration order.
        pub const CONTRACT_NAMES: &[&str] = &[$( stringify!($name) ),*];

        /// The TypeScript `Commands` interface: for each command, its
        /// arguments (as the object passed to `invoke`) and its result.
        fn commands_interface(cfg: &Config) -> String {
            let mut out = String::from("export interface Commands {\n");
            $(
                let args: Vec<String> = vec![$( format!("{}: {}", stringify!($arg), <$ty as TS>::name(cfg)) ),*];
                out.push_str(&format!(
                    "  {}: {{ args: {{ {} }}; result: {} }};\n",
                    stringify!($name),
                    args.join("; "),
                    <$ret as TS>::name(cfg),
                ));
            )*
            out.push_str("}\n");
            out
        }

        /// Decodes the arguments of `command` from the JSON object the web
        /// view sends, as the shell does: each named argument into its Rust
        /// type (a missing one as `null`). The error names the argument.
        pub fn decode_arguments(command: &str, args: &serde_json::Value) -> std::result::Result<(), String> {
            match command {
                $(
                    stringify!($name) => {
                        $( decode::<$ty>(args, stringify!($arg))?; )*
                        Ok(())
                    }
                )*
                other => Err(format!("there is no command {other}")),
            }
        }
    };
}

/// One argument of a command, decoded from the JSON object of arguments.
fn decode<T: serde::de::DeserializeOwned>(
    args: &serde_json::Value,
    name: &str,
) -> std::result::Result<T, String> {
    let value = args.get(name).cloned().unwrap_or(serde_json::Value::Null);
    serde_json::from_value(value).map_err(|e| format!("the argument {name} is invalid: {e}"))
}

contract! {
    app_info() -> AppInfo;
    get_ui_settings() -> UiSettings;
    set_language(language: Language) -> UiSettings;
    list_countries() -> Vec<Country>;
    list_register(query: RegisterQuery) -> RegisterPage;
    supplier_detail(id: SupplierId) -> SupplierDetail;
    create_supplier(fields: SupplierFields) -> SupplierDetail;
    update_supplier(id: SupplierId, fields: SupplierFields) -> SupplierDetail;
    offboard_supplier(id: SupplierId, reason: String) -> SupplierDetail;
    add_service(supplier_id: SupplierId, fields: ServiceFields) -> SupplierDetail;
    update_service(id: ServiceId, fields: ServiceFields) -> SupplierDetail;
    remove_service(id: ServiceId) -> SupplierDetail;
    add_subcontractor(supplier_id: SupplierId, fields: SubcontractorFields) -> SupplierDetail;
    update_subcontractor(id: SubcontractorId, fields: SubcontractorFields) -> SupplierDetail;
    remove_subcontractor(id: SubcontractorId) -> SupplierDetail;
    add_evidence(supplier_id: SupplierId, fields: EvidenceFields, file: Option<String>) -> SupplierDetail;
    remove_evidence(id: EvidenceId) -> SupplierDetail;
    open_evidence(id: EvidenceId) -> ();
    import_file(path: String) -> ImportSummary;
    export_register(path: String) -> ();
    current_rule_set() -> StoredRuleSet;
    save_rule_set(rules: RuleSet, note: String) -> StoredRuleSet;
    start_assessment(supplier_id: SupplierId, assessed_on: NaiveDate) -> Assessment;
    assessments_of(supplier_id: SupplierId) -> Vec<Assessment>;
    get_assessment(id: AssessmentId) -> Assessment;
    save_step1(id: AssessmentId, input: Step1Input) -> Assessment;
    resolve_escalation(id: AssessmentId, decision: Step1Outcome, justification: String) -> Assessment;
    save_service_assessment(id: AssessmentId, service_id: ServiceId, input: ServiceInput) -> Assessment;
    assessment_summary(id: AssessmentId) -> Summary;
    reevaluate_assessment(id: AssessmentId) -> Assessment;
    session() -> Session;
    create_first_administrator(user: NewUser) -> User;
    sign_in(username: String, password: String) -> User;
    sign_out() -> ();
    list_users() -> Vec<User>;
    create_user(user: NewUser) -> User;
    update_user(id: UserId, change: UserChange) -> User;
    reset_password(id: UserId, password: String) -> ();
    submit_assessment(id: AssessmentId) -> Assessment;
    decide_assessment(id: AssessmentId, input: DecisionInput) -> Assessment;
    withdraw_assessment(id: AssessmentId, reason: String) -> Assessment;
    reopen_assessment(id: AssessmentId, input: ReopenInput) -> Assessment;
    follow_up(supplier_id: SupplierId) -> FollowUp;
    record_deviation(supplier_id: SupplierId, input: DeviationInput) -> FollowUp;
    record_sla(service_id: ServiceId, input: SlaInput) -> FollowUp;
    overview() -> Overview;
    verify_audit() -> Verification;
    audit_log(filter: LogFilter) -> LogPage;
    report_file_name(kind: ReportKind, supplier_id: Option<SupplierId>) -> String;
    save_report(kind: ReportKind, supplier_id: Option<SupplierId>, language: Language, path: String) -> SavedReport;
    choose_file(purpose: FilePurpose, title: String, filter: String, suggested_name: Option<String>) -> Option<String>;
    backup_database(path: String) -> BackupSummary;
    restore_database(path: String) -> RestoreSummary;
}

/// The whole generated `bindings.ts`.
pub fn typescript_bindings() -> String {
    let cfg = Config::new().with_large_int("number");
    let declarations = [
        declaration::<AppError>(&cfg),
        declaration::<ErrorCode>(&cfg),
        declaration::<FieldError>(&cfg),
        declaration::<ValidationCode>(&cfg),
        declaration::<crate::error::Lock>(&cfg),
        declaration::<AppInfo>(&cfg),
        declaration::<DbInfo>(&cfg),
        declaration::<TableCount>(&cfg),
        declaration::<FilePurpose>(&cfg),
        declaration::<BackupSummary>(&cfg),
        declaration::<RestoreSummary>(&cfg),
        declaration::<UiSettings>(&cfg),
        declaration::<Language>(&cfg),
        declaration::<Country>(&cfg),
        declaration::<crate::jurisdiction::CountryCode>(&cfg),
        declaration::<LocationClass>(&cfg),
        declaration::<Exposure>(&cfg),
        declaration::<ExposureReason>(&cfg),
        declaration::<ExposureEntity>(&cfg),
        declaration::<ExposureOverride>(&cfg),
        declaration::<SupplierId>(&cfg),
        declaration::<ServiceId>(&cfg),
        declaration::<SubcontractorId>(&cfg),
        declaration::<EvidenceId>(&cfg),
        declaration::<Tier>(&cfg),
        declaration::<SupplierStatus>(&cfg),
        declaration::<DataClassification>(&cfg),
        declaration::<PersonalData>(&cfg),
        declaration::<Reliance>(&cfg),
        declaration::<Substitutability>(&cfg),
        declaration::<EvidenceKind>(&cfg),
        declaration::<crate::supplier::CertificationRole>(&cfg),
        declaration::<SupplierFields>(&cfg),
        declaration::<Supplier>(&cfg),
        declaration::<ServiceFields>(&cfg),
        declaration::<Service>(&cfg),
        declaration::<crate::supplier::SubcontractedLocation>(&cfg),
        declaration::<SubcontractorFields>(&cfg),
        declaration::<Subcontractor>(&cfg),
        declaration::<EvidenceFields>(&cfg),
        declaration::<EvidenceFile>(&cfg),
        declaration::<Evidence>(&cfg),
        declaration::<SupplierDetail>(&cfg),
        declaration::<SortKey>(&cfg),
        declaration::<RegisterQuery>(&cfg),
        declaration::<RegisterRow>(&cfg),
        declaration::<TierCounts>(&cfg),
        declaration::<RegisterPage>(&cfg),
        declaration::<ImportSummary>(&cfg),
        declaration::<RuleSet>(&cfg),
        declaration::<StoredRuleSet>(&cfg),
        declaration::<Criterion>(&cfg),
        declaration::<Step1Thresholds>(&cfg),
        declaration::<BandLimits>(&cfg),
        declaration::<ScaleLevel>(&cfg),
        declaration::<DimensionGuidance>(&cfg),
        declaration::<RequirementDef>(&cfg),
        declaration::<RiskBand>(&cfg),
        declaration::<Verdict>(&cfg),
        declaration::<TransferRow>(&cfg),
        declaration::<PersonalDataRule>(&cfg),
        declaration::<AssessmentId>(&cfg),
        declaration::<Assessment>(&cfg),
        declaration::<Step1Input>(&cfg),
        declaration::<Step1Outcome>(&cfg),
        declaration::<Step1Reason>(&cfg),
        declaration::<Step1Result>(&cfg),
        declaration::<crate::assessment::certification::Finding>(&cfg),
        declaration::<crate::assessment::certification::Standing>(&cfg),
        declaration::<Resolution>(&cfg),
        declaration::<Rating>(&cfg),
        declaration::<Treatment>(&cfg),
        declaration::<Risk>(&cfg),
        declaration::<RequirementStatus>(&cfg),
        declaration::<RequirementMark>(&cfg),
        declaration::<ServiceInput>(&cfg),
        declaration::<ServiceResult>(&cfg),
        declaration::<ServiceAssessment>(&cfg),
        declaration::<BlockingItem>(&cfg),
        declaration::<TransferEvaluation>(&cfg),
        declaration::<FiredRule>(&cfg),
        declaration::<TransferRule>(&cfg),
        declaration::<Summary>(&cfg),
        declaration::<crate::assessment::workflow::AssessmentState>(&cfg),
        declaration::<crate::assessment::workflow::Blocker>(&cfg),
        declaration::<crate::assessment::workflow::AssessmentEvent>(&cfg),
        declaration::<crate::assessment::workflow::AssessmentEventKind>(&cfg),
        declaration::<ServiceSummary>(&cfg),
        declaration::<ApprovalReason>(&cfg),
        declaration::<Role>(&cfg),
        declaration::<UserId>(&cfg),
        declaration::<User>(&cfg),
        declaration::<NewUser>(&cfg),
        declaration::<UserChange>(&cfg),
        declaration::<Session>(&cfg),
        declaration::<ApprovalId>(&cfg),
        declaration::<Decision>(&cfg),
        declaration::<Capacity>(&cfg),
        declaration::<ApprovalRecord>(&cfg),
        declaration::<DecisionInput>(&cfg),
        declaration::<crate::approval::ReopenInput>(&cfg),
        declaration::<FollowUpId>(&cfg),
        declaration::<SlaRecordId>(&cfg),
        declaration::<FollowUpKind>(&cfg),
        declaration::<FollowUpEvent>(&cfg),
        declaration::<DeviationInput>(&cfg),
        declaration::<SlaInput>(&cfg),
        declaration::<SlaRecord>(&cfg),
        declaration::<FollowUp>(&cfg),
        declaration::<Attention>(&cfg),
        declaration::<OverviewItem>(&cfg),
        declaration::<OverviewService>(&cfg),
        declaration::<HeatCell>(&cfg),
        declaration::<StatusCount>(&cfg),
        declaration::<LevelCount>(&cfg),
        declaration::<Overview>(&cfg),
        declaration::<Verification>(&cfg),
        declaration::<Mismatch>(&cfg),
        declaration::<RowMismatch>(&cfg),
        declaration::<LogFilter>(&cfg),
        declaration::<LogEntry>(&cfg),
        declaration::<LogPage>(&cfg),
        declaration::<ReportKind>(&cfg),
        declaration::<SavedReport>(&cfg),
    ];
    let mut out = String::from(
        "// Generated from the Rust types by `make bindings` (tillit::ipc::typescript_bindings).\n\
         // Do not edit: change the Rust type and regenerate.\n\n",
    );
    for declaration in declarations {
        out.push_str(&declaration);
        out.push_str("\n\n");
    }
    out.push_str(&commands_interface(&cfg));
    out
}

fn declaration<T: TS>(cfg: &Config) -> String {
    let docs = T::docs().unwrap_or_default();
    format!("{docs}export {}", T::decl(cfg))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_contract_declares_exactly_the_commands_the_shell_grants() {
        assert_eq!(CONTRACT_NAMES, COMMAND_NAMES);
    }
}
