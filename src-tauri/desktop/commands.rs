//! The Tauri commands. Their names are listed in `ipc_commands.rs` and their
//! types declared in `ipc.rs`; each is one call into the core. Arguments keep
//! their snake_case names on the IPC, as the generated contract declares them.
//! File paths come from the native dialogs, which `choose_file` opens; a
//! command that reads or writes a file takes only a path granted that way.

use crate::approval::{self, DecisionInput, NewUser, Session, User, UserChange, UserId};
use crate::assessment::step1::{Step1Input, Step1Outcome};
use crate::assessment::workflow::{self, Assessment, AssessmentId, ServiceInput, Summary};
use crate::audit::{self, LogFilter, LogPage, Verification};
use crate::error::AppError;
use crate::files::{FileGrants, FilePurpose};
use crate::interchange::{self, ImportSummary};
use crate::ipc::AppInfo;
use crate::jurisdiction::{all_countries, Country};
use crate::report::{self, ReportKind, SavedReport};
use crate::review::{self, DeviationInput, FollowUp, Overview, SlaInput};
use crate::rules::{self, StoredRuleSet};
use crate::settings::{self, Language, UiSettings};
use crate::store::{BackupSummary, Db, RestoreSummary};
use crate::supplier::{self, *};
use chrono::NaiveDate;
use tauri::{State, WebviewWindow};
use tauri_plugin_dialog::DialogExt;

type Reply<T> = Result<T, AppError>;

#[tauri::command(rename_all = "snake_case")]
pub async fn app_info(db: State<'_, Db>) -> Reply<AppInfo> {
    Ok(crate::ipc::app_info(&db)?)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn get_ui_settings(db: State<'_, Db>) -> Reply<UiSettings> {
    Ok(db.read(settings::ui_settings)?)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn set_language(db: State<'_, Db>, language: Language) -> Reply<UiSettings> {
    Ok(settings::choose_language(&db, language)?)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn list_countries() -> Reply<Vec<Country>> {
    Ok(all_countries().to_vec())
}

#[tauri::command(rename_all = "snake_case")]
pub async fn list_register(db: State<'_, Db>, query: RegisterQuery) -> Reply<RegisterPage> {
    Ok(supplier::list_register(&db, &query)?)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn supplier_detail(db: State<'_, Db>, id: SupplierId) -> Reply<SupplierDetail> {
    Ok(supplier::supplier_detail(&db, id)?)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn create_supplier(db: State<'_, Db>, fields: SupplierFields) -> Reply<SupplierDetail> {
    Ok(supplier::create_supplier(&db, fields)?)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn update_supplier(
    db: State<'_, Db>,
    id: SupplierId,
    fields: SupplierFields,
) -> Reply<SupplierDetail> {
    Ok(supplier::update_supplier(&db, id, fields)?)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn offboard_supplier(
    db: State<'_, Db>,
    id: SupplierId,
    reason: String,
) -> Reply<SupplierDetail> {
    Ok(supplier::offboard_supplier(&db, id, &reason)?)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn add_service(
    db: State<'_, Db>,
    supplier_id: SupplierId,
    fields: ServiceFields,
) -> Reply<SupplierDetail> {
    Ok(supplier::add_service(&db, supplier_id, fields)?)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn update_service(
    db: State<'_, Db>,
    id: ServiceId,
    fields: ServiceFields,
) -> Reply<SupplierDetail> {
    Ok(supplier::update_service(&db, id, fields)?)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn remove_service(db: State<'_, Db>, id: ServiceId) -> Reply<SupplierDetail> {
    Ok(supplier::remove_service(&db, id)?)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn add_subcontractor(
    db: State<'_, Db>,
    supplier_id: SupplierId,
    fields: SubcontractorFields,
) -> Reply<SupplierDetail> {
    Ok(supplier::add_subcontractor(&db, supplier_id, fields)?)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn update_subcontractor(
    db: State<'_, Db>,
    id: SubcontractorId,
    fields: SubcontractorFields,
) -> Reply<SupplierDetail> {
    Ok(supplier::update_subcontractor(&db, id, fields)?)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn remove_subcontractor(db: State<'_, Db>, id: SubcontractorId) -> Reply<SupplierDetail> {
    Ok(supplier::remove_subcontractor(&db, id)?)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn add_evidence(
    db: State<'_, Db>,
    supplier_id: SupplierId,
    fields: EvidenceFields,
    file: Option<String>,
    grants: State<'_, FileGrants>,
) -> Reply<SupplierDetail> {
    let file = file
        .map(|path| grants.take(FilePurpose::Evidence, &path))
        .transpose()?;
    let store = supplier::evidence_dir(&db)?;
    Ok(supplier::add_evidence(
        &db,
        supplier_id,
        fields,
        file.as_deref(),
        &store,
    )?)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn remove_evidence(db: State<'_, Db>, id: EvidenceId) -> Reply<SupplierDetail> {
    Ok(supplier::remove_evidence(&db, id)?)
}

/// Opens the stored copy of an evidence file with the system's viewer.
#[tauri::command(rename_all = "snake_case")]
pub async fn open_evidence(db: State<'_, Db>, id: EvidenceId) -> Reply<()> {
    let path = supplier::evidence_file_path(&db, id, &supplier::evidence_dir(&db)?)?;
    super::open_with_system_viewer(&path)?;
    Ok(())
}

#[tauri::command(rename_all = "snake_case")]
pub async fn import_file(
    db: State<'_, Db>,
    grants: State<'_, FileGrants>,
    path: String,
) -> Reply<ImportSummary> {
    let path = grants.take(FilePurpose::Import, &path)?;
    Ok(interchange::import_file(&db, &path)?)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn export_register(
    db: State<'_, Db>,
    grants: State<'_, FileGrants>,
    path: String,
) -> Reply<()> {
    let path = grants.take(FilePurpose::Export, &path)?;
    Ok(interchange::json::export_file(&db, &path)?)
}

/// Opens the native file dialog for `purpose` (a save dialog for a file to
/// write, proposing `suggested_name`) and grants the chosen path to the one
/// command of that purpose; `None` when the user cancels.
#[tauri::command(rename_all = "snake_case")]
pub async fn choose_file(
    window: WebviewWindow,
    db: State<'_, Db>,
    grants: State<'_, FileGrants>,
    purpose: FilePurpose,
    title: String,
    filter: String,
    suggested_name: Option<String>,
) -> Reply<Option<String>> {
    let mut dialog = window.dialog().file().set_parent(&window).set_title(title);
    if !purpose.extensions().is_empty() {
        dialog = dialog.add_filter(filter, purpose.extensions());
    }
    let chosen = if purpose.writes() {
        if let Some(name) = suggested_name {
            dialog = dialog.set_file_name(name);
        }
        dialog.blocking_save_file()
    } else {
        dialog.blocking_pick_file()
    };
    // The dialog may have read the database file, which drops the
    // connection's locks (see `Db::reconnect`).
    db.reconnect()?;
    let Some(chosen) = chosen else {
        return Ok(None);
    };
    let path = chosen
        .into_path()
        .map_err(|e| crate::Error::Internal(format!("the dialog returned no file path: {e}")))?;
    let text = path
        .to_str()
        .ok_or_else(|| {
            crate::Error::NotAllowed(format!(
                "the path {} is not valid UTF-8: choose another",
                path.display()
            ))
        })?
        .to_owned();
    if db
        .path()
        .is_some_and(|database| crate::files::is_database_file(&path, database))
    {
        return Err(crate::Error::NotAllowed(format!(
            "{text} is the open Tillit database itself: choose another file"
        ))
        .into());
    }
    grants.grant(purpose, path);
    Ok(Some(text))
}

/// Writes a backup of the database to the path chosen for it.
#[tauri::command(rename_all = "snake_case")]
pub async fn backup_database(
    db: State<'_, Db>,
    grants: State<'_, FileGrants>,
    path: String,
) -> Reply<BackupSummary> {
    let path = grants.take(FilePurpose::Backup, &path)?;
    Ok(db.backup(&path)?)
}

/// Replaces the database with the backup chosen for it; signs out.
#[tauri::command(rename_all = "snake_case")]
pub async fn restore_database(
    db: State<'_, Db>,
    grants: State<'_, FileGrants>,
    path: String,
) -> Reply<RestoreSummary> {
    let path = grants.take(FilePurpose::Restore, &path)?;
    Ok(db.restore(&path)?)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn current_rule_set(db: State<'_, Db>) -> Reply<StoredRuleSet> {
    Ok(db.read(rules::current)?)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn save_rule_set(
    db: State<'_, Db>,
    rules: rules::RuleSet,
    note: String,
) -> Reply<StoredRuleSet> {
    Ok(rules::save_and_read(&db, &rules, &note)?)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn start_assessment(
    db: State<'_, Db>,
    supplier_id: SupplierId,
    assessed_on: NaiveDate,
) -> Reply<Assessment> {
    Ok(workflow::start(&db, supplier_id, assessed_on)?)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn assessments_of(db: State<'_, Db>, supplier_id: SupplierId) -> Reply<Vec<Assessment>> {
    Ok(workflow::of_supplier(&db, supplier_id)?)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn get_assessment(db: State<'_, Db>, id: AssessmentId) -> Reply<Assessment> {
    Ok(workflow::get(&db, id)?)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn save_step1(
    db: State<'_, Db>,
    id: AssessmentId,
    input: Step1Input,
) -> Reply<Assessment> {
    Ok(workflow::save_step1(&db, id, input)?)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn resolve_escalation(
    db: State<'_, Db>,
    id: AssessmentId,
    decision: Step1Outcome,
    justification: String,
) -> Reply<Assessment> {
    Ok(workflow::resolve_escalation(
        &db,
        id,
        decision,
        &justification,
    )?)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn save_service_assessment(
    db: State<'_, Db>,
    id: AssessmentId,
    service_id: ServiceId,
    input: ServiceInput,
) -> Reply<Assessment> {
    Ok(workflow::save_service(&db, id, service_id, input)?)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn assessment_summary(db: State<'_, Db>, id: AssessmentId) -> Reply<Summary> {
    Ok(workflow::summary(&db, id)?)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn reevaluate_assessment(db: State<'_, Db>, id: AssessmentId) -> Reply<Assessment> {
    Ok(workflow::reevaluate(&db, id)?)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn session(db: State<'_, Db>) -> Reply<Session> {
    Ok(approval::session(&db)?)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn create_first_administrator(db: State<'_, Db>, user: NewUser) -> Reply<User> {
    Ok(approval::create_first_administrator(&db, user)?)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn sign_in(db: State<'_, Db>, username: String, password: String) -> Reply<User> {
    Ok(approval::sign_in(&db, &username, &password)?)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn sign_out(db: State<'_, Db>) -> Reply<()> {
    Ok(approval::sign_out(&db)?)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn list_users(db: State<'_, Db>) -> Reply<Vec<User>> {
    Ok(approval::list(&db)?)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn create_user(db: State<'_, Db>, user: NewUser) -> Reply<User> {
    Ok(approval::create(&db, user)?)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn update_user(db: State<'_, Db>, id: UserId, change: UserChange) -> Reply<User> {
    Ok(approval::update(&db, id, change)?)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn reset_password(db: State<'_, Db>, id: UserId, password: String) -> Reply<()> {
    Ok(approval::reset_password(&db, id, &password)?)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn submit_assessment(db: State<'_, Db>, id: AssessmentId) -> Reply<Assessment> {
    Ok(approval::submit(&db, id)?)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn decide_assessment(
    db: State<'_, Db>,
    id: AssessmentId,
    input: DecisionInput,
) -> Reply<Assessment> {
    Ok(approval::decide(&db, id, input)?)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn withdraw_assessment(
    db: State<'_, Db>,
    id: AssessmentId,
    reason: String,
) -> Reply<Assessment> {
    Ok(approval::withdraw(&db, id, &reason)?)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn reopen_assessment(
    db: State<'_, Db>,
    id: AssessmentId,
    input: approval::ReopenInput,
) -> Reply<Assessment> {
    Ok(approval::reopen(&db, id, input)?)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn follow_up(db: State<'_, Db>, supplier_id: SupplierId) -> Reply<FollowUp> {
    Ok(review::follow_up(&db, supplier_id)?)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn record_deviation(
    db: State<'_, Db>,
    supplier_id: SupplierId,
    input: DeviationInput,
) -> Reply<FollowUp> {
    Ok(review::record_deviation(&db, supplier_id, input)?)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn record_sla(
    db: State<'_, Db>,
    service_id: ServiceId,
    input: SlaInput,
) -> Reply<FollowUp> {
    Ok(review::record_sla(&db, service_id, input)?)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn overview(db: State<'_, Db>) -> Reply<Overview> {
    Ok(review::overview(&db, db.now().date_naive())?)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn verify_audit(db: State<'_, Db>) -> Reply<Verification> {
    Ok(db.read(audit::verify)?)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn audit_log(db: State<'_, Db>, filter: LogFilter) -> Reply<LogPage> {
    Ok(db.read(|conn| audit::entries(conn, &filter))?)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn report_file_name(
    db: State<'_, Db>,
    kind: ReportKind,
    supplier_id: Option<SupplierId>,
) -> Reply<String> {
    Ok(report::file_name(&db, kind, supplier_id)?)
}

/// Writes a PDF report to the path the native save dialog returned.
#[tauri::command(rename_all = "snake_case")]
pub async fn save_report(
    db: State<'_, Db>,
    kind: ReportKind,
    supplier_id: Option<SupplierId>,
    language: Language,
    path: String,
    grants: State<'_, FileGrants>,
) -> Reply<SavedReport> {
    let path = grants.take(FilePurpose::Report, &path)?;
    Ok(report::export(&db, kind, supplier_id, language, &path)?)
}
