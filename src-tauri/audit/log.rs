//! Reading the trail: the entries an auditor asks for, newest first, filtered
//! by entity, user and period.

use crate::error::Result;
use crate::store::sql::Connection;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Which entries to show. Empty text and `None` mean "any".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct LogFilter {
    /// The table the entry is about (`supplier`, `assessment`, `approval` …).
    pub entity: String,
    /// The id of one row (e.g. a supplier's id).
    pub entity_id: String,
    /// The user who made the change (username).
    pub actor: String,
    /// From this day (inclusive, UTC).
    pub from: Option<NaiveDate>,
    /// To this day (inclusive, UTC).
    pub to: Option<NaiveDate>,
    /// Skip this many entries (paging).
    pub offset: u32,
    /// At most this many entries (at most 500).
    pub limit: u32,
}

/// One entry as shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct LogEntry {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub before: Option<String>,
    pub after: Option<String>,
    pub hash: String,
}

/// A page of entries and how many match in all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct LogPage {
    pub entries: Vec<LogEntry>,
    pub total: u64,
    /// Every entity and actor in the trail, for the filter choices.
    pub entities: Vec<String>,
    pub actors: Vec<String>,
}

/// The columns [`entry`] reads, in its order.
pub(crate) const COLUMNS: &str = "seq, at, actor, action, entity, entity_id, before, after, hash";

/// An entry from a row of [`COLUMNS`].
pub(crate) fn entry(r: &crate::store::sql::Row<'_>) -> rusqlite::Result<LogEntry> {
    Ok(LogEntry {
        seq: r.get(0)?,
        at: r.get(1)?,
        actor: r.get(2)?,
        action: r.get(3)?,
        entity: r.get(4)?,
        entity_id: r.get(5)?,
        before: r.get(6)?,
        after: r.get(7)?,
        hash: r.get(8)?,
    })
}

/// The entries matching `filter`, newest first.
pub fn entries(conn: &Connection, filter: &LogFilter) -> Result<LogPage> {
    let mut clauses = Vec::new();
    let mut params: Vec<String> = Vec::new();
    let mut add = |clause: &str, value: String| {
        params.push(value);
        clauses.push(clause.replace('?', &format!("?{}", params.len())));
    };
    if !filter.entity.is_empty() {
        add("entity = ?", filter.entity.clone());
    }
    if !filter.entity_id.is_empty() {
        add("entity_id = ?", filter.entity_id.clone());
    }
    if !filter.actor.is_empty() {
        add("actor = ?", filter.actor.clone());
    }
    if let Some(from) = filter.from {
        add("at >= ?", from.to_string());
    }
    if let Some(to) = filter.to.and_then(|d| d.succ_opt()) {
        add("at < ?", to.to_string());
    }
    let condition = if clauses.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", clauses.join(" AND "))
    };
    let total: i64 = conn.query_row(
        &format!("SELECT count(*) FROM audit_log {condition}"),
        crate::store::sql::params_from_iter(&params),
        |r| r.get(0),
    )?;
    let limit = if filter.limit == 0 {
        100
    } else {
        filter.limit.min(500)
    };
    let entries = conn
        .prepare(&format!(
            "SELECT {COLUMNS} FROM audit_log {condition}
             ORDER BY seq DESC LIMIT {limit} OFFSET {}",
            filter.offset
        ))?
        .query_map(crate::store::sql::params_from_iter(&params), entry)?
        .collect::<rusqlite::Result<_>>()?;
    let distinct = |column: &str| -> Result<Vec<String>> {
        Ok(conn
            .prepare(&format!(
                "SELECT DISTINCT {column} FROM audit_log ORDER BY 1"
            ))?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?)
    };
    Ok(LogPage {
        entries,
        total: u64::try_from(total).unwrap_or_default(),
        entities: distinct("entity")?,
        actors: distinct("actor")?,
    })
}

/// The entries about any of `keys` (entity, id), and about rows of the
/// `ranged` entities keyed `<parent>/<child>` under one of `parents`:
/// the newest `limit` of them, newest first, and how many there are.
/// What a report shows of the trail of one supplier and what belongs to it.
pub fn about(
    conn: &Connection,
    keys: &[(&str, String)],
    ranged: &[&str],
    parents: &[String],
    limit: usize,
) -> Result<(Vec<LogEntry>, usize)> {
    let mut seqs: Vec<i64> = Vec::new();
    let mut exact =
        conn.prepare_cached("SELECT seq FROM audit_log WHERE entity = ?1 AND entity_id = ?2")?;
    for (entity, id) in keys {
        for seq in exact.query_map(rusqlite::params![entity, id], |r| r.get(0))? {
            seqs.push(seq?);
        }
    }
    let mut under = conn.prepare_cached(
        "SELECT seq FROM audit_log WHERE entity = ?1 AND entity_id >= ?2 AND entity_id < ?3",
    )?;
    for entity in ranged {
        for parent in parents {
            // Every id that starts with `parent/` sorts between these two.
            let (from, to) = (format!("{parent}/"), format!("{parent}0"));
            for seq in under.query_map(rusqlite::params![entity, from, to], |r| r.get(0))? {
                seqs.push(seq?);
            }
        }
    }
    seqs.sort_unstable_by(|a, b| b.cmp(a));
    seqs.dedup();
    let mut statement =
        conn.prepare_cached(&format!("SELECT {COLUMNS} FROM audit_log WHERE seq = ?1"))?;
    let entries = seqs
        .iter()
        .take(limit)
        .map(|seq| statement.query_row([seq], entry))
        .collect::<crate::error::Result<_>>()?;
    Ok((entries, seqs.len()))
}
