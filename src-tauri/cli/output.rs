//! What the command line prints for people: stored text made safe for a
//! terminal, a supplier's evaluation and the database's summary.

use crate::assessment::workflow;
use crate::store::DbInfo;
use crate::words::{self, Language};
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

/// A supplier's latest assessment as a person reads it, in `language`,
/// criteria and requirements named as the assessment's `rules` name them.
pub(super) fn write_evaluation(
    evaluation: &Evaluation<'_>,
    language: Language,
    out: &mut impl Write,
) -> std::io::Result<()> {
    let Evaluation {
        detail,
        assessment,
        summary,
        rules,
    } = *evaluation;
    let say = |key: &str, params: &[(&str, String)]| words::t(language, key, params);
    let s = &detail.supplier;
    let number = if s.fields.registration_number.is_empty() {
        String::new()
    } else {
        format!(" ({})", s.fields.registration_number)
    };
    let line = |out: &mut dyn Write, indent: &str, text: String| writeln!(out, "{indent}{text}");
    line(
        out,
        "",
        say(
            "cli.evaluation.supplier",
            &[
                ("name", s.fields.legal_name.clone()),
                ("number", number),
                ("tier", words::name_of(language, "tier", &s.fields.tier)),
                ("status", words::name_of(language, "status", &s.status)),
            ],
        ),
    )?;
    line(
        out,
        "",
        say(
            "cli.evaluation.assessment",
            &[
                ("date", assessment.assessed_on.to_string()),
                ("assessor", assessment.assessor.clone()),
                ("version", assessment.rule_set_version.to_string()),
            ],
        ),
    )?;
    match &assessment.step1_result {
        None => line(out, "", say("cli.evaluation.step1None", &[]))?,
        Some(result) => {
            line(
                out,
                "",
                say(
                    "cli.evaluation.step1",
                    &[
                        (
                            "outcome",
                            words::name_of(language, "outcome", &result.outcome),
                        ),
                        ("total", result.total.to_string()),
                        ("maximum", result.maximum.to_string()),
                    ],
                ),
            )?;
            for reason in &result.reasons {
                line(out, "  - ", reason.sentence_in(language, rules))?;
            }
        }
    }
    if let Some(resolution) = &assessment.resolution {
        let resolved = say(
            "cli.evaluation.resolved",
            &[
                (
                    "decision",
                    words::name_of(language, "outcome", &resolution.decision),
                ),
                ("resolver", resolution.resolver.clone()),
                ("at", resolution.at.clone()),
                ("justification", resolution.justification.clone()),
            ],
        );
        line(out, "  ", resolved)?;
    }
    line(out, "", say("cli.evaluation.services", &[]))?;
    for service in &summary.services {
        let level = service
            .level
            .map_or_else(|| "—".to_owned(), |l| words::name_of(language, "band", &l));
        let mut text = say(
            "cli.evaluation.service",
            &[
                ("name", service.name.clone()),
                ("level", level),
                (
                    "verdict",
                    words::name_of(language, "verdict", &service.transfer),
                ),
            ],
        );
        if !service.blocking.is_empty() {
            let count = service.blocking.len().to_string();
            text.push_str("; ");
            text.push_str(&say("cli.evaluation.blockingCount", &[("count", count)]));
        }
        line(out, "  ", text)?;
        for item in &service.blocking {
            line(out, "    - ", item.sentence_in(language, rules))?;
        }
    }
    for service in &summary.services_not_assessed {
        let text = say("cli.evaluation.notAssessed", &[("name", service.clone())]);
        line(out, "  ", text)?;
    }
    let either =
        |yes: bool, key_yes: &str, key_no: &str| say(if yes { key_yes } else { key_no }, &[]);
    let exposed = either(
        detail.exposure.exposed,
        "cli.evaluation.exposed",
        "cli.evaluation.notExposed",
    );
    line(
        out,
        "",
        say("cli.evaluation.exposure", &[("state", exposed)]),
    )?;
    for reason in &detail.exposure.reasons {
        line(out, "  - ", reason.sentence_in(language))?;
    }
    let required = either(
        summary.approval_required,
        "cli.evaluation.required",
        "cli.evaluation.notRequired",
    );
    line(
        out,
        "",
        say("cli.evaluation.approval", &[("state", required)]),
    )?;
    for reason in &summary.approval_reasons {
        line(out, "  - ", reason.sentence_in(language, rules))?;
    }
    let blocked = either(summary.blocked, "cli.evaluation.yes", "cli.evaluation.no");
    line(
        out,
        "",
        say("cli.evaluation.blocked", &[("state", blocked)]),
    )?;
    for blocker in &summary.blockers {
        line(out, "  - ", blocker.sentence_in(language, rules))?;
    }
    let state = summary.state.sentence_in(language);
    line(out, "", say("cli.evaluation.state", &[("state", state)]))
}

/// What `tillit evaluate` prints: the supplier, its latest assessment and
/// what the core computed of it, under the assessment's rule set.
#[derive(Clone, Copy)]
pub(super) struct Evaluation<'a> {
    pub detail: &'a crate::supplier::SupplierDetail,
    pub assessment: &'a workflow::Assessment,
    pub summary: &'a workflow::Summary,
    pub rules: Option<&'a crate::rules::RuleSet>,
}

pub(super) fn write_info(
    info: &DbInfo,
    language: Language,
    out: &mut impl Write,
) -> std::io::Result<()> {
    let (database, schema) = (
        words::phrase(language, "cli.info.database"),
        words::phrase(language, "cli.info.schema"),
    );
    let label = database.chars().count().max(schema.chars().count()) + 2;
    let pad = |text: &str| format!("{text:<label$}");
    writeln!(
        out,
        "{}{}",
        pad(database),
        info.path.as_deref().unwrap_or(":memory:")
    )?;
    let supports = words::t(
        language,
        "cli.info.supports",
        &[
            ("version", info.schema_version.to_string()),
            ("supported", info.supported_schema_version.to_string()),
        ],
    );
    writeln!(out, "{}{supports}", pad(schema))?;
    writeln!(out, "{}", words::phrase(language, "cli.info.tables"))?;
    let width = info.tables.iter().map(|t| t.table.len()).max().unwrap_or(0);
    for table in &info.tables {
        let rows = format!("{:>8}", table.rows);
        let rows = words::t(language, "cli.info.rows", &[("rows", rows)]);
        writeln!(out, "  {:<width$}  {rows}", table.table)?;
    }
    Ok(())
}
