//! The seam over PostgreSQL: the aggregates' SQL, written with SQLite's
//! `?N` parameters, runs on a PostgreSQL connection, and every value crosses
//! as one of SQLite's storage classes, as on SQLite.
//!
//! - A statement's `?N` become `$N` (outside quotes); the text is kept with
//!   its prepared statement, once per connection.
//! - A parameter is given as PostgreSQL asks for it: an integer as `int8`,
//!   `int4` or `int2`, `float8`, `bool` or text, as the statement's
//!   parameter types say.
//! - A result column reads as an integer (`int2`–`int8`, `bool` as 0 or 1, a
//!   whole `numeric`), a real (`float4`, `float8`, `numeric` with a
//!   fraction), text (`text`, `varchar`, `citext`, `json`, …) or a blob
//!   (`bytea`).

use crate::error::{Error, Result};
use postgres::types::{FromSql, IsNull, Kind, ToSql, Type};
use rusqlite::types::{ToSqlOutput, Value, ValueRef};
use std::cell::RefCell;
use std::collections::HashMap;

/// One PostgreSQL connection as the seam uses it: the client and the
/// statements prepared on it, by their SQL as the aggregates write it.
pub struct PgSession {
    client: RefCell<postgres::Client>,
    prepared: RefCell<HashMap<String, postgres::Statement>>,
    in_transaction: std::cell::Cell<bool>,
}

impl std::fmt::Debug for PgSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PgSession({} prepared)", self.prepared.borrow().len())
    }
}

impl PgSession {
    /// The seam's session on `client`.
    pub fn new(client: postgres::Client) -> PgSession {
        PgSession {
            client: RefCell::new(client),
            prepared: RefCell::new(HashMap::new()),
            in_transaction: std::cell::Cell::new(false),
        }
    }

    /// The statement for `sql` (in SQLite's parameter style), prepared once.
    pub(super) fn statement(&self, sql: &str) -> Result<postgres::Statement> {
        if let Some(statement) = self.prepared.borrow().get(sql) {
            return Ok(statement.clone());
        }
        let statement = self.client()?.prepare(&numbered(sql))?;
        self.prepared
            .borrow_mut()
            .insert(sql.to_owned(), statement.clone());
        Ok(statement)
    }

    fn client(&self) -> Result<std::cell::RefMut<'_, postgres::Client>> {
        self.client.try_borrow_mut().map_err(|_| {
            Error::Internal("a PostgreSQL statement ran inside another one's reading".into())
        })
    }

    /// Runs `statement` with `params`; the number of rows changed.
    pub(super) fn execute(
        &self,
        statement: &postgres::Statement,
        params: &[&dyn rusqlite::ToSql],
    ) -> Result<usize> {
        let params = bound(statement, params)?;
        let changed = self.client()?.execute(statement, &as_refs(&params))?;
        Ok(usize::try_from(changed).unwrap_or(usize::MAX))
    }

    /// Every row of `statement` with `params`.
    pub(super) fn query(
        &self,
        statement: &postgres::Statement,
        params: &[&dyn rusqlite::ToSql],
    ) -> Result<Vec<postgres::Row>> {
        let params = bound(statement, params)?;
        Ok(self.client()?.query(statement, &as_refs(&params))?)
    }

    /// Runs statements without parameters.
    pub(super) fn batch(&self, sql: &str) -> Result<()> {
        self.client()?.batch_execute(sql)?;
        let first = sql
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .trim_end_matches(';')
            .to_ascii_uppercase();
        if ["BEGIN", "START"].contains(&first.as_str()) {
            self.in_transaction.set(true);
        } else if ["COMMIT", "ROLLBACK", "END"].contains(&first.as_str()) {
            self.in_transaction.set(false);
        }
        Ok(())
    }

    /// Whether the connection to the server is closed (the server went
    /// away, or an error ended it).
    pub fn is_closed(&self) -> bool {
        self.client.try_borrow().map_or(true, |c| c.is_closed())
    }

    /// Whether no transaction is open (as far as this session began and
    /// ended them).
    pub fn is_autocommit(&self) -> bool {
        !self.in_transaction.get()
    }
}

/// `sql` with SQLite's `?N` and `?` parameters as PostgreSQL's `$N`;
/// nothing inside quotes or comments is touched.
pub fn numbered(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut chars = sql.chars().peekable();
    let mut next = 0u32;
    while let Some(c) = chars.next() {
        match c {
            '\'' | '"' => {
                out.push(c);
                for inner in chars.by_ref() {
                    out.push(inner);
                    if inner == c {
                        break;
                    }
                }
            }
            '-' if chars.peek() == Some(&'-') => {
                out.push(c);
                for inner in chars.by_ref() {
                    out.push(inner);
                    if inner == '\n' {
                        break;
                    }
                }
            }
            '?' => {
                let mut digits = String::new();
                while let Some(d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                    digits.push(*d);
                    chars.next();
                }
                if digits.is_empty() {
                    next += 1;
                    digits = next.to_string();
                } else if let Ok(n) = digits.parse::<u32>() {
                    next = next.max(n);
                }
                out.push('$');
                out.push_str(&digits);
            }
            _ => out.push(c),
        }
    }
    out
}

/// A parameter as PostgreSQL asked for it.
#[derive(Debug)]
struct Param {
    value: Value,
}

impl ToSql for Param {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut bytes::BytesMut,
    ) -> std::result::Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        let wrong = || -> Box<dyn std::error::Error + Sync + Send> {
            format!("{:?} cannot be given as {ty}", self.value).into()
        };
        match (&self.value, ty) {
            (Value::Null, _) => Ok(IsNull::Yes),
            (Value::Integer(n), &Type::INT8) => n.to_sql(ty, out),
            (Value::Integer(n), &Type::INT4) => {
                i32::try_from(*n).map_err(|_| wrong())?.to_sql(ty, out)
            }
            (Value::Integer(n), &Type::INT2) => {
                i16::try_from(*n).map_err(|_| wrong())?.to_sql(ty, out)
            }
            (Value::Integer(n), &Type::BOOL) => (*n != 0).to_sql(ty, out),
            (Value::Integer(n), &Type::FLOAT8) => (*n as f64).to_sql(ty, out),
            (Value::Integer(n), _) if is_text(ty) => n.to_string().as_str().to_sql(ty, out),
            (Value::Real(x), &Type::FLOAT8) => x.to_sql(ty, out),
            (Value::Real(x), &Type::FLOAT4) => (*x as f32).to_sql(ty, out),
            (Value::Real(x), _) if is_text(ty) => x.to_string().as_str().to_sql(ty, out),
            (Value::Text(text), _) if is_text(ty) => {
                out.extend_from_slice(text.as_bytes());
                Ok(IsNull::No)
            }
            (Value::Text(text), &Type::INT8) => {
                text.parse::<i64>().map_err(|_| wrong())?.to_sql(ty, out)
            }
            (Value::Text(text), &Type::FLOAT8) => {
                text.parse::<f64>().map_err(|_| wrong())?.to_sql(ty, out)
            }
            (Value::Blob(bytes), &Type::BYTEA) => bytes.as_slice().to_sql(ty, out),
            _ => Err(wrong()),
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    postgres::types::to_sql_checked!();
}

/// Whether PostgreSQL sends values of `ty` as their UTF-8 text.
fn is_text(ty: &Type) -> bool {
    matches!(
        *ty,
        Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME | Type::UNKNOWN | Type::JSON
    ) || ty.name() == "citext"
        || matches!(ty.kind(), Kind::Enum(_))
}

/// The parameters as PostgreSQL's statement asks for them.
fn bound(statement: &postgres::Statement, params: &[&dyn rusqlite::ToSql]) -> Result<Vec<Param>> {
    if statement.params().len() != params.len() {
        return Err(Error::Internal(format!(
            "a statement with {} parameters was given {}",
            statement.params().len(),
            params.len()
        )));
    }
    params
        .iter()
        .map(|param| {
            let value = match param.to_sql()? {
                ToSqlOutput::Borrowed(value) => owned(value)?,
                ToSqlOutput::Owned(value) => value,
                other => {
                    return Err(Error::Internal(format!(
                        "a parameter of a kind PostgreSQL is not given: {other:?}"
                    )))
                }
            };
            Ok(Param { value })
        })
        .collect()
}

/// A borrowed value as an owned one.
fn owned(value: ValueRef<'_>) -> Result<Value> {
    Ok(match value {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(n) => Value::Integer(n),
        ValueRef::Real(x) => Value::Real(x),
        ValueRef::Text(bytes) => Value::Text(
            std::str::from_utf8(bytes)
                .map_err(|e| Error::Internal(format!("a text parameter is not UTF-8: {e}")))?
                .to_owned(),
        ),
        ValueRef::Blob(bytes) => Value::Blob(bytes.to_vec()),
    })
}

fn as_refs(params: &[Param]) -> Vec<&(dyn ToSql + Sync)> {
    params.iter().map(|p| p as &(dyn ToSql + Sync)).collect()
}

/// A column of a row as one of SQLite's storage classes.
pub(super) fn value(row: &postgres::Row, index: usize) -> rusqlite::Result<ValueRef<'_>> {
    if index >= row.len() {
        return Err(rusqlite::Error::InvalidColumnIndex(index));
    }
    let cell: Option<Cell<'_>> = row.try_get(index).map_err(|error| {
        rusqlite::Error::FromSqlConversionFailure(
            index,
            rusqlite::types::Type::Null,
            Box::new(error),
        )
    })?;
    Ok(match cell {
        None => ValueRef::Null,
        Some(Cell::Integer(n)) => ValueRef::Integer(n),
        Some(Cell::Real(x)) => ValueRef::Real(x),
        Some(Cell::Text(bytes)) => ValueRef::Text(bytes),
        Some(Cell::Blob(bytes)) => ValueRef::Blob(bytes),
    })
}

/// The position of the column `name` in `row`.
pub(super) fn position(row: &postgres::Row, name: &str) -> rusqlite::Result<usize> {
    row.columns()
        .iter()
        .position(|c| c.name() == name)
        .ok_or_else(|| rusqlite::Error::InvalidColumnName(name.to_owned()))
}

/// A cell read from PostgreSQL's binary form.
enum Cell<'a> {
    Integer(i64),
    Real(f64),
    Text(&'a [u8]),
    Blob(&'a [u8]),
}

impl<'a> FromSql<'a> for Cell<'a> {
    fn from_sql(
        ty: &Type,
        raw: &'a [u8],
    ) -> std::result::Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        Ok(match *ty {
            Type::INT8 => Cell::Integer(i64::from_sql(ty, raw)?),
            Type::INT4 => Cell::Integer(i32::from_sql(ty, raw)?.into()),
            Type::INT2 => Cell::Integer(i16::from_sql(ty, raw)?.into()),
            Type::OID => Cell::Integer(u32::from_sql(ty, raw)?.into()),
            Type::BOOL => Cell::Integer(bool::from_sql(ty, raw)?.into()),
            Type::FLOAT8 => Cell::Real(f64::from_sql(ty, raw)?),
            Type::FLOAT4 => Cell::Real(f32::from_sql(ty, raw)?.into()),
            Type::NUMERIC => numeric(raw)?,
            Type::BYTEA => Cell::Blob(raw),
            // jsonb is sent as a version byte, then the text.
            Type::JSONB => Cell::Text(raw.get(1..).unwrap_or_default()),
            _ if is_text(ty) => Cell::Text(raw),
            _ => return Err(format!("a column of type {ty} has no SQLite counterpart").into()),
        })
    }

    fn accepts(_: &Type) -> bool {
        true
    }
}

/// A `numeric` (what `sum` of integers gives): an integer when it is whole
/// and fits, a real otherwise.
fn numeric(
    raw: &[u8],
) -> std::result::Result<Cell<'static>, Box<dyn std::error::Error + Sync + Send>> {
    let word = |i: usize| -> std::result::Result<i16, Box<dyn std::error::Error + Sync + Send>> {
        let bytes = raw.get(i * 2..i * 2 + 2).ok_or("a numeric is cut short")?;
        Ok(i16::from_be_bytes([bytes[0], bytes[1]]))
    };
    let digits = usize::try_from(word(0)?).map_err(|_| "a numeric has no digits")?;
    let weight = i32::from(word(1)?);
    let sign = word(2)? as u16;
    if sign == 0xC000 {
        return Ok(Cell::Real(f64::NAN));
    }
    let mut whole: i128 = 0;
    let mut real = 0f64;
    let mut fraction = false;
    for i in 0..digits {
        let digit = i128::from(word(4 + i)?);
        let exponent = weight - i32::try_from(i).unwrap_or(i32::MAX);
        real += digit as f64 * 10_000f64.powi(exponent);
        if exponent >= 0 {
            whole += digit * 10_000i128.pow(u32::try_from(exponent).unwrap_or(0));
        } else if digit != 0 {
            fraction = true;
        }
    }
    let negative = sign == 0x4000;
    if !fraction {
        if let Ok(n) = i64::try_from(if negative { -whole } else { whole }) {
            return Ok(Cell::Integer(n));
        }
    }
    Ok(Cell::Real(if negative { -real } else { real }))
}
