//! The audit trail as people read it (DOMAIN §9): its entries, filtered and
//! paged, and the record of every export. How the trail is written and
//! checked (every change appended in the same transaction, hashed in a
//! chain, compared with the tables) is the store's: [`crate::store::trail`].

pub(crate) mod log;

pub use crate::store::trail::{
    anchor_holds, anchor_text, append, canonical, digest_hex, head, read_anchors, sha256_hex,
    verify, Action, Anchor, CanonicalChange, Chain, Change, Discrepancy, Mismatch, RowMismatch,
    Verification,
};
pub use log::{about, entries, LogEntry, LogFilter, LogPage};

use crate::error::Result;
use serde_json::Value;

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
    record_export_of(db, document, entity_id, details, &sha256, bytes.len())?;
    Ok(sha256)
}

/// [`record_export`] of a file whose SHA-256 and size are already known
/// (computed while it was written).
pub fn record_export_of(
    db: &crate::Db,
    document: &str,
    entity_id: &str,
    details: Value,
    sha256: &str,
    bytes: usize,
) -> Result<()> {
    let mut after = serde_json::json!({ "sha256": sha256, "bytes": bytes });
    if let (Some(after), Value::Object(details)) = (after.as_object_mut(), details) {
        after.extend(details);
    }
    db.write(crate::access::Permission::Export, |tx| {
        tx.note(Action::Export, document, entity_id, Some(after))
    })?;
    Ok(())
}
