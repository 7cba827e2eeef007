//! Helpers shared by the test modules.

use rusqlite::Connection;
use std::path::Path;

/// Reads `PRAGMA user_version` of the file at `path` without going through Tillit.
pub fn user_version(path: &Path) -> u32 {
    let conn = Connection::open(path).expect("open the file directly");
    conn.query_row("PRAGMA user_version", [], |row| row.get(0))
        .expect("read user_version")
}

/// Creates an SQLite file that claims to be a Tillit database of schema `version`.
pub fn tillit_file_at_version(path: &Path, version: u32) {
    let conn = Connection::open(path).expect("create the file");
    conn.execute_batch(&format!(
        "PRAGMA application_id = {}; PRAGMA user_version = {version}; CREATE TABLE from_the_future (x);",
        tillit::store::APPLICATION_ID
    ))
    .expect("write the header");
}

use chrono::{TimeZone, Utc};
use tillit::approval::{self, NewUser, Role};
use tillit::context::{FixedClock, SequentialIds};
use tillit::supplier::{SupplierFields, Tier};
use tillit::Db;

/// The password of every test user.
pub const PASSWORD: &str = "correct horse battery";

/// The test users: (username, name, roles).
pub const USERS: [(&str, &str, &[Role]); 4] = [
    ("admin", "Ada Admin", &[Role::Administrator]),
    ("olivia", "Olivia Officer", &[Role::ProcurementOfficer]),
    ("magnus", "Magnus Manager", &[Role::Management]),
    ("aud", "Aud Auditor", &[Role::Auditor]),
];

/// An in-memory database with a fixed clock (2026-03-01 09:00 UTC), the
/// test users, the procurement officer `olivia` signed in, and sequential
/// ids from the first register write on, so every result is exactly
/// predictable.
pub fn db() -> Db {
    db_at(Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap())
}

/// [`db`] with the clock at `now`.
pub fn db_at(now: chrono::DateTime<Utc>) -> Db {
    with_users(fresh(), now)
}

/// `db` as [`db_at`] gives it: the clock at `now`, the test users, `olivia`
/// signed in, sequential ids.
pub fn with_users(db: Db, now: chrono::DateTime<Utc>) -> Db {
    let db = db.with_clock(FixedClock(now));
    add_users(&db);
    db.with_ids(SequentialIds::default())
}

/// A new, empty database with every migration applied: in memory, or, when
/// `TILLIT_TEST_DB=postgres`, a new database on the test cluster (`make
/// test` runs the suite both ways).
pub fn fresh() -> Db {
    if on_postgres() {
        let url = postgres_database().expect("TILLIT_TEST_DB=postgres needs the test cluster");
        return Db::open_postgres(&url).unwrap();
    }
    Db::open_in_memory().unwrap()
}

/// A new database holding the register `tillit dev seed` generates for
/// `suppliers` suppliers from `seed`, as of 2026-11-02, its clock at the
/// real time.
pub fn generated(suppliers: usize, seed: u64) -> Db {
    let clock = tillit::context::SharedClock::new(Utc::now());
    let db = fresh()
        .with_clock(clock.clone())
        .with_ids(tillit::context::SeededIds::new(seed));
    let options = tillit::dev::SeedOptions {
        suppliers,
        seed,
        as_of: chrono::NaiveDate::from_ymd_opt(2026, 11, 2).unwrap(),
        password: PASSWORD.into(),
    };
    tillit::dev::register(&db, &clock, &options).unwrap();
    db
}

/// Where a test keeps a database it opens again, or hands to the command
/// line or a server: `tillit.db` in `dir`, or, when
/// `TILLIT_TEST_DB=postgres`, a new database on the test cluster (its URL,
/// which every way of opening and `--db` take as they take a file).
pub fn store_in(dir: &Path) -> std::path::PathBuf {
    if on_postgres() {
        let url = postgres_database().expect("TILLIT_TEST_DB=postgres needs the test cluster");
        return url.into();
    }
    dir.join("tillit.db")
}

/// A copy of the closed store at `location` (as [`store_in`] gives it),
/// kept in `dir`: the file copied, or a new database made from it on the
/// test cluster.
pub fn copy_store(location: &Path, dir: &Path) -> std::path::PathBuf {
    let text = location.to_str().unwrap();
    if !text.starts_with("postgres") {
        let copy = dir.join("copy-of-tillit.db");
        std::fs::copy(location, &copy).unwrap();
        return copy;
    }
    let server = std::env::var("TILLIT_TEST_POSTGRES").unwrap();
    let name = |url: &str| {
        let base = url.split('?').next().unwrap();
        base.rsplit('/').next().unwrap().to_owned()
    };
    let copy = format!("tillit_{}", uuid::Uuid::new_v4().simple());
    postgres::Client::connect(&server, postgres::NoTls)
        .unwrap()
        .batch_execute(&format!("CREATE DATABASE {copy} TEMPLATE {}", name(text)))
        .expect("copy the database (no session may be open on it)");
    text.replacen(&format!("/{}", name(text)), &format!("/{copy}"), 1)
        .into()
}

/// Whether this run keeps its databases on PostgreSQL (`TILLIT_TEST_DB=postgres`).
pub fn on_postgres() -> bool {
    std::env::var("TILLIT_TEST_DB").as_deref() == Ok("postgres")
}

/// A critical business function, "Kundtjänst" (F1 in an empty register),
/// added by the administrator; `olivia` is signed in again after.
pub fn critical_function(db: &Db) -> String {
    sign_in(db, "admin");
    let function = tillit::supplier::create_function(
        db,
        tillit::supplier::FunctionFields {
            name: "Kundtjänst".into(),
            licensed_activity: "eba_TA:x28".into(),
            criticality: tillit::supplier::Criticality::Critical,
            criticality_reason: "Kunderna når oss inte utan den".into(),
            assessed_on: chrono::NaiveDate::from_ymd_opt(2026, 1, 15),
            rto_hours: Some(8),
            rpo_hours: Some(1),
            discontinuing_impact: Some(tillit::supplier::Impact::High),
        },
    )
    .unwrap();
    sign_in(db, "olivia");
    function.id
}

/// Creates the test users in `db` and signs in the officer `olivia`.
pub fn add_users(db: &Db) {
    let (first, rest) = USERS.split_first().unwrap();
    approval::create_first_administrator(db, new_user(first)).unwrap();
    for user in rest {
        approval::create(db, new_user(user)).unwrap();
    }
    sign_in(db, "olivia");
}

fn new_user((username, name, roles): &(&str, &str, &[Role])) -> NewUser {
    NewUser {
        username: (*username).into(),
        display_name: (*name).into(),
        roles: roles.to_vec(),
        password: PASSWORD.into(),
    }
}

/// An empty database as a new machine has it: one administrator, `root`,
/// who also keeps the register (the roles an import of a whole register
/// needs), signed in; the clock at `now`.
pub fn empty_at(now: chrono::DateTime<Utc>) -> Db {
    let db = fresh().with_clock(FixedClock(now));
    approval::create_first_administrator(
        &db,
        NewUser {
            username: "root".into(),
            display_name: "Rut Root".into(),
            roles: vec![Role::Administrator, Role::ProcurementOfficer],
            password: PASSWORD.into(),
        },
    )
    .unwrap();
    approval::sign_in(&db, "root", PASSWORD).unwrap();
    db
}

/// Gives a test user other roles (as the administrator, then signs out).
pub fn grant_roles(db: &Db, username: &str, roles: &[Role]) {
    let previous = db.signed_in();
    sign_in(db, "admin");
    let user = approval::list(db)
        .unwrap()
        .into_iter()
        .find(|u| u.username == username)
        .unwrap();
    approval::update(
        db,
        user.id,
        approval::UserChange {
            display_name: user.display_name,
            roles: roles.to_vec(),
            active: true,
        },
    )
    .unwrap();
    if let Some(previous) = previous {
        sign_in(db, &previous.username);
    }
}

/// Signs in one of the test users.
pub fn sign_in(db: &Db, username: &str) {
    approval::sign_in(db, username, PASSWORD).unwrap();
}

/// A valid Swedish supplier.
pub fn swedish_supplier(name: &str) -> SupplierFields {
    SupplierFields {
        legal_name: name.to_owned(),
        registration_number: "556012-5790".to_owned(),
        country_of_incorporation: "SE".to_owned(),
        country_of_headquarters: "SE".to_owned(),
        tier: Tier::Essential,
        tier_justification: "Hosts the customer portal".to_owned(),
        ..SupplierFields::default()
    }
}

/// A supplier named `name` as a database of an earlier schema (from 2 on)
/// holds it, through the database's own transaction so that its trail
/// records it: today's code writes columns such a database does not have.
pub fn supplier_of_old_schema(db: &Db, name: &str) -> tillit::supplier::SupplierId {
    let id = uuid::Uuid::new_v4();
    db.with_tx(|tx| {
        tx.execute(
            "INSERT INTO supplier (id, legal_name, search_key, sort_key, registration_number,
                                   country_of_incorporation, country_of_headquarters, tier,
                                   tier_justification, created_at, updated_at)
             VALUES (?1, ?2, lower(?2), lower(?2), '556012-5790', 'SE', 'SE', 'essential',
                     'Hosts the customer portal', '2026-03-01T09:00:00.000Z', '2026-03-01T09:00:00.000Z')",
            rusqlite::params![id.to_string(), name],
        )?;
        Ok(())
    })
    .unwrap();
    tillit::supplier::SupplierId(id)
}

/// The fields named by an error, in order.
pub fn fields_of(error: &tillit::Error) -> Vec<String> {
    error
        .field_errors()
        .iter()
        .map(|e| e.field.clone())
        .collect()
}

/// A caller of the contract with no files, dialogs or viewer: the
/// commands as the window calls them, on `db`.
pub struct NoFiles<'a>(pub &'a Db);

impl tillit::contract::Caller for NoFiles<'_> {
    fn db(&self) -> &Db {
        self.0
    }
    fn chosen_file(
        &self,
        _: tillit::files::FilePurpose,
        path: &str,
    ) -> tillit::Result<std::path::PathBuf> {
        Err(tillit::error::Refusal::new("refusal.file_not_chosen")
            .with("path", path)
            .into())
    }
}

/// A new, empty PostgreSQL database on the throwaway cluster that
/// `scripts/with-postgres.sh` starts (`make test` runs every test under it),
/// as a connection URL. `None`, said on standard error, when no cluster was
/// started (a bare `cargo test`); a failure when `make test` asked for one.
pub fn postgres_database() -> Option<String> {
    let Ok(server) = std::env::var("TILLIT_TEST_POSTGRES") else {
        assert!(
            std::env::var_os("TILLIT_TEST_POSTGRES_REQUIRED").is_none(),
            "TILLIT_TEST_POSTGRES is not set: run the tests under scripts/with-postgres.sh"
        );
        eprintln!("no PostgreSQL cluster (scripts/with-postgres.sh): this test's PostgreSQL part is not run");
        return None;
    };
    let name = format!("tillit_{}", uuid::Uuid::new_v4().simple());
    let mut admin =
        postgres::Client::connect(&server, postgres::NoTls).expect("connect to the test cluster");
    admin
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .expect("create a test database");
    let (base, query) = server.split_once('?').unwrap_or((&server, ""));
    let (host, _) = base.rsplit_once('/').expect("a database in the URL");
    Some(format!("{host}/{name}?{query}"))
}

/// A store opened as another program or an attacker opens it: the file as
/// plain SQLite with no foreign keys, or a PostgreSQL session that is not
/// Tillit's (nothing it changes is captured, no foreign key is checked).
pub enum Outside {
    Sqlite(Connection),
    Postgres(Box<tillit::store::sql::PgSession>),
}

impl Outside {
    /// Opens the store at `location` (a file, or a `postgres://` URL as
    /// [`store_in`] gives it).
    pub fn open(location: &Path) -> Outside {
        match location.to_str().filter(|l| l.starts_with("postgres")) {
            Some(url) => {
                let mut client =
                    postgres::Client::connect(url, postgres::NoTls).expect("connect from outside");
                client
                    .batch_execute("SET session_replication_role = replica")
                    .expect("no foreign keys, no triggers");
                Outside::Postgres(Box::new(tillit::store::sql::PgSession::new(client)))
            }
            None => {
                let conn = Connection::open(location).expect("open the file directly");
                conn.pragma_update(None, "foreign_keys", false).unwrap();
                Outside::Sqlite(conn)
            }
        }
    }

    /// Tillit's SQL seam over this connection (`?1` parameters on either engine).
    pub fn seam(&self) -> tillit::store::sql::Connection<'_> {
        match self {
            Outside::Sqlite(conn) => tillit::store::sql::Connection::over_sqlite(conn),
            Outside::Postgres(session) => tillit::store::sql::Connection::over_postgres(session),
        }
    }

    /// Runs one statement; the number of rows it changed.
    pub fn execute(&self, sql: &str, params: &[&dyn rusqlite::ToSql]) -> usize {
        self.seam()
            .execute(sql, params)
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    /// The one text value `sql` selects.
    pub fn text(&self, sql: &str, params: &[&dyn rusqlite::ToSql]) -> String {
        self.seam()
            .query_row(sql, params, |r| r.get(0))
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
    }
}

/// Tillit's view of a connection opened directly on a file (as an attacker
/// or another program would), to run Tillit's own checks on it.
pub fn seam(conn: &Connection) -> tillit::store::sql::Connection<'_> {
    tillit::store::sql::Connection::over_sqlite(conn)
}

/// The profile of a Swedish bank, as an administrator describes it (DORA's
/// register of information needs every field of it).
pub fn banken() -> tillit::settings::Organisation {
    tillit::settings::Organisation {
        legal_name: "Banken i Norr AB".into(),
        registration_number: "556012-5790".into(),
        lei: "506700GE1G29325QX363".into(),
        country: "SE".into(),
        entity_type: Some(tillit::settings::EntityType::CreditInstitution),
        competent_authority: "Finansinspektionen".into(),
        currency: "SEK".into(),
        total_assets: Some(48_500_000_000),
        definitions: tillit::settings::Definitions {
            arrangement_overarching: "A framework agreement under which call-offs are signed."
                .into(),
            sensitivity_high: "Data whose disclosure harms customers or breaks secrecy.".into(),
            ..Default::default()
        },
    }
}
