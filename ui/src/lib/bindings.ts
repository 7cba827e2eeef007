// Generated from the Rust types by `make bindings` (tillit::ipc::typescript_bindings).
// Do not edit: change the Rust type and regenerate.

/**
 * The one error shape that crosses the IPC: `{ code, message, field? }`.
 */
export type AppError = { code: ErrorCode, 
/**
 * A complete sentence in English, for logs and as a fallback in the UI.
 */
message: string, 
/**
 * The input field at fault (the first, when there are several).
 */
field?: string, 
/**
 * Every field (and row) at fault, for forms and imports.
 */
errors?: Array<FieldError>, };

/**
 * The stable codes of [`AppError`]; the UI translates the ones it knows.
 */
export type ErrorCode = "validation" | "not_found" | "not_allowed" | "database_too_new" | "not_a_tillit_database" | "database_missing" | "database" | "io" | "internal";

/**
 * One field at fault: which field (and, in an import, which row), the kind
 * of problem and an English sentence saying exactly what is wrong.
 */
export type FieldError = { 
/**
 * The row of an import, numbered as a spreadsheet shows it (the header
 * of a CSV file is row 1); for JSON, the supplier's position from 1.
 */
row?: number, field: string, code: ValidationCode, message: string, };

/**
 * What is wrong with a field; the UI shows its own sentence for each code.
 */
export type ValidationCode = "required" | "too_long" | "format" | "checksum" | "unknown_country" | "date_order" | "out_of_range" | "duplicate" | "unknown_value";

/**
 * What the app shows about itself: the version and the open database.
 */
export type AppInfo = { version: string, database: DbInfo, };

/**
 * The state of the open database.
 */
export type DbInfo = { 
/**
 * The database file; `None` for an in-memory database.
 */
path: string | null, 
/**
 * The file's schema version (`PRAGMA user_version`).
 */
schema_version: number, 
/**
 * The newest schema version this build knows.
 */
supported_schema_version: number, 
/**
 * Every table with its number of rows, by name.
 */
tables: Array<TableCount>, };

/**
 * One table and how many rows it holds.
 */
export type TableCount = { table: string, rows: number, };

/**
 * The settings the UI reads at start.
 */
export type UiSettings = { 
/**
 * The chosen language; `None` until the user chooses one, when the UI
 * follows the operating system's language.
 */
language: Language | null, };

/**
 * A language Tillit speaks: its UI, its messages and its reports.
 */
export type Language = "en" | "sv";

/**
 * A country in the register.
 */
export type Country = { code: CountryCode, name_en: string, name_sv: string, };

/**
 * An ISO 3166-1 alpha-2 code that is on the list, e.g. `SE`.
 */
export type CountryCode = string;

/**
 * Where data goes, from the point of view of a Swedish organisation under GDPR.
 * Ordered from best to worst: a service's class is the worst of its countries.
 */
export type LocationClass = "SE" | "EU_EEA" | "ADEQUATE" | "THIRD";

/**
 * The exposure of a supplier's services: derived, with its reasons, and the
 * override if an officer made one.
 */
export type Exposure = { 
/**
 * What the supply chain gives.
 */
derived: boolean, 
/**
 * Why, one entry per entity and country; empty when not exposed.
 */
reasons: Array<ExposureReason>, override: ExposureOverride | null, 
/**
 * What counts: the override when there is one, else the derived flag.
 */
exposed: boolean, };

/**
 * One reason the services are exposed.
 */
export type ExposureReason = { entity: ExposureEntity, 
/**
 * The name of the entity, as registered.
 */
name: string, country: CountryCode, };

/**
 * Which entity of the supply chain a reason is about.
 */
export type ExposureEntity = "supplier_incorporated" | "supplier_headquartered" | "ultimate_parent" | "subcontractor";

/**
 * An officer's decision that overrides the derived flag.
 */
export type ExposureOverride = { exposed: boolean, justification: string, };

/**
 * The id of a supplier.
 */
export type SupplierId = string;

/**
 * The id of a service.
 */
export type ServiceId = string;

/**
 * The id of a subcontractor.
 */
export type SubcontractorId = string;

/**
 * The id of an evidence item.
 */
export type EvidenceId = string;

/**
 * How much the organisation depends on the supplier.
 */
export type Tier = "critical" | "essential" | "standard";

/**
 * Where the supplier is in the workflow; changed only by the workflow.
 */
export type SupplierStatus = "draft" | "in_assessment" | "approved" | "approved_with_conditions" | "rejected" | "reassessment_required" | "offboarded";

/**
 * The highest classification of the data a service handles.
 */
export type DataClassification = "public" | "internal" | "confidential" | "strictly_confidential";

/**
 * Personal data a service processes.
 */
export type PersonalData = "none" | "personal" | "special_category";

/**
 * How much a function relies on the service (DORA register of information).
 */
export type Reliance = "not_significant" | "low" | "material" | "full";

/**
 * How hard the service is to replace (DORA register of information).
 */
export type Substitutability = "easy" | "medium" | "highly_complex" | "not_substitutable";

/**
 * The kind of a certificate or assurance report.
 */
export type EvidenceKind = "iso27001" | "iso27017" | "iso27018" | "iso22301" | "soc2_type2" | "isae3000_type2" | "isae3402_type2" | "c5" | "other";

/**
 * What an officer records about a supplier. Optional text is empty when
 * unknown; countries are ISO 3166-1 alpha-2 codes.
 */
export type SupplierFields = { legal_name: string, 
/**
 * The national registration number; a Swedish organisation number
 * (`NNNNNN-NNNN`, Luhn-checked) when incorporated in SE.
 */
registration_number: string, 
/**
 * Legal Entity Identifier (ISO 17442).
 */
lei: string, 
/**
 * European Unique Identifier.
 */
euid: string, vat_number: string, country_of_incorporation: string, country_of_headquarters: string, parent_name: string, parent_identifier: string, parent_country: string, website: string, contact_name: string, contact_email: string, 
/**
 * Who in our organisation owns the relationship.
 */
internal_owner: string, tier: Tier, tier_justification: string, 
/**
 * Certified under the EU–US Data Privacy Framework.
 */
dpf_certified: boolean, 
/**
 * An officer's override of the derived exposure: `None` to follow the derivation.
 */
exposure_override: boolean | null, exposure_override_justification: string, notes: string, };

/**
 * A supplier in the register.
 */
export type Supplier = { id: SupplierId, status: SupplierStatus, 
/**
 * Why the supplier was offboarded.
 */
offboarding_reason: string | null, created_at: string, updated_at: string, legal_name: string, 
/**
 * The national registration number; a Swedish organisation number
 * (`NNNNNN-NNNN`, Luhn-checked) when incorporated in SE.
 */
registration_number: string, 
/**
 * Legal Entity Identifier (ISO 17442).
 */
lei: string, 
/**
 * European Unique Identifier.
 */
euid: string, vat_number: string, country_of_incorporation: string, country_of_headquarters: string, parent_name: string, parent_identifier: string, parent_country: string, website: string, contact_name: string, contact_email: string, 
/**
 * Who in our organisation owns the relationship.
 */
internal_owner: string, tier: Tier, tier_justification: string, 
/**
 * Certified under the EU–US Data Privacy Framework.
 */
dpf_certified: boolean, 
/**
 * An officer's override of the derived exposure: `None` to follow the derivation.
 */
exposure_override: boolean | null, exposure_override_justification: string, notes: string, };

/**
 * What an officer records about a service.
 */
export type ServiceFields = { name: string, description: string, service_type: string, data_classification: DataClassification, personal_data: PersonalData, 
/**
 * Countries where our data is stored.
 */
storage_countries: Array<string>, 
/**
 * Countries from which our data is accessed or processed (support, operations).
 */
access_countries: Array<string>, 
/**
 * Supports a critical or important function (DORA).
 */
supports_critical_function: boolean, reliance: Reliance, substitutability: Substitutability, rto_hours: number | null, rpo_hours: number | null, 
/**
 * The availability the SLA promises, in percent.
 */
sla_availability_percent: number | null, contract_reference: string, contract_start: string | null, contract_end: string | null, renewal_date: string | null, 
/**
 * Notice the supplier must give to terminate, in days.
 */
notice_period_supplier_days: number | null, 
/**
 * Notice we must give to terminate, in days.
 */
notice_period_customer_days: number | null, governing_law_country: string, 
/**
 * Annual cost in whole units of `currency`.
 */
annual_cost: number | null, 
/**
 * ISO 4217 code, e.g. SEK or EUR.
 */
currency: string, exit_plan: boolean, 
/**
 * Alternative providers identified.
 */
alternative_providers: string, };

/**
 * A service a supplier provides.
 */
export type Service = { id: ServiceId, supplier_id: SupplierId, 
/**
 * The worst location class of its storage and access countries
 * (computed; `None` while no country is recorded).
 */
location_class: LocationClass | null, created_at: string, updated_at: string, name: string, description: string, service_type: string, data_classification: DataClassification, personal_data: PersonalData, 
/**
 * Countries where our data is stored.
 */
storage_countries: Array<string>, 
/**
 * Countries from which our data is accessed or processed (support, operations).
 */
access_countries: Array<string>, 
/**
 * Supports a critical or important function (DORA).
 */
supports_critical_function: boolean, reliance: Reliance, substitutability: Substitutability, rto_hours: number | null, rpo_hours: number | null, 
/**
 * The availability the SLA promises, in percent.
 */
sla_availability_percent: number | null, contract_reference: string, contract_start: string | null, contract_end: string | null, renewal_date: string | null, 
/**
 * Notice the supplier must give to terminate, in days.
 */
notice_period_supplier_days: number | null, 
/**
 * Notice we must give to terminate, in days.
 */
notice_period_customer_days: number | null, governing_law_country: string, 
/**
 * Annual cost in whole units of `currency`.
 */
annual_cost: number | null, 
/**
 * ISO 4217 code, e.g. SEK or EUR.
 */
currency: string, exit_plan: boolean, 
/**
 * Alternative providers identified.
 */
alternative_providers: string, };

/**
 * What an officer records about a subcontractor that touches our data.
 */
export type SubcontractorFields = { name: string, country: string, 
/**
 * What it does for the supplier.
 */
role: string, stores_data: boolean, accesses_data: boolean, };

/**
 * A subcontractor of a supplier.
 */
export type Subcontractor = { id: SubcontractorId, supplier_id: SupplierId, name: string, country: string, 
/**
 * What it does for the supplier.
 */
role: string, stores_data: boolean, accesses_data: boolean, };

/**
 * What an officer records about a certificate or assurance report.
 */
export type EvidenceFields = { kind: EvidenceKind, 
/**
 * A title; required for kind `other`.
 */
title: string, issuer: string, scope: string, valid_from: string | null, 
/**
 * For SOC 2 / ISAE reports: the end of the period covered.
 */
valid_until: string | null, };

/**
 * An attached file, kept in the app's data folder under its SHA-256.
 */
export type EvidenceFile = { sha256: string, file_name: string, size: number, };

/**
 * A certificate or report the supplier provided.
 */
export type Evidence = { id: EvidenceId, supplier_id: SupplierId, file: EvidenceFile | null, created_at: string, kind: EvidenceKind, 
/**
 * A title; required for kind `other`.
 */
title: string, issuer: string, scope: string, valid_from: string | null, 
/**
 * For SOC 2 / ISAE reports: the end of the period covered.
 */
valid_until: string | null, };

/**
 * A supplier with everything registered about it and its derived exposure.
 */
export type SupplierDetail = { supplier: Supplier, services: Array<Service>, subcontractors: Array<Subcontractor>, evidence: Array<Evidence>, exposure: Exposure, };

/**
 * The column the register is sorted on.
 */
export type SortKey = "name" | "registration_number" | "country" | "tier" | "status" | "exposed" | "services" | "updated_at";

/**
 * What the officer asks of the register.
 */
export type RegisterQuery = { 
/**
 * Part of the name or the registration number, in any case.
 */
search: string, tier: Tier | null, status: SupplierStatus | null, exposed: boolean | null, 
/**
 * Country of headquarters.
 */
country: string | null, sort: SortKey, descending: boolean, };

/**
 * One supplier in the register list.
 */
export type RegisterRow = { id: SupplierId, legal_name: string, registration_number: string, country: string, tier: Tier, status: SupplierStatus, exposed: boolean, services: number, updated_at: string, };

/**
 * Suppliers per tier.
 */
export type TierCounts = { critical: number, essential: number, standard: number, };

/**
 * The rows that match, and the counts.
 */
export type RegisterPage = { rows: Array<RegisterRow>, 
/**
 * All suppliers in the register.
 */
total: number, 
/**
 * The matching suppliers per tier.
 */
by_tier: TierCounts, 
/**
 * The matching suppliers whose services are exposed to foreign access law.
 */
exposed: number, };

/**
 * What an import did.
 */
export type ImportSummary = { suppliers: number, services: number, subcontractors: number, evidence: number, };

export interface Commands {
  app_info: { args: {  }; result: AppInfo };
  get_ui_settings: { args: {  }; result: UiSettings };
  set_language: { args: { language: Language }; result: UiSettings };
  list_countries: { args: {  }; result: Array<Country> };
  list_register: { args: { query: RegisterQuery }; result: RegisterPage };
  supplier_detail: { args: { id: SupplierId }; result: SupplierDetail };
  create_supplier: { args: { fields: SupplierFields }; result: SupplierDetail };
  update_supplier: { args: { id: SupplierId; fields: SupplierFields }; result: SupplierDetail };
  offboard_supplier: { args: { id: SupplierId; reason: string }; result: SupplierDetail };
  add_service: { args: { supplier_id: SupplierId; fields: ServiceFields }; result: SupplierDetail };
  update_service: { args: { id: ServiceId; fields: ServiceFields }; result: SupplierDetail };
  remove_service: { args: { id: ServiceId }; result: SupplierDetail };
  add_subcontractor: { args: { supplier_id: SupplierId; fields: SubcontractorFields }; result: SupplierDetail };
  update_subcontractor: { args: { id: SubcontractorId; fields: SubcontractorFields }; result: SupplierDetail };
  remove_subcontractor: { args: { id: SubcontractorId }; result: SupplierDetail };
  add_evidence: { args: { supplier_id: SupplierId; fields: EvidenceFields; file: string | null }; result: SupplierDetail };
  remove_evidence: { args: { id: EvidenceId }; result: SupplierDetail };
  open_evidence: { args: { id: EvidenceId }; result: null };
  import_file: { args: { path: string }; result: ImportSummary };
  export_register: { args: { path: string }; result: null };
}
