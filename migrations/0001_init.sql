-- Tillit schema, version 1: the foundation.
-- A released migration is never edited; later changes come as 0002_…, 0003_… .

-- Marks the file as a Tillit database, so another program's SQLite file is
-- refused instead of being "upgraded".
PRAGMA application_id = 1414089804; -- 'TILL'

-- Application settings that persist with the data (e.g. the UI language).
CREATE TABLE app_setting (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
) STRICT;
