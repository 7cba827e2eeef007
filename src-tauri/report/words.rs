//! The reports' words in English and Swedish: each phrase is written where it
//! is used as `w.t("pdf.word.english")`; the names of the register's values
//! and the computed reasons are here, once.

use crate::approval::{Capacity, Condition, Decision};
use crate::assessment::certification::{Finding, Standing};
use crate::assessment::step1::Step1Outcome;
use crate::assessment::step1::Step1Reason;
use crate::assessment::workflow::{
    ApprovalReason, AssessmentState, Blocker, BlockingItem, RequirementStatus, Treatment,
};
use crate::jurisdiction::{ExposureReason, LocationClass};
use crate::review::FollowUpKind;
use crate::rules::{RiskBand, RuleSet, Verdict};
use crate::settings::Language;
use crate::supplier::{DataClassification, EvidenceKind, PersonalData, SupplierStatus, Tier};
use crate::transfer::FiredRule;
use crate::words::Said;

/// The language a report is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Words(pub Language);

impl Words {
    /// The catalogue's phrase `key` in this language.
    pub fn t(self, key: &str) -> &str {
        crate::words::phrase(self.0, key)
    }

    /// The catalogue's sentence `key` in this language, with each `{name}`
    /// of `params` filled in.
    pub fn say(self, key: &str, params: &[(&str, String)]) -> String {
        crate::words::t(self.0, key, params)
    }

    pub fn yes_no(self, value: bool) -> &'static str {
        if value {
            self.t("common.yes")
        } else {
            self.t("common.no")
        }
    }

    pub fn tier(self, tier: Tier) -> &'static str {
        match tier {
            Tier::Critical => self.t("tier.critical"),
            Tier::Essential => self.t("tier.essential"),
            Tier::Standard => self.t("tier.standard"),
        }
    }

    pub fn status(self, status: SupplierStatus) -> &'static str {
        match status {
            SupplierStatus::Draft => self.t("status.draft"),
            SupplierStatus::InAssessment => self.t("status.in_assessment"),
            SupplierStatus::Approved => self.t("status.approved"),
            SupplierStatus::ApprovedWithConditions => self.t("status.approved_with_conditions"),
            SupplierStatus::Rejected => self.t("status.rejected"),
            SupplierStatus::ReassessmentRequired => self.t("status.reassessment_required"),
            SupplierStatus::Offboarded => self.t("status.offboarded"),
        }
    }

    pub fn band(self, band: RiskBand) -> &'static str {
        match band {
            RiskBand::Low => self.t("band.low"),
            RiskBand::Medium => self.t("substitutability.medium"),
            RiskBand::High => self.t("band.high"),
            RiskBand::Critical => self.t("tier.critical"),
        }
    }

    pub fn outcome(self, outcome: Step1Outcome) -> &'static str {
        match outcome {
            Step1Outcome::Approved => self.t("status.approved"),
            Step1Outcome::Escalate => self.t("outcome.escalate"),
            Step1Outcome::Stop => self.t("outcome.stop"),
        }
    }

    pub fn decision(self, decision: Decision) -> &'static str {
        match decision {
            Decision::Approve => self.t("status.approved"),
            Decision::ApproveWithConditions => self.t("status.approved_with_conditions"),
            Decision::Reject => self.t("status.rejected"),
        }
    }

    pub fn capacity(self, capacity: Capacity) -> &'static str {
        match capacity {
            Capacity::Management => self.t("pdf.summary.management_approval"),
            Capacity::Officer => self.t("pdf.word.officer_s_decision"),
        }
    }

    pub fn verdict(self, verdict: Verdict) -> &'static str {
        match verdict {
            Verdict::Allowed => self.t("verdict.allowed"),
            Verdict::Safeguards => self.t("verdict.safeguards"),
            Verdict::Forbidden => self.t("verdict.forbidden"),
        }
    }

    pub fn treatment(self, treatment: Treatment) -> &'static str {
        match treatment {
            Treatment::Mitigate => self.t("treatment.mitigate"),
            Treatment::Accept => self.t("treatment.accept"),
            Treatment::Transfer => self.t("treatment.transfer"),
            Treatment::Avoid => self.t("treatment.avoid"),
        }
    }

    pub fn requirement_status(self, status: Option<RequirementStatus>) -> &'static str {
        match status {
            Some(RequirementStatus::InContract) => self.t("pdf.word.in_the_contract"),
            Some(RequirementStatus::Missing) => self.t("pdf.word.missing"),
            Some(RequirementStatus::NotApplicable) => self.t("pdf.word.not_applicable"),
            Some(RequirementStatus::DeviationAccepted) => self.t("pdf.word.deviation_accepted"),
            None => self.t("pdf.word.not_marked"),
        }
    }

    pub fn classification(self, c: DataClassification) -> &'static str {
        match c {
            DataClassification::Public => self.t("classification.public"),
            DataClassification::Internal => self.t("classification.internal"),
            DataClassification::Confidential => self.t("classification.confidential"),
            DataClassification::StrictlyConfidential => {
                self.t("classification.strictly_confidential")
            }
        }
    }

    pub fn personal_data(self, p: PersonalData) -> &'static str {
        match p {
            PersonalData::None => self.t("personal.none"),
            PersonalData::Personal => self.t("personal.personal"),
            PersonalData::SpecialCategory => {
                self.t("pdf.word.special_category_personal_data_gdpr_art")
            }
        }
    }

    pub fn location_class(self, class: LocationClass) -> &'static str {
        match class {
            LocationClass::Se => self.t("location.SE"),
            LocationClass::EuEea => self.t("location.EU_EEA"),
            LocationClass::Adequate => self.t("pdf.word.an_adequate_country"),
            LocationClass::Third => self.t("pdf.word.a_third_country"),
        }
    }

    pub fn evidence_kind(self, kind: EvidenceKind) -> &'static str {
        match kind {
            EvidenceKind::Iso27001 => "ISO/IEC 27001",
            EvidenceKind::Iso27017 => "ISO/IEC 27017",
            EvidenceKind::Iso27018 => "ISO/IEC 27018",
            EvidenceKind::Iso22301 => "ISO 22301",
            EvidenceKind::Soc2Type2 => self.t("evidenceKind.soc2_type2"),
            EvidenceKind::Isae3000Type2 => self.t("evidenceKind.isae3000_type2"),
            EvidenceKind::Isae3402Type2 => self.t("evidenceKind.isae3402_type2"),
            EvidenceKind::C5 => "BSI C5",
            EvidenceKind::Other => self.t("evidenceKind.other"),
        }
    }

    pub fn follow_up_kind(self, kind: FollowUpKind) -> &'static str {
        match kind {
            FollowUpKind::Incident => self.t("followUpKind.incident"),
            FollowUpKind::SlaBreach => self.t("pdf.word.sla_breach"),
            FollowUpKind::AdverseAuditFinding => self.t("followUpKind.adverse_audit_finding"),
            FollowUpKind::FinancialDistress => self.t("pdf.word.financial_distress"),
            FollowUpKind::SanctionsListing => self.t("followUpKind.sanctions_listing"),
            FollowUpKind::ServiceChange => self.t("followUpKind.service_change"),
            FollowUpKind::SubcontractorChange => self.t("pdf.word.change_of_subcontractors"),
            FollowUpKind::OwnershipChange => self.t("followUpKind.ownership_change"),
            FollowUpKind::EvidenceExpired => self.t("followUpKind.evidence_expired"),
            FollowUpKind::AdequacyChange => self.t("followUpKind.adequacy_change"),
            FollowUpKind::ContractRenewal => self.t("followUpKind.contract_renewal"),
            FollowUpKind::ContractEnd => self.t("followUpKind.contract_end"),
            FollowUpKind::ReviewDue => self.t("followUpKind.review_due"),
        }
    }

    /// A country's name with its code, e.g. "Sweden (SE)"; empty stays empty.
    pub fn country(self, code: &str) -> String {
        crate::jurisdiction::country_label(self.0, code)
    }

    /// Countries by name, comma-separated.
    pub fn countries(self, codes: &[String]) -> String {
        codes
            .iter()
            .map(|c| self.country(c))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// A contract requirement's text under `rules`.
    pub fn requirement(self, rules: &RuleSet, key: &str) -> String {
        rules.requirement_text(self.0, key)
    }

    /// One of two texts the data holds in both languages.
    pub fn pick<'a>(self, en: &'a str, sv: &'a str) -> &'a str {
        crate::words::pick(self.0, en, sv)
    }

    pub fn step1_reason(self, rules: &RuleSet, reason: &Step1Reason) -> String {
        reason.sentence_in(self.0, Some(rules))
    }

    pub fn exposure_reason(self, reason: &ExposureReason) -> String {
        reason.sentence_in(self.0)
    }

    pub fn fired_rule(self, fired: &FiredRule) -> String {
        fired.sentence_in(self.0)
    }

    /// A linked evidence item and whether it counts for criterion 1.
    pub fn certification_finding(self, f: &Finding) -> String {
        let name = match (f.kind, f.title.is_empty()) {
            (Some(kind), true) => self.evidence_kind(kind).to_owned(),
            (Some(kind), false) => format!("{}: {}", self.evidence_kind(kind), f.title),
            (None, _) => self.t("pdf.word.removed").to_owned(),
        };
        let period = match (f.current_from, f.current_until) {
            (Some(from), Some(until)) => {
                format!(" ({} {from} – {until})", self.t("pdf.word.current"))
            }
            (None, Some(until)) => {
                format!(" ({} {until})", self.t("pdf.word.current_until"))
            }
            _ => String::new(),
        };
        let standing = match f.standing {
            Standing::Counts => self.t("standing.counts"),
            Standing::CountsBesideCertificate => self.t("standing.counts_beside_certificate"),
            Standing::NotCurrent => self.t("standing.not_current"),
            Standing::NeedsCertificate => self.t("standing.needs_certificate"),
            Standing::NeverCounts => self.t("standing.never_counts"),
            Standing::Removed => self.t("standing.removed"),
        };
        format!("{name}{period}: {standing}")
    }

    /// Where an assessment stands.
    pub fn state(self, state: AssessmentState) -> String {
        state.sentence_in(self.0)
    }

    /// What stands in the way of a decision.
    pub fn blocker(self, rules: &RuleSet, blocker: &Blocker) -> String {
        blocker.sentence_in(self.0, Some(rules))
    }

    pub fn blocking(self, rules: &RuleSet, item: &BlockingItem) -> String {
        item.sentence_in(self.0, Some(rules))
    }

    pub fn approval_reason(self, rules: &RuleSet, reason: &ApprovalReason) -> String {
        reason.sentence_in(self.0, Some(rules))
    }

    /// A decision's conditions, one per line, numbered: what, by when, and
    /// their state on `today` (open, OVERDUE, or closed when, by whom,
    /// how); none is called overdue without a `today` (a voided decision).
    pub fn conditions(self, conditions: &[Condition], today: Option<chrono::NaiveDate>) -> String {
        conditions
            .iter()
            .enumerate()
            .map(|(k, c)| {
                let due = c.due_on.map_or_else(
                    || self.t("condition.noDueDate").to_owned(),
                    |d| self.say("condition.dueOn", &[("date", d.to_string())]),
                );
                let state = match &c.closed {
                    Some(closed) => self.say(
                        "condition.closed",
                        &[
                            (
                                "date",
                                closed.closed_at.get(..10).unwrap_or_default().to_owned(),
                            ),
                            ("name", closed.closed_by_name.clone()),
                            ("note", closed.note.clone()),
                        ],
                    ),
                    None if today.is_some_and(|today| c.overdue(today)) => {
                        self.t("pdf.condition.overdue").to_owned()
                    }
                    None => self.t("condition.open").to_owned(),
                };
                format!("{}. {} ({due}; {state})", k + 1, c.text)
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// A recorded reason in this language, where it was recorded in every
    /// language; else as it was written.
    pub fn said(self, said: Option<&Said>, written: &str) -> String {
        said.map_or_else(|| written.to_owned(), |s| s.in_language(self.0).to_owned())
    }
}
