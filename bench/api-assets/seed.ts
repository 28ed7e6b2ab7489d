import fs from "node:fs";
import path from "node:path";
import type pg from "pg";
import { REPO_ROOT, refreshDandisetColumns, refreshSearchTokens, runSteps, withIndexesDeferred } from "../lib/db";

/** The API key of the seeded owner (user 1): a benchmark-only credential in a throw-away database. */
export const OWNER_API_KEY = "b3e7c0ffee0000000000000000000000000000b3";

/** The folder with 10,000 direct children. */
export const FLAT_FOLDER = "sub-0000";
export const FLAT_FOLDER_FILES = 10_000;
/** Other subjects: SUBJECTS x SESSIONS x FILES_PER_SESSION files, sub-XXXX/ses-YY/... */
const SESSIONS = 10;
const FILES_PER_SESSION = 100;

/** The asset count the seed produces for `subjects` subjects besides the flat folder. */
export function expectedAssetCount(subjects: number): number {
  return FLAT_FOLDER_FILES + subjects * SESSIONS * FILES_PER_SESSION;
}

/** ASSET_CHUNK_SIZE of the asset list's position index (read from core, so both agree). */
function assetChunkSize(): number {
  const file = path.join(REPO_ROOT, "packages", "core", "src", "assets", "asset-chunk-size.ts");
  try {
    const match = /ASSET_CHUNK_SIZE\s*=\s*(\d+)/.exec(fs.readFileSync(file, "utf8"));
    return match ? Number(match[1]) : 1000;
  } catch {
    return 1000;
  }
}

/**
 * Derived data that later migrations may add: recomputed after every seed and
 * after migrations on a reused database (cheap compared with the seed).
 */
export async function refreshDerivedData(client: pg.Client): Promise<void> {
  await refreshSearchTokens(client, "SELECT 1 AS id");
  await refreshDandisetColumns(client, "SELECT 1 AS id");
  const { rows } = await client.query<{ chunks: string | null }>(
    "SELECT to_regclass('version_asset_chunks')::text AS chunks",
  );
  if (rows[0]?.chunks) {
    const size = assetChunkSize();
    // The default-ordered list's position index: one row per ASSET_CHUNK_SIZE assets in (created, asset_id) order.
    await runSteps(client, [
      ["version_asset_chunks: clear", "DELETE FROM version_asset_chunks WHERE version_id = 1"],
      [
        `version_asset_chunks (every ${size})`,
        `INSERT INTO version_asset_chunks (version_id, first_created, first_asset_id, count)
         SELECT 1, created, asset_id, least(${size}, total - rn)
         FROM (SELECT created, asset_id, row_number() OVER (ORDER BY created, asset_id) - 1 AS rn, count(*) OVER () AS total
               FROM version_assets WHERE version_id = 1) s
         WHERE rn % ${size} = 0`,
      ],
    ]);
  }
}

/**
 * Seeds one OPEN dandiset (000001, draft version) owned by user 1 with
 * FLAT_FOLDER_FILES files directly in FLAT_FOLDER plus `subjects` x 10 sessions
 * x 100 files, with blobs, version links, the folder tree and its aggregates,
 * all set-based. Secondary indexes are built after the load and foreign-key
 * triggers are skipped (session_replication_role = replica): the rows are
 * consistent by construction.
 */
export async function seedAssets(client: pg.Client, subjects: number, schemaVersion: string): Promise<void> {
  const total = expectedAssetCount(subjects);
  await runSteps(client, [
    ["skip FK triggers during the load", "SET session_replication_role = replica"],
    [
      "owner user, API key, dandiset, draft",
      `WITH u AS (
         INSERT INTO users (id, email, username, first_name, last_name, status, github_login)
         VALUES (1, 'owner@example.org', 'benchowner', 'Bench', 'Owner', 'APPROVED', 'benchowner') RETURNING id),
       t AS (INSERT INTO api_tokens (user_id, key_hash, key_prefix)
             SELECT id, encode(sha256(convert_to($1::text, 'UTF8')), 'hex'), left($1::text, 4) FROM u),
       d AS (INSERT INTO dandisets (id, embargo_status, created, modified)
             VALUES (1, 'OPEN', timestamptz '2023-12-01', now()) RETURNING id),
       o AS (INSERT INTO dandiset_owners (dandiset_id, user_id) SELECT d.id, u.id FROM d, u)
       INSERT INTO versions (id, dandiset_id, version, name, metadata, status, created, modified)
       SELECT 1, d.id, 'draft', 'A million-file extracellular electrophysiology survey',
         jsonb_build_object('schemaKey', 'Dandiset', 'schemaVersion', $2::text, 'identifier', 'DANDI:000001',
           'name', 'A million-file extracellular electrophysiology survey',
           'description', 'Neuropixels recordings across ' || ${subjects} || ' mice, ten sessions each.',
           'contributor', '[{"name": "Owner, Bench", "email": "owner@example.org", "roleName": ["dcite:ContactPerson"], "schemaKey": "Person", "includeInCitation": true}]'::jsonb,
           'license', '["spdx:CC-BY-4.0"]'::jsonb,
           'access', '[{"schemaKey": "AccessRequirements", "status": "dandi:OpenAccess"}]'::jsonb),
         'Valid', timestamptz '2023-12-01', now()
       FROM d`,
      [OWNER_API_KEY, schemaVersion],
    ],
    ["sequences", "SELECT setval('users_id_seq', 1), setval('dandisets_id_seq', 1), setval('versions_id_seq', 1)"],
    [
      `layout of ${total} files`,
      // Sizes are log-uniform between 1 MB and 20 GB, as NWB files are; created is
      // strictly increasing, as uploads are.
      `CREATE TEMP TABLE seed AS
       SELECT n, p.path, p.folder, p.subject, s.size,
         gen_random_uuid() AS blob_uuid, gen_random_uuid() AS asset_uuid,
         timestamptz '2024-01-01' + n * interval '250 milliseconds' AS created
       FROM generate_series(0, ${total - 1}) n,
         LATERAL (SELECT floor(exp(ln(1e6) + random() * ln(2e4)))::bigint AS size) s,
         LATERAL (SELECT
           CASE WHEN n < ${FLAT_FOLDER_FILES}
             THEN '${FLAT_FOLDER}/${FLAT_FOLDER}_ses-' || lpad((n + 1)::text, 5, '0') || '_ecephys.nwb'
             ELSE 'sub-' || lpad(j.subject::text, 4, '0') || '/ses-' || lpad(j.session::text, 2, '0') || '/sub-'
               || lpad(j.subject::text, 4, '0') || '_ses-' || lpad(j.session::text, 2, '0') || '_run-'
               || lpad(j.run::text, 3, '0') || '_ecephys.nwb' END AS path,
           CASE WHEN n < ${FLAT_FOLDER_FILES} THEN '${FLAT_FOLDER}'
             ELSE 'sub-' || lpad(j.subject::text, 4, '0') || '/ses-' || lpad(j.session::text, 2, '0') END AS folder,
           CASE WHEN n < ${FLAT_FOLDER_FILES} THEN 0 ELSE j.subject END AS subject
           FROM (SELECT (n - ${FLAT_FOLDER_FILES}) / ${SESSIONS * FILES_PER_SESSION} + 1 AS subject,
                        (n - ${FLAT_FOLDER_FILES}) / ${FILES_PER_SESSION} % ${SESSIONS} + 1 AS session,
                        (n - ${FLAT_FOLDER_FILES}) % ${FILES_PER_SESSION} + 1 AS run) j) p`,
    ],
  ]);
  await withIndexesDeferred(client, ["asset_blobs", "assets", "version_assets", "asset_paths"], () =>
    runSteps(client, [
      [
        "asset_blobs",
        // dandi-etag part count: 64 MiB parts below 10,000 parts.
        `INSERT INTO asset_blobs (id, blob_id, key, etag, sha256, size, created, modified)
         SELECT n + 1, blob_uuid,
           'blobs/' || substr(blob_uuid::text, 1, 3) || '/' || substr(blob_uuid::text, 4, 3) || '/' || blob_uuid,
           md5(blob_uuid::text) || '-' || ceil(size / 67108864.0)::int,
           md5(asset_uuid::text) || md5(blob_uuid::text), size, created, created
         FROM seed`,
      ],
      [
        "assets (with realistic NWB metadata)",
        `INSERT INTO assets (id, asset_id, path, blob_id, metadata, status, created, modified)
         SELECT n + 1, asset_uuid, path, n + 1,
           jsonb_build_object(
             'schemaKey', 'Asset', 'schemaVersion', $1::text, 'encodingFormat', 'application/x-nwb',
             'blobDateModified', to_char(created AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"'),
             'dateModified', to_char(created AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"'),
             'wasAttributedTo', jsonb_build_array(jsonb_build_object(
               'schemaKey', 'Participant', 'identifier', lpad(subject::text, 4, '0'),
               'species', '{"schemaKey": "SpeciesType", "identifier": "http://purl.obolibrary.org/obo/NCBITaxon_10090", "name": "Mus musculus - House mouse"}'::jsonb,
               'sex', '{"schemaKey": "SexType", "identifier": "http://purl.obolibrary.org/obo/PATO_0000384", "name": "Male"}'::jsonb,
               'age', '{"schemaKey": "PropertyValue", "value": "P90D", "unitText": "ISO-8601 duration", "valueReference": {"schemaKey": "PropertyValue", "value": "dandi:BirthReference"}}'::jsonb,
               'genotype', 'wild type')),
             'wasGeneratedBy', jsonb_build_array(
               jsonb_build_object('schemaKey', 'Session', 'identifier', split_part(folder, '/', 2),
                 'name', 'Acquisition session', 'description', 'Head-fixed recording with a Neuropixels 1.0 probe.'),
               '{"schemaKey": "Activity", "name": "Metadata generation", "wasAssociatedWith": [{"schemaKey": "Software", "name": "DANDI Command Line Interface", "version": "0.76.7", "identifier": "RRID:SCR_019009"}]}'::jsonb),
             'approach', '[{"schemaKey": "ApproachType", "name": "electrophysiological approach"}]'::jsonb,
             'measurementTechnique', '[{"schemaKey": "MeasurementTechniqueType", "name": "multi electrode extracellular electrophysiology recording technique"}, {"schemaKey": "MeasurementTechniqueType", "name": "spike sorting technique"}]'::jsonb,
             'variableMeasured', '[{"schemaKey": "PropertyValue", "value": "ElectricalSeries"}, {"schemaKey": "PropertyValue", "value": "Units"}]'::jsonb),
           'Valid', created, created
         FROM seed`,
        [schemaVersion],
      ],
      [
        "version_assets",
        `INSERT INTO version_assets (version_id, asset_id, path, created) SELECT 1, n + 1, path, created FROM seed`,
      ],
      [
        "asset_paths: files",
        `INSERT INTO asset_paths (version_id, path, parent, asset_id, aggregate_files, aggregate_size)
         SELECT 1, path, folder, n + 1, 1, size FROM seed`,
      ],
      [
        "asset_paths: folders with aggregates",
        `INSERT INTO asset_paths (version_id, path, parent, asset_id, aggregate_files, aggregate_size)
         SELECT 1, folder, CASE WHEN position('/' IN folder) > 0 THEN split_part(folder, '/', 1) ELSE '' END,
           NULL, count(*), sum(size)
         FROM (SELECT folder, size FROM seed WHERE position('/' IN folder) > 0
               UNION ALL SELECT split_part(folder, '/', 1), size FROM seed) f
         GROUP BY folder`,
      ],
      [
        "versions.asset_count / size",
        `UPDATE versions SET asset_count = s.c, size = s.b FROM (SELECT count(*) AS c, sum(size) AS b FROM seed) s WHERE id = 1`,
      ],
      [
        "sequences",
        `SELECT setval('assets_id_seq', ${total}), setval('asset_blobs_id_seq', ${total}),
                setval('asset_paths_id_seq', (SELECT max(id) FROM asset_paths))`,
      ],
    ]),
  );
  await runSteps(client, [["FK triggers back on", "SET session_replication_role = DEFAULT"]]);
  await refreshDerivedData(client);
  await runSteps(client, [["vacuum analyze", "VACUUM ANALYZE"]]);
}
