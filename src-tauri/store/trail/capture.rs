//! Every change to a recorded table is captured by temporary triggers that
//! each Tillit connection installs on itself: the row before (as first seen in
//! the transaction) and after (as last written). When the transaction is about
//! to commit, [`drain`] turns each captured row into one audit entry. A write
//! therefore cannot forget its entry, and a change made outside Tillit (no
//! triggers) leaves a row that no longer matches the trail, which [`compare`]
//! finds.
//!
//! Every table is recorded except the trail itself. A few columns are left out:
//! those derived from other columns (search and sort keys, the stored
//! exposure flag, recomputed in bulk when the rules change) and secrets
//! (password hashes).

use super::{Action, CanonicalChange, Chain, RowMismatch};
use crate::error::{Error, Result};
use crate::store::sql::{Connection, OptionalExtension};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Columns not recorded in the trail: derived from recorded ones, used only
/// to search and sort (no report or count reads them), each with the schema
/// version from which it is recorded after all (`u32::MAX`: never). The
/// stored exposure flag is counted by the reports, so it is recorded from
/// version 9 on.
const UNRECORDED: &[(&str, &str, u32)] = &[
    ("supplier", "search_key", u32::MAX),
    ("supplier", "sort_key", u32::MAX),
    ("supplier", "exposed", 9),
];

/// Secret columns recorded by their SHA-256 only (as `<column>_sha256`), from
/// the schema version given (before it, not at all): a change outside Tillit
/// is reported, and the trail reveals nothing.
const DIGESTED: &[(&str, &str, u32)] = &[
    ("app_user", "password_hash", 7),
    ("signing_key", "sealed", 9),
];

/// The SQL function the capture and the verification use for [`DIGESTED`]
/// columns; registered on every connection that builds row images.
const DIGEST_FUNCTION: &str = "tillit_sha256";

/// Registers [`DIGEST_FUNCTION`] on `conn` (again, harmlessly, if it
/// exists). An SQLite connection has it in Rust; elsewhere it is part of the
/// schema.
pub fn register_functions(conn: &Connection) -> Result<()> {
    use rusqlite::functions::FunctionFlags;
    let Some(conn) = conn.sqlite() else {
        return Ok(());
    };
    conn.create_scalar_function(
        DIGEST_FUNCTION,
        1,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| {
            let text: Option<String> = ctx.get(0)?;
            Ok(text.map(|t| super::sha256_hex(t.as_bytes())))
        },
    )?;
    Ok(())
}

/// A recorded table: the SQL that names a row and writes it as JSON.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub name: String,
    columns: Vec<String>,
    /// Columns recorded by their digest only.
    digested: Vec<String>,
    key: Vec<String>,
    /// Columns holding reals.
    reals: Vec<String>,
    /// Whether the SQL is PostgreSQL's.
    postgres: bool,
}

impl Recorded {
    /// The key of a row as text (`a/b` for a composite key).
    fn key_sql(&self, row: &str) -> String {
        self.key
            .iter()
            .map(|c| format!("CAST({row}.\"{c}\" AS TEXT)"))
            .collect::<Vec<_>>()
            .join(" || '/' || ")
    }

    /// The row's recorded columns as a JSON object, as text. On
    /// PostgreSQL a whole real is written as SQLite writes it (`2.0`, not
    /// `2`), so a row has the same image on both engines.
    fn json_sql(&self, row: &str) -> String {
        let pairs: Vec<String> = self
            .columns
            .iter()
            .map(|c| match self.postgres && self.reals.contains(c) {
                true => format!("'{c}', {REAL_FUNCTION}({row}.\"{c}\")"),
                false => format!("'{c}', {row}.\"{c}\""),
            })
            .chain(
                self.digested
                    .iter()
                    .map(|c| format!("'{c}_sha256', {DIGEST_FUNCTION}({row}.\"{c}\")")),
            )
            .collect();
        match self.postgres {
            true => format!("json_build_object({})::text", pairs.join(", ")),
            false => format!("json_object({})", pairs.join(", ")),
        }
    }
}

/// The tables the trail records, read from the schema.
pub fn recorded_tables(conn: &Connection) -> Result<Vec<Recorded>> {
    recorded_tables_at(conn, conn.schema_version()?)
}

/// The tables as the trail of schema `version` recorded them.
pub fn recorded_tables_at(conn: &Connection, version: u32) -> Result<Vec<Recorded>> {
    register_functions(conn)?;
    let names: Vec<String> = conn
        .tables()?
        .into_iter()
        .filter(|name| !["audit_log", "trail_seal"].contains(&name.as_str()))
        .collect();
    names
        .into_iter()
        .map(|name| {
            let mut columns = Vec::new();
            let mut digested = Vec::new();
            let mut reals = Vec::new();
            let mut key: Vec<(i64, String)> = Vec::new();
            for column in conn.columns(&name)? {
                if column.key > 0 {
                    key.push((column.key, column.name.clone()));
                }
                if column.real {
                    reals.push(column.name.clone());
                }
                let is = |t: &&str, c: &&str| *t == name && *c == column.name;
                let digest = DIGESTED.iter().find(|(t, c, _)| is(t, c));
                let unrecorded = UNRECORDED
                    .iter()
                    .any(|(t, c, from)| is(t, c) && version < *from);
                match digest {
                    Some((_, _, from)) if version >= *from => digested.push(column.name),
                    Some(_) => {}
                    None if unrecorded => {}
                    None => columns.push(column.name),
                }
            }
            key.sort();
            // A table without a key is keyed by the order of insertion:
            // SQLite's rowid, a column of that name on PostgreSQL (where a
            // table made outside Tillit has only its row's place).
            let key = if key.is_empty() {
                let place = conn.is_postgres() && !conn.has_rowid_column(&name)?;
                vec![if place { "ctid" } else { "rowid" }.to_owned()]
            } else {
                key.into_iter().map(|(_, c)| c).collect()
            };
            Ok(Recorded {
                name,
                columns,
                digested,
                key,
                reals,
                postgres: conn.is_postgres(),
            })
        })
        .collect()
}

/// Installs the capture again after the main database was replaced (a
/// restore): the triggers follow the tables as they are now.
pub fn reinstall(conn: &Connection) -> Result<()> {
    let triggers: Vec<String> = conn
        .prepare("SELECT name FROM temp.sqlite_schema WHERE type = 'trigger' AND name LIKE 'audit\\_%' ESCAPE '\\'")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for trigger in triggers {
        conn.execute_batch(&format!(
            "DROP TRIGGER temp.\"{}\";",
            trigger.replace('"', "\"\"")
        ))?;
    }
    install(conn)
}

/// Installs the capture on a connection (after its migrations): a temporary
/// table of changed rows and, on every recorded table, triggers that fill it
/// (none on a schema older than the trail, which only old-version tests open).
pub fn install(conn: &Connection) -> Result<()> {
    if conn.is_postgres() {
        return conn.execute_batch(&postgres_sql(conn)?);
    }
    let has_trail = conn.tables()?.iter().any(|t| t == "audit_log");
    let mut sql = String::from(PENDING_SQLITE);
    let tables = if has_trail {
        recorded_tables(conn)?
    } else {
        Vec::new()
    };
    for table in tables {
        let name = &table.name;
        let [insert, update, delete] = upserts(&table, "temp.audit_pending");
        for (event, statement) in [("insert", insert), ("update", update), ("delete", delete)] {
            sql.push_str(&format!(
                "CREATE TEMP TRIGGER IF NOT EXISTS audit_{name}_{event} AFTER {} ON main.\"{name}\" BEGIN {statement} END;\n",
                event.to_uppercase()
            ));
        }
    }
    conn.execute_batch(&sql)?;
    Ok(())
}

/// The statements that record an insert, an update and a delete of a row
/// of `table` in `pending` (the session's temporary table, as the engine
/// names it): the first change of a row in a transaction keeps its place
/// and its image before, the last its image after.
fn upserts(table: &Recorded, pending: &str) -> [String; 3] {
    let name = &table.name;
    let upsert = |row: &str, before: String, after: String, on_conflict: &str| {
        format!(
            "INSERT INTO {pending} (tbl, key, before, after) VALUES ('{name}', {}, {before}, {after})
             ON CONFLICT (tbl, key) DO UPDATE SET {on_conflict};",
            table.key_sql(row)
        )
    };
    [
        upsert(
            "NEW",
            "NULL".into(),
            table.json_sql("NEW"),
            "after = excluded.after",
        ),
        upsert(
            "NEW",
            table.json_sql("OLD"),
            table.json_sql("NEW"),
            "after = excluded.after",
        ),
        upsert("OLD", table.json_sql("OLD"), "NULL".into(), "after = NULL"),
    ]
}

/// The temporary table of captured rows on SQLite: the first time a row
/// was changed in the transaction gives its place.
const PENDING_SQLITE: &str = "CREATE TEMP TABLE IF NOT EXISTS audit_pending (
     ord    INTEGER PRIMARY KEY,
     tbl    TEXT NOT NULL,
     key    TEXT NOT NULL,
     before TEXT,
     after  TEXT,
     UNIQUE (tbl, key)
 );\n";

/// The same table on PostgreSQL, made by each of Tillit's sessions.
const PENDING_POSTGRES: &str = "CREATE TEMP TABLE IF NOT EXISTS audit_pending (
     ord    BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
     tbl    TEXT NOT NULL,
     key    TEXT NOT NULL,
     before TEXT,
     after  TEXT,
     UNIQUE (tbl, key)
 )";

/// The SQL function that writes a real into a PostgreSQL row image as
/// SQLite's `json_object` does.
const REAL_FUNCTION: &str = "tillit_real";

/// Prepares a new PostgreSQL session of Tillit's for the capture: its own
/// temporary table, which the triggers fill. A session without it (any
/// program but Tillit) changes rows without entries, as a program without
/// SQLite's temporary triggers does, and the verification reports them.
pub fn prepare_session(conn: &Connection) -> Result<()> {
    conn.execute_batch(PENDING_POSTGRES)
}

/// What installs the capture in a PostgreSQL database (run under the
/// migration lock, after its migrations): the functions the row images use
/// and, on every recorded table, a trigger that fills the session's
/// `audit_pending` as SQLite's temporary triggers do.
pub(crate) fn postgres_sql(conn: &Connection) -> Result<String> {
    let mut sql = format!(
        "CREATE OR REPLACE FUNCTION {DIGEST_FUNCTION}(content TEXT) RETURNS TEXT
         LANGUAGE sql IMMUTABLE STRICT AS $$ SELECT encode(sha256(convert_to(content, 'UTF8')), 'hex') $$;
         CREATE OR REPLACE FUNCTION {REAL_FUNCTION}(x DOUBLE PRECISION) RETURNS JSON
         LANGUAGE sql IMMUTABLE AS $$
             SELECT CASE WHEN x = trunc(x) AND abs(x) < 1e15 THEN (trunc(x)::bigint::text || '.0')::json
                         ELSE to_json(x) END $$;\n"
    );
    for table in recorded_tables(conn)? {
        let name = &table.name;
        let [insert, update, delete] = upserts(&table, "pg_temp.audit_pending");
        sql.push_str(&format!(
            "CREATE OR REPLACE FUNCTION tillit_audit_{name}() RETURNS trigger LANGUAGE plpgsql AS $$
             BEGIN
                 IF to_regclass('pg_temp.audit_pending') IS NULL THEN RETURN NULL; END IF;
                 IF TG_OP = 'INSERT' THEN {}
                 ELSIF TG_OP = 'UPDATE' THEN {}
                 ELSE {}
                 END IF;
                 RETURN NULL;
             END $$;
             CREATE OR REPLACE TRIGGER tillit_audit AFTER INSERT OR UPDATE OR DELETE ON \"{name}\"
                 FOR EACH ROW EXECUTE FUNCTION tillit_audit_{name}();\n",
            insert, update, delete,
        ));
    }
    Ok(sql)
}

/// Installs [`postgres_sql`] with `prelude` before it, unless what this
/// build would install is there already and unchanged: the comment of the
/// digest function (which the text remakes) keeps a digest of the text
/// and one of the functions and triggers as installed, so a function or
/// trigger changed or dropped outside Tillit is put back at the next start
/// as it always was. Returns whether it installed. Run under the migration
/// lock.
pub(crate) fn install_on_postgres(conn: &Connection, prelude: &str) -> Result<bool> {
    let sql = format!("{prelude}\n{}", postgres_sql(conn)?);
    let wanted = super::sha256_hex(sql.as_bytes());
    let installed: Option<String> = conn.query_row(
        &format!("SELECT obj_description(to_regprocedure('{DIGEST_FUNCTION}(text)'), 'pg_proc')"),
        [],
        |r| r.get(0),
    )?;
    if installed == Some(format!("{wanted} {}", installed_digest(conn)?)) {
        return Ok(false);
    }
    conn.execute_batch(&sql)?;
    let seal = format!("{wanted} {}", installed_digest(conn)?);
    conn.execute_batch(&format!(
        "COMMENT ON FUNCTION {DIGEST_FUNCTION}(text) IS '{seal}'"
    ))?;
    Ok(true)
}

/// A digest of the functions and triggers in the database's schema as the
/// catalogue holds them (bodies, and whether each trigger is enabled).
fn installed_digest(conn: &Connection) -> Result<String> {
    conn.query_row(
        "SELECT md5(coalesce((SELECT string_agg(p.oid::regprocedure::text || ' ' || p.prosrc, ';'
                                         ORDER BY p.oid::regprocedure::text, p.prosrc)
                              FROM pg_proc p WHERE p.pronamespace = to_regnamespace(current_schema())), '')
                 || '|' ||
                 coalesce((SELECT string_agg(t.tgrelid::regclass::text || ' ' || t.tgname || ' ' || t.tgenabled::text
                                             || ' ' || t.tgfoid::regprocedure::text, ';'
                                             ORDER BY t.tgrelid::regclass::text, t.tgname)
                           FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
                           WHERE c.relnamespace = to_regnamespace(current_schema()) AND NOT t.tgisinternal), ''))",
        [],
        |r| r.get(0),
    )
}

/// Canonical JSON of a row captured by SQLite's `json_object`.
fn canonical_row(text: &str) -> Result<String> {
    super::canonical_text(text)
        .map_err(|e| Error::Internal(format!("a captured row is not JSON: {e}")))
}

/// What kind of change turned `before` into `after`.
fn action_of(table: &str, before: Option<&str>, after: Option<&str>) -> Result<Action> {
    Ok(match (before, after) {
        (None, _) if table == "approval" => Action::Approve,
        (None, _) if table == "rule_set" => Action::RuleChange,
        (None, _) => Action::Create,
        (Some(_), None) => Action::Delete,
        (Some(before), Some(after)) => {
            let parse = |text: &str| -> Result<serde_json::Map<String, serde_json::Value>> {
                serde_json::from_str(text)
                    .map_err(|e| Error::Internal(format!("a captured row is not JSON: {e}")))
            };
            let (before, after) = (parse(before)?, parse(after)?);
            let workflow = [
                "status",
                "offboarding_reason",
                "reassessment_reason",
                "next_review_on",
                "updated_at",
            ];
            let only_workflow = after
                .iter()
                .filter(|(k, v)| before.get(*k) != Some(v))
                .all(|(k, _)| workflow.contains(&k.as_str()));
            if table == "supplier" && only_workflow {
                Action::StatusChange
            } else {
                Action::Update
            }
        }
    })
}

/// Appends one entry for every row the transaction changed (in the order it
/// first changed them) and empties the capture. Called by the store just
/// before a transaction commits.
pub fn drain(tx: &Connection, actor: &str, at: &str) -> Result<()> {
    let captured: Vec<(String, String, Option<String>, Option<String>)> = tx
        .prepare_cached("SELECT tbl, key, before, after FROM audit_pending ORDER BY ord")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<rusqlite::Result<_>>()?;
    if captured.is_empty() {
        return Ok(());
    }
    let mut chain = Chain::batched(tx)?;
    for (table, key, before, after) in captured {
        let before = before.as_deref().map(canonical_row).transpose()?;
        let after = after.as_deref().map(canonical_row).transpose()?;
        if before == after {
            continue;
        }
        chain.append_canonical(
            tx,
            at,
            &CanonicalChange {
                actor,
                action: action_of(&table, before.as_deref(), after.as_deref())?,
                entity: &table,
                entity_id: &key,
                before: before.as_deref(),
                after: after.as_deref(),
            },
        )?;
    }
    chain.finish(tx)?;
    tx.prepare_cached("DELETE FROM audit_pending")?
        .execute([])?;
    Ok(())
}

/// The entries about rows that one reader of the chain met, per recorded
/// table (by its position), in the order it read them: the row's key, the
/// entry's sequence number and whether it recorded the row after the change
/// (not a deletion). They are written down one after the other while the
/// trail streams past, which costs next to nothing, and looked up by key
/// only afterwards, table by table, in [`compare`]. What an entry recorded
/// is read again when its row is compared, once per row rather than copied
/// for every entry.
#[derive(Debug, Default)]
pub struct RowNotes(Vec<TableNotes>);

/// The entries about the rows of one table that one reader met.
#[derive(Debug, Default)]
pub struct TableNotes {
    /// The keys, one after the other.
    keys: Vec<u8>,
    /// Per entry: its sequence number, where its key ends in `keys`, and
    /// whether the row exists after it.
    entries: Vec<(i64, usize, bool)>,
    /// The bytes of the rows the entries recorded.
    bytes: u64,
}

/// The last entry about each row of a table, by key: its sequence number and
/// whether the row exists after it.
type Rows = HashMap<Vec<u8>, (i64, bool), BuildHasherDefault<KeyHasher>>;

impl RowNotes {
    /// Room for `tables` recorded tables.
    pub fn new(tables: usize) -> RowNotes {
        RowNotes((0..tables).map(|_| TableNotes::default()).collect())
    }

    /// Notes an entry about a row of table `table`.
    pub fn record(&mut self, seq: i64, table: usize, key: &[u8], after: Option<&[u8]>) {
        let Some(noted) = self.0.get_mut(table) else {
            return;
        };
        noted.keys.extend_from_slice(key);
        noted.entries.push((seq, noted.keys.len(), after.is_some()));
        noted.bytes += after.map_or(0, |a| a.len() as u64);
    }

    /// What the readers noted, table by table (by position), with the
    /// weight of comparing the table: its entries' recorded bytes.
    pub fn tables(readers: Vec<RowNotes>) -> Vec<(usize, Vec<TableNotes>, u64)> {
        let count = readers.first().map_or(0, |r| r.0.len());
        let mut tables: Vec<(usize, Vec<TableNotes>, u64)> =
            (0..count).map(|index| (index, Vec::new(), 0)).collect();
        for reader in readers {
            for (table, noted) in tables.iter_mut().zip(reader.0) {
                table.2 += noted.bytes + ROW_COST * noted.entries.len() as u64;
                table.1.push(noted);
            }
        }
        tables
    }
}

/// What noting an entry and comparing a row costs beyond reading its
/// bytes, in bytes.
const ROW_COST: u64 = 200;

/// The last entry about each row in `noted`: of two entries about a row, the
/// later one.
fn rows_of(noted: Vec<TableNotes>) -> Rows {
    let mut rows = Rows::default();
    for noted in noted {
        let mut from = 0;
        for (seq, to, exists) in noted.entries {
            let key = &noted.keys[from..to];
            from = to;
            match rows.get_mut(key) {
                Some(last) if last.0 < seq => *last = (seq, exists),
                Some(_) => {}
                None => {
                    rows.insert(key.to_vec(), (seq, exists));
                }
            }
        }
    }
    rows
}

/// A fast hash for row keys (ids the database holds, not input an attacker
/// chooses to collide): a multiply-rotate over eight bytes at a time.
#[derive(Debug, Default, Clone, Copy)]
pub struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(word))
                .wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// Compares every row of `table` with the last entry about it (among the
/// entries `noted` about its rows, from [`RowNotes::tables`]): a row that
/// differs, a row the trail never recorded, and a row the trail says exists
/// but that is gone. Returns the rows checked and the mismatches. The row is
/// read as JSON with its columns in sorted order, which is canonical for
/// most rows: equal text is a match at once, and only other text is made
/// canonical before it is compared.
pub fn compare(
    conn: &Connection,
    table: &Recorded,
    noted: Vec<TableNotes>,
) -> Result<(u64, Vec<RowMismatch>)> {
    let mut recorded = rows_of(noted);
    let mut checked = 0u64;
    let mut mismatches = Vec::new();
    let mut recorded_at = conn.prepare_cached("SELECT after FROM audit_log WHERE seq = ?1")?;
    let mut sorted = table.clone();
    sorted.columns.sort();
    let mut statement = conn.prepare(&format!(
        "SELECT {}, {} FROM \"{}\" AS t",
        table.key_sql("t"),
        sorted.json_sql("t"),
        table.name
    ))?;
    let mut rows = statement.query([])?;
    while let Some(row) = rows.next()? {
        checked += 1;
        let key = row.get_ref(0)?.as_bytes()?;
        let current = row.get_ref(1)?.as_str()?;
        let mismatch = |seq: Option<i64>, reason: String| RowMismatch {
            table: table.name.clone(),
            key: String::from_utf8_lossy(key).into_owned(),
            seq,
            reason,
        };
        let found = match recorded.remove(key) {
            Some((seq, true)) => {
                let after: Option<String> = recorded_at
                    .query_row([seq], |r| r.get(0))
                    .optional()?
                    .flatten();
                Some((seq, after))
            }
            Some((seq, false)) => Some((seq, None)),
            None => None,
        };
        match found {
            Some((_, Some(after))) if after == current || after == canonical_row(current)? => {}
            Some((seq, Some(_))) => mismatches.push(mismatch(
                Some(seq),
                format!("differs from what entry {seq} recorded: it was changed outside Tillit"),
            )),
            Some((seq, None)) => mismatches.push(mismatch(
                Some(seq),
                format!("was deleted by entry {seq} but is present: it was added outside Tillit"),
            )),
            None => mismatches.push(mismatch(
                None,
                "is not in the audit trail: it was added or changed outside Tillit".into(),
            )),
        }
    }
    for (key, (seq, after)) in recorded.drain() {
        if after {
            mismatches.push(RowMismatch {
                table: table.name.clone(),
                reason: format!(
                    "was recorded by entry {seq} but is missing: it was deleted outside Tillit"
                ),
                key: String::from_utf8_lossy(&key).into_owned(),
                seq: Some(seq),
            });
        }
    }
    Ok((checked, mismatches))
}

/// In the order of the entry concerned; rows the trail never saw last.
pub fn sort_mismatches(mismatches: &mut [RowMismatch]) {
    mismatches.sort_by(|a, b| {
        (a.seq.is_none(), a.seq, &a.table, &a.key).cmp(&(b.seq.is_none(), b.seq, &b.table, &b.key))
    });
}

/// Records every row as Tillit finds it, where the trail does not already
/// hold exactly that row: run once when a database from before the capture
/// existed is upgraded. A row the trail never saw is recorded as created by
/// `actor`; a row the trail mentions in another form (entries written before
/// the capture were not row images, and later migrations add columns) is
/// recorded as updated by `actor`, from what the trail last said of it.
pub fn adopt_unrecorded(tx: &Connection, actor: &str, at: &str) -> Result<u64> {
    let tables = recorded_tables(tx)?;
    let last = last_said(tx)?;
    let mut chain = Chain::open(tx)?;
    let mut adopted = 0;
    for table in &tables {
        let mut statement = tx.prepare(&format!(
            "SELECT {}, {} FROM \"{}\" AS t",
            table.key_sql("t"),
            table.json_sql("t"),
            table.name
        ))?;
        let rows: Vec<(String, String)> = statement
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for (key, json) in rows {
            let after = canonical_row(&json)?;
            let said = last.get(&(table.name.clone(), key.clone()));
            if said.is_some_and(|said| said.as_deref() == Some(after.as_str())) {
                continue;
            }
            chain.append_canonical(
                tx,
                at,
                &CanonicalChange {
                    actor,
                    action: if said.is_some() {
                        Action::Update
                    } else {
                        Action::Create
                    },
                    entity: &table.name,
                    entity_id: &key,
                    before: said.and_then(|said| said.as_deref()),
                    after: Some(&after),
                },
            )?;
            adopted += 1;
        }
    }
    Ok(adopted)
}

/// What the trail last said of each row it recorded (by its last row
/// change: a sign-in or an export about a user is not one): (table, key) →
/// the row after that change, `None` when it deleted the row.
fn last_said(tx: &Connection) -> Result<HashMap<(String, String), Option<String>>> {
    let actions: Vec<String> = super::ROW_CHANGES
        .iter()
        .map(|a| format!("'{}'", a.as_str()))
        .collect();
    let mut statement = tx.prepare(&format!(
        "SELECT entity, entity_id, after FROM audit_log
         WHERE seq IN (SELECT max(seq) FROM audit_log WHERE action IN ({})
                       GROUP BY entity, entity_id)",
        actions.join(", ")
    ))?;
    let mut last = HashMap::new();
    let mut rows = statement.query([])?;
    while let Some(row) = rows.next()? {
        last.insert((row.get(0)?, row.get(1)?), row.get(2)?);
    }
    Ok(last)
}

/// Every row of the recorded tables as the trail of schema `version`
/// records it: (table, key) → canonical JSON.
pub fn images(conn: &Connection, version: u32) -> Result<HashMap<(String, String), String>> {
    let mut images = HashMap::new();
    for table in recorded_tables_at(conn, version)? {
        let mut statement = conn.prepare(&format!(
            "SELECT {}, {} FROM \"{}\" AS t",
            table.key_sql("t"),
            table.json_sql("t"),
            table.name
        ))?;
        let rows: Vec<(String, String)> = statement
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for (key, json) in rows {
            images.insert((table.name.clone(), key), canonical_row(&json)?);
        }
    }
    Ok(images)
}

/// Records what an upgrade itself changed, from the rows as the old schema's
/// trail recorded them (`before`) to the rows as the new one records them
/// (`after`): each changed field applied to what the trail last said of the
/// row, so a row that already differed from the trail still differs, and
/// stays reported. Rows the migration made are recorded as created, rows it
/// removed as deleted; rows the trail never recorded stay unrecorded.
pub fn record_upgrade(
    tx: &Connection,
    before: &HashMap<(String, String), String>,
    after: &HashMap<(String, String), String>,
    actor: &str,
    at: &str,
) -> Result<()> {
    type Object = serde_json::Map<String, serde_json::Value>;
    let parse = |text: &str| -> Result<Object> {
        serde_json::from_str(text)
            .map_err(|e| Error::Internal(format!("a recorded row is not JSON: {e}")))
    };
    let last = last_said(tx)?;
    let mut keys: Vec<&(String, String)> = before.keys().chain(after.keys()).collect();
    keys.sort();
    keys.dedup();
    let mut chain = Chain::open(tx)?;
    for key in keys {
        let (old, new) = (before.get(key), after.get(key));
        if old == new {
            continue;
        }
        let said = last.get(key).cloned().flatten();
        let recorded = match (old, new) {
            (_, None) => None,
            (None, Some(new)) => Some(new.clone()),
            (Some(old), Some(new)) => {
                let Some(said) = said.as_deref() else {
                    continue;
                };
                let (old, new, mut row) = (parse(old)?, parse(new)?, parse(said)?);
                for (field, value) in &new {
                    if old.get(field) != Some(value) {
                        row.insert(field.clone(), value.clone());
                    }
                }
                for field in old.keys().filter(|f| !new.contains_key(*f)) {
                    row.remove(field);
                }
                Some(super::canonical(&serde_json::Value::Object(row)))
            }
        };
        if said.is_none() && recorded.is_none() {
            continue;
        }
        if said == recorded {
            continue;
        }
        chain.append_canonical(
            tx,
            at,
            &CanonicalChange {
                actor,
                action: match (&said, &recorded) {
                    (None, _) => Action::Create,
                    (_, None) => Action::Delete,
                    _ => Action::Update,
                },
                entity: &key.0,
                entity_id: &key.1,
                before: said.as_deref(),
                after: recorded.as_deref(),
            },
        )?;
    }
    Ok(())
}
