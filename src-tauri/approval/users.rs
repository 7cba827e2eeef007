//! Users, roles and signing in. Passwords are hashed with Argon2id (PHC
//! string with its own salt and parameters); neither a password nor a hash
//! ever reaches the audit trail or the UI.

pub use crate::access::{Permission, Role, User, UserId};
use crate::audit::Action;
use crate::error::{Error, FieldError, Refusal, Result, ValidationCode};
pub use crate::store::session::{authorise, user as get};
use crate::store::session::{from_row, to_user, COLUMNS};
use crate::store::sql::{Connection, OptionalExtension};
use crate::store::{signing, to_json, Db, Tx};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

/// The shortest password accepted.
pub const MIN_PASSWORD_LENGTH: usize = 10;

/// The longest password accepted (a longer one is a paste gone wrong, and
/// would only make hashing slower).
pub const MAX_PASSWORD_LENGTH: usize = 256;

/// Wrong passwords in a row after which a user is locked out …
pub const MAX_FAILED_SIGN_INS: usize = 5;

/// … for this many minutes after the last of them. A successful sign-in or
/// a password reset by an administrator starts the count again.
pub const LOCKOUT_MINUTES: i64 = 15;

/// Passwords long enough for the rule but among the most common ones, refused.
const COMMON_PASSWORDS: &[&str] = &[
    "1234567890",
    "12345678910",
    "123456789012",
    "0987654321",
    "qwertyuiop",
    "1q2w3e4r5t",
    "password12",
    "password123",
    "password1234",
    "passwordpassword",
    "lösenord123",
    "losenord123",
    "iloveyou12",
    "qwerty12345",
    "qwerty123456",
    "abcdefghij",
    "abc1234567",
    "administrator",
    "letmein1234",
    "welcome123",
    "välkommen1",
    "sommar2024",
    "sommar2025",
    "sommar2026",
    "vinter2025",
    "vinter2026",
];

/// A new user, as an administrator enters them.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub roles: Vec<Role>,
    pub password: String,
}

/// Without the password, so no debug output or log can show it.
impl std::fmt::Debug for NewUser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewUser")
            .field("username", &self.username)
            .field("display_name", &self.display_name)
            .field("roles", &self.roles)
            .field("password", &"(hidden)")
            .finish()
    }
}

/// A change to a user by an administrator.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct UserChange {
    pub display_name: String,
    pub roles: Vec<Role>,
    pub active: bool,
}

/// Whether anyone can sign in yet, and who is signed in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Session {
    /// `false` on first start: the administrator must be created.
    pub users_exist: bool,
    pub user: Option<User>,
    /// What the signed-in user may do, as the core decides it: the window
    /// shows an action only to those it would not refuse.
    pub permissions: Vec<Permission>,
    /// The language the window speaks to them: their own choice, else
    /// Tillit's (`None`: the operating system's); see `contract::session`.
    pub language: Option<crate::words::Language>,
}

fn hash_password(password: &str, salt: [u8; 16]) -> Result<String> {
    let salt = SaltString::encode_b64(&salt)
        .map_err(|e| Error::Internal(format!("cannot salt a password: {e}")))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| Error::Internal(format!("cannot hash a password: {e}")))
}

fn password_matches(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|hash| {
            Argon2::default()
                .verify_password(password.as_bytes(), &hash)
                .is_ok()
        })
        .unwrap_or(false)
}

/// The password policy: 10 to 256 characters, not the user name, not one
/// character repeated, not one of the most common passwords.
fn check_password(username: &str, password: &str, errors: &mut Vec<FieldError>) {
    let length = password.chars().count();
    let lower = password.trim().to_lowercase();
    if length < MIN_PASSWORD_LENGTH {
        errors.push(FieldError::new(
            "password",
            ValidationCode::TooShort,
            format!("a password needs at least {MIN_PASSWORD_LENGTH} characters"),
        ));
    } else if length > MAX_PASSWORD_LENGTH {
        errors.push(FieldError::new(
            "password",
            ValidationCode::TooLong,
            format!("a password has at most {MAX_PASSWORD_LENGTH} characters"),
        ));
    } else if lower.chars().all(|c| lower.starts_with(c))
        || COMMON_PASSWORDS.contains(&lower.as_str())
    {
        errors.push(FieldError::new(
            "password",
            ValidationCode::Format,
            "the password is too easy to guess: choose a less common one",
        ));
    } else if name_in(&lower, username) {
        errors.push(FieldError::new(
            "password",
            ValidationCode::Format,
            "the password must not contain the user name",
        ));
    }
}

/// Whether the (lower-case) password contains the user name of three or more characters.
fn name_in(password: &str, username: &str) -> bool {
    let name = username.trim().to_lowercase();
    name.chars().count() >= 3 && password.contains(&name)
}

/// Trims the name, orders the roles, and checks that both are given.
fn check_person(display_name: &mut String, roles: &mut Vec<Role>, errors: &mut Vec<FieldError>) {
    *display_name = display_name.trim().to_owned();
    roles.sort();
    roles.dedup();
    if display_name.is_empty() {
        errors.push(FieldError::new(
            "display_name",
            ValidationCode::Required,
            "the person's name is required",
        ));
    } else if let Err(error) = crate::text::plain_text("display_name", display_name, false) {
        errors.push(error);
    } else if display_name.chars().count() > 200 {
        errors.push(FieldError::new(
            "display_name",
            ValidationCode::TooLong,
            "the person's name is at most 200 characters",
        ));
    }
    if roles.is_empty() {
        errors.push(FieldError::new(
            "roles",
            ValidationCode::Required,
            "give the user at least one role",
        ));
    }
}

fn check_new(user: &mut NewUser) -> Result<()> {
    user.username = user.username.trim().to_owned();
    let mut errors = Vec::new();
    if user.username.is_empty() {
        errors.push(FieldError::new(
            "username",
            ValidationCode::Required,
            "a user name is required",
        ));
    } else if user
        .username
        .chars()
        .any(|c| c.is_whitespace() || crate::text::is_unsafe_char(c, false))
        || user.username.chars().count() > 64
    {
        errors.push(FieldError::new(
            "username",
            ValidationCode::Format,
            "a user name is one word of at most 64 characters",
        ));
    }
    check_person(&mut user.display_name, &mut user.roles, &mut errors);
    check_password(&user.username, &user.password, &mut errors);
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Error::Invalid(errors))
    }
}

/// Every user, by user name.
pub fn list(db: &Db) -> Result<Vec<User>> {
    db.read(|conn| {
        let rows: Vec<_> = conn
            .prepare(&format!("SELECT {COLUMNS} FROM app_user ORDER BY username"))?
            .query_map([], from_row)?
            .collect::<rusqlite::Result<_>>()?;
        rows.into_iter().map(to_user).collect()
    })
}

/// Whether anyone can sign in, and who is signed in.
pub fn session(db: &Db) -> Result<Session> {
    let users_exist =
        db.read(|conn| conn.query_row("SELECT count(*) > 0 FROM app_user", [], |r| r.get(0)))?;
    let user = db.signed_in();
    Ok(Session {
        users_exist,
        permissions: user.as_ref().map(User::permissions).unwrap_or_default(),
        // The contract fills it in (settings are stacked above people).
        language: None,
        user,
    })
}

/// A new signing key for a person, and it sealed with their password.
pub struct NewKey {
    key: signing::Key,
    sealed: String,
}

impl NewKey {
    /// Made from the database's secrets and sealed with `password`.
    pub fn make(db: &Db, password: &str) -> Result<NewKey> {
        let key = signing::Key::from_secret(db.new_secret());
        let sealed = key.seal(password, db.new_salt())?;
        Ok(NewKey { key, sealed })
    }

    /// Stores the key of `user`, vouched for by `certifier` (itself when
    /// `None`); returns the unsealed key.
    fn store(
        self,
        tx: &Tx<'_>,
        user: UserId,
        certifier: Option<&signing::Key>,
    ) -> Result<signing::Key> {
        signing::store_key(
            tx,
            &user.to_string(),
            &self.key.public_hex(),
            Some(&self.sealed),
            &tx.now_text(),
            certifier.unwrap_or(&self.key),
        )?;
        Ok(self.key)
    }
}

fn insert(tx: &Tx<'_>, user: &NewUser, id: UserId, salt: [u8; 16], key: NewKey) -> Result<User> {
    let taken: bool = tx.query_row(
        "SELECT count(*) > 0 FROM app_user WHERE username = ?1",
        [&user.username],
        |r| r.get(0),
    )?;
    if taken {
        return Err(Error::invalid(
            "username",
            ValidationCode::Duplicate,
            format!("the user name {} is taken", user.username),
        ));
    }
    let now = tx.now_text();
    tx.execute(
        "INSERT INTO app_user (id, username, display_name, roles, password_hash, active, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, 1, ?6, ?6)",
        rusqlite::params![
            id.to_string(),
            user.username,
            user.display_name,
            to_json(&user.roles)?,
            hash_password(&user.password, salt)?,
            now
        ],
    )?;
    // The administrator who makes the user vouches for their key and signs
    // their roles; the first administrator does both with their own key.
    let own = key.store(tx, id, tx.signer())?;
    signing::sign(
        tx,
        signing::Kind::Roles,
        &id.to_string(),
        tx.signer().unwrap_or(&own),
        &now,
    )?;
    get(tx, id)
}

/// On first start, creates the administrator (who may hold other roles too)
/// and signs them in. Refused once any user exists.
pub fn create_first_administrator(db: &Db, mut user: NewUser) -> Result<User> {
    user.roles.push(Role::Administrator);
    check_new(&mut user)?;
    let id = UserId(db.new_id());
    let salt = db.new_salt();
    let key = NewKey::make(db, &user.password)?;
    let signer = key.key.clone();
    let created = db.with_tx(|tx| {
        let exists: bool = tx.query_row("SELECT count(*) > 0 FROM app_user", [], |r| r.get(0))?;
        if exists {
            return Err(Refusal::new("refusal.administrator_exists").into());
        }
        let created = insert(tx, &user, id, salt, key)?;
        tx.note(Action::SignIn, "app_user", &id.to_string(), None)?;
        Ok(created)
    })?;
    db.set_session(Some(created.clone()));
    db.set_signer(Some(signer));
    Ok(created)
}

/// Creates a user (administrators only).
pub fn create(db: &Db, mut user: NewUser) -> Result<User> {
    check_new(&mut user)?;
    let id = UserId(db.new_id());
    let salt = db.new_salt();
    let key = NewKey::make(db, &user.password)?;
    db.write(Permission::ManageUsers, |tx| {
        insert(tx, &user, id, salt, key)
    })
}

/// Changes a user's name, roles or whether they may sign in (administrators
/// only). An administrator cannot remove the last active administrator.
pub fn update(db: &Db, id: UserId, mut change: UserChange) -> Result<User> {
    let mut errors = Vec::new();
    check_person(&mut change.display_name, &mut change.roles, &mut errors);
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    let updated = db.write(Permission::ManageUsers, |tx| {
        get(tx, id)?;
        tx.execute(
            "UPDATE app_user SET display_name = ?2, roles = ?3, active = ?4, updated_at = ?5 WHERE id = ?1",
            rusqlite::params![id.to_string(), change.display_name, to_json(&change.roles)?, change.active, tx.now_text()],
        )?;
        let administrators: u32 = tx.query_row(
            "SELECT count(*) FROM app_user WHERE active = 1 AND EXISTS (SELECT 1 FROM json_each(roles) WHERE value = 'administrator')",
            [],
            |r| r.get(0),
        )?;
        if administrators == 0 {
            return Err(Error::invalid(
                "roles",
                ValidationCode::Required,
                "at least one active administrator must remain",
            ));
        }
        tx.sign(signing::Kind::Roles, &id.to_string())?;
        get(tx, id)
    })?;
    if db.signed_in().is_some_and(|u| u.id == id) {
        db.set_session(Some(updated.clone()));
    }
    Ok(updated)
}

/// Sets a new password for a user (administrators only); recorded without
/// the password.
pub fn reset_password(db: &Db, id: UserId, password: &str) -> Result<()> {
    let user = db.read(|conn| get(conn, id))?;
    let mut errors = Vec::new();
    check_password(&user.username, password, &mut errors);
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    let hash = hash_password(password, db.new_salt())?;
    let key = NewKey::make(db, password)?;
    db.write(Permission::ManageUsers, |tx| {
        tx.execute(
            "UPDATE app_user SET password_hash = ?2, updated_at = ?3 WHERE id = ?1",
            rusqlite::params![id.to_string(), hash, tx.now_text()],
        )?;
        // The old key cannot be opened without the old password: a new key,
        // vouched for by the administrator; the old one is kept, retired,
        // to verify what it signed.
        signing::retire_keys(tx, &id.to_string(), &tx.now_text())?;
        let Some(certifier) = tx.signer() else {
            return Err(Refusal::new("refusal.no_signing_key")
                .with("user", tx.actor())
                .into());
        };
        key.store(tx, id, Some(certifier))?;
        tx.note(
            Action::Update,
            "password",
            &id.to_string(),
            Some(serde_json::json!({"password": "reset"})),
        )?;
        Ok(())
    })
}

/// Checks `password` against the stored hash of `username`. A miss is
/// recorded in the audit trail (committed even though the caller's
/// operation fails) and answered with [`Error::WrongPassword`], the same for
/// an unknown user as for a wrong password. After [`MAX_FAILED_SIGN_INS`]
/// misses in a row the user is locked out for [`LOCKOUT_MINUTES`]: every
/// attempt is then refused with [`Error::LockedOut`] without looking at the
/// password, and recorded.
///
/// Attempts for one user name take their turn within a program (the team
/// server's parallel requests, a window's threads): the lockout is read,
/// the password checked and a miss recorded before the next attempt for
/// that name starts, so no more than [`MAX_FAILED_SIGN_INS`] passwords are
/// checked within the window. The password is checked (Argon2id, the slow
/// part) outside any transaction: other people's saves never wait for it.
/// Across programs on one file, each may have one attempt in flight.
/// An unknown user name is recorded by a digest, never as typed (people
/// type their password into the name field), and is answered after the same
/// work as a known one.
pub fn confirm(db: &Db, username: &str, password: &str, purpose: &str) -> Result<User> {
    let attempted = username.trim().to_owned();
    let turn = turn_of(&attempted);
    let _turn = turn.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let now = db.now();
    let (found, locked) = db.read(|conn| {
        let found: Option<(String, String, bool)> = conn
            .query_row(
                "SELECT id, password_hash, active FROM app_user WHERE username = ?1",
                [&attempted],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        let id = found.as_ref().map(|f| f.0.clone()).unwrap_or_default();
        // Unknown names are never locked, but are read the same way.
        let locked = locked_until(conn, &id, now)?.filter(|_| found.is_some());
        Ok((found, locked))
    })?;
    let known = found.is_some();
    let (id, hash, active) =
        found.unwrap_or_else(|| (String::new(), dummy_hash().to_owned(), false));
    let actor = if known {
        attempted.clone()
    } else {
        unknown_name(&attempted)
    };
    let record = |tx: &Tx, action: Action| {
        crate::audit::append(
            tx,
            tx.now(),
            &crate::audit::Change {
                actor: actor.clone(),
                action,
                entity: "app_user".into(),
                entity_id: id.clone(),
                before: None,
                after: Some(serde_json::json!({ "purpose": purpose })),
            },
        )
    };
    if let Some(until) = locked {
        db.with_tx(|tx| record(tx, Action::LockedOut))?;
        return Err(locked_out(&attempted, until));
    }
    // Checked for an unknown name too (against a dummy hash), so that it is
    // answered after the same work.
    let matches = password_matches(password, &hash);
    if known && active && matches {
        let id = UserId(Uuid::parse_str(&id).map_err(|e| Error::Internal(e.to_string()))?);
        return db.read(|conn| get(conn, id));
    }
    let locked = db.with_tx(|tx| {
        record(tx, Action::SignInFailed)?;
        Ok(locked_until(tx, &id, tx.now())?.filter(|_| known))
    })?;
    Err(match locked {
        Some(until) => locked_out(&attempted, until),
        None => Error::WrongPassword,
    })
}

/// The turn of password checks for one user name in this program.
fn turn_of(username: &str) -> std::sync::Arc<std::sync::Mutex<()>> {
    use std::collections::HashMap;
    use std::sync::{Arc, Mutex, OnceLock};
    static TURNS: OnceLock<Mutex<HashMap<String, Arc<Mutex<()>>>>> = OnceLock::new();
    let turns = TURNS.get_or_init(Mutex::default);
    let mut turns = match turns.lock() {
        Ok(turns) => turns,
        Err(poisoned) => poisoned.into_inner(),
    };
    // Names nobody is checking are forgotten, so typed names do not pile up.
    turns.retain(|_, turn| Arc::strong_count(turn) > 1);
    Arc::clone(turns.entry(username.to_owned()).or_default())
}

/// How an unknown user name is recorded: `unknown user <digest>`, the
/// first 16 hexadecimal digits of its SHA-256, so that repeated attempts
/// with one name can be told apart without keeping what was typed.
pub fn unknown_name(typed: &str) -> String {
    let digest = crate::audit::sha256_hex(typed.as_bytes());
    format!("unknown user {}", &digest[..16])
}

fn locked_out(user: &str, until: chrono::DateTime<chrono::Utc>) -> Error {
    Error::LockedOut {
        user: user.to_owned(),
        until: until.format("%Y-%m-%d %H:%M").to_string(),
    }
}

/// Until when the user `id` is locked out at `now`, read from the trail:
/// [`MAX_FAILED_SIGN_INS`] wrong passwords within [`LOCKOUT_MINUTES`], with
/// no successful sign-in or password reset after the first of them, lock
/// the user until [`LOCKOUT_MINUTES`] after the last.
fn locked_until(
    conn: &Connection,
    id: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Option<chrono::DateTime<chrono::Utc>>> {
    let window = chrono::Duration::minutes(LOCKOUT_MINUTES);
    let (signed_in, reset): (String, String) = conn.query_row(
        "SELECT coalesce((SELECT max(at) FROM audit_log
                          WHERE entity = 'app_user' AND entity_id = ?1 AND action = 'sign_in'), ''),
                coalesce((SELECT max(at) FROM audit_log
                          WHERE entity = 'password' AND entity_id = ?1), '')",
        [id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let since = crate::context::timestamp(now - window)
        .max(signed_in)
        .max(reset);
    let failures: Vec<String> = conn
        .prepare_cached(
            "SELECT at FROM audit_log
             WHERE entity = 'app_user' AND entity_id = ?1 AND action = 'sign_in_failed' AND at > ?2
             ORDER BY seq DESC LIMIT ?3",
        )?
        .query_map(
            rusqlite::params![id, since, MAX_FAILED_SIGN_INS as i64],
            |r| r.get(0),
        )?
        .collect::<rusqlite::Result<_>>()?;
    if failures.len() < MAX_FAILED_SIGN_INS {
        return Ok(None);
    }
    let last = chrono::DateTime::parse_from_rfc3339(&failures[0])
        .map_err(|e| Error::Internal(format!("a stored time cannot be read: {e}")))?
        .with_timezone(&chrono::Utc);
    Ok(Some(last + window).filter(|until| *until > now))
}

/// An Argon2id hash checked against when the user name is unknown.
fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| {
        hash_password("no user has this password", Uuid::new_v4().into_bytes()).unwrap_or_default()
    })
}

/// A sealed key (zero salt, zero secret) that no password opens.
const NO_KEY: &str = "0000000000000000000000000000000000000000000000000000000000000000\
0000000000000000000000000000000000000000000000000000000000000000";

/// Signs a user in (recorded in the trail); a wrong password is recorded too.
/// The person's signing key is unsealed with the password and held for the
/// session; a person who has none yet (their user was made before
/// signatures) gets one now, vouching for itself.
pub fn sign_in(db: &Db, username: &str, password: &str) -> Result<User> {
    // The key is unsealed while the password is checked, the two Argon2id
    // derivations side by side; it is used only once the password is right.
    let sealed = db.read(|conn| {
        let id: Option<String> = conn
            .query_row(
                "SELECT id FROM app_user WHERE username = ?1",
                [username.trim()],
                |r| r.get(0),
            )
            .optional()?;
        match id {
            Some(id) => Ok(signing::sealed_key(conn, &id)?.map(|sealed| (id, sealed))),
            None => Ok(None),
        }
    })?;
    // A name without a key (an unknown name too) unseals a key no password
    // opens: every sign-in does the same work, and takes the same time.
    let (confirmed, unsealed) = std::thread::scope(|scope| {
        let probe = sealed
            .as_ref()
            .map_or(NO_KEY, |(_, sealed)| sealed.as_str());
        let unsealing = scope.spawn(move || signing::Key::unseal(password, probe));
        let confirmed = confirm(db, username, password, "sign in");
        let unsealed = unsealing
            .join()
            .unwrap_or_else(|_| Err(Error::Internal("unsealing the signing key failed".into())));
        (confirmed, unsealed)
    });
    let user = confirmed?;
    db.set_session(Some(user.clone()));
    let sealed = match (sealed, unsealed) {
        (Some((id, sealed)), unsealed) if id == user.id.to_string() => {
            Some((sealed, Some(unsealed?)))
        }
        _ => db
            .read(|conn| signing::sealed_key(conn, &user.id.to_string()))?
            .map(|sealed| (sealed, None)),
    };
    let (key, new) = match sealed {
        Some((_, Some(key))) => (key, None),
        Some((sealed, None)) => (signing::Key::unseal(password, &sealed)?, None),
        None => {
            let new = NewKey::make(db, password)?;
            (Some(new.key.clone()), Some(new))
        }
    };
    db.set_signer(key);
    db.write(Permission::Preferences, |tx| {
        if let Some(new) = new {
            new.store(tx, user.id, None)?;
        }
        tx.note(Action::SignIn, "app_user", &user.id.to_string(), None)
    })?;
    Ok(user)
}

/// Signs the current user out (recorded in the trail).
pub fn sign_out(db: &Db) -> Result<()> {
    if let Some(user) = db.signed_in() {
        db.write(Permission::Preferences, |tx| {
            tx.note(Action::SignOut, "app_user", &user.id.to_string(), None)
        })?;
    }
    db.set_session(None);
    Ok(())
}

/// The person a key from a register file belongs to, as a user of this
/// database who cannot sign in (no password, not active), so that the
/// decisions they signed name them; their roles (as the decisions show
/// them) are signed by the administrator importing the file. Nothing when
/// they are a user already; why not, when another user has their name.
pub(crate) fn record_person(
    tx: &Tx<'_>,
    key: &signing::KeyRecord,
    management: bool,
) -> Result<std::result::Result<(), String>> {
    let known: bool = tx.query_row(
        "SELECT count(*) > 0 FROM app_user WHERE id = ?1",
        [&key.user_id],
        |r| r.get(0),
    )?;
    if known {
        return Ok(Ok(()));
    }
    if Uuid::parse_str(&key.user_id).is_err() {
        return Ok(Err(format!("{:?} is not a user id", key.user_id)));
    }
    let mut name = key.name.clone();
    let mut roles = vec![if management {
        Role::Management
    } else {
        Role::ProcurementOfficer
    }];
    let mut errors = Vec::new();
    check_person(&mut name, &mut roles, &mut errors);
    let username = key.username.trim();
    if let Some(error) = errors.first() {
        return Ok(Err(error.message.clone()));
    }
    if username.is_empty()
        || username
            .chars()
            .any(|c| c.is_whitespace() || crate::text::is_unsafe_char(c, false))
    {
        return Ok(Err(format!("{username:?} is not a user name")));
    }
    let taken: bool = tx.query_row(
        "SELECT count(*) > 0 FROM app_user WHERE username = ?1",
        [username],
        |r| r.get(0),
    )?;
    if taken {
        return Ok(Err(format!(
            "the user name {username} belongs to another person in this database"
        )));
    }
    tx.execute(
        "INSERT INTO app_user (id, username, display_name, roles, password_hash, active, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, '!', 0, ?5, ?5)",
        rusqlite::params![key.user_id, username, name, to_json(&roles)?, tx.now_text()],
    )?;
    tx.sign(signing::Kind::Roles, &key.user_id)?;
    Ok(Ok(()))
}
