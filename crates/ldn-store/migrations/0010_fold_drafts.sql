-- Old drafts folded: a draft that a later version superseded holds nothing the later version
-- does not (every save carried all the answers), so only the last row of each intake stays a
-- draft. A draft a document or sign-off names is kept, though neither is made from drafts.
UPDATE intake_versions SET saves = (
    SELECT count(*) FROM intake_versions d
    WHERE d.intake_id = intake_versions.intake_id AND d.status = 'draft'
      AND d.version <= intake_versions.version
      AND d.version > coalesce((
          SELECT max(c.version) FROM intake_versions c
          WHERE c.intake_id = intake_versions.intake_id AND c.status <> 'draft'
            AND c.version < intake_versions.version), 0)
)
WHERE status = 'draft' AND version = (
    SELECT max(m.version) FROM intake_versions m WHERE m.intake_id = intake_versions.intake_id
);

-- A version's documents and sign-offs are looked up by version: without these, every
-- deleted draft made SQLite scan both tables for rows naming it (foreign keys), and so does
-- every history that lists them.
CREATE INDEX documents_by_version ON documents (intake_version_id);
CREATE INDEX signoffs_by_version ON signoffs (intake_version_id);

DELETE FROM intake_versions
WHERE status = 'draft'
  AND version < (SELECT max(m.version) FROM intake_versions m WHERE m.intake_id = intake_versions.intake_id)
  AND NOT EXISTS (SELECT 1 FROM documents d WHERE d.intake_version_id = intake_versions.id)
  AND NOT EXISTS (SELECT 1 FROM signoffs s WHERE s.intake_version_id = intake_versions.id);

-- A completed or amended version is never changed; a draft changes only its answers and who
-- saved them when, or becomes the completed version it was heading for.
CREATE TRIGGER intake_versions_are_immutable BEFORE UPDATE ON intake_versions
WHEN OLD.status <> 'draft' OR NEW.id IS NOT OLD.id OR NEW.intake_id IS NOT OLD.intake_id
  OR NEW.version IS NOT OLD.version
BEGIN SELECT RAISE(ABORT, 'intake versions are never changed; save a new version'); END;
CREATE TRIGGER intake_versions_are_kept BEFORE DELETE ON intake_versions
BEGIN SELECT RAISE(ABORT, 'intake versions are never deleted'); END;

