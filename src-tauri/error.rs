//! Errors are values: the core returns [`Error`], and everything that leaves the
//! process (the IPC to the UI, the CLI's messages) goes through [`AppError`],
//! whose `code` is stable and whose `field` names the input at fault, so the UI
//! can show the message next to that field.

use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use ts_rs::TS;

/// Everything that can go wrong in the core.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Input the user can correct: one entry per field at fault (and per row,
    /// for imports). Never empty.
    #[error("{}", describe_invalid(.0))]
    Invalid(Vec<FieldError>),

    /// What was asked for does not exist.
    #[error("No {entity} with id {id}.")]
    NotFound { entity: &'static str, id: String },

    /// The request is valid but the workflow does not allow it now
    /// (e.g. editing an offboarded supplier).
    #[error("{0}")]
    NotAllowed(String),

    /// An assessment's lock forbids the change (DOMAIN §3): nothing was
    /// changed, and nothing was voided.
    #[error("{}", .0.sentence())]
    Locked(Lock),

    /// Nobody is signed in, and the operation needs a user.
    #[error("Sign in first: {0} needs a signed-in user.")]
    NotSignedIn(&'static str),

    /// The signed-in user's roles do not allow the operation.
    #[error("{user} may not {action}: that needs the role {roles}.")]
    Forbidden {
        user: String,
        action: &'static str,
        roles: String,
    },

    /// A password did not match (sign-in, or the approver's confirmation).
    #[error("The user name or password is wrong.")]
    WrongPassword,

    /// The database was written by a newer Tillit; opening it is refused
    /// before anything is written to it.
    #[error(
        "The database {path} has schema version {found}, but this Tillit ({version}) knows versions up to {supported}. \
         It was written by a newer Tillit: open it with that version, or choose another database. Nothing was changed.",
        version = crate::VERSION
    )]
    DatabaseTooNew {
        path: String,
        found: u32,
        supported: u32,
    },

    /// The file is an SQLite database of some other program.
    #[error("The file {path} is not a Tillit database ({reason}). Nothing was changed.")]
    NotATillitDatabase { path: String, reason: String },

    /// A file the user named does not exist.
    #[error("No database at {0}.")]
    DatabaseMissing(PathBuf),

    #[error("Database error: {0}")]
    Sqlite(rusqlite::Error),

    /// Another program (a window or a command) held the database's write
    /// lock for longer than Tillit waits.
    #[error(
        "Another Tillit window or command is writing to this database and did not finish within {LOCK_WAIT_SECONDS} seconds. Nothing was changed: try again when it has finished."
    )]
    Busy,

    /// The disk (or the database's size limit) is full.
    #[error("The disk is full ({0}). Nothing was changed: free some space and try again.")]
    DiskFull(String),

    /// SQLite reports the database file damaged.
    #[error(
        "The database is damaged ({0}). Nothing was changed. Restore the latest backup: Settings → Database → Restore in the window, or `tillit restore <backup>`."
    )]
    Damaged(String),

    /// The database file (or its folder) can only be read.
    #[error(
        "The database can only be read: the file or its folder is read-only, and this needs to write to it. Nothing was changed."
    )]
    ReadOnly,

    #[error("File error at {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// The audit trail does not verify: someone changed the database outside Tillit.
    #[error("{0}")]
    AuditMismatch(String),

    /// A backup cannot be restored (damaged, not Tillit's, or its trail does
    /// not verify); the current database was not touched.
    #[error(
        "The backup {path} cannot be restored: {reason}. The current database was not changed."
    )]
    BackupRefused { path: String, reason: String },

    /// Too many wrong passwords in a row: the user may try again later.
    #[error("Too many wrong passwords for {user}: signing in is locked until {until} (UTC).")]
    LockedOut { user: String, until: String },

    /// A broken invariant inside Tillit itself, never the user's fault.
    #[error("Internal error: {0}")]
    Internal(String),
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
            Error::NotAllowed(_) => ErrorCode::NotAllowed,
            Error::Locked(_) => ErrorCode::Locked,
            Error::NotSignedIn(_) => ErrorCode::NotSignedIn,
            Error::Forbidden { .. } => ErrorCode::Forbidden,
            Error::WrongPassword => ErrorCode::WrongPassword,
            Error::DatabaseTooNew { .. } => ErrorCode::DatabaseTooNew,
            Error::NotATillitDatabase { .. } => ErrorCode::NotATillitDatabase,
            Error::DatabaseMissing(_) => ErrorCode::DatabaseMissing,
            Error::Sqlite(_) => ErrorCode::Database,
            Error::Busy => ErrorCode::Busy,
            Error::DiskFull(_) => ErrorCode::DiskFull,
            Error::Damaged(_) => ErrorCode::Damaged,
            Error::ReadOnly => ErrorCode::ReadOnly,
            Error::Io { .. } => ErrorCode::Io,
            Error::AuditMismatch(_) => ErrorCode::AuditMismatch,
            Error::BackupRefused { .. } => ErrorCode::BackupRefused,
            Error::LockedOut { .. } => ErrorCode::LockedOut,
            Error::Internal(_) => ErrorCode::Internal,
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
        match self {
            Lock::Step1Escalated => "Step 1 is escalated and locked: only management's resolution moves it on. To assess again from scratch, start a new assessment.",
            Lock::Step1Final => "Step 1 is final (it stopped, or its escalation was resolved) and cannot be changed. To assess again from scratch, start a new assessment.",
            Lock::Submitted => "The assessment is submitted for a decision and read-only: withdraw it first to change it.",
            Lock::Decided => "The assessment is decided and read-only: reopen it (with a reason) to change it; that voids the decision.",
        }
        .to_owned()
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
    Internal,
}

/// The one error shape that crosses the IPC: `{ code, message, field? }`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AppError {
    pub code: ErrorCode,
    /// A complete sentence in English, for logs and as a fallback in the UI.
    pub message: String,
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
/// of problem and an English sentence saying exactly what is wrong.
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

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(row) = self.row {
            write!(f, "row {row}, ")?;
        }
        write!(f, "{}: {}", self.field, self.message)
    }
}

fn describe_invalid(errors: &[FieldError]) -> String {
    match errors {
        [] => "invalid input".to_owned(),
        [one] => one.to_string(),
        [first, rest @ ..] => format!("{first} (and {} more)", rest.len()),
    }
}

impl From<Error> for AppError {
    fn from(error: Error) -> Self {
        let errors = error.field_errors().to_vec();
        let (message, field) = match errors.as_slice() {
            [only] if only.row.is_none() => (only.message.clone(), Some(only.field.clone())),
            [first, ..] => (error.to_string(), Some(first.field.clone())),
            [] => (error.to_string(), None),
        };
        AppError {
            code: error.code(),
            message,
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
    fn an_error_without_a_field_leaves_the_field_out() {
        let error = AppError::from(Error::Internal("lock poisoned".into()));
        let json = serde_json::to_value(&error).unwrap();
        assert_eq!(json["code"], "internal");
        assert!(json.get("field").is_none(), "no field expected in {json}");
    }
}
