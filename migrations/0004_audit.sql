-- Tillit schema, version 4: the audit trail (DOMAIN §9). Append-only; each
-- entry's hash covers the entry and the previous entry's hash, so a changed,
-- removed or reordered entry breaks the chain from there on.
CREATE TABLE audit_log (
    seq       INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    entity    TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    -- Canonical JSON of the entity before and after the change (NULL when absent).
    before    TEXT,
    after     TEXT,
    hash      TEXT NOT NULL
) STRICT;

CREATE INDEX audit_by_entity ON audit_log (entity, entity_id);
