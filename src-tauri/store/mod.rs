//! The store: where the database file is, how a connection is set up, how the
//! schema is brought up to date, and the one way to write (`with_tx`).
//!
//! Every connection is configured in [`configure`] and nowhere else. Opening a
//! file checks it before writing a byte to it: a database from a newer Tillit,
//! or another program's SQLite file, is refused and left exactly as it was. An
//! older Tillit database is first copied aside (`tillit.db.bak-v<old>`), then
//! upgraded in one transaction.

mod backup;
pub mod copy;
mod info;
mod migrate;
pub mod postgres;
pub(crate) mod session;
pub mod signing;
pub mod sql;
pub mod trail;

pub use backup::{BackupSummary, RestoreSummary};
pub use info::{DbInfo, TableCount};
pub use migrate::{latest_version, Migration, MIGRATIONS};

use crate::access::{Permission, User};
use crate::context::{Clock, IdSource, SystemClock, TimeOrderedIds};
use crate::error::Refusal;
use crate::error::{Error, Result};
use chrono::{DateTime, Utc};
use rusqlite::{Connection as SqliteConnection, OpenFlags};
use sql::Connection;
use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

/// The environment variable that names the database file.
pub const DB_ENV_VAR: &str = "TILLIT_DB";

/// The file name of the default database inside the app-data folder.
pub const DEFAULT_FILE_NAME: &str = "tillit.db";

/// `PRAGMA application_id` of a Tillit database ('TILL'); set by migration 0001.
pub const APPLICATION_ID: i32 = 0x5449_4C4C;

/// The actor of changes Tillit makes by itself (upgrades, start-up checks).
pub const SYSTEM_ACTOR: &str = "tillit";

/// How long a statement waits for a lock held by another connection (a
/// window or a command line on the same file) before giving up with
/// [`Error::Busy`]: writers take their turn.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(crate::error::LOCK_WAIT_SECONDS);

/// The default database: `tillit.db` in the OS app-data folder of the app
/// identifier (on Linux `~/.local/share/se.tillit.desktop/tillit.db`).
pub fn default_path() -> Result<PathBuf> {
    let data = dirs::data_dir()
        .ok_or_else(|| Error::Internal("the OS reports no app-data folder for this user".into()))?;
    Ok(data.join(crate::APP_IDENTIFIER).join(DEFAULT_FILE_NAME))
}

/// The database to open: the one named explicitly (`--db` or `TILLIT_DB`), else
/// the default.
pub fn resolve_path(explicit: Option<&Path>) -> Result<PathBuf> {
    match explicit {
        Some(path) => Ok(path.to_path_buf()),
        None => default_path(),
    }
}

/// What opening a file did to its schema, for the shell to tell the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Opened {
    /// The file did not exist (or was empty) and was created at the latest version.
    Created,
    /// The file was already at the latest version.
    Current,
    /// The file was upgraded; the copy made before the upgrade is at `backup`.
    Upgraded { from: u32, to: u32, backup: PathBuf },
}

/// The database handle: the database (one connection behind a mutex) and
/// the session of one person. The shell keeps one (in `tauri::State`), a
/// CLI command or a test owns one, and the team server keeps one per signed-in
/// session, each made with [`Db::new_session`] over the same database.
#[derive(Debug)]
pub struct Db {
    shared: Arc<Shared>,
    /// The signed-in user, if any (one per window, CLI invocation or
    /// server session).
    session: Mutex<Option<User>>,
    signer: Mutex<Option<signing::Key>>,
}

/// What every session over one database shares.
#[derive(Debug)]
struct Shared {
    engine: Engine,
    path: Option<PathBuf>,
    /// The folder of evidence files when it was given
    /// ([`Db::with_evidence_dir`]); else `evidence/` beside the file.
    evidence: Option<PathBuf>,
    /// Opened with [`Db::open_read_only`].
    read_only: bool,
    opened: Opened,
    clock: Box<dyn Clock>,
    ids: Box<dyn IdSource>,
    derived: Derived,
}

/// The database underneath.
#[derive(Debug)]
enum Engine {
    /// A file (or memory) of SQLite's: one connection for writes and, by
    /// default, reads.
    Sqlite {
        conn: Mutex<SqliteConnection>,
        /// Whether [`Db::read`] runs on connections of its own, in parallel
        /// with other reads and with the writer (the team server's many
        /// sessions); otherwise every read shares the one connection.
        parallel: std::sync::atomic::AtomicBool,
        /// How many [`Db::reading_beside`] are running: reads run on
        /// connections of their own meanwhile too.
        beside: std::sync::atomic::AtomicUsize,
        /// Idle read-only connections for parallel reads.
        readers: Mutex<Vec<SqliteConnection>>,
    },
    /// A PostgreSQL database (the team server's): every read and write on
    /// a session of the pool, reads in parallel, writes one at a time.
    Postgres(postgres::Pool),
}

/// The most idle read-only connections kept for parallel reads.
const IDLE_READERS: usize = 8;

/// Values computed from the database and kept until it changes: one per
/// type, each with the [`Stamp`] of the content it was computed from.
#[derive(Default)]
struct Derived(Mutex<HashMap<TypeId, (Stamp, Kept)>>);

/// A kept value, of the type its key names.
type Kept = Arc<dyn Any + Send + Sync>;

/// The value of type `T` kept, with the stamp of the content it was
/// computed on.
fn kept_of<T: Any + Send + Sync>(kept: &HashMap<TypeId, (Stamp, Kept)>) -> Option<(Stamp, Arc<T>)> {
    let (at, value) = kept.get(&TypeId::of::<T>())?;
    Some((*at, Arc::clone(value).downcast::<T>().ok()?))
}

impl std::fmt::Debug for Derived {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kept = self.0.lock().map(|m| m.len()).unwrap_or(0);
        write!(f, "Derived({kept} kept)")
    }
}

/// What tells this connection that the content may have changed: commits by
/// other connections (`PRAGMA data_version`) and rows changed by this one
/// (`total_changes`, which also counts changes later rolled back: a value
/// is then computed again, never kept stale).
type Stamp = (i64, u64);

fn stamp(conn: &SqliteConnection) -> Result<Stamp> {
    let version: i64 = conn.query_row("PRAGMA data_version", [], |r| r.get(0))?;
    Ok((version, conn.total_changes()))
}

/// A write transaction: the connection, who is acting and when. Every
/// changed row is captured and appended to the audit trail with this actor
/// and time just before the transaction commits; a transaction not
/// committed is rolled back when it is dropped.
#[derive(Debug)]
pub struct Tx<'c> {
    conn: Connection<'c>,
    committed: std::cell::Cell<bool>,
    actor: String,
    now: DateTime<Utc>,
    /// The acting user as stored when the write was authorised.
    user: Option<User>,
    /// The acting user's unsealed signing key, if they have one.
    signer: Option<signing::Key>,
}

impl<'c> std::ops::Deref for Tx<'c> {
    type Target = Connection<'c>;
    fn deref(&self) -> &Connection<'c> {
        &self.conn
    }
}

impl Drop for Tx<'_> {
    fn drop(&mut self) {
        if !self.committed.get() {
            // Nothing of a failed write remains; an error here leaves the
            // transaction to end with the connection.
            let _ = self.conn.execute_batch("ROLLBACK");
        }
    }
}

impl Tx<'_> {
    /// Who is acting (a username, or [`SYSTEM_ACTOR`]).
    pub fn actor(&self) -> &str {
        &self.actor
    }

    /// The acting user as stored now; an error in a write by Tillit itself.
    pub fn user(&self, what: &'static str) -> Result<&User> {
        self.user.as_ref().ok_or(Error::NotSignedIn(what))
    }

    /// Signs the record `id` of `kind` as it is now in this transaction,
    /// with the acting user's key (DOMAIN §7).
    pub fn sign(&self, kind: signing::Kind, id: &str) -> Result<()> {
        match &self.signer {
            Some(key) => signing::sign(&self.conn, kind, id, key, &self.now_text()),
            None if !signing::applies(&self.conn)? => Ok(()),
            None => Err(Refusal::new("refusal.no_signing_key")
                .with("user", self.actor())
                .into()),
        }
    }

    /// The acting user's signing key, if unsealed.
    pub fn signer(&self) -> Option<&signing::Key> {
        self.signer.as_ref()
    }

    /// The time of this write.
    pub fn now(&self) -> DateTime<Utc> {
        self.now
    }

    /// The time of this write as stored.
    pub fn now_text(&self) -> String {
        crate::context::timestamp(self.now)
    }

    /// Appends an entry that is not a row change (sign-ins, exports), in
    /// this transaction.
    pub fn note(
        &self,
        action: trail::Action,
        entity: &str,
        entity_id: &str,
        after: Option<serde_json::Value>,
    ) -> Result<i64> {
        trail::append(
            &self.conn,
            self.now,
            &trail::Change {
                actor: self.actor.clone(),
                action,
                entity: entity.to_owned(),
                entity_id: entity_id.to_owned(),
                before: None,
                after,
            },
        )
    }
}

impl Db {
    /// Opens (creating if missing) the database file at `path` and brings its
    /// schema up to date.
    /// A `postgres://` address opens that PostgreSQL database instead
    /// ([`Db::open_postgres`]); so do the other ways of opening.
    pub fn open(path: &Path) -> Result<Db> {
        if let Some(url) = postgres_url(path) {
            return Self::open_postgres(url);
        }
        Self::open_with(path, MIGRATIONS)
    }

    /// Opens a database file that must already exist and hold a database:
    /// a missing or empty file is refused, naming it, so that a mistyped
    /// path never leaves an empty database (or a folder) behind. Only
    /// creating the first user, and generating a register, create a file.
    pub fn open_existing(path: &Path) -> Result<Db> {
        if let Some(url) = postgres_url(path) {
            let location = postgres::PgLocation::parse(url)?;
            if postgres::schema_version(&location)? == 0 {
                return Err(Error::NotATillitDatabase {
                    path: location.shown().to_owned(),
                    reason: "it holds no Tillit database yet".into(),
                });
            }
            return Self::open_postgres(url);
        }
        require_existing(path)?;
        Self::open(path)
    }

    /// Opens an existing database for reading only: nothing is written to
    /// the file, which may be read-only. A database of an older schema is
    /// upgraded first, which writes (refused when the file is read-only).
    pub fn open_read_only(path: &Path) -> Result<Db> {
        if postgres_url(path).is_some() {
            let mut db = Self::open_existing(path)?;
            db.shared_mut().read_only = true;
            return Ok(db);
        }
        require_existing(path)?;
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let check = |conn: SqliteConnection| -> Result<(SqliteConnection, u32)> {
            conn.busy_timeout(BUSY_TIMEOUT)?;
            let found = migrate::check(&conn, path, MIGRATIONS)?;
            Ok((conn, found))
        };
        let (conn, found) = match check(SqliteConnection::open_with_flags(path, flags)?) {
            // A database in write-ahead-log mode, in a folder where the
            // shared-memory file cannot be made: nobody can be writing to
            // it, and it is read as the unchanging file it is.
            Err(Error::ReadOnly | Error::Sqlite(_)) => check(SqliteConnection::open_with_flags(
                immutable_uri(path)?,
                flags | OpenFlags::SQLITE_OPEN_URI,
            )?)?,
            other => other?,
        };
        if found != latest_version(MIGRATIONS) {
            drop(conn);
            return Self::open(path);
        }
        conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        conn.execute_batch(PERFORMANCE_PRAGMAS)?;
        trail::capture::register_functions(&Connection::over_sqlite(&conn))?;
        let mut db = Db::new(conn, Some(path.to_path_buf()), Opened::Current);
        db.shared_mut().read_only = true;
        Ok(db)
    }

    /// Whether this handle was opened for reading only.
    pub fn is_read_only(&self) -> bool {
        self.shared.read_only
    }

    /// Refuses to go on with a database SQLite reports damaged
    /// (`PRAGMA quick_check`), pointing to restoring a backup: what an
    /// import or a backup would write on top of it could not be trusted.
    /// On PostgreSQL the server checks its own pages (data checksums) and
    /// the organisation watches it, as it does its other databases.
    pub fn check_sound(&self) -> Result<()> {
        if self.postgres().is_some() {
            return Ok(());
        }
        self.read(|conn| {
            let problems: Vec<String> = conn
                .prepare("PRAGMA quick_check(3)")?
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            if problems == ["ok"] {
                Ok(())
            } else {
                Err(Error::Damaged(problems.join("; ")))
            }
        })
    }

    /// An in-memory database with every migration applied: what the tests use.
    pub fn open_in_memory() -> Result<Db> {
        let mut conn = SqliteConnection::open_in_memory()?;
        configure(&conn)?;
        migrate::apply(&mut conn, MIGRATIONS, 0)?;
        trail::capture::install(&Connection::over_sqlite(&conn))?;
        Ok(Db::new(conn, None, Opened::Created))
    }

    /// [`Db::open`] with an explicit migration list. The app always uses
    /// [`MIGRATIONS`]; tests pass shorter lists to create databases of older
    /// schema versions and upgrade them.
    pub fn open_with(path: &Path, migrations: &[Migration]) -> Result<Db> {
        not_a_postgres_url(path)?;
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        let mut conn = connect(path)?;
        // Checked before `configure`: switching to WAL already writes to the file.
        let found = migrate::check(&conn, path, migrations)?;
        configure(&conn)?;
        let latest = latest_version(migrations);
        let opened = if found == latest {
            Opened::Current
        } else if found == 0 {
            migrate::apply(&mut conn, migrations, 0)?;
            Opened::Created
        } else {
            let backup = migrate::backup(&conn, path, found)?;
            migrate::apply(&mut conn, migrations, found)?;
            Opened::Upgraded {
                from: found,
                to: latest,
                backup,
            }
        };
        trail::capture::install(&Connection::over_sqlite(&conn))?;
        Ok(Db::new(conn, Some(path.to_path_buf()), opened))
    }

    /// Closes the connection and opens the file again.
    ///
    /// SQLite coordinates with other programs through POSIX advisory locks,
    /// and the OS drops every such lock a process holds on a file as soon as
    /// the process closes *any* descriptor of that file. A native file dialog
    /// does that when it looks into the database's folder (GTK reads the
    /// first bytes of each file to tell its type). Without its locks, another
    /// program closing the database would take itself for the last one, fold
    /// the write-ahead log into the file and delete it, and what this
    /// connection commits next would go to the deleted log and be lost. A new
    /// connection takes its locks afresh; the shell reconnects after every
    /// file dialog. The old connection is closed first, so the new one does
    /// not inherit its lock state.
    pub fn reconnect(&self) -> Result<()> {
        let Some(path) = self.shared.path.as_deref() else {
            return Ok(());
        };
        let mut conn = self.lock()?;
        let old = std::mem::replace(&mut *conn, SqliteConnection::open_in_memory()?);
        old.close().map_err(|(_, e)| e)?;
        let fresh = connect(path)?;
        configure(&fresh)?;
        trail::capture::install(&Connection::over_sqlite(&fresh))?;
        *conn = fresh;
        drop(conn);
        self.forget_derived();
        Ok(())
    }

    fn new(conn: SqliteConnection, path: Option<PathBuf>, opened: Opened) -> Db {
        Self::over(
            Engine::Sqlite {
                conn: Mutex::new(conn),
                parallel: std::sync::atomic::AtomicBool::new(false),
                beside: std::sync::atomic::AtomicUsize::new(0),
                readers: Mutex::new(Vec::new()),
            },
            path,
            opened,
        )
    }

    fn over(engine: Engine, path: Option<PathBuf>, opened: Opened) -> Db {
        Db {
            shared: Arc::new(Shared {
                engine,
                path,
                evidence: None,
                read_only: false,
                opened,
                clock: Box::new(SystemClock),
                ids: Box::new(TimeOrderedIds),
                derived: Derived::default(),
            }),
            session: Mutex::new(None),
            signer: Mutex::new(None),
        }
    }

    /// Opens the PostgreSQL database at `url` (`postgres://…`): its schema
    /// brought to this build's version and its capture installed, as a
    /// file's are.
    pub fn open_postgres(url: &str) -> Result<Db> {
        let (pool, migrated) = postgres::Pool::open(postgres::PgLocation::parse(url)?)?;
        let opened = match migrated {
            postgres::Migrated::Created => Opened::Created,
            postgres::Migrated::Current => Opened::Current,
            postgres::Migrated::Upgraded { from } => Opened::Upgraded {
                from,
                to: latest_version(MIGRATIONS),
                backup: PathBuf::new(),
            },
        };
        Ok(Self::over(Engine::Postgres(pool), None, opened))
    }

    /// The PostgreSQL database behind this handle, as messages name it
    /// (no password); `None` for SQLite.
    pub fn postgres(&self) -> Option<&str> {
        match &self.shared.engine {
            Engine::Postgres(pool) => Some(pool.shown()),
            Engine::Sqlite { .. } => None,
        }
    }

    /// A handle on the same database with a session of its own, nobody
    /// signed in: what the team server gives each person who signs in.
    pub fn new_session(&self) -> Db {
        Db {
            shared: Arc::clone(&self.shared),
            session: Mutex::new(None),
            signer: Mutex::new(None),
        }
    }

    /// The shared part, to configure before any other session is made.
    fn shared_mut(&mut self) -> &mut Shared {
        Arc::get_mut(&mut self.shared)
            .expect("the clock and ids are set before a second session is made")
    }

    /// Uses `clock` for every time the core records, in every session
    /// made from this handle afterwards.
    pub fn with_clock(mut self, clock: impl Clock + 'static) -> Db {
        self.shared_mut().clock = Box::new(clock);
        self
    }

    /// Keeps evidence files in `dir` (a register on PostgreSQL has no file
    /// to keep them beside).
    pub fn with_evidence_dir(mut self, dir: PathBuf) -> Db {
        self.shared_mut().evidence = Some(dir);
        self
    }

    /// Uses `ids` for every new id.
    pub fn with_ids(mut self, ids: impl IdSource + 'static) -> Db {
        self.shared_mut().ids = Box::new(ids);
        self
    }

    /// The current time, from the clock this handle was given.
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.shared.clock.now()
    }

    /// A new id, from the id source this handle was given.
    pub fn new_id(&self) -> uuid::Uuid {
        self.shared.ids.new_id()
    }

    /// A salt for a password hash, from the id source ([`IdSource::new_salt`]).
    pub fn new_salt(&self) -> [u8; 16] {
        self.shared.ids.new_salt()
    }

    /// Thirty-two secret bytes for a signing key: two salts (random from
    /// the OS, or seeded in generated registers).
    pub fn new_secret(&self) -> [u8; 32] {
        let mut secret = [0u8; 32];
        secret[..16].copy_from_slice(&self.shared.ids.new_salt());
        secret[16..].copy_from_slice(&self.shared.ids.new_salt());
        secret
    }

    /// The file behind this handle; `None` for an in-memory database.
    pub fn path(&self) -> Option<&Path> {
        self.shared.path.as_deref()
    }

    /// The folder evidence files are kept in: the one given
    /// ([`Db::with_evidence_dir`]), else `evidence/` beside the database
    /// file; `None` for an in-memory or PostgreSQL database given none.
    pub fn evidence_dir(&self) -> Option<PathBuf> {
        if let Some(given) = &self.shared.evidence {
            return Some(given.clone());
        }
        Some(evidence_beside(self.shared.path.as_deref()?))
    }

    /// Verifies the audit trail ([`trail::verify_in`]), with the evidence
    /// files in this database's folder for them.
    pub fn verify(&self) -> Result<trail::Verification> {
        let evidence = self.evidence_dir();
        self.read(|conn| trail::verify_in(conn, evidence.as_deref()))
    }

    /// What a file Tillit writes must never replace: this database and
    /// its evidence folder.
    pub fn protected(&self) -> crate::files::Protected {
        crate::files::Protected {
            database: self.shared.path.clone(),
            evidence: self.evidence_dir(),
        }
    }

    /// What opening did to the schema.
    pub fn opened(&self) -> &Opened {
        &self.shared.opened
    }

    /// Runs `f` on the connection, for reads.
    pub fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        if let Engine::Postgres(pool) = &self.shared.engine {
            return on_snapshot(pool, |conn| f(conn));
        }
        if let Some(reader) = self.reader()? {
            return self.in_snapshot(reader, f);
        }
        let conn = self.lock()?;
        f(&Connection::over_sqlite(&conn))
    }

    /// Reads in parts, all of one snapshot, and gives each part to `take`
    /// on this thread in order, each held only until those before it were
    /// given.
    ///
    /// `lead` runs first, here, in a long read ([`Connection::long_read`]),
    /// and returns what every part needs with how many parts there are.
    /// Then `part` reads each part (and may turn it into what `take`
    /// wants) on up to `beside` threads, each on a connection of its own
    /// in the lead's snapshot: on SQLite a read-only connection, whose
    /// snapshot is the lead's when both see the same head of the audit
    /// trail (every change appends to the trail in its own transaction);
    /// on PostgreSQL a session that takes the lead's exported snapshot.
    /// The parts no thread beside could read (a write came between, a
    /// database in memory) are read here, in the lead's snapshot.
    pub fn read_in_parts<L, T>(
        &self,
        beside: usize,
        lead: impl FnOnce(&Connection) -> Result<(L, usize)>,
        part: impl Fn(&Connection, &L, usize) -> Result<T> + Sync,
        mut take: impl FnMut(&L, usize, T) -> Result<()>,
    ) -> Result<L>
    where
        L: Sync,
        T: Send,
    {
        let helpers = match (&self.shared.engine, self.shared.path.as_deref()) {
            (Engine::Sqlite { .. }, Some(path)) => match path.to_str() {
                Some(path) => (0..beside)
                    .map(|_| open_reader(path).map(Helper::Sqlite))
                    .collect::<Result<Vec<_>>>()?,
                None => Vec::new(),
            },
            (Engine::Postgres(pool), _) => (0..beside)
                .map(|_| pool.take().map(|s| Helper::Postgres(Box::new(s))))
                .collect::<Result<Vec<_>>>()?,
            _ => Vec::new(),
        };
        self.read(|conn| {
            conn.long_read(|| {
                let (led, count) = lead(conn)?;
                let here = match helpers.first() {
                    None => Snapshot::Head(0),
                    Some(Helper::Sqlite(_)) => Snapshot::Head(trail_head(conn)?),
                    Some(Helper::Postgres(_)) => Snapshot::Exported(conn.query_row(
                        "SELECT pg_export_snapshot()",
                        [],
                        |r| r.get(0),
                    )?),
                };
                let next = std::sync::atomic::AtomicUsize::new(0);
                let claim = || next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                let (lead, part, here) = (&led, &part, &here);
                std::thread::scope(|scope| {
                    // A reader waits for room while the lead is giving parts out.
                    let (sent, arrived) = std::sync::mpsc::sync_channel(helpers.len().max(1));
                    for helper in helpers {
                        let sent = sent.clone();
                        let claim = &claim;
                        scope.spawn(move || {
                            // A helper that cannot join the snapshot reads nothing.
                            let _ = self.in_snapshot_of(helper, here, |there| loop {
                                let index = claim();
                                if index >= count {
                                    return Ok(());
                                }
                                let read = part(there, lead, index);
                                if sent.send((index, read)).is_err() {
                                    return Ok(());
                                }
                            });
                        });
                    }
                    drop(sent);
                    // The parts the threads beside read, then those no thread
                    // beside read, read here; each is given in its place.
                    let here = std::iter::from_fn(|| {
                        let index = claim();
                        (index < count).then(|| (index, part(conn, lead, index)))
                    });
                    let mut waiting = std::collections::BTreeMap::new();
                    let mut given = 0;
                    for (index, read) in arrived.into_iter().chain(here) {
                        waiting.insert(index, read?);
                        while let Some(read) = waiting.remove(&given) {
                            take(lead, given, read)?;
                            given += 1;
                        }
                    }
                    if given < count {
                        return Err(Error::Internal("a part of a read was lost".into()));
                    }
                    Ok::<_, Error>(())
                })?;
                Ok(led)
            })
        })
    }

    /// Runs `f` on `helper` in the snapshot `here`, or not at all when the
    /// helper cannot see it; a session goes back to the pool afterwards.
    fn in_snapshot_of(
        &self,
        helper: Helper,
        here: &Snapshot,
        f: impl FnOnce(&Connection) -> Result<()>,
    ) -> Result<()> {
        match (helper, here) {
            (Helper::Sqlite(reader), Snapshot::Head(head)) => {
                let there = Connection::over_sqlite(&reader);
                there.long_read(|| {
                    if trail_head(&there)? != *head {
                        return Ok(());
                    }
                    f(&there)
                })
            }
            (Helper::Postgres(session), Snapshot::Exported(id)) => {
                // An exported snapshot's name is hexadecimal digits and dashes.
                if !id.chars().all(|c| c.is_ascii_hexdigit() || c == '-') {
                    return Err(Error::Internal(format!("a snapshot named {id:?}")));
                }
                let there = Connection::over_postgres(&session);
                let result = there
                    .execute_batch("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                    .and_then(|()| there.execute_batch(&format!("SET TRANSACTION SNAPSHOT '{id}'")))
                    .and_then(|()| f(&there));
                let ended = there.execute_batch(if result.is_ok() { "COMMIT" } else { "ROLLBACK" });
                if let Engine::Postgres(pool) = &self.shared.engine {
                    pool.give_back(*session);
                }
                result.and(ended)
            }
            _ => Ok(()),
        }
    }

    /// Lets reads run in parallel, each on a read-only connection of its
    /// own (WAL: they see every committed write and never block the
    /// writer). For the team server; a database in memory has one
    /// connection only.
    pub fn read_in_parallel(&self) {
        if let Engine::Sqlite { parallel, .. } = &self.shared.engine {
            if self.shared.path.is_some() {
                parallel.store(true, std::sync::atomic::Ordering::SeqCst);
            }
        }
    }

    /// Runs `f`, work done in the background of a window (preparing what it
    /// shows next), with every read on a read-only connection of its own,
    /// as [`Db::read_in_parallel`] has them: the one connection stays free
    /// for the window's own commands meanwhile (a sign-in never waits for
    /// the preparation). Afterwards reads share the one connection again,
    /// and the connections opened for them are closed, their caches and
    /// mapped pages with them. A database in memory, or on PostgreSQL, just
    /// runs `f`.
    pub fn reading_beside<T>(&self, f: impl FnOnce() -> Result<T>) -> Result<T> {
        use std::sync::atomic::Ordering::SeqCst;
        let Engine::Sqlite { beside, .. } = &self.shared.engine else {
            return f();
        };
        beside.fetch_add(1, SeqCst);
        let result = f();
        beside.fetch_sub(1, SeqCst);
        if !self.reads_beside() {
            if let Engine::Sqlite { readers, .. } = &self.shared.engine {
                if let Ok(mut idle) = readers.lock() {
                    idle.clear();
                }
            }
        }
        result
    }

    /// Whether reads run on read-only connections of their own now.
    fn reads_beside(&self) -> bool {
        use std::sync::atomic::Ordering::SeqCst;
        match &self.shared.engine {
            Engine::Sqlite {
                parallel, beside, ..
            } => self.shared.path.is_some() && (parallel.load(SeqCst) || beside.load(SeqCst) > 0),
            Engine::Postgres(_) => false,
        }
    }

    /// A read-only connection for one read, when reads run in parallel.
    fn reader(&self) -> Result<Option<SqliteConnection>> {
        let Engine::Sqlite { readers, .. } = &self.shared.engine else {
            return Ok(None);
        };
        if !self.reads_beside() {
            return Ok(None);
        }
        let Some(path) = self.shared.path.as_deref() else {
            return Ok(None);
        };
        if let Some(idle) = readers.lock().ok().and_then(|mut r| r.pop()) {
            return Ok(Some(idle));
        }
        let path = path
            .to_str()
            .ok_or_else(|| Error::Internal("the database path is not UTF-8".into()))?;
        let conn = open_reader(path)?;
        conn.execute_batch("PRAGMA temp_store = MEMORY;")?;
        Ok(Some(conn))
    }

    /// Runs `f` on `reader` in one read transaction: one snapshot, as on
    /// the one connection, where no write comes between the queries of a
    /// read. Then keeps the connection for the next read.
    fn in_snapshot<T>(
        &self,
        reader: SqliteConnection,
        f: impl FnOnce(&Connection) -> Result<T>,
    ) -> Result<T> {
        reader.execute_batch("BEGIN")?;
        let result = f(&Connection::over_sqlite(&reader));
        let ended = reader.execute_batch("COMMIT");
        self.give_back(reader);
        let value = result?;
        ended?;
        Ok(value)
    }

    /// Keeps a read-only connection for the next read (a few at most), while
    /// reads run on connections of their own.
    fn give_back(&self, reader: SqliteConnection) {
        let Engine::Sqlite { readers, .. } = &self.shared.engine else {
            return;
        };
        if !self.reads_beside() {
            return;
        }
        if let Ok(mut idle) = readers.lock() {
            if idle.len() < IDLE_READERS {
                idle.push(reader);
            }
        }
    }

    /// The kept values, one per type.
    fn kept(&self) -> Result<std::sync::MutexGuard<'_, HashMap<TypeId, (Stamp, Kept)>>> {
        self.shared.derived.0.lock().map_err(|_| {
            Error::Internal("the kept values were poisoned by an earlier failure".into())
        })
    }

    /// The value `compute` gives on the current content, computed once and
    /// kept (one per type `T`) until the database changes, here or in
    /// another program; then computed again on the next call.
    pub fn derived<T: Any + Send + Sync>(
        &self,
        compute: impl FnOnce(&Connection) -> Result<T>,
    ) -> Result<Arc<T>> {
        self.derived_from(|conn, _| compute(conn))
    }

    /// [`Db::derived`], computed again from the value kept before the
    /// database changed, if any (so only what changed need be read).
    pub fn derived_from<T: Any + Send + Sync>(
        &self,
        compute: impl FnOnce(&Connection, Option<Arc<T>>) -> Result<T>,
    ) -> Result<Arc<T>> {
        if let Engine::Postgres(pool) = &self.shared.engine {
            return on_snapshot(pool, |conn| self.derived_in_snapshot(conn, compute));
        }
        if let Some(reader) = self.reader()? {
            return self.in_snapshot(reader, |conn| self.derived_in_snapshot(conn, compute));
        }
        let conn = self.lock()?;
        let now = stamp(&conn)?;
        let mut kept = self.kept()?;
        let mut before = None;
        if let Some((at, value)) = kept_of::<T>(&kept) {
            if at == now {
                return Ok(value);
            }
            before = Some(value);
        }
        let value = Arc::new(compute(&Connection::over_sqlite(&conn), before)?);
        kept.insert(TypeId::of::<T>(), (now, Arc::clone(&value) as Kept));
        Ok(value)
    }

    /// [`Db::derived_from`] when reads run in parallel: computed on a
    /// connection of its own in one read transaction (`reader`), stamped
    /// with the head of the audit trail it saw (every change appends to the
    /// trail in its own transaction, so the head names the content on every
    /// connection). The writer is never held up by the computation.
    fn derived_in_snapshot<T: Any + Send + Sync>(
        &self,
        reader: &Connection,
        compute: impl FnOnce(&Connection, Option<Arc<T>>) -> Result<T>,
    ) -> Result<Arc<T>> {
        let computed = (|| -> Result<Arc<T>> {
            let head = trail_head(reader)?;
            let now: Stamp = (-1, u64::try_from(head).unwrap_or_default());
            let mut before = None;
            if let Some((at, value)) = kept_of::<T>(&*self.kept()?) {
                if at == now {
                    return Ok(value);
                }
                if at.0 == -1 && at.1 < now.1 {
                    before = Some(value);
                }
            }
            let value = Arc::new(compute(reader, before)?);
            let mut kept = self.kept()?;
            let newer = kept
                .get(&TypeId::of::<T>())
                .is_none_or(|(at, _)| at.0 != -1 || at.1 < now.1);
            if newer {
                kept.insert(TypeId::of::<T>(), (now, Arc::clone(&value) as Kept));
            }
            Ok(value)
        })();
        computed
    }

    /// Drops every kept value (after the content was replaced wholesale).
    fn forget_derived(&self) {
        if let Ok(mut kept) = self.shared.derived.0.lock() {
            kept.clear();
        }
        // Connections opened before a restore or a reconnection are not
        // used after it.
        if let Engine::Sqlite { readers, .. } = &self.shared.engine {
            if let Ok(mut idle) = readers.lock() {
                idle.clear();
            }
        }
    }

    /// The signed-in user, if any.
    pub fn signed_in(&self) -> Option<User> {
        self.session.lock().ok().and_then(|s| s.clone())
    }

    /// The signed-in user, or an error naming what needed one.
    pub fn require_user(&self, what: &'static str) -> Result<User> {
        self.signed_in().ok_or(Error::NotSignedIn(what))
    }

    /// Sets or clears the signed-in user (only `approval` signs in). The
    /// signing key stays while the same person is signed in.
    pub(crate) fn set_session(&self, user: Option<User>) {
        if let Ok(mut session) = self.session.lock() {
            let same = matches!((&*session, &user), (Some(a), Some(b)) if a.id == b.id);
            if !same {
                if let Ok(mut signer) = self.signer.lock() {
                    *signer = None;
                }
            }
            *session = user;
        }
    }

    /// Who is signed in, with their signing key, to come back to.
    pub fn sitting(&self) -> Option<Sitting> {
        Some(Sitting {
            user: self.signed_in()?,
            key: self.signer.lock().ok().and_then(|s| s.clone()),
        })
    }

    /// Signs in again as `sitting` was (a generator acting as several people).
    pub(crate) fn resume(&self, sitting: &Sitting) {
        self.set_session(Some(sitting.user.clone()));
        self.set_signer(sitting.key.clone());
    }

    /// Holds the signed-in person's unsealed signing key for the session.
    pub(crate) fn set_signer(&self, key: Option<signing::Key>) {
        if let Ok(mut signer) = self.signer.lock() {
            *signer = key;
        }
    }

    /// Runs `f` in one transaction as the signed-in user, after checking,
    /// against the user's roles as stored now, that they may do `need`.
    /// Committed with its audit entries when `f` returns `Ok`; rolled back
    /// (nothing written, nothing recorded) when it returns `Err`.
    pub fn write<T>(&self, need: Permission, f: impl FnOnce(&Tx<'_>) -> Result<T>) -> Result<T> {
        let user = self.require_user(need.describe())?;
        self.transact(&user.username, Some((&user, need)), f)
    }

    /// Runs `f` in one transaction as Tillit itself (upgrades, start-up
    /// checks, tests of the store). Every change is recorded as the others.
    pub fn with_tx<T>(&self, f: impl FnOnce(&Tx<'_>) -> Result<T>) -> Result<T> {
        self.transact(SYSTEM_ACTOR, None, f)
    }

    /// Copies what the write-ahead log holds into the database file now
    /// (SQLite; nothing on PostgreSQL), so that the next change does not
    /// carry that work at its commit. Readers and writers go on meanwhile;
    /// what they hold is copied by a later checkpoint.
    pub fn checkpoint(&self) -> Result<()> {
        if let Engine::Sqlite { .. } = &self.shared.engine {
            let conn = self.lock()?;
            conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))?;
        }
        Ok(())
    }

    /// Keeps this handle's page cache small: for a window, open all day
    /// and idle most of it, whose reads of the whole register are answered
    /// from memory it keeps itself (the overview, the lists) or read
    /// through the mapped file ([`Connection::long_read`]). Up to
    /// [`SMALL_CACHE_KIB`] instead of the 32 MiB every other connection may
    /// fill; a large write still keeps every page it changes in memory until
    /// its commit (`cache_spill` off), as with the large cache. Nothing on
    /// PostgreSQL, whose cache is the server's.
    pub fn keep_a_small_cache(&self) -> Result<()> {
        if let Engine::Sqlite { .. } = &self.shared.engine {
            self.lock()?.execute_batch(&format!(
                "PRAGMA cache_size = -{SMALL_CACHE_KIB}; PRAGMA cache_spill = OFF;"
            ))?;
        }
        Ok(())
    }

    fn transact<T>(
        &self,
        actor: &str,
        authorise: Option<(&User, Permission)>,
        f: impl FnOnce(&Tx<'_>) -> Result<T>,
    ) -> Result<T> {
        if let Engine::Postgres(pool) = &self.shared.engine {
            let session = pool.take()?;
            let conn = Connection::over_postgres(&session);
            conn.execute_batch("BEGIN")?;
            let result = conn
                .execute("SELECT pg_advisory_xact_lock(?1)", [postgres::WRITE_LOCK])
                .and_then(|_| self.transact_on(conn, actor, authorise, f));
            if result.is_err() && !session.is_autocommit() {
                let _ = conn.execute_batch("ROLLBACK");
            }
            pool.give_back(session);
            return result;
        }
        let conn = self.lock()?;
        conn.execute_batch("BEGIN IMMEDIATE")?;
        self.transact_on(Connection::over_sqlite(&conn), actor, authorise, f)
    }

    /// [`Db::transact`] in the write transaction begun on `conn`.
    fn transact_on<T>(
        &self,
        conn: Connection<'_>,
        actor: &str,
        authorise: Option<(&User, Permission)>,
        f: impl FnOnce(&Tx<'_>) -> Result<T>,
    ) -> Result<T> {
        let mut tx = Tx {
            conn,
            committed: std::cell::Cell::new(false),
            actor: actor.to_owned(),
            now: self.now(),
            user: None,
            signer: None,
        };
        if let Some((user, need)) = authorise {
            tx.user = Some(session::authorise(&tx, user, need)?);
            tx.signer = self.signer.lock().ok().and_then(|s| s.clone());
        }
        let before = match &tx.signer {
            Some(_) => trail::head(&tx)?.map_or(0, |h| h.seq),
            None => 0,
        };
        let value = f(&tx)?;
        trail::capture::drain(&tx, &tx.actor, &tx.now_text())?;
        if let Some(key) = &tx.signer {
            signing::seal(&tx, before, key)?;
        }
        tx.conn.execute_batch("COMMIT")?;
        tx.committed.set(true);
        Ok(value)
    }

    /// Schema version, file and row counts: what `tillit info` and Settings show.
    pub fn info(&self) -> Result<DbInfo> {
        let location = match self.postgres() {
            Some(shown) => Some(shown.to_owned()),
            None => self.path().map(|p| p.display().to_string()),
        };
        self.read(|conn| info::collect(conn, location))
    }

    /// The SQLite connection, for what only SQLite's store does; refused
    /// on PostgreSQL.
    fn lock(&self) -> Result<MutexGuard<'_, SqliteConnection>> {
        match &self.shared.engine {
            Engine::Sqlite { conn, .. } => conn.lock().map_err(|_| {
                Error::Internal("the database lock was poisoned by an earlier failure".into())
            }),
            Engine::Postgres(pool) => Err(Refusal::new("refusal.postgres_store")
                .with("location", pool.shown())
                .into()),
        }
    }
}

/// A connection that reads beside another in its snapshot
/// ([`Db::read_in_parts`]).
enum Helper {
    Sqlite(SqliteConnection),
    Postgres(Box<sql::PgSession>),
}

/// How a helper finds the snapshot of the read it helps: on SQLite by the
/// head of the audit trail it must see, on PostgreSQL by the name of the
/// snapshot the read exported.
enum Snapshot {
    Head(i64),
    Exported(String),
}

/// Runs `f` in one read-only transaction that sees one snapshot of the
/// PostgreSQL database, on a session of `pool`.
fn on_snapshot<T>(pool: &postgres::Pool, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
    let session = pool.take()?;
    let conn = Connection::over_postgres(&session);
    conn.execute_batch("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")?;
    let result = f(&conn);
    let ended = conn.execute_batch(if result.is_ok() { "COMMIT" } else { "ROLLBACK" });
    pool.give_back(session);
    let value = result?;
    ended?;
    Ok(value)
}

/// A signed-in person with their unsealed signing key.
#[derive(Debug, Clone)]
pub struct Sitting {
    pub user: User,
    key: Option<signing::Key>,
}

/// A value as the JSON text stored in a JSON column.
pub fn to_json<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| Error::Internal(format!("cannot serialise: {e}")))
}

/// A value read back from a JSON column.
pub fn from_json<T: serde::de::DeserializeOwned>(text: &str) -> Result<T> {
    serde_json::from_str(text)
        .map_err(|e| Error::Internal(format!("stored data cannot be read: {e}")))
}

/// The URI that opens the file at `path` as immutable (`?immutable=1`).
fn immutable_uri(path: &Path) -> Result<String> {
    let absolute = std::path::absolute(path).map_err(|e| Error::io(path, e))?;
    let text = absolute.to_str().ok_or_else(|| {
        Error::from(Refusal::new("refusal.path_not_utf8").with("path", path.display()))
    })?;
    let mut uri = String::from("file:");
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"/-_.~".contains(&byte) {
            uri.push(char::from(byte));
        } else {
            uri.push_str(&format!("%{byte:02X}"));
        }
    }
    uri.push_str("?immutable=1");
    Ok(uri)
}

/// The `postgres://` address `path` is, if it is one: never taken for a
/// file name (which would create a folder `postgres:`).
/// The folder of evidence files kept beside the database file at `database`.
pub(crate) fn evidence_beside(database: &Path) -> PathBuf {
    database.parent().unwrap_or(Path::new("")).join("evidence")
}

fn postgres_url(path: &Path) -> Option<&str> {
    path.to_str().filter(|p| postgres::is_url(p))
}

/// Refuses a PostgreSQL URL given where only a database file will do.
fn not_a_postgres_url(path: &Path) -> Result<()> {
    match path.to_str() {
        Some(text) if postgres::is_url(text) => {
            let shown = postgres::PgLocation::parse(text)
                .map_or_else(|_| "postgres://…".to_owned(), |l| l.shown().to_owned());
            Err(Refusal::new("refusal.postgres_store")
                .with("location", &shown)
                .into())
        }
        _ => Ok(()),
    }
}

/// Refuses a database file that does not exist or is empty, naming it.
fn require_existing(path: &Path) -> Result<()> {
    not_a_postgres_url(path)?;
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_file() && meta.len() > 0 => Ok(()),
        Ok(meta) if meta.is_file() => Err(Error::NotATillitDatabase {
            path: path.display().to_string(),
            reason: "it is empty".into(),
        }),
        Ok(_) => Err(Error::NotATillitDatabase {
            path: path.display().to_string(),
            reason: "it is not a file".into(),
        }),
        Err(_) => Err(Error::DatabaseMissing(path.to_path_buf())),
    }
}

/// A read-write connection of the file at `path` (created if missing), not
/// yet configured.
fn connect(path: &Path) -> Result<SqliteConnection> {
    let conn = SqliteConnection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    Ok(conn)
}

/// The audit trail's last entry (0 for none). Every change appends to the
/// trail in its own transaction, so the head names the content on every
/// connection.
pub fn trail_head(conn: &Connection) -> Result<i64> {
    conn.query_row("SELECT coalesce(max(seq), 0) FROM audit_log", [], |r| {
        r.get(0)
    })
}

/// A second, read-only connection of the database file at `path`, for
/// reading done in parallel (verifying a long audit trail).
pub(crate) fn open_reader(path: &str) -> Result<SqliteConnection> {
    let conn = SqliteConnection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    trail::capture::register_functions(&Connection::over_sqlite(&conn))?;
    conn.query_row(&format!("PRAGMA mmap_size = {READ_MAP}"), [], |_| Ok(()))?;
    Ok(conn)
}

pub(crate) use sql::READ_MAP;

/// The cache and temporary storage of every connection: a large import or
/// the register list of ten thousand suppliers stays in memory instead of
/// spilling pages to the file in the middle of a transaction, and the
/// temporary table of captured changes never touches the disk.
/// How many prepared statements each connection keeps.
const STATEMENT_CACHE: usize = 256;

/// The page cache of a handle that keeps a small one
/// ([`Db::keep_a_small_cache`]), in KiB.
pub const SMALL_CACHE_KIB: u32 = 2048;

pub const PERFORMANCE_PRAGMAS: &str = "PRAGMA cache_size = -32768; PRAGMA temp_store = MEMORY;";

/// Every PRAGMA of every connection, in one place.
fn configure(conn: &SqliteConnection) -> Result<()> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    // Room for every statement a whole-register read prepares in turn (the
    // export reads about thirty per supplier): with rusqlite's default of
    // 16 they evict each other and each is parsed again every time.
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    // WAL: readers never block the writer. On an in-memory database SQLite
    // answers "memory", which is fine.
    conn.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))?;
    // FULL: a transaction reported as committed survives a crash of the
    // process and of the machine; decisions must never be lost.
    conn.execute_batch("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;")?;
    conn.execute_batch(PERFORMANCE_PRAGMAS)?;
    Ok(())
}
