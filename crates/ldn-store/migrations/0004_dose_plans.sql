-- Schema version 4: the dose plan a clinician chose at sign-off (standard or low start, with
-- its steps as they were), and the plan each document printed, so a reprint is the same.
-- JSON; NULL for sign-offs and documents made before plans were chosen.

ALTER TABLE signoffs ADD COLUMN plan TEXT;
ALTER TABLE documents ADD COLUMN plan TEXT;
