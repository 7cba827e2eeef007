//! The audit trail (DOMAIN §9): every change appended with actor, UTC time,
//! entity, before and after, in the same transaction as the change, each
//! entry hashed with SHA-256 over a canonical serialisation and the previous
//! entry's hash. `verify` recomputes the chain and names the first entry that
//! does not match. [`capture`] records every row a write changes, so no
//! write can forget its entry, and lets `verify` compare the tables with the
//! trail.

pub mod capture;
pub(crate) mod log;

pub use log::{entries, LogEntry, LogFilter, LogPage};

use crate::error::Result;
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::fmt::Write as _;
use ts_rs::TS;

/// The actions that record rows, by their stored text.
const ROW_CHANGES: [Action; 7] = [
    Action::Create,
    Action::Update,
    Action::Delete,
    Action::StatusChange,
    Action::Approve,
    Action::RuleChange,
    Action::Import,
];

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
    SignInFailed,
    SignOut,
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
            Action::SignInFailed => "sign_in_failed",
            Action::SignOut => "sign_out",
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
    to_hex(&hasher.finalize())
}

/// The end of the chain inside one transaction: entries are appended after
/// it without reading the table again for each.
#[derive(Debug)]
pub struct Chain {
    seq: i64,
    hash: String,
}

impl Chain {
    /// The last entry of the trail (or the genesis before the first).
    pub fn open(tx: &Connection) -> Result<Chain> {
        let last: Option<(i64, String)> = tx
            .prepare_cached("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")?
            .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        Ok(match last {
            Some((seq, hash)) => Chain { seq, hash },
            None => Chain {
                seq: 0,
                hash: GENESIS.to_owned(),
            },
        })
    }

    /// Appends a change with its before and after already canonical.
    pub fn append_canonical(
        &mut self,
        tx: &Connection,
        at: &str,
        change: &CanonicalChange<'_>,
    ) -> Result<i64> {
        let seq = self.seq + 1;
        let entry = Entry {
            seq,
            at,
            actor: change.actor,
            action: change.action.as_str(),
            entity: change.entity,
            entity_id: change.entity_id,
            before: change.before,
            after: change.after,
        };
        let hash = hash(&self.hash, &entry);
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
        self.seq = seq;
        self.hash = hash;
        Ok(seq)
    }
}

/// A change whose before and after are canonical JSON text.
#[derive(Debug, Clone, Copy)]
pub struct CanonicalChange<'a> {
    pub actor: &'a str,
    pub action: Action,
    pub entity: &'a str,
    pub entity_id: &'a str,
    pub before: Option<&'a str>,
    pub after: Option<&'a str>,
}

/// Appends a change to the trail, inside the caller's transaction. Returns
/// the entry's sequence number.
pub fn append(tx: &Connection, at: DateTime<Utc>, change: &Change) -> Result<i64> {
    let at = crate::supplier::timestamp(at);
    let before = change.before.as_ref().map(canonical);
    let after = change.after.as_ref().map(canonical);
    Chain::open(tx)?.append_canonical(
        tx,
        &at,
        &CanonicalChange {
            actor: &change.actor,
            action: change.action,
            entity: &change.entity,
            entity_id: &change.entity_id,
            before: before.as_deref(),
            after: after.as_deref(),
        },
    )
}

/// The SHA-256 of `bytes` as 64 lower-case hex digits.
pub fn sha256_hex(bytes: &[u8]) -> String {
    to_hex(&Sha256::digest(bytes))
}

fn to_hex(digest: &[u8]) -> String {
    let mut hex = String::with_capacity(2 * digest.len());
    for byte in digest {
        let _ = write!(hex, "{byte:02x}");
    }
    hex
}

/// Records that the signed-in user exported `document` (a register file, a
/// report) about `entity_id` (empty for the whole register), with the
/// SHA-256 of the bytes written, which it returns.
pub fn record_export(
    db: &crate::Db,
    document: &str,
    entity_id: &str,
    details: Value,
    bytes: &[u8],
) -> Result<String> {
    let sha256 = sha256_hex(bytes);
    let mut after = serde_json::json!({ "sha256": &sha256, "bytes": bytes.len() });
    if let (Some(after), Value::Object(details)) = (after.as_object_mut(), details) {
        after.extend(details);
    }
    db.write(crate::approval::Permission::Export, |tx| {
        tx.note(Action::Export, document, entity_id, Some(after))
    })?;
    Ok(sha256)
}

/// The result of verifying the chain and the tables against it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Verification {
    /// Entries checked.
    pub entries: u64,
    /// The first entry that does not match, and why; `None` when the chain is intact.
    pub first_mismatch: Option<Mismatch>,
    /// Rows of the recorded tables compared with the trail.
    pub rows_checked: u64,
    /// Rows that differ from what the trail last recorded of them, in the
    /// order of the entry concerned (rows the trail never saw come last).
    pub row_mismatches: Vec<RowMismatch>,
}

/// Where the chain breaks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Mismatch {
    pub seq: i64,
    pub reason: String,
}

/// A row that does not match the trail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RowMismatch {
    pub table: String,
    pub key: String,
    /// The entry that last recorded the row; `None` when no entry did.
    pub seq: Option<i64>,
    pub reason: String,
}

/// Recomputes the chain from the first entry, in order, stopping at the
/// first entry whose sequence or hash does not match; then compares every
/// row of the recorded tables with the last entry about it.
pub fn verify(conn: &Connection) -> Result<Verification> {
    let recorded = capture::recorded_tables(conn)?;
    let mut latest = capture::Latest::default();
    let mut statement = conn.prepare(
        "SELECT seq, at, actor, action, entity, entity_id, before, after, hash FROM audit_log ORDER BY seq",
    )?;
    let mut rows = statement.query([])?;
    let mut previous = GENESIS.to_owned();
    let mut expected_seq = 1i64;
    let mut entries = 0u64;
    let mut first_mismatch = None;
    while let Some(row) = rows.next()? {
        let seq: i64 = row.get(0)?;
        let at = row.get_ref(1)?.as_str()?;
        let actor = row.get_ref(2)?.as_str()?;
        let action = row.get_ref(3)?.as_str()?;
        let entity = row.get_ref(4)?.as_str()?;
        let entity_id = row.get_ref(5)?.as_str()?;
        let before = row.get_ref(6)?.as_str_or_null()?;
        let after = row.get_ref(7)?.as_str_or_null()?;
        let stored = row.get_ref(8)?.as_str()?;
        let row_change = ROW_CHANGES.iter().any(|a| a.as_str() == action);
        if row_change && recorded.iter().any(|t| t.name == entity) {
            latest.record(seq, entity, entity_id, after);
        }
        if first_mismatch.is_some() {
            // The rest is read only to compare the tables with what it says.
            continue;
        }
        if seq != expected_seq {
            first_mismatch = Some(Mismatch {
                seq,
                reason: format!("entry {expected_seq} is missing (the next entry is {seq})"),
            });
            continue;
        }
        let computed = hash(
            &previous,
            &Entry {
                seq,
                at,
                actor,
                action,
                entity,
                entity_id,
                before,
                after,
            },
        );
        if computed != stored {
            first_mismatch = Some(Mismatch {
                seq,
                reason: "its content does not match its hash: it was changed after it was written"
                    .into(),
            });
            continue;
        }
        previous = computed;
        expected_seq += 1;
        entries += 1;
    }
    let (rows_checked, row_mismatches) = capture::compare(conn, &recorded, latest)?;
    Ok(Verification {
        entries,
        first_mismatch,
        rows_checked,
        row_mismatches,
    })
}

impl Verification {
    /// Whether the chain and every recorded row match.
    pub fn intact(&self) -> bool {
        self.first_mismatch.is_none() && self.row_mismatches.is_empty()
    }

    /// The result in a sentence.
    pub fn sentence(&self) -> String {
        let mut text = match &self.first_mismatch {
            None => format!(
                "The audit trail is intact: {} entries verified",
                self.entries
            ),
            Some(m) => format!(
                "The audit trail does not match from entry {}: {}. {} entries before it verified",
                m.seq, m.reason, self.entries
            ),
        };
        match self.row_mismatches.as_slice() {
            [] => text.push_str(&format!(
                "; all {} recorded rows match it.",
                self.rows_checked
            )),
            [first, ..] => text.push_str(&format!(
                ". {} of {} rows differ from the trail; the first: {}.",
                self.row_mismatches.len(),
                self.rows_checked,
                first.sentence()
            )),
        }
        text
    }
}

impl RowMismatch {
    /// The mismatch in words.
    pub fn sentence(&self) -> String {
        format!("{} {} {}", self.table, self.key, self.reason)
    }
}
