//! Rule sets: the catalogues, scales and thresholds every assessment is
//! evaluated under (DOMAIN §3–§6). Each number is a default an administrator
//! may change; the engines (`assessment`, `transfer`) read only what is here,
//! so a stored rule set version reproduces every result made under it.

mod defaults;

mod dimension;
pub mod questions;
pub use defaults::{default_anchors, default_rule_set, RATING_SCALE_EN, RATING_SCALE_SV};
pub use dimension::{ListedDimension, RiskDimension};
pub use questions::{AnswerKind, Question};

use crate::ids::text_enum;
use crate::words::{self, Language};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

text_enum! {
    /// The highest classification of the data a service handles.
    DataClassification {
        Public = "public",
        #[default]
        Internal = "internal",
        Confidential = "confidential",
        StrictlyConfidential = "strictly_confidential",
    }
}

text_enum! {
    /// Personal data a service processes.
    PersonalData { #[default] None = "none", Personal = "personal", SpecialCategory = "special_category" }
}

/// A criterion of step 1 (the supplier organisation), rated 0–3.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, schemars::JsonSchema)]
pub struct Criterion {
    /// Stable key, e.g. `financial_stability`.
    pub key: String,
    pub title_en: String,
    pub title_sv: String,
    /// What each rating 0, 1, 2, 3 means for this criterion.
    pub anchors_en: [String; 4],
    pub anchors_sv: [String; 4],
}

/// The thresholds of the step-1 outcome (DOMAIN §3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, schemars::JsonSchema)]
pub struct Step1Thresholds {
    /// Criteria whose rating 0 stops the assessment.
    pub stop_if_zero: Vec<String>,
    /// The criterion that needs a valid certification or attestation.
    pub certification: String,
    /// Without a valid certification, the highest rating compensating controls can earn.
    pub max_rating_without_certification: u8,
    /// Escalate when the total is below this percentage of the maximum.
    pub min_total_percent: u32,
    /// For a critical supplier, escalate when any criterion is below this rating.
    pub critical_min_rating: u8,
}

/// The upper limit of each risk band of `likelihood × impact` (DOMAIN §4):
/// low up to `low_max`, medium up to `medium_max`, high up to `high_max`,
/// critical above.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, schemars::JsonSchema)]
pub struct BandLimits {
    pub low_max: u8,
    pub medium_max: u8,
    pub high_max: u8,
}

/// A level of the likelihood or impact scale, 1–5.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, schemars::JsonSchema)]
pub struct ScaleLevel {
    pub value: u8,
    pub label_en: String,
    pub label_sv: String,
    /// Guidance shown in the form, e.g. "less than once in 10 years".
    pub guidance_en: String,
    pub guidance_sv: String,
}

/// What each impact level 1–5 means in one dimension of step 2.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, schemars::JsonSchema)]
pub struct DimensionGuidance {
    pub dimension: RiskDimension,
    pub impact_en: [String; 5],
    pub impact_sv: [String; 5],
}

/// A contract security requirement and the lowest risk level at which it is mandatory (DOMAIN §5).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, schemars::JsonSchema)]
pub struct RequirementDef {
    pub key: String,
    pub text_en: String,
    pub text_sv: String,
    pub min_level: RiskBand,
    /// Mandatory only when the service processes personal data (e.g. a DPA).
    pub only_with_personal_data: bool,
}

/// A risk band, from low to critical.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    TS,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum RiskBand {
    Low,
    Medium,
    High,
    Critical,
}

impl RiskBand {
    pub fn as_str(self) -> &'static str {
        match self {
            RiskBand::Low => "low",
            RiskBand::Medium => "medium",
            RiskBand::High => "high",
            RiskBand::Critical => "critical",
        }
    }

    /// The band stored as `text` ([`RiskBand::as_str`]).
    pub fn parse(text: &str) -> Option<RiskBand> {
        RiskBand::ALL.into_iter().find(|b| b.as_str() == text)
    }

    /// Every band, lowest first: the order of severity.
    pub const ALL: [RiskBand; 4] = [
        RiskBand::Low,
        RiskBand::Medium,
        RiskBand::High,
        RiskBand::Critical,
    ];

    /// The band's place in [`RiskBand::ALL`], from 1 (low).
    pub fn rank(self) -> i64 {
        RiskBand::ALL
            .iter()
            .position(|b| *b == self)
            .map_or(0, |i| i as i64 + 1)
    }

    /// The band of a rank from [`RiskBand::rank`].
    pub fn of_rank(rank: i64) -> Option<RiskBand> {
        usize::try_from(rank - 1)
            .ok()
            .and_then(|i| RiskBand::ALL.get(i).copied())
    }

    /// [`RiskBand::rank`] in SQL, of the stored band in `column`, so that
    /// SQL finds the highest band as the Rust order does.
    pub fn rank_sql(column: &str) -> String {
        let cases: String = RiskBand::ALL
            .iter()
            .map(|b| format!(" WHEN '{}' THEN {}", b.as_str(), b.rank()))
            .collect();
        format!("(CASE {column}{cases} END)")
    }
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Allowed => "allowed",
            Verdict::Safeguards => "safeguards",
            Verdict::Forbidden => "forbidden",
        }
    }
}

/// What a transfer rule says, from least to most strict.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    TS,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Allowed,
    /// Allowed only with standard contractual clauses and a transfer impact assessment recorded.
    Safeguards,
    Forbidden,
}

/// One row of the transfer table (DOMAIN §6): the verdict for data of
/// `classification` by location class, and when exposed to foreign access law.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, schemars::JsonSchema)]
pub struct TransferRow {
    pub classification: DataClassification,
    pub se: Verdict,
    pub eu_eea: Verdict,
    pub adequate: Verdict,
    pub third: Verdict,
    pub exposed: Verdict,
}

/// What personal data adds to the transfer table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, schemars::JsonSchema)]
pub struct PersonalDataRule {
    pub personal_data: PersonalData,
    pub verdict: Verdict,
    /// The location classes (of where data is stored or accessed) the rule applies to.
    pub applies_to: Vec<crate::jurisdiction::LocationClass>,
}

/// A complete rule set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, schemars::JsonSchema)]
pub struct RuleSet {
    pub criteria: Vec<Criterion>,
    pub step1: Step1Thresholds,
    pub likelihood: Vec<ScaleLevel>,
    pub impact: Vec<ScaleLevel>,
    /// The impact scale read for each dimension, shown in the step-2 form.
    #[serde(default)]
    pub impact_guidance: Vec<DimensionGuidance>,
    pub bands: BandLimits,
    pub requirements: Vec<RequirementDef>,
    pub transfer: Vec<TransferRow>,
    pub personal_data: Vec<PersonalDataRule>,
    /// Countries whose access laws expose data (ISO codes; default US).
    pub exposing_jurisdictions: Vec<String>,
    /// The questions a questionnaire asks (DOMAIN §13); a rule set stored
    /// before questionnaires existed asks Tillit's own.
    #[serde(default = "questions::default_questions")]
    pub questions: Vec<Question>,
}

impl RuleSet {
    /// A criterion's title in `language` (its key when the rules do not know it).
    pub fn criterion_title(&self, language: Language, key: &str) -> String {
        self.criteria.iter().find(|c| c.key == key).map_or_else(
            || key.to_owned(),
            |c| words::pick(language, &c.title_en, &c.title_sv).to_owned(),
        )
    }

    /// A contract requirement's text in `language` (its key when unknown).
    pub fn requirement_text(&self, language: Language, key: &str) -> String {
        self.requirements.iter().find(|r| r.key == key).map_or_else(
            || key.to_owned(),
            |r| words::pick(language, &r.text_en, &r.text_sv).to_owned(),
        )
    }
}

/// A criterion's title under `rules`, or its key when no rules are at hand.
pub fn criterion_title(rules: Option<&RuleSet>, language: Language, key: &str) -> String {
    rules.map_or_else(|| key.to_owned(), |r| r.criterion_title(language, key))
}

/// A requirement's text under `rules`, or its key when no rules are at hand.
pub fn requirement_text(rules: Option<&RuleSet>, language: Language, key: &str) -> String {
    rules.map_or_else(|| key.to_owned(), |r| r.requirement_text(language, key))
}

/// A rule set as stored: its version and who saved it when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, schemars::JsonSchema)]
pub struct StoredRuleSet {
    pub version: u32,
    pub rules: RuleSet,
    pub note: String,
    pub created_by: String,
    pub created_at: String,
}

use crate::error::{Error, FieldError, Result, ValidationCode};
use crate::store::sql::{Connection, OptionalExtension};
use crate::store::{from_json, to_json, Tx};

/// The rule set of `version`.
pub fn get(conn: &Connection, version: u32) -> Result<RuleSet> {
    let content: Option<String> = conn
        .prepare_cached("SELECT content FROM rule_set WHERE version = ?1")?
        .query_row([version], |r| r.get(0))
        .optional()?;
    match content {
        Some(text) => from_json(&text),
        None if version == 1 => Ok(default_rule_set()),
        None => Err(Error::NotFound {
            entity: "rule set version",
            id: version.to_string(),
        }),
    }
}

/// The rule set in force: the highest stored version, or the defaults as
/// version 1 while none is stored.
pub fn current(conn: &Connection) -> Result<StoredRuleSet> {
    let row = conn
        .query_row(
            "SELECT version, content, note, created_by, created_at FROM rule_set ORDER BY version DESC LIMIT 1",
            [],
            |r| Ok((r.get::<_, u32>(0)?, r.get::<_, String>(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .optional()?;
    match row {
        Some((version, content, note, created_by, created_at)) => Ok(StoredRuleSet {
            version,
            rules: from_json(&content)?,
            note,
            created_by,
            created_at,
        }),
        None => Ok(StoredRuleSet {
            version: 1,
            rules: default_rule_set(),
            note: "The defaults of Tillit".into(),
            created_by: "Tillit".into(),
            created_at: String::new(),
        }),
    }
}

/// Stores the defaults as version 1 if no rule set is stored yet, so every
/// assessment refers to a stored version. Returns the version in force.
/// The person whose write puts the defaults in force signs them.
pub fn ensure_stored(tx: &Tx<'_>, now: &str) -> Result<u32> {
    let stored: u32 = tx.query_row("SELECT count(*) FROM rule_set", [], |r| r.get(0))?;
    if stored == 0 {
        tx.execute(
            "INSERT INTO rule_set (version, content, note, created_by, created_at) VALUES (1, ?1, ?2, 'Tillit', ?3)",
            rusqlite::params![to_json(&default_rule_set())?, "The defaults of Tillit", now],
        )?;
        tx.sign(crate::store::signing::Kind::RuleSet, "1")?;
    }
    Ok(current(tx)?.version)
}

/// Checks a rule set an administrator wants to save.
pub fn validate(rules: &RuleSet) -> Result<()> {
    let mut errors = Vec::new();
    let mut push =
        |field: &str, code, message: String| errors.push(FieldError::new(field, code, message));
    let mut keys: Vec<&str> = rules.criteria.iter().map(|c| c.key.as_str()).collect();
    if keys.iter().any(|k| k.trim().is_empty()) {
        push(
            "criteria",
            ValidationCode::Required,
            "every criterion needs a key".into(),
        );
    }
    keys.sort_unstable();
    if keys.windows(2).any(|w| w[0] == w[1]) {
        push(
            "criteria",
            ValidationCode::Duplicate,
            "two criteria have the same key".into(),
        );
    }
    if rules.criteria.is_empty() {
        push(
            "criteria",
            ValidationCode::Required,
            "step 1 needs at least one criterion".into(),
        );
    }
    for key in rules
        .step1
        .stop_if_zero
        .iter()
        .chain(std::iter::once(&rules.step1.certification))
    {
        if !rules.criteria.iter().any(|c| &c.key == key) {
            push(
                "step1",
                ValidationCode::UnknownValue,
                format!("{key:?} is not a criterion of the rule set"),
            );
        }
    }
    if rules.step1.min_total_percent > 100 {
        push(
            "step1.min_total_percent",
            ValidationCode::OutOfRange,
            "must be at most 100".into(),
        );
    }
    if rules.step1.max_rating_without_certification > 3 || rules.step1.critical_min_rating > 3 {
        push(
            "step1",
            ValidationCode::OutOfRange,
            "ratings are 0–3".into(),
        );
    }
    let b = rules.bands;
    if !(1 <= b.low_max && b.low_max < b.medium_max && b.medium_max < b.high_max && b.high_max < 25)
    {
        push(
            "bands",
            ValidationCode::OutOfRange,
            "the band limits must rise: 1 ≤ low < medium < high < 25".into(),
        );
    }
    let mut classes: Vec<_> = rules.transfer.iter().map(|r| r.classification).collect();
    classes.sort_unstable();
    classes.dedup();
    if classes.len() != 4 || rules.transfer.len() != 4 {
        push(
            "transfer",
            ValidationCode::Required,
            "the transfer table needs one row per classification".into(),
        );
    }
    for code in &rules.exposing_jurisdictions {
        if crate::jurisdiction::CountryCode::parse(code).is_none() {
            push(
                "exposing_jurisdictions",
                ValidationCode::UnknownCountry,
                format!("{code:?} is not a country code"),
            );
        }
    }
    let criteria: Vec<&str> = rules.criteria.iter().map(|c| c.key.as_str()).collect();
    errors.extend(questions::problems(&rules.questions, &criteria));
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Error::Invalid(errors))
    }
}

/// Saves an edited rule set as a new version, inside the caller's
/// transaction (`operations::save_rules`, which also brings every supplier's
/// exposure in line); existing assessments keep theirs until re-evaluated.
pub fn save_in(tx: &Tx<'_>, rules: &RuleSet, note: &str) -> Result<u32> {
    validate(rules)?;
    let by = tx.user("change the rule set")?.display_name.clone();
    let now = tx.now_text();
    let latest = ensure_stored(tx, &now)?;
    let version = latest + 1;
    tx.execute(
        "INSERT INTO rule_set (version, content, note, created_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        rusqlite::params![version, to_json(rules)?, note.trim(), by, now],
    )?;
    tx.sign(crate::store::signing::Kind::RuleSet, &version.to_string())?;
    Ok(version)
}

/// Every stored rule set, by version (for the register file).
pub fn all(conn: &Connection) -> Result<Vec<StoredRuleSet>> {
    let mut statement = conn.prepare(
        "SELECT version, content, note, created_by, created_at FROM rule_set ORDER BY version",
    )?;
    let rows: Vec<(u32, String, String, String, String)> = statement
        .query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    rows.into_iter()
        .map(|(version, content, note, created_by, created_at)| {
            Ok(StoredRuleSet {
                version,
                rules: from_json(&content)?,
                note,
                created_by,
                created_at,
            })
        })
        .collect()
}

/// Stores a rule set from a register file under its own version. A version
/// already stored must hold the same rules, or the import is refused.
/// The importing administrator signs it (`interchange` lets only an
/// administrator bring a new version, as the next one).
pub fn import(tx: &Tx<'_>, stored: &StoredRuleSet) -> Result<()> {
    validate(&stored.rules)?;
    let existing: Option<String> = tx
        .query_row(
            "SELECT content FROM rule_set WHERE version = ?1",
            [stored.version],
            |r| r.get(0),
        )
        .optional()?;
    match existing {
        Some(content) if from_json::<RuleSet>(&content)? == stored.rules => Ok(()),
        Some(_) => Err(Error::invalid(
            "rule_sets",
            ValidationCode::Duplicate,
            format!(
                "rule set version {} is already stored with other rules",
                stored.version
            ),
        )),
        None => {
            tx.execute(
                "INSERT INTO rule_set (version, content, note, created_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                rusqlite::params![
                    stored.version,
                    to_json(&stored.rules)?,
                    stored.note,
                    stored.created_by,
                    stored.created_at
                ],
            )?;
            tx.sign(
                crate::store::signing::Kind::RuleSet,
                &stored.version.to_string(),
            )
        }
    }
}

#[cfg(test)]
mod band_tests {
    use super::*;

    #[test]
    fn the_rank_of_a_band_follows_its_severity_in_rust_and_in_sql() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        for pair in RiskBand::ALL.windows(2) {
            assert!(pair[0] < pair[1] && pair[0].rank() < pair[1].rank());
        }
        for band in RiskBand::ALL {
            assert_eq!(RiskBand::of_rank(band.rank()), Some(band));
            let sql: i64 = conn
                .query_row(
                    &format!("SELECT {}", RiskBand::rank_sql("?1")),
                    [band.as_str()],
                    |r| r.get(0),
                )
                .unwrap();
            assert_eq!(sql, band.rank(), "{band:?}");
        }
        assert_eq!(RiskBand::of_rank(0), None);
    }
}
