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
}

impl std::fmt::Debug for Connection<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.engine {
            Engine::Sqlite(_) => f.write_str("Connection(SQLite)"),
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

    /// The SQLite connection underneath, for what only SQLite does.
    pub fn sqlite(&self) -> Option<&'c rusqlite::Connection> {
        match self.engine {
            Engine::Sqlite(conn) => Some(conn),
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
        }
    }

    /// Whether no transaction is open.
    pub fn is_autocommit(&self) -> bool {
        match self.engine {
            Engine::Sqlite(conn) => conn.is_autocommit(),
        }
    }

    /// Runs one statement; returns the number of rows it changed.
    pub fn execute<P: Params>(&self, sql: &str, params: P) -> Result<usize> {
        match self.engine {
            Engine::Sqlite(conn) => Ok(params.with(|p| conn.execute(sql, p))?),
        }
    }

    /// Runs statements separated by semicolons, without parameters.
    pub fn execute_batch(&self, sql: &str) -> Result<()> {
        match self.engine {
            Engine::Sqlite(conn) => Ok(conn.execute_batch(sql)?),
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
            Engine::Sqlite(conn) => {
                Ok(params.with(|p| conn.query_row(sql, p, |row| f(&Row::sqlite(row))))?)
            }
        }
    }

    /// A statement, prepared for this use.
    pub fn prepare(&self, sql: &str) -> Result<Statement<'c>> {
        match self.engine {
            Engine::Sqlite(conn) => Ok(Statement {
                inner: StatementInner::Sqlite(conn.prepare(sql)?),
            }),
        }
    }

    /// A statement, prepared once per connection and kept.
    pub fn prepare_cached(&self, sql: &str) -> Result<Statement<'c>> {
        match self.engine {
            Engine::Sqlite(conn) => Ok(Statement {
                inner: StatementInner::SqliteCached(conn.prepare_cached(sql)?),
            }),
        }
    }
}

/// A prepared statement.
pub struct Statement<'c> {
    inner: StatementInner<'c>,
}

enum StatementInner<'c> {
    Sqlite(rusqlite::Statement<'c>),
    SqliteCached(rusqlite::CachedStatement<'c>),
}

impl std::fmt::Debug for Statement<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Statement")
    }
}

impl<'c> Statement<'c> {
    fn sqlite(&mut self) -> &mut rusqlite::Statement<'c> {
        match &mut self.inner {
            StatementInner::Sqlite(statement) => statement,
            StatementInner::SqliteCached(statement) => statement,
        }
    }

    /// Runs the statement; returns the number of rows it changed.
    pub fn execute<P: Params>(&mut self, params: P) -> Result<usize> {
        let statement = self.sqlite();
        Ok(params.with(|p| statement.execute(p))?)
    }

    /// Every row, each read by `f` as the iterator reaches it.
    pub fn query_map<T, P, F>(&mut self, params: P, f: F) -> Result<MappedRows<'_, F>>
    where
        P: Params,
        F: FnMut(&Row<'_>) -> rusqlite::Result<T>,
    {
        let statement = self.sqlite();
        let rows = params.with(|p| statement.query(p))?;
        Ok(MappedRows { rows, f })
    }

    /// Every row, to step through with [`Rows::next`].
    pub fn query<P: Params>(&mut self, params: P) -> Result<Rows<'_>> {
        let statement = self.sqlite();
        let rows = params.with(|p| statement.query(p))?;
        Ok(Rows { rows })
    }

    /// The first row, read by `f`; an error when there is none.
    pub fn query_row<T, P, F>(&mut self, params: P, f: F) -> Result<T>
    where
        P: Params,
        F: FnOnce(&Row<'_>) -> rusqlite::Result<T>,
    {
        let statement = self.sqlite();
        Ok(params.with(|p| statement.query_row(p, |row| f(&Row::sqlite(row))))?)
    }

    /// Whether the query finds a row.
    pub fn exists<P: Params>(&mut self, params: P) -> Result<bool> {
        let statement = self.sqlite();
        Ok(params.with(|p| statement.exists(p))?)
    }

    /// The number of columns of the result.
    pub fn column_count(&mut self) -> usize {
        self.sqlite().column_count()
    }
}

/// The rows of a query, each read by a function as the iterator reaches it.
pub struct MappedRows<'s, F> {
    rows: rusqlite::Rows<'s>,
    f: F,
}

impl<T, F> Iterator for MappedRows<'_, F>
where
    F: FnMut(&Row<'_>) -> rusqlite::Result<T>,
{
    type Item = rusqlite::Result<T>;

    fn next(&mut self) -> Option<Self::Item> {
        match self.rows.next() {
            Ok(Some(row)) => Some((self.f)(&Row::sqlite(row))),
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
    rows: rusqlite::Rows<'s>,
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
        Ok(self.rows.next()?.map(Row::sqlite))
    }
}

/// One row of a result.
#[derive(Clone, Copy)]
pub struct Row<'r> {
    inner: RowInner<'r>,
}

#[derive(Clone, Copy)]
enum RowInner<'r> {
    Sqlite(&'r rusqlite::Row<'r>),
}

impl<'r> Row<'r> {
    fn sqlite(row: &'r rusqlite::Row<'r>) -> Row<'r> {
        Row {
            inner: RowInner::Sqlite(row),
        }
    }

    /// The value of a column (by position from 0, or by name).
    pub fn get<I: ColumnIndex, T: FromSql>(&self, index: I) -> rusqlite::Result<T> {
        match self.inner {
            RowInner::Sqlite(row) => match index.column() {
                Column::At(at) => row.get(at),
                Column::Named(name) => row.get(name),
            },
        }
    }

    /// The number of columns.
    pub fn column_count(&self) -> usize {
        match self.inner {
            RowInner::Sqlite(row) => row.as_ref().column_count(),
        }
    }

    /// The value of a column as stored, without converting it.
    pub fn get_ref<I: ColumnIndex>(&self, index: I) -> rusqlite::Result<ValueRef<'r>> {
        match self.inner {
            RowInner::Sqlite(row) => match index.column() {
                Column::At(at) => row.get_ref(at),
                Column::Named(name) => row.get_ref(name),
            },
        }
    }
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
