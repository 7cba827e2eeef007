//! The team server's sessions: a random bearer token per sign-in, kept
//! only as its SHA-256, each with its own database handle (the person
//! signed in, their key unsealed for signed actions) and a bound on the
//! requests it runs at once. Times come from the database's clock, so the
//! expiry rules are tested exactly.

use crate::access::User;
use crate::access::UserId;
use crate::error::{Error, Refusal, Result};
use crate::store::Db;
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::Semaphore;

/// The server's limits.
#[derive(Debug, Clone)]
pub struct Limits {
    /// The largest request body, in bytes (a register file travels whole).
    pub body_bytes: usize,
    /// How long one command may run before the request is answered with a
    /// timeout (the command itself finishes in its transaction).
    pub timeout: Duration,
    /// Requests one session may have running at once.
    pub per_session: usize,
    /// A session unused this long ends.
    pub idle: chrono::Duration,
    /// A session ends this long after its sign-in, however busy.
    pub absolute: chrono::Duration,
    /// Threads that answer requests.
    pub workers: usize,
    /// Commands that run at once, across all sessions; the others wait
    /// their turn in order of arrival. About the number of processor cores:
    /// more only makes each command share them, and a save holding the
    /// writer then waits for the processor.
    pub running: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            // A file travels base64 inside the JSON: four bytes for three.
            body_bytes: usize::try_from(crate::interchange::MAX_IMPORT_BYTES / 3 * 4)
                .unwrap_or(usize::MAX)
                .saturating_add(1024 * 1024),
            timeout: Duration::from_secs(120),
            per_session: 4,
            idle: chrono::Duration::minutes(30),
            absolute: chrono::Duration::hours(12),
            workers: 4,
            running: std::thread::available_parallelism()
                .map(|n| n.get() + 1)
                .unwrap_or(3),
        }
    }
}

/// One signed-in session, as a request finds it.
#[derive(Debug, Clone)]
pub(super) struct Session {
    pub db: Arc<Db>,
    pub user: UserId,
    pub username: String,
    signed_in_at: DateTime<Utc>,
    last_used: DateTime<Utc>,
    pub slots: Arc<Semaphore>,
}

/// Every open session, by the SHA-256 of its token.
#[derive(Debug)]
pub(super) struct Sessions {
    open: Mutex<HashMap<[u8; 32], Session>>,
    limits: Limits,
}

impl Sessions {
    pub fn new(limits: Limits) -> Sessions {
        Sessions {
            open: Mutex::new(HashMap::new()),
            limits,
        }
    }

    /// Opens a session for `user`, signed in on `db`; returns its token,
    /// which is given out once and never kept.
    pub fn open(&self, db: Arc<Db>, user: &User, clock: &Db) -> String {
        let token = new_token();
        let now = clock.now();
        let session = Session {
            db,
            user: user.id,
            username: user.username.clone(),
            signed_in_at: now,
            last_used: now,
            slots: Arc::new(Semaphore::new(self.limits.per_session)),
        };
        if let Ok(mut open) = self.open.lock() {
            // Ended sessions go as new ones come.
            let limits = &self.limits;
            open.retain(|_, s| live(s, now, limits));
            open.insert(digest(&token), session);
        }
        token
    }

    /// The session of `token`, its idle time restarted; refused when there
    /// is none or it has ended.
    pub fn find(&self, token: &str, clock: &Db) -> Result<Session> {
        let now = clock.now();
        let mut open = self
            .open
            .lock()
            .map_err(|_| Error::Internal("the sessions were poisoned".into()))?;
        let key = digest(token);
        match open.get_mut(&key) {
            Some(session) if live(session, now, &self.limits) => {
                session.last_used = now;
                Ok(session.clone())
            }
            Some(_) => {
                open.remove(&key);
                Err(Refusal::new("refusal.session_ended").into())
            }
            None => Err(Refusal::new("refusal.session_ended").into()),
        }
    }

    /// Ends the session of `token`.
    pub fn close(&self, token: &str) {
        if let Ok(mut open) = self.open.lock() {
            if let Some(session) = open.remove(&digest(token)) {
                session.db.set_session(None);
            }
        }
    }

    /// Ends every session of `user`.
    pub fn close_all_of(&self, user: UserId) {
        if let Ok(mut open) = self.open.lock() {
            open.retain(|_, s| {
                let keep = s.user != user;
                if !keep {
                    s.db.set_session(None);
                }
                keep
            });
        }
    }
}

fn live(session: &Session, now: DateTime<Utc>, limits: &Limits) -> bool {
    now - session.last_used < limits.idle && now - session.signed_in_at < limits.absolute
}

/// 244 random bits from the operating system, as 64 hex digits.
fn new_token() -> String {
    let (a, b) = (uuid::Uuid::new_v4(), uuid::Uuid::new_v4());
    let mut text = String::with_capacity(64);
    for byte in a.as_bytes().iter().chain(b.as_bytes()) {
        text.push_str(&format!("{byte:02x}"));
    }
    text
}

fn digest(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}
