-- Schema version 1. Applied in one transaction; user_version records the version.

CREATE TABLE staff (
    id           INTEGER PRIMARY KEY,
    username     TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role         TEXT NOT NULL CHECK (role IN ('clinician', 'staff', 'admin')),
    disabled     INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    created_at   TEXT NOT NULL
);

CREATE TABLE patients (
    id          INTEGER PRIMARY KEY,
    given_name  TEXT NOT NULL,
    family_name TEXT NOT NULL,
    birth_date  TEXT NOT NULL,
    mrn         TEXT UNIQUE,
    -- Lower-case "family given" and "given family", for prefix search on their indexes.
    search_key   TEXT NOT NULL,
    search_given TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX patients_by_search_key ON patients (search_key);
CREATE INDEX patients_by_search_given ON patients (search_given);
CREATE INDEX patients_by_birth_date ON patients (birth_date);

CREATE TABLE intakes (
    id         INTEGER PRIMARY KEY,
    patient_id INTEGER NOT NULL REFERENCES patients (id),
    created_at TEXT NOT NULL
);
CREATE INDEX intakes_by_patient ON intakes (patient_id);

-- Every save is a new row; rows are never changed or deleted.
CREATE TABLE intake_versions (
    id            INTEGER PRIMARY KEY,
    intake_id     INTEGER NOT NULL REFERENCES intakes (id),
    version       INTEGER NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('draft', 'completed', 'amended')),
    answers       TEXT NOT NULL,
    summary       TEXT,
    rules_version TEXT,
    saved_by      INTEGER NOT NULL REFERENCES staff (id),
    saved_at      TEXT NOT NULL,
    UNIQUE (intake_id, version)
);
CREATE TRIGGER intake_versions_are_immutable BEFORE UPDATE ON intake_versions
BEGIN SELECT RAISE(ABORT, 'intake versions are never changed; save a new version'); END;
CREATE TRIGGER intake_versions_are_kept BEFORE DELETE ON intake_versions
BEGIN SELECT RAISE(ABORT, 'intake versions are never deleted'); END;

CREATE TABLE signoffs (
    id                INTEGER PRIMARY KEY,
    intake_version_id INTEGER NOT NULL REFERENCES intake_versions (id),
    clinician_id      INTEGER NOT NULL REFERENCES staff (id),
    decision          TEXT NOT NULL CHECK (decision IN ('start', 'start_with_caution', 'do_not_start', 'refer')),
    note              TEXT NOT NULL DEFAULT '',
    signed_at         TEXT NOT NULL
);

CREATE TABLE documents (
    id                INTEGER PRIMARY KEY,
    intake_version_id INTEGER NOT NULL REFERENCES intake_versions (id),
    kind              TEXT NOT NULL CHECK (kind IN ('handout', 'summary', 'card')),
    produced_by       INTEGER NOT NULL REFERENCES staff (id),
    produced_at       TEXT NOT NULL,
    sha256            TEXT NOT NULL
);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Append-only; each row's hash covers the previous row's hash, so an edited or deleted row
-- breaks the chain (`ldn db verify`).
CREATE TABLE audit (
    id        INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    staff_id  INTEGER,
    action    TEXT NOT NULL,
    subject   TEXT NOT NULL DEFAULT '',
    detail    TEXT NOT NULL DEFAULT '',
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
);
CREATE TRIGGER audit_is_append_only_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER audit_is_append_only_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
