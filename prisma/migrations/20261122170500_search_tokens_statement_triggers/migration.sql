-- Search token postings are refreshed once per statement for all the dandisets it
-- touched (set-based), instead of once per version row: bulk inserts such as
-- publishing or seeding would otherwise rebuild the same postings row by row.
DROP TRIGGER IF EXISTS "versions_search_tokens" ON "versions";
DROP FUNCTION IF EXISTS dandi_versions_search_tokens_trigger();
DROP FUNCTION IF EXISTS dandi_refresh_search_tokens(integer);

CREATE OR REPLACE FUNCTION dandi_refresh_search_tokens(integer[]) RETURNS void
  LANGUAGE plpgsql AS E'
BEGIN
  DELETE FROM dandiset_search_tokens WHERE dandiset_id = ANY($1)\073
  INSERT INTO search_tokens (token)
    SELECT DISTINCT t FROM versions v, regexp_split_to_table(v.search_text, ''[^[:alnum:]]+'') AS t
    WHERE v.dandiset_id = ANY($1) AND t <> ''''
    ON CONFLICT (token) DO NOTHING\073
  INSERT INTO dandiset_search_tokens (token_id, dandiset_id)
    SELECT DISTINCT st.id, v.dandiset_id FROM versions v, regexp_split_to_table(v.search_text, ''[^[:alnum:]]+'') AS t
    JOIN search_tokens st ON st.token = t
    WHERE v.dandiset_id = ANY($1)\073
END';

CREATE OR REPLACE FUNCTION dandi_versions_inserted_tokens() RETURNS trigger
  LANGUAGE plpgsql AS E'
BEGIN
  PERFORM dandi_refresh_search_tokens(ARRAY(SELECT DISTINCT dandiset_id FROM new_rows))\073
  RETURN NULL\073
END';

CREATE OR REPLACE FUNCTION dandi_versions_updated_tokens() RETURNS trigger
  LANGUAGE plpgsql AS E'
BEGIN
  PERFORM dandi_refresh_search_tokens(ARRAY(
    SELECT DISTINCT n.dandiset_id FROM new_rows n JOIN old_rows o ON o.id = n.id
    WHERE n.metadata IS DISTINCT FROM o.metadata OR n.dandiset_id <> o.dandiset_id
    UNION SELECT o.dandiset_id FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE n.dandiset_id <> o.dandiset_id))\073
  RETURN NULL\073
END';

CREATE OR REPLACE FUNCTION dandi_versions_deleted_tokens() RETURNS trigger
  LANGUAGE plpgsql AS E'
BEGIN
  PERFORM dandi_refresh_search_tokens(ARRAY(SELECT DISTINCT dandiset_id FROM old_rows))\073
  RETURN NULL\073
END';

CREATE TRIGGER "versions_search_tokens_insert" AFTER INSERT ON "versions"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION dandi_versions_inserted_tokens();
CREATE TRIGGER "versions_search_tokens_update" AFTER UPDATE ON "versions"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION dandi_versions_updated_tokens();
CREATE TRIGGER "versions_search_tokens_delete" AFTER DELETE ON "versions"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION dandi_versions_deleted_tokens();
