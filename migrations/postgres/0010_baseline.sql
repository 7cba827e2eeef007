-- Tillit schema on PostgreSQL, version 10: the same tables, columns, keys,
-- checks and indexes as an SQLite database at version 10 (migrations/0001 to
-- 0010), created at once. A PostgreSQL store starts at this version; each
-- later version comes as a pair, migrations/NNNN_name.sql for SQLite and
-- migrations/postgres/NNNN_name.sql here, giving the same schema. A released
-- migration is never edited.
--
-- The types are SQLite's as PostgreSQL spells them: TEXT, BIGINT for
-- INTEGER, DOUBLE PRECISION for REAL. Times, dates and ids are text, as in
-- SQLite, so a row reads and hashes the same on both engines. A user name is
-- CITEXT, which compares without regard to case as SQLite's NOCASE does.
-- The tables whose rows the register orders by SQLite's rowid (the order
-- of insertion, breaking ties of equal times) have it as a column of that
-- name, which the audit trail does not record, indexed as SQLite's rowid
-- is: a unique index of its own, and the last column of the table's
-- other indexes.

CREATE EXTENSION IF NOT EXISTS citext;

-- What SQLite's json_valid() says: whether the text is JSON.
CREATE FUNCTION tillit_json_valid(content TEXT) RETURNS BOOLEAN
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    PERFORM content::jsonb;
    RETURN TRUE;
EXCEPTION WHEN others THEN
    RETURN FALSE;
END;
$$;

-- Marks the database as Tillit's and holds its schema version (SQLite's
-- application_id and user_version): one row.
CREATE TABLE tillit_schema (
    application TEXT NOT NULL CHECK (application = 'tillit'),
    version     BIGINT NOT NULL
);
INSERT INTO tillit_schema (application, version) VALUES ('tillit', 10);

CREATE TABLE app_setting (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);

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
    dpf_certified                   BIGINT NOT NULL DEFAULT 0 CHECK (dpf_certified IN (0, 1)),
    exposure_override               BIGINT CHECK (exposure_override IN (0, 1)),
    exposure_override_justification TEXT NOT NULL DEFAULT '',
    -- The effective exposure (override, else derived), kept current by every
    -- write that can change it, so the register can filter on it.
    exposed                         BIGINT NOT NULL DEFAULT 0 CHECK (exposed IN (0, 1)),
    notes                           TEXT NOT NULL DEFAULT '',
    status                          TEXT NOT NULL DEFAULT 'draft' CHECK (status IN (
                                        'draft', 'in_assessment', 'approved', 'approved_with_conditions',
                                        'rejected', 'reassessment_required', 'offboarded')),
    offboarding_reason              TEXT,
    created_at                      TEXT NOT NULL,
    updated_at                      TEXT NOT NULL, next_review_on TEXT, reassessment_reason TEXT,
    CHECK (exposure_override IS NULL OR exposure_override_justification <> ''),
    CHECK (status <> 'offboarded' OR coalesce(offboarding_reason, '') <> '')
);

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
    supports_critical_function  BIGINT NOT NULL DEFAULT 0 CHECK (supports_critical_function IN (0, 1)),
    reliance                    TEXT NOT NULL CHECK (reliance IN ('not_significant', 'low', 'material', 'full')),
    substitutability            TEXT NOT NULL CHECK (substitutability IN (
                                    'easy', 'medium', 'highly_complex', 'not_substitutable')),
    rto_hours                   BIGINT CHECK (rto_hours >= 0),
    rpo_hours                   BIGINT CHECK (rpo_hours >= 0),
    sla_availability_percent    DOUBLE PRECISION CHECK (sla_availability_percent BETWEEN 0 AND 100),
    contract_reference          TEXT NOT NULL DEFAULT '',
    contract_start              TEXT,
    contract_end                TEXT,
    renewal_date                TEXT,
    notice_period_supplier_days BIGINT CHECK (notice_period_supplier_days >= 0),
    notice_period_customer_days BIGINT CHECK (notice_period_customer_days >= 0),
    governing_law_country       TEXT NOT NULL DEFAULT '',
    annual_cost                 BIGINT CHECK (annual_cost >= 0),
    currency                    TEXT NOT NULL DEFAULT '',
    exit_plan                   BIGINT NOT NULL DEFAULT 0 CHECK (exit_plan IN (0, 1)),
    alternative_providers       TEXT NOT NULL DEFAULT '',
    created_at                  TEXT NOT NULL,
    updated_at                  TEXT NOT NULL,
    CHECK (contract_end IS NULL OR contract_start IS NULL OR contract_end > contract_start)
);

CREATE INDEX service_by_supplier ON service (supplier_id);

CREATE TABLE service_country (
    service_id TEXT NOT NULL REFERENCES service (id) ON DELETE CASCADE,
    role       TEXT NOT NULL CHECK (role IN ('storage', 'access')),
    country    TEXT NOT NULL,
    PRIMARY KEY (service_id, role, country)
);

CREATE TABLE subcontractor (
    id            TEXT PRIMARY KEY NOT NULL,
    supplier_id   TEXT NOT NULL REFERENCES supplier (id) ON DELETE CASCADE,
    name          TEXT NOT NULL CHECK (name <> ''),
    country       TEXT NOT NULL,
    role          TEXT NOT NULL DEFAULT '',
    stores_data   BIGINT NOT NULL DEFAULT 0 CHECK (stores_data IN (0, 1)),
    accesses_data BIGINT NOT NULL DEFAULT 0 CHECK (accesses_data IN (0, 1))
);

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
    file_size      BIGINT,
    created_at     TEXT NOT NULL,
    CHECK (valid_from IS NULL OR valid_until > valid_from),
    CHECK ((file_sha256 IS NULL) = (file_name IS NULL))
);

CREATE INDEX evidence_by_supplier ON evidence (supplier_id);

CREATE INDEX evidence_by_expiry ON evidence (valid_until);

CREATE TABLE rule_set (
    version    BIGINT PRIMARY KEY,
    content    TEXT NOT NULL CHECK (tillit_json_valid(content)),
    note       TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE app_user (
    id            TEXT PRIMARY KEY NOT NULL,
    username      CITEXT NOT NULL UNIQUE CHECK (username <> ''),
    display_name  TEXT NOT NULL CHECK (display_name <> ''),
    -- A JSON array of role names; a user may hold several.
    roles         TEXT NOT NULL CHECK (tillit_json_valid(roles) AND jsonb_array_length(roles::jsonb) > 0),
    -- Argon2id, in the PHC string format (algorithm, parameters, salt, hash).
    password_hash TEXT NOT NULL,
    active        BIGINT NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);

CREATE TABLE assessment (
    id               TEXT PRIMARY KEY NOT NULL,
    supplier_id      TEXT NOT NULL REFERENCES supplier (id) ON DELETE CASCADE,
    rule_set_version BIGINT NOT NULL REFERENCES rule_set (version),
    assessed_on      TEXT NOT NULL,
    assessor         TEXT NOT NULL CHECK (assessor <> ''),
    -- Step 1: what the officer recorded, and what the core computed from it.
    step1_input      TEXT CHECK (step1_input IS NULL OR tillit_json_valid(step1_input)),
    step1_result     TEXT CHECK (step1_result IS NULL OR tillit_json_valid(step1_result)),
    -- An escalation resolved by someone other than the assessor.
    resolution       TEXT CHECK (resolution IS NULL OR tillit_json_valid(resolution)),
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
, assessor_id TEXT REFERENCES app_user (id), submitted_at TEXT,
    rowid BIGINT GENERATED BY DEFAULT AS IDENTITY NOT NULL
);

CREATE INDEX assessment_by_supplier ON assessment (supplier_id, created_at, rowid);

CREATE UNIQUE INDEX assessment_rowid ON assessment (rowid);

CREATE TABLE service_assessment (
    assessment_id TEXT NOT NULL REFERENCES assessment (id) ON DELETE CASCADE,
    service_id    TEXT NOT NULL REFERENCES service (id) ON DELETE CASCADE,
    input         TEXT NOT NULL CHECK (tillit_json_valid(input)),
    result        TEXT NOT NULL CHECK (tillit_json_valid(result)),
    updated_at    TEXT NOT NULL, risk_level TEXT, residual_likelihood BIGINT, residual_impact BIGINT,
    PRIMARY KEY (assessment_id, service_id)
);

CREATE TABLE reevaluation (
    assessment_id TEXT NOT NULL REFERENCES assessment (id) ON DELETE CASCADE,
    from_version  BIGINT NOT NULL,
    to_version    BIGINT NOT NULL,
    requested_by  TEXT NOT NULL,
    at            TEXT NOT NULL,
    rowid BIGINT GENERATED BY DEFAULT AS IDENTITY NOT NULL
);

CREATE UNIQUE INDEX reevaluation_rowid ON reevaluation (rowid);

CREATE TABLE audit_log (
    seq       BIGINT PRIMARY KEY,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    entity    TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    -- Canonical JSON of the entity before and after the change (NULL when absent).
    before    TEXT,
    after     TEXT,
    hash      TEXT NOT NULL
);

CREATE INDEX audit_by_entity ON audit_log (entity, entity_id);

CREATE TABLE approval (
    id            TEXT PRIMARY KEY NOT NULL,
    assessment_id TEXT NOT NULL REFERENCES assessment (id) ON DELETE CASCADE,
    decided_by    TEXT NOT NULL REFERENCES app_user (id),
    decider_name  TEXT NOT NULL,
    -- 'management' when DOMAIN §7 required management approval, else 'officer'.
    capacity      TEXT NOT NULL CHECK (capacity IN ('management', 'officer')),
    decision      TEXT NOT NULL CHECK (decision IN ('approve', 'approve_with_conditions', 'reject')),
    conditions    TEXT NOT NULL DEFAULT '',
    fingerprint   TEXT NOT NULL CHECK (length(fingerprint) = 64),
    decided_at    TEXT NOT NULL,
    voided_at     TEXT,
    void_reason   TEXT,
    rowid BIGINT GENERATED BY DEFAULT AS IDENTITY NOT NULL,
    CHECK (decision <> 'approve_with_conditions' OR conditions <> ''),
    CHECK ((voided_at IS NULL) = (void_reason IS NULL))
);

CREATE INDEX approval_by_assessment ON approval (assessment_id, decided_at, rowid);

CREATE UNIQUE INDEX approval_rowid ON approval (rowid);

CREATE INDEX supplier_by_review ON supplier (next_review_on);

CREATE TABLE sla_record (
    id           TEXT PRIMARY KEY NOT NULL,
    service_id   TEXT NOT NULL REFERENCES service (id) ON DELETE CASCADE,
    period_start TEXT NOT NULL,
    period_end   TEXT NOT NULL,
    metric       TEXT NOT NULL CHECK (metric <> ''),
    target       DOUBLE PRECISION NOT NULL,
    measured     DOUBLE PRECISION NOT NULL,
    -- Whether a higher measurement is better (availability) or worse (response time).
    higher_is_better BIGINT NOT NULL DEFAULT 1 CHECK (higher_is_better IN (0, 1)),
    met          BIGINT NOT NULL CHECK (met IN (0, 1)),
    note         TEXT NOT NULL DEFAULT '',
    recorded_by  TEXT NOT NULL,
    recorded_at  TEXT NOT NULL,
    CHECK (period_end >= period_start)
);

CREATE INDEX sla_by_service ON sla_record (service_id, period_start);

CREATE INDEX audit_by_actor ON audit_log (actor, seq);

CREATE INDEX service_assessment_picture
    ON service_assessment (assessment_id, service_id, risk_level, residual_likelihood, residual_impact);

CREATE TABLE subcontractor_service (
    subcontractor_id TEXT NOT NULL REFERENCES subcontractor (id) ON DELETE CASCADE,
    service_id       TEXT NOT NULL REFERENCES service (id) ON DELETE CASCADE,
    PRIMARY KEY (subcontractor_id, service_id)
);

CREATE INDEX subcontractor_service_by_service ON subcontractor_service (service_id);

CREATE TABLE assessment_event (
    id              TEXT PRIMARY KEY NOT NULL,
    assessment_id   TEXT NOT NULL REFERENCES assessment (id) ON DELETE CASCADE,
    kind            TEXT NOT NULL CHECK (kind IN ('withdrawn', 'reopened')),
    reason          TEXT NOT NULL,
    actor           TEXT NOT NULL CHECK (actor <> ''),
    at              TEXT NOT NULL,
    -- The decision a reopening voided (its id, kept as text: a register
    -- file carries the reopening, while the decision stays in its database).
    voided_decision TEXT,
    rowid BIGINT GENERATED BY DEFAULT AS IDENTITY NOT NULL,
    CHECK (kind <> 'reopened' OR (reason <> '' AND voided_decision IS NOT NULL))
);

CREATE INDEX assessment_event_by_assessment ON assessment_event (assessment_id, at, rowid);

CREATE UNIQUE INDEX assessment_event_rowid ON assessment_event (rowid);

CREATE TABLE "follow_up_event" (
    id          TEXT PRIMARY KEY NOT NULL,
    supplier_id TEXT NOT NULL REFERENCES supplier (id) ON DELETE CASCADE,
    service_id  TEXT REFERENCES service (id) ON DELETE SET NULL,
    kind        TEXT NOT NULL CHECK (kind IN (
                    'incident', 'sla_breach', 'adverse_audit_finding', 'financial_distress',
                    'sanctions_listing', 'service_change', 'subcontractor_change',
                    'ownership_change', 'evidence_expired', 'adequacy_change', 'contract_renewal',
                    'contract_end', 'review_due')),
    reason      TEXT NOT NULL CHECK (reason <> ''),
    occurred_on TEXT NOT NULL,
    subject     TEXT NOT NULL DEFAULT '',
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL
, reason_said TEXT,
    rowid BIGINT GENERATED BY DEFAULT AS IDENTITY NOT NULL
);

CREATE INDEX follow_up_by_supplier ON follow_up_event (supplier_id, occurred_on, rowid);

CREATE INDEX follow_up_by_subject ON follow_up_event (kind, subject, rowid);

CREATE UNIQUE INDEX follow_up_event_rowid ON follow_up_event (rowid);

CREATE TABLE signing_key (
    -- The first 16 hexadecimal digits of the public key's SHA-256.
    id           TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 16),
    -- The person: a user of this database, or, for a key that came with a
    -- register file, of the database that made the file.
    user_id      TEXT NOT NULL,
    public_key   TEXT NOT NULL UNIQUE CHECK (length(public_key) = 64),
    -- The secret half, sealed (salt and ciphertext, hexadecimal); NULL for a
    -- key known only by its public half (one that came in a register file).
    sealed       TEXT,
    created_at   TEXT NOT NULL,
    retired_at   TEXT,
    certified_by TEXT NOT NULL,
    certificate  TEXT NOT NULL CHECK (length(certificate) = 128)
);

CREATE INDEX signing_key_by_user ON signing_key (user_id, created_at);

CREATE TABLE signature (
    subject     TEXT PRIMARY KEY NOT NULL,
    fingerprint TEXT NOT NULL CHECK (length(fingerprint) = 64),
    key_id      TEXT NOT NULL REFERENCES signing_key (id),
    signature   TEXT NOT NULL CHECK (length(signature) = 128),
    signed_at   TEXT NOT NULL
);

CREATE TABLE trail_seal (
    seq       BIGINT PRIMARY KEY,
    key_id    TEXT NOT NULL,
    signature TEXT NOT NULL CHECK (length(signature) = 128)
);

CREATE TABLE condition_closure (
    id             TEXT PRIMARY KEY NOT NULL,
    approval_id    TEXT NOT NULL REFERENCES approval (id) ON DELETE CASCADE,
    -- The condition's place in the decision's list, from 0.
    position       BIGINT NOT NULL CHECK (position >= 0),
    closed_by      TEXT NOT NULL REFERENCES app_user (id),
    closed_by_name TEXT NOT NULL CHECK (closed_by_name <> ''),
    closed_at      TEXT NOT NULL,
    note           TEXT NOT NULL CHECK (note <> ''),
    UNIQUE (approval_id, position)
);
