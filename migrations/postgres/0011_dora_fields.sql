-- Schema 11: what DORA's register of information asks of a service and the
-- register did not hold (DOMAIN §12): its type of ICT service (the list of
-- Annex III, S01–S19), how sensitive the data it stores is, and how its
-- contract stands to others (standalone, overarching, or subsequent to the
-- overarching contract named). NULL (or empty) while the officer has not
-- given them (every service from before this version); so are why a service
-- is hard to replace, how readily it could be taken back in-house and the
-- impact of its being discontinued. A subcontractor may work for another
-- subcontractor of the same supplier (the chain DORA ranks); NULL: for the
-- supplier itself. A subcontractor records the identifiers and the type of
-- person the register asks of every provider. A supplier is a
-- legal person unless the officer says it is an individual acting in a
-- business capacity.
ALTER TABLE service ADD COLUMN ict_service_type TEXT CHECK (ict_service_type IN (
        'ict_project_management', 'ict_development', 'ict_help_desk', 'ict_security_management',
        'provision_of_data', 'data_analysis', 'ict_facilities_and_hosting', 'computation',
        'non_cloud_data_storage', 'telecom_carrier', 'network_infrastructure', 'hardware_and_physical_devices',
        'software_licencing', 'ict_operation_management', 'ict_consulting', 'ict_risk_management',
        'cloud_iaas', 'cloud_paas', 'cloud_saas'));
ALTER TABLE service ADD COLUMN data_sensitivity TEXT CHECK (data_sensitivity IN ('low', 'medium', 'high'));
ALTER TABLE service ADD COLUMN contract_arrangement TEXT CHECK (contract_arrangement IN (
        'standalone', 'overarching', 'subsequent'));
ALTER TABLE service ADD COLUMN overarching_contract TEXT NOT NULL DEFAULT '';
ALTER TABLE supplier ADD COLUMN person_type TEXT NOT NULL DEFAULT 'legal_person'
    CHECK (person_type IN ('legal_person', 'individual'));
ALTER TABLE service ADD COLUMN substitutability_reason TEXT CHECK (substitutability_reason IN (
        'no_alternatives', 'hard_to_migrate', 'both'));
ALTER TABLE service ADD COLUMN reintegration TEXT CHECK (reintegration IN (
        'easy', 'difficult', 'highly_complex', 'not_applicable'));
ALTER TABLE service ADD COLUMN discontinuing_impact TEXT CHECK (discontinuing_impact IN ('low', 'medium', 'high'));
ALTER TABLE subcontractor ADD COLUMN serves TEXT
    REFERENCES subcontractor (id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE subcontractor ADD COLUMN person_type TEXT NOT NULL DEFAULT 'legal_person'
    CHECK (person_type IN ('legal_person', 'individual'));
ALTER TABLE subcontractor ADD COLUMN registration_number TEXT NOT NULL DEFAULT '';
ALTER TABLE subcontractor ADD COLUMN lei TEXT NOT NULL DEFAULT '';
