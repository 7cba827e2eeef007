//! Which files the window may read or write. The web view never names a file
//! on its own: the core opens the native file dialog, and a command that
//! reads or writes a file accepts only a path the user chose in such a
//! dialog, for the same purpose, once. A web view that was somehow made to
//! run foreign script could therefore not read or overwrite any other file.

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use ts_rs::TS;

/// What a file is chosen for; each purpose reads or writes one kind of file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum FilePurpose {
    /// A register file or a CSV of suppliers to import.
    Import,
    /// An evidence document to attach.
    Evidence,
    /// A backup to restore.
    Restore,
    /// Where to write the register file.
    Export,
    /// Where to write a PDF report.
    Report,
    /// Where to write a backup.
    Backup,
}

impl FilePurpose {
    /// Whether the file is written (a save dialog) rather than read.
    pub fn writes(self) -> bool {
        matches!(
            self,
            FilePurpose::Export | FilePurpose::Report | FilePurpose::Backup
        )
    }

    /// The file name extensions offered in the dialog (none: any file).
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            FilePurpose::Import => &["json", "csv", "txt"],
            FilePurpose::Evidence => &[],
            FilePurpose::Restore | FilePurpose::Backup => &["db", "sqlite", "tillit"],
            FilePurpose::Export => &["json"],
            FilePurpose::Report => &["pdf"],
        }
    }
}

/// The paths the user chose in a native dialog and no command has used yet.
#[derive(Debug, Default)]
pub struct FileGrants(Mutex<Vec<(FilePurpose, PathBuf)>>);

impl FileGrants {
    /// Records that the user chose `path` for `purpose`.
    pub fn grant(&self, purpose: FilePurpose, path: PathBuf) {
        if let Ok(mut granted) = self.0.lock() {
            granted.retain(|(p, _)| *p != purpose);
            granted.push((purpose, path));
        }
    }

    /// The path, if the user chose it for `purpose` and it was not used
    /// yet; the grant is used up. Refused otherwise, naming the path.
    pub fn take(&self, purpose: FilePurpose, path: &str) -> Result<PathBuf> {
        let mut granted = self
            .0
            .lock()
            .map_err(|_| Error::Internal("the file grants were poisoned".into()))?;
        let found = granted
            .iter()
            .position(|(p, chosen)| *p == purpose && chosen.as_path() == Path::new(path));
        match found {
            Some(index) => Ok(granted.swap_remove(index).1),
            None => Err(Error::NotAllowed(format!(
                "the file {path} was not chosen in a file dialog for this; choose it again"
            ))),
        }
    }
}

/// `path` with `suffix` appended to its file name.
pub fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Whether `a` names the database file `database` or one of its companions
/// (write-ahead log, shared memory, journal), without opening either.
pub fn is_database_file(a: &Path, database: &Path) -> bool {
    let canonical = |p: &Path| {
        let parent = p
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        parent
            .canonicalize()
            .ok()
            .map(|d| d.join(p.file_name().unwrap_or_default()))
    };
    let (Some(a), Some(db)) = (canonical(a), canonical(database)) else {
        return false;
    };
    ["", "-wal", "-shm", "-journal"]
        .iter()
        .any(|suffix| a == with_suffix(&db, suffix))
}
