-- Schema 12: the organisation's business functions as records (DOMAIN §1,
-- DORA's B_06.01), and which of them each service supports. Whether a
-- service supports a critical or important function is derived from these
-- links from now on, no longer typed: the services that carried the flag
-- are linked to one critical function created for them (F1), so nothing
-- recorded is lost; the administrator renames or splits it.
CREATE TABLE business_function (
    id                   TEXT PRIMARY KEY NOT NULL CHECK (id <> ''),
    name                 TEXT NOT NULL CHECK (name <> ''),
    licensed_activity    TEXT NOT NULL DEFAULT '',
    criticality          TEXT NOT NULL DEFAULT 'not_assessed' CHECK (criticality IN (
                             'critical', 'not_critical', 'not_assessed')),
    criticality_reason   TEXT NOT NULL DEFAULT '',
    assessed_on          TEXT,
    rto_hours            BIGINT CHECK (rto_hours >= 0),
    rpo_hours            BIGINT CHECK (rpo_hours >= 0),
    discontinuing_impact TEXT CHECK (discontinuing_impact IN ('low', 'medium', 'high')),
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL
);

CREATE TABLE service_function (
    service_id  TEXT NOT NULL REFERENCES service (id) ON DELETE CASCADE,
    function_id TEXT NOT NULL REFERENCES business_function (id),
    PRIMARY KEY (service_id, function_id)
);

CREATE INDEX service_function_by_function ON service_function (function_id);

INSERT INTO business_function (id, name, criticality, criticality_reason, created_at, updated_at)
SELECT 'F1', 'Critical or important function', 'critical',
       'Created when functions became records: the services linked to it were marked as supporting a critical or important function.',
       min(created_at), min(created_at)
FROM service WHERE supports_critical_function = 1
HAVING count(*) > 0;

INSERT INTO service_function (service_id, function_id)
SELECT id, 'F1' FROM service WHERE supports_critical_function = 1;

ALTER TABLE service DROP COLUMN supports_critical_function;
