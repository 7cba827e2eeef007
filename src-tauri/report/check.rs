//! `tillit report verify FILE.pdf` (DOMAIN §9): whether a PDF was issued by
//! this database, when, by whom and about what, and whether its bytes are
//! the ones recorded. Every saved report is recorded in the audit trail
//! with the SHA-256 of its bytes and its content fingerprint; the PDF's
//! trailer carries the fingerprint's first 32 digits as its identifier, so
//! a changed file is still recognised as the report it was.

use crate::error::Result;
use crate::store::sql::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The largest file read (a report is a few hundred kilobytes).
const MAX_BYTES: u64 = 256 * 1024 * 1024;

/// What the trail says of a report file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ReportCheck {
    /// The SHA-256 of the file as it is.
    pub sha256: String,
    /// The export that issued it (or the report it claims to be).
    pub issued: Option<Issue>,
    /// Whether the bytes are exactly the ones issued.
    pub unchanged: bool,
}

/// A report's export as the trail recorded it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Issue {
    /// The trail entry that recorded it.
    pub seq: i64,
    /// When (UTC).
    pub at: String,
    /// Who issued it: their name (and user name).
    pub by: String,
    /// `assessment`, `register` or `summary`.
    pub report: String,
    /// The supplier an assessment report is about.
    pub supplier: Option<String>,
    /// The SHA-256 the trail recorded.
    pub sha256: String,
}

/// Checks the PDF at `path` against the trail of `conn`.
pub fn check(conn: &Connection, path: &std::path::Path) -> Result<ReportCheck> {
    check_bytes(conn, &crate::files::read_limited(path, MAX_BYTES)?)
}

/// Checks a PDF's bytes against the trail of `conn`.
pub fn check_bytes(conn: &Connection, bytes: &[u8]) -> Result<ReportCheck> {
    let sha256 = crate::audit::sha256_hex(bytes);
    let by_bytes = issue(conn, "json_extract(after, '$.sha256') = ?1", &sha256)?;
    if let Some(issued) = by_bytes {
        return Ok(ReportCheck {
            sha256,
            issued: Some(issued),
            unchanged: true,
        });
    }
    let claimed = match identifier(bytes) {
        Some(id) => issue(
            conn,
            "substr(json_extract(after, '$.fingerprint'), 1, 32) = ?1",
            &id,
        )?,
        None => None,
    };
    Ok(ReportCheck {
        sha256,
        issued: claimed,
        unchanged: false,
    })
}

/// The latest report export whose recorded `condition` holds for `value`.
fn issue(conn: &Connection, condition: &str, value: &str) -> Result<Option<Issue>> {
    conn.query_row(
        &format!(
            "SELECT l.seq, l.at, coalesce(u.display_name || ' (' || l.actor || ')', l.actor),
                        substr(l.entity, 8), s.legal_name, json_extract(l.after, '$.sha256')
                 FROM audit_log l
                 LEFT JOIN app_user u ON u.username = l.actor
                 LEFT JOIN supplier s ON s.id = l.entity_id
                 WHERE l.action = 'export' AND l.entity LIKE 'report.%' AND {condition}
                 ORDER BY l.seq DESC LIMIT 1"
        ),
        [value],
        |r| {
            Ok(Issue {
                seq: r.get(0)?,
                at: r.get(1)?,
                by: r.get(2)?,
                report: r.get(3)?,
                supplier: r.get(4)?,
                sha256: r.get(5)?,
            })
        },
    )
    .optional()
}

/// The document identifier in a PDF's trailer (`/ID[<hex>…`), as the text
/// Tillit wrote there; `None` when there is none or it cannot be read.
fn identifier(bytes: &[u8]) -> Option<String> {
    let at = bytes.windows(5).rposition(|w| w == b"/ID[<")? + 5;
    let hex: Vec<u8> = bytes[at..]
        .iter()
        .take_while(|b| b.is_ascii_hexdigit())
        .copied()
        .collect();
    if hex.is_empty() || !hex.len().is_multiple_of(2) || hex.len() > 128 {
        return None;
    }
    let text: Vec<u8> = hex
        .chunks(2)
        .map(|pair| u8::from_str_radix(std::str::from_utf8(pair).ok()?, 16).ok())
        .collect::<Option<_>>()?;
    let text = String::from_utf8(text).ok()?;
    text.bytes().all(|b| b.is_ascii_hexdigit()).then_some(text)
}

impl ReportCheck {
    /// The verdict in the user's words, and whether it is good.
    pub fn sentence(&self, language: crate::words::Language) -> (String, bool) {
        let say = |key: &str, params: &[(&str, String)]| crate::words::t(language, key, params);
        match &self.issued {
            Some(issue) => {
                let report =
                    crate::words::phrase(language, &format!("report.{}.title", issue.report))
                        .to_owned();
                let about = match &issue.supplier {
                    Some(name) => say(
                        "report.check.about_supplier",
                        &[("report", report), ("supplier", name.clone())],
                    ),
                    None => say("report.check.about", &[("report", report)]),
                };
                let params = [
                    ("about", about),
                    ("at", issue.at.clone()),
                    ("by", issue.by.clone()),
                    ("seq", issue.seq.to_string()),
                    ("sha256", self.sha256.clone()),
                    ("recorded", issue.sha256.clone()),
                ];
                if self.unchanged {
                    (say("report.check.unchanged", &params), true)
                } else {
                    (say("report.check.changed", &params), false)
                }
            }
            None => (
                say("report.check.unknown", &[("sha256", self.sha256.clone())]),
                false,
            ),
        }
    }
}
