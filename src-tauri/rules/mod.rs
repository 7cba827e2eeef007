//! Rule sets: the catalogues, scales and thresholds every assessment is
//! evaluated under (DOMAIN §3–§6). Each number is a default an administrator
//! may change; the engines (`assessment`, `transfer`) read only what is here,
//! so a stored rule set version reproduces every result made under it.

mod defaults;

pub use defaults::default_rule_set;

use crate::supplier::{DataClassification, PersonalData};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A criterion of step 1 (the supplier organisation), rated 0–3.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct BandLimits {
    pub low_max: u8,
    pub medium_max: u8,
    pub high_max: u8,
}

/// A level of the likelihood or impact scale, 1–5.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ScaleLevel {
    pub value: u8,
    pub label_en: String,
    pub label_sv: String,
    /// Guidance shown in the form, e.g. "less than once in 10 years".
    pub guidance_en: String,
    pub guidance_sv: String,
}

/// A contract security requirement and the lowest risk level at which it is mandatory (DOMAIN §5).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RequirementDef {
    pub key: String,
    pub text_en: String,
    pub text_sv: String,
    pub min_level: RiskBand,
    /// Mandatory only when the service processes personal data (e.g. a DPA).
    pub only_with_personal_data: bool,
}

/// A risk band, from low to critical.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum RiskBand {
    Low,
    Medium,
    High,
    Critical,
}

/// What a transfer rule says, from least to most strict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Allowed,
    /// Allowed only with standard contractual clauses and a transfer impact assessment recorded.
    Safeguards,
    Forbidden,
}

/// One row of the transfer table (DOMAIN §6): the verdict for data of
/// `classification` by location class, and when exposed to foreign access law.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TransferRow {
    pub classification: DataClassification,
    pub se: Verdict,
    pub eu_eea: Verdict,
    pub adequate: Verdict,
    pub third: Verdict,
    pub exposed: Verdict,
}

/// What personal data adds to the transfer table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PersonalDataRule {
    pub personal_data: PersonalData,
    pub verdict: Verdict,
    /// The location classes (of where data is stored or accessed) the rule applies to.
    pub applies_to: Vec<crate::jurisdiction::LocationClass>,
}

/// A complete rule set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RuleSet {
    pub criteria: Vec<Criterion>,
    pub step1: Step1Thresholds,
    pub likelihood: Vec<ScaleLevel>,
    pub impact: Vec<ScaleLevel>,
    pub bands: BandLimits,
    pub requirements: Vec<RequirementDef>,
    pub transfer: Vec<TransferRow>,
    pub personal_data: Vec<PersonalDataRule>,
    /// Countries whose access laws expose data (ISO codes; default US).
    pub exposing_jurisdictions: Vec<String>,
}
