//! The team server's PostgreSQL store: a database made from
//! `migrations/postgres/` has the schema SQLite's migrations give, two
//! servers starting at once migrate it once, and a newer or foreign database
//! is refused untouched.

use std::collections::BTreeSet;
use tillit::store::postgres::{
    migrate, migrate_with, schema_version, Migrated, PgLocation, PG_MIGRATIONS,
};
use tillit::store::{latest_version, Migration, MIGRATIONS};
use tillit::Error;

/// A new database and where it is, or `None` without a test cluster.
fn database() -> Option<(PgLocation, postgres::Client)> {
    let url = crate::support::postgres_database()?;
    let location = PgLocation::parse(&url).unwrap();
    let client = location.connect().unwrap();
    Some((location, client))
}

/// One line per column, key, foreign key, index and check count of the
/// schema, in SQLite's words: what both engines must agree on.
fn sqlite_schema() -> BTreeSet<String> {
    let db = tillit::Db::open_in_memory().unwrap();
    db.read(|conn| {
        let mut lines = BTreeSet::new();
        let tables: Vec<(String, String)> = conn
            .prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for (table, sql) in tables {
            let columns: Vec<(String, String, bool, Option<String>, i64)> = conn
                .prepare(&format!("PRAGMA table_info(\"{table}\")"))?
                .query_map([], |r| Ok((r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)))?
                .collect::<rusqlite::Result<_>>()?;
            // An INTEGER PRIMARY KEY is SQLite's row id, kept without an index
            // of its own; PostgreSQL's key has one.
            if let [(name, kind, ..)] = columns.iter().filter(|c| c.4 > 0).collect::<Vec<_>>()[..] {
                if kind == "INTEGER" {
                    lines.insert(format!("index {table} pk unique=true ({name})"));
                }
            }
            for (name, kind, not_null, default, key) in columns {
                let kind = match (table.as_str(), name.as_str(), kind.as_str()) {
                    // NOCASE text: PostgreSQL's case-insensitive text.
                    ("app_user", "username", _) => "citext",
                    (_, _, "TEXT") => "text",
                    (_, _, "INTEGER") => "bigint",
                    (_, _, "REAL") => "double precision",
                    (_, _, other) => panic!("{table}.{name}: type {other} has no counterpart"),
                };
                let not_null = not_null || key > 0;
                let default = default.unwrap_or_default();
                lines.insert(format!("column {table}.{name} {kind} not_null={not_null} default={default} key={key}"));
            }
            let foreign: Vec<(String, String, String, String)> = conn
                .prepare(&format!("PRAGMA foreign_key_list(\"{table}\")"))?
                .query_map([], |r| Ok((r.get(2)?, r.get(3)?, r.get(4)?, r.get(6)?)))?
                .collect::<rusqlite::Result<_>>()?;
            for (to, from, column, on_delete) in foreign {
                lines.insert(format!("foreign {table}.{from} -> {to}.{column} on delete {}", on_delete.to_lowercase()));
            }
            lines.insert(format!("checks {table} {}", sql.matches("CHECK (").count()));
            let indexes: Vec<(String, bool, String)> = conn
                .prepare(&format!("PRAGMA index_list(\"{table}\")"))?
                .query_map([], |r| Ok((r.get(1)?, r.get(2)?, r.get(3)?)))?
                .collect::<rusqlite::Result<_>>()?;
            for (index, unique, origin) in indexes {
                let columns: Vec<String> = conn
                    .prepare(&format!("PRAGMA index_info(\"{index}\")"))?
                    .query_map([], |r| r.get(2))?
                    .collect::<rusqlite::Result<_>>()?;
                let name = if origin == "c" { index } else { origin };
                lines.insert(format!("index {table} {name} unique={unique} ({})", columns.join(", ")));
            }
        }
        Ok(lines)
    })
    .unwrap()
}

/// The same lines, read from PostgreSQL's catalogue.
fn postgres_schema(client: &mut postgres::Client) -> BTreeSet<String> {
    let mut lines = BTreeSet::new();
    let tables: Vec<String> = client
        .query(
            "SELECT table_name::text FROM information_schema.tables
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> 'tillit_schema'",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    for table in tables {
        let keys: Vec<String> = client
            .query(
                "SELECT a.attname::text FROM pg_index i
                 JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(col, n) ON true
                 JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.col
                 WHERE i.indrelid = $1::text::regclass AND i.indisprimary ORDER BY k.n",
                &[&format!("\"{table}\"")],
            )
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect();
        for row in client
            .query(
                "SELECT column_name::text, CASE WHEN data_type = 'USER-DEFINED' THEN udt_name::text ELSE data_type::text END,
                        is_nullable = 'NO', coalesce(column_default, '')
                 FROM information_schema.columns
                 WHERE table_schema = current_schema() AND table_name = $1 AND column_name <> 'rowid'
                 ORDER BY ordinal_position",
                &[&table],
            )
            .unwrap()
        {
            let name: String = row.get(0);
            let kind: String = row.get(1);
            let not_null: bool = row.get(2);
            let default: String = row.get(3);
            // 'draft'::text is SQLite's 'draft'.
            let default = default.split("::").next().unwrap_or_default().to_owned();
            let key = keys.iter().position(|k| *k == name).map_or(0, |p| p + 1);
            lines.insert(format!("column {table}.{name} {kind} not_null={not_null} default={default} key={key}"));
        }
        for row in client
            .query(
                "SELECT a.attname::text, rc.relname::text, ra.attname::text, c.confdeltype::text
                 FROM pg_constraint c
                 JOIN pg_class rc ON rc.oid = c.confrelid
                 JOIN LATERAL unnest(c.conkey, c.confkey) AS k(col, rcol) ON true
                 JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.col
                 JOIN pg_attribute ra ON ra.attrelid = c.confrelid AND ra.attnum = k.rcol
                 WHERE c.contype = 'f' AND c.conrelid = $1::text::regclass",
                &[&format!("\"{table}\"")],
            )
            .unwrap()
        {
            let on_delete = match row.get::<_, String>(3).as_str() {
                "c" => "cascade",
                "n" => "set null",
                "a" => "no action",
                other => panic!("on delete {other}"),
            };
            lines.insert(format!(
                "foreign {table}.{} -> {}.{} on delete {on_delete}",
                row.get::<_, String>(0),
                row.get::<_, String>(1),
                row.get::<_, String>(2)
            ));
        }
        let checks: i64 = client
            .query_one(
                "SELECT count(*) FROM pg_constraint WHERE contype = 'c' AND conrelid = $1::text::regclass",
                &[&format!("\"{table}\"")],
            )
            .unwrap()
            .get(0);
        lines.insert(format!("checks {table} {checks}"));
        for row in client
            .query(
                "SELECT ic.relname::text, i.indisunique, i.indisprimary,
                        EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid),
                        array_agg(a.attname::text ORDER BY k.n)
                 FROM pg_index i
                 JOIN pg_class ic ON ic.oid = i.indexrelid
                 JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(col, n) ON true
                 JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.col
                 WHERE i.indrelid = $1::text::regclass
                 GROUP BY ic.relname, i.indisunique, i.indisprimary, i.indexrelid",
                &[&format!("\"{table}\"")],
            )
            .unwrap()
        {
            let name: String = row.get(0);
            let unique: bool = row.get(1);
            let primary: bool = row.get(2);
            let constraint: bool = row.get(3);
            let mut columns: Vec<String> = row.get(4);
            // SQLite's rowid: a b-tree of its own, and the last column of
            // every other index of the table.
            if name == format!("{table}_rowid") {
                continue;
            }
            if columns.len() > 1 && columns.last().is_some_and(|c| c == "rowid") {
                columns.pop();
            }
            // SQLite names the indexes behind keys by their origin.
            let name = match (primary, constraint) {
                (true, _) => "pk".to_owned(),
                (false, true) => "u".to_owned(),
                _ => name,
            };
            lines.insert(format!(
                "index {table} {name} unique={unique} ({})",
                columns.join(", ")
            ));
        }
    }
    lines
}

#[test]
fn a_postgresql_store_gets_the_schema_sqlite_migrations_give() {
    let Some((location, mut client)) = database() else {
        return;
    };
    assert_eq!(migrate(&location).unwrap(), Migrated::Created);
    assert_eq!(
        schema_version(&location).unwrap(),
        latest_version(MIGRATIONS)
    );
    let sqlite = sqlite_schema();
    let postgres = postgres_schema(&mut client);
    let only_sqlite: Vec<_> = sqlite.difference(&postgres).collect();
    let only_postgres: Vec<_> = postgres.difference(&sqlite).collect();
    assert!(
        only_sqlite.is_empty() && only_postgres.is_empty(),
        "only in SQLite: {only_sqlite:#?}\nonly in PostgreSQL: {only_postgres:#?}"
    );
    assert!(
        sqlite.len() > 150,
        "the comparison saw the schema: {}",
        sqlite.len()
    );
    // A user name is unique without regard to case, as with SQLite's NOCASE.
    client
        .batch_execute(
            "INSERT INTO app_user (id, username, display_name, roles, password_hash, created_at, updated_at)
             VALUES ('a', 'Olivia', 'Olivia', '[\"auditor\"]', 'x', 't', 't')",
        )
        .unwrap();
    let twice = client.batch_execute(
        "INSERT INTO app_user (id, username, display_name, roles, password_hash, created_at, updated_at)
         VALUES ('b', 'olivia', 'Olivia', '[\"auditor\"]', 'x', 't', 't')",
    );
    assert!(twice.is_err(), "a second Olivia in other case is refused");
    let found: i64 = client
        .query_one(
            "SELECT count(*) FROM app_user WHERE username = 'OLIVIA'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(found, 1);
    // JSON is checked as SQLite's json_valid does.
    let not_json = client.batch_execute(
        "INSERT INTO rule_set (version, content, created_by, created_at) VALUES (1, '{not json', 'x', 't')",
    );
    assert!(not_json.is_err(), "text that is not JSON is refused");
    // Opened again: current, nothing applied twice.
    assert_eq!(migrate(&location).unwrap(), Migrated::Current);
}

#[test]
fn two_servers_starting_at_once_on_one_postgresql_database_migrate_it_once() {
    let Some((location, mut client)) = database() else {
        return;
    };
    let start = std::sync::Barrier::new(4);
    let results: Vec<_> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..4)
            .map(|_| {
                scope.spawn(|| {
                    start.wait();
                    migrate(&location)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let results: Vec<Migrated> = results.into_iter().map(Result::unwrap).collect();
    assert_eq!(
        results.iter().filter(|r| **r == Migrated::Created).count(),
        1,
        "{results:?}"
    );
    assert_eq!(
        results.iter().filter(|r| **r == Migrated::Current).count(),
        3,
        "{results:?}"
    );
    let marks: i64 = client
        .query_one("SELECT count(*) FROM tillit_schema", &[])
        .unwrap()
        .get(0);
    assert_eq!(marks, 1);
}

/// Every table and its row count, to show that nothing changed.
fn contents(client: &mut postgres::Client) -> Vec<(String, i64)> {
    let tables: Vec<String> = client
        .query(
            "SELECT table_name::text FROM information_schema.tables
             WHERE table_schema = current_schema() ORDER BY 1",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    tables
        .into_iter()
        .map(|t| {
            let n: i64 = client
                .query_one(&format!("SELECT count(*) FROM \"{t}\""), &[])
                .unwrap()
                .get(0);
            (t, n)
        })
        .collect()
}

#[test]
fn a_postgresql_database_from_a_newer_tillit_or_another_program_is_refused_untouched() {
    let Some((location, mut client)) = database() else {
        return;
    };
    migrate(&location).unwrap();
    client
        .batch_execute("UPDATE tillit_schema SET version = 99")
        .unwrap();
    let before = contents(&mut client);
    match migrate(&location).unwrap_err() {
        Error::DatabaseTooNew {
            path,
            found,
            supported,
        } => {
            assert_eq!((found, supported), (99, latest_version(MIGRATIONS)));
            assert!(path.starts_with("postgres://postgres@"), "{path}");
            assert!(path.ends_with(location.shown().rsplit('/').next().unwrap()));
        }
        other => panic!("not refused as newer: {other}"),
    }
    assert_eq!(contents(&mut client), before);

    let Some((other, mut theirs)) = database() else {
        return;
    };
    theirs
        .batch_execute(
            "CREATE TABLE invoices (id int PRIMARY KEY); INSERT INTO invoices VALUES (1)",
        )
        .unwrap();
    let before = contents(&mut theirs);
    let refused = migrate(&other).unwrap_err();
    assert!(
        matches!(refused, Error::NotATillitDatabase { .. }),
        "{refused}"
    );
    assert!(refused.to_string().contains(other.shown()), "{refused}");
    assert_eq!(contents(&mut theirs), before, "nothing added");
}

#[test]
fn a_postgresql_migration_that_fails_leaves_nothing_behind() {
    let Some((location, mut client)) = database() else {
        return;
    };
    let broken = Migration {
        version: PG_MIGRATIONS.last().unwrap().version + 1,
        name: "broken",
        sql: "CREATE TABLE half_done (x int); SELECT no_such_function();",
    };
    let migrations: Vec<Migration> = PG_MIGRATIONS.iter().copied().chain([broken]).collect();
    let refused = migrate_with(&location, &migrations).unwrap_err();
    assert!(refused.to_string().contains("postgres/"), "{refused}");
    assert_eq!(contents(&mut client), [], "not even the baseline remains");
    assert_eq!(schema_version(&location).unwrap(), 0);
}

#[test]
fn sqlite_style_parameters_become_postgresql_ones_outside_quotes_and_comments() {
    use tillit::store::sql::numbered;
    assert_eq!(
        numbered("SELECT ?1, '?2', \"a?\", ? -- what ?\n, ?3, ?"),
        "SELECT $1, '?2', \"a?\", $2 -- what ?\n, $3, $4"
    );
    assert_eq!(
        numbered("WHERE a = ?2 OR b = ?2 OR c = ?1"),
        "WHERE a = $2 OR b = $2 OR c = $1"
    );
}

#[test]
fn the_aggregates_sql_runs_through_the_seam_on_postgresql_with_sqlite_values() {
    use tillit::store::sql::{Connection, OptionalExtension, PgSession};
    let Some((location, client)) = database() else {
        return;
    };
    migrate(&location).unwrap();
    let session = PgSession::new(client);
    let conn = Connection::over_postgres(&session);

    // What the aggregates read from an empty register.
    assert_eq!(tillit::audit::head(&conn).unwrap(), None);
    assert_eq!(tillit::rules::current(&conn).unwrap().version, 1);
    assert_eq!(
        tillit::settings::organisation_in(&conn).unwrap(),
        tillit::settings::Organisation::default()
    );

    // Every storage class there and back, by position and by name.
    conn.execute_batch(
        "CREATE TEMP TABLE t (i BIGINT, r DOUBLE PRECISION, s TEXT, b BYTEA, n BIGINT)",
    )
    .unwrap();
    let mut insert = conn
        .prepare_cached("INSERT INTO t (i, r, s, b, n) VALUES (?1, ?2, ?3, ?4, ?5)")
        .unwrap();
    for i in 1..=3i64 {
        let changed = insert
            .execute(rusqlite::params![
                i,
                i as f64 / 4.0,
                format!("rad {i} å"),
                vec![i as u8; 2],
                None::<i64>
            ])
            .unwrap();
        assert_eq!(changed, 1);
    }
    let (i, r, s, b, n): (u32, f64, String, Vec<u8>, Option<i64>) = conn
        .query_row(
            "SELECT i, r, s, b, n FROM t WHERE s = ?1",
            ["rad 2 å"],
            |row| {
                Ok((
                    row.get(0)?,
                    row.get("r")?,
                    row.get("s")?,
                    row.get(3)?,
                    row.get("n")?,
                ))
            },
        )
        .unwrap();
    assert_eq!(
        (i, r, s.as_str(), b, n),
        (2, 0.5, "rad 2 å", vec![2, 2], None)
    );
    // What SQL computes: a sum (numeric), an average, a comparison (bool).
    let (sum, average, any): (i64, f64, bool) = conn
        .query_row("SELECT sum(i), avg(r), count(*) > 0 FROM t", [], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?))
        })
        .unwrap();
    assert_eq!((sum, average, any), (6, 0.5, true));
    // Rows in order, mapped or stepped through; none, as SQLite says none.
    let texts: Vec<String> = conn
        .prepare("SELECT s FROM t WHERE i >= ?1 ORDER BY i DESC")
        .unwrap()
        .query_map([2], |row| row.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert_eq!(texts, ["rad 3 å", "rad 2 å"]);
    let mut statement = conn.prepare("SELECT i FROM t ORDER BY i").unwrap();
    let mut rows = statement.query([]).unwrap();
    let mut seen = Vec::new();
    while let Some(row) = rows.next().unwrap() {
        seen.push(row.get::<_, i64>(0).unwrap());
    }
    assert_eq!(seen, [1, 2, 3]);
    let none: Option<i64> = conn
        .query_row("SELECT i FROM t WHERE i > ?1", [10], |row| row.get(0))
        .optional()
        .unwrap();
    assert_eq!(none, None);
    // A refusal by the database comes back as an error, not a panic.
    let twice = conn.execute(
        "INSERT INTO app_setting (key, value) VALUES (?1, ?2), (?1, ?2)",
        ["same", "x"],
    );
    assert!(matches!(twice, Err(Error::Postgres(_))), "{twice:?}");
    // A text that is not a number is refused where a number is asked for.
    let wrong = conn.query_row("SELECT i FROM t WHERE i = ?1", ["two"], |row| {
        row.get::<_, i64>(0)
    });
    assert!(wrong.is_err());
}
