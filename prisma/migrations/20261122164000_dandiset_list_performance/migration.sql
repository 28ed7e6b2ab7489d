-- Dandiset list and search performance (hand-written: Prisma cannot express
-- generated columns or expression indexes). The columns are read only by raw SQL.

-- DANDI's extract_contact_person as an immutable function, so it can be stored.
CREATE OR REPLACE FUNCTION dandi_contact_person(jsonb) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS 'SELECT c->>''name'' FROM jsonb_array_elements(CASE WHEN jsonb_typeof($1->''contributor'') = ''array'' THEN $1->''contributor'' ELSE ''[]''::jsonb END) AS c WHERE jsonb_typeof(c) = ''object'' AND jsonb_typeof(c->''name'') = ''string'' AND jsonb_typeof(c->''roleName'') = ''array'' AND c->''roleName'' @> ''["dcite:ContactPerson"]''::jsonb LIMIT 1';

-- Stored, so that neither a list page nor a search recheck has to detoast and
-- unaccent whole metadata documents.
ALTER TABLE "versions" ADD COLUMN "search_text" TEXT GENERATED ALWAYS AS (dandi_search_text("metadata")) STORED;
ALTER TABLE "versions" ADD COLUMN "contact_person" TEXT GENERATED ALWAYS AS (dandi_contact_person("metadata")) STORED;

DROP INDEX IF EXISTS "versions_search_trgm_idx";
CREATE INDEX "versions_search_text_trgm_idx" ON "versions" USING gin ("search_text" gin_trgm_ops);

-- The latest version of every dandiset (ordering by name, modified, size and the
-- empty filter) as an index-only scan.
CREATE INDEX "versions_dandiset_id_created_idx" ON "versions" ("dandiset_id", "created" DESC, "id" DESC)
  INCLUDE ("name", "modified", "size", "asset_count");

-- The default list order.
CREATE INDEX "dandisets_created_id_idx" ON "dandisets" ("created", "id");

-- Free-text search must stay fast for words found in nearly every dandiset, where
-- a trigram index only narrows nothing and every metadata text is rechecked.
-- An alphanumeric search word is a substring of a text exactly when it is a
-- substring of one of the text's maximal alphanumeric runs (tokens), so the
-- search looks the word up in the small vocabulary of distinct tokens and
-- follows the postings to dandisets. Other words still scan search_text.
CREATE TABLE "search_tokens" (
    "id" BIGSERIAL NOT NULL,
    "token" TEXT NOT NULL,
    CONSTRAINT "search_tokens_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "search_tokens_token_key" ON "search_tokens" ("token");
CREATE INDEX "search_tokens_token_trgm_idx" ON "search_tokens" USING gin ("token" gin_trgm_ops);

CREATE TABLE "dandiset_search_tokens" (
    "token_id" BIGINT NOT NULL,
    "dandiset_id" INTEGER NOT NULL,
    CONSTRAINT "dandiset_search_tokens_pkey" PRIMARY KEY ("token_id", "dandiset_id")
);
CREATE INDEX "dandiset_search_tokens_dandiset_id_idx" ON "dandiset_search_tokens" ("dandiset_id");

-- Rebuilds one dandiset's postings from the search_text of all its versions.
CREATE OR REPLACE FUNCTION dandi_refresh_search_tokens(integer) RETURNS void
  LANGUAGE plpgsql AS E'
BEGIN
  DELETE FROM dandiset_search_tokens WHERE dandiset_id = $1\073
  INSERT INTO search_tokens (token)
    SELECT DISTINCT t FROM versions v, regexp_split_to_table(v.search_text, ''[^[:alnum:]]+'') AS t
    WHERE v.dandiset_id = $1 AND t <> ''''
    ON CONFLICT (token) DO NOTHING\073
  INSERT INTO dandiset_search_tokens (token_id, dandiset_id)
    SELECT DISTINCT st.id, $1 FROM versions v, regexp_split_to_table(v.search_text, ''[^[:alnum:]]+'') AS t
    JOIN search_tokens st ON st.token = t
    WHERE v.dandiset_id = $1\073
END';

CREATE OR REPLACE FUNCTION dandi_versions_search_tokens_trigger() RETURNS trigger
  LANGUAGE plpgsql AS E'
BEGIN
  IF TG_OP = ''DELETE'' THEN
    PERFORM dandi_refresh_search_tokens(OLD.dandiset_id)\073
    RETURN OLD\073
  END IF\073
  PERFORM dandi_refresh_search_tokens(NEW.dandiset_id)\073
  RETURN NEW\073
END';
CREATE TRIGGER "versions_search_tokens" AFTER INSERT OR DELETE OR UPDATE OF "metadata" ON "versions"
  FOR EACH ROW EXECUTE FUNCTION dandi_versions_search_tokens_trigger();

SELECT dandi_refresh_search_tokens(id) FROM dandisets;
