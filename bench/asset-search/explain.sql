-- The statements GET /api/dandisets/search/ and the autocompletes run (as built by
-- packages/core/src/asset-search and listDandisets), on the seed.sql data.
-- Usage: psql -f explain.sql <database seeded by seed.sql>
\set ON_ERROR_STOP on
\pset pager off
\echo '== 1. count, species filter (anonymous)'
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) SELECT count(*) FROM dandisets d
WHERE d.embargo_status = 'OPEN' AND EXISTS (SELECT 1 FROM asset_search s WHERE s.dandiset_id = d.id AND s.species = ANY ('{"Species 3"}'::text[]));
\echo '== 2. page of 8, file type + species + size range on the same asset'
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) SELECT d.id FROM dandisets d
WHERE d.embargo_status = 'OPEN' AND EXISTS (SELECT 1 FROM asset_search s WHERE s.dandiset_id = d.id
  AND (s.encoding_format LIKE 'image/%') AND (s.asset_size <= 100000 AND s.asset_size >= 1000) AND s.species = ANY ('{"Species 3"}'::text[]))
ORDER BY d.created, d.id LIMIT 8 OFFSET 0;
\echo '== 3. count, same three filters'
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) SELECT count(*) FROM dandisets d
WHERE d.embargo_status = 'OPEN' AND EXISTS (SELECT 1 FROM asset_search s WHERE s.dandiset_id = d.id
  AND (s.encoding_format LIKE 'image/%') AND (s.asset_size <= 100000 AND s.asset_size >= 1000) AND s.species = ANY ('{"Species 3"}'::text[]));
\echo '== 4. count, no filter'
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) SELECT count(*) FROM dandisets d
WHERE d.embargo_status = 'OPEN' AND EXISTS (SELECT 1 FROM asset_search s WHERE s.dandiset_id = d.id);
\echo '== 5. count, genotype + measurement technique'
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) SELECT count(*) FROM dandisets d
WHERE d.embargo_status = 'OPEN' AND EXISTS (SELECT 1 FROM asset_search s WHERE s.dandiset_id = d.id
  AND s.genotype = ANY ('{"Genotype 17"}'::text[]) AND s.measurement_techniques && '{"behavioral technique"}'::text[]);
\echo '== 6. asset_counts for a page of 8 that holds the 50,000-asset dandiset'
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) SELECT x.id,
  (SELECT count(*) FROM asset_search s WHERE s.dandiset_id = x.id AND (s.encoding_format LIKE 'application/x-nwb%')) AS "file_type",
  (SELECT count(*) FROM asset_search s WHERE s.dandiset_id = x.id AND (s.asset_size <= 100000 AND s.asset_size >= 1000)) AS "file_size",
  (SELECT count(*) FROM asset_search s WHERE s.dandiset_id = x.id AND s.species = ANY ('{"Species 3","Species 4"}'::text[])) AS "species"
FROM unnest('{1,2,3,4,5,6,7,8}'::int[]) AS x(id);
\echo '== 7. species autocomplete, count and first page (anonymous, contains "es 1")'
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF)
WITH RECURSIVE f(value) AS (
  (SELECT species FROM asset_search WHERE species > '' ORDER BY species LIMIT 1)
  UNION ALL
  SELECT (SELECT s.species FROM asset_search s WHERE s.species > f.value ORDER BY s.species LIMIT 1) FROM f WHERE f.value IS NOT NULL)
SELECT f.value FROM f WHERE f.value IS NOT NULL AND lower(f.value) LIKE '%es 1%'
  AND EXISTS (SELECT 1 FROM asset_search s JOIN dandisets d ON d.id = s.dandiset_id
              WHERE s.species = f.value AND (d.embargo_status = 'OPEN' OR d.id IN (SELECT dandiset_id FROM dandiset_owners WHERE user_id = -1)))
ORDER BY f.value LIMIT 100 OFFSET 0;
\echo '== 8. genotype autocomplete (200 distinct values, contains "type 1")'
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF)
WITH RECURSIVE f(value) AS (
  (SELECT genotype FROM asset_search WHERE genotype > '' ORDER BY genotype LIMIT 1)
  UNION ALL
  SELECT (SELECT s.genotype FROM asset_search s WHERE s.genotype > f.value ORDER BY s.genotype LIMIT 1) FROM f WHERE f.value IS NOT NULL)
SELECT f.value FROM f WHERE f.value IS NOT NULL AND lower(f.value) LIKE '%type 1%'
  AND EXISTS (SELECT 1 FROM asset_search s JOIN dandisets d ON d.id = s.dandiset_id
              WHERE s.genotype = f.value AND (d.embargo_status = 'OPEN' OR d.id IN (SELECT dandiset_id FROM dandiset_owners WHERE user_id = -1)))
ORDER BY f.value LIMIT 10 OFFSET 0;
