//! The questionnaire as a workbook: a cover sheet saying who asks, for
//! which supplier, by when and how to return it; the questions in sections,
//! one for each criterion, with their help and an answer cell each (the only
//! cells not protected, validated for the question's kind); and a hidden
//! sheet with the identifiers the import checks. Where each question stands
//! follows from the questions alone ([`question_rows`]), so the import finds
//! the answers without trusting anything in the file but the identifiers.

use crate::error::{Error, Result};
use crate::rules::{AnswerKind, Question};
use crate::words::{pick, Language};
use chrono::{DateTime, NaiveDate, Utc};
use rust_xlsxwriter::{
    Color, DataValidation, DataValidationRule, DocProperties, ExcelDateTime, Format, FormatAlign,
    FormatBorder, Workbook, Worksheet, XlsxError,
};

/// The columns of the questions sheet (0-based).
pub(super) const COLUMN_NUMBER: u16 = 0;
pub(super) const COLUMN_QUESTION: u16 = 1;
pub(super) const COLUMN_ANSWER: u16 = 2;
pub(super) const COLUMN_HELP: u16 = 5;

/// The row (0-based) of the first section heading.
const FIRST_ROW: u32 = 4;

/// The name of the sheet of identifiers, hidden, in every language.
pub(super) const ID_SHEET: &str = "Tillit";

/// What the hidden sheet's first column names, in order.
pub(super) const ID_KEYS: [&str; 6] = [
    "format",
    "questionnaire",
    "supplier",
    "rule_set_version",
    "questions_sha256",
    "language",
];

/// The value of `format` this version of Tillit writes and reads.
pub(super) const FORMAT: &str = "tillit-questionnaire/1";

/// The row (0-based) of each question on the questions sheet: after a
/// section heading at every change of criterion.
pub(super) fn question_rows(questions: &[Question]) -> Vec<u32> {
    let mut row = FIRST_ROW;
    let mut previous: Option<&str> = None;
    questions
        .iter()
        .map(|q| {
            if previous != Some(q.criterion.as_str()) {
                row += 1;
                previous = Some(q.criterion.as_str());
            }
            let at = row;
            row += 1;
            at
        })
        .collect()
}

/// A cell's name as a spreadsheet shows it (`C7`).
pub(super) fn cell_name(row: u32, column: u16) -> String {
    let letter = char::from(b'A' + u8::try_from(column).unwrap_or(25).min(25));
    format!("{letter}{}", row + 1)
}

/// Everything the workbook says.
pub(super) struct Sheet<'a> {
    pub id: &'a str,
    pub supplier_id: &'a str,
    pub supplier_name: &'a str,
    pub organisation: &'a str,
    pub sender: &'a str,
    pub sent_at: DateTime<Utc>,
    pub deadline: NaiveDate,
    pub rule_set_version: u32,
    pub questions: &'a [Question],
    pub questions_sha256: &'a str,
    /// Each criterion's key and title in the workbook's language.
    pub criteria: Vec<(String, String)>,
    pub language: Language,
}

/// The workbook's bytes.
pub(super) fn write(sheet: &Sheet<'_>) -> Result<Vec<u8>> {
    build(sheet).map_err(|e| Error::Internal(format!("writing the questionnaire: {e}")))
}

fn build(s: &Sheet<'_>) -> std::result::Result<Vec<u8>, XlsxError> {
    let l = s.language;
    let mut book = Workbook::new();
    book.set_properties(
        &DocProperties::new()
            .set_title(p(l, "questionnaire.book.title"))
            .set_company(s.organisation)
            .set_author(s.sender)
            .set_creation_datetime(&s.sent_at),
    );
    cover(book.add_worksheet(), s)?;
    questions(book.add_worksheet(), s)?;
    identifiers(book.add_worksheet(), s)?;
    book.save_to_buffer()
}

/// The catalogue's phrase `key` in `l`.
fn p(l: Language, key: &str) -> &'static str {
    crate::words::entry(l, key).unwrap_or("")
}

/// What an answer of `kind` is, in `l`.
fn kind_name(l: Language, kind: AnswerKind) -> &'static str {
    p(l, &format!("questionnaire.kind.{}", kind.as_str()))
}

fn wrapped() -> Format {
    Format::new().set_text_wrap().set_align(FormatAlign::Top)
}

fn cover(sheet: &mut Worksheet, s: &Sheet<'_>) -> std::result::Result<(), XlsxError> {
    let l = s.language;
    sheet.set_name(p(l, "questionnaire.book.cover_sheet"))?;
    sheet.set_column_width(0, 26)?;
    sheet.set_column_width(1, 70)?;
    let title = Format::new().set_bold().set_font_size(16);
    let label = Format::new().set_bold().set_align(FormatAlign::Top);
    sheet.write_string_with_format(0, 0, p(l, "questionnaire.book.title"), &title)?;
    let rows: [(&str, String); 6] = [
        (
            p(l, "questionnaire.book.from"),
            if s.organisation.trim().is_empty() {
                s.sender.to_owned()
            } else {
                format!("{} ({})", s.organisation, s.sender)
            },
        ),
        (p(l, "questionnaire.book.to"), s.supplier_name.to_owned()),
        (
            p(l, "questionnaire.book.sent"),
            s.sent_at.date_naive().to_string(),
        ),
        (p(l, "questionnaire.book.deadline"), s.deadline.to_string()),
        (
            p(l, "questionnaire.book.questions_count"),
            s.questions.len().to_string(),
        ),
        (p(l, "questionnaire.book.reference"), s.id.to_owned()),
    ];
    for (i, (name, value)) in rows.iter().enumerate() {
        let row = 2 + i as u32;
        sheet.write_string_with_format(row, 0, *name, &label)?;
        sheet.write_string_with_format(row, 1, value, &wrapped())?;
    }
    sheet.write_string_with_format(9, 0, p(l, "questionnaire.book.how_heading"), &label)?;
    let how = ["how1", "how2", "how3", "how4"].map(|step| {
        crate::words::t(
            l,
            &format!("questionnaire.book.{step}"),
            &[
                (
                    "sheet",
                    p(l, "questionnaire.book.questions_sheet").to_owned(),
                ),
                ("sender", s.sender.to_owned()),
                ("deadline", s.deadline.to_string()),
            ],
        )
    });
    for (i, step) in how.iter().enumerate() {
        let row = 10 + i as u32;
        sheet.write_string_with_format(row, 1, step, &wrapped())?;
        sheet.set_row_height(row, 32)?;
    }
    sheet.set_paper_size(9).set_print_fit_to_pages(1, 0);
    sheet.protect();
    sheet.set_active(true);
    Ok(())
}

fn questions(sheet: &mut Worksheet, s: &Sheet<'_>) -> std::result::Result<(), XlsxError> {
    let l = s.language;
    sheet.set_name(p(l, "questionnaire.book.questions_sheet"))?;
    for (column, width) in [
        (0, 7.0),
        (1, 60.0),
        (2, 34.0),
        (3, 16.0),
        (4, 13.0),
        (5, 55.0),
    ] {
        sheet.set_column_width(column, width)?;
    }
    let title = Format::new().set_bold().set_font_size(14);
    sheet.write_string_with_format(0, 0, p(l, "questionnaire.book.title"), &title)?;
    sheet.write_string_with_format(
        1,
        0,
        format!(
            "{} · {}: {}",
            s.supplier_name,
            p(l, "questionnaire.book.deadline"),
            s.deadline
        ),
        &Format::new(),
    )?;
    sheet.write_string_with_format(
        2,
        0,
        p(l, "questionnaire.book.answer_hint"),
        &Format::new().set_italic(),
    )?;
    let header = Format::new()
        .set_bold()
        .set_border_bottom(FormatBorder::Thin)
        .set_background_color(Color::RGB(0xD9E2F3));
    for (column, name) in ["number", "question", "answer", "kind", "required", "help"]
        .iter()
        .enumerate()
    {
        let name = p(l, &format!("questionnaire.book.column_{name}"));
        sheet.write_string_with_format(FIRST_ROW - 1, column as u16, name, &header)?;
    }
    let section = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xEDEDED));
    let answer = Format::new()
        .set_unlocked()
        .set_background_color(Color::RGB(0xFFF2CC))
        .set_border(FormatBorder::Thin)
        .set_border_color(Color::RGB(0xBF9000))
        .set_align(FormatAlign::Top)
        .set_text_wrap();
    let date_answer = answer.clone().set_num_format("yyyy-mm-dd");
    let rows = question_rows(s.questions);
    let mut previous: Option<&str> = None;
    for (q, &row) in s.questions.iter().zip(&rows) {
        if previous != Some(q.criterion.as_str()) {
            let title = s
                .criteria
                .iter()
                .find(|(key, _)| *key == q.criterion)
                .map_or(q.criterion.as_str(), |(_, title)| title.as_str());
            sheet.merge_range(row - 1, 0, row - 1, COLUMN_HELP, title, &section)?;
            previous = Some(q.criterion.as_str());
        }
        sheet.write_string_with_format(row, COLUMN_NUMBER, &q.id, &wrapped())?;
        sheet.write_string_with_format(
            row,
            COLUMN_QUESTION,
            pick(l, &q.text_en, &q.text_sv),
            &wrapped(),
        )?;
        let format = if q.kind == AnswerKind::Date {
            &date_answer
        } else {
            &answer
        };
        sheet.write_blank(row, COLUMN_ANSWER, format)?;
        sheet.write_string_with_format(row, 3, kind_name(l, q.kind), &wrapped())?;
        sheet.write_string_with_format(
            row,
            4,
            p(
                l,
                if q.required {
                    "questionnaire.book.required"
                } else {
                    "questionnaire.book.optional"
                },
            ),
            &wrapped(),
        )?;
        sheet.write_string_with_format(
            row,
            COLUMN_HELP,
            pick(l, &q.help_en, &q.help_sv),
            &wrapped(),
        )?;
        let text = pick(l, &q.text_en, &q.text_sv);
        let help = pick(l, &q.help_en, &q.help_sv);
        let lines = (text.chars().count() / 55).max(help.chars().count() / 50) + 1;
        sheet.set_row_height(row, 15.0 * lines.min(8) as f64 + 3.0)?;
        sheet.add_data_validation(
            row,
            COLUMN_ANSWER,
            row,
            COLUMN_ANSWER,
            &validation(l, q.kind)?,
        )?;
    }
    sheet.set_freeze_panes(FIRST_ROW, 0)?;
    sheet
        .set_paper_size(9)
        .set_landscape()
        .set_print_fit_to_pages(1, 0)
        .set_repeat_rows(FIRST_ROW - 1, FIRST_ROW - 1)?;
    sheet.protect();
    Ok(())
}

/// What an answer cell accepts, and the message it shows.
fn validation(l: Language, kind: AnswerKind) -> std::result::Result<DataValidation, XlsxError> {
    let rule = match kind {
        AnswerKind::YesNoPartly => DataValidation::new().allow_list_strings(&super::choices(l))?,
        AnswerKind::Date => DataValidation::new().allow_date(DataValidationRule::Between(
            ExcelDateTime::from_ymd(1950, 1, 1)?,
            ExcelDateTime::from_ymd(2199, 12, 31)?,
        )),
        AnswerKind::Number => DataValidation::new().allow_decimal_number(
            DataValidationRule::Between(-1_000_000_000.0, 1_000_000_000.0),
        ),
        AnswerKind::Text | AnswerKind::Countries => {
            DataValidation::new().allow_text_length(DataValidationRule::LessThanOrEqualTo(
                u32::try_from(super::MAX_ANSWER).unwrap_or(u32::MAX),
            ))
        }
    };
    rule.set_input_title(kind_name(l, kind))?
        .set_input_message(p(l, &format!("questionnaire.input.{}", kind.as_str())))?
        .set_error_title(kind_name(l, kind))?
        .set_error_message(p(l, &format!("questionnaire.input.{}", kind.as_str())))
}

fn identifiers(sheet: &mut Worksheet, s: &Sheet<'_>) -> std::result::Result<(), XlsxError> {
    sheet.set_name(ID_SHEET)?;
    let version = s.rule_set_version.to_string();
    let values = [
        FORMAT,
        s.id,
        s.supplier_id,
        version.as_str(),
        s.questions_sha256,
        s.language.code(),
    ];
    for (row, (key, value)) in ID_KEYS.iter().zip(values).enumerate() {
        sheet.write_string(row as u32, 0, *key)?;
        sheet.write_string(row as u32, 1, value)?;
    }
    sheet.protect();
    sheet.set_very_hidden(true);
    Ok(())
}
