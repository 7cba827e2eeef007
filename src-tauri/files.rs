//! Which files the window may read or write. The web view never names a file
//! on its own: the core opens the native file dialog, and a command that
//! reads or writes a file accepts only a path the user chose in such a
//! dialog, for the same purpose, once. A web view that was somehow made to
//! run foreign script could therefore not read or overwrite any other file.

use crate::error::Refusal;
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
    /// Where to write a questionnaire to send.
    Questionnaire,
    /// A returned questionnaire to import.
    Answers,
}

impl FilePurpose {
    /// Whether the file is written (a save dialog) rather than read.
    pub fn writes(self) -> bool {
        matches!(
            self,
            FilePurpose::Export
                | FilePurpose::Report
                | FilePurpose::Backup
                | FilePurpose::Questionnaire
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
            FilePurpose::Questionnaire | FilePurpose::Answers => &["xlsx"],
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
            None => Err(Refusal::new("refusal.file_not_chosen")
                .with("path", path)
                .into()),
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

/// What a file Tillit writes must never replace: the open database with its
/// companions, and the folder of evidence files.
#[derive(Debug, Clone, Default)]
pub struct Protected {
    /// The open database file.
    pub database: Option<PathBuf>,
    /// The folder evidence files are kept in.
    pub evidence: Option<PathBuf>,
}

/// Refuses `target` as a file to write, naming it and saying why: a folder,
/// a symbolic link, a device or other special file, the open database or
/// one of its companions, anything in the evidence folder, or a file in a
/// folder that does not exist.
pub fn check_target(target: &Path, protected: &Protected) -> Result<()> {
    let refuse = |key: &'static str| Err(Refusal::new(key).with("path", target.display()).into());
    if target.file_name().is_none() {
        return refuse("refusal.target.names_no_file");
    }
    kind_allows_writing(target)?;
    let folder = folder_of(target);
    if !folder.is_dir() {
        return refuse("refusal.target.no_folder");
    }
    if let Some(database) = &protected.database {
        if is_database_file(target, database) {
            return refuse("refusal.target.database");
        }
    }
    if let Some(evidence) = &protected.evidence {
        let inside = match (folder.canonicalize(), evidence.canonicalize()) {
            (Ok(folder), Ok(evidence)) => folder.starts_with(evidence),
            _ => false,
        };
        if inside {
            return refuse("refusal.target.evidence");
        }
    }
    Ok(())
}

/// The folder a file is in (`.` for a bare name).
fn folder_of(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// Refuses replacing anything but a regular file (or nothing).
fn kind_allows_writing(target: &Path) -> Result<()> {
    let key = match std::fs::symlink_metadata(target) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(Error::io(target, e)),
        Ok(meta) if meta.is_file() => return Ok(()),
        Ok(meta) if meta.is_dir() => "refusal.target.folder",
        Ok(meta) if meta.file_type().is_symlink() => "refusal.target.symlink",
        Ok(_) => "refusal.target.special",
    };
    Err(Refusal::new(key).with("path", target.display()).into())
}

/// Writes the file `target` through a new temporary file in the same folder:
/// created exclusively (a link or file already at that name is never
/// followed or reused), readable by its owner only, filled by `write`,
/// flushed to the disk, then renamed over `target`, which may only be a
/// regular file or nothing. On any failure the temporary file is removed
/// and `target` is left as it was. `write` gets the temporary file's path
/// and the file opened for writing.
pub fn write_new(
    target: &Path,
    write: impl FnOnce(&Path, &mut std::fs::File) -> Result<()>,
) -> Result<()> {
    kind_allows_writing(target)?;
    let name = target.file_name().ok_or_else(|| {
        Error::from(Refusal::new("refusal.target.names_no_file").with("path", target.display()))
    })?;
    let folder = folder_of(target);
    let mut temporary = std::ffi::OsString::from(".");
    temporary.push(name);
    temporary.push(format!(".{}.tmp", uuid::Uuid::new_v4().simple()));
    let temporary = folder.join(temporary);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(&temporary).map_err(|e| Error::io(target, e))?;
    let written = write(&temporary, &mut file)
        .and_then(|()| file.sync_all().map_err(|e| Error::io(target, e)))
        .and_then(|()| kind_allows_writing(target))
        .and_then(|()| std::fs::rename(&temporary, target).map_err(|e| Error::io(target, e)));
    drop(file);
    if let Err(error) = written {
        let _ = std::fs::remove_file(&temporary);
        return Err(error);
    }
    // The rename itself survives a crash once the folder is flushed.
    if let Ok(dir) = std::fs::File::open(folder) {
        let _ = dir.sync_all();
    }
    Ok(())
}

/// The bytes of the regular file at `path`, refused when larger than `max`
/// (read no further than that).
pub fn read_limited(path: &Path, max: u64) -> Result<Vec<u8>> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut bytes = Vec::new();
    file.take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io(path, e))?;
    if bytes.len() as u64 > max {
        return Err(Refusal::new("refusal.file_too_large")
            .with("path", path.display())
            .with("limit", max)
            .into());
    }
    Ok(bytes)
}

/// [`check_target`], then [`write_new`] with `bytes`.
pub fn save(target: &Path, protected: &Protected, bytes: &[u8]) -> Result<()> {
    check_target(target, protected)?;
    write_new(target, |_, file| {
        std::io::Write::write_all(file, bytes).map_err(|e| Error::io(target, e))
    })
}

/// A name beside `path` that nothing has yet (no file, folder or link, not
/// even a dangling one): `path` + `suffix`, then `.2`, `.3` … For the copies
/// Tillit makes beside the database (before an upgrade, before a restore).
pub fn unused_name(path: &Path, suffix: &str) -> PathBuf {
    let base = with_suffix(path, suffix);
    let mut candidate = base.clone();
    let mut n = 1;
    while std::fs::symlink_metadata(&candidate).is_ok() {
        n += 1;
        candidate = with_suffix(&base, &format!(".{n}"));
    }
    candidate
}

/// A file carried whole inside a command's arguments or reply, for a
/// transport without the person's files (the team server): its name and its
/// bytes, base64 in JSON. The name is only ever a name: where the bytes are
/// read from or written to is the client's business, and the core takes
/// from it nothing but the extension (an import's format) and the name it
/// shows.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct FileContent {
    pub name: String,
    /// The bytes, base64.
    #[serde(with = "base64_bytes")]
    #[ts(type = "string")]
    pub content: Vec<u8>,
}

impl std::fmt::Debug for FileContent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "FileContent({:?}, {} bytes)",
            self.name,
            self.content.len()
        )
    }
}

impl FileContent {
    /// The bytes of the file at `path`, at most `max` of them, named as the
    /// file is.
    pub fn read(path: &Path, max: u64) -> Result<FileContent> {
        Ok(FileContent {
            name: path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            content: read_limited(path, max)?,
        })
    }

    /// The name as a path of one component, for what reads a file's kind
    /// from its extension: never a folder or a way out of one.
    pub fn name_only(&self) -> PathBuf {
        PathBuf::from(
            Path::new(&self.name)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
        )
    }
}

mod base64_bytes {
    use base64::Engine;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &[u8], serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&base64::engine::general_purpose::STANDARD.encode(bytes))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<u8>, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        base64::engine::general_purpose::STANDARD
            .decode(text.as_bytes())
            .map_err(|e| serde::de::Error::custom(format!("is not base64: {e}")))
    }
}
