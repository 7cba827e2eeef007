//! Errors are values: the core returns [`Error`], and everything that leaves the
//! process (the IPC to the UI, the CLI's messages) goes through [`AppError`],
//! whose `code` is stable and whose `field` names the input at fault, so the UI
//! can show the message next to that field.

use crate::words::{self, Language};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use ts_rs::TS;

/// Everything that can go wrong in the core.
#[derive(Debug)]
pub enum Error {
    /// Input the user can correct: one entry per field at fault (and per row,
    /// for imports). Never empty.
    Invalid(Vec<FieldError>),

    /// What was asked for does not exist.
    NotFound {
        entity: &'static str,
        id: String,
    },

    /// The request is valid but the workflow does not allow it now
    /// (e.g. editing an offboarded supplier): a sentence of the catalogue.
    NotAllowed(Refusal),

    /// An assessment's lock forbids the change (DOMAIN §3): nothing was
    /// changed, and nothing was voided.
    Locked(Lock),

    /// Nobody is signed in, and the operation needs a user.
    NotSignedIn(&'static str),

    /// The signed-in user's roles do not allow the operation.
    Forbidden {
        user: String,
        action: &'static str,
        roles: String,
    },

    /// A password did not match (sign-in, or the approver's confirmation).
    WrongPassword,

    /// The database was written by a newer Tillit; opening it is refused
    /// before anything is written to it.
    DatabaseTooNew {
        path: String,
        found: u32,
        supported: u32,
    },

    /// The file is an SQLite database of some other program.
    NotATillitDatabase {
        path: String,
        reason: String,
    },

    /// A file the user named does not exist.
    DatabaseMissing(PathBuf),

    Sqlite(rusqlite::Error),

    /// A PostgreSQL store (the team server's) failed to answer.
    Postgres(postgres::Error),

    /// Another program (a window or a command) held the database's write
    /// lock for longer than Tillit waits.
    Busy,

    /// The disk (or the database's size limit) is full.
    DiskFull(String),

    /// SQLite reports the database file damaged.
    Damaged(String),

    /// The database file (or its folder) can only be read.
    ReadOnly,

    Io {
        path: PathBuf,
        source: std::io::Error,
    },

    /// The audit trail does not verify: someone changed the database outside Tillit.
    AuditMismatch(String),

    /// A backup cannot be restored (damaged, not Tillit's, or its trail does
    /// not verify); the current database was not touched.
    BackupRefused {
        path: String,
        reason: String,
    },

    /// Too many wrong passwords in a row: the user may try again later.
    LockedOut {
        user: String,
        until: String,
    },

    /// A broken invariant inside Tillit itself, never the user's fault.
    Internal(String),

    /// The record changed since the person opened it (DOMAIN §11): nothing
    /// was saved, so nobody's change is silently overwritten.
    Stale {
        /// What changed, as the person knows it (the supplier's name).
        what: String,
        /// Who changed it last, and when (UTC).
        by: String,
        at: String,
    },

    /// The team server refused: its error as it crossed the wire, its
    /// sentence already in the language the client asked for.
    Remote(Box<AppError>),
}

/// Why the workflow refuses a request: a key of the word catalogue
/// (`refusal.*`) and its parameters, each written in every language (a
/// name is the same in both; a list of blockers is said in each).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub key: &'static str,
    params: Vec<(&'static str, [String; 2])>,
}

impl Refusal {
    pub fn new(key: &'static str) -> Refusal {
        Refusal {
            key,
            params: Vec::new(),
        }
    }

    /// `{name}` is `value` in every language.
    pub fn with(mut self, name: &'static str, value: impl std::fmt::Display) -> Refusal {
        let value = value.to_string();
        self.params.push((name, [value.clone(), value]));
        self
    }

    /// `{name}` is what `say` writes in each language.
    pub fn said(mut self, name: &'static str, say: impl Fn(Language) -> String) -> Refusal {
        self.params
            .push((name, [say(Language::En), say(Language::Sv)]));
        self
    }

    /// The refusal in `language`.
    pub fn sentence_in(&self, language: Language) -> String {
        let index = Language::ALL
            .iter()
            .position(|l| *l == language)
            .unwrap_or(0);
        let params: Vec<(&str, String)> = self
            .params
            .iter()
            .map(|(name, values)| (*name, values[index].clone()))
            .collect();
        words::t(language, self.key, &params)
    }
}

impl From<Refusal> for Error {
    fn from(refusal: Refusal) -> Error {
        Error::NotAllowed(refusal)
    }
}

/// A constraint of the schema that a write broke, as either engine
/// reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// A primary key or unique constraint (else a check, a foreign key or
    /// NOT NULL).
    pub unique: bool,
    /// Whether it is the primary key.
    pub primary_key: bool,
    /// The first column concerned, as `table.column`, when the engine says.
    pub column: Option<String>,
    /// The engine's own words.
    pub message: String,
}

impl Error {
    /// The constraint this database error reports broken, if it is one.
    pub fn violation(&self) -> Option<Violation> {
        match self {
            Error::Sqlite(rusqlite::Error::SqliteFailure(failure, message))
                if failure.code == rusqlite::ErrorCode::ConstraintViolation =>
            {
                let message = message.clone().unwrap_or_else(|| failure.to_string());
                let unique = message.starts_with("UNIQUE") || message.starts_with("PRIMARY KEY");
                let column = message
                    .split_once("failed: ")
                    .map(|(_, what)| what.split(',').next().unwrap_or(what).trim().to_owned())
                    .filter(|what| !what.is_empty());
                Some(Violation {
                    unique,
                    primary_key: failure.extended_code
                        == rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY,
                    column,
                    message,
                })
            }
            Error::Postgres(error) => {
                let db = error.as_db_error()?;
                let code = db.code().code();
                if !code.starts_with("23") {
                    return None;
                }
                let unique = code == "23505";
                // "Key (id)=(…) already exists."
                let first = db
                    .detail()
                    .and_then(|d| d.strip_prefix("Key ("))
                    .and_then(|d| d.split([',', ')']).next())
                    .or(db.column());
                let column = match (db.table(), first) {
                    (Some(table), Some(column)) => Some(format!("{table}.{}", column.trim())),
                    _ => None,
                };
                Some(Violation {
                    unique,
                    primary_key: unique && db.constraint().is_some_and(|c| c.ends_with("_pkey")),
                    column,
                    message: db.message().to_owned(),
                })
            }
            _ => None,
        }
    }
}

impl Error {
    /// The sentence a person reads, in `language` where the catalogue has
    /// it, and the language it is in: errors whose text is written where
    /// they arise (a validation, a refusal of the workflow) are in English.
    pub fn sentence_in(&self, language: Language) -> (String, Language) {
        let say =
            |key: &str, params: &[(&str, String)]| (words::t(language, key, params), language);
        match self {
            Error::NotFound { entity, id } => say(
                "message.not_found",
                &[("entity", (*entity).to_owned()), ("id", id.clone())],
            ),
            Error::Locked(lock) => (lock.sentence_in(language), language),
            Error::NotSignedIn(what) => {
                say("message.not_signed_in", &[("what", (*what).to_owned())])
            }
            Error::Forbidden {
                user,
                action,
                roles,
            } => say(
                "message.forbidden",
                &[
                    ("user", user.clone()),
                    ("action", (*action).to_owned()),
                    ("roles", roles.clone()),
                ],
            ),
            Error::WrongPassword => say("message.wrong_password", &[]),
            Error::DatabaseTooNew {
                path,
                found,
                supported,
            } => say(
                "message.database_too_new",
                &[
                    ("path", path.clone()),
                    ("found", found.to_string()),
                    ("supported", supported.to_string()),
                    ("version", crate::VERSION.to_owned()),
                ],
            ),
            Error::NotATillitDatabase { path, reason } => say(
                "message.not_a_tillit_database",
                &[("path", path.clone()), ("reason", reason.clone())],
            ),
            Error::DatabaseMissing(path) => say(
                "message.database_missing",
                &[("path", path.display().to_string())],
            ),
            Error::Busy => say(
                "message.busy",
                &[("seconds", LOCK_WAIT_SECONDS.to_string())],
            ),
            Error::DiskFull(detail) => say("message.disk_full", &[("detail", detail.clone())]),
            Error::Damaged(detail) => say("message.damaged", &[("detail", detail.clone())]),
            Error::ReadOnly => say("message.read_only", &[]),
            Error::BackupRefused { path, reason } => say(
                "message.backup_refused",
                &[("path", path.clone()), ("reason", reason.clone())],
            ),
            Error::LockedOut { user, until } => say(
                "message.locked_out",
                &[("user", user.clone()), ("until", until.clone())],
            ),
            Error::Invalid(errors) => (describe_invalid(errors, language), language),
            Error::NotAllowed(refusal) => (refusal.sentence_in(language), language),
            Error::AuditMismatch(text) => (text.clone(), Language::En),
            Error::Sqlite(error) => (format!("Database error: {error}"), Language::En),
            Error::Postgres(error) => (
                match error.as_db_error() {
                    Some(db) => format!("Database error: {}", db.message()),
                    None => format!("Database error: {error}"),
                },
                Language::En,
            ),
            Error::Io { path, source } => (
                format!("File error at {}: {source}", path.display()),
                Language::En,
            ),
            Error::Internal(text) => (format!("Internal error: {text}"), Language::En),
            Error::Remote(reply) => (reply.message.clone(), reply.language),
            Error::Stale { what, by, at } => say(
                "message.stale",
                &[
                    ("what", what.clone()),
                    ("by", by.clone()),
                    ("at", at.clone()),
                ],
            ),
        }
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.sentence_in(Language::En).0)
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Sqlite(error) => Some(error),
            Error::Postgres(error) => Some(error),
            Error::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// How long a write waits for another program's write to finish before
/// giving up with [`Error::Busy`] (the store's busy timeout).
pub const LOCK_WAIT_SECONDS: u64 = 30;

/// The result type of the core.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// One invalid field.
    pub fn invalid(
        field: impl Into<String>,
        code: ValidationCode,
        message: impl Into<String>,
    ) -> Self {
        Error::Invalid(vec![FieldError::new(field, code, message)])
    }

    /// The field errors of an `Invalid` error; empty for every other error.
    pub fn field_errors(&self) -> &[FieldError] {
        match self {
            Error::Invalid(errors) => errors,
            Error::Remote(reply) => &reply.errors,
            _ => &[],
        }
    }

    /// Wraps an I/O error with the path it concerns; a full disk says so.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        let path = path.into();
        if source.kind() == std::io::ErrorKind::StorageFull {
            return Error::DiskFull(format!("writing {}", path.display()));
        }
        Error::Io { path, source }
    }

    /// The stable, machine-readable code of this error.
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::Invalid(_) => ErrorCode::Validation,
            Error::NotFound { .. } => ErrorCode::NotFound,
            // A team server's session that ended: the person signs in again.
            Error::NotAllowed(refusal) if refusal.key == "refusal.session_ended" => {
                ErrorCode::NotSignedIn
            }
            Error::NotAllowed(_) => ErrorCode::NotAllowed,
            Error::Locked(_) => ErrorCode::Locked,
            Error::NotSignedIn(_) => ErrorCode::NotSignedIn,
            Error::Forbidden { .. } => ErrorCode::Forbidden,
            Error::WrongPassword => ErrorCode::WrongPassword,
            Error::DatabaseTooNew { .. } => ErrorCode::DatabaseTooNew,
            Error::NotATillitDatabase { .. } => ErrorCode::NotATillitDatabase,
            Error::DatabaseMissing(_) => ErrorCode::DatabaseMissing,
            Error::Sqlite(_) | Error::Postgres(_) => ErrorCode::Database,
            Error::Busy => ErrorCode::Busy,
            Error::DiskFull(_) => ErrorCode::DiskFull,
            Error::Damaged(_) => ErrorCode::Damaged,
            Error::ReadOnly => ErrorCode::ReadOnly,
            Error::Io { .. } => ErrorCode::Io,
            Error::AuditMismatch(_) => ErrorCode::AuditMismatch,
            Error::BackupRefused { .. } => ErrorCode::BackupRefused,
            Error::LockedOut { .. } => ErrorCode::LockedOut,
            Error::Internal(_) => ErrorCode::Internal,
            Error::Remote(reply) => reply.code,
            Error::Stale { .. } => ErrorCode::Stale,
        }
    }
}

/// The locks of an assessment (DOMAIN §3): what keeps a record of a
/// decision from drifting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Lock {
    /// Step 1 escalated: its ratings, evidence and controls are locked until
    /// management resolves the escalation.
    Step1Escalated,
    /// Step 1 ended in stop, or an escalation was resolved: step 1 is final.
    Step1Final,
    /// Submitted for a decision: read-only until withdrawn or decided.
    Submitted,
    /// Decided: read-only until reopened.
    Decided,
}

impl Lock {
    /// Why the change is refused, in an English sentence.
    pub fn sentence(self) -> String {
        self.sentence_in(Language::En)
    }

    /// Why the change is refused, in `language`.
    pub fn sentence_in(self, language: Language) -> String {
        let key = match self {
            Lock::Step1Escalated => "message.locked.step1_escalated",
            Lock::Step1Final => "message.locked.step1_final",
            Lock::Submitted => "message.locked.submitted",
            Lock::Decided => "message.locked.decided",
        };
        words::t(language, key, &[])
    }
}

/// SQLite's errors, with the ones a person can act on told apart: the
/// lock of another writer, a full disk, a damaged file, a read-only file.
impl From<rusqlite::Error> for Error {
    fn from(error: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode as Code;
        if let rusqlite::Error::SqliteFailure(failure, message) = &error {
            let detail = || message.clone().unwrap_or_else(|| failure.to_string());
            match failure.code {
                Code::DatabaseBusy | Code::DatabaseLocked => return Error::Busy,
                Code::DiskFull => return Error::DiskFull(detail()),
                Code::DatabaseCorrupt => return Error::Damaged(detail()),
                Code::ReadOnly => return Error::ReadOnly,
                _ => {}
            }
        }
        Error::Sqlite(error)
    }
}

impl From<postgres::Error> for Error {
    fn from(error: postgres::Error) -> Self {
        Error::Postgres(error)
    }
}

impl From<rusqlite::types::FromSqlError> for Error {
    fn from(error: rusqlite::types::FromSqlError) -> Self {
        Error::Internal(format!("a stored value has an unexpected type: {error}"))
    }
}

/// The stable codes of [`AppError`]; the UI translates the ones it knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    Validation,
    NotFound,
    NotAllowed,
    Locked,
    NotSignedIn,
    Forbidden,
    WrongPassword,
    DatabaseTooNew,
    NotATillitDatabase,
    DatabaseMissing,
    Database,
    Busy,
    DiskFull,
    Damaged,
    ReadOnly,
    Io,
    AuditMismatch,
    BackupRefused,
    LockedOut,
    /// Someone else saved the record after it was opened: reload.
    Stale,
    Internal,
}

/// The one error shape that crosses the IPC: `{ code, message, field? }`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AppError {
    pub code: ErrorCode,
    /// A complete sentence, in [`AppError::language`].
    pub message: String,
    /// The language of `message`: the one asked for where the catalogue has
    /// the sentence, else English (the window then shows only its own
    /// heading for the code).
    pub language: Language,
    /// The input field at fault (the first, when there are several).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub field: Option<String>,
    /// Every field (and row) at fault, for forms and imports.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<Vec<FieldError>>", optional)]
    pub errors: Vec<FieldError>,
}

/// What is wrong with a field; the UI shows its own sentence for each code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ValidationCode {
    Required,
    TooShort,
    TooLong,
    Format,
    Checksum,
    UnknownCountry,
    DateOrder,
    OutOfRange,
    Duplicate,
    UnknownValue,
}

/// One field at fault: which field (and, in an import, which row), the kind
/// of problem and a sentence saying what is wrong: exactly, in English, as
/// the core writes it; as the catalogue says it for the code in another
/// language ([`FieldError::sentence_in`], applied as the error leaves).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct FieldError {
    /// The row of an import, numbered as a spreadsheet shows it (the header
    /// of a CSV file is row 1); for JSON, the supplier's position from 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub row: Option<u32>,
    pub field: String,
    pub code: ValidationCode,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, code: ValidationCode, message: impl Into<String>) -> Self {
        FieldError {
            row: None,
            field: field.into(),
            code,
            message: message.into(),
        }
    }
}

impl FieldError {
    /// What is wrong, in `language`: the exact sentence in English; in
    /// another language the catalogue's sentence for the code
    /// (`validation.<code>`), as the window shows it beside the field.
    pub fn sentence_in(&self, language: Language) -> String {
        match language {
            Language::En => self.message.clone(),
            _ => {
                // The field's own sentence for the code where the catalogue
                // has one (`validation.lei.format`: what an LEI is), else the
                // code's. A field in a list (`services[0].name`) is its name.
                let code = words::key_of("validation", &self.code);
                let name = self
                    .field
                    .rsplit('.')
                    .next()
                    .unwrap_or(&self.field)
                    .split('[')
                    .next()
                    .unwrap_or_default();
                let own = code.replacen("validation.", &format!("validation.{name}."), 1);
                match words::entry(language, &own) {
                    Some(_) => words::t(language, &own, &[]),
                    None => words::t(language, &code, &[]),
                }
            }
        }
    }

    /// The field (and row) with what is wrong, in `language`.
    pub fn line_in(&self, language: Language) -> String {
        let mut params = vec![
            ("field", self.field.clone()),
            ("message", self.sentence_in(language)),
        ];
        let key = match self.row {
            Some(row) => {
                params.push(("row", row.to_string()));
                "message.invalid.row"
            }
            None => "message.invalid.field",
        };
        words::t(language, key, &params)
    }
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.line_in(Language::En))
    }
}

fn describe_invalid(errors: &[FieldError], language: Language) -> String {
    match errors {
        [] => words::t(language, "message.invalid.none", &[]),
        [one] => one.line_in(language),
        [first, rest @ ..] => words::t(
            language,
            "message.invalid.more",
            &[
                ("first", first.line_in(language)),
                ("more", rest.len().to_string()),
            ],
        ),
    }
}

impl From<Error> for AppError {
    fn from(error: Error) -> Self {
        AppError::in_language(error, Language::En)
    }
}

impl AppError {
    /// `error` as it leaves the process, its sentence in `language` where
    /// the catalogue has it.
    pub fn in_language(error: Error, language: Language) -> AppError {
        let errors = error.field_errors().to_vec();
        let (message, language, field) = match errors.as_slice() {
            [only] if only.row.is_none() => (
                only.sentence_in(language),
                language,
                Some(only.field.clone()),
            ),
            [first, ..] => {
                let (sentence, language) = error.sentence_in(language);
                (sentence, language, Some(first.field.clone()))
            }
            [] => {
                let (sentence, language) = error.sentence_in(language);
                (sentence, language, None)
            }
        };
        // Each field's own sentence in the same language, for the form.
        let errors = errors
            .into_iter()
            .map(|e| FieldError {
                message: e.sentence_in(language),
                ..e
            })
            .collect();
        AppError {
            code: error.code(),
            message,
            language,
            field,
            errors,
        }
    }
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.field {
            Some(field) => write!(f, "{field}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_validation_error_names_its_field_in_the_ipc_shape() {
        let error = AppError::from(Error::invalid(
            "legal_name",
            ValidationCode::Required,
            "is required",
        ));
        let json = serde_json::to_value(&error).unwrap();
        assert_eq!(json["code"], "validation");
        assert_eq!(json["message"], "is required");
        assert_eq!(json["field"], "legal_name");
        assert_eq!(json["errors"][0]["code"], "required");
    }

    #[test]
    fn a_refusal_reaches_a_swedish_window_in_swedish_or_marked_as_english() {
        let wrong = AppError::in_language(Error::WrongPassword, Language::Sv);
        assert_eq!(wrong.message, "Användarnamnet eller lösenordet är fel.");
        assert_eq!(wrong.language, Language::Sv);
        let english = AppError::from(Error::WrongPassword);
        assert_eq!(english.message, "The user name or password is wrong.");
        let locked = AppError::in_language(Error::Locked(Lock::Decided), Language::Sv);
        assert!(
            locked.message.starts_with("Bedömningen är beslutad"),
            "{}",
            locked.message
        );
        let busy = AppError::in_language(Error::Busy, Language::Sv);
        assert!(busy.message.contains("30 sekunder") && !busy.message.contains('{'));
        // A refusal of the workflow is a sentence of the catalogue too.
        let refused = AppError::in_language(
            Refusal::new("refusal.offboarded_unchanged")
                .with("name", "Nordmoln AB")
                .into(),
            Language::Sv,
        );
        assert_eq!(
            (refused.message.as_str(), refused.language),
            (
                "Nordmoln AB är avvecklad; uppgifterna kan inte längre ändras.",
                Language::Sv
            )
        );
        // A field at fault reads as the window shows it beside the field.
        let one = AppError::in_language(
            Error::invalid(
                "tier_justification",
                ValidationCode::Required,
                "is required",
            ),
            Language::Sv,
        );
        assert_eq!(
            (one.message.as_str(), one.language, one.field.as_deref()),
            ("Obligatoriskt.", Language::Sv, Some("tier_justification"))
        );
        assert_eq!(
            one.errors[0].message, "Obligatoriskt.",
            "beside the field too"
        );
        // A field with its own sentence says what is expected of it, in a
        // list too.
        for field in ["lei", "suppliers[3].lei"] {
            let lei = AppError::in_language(
                Error::invalid(field, ValidationCode::Format, "X is not an LEI"),
                Language::Sv,
            );
            assert_eq!(
                lei.errors[0].message,
                "Ett LEI är 20 tecken, bokstäver och siffror, och slutar med två kontrollsiffror."
            );
        }
        let mut row = FieldError::new(
            "country",
            ValidationCode::UnknownCountry,
            "XX is no country",
        );
        row.row = Some(3);
        let rows = Error::Invalid(vec![row.clone(), row]);
        assert_eq!(
            rows.sentence_in(Language::Sv).0,
            "rad 3, country: Ingen känd landskod. (och 1 till)"
        );
        assert_eq!(
            rows.to_string(),
            "row 3, country: XX is no country (and 1 more)"
        );
        // A sentence SQLite or the system wrote stays English, and says so.
        let internal = AppError::in_language(Error::Internal("lock poisoned".into()), Language::Sv);
        assert_eq!(internal.language, Language::En);
    }

    #[test]
    fn an_error_without_a_field_leaves_the_field_out() {
        let error = AppError::from(Error::Internal("lock poisoned".into()));
        let json = serde_json::to_value(&error).unwrap();
        assert_eq!(json["code"], "internal");
        assert!(json.get("field").is_none(), "no field expected in {json}");
    }
}
