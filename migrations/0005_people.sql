-- Tillit schema, version 5: people and sign-off (DOMAIN §7 and §8).
-- Users with their roles, management approvals with the fingerprint of what
-- was approved, the follow-up of approved suppliers (review dates, the events
-- that require a reassessment) and SLA records per service.

CREATE TABLE app_user (
    id            TEXT PRIMARY KEY NOT NULL,
    username      TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (username <> ''),
    display_name  TEXT NOT NULL CHECK (display_name <> ''),
    -- A JSON array of role names; a user may hold several.
    roles         TEXT NOT NULL CHECK (json_valid(roles) AND json_array_length(roles) > 0),
    -- Argon2id, in the PHC string format (algorithm, parameters, salt, hash).
    password_hash TEXT NOT NULL,
    active        INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
) STRICT;

-- Who assessed, as a user (the name stays in `assessor` for the record), and
-- when the officer submitted the assessment for a decision.
ALTER TABLE assessment ADD COLUMN assessor_id TEXT REFERENCES app_user (id);
ALTER TABLE assessment ADD COLUMN submitted_at TEXT;

-- A decision on an assessment: management's approval, or the officer's own
-- decision when no approval is required. `fingerprint` is the SHA-256 of the
-- canonical assessment content decided on; a later change voids the decision.
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
    CHECK (decision <> 'approve_with_conditions' OR conditions <> ''),
    CHECK ((voided_at IS NULL) = (void_reason IS NULL))
) STRICT;

CREATE INDEX approval_by_assessment ON approval (assessment_id, decided_at);

-- Follow-up of a supplier: when the next review is due, and why a
-- reassessment is required.
ALTER TABLE supplier ADD COLUMN next_review_on TEXT;
ALTER TABLE supplier ADD COLUMN reassessment_reason TEXT;

CREATE INDEX supplier_by_review ON supplier (next_review_on);

-- Events of DOMAIN §8 that require a reassessment: recorded deviations and
-- the changes Tillit detects. Each keeps its reason.
CREATE TABLE follow_up_event (
    id          TEXT PRIMARY KEY NOT NULL,
    supplier_id TEXT NOT NULL REFERENCES supplier (id) ON DELETE CASCADE,
    service_id  TEXT REFERENCES service (id) ON DELETE SET NULL,
    kind        TEXT NOT NULL CHECK (kind IN (
                    'incident', 'sla_breach', 'adverse_audit_finding', 'financial_distress',
                    'sanctions_listing', 'service_change', 'subcontractor_change',
                    'ownership_change', 'evidence_expired', 'adequacy_change', 'contract_renewal')),
    reason      TEXT NOT NULL CHECK (reason <> ''),
    occurred_on TEXT NOT NULL,
    -- What the event is about, so a detected event is recorded once (e.g. the evidence id).
    subject     TEXT NOT NULL DEFAULT '',
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL
) STRICT;

CREATE INDEX follow_up_by_supplier ON follow_up_event (supplier_id, occurred_on);

-- SLA fulfilment per service and period; a breach is a deviation.
CREATE TABLE sla_record (
    id           TEXT PRIMARY KEY NOT NULL,
    service_id   TEXT NOT NULL REFERENCES service (id) ON DELETE CASCADE,
    period_start TEXT NOT NULL,
    period_end   TEXT NOT NULL,
    metric       TEXT NOT NULL CHECK (metric <> ''),
    target       REAL NOT NULL,
    measured     REAL NOT NULL,
    -- Whether a higher measurement is better (availability) or worse (response time).
    higher_is_better INTEGER NOT NULL DEFAULT 1 CHECK (higher_is_better IN (0, 1)),
    met          INTEGER NOT NULL CHECK (met IN (0, 1)),
    note         TEXT NOT NULL DEFAULT '',
    recorded_by  TEXT NOT NULL,
    recorded_at  TEXT NOT NULL,
    CHECK (period_end >= period_start)
) STRICT;

CREATE INDEX sla_by_service ON sla_record (service_id, period_start);

-- The audit log viewer filters by user.
CREATE INDEX audit_by_actor ON audit_log (actor, seq);
