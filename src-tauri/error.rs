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
    /// Input the user can correct; `field` names it.
    #[error("{field}: {message}")]
    Validation { field: String, message: String },

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
    Sqlite(#[from] rusqlite::Error),

    #[error("File error at {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// A broken invariant inside Tillit itself, never the user's fault.
    #[error("Internal error: {0}")]
    Internal(String),
}

/// The result type of the core.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// A validation error for `field`.
    pub fn validation(field: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Validation {
            field: field.into(),
            message: message.into(),
        }
    }

    /// Wraps an I/O error with the path it concerns.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    /// The stable, machine-readable code of this error.
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::Validation { .. } => ErrorCode::Validation,
            Error::DatabaseTooNew { .. } => ErrorCode::DatabaseTooNew,
            Error::NotATillitDatabase { .. } => ErrorCode::NotATillitDatabase,
            Error::DatabaseMissing(_) => ErrorCode::DatabaseMissing,
            Error::Sqlite(_) => ErrorCode::Database,
            Error::Io { .. } => ErrorCode::Io,
            Error::Internal(_) => ErrorCode::Internal,
        }
    }
}

/// The stable codes of [`AppError`]; the UI translates the ones it knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    Validation,
    DatabaseTooNew,
    NotATillitDatabase,
    DatabaseMissing,
    Database,
    Io,
    Internal,
}

/// The one error shape that crosses the IPC: `{ code, message, field? }`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AppError {
    pub code: ErrorCode,
    /// A complete sentence in English, for logs and as a fallback in the UI.
    pub message: String,
    /// The input field at fault, for validation errors.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub field: Option<String>,
}

impl From<Error> for AppError {
    fn from(error: Error) -> Self {
        let (message, field) = match &error {
            Error::Validation { field, message } => (message.clone(), Some(field.clone())),
            other => (other.to_string(), None),
        };
        AppError {
            code: error.code(),
            message,
            field,
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
        let error = AppError::from(Error::validation("legal_name", "is required"));
        let json = serde_json::to_value(&error).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"code": "validation", "message": "is required", "field": "legal_name"})
        );
    }

    #[test]
    fn an_error_without_a_field_leaves_the_field_out() {
        let error = AppError::from(Error::Internal("lock poisoned".into()));
        let json = serde_json::to_value(&error).unwrap();
        assert_eq!(json["code"], "internal");
        assert!(json.get("field").is_none(), "no field expected in {json}");
    }
}
