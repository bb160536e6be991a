-- Schema version 2: what a document was made from, so that a reprint can be made again
-- exactly as it was (same bytes, checked against sha256).

ALTER TABLE documents ADD COLUMN language TEXT NOT NULL DEFAULT 'en' CHECK (language IN ('en', 'es'));
ALTER TABLE documents ADD COLUMN paper TEXT NOT NULL DEFAULT 'letter' CHECK (paper IN ('letter', 'a4'));
-- The clinic settings used (clinic name, address, phone, titration), as JSON.
ALTER TABLE documents ADD COLUMN settings TEXT NOT NULL DEFAULT '{}';
