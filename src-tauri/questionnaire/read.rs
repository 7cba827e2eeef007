//! Reading a returned workbook: its identifiers from the hidden sheet, the
//! questions as the file shows them, and each answer checked against its
//! question's kind. Every problem is named by sheet, cell and question.

use super::workbook::{
    cell_name, question_rows, COLUMN_ANSWER, COLUMN_HELP, COLUMN_NUMBER, COLUMN_QUESTION, FORMAT,
    ID_KEYS, ID_SHEET,
};
use super::{Answer, MAX_ANSWER};
use crate::error::{Error, FieldError, Refusal, Result, ValidationCode};
use crate::jurisdiction::CountryCode;
use crate::rules::{AnswerKind, Question};
use crate::words::{pick, Language};
use calamine::{Data, Range, Reader, Xlsx};
use chrono::NaiveDate;
use std::io::Cursor;

/// What the hidden sheet of a returned workbook says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Identifiers {
    pub questionnaire: String,
    pub supplier: String,
    pub rule_set_version: String,
    pub questions_sha256: String,
    pub language: String,
}

/// An opened workbook.
pub(super) struct Returned {
    book: Xlsx<Cursor<Vec<u8>>>,
}

/// The file is not a questionnaire Tillit sent, for the reason `key`.
fn not_ours(key: &'static str) -> Error {
    Refusal::new(key).into()
}

impl Returned {
    pub fn open(bytes: Vec<u8>) -> Result<Returned> {
        let book = calamine::open_workbook_from_rs(Cursor::new(bytes))
            .map_err(|_| not_ours("refusal.questionnaire.not_xlsx"))?;
        Ok(Returned { book })
    }

    /// The identifiers of the hidden sheet; refused when it is missing or
    /// not Tillit's.
    pub fn identifiers(&mut self) -> Result<Identifiers> {
        let range = self
            .book
            .worksheet_range(ID_SHEET)
            .map_err(|_| not_ours("refusal.questionnaire.no_identifiers"))?;
        let value = |row: usize| -> Result<String> {
            let key = text_of(range.get_value((row as u32, 0)));
            if key != ID_KEYS[row] {
                return Err(not_ours("refusal.questionnaire.identifiers_changed"));
            }
            Ok(text_of(range.get_value((row as u32, 1))))
        };
        if value(0)? != FORMAT {
            return Err(not_ours("refusal.questionnaire.format"));
        }
        Ok(Identifiers {
            questionnaire: value(1)?,
            supplier: value(2)?,
            rule_set_version: value(3)?,
            questions_sha256: value(4)?,
            language: value(5)?,
        })
    }

    /// The questions sheet of `language`.
    pub fn questions_sheet(&mut self, language: Language) -> Result<(String, Range<Data>)> {
        let name = crate::words::phrase(language, "questionnaire.book.questions_sheet").to_owned();
        let range = self.book.worksheet_range(&name).map_err(|_| {
            Error::from(
                Refusal::new("refusal.questionnaire.no_questions_sheet").with("sheet", &name),
            )
        })?;
        Ok((name, range))
    }
}

/// The questions the sheet shows that are not the ones sent: each named by
/// its cell.
pub(super) fn edited(
    sheet: &str,
    range: &Range<Data>,
    questions: &[Question],
    language: Language,
) -> Vec<FieldError> {
    let mut errors = Vec::new();
    for (q, row) in questions.iter().zip(question_rows(questions)) {
        for (column, sent) in [
            (COLUMN_NUMBER, q.id.as_str()),
            (COLUMN_QUESTION, pick(language, &q.text_en, &q.text_sv)),
            (COLUMN_HELP, pick(language, &q.help_en, &q.help_sv)),
        ] {
            if text_of(range.get_value((row, u32::from(column)))) != sent {
                errors.push(FieldError::new(
                    format!("{sheet}!{}", cell_name(row, column)),
                    ValidationCode::UnknownValue,
                    format!(
                        "question {} has been changed: the file no longer asks what was sent",
                        q.id
                    ),
                ));
            }
        }
    }
    errors
}

/// Every answer, each checked against its question's kind; or every
/// problem, by sheet, cell and question.
pub(super) fn answers(
    sheet: &str,
    range: &Range<Data>,
    questions: &[Question],
) -> std::result::Result<Vec<Answer>, Vec<FieldError>> {
    let mut answers = Vec::new();
    let mut errors = Vec::new();
    for (q, row) in questions.iter().zip(question_rows(questions)) {
        let cell = range.get_value((row, u32::from(COLUMN_ANSWER)));
        let problem = |code, what: String| {
            FieldError::new(
                format!("{sheet}!{}", cell_name(row, COLUMN_ANSWER)),
                code,
                format!("question {}: {what}", q.id),
            )
        };
        match value_of(q.kind, cell) {
            Ok(None) if q.required => errors.push(problem(
                ValidationCode::Required,
                "an answer is required".into(),
            )),
            Ok(None) => {}
            Ok(Some(value)) => answers.push(Answer {
                question: q.id.clone(),
                value,
            }),
            Err((code, what)) => errors.push(problem(code, what)),
        }
    }
    if errors.is_empty() {
        Ok(answers)
    } else {
        Err(errors)
    }
}

/// A cell's text as written, numbers as a spreadsheet shows them.
fn text_of(cell: Option<&Data>) -> String {
    match cell {
        None | Some(Data::Empty) => String::new(),
        Some(Data::String(s)) | Some(Data::DateTimeIso(s)) | Some(Data::DurationIso(s)) => {
            s.clone()
        }
        Some(Data::Int(n)) => n.to_string(),
        Some(Data::Float(f)) => number_text(*f),
        Some(Data::Bool(b)) => b.to_string(),
        Some(Data::DateTime(d)) => number_text(d.as_f64()),
        Some(Data::Error(e)) => format!("{e}"),
    }
}

fn number_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

type Problem = (ValidationCode, String);

/// An answer as Tillit keeps it (`yes`, `2026-05-31`, `12.5`, `SE, DE`),
/// `None` when the cell is empty.
fn value_of(kind: AnswerKind, cell: Option<&Data>) -> std::result::Result<Option<String>, Problem> {
    if let Some(Data::Error(e)) = cell {
        return Err((
            ValidationCode::Format,
            format!("the cell holds the error {e}"),
        ));
    }
    let text = text_of(cell);
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let found = crate::text::shown(text);
    let value = match kind {
        AnswerKind::YesNoPartly => {
            let lower = text.to_lowercase();
            super::CHOICES
                .iter()
                .find(|choice| {
                    Language::ALL.iter().any(|&l| {
                        crate::words::phrase(l, &format!("questionnaire.choice.{choice}"))
                            .to_lowercase()
                            == lower
                    })
                })
                .map(|choice| (*choice).to_owned())
                .ok_or((
                    ValidationCode::UnknownValue,
                    format!("expected Yes, No or Partly, found {found}"),
                ))?
        }
        AnswerKind::Date => date_of(cell, text)
            .ok_or((
                ValidationCode::Format,
                format!("expected a date (YYYY-MM-DD), found {found}"),
            ))?
            .to_string(),
        AnswerKind::Number => {
            let number = match cell {
                Some(Data::Int(n)) => Some(*n as f64),
                Some(Data::Float(f)) => Some(*f),
                _ => text.replace(',', ".").replace(' ', "").parse::<f64>().ok(),
            };
            match number {
                Some(n) if n.is_finite() => number_text(n),
                _ => {
                    return Err((
                        ValidationCode::Format,
                        format!("expected a number, found {found}"),
                    ))
                }
            }
        }
        AnswerKind::Text => {
            if text.chars().count() > MAX_ANSWER {
                return Err((
                    ValidationCode::TooLong,
                    format!("at most {MAX_ANSWER} characters"),
                ));
            }
            text.chars()
                .map(|c| if c.is_control() && c != '\n' { ' ' } else { c })
                .collect()
        }
        AnswerKind::Countries => {
            let mut codes: Vec<String> = Vec::new();
            for part in text
                .split([',', ';', '\n', ' '])
                .filter(|p| !p.trim().is_empty())
            {
                let code = CountryCode::parse(part).ok_or((
                    ValidationCode::UnknownCountry,
                    format!(
                        "{} is not a country code (two letters, such as SE or DE)",
                        crate::text::shown(part.trim())
                    ),
                ))?;
                if !codes.iter().any(|c| c == code.as_str()) {
                    codes.push(code.as_str().to_owned());
                }
            }
            codes.join(", ")
        }
    };
    Ok(Some(value))
}

/// A date from a date cell (a serial day) or from text written as ISO.
fn date_of(cell: Option<&Data>, text: &str) -> Option<NaiveDate> {
    let serial = match cell {
        Some(Data::DateTime(d)) => Some(d.as_f64()),
        Some(Data::Float(f)) => Some(*f),
        Some(Data::Int(n)) => Some(*n as f64),
        _ => None,
    };
    let date = match serial {
        // Day 1 is 1900-01-01 (counting the 29 February 1900 a spreadsheet
        // believes in, so days from 61 on count from 1899-12-30).
        Some(days) if (61.0..2_958_466.0).contains(&days) => {
            NaiveDate::from_ymd_opt(1899, 12, 30)?.checked_add_days(chrono::Days::new(days as u64))
        }
        Some(_) => None,
        None => {
            let (day, rest) = text.split_at_checked(10).unwrap_or((text, ""));
            if !(rest.is_empty() || rest.starts_with(['T', ' '])) {
                return None;
            }
            NaiveDate::parse_from_str(day, "%Y-%m-%d").ok()
        }
    }?;
    (1900..=2199)
        .contains(&chrono::Datelike::year(&date))
        .then_some(date)
}
