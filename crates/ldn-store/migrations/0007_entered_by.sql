-- Versions saved while the workstation was handed to the patient (self-entry) are the
-- patient's answers, not the staff member's whose session it was.
ALTER TABLE intake_versions ADD COLUMN entered_by_patient INTEGER NOT NULL DEFAULT 0
  CHECK (entered_by_patient IN (0, 1));
