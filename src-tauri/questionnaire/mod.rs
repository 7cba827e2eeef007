//! Questionnaires (DOMAIN §13): a supplier answers Tillit's questions in a
//! workbook, without an account anywhere. Sending writes the workbook and
//! records the questionnaire with its deadline and the questions exactly as
//! asked; receiving checks that the returned file is the one sent (the
//! questionnaire, the supplier, the rule set version and the questions, by
//! their SHA-256 and as the file shows them), reads every answer against its
//! question's kind, keeps the file in the evidence folder under its SHA-256
//! and records the answers, each beside the criterion its question informs.
//! An answer never rates: the officer still does.

mod read;
mod workbook;

use crate::access::Permission;
use crate::error::{Error, FieldError, Refusal, Result, ValidationCode};
use crate::files::FileContent;
use crate::ids::id_type;
use crate::rules::{self, Question};
use crate::store::sql::{Connection, OptionalExtension, Row};
use crate::store::{Db, Tx};
use crate::supplier::{self, EvidenceFile, SupplierId};
use crate::words::Language;
use chrono::{DateTime, NaiveDate, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::path::Path;
use ts_rs::TS;
use uuid::Uuid;

id_type! {
    /// The id of a questionnaire sent.
    QuestionnaireId;
}

/// The largest returned file read: a questionnaire of a few hundred
/// questions is well under a megabyte.
pub const MAX_RETURN_BYTES: usize = 20 * 1024 * 1024;

/// The longest answer kept, in characters.
pub const MAX_ANSWER: usize = 4000;

/// The answers a yes/no/partly question takes, as kept.
pub const CHOICES: [&str; 3] = ["yes", "no", "partly"];

/// The answers a yes/no/partly question takes, as `l` says them.
fn choices(l: Language) -> [&'static str; 3] {
    CHOICES.map(|c| crate::words::entry(l, &format!("questionnaire.choice.{c}")).unwrap_or(c))
}

/// One answer, as kept: `yes`/`no`/`partly`, a date `YYYY-MM-DD`, a
/// number, text, or country codes separated by commas.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, JsonSchema)]
pub struct Answer {
    /// The question's number.
    pub question: String,
    pub value: String,
}

/// The return of a questionnaire: when, by whom it was imported, and the
/// file kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, JsonSchema)]
pub struct Return {
    pub returned_at: DateTime<Utc>,
    pub returned_by: String,
    /// How many returns were imported; the answers are the last one's.
    pub returns: u32,
    pub file: EvidenceFile,
}

/// A questionnaire sent to a supplier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, JsonSchema)]
pub struct Questionnaire {
    pub id: QuestionnaireId,
    pub supplier_id: SupplierId,
    /// The rule set version whose questions were asked.
    pub rule_set_version: u32,
    #[schemars(with = "String")]
    pub language: Language,
    /// The questions as sent.
    pub questions: Vec<Question>,
    pub questions_sha256: String,
    pub deadline: NaiveDate,
    pub sent_at: DateTime<Utc>,
    pub sent_by: String,
    /// The SHA-256 of the workbook sent.
    pub sent_sha256: String,
    pub returned: Option<Return>,
    pub answers: Vec<Answer>,
}

impl Questionnaire {
    /// Whether its deadline passed, on `today`, without a return.
    pub fn overdue(&self, today: NaiveDate) -> bool {
        self.returned.is_none() && self.deadline < today
    }

    /// The answer to question `id`.
    pub fn answer(&self, id: &str) -> Option<&str> {
        self.answers
            .iter()
            .find(|a| a.question == id)
            .map(|a| a.value.as_str())
    }
}

/// A questionnaire as the window shows it: with whether it is overdue today.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct QuestionnaireShown {
    #[serde(flatten)]
    #[ts(flatten)]
    pub questionnaire: Questionnaire,
    pub overdue: bool,
}

/// A supplier's questionnaires as the window shows them, on `today`.
pub fn shown(db: &Db, supplier: SupplierId, today: NaiveDate) -> Result<Vec<QuestionnaireShown>> {
    Ok(of_supplier(db, supplier)?
        .into_iter()
        .map(|questionnaire| QuestionnaireShown {
            overdue: questionnaire.overdue(today),
            questionnaire,
        })
        .collect())
}

/// A questionnaire with its supplier's name and its state on a day, for
/// lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct QuestionnaireEntry {
    pub id: QuestionnaireId,
    pub supplier_id: SupplierId,
    pub supplier_name: String,
    pub deadline: NaiveDate,
    pub sent_at: DateTime<Utc>,
    pub overdue: bool,
}

/// The questionnaires sent and not yet returned, the overdue first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Outstanding {
    pub outstanding: u32,
    pub overdue: u32,
    /// Every outstanding questionnaire, by deadline.
    pub entries: Vec<QuestionnaireEntry>,
}

/// A questionnaire sent: its record and the workbook.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Sent {
    pub questionnaire: Questionnaire,
    pub file: FileContent,
}

/// The SHA-256 of a question set, as sent and as the file names it.
pub fn questions_sha256(questions: &[Question]) -> Result<String> {
    Ok(crate::audit::sha256_hex(
        crate::store::to_json(&questions)?.as_bytes(),
    ))
}

/// The workbook's file name: `Questionnaire <supplier> <sent day>.xlsx`.
pub fn file_name(supplier_name: &str, language: Language, sent: NaiveDate) -> String {
    let name: String = supplier_name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == ' ' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .take(80)
        .collect();
    format!(
        "{} {} {sent}.xlsx",
        crate::words::phrase(language, "questionnaire.book.file"),
        name.trim()
    )
}

/// Sends a questionnaire to `supplier`: the questions of the rule set in
/// force, in `language`, to be returned by `deadline`. The workbook is made
/// and handed to `deliver` (written to the chosen file) inside the
/// transaction that records it, so a questionnaire is recorded only when
/// its file was written.
pub fn send(
    db: &Db,
    supplier: SupplierId,
    deadline: NaiveDate,
    language: Language,
    deliver: impl FnOnce(&[u8]) -> Result<()>,
) -> Result<Sent> {
    let today = db.now().date_naive();
    if deadline < today {
        return Err(Error::invalid(
            "deadline",
            ValidationCode::DateOrder,
            format!("must be today ({today}) or later"),
        ));
    }
    if deadline > today + chrono::Days::new(366) {
        return Err(Error::invalid(
            "deadline",
            ValidationCode::OutOfRange,
            "must be within a year",
        ));
    }
    let id = QuestionnaireId(db.new_id());
    db.write(Permission::Assess, |tx| {
        let found = supplier::editable(tx, supplier)?;
        let version = rules::ensure_stored(tx, &tx.now_text())?;
        let rule_set = rules::get(tx, version)?;
        let questions = rule_set.questions.clone();
        if questions.is_empty() {
            return Err(Refusal::new("refusal.questionnaire_no_questions").into());
        }
        let sha = questions_sha256(&questions)?;
        let sender = tx.user("send questionnaires")?.display_name.clone();
        let organisation = crate::settings::organisation_in(tx)?.legal_name;
        let supplier_text = supplier.to_string();
        let id_text = id.to_string();
        let bytes = workbook::write(&workbook::Sheet {
            id: &id_text,
            supplier_id: &supplier_text,
            supplier_name: &found.fields.legal_name,
            organisation: &organisation,
            sender: &sender,
            sent_at: tx.now(),
            deadline,
            rule_set_version: version,
            questions: &questions,
            questions_sha256: &sha,
            criteria: rule_set
                .criteria
                .iter()
                .map(|c| {
                    (
                        c.key.clone(),
                        crate::words::pick(language, &c.title_en, &c.title_sv).to_owned(),
                    )
                })
                .collect(),
            language,
        })?;
        let questionnaire = Questionnaire {
            id,
            supplier_id: supplier,
            rule_set_version: version,
            language,
            questions,
            questions_sha256: sha,
            deadline,
            sent_at: tx.now(),
            sent_by: sender,
            sent_sha256: crate::audit::sha256_hex(&bytes),
            returned: None,
            answers: Vec::new(),
        };
        insert(tx, &questionnaire)?;
        deliver(&bytes)?;
        Ok(Sent {
            file: FileContent {
                name: file_name(&found.fields.legal_name, language, today),
                content: bytes,
            },
            questionnaire,
        })
    })
}

/// What the returned file must be: the one sent for this supplier, or for
/// this questionnaire (the window imports from either), or any.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Expected {
    #[serde(default)]
    pub supplier_id: Option<SupplierId>,
    #[serde(default)]
    pub questionnaire_id: Option<QuestionnaireId>,
}

/// Imports a returned questionnaire from `bytes` (the file `name`): checked
/// to be the one sent, its answers read and checked, the file kept in
/// `store_dir` under its SHA-256, the answers recorded. A questionnaire
/// already returned is refused unless `replace`: then the new answers
/// replace the old, and the trail keeps both. Refused with every problem
/// named; nothing is written then.
pub fn receive(
    db: &Db,
    bytes: Vec<u8>,
    name: &Path,
    expected: Expected,
    replace: bool,
    store_dir: &Path,
) -> Result<Questionnaire> {
    let size = bytes.len();
    if size > MAX_RETURN_BYTES {
        return Err(Refusal::new("refusal.questionnaire.too_large")
            .with("size", size / (1024 * 1024))
            .with("max", MAX_RETURN_BYTES / (1024 * 1024))
            .into());
    }
    let sha256 = crate::audit::sha256_hex(&bytes);
    let mut book = read::Returned::open(bytes.clone())?;
    let ids = book.identifiers()?;
    let unknown = || Error::from(Refusal::new("refusal.questionnaire.unknown"));
    let id = QuestionnaireId(Uuid::parse_str(&ids.questionnaire).map_err(|_| unknown())?);
    let sent = db
        .read(|conn| get_in(conn, id).map(Some).or_else(not_found_none))?
        .ok_or_else(unknown)?;
    let supplier_name = |id: SupplierId| {
        db.read(|conn| {
            Ok(conn
                .query_row(
                    "SELECT legal_name FROM supplier WHERE id = ?1",
                    [id.to_string()],
                    |r| r.get::<_, String>(0),
                )
                .optional()?
                .unwrap_or_else(|| id.to_string()))
        })
    };
    if ids.supplier != sent.supplier_id.to_string() {
        return Err(Refusal::new("refusal.questionnaire.supplier_changed")
            .with("sent_to", supplier_name(sent.supplier_id)?)
            .into());
    }
    if let Some(expected) = expected.supplier_id.filter(|s| *s != sent.supplier_id) {
        return Err(Refusal::new("refusal.questionnaire.other_supplier")
            .with("sent_to", supplier_name(sent.supplier_id)?)
            .with("expected", supplier_name(expected)?)
            .into());
    }
    if let Some(expected) = expected.questionnaire_id.filter(|q| *q != sent.id) {
        let other = db.read(|conn| get_in(conn, expected))?;
        return Err(Refusal::new("refusal.questionnaire.other_questionnaire")
            .with("sent_to", supplier_name(sent.supplier_id)?)
            .with("sent_on", sent.sent_at.date_naive())
            .with("expected_to", supplier_name(other.supplier_id)?)
            .with("expected_on", other.sent_at.date_naive())
            .into());
    }
    if ids.rule_set_version != sent.rule_set_version.to_string()
        || ids.questions_sha256 != sent.questions_sha256
        || ids.language != sent.language.code()
    {
        return Err(Refusal::new("refusal.questionnaire.questions_changed")
            .with("version", sent.rule_set_version)
            .into());
    }
    let (sheet, range) = book.questions_sheet(sent.language)?;
    let edited = read::edited(&sheet, &range, &sent.questions, sent.language);
    if !edited.is_empty() {
        return Err(Error::Invalid(edited));
    }
    let answers = read::answers(&sheet, &range, &sent.questions).map_err(Error::Invalid)?;
    db.write(Permission::Assess, |tx| {
        supplier::editable(tx, sent.supplier_id)?;
        let current = get_in(tx, id)?;
        if let Some(returned) = current.returned.as_ref().filter(|_| !replace) {
            return Err(Refusal::new("refusal.questionnaire_returned")
                .with("date", returned.returned_at.date_naive())
                .into());
        }
        let by = tx.user("import questionnaires")?.display_name.clone();
        let file = supplier::store_bytes(&bytes, name, store_dir)?;
        debug_assert_eq!(file.sha256, sha256);
        let returns = current.returned.map_or(0, |r| r.returns) + 1;
        tx.execute(
            "UPDATE questionnaire SET returned_at = ?2, returned_by = ?3, returns = ?4,
                file_sha256 = ?5, file_name = ?6, file_size = ?7 WHERE id = ?1",
            rusqlite::params![
                id.to_string(),
                tx.now_text(),
                by,
                returns,
                file.sha256,
                file.file_name,
                i64::try_from(size).unwrap_or(i64::MAX)
            ],
        )?;
        write_answers(tx, id, &answers)?;
        get_in(tx, id)
    })
}

fn not_found_none<T>(error: Error) -> Result<Option<T>> {
    match error {
        Error::NotFound { .. } => Ok(None),
        other => Err(other),
    }
}

fn write_answers(tx: &Tx<'_>, id: QuestionnaireId, answers: &[Answer]) -> Result<()> {
    tx.prepare_cached("DELETE FROM questionnaire_answer WHERE questionnaire_id = ?1")?
        .execute([id.to_string()])?;
    let mut insert = tx.prepare_cached(
        "INSERT INTO questionnaire_answer (questionnaire_id, question_id, value) VALUES (?1, ?2, ?3)",
    )?;
    for answer in answers {
        insert.execute(rusqlite::params![
            id.to_string(),
            answer.question,
            answer.value
        ])?;
    }
    Ok(())
}

fn insert(tx: &Connection, q: &Questionnaire) -> Result<()> {
    let file = q.returned.as_ref().map(|r| &r.file);
    tx.prepare_cached(
        "INSERT INTO questionnaire (id, supplier_id, rule_set_version, language, questions,
            questions_sha256, deadline, sent_at, sent_by, sent_sha256, returned_at, returned_by,
            returns, file_sha256, file_name, file_size)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
    )?
    .execute(rusqlite::params![
        q.id.to_string(),
        q.supplier_id.to_string(),
        q.rule_set_version,
        q.language.code(),
        crate::store::to_json(&q.questions)?,
        q.questions_sha256,
        q.deadline,
        crate::context::timestamp(q.sent_at),
        q.sent_by,
        q.sent_sha256,
        q.returned
            .as_ref()
            .map(|r| crate::context::timestamp(r.returned_at)),
        q.returned.as_ref().map(|r| &r.returned_by),
        q.returned.as_ref().map_or(0, |r| r.returns),
        file.map(|f| &f.sha256),
        file.map(|f| &f.file_name),
        file.map(|f| f.size),
    ])?;
    Ok(())
}

fn from_row(row: &Row<'_>) -> rusqlite::Result<(Questionnaire, String)> {
    let returned = match row.get::<_, Option<String>>("file_sha256")? {
        Some(sha256) => Some(Return {
            returned_at: supplier::parse_time(row, "returned_at")?,
            returned_by: row.get("returned_by")?,
            returns: row.get("returns")?,
            file: EvidenceFile {
                sha256,
                file_name: row.get("file_name")?,
                size: row.get("file_size")?,
            },
        }),
        None => None,
    };
    let language: String = row.get("language")?;
    Ok((
        Questionnaire {
            id: QuestionnaireId(supplier::parse_uuid(row, "id")?),
            supplier_id: SupplierId(supplier::parse_uuid(row, "supplier_id")?),
            rule_set_version: row.get("rule_set_version")?,
            language: if language == "sv" {
                Language::Sv
            } else {
                Language::En
            },
            questions: Vec::new(),
            questions_sha256: row.get("questions_sha256")?,
            deadline: row.get("deadline")?,
            sent_at: supplier::parse_time(row, "sent_at")?,
            sent_by: row.get("sent_by")?,
            sent_sha256: row.get("sent_sha256")?,
            returned,
            answers: Vec::new(),
        },
        row.get("questions")?,
    ))
}

/// The questionnaires of `sql` (a SELECT of whole rows), each with its
/// questions and answers.
fn select(
    conn: &Connection,
    sql: &str,
    params: &[&dyn rusqlite::ToSql],
) -> Result<Vec<Questionnaire>> {
    let rows: Vec<(Questionnaire, String)> = conn
        .prepare_cached(sql)?
        .query_map(params, from_row)?
        .collect::<rusqlite::Result<_>>()?;
    let mut answers = conn.prepare_cached(
        "SELECT question_id, value FROM questionnaire_answer WHERE questionnaire_id = ?1",
    )?;
    rows.into_iter()
        .map(|(mut q, questions)| {
            q.questions = crate::store::from_json(&questions)?;
            let mut given: Vec<Answer> = answers
                .query_map([q.id.to_string()], |r| {
                    Ok(Answer {
                        question: r.get(0)?,
                        value: r.get(1)?,
                    })
                })?
                .collect::<rusqlite::Result<_>>()?;
            // In the order of the questions.
            given.sort_by_key(|a| q.questions.iter().position(|x| x.id == a.question));
            q.answers = given;
            Ok(q)
        })
        .collect()
}

fn get_in(conn: &Connection, id: QuestionnaireId) -> Result<Questionnaire> {
    select(
        conn,
        "SELECT * FROM questionnaire WHERE id = ?1",
        &[&id.to_string()],
    )?
    .pop()
    .ok_or_else(|| Error::NotFound {
        entity: "questionnaire",
        id: id.to_string(),
    })
}

/// A supplier's questionnaires, the latest sent first.
pub fn of_supplier_in(conn: &Connection, supplier: SupplierId) -> Result<Vec<Questionnaire>> {
    select(
        conn,
        "SELECT * FROM questionnaire WHERE supplier_id = ?1 ORDER BY sent_at DESC, id",
        &[&supplier.to_string()],
    )
}

/// [`of_supplier_in`] on `db`.
pub fn of_supplier(db: &Db, supplier: SupplierId) -> Result<Vec<Questionnaire>> {
    db.read(|conn| of_supplier_in(conn, supplier))
}

/// The returned questionnaire whose answers an assessment draws on: the
/// supplier's latest return before the assessment was decided, or, while it
/// is not, the latest return.
pub fn drawn_on(
    db: &Db,
    assessment: &crate::assessment::workflow::Assessment,
) -> Result<Option<Questionnaire>> {
    db.read(|conn| drawn_on_in(conn, assessment.supplier_id, Some(assessment)))
}

/// [`drawn_on`] on a connection; with no assessment, the latest return.
pub fn drawn_on_in(
    conn: &Connection,
    supplier: SupplierId,
    assessment: Option<&crate::assessment::workflow::Assessment>,
) -> Result<Option<Questionnaire>> {
    let decided = assessment
        .and_then(|a| a.standing_decision())
        .and_then(|d| DateTime::parse_from_rfc3339(&d.decided_at).ok())
        .map(|at| at.with_timezone(&Utc));
    Ok(of_supplier_in(conn, supplier)?
        .into_iter()
        .filter(|q| {
            q.returned
                .as_ref()
                .is_some_and(|r| decided.is_none_or(|at| r.returned_at <= at))
        })
        .max_by_key(|q| q.returned.as_ref().map(|r| r.returned_at)))
}

/// Every questionnaire of the suppliers of `scope`, by supplier and
/// sending (for the register file).
pub fn all_in(conn: &Connection, scope: &crate::store::sql::Scope) -> Result<Vec<Questionnaire>> {
    let params = scope.params();
    let params: Vec<&dyn rusqlite::ToSql> =
        params.iter().map(|p| p as &dyn rusqlite::ToSql).collect();
    select(
        conn,
        &format!(
            "SELECT * FROM questionnaire {} ORDER BY supplier_id, sent_at, id",
            scope.filter("supplier_id")
        ),
        &params,
    )
}

/// The questionnaires not yet returned, on `today`: how many, how many
/// overdue, and each by deadline.
pub fn outstanding(db: &Db, today: NaiveDate) -> Result<Outstanding> {
    db.read(|conn| {
        let entries: Vec<QuestionnaireEntry> = conn
            .prepare_cached(
                "SELECT q.id, q.supplier_id, s.legal_name, q.deadline, q.sent_at
                 FROM questionnaire q JOIN supplier s ON s.id = q.supplier_id
                 WHERE q.returned_at IS NULL AND s.status <> 'offboarded'
                 ORDER BY q.deadline, s.legal_name, q.id",
            )?
            .query_map([], |row| {
                let deadline: NaiveDate = row.get("deadline")?;
                Ok(QuestionnaireEntry {
                    id: QuestionnaireId(supplier::parse_uuid(row, "id")?),
                    supplier_id: SupplierId(supplier::parse_uuid(row, "supplier_id")?),
                    supplier_name: row.get("legal_name")?,
                    deadline,
                    sent_at: supplier::parse_time(row, "sent_at")?,
                    overdue: deadline < today,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(Outstanding {
            outstanding: entries.len() as u32,
            overdue: entries.iter().filter(|e| e.overdue).count() as u32,
            entries,
        })
    })
}

/// Stores a questionnaire from a register file as it is; one already
/// stored must be the same, or the import is refused naming `field`.
pub fn import_in(tx: &Tx<'_>, q: &Questionnaire, field: &str) -> Result<()> {
    let problems = check_imported(q, field);
    if !problems.is_empty() {
        return Err(Error::Invalid(problems));
    }
    match get_in(tx, q.id).map(Some).or_else(not_found_none)? {
        Some(stored) if stored == *q => Ok(()),
        // The file's suppliers are new to the database: a questionnaire it
        // already holds belongs to another.
        Some(_) => Err(Error::invalid(
            format!("{field}.id"),
            ValidationCode::Duplicate,
            format!("a questionnaire with id {} is already stored", q.id),
        )),
        None => {
            insert(tx, q)?;
            write_answers(tx, q.id, &q.answers)
        }
    }
}

/// What a questionnaire in a register file must hold together.
fn check_imported(q: &Questionnaire, field: &str) -> Vec<FieldError> {
    let mut errors = Vec::new();
    match questions_sha256(&q.questions) {
        Ok(sha) if sha == q.questions_sha256 => {}
        _ => errors.push(FieldError::new(
            format!("{field}.questions_sha256"),
            ValidationCode::Checksum,
            "is not the SHA-256 of the questions",
        )),
    }
    for (i, answer) in q.answers.iter().enumerate() {
        if !q.questions.iter().any(|x| x.id == answer.question) {
            errors.push(FieldError::new(
                format!("{field}.answers[{i}].question"),
                ValidationCode::UnknownValue,
                format!(
                    "{} is not one of its questions",
                    crate::text::shown(&answer.question)
                ),
            ));
        }
        if answer.value.chars().count() > MAX_ANSWER {
            errors.push(FieldError::new(
                format!("{field}.answers[{i}].value"),
                ValidationCode::TooLong,
                format!("at most {MAX_ANSWER} characters"),
            ));
        }
    }
    if !q.answers.is_empty() && q.returned.is_none() {
        errors.push(FieldError::new(
            format!("{field}.returned"),
            ValidationCode::Required,
            "answers need the return they came in",
        ));
    }
    if let Some(file) = q.returned.as_ref().map(|r| &r.file) {
        if file.sha256.len() != 64 || !file.sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
            errors.push(FieldError::new(
                format!("{field}.returned.file.sha256"),
                ValidationCode::Format,
                "is not a SHA-256 (64 hexadecimal digits)",
            ));
        }
    }
    errors
}
