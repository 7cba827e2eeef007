// What a new record's form starts with.
import type { ServiceFields, SubcontractorFields, SupplierFields } from './bindings';

export function emptySupplier(): SupplierFields {
  return {
    legal_name: '',
    person_type: 'legal_person',
    registration_number: '',
    lei: '',
    euid: '',
    vat_number: '',
    country_of_incorporation: 'SE',
    country_of_headquarters: 'SE',
    parent_name: '',
    parent_identifier: '',
    parent_country: '',
    website: '',
    contact_name: '',
    contact_email: '',
    internal_owner: '',
    tier: 'standard',
    tier_justification: '',
    dpf_certified: false,
    exposure_override: null,
    exposure_override_justification: '',
    notes: '',
  };
}

export function emptyService(): ServiceFields {
  return {
    name: '',
    description: '',
    service_type: '',
    ict_service_type: null,
    data_classification: 'internal',
    data_sensitivity: null,
    personal_data: 'none',
    storage_countries: [],
    access_countries: [],
    functions: [],
    reliance: 'low',
    substitutability: 'medium',
    substitutability_reason: null,
    reintegration: null,
    discontinuing_impact: null,
    rto_hours: null,
    rpo_hours: null,
    sla_availability_percent: null,
    contract_reference: '',
    contract_arrangement: null,
    overarching_contract: '',
    contract_start: null,
    contract_end: null,
    renewal_date: null,
    notice_period_supplier_days: null,
    notice_period_customer_days: null,
    governing_law_country: 'SE',
    annual_cost: null,
    currency: 'SEK',
    exit_plan: false,
    alternative_providers: '',
  };
}

export function emptySubcontractor(): SubcontractorFields {
  return {
    name: '',
    country: '',
    person_type: 'legal_person',
    registration_number: '',
    lei: '',
    role: '',
    stores_data: false,
    accesses_data: false,
    services: [],
  };
}
