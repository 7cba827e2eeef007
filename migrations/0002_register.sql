-- Tillit schema, version 2: the supplier register (DOMAIN §1 and §2).
-- Dates are ISO 8601 text (YYYY-MM-DD); times are RFC 3339 UTC text.

CREATE TABLE supplier (
    id                              TEXT PRIMARY KEY NOT NULL,
    legal_name                      TEXT NOT NULL CHECK (legal_name <> ''),
    -- Lower-case name and registration number, for searching without regard to case.
    search_key                      TEXT NOT NULL,
    -- The name folded for Swedish alphabetical order (å, ä, ö after z).
    sort_key                        TEXT NOT NULL,
    registration_number             TEXT NOT NULL DEFAULT '',
    lei                             TEXT NOT NULL DEFAULT '',
    euid                            TEXT NOT NULL DEFAULT '',
    vat_number                      TEXT NOT NULL DEFAULT '',
    country_of_incorporation        TEXT NOT NULL,
    country_of_headquarters         TEXT NOT NULL,
    parent_name                     TEXT NOT NULL DEFAULT '',
    parent_identifier               TEXT NOT NULL DEFAULT '',
    parent_country                  TEXT NOT NULL DEFAULT '',
    website                         TEXT NOT NULL DEFAULT '',
    contact_name                    TEXT NOT NULL DEFAULT '',
    contact_email                   TEXT NOT NULL DEFAULT '',
    internal_owner                  TEXT NOT NULL DEFAULT '',
    tier                            TEXT NOT NULL CHECK (tier IN ('critical', 'essential', 'standard')),
    tier_justification              TEXT NOT NULL DEFAULT '',
    dpf_certified                   INTEGER NOT NULL DEFAULT 0 CHECK (dpf_certified IN (0, 1)),
    exposure_override               INTEGER CHECK (exposure_override IN (0, 1)),
    exposure_override_justification TEXT NOT NULL DEFAULT '',
    -- The effective exposure (override, else derived), kept current by every
    -- write that can change it, so the register can filter on it.
    exposed                         INTEGER NOT NULL DEFAULT 0 CHECK (exposed IN (0, 1)),
    notes                           TEXT NOT NULL DEFAULT '',
    status                          TEXT NOT NULL DEFAULT 'draft' CHECK (status IN (
                                        'draft', 'in_assessment', 'approved', 'approved_with_conditions',
                                        'rejected', 'reassessment_required', 'offboarded')),
    offboarding_reason              TEXT,
    created_at                      TEXT NOT NULL,
    updated_at                      TEXT NOT NULL,
    CHECK (exposure_override IS NULL OR exposure_override_justification <> ''),
    CHECK (status <> 'offboarded' OR coalesce(offboarding_reason, '') <> '')
) STRICT;

CREATE INDEX supplier_by_name ON supplier (sort_key, id);
CREATE INDEX supplier_by_tier ON supplier (tier);
CREATE INDEX supplier_by_status ON supplier (status);
CREATE INDEX supplier_by_country ON supplier (country_of_headquarters);
CREATE INDEX supplier_by_exposure ON supplier (exposed);

CREATE TABLE service (
    id                          TEXT PRIMARY KEY NOT NULL,
    supplier_id                 TEXT NOT NULL REFERENCES supplier (id) ON DELETE CASCADE,
    name                        TEXT NOT NULL CHECK (name <> ''),
    description                 TEXT NOT NULL DEFAULT '',
    service_type                TEXT NOT NULL DEFAULT '',
    data_classification         TEXT NOT NULL CHECK (data_classification IN (
                                    'public', 'internal', 'confidential', 'strictly_confidential')),
    personal_data               TEXT NOT NULL CHECK (personal_data IN ('none', 'personal', 'special_category')),
    supports_critical_function  INTEGER NOT NULL DEFAULT 0 CHECK (supports_critical_function IN (0, 1)),
    reliance                    TEXT NOT NULL CHECK (reliance IN ('not_significant', 'low', 'material', 'full')),
    substitutability            TEXT NOT NULL CHECK (substitutability IN (
                                    'easy', 'medium', 'highly_complex', 'not_substitutable')),
    rto_hours                   INTEGER CHECK (rto_hours >= 0),
    rpo_hours                   INTEGER CHECK (rpo_hours >= 0),
    sla_availability_percent    REAL CHECK (sla_availability_percent BETWEEN 0 AND 100),
    contract_reference          TEXT NOT NULL DEFAULT '',
    contract_start              TEXT,
    contract_end                TEXT,
    renewal_date                TEXT,
    notice_period_supplier_days INTEGER CHECK (notice_period_supplier_days >= 0),
    notice_period_customer_days INTEGER CHECK (notice_period_customer_days >= 0),
    governing_law_country       TEXT NOT NULL DEFAULT '',
    annual_cost                 INTEGER CHECK (annual_cost >= 0),
    currency                    TEXT NOT NULL DEFAULT '',
    exit_plan                   INTEGER NOT NULL DEFAULT 0 CHECK (exit_plan IN (0, 1)),
    alternative_providers       TEXT NOT NULL DEFAULT '',
    created_at                  TEXT NOT NULL,
    updated_at                  TEXT NOT NULL,
    CHECK (contract_end IS NULL OR contract_start IS NULL OR contract_end > contract_start)
) STRICT;

CREATE INDEX service_by_supplier ON service (supplier_id);

-- Where a service stores our data, and from where it is accessed or processed.
CREATE TABLE service_country (
    service_id TEXT NOT NULL REFERENCES service (id) ON DELETE CASCADE,
    role       TEXT NOT NULL CHECK (role IN ('storage', 'access')),
    country    TEXT NOT NULL,
    PRIMARY KEY (service_id, role, country)
) STRICT, WITHOUT ROWID;

CREATE TABLE subcontractor (
    id            TEXT PRIMARY KEY NOT NULL,
    supplier_id   TEXT NOT NULL REFERENCES supplier (id) ON DELETE CASCADE,
    name          TEXT NOT NULL CHECK (name <> ''),
    country       TEXT NOT NULL,
    role          TEXT NOT NULL DEFAULT '',
    stores_data   INTEGER NOT NULL DEFAULT 0 CHECK (stores_data IN (0, 1)),
    accesses_data INTEGER NOT NULL DEFAULT 0 CHECK (accesses_data IN (0, 1))
) STRICT;

CREATE INDEX subcontractor_by_supplier ON subcontractor (supplier_id);

CREATE TABLE evidence (
    id             TEXT PRIMARY KEY NOT NULL,
    supplier_id    TEXT NOT NULL REFERENCES supplier (id) ON DELETE CASCADE,
    kind           TEXT NOT NULL CHECK (kind IN (
                       'iso27001', 'iso27017', 'iso27018', 'iso22301', 'soc2_type2',
                       'isae3000_type2', 'isae3402_type2', 'c5', 'other')),
    title          TEXT NOT NULL DEFAULT '',
    issuer         TEXT NOT NULL DEFAULT '',
    scope          TEXT NOT NULL DEFAULT '',
    valid_from     TEXT,
    valid_until    TEXT NOT NULL,
    -- The attached file, stored in the app's data folder under its SHA-256.
    file_sha256    TEXT,
    file_name      TEXT,
    file_size      INTEGER,
    created_at     TEXT NOT NULL,
    CHECK (valid_from IS NULL OR valid_until > valid_from),
    CHECK ((file_sha256 IS NULL) = (file_name IS NULL))
) STRICT;

CREATE INDEX evidence_by_supplier ON evidence (supplier_id);
CREATE INDEX evidence_by_expiry ON evidence (valid_until);
