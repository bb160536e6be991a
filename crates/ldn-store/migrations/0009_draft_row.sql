-- The answers being given live in one draft row per intake, updated in place by each save
-- (drafts.rs); completed and amended versions stay immutable. Before this, every autosave was
-- a new row holding all the answers, about 30 of them per intake.

-- Which answers the patient gave (self-entry), carried from version to version: with one
-- draft row, the row-by-row difference the review used to read no longer exists. Filled for
-- older rows by the program right after this migration (schema.rs).
ALTER TABLE intake_versions ADD COLUMN answered_by_patient TEXT NOT NULL DEFAULT '[]';
-- How many saves a draft row has taken in.
ALTER TABLE intake_versions ADD COLUMN saves INTEGER NOT NULL DEFAULT 1;

-- Who started an intake, which the draft row's last saver no longer tells.
ALTER TABLE intakes ADD COLUMN started_by INTEGER REFERENCES staff (id);
UPDATE intakes SET started_by = (
    SELECT v.saved_by FROM intake_versions v WHERE v.intake_id = intakes.id ORDER BY v.version LIMIT 1
);

DROP TRIGGER intake_versions_are_immutable;
DROP TRIGGER intake_versions_are_kept;
