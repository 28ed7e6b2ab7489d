-- AlterTable
ALTER TABLE "dandisets" ADD COLUMN     "latest_asset_count" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "latest_modified" TIMESTAMPTZ(6),
ADD COLUMN     "latest_name" VARCHAR(300),
ADD COLUMN     "latest_size" BIGINT NOT NULL DEFAULT 0;

-- Hand-written. The latest version (most recently created) of each dandiset, copied onto
-- the dandiset by statement-level triggers on versions, so that the list orderings by
-- name, modified and size read one index instead of every version. Function bodies use
-- the E-string octal escape for semicolons (the migration runner splits at semicolons).
CREATE OR REPLACE FUNCTION dandi_refresh_latest_versions(integer[]) RETURNS void
  LANGUAGE sql AS '
UPDATE dandisets d
   SET latest_name = l.name, latest_modified = l.modified, latest_size = l.size, latest_asset_count = l.asset_count
  FROM (SELECT DISTINCT ON (v.dandiset_id) v.dandiset_id, v.name, v.modified, v.size, v.asset_count
          FROM versions v WHERE v.dandiset_id = ANY ($1)
         ORDER BY v.dandiset_id, v.created DESC, v.id DESC) l
 WHERE d.id = l.dandiset_id
   AND (d.latest_name, d.latest_modified, d.latest_size, d.latest_asset_count)
       IS DISTINCT FROM (l.name, l.modified, l.size, l.asset_count)';

CREATE OR REPLACE FUNCTION dandi_versions_latest_inserted() RETURNS trigger
  LANGUAGE plpgsql AS E'BEGIN PERFORM dandi_refresh_latest_versions(ARRAY(SELECT DISTINCT dandiset_id FROM new_rows))\073 RETURN NULL\073 END';
CREATE OR REPLACE FUNCTION dandi_versions_latest_updated() RETURNS trigger
  LANGUAGE plpgsql AS E'BEGIN PERFORM dandi_refresh_latest_versions(ARRAY(SELECT dandiset_id FROM new_rows UNION SELECT dandiset_id FROM old_rows))\073 RETURN NULL\073 END';
CREATE OR REPLACE FUNCTION dandi_versions_latest_deleted() RETURNS trigger
  LANGUAGE plpgsql AS E'BEGIN PERFORM dandi_refresh_latest_versions(ARRAY(SELECT DISTINCT dandiset_id FROM old_rows))\073 RETURN NULL\073 END';

CREATE TRIGGER "versions_latest_insert" AFTER INSERT ON "versions"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION dandi_versions_latest_inserted();
CREATE TRIGGER "versions_latest_update" AFTER UPDATE ON "versions"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION dandi_versions_latest_updated();
CREATE TRIGGER "versions_latest_delete" AFTER DELETE ON "versions"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION dandi_versions_latest_deleted();

SELECT dandi_refresh_latest_versions(ARRAY(SELECT id FROM dandisets));

CREATE INDEX "dandisets_latest_name_idx" ON "dandisets" ("latest_name", "id");
CREATE INDEX "dandisets_latest_modified_idx" ON "dandisets" ("latest_modified", "id");
CREATE INDEX "dandisets_latest_size_idx" ON "dandisets" ("latest_size", "id");
