-- Schema version 3: each intake keeps the date it was first saved on (screening-contract.md
-- §4). Every later version must carry the same date; the store refuses one that does not.

ALTER TABLE intakes ADD COLUMN intake_date TEXT;
UPDATE intakes SET intake_date = (
    SELECT json_extract(v.answers, '$.intake_date') FROM intake_versions v
    WHERE v.intake_id = intakes.id ORDER BY v.version LIMIT 1
);
