-- Search token bitmaps (hand-written: Prisma cannot express bit varying columns
-- or plpgsql). The tables are read only by raw SQL.
--
-- A free-text word found in most dandisets used to be counted by a hash
-- semi-join of all its postings (about 17,000 rows for 10,000 dandisets) against
-- the dandisets, several times the cost of the page itself. A token found in at
-- least dandi_search_bitmap_min_df() dandisets now also keeps a bitmap of its
-- dandisets (bit n set when dandiset n has the token, bit 0 leftmost as get_bit
-- counts), so that the union of the tokens of a word is one bit_or and each
-- dandiset of the list is tested with one get_bit.
--
-- The bitmaps are a cache of the postings, folded in by the worker
-- (dandi_fold_search_bitmaps) rather than by the transaction that changed the
-- postings: updating a bitmap row of a common token from every metadata save
-- would serialise all concurrent saves, and a publish transaction would hold
-- those rows for its whole length. Instead every change of a dandiset postings
-- appends a row to search_bitmap_dirty in the same transaction, and a search
-- trusts the bitmaps only for dandisets without such a row, asking the postings
-- (always exact) for the others. Results are exact at any moment, folded or not.

ALTER TABLE "search_tokens" ADD COLUMN "df" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "search_tokens" ADD COLUMN "bitmap" BIT VARYING;
CREATE INDEX "search_tokens_bitmap_idx" ON "search_tokens" ("id") WHERE "bitmap" IS NOT NULL;

CREATE TABLE "search_bitmap_dirty" (
    "seq" BIGSERIAL NOT NULL,
    "dandiset_id" INTEGER NOT NULL,
    CONSTRAINT "search_bitmap_dirty_pkey" PRIMARY KEY ("seq")
);
CREATE INDEX "search_bitmap_dirty_dandiset_id_idx" ON "search_bitmap_dirty" ("dandiset_id");

-- Tokens found in at least this many dandisets get a bitmap. Below it the
-- postings of a token are few, and a lookup by id is cheaper than a bitmap.
CREATE OR REPLACE FUNCTION dandi_search_bitmap_min_df() RETURNS integer
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS 'SELECT 64';

-- A bitmap of `bits` bits (a multiple of 8) with the bits of `ids` set, built
-- byte by byte from hex: one row per byte rather than one set_bit copy per id.
CREATE OR REPLACE FUNCTION dandi_ids_bitmap(integer[], integer) RETURNS bit varying
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS E'
  SELECT (''x'' || coalesce(string_agg(lpad(to_hex(coalesce(b.v, 0)), 2, ''0''), '''' ORDER BY g.i), ''''))::bit varying
  FROM generate_series(0, $2 / 8 - 1) AS g(i)
  LEFT JOIN (SELECT id / 8 AS i, bit_or(128 >> (id % 8)) AS v FROM unnest($1) AS id
             WHERE id >= 0 AND id < $2 GROUP BY 1) AS b ON b.i = g.i';

-- Sets the bits of a few ids (a set_bit copy each: cheaper than a rebuild for a handful).
CREATE OR REPLACE FUNCTION dandi_bitmap_set(bit varying, integer[]) RETURNS bit varying
  LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS E'
DECLARE
  result bit varying := $1\073
  id integer\073
BEGIN
  FOREACH id IN ARRAY coalesce($2, ARRAY[]::integer[]) LOOP
    IF id >= 0 AND id < length(result) THEN
      result := set_bit(result, id, 1)\073
    END IF\073
  END LOOP\073
  RETURN result\073
END';

-- Rebuilds the postings of some dandisets from the search_text of all their
-- versions, changing only the rows that differ, and marks the dandisets whose
-- postings changed as dirty for the bitmaps.
CREATE OR REPLACE FUNCTION dandi_refresh_search_tokens(integer[]) RETURNS void
  LANGUAGE plpgsql AS E'
BEGIN
  INSERT INTO search_tokens (token)
    SELECT DISTINCT t FROM versions v, regexp_split_to_table(v.search_text, ''[^[:alnum:]]+'') AS t
    WHERE v.dandiset_id = ANY($1) AND t <> ''''
    ON CONFLICT (token) DO NOTHING\073
  WITH fresh AS MATERIALIZED (
    SELECT DISTINCT st.id AS token_id, v.dandiset_id
    FROM versions v, regexp_split_to_table(v.search_text, ''[^[:alnum:]]+'') AS t
    JOIN search_tokens st ON st.token = t
    WHERE v.dandiset_id = ANY($1)
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

-- Folds the dirty dandisets into the bitmaps and returns how many it folded.
-- Runs under an advisory lock (one fold at a time). It reads the dirty rows
-- first, computes the bits from the postings after that, and deletes exactly
-- the rows it read: a dandiset changed by a transaction that commits meanwhile
-- keeps its newer dirty row, so its bits are never trusted before the next fold.
-- Many dirty dandisets (a bulk load, or the first fold) rebuild everything.
CREATE OR REPLACE FUNCTION dandi_fold_search_bitmaps() RETURNS integer
  LANGUAGE plpgsql AS E'
DECLARE
  seqs bigint[]\073
  ids integer[]\073
  old_bits integer\073
  bits integer\073
  keep bit varying\073
  min_df integer := dandi_search_bitmap_min_df()\073
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext(''dandi_fold_search_bitmaps''))\073
  SELECT array_agg(seq), array_agg(DISTINCT dandiset_id) INTO seqs, ids FROM search_bitmap_dirty\073
  IF seqs IS NULL THEN
    RETURN 0\073
  END IF\073
  SELECT length(bitmap) INTO old_bits FROM search_tokens WHERE bitmap IS NOT NULL LIMIT 1\073
  bits := greatest(coalesce(old_bits, 0),
    (greatest(coalesce((SELECT max(id) FROM dandisets), 0), (SELECT max(x) FROM unnest(ids) AS x)) / 8192 + 1) * 8192)\073

  IF old_bits IS NULL OR cardinality(ids) > 1000 THEN
    UPDATE search_tokens st SET df = coalesce(c.n, 0)
      FROM search_tokens s0 LEFT JOIN (SELECT token_id, count(*)::integer AS n FROM dandiset_search_tokens GROUP BY token_id) AS c
        ON c.token_id = s0.id
      WHERE st.id = s0.id AND st.df IS DISTINCT FROM coalesce(c.n, 0)\073
    UPDATE search_tokens st SET bitmap = dandi_ids_bitmap(
        ARRAY(SELECT p.dandiset_id FROM dandiset_search_tokens p WHERE p.token_id = st.id), bits)
      WHERE st.df >= min_df OR st.bitmap IS NOT NULL\073
  ELSE
    IF bits > old_bits THEN
      UPDATE search_tokens SET bitmap = bitmap || dandi_ids_bitmap(ARRAY[]::integer[], bits - old_bits)
        WHERE bitmap IS NOT NULL\073
    END IF\073
    keep := ~dandi_ids_bitmap(ids, bits)\073
    -- Bitmap tokens: the dirty bits cleared, then set again from the postings.
    UPDATE search_tokens st SET
        bitmap = CASE WHEN cardinality(c.dandisets) <= 64 THEN dandi_bitmap_set(st.bitmap & keep, c.dandisets)
                      ELSE (st.bitmap & keep) | dandi_ids_bitmap(c.dandisets, bits) END
      FROM (SELECT s.id, ARRAY(SELECT p.dandiset_id FROM dandiset_search_tokens p
                               WHERE p.token_id = s.id AND p.dandiset_id = ANY(ids)) AS dandisets
            FROM search_tokens s
            WHERE s.bitmap IS NOT NULL) AS c
      WHERE st.id = c.id AND (cardinality(c.dandisets) > 0 OR bit_count(st.bitmap & ~keep) > 0)\073
    UPDATE search_tokens SET df = bit_count(bitmap)::integer
      WHERE bitmap IS NOT NULL AND df <> bit_count(bitmap)\073
    -- Tokens without a bitmap that the dirty dandisets have: recount, and give a
    -- bitmap to those that reached min_df.
    UPDATE search_tokens st SET df = c.n
      FROM (SELECT t.token_id, (SELECT count(*)::integer FROM dandiset_search_tokens p WHERE p.token_id = t.token_id) AS n
            FROM (SELECT DISTINCT p.token_id FROM dandiset_search_tokens p
                  JOIN search_tokens s ON s.id = p.token_id AND s.bitmap IS NULL
                  WHERE p.dandiset_id = ANY(ids)) AS t) AS c
      WHERE st.id = c.token_id AND st.df <> c.n\073
    UPDATE search_tokens st SET bitmap = dandi_ids_bitmap(
        ARRAY(SELECT p.dandiset_id FROM dandiset_search_tokens p WHERE p.token_id = st.id), bits)
      WHERE st.bitmap IS NULL AND st.df >= min_df\073
  END IF\073
  DELETE FROM search_bitmap_dirty WHERE seq = ANY(seqs)\073
  RETURN cardinality(ids)\073
END';

-- Every existing dandiset is dirty once: the first fold builds the bitmaps.
INSERT INTO search_bitmap_dirty (dandiset_id) SELECT id FROM dandisets;
SELECT dandi_fold_search_bitmaps();
