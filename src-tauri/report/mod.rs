//! PDF reports (DOMAIN §10): the assessment report of one supplier, the
//! supplier register, and the review summary to share with customers.
//!
//! Each report is built in two steps: a model read from the database (what
//! the report says), then [`pdf`] lays it out to bytes (how it looks). The
//! rendering is a pure function of the model, its language and the clock, so
//! tests compare bytes. Every page carries the document's fingerprint: the
//! SHA-256 of the model in canonical JSON. Saving a report records it in the
//! audit trail with the SHA-256 of the PDF written.

pub mod assessment;
pub mod check;
pub mod pdf;
pub mod register;
pub mod summary;
mod words;

use crate::access::Permission;
use crate::error::{Error, Result, ValidationCode};
use crate::settings::Language;
use crate::store::Db;
use crate::supplier::SupplierId;
use chrono::{DateTime, NaiveDate, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::path::Path;
use ts_rs::TS;

pub use words::Words;

crate::ids::text_enum! {
    /// Which report.
    ReportKind {
        #[default]
        Assessment = "assessment",
        Register = "register",
        Summary = "summary",
    }
}

/// Who generated a report and when: on every page, and part of its fingerprint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Generated {
    pub at: DateTime<Utc>,
    /// The name of the signed-in user, or "Tillit" when none; the issuing
    /// organisation on a report that names no person.
    pub by: String,
    /// The organisation that issues the report (Settings → Organisation),
    /// empty until it is described.
    #[serde(default)]
    pub issuer: String,
    pub language: Language,
    /// The head of the audit trail when the report was made: printed on
    /// every page as an anchor an auditor keeps (DOMAIN §9).
    pub head: Option<crate::audit::Anchor>,
}

impl Generated {
    /// Now, by the signed-in user.
    pub fn now(db: &Db, language: Language) -> Generated {
        Generated {
            at: db.now(),
            by: db
                .signed_in()
                .map_or_else(|| "Tillit".to_owned(), |u| u.display_name),
            issuer: db
                .read(crate::settings::organisation_in)
                .map(|o| o.legal_name)
                .unwrap_or_default(),
            language,
            head: db.read(crate::audit::head).ok().flatten(),
        }
    }

    /// Now, naming no person: by the issuing organisation (or Tillit), for
    /// a report shared outside (the review summary).
    pub fn anonymous(db: &Db, language: Language) -> Generated {
        let mut generated = Generated::now(db, language);
        generated.by = if generated.issuer.is_empty() {
            "Tillit".to_owned()
        } else {
            generated.issuer.clone()
        };
        generated
    }

    pub fn today(&self) -> NaiveDate {
        self.at.date_naive()
    }
}

/// A rendered report.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub kind: ReportKind,
    pub bytes: Vec<u8>,
    /// SHA-256 (hex) of the report's content, printed on every page.
    pub fingerprint: String,
    pub pages: usize,
    /// The name the save dialog proposes.
    pub file_name: String,
}

/// What a saved report was, as the UI shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SavedReport {
    pub path: String,
    pub pages: u32,
    pub bytes: u32,
    /// SHA-256 (hex) of the PDF file, as recorded in the audit trail.
    pub sha256: String,
    /// SHA-256 (hex) of the report's content, printed on every page.
    pub fingerprint: String,
}

/// The fingerprint of a report model: SHA-256 of its canonical JSON.
pub fn fingerprint<T: Serialize>(model: &T) -> Result<String> {
    let value = serde_json::to_value(model).map_err(|e| Error::Internal(e.to_string()))?;
    Ok(crate::audit::sha256_hex(
        crate::audit::canonical(&value).as_bytes(),
    ))
}

/// The frame every page carries, and the document metadata.
pub(crate) fn frame(
    w: Words,
    generated: &Generated,
    title: &str,
    marking: &str,
    fingerprint: &str,
) -> pdf::Frame {
    pdf::Frame {
        title: title.to_owned(),
        marking: marking.to_owned(),
        generated: {
            let mut line = format!(
                "{} {} {} {}",
                w.t("pdf.report.generated"),
                generated.at.format("%Y-%m-%d %H:%M UTC"),
                w.t("pdf.report.by"),
                generated.by
            );
            if !generated.issuer.is_empty() && generated.issuer != generated.by {
                line.push_str(&format!(
                    " · {} {}",
                    w.t("pdf.report.issued_by"),
                    generated.issuer
                ));
            }
            line
        },
        page_of: w.t("pdf.report.page_page_of_pages").to_owned(),
        fingerprint: format!(
            "{}: {fingerprint}",
            w.t("pdf.report.document_fingerprint_sha_256")
        ),
        check: match &generated.head {
            Some(head) => w.say(
                "pdf.report.check",
                &[
                    ("seq", head.seq.to_string()),
                    ("hash", head.hash[..16.min(head.hash.len())].to_owned()),
                ],
            ),
            None => w.t("pdf.report.check_no_trail").to_owned(),
        },
    }
}

pub(crate) fn meta(
    generated: &Generated,
    title: &str,
    subject: &str,
    fingerprint: &str,
) -> pdf::Meta {
    pdf::Meta {
        title: title.to_owned(),
        author: generated.by.clone(),
        language: match generated.language {
            Language::En => "en-GB",
            Language::Sv => "sv-SE",
        }
        .to_owned(),
        subject: subject.to_owned(),
        keywords: vec![
            "Tillit".into(),
            "supplier risk".into(),
            "NIS2".into(),
            "DORA".into(),
        ],
        created: generated.at.timestamp(),
        identifier: fingerprint[..32.min(fingerprint.len())].to_owned(),
    }
}

/// A name made safe for a file name: letters, digits and dashes.
pub fn file_part(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-');
    if out.is_empty() {
        "supplier".to_owned()
    } else {
        out.chars().take(60).collect()
    }
}

/// Renders a report, writes it to `path` (atomically) and records the
/// export in the audit trail with the PDF's SHA-256. Needs a signed-in user
/// who may export; nothing is written otherwise.
/// `entity_id` names what the report is about (a supplier's id; empty for
/// the whole register).
pub fn save(
    db: &Db,
    rendered: &Rendered,
    path: &Path,
    entity_id: &str,
    details: serde_json::Value,
) -> Result<SavedReport> {
    db.require_user(Permission::Export.describe())?;
    crate::files::save(path, &db.protected(), &rendered.bytes)?;
    issue(
        db,
        rendered,
        &path.display().to_string(),
        entity_id,
        details,
    )
    .inspect_err(|_| {
        // A report the trail does not know is not left behind.
        let _ = std::fs::remove_file(path);
    })
}

/// Records in the audit trail that `rendered` was issued as `file` (a path
/// written here, or the name of a report sent over the team server).
fn issue(
    db: &Db,
    rendered: &Rendered,
    file: &str,
    entity_id: &str,
    details: serde_json::Value,
) -> Result<SavedReport> {
    let mut details = details;
    if let Some(map) = details.as_object_mut() {
        map.insert("fingerprint".into(), rendered.fingerprint.clone().into());
        map.insert("pages".into(), rendered.pages.into());
        map.insert("file".into(), file.into());
    }
    let sha256 = crate::audit::record_export(
        db,
        &format!("report.{}", rendered.kind.as_str()),
        entity_id,
        details,
        &rendered.bytes,
    )?;
    Ok(SavedReport {
        path: file.to_owned(),
        pages: u32::try_from(rendered.pages).unwrap_or(u32::MAX),
        bytes: u32::try_from(rendered.bytes.len()).unwrap_or(u32::MAX),
        sha256,
        fingerprint: rendered.fingerprint.clone(),
    })
}

/// The language reports are written in when none is asked for: the UI's.
pub fn default_language(db: &Db) -> Result<Language> {
    Ok(crate::settings::ui_settings(db)?
        .language
        .unwrap_or(Language::En))
}

/// Reads and renders a report. The assessment report needs `supplier`;
/// the register is sorted by name.
pub fn render(
    db: &Db,
    kind: ReportKind,
    supplier: Option<SupplierId>,
    language: Language,
) -> Result<Rendered> {
    render_in_order(db, kind, supplier, language, register::RegisterOrder::Name)
}

/// Reads and renders a report, the register's rows in `order`.
pub fn render_in_order(
    db: &Db,
    kind: ReportKind,
    supplier: Option<SupplierId>,
    language: Language,
    order: register::RegisterOrder,
) -> Result<Rendered> {
    // A report states the situation as of today (DOMAIN §8, §10).
    crate::review::run_checks(db)?;
    match kind {
        ReportKind::Assessment => {
            assessment::render(&assessment::model(db, need_supplier(supplier)?, language)?)
        }
        ReportKind::Register => register::render(&register::model(db, language, order)?),
        ReportKind::Summary => summary::render(&summary::model(db, language)?),
    }
}

fn need_supplier(supplier: Option<SupplierId>) -> Result<SupplierId> {
    supplier.ok_or_else(|| {
        Error::invalid(
            "supplier",
            ValidationCode::Required,
            "the assessment report is about one supplier: choose it",
        )
    })
}

/// The name the save dialog proposes, e.g. `Tillit-assessment-Acme-AB-2026-11-22.pdf`.
pub fn file_name(db: &Db, kind: ReportKind, supplier: Option<SupplierId>) -> Result<String> {
    let today = db.now().date_naive();
    Ok(match kind {
        ReportKind::Assessment => {
            let detail = crate::supplier::supplier_detail(db, need_supplier(supplier)?)?;
            format!(
                "Tillit-assessment-{}-{today}.pdf",
                file_part(&detail.supplier.fields.legal_name)
            )
        }
        ReportKind::Register => format!("Tillit-register-{today}.pdf"),
        ReportKind::Summary => format!("Tillit-review-summary-{today}.pdf"),
    })
}

/// Renders a report and saves it to `path`, recorded in the audit trail;
/// the register's rows in `order` (by name when none).
pub fn export(
    db: &Db,
    kind: ReportKind,
    supplier: Option<SupplierId>,
    language: Language,
    order: Option<register::RegisterOrder>,
    path: &Path,
) -> Result<SavedReport> {
    let (rendered, entity_id, details) = issued(db, kind, supplier, language, order)?;
    save(db, &rendered, path, &entity_id, details)
}

/// A report issued whole over the team server: what the trail recorded,
/// and the PDF, for the client to save where the person chooses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct IssuedReport {
    pub report: SavedReport,
    pub file: crate::files::FileContent,
}

/// Renders a report and records it in the audit trail as issued under its
/// proposed file name; the PDF comes back to be saved by the client.
pub fn issue_content(
    db: &Db,
    kind: ReportKind,
    supplier: Option<SupplierId>,
    language: Language,
    order: Option<register::RegisterOrder>,
) -> Result<IssuedReport> {
    let (rendered, entity_id, details) = issued(db, kind, supplier, language, order)?;
    let name = file_name(db, kind, supplier)?;
    let report = issue(db, &rendered, &name, &entity_id, details)?;
    Ok(IssuedReport {
        report,
        file: crate::files::FileContent {
            name,
            content: rendered.bytes,
        },
    })
}

/// A report rendered for issuing, with what the trail records of it.
fn issued(
    db: &Db,
    kind: ReportKind,
    supplier: Option<SupplierId>,
    language: Language,
    order: Option<register::RegisterOrder>,
) -> Result<(Rendered, String, serde_json::Value)> {
    db.require_user(Permission::Export.describe())?;
    let order = order.unwrap_or_default();
    let rendered = render_in_order(db, kind, supplier, language, order)?;
    let entity_id = supplier
        .filter(|_| kind == ReportKind::Assessment)
        .map(|s| s.to_string())
        .unwrap_or_default();
    let details = match kind {
        ReportKind::Register => {
            serde_json::json!({ "language": language.code(), "order": order.as_str() })
        }
        _ => serde_json::json!({ "language": language.code() }),
    };
    Ok((rendered, entity_id, details))
}
