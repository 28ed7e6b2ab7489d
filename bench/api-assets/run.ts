import { createHash } from "node:crypto";
import {
  createFreshDatabase,
  databaseExists,
  databaseUrl,
  driftedMigrations,
  migrateDeploy,
  withClient,
} from "../lib/db";
import type { Endpoint } from "../lib/load";
import { runSuite } from "../lib/suite";
import { benchSchemaVersion } from "../api-dandisets/seed";
import { FLAT_FOLDER, OWNER_API_KEY, expectedAssetCount, refreshDerivedData, seedAssets } from "./seed";

const DATABASE = process.env.BENCH_ASSETS_DB ?? "dandi_bench_assets";
/** 990 subjects x 10 sessions x 100 files + 10,000 flat = 1,000,000 assets. */
const SUBJECTS = Number(process.env.BENCH_ASSET_SUBJECTS ?? 990);
/** Target from issue 3: p95 < 50 ms at 1,000,000 assets. */
const TARGET_MS = 50;

const MiB = 2 ** 20;
const GiB = 2 ** 30;
const TiB = 2 ** 40;

/** dandi-etag part count (dandischema's PartGenerator): 64 MiB parts, at most 10,000. */
function dandiEtagParts(size: number): number {
  let partSize = 64 * MiB;
  if (Math.ceil(size / partSize) >= 10_000) partSize = Math.ceil(size / 10_000);
  return Math.ceil(size / partSize);
}

/**
 * Reuses the seeded database when it holds the expected asset count (a 1M
 * seed is heavy): applies any new migration and recomputes derived tables.
 * Otherwise (or with BENCH_RESEED=1) seeds it from scratch.
 */
async function prepareDatabase(): Promise<{ url: string; seedSeconds: number | null }> {
  const expected = expectedAssetCount(SUBJECTS);
  const url = databaseUrl(DATABASE);
  if (process.env.BENCH_RESEED !== "1" && (await databaseExists(DATABASE))) {
    const count = await withClient(url, async (c) => {
      const r = await c
        .query<{ n: string }>("SELECT asset_count::text AS n FROM versions WHERE id = 1")
        .catch(() => null);
      return Number(r?.rows[0]?.n ?? -1);
    });
    if (count === expected) {
      console.log(`reusing ${DATABASE} (${count} assets); applying new migrations if any`);
      try {
        migrateDeploy(url);
        const drifted = await withClient(url, driftedMigrations);
        if (drifted.length > 0 && process.env.BENCH_KEEP_DRIFTED !== "1") {
          throw new Error(`migrations edited after they were applied here: ${drifted.join(", ")}`);
        }
        if (drifted.length > 0) console.log(`WARNING: kept despite edited migrations: ${drifted.join(", ")}`);
        await withClient(url, refreshDerivedData);
        return { url, seedSeconds: null };
      } catch (err) {
        // e.g. a migration edited after it was applied here: start over on the current schema.
        console.log(`migrating ${DATABASE} failed (${String(err).slice(0, 300)}): re-seeding`);
      }
    } else {
      console.log(`${DATABASE} holds ${count} assets, expected ${expected}: re-seeding`);
    }
  }
  const started = performance.now();
  await createFreshDatabase(DATABASE);
  await withClient(url, (c) => seedAssets(c, SUBJECTS, benchSchemaVersion()));
  const seedSeconds = (performance.now() - started) / 1000;
  console.log(`created and seeded ${DATABASE} in ${seedSeconds.toFixed(0)} s`);
  return { url, seedSeconds };
}

/** Issue 3: asset listing, folder browsing, detail, download and upload initialisation at 1,000,000 assets. */
export async function benchAssets(): Promise<void> {
  console.log(`# api-assets: ${expectedAssetCount(SUBJECTS)} assets in one dandiset, database ${DATABASE}`);
  const { url, seedSeconds } = await prepareDatabase();
  const sample = await withClient(url, async (c) => {
    const r = await c.query(
      `SELECT
      (SELECT asset_id::text FROM assets WHERE id = (SELECT max(id) / 2 FROM assets)) AS asset_id,
      (SELECT count(*) FROM asset_paths WHERE version_id = 1 AND parent = $1)::int AS flat_children,
      (SELECT count(*) FROM version_assets WHERE version_id = 1)::int AS assets,
      pg_size_pretty(pg_database_size(current_database())) AS database_size`,
      [FLAT_FOLDER],
    );
    return r.rows[0] as { asset_id: string; flat_children: number; assets: number; database_size: string };
  });
  console.log("data:", sample);
  if (process.env.BENCH_SEED_ONLY === "1") return;

  const base = "/api/dandisets/000001/versions/draft";
  const aid = sample.asset_id;
  const auth = { authorization: `token ${OWNER_API_KEY}`, "content-type": "application/json" };
  const initialize = (label: string, size: number): Endpoint => ({
    name: `upload initialize ${label}`,
    path: "/api/uploads/initialize/",
    method: "POST",
    headers: auth,
    // An etag no blob has, so that every request creates an upload (no 409 dedupe).
    body: JSON.stringify({
      contentSize: size,
      digest: {
        algorithm: "dandi:dandi-etag",
        value: `${createHash("md5").update(`bench-${label}-${Date.now()}`).digest("hex")}-${dandiEtagParts(size)}`,
      },
      dandiset: "000001",
    }),
    targetP95Ms: TARGET_MS,
  });
  // The noise floor: a route that does no database work, measured on the same machine at the same time.
  const baseline: Endpoint = { name: "baseline GET /api/info/", path: "/api/info/", targetP95Ms: TARGET_MS };
  const endpoints: Endpoint[] = [
    baseline,
    { name: "asset list page 1", path: `${base}/assets/?page_size=100`, targetP95Ms: TARGET_MS },
    { name: "asset list page 5,000", path: `${base}/assets/?page=5000&page_size=100`, targetP95Ms: TARGET_MS },
    { name: "asset list path=sub-0001/", path: `${base}/assets/?path=sub-0001/`, targetP95Ms: TARGET_MS },
    {
      name: `paths ?path_prefix=${FLAT_FOLDER} (10,000 children)`,
      path: `${base}/assets/paths/?path_prefix=${FLAT_FOLDER}`,
      targetP95Ms: TARGET_MS,
    },
    { name: "asset detail (nested)", path: `${base}/assets/${aid}/`, targetP95Ms: TARGET_MS },
    { name: "asset detail /api/assets/{aid}/", path: `/api/assets/${aid}/`, targetP95Ms: TARGET_MS },
    { name: "download redirect", path: `/api/assets/${aid}/download/`, expectStatus: 302, targetP95Ms: TARGET_MS },
    initialize("1 MiB", MiB),
    initialize("1 GiB", GiB),
    initialize("1 TiB", TiB),
  ];
  await runSuite("api-assets", url, endpoints, { sample, seedSeconds });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await benchAssets();
}
