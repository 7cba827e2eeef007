//! The audit trail (DOMAIN §9): every change appended with actor, UTC time,
//! entity, before and after, in the same transaction as the change, each
//! entry hashed with SHA-256 over a canonical serialisation and the previous
//! entry's hash. `verify` recomputes the chain and names the first entry that
//! does not match.

use crate::error::Result;
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::fmt::Write as _;
use ts_rs::TS;

/// The hash before the first entry.
const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What kind of change an entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Create,
    Update,
    Delete,
    StatusChange,
    Approve,
    RuleChange,
    Import,
    Export,
    SignIn,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Create => "create",
            Action::Update => "update",
            Action::Delete => "delete",
            Action::StatusChange => "status_change",
            Action::Approve => "approve",
            Action::RuleChange => "rule_change",
            Action::Import => "import",
            Action::Export => "export",
            Action::SignIn => "sign_in",
        }
    }
}

/// A change to record.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub actor: String,
    pub action: Action,
    pub entity: String,
    pub entity_id: String,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

/// JSON with object keys sorted and no insignificant white space, so the
/// same value always gives the same text (and hash), whatever the map
/// implementation a build of serde_json uses.
pub fn canonical(value: &Value) -> String {
    let mut out = String::new();
    write_canonical(value, &mut out);
    out
}

fn write_canonical(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, key) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(key.clone()).to_string());
                out.push(':');
                write_canonical(&map[key], out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

/// The stored fields of one entry, as hashed.
struct Entry<'a> {
    seq: i64,
    at: &'a str,
    actor: &'a str,
    action: &'a str,
    entity: &'a str,
    entity_id: &'a str,
    before: Option<&'a str>,
    after: Option<&'a str>,
}

/// SHA-256 (hex) of the previous hash and every field of the entry, each
/// length-prefixed so no two different entries hash the same input.
fn hash(previous: &str, entry: &Entry<'_>) -> String {
    let mut hasher = Sha256::new();
    let mut field = |text: Option<&str>| match text {
        Some(text) => {
            hasher.update(b"s");
            hasher.update((text.len() as u64).to_be_bytes());
            hasher.update(text.as_bytes());
        }
        None => hasher.update(b"n"),
    };
    field(Some(previous));
    field(Some(&entry.seq.to_string()));
    field(Some(entry.at));
    field(Some(entry.actor));
    field(Some(entry.action));
    field(Some(entry.entity));
    field(Some(entry.entity_id));
    field(entry.before);
    field(entry.after);
    let digest = hasher.finalize();
    let mut hex = String::with_capacity(64);
    for byte in digest {
        let _ = write!(hex, "{byte:02x}");
    }
    hex
}

/// Appends a change to the trail, inside the caller's transaction. Returns
/// the entry's sequence number.
pub fn append(tx: &Connection, at: DateTime<Utc>, change: &Change) -> Result<i64> {
    let last: Option<(i64, String)> = tx
        .prepare_cached("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let (seq, previous) = match last {
        Some((seq, hash)) => (seq + 1, hash),
        None => (1, GENESIS.to_owned()),
    };
    let at = crate::supplier::timestamp(at);
    let before = change.before.as_ref().map(canonical);
    let after = change.after.as_ref().map(canonical);
    let entry = Entry {
        seq,
        at: &at,
        actor: &change.actor,
        action: change.action.as_str(),
        entity: &change.entity,
        entity_id: &change.entity_id,
        before: before.as_deref(),
        after: after.as_deref(),
    };
    let hash = hash(&previous, &entry);
    tx.prepare_cached(
        "INSERT INTO audit_log (seq, at, actor, action, entity, entity_id, before, after, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(rusqlite::params![
        seq,
        entry.at,
        entry.actor,
        entry.action,
        entry.entity,
        entry.entity_id,
        entry.before,
        entry.after,
        hash
    ])?;
    Ok(seq)
}

/// The result of verifying the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Verification {
    /// Entries checked.
    pub entries: u64,
    /// The first entry that does not match, and why; `None` when the chain is intact.
    pub first_mismatch: Option<Mismatch>,
}

/// Where the chain breaks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Mismatch {
    pub seq: i64,
    pub reason: String,
}

/// Recomputes the chain from the first entry, in order, and stops at the
/// first entry whose sequence or hash does not match.
pub fn verify(conn: &Connection) -> Result<Verification> {
    let mut statement = conn.prepare(
        "SELECT seq, at, actor, action, entity, entity_id, before, after, hash FROM audit_log ORDER BY seq",
    )?;
    let mut rows = statement.query([])?;
    let mut previous = GENESIS.to_owned();
    let mut expected_seq = 1i64;
    let mut entries = 0u64;
    while let Some(row) = rows.next()? {
        let seq: i64 = row.get(0)?;
        let texts: [String; 5] = [
            row.get(1)?,
            row.get(2)?,
            row.get(3)?,
            row.get(4)?,
            row.get(5)?,
        ];
        let before: Option<String> = row.get(6)?;
        let after: Option<String> = row.get(7)?;
        let stored: String = row.get(8)?;
        let mismatch = |reason: String| {
            Ok(Verification {
                entries,
                first_mismatch: Some(Mismatch { seq, reason }),
            })
        };
        if seq != expected_seq {
            return mismatch(format!(
                "entry {expected_seq} is missing (the next entry is {seq})"
            ));
        }
        let computed = hash(
            &previous,
            &Entry {
                seq,
                at: &texts[0],
                actor: &texts[1],
                action: &texts[2],
                entity: &texts[3],
                entity_id: &texts[4],
                before: before.as_deref(),
                after: after.as_deref(),
            },
        );
        if computed != stored {
            return mismatch(
                "its content does not match its hash: it was changed after it was written".into(),
            );
        }
        previous = stored;
        expected_seq += 1;
        entries += 1;
    }
    Ok(Verification {
        entries,
        first_mismatch: None,
    })
}

impl Verification {
    /// The result in a sentence.
    pub fn sentence(&self) -> String {
        match &self.first_mismatch {
            None => format!(
                "The audit trail is intact: {} entries verified.",
                self.entries
            ),
            Some(m) => format!(
                "The audit trail does not match from entry {}: {}. {} entries before it verified.",
                m.seq, m.reason, self.entries
            ),
        }
    }
}
