import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { buildApi, startApi } from "../lib/api-process";
import { createFreshDatabase, databaseExists, databaseUrl, migrateDeploy, REPO_ROOT, withClient } from "../lib/db";
import { seedDandisets } from "../api-dandisets/seed";
import { createHttpClient } from "./http";
import { seedAssetsThroughApi, seedClientUsers, type TLoadFixtures } from "./fixtures";
import { runMix, type TOpStats } from "./mix";

const DATABASE = process.env.BENCH_LOAD_DB ?? "dandi_bench_load";
const DANDISETS = Number(process.env.BENCH_LOAD_DANDISETS ?? 500);
const USERS = Number(process.env.BENCH_LOAD_USERS ?? 150);
const CLIENTS = Number(process.env.BENCH_LOAD_CLIENTS ?? 64);
const DURATION = Number(process.env.BENCH_LOAD_DURATION ?? 60);
/** Dandisets that get assets through the upload protocol, and assets in each. */
const ASSET_DANDISETS = Number(process.env.BENCH_LOAD_ASSET_DANDISETS ?? 20);
const ASSETS_PER_DANDISET = Number(process.env.BENCH_LOAD_ASSETS_PER_DANDISET ?? 50);

function formatTable(stats: TOpStats[], seconds: number): string {
  const rows = stats.map((s) =>
    [
      s.name,
      s.count,
      (s.count / seconds).toFixed(1),
      s.errors,
      s.p50.toFixed(1),
      s.p95.toFixed(1),
      s.p99.toFixed(1),
      s.max.toFixed(1),
    ].join(" | "),
  );
  return [
    "| operation | requests | req/s | errors | p50 ms | p95 ms | p99 ms | max ms |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...rows.map((r) => `| ${r} |`),
  ].join("\n");
}

/**
 * Issue 16: 64 concurrent clients for 60 s of mixed reads and writes against the
 * built API on hundreds of dandisets and thousands of assets; prints per-operation
 * counts, errors, latency percentiles and the API's RSS.
 */
async function main(): Promise<void> {
  console.log(`# load: ${CLIENTS} clients x ${DURATION} s, ${DANDISETS} dandisets, database ${DATABASE}`);
  const reuse = process.env.BENCH_REUSE_DB === "1" && (await databaseExists(DATABASE));
  const url = reuse ? databaseUrl(DATABASE) : await createFreshDatabase(DATABASE);
  if (reuse) migrateDeploy(url);
  else await withClient(url, (c) => seedDandisets(c, { dandisets: DANDISETS, users: USERS }));
  const users = await withClient(url, (c) => seedClientUsers(c, CLIENTS));

  buildApi();
  const jobsPrefix = `dandi-bench-load-${process.pid}`;
  const api = await startApi(url, { JOBS_PREFIX: jobsPrefix });
  const http = createHttpClient(api.baseUrl, CLIENTS);
  try {
    const started = performance.now();
    const assets = reuse
      ? await withClient(url, (c) =>
          c
            .query<{ asset_id: string }>("SELECT asset_id::text FROM assets ORDER BY id LIMIT 5000")
            .then((r) => r.rows.map((row) => row.asset_id)),
        )
      : await seedAssetsThroughApi(http, users, ASSET_DANDISETS, ASSETS_PER_DANDISET);
    const assetDandisets = await withClient(url, (c) =>
      c
        .query<{ id: string }>(
          `SELECT DISTINCT lpad(v.dandiset_id::text, 6, '0') AS id FROM version_assets va
           JOIN versions v ON v.id = va.version_id WHERE v.version = 'draft'`,
        )
        .then((r) => r.rows.map((row) => row.id)),
    );
    const counts = await withClient(url, (c) =>
      c
        .query(
          `SELECT (SELECT count(*) FROM dandisets)::int AS dandisets, (SELECT count(*) FROM assets)::int AS assets,
                  (SELECT count(*) FROM users)::int AS users, (SELECT count(*) FROM dandiset_stars)::int AS stars`,
        )
        .then((r) => r.rows[0] as Record<string, number>),
    );
    console.log(`data ready in ${((performance.now() - started) / 1000).toFixed(1)} s:`, counts);

    const fixtures: TLoadFixtures = { users, assets, assetDandisets, dandisets: DANDISETS };
    api.resetPeakRss();
    const rssBefore = api.rss();
    const result = await runMix(http, fixtures, CLIENTS, DURATION);
    const peak = api.peakRss();
    const mib = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MiB`;
    const table = formatTable(result.stats, result.seconds);
    console.log(`\n${table}\n`);
    console.log(
      `total: ${result.total.count} requests in ${result.seconds.toFixed(1)} s (${(result.total.count / result.seconds).toFixed(0)} req/s), ` +
        `${result.total.errors} errors, p50 ${result.total.p50.toFixed(1)} ms, p95 ${result.total.p95.toFixed(1)} ms, ` +
        `p99 ${result.total.p99.toFixed(1)} ms; API RSS ${mib(rssBefore)} before, peak ${mib(peak)}, ${mib(api.rss())} after`,
    );
    for (const [op, samples] of Object.entries(result.errorSamples)) {
      console.log(`errors of ${op}: ${samples.join("; ")}`);
    }
    const outDir = path.join(REPO_ROOT, "bench", "results");
    fs.mkdirSync(outDir, { recursive: true });
    const file = path.join(outDir, `load-${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
    fs.writeFileSync(
      file,
      JSON.stringify(
        { clients: CLIENTS, duration: DURATION, counts, ...result, rss: { before: rssBefore, peak } },
        null,
        2,
      ),
    );
    console.log(`wrote ${path.relative(REPO_ROOT, file)}`);
  } finally {
    http.close();
    await api.stop();
    dropRedisKeys(`${jobsPrefix}:*`);
  }
}

/** Deletes the jobs the run queued (no worker serves its prefix). */
function dropRedisKeys(pattern: string): void {
  try {
    const keys = execFileSync("redis-cli", ["--scan", "--pattern", pattern], { encoding: "utf8" })
      .split("\n")
      .filter(Boolean);
    for (let i = 0; i < keys.length; i += 500) execFileSync("redis-cli", ["del", ...keys.slice(i, i + 500)]);
  } catch {
    console.warn(`could not delete the Redis keys ${pattern} (redis-cli missing?)`);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
