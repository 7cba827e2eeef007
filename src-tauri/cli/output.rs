//! What the command line prints for people: stored text made safe for a
//! terminal, a supplier's evaluation and the database's summary.

use crate::assessment::workflow;
use crate::store::DbInfo;
use std::io::Write;

/// `text` as it may reach a terminal: control characters (but line breaks
/// and tabs) and characters that reorder text are written as `\u{…}`
/// escapes, so nothing stored in the database can move the cursor, clear
/// the screen or make a line read differently from what it holds.
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    let unsafe_char = |c: char| c == '\r' || crate::text::is_unsafe_char(c, true);
    if !text.chars().any(unsafe_char) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut clean = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if unsafe_char(c) {
            clean.push_str(&c.escape_unicode().to_string());
        } else {
            clean.push(c);
        }
    }
    std::borrow::Cow::Owned(clean)
}

/// A writer that passes text on through [`printable`].
pub(super) struct Printable<'w, W: Write>(pub(super) &'w mut W);

impl<W: Write> Write for Printable<'_, W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let text = String::from_utf8_lossy(buf);
        self.0.write_all(printable(&text).as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}

pub(super) fn write_evaluation(
    detail: &crate::supplier::SupplierDetail,
    assessment: &workflow::Assessment,
    summary: &workflow::Summary,
    out: &mut impl Write,
) -> std::io::Result<()> {
    let s = &detail.supplier;
    let number = if s.fields.registration_number.is_empty() {
        String::new()
    } else {
        format!(" ({})", s.fields.registration_number)
    };
    writeln!(
        out,
        "{}{number} — tier {}, status {}",
        s.fields.legal_name,
        s.fields.tier.as_str(),
        s.status.as_str()
    )?;
    writeln!(
        out,
        "Assessment of {} by {}, rule set version {}",
        assessment.assessed_on, assessment.assessor, assessment.rule_set_version
    )?;
    match &assessment.step1_result {
        None => writeln!(out, "Step 1: not recorded")?,
        Some(result) => {
            writeln!(
                out,
                "Step 1: {} ({} of {})",
                result.outcome.as_str(),
                result.total,
                result.maximum
            )?;
            for reason in &result.reasons {
                writeln!(out, "  - {}", reason.sentence())?;
            }
        }
    }
    if let Some(resolution) = &assessment.resolution {
        writeln!(
            out,
            "  Resolved to {} by {} on {}: {}",
            resolution.decision.as_str(),
            resolution.resolver,
            resolution.at,
            resolution.justification
        )?;
    }
    writeln!(out, "Services:")?;
    for service in &summary.services {
        let level = service.level.map_or("—", |l| l.as_str());
        writeln!(
            out,
            "  {}: risk level {level}; transfer {}{}",
            service.name,
            service.transfer.as_str(),
            if service.blocking.is_empty() {
                String::new()
            } else {
                format!("; {} blocking item(s)", service.blocking.len())
            }
        )?;
        for item in &service.blocking {
            writeln!(out, "    - {}", item.sentence())?;
        }
    }
    for name in &summary.services_not_assessed {
        writeln!(out, "  {name}: not assessed yet")?;
    }
    writeln!(
        out,
        "Exposure to foreign access law: {}",
        if detail.exposure.exposed {
            "exposed"
        } else {
            "not exposed"
        }
    )?;
    for reason in &detail.exposure.reasons {
        writeln!(out, "  - {}", reason.sentence())?;
    }
    writeln!(
        out,
        "Management approval: {}",
        if summary.approval_required {
            "required"
        } else {
            "not required"
        }
    )?;
    for reason in &summary.approval_reasons {
        writeln!(out, "  - {}", reason.sentence())?;
    }
    writeln!(
        out,
        "Blocked: {}",
        if summary.blocked { "yes" } else { "no" }
    )?;
    for blocker in &summary.blockers {
        writeln!(out, "  - {}", blocker.sentence())?;
    }
    writeln!(
        out,
        "State: {}",
        summary.state.sentence_in(crate::settings::Language::En)
    )
}

pub(super) fn write_info(info: &DbInfo, out: &mut impl Write) -> std::io::Result<()> {
    writeln!(
        out,
        "Database:        {}",
        info.path.as_deref().unwrap_or(":memory:")
    )?;
    writeln!(
        out,
        "Schema version:  {} (this Tillit supports up to {})",
        info.schema_version, info.supported_schema_version
    )?;
    writeln!(out, "Tables:")?;
    let width = info.tables.iter().map(|t| t.table.len()).max().unwrap_or(0);
    for table in &info.tables {
        writeln!(out, "  {:<width$}  {:>8} rows", table.table, table.rows)?;
    }
    Ok(())
}
