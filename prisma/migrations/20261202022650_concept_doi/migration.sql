-- The dandiset-level ("concept") DOI, which always resolves to the newest published version,
-- and the state of its registration at DataCite (kept per dandiset so that the API and the
-- web app can show it, and an operator can see why it is not registered yet).
ALTER TABLE dandisets
  ADD COLUMN concept_doi VARCHAR(64),
  ADD COLUMN concept_doi_status TEXT,
  ADD COLUMN concept_doi_version VARCHAR(128),
  ADD COLUMN concept_doi_attempts INTEGER NOT NULL DEFAULT 0,
  ADD COLUMN concept_doi_error TEXT,
  ADD COLUMN concept_doi_updated TIMESTAMPTZ(6),
  ADD CONSTRAINT dandisets_concept_doi_status_check
    CHECK (concept_doi_status IN ('pending', 'registered', 'failed', 'not-configured'));
