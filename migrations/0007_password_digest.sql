-- Tillit schema, version 7: the audit trail records the SHA-256 of each
-- user's password hash (`password_hash_sha256`), never the hash itself, so
-- `tillit audit verify` reports a password hash changed outside Tillit. The
-- tables do not change; the upgrade (store::migrate) records every user as
-- it is now, as Tillit's own change.
SELECT 1;
