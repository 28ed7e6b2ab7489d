/**
 * Publish benchmark: time to publish a draft of N (default 100,000) assets with
 * the publish job's core function, then to write its manifests (streamed into
 * local storage). Run: `tsx bench/worker/publish-bench.ts [assets]`.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  createStorage,
  loadConfig,
  publishDandiset,
  writeManifestFiles,
} from "../../apps/worker/node_modules/@dandi/core/src/index";
import { createPrisma } from "../../apps/worker/node_modules/@dandi/db/src/index";
import { createTestDatabase } from "../../apps/worker/node_modules/@dandi/testing/src/index";
import { seedDandisetWithAssets } from "../../apps/worker/test/seed-dandiset";

const assets = Number(process.argv[2] ?? 100_000);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "publish-bench-"));
const db = await createTestDatabase();
const config = loadConfig({
  DATABASE_URL: db.url,
  SESSION_SECRET: "bench-secret-that-is-long-enough-0123456789",
  STORAGE_BACKEND: "local",
  LOCAL_STORAGE_DIR: dir,
});
const prisma = createPrisma({ databaseUrl: db.url, poolSize: 4 });
try {
  const tSeed = performance.now();
  const { dandisetId, userId } = await seedDandisetWithAssets(prisma, assets, "Publishing");
  const seedSeconds = (performance.now() - tSeed) / 1000;
  const storage = createStorage(config);

  const t0 = performance.now();
  const result = await publishDandiset({ db: prisma, storage, config, dandisetId, userId });
  const publishSeconds = (performance.now() - t0) / 1000;
  if (result.status !== "published") throw new Error(JSON.stringify(result));

  const t1 = performance.now();
  const written = await writeManifestFiles({ db: prisma, storage, config, versionId: result.versionId });
  const manifestSeconds = (performance.now() - t1) / 1000;
  const manifestDir = path.join(dir, "objects", "dandisets", String(dandisetId).padStart(6, "0"), result.version);
  const sizes = fs
    .readdirSync(manifestDir)
    .map((f) => `${f} ${(fs.statSync(path.join(manifestDir, f)).size / 1024 ** 2).toFixed(1)} MiB`);

  console.log(
    `assets: ${assets}; load average: ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores (seeding took ${seedSeconds.toFixed(1)} s)`,
  );
  console.log(
    `publish (new version, ${assets} assets linked and frozen, folder tree, summary): ${publishSeconds.toFixed(1)} s (target < 60 s)`,
  );
  console.log(`manifests (${written?.assets} assets): ${manifestSeconds.toFixed(1)} s; ${sizes.join(", ")}`);
  console.log(`peak RSS of this process: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
} finally {
  await prisma.$disconnect();
  await db.drop();
  fs.rmSync(dir, { recursive: true, force: true });
}
