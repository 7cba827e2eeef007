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

use super::Migration;
use crate::error::{Error, Result};
use postgres::{Client, Config, GenericClient};
use std::sync::Arc;

include!(concat!(env!("OUT_DIR"), "/pg_migrations.rs"));

/// The advisory lock every migration of a Tillit database takes ('TILLMIGR').
const MIGRATION_LOCK: i64 = 0x5449_4C4C_4D49_4752;

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
        let config: Config = url.parse().map_err(|e| {
            Error::Internal(format!("the PostgreSQL address is not understood: {e}"))
        })?;
        let hosts: Vec<String> = config
            .get_hosts()
            .iter()
            .map(|host| match host {
                postgres::config::Host::Tcp(name) => name.clone(),
                postgres::config::Host::Unix(path) => path.display().to_string(),
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

    /// A new connection.
    pub fn connect(&self) -> Result<Client> {
        Ok(match &self.tls {
            Some(tls) => self.config.connect(tls.clone())?,
            None => self.config.connect(postgres::NoTls)?,
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
