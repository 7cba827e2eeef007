//! The one seam between the aggregates' SQL and a database engine
//! (ARCHITECTURE.md "One database seam").
//!
//! The aggregates run their statements on a [`Connection`] and read results
//! from a [`Row`]; neither names an engine. Values cross the seam as SQLite's
//! five storage classes (null, integer, real, text, blob), through
//! rusqlite's `ToSql` and `FromSql`: every type the register stores already
//! converts to and from them, and the PostgreSQL schema keeps to the same
//! classes (text, bigint, double precision, bytea), so a value reads the same
//! on either engine. Code that only makes sense on SQLite (pragmas, backups,
//! the capture's temporary triggers) asks for the engine's own connection
//! with [`Connection::sqlite`].

mod postgres;

pub use postgres::{numbered, PgSession};

use crate::error::{Error, Result};
use rusqlite::types::{FromSql, ToSql, ValueRef};

/// A connection to the database, or a transaction on it, as the
/// aggregates see it. Cheap to copy: it borrows the engine's connection.
#[derive(Clone, Copy)]
pub struct Connection<'c> {
    engine: Engine<'c>,
}

#[derive(Clone, Copy)]
enum Engine<'c> {
    Sqlite(&'c rusqlite::Connection),
    Postgres(&'c PgSession),
}

impl std::fmt::Debug for Connection<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.engine {
            Engine::Sqlite(_) => f.write_str("Connection(SQLite)"),
            Engine::Postgres(_) => f.write_str("Connection(PostgreSQL)"),
        }
    }
}

impl<'c> Connection<'c> {
    /// The seam over an SQLite connection.
    pub fn over_sqlite(conn: &'c rusqlite::Connection) -> Connection<'c> {
        Connection {
            engine: Engine::Sqlite(conn),
        }
    }

    /// The seam over a PostgreSQL session.
    pub fn over_postgres(session: &'c PgSession) -> Connection<'c> {
        Connection {
            engine: Engine::Postgres(session),
        }
    }

    /// The SQLite connection underneath, for what only SQLite does.
    pub fn sqlite(&self) -> Option<&'c rusqlite::Connection> {
        match self.engine {
            Engine::Sqlite(conn) => Some(conn),
            Engine::Postgres(_) => None,
        }
    }

    /// The SQLite connection underneath, or the refusal of an operation
    /// (named by `what`) that only SQLite's store has.
    pub fn require_sqlite(&self, what: &str) -> Result<&'c rusqlite::Connection> {
        self.sqlite()
            .ok_or_else(|| Error::Internal(format!("{what} needs an SQLite database")))
    }

    /// The file of an SQLite database (empty for one in memory); `None`
    /// for a database that is not a file.
    pub fn path(&self) -> Option<&'c str> {
        match self.engine {
            Engine::Sqlite(conn) => conn.path(),
            Engine::Postgres(_) => None,
        }
    }

    /// Whether the database is PostgreSQL (the team server's second engine).
    pub fn is_postgres(&self) -> bool {
        matches!(self.engine, Engine::Postgres(_))
    }

    /// The schema version the database records (SQLite's `user_version`,
    /// PostgreSQL's `tillit_schema` row).
    pub fn schema_version(&self) -> Result<u32> {
        let sql = match self.engine {
            Engine::Sqlite(_) => "PRAGMA main.user_version",
            Engine::Postgres(_) => "SELECT version FROM tillit_schema",
        };
        self.query_row(sql, [], |r| r.get(0))
    }

    /// The tables `table` refers to by its foreign keys.
    pub fn references(&self, table: &str) -> Result<Vec<String>> {
        let sql = match self.engine {
            Engine::Sqlite(_) => "SELECT DISTINCT \"table\" FROM pragma_foreign_key_list(?1)",
            Engine::Postgres(_) => {
                "SELECT DISTINCT r.relname::text FROM pg_constraint k
                 JOIN pg_class t ON t.oid = k.conrelid JOIN pg_class r ON r.oid = k.confrelid
                 JOIN pg_namespace n ON n.oid = t.relnamespace
                 WHERE k.contype = 'f' AND n.nspname = current_schema() AND t.relname = ?1"
            }
        };
        self.prepare(sql)?
            .query_map([table], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()
            .map_err(Error::from)
    }

    /// Whether `table` keeps the order of insertion in a column named
    /// `rowid` (on PostgreSQL; SQLite keeps it itself, not as a column).
    pub fn has_rowid_column(&self, table: &str) -> Result<bool> {
        match self.engine {
            Engine::Sqlite(_) => Ok(false),
            Engine::Postgres(_) => self.query_row(
                "SELECT count(*) > 0 FROM information_schema.columns
                 WHERE table_schema = current_schema() AND table_name = ?1 AND column_name = 'rowid'",
                [table],
                |r| r.get(0),
            ),
        }
    }

    /// The SQL of a JSON object, as text, of `pairs` (`'name', value, …`).
    pub fn json_object(&self, pairs: &str) -> String {
        match self.engine {
            Engine::Sqlite(_) => format!("json_object({pairs})"),
            Engine::Postgres(_) => format!("json_build_object({pairs})::text"),
        }
    }

    /// The tables of the database, by name in byte order: not the engine's
    /// own, nor PostgreSQL's schema mark.
    pub fn tables(&self) -> Result<Vec<String>> {
        let sql = match self.engine {
            Engine::Sqlite(_) => {
                "SELECT name FROM main.sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name"
            }
            Engine::Postgres(_) => {
                "SELECT table_name::text FROM information_schema.tables
                 WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> 'tillit_schema'
                 ORDER BY table_name COLLATE \"C\""
            }
        };
        self.prepare(sql)?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()
            .map_err(Error::from)
    }

    /// The columns of `table`, in their order. PostgreSQL's `rowid` (the
    /// order of insertion SQLite keeps by itself) is not a column here.
    pub fn columns(&self, table: &str) -> Result<Vec<TableColumn>> {
        let sql = match self.engine {
            Engine::Sqlite(_) => {
                "SELECT name, pk, type = 'REAL' FROM pragma_table_info(?1) ORDER BY cid"
            }
            // From the catalogue itself: information_schema's views take
            // milliseconds a table, which every start would pay.
            Engine::Postgres(_) => {
                "SELECT a.attname::text,
                        coalesce((SELECT k.n FROM pg_index i, unnest(i.indkey) WITH ORDINALITY AS k(attnum, n)
                                  WHERE i.indrelid = a.attrelid AND i.indisprimary AND k.attnum = a.attnum), 0),
                        a.atttypid = 'double precision'::regtype
                 FROM pg_attribute a
                 WHERE a.attrelid = to_regclass(quote_ident(current_schema()) || '.' || quote_ident(CAST(?1 AS TEXT)))
                   AND a.attnum > 0 AND NOT a.attisdropped AND a.attname <> 'rowid'
                 ORDER BY a.attnum"
            }
        };
        self.prepare(sql)?
            .query_map([table], |r| {
                Ok(TableColumn {
                    name: r.get(0)?,
                    key: r.get(1)?,
                    real: r.get(2)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()
            .map_err(Error::from)
    }

    /// Whether no transaction is open.
    pub fn is_autocommit(&self) -> bool {
        match self.engine {
            Engine::Sqlite(conn) => conn.is_autocommit(),
            Engine::Postgres(session) => session.is_autocommit(),
        }
    }

    /// Runs `f`, a long read, in one read transaction: every query sees
    /// the same content (inside a transaction already, `f` runs in it). On
    /// SQLite the file is mapped into memory meanwhile, so its pages are
    /// read in place instead of copied one by one, and unmapped afterwards.
    pub fn long_read<T>(&self, f: impl FnOnce() -> Result<T>) -> Result<T> {
        if !self.is_autocommit() {
            return f();
        }
        let map = |size: i64| match self.engine {
            // A database in memory answers with no row.
            Engine::Sqlite(conn) => rusqlite::OptionalExtension::optional(conn.query_row(
                &format!("PRAGMA mmap_size = {size}"),
                [],
                |_| Ok(()),
            ))
            .map(drop)
            .map_err(Error::from),
            Engine::Postgres(_) => Ok(()),
        };
        map(READ_MAP)?;
        let result = self.execute_batch("BEGIN").and_then(|()| {
            let result = f();
            let ended = self.execute_batch(if result.is_ok() { "COMMIT" } else { "ROLLBACK" });
            let value = result?;
            ended.map(|()| value)
        });
        let unmapped = map(0);
        let value = result?;
        unmapped.map(|()| value)
    }

    /// Runs one statement; returns the number of rows it changed.
    pub fn execute<P: Params>(&self, sql: &str, params: P) -> Result<usize> {
        match self.engine {
            Engine::Sqlite(conn) => Ok(params.with(|p| conn.execute(sql, p))?),
            Engine::Postgres(session) => {
                let statement = session.statement(sql)?;
                params.with(|p| session.execute(&statement, p))
            }
        }
    }

    /// Runs statements separated by semicolons, without parameters.
    pub fn execute_batch(&self, sql: &str) -> Result<()> {
        match self.engine {
            Engine::Sqlite(conn) => Ok(conn.execute_batch(sql)?),
            Engine::Postgres(session) => session.batch(sql),
        }
    }

    /// The first row of a query, read by `f`; an error when there is none
    /// (see [`OptionalExtension::optional`]).
    pub fn query_row<T, P, F>(&self, sql: &str, params: P, f: F) -> Result<T>
    where
        P: Params,
        F: FnOnce(&Row<'_>) -> rusqlite::Result<T>,
    {
        match self.engine {
            // Cached: a statement read once is usually read again.
            Engine::Sqlite(conn) => Ok(params.with(|p| {
                conn.prepare_cached(sql)?
                    .query_row(p, |row| f(&Row::sqlite(row)))
            })?),
            Engine::Postgres(session) => {
                let statement = session.statement(sql)?;
                first_row(params.with(|p| session.query(&statement, p))?, f)
            }
        }
    }

    /// A statement, prepared for this use.
    pub fn prepare(&self, sql: &str) -> Result<Statement<'c>> {
        match self.engine {
            Engine::Sqlite(conn) => Ok(Statement {
                inner: StatementInner::Sqlite(conn.prepare(sql)?),
            }),
            Engine::Postgres(session) => Ok(Statement {
                inner: StatementInner::Postgres(session, session.statement(sql)?),
            }),
        }
    }

    /// A statement, prepared once per connection and kept.
    pub fn prepare_cached(&self, sql: &str) -> Result<Statement<'c>> {
        match self.engine {
            Engine::Sqlite(conn) => Ok(Statement {
                inner: StatementInner::SqliteCached(conn.prepare_cached(sql)?),
            }),
            Engine::Postgres(session) => Ok(Statement {
                inner: StatementInner::Postgres(session, session.statement(sql)?),
            }),
        }
    }
}

/// How much of the file a long read maps into memory instead of copying it
/// page by page (SQLite's own upper limit).
pub(crate) const READ_MAP: i64 = 0x7fff_0000;

/// A column of a table, as [`Connection::columns`] reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableColumn {
    pub name: String,
    /// Its position in the primary key, from 1; 0 when it is not part of it.
    pub key: i64,
    /// Whether it holds reals (SQLite's `REAL`, PostgreSQL's `double precision`).
    pub real: bool,
}

/// A prepared statement.
pub struct Statement<'c> {
    inner: StatementInner<'c>,
}

enum StatementInner<'c> {
    Sqlite(rusqlite::Statement<'c>),
    SqliteCached(rusqlite::CachedStatement<'c>),
    Postgres(&'c PgSession, ::postgres::Statement),
}

impl std::fmt::Debug for Statement<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Statement")
    }
}

/// The first row of `rows`, read by `f`, or the error of a query that
/// found none (the same as SQLite's, for [`OptionalExtension`]).
fn first_row<T>(
    rows: Vec<::postgres::Row>,
    f: impl FnOnce(&Row<'_>) -> rusqlite::Result<T>,
) -> Result<T> {
    let row = rows
        .first()
        .ok_or(Error::Sqlite(rusqlite::Error::QueryReturnedNoRows))?;
    Ok(f(&Row::postgres(row))?)
}

/// A statement as its engine runs it.
enum Prepared<'s, 'c> {
    Sqlite(&'s mut rusqlite::Statement<'c>),
    Postgres(&'c PgSession, &'s ::postgres::Statement),
}

impl<'c> Statement<'c> {
    fn prepared(&mut self) -> Prepared<'_, 'c> {
        match &mut self.inner {
            StatementInner::Sqlite(statement) => Prepared::Sqlite(statement),
            StatementInner::SqliteCached(statement) => Prepared::Sqlite(statement),
            StatementInner::Postgres(session, statement) => Prepared::Postgres(session, statement),
        }
    }

    /// Runs the statement; returns the number of rows it changed.
    pub fn execute<P: Params>(&mut self, params: P) -> Result<usize> {
        match self.prepared() {
            Prepared::Sqlite(statement) => Ok(params.with(|p| statement.execute(p))?),
            Prepared::Postgres(session, statement) => {
                params.with(|p| session.execute(statement, p))
            }
        }
    }

    /// Every row, each read by `f` as the iterator reaches it.
    pub fn query_map<T, P, F>(&mut self, params: P, f: F) -> Result<MappedRows<'_, F>>
    where
        P: Params,
        F: FnMut(&Row<'_>) -> rusqlite::Result<T>,
    {
        Ok(MappedRows {
            rows: self.query(params)?,
            f,
        })
    }

    /// Every row, to step through with [`Rows::next`].
    pub fn query<P: Params>(&mut self, params: P) -> Result<Rows<'_>> {
        let inner = match self.prepared() {
            Prepared::Sqlite(statement) => RowsInner::Sqlite(
                params.with(|p| statement.query(p))?,
                std::cell::OnceCell::new(),
            ),
            Prepared::Postgres(session, statement) => RowsInner::Postgres(
                params.with(|p| session.query(statement, p))?.into_iter(),
                None,
            ),
        };
        Ok(Rows { inner })
    }

    /// The first row, read by `f`; an error when there is none.
    pub fn query_row<T, P, F>(&mut self, params: P, f: F) -> Result<T>
    where
        P: Params,
        F: FnOnce(&Row<'_>) -> rusqlite::Result<T>,
    {
        match self.prepared() {
            Prepared::Sqlite(statement) => {
                Ok(params.with(|p| statement.query_row(p, |row| f(&Row::sqlite(row))))?)
            }
            Prepared::Postgres(session, statement) => {
                first_row(params.with(|p| session.query(statement, p))?, f)
            }
        }
    }

    /// Whether the query finds a row.
    pub fn exists<P: Params>(&mut self, params: P) -> Result<bool> {
        Ok(self.query(params)?.next()?.is_some())
    }

    /// The number of columns of the result.
    pub fn column_count(&mut self) -> usize {
        match self.prepared() {
            Prepared::Sqlite(statement) => statement.column_count(),
            Prepared::Postgres(_, statement) => statement.columns().len(),
        }
    }
}

/// The rows of a query, each read by a function as the iterator reaches it.
pub struct MappedRows<'s, F> {
    rows: Rows<'s>,
    f: F,
}

impl<T, F> Iterator for MappedRows<'_, F>
where
    F: FnMut(&Row<'_>) -> rusqlite::Result<T>,
{
    type Item = rusqlite::Result<T>;

    fn next(&mut self) -> Option<Self::Item> {
        match self.rows.next() {
            Ok(Some(row)) => Some((self.f)(&row)),
            Ok(None) => None,
            Err(error) => Some(Err(error)),
        }
    }
}

impl<F> std::fmt::Debug for MappedRows<'_, F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MappedRows")
    }
}

/// The rows of a query, stepped through one at a time.
pub struct Rows<'s> {
    inner: RowsInner<'s>,
}

enum RowsInner<'s> {
    /// With the names of the columns, read on the first lookup by name.
    Sqlite(rusqlite::Rows<'s>, std::cell::OnceCell<ColumnNames>),
    /// Fetched whole; the row last stepped to.
    Postgres(std::vec::IntoIter<::postgres::Row>, Option<::postgres::Row>),
}

impl std::fmt::Debug for Rows<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Rows")
    }
}

impl Rows<'_> {
    /// The next row, if any.
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> rusqlite::Result<Option<Row<'_>>> {
        match &mut self.inner {
            RowsInner::Sqlite(rows, names) => Ok(rows.next()?.map(|row| Row {
                inner: RowInner::Sqlite(row, Some(names)),
            })),
            RowsInner::Postgres(rest, current) => {
                *current = rest.next();
                Ok(current.as_ref().map(Row::postgres))
            }
        }
    }
}

/// One row of a result.
#[derive(Clone, Copy)]
pub struct Row<'r> {
    inner: RowInner<'r>,
}

#[derive(Clone, Copy)]
enum RowInner<'r> {
    /// With the names of the columns when the row is one of many: a
    /// lookup by name is then a search of names read once per query, not
    /// of SQLite's names read again for each lookup.
    Sqlite(
        &'r rusqlite::Row<'r>,
        Option<&'r std::cell::OnceCell<ColumnNames>>,
    ),
    Postgres(&'r ::postgres::Row),
}

impl<'r> Row<'r> {
    fn sqlite(row: &'r rusqlite::Row<'r>) -> Row<'r> {
        Row {
            inner: RowInner::Sqlite(row, None),
        }
    }

    fn postgres(row: &'r ::postgres::Row) -> Row<'r> {
        Row {
            inner: RowInner::Postgres(row),
        }
    }

    /// The value of a column (by position from 0, or by name).
    pub fn get<I: ColumnIndex, T: FromSql>(&self, index: I) -> rusqlite::Result<T> {
        match self.inner {
            RowInner::Sqlite(row, names) => match index.column() {
                Column::At(at) => row.get(at),
                Column::Named(name) => match names {
                    Some(names) => row.get(position(row, names, name)?),
                    None => row.get(name),
                },
            },
            RowInner::Postgres(row) => {
                let at = match index.column() {
                    Column::At(at) => at,
                    Column::Named(name) => postgres::position(row, name)?,
                };
                let value = postgres::value(row, at)?;
                T::column_result(value).map_err(|error| match error {
                    rusqlite::types::FromSqlError::InvalidType => {
                        rusqlite::Error::InvalidColumnType(
                            at,
                            row.columns()[at].name().to_owned(),
                            value.data_type(),
                        )
                    }
                    other => rusqlite::Error::FromSqlConversionFailure(
                        at,
                        value.data_type(),
                        Box::new(other),
                    ),
                })
            }
        }
    }

    /// The number of columns.
    pub fn column_count(&self) -> usize {
        match self.inner {
            RowInner::Sqlite(row, _) => row.as_ref().column_count(),
            RowInner::Postgres(row) => row.len(),
        }
    }

    /// The value of a column as stored, without converting it.
    pub fn get_ref<I: ColumnIndex>(&self, index: I) -> rusqlite::Result<ValueRef<'r>> {
        match self.inner {
            RowInner::Sqlite(row, names) => match index.column() {
                Column::At(at) => row.get_ref(at),
                Column::Named(name) => match names {
                    Some(names) => row.get_ref(position(row, names, name)?),
                    None => row.get_ref(name),
                },
            },
            RowInner::Postgres(row) => match index.column() {
                Column::At(at) => postgres::value(row, at),
                Column::Named(name) => postgres::value(row, postgres::position(row, name)?),
            },
        }
    }
}

/// The names of a query's columns, in order, and where the next lookup
/// by name starts: rows are read column after column in the same order,
/// so the next name looked up is most often the one after the last found.
#[derive(Debug)]
pub(super) struct ColumnNames {
    names: Box<[Box<str>]>,
    /// No two names alike (ASCII case ignored): a name found is the first.
    distinct: bool,
    next: std::cell::Cell<usize>,
}

/// The position of the column `name` in `row`, as rusqlite finds it (the
/// first whose name is `name` ignoring ASCII case), the names read from
/// SQLite on the first lookup of the query.
fn position(
    row: &rusqlite::Row<'_>,
    names: &std::cell::OnceCell<ColumnNames>,
    name: &str,
) -> rusqlite::Result<usize> {
    let columns = names.get_or_init(|| {
        let statement = row.as_ref();
        let names: Box<[Box<str>]> = (0..statement.column_count())
            .map(|at| statement.column_name(at).unwrap_or_default().into())
            .collect();
        let distinct = names.iter().enumerate().all(|(at, name)| {
            !names[..at]
                .iter()
                .any(|before| before.eq_ignore_ascii_case(name))
        });
        ColumnNames {
            names,
            distinct,
            next: std::cell::Cell::new(0),
        }
    });
    let named = |column: &str| column.eq_ignore_ascii_case(name);
    let guess = columns.next.get();
    let at = match columns.names.get(guess) {
        Some(column) if columns.distinct && named(column) => guess,
        _ => columns
            .names
            .iter()
            .position(|column| named(column))
            .ok_or_else(|| rusqlite::Error::InvalidColumnName(name.to_owned()))?,
    };
    columns.next.set(at + 1);
    Ok(at)
}

impl std::fmt::Debug for Row<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Row")
    }
}

/// A column of a row: its position or its name.
#[derive(Debug, Clone, Copy)]
pub enum Column<'n> {
    At(usize),
    Named(&'n str),
}

/// What names a column of a row.
pub trait ColumnIndex {
    fn column(&self) -> Column<'_>;
}

impl ColumnIndex for usize {
    fn column(&self) -> Column<'_> {
        Column::At(*self)
    }
}

impl ColumnIndex for &str {
    fn column(&self) -> Column<'_> {
        Column::Named(self)
    }
}

/// The parameters of a statement: `[]`, an array of values, a slice of
/// `&dyn ToSql` (what `rusqlite::params!` makes) or [`params_from_iter`].
pub trait Params {
    /// Calls `f` with the parameters as a slice.
    fn with<R>(self, f: impl FnOnce(&[&dyn ToSql]) -> R) -> R;
}

impl Params for [&(dyn ToSql + Send + Sync); 0] {
    fn with<R>(self, f: impl FnOnce(&[&dyn ToSql]) -> R) -> R {
        f(&[])
    }
}

impl Params for &[&dyn ToSql] {
    fn with<R>(self, f: impl FnOnce(&[&dyn ToSql]) -> R) -> R {
        f(self)
    }
}

macro_rules! array_params {
    ($($n:literal)*) => {$(
        impl<T: ToSql> Params for [T; $n] {
            fn with<R>(self, f: impl FnOnce(&[&dyn ToSql]) -> R) -> R {
                f(&self.each_ref().map(|value| value as &dyn ToSql))
            }
        }
        impl<T: ToSql + ?Sized> Params for &[&T; $n] {
            fn with<R>(self, f: impl FnOnce(&[&dyn ToSql]) -> R) -> R {
                f(&self.each_ref().map(|value| value as &dyn ToSql))
            }
        }
    )*};
}
array_params!(1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16);

/// Parameters taken from an iterator, in order.
#[derive(Debug, Clone)]
pub struct ParamsFromIter<I>(I);

/// Whose rows a read takes: one owner's (a supplier's, by its id), a
/// list of owners' (a part of the register read at once), or everyone's
/// (a whole-register read: one query per table instead of one per
/// supplier).
#[derive(Debug, Clone)]
pub enum Scope {
    One(String),
    Among(Vec<String>),
    All,
}

impl Scope {
    /// `WHERE column = ?1` for one owner, `WHERE column IN (?1, …, ?n)`
    /// for a list (no row for an empty one), nothing for all.
    pub fn filter(&self, column: &str) -> String {
        match self {
            Scope::One(_) => format!("WHERE {column} = ?1"),
            Scope::Among(ids) if ids.is_empty() => format!("WHERE {column} IN (NULL)"),
            Scope::Among(ids) => {
                let mut filter = format!("WHERE {column} IN (");
                for n in 1..=listed(ids.len()) {
                    if n > 1 {
                        filter.push_str(", ");
                    }
                    filter.push('?');
                    filter.push_str(&n.to_string());
                }
                filter.push(')');
                filter
            }
            Scope::All => String::new(),
        }
    }

    /// The scope of the rows that belong to the rows of this scope, read
    /// first, whose ids are `ids`: everyone's for everyone's, those owners'
    /// otherwise. A read of them then filters by their owner's id instead
    /// of joining the owner again to filter by its owner.
    pub fn within(&self, ids: impl IntoIterator<Item = String>) -> Scope {
        match self {
            Scope::All => Scope::All,
            Scope::One(_) | Scope::Among(_) => Scope::Among(ids.into_iter().collect()),
        }
    }

    /// The parameters of [`Scope::filter`].
    pub fn params(&self) -> Vec<&str> {
        match self {
            Scope::One(id) => vec![id.as_str()],
            Scope::Among(ids) => {
                let mut params: Vec<&str> = ids.iter().map(String::as_str).collect();
                if let Some(last) = params.last().copied() {
                    params.resize(listed(ids.len()), last);
                }
                params
            }
            Scope::All => Vec::new(),
        }
    }
}

/// How many parameters the list of `ids` ids of a [`Scope::Among`] takes:
/// the next power of two, the last id repeated (which changes nothing an
/// `IN` finds), so that lists of different lengths share a few prepared
/// statements instead of each preparing its own; as many as there are
/// past half the parameters a statement may have.
fn listed(ids: usize) -> usize {
    const MOST: usize = 32_766;
    match ids.checked_next_power_of_two() {
        Some(padded) if padded <= MOST => padded,
        _ => ids,
    }
}

/// The values of `iter` as a statement's parameters.
pub fn params_from_iter<I>(iter: I) -> ParamsFromIter<I>
where
    I: IntoIterator,
    I::Item: ToSql,
{
    ParamsFromIter(iter)
}

impl<I> Params for ParamsFromIter<I>
where
    I: IntoIterator,
    I::Item: ToSql,
{
    fn with<R>(self, f: impl FnOnce(&[&dyn ToSql]) -> R) -> R {
        let values: Vec<I::Item> = self.0.into_iter().collect();
        let refs: Vec<&dyn ToSql> = values.iter().map(|v| v as &dyn ToSql).collect();
        f(&refs)
    }
}

/// A query's single row that may be missing.
pub trait OptionalExtension<T> {
    /// `None` instead of the error of a query that found no row.
    fn optional(self) -> Result<Option<T>>;
}

impl<T> OptionalExtension<T> for Result<T> {
    fn optional(self) -> Result<Option<T>> {
        match self {
            Ok(value) => Ok(Some(value)),
            Err(Error::Sqlite(rusqlite::Error::QueryReturnedNoRows)) => Ok(None),
            Err(error) => Err(error),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Connection;

    /// A column read by name is the one rusqlite would find: ASCII case
    /// ignored, the first of two with one name, an unknown name refused
    /// with its name; in every row of a query and in a single row alike.
    #[test]
    fn a_column_by_name_is_the_one_sqlite_names_in_every_row() {
        let raw = rusqlite::Connection::open_in_memory().unwrap();
        let conn = Connection::over_sqlite(&raw);
        let sql = "SELECT value AS Number, 'first' AS twice, 'second' AS TWICE, value * 10 AS tens
                   FROM (SELECT 1 AS value UNION ALL SELECT 2 UNION ALL SELECT 3) ORDER BY value";
        let mut statement = conn.prepare(sql).unwrap();
        let rows: Vec<(i64, i64, String, i64, bool)> = statement
            .query_map([], |row| {
                let unknown = row.get::<_, i64>("nothing");
                Ok((
                    row.get("number")?,
                    row.get("NUMBER")?,
                    row.get("twice")?,
                    row.get_ref("Tens")?.as_i64().unwrap(),
                    matches!(unknown, Err(rusqlite::Error::InvalidColumnName(name)) if name == "nothing"),
                ))
            })
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(
            rows,
            (1..=3)
                .map(|n| (n, n, "first".to_owned(), n * 10, true))
                .collect::<Vec<_>>()
        );
        let single: (i64, String) = conn
            .query_row(sql, [], |row| Ok((row.get("NUMBER")?, row.get("Twice")?)))
            .unwrap();
        assert_eq!(single, (1, "first".to_owned()));
    }

    /// A read of a list of owners finds the rows of exactly those owners,
    /// once each, whatever the list's length (padded or not) and for an
    /// empty list none.
    #[test]
    fn a_list_of_owners_finds_their_rows_once_each() {
        use super::{params_from_iter, Scope};
        let raw = rusqlite::Connection::open_in_memory().unwrap();
        raw.execute_batch(
            "CREATE TABLE t (owner TEXT, n INTEGER);
             WITH RECURSIVE k(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM k WHERE n < 40)
             INSERT INTO t SELECT 'o' || (n % 20), n FROM k;",
        )
        .unwrap();
        let conn = Connection::over_sqlite(&raw);
        for wanted in [0usize, 1, 2, 3, 5, 8, 13, 19] {
            let owners: Vec<String> = (0..wanted).map(|i| format!("o{i}")).collect();
            let scope = Scope::Among(owners.clone());
            let found: Vec<(String, i64)> = conn
                .prepare(&format!(
                    "SELECT owner, n FROM t {} ORDER BY n",
                    scope.filter("owner")
                ))
                .unwrap()
                .query_map(params_from_iter(scope.params()), |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })
                .unwrap()
                .collect::<rusqlite::Result<_>>()
                .unwrap();
            let expected: Vec<(String, i64)> = (1..=40)
                .map(|n| (format!("o{}", n % 20), n))
                .filter(|(owner, _)| owners.contains(owner))
                .collect();
            assert_eq!(found, expected, "{wanted} owners");
        }
        assert_eq!(
            Scope::All.within(["x".to_owned()]).params(),
            Vec::<&str>::new()
        );
        assert_eq!(
            Scope::One("s".into())
                .within(["a".to_owned(), "b".to_owned()])
                .filter("c"),
            "WHERE c IN (?1, ?2)"
        );
    }

    fn mapped(conn: &rusqlite::Connection) -> i64 {
        conn.query_row("PRAGMA mmap_size", [], |r| r.get(0))
            .unwrap()
    }

    /// A long read sees one snapshot: a write committed by another
    /// connection in the middle is not in it, and is seen after it. The
    /// file is mapped only during the read, also when the read fails, and
    /// a long read inside a transaction runs in that transaction.
    #[test]
    fn a_long_read_sees_one_snapshot_and_leaves_the_file_unmapped() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("read.db");
        let raw = rusqlite::Connection::open(&path).unwrap();
        raw.execute_batch(
            "PRAGMA journal_mode = WAL; CREATE TABLE t (n INTEGER); INSERT INTO t VALUES (1);",
        )
        .unwrap();
        let writer = rusqlite::Connection::open(&path).unwrap();
        let conn = Connection::over_sqlite(&raw);
        let count =
            || -> super::Result<i64> { conn.query_row("SELECT count(*) FROM t", [], |r| r.get(0)) };
        let seen = conn
            .long_read(|| {
                let before = count()?;
                assert!(mapped(&raw) > 0, "mapped during the read");
                writer.execute("INSERT INTO t VALUES (2)", []).unwrap();
                Ok((before, count()?))
            })
            .unwrap();
        assert_eq!(
            seen,
            (1, 1),
            "the other connection's write is not in the snapshot"
        );
        assert_eq!(count().unwrap(), 2, "and is seen after it");
        assert_eq!(mapped(&raw), 0, "unmapped after the read");
        assert!(raw.is_autocommit());

        let failed = conn.long_read(|| -> super::Result<()> {
            count()?;
            Err(super::Error::Internal("stopped".into()))
        });
        assert!(failed.is_err());
        assert_eq!(mapped(&raw), 0, "unmapped after a failed read");
        assert!(raw.is_autocommit(), "the failed read's transaction ended");

        raw.execute_batch("BEGIN").unwrap();
        raw.execute("INSERT INTO t VALUES (3)", []).unwrap();
        assert_eq!(
            conn.long_read(count).unwrap(),
            3,
            "inside the caller's transaction"
        );
        assert!(!raw.is_autocommit(), "which stays open");
        raw.execute_batch("ROLLBACK").unwrap();

        let memory = rusqlite::Connection::open_in_memory().unwrap();
        let in_memory = Connection::over_sqlite(&memory);
        let one =
            in_memory.long_read(|| in_memory.query_row("SELECT 1", [], |r| r.get::<_, i64>(0)));
        assert_eq!(one.unwrap(), 1, "a database in memory is read the same way");
    }
}
