//! The organisation that uses Tillit: its legal name, identifiers and
//! country, as the administrator describes it. The reports and the DORA
//! register of information name it; nothing else depends on it yet.

use crate::access::Permission;
use crate::error::Result;
use crate::store::sql::{Connection, OptionalExtension};
use crate::store::Db;
use crate::supplier::validate::{Check, MAX_SHORT};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The organisation's profile.
#[derive(
    Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS, schemars::JsonSchema,
)]
#[serde(default)]
pub struct Organisation {
    /// The legal name.
    pub legal_name: String,
    /// The registration number (a Swedish organisation number, written
    /// NNNNNN-NNNN, or another country's).
    pub registration_number: String,
    /// The Legal Entity Identifier, if it has one (DORA's registers use it).
    pub lei: String,
    /// The country of incorporation (ISO 3166-1 alpha-2).
    pub country: String,
    /// What kind of financial entity it is, for the DORA register of
    /// information (B_01.01, B_01.02); none while it is not given.
    pub entity_type: Option<EntityType>,
    /// The authority that supervises it under DORA (B_01.01), as the
    /// authority names itself, e.g. Finansinspektionen.
    pub competent_authority: String,
    /// The currency it reports in (ISO 4217): of its total assets and the
    /// register of information's amounts.
    pub currency: String,
    /// Its total assets, in whole units of `currency` (B_01.02).
    pub total_assets: Option<i64>,
    /// What the organisation means by the terms the register of information
    /// leaves to it (B_99.01).
    pub definitions: Definitions,
}

/// The organisation's own definition of each term DORA's register of
/// information leaves to it (B_99.01, one column each); empty while not
/// written.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS, JsonSchema)]
#[serde(default)]
pub struct Definitions {
    pub arrangement_standalone: String,
    pub arrangement_overarching: String,
    pub arrangement_subsequent: String,
    pub sensitivity_low: String,
    pub sensitivity_medium: String,
    pub sensitivity_high: String,
    pub function_impact_low: String,
    pub function_impact_medium: String,
    pub function_impact_high: String,
    pub substitutability_not_substitutable: String,
    pub substitutability_highly_complex: String,
    pub substitutability_medium: String,
    pub substitutability_easy: String,
    pub reintegration_easy: String,
    pub reintegration_difficult: String,
    pub reintegration_highly_complex: String,
    pub service_impact_low: String,
    pub service_impact_medium: String,
    pub service_impact_high: String,
}

impl Definitions {
    /// Every definition with its field name, in the order of B_99.01's
    /// columns (c0010 to c0190).
    pub fn each_mut(&mut self) -> [(&'static str, &mut String); 19] {
        [
            ("arrangement_standalone", &mut self.arrangement_standalone),
            ("arrangement_overarching", &mut self.arrangement_overarching),
            ("arrangement_subsequent", &mut self.arrangement_subsequent),
            ("sensitivity_low", &mut self.sensitivity_low),
            ("sensitivity_medium", &mut self.sensitivity_medium),
            ("sensitivity_high", &mut self.sensitivity_high),
            ("function_impact_low", &mut self.function_impact_low),
            ("function_impact_medium", &mut self.function_impact_medium),
            ("function_impact_high", &mut self.function_impact_high),
            (
                "substitutability_not_substitutable",
                &mut self.substitutability_not_substitutable,
            ),
            (
                "substitutability_highly_complex",
                &mut self.substitutability_highly_complex,
            ),
            ("substitutability_medium", &mut self.substitutability_medium),
            ("substitutability_easy", &mut self.substitutability_easy),
            ("reintegration_easy", &mut self.reintegration_easy),
            ("reintegration_difficult", &mut self.reintegration_difficult),
            (
                "reintegration_highly_complex",
                &mut self.reintegration_highly_complex,
            ),
            ("service_impact_low", &mut self.service_impact_low),
            ("service_impact_medium", &mut self.service_impact_medium),
            ("service_impact_high", &mut self.service_impact_high),
        ]
    }
}

/// The longest definition kept: a paragraph, not a policy.
pub const MAX_DEFINITION: usize = 2_000;

crate::ids::text_enum! {
    /// The kinds of entity DORA's register of information distinguishes
    /// (the list of B_01.01 "Type of entity").
    EntityType {
        #[default]
        CreditInstitution = "credit_institution",
        InvestmentFirm = "investment_firm",
        CentralCounterparty = "central_counterparty",
        AssetManagementCompany = "asset_management_company",
        AccountInformationServiceProvider = "account_information_service_provider",
        ElectronicMoneyInstitution = "electronic_money_institution",
        CryptoAssetServiceProvider = "crypto_asset_service_provider",
        CentralSecuritiesDepository = "central_securities_depository",
        TradingVenue = "trading_venue",
        TradeRepository = "trade_repository",
        PaymentInstitution = "payment_institution",
        OtherFinancialEntity = "other_financial_entity",
        SecuritisationRepository = "securitisation_repository",
        CrowdfundingServiceProvider = "crowdfunding_service_provider",
        CriticalBenchmarkAdministrator = "critical_benchmark_administrator",
        CreditRatingAgency = "credit_rating_agency",
        OccupationalRetirementInstitution = "occupational_retirement_institution",
        InsuranceIntermediary = "insurance_intermediary",
        InsuranceUndertaking = "insurance_undertaking",
        DataReportingServiceProvider = "data_reporting_service_provider",
        AlternativeInvestmentFundManager = "alternative_investment_fund_manager",
        NonFinancialEntity = "non_financial_entity",
        IctIntraGroupProvider = "ict_intra_group_provider",
        AssetReferencedTokenIssuer = "asset_referenced_token_issuer",
    }
}

const KEY: &str = "organisation";

/// The organisation's profile, empty until the administrator describes it.
pub fn organisation(db: &Db) -> Result<Organisation> {
    db.read(organisation_in)
}

/// [`organisation`] on a connection.
pub fn organisation_in(conn: &Connection) -> Result<Organisation> {
    let stored: Option<String> = conn
        .query_row("SELECT value FROM app_setting WHERE key = ?1", [KEY], |r| {
            r.get(0)
        })
        .optional()?;
    Ok(stored
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default())
}

/// The administrator describes the organisation: the legal name and the
/// country are required; a registration number and an LEI are checked as
/// the supplier's are. Every problem is named by its field; nothing is
/// saved while one remains. Recorded in the audit trail.
pub fn save_organisation(db: &Db, organisation: Organisation) -> Result<Organisation> {
    save_organisation_based_on(db, organisation, None)
}

/// [`save_organisation`] from a form opened on `based_on`: when another
/// administrator saved the profile since, nothing is saved and the refusal
/// names who and when (DOMAIN §11).
pub fn save_organisation_based_on(
    db: &Db,
    organisation: Organisation,
    based_on: Option<Organisation>,
) -> Result<Organisation> {
    let organisation = checked(organisation)?;
    db.write(Permission::ManageOrganisation, |tx| {
        if let Some(based_on) = based_on {
            let old = organisation_in(tx)?;
            if based_on != old {
                return Err(crate::supplier::stale(
                    tx,
                    "app_setting",
                    KEY,
                    &old.legal_name,
                )?);
            }
        }
        store_in(tx, &organisation)?;
        organisation_in(tx)
    })
}

/// The profile as it is kept: trimmed, the LEI and country normalised;
/// every problem named by its field.
pub fn checked(mut organisation: Organisation) -> Result<Organisation> {
    let mut check = Check::default();
    check.required("legal_name", &mut organisation.legal_name);
    check.text(
        "registration_number",
        &mut organisation.registration_number,
        MAX_SHORT,
    );
    check.lei("lei", &mut organisation.lei);
    check.text(
        "competent_authority",
        &mut organisation.competent_authority,
        MAX_SHORT,
    );
    check.currency("currency", &mut organisation.currency);
    for (name, text) in organisation.definitions.each_mut() {
        check.text(&format!("definitions.{name}"), text, MAX_DEFINITION);
    }
    if organisation.total_assets.is_some_and(|assets| assets < 0) {
        check.push(
            "total_assets",
            crate::error::ValidationCode::OutOfRange,
            "cannot be negative",
        );
    }
    if organisation.total_assets.is_some() && organisation.currency.is_empty() {
        check.push(
            "currency",
            crate::error::ValidationCode::Required,
            "is required with the total assets",
        );
    }
    let country = organisation.country.trim().to_owned();
    if country.is_empty() {
        check.push(
            "country",
            crate::error::ValidationCode::Required,
            "is required",
        );
    } else {
        match crate::jurisdiction::CountryCode::parse_field("country", &country) {
            Ok(code) => organisation.country = code.as_str().to_owned(),
            Err(error) => {
                for e in error.field_errors() {
                    check.push(&e.field, e.code, e.message.clone());
                }
            }
        }
    }
    check.finish()?;
    Ok(organisation)
}

/// Keeps a checked profile ([`checked`]), in a write that the caller has
/// authorised for [`Permission::ManageOrganisation`].
pub(crate) fn store_in(conn: &Connection, organisation: &Organisation) -> Result<()> {
    let text =
        serde_json::to_string(organisation).map_err(|e| crate::Error::Internal(e.to_string()))?;
    conn.execute(
        "INSERT INTO app_setting (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [KEY, text.as_str()],
    )?;
    Ok(())
}
