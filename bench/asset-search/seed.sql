-- Generated data for the asset search plans: 2,000 dandisets (every tenth
-- embargoed), 200,000 blob assets (dandiset 1 alone holds 50,000), 20 species,
-- 200 genotypes, four file types, sizes from 1 byte to 10 GB. The version_assets
-- insert goes through the asset_search triggers, so its time is their cost.
-- Usage: psql -v n_assets=200000 -f seed.sql <database with the migrations applied>
\set ON_ERROR_STOP on
\if :{?n_assets}
\else
  \set n_assets 200000
\endif
\timing on
INSERT INTO users (email, username, first_name, last_name, status)
VALUES ('bench-owner@example.org', 'bench-owner@example.org', 'Bench', 'Owner', 'APPROVED')
ON CONFLICT DO NOTHING;
INSERT INTO dandisets (id, embargo_status)
SELECT i, (CASE WHEN i % 10 = 0 THEN 'EMBARGOED' ELSE 'OPEN' END)::"EmbargoStatus" FROM generate_series(1, 2000) i;
INSERT INTO dandiset_owners (dandiset_id, user_id)
SELECT i, (SELECT id FROM users WHERE email = 'bench-owner@example.org') FROM generate_series(1, 2000) i;
INSERT INTO versions (dandiset_id, version, name, metadata)
SELECT i, 'draft', 'Bench dandiset ' || i, '{"schemaVersion": "0.7.0"}' FROM generate_series(1, 2000) i;
INSERT INTO asset_blobs (blob_id, key, etag, size)
SELECT gen_random_uuid(), 'bench/' || i, md5(i::text) || '-1', (exp(random() * ln(1e10)))::bigint + 1
FROM generate_series(1, :n_assets) i;
INSERT INTO assets (asset_id, path, blob_id, metadata)
SELECT gen_random_uuid(), 'sub-' || (i % 500) || '/file-' || i || '.nwb', b.id,
       jsonb_build_object(
         'encodingFormat', (ARRAY['application/x-nwb','application/x-nwb','application/x-nwb','application/x-nwb',
                                  'application/x-nwb','application/x-nwb','application/x-nwb','image/png','image/png',
                                  'video/mp4','text/plain'])[1 + i % 11],
         'wasAttributedTo', jsonb_build_array(jsonb_build_object(
            'schemaKey', 'Participant',
            'species', jsonb_build_object('name', 'Species ' || (i % 20)),
            'genotype', 'Genotype ' || (i % 200))),
         'measurementTechnique', jsonb_build_array(jsonb_build_object('name',
            (ARRAY['spike sorting technique','behavioral technique','surgical technique'])[1 + i % 3])),
         'contentSize', 1, 'path', 'x')
FROM generate_series(1, :n_assets) i JOIN asset_blobs b ON b.key = 'bench/' || i;
-- A quarter of the assets in dandiset 1, the rest spread over the others.
INSERT INTO version_assets (version_id, asset_id, path, created)
SELECT v.id, a.id, a.path, a.created
FROM assets a
JOIN versions v ON v.dandiset_id = CASE WHEN a.id % 4 = 0 THEN 1 ELSE 2 + (a.id % 1999) END AND v.version = 'draft';
UPDATE dandisets d SET latest_asset_count = (SELECT count(*) FROM version_assets va JOIN versions v ON v.id = va.version_id WHERE v.dandiset_id = d.id);
VACUUM ANALYZE;
SELECT count(*) AS asset_search_rows, pg_size_pretty(pg_total_relation_size('asset_search')) AS table_and_indexes FROM asset_search;
