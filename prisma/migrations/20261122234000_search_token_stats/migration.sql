-- The token df and bitmaps move out of search_tokens into their own table
-- (hand-written, read only by raw SQL).
--
-- Each fold updated search_tokens rows, and an update of a row whose bitmap
-- column also decides a partial index is never HOT: every fold wrote new
-- entries for its rows into the trigram GIN index on search_tokens.token, whose
-- pending list every search then scanned (5.8 ms and 502 buffers for one LIKE
-- on the bench database, against 0.1 ms and 11 buffers before). The vocabulary
-- table is now only ever inserted into, and its trigram index takes each new
-- entry at once (fastupdate off) rather than into a pending list that every
-- search would scan until the next vacuum.

CREATE TABLE "search_token_stats" (
    "token_id" BIGINT NOT NULL,
    "df" INTEGER NOT NULL DEFAULT 0,
    "bitmap" BIT VARYING,
    CONSTRAINT "search_token_stats_pkey" PRIMARY KEY ("token_id")
);
INSERT INTO "search_token_stats" ("token_id", "df", "bitmap")
  SELECT "id", "df", "bitmap" FROM "search_tokens" WHERE "df" > 0 OR "bitmap" IS NOT NULL;
CREATE INDEX "search_token_stats_bitmap_idx" ON "search_token_stats" ("token_id") WHERE "bitmap" IS NOT NULL;

DROP INDEX "search_tokens_bitmap_idx";
ALTER TABLE "search_tokens" DROP COLUMN "df", DROP COLUMN "bitmap";
ALTER INDEX "search_tokens_token_trgm_idx" SET (fastupdate = off);
SELECT gin_clean_pending_list('search_tokens_token_trgm_idx'::regclass);

-- As in migration 20261122233000, over search_token_stats.
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
  SELECT length(bitmap) INTO old_bits FROM search_token_stats WHERE bitmap IS NOT NULL LIMIT 1\073
  bits := greatest(coalesce(old_bits, 0),
    (greatest(coalesce((SELECT max(id) FROM dandisets), 0), (SELECT max(x) FROM unnest(ids) AS x)) / 8192 + 1) * 8192)\073

  IF old_bits IS NULL OR cardinality(ids) > 1000 THEN
    INSERT INTO search_token_stats (token_id, df)
      SELECT token_id, count(*)::integer FROM dandiset_search_tokens GROUP BY token_id
      ON CONFLICT (token_id) DO UPDATE SET df = EXCLUDED.df WHERE search_token_stats.df <> EXCLUDED.df\073
    UPDATE search_token_stats s SET df = 0
      WHERE s.df <> 0 AND NOT EXISTS (SELECT 1 FROM dandiset_search_tokens p WHERE p.token_id = s.token_id)\073
    UPDATE search_token_stats s SET bitmap = dandi_ids_bitmap(
        ARRAY(SELECT p.dandiset_id FROM dandiset_search_tokens p WHERE p.token_id = s.token_id), bits)
      WHERE s.df >= min_df OR s.bitmap IS NOT NULL\073
  ELSE
    IF bits > old_bits THEN
      UPDATE search_token_stats SET bitmap = bitmap || dandi_ids_bitmap(ARRAY[]::integer[], bits - old_bits)
        WHERE bitmap IS NOT NULL\073
    END IF\073
    keep := ~dandi_ids_bitmap(ids, bits)\073
    -- Bitmap tokens: the dirty bits cleared, then set again from the postings.
    UPDATE search_token_stats s SET
        bitmap = CASE WHEN cardinality(c.dandisets) <= 64 THEN dandi_bitmap_set(s.bitmap & keep, c.dandisets)
                      ELSE (s.bitmap & keep) | dandi_ids_bitmap(c.dandisets, bits) END
      FROM (SELECT b.token_id, ARRAY(SELECT p.dandiset_id FROM dandiset_search_tokens p
                                     WHERE p.token_id = b.token_id AND p.dandiset_id = ANY(ids)) AS dandisets
            FROM search_token_stats b
            WHERE b.bitmap IS NOT NULL) AS c
      WHERE s.token_id = c.token_id AND (cardinality(c.dandisets) > 0 OR bit_count(s.bitmap & ~keep) > 0)\073
    UPDATE search_token_stats SET df = bit_count(bitmap)::integer
      WHERE bitmap IS NOT NULL AND df <> bit_count(bitmap)\073
    -- Tokens without a bitmap that the dirty dandisets have: recounted, with a
    -- bitmap for those that reached min_df.
    INSERT INTO search_token_stats (token_id, df, bitmap)
      SELECT c.token_id, c.n, CASE WHEN c.n >= min_df THEN dandi_ids_bitmap(
               ARRAY(SELECT p.dandiset_id FROM dandiset_search_tokens p WHERE p.token_id = c.token_id), bits) END
      FROM (SELECT t.token_id, (SELECT count(*)::integer FROM dandiset_search_tokens p WHERE p.token_id = t.token_id) AS n
            FROM (SELECT DISTINCT p.token_id FROM dandiset_search_tokens p WHERE p.dandiset_id = ANY(ids)) AS t
            LEFT JOIN search_token_stats s ON s.token_id = t.token_id
            WHERE s.bitmap IS NULL) AS c
      ON CONFLICT (token_id) DO UPDATE SET df = EXCLUDED.df, bitmap = EXCLUDED.bitmap
        WHERE search_token_stats.df <> EXCLUDED.df OR EXCLUDED.bitmap IS NOT NULL\073
  END IF\073
  DELETE FROM search_bitmap_dirty WHERE seq = ANY(seqs)\073
  RETURN cardinality(ids)\073
END';
