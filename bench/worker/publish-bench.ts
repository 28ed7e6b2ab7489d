/**
 * Publish benchmark: time to publish a draft of N (default 100,000) assets with
 * the publish job's core function, then to write its manifests (streamed into
 * local storage), each split into its steps, with the peak RSS of this process
 * during each phase. Run: `tsx bench/worker/publish-bench.ts [assets]`.
 * publish-worker-bench.ts runs the same jobs in the built worker process.
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
import { seedPublishingDraft } from "./seed-publishing-draft";

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

const mib = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(0)} MiB`;
const loads: number[] = [];

/** Runs `fn`, sampling this process's RSS and the load average; returns its seconds and peak RSS. */
async function measure<T>(fn: () => Promise<T>): Promise<{ value: T; seconds: number; peakRss: number }> {
  let peakRss = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
    loads.push(os.loadavg()[0]!);
  }, 100);
  const t0 = performance.now();
  try {
    const value = await fn();
    return { value, seconds: (performance.now() - t0) / 1000, peakRss: Math.max(peakRss, process.memoryUsage.rss()) };
  } finally {
    clearInterval(timer);
  }
}

/** Records the seconds between successive progress calls, per step name. */
function stepClock() {
  const steps = new Map<string, number>();
  let last = performance.now();
  return {
    tick(step: string) {
      const now = performance.now();
      steps.set(step, (steps.get(step) ?? 0) + (now - last) / 1000);
      last = now;
    },
    format: () => [...steps].map(([s, t]) => `${s} ${t.toFixed(1)} s`).join(", "),
  };
}

try {
  const tSeed = performance.now();
  const { dandisetId, userId } = await seedPublishingDraft(prisma, assets);
  const seedSeconds = (performance.now() - tSeed) / 1000;
  const storage = createStorage(config);
  const rssBefore = process.memoryUsage.rss();

  const publishClock = stepClock();
  const publish = await measure(() =>
    publishDandiset({
      db: prisma,
      storage,
      config,
      dandisetId,
      userId,
      onProgress: (step) => publishClock.tick(step),
    }),
  );
  publishClock.tick("version metadata, draft, audit, commit");
  const result = publish.value;
  if (result.status !== "published") throw new Error(JSON.stringify(result));

  const manifests = await measure(() =>
    writeManifestFiles({ db: prisma, storage, config, versionId: result.versionId }),
  );
  const manifestDir = path.join(dir, "objects", "dandisets", String(dandisetId).padStart(6, "0"), result.version);
  const sizes = fs
    .readdirSync(manifestDir)
    .map((f) => `${f} ${(fs.statSync(path.join(manifestDir, f)).size / 1024 ** 2).toFixed(1)} MiB`);

  const load = loads.length ? `${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}` : "n/a";
  console.log(
    `assets: ${assets}; load average (1 min) during the run: ${load} on ${os.cpus().length} cores (seeding took ${seedSeconds.toFixed(1)} s)`,
  );
  console.log(
    `publish: ${publish.seconds.toFixed(1)} s (${publishClock.format()}); peak RSS ${mib(publish.peakRss)} (${mib(rssBefore)} before)`,
  );
  console.log(
    `manifests (${manifests.value?.assets} assets): ${manifests.seconds.toFixed(1)} s; peak RSS ${mib(manifests.peakRss)}; ${sizes.join(", ")}`,
  );
  console.log(
    `publish + manifests: ${(publish.seconds + manifests.seconds).toFixed(1)} s (target < 60 s); peak RSS of this process: ${mib(process.resourceUsage().maxRSS * 1024)}`,
  );
} finally {
  await prisma.$disconnect();
  await db.drop();
  fs.rmSync(dir, { recursive: true, force: true });
}
