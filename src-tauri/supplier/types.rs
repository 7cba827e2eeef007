//! The register's types (DOMAIN §1). `*Fields` are what an officer edits;
//! the records around them add ids, the workflow status and timestamps.

use crate::ids::{id_type, text_enum};
use crate::jurisdiction::{Exposure, LocationClass};
pub use crate::rules::{DataClassification, PersonalData};
use chrono::{DateTime, NaiveDate, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

text_enum! {
    /// How much the organisation depends on the supplier.
    Tier { Critical = "critical", Essential = "essential", #[default] Standard = "standard" }
}

text_enum! {
    /// Where the supplier is in the workflow; changed only by the workflow.
    SupplierStatus {
        #[default]
        Draft = "draft",
        InAssessment = "in_assessment",
        Approved = "approved",
        ApprovedWithConditions = "approved_with_conditions",
        Rejected = "rejected",
        ReassessmentRequired = "reassessment_required",
        Offboarded = "offboarded",
    }
}

text_enum! {
    /// How much a function relies on the service (DORA register of information).
    Reliance { NotSignificant = "not_significant", #[default] Low = "low", Material = "material", Full = "full" }
}

text_enum! {
    /// The type of ICT service, as DORA's register of information lists
    /// them (Annex III of Implementing Regulation (EU) 2024/2956, S01–S19).
    IctServiceType {
        #[default]
        ProjectManagement = "ict_project_management",
        Development = "ict_development",
        HelpDesk = "ict_help_desk",
        SecurityManagement = "ict_security_management",
        ProvisionOfData = "provision_of_data",
        DataAnalysis = "data_analysis",
        FacilitiesAndHosting = "ict_facilities_and_hosting",
        Computation = "computation",
        NonCloudDataStorage = "non_cloud_data_storage",
        TelecomCarrier = "telecom_carrier",
        NetworkInfrastructure = "network_infrastructure",
        Hardware = "hardware_and_physical_devices",
        SoftwareLicencing = "software_licencing",
        OperationManagement = "ict_operation_management",
        Consulting = "ict_consulting",
        RiskManagement = "ict_risk_management",
        CloudIaas = "cloud_iaas",
        CloudPaas = "cloud_paas",
        CloudSaas = "cloud_saas",
    }
}

text_enum! {
    /// How a contract stands to others (DORA's register of information,
    /// B_02.01): on its own, a framework others follow, or one that follows
    /// a framework.
    ContractArrangement {
        #[default]
        Standalone = "standalone",
        Overarching = "overarching",
        Subsequent = "subsequent",
    }
}

text_enum! {
    /// Whether a supplier is a company (or other legal person) or an
    /// individual acting in a business capacity (DORA, B_05.01).
    PersonType { #[default] LegalPerson = "legal_person", Individual = "individual" }
}

text_enum! {
    /// Why a service is hard or impossible to replace (DORA, B_07.01).
    SubstitutabilityReason {
        #[default]
        NoAlternatives = "no_alternatives",
        HardToMigrate = "hard_to_migrate",
        Both = "both",
    }
}

text_enum! {
    /// How readily the organisation could take the service back in-house
    /// (DORA, B_07.01).
    Reintegration {
        #[default]
        Easy = "easy",
        Difficult = "difficult",
        HighlyComplex = "highly_complex",
        NotApplicable = "not_applicable",
    }
}

text_enum! {
    /// The impact of the service being discontinued (DORA, B_07.01), as the
    /// organisation defines low, medium and high.
    Impact { #[default] Low = "low", Medium = "medium", High = "high" }
}

text_enum! {
    /// How sensitive the data the service stores is (DORA's register of
    /// information), as the organisation defines low, medium and high.
    DataSensitivity { #[default] Low = "low", Medium = "medium", High = "high" }
}

text_enum! {
    /// How hard the service is to replace (DORA register of information).
    Substitutability {
        Easy = "easy",
        #[default]
        Medium = "medium",
        HighlyComplex = "highly_complex",
        NotSubstitutable = "not_substitutable",
    }
}

text_enum! {
    /// The kind of a certificate or assurance report.
    EvidenceKind {
        #[default]
        Iso27001 = "iso27001",
        Iso27017 = "iso27017",
        Iso27018 = "iso27018",
        Iso22301 = "iso22301",
        Soc2Type2 = "soc2_type2",
        Isae3000Type2 = "isae3000_type2",
        Isae3402Type2 = "isae3402_type2",
        C5 = "c5",
        Other = "other",
    }
}

id_type! {
    /// The id of a supplier.
    SupplierId;
    /// The id of a service.
    ServiceId;
    /// The id of a subcontractor.
    SubcontractorId;
    /// The id of an evidence item.
    EvidenceId;
}

/// What an officer records about a supplier. Optional text is empty when
/// unknown; countries are ISO 3166-1 alpha-2 codes.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, TS, JsonSchema)]
#[serde(default)]
pub struct SupplierFields {
    pub legal_name: String,
    /// A legal person, or an individual acting in a business capacity.
    pub person_type: PersonType,
    /// The national registration number; a Swedish organisation number
    /// (`NNNNNN-NNNN`, Luhn-checked) when incorporated in SE.
    pub registration_number: String,
    /// Legal Entity Identifier (ISO 17442).
    pub lei: String,
    /// European Unique Identifier.
    pub euid: String,
    pub vat_number: String,
    pub country_of_incorporation: String,
    pub country_of_headquarters: String,
    pub parent_name: String,
    pub parent_identifier: String,
    pub parent_country: String,
    pub website: String,
    pub contact_name: String,
    pub contact_email: String,
    /// Who in our organisation owns the relationship.
    pub internal_owner: String,
    pub tier: Tier,
    pub tier_justification: String,
    /// Certified under the EU–US Data Privacy Framework.
    pub dpf_certified: bool,
    /// An officer's override of the derived exposure: `None` to follow the derivation.
    pub exposure_override: Option<bool>,
    pub exposure_override_justification: String,
    pub notes: String,
}

/// A supplier in the register.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, JsonSchema)]
pub struct Supplier {
    pub id: SupplierId,
    #[serde(flatten)]
    pub fields: SupplierFields,
    pub status: SupplierStatus,
    /// Why the supplier was offboarded.
    pub offboarding_reason: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Supplier {
    /// A supplier newly registered at `now`, in status `draft`.
    pub fn draft(id: SupplierId, fields: SupplierFields, now: DateTime<Utc>) -> Supplier {
        Supplier {
            id,
            fields,
            status: SupplierStatus::Draft,
            offboarding_reason: None,
            created_at: now,
            updated_at: now,
        }
    }
}

/// What an officer records about a service.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, TS, JsonSchema)]
#[serde(default)]
pub struct ServiceFields {
    pub name: String,
    pub description: String,
    pub service_type: String,
    /// The type of ICT service in DORA's list (S01–S19); none while not given.
    pub ict_service_type: Option<IctServiceType>,
    pub data_classification: DataClassification,
    /// How sensitive the stored data is, for DORA; none while not given.
    pub data_sensitivity: Option<DataSensitivity>,
    pub personal_data: PersonalData,
    /// Countries where our data is stored.
    pub storage_countries: Vec<String>,
    /// Countries from which our data is accessed or processed (support, operations).
    pub access_countries: Vec<String>,
    /// The organisation's business functions it supports (their
    /// identifiers, `F1` …).
    pub functions: Vec<String>,
    pub reliance: Reliance,
    pub substitutability: Substitutability,
    /// Why it is hard or impossible to replace, when it is (DORA).
    pub substitutability_reason: Option<SubstitutabilityReason>,
    /// How readily it could be taken back in-house (DORA).
    pub reintegration: Option<Reintegration>,
    /// The impact of its being discontinued (DORA).
    pub discontinuing_impact: Option<Impact>,
    pub rto_hours: Option<u32>,
    pub rpo_hours: Option<u32>,
    /// The availability the SLA promises, in percent.
    pub sla_availability_percent: Option<f64>,
    pub contract_reference: String,
    /// How the contract stands to others (DORA); none while not given.
    pub contract_arrangement: Option<ContractArrangement>,
    /// The reference of the overarching contract a subsequent one follows.
    pub overarching_contract: String,
    pub contract_start: Option<NaiveDate>,
    pub contract_end: Option<NaiveDate>,
    pub renewal_date: Option<NaiveDate>,
    /// Notice the supplier must give to terminate, in days.
    pub notice_period_supplier_days: Option<u32>,
    /// Notice we must give to terminate, in days.
    pub notice_period_customer_days: Option<u32>,
    pub governing_law_country: String,
    /// Annual cost in whole units of `currency`.
    pub annual_cost: Option<i64>,
    /// ISO 4217 code, e.g. SEK or EUR.
    pub currency: String,
    pub exit_plan: bool,
    /// Alternative providers identified.
    pub alternative_providers: String,
}

impl ServiceFields {
    /// Every country data is stored in or accessed from (remote access counts
    /// as a transfer), once each.
    pub fn countries(&self) -> Vec<crate::jurisdiction::CountryCode> {
        let mut codes: Vec<_> = self
            .storage_countries
            .iter()
            .chain(&self.access_countries)
            .filter_map(|c| crate::jurisdiction::CountryCode::parse(c))
            .collect();
        codes.sort();
        codes.dedup();
        codes
    }
}

/// A service a supplier provides.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, JsonSchema)]
pub struct Service {
    pub id: ServiceId,
    pub supplier_id: SupplierId,
    #[serde(flatten)]
    pub fields: ServiceFields,
    /// The worst location class of its storage and access countries
    /// (computed; `None` while no country is recorded).
    #[serde(default)]
    pub location_class: Option<LocationClass>,
    /// The subcontractors that store or access its data (computed: those
    /// that work on it), whose countries join its own (DOMAIN §2). For the
    /// window; a register file carries the subcontractors and their links
    /// instead.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subcontracted: Vec<SubcontractedLocation>,
    /// Whether one of the functions it supports is critical or important
    /// (computed from them; a register file of an earlier version that
    /// says so without naming functions gets one created on import).
    #[serde(default)]
    pub supports_critical_function: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A subcontractor that stores or accesses a service's data, and where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, JsonSchema)]
pub struct SubcontractedLocation {
    pub subcontractor: String,
    pub country: String,
    pub stores_data: bool,
    pub accesses_data: bool,
}

/// What an officer records about a subcontractor that touches our data.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS, JsonSchema)]
#[serde(default)]
pub struct SubcontractorFields {
    pub name: String,
    pub country: String,
    /// A legal person, or an individual acting in a business capacity.
    pub person_type: PersonType,
    /// Its national registration number; a Swedish organisation number
    /// when its country is SE.
    pub registration_number: String,
    /// Its Legal Entity Identifier (ISO 17442), if it has one.
    pub lei: String,
    /// What it does for the supplier.
    pub role: String,
    pub stores_data: bool,
    pub accesses_data: bool,
    /// The supplier's services it works on; empty for all of them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<Vec<ServiceId>>", optional)]
    pub services: Vec<ServiceId>,
    /// The subcontractor of the same supplier it works for, further down
    /// the chain (DORA's ranks); none when it works for the supplier.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub serves: Option<SubcontractorId>,
}

impl SubcontractorFields {
    /// Whether it works on `service` (all services unless narrowed).
    pub fn works_on(&self, service: ServiceId) -> bool {
        self.services.is_empty() || self.services.contains(&service)
    }
}

/// A subcontractor of a supplier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, JsonSchema)]
pub struct Subcontractor {
    pub id: SubcontractorId,
    pub supplier_id: SupplierId,
    #[serde(flatten)]
    pub fields: SubcontractorFields,
}

/// What an officer records about a certificate or assurance report.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS, JsonSchema)]
#[serde(default)]
pub struct EvidenceFields {
    pub kind: EvidenceKind,
    /// A title; required for kind `other`.
    pub title: String,
    pub issuer: String,
    pub scope: String,
    pub valid_from: Option<NaiveDate>,
    /// For SOC 2 / ISAE reports: the end of the period covered.
    pub valid_until: Option<NaiveDate>,
}

/// An attached file, kept in the app's data folder under its SHA-256.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, JsonSchema)]
pub struct EvidenceFile {
    pub sha256: String,
    pub file_name: String,
    pub size: i64,
}

/// A certificate or report the supplier provided.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, JsonSchema)]
pub struct Evidence {
    pub id: EvidenceId,
    pub supplier_id: SupplierId,
    #[serde(flatten)]
    pub fields: EvidenceFields,
    pub file: Option<EvidenceFile>,
    pub created_at: DateTime<Utc>,
    /// Computed by [`Evidence::judged`]: the first day it is current.
    #[serde(default)]
    pub current_from: Option<NaiveDate>,
    /// Computed: the last day it is current (for a report, 12 months after its period).
    #[serde(default)]
    pub current_until: Option<NaiveDate>,
    /// Computed: what it can do for criterion 1.
    #[serde(default)]
    pub certification_role: CertificationRole,
}

/// How long an assurance report over a period stays current after the
/// period ends (DOMAIN §3: a period ending at most 12 months before the day).
pub const REPORT_CURRENT_MONTHS: u32 = 12;

/// What an evidence kind can do for criterion 1, the security certification
/// or attestation (DOMAIN §3).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CertificationRole {
    /// ISO/IEC 27001: counts while the certificate is valid.
    Certificate,
    /// SOC 2 Type II, ISAE 3000/3402 Type II, BSI C5 Type 2: counts for 12
    /// months after the period it covers ends.
    Report,
    /// ISO/IEC 27017 and 27018 extend a 27001 certificate: they count only
    /// beside a valid one.
    Extension,
    /// ISO 22301 and other evidence never count as the certification.
    #[default]
    Never,
}

impl EvidenceKind {
    /// What this kind can do for criterion 1.
    pub fn certification_role(self) -> CertificationRole {
        match self {
            EvidenceKind::Iso27001 => CertificationRole::Certificate,
            EvidenceKind::Soc2Type2
            | EvidenceKind::Isae3000Type2
            | EvidenceKind::Isae3402Type2
            | EvidenceKind::C5 => CertificationRole::Report,
            EvidenceKind::Iso27017 | EvidenceKind::Iso27018 => CertificationRole::Extension,
            EvidenceKind::Iso22301 | EvidenceKind::Other => CertificationRole::Never,
        }
    }

    /// An assurance report over a period: its valid-until is the end of the
    /// period covered, which can never lie after the day it is entered.
    pub fn is_period_report(self) -> bool {
        self.certification_role() == CertificationRole::Report
    }
}

impl EvidenceFields {
    /// The days the evidence is current (DOMAIN §3), both included: a
    /// certificate from valid-from to valid-until; an assurance report from
    /// the end of the period it covers to 12 months after. `None` without
    /// an end date.
    pub fn current_period(&self) -> Option<(Option<NaiveDate>, NaiveDate)> {
        let until = self.valid_until?;
        if self.kind.is_period_report() {
            let last = until
                .checked_add_months(chrono::Months::new(REPORT_CURRENT_MONTHS))
                .unwrap_or(NaiveDate::MAX);
            Some((Some(until), last))
        } else {
            Some((self.valid_from, until))
        }
    }

    /// Where `date` falls in the days the evidence is current (see
    /// [`EvidenceFields::current_period`]): without an end date it is never
    /// current.
    pub fn validity_on(&self, date: NaiveDate) -> Validity {
        match self.current_period() {
            Some((Some(from), _)) if date < from => Validity::NotYet,
            Some((_, last)) if date <= last => Validity::Valid,
            _ => Validity::Expired,
        }
    }

    /// Current on `date`.
    pub fn is_valid_on(&self, date: NaiveDate) -> bool {
        self.validity_on(date) == Validity::Valid
    }

    /// The last day the evidence is current.
    pub fn current_until(&self) -> Option<NaiveDate> {
        self.current_period().map(|(_, last)| last)
    }
}

impl Evidence {
    /// An evidence item with its computed fields filled in from `fields`.
    pub fn judged(
        id: EvidenceId,
        supplier_id: SupplierId,
        fields: EvidenceFields,
        file: Option<EvidenceFile>,
        created_at: DateTime<Utc>,
    ) -> Evidence {
        let period = fields.current_period();
        Evidence {
            id,
            supplier_id,
            current_from: period.and_then(|(from, _)| from),
            current_until: period.map(|(_, last)| last),
            certification_role: fields.kind.certification_role(),
            fields,
            file,
            created_at,
        }
    }

    /// Current on `date`: the one rule of DOMAIN §3, for step 1, the
    /// follow-up, the overview, the window and the reports.
    pub fn is_valid_on(&self, date: NaiveDate) -> bool {
        self.fields.is_valid_on(date)
    }
}

/// Where a service's data is stored or accessed through the whole chain
/// (DOMAIN §2): its own storage and access countries, and the country of
/// every subcontractor that works on it and stores or accesses our data.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DataLocations {
    /// Every country, once each, sorted.
    pub countries: Vec<crate::jurisdiction::CountryCode>,
    /// The subcontractors among them, with the country each brings.
    pub via: Vec<(crate::jurisdiction::CountryCode, String)>,
    /// The same subcontractors as the register shows them.
    pub subcontracted: Vec<SubcontractedLocation>,
}

impl DataLocations {
    /// The locations of `service` with `subcontractors` of its supplier.
    pub fn of(
        service: &ServiceFields,
        id: ServiceId,
        subcontractors: &[Subcontractor],
    ) -> DataLocations {
        let mut countries = service.countries();
        let mut via = Vec::new();
        let mut subcontracted = Vec::new();
        for sub in subcontractors {
            let f = &sub.fields;
            if (f.stores_data || f.accesses_data) && f.works_on(id) {
                if let Some(code) = crate::jurisdiction::CountryCode::parse(&f.country) {
                    countries.push(code.clone());
                    via.push((code, f.name.clone()));
                    subcontracted.push(SubcontractedLocation {
                        subcontractor: f.name.clone(),
                        country: f.country.clone(),
                        stores_data: f.stores_data,
                        accesses_data: f.accesses_data,
                    });
                }
            }
        }
        countries.sort();
        countries.dedup();
        DataLocations {
            countries,
            via,
            subcontracted,
        }
    }
}

/// Where a day falls in the days an evidence item is current (DOMAIN §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum Validity {
    Valid,
    Expired,
    NotYet,
}

/// A supplier with everything registered about it and its derived exposure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, JsonSchema)]
pub struct SupplierDetail {
    pub supplier: Supplier,
    pub services: Vec<Service>,
    pub subcontractors: Vec<Subcontractor>,
    pub evidence: Vec<Evidence>,
    pub exposure: Exposure,
    /// Each evidence item's validity today, as the core's clock has it, in
    /// the order of `evidence`: computed for the window, never written to
    /// or read from a register file.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(skip)]
    #[ts(as = "Option<Vec<Validity>>", optional)]
    pub evidence_validity: Vec<Validity>,
}
