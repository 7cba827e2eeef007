//! Personal signing keys and signatures (DOMAIN §7). Each person has an
//! Ed25519 key, kept sealed by a key derived from their password (Argon2id,
//! ChaCha20-Poly1305); it is unsealed at sign-in and held only in memory for
//! the session. Decisions, escalation resolutions, withdrawals and
//! reopenings, rule-set versions and a user's roles are signed by the person
//! who makes them, over the SHA-256 fingerprint of the record's signed
//! columns. [`check`] verifies every signature against the public keys the
//! database knows, and each key against the administrator who vouched for it,
//! so an edited record, a signature by an unknown key or a forged key is named.

use super::trail::{self, Discrepancy};
use crate::error::{Error, Result};
use crate::store::sql::{params_from_iter, Connection, OptionalExtension, Scope};
use argon2::Argon2;
use chacha20poly1305::aead::Aead;
use chacha20poly1305::{ChaCha20Poly1305, KeyInit, Nonce};
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use ts_rs::TS;

/// The records that are signed: what a signature's subject names, where the
/// record is, and which of its columns the signature covers (not those that
/// a later, separately signed act changes, such as an approval's voiding).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Approval,
    Resolution,
    Event,
    RuleSet,
    Roles,
    /// The closing of an approval's condition.
    Closure,
}

impl Kind {
    pub const ALL: [Kind; 6] = [
        Kind::Approval,
        Kind::Resolution,
        Kind::Event,
        Kind::RuleSet,
        Kind::Roles,
        Kind::Closure,
    ];

    /// The subject's prefix: `approval:<id>`.
    pub fn prefix(self) -> &'static str {
        match self {
            Kind::Approval => "approval",
            Kind::Resolution => "resolution",
            Kind::Event => "event",
            Kind::RuleSet => "rule_set",
            Kind::Roles => "roles",
            Kind::Closure => "closure",
        }
    }

    fn table(self) -> &'static str {
        match self {
            Kind::Approval => "approval",
            Kind::Resolution => "assessment",
            Kind::Event => "assessment_event",
            Kind::RuleSet => "rule_set",
            Kind::Roles => "app_user",
            Kind::Closure => "condition_closure",
        }
    }

    fn key(self) -> &'static str {
        match self {
            Kind::RuleSet => "version",
            _ => "id",
        }
    }

    fn columns(self) -> &'static [&'static str] {
        match self {
            Kind::Approval => &[
                "id",
                "assessment_id",
                "decided_by",
                "decider_name",
                "capacity",
                "decision",
                "conditions",
                "fingerprint",
                "decided_at",
            ],
            Kind::Resolution => &["id", "resolution"],
            Kind::Event => &[
                "id",
                "assessment_id",
                "kind",
                "reason",
                "actor",
                "at",
                "voided_decision",
            ],
            Kind::RuleSet => &["version", "content", "note", "created_by", "created_at"],
            Kind::Roles => &["id", "username", "roles", "active"],
            Kind::Closure => &[
                "id",
                "approval_id",
                "position",
                "closed_by",
                "closed_by_name",
                "closed_at",
                "note",
            ],
        }
    }

    fn only(self) -> &'static str {
        match self {
            Kind::Resolution => "resolution IS NOT NULL",
            _ => "TRUE",
        }
    }

    /// The column naming the user whose key must have signed, if any.
    fn signer_column(self) -> Option<&'static str> {
        match self {
            Kind::Approval => Some("decided_by"),
            Kind::Closure => Some("closed_by"),
            _ => None,
        }
    }

    fn select(self, conn: &Connection, filter: &str) -> String {
        let pairs: Vec<String> = self
            .columns()
            .iter()
            .map(|c| format!("'{c}', \"{c}\""))
            .collect();
        format!(
            "SELECT CAST(\"{}\" AS TEXT), {}, {} FROM \"{}\" WHERE {} AND {filter}",
            self.key(),
            conn.json_object(&pairs.join(", ")),
            self.signer_column().unwrap_or("NULL"),
            self.table(),
            self.only()
        )
    }
}

/// The subject a signature names.
pub fn subject(kind: Kind, id: &str) -> String {
    format!("{}:{id}", kind.prefix())
}

/// A signature to verify, with what it names.
struct Check {
    subject: String,
    key_id: String,
    message: Vec<u8>,
    signature: Signature,
    public: VerifyingKey,
}

/// The SHA-256 of a record's signed columns (canonical JSON).
fn fingerprint_of(json: &str) -> Result<String> {
    let value: serde_json::Value = serde_json::from_str(json)
        .map_err(|e| Error::Internal(format!("a signed record is not JSON: {e}")))?;
    Ok(trail::sha256_hex(trail::canonical(&value).as_bytes()))
}

/// The fingerprint of one record as it is now; `None` when it is not there.
pub fn fingerprint(conn: &Connection, kind: Kind, id: &str) -> Result<Option<String>> {
    let json: Option<String> = conn
        .prepare_cached(&kind.select(conn, &format!("CAST(\"{}\" AS TEXT) = ?1", kind.key())))?
        .query_row([id], |r| r.get(1))
        .optional()?;
    json.as_deref().map(fingerprint_of).transpose()
}

/// What a signature signs: its subject and the record's fingerprint.
fn message(subject: &str, fingerprint: &str) -> Vec<u8> {
    format!("tillit signature v1\n{subject}\n{fingerprint}").into_bytes()
}

/// What a key's certificate signs: the key, its owner and when it was made.
fn statement(id: &str, user_id: &str, public_key: &str, created_at: &str) -> Vec<u8> {
    format!("tillit key v1\n{id}\n{user_id}\n{public_key}\n{created_at}").into_bytes()
}

/// A key's id: the first 16 hexadecimal digits of its public key's SHA-256.
pub fn key_id(public: &VerifyingKey) -> String {
    trail::sha256_hex(public.as_bytes())[..16].to_owned()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).ok())
        .collect()
}

/// Whether `signature` (128 hexadecimal digits) is `public`'s over `message`.
fn verifies(public: &VerifyingKey, message: &[u8], signature: &str) -> bool {
    unhex(signature)
        .and_then(|b| <[u8; 64]>::try_from(b).ok())
        .is_some_and(|b| public.verify(message, &Signature::from_bytes(&b)).is_ok())
}

/// A public key from its 64 hexadecimal digits.
pub fn public_key(text: &str) -> Option<VerifyingKey> {
    let bytes: [u8; 32] = unhex(text)?.try_into().ok()?;
    VerifyingKey::from_bytes(&bytes).ok()
}

/// An unsealed signing key, held in memory for a session.
#[derive(Clone)]
pub struct Key {
    id: String,
    key: SigningKey,
}

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Key").field("id", &self.id).finish()
    }
}

impl Key {
    /// A key from 32 secret bytes.
    pub fn from_secret(secret: [u8; 32]) -> Key {
        let key = SigningKey::from_bytes(&secret);
        Key {
            id: key_id(&key.verifying_key()),
            key,
        }
    }

    pub fn id(&self) -> &str {
        &self.id
    }

    /// The public key as 64 hexadecimal digits.
    pub fn public_hex(&self) -> String {
        hex(self.key.verifying_key().as_bytes())
    }

    fn sign(&self, message: &[u8]) -> String {
        hex(&self.key.sign(message).to_bytes())
    }

    /// The key sealed with `password`: the salt, then the secret encrypted
    /// under the key Argon2id derives from the password and that salt (a
    /// new salt each time, so each sealing key encrypts once).
    pub fn seal(&self, password: &str, salt: [u8; 16]) -> Result<String> {
        let cipher = ChaCha20Poly1305::new(&sealing_key(password, &salt)?.into());
        let sealed = cipher
            .encrypt(&Nonce::default(), self.key.to_bytes().as_slice())
            .map_err(|_| Error::Internal("cannot seal a signing key".into()))?;
        Ok(format!("{}{}", hex(&salt), hex(&sealed)))
    }

    /// The key sealed by [`Key::seal`]; `None` when the password does not open it.
    pub fn unseal(password: &str, sealed: &str) -> Result<Option<Key>> {
        let bytes = unhex(sealed)
            .filter(|b| b.len() > 16)
            .ok_or_else(|| Error::Internal("a sealed signing key cannot be read".into()))?;
        let (salt, sealed) = bytes.split_at(16);
        let salt: [u8; 16] = salt
            .try_into()
            .map_err(|_| Error::Internal("a sealed signing key cannot be read".into()))?;
        let cipher = ChaCha20Poly1305::new(&sealing_key(password, &salt)?.into());
        let Ok(secret) = cipher.decrypt(&Nonce::default(), sealed) else {
            return Ok(None);
        };
        let secret: [u8; 32] = secret
            .try_into()
            .map_err(|_| Error::Internal("a sealed signing key cannot be read".into()))?;
        Ok(Some(Key::from_secret(secret)))
    }
}

fn sealing_key(password: &str, salt: &[u8; 16]) -> Result<[u8; 32]> {
    let mut key = [0u8; 32];
    Argon2::default()
        .hash_password_into(password.as_bytes(), salt, &mut key)
        .map_err(|e| Error::Internal(format!("cannot derive a sealing key: {e}")))?;
    Ok(key)
}

/// Whether the schema has signatures (only tests write to older schemas).
pub fn applies(conn: &Connection) -> Result<bool> {
    Ok(conn.schema_version()? >= SIGNATURES_FROM)
}

/// Stores a new key of `user_id`, sealed (or, for a key known only by its
/// public half, not), vouched for by `certifier` (the key itself for a
/// person's first key when no administrator's key vouches for it).
pub fn store_key(
    conn: &Connection,
    user_id: &str,
    public_hex: &str,
    sealed: Option<&str>,
    created_at: &str,
    certifier: &Key,
) -> Result<String> {
    let public = public_key(public_hex)
        .ok_or_else(|| Error::Internal("a public key cannot be read".into()))?;
    let id = key_id(&public);
    if !applies(conn)? {
        return Ok(id);
    }
    let certificate = certifier.sign(&statement(&id, user_id, public_hex, created_at));
    conn.execute(
        "INSERT INTO signing_key (id, user_id, public_key, sealed, created_at, certified_by, certificate)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        rusqlite::params![id, user_id, public_hex, sealed, created_at, certifier.id, certificate],
    )?;
    Ok(id)
}

/// Retires every active key of `user_id` (kept to verify what it signed).
pub fn retire_keys(conn: &Connection, user_id: &str, at: &str) -> Result<()> {
    if !applies(conn)? {
        return Ok(());
    }
    conn.execute(
        "UPDATE signing_key SET retired_at = ?2 WHERE user_id = ?1 AND retired_at IS NULL",
        rusqlite::params![user_id, at],
    )?;
    Ok(())
}

/// The sealed active key of `user_id`, if they have one.
pub fn sealed_key(conn: &Connection, user_id: &str) -> Result<Option<String>> {
    if !applies(conn)? {
        return Ok(None);
    }
    conn.query_row(
        "SELECT sealed FROM signing_key WHERE user_id = ?1 AND retired_at IS NULL
             AND sealed IS NOT NULL ORDER BY created_at DESC LIMIT 1",
        [user_id],
        |r| r.get(0),
    )
    .optional()
}

/// Signs the record `id` of `kind` as it is now with `key` (replacing an
/// earlier signature of the same subject, e.g. of a user's roles).
pub fn sign(conn: &Connection, kind: Kind, id: &str, key: &Key, at: &str) -> Result<()> {
    if !applies(conn)? {
        return Ok(());
    }
    let fingerprint = fingerprint(conn, kind, id)?
        .ok_or_else(|| Error::Internal(format!("there is no {} {id} to sign", kind.prefix())))?;
    let subject = subject(kind, id);
    let signature = key.sign(&message(&subject, &fingerprint));
    conn.prepare_cached(
        "INSERT INTO signature (subject, fingerprint, key_id, signature, signed_at)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (subject) DO UPDATE SET fingerprint = excluded.fingerprint,
             key_id = excluded.key_id, signature = excluded.signature, signed_at = excluded.signed_at",
    )?
    .execute(rusqlite::params![subject, fingerprint, key.id, signature, at])?;
    Ok(())
}

/// A signature as shown with the record it signs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, schemars::JsonSchema)]
pub struct SignatureInfo {
    /// The signed record's fingerprint (SHA-256, hex).
    pub fingerprint: String,
    /// The signature (Ed25519, 128 hexadecimal digits).
    pub signature: String,
    /// The signer's key id (the first 16 hex digits of the public key's SHA-256).
    pub key_id: String,
    /// The signer's public key (64 hexadecimal digits).
    pub public_key: String,
    pub signed_at: String,
}

/// The signature of a subject, with the signer's public key.
pub fn signature_of(conn: &Connection, kind: Kind, id: &str) -> Result<Option<SignatureInfo>> {
    if !applies(conn)? {
        return Ok(None);
    }
    Ok(conn
        .prepare_cached(&format!("{SIGNATURES} WHERE s.subject = ?1"))?
        .query_row([subject(kind, id)], signature_row)
        .optional()?
        .map(|(_, signature)| signature))
}

/// Signatures with their signers' public keys, as [`signature_row`] reads
/// them.
const SIGNATURES: &str =
    "SELECT s.subject, s.fingerprint, s.signature, s.key_id, k.public_key, s.signed_at
     FROM signature s JOIN signing_key k ON k.id = s.key_id";

/// A row of [`SIGNATURES`]: the subject and its signature.
fn signature_row(r: &crate::store::sql::Row<'_>) -> rusqlite::Result<(String, SignatureInfo)> {
    Ok((
        r.get(0)?,
        SignatureInfo {
            fingerprint: r.get(1)?,
            signature: r.get(2)?,
            key_id: r.get(3)?,
            public_key: r.get(4)?,
            signed_at: r.get(5)?,
        },
    ))
}

/// The signatures of the records of `kind` named by `ids`, by id: a query
/// each for a few records, a query naming them for a part of the register,
/// one query over every signature of the kind for more (a whole-register
/// read).
pub fn signatures_of(
    conn: &Connection,
    kind: Kind,
    ids: &[&str],
) -> Result<HashMap<String, SignatureInfo>> {
    const FEW: usize = 16;
    const NAMED: usize = 1000;
    let mut found = HashMap::new();
    if ids.is_empty() || !applies(conn)? {
        return Ok(found);
    }
    if ids.len() <= FEW {
        for id in ids {
            if let Some(signature) = signature_of(conn, kind, id)? {
                found.insert((*id).to_owned(), signature);
            }
        }
        return Ok(found);
    }
    let prefix = format!("{}:", kind.prefix());
    let mut take = |subject: String, signature| {
        if let Some(id) = subject.strip_prefix(&prefix) {
            found.insert(id.to_owned(), signature);
        }
    };
    if ids.len() <= NAMED {
        let named = Scope::Among(ids.iter().map(|id| subject(kind, id)).collect());
        let mut statement =
            conn.prepare_cached(&format!("{SIGNATURES} {}", named.filter("s.subject")))?;
        for row in statement.query_map(params_from_iter(named.params()), signature_row)? {
            let (subject, signature) = row?;
            take(subject, signature);
        }
        return Ok(found);
    }
    // Every subject "kind:…" (compared as text, whatever the collation;
    // the prefix is one of the fixed words of `Kind`).
    let mut statement = conn.prepare_cached(&format!(
        "{SIGNATURES} WHERE substr(s.subject, 1, {}) = '{prefix}'",
        prefix.len()
    ))?;
    for row in statement.query_map([], signature_row)? {
        let (subject, signature) = row?;
        take(subject, signature);
    }
    Ok(found)
}

/// What the upgrade to signatures found already there: the records made
/// before signing existed, with their fingerprints, and the users who had no
/// key yet (their first key vouches for itself). Kept in the trail's marker
/// of that migration, so it is as tamper-evident as the rest of the chain.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unsigned {
    pub records: BTreeMap<String, String>,
    pub users: Vec<String>,
    /// The marker's own entry: the entries up to it were written before
    /// writes were sealed.
    #[serde(skip)]
    pub until: Option<i64>,
}

impl Unsigned {
    /// Every signable record and every user, as they are in `conn` now.
    pub fn found(conn: &Connection) -> Result<Unsigned> {
        let mut records = BTreeMap::new();
        for kind in Kind::ALL {
            for (id, json, _) in rows(conn, kind)? {
                records.insert(subject(kind, &id), fingerprint_of(&json)?);
            }
        }
        let users = conn
            .prepare("SELECT id FROM app_user ORDER BY id")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(Unsigned {
            records,
            users,
            until: None,
        })
    }

    /// As the migration's marker recorded it (empty for a database created
    /// with signatures).
    fn recorded(conn: &Connection) -> Result<Unsigned> {
        let marker: Option<(i64, Option<String>)> = conn
            .query_row(
                "SELECT seq, after FROM audit_log WHERE action = 'migrate' AND entity = 'schema'
                 AND entity_id = ?1 ORDER BY seq LIMIT 1",
                [SIGNATURES_FROM.to_string()],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let Some((seq, Some(after))) = marker else {
            return Ok(Unsigned::default());
        };
        let value: serde_json::Value = serde_json::from_str(&after)
            .map_err(|e| Error::Internal(format!("a migration's entry is not JSON: {e}")))?;
        let mut unsigned: Unsigned = value
            .get("unsigned")
            .cloned()
            .map(serde_json::from_value)
            .transpose()
            .map_err(|e| Error::Internal(format!("a migration's entry cannot be read: {e}")))?
            .unwrap_or_default();
        unsigned.until = Some(seq);
        Ok(unsigned)
    }
}

/// The schema version that brought signatures.
pub const SIGNATURES_FROM: u32 = 9;

type Row = (String, String, Option<String>);

fn rows(conn: &Connection, kind: Kind) -> Result<Vec<Row>> {
    Ok(conn
        .prepare(&kind.select(conn, "TRUE"))?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?)
}

#[derive(Debug)]
struct StoredKey {
    user_id: String,
    public: Option<VerifyingKey>,
    public_hex: String,
    created_at: String,
    certified_by: String,
    certificate: String,
}

/// What [`check_records`] found about the keys, for [`check_seals`].
#[derive(Debug)]
pub struct Trust {
    keys: HashMap<String, StoredKey>,
    trusted: HashMap<String, bool>,
    /// The entries up to this one were written before writes were sealed.
    until: i64,
    applies: bool,
}

/// Verifies every key's certificate and every signed record's signature;
/// returns what does not hold, keys first, then records by subject, and
/// what it learnt of the keys, to check the seals after the chain.
pub fn check_records(conn: &Connection) -> Result<(Vec<Discrepancy>, Trust)> {
    if !applies(conn)? {
        let trust = Trust {
            keys: HashMap::new(),
            trusted: HashMap::new(),
            until: 0,
            applies: false,
        };
        return Ok((Vec::new(), trust));
    }
    let unsigned = Unsigned::recorded(conn)?;
    let mut problems = Vec::new();
    let mut keys: HashMap<String, StoredKey> = HashMap::new();
    let mut order = Vec::new();
    {
        let mut statement = conn.prepare(
            "SELECT id, user_id, public_key, created_at, certified_by, certificate
             FROM signing_key ORDER BY created_at, id",
        )?;
        let mut rows = statement.query([])?;
        while let Some(row) = rows.next()? {
            let id: String = row.get(0)?;
            let public_hex: String = row.get(2)?;
            order.push(id.clone());
            keys.insert(
                id,
                StoredKey {
                    user_id: row.get(1)?,
                    public: public_key(&public_hex),
                    public_hex,
                    created_at: row.get(3)?,
                    certified_by: row.get(4)?,
                    certificate: row.get(5)?,
                },
            );
        }
    }
    // Keys are checked once the key that vouched for them is: the order
    // they were stored in is not kept by the file (a vacuum renumbers it).
    // Only the first administrator's key (the earliest that vouches for
    // itself) and the first key of a person who had none before signatures
    // vouch for themselves.
    let legacy = |id: &String| {
        let key = &keys[id];
        unsigned.users.contains(&key.user_id)
            && order
                .iter()
                .find(|other| keys[*other].user_id == key.user_id)
                .is_some_and(|first| first == id)
    };
    let root = order
        .iter()
        .find(|id| keys[*id].certified_by == **id && !legacy(id));
    let mut trusted: HashMap<&str, bool> = HashMap::new();
    let mut pending: Vec<&String> = order.iter().collect();
    loop {
        let before = pending.len();
        let mut waiting = Vec::new();
        for id in pending {
            let key = &keys[id];
            let problem = |reason: &str| Discrepancy::new(format!("key:{id}"), reason);
            let Some(public) = key.public else {
                problems.push(problem("its public key cannot be read"));
                trusted.insert(id.as_str(), false);
                continue;
            };
            if key_id(&public) != *id {
                problems.push(problem("its id is not its public key's"));
                trusted.insert(id.as_str(), false);
                continue;
            }
            let message = statement(id, &key.user_id, &key.public_hex, &key.created_at);
            let vouched = if key.certified_by == *id {
                if root == Some(id) || legacy(id) {
                    verifies(&public, &message, &key.certificate)
                } else {
                    problems.push(problem("it vouches for itself, and no administrator vouched for it: it was added outside Tillit"));
                    trusted.insert(id.as_str(), false);
                    continue;
                }
            } else {
                match (
                    keys.get(&key.certified_by).and_then(|k| k.public),
                    trusted.get(key.certified_by.as_str()),
                ) {
                    (Some(certifier), Some(true)) => {
                        verifies(&certifier, &message, &key.certificate)
                    }
                    (Some(_), None) => {
                        waiting.push(id);
                        continue;
                    }
                    _ => {
                        problems.push(problem(&format!(
                            "it is vouched for by key {}, which the database does not hold as valid",
                            key.certified_by
                        )));
                        trusted.insert(id.as_str(), false);
                        continue;
                    }
                }
            };
            if !vouched {
                problems.push(problem(
                    "its certificate does not verify: the key or its owner was changed outside Tillit",
                ));
            }
            trusted.insert(id.as_str(), vouched);
        }
        if waiting.is_empty() {
            break;
        }
        if waiting.len() == before {
            // Keys that vouch for each other in a circle, none rooted.
            for id in waiting {
                problems.push(Discrepancy::new(
                    format!("key:{id}"),
                    format!(
                        "it is vouched for by key {}, which the database does not hold as valid",
                        keys[id].certified_by
                    ),
                ));
            }
            break;
        }
        pending = waiting;
    }

    let mut signatures: HashMap<String, (String, String, String)> = HashMap::new();
    {
        let mut statement =
            conn.prepare("SELECT subject, fingerprint, key_id, signature FROM signature")?;
        let mut rows = statement.query([])?;
        while let Some(row) = rows.next()? {
            signatures.insert(row.get(0)?, (row.get(1)?, row.get(2)?, row.get(3)?));
        }
    }
    let mut record_problems = Vec::new();
    let mut checks = Vec::new();
    for kind in Kind::ALL {
        for (id, json, signer) in rows(conn, kind)? {
            let subject = subject(kind, &id);
            let fingerprint = fingerprint_of(&json)?;
            let problem = |reason: String| Discrepancy::new(subject.clone(), reason);
            let Some((signed, key_id, signature)) = signatures.get(&subject) else {
                match unsigned.records.get(&subject) {
                    Some(before) if *before == fingerprint => {}
                    Some(_) => record_problems.push(problem(
                        "it was made before signatures and has changed since: it was changed outside Tillit".into(),
                    )),
                    None => record_problems.push(problem(
                        "it is not signed: it was made or changed outside Tillit".into(),
                    )),
                }
                continue;
            };
            let Some(key) = keys.get(key_id) else {
                record_problems.push(problem(format!(
                    "it is signed by key {key_id}, which the database does not know"
                )));
                continue;
            };
            if *signed != fingerprint {
                record_problems.push(problem(
                    "its content changed after it was signed: it was changed outside Tillit".into(),
                ));
                continue;
            }
            let bytes = unhex(signature).and_then(|b| <[u8; 64]>::try_from(b).ok());
            let (Some(public), Some(bytes)) = (key.public, bytes) else {
                record_problems.push(problem(format!(
                    "its signature does not verify against key {key_id}: it was forged"
                )));
                continue;
            };
            if trusted.get(key_id.as_str()) != Some(&true) {
                record_problems.push(problem(format!(
                    "it is signed by key {key_id}, which no administrator vouched for"
                )));
            } else if signer.as_ref().is_some_and(|user| *user != key.user_id) {
                record_problems.push(problem(format!(
                    "it is signed by key {key_id}, which is not the key of the person it names"
                )));
            }
            let message = message(&subject, signed);
            checks.push(Check {
                subject,
                key_id: key_id.clone(),
                message,
                signature: Signature::from_bytes(&bytes),
                public,
            });
        }
    }
    // The signatures in one batch; only when it fails, one by one, to name
    // those that do not verify.
    let messages: Vec<&[u8]> = checks.iter().map(|c| c.message.as_slice()).collect();
    let signatures: Vec<Signature> = checks.iter().map(|c| c.signature).collect();
    let publics: Vec<VerifyingKey> = checks.iter().map(|c| c.public).collect();
    if ed25519_dalek::verify_batch(&messages, &signatures, &publics).is_err() {
        for check in &checks {
            if check
                .public
                .verify(&check.message, &check.signature)
                .is_err()
            {
                record_problems.push(Discrepancy::new(
                    check.subject.clone(),
                    format!(
                        "its signature does not verify against key {}: it was forged",
                        check.key_id
                    ),
                ));
            }
        }
    }
    record_problems.sort_by(|a, b| a.subject.cmp(&b.subject));
    problems.extend(record_problems);
    let trusted = trusted
        .into_iter()
        .map(|(id, valid)| (id.to_owned(), valid))
        .collect();
    let trust = Trust {
        keys,
        trusted,
        until: unsigned.until.unwrap_or(0),
        applies: true,
    };
    Ok((problems, trust))
}

/// Each person's writes, sealed with their key (those before signatures
/// existed are not): the seal of every run of entries in a person's name.
pub fn check_seals(
    conn: &Connection,
    runs: &[trail::Run],
    trust: &Trust,
) -> Result<Vec<Discrepancy>> {
    if !trust.applies {
        return Ok(Vec::new());
    }
    let Trust {
        keys,
        trusted,
        until: from,
        ..
    } = trust;
    let from = *from;
    let mut problems = Vec::new();
    let people: HashMap<String, String> = conn
        .prepare("SELECT username, id FROM app_user")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut seals =
        conn.prepare_cached("SELECT key_id, signature FROM trail_seal WHERE seq = ?1")?;
    for run in runs {
        let Some((seq, hash)) = run.sealed.as_ref().filter(|(seq, _)| *seq > from) else {
            continue;
        };
        let hash = std::str::from_utf8(hash).unwrap_or_default();
        let problem = |reason: String| Discrepancy::new(format!("entry {seq}"), reason);
        let seal: Option<(String, String)> = seals
            .query_row([seq], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        let Some((key_id, signature)) = seal else {
            problems.push(problem(format!(
                "it is written in the name of {}, but not sealed with their key: it was added outside Tillit",
                run.actor
            )));
            continue;
        };
        let owner = keys.get(&key_id).map(|k| &k.user_id);
        if owner.is_none() || owner != people.get(&run.actor) {
            problems.push(problem(format!(
                "it is written in the name of {}, but sealed with key {key_id}, which is not theirs",
                run.actor
            )));
        } else if trusted.get(&key_id) != Some(&true)
            || !keys[&key_id]
                .public
                .is_some_and(|public| verifies(&public, &seal_message(*seq, hash), &signature))
        {
            problems.push(problem(format!(
                "its seal by {} does not verify: the trail was rewritten",
                run.actor
            )));
        }
    }
    Ok(problems)
}

/// What a seal signs: an entry's sequence number and hash.
fn seal_message(seq: i64, hash: &str) -> Vec<u8> {
    format!("tillit seal v1\n{seq}\n{hash}").into_bytes()
}

/// Seals the trail's head with `key` when the transaction appended entries
/// after `before` (the head's sequence number when it began).
pub fn seal(conn: &Connection, before: i64, key: &Key) -> Result<()> {
    let head: Option<(i64, String)> = conn
        .prepare_cached("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let Some((seq, hash)) = head.filter(|(seq, _)| *seq > before) else {
        return Ok(());
    };
    if !applies(conn)? {
        return Ok(());
    }
    conn.prepare_cached("INSERT INTO trail_seal (seq, key_id, signature) VALUES (?1, ?2, ?3)")?
        .execute(rusqlite::params![
            seq,
            key.id,
            key.sign(&seal_message(seq, &hash))
        ])?;
    Ok(())
}

/// A public key as a register file carries it: whose it is and when it
/// was made, so the signatures in the file can be checked where it is
/// imported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, schemars::JsonSchema)]
pub struct KeyRecord {
    pub id: String,
    /// The person's user id in the database that made the file.
    pub user_id: String,
    pub username: String,
    pub name: String,
    /// 64 hexadecimal digits (Ed25519).
    pub public_key: String,
    pub created_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retired_at: Option<String>,
}

/// The keys that signed the decisions, resolutions, withdrawals and
/// reopenings of the register, by id.
pub fn keys_of_records(conn: &Connection) -> Result<Vec<KeyRecord>> {
    if !applies(conn)? {
        return Ok(Vec::new());
    }
    Ok(conn
        .prepare(
            "SELECT k.id, k.user_id, coalesce(u.username, ''), coalesce(u.display_name, ''),
                    k.public_key, k.created_at, k.retired_at
             FROM signing_key k LEFT JOIN app_user u ON u.id = k.user_id
             WHERE k.id IN (SELECT key_id FROM signature WHERE subject LIKE 'approval:%'
                            OR subject LIKE 'event:%' OR subject LIKE 'resolution:%'
                            OR subject LIKE 'closure:%')
             ORDER BY k.id",
        )?
        .query_map([], |r| {
            Ok(KeyRecord {
                id: r.get(0)?,
                user_id: r.get(1)?,
                username: r.get(2)?,
                name: r.get(3)?,
                public_key: r.get(4)?,
                created_at: r.get(5)?,
                retired_at: r.get(6)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?)
}

/// Whether the database holds the key `record` names, with that public key:
/// `Some(true)` it does, `Some(false)` it holds another key under that id,
/// `None` it does not know it.
pub fn knows(conn: &Connection, record: &KeyRecord) -> Result<Option<bool>> {
    let stored: Option<String> = conn
        .query_row(
            "SELECT public_key FROM signing_key WHERE id = ?1",
            [&record.id],
            |r| r.get(0),
        )
        .optional()?;
    Ok(stored.map(|public| public == record.public_key))
}

/// Takes over a key from a register file, known only by its public half,
/// vouched for by `certifier` (the administrator importing it). Refused
/// when its id is not its public key's.
pub fn adopt_key(
    conn: &Connection,
    record: &KeyRecord,
    certifier: &Key,
) -> std::result::Result<(), String> {
    let Some(public) = public_key(&record.public_key) else {
        return Err("its public key is not an Ed25519 key".into());
    };
    if key_id(&public) != record.id {
        return Err("its id is not its public key's".into());
    }
    let certificate = certifier.sign(&statement(
        &record.id,
        &record.user_id,
        &record.public_key,
        &record.created_at,
    ));
    conn.execute(
        "INSERT INTO signing_key (id, user_id, public_key, sealed, created_at, retired_at, certified_by, certificate)
         VALUES (?1, ?2, ?3, NULL, ?4, ?5, ?6, ?7)",
        rusqlite::params![
            record.id,
            record.user_id,
            record.public_key,
            record.created_at,
            record.retired_at,
            certifier.id,
            certificate
        ],
    )
    .map_err(|e| e.to_string())?;
    Ok(())
}

/// Keeps a signature that came with a record from a register file, after
/// checking it: the key is one the database knows, the record as stored
/// now is what was signed, the signature verifies, and (for a decision) the
/// key is the decider's. Returns why not, for the import to name.
pub fn adopt_signature(
    conn: &Connection,
    kind: Kind,
    id: &str,
    signature: Option<&SignatureInfo>,
) -> Result<std::result::Result<(), String>> {
    let Some(signature) = signature else {
        return Ok(Err(
            "it carries no signature: only signed decisions, resolutions, withdrawals, reopenings and closed conditions are taken over"
                .into(),
        ));
    };
    let key: Option<(String, String)> = conn
        .query_row(
            "SELECT user_id, public_key FROM signing_key WHERE id = ?1",
            [&signature.key_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((owner, public_hex)) = key.filter(|(_, p)| *p == signature.public_key) else {
        return Ok(Err(format!(
            "it is signed by key {}, which the database does not know (the file's keys list it, or an administrator imports it)",
            signature.key_id
        )));
    };
    let Some(fingerprint) = fingerprint(conn, kind, id)? else {
        return Ok(Err("the signed record is missing".into()));
    };
    if fingerprint != signature.fingerprint {
        return Ok(Err(
            "its content is not what was signed: it was changed after it was signed".into(),
        ));
    }
    let subject = subject(kind, id);
    let valid = public_key(&public_hex).is_some_and(|public| {
        verifies(
            &public,
            &message(&subject, &fingerprint),
            &signature.signature,
        )
    });
    if !valid {
        return Ok(Err(format!(
            "its signature does not verify against key {}: it was forged",
            signature.key_id
        )));
    }
    if let Some(column) = kind.signer_column() {
        let named: String = conn.query_row(
            &format!(
                "SELECT {column} FROM \"{}\" WHERE CAST(\"{}\" AS TEXT) = ?1",
                kind.table(),
                kind.key()
            ),
            [id],
            |r| r.get(0),
        )?;
        if named != owner {
            return Ok(Err(format!(
                "it is signed by key {}, which is not the key of the person it names",
                signature.key_id
            )));
        }
    }
    conn.execute(
        "INSERT INTO signature (subject, fingerprint, key_id, signature, signed_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        rusqlite::params![subject, fingerprint, signature.key_id, signature.signature, signature.signed_at],
    )?;
    Ok(Ok(()))
}
