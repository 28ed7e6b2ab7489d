/**
 * Moving and deleting a folder of 10,000 files (issue 12): one call of the core functions
 * behind POST .../assets/paths/move/ and .../paths/delete/, on a fresh database whose draft
 * holds BENCH_FOLDER_FILES files (default 10,000) in `sub-big/ses-0..9/` plus BENCH_OTHER_FILES
 * (default 5,000) elsewhere. Prints the time and the number of SQL statements of each, and
 * checks afterwards that the folder tree, the position index and the counters agree with the
 * version's assets. A benchmark: it prints figures and never fails on a slow result.
 *
 *   pnpm --filter @dandi/bench run bench:asset-paths
 */
import { performance } from "node:perf_hooks";
import { createPrisma, type PrismaClient } from "@dandi/db";
import { deleteAssetPaths, moveAssetPaths, rebuildAssetChunks } from "@dandi/core";
import { buildUser, createTestDatabase } from "@dandi/testing";
import { treeProblems } from "../../apps/api/src/routes/asset-paths/asset-paths.fixtures";

const FOLDER_FILES = Number(process.env.BENCH_FOLDER_FILES ?? 10_000);
const OTHER_FILES = Number(process.env.BENCH_OTHER_FILES ?? 5_000);

const db = await createTestDatabase();
const base = createPrisma({ databaseUrl: db.url, poolSize: 4 });
/** The client the measured calls use: counts every SQL statement it sends (raw and model queries). */
let statements = 0;
const counted = base.$extends({
  query: {
    async $allOperations({ operation, args, query }) {
      statements++;
      if (!process.env.BENCH_TRACE) return query(args);
      const start = performance.now();
      const result = await query(args);
      const sql = JSON.stringify(args, (_k, v) => (typeof v === "bigint" ? String(v) : v))
        .replace(/\\n|\s+/g, " ")
        .slice(0, 90);
      console.log(`  ${(performance.now() - start).toFixed(0).padStart(6)} ms  ${operation} ${sql}`);
      return result;
    },
  },
}) as unknown as PrismaClient;

try {
  const t0 = performance.now();
  const { user } = await buildUser(base);
  const dandiset = await base.dandiset.create({
    data: {
      owners: { create: { userId: user.id } },
      versions: { create: { version: "draft", name: "Bench", metadata: { schemaVersion: "0.7.0" } } },
    },
    include: { versions: true },
  });
  const versionId = dandiset.versions[0]!.id;
  // Set-based seed: blobs, assets, links, the folder tree with exact aggregates, counters, chunks.
  await base.$executeRawUnsafe(`
    CREATE TEMP TABLE seed AS
    SELECT i, CASE WHEN i <= ${FOLDER_FILES}
                   THEN 'sub-big/ses-' || (i % 10) || '/file-' || lpad(i::text, 6, '0') || '.nwb'
                   ELSE 'sub-' || lpad((i % 50)::text, 2, '0') || '/file-' || lpad(i::text, 6, '0') || '.nwb' END AS path,
           (1000 + i)::bigint AS size, gen_random_uuid() AS blob_uuid
    FROM generate_series(1, ${FOLDER_FILES + OTHER_FILES}) i`);
  await base.$executeRawUnsafe(`
    INSERT INTO asset_blobs (blob_id, key, etag, size)
    SELECT blob_uuid, 'blobs/' || blob_uuid, md5(blob_uuid::text) || '-1', size FROM seed`);
  await base.$executeRawUnsafe(`
    INSERT INTO assets (asset_id, path, blob_id, metadata, status)
    SELECT gen_random_uuid(), s.path, b.id, '{"schemaVersion": "0.7.0", "encodingFormat": "application/x-nwb"}', 'Valid'
    FROM seed s JOIN asset_blobs b ON b.blob_id = s.blob_uuid`);
  await base.$executeRawUnsafe(`
    INSERT INTO version_assets (version_id, asset_id, path, created)
    SELECT ${versionId}, a.id, a.path, a.created FROM assets a JOIN seed s ON s.path = a.path`);
  await base.$executeRawUnsafe(`
    INSERT INTO asset_paths (version_id, path, parent, asset_id, aggregate_files, aggregate_size)
    SELECT ${versionId}, va.path, regexp_replace(va.path, '/?[^/]*$', ''), va.asset_id, 1, s.size
    FROM version_assets va JOIN seed s ON s.path = va.path WHERE va.version_id = ${versionId}
    UNION ALL
    SELECT ${versionId}, array_to_string(parts[1:k], '/'), array_to_string(parts[1:k - 1], '/'), NULL, count(*), sum(size)
    FROM (SELECT string_to_array(path, '/') AS parts, size FROM seed) f, generate_series(1, array_length(parts, 1) - 1) k
    GROUP BY 2, 3`);
  await base.$executeRawUnsafe(`
    UPDATE versions SET asset_count = (SELECT count(*) FROM seed), size = (SELECT sum(size) FROM seed)
    WHERE id = ${versionId}`);
  await rebuildAssetChunks(base, versionId);
  await base.$executeRawUnsafe("ANALYZE");
  const seeded = await treeProblems(base, versionId);
  console.log(
    `seeded ${FOLDER_FILES + OTHER_FILES} assets (${FOLDER_FILES} in sub-big/) in ${((performance.now() - t0) / 1000).toFixed(1)} s;` +
      ` tree consistent: ${seeded.length === 0 ? "yes" : seeded.join("; ")}`,
  );

  const version = { id: versionId, dandisetId: dandiset.id };
  const measure = async (label: string, run: () => Promise<{ count: number }>) => {
    statements = 0;
    const start = performance.now();
    const { count } = await run();
    const ms = performance.now() - start;
    const problems = await treeProblems(base, versionId);
    console.log(
      `${label.padEnd(44)} ${String(count).padStart(6)} files  ${ms.toFixed(0).padStart(6)} ms  ` +
        `${String(statements).padStart(3)} statements (1 transaction)  tree consistent: ${
          problems.length === 0 ? "yes" : problems.slice(0, 3).join("; ")
        }`,
    );
  };
  await measure("move sub-big -> archive/2024/sub-big", () =>
    moveAssetPaths(counted, { user, version, source: "sub-big", destination: "archive/2024/sub-big" }),
  );
  await measure("move archive/2024/sub-big/ses-3 -> sub-07/ses-3", () =>
    moveAssetPaths(counted, { user, version, source: "archive/2024/sub-big/ses-3", destination: "sub-07/ses-3" }),
  );
  await measure("rename one file", () =>
    moveAssetPaths(counted, {
      user,
      version,
      source: "sub-01/file-010001.nwb",
      destination: "sub-01/renamed.nwb",
    }),
  );
  await measure("delete archive/", () => deleteAssetPaths(counted, { user, version, path: "archive" }));
  const audit = await base.auditRecord.count({ where: { dandisetId: dandiset.id } });
  console.log(`audit records written: ${audit} (one per moved or deleted file)`);
} finally {
  await base.$disconnect();
  await db.drop();
}
