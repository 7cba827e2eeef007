//! The team server's second engine: a PostgreSQL database that the
//! organisation runs (DOMAIN §11; ARCHITECTURE.md "One database seam").
//!
//! This part connects (TLS by rustls when the URL asks for it), recognises a
//! Tillit database, and brings its schema to the version this build knows:
//! `migrations/postgres/`, which gives the same tables, columns, keys and
//! checks as SQLite's migrations (a test compares the two). Migrating takes
//! a transaction-scoped advisory lock first, so two servers starting at once
//! on one database migrate it once; a database from a newer Tillit, or
//! another program's, is refused before anything is written.

use super::sql::{Connection, PgSession};
use super::Migration;
use crate::error::{Error, Result};
use postgres::{Client, Config, GenericClient};
use std::sync::Arc;

include!(concat!(env!("OUT_DIR"), "/pg_migrations.rs"));

/// The advisory lock every migration of a Tillit database takes ('TILLMIGR').
const MIGRATION_LOCK: i64 = 0x5449_4C4C_4D49_4752;

/// How long connecting waits for the server, unless the address says.
const CONNECT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// Whether `location` names a PostgreSQL database rather than a file.
pub fn is_url(location: &str) -> bool {
    location.starts_with("postgres://") || location.starts_with("postgresql://")
}

/// A PostgreSQL database named by a `postgres://` URL (or key=value
/// connection string), and how to reach it.
#[derive(Clone)]
pub struct PgLocation {
    config: Config,
    /// The database as messages name it: never the password.
    shown: String,
    tls: Option<tokio_postgres_rustls::MakeRustlsConnect>,
}

impl std::fmt::Debug for PgLocation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.shown)
    }
}

impl PgLocation {
    /// Reads a connection URL. TLS is used as its `sslmode` says (by default
    /// when the server offers it), verified against this computer's roots.
    pub fn parse(url: &str) -> Result<PgLocation> {
        let mut config: Config = url.parse().map_err(|e| {
            Error::Internal(format!("the PostgreSQL address is not understood: {e}"))
        })?;
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(CONNECT_TIMEOUT);
        }
        let ports = config.get_ports();
        let hosts: Vec<String> = config
            .get_hosts()
            .iter()
            .enumerate()
            .map(|(n, host)| {
                let port = ports.get(n).or(ports.first()).copied().unwrap_or(5432);
                match host {
                    postgres::config::Host::Tcp(name) if port != 5432 => format!("{name}:{port}"),
                    postgres::config::Host::Tcp(name) => name.clone(),
                    postgres::config::Host::Unix(path) => path.display().to_string(),
                }
            })
            .collect();
        let shown = format!(
            "postgres://{}@{}/{}",
            config.get_user().unwrap_or_default(),
            hosts.join(","),
            config.get_dbname().unwrap_or_default()
        );
        let tls = match config.get_ssl_mode() {
            postgres::config::SslMode::Disable => None,
            _ => Some(tls()?),
        };
        Ok(PgLocation { config, shown, tls })
    }

    /// The database as messages name it (user, host and database; no password).
    pub fn shown(&self) -> &str {
        &self.shown
    }

    /// A new connection; a database that cannot be reached is refused
    /// with the reason, naming it without its password.
    pub fn connect(&self) -> Result<Client> {
        let connected = match &self.tls {
            Some(tls) => self.config.connect(tls.clone()),
            None => self.config.connect(postgres::NoTls),
        };
        connected.map_err(|error| match error.as_db_error() {
            // The server answered (a wrong password, no such database).
            Some(db) => crate::error::Refusal::new("refusal.postgres_unreachable")
                .with("location", &self.shown)
                .with("reason", db.message())
                .into(),
            None if error.is_closed() || error.to_string().contains("connect") => {
                crate::error::Refusal::new("refusal.postgres_unreachable")
                    .with("location", &self.shown)
                    .with(
                        "reason",
                        std::error::Error::source(&error)
                            .map_or_else(|| error.to_string(), ToString::to_string),
                    )
                    .into()
            }
            None => Error::Postgres(error),
        })
    }
}

/// Rustls with the ring provider and this computer's roots.
fn tls() -> Result<tokio_postgres_rustls::MakeRustlsConnect> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let verifier = rustls_platform_verifier::Verifier::new(Arc::clone(&provider))
        .map_err(|e| Error::Internal(e.to_string()))?;
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::Internal(e.to_string()))?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    Ok(tokio_postgres_rustls::MakeRustlsConnect::new(config))
}

/// What opening did to the schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Migrated {
    /// The database was empty and now holds the latest schema.
    Created,
    /// The database was already at the latest version.
    Current,
    /// The database was brought from version `from` to the latest.
    Upgraded { from: u32 },
}

/// The highest version `migrations` reach.
fn latest(migrations: &[Migration]) -> u32 {
    migrations.last().map_or(0, |m| m.version)
}

/// Brings the database at `location` to the latest schema: in one
/// transaction under [`MIGRATION_LOCK`], so a second server starting at the
/// same time waits and then finds it current. A newer or foreign database is
/// refused and left as it was.
pub fn migrate(location: &PgLocation) -> Result<Migrated> {
    migrate_with(location, PG_MIGRATIONS)
}

/// [`migrate`] with an explicit migration list (tests pass shorter ones).
pub fn migrate_with(location: &PgLocation, migrations: &[Migration]) -> Result<Migrated> {
    let mut client = location.connect()?;
    let mut tx = client.transaction()?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])?;
    let found = check(&mut tx, location, migrations)?;
    let latest = latest(migrations);
    if found == latest {
        return Ok(Migrated::Current);
    }
    for migration in migrations.iter().filter(|m| m.version > found) {
        tx.batch_execute(migration.sql).map_err(|e| {
            Error::Internal(format!(
                "migration postgres/{:04}_{} failed: {e}",
                migration.version, migration.name
            ))
        })?;
        tx.execute(
            "UPDATE tillit_schema SET version = $1",
            &[&i64::from(migration.version)],
        )?;
    }
    tx.commit()?;
    Ok(if found == 0 {
        Migrated::Created
    } else {
        Migrated::Upgraded { from: found }
    })
}

/// The schema version of the database (0: empty, to be created), or the
/// refusal of one that is not Tillit's or is newer than `migrations`.
fn check(
    conn: &mut impl GenericClient,
    location: &PgLocation,
    migrations: &[Migration],
) -> Result<u32> {
    let not_tillit = |reason: String| Error::NotATillitDatabase {
        path: location.shown().to_owned(),
        reason,
    };
    // Text sorts and compares byte by byte, and only ASCII letters fold
    // case, as on SQLite: the register lists, exports and hashes the same
    // on both engines.
    let collation: String = conn
        .query_one(
            "SELECT datcollate || '/' || datctype FROM pg_database WHERE datname = current_database()",
            &[],
        )?
        .get(0);
    if !collation
        .split('/')
        .all(|c| ["C", "POSIX", "C.UTF-8", "C.utf8"].contains(&c))
    {
        return Err(crate::error::Refusal::new("refusal.postgres_collation")
            .with("location", location.shown())
            .with("collation", &collation)
            .into());
    }
    let marked: bool = conn
        .query_one("SELECT to_regclass('tillit_schema') IS NOT NULL", &[])?
        .get(0);
    if !marked {
        let objects: i64 = conn
            .query_one(
                "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')",
                &[],
            )?
            .get(0);
        return if objects == 0 {
            Ok(0)
        } else {
            Err(not_tillit(format!(
                "its schema holds {objects} tables or other objects, and none marks it as Tillit's"
            )))
        };
    }
    let rows = conn.query("SELECT application, version FROM tillit_schema", &[])?;
    let [row] = rows.as_slice() else {
        return Err(not_tillit(format!(
            "its tillit_schema table has {} rows instead of one",
            rows.len()
        )));
    };
    let application: String = row.get(0);
    let version: i64 = row.get(1);
    if application != "tillit" {
        return Err(not_tillit(format!("it is marked as {application:?}'s")));
    }
    let found = u32::try_from(version)
        .ok()
        .filter(|v| *v > 0)
        .ok_or_else(|| not_tillit(format!("its schema version is {version}")))?;
    let supported = latest(migrations);
    if found > supported {
        return Err(Error::DatabaseTooNew {
            path: location.shown().to_owned(),
            found,
            supported,
        });
    }
    Ok(found)
}

/// The schema version of the database at `location` (0 when it is empty),
/// read without changing anything.
pub fn schema_version(location: &PgLocation) -> Result<u32> {
    let mut client = location.connect()?;
    check(&mut client, location, PG_MIGRATIONS)
}

/// SQLite's JSON and text functions that the aggregates' SQL uses, as
/// PostgreSQL functions of the same names and results (the columns hold
/// JSON as text, as on SQLite). A path is SQLite's `$` or `$.key.key`. A
/// value reads as SQLite gives it: a string without its quotes, `true` and
/// `false` as 1 and 0, `null` as NULL, anything else as its JSON text.
/// Installed with the capture, under the migration lock, by each start.
const SQLITE_FUNCTIONS: &str = r#"
CREATE OR REPLACE FUNCTION tillit_json_path(path TEXT) RETURNS TEXT[]
LANGUAGE sql IMMUTABLE STRICT AS $$
    SELECT CASE WHEN path = '$' THEN ARRAY[]::TEXT[] ELSE string_to_array(substr(path, 3), '.') END $$;

CREATE OR REPLACE FUNCTION tillit_json_value(v JSON) RETURNS TEXT
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE json_typeof(v)
        WHEN 'string' THEN v #>> '{}'
        WHEN 'boolean' THEN CASE WHEN v::text = 'true' THEN '1' ELSE '0' END
        WHEN 'null' THEN NULL
        ELSE v::text END $$;

CREATE OR REPLACE FUNCTION json_extract(doc TEXT, path TEXT) RETURNS TEXT
LANGUAGE sql IMMUTABLE AS $$ SELECT tillit_json_value(doc::json #> tillit_json_path(path)) $$;

CREATE OR REPLACE FUNCTION tillit_json_text(doc TEXT, path TEXT) RETURNS TEXT
LANGUAGE sql IMMUTABLE AS $$ SELECT json_extract(doc, path) $$;

DO $$ BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_operator WHERE oprname = '->>'
                   AND oprleft = 'text'::regtype AND oprright = 'text'::regtype) THEN
        CREATE OPERATOR ->> (LEFTARG = TEXT, RIGHTARG = TEXT, FUNCTION = tillit_json_text);
    END IF;
END $$;

CREATE OR REPLACE FUNCTION json_valid(doc TEXT) RETURNS BOOLEAN
LANGUAGE sql IMMUTABLE AS $$ SELECT tillit_json_valid(doc) $$;

CREATE OR REPLACE FUNCTION json_each(doc TEXT, path TEXT DEFAULT '$')
RETURNS TABLE (key TEXT, value TEXT, type TEXT)
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    d JSON := doc::json #> tillit_json_path(path);
BEGIN
    IF d IS NULL THEN
        RETURN;
    ELSIF json_typeof(d) = 'array' THEN
        RETURN QUERY SELECT (a.o - 1)::TEXT, tillit_json_value(a.v), json_typeof(a.v)
                     FROM json_array_elements(d) WITH ORDINALITY AS a(v, o);
    ELSIF json_typeof(d) = 'object' THEN
        RETURN QUERY SELECT e.k, tillit_json_value(e.v), json_typeof(e.v) FROM json_each(d) AS e(k, v);
    ELSE
        RETURN QUERY SELECT NULL::TEXT, tillit_json_value(d), json_typeof(d);
    END IF;
END $$;

CREATE OR REPLACE FUNCTION tillit_json_array(items TEXT[]) RETURNS TEXT
LANGUAGE sql IMMUTABLE AS $$ SELECT array_to_json(items)::text $$;

CREATE OR REPLACE AGGREGATE json_group_array(TEXT) (
    SFUNC = array_append, STYPE = TEXT[], FINALFUNC = tillit_json_array, INITCOND = '{}');

CREATE OR REPLACE FUNCTION instr(haystack TEXT, needle TEXT) RETURNS BIGINT
LANGUAGE sql IMMUTABLE AS $$ SELECT strpos(haystack, needle)::BIGINT $$;
"#;

/// The advisory lock every write transaction takes first ('TILLWRIT'): one
/// write at a time, as SQLite's `BEGIN IMMEDIATE` gives, so the audit
/// trail's chain never forks and every entry follows the one before.
pub(crate) const WRITE_LOCK: i64 = 0x5449_4C4C_5752_4954;

/// The most idle sessions a pool keeps.
const IDLE_SESSIONS: usize = 16;

/// The sessions of one Tillit process on a PostgreSQL database: taken for
/// one read or one write, then given back.
pub struct Pool {
    location: PgLocation,
    idle: std::sync::Mutex<Vec<PgSession>>,
}

impl std::fmt::Debug for Pool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Pool({})", self.location.shown())
    }
}

impl Drop for Pool {
    /// A session closes its connection by blocking on the client's own
    /// runtime, which is refused on a thread that drives asynchronous tasks
    /// (the team server's, when the last request holding the database ends
    /// after the server has stopped): there the sessions are closed on a
    /// thread of their own.
    fn drop(&mut self) {
        let sessions = match self.idle.get_mut() {
            Ok(idle) => std::mem::take(idle),
            Err(poisoned) => std::mem::take(poisoned.into_inner()),
        };
        if tokio::runtime::Handle::try_current().is_ok() {
            std::thread::spawn(move || drop(sessions));
        }
    }
}

impl Pool {
    /// Opens the database at `location`: migrated to this build's schema,
    /// its capture installed (both under [`MIGRATION_LOCK`]), and a first
    /// session kept.
    pub fn open(location: PgLocation) -> Result<(Pool, Migrated)> {
        let migrated = migrate(&location)?;
        let pool = Pool {
            location,
            idle: std::sync::Mutex::new(Vec::new()),
        };
        let session = pool.take()?;
        let conn = Connection::over_postgres(&session);
        conn.execute_batch("BEGIN")?;
        conn.execute("SELECT pg_advisory_xact_lock(?1)", [MIGRATION_LOCK])?;
        // Once per build and schema: a later start finds them current.
        crate::store::trail::capture::install_on_postgres(&conn, SQLITE_FUNCTIONS)?;
        conn.execute_batch("COMMIT")?;
        pool.give_back(session);
        Ok((pool, migrated))
    }

    /// The database as messages name it (no password).
    pub fn shown(&self) -> &str {
        self.location.shown()
    }

    /// An idle session, or a new one prepared for the capture.
    pub fn take(&self) -> Result<PgSession> {
        if let Some(idle) = self.idle.lock().ok().and_then(|mut idle| idle.pop()) {
            return Ok(idle);
        }
        let session = PgSession::new(self.location.connect()?);
        let conn = Connection::over_postgres(&session);
        // Tillit's statements are short: compiling one to machine code
        // costs far more than it saves (the register list of 10,000
        // suppliers took 23.6 s with PostgreSQL's JIT, 0.69 s without).
        conn.execute_batch("SET jit = off")?;
        crate::store::trail::capture::prepare_session(&conn)?;
        Ok(session)
    }

    /// A session of its own without the capture: what it changes is not
    /// recorded (for copying a whole database with its trail as it is).
    pub(crate) fn bare(&self) -> Result<PgSession> {
        Ok(PgSession::new(self.location.connect()?))
    }

    /// Keeps `session` for the next use, unless its connection is gone or
    /// it was left inside a transaction.
    pub fn give_back(&self, session: PgSession) {
        if session.is_closed() || !session.is_autocommit() {
            return;
        }
        if let Ok(mut idle) = self.idle.lock() {
            if idle.len() < IDLE_SESSIONS {
                idle.push(session);
            }
        }
    }
}
