-- Seeds one OPEN dandiset (id 1) with 1,000,000 assets for the asset benchmarks:
-- sub-000/ holds 10,000 files directly; sub-001 .. sub-099 hold 100 ses-NN/
-- folders of 100 files each. Run on an empty, migrated database:
--   psql -v ON_ERROR_STOP=1 -f seed-1m.sql <database url>
BEGIN;
INSERT INTO users (id, email, username, status) VALUES (1, 'bench@example.org', 'bench@example.org', 'APPROVED');
INSERT INTO dandisets (id, embargo_status) VALUES (1, 'OPEN');
INSERT INTO dandiset_owners (dandiset_id, user_id) VALUES (1, 1);
INSERT INTO versions (id, dandiset_id, version, name, metadata) VALUES (1, 1, 'draft', 'Bench', '{"schemaVersion":"0.7.0"}');

CREATE TEMP TABLE seed AS
SELECT n,
       CASE WHEN n < 10000 THEN format('sub-000/file-%s.nwb', lpad(n::text, 5, '0'))
            ELSE format('sub-%s/ses-%s/file-%s.nwb', lpad((n / 10000)::text, 3, '0'),
                        lpad(((n / 100) % 100)::text, 2, '0'), lpad((n % 100)::text, 2, '0')) END AS path,
       -- Version-4 shaped, as the API's URL patterns require.
       overlay(overlay(md5(n::text) PLACING '4' FROM 13) PLACING '8' FROM 17)::uuid AS blob_uuid,
       overlay(overlay(md5('asset' || n) PLACING '4' FROM 13) PLACING '8' FROM 17)::uuid AS asset_uuid,
       timestamptz '2024-01-01' + n * interval '1 millisecond' AS created,
       (1000 + n % 5000)::bigint AS size
FROM generate_series(0, 999999) AS n;

INSERT INTO asset_blobs (id, blob_id, key, etag, size)
SELECT n + 1, blob_uuid,
       'blobs/' || substr(blob_uuid::text, 1, 3) || '/' || substr(blob_uuid::text, 4, 3) || '/' || blob_uuid,
       md5('etag' || n) || '-1', size
FROM seed;
INSERT INTO assets (id, asset_id, path, blob_id, metadata, created, modified)
SELECT n + 1, asset_uuid, path, n + 1,
       jsonb_build_object('schemaVersion', '0.7.0', 'encodingFormat', 'application/x-nwb',
                          'blobDateModified', '2024-01-01T00:00:00+00:00'),
       created, created
FROM seed;
INSERT INTO version_assets (version_id, asset_id, path, created) SELECT 1, n + 1, path, created FROM seed;

-- The folder tree: files, then every folder with its aggregates.
INSERT INTO asset_paths (version_id, path, parent, asset_id, aggregate_files, aggregate_size)
SELECT 1, path, regexp_replace(path, '/[^/]*$', ''), n + 1, 1, size FROM seed;
INSERT INTO asset_paths (version_id, path, parent, asset_id, aggregate_files, aggregate_size)
SELECT 1, folder, CASE WHEN position('/' IN folder) > 0 THEN regexp_replace(folder, '/[^/]*$', '') ELSE '' END,
       NULL, count(*), sum(size)
FROM (
  SELECT split_part(path, '/', 1) AS folder, size FROM seed
  UNION ALL
  SELECT split_part(path, '/', 1) || '/' || split_part(path, '/', 2), size FROM seed WHERE n >= 10000
) f GROUP BY folder;
UPDATE versions SET asset_count = (SELECT count(*) FROM seed), size = (SELECT sum(size) FROM seed) WHERE id = 1;
SELECT setval(pg_get_serial_sequence('assets', 'id'), 1000000);
SELECT setval(pg_get_serial_sequence('asset_blobs', 'id'), 1000000);
SELECT setval(pg_get_serial_sequence('users', 'id'), 1);
SELECT setval(pg_get_serial_sequence('dandisets', 'id'), 1);
SELECT setval(pg_get_serial_sequence('versions', 'id'), 1);
COMMIT;
VACUUM ANALYZE;
