//! Who writes: the user a write runs as, read as stored now, and the check
//! of their permission that opens every write (`Db::write`). The users'
//! other SQL is with them in `approval`.

use crate::access::{Permission, User, UserId};
use crate::error::Refusal;
use crate::error::{Error, Result};
use crate::store::from_json;
use crate::store::sql::{Connection, OptionalExtension};
use uuid::Uuid;

pub(crate) const COLUMNS: &str = "id, username, display_name, roles, active, created_at";

pub(crate) fn from_row(
    r: &crate::store::sql::Row<'_>,
) -> rusqlite::Result<(String, String, String, String, bool, String)> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
    ))
}

pub(crate) fn to_user(row: (String, String, String, String, bool, String)) -> Result<User> {
    let (id, username, display_name, roles, active, created_at) = row;
    Ok(User {
        id: UserId(Uuid::parse_str(&id).map_err(|e| Error::Internal(e.to_string()))?),
        username,
        display_name,
        roles: from_json(&roles)?,
        active,
        created_at,
    })
}

/// A user by id.
pub fn user(conn: &Connection, id: UserId) -> Result<User> {
    let row = conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM app_user WHERE id = ?1"))?
        .query_row([id.to_string()], from_row)
        .optional()?
        .ok_or_else(|| Error::NotFound {
            entity: "user",
            id: id.to_string(),
        })?;
    to_user(row)
}

/// Checks, against the user as stored now (roles may have changed since they
/// signed in), that `user` may do `need`.
pub fn authorise(conn: &Connection, who: &User, need: Permission) -> Result<User> {
    let current = user(conn, who.id)?;
    if !current.active {
        return Err(Refusal::new("refusal.user_deactivated")
            .with("user", &current.username)
            .into());
    }
    if !need.roles().iter().any(|r| current.has(*r)) {
        return Err(Error::Forbidden {
            user: current.username,
            action: need.describe(),
            roles: need
                .roles()
                .iter()
                .map(|r| r.as_str())
                .collect::<Vec<_>>()
                .join(" or "),
        });
    }
    Ok(current)
}
