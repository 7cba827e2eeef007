//! The audit trail's writing and checking (DOMAIN §9), part of the store
//! because every write appends its entries in its own transaction: every
//! change appended with actor, UTC time, entity, before and after, each
//! entry hashed with SHA-256 over a canonical serialisation and the previous
//! entry's hash. `verify` recomputes the chain and names the first entry
//! that does not match. [`capture`] records every row a write changes, so no
//! write can forget its entry, and lets `verify` compare the tables with the
//! trail. Reading the trail is `crate::audit`'s.

pub mod capture;

use crate::error::{Error, Result};
use crate::store::sql::{Connection, OptionalExtension};
use chrono::{DateTime, Utc};
use rusqlite::Connection as SqliteConnection;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::fmt::Write as _;
use ts_rs::TS;

/// The actions that record rows, by their stored text.
pub(crate) const ROW_CHANGES: [Action; 7] = [
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
    Backup,
    Restore,
    LockedOut,
    /// A schema migration applied by an upgrade (one marker per migration).
    Migrate,
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
            Action::Backup => "backup",
            Action::Restore => "restore",
            Action::LockedOut => "locked_out",
            Action::Migrate => "migrate",
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

/// [`canonical`] of a JSON text. A flat object of scalars (every row image
/// the capture writes) is rewritten as it is read, without building a
/// [`Value`]: its keys sorted (of a key given twice, the last), a string or
/// a small integer copied as written when that is how [`canonical`] writes
/// it, anything else read and written again. Any other text is read whole.
pub fn canonical_text(text: &str) -> std::result::Result<String, serde_json::Error> {
    if let Some(flat) = canonical_flat(text) {
        return Ok(flat);
    }
    let value: Value = serde_json::from_str(text)?;
    Ok(canonical(&value))
}

/// [`canonical_text`] of a flat object, or `None` for anything else (and
/// for text that is not JSON, which the whole read then reports).
fn canonical_flat(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut at = skip_space(bytes, 0);
    if bytes.get(at) != Some(&b'{') {
        return None;
    }
    at = skip_space(bytes, at + 1);
    // (key, value as canonical) — the value either a slice of `text` or
    // written again into `rewritten`.
    let mut pairs: Vec<(&str, std::ops::Range<usize>, bool)> = Vec::with_capacity(32);
    let mut rewritten = String::new();
    if bytes.get(at) == Some(&b'}') {
        at += 1;
    } else {
        loop {
            let (key, after_key) = plain_string(bytes, at)?;
            let key = text.get(key)?;
            at = skip_space(bytes, after_key);
            if bytes.get(at) != Some(&b':') {
                return None;
            }
            at = skip_space(bytes, at + 1);
            let start = at;
            let (range, own) = match *bytes.get(at)? {
                b'"' => match plain_string(bytes, at) {
                    Some((_, end)) => {
                        at = end;
                        (start..end, false)
                    }
                    None => {
                        // Read by serde_json, which also says where it ends.
                        let mut read = serde_json::Deserializer::from_str(text.get(start..)?)
                            .into_iter::<String>();
                        let decoded = read.next()?.ok()?;
                        let from = rewritten.len();
                        write_string(&decoded, &mut rewritten);
                        at = start + read.byte_offset();
                        (from..rewritten.len(), true)
                    }
                },
                b'n' | b't' | b'f' => {
                    let word = ["null", "true", "false"]
                        .into_iter()
                        .find(|w| bytes[at..].starts_with(w.as_bytes()))?;
                    at += word.len();
                    (start..at, false)
                }
                b'-' | b'0'..=b'9' => {
                    while at < bytes.len()
                        && matches!(bytes[at], b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9')
                    {
                        at += 1;
                    }
                    let number = &text[start..at];
                    if is_small_integer(number) {
                        (start..at, false)
                    } else {
                        let number: serde_json::Number = serde_json::from_str(number).ok()?;
                        let from = rewritten.len();
                        let _ = write!(rewritten, "{number}");
                        (from..rewritten.len(), true)
                    }
                }
                _ => return None,
            };
            pairs.push((key, range, own));
            at = skip_space(bytes, at);
            match bytes.get(at)? {
                b',' => at = skip_space(bytes, at + 1),
                b'}' => {
                    at += 1;
                    break;
                }
                _ => return None,
            }
        }
    }
    if skip_space(bytes, at) != bytes.len() {
        return None;
    }
    // Stable: of a key given twice, the later stays last and is kept.
    pairs.sort_by(|a, b| a.0.cmp(b.0));
    let mut out = String::with_capacity(text.len() + 2);
    out.push('{');
    let mut first = true;
    for (i, (key, range, own)) in pairs.iter().enumerate() {
        if pairs.get(i + 1).is_some_and(|next| next.0 == *key) {
            continue;
        }
        if !first {
            out.push(',');
        }
        first = false;
        out.push('"');
        out.push_str(key);
        out.push_str("\":");
        out.push_str(match own {
            true => &rewritten[range.clone()],
            false => &text[range.clone()],
        });
    }
    out.push('}');
    Some(out)
}

/// Past JSON's white space from `at`.
fn skip_space(bytes: &[u8], mut at: usize) -> usize {
    while at < bytes.len() && matches!(bytes[at], b' ' | b'\t' | b'\n' | b'\r') {
        at += 1;
    }
    at
}

/// A string at `at` written as [`write_string`] writes it, because it needs
/// no escape (no backslash, no control character): its content and where
/// it ends (past its closing quote).
fn plain_string(bytes: &[u8], at: usize) -> Option<(std::ops::Range<usize>, usize)> {
    if bytes.get(at) != Some(&b'"') {
        return None;
    }
    let start = at + 1;
    let length = bytes[start..]
        .iter()
        .position(|&b| b == b'"' || b == b'\\' || b < b' ')?;
    let end = start + length;
    (bytes[end] == b'"').then_some((start..end, end + 1))
}

/// Whether a number is an integer that serde_json reads and writes back
/// with the same digits: no sign but a minus, no leading zero, at most 18
/// digits (so within `i64`).
fn is_small_integer(number: &str) -> bool {
    let digits = number.strip_prefix('-').unwrap_or(number);
    !digits.is_empty()
        && digits.len() <= 18
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (digits == "0" || !digits.starts_with('0'))
        && number != "-0"
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
                write_string(key, out);
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
        Value::String(text) => write_string(text, out),
        Value::Null => out.push_str("null"),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        Value::Number(number) => {
            let _ = write!(out, "{number}");
        }
    }
}

/// A JSON string as serde_json writes it: `"` and `\` escaped, control
/// characters as `\b \t \n \f \r` or `\u00XX`, everything else as it is.
fn write_string(text: &str, out: &mut String) {
    out.push('"');
    let mut plain = 0;
    for (i, c) in text.char_indices() {
        let escape = match c {
            '"' => "\\\"",
            '\\' => "\\\\",
            '\u{08}' => "\\b",
            '\t' => "\\t",
            '\n' => "\\n",
            '\u{0c}' => "\\f",
            '\r' => "\\r",
            c if c < ' ' => "",
            _ => continue,
        };
        out.push_str(&text[plain..i]);
        if escape.is_empty() {
            let _ = write!(out, "\\u{:04x}", c as u32);
        } else {
            out.push_str(escape);
        }
        plain = i + c.len_utf8();
    }
    out.push_str(&text[plain..]);
    out.push('"');
}

/// The stored fields of one entry, as hashed.
struct Entry<'a> {
    seq: i64,
    at: &'a [u8],
    actor: &'a [u8],
    action: &'a [u8],
    entity: &'a [u8],
    entity_id: &'a [u8],
    before: Option<&'a [u8]>,
    after: Option<&'a [u8]>,
}

/// SHA-256 (hex) of the previous hash and every field of the entry, each
/// length-prefixed so no two different entries hash the same input.
fn hash(previous: &str, entry: &Entry<'_>) -> String {
    String::from_utf8_lossy(&hash_hex(previous.as_bytes(), entry)).into_owned()
}

/// [`hash`] as hex digits on the stack: verification computes a million of
/// them without allocating.
fn hash_hex(previous: &[u8], entry: &Entry<'_>) -> [u8; 64] {
    let mut hasher = Sha256::new();
    let mut field = |text: Option<&[u8]>| match text {
        Some(text) => {
            hasher.update(b"s");
            hasher.update((text.len() as u64).to_be_bytes());
            hasher.update(text);
        }
        None => hasher.update(b"n"),
    };
    let mut digits = [0u8; 20];
    field(Some(previous));
    field(Some(decimal(entry.seq, &mut digits)));
    field(Some(entry.at));
    field(Some(entry.actor));
    field(Some(entry.action));
    field(Some(entry.entity));
    field(Some(entry.entity_id));
    field(entry.before);
    field(entry.after);
    hex_digits(&hasher.finalize())
}

/// `n` in decimal digits (as `to_string` writes it), in `buffer`.
fn decimal(n: i64, buffer: &mut [u8; 20]) -> &[u8] {
    let negative = n < 0;
    let mut rest = n.unsigned_abs();
    let mut at = buffer.len();
    loop {
        at -= 1;
        buffer[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    if negative {
        at -= 1;
        buffer[at] = b'-';
    }
    &buffer[at..]
}

/// A SHA-256 digest as 64 lower-case hex digits.
fn hex_digits(digest: &[u8]) -> [u8; 64] {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut hex = [0u8; 64];
    for (i, byte) in digest.iter().take(32).enumerate() {
        hex[2 * i] = DIGITS[usize::from(byte >> 4)];
        hex[2 * i + 1] = DIGITS[usize::from(byte & 0x0f)];
    }
    hex
}

/// The end of the chain inside one transaction: entries are appended after
/// it without reading the table again for each.
#[derive(Debug)]
pub struct Chain {
    seq: i64,
    hash: String,
    /// Entries appended but not yet written, when batched
    /// ([`Chain::batched`]): written by [`Chain::finish`].
    batch: Option<Vec<rusqlite::types::Value>>,
}

/// Entries written by one INSERT of a batched chain (nine values each).
const ENTRIES_PER_INSERT: usize = 500;

/// The columns of an entry, in the order they are written.
const ENTRY_COLUMNS: &str = "seq, at, actor, action, entity, entity_id, before, after, hash";

impl Chain {
    /// The last entry of the trail (or the genesis before the first).
    pub fn open(tx: &Connection) -> Result<Chain> {
        let last: Option<(i64, String)> = tx
            .prepare_cached("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")?
            .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        Ok(match last {
            Some((seq, hash)) => Chain {
                seq,
                hash,
                batch: None,
            },
            None => Chain {
                seq: 0,
                hash: GENESIS.to_owned(),
                batch: None,
            },
        })
    }

    /// [`Chain::open`], writing its entries several to a statement (a
    /// round trip each on PostgreSQL): [`Chain::finish`] writes the last.
    pub fn batched(tx: &Connection) -> Result<Chain> {
        let mut chain = Chain::open(tx)?;
        chain.batch = Some(Vec::new());
        Ok(chain)
    }

    /// Writes the entries a batched chain still holds.
    pub fn finish(mut self, tx: &Connection) -> Result<()> {
        self.flush(tx)
    }

    fn flush(&mut self, tx: &Connection) -> Result<()> {
        let Some(values) = self.batch.as_mut().filter(|v| !v.is_empty()) else {
            return Ok(());
        };
        let rows = values.len() / 9;
        let tuples: Vec<String> = (0..rows)
            .map(|row| {
                let places: Vec<String> = (1..=9).map(|c| format!("?{}", row * 9 + c)).collect();
                format!("({})", places.join(", "))
            })
            .collect();
        tx.prepare_cached(&format!(
            "INSERT INTO audit_log ({ENTRY_COLUMNS}) VALUES {}",
            tuples.join(", ")
        ))?
        .execute(crate::store::sql::params_from_iter(values.iter()))?;
        values.clear();
        Ok(())
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
            at: at.as_bytes(),
            actor: change.actor.as_bytes(),
            action: change.action.as_str().as_bytes(),
            entity: change.entity.as_bytes(),
            entity_id: change.entity_id.as_bytes(),
            before: change.before.map(str::as_bytes),
            after: change.after.map(str::as_bytes),
        };
        let hash = hash(&self.hash, &entry);
        if let Some(values) = self.batch.as_mut() {
            use rusqlite::types::Value;
            let text = |t: &str| Value::Text(t.to_owned());
            let optional = |t: Option<&str>| t.map_or(Value::Null, text);
            values.extend([
                Value::Integer(seq),
                text(at),
                text(change.actor),
                text(change.action.as_str()),
                text(change.entity),
                text(change.entity_id),
                optional(change.before),
                optional(change.after),
                text(&hash),
            ]);
            self.seq = seq;
            self.hash = hash;
            if values.len() >= ENTRIES_PER_INSERT * 9 {
                self.flush(tx)?;
            }
            return Ok(seq);
        }
        tx.prepare_cached(
            "INSERT INTO audit_log (seq, at, actor, action, entity, entity_id, before, after, hash)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?
        .execute(rusqlite::params![
            seq,
            at,
            change.actor,
            change.action.as_str(),
            change.entity,
            change.entity_id,
            change.before,
            change.after,
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
    let at = crate::context::timestamp(at);
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
    digest_hex(&Sha256::digest(bytes))
}

/// A SHA-256 digest (computed piece by piece) in lowercase hex, as
/// [`sha256_hex`] gives it.
pub fn digest_hex(digest: &[u8]) -> String {
    String::from_utf8_lossy(&hex_digits(digest)).into_owned()
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
    /// Signed records and signing keys that do not verify (DOMAIN §7).
    pub signature_problems: Vec<Discrepancy>,
    /// Schema objects Tillit did not create, or that are missing or changed.
    pub schema_problems: Vec<Discrepancy>,
    /// Evidence files that are missing or whose bytes no longer match
    /// their SHA-256 (checked when the database has an evidence folder).
    pub file_problems: Vec<Discrepancy>,
    /// Anchors kept outside the file that the trail no longer holds
    /// (filled by the caller that was given anchors).
    pub anchor_problems: Vec<Discrepancy>,
    /// The last entry of the chain: what an anchor keeps.
    pub head: Option<Anchor>,
}

/// Something verification found that does not hold: what, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Discrepancy {
    pub subject: String,
    pub reason: String,
}

impl Discrepancy {
    pub fn new(subject: impl Into<String>, reason: impl Into<String>) -> Discrepancy {
        Discrepancy {
            subject: subject.into(),
            reason: reason.into(),
        }
    }

    /// The finding in words.
    pub fn sentence(&self) -> String {
        format!("{}: {}", self.subject, self.reason)
    }
}

/// An entry of the chain kept outside the file (DOMAIN §9): its sequence
/// number and hash. Written `SEQ:HASH`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Anchor {
    pub seq: i64,
    pub hash: String,
}

impl std::fmt::Display for Anchor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.seq, self.hash)
    }
}

impl std::str::FromStr for Anchor {
    type Err = String;

    /// `SEQ:HASH`, the hash in full or its first 16 or more hexadecimal digits.
    fn from_str(text: &str) -> std::result::Result<Anchor, String> {
        let (seq, hash) = text
            .trim()
            .split_once(':')
            .ok_or_else(|| "an anchor is written SEQ:HASH".to_owned())?;
        let seq: i64 = seq
            .trim()
            .parse()
            .ok()
            .filter(|s| *s > 0)
            .ok_or_else(|| format!("{seq:?} is not an entry's sequence number"))?;
        let hash = hash.trim().to_ascii_lowercase();
        if hash.len() < 16 || hash.len() > 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(format!(
                "{hash:?} is not an entry's hash (16 to 64 hexadecimal digits)"
            ));
        }
        Ok(Anchor { seq, hash })
    }
}

/// The last entry of the trail, if any.
pub fn head(conn: &Connection) -> Result<Option<Anchor>> {
    conn.prepare_cached("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")?
        .query_row([], |r| {
            Ok(Anchor {
                seq: r.get(0)?,
                hash: r.get(1)?,
            })
        })
        .optional()
}

/// The anchor file `tillit audit anchor` writes: comments saying what it
/// is, then the head of the chain as `SEQ:HASH`.
pub fn anchor_text(conn: &Connection, database: &std::path::Path) -> Result<String> {
    let head = head(conn)?
        .ok_or_else(|| Error::from(crate::error::Refusal::new("refusal.trail_empty")))?;
    let at: String =
        conn.query_row("SELECT at FROM audit_log WHERE seq = ?1", [head.seq], |r| {
            r.get(0)
        })?;
    Ok(format!(
        "# Tillit audit anchor: the head of the audit trail of {}\n# entry {} of {at}\n# check with: tillit audit verify --anchor <this file>\n{head}\n",
        database.display(),
        head.seq
    ))
}

/// The anchors `text` names: itself when it is `SEQ:HASH`, else the file
/// it names, one anchor a line (lines starting with `#` are comments).
pub fn read_anchors(text: &str) -> Result<Vec<Anchor>> {
    if let Ok(anchor) = text.parse::<Anchor>() {
        return Ok(vec![anchor]);
    }
    let path = std::path::Path::new(text);
    let content = crate::files::read_limited(path, 1 << 20)?;
    let content = String::from_utf8(content).map_err(|_| {
        Error::from(
            crate::error::Refusal::new("refusal.anchor_file")
                .with("path", path.display())
                .with("problem", "it is not text"),
        )
    })?;
    let mut anchors = Vec::new();
    for (number, line) in content.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        anchors.push(line.parse::<Anchor>().map_err(|problem| {
            Error::from(
                crate::error::Refusal::new("refusal.anchor_file")
                    .with("path", format!("{}:{}", path.display(), number + 1))
                    .with("problem", problem),
            )
        })?);
    }
    if anchors.is_empty() {
        return Err(crate::error::Refusal::new("refusal.anchor_file")
            .with("path", path.display())
            .with("problem", "it holds no anchor")
            .into());
    }
    Ok(anchors)
}

/// Whether the trail still holds the anchored entry unchanged: `None` when
/// it does, else why not. (The chain up to it is checked by [`verify`].)
pub fn anchor_holds(conn: &Connection, anchor: &Anchor) -> Result<Option<String>> {
    let stored: Option<String> = conn
        .query_row(
            "SELECT hash FROM audit_log WHERE seq = ?1",
            [anchor.seq],
            |r| r.get(0),
        )
        .optional()?;
    Ok(match stored {
        None => Some(format!(
            "the anchored entry {} is gone: the trail was cut back or rewritten",
            anchor.seq
        )),
        Some(hash) if hash.starts_with(&anchor.hash) => None,
        Some(_) => Some(format!(
            "entry {} no longer has the anchored hash {}: the trail was rewritten",
            anchor.seq,
            &anchor.hash[..16]
        )),
    })
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
/// row of the recorded tables with the last entry about it, and checks the
/// signatures and seals, the schema, the evidence files beside a database
/// file and the head of the chain.
///
/// Everything is read in one snapshot of the database. A long trail in a
/// database file is checked on two connections at once (the second
/// read-only, in the same snapshot): each entry's hash depends only on its
/// content and the stored hash before it, so stretches of the chain are
/// checked independently and give the same result as one pass. Each
/// connection takes the next stretch, and then the next check, when it is
/// done with its last, so both are busy until the end.
pub fn verify(conn: &Connection) -> Result<Verification> {
    let beside = conn
        .path()
        .filter(|p| !p.is_empty())
        .map(|p| super::evidence_beside(std::path::Path::new(p)));
    verify_in(conn, beside.as_deref())
}

/// [`verify`], with the evidence files in `evidence` (none checked without
/// a folder): what [`super::Db::verify`] runs with the database's folder.
pub fn verify_in(conn: &Connection, evidence: Option<&std::path::Path>) -> Result<Verification> {
    verify_with(conn, PARALLEL_FROM, evidence)
}

/// [`verify_in`], on two connections from `parallel_from` entries on.
fn verify_with(
    conn: &Connection,
    parallel_from: i64,
    evidence: Option<&std::path::Path>,
) -> Result<Verification> {
    let snapshot = conn.is_autocommit();
    if snapshot {
        conn.execute_batch("BEGIN")?;
    }
    let verification = verify_in_snapshot(conn, parallel_from, evidence);
    if snapshot {
        conn.execute_batch("COMMIT")?;
    }
    verification
}

/// [`verify_with`] in a read transaction of `conn`.
fn verify_in_snapshot(
    conn: &Connection,
    parallel_from: i64,
    evidence: Option<&std::path::Path>,
) -> Result<Verification> {
    let recorded = capture::recorded_tables(conn)?;
    let head = head(conn)?;
    let last = head.as_ref().map_or(0, |h| h.seq);
    let other = match conn
        .path()
        .filter(|p| !p.is_empty() && last >= parallel_from)
    {
        Some(path) => same_snapshot(super::open_reader(path)?, head.as_ref())?,
        None => None,
    };
    // Mapped while verifying, as the second connection is; as before after.
    let mapped: Option<i64> = match other {
        Some(_) => {
            let mapped = conn.query_row("PRAGMA mmap_size", [], |r| r.get(0))?;
            conn.query_row(
                &format!("PRAGMA mmap_size = {}", super::READ_MAP),
                [],
                |_| Ok(()),
            )?;
            Some(mapped)
        }
        None => None,
    };
    let verification = verify_on(conn, &recorded, other, last, evidence);
    if let Some(mapped) = mapped {
        conn.query_row(&format!("PRAGMA mmap_size = {mapped}"), [], |_| Ok(()))?;
    }
    let mut verification = verification?;
    verification.head = head;
    Ok(verification)
}

/// Every evidence file the register names, read and hashed: a missing file,
/// and one whose bytes do not match its SHA-256, named with its item.
fn evidence_files(conn: &Connection, folder: &std::path::Path) -> Result<Vec<Discrepancy>> {
    if !conn.tables()?.iter().any(|t| t == "evidence") {
        return Ok(Vec::new());
    }
    // A returned questionnaire's file is kept beside them (schema 13 on).
    let returned = if conn.tables()?.iter().any(|t| t == "questionnaire") {
        " UNION ALL SELECT 'questionnaire', id, file_sha256, file_name FROM questionnaire
           WHERE file_sha256 IS NOT NULL"
    } else {
        ""
    };
    let files: Vec<(String, String, String, String)> = conn
        .prepare(&format!(
            "SELECT 'evidence', id, file_sha256, file_name FROM evidence WHERE file_sha256 IS NOT NULL{returned}
             ORDER BY 1, 2"
        ))?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut found = Vec::new();
    let mut checked: std::collections::HashMap<String, Option<String>> = Default::default();
    for (kind, id, sha256, name) in files {
        let subject = format!("{kind} {id} ({name})");
        let problem = checked.entry(sha256.clone()).or_insert_with(|| {
            let path = folder.join(&sha256);
            if sha256.len() != 64 || !sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Some("its recorded SHA-256 is not one".into());
            }
            match file_sha256(&path) {
                Ok(actual) if actual == sha256 => None,
                Ok(_) => Some(format!(
                    "the file {} no longer matches its SHA-256: it was changed",
                    path.display()
                )),
                Err(_) => Some(format!("the file {} is missing", path.display())),
            }
        });
        if let Some(reason) = problem {
            found.push(Discrepancy::new(subject, reason.clone()));
        }
    }
    Ok(found)
}

/// The SHA-256 of a file's bytes, read in pieces.
fn file_sha256(path: &std::path::Path) -> std::io::Result<String> {
    use std::io::Read;
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 1 << 16];
    loop {
        let read = file.read(&mut buffer)?;
        if read == 0 {
            break;
        }
        hasher.update(&buffer[..read]);
    }
    Ok(String::from_utf8_lossy(&hex_digits(&hasher.finalize())).into_owned())
}

/// `other` when it reads the same snapshot as the caller's connection, whose
/// head is `head`: a write between the two would append entries.
fn same_snapshot(
    other: SqliteConnection,
    head: Option<&Anchor>,
) -> Result<Option<SqliteConnection>> {
    other.execute_batch("BEGIN")?;
    Ok((self::head(&Connection::over_sqlite(&other))?.as_ref() == head).then_some(other))
}

/// The chain in stretches, then the rows, signatures, schema and files, on
/// `conn` and, when given, on `other` at once.
fn verify_on(
    conn: &Connection,
    recorded: &[capture::Recorded],
    other: Option<SqliteConnection>,
    last: i64,
    evidence: Option<&std::path::Path>,
) -> Result<Verification> {
    let pieces = if other.is_some() { STRETCHES } else { 1 };
    let mut stretches = Vec::with_capacity(pieces as usize);
    let mut start = (0, GENESIS.to_owned());
    for piece in 1..=pieces {
        let end = last * piece / pieces;
        if end <= start.0 {
            continue;
        }
        stretches.push((start, end));
        start = conn
            .query_row(
                "SELECT seq, hash FROM audit_log WHERE seq <= ?1 ORDER BY seq DESC LIMIT 1",
                [end],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?
            .unwrap_or((0, GENESIS.to_owned()));
    }
    let (stretches, noted, other) = shared(
        conn,
        other,
        stretches,
        || capture::RowNotes::new(recorded.len()),
        |conn, notes, (start, end)| verify_stretch(conn, recorded, notes, start, end),
    )?;
    let chain = stretches
        .into_iter()
        .fold(Stretch::default(), Stretch::then);

    let mut tables = capture::RowNotes::tables(noted);
    tables.sort_by_key(|t| std::cmp::Reverse(t.2));
    // The signatures and the evidence files first, as what they weigh is
    // not known beforehand; then the tables, the heaviest first.
    let checks = [Check::Signatures, Check::Files(evidence.map(Into::into))]
        .into_iter()
        .chain(
            tables
                .into_iter()
                .map(|(index, noted, _)| Check::Rows(index, noted)),
        )
        .chain([Check::Schema]);
    let intact = chain.first_mismatch.is_none();
    let (found, _, _) = shared(
        conn,
        other,
        checks.collect(),
        || (),
        |conn, _, check| check.run(conn, recorded, &chain.runs, intact),
    )?;
    let mut verification = Verification {
        entries: chain.entries,
        first_mismatch: chain.first_mismatch,
        rows_checked: 0,
        row_mismatches: Vec::new(),
        signature_problems: Vec::new(),
        schema_problems: Vec::new(),
        file_problems: Vec::new(),
        anchor_problems: Vec::new(),
        head: None,
    };
    for found in found {
        match found {
            Found::Rows(checked, mismatches) => {
                verification.rows_checked += checked;
                verification.row_mismatches.extend(mismatches);
            }
            Found::Signatures(problems) => verification.signature_problems = problems,
            Found::Files(problems) => verification.file_problems = problems,
            Found::Schema(problems) => verification.schema_problems = problems,
        }
    }
    capture::sort_mismatches(&mut verification.row_mismatches);
    Ok(verification)
}

/// A check of [`verify`] after the chain's.
enum Check {
    /// The rows of the recorded table at this position, against the last
    /// entries about them.
    Rows(usize, Vec<capture::TableNotes>),
    /// The signed records and, on an intact chain, the seals.
    Signatures,
    /// The evidence files in this folder.
    Files(Option<std::path::PathBuf>),
    /// The schema objects.
    Schema,
}

/// What a [`Check`] found.
enum Found {
    Rows(u64, Vec<RowMismatch>),
    Signatures(Vec<Discrepancy>),
    Files(Vec<Discrepancy>),
    Schema(Vec<Discrepancy>),
}

impl Check {
    fn run(
        self,
        conn: &Connection,
        recorded: &[capture::Recorded],
        runs: &[Run],
        intact: bool,
    ) -> Result<Found> {
        Ok(match self {
            Check::Rows(index, noted) => match recorded.get(index) {
                Some(table) => {
                    let (checked, mismatches) = capture::compare(conn, table, noted)?;
                    Found::Rows(checked, mismatches)
                }
                None => Found::Rows(0, Vec::new()),
            },
            Check::Signatures => {
                let (mut problems, trust) = super::signing::check_records(conn)?;
                // Seals are checked against an intact chain only: a broken
                // one is reported as such.
                if intact {
                    problems.extend(super::signing::check_seals(conn, runs, &trust)?);
                }
                Found::Signatures(problems)
            }
            Check::Files(folder) => Found::Files(match folder {
                Some(folder) => evidence_files(conn, &folder)?,
                None => Vec::new(),
            }),
            Check::Schema => Found::Schema(super::migrate::foreign_objects(conn)?),
        })
    }
}

/// Runs `jobs` on `conn` and, when given, on `other` at once: each takes the
/// next job when it is done with its last, keeping a state of its own
/// (`init`). Returns the results in the order of the jobs, each
/// connection's state, and `other` back.
fn shared<J: Send, R: Send, S: Send>(
    conn: &Connection,
    other: Option<SqliteConnection>,
    jobs: Vec<J>,
    init: impl Fn() -> S + Sync,
    work: impl Fn(&Connection, &mut S, J) -> Result<R> + Sync,
) -> Result<(Vec<R>, Vec<S>, Option<SqliteConnection>)> {
    let count = jobs.len();
    let queue = std::sync::Mutex::new(jobs.into_iter().enumerate());
    let failed = std::sync::atomic::AtomicBool::new(false);
    let run = |conn: &Connection| -> Result<(Vec<(usize, R)>, S)> {
        let mut state = init();
        let mut done = Vec::new();
        loop {
            if failed.load(std::sync::atomic::Ordering::Relaxed) {
                break;
            }
            let next = queue.lock().map_err(|_| panicked())?.next();
            let Some((index, job)) = next else {
                break;
            };
            match work(conn, &mut state, job) {
                Ok(result) => done.push((index, result)),
                Err(error) => {
                    failed.store(true, std::sync::atomic::Ordering::Relaxed);
                    return Err(error);
                }
            }
        }
        Ok((done, state))
    };
    let (mut done, states, other) = match other {
        None => {
            let (done, state) = run(conn)?;
            (done, vec![state], None)
        }
        Some(other) => {
            let run = &run;
            let (mine, theirs, other) = std::thread::scope(|scope| {
                let theirs = scope.spawn(move || (run(&Connection::over_sqlite(&other)), other));
                let mine = run(conn);
                let (theirs, other) = theirs.join().map_err(|_| panicked())?;
                Ok::<_, Error>((mine, theirs, other))
            })?;
            let ((mut done, mine), (theirs, their_state)) = (mine?, theirs?);
            done.extend(theirs);
            (done, vec![mine, their_state], Some(other))
        }
    };
    if done.len() != count {
        return Err(panicked());
    }
    done.sort_by_key(|(index, _)| *index);
    Ok((done.into_iter().map(|(_, r)| r).collect(), states, other))
}

fn panicked() -> Error {
    Error::Internal("the verification of the audit trail stopped unexpectedly".into())
}

/// Trails from this length on are verified on two connections at once.
const PARALLEL_FROM: i64 = 50_000;

/// How many stretches a trail verified on two connections is cut into: the
/// two finish within one stretch's time of each other.
const STRETCHES: i64 = 24;

/// The result of checking one stretch of the chain.
#[derive(Default)]
struct Stretch {
    entries: u64,
    first_mismatch: Option<Mismatch>,
    runs: Vec<Run>,
}

/// Consecutive entries written in one person's name: the last of them that
/// is not exempt from sealing must carry their seal (DOMAIN §9).
#[derive(Debug, Clone)]
pub struct Run {
    pub actor: String,
    /// The last entry that must be sealed, and its hash (hex digits);
    /// `None` when every entry of the run is exempt (Tillit's own, failed
    /// sign-ins).
    pub sealed: Option<(i64, [u8; 64])>,
}

impl Run {
    /// Whether an entry needs a seal: not by Tillit itself, nor an attempt
    /// to sign in (no key is open then), nor a migration's marker.
    fn needs_seal(actor: &[u8], action: &[u8]) -> bool {
        actor != super::SYSTEM_ACTOR.as_bytes()
            && !actor.starts_with(b"unknown user ")
            && ![Action::SignInFailed, Action::LockedOut, Action::Migrate]
                .iter()
                .any(|a| a.as_str().as_bytes() == action)
    }

    fn note(runs: &mut Vec<Run>, seq: i64, actor: &[u8], action: &[u8], hash: &[u8; 64]) {
        let sealed = Run::needs_seal(actor, action).then_some((seq, *hash));
        match runs.last_mut() {
            Some(run) if run.actor.as_bytes() == actor => {
                if sealed.is_some() {
                    run.sealed = sealed;
                }
            }
            _ => runs.push(Run {
                actor: String::from_utf8_lossy(actor).into_owned(),
                sealed,
            }),
        }
    }
}

impl Stretch {
    /// This stretch followed by `next`: the later stretch counts only when
    /// this one is intact.
    fn then(mut self, next: Stretch) -> Stretch {
        if self.first_mismatch.is_none() {
            self.entries += next.entries;
            self.first_mismatch = next.first_mismatch;
            let mut later = next.runs.into_iter();
            if let (Some(last), Some(first)) = (self.runs.last_mut(), later.next()) {
                if last.actor == first.actor {
                    if first.sealed.is_some() {
                        last.sealed = first.sealed;
                    }
                } else {
                    self.runs.push(first);
                }
            }
            self.runs.extend(later);
        }
        self
    }
}

/// Checks the entries after `start` (its sequence number and stored hash)
/// up to and including `last`, and notes in `notes` the entries about rows.
fn verify_stretch(
    conn: &Connection,
    recorded: &[capture::Recorded],
    notes: &mut capture::RowNotes,
    start: (i64, String),
    last: i64,
) -> Result<Stretch> {
    let mut statement = conn.prepare_cached(
        "SELECT seq, at, actor, action, entity, entity_id, before, after, hash FROM audit_log
         WHERE seq > ?1 AND seq <= ?2 ORDER BY seq",
    )?;
    let mut rows = statement.query([start.0, last])?;
    let mut previous = [0u8; 64];
    previous.copy_from_slice(
        start
            .1
            .as_bytes()
            .get(..64)
            .ok_or_else(|| Error::Internal(format!("entry {} has no hash", start.0)))?,
    );
    let mut expected_seq = start.0 + 1;
    let mut entries = 0u64;
    let mut first_mismatch = None;
    let mut runs = Vec::new();
    while let Some(row) = rows.next()? {
        let seq: i64 = row.get(0)?;
        let action = row.get_ref(3)?.as_bytes()?;
        let entity = row.get_ref(4)?.as_bytes()?;
        let entity_id = row.get_ref(5)?.as_bytes()?;
        let after = row.get_ref(7)?.as_bytes_or_null()?;
        if ROW_CHANGES.iter().any(|a| a.as_str().as_bytes() == action) {
            if let Some(table) = recorded.iter().position(|t| t.name.as_bytes() == entity) {
                notes.record(seq, table, entity_id, after);
            }
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
        let computed = hash_hex(
            &previous,
            &Entry {
                seq,
                at: row.get_ref(1)?.as_bytes()?,
                actor: row.get_ref(2)?.as_bytes()?,
                action,
                entity,
                entity_id,
                before: row.get_ref(6)?.as_bytes_or_null()?,
                after,
            },
        );
        if computed.as_slice() != row.get_ref(8)?.as_bytes()? {
            first_mismatch = Some(Mismatch {
                seq,
                reason: "its content does not match its hash: it was changed after it was written"
                    .into(),
            });
            continue;
        }
        Run::note(
            &mut runs,
            seq,
            row.get_ref(2)?.as_bytes()?,
            action,
            &computed,
        );
        previous = computed;
        expected_seq += 1;
        entries += 1;
    }
    Ok(Stretch {
        entries,
        first_mismatch,
        runs,
    })
}

impl Verification {
    /// Whether the chain, every recorded row, every signature, the schema
    /// and the evidence files hold.
    pub fn intact(&self) -> bool {
        self.first_mismatch.is_none()
            && self.row_mismatches.is_empty()
            && self.findings().next().is_none()
    }

    /// What else than the chain and the rows does not hold: signatures, the
    /// schema, the evidence files.
    pub fn findings(&self) -> impl Iterator<Item = &Discrepancy> {
        self.signature_problems
            .iter()
            .chain(&self.schema_problems)
            .chain(&self.file_problems)
            .chain(&self.anchor_problems)
    }

    /// The result in a sentence.
    pub fn sentence(&self) -> String {
        let mut text = match &self.first_mismatch {
            None if self.intact() => format!(
                "The audit trail is intact: {} entries verified",
                self.entries
            ),
            None => format!(
                "The audit trail does not verify: its chain of {} entries is unbroken",
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
        for (list, what) in [
            (&self.signature_problems, "signatures do not verify"),
            (
                &self.schema_problems,
                "schema objects were not made by Tillit",
            ),
            (&self.file_problems, "evidence files do not match"),
            (&self.anchor_problems, "anchors do not hold"),
        ] {
            if let Some(first) = list.first() {
                text.push_str(&format!(
                    " {} {what}; the first: {}.",
                    list.len(),
                    first.sentence()
                ));
            }
        }
        if let Some(head) = &self.head {
            text.push_str(&format!(" Head of the chain: {head}."));
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::context::{SeededIds, SharedClock};
    use crate::dev::{self, SeedOptions};

    /// A generated register of 60 suppliers in a database file.
    fn register(dir: &std::path::Path) -> std::path::PathBuf {
        let path = dir.join("register.db");
        let clock = SharedClock::new(Utc::now());
        let db = crate::Db::open(&path)
            .unwrap()
            .with_clock(clock.clone())
            .with_ids(SeededIds::new(7));
        let options = SeedOptions {
            suppliers: 60,
            seed: 7,
            as_of: chrono::NaiveDate::from_ymd_opt(2026, 11, 2).unwrap(),
            password: "correct horse battery".into(),
        };
        dev::register(&db, &clock, &options).unwrap();
        path
    }

    /// Both ways of verifying, on the file as it is now.
    fn both(path: &std::path::Path) -> (Verification, Verification) {
        let raw = SqliteConnection::open(path).unwrap();
        let conn = Connection::over_sqlite(&raw);
        (
            verify_with(&conn, i64::MAX, None).unwrap(),
            verify_with(&conn, 1, None).unwrap(),
        )
    }

    proptest::proptest! {
        #[test]
        fn strings_are_written_as_serde_json_writes_them(text in "\\PC*|[\\x00-\\x7f]{0,40}") {
            let mut ours = String::new();
            write_string(&text, &mut ours);
            proptest::prop_assert_eq!(ours, serde_json::to_string(&text).unwrap());
        }
    }

    /// A scalar of a row image, as the capture writes one.
    fn scalar() -> impl proptest::strategy::Strategy<Value = Value> {
        use proptest::prelude::*;
        prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<u64>().prop_map(Value::from),
            (-1e6f64..1e6).prop_map(Value::from),
            any::<f64>()
                .prop_filter("finite", |f| f.is_finite())
                .prop_map(Value::from),
            "\\PC{0,12}|[\\x00-\\x7f]{0,12}|[\"\\\\/\\n\\t\\u{1}é€😀 ]{0,6}".prop_map(Value::from),
        ]
    }

    /// `text` as JSON, every character past ASCII (and `/`) written as a
    /// `\u` escape, surrogate pairs and all, as other writers may.
    fn escaped_string(text: &str) -> String {
        let mut out = String::from('"');
        for c in text.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                c if c < ' ' || c == '/' || !c.is_ascii() => {
                    let mut units = [0u16; 2];
                    for unit in c.encode_utf16(&mut units) {
                        let _ = write!(out, "\\u{unit:04X}");
                    }
                }
                c => out.push(c),
            }
        }
        out.push('"');
        out
    }

    proptest::proptest! {
        /// The flat rewrite gives exactly what reading the text whole and
        /// writing it canonically gives, whatever the order of the keys, a
        /// key given twice, the white space and the escapes.
        #[test]
        fn a_flat_object_is_rewritten_as_reading_it_whole_would(
            pairs in proptest::collection::vec(("[a-e]{1,2}|\\PC{1,4}", scalar()), 0..12),
            spaced in proptest::bool::ANY,
            escaped in proptest::bool::ANY,
        ) {
            let gap = if spaced { " \n\t" } else { "" };
            let written: Vec<String> = pairs
                .iter()
                .map(|(key, value)| {
                    let value = match (value, escaped) {
                        (Value::String(text), true) => escaped_string(text),
                        (value, _) => value.to_string(),
                    };
                    format!("{gap}{}{gap}:{gap}{value}{gap}", serde_json::to_string(key).unwrap())
                })
                .collect();
            let text = format!("{gap}{{{}}}{gap}", written.join(","));
            let whole: Value = serde_json::from_str(&text).unwrap();
            proptest::prop_assert_eq!(canonical_text(&text).unwrap(), canonical(&whole));
        }

        /// The same for the row images SQLite's `json_object` writes.
        #[test]
        fn a_row_image_from_sqlite_is_rewritten_as_reading_it_whole_would(
            text in "\\PC{0,12}|[\\x00-\\x7f]{0,12}",
            integer in proptest::prelude::any::<i64>(),
            real in proptest::strategy::Strategy::prop_filter(
                proptest::prelude::any::<f64>(), "finite", |f| f.is_finite()
            ),
        ) {
            let conn = rusqlite::Connection::open_in_memory().unwrap();
            let image: String = conn
                .query_row(
                    "SELECT json_object('z', ?1, 'id', ?2, 'a', ?3, 'third', 100.0 / 3, 'none', NULL, 'big', 1e20)",
                    rusqlite::params![text, integer, real],
                    |r| r.get(0),
                )
                .unwrap();
            let whole: Value = serde_json::from_str(&image).unwrap();
            proptest::prop_assert_eq!(canonical_text(&image).unwrap(), canonical(&whole));
        }
    }

    #[test]
    fn text_that_is_not_a_flat_object_is_read_whole_and_bad_text_refused() {
        for text in [
            r#"{"b": {"y": 1, "x": [2, {"d": 0, "c": null}]}, "a": 1.50}"#,
            r#"[3, {"b": 1, "a": 2}]"#,
            "\"just a string\"",
            "-0",
            r#"{"n": -0, "m": 007e0, "o": 1E+2}"#,
        ] {
            let whole: Value = match serde_json::from_str(text) {
                Ok(value) => value,
                Err(_) => {
                    assert!(canonical_text(text).is_err(), "{text}");
                    continue;
                }
            };
            assert_eq!(canonical_text(text).unwrap(), canonical(&whole), "{text}");
        }
        for bad in [
            "{",
            r#"{"a": 1,}"#,
            r#"{"a" 1}"#,
            "{\"a\": \"raw\u{1}control\"}",
            r#"{"a": "unterminated}"#,
            r#"{"a": 1} trailing"#,
            r#"{"a": nul}"#,
            r#"{"a": 1-2}"#,
            "",
        ] {
            assert!(canonical_text(bad).is_err(), "{bad:?} was accepted");
        }
    }

    #[test]
    fn canonical_json_sorts_keys_and_keeps_values_as_serde_json_writes_them() {
        let value = serde_json::json!({
            "b": [1, -2.5, 1e20, true, null, "tab\there \u{1} \"q\" \\ é"],
            "a": {"z": 0, "y": "ö"},
        });
        let mut sorted = serde_json::Map::new();
        sorted.insert("a".into(), serde_json::json!({"y": "ö", "z": 0}));
        sorted.insert("b".into(), value["b"].clone());
        assert_eq!(canonical(&value), serde_json::to_string(&sorted).unwrap());
    }

    #[test]
    fn a_number_sqlite_writes_with_fewer_digits_matches_and_a_change_to_it_is_found() {
        let dir = tempfile::tempdir().unwrap();
        let path = register(dir.path());
        let db = crate::Db::open(&path).unwrap();
        let first = "(SELECT min(rowid) FROM service)";
        db.with_tx(|tx| {
            tx.execute(
                &format!(
                    "UPDATE service SET sla_availability_percent = 100.0 / 3 WHERE rowid = {first}"
                ),
                [],
            )?;
            Ok(())
        })
        .unwrap();
        let (one, two) = both(&path);
        assert!(one.intact(), "{}", one.sentence());
        assert_eq!(one, two);

        let raw = SqliteConnection::open(&path).unwrap();
        raw.execute(
            &format!("UPDATE service SET sla_availability_percent = 100.0 / 3 + 1e-13 WHERE rowid = {first}"),
            [],
        )
        .unwrap();
        let (one, two) = both(&path);
        assert_eq!(one, two);
        assert!(
            matches!(one.row_mismatches.as_slice(), [m] if m.table == "service" && m.reason.contains("changed outside Tillit")),
            "{:?}",
            one.row_mismatches
        );
    }

    #[test]
    fn a_second_reader_is_used_only_in_the_same_snapshot() {
        let dir = tempfile::tempdir().unwrap();
        let path = register(dir.path());
        let raw = SqliteConnection::open(&path).unwrap();
        let conn = Connection::over_sqlite(&raw);
        conn.execute_batch("BEGIN").unwrap();
        let seen = head(&conn).unwrap();
        let reader = || crate::store::open_reader(path.to_str().unwrap()).unwrap();
        assert!(same_snapshot(reader(), seen.as_ref()).unwrap().is_some());

        // Another program appends an entry after this snapshot was taken.
        let writer = SqliteConnection::open(&path).unwrap();
        writer
            .execute(
                "INSERT INTO audit_log (seq, at, actor, action, entity, entity_id, hash)
                 SELECT seq + 1, at, actor, action, entity, entity_id, hash
                 FROM audit_log ORDER BY seq DESC LIMIT 1",
                [],
            )
            .unwrap();
        assert!(same_snapshot(reader(), seen.as_ref()).unwrap().is_none());
        assert_eq!(head(&conn).unwrap(), seen, "the snapshot itself holds");
    }

    #[test]
    fn two_stretches_at_once_find_what_one_pass_finds() {
        let dir = tempfile::tempdir().unwrap();
        let path = register(dir.path());
        let (one, two) = both(&path);
        assert!(one.intact(), "{}", one.sentence());
        assert!(one.entries > 1_000, "only {} entries", one.entries);
        assert_eq!(one, two);

        let raw = SqliteConnection::open(&path).unwrap();
        let last: i64 = raw
            .query_row("SELECT max(seq) FROM audit_log", [], |r| r.get(0))
            .unwrap();
        // An entry changed in the second stretch, then one in the first; a
        // row changed outside Tillit; an entry removed.
        for (sql, seq) in [
            (
                "UPDATE audit_log SET actor = 'mallory' WHERE seq = ?1",
                last * 3 / 4,
            ),
            (
                "UPDATE audit_log SET at = '2020-01-01T00:00:00.000Z' WHERE seq = ?1",
                last / 4,
            ),
            ("UPDATE supplier SET notes = 'changed' WHERE rowid = ?1", 3),
            ("DELETE FROM audit_log WHERE seq = ?1", last / 8),
        ] {
            raw.execute(sql, [seq]).unwrap();
            let (one, two) = both(&path);
            assert!(!one.intact(), "{sql} went unnoticed");
            assert_eq!(one, two, "after {sql}");
        }
    }
}
