-- Schema 10: the conditions of an approval, followed up (DOMAIN §7), and
-- reasons said in every language.
-- A decision's conditions, each with its due date, are part of the signed
-- decision (`approval.conditions`, a JSON list from this version on; an
-- earlier decision's free text is one condition without a due date). Their
-- follow-up is here: a condition is open until the officer closes it with a
-- note, signed by the officer and recorded in the audit trail.
CREATE TABLE condition_closure (
    id             TEXT PRIMARY KEY NOT NULL,
    approval_id    TEXT NOT NULL REFERENCES approval (id) ON DELETE CASCADE,
    -- The condition's place in the decision's list, from 0.
    position       INTEGER NOT NULL CHECK (position >= 0),
    closed_by      TEXT NOT NULL REFERENCES app_user (id),
    closed_by_name TEXT NOT NULL CHECK (closed_by_name <> ''),
    closed_at      TEXT NOT NULL,
    note           TEXT NOT NULL CHECK (note <> ''),
    UNIQUE (approval_id, position)
) STRICT;

-- The reason of a follow-up event as each language says it (a JSON object
-- {"en": …, "sv": …}), beside the English `reason`: a detected event's
-- reason is written from the catalogue when it is recorded (a supplier's
-- reassessment reason is its event's). NULL on a row from before this
-- version: its `reason` is shown.
ALTER TABLE follow_up_event ADD COLUMN reason_said TEXT;
