-- Schema 8: the locks of an assessment, subcontractors linked to the
-- services they work on, and the time-based follow-up events.

-- The services a subcontractor works on; a subcontractor with no row here
-- works on all of the supplier's services (DOMAIN §1).
CREATE TABLE subcontractor_service (
    subcontractor_id TEXT NOT NULL REFERENCES subcontractor (id) ON DELETE CASCADE,
    service_id       TEXT NOT NULL REFERENCES service (id) ON DELETE CASCADE,
    PRIMARY KEY (subcontractor_id, service_id)
) STRICT;

CREATE INDEX subcontractor_service_by_service ON subcontractor_service (service_id);

-- Withdrawals (before a decision) and reopenings (after one, voiding it) of
-- an assessment, each with who, when and why (DOMAIN §3).
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
    CHECK (kind <> 'reopened' OR (reason <> '' AND voided_decision IS NOT NULL))
) STRICT;

CREATE INDEX assessment_event_by_assessment ON assessment_event (assessment_id, at);

-- Follow-up events gain the time-based kinds of DOMAIN §8: a review falling
-- due and a contract reaching its end date. SQLite cannot change a CHECK
-- constraint in place, so the table is rebuilt with the same rows.
CREATE TABLE follow_up_event_new (
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
) STRICT;

INSERT INTO follow_up_event_new SELECT id, supplier_id, service_id, kind, reason, occurred_on, subject,
    recorded_by, recorded_at FROM follow_up_event;
DROP TABLE follow_up_event;
ALTER TABLE follow_up_event_new RENAME TO follow_up_event;
CREATE INDEX follow_up_by_supplier ON follow_up_event (supplier_id, occurred_on);
CREATE INDEX follow_up_by_subject ON follow_up_event (kind, subject);
