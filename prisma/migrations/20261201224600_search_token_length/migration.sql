-- Hand-written. Search tokens stay within the btree limit of search_tokens_token_key.
--
-- A token is a maximal alphanumeric run of a version's search_text, and every
-- distinct token is a row of search_tokens under a unique btree index, whose
-- entries may not exceed about 2,700 bytes: a single 10 KB "word" in a
-- description made the metadata save fail. A token longer than
-- 200 characters (at most 4 bytes each) is now stored as
-- overlapping pieces: the 200-character pieces from its start and the
-- 200-character pieces from its 101st character (the last piece of each run is
-- shorter). Any substring of the token of at most 101 characters lies within
-- one piece, so a search word of up to 100 characters (isTokenWord in
-- build-search-filter.ts) still finds it through the vocabulary, and longer
-- words are matched against search_text.
-- Semicolons in function bodies are E-string octal escapes.

-- The distinct vocabulary entries of a search text. Only runs longer than 200
-- characters are cut, each by one regexp pass (a substr per piece would
-- decompress the whole text once per piece).
CREATE OR REPLACE FUNCTION dandi_search_tokens(text) RETURNS SETOF text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS E'
  WITH runs AS MATERIALIZED (
    SELECT t FROM regexp_split_to_table($1, ''[^[:alnum:]]+'') AS t WHERE t <> ''''
  )
  SELECT t FROM runs WHERE length(t) <= 200
  UNION
  SELECT m[1] FROM runs, regexp_matches(runs.t, ''.{1,200}'', ''g'') AS m WHERE length(runs.t) > 200
  UNION
  SELECT m[1] FROM runs, regexp_matches(substr(runs.t, 101), ''.{1,200}'', ''g'') AS m WHERE length(runs.t) > 200';

-- As in migration 20261122233000, over dandi_search_tokens, and splitting each
-- search text once rather than once per statement (the split is most of the
-- cost of a save of a large document).
CREATE OR REPLACE FUNCTION dandi_refresh_search_tokens(integer[]) RETURNS void
  LANGUAGE plpgsql AS E'
DECLARE
  ds integer[]\073
  ws text[]\073
BEGIN
  SELECT coalesce(array_agg(x.dandiset_id), ''{}''), coalesce(array_agg(x.t), ''{}'') INTO ds, ws
    FROM (SELECT DISTINCT v.dandiset_id, t FROM versions v, dandi_search_tokens(v.search_text) AS t
          WHERE v.dandiset_id = ANY($1)) AS x\073
  INSERT INTO search_tokens (token)
    SELECT DISTINCT w FROM unnest(ws) AS w
    ON CONFLICT (token) DO NOTHING\073
  WITH fresh AS MATERIALIZED (
    SELECT DISTINCT st.id AS token_id, x.d AS dandiset_id
    FROM unnest(ds, ws) AS x(d, w)
    JOIN search_tokens st ON st.token = x.w
  ), gone AS (
    DELETE FROM dandiset_search_tokens p
    WHERE p.dandiset_id = ANY($1)
      AND NOT EXISTS (SELECT 1 FROM fresh f WHERE f.token_id = p.token_id AND f.dandiset_id = p.dandiset_id)
    RETURNING p.dandiset_id
  ), added AS (
    INSERT INTO dandiset_search_tokens (token_id, dandiset_id)
    SELECT token_id, dandiset_id FROM fresh
    ON CONFLICT DO NOTHING
    RETURNING dandiset_id
  )
  INSERT INTO search_bitmap_dirty (dandiset_id)
    SELECT DISTINCT c.dandiset_id FROM (SELECT dandiset_id FROM gone UNION ALL SELECT dandiset_id FROM added) AS c\073
END';
