-- Hand-written. The asset search table behind GET /api/dandisets/search/ and the
-- genotype and species autocompletes (DANDI: the asset_search materialised view,
-- refreshed every 10 minutes). Here it is a table kept exact by statement-level
-- triggers, so a search sees an upload at once and no refresh rescans every
-- asset. One row per (asset, dandiset) for blob assets linked to any version of
-- that dandiset, with the searched facts pulled out of the metadata once:
-- encoding_format (lower-cased, for the file type prefix match), species
-- (wasAttributedTo[0].species.name), genotype (wasAttributedTo[0].genotype when
-- it is a string), the measurementTechnique names and the blob size. The table
-- is read only by raw SQL, so it is not in schema.prisma.
-- Semicolons in function bodies are E-string octal escapes (the migration runner
-- splits at semicolons).
CREATE TABLE "asset_search" (
    "asset_id" BIGINT NOT NULL,
    "dandiset_id" INTEGER NOT NULL,
    "encoding_format" TEXT NOT NULL,
    "species" TEXT NOT NULL,
    "genotype" TEXT NOT NULL,
    "measurement_techniques" TEXT[] NOT NULL,
    "asset_size" BIGINT NOT NULL,
    CONSTRAINT "asset_search_pkey" PRIMARY KEY ("asset_id", "dandiset_id"),
    CONSTRAINT "asset_search_asset_id_fkey" FOREIGN KEY ("asset_id") REFERENCES "assets"("id") ON DELETE CASCADE,
    CONSTRAINT "asset_search_dandiset_id_fkey" FOREIGN KEY ("dandiset_id") REFERENCES "dandisets"("id") ON DELETE CASCADE
);

-- The measurementTechnique names of an asset metadata document.
CREATE OR REPLACE FUNCTION dandi_asset_techniques(jsonb) RETURNS text[]
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS 'SELECT coalesce(array_agg(DISTINCT m->>''name''), ''{}'') FROM jsonb_array_elements(CASE WHEN jsonb_typeof($1->''measurementTechnique'') = ''array'' THEN $1->''measurementTechnique'' ELSE ''[]''::jsonb END) AS m WHERE jsonb_typeof(m->''name'') = ''string''';

CREATE OR REPLACE FUNCTION dandi_asset_genotype(jsonb) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS 'SELECT CASE WHEN jsonb_typeof($1->''wasAttributedTo''->0->''genotype'') = ''string'' THEN $1->''wasAttributedTo''->0->>''genotype'' ELSE '''' END';

-- Links added (uploads, publish copying a version): a row for every new (asset, dandiset) pair.
CREATE OR REPLACE FUNCTION dandi_asset_search_links_inserted() RETURNS trigger
  LANGUAGE plpgsql AS E'
BEGIN
  INSERT INTO asset_search (asset_id, dandiset_id, encoding_format, species, genotype, measurement_techniques, asset_size)
  SELECT DISTINCT ON (a.id, v.dandiset_id) a.id, v.dandiset_id,
         lower(coalesce(a.metadata->>''encodingFormat'', '''')),
         coalesce(a.metadata->''wasAttributedTo''->0->''species''->>''name'', ''''),
         dandi_asset_genotype(a.metadata), dandi_asset_techniques(a.metadata), b.size
    FROM new_rows n
    JOIN versions v ON v.id = n.version_id
    JOIN assets a ON a.id = n.asset_id
    JOIN asset_blobs b ON b.id = a.blob_id
   WHERE NOT EXISTS (SELECT 1 FROM asset_search s WHERE s.asset_id = n.asset_id AND s.dandiset_id = v.dandiset_id)
  ON CONFLICT DO NOTHING\073
  RETURN NULL\073
END';

-- Links removed: drop the pairs no version of the dandiset links any more.
CREATE OR REPLACE FUNCTION dandi_asset_search_links_deleted() RETURNS trigger
  LANGUAGE plpgsql AS E'
BEGIN
  DELETE FROM asset_search s
   WHERE s.asset_id IN (SELECT DISTINCT asset_id FROM old_rows)
     AND NOT EXISTS (SELECT 1 FROM version_assets va JOIN versions v ON v.id = va.version_id
                      WHERE va.asset_id = s.asset_id AND v.dandiset_id = s.dandiset_id)\073
  RETURN NULL\073
END';

-- Metadata rewritten in place (publishing freezes it): refresh the facts that changed.
CREATE OR REPLACE FUNCTION dandi_asset_search_assets_updated() RETURNS trigger
  LANGUAGE plpgsql AS E'
BEGIN
  UPDATE asset_search s
     SET encoding_format = f.encoding_format, species = f.species, genotype = f.genotype,
         measurement_techniques = f.measurement_techniques
    FROM (SELECT n.id,
                 lower(coalesce(n.metadata->>''encodingFormat'', '''')) AS encoding_format,
                 coalesce(n.metadata->''wasAttributedTo''->0->''species''->>''name'', '''') AS species,
                 dandi_asset_genotype(n.metadata) AS genotype,
                 dandi_asset_techniques(n.metadata) AS measurement_techniques
            FROM new_rows n JOIN old_rows o ON o.id = n.id
           WHERE n.metadata IS DISTINCT FROM o.metadata) f
   WHERE s.asset_id = f.id
     AND (s.encoding_format, s.species, s.genotype, s.measurement_techniques)
         IS DISTINCT FROM (f.encoding_format, f.species, f.genotype, f.measurement_techniques)\073
  RETURN NULL\073
END';

CREATE TRIGGER "version_assets_asset_search_insert" AFTER INSERT ON "version_assets"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION dandi_asset_search_links_inserted();
CREATE TRIGGER "version_assets_asset_search_delete" AFTER DELETE ON "version_assets"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION dandi_asset_search_links_deleted();
CREATE TRIGGER "assets_asset_search_update" AFTER UPDATE ON "assets"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION dandi_asset_search_assets_updated();

-- Existing data.
INSERT INTO asset_search (asset_id, dandiset_id, encoding_format, species, genotype, measurement_techniques, asset_size)
SELECT DISTINCT ON (a.id, v.dandiset_id) a.id, v.dandiset_id,
       lower(coalesce(a.metadata->>'encodingFormat', '')),
       coalesce(a.metadata->'wasAttributedTo'->0->'species'->>'name', ''),
       dandi_asset_genotype(a.metadata), dandi_asset_techniques(a.metadata), b.size
  FROM version_assets va
  JOIN versions v ON v.id = va.version_id
  JOIN assets a ON a.id = va.asset_id
  JOIN asset_blobs b ON b.id = a.blob_id;

-- The dandiset match scans by facet value. The per-dandiset asset_counts use the
-- dandiset-leading indexes for the prefix and range filters and the value-leading
-- ones (value, dandiset_id) for the equality filters.
CREATE INDEX "asset_search_dandiset_format_idx" ON "asset_search" ("dandiset_id", "encoding_format" text_pattern_ops);
CREATE INDEX "asset_search_format_idx" ON "asset_search" ("encoding_format" text_pattern_ops, "dandiset_id");
CREATE INDEX "asset_search_species_idx" ON "asset_search" ("species", "dandiset_id");
CREATE INDEX "asset_search_genotype_idx" ON "asset_search" ("genotype", "dandiset_id");
CREATE INDEX "asset_search_size_idx" ON "asset_search" ("asset_size", "dandiset_id");
CREATE INDEX "asset_search_dandiset_size_idx" ON "asset_search" ("dandiset_id", "asset_size");
CREATE INDEX "asset_search_techniques_idx" ON "asset_search" USING gin ("measurement_techniques");
