-- Schema version 6: signatures. The clinic's root key (derived from the recovery key, never
-- stored) vouches for the first administrator's account record; administrators vouch for the
-- others. Sign-offs and the audit trail's head are signed by the account that made them, so
-- a row changed by someone who merely holds the database key no longer verifies.

-- One row: the root's public key, and where signatures began.
CREATE TABLE trust (
    id                     INTEGER PRIMARY KEY CHECK (id = 1),
    root_public_key        TEXT NOT NULL,
    -- Sign-offs with an id up to this one were made before signatures began.
    unsigned_signoffs_upto INTEGER NOT NULL,
    established_at         TEXT NOT NULL,
    signature              TEXT NOT NULL
);

-- Every version of every account's record; the highest generation is the current one.
CREATE TABLE account_records (
    staff_id          INTEGER NOT NULL REFERENCES staff (id),
    generation        INTEGER NOT NULL,
    username          TEXT NOT NULL,
    role              TEXT NOT NULL,
    disabled          INTEGER NOT NULL CHECK (disabled IN (0, 1)),
    public_key        TEXT NOT NULL,
    -- Who vouched: an administrator's record, or the root when both are NULL.
    signer_id         INTEGER REFERENCES staff (id),
    signer_generation INTEGER,
    signed_at         TEXT NOT NULL,
    signature         TEXT NOT NULL,
    PRIMARY KEY (staff_id, generation)
);

ALTER TABLE signoffs ADD COLUMN signer_generation INTEGER;
ALTER TABLE signoffs ADD COLUMN signature TEXT;

-- The audit chain's head (row id and hash) as an account saw it, signed by that account.
CREATE TABLE audit_heads (
    id                INTEGER PRIMARY KEY,
    audit_id          INTEGER NOT NULL,
    audit_hash        TEXT NOT NULL,
    event             TEXT NOT NULL,
    signer_id         INTEGER REFERENCES staff (id),
    signer_generation INTEGER,
    signed_at         TEXT NOT NULL,
    signature         TEXT NOT NULL
);

-- The sign-off a clinician summary printed (its decision and whether its signature held), so
-- a reprint prints the same one.
ALTER TABLE documents ADD COLUMN signoff_id INTEGER REFERENCES signoffs (id);
