-- Every part of a patient's name (folded: lower case, no accents), so that "garcia" finds
-- "Ñúñez-García" and "maria" finds "Ana María López". The parts of patients saved before this
-- migration are written by the program right after it (schema.rs), since folding is Rust's.
CREATE TABLE patient_name_parts (
    part       TEXT NOT NULL,
    patient_id INTEGER NOT NULL REFERENCES patients (id),
    PRIMARY KEY (part, patient_id)
) WITHOUT ROWID;

-- A phone number to reach the patient; the MRN column has been there since schema 1.
ALTER TABLE patients ADD COLUMN phone TEXT;
