-- Tillit schema, version 3: rule sets and the two-step assessment (DOMAIN §3–§6).
-- Inputs and computed results are stored as JSON documents of the core's types;
-- results are stored when computed, so a later rule-set version never changes
-- an assessment until it is re-evaluated on request.

-- Every saved rule set, one row a version; the highest version is in force.
CREATE TABLE rule_set (
    version    INTEGER PRIMARY KEY,
    content    TEXT NOT NULL CHECK (json_valid(content)),
    note       TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
) STRICT;

CREATE TABLE assessment (
    id               TEXT PRIMARY KEY NOT NULL,
    supplier_id      TEXT NOT NULL REFERENCES supplier (id) ON DELETE CASCADE,
    rule_set_version INTEGER NOT NULL REFERENCES rule_set (version),
    assessed_on      TEXT NOT NULL,
    assessor         TEXT NOT NULL CHECK (assessor <> ''),
    -- Step 1: what the officer recorded, and what the core computed from it.
    step1_input      TEXT CHECK (step1_input IS NULL OR json_valid(step1_input)),
    step1_result     TEXT CHECK (step1_result IS NULL OR json_valid(step1_result)),
    -- An escalation resolved by someone other than the assessor.
    resolution       TEXT CHECK (resolution IS NULL OR json_valid(resolution)),
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
) STRICT;

CREATE INDEX assessment_by_supplier ON assessment (supplier_id, created_at);

-- Step 2 of one service within an assessment.
CREATE TABLE service_assessment (
    assessment_id TEXT NOT NULL REFERENCES assessment (id) ON DELETE CASCADE,
    service_id    TEXT NOT NULL REFERENCES service (id) ON DELETE CASCADE,
    input         TEXT NOT NULL CHECK (json_valid(input)),
    result        TEXT NOT NULL CHECK (json_valid(result)),
    updated_at    TEXT NOT NULL,
    PRIMARY KEY (assessment_id, service_id)
) STRICT;

-- Re-evaluations under a newer rule set, as a record of what changed and when.
CREATE TABLE reevaluation (
    assessment_id TEXT NOT NULL REFERENCES assessment (id) ON DELETE CASCADE,
    from_version  INTEGER NOT NULL,
    to_version    INTEGER NOT NULL,
    requested_by  TEXT NOT NULL,
    at            TEXT NOT NULL
) STRICT;
