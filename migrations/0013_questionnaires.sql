-- Schema 13: questionnaires (DOMAIN §13). A questionnaire is sent to a
-- supplier as a workbook with a deadline; the questions it asked are kept as
-- sent (with their SHA-256, which the returned file must match), and the
-- answers of its return, one row each. The returned file is kept in the
-- evidence folder under its SHA-256. A second return replaces the answers;
-- the trail keeps the first.
CREATE TABLE questionnaire (
    id               TEXT PRIMARY KEY NOT NULL,
    supplier_id      TEXT NOT NULL REFERENCES supplier (id) ON DELETE CASCADE,
    rule_set_version INTEGER NOT NULL,
    language         TEXT NOT NULL CHECK (language IN ('en', 'sv')),
    questions        TEXT NOT NULL,
    questions_sha256 TEXT NOT NULL,
    deadline         TEXT NOT NULL,
    sent_at          TEXT NOT NULL,
    sent_by          TEXT NOT NULL,
    sent_sha256      TEXT NOT NULL,
    returned_at      TEXT,
    returned_by      TEXT,
    returns          INTEGER NOT NULL DEFAULT 0,
    file_sha256      TEXT,
    file_name        TEXT,
    file_size        INTEGER,
    CHECK ((returned_at IS NULL) = (file_sha256 IS NULL))
) STRICT;

CREATE INDEX questionnaire_by_supplier ON questionnaire (supplier_id);

CREATE TABLE questionnaire_answer (
    questionnaire_id TEXT NOT NULL REFERENCES questionnaire (id) ON DELETE CASCADE,
    question_id      TEXT NOT NULL,
    value            TEXT NOT NULL,
    PRIMARY KEY (questionnaire_id, question_id)
) STRICT, WITHOUT ROWID;
