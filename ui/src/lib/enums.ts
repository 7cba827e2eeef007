// The values of the enums that cross the IPC, in display order. Each list is
// built from a record over the generated type, so the compiler refuses a list
// that misses a value the Rust side declares.
import type {
  ContractArrangement,
  Criticality,
  DataClassification,
  DataSensitivity,
  EntityType,
  EvidenceKind,
  IctServiceType,
  Impact,
  PersonType,
  PersonalData,
  Reintegration,
  Reliance,
  ReviewDue,
  RiskBand,
  SortKey,
  Substitutability,
  SubstitutabilityReason,
  SupplierStatus,
  Tier,
  WorkState,
} from './bindings';

const keys = <T extends string>(record: Record<T, true>) => Object.keys(record) as T[];

export const tiers = keys<Tier>({ critical: true, essential: true, standard: true });
export const statuses = keys<SupplierStatus>({
  draft: true,
  in_assessment: true,
  reassessment_required: true,
  approved: true,
  approved_with_conditions: true,
  rejected: true,
  offboarded: true,
});
export const classifications = keys<DataClassification>({
  public: true,
  internal: true,
  confidential: true,
  strictly_confidential: true,
});
export const personalData = keys<PersonalData>({ none: true, personal: true, special_category: true });
export const reliances = keys<Reliance>({ not_significant: true, low: true, material: true, full: true });
export const substitutabilities = keys<Substitutability>({
  easy: true,
  medium: true,
  highly_complex: true,
  not_substitutable: true,
});
export const evidenceKinds = keys<EvidenceKind>({
  iso27001: true,
  iso27017: true,
  iso27018: true,
  iso22301: true,
  soc2_type2: true,
  isae3000_type2: true,
  isae3402_type2: true,
  c5: true,
  other: true,
});
export const sortKeys = keys<SortKey>({
  name: true,
  registration_number: true,
  country: true,
  tier: true,
  status: true,
  exposed: true,
  services: true,
  updated_at: true,
  next_review: true,
  risk_level: true,
});
export const workStates = keys<WorkState>({
  draft: true,
  escalated: true,
  step2: true,
  reopened: true,
  voided: true,
  submitted: true,
  stopped: true,
  decided: true,
});
export const reviewDues = keys<ReviewDue>({ overdue: true, due_soon: true });
export const riskBands = keys<RiskBand>({ low: true, medium: true, high: true, critical: true });

/** The value of `text` if it is one of `values`, else null: a filter read
 *  from the address, where anything may be typed. */
export function oneOf<T extends string>(values: readonly T[], text: string | undefined): T | null {
  return values.find((v) => v === text) ?? null;
}
export const entityTypes = keys<EntityType>({
  credit_institution: true,
  investment_firm: true,
  payment_institution: true,
  electronic_money_institution: true,
  account_information_service_provider: true,
  insurance_undertaking: true,
  insurance_intermediary: true,
  occupational_retirement_institution: true,
  asset_management_company: true,
  alternative_investment_fund_manager: true,
  central_counterparty: true,
  central_securities_depository: true,
  trading_venue: true,
  trade_repository: true,
  securitisation_repository: true,
  data_reporting_service_provider: true,
  credit_rating_agency: true,
  critical_benchmark_administrator: true,
  crowdfunding_service_provider: true,
  crypto_asset_service_provider: true,
  asset_referenced_token_issuer: true,
  other_financial_entity: true,
  ict_intra_group_provider: true,
  non_financial_entity: true,
});
export const ictServiceTypes = keys<IctServiceType>({
  ict_project_management: true,
  ict_development: true,
  ict_help_desk: true,
  ict_security_management: true,
  provision_of_data: true,
  data_analysis: true,
  ict_facilities_and_hosting: true,
  computation: true,
  non_cloud_data_storage: true,
  telecom_carrier: true,
  network_infrastructure: true,
  hardware_and_physical_devices: true,
  software_licencing: true,
  ict_operation_management: true,
  ict_consulting: true,
  ict_risk_management: true,
  cloud_iaas: true,
  cloud_paas: true,
  cloud_saas: true,
});
export const sensitivities = keys<DataSensitivity>({ low: true, medium: true, high: true });
export const arrangements = keys<ContractArrangement>({ standalone: true, overarching: true, subsequent: true });
export const personTypes = keys<PersonType>({ legal_person: true, individual: true });
export const substitutabilityReasons = keys<SubstitutabilityReason>({ no_alternatives: true, hard_to_migrate: true, both: true });
export const reintegrations = keys<Reintegration>({ easy: true, difficult: true, highly_complex: true, not_applicable: true });
export const impacts = keys<Impact>({ low: true, medium: true, high: true });
export const criticalities = keys<Criticality>({ critical: true, not_critical: true, not_assessed: true });
