-- Tillit schema, version 9: personal signing keys and signatures (DOMAIN §7).
-- Each person's Ed25519 key, sealed by a key derived from their password;
-- the public half verifies what they signed, also after the key is retired
-- (a password reset makes a new one). Each key is vouched for by the
-- administrator who made it (the first administrator's by itself).
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
) STRICT;

CREATE INDEX signing_key_by_user ON signing_key (user_id, created_at);

-- The signature of each signed record (`approval:<id>`, `resolution:<assessment
-- id>`, `event:<id>`, `rule_set:<version>`, `roles:<user id>`): the record's
-- fingerprint when it was signed, the key and the Ed25519 signature.
CREATE TABLE signature (
    subject     TEXT PRIMARY KEY NOT NULL,
    fingerprint TEXT NOT NULL CHECK (length(fingerprint) = 64),
    key_id      TEXT NOT NULL REFERENCES signing_key (id),
    signature   TEXT NOT NULL CHECK (length(signature) = 128),
    signed_at   TEXT NOT NULL
) STRICT;

-- The seal of each write: the person who wrote signs the hash of the last
-- entry their transaction appended, so an entry appended in their name
-- outside Tillit is found, even with the chain recomputed. Part of the trail
-- (not recorded in it).
CREATE TABLE trail_seal (
    seq       INTEGER PRIMARY KEY,
    key_id    TEXT NOT NULL,
    signature TEXT NOT NULL CHECK (length(signature) = 128)
) STRICT;
