//! The reports' words in English and Swedish: each phrase is written where it
//! is used as `w.t("English", "Svenska")`; the names of the register's values
//! and the computed reasons are here, once.

use crate::approval::{Capacity, Decision};
use crate::assessment::certification::{Finding, Standing};
use crate::assessment::step1::Step1Outcome;
use crate::assessment::step1::Step1Reason;
use crate::assessment::workflow::{
    ApprovalReason, AssessmentState, Blocker, BlockingItem, RequirementStatus, Treatment,
};
use crate::jurisdiction::{ExposureEntity, ExposureReason, LocationClass};
use crate::review::FollowUpKind;
use crate::rules::{RiskBand, RuleSet, Verdict};
use crate::settings::Language;
use crate::supplier::{DataClassification, EvidenceKind, PersonalData, SupplierStatus, Tier};
use crate::transfer::{FiredRule, TransferRule};

/// The language a report is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Words(pub Language);

impl Words {
    /// The phrase in this language.
    pub fn t(self, en: &'static str, sv: &'static str) -> &'static str {
        match self.0 {
            Language::En => en,
            Language::Sv => sv,
        }
    }

    pub fn yes_no(self, value: bool) -> &'static str {
        if value {
            self.t("Yes", "Ja")
        } else {
            self.t("No", "Nej")
        }
    }

    pub fn tier(self, tier: Tier) -> &'static str {
        match tier {
            Tier::Critical => self.t("Critical", "Kritisk"),
            Tier::Essential => self.t("Essential", "Väsentlig"),
            Tier::Standard => self.t("Standard", "Standard"),
        }
    }

    pub fn status(self, status: SupplierStatus) -> &'static str {
        match status {
            SupplierStatus::Draft => self.t("Draft", "Utkast"),
            SupplierStatus::InAssessment => self.t("In assessment", "Under bedömning"),
            SupplierStatus::Approved => self.t("Approved", "Godkänd"),
            SupplierStatus::ApprovedWithConditions => {
                self.t("Approved with conditions", "Godkänd med villkor")
            }
            SupplierStatus::Rejected => self.t("Rejected", "Avslagen"),
            SupplierStatus::ReassessmentRequired => {
                self.t("Reassessment required", "Ny bedömning krävs")
            }
            SupplierStatus::Offboarded => self.t("Offboarded", "Avvecklad"),
        }
    }

    pub fn band(self, band: RiskBand) -> &'static str {
        match band {
            RiskBand::Low => self.t("Low", "Låg"),
            RiskBand::Medium => self.t("Medium", "Medel"),
            RiskBand::High => self.t("High", "Hög"),
            RiskBand::Critical => self.t("Critical", "Kritisk"),
        }
    }

    pub fn outcome(self, outcome: Step1Outcome) -> &'static str {
        match outcome {
            Step1Outcome::Approved => self.t("Approved", "Godkänd"),
            Step1Outcome::Escalate => self.t("Escalate", "Eskalera"),
            Step1Outcome::Stop => self.t("Stop", "Stopp"),
        }
    }

    pub fn decision(self, decision: Decision) -> &'static str {
        match decision {
            Decision::Approve => self.t("Approved", "Godkänd"),
            Decision::ApproveWithConditions => {
                self.t("Approved with conditions", "Godkänd med villkor")
            }
            Decision::Reject => self.t("Rejected", "Avslagen"),
        }
    }

    pub fn capacity(self, capacity: Capacity) -> &'static str {
        match capacity {
            Capacity::Management => self.t("Management approval", "Ledningens godkännande"),
            Capacity::Officer => self.t("Officer's decision", "Inköparens beslut"),
        }
    }

    pub fn verdict(self, verdict: Verdict) -> &'static str {
        match verdict {
            Verdict::Allowed => self.t("allowed", "tillåten"),
            Verdict::Safeguards => self.t("allowed with safeguards", "tillåten med skyddsåtgärder"),
            Verdict::Forbidden => self.t("forbidden", "förbjuden"),
        }
    }

    pub fn treatment(self, treatment: Treatment) -> &'static str {
        match treatment {
            Treatment::Mitigate => self.t("Mitigate", "Reducera"),
            Treatment::Accept => self.t("Accept", "Acceptera"),
            Treatment::Transfer => self.t("Transfer", "Överföra"),
            Treatment::Avoid => self.t("Avoid", "Undvika"),
        }
    }

    pub fn requirement_status(self, status: Option<RequirementStatus>) -> &'static str {
        match status {
            Some(RequirementStatus::InContract) => self.t("✓ In the contract", "✓ I avtalet"),
            Some(RequirementStatus::Missing) => self.t("✗ Missing", "✗ Saknas"),
            Some(RequirementStatus::NotApplicable) => {
                self.t("– Not applicable", "– Ej tillämpligt")
            }
            Some(RequirementStatus::DeviationAccepted) => {
                self.t("! Deviation accepted", "! Avvikelse accepterad")
            }
            None => self.t("? Not marked", "? Inte markerat"),
        }
    }

    pub fn classification(self, c: DataClassification) -> &'static str {
        match c {
            DataClassification::Public => self.t("Public", "Öppen"),
            DataClassification::Internal => self.t("Internal", "Intern"),
            DataClassification::Confidential => self.t("Confidential", "Konfidentiell"),
            DataClassification::StrictlyConfidential => {
                self.t("Strictly confidential", "Strikt konfidentiell")
            }
        }
    }

    pub fn personal_data(self, p: PersonalData) -> &'static str {
        match p {
            PersonalData::None => self.t("No personal data", "Inga personuppgifter"),
            PersonalData::Personal => self.t("Personal data", "Personuppgifter"),
            PersonalData::SpecialCategory => self.t(
                "Special category personal data (GDPR art. 9)",
                "Känsliga personuppgifter (art. 9 GDPR)",
            ),
        }
    }

    pub fn location_class(self, class: LocationClass) -> &'static str {
        match class {
            LocationClass::Se => self.t("Sweden", "Sverige"),
            LocationClass::EuEea => self.t("EU/EEA", "EU/EES"),
            LocationClass::Adequate => self.t("an adequate country", "land med adekvat skyddsnivå"),
            LocationClass::Third => self.t("a third country", "tredjeland"),
        }
    }

    pub fn evidence_kind(self, kind: EvidenceKind) -> &'static str {
        match kind {
            EvidenceKind::Iso27001 => "ISO/IEC 27001",
            EvidenceKind::Iso27017 => "ISO/IEC 27017",
            EvidenceKind::Iso27018 => "ISO/IEC 27018",
            EvidenceKind::Iso22301 => "ISO 22301",
            EvidenceKind::Soc2Type2 => self.t("SOC 2 Type II", "SOC 2 Typ II"),
            EvidenceKind::Isae3000Type2 => self.t("ISAE 3000 Type II", "ISAE 3000 Typ II"),
            EvidenceKind::Isae3402Type2 => self.t("ISAE 3402 Type II", "ISAE 3402 Typ II"),
            EvidenceKind::C5 => "BSI C5",
            EvidenceKind::Other => self.t("Other", "Annat"),
        }
    }

    pub fn follow_up_kind(self, kind: FollowUpKind) -> &'static str {
        match kind {
            FollowUpKind::Incident => {
                self.t("Incident at the supplier", "Incident hos leverantören")
            }
            FollowUpKind::SlaBreach => self.t("SLA breach", "Brutet SLA"),
            FollowUpKind::AdverseAuditFinding => {
                self.t("Adverse audit finding", "Negativt revisionsfynd")
            }
            FollowUpKind::FinancialDistress => self.t("Financial distress", "Finansiella problem"),
            FollowUpKind::SanctionsListing => self.t("Sanctions listing", "Sanktionslistning"),
            FollowUpKind::ServiceChange => self.t("Change to a service", "Ändring av en tjänst"),
            FollowUpKind::SubcontractorChange => {
                self.t("Change of subcontractors", "Ändring av underleverantörer")
            }
            FollowUpKind::OwnershipChange => self.t(
                "Change of ownership or jurisdiction",
                "Ändrat ägande eller jurisdiktion",
            ),
            FollowUpKind::EvidenceExpired => self.t("Evidence expired", "Underlag har gått ut"),
            FollowUpKind::AdequacyChange => {
                self.t("Adequacy decision changed", "Ändrat adekvansbeslut")
            }
            FollowUpKind::ContractRenewal => self.t("Contract renewal", "Avtalsförnyelse"),
            FollowUpKind::ContractEnd => self.t("Contract ended", "Avtalet har löpt ut"),
            FollowUpKind::ReviewDue => self.t("Review due", "Granskning förfallen"),
        }
    }

    /// A country's name with its code, e.g. "Sweden (SE)"; empty stays empty.
    pub fn country(self, code: &str) -> String {
        match crate::jurisdiction::country(code) {
            Some(c) => format!("{} ({code})", self.pick(&c.name_en, &c.name_sv)),
            None => code.to_owned(),
        }
    }

    /// Countries by name, comma-separated.
    pub fn countries(self, codes: &[String]) -> String {
        codes
            .iter()
            .map(|c| self.country(c))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// A risk dimension's name.
    pub fn dimension(self, dimension: &str) -> String {
        match dimension {
            "data_protection" => self.t("Data protection", "Dataskydd").into(),
            "availability" => self.t("Availability", "Tillgänglighet").into(),
            "business_impact" => self.t("Business impact", "Verksamhetspåverkan").into(),
            "regulatory" => self.t("Regulatory", "Regelefterlevnad").into(),
            "reputational" => self.t("Reputational", "Anseende").into(),
            "concentration" => self.t("Concentration", "Koncentration").into(),
            "exit" => "Exit".into(),
            other => other.replace('_', " "),
        }
    }

    /// A criterion's title under `rules` (its key when the rules do not know it).
    pub fn criterion(self, rules: &RuleSet, key: &str) -> String {
        rules.criteria.iter().find(|c| c.key == key).map_or_else(
            || key.to_owned(),
            |c| self.pick(&c.title_en, &c.title_sv).to_owned(),
        )
    }

    /// A contract requirement's text under `rules`.
    pub fn requirement(self, rules: &RuleSet, key: &str) -> String {
        rules
            .requirements
            .iter()
            .find(|r| r.key == key)
            .map_or_else(
                || key.to_owned(),
                |r| self.pick(&r.text_en, &r.text_sv).to_owned(),
            )
    }

    /// One of two texts the data holds in both languages.
    pub fn pick<'a>(self, en: &'a str, sv: &'a str) -> &'a str {
        match self.0 {
            Language::Sv if !sv.is_empty() => sv,
            _ => en,
        }
    }

    pub fn step1_reason(self, rules: &RuleSet, reason: &Step1Reason) -> String {
        match reason {
            Step1Reason::StopCriterionZero { criterion } => format!(
                "{}: {} {}",
                self.t("Stop", "Stopp"),
                self.criterion(rules, criterion),
                self.t("is rated 0", "har bedömts till 0")
            ),
            Step1Reason::CriterionZero { criterion } => format!(
                "{}: {} {}",
                self.t("Escalate", "Eskalera"),
                self.criterion(rules, criterion),
                self.t("is rated 0", "har bedömts till 0")
            ),
            Step1Reason::NoCertificationNoControls => self
                .t(
                    "Escalate: no valid certification and no compensating controls documented",
                    "Eskalera: giltig certifiering saknas och inga kompenserande åtgärder är dokumenterade",
                )
                .into(),
            Step1Reason::TotalBelowThreshold {
                total,
                maximum,
                required_percent,
            } => match self.0 {
                Language::En => format!(
                    "Escalate: the total {total} of {maximum} is below {required_percent} %"
                ),
                Language::Sv => format!(
                    "Eskalera: summan {total} av {maximum} är under {required_percent} %"
                ),
            },
            Step1Reason::CriticalBelowMinimum {
                criterion,
                rating,
                minimum,
            } => {
                let name = self.criterion(rules, criterion);
                match self.0 {
                    Language::En => format!(
                        "Escalate: the supplier is critical and {name} is rated {rating}, below {minimum}"
                    ),
                    Language::Sv => format!(
                        "Eskalera: leverantören är kritisk och {name} har bedömts till {rating}, under {minimum}"
                    ),
                }
            }
        }
    }

    pub fn exposure_reason(self, reason: &ExposureReason) -> String {
        let (name, country) = (&reason.name, reason.country.as_str());
        match (self.0, reason.entity) {
            (Language::En, ExposureEntity::SupplierIncorporated) => {
                format!("{name} is incorporated in {country}.")
            }
            (Language::En, ExposureEntity::SupplierHeadquartered) => {
                format!("{name} is headquartered in {country}.")
            }
            (Language::En, ExposureEntity::UltimateParent) => {
                format!("The ultimate parent {name} is headquartered in {country}.")
            }
            (Language::En, ExposureEntity::Subcontractor) => format!(
                "The subcontractor {name} stores or accesses our data and is based in {country}."
            ),
            (Language::Sv, ExposureEntity::SupplierIncorporated) => {
                format!("{name} är registrerat i {country}.")
            }
            (Language::Sv, ExposureEntity::SupplierHeadquartered) => {
                format!("{name} har sitt huvudkontor i {country}.")
            }
            (Language::Sv, ExposureEntity::UltimateParent) => {
                format!("Det yttersta moderbolaget {name} har sitt huvudkontor i {country}.")
            }
            (Language::Sv, ExposureEntity::Subcontractor) => {
                format!("Underleverantören {name} lagrar eller når vår data och finns i {country}.")
            }
        }
    }

    /// ", through the subcontractor X" when subcontractors bring the countries.
    fn via(self, names: &[String]) -> String {
        match names {
            [] => String::new(),
            [one] => format!(
                ", {} {one}",
                self.t("through the subcontractor", "genom underleverantören")
            ),
            many => format!(
                ", {} {}",
                self.t("through the subcontractors", "genom underleverantörerna"),
                many.join(", ")
            ),
        }
    }

    pub fn fired_rule(self, fired: &FiredRule) -> String {
        let verdict = self.verdict(fired.verdict);
        match &fired.rule {
            TransferRule::Location {
                classification,
                class,
                countries,
                via,
            } => format!(
                "{} {} {} ({}){}: {verdict}",
                self.classification(*classification),
                self.t("data in", "data i"),
                self.location_class(*class),
                countries.join(", "),
                self.via(via)
            ),
            TransferRule::Exposure { classification } => format!(
                "{} {}: {verdict}",
                self.classification(*classification),
                self.t(
                    "data exposed to foreign access law (CLOUD Act)",
                    "data exponerad för utländsk lagstiftning (CLOUD Act)"
                ),
            ),
            TransferRule::PersonalData {
                personal_data,
                class,
                countries,
                via,
            } => format!(
                "{} {} {} ({}){}: {verdict}",
                self.personal_data(*personal_data),
                self.t("in", "i"),
                self.location_class(*class),
                countries.join(", "),
                self.via(via)
            ),
            TransferRule::NoLocation => format!(
                "{}: {verdict}",
                self.t(
                    "No storage or access country is recorded",
                    "Inget land för lagring eller åtkomst är angivet"
                )
            ),
        }
    }

    /// A linked evidence item and whether it counts for criterion 1.
    pub fn certification_finding(self, f: &Finding) -> String {
        let name = match (f.kind, f.title.is_empty()) {
            (Some(kind), true) => self.evidence_kind(kind).to_owned(),
            (Some(kind), false) => format!("{}: {}", self.evidence_kind(kind), f.title),
            (None, _) => self.t("(removed)", "(borttaget)").to_owned(),
        };
        let period = match (f.current_from, f.current_until) {
            (Some(from), Some(until)) => {
                format!(" ({} {from} – {until})", self.t("current", "giltigt"))
            }
            (None, Some(until)) => {
                format!(" ({} {until})", self.t("current until", "giltigt till"))
            }
            _ => String::new(),
        };
        let standing = match f.standing {
            Standing::Counts => self.t("counts", "räknas"),
            Standing::CountsBesideCertificate => self.t(
                "counts beside the ISO/IEC 27001 certificate",
                "räknas tillsammans med ISO/IEC 27001-certifikatet",
            ),
            Standing::NotCurrent => self.t(
                "not current on the assessment date",
                "inte giltigt på bedömningsdagen",
            ),
            Standing::NeedsCertificate => self.t(
                "counts only beside a valid ISO/IEC 27001 certificate",
                "räknas bara tillsammans med ett giltigt ISO/IEC 27001-certifikat",
            ),
            Standing::NeverCounts => self.t(
                "never counts as the certification",
                "räknas aldrig som certifiering",
            ),
            Standing::Removed => {
                self.t("no longer in the register", "finns inte längre i registret")
            }
        };
        format!("{name}{period}: {standing}")
    }

    /// Where an assessment stands.
    pub fn state(self, state: AssessmentState) -> &'static str {
        match state {
            AssessmentState::Step1Unrated => {
                self.t("Step 1 is not complete", "Steg 1 är inte klart")
            }
            AssessmentState::Escalated => self.t(
                "Escalated in step 1: awaiting management's resolution",
                "Eskalerad i steg 1: inväntar ledningens avgörande",
            ),
            AssessmentState::Stopped => self.t(
                "Stopped in step 1: the supplier is rejected",
                "Stoppad i steg 1: leverantören är avvisad",
            ),
            AssessmentState::Step2Incomplete => {
                self.t("Step 2 is not complete", "Steg 2 är inte klart")
            }
            AssessmentState::Blocked => self.t(
                "Not submitted: something blocks approval",
                "Inte inlämnad: något hindrar ett godkännande",
            ),
            AssessmentState::ReadyToSubmit => self.t(
                "Ready to submit for a decision, not submitted yet",
                "Klar att lämna in för beslut, inte inlämnad ännu",
            ),
            AssessmentState::Submitted => self.t(
                "Submitted: awaiting the decision",
                "Inlämnad: inväntar beslut",
            ),
            AssessmentState::Decided => self.t("Decided", "Beslutad"),
        }
    }

    /// What stands in the way of a decision.
    pub fn blocker(self, rules: &RuleSet, blocker: &Blocker) -> String {
        match blocker {
            Blocker::Step1Unrated { rated, criteria } => format!(
                "{} {rated} {} {criteria} {}",
                self.t("Step 1 is not complete:", "Steg 1 är inte klart:"),
                self.t("of", "av"),
                self.t("criteria rated", "kriterier bedömda")
            ),
            Blocker::Step1Escalated => self
                .t(
                    "Step 1 is escalated: management must resolve the escalation",
                    "Steg 1 är eskalerat: ledningen måste avgöra eskaleringen",
                )
                .to_owned(),
            Blocker::Step1Stopped => self
                .t(
                    "Step 1 ended in stop: the supplier is rejected",
                    "Steg 1 slutade med stopp: leverantören är avvisad",
                )
                .to_owned(),
            Blocker::ServiceNotAssessed { service } => format!(
                "{service}: {}",
                self.t("not assessed in step 2 yet", "inte bedömd i steg 2 ännu")
            ),
            Blocker::Service { service, item } => {
                format!("{service}: {}", self.blocking(rules, item))
            }
        }
    }

    pub fn blocking(self, rules: &RuleSet, item: &BlockingItem) -> String {
        match item {
            BlockingItem::TransferForbidden => self
                .t(
                    "The transfer rules forbid where the data is stored or accessed.",
                    "Överföringsreglerna förbjuder var data lagras eller nås.",
                )
                .into(),
            BlockingItem::SafeguardsMissing => self
                .t(
                    "The transfer needs standard contractual clauses and a transfer impact assessment, not both recorded.",
                    "Både standardavtalsklausuler och en konsekvensbedömning av överföringen måste dokumenteras.",
                )
                .into(),
            BlockingItem::RequirementMissing { key } => format!(
                "{}: {}",
                self.t("Missing from the contract", "Saknas i avtalet"),
                self.requirement(rules, key)
            ),
            BlockingItem::RequirementUnmarked { key } => format!(
                "{}: {}",
                self.t("Not marked yet", "Inte markerat ännu"),
                self.requirement(rules, key)
            ),
        }
    }

    pub fn approval_reason(self, rules: &RuleSet, reason: &ApprovalReason) -> String {
        match (self.0, reason) {
            (_, ApprovalReason::CriticalTier) => self
                .t(
                    "The supplier's tier is critical.",
                    "Leverantörens nivå är kritisk.",
                )
                .into(),
            (Language::En, ApprovalReason::CriticalService { service }) => {
                format!("The risk level of {service} is critical.")
            }
            (Language::Sv, ApprovalReason::CriticalService { service }) => {
                format!("Risknivån för {service} är kritisk.")
            }
            (Language::En, ApprovalReason::HighRiskAccepted { service }) => {
                format!("A risk of level high or above in {service} is accepted.")
            }
            (Language::Sv, ApprovalReason::HighRiskAccepted { service }) => {
                format!("En risk på nivå hög eller högre i {service} accepteras.")
            }
            (Language::En, ApprovalReason::DeviationAccepted { service, key }) => format!(
                "The contract of {service} deviates from “{}”, and the deviation is accepted.",
                self.requirement(rules, key)
            ),
            (Language::Sv, ApprovalReason::DeviationAccepted { service, key }) => format!(
                "Avtalet för {service} avviker från ”{}”, och avvikelsen är accepterad.",
                self.requirement(rules, key)
            ),
        }
    }
}
